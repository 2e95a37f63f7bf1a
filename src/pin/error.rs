//! Everything `cigen pin` and the lock file can report, one variant per
//! condition. Errors about a reference point at it in the spec; errors
//! about the lock point into `cigen.lock`.

use std::io;
use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

/// Source code a diagnostic points into.
pub type Code = NamedSource<Arc<String>>;

/// One thing `pin` or the lock file found wrong.
#[derive(Debug, Diagnostic, Error)]
pub enum PinError {
    /// The lock file is not KDL.
    #[error("`{file}` is not valid KDL: {message}")]
    #[diagnostic(
        code(cigen::lock_syntax),
        help("`cigen pin` writes this file; remove it and run `cigen pin` to write it again")
    )]
    LockSyntax {
        file: String,
        message: String,
        #[source_code]
        code: Code,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
    },

    /// The lock file nests blocks deeper than any reader descends.
    #[error("`{file}` nests blocks more than {max} levels deep")]
    #[diagnostic(
        code(cigen::lock_too_deep),
        help(
            "`cigen pin` writes this file without blocks; remove it and run `cigen pin` to write it again"
        )
    )]
    LockTooDeep {
        file: String,
        max: usize,
        #[source_code]
        code: Code,
        #[label("block {max} levels deep opens here", max = max + 1)]
        span: SourceSpan,
    },

    /// The lock file is KDL, but not what `cigen pin` writes.
    #[error("invalid `{file}`: {problem}")]
    #[diagnostic(code(cigen::invalid_lock))]
    InvalidLock {
        file: String,
        problem: String,
        #[source_code]
        code: Code,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: String,
    },

    /// `git` is not installed, or cannot be started.
    #[error("cannot run `git`: {error}")]
    #[diagnostic(
        code(cigen::git),
        help("cigen resolves references with `git ls-remote`; install git, or put it on `PATH`")
    )]
    NoGit { error: io::Error },

    /// The repository's host cannot be reached.
    #[error("cannot reach `{repository}`: {detail}")]
    #[diagnostic(code(cigen::network))]
    Network {
        repository: String,
        detail: String,
        #[source_code]
        code: Code,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: String,
    },

    /// No repository answers at the reference's address, or it needs
    /// credentials git does not have.
    #[error("`{repository}` is not a repository cigen can read: {detail}")]
    #[diagnostic(code(cigen::unknown_repository))]
    UnknownRepository {
        repository: String,
        detail: String,
        #[source_code]
        code: Code,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: String,
    },

    /// `git ls-remote` failed for another reason.
    #[error("`git ls-remote {repository}` failed: {detail}")]
    #[diagnostic(code(cigen::git_failed))]
    GitFailed {
        repository: String,
        detail: String,
        #[source_code]
        code: Code,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: String,
    },

    /// The repository has no tag or branch of that name.
    #[error("`{repository}` has no tag or branch `{git_ref}`")]
    #[diagnostic(code(cigen::missing_ref))]
    MissingRef {
        repository: String,
        git_ref: String,
        #[source_code]
        code: Code,
        #[label("no such tag or branch")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// A branch and a tag share the name.
    #[error("`{git_ref}` is both a branch and a tag of `{repository}`")]
    #[diagnostic(code(cigen::ambiguous_ref))]
    AmbiguousRef {
        repository: String,
        git_ref: String,
        #[source_code]
        code: Code,
        #[label("the branch is at {branch}, the tag at {tag}")]
        span: SourceSpan,
        branch: String,
        tag: String,
        #[help]
        help: String,
    },

    /// `pin --update REFERENCE` names no reference of the spec.
    #[error("`{spec}` uses no reference `{reference}`")]
    #[diagnostic(code(cigen::unknown_reference))]
    UnknownReference {
        spec: String,
        reference: String,
        #[help]
        help: String,
    },

    /// `pin --check` without a lock file.
    #[error("`{file}` is missing")]
    #[diagnostic(code(cigen::no_lock))]
    NoLock {
        file: String,
        #[help]
        help: String,
    },

    /// `pin --check`: an entry for a reference the spec no longer uses.
    #[error("`{file}` pins `{reference}`, which `{spec}` no longer uses")]
    #[diagnostic(code(cigen::unused_pin))]
    UnusedPin {
        file: String,
        spec: String,
        reference: String,
        #[source_code]
        code: Code,
        #[label("not used by any workflow")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// `pin --check` found the lock and the spec apart.
    #[error("`{file}` is out of date: {what}")]
    #[diagnostic(code(cigen::lock_out_of_date))]
    OutOfDate {
        file: String,
        what: String,
        #[help]
        help: String,
    },

    /// Nothing was written because of the errors above.
    #[error("`{file}` was not written: {count} {} above", if *count == 1 { "error" } else { "errors" })]
    #[diagnostic(code(cigen::not_pinned))]
    NotPinned { file: String, count: usize },
}
