//! Suppression pragmas: hadolint's inline ignore.

use super::check_fixtures;
use dlayer::rules::Settings;

#[test]
fn dl1001_inline_ignore() {
    check_fixtures("DL1001", &Settings::default());
}

#[test]
fn dl1001_is_off_by_default() {
    let rule = dlayer::rules::find_rule("DL1001").unwrap();
    assert!(!rule.meta.default_enabled);
}
