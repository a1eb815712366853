//! `dlayer lsp`: a language server (LSP 3.17 over stdio) over lint, fix, fmt, the split and
//! the model.
//!
//! Built on `lsp-server` and `lsp-types` (rust-analyzer's crates): a synchronous message loop
//! on crossbeam channels, no async runtime. The main loop keeps the open documents and answers
//! requests; diagnostics are computed on a worker thread, debounced (linting starts when no
//! change has come for `debounceMs`, 10 ms by default, and only the newest text is linted).
//! Positions are UTF-16, as the protocol requires.
//!
//! Diagnostics are pushed (`textDocument/publishDiagnostics`) to clients that do not pull
//! them, and answered to `textDocument/diagnostic` for clients that do. The configuration of
//! each document is discovered as `dlayer lint` discovers it and read again on every lint;
//! when a `dlayer.toml`, `.dlayer.toml` or `.hadolint.y(a)ml` changes (watched files, or saved
//! in the editor) every open document is linted again.
//!
//! Client settings (`initializationOptions`, or `settings.dlayer` of
//! `workspace/didChangeConfiguration`): `debounceMs` (number) and `split` (`"beside"`: the
//! split is written to `Dockerfile.layered` next to the file, the default; `"replace"`: it
//! replaces the document).

mod actions;
mod completion;
mod diagnostics;
mod hover;
mod navigation;
mod position;
mod symbols;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crossbeam_channel::Sender;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::{
    ClientCapabilities, CodeActionKind, CodeActionOptions, CodeActionParams,
    CodeActionProviderCapability, CompletionOptions, CompletionParams, CompletionResponse,
    DiagnosticOptions, DiagnosticServerCapabilities, DidChangeConfigurationParams,
    DidChangeTextDocumentParams, DidChangeWatchedFilesRegistrationOptions,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DidSaveTextDocumentParams,
    DocumentDiagnosticParams, DocumentFormattingParams, DocumentRangeFormattingParams,
    DocumentSymbolParams, DocumentSymbolResponse, FileSystemWatcher, GlobPattern,
    GotoDefinitionParams, GotoDefinitionResponse, Hover, HoverContents, HoverParams,
    HoverProviderCapability, InitializeParams, InitializeResult, Location, MarkupContent,
    MarkupKind, OneOf, PublishDiagnosticsParams, ReferenceParams, Registration, RegistrationParams,
    SaveOptions, ServerCapabilities, ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions, TextEdit, Uri,
};
use serde_json::Value;

use crate::config::{DLAYER_FILE_NAMES, HADOLINT_FILE_NAMES};
use crate::format;
use crate::model;
use crate::syntax;

use actions::{ClientEdits, SplitTarget};
use diagnostics::{Cache, Job, Worker};
use position::Text;

pub use actions::layered_name;
pub use diagnostics::doc_url;

/// Serves the protocol on standard input and output until the client exits.
pub fn run_stdio() -> Result<(), String> {
    let (connection, threads) = Connection::stdio();
    serve(connection)?;
    match threads.join() {
        // The client closed the pipes first (an editor quitting): nothing is lost.
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(|error| error.to_string()),
    }
}

/// Serves one client on `connection` (the tests drive it in memory).
pub fn serve(connection: Connection) -> Result<(), String> {
    let (id, params) = connection
        .initialize_start()
        .map_err(|error| error.to_string())?;
    let params: InitializeParams =
        serde_json::from_value(params).map_err(|error| format!("initialize: {error}"))?;
    let client = Client::from(&params.capabilities);
    let mut settings = Settings::default();
    if let Some(options) = &params.initialization_options {
        settings.update(options);
    }
    let result = InitializeResult {
        capabilities: capabilities(),
        server_info: Some(ServerInfo {
            name: "dlayer".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    };
    connection
        .initialize_finish(id, serde_json::to_value(result).expect("serializable"))
        .map_err(|error| error.to_string())?;
    let (jobs, receiver) = crossbeam_channel::unbounded();
    let cache: Cache = Arc::new(Mutex::new(HashMap::new()));
    let worker = Worker {
        jobs: receiver,
        out: connection.sender.clone(),
        cache: cache.clone(),
        debounce: Duration::from_millis(settings.debounce_ms),
        push: !client.pulls_diagnostics,
    };
    let worker = std::thread::Builder::new()
        .name("dlayer-diagnostics".into())
        .spawn(move || worker.run())
        .map_err(|error| error.to_string())?;
    let mut server = Server {
        out: connection.sender.clone(),
        documents: HashMap::new(),
        jobs,
        cache,
        client,
        settings,
        next_id: 0,
    };
    // `initialize_finish` has already taken the `initialized` notification.
    server.watch_config_files();
    let result = server.main_loop(&connection);
    drop(server);
    let _ = worker.join();
    result
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        diagnostic_provider: Some(DiagnosticServerCapabilities::Options(DiagnosticOptions {
            identifier: Some("dlayer".into()),
            inter_file_dependencies: false,
            workspace_diagnostics: false,
            ..DiagnosticOptions::default()
        })),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::from(actions::FIX_ALL),
                CodeActionKind::from(actions::SPLIT),
            ]),
            ..CodeActionOptions::default()
        })),
        document_formatting_provider: Some(OneOf::Left(true)),
        document_range_formatting_provider: Some(OneOf::Left(true)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["$".into(), "{".into(), "-".into(), "=".into()]),
            ..CompletionOptions::default()
        }),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        ..ServerCapabilities::default()
    }
}

