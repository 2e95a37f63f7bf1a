//! GitLab CI: one pipeline file, `.gitlab-ci.yml`, whose jobs run scripts
//! (GitLab runs no actions), pass files as job artifacts and wait for each
//! other through `needs`. `docs/gitlab.md` maps every construct of the
//! language to its GitLab form or says why it has none.

pub mod check;
pub mod context;
mod expr;
mod lower;
mod rules;

pub use lower::lower;

/// Whether GitLab has a form for every `${{ }}` template of `text`, read
/// as a script or a variable's value (the expression checks look no
/// further into a text this target refuses).
pub fn translates(text: &str) -> bool {
    expr::translate(text, expr::Place::Script).is_ok()
}

/// Whether GitLab has a form for the job condition `text`.
pub fn has_condition(text: &str) -> bool {
    rules::job_condition(text).is_ok()
}

use crate::target::capability::Construct;

/// Job ids GitLab reads as keywords of the pipeline file.
pub const RESERVED: &[&str] = &[
    "image",
    "services",
    "stages",
    "types",
    "before_script",
    "after_script",
    "variables",
    "cache",
    "include",
    "default",
    "workflow",
    "spec",
    "pages:deploy",
    "true",
    "false",
    "nil",
];

/// The keys cigen writes in a GitLab pipeline and job; a GitLab job has no
/// steps to put keys in.
pub const RAW_KEYS: super::RawKeys = super::RawKeys {
    workflow: &["workflow", "stages", "variables"],
    job: &[
        "stage",
        "needs",
        "image",
        "services",
        "variables",
        "script",
        "rules",
        "when",
        "artifacts",
        "parallel",
        "timeout",
        "environment",
        "resource_group",
        "interruptible",
        "allow_failure",
        "tags",
    ],
    step: None,
};

/// What GitLab CI cannot express, with the help line of each refusal.
pub const UNSUPPORTED: &[(Construct, &str)] = &[
    (
        Construct::Permissions,
        "the job token's scopes are project settings on GitLab; remove `permissions`",
    ),
    (
        Construct::Shell,
        "the GitLab runner chooses the shell (bash where it exists, else sh); remove `shell`",
    ),
    (Construct::JobName, "GitLab shows a job by its id; rename the job instead"),
    (
        Construct::JobOutputs,
        "GitLab jobs pass values as files: write them to a file and pass it with an `artifact`",
    ),
    (
        Construct::WorkflowCall,
        "put the called workflow's jobs in this workflow, or keep this workflow on an Actions target",
    ),
    (
        Construct::CalledWorkflow,
        "a GitLab pipeline is not called by other pipelines; keep this workflow on an Actions target",
    ),
    (
        Construct::ContainerOptions,
        "container options are runner settings on GitLab; remove `options`",
    ),
    (Construct::ContainerVolumes, "volumes are runner settings on GitLab; remove `volumes`"),
    (
        Construct::ServicePorts,
        "a GitLab job reaches a service by its name, on the service's own ports; remove `ports`",
    ),
    (Construct::ServiceVolumes, "volumes are runner settings on GitLab; remove `volumes`"),
    (
        Construct::ServiceOptions,
        "GitLab waits for a service's ports instead of a health check; remove `options`",
    ),
    (Construct::MaxParallel, "GitLab runs every leg of a matrix at once; remove `max-parallel`"),
    (
        Construct::Action,
        "GitLab runs no actions: run the tool in a `run` step, with `container \"IMAGE\"` for a toolchain (e.g. `container \"python:3.12\"` instead of setup-python)",
    ),
    (Construct::StepName, "GitLab has no named steps; a `#` comment in the script says the same"),
    (
        Construct::StepId,
        "GitLab has no step ids (they name step outputs, which GitLab does not have)",
    ),
    (
        Construct::StepIf,
        "GitLab decides per job, not per step: give the step a job of its own with `if`",
    ),
    (
        Construct::StepWorkingDirectory,
        "write `cd DIR` in the script, or set `defaults { run working-directory=\"DIR\" }` on the job",
    ),
    (
        Construct::StepContinueOnError,
        "end the script with `|| true`, or give the step a job of its own with `continue-on-error #true`",
    ),
    (Construct::StepTimeout, "GitLab times jobs, not steps: give the job `timeout-minutes`"),
    (Construct::StepEnv, "GitLab has no step variables: move them to the job's `env`"),
    (
        Construct::ArtifactInto,
        "GitLab puts an artifact's files where the producer had them; remove `into`",
    ),
    (
        Construct::ArtifactCompression,
        "the GitLab runner compresses artifacts at the level its administrator sets; remove `compression-level`",
    ),
    (
        Construct::RunName,
        "a GitLab pipeline has one name, `workflow: name`; give the workflow a `name`",
    ),
    (
        Construct::LateCheckout,
        "GitLab's runner fetches the repository before the script starts; put `checkout` before the steps",
    ),
    (
        Construct::Credentials,
        "GitLab logs in to registries with the `DOCKER_AUTH_CONFIG` variable, a project setting; remove `credentials`",
    ),
    (
        Construct::EmailNotifications,
        "GitLab mails failed pipelines by the user's notification settings; remove `enable-email-notifications`",
    ),
    (
        Construct::RawStep,
        "a GitLab job runs one script, not steps with keys; put the key in the job's `raw`",
    ),
    (
        Construct::RunnerGroup,
        "GitLab picks runners by `tags`; give the group's runners a tag and list it as a label",
    ),
    (
        Construct::PathsIgnore,
        "GitLab's `changes` cannot say \"only these files changed\"; list the paths that matter with `paths`",
    ),
];
