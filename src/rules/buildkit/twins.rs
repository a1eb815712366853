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
/// the same bytes, if there is one: the first such finding in report order that has no twin
/// yet. The order of the other findings is kept.
pub fn merge(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    // Most files have no finding of a check with a twin: nothing is folded, and the findings
    // are only put in report order, where they stay, without being moved to another list.
    if !diagnostics.iter().any(is_check_with_twins) {
        sort_in_report_order(&mut diagnostics);
        return diagnostics;
    }
    let mut merged: Vec<Diagnostic> = Vec::with_capacity(diagnostics.len());
    let mut checks: Vec<Diagnostic> = Vec::new();
    for diagnostic in diagnostics {
        if is_check_with_twins(&diagnostic) {
            checks.push(diagnostic);
        } else {
            merged.push(diagnostic);
        }
    }
    let candidates = Candidates::of(&merged);
    let mut unpaired = Vec::new();
    for check in checks {
        match candidates.first_twin(&merged, &check) {
            Some(index) => attach_twin(&mut merged[index], check),
            None => unpaired.push(check),
        }
    }
    merged.extend(unpaired);
    sort_in_report_order(&mut merged);
    merged
}

/// Whether `diagnostic` is a BuildKit check's finding that a hadolint finding may take as its
/// twin.
fn is_check_with_twins(diagnostic: &Diagnostic) -> bool {
    !hadolint_twins(diagnostic.name).is_empty()
}

/// Makes `check` a twin of the hadolint finding `primary`, whose fix it brings if it has one.
fn attach_twin(primary: &mut Diagnostic, check: Diagnostic) {
    if check.fix.is_some() {
        primary.fix = check.fix.clone();
    }
    primary.twins.push(check);
}

/// By position, then code.
fn sort_in_report_order(findings: &mut [Diagnostic]) {
    findings.sort_by(|a, b| {
        (a.span.start, a.span.end, a.code).cmp(&(b.span.start, b.span.end, b.code))
    });
}

/// The findings of the hadolint rules that have a BuildKit twin, by where they start: a check
/// looks only at those that start close enough to overlap it, rather than at every finding (a
/// file of thousands of CMDs has thousands of DL4003 findings and as many checks).
struct Candidates {
    /// (span start, index among the findings), sorted.
    by_start: Vec<(usize, usize)>,
    /// The longest of their spans: one starting farther before a check ends before it.
    longest: usize,
}

impl Candidates {
    fn of(merged: &[Diagnostic]) -> Candidates {
        let mut by_start: Vec<(usize, usize)> = merged
            .iter()
            .enumerate()
            .filter(|(_, diagnostic)| is_hadolint_twin(diagnostic.code))
            .map(|(index, diagnostic)| (diagnostic.span.start, index))
            .collect();
        by_start.sort_unstable();
        let longest = by_start
            .iter()
            .map(|&(_, index)| {
                let span = merged[index].span;
                span.end.saturating_sub(span.start)
            })
            .max()
            .unwrap_or(0);
        Candidates { by_start, longest }
    }

    /// The index of the first finding (in `merged`'s order) that `check` pairs with: one of
    /// its hadolint twins' codes, without a twin yet, overlapping it.
    fn first_twin(&self, merged: &[Diagnostic], check: &Diagnostic) -> Option<usize> {
        let codes = hadolint_twins(check.name);
        // An overlapping finding starts before the check ends (at its start when both are
        // empty), and ends after the check starts, so starts at most `longest` before.
        let low = check.span.start.saturating_sub(self.longest);
        let high = check.span.end.max(check.span.start.saturating_add(1));
        let from = self.by_start.partition_point(|&(start, _)| start < low);
        self.by_start[from..]
            .iter()
            .take_while(|&&(start, _)| start < high)
            .map(|&(_, index)| index)
            .filter(|&index| {
                let candidate = &merged[index];
                codes.contains(&candidate.code)
                    && candidate.twins.is_empty()
                    && overlap(candidate, check)
            })
            .min()
    }
}

/// Whether `code` is the hadolint twin of some BuildKit check (one of [`TWINS`]' codes, which
/// a test checks). Asked of every finding: matched against literals, each a comparison of a
/// few bytes in place, where reading [`TWINS`] called `memcmp` once per code, ten times a
/// finding.
fn is_hadolint_twin(code: &str) -> bool {
    matches!(
        code,
        "DL3024"
            | "DL3063"
            | "DL3025"
            | "DL4000"
            | "DL3000"
            | "DL4003"
            | "DL4004"
            | "DL3012"
            | "DL3065"
            | "DL3064"
            | "DL3029"
    )
}

