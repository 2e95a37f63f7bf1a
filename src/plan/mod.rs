//! Stage 3, plan: [`Pipeline`] → one [`Plan`] per workflow, still neutral.
//!
//! A plan knows what every job needs before any target gives it a form:
//! its effective `needs` (the explicit ones, then the producers of the
//! artifacts it consumes), the job settings it inherits from the workflow,
//! and the artifacts it uploads and downloads, with the fan-in shape of
//! each (whether its producer runs as a matrix, one artifact per leg).
//! Jobs are planned on demand, as a target's lowering reaches them, so a
//! large workflow never holds every planned job at once.

pub mod legs;

use std::collections::HashMap;

use crate::model::{Artifact, Container, Job, JobId, Matrix, Minutes, Pipeline, RunsOn, Workflow};

/// Plans every workflow of `pipeline`, in spec order.
pub fn plan(pipeline: Pipeline) -> Vec<Plan> {
    pipeline.workflows.into_iter().map(Plan::new).collect()
}

/// One workflow and the artifact edges of its jobs, indexed.
#[derive(Debug)]
pub struct Plan {
    /// The workflow.
    pub workflow: Workflow,
    /// Artifact indices by producing and by consuming job.
    produced: HashMap<String, Vec<usize>>,
    consumed: HashMap<String, Vec<usize>>,
    /// Jobs that run as a matrix, with their index.
    matrix_jobs: HashMap<String, usize>,
}

/// One job as every target sees it before lowering.
#[derive(Debug)]
pub struct PlannedJob<'a> {
    /// The job.
    pub job: &'a Job,
    /// Effective `needs`: explicit entries first, then the producers of
    /// consumed artifacts, each once.
    pub needs: Vec<&'a JobId>,
    /// `runs-on`: the job's own, or the workflow's default; `None` when
    /// neither is set, and always for a job that calls a workflow.
    pub runs_on: Option<&'a RunsOn>,
    /// `timeout-minutes`, own or inherited (never for a call).
    pub timeout_minutes: Option<Minutes>,
    /// `container`, own or inherited (never for a call).
    pub container: Option<&'a Container>,
    /// The artifacts it consumes, in spec order.
    pub downloads: Vec<Download<'a>>,
    /// The artifacts it produces, in spec order.
    pub uploads: Vec<&'a Artifact>,
}

/// An artifact a job consumes.
#[derive(Clone, Copy, Debug)]
pub struct Download<'a> {
    /// The artifact.
    pub artifact: &'a Artifact,
    /// Its producer's matrix, when the producer runs as one: every leg
    /// uploads its own part, which the consumer takes as the artifact's
    /// `legs` say.
    pub producer: Option<&'a Matrix>,
}

impl Plan {
    /// Indexes the artifact edges of `workflow`.
    pub fn new(workflow: Workflow) -> Self {
        let mut produced: HashMap<String, Vec<usize>> = HashMap::new();
        let mut consumed: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, artifact) in workflow.artifacts.iter().enumerate() {
            produced.entry(artifact.from.to_string()).or_default().push(i);
            for consumer in &artifact.to {
                consumed.entry(consumer.to_string()).or_default().push(i);
            }
        }
        let matrix_jobs = workflow
            .jobs
            .iter()
            .enumerate()
            .filter(|(_, j)| j.settings.matrix().is_some())
            .map(|(i, j)| (j.id.to_string(), i))
            .collect();
        Self { workflow, produced, consumed, matrix_jobs }
    }

    /// How many jobs the workflow has.
    pub fn job_count(&self) -> usize {
        self.workflow.jobs.len()
    }

    /// The matrix of job `id`, when it runs as one.
    pub fn matrix(&self, id: &str) -> Option<&Matrix> {
        self.workflow.jobs[*self.matrix_jobs.get(id)?].settings.matrix()
    }

    /// Job `index`, in spec order, planned.
    pub fn job(&self, index: usize) -> PlannedJob<'_> {
        let job = &self.workflow.jobs[index];
        let id = job.id.as_str();
        let defaults = &self.workflow.settings.job_defaults;
        let downloads: Vec<Download<'_>> = self
            .artifacts(&self.consumed, id)
            .map(|artifact| Download { artifact, producer: self.matrix(artifact.from.as_str()) })
            .collect();
        let mut needs: Vec<&JobId> = job.needs.iter().collect();
        for download in &downloads {
            if !needs.contains(&&download.artifact.from) {
                needs.push(&download.artifact.from);
            }
        }
        let settings = &job.settings;
        let runs_steps = settings.call.is_none();
        PlannedJob {
            job,
            needs,
            runs_on: runs_steps
                .then(|| settings.runs_on.as_ref().or(defaults.runs_on.as_ref()))
                .flatten(),
            timeout_minutes: settings
                .timeout_minutes
                .clone()
                .or(defaults.timeout_minutes.clone().filter(|_| runs_steps)),
            container: settings
                .container
                .as_deref()
                .or(defaults.container.as_ref().filter(|_| runs_steps)),
            downloads,
            uploads: self.artifacts(&self.produced, id).collect(),
        }
    }

    fn artifacts<'a>(
        &'a self,
        by: &'a HashMap<String, Vec<usize>>,
        job: &str,
    ) -> impl Iterator<Item = &'a Artifact> {
        by.get(job).into_iter().flatten().map(|&i| &self.workflow.artifacts[i])
    }
}
