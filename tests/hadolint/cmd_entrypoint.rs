//! CMD and ENTRYPOINT: the exec (JSON) form, one of each per stage.

use super::check_fixtures;
use dlayer::rules::Settings;

#[test]
fn dl3025_json_cmd_entrypoint() {
    check_fixtures("DL3025", &Settings::default());
}

#[test]
fn dl4003_single_cmd() {
    check_fixtures("DL4003", &Settings::default());
}

#[test]
fn dl4004_single_entrypoint() {
    check_fixtures("DL4004", &Settings::default());
}
