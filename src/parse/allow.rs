//! `allow "WARNING" …`: warnings a workflow or a job takes on on purpose.

use super::reader::Cx;
use super::tree::Node;
use crate::error::SpecError;
use crate::suggest;
use crate::warning::{Allowed, Warning};

/// Reads an `allow` node into `into`; repeated nodes add up.
pub fn parse(cx: &mut Cx, node: &Node, into: &mut Allowed) {
    cx.check_props(node, &[]);
    cx.no_children(node);
    let names: Vec<&str> = Warning::names().collect();
    for name in cx.strings(node, "the name of a warning, e.g. `\"unpinned-action\"`") {
        match Warning::from_name(&name.value) {
            Some(warning) => into.insert(warning),
            None => cx.error(SpecError::UnknownWarning {
                help: suggest::help(&name.value, &names),
                name: name.value,
                span: name.span,
            }),
        }
    }
}
