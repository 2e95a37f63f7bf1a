//! The spec as read: a spanned mirror of `pipeline.kdl`.
//!
//! Every value the later stages check keeps the span of the token it was
//! read from, and every block keeps the span of its node name, so
//! `validate` can point at the exact place of a mistake: a name against its
//! rule, a reference to an unknown job, an expression, or a construct the
//! workflow's target cannot express. Nothing here is checked beyond its
//! form (which nodes exist, how many values, of which type).

use miette::SourceSpan;

use crate::model::{Data, IfMissing, Legs, Minutes, Permissions, Scalar};

/// A value and the span of the token it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it was written: the value's token, or a node's name.
    pub span: SourceSpan,
}

impl<T> Spanned<T> {
    /// `value`, written at `span`.
    pub fn new(value: T, span: SourceSpan) -> Self {
        Self { value, span }
    }
}

/// One `KEY=value` property of a map node (`env`, `with`, `outputs`, …).
#[derive(Clone, Debug, PartialEq)]
pub struct Property<V> {
    /// The key.
    pub key: Spanned<String>,
    /// The value.
    pub value: Spanned<V>,
}

/// The properties of every node of one map, in order; repeats are kept.
pub type Properties<V> = Vec<Property<V>>;

/// A parsed spec file.
#[derive(Clone, Debug, Default)]
pub struct Spec {
    /// `workflow` nodes in order.
    pub workflows: Vec<WorkflowSpec>,
    /// The `actions` node.
    pub actions: Option<ActionsSpec>,
    /// `template "NAME" { … }`: job bodies jobs start from (already merged
    /// into the jobs that use them when `parse` returns).
    pub templates: Vec<JobSpec>,
    /// `steps "NAME" { … }`: step lists jobs use (already expanded where
    /// used when `parse` returns).
    pub step_lists: Vec<StepList>,
}

/// `steps "NAME" { run …; uses … }` at the top level.
#[derive(Clone, Debug)]
pub struct StepList {
    /// Its name.
    pub name: Spanned<String>,
    /// Its steps, in order.
    pub steps: Vec<StepSpec>,
}

/// `steps "NAME"` in a job: a step list used in place.
#[derive(Clone, Debug)]
pub struct StepListUse {
    /// The list's name.
    pub name: Spanned<String>,
    /// How many of the job's own steps come before it.
    pub at: usize,
    /// Whether it comes before the job's `checkout` node.
    pub before_checkout: bool,
}

/// `actions { checkout "…"; upload-artifact "…"; download-artifact "…" }`.
#[derive(Clone, Debug)]
pub struct ActionsSpec {
    /// The node's name.
    pub span: SourceSpan,
    /// `checkout`.
    pub checkout: Option<Spanned<String>>,
    /// `upload-artifact`.
    pub upload_artifact: Option<Spanned<String>>,
    /// `download-artifact`.
    pub download_artifact: Option<Spanned<String>>,
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
    /// `name`: `None` inside for `name #null`.
    pub name: Option<Spanned<Option<String>>>,
    /// `run-name`.
    pub run_name: Option<Spanned<String>>,
    /// `enable-email-notifications` (Forgejo).
    pub email_notifications: Option<Spanned<bool>>,
    /// `raw`: keys copied into the workflow as written.
    pub raw: Vec<RawEntry>,
    /// `on`, with the span of its name.
    pub on: Option<Spanned<Vec<TriggerSpec>>>,
    /// `env`.
    pub env: Properties<Scalar>,
    /// `permissions`.
    pub permissions: Option<Spanned<Permissions>>,
    /// `concurrency`.
    pub concurrency: Option<Spanned<ConcurrencySpec>>,
    /// `defaults`.
    pub defaults: Option<Spanned<RunDefaultsSpec>>,
    /// `runs-on`, inherited by jobs that set none.
    pub runs_on: Option<Spanned<Vec<Spanned<String>>>>,
    /// `runs-on group="…"`: a runner group (GitHub).
    pub runner_group: Option<Spanned<String>>,
    /// `timeout-minutes`, inherited.
    pub timeout_minutes: Option<Spanned<Minutes>>,
    /// `container`, inherited.
    pub container: Option<Spanned<ContainerSpec>>,
    /// `job` nodes, each boxed as it is read: growing the list moves
    /// pointers, not whole specs (a large spec's peak heap is smaller).
    pub jobs: Vec<Box<JobSpec>>,
    /// `artifact` nodes.
    pub artifacts: Vec<ArtifactSpec>,
    /// `allow`: the warnings silenced in the whole workflow.
    pub allow: crate::warning::Allowed,
}

