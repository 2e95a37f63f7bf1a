//! Workflow YAML as `cigen import` reads it: a tree of maps, sequences and
//! scalars where every node keeps its bytes in the file, so that whatever
//! the importer cannot express is refused with a located diagnostic.
//!
//! Scalars are typed by the YAML 1.2 core schema, which is what GitHub's
//! and Forgejo's runners read: `on`, `yes` and `no` are strings, `0777` is
//! the integer 777, and a quoted or block scalar is always a string. The
//! reader is strict: anchors, aliases, merge keys, tags, more than one
//! document, keys that are not scalars and a root that is not a map are all
//! refused, each with its own [`YamlError`], and every refusal found is
//! reported, not only the first.
//!
//! The events come from `saphyr-parser`, whose positions count characters;
//! they are turned into byte offsets here, so every [`SourceSpan`] is a
//! byte range of the text given to [`parse`].

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::ops::ControlFlow;

use miette::{Diagnostic, SourceSpan};
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span, Tag};
use thiserror::Error;

/// The deepest nesting of maps and sequences a file may have. Workflows
/// nest a handful of levels; the limit keeps the recursive walks over the
/// tree (comparison, dropping) far from the end of the stack.
pub const MAX_DEPTH: usize = 64;

/// One node of the tree.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// The bytes of the whole node: a map or sequence from its first key or
    /// `-` (or its `{`, `[`) to the end of its last value (or its `}`, `]`);
    /// a quoted scalar with its quotes; a block scalar from its `|` or `>`
    /// to the end of its last line that is not blank. An empty value
    /// (`key:` with nothing after it) is an empty span just after its `:`.
    pub span: SourceSpan,
    /// What the node holds.
    pub kind: Kind,
}

/// What a [`Node`] holds.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// A map, its entries in the order of the file; keys are unique.
    Map(Vec<Entry>),
    /// A sequence.
    Seq(Vec<Node>),
    /// A scalar.
    Scalar(Scalar),
}

/// One `key: value` of a map.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The key: always a scalar node.
    pub key: Node,
    /// The value.
    pub value: Node,
}

/// A scalar: its typed value, how it was written, and its text.
#[derive(Clone, Debug, PartialEq)]
pub struct Scalar {
    /// The value the core schema gives the text.
    pub value: Value,
    /// How the scalar was written.
    pub style: Style,
    /// The content as read, after unescaping and folding, before typing.
    pub text: String,
}

/// A scalar's value under the YAML 1.2 core schema.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null`, `Null`, `NULL`, `~` or nothing at all.
    Null,
    /// `true` or `false`, in one of three capitalisations.
    Bool(bool),
    /// A decimal, `0o` octal or `0x` hexadecimal integer.
    Int(i128),
    /// A decimal float, `.inf` or `.nan`.
    Float(f64),
    /// Anything else, and every quoted or block scalar.
    String(String),
}

/// How a scalar was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// Without quotes.
    Plain,
    /// In `'…'`.
    SingleQuoted,
    /// In `"…"`.
    DoubleQuoted,
    /// A `|` block.
    Literal,
    /// A `>` block.
    Folded,
}

/// A full-line `#` comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// Its line, counted from 0.
    pub line: usize,
    /// The text after `#`, less one leading space and any trailing blanks.
    pub text: String,
    /// The bytes from `#` to the end of the line, trailing blanks excluded.
    pub span: SourceSpan,
}

/// The first place where two trees hold different data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    /// Where, e.g. `jobs.test.steps[2].with.name`; empty at the root. A key
    /// that is not a plain name is written `["a.b"]`.
    pub path: String,
    /// The bytes in the first tree: the differing node, the key only the
    /// first tree has, or the map that lacks a key only the second has.
    pub span: SourceSpan,
    /// What the first tree has there, shortly: "the string `push`", "a
    /// sequence of 1 item", "nothing".
    pub ours: String,
    /// What the second tree has there.
    pub theirs: String,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "at the root: {} here, {} there", self.ours, self.theirs)
        } else {
            write!(f, "at `{}`: {} here, {} there", self.path, self.ours, self.theirs)
        }
    }
}

/// Why a file cannot be imported as YAML, one variant per condition.
#[derive(Debug, Error, Diagnostic)]
pub enum YamlError {
    /// The text is not YAML.
    #[error("{message}")]
    #[diagnostic(code(cigen::yaml::syntax))]
    Syntax {
        /// The parser's message.
        message: String,
        /// What to do about it.
        #[help]
        help: &'static str,
        /// Where the parser stopped.
        #[label("invalid YAML here")]
        span: SourceSpan,
    },

    /// A map that holds one key twice.
    #[error("duplicate key `{key}`")]
    #[diagnostic(
        code(cigen::yaml::duplicate_key),
        help("a map holds each key once; keep one of them")
    )]
    DuplicateKey {
        /// The key's text.
        key: String,
        /// The first occurrence.
        #[label("first defined here")]
        first: SourceSpan,
        /// The second one.
        #[label("again here")]
        second: SourceSpan,
    },

    /// An anchor, `&name`.
    #[error("anchor `&{name}` is not imported")]
    #[diagnostic(
        code(cigen::yaml::anchor),
        help("cigen imports plain YAML; write the value out and remove the anchor")
    )]
    Anchor {
        /// The anchor's name.
        name: String,
        /// The `&name`.
        #[label("anchor")]
        span: SourceSpan,
    },

    /// An alias, `*name`.
    #[error("alias `*{name}` is not imported")]
    #[diagnostic(
        code(cigen::yaml::alias),
        help("cigen imports plain YAML; write the value out in place of the alias")
    )]
    Alias {
        /// The anchor it refers to.
        name: String,
        /// The `*name`.
        #[label("alias")]
        span: SourceSpan,
    },

    /// A `<<` merge key.
    #[error("merge key `<<` is not imported")]
    #[diagnostic(
        code(cigen::yaml::merge_key),
        help("cigen imports plain YAML; write the merged entries out in this map")
    )]
    MergeKey {
        /// The `<<`.
        #[label("merge key")]
        span: SourceSpan,
    },

    /// An explicit tag, `!!str` or `!name`.
    #[error("tag `{tag}` is not imported")]
    #[diagnostic(
        code(cigen::yaml::tag),
        help(
            "cigen imports plain YAML; write the value out without a tag, quoted if it is a string"
        )
    )]
    Tag {
        /// The tag as written.
        tag: String,
        /// The tag.
        #[label("explicit tag")]
        span: SourceSpan,
    },

    /// A second document in the file.
    #[error("the file holds more than one YAML document")]
    #[diagnostic(
        code(cigen::yaml::documents),
        help("a workflow file is one document; move the others to files of their own")
    )]
    MultipleDocuments {
        /// The start of the second document.
        #[label("a second document starts here")]
        span: SourceSpan,
    },

    /// A file with no document, or an empty one.
    #[error("the file holds no YAML document")]
    #[diagnostic(
        code(cigen::yaml::empty),
        help("a workflow file is a map with at least `on` and `jobs`")
    )]
    Empty {
        /// The start of the file.
        #[label("nothing to import")]
        span: SourceSpan,
    },

    /// A document that is a sequence or a scalar.
    #[error("the document is {found}, not a map")]
    #[diagnostic(
        code(cigen::yaml::root_not_map),
        help("a workflow file is a map with at least `on` and `jobs`")
    )]
    RootNotMap {
        /// What it is instead, e.g. "a sequence".
        found: &'static str,
        /// The root node.
        #[label("expected a map")]
        span: SourceSpan,
    },

    /// A map key that is a map or a sequence.
    #[error("a map key is {found}")]
    #[diagnostic(
        code(cigen::yaml::complex_key),
        help("cigen imports maps whose keys are plain or quoted strings; write the key as one")
    )]
    ComplexKey {
        /// What it is, e.g. "a sequence".
        found: &'static str,
        /// The key.
        #[label("not a scalar")]
        span: SourceSpan,
    },

    /// A map key that is a scalar of an unusual form: empty, or a block.
    #[error("a map key is {found}")]
    #[diagnostic(
        code(cigen::yaml::odd_key),
        help("cigen imports maps whose keys are plain or quoted strings; write the key as one")
    )]
    OddKey {
        /// What it is: "empty" or "a block scalar".
        found: &'static str,
        /// The key.
        #[label("key")]
        span: SourceSpan,
    },

    /// A plain integer too large to keep exactly.
    #[error("integer `{text}` is out of range")]
    #[diagnostic(
        code(cigen::yaml::int_range),
        help("cigen keeps integers of up to 128 bits; quote the value if it is a string")
    )]
    IntOutOfRange {
        /// The integer as written.
        text: String,
        /// The scalar.
        #[label("too large")]
        span: SourceSpan,
    },

    /// Maps and sequences nested deeper than [`MAX_DEPTH`].
    #[error("values nest more than {max} levels deep")]
    #[diagnostic(
        code(cigen::yaml::too_deep),
        help("a workflow nests a handful of levels; flatten the values above this one")
    )]
    TooDeep {
        /// The limit.
        max: usize,
        /// The first collection past it.
        #[label("level {level} starts here", level = max + 1)]
        span: SourceSpan,
    },
}

