//! The settings of workflows, jobs and steps: the spanned spec's values
//! become the model's, with every name checked against its rule, every
//! script checked for injection and every action reference for a version.

use super::names::{key, map};
use super::{Checker, injection, uses};
use crate::error::SpecError;
use crate::model::{
    Action, Axis, AxisName, Call, Checkout, CheckoutStep, Concurrency, Container, ContainerEnvName,
    Credentials, Data, EnvName, Environment, Input, InputName, JobDefaults, JobSettings, Map,
    Matrix, Permissions, RunDefaults, RunsOn, Scalar, SecretName, Secrets, Service, ServiceName,
    Step, StepId, Strategy, Trigger, TriggerOutput, TriggerSecret, WorkflowName, WorkflowSettings,
};
use crate::parse::spec::RawEntry;
use crate::parse::spec::{
    AxisSpec, CallSpec, CheckoutSpec, ConcurrencySpec, ContainerSpec, CredentialsSpec, JobSpec,
    MatrixSpec, Properties, RunDefaultsSpec, SecretsSpec, ServiceSpec, Spanned, StepKind, StepSpec,
    StrategySpec, TriggerSpec, WorkflowSpec,
};
use crate::suggest;

/// A workflow's own settings, and its jobs still to be checked.
#[expect(clippy::vec_box, reason = "jobs are boxed as they are read; see `WorkflowSpec::jobs`")]
pub fn workflow(cx: &mut Checker<'_>, spec: WorkflowSpec) -> (WorkflowSettings, Vec<Box<JobSpec>>) {
    let settings = WorkflowSettings {
        name: match spec.name.map(|n| n.value) {
            None => WorkflowName::Id,
            Some(Some(text)) => WorkflowName::Text(text),
            Some(None) => WorkflowName::Omitted,
        },
        run_name: value(spec.run_name),
        email_notifications: value(spec.email_notifications),
        raw: raw(cx, spec.raw),
        on: spec
            .on
            .map(|on| on.value.into_iter().map(|t| trigger(cx, t)).collect())
            .unwrap_or_default(),
        env: env(cx, spec.env),
        permissions: value(spec.permissions),
        concurrency: spec.concurrency.map(|c| concurrency(c.value)),
        defaults: spec.defaults.map(|d| defaults(d.value)),
        job_defaults: JobDefaults {
            runs_on: runs_on(spec.runs_on, spec.runner_group),
            timeout_minutes: value(spec.timeout_minutes),
            container: spec.container.map(|c| container(cx, c.value)),
        },
    };
    (settings, spec.jobs)
}

/// A job's settings.
pub fn job(cx: &mut Checker<'_>, spec: JobSpec) -> JobSettings {
    JobSettings {
        raw: raw(cx, spec.raw),
        name: value(spec.name),
        runs_on: runs_on(spec.runs_on, spec.runner_group),
        condition: value(spec.condition),
        timeout_minutes: value(spec.timeout_minutes),
        continue_on_error: value(spec.continue_on_error),
        environment: spec
            .environment
            .map(|e| Box::new(Environment { name: e.value.name.value, url: value(e.value.url) })),
        env: env(cx, spec.env),
        permissions: spec.permissions.and_then(|p| job_permissions(cx, *p)),
        concurrency: spec.concurrency.map(|c| Box::new(concurrency(c.value))),
        container: spec.container.map(|c| Box::new(container(cx, c.value))),
        services: spec
            .services
            .map(|s| s.value.into_iter().filter_map(|s| service(cx, s)).collect())
            .unwrap_or_default(),
        strategy: spec.strategy.map(|s| Box::new(strategy(cx, s.value))),
        outputs: map(cx, "outputs", "output name", spec.outputs, InputName::new),
        defaults: spec.defaults.map(|d| Box::new(defaults(d.value))),
        call: spec.call.map(|c| Box::new(call(cx, c.value))),
        checkout: spec.checkout.map_or_else(Checkout::default, |c| checkout(cx, c.value)),
        steps: spec.steps.into_iter().map(|s| step(cx, s)).collect(),
    }
}

