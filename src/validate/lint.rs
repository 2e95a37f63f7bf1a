//! What is risky rather than wrong: warnings, each silenced where it is
//! taken on on purpose by `allow "NAME"` in the workflow or the job (see
//! [`crate::warning`]), and the one mistake of the same family, a job that
//! would be written with nothing in it.
//!
//! - `unpinned-action`: on the GitHub target, a step's action, a called
//!   workflow of another repository, or a plumbing override named by a tag
//!   or branch instead of a full commit SHA (a `docker://` image without a
//!   `@sha256:` digest). Whoever can move the tag can change the code the
//!   job runs, with its token and secrets; zizmor's `unpinned-uses` asks
//!   the same of every action, `actions/*` and `github/*` included.
//!   Local actions and workflows (`./`, `$/`) are this repository's code.
//! - `ignored-by-forgejo`: `permissions` (workflow or job; not `"default"`,
//!   which writes none) and a job's
//!   `continue-on-error` on the Forgejo target, which accepts and ignores
//!   them (Forgejo's "known differences" from GitHub).
//! - `job-without-steps`: on an Actions target, a job with no `run` or
//!   `uses` step: it only checks out or moves artifacts. With nothing at
//!   all to write (no checkout, no artifact; on GitLab, no script) the
//!   file would not run: that is an error, [`SpecError::EmptyJob`].
//!
//! With a lock file (`cigen pin`), every git reference is written as a
//! commit, so only `docker://` images can be unpinned.
//!
//! Reads the spec as parsed, before validation takes it apart; names the
//! spec does not resolve (an unknown target) are left to validation.

use crate::error::SpecError;
use crate::model::Permissions;
use crate::parse::spec::{JobSpec, Spanned, Spec, StepKind, WorkflowSpec};
use crate::target::{Lowering, Target};
use crate::warning::{Allowed, Warning};

/// Whether the action references of a spec are written as they are, or
/// as the commits of a lock file (`cigen pin`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum References {
    /// No lock: a reference is written as the spec says.
    AsWritten,
    /// Every git reference is written as the commit the lock holds (a
    /// reference the lock lacks is an error); `docker://` images are not.
    Locked,
}

/// Every warning of `spec`, and the empty jobs, in the order of the file.
pub fn lint(spec: &Spec, references: References) -> Vec<SpecError> {
    let mut found = Vec::new();
    let mut github_unallowed = false;
    for workflow in &spec.workflows {
        let target = match &workflow.target {
            None => Target::DEFAULT,
            Some(name) => match Target::from_name(&name.value) {
                Some(target) => target,
                None => continue,
            },
        };
        if target == Target::Github && !workflow.allow.contains(Warning::UnpinnedAction) {
            github_unallowed = true;
        }
        lint_workflow(&mut found, target, workflow, references);
    }
    // The plumbing overrides apply to every workflow: they are risky when
    // a GitHub workflow does not take the risk on.
    if let Some(actions) = &spec.actions
        && github_unallowed
    {
        for reference in [&actions.checkout, &actions.upload_artifact, &actions.download_artifact]
            .into_iter()
            .flatten()
        {
            found.extend(unpinned_action(reference, references, "in every GitHub workflow"));
        }
    }
    found.sort_by_key(|e| {
        miette::Diagnostic::labels(e).and_then(|mut l| l.next()).map_or(0, |l| l.offset())
    });
    found
}

