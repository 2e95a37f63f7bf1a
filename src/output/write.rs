//! The project's files as cigen touches them: every path it reads for
//! drift, writes or removes goes through one guard, [`Tree::resolve`], which
//! refuses paths that leave the project (through `..`, an absolute path or a
//! symbolic link at any depth) and never follows a link at the end.
//! Writes are atomic, mode 0644, and staged before any file is replaced.

use std::fs::{self, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Component, Path, PathBuf};

/// Why a file could not be read, written or removed.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum WriteError {
    /// The operating system refused.
    #[error("cannot {action} `{}`: {error}", shown(path))]
    #[diagnostic(code(cigen::io))]
    Io { action: &'static str, path: PathBuf, error: io::Error },
    /// The path, or a folder on the way, leads outside the project.
    #[error("`{}` leads outside the project", shown(path))]
    #[diagnostic(
        code(cigen::outside),
        help(
            "cigen reads, writes and removes files only inside the spec's folder; replace the link with a real folder or file"
        )
    )]
    Outside { path: PathBuf },
    /// The file is itself a symbolic link.
    #[error("`{}` is a symbolic link", shown(path))]
    #[diagnostic(
        code(cigen::symlink),
        help("cigen does not read, write or remove through links; point `file` at the real path")
    )]
    Link { path: PathBuf },
}

fn io(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> WriteError {
    let path = path.to_path_buf();
    move |error| WriteError::Io { action, path, error }
}

/// A path for messages, without a leading `./`.
fn shown(path: &Path) -> String {
    let text = path.display().to_string();
    text.strip_prefix("./").map(str::to_owned).unwrap_or(text)
}

/// The project folder: the folder of the spec, which holds every output.
#[derive(Clone, Debug)]
pub struct Tree {
    root: PathBuf,
}

impl Tree {
    /// The project rooted at `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// The root folder, as given.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The guard: `relative` (a `/`-separated path) as a path under the
    /// root, when it and every existing folder on the way stay inside the
    /// project. The last component may be missing, but is never a link.
    pub fn resolve(&self, relative: &str) -> Result<PathBuf, WriteError> {
        let path = self.root.join(relative);
        let lexical = Path::new(relative).components().all(|c| matches!(c, Component::Normal(_)));
        if !lexical || relative.is_empty() {
            return Err(WriteError::Outside { path });
        }
        let root_real = fs::canonicalize(&self.root).map_err(io("open folder", &self.root))?;
        let mut at = self.root.clone();
        let parts: Vec<&str> = relative.split('/').collect();
        for part in &parts[..parts.len() - 1] {
            at.push(part);
            match fs::canonicalize(&at) {
                Ok(real) if real.starts_with(&root_real) => {}
                Ok(_) => return Err(WriteError::Outside { path: at }),
                // A file in the way: the OS error will name it on use.
                Err(e) if e.kind() == io::ErrorKind::NotADirectory => return Ok(path),
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    if fs::symlink_metadata(&at).is_ok() {
                        // A dangling link: it could be made to point anywhere.
                        return Err(WriteError::Outside { path: at });
                    }
                    return Ok(path);
                }
                Err(e) => return Err(io("open folder", &at)(e)),
            }
        }
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => Err(WriteError::Link { path }),
            _ => Ok(path),
        }
    }

    /// The text of the file at `relative`; `None` when there is none.
    pub fn read(&self, relative: &str) -> Result<Option<String>, WriteError> {
        let path = self.resolve(relative)?;
        match fs::read(&path) {
            Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
            // No file there, or a file where a folder should be: nothing to
            // read; writing will say what is in the way.
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::NotFound
                        | io::ErrorKind::NotADirectory
                        | io::ErrorKind::IsADirectory
                ) =>
            {
                Ok(None)
            }
            Err(e) => Err(io("read", &path)(e)),
        }
    }

    /// Whether the file at `relative` holds exactly `expected`, compared a
    /// block at a time, so an up-to-date file is never read whole.
    pub fn holds_exactly(&self, relative: &str, expected: &str) -> Result<bool, WriteError> {
        let path = self.resolve(relative)?;
        match fs::metadata(&path) {
            Ok(meta) if meta.is_file() && meta.len() == expected.len() as u64 => {}
            _ => return Ok(false),
        }
        let mut file = fs::File::open(&path).map_err(io("read", &path))?;
        let mut block = vec![0; 64 * 1024];
        let mut rest = expected.as_bytes();
        loop {
            let read = file.read(&mut block).map_err(io("read", &path))?;
            if read == 0 {
                return Ok(rest.is_empty());
            }
            match rest.strip_prefix(&block[..read]) {
                Some(after) => rest = after,
                None => return Ok(false),
            }
        }
    }

    /// The regular files directly in `folder` whose names end in one of
    /// `extensions`, as `folder/name`, sorted. A folder that is missing,
    /// not a folder, or leads outside the project holds none; links are
    /// skipped.
    pub fn files(&self, folder: &str, extensions: &[&str]) -> Vec<String> {
        let Ok(path) = self.resolve(folder) else { return Vec::new() };
        let Ok(entries) = fs::read_dir(path) else { return Vec::new() };
        let mut files: Vec<String> = entries
            .flatten()
            .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .filter(|name| extensions.iter().any(|ext| name.ends_with(ext)))
            .map(|name| format!("{folder}/{name}"))
            .collect();
        files.sort();
        files
    }

    /// Removes the file at `relative`.
    pub fn remove(&self, relative: &str) -> Result<(), WriteError> {
        let path = self.resolve(relative)?;
        fs::remove_file(&path).map_err(io("remove", &path))
    }

    /// Writes `text` beside `relative` under a temporary name, flushed to
    /// disk with mode 0644, creating folders as needed; nothing replaces the
    /// target until the result is committed.
    pub fn stage(&self, relative: &str, text: &str) -> Result<Staged, WriteError> {
        let path = self.resolve(relative)?;
        let dir = path.parent().unwrap_or(&self.root).to_path_buf();
        fs::create_dir_all(&dir).map_err(io("create folder", &dir))?;
        // The folders exist now: check them again, links included.
        let path = self.resolve(relative)?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let temp = dir.join(format!(".{name}.cigen-{}.tmp", std::process::id()));
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o644);
        let mut file = options.open(&temp).map_err(io("create", &temp))?;
        // From here on, dropping `staged` removes the temporary file.
        let staged = Staged { temp, path, committed: false };
        file.write_all(text.as_bytes()).map_err(io("write", &staged.temp))?;
        file.sync_all().map_err(io("write", &staged.temp))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&staged.temp, fs::Permissions::from_mode(0o644))
                .map_err(io("set permissions of", &staged.temp))?;
        }
        Ok(staged)
    }
}

