//! Cursor fixtures: a spec with `$0` at the cursor, and a snapshot of what
//! the server offers there. `tests/lsp/fixtures/completion/*.kdl` snapshot
//! the completion list, `hover/*.kdl` the hover text, and `rename/*.kdl`
//! the document after renaming the name at the cursor to the name its
//! first line gives (`// rename: NEW`).
//!
//! Adding a case means adding a fixture and reviewing its new snapshot
//! (`INSTA_UPDATE=always cargo test --test lsp`).

use std::path::Path;

use serde_json::{Value, json};

use crate::harness::{Client, apply, cursor, position, uri};

fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings
}

/// The server with the fixture at `path` open: the text and the cursor's params.
fn open(path: &Path) -> (Client, String, Value) {
    let fixture = std::fs::read_to_string(path).expect("a fixture reads");
    let (text, at) = cursor(&fixture);
    let client = Client::start(None);
    let uri = uri(path);
    client.open(&uri, &text);
    let params =
        json!({ "textDocument": { "uri": uri }, "position": position(&text, at, "utf-16") });
    (client, text, params)
}

#[test]
fn completion() {
    settings().bind(|| {
        insta::glob!("fixtures/completion", "*.kdl", |path| {
            let (mut client, text, params) = open(path);
            let list =
                client.request("textDocument/completion", params).expect("completion answers");
            let mut out = String::new();
            for item in list["items"].as_array().expect("items") {
                let edit = &item["textEdit"];
                let replaced = apply(&text, std::slice::from_ref(edit), "utf-16");
                let line = edit["range"]["start"]["line"].as_u64().expect("a line") as usize;
                let shown = replaced.lines().nth(line).unwrap_or_default().trim();
                out.push_str(&format!(
                    "{} ({}) → {shown}\n",
                    item["label"].as_str().unwrap_or(""),
                    item["detail"].as_str().unwrap_or("")
                ));
            }
            if out.is_empty() {
                out.push_str("(nothing)\n");
            }
            insta::assert_snapshot!(out);
            client.shutdown();
        });
    });
}

#[test]
fn hover() {
    settings().bind(|| {
        insta::glob!("fixtures/hover", "*.kdl", |path| {
            let (mut client, _, params) = open(path);
            let hover = client.request("textDocument/hover", params).expect("hover answers");
            let text = hover["contents"]["value"].as_str().unwrap_or("(nothing)");
            insta::assert_snapshot!(text);
            client.shutdown();
        });
    });
}

#[test]
fn rename() {
    settings().bind(|| {
        insta::glob!("fixtures/rename", "*.kdl", |path| {
            let (mut client, text, mut params) = open(path);
            let new = text
                .lines()
                .next()
                .and_then(|l| l.strip_prefix("// rename: "))
                .expect("the first line names the new name");
            params["newName"] = json!(new);
            let uri = params["textDocument"]["uri"].clone();
            let prepared =
                client.request("textDocument/prepareRename", params.clone()).expect("prepared");
            assert!(prepared.is_object(), "{}: {prepared}", path.display());
            let edit = client.request("textDocument/rename", params).expect("rename answers");
            let edits = edit["changes"][uri.as_str().expect("a uri")].as_array().expect("edits");
            insta::assert_snapshot!(apply(&text, edits, "utf-16"));
            client.shutdown();
        });
    });
}
