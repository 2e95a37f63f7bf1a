//! Unified diffs between the file on disk and the generated one.

use similar::TextDiff;

/// A unified diff from `old` (on disk) to `new` (generated), with headers.
pub fn unified(path: &str, old: &str, new: &str, new_label: &str) -> String {
    TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("{path} (on disk)"), &format!("{path} ({new_label})"))
        .to_string()
}