/// A file written to a temporary name beside its target, waiting for
/// [`Staged::commit`] to rename it into place. Dropped uncommitted, the
/// temporary file is removed and the target is untouched.
#[derive(Debug)]
pub struct Staged {
    temp: PathBuf,
    path: PathBuf,
    committed: bool,
}

impl Staged {
    /// Renames the staged file over its target, atomically.
    pub fn commit(mut self) -> Result<(), WriteError> {
        fs::rename(&self.temp, &self.path).map_err(io("write", &self.path))?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_file(&self.temp);
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn the_guard_refuses_every_way_out() {
        let project = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let tree = Tree::new(project.path());
        for path in ["../x.yml", "/etc/passwd", "a/../../x.yml", "", "./x.yml"] {
            assert!(matches!(tree.resolve(path), Err(WriteError::Outside { .. })), "{path}");
        }
        std::os::unix::fs::symlink(outside.path(), project.path().join("out")).unwrap();
        assert!(matches!(tree.resolve("out/x.yml"), Err(WriteError::Outside { .. })));
        fs::create_dir_all(project.path().join("deep/er")).unwrap();
        std::os::unix::fs::symlink(outside.path(), project.path().join("deep/er/link")).unwrap();
        assert!(matches!(tree.resolve("deep/er/link/x.yml"), Err(WriteError::Outside { .. })));
        std::os::unix::fs::symlink("/nowhere", project.path().join("dangling")).unwrap();
        assert!(matches!(tree.resolve("dangling/x.yml"), Err(WriteError::Outside { .. })));
        std::os::unix::fs::symlink(outside.path().join("f"), project.path().join("f.yml")).unwrap();
        assert!(matches!(tree.resolve("f.yml"), Err(WriteError::Link { .. })));
        assert!(tree.files("out", &[".yml"]).is_empty());
        assert!(tree.resolve("deep/er/x.yml").is_ok());
    }
}
