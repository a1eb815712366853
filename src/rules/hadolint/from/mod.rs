//! FROM: image tags, registries, `--platform`, stage names, and what comes before the first FROM.

pub(super) mod dl3006_untagged_image;
pub(super) mod dl3007_latest_tag;
pub(super) mod dl3024_duplicate_stage_name;
pub(super) mod dl3026_untrusted_registry;
pub(super) mod dl3029_from_platform_flag;
pub(super) mod dl3061_instruction_before_from;
pub(super) mod dl3063_reserved_stage_name;
pub(super) mod dl3065_redundant_target_platform;
