//! Quick fixes: every mistake whose help suggests a replacement ("did you
//! mean", a KDL v1 keyword) becomes an edit that makes it.

use std::collections::HashMap;

use gen_lsp_types::{CodeAction, CodeActionKind, Range, WorkspaceEdit};

use super::diagnostics::{convert, fix, overlaps};
use super::document::View;

/// The quick fixes for the mistakes that touch `range`.
pub fn actions(view: &View<'_>, range: Range) -> Vec<CodeAction> {
    view.analysis
        .diagnostics
        .iter()
        .filter_map(|located| {
            let edit = fix(located.error(), view.text, view.lines)?;
            let diagnostic = convert(located, view.text, view.lines, view.uri);
            if !overlaps(&diagnostic.range, &range) {
                return None;
            }
            Some(CodeAction {
                title: format!("Replace with `{}`", edit.new_text),
                kind: Some(CodeActionKind::QuickFix),
                diagnostics: Some(vec![diagnostic]),
                is_preferred: Some(true),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(view.uri.clone(), vec![edit])])),
                    ..WorkspaceEdit::default()
                }),
                ..CodeAction::default()
            })
        })
        .collect()
}
