//! The template files: everything under `templates/` is embedded in the
//! binary at build time (see `build.rs`); each workflow template is
//! replaceable by a file of the same relative path under `--templates DIR`.

use std::path::{Path, PathBuf};

include!(concat!(env!("OUT_DIR"), "/templates.rs"));

/// The built-in file at `name` under `templates/`.
pub fn embedded(name: &str) -> Option<&'static str> {
    EMBEDDED.iter().find(|(n, _)| *n == name).map(|(_, text)| *text)
}

/// Where templates come from.
#[derive(Clone, Debug, Default)]
pub struct TemplateSource {
    overrides: Option<PathBuf>,
}

impl TemplateSource {
    /// Embedded templates, overridden file by file from `dir` when given.
    pub fn new(overrides: Option<PathBuf>) -> Self {
        Self { overrides }
    }

    /// The override folder, if any.
    pub fn overrides(&self) -> Option<&Path> {
        self.overrides.as_deref()
    }

    /// The text of template `name`: the override file if it exists, else the
    /// embedded one, else `None`.
    pub fn load(&self, name: &str) -> std::io::Result<Option<String>> {
        if name.split('/').any(|part| part == ".." || part.is_empty()) {
            return Ok(None);
        }
        if let Some(dir) = &self.overrides {
            match std::fs::read_to_string(dir.join(name)) {
                Ok(text) => return Ok(Some(text)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        Ok(embedded(name).map(str::to_owned))
    }
}
