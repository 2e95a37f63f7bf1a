//! The contexts an expression can read, and which of them, and which
//! restricted functions, each workflow key allows.
//!
//! [`Key`] has one variant per row of GitHub's "Context availability" table
//! (Contexts reference). The allowed contexts and functions are the same as
//! actionlint's `WorkflowKeyAvailability`, which is generated from that
//! table. Forgejo and Gitea name the `github` context `forgejo` and `gitea`
//! as well; both read as [`Context::Github`].

/// A context: the root name of a property path such as `github.sha`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Context {
    /// `github` (also `forgejo`, `gitea`): the run and its event.
    Github,
    /// `env`: variables set in the workflow, job or step.
    Env,
    /// `vars`: configuration variables.
    Vars,
    /// `job`: the running job.
    Job,
    /// `jobs`: outputs of a reusable workflow's jobs.
    Jobs,
    /// `steps`: earlier steps of the job.
    Steps,
    /// `runner`: the machine running the job.
    Runner,
    /// `secrets`: secret values.
    Secrets,
    /// `strategy`: the job's matrix strategy.
    Strategy,
    /// `matrix`: this job's matrix values.
    Matrix,
    /// `needs`: the jobs this one needs.
    Needs,
    /// `inputs`: inputs of a reusable or manually run workflow.
    Inputs,
}

impl Context {
    /// Every context.
    pub const ALL: [Context; 12] = [
        Self::Github,
        Self::Env,
        Self::Vars,
        Self::Job,
        Self::Jobs,
        Self::Steps,
        Self::Runner,
        Self::Secrets,
        Self::Strategy,
        Self::Matrix,
        Self::Needs,
        Self::Inputs,
    ];

    /// Forgejo's and Gitea's other names for `github`.
    pub const GITHUB_ALIASES: [&'static str; 2] = ["forgejo", "gitea"];

    /// The context's name, in lowercase.
    pub fn name(self) -> &'static str {
        match self {
            Self::Github => "github",
            Self::Env => "env",
            Self::Vars => "vars",
            Self::Job => "job",
            Self::Jobs => "jobs",
            Self::Steps => "steps",
            Self::Runner => "runner",
            Self::Secrets => "secrets",
            Self::Strategy => "strategy",
            Self::Matrix => "matrix",
            Self::Needs => "needs",
            Self::Inputs => "inputs",
        }
    }

    /// The context called `name`, in any case; `forgejo` and `gitea` are
    /// `github`.
    pub fn lookup(name: &str) -> Option<Context> {
        if Self::GITHUB_ALIASES.iter().any(|alias| alias.eq_ignore_ascii_case(name)) {
            return Some(Self::Github);
        }
        Self::ALL.into_iter().find(|c| c.name().eq_ignore_ascii_case(name))
    }

    /// A help line for an unknown context `name`: the closest context, or
    /// the list of them.
    pub fn help(name: &str) -> String {
        let names: Vec<&str> = Self::ALL.iter().map(|c| c.name()).collect();
        crate::suggest::help(name, &names)
    }
}

