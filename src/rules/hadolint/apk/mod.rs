//! apk: version pins and `--no-cache`.

pub(super) mod dl3018_apk_pin_versions;
pub(super) mod dl3019_apk_no_cache;
