//! Snapshot tests: one snapshot per spec file.
//!
//! - every `examples/**/pipeline.kdl`, `tests/fixtures/valid/*.kdl` and
//!   `tests/fixtures/beyond-schema/*.kdl`: the YAML `cigen render` prints;
//! - every `tests/fixtures/invalid/*.kdl`: the diagnostics `cigen render`
//!   prints (no colour, 100 columns), which must end in exit code 2.
//!
//! Adding a case means adding a spec file and reviewing its new snapshot
//! (`INSTA_UPDATE=always cargo test --test snapshots`, then read the diff).

use std::path::Path;
use std::process::{Command, Output};

fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings
}

/// Runs `cigen -f NAME render` in the spec's folder.
fn render(spec: &Path) -> Output {
    let dir = spec.parent().expect("a spec has a folder");
    let name = spec.file_name().expect("a spec has a name");
    Command::new(env!("CARGO_BIN_EXE_cigen"))
        .current_dir(dir)
        .arg("-f")
        .arg(name)
        .arg("render")
        .env("NO_COLOR", "1")
        .output()
        .expect("cigen runs")
}

fn rendered_yaml(spec: &Path) -> String {
    let output = render(spec);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{}: {stderr}", spec.display());
    assert!(output.stderr.is_empty(), "{}: {stderr}", spec.display());
    String::from_utf8(output.stdout).expect("YAML is UTF-8")
}

#[test]
fn examples() {
    settings().bind(|| {
        insta::glob!("../examples", "**/pipeline.kdl", |path| {
            insta::assert_snapshot!(rendered_yaml(path));
        });
    });
}

#[test]
fn valid() {
    settings().bind(|| {
        insta::glob!("fixtures/valid", "*.kdl", |path| {
            insta::assert_snapshot!(rendered_yaml(path));
        });
    });
}

/// Specs whose output the forges run but SchemaStore's schema refuses; each
/// names a public workflow that relies on it. `tests/schema.rs` checks that
/// the schema still refuses them, so none stays here by mistake.
#[test]
fn beyond_schema() {
    settings().bind(|| {
        insta::glob!("fixtures/beyond-schema", "*.kdl", |path| {
            insta::assert_snapshot!(rendered_yaml(path));
        });
    });
}

#[test]
fn invalid() {
    settings().bind(|| {
        insta::glob!("fixtures/invalid", "*.kdl", |path| {
            let output = render(path);
            let stderr = String::from_utf8(output.stderr).expect("diagnostics are UTF-8");
            assert_eq!(output.status.code(), Some(2), "{}: {stderr}", path.display());
            assert!(output.stdout.is_empty(), "{}: nothing may be printed", path.display());
            assert!(!stderr.contains("panicked"), "{}: {stderr}", path.display());
            insta::assert_snapshot!(stderr);
        });
    });
}