/// A job's `permissions`; `"default"` belongs to workflows.
fn job_permissions(cx: &mut Checker<'_>, spec: Spanned<Permissions>) -> Option<Permissions> {
    if spec.value == Permissions::Default {
        cx.error(SpecError::InvalidValue {
            what: "permissions".to_owned(),
            problem: "`default` is for a workflow".to_owned(),
            span: spec.span,
            help: Some(
                "a job without `permissions` has its workflow's; remove it from the job".to_owned(),
            ),
        });
        return None;
    }
    Some(spec.value)
}

fn value<T>(spanned: Option<Spanned<T>>) -> Option<T> {
    spanned.map(|s| s.value)
}

fn strings(list: Vec<Spanned<String>>) -> Vec<String> {
    list.into_iter().map(|s| s.value).collect()
}

fn env(cx: &mut Checker<'_>, properties: Properties<Scalar>) -> Map<EnvName, Scalar> {
    map(cx, "env", "name", properties, EnvName::new)
}

/// A container's or a service's `env`, which the image reads.
fn container_env(
    cx: &mut Checker<'_>,
    properties: Properties<Scalar>,
) -> Map<ContainerEnvName, Scalar> {
    map(cx, "env", "name", properties, ContainerEnvName::new)
}

fn trigger(cx: &mut Checker<'_>, spec: TriggerSpec) -> Trigger {
    let event = spec.event.value;
    let mut filters: Map<String, Vec<String>> = Map::default();
    for (filter, values) in spec.filters {
        let key = filter.value;
        let opposite = match key.strip_suffix("-ignore") {
            Some(base) => base.to_owned(),
            None => format!("{key}-ignore"),
        };
        if key != "types" && key != "workflows" && filters.get(&opposite).is_some() {
            cx.error(SpecError::ConflictingFilters {
                event: event.clone(),
                first: opposite,
                second: key,
                span: filter.span,
            });
            continue;
        }
        let mut merged = filters.get(&key).cloned().unwrap_or_default();
        merged.extend(strings(values));
        filters.insert(key, merged);
    }
    let mut inputs = Vec::new();
    for input in spec.inputs {
        let Some(name) =
            key(cx, "input", "input name", &input.name.value, input.name.span, InputName::new)
        else {
            continue;
        };
        inputs.push(Input {
            name,
            description: input.description,
            required: input.required,
            kind: input.kind,
            default: value(input.default),
            options: input.options,
        });
    }
    let mut secrets = Vec::new();
    for secret in spec.secrets {
        let span = secret.name.span;
        if let Some(name) =
            key(cx, "secret", "secret name", &secret.name.value, span, SecretName::new)
        {
            secrets.push(TriggerSecret {
                name,
                description: secret.description,
                required: secret.required,
            });
        }
    }
    let mut outputs = Vec::new();
    for output in spec.outputs {
        let span = output.name.span;
        if let Some(name) =
            key(cx, "output", "output name", &output.name.value, span, InputName::new)
        {
            outputs.push(TriggerOutput {
                name,
                description: output.description,
                value: output.value.value,
            });
        }
    }
    Trigger { event, filters, cron: strings(spec.cron), inputs, secrets, outputs }
}

fn concurrency(spec: ConcurrencySpec) -> Concurrency {
    Concurrency { group: spec.group.value, cancel_in_progress: value(spec.cancel_in_progress) }
}

fn defaults(spec: RunDefaultsSpec) -> RunDefaults {
    RunDefaults { shell: value(spec.shell), working_directory: value(spec.working_directory) }
}

fn container(cx: &mut Checker<'_>, spec: ContainerSpec) -> Container {
    Container {
        image: spec.image.value,
        options: value(spec.options),
        env: container_env(cx, spec.env),
        volumes: strings(spec.volumes),
        credentials: spec.credentials.map(|c| credentials(cx, c.value)),
    }
}

