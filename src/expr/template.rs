//! `${{ … }}` templates in a string field: the text splits into literal
//! segments and expression segments, each with its bytes in the field.
//!
//! The end of a template is found the way the runner's template reader
//! finds it: the first `}}` outside a single-quoted string, where every `'`
//! toggles "inside a string" (so the `''` escape needs no special case).
//! `${{ format('{{0}}', x) }}` is one template, and so is
//! `${{ 'it''s }}' }}`; an unbalanced quote runs to the end of the field and
//! leaves the template unterminated. actionlint finds the same end, since it
//! lexes tokens up to the first `}}` that is not inside a string. Delimiters
//! are ASCII, so byte positions and the runner's UTF-16 positions pick the
//! same boundaries.

use std::ops::Range;

use thiserror::Error;

/// A piece of a string field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    /// Text copied as is.
    Literal {
        /// Its bytes in the field.
        range: Range<usize>,
    },
    /// One `${{ … }}` template.
    Expression {
        /// The expression between `${{` and `}}`, untrimmed.
        inner: Range<usize>,
        /// The whole template, `${{` and `}}` included.
        whole: Range<usize>,
    },
}

/// Why a field's templates do not split.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum TemplateError {
    /// A `${{` with no `}}` after it outside a string.
    #[error("unterminated `${{{{`: no closing `}}}}`")]
    Unterminated {
        /// The `${{`.
        span: Range<usize>,
    },
}

impl TemplateError {
    /// The bytes the error points at.
    pub fn span(&self) -> Range<usize> {
        match self {
            Self::Unterminated { span } => span.clone(),
        }
    }
}

const OPEN: &str = "${{";

/// The segments of `text`, in order; empty literals are left out, so a field
/// without templates is one literal (or nothing, when empty).
pub fn split(text: &str) -> Result<Vec<Segment>, TemplateError> {
    let bytes = text.as_bytes();
    let mut segments = Vec::new();
    let mut at = 0;
    while let Some(found) = text.get(at..).and_then(|rest| rest.find(OPEN)) {
        let start = at + found;
        if start > at {
            segments.push(Segment::Literal { range: at..start });
        }
        let inner_start = start + OPEN.len();
        let mut in_string = false;
        let mut end = None;
        for i in inner_start..bytes.len() {
            match bytes.get(i) {
                Some(b'\'') => in_string = !in_string,
                Some(b'}') if !in_string && i > inner_start && bytes.get(i - 1) == Some(&b'}') => {
                    end = Some(i + 1);
                    break;
                }
                _ => {}
            }
        }
        let Some(end) = end else {
            return Err(TemplateError::Unterminated { span: start..inner_start });
        };
        segments.push(Segment::Expression { inner: inner_start..end - 2, whole: start..end });
        at = end;
    }
    if at < text.len() {
        segments.push(Segment::Literal { range: at..text.len() });
    }
    Ok(segments)
}

/// Whether `text` is exactly one `${{ … }}` template with nothing around
/// it: the form an `if:` condition must take when written with a template.
/// Any text around it, even a space, turns the condition into a non-empty
/// string, which is always true.
pub fn is_wrapped(text: &str) -> bool {
    matches!(split(text).as_deref(), Ok([Segment::Expression { .. }]))
}

/// Whether `text` holds a `${{`, terminated or not.
pub fn has_template(text: &str) -> bool {
    text.contains(OPEN)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str) -> Vec<String> {
        split(text)
            .unwrap()
            .into_iter()
            .map(|s| match s {
                Segment::Literal { range } => format!("L{:?}", &text[range]),
                Segment::Expression { inner, whole } => {
                    assert_eq!(&text[whole.start..inner.start], "${{");
                    assert_eq!(&text[inner.end..whole.end], "}}");
                    format!("E{:?}", &text[inner])
                }
            })
            .collect()
    }

    #[test]
    fn splits_literals_and_templates() {
        assert_eq!(pieces(""), Vec::<String>::new());
        assert_eq!(pieces("plain"), ["L\"plain\""]);
        assert_eq!(pieces("${{ a }}"), ["E\" a \""]);
        assert_eq!(
            pieces("x ${{ a }}-${{b}} y"),
            ["L\"x \"", "E\" a \"", "L\"-\"", "E\"b\"", "L\" y\""]
        );
        assert_eq!(pieces("${{}}"), ["E\"\""]);
        assert_eq!(pieces("${{ a }}}"), ["E\" a \"", "L\"}\""]);
        assert_eq!(pieces("{{ a }} $ {"), ["L\"{{ a }} $ {\""]);
        assert_eq!(pieces("é${{ 'ü' }}ß"), ["L\"é\"", "E\" 'ü' \"", "L\"ß\""]);
    }

    #[test]
    fn a_close_inside_quotes_does_not_end_the_template() {
        assert_eq!(pieces("${{ format('{{0}}', x) }}"), ["E\" format('{{0}}', x) \""]);
        assert_eq!(pieces("${{ 'it''s }}' }}!"), ["E\" 'it''s }}' \"", "L\"!\""]);
        assert_eq!(pieces("${{ '${{' }}"), ["E\" '${{' \""]);
        assert_eq!(pieces("${{ a }'}' }}"), ["E\" a }'}' \""]);
    }

    #[test]
    fn an_unclosed_template_is_an_error_at_its_opening() {
        assert_eq!(split("ab ${{ x"), Err(TemplateError::Unterminated { span: 3..6 }));
        assert_eq!(split("${{ 'x }}"), Err(TemplateError::Unterminated { span: 0..3 }));
        assert_eq!(split("${{ a }} ${{"), Err(TemplateError::Unterminated { span: 9..12 }));
        assert_eq!(split("${{}"), Err(TemplateError::Unterminated { span: 0..3 }));
        assert_eq!(split("${{ x").unwrap_err().to_string(), "unterminated `${{`: no closing `}}`");
    }

    #[test]
    fn wrapped_means_exactly_one_template() {
        assert!(is_wrapped("${{ a && b }}"));
        assert!(!is_wrapped(" ${{ a }}"));
        assert!(!is_wrapped("${{ a }} && ${{ b }}"));
        assert!(!is_wrapped("a && b"));
        assert!(!is_wrapped("${{ a"));
        assert!(has_template("x ${{ a") && !has_template("x"));
    }
}
