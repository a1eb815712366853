//! Diagnostics: a document linted as `dlayer lint` would lint the file (its configuration
//! discovered the same way, from the file's directory upward), converted to LSP, and the
//! worker thread that computes them off the main loop.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};
use lsp_server::{Message, Notification, RequestId, Response};
use lsp_types::{
    CodeDescription, DiagnosticSeverity, DocumentDiagnosticReport, DocumentDiagnosticReportResult,
    FullDocumentDiagnosticReport, NumberOrString, PublishDiagnosticsParams,
    RelatedFullDocumentDiagnosticReport, Uri,
};

use super::position::Text;
use crate::config::{self, Config, ConfigKind, Discovery};
use crate::lint::{LintOptions, lint_bytes, settings_for, wants_shellcheck};
use crate::rules::{Diagnostic, Severity};
use crate::shellcheck::ShellCheck;
use crate::syntax::Span;

/// Where a rule's documentation is published: dlayer's rules (HC, DL and BuildKit checks)
/// at their Markdown file in the repository, ShellCheck's codes on ShellCheck's wiki.
pub fn doc_url(code: &str) -> String {
    if crate::shellcheck::is_code(code) {
        format!("https://www.shellcheck.net/wiki/{code}")
    } else {
        format!("https://github.com/dlayer/dlayer/blob/main/rules/{code}.md")
    }
}

/// The configuration `dlayer lint` would use for `path`: the nearest `dlayer.toml` /
/// `.dlayer.toml`, else `.hadolint.yaml` (with hadolint's environment variables over it).
/// Read afresh on every call, so edits to those files count at once.
pub fn file_config(path: &Path) -> Result<Option<Arc<Config>>, String> {
    let found = Discovery::new()
        .for_file(path)
        .map_err(|error| error.to_string())?;
    let environment =
        config::from_hadolint_env(std::env::vars()).map_err(|error| error.to_string())?;
    Ok(match (found, environment) {
        (Some(file), Some(env)) if file.kind == ConfigKind::Hadolint => {
            Some(Arc::new((*file).clone().merged_over(&env)))
        }
        (None, Some(env)) => Some(Arc::new(env)),
        (found, _) => found,
    })
}

/// A document's findings, or why its configuration cannot be used.
pub fn check(path: &Path, text: &str) -> Result<Vec<Diagnostic>, String> {
    let config = file_config(path)?;
    let settings = settings_for(config.as_deref())?;
    let mut options = LintOptions::default();
    if wants_shellcheck(&options, config.as_deref()) {
        options.shellcheck_program = ShellCheck::on_path();
    }
    Ok(lint_bytes(
        text.as_bytes(),
        path,
        &options,
        config.as_deref(),
        &settings,
    )
    .diagnostics)
}

fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Style => DiagnosticSeverity::HINT,
    }
}

pub fn to_lsp(diagnostic: &Diagnostic, text: &Text) -> lsp_types::Diagnostic {
    let mut message = diagnostic.message.clone();
    if let Some(layer) = diagnostic.layer {
        message.push_str(&format!(" [layer: {}]", layer.as_str()));
    }
    lsp_types::Diagnostic {
        range: text.range(diagnostic.span),
        severity: Some(severity(diagnostic.severity)),
        code: Some(NumberOrString::String(diagnostic.code.to_string())),
        code_description: Uri::from_str(&doc_url(diagnostic.code))
            .ok()
            .map(|href| CodeDescription { href }),
        source: Some("dlayer".into()),
        message,
        ..Default::default()
    }
}

/// The configuration error shown at the top of a document that cannot be linted.
fn config_error(message: &str) -> lsp_types::Diagnostic {
    lsp_types::Diagnostic {
        severity: Some(DiagnosticSeverity::ERROR),
        code: Some(NumberOrString::String("config".into())),
        source: Some("dlayer".into()),
        message: format!("the configuration cannot be used: {message}"),
        ..Default::default()
    }
}

/// The last findings computed for a document.
#[derive(Clone)]
pub struct Checked {
    pub version: i32,
    pub findings: Arc<Vec<Diagnostic>>,
    pub lsp: Vec<lsp_types::Diagnostic>,
}

