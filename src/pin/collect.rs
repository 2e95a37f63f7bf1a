//! The references a spec makes its workflows use, where each is written:
//! the user's `uses` steps, jobs that call a workflow of another
//! repository, the `actions` overrides, and cigen's own plumbing (checkout,
//! artifact upload and download) on every Actions workflow that has such
//! steps. These are exactly the references the output holds, so the lock
//! holds exactly these.

use miette::SourceSpan;

use super::lock::Entry;
use super::reference::Remote;
use super::version::Version;
use crate::parse::spec::{CheckoutSpec, Spanned, Spec, StepKind, WorkflowSpec};
use crate::target::actions::ActionRef;
use crate::target::{Lowering, Target};

/// One reference, at the first place the spec makes it used.
#[derive(Clone, Debug)]
pub struct Reference {
    /// The reference as the lock keys it (and the spec writes it).
    pub text: String,
    /// Its repository and ref.
    pub remote: Remote,
    /// Where it comes from in the spec.
    pub span: SourceSpan,
    /// What uses it there.
    pub role: Role,
    /// The commit cigen itself pins it to, for cigen's SHA-pinned plumbing.
    pub builtin: Option<Entry>,
}

/// What makes a reference used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Role {
    /// A `uses` step.
    Step,
    /// A job's call of a reusable workflow.
    Call,
    /// An `actions` override of a plumbing action.
    Override(&'static str),
    /// cigen's plumbing action, on a workflow of an Actions target.
    Plumbing {
        /// `checkout`, `upload-artifact` or `download-artifact`.
        action: &'static str,
        /// The workflow whose steps use it.
        workflow: String,
    },
}

impl Reference {
    /// The label of a diagnostic about this reference.
    pub fn label(&self) -> String {
        match &self.role {
            Role::Step => "this step's action".to_owned(),
            Role::Call => "the workflow this job calls".to_owned(),
            Role::Override(action) => format!("the `{action}` action"),
            Role::Plumbing { action, workflow } => {
                format!("cigen's {action} steps in `{workflow}` use `{}`", self.text)
            }
        }
    }
}

/// The reference the lock keys a plumbing action by, and for a reference
/// cigen already pins to a commit, that commit and its tag:
/// `actions/checkout@SHA # v6.1.0` is keyed `actions/checkout@v6`.
pub fn plumbing(action: ActionRef) -> (String, Option<Entry>) {
    let (Some(version), Some((name, commit))) = (action.version, action.reference.rsplit_once('@'))
    else {
        return (action.reference.to_owned(), None);
    };
    let line = Version::parse(version).map_or_else(
        || version.to_owned(),
        |v| format!("{}{}", if v.prefixed { "v" } else { "" }, v.major()),
    );
    let entry = Entry { commit: commit.to_owned(), tag: Some(version.to_owned()), branch: None };
    (format!("{name}@{line}"), Some(entry))
}

/// Every reference of `spec` that names a repository, once each, in the
/// order of the file.
pub fn references(spec: &Spec) -> Vec<Reference> {
    let mut found: Vec<Reference> = Vec::new();
    let mut add = |text: &str, span: SourceSpan, role: Role, builtin: Option<Entry>| {
        if let Some(remote) = Remote::parse(text) {
            found.push(Reference { text: text.to_owned(), remote, span, role, builtin });
        }
    };
    for workflow in &spec.workflows {
        for job in &workflow.jobs {
            if let Some(call) = &job.call {
                add(&call.value.uses.value, call.value.uses.span, Role::Call, None);
            }
            for step in job.steps.iter().filter(|s| s.kind.value == StepKind::Uses) {
                add(&step.main.value, step.main.span, Role::Step, None);
            }
        }
        for (action, used, custom) in plumbing_of(spec, workflow) {
            if !used {
                continue;
            }
            match custom {
                Some(custom) => {
                    add(&custom.value, custom.span, Role::Override(action.0), None);
                }
                None => {
                    let (key, builtin) = plumbing(action.1);
                    let span = workflow.target.as_ref().map_or(workflow.id.span, |t| t.span);
                    let role =
                        Role::Plumbing { action: action.0, workflow: workflow.id.value.clone() };
                    add(&key, span, role, builtin);
                }
            }
        }
    }
    found.sort_by_key(|r| r.span.offset());
    let mut distinct: Vec<Reference> = Vec::new();
    for reference in found {
        match distinct.iter_mut().find(|d| d.text == reference.text) {
            Some(first) => {
                if first.builtin.is_none() {
                    first.builtin = reference.builtin;
                }
            }
            None => distinct.push(reference),
        }
    }
    distinct
}

