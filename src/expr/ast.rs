//! The expression tree. Every node carries its byte range in the expression
//! text given to [`parse`](super::parse); a caller that took the text out of
//! a longer string adds its own offset.

use std::ops::Range;

/// One node of an expression, with the text it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expr {
    /// What the node is.
    pub kind: ExprKind,
    /// Its bytes in the expression text, parentheses around it included.
    pub span: Range<usize>,
}

/// A name as written: a context, a property or a function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name {
    /// The name with the case it was written in; names compare
    /// case-insensitively at run time.
    pub text: String,
    /// Its bytes in the expression text.
    pub span: Range<usize>,
}

/// The kinds of node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExprKind {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number literal, as written: `1`, `-2.5`, `1e3`, `0xff`.
    Number(String),
    /// A string literal, unescaped: `'it''s'` holds `it's`.
    String(String),
    /// A context such as `github` or `matrix`.
    Context(Name),
    /// `object.name`.
    Property {
        /// What the property is read from.
        object: Box<Expr>,
        /// The property.
        name: Name,
    },
    /// `object[index]`.
    Index {
        /// What is indexed.
        object: Box<Expr>,
        /// The key or position.
        index: Box<Expr>,
    },
    /// `object.*`: every element of an array, or every value of an object.
    Filter {
        /// What is filtered.
        object: Box<Expr>,
    },
    /// `name(args…)`.
    Call {
        /// The function, as written.
        name: Name,
        /// The arguments in order.
        args: Vec<Expr>,
    },
    /// `!operand`.
    Not(Box<Expr>),
    /// `left op right`.
    Binary {
        /// The operator.
        op: BinaryOp,
        /// The operator's bytes in the expression text.
        op_span: Range<usize>,
        /// The left operand.
        left: Box<Expr>,
        /// The right operand.
        right: Box<Expr>,
    },
}

/// A binary operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
    /// `==`.
    Eq,
    /// `!=`.
    Ne,
    /// `&&`.
    And,
    /// `||`.
    Or,
}

impl BinaryOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Lt => "<",
            Self::Le => "<=",
            Self::Gt => ">",
            Self::Ge => ">=",
            Self::Eq => "==",
            Self::Ne => "!=",
            Self::And => "&&",
            Self::Or => "||",
        }
    }

    /// How tightly the operator binds: higher binds tighter. The runner's
    /// order: `<` `<=` `>` `>=`, then `==` `!=`, then `&&`, then `||`; all
    /// associate to the left.
    pub fn precedence(self) -> u8 {
        match self {
            Self::Lt | Self::Le | Self::Gt | Self::Ge => 4,
            Self::Eq | Self::Ne => 3,
            Self::And => 2,
            Self::Or => 1,
        }
    }

    /// Whether the operator yields a boolean (a comparison) rather than one
    /// of its operands (`&&`, `||`).
    pub fn is_comparison(self) -> bool {
        !matches!(self, Self::And | Self::Or)
    }
}

impl Expr {
    /// The names of a plain property path, `github.event.issue` or
    /// `secrets['TOKEN']`, as written; `None` for anything else.
    pub fn path(&self) -> Option<Vec<&str>> {
        match &self.kind {
            ExprKind::Context(name) => Some(vec![name.text.as_str()]),
            ExprKind::Property { object, name } => {
                let mut path = object.path()?;
                path.push(&name.text);
                Some(path)
            }
            ExprKind::Index { object, index } => match &index.kind {
                ExprKind::String(key) => {
                    let mut path = object.path()?;
                    path.push(key);
                    Some(path)
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// Whether `self` and `other` are the same tree, spans aside.
    pub fn same_tree(&self, other: &Expr) -> bool {
        use ExprKind as K;
        match (&self.kind, &other.kind) {
            (K::Null, K::Null) => true,
            (K::Bool(a), K::Bool(b)) => a == b,
            (K::Number(a), K::Number(b)) | (K::String(a), K::String(b)) => a == b,
            (K::Context(a), K::Context(b)) => a.text == b.text,
            (K::Property { object: a, name: x }, K::Property { object: b, name: y }) => {
                x.text == y.text && a.same_tree(b)
            }
            (K::Index { object: a, index: i }, K::Index { object: b, index: j }) => {
                a.same_tree(b) && i.same_tree(j)
            }
            (K::Filter { object: a }, K::Filter { object: b }) | (K::Not(a), K::Not(b)) => {
                a.same_tree(b)
            }
            (K::Call { name: x, args: a }, K::Call { name: y, args: b }) => {
                x.text == y.text
                    && a.len() == b.len()
                    && a.iter().zip(b).all(|(a, b)| a.same_tree(b))
            }
            (
                K::Binary { op: o, left: l, right: r, .. },
                K::Binary { op: p, left: m, right: s, .. },
            ) => o == p && l.same_tree(m) && r.same_tree(s),
            _ => false,
        }
    }

    /// Whether the node is a literal: `null`, a boolean, a number or a string.
    pub fn is_literal(&self) -> bool {
        matches!(
            self.kind,
            ExprKind::Null | ExprKind::Bool(_) | ExprKind::Number(_) | ExprKind::String(_)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf(kind: ExprKind, span: Range<usize>) -> Expr {
        Expr { kind, span }
    }

    #[test]
    fn same_tree_ignores_spans_only() {
        let a = leaf(ExprKind::Number("1".into()), 0..1);
        let b = leaf(ExprKind::Number("1".into()), 5..6);
        let c = leaf(ExprKind::Number("1.0".into()), 0..3);
        assert!(a.same_tree(&b));
        assert!(!a.same_tree(&c));
        let not_a = leaf(ExprKind::Not(Box::new(a.clone())), 0..2);
        assert!(!not_a.same_tree(&a));
    }

    #[test]
    fn operators_bind_in_the_runners_order() {
        use BinaryOp::*;
        assert!(Lt.precedence() > Eq.precedence());
        assert!(Eq.precedence() > And.precedence());
        assert!(And.precedence() > Or.precedence());
        assert!(Ne.is_comparison() && !Or.is_comparison());
        assert_eq!(Le.symbol(), "<=");
    }
}
