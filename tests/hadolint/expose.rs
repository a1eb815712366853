//! EXPOSE: valid ports.

use super::check_fixtures;
use dlayer::rules::Settings;

#[test]
fn dl3011_valid_port() {
    check_fixtures("DL3011", &Settings::default());
}
