//! apt-get and apt: version pins, `-y`, `--no-install-recommends`, removing the package lists, apt-get rather than apt.

use super::check_fixtures;
use dlayer::rules::Settings;

#[test]
fn dl3008_apt_pin_versions() {
    check_fixtures("DL3008", &Settings::default());
}

#[test]
fn dl3009_apt_lists_not_removed() {
    check_fixtures("DL3009", &Settings::default());
}

#[test]
fn dl3014_apt_assume_yes() {
    check_fixtures("DL3014", &Settings::default());
}

#[test]
fn dl3015_apt_no_install_recommends() {
    check_fixtures("DL3015", &Settings::default());
}

#[test]
fn dl3027_apt_not_apt_get() {
    check_fixtures("DL3027", &Settings::default());
}
