//! Script injection: a `run` script (or any script an action runs) that
//! expands an attacker-controlled expression, such as
//! `${{ github.event.issue.title }}`, lets whoever wrote that title run
//! commands in the job. The safe form passes the value through `env` and
//! quotes the variable: `run "echo \"$TITLE\""`.
//!
//! [`untrusted`] follows what an expression yields, not what it mentions:
//!
//! - A property path is normalised: lowercase, `forgejo` and `gitea` read
//!   as `github`, `['name']` as `.name`, any other index and the filter `.*`
//!   as `*`. It is untrusted when it matches an entry of [`UNTRUSTED`], or
//!   when it is a prefix of one: `github.event.issue`, `github.event.commits` and
//!   `github` itself are objects holding untrusted text, and printing them
//!   (say through `toJSON`) prints that text. A `*` in the path (an
//!   unknown key, or every key) matches any segment of an entry; a `*` in an
//!   entry (an array element) matches a `*` or a number written as a string
//!   key (`['0']`), which the runner converts.
//! - `format`, `join`, `toJSON` and `fromJSON` build their result from their
//!   arguments, and `case` returns one of its values, so they are untrusted
//!   when an argument (for `case`, a value) is; so is a call to an unknown
//!   function. `contains`, `startsWith`, `endsWith` and the status functions
//!   return booleans, and `hashFiles` a hash: never untrusted.
//! - `!` and the comparisons return booleans: never untrusted.
//! - `a && b` and `a || b` return one of their operands: untrusted when
//!   either is, and a property read from their result is read from either.
//! - A property or index read from an untrusted value that is not a plain
//!   path (`fromJSON(github.event.issue.body).x`) stays untrusted. The key
//!   inside `[ ]` is not part of the result and is not followed.

use std::fmt;
use std::ops::Range;

use super::ast::{Expr, ExprKind};
use super::contexts::Context;
use super::functions::{self, Restriction};

/// Paths whose text anyone who opens an issue, a pull request, a
/// discussion, a comment or a commit controls; `*` stands for one segment
/// or index. The same as actionlint's `BuiltinUntrustedInputs`, plus the
/// `workflow_run` payload's copies of branch names, commit messages and
/// authors, and its display title (from CodeQL's and zizmor's lists).
pub const UNTRUSTED: &[&str] = &[
    "github.head_ref",
    "github.event.issue.title",
    "github.event.issue.body",
    "github.event.pull_request.title",
    "github.event.pull_request.body",
    "github.event.pull_request.head.ref",
    "github.event.pull_request.head.label",
    "github.event.pull_request.head.repo.default_branch",
    "github.event.discussion.title",
    "github.event.discussion.body",
    "github.event.comment.body",
    "github.event.review.body",
    "github.event.review_comment.body",
    "github.event.pages.*.page_name",
    "github.event.commits.*.message",
    "github.event.commits.*.author.email",
    "github.event.commits.*.author.name",
    "github.event.head_commit.message",
    "github.event.head_commit.author.email",
    "github.event.head_commit.author.name",
    "github.event.workflow_run.head_branch",
    "github.event.workflow_run.head_commit.message",
    "github.event.workflow_run.head_commit.author.email",
    "github.event.workflow_run.head_commit.author.name",
    "github.event.workflow_run.pull_requests.*.head.ref",
    "github.event.workflow_run.display_title",
];

/// An untrusted value an expression yields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Untrusted {
    /// The path read, normalised: `github.event.commits.*.message`.
    pub path: String,
    /// The bytes of the reading expression in the expression text.
    pub span: Range<usize>,
}

impl fmt::Display for Untrusted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is text an attacker can choose", self.path)
    }
}

/// The untrusted values `expr` can yield, in the order of the text.
pub fn untrusted(expr: &Expr) -> Vec<Untrusted> {
    let mut found = close(flow(expr));
    found.sort_by_key(|u| (u.span.start, u.span.end));
    found.dedup();
    found
}

