//! BuildKit's build checks (`docker build --check`): the 22 checks under the names BuildKit
//! gives them (`StageNameCasing`, `JSONArgsRecommended`, ...) and our codes `BK001`–`BK022`,
//! numbered in the order BuildKit's reference lists them. Same semantics as BuildKit's linter
//! (reference/buildkit.md §10–11), with exact ranges; one file per check.
//!
//! BuildKit reports each warning at the instruction's lines; dlayer reports the exact bytes
//! inside that instruction (the stage name, the flag, the key). `NoEmptyContinuation` is the
//! one check BuildKit places on another line: the last line of the instruction, where dlayer
//! points at the empty line itself.

pub mod check_directive;
pub mod consistent_instruction_casing;
pub mod copy_ignored_file;
pub mod dockerignore;
pub mod duplicate_stage_name;
pub mod expose_invalid_format;
pub mod expose_proto_casing;
pub mod from_as_casing;
pub mod from_platform_flag_const_disallowed;
pub mod invalid_base_image_platform;
pub mod invalid_default_arg_in_from;
pub mod invalid_definition_description;
pub mod json_args_recommended;
pub mod legacy_key_value_format;
pub mod maintainer_deprecated;
pub mod multiple_instructions_disallowed;
pub mod no_empty_continuation;
mod platform;
pub mod redundant_target_platform;
mod reference;
pub mod reserved_stage_name;
pub mod secrets_used_in_arg_or_env;
pub mod stage_name_casing;
mod stages;
pub mod twins;
pub mod undefined_arg_in_from;
pub mod undefined_var;
pub mod workdir_relative_path;

pub use dockerignore::DockerIgnore;

use crate::rules::Rule;

/// Every BuildKit check, in code order (`BK001`…`BK022`), after the `# check=` directive's
/// own error (E002).
pub const RULES: &[Rule] = &[
    check_directive::RULE,
    stage_name_casing::RULE,
    from_as_casing::RULE,
    no_empty_continuation::RULE,
    consistent_instruction_casing::RULE,
    duplicate_stage_name::RULE,
    reserved_stage_name::RULE,
    json_args_recommended::RULE,
    maintainer_deprecated::RULE,
    undefined_arg_in_from::RULE,
    workdir_relative_path::RULE,
    undefined_var::RULE,
    multiple_instructions_disallowed::RULE,
    legacy_key_value_format::RULE,
    redundant_target_platform::RULE,
    secrets_used_in_arg_or_env::RULE,
    invalid_default_arg_in_from::RULE,
    from_platform_flag_const_disallowed::RULE,
    copy_ignored_file::RULE,
    invalid_base_image_platform::RULE,
    expose_proto_casing::RULE,
    expose_invalid_format::RULE,
    invalid_definition_description::RULE,
];

/// BuildKit's experimental checks: they run only when `# check=experimental=` (or a selector
/// naming them) turns them on, and `# check=skip=` does not apply to them.
pub fn is_experimental(name: &str) -> bool {
    name == invalid_definition_description::RULE.meta.name
}

/// Whether `name` is one of BuildKit's check names (exact case, as `# check=` compares them).
pub fn is_check_name(name: &str) -> bool {
    RULES.iter().any(|rule| rule.meta.name == name)
}
