//! Where a part of a string value was written: a string's value and its
//! text in the spec differ by its quotes, escapes and, for a multi-line
//! string, the indentation KDL strips. To point at `${{ github.x }}` inside
//! a script, the value is decoded again from the spec's text, noting where
//! each byte of the value came from.
//!
//! The decoding is checked against the value the parser read; when they
//! differ (a form this decoder does not know), the whole token is the
//! answer, which is never wrong, only less precise.

use std::ops::Range;

use miette::SourceSpan;

/// The span in the spec of bytes `range` of the string value `value`, whose
/// token is `token` (its text in the spec) at `span`.
pub fn locate(value: &str, token: &str, span: SourceSpan, range: Range<usize>) -> SourceSpan {
    let Some(origins) = decode(token).filter(|(decoded, _)| decoded == value).map(|(_, o)| o)
    else {
        return span;
    };
    let (Some(first), Some(last)) =
        (origins.get(range.start), origins.get(range.end.saturating_sub(1).max(range.start)))
    else {
        return span;
    };
    let (start, end) = if range.is_empty() { (first.0, first.0) } else { (first.0, last.1) };
    SourceSpan::new((span.offset() + start).into(), end.saturating_sub(start))
}

/// For each byte of a value, the bytes of the token that wrote it.
type Origins = Vec<(usize, usize)>;

fn each(start: usize, len: usize) -> impl Iterator<Item = (usize, usize)> {
    (start..start + len).map(|i| (i, i + 1))
}

/// The value a string token reads as, and for each byte of it the offset in
/// the token it came from; `None` for forms left to the caller.
fn decode(token: &str) -> Option<(String, Origins)> {
    let hashes = token.bytes().take_while(|&b| b == b'#').count();
    let body = &token[hashes..];
    if hashes > 0 {
        return raw(token, hashes);
    }
    if body.starts_with("\"\"\"") {
        return multi_line(token);
    }
    if body.starts_with('"') {
        let inner = token.get(1..token.len().checked_sub(1)?)?;
        return escaped(inner, 1);
    }
    // A bare identifier is its own value.
    Some((token.to_owned(), each(0, token.len()).collect()))
}

/// `#"…"#` and `#"""…"""#`: no escapes; a multi-line one is dedented.
fn raw(token: &str, hashes: usize) -> Option<(String, Origins)> {
    let quoted = token.get(hashes..token.len().checked_sub(hashes)?)?;
    if quoted.starts_with("\"\"\"") {
        return None;
    }
    let inner = quoted.get(1..quoted.len().checked_sub(1)?)?;
    Some((inner.to_owned(), each(hashes + 1, inner.len()).collect()))
}

/// The escapes of a quoted string; `base` is where `inner` starts.
fn escaped(inner: &str, base: usize) -> Option<(String, Origins)> {
    let mut value = String::new();
    let mut origins = Vec::new();
    let mut chars = inner.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c != '\\' {
            value.push(c);
            let whole = (base + at, base + at + c.len_utf8());
            origins.extend(std::iter::repeat_n(whole, c.len_utf8()));
            continue;
        }
        let (_, next) = chars.next()?;
        let decoded = match next {
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            '\\' => '\\',
            '"' => '"',
            'b' => '\u{8}',
            'f' => '\u{c}',
            's' => ' ',
            'u' => {
                let mut hex = String::new();
                if chars.next()?.1 != '{' {
                    return None;
                }
                for (_, d) in chars.by_ref() {
                    if d == '}' {
                        break;
                    }
                    hex.push(d);
                }
                char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?
            }
            c if c.is_whitespace() => {
                // A backslash before whitespace swallows all of it.
                while chars.peek().is_some_and(|(_, d)| d.is_whitespace()) {
                    chars.next();
                }
                continue;
            }
            _ => return None,
        };
        value.push(decoded);
        let end = chars.peek().map_or(inner.len(), |(i, _)| *i);
        origins.extend(std::iter::repeat_n((base + at, base + end), decoded.len_utf8()));
    }
    Some((value, origins))
}

/// `"""` strings: the lines between the delimiters, each without the
/// indentation of the closing line, then their escapes.
fn multi_line(token: &str) -> Option<(String, Origins)> {
    let inner = token.get(3..token.len().checked_sub(3)?)?;
    let inner = inner.strip_prefix('\n')?;
    let (content, indent) = inner.rsplit_once('\n')?;
    if !indent.chars().all(|c| c == ' ' || c == '\t') {
        return None;
    }
    let mut dedented = String::new();
    let mut origins = Vec::new();
    let mut at = 4; // `"""` and the line break
    for (i, line) in content.split('\n').enumerate() {
        if i > 0 {
            dedented.push('\n');
            origins.push(at - 1);
        }
        let kept =
            if line.trim_matches([' ', '\t']).is_empty() { "" } else { line.strip_prefix(indent)? };
        let skipped = line.len() - kept.len();
        dedented.push_str(kept);
        origins.extend((0..kept.len()).map(|j| at + skipped + j));
        at += line.len() + 1;
    }
    // Escapes are read in the dedented text; map them through.
    let (value, inner) = escaped(&dedented, 0)?;
    let origins = inner
        .into_iter()
        .map(|(start, end)| {
            let first = *origins.get(start)?;
            let last = *origins.get(end.checked_sub(1)?)?;
            Some((first, last + 1))
        })
        .collect::<Option<Origins>>()?;
    Some((value, origins))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Finds `needle` in the value of `token` and returns the text of the
    /// token it maps back to.
    fn back<'a>(token: &'a str, value: &str, needle: &str) -> &'a str {
        let start = value.find(needle).expect("needle in value");
        let span = locate(
            value,
            token,
            SourceSpan::new(0.into(), token.len()),
            start..start + needle.len(),
        );
        &token[span.offset()..span.offset() + span.len()]
    }

    #[test]
    fn points_through_quotes_and_escapes() {
        let token = r#""echo \"${{ github.sha }}\" \u{e9} ${{ x }}""#;
        let value = "echo \"${{ github.sha }}\" é ${{ x }}";
        assert_eq!(back(token, value, "${{ github.sha }}"), "${{ github.sha }}");
        assert_eq!(back(token, value, "${{ x }}"), "${{ x }}");
        assert_eq!(back(token, value, "é"), "\\u{e9}");
    }

    #[test]
    fn points_into_raw_and_multi_line_strings() {
        assert_eq!(back(r##"#"a "${{ b }}""#"##, "a \"${{ b }}\"", "${{ b }}"), "${{ b }}");
        let token =
            "\"\"\"\n        make \\\n          all\n        echo ${{ env.X }}\n        \"\"\"";
        let value = "make all\necho ${{ env.X }}";
        assert_eq!(back(token, value, "${{ env.X }}"), "${{ env.X }}");
        assert_eq!(back(token, value, "all"), "all");
    }

    #[test]
    fn an_unknown_form_gives_the_whole_token() {
        let span = SourceSpan::new(10.into(), 5);
        assert_eq!(locate("other", "\"abc\"", span, 0..1), span);
    }
}
