//! DL3022 copy-from-unknown-stage: `COPY --from=X` where X names no stage of the file.
//!
//! X may be the name of an earlier stage (any case), the index of an earlier stage, or an
//! image reference. A bare word that names no earlier stage (a later one only: hadolint's
//! reading, although BuildKit resolves it), or an index that is not an earlier stage, is
//! flagged: it is usually a typo or an index that shifted, and
//! BuildKit would silently pull an image of that name. References with `:`, `/` or `@` are
//! images; values with `$` are not judged. COPY from the current stage is DL3023.

use std::cell::LazyCell;
use std::collections::HashMap;

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

use super::copy_from_flags;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3022",
        name: "copy-from-unknown-stage",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "`COPY --from` names no stage of the Dockerfile",
        doc: include_str!("../../../../rules/DL3022.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    // Built at the first `--from` to judge: a scan of the stages for each one made files with
    // thousands of stages quadratic.
    let named_stages = LazyCell::new(|| NamedStages::of(context));
    for stage in &context.model.stages {
        for (flag, value) in copy_from_flags(context, stage) {
            if value.contains(['$', ':', '/', '@']) {
                continue;
            }
            let lower = value.to_lowercase();
            let number = context.model.stage_number(stage);
            let own = stage.name.as_deref() == Some(lower.as_str())
                || value.parse::<usize>().is_ok_and(|n| Some(n) == number);
            if own {
                continue;
            }
            let stages_named = named_stages.first_and_last.get(lower.as_str());
            let named = stages_named.is_some_and(|&(first, _)| first < stage.index);
            let earlier = value
                .parse::<usize>()
                .is_ok_and(|index| number.is_some_and(|number| index < number));
            if named || earlier {
                continue;
            }
            let later = stages_named.is_some_and(|&(_, last)| last > stage.index);
            let message = if value.parse::<usize>().is_ok() {
                format!("`--from={value}` is not the index of an earlier stage.")
            } else if later {
                format!(
                    "`--from={value}` names a later stage: BuildKit resolves it, but define \
                     the stage before the COPY that uses it."
                )
            } else {
                format!(
                    "`--from={value}` names no stage of this Dockerfile; if an image is meant, \
                     give it a tag."
                )
            };
            out.push(context.report(&RULE.meta, flag.span, message));
        }
    }
}

/// The stage names of the file, each with the indices of the first and the last stage given it.
struct NamedStages<'a> {
    first_and_last: HashMap<&'a str, (usize, usize)>,
}

impl<'a> NamedStages<'a> {
    fn of(context: &LintContext<'a>) -> Self {
        let mut first_and_last: HashMap<&str, (usize, usize)> = HashMap::new();
        for stage in &context.model.stages {
            if let Some(name) = &stage.name {
                first_and_last
                    .entry(name)
                    .and_modify(|(_, last)| *last = stage.index)
                    .or_insert((stage.index, stage.index));
            }
        }
        NamedStages { first_and_last }
    }
}
