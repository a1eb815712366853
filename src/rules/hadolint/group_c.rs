//! hadolint rules, group C (being written).

use crate::rules::Rule;

/// The rules of this group.
pub const RULES: &[Rule] = &[];
