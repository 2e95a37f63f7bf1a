//! A client for the server in-process, over `Connection::memory()`.

use std::thread::JoinHandle;
use std::time::Duration;

use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use serde_json::{Value, json};

use cigen::lsp::Ending;

/// How long the client waits for any answer.
const PATIENCE: Duration = Duration::from_secs(20);

/// A client talking to a server thread.
pub struct Client {
    connection: Connection,
    server: Option<JoinHandle<Result<Ending, cigen::lsp::LspError>>>,
    next: i32,
    /// Notifications received while waiting for responses.
    pub notifications: Vec<Notification>,
    /// What the server answered to `initialize`.
    pub initialized: Value,
}

impl Client {
    /// A server started with `encodings` offered (none: the field left out).
    pub fn start(encodings: Option<&[&str]>) -> Self {
        let (client, server) = Connection::memory();
        let thread = std::thread::spawn(move || cigen::lsp::serve(&server));
        let mut this = Self {
            connection: client,
            server: Some(thread),
            next: 0,
            notifications: Vec::new(),
            initialized: Value::Null,
        };
        let general = encodings.map(|e| json!({ "positionEncodings": e }));
        let capabilities = match general {
            Some(general) => json!({ "general": general }),
            None => json!({}),
        };
        let result = this
            .request(
                "initialize",
                json!({ "processId": null, "rootUri": null, "capabilities": capabilities }),
            )
            .expect("initialize succeeds");
        this.initialized = result;
        this.notify("initialized", json!({}));
        this
    }

    /// The position encoding the server picked.
    pub fn encoding(&self) -> &str {
        self.initialized["capabilities"]["positionEncoding"].as_str().unwrap_or("utf-16")
    }

    pub fn notify(&self, method: &str, params: Value) {
        let note = Notification::new(method.to_owned(), params);
        self.connection.sender.send(note.into()).expect("the server is listening");
    }

    /// Sends a request without waiting; its id.
    pub fn send(&mut self, method: &str, params: Value) -> RequestId {
        self.next += 1;
        let id = RequestId::from(self.next);
        let request = Request::new(id.clone(), method.to_owned(), params);
        self.connection.sender.send(request.into()).expect("the server is listening");
        id
    }

    /// The response to request `id`.
    pub fn response(&mut self, id: &RequestId) -> Response {
        loop {
            match self.receive() {
                Message::Response(response) if response.id == *id => return response,
                Message::Response(_) => {}
                Message::Notification(note) => self.notifications.push(note),
                Message::Request(request) => panic!("unexpected request {request:?}"),
            }
        }
    }

    /// Sends a request and waits for its result.
    pub fn request(
        &mut self,
        method: &str,
        params: Value,
    ) -> Result<Value, lsp_server::ResponseError> {
        let id = self.send(method, params);
        self.response(&id).response_result
    }

    fn receive(&self) -> Message {
        self.connection.receiver.recv_timeout(PATIENCE).expect("the server answers in time")
    }

    pub fn open(&self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "kdl", "version": 1, "text": text } }),
        );
    }

    /// Waits for the diagnostics of `uri` at `version`, skipping older ones.
    pub fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let matches = |note: &Notification| {
            note.method == "textDocument/publishDiagnostics"
                && note.params["uri"] == uri
                && note.params["version"].as_i64() == Some(version)
        };
        if let Some(at) = self.notifications.iter().position(matches) {
            let note = self.notifications.remove(at);
            return note.params["diagnostics"].as_array().cloned().unwrap_or_default();
        }
        loop {
            match self.receive() {
                Message::Notification(note) if matches(&note) => {
                    return note.params["diagnostics"].as_array().cloned().unwrap_or_default();
                }
                Message::Notification(note) => self.notifications.push(note),
                other => panic!("unexpected {other:?}"),
            }
        }
    }

    /// Every notification until the server has been quiet for `quiet`.
    pub fn drain(&mut self, quiet: Duration) -> Vec<Notification> {
        let mut all = std::mem::take(&mut self.notifications);
        while let Ok(message) = self.connection.receiver.recv_timeout(quiet) {
            if let Message::Notification(note) = message {
                all.push(note);
            }
        }
        all
    }

    /// `shutdown`, then `exit`: how the server ended.
    pub fn shutdown(mut self) -> Ending {
        self.request("shutdown", Value::Null).expect("shutdown succeeds");
        self.notify("exit", Value::Null);
        self.join()
    }

    /// Waits for the server thread.
    pub fn join(mut self) -> Ending {
        let server = self.server.take().expect("one join");
        server.join().expect("the server thread never panics").expect("the protocol holds")
    }
}

/// A text with `$0` at the cursor: the text without it, and the cursor's
/// byte offset.
pub fn cursor(fixture: &str) -> (String, usize) {
    let at = fixture.find("$0").expect("the fixture marks its cursor with $0");
    (fixture.replacen("$0", "", 1), at)
}

/// The position of byte `offset` of `text` in `encoding`.
pub fn position(text: &str, offset: usize, encoding: &str) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = &text[start..offset];
    let character = match encoding {
        "utf-8" => column.len(),
        _ => column.encode_utf16().count(),
    };
    json!({ "line": line, "character": character })
}

/// The byte offset of `position` in `text`, counted in `encoding`.
pub fn offset(text: &str, position: &Value, encoding: &str) -> usize {
    let line = position["line"].as_u64().expect("a line") as usize;
    let character = position["character"].as_u64().expect("a character") as usize;
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let rest = &text[start..];
    let mut units = 0;
    for (i, c) in rest.char_indices() {
        if units >= character || c == '\n' {
            return start + i;
        }
        units += if encoding == "utf-8" { c.len_utf8() } else { c.len_utf16() };
    }
    text.len()
}

/// A document URI for `name` in the test fixtures.
pub fn uri(path: &std::path::Path) -> String {
    format!("file://{}", path.display())
}

/// `text` with `edits` (LSP `TextEdit`s in `encoding`) applied.
pub fn apply(text: &str, edits: &[Value], encoding: &str) -> String {
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            let start = offset(text, &e["range"]["start"], encoding);
            let end = offset(text, &e["range"]["end"], encoding);
            (start, end, e["newText"].as_str().expect("new text").to_owned())
        })
        .collect();
    spans.sort_by_key(|(start, _, _)| std::cmp::Reverse(*start));
    let mut out = text.to_owned();
    for (start, end, new) in spans {
        out.replace_range(start..end, &new);
    }
    out
}
