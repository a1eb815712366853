//! Suppression pragmas: hadolint's inline ignore.

pub(super) mod dl1001_inline_ignore;
