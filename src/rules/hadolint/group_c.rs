//! hadolint rules, group C: layers and RUN hygiene (DL3059, DL3047, DL3060, DL3046, DL3062),
//! instruction placement and naming (DL3043, DL3044, DL3045, DL3048, DL3061, DL3063–DL3067),
//! the healthcheck policy (DL3057) and the label schema (DL3049–DL3058).

use crate::rules::Rule;

#[path = "group_c_shared.rs"]
mod group_c_shared;

#[path = "dl3043_onbuild_forbidden_trigger.rs"]
mod dl3043_onbuild_forbidden_trigger;
#[path = "dl3044_env_self_reference.rs"]
mod dl3044_env_self_reference;
#[path = "dl3045_copy_relative_no_workdir.rs"]
mod dl3045_copy_relative_no_workdir;
#[path = "dl3046_useradd_long_uid.rs"]
mod dl3046_useradd_long_uid;
#[path = "dl3047_wget_progress.rs"]
mod dl3047_wget_progress;
#[path = "dl3048_label_key_format.rs"]
mod dl3048_label_key_format;
#[path = "dl3049_label_missing.rs"]
mod dl3049_label_missing;
#[path = "dl3050_label_not_in_schema.rs"]
mod dl3050_label_not_in_schema;
#[path = "dl3051_label_empty.rs"]
mod dl3051_label_empty;
#[path = "dl3052_label_not_url.rs"]
mod dl3052_label_not_url;
#[path = "dl3053_label_not_rfc3339.rs"]
mod dl3053_label_not_rfc3339;
#[path = "dl3054_label_not_spdx.rs"]
mod dl3054_label_not_spdx;
#[path = "dl3055_label_not_git_hash.rs"]
mod dl3055_label_not_git_hash;
#[path = "dl3056_label_not_semver.rs"]
mod dl3056_label_not_semver;
#[path = "dl3057_healthcheck_missing.rs"]
mod dl3057_healthcheck_missing;
#[path = "dl3058_label_not_email.rs"]
mod dl3058_label_not_email;
#[path = "dl3059_consecutive_runs.rs"]
mod dl3059_consecutive_runs;
#[path = "dl3060_yarn_cache_not_cleaned.rs"]
mod dl3060_yarn_cache_not_cleaned;
#[path = "dl3061_instruction_before_from.rs"]
mod dl3061_instruction_before_from;
#[path = "dl3062_go_pin_versions.rs"]
mod dl3062_go_pin_versions;
#[path = "dl3063_reserved_stage_name.rs"]
mod dl3063_reserved_stage_name;
#[path = "dl3064_secret_in_arg_env.rs"]
mod dl3064_secret_in_arg_env;
#[path = "dl3065_redundant_target_platform.rs"]
mod dl3065_redundant_target_platform;
#[path = "dl3066_user_not_numeric.rs"]
mod dl3066_user_not_numeric;
#[path = "dl3067_copy_whole_filesystem.rs"]
mod dl3067_copy_whole_filesystem;

/// The rules of this group.
pub const RULES: &[Rule] = &[
    dl3043_onbuild_forbidden_trigger::RULE,
    dl3044_env_self_reference::RULE,
    dl3045_copy_relative_no_workdir::RULE,
    dl3046_useradd_long_uid::RULE,
    dl3047_wget_progress::RULE,
    dl3048_label_key_format::RULE,
    dl3049_label_missing::RULE,
    dl3050_label_not_in_schema::RULE,
    dl3051_label_empty::RULE,
    dl3052_label_not_url::RULE,
    dl3053_label_not_rfc3339::RULE,
    dl3054_label_not_spdx::RULE,
    dl3055_label_not_git_hash::RULE,
    dl3056_label_not_semver::RULE,
    dl3057_healthcheck_missing::RULE,
    dl3058_label_not_email::RULE,
    dl3059_consecutive_runs::RULE,
    dl3060_yarn_cache_not_cleaned::RULE,
    dl3061_instruction_before_from::RULE,
    dl3062_go_pin_versions::RULE,
    dl3063_reserved_stage_name::RULE,
    dl3064_secret_in_arg_env::RULE,
    dl3065_redundant_target_platform::RULE,
    dl3066_user_not_numeric::RULE,
    dl3067_copy_whole_filesystem::RULE,
];
