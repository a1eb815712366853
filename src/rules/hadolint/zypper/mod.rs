//! zypper: non-interactive installs, no dist-upgrade, version pins and cleaning the cache.

pub(super) mod dl3034_zypper_non_interactive;
pub(super) mod dl3035_zypper_dist_upgrade;
pub(super) mod dl3036_zypper_clean;
pub(super) mod dl3037_zypper_pin_versions;
