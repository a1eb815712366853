//! DL3029 from-platform-flag: FROM `--platform` is set to a fixed platform.
//!
//! A hard-coded platform (`--platform=linux/amd64`) breaks multi-platform builds. Values
//! taken from a variable (`$BUILDPLATFORM`, `$TARGETPLATFORM`, or a build ARG) are accepted,
//! and so is a stage whose name contains the platform's OS or architecture (`AS build_arm64`:
//! pinned on purpose), as BuildKit's FromPlatformFlagConstDisallowed judges (hadolint
//! reports it).

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
    for instruction in context.instructions_of(Keyword::From) {
        for flag in &instruction.flags {
            if !flag.name.eq_ignore_ascii_case("platform") {
                continue;
            }
            let Some(value) = flag.value.as_deref() else {
                continue;
            };
            if value.contains('$') || named_for_platform(instruction, value) {
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

/// `FROM --platform=linux/arm64 x AS build_arm64`: the stage's name says which platform.
fn named_for_platform(from: &crate::syntax::Instruction, platform: &str) -> bool {
    let name = match &from.arguments {
        crate::syntax::Arguments::Words(words)
            if words.len() == 3 && words[1].text.eq_ignore_ascii_case("as") =>
        {
            words[2].text.to_lowercase()
        }
        _ => return false,
    };
    let mut parts = platform.split('/').map(str::to_lowercase);
    let os = parts.next().unwrap_or_default();
    let arch = match parts.next().unwrap_or_default().as_str() {
        "x86_64" | "x86-64" => "amd64".to_string(),
        "aarch64" => "arm64".to_string(),
        other => other.to_string(),
    };
    [os, arch]
        .iter()
        .any(|part| !part.is_empty() && name.contains(part.as_str()))
}
