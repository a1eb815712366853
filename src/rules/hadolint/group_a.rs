//! hadolint rules, group A: apt-get, pip and npm installs, FROM tags, USER, WORKDIR, EXPOSE,
//! repeated CMD/ENTRYPOINT/HEALTHCHECK, shell habits (cd, sudo, pipes, ln /bin/sh),
//! MAINTAINER and inline ignore pragmas.

use crate::rules::Rule;

#[path = "group_a_shared.rs"]
mod group_a_shared;

#[path = "dl1001_inline_ignore.rs"]
mod dl1001_inline_ignore;
#[path = "dl3000_absolute_workdir.rs"]
mod dl3000_absolute_workdir;
#[path = "dl3001_pointless_command.rs"]
mod dl3001_pointless_command;
#[path = "dl3002_last_user_root.rs"]
mod dl3002_last_user_root;
#[path = "dl3003_use_workdir.rs"]
mod dl3003_use_workdir;
#[path = "dl3004_no_sudo.rs"]
mod dl3004_no_sudo;
#[path = "dl3006_untagged_image.rs"]
mod dl3006_untagged_image;
#[path = "dl3007_latest_tag.rs"]
mod dl3007_latest_tag;
#[path = "dl3008_apt_pin_versions.rs"]
mod dl3008_apt_pin_versions;
#[path = "dl3009_apt_lists_not_removed.rs"]
mod dl3009_apt_lists_not_removed;
#[path = "dl3010_add_extracts_archives.rs"]
mod dl3010_add_extracts_archives;
#[path = "dl3011_valid_port.rs"]
mod dl3011_valid_port;
#[path = "dl3012_single_healthcheck.rs"]
mod dl3012_single_healthcheck;
#[path = "dl3013_pip_pin_versions.rs"]
mod dl3013_pip_pin_versions;
#[path = "dl3014_apt_assume_yes.rs"]
mod dl3014_apt_assume_yes;
#[path = "dl3015_apt_no_install_recommends.rs"]
mod dl3015_apt_no_install_recommends;
#[path = "dl3016_npm_pin_versions.rs"]
mod dl3016_npm_pin_versions;
#[path = "dl4000_maintainer_deprecated.rs"]
mod dl4000_maintainer_deprecated;
#[path = "dl4001_curl_or_wget.rs"]
mod dl4001_curl_or_wget;
#[path = "dl4003_single_cmd.rs"]
mod dl4003_single_cmd;
#[path = "dl4004_single_entrypoint.rs"]
mod dl4004_single_entrypoint;
#[path = "dl4005_use_shell_instruction.rs"]
mod dl4005_use_shell_instruction;
#[path = "dl4006_pipefail.rs"]
mod dl4006_pipefail;

/// The rules of this group.
pub const RULES: &[Rule] = &[
    dl1001_inline_ignore::RULE,
    dl3000_absolute_workdir::RULE,
    dl3001_pointless_command::RULE,
    dl3002_last_user_root::RULE,
    dl3003_use_workdir::RULE,
    dl3004_no_sudo::RULE,
    dl3006_untagged_image::RULE,
    dl3007_latest_tag::RULE,
    dl3008_apt_pin_versions::RULE,
    dl3009_apt_lists_not_removed::RULE,
    dl3010_add_extracts_archives::RULE,
    dl3011_valid_port::RULE,
    dl3012_single_healthcheck::RULE,
    dl3013_pip_pin_versions::RULE,
    dl3014_apt_assume_yes::RULE,
    dl3015_apt_no_install_recommends::RULE,
    dl3016_npm_pin_versions::RULE,
    dl4000_maintainer_deprecated::RULE,
    dl4001_curl_or_wget::RULE,
    dl4003_single_cmd::RULE,
    dl4004_single_entrypoint::RULE,
    dl4005_use_shell_instruction::RULE,
    dl4006_pipefail::RULE,
];
