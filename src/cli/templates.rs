//! `cigen templates export DIR`: the built-in templates as files, for a
//! user who has only the binary and wants to change one with `--templates`.

use std::path::Path;

use super::error::CliError;
use super::report::Reporter;
use super::{EXIT_ERROR, display};
use crate::output::Tree;
use crate::render::EMBEDDED;

/// The embedded files `--templates` can replace: every template set, not
/// the starter specs of `init`.
pub fn exported() -> impl Iterator<Item = (&'static str, &'static str)> {
    EMBEDDED.iter().copied().filter(|(name, _)| !name.starts_with("init/"))
}

/// Writes every template under `dir`, or nothing when one of the files
/// exists already; `gen` is how to generate with them.
pub fn export(reporter: &mut Reporter, dir: &Path, gen_command: &str) -> u8 {
    let existing: Vec<String> = exported()
        .map(|(name, _)| dir.join(name))
        .filter(|path| std::fs::symlink_metadata(path).is_ok())
        .map(|path| display(&path))
        .collect();
    if let Some(first) = existing.first() {
        let more = match existing.len() - 1 {
            0 => "already exists".to_owned(),
            1 => "and 1 more file already exist".to_owned(),
            n => format!("and {n} more files already exist"),
        };
        reporter.error(CliError::TemplatesExist { first: first.clone(), more });
        return EXIT_ERROR;
    }
    if let Err(error) = std::fs::create_dir_all(dir) {
        reporter.error(CliError::CannotWrite { path: display(dir), error });
        return EXIT_ERROR;
    }
    // Stage every file before renaming any into place: all or nothing.
    let tree = Tree::new(dir);
    let mut staged = Vec::new();
    for (name, text) in exported() {
        match tree.stage(name, text) {
            Ok(file) => staged.push((file, name)),
            Err(e) => {
                reporter.diagnostic(&e);
                reporter.error(CliError::NothingWritten);
                return EXIT_ERROR;
            }
        }
    }
    for (file, name) in staged {
        if let Err(e) = file.commit() {
            reporter.diagnostic(&e);
            return EXIT_ERROR;
        }
        reporter.line(&format!("wrote `{}`", display(&dir.join(name))));
    }
    reporter.line(&format!(
        "  next: edit the templates you want to change, delete the others, and run `{gen_command}`"
    ));
    0
}
