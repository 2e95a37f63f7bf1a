//! Where the cursor is, read from the text before it alone, so that it works
//! in half-typed text that does not parse: the blocks it is in and the
//! slot being typed (a node name, a property, a value, an expression).
//!
//! The reader follows KDL v2's lexical rules closely enough for that:
//! strings (quoted, multi-line and raw), comments, line continuations,
//! `;`, blocks and `key=value`; it never fails, whatever the text.

/// One enclosing block: its node's name and first argument.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Frame {
    /// The node's name.
    pub name: String,
    /// Its first argument, when it is a string or a word.
    pub arg: Option<String>,
    /// All its arguments that are strings or words.
    pub args: Vec<String>,
}

/// What is being typed at the cursor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Slot {
    /// A node's name, at the start of a node.
    Node,
    /// After a node's name: a property's name, or an argument without quotes.
    Entry,
    /// A property's value, in quotes or not.
    Value {
        /// The property's name.
        key: String,
        /// Whether an opening quote was typed.
        quoted: bool,
    },
    /// An argument in quotes.
    Argument,
    /// Inside `${{ }}` in a string; `typed` is the expression so far.
    Expression {
        /// The expression text from after `${{` to the cursor.
        typed: String,
    },
    /// Nothing to complete: a comment, a type annotation.
    Nothing,
}

/// The cursor's place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor {
    /// The enclosing blocks, outermost first.
    pub frames: Vec<Frame>,
    /// The node being written, when the cursor is past its name.
    pub node: Option<Frame>,
    /// The slot.
    pub slot: Slot,
    /// Where the word, or the quoted text, being typed starts.
    pub start: usize,
}

impl Cursor {
    /// The path of node names to the slot's node: the blocks, then the node
    /// being written, if any.
    pub fn path(&self) -> Vec<&str> {
        let mut path: Vec<&str> = self.frames.iter().map(|f| f.name.as_str()).collect();
        if let Some(node) = &self.node {
            path.push(&node.name);
        }
        path
    }

    /// The first argument of the innermost enclosing `name` block.
    pub fn enclosing(&self, name: &str) -> Option<&str> {
        self.frames.iter().rev().find(|f| f.name == name).and_then(|f| f.arg.as_deref())
    }
}

/// The node being read.
#[derive(Default)]
struct Current {
    frame: Frame,
    /// A `key=` waiting for its value.
    key: Option<String>,
}

/// Reads `text` up to byte `cursor` (clamped onto a character boundary).
pub fn at(text: &str, cursor: usize) -> Cursor {
    let mut end = cursor.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    Reader { text: &text[..end], at: 0, frames: Vec::new(), node: None }.read()
}

struct Reader<'a> {
    text: &'a str,
    at: usize,
    frames: Vec<Frame>,
    node: Option<Current>,
}

/// Characters that end a bare word.
fn ends_word(c: char) -> bool {
    c.is_whitespace() || "(){}[]/\\\";=".contains(c)
}

