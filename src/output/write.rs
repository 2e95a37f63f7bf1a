//! Writing generated files: atomically, mode 0644, never through a symbolic
//! link that leaves the project.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Why a file could not be written (or read).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum WriteError {
    /// The operating system refused.
    #[error("cannot {action} `{}`: {error}", shown(path))]
    #[diagnostic(code(cigen::io))]
    Io { action: &'static str, path: PathBuf, error: io::Error },
    /// The path, or a folder on the way, leads outside the project.
    #[error("`{}` leads outside the project through a symbolic link", shown(path))]
    #[diagnostic(
        code(cigen::symlink),
        help(
            "cigen writes only inside the spec's folder; replace the link with a real folder or file"
        )
    )]
    Outside { path: PathBuf },
    /// The output is itself a symbolic link.
    #[error("`{}` is a symbolic link", shown(path))]
    #[diagnostic(
        code(cigen::symlink),
        help("cigen does not write through links; point `file` at the real path")
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

/// Reads the current file at `root/relative`, refusing links and paths that
/// leave `root`; `None` when there is no file.
pub fn read_existing(root: &Path, relative: &str) -> Result<Option<String>, WriteError> {
    let path = root.join(relative);
    check_inside(root, relative)?;
    match fs::symlink_metadata(&path) {
        Ok(meta) if meta.file_type().is_symlink() => return Err(WriteError::Link { path }),
        Ok(_) => {}
        // No file there, or a file where a folder should be: nothing to read;
        // writing will say what is in the way.
        Err(e) if matches!(e.kind(), io::ErrorKind::NotFound | io::ErrorKind::NotADirectory) => {
            return Ok(None);
        }
        Err(e) => return Err(io("read", &path)(e)),
    }
    let bytes = fs::read(&path).map_err(io("read", &path))?;
    Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
}

/// Whether the file at `root/relative` holds exactly `expected`, compared a
/// block at a time, so an up-to-date file is never read into memory whole.
/// Links and paths that leave `root` are refused, as by [`read_existing`].
pub fn holds_exactly(root: &Path, relative: &str, expected: &str) -> Result<bool, WriteError> {
    use std::io::Read;
    check_inside(root, relative)?;
    let path = root.join(relative);
    match fs::symlink_metadata(&path) {
        Ok(meta) if meta.file_type().is_symlink() => return Err(WriteError::Link { path }),
        Ok(meta) if meta.len() != expected.len() as u64 => return Ok(false),
        Ok(_) => {}
        Err(_) => return Ok(false),
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

/// Every existing folder on the way from `root` to `relative` must resolve
/// inside `root`.
fn check_inside(root: &Path, relative: &str) -> Result<(), WriteError> {
    let root_real = fs::canonicalize(root).map_err(io("open folder", root))?;
    let mut at = root.to_path_buf();
    let parts: Vec<&str> = relative.split('/').collect();
    for part in &parts[..parts.len().saturating_sub(1)] {
        at.push(part);
        match fs::canonicalize(&at) {
            Ok(real) if real.starts_with(&root_real) => {}
            Ok(_) => return Err(WriteError::Outside { path: at }),
            Err(e) if e.kind() == io::ErrorKind::NotADirectory => break,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if fs::symlink_metadata(&at).is_ok() {
                    // A dangling link.
                    return Err(WriteError::Outside { path: at });
                }
                break;
            }
            Err(e) => return Err(io("open folder", &at)(e)),
        }
    }
    Ok(())
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

/// Writes `text` beside `root/relative` under a temporary name, flushed to
/// disk with mode 0644, creating folders as needed; nothing replaces the
/// target until the result is committed.
pub fn stage(root: &Path, relative: &str, text: &str) -> Result<Staged, WriteError> {
    check_inside(root, relative)?;
    let path = root.join(relative);
    let dir = path.parent().unwrap_or(root).to_path_buf();
    fs::create_dir_all(&dir).map_err(io("create folder", &dir))?;
    check_inside(root, relative)?;
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
