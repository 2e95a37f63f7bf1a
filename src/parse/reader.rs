//! Typed access to KDL nodes: each getter checks the shape and type of what
//! it reads and records a diagnostic instead of failing, so one pass reports
//! every mistake.

use kdl::KdlValue;

use super::tree::{Entry, Node};
use miette::SourceSpan;

use super::spec::{Properties, Property, Spanned};
use crate::error::SpecError;
use crate::model::{Minutes, Scalar};
use crate::suggest;

/// The parse context: collects diagnostics.
#[derive(Default)]
pub struct Cx {
    /// Everything found wrong so far.
    pub errors: Vec<SpecError>,
}

/// The span of an entry's value: for `key="v"`, just `"v"`.
pub fn value_span(entry: &Entry) -> SourceSpan {
    let span = entry.span();
    match entry.name() {
        Some(_) if entry.repr_len() <= span.len() => {
            let len = entry.repr_len();
            SourceSpan::new((span.offset() + span.len() - len).into(), len)
        }
        _ => span,
    }
}

/// "a string", "an integer", … for messages.
pub fn kind(value: &KdlValue) -> &'static str {
    match value {
        KdlValue::String(_) => "a string",
        KdlValue::Integer(_) => "an integer",
        KdlValue::Float(_) => "a float",
        KdlValue::Bool(_) => "a boolean",
        KdlValue::Null => "`#null`",
    }
}

/// Positional arguments of a node.
pub fn args(node: &Node) -> impl Iterator<Item = &Entry> {
    node.entries().iter().filter(|e| e.name().is_none())
}

/// Properties of a node.
pub fn props(node: &Node) -> impl Iterator<Item = (&str, &Entry)> {
    node.entries().iter().filter_map(|e| e.name().map(|n| (n.value(), e)))
}

/// Child nodes.
pub fn children(node: &Node) -> &[Node] {
    node.children().unwrap_or_default()
}

impl Cx {
    /// Records a diagnostic.
    pub fn error(&mut self, error: SpecError) {
        self.errors.push(error);
    }

    /// Reports `node` as unknown in `parent`, suggesting one of `known`.
    pub fn unknown_node(&mut self, node: &Node, parent: &str, known: &[&str]) {
        if let Some(slip) = super::bare::yaml_key(node, known) {
            self.error(slip);
            return;
        }
        let name = node.name().value();
        self.error(SpecError::UnknownNode {
            name: name.to_owned(),
            parent: parent.to_owned(),
            span: node.name().span(),
            help: suggest::help(name, known),
        });
    }

    /// Reports every property of `node` whose name is not in `known`.
    pub fn check_props(&mut self, node: &Node, known: &[&str]) {
        for entry in node.entries() {
            let Some(name) = entry.name() else { continue };
            if !known.contains(&name.value()) {
                let help = if known.is_empty() {
                    format!("`{}` takes no properties", node.name().value())
                } else {
                    suggest::help(name.value(), known)
                };
                self.error(SpecError::UnknownProperty {
                    name: name.value().to_owned(),
                    node: node.name().value().to_owned(),
                    span: name.span(),
                    help,
                });
            }
        }
    }

    /// Reports any positional argument of `node`.
    pub fn no_args(&mut self, node: &Node, takes: &'static str) {
        for entry in args(node) {
            self.error(SpecError::UnexpectedArgument {
                node: node.name().value().to_owned(),
                takes,
                span: entry.span(),
            });
        }
    }

    /// Reports a children block on `node`, at its first child (or at the
    /// node, when the block is empty).
    pub fn no_children(&mut self, node: &Node) {
        if let Some(block) = node.children() {
            let span = block.first().map_or(node.name().span(), |child| child.name().span());
            self.error(SpecError::UnexpectedChildren {
                node: node.name().value().to_owned(),
                span,
            });
        }
    }

    /// Reports an empty block on `node`, which needs `what` in it.
    pub fn require_children(&mut self, node: &Node, what: &str, example: &str) {
        if children(node).is_empty() {
            self.error(SpecError::MissingValue {
                node: node.name().value().to_owned(),
                what: what.to_owned(),
                span: node.name().span(),
                help: Some(format!("for example: `{example}`")),
            });
        }
    }

