//! gem: version pins.

use super::check_fixtures;
use dlayer::rules::Settings;

#[test]
fn dl3028_gem_pin_versions() {
    check_fixtures("DL3028", &Settings::default());
}
