//! What the expressions of a workflow may refer to: its inputs and
//! secrets, and for each job its needs, outputs, matrix variables and step
//! ids. Jobs are indexed by id, so a spec of thousands of jobs is read once.

use std::collections::HashMap;

use crate::parse::spec::{JobSpec, WorkflowSpec};

/// What the expressions of one workflow may refer to.
pub(super) struct Facts<'a> {
    /// The workflow id.
    pub(super) workflow: &'a str,
    /// The inputs its `workflow_dispatch` and `workflow_call` declare;
    /// `None` when it has neither trigger.
    pub(super) inputs: Option<Vec<&'a str>>,
    /// The secrets it receives, when they are known: it only runs when
    /// called, and its `workflow_call` declares secrets.
    pub(super) secrets: Option<Vec<&'a str>>,
    /// Its jobs, in order.
    pub(super) jobs: Vec<JobFacts<'a>>,
    /// The position of each job, by its id in lowercase.
    index: HashMap<String, usize>,
}

/// What an expression in one job may refer to.
pub(super) struct JobFacts<'a> {
    /// The job id.
    pub(super) id: &'a str,
    /// The outputs it declares; `None` for a job that calls a workflow,
    /// whose outputs are the called workflow's.
    pub(super) outputs: Option<Vec<&'a str>>,
    /// The jobs it needs: its own `needs`, then the producers of the
    /// artifacts it takes.
    pub(super) needs: Vec<&'a str>,
    /// The variables of its matrix.
    pub(super) matrix: Matrix<'a>,
    /// The id of each of its steps, in order.
    pub(super) steps: Vec<Option<&'a str>>,
}

impl<'a> Facts<'a> {
    /// What `spec`'s expressions may refer to.
    pub(super) fn of(spec: &'a WorkflowSpec) -> Self {
        let triggers: Vec<_> = spec.on.iter().flat_map(|on| &on.value).collect();
        let mut inputs = None;
        for trigger in &triggers {
            if matches!(trigger.event.value.as_str(), "workflow_dispatch" | "workflow_call") {
                let names = inputs.get_or_insert_with(Vec::new);
                names.extend(trigger.inputs.iter().map(|i| i.name.value.as_str()));
            }
        }
        let only_called =
            !triggers.is_empty() && triggers.iter().all(|t| t.event.value == "workflow_call");
        let secrets = triggers
            .iter()
            .filter(|t| t.event.value == "workflow_call" && !t.secrets.is_empty())
            .map(|t| t.secrets.iter().map(|s| s.name.value.as_str()).collect::<Vec<_>>())
            .next()
            .filter(|_| only_called);
        let mut producers: HashMap<&str, Vec<&str>> = HashMap::new();
        for artifact in &spec.artifacts {
            for consumer in &artifact.to {
                producers.entry(&consumer.value).or_default().push(&artifact.from.value);
            }
        }
        let jobs: Vec<JobFacts<'a>> = spec
            .jobs
            .iter()
            .map(|job| {
                let from = producers.get(job.id.value.as_str()).map(Vec::as_slice);
                JobFacts::of(job, from.unwrap_or_default())
            })
            .collect();
        let mut index = HashMap::with_capacity(jobs.len());
        for (i, job) in jobs.iter().enumerate() {
            index.entry(job.id.to_ascii_lowercase()).or_insert(i);
        }
        Facts { workflow: &spec.id.value, inputs, secrets, jobs, index }
    }

    /// The job named `name`, in any case.
    pub(super) fn job(&self, name: &str) -> Option<&JobFacts<'a>> {
        self.index.get(&name.to_ascii_lowercase()).and_then(|&i| self.jobs.get(i))
    }
}

impl<'a> JobFacts<'a> {
    /// The facts of `job`, which takes artifacts from `producers`.
    fn of(job: &'a JobSpec, producers: &[&'a str]) -> Self {
        let id = job.id.value.as_str();
        let mut needs: Vec<&str> = Vec::new();
        for need in job.needs.iter().map(|n| n.value.as_str()).chain(producers.iter().copied()) {
            if !needs.contains(&need) {
                needs.push(need);
            }
        }
        let matrix = match job.strategy.as_ref().and_then(|s| s.value.matrix.as_ref()) {
            None => Matrix::None,
            // Computed when the job runs: its variables are not known here.
            Some(m) if m.value.expression.is_some() => Matrix::Computed,
            Some(m) => {
                let mut vars: Vec<&str> =
                    m.value.axes.iter().map(|(a, _)| a.value.as_str()).collect();
                for entry in &m.value.include {
                    for property in entry {
                        if !vars.contains(&property.key.value.as_str()) {
                            vars.push(&property.key.value);
                        }
                    }
                }
                Matrix::Variables(vars)
            }
        };
        JobFacts {
            id,
            outputs: job
                .call
                .is_none()
                .then(|| job.outputs.iter().map(|o| o.key.value.as_str()).collect()),
            needs,
            matrix,
            steps: job
                .steps
                .iter()
                .map(|s| s.more().id.as_ref().map(|i| i.value.as_str()))
                .collect(),
        }
    }
}

/// The variables of a job's matrix.
pub(super) enum Matrix<'a> {
    /// The job has no matrix.
    None,
    /// Its axes and `include` keys.
    Variables(Vec<&'a str>),
    /// `matrix "${{ … }}"`: known only when the job runs, so not checked.
    Computed,
}
