//! What the editor features read in `${{ }}` expressions: the jobs a
//! finished expression names, and the property path being typed in an
//! unfinished one.

use crate::expr::{Expr, ExprKind, Name};

/// Calls `found` with the id of every `needs.ID` and `jobs.ID` in `expr`.
pub fn job_references(expr: &Expr, found: &mut impl FnMut(&Name)) {
    match &expr.kind {
        ExprKind::Property { object, name } => {
            if let ExprKind::Context(context) = &object.kind
                && (context.text.eq_ignore_ascii_case("needs")
                    || context.text.eq_ignore_ascii_case("jobs"))
            {
                found(name);
            }
            job_references(object, found);
        }
        ExprKind::Index { object, index } => {
            job_references(object, found);
            job_references(index, found);
        }
        ExprKind::Filter { object } | ExprKind::Not(object) => job_references(object, found),
        ExprKind::Call { args, .. } => args.iter().for_each(|a| job_references(a, found)),
        ExprKind::Binary { left, right, .. } => {
            job_references(left, found);
            job_references(right, found);
        }
        ExprKind::Null
        | ExprKind::Bool(_)
        | ExprKind::Number(_)
        | ExprKind::String(_)
        | ExprKind::Context(_) => {}
    }
}

/// The property path being typed at the end of `typed`, the text of an
/// unfinished expression: `needs.build.out` gives `["needs", "build"]` and
/// the word `out`. `None` inside a string literal.
pub fn path_at_end(typed: &str) -> Option<(Vec<&str>, &str)> {
    if typed.chars().filter(|c| *c == '\'').count() % 2 == 1 {
        return None;
    }
    let word_char = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.';
    let start = typed.rfind(|c: char| !word_char(c)).map_or(0, |i| i + 1);
    let tail = &typed[start..];
    if tail.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let mut parts: Vec<&str> = tail.split('.').collect();
    let word = parts.pop().unwrap_or_default();
    if parts.iter().any(|p| p.is_empty()) {
        return None;
    }
    Some((parts, word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_needs_and_jobs_references() {
        let expr = crate::expr::parse("needs.build.outputs.v == jobs.test.result && !needs['x']")
            .expect("parses");
        let mut names = Vec::new();
        job_references(&expr, &mut |n| names.push(n.text.clone()));
        assert_eq!(names, ["build", "test"]);
    }

    #[test]
    fn reads_the_path_being_typed() {
        assert_eq!(path_at_end(" needs.build.out"), Some((vec!["needs", "build"], "out")));
        assert_eq!(path_at_end("matrix."), Some((vec!["matrix"], "")));
        assert_eq!(path_at_end("format('{0}', ste"), Some((vec![], "ste")));
        assert_eq!(path_at_end("format('a.b"), None);
        assert_eq!(path_at_end("a..b"), None);
    }
}
