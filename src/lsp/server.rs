//! The message loop: one thread, one message at a time, in order.
//!
//! Messages that are already waiting are read ahead, so that a
//! `$/cancelRequest` can cancel a request still in the queue. Edits only
//! mark a document stale; when nothing waits, stale documents are analysed
//! and, if nothing arrived meanwhile, their diagnostics published. A burst
//! of edits therefore ends in one analysis and one publish, of the last
//! text. A request reads the analysis of the text as it stands when the
//! request is handled.

use std::collections::{BTreeMap, HashSet, VecDeque};

use gen_lsp_types::{
    CancelParams, CodeActionKind, CodeActionOptions, CodeActionParams, CodeActionProvider,
    CodeActionRequest, CodeActionResponse, CompletionOptions, CompletionParams, CompletionRequest,
    CompletionResponse, DefinitionParams, DefinitionProvider, DefinitionRequest,
    DefinitionResponse, DidChangeTextDocumentParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DidSaveTextDocumentParams, DocumentSymbolParams,
    DocumentSymbolProvider, DocumentSymbolRequest, DocumentSymbolResponse, HoverParams,
    HoverProvider, HoverRequest, Id, InitializeResult, Location, PositionEncodingKind,
    PrepareRenameParams, PrepareRenameRequest, PublishDiagnosticsParams, ReferenceParams,
    ReferencesProvider, ReferencesRequest, RenameOptions, RenameParams, RenameProvider,
    RenameRequest, Request as LspRequest, ServerCapabilities, ServerInfo, TextDocumentSync,
    TextDocumentSyncKind, TextDocumentSyncOptions, Uri,
};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};

use super::document::Document;
use super::error::LspError;
use super::position::Encoding;
use super::{completion, fixes, hover, navigation, symbols};

/// How long to wait for the next edit of a burst before publishing.
const BURST_GRACE: std::time::Duration = std::time::Duration::from_millis(2);

/// How the session ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    /// `exit` after `shutdown`: exit code 0.
    Clean,
    /// `exit` without `shutdown`, or the client went away: exit code 1.
    Abrupt,
}

/// The server's state between messages.
pub struct Server<'c> {
    connection: &'c Connection,
    encoding: Encoding,
    documents: BTreeMap<String, Document>,
    /// Messages read ahead of the one being handled.
    queue: VecDeque<Message>,
    /// Requests cancelled before they were handled.
    cancelled: HashSet<RequestId>,
    shutdown: bool,
}

impl<'c> Server<'c> {
    /// Answers `initialize` on `connection` and returns the server.
    pub fn start(connection: &'c Connection) -> Result<Self, LspError> {
        let (id, params) = connection.initialize_start()?;
        // A client whose parameters do not read still gets a server, with
        // the protocol's defaults.
        // Only the offered position encodings matter here: read them alone,
        // not the whole capabilities tree (its reader alone would add
        // hundreds of kilobytes to the binary).
        let offered: Option<Vec<PositionEncodingKind>> = params
            .pointer("/capabilities/general/positionEncodings")
            .and_then(|kinds| kinds.as_array())
            .map(|kinds| {
                kinds.iter().filter_map(|k| serde_json::from_value(k.clone()).ok()).collect()
            });
        let encoding = Encoding::negotiate(offered.as_deref());
        let result = InitializeResult {
            capabilities: capabilities(encoding),
            server_info: Some(ServerInfo {
                name: "cigen".to_owned(),
                version: Some(env!("CARGO_PKG_VERSION").to_owned()),
            }),
        };
        connection.initialize_finish(id, serde_json::to_value(result)?)?;
        Ok(Self {
            connection,
            encoding,
            documents: BTreeMap::new(),
            queue: VecDeque::new(),
            cancelled: HashSet::new(),
            shutdown: false,
        })
    }

    /// Handles messages until `exit` or until the client goes away.
    pub fn run(mut self) -> Ending {
        loop {
            self.read_ahead();
            let message = match self.queue.pop_front() {
                Some(message) => message,
                None if self.idle() => continue,
                None => match self.connection.receiver.recv() {
                    // Read what came with it before handling it.
                    Ok(message) => {
                        self.queue.push_back(message);
                        continue;
                    }
                    Err(_) => return Ending::Abrupt,
                },
            };
            match message {
                Message::Request(request) => self.request(request),
                Message::Notification(note) if note.method == "exit" => {
                    return if self.shutdown { Ending::Clean } else { Ending::Abrupt };
                }
                Message::Notification(note) => self.notification(note),
                Message::Response(_) => {}
            }
        }
    }

