//! Lossless, BuildKit-exact Dockerfile syntax.
//!
//! [`parse`] reads a Dockerfile the way BuildKit's `parser.Parse` does (directives, escape
//! token, continuation quirks, per-instruction argument forms, heredocs) and keeps every byte:
//! the tree prints back to its input, and every node has a byte [`Span`].

pub mod byte_scan;
mod directives;
pub mod dump;
pub mod expand;
mod heredoc;
mod instruction;
pub mod json;
mod lines;
mod parser;
mod quote;
pub mod span;
pub mod suggest;
pub mod tree;
mod validate;

pub use directives::is_known_directive;
pub use dump::dump;
pub use lines::{MAX_LINE_LEN, TextMap};
pub use parser::{parse, parse_bytes, parse_owned};
pub use quote::go_quote;
pub use span::{LineIndex, Position, Span};
pub use tree::*;
pub use validate::flag_names;
