//! A fast reader for the plain KDL v2 that specs are made of.
//!
//! The `kdl` crate's parser keeps every byte of formatting and recovers from
//! errors, which makes it several times slower than the rest of cigen put
//! together on large specs. This reader handles the common subset of KDL v2
//! (bare and quoted identifiers, quoted and multi-line strings without
//! escapes at line ends, decimal numbers, `#true`, `#false`, `#null`,
//! properties, children, `;`, comments and line continuations) and builds
//! the same [`Node`] tree as [`super::tree::from_kdl`] makes of the `kdl`
//! crate's document: the same names, values, spans and value text. It reads a
//! node's type annotation written `(word)name`; on anything else — value
//! annotations, annotations with spaces or quotes, raw
//! strings, slashdash, non-decimal numbers, unusual whitespace, or any
//! mistake — it returns `None`, and the `kdl` crate parses the text instead,
//! so its reading and its diagnostics stay the reference. A property test
//! checks that both agree wherever this reader answers.

use kdl::KdlValue;
use miette::SourceSpan;

use super::tree::{Entry, Name, Node};

/// The nodes of `text`, or `None` when the `kdl` crate must read it.
pub fn parse(text: &str) -> Option<Vec<Node>> {
    let mut nodes = Vec::new();
    stream(text, &mut Collect(&mut nodes))?;
    Some(nodes)
}

/// Receives the top-level nodes of a document as they are read.
pub trait Visitor {
    /// A top-level node with a `{ … }` block, given without its children:
    /// whether to receive those one at a time through [`Visitor::child`]
    /// rather than the whole node through [`Visitor::node`].
    fn stream(&mut self, head: &Node) -> bool;
    /// A whole top-level node.
    fn node(&mut self, node: Node);
    /// The next child of the node being streamed.
    fn child(&mut self, child: Node);
    /// The end of the node being streamed.
    fn end(&mut self);
}

/// Reads `text` into `visitor`; `None` when the `kdl` crate must read it,
/// in which case what the visitor received is to be discarded.
pub fn stream(text: &str, visitor: &mut impl Visitor) -> Option<()> {
    let mut reader = Reader { text, at: 0 };
    loop {
        reader.line_space()?;
        match reader.peek() {
            None => return Some(()),
            Some(b'}' | b';') => return None,
            Some(_) => reader.top_node(visitor)?,
        }
    }
}

/// Collects whole nodes.
struct Collect<'a>(&'a mut Vec<Node>);

impl Visitor for Collect<'_> {
    fn stream(&mut self, _: &Node) -> bool {
        false
    }

    fn node(&mut self, node: Node) {
        self.0.push(node);
    }

    fn child(&mut self, _: Node) {}

    fn end(&mut self) {}
}

struct Reader<'a> {
    text: &'a str,
    at: usize,
}

/// Characters allowed in bare identifiers here (an ASCII subset of KDL's).
fn identifier_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"-_.~!$%^&*+|<>?:@',`".contains(&c)
}

/// Code points KDL forbids in a document, and line breaks other than LF
/// and CRLF, which this reader leaves to the `kdl` crate.
fn refused(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}' | '\u{85}'
        | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        | '\u{2028}' | '\u{2029}' | '\u{feff}')
}

