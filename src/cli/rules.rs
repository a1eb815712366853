//! `dlayer rules`: every rule with its code, name, default severity, family, layer, fixability.

use clap::{Args, ValueEnum};
use serde_json::json;

use dlayer::rules::RULES;

use super::Status;
use super::output::outln;

#[derive(Args, Debug)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
    format: RulesFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum RulesFormat {
    Text,
    Json,
}

pub fn run(args: &RulesArgs) -> Status {
    match args.format {
        RulesFormat::Json => {
            let rules: Vec<_> = RULES
                .iter()
                .map(|rule| {
                    let meta = &rule.meta;
                    json!({
                        "code": meta.code, "name": meta.name, "severity": meta.severity,
                        "family": meta.family, "layer": meta.layer, "fixable": meta.fixable,
                        "summary": meta.summary,
                    })
                })
                .collect();
            outln!(
                "{}",
                serde_json::to_string_pretty(&rules).expect("JSON values serialize")
            );
        }
        RulesFormat::Text => {
            // Columns as wide as their longest value (BuildKit's check names run past 28).
            let code = RULES
                .iter()
                .map(|r| r.meta.code.len())
                .max()
                .unwrap_or(4)
                .max(4);
            let name = RULES
                .iter()
                .map(|r| r.meta.name.len())
                .max()
                .unwrap_or(4)
                .max(4);
            outln!(
                "{:<code$} {:<name$} {:<8} {:<8} {:<8} {:<7} summary",
                "code",
                "name",
                "severity",
                "family",
                "layer",
                "fix"
            );
            for rule in RULES.iter() {
                let meta = &rule.meta;
                outln!(
                    "{:<code$} {:<name$} {:<8} {:<8} {:<8} {:<7} {}",
                    meta.code,
                    meta.name,
                    meta.severity.as_str(),
                    format!("{:?}", meta.family).to_lowercase(),
                    meta.layer.map_or("-", |layer| layer.as_str()),
                    if meta.fixable { "yes" } else { "no" },
                    meta.summary
                );
            }
        }
    }
    Status::Clean
}
