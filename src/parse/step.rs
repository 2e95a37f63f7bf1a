//! Steps: `run "SCRIPT" …` and `uses "OWNER/REPO@REF" …`.

use super::tree::Node;

use super::reader::{Cx, children, props};
use super::spec::{Spanned, StepKind, StepSpec};
use crate::error::SpecError;

pub(crate) const RUN_PROPS: &[&str] =
    &["name", "id", "if", "shell", "working-directory", "continue-on-error", "timeout-minutes"];
pub(crate) const USES_PROPS: &[&str] =
    &["name", "id", "if", "continue-on-error", "timeout-minutes"];

/// Reads a `run` or `uses` node.
pub fn parse(cx: &mut Cx, node: &Node) -> Option<StepSpec> {
    let is_run = node.name().value() == "run";
    let (kind, other) = if is_run { ("run", "uses") } else { ("uses", "run") };
    // A step is one or the other: flag the second kind wherever it appears.
    for (key, entry) in props(node) {
        if key == other {
            cx.error(SpecError::RunAndUses { step: node.name().span(), kind, other: entry.span() });
        }
    }
    for child in children(node) {
        if child.name().value() == other {
            cx.error(SpecError::RunAndUses {
                step: node.name().span(),
                kind,
                other: child.name().span(),
            });
        }
    }
    let known = if is_run { RUN_PROPS } else { USES_PROPS };
    let mut allowed: Vec<&str> = known.to_vec();
    allowed.push(other);
    cx.check_props(node, &allowed);

    let what = if is_run { "a script" } else { "an action reference" };
    let main = cx.one_arg(node, what).and_then(|e| cx.string(kind, e));
    let step_kind = if is_run { StepKind::Run } else { StepKind::Uses };
    let mut step = StepSpec {
        kind: Spanned::new(step_kind, node.name().span()),
        main: Spanned::new(String::new(), node.name().span()),
        name: None,
        condition: None,
        with: Vec::new(),
        env: Vec::new(),
        more: None,
    };
    for (key, entry) in props(node) {
        match key {
            "name" => step.name = cx.nonempty_string("name", entry),
            "if" => step.condition = cx.nonempty_string("if", entry),
            "id" => step.more.get_or_insert_default().id = cx.nonempty_string("id", entry),
            "shell" if is_run => {
                step.more.get_or_insert_default().shell = cx.nonempty_string("shell", entry);
            }
            "working-directory" if is_run => {
                step.more.get_or_insert_default().working_directory =
                    cx.nonempty_string("working-directory", entry);
            }
            "continue-on-error" => {
                step.more.get_or_insert_default().continue_on_error =
                    cx.spanned(entry, |cx, e| cx.boolean_or_expression("continue-on-error", e));
            }
            "timeout-minutes" => {
                step.more.get_or_insert_default().timeout_minutes =
                    cx.spanned(entry, |cx, e| cx.minutes(e));
            }
            _ => {}
        }
    }
    let child_names: &[&str] = if is_run { &["env", "raw"] } else { &["with", "env", "raw"] };
    for child in children(node) {
        let name = child.name().value();
        if name == other {
            continue;
        }
        if name == "raw" {
            super::data::raw(cx, child, &mut step.more.get_or_insert_default().raw);
            continue;
        }
        if !child_names.contains(&name) {
            cx.unknown_node(child, &format!("in a `{kind}` step"), child_names);
            continue;
        }
        let properties = cx.properties(child);
        if name == "env" {
            step.env.extend(properties);
        } else {
            step.with.extend(properties);
        }
    }
    let main = main?;
    if is_run && main.value.trim().is_empty() {
        cx.error(SpecError::InvalidValue {
            what: "run".to_owned(),
            problem: "the script is empty".to_owned(),
            span: main.span,
            help: None,
        });
    }
    step.main = main;
    Some(step)
}
