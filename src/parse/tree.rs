//! The KDL tree the parse stage walks: names, values, and the spans
//! diagnostics point at — nothing else, so a large spec stays small in
//! memory. It knows nothing of cigen's vocabulary. It is built by the fast reader, or
//! from the `kdl` crate's document when that reader leaves a text to it.

use kdl::{KdlDocument, KdlValue};
use miette::SourceSpan;

/// A node name or a property key.
#[derive(Clone, Debug, PartialEq)]
pub struct Name {
    value: String,
    span: SourceSpan,
}

impl Name {
    /// A name read from `span`.
    pub fn new(value: String, span: SourceSpan) -> Self {
        Self { value, span }
    }

    /// The name, quotes and escapes resolved.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// Where it was written, quotes included.
    pub fn span(&self) -> SourceSpan {
        self.span
    }
}

/// An argument (`"x"`) or a property (`key="x"`).
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    name: Option<Name>,
    value: KdlValue,
    span: SourceSpan,
    repr_len: usize,
    repr: Option<Box<str>>,
}

impl Entry {
    /// An entry; `span` covers `key=value` for a property; `repr` is the
    /// value as written. Only floats keep that text (a float must read back
    /// as written); other entries keep just its length.
    pub fn new(name: Option<Name>, value: KdlValue, span: SourceSpan, repr: &str) -> Self {
        let keep = matches!(value, KdlValue::Float(_));
        Self { name, value, span, repr_len: repr.len(), repr: keep.then(|| repr.into()) }
    }

    /// The key of a property; `None` for an argument.
    pub fn name(&self) -> Option<&Name> {
        self.name.as_ref()
    }

    /// The value.
    pub fn value(&self) -> &KdlValue {
        &self.value
    }

    /// The whole entry, `key=` included.
    pub fn span(&self) -> SourceSpan {
        self.span
    }

    /// The length of the value as written, quotes and escapes included.
    pub fn repr_len(&self) -> usize {
        self.repr_len
    }

    /// The value as written, for floats.
    pub fn repr(&self) -> Option<&str> {
        self.repr.as_deref()
    }
}

/// A node with its entries and children.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    name: Name,
    /// A type annotation on the node, `(list)name`.
    ty: Option<Box<str>>,
    entries: Vec<Entry>,
    children: Option<Vec<Node>>,
}

impl Node {
    /// A node.
    pub fn new(name: Name, entries: Vec<Entry>, children: Option<Vec<Node>>) -> Self {
        Self { name, ty: None, entries, children }
    }

    /// Gives the node a type annotation.
    pub fn with_ty(mut self, ty: Option<&str>) -> Self {
        self.ty = ty.map(Into::into);
        self
    }

    /// Its type annotation, as in `(list)name`.
    pub fn ty(&self) -> Option<&str> {
        self.ty.as_deref()
    }

    /// Its name.
    pub fn name(&self) -> &Name {
        &self.name
    }

    /// Arguments and properties, in order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The `{ … }` block, if it has one (possibly empty).
    pub fn children(&self) -> Option<&[Node]> {
        self.children.as_deref()
    }

    /// Gives the node a `{ … }` block.
    pub fn set_children(&mut self, children: Vec<Node>) {
        self.children = Some(children);
    }

    /// Takes the children out of the node, leaving an empty block (if it had
    /// one), so they can be read and dropped one by one.
    pub fn take_children(&mut self) -> Vec<Node> {
        self.children.as_mut().map(std::mem::take).unwrap_or_default()
    }
}

/// The tree of a document the `kdl` crate parsed.
pub fn from_kdl(document: &KdlDocument) -> Vec<Node> {
    document
        .nodes()
        .iter()
        .map(|node| {
            let name = Name::new(node.name().value().to_owned(), node.name().span());
            let entries = node
                .entries()
                .iter()
                .map(|entry| {
                    let key = entry.name().map(|n| Name::new(n.value().to_owned(), n.span()));
                    let repr = entry.format().map_or("", |f| f.value_repr.as_str());
                    Entry::new(key, entry.value().clone(), entry.span(), repr)
                })
                .collect();
            Node::new(name, entries, node.children().map(from_kdl))
                .with_ty(node.ty().map(|t| t.value()))
        })
        .collect()
}
