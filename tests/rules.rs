//! The heavy-container rules on their fixtures in `testdata/rules/HC0NN/`.
//!
//! Every fixture is linted with the default settings. In `*.bad.Dockerfile` the rule of the
//! directory must fire: its findings are snapshotted as a readable listing (position, code,
//! severity, layer, message, the source text of the span, the fix). In `*.good.Dockerfile`
//! it must not fire at all. Every fix with edits is applied and must leave a file that parses
//! and has one finding fewer of that rule. A few key spans are asserted in code too.

mod rule_fixtures;

use std::fs;

use rule_fixtures::{apply, fixtures_dir};

use dlayer::model::{self, Options};
use dlayer::rules::{self, Diagnostic, Settings};
use dlayer::syntax::{self, Dockerfile, LineIndex, Span};

/// `(code, file name)` of every fixture, sorted.
fn fixtures() -> Vec<(String, String)> {
    let mut found = Vec::new();
    for dir in fs::read_dir(fixtures_dir()).unwrap() {
        let dir = dir.unwrap().path();
        let code = dir.file_name().unwrap().to_string_lossy().into_owned();
        // The hadolint rules' fixtures have their own suites.
        if !code.starts_with("HC") {
            continue;
        }
        for file in fs::read_dir(&dir).unwrap() {
            let name = file.unwrap().file_name().to_string_lossy().into_owned();
            if name.ends_with(".Dockerfile") {
                found.push((code.clone(), name));
            }
        }
    }
    found.sort();
    found
}

fn lint_source(source: &str) -> (Dockerfile, Vec<Diagnostic>) {
    let dockerfile = syntax::parse_bytes(source.as_bytes());
    let built = model::build(&dockerfile, &Options::default());
    let diagnostics = rules::lint(&dockerfile, &built, &Settings::default());
    (dockerfile, diagnostics)
}

/// The fixture's source and the findings of its directory's rule.
fn findings(code: &str, name: &str) -> (String, Dockerfile, Vec<Diagnostic>) {
    let source = fs::read_to_string(fixtures_dir().join(code).join(name)).unwrap();
    let (dockerfile, diagnostics) = lint_source(&source);
    let own = diagnostics
        .into_iter()
        .filter(|diagnostic| diagnostic.code == code)
        .collect();
    (source, dockerfile, own)
}

fn range(index: &LineIndex, source: &str, span: Span) -> String {
    let start = index.position(source, span.start);
    let end = index.position(source, span.end);
    format!(
        "{}:{}-{}:{}",
        start.line, start.column, end.line, end.column
    )
}

/// One block per finding: the header line, the span's text, the fix.
fn listing(source: &str, diagnostics: &[Diagnostic]) -> String {
    let index = LineIndex::new(source);
    let mut out = String::new();
    for diagnostic in diagnostics {
        out.push_str(&format!(
            "{} {} {} {} {}\n",
            range(&index, source, diagnostic.span),
            diagnostic.code,
            diagnostic.severity,
            diagnostic.layer.map_or("-", |layer| layer.as_str()),
            diagnostic.message
        ));
        for line in diagnostic.span.text(source).lines() {
            out.push_str(&format!("    | {line}\n"));
        }
        if let Some(fix) = &diagnostic.fix {
            out.push_str(&format!(
                "    fix ({:?}): {}\n",
                fix.applicability, fix.message
            ));
            for edit in &fix.edits {
                out.push_str(&format!(
                    "    edit {} {:?} -> {:?}\n",
                    range(&index, source, edit.span),
                    edit.span.text(source),
                    edit.replacement
                ));
            }
        }
    }
    out
}

#[test]
fn every_heavy_rule_has_positive_and_negative_fixtures() {
    let fixtures = fixtures();
    for rule in rules::RULES
        .iter()
        .filter(|rule| rule.meta.code.starts_with("HC"))
    {
        let code = rule.meta.code;
        let of_rule = |kind: &str| {
            fixtures
                .iter()
                .filter(|(dir, name)| dir == code && name.contains(kind))
                .count()
        };
        assert!(of_rule(".bad.") >= 1, "{code}: no *.bad.Dockerfile fixture");
        assert!(
            of_rule(".good.") >= 1,
            "{code}: no *.good.Dockerfile fixture"
        );
    }
}

