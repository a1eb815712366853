//! Shell habits in RUN: pointless commands, sudo, curl and wget together, wget's progress bar, consecutive RUNs, `ln /bin/sh` rather than SHELL, pipes without pipefail.

pub(super) mod dl3001_pointless_command;
pub(super) mod dl3004_no_sudo;
pub(super) mod dl3047_wget_progress;
pub(super) mod dl3059_consecutive_runs;
pub(super) mod dl4001_curl_or_wget;
pub(super) mod dl4005_use_shell_instruction;
pub(super) mod dl4006_pipefail;