/// Lints and converts.
pub fn compute(path: &Path, text: &str, version: i32) -> Checked {
    let positions = Text::new(text);
    match check(path, text) {
        Ok(findings) => Checked {
            version,
            lsp: findings.iter().map(|d| to_lsp(d, &positions)).collect(),
            findings: Arc::new(findings),
        },
        Err(message) => Checked {
            version,
            findings: Arc::new(Vec::new()),
            lsp: vec![config_error(&message)],
        },
    }
}

pub type Cache = Arc<Mutex<HashMap<Uri, Checked>>>;

/// What the worker is asked to do.
pub enum Job {
    /// The document changed (or its configuration did): lint it once things are quiet and
    /// publish (push clients) or keep (pull clients) the result.
    Changed {
        uri: Uri,
        version: i32,
        text: Arc<String>,
        path: PathBuf,
    },
    /// `textDocument/diagnostic`: answer now.
    Pull {
        id: RequestId,
        uri: Uri,
        version: i32,
        text: Arc<String>,
        path: PathBuf,
    },
    Closed(Uri),
}

pub struct Worker {
    pub jobs: Receiver<Job>,
    pub out: Sender<Message>,
    pub cache: Cache,
    pub debounce: Duration,
    /// Publish diagnostics (the client does not pull them).
    pub push: bool,
}

impl Worker {
    /// Runs until the job channel closes. Changes are debounced: linting starts when no
    /// change has come for `debounce`, and only the newest text of each document is linted.
    pub fn run(self) {
        while let Ok(first) = self.jobs.recv() {
            let mut changed: Vec<(Uri, i32, Arc<String>, PathBuf)> = Vec::new();
            let mut job = Some(first);
            loop {
                match job.take() {
                    Some(Job::Changed {
                        uri,
                        version,
                        text,
                        path,
                    }) => {
                        changed.retain(|(other, ..)| *other != uri);
                        changed.push((uri, version, text, path));
                    }
                    Some(Job::Pull {
                        id,
                        uri,
                        version,
                        text,
                        path,
                    }) => self.answer_pull(id, uri, version, &text, &path),
                    Some(Job::Closed(uri)) => {
                        changed.retain(|(other, ..)| *other != uri);
                        self.cache.lock().expect("cache").remove(&uri);
                    }
                    None => {}
                }
                match self.jobs.recv_timeout(self.debounce) {
                    Ok(next) => job = Some(next),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
            for (uri, version, text, path) in changed {
                let checked = compute(&path, &text, version);
                if self.push {
                    self.publish(&uri, &checked);
                }
                self.cache.lock().expect("cache").insert(uri, checked);
            }
        }
    }

    fn publish(&self, uri: &Uri, checked: &Checked) {
        let params = PublishDiagnosticsParams {
            uri: uri.clone(),
            diagnostics: checked.lsp.clone(),
            version: Some(checked.version),
        };
        let notification = Notification::new("textDocument/publishDiagnostics".into(), params);
        let _ = self.out.send(Message::Notification(notification));
    }

    fn answer_pull(&self, id: RequestId, uri: Uri, version: i32, text: &str, path: &Path) {
        let cached = self
            .cache
            .lock()
            .expect("cache")
            .get(&uri)
            .filter(|checked| checked.version == version)
            .cloned();
        let checked = cached.unwrap_or_else(|| {
            let checked = compute(path, text, version);
            self.cache
                .lock()
                .expect("cache")
                .insert(uri, checked.clone());
            checked
        });
        let report = DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
            RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: Some(version.to_string()),
                    items: checked.lsp,
                },
            },
        ));
        let _ = self
            .out
            .send(Message::Response(Response::new_ok(id, report)));
    }
}

/// The findings whose span meets `span` (an empty span meets what contains it).
pub fn meeting(findings: &[Diagnostic], span: Span) -> impl Iterator<Item = &Diagnostic> {
    findings.iter().filter(move |diagnostic| {
        diagnostic.span.start <= span.end && span.start <= diagnostic.span.end
    })
}
