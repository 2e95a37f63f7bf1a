//! The diagnostics the server publishes are `cigen check`'s: for every
//! invalid fixture, the same messages, codes, help lines and spans, in
//! both position encodings.

use std::path::Path;

use miette::Diagnostic as _;
use serde_json::{Value, json};

use crate::harness::{Client, offset, uri};

/// What `cigen check` reports for the spec `path`, in the form compared.
fn expected(path: &Path, text: &str) -> Vec<Value> {
    let name = path.file_name().expect("a file").to_string_lossy().into_owned();
    let source = cigen::source::Source::new(path.display().to_string(), text);
    let (checked, warnings) = cigen::check_spec_locked(&source, &name, None);
    let mut found = checked.err().map(|d| d.0).unwrap_or_default();
    found.extend(warnings.0);
    found
        .iter()
        .map(|located| {
            let error = located.error();
            let mut labels = error.labels().into_iter().flatten();
            let first = labels.next().map(|l| (l.offset(), l.offset() + l.len()));
            let mut message = error.to_string();
            if let Some(help) = error.help() {
                message.push_str(&format!("\nhelp: {help}"));
            }
            let related: Vec<Value> = labels
                .map(|l| json!([l.offset(), l.offset() + l.len(), l.label().unwrap_or_default()]))
                .collect();
            let severity = match error.severity() {
                Some(miette::Severity::Warning) => 2,
                _ => 1,
            };
            json!({
                "severity": severity,
                "code": error.code().map(|c| c.to_string()),
                "message": message,
                "span": first.map_or(json!([0, 0]), |(a, b)| json!([a.min(text.len()), b.min(text.len())])),
                "related": related,
            })
        })
        .collect()
}

/// The published diagnostics in the same form, positions read back as bytes.
fn published(diagnostics: &[Value], text: &str, encoding: &str) -> Vec<Value> {
    let span = |range: &Value| {
        json!([offset(text, &range["start"], encoding), offset(text, &range["end"], encoding)])
    };
    diagnostics
        .iter()
        .map(|d| {
            let related: Vec<Value> = d["relatedInformation"]
                .as_array()
                .map(|all| {
                    all.iter()
                        .map(|r| {
                            let s = span(&r["location"]["range"]);
                            json!([s[0], s[1], r["message"]])
                        })
                        .collect()
                })
                .unwrap_or_default();
            assert_eq!(d["source"], "cigen");
            json!({
                "severity": d["severity"],
                "code": d["code"],
                "message": d["message"],
                "span": span(&d["range"]),
                "related": related,
            })
        })
        .collect()
}

fn every_invalid_fixture(encoding: &str) {
    let mut client = Client::start(Some(&[encoding]));
    assert_eq!(client.encoding(), encoding);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("the fixtures are there")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "kdl"))
        .collect();
    paths.sort();
    assert!(paths.len() > 50, "{} invalid fixtures", paths.len());
    for path in &paths {
        // An editor's document is text: the fixture of a file that is not
        // UTF-8 is for `cigen check` reading the disk only.
        let Ok(text) = std::fs::read_to_string(path) else { continue };
        let uri = uri(path);
        client.open(&uri, &text);
        let got = client.diagnostics(&uri, 1);
        let want = expected(path, &text);
        assert!(!want.is_empty(), "{}: cigen check finds nothing", path.display());
        assert_eq!(published(&got, &text, encoding), want, "{}", path.display());
        client.notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } }));
    }
    assert_eq!(client.shutdown(), cigen::lsp::Ending::Clean);
}

#[test]
fn invalid_fixtures_match_check_in_utf8() {
    every_invalid_fixture("utf-8");
}

#[test]
fn invalid_fixtures_match_check_in_utf16() {
    every_invalid_fixture("utf-16");
}

#[test]
fn closing_clears_and_fixing_empties() {
    let mut client = Client::start(None);
    let uri = "file:///tmp/cigen-lsp-test/pipeline.kdl";
    client.open(uri, "workflow \"ci\" { on { push }; job \"a\" { needs \"b\"; run \"x\" } }");
    let found = client.diagnostics(uri, 1);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["code"], "cigen::unknown_job");
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri, "version": 2 },
            "contentChanges": [{ "text": "workflow \"ci\" { on { push }; job \"a\" { run \"x\" } }" }],
        }),
    );
    assert!(client.diagnostics(uri, 2).is_empty());
    client.notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } }));
    let cleared = client.drain(std::time::Duration::from_millis(200));
    assert!(
        cleared.iter().any(|n| n.params["uri"] == uri
            && n.params["diagnostics"].as_array().is_some_and(Vec::is_empty)
            && n.params.get("version").is_none()),
        "{cleared:?}"
    );
    client.shutdown();
}
