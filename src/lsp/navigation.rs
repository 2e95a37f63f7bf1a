//! Definition, references and rename of job ids and artifact names, within
//! their workflow (and the templates and step lists its jobs use).

use std::collections::HashMap;

use gen_lsp_types::{
    Position, PrepareRenamePlaceholder, PrepareRenameResult, Range, TextEdit, WorkspaceEdit,
};

use super::document::View;
use super::error::LspError;
use super::index::{Kind, Occurrence, Role, Workflow};
use crate::model::{ArtifactName, JobId};

/// The occurrence at `position` and its workflow.
fn at<'a>(view: &'a View<'_>, position: Position) -> Option<(&'a Workflow, &'a Occurrence)> {
    view.analysis.index.as_ref()?.occurrence_at(view.offset(position))
}

/// Where the name at `position` is declared.
pub fn definition(view: &View<'_>, position: Position) -> Vec<Range> {
    let Some((workflow, found)) = at(view, position) else { return Vec::new() };
    workflow
        .occurrences_of(found.kind, &found.name)
        .filter(|o| o.role == Role::Definition)
        .map(|o| view.range(&o.span))
        .collect()
}

/// Every place the name at `position` is written.
pub fn references(view: &View<'_>, position: Position, declaration: bool) -> Vec<Range> {
    let Some((workflow, found)) = at(view, position) else { return Vec::new() };
    workflow
        .occurrences_of(found.kind, &found.name)
        .filter(|o| declaration || o.role != Role::Definition)
        .map(|o| view.range(&o.span))
        .collect()
}

/// The name at `position`, if it can be renamed.
pub fn prepare_rename(
    view: &View<'_>,
    position: Position,
) -> Result<Option<PrepareRenameResult>, LspError> {
    let Some((workflow, found)) = at(view, position) else { return Ok(None) };
    declared(workflow, found)?;
    Ok(Some(PrepareRenameResult::PrepareRenamePlaceholder(PrepareRenamePlaceholder {
        range: view.range(&found.span),
        placeholder: found.name.clone(),
    })))
}

/// The edits that rename the name at `position` to `new` everywhere.
pub fn rename(view: &View<'_>, position: Position, new: &str) -> Result<WorkspaceEdit, LspError> {
    let Some((workflow, found)) = at(view, position) else {
        return Err(LspError::Rename {
            reason: "there is no job id or artifact name here".to_owned(),
        });
    };
    declared(workflow, found)?;
    let refused = |reason: String| LspError::Rename { reason };
    let valid = match found.kind {
        Kind::Job => JobId::new(new).map(|_| ()),
        Kind::Artifact => ArtifactName::new(new).map(|_| ()),
    };
    valid.map_err(|e| {
        refused(format!("invalid {} `{new}`: it {}; {}", found.kind.noun(), e.reason, e.rule))
    })?;
    if new != found.name && workflow.declares(found.kind, new) {
        return Err(refused(format!(
            "workflow `{}` already has a {} `{new}`",
            workflow.id,
            found.kind.noun()
        )));
    }
    let edits = workflow
        .occurrences_of(found.kind, &found.name)
        .map(|o| TextEdit { range: view.range(&o.span), new_text: spelled(view.text, o, new) })
        .collect();
    Ok(WorkspaceEdit {
        changes: Some(HashMap::from([(view.uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    })
}

/// Refuses a name its workflow does not declare: there is nothing to rename.
fn declared(workflow: &Workflow, found: &Occurrence) -> Result<(), LspError> {
    if workflow.declares(found.kind, &found.name) {
        return Ok(());
    }
    Err(LspError::Rename {
        reason: format!(
            "workflow `{}` has no {} `{}` to rename",
            workflow.id,
            found.kind.noun(),
            found.name
        ),
    })
}

/// `new` as the occurrence's token needs it: quoted where the old name was
/// a bare word that the new one cannot be.
fn spelled(text: &str, occurrence: &Occurrence, new: &str) -> String {
    let quoted = occurrence.span.start.checked_sub(1).and_then(|i| text.get(i..=i)) == Some("\"");
    let bare_ok = new.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        && !new.starts_with(|c: char| c.is_ascii_digit())
        && !matches!(new, "true" | "false" | "null" | "inf" | "nan");
    if quoted || occurrence.role == Role::Expression || bare_ok {
        new.to_owned()
    } else {
        format!("{new:?}")
    }
}