/// What a subexpression may yield.
#[derive(Default)]
struct Flow {
    /// Paths under `github` the value may be, still open to further reads:
    /// segments lowercase, `*` for any.
    paths: Vec<(Vec<String>, Range<usize>)>,
    /// Untrusted values it may carry whatever is read from it.
    found: Vec<Untrusted>,
}

impl Flow {
    /// The same value with `segment` read from it, by the node at `span`.
    fn read(mut self, segment: &str, span: &Range<usize>) -> Self {
        for (path, at) in &mut self.paths {
            path.push(segment.to_owned());
            *at = span.clone();
        }
        self
    }

    fn merge(mut self, other: Flow) -> Self {
        self.paths.extend(other.paths);
        self.found.extend(other.found);
        self
    }
}

fn flow(e: &Expr) -> Flow {
    match &e.kind {
        ExprKind::Context(name) if Context::lookup(&name.text) == Some(Context::Github) => {
            Flow { paths: vec![(vec!["github".to_owned()], e.span.clone())], found: Vec::new() }
        }
        ExprKind::Property { object, name } => {
            flow(object).read(&name.text.to_ascii_lowercase(), &e.span)
        }
        ExprKind::Filter { object } => flow(object).read("*", &e.span),
        ExprKind::Index { object, index } => {
            let segment = match &index.kind {
                ExprKind::String(key) => key.to_ascii_lowercase(),
                _ => "*".to_owned(),
            };
            flow(object).read(&segment, &e.span)
        }
        ExprKind::Call { name, args } => {
            let found = match functions::lookup(&name.text) {
                Some(f) if f.returns_boolean() || f.restriction == Restriction::HashFiles => {
                    Vec::new()
                }
                Some(f) if f.odd_args => {
                    let last = args.len().saturating_sub(1);
                    let values = args.iter().enumerate().filter(|(i, _)| i % 2 == 1 || *i == last);
                    values.flat_map(|(_, arg)| close(flow(arg))).collect()
                }
                _ => args.iter().flat_map(|arg| close(flow(arg))).collect(),
            };
            Flow { paths: Vec::new(), found }
        }
        ExprKind::Binary { op, left, right, .. } if !op.is_comparison() => {
            flow(left).merge(flow(right))
        }
        _ => Flow::default(),
    }
}

/// The untrusted values of a flow used as a whole.
fn close(flow: Flow) -> Vec<Untrusted> {
    let mut found = flow.found;
    for (path, span) in flow.paths {
        if UNTRUSTED.iter().any(|pattern| within(&path, pattern)) {
            found.push(Untrusted { path: path.join("."), span });
        }
    }
    found
}