fn service(cx: &mut Checker<'_>, spec: ServiceSpec) -> Option<Service> {
    let name =
        key(cx, "services", "service name", &spec.name.value, spec.name.span, ServiceName::new)?;
    Some(Service {
        name,
        image: spec.image.value,
        env: container_env(cx, spec.env),
        ports: spec.ports.map(|p| strings(p.value)).unwrap_or_default(),
        volumes: spec.volumes.map(|v| strings(v.value)).unwrap_or_default(),
        options: value(spec.options),
        credentials: spec.credentials.map(|c| credentials(cx, c.value)),
        cmd: spec.cmd.map(|c| strings(c.value)).unwrap_or_default(),
    })
}

/// A registry login; a password written out would be readable by everyone
/// who can read the repository.
fn credentials(cx: &mut Checker<'_>, spec: CredentialsSpec) -> Credentials {
    if !crate::expr::template::has_template(&spec.password.value) {
        cx.error(SpecError::InvalidValue {
            what: "credentials.password".to_owned(),
            problem:
                "a password written in the spec is readable by everyone who reads the repository"
                    .to_owned(),
            span: spec.password.span,
            help: Some(
                "keep it in a secret and read it: `password=\"${{ secrets.REGISTRY_TOKEN }}\"`"
                    .to_owned(),
            ),
        });
    }
    Credentials { username: spec.username.value, password: spec.password.value }
}

fn strategy(cx: &mut Checker<'_>, spec: StrategySpec) -> Strategy {
    Strategy {
        matrix: spec.matrix.map(|m| matrix(cx, m.value)),
        fail_fast: value(spec.fail_fast),
        max_parallel: value(spec.max_parallel),
    }
}

fn matrix(cx: &mut Checker<'_>, spec: MatrixSpec) -> Matrix {
    let mut axes: Map<AxisName, Axis> = Map::default();
    for (axis, values) in spec.axes {
        if let Some(name) = key(cx, "matrix", "axis name", &axis.value, axis.span, AxisName::new) {
            let values = match values {
                AxisSpec::Values(values) => {
                    Axis::Values(values.into_iter().map(|v| v.value).collect())
                }
                AxisSpec::Expression(expression) => {
                    expect_expression(cx, &expression, "an axis's `expression`");
                    Axis::Expression(expression.value)
                }
            };
            axes.insert(name, values);
        }
    }
    let expression = spec.expression.map(|expression| {
        expect_expression(cx, &expression, "a matrix given as text");
        expression.value
    });
    let names: Vec<String> = axes.keys().map(str::to_owned).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let include = spec.include.into_iter().map(|e| entry(cx, e, &names, true)).collect();
    let exclude = spec.exclude.into_iter().map(|e| entry(cx, e, &names, false)).collect();
    Matrix { expression, axes, include, exclude }
}

/// A string that must be an expression: it computes values at run time.
fn expect_expression(cx: &mut Checker<'_>, value: &Spanned<String>, what: &str) {
    if !crate::expr::template::has_template(&value.value) {
        cx.error(SpecError::InvalidValue {
            what: "matrix".to_owned(),
            problem: format!("{what} is not an expression"),
            span: value.span,
            help: Some(
                "computed values are an expression such as `\"${{ fromJSON(needs.plan.outputs.matrix) }}\"`; list fixed values as arguments".to_owned(),
            ),
        });
    }
}

/// An `include` or `exclude` entry. `include` may add variables, but a
/// near miss of an axis is a typo that would silently add a new leg.
fn entry(
    cx: &mut Checker<'_>,
    spec: Properties<Data>,
    axes: &[&str],
    include: bool,
) -> Map<AxisName, Data> {
    let what = if include { "include" } else { "exclude" };
    let mut entry = Map::default();
    for property in spec {
        let name = &property.key.value;
        if !axes.contains(&name.as_str()) {
            let near = suggest::closest(name, axes.iter().copied());
            if !include || near.is_some() {
                cx.error(SpecError::UnknownAxis {
                    axis: name.clone(),
                    entry: what,
                    span: property.key.span,
                    help: match near {
                        Some(best) => format!("did you mean `{best}`?"),
                        None if axes.is_empty() => "this matrix declares no axes".to_owned(),
                        None => format!("the axes are {}", suggest::all(axes)),
                    },
                });
                continue;
            }
        }
        if let Some(axis) = key(cx, "matrix", "axis name", name, property.key.span, AxisName::new) {
            entry.insert(axis, property.value.value);
        }
    }
    entry
}