fn lint_workflow(
    found: &mut Vec<SpecError>,
    target: Target,
    workflow: &WorkflowSpec,
    references: References,
) {
    let actions = matches!(target.row().lowering, Lowering::Actions(_));
    if target == Target::Forgejo
        && let Some(permissions) = written(workflow.permissions.as_ref())
        && !workflow.allow.contains(Warning::IgnoredByForgejo)
    {
        found.push(ignored_permissions(permissions.span));
    }
    for job in &workflow.jobs {
        let allowed = job.allow.union(workflow.allow);
        if target == Target::Github && !allowed.contains(Warning::UnpinnedAction) {
            unpinned_uses(found, job, references);
        }
        if target == Target::Forgejo && !allowed.contains(Warning::UnversionedAction) {
            for step in job.steps.iter().filter(|s| s.kind.value == StepKind::Uses) {
                let value = &step.main.value;
                if !value.contains('@')
                    && !value.starts_with("./")
                    && !value.starts_with("$/")
                    && !value.starts_with("docker://")
                {
                    found.push(SpecError::UnversionedAction {
                        reference: value.clone(),
                        span: step.main.span,
                    });
                }
            }
        }
        if target == Target::Forgejo && !allowed.contains(Warning::IgnoredByForgejo) {
            if let Some(permissions) = written(job.permissions.as_deref()) {
                found.push(ignored_permissions(permissions.span));
            }
            if let Some(flag) = &job.continue_on_error {
                found.push(SpecError::IgnoredByForgejo {
                    what: "a job's `continue-on-error`",
                    span: flag.span,
                    help: "a failing job fails the run on Forgejo whatever it says; give the steps that may fail `continue-on-error=#true` instead, or keep it for GitHub with `allow \"ignored-by-forgejo\"`".to_owned(),
                });
            }
        }
        if job.call.is_none() && job.steps.is_empty() {
            empty(found, target, actions, workflow, job, allowed);
        }
    }
}

/// `permissions`, unless it is `"default"`, which writes no key.
fn written(permissions: Option<&Spanned<Permissions>>) -> Option<&Spanned<Permissions>> {
    permissions.filter(|p| p.value != Permissions::Default)
}

fn ignored_permissions(span: miette::SourceSpan) -> SpecError {
    SpecError::IgnoredByForgejo {
        what: "`permissions`",
        span,
        help: "Forgejo gives a job's token the permissions its own settings say; remove `permissions`, or keep it on purpose (say, for GitHub's linters) with `allow \"ignored-by-forgejo\"`".to_owned(),
    }
}

/// The `uses` of a job's steps and of its call, when not pinned.
fn unpinned_uses(found: &mut Vec<SpecError>, job: &JobSpec, references: References) {
    let steps = job.steps.iter().filter(|s| s.kind.value == StepKind::Uses).map(|s| &s.main);
    let call = job.call.iter().map(|c| &c.value.uses);
    for reference in steps.chain(call) {
        found.extend(unpinned_action(reference, references, "in the job or the workflow"));
    }
}

/// The warning for `reference` when it is not pinned; `allow` says where
/// an `allow "unpinned-action"` would silence it.
fn unpinned_action(
    reference: &Spanned<String>,
    references: References,
    allow: &str,
) -> Option<SpecError> {
    let pin = unpinned_as(&reference.value, references)?;
    Some(SpecError::UnpinnedAction {
        reference: reference.value.clone(),
        pin,
        span: reference.span,
        moved: moved(pin),
        help: format!(
            "{}; or, to take the risk on, `allow \"unpinned-action\"` {allow}",
            pin_help(pin)
        ),
    })
}

/// What `reference` should be pinned to, when it is not written pinned: a
/// lock pins every git reference, not `docker://` images.
fn unpinned_as(reference: &str, references: References) -> Option<&'static str> {
    match references {
        References::Locked if !reference.starts_with("docker://") => None,
        _ => unpinned(reference),
    }
}

/// What `reference` should be pinned to, when it is not: `None` for a
/// pinned or local reference.
pub fn unpinned(reference: &str) -> Option<&'static str> {
    if reference.starts_with("./") || reference.starts_with("$/") {
        return None;
    }
    if let Some(image) = reference.strip_prefix("docker://") {
        let pinned = image
            .rsplit_once("@sha256:")
            .is_some_and(|(_, digest)| digest.len() == 64 && is_hex(digest));
        return (!pinned).then_some("digest");
    }
    let pinned = reference.rsplit_once('@').is_some_and(|(_, version)| {
        (version.len() == 40 || version.len() == 64) && is_hex(version)
    });
    (!pinned).then_some("commit")
}

