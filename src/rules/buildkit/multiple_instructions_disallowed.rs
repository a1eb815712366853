//! BK012 MultipleInstructionsDisallowed: more than one CMD, ENTRYPOINT or HEALTHCHECK in a
//! stage. Only the last one takes effect; BuildKit reports every earlier one, at its keyword.
//! hadolint's twins report the later ones: DL4003 (CMD), DL4004 (ENTRYPOINT) and DL3012
//! (HEALTHCHECK); each pair is one finding (see `rules/BK012.md`).

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "BK012",
        name: "MultipleInstructionsDisallowed",
        severity: Severity::Warning,
        family: Family::Buildkit,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "multiple instructions of the same type should not be used in the same stage",
        doc: include_str!("../../../rules/BK012.md"),
    },
    check,
};

/// The instructions of which only the last of a stage counts.
pub const SINGLE: [Keyword; 3] = [Keyword::Cmd, Keyword::Entrypoint, Keyword::Healthcheck];

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for keyword in SINGLE {
        // Listed stage by stage: each one followed by another of its stage is reported (most
        // stages have one at most, and nothing to report).
        let mut of_kind = context.stage_instructions_of(keyword).peekable();
        while let Some(first) = of_kind.next() {
            let mut earlier = first;
            while let Some(later) = of_kind.next_if(|next| std::ptr::eq(next.stage, first.stage)) {
                out.push(context.report(
                    &RULE.meta,
                    earlier.syntax.keyword.span,
                    format!(
                        "Multiple {} instructions should not be used in the same stage because \
                         only the last one will be used",
                        keyword.upper_name()
                    ),
                ));
                earlier = later;
            }
        }
    }
}