fn span(start: usize, end: usize) -> SourceSpan {
    SourceSpan::new(start.into(), end - start)
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<u8> {
        self.text.as_bytes().get(self.at + offset).copied()
    }

    fn rest(&self) -> &'a str {
        &self.text[self.at..]
    }

    /// Skips spaces and tabs.
    fn spaces(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.at += 1;
        }
    }

    /// Consumes a line break (LF or CRLF).
    fn newline(&mut self) -> bool {
        match (self.peek(), self.peek_at(1)) {
            (Some(b'\n'), _) => self.at += 1,
            (Some(b'\r'), Some(b'\n')) => self.at += 2,
            _ => return false,
        }
        true
    }

    /// Consumes a `//` comment up to (not including) its line break.
    fn line_comment(&mut self) -> Option<()> {
        let end = self.rest().find('\n').map_or(self.text.len(), |i| self.at + i);
        let body = &self.text[self.at..end];
        let body = body.strip_suffix('\r').unwrap_or(body);
        if body.chars().any(|c| refused(c) && c != '\t' || c == '\r') {
            return None;
        }
        self.at += body.len();
        Some(())
    }

    /// Consumes a `/* … */` comment, nested ones included.
    fn block_comment(&mut self) -> Option<()> {
        let mut depth = 0usize;
        loop {
            let rest = self.rest();
            if rest.starts_with("/*") {
                depth += 1;
                self.at += 2;
            } else if rest.starts_with("*/") {
                depth -= 1;
                self.at += 2;
                if depth == 0 {
                    return Some(());
                }
            } else {
                let c = rest.chars().next()?;
                if refused(c) || (c == '\r' && self.peek_at(1) != Some(b'\n')) {
                    return None;
                }
                self.at += c.len_utf8();
            }
        }
    }

    /// Skips whitespace, line breaks and comments between nodes.
    fn line_space(&mut self) -> Option<()> {
        loop {
            self.spaces();
            if self.newline() {
                continue;
            }
            let rest = self.rest();
            if rest.starts_with("//") {
                self.line_comment()?;
            } else if rest.starts_with("/*") {
                self.block_comment()?;
            } else if rest.starts_with("/-") {
                return None;
            } else {
                return Some(());
            }
        }
    }

    /// Skips whitespace inside a node: spaces, block comments and line
    /// continuations. Whether anything was skipped.
    fn node_space(&mut self) -> Option<bool> {
        let start = self.at;
        loop {
            self.spaces();
            let rest = self.rest();
            if rest.starts_with("/*") {
                self.block_comment()?;
            } else if rest.starts_with('\\') {
                self.at += 1;
                self.spaces();
                if self.rest().starts_with("//") {
                    self.line_comment()?;
                }
                if !self.newline() && self.peek().is_some() {
                    return None;
                }
            } else {
                return Some(self.at > start);
            }
        }
    }

    /// Nodes up to the end of the text, or up to `}` inside children.
    fn nodes(&mut self, inside: bool) -> Option<Vec<Node>> {
        let mut nodes = Vec::new();
        loop {
            self.line_space()?;
            match self.peek() {
                None if !inside => return Some(nodes),
                Some(b'}') if inside => {
                    nodes.shrink_to_fit();
                    return Some(nodes);
                }
                None | Some(b'}') => return None,
                Some(b';') => return None,
                Some(_) => nodes.push(self.node(inside)?),
            }
        }
    }

    /// A node and its children.
    fn node(&mut self, inside: bool) -> Option<Node> {
        let (mut node, block) = self.head(inside)?;
        if block {
            node.set_children(self.block(inside)?);
        }
        Some(node)
    }

    /// A top-level node, its children streamed when the visitor asks.
    fn top_node(&mut self, visitor: &mut impl Visitor) -> Option<()> {
        let (mut node, block) = self.head(false)?;
        if !block {
            visitor.node(node);
            return Some(());
        }
        node.set_children(Vec::new());
        if !visitor.stream(&node) {
            node.set_children(self.block(false)?);
            visitor.node(node);
            return Some(());
        }
        loop {
            self.line_space()?;
            match self.peek() {
                Some(b'}') => break,
                None | Some(b';') => return None,
                Some(_) => visitor.child(self.node(true)?),
            }
        }
        self.at += 1; // the closing `}`
        self.after_children(false)?;
        visitor.end();
        Some(())
    }

    /// The rest of a `{ … }` block, after its `{`, and what ends its node.
    fn block(&mut self, inside: bool) -> Option<Vec<Node>> {
        let children = self.nodes(true)?;
        self.at += 1; // the closing `}`
        self.after_children(inside)?;
        Some(children)
    }

    /// A node's name and entries; whether a `{ … }` block follows (its `{`
    /// consumed).
    fn head(&mut self, inside: bool) -> Option<(Node, bool)> {
        // A type annotation written `(word)` right before the name.
        let ty = if self.peek() == Some(b'(') {
            self.at += 1;
            if !self.peek().is_some_and(identifier_char) {
                return None;
            }
            let KdlValue::String(ty) = self.bare()? else { return None };
            if self.peek() != Some(b')') {
                return None;
            }
            self.at += 1;
            Some(ty)
        } else {
            None
        };
        let start = self.at;
        let name = match self.peek()? {
            b'"' => self.quoted()?,
            c if identifier_char(c) => self.bare()?,
            _ => return None,
        };
        let KdlValue::String(text) = name else { return None };
        let name = Name::new(text, span(start, self.at));
        let mut entries = Vec::new();
        let block = loop {
            let spaced = self.node_space()?;
            match self.peek() {
                None => break false,
                Some(b'\n' | b'\r') => {
                    self.newline().then_some(())?;
                    break false;
                }
                Some(b';') => {
                    self.at += 1;
                    break false;
                }
                Some(b'}') if inside => break false,
                Some(b'/') if self.rest().starts_with("//") => {
                    self.line_comment()?;
                    break false;
                }
                Some(b'{') if spaced => {
                    self.at += 1;
                    break true;
                }
                Some(_) if spaced => entries.push(self.entry()?),
                Some(_) => return None,
            }
        };
        entries.shrink_to_fit();
        Some((Node::new(name, entries, None).with_ty(ty.as_deref()), block))
    }

    /// After a children block: only the end of the node may follow.
    fn after_children(&mut self, inside: bool) -> Option<()> {
        self.spaces();
        match self.peek() {
            None => Some(()),
            Some(b';') => {
                self.at += 1;
                Some(())
            }
            Some(b'}') if inside => Some(()),
            Some(b'/') if self.rest().starts_with("//") => self.line_comment(),
            _ => self.newline().then_some(()),
        }
    }

    /// An argument or a property.
    fn entry(&mut self) -> Option<Entry> {
        let start = self.at;
        let (value, repr) = self.value()?;
        if self.peek() != Some(b'=') {
            return self.finish(None, value, start, repr);
        }
        // A property: its key must be a string.
        let KdlValue::String(key) = value else { return None };
        if repr.starts_with("\"\"\"") {
            return None;
        }
        let key = Name::new(key, span(start, self.at));
        self.at += 1;
        let (value, repr) = self.value()?;
        self.finish(Some(key), value, start, repr)
    }

    fn finish(
        &self,
        key: Option<Name>,
        value: KdlValue,
        start: usize,
        repr: &str,
    ) -> Option<Entry> {
        self.terminated().then(|| Entry::new(key, value, span(start, self.at), repr))
    }

    /// Whether a value may end here.
    fn terminated(&self) -> bool {
        match self.peek() {
            None | Some(b' ' | b'\t' | b'\n' | b';' | b'}' | b'=') => true,
            Some(b'\r') => self.peek_at(1) == Some(b'\n'),
            Some(b'/') => self.rest().starts_with("//") || self.rest().starts_with("/*"),
            Some(b'\\') => true,
            _ => false,
        }
    }

    /// A value and its text as written.
    fn value(&mut self) -> Option<(KdlValue, &'a str)> {
        let start = self.at;
        let value = match self.peek()? {
            b'"' if self.rest().starts_with("\"\"\"") => self.multi_line()?,
            b'"' => self.quoted()?,
            b'#' => self.keyword()?,
            b'0'..=b'9' => self.number()?,
            b'-' if self.peek_at(1).is_some_and(|c| c.is_ascii_digit()) => self.number()?,
            c if identifier_char(c) => self.bare()?,
            _ => return None,
        };
        Some((value, &self.text[start..self.at]))
    }

    fn keyword(&mut self) -> Option<KdlValue> {
        let rest = self.rest();
        let (value, len) = if rest.starts_with("#true") {
            (KdlValue::Bool(true), 5)
        } else if rest.starts_with("#false") {
            (KdlValue::Bool(false), 6)
        } else if rest.starts_with("#null") {
            (KdlValue::Null, 5)
        } else {
            return None;
        };
        self.at += len;
        Some(value)
    }

    /// A bare identifier, read as a string.
    fn bare(&mut self) -> Option<KdlValue> {
        let start = self.at;
        let bytes = self.text.as_bytes();
        let first = bytes[start];
        let second = bytes.get(start + 1).copied();
        // Numbers, and identifiers KDL reads as numbers or refuses.
        if first.is_ascii_digit()
            || (matches!(first, b'+' | b'-' | b'.')
                && second.is_some_and(|c| c.is_ascii_digit() || c == b'.'))
        {
            return None;
        }
        while self.peek().is_some_and(identifier_char) {
            self.at += 1;
        }
        let word = &self.text[start..self.at];
        if matches!(word, "true" | "false" | "null" | "inf" | "-inf" | "nan") {
            return None;
        }
        Some(KdlValue::String(word.to_owned()))
    }

    /// A decimal integer or a float without exponent.
    fn number(&mut self) -> Option<KdlValue> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        self.digits()?;
        let float = self.peek() == Some(b'.');
        if float {
            self.at += 1;
            self.digits()?;
        }
        if self.peek().is_some_and(|c| c.is_ascii_alphanumeric() || c == b'.' || c == b'_') {
            return None;
        }
        let text = self.text[start..self.at].replace('_', "");
        if float {
            text.parse::<f64>().ok().map(KdlValue::Float)
        } else {
            text.parse::<i128>().ok().map(KdlValue::Integer)
        }
    }

    /// `digit (digit | '_')*`.
    fn digits(&mut self) -> Option<()> {
        if !self.peek().is_some_and(|c| c.is_ascii_digit()) {
            return None;
        }
        while self.peek().is_some_and(|c| c.is_ascii_digit() || c == b'_') {
            self.at += 1;
        }
        Some(())
    }

    /// A single-line quoted string.
    fn quoted(&mut self) -> Option<KdlValue> {
        self.at += 1;
        let mut value = String::new();
        loop {
            let c = self.rest().chars().next()?;
            self.at += c.len_utf8();
            match c {
                '"' => {
                    value.shrink_to_fit();
                    return Some(KdlValue::String(value));
                }
                '\\' => value.push(self.escape()?),
                '\n' | '\r' => return None,
                c if refused(c) => return None,
                c => value.push(c),
            }
        }
    }

    /// The character of an escape, after its backslash.
    fn escape(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += 1;
        Some(match c {
            b'"' => '"',
            b'\\' => '\\',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b's' => ' ',
            b'u' => {
                let rest = self.rest().strip_prefix('{')?;
                let end = rest.find('}')?;
                let hex = &rest[..end];
                if hex.is_empty() || hex.len() > 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                self.at += end + 2;
                char::from_u32(u32::from_str_radix(hex, 16).ok()?)?
            }
            _ => return None,
        })
    }

    /// A `"""` string: its lines dedented by the indentation of the line
    /// that closes it. Escapes and unusual lines are left to the `kdl` crate.
    fn multi_line(&mut self) -> Option<KdlValue> {
        let body_start = self.at + 3;
        let after = self.text.get(body_start..)?;
        let after = after.strip_prefix('\n')?;
        let close = after.find("\"\"\"")?;
        let body = &after[..close];
        let (content, last) = body.rsplit_once('\n').unwrap_or(("", body));
        if !last.bytes().all(|b| b == b' ' || b == b'\t') || !body.contains('\n') {
            return None;
        }
        if body.chars().any(|c| c == '\\' || c == '\r' || (refused(c) && c != '\t')) {
            return None;
        }
        let mut lines = Vec::new();
        for line in content.split('\n') {
            if line.is_empty() {
                lines.push("");
            } else if line.bytes().all(|b| b == b' ' || b == b'\t') {
                return None;
            } else {
                lines.push(line.strip_prefix(last)?);
            }
        }
        self.at = body_start + 1 + close + 3;
        Some(KdlValue::String(lines.join("\n")))
    }
}
