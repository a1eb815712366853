//! apk: version pins and `--no-cache`.

use super::check_fixtures;
use crate::rule_fixtures::lint;
use dlayer::rules::Settings;

#[test]
fn dl3018_apk_pin_versions() {
    check_fixtures("DL3018", &Settings::default());
}

#[test]
fn dl3019_apk_no_cache() {
    check_fixtures("DL3019", &Settings::default());
}

#[test]
fn spans_point_at_the_package_and_the_command() {
    let source = "FROM alpine:3.20\nRUN apk add curl\n";
    let (_, found) = lint(source, "DL3018", &Settings::default());
    assert_eq!(found[0].span.text(source), "curl");
    let (_, found) = lint(source, "DL3019", &Settings::default());
    assert_eq!(found[0].span.text(source), "apk add");
}
