//! Nodes that hold one leaf value: strings, labels, minutes, permissions,
//! concurrency, defaults and containers.

use super::tree::Node;

use super::reader::{Cx, Once, children, props};
use super::spec::{
    ConcurrencySpec, ContainerSpec, CredentialsSpec, RunDefaultsSpec, ServiceSpec, Spanned,
};
use crate::error::SpecError;
use crate::model::{Map, Minutes, Permissions, Scalar};

/// `NODE "text"`: one non-empty string argument.
pub fn string(cx: &mut Cx, node: &Node) -> Option<Spanned<String>> {
    cx.check_props(node, &[]);
    cx.no_children(node);
    let entry = cx.one_arg(node, "a string")?;
    cx.nonempty_string(node.name().value(), entry)
}

/// `NODE "text"` or `NODE #null`.
pub fn string_or_null(cx: &mut Cx, node: &Node) -> Option<Spanned<Option<String>>> {
    cx.check_props(node, &[]);
    cx.no_children(node);
    let entry = cx.one_arg(node, "a string or `#null`")?;
    if matches!(entry.value(), kdl::KdlValue::Null) {
        return Some(Spanned::new(None, super::reader::value_span(entry)));
    }
    cx.nonempty_string(node.name().value(), entry).map(|s| Spanned::new(Some(s.value), s.span))
}

/// `runs-on "LABEL" …`; repeated nodes append, a label given twice counts once.
pub fn append_labels(
    cx: &mut Cx,
    node: &Node,
    into: &mut Option<Spanned<Vec<Spanned<String>>>>,
    group: &mut Option<Spanned<String>>,
) {
    cx.check_props(node, &["group"]);
    cx.no_children(node);
    for (_, entry) in props(node) {
        *group = cx.nonempty_string("runs-on.group", entry);
    }
    // A group alone picks any runner of the group.
    if group.is_some() && super::reader::args(node).next().is_none() {
        return;
    }
    let labels = cx.strings(node, "at least one runner label");
    if !labels.is_empty() {
        let all = into.get_or_insert_with(|| Spanned::new(Vec::new(), node.name().span()));
        for label in labels {
            if !all.value.iter().any(|l| l.value == label.value) {
                all.value.push(label);
            }
        }
    }
}

/// `timeout-minutes N` or `timeout-minutes "${{ … }}"`.
pub fn minutes(cx: &mut Cx, node: &Node) -> Option<Spanned<Minutes>> {
    cx.check_props(node, &[]);
    cx.no_children(node);
    let entry = cx.one_arg(node, "a number of minutes")?;
    cx.spanned(entry, |cx, e| cx.minutes(e))
}

/// `NODE #true` or `NODE #false`.
pub fn flag(cx: &mut Cx, node: &Node) -> Option<Spanned<bool>> {
    cx.check_props(node, &[]);
    cx.no_children(node);
    let entry = cx.one_arg(node, "`#true` or `#false`")?;
    cx.spanned(entry, |cx, e| cx.boolean(node.name().value(), e))
}

/// `NODE #true` or `NODE "${{ expression }}"`.
pub fn flag_or_expression(cx: &mut Cx, node: &Node) -> Option<Spanned<Scalar>> {
    cx.check_props(node, &[]);
    cx.no_children(node);
    let entry = cx.one_arg(node, "`#true`, `#false` or an expression")?;
    cx.spanned(entry, |cx, e| cx.boolean_or_expression(node.name().value(), e))
}

pub(crate) const SCOPES: &[&str] = &[
    "actions",
    "artifact-metadata",
    "attestations",
    "checks",
    "code-quality",
    "contents",
    "deployments",
    "discussions",
    "id-token",
    "issues",
    "models",
    "packages",
    "pages",
    "pull-requests",
    "repository-projects",
    "security-events",
    "statuses",
];
const LEVELS: [(&str, &str); 3] = [("read", "read"), ("write", "write"), ("none", "none")];
const PRESETS: [(&str, &str); 3] =
    [("read-all", "read-all"), ("write-all", "write-all"), ("default", "default")];

/// `permissions` nodes: scopes of repeated nodes merge; a preset stands alone.
pub fn merge_permissions(cx: &mut Cx, node: &Node, into: &mut Option<Spanned<Permissions>>) {
    let Some(new) = permissions(cx, node) else { return };
    *into = match (into.take(), new) {
        (None, new) => Some(Spanned::new(new, node.name().span())),
        (
            Some(Spanned { value: Permissions::Scopes(mut old), span }),
            Permissions::Scopes(more),
        ) => {
            old.merge(&more);
            Some(Spanned::new(Permissions::Scopes(old), span))
        }
        (Some(old), _) => {
            cx.error(SpecError::InvalidValue {
                what: "permissions".to_owned(),
                problem:
                    "a preset (`read-all`, `write-all`, `default`) cannot be combined with other permissions"
                        .to_owned(),
                span: node.name().span(),
                help: Some("keep the preset, or list every scope".to_owned()),
            });
            Some(old)
        }
    };
}

