//! `cigen import [PATH…] [--write]`: the spec that generates existing
//! workflow files.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::error::CliError;
use super::report::Reporter;
use super::{EXIT_ERROR, Project, print};
use crate::import::{self, File};
use crate::target::Target;

/// The folders workflows are read from when no path is given, and the
/// target each stands for (Gitea's folder is read by the Forgejo target,
/// with `file` naming the output).
pub const FOLDERS: &[(&str, Target)] = &[
    (".github/workflows", Target::Github),
    (".forgejo/workflows", Target::Forgejo),
    (".gitea/workflows", Target::Forgejo),
];

pub fn run(
    project: &Project,
    reporter: &mut Reporter,
    paths: &[PathBuf],
    target: Option<Target>,
    write: bool,
) -> u8 {
    let files = match collect(project, paths, target) {
        Ok(files) => files,
        Err(Refused::Cli(error)) => {
            reporter.error(error);
            return EXIT_ERROR;
        }
        Err(Refused::Located(error)) => {
            reporter.diagnostic(error.as_ref());
            reporter.error(CliError::NotImported { count: 1 });
            return EXIT_ERROR;
        }
    };
    let imported = match import::import(&files) {
        Ok(imported) => imported,
        Err(errors) => {
            for error in &errors {
                reporter.diagnostic(error);
            }
            reporter.error(CliError::NotImported { count: errors.len() });
            return EXIT_ERROR;
        }
    };
    for note in &imported.notes {
        reporter.line(&format!("note: {note}"));
    }
    if !write {
        return print(reporter, imported.spec.as_bytes());
    }
    if let Err(code) = project.create_spec(reporter, &imported.spec) {
        return code;
    }
    reporter.line(&format!(
        "wrote `{}` from {} workflow file{}\n  next: run `{} gen`, which takes the files over, then `{} check`",
        project.spec_display,
        files.len(),
        if files.len() == 1 { "" } else { "s" },
        project.command,
        project.command
    ));
    0
}

/// The files to import: `paths` (files, or folders of `.yml` and `.yaml`
/// files), or every workflow of the project's workflow folders.
/// Why the files could not be collected.
enum Refused {
    /// An error of the command line or the disk.
    Cli(CliError),
    /// A file that is not UTF-8, located.
    Located(Box<crate::import::error::Located>),
}

impl From<CliError> for Refused {
    fn from(error: CliError) -> Self {
        Self::Cli(error)
    }
}

fn collect(
    project: &Project,
    paths: &[PathBuf],
    target: Option<Target>,
) -> Result<Vec<File>, Refused> {
    let mut found: Vec<(PathBuf, Option<Target>)> = Vec::new();
    if paths.is_empty() {
        for (folder, folder_target) in FOLDERS {
            for file in project.tree.files(folder, &[".yml", ".yaml"]) {
                found.push((project.tree.root().join(file), Some(*folder_target)));
            }
        }
        if found.is_empty() {
            return Err(
                CliError::NothingToImport { dir: super::display(project.tree.root()) }.into()
            );
        }
    }
    for path in paths {
        let path = project.base.join(path);
        if path.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(&path)
                .map_err(|error| CliError::CannotRead { path: super::display(&path), error })?
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
                .collect();
            entries.sort();
            found.extend(entries.into_iter().map(|p| (p, None)));
        } else {
            found.push((path, None));
        }
    }
    let root = std::fs::canonicalize(project.tree.root()).ok();
    found
        .into_iter()
        .map(|(path, folder_target)| {
            let shown = super::display(&path);
            let bytes = std::fs::read(&path)
                .map_err(|error| CliError::CannotRead { path: shown.clone(), error })?;
            let text = super::utf8(bytes).map_err(|(text, span)| {
                let error = crate::import::error::ImportError::NotUtf8 { span };
                let located = crate::import::error::located(&shown, &Arc::new(text), error);
                Refused::Located(Box::new(located))
            })?;
            let relative = relative(root.as_deref(), &path);
            let target = target
                .or(folder_target)
                .or_else(|| relative.as_deref().and_then(target_of))
                .ok_or_else(|| CliError::UnknownTarget { path: shown.clone() })?;
            Ok(File { name: shown, relative, text: Arc::new(text), target })
        })
        .collect()
}

/// `path` relative to the project `root`, `/`-separated, when inside it.
fn relative(root: Option<&Path>, path: &Path) -> Option<String> {
    let real = std::fs::canonicalize(path).ok()?;
    let inside = real.strip_prefix(root?).ok()?;
    let parts: Vec<String> =
        inside.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    Some(parts.join("/"))
}

/// The target the folder of a project file stands for.
fn target_of(relative: &str) -> Option<Target> {
    let folder = relative.rsplit_once('/').map(|(folder, _)| folder)?;
    FOLDERS.iter().find(|(f, _)| *f == folder).map(|(_, t)| *t)
}
