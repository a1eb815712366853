//! ONBUILD: triggers that make no sense.

use super::check_fixtures;
use dlayer::rules::Settings;

#[test]
fn dl3043_onbuild_forbidden_trigger() {
    check_fixtures("DL3043", &Settings::default());
}
