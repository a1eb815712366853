//! dlayer: lint Dockerfiles for heavy-container patterns and refactor them into layered stacks.
//!
//! The pipeline, each stage depending only on the ones before it:
//! [`syntax`] (lossless BuildKit-exact tree) → [`shell`] (RUN scripts as POSIX sh) →
//! [`model`] (stages, scopes, package installs, layers) → [`rules`] and [`shellcheck`]
//! (diagnostics) → [`fix`] (edits applied until stable) and [`stack`] (the layered split and
//! its verifier) → [`report`].

pub mod config;
pub mod fix;
pub mod format;
pub mod graph;
pub mod lint;
pub mod lsp;
pub mod model;
pub mod report;
pub mod rules;
pub mod shell;
pub mod shellcheck;
pub mod stack;
pub mod syntax;
pub mod verify;
