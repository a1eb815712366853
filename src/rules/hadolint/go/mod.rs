//! go install/get/run: module versions.

pub(super) mod dl3062_go_pin_versions;
