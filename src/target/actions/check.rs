//! What the Actions targets check of a workflow's values: the names of the
//! artifacts a matrix job uploads, one per leg, and what the v3 artifact
//! actions cannot do.

use std::collections::HashMap;

use miette::SourceSpan;

use super::versions::Generation;
use crate::error::SpecError;
use crate::model::{ArtifactName, InvalidName, Legs};
use crate::parse::spec::{AxisSpec, MatrixSpec, WorkflowSpec};
use crate::validate::Checker;

/// [`check`], and GitHub's own rule: a workflow of this repository that a
/// job calls lives in `.github/workflows/`.
pub fn check_github(cx: &mut Checker<'_>, workflow: &WorkflowSpec) {
    check(cx, workflow);
    for job in &workflow.jobs {
        let Some(call) = &job.call else { continue };
        let uses = &call.value.uses;
        if uses.value.starts_with("./") && !uses.value.starts_with("./.github/workflows/") {
            cx.error(SpecError::InvalidValue {
                what: "uses".to_owned(),
                problem: "GitHub calls only workflows kept in `.github/workflows/`".to_owned(),
                span: uses.span,
                help: Some(format!(
                    "move the workflow there and write `./.github/workflows/{}`",
                    uses.value.rsplit('/').next().unwrap_or_default()
                )),
            });
        }
    }
}

/// Artifacts of matrix jobs are uploaded once per leg as `NAME-…` and
/// downloaded with the pattern `NAME-*`: no other artifact may match it, and
/// every axis value must be allowed in an artifact name. With the v3
/// actions, legs share one artifact unless consumers pair with them.
pub fn check(cx: &mut Checker<'_>, workflow: &WorkflowSpec) {
    let v3 = cx.artifact_actions() == Generation::V3;
    if v3 {
        old_actions(cx, workflow);
    }
    let matrices: HashMap<&str, &MatrixSpec> = workflow
        .jobs
        .iter()
        .filter_map(|j| {
            let matrix = j.strategy.as_ref()?.value.matrix.as_ref()?;
            Some((j.id.value.as_str(), &matrix.value))
        })
        .collect();
    if matrices.is_empty() {
        return;
    }
    // Names in order, so each pattern finds the names it matches by range.
    let mut names: Vec<(&str, SourceSpan)> =
        workflow.artifacts.iter().map(|a| (a.name.value.as_str(), a.name.span)).collect();
    names.sort_unstable_by_key(|(name, _)| *name);
    for artifact in &workflow.artifacts {
        let Some(matrix) = matrices.get(artifact.from.value.as_str()) else { continue };
        let paired = artifact.legs.as_ref().is_some_and(|l| l.value == Legs::Paired);
        if v3 && !paired {
            continue; // the legs share the artifact's own name
        }
        let prefix = format!("{}-", artifact.name.value);
        let start = names.partition_point(|(name, _)| *name < prefix.as_str());
        // Only a download by the pattern `NAME-*` could take another artifact.
        let matching = names[start..].iter().take_while(|(n, _)| n.starts_with(&prefix));
        let by_pattern = !artifact.to.is_empty() && !paired;
        for &(other, span) in matching.filter(|_| by_pattern) {
            cx.error(SpecError::PatternOverlap {
                artifact: artifact.name.value.clone(),
                other: other.to_owned(),
                span,
            });
        }
        // Only a matrix whose legs are all named by scalar values gives
        // them its values' names; the others number them (as lowering does).
        if !crate::validate::legs::matrix(matrix).names_legs() {
            continue;
        }
        let is_axis = |key: &str| matrix.axes.iter().any(|(axis, _)| axis.value == key);
        let included = matrix.include.iter().flat_map(|entry| {
            entry
                .iter()
                .filter(|p| is_axis(&p.key.value))
                .map(|p| (p.key.value.as_str(), &p.value.value))
        });
        let axes = matrix.axes.iter().flat_map(|(axis, values)| {
            let values = match values {
                AxisSpec::Values(values) => values.as_slice(),
                AxisSpec::Expression(_) => &[],
            };
            values.iter().map(move |v| (axis.value.as_str(), &v.value))
        });
        for (axis, value) in axes.chain(included) {
            let Some(value) = value.as_scalar() else { continue };
            let text = value.to_string();
            if crate::expr::template::has_template(&text) {
                continue;
            }
            let name = format!("{prefix}{text}");
            if let Err(InvalidName { reason, rule }) = ArtifactName::new(&name) {
                cx.error(SpecError::InvalidName {
                    kind: "artifact name",
                    name,
                    reason: format!(
                        "{reason} (from `{axis}` of the matrix of `{}`)",
                        artifact.from.value
                    ),
                    span: artifact.name.span,
                    help: format!("{rule}; each matrix leg uploads `{prefix}<axis values>`"),
                });
            }
        }
    }
}

/// What the v3 actions lack: a download of several artifacts, each in a
/// folder of its own (`pattern`), and `compression-level`.
fn old_actions(cx: &mut Checker<'_>, workflow: &WorkflowSpec) {
    for artifact in &workflow.artifacts {
        if let Some(legs) = &artifact.legs
            && legs.value == Legs::Separate
        {
            cx.error(SpecError::OldArtifactActions {
                construct: "`legs=\"separate\"`".to_owned(),
                span: legs.span,
                help: "the legs of a matrix share one v3 artifact, which a consumer downloads whole: drop `legs`, or pick v4 or later in `actions`".to_owned(),
            });
        }
        if let Some(level) = &artifact.compression_level {
            cx.error(SpecError::OldArtifactActions {
                construct: "`compression-level`".to_owned(),
                span: level.span,
                help: "v3 uploads at its own compression level: drop `compression-level`, or pick v4 or later in `actions`".to_owned(),
            });
        }
    }
}
