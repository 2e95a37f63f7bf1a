//! A step a user wrote: a `run` script or a `uses` action.

use super::{Data, EnvName, InputName, Map, Minutes, Scalar, StepId};

/// What a step does.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// A shell script, one or more lines.
    Run {
        /// The script, exactly as in the spec (multi-line strings are dedented by KDL).
        script: String,
        /// `shell`.
        shell: Option<String>,
        /// `working-directory`.
        working_directory: Option<String>,
    },
    /// An action reference `OWNER/REPO@REF`, a URL, `./path` or `docker://…`.
    Uses {
        /// The reference.
        action: String,
        /// `with` inputs.
        with: Map<InputName, Scalar>,
    },
}

/// One step of a job.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// `name`.
    pub name: Option<String>,
    /// `id`.
    pub id: Option<StepId>,
    /// `if`.
    pub condition: Option<String>,
    /// What the step does.
    pub action: Action,
    /// `env`.
    pub env: Map<EnvName, Scalar>,
    /// `continue-on-error`.
    pub continue_on_error: Option<Scalar>,
    /// `timeout-minutes`.
    pub timeout_minutes: Option<Minutes>,
    /// `raw`: keys the language lacks, copied into the step.
    pub raw: Map<String, Data>,
}