impl YamlError {
    /// The bytes the error is about: its only label, or the second place of
    /// a duplicate key.
    pub fn span(&self) -> SourceSpan {
        match self {
            Self::Syntax { span, .. }
            | Self::Anchor { span, .. }
            | Self::Alias { span, .. }
            | Self::MergeKey { span }
            | Self::Tag { span, .. }
            | Self::MultipleDocuments { span }
            | Self::Empty { span }
            | Self::RootNotMap { span, .. }
            | Self::ComplexKey { span, .. }
            | Self::OddKey { span, .. }
            | Self::IntOutOfRange { span, .. }
            | Self::TooDeep { span, .. } => *span,
            Self::DuplicateKey { second, .. } => *second,
        }
    }
}

/// Reads `text`, one YAML document whose root is a map: the root, or every
/// refusal found, in the order of the file. A syntax error ends the
/// reading; the refusals found before it are reported with it.
///
/// One leniency, shared with the forges' own readers: a flow list or map
/// closed at its key's indentation (`]` under `key:`), which YAML 1.2
/// forbids, is read as if its bracket were indented like the line above it.
pub fn parse(text: &str) -> Result<Node, Vec<YamlError>> {
    let mut patched = std::borrow::Cow::Borrowed(text);
    // Spaces added, as (position in the patched text, how many).
    let mut added: Vec<(usize, usize)> = Vec::new();
    loop {
        let mut builder = Builder::new(&patched);
        builder.run();
        let errors = match builder.finish() {
            Ok(mut root) => {
                if !added.is_empty() {
                    unpatch(&mut root, &added);
                }
                return Ok(root);
            }
            Err(errors) => errors,
        };
        let indent = match errors.last() {
            Some(YamlError::Syntax { message, span, .. })
                if message == "invalid indentation" && added.len() < 16 =>
            {
                closer_indent(&patched, span.offset())
            }
            _ => None,
        };
        let Some((line, spaces)) = indent else {
            return Err(if added.is_empty() { errors } else { parse_strict(text) });
        };
        let mut text = patched.into_owned();
        text.insert_str(line, &" ".repeat(spaces));
        patched = std::borrow::Cow::Owned(text);
        added.push((line, spaces));
    }
}

/// [`parse`] without its leniency, for the errors of a file it could not
/// read either way.
fn parse_strict(text: &str) -> Vec<YamlError> {
    let mut builder = Builder::new(text);
    builder.run();
    builder.finish().err().unwrap_or_default()
}

/// For a flow closer at `at` alone on its line, indented less than the
/// line above it: where its line starts and how many spaces would align it.
fn closer_indent(text: &str, at: usize) -> Option<(usize, usize)> {
    if !text[at..].starts_with([']', '}']) {
        return None;
    }
    let line = text[..at].rfind('\n').map_or(0, |i| i + 1);
    if !text[line..at].chars().all(|c| c == ' ') {
        return None;
    }
    let above = text[..line.checked_sub(1)?].lines().rev().find(|l| !l.trim().is_empty())?;
    let wanted = above.len() - above.trim_start_matches(' ').len();
    let has = at - line;
    (wanted > has).then(|| (line, wanted - has))
}

/// Moves the spans of `node`, read from the patched text, back to the text
/// as written.
fn unpatch(node: &mut Node, added: &[(usize, usize)]) {
    let back = |offset: usize| {
        offset - added.iter().filter(|(at, _)| *at <= offset).map(|(_, n)| n).sum::<usize>()
    };
    let start = back(node.span.offset());
    let end = back(node.span.offset() + node.span.len()).max(start);
    node.span = SourceSpan::new(start.into(), end - start);
    match &mut node.kind {
        Kind::Map(entries) => {
            for entry in entries {
                unpatch(&mut entry.key, added);
                unpatch(&mut entry.value, added);
            }
        }
        Kind::Seq(items) => items.iter_mut().for_each(|item| unpatch(item, added)),
        Kind::Scalar(_) => {}
    }
}

impl Node {
    /// The value of the entry whose key's text is `key`, in a map.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|entry| &entry.value)
    }

    /// The entry whose key's text is `key`, in a map.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries().iter().find(|entry| entry.key.key_str() == Some(key))
    }

    /// A map's entries; empty for anything else.
    pub fn entries(&self) -> &[Entry] {
        match &self.kind {
            Kind::Map(entries) => entries,
            _ => &[],
        }
    }

    /// A sequence's items; empty for anything else.
    pub fn items(&self) -> &[Node] {
        match &self.kind {
            Kind::Seq(items) => items,
            _ => &[],
        }
    }

    /// The scalar, if the node is one.
    pub fn scalar(&self) -> Option<&Scalar> {
        match &self.kind {
            Kind::Scalar(scalar) => Some(scalar),
            _ => None,
        }
    }

    /// The string, if the node is a scalar typed as a string.
    pub fn as_str(&self) -> Option<&str> {
        match self.scalar().map(|scalar| &scalar.value) {
            Some(Value::String(text)) => Some(text),
            _ => None,
        }
    }

    /// A scalar's text, as map keys are compared: `on`, `true` and `1` are
    /// keys by their text, whatever their type.
    pub fn key_str(&self) -> Option<&str> {
        self.scalar().map(|scalar| scalar.text.as_str())
    }

    /// Whether the node is a null scalar.
    pub fn is_null(&self) -> bool {
        matches!(self.scalar().map(|scalar| &scalar.value), Some(Value::Null))
    }

    /// What the node is, as a message says it: "a map", "a string", ….
    pub fn what(&self) -> &'static str {
        match &self.kind {
            Kind::Map(_) => "a map",
            Kind::Seq(_) => "a sequence",
            Kind::Scalar(scalar) => match scalar.value {
                Value::Null => "null",
                Value::Bool(_) => "a boolean",
                Value::Int(_) => "an integer",
                Value::Float(_) => "a float",
                Value::String(_) => "a string",
            },
        }
    }

    /// Whether both trees hold the same data: spans and styles aside, maps
    /// in any order with keys compared by their text, `.nan` equal to
    /// itself. Nothing is normalised: `on: push` and `on: [push]` differ.
    pub fn same_data(&self, other: &Node) -> bool {
        self.difference(other).is_none()
    }

    /// The first place where the trees hold different data, in the order
    /// of this tree (keys only `other` has come last); `None` when
    /// [`same_data`](Self::same_data).
    pub fn difference(&self, other: &Node) -> Option<Difference> {
        diff(self, other, &mut Vec::new())
    }
}

impl Entry {
    /// The bytes from the key to the end of the value.
    pub fn span(&self) -> SourceSpan {
        let start = self.key.span.offset();
        let end = end_of(self.value.span).max(end_of(self.key.span));
        bytes(start, end)
    }

    /// The key's text.
    pub fn key_str(&self) -> &str {
        self.key.key_str().unwrap_or_default()
    }
}

impl Value {
    /// Whether both are the same data; unlike `==`, `.nan` is the same as
    /// `.nan`.
    pub fn same(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Float(a), Value::Float(b)) => a == b || (a.is_nan() && b.is_nan()),
            _ => self == other,
        }
    }
}

impl Style {
    fn of(style: ScalarStyle) -> Self {
        match style {
            ScalarStyle::Plain => Style::Plain,
            ScalarStyle::SingleQuoted => Style::SingleQuoted,
            ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
            ScalarStyle::Literal => Style::Literal,
            ScalarStyle::Folded => Style::Folded,
        }
    }
}

/// The full-line `#` comments of `text`, whose tree is `root`: lines whose
/// first character other than spaces and tabs is `#`, except those inside
/// a block scalar or a quoted scalar that spans lines, where `#` is text.
pub fn comments(text: &str, root: &Node) -> Vec<Comment> {
    let mut inside = Vec::new();
    multi_line_scalars(text, root, &mut inside);
    inside.sort_unstable();
    let mut found = Vec::new();
    for (number, (start, end)) in lines(text).into_iter().enumerate() {
        let line = text.get(start..end).unwrap_or_default();
        let body = line.trim_start_matches([' ', '\t']);
        let Some(after) = body.strip_prefix('#') else { continue };
        let hash = start + (line.len() - body.len());
        let before = inside.partition_point(|&(s, _)| s < hash);
        if before.checked_sub(1).and_then(|i| inside.get(i)).is_some_and(|&(_, e)| hash < e) {
            continue;
        }
        let comment = after.strip_prefix(' ').unwrap_or(after).trim_end();
        let length = body.trim_end().len();
        found.push(Comment {
            line: number,
            text: comment.to_owned(),
            span: SourceSpan::new(hash.into(), length),
        });
    }
    found
}

/// The byte ranges of the scalars under `node` whose text spans lines.
fn multi_line_scalars(text: &str, node: &Node, out: &mut Vec<(usize, usize)>) {
    match &node.kind {
        Kind::Map(entries) => {
            for entry in entries {
                multi_line_scalars(text, &entry.key, out);
                multi_line_scalars(text, &entry.value, out);
            }
        }
        Kind::Seq(items) => items.iter().for_each(|item| multi_line_scalars(text, item, out)),
        Kind::Scalar(_) => {
            let (start, end) = (node.span.offset(), end_of(node.span));
            if text.get(start..end).is_some_and(|bytes| bytes.contains(['\n', '\r'])) {
                out.push((start, end));
            }
        }
    }
}

