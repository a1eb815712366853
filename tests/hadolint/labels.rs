//! LABEL and MAINTAINER: label key format and the label schema (required, known, typed labels).

use dlayer::rules::Settings;
use std::collections::BTreeMap;

use super::check_fixtures;
use crate::rule_fixtures::{fixtures, lint, source};

#[test]
fn dl3048_label_key_format() {
    check_fixtures("DL3048", &Settings::default());
}

#[test]
fn dl3049_label_missing() {
    check_fixtures("DL3049", &label_schema());
}

#[test]
fn dl3050_label_not_in_schema() {
    check_fixtures("DL3050", &label_schema());
}

#[test]
fn dl3051_label_empty() {
    check_fixtures("DL3051", &label_schema());
}

#[test]
fn dl3052_label_not_url() {
    check_fixtures("DL3052", &label_schema());
}

#[test]
fn dl3053_label_not_rfc3339() {
    check_fixtures("DL3053", &label_schema());
}

#[test]
fn dl3054_label_not_spdx() {
    check_fixtures("DL3054", &label_schema());
}

#[test]
fn dl3055_label_not_git_hash() {
    check_fixtures("DL3055", &label_schema());
}

#[test]
fn dl3056_label_not_semver() {
    check_fixtures("DL3056", &label_schema());
}

#[test]
fn dl3058_label_not_email() {
    check_fixtures("DL3058", &label_schema());
}

#[test]
fn dl4000_maintainer_deprecated() {
    check_fixtures("DL4000", &Settings::default());
}

/// The label schema the DL3049–DL3058 fixtures are written against, with strict labels.
fn label_schema() -> Settings {
    let label_schema: BTreeMap<String, String> = [
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
    Settings {
        label_schema,
        strict_labels: true,
        ..Settings::default()
    }
}

#[test]
fn schema_rules_need_a_schema() {
    for code in [
        "DL3049", "DL3050", "DL3051", "DL3052", "DL3053", "DL3054", "DL3055", "DL3056", "DL3058",
    ] {
        for name in fixtures(code) {
            let (_, found) = lint(&source(code, &name), code, &Settings::default());
            assert!(found.is_empty(), "{code}/{name}: fires without a schema");
        }
    }
}

#[test]
fn dl3050_needs_strict_labels() {
    let settings = Settings {
        strict_labels: false,
        ..label_schema()
    };
    for name in fixtures("DL3050") {
        let (_, found) = lint(&source("DL3050", &name), "DL3050", &settings);
        assert!(
            found.is_empty(),
            "DL3050/{name}: fires without strict labels"
        );
    }
}
