//! ENV and ARG: self references, secrets in build arguments and environment.

use super::check_fixtures;
use dlayer::rules::Settings;

#[test]
fn dl3044_env_self_reference() {
    check_fixtures("DL3044", &Settings::default());
}

#[test]
fn dl3064_secret_in_arg_env() {
    check_fixtures("DL3064", &Settings::default());
}
