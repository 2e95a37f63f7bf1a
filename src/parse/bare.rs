//! Slips that are valid KDL but not what was meant, recognised in the tree:
//! KDL v2 reads bare words as strings, so `run ruff check .` is `run` with
//! three arguments, `runs-on: ubuntu` a node named `runs-on:`, and
//! `run "a" run "b"` one `run` with three arguments. Each becomes one
//! diagnostic that says what to write (see [`super::slips`] for the slips
//! KDL refuses).

use kdl::KdlValue;

use super::reader::args;
use super::tree::{Entry, Node};
use crate::error::SpecError;
use crate::suggest;

/// The string of `entry` when it was written as a bare word, unquoted.
pub fn bare(entry: &Entry) -> Option<&str> {
    match entry.value() {
        KdlValue::String(s) if entry.repr_len() == s.len() && entry.name().is_none() => Some(s),
        _ => None,
    }
}

/// An entry as KDL writes it: `"main"`, `30`, `#true`, `key="v"`.
fn written(entry: &Entry) -> String {
    let value = match entry.value() {
        KdlValue::String(s) => format!("{s:?}"),
        KdlValue::Integer(n) => n.to_string(),
        KdlValue::Float(f) => entry.repr().map_or_else(|| f.to_string(), str::to_owned),
        KdlValue::Bool(b) => format!("#{b}"),
        KdlValue::Null => "#null".to_owned(),
    };
    match entry.name() {
        Some(key) => format!("{}={value}", key.value()),
        None => value,
    }
}

/// `runs-on: ubuntu-latest`: a node whose name ends in `:`, a YAML key.
/// The help writes the node without the colon, under the name `known`
/// has for it.
pub fn yaml_key(node: &Node, known: &[&str]) -> Option<SpecError> {
    let name = node.name().value();
    let key = name.strip_suffix(':').filter(|key| !key.is_empty() && !key.ends_with(':'))?;
    let key = if known.contains(&key) {
        key
    } else {
        suggest::closest(key, known.iter().copied()).unwrap_or(key)
    };
    let mut form = key.to_owned();
    for entry in node.entries() {
        form.push(' ');
        form.push_str(&written(entry));
    }
    Some(SpecError::YamlSyntax {
        what: format!("`{name}`"),
        span: node.name().span(),
        label: "a YAML key",
        help: format!("KDL puts no `:` after a name: `{form}`"),
    })
}

/// More arguments than `node` takes, when they show a slip: the node
/// written again on the same line without `;` (`run "a" run "b"`), or a
/// script or value in bare words (`run ruff check .`).
pub fn extra_args(node: &Node) -> Option<SpecError> {
    let name = node.name().value();
    let all: Vec<&Entry> = args(node).collect();
    let (first, extra) = all.split_first()?;
    if let Some(at) = extra.iter().position(|e| bare(e) == Some(name)) {
        let before: Vec<String> = all[..=at].iter().map(|e| written(e)).collect();
        let after: Vec<String> = extra[at + 1..].iter().map(|e| written(e)).collect();
        return Some(SpecError::MissingSemicolon {
            span: extra[at].span(),
            help: format!(
                "nodes on one line are separated by `;`: `{name} {}; {name} {}`",
                before.join(" "),
                after.join(" ")
            ),
        });
    }
    let words: Vec<&str> = all.iter().map(|e| bare(e)).collect::<Option<_>>()?;
    let last = extra.last()?;
    let what = if name == "run" { "script" } else { "value" };
    let start = first.span().offset();
    let end = last.span().offset() + last.span().len();
    Some(SpecError::Unquoted {
        node: name.to_owned(),
        what,
        span: miette::SourceSpan::new(start.into(), end - start),
        label: "bare words: one argument each",
        help: format!("quote the whole {what}: `{name} {:?}`", words.join(" ")),
    })
}

/// `on { push pull_request }`: events written on one line without `;`,
/// read as arguments of the first.
pub fn events_on_one_line(event: &Node, events: &[&str]) -> Option<SpecError> {
    let words: Vec<&str> = args(event).map(bare).collect::<Option<_>>()?;
    let first = args(event).next()?;
    if !words.iter().all(|w| events.contains(w)) {
        return None;
    }
    Some(SpecError::MissingSemicolon {
        span: first.span(),
        help: format!(
            "nodes on one line are separated by `;`: `on {{ {}; {} }}`",
            event.name().value(),
            words.join("; ")
        ),
    })
}
