//! Stage 3, plan: [`Pipeline`] → one [`PlannedWorkflow`] per output file.
//!
//! Planning applies workflow defaults, wires artifact edges into `needs` and
//! plumbing steps (checkout first, downloads right after it, uploads last),
//! picks each target's action references, and builds the render context.

pub mod context;

use std::collections::{HashMap, HashSet};

use crate::model::{
    Action, ActionOverrides, Artifact, Checkout, Job, Map, Matrix, Permissions, Pipeline, Scalar,
    Step, Workflow,
};
use crate::target::{self, ActionRef, TargetInfo};
use context::{FilterContext, JobContext, RunsOn, StepContext, TriggerContext, WorkflowContext};

/// Plans every workflow of `pipeline`, leaving each job to be planned when
/// it is rendered: a large spec then never holds every job twice, as model
/// and as render context.
pub fn plan_lazily(pipeline: Pipeline) -> Vec<PlannedWorkflow> {
    let overrides = pipeline.actions;
    pipeline.workflows.into_iter().map(|w| PlannedWorkflow::new(w, &overrides)).collect()
}

/// One output file whose jobs are planned on demand.
#[derive(Debug)]
pub struct PlannedWorkflow {
    /// The workflow id.
    pub id: String,
    /// Output path relative to the spec's folder.
    pub file: String,
    /// The template that renders it.
    pub template: String,
    workflow: Workflow,
    info: &'static TargetInfo,
    actions: Actions,
    /// Artifact indices by producing and by consuming job.
    produced: HashMap<String, Vec<usize>>,
    consumed: HashMap<String, Vec<usize>>,
    /// Jobs that run as a matrix.
    matrix_jobs: HashSet<String>,
}

impl PlannedWorkflow {
    fn new(workflow: Workflow, overrides: &ActionOverrides) -> Self {
        let info = target::info(workflow.target);
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
            .filter(|j| j.settings.matrix().is_some())
            .map(|j| j.id.to_string())
            .collect();
        Self {
            id: workflow.id.to_string(),
            file: workflow.file.clone(),
            template: format!("{}/workflow.yml.j2", info.template_set),
            actions: Actions::new(info, overrides),
            info,
            produced,
            consumed,
            matrix_jobs,
            workflow,
        }
    }

    /// The workflow's render context without its jobs.
    pub fn header(&self) -> WorkflowContext {
        let settings = &self.workflow.settings;
        let permissions = settings.permissions.clone().or_else(|| {
            self.info.least_privilege.then(|| {
                let mut scopes = Map::default();
                scopes.insert("contents".to_owned(), "read".to_owned());
                Permissions::Scopes(scopes)
            })
        });
        WorkflowContext {
            name: settings.name.clone().unwrap_or_else(|| self.workflow.id.to_string()),
            on: settings.on.iter().map(trigger).collect(),
            permissions,
            env: settings.env.clone(),
            defaults: settings.defaults.clone(),
            concurrency: settings.concurrency.clone(),
            jobs: Vec::new(),
        }
    }

    /// How many jobs the workflow has.
    pub fn job_count(&self) -> usize {
        self.workflow.jobs.len()
    }

    /// The render context of job `index`, in spec order.
    pub fn job(&self, index: usize) -> JobContext {
        self.plan_job(&self.workflow.jobs[index])
    }

    fn artifacts<'a>(
        &'a self,
        by: &'a HashMap<String, Vec<usize>>,
        job: &str,
    ) -> impl Iterator<Item = &'a Artifact> {
        by.get(job).into_iter().flatten().map(|&i| &self.workflow.artifacts[i])
    }
}

fn trigger(t: &crate::model::Trigger) -> TriggerContext {
    TriggerContext {
        event: t.event.clone(),
        filters: t
            .filters
            .iter()
            .map(|(key, values)| FilterContext { key: key.to_owned(), values: values.clone() })
            .collect(),
        cron: t.cron.clone(),
        inputs: t.inputs.clone(),
        secrets: t.secrets.clone(),
        outputs: t.outputs.clone(),
    }
}

/// The action references of one workflow's plumbing steps.
#[derive(Debug)]
struct Actions {
    checkout: Uses,
    upload: Uses,
    download: Uses,
}

/// An owned action reference.
#[derive(Debug)]
struct Uses {
    reference: String,
    version: Option<String>,
}

impl Uses {
    fn pick(default: ActionRef, custom: Option<&String>) -> Self {
        match custom {
            Some(reference) => Self { reference: reference.clone(), version: None },
            None => Self {
                reference: default.reference.to_owned(),
                version: default.version.map(str::to_owned),
            },
        }
    }

    fn step(&self, name: Option<String>, with: Map<Scalar>) -> StepContext {
        StepContext {
            name,
            uses: Some(self.reference.clone()),
            uses_version: self.version.clone(),
            with,
            ..StepContext::default()
        }
    }
}

impl Actions {
    fn new(info: &TargetInfo, overrides: &ActionOverrides) -> Self {
        Self {
            checkout: Uses::pick(info.checkout, overrides.checkout.as_ref()),
            upload: Uses::pick(info.upload_artifact, overrides.upload_artifact.as_ref()),
            download: Uses::pick(info.download_artifact, overrides.download_artifact.as_ref()),
        }
    }
}