    /// The children of a block that holds only `name` nodes, at most one:
    /// others are reported as unknown `in parent`, repeats as duplicates.
    pub fn only_child<'n>(&mut self, node: &'n Node, name: &str, parent: &str) -> Option<&'n Node> {
        let mut once = Once::default();
        let mut found = None;
        for child in children(node) {
            if child.name().value() != name {
                self.unknown_node(child, parent, &[name]);
            } else if once.first(self, child) {
                found = Some(child);
            }
        }
        found
    }

    /// The single positional argument of `node`; `what` describes it.
    pub fn one_arg<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n Entry> {
        let mut positional = args(node);
        let first = positional.next();
        if args(node).nth(1).is_some()
            && let Some(slip) = super::bare::extra_args(node)
        {
            self.error(slip);
            return first;
        }
        for extra in positional {
            self.error(SpecError::UnexpectedArgument {
                node: node.name().value().to_owned(),
                takes: "exactly one argument",
                span: extra.span(),
            });
        }
        if first.is_none() {
            self.error(SpecError::MissingValue {
                node: node.name().value().to_owned(),
                what: what.to_owned(),
                span: node.name().span(),
                help: example(node.name().value()).map(|e| format!("for example: `{e}`")),
            });
        }
        first
    }

    /// A string value.
    pub fn string(&mut self, what: &str, entry: &Entry) -> Option<Spanned<String>> {
        match entry.value() {
            KdlValue::String(s) => Some(Spanned { value: s.clone(), span: value_span(entry) }),
            other => {
                self.wrong_type(what, "a string", other, entry, None);
                None
            }
        }
    }

    /// A non-empty string value.
    pub fn nonempty_string(&mut self, what: &str, entry: &Entry) -> Option<Spanned<String>> {
        let value = self.string(what, entry)?;
        if value.value.trim().is_empty() {
            self.error(SpecError::InvalidValue {
                what: what.to_owned(),
                problem: "empty".to_owned(),
                span: value.span,
                help: None,
            });
            return None;
        }
        Some(value)
    }

    /// A boolean value.
    pub fn boolean(&mut self, what: &str, entry: &Entry) -> Option<bool> {
        match entry.value() {
            KdlValue::Bool(b) => Some(*b),
            other => {
                let help = match other {
                    KdlValue::String(s) if matches!(s.as_str(), "true" | "false") => {
                        Some(format!("write `#{s}` without quotes"))
                    }
                    _ => None,
                };
                self.wrong_type(what, "a boolean (`#true` or `#false`)", other, entry, help);
                None
            }
        }
    }

    /// A boolean, or a string holding a `${{ … }}` expression.
    pub fn boolean_or_expression(&mut self, what: &str, entry: &Entry) -> Option<Scalar> {
        match entry.value() {
            KdlValue::String(s) if crate::expr::template::has_template(s) => {
                Some(Scalar::String(s.clone()))
            }
            _ => self.boolean(what, entry).map(Scalar::Bool),
        }
    }

    /// `timeout-minutes`: 1 to 10,080, or an expression.
    pub fn minutes(&mut self, entry: &Entry) -> Option<Minutes> {
        match entry.value() {
            KdlValue::String(s) if crate::expr::template::has_template(s) => {
                Some(Minutes::Expression(s.clone()))
            }
            _ => self.integer("timeout-minutes", entry, 1, 10_080).map(Minutes::Fixed),
        }
    }

    /// An integer from `min` to `max`.
    pub fn integer(&mut self, what: &str, entry: &Entry, min: u32, max: u32) -> Option<u32> {
        match entry.value() {
            KdlValue::Integer(n) => match u32::try_from(*n) {
                Ok(n) if (min..=max).contains(&n) => Some(n),
                _ => {
                    self.error(SpecError::InvalidValue {
                        what: what.to_owned(),
                        problem: format!(
                            "{n} is not between {} and {}",
                            suggest::number(min),
                            suggest::number(max)
                        ),
                        span: value_span(entry),
                        help: Some(format!(
                            "`{what}` takes a whole number from {} to {}",
                            suggest::number(min),
                            suggest::number(max)
                        )),
                    });
                    None
                }
            },
            other => {
                let help = match other {
                    KdlValue::String(s) if s.parse::<i64>().is_ok() => {
                        Some(format!("write the number without quotes: `{s}`"))
                    }
                    _ => None,
                };
                self.wrong_type(what, "an integer", other, entry, help);
                None
            }
        }
    }

    /// A scalar for `env` or `with`: a string, integer, boolean, `#null`, or
    /// a float whose written form survives as a YAML number.
    pub fn scalar(&mut self, what: &str, entry: &Entry) -> Option<Scalar> {
        match entry.value() {
            KdlValue::String(s) => Some(Scalar::String(s.clone())),
            KdlValue::Integer(n) => Some(Scalar::Integer(*n)),
            KdlValue::Bool(b) => Some(Scalar::Bool(*b)),
            KdlValue::Float(f) => {
                let written = entry.repr().unwrap_or_default();
                if f.is_finite() && f.to_string() == written {
                    Some(Scalar::Float(*f))
                } else {
                    self.error(SpecError::InvalidValue {
                        what: what.to_owned(),
                        problem: format!("`{written}` would be written as the number {f}"),
                        span: value_span(entry),
                        help: Some(format!("quote it to keep it as written: `\"{written}\"`")),
                    });
                    None
                }
            }
            KdlValue::Null => Some(Scalar::Null),
        }
    }

    /// One choice among `choices`, by name.
    pub fn choice<T: Copy>(
        &mut self,
        what: &str,
        entry: &Entry,
        choices: &[(&'static str, T)],
    ) -> Option<T> {
        let value = self.string(what, entry)?;
        if let Some((_, v)) = choices.iter().find(|(name, _)| *name == value.value) {
            return Some(*v);
        }
        let names: Vec<&str> = choices.iter().map(|(n, _)| *n).collect();
        self.error(SpecError::InvalidValue {
            what: what.to_owned(),
            problem: format!("`{}` is not one of {}", value.value, suggest::list(&names)),
            span: value.span,
            help: Some(suggest::help(&value.value, &names)),
        });
        None
    }

    /// Every positional argument as a string; at least one.
    pub fn strings(&mut self, node: &Node, what: &str) -> Vec<Spanned<String>> {
        let name = node.name().value().to_owned();
        let values: Vec<_> = args(node).filter_map(|e| self.string(&name, e)).collect();
        if args(node).next().is_none() {
            self.error(SpecError::MissingValue {
                node: name,
                what: what.to_owned(),
                span: node.name().span(),
                help: None,
            });
        }
        values
    }

    /// The properties of a map node (`env K="v" …`) as scalars; no
    /// positional arguments, no children. Keys are checked by `validate`.
    pub fn properties(&mut self, node: &Node) -> Properties<Scalar> {
        self.no_args(node, "properties only, as `KEY=\"value\"`");
        self.no_children(node);
        let what = node.name().value().to_owned();
        let mut found = Vec::new();
        for (key, entry) in props(node) {
            if let Some(value) = self.scalar(&format!("{what}.{key}"), entry) {
                found.push(Property {
                    key: key_of(entry),
                    value: Spanned::new(value, value_span(entry)),
                });
            }
        }
        found
    }

    /// The properties of a map node as non-empty strings; no children.
    pub fn string_properties(&mut self, node: &Node) -> Properties<String> {
        self.no_children(node);
        let what = node.name().value().to_owned();
        let mut found = Vec::new();
        for (key, entry) in props(node) {
            if let Some(value) = self.nonempty_string(&format!("{what}.{key}"), entry) {
                found.push(Property { key: key_of(entry), value });
            }
        }
        found
    }

    /// `entry`'s value with its span, when `read` accepts it.
    pub fn spanned<T>(
        &mut self,
        entry: &Entry,
        read: impl FnOnce(&mut Self, &Entry) -> Option<T>,
    ) -> Option<Spanned<T>> {
        read(self, entry).map(|value| Spanned::new(value, value_span(entry)))
    }

    fn wrong_type(
        &mut self,
        what: &str,
        expected: &'static str,
        found: &KdlValue,
        entry: &Entry,
        help: Option<String>,
    ) {
        self.error(SpecError::WrongType {
            what: what.to_owned(),
            expected,
            found: kind(found),
            span: value_span(entry),
            help,
        });
    }
}

/// How a node with its argument looks, for help lines.
fn example(node: &str) -> Option<&'static str> {
    Some(match node {
        "workflow" => "workflow \"ci\" { … }",
        "job" => "job \"test\" { … }",
        "artifact" => {
            "artifact \"coverage-data\" path=\".coverage\" from=\"unit_tests\" to=\"coverage\""
        }
        "run" => "run \"make test\"",
        "uses" => "uses \"actions/setup-python@v5\"",
        "container" => "container \"node:20-bookworm\"",
        "timeout-minutes" => "timeout-minutes 30",
        _ => return None,
    })
}

/// Records the first span a once-only setting was given at, and reports repeats.
#[derive(Default)]
pub struct Once(Vec<(String, SourceSpan)>);

impl Once {
    /// Whether `node` is the first of its name; reports it when it is not.
    pub fn first(&mut self, cx: &mut Cx, node: &Node) -> bool {
        let name = node.name().value();
        if let Some((_, first)) = self.0.iter().find(|(n, _)| n == name) {
            cx.error(SpecError::DuplicateSetting {
                name: name.to_owned(),
                first: *first,
                second: node.name().span(),
            });
            return false;
        }
        self.0.push((name.to_owned(), node.name().span()));
        true
    }
}

/// The key of a property, with the span of the key alone.
pub fn key_of(entry: &Entry) -> Spanned<String> {
    match entry.name() {
        Some(name) => Spanned::new(name.value().to_owned(), name.span()),
        None => Spanned::new(String::new(), entry.span()),
    }
}
