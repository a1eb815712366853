//! WORKDIR: absolute paths, and WORKDIR rather than `cd`.

mod cd_steps;
pub(super) mod dl3000_absolute_workdir;
pub(super) mod dl3003_use_workdir;
