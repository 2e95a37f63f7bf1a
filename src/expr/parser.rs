//! The expression grammar, by precedence climbing, loosest first:
//!
//! ```text
//! expr     = binary                      ; `||` < `&&` < `==` `!=` < `<` `<=` `>` `>=`, all left-associative
//! unary    = "!" unary | postfix
//! postfix  = primary ( "." name | ".*" | "[" expr "]" )*   ; not after a bare literal
//! primary  = "null" | "true" | "false" | number | string
//!          | name "(" [ expr ( "," expr )* ] ")" | name | "(" expr ")"
//! ```
//!
//! The precedence is the runner's. Keywords are case-sensitive (`TRUE` is a
//! context name); an identifier followed by `(` is a call whatever its name.
//! Like the runner, the parser refuses `.`, `[` and `.*` straight after a
//! literal (`'ab'[0]`) but takes them after a parenthesised one, refuses
//! trees deeper than 50 levels (with `&&` and `||` chains counted as one
//! level, as the runner flattens them) and texts longer than 21,000
//! characters.

use std::ops::Range;

use super::ast::{BinaryOp, Expr, ExprKind, Name};
use super::error::ExprError;
use super::lexer::{Lexer, Token, TokenKind};

/// The runner's limit on the depth of an expression tree, and this parser's
/// limit on nested `(`, `[` and `!`.
pub const MAX_DEPTH: usize = 50;

/// The runner's limit on the length of an expression, in UTF-16 units.
pub const MAX_LENGTH: usize = 21_000;

/// Parses one expression: the text between `${{` and `}}`, or a bare `if:`
/// condition. Spans in the tree and in the error are byte ranges in `text`.
pub fn parse(text: &str) -> Result<Expr, ExprError> {
    if text.trim().encode_utf16().count() > MAX_LENGTH {
        return Err(ExprError::TooLong { limit: MAX_LENGTH, span: 0..text.len() });
    }
    let mut parser = Parser::new(text)?;
    if parser.current.kind == TokenKind::End {
        return Err(ExprError::Empty { span: 0..text.len() });
    }
    let tree = parser.binary(0)?;
    if parser.current.kind != TokenKind::End {
        return Err(ExprError::TrailingInput {
            found: parser.describe(),
            span: parser.current.span.clone(),
        });
    }
    Ok(tree.expr)
}

/// A parsed subtree and its depth as the runner counts it.
struct Tree {
    expr: Expr,
    depth: usize,
}