#[test]
fn positives_match_their_snapshots() {
    for (code, name) in fixtures() {
        if !name.contains(".bad.") {
            continue;
        }
        let (source, _, own) = findings(&code, &name);
        assert!(!own.is_empty(), "{code}/{name}: {code} does not fire");
        let stem = name.trim_end_matches(".Dockerfile").replace('.', "_");
        insta::assert_snapshot!(format!("{code}_{stem}"), listing(&source, &own));
    }
}

#[test]
fn negatives_are_clean() {
    for (code, name) in fixtures() {
        if !name.contains(".good.") {
            continue;
        }
        let (source, _, own) = findings(&code, &name);
        assert!(
            own.is_empty(),
            "{code}/{name}: unexpected findings\n{}",
            listing(&source, &own)
        );
    }
}

#[test]
fn fixes_parse_and_remove_their_finding() {
    for (code, name) in fixtures() {
        let (source, _, own) = findings(&code, &name);
        for diagnostic in &own {
            let Some(fix) = &diagnostic.fix else { continue };
            if fix.edits.is_empty() {
                continue;
            }
            let fixed = apply(&source, diagnostic);
            let (dockerfile, after) = lint_source(&fixed);
            assert!(
                dockerfile.syntax_errors().is_empty(),
                "{code}/{name}: the fix breaks the file:\n{fixed}"
            );
            let before = own.len();
            let remaining = after.iter().filter(|d| d.code == code).count();
            assert_eq!(
                remaining,
                before - 1,
                "{code}/{name}: the fix at {:?} does not remove its finding:\n{fixed}",
                diagnostic.span
            );
        }
    }
}

/// The text of each finding's span.
fn span_texts(code: &str, name: &str) -> Vec<String> {
    let (source, _, own) = findings(code, name);
    own.iter()
        .map(|diagnostic| diagnostic.span.text(&source).to_string())
        .collect()
}

#[test]
fn key_spans_point_at_the_offending_words() {
    assert_eq!(
        span_texts("HC001", "debian_swap.bad.Dockerfile"),
        ["debian:12"]
    );
    assert_eq!(
        span_texts("HC001", "chain.bad.Dockerfile"),
        ["debian:bookworm"]
    );
    assert_eq!(
        span_texts("HC002", "sshd.bad.Dockerfile"),
        [
            "openssh-server",
            "/var/run/sshd",
            "22",
            "\"/usr/sbin/sshd\""
        ]
    );
    assert_eq!(
        span_texts("HC002", "service.bad.Dockerfile")
            .last()
            .unwrap(),
        "service ssh start"
    );
    assert_eq!(
        span_texts("HC003", "tini_supervisord.bad.Dockerfile"),
        ["supervisor", "\"supervisord\""]
    );
    assert_eq!(
        span_texts("HC003", "s6_overlay.bad.Dockerfile"),
        ["\"/init\""]
    );
    assert_eq!(
        span_texts("HC004", "busybox_crond.bad.Dockerfile"),
        ["\"crond\""]
    );
    assert_eq!(
        span_texts("HC005", "puppet_agent.bad.Dockerfile"),
        ["puppet-agent", "\"/opt/puppetlabs/bin/puppet\", \"agent\""]
    );
    // One finding for the RUN, at the first flagged package, naming them all.
    let (_, _, dev) = findings("HC006", "dev_tools.bad.Dockerfile");
    assert_eq!(dev.len(), 1);
    assert!(
        dev[0].message.starts_with("`vim`, `gcc` and `git`"),
        "{}",
        dev[0].message
    );
    assert_eq!(span_texts("HC006", "dev_tools.bad.Dockerfile"), ["vim"]);
    assert_eq!(
        span_texts("HC007", "kernel.bad.Dockerfile"),
        [
            "linux-image-generic",
            "grub-pc",
            "initramfs-tools",
            "update-initramfs"
        ]
    );
    assert_eq!(
        span_texts("HC009", "inline.bad.Dockerfile"),
        ["apt-get upgrade -y"]
    );
    assert_eq!(
        span_texts("HC010", "sprawl.bad.Dockerfile"),
        ["apt-get install -y --no-install-recommends php-fpm php-mysql"]
    );
    assert_eq!(span_texts("HC011", "make.bad.Dockerfile"), ["make"]);
    assert_eq!(
        span_texts("HC011", "npm_build.bad.Dockerfile"),
        ["npm run build"]
    );
    assert_eq!(
        span_texts("HC012", "keep_alive.bad.Dockerfile"),
        ["nginx && tail -f /dev/null"]
    );
}

