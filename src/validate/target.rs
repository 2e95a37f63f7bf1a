//! What a workflow's target can express: every construct the target's row
//! lists as unsupported is refused where it is written, then the target's
//! own checks look at the values.

use miette::SourceSpan;

use super::Checker;
use crate::error::SpecError;
use crate::model::Permissions;
use crate::parse::spec::{
    CheckoutSpec, ContainerSpec, CredentialsSpec, Properties, RawEntry, RunDefaultsSpec,
    ServiceSpec, Spanned, StepKind, StepSpec, WorkflowSpec,
};
use crate::target::Target;
use crate::target::capability::Construct;

/// Refuses each construct of `spec` that `target` cannot express.
pub fn check(cx: &mut Checker<'_>, target: Target, spec: &WorkflowSpec) {
    (target.row().check)(cx, spec);
    raw_keys(cx, target, spec);
    if target.row().unsupported.is_empty() {
        return;
    }
    let mut walk = Walk { cx, target };
    // `permissions "default"` writes nothing: every target can say it.
    let permissions = spec.permissions.as_ref().filter(|p| p.value != Permissions::Default);
    walk.span_of(Construct::Permissions, permissions.map(|p| p.span));
    walk.span_of(Construct::RunName, spec.run_name.as_ref().map(|r| r.span));
    walk.span_of(Construct::EmailNotifications, spec.email_notifications.as_ref().map(|e| e.span));
    walk.span_of(Construct::RunnerGroup, spec.runner_group.as_ref().map(|g| g.span));
    walk.defaults(spec.defaults.as_ref().map(|d| &d.value));
    walk.container(spec.container.as_ref().map(|c| &c.value));
    for trigger in spec.on.iter().flat_map(|on| &on.value) {
        if trigger.event.value == "workflow_call" {
            walk.at(Construct::CalledWorkflow, trigger.event.span);
        }
        for (filter, _) in &trigger.filters {
            if filter.value == "paths-ignore" {
                walk.at(Construct::PathsIgnore, filter.span);
            }
        }
    }
    for job in &spec.jobs {
        walk.span_of(Construct::Permissions, job.permissions.as_ref().map(|p| p.span));
        walk.span_of(Construct::JobName, job.name.as_ref().map(|n| n.span));
        walk.span_of(Construct::RunnerGroup, job.runner_group.as_ref().map(|g| g.span));
        walk.first(Construct::JobOutputs, &job.outputs);
        walk.span_of(Construct::WorkflowCall, job.call.as_ref().map(|c| c.span));
        walk.container(job.container.as_ref().map(|c| &c.value));
        for service in job.services.iter().flat_map(|s| &s.value) {
            walk.service(service);
        }
        let max_parallel = job.strategy.as_ref().and_then(|s| s.value.max_parallel.as_ref());
        walk.span_of(Construct::MaxParallel, max_parallel.map(|m| m.span));
        walk.defaults(job.defaults.as_ref().map(|d| &d.value));
        if let Some(checkout) = &job.checkout
            && let CheckoutSpec::Enabled { name, after, .. } = &checkout.value
        {
            walk.span_of(Construct::StepName, name.as_ref().map(|n| n.span));
            if *after > 0 {
                walk.at(Construct::LateCheckout, checkout.span);
            }
        }
        for step in &job.steps {
            walk.step(step);
        }
        let raw = job.steps.iter().find_map(|s| s.more().raw.first());
        walk.span_of(Construct::RawStep, raw.map(|r| r.key.span));
    }
    for artifact in &spec.artifacts {
        walk.span_of(Construct::ArtifactInto, artifact.into.as_ref().map(|i| i.span));
        let level = artifact.compression_level.as_ref().map(|l| l.span);
        walk.span_of(Construct::ArtifactCompression, level);
    }
}