    /// Moves every waiting message into the queue, noting cancellations.
    fn read_ahead(&mut self) {
        while let Ok(message) = self.connection.receiver.try_recv() {
            match message {
                Message::Notification(note) if note.method == "$/cancelRequest" => {
                    // Cancellations of requests already answered are never
                    // removed; keep their number bounded.
                    if self.cancelled.len() > 1024 {
                        self.cancelled.clear();
                    }
                    if let Ok(params) = serde_json::from_value::<CancelParams>(note.params) {
                        self.cancelled.insert(match params.id {
                            Id::Int(n) => RequestId::from(n),
                            Id::String(s) => RequestId::from(s),
                        });
                    }
                }
                other => self.queue.push_back(other),
            }
        }
    }

    /// Analyses one stale document, or publishes the diagnostics of those
    /// analysed, once nothing waits; whether there was anything to do.
    fn idle(&mut self) -> bool {
        if let Some(document) = self.documents.values_mut().find(|d| d.is_stale()) {
            document.analysis();
            return true;
        }
        let unpublished: Vec<String> =
            self.documents.iter().filter(|(_, d)| !d.published).map(|(k, _)| k.clone()).collect();
        // In a burst of edits, wait a moment for the next one before
        // publishing diagnostics it would replace at once.
        let burst = unpublished.iter().any(|k| self.documents.get(k).is_some_and(|d| d.edits > 1));
        if burst && let Ok(message) = self.connection.receiver.recv_timeout(BURST_GRACE) {
            self.queue.push_back(message);
            return true;
        }
        for key in &unpublished {
            self.publish(key);
        }
        !unpublished.is_empty()
    }

    fn publish(&mut self, key: &str) {
        let Some(document) = self.documents.get_mut(key) else { return };
        let version = document.version;
        let view = document.view();
        let diagnostics = view
            .analysis
            .diagnostics
            .iter()
            .map(|d| super::diagnostics::convert(d, view.text, view.lines, view.uri))
            .collect();
        let params =
            PublishDiagnosticsParams { uri: view.uri.clone(), version: Some(version), diagnostics };
        document.published = true;
        document.edits = 0;
        self.notify("textDocument/publishDiagnostics", params);
    }

    fn notify(&self, method: &str, params: impl serde::Serialize) {
        let note = Notification::new(method.to_owned(), params);
        // A client that went away is noticed when the next read fails.
        let _ = self.connection.sender.send(note.into());
    }

    fn respond(&self, response: Response) {
        let _ = self.connection.sender.send(response.into());
    }

    fn request(&mut self, request: Request) {
        let id = request.id.clone();
        if self.cancelled.remove(&id) {
            let code = ErrorCode::RequestCanceled as i32;
            return self.respond(Response::new_err(id, code, "cancelled".to_owned()));
        }
        if self.shutdown {
            let code = ErrorCode::InvalidRequest as i32;
            return self.respond(Response::new_err(
                id,
                code,
                "the server is shutting down".to_owned(),
            ));
        }
        let response = match self.dispatch(request) {
            Ok(value) => Response::new_ok(id, value),
            Err(error) => Response::new_err(id, error.code() as i32, error.to_string()),
        };
        self.respond(response);
    }

    fn dispatch(&mut self, request: Request) -> Result<serde_json::Value, LspError> {
        let method = request.method.as_str();
        if method == "shutdown" {
            self.shutdown = true;
            return Ok(serde_json::Value::Null);
        }
        let params = request.params;
        match method {
            m if m == CompletionRequest::METHOD.as_str() => {
                self.with::<CompletionRequest>(params, |doc, p: CompletionParams| {
                    let at = p.text_document_position_params.position;
                    Ok(Some(CompletionResponse::CompletionList(completion::complete(
                        &doc.view(),
                        at,
                    ))))
                })
            }
            m if m == HoverRequest::METHOD.as_str() => {
                self.with::<HoverRequest>(params, |doc, p: HoverParams| {
                    Ok(hover::hover(&doc.view(), p.text_document_position_params.position))
                })
            }
            m if m == DefinitionRequest::METHOD.as_str() => {
                self.with::<DefinitionRequest>(params, |doc, p: DefinitionParams| {
                    let view = doc.view();
                    let found =
                        navigation::definition(&view, p.text_document_position_params.position);
                    Ok(locations(view.uri, found).map(|l| DefinitionResponse::Definition(l.into())))
                })
            }
            m if m == ReferencesRequest::METHOD.as_str() => {
                self.with::<ReferencesRequest>(params, |doc, p: ReferenceParams| {
                    let view = doc.view();
                    let at = p.text_document_position_params.position;
                    let found = navigation::references(&view, at, p.context.include_declaration);
                    Ok(locations(view.uri, found))
                })
            }
            m if m == PrepareRenameRequest::METHOD.as_str() => {
                self.with::<PrepareRenameRequest>(params, |doc, p: PrepareRenameParams| {
                    navigation::prepare_rename(
                        &doc.view(),
                        p.text_document_position_params.position,
                    )
                })
            }
            m if m == RenameRequest::METHOD.as_str() => {
                self.with::<RenameRequest>(params, |doc, p: RenameParams| {
                    let at = p.text_document_position_params.position;
                    navigation::rename(&doc.view(), at, &p.new_name).map(Some)
                })
            }
            m if m == DocumentSymbolRequest::METHOD.as_str() => {
                self.with::<DocumentSymbolRequest>(params, |doc, _: DocumentSymbolParams| {
                    Ok(Some(DocumentSymbolResponse::DocumentSymbolList(symbols::symbols(
                        &doc.view(),
                    ))))
                })
            }
            m if m == CodeActionRequest::METHOD.as_str() => {
                self.with::<CodeActionRequest>(params, |doc, p: CodeActionParams| {
                    let actions = fixes::actions(&doc.view(), p.range);
                    Ok(Some(actions.into_iter().map(CodeActionResponse::CodeAction).collect()))
                })
            }
            _ => Err(LspError::UnknownMethod { method: method.to_owned() }),
        }
    }

