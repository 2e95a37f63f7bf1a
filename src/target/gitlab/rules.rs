//! When a GitLab pipeline and its jobs run: triggers become `workflow:
//! rules`, a job's `if` becomes its `rules`.
//!
//! Rules are tried in order and the first that matches decides, so a
//! filter's patterns are written last to first: on Actions the last
//! pattern that matches a ref decides, a `!pattern` excluding it. A filter
//! pattern becomes an RE2 regular expression: `*` is `[^/]*`, `**` is
//! `.*`; `?`, `+` and `[…]` mean what they mean in a regular expression,
//! as they do in Actions' filters; every other character stands for itself.

use serde::Serialize;

use super::expr::{GITHUB, Refusal};
use crate::expr::{self, BinaryOp, Expr, ExprKind};
use crate::model::Trigger;

/// One entry of `rules:`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// A comment above the rule (the cron lines of a schedule).
    pub comment: Option<String>,
    /// `if:`; a job's rule may have only a `when`.
    pub condition: Option<String>,
    /// `changes:`, from a `paths` filter.
    pub changes: Vec<String>,
    /// `when:`, when not the default.
    pub when: Option<&'static str>,
}

/// `$CI_PIPELINE_SOURCE` for each event GitLab has.
pub const SOURCES: &[(&str, &str)] = &[
    ("push", "push"),
    ("pull_request", "merge_request_event"),
    ("schedule", "schedule"),
    ("workflow_dispatch", "web"),
];

/// The `pull_request` types a merge request pipeline runs for.
pub const MERGE_REQUEST_TYPES: &[&str] = &["opened", "synchronize", "reopened"];

/// The `workflow: rules` of a workflow's triggers.
pub fn workflow(triggers: &[Trigger]) -> Vec<Rule> {
    let mut rules = Vec::new();
    for trigger in triggers {
        let Some((_, source)) = SOURCES.iter().find(|(event, _)| *event == trigger.event) else {
            continue;
        };
        let base = format!("$CI_PIPELINE_SOURCE == \"{source}\"");
        let changes = trigger.filters.get("paths").cloned().unwrap_or_default();
        let filter = |key: &str| trigger.filters.get(key).map(Vec::as_slice);
        let mut added = Vec::new();
        match trigger.event.as_str() {
            "push" => {
                let branches = (filter("branches"), filter("branches-ignore"));
                let tags = (filter("tags"), filter("tags-ignore"));
                let any =
                    |(a, b): (Option<&[String]>, Option<&[String]>)| a.is_some() || b.is_some();
                if !any(branches) && !any(tags) {
                    added.push(Rule { condition: Some(base.clone()), ..Rule::default() });
                }
                if any(branches) {
                    refs(&mut added, &base, "$CI_COMMIT_BRANCH", branches);
                }
                if any(tags) {
                    refs(&mut added, &base, "$CI_COMMIT_TAG", tags);
                }
            }
            "pull_request" => {
                let branches = (filter("branches"), filter("branches-ignore"));
                if branches.0.is_some() || branches.1.is_some() {
                    refs(&mut added, &base, "$CI_MERGE_REQUEST_TARGET_BRANCH_NAME", branches);
                } else {
                    added.push(Rule { condition: Some(base.clone()), ..Rule::default() });
                }
            }
            "schedule" => {
                let cron = trigger.cron.join("`, `").replace(char::is_control, " ");
                added.push(Rule {
                    comment: Some(format!(
                        "schedule `{cron}`: create it in the project's Build › Pipeline schedules"
                    )),
                    condition: Some(base.clone()),
                    ..Rule::default()
                });
            }
            _ => added.push(Rule { condition: Some(base.clone()), ..Rule::default() }),
        }
        for rule in &mut added {
            if rule.when.is_none() {
                rule.changes.clone_from(&changes);
            }
        }
        rules.extend(added);
    }
    rules
}

