//! `matrix { AXIS "v" …; include k=v …; exclude k=v … }` and
//! `strategy fail-fast=#false max-parallel=N`.

use super::tree::Node;

use super::reader::{Cx, args, children, props};
use crate::error::SpecError;
use crate::model::{Map, Matrix, Scalar, Strategy};
use crate::suggest;

/// Parses a `matrix` node into `into`; repeated axes and nodes append.
pub fn matrix(cx: &mut Cx, node: &Node, into: &mut Option<Matrix>) {
    cx.no_args(node, "no arguments; axes go in its block: `matrix { python \"3.12\" \"3.13\" }`");
    cx.check_props(node, &[]);
    let mut matrix = into.take().unwrap_or_default();
    let mut entries: Vec<(&Node, bool)> = Vec::new();
    for child in children(node) {
        match child.name().value() {
            "include" => entries.push((child, true)),
            "exclude" => entries.push((child, false)),
            axis => {
                if !valid_key(axis) {
                    cx.error(SpecError::InvalidValue {
                        what: "matrix".to_owned(),
                        problem: format!("`{axis}` is not a valid axis name"),
                        span: child.name().span(),
                        help: Some(AXIS_RULE.to_owned()),
                    });
                    continue;
                }
                cx.check_props(child, &[]);
                cx.no_children(child);
                let values: Vec<Scalar> =
                    args(child).filter_map(|e| cx.scalar(&format!("matrix.{axis}"), e)).collect();
                if args(child).next().is_none() {
                    cx.error(SpecError::MissingValue {
                        node: axis.to_owned(),
                        what: "at least one value".to_owned(),
                        span: child.name().span(),
                        help: Some(format!("for example: `{axis} \"a\" \"b\"`")),
                    });
                }
                let mut all = matrix.axes.get(axis).cloned().unwrap_or_default();
                all.extend(values);
                matrix.axes.insert(axis.to_owned(), all);
            }
        }
    }
    let axes: Vec<&str> = matrix.axes.iter().map(|(k, _)| k).collect();
    for (child, include) in entries {
        let what = if include { "include" } else { "exclude" };
        cx.no_args(child, "properties only, as `AXIS=\"value\"`");
        cx.no_children(child);
        let mut entry = Map::default();
        for (key, value) in props(child) {
            let key_span = value.name().map_or(value.span(), |n| n.span());
            if !axes.contains(&key) {
                // `include` may add variables, but a near miss of an axis
                // is a typo that would silently add a new leg.
                let near = suggest::closest(key, axes.iter().copied());
                if !include || near.is_some() {
                    cx.error(SpecError::UnknownAxis {
                        axis: key.to_owned(),
                        entry: what,
                        span: key_span,
                        help: match near {
                            Some(best) => format!("did you mean `{best}`?"),
                            None if axes.is_empty() => "this matrix declares no axes".to_owned(),
                            None => format!("the axes are {}", suggest::list(&axes)),
                        },
                    });
                    continue;
                }
            }
            if let Some(scalar) = cx.scalar(&format!("matrix.{what}.{key}"), value) {
                entry.insert(key.to_owned(), scalar);
            }
        }
        if props(child).next().is_none() {
            cx.error(SpecError::MissingValue {
                node: what.to_owned(),
                what: "at least one `AXIS=\"value\"`".to_owned(),
                span: child.name().span(),
                help: None,
            });
        }
        if include {
            matrix.include.push(entry);
        } else {
            matrix.exclude.push(entry);
        }
    }
    if matrix.axes.is_empty() && matrix.include.is_empty() {
        cx.error(SpecError::MissingValue {
            node: "matrix".to_owned(),
            what: "at least one axis or `include`".to_owned(),
            span: node.name().span(),
            help: Some("for example: `matrix { python \"3.12\" \"3.13\" }`".to_owned()),
        });
    }
    *into = Some(matrix);
}

/// Parses a `strategy` node into `into`.
pub fn strategy(cx: &mut Cx, node: &Node, into: &mut Strategy) {
    cx.no_args(node, "properties only: `fail-fast=#false max-parallel=2`");
    cx.no_children(node);
    cx.check_props(node, &["fail-fast", "max-parallel"]);
    for (key, entry) in props(node) {
        match key {
            "fail-fast" => into.fail_fast = cx.boolean("fail-fast", entry),
            "max-parallel" => into.max_parallel = cx.integer("max-parallel", entry, 1, 256),
            _ => {}
        }
    }
}

const AXIS_RULE: &str =
    "an axis name starts with a letter or `_` and holds only letters, digits, `-` and `_`";

fn valid_key(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}
