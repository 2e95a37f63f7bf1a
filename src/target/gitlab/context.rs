//! The render context of the GitLab template: the only thing it sees.
//! Every field is always present (absent values are `none` or empty), so
//! the template stays strict; `docs/templates.md` documents each.

use serde::Serialize;

use super::rules::Rule;
use crate::model::{Data, Map};

/// The pipeline, under the name `workflow`.
#[derive(Clone, Debug, Serialize)]
pub struct PipelineContext {
    /// `workflow: name`; none for `name #null`.
    pub name: Option<String>,
    /// `workflow: rules`: when a pipeline is created.
    pub rules: Vec<Rule>,
    /// Whether a newer pipeline of the same ref cancels this one
    /// (`auto_cancel: on_new_commit: interruptible`, every job interruptible).
    pub auto_cancel: bool,
    /// Top-level `variables`: the workflow's `env` and the inputs of a
    /// manually run pipeline.
    pub variables: Vec<VariableContext>,
    /// `stages`: one per depth of the job graph.
    pub stages: Vec<String>,
    /// `raw` keys, written before the jobs.
    pub raw: Map<String, Data>,
    /// The jobs, in spec order.
    pub jobs: Vec<JobContext>,
}

/// One variable.
#[derive(Clone, Debug, Serialize)]
pub struct VariableContext {
    /// Its name.
    pub name: String,
    /// Its value, always a string.
    pub value: String,
    /// `false` when GitLab must not expand `$` in the value.
    pub expand: bool,
    /// `description`, for an input of a manually run pipeline.
    pub description: Option<String>,
    /// `options`, for a choice input.
    pub options: Vec<String>,
}

/// One job.
#[derive(Clone, Debug, Serialize)]
pub struct JobContext {
    /// The job id, its key.
    pub id: String,
    /// `raw` keys, written last.
    pub raw: Map<String, Data>,
    /// `stage`.
    pub stage: String,
    /// `needs`: every job it waits for, with whether it takes its artifacts.
    pub needs: Vec<NeedContext>,
    /// `rules`, from its `if`.
    pub rules: Vec<Rule>,
    /// `interruptible`.
    pub interruptible: bool,
    /// `timeout`, e.g. `30 minutes`.
    pub timeout: Option<String>,
    /// `image`.
    pub image: Option<String>,
    /// `tags`: the runner labels.
    pub tags: Vec<String>,
    /// `variables`.
    pub variables: Vec<VariableContext>,
    /// `services`.
    pub services: Vec<ServiceContext>,
    /// `parallel: matrix`: one entry per leg.
    pub matrix: Vec<Vec<(String, String)>>,
    /// `environment`.
    pub environment: Option<EnvironmentContext>,
    /// `resource_group`.
    pub resource_group: Option<String>,
    /// `allow_failure: true`.
    pub allow_failure: bool,
    /// `script`: one item per `run` step, then the artifact guards.
    pub script: Vec<String>,
    /// `artifacts`.
    pub artifacts: Option<ArtifactsContext>,
}

/// One entry of `needs`.
#[derive(Clone, Debug, Serialize)]
pub struct NeedContext {
    /// The job.
    pub job: String,
    /// Whether its artifacts are downloaded.
    pub artifacts: bool,
    /// For legs paired with a matrix job: each of its axes and the matrix
    /// expression that names this leg's value (`$[[ matrix.AXIS ]]`), so
    /// each leg waits for the job's leg with its own values only.
    pub parallel: Vec<(String, String)>,
}

/// A service.
#[derive(Clone, Debug, Serialize)]
pub struct ServiceContext {
    /// The image.
    pub name: String,
    /// The host name jobs reach it by.
    pub alias: String,
    /// `command`: what the container runs instead of its image's command.
    pub command: Vec<String>,
    /// `variables`.
    pub variables: Vec<VariableContext>,
}

/// `environment`.
#[derive(Clone, Debug, Serialize)]
pub struct EnvironmentContext {
    /// `name`.
    pub name: String,
    /// `url`.
    pub url: Option<String>,
}

/// `artifacts`.
#[derive(Clone, Debug, Serialize)]
pub struct ArtifactsContext {
    /// `paths`.
    pub paths: Vec<String>,
    /// `expire_in`, e.g. `1 day`.
    pub expire_in: Option<String>,
    /// `when`.
    pub when: String,
}
