//! Everything the command line reports as an error, beside the spec's own
//! mistakes: one variant per condition, rendered by miette like every
//! spec diagnostic (the same layout, a code, a help line).

use std::io;

use miette::Diagnostic;
use thiserror::Error;

/// An error of the command line, the disk, or the files cigen compares.
#[derive(Debug, Diagnostic, Error)]
pub enum CliError {
    /// A file could not be read.
    #[error("cannot read `{path}`: {error}")]
    #[diagnostic(code(cigen::read))]
    CannotRead { path: String, error: io::Error },

    /// A file could not be written.
    #[error("cannot write `{path}`: {error}")]
    #[diagnostic(code(cigen::write))]
    CannotWrite { path: String, error: io::Error },

    /// Standard output is gone or full.
    #[error("cannot write to standard output: {error}")]
    #[diagnostic(code(cigen::stdout))]
    Stdout { error: io::Error },

    /// `--templates` names no folder.
    #[error("the templates folder `{dir}` does not exist")]
    #[diagnostic(
        code(cigen::templates_folder),
        help(
            "give `--templates` a folder that mirrors the built-in templates (e.g. DIR/actions/job.yml.j2); `cigen templates export DIR` writes them"
        )
    )]
    TemplatesFolder { dir: String },

    /// `-C DIR` names no folder.
    #[error("`-C {dir}`: `{dir}` {problem}")]
    #[diagnostic(
        code(cigen::no_folder),
        help("`-C DIR` runs cigen as if it was started in the folder DIR")
    )]
    NotAFolder { dir: String, problem: &'static str },

    /// No spec in the folder nor above it.
    #[error("no `pipeline.kdl` {place}or above")]
    #[diagnostic(code(cigen::no_spec))]
    NoSpec {
        place: String,
        #[help]
        help: String,
    },

    /// `templates export` would overwrite files.
    #[error("`{first}` {more}; nothing was written")]
    #[diagnostic(
        code(cigen::templates_exist),
        help("export into a new folder, or remove the files first")
    )]
    TemplatesExist { first: String, more: String },

    /// A workflow argument the spec does not declare.
    #[error("`{spec}` declares no workflow `{id}`")]
    #[diagnostic(code(cigen::unknown_workflow))]
    UnknownWorkflow {
        spec: String,
        id: String,
        #[help]
        help: String,
    },

    /// `init` would overwrite a spec.
    #[error("`{path}` already exists; cigen init never overwrites a spec")]
    #[diagnostic(code(cigen::spec_exists), help("edit it, or remove it first to start over"))]
    SpecExists { path: String },

    /// A generated file is not what the spec generates.
    #[error("{what}")]
    #[diagnostic(code(cigen::drift))]
    Drift {
        what: String,
        #[help]
        help: String,
    },

    /// `check` found drift.
    #[error("{drift} of {total} generated {} out of date", if *total == 1 { "file is" } else { "files are" })]
    #[diagnostic(code(cigen::out_of_date))]
    OutOfDate { drift: usize, total: usize },

    /// `gen` would overwrite files it must not; it writes nothing.
    #[error("refusing to overwrite {what}; nothing was written")]
    #[diagnostic(code(cigen::refused))]
    Refused {
        what: String,
        #[help]
        help: String,
    },

    /// `import` found no workflow file.
    #[error(
        "no workflow files in `{dir}/.github/workflows`, `.forgejo/workflows` or `.gitea/workflows`"
    )]
    #[diagnostic(
        code(cigen::nothing_to_import),
        help("name the files or folders to import: `cigen import PATH…`")
    )]
    NothingToImport { dir: String },

    /// A file to import is outside the folders that tell its target.
    #[error("cannot tell which CI system `{path}` is for")]
    #[diagnostic(
        code(cigen::unknown_target),
        help(
            "it is not under `.github/workflows`, `.forgejo/workflows` or `.gitea/workflows`; say which with `--target github` or `--target forgejo`"
        )
    )]
    UnknownTarget { path: String },

    /// `import` refused some files.
    #[error("nothing was imported: {count} {} above", if *count == 1 { "problem" } else { "problems" })]
    #[diagnostic(
        code(cigen::not_imported),
        help("cigen imports a file only when its spec reproduces the file exactly")
    )]
    NotImported { count: usize },

    /// `--deny warnings` and a spec with warnings.
    #[error("{count} {} denied by `--deny warnings`", if *count == 1 { "warning" } else { "warnings" })]
    #[diagnostic(
        code(cigen::denied_warnings),
        help(
            "fix what each warning says, or take the risk on where it stands with `allow \"NAME\"` in the workflow or job"
        )
    )]
    DeniedWarnings { count: usize },

    /// A write failed after others were staged; nothing was replaced.
    #[error("nothing was written")]
    #[diagnostic(code(cigen::nothing_written))]
    NothingWritten,
}
