//! COPY and ADD: ADD's extraction and downloads, destinations, `--from` stage references, relative paths.

pub(super) mod dl3010_add_extracts_archives;
pub(super) mod dl3020_use_copy_not_add;
pub(super) mod dl3021_copy_dest_not_dir;
pub(super) mod dl3022_copy_from_unknown_stage;
pub(super) mod dl3023_copy_from_own_stage;
pub(super) mod dl3045_copy_relative_no_workdir;
pub(super) mod dl3067_copy_whole_filesystem;

use crate::model::Stage;
use crate::rules::LintContext;
use crate::syntax::Flag;

/// The `--from` flags of a stage's COPY instructions, with their values, read as they are
/// iterated (most stages have none).
pub fn copy_from_flags<'a>(
    context: &LintContext<'a>,
    stage: &'a Stage,
) -> impl Iterator<Item = (&'a Flag, &'a str)> {
    stage
        .instructions
        .iter()
        .filter(|instruction| instruction.keyword == "COPY")
        .flat_map(|instruction| context.syntax(instruction).flags.iter())
        .filter(|flag| flag.name.eq_ignore_ascii_case("from"))
        .filter_map(|flag| flag.value.as_deref().map(|value| (flag, value)))
}
