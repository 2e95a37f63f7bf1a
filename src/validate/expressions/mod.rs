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
mod glob;
mod semantics;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::ops::Range;

use miette::SourceSpan;

use super::Checker;
use crate::error::SpecError;
use crate::expr::{self, Key, Segment};
use crate::model::{Data, Scalar};
use crate::parse::spec::{
    AxisSpec, CheckoutSpec, ContainerSpec, CredentialsSpec, JobSpec, Properties, RunDefaultsSpec,
    SecretsSpec, StepSpec, WorkflowSpec,
};
use crate::target::{Lowering, Target};

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

/// What the expressions of one workflow may refer to.
struct Facts<'a> {
    /// The workflow id.
    workflow: &'a str,
    /// The inputs its `workflow_dispatch` and `workflow_call` declare;
    /// `None` when it has neither trigger.
    inputs: Option<Vec<&'a str>>,
    /// The secrets it receives, when they are known: it only runs when
    /// called, and its `workflow_call` declares secrets.
    secrets: Option<Vec<&'a str>>,
    /// Its jobs, in order.
    jobs: Vec<JobFacts<'a>>,
    /// The position of each job, by its id in lowercase.
    index: HashMap<String, usize>,
}

/// What an expression in one job may refer to.
struct JobFacts<'a> {
    id: &'a str,
    /// The outputs it declares; `None` for a job that calls a workflow,
    /// whose outputs are the called workflow's.
    outputs: Option<Vec<&'a str>>,
    /// The jobs it needs: its own `needs`, then the producers of the
    /// artifacts it takes.
    needs: Vec<&'a str>,
    /// The variables of its matrix.
    matrix: Matrix<'a>,
    /// The id of each of its steps, in order.
    steps: Vec<Option<&'a str>>,
}

impl<'a> Facts<'a> {
    fn of(spec: &'a WorkflowSpec) -> Self {
        let triggers: Vec<_> = spec.on.iter().flat_map(|on| &on.value).collect();
        let mut inputs = None;
        for trigger in &triggers {
            if matches!(trigger.event.value.as_str(), "workflow_dispatch" | "workflow_call") {
                let names = inputs.get_or_insert_with(Vec::new);
                names.extend(trigger.inputs.iter().map(|i| i.name.value.as_str()));
            }
        }
        let only_called =
            !triggers.is_empty() && triggers.iter().all(|t| t.event.value == "workflow_call");
        let secrets = triggers
            .iter()
            .filter(|t| t.event.value == "workflow_call" && !t.secrets.is_empty())
            .map(|t| t.secrets.iter().map(|s| s.name.value.as_str()).collect::<Vec<_>>())
            .next()
            .filter(|_| only_called);
        let mut producers: HashMap<&str, Vec<&str>> = HashMap::new();
        for artifact in &spec.artifacts {
            for consumer in &artifact.to {
                producers.entry(&consumer.value).or_default().push(&artifact.from.value);
            }
        }
        let jobs: Vec<JobFacts<'a>> = spec
            .jobs
            .iter()
            .map(|job| {
                let from = producers.get(job.id.value.as_str()).map(Vec::as_slice);
                JobFacts::of(job, from.unwrap_or_default())
            })
            .collect();
        let mut index = HashMap::with_capacity(jobs.len());
        for (i, job) in jobs.iter().enumerate() {
            index.entry(job.id.to_ascii_lowercase()).or_insert(i);
        }
        Facts { workflow: &spec.id.value, inputs, secrets, jobs, index }
    }

    /// The job named `name`, in any case.
    fn job(&self, name: &str) -> Option<&JobFacts<'a>> {
        self.index.get(&name.to_ascii_lowercase()).and_then(|&i| self.jobs.get(i))
    }
}

