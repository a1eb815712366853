//! CMD and ENTRYPOINT: the exec (JSON) form, one of each per stage.

pub(super) mod dl3025_json_cmd_entrypoint;
pub(super) mod dl4003_single_cmd;
pub(super) mod dl4004_single_entrypoint;
