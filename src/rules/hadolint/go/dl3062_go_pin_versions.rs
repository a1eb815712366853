//! DL3062 go-pin-versions: `go install`, `go get` or `go run` of a remote module without
//! `@version`, or with a moving query (`@latest`, `@upgrade`, `@patch`, `@master`, `@main`,
//! `@HEAD`).
//!
//! Without a version the go command resolves whatever the module's latest release is on the
//! day of the build. Reported at each module path (first element a domain, like
//! `github.com/...`) that lacks `@`. Local packages (`.`, `./cmd/x`, `/src`), `.go` files,
//! standard-library paths and dynamic words are not flagged; for `go run` only the package
//! argument is checked, not the program's own arguments. ONBUILD-aware.

use crate::model::value_options;
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::shell::{Command, Word};

use crate::rules::hadolint::runs::runs_running;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3062",
        name: "go-pin-versions",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "go install/get/run of a module without @version",
        doc: include_str!("../../../../rules/DL3062.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for run in runs_running(context, &["go"]) {
        for command in run.commands_of(&["go"]) {
            let (tools, words) = modules(command);
            for word in words {
                let Some(path) = word.value() else {
                    continue;
                };
                if remote_unpinned(path) || (tools && tool_unpinned(path)) {
                    out.push(context.report(
                        &RULE.meta,
                        word.span,
                        if path.contains('@') {
                            format!(
                                "`{path}` follows a moving version: pin a release such as `@vX.Y.Z`"
                            )
                        } else {
                            format!("pin `{path}` to a version with `@vX.Y.Z`")
                        },
                    ));
                }
            }
        }
    }
}

/// The package arguments of `go install|get|run`, and whether they are tools (`go install
/// tool X`, `go get -tool X`: modules of go.mod's tool section, whatever their path).
fn modules(command: &Command) -> (bool, Vec<&Word>) {
    let mut words = command.args.iter();
    let mut subcommand = None;
    let mut packages = Vec::new();
    let mut tools = false;
    while let Some(word) = words.next() {
        let Some(value) = word.value() else {
            if subcommand.is_some() {
                packages.push(word);
            } else {
                return (false, Vec::new());
            }
            continue;
        };
        if value == "--" {
            packages.extend(words.by_ref());
            break;
        }
        if let Some(flag) = value.strip_prefix('-') {
            let flag = flag.trim_start_matches('-');
            tools |= flag == "tool" && subcommand == Some("get");
            if !flag.contains('=') && value_options("go").contains(&flag) {
                words.next();
            }
            continue;
        }
        if subcommand.is_none() {
            if !matches!(value, "install" | "get" | "run") {
                return (false, Vec::new());
            }
            subcommand = Some(value);
            continue;
        }
        if subcommand == Some("install") && packages.is_empty() && value == "tool" && !tools {
            tools = true;
            continue;
        }
        packages.push(word);
        if subcommand == Some("run") {
            break;
        }
    }
    (tools, packages)
}

/// A tool without `@version` (or with a moving one), whatever its path.
fn tool_unpinned(path: &str) -> bool {
    !path.starts_with(['.', '/']) && !path.contains('@')
}

fn remote_unpinned(path: &str) -> bool {
    if let Some((_, version)) = path.split_once('@') {
        return matches!(
            version,
            "latest" | "upgrade" | "patch" | "master" | "main" | "HEAD"
        );
    }
    if path.starts_with(['.', '/']) || path.ends_with(".go") {
        return false;
    }
    let first = path.split('/').next().unwrap_or(path);
    first.contains('.') && path.contains('/')
}
