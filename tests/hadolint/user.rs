//! USER and user accounts: the last user root, numeric users, long UIDs.

use super::check_fixtures;
use dlayer::rules::Settings;

#[test]
fn dl3002_last_user_root() {
    check_fixtures("DL3002", &Settings::default());
}

#[test]
fn dl3046_useradd_long_uid() {
    check_fixtures("DL3046", &Settings::default());
}

#[test]
fn dl3066_user_not_numeric() {
    check_fixtures("DL3066", &Settings::default());
}
