//! The protocol: initialisation, encodings, clamped positions,
//! cancellation, shutdown and exit, and documents that must not take the
//! server down.

use std::time::Duration;

use serde_json::{Value, json};

use crate::harness::Client;
use cigen::lsp::Ending;

#[path = "../../benches/scale.rs"]
#[allow(dead_code)]
mod scale;

const URI: &str = "file:///tmp/cigen-lsp-protocol/pipeline.kdl";
const SPEC: &str = "workflow \"ci\" {\n    on { push }\n    job \"build\" { run \"make\" }\n    job \"test\" {\n        needs \"build\"\n        run \"make test\"\n    }\n}\n";

fn at(line: u64, character: u64) -> Value {
    json!({ "textDocument": { "uri": URI }, "position": { "line": line, "character": character } })
}

#[test]
fn encodings_are_negotiated() {
    for (offered, picked) in [
        (Some(&["utf-16", "utf-8"][..]), "utf-8"),
        (Some(&["utf-32", "utf-16"][..]), "utf-16"),
        (Some(&[][..]), "utf-16"),
        (None, "utf-16"),
    ] {
        let client = Client::start(offered);
        assert_eq!(client.encoding(), picked, "{offered:?}");
        let capabilities = &client.initialized["capabilities"];
        assert_eq!(capabilities["renameProvider"]["prepareProvider"], true);
        assert_eq!(capabilities["textDocumentSync"]["change"], 2);
        assert_eq!(client.initialized["serverInfo"]["name"], "cigen");
        assert_eq!(client.shutdown(), Ending::Clean);
    }
}

#[test]
fn shutdown_then_exit_is_clean_and_refuses_requests_between() {
    let mut client = Client::start(None);
    client.request("shutdown", Value::Null).expect("shutdown succeeds");
    let refused = client.request("textDocument/hover", at(0, 0)).expect_err("refused");
    assert_eq!(refused.code, lsp_server::ErrorCode::InvalidRequest as i32);
    client.notify("exit", Value::Null);
    assert_eq!(client.join(), Ending::Clean);
}

#[test]
fn exit_without_shutdown_is_abrupt() {
    let client = Client::start(None);
    client.notify("exit", Value::Null);
    assert_eq!(client.join(), Ending::Abrupt);
}

#[test]
fn positions_past_the_end_are_clamped() {
    let mut client = Client::start(Some(&["utf-16"]));
    client.open(URI, SPEC);
    for (line, character) in
        [(0, 9999), (2, u32::MAX as u64), (9999, 0), (u32::MAX as u64, u32::MAX as u64)]
    {
        for method in ["textDocument/completion", "textDocument/hover", "textDocument/definition"] {
            let answer = client.request(method, at(line, character));
            assert!(answer.is_ok(), "{method} at {line}:{character}: {answer:?}");
        }
    }
    // An edit whose range lies past the end applies at the end.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": URI, "version": 2 },
            "contentChanges": [{
                "range": { "start": { "line": 500, "character": 3 }, "end": { "line": 900, "character": 0 } },
                "text": "// the end\n",
            }],
        }),
    );
    assert!(client.diagnostics(URI, 2).is_empty());
    let symbols = client
        .request("textDocument/documentSymbol", json!({ "textDocument": { "uri": URI } }))
        .expect("symbols");
    assert_eq!(symbols[0]["name"], "ci");
    client.shutdown();
}

#[test]
fn a_cancelled_request_is_answered_as_cancelled() {
    let mut client = Client::start(None);
    // A large spec keeps the server busy analysing while the request and
    // its cancellation arrive, so it reads both before handling either.
    client.open(URI, &scale::spec(2000));
    let id = client.send("textDocument/hover", at(3, 4));
    let number = match serde_json::to_value(&id).expect("an id") {
        Value::Number(n) => n.as_i64().expect("an integer"),
        other => panic!("{other}"),
    };
    client.notify("$/cancelRequest", json!({ "id": number }));
    let response = client.response(&id);
    let error = response.response_result.expect_err("cancelled");
    assert_eq!(error.code, lsp_server::ErrorCode::RequestCanceled as i32);
    // The next request is answered.
    assert!(client.request("textDocument/hover", at(1, 5)).is_ok());
    client.shutdown();
}

#[test]
fn unknown_requests_and_documents_are_errors_not_crashes() {
    let mut client = Client::start(None);
    let unknown =
        client.request("textDocument/formatting", json!({ "textDocument": { "uri": URI } }));
    assert_eq!(
        unknown.expect_err("not answered").code,
        lsp_server::ErrorCode::MethodNotFound as i32
    );
    let closed = client.request("textDocument/hover", at(0, 0));
    assert_eq!(closed.expect_err("not open").code, lsp_server::ErrorCode::InvalidParams as i32);
    let garbage = client.request("textDocument/hover", json!({ "textDocument": 7 }));
    assert_eq!(garbage.expect_err("bad params").code, lsp_server::ErrorCode::InvalidParams as i32);
    client.notify("textDocument/didOpen", json!({ "nonsense": true }));
    client
        .notify("textDocument/didChange", json!({ "textDocument": { "uri": "file:///nowhere" } }));
    assert_eq!(client.shutdown(), Ending::Clean);
}

#[test]
fn bad_documents_do_not_take_the_server_down() {
    let mut client = Client::start(None);
    let deep = "a {".repeat(10_000);
    let texts =
        [deep.as_str(), "\u{0}\u{feff}é\"\\\r\r\n/*", "workflow \"ci\" { job \"", "}}}}{{{{", ""];
    for (i, text) in texts.iter().enumerate() {
        let uri = format!("file:///tmp/cigen-lsp-bad/{i}/pipeline.kdl");
        client.open(&uri, text);
        client.diagnostics(&uri, 1);
        for method in [
            "textDocument/completion",
            "textDocument/hover",
            "textDocument/definition",
            "textDocument/references",
            "textDocument/prepareRename",
            "textDocument/documentSymbol",
        ] {
            let mut params = json!({
                "textDocument": { "uri": uri },
                "position": { "line": 0, "character": 2 },
            });
            if method == "textDocument/references" {
                params["context"] = json!({ "includeDeclaration": true });
            }
            let answer = client.request(method, params);
            assert!(answer.is_ok(), "{method} on document {i}: {answer:?}");
        }
    }
    assert_eq!(client.shutdown(), Ending::Clean);
}

#[test]
fn a_burst_of_edits_ends_in_one_publish_of_the_last_text() {
    let mut client = Client::start(None);
    let text = scale::spec(1000);
    client.open(URI, &text);
    client.diagnostics(URI, 1);
    for version in 2..=21 {
        client.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": URI, "version": version },
                "contentChanges": [{
                    "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } },
                    "text": "// edit\n",
                }],
            }),
        );
    }
    assert!(client.diagnostics(URI, 21).is_empty());
    let later = client.drain(Duration::from_millis(300));
    let publishes: Vec<_> =
        later.iter().filter(|n| n.method == "textDocument/publishDiagnostics").collect();
    assert!(publishes.is_empty(), "only the last text is published: {publishes:?}");
    client.shutdown();
}
