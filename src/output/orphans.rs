//! Generated files the spec no longer declares: a workflow that was removed
//! from the spec, or renamed. They are recognised by the header cigen wrote
//! (naming this spec), so a hand-written workflow is never touched, and they
//! are looked for only through the project's guard ([`Tree`]), so a folder
//! that leads outside the project is never searched.

use super::header::{Seal, generated_from, seal};
use super::status::normalize;
use super::write::Tree;
use crate::Output;
use crate::target::Files;

/// A generated file the spec no longer declares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Orphan {
    /// Path relative to the spec's folder.
    pub file: String,
    /// Whether it was edited by hand after cigen wrote it.
    pub edited: bool,
}

/// Every orphan of spec `spec_name` where targets write (`places`: a
/// target's folder, or its single file), sorted by path.
pub fn find(tree: &Tree, places: &[Files], spec_name: &str, outputs: &[Output]) -> Vec<Orphan> {
    let mut orphans = Vec::new();
    for place in places {
        let candidates = match place {
            Files::Folder(folder) => tree.files(folder, &[".yml", ".yaml"]),
            Files::Single(file) => vec![(*file).to_owned()],
        };
        for file in candidates {
            if outputs.iter().any(|o| o.file == file) {
                continue;
            }
            let Ok(Some(text)) = tree.read(&file) else { continue };
            let text = normalize(&text);
            if generated_from(&text) == Some(spec_name) {
                let edited = matches!(seal(&text), Seal::Broken { .. });
                orphans.push(Orphan { file, edited });
            }
        }
    }
    orphans.sort_by(|a, b| a.file.cmp(&b.file));
    orphans.dedup();
    orphans
}
