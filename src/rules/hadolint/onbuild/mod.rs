//! ONBUILD: triggers that make no sense.

pub(super) mod dl3043_onbuild_forbidden_trigger;
