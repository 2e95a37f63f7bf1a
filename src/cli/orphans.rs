//! Generated files the spec no longer declares: a workflow that was removed
//! from the spec, or renamed. They are recognised by the header cigen wrote
//! (naming this spec), so a hand-written workflow is never touched.

use std::path::Path;

use crate::Output;
use crate::output::header::{Seal, generated_from, seal};
use crate::output::status::normalize;
use crate::target;

/// A generated file the spec no longer declares.
pub struct Orphan {
    /// Path relative to the spec's folder.
    pub file: String,
    /// Whether it was edited by hand after cigen wrote it.
    pub edited: bool,
}

/// Every orphan in the workflow folders of the targets, sorted by path.
pub fn find(root: &Path, spec_name: &str, outputs: &[Output]) -> Vec<Orphan> {
    let mut folders: Vec<&str> =
        crate::model::Target::ALL.iter().map(|(_, t)| target::info(*t).folder).collect();
    folders.dedup();
    let mut orphans = Vec::new();
    for folder in folders {
        let Ok(entries) = std::fs::read_dir(root.join(folder)) else { continue };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !(name.ends_with(".yml") || name.ends_with(".yaml")) {
                continue;
            }
            let file = format!("{folder}/{name}");
            if outputs.iter().any(|o| o.file == file) {
                continue;
            }
            let is_file = entry.file_type().is_ok_and(|t| t.is_file());
            let Some(text) = is_file.then(|| std::fs::read_to_string(entry.path()).ok()).flatten()
            else {
                continue;
            };
            let text = normalize(&text);
            if generated_from(&text) == Some(spec_name) {
                let edited = matches!(seal(&text), Seal::Broken { .. });
                orphans.push(Orphan { file, edited });
            }
        }
    }
    orphans.sort_by(|a, b| a.file.cmp(&b.file));
    orphans
}
