//! DL3013 pip-pin-versions: `pip install` of a package without a version specifier.
//!
//! Every package operand of `pip install` (also `python -m pip install`, `uv pip install`)
//! without `==`, `>=`, `~=`, `<`, `>`, `!=` or `@` is reported at the package word.
//! Requirement and constraint files (`-r`, `-c`), editable and local paths (`.`, `./x`,
//! `-e .`), wheel and sdist files, plain URLs and version-control URLs with an `@ref` are not
//! reported; a version-control URL without a ref is. Words built from variables are skipped.

use crate::model::Action;
use crate::rules::hadolint::commands::value;
use crate::rules::hadolint::runs::{Run, runs_installing_with};
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::Span;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3013",
        name: "pip-pin-versions",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "pip install of a package without a pinned version",
        doc: include_str!("../../../../rules/DL3013.md"),
    },
    check,
};

const FILES: [&str; 7] = [
    ".whl", ".tar.gz", ".zip", ".tgz", ".tar.bz2", ".tar.xz", ".egg",
];

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    // Only the RUNs installing with pip (most do not) are made.
    for run in runs_installing_with(context, "pip") {
        for package in run.packages(context).iter() {
            if package.manager != "pip" || package.action != Action::Install {
                continue;
            }
            let text = context.text(package.span).trim_matches(['"', '\'']);
            if is_pinned(text, package.version.as_deref()) || constrained(&run, package.span) {
                continue;
            }
            let message = if text.contains("://") {
                crate::rules::message(&[
                    "pin `",
                    text,
                    "` to a tag or commit (`…@<ref>`) so rebuilds install the same code",
                ])
            } else {
                crate::rules::message(&[
                    "pin the version of `",
                    text,
                    "` (`",
                    &package.name,
                    "==<version>`) so rebuilds install the same package",
                ])
            };
            out.push(context.report(&RULE.meta, package.span, message));
        }
    }
}

/// The pip command installing the package at `span` takes a constraints file (`-c`,
/// `--constraint`): the versions are pinned there.
fn constrained(run: &Run<'_>, span: Span) -> bool {
    run.commands
        .iter()
        .find(|command| command.span.contains(span))
        .is_some_and(|command| {
            command
                .args
                .iter()
                .filter_map(value)
                .any(|arg| arg == "-c" || arg == "--constraint" || arg.starts_with("--constraint="))
        })
}

fn is_pinned(text: &str, version: Option<&str>) -> bool {
    let lower = text.to_ascii_lowercase();
    // A local directory (`foo/bar`): a project, not a package from an index.
    if !lower.contains("://") && !lower.contains('@') && lower.contains('/') {
        return true;
    }
    if FILES.iter().any(|suffix| lower.ends_with(suffix)) {
        return true;
    }
    let vcs = ["git+", "hg+", "svn+", "bzr+"]
        .iter()
        .any(|prefix| lower.starts_with(prefix));
    if vcs {
        // The ref follows `@` in the last path segment: `git+https://h/x/y.git@v1#egg=y`.
        let path = lower.split('#').next().unwrap_or(&lower);
        let last = path.rsplit('/').next().unwrap_or(path);
        return last.contains('@');
    }
    if lower.contains("://") {
        return true;
    }
    version.is_some_and(|version| !version.is_empty() && !version.starts_with(';'))
}
