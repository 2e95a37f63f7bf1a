//! Stage 1, parse: KDL text → [`Spec`], a spanned, typed mirror of the file.
//!
//! This stage only reads. It checks the form of the spec: KDL syntax, which
//! nodes and properties exist where, how many values each takes, their
//! types, fixed choices and ranges, and settings given twice. Everything it
//! reads keeps its span; what the values mean (names, references,
//! expressions, what the target can express) is for `validate`.

mod allow;
mod bare;
mod data;
pub(crate) mod depth;
pub mod fast;
mod inputs;
mod job;
mod matrix;
mod on;
mod reader;
mod reuse;
mod slips;
pub mod spec;
mod step;
pub mod tree;
mod values;
mod workflow;

use kdl::KdlDocument;
use miette::SourceSpan;
use tree::Node;

use crate::error::SpecError;

/// The names each block of a spec takes, as this stage reads them, for
/// `cigen lsp` to complete and `import` to recognise.
pub(crate) mod vocabulary {
    pub(crate) use super::job::CHILDREN as JOB;
    pub(crate) use super::on::{EVENTS, FILTERS, filters};
    pub(crate) use super::step::{RUN_PROPS as RUN, USES_PROPS as USES};
    pub(crate) use super::values::{
        CONTAINER_CHILDREN as CONTAINER, SCOPES, SERVICE_CHILDREN as SERVICE,
    };
    pub(crate) use super::workflow::{ARTIFACT_FIELDS as ARTIFACT, CHILDREN as WORKFLOW};
    pub(crate) use super::{ACTIONS, TOP_LEVEL};
}
use crate::source::Source;
pub use on::EVENTS;
use reader::{Cx, Once, children};
pub use spec::{Spanned, Spec};

pub(crate) const TOP_LEVEL: &[&str] = &["workflow", "actions", "template", "steps"];

/// Parses `source` into a [`Spec`] and the mistakes found on the way. The
/// spec holds every node that could be read, so `validate` can look for more
/// mistakes; it is `None` only when the KDL itself does not parse.
pub fn parse(source: &Source) -> (Option<Spec>, Vec<SpecError>) {
    let text = source.text();
    if let Some(span) = depth::too_deep(text) {
        return (None, vec![SpecError::TooDeep { span, max: depth::MAX_DEPTH }]);
    }
    let mut top = TopReader::default();
    if fast::stream(text, &mut top).is_none() {
        // The fast reader gave up: start over from the kdl crate's reading.
        top = TopReader::default();
        match KdlDocument::parse_v2(text) {
            Ok(document) => tree::from_kdl(&document).into_iter().for_each(|n| top.whole(n)),
            Err(error) => {
                if let Some(slip) = slips::find(text) {
                    return (None, vec![slip]);
                }
                return (None, error.diagnostics.into_iter().map(|d| syntax(source, d)).collect());
            }
        }
    }
    let TopReader { mut cx, mut spec, .. } = top;
    reuse::expand(&mut cx, &mut spec);
    if spec.workflows.is_empty() && cx.errors.is_empty() {
        let start = text.len() - text.trim_start().len();
        cx.error(SpecError::EmptySpec { span: SourceSpan::new(start.into(), 0) });
    }
    (Some(spec), cx.errors)
}

/// Reads top-level nodes into a [`Spec`]; workflows child by child.
#[derive(Default)]
struct TopReader {
    cx: Cx,
    spec: Spec,
    once: Once,
    workflow: Option<workflow::WorkflowReader>,
}

impl TopReader {
    /// A whole top-level node.
    fn whole(&mut self, mut node: Node) {
        match node.name().value() {
            "workflow" => {
                let children = node.take_children();
                let mut reader = workflow::WorkflowReader::start(&mut self.cx, &node);
                for child in children {
                    reader.child(&mut self.cx, &child);
                }
                self.spec.workflows.extend(reader.finish(&mut self.cx));
            }
            "actions" => {
                if self.once.first(&mut self.cx, &node) {
                    self.spec.actions = Some(actions(&mut self.cx, &node));
                }
            }
            "template" => self.spec.templates.extend(reuse::template(&mut self.cx, &node)),
            "steps" => self.spec.step_lists.extend(reuse::step_list(&mut self.cx, &node)),
            _ => self.cx.unknown_node(&node, "at the top level", TOP_LEVEL),
        }
    }
}

