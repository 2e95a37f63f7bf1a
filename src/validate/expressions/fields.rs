//! Which fields of a workflow hold expressions, and where each stands:
//! its row of the availability table, its job, and the steps before it.

use miette::SourceSpan;

use super::{Field, JobFacts, Place, Value, Walk};
use crate::expr::Key;
use crate::model::{Data, Minutes, Scalar};
use crate::parse::spec::{
    AxisSpec, CheckoutSpec, ContainerSpec, CredentialsSpec, JobSpec, Properties, RunDefaultsSpec,
    SecretsSpec, Spanned, StepSpec, WorkflowSpec,
};

impl<'f, 'a> Walk<'_, '_, 'f, 'a> {
    /// Checks every field of `spec` that holds expressions.
    pub(super) fn workflow(&mut self, spec: &'a WorkflowSpec) {
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
            if let Some(condition) = &artifact.condition {
                let key = Some(Key::StepIf);
                self.condition(condition, Place { key, field: Field::Plain("if"), ..place });
            }
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
        // What a job that runs steps has; the workflow's `runs-on` (labels
        // and group together), `timeout-minutes` and `container` are
        // written into every job that sets none.
        let (labels, group) = if job.runs_on.is_some() || job.runner_group.is_some() {
            (job.runs_on.as_ref(), job.runner_group.as_ref())
        } else {
            (spec.runs_on.as_ref(), spec.runner_group.as_ref())
        };
        for label in labels.iter().flat_map(|labels| &labels.value) {
            self.text(label, at(Key::JobRunsOn, Field::Plain("runs-on")));
        }
        if let Some(group) = group {
            self.text(group, at(Key::JobRunsOn, Field::Plain("runs-on.group")));
        }
        let timeout = job.timeout_minutes.as_ref().or(spec.timeout_minutes.as_ref());
        self.minutes(timeout, at(Key::JobTimeoutMinutes, Field::Plain("timeout-minutes")));
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
        let timeout = at(Key::StepTimeoutMinutes, Field::Plain("timeout-minutes"));
        self.minutes(more.timeout_minutes.as_ref(), timeout);
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

    /// `timeout-minutes` given as an expression.
    fn minutes(&mut self, minutes: Option<&Spanned<Minutes>>, place: Place<'f, 'a>) {
        if let Some(Spanned { value: Minutes::Expression(text), span }) = minutes {
            self.templates(Value { text, span: *span }, place);
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
}
