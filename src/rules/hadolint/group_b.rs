//! hadolint rules, group B: apk, yum, dnf, zypper, gem and pip package rules, ADD/COPY,
//! stage references, CMD/ENTRYPOINT form, FROM registry and platform.

use crate::rules::Rule;

#[path = "dl3018_apk_pin_versions.rs"]
mod dl3018_apk_pin_versions;
#[path = "dl3019_apk_no_cache.rs"]
mod dl3019_apk_no_cache;
#[path = "dl3020_use_copy_not_add.rs"]
mod dl3020_use_copy_not_add;
#[path = "dl3021_copy_dest_not_dir.rs"]
mod dl3021_copy_dest_not_dir;
#[path = "dl3022_copy_from_unknown_stage.rs"]
mod dl3022_copy_from_unknown_stage;
#[path = "dl3023_copy_from_own_stage.rs"]
mod dl3023_copy_from_own_stage;
#[path = "dl3024_duplicate_stage_name.rs"]
mod dl3024_duplicate_stage_name;
#[path = "dl3025_json_cmd_entrypoint.rs"]
mod dl3025_json_cmd_entrypoint;
#[path = "dl3026_untrusted_registry.rs"]
mod dl3026_untrusted_registry;
#[path = "dl3027_apt_not_apt_get.rs"]
mod dl3027_apt_not_apt_get;
#[path = "dl3028_gem_pin_versions.rs"]
mod dl3028_gem_pin_versions;
#[path = "dl3029_from_platform_flag.rs"]
mod dl3029_from_platform_flag;
#[path = "dl3030_yum_assume_yes.rs"]
mod dl3030_yum_assume_yes;
#[path = "dl3032_yum_clean_all.rs"]
mod dl3032_yum_clean_all;
#[path = "dl3033_yum_pin_versions.rs"]
mod dl3033_yum_pin_versions;
#[path = "dl3034_zypper_non_interactive.rs"]
mod dl3034_zypper_non_interactive;
#[path = "dl3035_zypper_dist_upgrade.rs"]
mod dl3035_zypper_dist_upgrade;
#[path = "dl3036_zypper_clean.rs"]
mod dl3036_zypper_clean;
#[path = "dl3037_zypper_pin_versions.rs"]
mod dl3037_zypper_pin_versions;
#[path = "dl3038_dnf_assume_yes.rs"]
mod dl3038_dnf_assume_yes;
#[path = "dl3040_dnf_clean_all.rs"]
mod dl3040_dnf_clean_all;
#[path = "dl3041_dnf_pin_versions.rs"]
mod dl3041_dnf_pin_versions;
#[path = "dl3042_pip_no_cache_dir.rs"]
mod dl3042_pip_no_cache_dir;
#[path = "group_b_shared.rs"]
mod group_b_shared;

/// The rules of this group.
pub const RULES: &[Rule] = &[
    dl3018_apk_pin_versions::RULE,
    dl3019_apk_no_cache::RULE,
    dl3020_use_copy_not_add::RULE,
    dl3021_copy_dest_not_dir::RULE,
    dl3022_copy_from_unknown_stage::RULE,
    dl3023_copy_from_own_stage::RULE,
    dl3024_duplicate_stage_name::RULE,
    dl3025_json_cmd_entrypoint::RULE,
    dl3026_untrusted_registry::RULE,
    dl3027_apt_not_apt_get::RULE,
    dl3028_gem_pin_versions::RULE,
    dl3029_from_platform_flag::RULE,
    dl3030_yum_assume_yes::RULE,
    dl3032_yum_clean_all::RULE,
    dl3033_yum_pin_versions::RULE,
    dl3034_zypper_non_interactive::RULE,
    dl3035_zypper_dist_upgrade::RULE,
    dl3036_zypper_clean::RULE,
    dl3037_zypper_pin_versions::RULE,
    dl3038_dnf_assume_yes::RULE,
    dl3040_dnf_clean_all::RULE,
    dl3041_dnf_pin_versions::RULE,
    dl3042_pip_no_cache_dir::RULE,
];
