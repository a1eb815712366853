//! HEALTHCHECK: one per stage, and the optional policy that every image has one.

use super::check_fixtures;
use dlayer::rules::Settings;

#[test]
fn dl3012_single_healthcheck() {
    check_fixtures("DL3012", &Settings::default());
}

#[test]
fn dl3057_healthcheck_missing() {
    check_fixtures("DL3057", &Settings::default());
}
