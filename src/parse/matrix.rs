//! `matrix { AXIS "v" …; include k=v …; exclude k=v … }` and
//! `strategy fail-fast=#false max-parallel=N`.

use super::tree::Node;

use super::data;
use super::reader::{Cx, args, children, key_of, props, value_span};
use super::spec::{AxisSpec, MatrixSpec, Property, Spanned, StrategySpec};
use crate::error::SpecError;
use crate::model::Data;

/// Reads a `matrix` node into `into`; repeated axes and nodes append.
pub fn matrix(cx: &mut Cx, node: &Node, into: &mut Option<Spanned<MatrixSpec>>) {
    cx.check_props(node, &[]);
    let matrix =
        into.get_or_insert_with(|| Spanned::new(MatrixSpec::default(), node.name().span()));
    let matrix = &mut matrix.value;
    // `matrix "${{ fromJSON(…) }}"`: the whole matrix from an expression.
    let mut positional = args(node);
    if let Some(entry) = positional.next() {
        for extra in positional {
            cx.error(SpecError::UnexpectedArgument {
                node: "matrix".to_owned(),
                takes: "at most one argument, an expression",
                span: extra.span(),
            });
        }
        cx.no_children(node);
        matrix.expression = cx.nonempty_string("matrix", entry);
        return;
    }
    for child in children(node) {
        let name = child.name().value();
        let entries = match name {
            "include" => Some(&mut matrix.include),
            "exclude" => Some(&mut matrix.exclude),
            _ => None,
        };
        if let Some(entries) = entries {
            cx.no_args(child, "properties and children only, as `AXIS=\"value\"`");
            let mut entry = Vec::new();
            for (key, found) in props(child) {
                if let Some(scalar) = cx.scalar(&format!("matrix.{name}.{key}"), found) {
                    let value = Spanned::new(Data::Scalar(scalar), value_span(found));
                    entry.push(Property { key: key_of(found), value });
                }
            }
            for kid in children(child) {
                let key = kid.name().value();
                if let Some(value) = data::value(cx, kid, &format!("matrix.{name}.{key}")) {
                    entry.push(Property {
                        key: Spanned::new(key.to_owned(), kid.name().span()),
                        value,
                    });
                }
            }
            if props(child).next().is_none() && children(child).is_empty() {
                cx.error(SpecError::MissingValue {
                    node: name.to_owned(),
                    what: "at least one `AXIS=\"value\"`".to_owned(),
                    span: child.name().span(),
                    help: None,
                });
            }
            entries.push(entry);
            continue;
        }
        let axis = Spanned::new(name.to_owned(), child.name().span());
        cx.check_props(child, &["expression"]);
        if let Some((_, entry)) = props(child).find(|(k, _)| *k == "expression") {
            cx.no_children(child);
            if let Some(extra) = args(child).next() {
                cx.error(SpecError::UnexpectedArgument {
                    node: name.to_owned(),
                    takes: "its values or an `expression`, not both",
                    span: extra.span(),
                });
            }
            if let Some(expression) = cx.nonempty_string("expression", entry) {
                matrix.axes.push((axis, AxisSpec::Expression(expression)));
            }
            continue;
        }
        let mut values: Vec<Spanned<Data>> = args(child)
            .filter_map(|e| {
                let scalar = cx.scalar(&format!("matrix.{name}"), e)?;
                Some(Spanned::new(Data::Scalar(scalar), value_span(e)))
            })
            .collect();
        for kid in children(child) {
            if kid.name().value() != "-" {
                cx.unknown_node(kid, &format!("in the axis `{name}`"), &["-"]);
                continue;
            }
            values.extend(data::value(cx, kid, &format!("matrix.{name}")));
        }
        if args(child).next().is_none() && children(child).is_empty() {
            cx.error(SpecError::MissingValue {
                node: name.to_owned(),
                what: "at least one value".to_owned(),
                span: child.name().span(),
                help: Some(format!("for example: `{name} \"a\" \"b\"`")),
            });
        }
        let existing = matrix.axes.iter_mut().find(|(a, _)| a.value == name);
        match existing {
            Some((_, AxisSpec::Values(all))) => all.extend(values),
            Some((_, AxisSpec::Expression(_))) => {}
            None => matrix.axes.push((axis, AxisSpec::Values(values))),
        }
    }
}

/// Reads a `strategy` node into `into`.
pub fn strategy(cx: &mut Cx, node: &Node, into: &mut StrategySpec) {
    cx.no_args(node, "properties only: `fail-fast=#false max-parallel=2`");
    cx.no_children(node);
    cx.check_props(node, &["fail-fast", "max-parallel"]);
    for (key, entry) in props(node) {
        match key {
            "fail-fast" => into.fail_fast = cx.spanned(entry, |cx, e| cx.boolean("fail-fast", e)),
            "max-parallel" => {
                into.max_parallel =
                    cx.spanned(entry, |cx, e| cx.integer("max-parallel", e, 1, 256));
            }
            _ => {}
        }
    }
}
