//! `graph`, `init`, `completions`, `man`, and workflows the spec dropped.

use std::process::{Command, Stdio};

use crate::{COVERAGE, Test};

#[test]
fn graph_draws_needs_and_labelled_artifact_edges_in_mermaid() {
    let spec = COVERAGE.replace("job \"coverage\" {", "job \"coverage\" {\n        needs \"lint\"");
    let out = Test::new().spec(&spec).run(&["graph"]).code(0).stdout;
    assert!(out.starts_with("flowchart LR\n"));
    assert!(out.contains("w0j1[\"unit_tests\"]"));
    assert!(out.contains("w0j0 --> w0j2"), "needs is a solid edge:\n{out}");
    assert!(out.contains("w0j1 -.->|\"coverage-data\"| w0j2"), "artifact is dashed:\n{out}");
}

#[test]
fn graph_draws_dot_and_selects_a_workflow() {
    let spec = format!(
        "{COVERAGE}\nworkflow \"nightly\" {{\n    on {{ schedule \"0 3 * * *\" }}\n    job \"all\" {{ run \"make all\" }}\n}}\n"
    );
    let t = Test::new().spec(&spec);
    let both = t.run(&["graph"]).code(0).stdout;
    assert!(both.contains("subgraph w0[\"ci\"]") && both.contains("subgraph w1[\"nightly\"]"));
    let dot = t.run(&["graph", "--format", "dot", "ci"]).code(0).stdout;
    assert!(dot.starts_with("digraph \"ci\" {"));
    assert!(
        dot.contains("\"unit_tests\" -> \"coverage\" [style=dashed, label=\"coverage-data\"];")
    );
    assert!(!dot.contains("nightly"));
    t.run(&["graph", "nightlly"]).code(2).stderr_has("did you mean `nightly`?");
}

#[test]
fn graph_of_an_invalid_spec_is_an_error() {
    Test::new()
        .spec("workflow \"ci\" {}")
        .run(&["graph"])
        .code(2)
        .stderr_has("needs an `on` block");
}

#[test]
fn init_writes_a_starter_that_gen_and_check_accept() {
    for (args, file) in [
        (vec!["init"], ".forgejo/workflows/ci.yml"),
        (vec!["init", "--target", "github"], ".github/workflows/ci.yml"),
    ] {
        let t = Test::new();
        t.run(&args).code(0).stderr_has("wrote `pipeline.kdl`");
        let spec = t.read("pipeline.kdl");
        assert!(spec.contains("relative_files = true"), "the starter explains coverage paths");
        t.run(&["gen"]).code(0);
        t.run(&["check"]).code(0);
        let workflow = crate::harness::yaml(&t.read(file));
        let jobs = workflow["jobs"].as_object().expect("jobs");
        assert_eq!(jobs.len(), 3, "lint, test and coverage");
        assert_eq!(workflow["jobs"]["coverage"]["needs"], serde_json::json!(["test"]));
    }
}

#[test]
fn init_writes_a_gitlab_starter_that_gen_and_check_accept() {
    let t = Test::new();
    t.run(&["init", "--target", "gitlab"]).code(0).stderr_has("wrote `pipeline.kdl`");
    assert!(t.read("pipeline.kdl").contains("relative_files = true"));
    t.run(&["gen"]).code(0).stderr_has("wrote `.gitlab-ci.yml`");
    t.run(&["check"]).code(0);
    let pipeline = crate::harness::yaml(&t.read(".gitlab-ci.yml"));
    assert_eq!(pipeline["test"]["artifacts"]["paths"], serde_json::json!([".coverage"]));
    assert_eq!(
        pipeline["coverage"]["needs"],
        serde_json::json!([{"job": "test", "artifacts": true}])
    );
    assert_eq!(pipeline["lint"]["needs"], serde_json::json!([]));
}

