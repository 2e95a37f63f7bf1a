//! cigen turns a declarative KDL pipeline spec into CI configuration:
//! Forgejo and GitHub Actions workflows.
//!
//! Data flows one way through six stages, each a module named for what it
//! does:
//!
//! ```text
//! pipeline.kdl ─parse─▶ Spec ─validate─▶ Pipeline ─plan─▶ Plan ─lower─▶ context ─render─▶ YAML ─▶ gen / check
//!               KDL read,     names, refs,     neutral:       per target:      minijinja,     header, digest,
//!               spanned       cycles, what     needs, edges,  plumbing,        escaped        write or compare
//!                             the target can   fan-in,        target keys
//!                             express          inherited
//! ```
//!
//! `parse` only reads; `validate` checks what the spec means, including
//! what each workflow's target can express, so every mistake becomes a
//! located diagnostic ([`error::SpecError`]) before anything is written;
//! what is risky rather than wrong is a warning ([`warning`]), which
//! [`compile_with_warnings`] returns beside the result.
//! `plan` is the same for every target; [`target`] holds one row per CI
//! system and its lowering. [`compile`] runs every stage up to the rendered
//! text; `gen`, `check` and `render` all start from its result, so they
//! cannot disagree about what the spec means.
//!
//! [`pin`] locks every action and workflow reference to a commit in
//! `cigen.lock`; [`compile_pinned`] writes the locked commits.

pub mod cli;
pub mod error;
pub mod expr;
pub mod graph;
pub mod import;
pub mod lsp;
pub mod model;
pub mod output;
pub mod parse;
pub mod pin;
pub mod plan;
pub mod render;
pub mod source;
mod suggest;
pub mod target;
pub mod validate;
pub mod warning;

use error::Diagnostics;
use render::{RenderError, Renderer};
use source::Source;

/// One generated file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    /// The workflow id.
    pub workflow: String,
    /// The CI system it is for.
    pub target: target::Target,
    /// Path relative to the spec's folder, `/`-separated.
    pub file: String,
    /// The whole file: header, digest line and YAML body.
    pub text: String,
}

/// Why a spec could not be compiled.
#[derive(Debug)]
pub enum Failure {
    /// The spec is wrong: every mistake found.
    Spec(Diagnostics),
    /// A template failed.
    Template(Box<RenderError>),
}

/// Parses and validates `source`, whose file name relative to its folder is
/// `spec_name`: the pipeline, or every mistake found, in the order of the file.
pub fn check_spec(source: &Source, spec_name: &str) -> Result<model::Pipeline, Diagnostics> {
    check_spec_inspecting(source, spec_name, |_| Vec::new())
}

/// [`check_spec`], with the mistakes `inspect` finds in the spec as read
/// (such as references a lock file does not pin) reported among the others.
pub fn check_spec_inspecting(
    source: &Source,
    spec_name: &str,
    inspect: impl FnOnce(&parse::Spec) -> Vec<error::SpecError>,
) -> Result<model::Pipeline, Diagnostics> {
    check_spec_with_warnings(source, spec_name, validate::References::AsWritten, inspect).0
}

/// [`check_spec_inspecting`], with the warnings of the spec beside its
/// result: what is risky rather than wrong ([`validate::lint`]), in the
/// order of the file. `references` says whether a lock file pins the
/// spec's action references. A spec that does not parse has none.
pub fn check_spec_with_warnings(
    source: &Source,
    spec_name: &str,
    references: validate::References,
    inspect: impl FnOnce(&parse::Spec) -> Vec<error::SpecError>,
) -> (Result<model::Pipeline, Diagnostics>, Diagnostics) {
    let (spec, mut errors) = parse::parse(source);
    let mut warnings = Vec::new();
    if let Some(spec) = &spec {
        errors.extend(inspect(spec));
        for finding in validate::lint(spec, references) {
            if miette::Diagnostic::severity(&finding) == Some(miette::Severity::Warning) {
                warnings.push(finding);
            } else {
                errors.push(finding);
            }
        }
    }
    let warnings =
        Diagnostics(warnings.into_iter().map(|w| error::Located::new(source, w)).collect());
    match spec.map(|spec| validate::validate(source, spec_name, spec)) {
        Some(Ok(pipeline)) if errors.is_empty() => return (Ok(pipeline), warnings),
        Some(Err(more)) => errors.extend(more),
        _ => {}
    }
    errors.sort_by_key(|e| {
        miette::Diagnostic::labels(e).and_then(|mut l| l.next()).map_or(0, |l| l.offset())
    });
    let errors = errors.into_iter().map(|e| error::Located::new(source, e)).collect();
    (Err(Diagnostics(errors)), warnings)
}

