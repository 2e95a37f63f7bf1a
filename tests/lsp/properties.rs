//! Whatever the client sends, the server answers: mutated documents,
//! random edits (ranges past the end included) and requests at random
//! positions never make it fail or stop.

use proptest::prelude::*;
use serde_json::{Value, json};

use crate::harness::Client;

const URI: &str = "file:///tmp/cigen-lsp-properties/pipeline.kdl";

const BASE: &str = include_str!("../../examples/python-matrix/pipeline.kdl");

/// Characters that KDL and expressions give meaning to, and a few others.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "\"", "{", "}", ";", "=", "\n", " ", "#", "/", "*", "-", "\\", "(", ")", "${{", "}}",
            ".", "'", "é", "😀", "\r\n", "needs", "job", "matrix.", "needs.", "steps.", "#true",
        ])
        .prop_map(str::to_owned),
        "[a-z_]{1,6}",
    ]
}

#[derive(Debug, Clone)]
struct Edit {
    start: (u32, u32),
    end: (u32, u32),
    text: String,
}

fn position() -> impl Strategy<Value = (u32, u32)> {
    prop_oneof![(0u32..80, 0u32..60), (0u32..u32::MAX, 0u32..u32::MAX)]
}

fn edit() -> impl Strategy<Value = Edit> {
    (position(), position(), prop::collection::vec(piece(), 0..4))
        .prop_map(|(start, end, text)| Edit { start, end, text: text.concat() })
}

fn range(edit: &Edit) -> Value {
    json!({
        "start": { "line": edit.start.0, "character": edit.start.1 },
        "end": { "line": edit.end.0, "character": edit.end.1 },
    })
}

const METHODS: &[&str] = &[
    "textDocument/completion",
    "textDocument/hover",
    "textDocument/definition",
    "textDocument/references",
    "textDocument/prepareRename",
    "textDocument/rename",
    "textDocument/documentSymbol",
    "textDocument/codeAction",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn the_server_survives_anything(
        utf8 in any::<bool>(),
        edits in prop::collection::vec(edit(), 1..6),
        asks in prop::collection::vec((0..METHODS.len(), position()), 1..10),
    ) {
        let mut client = Client::start(Some(if utf8 { &["utf-8"] } else { &["utf-16"] }));
        client.open(URI, BASE);
        for (i, edit) in edits.iter().enumerate() {
            client.notify("textDocument/didChange", json!({
                "textDocument": { "uri": URI, "version": i + 2 },
                "contentChanges": [{ "range": range(edit), "text": edit.text }],
            }));
            for (method, (line, character)) in &asks {
                let position = json!({ "line": line, "character": character });
                let params = json!({
                    "textDocument": { "uri": URI },
                    "position": position,
                    "range": { "start": position, "end": position },
                    "context": { "includeDeclaration": true, "diagnostics": [] },
                    "newName": "renamed",
                });
                if let Err(error) = client.request(METHODS[*method], params) {
                    // A refused rename is an answer; a failure is not.
                    prop_assert_ne!(error.code, lsp_server::ErrorCode::InternalError as i32, "{}", error.message);
                }
            }
        }
        client.diagnostics(URI, edits.len() as i64 + 1);
        prop_assert_eq!(client.shutdown(), cigen::lsp::Ending::Clean);
    }
}
