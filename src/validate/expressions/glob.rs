//! Branch, tag and path filters: the forges' pattern syntax (`*`, `**`,
//! `?` and `+` after a character, `[…]` classes, a leading `!`, `\` before
//! a special character), and for branches and tags what a Git ref name may
//! hold. The rules are actionlint's (its `glob` check), except that a
//! class of one character (`[x]`) is allowed: it is useless, not wrong.

use std::ops::Range;

use super::Checker;
use crate::error::SpecError;
use crate::parse::spec::Spanned;

const HELP: &str = "in a pattern, `*` matches within a folder, `**` across folders, `?` and `+` make the character before optional or repeated, `[…]` is a class of characters and a leading `!` excludes; `\\` before one of them matches it as it is";

const REF_HELP: &str = "branch and tag names follow `git check-ref-format`: no spaces, `~`, `^`, `:` or `\\`, and no `/` at the start or `/` or `.` at the end";

/// Reports `pattern` of the filter `filter` (`branches`, `paths`, …) when
/// it is not a valid pattern; `types` and `workflows` are names.
pub fn check(cx: &mut Checker<'_>, filter: &str, pattern: &Spanned<String>) {
    let is_ref = matches!(filter, "branches" | "branches-ignore" | "tags" | "tags-ignore");
    if !is_ref && !matches!(filter, "paths" | "paths-ignore") {
        return;
    }
    if let Some((range, problem, about_refs)) = problem(&pattern.value, is_ref) {
        let span = cx.locate(pattern, range);
        cx.error(SpecError::InvalidPattern {
            pattern: pattern.value.clone(),
            filter: filter.to_owned(),
            problem,
            span,
            help: if about_refs { REF_HELP } else { HELP }.to_owned(),
        });
    }
}

/// The first mistake of `pattern`: its bytes, what it is, and whether it
/// is about ref names rather than pattern syntax.
fn problem(pattern: &str, is_ref: bool) -> Option<(Range<usize>, String, bool)> {
    if pattern.is_empty() {
        return Some((0..0, "it is empty".to_owned(), false));
    }
    let chars: Vec<(usize, char)> = pattern.char_indices().collect();
    let span = |i: usize| {
        let (at, c) = chars.get(i).copied().unwrap_or((pattern.len(), ' '));
        at..(at + c.len_utf8()).min(pattern.len())
    };
    let bad_ref = |i: usize, what: String| Some((span(i), what, true));
    let mut i = 0;
    // Whether the character before can take `?` or `+`.
    let mut repeatable = false;
    match chars.first().map(|(_, c)| *c) {
        Some('/') if is_ref => return bad_ref(0, "a ref name cannot start with `/`".to_owned()),
        Some('!') => {
            if chars.len() == 1 {
                return Some((
                    span(0),
                    "`!` excludes nothing: a pattern must follow".to_owned(),
                    false,
                ));
            }
            i = 1;
        }
        _ => {}
    }
    while let Some(&(_, c)) = chars.get(i) {
        match c {
            '\\' => match chars.get(i + 1).map(|(_, c)| *c) {
                Some(escaped @ ('[' | '?' | '*')) => {
                    if is_ref {
                        return bad_ref(i + 1, format!("a ref name cannot contain `{escaped}`"));
                    }
                    i += 1;
                    repeatable = true;
                }
                Some('+' | '\\' | '!') => {
                    i += 1;
                    repeatable = true;
                }
                _ if is_ref => return bad_ref(i, "a ref name cannot contain `\\`".to_owned()),
                _ => repeatable = true,
            },
            '?' | '+' => {
                if !repeatable {
                    let problem =
                        format!("`{c}` repeats the character before it, and there is none");
                    return Some((span(i), problem, false));
                }
                repeatable = false;
            }
            '*' => repeatable = false,
            '[' => {
                let open = i;
                if chars.get(i + 1).map(|(_, c)| *c) == Some(']') {
                    return Some((
                        open_close(&span, open, i + 1),
                        "an empty `[]`".to_owned(),
                        false,
                    ));
                }
                i += 1;
                loop {
                    let Some(&(_, first)) = chars.get(i) else {
                        return Some((
                            span(open),
                            "`[` is never closed with `]`".to_owned(),
                            false,
                        ));
                    };
                    if first == ']' {
                        break;
                    }
                    if chars.get(i + 1).map(|(_, c)| *c) == Some('-') {
                        match chars.get(i + 2).map(|(_, c)| *c) {
                            Some(']') => {
                                let problem = format!("the range `{first}-` has no end");
                                return Some((open_close(&span, i, i + 1), problem, false));
                            }
                            Some(last) if first > last => {
                                let problem = format!("the range `{first}-{last}` runs backwards");
                                return Some((open_close(&span, i, i + 2), problem, false));
                            }
                            Some(_) => i += 2,
                            None => {}
                        }
                    }
                    i += 1;
                }
                repeatable = true;
            }
            '\r' | '\n' => return Some((span(i), "a line break".to_owned(), false)),
            ' ' | '\t' | '~' | '^' | ':' if is_ref => {
                let shown = if c == '\t' { "a tab".to_owned() } else { format!("`{c}`") };
                let shown = if c == ' ' { "a space".to_owned() } else { shown };
                return bad_ref(i, format!("a ref name cannot contain {shown}"));
            }
            _ => repeatable = true,
        }
        i += 1;
    }
    let last = chars.len() - 1;
    match chars.get(last).map(|(_, c)| *c) {
        Some(end @ ('/' | '.')) if is_ref && !(last > 0 && chars[last - 1].1 == '\\') => {
            bad_ref(last, format!("a ref name cannot end with `{end}`"))
        }
        _ => None,
    }
}