/// Each line's bytes, line break excluded; `\n`, `\r\n` and `\r` break
/// lines, as they do for the parser.
fn lines(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'\n' => {
                lines.push((start, at));
                start = at + 1;
            }
            b'\r' => {
                lines.push((start, at));
                if bytes.get(at + 1) == Some(&b'\n') {
                    at += 1;
                }
                start = at + 1;
            }
            _ => {}
        }
        at += 1;
    }
    lines.push((start, bytes.len()));
    lines
}

// ---- building the tree from the parser's events

/// A map or sequence whose end has not been read yet.
struct Frame {
    /// Its first byte.
    start: usize,
    /// The end of the last thing read in it.
    last_end: usize,
    body: Body,
}

enum Body {
    Seq(Vec<Node>),
    Map {
        entries: Vec<Entry>,
        /// The key read, waiting for its value; `Some(None)` for a refused
        /// key, whose value is read and dropped.
        pending: Option<Option<Node>>,
        /// Each key's text and where it was first defined.
        seen: HashMap<String, SourceSpan>,
    },
}

struct Builder<'t> {
    text: &'t str,
    offsets: Offsets,
    stack: Vec<Frame>,
    root: Option<Node>,
    documents: usize,
    errors: Vec<YamlError>,
}

impl<'t> Builder<'t> {
    fn new(text: &'t str) -> Self {
        Self {
            text,
            offsets: Offsets::new(text),
            stack: Vec::new(),
            root: None,
            documents: 0,
            errors: Vec::new(),
        }
    }

    fn run(&mut self) {
        let mut parser = Parser::new_from_str(self.text);
        while let Some(next) = parser.next_event() {
            let flow = match next {
                Ok((event, span)) => self.event(event, span),
                Err(error) => {
                    self.syntax(&error);
                    ControlFlow::Break(())
                }
            };
            if flow.is_break() {
                break;
            }
        }
    }

    fn finish(mut self) -> Result<Node, Vec<YamlError>> {
        match &self.root {
            // With errors, the reading stopped before the root was whole.
            None if self.errors.is_empty() => {
                self.errors.push(YamlError::Empty { span: SourceSpan::new(0.into(), 0) })
            }
            Some(root)
                if root.scalar().is_some_and(|s| s.style == Style::Plain && s.text.is_empty()) =>
            {
                self.errors.push(YamlError::Empty { span: root.span });
            }
            Some(root) if !matches!(root.kind, Kind::Map(_)) => {
                self.errors.push(YamlError::RootNotMap { found: root.what(), span: root.span });
            }
            _ => {}
        }
        match self.root {
            Some(root) if self.errors.is_empty() => Ok(root),
            _ => {
                self.errors.sort_by_key(|error| error.span().offset());
                Err(self.errors)
            }
        }
    }

    fn event(&mut self, event: Event<'_>, span: Span) -> ControlFlow<()> {
        let (start, end) =
            (self.offsets.byte(span.start.index()), self.offsets.byte(span.end.index()));
        match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    let span = bytes(start, end);
                    self.errors.push(YamlError::MultipleDocuments { span });
                    return ControlFlow::Break(());
                }
            }
            Event::StreamEnd => return ControlFlow::Break(()),
            Event::Alias(_) => {
                let written = self.text.get(start..end).unwrap_or_default();
                let name = written.strip_prefix('*').unwrap_or(written).to_owned();
                let span = bytes(start, end);
                self.errors.push(YamlError::Alias { name, span });
                let text = written.to_owned();
                let value = Value::String(text.clone());
                self.add(Node {
                    span,
                    kind: Kind::Scalar(Scalar { value, style: Style::Plain, text }),
                });
            }
            Event::Scalar(text, style, anchor, tag) => {
                self.properties(start, anchor, tag.as_deref());
                let node = self.scalar(text.into_owned(), Style::of(style), start, end);
                self.add(node);
            }
            Event::SequenceStart(anchor, tag) => {
                self.properties(start, anchor, tag.as_deref());
                return self.open(start, end, Body::Seq(Vec::new()));
            }
            Event::MappingStart(anchor, tag) => {
                self.properties(start, anchor, tag.as_deref());
                let body = Body::Map { entries: Vec::new(), pending: None, seen: HashMap::new() };
                return self.open(start, end, body);
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(start, end),
            Event::StreamStart | Event::DocumentEnd | Event::Nothing => {}
        }
        ControlFlow::Continue(())
    }

    /// Records a parser error, its marker made a byte offset.
    fn syntax(&mut self, error: &ScanError) {
        let at = self.offsets.byte(error.marker().index());
        // At the end of the text, past its last line, a label is not drawn:
        // point at the end of the last line that is not blank instead.
        let at = if at >= self.text.len() { self.text.trim_end().len() } else { at };
        let span = SourceSpan::new(at.into(), char_len_at(self.text, at));
        let message = lowercase_first(error.info());
        // A flow collection closed at its key's indentation: YAML 1.2 wants
        // it indented further, but several parsers accept it.
        let line = self.text[..at].rsplit('\n').next().unwrap_or_default();
        let closer = self.text[at..].starts_with([']', '}']) && line.trim().is_empty();
        let help = if message == "invalid indentation" && closer {
            "YAML 1.2 wants a flow list or map closed further right than its key, which some \
             forges' parsers do not enforce; indent the closing bracket past the key"
        } else {
            "fix the YAML syntax; cigen reads YAML 1.2 as its specification writes it"
        };
        self.errors.push(YamlError::Syntax { message, help, span });
    }

    /// Refuses the anchor and the tag of the node that starts at `start`.
    fn properties(&mut self, start: usize, anchor: usize, tag: Option<&Tag>) {
        if anchor == 0 && tag.is_none() {
            return;
        }
        let found = Properties::at(self.text, start);
        let fallback = SourceSpan::new(start.into(), char_len_at(self.text, start));
        if anchor != 0 {
            let (span, written) = found.anchor.map_or((fallback, ""), |range| self.slice(range));
            let name = written.strip_prefix('&').unwrap_or(written).to_owned();
            self.errors.push(YamlError::Anchor { name, span });
        }
        if let Some(tag) = tag {
            let (span, written) = found.tag.map_or((fallback, ""), |range| self.slice(range));
            let tag = if written.is_empty() { tag.to_string() } else { written.to_owned() };
            self.errors.push(YamlError::Tag { tag, span });
        }
    }

    fn slice(&self, (start, end): (usize, usize)) -> (SourceSpan, &'t str) {
        let text = self.text.get(start..end).unwrap_or_default();
        (bytes(start, end), text)
    }

    fn scalar(&mut self, text: String, style: Style, start: usize, end: usize) -> Node {
        let (start, end) = match style {
            Style::Literal | Style::Folded => block_span(self.text, start, end),
            // The parser puts an empty value at the `:` before it.
            Style::Plain if text.is_empty() => {
                let at = if self.text.get(start..=start) == Some(":") { start + 1 } else { start };
                (at, at)
            }
            _ => (start, end.max(start)),
        };
        let span = bytes(start, end);
        let value = if style == Style::Plain {
            plain_value(&text).unwrap_or_else(|OutOfRange| {
                self.errors.push(YamlError::IntOutOfRange { text: text.clone(), span });
                Value::String(text.clone())
            })
        } else {
            Value::String(text.clone())
        };
        Node { span, kind: Kind::Scalar(Scalar { value, style, text }) }
    }

    /// Starts a collection, unless it nests too deep.
    fn open(&mut self, start: usize, end: usize, body: Body) -> ControlFlow<()> {
        if self.stack.len() >= MAX_DEPTH {
            let span = SourceSpan::new(start.into(), char_len_at(self.text, start));
            self.errors.push(YamlError::TooDeep { max: MAX_DEPTH, span });
            return ControlFlow::Break(());
        }
        self.stack.push(Frame { start, last_end: end.max(start), body });
        ControlFlow::Continue(())
    }

    /// Ends the innermost collection; `start..end` is the end event, a `}`
    /// or `]` for a flow collection and empty for a block one.
    fn close(&mut self, start: usize, end: usize) {
        let Some(frame) = self.stack.pop() else { return };
        let mut last = frame.last_end;
        if matches!(self.text.get(start..end), Some("}" | "]")) {
            last = last.max(end);
        }
        let kind = match frame.body {
            Body::Seq(items) => Kind::Seq(items),
            Body::Map { entries, .. } => Kind::Map(entries),
        };
        self.add(Node { span: bytes(frame.start, last), kind });
    }

    /// Puts a finished node where it belongs: the root, a sequence's next
    /// item, a map's next key or the value of its pending key.
    fn add(&mut self, node: Node) {
        let Some(frame) = self.stack.last_mut() else {
            if self.root.is_none() {
                self.root = Some(node);
            }
            return;
        };
        frame.last_end = frame.last_end.max(end_of(node.span));
        match &mut frame.body {
            Body::Seq(items) => items.push(node),
            Body::Map { entries, pending, seen } => match pending.take() {
                Some(Some(key)) => entries.push(Entry { key, value: node }),
                Some(None) => {}
                None => match check_key(&node, seen) {
                    Some(error) => {
                        self.errors.push(error);
                        *pending = Some(None);
                    }
                    None => *pending = Some(Some(node)),
                },
            },
        }
    }
}

