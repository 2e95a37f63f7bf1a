//! `cigen init [--target github]`: a starter spec that `gen` and `check`
//! accept as it is.

use super::Project;
use super::report::Reporter;
use crate::target::Target;

pub fn run(project: &Project, reporter: &mut Reporter, target: Target) -> u8 {
    // The table names a starter for every target, and build.rs embeds it.
    let text = crate::render::embedded(target.row().starter).unwrap_or_default();
    if let Err(code) = project.create_spec(reporter, text) {
        return code;
    }
    reporter.line(&format!(
        "wrote `{}`\n  next: run `{} gen`, then commit both files",
        project.spec_display, project.command
    ));
    0
}
