//! Completion: what may be written at the cursor, read from the text before
//! it ([`context`](super::context)) and the vocabulary of its block, with
//! job ids, artifacts, matrix axes, outputs and step ids from the index.

use gen_lsp_types::{
    CompletionItem, CompletionItemKind, CompletionItemTextEdit, CompletionList, Documentation,
    MarkupContent, MarkupKind, Position, TextEdit,
};

use super::context::{self, Cursor, Slot};
use super::document::View;
use super::expression::path_at_end;
use super::index::{Index, Job, Workflow};
use super::manual::manual;
use super::vocabulary::{self, Values};

/// One thing to offer.
struct Offer {
    label: String,
    kind: CompletionItemKind,
    detail: &'static str,
    insert: String,
    documentation: Option<String>,
}

/// The completions at `position`.
pub fn complete(view: &View<'_>, position: Position) -> CompletionList {
    let offset = view.offset(position);
    let cursor = context::at(view.text, offset);
    let index = view.analysis.index.as_ref();
    let (start, offers) = offers(&cursor, index, offset);
    let range = view.range(&(start.min(offset)..offset));
    let items = offers
        .into_iter()
        .enumerate()
        .map(|(i, offer)| CompletionItem {
            label: offer.label.clone(),
            kind: Some(offer.kind),
            detail: Some(offer.detail.to_owned()),
            documentation: offer.documentation.map(|value| {
                Documentation::MarkupContent(MarkupContent { kind: MarkupKind::Markdown, value })
            }),
            sort_text: Some(format!("{i:04}")),
            filter_text: Some(offer.label),
            text_edit: Some(CompletionItemTextEdit::TextEdit(TextEdit {
                range,
                new_text: offer.insert,
            })),
            ..CompletionItem::default()
        })
        .collect();
    CompletionList { is_incomplete: false, items, ..CompletionList::default() }
}

/// Where the text to replace starts, and what to offer.
fn offers(cursor: &Cursor, index: Option<&Index>, offset: usize) -> (usize, Vec<Offer>) {
    let path = cursor.path();
    let scope = Scope::new(cursor, index);
    match &cursor.slot {
        Slot::Node => {
            let (names, _) = vocabulary::children(&path);
            let offers = names
                .iter()
                .map(|name| Offer {
                    label: (*name).to_owned(),
                    kind: CompletionItemKind::Keyword,
                    detail: "node",
                    insert: (*name).to_owned(),
                    documentation: manual().describe(&path, name),
                })
                .collect();
            (cursor.start, offers)
        }
        Slot::Entry => {
            let mut offers: Vec<Offer> = vocabulary::properties(&path)
                .iter()
                .map(|key| Offer {
                    label: (*key).to_owned(),
                    kind: CompletionItemKind::Property,
                    detail: "property",
                    insert: format!("{key}="),
                    documentation: manual().describe(&path, key),
                })
                .collect();
            offers.extend(values(vocabulary::argument_values(&path), &scope, false));
            (cursor.start, offers)
        }
        Slot::Value { key, quoted } => {
            let found = vocabulary::property_values(&path, key);
            (cursor.start, values(found, &scope, *quoted))
        }
        Slot::Argument => (cursor.start, values(vocabulary::argument_values(&path), &scope, true)),
        Slot::Expression { typed } => match path_at_end(typed) {
            Some((parts, word)) => (offset - word.len(), expression(&parts, &scope)),
            None => (offset, Vec::new()),
        },
        Slot::Nothing => (offset, Vec::new()),
    }
}

/// The workflow and job the cursor is in, as the index knows them.
struct Scope<'a> {
    index: Option<&'a Index>,
    /// The arguments already written on the node at the cursor.
    written: &'a [String],
    workflow: Option<&'a Workflow>,
    job: Option<&'a Job>,
}

impl<'a> Scope<'a> {
    fn new(cursor: &'a Cursor, index: Option<&'a Index>) -> Self {
        let workflow = cursor.enclosing("workflow").and_then(|id| index?.workflow(id));
        let job = cursor.enclosing("job").and_then(|id| workflow?.job(id));
        let written = cursor.node.as_ref().map_or(&[][..], |n| n.args.as_slice());
        Self { index, written, workflow, job }
    }

    /// The jobs the cursor may name: those of its workflow but its own job;
    /// outside a workflow (in a template), those of every workflow.
    fn jobs(&self) -> Vec<&'a str> {
        let own = self.job.map(|j| j.id.as_str());
        let workflows: Vec<&Workflow> = match (self.workflow, self.index) {
            (Some(workflow), _) => vec![workflow],
            (None, Some(index)) => index.workflows.iter().collect(),
            (None, None) => Vec::new(),
        };
        let mut ids: Vec<&str> = Vec::new();
        for job in workflows.iter().flat_map(|w| &w.jobs) {
            if Some(job.id.as_str()) != own && !ids.contains(&job.id.as_str()) {
                ids.push(&job.id);
            }
        }
        ids
    }
}

