//! `workflow "ID" { … }`.

use super::tree::{Entry, Node};

use super::job;
use super::reader::{Cx, Once, children};
use super::spec::{ArtifactSpec, Spanned, WorkflowSpec};
use super::values;
use crate::error::SpecError;
use crate::model::{IfMissing, Legs};

pub(crate) const CHILDREN: &[&str] = &[
    "target",
    "file",
    "name",
    "run-name",
    "enable-email-notifications",
    "raw",
    "on",
    "env",
    "permissions",
    "concurrency",
    "defaults",
    "runs-on",
    "timeout-minutes",
    "container",
    "job",
    "artifact",
    "allow",
];

/// Reads one `workflow` node a child at a time, so the children of a large
/// spec can be read and dropped one by one, never all held at once.
pub struct WorkflowReader {
    id: Option<Spanned<String>>,
    spec: WorkflowSpec,
    once: Once,
}

impl WorkflowReader {
    /// Starts with the workflow node itself (its id and properties).
    pub fn start(cx: &mut Cx, node: &Node) -> Self {
        cx.check_props(node, &[]);
        let id = cx.one_arg(node, "an id").and_then(|e| cx.string("workflow", e));
        let spec = WorkflowSpec {
            id: Spanned::new(String::new(), node.name().span()),
            target: None,
            file: None,
            name: None,
            run_name: None,
            email_notifications: None,
            raw: Vec::new(),
            on: None,
            env: Vec::new(),
            permissions: None,
            concurrency: None,
            defaults: None,
            runs_on: None,
            runner_group: None,
            timeout_minutes: None,
            container: None,
            jobs: Vec::new(),
            artifacts: Vec::new(),
            allow: crate::warning::Allowed::default(),
        };
        Self { id, spec, once: Once::default() }
    }

    /// Reads one child of the workflow.
    pub fn child(&mut self, cx: &mut Cx, child: &Node) {
        let spec = &mut self.spec;
        let name = child.name().value();
        let single = !matches!(
            name,
            "env" | "raw" | "job" | "artifact" | "runs-on" | "permissions" | "allow"
        );
        if CHILDREN.contains(&name) && single && !self.once.first(cx, child) {
            return;
        }
        match name {
            "target" => spec.target = values::string(cx, child),
            "file" => spec.file = values::string(cx, child),
            "name" => spec.name = values::string_or_null(cx, child),
            "run-name" => spec.run_name = values::string(cx, child),
            "enable-email-notifications" => spec.email_notifications = values::flag(cx, child),
            "raw" => super::data::raw(cx, child, &mut spec.raw),
            "on" => spec.on = Some(super::on::parse(cx, child)),
            "env" => spec.env.extend(cx.properties(child)),
            "permissions" => values::merge_permissions(cx, child, &mut spec.permissions),
            "concurrency" => spec.concurrency = values::concurrency(cx, child),
            "defaults" => spec.defaults = values::defaults(cx, child),
            "runs-on" => {
                values::append_labels(cx, child, &mut spec.runs_on, &mut spec.runner_group);
            }
            "timeout-minutes" => spec.timeout_minutes = values::minutes(cx, child),
            "container" => spec.container = values::container(cx, child),
            "job" => spec.jobs.extend(job::parse(cx, child).map(Box::new)),
            "artifact" => spec.artifacts.extend(artifact(cx, child)),
            "allow" => super::allow::parse(cx, child, &mut spec.allow),
            _ => cx.unknown_node(child, "in a workflow", CHILDREN),
        }
    }

    /// Ends the workflow; `None` when its id is unusable.
    pub fn finish(self, cx: &mut Cx) -> Option<WorkflowSpec> {
        let id = self.id?;
        if self.spec.on.is_none() {
            cx.error(SpecError::MissingValue {
                node: format!("workflow \"{}\"", id.value),
                what: "an `on` block".to_owned(),
                span: id.span,
                help: Some("say when it runs, e.g. `on { push; pull_request }`".to_owned()),
            });
        }
        if self.spec.jobs.is_empty() {
            cx.error(SpecError::MissingValue {
                node: format!("workflow \"{}\"", id.value),
                what: "at least one `job`".to_owned(),
                span: id.span,
                help: Some("add a job, e.g. `job \"test\" { run \"make test\" }`".to_owned()),
            });
        }
        Some(WorkflowSpec { id, ..self.spec })
    }
}

pub(crate) const ARTIFACT_FIELDS: &[&str] = &[
    "path",
    "from",
    "to",
    "retention-days",
    "if-missing",
    "hidden",
    "into",
    "if",
    "compression-level",
    "legs",
];

