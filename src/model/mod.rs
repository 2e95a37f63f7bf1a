//! The validated pipeline: what the spec means, with no KDL and no spans.
//! Every name is a checked newtype. Nothing here belongs to one CI system:
//! each target's lowering (`crate::target`) gives every field its form on
//! that target, and `validate` has already refused what a workflow's target
//! cannot express.

mod ids;
mod step;
mod values;

pub use crate::target::Target;
pub use ids::{
    ArtifactName, AxisName, ContainerEnvName, EnvName, InputName, InvalidName, JobId, SecretName,
    ServiceName, StepId, WorkflowId,
};
pub use step::{Action, Step};
pub use values::{
    Axis, Call, Concurrency, Container, Credentials, Data, Environment, Input, Map, Matrix,
    Minutes, Permissions, RunDefaults, RunsOn, Scalar, Secrets, Service, Strategy, Trigger,
    TriggerOutput, TriggerSecret,
};

/// A whole spec: its workflows and the plumbing actions it overrides.
#[derive(Clone, Debug, PartialEq)]
pub struct Pipeline {
    /// The spec's file name, relative to its folder (for the generated header).
    pub spec_name: String,
    /// Workflows in spec order.
    pub workflows: Vec<Workflow>,
    /// `actions { … }` overrides.
    pub actions: ActionOverrides,
}

/// Which action each plumbing step uses, when the spec overrides a default;
/// it applies to the workflows of targets that run actions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ActionOverrides {
    /// `checkout`.
    pub checkout: Option<String>,
    /// `upload-artifact`.
    pub upload_artifact: Option<String>,
    /// `download-artifact`.
    pub download_artifact: Option<String>,
}

/// One workflow file.
#[derive(Clone, Debug, PartialEq)]
pub struct Workflow {
    /// The id, which names the default output file.
    pub id: WorkflowId,
    /// The CI system.
    pub target: Target,
    /// Output path relative to the spec's folder, `/`-separated, checked to
    /// stay inside it.
    pub file: String,
    /// Everything else the workflow sets.
    pub settings: WorkflowSettings,
    /// Jobs in spec order.
    pub jobs: Vec<Job>,
    /// Artifact edges in spec order.
    pub artifacts: Vec<Artifact>,
}

/// The settings of a workflow that hold no identifiers.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WorkflowSettings {
    /// Display name.
    pub name: WorkflowName,
    /// `run-name`: the name of each run.
    pub run_name: Option<String>,
    /// `enable-email-notifications` (Forgejo): mail the author of a failed run.
    pub email_notifications: Option<bool>,
    /// `raw`: keys the language lacks, copied into the workflow.
    pub raw: Map<String, Data>,
    /// Triggers in spec order.
    pub on: Vec<Trigger>,
    /// Workflow `env`.
    pub env: Map<EnvName, Scalar>,
    /// Workflow `permissions`.
    pub permissions: Option<Permissions>,
    /// Workflow `concurrency`.
    pub concurrency: Option<Concurrency>,
    /// Workflow `defaults.run`.
    pub defaults: Option<RunDefaults>,
    /// Job settings given on the workflow, inherited by jobs that do not set them.
    pub job_defaults: JobDefaults,
}

/// A workflow's display name.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum WorkflowName {
    /// None given: the workflow's id.
    #[default]
    Id,
    /// `name "TEXT"`.
    Text(String),
    /// `name #null`: no name, so the forge shows the file's path.
    Omitted,
}

/// Job settings a workflow passes down.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JobDefaults {
    /// `runs-on`.
    pub runs_on: Option<RunsOn>,
    /// `timeout-minutes`.
    pub timeout_minutes: Option<Minutes>,
    /// `container`.
    pub container: Option<Container>,
}

/// Whether and how a job checks out the repository.
#[derive(Clone, Debug, PartialEq)]
pub enum Checkout {
    /// `checkout #false`.
    Disabled,
    /// The default, or `checkout key=value …`.
    Enabled(CheckoutStep),
}

/// The checkout step of a job.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CheckoutStep {
    /// The step's `name`.
    pub name: Option<String>,
    /// Whether the token stays in `.git/config` for later steps.
    pub persist_credentials: bool,
    /// The other inputs of the checkout action, such as `fetch-depth`.
    pub with: Map<InputName, Scalar>,
    /// How many of the job's own steps run before it: 0 puts it first.
    pub after: usize,
}

impl Default for Checkout {
    fn default() -> Self {
        Self::Enabled(CheckoutStep::default())
    }
}

/// One job.
#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    /// The id.
    pub id: JobId,
    /// Explicit `needs`, in spec order, without duplicates.
    pub needs: Vec<JobId>,
    /// Everything else the job sets.
    pub settings: JobSettings,
}

