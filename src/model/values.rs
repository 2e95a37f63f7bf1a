//! Leaf values shared by workflows, jobs and steps: maps, permissions,
//! concurrency, containers. They hold no identifiers, so the parser can build
//! them directly once their types are checked.

use std::borrow::Borrow;

use serde::{Serialize, Serializer, ser::SerializeMap};

use super::{AxisName, ContainerEnvName, InputName, SecretName, ServiceName};

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
    /// `#null`.
    Null,
}

impl std::fmt::Display for Scalar {
    /// The value as a string: what an expression or a name built from it reads.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::String(v) => f.write_str(v),
            Self::Integer(v) => write!(f, "{v}"),
            Self::Float(v) => write!(f, "{v}"),
            Self::Bool(v) => write!(f, "{v}"),
            Self::Null => Ok(()),
        }
    }
}

impl Serialize for Scalar {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::String(v) => s.serialize_str(v),
            Self::Integer(v) => s.serialize_i128(*v),
            Self::Float(v) => s.serialize_f64(*v),
            Self::Bool(v) => s.serialize_bool(*v),
            Self::Null => s.serialize_none(),
        }
    }
}

/// A value of any shape: a scalar, a list or a map, as a matrix value or
/// an `include` value may be.
#[derive(Clone, Debug, PartialEq)]
pub enum Data {
    /// A scalar.
    Scalar(Scalar),
    /// A list.
    List(Vec<Data>),
    /// A map, keys in the order written.
    Map(Map<String, Data>),
}

impl Data {
    /// The scalar, when the value is one.
    pub fn as_scalar(&self) -> Option<&Scalar> {
        match self {
            Self::Scalar(scalar) => Some(scalar),
            _ => None,
        }
    }
}

impl Serialize for Data {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Scalar(scalar) => scalar.serialize(s),
            Self::List(items) => items.serialize(s),
            Self::Map(map) => map.serialize(s),
        }
    }
}

/// An ordered map: keys keep the order of the spec, and a repeated key
/// replaces the earlier value in place. Keys are checked names (such as
/// [`EnvName`](super::EnvName)) or fixed words.
#[derive(Clone, Debug, PartialEq)]
pub struct Map<K, V>(Vec<(K, V)>);

impl<K, V> Default for Map<K, V> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<K: Borrow<str>, V> Map<K, V> {
    /// Sets `key`, keeping its first position when it is already present.
    pub fn insert(&mut self, key: K, value: V) {
        match self.0.iter_mut().find(|(k, _)| k.borrow() == key.borrow()) {
            Some(slot) => slot.1 = value,
            None => self.0.push((key, value)),
        }
    }

    /// Whether the map has no entries.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Entries in order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// The keys in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.borrow())
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&V> {
        self.0.iter().find(|(k, _)| k.borrow() == key).map(|(_, v)| v)
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Adds every entry of `other`, later entries winning.
    pub fn merge(&mut self, other: &Self)
    where
        K: Clone,
        V: Clone,
    {
        for (k, v) in &other.0 {
            self.insert(k.clone(), v.clone());
        }
    }
}

impl<K: Serialize, V: Serialize> Serialize for Map<K, V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// `permissions`: a preset (`read-all`, `write-all`), a map of scopes, or
/// the forge's default.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Permissions {
    /// `permissions "default"`: no `permissions` key, so the token gets the
    /// repository's (or organisation's) default permissions.
    Default,
    /// `read-all` or `write-all`.
    Preset(String),
    /// `scope: read|write|none`; empty means `{}` (no permissions).
    Scopes(Map<String, String>),
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

/// `runs-on`: the labels a runner must have, and the group it must be in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunsOn {
    /// Every label the runner needs; none with a group picks any runner of
    /// the group.
    pub labels: Vec<String>,
    /// A runner group (GitHub).
    pub group: Option<String>,
}

/// `timeout-minutes`: a number of minutes, or an expression that yields one
/// when the run starts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Minutes {
    /// 1 to 10,080.
    Fixed(u32),
    /// `${{ … }}`.
    Expression(String),
}

/// A job `container`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Container {
    /// The image.
    pub image: String,
    /// `options` passed to the container engine.
    pub options: Option<String>,
    /// `env` inside the container.
    pub env: Map<ContainerEnvName, Scalar>,
    /// `volumes`, `SOURCE:TARGET`.
    pub volumes: Vec<String>,
    /// The registry login that pulls the image.
    pub credentials: Option<Credentials>,
}

/// A registry login: `credentials username="…" password="${{ secrets.… }}"`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Credentials {
    /// The user name.
    pub username: String,
    /// The password: an expression that reads a secret.
    pub password: String,
}

/// What a trigger listens to.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Trigger {
    /// The event name, e.g. `push`.
    pub event: String,
    /// Filters such as `branches`, in spec order.
    pub filters: Map<String, Vec<String>>,
    /// Cron lines, for `schedule` only.
    pub cron: Vec<String>,
    /// `inputs` of `workflow_dispatch` and `workflow_call`.
    pub inputs: Vec<Input>,
    /// `secrets` of `workflow_call`.
    pub secrets: Vec<TriggerSecret>,
    /// `outputs` of `workflow_call`.
    pub outputs: Vec<TriggerOutput>,
}