/// Why `key` cannot be the next key of a map whose keys so far are `seen`,
/// if it cannot; otherwise records it in `seen`.
fn check_key(key: &Node, seen: &mut HashMap<String, SourceSpan>) -> Option<YamlError> {
    if let Some(refusal) = key_refusal(key) {
        return Some(refusal);
    }
    let text = key.key_str().unwrap_or_default();
    match seen.get(text) {
        Some(&first) => {
            Some(YamlError::DuplicateKey { key: text.to_owned(), first, second: key.span })
        }
        None => {
            seen.insert(text.to_owned(), key.span);
            None
        }
    }
}

/// Why `key` cannot be a map key, if it cannot.
fn key_refusal(key: &Node) -> Option<YamlError> {
    let span = key.span;
    let Some(scalar) = key.scalar() else {
        return Some(YamlError::ComplexKey { found: key.what(), span });
    };
    match scalar.style {
        Style::Plain if scalar.text.is_empty() => Some(YamlError::OddKey { found: "empty", span }),
        Style::Plain if scalar.text == "<<" => Some(YamlError::MergeKey { span }),
        Style::Literal | Style::Folded => Some(YamlError::OddKey { found: "a block scalar", span }),
        _ => None,
    }
}

/// Where a node's anchor and tag are written, found in the text from the
/// node's start (the parser gives only the node's span).
#[derive(Default)]
struct Properties {
    anchor: Option<(usize, usize)>,
    tag: Option<(usize, usize)>,
}

impl Properties {
    fn at(text: &str, start: usize) -> Self {
        let mut found = Self::default();
        let mut at = start;
        for _ in 0..2 {
            let rest = text.get(at..).unwrap_or_default();
            let blanks = rest.len() - rest.trim_start_matches([' ', '\t', '\r', '\n']).len();
            at += blanks;
            let rest = text.get(at..).unwrap_or_default();
            let length = property_len(rest);
            match rest.as_bytes().first() {
                Some(b'&') if found.anchor.is_none() => found.anchor = Some((at, at + length)),
                Some(b'!') if found.tag.is_none() => found.tag = Some((at, at + length)),
                _ => break,
            }
            at += length;
        }
        found
    }
}

/// The length of the `&anchor` or `!tag` that `rest` starts with.
fn property_len(rest: &str) -> usize {
    if rest.starts_with("!<")
        && let Some(close) = rest.find('>')
    {
        return close + 1;
    }
    rest.find([' ', '\t', '\r', '\n', ',', '[', ']', '{', '}']).unwrap_or(rest.len())
}

/// The bytes of a block scalar whose content the parser put at
/// `start..end`: from its `|` or `>` to the end of its last non-blank
/// line. The parser's span starts at the content, after the header, and
/// runs over the blank lines and indentation that follow it.
fn block_span(text: &str, start: usize, end: usize) -> (usize, usize) {
    let head = text.get(..start).unwrap_or_default().trim_end_matches([' ', '\t', '\r', '\n']);
    let line_start = head.rfind(['\n', '\r']).map_or(0, |at| at + 1);
    let indicator = head.get(line_start..).and_then(header_indicator);
    let content = text.get(start..end.max(start)).unwrap_or_default();
    let filled = content.trim_end_matches([' ', '\t', '\r', '\n']).len();
    match indicator {
        Some((at, length)) if filled == 0 => (line_start + at, line_start + at + length),
        Some((at, _)) => (line_start + at, start + filled),
        None => (start, start + filled),
    }
}

/// Where a block scalar's header line `line` has its `|` or `>`, and the
/// length of the indicator with its indentation and chomping signs.
fn header_indicator(line: &str) -> Option<(usize, usize)> {
    line.match_indices(['|', '>']).find_map(|(at, _)| {
        let rest = line.get(at + 1..)?;
        let signs = rest.trim_start_matches(|c: char| c.is_ascii_digit() || c == '+' || c == '-');
        let tail = signs.trim_start_matches([' ', '\t']);
        (tail.is_empty() || tail.starts_with('#')).then(|| (at, 1 + rest.len() - signs.len()))
    })
}

/// A plain integer that does not fit in an `i128`.
struct OutOfRange;

/// The core schema's value for a plain scalar.
fn plain_value(text: &str) -> Result<Value, OutOfRange> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Ok(Value::Null),
        "true" | "True" | "TRUE" => return Ok(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Ok(Value::Bool(false)),
        ".nan" | ".NaN" | ".NAN" => return Ok(Value::Float(f64::NAN)),
        _ => {}
    }
    for (prefix, radix) in [("0o", 8), ("0x", 16)] {
        if let Some(digits) = text.strip_prefix(prefix)
            && !digits.is_empty()
            && digits.chars().all(|c| c.is_digit(radix))
        {
            return i128::from_str_radix(digits, radix).map(Value::Int).map_err(|_| OutOfRange);
        }
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().map(Value::Int).map_err(|_| OutOfRange);
    }
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") {
        let infinity = if text.starts_with('-') { f64::NEG_INFINITY } else { f64::INFINITY };
        return Ok(Value::Float(infinity));
    }
    if is_float(unsigned)
        && let Ok(float) = text.parse()
    {
        return Ok(Value::Float(float));
    }
    Ok(Value::String(text.to_owned()))
}

/// Whether `text` matches `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`.
fn is_float(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits = |from: usize| {
        bytes.get(from..).map_or(0, |rest| rest.iter().take_while(|b| b.is_ascii_digit()).count())
    };
    let mut at = digits(0);
    if at == 0 {
        let fraction = digits(1);
        if bytes.first() != Some(&b'.') || fraction == 0 {
            return false;
        }
        at = 1 + fraction;
    } else if bytes.get(at) == Some(&b'.') {
        at += 1 + digits(at + 1);
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(bytes.get(at), Some(b'-' | b'+')) {
            at += 1;
        }
        let exponent = digits(at);
        if exponent == 0 {
            return false;
        }
        at += exponent;
    }
    at == bytes.len()
}

/// Character positions made byte offsets: the parser counts characters.
struct Offsets {
    /// The byte offset of each character; `None` for ASCII text, where
    /// the two are the same.
    table: Option<Vec<usize>>,
    len: usize,
}

impl Offsets {
    fn new(text: &str) -> Self {
        let table = (!text.is_ascii()).then(|| text.char_indices().map(|(at, _)| at).collect());
        Self { table, len: text.len() }
    }

    /// The byte offset of character `index`; the end of the text past it.
    fn byte(&self, index: usize) -> usize {
        match &self.table {
            None => index.min(self.len),
            Some(table) => table.get(index).copied().unwrap_or(self.len),
        }
    }
}

/// The length of the character at byte `at`, or 0 at a line break or the
/// end: a label one character wide, or a point.
fn char_len_at(text: &str, at: usize) -> usize {
    text.get(at..)
        .and_then(|rest| rest.chars().next())
        .filter(|c| !matches!(c, '\n' | '\r'))
        .map_or(0, char::len_utf8)
}

fn lowercase_first(message: &str) -> String {
    let mut chars = message.chars();
    chars.next().map_or_else(String::new, |first| first.to_lowercase().chain(chars).collect())
}

/// The span of bytes `start..end`; empty if `end` is before `start`.
fn bytes(start: usize, end: usize) -> SourceSpan {
    SourceSpan::new(start.into(), end.saturating_sub(start))
}

fn end_of(span: SourceSpan) -> usize {
    span.offset() + span.len()
}

// ---- comparison

/// One step of a path: a map key or a sequence index.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

fn diff<'a>(ours: &'a Node, theirs: &'a Node, path: &mut Vec<Step<'a>>) -> Option<Difference> {
    match (&ours.kind, &theirs.kind) {
        (Kind::Map(mine), Kind::Map(other)) => diff_maps(ours.span, mine, other, path),
        (Kind::Seq(mine), Kind::Seq(other)) => diff_seqs(ours.span, mine, other, path),
        (Kind::Scalar(mine), Kind::Scalar(other)) if mine.value.same(&other.value) => None,
        _ => Some(difference(path, ours.span, summary(ours), summary(theirs))),
    }
}

fn diff_maps<'a>(
    span: SourceSpan,
    ours: &'a [Entry],
    theirs: &'a [Entry],
    path: &mut Vec<Step<'a>>,
) -> Option<Difference> {
    let index: HashMap<&str, &Node> =
        theirs.iter().map(|entry| (entry.key_str(), &entry.value)).collect();
    for entry in ours {
        path.push(Step::Key(entry.key_str()));
        let found = match index.get(entry.key_str()) {
            Some(other) => diff(&entry.value, other, path),
            None => Some(difference(path, entry.key.span, summary(&entry.value), "nothing".into())),
        };
        if found.is_some() {
            return found;
        }
        path.pop();
    }
    let mine: HashSet<&str> = ours.iter().map(Entry::key_str).collect();
    let extra = theirs.iter().find(|entry| !mine.contains(entry.key_str()))?;
    path.push(Step::Key(extra.key_str()));
    Some(difference(path, span, "nothing".into(), summary(&extra.value)))
}

