//! LABEL and MAINTAINER: label key format and the label schema (required, known, typed labels).

pub(super) mod dl3048_label_key_format;
pub(super) mod dl3049_label_missing;
pub(super) mod dl3050_label_not_in_schema;
pub(super) mod dl3051_label_empty;
pub(super) mod dl3052_label_not_url;
pub(super) mod dl3053_label_not_rfc3339;
pub(super) mod dl3054_label_not_spdx;
pub(super) mod dl3055_label_not_git_hash;
pub(super) mod dl3056_label_not_semver;
pub(super) mod dl3058_label_not_email;
pub(super) mod dl4000_maintainer_deprecated;
