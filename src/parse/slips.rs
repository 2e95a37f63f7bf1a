//! Habits from YAML and the shell that break KDL, recognised in the text
//! when the `kdl` crate cannot parse it: its errors cascade (one `[` gives a
//! dozen, the first at the enclosing `workflow`), so one slip found here is
//! reported instead, at its own line, with what to write.
//!
//! Only what cannot be valid KDL is recognised: a `#` that starts no
//! keyword or raw string, a `[`, a bare word with `/`, `\` or `#` in it, a
//! node after a `}` on the same line, and braces that do not balance (the
//! block left open is the one whose indentation shows it ends early). When
//! none is found, the `kdl` crate's diagnostics stand.

use miette::SourceSpan;

use super::depth::{block_comment, quoted, raw};
use crate::error::SpecError;

/// The first slip in `text`, if one is recognised.
pub fn find(text: &str) -> Option<SpecError> {
    let tokens = tokens(text);
    let first = tokens.iter().enumerate().find_map(|(i, token)| {
        let slip = match token.kind {
            Kind::Hash => Some(hash_comment(text, token)),
            Kind::Bracket => Some(yaml_list(text, &tokens, i)),
            Kind::Word if token.bad => unquoted(text, &tokens, i),
            Kind::Word | Kind::Str => missing_semicolon(text, &tokens, i),
            _ => None,
        };
        slip.map(|slip| (token.start, slip))
    });
    // Of a slip and an open block, the one that comes first in the file.
    first.into_iter().chain(braces(text, &tokens)).min_by_key(|(at, _)| *at).map(|(_, slip)| slip)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// A bare word: a node name, a bare string, a number, a keyword.
    Word,
    /// A quoted, multi-line or raw string.
    Str,
    Open,
    Close,
    Semi,
    /// `[…]`, to the `]` on its line.
    Bracket,
    /// `#` starting neither a keyword nor a raw string: to the end of the line.
    Hash,
    /// `=`, or a `(type)` annotation.
    Other,
}

#[derive(Clone, Copy, Debug)]
struct Token {
    kind: Kind,
    start: usize,
    end: usize,
    /// The first token of its line (not after a `\` continuation).
    first: bool,
    /// The indentation of its line.
    indent: usize,
    /// A bare word with a character no bare word may have.
    bad: bool,
}

/// The tokens of `text`, strings and comments skipped as KDL skips them.
fn tokens(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut at = 0;
    let mut first = true;
    let mut line_start = 0;
    while at < bytes.len() {
        let start = at;
        let kind = match bytes[at] {
            b'\n' => {
                at += 1;
                first = true;
                line_start = at;
                continue;
            }
            b' ' | b'\t' | b'\r' => {
                at += 1;
                continue;
            }
            b'\\' => {
                // A line continuation: the node goes on on the next line.
                at = text[at..].find('\n').map_or(bytes.len(), |n| at + n + 1);
                line_start = at;
                continue;
            }
            b'/' if bytes.get(at + 1) == Some(&b'/') => {
                at = text[at..].find('\n').map_or(bytes.len(), |n| at + n);
                continue;
            }
            b'/' if bytes.get(at + 1) == Some(&b'*') => {
                at = block_comment(bytes, at).min(bytes.len());
                continue;
            }
            b'/' if bytes.get(at + 1) == Some(&b'-') => {
                at += 2;
                continue;
            }
            b'"' => {
                // An escape at the very end can step past it.
                at = quoted(bytes, at).min(bytes.len());
                Kind::Str
            }
            b'#' => {
                let hashes = bytes[at..].iter().take_while(|&&b| b == b'#').count();
                if bytes.get(at + hashes) == Some(&b'"') {
                    at = raw(bytes, at + hashes, hashes).min(bytes.len());
                    Kind::Str
                } else if let Some(len) = keyword(&bytes[at..]) {
                    at += len;
                    Kind::Word
                } else {
                    at = text[at..].find('\n').map_or(bytes.len(), |n| at + n);
                    Kind::Hash
                }
            }
            b'{' => {
                at += 1;
                Kind::Open
            }
            b'}' => {
                at += 1;
                Kind::Close
            }
            b';' => {
                at += 1;
                Kind::Semi
            }
            b'[' => {
                let line = text[at..].find('\n').map_or(bytes.len(), |n| at + n);
                at = text[at..line].find(']').map_or(line, |n| at + n + 1);
                Kind::Bracket
            }
            b'(' => {
                let line = text[at..].find('\n').map_or(bytes.len(), |n| at + n);
                at = text[at..line].find(')').map_or(line, |n| at + n + 1);
                Kind::Other
            }
            b'=' | b')' | b']' => {
                at += 1;
                Kind::Other
            }
            _ => {
                at = word_end(bytes, at);
                Kind::Word
            }
        };
        let indent = text[line_start..start].len();
        let word = &text[start..at];
        let bad = kind == Kind::Word && !word.starts_with('#') && word.contains(['/', '\\', '#']);
        tokens.push(Token { kind, start, end: at, first, indent, bad });
        first = false;
    }
    tokens
}

