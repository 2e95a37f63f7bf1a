//! The KDL that `import` writes: a small document model and its printer,
//! formatted as cigen's examples are — four spaces per level, every string
//! quoted, multi-line scripts as `"""` strings, a block of one short child
//! on one line.
//!
//! The printer is exact: every value reads back as the value given (the
//! import checks the whole spec by compiling it again), and a string that a
//! `"""` block could not hold exactly is written quoted, with escapes.

use std::fmt::Write;

/// A value: an argument or a property.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A string, always quoted.
    String(String),
    /// An integer.
    Int(i128),
    /// A float, as it must be written.
    Float(String),
    /// `#true` or `#false`.
    Bool(bool),
    /// `#null`.
    Null,
}

impl From<&str> for Value {
    fn from(value: &str) -> Self {
        Self::String(value.to_owned())
    }
}

impl From<String> for Value {
    fn from(value: String) -> Self {
        Self::String(value)
    }
}

impl From<bool> for Value {
    fn from(value: bool) -> Self {
        Self::Bool(value)
    }
}

/// One node, with the comments above it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Node {
    /// `//` lines written above the node.
    pub comments: Vec<String>,
    /// A type annotation, written `(ty)name`.
    pub ty: Option<String>,
    /// The node name.
    pub name: String,
    /// Arguments, in order.
    pub args: Vec<Value>,
    /// Properties, in order.
    pub props: Vec<(String, Value)>,
    /// Children; `None` for a node without a block.
    pub children: Option<Vec<Node>>,
}

impl Node {
    /// A node named `name`.
    pub fn new(name: &str) -> Self {
        Self { name: name.to_owned(), ..Self::default() }
    }

    /// Adds an argument.
    pub fn arg(mut self, value: impl Into<Value>) -> Self {
        self.args.push(value.into());
        self
    }

    /// Adds a property.
    pub fn prop(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.props.push((key.to_owned(), value.into()));
        self
    }

    /// Adds a child, giving the node a block.
    pub fn child(mut self, child: Node) -> Self {
        self.children.get_or_insert_with(Vec::new).push(child);
        self
    }

    /// Adds a child in place.
    pub fn push(&mut self, child: Node) {
        self.children.get_or_insert_with(Vec::new).push(child);
    }

    /// Whether the node has children.
    pub fn has_children(&self) -> bool {
        self.children.as_ref().is_some_and(|c| !c.is_empty())
    }
}

/// The text of a document: `nodes` at the top level.
pub fn print(nodes: &[Node]) -> String {
    let mut out = String::new();
    for (i, node) in nodes.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        write_node(&mut out, node, 0);
    }
    out
}

/// How long a line may grow before a one-child block gets lines of its own.
const WIDTH: usize = 96;

fn write_node(out: &mut String, node: &Node, depth: usize) {
    let pad = "    ".repeat(depth);
    for comment in &node.comments {
        let comment = comment.trim_end();
        if comment.is_empty() {
            let _ = writeln!(out, "{pad}//");
        } else {
            let _ = writeln!(out, "{pad}// {comment}");
        }
    }
    let ty = node.ty.as_ref().map(|t| format!("({})", identifier(t))).unwrap_or_default();
    let mut head = format!("{pad}{ty}{}", identifier(&node.name));
    for value in &node.args {
        head.push(' ');
        head.push_str(&value_text(value, depth));
    }
    for (key, value) in &node.props {
        let _ = write!(head, " {}={}", identifier(key), value_text(value, depth));
    }
    match &node.children {
        None => {
            out.push_str(&head);
            out.push('\n');
        }
        Some(children) if children.is_empty() => {
            out.push_str(&head);
            out.push_str(" {}\n");
        }
        Some(children) => {
            if let [only] = children.as_slice()
                && only.comments.is_empty()
                && only.children.is_none()
            {
                let mut inner = String::new();
                write_node(&mut inner, only, 0);
                let inner = inner.trim_end();
                if !inner.contains('\n') && head.len() + inner.len() + 5 <= WIDTH {
                    let _ = writeln!(out, "{head} {{ {inner} }}");
                    return;
                }
            }
            out.push_str(&head);
            out.push_str(" {\n");
            for child in children {
                write_node(out, child, depth + 1);
            }
            let _ = writeln!(out, "{pad}}}");
        }
    }
}

