//! `cigen check`: every kind of drift, each with its own message.

use crate::{COVERAGE, Test};

const CI: &str = ".forgejo/workflows/ci.yml";

fn generated() -> Test {
    let t = Test::new().spec(COVERAGE);
    t.run(&["gen"]).code(0);
    t
}

#[test]
fn up_to_date_passes_and_writes_nothing() {
    let t = generated();
    let before = t.snapshot_files();
    t.run(&["check"]).code(0).stderr_has("ok: `.forgejo/workflows/ci.yml` is up to date");
    assert_eq!(t.snapshot_files(), before);
}

#[test]
fn a_missing_file_is_drift() {
    let t = Test::new().spec(COVERAGE);
    t.run(&["check"])
        .code(1)
        .stderr_has("`.forgejo/workflows/ci.yml` is missing")
        .stderr_has("help: run `cigen gen`")
        .stderr_lacks("+name: CI")
        .stderr_lacks("+++");
    assert!(!t.exists(CI));
}

#[test]
fn the_diff_of_a_stale_file_leaves_the_digest_line_out() {
    let t = generated().spec(&COVERAGE.replace("retention-days=1", "retention-days=7"));
    let run = t.run(&["check"]).code(1).stderr_has("+          retention-days: 7");
    assert!(!run.stderr.contains("cigen-digest"), "{}", run.stderr);
    // Hunks still number the lines as they are in the file.
    let line = t.read(CI).lines().position(|l| l.contains("retention-days: 1")).unwrap() + 1;
    let hunk = run.stderr.lines().find(|l| l.starts_with("@@ -")).unwrap();
    let start: usize = hunk[4..].split([',', ' ']).next().unwrap().parse().unwrap();
    assert_eq!(start + 3, line, "{hunk}");
}

#[test]
fn a_renamed_workflow_is_reported_as_a_likely_rename() {
    let t = generated().spec(&COVERAGE.replace("workflow \"ci\"", "workflow \"tests\""));
    t.run(&["check"])
        .code(1)
        .stderr_has(
            "`.forgejo/workflows/tests.yml` is missing and `.forgejo/workflows/ci.yml` is no longer declared: workflow `ci` was likely renamed to `tests`",
        )
        .stderr_has("help: run `cigen gen`: it writes `.forgejo/workflows/tests.yml` and removes `.forgejo/workflows/ci.yml`")
        .stderr_lacks("+++")
        .stderr_lacks("which no longer declares it")
        .stderr_has("2 of 2 generated files are out of date");
    // What changed beside the id is shown.
    let t = t.spec(
        &COVERAGE
            .replace("workflow \"ci\"", "workflow \"tests\"")
            .replace("name \"CI\"", "name \"Tests\""),
    );
    t.run(&["check"])
        .code(1)
        .stderr_has("workflow `ci` was likely renamed to `tests`")
        .stderr_has("--- .forgejo/workflows/ci.yml (on disk)")
        .stderr_has("+++ .forgejo/workflows/tests.yml (generated from pipeline.kdl)")
        .stderr_has("-name: CI\n+name: Tests");
    t.run(&["gen"]).code(0).stderr_has("removed `.forgejo/workflows/ci.yml`");
    t.run(&["check"]).code(0);
}

#[test]
fn an_unrelated_new_workflow_is_not_a_rename() {
    let nightly = "workflow \"nightly\" {\n    on { schedule \"0 3 * * *\" }\n    job \"all\" { run \"make all\" }\n}\n";
    let t = generated().spec(nightly);
    t.run(&["check"])
        .code(1)
        .stderr_has("`.forgejo/workflows/nightly.yml` is missing")
        .stderr_has("`.forgejo/workflows/ci.yml` was generated from `pipeline.kdl`, which no longer declares it")
        .stderr_lacks("renamed");
}

#[test]
fn check_takes_the_workflows_to_check() {
    let spec = format!(
        "{COVERAGE}\nworkflow \"nightly\" {{\n    on {{ schedule \"0 3 * * *\" }}\n    job \"all\" {{ run \"make all\" }}\n}}\n"
    );
    let t = Test::new().spec(&spec);
    t.run(&["gen"]).code(0);
    t.write(CI, &t.read(CI).replace("nox -s lint", "nox -s lint --fix"));
    t.run(&["check", "nightly"])
        .code(0)
        .stderr_has("ok: `.forgejo/workflows/nightly.yml` is up to date")
        .stderr_lacks("ci.yml");
    t.run(&["check", "ci"])
        .code(1)
        .stderr_has("was edited by hand")
        .stderr_has("1 of 1 generated file is out of date");
    t.run(&["check", "nightly", "ci"]).code(1).stderr_has("1 of 2 generated files are out of date");
    t.run(&["check", "nightly", "nigthly", "cy"])
        .code(2)
        .stderr_has("`pipeline.kdl` declares no workflow `nigthly`")
        .stderr_has("did you mean `nightly`?")
        .stderr_has("`pipeline.kdl` declares no workflow `cy`")
        .stderr_lacks("ok:");
}

#[test]
fn a_subset_does_not_look_for_dropped_workflows() {
    let spec = format!(
        "{COVERAGE}\nworkflow \"nightly\" {{\n    on {{ schedule \"0 3 * * *\" }}\n    job \"all\" {{ run \"make all\" }}\n}}\n"
    );
    let t = Test::new().spec(&spec);
    t.run(&["gen"]).code(0);
    let t = t.spec(COVERAGE);
    t.run(&["check", "ci"]).code(0);
    t.run(&["check"]).code(1).stderr_has("no longer declares it");
}

