//! HC010 install-sprawl: more separate OS-package-install RUNs in one stage than the limit.
//!
//! Counts, per shipped stage, the RUNs that leave OS packages installed (apt, yum/dnf, apk,
//! zypper, pacman; a RUN whose packages are all removed again in the same RUN, such as the
//! install-build-purge idiom, installs nothing that stays and does not count). When the count
//! is over `max_install_runs` (default 2), reports once, on the first install RUN beyond the
//! limit, with the count. The diagnostic's layer is that RUN's layer (`runtime` when the model
//! cannot read its packages).

use crate::model::{Action, Ecosystem, InstructionModel, Invocation, Layer};
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "HC010",
        name: "install-sprawl",
        severity: Severity::Info,
        family: Family::Heavy,
        layer: Some(Layer::Os),
        fixable: false,
        default_enabled: true,
        summary: "more separate OS-package-install RUNs in one stage than the limit",
        doc: include_str!("../../../rules/HC010.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    let limit = context.settings.max_install_runs;
    for stage in context.shipped_stages() {
        let installs: Vec<(&InstructionModel, &Invocation)> = stage
            .instructions
            .iter()
            .filter_map(|instruction| Some((instruction, lasting_install(instruction)?)))
            .collect();
        let Some((instruction, invocation)) = installs.get(limit) else {
            continue;
        };
        // A RUN whose OS packages the model cannot read (`$PACKAGES`) classifies as `app`;
        // OS packages the catalog does not know belong to `runtime`.
        let layer = match instruction.layer {
            Layer::App => Layer::Runtime,
            layer => layer,
        };
        let mut diagnostic = context.report(
            &RULE.meta,
            invocation.span,
            format!(
                "this stage installs OS packages in {} separate RUNs (limit {limit}), this is \
                 number {}: install each layer's packages in one RUN ({layer} layer)",
                installs.len(),
                limit + 1,
            ),
        );
        diagnostic.layer = Some(layer);
        out.push(diagnostic);
    }
}

fn is_os(invocation: &Invocation) -> bool {
    matches!(
        invocation.ecosystem,
        Some(Ecosystem::Deb | Ecosystem::Rpm | Ecosystem::Apk | Ecosystem::Pacman)
    )
}

/// The first OS install of a RUN that leaves something installed: a package that stays, or
/// operands the model cannot read (`$PACKAGES`) with no removal after them.
fn lasting_install(instruction: &InstructionModel) -> Option<&Invocation> {
    let kept = instruction.kept_packages();
    instruction
        .invocations
        .iter()
        .enumerate()
        .find(|(index, invocation)| {
            if !is_os(invocation) || invocation.action != Action::Install {
                return false;
            }
            let named = instruction
                .packages
                .iter()
                .any(|package| package.invocation == *index);
            let stays = kept.clone().any(|package| package.invocation == *index);
            let removed_after = instruction.invocations[index + 1..]
                .iter()
                .any(|later| is_os(later) && later.action == Action::Remove);
            stays || (!named && !removed_after)
        })
        .map(|(_, invocation)| invocation)
}
