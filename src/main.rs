//! The `dlayer` command line: a thin layer over the library.

mod cli;

// Linting allocates many small strings and vectors (words, commands, diagnostics) from
// several threads; mimalloc serves them several times faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::run()
}
