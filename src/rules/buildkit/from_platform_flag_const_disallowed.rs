//! BK017 FromPlatformFlagConstDisallowed: `FROM --platform=` with a constant platform.
//!
//! A fixed platform (`--platform=linux/amd64`) breaks multi-platform builds; use
//! `$BUILDPLATFORM` or `$TARGETPLATFORM`. As in BuildKit, a stage whose name contains the
//! platform's OS or architecture (`AS build_amd64`) is pinned on purpose and not reported, and
//! neither is a value that is not a platform. hadolint's twin is DL3029.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

use super::platform;
use super::stages::as_and_name;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "BK017",
        name: "FromPlatformFlagConstDisallowed",
        severity: Severity::Warning,
        family: Family::Buildkit,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "FROM --platform flag should not use a constant value",
        doc: include_str!("../../../rules/BK017.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for from in context.instructions_of(Keyword::From) {
        let stage_name =
            as_and_name(from).map_or(String::new(), |(_, name)| name.text.to_lowercase());
        for flag in &from.flags {
            let Some(value) = flag.value.as_deref().filter(|_| flag.name == "platform") else {
                continue;
            };
            if value.contains('$') {
                continue;
            }
            let Some(parsed) = platform::parse(value) else {
                continue;
            };
            let named = |part: &str| !part.is_empty() && stage_name.contains(part);
            if named(&parsed.os) || named(&parsed.architecture) {
                continue;
            }
            out.push(context.report(
                &RULE.meta,
                flag.span,
                format!("FROM --platform flag should not use constant value {value:?}"),
            ));
        }
    }
}
