//! Expressions, cron lines and filter patterns, checked where they are
//! written, before any YAML is.
//!
//! Every string field the forge evaluates is split into its `${{ … }}`
//! templates and each is parsed ([`crate::expr`]); an `if` without
//! `${{ }}` is one expression. Then, on the Actions targets:
//!
//! - syntax, unknown functions and arities, unknown contexts;
//! - what the field may read: each field has its row of GitHub's context
//!   availability table ([`Key`]): `matrix` in the workflow's `env`,
//!   `secrets` in a job's `if`, `hashFiles` outside steps are refused;
//! - what the spec declares: `matrix.X` an axis or `include` variable of
//!   the job, `needs.J` a job it needs (its own `needs` and the producers
//!   of the artifacts it takes), `needs.J.outputs.O` and `jobs.J.outputs.O`
//!   an output `J` declares, `steps.S` a step before this one, `inputs.X`
//!   an input of the workflow's `workflow_dispatch` or `workflow_call`, and,
//!   in a workflow that only runs when called and declares its secrets,
//!   `secrets.X` one of them (or `GITHUB_TOKEN`).
//!
//! On GitLab CI, where cigen translates a template that reads a value into
//! a variable and refuses every other (`target::gitlab::expr`), only the
//! translated `matrix.X` and `inputs.X` are checked against the spec: the
//! rest is the GitLab check's to refuse, once.
//!
//! On every target, `schedule` lines must be cron expressions ([`cron`])
//! and branch, tag and path filters valid patterns ([`glob`]).
//!
//! Names compare without regard to case, as the runner reads them. A
//! mistake is reported once, at the exact token, with a help line.

mod cron;
mod facts;
mod fields;
mod glob;
mod semantics;

use std::collections::HashSet;
use std::fmt;
use std::ops::Range;

use miette::SourceSpan;

use super::Checker;
use crate::error::SpecError;
use crate::expr::{self, Key, Segment};
use crate::model::Scalar;
use crate::parse::spec::{Spanned, WorkflowSpec};
use crate::target::{Lowering, Target};
use facts::{Facts, JobFacts, Matrix};

/// Checks every expression, cron line and filter pattern of `spec`.
pub fn check(cx: &mut Checker<'_>, target: Target, spec: &WorkflowSpec) {
    for trigger in spec.on.iter().flat_map(|on| &on.value) {
        for line in &trigger.cron {
            cron::check(cx, line, target);
        }
        for (filter, patterns) in &trigger.filters {
            for pattern in patterns {
                glob::check(cx, &filter.value, pattern);
            }
        }
    }
    let facts = Facts::of(spec);
    let gitlab = matches!(target.row().lowering, Lowering::Gitlab);
    let mut walk = Walk { cx, facts: &facts, gitlab, seen: HashSet::new() };
    walk.workflow(spec);
}

/// A field's name in messages: `run`, `env.CI`.
#[derive(Clone, Copy)]
enum Field<'a> {
    /// A setting.
    Plain(&'static str),
    /// An entry of a map.
    Keyed(&'static str, &'a str),
}

impl fmt::Display for Field<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Plain(name) => f.write_str(name),
            Self::Keyed(map, key) => write!(f, "{map}.{key}"),
        }
    }
}

/// Where a field is: what it may read.
#[derive(Clone, Copy)]
struct Place<'f, 'a> {
    /// Its row of the availability table; `None` for fields the table has
    /// no row for, whose contexts are not checked.
    key: Option<Key>,
    /// The job it belongs to; `None` at the workflow level.
    job: Option<&'f JobFacts<'a>>,
    /// How many of the job's steps run before it is evaluated.
    before: usize,
    /// The step it belongs to.
    current: Option<usize>,
    /// Its name, for messages.
    field: Field<'f>,
}

impl<'f, 'a> Place<'f, 'a> {
    fn workflow(key: Option<Key>, field: Field<'f>) -> Self {
        Place { key, job: None, before: 0, current: None, field }
    }

    fn job(job: &'f JobFacts<'a>, key: Key, field: Field<'f>) -> Self {
        Place { key: Some(key), job: Some(job), before: 0, current: None, field }
    }

    /// The same place, after every step of the job.
    fn after_steps(self) -> Self {
        Place { before: usize::MAX, ..self }
    }

    fn named(self, field: Field<'f>) -> Self {
        Place { field, ..self }
    }
}

/// A value as written: its text and its token.
#[derive(Clone, Copy)]
struct Value<'v> {
    text: &'v str,
    span: SourceSpan,
}

/// The walk over one workflow's fields.
struct Walk<'c, 's, 'f, 'a> {
    cx: &'c mut Checker<'s>,
    facts: &'f Facts<'a>,
    /// Whether the workflow is a GitLab pipeline.
    gitlab: bool,
    /// Mistakes already reported, by span and message: a field inherited
    /// by several jobs is reported once per distinct mistake.
    seen: HashSet<(usize, usize, String)>,
}

impl<'f, 'a> Walk<'_, '_, 'f, 'a> {
    fn report(&mut self, error: SpecError) {
        let span = miette::Diagnostic::labels(&error)
            .and_then(|mut l| l.next())
            .map_or((0, 0), |l| (l.offset(), l.len()));
        if self.seen.insert((span.0, span.1, error.to_string())) {
            self.cx.error(error);
        }
    }