impl Reader<'_> {
    fn read(mut self) -> Cursor {
        let bytes = self.text.as_bytes();
        while let Some(&b) = bytes.get(self.at) {
            let next = bytes.get(self.at + 1).copied();
            match b {
                b'\n' | b';' => self.end_node(1),
                b'\r' => self.at += 1,
                b'\\' => {
                    // A line continuation: the node goes on past the newline.
                    match self.text[self.at..].find('\n') {
                        Some(n) => self.at += n + 1,
                        None => return self.cursor(Slot::Nothing, self.text.len()),
                    }
                }
                b'/' if next == Some(b'/') => match self.text[self.at..].find('\n') {
                    Some(n) => self.at += n,
                    None => return self.cursor(Slot::Nothing, self.text.len()),
                },
                b'/' if next == Some(b'*') => {
                    if !self.block_comment() {
                        return self.cursor(Slot::Nothing, self.text.len());
                    }
                }
                b'/' if next == Some(b'-') => self.at += 2,
                b'{' => {
                    let frame = self.node.take().map(|n| n.frame).unwrap_or_default();
                    self.frames.push(frame);
                    self.at += 1;
                }
                b'}' => {
                    self.frames.pop();
                    self.end_node(1);
                }
                b'(' => match self.text[self.at..].find(')') {
                    Some(n) => self.at += n + 1,
                    None => return self.cursor(Slot::Nothing, self.text.len()),
                },
                b'"' => {
                    if let Some(cursor) = self.string(0) {
                        return cursor;
                    }
                }
                b'#' if matches!(next, Some(b'"' | b'#')) => {
                    let hashes = self.text[self.at..].len()
                        - self.text[self.at..].trim_start_matches('#').len();
                    if bytes.get(self.at + hashes) == Some(&b'"') {
                        self.at += hashes;
                        if let Some(cursor) = self.string(hashes) {
                            return cursor;
                        }
                    } else {
                        self.at += hashes;
                    }
                }
                _ if (b as char).is_ascii_whitespace() => self.at += 1,
                _ => {
                    if let Some(cursor) = self.word() {
                        return cursor;
                    }
                }
            }
        }
        // The cursor is past a delimiter: a new node, or the next entry.
        let slot = match &self.node {
            None => Slot::Node,
            Some(Current { key: Some(key), .. }) => Slot::Value { key: key.clone(), quoted: false },
            Some(_) => Slot::Entry,
        };
        let end = self.text.len();
        self.cursor(slot, end)
    }

    fn cursor(&mut self, slot: Slot, start: usize) -> Cursor {
        let node = match slot {
            Slot::Node => None,
            _ => self.node.take().map(|n| n.frame),
        };
        Cursor { frames: std::mem::take(&mut self.frames), node, slot, start }
    }

    fn end_node(&mut self, skip: usize) {
        self.node = None;
        self.at += skip;
    }

    /// Skips a (nested) block comment; `false` when it runs to the cursor.
    fn block_comment(&mut self) -> bool {
        let mut depth = 0usize;
        let bytes = self.text.as_bytes();
        while self.at < bytes.len() {
            match (bytes[self.at], bytes.get(self.at + 1)) {
                (b'/', Some(b'*')) => {
                    depth += 1;
                    self.at += 2;
                }
                (b'*', Some(b'/')) => {
                    depth -= 1;
                    self.at += 2;
                    if depth == 0 {
                        return true;
                    }
                }
                _ => self.at += 1,
            }
        }
        false
    }

    /// A bare word: a node name, a property's `key=`, or a value. Returns
    /// the cursor when the word runs to it.
    fn word(&mut self) -> Option<Cursor> {
        let start = self.at;
        let rest = &self.text[start..];
        let len = rest.find(ends_word).unwrap_or(rest.len());
        if len == 0 {
            // A stray delimiter (`=`, `)`, `[`, a lone `/`): step over it.
            self.at += rest.chars().next().map_or(1, char::len_utf8);
            return None;
        }
        let word = &rest[..len];
        self.at = start + len;
        let at_end = self.at >= self.text.len();
        let is_key = self.text.as_bytes().get(self.at) == Some(&b'=');
        if at_end {
            let slot = match &self.node {
                None => Slot::Node,
                Some(Current { key: Some(key), .. }) => {
                    Slot::Value { key: key.clone(), quoted: false }
                }
                Some(_) => Slot::Entry,
            };
            return Some(self.cursor(slot, start));
        }
        if is_key && self.node.is_some() {
            self.at += 1;
            if let Some(node) = &mut self.node {
                node.key = Some(word.to_owned());
            }
            return None;
        }
        self.value(word.to_owned());
        None
    }

    /// A value read: the node's name when it has none yet, else an entry.
    fn value(&mut self, value: String) {
        match &mut self.node {
            None => {
                let frame = Frame { name: value, ..Frame::default() };
                self.node = Some(Current { frame, key: None });
            }
            Some(node) => {
                if node.key.take().is_none() {
                    node.frame.arg.get_or_insert_with(|| value.clone());
                    node.frame.args.push(value);
                }
            }
        }
    }

    /// A string starting at the opening quote, `hashes` `#`s after its
    /// start for a raw string. Returns the cursor when it is still open.
    fn string(&mut self, hashes: usize) -> Option<Cursor> {
        let raw = hashes > 0;
        let rest = &self.text[self.at..];
        let multi = rest.starts_with("\"\"\"");
        let open = if multi { 3 } else { 1 };
        let close: String =
            if multi { "\"\"\"".to_owned() } else { "\"".to_owned() } + &"#".repeat(hashes);
        let body_start = self.at + open;
        let mut i = body_start;
        let bytes = self.text.as_bytes();
        let found = loop {
            if i >= bytes.len() {
                break None;
            }
            if !raw && bytes[i] == b'\\' {
                i += 2;
                continue;
            }
            if bytes[i..].starts_with(close.as_bytes()) {
                break Some(i);
            }
            i += 1;
        };
        match found {
            Some(end) => {
                let value = unescape(&self.text[body_start..end], raw);
                self.at = end + close.len();
                self.value(value);
                None
            }
            None => {
                let typed = &self.text[body_start.min(self.text.len())..];
                let slot = match expression_at_end(typed) {
                    Some(expression) => Slot::Expression { typed: expression.to_owned() },
                    None => match &self.node {
                        Some(Current { key: Some(key), .. }) => {
                            Slot::Value { key: key.clone(), quoted: true }
                        }
                        Some(_) => Slot::Argument,
                        None => Slot::Nothing,
                    },
                };
                let start = body_start.min(self.text.len());
                Some(self.cursor(slot, start))
            }
        }
    }
}