/// `artifact "NAME" path=… from=… to=… { path …; to … }`.
fn artifact(cx: &mut Cx, node: &Node) -> Option<ArtifactSpec> {
    let name = name(cx, node);
    let mut paths: Vec<Spanned<String>> = Vec::new();
    let mut from: Option<Spanned<String>> = None;
    let mut to = Vec::new();
    let mut retention_days = None;
    let mut if_missing = None;
    let mut hidden = None;
    let mut into = None;
    let mut condition = None;
    let mut compression_level = None;
    let mut legs = None;
    let mut once = Once::default();
    // Fields may be properties (one value) or children (several values).
    let mut fields: Vec<(&str, Vec<&Entry>)> = Vec::new();
    cx.check_props(node, ARTIFACT_FIELDS);
    for (key, entry) in super::reader::props(node) {
        if ARTIFACT_FIELDS.contains(&key) {
            fields.push((key, vec![entry]));
        }
    }
    for child in children(node) {
        let key = child.name().value();
        if !ARTIFACT_FIELDS.contains(&key) {
            cx.unknown_node(child, "in an artifact", ARTIFACT_FIELDS);
            continue;
        }
        cx.check_props(child, &[]);
        cx.no_children(child);
        if !matches!(key, "path" | "to") && !once.first(cx, child) {
            continue;
        }
        let entries: Vec<_> = super::reader::args(child).collect();
        if entries.is_empty() {
            cx.error(SpecError::MissingValue {
                node: key.to_owned(),
                what: "a value".to_owned(),
                span: child.name().span(),
                help: None,
            });
        }
        fields.push((key, entries));
    }
    let given = |key: &str, fields: &[(&str, Vec<&Entry>)]| {
        fields.iter().any(|(k, entries)| *k == key && !entries.is_empty())
    };
    let (has_path, has_from) = (given("path", &fields), given("from", &fields));
    for (key, entries) in fields {
        let many = matches!(key, "path" | "to");
        if !many && entries.len() > 1 {
            for extra in &entries[1..] {
                cx.error(SpecError::UnexpectedArgument {
                    node: key.to_owned(),
                    takes: "exactly one argument",
                    span: extra.span(),
                });
            }
        }
        for entry in entries.into_iter().take(if many { usize::MAX } else { 1 }) {
            match key {
                "path" => paths.extend(one_line(cx, "path", entry)),
                "to" => to.extend(cx.nonempty_string("to", entry)),
                "from" => from = cx.nonempty_string("from", entry),
                "retention-days" => {
                    retention_days =
                        cx.spanned(entry, |cx, e| cx.integer("retention-days", e, 1, 90));
                }
                "if-missing" => {
                    if_missing =
                        cx.spanned(entry, |cx, e| cx.choice("if-missing", e, &IfMissing::ALL));
                }
                "hidden" => hidden = cx.spanned(entry, |cx, e| cx.boolean("hidden", e)),
                "if" => condition = cx.nonempty_string("if", entry),
                "compression-level" => {
                    compression_level =
                        cx.spanned(entry, |cx, e| cx.integer("compression-level", e, 0, 9));
                }
                "legs" => legs = cx.spanned(entry, |cx, e| cx.choice("legs", e, &Legs::ALL)),
                _ => into = one_line(cx, "into", entry),
            }
        }
    }
    let name = name?;
    let missing = |cx: &mut Cx, what: &str, example: &str| {
        cx.error(SpecError::MissingValue {
            node: format!("artifact \"{}\"", name.value),
            what: format!("`{what}`"),
            span: name.span,
            help: Some(format!("add `{example}`")),
        });
    };
    if !has_path {
        missing(cx, "path", "path=\"FILE\"");
    }
    if !has_from {
        missing(cx, "from", "from=\"JOB\"");
    }
    let from = from?;
    if paths.is_empty() {
        return None;
    }
    Some(ArtifactSpec {
        name,
        paths,
        from,
        to,
        retention_days,
        if_missing,
        hidden,
        into,
        condition,
        compression_level,
        legs,
    })
}

/// The artifact's name, its one argument. A further argument right after a
/// `to=` or `path=` property is a list written as a property
/// (`to="a" "b"`), which gets a help of its own.
fn name(cx: &mut Cx, node: &Node) -> Option<Spanned<String>> {
    let mut positional = super::reader::args(node);
    let Some(first) = positional.next() else {
        return cx.one_arg(node, "a name").and_then(|e| cx.string("artifact", e));
    };
    let name = cx.string("artifact", first);
    for extra in positional {
        let before = node.entries().iter().take_while(|e| !std::ptr::eq(*e, extra)).last();
        let listed = before.and_then(|e| {
            let field = match e.name()?.value() {
                "to" => "to",
                "path" => "path",
                _ => return None,
            };
            Some((field, e))
        });
        match (listed, extra.value(), name.as_ref()) {
            (Some((field, property)), kdl::KdlValue::String(value), Some(name)) => {
                let first = match property.value() {
                    kdl::KdlValue::String(s) => s.clone(),
                    _ => String::new(),
                };
                cx.error(SpecError::ListAsProperty {
                    artifact: name.value.clone(),
                    field,
                    first,
                    extra: value.clone(),
                    span: extra.span(),
                });
            }
            _ => cx.error(SpecError::UnexpectedArgument {
                node: "artifact".to_owned(),
                takes: "exactly one argument",
                span: extra.span(),
            }),
        }
    }
    name
}

/// A non-empty string without line breaks: the artifact actions read one
/// path per line.
fn one_line(cx: &mut Cx, what: &str, entry: &Entry) -> Option<Spanned<String>> {
    let value = cx.nonempty_string(what, entry)?;
    if value.value.contains(['\n', '\r']) {
        cx.error(SpecError::InvalidValue {
            what: what.to_owned(),
            problem: "a path cannot span lines".to_owned(),
            span: value.span,
            help: Some("give each path as its own argument: `path \"a\" \"b\"`".to_owned()),
        });
        return None;
    }
    Some(value)
}
