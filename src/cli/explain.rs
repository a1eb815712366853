//! `dlayer explain CODE|NAME`: a rule's documentation.

use clap::Args;

use dlayer::rules::find_rule;

use super::Status;

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// A rule code (`HC002`) or name (`ssh-server`).
    rule: String,
}

pub fn run(args: &ExplainArgs) -> Status {
    match find_rule(&args.rule) {
        Some(rule) => {
            print!("{}", rule.meta.doc);
            Status::Clean
        }
        None => {
            eprintln!(
                "dlayer: no rule is called {:?} (see `dlayer rules`)",
                args.rule
            );
            Status::Failure
        }
    }
}
