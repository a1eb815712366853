//! HEALTHCHECK: one per stage, and the optional policy that every image has one.

pub(super) mod dl3012_single_healthcheck;
pub(super) mod dl3057_healthcheck_missing;
