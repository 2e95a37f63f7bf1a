//! `job "ID" { … }`.

use super::tree::Node;
use miette::SourceSpan;

use super::reader::{Cx, ENV_KEY, INPUT_KEY, Once, args, children, props};
use super::spec::JobSpec;
use super::{matrix, step, values};
use crate::error::SpecError;
use crate::model::{Call, Checkout, Environment, JobSettings, Map, Secrets, Strategy};

const CHILDREN: &[&str] = &[
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
    "run",
    "uses",
];

/// What a job that calls a reusable workflow may hold.
const CALL_CHILDREN: &[&str] =
    &["name", "needs", "if", "permissions", "concurrency", "matrix", "strategy"];

/// Parses one `job` node; `None` when its id is unusable.
pub fn parse(cx: &mut Cx, node: &Node) -> Option<JobSpec> {
    cx.check_props(node, &[]);
    let id = cx.one_arg(node, "an id").and_then(|e| cx.string("job", e));
    let mut settings = JobSettings::default();
    let mut needs = Vec::new();
    let mut once = Once::default();
    let mut strategy = Strategy::default();
    let mut has_strategy = false;
    let mut call_span: Option<SourceSpan> = None;
    // The first `uses` of a workflow file makes this a job that calls it,
    // wherever it stands; any step beside it is reported below.
    let call_node =
        children(node).iter().find(|c| c.name().value() == "uses" && is_workflow_call(c));
    for child in children(node) {
        let name = child.name().value();
        let single = !matches!(
            name,
            "env" | "needs" | "run" | "uses" | "outputs" | "runs-on" | "permissions" | "matrix"
        );
        if CHILDREN.contains(&name) && single && !once.first(cx, child) {
            continue;
        }
        match name {
            "name" => settings.name = values::string(cx, child).map(|s| s.value),
            "runs-on" => values::append_labels(cx, child, &mut settings.runs_on),
            "needs" => {
                cx.check_props(child, &[]);
                cx.no_children(child);
                needs.extend(cx.strings(child, "at least one job id"));
            }
            "if" => settings.condition = values::string(cx, child).map(|s| s.value),
            "timeout-minutes" => settings.timeout_minutes = values::minutes(cx, child),
            "continue-on-error" => {
                settings.continue_on_error = values::flag_or_expression(cx, child)
            }
            "environment" => settings.environment = environment(cx, child).map(Box::new),
            "env" => cx.scalar_map(child, &mut settings.env, ENV_KEY),
            "permissions" => values::merge_permissions(cx, child, &mut settings.permissions),
            "concurrency" => settings.concurrency = values::concurrency(cx, child).map(Box::new),
            "container" => settings.container = values::container(cx, child).map(Box::new),
            "services" => settings.services = values::services(cx, child),
            "matrix" => {
                has_strategy = true;
                matrix::matrix(cx, child, &mut strategy.matrix);
            }
            "strategy" => {
                has_strategy = true;
                matrix::strategy(cx, child, &mut strategy);
            }
            "outputs" => outputs(cx, child, &mut settings.outputs),
            "defaults" => settings.defaults = values::defaults(cx, child).map(Box::new),
            "checkout" => settings.checkout = checkout(cx, child),
            "uses" if call_node.is_some_and(|c| std::ptr::eq(c, child)) => {
                call_span = Some(child.name().span());
                settings.call = call(cx, child).map(Box::new);
            }
            "run" | "uses" => settings.steps.extend(step::parse(cx, child)),
            _ => cx.unknown_node(child, "in a job", CHILDREN),
        }
    }
    if has_strategy {
        if strategy.matrix.is_none() {
            let span = children(node)
                .iter()
                .find(|c| c.name().value() == "strategy")
                .map_or(node.name().span(), |c| c.name().span());
            cx.error(SpecError::MissingValue {
                node: "strategy".to_owned(),
                what: "a `matrix` in its job".to_owned(),
                span,
                help: Some(
                    "`strategy` tunes how matrix legs run; add `matrix { … }` or remove it"
                        .to_owned(),
                ),
            });
        }
        settings.strategy = Some(Box::new(strategy));
    }
    let id = id?;
    if let Some(call) = call_span {
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
                    job: id.value.clone(),
                    span: child.name().span(),
                    call,
                });
            }
        }
    }
    settings.steps.shrink_to_fit();
    Some(JobSpec { id, needs, settings, call: call_span })
}

