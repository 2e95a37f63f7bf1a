//! `workflow_dispatch { input … }` and
//! `workflow_call { input …; secret …; output … }`.

use super::tree::Node;

use super::reader::{Cx, children, props};
use super::spec::{InputSpec, OutputSpec, SecretSpec, Spanned, TriggerSpec};
use crate::error::SpecError;

const DISPATCH_TYPES: [(&str, &str); 5] = [
    ("string", "string"),
    ("boolean", "boolean"),
    ("number", "number"),
    ("choice", "choice"),
    ("environment", "environment"),
];
const CALL_TYPES: [(&str, &str); 3] =
    [("string", "string"), ("boolean", "boolean"), ("number", "number")];

/// Parses the children of a `workflow_dispatch` or `workflow_call` trigger.
pub fn parse(cx: &mut Cx, node: &Node, trigger: &mut TriggerSpec) {
    let call = node.name().value() == "workflow_call";
    let known: &[&str] = if call { &["input", "secret", "output"] } else { &["input"] };
    let mut seen: Vec<String> = trigger
        .inputs
        .iter()
        .map(|i| format!("input {}", i.name.value))
        .chain(trigger.secrets.iter().map(|i| format!("secret {}", i.name.value)))
        .chain(trigger.outputs.iter().map(|i| format!("output {}", i.name.value)))
        .collect();
    for child in children(node) {
        let kind = child.name().value();
        if !known.contains(&kind) {
            cx.unknown_node(child, &format!("in `{}`", node.name().value()), known);
            continue;
        }
        let Some(name) = cx.one_arg(child, "a name").and_then(|e| cx.nonempty_string(kind, e))
        else {
            continue;
        };
        let key = format!("{kind} {}", name.value);
        if seen.contains(&key) {
            cx.error(SpecError::InvalidValue {
                what: kind.to_owned(),
                problem: format!("`{}` is declared twice", name.value),
                span: name.span,
                help: Some(format!("keep one `{kind} \"{}\"`", name.value)),
            });
            continue;
        }
        seen.push(key);
        match kind {
            "input" => {
                let types: &[(&'static str, &'static str)] =
                    if call { &CALL_TYPES } else { &DISPATCH_TYPES };
                if let Some(input) = input(cx, child, name, types) {
                    trigger.inputs.push(input);
                }
            }
            "secret" => {
                cx.no_children(child);
                cx.check_props(child, &["description", "required"]);
                let mut secret = SecretSpec { name, description: None, required: None };
                for (key, entry) in props(child) {
                    match key {
                        "description" => {
                            secret.description = cx.nonempty_string(key, entry).map(|s| s.value);
                        }
                        "required" => secret.required = cx.boolean(key, entry),
                        _ => {}
                    }
                }
                trigger.secrets.push(secret);
            }
            _ => {
                cx.no_children(child);
                cx.check_props(child, &["description", "value"]);
                let mut description = None;
                let mut value = None;
                for (key, entry) in props(child) {
                    match key {
                        "description" => {
                            description = cx.nonempty_string(key, entry).map(|s| s.value);
                        }
                        "value" => value = cx.nonempty_string(key, entry),
                        _ => {}
                    }
                }
                match value {
                    Some(value) => {
                        trigger.outputs.push(OutputSpec { name, description, value });
                    }
                    None if !props(child).any(|(k, _)| k == "value") => {
                        cx.error(SpecError::MissingValue {
                            node: format!("output \"{}\"", name.value),
                            what: "a `value`".to_owned(),
                            span: name.span,
                            help: Some(
                                "for example: `value=\"${{ jobs.build.outputs.version }}\"`"
                                    .to_owned(),
                            ),
                        });
                    }
                    None => {}
                }
            }
        }
    }
}

fn input(
    cx: &mut Cx,
    node: &Node,
    name: Spanned<String>,
    types: &[(&'static str, &'static str)],
) -> Option<InputSpec> {
    cx.check_props(node, &["description", "required", "type", "default"]);
    let mut input = InputSpec {
        name,
        description: None,
        required: None,
        kind: None,
        default: None,
        options: Vec::new(),
    };
    for (key, entry) in props(node) {
        match key {
            "description" => input.description = cx.nonempty_string(key, entry).map(|s| s.value),
            "required" => input.required = cx.boolean(key, entry),
            "type" => input.kind = cx.choice(key, entry, types).map(str::to_owned),
            "default" => input.default = cx.spanned(entry, |cx, e| cx.scalar(key, e)),
            _ => {}
        }
    }
    if let Some(child) = cx.only_child(node, "options", "in an input") {
        cx.check_props(child, &[]);
        cx.no_children(child);
        input.options =
            cx.strings(child, "at least one option").into_iter().map(|s| s.value).collect();
    }
    let is_choice = input.kind.as_deref() == Some("choice");
    if is_choice && input.options.is_empty() {
        cx.error(SpecError::MissingValue {
            node: format!("input \"{}\"", input.name.value),
            what: "`options`".to_owned(),
            span: node.name().span(),
            help: Some("a `choice` lists its options: `{ options \"a\" \"b\" }`".to_owned()),
        });
    }
    if !is_choice && !input.options.is_empty() {
        let span = children(node).first().map_or(node.name().span(), |c| c.name().span());
        cx.error(SpecError::InvalidValue {
            what: "options".to_owned(),
            problem: "only a `choice` input has options".to_owned(),
            span,
            help: Some("add `type=\"choice\"`".to_owned()),
        });
    }
    Some(input)
}