/// A node name or property key: bare when KDL reads it so, else quoted.
fn identifier(name: &str) -> String {
    let number_like = name.starts_with(|c: char| c.is_ascii_digit())
        || (name.starts_with(['-', '.']) && name[1..].starts_with(|c: char| c.is_ascii_digit()));
    let keyword = matches!(name, "true" | "false" | "null" | "inf" | "-inf" | "nan");
    let bare = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        && !number_like
        && !keyword;
    if bare { name.to_owned() } else { quoted(name) }
}

fn value_text(value: &Value, depth: usize) -> String {
    match value {
        Value::String(s) => string(s, depth),
        Value::Int(n) => n.to_string(),
        Value::Float(text) => text.clone(),
        Value::Bool(b) => if *b { "#true" } else { "#false" }.to_owned(),
        Value::Null => "#null".to_owned(),
    }
}

/// A string at nesting `depth`: a `"""` block for a multi-line text it can
/// hold exactly, else a quoted string.
fn string(text: &str, depth: usize) -> String {
    multi_line(text, depth).unwrap_or_else(|| quoted(text))
}

/// A quoted string with escapes.
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || forbidden(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Code points KDL forbids in a document, or reads as line breaks.
fn forbidden(c: char) -> bool {
    matches!(c, '\u{85}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}' | '\u{feff}')
}

/// A `"""` block holding `text` exactly, or `None`: the text must have a
/// line break, and no line of it blank but not empty, no tab or other
/// control character, no escape-looking backslash.
fn multi_line(text: &str, depth: usize) -> Option<String> {
    if !text.contains('\n') {
        return None;
    }
    let plain = text.chars().all(|c| c == '\n' || !(c.is_control() || forbidden(c) || c == '\\'));
    let lines: Vec<&str> = text.split('\n').collect();
    let blank_with_spaces = lines.iter().any(|l| !l.is_empty() && l.trim().is_empty());
    if !plain || blank_with_spaces || text.contains("\"\"\"") {
        return None;
    }
    let indent = "    ".repeat(depth + 1);
    let mut out = String::from("\"\"\"\n");
    for line in &lines {
        if !line.is_empty() {
            out.push_str(&indent);
            out.push_str(line);
        }
        out.push('\n');
    }
    out.push_str(&indent);
    out.push_str("\"\"\"");
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The value KDL reads for `text` written as the argument of `run`.
    fn read_back(text: &str) -> String {
        let doc = print(&[Node::new("run").arg(text)]);
        let parsed: kdl::KdlDocument = doc.parse().unwrap_or_else(|e| panic!("{doc}: {e:?}"));
        parsed.nodes()[0].entries()[0].value().as_string().unwrap().to_owned()
    }

    #[test]
    fn prints_the_house_style() {
        let spec = Node::new("workflow")
            .arg("ci")
            .child(
                Node::new("on").child(Node::new("push").child(Node::new("branches").arg("main"))),
            )
            .child(Node::new("job").arg("test").child(Node::new("run").arg("make test")))
            .child(
                Node::new("artifact")
                    .arg("cov")
                    .prop("path", ".coverage")
                    .prop("retention-days", Value::Int(1)),
            );
        assert_eq!(
            print(&[spec]),
            "workflow \"ci\" {\n    on {\n        push { branches \"main\" }\n    }\n    job \"test\" { run \"make test\" }\n    artifact \"cov\" path=\".coverage\" retention-days=1\n}\n"
        );
    }

    #[test]
    fn strings_read_back_exactly() {
        for text in [
            "make test",
            "a\nb",
            "a\nb\n",
            "a\n\nb\n\n",
            "  indented\nnot",
            "tab\there",
            "quote \" and \\ back",
            "a\n  \nb",
            "with \"\"\" inside\nx",
            "${{ github.sha }}",
            "é\u{2028}x",
            "",
        ] {
            assert_eq!(read_back(text), text, "{text:?}");
        }
        assert!(print(&[Node::new("run").arg("a\nb\n")]).contains("\"\"\""));
    }

    #[test]
    fn odd_names_are_quoted() {
        assert_eq!(identifier("branches"), "branches");
        assert_eq!(identifier("discovery.type"), "discovery.type");
        assert_eq!(identifier("1x"), "\"1x\"");
        assert_eq!(identifier("a b"), "\"a b\"");
        assert_eq!(identifier("true"), "\"true\"");
    }
}
