//! `cigen init [--target github]`: a starter spec that `gen` and `check`
//! accept as it is.

use std::fs::OpenOptions;
use std::io::Write;

use super::error::CliError;
use super::report::Reporter;
use super::{EXIT_ERROR, Project};
use crate::target::Target;

pub fn run(project: &Project, reporter: &mut Reporter, target: Target) -> u8 {
    // The table names a starter for every target, and build.rs embeds it.
    let text = crate::render::embedded(target.row().starter).unwrap_or_default();
    // `create_new` refuses an existing file atomically: never overwrite a spec.
    let created = OpenOptions::new().write(true).create_new(true).open(&project.spec_path);
    let mut file = match created {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            reporter.error(CliError::SpecExists { path: project.spec_display.clone() });
            return EXIT_ERROR;
        }
        Err(e) => {
            reporter.error(CliError::CannotWrite { path: project.spec_display.clone(), error: e });
            return EXIT_ERROR;
        }
    };
    if let Err(e) = file.write_all(text.as_bytes()).and_then(|()| file.sync_all()) {
        reporter.error(CliError::CannotWrite { path: project.spec_display.clone(), error: e });
        let _ = std::fs::remove_file(&project.spec_path);
        return EXIT_ERROR;
    }
    reporter.line(&format!(
        "wrote `{}`\n  next: run `{} gen`, then commit both files",
        project.spec_display, project.command
    ));
    0
}