/// The length of the keyword (`#true`, `#-inf`, …) `bytes` starts with.
fn keyword(bytes: &[u8]) -> Option<usize> {
    ["#true", "#false", "#null", "#inf", "#-inf", "#nan"]
        .into_iter()
        .find(|k| {
            bytes.starts_with(k.as_bytes())
                && bytes.get(k.len()).is_none_or(|b| !b.is_ascii_alphanumeric() && *b != b'-')
        })
        .map(str::len)
}

/// The end of a bare word starting at `at`: `/` and `#` stay in it, so a
/// word KDL refuses is seen whole.
fn word_end(bytes: &[u8], mut at: usize) -> usize {
    while at < bytes.len() {
        match bytes[at] {
            b' ' | b'\t' | b'\r' | b'\n' | b'{' | b'}' | b';' | b'[' | b']' | b'=' | b'('
            | b')' | b'"' => break,
            b'/' if matches!(bytes.get(at + 1), Some(b'/' | b'*')) => break,
            _ => at += 1,
        }
    }
    at
}

fn span(start: usize, end: usize) -> SourceSpan {
    SourceSpan::new(start.into(), end - start)
}

/// The index of the first token of the node `tokens[i]` belongs to.
fn node_start(tokens: &[Token], i: usize) -> usize {
    let mut at = i;
    while at > 0 && !tokens[at].first {
        if matches!(tokens[at - 1].kind, Kind::Open | Kind::Close | Kind::Semi) {
            break;
        }
        at -= 1;
    }
    at
}

/// The index past the last token of the node `tokens[i]` belongs to, its
/// `{` block left out.
fn node_end(tokens: &[Token], i: usize) -> usize {
    let mut at = i + 1;
    while at < tokens.len()
        && !tokens[at].first
        && !matches!(tokens[at].kind, Kind::Open | Kind::Close | Kind::Semi)
    {
        at += 1;
    }
    at
}

/// `# the triggers` → `// the triggers`.
fn hash_comment(text: &str, token: &Token) -> SpecError {
    let comment = text[token.start..token.end].trim_end();
    let words = comment.trim_start_matches('#').trim();
    SpecError::HashComment {
        span: span(token.start, token.start + comment.len()),
        help: format!("write `// {words}`: KDL comments start with `//`"),
    }
}

/// `branches: [main, dev]` → `branches "main" "dev"`.
fn yaml_list(text: &str, tokens: &[Token], i: usize) -> SpecError {
    let list = &tokens[i];
    let inner = text[list.start + 1..list.end].trim_end_matches(']');
    let items: Vec<String> = inner
        .split(',')
        .map(|item| item.trim().trim_matches(['"', '\'']))
        .filter(|item| !item.is_empty())
        .map(|item| format!("{item:?}"))
        .collect();
    let name = (i > 0 && tokens[i - 1].kind == Kind::Word && node_start(tokens, i) == i - 1)
        .then(|| &tokens[i - 1]);
    let start = name.map_or(list.start, |n| n.start);
    let written = &text[start..list.end];
    let name = name.map(|n| text[n.start..n.end].trim_end_matches(':'));
    let help = match name {
        Some(name) if items.is_empty() => {
            format!("leave the node out, or write `{name}` and its values as arguments")
        }
        Some(name) => {
            format!("KDL lists a node's values as its arguments: `{name} {}`", items.join(" "))
        }
        None => format!("KDL lists a node's values as its arguments: `NAME {}`", items.join(" ")),
    };
    SpecError::YamlSyntax {
        what: format!("`{written}`"),
        span: span(start, list.end),
        label: "a YAML list",
        help,
    }
}