/// An input of a manually run or called workflow.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Input {
    /// The input name.
    pub name: InputName,
    /// `description`.
    pub description: Option<String>,
    /// `required`.
    pub required: Option<bool>,
    /// `type`: `string`, `boolean`, `number`, and for dispatch `choice` or `environment`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// `default`.
    pub default: Option<Scalar>,
    /// `options` of a `choice`.
    pub options: Vec<String>,
}

/// A secret a called workflow takes.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TriggerSecret {
    /// The secret name.
    pub name: SecretName,
    /// `description`.
    pub description: Option<String>,
    /// `required`.
    pub required: Option<bool>,
}

/// An output a called workflow gives back.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TriggerOutput {
    /// The output name.
    pub name: InputName,
    /// `description`.
    pub description: Option<String>,
    /// `value`, usually `${{ jobs.JOB.outputs.NAME }}`.
    pub value: String,
}

/// A deployment environment.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Environment {
    /// The environment name.
    pub name: String,
    /// `url`.
    pub url: Option<String>,
}

/// A service container.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Service {
    /// The service name, which is also its host name.
    pub name: ServiceName,
    /// The image.
    pub image: String,
    /// `env`.
    pub env: Map<ContainerEnvName, Scalar>,
    /// `ports`, `HOST:CONTAINER`.
    pub ports: Vec<String>,
    /// `volumes`.
    pub volumes: Vec<String>,
    /// `options`.
    pub options: Option<String>,
    /// The registry login that pulls the image.
    pub credentials: Option<Credentials>,
    /// The command the container runs instead of its image's (Forgejo).
    pub cmd: Vec<String>,
}

/// `strategy`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Strategy {
    /// `matrix`.
    pub matrix: Option<Matrix>,
    /// `fail-fast`.
    pub fail_fast: Option<bool>,
    /// `max-parallel`.
    pub max_parallel: Option<u32>,
}

/// `strategy.matrix`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Matrix {
    /// `matrix "${{ … }}"`: the whole matrix computed from an expression;
    /// then it has no axes and no entries.
    pub expression: Option<String>,
    /// Axes and their values, in spec order.
    pub axes: Map<AxisName, Axis>,
    /// `include` entries.
    pub include: Vec<Map<AxisName, Data>>,
    /// `exclude` entries.
    pub exclude: Vec<Map<AxisName, Data>>,
}

/// The values of one matrix axis.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Axis {
    /// Listed values.
    Values(Vec<Data>),
    /// `AXIS expression="${{ … }}"`: values computed from an expression.
    Expression(String),
}

impl Axis {
    /// The listed values; none for an expression.
    pub fn values(&self) -> &[Data] {
        match self {
            Self::Values(values) => values,
            Self::Expression(_) => &[],
        }
    }
}

impl Matrix {
    /// Whether each leg can be named by its axis values: the matrix has
    /// axes, and every value is a scalar known before the run. Other
    /// matrices number their legs (`strategy.job-index`).
    pub fn names_legs(&self) -> bool {
        !self.axes.is_empty() && self.is_static()
    }

    /// Whether every leg's values are known before the run: no expression,
    /// and only scalar values.
    pub fn is_static(&self) -> bool {
        self.expression.is_none()
            && self.axes.iter().all(|(_, axis)| match axis {
                Axis::Values(values) => values.iter().all(|v| v.as_scalar().is_some()),
                Axis::Expression(_) => false,
            })
            && self
                .include
                .iter()
                .chain(&self.exclude)
                .all(|e| e.iter().all(|(_, v)| v.as_scalar().is_some()))
    }
}

/// A call to a reusable workflow.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Call {
    /// `./.forgejo/workflows/x.yml` or `OWNER/REPO/.github/workflows/x.yml@REF`.
    pub uses: String,
    /// `with` inputs.
    pub with: Map<InputName, Scalar>,
    /// `secrets`.
    pub secrets: Secrets,
}

impl Call {
    /// The folders forges read workflows from, and so call reusable
    /// workflows from: GitHub's, Forgejo's and Gitea's.
    pub const FOLDERS: [&'static str; 3] =
        [".github/workflows/", ".forgejo/workflows/", ".gitea/workflows/"];

    /// Whether `reference` (a `uses` value) names a workflow file rather
    /// than an action: a `.yml` or `.yaml` file in one of [`Call::FOLDERS`].
    pub fn is_workflow_reference(reference: &str) -> bool {
        let path = reference.split_once('@').map_or(reference, |(path, _)| path);
        let in_folder = Self::FOLDERS.iter().any(|folder| path.contains(folder));
        in_folder && (path.ends_with(".yml") || path.ends_with(".yaml"))
    }
}

/// What secrets a reusable workflow call passes.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Secrets {
    /// None.
    #[default]
    None,
    /// `secrets: inherit`.
    Inherit,
    /// Named secrets.
    Named(Map<SecretName, String>),
}
