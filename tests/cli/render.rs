//! `cigen render`.

use crate::harness::yaml;
use crate::{COVERAGE, Test};

#[test]
fn prints_what_gen_writes_and_writes_nothing() {
    let t = Test::new().spec(COVERAGE);
    let printed = t.run(&["render"]).code(0).stdout;
    assert_eq!(t.snapshot_files().len(), 1, "render writes nothing");
    t.run(&["gen"]).code(0);
    assert_eq!(printed, t.read(".forgejo/workflows/ci.yml"));
}

#[test]
fn selects_one_workflow() {
    let spec = format!(
        "{COVERAGE}\nworkflow \"nightly\" {{\n    on {{ schedule \"0 3 * * *\" }}\n    job \"all\" {{ run \"make all\" }}\n}}\n"
    );
    let t = Test::new().spec(&spec);
    let all = t.run(&["render"]).code(0).stdout;
    assert_eq!(all.matches("cigen-digest").count(), 2);
    assert!(all.contains("\n---\n"));
    let nightly = t.run(&["render", "nightly"]).code(0).stdout;
    assert_eq!(nightly.matches("cigen-digest").count(), 1);
    assert_eq!(yaml(&nightly)["jobs"]["all"]["steps"][1]["run"], "make all");
}

#[test]
fn an_unknown_workflow_is_an_error_with_a_suggestion() {
    Test::new()
        .spec(COVERAGE)
        .run(&["render", "cj"])
        .code(2)
        .stderr_has("declares no workflow `cj`")
        .stderr_has("did you mean `ci`?");
}

#[test]
fn an_invalid_spec_prints_no_yaml() {
    let run = Test::new().spec("workflow \"ci\" { on { push } job }").run(&["render"]).code(2);
    assert!(run.stdout.is_empty());
}

#[test]
fn version_and_help_work() {
    let t = Test::new();
    t.run(&["--version"]).code(0).stdout_has("cigen ");
    t.run(&["--help"]).code(0).stdout_has("gen").stdout_has("check").stdout_has("render");
    t.run(&["frobnicate"]).code(2);
}

#[test]
fn blocks_nested_thousands_deep_are_an_error_not_a_crash() {
    let deep = format!("{}{}", "x {".repeat(30_000), "}".repeat(30_000));
    for spec in [deep.clone(), format!("workflow \"ci\" {{\n{deep}\n}}\n")] {
        Test::new()
            .spec(&spec)
            .run(&["render"])
            .code(2)
            .stderr_has("blocks nest more than 32 levels deep")
            .stderr_has("pipeline.kdl:");
    }
}