/// Refuses every `raw` key that cigen writes itself at its place, and, at
/// the top of a file whose jobs are top-level keys, a job's id.
fn raw_keys(cx: &mut Checker<'_>, target: Target, spec: &WorkflowSpec) {
    let keys = target.row().raw_keys;
    let title = target.row().title;
    let mut refuse = |entry: &RawEntry, level: &'static str, help: String| {
        cx.error(SpecError::RawKey {
            key: entry.key.value.clone(),
            target: title,
            level,
            span: entry.key.span,
            help,
        });
    };
    let language = |key: &str| {
        format!("the spec sets `{key}` itself: use the language's form (see docs/language.md)")
    };
    for entry in &spec.raw {
        if keys.workflow.contains(&entry.key.value.as_str()) {
            refuse(entry, "workflow", language(&entry.key.value));
        } else if matches!(target.row().files, crate::target::Files::Single(_))
            && spec.jobs.iter().any(|j| j.id.value == entry.key.value)
        {
            refuse(
                entry,
                "workflow",
                "it is the id of a job of this workflow; rename the job or the key".to_owned(),
            );
        }
    }
    for job in &spec.jobs {
        for entry in &job.raw {
            if keys.job.contains(&entry.key.value.as_str()) {
                refuse(entry, "job", language(&entry.key.value));
            }
        }
        let Some(step_keys) = keys.step else { continue };
        for entry in job.steps.iter().flat_map(|s| &s.more().raw) {
            if step_keys.contains(&entry.key.value.as_str()) {
                refuse(entry, "step", language(&entry.key.value));
            }
        }
    }
}

struct Walk<'c, 's> {
    cx: &'c mut Checker<'s>,
    target: Target,
}

impl Walk<'_, '_> {
    fn at(&mut self, construct: Construct, span: SourceSpan) {
        if let Some(help) = self.target.refuses(construct) {
            self.cx.error(SpecError::Unsupported {
                target: self.target.row().title,
                construct: construct.describe().to_owned(),
                span,
                help: help.to_owned(),
            });
        }
    }

    fn span_of(&mut self, construct: Construct, span: Option<SourceSpan>) {
        if let Some(span) = span {
            self.at(construct, span);
        }
    }

    fn first<V>(&mut self, construct: Construct, properties: &Properties<V>) {
        self.span_of(construct, properties.first().map(|p| p.key.span));
    }

    fn defaults(&mut self, defaults: Option<&RunDefaultsSpec>) {
        self.span_of(Construct::Shell, defaults.and_then(|d| d.shell.as_ref()).map(|s| s.span));
    }

    fn container(&mut self, container: Option<&ContainerSpec>) {
        let Some(container) = container else { return };
        self.span_of(Construct::ContainerOptions, container.options.as_ref().map(|o| o.span));
        self.span_of(Construct::ContainerVolumes, container.volumes.first().map(|v| v.span));
        self.credentials(container.credentials.as_ref());
    }

    fn credentials(&mut self, credentials: Option<&Spanned<CredentialsSpec>>) {
        self.span_of(Construct::Credentials, credentials.map(|c| c.span));
    }

    fn service(&mut self, service: &ServiceSpec) {
        self.span_of(Construct::ServicePorts, service.ports.as_ref().map(|p| p.span));
        self.span_of(Construct::ServiceVolumes, service.volumes.as_ref().map(|v| v.span));
        self.span_of(Construct::ServiceOptions, service.options.as_ref().map(|o| o.span));
        self.span_of(Construct::ServiceCmd, service.cmd.as_ref().map(|c| c.span));
        self.credentials(service.credentials.as_ref());
    }

    fn step(&mut self, step: &StepSpec) {
        if step.kind.value == StepKind::Uses {
            self.at(Construct::Action, step.kind.span);
        }
        let more = step.more();
        self.span_of(Construct::StepName, step.name.as_ref().map(|n| n.span));
        self.span_of(Construct::StepId, more.id.as_ref().map(|i| i.span));
        self.span_of(Construct::StepIf, step.condition.as_ref().map(|c| c.span));
        self.span_of(Construct::Shell, more.shell.as_ref().map(|s| s.span));
        let directory = more.working_directory.as_ref().map(|w| w.span);
        self.span_of(Construct::StepWorkingDirectory, directory);
        let continue_on_error = more.continue_on_error.as_ref().map(|c| c.span);
        self.span_of(Construct::StepContinueOnError, continue_on_error);
        self.span_of(Construct::StepTimeout, more.timeout_minutes.as_ref().map(|t| t.span));
        self.first(Construct::StepEnv, &step.env);
    }
}