/// The offers for `found` values; `quoted` when typed inside quotes.
fn values(found: Values, scope: &Scope<'_>, quoted: bool) -> Vec<Offer> {
    let written = scope.written;
    let (words, kind, detail): (Vec<&str>, _, _) = match found {
        Values::Open => return Vec::new(),
        Values::Booleans if quoted => return Vec::new(),
        Values::Booleans => {
            return ["#true", "#false"]
                .into_iter()
                .map(|word| Offer {
                    label: word.to_owned(),
                    kind: CompletionItemKind::Keyword,
                    detail: "boolean",
                    insert: word.to_owned(),
                    documentation: None,
                })
                .collect();
        }
        Values::Fixed(words) => (words.to_vec(), CompletionItemKind::EnumMember, "value"),
        Values::Jobs => {
            // A job already listed on the node is not offered again.
            let jobs =
                scope.jobs().into_iter().filter(|j| !written.iter().any(|w| w == j)).collect();
            (jobs, CompletionItemKind::Reference, "job")
        }
        Values::Artifacts => (
            scope
                .workflow
                .map(|w| w.artifacts.iter().map(|a| a.name.as_str()).collect())
                .unwrap_or_default(),
            CompletionItemKind::Reference,
            "artifact",
        ),
        Values::Targets => (
            crate::target::TABLE.iter().map(|row| row.name).collect(),
            CompletionItemKind::EnumMember,
            "target",
        ),
        Values::Templates => (
            scope
                .index
                .map(|i| i.templates.iter().map(String::as_str).collect())
                .unwrap_or_default(),
            CompletionItemKind::Reference,
            "template",
        ),
        Values::StepLists => (
            scope
                .index
                .map(|i| i.step_lists.iter().map(String::as_str).collect())
                .unwrap_or_default(),
            CompletionItemKind::Reference,
            "step list",
        ),
    };
    words
        .into_iter()
        .map(|word| Offer {
            label: word.to_owned(),
            kind,
            detail,
            insert: if quoted { word.to_owned() } else { format!("{word:?}") },
            documentation: None,
        })
        .collect()
}

/// The offers after `parts.` in an expression.
fn expression(parts: &[&str], scope: &Scope<'_>) -> Vec<Offer> {
    let job_of = |id: &str| scope.workflow.and_then(|w| w.job(id));
    let (words, kind, detail): (Vec<String>, _, _) = match parts {
        [] => (
            crate::expr::Context::ALL.iter().map(|c| c.name().to_owned()).collect(),
            CompletionItemKind::Variable,
            "context",
        ),
        [context] => match context.to_ascii_lowercase().as_str() {
            "matrix" => (
                scope.job.map(|j| j.axes.clone()).unwrap_or_default(),
                CompletionItemKind::Field,
                "matrix axis",
            ),
            "needs" => (
                match (scope.workflow, scope.job) {
                    (Some(w), Some(j)) => w.resolved_needs(j),
                    _ => Vec::new(),
                },
                CompletionItemKind::Reference,
                "job",
            ),
            "jobs" => (
                scope
                    .workflow
                    .map(|w| w.jobs.iter().map(|j| j.id.clone()).collect())
                    .unwrap_or_default(),
                CompletionItemKind::Reference,
                "job",
            ),
            "steps" => (
                scope.job.map(|j| j.step_ids.clone()).unwrap_or_default(),
                CompletionItemKind::Reference,
                "step",
            ),
            _ => return Vec::new(),
        },
        [context, _] => match context.to_ascii_lowercase().as_str() {
            "needs" | "jobs" => {
                (words(&["outputs", "result"]), CompletionItemKind::Field, "property")
            }
            "steps" => (
                words(&["outputs", "outcome", "conclusion"]),
                CompletionItemKind::Field,
                "property",
            ),
            _ => return Vec::new(),
        },
        [context, id, outputs] if outputs.eq_ignore_ascii_case("outputs") => {
            match context.to_ascii_lowercase().as_str() {
                "needs" | "jobs" => (
                    job_of(id).map(|j| j.outputs.clone()).unwrap_or_default(),
                    CompletionItemKind::Field,
                    "output",
                ),
                _ => return Vec::new(),
            }
        }
        _ => return Vec::new(),
    };
    words
        .into_iter()
        .map(|word| Offer { insert: word.clone(), label: word, kind, detail, documentation: None })
        .collect()
}

fn words(list: &[&str]) -> Vec<String> {
    list.iter().map(|w| (*w).to_owned()).collect()
}
