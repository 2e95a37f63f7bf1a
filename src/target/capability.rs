//! What a target can express. Most of the language has a form on every
//! target; the constructs listed here may be refused by one, which then
//! names them in its row of the table with the help line its refusal
//! shows. `validate` walks every workflow and refuses, at its span, each
//! construct its target lists. Refusals that depend on a value (an
//! expression, a trigger's filter, a matrix too large) are the target's own
//! checks.

/// A construct some target may not be able to express.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Construct {
    /// `permissions`, on a workflow or a job.
    Permissions,
    /// `shell` in `defaults { run … }`, or on a `run` step.
    Shell,
    /// A job's `name`.
    JobName,
    /// A job's `outputs`.
    JobOutputs,
    /// A job that calls a reusable workflow.
    WorkflowCall,
    /// `workflow_call` under `on`: a workflow others call.
    CalledWorkflow,
    /// A container's `options`.
    ContainerOptions,
    /// A container's `volumes`.
    ContainerVolumes,
    /// A service's `ports`.
    ServicePorts,
    /// A service's `volumes`.
    ServiceVolumes,
    /// A service's `options`.
    ServiceOptions,
    /// `strategy max-parallel=N`.
    MaxParallel,
    /// A `uses` step: an action.
    Action,
    /// A step's `name`.
    StepName,
    /// A step's `id`.
    StepId,
    /// A step's `if`.
    StepIf,
    /// A step's `working-directory`.
    StepWorkingDirectory,
    /// A step's `continue-on-error`.
    StepContinueOnError,
    /// A step's `timeout-minutes`.
    StepTimeout,
    /// A step's `env`.
    StepEnv,
    /// An artifact's `into`.
    ArtifactInto,
    /// An artifact's `compression-level`.
    ArtifactCompression,
    /// `paths-ignore` on a trigger.
    PathsIgnore,
    /// A workflow's `run-name`.
    RunName,
    /// A `checkout` written after some of the job's steps.
    LateCheckout,
    /// `credentials` of a container or a service.
    Credentials,
    /// A service's `cmd`.
    ServiceCmd,
    /// `enable-email-notifications`.
    EmailNotifications,
    /// `raw` in a step.
    RawStep,
    /// `runs-on group="…"`.
    RunnerGroup,
}

impl Construct {
    /// How messages and the documentation name it.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Permissions => "`permissions`",
            Self::Shell => "`shell`",
            Self::JobName => "a job's `name`",
            Self::JobOutputs => "a job's `outputs`",
            Self::WorkflowCall => "calling a reusable workflow",
            Self::CalledWorkflow => "`workflow_call`",
            Self::ContainerOptions => "a container's `options`",
            Self::ContainerVolumes => "a container's `volumes`",
            Self::ServicePorts => "a service's `ports`",
            Self::ServiceVolumes => "a service's `volumes`",
            Self::ServiceOptions => "a service's `options`",
            Self::MaxParallel => "`max-parallel`",
            Self::Action => "a `uses` step (an action)",
            Self::StepName => "a step's `name`",
            Self::StepId => "a step's `id`",
            Self::StepIf => "a step's `if`",
            Self::StepWorkingDirectory => "a step's `working-directory`",
            Self::StepContinueOnError => "a step's `continue-on-error`",
            Self::StepTimeout => "a step's `timeout-minutes`",
            Self::StepEnv => "a step's `env`",
            Self::ArtifactInto => "an artifact's `into`",
            Self::ArtifactCompression => "an artifact's `compression-level`",
            Self::PathsIgnore => "`paths-ignore`",
            Self::RunName => "`run-name`",
            Self::LateCheckout => "a `checkout` after other steps",
            Self::Credentials => "registry `credentials`",
            Self::ServiceCmd => "a service's `cmd`",
            Self::EmailNotifications => "`enable-email-notifications`",
            Self::RawStep => "`raw` in a step",
            Self::RunnerGroup => "a runner `group`",
        }
    }
}