/// One event under `on`; repeated events are merged into the first.
#[derive(Clone, Debug)]
pub struct TriggerSpec {
    /// The event name.
    pub event: Spanned<String>,
    /// Filters (`branches`, `paths`, …): the key and its patterns.
    pub filters: Vec<(Spanned<String>, Vec<Spanned<String>>)>,
    /// Cron lines, for `schedule`.
    pub cron: Vec<Spanned<String>>,
    /// `input` nodes of `workflow_dispatch` and `workflow_call`.
    pub inputs: Vec<InputSpec>,
    /// `secret` nodes of `workflow_call`.
    pub secrets: Vec<SecretSpec>,
    /// `output` nodes of `workflow_call`.
    pub outputs: Vec<OutputSpec>,
}

/// An `input` of a dispatched or called workflow.
#[derive(Clone, Debug)]
pub struct InputSpec {
    /// Its name.
    pub name: Spanned<String>,
    /// `description`.
    pub description: Option<String>,
    /// `required`.
    pub required: Option<bool>,
    /// `type`.
    pub kind: Option<String>,
    /// `default`.
    pub default: Option<Spanned<Scalar>>,
    /// `options` of a `choice`.
    pub options: Vec<String>,
}

/// A `secret` of a called workflow.
#[derive(Clone, Debug)]
pub struct SecretSpec {
    /// Its name.
    pub name: Spanned<String>,
    /// `description`.
    pub description: Option<String>,
    /// `required`.
    pub required: Option<bool>,
}

/// An `output` of a called workflow.
#[derive(Clone, Debug)]
pub struct OutputSpec {
    /// Its name.
    pub name: Spanned<String>,
    /// `description`.
    pub description: Option<String>,
    /// `value`.
    pub value: Spanned<String>,
}

/// `concurrency group="…" cancel-in-progress=…`.
#[derive(Clone, Debug)]
pub struct ConcurrencySpec {
    /// `group`.
    pub group: Spanned<String>,
    /// `cancel-in-progress`: a boolean or an expression.
    pub cancel_in_progress: Option<Spanned<Scalar>>,
}

/// `defaults { run shell="…" working-directory="…" }`.
#[derive(Clone, Debug, Default)]
pub struct RunDefaultsSpec {
    /// `shell`.
    pub shell: Option<Spanned<String>>,
    /// `working-directory`.
    pub working_directory: Option<Spanned<String>>,
}

/// `container "IMAGE" { … }`.
#[derive(Clone, Debug)]
pub struct ContainerSpec {
    /// The image.
    pub image: Spanned<String>,
    /// `options`.
    pub options: Option<Spanned<String>>,
    /// `env`.
    pub env: Properties<Scalar>,
    /// `volumes`.
    pub volumes: Vec<Spanned<String>>,
    /// `credentials`.
    pub credentials: Option<Spanned<CredentialsSpec>>,
}

/// `credentials username="…" password="…"`: a registry login.
#[derive(Clone, Debug)]
pub struct CredentialsSpec {
    /// `username`.
    pub username: Spanned<String>,
    /// `password`.
    pub password: Spanned<String>,
}

/// One service under `services`.
#[derive(Clone, Debug)]
pub struct ServiceSpec {
    /// Its name, the node name.
    pub name: Spanned<String>,
    /// The image.
    pub image: Spanned<String>,
    /// `env`.
    pub env: Properties<Scalar>,
    /// `ports`, with the span of the node name.
    pub ports: Option<Spanned<Vec<Spanned<String>>>>,
    /// `volumes`, with the span of the node name.
    pub volumes: Option<Spanned<Vec<Spanned<String>>>>,
    /// `options`.
    pub options: Option<Spanned<String>>,
    /// `credentials`.
    pub credentials: Option<Spanned<CredentialsSpec>>,
    /// `cmd`: the command the container runs instead of its image's.
    pub cmd: Option<Spanned<Vec<Spanned<String>>>>,
}

