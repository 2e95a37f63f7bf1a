//! Leaf values shared by workflows, jobs and steps: maps, permissions,
//! concurrency, containers. They hold no identifiers, so the parser can build
//! them directly once their types are checked.

use serde::{Serialize, Serializer, ser::SerializeMap};

/// A scalar as written in the spec: `env` and `with` values keep their type.
#[derive(Clone, Debug, PartialEq)]
pub enum Scalar {
    /// A string, rendered as a YAML string whatever it looks like.
    String(String),
    /// An integer.
    Integer(i128),
    /// A float whose shortest form is the form written in the spec.
    Float(f64),
    /// `#true` or `#false`.
    Bool(bool),
}

impl Serialize for Scalar {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::String(v) => s.serialize_str(v),
            Self::Integer(v) => s.serialize_i128(*v),
            Self::Float(v) => s.serialize_f64(*v),
            Self::Bool(v) => s.serialize_bool(*v),
        }
    }
}

/// An ordered map: keys keep the order of the spec, and a repeated key
/// replaces the earlier value in place.
#[derive(Clone, Debug, PartialEq)]
pub struct Map<V>(Vec<(String, V)>);

impl<V> Default for Map<V> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<V> Map<V> {
    /// Sets `key`, keeping its first position when it is already present.
    pub fn insert(&mut self, key: String, value: V) {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.0.push((key, value)),
        }
    }

    /// Whether the map has no entries.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Entries in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &V)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Adds every entry of `other`, later entries winning.
    pub fn merge(&mut self, other: &Self)
    where
        V: Clone,
    {
        for (k, v) in &other.0 {
            self.insert(k.clone(), v.clone());
        }
    }
}

impl<V: Serialize> Serialize for Map<V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// `permissions`: a preset (`read-all`, `write-all`) or a map of scopes.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Permissions {
    /// `read-all` or `write-all`.
    Preset(String),
    /// `scope: read|write|none`; empty means `{}` (no permissions).
    Scopes(Map<String>),
}

/// `concurrency`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Concurrency {
    /// The group key, often an expression.
    pub group: String,
    /// `cancel-in-progress`: a boolean or an expression.
    pub cancel_in_progress: Option<Scalar>,
}

/// `defaults.run`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct RunDefaults {
    /// `shell`.
    pub shell: Option<String>,
    /// `working-directory`.
    pub working_directory: Option<String>,
}

/// A job `container`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Container {
    /// The image.
    pub image: String,
    /// `options` passed to the container engine.
    pub options: Option<String>,
    /// `env` inside the container.
    pub env: Map<Scalar>,
    /// `volumes`, `SOURCE:TARGET`.
    pub volumes: Vec<String>,
}

/// What a trigger listens to.
#[derive(Clone, Debug, PartialEq)]
pub struct Trigger {
    /// The event name, e.g. `push`.
    pub event: String,
    /// Filters such as `branches`, in spec order.
    pub filters: Map<Vec<String>>,
    /// Cron lines, for `schedule` only.
    pub cron: Vec<String>,
}
