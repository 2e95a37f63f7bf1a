//! Two workflows compared as the runners read them.
//!
//! A workflow can say the same thing in more than one form; before
//! comparing, both sides are brought to one form, so that only what a
//! runner would read differently counts:
//!
//! - `on: push` and `on: [push, pull_request]` are maps of events, and an
//!   event with `{}` is an event with nothing (`null`);
//! - an event filter (`branches`, `paths`, `types`, …), `needs` and
//!   `runs-on` given as one string are a list of that string, and so are
//!   the `labels` of a `runs-on` group;
//! - `concurrency: G` is `{group: G}`, `environment: E` is `{name: E}`,
//!   `container: I` is `{image: I}`;
//! - an artifact upload that cigen's plumbing stands for, without
//!   `if-no-files-found`, has the actions' default, `warn` (filled in by
//!   the callers, who know which steps those are).
//!
//! Maps compare without regard to key order; lists in order.

use miette::SourceSpan;

use super::yaml::{Kind, Node, Value};

/// A YAML value, with where it was written (in the file being imported).
#[derive(Clone, Debug)]
pub struct Item {
    /// The value.
    pub data: Data,
    /// Its place in the file.
    pub span: SourceSpan,
}

/// The value of an [`Item`].
#[derive(Clone, Debug)]
pub enum Data {
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i128),
    /// A float.
    Float(f64),
    /// A string.
    String(String),
    /// A list.
    Seq(Vec<Item>),
    /// A map, keys as written.
    Map(Vec<(String, Item)>),
}

/// The data of `node`.
pub fn data(node: &Node) -> Item {
    let data = match &node.kind {
        Kind::Scalar(scalar) => match &scalar.value {
            Value::Null => Data::Null,
            Value::Bool(b) => Data::Bool(*b),
            Value::Int(n) => Data::Int(*n),
            Value::Float(f) => Data::Float(*f),
            Value::String(s) => Data::String(s.clone()),
        },
        Kind::Seq(items) => Data::Seq(items.iter().map(data).collect()),
        Kind::Map(entries) => Data::Map(
            entries
                .iter()
                .map(|e| (e.key.key_str().unwrap_or_default().to_owned(), data(&e.value)))
                .collect(),
        ),
    };
    Item { data, span: node.span }
}

