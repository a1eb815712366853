//! SEC004 add-url-without-checksum: `ADD https://…` without `--checksum=sha256:…`.
//!
//! ADD downloads the file at every build that misses the cache; without a checksum, a changed
//! or tampered file goes into the image unnoticed. `--checksum` (BuildKit, Dockerfile 1.6+)
//! makes the build fail instead. Git sources (`ADD https://…/repo.git#ref`) are pinned by their
//! ref and not reported. Reported at the URL.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::{Arguments, Keyword};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "SEC004",
        name: "add-url-without-checksum",
        severity: Severity::Warning,
        family: Family::Security,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "ADD of a URL without --checksum",
        doc: include_str!("../../../rules/SEC004.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for instruction in context.instructions_of(Keyword::Add) {
        if instruction.flags.iter().any(|flag| flag.name == "checksum") {
            continue;
        }
        let words = match &instruction.arguments {
            Arguments::Words(words) | Arguments::Exec(words) => words,
            _ => continue,
        };
        let Some((_, sources)) = words.split_last() else {
            continue;
        };
        for source in sources {
            let url = source.text.to_ascii_lowercase();
            let remote = url.starts_with("http://") || url.starts_with("https://");
            if !remote || is_git(&url) {
                continue;
            }
            out.push(context.report(
                &RULE.meta,
                source.span,
                format!(
                    "`ADD {}` downloads without a checksum: add `--checksum=sha256:…` so a changed \
                     file fails the build",
                    source.text
                ),
            ));
        }
    }
}

/// A git repository as BuildKit recognises one: `.git` path or a `#ref` fragment on a
/// known git host.
fn is_git(url: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    path.ends_with(".git")
        || path.contains(".git/")
        || (url.contains('#')
            && ["github.com/", "gitlab.com/", "bitbucket.org/"]
                .iter()
                .any(|host| url.contains(host)))
}