/// Rules for one ref filter: `(patterns, ignored patterns)`, one of them set.
fn refs(
    rules: &mut Vec<Rule>,
    base: &str,
    variable: &str,
    (patterns, ignored): (Option<&[String]>, Option<&[String]>),
) {
    let rule = |pattern: &str, when| {
        // A pattern without wildcards names one ref.
        let literal = !pattern.contains(['*', '?', '+', '[', '\\', '"']);
        let test = if literal {
            format!("{variable} == \"{pattern}\"")
        } else {
            format!("{variable} =~ /^{}$/", regex(pattern))
        };
        Rule { condition: Some(format!("{base} && {test}")), when, ..Rule::default() }
    };
    match (patterns, ignored) {
        (Some(patterns), _) => {
            for pattern in patterns.iter().rev() {
                rules.push(match pattern.strip_prefix('!') {
                    Some(excluded) => rule(excluded, Some("never")),
                    None => rule(pattern, None),
                });
            }
        }
        (None, Some(ignored)) => {
            rules.extend(ignored.iter().map(|pattern| rule(pattern, Some("never"))));
            rules
                .push(Rule { condition: Some(format!("{base} && {variable}")), ..Rule::default() });
        }
        (None, None) => {}
    }
}

/// A filter pattern as an RE2 expression between `/^` and `$/`.
pub fn regex(pattern: &str) -> String {
    let mut out = String::new();
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
                out.push_str(".*");
            }
            '*' => out.push_str("[^\\/]*"),
            '?' | '+' | '[' | ']' => out.push(c),
            '\\' => match chars.next() {
                Some(escaped) => push_literal(&mut out, escaped),
                None => push_literal(&mut out, '\\'),
            },
            c => push_literal(&mut out, c),
        }
    }
    out
}

fn push_literal(out: &mut String, c: char) {
    if ".()|^${}\\/*?+[]".contains(c) {
        out.push('\\');
    }
    out.push(c);
}

/// A job's `if` on GitLab: the pipeline-creation condition (`rules: if`)
/// and the `when` a status function asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JobCondition {
    /// The condition GitLab evaluates when it creates the pipeline.
    pub condition: Option<String>,
    /// `always` or `on_failure`, from `always()` or `failure()`.
    pub when: Option<&'static str>,
}

/// Translates a job's `if` (an expression, with or without `${{ }}`).
pub fn job_condition(text: &str) -> Result<JobCondition, Refusal> {
    let (inner, offset) = match expr::split(text) {
        Ok(segments) if expr::is_wrapped(text) => match segments.first() {
            Some(expr::Segment::Expression { inner, .. }) => (&text[inner.clone()], inner.start),
            _ => (text, 0),
        },
        _ => (text, 0),
    };
    let refuse = |range: std::ops::Range<usize>, what: String| {
        Refusal {
        range: range.start + offset..range.end + offset,
        what,
        help: "GitLab CI decides when it creates the pipeline which jobs run; an `if` has a GitLab form when it compares `github.event_name`, `github.ref`, `github.ref_name`, `github.ref_type`, `inputs.X` or `vars.X` with a string, uses `startsWith(github.ref, '…')`, combines those with `&&` and `||`, or is `always()`, `failure()` or `success()` (see docs/gitlab.md)".to_owned(),
    }
    };
    let parsed = expr::parse(inner).map_err(|e| refuse(e.span(), "this expression".to_owned()))?;
    let mut result = JobCondition::default();
    let mut parts = Vec::new();
    for conjunct in conjuncts(&parsed) {
        if let ExprKind::Call { name, args } = &conjunct.kind
            && args.is_empty()
        {
            let when = match name.text.to_ascii_lowercase().as_str() {
                "success" => Some(None),
                "always" => Some(Some("always")),
                "failure" => Some(Some("on_failure")),
                _ => None,
            };
            if let Some(when) = when {
                if when.is_some() {
                    result.when = when;
                }
                continue;
            }
        }
        let translated = condition(conjunct).ok_or_else(|| {
            refuse(conjunct.span.clone(), format!("`{}`", &inner[conjunct.span.clone()]))
        })?;
        parts.push(translated);
    }
    if !parts.is_empty() {
        let wrap = parts.len() > 1;
        let parts: Vec<String> = parts
            .into_iter()
            .map(|p| if wrap && p.contains("||") { format!("({p})") } else { p })
            .collect();
        result.condition = Some(parts.join(" && "));
    }
    Ok(result)
}