/// `permissions "read-all"`, `permissions contents="read" …`, or a bare
/// `permissions` for none at all.
fn permissions(cx: &mut Cx, node: &Node) -> Option<Permissions> {
    cx.no_children(node);
    let mut positional = super::reader::args(node);
    if let Some(entry) = positional.next() {
        for extra in positional {
            cx.error(SpecError::UnexpectedArgument {
                node: "permissions".to_owned(),
                takes: "one preset or `scope=\"level\"` properties",
                span: extra.span(),
            });
        }
        cx.check_props(node, &[]);
        let preset = cx.choice("permissions", entry, &PRESETS)?;
        if preset == "default" {
            return Some(Permissions::Default);
        }
        return Some(Permissions::Preset(preset.to_owned()));
    }
    cx.check_props(node, SCOPES);
    let mut scopes = Map::default();
    for (key, entry) in props(node) {
        if SCOPES.contains(&key)
            && let Some(level) = cx.choice(&format!("permissions.{key}"), entry, &LEVELS)
        {
            scopes.insert(key.to_owned(), level.to_owned());
        }
    }
    Some(Permissions::Scopes(scopes))
}

/// `concurrency group="…" cancel-in-progress=#true`.
pub fn concurrency(cx: &mut Cx, node: &Node) -> Option<Spanned<ConcurrencySpec>> {
    cx.no_args(node, "properties only: `group=\"…\" cancel-in-progress=#true`");
    cx.no_children(node);
    cx.check_props(node, &["group", "cancel-in-progress"]);
    let mut group = None;
    let mut cancel = None;
    for (key, entry) in props(node) {
        match key {
            "group" => group = cx.nonempty_string("concurrency.group", entry),
            "cancel-in-progress" => {
                cancel =
                    cx.spanned(entry, |cx, e| cx.boolean_or_expression("cancel-in-progress", e));
            }
            _ => {}
        }
    }
    let Some(group) = group else {
        if !props(node).any(|(k, _)| k == "group") {
            cx.error(SpecError::MissingValue {
                node: "concurrency".to_owned(),
                what: "a `group`".to_owned(),
                span: node.name().span(),
                help: Some("e.g. `concurrency group=\"ci-${{ github.ref }}\"`".to_owned()),
            });
        }
        return None;
    };
    Some(Spanned::new(ConcurrencySpec { group, cancel_in_progress: cancel }, node.name().span()))
}

/// `defaults { run shell="bash" working-directory="…" }`.
pub fn defaults(cx: &mut Cx, node: &Node) -> Option<Spanned<RunDefaultsSpec>> {
    cx.no_args(node, "no arguments, only a `run` child");
    cx.check_props(node, &[]);
    cx.require_children(node, "a `run` child", "defaults { run shell=\"bash\" }");
    let mut run = None;
    if let Some(child) = cx.only_child(node, "run", "in `defaults`") {
        cx.no_args(child, "properties only: `shell=\"…\" working-directory=\"…\"`");
        cx.no_children(child);
        cx.check_props(child, &["shell", "working-directory"]);
        let mut defaults = RunDefaultsSpec::default();
        if props(child).next().is_none() {
            cx.error(SpecError::MissingValue {
                node: "run".to_owned(),
                what: "`shell` or `working-directory`".to_owned(),
                span: child.name().span(),
                help: Some("for example: `defaults { run shell=\"bash\" }`".to_owned()),
            });
        }
        for (key, entry) in props(child) {
            match key {
                "shell" => defaults.shell = cx.nonempty_string("shell", entry),
                "working-directory" => {
                    defaults.working_directory = cx.nonempty_string("working-directory", entry);
                }
                _ => {}
            }
        }
        run = Some(Spanned::new(defaults, node.name().span()));
    }
    run
}

pub(crate) const CONTAINER_CHILDREN: &[&str] = &["env", "volumes", "options", "credentials"];

/// `credentials username="…" password="…"`.
fn credentials(cx: &mut Cx, node: &Node) -> Option<Spanned<CredentialsSpec>> {
    cx.no_args(node, "properties only: `credentials username=\"…\" password=\"${{ secrets.… }}\"`");
    cx.no_children(node);
    cx.check_props(node, &["username", "password"]);
    let (mut username, mut password) = (None, None);
    for (key, entry) in props(node) {
        match key {
            "username" => username = cx.nonempty_string("credentials.username", entry),
            "password" => password = cx.nonempty_string("credentials.password", entry),
            _ => {}
        }
    }
    for (field, value) in [("username", username.is_some()), ("password", password.is_some())] {
        if !value && props(node).all(|(k, _)| k != field) {
            cx.error(SpecError::MissingValue {
                node: "credentials".to_owned(),
                what: format!("`{field}`"),
                span: node.name().span(),
                help: Some(
                    "for example: `credentials username=\"${{ github.actor }}\" password=\"${{ secrets.REGISTRY_TOKEN }}\"`"
                        .to_owned(),
                ),
            });
        }
    }
    Some(Spanned::new(
        CredentialsSpec { username: username?, password: password? },
        node.name().span(),
    ))
}