#[test]
fn upgrade_fixes_keep_the_rest_of_the_script() {
    let fixed = |name: &str| -> Vec<String> {
        let (source, _, own) = findings("HC009", name);
        own.iter()
            .filter(|diagnostic| diagnostic.fix.as_ref().is_some_and(|f| !f.edits.is_empty()))
            .map(|diagnostic| apply(&source, diagnostic))
            .collect()
    };
    assert_eq!(
        fixed("inline.bad.Dockerfile")[0].lines().nth(1).unwrap(),
        "RUN apt-get update && apt-get install -y --no-install-recommends nginx"
    );
    assert!(fixed("leading_and.bad.Dockerfile")[0].contains(
        "RUN apt-get update \\\n && apt-get install -y --no-install-recommends nginx \\\n"
    ));
    assert!(
        fixed("trailing_and.bad.Dockerfile")[0]
            .contains("RUN yum -y install httpd && \\\n    yum clean all")
    );
    let last = fixed("last.bad.Dockerfile");
    assert!(
        last[0].contains("RUN apt-get update\nRUN set -eux;"),
        "{}",
        last[0]
    );
    assert!(last[1].contains("RUN set -eux; apt-get update; apt-get install -y curl\n"));
    assert!(last[2].contains("RUN apt-get update; apt-get clean\n"));
    let alone = fixed("alone.bad.Dockerfile");
    assert!(!alone[0].contains("apk upgrade"));
    assert!(!alone[2].contains("dnf"), "{}", alone[2]);
    assert!(!alone[4].contains("yum"), "{}", alone[4]);
    // Inside `if`, before `||`, in a pipeline, in a heredoc: flagged, no fix.
    let (_, _, own) = findings("HC009", "no_fix.bad.Dockerfile");
    assert_eq!(own.len(), 4);
    assert!(own.iter().all(|diagnostic| diagnostic.fix.is_none()));
}

#[test]
fn full_os_base_fix_applicability_follows_the_catalog() {
    use dlayer::rules::Applicability;
    let applicability = |name: &str| {
        let (_, _, own) = findings("HC001", name);
        own[0].fix.as_ref().unwrap().applicability
    };
    // Same distribution and package manager: an unsafe swap.
    assert_eq!(
        applicability("debian_swap.bad.Dockerfile"),
        Applicability::Unsafe
    );
    assert_eq!(
        applicability("python_full.bad.Dockerfile"),
        Applicability::Unsafe
    );
    // Another distribution, a multi-stage build, a variable: advice only.
    assert_eq!(
        applicability("ubuntu.bad.Dockerfile"),
        Applicability::DisplayOnly
    );
    assert_eq!(
        applicability("golang_final.bad.Dockerfile"),
        Applicability::DisplayOnly
    );
    assert_eq!(
        applicability("variable.bad.Dockerfile"),
        Applicability::DisplayOnly
    );
}

#[test]
fn install_sprawl_limit_comes_from_the_settings() {
    let source = fs::read_to_string(fixtures_dir().join("HC010/sprawl.bad.Dockerfile")).unwrap();
    let dockerfile = syntax::parse_bytes(source.as_bytes());
    let built = model::build(&dockerfile, &Options::default());
    let count = |limit: usize| {
        let settings = Settings {
            max_install_runs: limit,
            ..Settings::default()
        };
        rules::lint(&dockerfile, &built, &settings)
            .into_iter()
            .filter(|diagnostic| diagnostic.code == "HC010")
            .count()
    };
    assert_eq!(count(3), 1);
    assert_eq!(count(4), 0);
}

#[test]
fn heavy_rule_docs_have_every_section() {
    for rule in rules::RULES
        .iter()
        .filter(|rule| rule.meta.code.starts_with("HC"))
    {
        let doc = rule.meta.doc;
        let title = format!("# {} {}\n", rule.meta.code, rule.meta.name);
        assert!(doc.starts_with(&title), "{}: title", rule.meta.code);
        for section in [
            "**What it flags.**",
            "**Why.**",
            "**Example.**",
            "**Fix.**",
            "**Fix safety.**",
            "**References.**",
        ] {
            assert!(doc.contains(section), "{}: no {section}", rule.meta.code);
        }
    }
}