impl Item {
    fn get_mut(&mut self, key: &str) -> Option<&mut Item> {
        match &mut self.data {
            Data::Map(entries) => entries.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn entries_mut(&mut self) -> impl Iterator<Item = (&String, &mut Item)> {
        let entries = match &mut self.data {
            Data::Map(entries) => entries.as_mut_slice(),
            _ => &mut [],
        };
        entries.iter_mut().map(|(k, v)| (&*k, v))
    }

    /// The list of steps of job `id`, if any.
    pub fn steps_mut(&mut self, id: &str) -> Option<&mut Vec<Item>> {
        let steps = self.get_mut("jobs")?.get_mut(id)?.get_mut("steps")?;
        match &mut steps.data {
            Data::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// Sets `key` of the map under `parent` to the string `value` when the
    /// map has no `key` yet (an input left to its default).
    pub fn default_input(&mut self, parent: &str, key: &str, value: &str) {
        let span = self.span;
        let Some(map) = self.get_mut(parent) else { return };
        if let Data::Map(entries) = &mut map.data
            && !entries.iter().any(|(k, _)| k == key)
        {
            entries.push((key.to_owned(), Item { data: Data::String(value.to_owned()), span }));
        }
    }

    /// Removes `key` from a map.
    pub fn remove(&mut self, key: &str) {
        if let Data::Map(entries) = &mut self.data {
            entries.retain(|(k, _)| k != key);
        }
    }

    /// One string as a list of it.
    fn listed(&mut self) {
        if matches!(self.data, Data::String(_)) {
            let one = self.clone();
            self.data = Data::Seq(vec![one]);
        }
    }

    /// One string `S` as the map `{key: S}`.
    fn keyed(&mut self, key: &str) {
        if matches!(self.data, Data::String(_)) {
            let one = self.clone();
            self.data = Data::Map(vec![(key.to_owned(), one)]);
        }
    }
}

/// Brings an Actions workflow to the one form described above.
pub fn normalize(workflow: &mut Item) {
    if let Some(on) = workflow.get_mut("on") {
        let span = on.span;
        let events: Vec<String> = match &on.data {
            Data::String(event) => vec![event.clone()],
            Data::Seq(items) => items
                .iter()
                .filter_map(|i| match &i.data {
                    Data::String(s) => Some(s.clone()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        if !matches!(on.data, Data::Map(_)) {
            on.data = Data::Map(
                events.into_iter().map(|e| (e, Item { data: Data::Null, span })).collect(),
            );
        }
        for (_, event) in on.entries_mut() {
            if matches!(&event.data, Data::Map(entries) if entries.is_empty()) {
                event.data = Data::Null;
            }
            for (key, filter) in event.entries_mut() {
                if crate::parse::vocabulary::FILTERS.contains(&key.as_str()) {
                    filter.listed();
                }
            }
        }
    }
    if let Some(concurrency) = workflow.get_mut("concurrency") {
        concurrency.keyed("group");
    }
    if let Some(jobs) = workflow.get_mut("jobs") {
        for (_, job) in jobs.entries_mut() {
            for (key, value) in job.entries_mut() {
                match key.as_str() {
                    "needs" => value.listed(),
                    "runs-on" => {
                        value.listed();
                        if let Some(labels) = value.get_mut("labels") {
                            labels.listed();
                        }
                    }
                    "concurrency" => value.keyed("group"),
                    "environment" => value.keyed("name"),
                    "container" => value.keyed("image"),
                    _ => {}
                }
            }
        }
    }
}

/// Whether the workflow text `theirs` says what `ours` (cigen's output)
/// says, as the runners read them, the names of cigen's artifact upload and
/// download steps aside, and an upload without `if-no-files-found` read as
/// the actions' default, `warn`: what `gen` checks before it takes over a
/// file that `import` wrote a spec for.
pub fn same_workflow(theirs: &str, ours: &str) -> bool {
    let (Ok(theirs), Ok(ours)) = (super::yaml::parse(theirs), super::yaml::parse(ours)) else {
        return false;
    };
    let mut theirs = data(&theirs);
    let mut ours = data(&ours);
    let jobs: Vec<String> = match ours.get_mut("jobs").map(|j| &j.data) {
        Some(Data::Map(entries)) => entries.iter().map(|(k, _)| k.clone()).collect(),
        _ => Vec::new(),
    };
    for job in jobs {
        let plumbing: Vec<(usize, bool)> = ours
            .steps_mut(&job)
            .map(|steps| {
                let found =
                    steps.iter().enumerate().filter_map(|(i, s)| Some((i, is_plumbing(s)?)));
                found.map(|(i, kind)| (i, kind == Plumbing::Upload)).collect()
            })
            .unwrap_or_default();
        for side in [&mut theirs, &mut ours] {
            if let Some(steps) = side.steps_mut(&job) {
                for &(i, upload) in &plumbing {
                    if let Some(step) = steps.get_mut(i) {
                        step.remove("name");
                        // The artifact actions' default, which cigen writes out.
                        if upload {
                            step.default_input("with", "if-no-files-found", "warn");
                        }
                    }
                }
            }
        }
    }
    normalize(&mut theirs);
    normalize(&mut ours);
    difference(&theirs, &ours).is_none()
}

/// A step cigen's plumbing adds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Plumbing {
    Upload,
    Download,
}

/// Whether a step of cigen's output is an artifact upload or download it
/// added (named `Upload NAME` or `Download NAME`), and which.
fn is_plumbing(step: &Item) -> Option<Plumbing> {
    let Data::Map(entries) = &step.data else { return None };
    let text = |key: &str| {
        entries.iter().find(|(k, _)| k == key).and_then(|(_, v)| match &v.data {
            Data::String(s) => Some(s.as_str()),
            _ => None,
        })
    };
    let uses = text("uses").unwrap_or_default();
    let name = text("name").unwrap_or_default();
    if uses.contains("/upload-artifact@") && name.starts_with("Upload ") {
        Some(Plumbing::Upload)
    } else if uses.contains("/download-artifact@") && name.starts_with("Download ") {
        Some(Plumbing::Download)
    } else {
        None
    }
}

/// Where two values first differ: a path, the span in `theirs`, and what
/// each side holds.
pub fn difference(theirs: &Item, ours: &Item) -> Option<(String, SourceSpan, String)> {
    differ(theirs, ours, String::new())
}

fn differ(theirs: &Item, ours: &Item, path: String) -> Option<(String, SourceSpan, String)> {
    let shown = |path: &str| if path.is_empty() { "the file".to_owned() } else { path.to_owned() };
    match (&theirs.data, &ours.data) {
        (Data::Map(a), Data::Map(b)) => {
            for (key, value) in a {
                let at = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                match b.iter().find(|(k, _)| k == key) {
                    Some((_, other)) => {
                        if let Some(found) = differ(value, other, at) {
                            return Some(found);
                        }
                    }
                    None => {
                        return Some((
                            shown(&at),
                            value.span,
                            "cigen would leave it out".to_owned(),
                        ));
                    }
                }
            }
            b.iter().find(|(key, _)| !a.iter().any(|(k, _)| k == key)).map(|(key, value)| {
                let at = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                (shown(&at), theirs.span, format!("cigen would add it, as {}", brief(value)))
            })
        }
        (Data::Seq(a), Data::Seq(b)) => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                if let Some(found) = differ(x, y, format!("{path}[{i}]")) {
                    return Some(found);
                }
            }
            (a.len() != b.len()).then(|| {
                (
                    shown(&path),
                    theirs.span,
                    format!("{} items in the file, {} in cigen's output", a.len(), b.len()),
                )
            })
        }
        (a, b) if same_scalar(a, b) => None,
        _ => Some((
            shown(&path),
            theirs.span,
            format!("{} in the file, {} in cigen's output", brief(theirs), brief(ours)),
        )),
    }
}

fn same_scalar(a: &Data, b: &Data) -> bool {
    match (a, b) {
        (Data::Null, Data::Null) => true,
        (Data::Bool(x), Data::Bool(y)) => x == y,
        (Data::Int(x), Data::Int(y)) => x == y,
        (Data::Float(x), Data::Float(y)) => x == y || (x.is_nan() && y.is_nan()),
        (Data::String(x), Data::String(y)) => x == y,
        _ => false,
    }
}

/// A short description of a value, for messages.
fn brief(item: &Item) -> String {
    match &item.data {
        Data::Null => "`null`".to_owned(),
        Data::Bool(b) => format!("`{b}`"),
        Data::Int(n) => format!("`{n}`"),
        Data::Float(f) => format!("`{f}`"),
        Data::String(s) if s.len() <= 40 && !s.contains('\n') => format!("`{s:?}`"),
        Data::String(_) => "a longer text".to_owned(),
        Data::Seq(items) => format!("a list of {}", items.len()),
        Data::Map(entries) => format!("a map of {}", entries.len()),
    }
}