/// The bytes from character `from` to character `to`, both included.
fn open_close(span: &impl Fn(usize) -> Range<usize>, from: usize, to: usize) -> Range<usize> {
    span(from).start..span(to).end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(pattern: &str, is_ref: bool) -> Option<(String, String)> {
        problem(pattern, is_ref).map(|(r, p, _)| (pattern[r].to_owned(), p))
    }

    #[test]
    fn valid_patterns() {
        for pattern in [
            "main",
            "release/*",
            "releases/**",
            "!releases/**-alpha",
            "v[0-9]+.[0-9]+.*",
            "v*",
            "**.md",
            "feature/?x",
            "[abc]",
            "[x]",
            "v1.0+",
            "**",
            "*",
        ] {
            assert_eq!(found(pattern, true), None, "{pattern}");
            assert_eq!(found(pattern, false), None, "{pattern}");
        }
        for path in ["docs/**", "src/**/*.rs", "dir with space/**", "a:b", ".github/", "a\\*b"] {
            assert_eq!(found(path, false), None, "{path}");
        }
    }

    #[test]
    fn mistakes_point_at_their_character() {
        let cases = [
            ("", "", "it is empty"),
            ("!", "!", "`!` excludes nothing: a pattern must follow"),
            ("v[0-9", "[", "`[` is never closed with `]`"),
            ("a[]", "[]", "an empty `[]`"),
            ("[0-]", "0-", "the range `0-` has no end"),
            ("[z-a]", "z-a", "the range `z-a` runs backwards"),
            ("+x", "+", "`+` repeats the character before it, and there is none"),
            ("a*?", "?", "`?` repeats the character before it, and there is none"),
            ("!?x", "?", "`?` repeats the character before it, and there is none"),
            ("a\nb", "\n", "a line break"),
        ];
        for (pattern, at, problem) in cases {
            assert_eq!(
                found(pattern, false),
                Some((at.to_owned(), problem.to_owned())),
                "{pattern}"
            );
        }
        let refs = [
            ("/main", "/", "a ref name cannot start with `/`"),
            ("my branch", " ", "a ref name cannot contain a space"),
            ("a~1", "~", "a ref name cannot contain `~`"),
            ("a:b", ":", "a ref name cannot contain `:`"),
            ("release/", "/", "a ref name cannot end with `/`"),
            ("v1.", ".", "a ref name cannot end with `.`"),
            ("a\\b", "\\", "a ref name cannot contain `\\`"),
        ];
        for (pattern, at, problem) in refs {
            assert_eq!(
                found(pattern, true),
                Some((at.to_owned(), problem.to_owned())),
                "{pattern}"
            );
        }
    }
}