impl PlannedWorkflow {
    fn plan_job(&self, job: &Job) -> JobContext {
        let defaults = &self.workflow.settings.job_defaults;
        let settings = &job.settings;
        let id = job.id.as_str();

        let mut needs: Vec<String> = job.needs.iter().map(ToString::to_string).collect();
        for artifact in self.artifacts(&self.consumed, id) {
            let producer = artifact.from.to_string();
            if !needs.contains(&producer) {
                needs.push(producer);
            }
        }

        let mut steps = Vec::new();
        let call = settings.call.as_deref().cloned();
        if call.is_none() {
            if let Checkout::Enabled(extra) = &settings.checkout {
                let mut with = extra.clone();
                with.insert("persist-credentials".to_owned(), Scalar::Bool(false));
                steps.push(self.actions.checkout.step(None, with));
            }
            for artifact in self.artifacts(&self.consumed, id) {
                steps.push(self.download(artifact));
            }
            steps.extend(settings.steps.iter().map(user_step));
            for artifact in self.artifacts(&self.produced, id) {
                steps.push(self.upload(artifact, settings.matrix()));
            }
        }

        let runs_on = call.is_none().then(|| {
            let labels = settings
                .runs_on
                .clone()
                .or_else(|| defaults.runs_on.clone())
                .unwrap_or_else(|| vec![self.info.default_runner.to_owned()]);
            match <[String; 1]>::try_from(labels) {
                Ok([one]) => RunsOn::One(one),
                Err(all) => RunsOn::All(all),
            }
        });
        let inherit = call.is_none();

        JobContext {
            id: id.to_owned(),
            name: settings.name.clone(),
            needs,
            condition: settings.condition.clone(),
            runs_on,
            permissions: settings.permissions.clone(),
            environment: settings.environment.as_deref().cloned(),
            concurrency: settings.concurrency.as_deref().cloned(),
            env: settings.env.clone(),
            timeout_minutes: settings
                .timeout_minutes
                .or(defaults.timeout_minutes.filter(|_| inherit)),
            continue_on_error: settings.continue_on_error.clone(),
            container: settings
                .container
                .as_deref()
                .cloned()
                .or_else(|| defaults.container.clone().filter(|_| inherit)),
            services: settings.services.clone(),
            strategy: settings.strategy.as_deref().cloned(),
            outputs: settings.outputs.clone(),
            defaults: settings.defaults.as_deref().cloned(),
            call,
            steps,
        }
    }

    /// The upload step; a matrix leg suffixes the name with its axis values.
    fn upload(&self, artifact: &Artifact, matrix: Option<&Matrix>) -> StepContext {
        let name = match matrix {
            None => artifact.name.to_string(),
            Some(matrix) if matrix.axes.is_empty() => {
                format!("{}-${{{{ strategy.job-index }}}}", artifact.name)
            }
            Some(matrix) => {
                let mut name = artifact.name.to_string();
                for (axis, _) in matrix.axes.iter() {
                    name.push_str(&format!("-${{{{ matrix.{axis} }}}}"));
                }
                name
            }
        };
        let mut with = Map::default();
        with.insert("name".to_owned(), Scalar::String(name));
        with.insert("path".to_owned(), Scalar::String(artifact.paths.join("\n")));
        if artifact.includes_hidden_files() {
            with.insert("include-hidden-files".to_owned(), Scalar::Bool(true));
        }
        with.insert(
            "if-no-files-found".to_owned(),
            Scalar::String(artifact.if_missing.name().to_owned()),
        );
        if let Some(days) = artifact.retention_days {
            with.insert("retention-days".to_owned(), Scalar::Integer(days.into()));
        }
        self.actions.upload.step(Some(format!("Upload {}", artifact.name)), with)
    }

    /// The download step; artifacts of a matrix producer are fetched together.
    fn download(&self, artifact: &Artifact) -> StepContext {
        let fan_in = self.matrix_jobs.contains(artifact.from.as_str());
        let mut with = Map::default();
        if fan_in {
            with.insert("pattern".to_owned(), Scalar::String(format!("{}-*", artifact.name)));
            with.insert("merge-multiple".to_owned(), Scalar::Bool(true));
        } else {
            with.insert("name".to_owned(), Scalar::String(artifact.name.to_string()));
        }
        if let Some(into) = &artifact.into {
            with.insert("path".to_owned(), Scalar::String(into.clone()));
        }
        self.actions.download.step(Some(format!("Download {}", artifact.name)), with)
    }
}

fn user_step(step: &Step) -> StepContext {
    let mut context = StepContext {
        name: step.name.clone(),
        id: step.id.clone(),
        condition: step.condition.clone(),
        env: step.env.clone(),
        continue_on_error: step.continue_on_error.clone(),
        timeout_minutes: step.timeout_minutes,
        ..StepContext::default()
    };
    match &step.action {
        Action::Run { script, shell, working_directory } => {
            context.run = Some(script.clone());
            context.shell = shell.clone();
            context.working_directory = working_directory.clone();
        }
        Action::Uses { action, with } => {
            context.uses = Some(action.clone());
            context.with = with.clone();
        }
    }
    context
}
