//! Why an expression does not parse: one variant per condition, each with
//! the bytes of the offending token.

use std::ops::Range;

use thiserror::Error;

/// A syntax error in an expression. Spans are byte ranges in the text given
/// to [`parse`](super::parse); [`ExprError::shifted`] moves them into the
/// enclosing string.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ExprError {
    /// A character that starts no token.
    #[error("unexpected character `{}`", found.escape_default())]
    UnexpectedChar {
        /// The character.
        found: char,
        /// Its bytes.
        span: Range<usize>,
    },

    /// A token where the grammar needs another.
    #[error("unexpected {found}, expected {expected}")]
    UnexpectedToken {
        /// The token, described: "`)`", "name `x`", "end of expression".
        found: String,
        /// What would have fitted.
        expected: &'static str,
        /// The token's bytes; empty at the end of the expression.
        span: Range<usize>,
    },

    /// A `'` with no closing `'`.
    #[error("unterminated string: no closing `'`")]
    UnterminatedString {
        /// From the opening quote to the end of the expression.
        span: Range<usize>,
    },

    /// A `(` or `[` still open at the end of the expression.
    #[error("unclosed `{open}`: no matching `{close}`")]
    Unclosed {
        /// `(` or `[`.
        open: char,
        /// `)` or `]`.
        close: char,
        /// The opening delimiter.
        span: Range<usize>,
    },

    /// Nothing but whitespace.
    #[error("empty expression")]
    Empty {
        /// The whole expression text.
        span: Range<usize>,
    },

    /// A whole expression followed by more tokens.
    #[error("unexpected {found} after the end of the expression")]
    TrailingInput {
        /// The first extra token, described.
        found: String,
        /// Its bytes.
        span: Range<usize>,
    },

    /// A number the runner would refuse.
    #[error("invalid number `{text}`: {reason}")]
    InvalidNumber {
        /// The number as written.
        text: String,
        /// What is wrong with it.
        reason: &'static str,
        /// Its bytes.
        span: Range<usize>,
    },

    /// Nesting past the runner's limit.
    #[error("expression nested deeper than {limit} levels")]
    TooDeep {
        /// The limit.
        limit: usize,
        /// The token or node that went past it.
        span: Range<usize>,
    },

    /// An expression past the runner's length limit.
    #[error("expression longer than {limit} characters")]
    TooLong {
        /// The limit.
        limit: usize,
        /// The whole expression text.
        span: Range<usize>,
    },
}

impl ExprError {
    /// The bytes the error points at.
    pub fn span(&self) -> Range<usize> {
        match self {
            Self::UnexpectedChar { span, .. }
            | Self::UnexpectedToken { span, .. }
            | Self::UnterminatedString { span }
            | Self::Unclosed { span, .. }
            | Self::Empty { span }
            | Self::TrailingInput { span, .. }
            | Self::InvalidNumber { span, .. }
            | Self::TooDeep { span, .. }
            | Self::TooLong { span, .. } => span.clone(),
        }
    }

    /// The same error with its span moved `offset` bytes on: for an
    /// expression taken from byte `offset` of a longer string.
    pub fn shifted(mut self, offset: usize) -> Self {
        match &mut self {
            Self::UnexpectedChar { span, .. }
            | Self::UnexpectedToken { span, .. }
            | Self::UnterminatedString { span }
            | Self::Unclosed { span, .. }
            | Self::Empty { span }
            | Self::TrailingInput { span, .. }
            | Self::InvalidNumber { span, .. }
            | Self::TooDeep { span, .. }
            | Self::TooLong { span, .. } => {
                *span = span.start.saturating_add(offset)..span.end.saturating_add(offset);
            }
        }
        self
    }

    /// A hint for the commonest slips, if this is one.
    pub fn help(&self) -> Option<&'static str> {
        match self {
            Self::UnexpectedChar { found: '"', .. } => {
                Some("strings take single quotes: `'text'`, with `''` for a quote inside")
            }
            Self::UnexpectedChar { found: '=', .. } => Some("compare with `==`"),
            Self::UnexpectedChar { found: '&', .. } => Some("the logical and is `&&`"),
            Self::UnexpectedChar { found: '|', .. } => Some("the logical or is `||`"),
            Self::UnexpectedChar { found: '-' | '+', .. } => {
                Some("expressions have no arithmetic; a `-` only starts a negative number")
            }
            Self::TrailingInput { .. } => {
                Some("join the parts with an operator such as `&&`, `||` or `==`")
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shifting_moves_the_span() {
        let err = ExprError::Empty { span: 1..3 }.shifted(10);
        assert_eq!(err.span(), 11..13);
    }

    #[test]
    fn messages_name_the_token() {
        let err = ExprError::UnexpectedChar { found: '\n', span: 0..1 };
        assert_eq!(err.to_string(), "unexpected character `\\n`");
        let err = ExprError::Unclosed { open: '(', close: ')', span: 0..1 };
        assert_eq!(err.to_string(), "unclosed `(`: no matching `)`");
        assert!(ExprError::UnexpectedChar { found: '"', span: 0..1 }.help().is_some());
    }
}
