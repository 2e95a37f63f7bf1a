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
    /// (`key:` with nothing after it) is an empty span where the parser
    /// placed it, at the `:`.
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
    #[diagnostic(
        code(cigen::yaml::syntax),
        help("fix the YAML syntax: GitHub and Forgejo refuse this file too")
    )]
    Syntax {
        /// The parser's message.
        message: String,
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
pub fn parse(text: &str) -> Result<Node, Vec<YamlError>> {
    let mut builder = Builder::new(text);
    builder.run();
    builder.finish()
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
        SourceSpan::new(start.into(), end - start)
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

impl From<ScalarStyle> for Style {
    fn from(style: ScalarStyle) -> Self {
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
        let syntax = self.errors.iter().any(|e| matches!(e, YamlError::Syntax { .. }));
        match &self.root {
            None if !syntax => {
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
                    let span = SourceSpan::new(start.into(), end.saturating_sub(start));
                    self.errors.push(YamlError::MultipleDocuments { span });
                    return ControlFlow::Break(());
                }
            }
            Event::StreamEnd => return ControlFlow::Break(()),
            Event::Alias(_) => {
                let written = self.text.get(start..end).unwrap_or_default();
                let name = written.strip_prefix('*').unwrap_or(written).to_owned();
                let span = SourceSpan::new(start.into(), end - start);
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
                let node = self.scalar(text.into_owned(), style.into(), start, end);
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
        let span = SourceSpan::new(at.into(), char_len_at(self.text, at));
        self.errors.push(YamlError::Syntax { message: lowercase_first(error.info()), span });
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
        (SourceSpan::new(start.into(), end - start), text)
    }

    fn scalar(&mut self, text: String, style: Style, start: usize, end: usize) -> Node {
        let (start, end) = match style {
            Style::Literal | Style::Folded => block_span(self.text, start, end),
            Style::Plain if text.is_empty() => (start, start),
            _ => (start, end.max(start)),
        };
        let span = SourceSpan::new(start.into(), end - start);
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
        self.add(Node { span: SourceSpan::new(frame.start.into(), last - frame.start), kind });
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
                None => {
                    let refusal = key_refusal(&node).or_else(|| {
                        let text = node.key_str().unwrap_or_default();
                        let second = node.span;
                        match seen.get(text) {
                            Some(&first) => Some(YamlError::DuplicateKey {
                                key: text.to_owned(),
                                first,
                                second,
                            }),
                            None => {
                                seen.insert(text.to_owned(), second);
                                None
                            }
                        }
                    });
                    *pending = match refusal {
                        Some(error) => {
                            self.errors.push(error);
                            Some(None)
                        }
                        None => Some(Some(node)),
                    };
                }
            },
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
    path.push(Step::Index(at));
    match (ours.get(at), theirs.get(at)) {
        (Some(mine), None) => Some(difference(path, mine.span, summary(mine), "nothing".into())),
        (None, Some(other)) => Some(difference(path, span, "nothing".into(), summary(other))),
        _ => None,
    }
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
    let mut out: String = text.chars().take(MAX).flat_map(char::escape_debug).collect();
    if text.chars().nth(MAX).is_some() {
        out.push('…');
    }
    out
}