/// Shows `diagnostic` as its twin number `index`: the twin's code, name, message, position,
/// severity and fix, with the former primary among the twins. Done in place, where the
/// selection keeps the findings it shows.
pub fn promote(diagnostic: &mut Diagnostic, index: usize) {
    let mut twin = diagnostic.twins.remove(index);
    let others = std::mem::take(&mut diagnostic.twins);
    if twin.fix.is_none() {
        twin.fix = diagnostic.fix.take();
    }
    let former = std::mem::replace(diagnostic, twin);
    diagnostic.twins.push(former);
    diagnostic.twins.extend(others);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Severity;
    use crate::syntax::Span;

    fn finding(code: &'static str, name: &'static str, start: usize, end: usize) -> Diagnostic {
        Diagnostic {
            code,
            name,
            severity: Severity::Warning,
            message: format!("{code} at {start}..{end}"),
            span: Span::new(start, end),
            layer: None,
            fix: None,
            twins: Vec::new(),
        }
    }

    /// What [`merge`] gives, by reading every finding for each check (the search it replaced).
    fn merge_by_scan(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        let (checks, mut merged): (Vec<_>, Vec<_>) = diagnostics
            .into_iter()
            .partition(|diagnostic| !hadolint_twins(diagnostic.name).is_empty());
        let mut unpaired = Vec::new();
        for check in checks {
            let codes = hadolint_twins(check.name);
            match merged.iter_mut().find(|candidate| {
                codes.contains(&candidate.code)
                    && candidate.twins.is_empty()
                    && overlap(candidate, &check)
            }) {
                Some(primary) => attach_twin(primary, check),
                None => unpaired.push(check),
            }
        }
        merged.extend(unpaired);
        sort_in_report_order(&mut merged);
        merged
    }

    #[test]
    fn pairs_as_reading_every_finding_pairs() {
        let kinds = [
            ("DL4003", "multiple-cmd"),
            ("DL3025", "json-cmd"),
            ("DL3000", "absolute-workdir"),
            ("DL3008", "apt-pin"),
            (
                "MultipleInstructionsDisallowed",
                "MultipleInstructionsDisallowed",
            ),
            ("JSONArgsRecommended", "JSONArgsRecommended"),
            ("WorkdirRelativePath", "WorkdirRelativePath"),
        ];
        let mut seed: u64 = 7;
        let mut next = |below: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            usize::try_from((seed >> 33) % below).expect("small")
        };
        let mut paired = 0;
        for round in 0..400 {
            let count = next(24) + 1;
            let findings: Vec<Diagnostic> = (0..count)
                .map(|_| {
                    let (code, name) = kinds[next(kinds.len() as u64)];
                    let start = next(40);
                    // Mostly short spans, some long, some empty.
                    let length = match next(6) {
                        0 => 0,
                        1 => next(40),
                        _ => next(6),
                    };
                    finding(code, name, start, start + length)
                })
                .collect();
            let merged = merge(findings.clone());
            paired += merged
                .iter()
                .filter(|finding| !finding.twins.is_empty())
                .count();
            assert_eq!(merged, merge_by_scan(findings), "round {round}");
        }
        assert!(paired > 200, "the rounds pair findings: {paired}");
    }

    /// [`is_hadolint_twin`] lists exactly the hadolint codes of [`TWINS`].
    #[test]
    fn hadolint_twins_are_the_codes_of_the_table() {
        for rule in crate::rules::RULES.iter() {
            let code = rule.meta.code;
            let in_table = TWINS.iter().any(|(_, codes)| codes.contains(&code));
            assert_eq!(is_hadolint_twin(code), in_table, "{code}");
        }
        for (_, codes) in TWINS {
            assert!(codes.iter().all(|code| is_hadolint_twin(code)));
        }
    }

    #[test]
    fn thousands_of_instructions_pair_one_by_one() {
        let mut findings = Vec::new();
        for line in 0..20_000 {
            let start = line * 10;
            findings.push(finding("DL4003", "multiple-cmd", start, start + 3));
            findings.push(finding(
                "MultipleInstructionsDisallowed",
                "MultipleInstructionsDisallowed",
                start,
                start + 3,
            ));
        }
        let merged = merge(findings);
        assert_eq!(merged.len(), 20_000);
        assert!(merged.iter().all(|finding| finding.twins.len() == 1));
    }
}
