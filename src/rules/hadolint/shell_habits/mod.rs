//! Shell habits in RUN: pointless commands, sudo, curl and wget together, wget's progress bar, consecutive RUNs, `ln /bin/sh` rather than SHELL, pipes without pipefail.

pub(super) mod dl3001_pointless_command;
pub(super) mod dl3004_no_sudo;
pub(super) mod dl3047_wget_progress;
pub(super) mod dl3059_consecutive_runs;
pub(super) mod dl4001_curl_or_wget;
pub(super) mod dl4005_use_shell_instruction;
pub(super) mod dl4006_pipefail;

use crate::model::Stage;
use crate::rules::LintContext;

/// The stage the chain of in-file FROMs starts with.
fn root_stage<'a>(context: &LintContext<'a>, stage: &'a Stage) -> &'a Stage {
    let mut root = stage;
    for _ in 0..context.model.stages.len() {
        match root
            .base
            .stage
            .and_then(|index| context.model.stages.get(index))
        {
            Some(base) if base.index < root.index => root = base,
            _ => break,
        }
    }
    root
}