/// A bare word KDL refuses, as an argument: `run pytest -x tests/`, or
/// `path: dist/app` after a YAML key.
fn unquoted(text: &str, tokens: &[Token], i: usize) -> Option<SpecError> {
    let start = node_start(tokens, i);
    if start == i {
        return None;
    }
    let name = &tokens[start];
    let end = node_end(tokens, i);
    let args = &tokens[start + 1..end];
    let first = args.first()?;
    let last = args.last()?;
    let written = &text[first.start..last.end];
    let node = &text[name.start..name.end];
    if let Some(key) = node.strip_suffix(':').filter(|_| name.kind == Kind::Word) {
        return Some(SpecError::YamlSyntax {
            what: format!("`{}`", &text[name.start..last.end]),
            span: span(name.start, last.end),
            label: "a YAML key and value",
            help: format!(
                "KDL puts no `:` after a name, and quotes the value: `{key} {written:?}`"
            ),
        });
    }
    let what = if node == "run" { "script" } else { "value" };
    if args.iter().all(|a| a.kind == Kind::Word) {
        return Some(SpecError::Unquoted {
            node: node.to_owned(),
            what,
            span: span(first.start, last.end),
            label: "bare words",
            help: format!("quote the whole {what}: `{node} {written:?}`"),
        });
    }
    let word = &tokens[i];
    Some(SpecError::Unquoted {
        node: node.to_owned(),
        what,
        span: span(word.start, word.end),
        label: "a bare word cannot hold `/`, `\\` or `#`",
        help: format!("quote it: `{:?}`", &text[word.start..word.end]),
    })
}

/// A node right after a `}` on the same line: `push { … } pull_request`.
fn missing_semicolon(text: &str, tokens: &[Token], i: usize) -> Option<SpecError> {
    let token = &tokens[i];
    if token.first || i == 0 || tokens[i - 1].kind != Kind::Close {
        return None;
    }
    let close = &tokens[i - 1];
    let open = opener(tokens, i - 1)?;
    let before = &text[tokens[node_start(tokens, open)].start..close.end];
    let after = &text[token.start..tokens[node_end(tokens, i) - 1].end];
    let example = if before.len() + after.len() <= 60 {
        format!("{before}; {after}")
    } else {
        format!("}}; {after}")
    };
    Some(SpecError::MissingSemicolon {
        span: span(token.start, token.end),
        help: format!("nodes on one line are separated by `;`: `{example}`"),
    })
}

/// The index of the `{` that the `}` at `close` closes.
fn opener(tokens: &[Token], close: usize) -> Option<usize> {
    let mut depth = 0usize;
    for at in (0..close).rev() {
        match tokens[at].kind {
            Kind::Close => depth += 1,
            Kind::Open if depth == 0 => return Some(at),
            Kind::Open => depth -= 1,
            _ => {}
        }
    }
    None
}