/// The text of a `${{` left open at the end of `typed`, after the `${{`.
fn expression_at_end(typed: &str) -> Option<&str> {
    let open = typed.rfind("${{")?;
    let inner = &typed[open + 3..];
    (!inner.contains("}}")).then_some(inner)
}

/// A quoted string's value; escapes are resolved roughly, enough for names.
fn unescape(body: &str, raw: bool) -> String {
    if raw || !body.contains('\\') {
        return body.to_owned();
    }
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cursor at `$0` in `text`.
    fn cursor(text: &str) -> Cursor {
        let offset = text.find("$0").expect("a $0");
        at(&text.replace("$0", ""), offset)
    }

    fn names(c: &Cursor) -> Vec<&str> {
        c.path()
    }

    #[test]
    fn node_names_in_blocks() {
        let c = cursor("workflow \"ci\" {\n  on { push }\n  job \"a\" {\n    ru$0");
        assert_eq!(c.slot, Slot::Node);
        assert_eq!(names(&c), ["workflow", "job"]);
        assert_eq!(c.enclosing("job"), Some("a"));
        assert_eq!(c.enclosing("workflow"), Some("ci"));
        let c = cursor("workflow \"ci\" { job \"a\" { run \"x\" }; $0");
        assert_eq!((c.slot.clone(), names(&c)), (Slot::Node, vec!["workflow"]));
    }

    #[test]
    fn properties_and_values() {
        let c = cursor("workflow \"ci\" { artifact \"x\" path=\"p\" fr$0");
        assert_eq!(c.slot, Slot::Entry);
        assert_eq!(names(&c), ["workflow", "artifact"]);
        let c = cursor("workflow \"ci\" { artifact \"x\" from=\"bu$0");
        assert_eq!(c.slot, Slot::Value { key: "from".to_owned(), quoted: true });
        let c = cursor("workflow \"ci\" { artifact \"x\" hidden=$0");
        assert_eq!(c.slot, Slot::Value { key: "hidden".to_owned(), quoted: false });
        let c = cursor("workflow \"ci\" { job \"b\" { needs \"a\" \"$0");
        assert_eq!((c.slot.clone(), names(&c)), (Slot::Argument, vec!["workflow", "job", "needs"]));
    }

    #[test]
    fn expressions_comments_and_strings() {
        let c = cursor("job \"t\" { run \"echo ${{ matrix.$0");
        assert_eq!(c.slot, Slot::Expression { typed: " matrix.".to_owned() });
        let c = cursor("job \"t\" { run \"echo ${{ matrix.os }} $0");
        assert_eq!(c.slot, Slot::Argument);
        assert_eq!(cursor("job \"t\" { // run $0").slot, Slot::Nothing);
        assert_eq!(cursor("job \"t\" { /* run */ $0").slot, Slot::Node);
        let c = cursor("job \"t\" { run #\"a \"quoted\" }\"# name=\"n\" { env $0");
        assert_eq!((c.slot.clone(), names(&c)), (Slot::Entry, vec!["job", "run", "env"]));
        let c = cursor("job \"t\" { run \"\"\"\n  multi { }\n  \"\"\"\n  $0");
        assert_eq!((c.slot.clone(), names(&c)), (Slot::Node, vec!["job"]));
    }

    #[test]
    fn never_fails() {
        for text in ["", "\"", "#", "#\"", "(", "/*", "}}}}", "a=", "=", "\\", "é\"ü", "#####"] {
            for i in 0..=text.len() + 1 {
                at(text, i);
            }
        }
    }
}
