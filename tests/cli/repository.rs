//! The repository's own generated files are up to date with their specs.

use std::path::Path;
use std::process::Command;

fn check(dir: &Path) {
    let output = Command::new(env!("CARGO_BIN_EXE_cigen"))
        .arg("-C")
        .arg(dir)
        .arg("check")
        .env("NO_COLOR", "1")
        .output()
        .expect("cigen runs");
    assert!(
        output.status.success(),
        "{}: {}",
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_repositorys_own_workflow_is_up_to_date() {
    check(root());
}

#[test]
fn every_example_is_committed_with_its_generated_workflow() {
    let mut seen = 0;
    for entry in std::fs::read_dir(root().join("examples")).expect("examples/") {
        let dir = entry.expect("an entry").path();
        if dir.join("pipeline.kdl").is_file() {
            check(&dir);
            seen += 1;
        }
    }
    assert!(seen >= 1, "no example found");
}

/// The workflow `id` of the spec in `dir`, parsed.
fn rendered(dir: &Path, id: &str) -> serde_json::Value {
    let output = Command::new(env!("CARGO_BIN_EXE_cigen"))
        .arg("-C")
        .arg(dir)
        .args(["render", id])
        .env("NO_COLOR", "1")
        .output()
        .expect("cigen runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    crate::harness::yaml(&String::from_utf8(output.stdout).expect("UTF-8"))
}

/// The `with:` of the step of `job` that uses an action whose name has `action`.
fn with_of<'a>(workflow: &'a serde_json::Value, job: &str, action: &str) -> &'a serde_json::Value {
    let steps = workflow["jobs"][job]["steps"].as_array().expect("steps");
    let step = steps
        .iter()
        .find(|s| s["uses"].as_str().is_some_and(|u| u.contains(action)))
        .unwrap_or_else(|| panic!("`{job}` has no {action} step"));
    &step["with"]
}

#[test]
fn cigen_releases_itself_with_the_matrix_fan_in_of_the_gallery() {
    let release = rendered(root(), "release");
    assert_eq!(release["on"]["push"]["tags"], serde_json::json!(["v*"]));
    let targets: Vec<&str> = release["jobs"]["build"]["strategy"]["matrix"]["target"]
        .as_array()
        .expect("a matrix of targets")
        .iter()
        .filter_map(|t| t.as_str())
        .collect();
    for os in ["x86_64-unknown-linux", "aarch64-unknown-linux", "apple-darwin", "windows"] {
        assert!(targets.iter().any(|t| t.contains(os)), "no {os} leg in {targets:?}");
    }
    // The legs' archives fan in to the job that creates the release, as the
    // gallery's release does: one artifact per leg, all downloaded by pattern.
    let gallery = rendered(&root().join("examples/github-release"), "release");
    let (upload, gallery_upload) = (
        with_of(&release, "build", "upload-artifact"),
        with_of(&gallery, "build", "upload-artifact"),
    );
    assert_eq!(upload["name"], "archives-${{ matrix.target }}");
    assert_eq!(upload["name"], gallery_upload["name"]);
    let (download, gallery_download) = (
        with_of(&release, "release", "download-artifact"),
        with_of(&gallery, "checksums", "download-artifact"),
    );
    for key in ["pattern", "merge-multiple"] {
        assert_eq!(download[key], gallery_download[key], "`{key}` of the fan-in");
    }
    assert_eq!(release["jobs"]["release"]["needs"], serde_json::json!(["build"]));
    let scripts: Vec<&str> = release["jobs"]["release"]["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .filter_map(|s| s["run"].as_str())
        .collect();
    assert!(scripts.iter().any(|s| s.contains("sha256sum") && s.contains("SHA256SUMS")));
    assert!(scripts.iter().any(|s| s.contains("/releases") && s.contains("assets")));
}
