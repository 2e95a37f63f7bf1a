//! `job "ID" { … }`.

use super::tree::Node;

use super::reader::{Cx, Once, args, children, key_of, props};
use super::spec::{
    CallSpec, CheckoutSpec, EnvironmentSpec, JobSpec, Properties, SecretsSpec, Spanned,
    StepListUse, StrategySpec,
};
use super::{matrix, step, values};
use crate::error::SpecError;
use crate::model::Call;

pub(crate) const CHILDREN: &[&str] = &[
    "name",
    "runs-on",
    "needs",
    "if",
    "timeout-minutes",
    "continue-on-error",
    "environment",
    "env",
    "permissions",
    "concurrency",
    "container",
    "services",
    "matrix",
    "strategy",
    "outputs",
    "defaults",
    "checkout",
    "raw",
    "template",
    "steps",
    "run",
    "uses",
    "allow",
];

/// What a job that calls a reusable workflow may hold.
pub(crate) const CALL_CHILDREN: &[&str] =
    &["name", "needs", "if", "permissions", "concurrency", "matrix", "strategy", "raw", "allow"];

/// Reads one `job` node; `None` when its id is unusable.
pub fn parse(cx: &mut Cx, node: &Node) -> Option<JobSpec> {
    cx.check_props(node, &[]);
    let id = cx.one_arg(node, "an id").and_then(|e| cx.string("job", e));
    let mut job = JobSpec {
        id: Spanned::new(String::new(), node.name().span()),
        template: None,
        step_lists: Vec::new(),
        raw: Vec::new(),
        needs: Vec::new(),
        name: None,
        runs_on: None,
        runner_group: None,
        condition: None,
        timeout_minutes: None,
        continue_on_error: None,
        environment: None,
        env: Vec::new(),
        permissions: None,
        concurrency: None,
        container: None,
        services: None,
        strategy: None,
        outputs: Vec::new(),
        defaults: None,
        checkout: None,
        call: None,
        steps: Vec::new(),
        allow: crate::warning::Allowed::default(),
    };
    let mut once = Once::default();
    let mut strategy: Option<Spanned<StrategySpec>> = None;
    // The first `uses` of a workflow file makes this a job that calls it,
    // wherever it stands; any step beside it is reported below.
    let call_node =
        children(node).iter().find(|c| c.name().value() == "uses" && is_workflow_call(c));
    for child in children(node) {
        let name = child.name().value();
        let single = !matches!(
            name,
            "env"
                | "raw"
                | "steps"
                | "needs"
                | "run"
                | "uses"
                | "outputs"
                | "runs-on"
                | "permissions"
                | "matrix"
                | "allow"
        );
        if CHILDREN.contains(&name) && single && !once.first(cx, child) {
            continue;
        }
        match name {
            "name" => job.name = values::string(cx, child),
            "runs-on" => {
                values::append_labels(cx, child, &mut job.runs_on, &mut job.runner_group);
            }
            "needs" => {
                cx.check_props(child, &[]);
                cx.no_children(child);
                job.needs.extend(cx.strings(child, "at least one job id"));
            }
            "if" => job.condition = values::string(cx, child),
            "timeout-minutes" => job.timeout_minutes = values::minutes(cx, child),
            "continue-on-error" => job.continue_on_error = values::flag_or_expression(cx, child),
            "environment" => job.environment = environment(cx, child).map(Box::new),
            "env" => job.env.extend(cx.properties(child)),
            "permissions" => {
                let mut permissions = job.permissions.take().map(|p| *p);
                values::merge_permissions(cx, child, &mut permissions);
                job.permissions = permissions.map(Box::new);
            }
            "concurrency" => job.concurrency = values::concurrency(cx, child).map(Box::new),
            "container" => job.container = values::container(cx, child).map(Box::new),
            "services" => job.services = Some(Box::new(values::services(cx, child))),
            "matrix" | "strategy" => {
                let strategy = strategy.get_or_insert_with(|| {
                    Spanned::new(StrategySpec::default(), child.name().span())
                });
                if name == "matrix" {
                    matrix::matrix(cx, child, &mut strategy.value.matrix);
                } else {
                    matrix::strategy(cx, child, &mut strategy.value);
                }
            }
            "outputs" => outputs(cx, child, &mut job.outputs),
            "defaults" => job.defaults = values::defaults(cx, child).map(Box::new),
            "checkout" => job.checkout = Some(Box::new(checkout(cx, child, job.steps.len()))),
            "raw" => super::data::raw(cx, child, &mut job.raw),
            "template" => job.template = values::string(cx, child),
            "steps" => {
                if let Some(name) = values::string(cx, child) {
                    let before_checkout = job.checkout.is_none();
                    let at = job.steps.len();
                    job.step_lists.push(StepListUse { name, at, before_checkout });
                }
            }
            "uses" if call_node.is_some_and(|c| std::ptr::eq(c, child)) => {
                job.call = call(cx, child).map(|c| Box::new(Spanned::new(c, child.name().span())));
            }
            "run" | "uses" => job.steps.extend(step::parse(cx, child)),
            "allow" => super::allow::parse(cx, child, &mut job.allow),
            _ => cx.unknown_node(child, "in a job", CHILDREN),
        }
    }
    if let Some(strategy) = &strategy {
        match &strategy.value.matrix {
            None => {}
            Some(matrix)
                if matrix.value.expression.is_none()
                    && matrix.value.axes.is_empty()
                    && matrix.value.include.is_empty() =>
            {
                cx.error(SpecError::MissingValue {
                    node: "matrix".to_owned(),
                    what: "at least one axis or `include`".to_owned(),
                    span: matrix.span,
                    help: Some("for example: `matrix { python \"3.12\" \"3.13\" }`".to_owned()),
                });
            }
            Some(_) => {}
        }
    }
    job.strategy = strategy.map(Box::new);
    job.id = id?;
    if let Some(call) = job.call.as_ref().map(|c| c.span) {
        for child in children(node) {
            let name = child.name().value();
            let is_the_call = child.name().span() == call;
            // A second workflow call is refused as a step of its own.
            let another_call = name == "uses" && is_workflow_call(child);
            if !is_the_call
                && !another_call
                && CHILDREN.contains(&name)
                && !CALL_CHILDREN.contains(&name)
            {
                cx.error(SpecError::CallJobSetting {
                    setting: name.to_owned(),
                    job: job.id.value.clone(),
                    span: child.name().span(),
                    call,
                });
            }
        }
    }
    job.steps.shrink_to_fit();
    Some(job)
}

