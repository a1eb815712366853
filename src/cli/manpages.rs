//! `dlayer manpages DIR`: a man page per command (clap_mangen): `dlayer.1`, `dlayer-lint.1`, …

use std::path::PathBuf;

use clap::{Args, CommandFactory};

use super::{Cli, Status, messages};

#[derive(Args, Debug)]
pub struct ManpagesArgs {
    /// The directory to write the pages to (created when missing), e.g. `/usr/local/share/man/man1`.
    #[arg(value_name = "DIR")]
    dir: PathBuf,
}

pub fn run(args: &ManpagesArgs) -> Status {
    let written = std::fs::create_dir_all(&args.dir)
        .and_then(|()| clap_mangen::generate_to(Cli::command(), &args.dir));
    match written {
        Ok(()) => Status::Clean,
        Err(error) => {
            messages::error(format!(
                "cannot write man pages to {}: {}",
                args.dir.display(),
                messages::io_error(&error)
            ));
            Status::Failure
        }
    }
}