/// What the client said it can do.
#[derive(Clone, Copy, Debug, Default)]
struct Client {
    pulls_diagnostics: bool,
    refreshes_diagnostics: bool,
    watches_files: bool,
    edits: ClientEdits,
}

impl From<&ClientCapabilities> for Client {
    fn from(capabilities: &ClientCapabilities) -> Self {
        let text = capabilities.text_document.as_ref();
        let workspace = capabilities.workspace.as_ref();
        Client {
            pulls_diagnostics: text.is_some_and(|t| t.diagnostic.is_some()),
            refreshes_diagnostics: workspace
                .and_then(|w| w.diagnostic.as_ref())
                .and_then(|d| d.refresh_support)
                .unwrap_or(false),
            watches_files: workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|w| w.dynamic_registration)
                .unwrap_or(false),
            edits: ClientEdits {
                create_files: workspace
                    .and_then(|w| w.workspace_edit.as_ref())
                    .is_some_and(|edit| {
                        edit.document_changes == Some(true)
                            && edit.resource_operations.as_ref().is_some_and(|ops| {
                                ops.contains(&lsp_types::ResourceOperationKind::Create)
                            })
                    }),
                disabled_actions: text
                    .and_then(|t| t.code_action.as_ref())
                    .and_then(|c| c.disabled_support)
                    .unwrap_or(false),
            },
        }
    }
}

#[derive(Clone, Debug)]
struct Settings {
    debounce_ms: u64,
    split: SplitTarget,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            debounce_ms: 10,
            split: SplitTarget::Beside,
        }
    }
}

impl Settings {
    /// Reads `{"debounceMs": 10, "split": "beside"}` (or the same under `"dlayer"`).
    fn update(&mut self, value: &Value) {
        let value = value.get("dlayer").unwrap_or(value);
        if let Some(ms) = value.get("debounceMs").and_then(Value::as_u64) {
            self.debounce_ms = ms.min(10_000);
        }
        match value.get("split").and_then(Value::as_str) {
            Some("replace") => self.split = SplitTarget::Replace,
            Some("beside") => self.split = SplitTarget::Beside,
            _ => {}
        }
    }
}

struct Document {
    text: Arc<String>,
    version: i32,
    path: PathBuf,
}

struct Server {
    out: Sender<Message>,
    documents: HashMap<Uri, Document>,
    jobs: Sender<Job>,
    cache: Cache,
    client: Client,
    settings: Settings,
    next_id: i32,
}

/// A request's failure, as the client sees it.
struct Failure {
    code: i32,
    message: String,
}

impl Failure {
    fn invalid(message: impl Into<String>) -> Failure {
        Failure {
            code: ErrorCode::InvalidParams as i32,
            message: message.into(),
        }
    }
}

type Answer = Result<Value, Failure>;

fn params<P: serde::de::DeserializeOwned>(request: &Request) -> Result<P, Failure> {
    serde_json::from_value(request.params.clone())
        .map_err(|error| Failure::invalid(format!("{}: {error}", request.method)))
}

fn json(value: impl serde::Serialize) -> Answer {
    Ok(serde_json::to_value(value).expect("serializable"))
}

/// `file:///a%20b` → `/a b`.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    let path = &rest[rest.find('/')?..];
    let bytes = path.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(high), Some(low)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                decoded.push((high * 16 + low) as u8);
                i += 3;
                continue;
            }
        }
        decoded.push(bytes[i]);
        i += 1;
    }
    use std::os::unix::ffi::OsStringExt;
    Some(PathBuf::from(std::ffi::OsString::from_vec(decoded)))
}

