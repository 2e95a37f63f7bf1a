//! Stage 2, validate: [`Spec`] → [`Pipeline`], what the spec means.
//!
//! Resolves every name into a checked newtype and every reference to a
//! declared job; refuses duplicates, self edges, cycles, output paths that
//! leave the project, scripts that expand attacker-controlled text, action
//! references without a version, wrong expressions, cron lines and filter
//! patterns, and what a workflow's target cannot express. Every check here
//! points at the spec's tokens. [`lint`] finds what is risky rather than
//! wrong: the warnings.

mod expressions;
mod graph;
mod injection;
pub(crate) mod legs;
pub(crate) use legs::matrix as spec_matrix;
mod lint;
mod locate;
mod names;
mod path;
mod settings;
mod target;
mod uses;

use std::collections::{HashMap, HashSet};

use miette::{LabeledSpan, SourceSpan};

use crate::error::SpecError;
use crate::model::{
    ActionOverrides, Artifact, ArtifactName, IfMissing, Job, JobId, Legs, Pipeline, Target,
    Workflow, WorkflowId,
};
use crate::parse::spec::{ActionsSpec, ArtifactSpec, JobSpec, Spanned, Spec, WorkflowSpec};
use crate::source::Source;
use crate::suggest;
use crate::target::actions::versions::{self, Generation};
use crate::target::{Files, Lowering};
use graph::Edge;
pub use lint::{References, lint};

/// What validation has found so far, and the text spans point into.
pub struct Checker<'s> {
    text: &'s str,
    errors: Vec<SpecError>,
    /// Whether an action may be named without `@REF` where it is checked
    /// now (Forgejo runs its default branch; the lint warns): set for each
    /// workflow, then for the `actions` block.
    unversioned: bool,
    /// The generation of the artifact actions the spec's `actions` picks.
    artifacts: Generation,
}

impl<'s> Checker<'s> {
    /// Records a mistake.
    pub fn error(&mut self, error: SpecError) {
        self.errors.push(error);
    }

    /// How many mistakes were found so far.
    fn count(&self) -> usize {
        self.errors.len()
    }

    /// Where bytes `range` of the string `value` were written.
    pub fn locate(&self, value: &Spanned<String>, range: std::ops::Range<usize>) -> SourceSpan {
        locate::locate(&value.value, self.written(value.span), value.span, range)
    }

    /// The generation of the artifact actions on Actions targets.
    pub fn artifact_actions(&self) -> Generation {
        self.artifacts
    }

    /// The spec's text at `span`, as written.
    pub fn written(&self, span: SourceSpan) -> &'s str {
        self.text.get(span.offset()..span.offset() + span.len()).unwrap_or_default()
    }
}

/// Validates `spec`, read from `source`, whose file name (relative to its
/// folder) is `spec_name`.
pub fn validate(source: &Source, spec_name: &str, spec: Spec) -> Result<Pipeline, Vec<SpecError>> {
    let overrides = spec.actions.as_ref().map(|a| ActionOverrides {
        checkout: None,
        upload_artifact: a.upload_artifact.as_ref().map(|r| r.value.clone()),
        download_artifact: a.download_artifact.as_ref().map(|r| r.value.clone()),
    });
    let artifacts = versions::artifacts(&overrides.unwrap_or_default());
    let cx =
        &mut Checker { text: source.text(), errors: Vec::new(), unversioned: false, artifacts };
    let mut workflows = Vec::new();
    let mut seen_ids: HashMap<String, SourceSpan> = HashMap::new();
    let mut seen_files: HashMap<String, (String, SourceSpan)> = HashMap::new();
    for workflow in spec.workflows {
        if let Some(first) = seen_ids.get(&workflow.id.value) {
            cx.error(SpecError::DuplicateWorkflow {
                id: workflow.id.value.clone(),
                first: *first,
                second: workflow.id.span,
            });
            continue;
        }
        seen_ids.insert(workflow.id.value.clone(), workflow.id.span);
        let Some((workflow, file_span)) = validate_workflow(cx, workflow) else {
            continue;
        };
        match seen_files.get(&workflow.file) {
            Some((first_id, first)) => cx.error(SpecError::DuplicateOutput {
                file: workflow.file.clone(),
                help: match workflow.target.row().files {
                    Files::Single(_) => format!(
                        "{} reads one pipeline file per project: put these jobs in one workflow, or give the other its own `file \"…\"` (for another project's settings, or to include)",
                        workflow.target.row().title
                    ),
                    Files::Folder(_) => "give one of them its own `file \"…\"`".to_owned(),
                },
                first_id: first_id.clone(),
                second_id: workflow.id.to_string(),
                first: *first,
                second: file_span,
            }),
            None => {
                seen_files.insert(workflow.file.clone(), (workflow.id.to_string(), file_span));
            }
        }
        workflows.push(workflow);
    }
    if let Some(block) = &spec.actions {
        let runs_actions =
            workflows.iter().any(|w| matches!(w.target.row().lowering, Lowering::Actions(_)));
        if !runs_actions && !workflows.is_empty() {
            cx.error(SpecError::UnusedActions { span: block.span });
        }
    }
    // The overrides serve every workflow that runs actions: they may name
    // no version only when all of those are Forgejo's.
    cx.unversioned = workflows
        .iter()
        .filter(|w| matches!(w.target.row().lowering, Lowering::Actions(_)))
        .all(|w| w.target == Target::Forgejo);
    let actions = spec.actions.map(|a| actions(cx, a)).unwrap_or_default();
    if cx.errors.is_empty() {
        Ok(Pipeline { spec_name: spec_name.to_owned(), workflows, actions })
    } else {
        Err(std::mem::take(&mut cx.errors))
    }
}

