//! Group C hadolint rules: every `testdata/rules/<CODE>/*.bad.Dockerfile` fires its rule (the
//! findings are snapshotted), every `*.good.Dockerfile` does not; fixes re-parse and remove
//! their finding.

mod rule_fixtures;

use std::collections::BTreeMap;
use std::path::PathBuf;

use dlayer::fix::{FixOptions, apply_pass};
use dlayer::rules::{Diagnostic, Settings};
use dlayer::syntax::LineIndex;

const CODES: &[&str] = &[
    "DL3043", "DL3044", "DL3045", "DL3046", "DL3047", "DL3048", "DL3049", "DL3050", "DL3051",
    "DL3052", "DL3053", "DL3054", "DL3055", "DL3056", "DL3057", "DL3058", "DL3059", "DL3060",
    "DL3061", "DL3062", "DL3063", "DL3064", "DL3065", "DL3066", "DL3067",
];

/// The label schema the DL3049–DL3058 fixtures are written against.
fn settings(code: &str) -> Settings {
    let mut settings = Settings::default();
    if ("DL3049"..="DL3058").contains(&code) && code != "DL3057" {
        let schema: BTreeMap<String, String> = [
            ("org.opencontainers.image.title", "text"),
            ("org.opencontainers.image.source", "url"),
            ("org.opencontainers.image.created", "rfc3339"),
            ("org.opencontainers.image.licenses", "spdx"),
            ("org.opencontainers.image.revision", "hash"),
            ("org.opencontainers.image.version", "semver"),
            ("org.opencontainers.image.authors", "email"),
        ]
        .into_iter()
        .map(|(key, kind)| (key.to_string(), kind.to_string()))
        .collect();
        settings.label_schema = schema;
        settings.strict_labels = true;
    }
    settings
}

fn lint(text: &str, code: &str) -> Vec<Diagnostic> {
    rule_fixtures::lint(text, code, &settings(code)).1
}

fn fixtures(code: &str) -> Vec<PathBuf> {
    let dir = rule_fixtures::fixtures_dir().join(code);
    rule_fixtures::fixtures(code)
        .into_iter()
        .map(|name| dir.join(name))
        .collect()
}

fn listing(text: &str, diagnostics: &[Diagnostic]) -> String {
    let index = LineIndex::new(text);
    let mut out = String::new();
    for diagnostic in diagnostics {
        let position = index.position(text, diagnostic.span.start);
        out.push_str(&format!(
            "{}:{} {} {} {}\n    span: `{}`\n",
            position.line,
            position.column,
            diagnostic.code,
            diagnostic.severity,
            diagnostic.message,
            diagnostic.span.text(text),
        ));
        if let Some(fix) = &diagnostic.fix {
            out.push_str(&format!(
                "    fix ({:?}): {}\n",
                fix.applicability, fix.message
            ));
        }
    }
    out
}

#[test]
fn bad_fixtures_fire_and_good_ones_do_not() {
    for code in CODES {
        let files = fixtures(code);
        assert!(
            files
                .iter()
                .any(|f| f.to_string_lossy().ends_with(".bad.Dockerfile")),
            "{code}: no bad fixture"
        );
        assert!(
            files
                .iter()
                .any(|f| f.to_string_lossy().ends_with(".good.Dockerfile")),
            "{code}: no good fixture"
        );
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            let found = lint(&text, code);
            let name = file.file_name().unwrap().to_string_lossy().to_string();
            if name.ends_with(".bad.Dockerfile") {
                assert!(!found.is_empty(), "{code}: {name} does not fire");
                let stem = name.trim_end_matches(".bad.Dockerfile");
                insta::assert_snapshot!(format!("{code}_{stem}"), listing(&text, &found));
            } else {
                assert!(
                    found.is_empty(),
                    "{code}: {name} fires:\n{}",
                    listing(&text, &found)
                );
            }
        }
    }
}

#[test]
fn fixes_reparse_and_remove_the_finding() {
    for code in ["DL3047", "DL3048", "DL3059", "DL3060"] {
        for file in fixtures(code) {
            let name = file.file_name().unwrap().to_string_lossy().to_string();
            if !name.ends_with(".bad.Dockerfile") {
                continue;
            }
            let mut text = std::fs::read_to_string(&file).unwrap();
            let mut fixed_any = false;
            for _ in 0..10 {
                let found = lint(&text, code);
                let (next, chosen) = apply_pass(&text, &found, FixOptions { unsafe_fixes: true });
                if chosen.is_empty() {
                    break;
                }
                fixed_any = true;
                text = next;
                let dockerfile = dlayer::syntax::parse_bytes(text.as_bytes());
                assert!(
                    dockerfile.syntax_errors().is_empty(),
                    "{code}: {name}: the fix broke the file:\n{text}"
                );
            }
            if !fixed_any {
                continue;
            }
            let left: Vec<Diagnostic> = lint(&text, code)
                .into_iter()
                .filter(|diagnostic| diagnostic.fix.is_some())
                .collect();
            assert!(
                left.is_empty(),
                "{code}: {name}: fixable findings left after fixing:\n{text}"
            );
            let stem = name.trim_end_matches(".bad.Dockerfile");
            insta::assert_snapshot!(format!("{code}_{stem}_fixed"), text);
        }
    }
}

#[test]
fn label_rules_need_a_schema() {
    for code in [
        "DL3049", "DL3050", "DL3051", "DL3052", "DL3053", "DL3054", "DL3055", "DL3056", "DL3058",
    ] {
        for file in fixtures(code) {
            let text = std::fs::read_to_string(&file).unwrap();
            let dockerfile = dlayer::syntax::parse_bytes(text.as_bytes());
            let model = dlayer::model::build(&dockerfile, &dlayer::model::Options::default());
            let found: Vec<Diagnostic> =
                dlayer::rules::lint(&dockerfile, &model, &Settings::default())
                    .into_iter()
                    .filter(|diagnostic| diagnostic.code == code)
                    .collect();
            assert!(found.is_empty(), "{code}: fires without a schema");
        }
    }
    // DL3050 also needs strict labels.
    let mut settings = settings("DL3050");
    settings.strict_labels = false;
    for file in fixtures("DL3050") {
        let text = std::fs::read_to_string(&file).unwrap();
        let dockerfile = dlayer::syntax::parse_bytes(text.as_bytes());
        let model = dlayer::model::build(&dockerfile, &dlayer::model::Options::default());
        assert!(
            !dlayer::rules::lint(&dockerfile, &model, &settings)
                .iter()
                .any(|diagnostic| diagnostic.code == "DL3050")
        );
    }
}
