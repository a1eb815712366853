//! `dlayer explain CODE|NAME`: a rule's documentation.

use clap::Args;

use dlayer::rules::find_rule;

use super::Status;
use super::messages;
use super::output::{out, outln};

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// A rule code (`HC002`, `SC2086`) or name (`ssh-server`).
    rule: String,
}

pub fn run(args: &ExplainArgs) -> Status {
    match find_rule(&args.rule) {
        Some(rule) => {
            out!("{}", rule.meta.doc);
            Status::Clean
        }
        None if dlayer::shellcheck::is_code(&args.rule) => {
            let code = args.rule.to_ascii_uppercase();
            outln!(
                "# {code} (ShellCheck)\n\n{code} is a ShellCheck finding, reported by `dlayer lint \
                 --shellcheck` on RUN scripts with ShellCheck's own message. ShellCheck documents it \
                 at https://www.shellcheck.net/wiki/{code}"
            );
            Status::Clean
        }
        None => {
            messages::error(format!(
                "no rule is called {:?} (see `dlayer rules`)",
                args.rule
            ));
            Status::Failure
        }
    }
}
