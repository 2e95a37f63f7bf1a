//! How deep blocks nest, found before any reader runs: readers descend one
//! call per `{`, so a spec that nests thousands of blocks deep would
//! exhaust the stack. No real spec nests more than a handful of levels.

use miette::SourceSpan;

/// The deepest nesting of `{ … }` blocks a spec may have.
pub const MAX_DEPTH: usize = 32;

/// The `{` of the first block nested deeper than [`MAX_DEPTH`], if any.
///
/// Strings (quoted, multi-line and raw) and comments are skipped, so a `{`
/// inside them does not count. On text that is not valid KDL the answer may
/// be off; the readers then report the syntax error themselves.
pub fn too_deep(text: &str) -> Option<SourceSpan> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(SourceSpan::new(at.into(), 1));
                }
                at += 1;
            }
            b'}' => {
                depth = depth.saturating_sub(1);
                at += 1;
            }
            b'/' if bytes.get(at + 1) == Some(&b'/') => {
                at = text[at..].find('\n').map_or(bytes.len(), |n| at + n);
            }
            b'/' if bytes.get(at + 1) == Some(&b'*') => at = block_comment(bytes, at),
            b'"' => at = quoted(bytes, at),
            b'#' => {
                let hashes = bytes[at..].iter().take_while(|&&b| b == b'#').count();
                at = if bytes.get(at + hashes) == Some(&b'"') {
                    raw(bytes, at + hashes, hashes)
                } else {
                    at + hashes
                };
            }
            _ => at += 1,
        }
    }
    None
}

/// The end of a `/* … */` comment starting at `at`, nested ones included.
pub(super) fn block_comment(bytes: &[u8], mut at: usize) -> usize {
    let mut depth = 0usize;
    while at < bytes.len() {
        if bytes[at..].starts_with(b"/*") {
            depth += 1;
            at += 2;
        } else if bytes[at..].starts_with(b"*/") {
            depth -= 1;
            at += 2;
            if depth == 0 {
                return at;
            }
        } else {
            at += 1;
        }
    }
    at
}

/// The end of a quoted or multi-line string whose first `"` is at `at`.
pub(super) fn quoted(bytes: &[u8], at: usize) -> usize {
    let (mut at, close): (usize, &[u8]) =
        if bytes[at..].starts_with(b"\"\"\"") { (at + 3, b"\"\"\"") } else { (at + 1, b"\"") };
    while at < bytes.len() {
        if bytes[at] == b'\\' {
            at += 2;
        } else if bytes[at..].starts_with(close) {
            return at + close.len();
        } else {
            at += 1;
        }
    }
    at
}

/// The end of a raw string with `hashes` `#`s whose first `"` is at `at`.
pub(super) fn raw(bytes: &[u8], at: usize, hashes: usize) -> usize {
    let quotes = if bytes[at..].starts_with(b"\"\"\"") { 3 } else { 1 };
    let mut close = vec![b'"'; quotes];
    close.extend(std::iter::repeat_n(b'#', hashes));
    let mut at = at + quotes;
    while at < bytes.len() {
        if bytes[at..].starts_with(&close) {
            return at + close.len();
        }
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(depth: usize) -> String {
        format!("{}{}", "x {".repeat(depth), "}".repeat(depth))
    }

    #[test]
    fn finds_the_first_block_past_the_limit() {
        assert_eq!(too_deep(&nested(MAX_DEPTH)), None);
        let span = too_deep(&nested(30_000)).expect("too deep");
        assert_eq!(span.offset(), 3 * MAX_DEPTH + 2);
    }

    #[test]
    fn braces_in_strings_and_comments_do_not_count() {
        let deep = "{".repeat(MAX_DEPTH + 1);
        for text in [
            format!("run \"{deep}\""),
            format!("run \"\\\"{deep}\""),
            format!("run \"\"\"\n{deep}\n\"\"\""),
            format!("run #\"\"{deep}\"#"),
            format!("run ##\"\"#{deep}\"##"),
            format!("run #\"\"\"\n\"\"\"{deep}\n\"\"\"#"),
            format!("// {deep}\nx"),
            format!("/* /* {deep} */ {deep} */ x"),
        ] {
            assert_eq!(too_deep(&text), None, "{text}");
        }
        assert!(too_deep(&format!("x \"{{\" {}", nested(MAX_DEPTH + 1))).is_some());
    }
}

#[cfg(test)]
mod readers {
    use super::MAX_DEPTH;
    use crate::source::Source;

    /// Both readers handle the deepest spec allowed on a test thread's
    /// small stack: the fast reader, and the `kdl` crate (a raw string
    /// sends the text to it).
    #[test]
    fn both_readers_handle_the_deepest_spec_allowed() {
        let inner = "x { ".repeat(MAX_DEPTH - 2) + &"}".repeat(MAX_DEPTH - 2);
        for value in ["\"a\"", "#\"a\"#"] {
            let text = format!(
                "workflow \"ci\" {{\n  on {{ push }}\n  job \"a\" {{ run {value}; {inner} }}\n}}\n"
            );
            let (spec, errors) = crate::parse::parse(&Source::new("p.kdl", text));
            assert!(spec.is_some());
            assert!(errors.iter().all(|e| !matches!(e, crate::error::SpecError::TooDeep { .. })));
        }
    }
}
