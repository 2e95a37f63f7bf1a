//! Tokens of the expression language, read one at a time so that the first
//! error in the text is the one reported.
//!
//! Where the runner and actionlint disagree, the lexer accepts only what both
//! accept: whitespace is space, tab, CR and LF; a number is JSON-like
//! (`-1`, `2.5`, `1e-3`, no leading zeros, no `+`, no leading `.`) or a
//! hexadecimal `0x1f` that fits a 32-bit signed integer; an integer without
//! fraction or exponent must fit one too.

use std::ops::Range;

use super::ast::BinaryOp;
use super::error::ExprError;

/// What a token is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum TokenKind {
    /// A name: `[A-Za-z_][A-Za-z0-9_-]*`.
    Ident,
    /// A number; the text is in the span.
    Number,
    /// A string literal, unescaped.
    String(String),
    /// `(`.
    LParen,
    /// `)`.
    RParen,
    /// `[`.
    LBracket,
    /// `]`.
    RBracket,
    /// `.`.
    Dot,
    /// `*`.
    Star,
    /// `,`.
    Comma,
    /// `!`.
    Not,
    /// A binary operator.
    Op(BinaryOp),
    /// The end of the text.
    End,
}

/// A token and its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Token {
    /// What it is.
    pub kind: TokenKind,
    /// Its bytes in the expression text.
    pub span: Range<usize>,
}

