//! Script injection: a `run` script that expands an attacker-controlled
//! expression (`${{ github.event.issue.title }}`) lets whoever wrote that
//! title run commands in the job. The safe form passes the value through
//! `env` and quotes the variable: `run "echo \"$TITLE\""`.

use super::Checker;
use crate::error::SpecError;
use crate::parse::spec::Spanned;

/// Refuses `script` (a `run` script, or the script input of an action that
/// runs one, at `place`) when it expands attacker-controlled text.
pub fn check(cx: &mut Checker<'_>, script: &Spanned<String>, place: &'static str) {
    let written = cx.written(script.span);
    for finding in scan(&script.value) {
        // Point at the expression itself when it is written as-is.
        let span = match written.find(&finding.expression) {
            Some(at) if written.len() == script.span.len() => miette::SourceSpan::new(
                (script.span.offset() + at).into(),
                finding.expression.len(),
            ),
            _ => script.span,
        };
        let name: String = finding
            .context
            .rsplit('.')
            .next()
            .unwrap_or("value")
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' })
            .collect();
        cx.error(SpecError::ScriptInjection {
            place,
            context: finding.context.clone(),
            span,
            help: if place == "run" {
                format!(
                    "pass it through `env` and quote the variable: `run \"echo \\\"${name}\\\"\" {{ env {name}=\"{}\" }}`",
                    finding.expression
                )
            } else {
                format!(
                    "pass it through the step's `env` and read `process.env.{name}` in the script: `env {name}=\"{}\"`",
                    finding.expression
                )
            },
        });
    }
}

/// Contexts whose text anyone who opens an issue, a pull request or a
/// comment controls; `*` stands for one segment or index. The same list as
/// actionlint's and zizmor's template-injection checks.
const UNTRUSTED: &[&str] = &[
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
];

/// An untrusted reference found in a script.
#[derive(Debug, PartialEq, Eq)]
pub struct Finding {
    /// The whole `${{ … }}` expression, as written.
    pub expression: String,
    /// The untrusted context it reads, normalised.
    pub context: String,
}

/// Every `${{ … }}` in `script` that reads an untrusted context.
pub fn scan(script: &str) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut rest = script;
    while let Some(start) = rest.find("${{") {
        let after = &rest[start + 3..];
        let Some(end) = after.find("}}") else { break };
        let inner = &after[..end];
        if let Some(context) = references(inner).into_iter().find(|r| untrusted(r)) {
            findings.push(Finding { expression: format!("${{{{{inner}}}}}"), context });
        }
        rest = &after[end + 2..];
    }
    findings
}

/// Property chains in an expression, lower-cased, with indexes as `*` and
/// the `forgejo.` and `gitea.` aliases read as `github.`.
fn references(expression: &str) -> Vec<String> {
    let mut chains = Vec::new();
    let mut current = String::new();
    let mut chars = expression.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '_' | '-' | '.' | '*' => {
                current.push(c.to_ascii_lowercase());
            }
            '[' => {
                let mut index = String::new();
                for d in chars.by_ref() {
                    if d == ']' {
                        break;
                    }
                    index.push(d);
                }
                let key = index.trim().trim_matches(['\'', '"']);
                if key.chars().all(|d| d.is_ascii_digit()) || key == "*" {
                    current.push_str(".*");
                } else {
                    current.push('.');
                    current.push_str(&key.to_ascii_lowercase());
                }
            }
            _ => {
                if !current.is_empty() {
                    chains.push(std::mem::take(&mut current));
                }
            }
        }
    }
    if !current.is_empty() {
        chains.push(current);
    }
    chains
        .into_iter()
        .map(|chain| {
            for alias in ["forgejo.", "gitea."] {
                if let Some(rest) = chain.strip_prefix(alias) {
                    return format!("github.{rest}");
                }
            }
            chain
        })
        .collect()
}

fn untrusted(chain: &str) -> bool {
    UNTRUSTED.iter().any(|pattern| {
        let mut parts = chain.split('.');
        let matched = pattern.split('.').all(|p| parts.next().is_some_and(|c| p == "*" || p == c));
        matched && parts.next().is_none()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_untrusted_contexts() {
        let found = scan("echo ${{ github.event.issue.title }} && echo ${{ github.sha }}");
        assert_eq!(
            found,
            vec![Finding {
                expression: "${{ github.event.issue.title }}".to_owned(),
                context: "github.event.issue.title".to_owned(),
            }]
        );
        assert_eq!(scan("${{ github.event.commits[0].message }}").len(), 1);
        assert_eq!(scan("${{ github.event['pull_request'].head.ref }}").len(), 1);
        assert_eq!(scan("${{ forgejo.head_ref }}").len(), 1);
        assert_eq!(scan("${{ format('{0}', github.event.comment.body) }}").len(), 1);
        assert_eq!(scan("${{ GITHUB.HEAD_REF }}").len(), 1);
    }

    #[test]
    fn trusted_contexts_pass() {
        for script in [
            "echo ${{ github.sha }} ${{ github.ref }} ${{ matrix.python }}",
            "echo \"$TITLE\"",
            "echo ${{ github.event.issue.number }}",
            "echo ${{ github.event.pull_request.head.sha }}",
            "echo ${{ unclosed",
        ] {
            assert!(scan(script).is_empty(), "{script}");
        }
    }
}