/// The settings of a job that hold no identifiers.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JobSettings {
    /// `name`.
    pub name: Option<String>,
    /// `raw`: keys the language lacks, copied into the job.
    pub raw: Map<String, Data>,
    /// `runs-on`, if the job sets it.
    pub runs_on: Option<RunsOn>,
    /// `if`.
    pub condition: Option<String>,
    /// `timeout-minutes`.
    pub timeout_minutes: Option<Minutes>,
    /// `continue-on-error`.
    pub continue_on_error: Option<Scalar>,
    /// `environment`.
    pub environment: Option<Box<Environment>>,
    /// `env`.
    pub env: Map<EnvName, Scalar>,
    /// `permissions`.
    pub permissions: Option<Permissions>,
    /// `concurrency`.
    pub concurrency: Option<Box<Concurrency>>,
    /// `container`.
    pub container: Option<Box<Container>>,
    /// `services`, in spec order.
    pub services: Vec<Service>,
    /// `strategy`, with its `matrix`.
    pub strategy: Option<Box<Strategy>>,
    /// `outputs`.
    pub outputs: Map<InputName, String>,
    /// `defaults.run`.
    pub defaults: Option<Box<RunDefaults>>,
    /// A reusable workflow this job calls instead of running steps
    /// (boxed, like the other rare settings, to keep jobs small).
    pub call: Option<Box<Call>>,
    /// Automatic checkout.
    pub checkout: Checkout,
    /// The user's steps, in order.
    pub steps: Vec<Step>,
}

impl JobSettings {
    /// The matrix axes, when the job runs as a matrix.
    pub fn matrix(&self) -> Option<&Matrix> {
        self.strategy.as_ref().and_then(|s| s.matrix.as_ref())
    }
}

/// What the upload does when no file matches.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum IfMissing {
    /// Fail the producer (the default).
    #[default]
    Error,
    /// Warn and go on.
    Warn,
    /// Say nothing.
    Ignore,
}

impl IfMissing {
    /// Every value, by its spec name.
    pub const ALL: [(&'static str, Self); 3] =
        [("error", Self::Error), ("warn", Self::Warn), ("ignore", Self::Ignore)];

    /// The spec (and action input) spelling.
    pub fn name(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warn => "warn",
            Self::Ignore => "ignore",
        }
    }
}

/// How the consumers of a matrix producer's artifact take its legs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Legs {
    /// Every leg's files in one folder (the default).
    #[default]
    Merged,
    /// Every leg's files in a folder of its own, named after the leg.
    Separate,
    /// Each leg of a matrix consumer takes the files of the producer's leg
    /// with the same axis values.
    Paired,
}

impl Legs {
    /// Every value, by its spec name.
    pub const ALL: [(&'static str, Self); 3] =
        [("merged", Self::Merged), ("separate", Self::Separate), ("paired", Self::Paired)];

    /// The spec spelling.
    pub fn name(self) -> &'static str {
        match self {
            Self::Merged => "merged",
            Self::Separate => "separate",
            Self::Paired => "paired",
        }
    }
}

/// An artifact edge: files one job uploads and other jobs download.
#[derive(Clone, Debug, PartialEq)]
pub struct Artifact {
    /// The artifact name.
    pub name: ArtifactName,
    /// Files, folders or globs, relative to the workspace.
    pub paths: Vec<String>,
    /// The producing job.
    pub from: JobId,
    /// The consuming jobs, in spec order, without duplicates; none for an
    /// artifact that is only uploaded (for people and releases).
    pub to: Vec<JobId>,
    /// `retention-days`.
    pub retention_days: Option<u32>,
    /// `if-missing`.
    pub if_missing: IfMissing,
    /// `hidden`: include dotfiles; `None` means "decide from the paths".
    pub hidden: Option<bool>,
    /// `into`: where consumers put the files.
    pub into: Option<String>,
    /// `if`: when the upload runs (`always()` to keep logs of a failure).
    pub condition: Option<String>,
    /// `compression-level`, 0 to 9.
    pub compression_level: Option<u32>,
    /// `legs`: how consumers take the legs of a matrix producer.
    pub legs: Legs,
}

impl Artifact {
    /// Whether the upload must include hidden files: as set, or else when any
    /// path names a dotfile or a dot-folder.
    pub fn includes_hidden_files(&self) -> bool {
        self.hidden.unwrap_or_else(|| {
            self.paths.iter().any(|path| {
                path.split(['/', '\\'])
                    .any(|part| part.starts_with('.') && part != "." && part != "..")
            })
        })
    }
}
