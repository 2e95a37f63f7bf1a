//! `matrix { AXIS "v" …; include k=v …; exclude k=v … }` and
//! `strategy fail-fast=#false max-parallel=N`.

use super::tree::Node;

use super::reader::{Cx, args, children, key_of, props, value_span};
use super::spec::{MatrixSpec, Property, Spanned, StrategySpec};
use crate::error::SpecError;

/// Reads a `matrix` node into `into`; repeated axes and nodes append.
pub fn matrix(cx: &mut Cx, node: &Node, into: &mut Option<Spanned<MatrixSpec>>) {
    cx.no_args(node, "no arguments; axes go in its block: `matrix { python \"3.12\" \"3.13\" }`");
    cx.check_props(node, &[]);
    let matrix =
        into.get_or_insert_with(|| Spanned::new(MatrixSpec::default(), node.name().span()));
    let matrix = &mut matrix.value;
    for child in children(node) {
        let name = child.name().value();
        let entries = match name {
            "include" => Some(&mut matrix.include),
            "exclude" => Some(&mut matrix.exclude),
            _ => None,
        };
        if let Some(entries) = entries {
            cx.no_args(child, "properties only, as `AXIS=\"value\"`");
            cx.no_children(child);
            let mut entry = Vec::new();
            for (key, found) in props(child) {
                if let Some(scalar) = cx.scalar(&format!("matrix.{name}.{key}"), found) {
                    let value = Spanned::new(scalar, value_span(found));
                    entry.push(Property { key: key_of(found), value });
                }
            }
            if props(child).next().is_none() {
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
        cx.check_props(child, &[]);
        cx.no_children(child);
        let values: Vec<_> = args(child)
            .filter_map(|e| cx.spanned(e, |cx, e| cx.scalar(&format!("matrix.{name}"), e)))
            .collect();
        if args(child).next().is_none() {
            cx.error(SpecError::MissingValue {
                node: name.to_owned(),
                what: "at least one value".to_owned(),
                span: child.name().span(),
                help: Some(format!("for example: `{name} \"a\" \"b\"`")),
            });
        }
        match matrix.axes.iter_mut().find(|(axis, _)| axis.value == name) {
            Some((_, all)) => all.extend(values),
            None => matrix.axes.push((Spanned::new(name.to_owned(), child.name().span()), values)),
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
