//! The plan lowered for an Actions platform: the workflow header, and each
//! job with its plumbing steps in place — the checkout first, downloads
//! right after it, the user's steps, uploads last — built as the template
//! reaches the job.

use std::sync::Arc;

use minijinja::Value;
use minijinja::value::Serde;

use super::context::{
    FilterContext, JobContext, RunnerGroup, RunsOn, StepContext, TriggerContext, WorkflowContext,
};
use super::versions::{self, Generation};
use super::{ActionRef, Platform};
use crate::model::{
    Action, ActionOverrides, Artifact, Checkout, Legs, Map, Matrix, Permissions, Scalar, Step,
    Trigger, WorkflowName,
};
use crate::pin::Lock;
use crate::plan::{Download, Plan, PlannedJob};
use crate::target::Lowered;

/// Lowers `plan` for `platform`, with the spec's plumbing overrides; every
/// reference `pins` locks is written as its commit.
pub fn lower(
    plan: Plan,
    platform: &'static Platform,
    overrides: &ActionOverrides,
    pins: &Arc<Lock>,
) -> Box<dyn Lowered> {
    let actions = Actions::new(platform, overrides, pins);
    Box::new(Lowering { actions, platform, plan, pins: Arc::clone(pins) })
}

#[derive(Debug)]
struct Lowering {
    plan: Plan,
    platform: &'static Platform,
    actions: Actions,
    pins: Arc<Lock>,
}

impl Lowered for Lowering {
    fn header(&self) -> Value {
        Value::from(Serde(&self.workflow()))
    }

    fn job_count(&self) -> usize {
        self.plan.job_count()
    }

    fn job(&self, index: usize) -> Value {
        Value::from(Serde(&self.lower_job(&self.plan.job(index))))
    }
}

/// The action references of one workflow's plumbing steps.
#[derive(Debug)]
struct Actions {
    checkout: Uses,
    upload: Uses,
    download: Uses,
    /// The generation of `upload` and `download`.
    generation: Generation,
}

/// An owned action reference.
#[derive(Debug)]
struct Uses {
    reference: String,
    version: Option<String>,
}

impl Uses {
    fn pick(default: ActionRef, custom: Option<&String>, pins: &Lock) -> Self {
        let key = custom.cloned().unwrap_or_else(|| crate::pin::collect::plumbing(default).0);
        if let Some(pinned) = pins.pinned(&key) {
            return Self { reference: pinned.reference, version: pinned.version };
        }
        match custom {
            Some(reference) => Self { reference: reference.clone(), version: None },
            None => Self {
                reference: default.reference.to_owned(),
                version: default.version.map(str::to_owned),
            },
        }
    }

    fn step(&self, name: Option<String>, with: Map<String, Scalar>) -> StepContext {
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
    fn new(platform: &Platform, overrides: &ActionOverrides, pins: &Lock) -> Self {
        let pick = |default, custom: &Option<String>| Uses::pick(default, custom.as_ref(), pins);
        Self {
            checkout: pick(platform.checkout, &overrides.checkout),
            upload: pick(platform.upload_artifact, &overrides.upload_artifact),
            download: pick(platform.download_artifact, &overrides.download_artifact),
            generation: versions::artifacts(overrides),
        }
    }
}

impl Lowering {
    /// The workflow's render context without its jobs.
    fn workflow(&self) -> WorkflowContext {
        let workflow = &self.plan.workflow;
        let settings = &workflow.settings;
        let permissions = match &settings.permissions {
            Some(Permissions::Default) => None,
            Some(given) => Some(given.clone()),
            None => self.platform.least_privilege.then(|| {
                let mut scopes = Map::default();
                scopes.insert("contents".to_owned(), "read".to_owned());
                Permissions::Scopes(scopes)
            }),
        };
        WorkflowContext {
            name: match &settings.name {
                WorkflowName::Id => Some(workflow.id.to_string()),
                WorkflowName::Text(text) => Some(text.clone()),
                WorkflowName::Omitted => None,
            },
            run_name: settings.run_name.clone(),
            email_notifications: settings.email_notifications,
            raw: settings.raw.clone(),
            on: settings.on.iter().map(trigger).collect(),
            permissions,
            env: settings.env.clone(),
            defaults: settings.defaults.clone(),
            concurrency: settings.concurrency.clone(),
            jobs: Vec::new(),
        }
    }