/// A workflow key whose value may hold expressions: one row of the
/// availability table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Key {
    /// `run-name`.
    RunName,
    /// `concurrency` of the workflow.
    Concurrency,
    /// `env` of the workflow.
    Env,
    /// `on.workflow_call.inputs.<inputs_id>.default`.
    WorkflowCallInputDefault,
    /// `on.workflow_call.outputs.<output_id>.value`.
    WorkflowCallOutputValue,
    /// `jobs.<job_id>.concurrency`.
    JobConcurrency,
    /// `jobs.<job_id>.container`.
    JobContainer,
    /// `jobs.<job_id>.container.credentials`.
    JobContainerCredentials,
    /// `jobs.<job_id>.container.env.<env_id>`.
    JobContainerEnv,
    /// `jobs.<job_id>.container.image`.
    JobContainerImage,
    /// `jobs.<job_id>.continue-on-error`.
    JobContinueOnError,
    /// `jobs.<job_id>.defaults.run`.
    JobDefaultsRun,
    /// `jobs.<job_id>.env`.
    JobEnv,
    /// `jobs.<job_id>.environment`.
    JobEnvironment,
    /// `jobs.<job_id>.environment.url`.
    JobEnvironmentUrl,
    /// `jobs.<job_id>.if`.
    JobIf,
    /// `jobs.<job_id>.name`.
    JobName,
    /// `jobs.<job_id>.outputs.<output_id>`.
    JobOutputs,
    /// `jobs.<job_id>.runs-on`.
    JobRunsOn,
    /// `jobs.<job_id>.secrets.<secrets_id>`.
    JobSecrets,
    /// `jobs.<job_id>.services`.
    JobServices,
    /// `jobs.<job_id>.services.<service_id>.credentials`.
    JobServiceCredentials,
    /// `jobs.<job_id>.services.<service_id>.env.<env_id>`.
    JobServiceEnv,
    /// `jobs.<job_id>.strategy`.
    JobStrategy,
    /// `jobs.<job_id>.timeout-minutes`.
    JobTimeoutMinutes,
    /// `jobs.<job_id>.with.<with_id>`.
    JobWith,
    /// `jobs.<job_id>.steps.continue-on-error`.
    StepContinueOnError,
    /// `jobs.<job_id>.steps.env`.
    StepEnv,
    /// `jobs.<job_id>.steps.if`.
    StepIf,
    /// `jobs.<job_id>.steps.name`.
    StepName,
    /// `jobs.<job_id>.steps.run`.
    StepRun,
    /// `jobs.<job_id>.steps.timeout-minutes`.
    StepTimeoutMinutes,
    /// `jobs.<job_id>.steps.with`.
    StepWith,
    /// `jobs.<job_id>.steps.working-directory`.
    StepWorkingDirectory,
}

use Context as C;

const WORKFLOW: &[Context] = &[C::Github, C::Inputs, C::Vars];
const WORKFLOW_ENV: &[Context] = &[C::Github, C::Inputs, C::Secrets, C::Vars];
const CALL_OUTPUT: &[Context] = &[C::Github, C::Inputs, C::Jobs, C::Vars];
const JOB_PLAIN: &[Context] = &[C::Github, C::Inputs, C::Matrix, C::Needs, C::Strategy, C::Vars];
const JOB_IF: &[Context] = &[C::Github, C::Inputs, C::Needs, C::Vars];
const JOB_ENV: &[Context] =
    &[C::Github, C::Inputs, C::Matrix, C::Needs, C::Secrets, C::Strategy, C::Vars];
const CREDENTIALS: &[Context] =
    &[C::Env, C::Github, C::Inputs, C::Matrix, C::Needs, C::Secrets, C::Strategy, C::Vars];
const DEFAULTS_RUN: &[Context] =
    &[C::Env, C::Github, C::Inputs, C::Matrix, C::Needs, C::Strategy, C::Vars];
const CONTAINER_ENV: &[Context] = &[
    C::Env,
    C::Github,
    C::Inputs,
    C::Job,
    C::Matrix,
    C::Needs,
    C::Runner,
    C::Secrets,
    C::Strategy,
    C::Vars,
];
const ENVIRONMENT_URL: &[Context] = &[
    C::Env,
    C::Github,
    C::Inputs,
    C::Job,
    C::Matrix,
    C::Needs,
    C::Runner,
    C::Steps,
    C::Strategy,
    C::Vars,
];
const STEP_IF: &[Context] = ENVIRONMENT_URL;
const STEP: &[Context] = &[
    C::Env,
    C::Github,
    C::Inputs,
    C::Job,
    C::Matrix,
    C::Needs,
    C::Runner,
    C::Secrets,
    C::Steps,
    C::Strategy,
    C::Vars,
];

const STATUS_AND_HASH: &[&str] = &["always", "cancelled", "failure", "hashFiles", "success"];
const STATUS: &[&str] = &["always", "cancelled", "failure", "success"];
const HASH: &[&str] = &["hashFiles"];