fn is_hex(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_hexdigit())
}

fn pin_help(pin: &str) -> &'static str {
    if pin == "digest" {
        "pin the image by digest: `docker://IMAGE@sha256:<64 hex digits>`"
    } else {
        "pin the full commit SHA of the version you trust, `OWNER/REPO@<40 hex digits>`, and keep the version in a comment (`// v4`)"
    }
}

/// Why a reference that is not pinned is a risk.
fn moved(pin: &str) -> &'static str {
    if pin == "digest" {
        "a tag can be moved to another image"
    } else {
        "a tag or branch can be moved to other code"
    }
}

/// A job without `run` or `uses` steps: a warning when cigen's plumbing
/// still gives it steps, an error when it would have nothing at all.
fn empty(
    found: &mut Vec<SpecError>,
    target: Target,
    actions: bool,
    workflow: &WorkflowSpec,
    job: &JobSpec,
    allowed: Allowed,
) {
    let id = &job.id.value;
    let produces = workflow.artifacts.iter().any(|a| &a.from.value == id);
    let consumes = workflow.artifacts.iter().any(|a| a.to.iter().any(|t| &t.value == id));
    let checks_out = !matches!(
        job.checkout.as_deref().map(|c| &c.value),
        Some(crate::parse::spec::CheckoutSpec::Disabled)
    );
    if !actions {
        found.push(SpecError::EmptyJob {
            job: id.clone(),
            span: job.id.span,
            problem: "no `run` step: no script",
            help: format!(
                "{} runs a job's `script`, which needs at least one line: add a `run` step, or remove the job",
                target.row().title
            ),
        });
        return;
    }
    if !(checks_out || produces || consumes) {
        found.push(SpecError::EmptyJob {
            job: id.clone(),
            span: job.id.span,
            problem: "no step, no checkout, no artifact",
            help: "a job needs at least one step: add a `run` or `uses` step, or remove the job"
                .to_owned(),
        });
        return;
    }
    if allowed.contains(Warning::JobWithoutSteps) {
        return;
    }
    let artifacts = match (consumes, produces) {
        (true, true) => Some("downloads and uploads artifacts"),
        (true, false) => Some("downloads artifacts"),
        (false, true) => Some("uploads artifacts"),
        (false, false) => None,
    };
    let does = match (checks_out, artifacts) {
        (true, Some(artifacts)) => format!("it only checks out the repository and {artifacts}"),
        (true, None) => "it only checks out the repository".to_owned(),
        (false, Some(artifacts)) => format!("it only {artifacts}"),
        (false, None) => String::new(),
    };
    found.push(SpecError::JobWithoutSteps {
        job: id.clone(),
        span: job.id.span,
        does,
        help: "add a step, or remove the job; to keep it, `allow \"job-without-steps\"` in the job"
            .to_owned(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinned_references() {
        let sha = "0123456789abcdef0123456789abcdef01234567";
        assert_eq!(unpinned(&format!("actions/checkout@{sha}")), None);
        assert_eq!(unpinned(&format!("o/r/.github/workflows/x.yml@{sha}")), None);
        assert_eq!(unpinned("./local"), None);
        assert_eq!(unpinned("$/.github/workflows/x.yml"), None);
        assert_eq!(unpinned("actions/checkout@v4"), Some("commit"));
        assert_eq!(unpinned("actions/checkout@0123456"), Some("commit"));
        assert_eq!(unpinned("https://code.forgejo.org/actions/checkout@v4"), Some("commit"));
        assert_eq!(unpinned("docker://alpine:3"), Some("digest"));
        let digest = "a".repeat(64);
        assert_eq!(unpinned(&format!("docker://alpine@sha256:{digest}")), None);
        assert_eq!(unpinned(&format!("docker://alpine:3@sha256:{digest}")), None);
    }
}
