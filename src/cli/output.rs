//! Standard output and standard error with every write checked.
//!
//! `println!` panics when a write fails (exit 101 on `dlayer rules | head -1` or `> /dev/full`),
//! and Rust's final flush of standard output ignores errors, so a filter such as `dlayer fix -`
//! could exit 0 having written nothing. Here a write that fails ends the process at once:
//! a closed pipe quietly, as `cat` does (killed by SIGPIPE, status 141 in a shell), any
//! other error with a message and status 2. Nothing is reported as a success after that.

use std::io::{self, Write};

/// Which standard stream a write went to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

impl Stream {
    fn name(self) -> &'static str {
        match self {
            Stream::Stdout => "standard output",
            Stream::Stderr => "standard error",
        }
    }
}

/// Writes formatted text to standard output, ending the process if the write fails.
pub fn print(arguments: std::fmt::Arguments<'_>) {
    let mut stdout = io::stdout().lock();
    if let Err(error) = stdout.write_fmt(arguments) {
        fail(Stream::Stdout, &error);
    }
}

/// Writes formatted text to standard error, ending the process if the write fails.
pub fn eprint(arguments: std::fmt::Arguments<'_>) {
    let mut stderr = io::stderr().lock();
    if let Err(error) = stderr.write_fmt(arguments) {
        fail(Stream::Stderr, &error);
    }
}

/// Flushes standard output: the last chance to learn that buffered output was lost.
pub fn flush_stdout() {
    if let Err(error) = io::stdout().lock().flush() {
        fail(Stream::Stdout, &error);
    }
}

/// Checks the result of writing a whole report to `stream`.
pub fn check(stream: Stream, result: io::Result<()>) {
    if let Err(error) = result {
        fail(stream, &error);
    }
}

/// Ends the process after a failed write to `stream`.
pub fn fail(stream: Stream, error: &io::Error) -> ! {
    if error.kind() == io::ErrorKind::BrokenPipe {
        die_of_sigpipe();
    }
    if stream == Stream::Stdout {
        // Standard error may still work; if it does not, the status alone says it.
        let _ = writeln!(
            io::stderr(),
            "dlayer: error: cannot write {}: {}",
            stream.name(),
            super::messages::io_error(error)
        );
    }
    std::process::exit(super::Status::Failure as i32);
}

/// Ends the process as the default SIGPIPE action would (Rust ignores SIGPIPE so that writes
/// return an error instead): the shell sees status 141 and prints nothing.
fn die_of_sigpipe() -> ! {
    #[cfg(unix)]
    // SAFETY: restoring a signal's default action and raising it are async-signal-safe and
    // touch no Rust state; the process ends here.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        libc::raise(libc::SIGPIPE);
    }
    std::process::exit(128 + 13);
}

/// `println!` that ends the process quietly on a closed pipe and with status 2 on other errors.
macro_rules! outln {
    () => { $crate::cli::output::print(format_args!("\n")) };
    ($($arg:tt)*) => {
        $crate::cli::output::print(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `print!`, checked as [`outln!`].
macro_rules! out {
    ($($arg:tt)*) => { $crate::cli::output::print(format_args!($($arg)*)) };
}

/// `eprintln!`, checked: a closed standard error ends the process quietly, a failed one with
/// status 2.
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::cli::output::eprint(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `eprint!`, checked as [`errln!`].
macro_rules! err {
    ($($arg:tt)*) => { $crate::cli::output::eprint(format_args!($($arg)*)) };
}

pub(crate) use {err, errln, out, outln};