/// `container "IMAGE" options="…" { env …; volumes … }`.
pub fn container(cx: &mut Cx, node: &Node) -> Option<Spanned<ContainerSpec>> {
    cx.check_props(node, &["options"]);
    let image = cx.one_arg(node, "an image").and_then(|e| cx.nonempty_string("container", e));
    let mut options = None;
    for (key, entry) in props(node) {
        if key == "options" {
            options = cx.nonempty_string("options", entry);
        }
    }
    let mut env = Vec::new();
    let mut volumes = Vec::new();
    let mut credentials = None;
    for child in children(node) {
        match child.name().value() {
            "env" => env.extend(cx.properties(child)),
            "credentials" => credentials = self::credentials(cx, child),
            "volumes" => {
                cx.check_props(child, &[]);
                cx.no_children(child);
                volumes.extend(cx.strings(child, "at least one volume"));
            }
            "options" => options = string(cx, child),
            _ => cx.unknown_node(child, "in `container`", CONTAINER_CHILDREN),
        }
    }
    let container = ContainerSpec { image: image?, options, env, volumes, credentials };
    Some(Spanned::new(container, node.name().span()))
}

pub(crate) const SERVICE_CHILDREN: &[&str] =
    &["env", "ports", "volumes", "options", "credentials", "cmd"];

/// `services { NAME "IMAGE" { env …; ports …; volumes …; options "…" } }`.
pub fn services(cx: &mut Cx, node: &Node) -> Spanned<Vec<ServiceSpec>> {
    cx.no_args(node, "no arguments; services go in its block: `services { db \"postgres:16\" }`");
    cx.check_props(node, &[]);
    let mut services = Vec::new();
    let mut once = Once::default();
    cx.require_children(node, "at least one service", "services { postgres \"postgres:16\" }");
    for child in children(node) {
        let name = child.name().value();
        if !once.first(cx, child) {
            continue;
        }
        cx.check_props(child, &["options"]);
        let mut positional = super::reader::args(child);
        let image = positional.next();
        for extra in positional {
            cx.error(SpecError::UnexpectedArgument {
                node: name.to_owned(),
                takes: "one image",
                span: extra.span(),
            });
        }
        let image = match image {
            Some(entry) => cx.nonempty_string(name, entry),
            None => {
                cx.error(SpecError::MissingValue {
                    node: name.to_owned(),
                    what: "an image".to_owned(),
                    span: child.name().span(),
                    help: Some(format!("for example: `{name} \"postgres:16\"`")),
                });
                None
            }
        };
        let mut options = None;
        for (key, entry) in props(child) {
            if key == "options" {
                options = cx.nonempty_string("options", entry);
            }
        }
        let mut env = Vec::new();
        let mut credentials = None;
        let mut cmd: Option<Spanned<Vec<Spanned<String>>>> = None;
        let mut ports: Option<Spanned<Vec<Spanned<String>>>> = None;
        let mut volumes: Option<Spanned<Vec<Spanned<String>>>> = None;
        for setting in children(child) {
            match setting.name().value() {
                "env" => env.extend(cx.properties(setting)),
                "credentials" => credentials = self::credentials(cx, setting),
                "cmd" => {
                    cx.check_props(setting, &[]);
                    cx.no_children(setting);
                    let words = cx.strings(setting, "the command and its arguments");
                    cmd = Some(Spanned::new(words, setting.name().span()));
                }
                "ports" | "volumes" => {
                    cx.check_props(setting, &[]);
                    cx.no_children(setting);
                    let values = cx.strings(setting, "at least one value");
                    let list =
                        if setting.name().value() == "ports" { &mut ports } else { &mut volumes };
                    list.get_or_insert_with(|| Spanned::new(Vec::new(), setting.name().span()))
                        .value
                        .extend(values);
                }
                "options" => options = string(cx, setting),
                _ => cx.unknown_node(setting, "in a service", SERVICE_CHILDREN),
            }
        }
        if let Some(image) = image {
            let name = Spanned::new(name.to_owned(), child.name().span());
            services.push(ServiceSpec {
                name,
                image,
                env,
                ports,
                volumes,
                options,
                credentials,
                cmd,
            });
        }
    }
    Spanned::new(services, node.name().span())
}
