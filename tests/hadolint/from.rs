//! FROM: image tags, registries, `--platform`, stage names, and what comes before the first FROM.

use super::check_fixtures;
use dlayer::rules::Settings;

#[test]
fn dl3006_untagged_image() {
    check_fixtures("DL3006", &Settings::default());
}

#[test]
fn dl3007_latest_tag() {
    check_fixtures("DL3007", &Settings::default());
}

#[test]
fn dl3024_duplicate_stage_name() {
    check_fixtures("DL3024", &Settings::default());
}

#[test]
fn dl3026_untrusted_registry() {
    check_fixtures("DL3026", &trusted_registries());
}

#[test]
fn dl3029_from_platform_flag() {
    check_fixtures("DL3029", &Settings::default());
}

#[test]
fn dl3061_instruction_before_from() {
    check_fixtures("DL3061", &Settings::default());
}

#[test]
fn dl3063_reserved_stage_name() {
    check_fixtures("DL3063", &Settings::default());
}

#[test]
fn dl3065_redundant_target_platform() {
    check_fixtures("DL3065", &Settings::default());
}

/// The registries DL3026's fixtures trust.
fn trusted_registries() -> Settings {
    Settings {
        trusted_registries: vec!["docker.io".into(), "*.corp.example.com".into()],
        ..Settings::default()
    }
}
