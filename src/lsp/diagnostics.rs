//! `cigen check`'s diagnostics as the protocol's: the same message, the
//! first label's span as the range, the other labels as related
//! information, the help line appended, and a suggested replacement
//! carried as data for the quick fix.

use gen_lsp_types::{
    Code, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, Range, TextEdit,
    Uri,
};
use miette::Diagnostic as _;
use serde_json::json;

use super::position::Lines;
use crate::error::{Located, SpecError};

/// The protocol's form of `located`, a mistake in `text`.
pub fn convert(located: &Located, text: &str, lines: &Lines, uri: &Uri) -> Diagnostic {
    let error = located.error();
    let mut labels = error.labels().into_iter().flatten();
    let range = match labels.next() {
        Some(first) => lines.range(text, first.offset(), first.offset() + first.len()),
        None => lines.range(text, 0, 0),
    };
    let related: Vec<DiagnosticRelatedInformation> = labels
        .map(|label| DiagnosticRelatedInformation {
            location: Location {
                uri: uri.clone(),
                range: lines.range(text, label.offset(), label.offset() + label.len()),
            },
            message: label.label().unwrap_or_default().to_owned(),
        })
        .collect();
    let mut message = error.to_string();
    if let Some(help) = error.help() {
        message.push_str(&format!("\nhelp: {help}"));
    }
    Diagnostic {
        range,
        severity: Some(severity(error)),
        code: error.code().map(|c| Code::String(c.to_string())),
        source: Some("cigen".to_owned()),
        message: message.into(),
        related_information: (!related.is_empty()).then_some(related),
        data: fix(error, text, lines).map(|edit| json!({ "fix": edit })),
        ..Diagnostic::default()
    }
}

/// How serious the mistake is: an error unless it says otherwise.
fn severity(error: &SpecError) -> DiagnosticSeverity {
    match error.severity() {
        Some(miette::Severity::Warning) => DiagnosticSeverity::Warning,
        Some(miette::Severity::Advice) => DiagnosticSeverity::Information,
        Some(miette::Severity::Error) | None => DiagnosticSeverity::Error,
    }
}

/// The edit that applies the mistake's suggestion, if it has one.
pub fn fix(error: &SpecError, text: &str, lines: &Lines) -> Option<TextEdit> {
    let suggestion = error.suggestion()?;
    let start = suggestion.span.offset();
    let end = start + suggestion.span.len();
    let token = text.get(start..end)?;
    let quoted = token.len() >= 2 && token.starts_with('"') && token.ends_with('"');
    let (start, end) = if quoted { (start + 1, end - 1) } else { (start, end) };
    Some(TextEdit { range: lines.range(text, start, end), new_text: suggestion.replacement })
}

/// Whether `a` and `b` share a position (touching counts).
pub fn overlaps(a: &Range, b: &Range) -> bool {
    a.start <= b.end && b.start <= a.end
}
