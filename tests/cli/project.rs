//! Finding the project: the nearest spec here or above, `-C`, `--templates`,
//! and `templates export` for a user who has only the binary.

use crate::{COVERAGE, Test};

#[test]
fn a_subfolder_uses_the_nearest_spec_above_and_says_which_with_v() {
    let t = Test::new().spec(COVERAGE).file("src/deep/keep", "");
    t.run_in("src/deep", &["gen"]).code(0).stderr_has("wrote `../../.forgejo/workflows/ci.yml`");
    assert!(t.exists(".forgejo/workflows/ci.yml"));
    assert!(!t.exists("src/deep/.forgejo"));
    t.run_in("src/deep", &["check", "-v"])
        .code(0)
        .stderr_has("using `../../pipeline.kdl`")
        .stderr_has("ok: `../../.forgejo/workflows/ci.yml` is up to date");
    t.run_in("src/deep", &["check"]).code(0).stderr_lacks("using");
    // With -C, the path is shown from where cigen was started.
    t.run(&["-C", "src/deep", "-v", "check"]).code(0).stderr_has("using `pipeline.kdl`");
}

#[test]
fn the_nearest_spec_wins_over_one_further_up() {
    let nightly = "workflow \"nightly\" {\n    on { schedule \"0 3 * * *\" }\n    job \"all\" { run \"make all\" }\n}\n";
    let t = Test::new().spec(COVERAGE).file("tools/pipeline.kdl", nightly).file("tools/x/keep", "");
    t.run(&["-C", "tools/x", "gen", "-v"]).code(0).stderr_has("using `tools/pipeline.kdl`");
    assert!(t.exists("tools/.forgejo/workflows/nightly.yml"));
    assert!(!t.exists(".forgejo/workflows/ci.yml"));
}

#[test]
fn no_spec_here_or_above_says_to_run_init() {
    let t = Test::new();
    for command in ["gen", "check", "render", "graph", "pin"] {
        t.run(&[command])
            .code(2)
            .stderr_has("no `pipeline.kdl` here or above")
            .stderr_has("help: run `cigen init` to write a starter spec");
    }
    t.run(&["-C", ".", "check"]).code(2).stderr_has("no `pipeline.kdl` in `.` or above");
}

#[test]
fn init_and_import_write_in_the_current_folder_not_above() {
    let t = Test::new().spec(COVERAGE).file("sub/keep", "");
    t.run(&["-C", "sub", "init"]).code(0).stderr_has("wrote `sub/pipeline.kdl`");
    assert_eq!(t.read("pipeline.kdl"), COVERAGE);
}

#[test]
fn a_named_spec_is_not_searched_for() {
    let t = Test::new().spec(COVERAGE).file("sub/keep", "");
    t.run(&["-C", "sub", "-f", "pipeline.kdl", "check"])
        .code(2)
        .stderr_has("cannot read `sub/pipeline.kdl`");
}

#[test]
fn a_missing_c_folder_says_exactly_that() {
    let t = Test::new().spec(COVERAGE).file("file", "");
    t.run(&["-C", "nowhere", "check"]).code(2).stderr_has("`-C nowhere`: `nowhere` does not exist");
    t.run(&["gen", "-C", "file"]).code(2).stderr_has("`-C file`: `file` is not a folder");
    t.run(&["-C", "nowhere", "templates", "export", "x"]).code(2).stderr_has("does not exist");
    assert!(!t.exists("nowhere"));
}

#[test]
fn a_missing_templates_folder_is_an_error_for_every_command() {
    let t = Test::new().spec(COVERAGE);
    for command in ["gen", "check", "render", "graph"] {
        t.run(&["--templates", "mine", command])
            .code(2)
            .stderr_has("the templates folder `mine` does not exist")
            .stderr_has("`cigen templates export DIR` writes them");
    }
    assert!(!t.exists(".forgejo"));
}

#[test]
fn exported_templates_render_what_the_built_in_ones_do() {
    let t = Test::new().spec(COVERAGE);
    t.run(&["templates", "export", "mine"])
        .code(0)
        .stderr_has("wrote `mine/actions/job.yml.j2`")
        .stderr_has("wrote `mine/gitlab/pipeline.yml.j2`")
        .stderr_has("run `cigen --templates mine gen`");
    assert!(!t.exists("mine/init"), "starter specs are not templates");
    let built_in = t.run(&["render"]).code(0).stdout;
    assert_eq!(t.run(&["--templates", "mine", "render"]).code(0).stdout, built_in);
    // An edit in the exported copy shows: the files are the ones read.
    let workflow = t.read("mine/actions/workflow.yml.j2");
    t.write("mine/actions/workflow.yml.j2", &workflow.replace("name: {{", "name: mine-{{"));
    t.run(&["--templates", "mine", "render"]).code(0).stdout_has("name: mine-CI");
}

#[test]
fn templates_export_never_overwrites_a_file() {
    let t = Test::new().file("mine/actions/job.yml.j2", "mine\n");
    t.run(&["templates", "export", "mine"])
        .code(2)
        .stderr_has("`mine/actions/job.yml.j2` already exists; nothing was written");
    assert_eq!(t.read("mine/actions/job.yml.j2"), "mine\n");
    assert!(!t.exists("mine/actions/step.yml.j2"));
}
