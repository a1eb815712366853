//! One finding per problem: where a hadolint rule and a BuildKit check report the same thing
//! at the same place, the two diagnostics become one.
//!
//! The hadolint code is the primary one, so that a hadolint user's output (codes, severities,
//! `--select DL`, `.hadolint.yaml` overrides) does not change; the BuildKit check rides along
//! as a twin. Pragmas and selectors of either code apply to the finding; when only the
//! BuildKit check is selected (`--select BK`, `--ignore DL`) the finding is shown as the
//! check, with BuildKit's message and position. A merged finding carries the BuildKit
//! check's fix when it has one (those fixes are written to the fix-safety contract), else the
//! hadolint rule's.

use crate::rules::Diagnostic;

/// BuildKit check name → the hadolint codes that report the same problem at the same place.
pub const TWINS: &[(&str, &[&str])] = &[
    ("DuplicateStageName", &["DL3024"]),
    ("ReservedStageName", &["DL3063"]),
    ("JSONArgsRecommended", &["DL3025"]),
    ("MaintainerDeprecated", &["DL4000"]),
    ("WorkdirRelativePath", &["DL3000"]),
    (
        "MultipleInstructionsDisallowed",
        &["DL4003", "DL4004", "DL3012"],
    ),
    ("RedundantTargetPlatform", &["DL3065"]),
    ("SecretsUsedInArgOrEnv", &["DL3064"]),
    ("FromPlatformFlagConstDisallowed", &["DL3029"]),
];

/// The hadolint codes that are twins of the BuildKit check `name`.
pub fn hadolint_twins(name: &str) -> &'static [&'static str] {
    TWINS
        .iter()
        .find(|(check, _)| *check == name)
        .map_or(&[], |(_, codes)| codes)
}

fn overlap(a: &Diagnostic, b: &Diagnostic) -> bool {
    a.span == b.span || (a.span.start < b.span.end && b.span.start < a.span.end)
}

/// Folds every BuildKit finding into the hadolint finding that reports the same problem at
/// the same bytes, if there is one. The order of the other findings is kept.
pub fn merge(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut merged: Vec<Diagnostic> = Vec::with_capacity(diagnostics.len());
    let mut checks: Vec<Diagnostic> = Vec::new();
    for diagnostic in diagnostics {
        if hadolint_twins(diagnostic.name).is_empty() {
            merged.push(diagnostic);
        } else {
            checks.push(diagnostic);
        }
    }
    let mut unpaired = Vec::new();
    for check in checks {
        let codes = hadolint_twins(check.name);
        let twin = merged.iter_mut().find(|candidate| {
            codes.contains(&candidate.code)
                && candidate.twins.is_empty()
                && overlap(candidate, &check)
        });
        match twin {
            Some(primary) => {
                if check.fix.is_some() {
                    primary.fix = check.fix.clone();
                }
                primary.twins.push(check);
            }
            None => unpaired.push(check),
        }
    }
    merged.extend(unpaired);
    merged.sort_by(|a, b| {
        (a.span.start, a.span.end, a.code).cmp(&(b.span.start, b.span.end, b.code))
    });
    merged
}

/// Shows `diagnostic` as its twin number `index`: the twin's code, name, message, position,
/// severity and fix, with the former primary among the twins.
pub fn promote(mut diagnostic: Diagnostic, index: usize) -> Diagnostic {
    let mut twin = diagnostic.twins.remove(index);
    let others = std::mem::take(&mut diagnostic.twins);
    if twin.fix.is_none() {
        twin.fix = diagnostic.fix.take();
    }
    twin.twins.push(diagnostic);
    twin.twins.extend(others);
    twin
}
