//! `cigen lsp` in-process (over `Connection::memory()`, so stdio is left
//! out): change → published diagnostics on a 50-job spec, valid and broken;
//! each request on it; and a burst of 20 changes on a 1,000-job spec, which
//! must end in one publish.
//!
//! ```text
//! cargo bench --bench lsp             # divan: medians and means
//! LSP_P95=1 cargo bench --bench lsp   # also prints p95 of 1,000 runs each
//! ```
//!
//! Timings assert nothing: BENCHMARKS.md keeps the numbers.

mod scale;

use std::time::{Duration, Instant};

use divan::Bencher;
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{Value, json};

const URI: &str = "file:///tmp/cigen-lsp-bench/pipeline.kdl";

fn main() {
    if std::env::var_os("LSP_P95").is_some() {
        percentiles();
    }
    divan::main();
}

/// A client with the server on its own thread and the spec open.
struct Session {
    connection: Connection,
    version: i64,
    next: i32,
    text: String,
}

impl Session {
    fn new(text: String) -> Self {
        let (client, server) = Connection::memory();
        std::thread::spawn(move || cigen::lsp::serve(&server));
        let mut session = Self { connection: client, version: 1, next: 0, text };
        session.request("initialize", json!({ "capabilities": {} }));
        session.notify("initialized", json!({}));
        let open = json!({ "textDocument": { "uri": URI, "languageId": "kdl", "version": 1, "text": session.text } });
        session.notify("textDocument/didOpen", open);
        session.published(1);
        session
    }

    fn notify(&self, method: &str, params: Value) {
        let note = Notification::new(method.to_owned(), params);
        self.connection.sender.send(note.into()).expect("the server listens");
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next += 1;
        let id = RequestId::from(self.next);
        let request = Request::new(id.clone(), method.to_owned(), params);
        self.connection.sender.send(request.into()).expect("the server listens");
        loop {
            match self.connection.receiver.recv().expect("the server answers") {
                Message::Response(r) if r.id == id => return r.response_result.expect("no error"),
                _ => {}
            }
        }
    }

    /// Waits for the diagnostics of `version`; how many publishes came.
    fn published(&self, version: i64) -> usize {
        let mut count = 0;
        loop {
            if let Message::Notification(note) = self.connection.receiver.recv().expect("a publish")
                && note.method == "textDocument/publishDiagnostics"
            {
                count += 1;
                if note.params["version"].as_i64() == Some(version) {
                    return count;
                }
            }
        }
    }

    /// Types or deletes one character at the start of line 0 (a comment).
    fn send_edit(&mut self) {
        self.version += 1;
        let (end, text) = if self.version % 2 == 0 { (0, "x") } else { (1, "") };
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": URI, "version": self.version },
                "contentChanges": [{
                    "range": { "start": { "line": 0, "character": 2 }, "end": { "line": 0, "character": 2 + end } },
                    "text": text,
                }],
            }),
        );
    }

    fn edit(&mut self) -> usize {
        self.send_edit();
        self.published(self.version)
    }
}

/// The 50-job spec; broken: an unclosed string at the end.
fn spec(broken: bool) -> String {
    let mut text = scale::spec(50);
    if broken {
        text.push_str("workflow \"broken\" { job \"x\" { run \"never closed\n");
    }
    text
}

#[divan::bench(args = [false, true])]
fn change_to_diagnostics(bencher: Bencher, broken: bool) {
    let mut session = Session::new(spec(broken));
    bencher.bench_local(|| session.edit());
}

/// A request at a job id in a `needs` of the 50-job spec.
fn request(name: &str) -> (&'static str, Value) {
    let text = spec(false);
    let at = text.find("needs \"job-00001\"").expect("a needs") + "needs \"job-0".len();
    let line = text[..at].matches('\n').count();
    let character = at - text[..at].rfind('\n').map_or(0, |i| i + 1);
    let position = json!({ "line": line, "character": character });
    let document = json!({ "uri": URI });
    let method = match name {
        "completion" => "textDocument/completion",
        "hover" => "textDocument/hover",
        "definition" => "textDocument/definition",
        "references" => "textDocument/references",
        "rename" => "textDocument/rename",
        "symbols" => "textDocument/documentSymbol",
        _ => "textDocument/codeAction",
    };
    let mut params = json!({
        "textDocument": document,
        "position": position,
        "range": { "start": position, "end": position },
        "newName": "renamed",
    });
    if matches!(name, "references" | "code_action") {
        params["context"] = json!({ "includeDeclaration": true, "diagnostics": [] });
    }
    (method, params)
}

const REQUESTS: &[&str] =
    &["completion", "hover", "definition", "references", "rename", "symbols", "code_action"];

#[divan::bench(args = REQUESTS)]
fn requests(bencher: Bencher, name: &str) {
    let mut session = Session::new(spec(false));
    let (method, params) = request(name);
    bencher.bench_local(|| session.request(method, params.clone()));
}

/// 20 changes sent at once on a 1,000-job spec, until the publish of the
/// last; panics unless there is exactly one.
#[divan::bench(sample_count = 20)]
fn burst_of_20_on_1000_jobs(bencher: Bencher) {
    let mut session = Session::new(scale::spec(1000));
    bencher.bench_local(|| {
        for _ in 0..20 {
            session.send_edit();
        }
        assert_eq!(session.published(session.version), 1, "one publish for the burst");
    });
}

fn p95(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() * 95 / 100]
}

fn time(runs: usize, mut run: impl FnMut()) -> Duration {
    let samples = (0..runs)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed()
        })
        .collect();
    p95(samples)
}

fn percentiles() {
    for broken in [false, true] {
        let mut session = Session::new(spec(broken));
        let p = time(1000, || {
            session.edit();
        });
        println!(
            "p95 change → diagnostics, 50 jobs, {}: {p:?}",
            if broken { "broken" } else { "valid" }
        );
    }
    let mut session = Session::new(spec(false));
    for name in REQUESTS {
        let (method, params) = request(name);
        let p = time(1000, || {
            session.request(method, params.clone());
        });
        println!("p95 {name}, 50 jobs: {p:?}");
    }
}
