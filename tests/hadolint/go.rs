//! go install/get/run: module versions.

use super::check_fixtures;
use dlayer::rules::Settings;

#[test]
fn dl3062_go_pin_versions() {
    check_fixtures("DL3062", &Settings::default());
}