#[test]
fn quiet_prints_nothing_on_success_and_everything_on_drift() {
    let t = generated();
    let run = t.run(&["check", "--quiet"]).code(0);
    assert_eq!((run.stdout.as_str(), run.stderr.as_str()), ("", ""));
    t.write(CI, &t.read(CI).replace("nox -s lint", "nox -s lint --fix"));
    t.run(&["check", "-q"])
        .code(1)
        .stderr_has("was edited by hand")
        .stderr_has("-      - run: nox -s lint --fix");
}

#[test]
fn a_hand_edit_is_drift_with_its_own_message() {
    let t = generated();
    t.write(CI, &t.read(CI).replace("retention-days: 1", "retention-days: 5"));
    let before = t.snapshot_files();
    t.run(&["check"])
        .code(1)
        .stderr_has("was edited by hand")
        .stderr_has("move the change into `pipeline.kdl`, or run `cigen gen --force` to discard it")
        .stderr_has("-          retention-days: 5")
        .stderr_has("+          retention-days: 1")
        .stderr_lacks("is stale")
        .stderr_lacks("changed too");
    assert_eq!(t.snapshot_files(), before);
}

#[test]
fn a_changed_spec_is_drift_with_its_own_message() {
    let t = generated().spec(&COVERAGE.replace("retention-days=1", "retention-days=7"));
    t.run(&["check"])
        .code(1)
        .stderr_has("is stale: `pipeline.kdl` or the templates changed since it was generated")
        .stderr_has("help: run `cigen gen`")
        .stderr_has("+          retention-days: 7")
        .stderr_lacks("edited by hand");
}

#[test]
fn a_hand_edit_and_a_spec_change_are_both_reported() {
    let t = generated();
    t.write(CI, &t.read(CI).replace("nox -s lint", "nox -s lint --fix"));
    let t = t.spec(&COVERAGE.replace("retention-days=1", "retention-days=7"));
    t.run(&["check"])
        .code(1)
        .stderr_has("was edited by hand")
        .stderr_has("`pipeline.kdl` changed too");
}

#[test]
fn crlf_line_endings_alone_are_not_drift() {
    let t = generated();
    t.write(CI, &t.read(CI).replace('\n', "\r\n"));
    t.run(&["check"]).code(0);
    t.run(&["gen"]).code(0).stderr_has("unchanged");
    assert!(t.read(CI).contains("\r\n"), "gen leaves an equivalent CRLF file alone");
}

#[test]
fn a_file_cigen_did_not_write_is_drift() {
    let t = Test::new().spec(COVERAGE).file(CI, "name: ci\n");
    t.run(&["check"]).code(1).stderr_has("was not generated by cigen");
}

#[test]
fn each_file_is_reported_on_its_own() {
    let spec = format!(
        "{COVERAGE}\nworkflow \"nightly\" {{\n    on {{ schedule \"0 3 * * *\" }}\n    job \"all\" {{ run \"make all\" }}\n}}\n"
    );
    let t = Test::new().spec(&spec);
    t.run(&["gen"]).code(0);
    std::fs::remove_file(t.path(".forgejo/workflows/nightly.yml")).unwrap();
    t.run(&["check"])
        .code(1)
        .stderr_has("ok: `.forgejo/workflows/ci.yml` is up to date")
        .stderr_has("`.forgejo/workflows/nightly.yml` is missing")
        .stderr_has("1 of 2 generated files are out of date");
}

#[test]
fn an_invalid_spec_is_an_error_not_drift() {
    let t = generated().spec("workflow \"ci\" {\n    on { push }\n}\n");
    t.run(&["check"]).code(2).stderr_has("needs at least one `job`");
}

#[test]
fn the_fix_names_the_flags_the_user_gave() {
    let t = Test::new().file("sub/ci.kdl", COVERAGE);
    t.run(&["-C", "sub", "-f", "ci.kdl", "check"])
        .code(1)
        .stderr_has("`sub/.forgejo/workflows/ci.yml` is missing")
        .stderr_has("run `cigen -C sub -f ci.kdl gen`");
}

#[cfg(unix)]
#[test]
fn never_reads_an_output_through_a_link_out_of_the_project() {
    let outside = tempfile::tempdir().unwrap();
    let t = generated();
    let text = t.read(CI);
    std::fs::write(outside.path().join("ci.yml"), &text).unwrap();
    std::fs::remove_dir_all(t.path(".forgejo/workflows")).unwrap();
    std::os::unix::fs::symlink(outside.path(), t.path(".forgejo/workflows")).unwrap();
    t.run(&["check"]).code(2).stderr_has("`.forgejo/workflows` leads outside the project");
}

#[cfg(unix)]
#[test]
fn never_looks_for_orphans_through_a_link_out_of_the_project() {
    let outside = tempfile::tempdir().unwrap();
    let t = generated();
    // A generated file of this spec, outside the project, seen through a link.
    std::fs::create_dir_all(t.path(".github")).unwrap();
    std::fs::write(outside.path().join("old.yml"), t.read(CI)).unwrap();
    std::os::unix::fs::symlink(outside.path(), t.path(".github/workflows")).unwrap();
    t.run(&["check"]).code(0).stderr_lacks("no longer declares");
}