fn diff_seqs<'a>(
    span: SourceSpan,
    ours: &'a [Node],
    theirs: &'a [Node],
    path: &mut Vec<Step<'a>>,
) -> Option<Difference> {
    for (at, (mine, other)) in ours.iter().zip(theirs).enumerate() {
        path.push(Step::Index(at));
        let found = diff(mine, other, path);
        if found.is_some() {
            return found;
        }
        path.pop();
    }
    let at = ours.len().min(theirs.len());
    let (ours, theirs, span) = match (ours.get(at), theirs.get(at)) {
        (Some(mine), None) => (summary(mine), "nothing".to_owned(), mine.span),
        (None, Some(other)) => ("nothing".to_owned(), summary(other), span),
        _ => return None,
    };
    path.push(Step::Index(at));
    Some(difference(path, span, ours, theirs))
}

fn difference(path: &[Step<'_>], span: SourceSpan, ours: String, theirs: String) -> Difference {
    Difference { path: render_path(path), span, ours, theirs }
}

/// `jobs.test.steps[2]`, with `["…"]` for keys that are not plain names.
fn render_path(path: &[Step<'_>]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Index(at) => out.push_str(&format!("[{at}]")),
            Step::Key(key) if is_name(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Step::Key(key) => out.push_str(&format!("[{key:?}]")),
        }
    }
    out
}

fn is_name(key: &str) -> bool {
    !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// A node as a difference shows it: "the string `push`", "a map of 2 keys".
fn summary(node: &Node) -> String {
    match &node.kind {
        Kind::Map(entries) => format!("a map of {}", count(entries.len(), "key")),
        Kind::Seq(items) => format!("a sequence of {}", count(items.len(), "item")),
        Kind::Scalar(scalar) => {
            let noun = match scalar.value {
                Value::Null => return "null".to_owned(),
                Value::Bool(_) => "the boolean",
                Value::Int(_) => "the integer",
                Value::Float(_) => "the float",
                Value::String(_) => "the string",
            };
            format!("{noun} `{}`", short(&scalar.text))
        }
    }
}

fn count(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

/// At most 40 characters of `text`, line breaks and controls escaped.
fn short(text: &str) -> String {
    const MAX: usize = 40;
    let mut out = String::new();
    for c in text.chars().take(MAX) {
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    if text.chars().nth(MAX).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flow_list_closed_at_its_key_is_read_with_spans_in_the_file() {
        let text = "jobs:\n  a:\n    m: [\n      'x',\n      'y'\n    ]\n    n: z\n";
        let root = parse(text).expect("read leniently");
        let a = root.get("jobs").and_then(|j| j.get("a")).expect("job a");
        let m = a.get("m").expect("m");
        assert_eq!(m.items().len(), 2);
        let at = |node: &Node| &text[node.span.offset()..node.span.offset() + node.span.len()];
        assert_eq!(at(&m.items()[1]), "'y'");
        assert_eq!(at(a.get("n").expect("n")), "z");
        assert!(at(m).starts_with('[') && at(m).ends_with(']'), "{}", at(m));
        // Other indentation mistakes stay errors.
        assert!(parse("a:\n  b: 1\n c: 2\n").is_err());
    }
    use proptest::prelude::*;

    fn root(text: &str) -> Node {
        parse(text).unwrap_or_else(|errors| panic!("{text:?}: {errors:?}"))
    }

    /// The text a span covers.
    fn at(text: &str, span: SourceSpan) -> &str {
        &text[span.offset()..span.offset() + span.len()]
    }

    /// The value of `k` in `k: {written}`.
    fn typed(written: &str) -> Value {
        let text = format!("k: {written}\n");
        root(&text).get("k").and_then(Node::scalar).expect("a scalar").value.clone()
    }

    /// Each refusal: its message and the text its span covers.
    fn refusals(text: &str) -> Vec<(String, &str)> {
        let errors = parse(text).expect_err(text);
        errors.iter().map(|e| (e.to_string(), at(text, e.span()))).collect()
    }

    /// Each label of the only refusal: its text and what its span covers.
    fn labels(text: &str) -> Vec<(String, &str)> {
        let errors = parse(text).expect_err(text);
        assert_eq!(errors.len(), 1, "{errors:?}");
        let labels = errors[0].labels().expect("labels");
        labels.map(|l| (l.label().unwrap_or_default().to_owned(), at(text, *l.inner()))).collect()
    }

    fn string(text: &str) -> Value {
        Value::String(text.to_owned())
    }

    #[test]
    fn plain_scalars_follow_the_core_schema() {
        for null in ["null", "Null", "NULL", "~", ""] {
            assert_eq!(typed(null), Value::Null, "{null:?}");
        }
        for (written, value) in [("true", true), ("True", true), ("TRUE", true)] {
            assert_eq!(typed(written), Value::Bool(value));
        }
        for written in ["false", "False", "FALSE"] {
            assert_eq!(typed(written), Value::Bool(false));
        }
        for (written, value) in [
            ("0", 0),
            ("-12", -12),
            ("+7", 7),
            ("0777", 777),
            ("0o17", 15),
            ("0x1F", 31),
            ("0xff", 255),
            ("-0", 0),
        ] {
            assert_eq!(typed(written), Value::Int(value), "{written}");
        }
        for (written, value) in [
            ("1.5", 1.5),
            ("-.5", -0.5),
            ("+1.", 1.0),
            ("3.10", 3.1),
            ("1e3", 1000.0),
            ("1E-2", 0.01),
            ("+.5e+1", 5.0),
            (".inf", f64::INFINITY),
            ("+.Inf", f64::INFINITY),
            ("-.INF", f64::NEG_INFINITY),
        ] {
            assert_eq!(typed(written), Value::Float(value), "{written}");
        }
        for nan in [".nan", ".NaN", ".NAN"] {
            assert!(matches!(typed(nan), Value::Float(f) if f.is_nan()), "{nan}");
        }
        for text in [
            "on",
            "off",
            "yes",
            "no",
            "y",
            "n",
            "tRue",
            "nULL",
            "0x",
            "0o8",
            "-0x1",
            "0b1",
            "1_000",
            "1.2.3",
            "2024-01-01",
            "1e",
            ".e1",
            ".",
            "+",
            "inf",
            "nan",
            ".Nan",
            "1:20",
            "12:30:00",
            "v1.0",
            "0x1G",
            "1e+",
            "push",
        ] {
            assert_eq!(typed(text), string(text), "{text}");
        }
    }

    #[test]
    fn quoted_and_block_scalars_are_strings() {
        assert_eq!(typed("'true'"), string("true"));
        assert_eq!(typed("\"1\""), string("1"));
        assert_eq!(typed("'null'"), string("null"));
        assert_eq!(typed("''"), string(""));
        assert_eq!(typed("\"~\""), string("~"));
        assert_eq!(typed("\"a\\tb\\u00e9\""), string("a\tbé"));
        assert_eq!(typed("'it''s'"), string("it's"));
        assert_eq!(typed("|\n  1\n"), string("1\n"));
        assert_eq!(typed(">-\n  true\n  x\n"), string("true x"));
        let scalar = |written: &str| {
            root(&format!("k: {written}\n")).get("k").and_then(Node::scalar).cloned().unwrap()
        };
        assert_eq!(scalar("'a'").style, Style::SingleQuoted);
        assert_eq!(scalar("\"a\"").style, Style::DoubleQuoted);
        assert_eq!(scalar("|\n  a").style, Style::Literal);
        assert_eq!(scalar(">\n  a").style, Style::Folded);
        assert_eq!(scalar("a").style, Style::Plain);
        assert_eq!(scalar("\"x\\ny\"").text, "x\ny");
    }

    #[test]
    fn integers_beyond_128_bits_are_refused() {
        let big = "999999999999999999999999999999999999999999";
        assert_eq!(
            refusals(&format!("a: {big}\n")),
            [(format!("integer `{big}` is out of range"), big)]
        );
        assert_eq!(refusals("a: 0x1000000000000000000000000000000000\n").len(), 1);
        assert_eq!(typed(&format!("'{big}'")), string(big));
        assert_eq!(typed("-170141183460469231731687303715884105728"), Value::Int(i128::MIN));
    }

    #[test]
    fn accessors() {
        let tree = root("on: push\njobs:\n  a: {x: 1}\nlist: [1, two]\n1: one\ntrue: yes\n");
        assert_eq!(tree.get("on").and_then(Node::as_str), Some("push"));
        assert_eq!(tree.get("jobs").map(|j| j.entries().len()), Some(1));
        assert_eq!(tree.get("list").map(|l| l.items().len()), Some(2));
        assert_eq!(tree.get("list").and_then(|l| l.items()[0].as_str()), None);
        assert_eq!(tree.get("1").and_then(Node::as_str), Some("one"));
        assert_eq!(tree.get("true").and_then(Node::as_str), Some("yes"));
        assert!(tree.get("missing").is_none());
        assert!(tree.items().is_empty() && tree.as_str().is_none() && tree.key_str().is_none());
        let keys: Vec<&str> = tree.entries().iter().map(Entry::key_str).collect();
        assert_eq!(keys, ["on", "jobs", "list", "1", "true"]);
        assert_eq!(tree.what(), "a map");
        assert_eq!(tree.get("list").map(Node::what), Some("a sequence"));
        assert_eq!(tree.get("1").map(Node::what), Some("a string"));
        assert!(root("a:\n").get("a").is_some_and(Node::is_null));
    }

    #[test]
    fn spans_are_bytes_after_non_ascii_text() {
        let text = "ü: \"ö€\"\nnäme: wert\nlist: [é, {ß: 𝄞}]\n";
        let tree = root(text);
        let entry = tree.entry("näme").unwrap();
        assert_eq!(at(text, entry.key.span), "näme");
        assert_eq!(at(text, entry.value.span), "wert");
        assert_eq!(at(text, entry.span()), "näme: wert");
        assert_eq!(at(text, tree.get("ü").unwrap().span), "\"ö€\"");
        let list = tree.get("list").unwrap();
        assert_eq!(at(text, list.span), "[é, {ß: 𝄞}]");
        assert_eq!(at(text, list.items()[1].span), "{ß: 𝄞}");
        assert_eq!(at(text, list.items()[1].get("ß").unwrap().span), "𝄞");
        assert_eq!(at(text, tree.span), text.trim_end());
    }

    #[test]
    fn spans_skip_a_byte_order_mark_and_count_crlf() {
        let text = "\u{feff}a: 1\r\nb: [x,\r\n  y]\r\nc: ä\r\n";
        let tree = root(text);
        assert_eq!(at(text, tree.entries()[0].key.span), "a");
        assert_eq!(at(text, tree.get("b").unwrap().span), "[x,\r\n  y]");
        assert_eq!(at(text, tree.get("c").unwrap().span), "ä");
    }

    #[test]
    fn spans_of_block_collections_and_empty_values() {
        let text = "jobs:\n  test:\n    steps:\n      - run: make\n      - uses: x\n        with:\n    if: a\n";
        let tree = root(text);
        let jobs = tree.get("jobs").unwrap();
        assert_eq!(at(text, jobs.span), &text[8..text.len() - 1]);
        let steps = jobs.get("test").and_then(|t| t.get("steps")).unwrap();
        assert_eq!(at(text, steps.span), "- run: make\n      - uses: x\n        with:");
        assert_eq!(at(text, steps.items()[0].span), "run: make");
        let with = steps.items()[1].get("with").unwrap();
        assert!(with.is_null());
        assert_eq!(with.span.len(), 0);
        assert_eq!(&text[with.span.offset() - 1..with.span.offset()], ":");
        let step = &steps.items()[1];
        assert_eq!(at(text, step.entries()[1].span()), "with:");
    }

    #[test]
    fn spans_of_block_scalars_run_from_the_indicator_to_the_last_line() {
        let text = "a: |\n  echo 1\n  # inside\n\n\nb: >- # note | here\n\n  folded\n  text  \n\nc: |+2\n    kept\n\nd: |\ne: end\n- x: |\n";
        let text = &text[..text.len() - "- x: |\n".len()];
        let tree = root(text);
        assert_eq!(at(text, tree.get("a").unwrap().span), "|\n  echo 1\n  # inside");
        assert_eq!(at(text, tree.get("b").unwrap().span), ">- # note | here\n\n  folded\n  text");
        assert_eq!(at(text, tree.get("c").unwrap().span), "|+2\n    kept");
        assert_eq!(tree.get("c").and_then(Node::as_str), Some("  kept\n\n"));
        assert_eq!(at(text, tree.get("d").unwrap().span), "|");
        assert_eq!(tree.get("d").and_then(Node::as_str), Some(""));
        let list = "k:\n- |\n  x\n- >\n  y\n";
        let items = root(list);
        let spans: Vec<&str> =
            items.get("k").unwrap().items().iter().map(|item| at(list, item.span)).collect();
        assert_eq!(spans, ["|\n  x", ">\n  y"]);
        let end = "k: |-\n  last";
        assert_eq!(at(end, root(end).get("k").unwrap().span), "|-\n  last");
        let empty_at_end = "k: |";
        assert_eq!(at(empty_at_end, root(empty_at_end).get("k").unwrap().span), "|");
    }

    #[test]
    fn syntax_errors_point_at_the_parser_marker_in_bytes() {
        let text = "é: [a\nb: 1\n";
        let errors = parse(text).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(matches!(errors[0], YamlError::Syntax { .. }));
        assert_eq!(errors[0].span().offset(), "é: [a\nb".len());
        assert_eq!(at(text, errors[0].span()), ":");
        let message = errors[0].to_string();
        assert!(message.starts_with(|c: char| !c.is_uppercase()), "{message}");
        let eof = "a:\n  - c: [1, 2\n\n";
        let errors = parse(eof).unwrap_err();
        assert_eq!(errors[0].span().offset(), eof.trim_end().len());
        let tabs = "a:\n\tb: 1\n";
        assert!(matches!(parse(tabs).unwrap_err()[..], [YamlError::Syntax { .. }]));
        assert_eq!(lowercase_first("Found x"), "found x");
        assert_eq!(lowercase_first(""), "");
    }

    #[test]
    fn refusals_found_before_a_syntax_error_are_kept() {
        let text = "a: &x 1\nb: [\n";
        let found = refusals(text);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0], ("anchor `&x` is not imported".to_owned(), "&x"));
    }

    #[test]
    fn duplicate_keys_label_both() {
        assert_eq!(
            labels("on: push\njobs: {}\n\"on\": pull_request\n"),
            [("first defined here".to_owned(), "on"), ("again here".to_owned(), "\"on\"")]
        );
        let nested = "jobs:\n  a: {x: 1, x: 2}\n";
        assert_eq!(refusals(nested), [("duplicate key `x`".to_owned(), "x")]);
        assert_eq!(refusals(nested)[0].1.as_ptr(), nested[18..].as_ptr());
        assert!(parse("01: a\n1: b\n").is_ok(), "keys compare by text");
    }

    #[test]
    fn anchors_aliases_merge_keys_and_tags_are_refused() {
        let text = "a: &x {b: 1}\nc: *x\nd: !!str 3\ne: !ref\n  - 1\nf:\n  <<: *x\ng: !<tag:x> w\nh: ! z\ni: &y !t\n";
        assert_eq!(
            refusals(text),
            [
                ("anchor `&x` is not imported".to_owned(), "&x"),
                ("alias `*x` is not imported".to_owned(), "*x"),
                ("tag `!!str` is not imported".to_owned(), "!!str"),
                ("tag `!ref` is not imported".to_owned(), "!ref"),
                ("merge key `<<` is not imported".to_owned(), "<<"),
                ("alias `*x` is not imported".to_owned(), "*x"),
                ("tag `!<tag:x>` is not imported".to_owned(), "!<tag:x>"),
                ("tag `!` is not imported".to_owned(), "!"),
                ("anchor `&y` is not imported".to_owned(), "&y"),
                ("tag `!t` is not imported".to_owned(), "!t"),
            ]
        );
        assert!(parse("a: \"<<\"\n").is_ok(), "a quoted `<<` is a plain key");
        assert_eq!(refusals("a: *nowhere\n").len(), 1);
    }

    #[test]
    fn more_than_one_document_is_refused() {
        assert_eq!(
            refusals("a: 1\n---\nb: 2\n"),
            [("the file holds more than one YAML document".to_owned(), "---")]
        );
        assert_eq!(refusals("a: 1\n...\nb: 2\n").len(), 1);
        assert_eq!(refusals("a: 1\n---\n").len(), 1);
        assert!(parse("---\na: 1\n...\n").is_ok(), "markers around one document");
        assert!(parse("%YAML 1.2\n---\na: 1\n").is_ok());
    }

    #[test]
    fn an_empty_file_or_a_root_that_is_not_a_map_is_refused() {
        for empty in ["", "# only a comment\n", "---\n", "\n\n"] {
            let errors = parse(empty).unwrap_err();
            assert!(matches!(errors[..], [YamlError::Empty { .. }]), "{empty:?}: {errors:?}");
        }
        assert_eq!(
            refusals("- a\n- b\n"),
            [("the document is a sequence, not a map".to_owned(), "- a\n- b")]
        );
        assert_eq!(
            refusals("hello\n"),
            [("the document is a string, not a map".to_owned(), "hello")]
        );
        assert_eq!(refusals("~\n")[0].0, "the document is null, not a map");
        assert!(parse("{}").is_ok());
    }

    #[test]
    fn keys_must_be_plain_or_quoted_scalars() {
        assert_eq!(refusals("? [a, b]\n: x\n"), [("a map key is a sequence".to_owned(), "[a, b]")]);
        assert_eq!(refusals("{[a]: b}\n")[0].1, "[a]");
        assert_eq!(refusals("? {a: 1}\n: x\n")[0].0, "a map key is a map");
        assert_eq!(
            refusals("? |\n  k\n: v\n"),
            [("a map key is a block scalar".to_owned(), "|\n  k")]
        );
        let empty = refusals("a: 1\n: x\n");
        assert_eq!(empty, [("a map key is empty".to_owned(), "")]);
        assert!(parse("\"\": x\n").is_ok(), "a quoted empty key is a string");
    }

    #[test]
    fn deep_nesting_is_refused_without_overflowing() {
        let deep = format!("a: {}{}\n", "[".repeat(MAX_DEPTH + 10), "]".repeat(MAX_DEPTH + 10));
        let errors = parse(&deep).unwrap_err();
        assert!(
            errors
                .iter()
                .any(|e| matches!(e, YamlError::TooDeep { .. })
                    || matches!(e, YamlError::Syntax { .. })),
            "{errors:?}"
        );
        let ok = format!("a: {}{}\n", "[".repeat(MAX_DEPTH - 1), "]".repeat(MAX_DEPTH - 1));
        assert!(parse(&ok).is_ok());
        let block: String =
            (0..MAX_DEPTH + 5).map(|level| format!("{}k{level}:\n", "  ".repeat(level))).collect();
        let errors = parse(&block).unwrap_err();
        assert!(matches!(errors[..], [YamlError::TooDeep { .. }]), "{errors:?}");
        assert_eq!(at(&block, errors[0].span()), "k");
    }

    #[test]
    fn every_refusal_is_reported_in_file_order() {
        let text = "b: 1\nx: !t 2\nb: 3\nc: &a 4\n";
        let messages: Vec<String> = refusals(text).into_iter().map(|(m, _)| m).collect();
        assert_eq!(
            messages,
            ["tag `!t` is not imported", "duplicate key `b`", "anchor `&a` is not imported"]
        );
        for error in parse(text).unwrap_err() {
            assert!(error.help().is_some() && error.code().is_some(), "{error}");
        }
    }

    #[test]
    fn same_data_ignores_order_spans_and_styles() {
        let a = root("on: push\njobs:\n  a: {x: 1, y: [1, 'b']}\n");
        let b = root("jobs:\n  a:\n    y:\n      - 1\n      - \"b\"\n    x: 1\n\"on\": 'push'\n");
        assert!(a.same_data(&b) && b.same_data(&a));
        assert!(a.same_data(&a));
        assert!(!root("on: push\n").same_data(&root("on: [push]\n")));
        assert!(!root("a: '1'\n").same_data(&root("a: 1\n")));
        assert!(!root("a: 1\n").same_data(&root("a: 1.0\n")));
        assert!(!root("a: [1, 2]\n").same_data(&root("a: [2, 1]\n")));
        assert!(root("1: x\n").same_data(&root("'1': x\n")));
        assert!(!root("01: x\n").same_data(&root("1: x\n")));
        assert!(root("a: .nan\n").same_data(&root("a: .NaN\n")));
        assert!(root("a: ~\n").same_data(&root("a:\n")));
        assert!(root("a: 0x10\n").same_data(&root("a: 16\n")));
        assert!(!root("a: {}\n").same_data(&root("a: []\n")));
        assert!(!root("a: 1\n").same_data(&root("a: 1\nb: 2\n")));
    }

    #[test]
    fn difference_names_the_first_place() {
        let ours = "jobs:\n  test:\n    steps:\n      - run: a\n      - run: b\n      - with: {name: x, v: 1}\n";
        let theirs = "jobs:\n  test:\n    steps:\n      - run: a\n      - run: b\n      - with: {v: 1, name: y}\n";
        let found = root(ours).difference(&root(theirs)).unwrap();
        assert_eq!(found.path, "jobs.test.steps[2].with.name");
        assert_eq!(at(ours, found.span), "x");
        assert_eq!(
            (found.ours.as_str(), found.theirs.as_str()),
            ("the string `x`", "the string `y`")
        );
        assert_eq!(
            found.to_string(),
            "at `jobs.test.steps[2].with.name`: the string `x` here, the string `y` there"
        );

        let text = "a: 1\nb: [x]\n";
        let only_ours = root(text).difference(&root("b: [x]\n")).unwrap();
        assert_eq!((only_ours.path.as_str(), at(text, only_ours.span)), ("a", "a"));
        assert_eq!(
            (only_ours.ours.as_str(), only_ours.theirs.as_str()),
            ("the integer `1`", "nothing")
        );
        let only_theirs = root(text).difference(&root("a: 1\nb: [x]\nc: true\n")).unwrap();
        assert_eq!(only_theirs.path, "c");
        assert_eq!(at(text, only_theirs.span), text.trim_end());
        assert_eq!(
            (only_theirs.ours.as_str(), only_theirs.theirs.as_str()),
            ("nothing", "the boolean `true`")
        );

        let longer = root(text).difference(&root("a: 1\nb: [x, {k: v}]\n")).unwrap();
        assert_eq!((longer.path.as_str(), longer.theirs.as_str()), ("b[1]", "a map of 1 key"));
        assert_eq!(at(text, longer.span), "[x]");
        let shorter = root("b: [x, y]\n").difference(&root("b: [x]\n")).unwrap();
        assert_eq!((shorter.path.as_str(), shorter.ours.as_str()), ("b[1]", "the string `y`"));

        let kinds = root("on: push\n").difference(&root("on: [push, pull]\n")).unwrap();
        assert_eq!(
            (kinds.ours.as_str(), kinds.theirs.as_str()),
            ("the string `push`", "a sequence of 2 items")
        );
        let odd = root("\"a.b\": {\"\": 1}\n").difference(&root("\"a.b\": {\"\": 2}\n")).unwrap();
        assert_eq!(odd.path, "[\"a.b\"][\"\"]");
        let nulls = root("a: 1\n").get("a").unwrap().difference(root("a:\n").get("a").unwrap());
        let nulls = nulls.unwrap();
        assert_eq!((nulls.path.as_str(), nulls.theirs.as_str()), ("", "null"));
        assert_eq!(nulls.to_string(), "at the root: the integer `1` here, null there");
        let long =
            root(&format!("a: \"{}\\n\"\n", "x".repeat(50))).difference(&root("a: b\n")).unwrap();
        assert_eq!(long.ours, format!("the string `{}…`", "x".repeat(40)));
        let lines = root("a: \"x\\ny\"\n").difference(&root("a: b\n")).unwrap();
        assert_eq!(lines.ours, "the string `x\\ny`");
        let quotes = root("a: \"it's \\\"q\\\"\"\n").difference(&root("a: b\n")).unwrap();
        assert_eq!(quotes.ours, "the string `it's \"q\"`");
        assert!(root(ours).difference(&root(ours)).is_none());
    }

    #[test]
    fn comments_are_full_lines_outside_scalars() {
        let text = "# top\non: push   # trailing, not a full line\njobs:\n  test:\n    steps:\n      - run: |\n          echo 1\n          # inside the script\n\n      #  indented\n      - name: \"x # y\"\n        env:\n          A: \"first\n            # inside a quoted string\n            last\"\n          B: 'one\n\n            # single quoted'\n    #no space\n    with: [a,\n      # in a flow sequence\n      b]\n# end\n";
        let tree = root(text);
        let found = comments(text, &tree);
        let summary: Vec<(usize, &str, &str)> =
            found.iter().map(|c| (c.line, c.text.as_str(), at(text, c.span))).collect();
        assert_eq!(
            summary,
            [
                (0, "top", "# top"),
                (9, " indented", "#  indented"),
                (18, "no space", "#no space"),
                (20, "in a flow sequence", "# in a flow sequence"),
                (22, "end", "# end"),
            ]
        );
        let run = tree.get("jobs").and_then(|j| j.get("test")).and_then(|t| t.get("steps"));
        let run = run.and_then(|s| s.items()[0].get("run")).and_then(Node::as_str);
        assert_eq!(run, Some("echo 1\n# inside the script\n"));
    }

    #[test]
    fn a_comment_line_ends_a_block_scalar_only_when_less_indented() {
        let text =
            "a: |\n  x\n  # last line of the script\nb: |\n  y\n# a comment\nc: 1\r\n  # crlf\r\n";
        let tree = root(text);
        let found: Vec<(usize, String)> =
            comments(text, &tree).into_iter().map(|c| (c.line, c.text)).collect();
        assert_eq!(found, [(5, "a comment".to_owned()), (7, "crlf".to_owned())]);
        assert_eq!(tree.get("a").and_then(Node::as_str), Some("x\n# last line of the script\n"));
    }

    // ---- properties

    /// Data to write out as YAML and read back; `bool` asks for flow style.
    #[derive(Clone, Debug)]
    enum Data {
        Null(u8),
        Bool(bool),
        Int(i64),
        Float(f64),
        Str(String),
        Seq(Vec<Data>, bool),
        Map(Vec<(String, Data)>, bool),
    }

    fn data() -> impl Strategy<Value = Data> {
        let text = prop_oneof![
            "[a-z][a-z0-9_-]{0,8}",
            any::<String>(),
            "[ -~]{0,12}",
            "[a-z][a-z #:'\"]{0,6}(\n[a-z][a-z #:]{0,6}){1,3}",
        ];
        let leaf = prop_oneof![
            (0u8..3).prop_map(Data::Null),
            any::<bool>().prop_map(Data::Bool),
            any::<i64>().prop_map(Data::Int),
            any::<f64>().prop_map(Data::Float),
            text.prop_map(Data::Str),
        ];
        leaf.prop_recursive(4, 48, 5, |inner| {
            prop_oneof![
                (prop::collection::vec(inner.clone(), 0..5), any::<bool>())
                    .prop_map(|(items, flow)| Data::Seq(items, flow)),
                (prop::collection::btree_map(key(), inner, 0..5), any::<bool>())
                    .prop_map(|(map, flow)| Data::Map(map.into_iter().collect(), flow)),
            ]
        })
    }

    fn key() -> impl Strategy<Value = String> {
        prop_oneof!["[a-z][a-z0-9_-]{0,6}", "[ -~]{0,6}", "\\PC{0,4}"]
    }

    /// Written plain, a string that stays a string.
    fn plain_safe(text: &str) -> bool {
        let mut chars = text.chars();
        chars.next().is_some_and(|c| c.is_ascii_lowercase())
            && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
            && !matches!(text, "null" | "true" | "false")
    }

    /// Written as a `|-` block, a string that reads back the same.
    fn block_safe(text: &str) -> bool {
        text.contains('\n')
            && text.split('\n').all(|line| line.starts_with(|c: char| c.is_ascii_lowercase()))
            && !text.contains(" #")
            && !text.ends_with(' ')
            && !text.contains(" \n")
    }

    fn quoted(text: &str) -> String {
        let mut out = String::from("\"");
        for c in text.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                ' '..='~' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..
                    if !matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') =>
                {
                    out.push(c)
                }
                c => out.push_str(&format!("\\U{:08X}", u32::from(c))),
            }
        }
        out.push('"');
        out
    }

    fn write_key(key: &str) -> String {
        if plain_safe(key) { key.to_owned() } else { quoted(key) }
    }

    /// A scalar or flow collection on one line.
    fn inline(data: &Data) -> String {
        match data {
            Data::Null(1) => "~".to_owned(),
            Data::Null(_) => "null".to_owned(),
            Data::Bool(b) => b.to_string(),
            Data::Int(i) => i.to_string(),
            Data::Float(f) if f.is_nan() => ".nan".to_owned(),
            Data::Float(f) if f.is_infinite() => {
                (if *f > 0.0 { ".inf" } else { "-.inf" }).to_owned()
            }
            Data::Float(f) => format!("{f:?}"),
            Data::Str(s) if plain_safe(s) => s.clone(),
            Data::Str(s) => quoted(s),
            Data::Seq(items, _) => {
                let items: Vec<String> = items.iter().map(inline).collect();
                format!("[{}]", items.join(", "))
            }
            Data::Map(entries, _) => {
                let entries: Vec<String> = entries
                    .iter()
                    .map(|(k, v)| format!("{}: {}", write_key(k), inline(v)))
                    .collect();
                format!("{{{}}}", entries.join(", "))
            }
        }
    }

    /// Writes `data` after a `key:` or `-` at `indent`, through the end of
    /// its last line.
    fn write_value(data: &Data, indent: usize, out: &mut String) {
        match data {
            Data::Map(entries, false) if !entries.is_empty() => {
                out.push('\n');
                write_map(entries, indent + 2, out);
            }
            Data::Seq(items, false) if !items.is_empty() => {
                out.push('\n');
                for item in items {
                    out.push_str(&" ".repeat(indent + 2));
                    out.push('-');
                    write_value(item, indent + 2, out);
                }
            }
            Data::Str(s) if block_safe(s) => {
                out.push_str(" |-\n");
                for line in s.split('\n') {
                    out.push_str(&format!("{}{line}\n", " ".repeat(indent + 2)));
                }
            }
            Data::Null(2) => out.push('\n'),
            _ => out.push_str(&format!(" {}\n", inline(data))),
        }
    }

    fn write_map(entries: &[(String, Data)], indent: usize, out: &mut String) {
        for (key, value) in entries {
            out.push_str(&format!("{}{}:", " ".repeat(indent), write_key(key)));
            write_value(value, indent, out);
        }
    }

    fn matches(node: &Node, data: &Data) -> bool {
        match (data, &node.kind) {
            (Data::Seq(items, _), Kind::Seq(nodes)) => {
                items.len() == nodes.len() && items.iter().zip(nodes).all(|(d, n)| matches(n, d))
            }
            (Data::Map(entries, _), Kind::Map(nodes)) => {
                entries.len() == nodes.len()
                    && entries
                        .iter()
                        .zip(nodes)
                        .all(|((k, v), e)| e.key_str() == k && matches(&e.value, v))
            }
            (_, Kind::Scalar(scalar)) => {
                let expected = match data {
                    Data::Null(_) => Value::Null,
                    Data::Bool(b) => Value::Bool(*b),
                    Data::Int(i) => Value::Int(i128::from(*i)),
                    Data::Float(f) => Value::Float(*f),
                    Data::Str(s) => Value::String(s.clone()),
                    _ => return false,
                };
                scalar.value.same(&expected)
            }
            _ => false,
        }
    }

    /// Every span lies in the text on character boundaries; a plain scalar
    /// on one line spans exactly its text.
    fn spans_fit(text: &str, node: &Node) -> bool {
        let start = node.span.offset();
        let Some(covered) = text.get(start..start + node.span.len()) else { return false };
        match &node.kind {
            Kind::Map(entries) => entries.iter().all(|e| {
                spans_fit(text, &e.key)
                    && spans_fit(text, &e.value)
                    && text.get(start..end_of(e.span())).is_some()
            }),
            Kind::Seq(items) => items.iter().all(|item| spans_fit(text, item)),
            Kind::Scalar(s) if s.style == Style::Plain && !covered.contains(['\n', '\r']) => {
                covered == s.text
            }
            Kind::Scalar(_) => true,
        }
    }

    const WORKFLOW: &str = "name: CI\non:\n  push:\n    branches: [main]\n  pull_request:\njobs:\n  test:\n    runs-on: ubuntu-latest  # trailing\n    strategy:\n      matrix:\n        os: [ubuntu-latest, \"windows-latest\"]\n    steps:\n      - uses: actions/checkout@v4\n      # a comment\n      - name: Run\n        run: |\n          cargo test\n          # inside\n        env:\n          RUST_LOG: 'debug'\n      - run: >-\n          folded\n          text\n";

    const TOKENS: &[&str] = &[
        ":",
        " ",
        "\n",
        "- ",
        "[",
        "]",
        "{",
        "}",
        ",",
        "? ",
        "&a ",
        "*a",
        "!t ",
        "|",
        ">",
        "'",
        "\"",
        "#",
        "---\n",
        "...",
        "\t",
        "é",
        "\\",
        "<<: ",
        "%YAML 1.2\n",
        "\r",
        "\u{feff}",
        "  ",
        "x: 1\n",
    ];

    fn mangle(base: &str, edits: &[(usize, usize, u8)]) -> String {
        let mut chars: Vec<char> = base.chars().collect();
        for &(at, token, op) in edits {
            let at = at % (chars.len() + 1);
            match op {
                0 if at < chars.len() => {
                    chars.remove(at);
                }
                1 => {
                    let token = TOKENS[token % TOKENS.len()];
                    chars.splice(at..at, token.chars());
                }
                _ => {
                    let end = (at + token % 40).min(chars.len());
                    let copy: Vec<char> = chars[at..end].to_vec();
                    chars.splice(at..at, copy);
                }
            }
        }
        chars.into_iter().collect()
    }

    fn check_whatever_parses(text: &str) -> Result<(), TestCaseError> {
        match parse(text) {
            Ok(tree) => {
                prop_assert!(tree.same_data(&tree));
                prop_assert!(spans_fit(text, &tree), "{text:?}");
                for comment in comments(text, &tree) {
                    prop_assert!(text.get(comment.span.offset()..end_of(comment.span)).is_some());
                }
            }
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                for error in &errors {
                    let span = error.span();
                    prop_assert!(text.get(span.offset()..end_of(span)).is_some(), "{error:?}");
                }
            }
        }
        Ok(())
    }

    #[test]
    fn the_workflow_sample_parses() {
        let tree = root(WORKFLOW);
        assert_eq!(comments(WORKFLOW, &tree).len(), 1);
        assert!(spans_fit(WORKFLOW, &tree));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn parse_never_panics_on_any_string(text in any::<String>()) {
            check_whatever_parses(&text)?;
        }

        #[test]
        fn parse_never_panics_on_yaml_like_text(text in "[a-z0-9:\\- \n\\[\\]{},#&*!|>'\"?.~%@é\t]{0,80}") {
            check_whatever_parses(&text)?;
        }

        #[test]
        fn parse_never_panics_on_mangled_workflows(
            edits in prop::collection::vec((any::<usize>(), any::<usize>(), 0u8..3), 1..6)
        ) {
            check_whatever_parses(&mangle(WORKFLOW, &edits))?;
        }

        #[test]
        fn written_data_reads_back(
            entries in prop::collection::btree_map(key(), data(), 0..6)
        ) {
            let entries: Vec<(String, Data)> = entries.into_iter().collect();
            let mut text = String::new();
            write_map(&entries, 0, &mut text);
            if entries.is_empty() {
                text.push_str("{}\n");
            }
            let tree = parse(&text).map_err(|e| TestCaseError::fail(format!("{text}\n{e:?}")))?;
            prop_assert!(matches(&tree, &Data::Map(entries, false)), "{text}\n{tree:#?}");
            prop_assert!(spans_fit(&text, &tree), "{text}");
            prop_assert!(tree.same_data(&tree));
        }
    }
}