/// A plumbing action: its name in `actions`, and its default.
type Plumbing = (&'static str, ActionRef);

/// Each plumbing action of `workflow`: whether its steps exist, and the
/// spec's override.
fn plumbing_of<'s>(
    spec: &'s Spec,
    workflow: &WorkflowSpec,
) -> Vec<(Plumbing, bool, Option<&'s Spanned<String>>)> {
    let target =
        workflow.target.as_ref().map_or(Some(Target::DEFAULT), |t| Target::from_name(&t.value));
    let Some(Lowering::Actions(platform)) = target.map(|t| t.row().lowering) else {
        return Vec::new();
    };
    let checkout = workflow.jobs.iter().any(|job| {
        job.call.is_none()
            && !matches!(job.checkout.as_deref().map(|c| &c.value), Some(CheckoutSpec::Disabled))
    });
    let artifacts = !workflow.artifacts.is_empty();
    let overrides = spec.actions.as_ref();
    vec![
        (("checkout", platform.checkout), checkout, overrides.and_then(|a| a.checkout.as_ref())),
        (
            ("upload-artifact", platform.upload_artifact),
            artifacts,
            overrides.and_then(|a| a.upload_artifact.as_ref()),
        ),
        (
            ("download-artifact", platform.download_artifact),
            artifacts,
            overrides.and_then(|a| a.download_artifact.as_ref()),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Source;

    fn texts(spec: &str) -> Vec<String> {
        let (spec, errors) = crate::parse::parse(&Source::new("pipeline.kdl", spec));
        assert!(errors.is_empty(), "{errors:?}");
        references(&spec.expect("a spec")).into_iter().map(|r| r.text).collect()
    }

    #[test]
    fn the_plumbing_of_each_actions_target_in_use() {
        let found = texts(
            r#"
            workflow "ci" {
                on { push }
                job "a" { uses "actions/cache@v4"; uses "./local"; uses "docker://alpine:3"; }
                job "b" { checkout #false; uses "actions/cache@v4"; }
                job "c" { uses "octo/shared/.forgejo/workflows/x.yml@v1"; }
                artifact "x" path="x" from="a" to="b"
            }
            workflow "gh" {
                target "github"
                on { push }
                job "a" { checkout #false; run "x"; }
            }
            workflow "gl" {
                target "gitlab"
                on { push }
                job "a" { run "x"; }
            }
            "#,
        );
        assert_eq!(
            found,
            [
                "https://code.forgejo.org/actions/checkout@v4",
                "https://code.forgejo.org/forgejo/upload-artifact@v4",
                "https://code.forgejo.org/forgejo/download-artifact@v4",
                "actions/cache@v4",
                "octo/shared/.forgejo/workflows/x.yml@v1",
            ]
        );
    }

    #[test]
    fn overrides_replace_the_plumbing_they_name() {
        let found = texts(
            r#"
            actions { checkout "https://code.forgejo.org/actions/checkout@v5"; upload-artifact "./up"; }
            workflow "ci" { target "github"; on { push }; job "a" { run "x"; } }
            "#,
        );
        assert_eq!(found, ["https://code.forgejo.org/actions/checkout@v5"]);
    }

    #[test]
    fn cigens_pinned_plumbing_is_keyed_by_its_major_version() {
        let (key, builtin) = plumbing(crate::target::actions::GITHUB.checkout);
        let builtin = builtin.expect("GitHub's checkout is pinned");
        assert_eq!(key, "actions/checkout@v6");
        assert_eq!(builtin.tag.as_deref(), Some("v6.1.0"));
        assert_eq!(
            plumbing(crate::target::actions::FORGEJO.checkout).0,
            "https://code.forgejo.org/actions/checkout@v4"
        );
    }
}