/// Whether a `uses` in a job names a workflow file rather than an action.
fn is_workflow_call(node: &Node) -> bool {
    args(node).next().and_then(|e| e.value().as_string()).is_some_and(Call::is_workflow_reference)
}

/// `uses "./.forgejo/workflows/x.yml" { with k=v; secrets "inherit" | secrets K="v" }`.
fn call(cx: &mut Cx, node: &Node) -> Option<CallSpec> {
    cx.check_props(node, &[]);
    let uses = cx.one_arg(node, "a workflow path").and_then(|e| cx.nonempty_string("uses", e))?;
    // `./path` and GitHub's self-repository form `$/path` name this repository.
    let local = uses.value.starts_with("./") || uses.value.starts_with("$/");
    if local == uses.value.contains('@') {
        let (problem, help) = if local {
            ("a local workflow takes no `@REF`", "remove the `@…` part")
        } else {
            ("a workflow of another repository needs `@REF`", "add a tag or commit, e.g. `@v1`")
        };
        cx.error(SpecError::InvalidValue {
            what: "uses".to_owned(),
            problem: problem.to_owned(),
            span: uses.span,
            help: Some(help.to_owned()),
        });
    }
    let mut with = Vec::new();
    let mut secrets = None;
    for child in children(node) {
        match child.name().value() {
            "with" => with.extend(cx.properties(child)),
            "secrets" => call_secrets(cx, child, &mut secrets),
            _ => cx.unknown_node(child, "in a reusable workflow call", &["with", "secrets"]),
        }
    }
    Some(CallSpec { uses, with, secrets })
}