/// `/a b` → `file:///a%20b`.
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    use std::os::unix::ffi::OsStrExt;
    let absolute = std::path::absolute(path).ok()?;
    let mut text = String::from("file://");
    for &byte in absolute.as_os_str().as_bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            text.push(byte as char);
        } else {
            text.push_str(&format!("%{byte:02X}"));
        }
    }
    Uri::from_str(&text).ok()
}

fn is_config_file(path: &Path) -> bool {
    path.file_name().is_some_and(|name| {
        let name = name.to_string_lossy();
        DLAYER_FILE_NAMES.contains(&name.as_ref()) || HADOLINT_FILE_NAMES.contains(&name.as_ref())
    })
}

impl Server {
    fn main_loop(&mut self, connection: &Connection) -> Result<(), String> {
        for message in &connection.receiver {
            match message {
                Message::Request(request) => {
                    if connection
                        .handle_shutdown(&request)
                        .map_err(|error| error.to_string())?
                    {
                        return Ok(());
                    }
                    self.request(request);
                }
                Message::Notification(notification) => self.notification(notification),
                Message::Response(_) => {}
            }
        }
        Ok(())
    }

    fn send(&self, message: Message) {
        let _ = self.out.send(message);
    }

    fn notify(&self, method: &str, params: impl serde::Serialize) {
        self.send(Message::Notification(Notification::new(
            method.into(),
            params,
        )));
    }

    fn ask(&mut self, method: &str, params: impl serde::Serialize) {
        self.next_id += 1;
        let id = RequestId::from(format!("dlayer-{}", self.next_id));
        self.send(Message::Request(Request::new(id, method.into(), params)));
    }

    fn request(&mut self, request: Request) {
        let id = request.id.clone();
        if request.method == "textDocument/diagnostic" {
            // Answered by the worker, off the main loop.
            match params::<DocumentDiagnosticParams>(&request) {
                Ok(params) => match self.documents.get(&params.text_document.uri) {
                    Some(document) => {
                        let _ = self.jobs.send(Job::Pull {
                            id,
                            uri: params.text_document.uri.clone(),
                            version: document.version,
                            text: document.text.clone(),
                            path: document.path.clone(),
                        });
                    }
                    None => self.answer(id, Err(Failure::invalid("the document is not open"))),
                },
                Err(failure) => self.answer(id, Err(failure)),
            }
            return;
        }
        let answer = match request.method.as_str() {
            "textDocument/codeAction" => params(&request).and_then(|p| self.code_action(p)),
            "textDocument/formatting" => params(&request).and_then(|p| self.formatting(p)),
            "textDocument/rangeFormatting" => {
                params(&request).and_then(|p| self.range_formatting(p))
            }
            "textDocument/hover" => params(&request).and_then(|p| self.hover(p)),
            "textDocument/completion" => params(&request).and_then(|p| self.completion(p)),
            "textDocument/definition" => params(&request).and_then(|p| self.definition(p)),
            "textDocument/references" => params(&request).and_then(|p| self.references(p)),
            "textDocument/documentSymbol" => params(&request).and_then(|p| self.symbols(p)),
            _ => Err(Failure {
                code: ErrorCode::MethodNotFound as i32,
                message: format!("unknown request {}", request.method),
            }),
        };
        self.answer(id, answer);
    }

    fn answer(&self, id: RequestId, answer: Answer) {
        let response = match answer {
            Ok(value) => Response::new_ok(id, value),
            Err(failure) => Response::new_err(id, failure.code, failure.message),
        };
        self.send(Message::Response(response));
    }