    /// Reads `R`'s parameters and runs `handle` on the document they name.
    fn with<R: LspRequest>(
        &mut self,
        params: serde_json::Value,
        handle: impl FnOnce(&mut Document, R::Params) -> Result<R::Result, LspError>,
    ) -> Result<serde_json::Value, LspError> {
        let method = R::METHOD.as_str();
        let invalid = |error| LspError::InvalidParams { method: method.to_owned(), error };
        let uri = document_uri(&params)
            .ok_or_else(|| invalid(serde::de::Error::missing_field("textDocument")))?;
        let params: R::Params = serde_json::from_value(params).map_err(invalid)?;
        let document = self.documents.get_mut(&uri).ok_or(LspError::UnknownDocument { uri })?;
        Ok(serde_json::to_value(handle(document, params)?)?)
    }

    fn notification(&mut self, note: Notification) {
        let params = note.params;
        match note.method.as_str() {
            "textDocument/didOpen" => {
                let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(params) else {
                    return;
                };
                let doc = p.text_document;
                let document = Document::new(doc.uri.clone(), doc.version, doc.text, self.encoding);
                self.documents.insert(doc.uri.0, document);
            }
            "textDocument/didChange" => {
                let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(params) else {
                    return;
                };
                let id = p.text_document;
                if let Some(document) = self.documents.get_mut(&id.text_document_identifier.uri.0) {
                    document.change(id.version, p.content_changes);
                }
            }
            "textDocument/didSave" => {
                // The lock file beside the spec may have changed with it.
                let Ok(p) = serde_json::from_value::<DidSaveTextDocumentParams>(params) else {
                    return;
                };
                if let Some(document) = self.documents.get_mut(&p.text_document.uri.0) {
                    document.refresh();
                }
            }
            "textDocument/didClose" => {
                let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(params) else {
                    return;
                };
                let uri = p.text_document.uri;
                if self.documents.remove(&uri.0).is_some() {
                    self.clear(uri);
                }
            }
            _ => {}
        }
    }

    /// Removes the diagnostics of a closed document from the client.
    fn clear(&self, uri: Uri) {
        let params = PublishDiagnosticsParams { uri, version: None, diagnostics: Vec::new() };
        self.notify("textDocument/publishDiagnostics", params);
    }
}

/// The `textDocument.uri` of a request's parameters.
fn document_uri(params: &serde_json::Value) -> Option<String> {
    params.get("textDocument")?.get("uri")?.as_str().map(str::to_owned)
}

/// `ranges` in the document `uri`; `None` when there are none.
fn locations(uri: &Uri, ranges: Vec<gen_lsp_types::Range>) -> Option<Vec<Location>> {
    (!ranges.is_empty())
        .then(|| ranges.into_iter().map(|range| Location { uri: uri.clone(), range }).collect())
}

/// What the server offers.
fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSync::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::Incremental),
            save: Some(true.into()),
            ..TextDocumentSyncOptions::default()
        })),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![".".to_owned(), "\"".to_owned(), "=".to_owned()]),
            ..CompletionOptions::default()
        }),
        hover_provider: Some(HoverProvider::Bool(true)),
        definition_provider: Some(DefinitionProvider::Bool(true)),
        references_provider: Some(ReferencesProvider::Bool(true)),
        document_symbol_provider: Some(DocumentSymbolProvider::Bool(true)),
        code_action_provider: Some(CodeActionProvider::CodeActionOptions(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QuickFix]),
            ..CodeActionOptions::default()
        })),
        rename_provider: Some(RenameProvider::RenameOptions(RenameOptions {
            prepare_provider: Some(true),
            ..RenameOptions::default()
        })),
        ..ServerCapabilities::default()
    }
}
