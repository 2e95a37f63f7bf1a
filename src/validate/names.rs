//! Names checked against their rules ([`crate::model`]'s newtypes), and the
//! maps whose keys are such names.

use std::borrow::Borrow;

use super::Checker;
use crate::error::SpecError;
use crate::model::{InvalidName, Map};
use crate::parse::spec::{Properties, Spanned};

/// A name that breaks its rule is reported as "invalid KIND `NAME`: it …".
pub fn identifier<T>(
    cx: &mut Checker<'_>,
    kind: &'static str,
    value: &Spanned<String>,
    new: fn(&str) -> Result<T, InvalidName>,
) -> Option<T> {
    new(&value.value)
        .map_err(|InvalidName { reason, rule }| {
            cx.error(SpecError::InvalidName {
                kind,
                name: value.value.clone(),
                reason,
                span: value.span,
                help: rule.to_owned(),
            });
        })
        .ok()
}

/// A key that breaks its rule is reported as "invalid `WHAT`: `KEY` is not
/// a valid NOUN", at `span`.
pub fn key<T>(
    cx: &mut Checker<'_>,
    what: &str,
    noun: &str,
    key: &str,
    span: miette::SourceSpan,
    new: fn(&str) -> Result<T, InvalidName>,
) -> Option<T> {
    new(key)
        .map_err(|InvalidName { rule, .. }| {
            cx.error(SpecError::InvalidValue {
                what: what.to_owned(),
                problem: format!("`{key}` is not a valid {noun}"),
                span,
                help: Some(rule.to_owned()),
            });
        })
        .ok()
}

/// The properties of a map node as a [`Map`] with checked keys: a
/// repeated key keeps its first position and takes the last value.
pub fn map<K: Borrow<str>, V>(
    cx: &mut Checker<'_>,
    what: &str,
    noun: &str,
    properties: Properties<V>,
    new: fn(&str) -> Result<K, InvalidName>,
) -> Map<K, V> {
    let mut map = Map::default();
    for property in properties {
        if let Some(name) = key(cx, what, noun, &property.key.value, property.key.span, new) {
            map.insert(name, property.value.value);
        }
    }
    map
}
