//! `uses` references: actions a step runs and the plumbing actions a spec
//! overrides must name a version; a step may not name a workflow file.

use super::Checker;
use super::injection;
use crate::error::SpecError;
use crate::model::Call;
use crate::model::Scalar;
use crate::parse::spec::{Properties, Spanned};

/// Checks the action a `uses` step names, and the code inputs of actions
/// that run their `script` input.
pub fn step(cx: &mut Checker<'_>, action: &Spanned<String>, with: &Properties<Scalar>) {
    if Call::is_workflow_reference(&action.value) {
        cx.error(SpecError::StepCallsWorkflow { uses: action.value.clone(), span: action.span });
        return;
    }
    reference(cx, action);
    if runs_script(&action.value) {
        for property in with {
            if property.key.value == "script"
                && let Scalar::String(script) = &property.value.value
            {
                let script = Spanned::new(script.clone(), property.value.span);
                injection::check(cx, &script, "with.script");
            }
        }
    }
}

/// Whether an action runs its `script` input as code.
fn runs_script(action: &str) -> bool {
    let name = action.split('@').next().unwrap_or(action);
    name.ends_with("/github-script") || name == "actions/github-script"
}

/// An action reference names a version: `OWNER/REPO@REF`, a URL with `@REF`,
/// a local `./path` or a `docker://` image.
pub fn reference(cx: &mut Checker<'_>, reference: &Spanned<String>) {
    let value = reference.value.as_str();
    if value.starts_with("./") || value.starts_with("$/") || value.starts_with("docker://") {
        return;
    }
    let problem = match value.rsplit_once('@') {
        // Forgejo runs the default branch; the lint warns about it.
        None if cx.unversioned && value.contains('/') && !value.contains(char::is_whitespace) => {
            return;
        }
        None => "it names no version",
        Some((repo, _)) if repo.is_empty() || !repo.contains('/') => "it is not `OWNER/REPO@REF`",
        Some((_, version)) if version.is_empty() || version.contains(char::is_whitespace) => {
            "its version is empty or has spaces"
        }
        Some(_) => return,
    };
    cx.error(SpecError::InvalidValue {
        what: "uses".to_owned(),
        problem: format!("`{value}`: {problem}"),
        span: reference.span,
        help: Some(
            "write `OWNER/REPO@REF` (a tag like `@v4`, or a full commit SHA), a URL ending in `@REF`, `./path`, `$/path` or `docker://image`"
                .to_owned(),
        ),
    });
}
