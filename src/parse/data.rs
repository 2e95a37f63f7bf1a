//! Values of any shape written as KDL nodes, for matrix values and
//! `include` entries that are lists or maps. The form follows KDL's
//! JSON-in-KDL convention: a node's value is
//!
//! - its one argument: that scalar (`os "linux"`);
//! - its arguments, when there are several: a list (`flags "-O2" "-g"`);
//! - its children, when all are named `-`: a list, each element the value
//!   of one `-` node (`targets { - os="linux"; - os="mac" }`);
//! - its properties and children otherwise: a map, a property a scalar
//!   entry, a child an entry whose value is the child's
//!   (`target os="linux" { flags "-O2" "-g" }`).
//!
//! `(list)` before the node's name makes one argument (or none) a list,
//! and `(map)` makes a node with nothing in it an empty map.

use super::reader::{Cx, args, children, props, value_span};
use super::spec::{RawEntry, Spanned};
use super::tree::Node;
use crate::error::SpecError;
use crate::model::{Data, Map};

/// The value of `node`, as described above; `what` names it in messages.
pub fn value(cx: &mut Cx, node: &Node, what: &str) -> Option<Spanned<Data>> {
    let span = node.name().span();
    let arguments: Vec<_> = args(node).collect();
    let properties: Vec<_> = props(node).collect();
    let kids = children(node);
    let list = node.ty() == Some("list");
    let map = node.ty() == Some("map");
    if let Some(ty) = node.ty().filter(|t| !matches!(*t, "list" | "map")) {
        cx.error(SpecError::InvalidValue {
            what: what.to_owned(),
            problem: format!("`({ty})` is not a type cigen knows"),
            span,
            help: Some("write `(list)` or `(map)`, or leave the type out".to_owned()),
        });
        return None;
    }
    let dashes = !kids.is_empty() && kids.iter().all(|k| k.name().value() == "-");
    if !arguments.is_empty() && (!properties.is_empty() || (!kids.is_empty() && !dashes))
        || map && !arguments.is_empty()
    {
        cx.error(SpecError::InvalidValue {
            what: what.to_owned(),
            problem: "a value is a list (arguments) or a map (properties and children), not both".to_owned(),
            span,
            help: Some("write the map's entries as properties or children, or the list's items as arguments".to_owned()),
        });
        return None;
    }
    if dashes || list || arguments.len() > 1 || (!arguments.is_empty() && !kids.is_empty()) {
        let mut items = Vec::new();
        for entry in &arguments {
            items.push(Data::Scalar(cx.scalar(what, entry)?));
        }
        for kid in kids {
            items.push(value(cx, kid, what)?.value);
        }
        return Some(Spanned::new(Data::List(items), span));
    }
    if let [entry] = arguments.as_slice() {
        let scalar = cx.scalar(what, entry)?;
        return Some(Spanned::new(Data::Scalar(scalar), value_span(entry)));
    }
    if properties.is_empty() && kids.is_empty() && !map {
        cx.error(SpecError::MissingValue {
            node: node.name().value().to_owned(),
            what: "a value".to_owned(),
            span,
            help: Some(
                "give it an argument, properties or children; `(map)` for an empty map".to_owned(),
            ),
        });
        return None;
    }
    let mut entries: Map<String, Data> = Map::default();
    for (key, entry) in properties {
        entries.insert(key.to_owned(), Data::Scalar(cx.scalar(&format!("{what}.{key}"), entry)?));
    }
    for kid in kids {
        let key = kid.name().value();
        entries.insert(key.to_owned(), value(cx, kid, &format!("{what}.{key}"))?.value);
    }
    Some(Spanned::new(Data::Map(entries), span))
}

/// `raw KEY=VALUE { KEY VALUE }`: keys copied into the output as written,
/// each with its span; repeated `raw` nodes append to `into`.
pub fn raw(cx: &mut Cx, node: &Node, into: &mut Vec<RawEntry>) {
    cx.no_args(node, "keys only: `raw cancel-timeout-minutes=5` or `raw { KEY VALUE }`");
    if node.ty().is_some() {
        cx.error(SpecError::InvalidValue {
            what: "raw".to_owned(),
            problem: "`raw` holds keys; it takes no type".to_owned(),
            span: node.name().span(),
            help: Some("remove the annotation".to_owned()),
        });
    }
    for (key, entry) in props(node) {
        let Some(scalar) = cx.scalar(&format!("raw.{key}"), entry) else { continue };
        let key_span = entry.name().map_or(entry.span(), |n| n.span());
        into.push(RawEntry {
            key: Spanned::new(key.to_owned(), key_span),
            value: Spanned::new(Data::Scalar(scalar), value_span(entry)),
        });
    }
    for kid in children(node) {
        let key = kid.name().value();
        if let Some(value) = value(cx, kid, &format!("raw.{key}")) {
            into.push(RawEntry { key: Spanned::new(key.to_owned(), kid.name().span()), value });
        }
    }
    if props(node).next().is_none() && children(node).is_empty() {
        cx.error(SpecError::MissingValue {
            node: "raw".to_owned(),
            what: "at least one key".to_owned(),
            span: node.name().span(),
            help: Some("for example: `raw cancel-timeout-minutes=5`".to_owned()),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Scalar;

    fn read(text: &str) -> Option<Data> {
        let document: kdl::KdlDocument = text.parse().expect("valid KDL");
        let nodes = super::super::tree::from_kdl(&document);
        let mut cx = Cx::default();
        let found = value(&mut cx, &nodes[0], "x").map(|s| s.value);
        assert!(cx.errors.is_empty() || found.is_none());
        found
    }

    fn s(text: &str) -> Data {
        Data::Scalar(Scalar::String(text.to_owned()))
    }

    #[test]
    fn reads_each_shape() {
        assert_eq!(read("x \"a\""), Some(s("a")));
        assert_eq!(read("x \"a\" \"b\""), Some(Data::List(vec![s("a"), s("b")])));
        assert_eq!(read("(list)x \"a\""), Some(Data::List(vec![s("a")])));
        assert_eq!(read("(list)x"), Some(Data::List(Vec::new())));
        assert_eq!(read("(map)x"), Some(Data::Map(Map::default())));
        let Some(Data::Map(map)) = read("x os=\"linux\" { flags \"-O2\" \"-g\"; }") else {
            panic!()
        };
        assert_eq!(map.get("os"), Some(&s("linux")));
        assert_eq!(map.get("flags"), Some(&Data::List(vec![s("-O2"), s("-g")])));
        let Some(Data::List(items)) = read("x { - os=\"linux\"; - \"plain\"; }") else { panic!() };
        assert_eq!(items.len(), 2);
        assert_eq!(items[1], s("plain"));
    }

    #[test]
    fn refuses_mixed_and_empty_nodes() {
        assert_eq!(read("x \"a\" k=\"v\""), None);
        assert_eq!(read("x"), None);
        assert_eq!(read("(set)x \"a\""), None);
    }
}
