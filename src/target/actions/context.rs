//! The render context of the Actions templates: the only thing they see.
//!
//! These fields are load-bearing: templates read them by name, and
//! `docs/templates.md` documents each. Every field is always present
//! (absent values are `none`), so templates stay strict.

use serde::Serialize;

use crate::model::{
    Call, Concurrency, Container, Data, EnvName, Environment, Input, InputName, Map, Minutes,
    Permissions, RunDefaults, Scalar, Service, Strategy, TriggerOutput, TriggerSecret,
};

/// One workflow file's context, under the name `workflow`.
#[derive(Clone, Debug, Serialize)]
pub struct WorkflowContext {
    /// `name`; none for `name #null`.
    pub name: Option<String>,
    /// `run-name`.
    pub run_name: Option<String>,
    /// `enable-email-notifications` (Forgejo).
    pub email_notifications: Option<bool>,
    /// `on`, in spec order.
    pub on: Vec<TriggerContext>,
    /// `permissions`.
    pub permissions: Option<Permissions>,
    /// `env`.
    pub env: Map<EnvName, Scalar>,
    /// `defaults.run`.
    pub defaults: Option<RunDefaults>,
    /// `concurrency`.
    pub concurrency: Option<Concurrency>,
    /// `raw` keys, written before `jobs`.
    pub raw: Map<String, Data>,
    /// Jobs in spec order.
    pub jobs: Vec<JobContext>,
}

/// One event under `on`.
#[derive(Clone, Debug, Serialize)]
pub struct TriggerContext {
    /// The event name.
    pub event: String,
    /// Filters as `(key, patterns)`, in spec order.
    pub filters: Vec<FilterContext>,
    /// Cron lines (`schedule` only).
    pub cron: Vec<String>,
    /// `inputs` (`workflow_dispatch`, `workflow_call`).
    pub inputs: Vec<Input>,
    /// `secrets` (`workflow_call`).
    pub secrets: Vec<TriggerSecret>,
    /// `outputs` (`workflow_call`).
    pub outputs: Vec<TriggerOutput>,
}

/// One filter of a trigger.
#[derive(Clone, Debug, Serialize)]
pub struct FilterContext {
    /// `branches`, `paths`, …
    pub key: String,
    /// The patterns.
    pub values: Vec<String>,
}

/// One job, with its plumbing steps in place.
#[derive(Clone, Debug, Serialize)]
pub struct JobContext {
    /// The job id (its key under `jobs`).
    pub id: String,
    /// `name`.
    pub name: Option<String>,
    /// `needs`: explicit entries first, then producers of consumed artifacts.
    pub needs: Vec<String>,
    /// `if`.
    pub condition: Option<String>,
    /// `runs-on`: one label as a string, several as a list; none for a call.
    pub runs_on: Option<RunsOn>,
    /// `permissions`.
    pub permissions: Option<Permissions>,
    /// `environment`.
    pub environment: Option<Environment>,
    /// `concurrency`.
    pub concurrency: Option<Concurrency>,
    /// `env`.
    pub env: Map<EnvName, Scalar>,
    /// `timeout-minutes`.
    pub timeout_minutes: Option<Minutes>,
    /// `continue-on-error`.
    pub continue_on_error: Option<Scalar>,
    /// `container`.
    pub container: Option<Container>,
    /// `services`.
    pub services: Vec<Service>,
    /// `strategy`.
    pub strategy: Option<Strategy>,
    /// `outputs`.
    pub outputs: Map<InputName, String>,
    /// `defaults.run`.
    pub defaults: Option<RunDefaults>,
    /// The reusable workflow this job calls; such a job has no steps.
    pub call: Option<Call>,
    /// The version a call pinned to a commit stands for, written as a comment.
    pub uses_version: Option<String>,
    /// `raw` keys, written before `steps` (or `uses`).
    pub raw: Map<String, Data>,
    /// Steps: checkout, downloads, the user's steps, uploads.
    pub steps: Vec<StepContext>,
}

/// `runs-on`.
#[derive(Clone, Debug, Serialize)]
#[serde(untagged)]
pub enum RunsOn {
    /// One label.
    One(String),
    /// Several labels, all required.
    All(Vec<String>),
    /// A runner group, and maybe labels within it.
    Group(RunnerGroup),
}

/// `runs-on: {group: …, labels: …}`.
#[derive(Clone, Debug, Serialize)]
pub struct RunnerGroup {
    /// `group`.
    pub group: String,
    /// `labels`: one label or several.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub labels: Option<Box<RunsOn>>,
}

/// One step.
#[derive(Clone, Debug, Default, Serialize)]
pub struct StepContext {
    /// `name`.
    pub name: Option<String>,
    /// `id`.
    pub id: Option<String>,
    /// `if`.
    pub condition: Option<String>,
    /// `uses`.
    pub uses: Option<String>,
    /// The version a `uses` pinned to a commit stands for, written as a comment.
    pub uses_version: Option<String>,
    /// `with`.
    pub with: Map<String, Scalar>,
    /// `run`.
    pub run: Option<String>,
    /// `shell`.
    pub shell: Option<String>,
    /// `working-directory`.
    pub working_directory: Option<String>,
    /// `env`.
    pub env: Map<EnvName, Scalar>,
    /// `continue-on-error`.
    pub continue_on_error: Option<Scalar>,
    /// `timeout-minutes`.
    pub timeout_minutes: Option<Minutes>,
    /// `raw` keys, written last.
    pub raw: Map<String, Data>,
}