/// `secrets "inherit"` or `secrets NAME="${{ secrets.X }}" …`; repeated
/// named secrets merge.
fn call_secrets(cx: &mut Cx, node: &Node, into: &mut Option<Spanned<SecretsSpec>>) {
    let span = node.name().span();
    if let Some(entry) = args(node).next() {
        cx.no_children(node);
        cx.check_props(node, &[]);
        if cx.choice("secrets", entry, &[("inherit", ())]).is_some() {
            if matches!(into.as_ref().map(|s| &s.value), Some(SecretsSpec::Named(_))) {
                cx.error(SpecError::InvalidValue {
                    what: "secrets".to_owned(),
                    problem: "`inherit` cannot be combined with named secrets".to_owned(),
                    span: entry.span(),
                    help: Some("pass every secret (`inherit`) or name them, not both".to_owned()),
                });
            }
            *into = Some(Spanned::new(SecretsSpec::Inherit, span));
        }
        return;
    }
    let mut named = match into.take().map(|s| s.value) {
        Some(SecretsSpec::Named(named)) => named,
        Some(SecretsSpec::Inherit) => {
            cx.error(SpecError::InvalidValue {
                what: "secrets".to_owned(),
                problem: "named secrets cannot be combined with `inherit`".to_owned(),
                span,
                help: Some("pass every secret (`inherit`) or name them, not both".to_owned()),
            });
            Vec::new()
        }
        None => Vec::new(),
    };
    named.extend(cx.string_properties(node));
    *into = Some(Spanned::new(SecretsSpec::Named(named), span));
}

/// `outputs NAME="${{ steps.ID.outputs.NAME }}" …`.
fn outputs(cx: &mut Cx, node: &Node, into: &mut Properties<String>) {
    cx.no_args(node, "properties only, as `NAME=\"${{ steps.ID.outputs.NAME }}\"`");
    if props(node).next().is_none() {
        cx.error(SpecError::MissingValue {
            node: "outputs".to_owned(),
            what: "at least one `NAME=\"value\"`".to_owned(),
            span: node.name().span(),
            help: Some(
                "for example: `outputs version=\"${{ steps.read.outputs.version }}\"`".to_owned(),
            ),
        });
    }
    into.extend(cx.string_properties(node));
}

/// `environment "NAME" url="…"`.
fn environment(cx: &mut Cx, node: &Node) -> Option<Spanned<EnvironmentSpec>> {
    cx.check_props(node, &["url"]);
    cx.no_children(node);
    let name = cx.one_arg(node, "a name").and_then(|e| cx.nonempty_string("environment", e))?;
    let url =
        props(node).find(|(k, _)| *k == "url").and_then(|(_, e)| cx.nonempty_string("url", e));
    Some(Spanned::new(EnvironmentSpec { name, url }, node.name().span()))
}

/// `checkout #false`, `checkout #true`, or `checkout fetch-depth=0 …`,
/// written after `after` of the job's steps.
fn checkout(cx: &mut Cx, node: &Node, after: usize) -> Spanned<CheckoutSpec> {
    cx.no_children(node);
    let span = node.name().span();
    let mut positional = args(node);
    let enabled = match positional.next() {
        Some(entry) => cx.boolean("checkout", entry).unwrap_or(true),
        None => true,
    };
    for extra in positional {
        cx.error(SpecError::UnexpectedArgument {
            node: "checkout".to_owned(),
            takes: "at most one argument, `#true` or `#false`",
            span: extra.span(),
        });
    }
    if !enabled {
        for (key, entry) in props(node) {
            cx.error(SpecError::InvalidValue {
                what: "checkout".to_owned(),
                problem: format!("`{key}` has no effect: this job does not check out"),
                span: entry.name().map_or(entry.span(), |n| n.span()),
                help: Some("remove it, or remove `#false`".to_owned()),
            });
        }
        return Spanned::new(CheckoutSpec::Disabled, span);
    }
    let (mut name, mut persist_credentials, mut with) = (None, None, Vec::new());
    for (key, entry) in props(node) {
        match key {
            "name" => name = cx.nonempty_string("checkout.name", entry),
            "persist-credentials" => {
                persist_credentials =
                    cx.spanned(entry, |cx, e| cx.boolean("checkout.persist-credentials", e));
            }
            _ => {
                let value = cx.spanned(entry, |cx, e| cx.scalar(&format!("checkout.{key}"), e));
                if let Some(value) = value {
                    with.push(super::spec::Property { key: key_of(entry), value });
                }
            }
        }
    }
    Spanned::new(CheckoutSpec::Enabled { name, persist_credentials, with, after }, span)
}
