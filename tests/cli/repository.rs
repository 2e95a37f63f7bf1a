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
