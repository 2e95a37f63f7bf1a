//! The template files: embedded in the binary at build time, each one
//! replaceable by a file of the same relative path under `--templates DIR`.

use std::path::{Path, PathBuf};

/// Every embedded template, by its path under `templates/`.
pub const EMBEDDED: &[(&str, &str)] = &[
    ("actions/workflow.yml.j2", include_str!("../../templates/actions/workflow.yml.j2")),
    ("actions/job.yml.j2", include_str!("../../templates/actions/job.yml.j2")),
    ("actions/step.yml.j2", include_str!("../../templates/actions/step.yml.j2")),
    ("actions/common.yml.j2", include_str!("../../templates/actions/common.yml.j2")),
];

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
        Ok(EMBEDDED.iter().find(|(n, _)| *n == name).map(|(_, text)| (*text).to_owned()))
    }
}
