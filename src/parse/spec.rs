//! The spec as parsed: KDL checked for shape and types, identifiers still
//! plain strings with the spans of their tokens, for `validate` to resolve.

use miette::SourceSpan;

use crate::model::{ActionOverrides, IfMissing, JobSettings, WorkflowSettings};

/// A value and the span of the token it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub span: SourceSpan,
}

/// A parsed spec file.
#[derive(Clone, Debug, Default)]
pub struct Spec {
    /// `workflow` nodes in order.
    pub workflows: Vec<WorkflowSpec>,
    /// The `actions` node.
    pub actions: ActionOverrides,
}

/// A `workflow` node.
#[derive(Clone, Debug)]
pub struct WorkflowSpec {
    /// Its id argument.
    pub id: Spanned<String>,
    /// `target`.
    pub target: Option<Spanned<String>>,
    /// `file`.
    pub file: Option<Spanned<String>>,
    /// Whether `on` was given.
    pub has_on: bool,
    /// Leaf settings.
    pub settings: WorkflowSettings,
    /// `job` nodes.
    pub jobs: Vec<JobSpec>,
    /// `artifact` nodes.
    pub artifacts: Vec<ArtifactSpec>,
}

/// A `job` node.
#[derive(Clone, Debug)]
pub struct JobSpec {
    /// Its id argument.
    pub id: Spanned<String>,
    /// `needs` arguments, every `needs` node appended.
    pub needs: Vec<Spanned<String>>,
    /// Leaf settings.
    pub settings: JobSettings,
    /// Where the job calls a reusable workflow, if it does.
    pub call: Option<SourceSpan>,
}

/// An `artifact` node.
#[derive(Clone, Debug)]
pub struct ArtifactSpec {
    /// Its name argument.
    pub name: Spanned<String>,
    /// `path` values.
    pub paths: Vec<String>,
    /// `from`.
    pub from: Spanned<String>,
    /// `to` values.
    pub to: Vec<Spanned<String>>,
    /// `retention-days`.
    pub retention_days: Option<u32>,
    /// `if-missing`.
    pub if_missing: IfMissing,
    /// `hidden`.
    pub hidden: Option<bool>,
    /// `into`.
    pub into: Option<String>,
}
