//! hadolint-compatible rules (`DL1001`, `DL3xxx`, `DL4xxx`): same codes, default severities and
//! meaning as hadolint 2.15, written on dlayer's model. One file per rule; each group module
//! lists its rules.

pub mod group_a;
pub mod group_b;
pub mod group_c;
mod package_operands;
