//! Warnings: printed on stderr by `gen`, `check` and `render`, which still
//! succeed; `--deny warnings` fails them (exit 2, nothing written or
//! printed); `allow "NAME"` silences one where it is taken on.

use crate::Test;

const CI: &str = ".github/workflows/ci.yml";

/// A GitHub workflow with an action named by its tag.
const UNPINNED: &str = r#"workflow "ci" {
    target "github"
    on { push }
    job "test" {
        uses "actions/setup-python@v5"
        run "pytest"
    }
}
"#;

#[test]
fn render_prints_the_yaml_and_the_warning() {
    let t = Test::new().spec(UNPINNED);
    let run = t
        .run(&["render"])
        .code(0)
        .stderr_has("cigen::unpinned_action")
        .stderr_has("⚠ `actions/setup-python@v5` is not pinned to a commit")
        .stderr_has("pipeline.kdl:5:14")
        .stdout_has("uses: actions/setup-python@v5");
    assert!(run.stderr.lines().all(|l| !l.starts_with("  ×")), "{}", run.stderr);
}

#[test]
fn gen_writes_and_check_passes_with_warnings() {
    let t = Test::new().spec(UNPINNED);
    t.run(&["gen"]).code(0).stderr_has("is not pinned to a commit").stderr_has("wrote `");
    assert!(t.exists(CI));
    t.run(&["check"]).code(0).stderr_has("is not pinned to a commit").stderr_has("ok: ");
}

#[test]
fn deny_warnings_fails_and_writes_nothing() {
    let t = Test::new().spec(UNPINNED);
    t.run(&["--deny", "warnings", "gen"])
        .code(2)
        .stderr_has("is not pinned to a commit")
        .stderr_has("cigen::denied_warnings")
        .stderr_has("1 warning denied by `--deny warnings`")
        .stderr_lacks("wrote");
    assert!(!t.exists(CI), "nothing is written");
    let run = t.run(&["render", "--deny", "warnings"]).code(2);
    assert!(run.stdout.is_empty(), "no YAML is printed: {}", run.stdout);
    t.run(&["gen"]).code(0);
    t.run(&["check", "--deny", "warnings"]).code(2).stderr_lacks("ok: ");
}

#[test]
fn deny_takes_only_warnings() {
    Test::new().spec(UNPINNED).run(&["--deny", "errors", "render"]).code(2).stderr_has("warnings");
}

#[test]
fn allow_silences_a_warning_in_the_workflow_or_the_job() {
    let in_workflow = UNPINNED.replace("on { push }", "on { push }\n    allow \"unpinned-action\"");
    let t = Test::new().spec(&in_workflow);
    let run = t.run(&["--deny", "warnings", "render"]).code(0);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let in_job =
        UNPINNED.replace("job \"test\" {", "job \"test\" {\n        allow \"unpinned-action\"");
    let t = Test::new().spec(&in_job);
    let run = t.run(&["--deny", "warnings", "render"]).code(0);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    // An allow of one warning leaves the others.
    let other = UNPINNED.replace("on { push }", "on { push }\n    allow \"job-without-steps\"");
    Test::new().spec(&other).run(&["render"]).code(0).stderr_has("is not pinned to a commit");
}

#[test]
fn a_spec_with_mistakes_reports_only_the_mistakes() {
    let broken = UNPINNED.replace("run \"pytest\"", "run \"pytest ${{ matrix.python }}\"");
    Test::new()
        .spec(&broken)
        .run(&["render"])
        .code(2)
        .stderr_has("`matrix.python` is not defined in job `test`")
        .stderr_lacks("is not pinned");
}

#[test]
fn graph_reads_the_spec_without_warning() {
    let run = Test::new().spec(UNPINNED).run(&["graph"]).code(0);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
}

#[test]
fn a_lock_pins_every_action_so_none_is_unpinned() {
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/pin-updates");
    let read = |name: &str| std::fs::read_to_string(example.join(name)).expect("the example");
    let t = Test::new().spec(&read("pipeline.kdl")).file("cigen.lock", &read("cigen.lock"));
    let run = t.run(&["--deny", "warnings", "render"]).code(0);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    std::fs::remove_file(t.path("cigen.lock")).expect("the lock");
    t.run(&["render"]).code(0).stderr_has("`actions/cache@v4` is not pinned to a commit");
}
