//! Shell habits in RUN: pointless commands, sudo, curl and wget together, wget's progress bar, consecutive RUNs, `ln /bin/sh` rather than SHELL, pipes without pipefail.

use super::check_fixtures;
use dlayer::rules::Settings;

#[test]
fn dl3001_pointless_command() {
    check_fixtures("DL3001", &Settings::default());
}

#[test]
fn dl3004_no_sudo() {
    check_fixtures("DL3004", &Settings::default());
}

#[test]
fn dl3047_wget_progress() {
    check_fixtures("DL3047", &Settings::default());
}

#[test]
fn dl3059_consecutive_runs() {
    check_fixtures("DL3059", &Settings::default());
}

#[test]
fn dl4001_curl_or_wget() {
    check_fixtures("DL4001", &Settings::default());
}

#[test]
fn dl4005_use_shell_instruction() {
    check_fixtures("DL4005", &Settings::default());
}

#[test]
fn dl4006_pipefail() {
    check_fixtures("DL4006", &Settings::default());
}