impl<'a> JobFacts<'a> {
    /// The facts of `job`, which takes artifacts from `producers`.
    fn of(job: &'a JobSpec, producers: &[&'a str]) -> Self {
        let id = job.id.value.as_str();
        let mut needs: Vec<&str> = Vec::new();
        for need in job.needs.iter().map(|n| n.value.as_str()).chain(producers.iter().copied()) {
            if !needs.contains(&need) {
                needs.push(need);
            }
        }
        let matrix = match job.strategy.as_ref().and_then(|s| s.value.matrix.as_ref()) {
            None => Matrix::None,
            // Computed when the job runs: its variables are not known here.
            Some(m) if m.value.expression.is_some() => Matrix::Computed,
            Some(m) => {
                let mut vars: Vec<&str> =
                    m.value.axes.iter().map(|(a, _)| a.value.as_str()).collect();
                for entry in &m.value.include {
                    for property in entry {
                        if !vars.contains(&property.key.value.as_str()) {
                            vars.push(&property.key.value);
                        }
                    }
                }
                Matrix::Variables(vars)
            }
        };
        JobFacts {
            id,
            outputs: job
                .call
                .is_none()
                .then(|| job.outputs.iter().map(|o| o.key.value.as_str()).collect()),
            needs,
            matrix,
            steps: job
                .steps
                .iter()
                .map(|s| s.more().id.as_ref().map(|i| i.value.as_str()))
                .collect(),
        }
    }
}

