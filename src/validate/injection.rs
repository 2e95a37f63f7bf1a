//! Script injection: a `run` script that expands an attacker-controlled
//! expression (`${{ github.event.issue.title }}`) lets whoever wrote that
//! title run commands in the job. The safe form passes the value through
//! `env` and quotes the variable: `run "echo \"$TITLE\""`.

use super::Checker;
use crate::error::SpecError;
use crate::expr;
use crate::parse::spec::Spanned;

/// Refuses `script` (a `run` script, or the script input of an action that
/// runs one, at `place`) when it expands attacker-controlled text.
pub fn check(cx: &mut Checker<'_>, script: &Spanned<String>, place: &'static str) {
    for finding in scan(&script.value) {
        // The template itself, through quotes, escapes and indentation.
        let span = cx.locate(script, finding.range.clone());
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

/// An untrusted value a script expands.
#[derive(Debug, PartialEq, Eq)]
pub struct Finding {
    /// The whole `${{ … }}` template, as written.
    pub expression: String,
    /// The untrusted path it reads, normalised.
    pub context: String,
    /// The bytes of the template in the script.
    pub range: std::ops::Range<usize>,
}

/// Every `${{ … }}` in `script` that yields attacker-controlled text (see
/// [`crate::expr::taint`] for the rule); templates that do not parse are
/// left to the expression checks.
pub fn scan(script: &str) -> Vec<Finding> {
    let Ok(segments) = expr::template::split(script) else { return Vec::new() };
    let mut findings = Vec::new();
    for segment in segments {
        let expr::template::Segment::Expression { inner, whole } = segment else { continue };
        let Ok(parsed) = expr::parse(&script[inner]) else { continue };
        if let Some(first) = expr::taint::untrusted(&parsed).into_iter().next() {
            findings.push(Finding {
                expression: script[whole.clone()].to_owned(),
                context: first.path,
                range: whole,
            });
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contexts(script: &str) -> Vec<String> {
        scan(script).into_iter().map(|f| f.context).collect()
    }

    #[test]
    fn finds_untrusted_text_and_objects_holding_it() {
        let found = scan("echo ${{ github.event.issue.title }} && echo ${{ github.sha }}");
        assert_eq!(
            found,
            vec![Finding {
                expression: "${{ github.event.issue.title }}".to_owned(),
                context: "github.event.issue.title".to_owned(),
                range: 5..36,
            }]
        );
        for (script, context) in [
            ("${{ github.event.commits[0].message }}", "github.event.commits.*.message"),
            ("${{ github.event['pull_request'].head.ref }}", "github.event.pull_request.head.ref"),
            ("${{ forgejo.head_ref }}", "github.head_ref"),
            ("${{ format('{0}', github.event.comment.body) }}", "github.event.comment.body"),
            ("${{ GITHUB.HEAD_REF }}", "github.head_ref"),
            ("${{ toJSON(github.event) }}", "github.event"),
            ("${{ toJSON(github.event.pull_request) }}", "github.event.pull_request"),
            ("${{ toJson(github.event.issue) }}", "github.event.issue"),
            (
                "${{ github.event.workflow_run.display_title }}",
                "github.event.workflow_run.display_title",
            ),
            ("${{ join(github.event.commits.*.message) }}", "github.event.commits.*.message"),
            ("${{ toJSON(github) }}", "github"),
        ] {
            assert_eq!(contexts(script), [context], "{script}");
        }
    }

    #[test]
    fn trusted_values_pass() {
        for script in [
            "echo ${{ github.sha }} ${{ github.ref }} ${{ matrix.python }}",
            "echo \"$TITLE\"",
            "echo ${{ github.event.issue.number }}",
            "echo ${{ github.event.pull_request.head.sha }}",
            "echo ${{ contains(github.event.issue.title, 'bug') }}",
            "echo ${{ github.event.issue.title == 'x' }}",
            "echo ${{ unclosed",
        ] {
            assert!(scan(script).is_empty(), "{script}");
        }
    }
}