/// The plumbing actions a spec overrides.
fn actions(cx: &mut Checker<'_>, spec: ActionsSpec) -> ActionOverrides {
    let generation = |slot: &Option<Spanned<String>>| {
        let given = slot.as_ref().and_then(|r| versions::of_reference(&r.value));
        (given.unwrap_or(Generation::V4), slot.as_ref().map(|r| r.span))
    };
    let (upload, upload_span) = generation(&spec.upload_artifact);
    let (download, download_span) = generation(&spec.download_artifact);
    if upload != download {
        cx.error(SpecError::MixedArtifactActions {
            upload: upload.describe(),
            download: download.describe(),
            upload_span,
            download_span,
        });
    }
    let mut take = |slot: Option<Spanned<String>>| {
        slot.map(|reference| {
            uses::reference(cx, &reference);
            reference.value
        })
    };
    ActionOverrides {
        checkout: take(spec.checkout),
        upload_artifact: take(spec.upload_artifact),
        download_artifact: take(spec.download_artifact),
    }
}

/// A workflow and the span that names its output file.
fn validate_workflow(cx: &mut Checker<'_>, spec: WorkflowSpec) -> Option<(Workflow, SourceSpan)> {
    let before = cx.count();
    let id = names::identifier(cx, "workflow id", &spec.id, WorkflowId::new);
    let target = match &spec.target {
        None => Target::DEFAULT,
        Some(t) => Target::from_name(&t.value).unwrap_or_else(|| {
            let names: Vec<&str> = Target::names().collect();
            cx.error(SpecError::InvalidValue {
                what: "target".to_owned(),
                problem: format!("unknown target `{}`", t.value),
                span: t.span,
                help: Some(suggest::help(&t.value, &names)),
            });
            Target::DEFAULT
        }),
    };
    let (file, file_span) = match &spec.file {
        Some(file) => (path::output(cx, file), file.span),
        None => (id.as_ref().map(|id| target.default_file(id.as_str())), spec.id.span),
    };
    let jobs = validate_jobs(cx, &spec);
    let artifacts = validate_artifacts(cx, &spec);
    legs::check(cx, &spec);
    check_cycles(cx, &spec);
    target::check(cx, target, &spec);
    expressions::check(cx, target, &spec);
    cx.unversioned = target == Target::Forgejo;
    let (settings, job_specs) = settings::workflow(cx, spec);
    // The jobs' settings move from the spec into the model one job at a
    // time: a large spec is not held twice.
    let mut settings_of = Vec::with_capacity(job_specs.len());
    for job in job_specs {
        settings_of.push(settings::job(cx, *job));
    }
    if cx.count() > before {
        return None;
    }
    let jobs = jobs?
        .into_iter()
        .zip(settings_of)
        .map(|((id, needs), settings)| Job { id, needs, settings })
        .collect();
    let workflow = Workflow { id: id?, target, file: file?, settings, jobs, artifacts: artifacts? };
    Some((workflow, file_span))
}

