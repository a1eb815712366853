//! What a rule reports: a diagnostic with an exact span and, maybe, a fix.

use serde::Serialize;

use crate::model::Layer;
use crate::syntax::Span;

/// How bad a finding is. Ordered: `Error` is the most severe.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Style,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::Error,
        Severity::Warning,
        Severity::Info,
        Severity::Style,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Style => "style",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        Severity::ALL
            .into_iter()
            .find(|severity| severity.as_str() == text.to_ascii_lowercase())
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A message made of `pieces` in order, allocated once at its length: for the messages rules
/// write per finding (a package to pin, say), where `format!`'s machinery cost several times
/// the copying.
pub fn message(pieces: &[&str]) -> String {
    let mut text = String::with_capacity(pieces.iter().map(|piece| piece.len()).sum());
    for piece in pieces {
        text.push_str(piece);
    }
    text
}

/// Whether `dlayer fix` may apply a fix on its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Keeps the build's meaning: applied by `dlayer fix`.
    Safe,
    /// May change the image: applied with `--unsafe-fixes`.
    Unsafe,
    /// A hint to show, never applied.
    DisplayOnly,
}

/// Replace the bytes of `span` with `replacement`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// What the fix does, as a short imperative title.
    pub message: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    /// Heavy-container rules: the layer the flagged thing belongs to.
    pub layer: Option<Layer>,
    pub fix: Option<Fix>,
    /// The same problem as another rule reports it (a BuildKit check and its hadolint twin):
    /// one finding, shown under this diagnostic's code; a twin's code, name, position and
    /// message take over when only the twin's rule is selected (see [`super::twins`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub twins: Vec<Diagnostic>,
}