    fn lower_job(&self, planned: &PlannedJob<'_>) -> JobContext {
        let settings = &planned.job.settings;
        let mut call = settings.call.as_deref().cloned();
        let mut uses_version = None;
        if let Some(call) = &mut call
            && let Some(pinned) = self.pins.pinned(&call.uses)
        {
            call.uses = pinned.reference;
            uses_version = pinned.version;
        }
        let mut steps = Vec::new();
        if call.is_none() {
            // The steps written before the checkout, the checkout, the
            // downloads (a checkout would delete files downloaded earlier),
            // then the rest.
            let after = match &settings.checkout {
                Checkout::Enabled(checkout) => checkout.after.min(settings.steps.len()),
                Checkout::Disabled => 0,
            };
            let (before, rest) = settings.steps.split_at(after);
            steps.extend(before.iter().map(|step| user_step(step, &self.pins)));
            if let Checkout::Enabled(checkout) = &settings.checkout {
                let mut with: Map<String, Scalar> = Map::default();
                for (key, value) in checkout.with.iter() {
                    with.insert(key.to_string(), value.clone());
                }
                with.insert(
                    "persist-credentials".to_owned(),
                    Scalar::Bool(checkout.persist_credentials),
                );
                steps.push(self.actions.checkout.step(checkout.name.clone(), with));
            }
            steps.extend(planned.downloads.iter().map(|d| self.download(d)));
            steps.extend(rest.iter().map(|step| user_step(step, &self.pins)));
            for artifact in &planned.uploads {
                steps.push(self.upload(artifact, settings.matrix()));
            }
        }
        let runs_on = call.is_none().then(|| match planned.runs_on {
            None => RunsOn::One(self.platform.default_runner.to_owned()),
            Some(given) => {
                let labels = match <[String; 1]>::try_from(given.labels.clone()) {
                    Ok([one]) => Some(RunsOn::One(one)),
                    Err(none) if none.is_empty() => None,
                    Err(all) => Some(RunsOn::All(all)),
                };
                match (&given.group, labels) {
                    (Some(group), labels) => RunsOn::Group(RunnerGroup {
                        group: group.clone(),
                        labels: labels.map(Box::new),
                    }),
                    (None, Some(labels)) => labels,
                    (None, None) => RunsOn::One(self.platform.default_runner.to_owned()),
                }
            }
        });
        JobContext {
            raw: settings.raw.clone(),
            id: planned.job.id.to_string(),
            name: settings.name.clone(),
            needs: planned.needs.iter().map(ToString::to_string).collect(),
            condition: settings.condition.clone(),
            runs_on,
            permissions: settings.permissions.clone(),
            environment: settings.environment.as_deref().cloned(),
            concurrency: settings.concurrency.as_deref().cloned(),
            env: settings.env.clone(),
            timeout_minutes: planned.timeout_minutes.clone(),
            continue_on_error: settings.continue_on_error.clone(),
            container: planned.container.cloned(),
            services: settings.services.clone(),
            strategy: settings.strategy.as_deref().cloned(),
            outputs: settings.outputs.clone(),
            defaults: settings.defaults.as_deref().cloned(),
            call,
            uses_version,
            steps,
        }
    }

    /// The upload step. The legs of a matrix upload one artifact each, named
    /// after the leg; with the v3 actions they share the artifact instead,
    /// unless consumers pair with them.
    fn upload(&self, artifact: &Artifact, matrix: Option<&Matrix>) -> StepContext {
        let shared = self.actions.generation == Generation::V3 && artifact.legs != Legs::Paired;
        let name = match matrix {
            Some(matrix) if !shared => leg_name(artifact, matrix),
            _ => artifact.name.to_string(),
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
        if let Some(level) = artifact.compression_level {
            with.insert("compression-level".to_owned(), Scalar::Integer(level.into()));
        }
        let mut step = self.actions.upload.step(Some(format!("Upload {}", artifact.name)), with);
        step.condition = artifact.condition.clone();
        step
    }

    /// The download step: one artifact by name, or the legs of a matrix
    /// producer as the artifact's `legs` say.
    fn download(&self, download: &Download<'_>) -> StepContext {
        let artifact = download.artifact;
        let mut with = Map::default();
        let name = Scalar::String(artifact.name.to_string());
        match (download.producer, artifact.legs, self.actions.generation) {
            (None, ..) | (Some(_), Legs::Merged | Legs::Separate, Generation::V3) => {
                with.insert("name".to_owned(), name);
            }
            (Some(matrix), Legs::Paired, _) => {
                with.insert("name".to_owned(), Scalar::String(leg_name(artifact, matrix)));
            }
            (Some(_), legs, Generation::V4) => {
                with.insert("pattern".to_owned(), Scalar::String(format!("{}-*", artifact.name)));
                if legs == Legs::Merged {
                    with.insert("merge-multiple".to_owned(), Scalar::Bool(true));
                }
            }
        }
        if let Some(into) = &artifact.into {
            with.insert("path".to_owned(), Scalar::String(into.clone()));
        }
        self.actions.download.step(Some(format!("Download {}", artifact.name)), with)
    }
}

/// The name of one leg's artifact: `NAME-${{ matrix.AXIS }}…`, one suffix
/// per axis in order, or `NAME-${{ strategy.job-index }}` for legs that
/// have no name of their own. A paired consumer writes the same name, which
/// its own leg's axis values complete.
fn leg_name(artifact: &Artifact, matrix: &Matrix) -> String {
    if !matrix.names_legs() {
        return format!("{}-${{{{ strategy.job-index }}}}", artifact.name);
    }
    let mut name = artifact.name.to_string();
    for axis in matrix.axes.keys() {
        name.push_str(&format!("-${{{{ matrix.{axis} }}}}"));
    }
    name
}

fn trigger(t: &Trigger) -> TriggerContext {
    TriggerContext {
        event: t.event.clone(),
        filters: t
            .filters
            .iter()
            .map(|(key, values)| FilterContext { key: key.clone(), values: values.clone() })
            .collect(),
        cron: t.cron.clone(),
        inputs: t.inputs.clone(),
        secrets: t.secrets.clone(),
        outputs: t.outputs.clone(),
    }
}

fn user_step(step: &Step, pins: &Lock) -> StepContext {
    let mut context = StepContext {
        name: step.name.clone(),
        id: step.id.as_ref().map(ToString::to_string),
        condition: step.condition.clone(),
        env: step.env.clone(),
        continue_on_error: step.continue_on_error.clone(),
        timeout_minutes: step.timeout_minutes.clone(),
        raw: step.raw.clone(),
        ..StepContext::default()
    };
    match &step.action {
        Action::Run { script, shell, working_directory } => {
            context.run = Some(script.clone());
            context.shell = shell.clone();
            context.working_directory = working_directory.clone();
        }
        Action::Uses { action, with } => {
            match pins.pinned(action) {
                Some(pinned) => {
                    context.uses = Some(pinned.reference);
                    context.uses_version = pinned.version;
                }
                None => context.uses = Some(action.clone()),
            }
            for (key, value) in with.iter() {
                context.with.insert(key.to_string(), value.clone());
            }
        }
    }
    context
}
