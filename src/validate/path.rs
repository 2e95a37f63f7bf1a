//! Output paths: relative to the spec's folder and never outside it.

use crate::error::SpecError;
use crate::parse::spec::Spanned;

/// Normalises `file` to a `/`-separated relative path, or reports why it
/// would leave the project.
pub fn output(cx: &mut super::Checker<'_>, file: &Spanned<String>) -> Option<String> {
    let raw = file.value.as_str();
    let outside = |cx: &mut super::Checker<'_>, problem| {
        cx.error(SpecError::OutputOutside { path: raw.to_owned(), span: file.span, problem });
        None
    };
    if raw.starts_with('/') || raw.starts_with('\\') || raw.get(1..2) == Some(":") {
        return outside(cx, "an absolute path");
    }
    let mut parts = Vec::new();
    for part in raw.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => return outside(cx, "`..` leaves the spec's folder"),
            part => parts.push(part),
        }
    }
    if parts.is_empty() {
        return outside(cx, "not a file");
    }
    let normal = parts.join("/");
    if !(normal.ends_with(".yml") || normal.ends_with(".yaml")) {
        cx.error(SpecError::InvalidValue {
            what: "file".to_owned(),
            problem: format!("`{raw}` is not a `.yml` or `.yaml` file"),
            span: file.span,
            help: Some("runners only read workflow files ending in `.yml` or `.yaml`".to_owned()),
        });
        return None;
    }
    Some(normal)
}