/// The `artifacts: when` of an artifact's `if`: a status function alone,
/// `success()` (`on_success`), `failure()` (`on_failure`) or `always()`.
pub fn artifact_when(text: &str) -> Result<&'static str, Refusal> {
    let (inner, offset) = match expr::split(text) {
        Ok(segments) if expr::is_wrapped(text) => match segments.first() {
            Some(expr::Segment::Expression { inner, .. }) => (&text[inner.clone()], inner.start),
            _ => (text, 0),
        },
        _ => (text, 0),
    };
    if let Ok(parsed) = expr::parse(inner)
        && let ExprKind::Call { name, args } = &parsed.kind
        && args.is_empty()
    {
        match name.text.to_ascii_lowercase().as_str() {
            "success" => return Ok("on_success"),
            "failure" => return Ok("on_failure"),
            "always" => return Ok("always"),
            _ => {}
        }
    }
    Err(Refusal {
        range: offset..offset + inner.len(),
        what: format!("the artifact `if` `{}`", inner.trim()),
        help: "GitLab uploads a job's artifacts when the job succeeds, when it fails, or always (`artifacts: when`); an artifact's `if` has a GitLab form when it is `success()`, `failure()` or `always()`".to_owned(),
    })
}

/// The operands of a chain of `&&`.
fn conjuncts(expression: &Expr) -> Vec<&Expr> {
    match &expression.kind {
        ExprKind::Binary { op: BinaryOp::And, left, right, .. } => {
            let mut all = conjuncts(left);
            all.extend(conjuncts(right));
            all
        }
        _ => vec![expression],
    }
}

/// A creation-time condition in GitLab's rule syntax.
fn condition(expression: &Expr) -> Option<String> {
    match &expression.kind {
        ExprKind::Binary { op: op @ (BinaryOp::And | BinaryOp::Or), left, right, .. } => {
            let side = |e: &Expr| {
                let text = condition(e)?;
                let nested = matches!(&e.kind, ExprKind::Binary { op: inner, .. }
                    if matches!(inner, BinaryOp::And | BinaryOp::Or) && inner != op);
                Some(if nested { format!("({text})") } else { text })
            };
            Some(format!("{} {} {}", side(left)?, op.symbol(), side(right)?))
        }
        ExprKind::Binary { op: op @ (BinaryOp::Eq | BinaryOp::Ne), left, right, .. } => {
            let (path, value) = match (&left.kind, &right.kind) {
                (_, ExprKind::String(value)) => (left.path()?, value),
                (ExprKind::String(value), _) => (right.path()?, value),
                _ => return None,
            };
            comparison(&path, value, *op == BinaryOp::Eq)
        }
        ExprKind::Call { name, args }
            if name.text.eq_ignore_ascii_case("startsWith") && args.len() == 2 =>
        {
            let path = args.first()?.path()?;
            let ExprKind::String(prefix) = &args.get(1)?.kind else { return None };
            if !is(&path, "github", "ref") {
                return None;
            }
            let (variable, rest) = if let Some(rest) = prefix.strip_prefix("refs/tags/") {
                ("$CI_COMMIT_TAG", rest)
            } else if let Some(rest) = prefix.strip_prefix("refs/heads/") {
                ("$CI_COMMIT_BRANCH", rest)
            } else {
                return None;
            };
            Some(if rest.is_empty() {
                variable.to_owned()
            } else {
                format!("{variable} =~ /^{}/", literal_regex(rest))
            })
        }
        _ => None,
    }
}

/// `PATH == 'value'` (or `!=`) in GitLab's terms.
fn comparison(path: &[&str], value: &str, equal: bool) -> Option<String> {
    let op = if equal { "==" } else { "!=" };
    if value.contains(['"', '\\']) {
        return None;
    }
    if is(path, "github", "event_name") {
        let (_, source) = SOURCES.iter().find(|(event, _)| *event == value)?;
        return Some(format!("$CI_PIPELINE_SOURCE {op} \"{source}\""));
    }
    if is(path, "github", "ref") {
        if let Some(branch) = value.strip_prefix("refs/heads/") {
            return Some(format!("$CI_COMMIT_BRANCH {op} \"{branch}\""));
        }
        let tag = value.strip_prefix("refs/tags/")?;
        return Some(format!("$CI_COMMIT_TAG {op} \"{tag}\""));
    }
    if is(path, "github", "ref_type") {
        let variable = match value {
            "tag" => "$CI_COMMIT_TAG",
            "branch" => "$CI_COMMIT_BRANCH",
            _ => return None,
        };
        return Some(if equal { variable.to_owned() } else { format!("{variable} == null") });
    }
    let [context, name] = path else { return None };
    let variable = match context.to_ascii_lowercase().as_str() {
        "github" | "forgejo" | "gitea" => {
            let name = name.to_ascii_lowercase();
            GITHUB.iter().find(|(key, _)| *key == name)?.1.to_owned()
        }
        "inputs" | "vars" => (*name).to_owned(),
        _ => return None,
    };
    Some(format!("${variable} {op} \"{value}\""))
}

