//! `on { push { branches "main" }; pull_request; schedule "0 3 * * 1" }`.

use super::tree::Node;

use super::reader::{Cx, children};
use super::spec::{Spanned, TriggerSpec};
use crate::error::SpecError;

/// The events Actions knows.
pub const EVENTS: &[&str] = &[
    "branch_protection_rule",
    "check_run",
    "check_suite",
    "create",
    "delete",
    "deployment",
    "deployment_status",
    "discussion",
    "discussion_comment",
    "fork",
    "gollum",
    "issue_comment",
    "issues",
    "label",
    "merge_group",
    "milestone",
    "page_build",
    "public",
    "pull_request",
    "pull_request_review",
    "pull_request_review_comment",
    "pull_request_target",
    "push",
    "registry_package",
    "release",
    "repository_dispatch",
    "schedule",
    "status",
    "watch",
    "workflow_call",
    "workflow_dispatch",
    "workflow_run",
];

/// Every filter some event takes.
pub(crate) const FILTERS: &[&str] = &[
    "branches",
    "branches-ignore",
    "tags",
    "tags-ignore",
    "paths",
    "paths-ignore",
    "types",
    "workflows",
];

/// Which filters an event takes.
pub(crate) fn filters(event: &str) -> &'static [&'static str] {
    match event {
        "push" => &["branches", "branches-ignore", "tags", "tags-ignore", "paths", "paths-ignore"],
        "pull_request" | "pull_request_target" => {
            &["branches", "branches-ignore", "paths", "paths-ignore", "types"]
        }
        "workflow_run" => &["workflows", "types", "branches", "branches-ignore"],
        "schedule" => &[],
        _ => &["types"],
    }
}

/// Parses the `on` block.
pub fn parse(cx: &mut Cx, node: &Node) -> Spanned<Vec<TriggerSpec>> {
    cx.no_args(node, "no arguments; list events as children: `on { push; pull_request }`");
    cx.check_props(node, &[]);
    let mut triggers: Vec<TriggerSpec> = Vec::new();
    cx.require_children(node, "at least one event", "on { push; pull_request }");
    for child in children(node) {
        let event = child.name().value();
        if !EVENTS.contains(&event) {
            cx.unknown_node(child, "in `on`", EVENTS);
            continue;
        }
        cx.check_props(child, &[]);
        // A repeated event adds to the first one.
        let at = match triggers.iter().position(|t| t.event.value == event) {
            Some(at) => at,
            None => {
                triggers.push(TriggerSpec {
                    event: Spanned::new(event.to_owned(), child.name().span()),
                    filters: Vec::new(),
                    cron: Vec::new(),
                    inputs: Vec::new(),
                    secrets: Vec::new(),
                    outputs: Vec::new(),
                });
                triggers.len() - 1
            }
        };
        let trigger = &mut triggers[at];
        if event == "schedule" {
            cx.no_children(child);
            trigger.cron.extend(cx.strings(child, "at least one cron line"));
        } else if let Some(slip) = super::bare::events_on_one_line(child, EVENTS) {
            cx.error(slip);
        } else {
            cx.no_args(
                child,
                "no arguments; filters go in its block: `push { branches \"main\" }`",
            );
        }
        if matches!(event, "workflow_dispatch" | "workflow_call") {
            super::inputs::parse(cx, child, trigger);
            continue;
        }
        let known = filters(event);
        let filter_nodes = if event == "schedule" { &[][..] } else { children(child) };
        for filter in filter_nodes {
            let key = filter.name().value();
            if !known.contains(&key) {
                if known.is_empty() {
                    cx.error(SpecError::UnknownNode {
                        name: key.to_owned(),
                        parent: format!("in `{event}`"),
                        span: filter.name().span(),
                        help: format!("`{event}` takes no filters"),
                    });
                } else {
                    cx.unknown_node(filter, &format!("in `{event}`"), known);
                }
                continue;
            }
            cx.check_props(filter, &[]);
            cx.no_children(filter);
            let values = cx.strings(filter, "at least one pattern");
            trigger.filters.push((Spanned::new(key.to_owned(), filter.name().span()), values));
        }
    }
    Spanned::new(triggers, node.name().span())
}
