//! The canonical text of an expression: names as written, one space around
//! binary operators, none elsewhere except after `,`, and only the
//! parentheses the tree needs. Parsing the text gives the same tree back.

use std::fmt::{self, Write};

use super::ast::{Expr, ExprKind};

/// How tightly a node holds together when printed: higher holds tighter.
/// Binary operators use their [`precedence`](super::ast::BinaryOp::precedence).
fn strength(e: &Expr) -> u8 {
    match &e.kind {
        ExprKind::Binary { op, .. } => op.precedence(),
        ExprKind::Not(_) => 5,
        _ => 6,
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ExprKind::Null => f.write_str("null"),
            ExprKind::Bool(b) => write!(f, "{b}"),
            ExprKind::Number(text) => f.write_str(text),
            ExprKind::String(value) => {
                f.write_char('\'')?;
                f.write_str(&value.replace('\'', "''"))?;
                f.write_char('\'')
            }
            ExprKind::Context(name) => f.write_str(&name.text),
            ExprKind::Property { object, name } => {
                object_of(f, object)?;
                write!(f, ".{}", name.text)
            }
            ExprKind::Index { object, index } => {
                object_of(f, object)?;
                write!(f, "[{index}]")
            }
            ExprKind::Filter { object } => {
                object_of(f, object)?;
                f.write_str(".*")
            }
            ExprKind::Call { name, args } => {
                write!(f, "{}(", name.text)?;
                for (i, arg) in args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{arg}")?;
                }
                f.write_char(')')
            }
            ExprKind::Not(operand) => {
                f.write_char('!')?;
                grouped(f, operand, strength(operand) < 5)
            }
            ExprKind::Binary { op, left, right, .. } => {
                let own = op.precedence();
                grouped(f, left, strength(left) < own)?;
                write!(f, " {} ", op.symbol())?;
                grouped(f, right, strength(right) <= own)
            }
        }
    }
}

/// `e`, in parentheses when `parens`.
fn grouped(f: &mut fmt::Formatter<'_>, e: &Expr, parens: bool) -> fmt::Result {
    if parens { write!(f, "({e})") } else { write!(f, "{e}") }
}

/// The object of `.`, `[ ]` or `.*`: an operator or a bare literal there
/// needs parentheses.
fn object_of(f: &mut fmt::Formatter<'_>, object: &Expr) -> fmt::Result {
    grouped(f, object, strength(object) < 6 || object.is_literal())
}

#[cfg(test)]
mod tests {
    use super::super::parse;

    fn canonical(text: &str) -> String {
        parse(text).unwrap_or_else(|e| panic!("{text}: {e}")).to_string()
    }

    #[test]
    fn prints_the_canonical_form() {
        assert_eq!(canonical("a&&b"), "a && b");
        assert_eq!(canonical("  GitHub . Event [ 'x' ] . * "), "GitHub.Event['x'].*");
        assert_eq!(canonical("format( '{0}''s' ,a,b )"), "format('{0}''s', a, b)");
        assert_eq!(canonical("((a))"), "a");
        assert_eq!(canonical("(a || b) && c"), "(a || b) && c");
        assert_eq!(canonical("a || (b && c)"), "a || b && c");
        assert_eq!(canonical("(a || b) || c"), "a || b || c");
        assert_eq!(canonical("a || (b || c)"), "a || (b || c)");
        assert_eq!(canonical("a == (b == c)"), "a == (b == c)");
        assert_eq!(canonical("(a == b) < c"), "(a == b) < c");
        assert_eq!(canonical("!(a == b)"), "!(a == b)");
        assert_eq!(canonical("!(!a)"), "!!a");
        assert_eq!(canonical("(!a).b"), "(!a).b");
        assert_eq!(canonical("(a && b)[0]"), "(a && b)[0]");
        assert_eq!(canonical("('ab')[0]"), "('ab')[0]");
        assert_eq!(canonical("(-1).x"), "(-1).x");
        assert_eq!(canonical("a<-1"), "a < -1");
        assert_eq!(canonical("null != false"), "null != false");
        assert_eq!(canonical("x == 0x1F"), "x == 0x1F");
        assert_eq!(canonical("toJSON(fromJSON('{}').a)"), "toJSON(fromJSON('{}').a)");
    }
}
