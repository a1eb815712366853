//! DL3046 useradd-long-uid: `useradd -u` with a large UID but without `-l`.
//!
//! useradd records every UID up to the new one in the sparse `/var/log/lastlog` and
//! `/var/log/faillog`; with a UID of six digits or more these files grow to gigabytes in the
//! layer unless `-l`/`--no-log-init` is given. Reported at the UID. ONBUILD-aware.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::Span;

use crate::rules::hadolint::runs::runs_running;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3046",
        name: "useradd-long-uid",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "useradd with a long UID without -l/--no-log-init",
        doc: include_str!("../../../../rules/DL3046.md"),
    },
    check,
};

fn takes_value(name: &str) -> bool {
    matches!(
        name,
        "b" | "c"
            | "d"
            | "e"
            | "f"
            | "g"
            | "G"
            | "k"
            | "K"
            | "p"
            | "P"
            | "R"
            | "s"
            | "u"
            | "Z"
            | "base-dir"
            | "comment"
            | "home-dir"
            | "expiredate"
            | "inactive"
            | "gid"
            | "groups"
            | "skel"
            | "key"
            | "password"
            | "prefix"
            | "root"
            | "shell"
            | "uid"
            | "selinux-user"
    )
}

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for run in runs_running(context, &["useradd"]) {
        for command in run.commands_of(&["useradd"]) {
            let arguments = command.arguments(&takes_value);
            if arguments
                .options
                .iter()
                .any(|option| option.name == "l" || option.name == "no-log-init")
            {
                continue;
            }
            for option in &arguments.options {
                if option.name != "u" && option.name != "uid" {
                    continue;
                }
                let (Some(uid), Some(word)) = (option.value.as_deref(), option.value_word) else {
                    continue;
                };
                if uid.len() > 5 && uid.bytes().all(|b| b.is_ascii_digit()) {
                    let span = if context.text(word.span).ends_with(uid) {
                        Span::new(word.span.end - uid.len(), word.span.end)
                    } else {
                        word.span
                    };
                    out.push(context.report(
                        &RULE.meta,
                        span,
                        format!(
                            "UID {uid} makes useradd write huge lastlog/faillog files: add \
                             `-l` (`--no-log-init`)"
                        ),
                    ));
                }
            }
        }
    }
}
