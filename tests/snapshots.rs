//! Snapshot tests: one snapshot per spec file.
//!
//! - every `examples/**/pipeline.kdl`, `tests/fixtures/valid/*.kdl` and
//!   `tests/fixtures/beyond-schema/*.kdl`: the YAML `cigen render` prints;
//! - every `tests/fixtures/invalid/*.kdl`: the diagnostics `cigen render`
//!   prints (no colour, 100 columns), which must end in exit code 2;
//! - every `tests/fixtures/valid/*.kdl` moved to each other target
//!   (`on-TARGET@NAME`): the YAML there, or the located refusals;
//! - every `tests/fixtures/warnings/*.kdl`: the warnings `cigen render`
//!   prints, with exit code 0 (and 2 under `--deny warnings`);
//! - `warnings`: every warning of the examples, the valid fixtures and the
//!   repository's own spec, one line each. They may warn, never fail.
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

/// Runs `cigen -f NAME render` in the spec's folder, with `extra` options.
fn render_with(spec: &Path, extra: &[&str]) -> Output {
    let dir = spec.parent().expect("a spec has a folder");
    let name = spec.file_name().expect("a spec has a name");
    Command::new(env!("CARGO_BIN_EXE_cigen"))
        .current_dir(dir)
        .args(extra)
        .arg("-f")
        .arg(name)
        .arg("render")
        .env("NO_COLOR", "1")
        .output()
        .expect("cigen runs")
}

fn render(spec: &Path) -> Output {
    render_with(spec, &[])
}

/// Whether every diagnostic of `stderr` is a warning.
fn only_warnings(stderr: &str) -> bool {
    stderr.lines().all(|line| !line.starts_with("  ×"))
}

fn rendered_yaml(spec: &Path) -> String {
    let output = render(spec);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{}: {stderr}", spec.display());
    assert!(only_warnings(&stderr), "{}: {stderr}", spec.display());
    String::from_utf8(output.stdout).expect("YAML is UTF-8")
}

/// Each warning of `stderr` on one line: its message and where it points.
fn warning_lines(stderr: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut message: Option<&str> = None;
    for line in stderr.lines() {
        if let Some(text) = line.strip_prefix("  ⚠ ") {
            message = Some(text);
        } else if let (Some(text), Some((_, at))) = (message, line.split_once("╭─[")) {
            lines.push(format!("{text} (at {}", at.trim_end_matches(']').to_owned() + ")"));
            message = None;
        }
    }
    lines
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
fn warnings_of_examples_and_valid_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut specs = vec![root.join("pipeline.kdl")];
    for dir in ["examples", "tests/fixtures/valid"] {
        for entry in std::fs::read_dir(root.join(dir)).expect("a folder") {
            let path = entry.expect("an entry").path();
            let spec = if path.is_dir() { path.join("pipeline.kdl") } else { path };
            if spec.extension().is_some_and(|e| e == "kdl") && spec.is_file() {
                specs.push(spec);
            }
        }
    }
    specs.sort();
    let mut summary = String::new();
    for spec in specs {
        let output = render(&spec);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success() && only_warnings(&stderr), "{}: {stderr}", spec.display());
        let lines = warning_lines(&stderr);
        if !lines.is_empty() {
            let shown = spec.strip_prefix(root).unwrap_or(&spec).display().to_string();
            summary.push_str(&format!("{shown}\n"));
            for line in lines {
                summary.push_str(&format!("  {line}\n"));
            }
        }
    }
    settings().bind(|| insta::assert_snapshot!("warnings", summary));
}

#[test]
fn warnings() {
    settings().bind(|| {
        insta::glob!("fixtures/warnings", "*.kdl", |path| {
            let output = render(path);
            let stderr = String::from_utf8(output.stderr).expect("diagnostics are UTF-8");
            assert_eq!(output.status.code(), Some(0), "{}: {stderr}", path.display());
            assert!(only_warnings(&stderr), "{}: {stderr}", path.display());
            assert!(!warning_lines(&stderr).is_empty(), "{}: no warning", path.display());
            assert!(!output.stdout.is_empty(), "{}: the YAML is printed", path.display());
            let denied = render_with(path, &["--deny", "warnings"]);
            assert_eq!(denied.status.code(), Some(2), "{}", path.display());
            assert!(denied.stdout.is_empty(), "{}: nothing is printed", path.display());
            insta::assert_snapshot!(stderr);
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

/// The spec `text` with every workflow moved to `target`: its `target`
/// lines dropped and `target "NAME"` written first in each workflow.
fn retargeted(text: &str, target: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("target \"") && line.starts_with("    target") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
        if line.starts_with("workflow \"") && line.trim_end().ends_with('{') {
            out.push_str(&format!("    target \"{target}\"\n"));
        }
    }
    out
}

/// Every valid fixture on every other target: the YAML it becomes there,
/// or the located refusals of what that target cannot express. A construct
/// added to the language is thereby shown on every target.
#[test]
fn on_every_target() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let mut fixtures: Vec<_> = std::fs::read_dir(root.join("tests/fixtures/valid"))
        .expect("the fixtures")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "kdl"))
        .collect();
    fixtures.sort();
    assert!(fixtures.len() > 20);
    settings().bind(|| {
        for path in &fixtures {
            let name = path.file_name().expect("a name").to_string_lossy().into_owned();
            let text = std::fs::read_to_string(path).expect("a readable fixture");
            for target in ["forgejo", "github", "gitlab"] {
                let own = text.lines().any(|l| l.trim() == format!("target \"{target}\""))
                    || (target == "forgejo" && !text.contains("    target \""));
                if own {
                    continue;
                }
                let spec = scratch.path().join(&name);
                std::fs::write(&spec, retargeted(&text, target)).expect("a scratch spec");
                let output = render(&spec);
                let stdout = String::from_utf8(output.stdout).expect("UTF-8");
                let stderr = String::from_utf8(output.stderr).expect("UTF-8");
                assert!(!stderr.contains("panicked"), "{name}: {stderr}");
                let shown = match output.status.code() {
                    Some(0) => stdout,
                    Some(2) => {
                        assert!(stdout.is_empty(), "{name}: printed with errors");
                        stderr
                    }
                    code => panic!("{name} on {target}: exit {code:?}\n{stderr}"),
                };
                insta::assert_snapshot!(format!("on-{target}@{name}"), shown);
            }
        }
    });
}
