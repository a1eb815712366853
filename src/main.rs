//! The `dlayer` command line: a thin layer over the library.

mod cli;

// Linting allocates many small strings and vectors (words, commands, diagnostics) from
// several threads; mimalloc serves them several times faster than the system allocator.
// Built without transparent huge pages (feature `no_thp`): with them the peak memory of a
// corpus lint doubles for a tenth less time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::run()
}