fn is(path: &[&str], context: &str, name: &str) -> bool {
    matches!(path, [c, n] if (c.eq_ignore_ascii_case(context)
        || (context == "github" && (c.eq_ignore_ascii_case("forgejo") || c.eq_ignore_ascii_case("gitea"))))
        && n.eq_ignore_ascii_case(name))
}

/// `text` matched literally in an RE2 expression between slashes.
fn literal_regex(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        push_literal(&mut out, c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Map;

    fn trigger(event: &str, filters: &[(&str, &[&str])]) -> Trigger {
        let mut map = Map::default();
        for (key, values) in filters {
            map.insert((*key).to_owned(), values.iter().map(|v| (*v).to_owned()).collect());
        }
        Trigger { event: event.to_owned(), filters: map, ..Trigger::default() }
    }

    fn conditions(rules: &[Rule]) -> Vec<String> {
        rules
            .iter()
            .map(|r| {
                let condition = r.condition.clone().unwrap_or_default();
                match r.when {
                    Some(when) => format!("{condition} [{when}]"),
                    None => condition,
                }
            })
            .collect()
    }

    #[test]
    fn patterns_become_anchored_regular_expressions() {
        assert_eq!(regex("main"), "main");
        assert_eq!(regex("release/*"), "release\\/[^\\/]*");
        assert_eq!(regex("v**"), "v.*");
        assert_eq!(regex("v[0-9]+.x"), "v[0-9]+\\.x");
        assert_eq!(regex("a\\*b"), "a\\*b");
    }

    #[test]
    fn the_last_matching_pattern_decides() {
        let push = trigger("push", &[("branches", &["releases/**", "!releases/**-alpha"])]);
        assert_eq!(
            conditions(&workflow(&[push])),
            [
                "$CI_PIPELINE_SOURCE == \"push\" && $CI_COMMIT_BRANCH =~ /^releases\\/.*-alpha$/ [never]",
                "$CI_PIPELINE_SOURCE == \"push\" && $CI_COMMIT_BRANCH =~ /^releases\\/.*$/",
            ]
        );
    }

    #[test]
    fn branches_and_tags_filter_their_own_refs() {
        let push = trigger("push", &[("tags", &["v*"])]);
        let pr = trigger("pull_request", &[("branches-ignore", &["wip"])]);
        assert_eq!(
            conditions(&workflow(&[push, pr])),
            [
                "$CI_PIPELINE_SOURCE == \"push\" && $CI_COMMIT_TAG =~ /^v[^\\/]*$/",
                "$CI_PIPELINE_SOURCE == \"merge_request_event\" && $CI_MERGE_REQUEST_TARGET_BRANCH_NAME == \"wip\" [never]",
                "$CI_PIPELINE_SOURCE == \"merge_request_event\" && $CI_MERGE_REQUEST_TARGET_BRANCH_NAME",
            ]
        );
    }

    #[test]
    fn job_conditions_translate_a_known_set() {
        let condition = |text: &str| job_condition(text).unwrap();
        assert_eq!(
            condition("github.ref == 'refs/heads/main'").condition.as_deref(),
            Some("$CI_COMMIT_BRANCH == \"main\"")
        );
        assert_eq!(
            condition(
                "${{ github.event_name == 'push' && startsWith(github.ref, 'refs/tags/v') }}"
            )
            .condition
            .as_deref(),
            Some("$CI_PIPELINE_SOURCE == \"push\" && $CI_COMMIT_TAG =~ /^v/")
        );
        assert_eq!(condition("always()"), JobCondition { condition: None, when: Some("always") });
        assert_eq!(
            condition("failure() && github.ref_type == 'tag'"),
            JobCondition { condition: Some("$CI_COMMIT_TAG".to_owned()), when: Some("on_failure") }
        );
        for refused in [
            "contains(github.ref, 'x')",
            "needs.a.outputs.b == 'x'",
            "github.event.pull_request.draft == false",
            "cancelled()",
            "!startsWith(github.ref, 'refs/tags/')",
        ] {
            assert!(job_condition(refused).is_err(), "{refused}");
        }
    }
}