/// `matrix { … }` (all `matrix` nodes of a job together).
#[derive(Clone, Debug, Default)]
pub struct MatrixSpec {
    /// `matrix "${{ … }}"`: the whole matrix from an expression.
    pub expression: Option<Spanned<String>>,
    /// Axes: name and values, in order; repeats append.
    pub axes: Vec<(Spanned<String>, AxisSpec)>,
    /// `include` entries.
    pub include: Vec<Properties<Data>>,
    /// `exclude` entries.
    pub exclude: Vec<Properties<Data>>,
}

/// The values of one axis.
#[derive(Clone, Debug)]
pub enum AxisSpec {
    /// Listed values.
    Values(Vec<Spanned<Data>>),
    /// `expression="${{ … }}"`.
    Expression(Spanned<String>),
}

/// `strategy` and `matrix`, with the span of the first of them.
#[derive(Clone, Debug, Default)]
pub struct StrategySpec {
    /// The matrix.
    pub matrix: Option<Spanned<MatrixSpec>>,
    /// `fail-fast`.
    pub fail_fast: Option<Spanned<bool>>,
    /// `max-parallel`.
    pub max_parallel: Option<Spanned<u32>>,
}

/// `environment "NAME" url="…"`.
#[derive(Clone, Debug)]
pub struct EnvironmentSpec {
    /// The name.
    pub name: Spanned<String>,
    /// `url`.
    pub url: Option<Spanned<String>>,
}

/// One key of `raw`.
#[derive(Clone, Debug)]
pub struct RawEntry {
    /// The key, as the output writes it.
    pub key: Spanned<String>,
    /// Its value.
    pub value: Spanned<Data>,
}

/// `checkout`: `#false`, or the checkout's inputs.
#[derive(Clone, Debug)]
pub enum CheckoutSpec {
    /// `checkout #false`.
    Disabled,
    /// `checkout` with `KEY=value` inputs (possibly none).
    Enabled {
        /// The step's `name`.
        name: Option<Spanned<String>>,
        /// `persist-credentials`.
        persist_credentials: Option<Spanned<bool>>,
        /// The other properties: the action's inputs.
        with: Properties<Scalar>,
        /// How many of the job's steps come before it in the spec.
        after: usize,
    },
}

/// A `uses` in a job that names a workflow file.
#[derive(Clone, Debug)]
pub struct CallSpec {
    /// The workflow reference.
    pub uses: Spanned<String>,
    /// `with`.
    pub with: Properties<Scalar>,
    /// `secrets`.
    pub secrets: Option<Spanned<SecretsSpec>>,
}

/// What a call's `secrets` pass.
#[derive(Clone, Debug)]
pub enum SecretsSpec {
    /// `secrets "inherit"`.
    Inherit,
    /// `secrets NAME="…"`.
    Named(Properties<String>),
}