fn call(cx: &mut Checker<'_>, spec: CallSpec) -> Call {
    let secrets = match spec.secrets.map(|s| s.value) {
        None => Secrets::None,
        Some(SecretsSpec::Inherit) => Secrets::Inherit,
        Some(SecretsSpec::Named(named)) => {
            Secrets::Named(map(cx, "secrets", "secret name", named, SecretName::new))
        }
    };
    Call {
        uses: spec.uses.value,
        with: map(cx, "with", "name", spec.with, InputName::new),
        secrets,
    }
}

fn checkout(cx: &mut Checker<'_>, spec: CheckoutSpec) -> Checkout {
    let CheckoutSpec::Enabled { name, persist_credentials, with: properties, after } = spec else {
        return Checkout::Disabled;
    };
    let mut step = CheckoutStep {
        name: value(name),
        persist_credentials: value(persist_credentials).unwrap_or(false),
        with: Map::default(),
        after,
    };
    for property in properties {
        // These errors label the whole `key=value`.
        let whole = miette::SourceSpan::new(
            property.key.span.offset().into(),
            property.value.span.offset() + property.value.span.len() - property.key.span.offset(),
        );
        let name = &property.key.value;
        if let Some(input) = key(cx, "checkout", "input name", name, whole, InputName::new) {
            step.with.insert(input, property.value.value);
        }
    }
    Checkout::Enabled(step)
}

fn step(cx: &mut Checker<'_>, spec: StepSpec) -> Step {
    let more = spec.more.map(|m| *m).unwrap_or_default();
    let id = more.id.and_then(|id| key(cx, "id", "step id", &id.value, id.span, StepId::new));
    let action = match spec.kind.value {
        StepKind::Run => {
            injection::check(cx, &spec.main, "run");
            Action::Run {
                script: spec.main.value,
                shell: value(more.shell),
                working_directory: value(more.working_directory),
            }
        }
        StepKind::Uses => {
            uses::step(cx, &spec.main, &spec.with);
            Action::Uses {
                action: spec.main.value,
                with: map(cx, "with", "name", spec.with, InputName::new),
            }
        }
    };
    Step {
        name: value(spec.name),
        id,
        condition: value(spec.condition),
        action,
        env: env(cx, spec.env),
        continue_on_error: value(more.continue_on_error),
        timeout_minutes: value(more.timeout_minutes),
        raw: raw(cx, more.raw),
    }
}

/// `runs-on`, when labels or a group are given.
fn runs_on(
    labels: Option<Spanned<Vec<Spanned<String>>>>,
    group: Option<Spanned<String>>,
) -> Option<RunsOn> {
    if labels.is_none() && group.is_none() {
        return None;
    }
    Some(RunsOn {
        labels: labels.map(|l| strings(l.value)).unwrap_or_default(),
        group: value(group),
    })
}

/// `raw` keys in order; a key given twice is a mistake.
fn raw(cx: &mut Checker<'_>, entries: Vec<RawEntry>) -> Map<String, Data> {
    let mut map: Map<String, Data> = Map::default();
    for entry in entries {
        if map.get(&entry.key.value).is_some() {
            cx.error(SpecError::InvalidValue {
                what: "raw".to_owned(),
                problem: format!("`{}` is given twice", entry.key.value),
                span: entry.key.span,
                help: Some("keep one of them".to_owned()),
            });
            continue;
        }
        map.insert(entry.key.value, entry.value.value);
    }
    map
}