/// A block left open, or a `}` that closes none, with the offset it is
/// reported at. The block left open is the innermost one whose contents
/// are indented and that a later line, indented no deeper than its own
/// first line, shows to end early; failing that, the innermost one open
/// at the end of the file.
fn braces(text: &str, tokens: &[Token]) -> Option<(usize, SpecError)> {
    struct Block {
        open: usize,
        indent: usize,
        contents: Option<usize>,
    }
    let mut stack: Vec<Block> = Vec::new();
    let mut early: Option<(usize, usize)> = None;
    // The first `}` on a line of its own that is not indented as the line
    // of the block it closes: the extra one, when there is one too many.
    let mut astray: Option<usize> = None;
    for (i, token) in tokens.iter().enumerate() {
        if token.first
            && let Some(block) = stack.last_mut()
        {
            if block.contents.is_none() && token.kind != Kind::Close {
                block.contents = Some(token.indent);
            }
            let indented = block.contents.is_some_and(|c| c > block.indent);
            let ends = match token.kind {
                Kind::Close => token.indent < block.indent,
                _ => token.indent <= block.indent,
            };
            if indented && ends && early.is_none() {
                early = Some((block.open, i));
            }
        }
        match token.kind {
            Kind::Open => {
                let line = tokens[node_start(tokens, i)].indent;
                stack.push(Block { open: i, indent: line, contents: None });
            }
            Kind::Close => match stack.pop() {
                Some(block) => {
                    if token.first && token.indent != block.indent && astray.is_none() {
                        astray = Some(i);
                    }
                }
                None => {
                    let extra = &tokens[astray.unwrap_or(i)];
                    let span = span(extra.start, extra.end);
                    return Some((extra.start, SpecError::UnopenedBlock { span }));
                }
            },
            _ => {}
        }
    }
    let innermost = stack.last()?;
    let (open, end) = match early {
        Some((open, end)) => (open, Some(end)),
        None => (innermost.open, None),
    };
    let open_token = &tokens[open];
    let name_start = tokens[node_start(tokens, open)].start;
    let node = text[name_start..open_token.start].trim().to_owned();
    let (end, end_label, help) = match end {
        Some(end) => {
            let line = text[..tokens[end].start].matches('\n').count() + 1;
            (
                Some(span(tokens[end].start, tokens[end].end)),
                format!("by its indentation, the block of `{node}` ends before this line"),
                format!("add `}}` on the line before line {line}"),
            )
        }
        None => (None, String::new(), "add `}` at the end of the file".to_owned()),
    };
    let error = SpecError::UnclosedBlock {
        node,
        open: span(open_token.start, open_token.end),
        end,
        end_label,
        help,
    };
    Some((open_token.start, error))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slip(text: &str) -> String {
        match find(text) {
            Some(error) => {
                let help = miette::Diagnostic::help(&error).map(|h| h.to_string());
                format!("{error} | {}", help.unwrap_or_default())
            }
            None => "none".to_owned(),
        }
    }

    #[test]
    fn yaml_lists_and_keys() {
        let text =
            "workflow \"ci\" {\n    on {\n        push { branches: [main, \"dev\"] }\n    }\n}\n";
        assert_eq!(
            slip(text),
            "`branches: [main, \"dev\"]` is YAML, not KDL | KDL lists a node's values as its arguments: `branches \"main\" \"dev\"`"
        );
        let text = "workflow \"ci\" {\n    file: .forgejo/workflows/x.yml\n}\n";
        assert_eq!(
            slip(text),
            "`file: .forgejo/workflows/x.yml` is YAML, not KDL | KDL puts no `:` after a name, and quotes the value: `file \".forgejo/workflows/x.yml\"`"
        );
    }

    #[test]
    fn hash_comments() {
        assert_eq!(
            slip("workflow \"ci\" {\n    # the triggers\n    on { push }\n}\n"),
            "`#` does not start a comment in KDL | write `// the triggers`: KDL comments start with `//`"
        );
        assert_eq!(
            slip("a #true #\"raw\"# #-inf\nb }"),
            "this `}` closes no block | remove it, or add the `{` of the block it was meant to close"
        );
    }

    #[test]
    fn unquoted_scripts() {
        assert_eq!(
            slip("job \"t\" {\n    run pytest -x tests/\n}\n"),
            "the script of `run` is not quoted | quote the whole script: `run \"pytest -x tests/\"`"
        );
        assert_eq!(
            slip("job \"t\" {\n    run \"pytest\" tests/\n}\n"),
            "the script of `run` is not quoted | quote it: `\"tests/\"`"
        );
    }

    #[test]
    fn a_node_after_a_block_on_its_line() {
        assert_eq!(
            slip("on { push { branches \"main\" } pull_request }\n"),
            "missing `;` between two nodes on one line | nodes on one line are separated by `;`: `push { branches \"main\" }; pull_request`"
        );
    }

    #[test]
    fn the_block_left_open_is_found_by_indentation() {
        let text = "workflow \"ci\" {\n    on { push }\n    job \"lint\" {\n        run \"make\"\n    job \"test\" {\n        run \"make test\"\n    }\n}\n";
        assert_eq!(
            slip(text),
            "the block of `job \"lint\"` is not closed | add `}` on the line before line 5"
        );
        let text = "workflow \"ci\" {\n    job \"a\" {\n        run \"x\"\n    }\n";
        assert_eq!(
            slip(text),
            "the block of `workflow \"ci\"` is not closed | add `}` at the end of the file"
        );
        // Without indentation, only the end of the file tells.
        let text = "workflow \"ci\" {\njob \"a\" {\nrun \"x\"\njob \"b\" {\n}\n}\n";
        assert_eq!(
            slip(text),
            "the block of `workflow \"ci\"` is not closed | add `}` at the end of the file"
        );
    }

    #[test]
    fn strings_and_comments_hide_everything() {
        let text = "a \"[x] # { /\" /* [ # { */ // [ # {\nb #\"\"\"\n{ [ #\n\"\"\"# r\n";
        assert_eq!(slip(text), "none");
    }

    #[test]
    fn every_prefix_of_a_spec_is_read_without_panicking() {
        let text = "workflow \"ci\" {\n    # é \\\n    on { push { branches: [main, \"a\\é\"] } x }\n    job \"t\" {\n        run a/b #\"r\"# \"\"\"\n\"\"\" /* c */ (t)x=1\n";
        for (at, _) in text.char_indices() {
            let _ = find(&text[..at]);
        }
        let _ = find("\"\\");
        let _ = find("#\"\\");
    }

    #[test]
    fn balanced_but_oddly_indented_blocks_are_not_slips() {
        let text = "workflow \"ci\" {\n    job \"a\" {\n  run \"x\"\n    }\n}\n";
        assert_eq!(slip(text), "none");
    }
}