/// Whether `path` is `pattern` or a prefix of it: a `*` in the path matches
/// any segment, a `*` in the pattern matches a `*` or a number.
fn within(path: &[String], pattern: &str) -> bool {
    let mut parts = pattern.split('.');
    path.iter().all(|segment| {
        parts.next().is_some_and(|part| {
            segment == "*"
                || part == segment
                || (part == "*"
                    && !segment.is_empty()
                    && segment.bytes().all(|b| b.is_ascii_digit()))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::*;

    fn paths(text: &str) -> Vec<String> {
        let expr = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        untrusted(&expr).into_iter().map(|u| u.path).collect()
    }

    #[test]
    fn every_table_entry_is_untrusted() {
        for entry in UNTRUSTED {
            let text = entry.replace(".*", "[0]");
            assert_eq!(paths(&text), [*entry], "{text}");
        }
    }

    #[test]
    fn untrusted_reads() {
        for (text, path) in [
            ("github.head_ref", "github.head_ref"),
            ("GitHub.Event.Issue.Title", "github.event.issue.title"),
            ("forgejo.event.issue.body", "github.event.issue.body"),
            ("gitea.head_ref", "github.head_ref"),
            ("github.event['issue'].title", "github.event.issue.title"),
            ("github['event']['ISSUE']['title']", "github.event.issue.title"),
            ("github.event.commits[0].message", "github.event.commits.*.message"),
            ("github.event.commits.*.message", "github.event.commits.*.message"),
            ("github.event.commits[matrix.i].author.name", "github.event.commits.*.author.name"),
            ("github.event.commits['0'].message", "github.event.commits.0.message"),
            ("github.event[matrix.kind].title", "github.event.*.title"),
            ("github.event.*.body", "github.event.*.body"),
            ("github.event.pull_request.head.ref", "github.event.pull_request.head.ref"),
            ("github.event.workflow_run.display_title", "github.event.workflow_run.display_title"),
            ("(github.event).issue.title", "github.event.issue.title"),
        ] {
            assert_eq!(paths(text), [path], "{text}");
        }
    }

    #[test]
    fn objects_holding_untrusted_text() {
        for (text, path) in [
            ("github", "github"),
            ("toJSON(github.event)", "github.event"),
            ("toJSON(github.event.pull_request)", "github.event.pull_request"),
            ("toJson(github.event.issue)", "github.event.issue"),
            ("github.event.commits", "github.event.commits"),
            ("github.event.workflow_run", "github.event.workflow_run"),
            ("github.event.pull_request.head", "github.event.pull_request.head"),
            ("github.event.*", "github.event.*"),
            ("toJSON(github.event.commits.*.author)", "github.event.commits.*.author"),
        ] {
            assert_eq!(paths(text), [path], "{text}");
        }
    }

    #[test]
    fn text_building_functions_pass_taint_on() {
        assert_eq!(
            paths("format('{0}', github.event.comment.body)"),
            ["github.event.comment.body"]
        );
        assert_eq!(
            paths("join(github.event.commits.*.message, ' ')"),
            ["github.event.commits.*.message"]
        );
        assert_eq!(paths("fromJSON(github.event.issue.body)"), ["github.event.issue.body"]);
        assert_eq!(paths("fromJSON(github.event.issue.body).x[0]"), ["github.event.issue.body"]);
        assert_eq!(paths("toJSON(format('{0}', github.head_ref))"), ["github.head_ref"]);
        assert_eq!(paths("unknown(github.head_ref)"), ["github.head_ref"]);
        assert_eq!(
            paths("case(github.head_ref == 'x', github.event.issue.title, 'y')"),
            ["github.event.issue.title"]
        );
        assert_eq!(paths("case(true, 'a', github.head_ref)"), ["github.head_ref"]);
        assert!(paths("case(github.head_ref, 'a', 'b')").is_empty());
    }

    #[test]
    fn logical_operators_return_an_operand() {
        assert_eq!(paths("github.event.issue.title || 'none'"), ["github.event.issue.title"]);
        assert_eq!(paths("x && github.head_ref"), ["github.head_ref"]);
        assert_eq!(paths("(x || github.event).issue.title"), ["github.event.issue.title"]);
        assert_eq!(
            paths("github.head_ref || github.event.issue.body"),
            ["github.head_ref", "github.event.issue.body"]
        );
    }

    #[test]
    fn safe_expressions() {
        for text in [
            "github.sha",
            "github.ref",
            "github.event.issue.number",
            "github.event.pull_request.head.sha",
            "github.event.issue.title.x",
            "github.event.*.number",
            "github.event.pages.x.page_name",
            "matrix.os",
            "env.TITLE",
            "steps.x.outputs.title",
            "'github.head_ref'",
            "github.event.issue.title == 'x'",
            "!github.event.issue.title",
            "contains(github.event.issue.title, 'x')",
            "startsWith(github.head_ref, 'x')",
            "endsWith(toJSON(github.event), 'x')",
            "hashFiles(github.head_ref)",
            "github.event[github.head_ref == 'x'].number",
            "github.event.issue[github.event.issue.title].number",
            "success() && github.event.issue.title != ''",
        ] {
            assert!(paths(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn spans_cover_the_read() {
        let expr = parse("format('{0} {1}', github.head_ref, github.event.issue.title)").unwrap();
        let spans: Vec<_> = untrusted(&expr).into_iter().map(|u| u.span).collect();
        assert_eq!(spans, [18..33, 35..59]);
        let message = untrusted(&parse("github.head_ref").unwrap())[0].to_string();
        assert_eq!(message, "`github.head_ref` is text an attacker can choose");
    }
}
