//! zypper: non-interactive installs, no dist-upgrade, version pins and cleaning the cache.

use super::check_fixtures;
use dlayer::rules::Settings;

#[test]
fn dl3034_zypper_non_interactive() {
    check_fixtures("DL3034", &Settings::default());
}

#[test]
fn dl3035_zypper_dist_upgrade() {
    check_fixtures("DL3035", &Settings::default());
}

#[test]
fn dl3036_zypper_clean() {
    check_fixtures("DL3036", &Settings::default());
}

#[test]
fn dl3037_zypper_pin_versions() {
    check_fixtures("DL3037", &Settings::default());
}
