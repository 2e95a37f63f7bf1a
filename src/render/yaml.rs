//! YAML scalars that parse back to exactly the string they came from, under
//! YAML 1.2 and YAML 1.1 parsers alike.
//!
//! A string is written plain only when no parser could read it as anything
//! else (a boolean, number, null, date, alias, tag, comment or indicator);
//! otherwise it is double-quoted with escapes. Multi-line text becomes a
//! literal block when that is byte-exact.

use std::fmt::Write;

/// Characters that may not start a plain scalar.
const INDICATORS: &str = "-?:,[]{}#&*!|>'\"%@`";

/// The YAML for `s` as a single-line scalar. In `flow` context (inside
/// `[…]` or `{…}`) the flow indicators `,[]{}` force quoting too.
pub fn scalar(s: &str, flow: bool) -> String {
    if is_plain(s, flow) { s.to_owned() } else { quoted(s) }
}

/// The YAML for `s` after a mapping key: a literal block scalar, indented two
/// spaces past the key, when `s` spans lines and a block is exact; else a
/// single-line scalar.
pub fn block(s: &str) -> String {
    literal(s).unwrap_or_else(|| scalar(s, false))
}

/// Whether `s` may be written as a plain scalar.
pub fn is_plain(s: &str, flow: bool) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let last = s.chars().next_back().unwrap_or(first);
    !(first == ' '
        || last == ' '
        || last == ':'
        || INDICATORS.contains(first)
        || s.contains(": ")
        || s.contains(" #"))
        && !(flow && s.contains([',', '[', ']', '{', '}']))
        && s.chars().all(|c| !needs_escape(c) && c != '\t' && c != '\n' && c != '\u{a0}')
        && !first.is_whitespace()
        && !last.is_whitespace()
        && !implicitly_typed(s)
}

/// Whether a YAML 1.1 or 1.2 parser could resolve the plain scalar `s` to
/// something other than a string. Deliberately broad: anything that starts
/// like a number, date or time is treated as typed.
fn implicitly_typed(s: &str) -> bool {
    const WORDS: &[&str] =
        &["y", "n", "yes", "no", "true", "false", "on", "off", "null", "~", "<<", "="];
    let lower = s.to_ascii_lowercase();
    if WORDS.contains(&lower.as_str()) {
        return true;
    }
    let mut chars = s.chars();
    let first = chars.next().unwrap_or(' ');
    let second = chars.next();
    first.is_ascii_digit()
        || first == '+'
        || (first == '.'
            && (second.is_none_or(|c| c.is_ascii_digit() || c == '.' || c == '_')
                || lower.starts_with(".inf")
                || lower.starts_with(".nan")))
}

/// Characters that must be escaped in any YAML output: controls, DEL, C1
/// controls, the YAML 1.1 line breaks NEL, LS and PS, the BOM and the
/// non-characters U+FFFE and U+FFFF.
fn needs_escape(c: char) -> bool {
    (c < ' ' && c != '\t' && c != '\n')
        || ('\u{7f}'..='\u{9f}').contains(&c)
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}')
}