/// Reads tokens from an expression text.
pub(super) struct Lexer<'a> {
    text: &'a str,
    pos: usize,
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_ident_part(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

impl<'a> Lexer<'a> {
    /// A lexer at the start of `text`.
    pub fn new(text: &'a str) -> Self {
        Self { text, pos: 0 }
    }

    /// The text being read.
    pub fn text(&self) -> &'a str {
        self.text
    }

    fn byte(&self, at: usize) -> u8 {
        self.text.as_bytes().get(at).copied().unwrap_or(0)
    }

    fn token(&mut self, kind: TokenKind, len: usize) -> Token {
        let start = self.pos;
        self.pos += len;
        Token { kind, span: start..self.pos }
    }

    /// The next token, or [`TokenKind::End`] at the end, again and again.
    pub fn next_token(&mut self) -> Result<Token, ExprError> {
        while is_space(self.byte(self.pos)) {
            self.pos += 1;
        }
        let start = self.pos;
        let Some(c) = self.text.get(start..).and_then(|rest| rest.chars().next()) else {
            return Ok(Token { kind: TokenKind::End, span: start..start });
        };
        let next = self.byte(start + 1);
        let token = match c {
            '(' => self.token(TokenKind::LParen, 1),
            ')' => self.token(TokenKind::RParen, 1),
            '[' => self.token(TokenKind::LBracket, 1),
            ']' => self.token(TokenKind::RBracket, 1),
            '.' => self.token(TokenKind::Dot, 1),
            '*' => self.token(TokenKind::Star, 1),
            ',' => self.token(TokenKind::Comma, 1),
            '!' if next == b'=' => self.token(TokenKind::Op(BinaryOp::Ne), 2),
            '!' => self.token(TokenKind::Not, 1),
            '<' if next == b'=' => self.token(TokenKind::Op(BinaryOp::Le), 2),
            '<' => self.token(TokenKind::Op(BinaryOp::Lt), 1),
            '>' if next == b'=' => self.token(TokenKind::Op(BinaryOp::Ge), 2),
            '>' => self.token(TokenKind::Op(BinaryOp::Gt), 1),
            '=' if next == b'=' => self.token(TokenKind::Op(BinaryOp::Eq), 2),
            '&' if next == b'&' => self.token(TokenKind::Op(BinaryOp::And), 2),
            '|' if next == b'|' => self.token(TokenKind::Op(BinaryOp::Or), 2),
            '\'' => self.string()?,
            '-' | '0'..='9' => self.number()?,
            _ if is_ident_start(self.byte(start)) => {
                let len = self.run(start + 1, is_ident_part) - start;
                self.token(TokenKind::Ident, len)
            }
            _ => {
                return Err(ExprError::UnexpectedChar {
                    found: c,
                    span: start..start + c.len_utf8(),
                });
            }
        };
        Ok(token)
    }

    /// The position after the bytes from `at` on that satisfy `part`.
    fn run(&self, mut at: usize, part: fn(u8) -> bool) -> usize {
        while part(self.byte(at)) {
            at += 1;
        }
        at
    }

    fn string(&mut self) -> Result<Token, ExprError> {
        let start = self.pos;
        let mut value = String::new();
        let mut at = start + 1;
        while let Some(quote) = self.text.get(at..).and_then(|rest| rest.find('\'')) {
            value.push_str(self.text.get(at..at + quote).unwrap_or_default());
            at += quote + 1;
            if self.byte(at) == b'\'' {
                value.push('\'');
                at += 1;
            } else {
                let len = at - start;
                return Ok(self.token(TokenKind::String(value), len));
            }
        }
        Err(ExprError::UnterminatedString { span: start..self.text.len() })
    }

    fn number(&mut self) -> Result<Token, ExprError> {
        let start = self.pos;
        let negative = self.byte(start) == b'-';
        let digits = start + usize::from(negative);
        if !self.byte(digits).is_ascii_digit() {
            return Err(ExprError::UnexpectedChar { found: '-', span: start..start + 1 });
        }
        let hex = self.byte(digits) == b'0' && self.byte(digits + 1) == b'x';
        let (end, problem) =
            if hex { self.hex(negative, digits + 2) } else { self.decimal(digits) };
        // A letter, digit or `_` right after a number makes it a bad number.
        let (end, problem) = match self.run(end, is_ident_part) {
            after if after > end && self.byte(end) != b'-' => {
                (after, problem.or(Some("a number cannot run into a name")))
            }
            _ => (end, problem),
        };
        let text = self.text.get(start..end).unwrap_or_default();
        let problem = problem.or_else(|| range_problem(text, hex));
        match problem {
            Some(reason) => {
                Err(ExprError::InvalidNumber { text: text.to_owned(), reason, span: start..end })
            }
            None => Ok(self.token(TokenKind::Number, end - start)),
        }
    }

    /// The end of the hex digits from `at`, and what is wrong, if anything.
    fn hex(&self, negative: bool, at: usize) -> (usize, Option<&'static str>) {
        let end = self.run(at, |b| b.is_ascii_hexdigit());
        let problem = if end == at {
            Some("`0x` needs hexadecimal digits after it")
        } else if negative {
            Some("a hexadecimal number cannot be negative")
        } else if end > at + 1 && self.byte(at) == b'0' {
            Some("leading zeros are not allowed")
        } else {
            None
        };
        (end, problem)
    }

    /// The end of a decimal number whose digits start at `at`, and what is
    /// wrong, if anything.
    fn decimal(&self, at: usize) -> (usize, Option<&'static str>) {
        let mut end = self.run(at, |b| b.is_ascii_digit());
        if self.byte(at) == b'0' && end > at + 1 {
            return (end, Some("leading zeros are not allowed"));
        }
        if self.byte(end) == b'.' {
            let fraction = end + 1;
            end = self.run(fraction, |b| b.is_ascii_digit());
            if end == fraction {
                return (end, Some("a `.` in a number needs digits after it"));
            }
        }
        if matches!(self.byte(end), b'e' | b'E') {
            let mut exponent = end + 1;
            match self.byte(exponent) {
                b'-' => exponent += 1,
                b'+' => return (exponent + 1, Some("write the exponent without `+`")),
                _ => {}
            }
            end = self.run(exponent, |b| b.is_ascii_digit());
            if end == exponent {
                return (end, Some("an exponent needs digits"));
            }
            if self.byte(exponent) == b'0' && end > exponent + 1 {
                return (end, Some("leading zeros are not allowed"));
            }
        }
        (end, None)
    }
}