fn unknown_job(
    workflow: &WorkflowSpec,
    role: &'static str,
    reference: &Spanned<String>,
) -> SpecError {
    let mut names: Vec<&str> = Vec::new();
    for job in &workflow.jobs {
        if !names.contains(&job.id.value.as_str()) {
            names.push(&job.id.value);
        }
    }
    let help = match suggest::closest(&reference.value, names.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None if names.len() <= 8 => format!("the jobs are {}", suggest::all(&names)),
        None => "no job with a similar name is declared in this workflow".to_owned(),
    };
    SpecError::UnknownJob {
        name: reference.value.clone(),
        role,
        span: reference.span,
        workflow: workflow.id.value.clone(),
        help,
    }
}

/// Each job's checked id and `needs`, in spec order, or `None` after a mistake.
fn validate_jobs(
    cx: &mut Checker<'_>,
    workflow: &WorkflowSpec,
) -> Option<Vec<(JobId, Vec<JobId>)>> {
    let before = cx.count();
    let mut seen: HashMap<&str, SourceSpan> = HashMap::new();
    let mut ids = Vec::with_capacity(workflow.jobs.len());
    for job in &workflow.jobs {
        if let Some(first) = seen.get(job.id.value.as_str()) {
            cx.error(SpecError::DuplicateJob {
                id: job.id.value.clone(),
                workflow: workflow.id.value.clone(),
                first: *first,
                second: job.id.span,
            });
            continue;
        }
        seen.insert(&job.id.value, job.id.span);
        ids.extend(names::identifier(cx, "job id", &job.id, JobId::new));
    }
    let needs: Vec<Vec<JobId>> =
        workflow.jobs.iter().map(|job| needs(cx, workflow, job, &seen)).collect();
    (cx.count() == before).then(|| ids.into_iter().zip(needs).collect())
}

fn needs(
    cx: &mut Checker<'_>,
    workflow: &WorkflowSpec,
    job: &JobSpec,
    declared: &HashMap<&str, SourceSpan>,
) -> Vec<JobId> {
    let mut needs: Vec<JobId> = Vec::new();
    for need in &job.needs {
        if need.value == job.id.value {
            cx.error(SpecError::SelfNeeds { job: job.id.value.clone(), span: need.span });
        } else if !declared.contains_key(need.value.as_str()) {
            cx.error(unknown_job(workflow, "needs", need));
        } else if let Ok(id) = JobId::new(&need.value)
            && !needs.contains(&id)
        {
            needs.push(id);
        }
    }
    needs
}

fn validate_artifacts(cx: &mut Checker<'_>, workflow: &WorkflowSpec) -> Option<Vec<Artifact>> {
    let before = cx.count();
    let declared: HashSet<&str> = workflow.jobs.iter().map(|j| j.id.value.as_str()).collect();
    let calls: HashSet<&str> =
        workflow.jobs.iter().filter(|j| j.call.is_some()).map(|j| j.id.value.as_str()).collect();
    let mut seen: HashMap<&str, SourceSpan> = HashMap::new();
    let mut artifacts = Vec::new();
    for artifact in &workflow.artifacts {
        if let Some(first) = seen.get(artifact.name.value.as_str()) {
            cx.error(SpecError::DuplicateArtifact {
                name: artifact.name.value.clone(),
                workflow: workflow.id.value.clone(),
                first: *first,
                second: artifact.name.span,
            });
            continue;
        }
        seen.insert(&artifact.name.value, artifact.name.span);
        let name = names::identifier(cx, "artifact name", &artifact.name, ArtifactName::new);
        let from = resolve(cx, workflow, &declared, "from", &artifact.from);
        let mut to: Vec<JobId> = Vec::new();
        for consumer in &artifact.to {
            if consumer.value == artifact.from.value {
                cx.error(SpecError::SelfEdge {
                    job: consumer.value.clone(),
                    artifact: artifact.name.value.clone(),
                    span: consumer.span,
                });
            } else if let Some(id) = resolve(cx, workflow, &declared, "to", consumer)
                && !to.contains(&id)
            {
                to.push(id);
            }
        }
        check_call_jobs(cx, &calls, artifact);
        if let (Some(name), Some(from)) = (name, from) {
            artifacts.push(build_artifact(artifact, name, from, to));
        }
    }
    (cx.count() == before).then_some(artifacts)
}