impl Key {
    /// Every key, in the order of the availability table.
    pub const ALL: [Key; 34] = [
        Self::RunName,
        Self::Concurrency,
        Self::Env,
        Self::WorkflowCallInputDefault,
        Self::WorkflowCallOutputValue,
        Self::JobConcurrency,
        Self::JobContainer,
        Self::JobContainerCredentials,
        Self::JobContainerEnv,
        Self::JobContainerImage,
        Self::JobContinueOnError,
        Self::JobDefaultsRun,
        Self::JobEnv,
        Self::JobEnvironment,
        Self::JobEnvironmentUrl,
        Self::JobIf,
        Self::JobName,
        Self::JobOutputs,
        Self::JobRunsOn,
        Self::JobSecrets,
        Self::JobServices,
        Self::JobServiceCredentials,
        Self::JobServiceEnv,
        Self::JobStrategy,
        Self::JobTimeoutMinutes,
        Self::JobWith,
        Self::StepContinueOnError,
        Self::StepEnv,
        Self::StepIf,
        Self::StepName,
        Self::StepRun,
        Self::StepTimeoutMinutes,
        Self::StepWith,
        Self::StepWorkingDirectory,
    ];

    /// The YAML key, spelt as in actionlint's table.
    pub fn path(self) -> &'static str {
        match self {
            Self::RunName => "run-name",
            Self::Concurrency => "concurrency",
            Self::Env => "env",
            Self::WorkflowCallInputDefault => "on.workflow_call.inputs.<inputs_id>.default",
            Self::WorkflowCallOutputValue => "on.workflow_call.outputs.<output_id>.value",
            Self::JobConcurrency => "jobs.<job_id>.concurrency",
            Self::JobContainer => "jobs.<job_id>.container",
            Self::JobContainerCredentials => "jobs.<job_id>.container.credentials",
            Self::JobContainerEnv => "jobs.<job_id>.container.env.<env_id>",
            Self::JobContainerImage => "jobs.<job_id>.container.image",
            Self::JobContinueOnError => "jobs.<job_id>.continue-on-error",
            Self::JobDefaultsRun => "jobs.<job_id>.defaults.run",
            Self::JobEnv => "jobs.<job_id>.env",
            Self::JobEnvironment => "jobs.<job_id>.environment",
            Self::JobEnvironmentUrl => "jobs.<job_id>.environment.url",
            Self::JobIf => "jobs.<job_id>.if",
            Self::JobName => "jobs.<job_id>.name",
            Self::JobOutputs => "jobs.<job_id>.outputs.<output_id>",
            Self::JobRunsOn => "jobs.<job_id>.runs-on",
            Self::JobSecrets => "jobs.<job_id>.secrets.<secrets_id>",
            Self::JobServices => "jobs.<job_id>.services",
            Self::JobServiceCredentials => "jobs.<job_id>.services.<service_id>.credentials",
            Self::JobServiceEnv => "jobs.<job_id>.services.<service_id>.env.<env_id>",
            Self::JobStrategy => "jobs.<job_id>.strategy",
            Self::JobTimeoutMinutes => "jobs.<job_id>.timeout-minutes",
            Self::JobWith => "jobs.<job_id>.with.<with_id>",
            Self::StepContinueOnError => "jobs.<job_id>.steps.continue-on-error",
            Self::StepEnv => "jobs.<job_id>.steps.env",
            Self::StepIf => "jobs.<job_id>.steps.if",
            Self::StepName => "jobs.<job_id>.steps.name",
            Self::StepRun => "jobs.<job_id>.steps.run",
            Self::StepTimeoutMinutes => "jobs.<job_id>.steps.timeout-minutes",
            Self::StepWith => "jobs.<job_id>.steps.with",
            Self::StepWorkingDirectory => "jobs.<job_id>.steps.working-directory",
        }
    }

    /// The key whose [`path`](Self::path) is `path`.
    pub fn from_path(path: &str) -> Option<Key> {
        Self::ALL.into_iter().find(|k| k.path() == path)
    }

    /// The contexts an expression at this key may read.
    pub fn contexts(self) -> &'static [Context] {
        match self {
            Self::RunName | Self::Concurrency | Self::WorkflowCallInputDefault => WORKFLOW,
            Self::Env => WORKFLOW_ENV,
            Self::WorkflowCallOutputValue => CALL_OUTPUT,
            Self::JobConcurrency
            | Self::JobContainer
            | Self::JobContainerImage
            | Self::JobContinueOnError
            | Self::JobEnvironment
            | Self::JobName
            | Self::JobRunsOn
            | Self::JobServices
            | Self::JobTimeoutMinutes
            | Self::JobWith => JOB_PLAIN,
            Self::JobIf | Self::JobStrategy => JOB_IF,
            Self::JobEnv | Self::JobSecrets => JOB_ENV,
            Self::JobContainerCredentials | Self::JobServiceCredentials => CREDENTIALS,
            Self::JobDefaultsRun => DEFAULTS_RUN,
            Self::JobContainerEnv | Self::JobServiceEnv => CONTAINER_ENV,
            Self::JobEnvironmentUrl => ENVIRONMENT_URL,
            Self::StepIf => STEP_IF,
            Self::JobOutputs
            | Self::StepContinueOnError
            | Self::StepEnv
            | Self::StepName
            | Self::StepRun
            | Self::StepTimeoutMinutes
            | Self::StepWith
            | Self::StepWorkingDirectory => STEP,
        }
    }

    /// The restricted functions (status functions and `hashFiles`) an
    /// expression at this key may call, spelt as in
    /// [`FUNCTIONS`](super::functions::FUNCTIONS). Other functions are
    /// callable everywhere.
    pub fn functions(self) -> &'static [&'static str] {
        match self {
            Self::StepIf => STATUS_AND_HASH,
            Self::JobIf => STATUS,
            Self::StepContinueOnError
            | Self::StepEnv
            | Self::StepName
            | Self::StepRun
            | Self::StepTimeoutMinutes
            | Self::StepWith
            | Self::StepWorkingDirectory => HASH,
            _ => &[],
        }
    }

    /// Whether an expression at this key may read `context`.
    pub fn allows_context(self, context: Context) -> bool {
        self.contexts().contains(&context)
    }

    /// Whether an expression at this key may call the built-in `function`
    /// (any case): always for unrestricted ones, else when listed in
    /// [`functions`](Self::functions). Unknown names are not allowed.
    pub fn allows_function(self, function: &str) -> bool {
        use super::functions::{Restriction, lookup};
        match lookup(function) {
            None => false,
            Some(f) if f.restriction == Restriction::None => true,
            Some(f) => self.functions().contains(&f.name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// actionlint's `WorkflowKeyAvailability`, key by key: contexts, then
    /// special functions (lowercase).
    const ACTIONLINT: &[(&[&str], &str, &str)] = &[
        (
            &["jobs.<job_id>.outputs.<output_id>"],
            "env github inputs job matrix needs runner secrets steps strategy vars",
            "",
        ),
        (
            &[
                "jobs.<job_id>.steps.continue-on-error",
                "jobs.<job_id>.steps.env",
                "jobs.<job_id>.steps.name",
                "jobs.<job_id>.steps.run",
                "jobs.<job_id>.steps.timeout-minutes",
                "jobs.<job_id>.steps.with",
                "jobs.<job_id>.steps.working-directory",
            ],
            "env github inputs job matrix needs runner secrets steps strategy vars",
            "hashfiles",
        ),
        (
            &[
                "jobs.<job_id>.container.env.<env_id>",
                "jobs.<job_id>.services.<service_id>.env.<env_id>",
            ],
            "env github inputs job matrix needs runner secrets strategy vars",
            "",
        ),
        (
            &["jobs.<job_id>.environment.url"],
            "env github inputs job matrix needs runner steps strategy vars",
            "",
        ),
        (
            &["jobs.<job_id>.steps.if"],
            "env github inputs job matrix needs runner steps strategy vars",
            "always cancelled failure hashfiles success",
        ),
        (
            &[
                "jobs.<job_id>.container.credentials",
                "jobs.<job_id>.services.<service_id>.credentials",
            ],
            "env github inputs matrix needs secrets strategy vars",
            "",
        ),
        (&["jobs.<job_id>.defaults.run"], "env github inputs matrix needs strategy vars", ""),
        (&["on.workflow_call.outputs.<output_id>.value"], "github inputs jobs vars", ""),
        (
            &["jobs.<job_id>.env", "jobs.<job_id>.secrets.<secrets_id>"],
            "github inputs matrix needs secrets strategy vars",
            "",
        ),
        (
            &[
                "jobs.<job_id>.concurrency",
                "jobs.<job_id>.container",
                "jobs.<job_id>.container.image",
                "jobs.<job_id>.continue-on-error",
                "jobs.<job_id>.environment",
                "jobs.<job_id>.name",
                "jobs.<job_id>.runs-on",
                "jobs.<job_id>.services",
                "jobs.<job_id>.timeout-minutes",
                "jobs.<job_id>.with.<with_id>",
            ],
            "github inputs matrix needs strategy vars",
            "",
        ),
        (&["jobs.<job_id>.strategy"], "github inputs needs vars", ""),
        (&["jobs.<job_id>.if"], "github inputs needs vars", "always cancelled failure success"),
        (&["env"], "github inputs secrets vars", ""),
        (
            &["concurrency", "on.workflow_call.inputs.<inputs_id>.default", "run-name"],
            "github inputs vars",
            "",
        ),
    ];

    #[test]
    fn the_table_is_actionlints() {
        let mut seen = 0;
        for (paths, contexts, functions) in ACTIONLINT {
            for path in *paths {
                let key = Key::from_path(path).unwrap_or_else(|| panic!("{path}"));
                let mut ours: Vec<&str> = key.contexts().iter().map(|c| c.name()).collect();
                ours.sort_unstable();
                assert_eq!(ours.join(" "), *contexts, "{path}");
                let ours: Vec<String> = key.functions().iter().map(|f| f.to_lowercase()).collect();
                assert_eq!(ours.join(" "), *functions, "{path}");
                seen += 1;
            }
        }
        assert_eq!(seen, Key::ALL.len());
    }

    #[test]
    fn contexts_by_name() {
        assert_eq!(Context::lookup("GitHub"), Some(Context::Github));
        assert_eq!(Context::lookup("forgejo"), Some(Context::Github));
        assert_eq!(Context::lookup("Gitea"), Some(Context::Github));
        assert_eq!(Context::lookup("MATRIX"), Some(Context::Matrix));
        assert_eq!(Context::lookup("matrixx"), None);
        for c in Context::ALL {
            assert_eq!(Context::lookup(c.name()), Some(c));
        }
        assert_eq!(Context::help("secret"), "did you mean `secrets`?");
    }

    #[test]
    fn restricted_functions_by_key() {
        assert!(Key::StepIf.allows_function("Success"));
        assert!(Key::StepIf.allows_function("hashfiles"));
        assert!(Key::JobIf.allows_function("always"));
        assert!(!Key::JobIf.allows_function("hashFiles"));
        assert!(Key::StepRun.allows_function("hashFiles"));
        assert!(!Key::StepRun.allows_function("failure"));
        assert!(!Key::JobRunsOn.allows_function("cancelled"));
        assert!(Key::RunName.allows_function("format"));
        assert!(!Key::RunName.allows_function("nope"));
        assert!(Key::StepRun.allows_context(Context::Secrets));
        assert!(!Key::StepIf.allows_context(Context::Secrets));
        assert!(!Key::JobIf.allows_context(Context::Matrix));
    }

    #[test]
    fn paths_are_unique() {
        for key in Key::ALL {
            assert_eq!(Key::from_path(key.path()), Some(key));
        }
    }
}
