//! apt-get and apt: version pins, `-y`, `--no-install-recommends`, removing the package lists, apt-get rather than apt.

pub(super) mod dl3008_apt_pin_versions;
pub(super) mod dl3009_apt_lists_not_removed;
pub(super) mod dl3014_apt_assume_yes;
pub(super) mod dl3015_apt_no_install_recommends;
pub(super) mod dl3027_apt_not_apt_get;