fn resolve(
    cx: &mut Checker<'_>,
    workflow: &WorkflowSpec,
    declared: &HashSet<&str>,
    role: &'static str,
    reference: &Spanned<String>,
) -> Option<JobId> {
    if declared.contains(&reference.value.as_str()) {
        JobId::new(&reference.value).ok()
    } else {
        cx.error(unknown_job(workflow, role, reference));
        None
    }
}

fn build_artifact(
    spec: &ArtifactSpec,
    name: ArtifactName,
    from: JobId,
    to: Vec<JobId>,
) -> Artifact {
    Artifact {
        name,
        paths: spec.paths.iter().map(|p| p.value.clone()).collect(),
        from,
        to,
        retention_days: spec.retention_days.as_ref().map(|d| d.value),
        if_missing: spec.if_missing.as_ref().map_or(IfMissing::default(), |m| m.value),
        hidden: spec.hidden.as_ref().map(|h| h.value),
        into: spec.into.as_ref().map(|i| i.value.clone()),
        condition: spec.condition.as_ref().map(|c| c.value.clone()),
        compression_level: spec.compression_level.as_ref().map(|c| c.value),
        legs: spec.legs.as_ref().map_or(Legs::default(), |l| l.value),
    }
}

/// Reports each cycle formed by `needs` and artifact edges together.
fn check_cycles(cx: &mut Checker<'_>, workflow: &WorkflowSpec) {
    let index: HashMap<&str, usize> =
        workflow.jobs.iter().enumerate().map(|(i, j)| (j.id.value.as_str(), i)).collect();
    let mut edges = Vec::new();
    let mut labels = Vec::new();
    for (i, job) in workflow.jobs.iter().enumerate() {
        for need in &job.needs {
            if let Some(&dep) = index.get(need.value.as_str())
                && dep != i
            {
                edges.push(Edge { from: dep, to: i });
                labels.push((need.span, format!("`{}` needs `{}`", job.id.value, need.value)));
            }
        }
    }
    for artifact in &workflow.artifacts {
        let Some(&from) = index.get(artifact.from.value.as_str()) else {
            continue;
        };
        for consumer in &artifact.to {
            if let Some(&to) = index.get(consumer.value.as_str())
                && to != from
            {
                edges.push(Edge { from, to });
                labels.push((
                    consumer.span,
                    format!(
                        "`{}` takes `{}` from `{}`",
                        consumer.value, artifact.name.value, artifact.from.value
                    ),
                ));
            }
        }
    }
    for cycle in graph::cycles(workflow.jobs.len(), &edges) {
        let mut names: Vec<String> =
            cycle.iter().map(|&e| format!("`{}`", workflow.jobs[edges[e].from].id.value)).collect();
        let Some(first) = names.first().cloned() else { continue };
        names.push(first);
        let mut spans: Vec<LabeledSpan> = cycle
            .iter()
            .map(|&e| LabeledSpan::new_with_span(Some(labels[e].1.clone()), labels[e].0))
            .collect();
        spans.sort_by_key(|l| l.offset());
        cx.error(SpecError::Cycle { cycle: names.join(" → "), edges: spans });
    }
}

/// Artifact edges need steps at both ends: a job that calls a reusable
/// workflow has none.
fn check_call_jobs(cx: &mut Checker<'_>, calls: &HashSet<&str>, artifact: &ArtifactSpec) {
    if calls.contains(artifact.from.value.as_str()) {
        cx.error(SpecError::ArtifactCallJob {
            artifact: artifact.name.value.clone(),
            direction: "come from",
            job: artifact.from.value.clone(),
            span: artifact.from.span,
            action: "upload it",
        });
    }
    for consumer in &artifact.to {
        if calls.contains(consumer.value.as_str()) {
            cx.error(SpecError::ArtifactCallJob {
                artifact: artifact.name.value.clone(),
                direction: "go to",
                job: consumer.value.clone(),
                span: consumer.span,
                action: "download it",
            });
        }
    }
}
