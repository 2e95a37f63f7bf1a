//! Stage 2, validate: [`Spec`] → [`Pipeline`]. Resolves every identifier
//! into a checked newtype and every reference to a declared job, and refuses
//! duplicates, self edges, cycles and output paths that leave the project.

mod graph;
mod path;

use std::collections::{HashMap, HashSet};

use miette::{LabeledSpan, SourceSpan};

use crate::error::SpecError;
use crate::model::{
    Artifact, ArtifactName, InvalidName, Job, JobId, Pipeline, Target, Workflow, WorkflowId,
};
use crate::parse::spec::{ArtifactSpec, JobSpec, Spanned, Spec, WorkflowSpec};
use crate::suggest;
use graph::Edge;

/// Validates `spec`, whose file name (relative to its folder) is `spec_name`.
pub fn validate(spec_name: &str, spec: Spec) -> Result<Pipeline, Vec<SpecError>> {
    let mut errors = Vec::new();
    let mut workflows = Vec::new();
    let mut seen_ids: HashMap<String, SourceSpan> = HashMap::new();
    let mut seen_files: HashMap<String, (String, SourceSpan)> = HashMap::new();
    for workflow in spec.workflows {
        if let Some(first) = seen_ids.get(&workflow.id.value) {
            errors.push(SpecError::DuplicateWorkflow {
                id: workflow.id.value.clone(),
                first: *first,
                second: workflow.id.span,
            });
            continue;
        }
        seen_ids.insert(workflow.id.value.clone(), workflow.id.span);
        let Some(workflow) = validate_workflow(&mut errors, workflow) else {
            continue;
        };
        let (file, span) = workflow;
        let (workflow, file_span) = (file, span);
        match seen_files.get(&workflow.file) {
            Some((first_id, first)) => errors.push(SpecError::DuplicateOutput {
                file: workflow.file.clone(),
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
    if errors.is_empty() {
        Ok(Pipeline { spec_name: spec_name.to_owned(), workflows, actions: spec.actions })
    } else {
        Err(errors)
    }
}

fn name<T>(
    errors: &mut Vec<SpecError>,
    kind: &'static str,
    value: &Spanned<String>,
    new: fn(&str) -> Result<T, InvalidName>,
) -> Option<T> {
    new(&value.value)
        .map_err(|InvalidName { reason, rule }| {
            errors.push(SpecError::InvalidName {
                kind,
                name: value.value.clone(),
                reason,
                span: value.span,
                help: rule.to_owned(),
            });
        })
        .ok()
}

/// A workflow and the span that names its output file.
fn validate_workflow(
    errors: &mut Vec<SpecError>,
    spec: WorkflowSpec,
) -> Option<(Workflow, SourceSpan)> {
    let before = errors.len();
    let id = name(errors, "workflow id", &spec.id, WorkflowId::new);
    let target = match &spec.target {
        None => Target::Forgejo,
        Some(t) => match Target::ALL.iter().find(|(n, _)| *n == t.value) {
            Some((_, target)) => *target,
            None => {
                let names: Vec<&str> = Target::ALL.iter().map(|(n, _)| *n).collect();
                errors.push(SpecError::InvalidValue {
                    what: "target".to_owned(),
                    problem: format!("unknown target `{}`", t.value),
                    span: t.span,
                    help: Some(suggest::help(&t.value, &names)),
                });
                Target::Forgejo
            }
        },
    };
    let (file, file_span) = match &spec.file {
        Some(file) => (path::output(errors, file), file.span),
        None => (
            id.as_ref().map(|id| format!("{}/{id}.yml", crate::target::info(target).folder)),
            spec.id.span,
        ),
    };
    let jobs = validate_jobs(errors, &spec);
    let artifacts = validate_artifacts(errors, &spec);
    check_cycles(errors, &spec);
    if errors.len() > before {
        return None;
    }
    // The settings move from the spec into the model: large specs are not
    // held twice.
    let jobs = spec
        .jobs
        .into_iter()
        .zip(jobs?)
        .map(|(job, (id, needs))| Job { id, needs, settings: job.settings })
        .collect();
    let workflow = Workflow {
        id: id?,
        target,
        file: file?,
        settings: spec.settings,
        jobs,
        artifacts: artifacts?,
    };
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
        None if names.len() <= 8 => format!("the jobs are {}", suggest::list(&names)),
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
    errors: &mut Vec<SpecError>,
    workflow: &WorkflowSpec,
) -> Option<Vec<(JobId, Vec<JobId>)>> {
    let before = errors.len();
    let mut seen: HashMap<&str, SourceSpan> = HashMap::new();
    let mut ids = Vec::with_capacity(workflow.jobs.len());
    for job in &workflow.jobs {
        if let Some(first) = seen.get(job.id.value.as_str()) {
            errors.push(SpecError::DuplicateJob {
                id: job.id.value.clone(),
                workflow: workflow.id.value.clone(),
                first: *first,
                second: job.id.span,
            });
            continue;
        }
        seen.insert(&job.id.value, job.id.span);
        ids.extend(name(errors, "job id", &job.id, JobId::new));
    }
    let needs: Vec<Vec<JobId>> =
        workflow.jobs.iter().map(|job| needs(errors, workflow, job, &seen)).collect();
    (errors.len() == before).then(|| ids.into_iter().zip(needs).collect())
}

fn needs(
    errors: &mut Vec<SpecError>,
    workflow: &WorkflowSpec,
    job: &JobSpec,
    declared: &HashMap<&str, SourceSpan>,
) -> Vec<JobId> {
    let mut needs: Vec<JobId> = Vec::new();
    for need in &job.needs {
        if need.value == job.id.value {
            errors.push(SpecError::SelfNeeds { job: job.id.value.clone(), span: need.span });
        } else if !declared.contains_key(need.value.as_str()) {
            errors.push(unknown_job(workflow, "needs", need));
        } else if let Ok(id) = JobId::new(&need.value)
            && !needs.contains(&id)
        {
            needs.push(id);
        }
    }
    needs
}

fn validate_artifacts(
    errors: &mut Vec<SpecError>,
    workflow: &WorkflowSpec,
) -> Option<Vec<Artifact>> {
    let before = errors.len();
    let declared: HashSet<&str> = workflow.jobs.iter().map(|j| j.id.value.as_str()).collect();
    let calls: HashSet<&str> =
        workflow.jobs.iter().filter(|j| j.call.is_some()).map(|j| j.id.value.as_str()).collect();
    let mut seen: HashMap<&str, SourceSpan> = HashMap::new();
    let mut artifacts = Vec::new();
    for artifact in &workflow.artifacts {
        if let Some(first) = seen.get(artifact.name.value.as_str()) {
            errors.push(SpecError::DuplicateArtifact {
                name: artifact.name.value.clone(),
                workflow: workflow.id.value.clone(),
                first: *first,
                second: artifact.name.span,
            });
            continue;
        }
        seen.insert(&artifact.name.value, artifact.name.span);
        let name = name(errors, "artifact name", &artifact.name, ArtifactName::new);
        let from = resolve(errors, workflow, &declared, "from", &artifact.from);
        let mut to: Vec<JobId> = Vec::new();
        for consumer in &artifact.to {
            if consumer.value == artifact.from.value {
                errors.push(SpecError::SelfEdge {
                    job: consumer.value.clone(),
                    artifact: artifact.name.value.clone(),
                    span: consumer.span,
                });
            } else if let Some(id) = resolve(errors, workflow, &declared, "to", consumer)
                && !to.contains(&id)
            {
                to.push(id);
            }
        }
        check_call_jobs(errors, &calls, artifact);
        if let (Some(name), Some(from)) = (name, from) {
            artifacts.push(build_artifact(artifact, name, from, to));
        }
    }
    check_fan_in(errors, workflow);
    (errors.len() == before).then_some(artifacts)
}

fn resolve(
    errors: &mut Vec<SpecError>,
    workflow: &WorkflowSpec,
    declared: &HashSet<&str>,
    role: &'static str,
    reference: &Spanned<String>,
) -> Option<JobId> {
    if declared.contains(&reference.value.as_str()) {
        JobId::new(&reference.value).ok()
    } else {
        errors.push(unknown_job(workflow, role, reference));
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
        paths: spec.paths.clone(),
        from,
        to,
        retention_days: spec.retention_days,
        if_missing: spec.if_missing,
        hidden: spec.hidden,
        into: spec.into.clone(),
    }
}

/// Reports each cycle formed by `needs` and artifact edges together.
fn check_cycles(errors: &mut Vec<SpecError>, workflow: &WorkflowSpec) {
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
        errors.push(SpecError::Cycle { cycle: names.join(" → "), edges: spans });
    }
}

/// Artifact edges need steps at both ends: a job that calls a reusable
/// workflow has none.
fn check_call_jobs(errors: &mut Vec<SpecError>, calls: &HashSet<&str>, artifact: &ArtifactSpec) {
    if calls.contains(artifact.from.value.as_str()) {
        errors.push(SpecError::ArtifactCallJob {
            artifact: artifact.name.value.clone(),
            direction: "come from",
            job: artifact.from.value.clone(),
            span: artifact.from.span,
            action: "upload it",
        });
    }
    for consumer in &artifact.to {
        if calls.contains(consumer.value.as_str()) {
            errors.push(SpecError::ArtifactCallJob {
                artifact: artifact.name.value.clone(),
                direction: "go to",
                job: consumer.value.clone(),
                span: consumer.span,
                action: "download it",
            });
        }
    }
}

/// Artifacts of matrix jobs are uploaded once per leg as `NAME-…` and
/// downloaded with the pattern `NAME-*`: no other artifact may match it, and
/// every axis value must be allowed in an artifact name.
fn check_fan_in(errors: &mut Vec<SpecError>, workflow: &WorkflowSpec) {
    let matrices: HashMap<&str, &crate::model::Matrix> = workflow
        .jobs
        .iter()
        .filter_map(|j| j.settings.matrix().map(|m| (j.id.value.as_str(), m)))
        .collect();
    if matrices.is_empty() {
        return;
    }
    // Names in order, so each pattern finds the names it matches by range.
    let mut names: Vec<(&str, SourceSpan)> =
        workflow.artifacts.iter().map(|a| (a.name.value.as_str(), a.name.span)).collect();
    names.sort_unstable_by_key(|(name, _)| *name);
    for artifact in &workflow.artifacts {
        let Some(matrix) = matrices.get(artifact.from.value.as_str()) else { continue };
        let prefix = format!("{}-", artifact.name.value);
        let start = names.partition_point(|(name, _)| *name < prefix.as_str());
        for &(other, span) in names[start..].iter().take_while(|(n, _)| n.starts_with(&prefix)) {
            errors.push(SpecError::PatternOverlap {
                artifact: artifact.name.value.clone(),
                other: other.to_owned(),
                span,
            });
        }
        let included = matrix
            .include
            .iter()
            .flat_map(|entry| entry.iter().filter(|(key, _)| matrix.axes.get(key).is_some()));
        let axes =
            matrix.axes.iter().flat_map(|(axis, values)| values.iter().map(move |v| (axis, v)));
        for (axis, value) in axes.chain(included) {
            let text = match value {
                crate::model::Scalar::String(s) => s.clone(),
                crate::model::Scalar::Integer(n) => n.to_string(),
                crate::model::Scalar::Float(f) => f.to_string(),
                crate::model::Scalar::Bool(b) => b.to_string(),
            };
            if text.contains("${{") {
                continue;
            }
            let name = format!("{prefix}{text}");
            if let Err(InvalidName { reason, rule }) = ArtifactName::new(&name) {
                errors.push(SpecError::InvalidName {
                    kind: "artifact name",
                    name,
                    reason: format!(
                        "{reason} (from `{axis}` of the matrix of `{}`)",
                        artifact.from.value
                    ),
                    span: artifact.name.span,
                    help: format!("{rule}; each matrix leg uploads `{prefix}<axis values>`"),
                });
            }
        }
    }
}