/// A `job` node. Settings most jobs leave out are boxed, so that a large
/// spec of small jobs stays small.
#[derive(Clone, Debug)]
pub struct JobSpec {
    /// Its id argument.
    pub id: Spanned<String>,
    /// `template "NAME"`: the template the job starts from.
    pub template: Option<Spanned<String>>,
    /// `steps "NAME"`: step lists used among the job's steps.
    pub step_lists: Vec<StepListUse>,
    /// `raw`: keys copied into the job as written.
    pub raw: Vec<RawEntry>,
    /// `needs` arguments, every `needs` node appended.
    pub needs: Vec<Spanned<String>>,
    /// `name`.
    pub name: Option<Spanned<String>>,
    /// `runs-on`.
    pub runs_on: Option<Spanned<Vec<Spanned<String>>>>,
    /// `runs-on group="…"`: a runner group (GitHub).
    pub runner_group: Option<Spanned<String>>,
    /// `if`.
    pub condition: Option<Spanned<String>>,
    /// `timeout-minutes`.
    pub timeout_minutes: Option<Spanned<Minutes>>,
    /// `continue-on-error`.
    pub continue_on_error: Option<Spanned<Scalar>>,
    /// `environment`.
    pub environment: Option<Box<Spanned<EnvironmentSpec>>>,
    /// `env`.
    pub env: Properties<Scalar>,
    /// `permissions`.
    pub permissions: Option<Box<Spanned<Permissions>>>,
    /// `concurrency`.
    pub concurrency: Option<Box<Spanned<ConcurrencySpec>>>,
    /// `container`.
    pub container: Option<Box<Spanned<ContainerSpec>>>,
    /// `services`, with the span of the node name.
    pub services: Option<Box<Spanned<Vec<ServiceSpec>>>>,
    /// `matrix` and `strategy`.
    pub strategy: Option<Box<Spanned<StrategySpec>>>,
    /// `outputs`.
    pub outputs: Properties<String>,
    /// `defaults`.
    pub defaults: Option<Box<Spanned<RunDefaultsSpec>>>,
    /// `checkout`.
    pub checkout: Option<Box<Spanned<CheckoutSpec>>>,
    /// The reusable workflow the job calls, with the span of its `uses`.
    pub call: Option<Box<Spanned<CallSpec>>>,
    /// `run` and `uses` steps, in order.
    pub steps: Vec<StepSpec>,
    /// `allow`: the warnings silenced in this job.
    pub allow: crate::warning::Allowed,
}

/// A `run` or `uses` step.
#[derive(Clone, Debug)]
pub struct StepSpec {
    /// The node name: `run` or `uses`.
    pub kind: Spanned<StepKind>,
    /// The script or the action reference.
    pub main: Spanned<String>,
    /// `name`.
    pub name: Option<Spanned<String>>,
    /// `if`.
    pub condition: Option<Spanned<String>>,
    /// `with` (`uses` only).
    pub with: Properties<Scalar>,
    /// `env`.
    pub env: Properties<Scalar>,
    /// The settings most steps leave out.
    pub more: Option<Box<StepMore>>,
}

/// The settings of a step most steps leave out.
#[derive(Clone, Debug, Default)]
pub struct StepMore {
    /// `id`.
    pub id: Option<Spanned<String>>,
    /// `shell` (`run` only).
    pub shell: Option<Spanned<String>>,
    /// `working-directory` (`run` only).
    pub working_directory: Option<Spanned<String>>,
    /// `continue-on-error`.
    pub continue_on_error: Option<Spanned<Scalar>>,
    /// `timeout-minutes`.
    pub timeout_minutes: Option<Spanned<Minutes>>,
    /// `raw`: keys copied into the step as written.
    pub raw: Vec<RawEntry>,
}

impl StepSpec {
    /// The rarely given settings, empty when none is.
    pub fn more(&self) -> &StepMore {
        static NONE: StepMore = StepMore {
            id: None,
            shell: None,
            working_directory: None,
            continue_on_error: None,
            timeout_minutes: None,
            raw: Vec::new(),
        };
        self.more.as_deref().unwrap_or(&NONE)
    }
}

/// Which kind of step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepKind {
    /// `run "SCRIPT"`.
    Run,
    /// `uses "ACTION"`.
    Uses,
}

/// An `artifact` node.
#[derive(Clone, Debug)]
pub struct ArtifactSpec {
    /// Its name argument.
    pub name: Spanned<String>,
    /// `path` values.
    pub paths: Vec<Spanned<String>>,
    /// `from`.
    pub from: Spanned<String>,
    /// `to` values; none for an artifact nobody consumes.
    pub to: Vec<Spanned<String>>,
    /// `retention-days`.
    pub retention_days: Option<Spanned<u32>>,
    /// `if-missing`.
    pub if_missing: Option<Spanned<IfMissing>>,
    /// `hidden`.
    pub hidden: Option<Spanned<bool>>,
    /// `into`.
    pub into: Option<Spanned<String>>,
    /// `if`.
    pub condition: Option<Spanned<String>>,
    /// `compression-level`.
    pub compression_level: Option<Spanned<u32>>,
    /// `legs`.
    pub legs: Option<Spanned<Legs>>,
}
