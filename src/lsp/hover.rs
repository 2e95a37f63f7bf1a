//! Hover: the language reference's text for a node or property, and for a
//! job id or artifact name what it is wired to.

use gen_lsp_types::{Contents, Hover, MarkupContent, MarkupKind, Position};

use super::context::{self, Slot};
use super::document::View;
use super::index::{Kind, Occurrence, Workflow};
use super::manual::manual;

/// The hover at `position`.
pub fn hover(view: &View<'_>, position: Position) -> Option<Hover> {
    let offset = view.offset(position);
    if let Some((workflow, occurrence)) =
        view.analysis.index.as_ref().and_then(|i| i.occurrence_at(offset))
    {
        let text = match occurrence.kind {
            Kind::Job => job(workflow, occurrence),
            Kind::Artifact => artifact(workflow, occurrence),
        }?;
        return Some(markdown(text, Some(view.range(&occurrence.span))));
    }
    let (start, end) = word_at(view.text, offset)?;
    let word = &view.text[start..end];
    let cursor = context::at(view.text, end);
    let path = cursor.path();
    let text = match cursor.slot {
        Slot::Node => manual().describe(&path, word),
        Slot::Entry if view.text[end..].starts_with('=') => manual().describe(&path, word),
        _ => None,
    }?;
    Some(markdown(text, Some(view.range(&(start..end)))))
}

fn markdown(value: String, range: Option<gen_lsp_types::Range>) -> Hover {
    Hover {
        contents: Contents::MarkupContent(MarkupContent { kind: MarkupKind::Markdown, value }),
        range,
    }
}

/// The bare word around `offset`.
fn word_at(text: &str, offset: usize) -> Option<(usize, usize)> {
    let is_word = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '#');
    let before = text.get(..offset)?;
    let start = before
        .rfind(|c: char| !is_word(c))
        .map_or(0, |i| i + before[i..].chars().next().map_or(1, char::len_utf8));
    let after = &text[offset..];
    let end = offset + after.find(|c: char| !is_word(c)).unwrap_or(after.len());
    (start < end).then_some((start, end))
}

fn list(names: &[String]) -> String {
    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

fn job(workflow: &Workflow, occurrence: &Occurrence) -> Option<String> {
    let Some(job) = workflow.job(&occurrence.name) else {
        return Some(format!("no job `{}` in workflow `{}`", occurrence.name, workflow.id));
    };
    let mut text = format!("**job `{}`** in workflow `{}`", job.id, workflow.id);
    let resolved = workflow.resolved_needs(job);
    if resolved.is_empty() {
        text.push_str("\n\nneeds: nothing; it starts with the run");
    } else {
        text.push_str(&format!("\n\nneeds: {}", list(&resolved)));
        let implied: Vec<String> =
            resolved.iter().filter(|n| !job.needs.contains(n)).cloned().collect();
        if !implied.is_empty() {
            text.push_str(&format!(" ({} for its artifacts)", list(&implied)));
        }
    }
    for artifact in workflow.artifacts.iter().filter(|a| a.to.contains(&job.id)) {
        let from = artifact.from.as_deref().unwrap_or("?");
        text.push_str(&format!("\n\nconsumes `{}` from `{from}`", artifact.name));
    }
    for artifact in workflow.artifacts.iter().filter(|a| a.from.as_deref() == Some(job.id.as_str()))
    {
        let to = if artifact.to.is_empty() { "no job".to_owned() } else { list(&artifact.to) };
        text.push_str(&format!("\n\nproduces `{}` for {to}", artifact.name));
    }
    if !job.outputs.is_empty() {
        text.push_str(&format!("\n\noutputs: {}", list(&job.outputs)));
    }
    Some(text)
}

fn artifact(workflow: &Workflow, occurrence: &Occurrence) -> Option<String> {
    let artifact = workflow.artifact(&occurrence.name)?;
    let mut text = format!("**artifact `{}`** in workflow `{}`", artifact.name, workflow.id);
    let from = artifact.from.as_deref().unwrap_or("?");
    let to = if artifact.to.is_empty() { "no job".to_owned() } else { list(&artifact.to) };
    text.push_str(&format!("\n\nfrom `{from}` to {to}"));
    if !artifact.paths.is_empty() {
        text.push_str(&format!("\n\npaths: {}", list(&artifact.paths)));
    }
    Some(text)
}
