//! Properties over generated input: no input panics, and the canonical
//! text parses back to the tree it was printed from.

use proptest::prelude::*;

use super::{BinaryOp, Expr, ExprKind, Name, Segment, parse, split, untrusted};

fn node(kind: ExprKind) -> Expr {
    Expr { kind, span: 0..0 }
}

fn name(text: String) -> Name {
    Name { text, span: 0..0 }
}

/// A name that is not a keyword.
fn ident() -> impl Strategy<Value = String> {
    "[a-zA-Z_][a-zA-Z0-9_-]{0,6}"
        .prop_filter("keywords are not names", |s| !matches!(s.as_str(), "null" | "true" | "false"))
}

fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i32>().prop_map(|n| n.to_string()),
        (0..=i32::MAX).prop_map(|n| format!("0x{n:x}")),
        (-999i32..999, 0u32..999).prop_map(|(a, b)| format!("{a}.{b}")),
        (-99i32..99, -30i32..30).prop_map(|(a, e)| format!("{a}e{e}")),
    ]
}

fn op() -> impl Strategy<Value = BinaryOp> {
    use BinaryOp::*;
    prop::sample::select(vec![Lt, Le, Gt, Ge, Eq, Ne, And, Or])
}

/// Well-formed trees, within the depth limit.
fn tree() -> impl Strategy<Value = Expr> {
    let leaf = prop_oneof![
        Just(ExprKind::Null),
        any::<bool>().prop_map(ExprKind::Bool),
        number().prop_map(ExprKind::Number),
        ".{0,8}".prop_map(ExprKind::String),
        ident().prop_map(|n| ExprKind::Context(name(n))),
    ]
    .prop_map(node);
    leaf.prop_recursive(5, 48, 3, |inner| {
        let boxed = inner.clone().prop_map(Box::new);
        prop_oneof![
            (boxed.clone(), "[a-zA-Z_][a-zA-Z0-9_-]{0,6}")
                .prop_map(|(object, n)| ExprKind::Property { object, name: name(n) }),
            (boxed.clone(), boxed.clone())
                .prop_map(|(object, index)| ExprKind::Index { object, index }),
            boxed.clone().prop_map(|object| ExprKind::Filter { object }),
            (ident(), prop::collection::vec(inner, 0..4))
                .prop_map(|(n, args)| ExprKind::Call { name: name(n), args }),
            boxed.clone().prop_map(ExprKind::Not),
            (op(), boxed.clone(), boxed).prop_map(|(op, left, right)| ExprKind::Binary {
                op,
                op_span: 0..0,
                left,
                right,
            }),
        ]
        .prop_map(node)
    })
}

/// Text made of the expression language's characters, so that a fair share
/// of it parses.
fn expression_like() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-c .,()\\[\\]!=<>&|'*_0-9x-]{0,24}",
        "(github|a|f\\(|x)(\\.[a-z*]|\\[0\\]|\\['k'\\]| == 1| \\|\\| | && |\\)|\\(|!|,){0,8}",
    ]
}

fn pick(choices: &mut impl Iterator<Item = u8>) -> u8 {
    choices.next().unwrap_or(0)
}

