//! `Test`: a temporary project and the cigen binary run inside it.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The coverage example of the language reference.
pub const COVERAGE: &str = include_str!("../../examples/coverage/pipeline.kdl");

/// A temporary project folder.
pub struct Test {
    dir: tempfile::TempDir,
}

/// The outcome of one run.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Default for Test {
    fn default() -> Self {
        Self::new()
    }
}

impl Test {
    pub fn new() -> Self {
        Self { dir: tempfile::tempdir().expect("a temporary folder") }
    }

    /// Writes `pipeline.kdl`.
    pub fn spec(self, text: &str) -> Self {
        self.file("pipeline.kdl", text)
    }

    /// Writes a file, creating its folders.
    pub fn file(self, path: &str, text: &str) -> Self {
        self.write(path, text);
        self
    }

    /// Writes a file in an existing project.
    pub fn write(&self, path: &str, text: &str) {
        let path = self.path(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("folders");
        std::fs::write(path, text).expect("a file");
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path(relative))
            .unwrap_or_else(|e| panic!("cannot read {relative}: {e}"))
    }

    pub fn exists(&self, relative: &str) -> bool {
        self.path(relative).exists()
    }

    /// Runs cigen with `args` in the project folder.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, &[])
    }

    /// Runs cigen with `args` in the project folder, with more environment
    /// variables.
    pub fn run_with(&self, args: &[&str], env: &[(&str, &std::ffi::OsStr)]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_cigen"))
            .current_dir(self.dir.path())
            .args(args)
            .env("NO_COLOR", "1")
            .envs(env.iter().copied())
            .output()
            .expect("cigen runs");
        Run {
            code: output.status.code(),
            stdout: String::from_utf8(output.stdout).expect("UTF-8 stdout"),
            stderr: String::from_utf8(output.stderr).expect("UTF-8 stderr"),
        }
    }

    /// Every file under the project, relative, sorted, with its bytes.
    pub fn snapshot_files(&self) -> Vec<(String, Vec<u8>)> {
        let mut files = Vec::new();
        let mut stack = vec![self.root().to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("readable folder") {
                let path = entry.expect("an entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let relative = path.strip_prefix(self.root()).expect("inside").display();
                    files.push((relative.to_string(), std::fs::read(&path).unwrap_or_default()));
                }
            }
        }
        files.sort();
        files
    }
}

impl Run {
    #[track_caller]
    pub fn code(self, expected: i32) -> Self {
        assert_eq!(self.code, Some(expected), "stderr:\n{}\nstdout:\n{}", self.stderr, self.stdout);
        assert!(!self.stderr.contains("panicked"), "{}", self.stderr);
        self
    }

    #[track_caller]
    pub fn stderr_has(self, text: &str) -> Self {
        assert!(self.stderr.contains(text), "expected {text:?} in stderr:\n{}", self.stderr);
        self
    }

    #[track_caller]
    pub fn stderr_lacks(self, text: &str) -> Self {
        assert!(!self.stderr.contains(text), "unexpected {text:?} in stderr:\n{}", self.stderr);
        self
    }

    #[track_caller]
    pub fn stdout_has(self, text: &str) -> Self {
        assert!(self.stdout.contains(text), "expected {text:?} in stdout:\n{}", self.stdout);
        self
    }
}

/// Parses generated YAML back.
pub fn yaml(text: &str) -> serde_json::Value {
    serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("generated YAML parses: {e}\n{text}"))
}