struct Parser<'a> {
    lexer: Lexer<'a>,
    current: Token,
    nesting: usize,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Result<Self, ExprError> {
        let mut lexer = Lexer::new(text);
        let current = lexer.next_token()?;
        Ok(Self { lexer, current, nesting: 0 })
    }

    /// Moves to the next token and returns the one passed.
    fn advance(&mut self) -> Result<Token, ExprError> {
        let next = self.lexer.next_token()?;
        Ok(std::mem::replace(&mut self.current, next))
    }

    /// The current token, described for a message.
    fn describe(&self) -> String {
        let text = self.lexer.text().get(self.current.span.clone()).unwrap_or_default();
        match self.current.kind {
            TokenKind::End => "end of expression".to_owned(),
            TokenKind::Ident => format!("name `{text}`"),
            TokenKind::Number => format!("number `{text}`"),
            TokenKind::String(_) => format!("string `{text}`"),
            _ => format!("`{text}`"),
        }
    }

    fn unexpected(&self, expected: &'static str) -> ExprError {
        ExprError::UnexpectedToken {
            found: self.describe(),
            expected,
            span: self.current.span.clone(),
        }
    }

    /// Enters a nested `(`, `[` or `!` at `span`.
    fn enter(&mut self, span: &Range<usize>) -> Result<(), ExprError> {
        self.nesting += 1;
        if self.nesting > MAX_DEPTH {
            return Err(ExprError::TooDeep { limit: MAX_DEPTH, span: span.clone() });
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.nesting = self.nesting.saturating_sub(1);
    }

    /// A node of `depth`, refused past [`MAX_DEPTH`].
    fn node(kind: ExprKind, span: Range<usize>, depth: usize) -> Result<Tree, ExprError> {
        if depth > MAX_DEPTH {
            return Err(ExprError::TooDeep { limit: MAX_DEPTH, span });
        }
        Ok(Tree { expr: Expr { kind, span }, depth })
    }

    /// A sequence of operators binding at least as tightly as `min`.
    fn binary(&mut self, min: u8) -> Result<Tree, ExprError> {
        let mut left = self.unary()?;
        while let TokenKind::Op(op) = self.current.kind {
            if op.precedence() < min {
                break;
            }
            let op_span = self.advance()?.span;
            let right = self.binary(op.precedence() + 1)?;
            let depth = 1 + flattened(&left, op).max(flattened(&right, op));
            let span = left.expr.span.start..right.expr.span.end;
            let kind = ExprKind::Binary {
                op,
                op_span,
                left: Box::new(left.expr),
                right: Box::new(right.expr),
            };
            left = Self::node(kind, span, depth)?;
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Tree, ExprError> {
        if self.current.kind != TokenKind::Not {
            return self.postfix();
        }
        let bang = self.current.span.clone();
        self.enter(&bang)?;
        self.advance()?;
        let operand = self.unary()?;
        self.leave();
        let span = bang.start..operand.expr.span.end;
        Self::node(ExprKind::Not(Box::new(operand.expr)), span, operand.depth + 1)
    }

    fn postfix(&mut self) -> Result<Tree, ExprError> {
        let (mut tree, bare_literal) = self.primary()?;
        if bare_literal {
            return Ok(tree);
        }
        loop {
            let start = tree.expr.span.start;
            match self.current.kind {
                TokenKind::Dot => {
                    self.advance()?;
                    let object = Box::new(tree.expr);
                    tree = match self.current.kind {
                        TokenKind::Ident => {
                            let name = self.name()?;
                            let span = start..name.span.end;
                            Self::node(ExprKind::Property { object, name }, span, tree.depth + 1)?
                        }
                        TokenKind::Star => {
                            let star = self.advance()?.span;
                            Self::node(
                                ExprKind::Filter { object },
                                start..star.end,
                                tree.depth + 1,
                            )?
                        }
                        _ => return Err(self.unexpected("a property name or `*`")),
                    };
                }
                TokenKind::LBracket => {
                    let open = self.advance()?.span;
                    self.enter(&open)?;
                    let index = self.binary(0)?;
                    let close = self.close(&open, TokenKind::RBracket)?;
                    self.leave();
                    let depth = 1 + tree.depth.max(index.depth);
                    let kind = ExprKind::Index {
                        object: Box::new(tree.expr),
                        index: Box::new(index.expr),
                    };
                    tree = Self::node(kind, start..close.end, depth)?;
                }
                _ => return Ok(tree),
            }
        }
    }

    /// Takes the current identifier as a name.
    fn name(&mut self) -> Result<Name, ExprError> {
        let span = self.advance()?.span;
        let text = self.lexer.text().get(span.clone()).unwrap_or_default().to_owned();
        Ok(Name { text, span })
    }

    /// Expects the `)` or `]` that closes `open`.
    fn close(&mut self, open: &Range<usize>, close: TokenKind) -> Result<Range<usize>, ExprError> {
        if self.current.kind == close {
            return Ok(self.advance()?.span);
        }
        let (open_char, close_char, expected) = match close {
            TokenKind::RBracket => ('[', ']', "an operator or `]`"),
            _ => ('(', ')', "an operator or `)`"),
        };
        if self.current.kind == TokenKind::End {
            return Err(ExprError::Unclosed {
                open: open_char,
                close: close_char,
                span: open.clone(),
            });
        }
        Err(self.unexpected(expected))
    }

    /// A primary expression, and whether it is a literal outside
    /// parentheses.
    fn primary(&mut self) -> Result<(Tree, bool), ExprError> {
        let span = self.current.span.clone();
        let literal = |kind| Self::node(kind, span.clone(), 1).map(|tree| (tree, true));
        match self.current.kind.clone() {
            TokenKind::Number => {
                let text = self.lexer.text().get(span.clone()).unwrap_or_default().to_owned();
                self.advance()?;
                literal(ExprKind::Number(text))
            }
            TokenKind::String(value) => {
                self.advance()?;
                literal(ExprKind::String(value))
            }
            TokenKind::LParen => {
                self.advance()?;
                self.enter(&span)?;
                let mut inner = self.binary(0)?;
                let close = self.close(&span, TokenKind::RParen)?;
                self.leave();
                inner.expr.span = span.start..close.end;
                Ok((inner, false))
            }
            TokenKind::Ident => {
                let name = self.name()?;
                if self.current.kind == TokenKind::LParen {
                    return self.call(name).map(|tree| (tree, false));
                }
                let kind = match name.text.as_str() {
                    "null" => ExprKind::Null,
                    "true" => ExprKind::Bool(true),
                    "false" => ExprKind::Bool(false),
                    _ => return Self::node(ExprKind::Context(name), span, 1).map(|t| (t, false)),
                };
                literal(kind)
            }
            _ => Err(self.unexpected("a value: a literal, a context, a call or `(`")),
        }
    }

    /// The arguments of a call to `name`, from its `(`.
    fn call(&mut self, name: Name) -> Result<Tree, ExprError> {
        let open = self.advance()?.span;
        self.enter(&open)?;
        let mut args = Vec::new();
        let mut depth = 0;
        let close = if self.current.kind == TokenKind::RParen {
            self.advance()?.span
        } else {
            loop {
                let arg = self.binary(0)?;
                depth = depth.max(arg.depth);
                args.push(arg.expr);
                match self.current.kind {
                    TokenKind::Comma => {
                        self.advance()?;
                    }
                    TokenKind::RParen => break self.advance()?.span,
                    TokenKind::End => {
                        return Err(ExprError::Unclosed { open: '(', close: ')', span: open });
                    }
                    _ => return Err(self.unexpected("an operator, `,` or `)`")),
                }
            }
        };
        self.leave();
        let span = name.span.start..close.end;
        Self::node(ExprKind::Call { name, args }, span, depth + 1)
    }
}

/// A subtree's depth as an operand of `op`: a `&&` inside a `&&` (or `||`
/// inside `||`) is merged into its parent by the runner.
fn flattened(tree: &Tree, op: BinaryOp) -> usize {
    match &tree.expr.kind {
        ExprKind::Binary { op: inner, .. }
            if *inner == op && matches!(op, BinaryOp::And | BinaryOp::Or) =>
        {
            tree.depth.saturating_sub(1)
        }
        _ => tree.depth,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tree in a compact prefix form, for comparing shapes.
    fn shape(e: &Expr) -> String {
        match &e.kind {
            ExprKind::Null => "null".into(),
            ExprKind::Bool(b) => b.to_string(),
            ExprKind::Number(n) => n.clone(),
            ExprKind::String(s) => format!("'{s}'"),
            ExprKind::Context(n) => n.text.clone(),
            ExprKind::Property { object, name } => format!("{}.{}", shape(object), name.text),
            ExprKind::Index { object, index } => format!("{}[{}]", shape(object), shape(index)),
            ExprKind::Filter { object } => format!("{}.*", shape(object)),
            ExprKind::Call { name, args } => {
                let args: Vec<String> = args.iter().map(shape).collect();
                format!("{}({})", name.text, args.join(","))
            }
            ExprKind::Not(x) => format!("(! {})", shape(x)),
            ExprKind::Binary { op, left, right, .. } => {
                format!("({} {} {})", op.symbol(), shape(left), shape(right))
            }
        }
    }

    fn tree(text: &str) -> String {
        shape(&parse(text).unwrap_or_else(|e| panic!("{text}: {e}")))
    }

    fn error(text: &str) -> ExprError {
        parse(text).expect_err(text)
    }

    #[test]
    fn literals() {
        assert_eq!(tree("null"), "null");
        assert_eq!(tree("true"), "true");
        assert_eq!(tree(" false "), "false");
        assert_eq!(tree("-1.5e3"), "-1.5e3");
        assert_eq!(tree("0xff"), "0xff");
        assert_eq!(tree("'it''s'"), "'it's'");
        assert_eq!(parse("'a'").unwrap().kind, ExprKind::String("a".into()));
    }

    #[test]
    fn keywords_are_case_sensitive() {
        assert_eq!(
            parse("TRUE").unwrap().kind,
            ExprKind::Context(Name { text: "TRUE".into(), span: 0..4 })
        );
        assert_eq!(parse("Null").map(|e| e.is_literal()), Ok(false));
    }

    #[test]
    fn accessors() {
        assert_eq!(tree("github.event.issue"), "github.event.issue");
        assert_eq!(tree("GitHub.Event_Name"), "GitHub.Event_Name");
        assert_eq!(tree("strategy.fail-fast"), "strategy.fail-fast");
        assert_eq!(tree("a['b']"), "a['b']");
        assert_eq!(tree("a[0]"), "a[0]");
        assert_eq!(tree("a[b.c == 1]"), "a[(== b.c 1)]");
        assert_eq!(tree("a.*.b"), "a.*.b");
        assert_eq!(tree("a . b [ 0 ] . *"), "a.b[0].*");
        assert_eq!(tree("a.true"), "a.true");
        assert_eq!(tree("(a || b).c"), "(|| a b).c");
        assert_eq!(tree("fromJSON(x).y[0]"), "fromJSON(x).y[0]");
        assert_eq!(tree("('ab')[0]"), "'ab'[0]");
    }

    #[test]
    fn calls() {
        assert_eq!(tree("success()"), "success()");
        assert_eq!(tree("format('{0}', a, b.c)"), "format('{0}',a,b.c)");
        assert_eq!(tree("toJson (github)"), "toJson(github)");
        assert_eq!(tree("contains(a, 'x') && !b"), "(&& contains(a,'x') (! b))");
        assert_eq!(tree("f(g(h()))"), "f(g(h()))");
    }

    #[test]
    fn precedence_is_the_runners() {
        assert_eq!(tree("a || b && c"), "(|| a (&& b c))");
        assert_eq!(tree("a && b || c"), "(|| (&& a b) c)");
        assert_eq!(tree("a == b && c != d"), "(&& (== a b) (!= c d))");
        assert_eq!(tree("a == b < c"), "(== a (< b c))");
        assert_eq!(tree("a < b == c"), "(== (< a b) c)");
        assert_eq!(tree("a < b <= c"), "(<= (< a b) c)");
        assert_eq!(tree("a == b != c"), "(!= (== a b) c)");
        assert_eq!(tree("a || b || c"), "(|| (|| a b) c)");
        assert_eq!(tree("!a == b"), "(== (! a) b)");
        assert_eq!(tree("!!a.b"), "(! (! a.b))");
        assert_eq!(tree("a == !b"), "(== a (! b))");
        assert_eq!(tree("(a || b) && c"), "(&& (|| a b) c)");
        assert_eq!(tree("a >= -1"), "(>= a -1)");
        assert_eq!(tree("a > 1 || a <= 0"), "(|| (> a 1) (<= a 0))");
    }

    #[test]
    fn spans_cover_nodes_and_names() {
        let e = parse(" (a.b) == f(c) ").unwrap();
        assert_eq!(e.span, 1..14);
        let ExprKind::Binary { op_span, left, right, .. } = &e.kind else { panic!() };
        assert_eq!(op_span, &(7..9));
        assert_eq!(left.span, 1..6);
        let ExprKind::Property { name, object } = &left.kind else { panic!() };
        assert_eq!((name.span.clone(), object.span.clone()), (4..5, 2..3));
        let ExprKind::Call { name, args } = &right.kind else { panic!() };
        assert_eq!(
            (right.span.clone(), name.span.clone(), args[0].span.clone()),
            (10..14, 10..11, 12..13)
        );
        assert_eq!(parse("a.*").unwrap().span, 0..3);
        assert_eq!(parse("a[ 0 ]").unwrap().span, 0..6);
        assert_eq!(parse("! a").unwrap().span, 0..3);
    }

    #[test]
    fn errors_point_at_the_token() {
        assert_eq!(error("a # b"), ExprError::UnexpectedChar { found: '#', span: 2..3 });
        assert_eq!(
            error("a == )"),
            ExprError::UnexpectedToken {
                found: "`)`".into(),
                expected: "a value: a literal, a context, a call or `(`",
                span: 5..6,
            }
        );
        assert_eq!(error("a ="), ExprError::UnexpectedChar { found: '=', span: 2..3 });
        assert_eq!(
            error("a &&"),
            ExprError::UnexpectedToken {
                found: "end of expression".into(),
                expected: "a value: a literal, a context, a call or `(`",
                span: 4..4,
            }
        );
        assert_eq!(
            error("a.1"),
            ExprError::UnexpectedToken {
                found: "number `1`".into(),
                expected: "a property name or `*`",
                span: 2..3,
            }
        );
        assert_eq!(
            error("(a b)"),
            ExprError::UnexpectedToken {
                found: "name `b`".into(),
                expected: "an operator or `)`",
                span: 3..4,
            }
        );
        assert_eq!(
            error("f(a b)"),
            ExprError::UnexpectedToken {
                found: "name `b`".into(),
                expected: "an operator, `,` or `)`",
                span: 4..5,
            }
        );
        assert_eq!(
            error("a[0 1]"),
            ExprError::UnexpectedToken {
                found: "number `1`".into(),
                expected: "an operator or `]`",
                span: 4..5,
            }
        );
        assert!(
            matches!(error("f(a,)"), ExprError::UnexpectedToken { span, .. } if span == (4..5))
        );
        assert!(matches!(error("a[*]"), ExprError::UnexpectedToken { span, .. } if span == (2..3)));
        assert_eq!(error("x == 'abc"), ExprError::UnterminatedString { span: 5..9 });
        assert_eq!(error("(a || b"), ExprError::Unclosed { open: '(', close: ')', span: 0..1 });
        assert_eq!(error("f(a, (b)"), ExprError::Unclosed { open: '(', close: ')', span: 1..2 });
        assert_eq!(error("a[b[0]"), ExprError::Unclosed { open: '[', close: ']', span: 1..2 });
        assert_eq!(error(""), ExprError::Empty { span: 0..0 });
        assert_eq!(error("  \n "), ExprError::Empty { span: 0..4 });
        assert_eq!(error("a b"), ExprError::TrailingInput { found: "name `b`".into(), span: 2..3 });
        assert_eq!(error("a)"), ExprError::TrailingInput { found: "`)`".into(), span: 1..2 });
        assert_eq!(error("'ab'[0]"), ExprError::TrailingInput { found: "`[`".into(), span: 4..5 });
        assert_eq!(error("1.5.x"), ExprError::TrailingInput { found: "`.`".into(), span: 3..4 });
        assert!(
            matches!(error("x == 007"), ExprError::InvalidNumber { span, .. } if span == (5..8))
        );
    }

    #[test]
    fn limits_are_the_runners() {
        let deep = format!("{}a{}", "(".repeat(MAX_DEPTH + 1), ")".repeat(MAX_DEPTH + 1));
        assert_eq!(error(&deep), ExprError::TooDeep { limit: MAX_DEPTH, span: 50..51 });
        let nots = format!("{}a", "!".repeat(MAX_DEPTH));
        assert!(matches!(error(&nots), ExprError::TooDeep { .. }));
        assert!(parse(&format!("{}a", "!".repeat(MAX_DEPTH - 1))).is_ok());
        let chain = format!("a{}", ".b".repeat(MAX_DEPTH));
        assert!(matches!(error(&chain), ExprError::TooDeep { .. }));
        let ors = vec!["a"; 500].join(" || ");
        assert!(parse(&ors).is_ok(), "a flat `||` chain is one level");
        let eqs = vec!["a"; 60].join(" == ");
        assert!(matches!(error(&eqs), ExprError::TooDeep { .. }));
        let long = vec!["a"; MAX_LENGTH].join("||");
        assert_eq!(error(&long), ExprError::TooLong { limit: MAX_LENGTH, span: 0..long.len() });
    }
}
