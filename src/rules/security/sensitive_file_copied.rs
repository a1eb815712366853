//! SEC007 sensitive-file-copied: COPY or ADD of credentials or repository metadata into the
//! image: `.git`, `.env` (not `.env.example`-style templates), SSH private keys (`id_rsa`,
//! `id_ed25519`...), private keys and key stores (`*.key`, `*.p12`, `*.pfx`, a `*.pem` named
//! as a key; not public keys named so: `*.gpg.key`, `*-pub.pem`, certificates), `.npmrc`, `.pypirc`, `.netrc`, `.git-credentials`, `.aws/credentials`,
//! `.docker/config.json`, `.ssh`.
//!
//! Also `COPY . …` when the build context (`dlayer lint --context`, default the Dockerfile's
//! directory) holds such a file at its root and its `.dockerignore` does not leave it out.
//! Layers keep every file ever copied, even if a later RUN deletes it. Reported at the source.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::{Arguments, Keyword};

use crate::rules::buildkit::dockerignore::clean;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "SEC007",
        name: "sensitive-file-copied",
        severity: Severity::Warning,
        family: Family::Security,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "credentials or repository metadata copied into the image",
        doc: include_str!("../../../rules/SEC007.md"),
    },
    check,
};

/// Names at a context root that `COPY .` would take along: looked up by the linter.
pub const CONTEXT_ROOT_NAMES: [&str; 10] = [
    ".git",
    ".env",
    ".npmrc",
    ".pypirc",
    ".netrc",
    ".git-credentials",
    ".ssh",
    ".aws",
    "id_rsa",
    "id_ed25519",
];

/// What a copied path holds, when it is sensitive.
pub fn sensitive(path: &str) -> Option<&'static str> {
    let path = path.trim_end_matches('/');
    let name = path.rsplit('/').next().unwrap_or(path);
    if !may_be_sensitive(name) {
        return None;
    }
    let name = name.to_ascii_lowercase();
    // Asked only by the arms that need them (most paths match none).
    let template = || {
        [
            ".example",
            ".sample",
            ".template",
            ".dist",
            ".defaults",
            ".tpl",
        ]
        .iter()
        .any(|suffix| name.ends_with(suffix))
    };
    // Public halves: signing keys to trust, certificates.
    let public = || {
        ["gpg", "pgp", "pub", "public", ".asc", "cert", ".crt"]
            .iter()
            .any(|part| name.contains(part))
    };
    let ends_with = |suffix: &str| path.to_ascii_lowercase().ends_with(suffix);
    Some(match name.as_str() {
        ".git" => "the git repository (history, remotes, maybe credentials)",
        ".env" => "an environment file (usually secrets)",
        n if n.starts_with(".env.") && !template() => "an environment file (usually secrets)",
        "id_rsa" | "id_dsa" | "id_ecdsa" | "id_ed25519" => "an SSH private key",
        ".ssh" => "SSH keys",
        ".npmrc" => "npm credentials",
        ".pypirc" => "PyPI credentials",
        ".netrc" => "login credentials",
        ".git-credentials" => "git credentials",
        ".dockercfg" => "registry credentials",
        "credentials" if ends_with(".aws/credentials") => "AWS credentials",
        "config.json" if ends_with(".docker/config.json") => "registry credentials",
        n if (n.ends_with(".key") || n.ends_with(".p12") || n.ends_with(".pfx"))
            && !template()
            && !public() =>
        {
            "a private key"
        }
        n if n.ends_with(".pem") && (n.contains("key") || n.contains("priv")) && !public() => {
            "a private key"
        }
        _ => return None,
    })
}

/// Whether the file name `name` can be one [`sensitive`] knows, read without a lowercase
/// copy: every name it knows starts with `.`, `i` or `c`, or ends with one of the extensions
/// it knows, in any case (lowercasing changes neither a byte's place nor a `.`). Most copied
/// paths are none.
fn may_be_sensitive(name: &str) -> bool {
    let bytes = name.as_bytes();
    matches!(bytes.first(), Some(b'.' | b'i' | b'I' | b'c' | b'C'))
        || bytes.len() >= 4
            && [".key", ".p12", ".pfx", ".pem"].iter().any(|extension| {
                bytes[bytes.len() - 4..].eq_ignore_ascii_case(extension.as_bytes())
            })
}

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for instruction in context.instructions_of_any([Keyword::Copy, Keyword::Add]) {
        if instruction.flags.iter().any(|flag| flag.name == "from") {
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
            if source.text.contains("://") || source.text.starts_with("<<") {
                continue;
            }
            let what = match sensitive(&source.text) {
                Some(what) => Some(format!("`{}` is {what}", source.text)),
                None if clean(&source.text) == "." => context_root_secret(context),
                None => None,
            };
            if let Some(what) = what {
                out.push(context.report(
                    &RULE.meta,
                    source.span,
                    format!(
                        "{what}: it stays in the image's layers for anyone who pulls it; leave it \
                         out (`.dockerignore`) or use a build secret (`RUN --mount=type=secret`)"
                    ),
                ));
            }
        }
    }
}

/// A sensitive file at the build context's root that `COPY .` takes along.
fn context_root_secret(context: &LintContext<'_>) -> Option<String> {
    let ignore = context.build.dockerignore.as_ref();
    let name = context
        .build
        .context_root_files
        .iter()
        .find(|name| ignore.is_none_or(|ignore| !ignore.ignores(name)))?;
    let what = sensitive(name).unwrap_or("sensitive");
    Some(format!(
        "the build context holds `{name}` ({what}), which no `.dockerignore` pattern leaves out, \
         and this copies the whole context"
    ))
}

#[cfg(test)]
mod tests {
    use super::{CONTEXT_ROOT_NAMES, sensitive};

    /// [`sensitive`] passes over names by their first byte and extension: every name and
    /// kind of name it knows must get past that, in any case.
    #[test]
    fn every_sensitive_name_is_found_in_any_case() {
        // The names at a context root (`.aws` is a directory: the file in it is named below),
        // and names of every other kind `sensitive` knows.
        let roots = CONTEXT_ROOT_NAMES
            .into_iter()
            .filter(|name| *name != ".aws");
        let others = [
            ".env.production",
            "id_dsa",
            "id_ecdsa",
            ".dockercfg",
            "home/.aws/credentials",
            "root/.docker/config.json",
            "server.key",
            "bundle.p12",
            "store.pfx",
            "private-key.pem",
            "tls.PRIV.pem",
        ];
        let names = roots.chain(others);
        for name in names {
            assert!(sensitive(name).is_some(), "{name}");
            let upper = name.to_ascii_uppercase();
            assert!(sensitive(&upper).is_some(), "{upper}");
            assert!(sensitive(&format!("app/{name}/")).is_some(), "{name}");
        }
        assert!(sensitive("main.go").is_none());
        assert!(sensitive(".env.example").is_none());
        assert!(sensitive("public.key").is_none());
    }
}
