//! The Actions dialects, Forgejo and GitHub: the plan lowered to jobs of
//! steps, with cigen's plumbing (checkout, artifact upload and download)
//! made of actions, and each platform's action references, default runner
//! and default token permissions.

mod check;
pub mod context;
mod lower;
pub mod versions;

pub use check::{check, check_github};
pub use lower::lower;

use super::capability::Construct;

/// The keys cigen writes in an Actions workflow, job and step.
pub const RAW_KEYS: super::RawKeys = super::RawKeys {
    workflow: &[
        "name",
        "run-name",
        "enable-email-notifications",
        "on",
        "permissions",
        "env",
        "defaults",
        "concurrency",
        "jobs",
    ],
    job: &[
        "name",
        "needs",
        "if",
        "runs-on",
        "permissions",
        "environment",
        "concurrency",
        "outputs",
        "env",
        "defaults",
        "timeout-minutes",
        "strategy",
        "continue-on-error",
        "container",
        "services",
        "uses",
        "with",
        "secrets",
        "steps",
    ],
    step: Some(&[
        "id",
        "if",
        "name",
        "uses",
        "run",
        "with",
        "env",
        "shell",
        "working-directory",
        "continue-on-error",
        "timeout-minutes",
    ]),
};

/// What Forgejo Actions cannot express: GitHub's own keys.
pub const FORGEJO_UNSUPPORTED: &[(Construct, &str)] = &[(
    Construct::RunnerGroup,
    "Forgejo picks runners by label only; list the labels of the runners to use",
)];

/// What GitHub Actions cannot express: Forgejo's own keys.
pub const GITHUB_UNSUPPORTED: &[(Construct, &str)] = &[
    (
        Construct::ServiceCmd,
        "GitHub starts a service with its image's own command; use an image that runs this command, or target Forgejo",
    ),
    (
        Construct::EmailNotifications,
        "GitHub mails failed runs by each user's notification settings; remove `enable-email-notifications`",
    ),
];

/// An action reference and, for a pinned SHA, the version it stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ActionRef {
    /// What goes after `uses:`.
    pub reference: &'static str,
    /// A trailing `# vX.Y.Z` comment, when the reference is a commit SHA.
    pub version: Option<&'static str>,
}

/// What differs between the Actions platforms.
#[derive(Clone, Copy, Debug)]
pub struct Platform {
    /// The runner label jobs get when neither they nor the workflow set one.
    pub default_runner: &'static str,
    /// The checkout action.
    pub checkout: ActionRef,
    /// The artifact upload action.
    pub upload_artifact: ActionRef,
    /// The artifact download action.
    pub download_artifact: ActionRef,
    /// Whether a workflow without `permissions` gets `contents: read`.
    pub least_privilege: bool,
}

/// Forgejo Actions.
pub const FORGEJO: Platform = Platform {
    default_runner: "docker",
    checkout: ActionRef {
        reference: "https://code.forgejo.org/actions/checkout@v4",
        version: None,
    },
    upload_artifact: ActionRef {
        reference: "https://code.forgejo.org/forgejo/upload-artifact@v4",
        version: None,
    },
    download_artifact: ActionRef {
        reference: "https://code.forgejo.org/forgejo/download-artifact@v4",
        version: None,
    },
    least_privilege: false,
};

/// GitHub Actions.
pub const GITHUB: Platform = Platform {
    default_runner: "ubuntu-latest",
    checkout: ActionRef {
        reference: "actions/checkout@d23441a48e516b6c34aea4fa41551a30e30af803",
        version: Some("v6.1.0"),
    },
    upload_artifact: ActionRef {
        reference: "actions/upload-artifact@bbbca2ddaa5d8feaa63e36b76fdaad77386f024f",
        version: Some("v7.0.0"),
    },
    download_artifact: ActionRef {
        reference: "actions/download-artifact@3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c",
        version: Some("v8.0.1"),
    },
    least_privilege: true,
};
