//! `job "ID" { … }`.

use kdl::KdlNode;

use super::reader::{Cx, ENV_KEY, INPUT_KEY, Once, children, props};
use super::spec::JobSpec;
use super::{step, values};
use crate::error::SpecError;
use crate::model::{Checkout, JobSettings, Map};

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
    "checkout",
    "run",
    "uses",
];

/// Parses one `job` node; `None` when its id is unusable.
pub fn parse(cx: &mut Cx, node: &KdlNode) -> Option<JobSpec> {
    cx.check_props(node, &[]);
    let id = cx.one_arg(node, "an id").and_then(|e| cx.string("job", e));
    let mut settings = JobSettings::default();
    let mut needs = Vec::new();
    let mut once = Once::default();
    for child in children(node) {
        let name = child.name().value();
        let single = !matches!(name, "env" | "needs" | "run" | "uses");
        if CHILDREN.contains(&name) && single && !once.first(cx, child) {
            continue;
        }
        match name {
            "name" => settings.name = values::string(cx, child).map(|s| s.value),
            "runs-on" => settings.runs_on = values::labels(cx, child),
            "needs" => {
                cx.check_props(child, &[]);
                cx.no_children(child);
                needs.extend(cx.strings(child, "at least one job id"));
            }
            "if" => settings.condition = values::string(cx, child).map(|s| s.value),
            "timeout-minutes" => settings.timeout_minutes = values::minutes(cx, child),
            "continue-on-error" => settings.continue_on_error = values::flag(cx, child),
            "environment" => settings.environment = values::string(cx, child).map(|s| s.value),
            "env" => cx.scalar_map(child, &mut settings.env, ENV_KEY),
            "permissions" => settings.permissions = values::permissions(cx, child),
            "concurrency" => settings.concurrency = values::concurrency(cx, child),
            "container" => settings.container = values::container(cx, child),
            "checkout" => settings.checkout = checkout(cx, child),
            "run" | "uses" => settings.steps.extend(step::parse(cx, child)),
            _ => cx.unknown_node(child, "in a job", CHILDREN),
        }
    }
    Some(JobSpec { id: id?, needs, settings })
}

/// `checkout #false`, `checkout #true`, or `checkout fetch-depth=0 …`.
fn checkout(cx: &mut Cx, node: &KdlNode) -> Checkout {
    cx.no_children(node);
    let mut positional = super::reader::args(node);
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
        cx.check_props(node, &[]);
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