/// A double-quoted scalar with JSON-compatible escapes.
pub fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A literal block scalar (`|`, `|-`, `|+`, with an indentation indicator
/// when the text starts with a space or an empty line), or `None` when a
/// block could not hold `s` exactly.
fn literal(s: &str) -> Option<String> {
    let content = s.trim_end_matches('\n');
    let trailing = s.len() - content.len();
    if !content.contains('\n') && trailing < 2 || content.trim().is_empty() {
        return None;
    }
    let lines: Vec<&str> = content.split('\n').collect();
    let exact = s.chars().all(|c| !needs_escape(c))
        && lines.iter().all(|line| line.is_empty() || !line.trim_matches([' ', '\t']).is_empty())
        && !content.starts_with('\t');
    if !exact {
        return None;
    }
    let indicator = if lines[0].is_empty() || lines[0].starts_with(' ') { "2" } else { "" };
    let chomp = match trailing {
        0 => "-",
        1 => "",
        _ => "+",
    };
    let mut out = format!("|{indicator}{chomp}");
    for line in &lines {
        out.push('\n');
        if !line.is_empty() {
            out.push_str("  ");
            out.push_str(line);
        }
    }
    for _ in 1..trailing {
        out.push('\n');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse_back(yaml_value: &str) -> String {
        let doc = format!("k: {yaml_value}\n");
        let parsed: std::collections::BTreeMap<String, serde_json::Value> =
            serde_saphyr::from_str(&doc).unwrap_or_else(|e| panic!("{doc:?}: {e}"));
        match &parsed["k"] {
            serde_json::Value::String(s) => s.clone(),
            other => panic!("{doc:?} parsed as {other:?}"),
        }
    }

    fn parse_nested(yaml_value: &str) -> String {
        // The value under a key inside a sequence item, as templates nest it.
        let doc = format!("a:\n  - b: {}\n    c: 1\n", yaml_value.replace('\n', "\n    "))
            .replace("\n    \n", "\n\n");
        let parsed: serde_json::Value =
            serde_saphyr::from_str(&doc).unwrap_or_else(|e| panic!("{doc:?}: {e}"));
        parsed["a"][0]["b"].as_str().unwrap_or_else(|| panic!("{doc:?}")).to_owned()
    }

    #[test]
    fn plain_when_unambiguous() {
        for s in ["main", "nox -s lint", "v1.2", ".coverage", "${{ github.ref }}", "a:b", "src/**"]
        {
            assert_eq!(scalar(s, false), s);
        }
    }

    #[test]
    fn quotes_yaml_traps() {
        for s in [
            "on",
            "yes",
            "No",
            "3.10",
            "0777",
            "~",
            "null",
            "2024-01-01",
            "*",
            "&a",
            "!x",
            "%",
            "@",
            "`",
            "|",
            ">",
            "- x",
            "? x",
            "a: b",
            "a #b",
            "",
            " lead",
            "trail ",
            "'q'",
            "\"",
            ".inf",
            "+1",
            "1:20",
            "<<",
            "=",
            "a\tb",
            ".5",
            "...",
        ] {
            let out = scalar(s, false);
            assert!(out.starts_with('"'), "{s:?} → {out}");
            assert_eq!(parse_back(&out), s);
        }
        assert_eq!(scalar("a,b", true), "\"a,b\"");
        assert_eq!(scalar("a,b", false), "a,b");
    }

    #[test]
    fn escapes_controls_and_line_separators() {
        let s = "a\u{2028}b\u{85}c\u{7}d\re\u{feff}";
        let out = quoted(s);
        assert!(!out.contains('\u{2028}') && !out.contains('\r'));
        assert_eq!(parse_back(&out), s);
    }

    #[test]
    fn literal_blocks_keep_trailing_newlines_exactly() {
        assert_eq!(block("a\nb"), "|-\n  a\n  b");
        assert_eq!(block("a\nb\n"), "|\n  a\n  b");
        assert_eq!(block("a\n\nb\n\n"), "|+\n  a\n\n  b\n");
        assert_eq!(block("  x\ny\n"), "|2\n    x\n  y");
        for s in ["a\nb", "a\nb\n", "a\n\nb\n\n\n", "  x\ny", "\nx\n", "a\n  b\n"] {
            assert_eq!(parse_nested(&block(s)), s, "{s:?}");
        }
    }

    #[test]
    fn falls_back_to_quotes_when_a_block_is_not_exact() {
        for s in ["a\r\nb", "a\n \nb", "\tx\ny", "x\u{2028}\ny"] {
            assert!(block(s).starts_with('"'), "{s:?}");
            assert_eq!(parse_back(&block(s)), s);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn scalars_round_trip(s in any::<String>()) {
            prop_assert_eq!(parse_back(&scalar(&s, false)), s.clone());
            prop_assert_eq!(parse_back(&scalar(&s, true)), s);
        }

        #[test]
        fn blocks_round_trip(s in "[a-z #:'\"\\\\\t\n{}%*-]{0,40}") {
            prop_assert_eq!(parse_nested(&block(&s)), s);
        }
    }
}
