//! One style for what dlayer says on standard error: `dlayer: error: …` and
//! `dlayer: warning: …`, the path once, control characters escaped.

use std::fmt::Display;

use super::output::errln;

/// `dlayer: error: MESSAGE` on standard error.
pub fn error(message: impl Display) {
    errln!("dlayer: error: {}", escape_controls(&message.to_string()));
}

/// `dlayer: warning: MESSAGE` on standard error.
pub fn warning(message: impl Display) {
    errln!("dlayer: warning: {}", escape_controls(&message.to_string()));
}

/// An I/O error without Rust's ` (os error N)` suffix: the words are the useful part.
pub fn io_error(error: &std::io::Error) -> String {
    let text = error.to_string();
    match text.rfind(" (os error ") {
        Some(at) if text.ends_with(')') => text[..at].to_string(),
        _ => text,
    }
}

/// Control characters (other than tab and newline) as `\x1b`-style escapes, so that bytes
/// from a file or a path never reach the terminal as escape sequences or bells.
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    dlayer::report::escape_controls(text)
}
