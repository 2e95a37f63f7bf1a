//! Unified diffs between the file on disk and the generated one.
//!
//! The digest line is left out of both sides: it differs whenever the body
//! does, and says nothing a reader can act on. Hunk headers still number
//! the lines as they are in the files.

use similar::{ChangeTag, TextDiff};

use super::header::DIGEST_PREFIX;

/// A unified diff from `old` (on disk) to `new` (generated), with headers.
pub fn unified(path: &str, old: &str, new: &str, new_label: &str) -> String {
    between(&format!("{path} (on disk)"), old, &format!("{path} ({new_label})"), new)
}

/// A unified diff from `old`, labelled `old_label`, to `new`.
pub fn between(old_label: &str, old: &str, new_label: &str, new: &str) -> String {
    let (old_lines, old_numbers) = lines(old);
    let (new_lines, new_numbers) = lines(new);
    let diff = TextDiff::from_slices(&old_lines, &new_lines);
    let mut out = format!("--- {old_label}\n+++ {new_label}\n");
    for group in diff.grouped_ops(3) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else { continue };
        let old_range = first.old_range().start..last.old_range().end;
        let new_range = first.new_range().start..last.new_range().end;
        out.push_str(&format!(
            "@@ -{} +{} @@\n",
            range(&old_numbers, old_range),
            range(&new_numbers, new_range)
        ));
        for op in &group {
            for change in diff.iter_changes(op) {
                let sign = match change.tag() {
                    ChangeTag::Equal => ' ',
                    ChangeTag::Delete => '-',
                    ChangeTag::Insert => '+',
                };
                let line = change.value();
                out.push(sign);
                out.push_str(line);
                if !line.ends_with('\n') {
                    out.push_str("\n\\ No newline at end of file\n");
                }
            }
        }
    }
    out
}

/// The lines of `text` (each with its line break) but the digest line, and
/// the number each has in the file.
fn lines(text: &str) -> (Vec<&str>, Vec<usize>) {
    text.split_inclusive('\n')
        .enumerate()
        .filter(|(_, line)| !line.starts_with(DIGEST_PREFIX))
        .map(|(index, line)| (line, index + 1))
        .unzip()
}

/// `start,count` of the hunk covering `lines` (indices into the kept lines),
/// in the file's own line numbers.
fn range(numbers: &[usize], lines: std::ops::Range<usize>) -> String {
    let count = lines.len();
    let start = match numbers.get(lines.start) {
        Some(number) if count > 0 => *number,
        // An empty range: the line before the insertion point.
        _ => lines.start.checked_sub(1).and_then(|i| numbers.get(i)).copied().unwrap_or(0),
    };
    if count == 1 { start.to_string() } else { format!("{start},{count}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_line_is_left_out_and_lines_keep_their_numbers() {
        let old = "# a\n# b\n# cigen-digest: sha256:00\nx: 1\ny: 2\n";
        let new = "# a\n# b\n# cigen-digest: sha256:ff\nx: 1\ny: 3\n";
        let diff = unified("ci.yml", old, new, "generated");
        assert_eq!(
            diff,
            "--- ci.yml (on disk)\n+++ ci.yml (generated)\n@@ -1,4 +1,4 @@\n # a\n # b\n x: 1\n-y: 2\n+y: 3\n"
        );
    }

    #[test]
    fn a_missing_last_line_break_is_shown() {
        let diff = unified("f", "a\nb", "a\nb\n", "new");
        assert!(diff.contains("-b\n\\ No newline at end of file\n+b\n"), "{diff}");
    }

    #[test]
    fn the_same_text_has_no_hunk() {
        assert_eq!(between("a", "x\n", "b", "x\n"), "--- a\n+++ b\n");
    }
}
