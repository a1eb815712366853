//! pip: version pins and `--no-cache-dir`.

use super::check_fixtures;
use dlayer::rules::Settings;

#[test]
fn dl3013_pip_pin_versions() {
    check_fixtures("DL3013", &Settings::default());
}

#[test]
fn dl3042_pip_no_cache_dir() {
    check_fixtures("DL3042", &Settings::default());
}