#[test]
fn a_gitlab_file_the_spec_no_longer_declares_is_removed() {
    let spec = "workflow \"ci\" {\n    target \"gitlab\"\n    on { push }\n    job \"a\" { run \"true\" }\n}\n";
    let t = Test::new().spec(spec);
    t.run(&["gen"]).code(0);
    let t = t.spec(&spec.replace("target \"gitlab\"", "target \"github\""));
    t.run(&["check"]).code(1).stderr_has(
        "`.gitlab-ci.yml` was generated from `pipeline.kdl`, which no longer declares it",
    );
    t.run(&["gen"]).code(0).stderr_has("removed `.gitlab-ci.yml`");
    assert!(!t.exists(".gitlab-ci.yml"));
}

#[test]
fn init_never_overwrites_a_spec() {
    let t = Test::new().spec("// mine\n");
    t.run(&["init"]).code(2).stderr_has("already exists");
    assert_eq!(t.read("pipeline.kdl"), "// mine\n");
}

#[test]
fn completions_and_man_page_are_printed() {
    let t = Test::new();
    t.run(&["completions", "bash"]).code(0).stdout_has("_cigen()");
    t.run(&["completions", "fish"]).code(0).stdout_has("complete -c cigen");
    t.run(&["man"]).code(0).stdout_has(".TH CIGEN 1");
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cigen"))
        .arg("man")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cigen runs");
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("cigen ends");
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stderr.is_empty(), "{}", String::from_utf8_lossy(&output.stderr));
}

const WITH_NIGHTLY: &str = "\nworkflow \"nightly\" {\n    on { schedule \"0 3 * * *\" }\n    job \"all\" { run \"make all\" }\n}\n";

#[test]
fn a_dropped_workflow_is_drift_and_gen_removes_it() {
    let t = Test::new().spec(&format!("{COVERAGE}{WITH_NIGHTLY}"));
    t.run(&["gen"]).code(0);
    let t = t.spec(COVERAGE);
    t.run(&["check"])
        .code(1)
        .stderr_has("`.forgejo/workflows/nightly.yml` was generated from `pipeline.kdl`, which no longer declares it")
        .stderr_has("1 of 2 generated files are out of date");
    t.run(&["gen"]).code(0).stderr_has("removed `.forgejo/workflows/nightly.yml`");
    assert!(!t.exists(".forgejo/workflows/nightly.yml"));
    t.run(&["check"]).code(0);
}

#[test]
fn files_cigen_did_not_write_or_another_spec_wrote_are_left_alone() {
    let t = Test::new()
        .spec(COVERAGE)
        .file(".forgejo/workflows/manual.yml", "name: manual\non: push\n")
        .file("other/pipeline.kdl", WITH_NIGHTLY);
    t.run(&["-f", "other/pipeline.kdl", "gen"]).code(0);
    // A spec with another name generated this one into the same folder.
    let foreign = t
        .read("other/.forgejo/workflows/nightly.yml")
        .replace("from pipeline.kdl", "from other.kdl");
    t.write(".forgejo/workflows/nightly.yml", &foreign);
    t.run(&["gen"]).code(0).stderr_lacks("removed");
    t.run(&["check"]).code(0);
    assert!(t.exists(".forgejo/workflows/manual.yml"));
    assert!(t.exists(".forgejo/workflows/nightly.yml"));
}

#[test]
fn a_dropped_workflow_edited_by_hand_needs_force() {
    let t = Test::new().spec(&format!("{COVERAGE}{WITH_NIGHTLY}"));
    t.run(&["gen"]).code(0);
    let nightly = ".forgejo/workflows/nightly.yml";
    t.write(nightly, &t.read(nightly).replace("make all", "make everything"));
    let t = t.spec(COVERAGE);
    t.run(&["gen"]).code(2).stderr_has("was edited by hand");
    assert!(t.exists(nightly));
    t.run(&["gen", "--force"]).code(0);
    assert!(!t.exists(nightly));
}