    fn notification(&mut self, notification: Notification) {
        let params = notification.params;
        match notification.method.as_str() {
            "textDocument/didOpen" => {
                if let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(params) {
                    let uri = p.text_document.uri;
                    let path = uri_to_path(&uri).unwrap_or_else(|| {
                        std::env::current_dir()
                            .unwrap_or_default()
                            .join("Dockerfile")
                    });
                    self.documents.insert(
                        uri.clone(),
                        Document {
                            text: Arc::new(p.text_document.text),
                            version: p.text_document.version,
                            path,
                        },
                    );
                    self.changed(&uri);
                }
            }
            "textDocument/didChange" => {
                if let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(params) {
                    let uri = p.text_document.uri;
                    if let Some(document) = self.documents.get_mut(&uri) {
                        let mut text = document.text.as_str().to_string();
                        for change in p.content_changes {
                            match change.range {
                                Some(range) => {
                                    let span = Text::new(&text).span(range);
                                    text.replace_range(span.start..span.end, &change.text);
                                }
                                None => text = change.text,
                            }
                        }
                        document.text = Arc::new(text);
                        document.version = p.text_document.version;
                        self.changed(&uri);
                    }
                }
            }
            "textDocument/didSave" => {
                if let Ok(p) = serde_json::from_value::<DidSaveTextDocumentParams>(params) {
                    if uri_to_path(&p.text_document.uri).is_some_and(|path| is_config_file(&path)) {
                        self.configuration_changed();
                    }
                }
            }
            "textDocument/didClose" => {
                if let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(params) {
                    let uri = p.text_document.uri;
                    self.documents.remove(&uri);
                    let _ = self.jobs.send(Job::Closed(uri.clone()));
                    if !self.client.pulls_diagnostics {
                        self.notify(
                            "textDocument/publishDiagnostics",
                            PublishDiagnosticsParams {
                                uri,
                                diagnostics: Vec::new(),
                                version: None,
                            },
                        );
                    }
                }
            }
            "workspace/didChangeWatchedFiles" => self.configuration_changed(),
            "workspace/didChangeConfiguration" => {
                if let Ok(p) = serde_json::from_value::<DidChangeConfigurationParams>(params) {
                    self.settings.update(&p.settings);
                }
            }
            _ => {}
        }
    }

    fn changed(&self, uri: &Uri) {
        if let Some(document) = self.documents.get(uri) {
            let _ = self.jobs.send(Job::Changed {
                uri: uri.clone(),
                version: document.version,
                text: document.text.clone(),
                path: document.path.clone(),
            });
        }
    }

    /// A configuration file changed: every open document is linted again.
    fn configuration_changed(&mut self) {
        self.cache.lock().expect("cache").clear();
        let uris: Vec<Uri> = self.documents.keys().cloned().collect();
        for uri in &uris {
            self.changed(uri);
        }
        if self.client.pulls_diagnostics && self.client.refreshes_diagnostics {
            self.ask("workspace/diagnostic/refresh", Value::Null);
        }
    }

    fn watch_config_files(&mut self) {
        if !self.client.watches_files {
            return;
        }
        let watchers = DLAYER_FILE_NAMES
            .iter()
            .chain(&HADOLINT_FILE_NAMES)
            .map(|name| FileSystemWatcher {
                glob_pattern: GlobPattern::String(format!("**/{name}")),
                kind: None,
            })
            .collect();
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        self.ask(
            "client/registerCapability",
            RegistrationParams {
                registrations: vec![Registration {
                    id: "dlayer-configuration".into(),
                    method: "workspace/didChangeWatchedFiles".into(),
                    register_options: serde_json::to_value(options).ok(),
                }],
            },
        );
    }

    fn document(&self, uri: &Uri) -> Result<&Document, Failure> {
        self.documents
            .get(uri)
            .ok_or_else(|| Failure::invalid(format!("{} is not open", uri.as_str())))
    }

    /// The document's findings: the worker's, when it has linted this version; else now.
    fn findings(&self, uri: &Uri) -> Result<Arc<Vec<crate::rules::Diagnostic>>, Failure> {
        let document = self.document(uri)?;
        let cached = self
            .cache
            .lock()
            .expect("cache")
            .get(uri)
            .filter(|checked| checked.version == document.version)
            .map(|checked| checked.findings.clone());
        Ok(cached.unwrap_or_else(|| {
            diagnostics::compute(&document.path, &document.text, document.version).findings
        }))
    }

    fn code_action(&self, p: CodeActionParams) -> Answer {
        let uri = &p.text_document.uri;
        let findings = self.findings(uri)?;
        let document = self.document(uri)?;
        let request = actions::Request {
            uri,
            path: &document.path,
            text: &document.text,
            findings: &findings,
            range: p.range,
            only: p.context.only.as_deref(),
            split: self.settings.split,
            client: self.client.edits,
        };
        json(actions::code_actions(&request))
    }

