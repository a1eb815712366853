//! WORKDIR: absolute paths, and WORKDIR rather than `cd`.

use super::check_fixtures;
use dlayer::rules::Settings;

#[test]
fn dl3000_absolute_workdir() {
    check_fixtures("DL3000", &Settings::default());
}

#[test]
fn dl3003_use_workdir() {
    check_fixtures("DL3003", &Settings::default());
}
