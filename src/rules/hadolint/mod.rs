//! hadolint-compatible rules (`DL1001`, `DL3xxx`, `DL4xxx`): same codes, default severities and
//! meaning as hadolint 2.15, written on dlayer's model. One file per rule, in a module per
//! topic: the package manager (apt, apk, yum/dnf, zypper, pip, npm/yarn, gem, go), the
//! instruction (FROM, COPY/ADD, USER, WORKDIR, EXPOSE, CMD/ENTRYPOINT, HEALTHCHECK, LABEL,
//! ENV/ARG, ONBUILD), shell habits in RUN, and pragmas.

use crate::rules::Rule;

mod apk;
pub(crate) mod apt;
mod cmd_entrypoint;
mod commands;
mod copy_add;
mod env_arg;
mod expose;
mod from;
mod gem;
mod go;
mod healthcheck;
mod instructions;
mod labels;
mod npm_yarn;
mod onbuild;
mod package_cache;
mod package_operands;
mod pip;
mod pragmas;
pub(crate) mod runs;
mod shell_habits;
mod user;
mod workdir;
mod yum_dnf;
mod zypper;

pub(crate) use shell_habits::dl3059_consecutive_runs::same_flags;

/// Every hadolint rule, in code order.
pub const RULES: &[Rule] = &[
    pragmas::dl1001_inline_ignore::RULE,
    workdir::dl3000_absolute_workdir::RULE,
    shell_habits::dl3001_pointless_command::RULE,
    user::dl3002_last_user_root::RULE,
    workdir::dl3003_use_workdir::RULE,
    shell_habits::dl3004_no_sudo::RULE,
    from::dl3006_untagged_image::RULE,
    from::dl3007_latest_tag::RULE,
    apt::dl3008_apt_pin_versions::RULE,
    apt::dl3009_apt_lists_not_removed::RULE,
    copy_add::dl3010_add_extracts_archives::RULE,
    expose::dl3011_valid_port::RULE,
    healthcheck::dl3012_single_healthcheck::RULE,
    pip::dl3013_pip_pin_versions::RULE,
    apt::dl3014_apt_assume_yes::RULE,
    apt::dl3015_apt_no_install_recommends::RULE,
    npm_yarn::dl3016_npm_pin_versions::RULE,
    apk::dl3018_apk_pin_versions::RULE,
    apk::dl3019_apk_no_cache::RULE,
    copy_add::dl3020_use_copy_not_add::RULE,
    copy_add::dl3021_copy_dest_not_dir::RULE,
    copy_add::dl3022_copy_from_unknown_stage::RULE,
    copy_add::dl3023_copy_from_own_stage::RULE,
    from::dl3024_duplicate_stage_name::RULE,
    cmd_entrypoint::dl3025_json_cmd_entrypoint::RULE,
    from::dl3026_untrusted_registry::RULE,
    apt::dl3027_apt_not_apt_get::RULE,
    gem::dl3028_gem_pin_versions::RULE,
    from::dl3029_from_platform_flag::RULE,
    yum_dnf::dl3030_yum_assume_yes::RULE,
    yum_dnf::dl3032_yum_clean_all::RULE,
    yum_dnf::dl3033_yum_pin_versions::RULE,
    zypper::dl3034_zypper_non_interactive::RULE,
    zypper::dl3035_zypper_dist_upgrade::RULE,
    zypper::dl3036_zypper_clean::RULE,
    zypper::dl3037_zypper_pin_versions::RULE,
    yum_dnf::dl3038_dnf_assume_yes::RULE,
    yum_dnf::dl3040_dnf_clean_all::RULE,
    yum_dnf::dl3041_dnf_pin_versions::RULE,
    pip::dl3042_pip_no_cache_dir::RULE,
    onbuild::dl3043_onbuild_forbidden_trigger::RULE,
    env_arg::dl3044_env_self_reference::RULE,
    copy_add::dl3045_copy_relative_no_workdir::RULE,
    user::dl3046_useradd_long_uid::RULE,
    shell_habits::dl3047_wget_progress::RULE,
    labels::dl3048_label_key_format::RULE,
    labels::dl3049_label_missing::RULE,
    labels::dl3050_label_not_in_schema::RULE,
    labels::dl3051_label_empty::RULE,
    labels::dl3052_label_not_url::RULE,
    labels::dl3053_label_not_rfc3339::RULE,
    labels::dl3054_label_not_spdx::RULE,
    labels::dl3055_label_not_git_hash::RULE,
    labels::dl3056_label_not_semver::RULE,
    healthcheck::dl3057_healthcheck_missing::RULE,
    labels::dl3058_label_not_email::RULE,
    shell_habits::dl3059_consecutive_runs::RULE,
    npm_yarn::dl3060_yarn_cache_not_cleaned::RULE,
    from::dl3061_instruction_before_from::RULE,
    go::dl3062_go_pin_versions::RULE,
    from::dl3063_reserved_stage_name::RULE,
    env_arg::dl3064_secret_in_arg_env::RULE,
    from::dl3065_redundant_target_platform::RULE,
    user::dl3066_user_not_numeric::RULE,
    copy_add::dl3067_copy_whole_filesystem::RULE,
    labels::dl4000_maintainer_deprecated::RULE,
    shell_habits::dl4001_curl_or_wget::RULE,
    cmd_entrypoint::dl4003_single_cmd::RULE,
    cmd_entrypoint::dl4004_single_entrypoint::RULE,
    shell_habits::dl4005_use_shell_instruction::RULE,
    shell_habits::dl4006_pipefail::RULE,
];
