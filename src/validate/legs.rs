//! How the consumers of a matrix producer's artifact take its legs: what
//! `legs` needs, each refused at its token. `legs` says how consumers
//! download, so it needs a matrix producer and a consumer; `"paired"`
//! needs matrix consumers whose every leg finds the producer's leg with
//! the same axis values.

use std::collections::HashMap;

use crate::error::SpecError;
use crate::model::{Axis, AxisName, Data, Legs, Map, Matrix};
use crate::parse::spec::{ArtifactSpec, AxisSpec, MatrixSpec, Properties, WorkflowSpec};
use crate::plan::legs::legs as legs_of;

use super::Checker;

/// Checks the `legs` of every artifact of `workflow`.
pub fn check(cx: &mut Checker<'_>, workflow: &WorkflowSpec) {
    if workflow.artifacts.iter().all(|a| a.legs.is_none()) {
        return;
    }
    let matrices: HashMap<&str, Matrix> = workflow
        .jobs
        .iter()
        .filter_map(|j| {
            let spec = j.strategy.as_ref()?.value.matrix.as_ref()?;
            Some((j.id.value.as_str(), matrix(&spec.value)))
        })
        .collect();
    for artifact in &workflow.artifacts {
        check_one(cx, artifact, &matrices);
    }
}

fn check_one(cx: &mut Checker<'_>, artifact: &ArtifactSpec, matrices: &HashMap<&str, Matrix>) {
    let Some(legs) = &artifact.legs else { return };
    let how = match legs.value {
        Legs::Merged => "merged",
        Legs::Separate => "separately",
        Legs::Paired => "paired",
    };
    let from = &artifact.from.value;
    let refuse = |cx: &mut Checker<'_>, span, label: String, problem: String, help: String| {
        cx.error(SpecError::ArtifactLegs {
            artifact: artifact.name.value.clone(),
            how,
            problem,
            span,
            label,
            help,
        });
    };
    let Some(producer) = matrices.get(from.as_str()) else {
        refuse(
            cx,
            legs.span,
            format!("`{from}` has no legs"),
            format!("its producer `{from}` does not run as a matrix"),
            "a job without `matrix` uploads one artifact; remove `legs`".to_owned(),
        );
        return;
    };
    if artifact.to.is_empty() {
        refuse(
            cx,
            legs.span,
            "no consumer downloads it".to_owned(),
            "it has no consumer".to_owned(),
            "`legs` says how the jobs in `to` download the legs; add `to`, or remove `legs`"
                .to_owned(),
        );
        return;
    }
    if legs.value != Legs::Paired {
        return;
    }
    if !producer.names_legs() {
        refuse(
            cx,
            legs.span,
            format!("the legs of `{from}` are numbered"),
            format!("the legs of `{from}` have no axis values to pair by"),
            format!(
                "pairing matches legs by their axis values: give `{from}` axes with listed values (not only `include`, an expression, or maps and lists)"
            ),
        );
        return;
    }
    let axes: Vec<&str> = producer.axes.keys().collect();
    let produced: Vec<Vec<Data>> =
        legs_of(producer).iter().map(|leg| project(leg, &axes)).collect();
    for consumer in &artifact.to {
        let name = &consumer.value;
        let Some(matrix) = matrices.get(name.as_str()) else {
            refuse(
                cx,
                consumer.span,
                format!("`{name}` runs once"),
                format!("its consumer `{name}` does not run as a matrix"),
                "each leg of a matrix consumer takes the producer's leg with its own axis values; a job that runs once takes all the legs with `legs=\"merged\"` or `\"separate\"`".to_owned(),
            );
            continue;
        };
        if matrix.expression.is_some() {
            refuse(
                cx,
                consumer.span,
                format!("the matrix of `{name}` is computed"),
                format!("the axes of `{name}` are known only when the run starts"),
                format!("give `{name}` the axes of `{from}`: {}", list(&axes)),
            );
            continue;
        }
        let missing: Vec<&str> =
            axes.iter().copied().filter(|a| !matrix.axes.keys().any(|k| k == *a)).collect();
        if !missing.is_empty() {
            refuse(
                cx,
                consumer.span,
                format!("`{name}` has no axis {}", list(&missing)),
                format!("its consumer `{name}` lacks an axis of `{from}`"),
                format!(
                    "a leg of `{name}` finds its producer leg by the axes of `{from}`: give `{name}` the axes {}",
                    list(&axes)
                ),
            );
            continue;
        }
        if !matrix.is_static() {
            continue;
        }
        for leg in legs_of(matrix) {
            let values = project(&leg, &axes);
            if !produced.contains(&values) {
                let shown: Vec<String> = axes
                    .iter()
                    .zip(&values)
                    .map(|(axis, value)| format!("{axis}={}", shown(value)))
                    .collect();
                refuse(
                    cx,
                    consumer.span,
                    format!("the leg {} of `{name}` has no producer leg", shown.join(", ")),
                    format!("`{from}` has no leg {}", shown.join(", ")),
                    format!(
                        "every leg of `{name}` needs a leg of `{from}` with the same values of {}",
                        list(&axes)
                    ),
                );
                break;
            }
        }
    }
}

/// A leg's values of `axes`, in that order (`#null` where it has none).
fn project(leg: &[(String, Data)], axes: &[&str]) -> Vec<Data> {
    axes.iter()
        .map(|axis| {
            leg.iter()
                .find(|(k, _)| k == axis)
                .map_or(Data::Scalar(crate::model::Scalar::Null), |(_, v)| v.clone())
        })
        .collect()
}

fn shown(value: &Data) -> String {
    value.as_scalar().map(ToString::to_string).unwrap_or_default()
}

fn list(names: &[&str]) -> String {
    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

/// The matrix a spec's matrix becomes, names that break their rule left out
/// (`validate` reports them).
pub fn matrix(spec: &MatrixSpec) -> Matrix {
    let entry = |properties: &Properties<Data>| {
        let mut map: Map<AxisName, Data> = Map::default();
        for p in properties {
            if let Ok(key) = AxisName::new(&p.key.value) {
                map.insert(key, p.value.value.clone());
            }
        }
        map
    };
    let mut matrix = Matrix {
        expression: spec.expression.as_ref().map(|e| e.value.clone()),
        ..Matrix::default()
    };
    for (axis, values) in &spec.axes {
        let Ok(name) = AxisName::new(&axis.value) else { continue };
        let axis = match values {
            AxisSpec::Values(values) => {
                Axis::Values(values.iter().map(|v| v.value.clone()).collect())
            }
            AxisSpec::Expression(expression) => Axis::Expression(expression.value.clone()),
        };
        matrix.axes.insert(name, axis);
    }
    matrix.include = spec.include.iter().map(entry).collect();
    matrix.exclude = spec.exclude.iter().map(entry).collect();
    matrix
}
