//! Definition, references, rename, symbols and quick fixes, asserted
//! directly; and the index kept while the KDL is broken.

use serde_json::{Value, json};

use crate::harness::{Client, apply, position};

const URI: &str = "file:///tmp/cigen-lsp-features/pipeline.kdl";

const SPEC: &str = r#"workflow "ci" {
    on { push }
    job "build" {
        outputs version="${{ steps.v.outputs.version }}"
        run "make" id="v"
    }
    job "test" {
        needs "build"
        run "echo ${{ needs.build.outputs.version }}"
    }
    artifact "dist" path="dist/" from="build" to="test"
}
"#;

fn params(text: &str, needle: &str, nth: usize) -> Value {
    let at = text.match_indices(needle).nth(nth).expect("the needle is there").0 + 1;
    json!({
        "textDocument": { "uri": URI },
        "position": position(text, at, "utf-16"),
        "context": { "includeDeclaration": true },
        "newName": "compile",
    })
}

fn lines(locations: &Value) -> Vec<u64> {
    locations
        .as_array()
        .expect("locations")
        .iter()
        .map(|l| l["range"]["start"]["line"].as_u64().expect("a line"))
        .collect()
}

#[test]
fn definition_and_references_of_a_job() {
    let mut client = Client::start(None);
    client.open(URI, SPEC);
    let definition =
        client.request("textDocument/definition", params(SPEC, "\"build\"", 1)).expect("found");
    assert_eq!(lines(&definition), [2]);
    let references =
        client.request("textDocument/references", params(SPEC, "build", 3)).expect("found");
    assert_eq!(lines(&references), [2, 7, 8, 10]);
    let mut without = params(SPEC, "build", 0);
    without["context"]["includeDeclaration"] = json!(false);
    let references = client.request("textDocument/references", without).expect("found");
    assert_eq!(lines(&references), [7, 8, 10]);
    let nothing =
        client.request("textDocument/definition", params(SPEC, "make", 0)).expect("answered");
    assert_eq!(nothing, Value::Null);
    client.shutdown();
}

#[test]
fn rename_is_prepared_checked_and_applied() {
    let mut client = Client::start(None);
    client.open(URI, SPEC);
    let prepared =
        client.request("textDocument/prepareRename", params(SPEC, "build", 2)).expect("renamable");
    assert_eq!(prepared["placeholder"], "build");
    let edit = client.request("textDocument/rename", params(SPEC, "build", 2)).expect("renamed");
    let edits = edit["changes"][URI].as_array().expect("edits");
    let renamed = apply(SPEC, edits, "utf-16");
    assert_eq!(renamed, SPEC.replace("build", "compile"));
    let mut taken = params(SPEC, "build", 0);
    taken["newName"] = json!("test");
    let refused = client.request("textDocument/rename", taken).expect_err("taken");
    assert!(refused.message.contains("already has a job `test`"), "{}", refused.message);
    let mut invalid = params(SPEC, "build", 0);
    invalid["newName"] = json!("a b");
    let refused = client.request("textDocument/rename", invalid).expect_err("invalid");
    assert!(refused.message.starts_with("invalid job `a b`"), "{}", refused.message);
    let nothing =
        client.request("textDocument/prepareRename", params(SPEC, "make", 0)).expect("answered");
    assert_eq!(nothing, Value::Null);
    client.shutdown();
}

#[test]
fn symbols_outline_workflows_jobs_and_artifacts() {
    let mut client = Client::start(None);
    client.open(URI, SPEC);
    let symbols = client
        .request("textDocument/documentSymbol", json!({ "textDocument": { "uri": URI } }))
        .expect("symbols");
    let outline: Vec<String> = symbols[0]["children"]
        .as_array()
        .expect("children")
        .iter()
        .map(|s| {
            format!("{} {}", s["name"].as_str().unwrap_or(""), s["detail"].as_str().unwrap_or(""))
        })
        .collect();
    assert_eq!(symbols[0]["name"], "ci");
    assert_eq!(symbols[0]["range"]["end"]["line"], 11);
    assert_eq!(outline, ["build ", "test needs build", "dist build → test"]);
    client.shutdown();
}

#[test]
fn a_typo_has_a_quick_fix_carried_on_its_diagnostic() {
    let mut client = Client::start(None);
    let text = SPEC.replace("needs \"build\"", "neds \"biuld\"");
    client.open(URI, &text);
    let diagnostics = client.diagnostics(URI, 1);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0]["data"]["fix"]["newText"], "needs");
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": { "uri": URI },
                "range": diagnostics[0]["range"],
                "context": { "diagnostics": diagnostics },
            }),
        )
        .expect("actions");
    let action = &actions[0];
    assert_eq!(action["title"], "Replace with `needs`");
    assert_eq!(action["kind"], "quickfix");
    let fixed = apply(&text, action["edit"]["changes"][URI].as_array().expect("edits"), "utf-16");
    assert_eq!(fixed, SPEC.replace("needs \"build\"", "needs \"biuld\""));
    client.shutdown();
}

#[test]
fn broken_kdl_keeps_the_last_good_index() {
    let mut client = Client::start(None);
    client.open(URI, SPEC);
    client.diagnostics(URI, 1);
    // An unclosed string on a new line before the artifact breaks the KDL.
    let broken = SPEC.replace("    artifact", "    job \"x\" { run \"oops\n    artifact");
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": URI, "version": 2 }, "contentChanges": [{ "text": broken }] }),
    );
    let diagnostics = client.diagnostics(URI, 2);
    assert!(!diagnostics.is_empty());
    // The KDL does not parse: a syntax error, here a block left open.
    let syntax = ["cigen::syntax", "cigen::unclosed_block"];
    assert!(diagnostics.iter().all(|d| syntax.iter().any(|c| d["code"] == *c)), "{diagnostics:?}");
    let definition =
        client.request("textDocument/definition", params(&broken, "\"build\"", 1)).expect("found");
    assert_eq!(lines(&definition), [2]);
    let at = broken.find("needs \"").expect("needs") + "needs \"".len();
    let completion = client
        .request(
            "textDocument/completion",
            json!({ "textDocument": { "uri": URI }, "position": position(&broken, at, "utf-16") }),
        )
        .expect("completion");
    let labels: Vec<&str> = completion["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert_eq!(labels, ["build"]);
    client.shutdown();
}

#[test]
fn a_slip_in_kdl_that_reads_does_not_freeze_the_index() {
    let mut client = Client::start(None);
    client.open(URI, SPEC);
    client.diagnostics(URI, 1);
    // A new job with an unquoted script: a mistake, but the KDL reads, so
    // the new job is in the index at once.
    let slipped = SPEC
        .replace("    artifact", "    job \"lint\" {\n        run ruff check\n    }\n    artifact");
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": URI, "version": 2 }, "contentChanges": [{ "text": slipped }] }),
    );
    let diagnostics = client.diagnostics(URI, 2);
    assert!(diagnostics.iter().any(|d| d["code"] == "cigen::unquoted"), "{diagnostics:?}");
    let definition =
        client.request("textDocument/definition", params(&slipped, "\"lint\"", 0)).expect("found");
    assert_eq!(lines(&definition), [10]);
    client.shutdown();
}