/// `e` printed with random whitespace between tokens and random redundant
/// parentheses, driven by `choices`.
fn noisy(e: &Expr, choices: &mut impl Iterator<Item = u8>) -> String {
    let ws = |c: u8| ["", " ", "\t", "\n  "][usize::from(c % 4)];
    let group = |text: String, parens: bool, c: u8| {
        if parens { format!("({}{text}{})", ws(c), ws(c / 4)) } else { text }
    };
    let strength = |e: &Expr| match &e.kind {
        ExprKind::Binary { op, .. } => op.precedence(),
        ExprKind::Not(_) => 5,
        _ => 6,
    };
    let text = match &e.kind {
        ExprKind::Property { object, name } => {
            let parens = strength(object) < 6 || object.is_literal();
            let object = group(noisy(object, choices), parens, pick(choices));
            format!("{object}{}.{}{}", ws(pick(choices)), ws(pick(choices)), name.text)
        }
        ExprKind::Filter { object } => {
            let parens = strength(object) < 6 || object.is_literal();
            let object = group(noisy(object, choices), parens, pick(choices));
            format!("{object}{}.{}*", ws(pick(choices)), ws(pick(choices)))
        }
        ExprKind::Index { object, index } => {
            let parens = strength(object) < 6 || object.is_literal();
            let object = group(noisy(object, choices), parens, pick(choices));
            let index = noisy(index, choices);
            format!(
                "{object}{}[{}{index}{}]",
                ws(pick(choices)),
                ws(pick(choices)),
                ws(pick(choices))
            )
        }
        ExprKind::Call { name, args } => {
            let args: Vec<String> = args.iter().map(|a| noisy(a, choices)).collect();
            let sep = format!("{},{}", ws(pick(choices)), ws(pick(choices)));
            format!("{}{}({})", name.text, ws(pick(choices)), args.join(&sep))
        }
        ExprKind::Not(operand) => {
            let parens = strength(operand) < 5;
            format!(
                "!{}{}",
                ws(pick(choices)),
                group(noisy(operand, choices), parens, pick(choices))
            )
        }
        ExprKind::Binary { op, left, right, .. } => {
            let own = op.precedence();
            let left = group(noisy(left, choices), strength(left) < own, pick(choices));
            let right = group(noisy(right, choices), strength(right) <= own, pick(choices));
            format!("{left}{}{}{}{right}", ws(pick(choices)), op.symbol(), ws(pick(choices)))
        }
        _ => e.to_string(),
    };
    let c = pick(choices);
    group(text, c.is_multiple_of(5), c / 5)
}

/// Parseable text that is not in canonical form.
fn noisy_text() -> impl Strategy<Value = String> {
    (tree(), prop::collection::vec(any::<u8>(), 64))
        .prop_map(|(e, choices)| noisy(&e, &mut choices.into_iter().cycle()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn nothing_panics(text in any::<String>()) {
        if let Ok(expr) = parse(&text) {
            let _ = untrusted(&expr);
            let _ = expr.to_string();
        }
        if let Ok(segments) = split(&text) {
            let mut at = 0;
            for segment in segments {
                let range = match segment {
                    Segment::Literal { range } => range,
                    Segment::Expression { inner, whole } => {
                        prop_assert!(text.get(inner).is_some());
                        whole
                    }
                };
                prop_assert_eq!(range.start, at);
                prop_assert!(text.get(range.clone()).is_some());
                at = range.end;
            }
            prop_assert_eq!(at, text.len());
        }
    }

    #[test]
    fn expression_like_text_never_panics(text in expression_like()) {
        if let Ok(expr) = parse(&text) {
            let _ = untrusted(&expr);
        }
        let _ = split(&format!("${{{{ {text} }}}}"));
    }

    #[test]
    fn printed_trees_parse_back(expr in tree()) {
        let text = expr.to_string();
        let back = parse(&text);
        prop_assert!(back.is_ok(), "{text}: {back:?}");
        let back = back.unwrap_or_else(|_| expr.clone());
        prop_assert!(back.same_tree(&expr), "{text} parsed as {back}");
    }

    #[test]
    fn reparsing_the_canonical_text_gives_the_same_tree(
        text in prop_oneof![expression_like(), noisy_text()],
    ) {
        if let Ok(expr) = parse(&text) {
            let printed = expr.to_string();
            let back = parse(&printed);
            prop_assert!(back.is_ok(), "{text} printed as {printed}: {back:?}");
            let back = back.unwrap_or_else(|_| expr.clone());
            prop_assert!(back.same_tree(&expr), "{text} printed as {printed}");
            prop_assert_eq!(back.to_string(), printed);
        }
    }

    #[test]
    fn noisy_text_parses(text in noisy_text()) {
        prop_assert!(parse(&text).is_ok(), "{text}: {:?}", parse(&text));
    }

    #[test]
    fn templates_hold_printed_expressions(expr in tree()) {
        let field = format!("a ${{{{ {expr} }}}} b");
        let segments = split(&field);
        prop_assert!(matches!(segments.as_deref(), Ok([_, Segment::Expression { .. }, _])), "{field}");
    }
}
