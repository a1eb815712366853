//! npm and yarn: version pins and the yarn cache.

use super::check_fixtures;
use dlayer::rules::Settings;

#[test]
fn dl3016_npm_pin_versions() {
    check_fixtures("DL3016", &Settings::default());
}

#[test]
fn dl3060_yarn_cache_not_cleaned() {
    check_fixtures("DL3060", &Settings::default());
}
