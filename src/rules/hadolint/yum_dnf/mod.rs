//! yum, dnf and microdnf: `-y`, version pins and cleaning the package cache.

pub(super) mod dl3030_yum_assume_yes;
pub(super) mod dl3032_yum_clean_all;
pub(super) mod dl3033_yum_pin_versions;
pub(super) mod dl3038_dnf_assume_yes;
pub(super) mod dl3040_dnf_clean_all;
pub(super) mod dl3041_dnf_pin_versions;