impl fast::Visitor for TopReader {
    fn stream(&mut self, head: &Node) -> bool {
        if head.name().value() != "workflow" {
            return false;
        }
        self.workflow = Some(workflow::WorkflowReader::start(&mut self.cx, head));
        true
    }

    fn node(&mut self, node: Node) {
        self.whole(node);
    }

    fn child(&mut self, child: Node) {
        if let Some(reader) = &mut self.workflow {
            reader.child(&mut self.cx, &child);
        }
    }

    fn end(&mut self) {
        if let Some(reader) = self.workflow.take() {
            self.spec.workflows.extend(reader.finish(&mut self.cx));
        }
    }
}

/// Re-homes one KDL parser diagnostic, recognising KDL v1 keywords.
fn syntax(source: &Source, d: kdl::KdlDiagnostic) -> SpecError {
    let text = source.text();
    let at = d.span.offset();
    let rest = text.get(at..).unwrap_or_default();
    for word in ["true", "false", "null"] {
        let follows = rest.get(word.len()..word.len() + 1).unwrap_or_default();
        let ends_word =
            follows.chars().next().is_none_or(|c| !(c.is_alphanumeric() || c == '-' || c == '_'));
        if rest.starts_with(word) && ends_word {
            return SpecError::V1Keyword {
                word: word.to_owned(),
                span: SourceSpan::new(at.into(), word.len()),
            };
        }
    }
    SpecError::Syntax {
        message: lowercase_first(d.message.as_deref().unwrap_or("invalid KDL")),
        span: last_line(text, d.span),
        label: d.label.unwrap_or_else(|| "here".to_owned()),
        help: d.help,
    }
}

/// The part of `span` on its last line: the parser reports some errors with a
/// span from the start of the enclosing block to the point of failure.
fn last_line(text: &str, span: SourceSpan) -> SourceSpan {
    let end = (span.offset() + span.len()).min(text.len());
    let Some(covered) = text.get(span.offset()..end) else { return span };
    match covered.trim_end().rfind('\n') {
        Some(newline) => {
            let start = span.offset() + newline + 1;
            let line = &text[start..end];
            let indent = line.len() - line.trim_start().len();
            let start = (start + indent).min(end);
            SourceSpan::new(start.into(), end - start)
        }
        None => span,
    }
}

fn lowercase_first(message: &str) -> String {
    let mut chars = message.chars();
    chars.next().map_or_else(String::new, |c| c.to_lowercase().chain(chars).collect())
}

pub(crate) const ACTIONS: &[&str] = &["checkout", "upload-artifact", "download-artifact"];

fn actions(cx: &mut Cx, node: &Node) -> spec::ActionsSpec {
    cx.no_args(node, "no arguments, only children");
    cx.check_props(node, &[]);
    let mut overrides = spec::ActionsSpec {
        span: node.name().span(),
        checkout: None,
        upload_artifact: None,
        download_artifact: None,
    };
    let mut once = Once::default();
    for child in children(node) {
        let slot = match child.name().value() {
            "checkout" => &mut overrides.checkout,
            "upload-artifact" => &mut overrides.upload_artifact,
            "download-artifact" => &mut overrides.download_artifact,
            _ => {
                cx.unknown_node(child, "in `actions`", ACTIONS);
                continue;
            }
        };
        if !once.first(cx, child) {
            continue;
        }
        cx.check_props(child, &[]);
        cx.no_children(child);
        if let Some(entry) = cx.one_arg(child, "an action reference") {
            *slot = cx.nonempty_string(child.name().value(), entry);
        }
    }
    overrides
}