/// The variables of a job's matrix.
enum Matrix<'a> {
    /// The job has no matrix.
    None,
    /// Its axes and `include` keys.
    Variables(Vec<&'a str>),
    /// `matrix "${{ … }}"`: known only when the job runs, so not checked.
    Computed,
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

    fn workflow(&mut self, spec: &'a WorkflowSpec) {
        let facts = self.facts;
        if let Some(run_name) = &spec.run_name {
            self.text(run_name, Place::workflow(Some(Key::RunName), Field::Plain("run-name")));
        }
        self.env(&spec.env, Place::workflow(Some(Key::Env), Field::Plain("env")));
        if let Some(concurrency) = &spec.concurrency {
            let place = Place::workflow(Some(Key::Concurrency), Field::Plain("concurrency.group"));
            self.text(&concurrency.value.group, place);
            if let Some(cancel) = &concurrency.value.cancel_in_progress {
                self.boolean(cancel, place.named(Field::Plain("cancel-in-progress")));
            }
        }
        // No row of the table: the workflow's defaults are not evaluated
        // per job; only their syntax is checked.
        if let Some(defaults) = &spec.defaults {
            self.defaults(&defaults.value, Place::workflow(None, Field::Plain("defaults")));
        }
        for trigger in spec.on.iter().flat_map(|on| &on.value) {
            if trigger.event.value != "workflow_call" {
                continue;
            }
            for input in &trigger.inputs {
                if let Some(default) = &input.default {
                    let key = Some(Key::WorkflowCallInputDefault);
                    self.scalar(default, Place::workflow(key, Field::Plain("default")));
                }
            }
            for output in &trigger.outputs {
                let key = Some(Key::WorkflowCallOutputValue);
                self.text(&output.value, Place::workflow(key, Field::Plain("value")));
            }
        }
        for (job, jobs) in spec.jobs.iter().zip(&facts.jobs) {
            self.job(spec, job, jobs);
        }
        for artifact in &spec.artifacts {
            let Some(producer) = facts.job(&artifact.from.value) else { continue };
            // The upload runs after the producer's steps; each download
            // before the consumer's.
            let place = Place::job(producer, Key::StepWith, Field::Plain("artifact")).after_steps();
            self.text(&artifact.name, place);
            for path in &artifact.paths {
                self.text(path, place.named(Field::Plain("path")));
            }
            for consumer in artifact.to.iter().filter_map(|t| facts.job(&t.value)) {
                let place = Place::job(consumer, Key::StepWith, Field::Plain("artifact"));
                self.text(&artifact.name, place);
                if let Some(into) = &artifact.into {
                    self.text(into, place.named(Field::Plain("into")));
                }
            }
        }
    }

    fn job(&mut self, spec: &'a WorkflowSpec, job: &'a JobSpec, facts: &'f JobFacts<'a>) {
        let at = |key, field| Place::job(facts, key, field);
        if let Some(name) = &job.name {
            self.text(name, at(Key::JobName, Field::Plain("name")));
        }
        if let Some(condition) = &job.condition {
            self.condition(condition, at(Key::JobIf, Field::Plain("if")));
        }
        if let Some(flag) = &job.continue_on_error {
            self.boolean(flag, at(Key::JobContinueOnError, Field::Plain("continue-on-error")));
        }
        if let Some(concurrency) = &job.concurrency {
            let place = at(Key::JobConcurrency, Field::Plain("concurrency.group"));
            self.text(&concurrency.value.group, place);
            if let Some(cancel) = &concurrency.value.cancel_in_progress {
                self.boolean(cancel, place.named(Field::Plain("cancel-in-progress")));
            }
        }
        if let Some(matrix) = job.strategy.as_ref().and_then(|s| s.value.matrix.as_ref()) {
            let place = at(Key::JobStrategy, Field::Plain("matrix"));
            if let Some(expression) = &matrix.value.expression {
                self.text(expression, place);
            }
            for (_, axis) in &matrix.value.axes {
                match axis {
                    AxisSpec::Values(values) => {
                        for value in values {
                            self.data(&value.value, value.span, place);
                        }
                    }
                    AxisSpec::Expression(expression) => self.text(expression, place),
                }
            }
            for entry in matrix.value.include.iter().chain(&matrix.value.exclude) {
                for property in entry {
                    self.data(&property.value.value, property.value.span, place);
                }
            }
        }
        if let Some(call) = &job.call {
            for property in &call.value.with {
                let place = at(Key::JobWith, Field::Keyed("with", &property.key.value));
                self.scalar(&property.value, place);
            }
            if let Some(SecretsSpec::Named(secrets)) = call.value.secrets.as_ref().map(|s| &s.value)
            {
                for property in secrets {
                    let place = at(Key::JobSecrets, Field::Keyed("secrets", &property.key.value));
                    self.text(&property.value, place);
                }
            }
            return;
        }
        // What a job that runs steps has; the workflow's `runs-on` and
        // `container` are written into every job that sets none.
        let runs_on = job.runs_on.as_ref().or(spec.runs_on.as_ref());
        for label in runs_on.iter().flat_map(|labels| &labels.value) {
            self.text(label, at(Key::JobRunsOn, Field::Plain("runs-on")));
        }
        if let Some(container) = job.container.as_deref().or(spec.container.as_ref()) {
            self.container(&container.value, facts);
        }
        if let Some(environment) = &job.environment {
            self.text(
                &environment.value.name,
                at(Key::JobEnvironment, Field::Plain("environment")),
            );
            if let Some(url) = &environment.value.url {
                let field = Field::Plain("environment.url");
                let place = at(Key::JobEnvironmentUrl, field).after_steps();
                self.text(url, place);
            }
        }
        self.env(&job.env, at(Key::JobEnv, Field::Plain("env")));
        for service in job.services.iter().flat_map(|s| &s.value) {
            let place = at(Key::JobServices, Field::Keyed("services", &service.name.value));
            self.text(&service.image, place);
            if let Some(options) = &service.options {
                self.text(options, place);
            }
            let lists = service.ports.iter().chain(&service.volumes).chain(&service.cmd);
            for value in lists.flat_map(|v| &v.value) {
                self.text(value, place);
            }
            if let Some(credentials) = &service.credentials {
                let key = Key::JobServiceCredentials;
                self.credentials(&credentials.value, at(key, Field::Plain("credentials")));
            }
            self.env(&service.env, at(Key::JobServiceEnv, Field::Plain("env")));
        }
        for output in &job.outputs {
            let place = at(Key::JobOutputs, Field::Keyed("outputs", &output.key.value));
            self.text(&output.value, place.after_steps());
        }
        if let Some(defaults) = &job.defaults {
            self.defaults(&defaults.value, at(Key::JobDefaultsRun, Field::Plain("defaults")));
        }
        if let Some(CheckoutSpec::Enabled { name, with, after, .. }) =
            job.checkout.as_deref().map(|c| &c.value)
        {
            // The checkout step runs after `after` of the job's steps.
            let step = |key, field| Place { before: *after, ..at(key, field) };
            if let Some(name) = name {
                self.text(name, step(Key::StepName, Field::Plain("checkout.name")));
            }
            for property in with {
                let place = step(Key::StepWith, Field::Keyed("checkout", &property.key.value));
                self.scalar(&property.value, place);
            }
        }
        for (index, step) in job.steps.iter().enumerate() {
            let place = Place {
                before: index,
                current: Some(index),
                ..at(Key::StepRun, Field::Plain("run"))
            };
            self.step(step, place);
        }
    }

    fn step(&mut self, step: &'a StepSpec, place: Place<'f, 'a>) {
        let at = |key, field| Place { key: Some(key), field, ..place };
        if let Some(name) = &step.name {
            self.text(name, at(Key::StepName, Field::Plain("name")));
        }
        if let Some(condition) = &step.condition {
            self.condition(condition, at(Key::StepIf, Field::Plain("if")));
        }
        if step.kind.value == crate::parse::spec::StepKind::Run {
            self.text(&step.main, at(Key::StepRun, Field::Plain("run")));
        }
        for property in &step.with {
            self.scalar(
                &property.value,
                at(Key::StepWith, Field::Keyed("with", &property.key.value)),
            );
        }
        self.env(&step.env, at(Key::StepEnv, Field::Plain("env")));
        let more = step.more();
        if let Some(shell) = &more.shell {
            self.text(shell, Place { key: None, field: Field::Plain("shell"), ..place });
        }
        if let Some(directory) = &more.working_directory {
            self.text(directory, at(Key::StepWorkingDirectory, Field::Plain("working-directory")));
        }
        if let Some(flag) = &more.continue_on_error {
            self.boolean(flag, at(Key::StepContinueOnError, Field::Plain("continue-on-error")));
        }
    }

    fn container(&mut self, container: &'a ContainerSpec, facts: &'f JobFacts<'a>) {
        let at = |key, field| Place::job(facts, key, field);
        self.text(&container.image, at(Key::JobContainerImage, Field::Plain("container")));
        if let Some(options) = &container.options {
            self.text(options, at(Key::JobContainer, Field::Plain("container.options")));
        }
        for volume in &container.volumes {
            self.text(volume, at(Key::JobContainer, Field::Plain("container.volumes")));
        }
        self.env(&container.env, at(Key::JobContainerEnv, Field::Plain("container.env")));
        if let Some(credentials) = &container.credentials {
            let place = at(Key::JobContainerCredentials, Field::Plain("credentials"));
            self.credentials(&credentials.value, place);
        }
    }

    fn credentials(&mut self, credentials: &'a CredentialsSpec, place: Place<'f, 'a>) {
        self.text(&credentials.username, place.named(Field::Plain("credentials.username")));
        self.text(&credentials.password, place.named(Field::Plain("credentials.password")));
    }

    fn defaults(&mut self, defaults: &'a RunDefaultsSpec, place: Place<'f, 'a>) {
        if let Some(shell) = &defaults.shell {
            self.text(shell, place.named(Field::Plain("shell")));
        }
        if let Some(directory) = &defaults.working_directory {
            self.text(directory, place.named(Field::Plain("working-directory")));
        }
    }

    /// The values of an `env` map; `place` names the map.
    fn env(&mut self, env: &'a Properties<Scalar>, place: Place<'f, 'a>) {
        let map = match place.field {
            Field::Plain(map) => map,
            Field::Keyed(..) => "env",
        };
        for property in env {
            self.scalar(&property.value, place.named(Field::Keyed(map, &property.key.value)));
        }
    }

    /// A matrix value: a scalar, or the strings of a list or map, all at
    /// the value's token.
    fn data(&mut self, value: &Data, span: SourceSpan, place: Place<'f, 'a>) {
        match value {
            Data::Scalar(Scalar::String(text)) => self.templates(Value { text, span }, place),
            Data::Scalar(_) => {}
            Data::List(items) => items.iter().for_each(|item| self.data(item, span, place)),
            Data::Map(map) => map.iter().for_each(|(_, item)| self.data(item, span, place)),
        }
    }

    fn scalar(&mut self, value: &crate::parse::spec::Spanned<Scalar>, place: Place<'f, 'a>) {
        if let Scalar::String(text) = &value.value {
            self.templates(Value { text, span: value.span }, place);
        }
    }

    fn text(&mut self, value: &crate::parse::spec::Spanned<String>, place: Place<'f, 'a>) {
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
    fn boolean(&mut self, value: &crate::parse::spec::Spanned<Scalar>, place: Place<'f, 'a>) {
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
    fn condition(&mut self, value: &crate::parse::spec::Spanned<String>, place: Place<'f, 'a>) {
        let value = Value { text: &value.value, span: value.span };
        if self.gitlab && !crate::target::gitlab::has_condition(value.text) {
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
