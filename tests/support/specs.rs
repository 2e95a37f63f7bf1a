//! The specs of the repository that must compile: every example and every
//! valid fixture, found by walking their folders (shared by test crates
//! through `#[path]`).

use std::path::{Path, PathBuf};

/// Every `.kdl` file under `examples/`, `tests/fixtures/valid/` and
/// `tests/fixtures/beyond-schema/`, sorted.
pub fn valid_specs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut specs = Vec::new();
    for dir in ["examples", "tests/fixtures/valid", "tests/fixtures/beyond-schema"] {
        let mut stack = vec![root.join(dir)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("a folder") {
                let path = entry.expect("an entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "kdl") {
                    specs.push(path);
                }
            }
        }
    }
    specs.sort();
    specs
}
