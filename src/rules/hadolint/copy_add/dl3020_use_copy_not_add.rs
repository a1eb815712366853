//! DL3020 use-copy-not-add: ADD copies plain local files; COPY says so and does nothing more.
//!
//! ADD is only needed for URLs, git repositories and local tar archives it unpacks. An ADD
//! is flagged at its first source that is none of these. Sources given by a variable are not
//! judged. The fix (safe) renames the instruction to COPY when every source is a plain local
//! path and no ADD-only flag (`--checksum`, `--keep-git-dir`, `--unpack`) is used.

use crate::rules::{
    Applicability, Diagnostic, Edit, Family, Fix, LintContext, Rule, RuleMeta, Severity,
};
use crate::syntax::{Arguments, Keyword};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3020",
        name: "use-copy-not-add",
        severity: Severity::Error,
        family: Family::Hadolint,
        layer: None,
        fixable: true,
        default_enabled: true,
        summary: "ADD used for local files or folders; use COPY",
        doc: include_str!("../../../../rules/DL3020.md"),
    },
    check,
};

/// Archive suffixes ADD unpacks (tar, optionally compressed).
const ARCHIVES: &[&str] = &[
    ".tar",
    ".tar.gz",
    ".tgz",
    ".tar.bz2",
    ".tbz",
    ".tbz2",
    ".tar.xz",
    ".txz",
    ".tar.zst",
    ".tzst",
    ".tar.lz",
    ".tar.lzma",
    ".tlz",
    ".tar.z",
    ".taz",
    ".gz",
    ".bz2",
    ".xz",
    ".zst",
    ".lz",
    ".lzma",
    ".z",
];

fn is_remote(text: &str) -> bool {
    text.contains("://") || text.starts_with("git@")
}

fn is_archive(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    ARCHIVES.iter().any(|suffix| lower.ends_with(suffix))
}

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for instruction in context.dockerfile.instructions() {
        if instruction.kind != Keyword::Add {
            continue;
        }
        let tokens = match &instruction.arguments {
            Arguments::Words(tokens) | Arguments::Exec(tokens) => tokens,
            _ => continue,
        };
        let Some((_, sources)) = tokens.split_last() else {
            continue;
        };
        let sources: Vec<_> = sources
            .iter()
            .filter(|token| !token.text.starts_with("<<"))
            .collect();
        let local = |text: &str| {
            // Quotes around a source are removed by BuildKit (`ADD "file.tgz" /app/`).
            let text = text.trim_matches('"');
            !text.contains('$') && !is_remote(text) && !is_archive(text)
        };
        let Some(first) = sources.iter().find(|token| local(&token.text)) else {
            continue;
        };
        let mut diagnostic = context.report(
            &RULE.meta,
            first.span,
            format!(
                "`{}` is a local file or folder: use COPY instead of ADD.",
                first.text
            ),
        );
        let add_only = instruction.flags.iter().any(|flag| {
            matches!(
                flag.name.to_ascii_lowercase().as_str(),
                "checksum" | "keep-git-dir" | "unpack"
            )
        });
        if !add_only && sources.iter().all(|token| local(&token.text)) {
            let keyword = &instruction.keyword;
            let replacement = if keyword.text.chars().all(|c| c.is_ascii_lowercase()) {
                "copy"
            } else {
                "COPY"
            };
            diagnostic.fix = Some(Fix {
                message: "Replace ADD with COPY".into(),
                applicability: Applicability::Safe,
                edits: vec![Edit {
                    span: keyword.span,
                    replacement: replacement.into(),
                }],
            });
        }
        out.push(diagnostic);
    }
}
