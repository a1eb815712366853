//! ENV and ARG: self references, secrets in build arguments and environment.

pub(super) mod dl3044_env_self_reference;
pub(super) mod dl3064_secret_in_arg_env;
