//! DL3029 from-platform-flag: FROM `--platform` is set to a fixed platform.
//!
//! A hard-coded platform (`--platform=linux/amd64`) breaks multi-platform builds. Values
//! taken from a variable (`$BUILDPLATFORM`, `$TARGETPLATFORM`, or a build ARG) are accepted.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3029",
        name: "from-platform-flag",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "FROM `--platform` set to a fixed platform",
        doc: include_str!("../../../../rules/DL3029.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for instruction in context.dockerfile.instructions() {
        if instruction.kind != Keyword::From {
            continue;
        }
        for flag in &instruction.flags {
            if !flag.name.eq_ignore_ascii_case("platform") {
                continue;
            }
            let Some(value) = flag.value.as_deref() else {
                continue;
            };
            if value.contains('$') {
                continue;
            }
            out.push(context.report(
                &RULE.meta,
                flag.span,
                format!("`--platform={value}` fixes the platform; leave it out or use `$BUILDPLATFORM`/`$TARGETPLATFORM`."),
            ));
        }
    }
}