    fn format_edits(&self, uri: &Uri) -> Result<(Vec<format::Edit>, &Document), Failure> {
        let document = self.document(uri)?;
        let config = diagnostics::file_config(&document.path).map_err(|message| Failure {
            code: ErrorCode::RequestFailed as i32,
            message,
        })?;
        let options = config
            .and_then(|config| config.format.clone())
            .unwrap_or_default();
        let edits = format::edits(&document.text, &options).map_err(|error| Failure {
            code: ErrorCode::RequestFailed as i32,
            message: format!("dlayer: {error}"),
        })?;
        Ok((edits, document))
    }

    fn text_edits(document: &Document, edits: &[format::Edit]) -> Vec<TextEdit> {
        let text = Text::new(&document.text);
        edits
            .iter()
            .map(|edit| TextEdit::new(text.range(edit.span), edit.text.clone()))
            .collect()
    }

    fn formatting(&self, p: DocumentFormattingParams) -> Answer {
        let (edits, document) = self.format_edits(&p.text_document.uri)?;
        json(Self::text_edits(document, &edits))
    }

    fn range_formatting(&self, p: DocumentRangeFormattingParams) -> Answer {
        let (edits, document) = self.format_edits(&p.text_document.uri)?;
        let span = Text::new(&document.text).span(p.range);
        let chosen: Vec<format::Edit> = edits
            .into_iter()
            .filter(|edit| {
                edit.span.start <= span.end && span.start < edit.span.end.max(edit.span.start + 1)
            })
            .collect();
        json(Self::text_edits(document, &chosen))
    }

    /// The document parsed and modelled, with the byte offset of `position`.
    fn analysis(
        &self,
        uri: &Uri,
        position: lsp_types::Position,
    ) -> Result<(syntax::Dockerfile, usize), Failure> {
        let document = self.document(uri)?;
        let offset = Text::new(&document.text).offset(position);
        Ok((syntax::parse(&document.text), offset))
    }

    fn hover(&self, p: HoverParams) -> Answer {
        let at = p.text_document_position_params;
        let (dockerfile, offset) = self.analysis(&at.text_document.uri, at.position)?;
        let findings = self.findings(&at.text_document.uri)?;
        let model = model::build(&dockerfile, &model::Options::default());
        let Some((markdown, span)) = hover::hover(&dockerfile, &model, &findings, offset) else {
            return Ok(Value::Null);
        };
        json(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: markdown,
            }),
            range: Some(Text::new(&dockerfile.source).range(span)),
        })
    }

    fn completion(&self, p: CompletionParams) -> Answer {
        let at = p.text_document_position;
        let (dockerfile, offset) = self.analysis(&at.text_document.uri, at.position)?;
        let items = completion::complete(&dockerfile, &dockerfile.source, offset);
        json(CompletionResponse::Array(items))
    }

    fn locations(
        &self,
        uri: &Uri,
        dockerfile: &syntax::Dockerfile,
        spans: Vec<syntax::Span>,
    ) -> Vec<Location> {
        let text = Text::new(&dockerfile.source);
        spans
            .into_iter()
            .map(|span| Location::new(uri.clone(), text.range(span)))
            .collect()
    }

    fn definition(&self, p: GotoDefinitionParams) -> Answer {
        let at = p.text_document_position_params;
        let uri = at.text_document.uri;
        let (dockerfile, offset) = self.analysis(&uri, at.position)?;
        let Some((kind, occurrence)) = navigation::at(&dockerfile, offset) else {
            return Ok(Value::Null);
        };
        let Some(declaration) = navigation::definition(&dockerfile, kind, &occurrence) else {
            return Ok(Value::Null);
        };
        let mut locations = self.locations(&uri, &dockerfile, vec![declaration.span]);
        json(GotoDefinitionResponse::Scalar(locations.remove(0)))
    }

    fn references(&self, p: ReferenceParams) -> Answer {
        let at = p.text_document_position;
        let uri = at.text_document.uri;
        let (dockerfile, offset) = self.analysis(&uri, at.position)?;
        let Some((kind, occurrence)) = navigation::at(&dockerfile, offset) else {
            return Ok(Value::Null);
        };
        let spans = navigation::references(&dockerfile, kind, &occurrence)
            .into_iter()
            .filter(|o| p.context.include_declaration || !o.declaration)
            .map(|o| o.span)
            .collect();
        json(self.locations(&uri, &dockerfile, spans))
    }

    fn symbols(&self, p: DocumentSymbolParams) -> Answer {
        let document = self.document(&p.text_document.uri)?;
        let dockerfile = syntax::parse(&document.text);
        json(DocumentSymbolResponse::Nested(symbols::symbols(
            &dockerfile,
        )))
    }
}