/// Whether a `uses` in a job names a workflow file rather than an action.
fn is_workflow_call(node: &Node) -> bool {
    args(node).next().and_then(|e| e.value().as_string()).is_some_and(Call::is_workflow_reference)
}

/// `uses "./.forgejo/workflows/x.yml" { with k=v; secrets "inherit" | secrets K="v" }`.
fn call(cx: &mut Cx, node: &Node) -> Option<Call> {
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
    let mut with = Map::default();
    let mut secrets = Secrets::None;
    for child in children(node) {
        match child.name().value() {
            "with" => cx.scalar_map(child, &mut with, INPUT_KEY),
            "secrets" => call_secrets(cx, child, &mut secrets),
            _ => cx.unknown_node(child, "in a reusable workflow call", &["with", "secrets"]),
        }
    }
    Some(Call { uses: uses.value, with, secrets })
}

/// `secrets "inherit"` or `secrets NAME="${{ secrets.X }}" …`; repeated
/// named secrets merge.
fn call_secrets(cx: &mut Cx, node: &Node, into: &mut Secrets) {
    if let Some(entry) = args(node).next() {
        cx.no_children(node);
        cx.check_props(node, &[]);
        if cx.choice("secrets", entry, &[("inherit", ())]).is_some() {
            if matches!(into, Secrets::Named(_)) {
                cx.error(SpecError::InvalidValue {
                    what: "secrets".to_owned(),
                    problem: "`inherit` cannot be combined with named secrets".to_owned(),
                    span: entry.span(),
                    help: Some("pass every secret (`inherit`) or name them, not both".to_owned()),
                });
            }
            *into = Secrets::Inherit;
        }
        return;
    }
    let mut named = match std::mem::take(into) {
        Secrets::Named(named) => named,
        Secrets::Inherit => {
            cx.error(SpecError::InvalidValue {
                what: "secrets".to_owned(),
                problem: "named secrets cannot be combined with `inherit`".to_owned(),
                span: node.name().span(),
                help: Some("pass every secret (`inherit`) or name them, not both".to_owned()),
            });
            Map::default()
        }
        Secrets::None => Map::default(),
    };
    cx.string_map(node, &mut named, "secret", ENV_KEY);
    *into = Secrets::Named(named);
}

/// `outputs NAME="${{ steps.ID.outputs.NAME }}" …`.
fn outputs(cx: &mut Cx, node: &Node, into: &mut Map<String>) {
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
    cx.string_map(node, into, "output", INPUT_KEY);
}

/// `environment "NAME" url="…"`.
fn environment(cx: &mut Cx, node: &Node) -> Option<Environment> {
    cx.check_props(node, &["url"]);
    cx.no_children(node);
    let name = cx.one_arg(node, "a name").and_then(|e| cx.nonempty_string("environment", e))?;
    let url = props(node)
        .find(|(k, _)| *k == "url")
        .and_then(|(_, e)| cx.nonempty_string("url", e))
        .map(|s| s.value);
    Some(Environment { name: name.value, url })
}

/// `checkout #false`, `checkout #true`, or `checkout fetch-depth=0 …`.
fn checkout(cx: &mut Cx, node: &Node) -> Checkout {
    cx.no_children(node);
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
        return Checkout::Disabled;
    }
    let mut with = Map::default();
    for (key, entry) in props(node) {
        if key == "persist-credentials" {
            cx.error(SpecError::InvalidValue {
                what: "checkout".to_owned(),
                problem: "cigen always sets `persist-credentials: false`".to_owned(),
                span: entry.span(),
                help: Some(
                    "remove it; a step that needs the token can pass it explicitly".to_owned(),
                ),
            });
        } else if !(INPUT_KEY.1)(key) {
            cx.error(SpecError::InvalidValue {
                what: "checkout".to_owned(),
                problem: format!("`{key}` is not a valid input name"),
                span: entry.span(),
                help: Some(INPUT_KEY.0.to_owned()),
            });
        } else if let Some(value) = cx.scalar(&format!("checkout.{key}"), entry) {
            with.insert(key.to_owned(), value);
        }
    }
    Checkout::Enabled(with)
}
