//! USER and user accounts: the last user root, numeric users, long UIDs.

pub(super) mod dl3002_last_user_root;
pub(super) mod dl3046_useradd_long_uid;
pub(super) mod dl3066_user_not_numeric;