/// [`check_spec`], with every action and workflow reference the spec makes
/// required to be in `lock`, when the spec has one, and the warnings beside
/// the result: what `gen`, `check` and `render` report, and `cigen lsp` too.
pub fn check_spec_locked(
    source: &Source,
    spec_name: &str,
    lock: Option<&pin::Lock>,
) -> (Result<model::Pipeline, Diagnostics>, Diagnostics) {
    check_spec_locked_seeing(source, spec_name, lock, |_| ())
}

/// [`check_spec_locked`], showing `parsed` the spec when its KDL reads
/// (whatever else is wrong with it).
pub fn check_spec_locked_seeing(
    source: &Source,
    spec_name: &str,
    lock: Option<&pin::Lock>,
    parsed: impl FnOnce(&parse::Spec),
) -> (Result<model::Pipeline, Diagnostics>, Diagnostics) {
    let references =
        if lock.is_some() { validate::References::Locked } else { validate::References::AsWritten };
    check_spec_with_warnings(source, spec_name, references, |spec| {
        parsed(spec);
        lock.map_or_else(Vec::new, |lock| pin::unlocked(&pin::references(spec), lock))
    })
}

/// Parses, validates, plans and renders `source`, whose file name relative
/// to its folder is `spec_name`.
pub fn compile(
    source: &Source,
    spec_name: &str,
    renderer: &Renderer,
) -> Result<Vec<Output>, Failure> {
    compile_pinned(source, spec_name, renderer, None)
}

/// [`compile`] with the spec's lock file, when it has one: every action and
/// workflow reference is written as the commit the lock holds for it, and
/// a reference the lock lacks is a mistake in the spec.
pub fn compile_pinned(
    source: &Source,
    spec_name: &str,
    renderer: &Renderer,
    lock: Option<&pin::Lock>,
) -> Result<Vec<Output>, Failure> {
    compile_with_warnings(source.clone(), spec_name, renderer, lock).0
}

/// [`compile_pinned`], with the warnings of the spec beside its result
/// (see [`check_spec_with_warnings`]). It takes the source so that the
/// text is freed before rendering when no diagnostic refers to it: the
/// model holds what it needs, and the spec of a very large pipeline is
/// megabytes.
pub fn compile_with_warnings(
    source: Source,
    spec_name: &str,
    renderer: &Renderer,
    lock: Option<&pin::Lock>,
) -> (Result<Vec<Output>, Failure>, Diagnostics) {
    let (checked, warnings) = check_spec_locked(&source, spec_name, lock);
    drop(source);
    let outputs =
        checked.map_err(Failure::Spec).and_then(|pipeline| render(pipeline, renderer, lock));
    (outputs, warnings)
}

/// Plans, lowers and renders every workflow of a checked pipeline, with
/// the commits of `lock`.
fn render(
    pipeline: model::Pipeline,
    renderer: &Renderer,
    lock: Option<&pin::Lock>,
) -> Result<Vec<Output>, Failure> {
    let pins = std::sync::Arc::new(lock.cloned().unwrap_or_default());
    let model::Pipeline { spec_name, workflows, actions } = pipeline;
    workflows
        .into_iter()
        .map(|workflow| {
            let (id, file, target) =
                (workflow.id.to_string(), workflow.file.clone(), workflow.target);
            let template = target.row().template;
            let lowered = target::lower_pinned(plan::Plan::new(workflow), &actions, &pins);
            let body = renderer.render_lowered(template, lowered).map_err(Failure::Template)?;
            let text = output::header::assemble(&spec_name, body);
            Ok(Output { workflow: id, target, file, text })
        })
        .collect()
}
