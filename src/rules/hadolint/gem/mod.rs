//! gem: version pins.

pub(super) mod dl3028_gem_pin_versions;
