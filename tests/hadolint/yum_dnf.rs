//! yum, dnf and microdnf: `-y`, version pins and cleaning the package cache.

use super::check_fixtures;
use dlayer::rules::Settings;

#[test]
fn dl3030_yum_assume_yes() {
    check_fixtures("DL3030", &Settings::default());
}

#[test]
fn dl3032_yum_clean_all() {
    check_fixtures("DL3032", &Settings::default());
}

#[test]
fn dl3033_yum_pin_versions() {
    check_fixtures("DL3033", &Settings::default());
}

#[test]
fn dl3038_dnf_assume_yes() {
    check_fixtures("DL3038", &Settings::default());
}

#[test]
fn dl3040_dnf_clean_all() {
    check_fixtures("DL3040", &Settings::default());
}

#[test]
fn dl3041_dnf_pin_versions() {
    check_fixtures("DL3041", &Settings::default());
}