/// Whether a well-formed number is out of range: integers and hexadecimal
/// numbers must fit 32 signed bits, other numbers must be finite.
fn range_problem(text: &str, hex: bool) -> Option<&'static str> {
    const INT: &str = "the number does not fit a 32-bit signed integer";
    if hex {
        let digits = text.get(2..).unwrap_or_default();
        return match i64::from_str_radix(digits, 16) {
            Ok(v) if v <= i64::from(i32::MAX) => None,
            _ => Some(INT),
        };
    }
    if text.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        return match text.parse::<i64>() {
            Ok(v) if i32::try_from(v).is_ok() => None,
            _ => Some(INT),
        };
    }
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => None,
        _ => Some("the number is too large"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Result<Vec<TokenKind>, ExprError> {
        let mut lexer = Lexer::new(text);
        let mut out = Vec::new();
        loop {
            let token = lexer.next_token()?;
            if token.kind == TokenKind::End {
                return Ok(out);
            }
            out.push(token.kind);
        }
    }

    fn number_error(text: &str) -> &'static str {
        match tokens(text) {
            Err(ExprError::InvalidNumber { reason, .. }) => reason,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn reads_every_token() {
        use BinaryOp::*;
        use TokenKind::*;
        assert_eq!(
            tokens("a.b_c-d [ ] ( ) , * ! != < <= > >= == && ||").unwrap(),
            vec![
                Ident,
                Dot,
                Ident,
                LBracket,
                RBracket,
                LParen,
                RParen,
                Comma,
                Star,
                Not,
                Op(Ne),
                Op(Lt),
                Op(Le),
                Op(Gt),
                Op(Ge),
                Op(Eq),
                Op(And),
                Op(Or)
            ]
        );
        assert_eq!(tokens(" \t\r\n").unwrap(), vec![]);
    }

    #[test]
    fn strings_escape_quotes_by_doubling() {
        assert_eq!(tokens("'it''s'").unwrap(), vec![TokenKind::String("it's".into())]);
        assert_eq!(tokens("''").unwrap(), vec![TokenKind::String(String::new())]);
        assert_eq!(tokens("'a}}b'").unwrap(), vec![TokenKind::String("a}}b".into())]);
        assert_eq!(tokens("'é'").unwrap(), vec![TokenKind::String("é".into())]);
        assert_eq!(tokens("'ab"), Err(ExprError::UnterminatedString { span: 0..3 }));
        assert_eq!(tokens("x 'a''"), Err(ExprError::UnterminatedString { span: 2..6 }));
    }

    #[test]
    fn numbers_follow_json_and_hex() {
        for ok in ["0", "-1", "42", "2147483647", "-2147483648", "1.5", "-0.25", "1e3", "1E-3"] {
            assert_eq!(tokens(ok).unwrap(), vec![TokenKind::Number], "{ok}");
        }
        for ok in ["0x0", "0xff", "0x7FFFFFFF", "1.5e10", "0e0"] {
            assert_eq!(tokens(ok).unwrap(), vec![TokenKind::Number], "{ok}");
        }
        assert_eq!(number_error("01"), "leading zeros are not allowed");
        assert_eq!(number_error("0x01"), "leading zeros are not allowed");
        assert_eq!(number_error("1e05"), "leading zeros are not allowed");
        assert_eq!(number_error("1."), "a `.` in a number needs digits after it");
        assert_eq!(number_error("1e"), "an exponent needs digits");
        assert_eq!(number_error("1e+5"), "write the exponent without `+`");
        assert_eq!(number_error("0x"), "`0x` needs hexadecimal digits after it");
        assert_eq!(number_error("-0x1"), "a hexadecimal number cannot be negative");
        assert_eq!(number_error("1abc"), "a number cannot run into a name");
        assert_eq!(number_error("2147483648"), "the number does not fit a 32-bit signed integer");
        assert_eq!(number_error("0x80000000"), "the number does not fit a 32-bit signed integer");
        assert_eq!(number_error("1e999"), "the number is too large");
    }

    #[test]
    fn invalid_numbers_cover_the_whole_word() {
        assert_eq!(
            tokens("x == 12ab"),
            Err(ExprError::InvalidNumber {
                text: "12ab".into(),
                reason: "a number cannot run into a name",
                span: 5..9,
            })
        );
    }

    #[test]
    fn stray_characters_are_located() {
        assert_eq!(tokens("a = b"), Err(ExprError::UnexpectedChar { found: '=', span: 2..3 }));
        assert_eq!(tokens("a & b"), Err(ExprError::UnexpectedChar { found: '&', span: 2..3 }));
        assert_eq!(tokens("a | b"), Err(ExprError::UnexpectedChar { found: '|', span: 2..3 }));
        assert_eq!(tokens("\"a\""), Err(ExprError::UnexpectedChar { found: '"', span: 0..1 }));
        assert_eq!(tokens("- 1"), Err(ExprError::UnexpectedChar { found: '-', span: 0..1 }));
        assert_eq!(tokens("aé"), Err(ExprError::UnexpectedChar { found: 'é', span: 1..3 }));
        assert_eq!(tokens("+1"), Err(ExprError::UnexpectedChar { found: '+', span: 0..1 }));
        assert_eq!(tokens(".5").unwrap(), vec![TokenKind::Dot, TokenKind::Number]);
    }
}
