//! Finding the project: the folder of `-C`, the spec (the nearest
//! `pipeline.kdl` here or above, as cargo finds `Cargo.toml`), and the
//! `--templates` folder. Each missing one is an error that says which.

use std::path::{Component, Path, PathBuf};

use super::ProjectArgs;
use super::error::CliError;

/// The spec's file name when `-f` does not give one.
pub const SPEC: &str = "pipeline.kdl";

/// The folder cigen runs in: `-C DIR`, which must be a folder, or the
/// current one.
pub fn base(args: &ProjectArgs) -> Result<PathBuf, CliError> {
    let Some(dir) = &args.dir else { return Ok(PathBuf::from(".")) };
    match std::fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => Ok(dir.clone()),
        Ok(_) => Err(CliError::NotAFolder { dir: super::display(dir), problem: "is not a folder" }),
        Err(_) => Err(CliError::NotAFolder { dir: super::display(dir), problem: "does not exist" }),
    }
}

/// The nearest `pipeline.kdl` in `base` or a folder above it, as a path
/// from `base` (`../pipeline.kdl`).
pub fn nearest(base: &Path) -> Option<PathBuf> {
    let real = std::fs::canonicalize(base).ok()?;
    let mut up = base.to_path_buf();
    for folder in real.ancestors() {
        if folder.join(SPEC).is_file() {
            return Some(tidy(&up.join(SPEC), &folder.join(SPEC)));
        }
        up.push("..");
    }
    None
}

/// `path` with each `folder/..` removed, when that names the same file
/// (`real`): through a link, `link/..` is not where `link` is.
fn tidy(path: &Path, real: &Path) -> PathBuf {
    let mut tidied = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(tidied.components().next_back(), Some(Component::Normal(_))) =>
            {
                tidied.pop();
            }
            other => tidied.push(other),
        }
    }
    let same = std::fs::canonicalize(&tidied).is_ok_and(|found| found == real);
    if same { tidied } else { path.to_path_buf() }
}

/// No spec in `base` nor above it.
pub fn no_spec(base: &Path, given: bool, command: &str) -> CliError {
    CliError::NoSpec {
        place: if given { format!("in `{}` ", super::display(base)) } else { "here ".to_owned() },
        help: format!("run `{command} init` to write a starter spec, or name one with `-f SPEC`"),
    }
}

/// `--templates DIR`, when given, must be a folder.
pub fn templates(args: &ProjectArgs, base: &Path) -> Result<(), CliError> {
    match &args.templates {
        Some(dir) if !base.join(dir).is_dir() => {
            Err(CliError::TemplatesFolder { dir: super::display(&base.join(dir)) })
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_spec_is_found_from_a_subfolder() {
        let project = tempfile::tempdir().unwrap();
        std::fs::write(project.path().join(SPEC), "").unwrap();
        std::fs::create_dir_all(project.path().join("a/b")).unwrap();
        let found = nearest(&project.path().join("a/b")).unwrap();
        assert_eq!(found, project.path().join(SPEC));
        std::fs::write(project.path().join("a").join(SPEC), "").unwrap();
        assert_eq!(
            nearest(&project.path().join("a/b")).unwrap(),
            project.path().join("a").join(SPEC)
        );
        assert_eq!(nearest(project.path()).unwrap(), project.path().join(SPEC));
    }

    #[cfg(unix)]
    #[test]
    fn parent_steps_stay_when_a_link_makes_them_matter() {
        let project = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(project.path().join("x/y")).unwrap();
        std::fs::write(project.path().join("x").join(SPEC), "").unwrap();
        std::os::unix::fs::symlink(project.path().join("x/y"), project.path().join("link"))
            .unwrap();
        let found = nearest(&project.path().join("link")).unwrap();
        assert_eq!(found, project.path().join("link/..").join(SPEC));
        assert!(found.is_file());
    }
}