    /// Where bytes `range` of `value` were written.
    fn at(&self, value: Value<'_>, range: Range<usize>) -> SourceSpan {
        super::locate::locate(value.text, self.cx.written(value.span), value.span, range)
    }

    fn scalar(&mut self, value: &Spanned<Scalar>, place: Place<'f, 'a>) {
        if let Scalar::String(text) = &value.value {
            self.templates(Value { text, span: value.span }, place);
        }
    }

    fn text(&mut self, value: &Spanned<String>, place: Place<'f, 'a>) {
        self.templates(Value { text: &value.value, span: value.span }, place);
    }

    /// The `${{ … }}` templates of a field, each checked.
    fn templates(&mut self, value: Value<'_>, place: Place<'f, 'a>) {
        if !expr::template::has_template(value.text) {
            return;
        }
        if self.gitlab && !self.gitlab_translates(value.text, place) {
            return;
        }
        let Some(segments) = self.split(value, place) else { return };
        for segment in segments {
            if let Segment::Expression { inner, .. } = segment {
                self.expression(value, inner, place);
            }
        }
    }

    /// A boolean written as a string: one `${{ … }}` and nothing else.
    fn boolean(&mut self, value: &Spanned<Scalar>, place: Place<'f, 'a>) {
        let Scalar::String(text) = &value.value else { return };
        let value = Value { text, span: value.span };
        if !self.gitlab
            && let Some(segments) = self.split(value, place)
            && let Some(outside) = outside(&segments)
        {
            let span = self.at(value, outside);
            self.report(SpecError::NotABoolean { field: place.field.to_string(), span });
        }
        self.templates(value, place);
    }

    /// An `if`: one `${{ … }}` and nothing else, or an expression without
    /// `${{ }}`.
    fn condition(&mut self, value: &Spanned<String>, place: Place<'f, 'a>) {
        let value = Value { text: &value.value, span: value.span };
        // On GitLab only a job's `if` has a form (as `rules`); a step's is
        // refused as a construct.
        if self.gitlab
            && (place.key != Some(Key::JobIf) || !crate::target::gitlab::has_condition(value.text))
        {
            return;
        }
        if !expr::template::has_template(value.text) {
            self.expression(value, 0..value.text.len(), place);
            return;
        }
        let Some(segments) = self.split(value, place) else { return };
        if let Some(outside) = outside(&segments) {
            let span = self.at(value, outside);
            self.report(SpecError::AlwaysTrue { field: place.field.to_string(), span });
        }
        for segment in segments {
            if let Segment::Expression { inner, .. } = segment {
                self.expression(value, inner, place);
            }
        }
    }

    /// The templates of a field, or `None` after reporting an unterminated one.
    fn split(&mut self, value: Value<'_>, place: Place<'f, 'a>) -> Option<Vec<Segment>> {
        match expr::split(value.text) {
            Ok(segments) => Some(segments),
            Err(error) => {
                let span = self.at(value, error.span());
                self.report(SpecError::UnterminatedExpression {
                    field: place.field.to_string(),
                    span,
                });
                None
            }
        }
    }

    /// Parses bytes `inner` of a field as an expression and checks it.
    fn expression(&mut self, value: Value<'_>, inner: Range<usize>, place: Place<'f, 'a>) {
        let Some(text) = value.text.get(inner.clone()) else { return };
        match expr::parse(text) {
            Ok(tree) => self.tree(&tree, value, inner.start, place),
            Err(error) if !self.gitlab => {
                let help = error.help().map_or_else(
                    || "an expression is a literal (`'text'`, `1`, `true`), a context path (`github.ref`), a call (`contains(a, b)`), or these joined by `==`, `!=`, `<`, `>`, `&&`, `||` and `!`".to_owned(),
                    str::to_owned,
                );
                let problem = error.to_string();
                let span = self.at(value, error.shifted(inner.start).span());
                self.report(SpecError::ExpressionSyntax {
                    field: place.field.to_string(),
                    problem,
                    span,
                    help,
                });
            }
            Err(_) => {}
        }
    }

    /// Whether GitLab has a form for the templates of this field: only
    /// then are their references checked (the GitLab check refuses the
    /// rest).
    fn gitlab_translates(&self, text: &str, place: Place<'f, 'a>) -> bool {
        let checked = matches!(
            place.key,
            Some(
                Key::Env
                    | Key::JobEnv
                    | Key::JobRunsOn
                    | Key::JobEnvironment
                    | Key::JobEnvironmentUrl
                    | Key::JobContainerImage
                    | Key::JobContainerEnv
                    | Key::JobServices
                    | Key::JobServiceEnv
                    | Key::JobDefaultsRun
                    | Key::StepRun
                    | Key::StepWith
            )
        );
        checked && crate::target::gitlab::translates(text)
    }
}

/// The bytes of the first text outside the templates, when there is
/// more than one template: the text around it, or the second template.
fn outside(segments: &[Segment]) -> Option<Range<usize>> {
    if let [Segment::Expression { .. }] = segments {
        return None;
    }
    let literal = segments.iter().find_map(|s| match s {
        Segment::Literal { range } => Some(range.clone()),
        Segment::Expression { .. } => None,
    });
    literal.or_else(|| match segments.get(1) {
        Some(Segment::Expression { whole, .. }) => Some(whole.clone()),
        _ => None,
    })
}
