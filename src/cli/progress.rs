//! A progress line on standard error for long runs: only when standard error is a terminal
//! (or `--progress` asks), and only once a run has taken a second.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a run goes before the progress line appears.
const QUIET_FOR: Duration = Duration::from_secs(1);
/// How often a forced progress line is printed when standard error is no terminal.
const LOG_EVERY: Duration = Duration::from_secs(5);

/// Shared by the thread that lints (ShellCheck batches) and the one that writes the report
/// (files done): each call takes the lock briefly, a few times a second at most.
pub struct Progress {
    line: Mutex<Line>,
}

impl Progress {
    /// `forced`: `--progress`.
    pub fn new(forced: bool, total: usize) -> Progress {
        let terminal = std::io::stderr().is_terminal();
        let line = Line {
            enabled: forced || terminal,
            terminal,
            start: Instant::now(),
            last: None,
            total,
            shellcheck_batches: 0,
            shown: false,
        };
        Progress {
            line: Mutex::new(line),
        }
    }

    /// ShellCheck is about to run on `scripts` scripts.
    pub fn shellcheck(&self, done: usize, scripts: usize) {
        let mut line = self.lock();
        line.shellcheck_batches += 1;
        line.show(done, &format!(", ShellCheck on {scripts} scripts"));
    }

    /// `done` files are finished.
    pub fn files_done(&self, done: usize) {
        self.lock().show(done, "");
    }

    /// Clears the line (on a terminal) before the report's last words.
    pub fn finish(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Line> {
        // A thread that panicked while showing a line left nothing half-done worth refusing.
        self.line
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

struct Line {
    enabled: bool,
    terminal: bool,
    start: Instant,
    last: Option<Instant>,
    total: usize,
    shellcheck_batches: usize,
    shown: bool,
}

impl Line {
    fn show(&mut self, done: usize, doing: &str) {
        let elapsed = self.start.elapsed();
        if !self.enabled || elapsed < QUIET_FOR {
            return;
        }
        if !self.terminal && self.last.is_some_and(|last| last.elapsed() < LOG_EVERY) {
            return;
        }
        self.last = Some(Instant::now());
        let rate = done as f64 / elapsed.as_secs_f64();
        let batches = match self.shellcheck_batches {
            0 => String::new(),
            n => format!(", {n} ShellCheck batch{}", if n == 1 { "" } else { "es" }),
        };
        let line = format!(
            "dlayer: {done}/{} files, {rate:.0} files/s{batches}{doing}",
            self.total
        );
        let mut stderr = std::io::stderr().lock();
        // A progress line that cannot be written is no reason to stop the lint.
        let _ = if self.terminal {
            write!(stderr, "\r\x1b[2K{line}")
        } else {
            writeln!(stderr, "{line}")
        };
        self.shown = true;
    }

    fn clear(&mut self) {
        if self.shown && self.terminal {
            let _ = write!(std::io::stderr().lock(), "\r\x1b[2K");
        }
        self.shown = false;
    }
}
