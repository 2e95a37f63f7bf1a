//! One workflow file → one `workflow` node of the spec.
//!
//! Every key the language has is written as its node; every key it does not
//! have is refused where it stands, all of them at once. Two things become
//! idiomatic when cigen's plumbing says exactly the same: a first checkout
//! step becomes the automatic checkout, and an upload in one job with
//! downloads of it in others becomes an `artifact` edge (see [`super::edges`]).
//! Whether the result is exact is not decided here: the import compiles the
//! spec again and compares (see [`super`]).

use miette::SourceSpan;

use super::edges::Edges;
use super::error::ImportError;
use super::kdl::{Node as Kdl, Value};
use super::yaml::{Kind, Node, Value as Yaml};
use crate::model::{ContainerEnvName, EnvName, InputName, ServiceName, StepId};
use crate::parse::EVENTS;
use crate::target::Target;

/// What one file became.
pub struct Converted {
    /// The `workflow` node.
    pub workflow: Kdl,
}

/// Converts the workflow file `root` for `target`.
pub struct Converter<'a> {
    /// Mistakes found, in the order of the file.
    pub errors: Vec<ImportError>,
    /// The comments of the file, by the line they stand on.
    comments: &'a [(usize, String)],
    /// The byte offset of each line start, to find comments above a node.
    lines: Vec<usize>,
    target: Target,
    /// Whether the first checkout step may become the automatic checkout.
    pub idiomatic_checkout: bool,
    /// How many of the file's comments were written into the spec.
    pub carried: usize,
    /// How many jobs got the automatic checkout.
    pub checkouts: usize,
}

/// The help line of a key the language does not have.
const NO_KEY: &str =
    "cigen's language has no such setting yet; keep this workflow as it is, or drop the key";

impl<'a> Converter<'a> {
    /// A converter for the file `text`.
    pub fn new(text: &str, target: Target, comments: &'a [(usize, String)]) -> Self {
        let mut lines = vec![0];
        lines.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self {
            errors: Vec::new(),
            comments,
            lines,
            target,
            idiomatic_checkout: true,
            carried: 0,
            checkouts: 0,
        }
    }

    fn refuse(&mut self, construct: impl Into<String>, span: SourceSpan, help: impl Into<String>) {
        let construct = construct.into();
        self.errors.push(ImportError::Unsupported {
            label: format!("{construct} is not in the language"),
            construct,
            span,
            help: help.into(),
        });
    }

    /// Refuses `key` (an entry's key node) as a key the language lacks.
    fn unknown(&mut self, key: &Node, place: &str) {
        let name = key.key_str().unwrap_or("?");
        self.refuse(format!("`{name}` {place}"), key.span, NO_KEY);
    }

    /// The line a byte offset stands on.
    fn line_of(&self, offset: usize) -> usize {
        self.lines.partition_point(|&start| start <= offset).saturating_sub(1)
    }

    /// The full-line comments right above the node at `span`.
    fn comments_above(&mut self, span: SourceSpan) -> Vec<String> {
        let line = self.line_of(span.offset());
        let mut found = Vec::new();
        let mut at = line;
        while at > 0 {
            at -= 1;
            match self.comments.iter().find(|(l, _)| *l == at) {
                Some((_, text)) => found.push(text.clone()),
                None => break,
            }
        }
        found.reverse();
        self.carried += found.len();
        found
    }

    /// The comments above the first key of the file, however far above.
    fn leading_comments(&mut self, root: &Node) -> Vec<String> {
        let Some(first) = root.entries().first() else { return Vec::new() };
        let line = self.line_of(first.key.span.offset());
        let above: Vec<&(usize, String)> =
            self.comments.iter().filter(|(l, _)| *l < line).collect();
        self.carried += above.len();
        // A file cigen generated names its spec in its header: not worth keeping.
        above
            .into_iter()
            .map(|(_, t)| t.clone())
            .filter(|t| !crate::output::header::is_header_line(t))
            .collect()
    }

    /// The workflow node of `root`, named `id`, written to `file` when that
    /// is not the target's default.
    pub fn workflow(
        &mut self,
        root: &Node,
        id: &str,
        file: Option<&str>,
        edges: &Edges,
    ) -> Converted {
        let mut workflow = Kdl::new("workflow").arg(id);
        workflow.comments = self.leading_comments(root);
        workflow.children = Some(Vec::new());
        if self.target != Target::DEFAULT {
            workflow.push(Kdl::new("target").arg(self.target.name()));
        }
        if let Some(file) = file {
            workflow.push(Kdl::new("file").arg(file));
        }
        let mut jobs = None;
        let mut raw = None;
        for entry in root.entries() {
            let key = entry.key.key_str().unwrap_or_default();
            let value = &entry.value;
            match key {
                "name" => {
                    if let Some(name) = self.string(value, "a workflow's `name`") {
                        workflow.push(Kdl::new("name").arg(name));
                    }
                }
                "run-name" => {
                    if let Some(name) = self.string(value, "a `run-name`") {
                        workflow.push(Kdl::new("run-name").arg(name));
                    }
                }
                "enable-email-notifications" if self.target != Target::Github => {
                    match &value.kind {
                        Kind::Scalar(s) if matches!(s.value, Yaml::Bool(_)) => {
                            let Yaml::Bool(b) = s.value else { continue };
                            workflow.push(Kdl::new("enable-email-notifications").arg(b));
                        }
                        _ => self.refuse(
                            "`enable-email-notifications` that is not a boolean",
                            value.span,
                            "write `true` or `false`",
                        ),
                    }
                }
                "on" => workflow.push(self.on(value)),
                "permissions" => workflow.extend_opt(self.permissions(value)),
                "env" => workflow.extend_opt(self.env("env", value)),
                "defaults" => workflow.extend_opt(self.defaults(value)),
                "concurrency" => workflow.extend_opt(self.concurrency(value)),
                "jobs" => jobs = Some(value),
                _ => self.raw(entry, &mut raw),
            }
        }
        workflow.extend_opt(raw);
        if root.get("name").is_none() {
            // cigen names a workflow after its id unless told not to.
            let position =
                usize::from(self.target != Target::DEFAULT) + usize::from(file.is_some());
            if let Some(children) = workflow.children.as_mut() {
                children.insert(position.min(children.len()), Kdl::new("name").arg(Value::Null));
            }
        }
        if self.target == Target::Github && root.get("permissions").is_none() {
            // cigen would write `contents: read`; the file leaves them to the forge.
            workflow.push(Kdl::new("permissions").arg("default"));
        }
        match jobs {
            Some(jobs) if !jobs.entries().is_empty() => {
                for entry in jobs.entries() {
                    let Some(id) = entry.key.key_str() else { continue };
                    let mut job = self.job(id, &entry.value, edges);
                    job.comments = self.comments_above(entry.key.span);
                    workflow.push(job);
                }
            }
            _ => {}
        }
        for artifact in edges.nodes() {
            workflow.push(artifact);
        }
        self.job_defaults(&mut workflow);
        Converted { workflow }
    }

    /// Moves `runs-on`, `timeout-minutes` and `container` to the workflow
    /// when every job that runs steps gives the same one (a workflow's
    /// `runs-on` equal to the target's default runner is left out).
    fn job_defaults(&self, workflow: &mut Kdl) {
        let Some(children) = workflow.children.as_mut() else { return };
        let runs_steps = |node: &Kdl| {
            node.name == "job"
                && !node.children.iter().flatten().any(|c| c.name == "uses" && is_call(c))
        };
        let jobs: Vec<usize> = (0..children.len()).filter(|&i| runs_steps(&children[i])).collect();
        if jobs.is_empty() {
            return;
        }
        let first_job = children.iter().position(|c| c.name == "job").unwrap_or(children.len());
        let mut hoisted = Vec::new();
        for setting in ["runs-on", "timeout-minutes", "container"] {
            let of = |job: &Kdl| job.children.iter().flatten().find(|c| c.name == setting).cloned();
            let Some(first) = of(&children[jobs[0]]) else { continue };
            if !jobs.iter().all(|&i| of(&children[i]).as_ref() == Some(&first)) {
                continue;
            }
            for &i in &jobs {
                if let Some(kids) = children[i].children.as_mut() {
                    kids.retain(|c| c.name != setting);
                }
            }
            let default_runner = match self.target.row().lowering {
                crate::target::Lowering::Actions(platform) => Some(platform.default_runner),
                crate::target::Lowering::Gitlab => None,
            };
            let is_default = setting == "runs-on"
                && first.props.is_empty()
                && matches!(first.args.as_slice(), [Value::String(label)] if Some(label.as_str()) == default_runner);
            if !is_default {
                hoisted.push(first);
            }
        }
        for (offset, node) in hoisted.into_iter().enumerate() {
            children.insert(first_job + offset, node);
        }
    }

    /// A string scalar, or a refusal naming `what`.
    fn string(&mut self, node: &Node, what: &str) -> Option<String> {
        match node.as_str() {
            Some(text) => Some(text.to_owned()),
            None => {
                self.refuse(
                    format!("{what} that is not a string"),
                    node.span,
                    "cigen writes this value as a string; quote it in the file to import it",
                );
                None
            }
        }
    }

    /// A list of strings: a sequence, or one string.
    fn strings(&mut self, node: &Node, what: &str) -> Vec<String> {
        match &node.kind {
            Kind::Seq(items) => items.iter().filter_map(|i| self.string(i, what)).collect(),
            _ => self.string(node, what).into_iter().collect(),
        }
    }

    /// A scalar for `env`, `with` and the like.
    fn scalar(&mut self, node: &Node, what: &str) -> Option<Value> {
        match &node.kind {
            Kind::Scalar(scalar) => match &scalar.value {
                Yaml::String(s) => Some(Value::String(s.clone())),
                Yaml::Int(n) => Some(Value::Int(*n)),
                Yaml::Bool(b) => Some(Value::Bool(*b)),
                Yaml::Float(f) if f.is_finite() && f.to_string().contains('.') => {
                    Some(Value::Float(f.to_string()))
                }
                Yaml::Float(_) => {
                    self.refuse(
                        format!("{what} of `{}`", scalar.text),
                        node.span,
                        "cigen writes numbers in their shortest form; quote the value to keep it as written",
                    );
                    None
                }
                Yaml::Null => Some(Value::Null),
            },
            _ => {
                self.refuse(
                    format!("{what} that is a list or a map"),
                    node.span,
                    "cigen takes a string, a number or a boolean here",
                );
                None
            }
        }
    }

    /// `KEY=value` properties from a map, each key checked by `valid`.
    fn properties(
        &mut self,
        node: &Node,
        what: &str,
        valid: fn(&str) -> bool,
    ) -> Vec<(String, Value)> {
        let mut found = Vec::new();
        if !matches!(node.kind, Kind::Map(_)) {
            if !matches!(&node.kind, Kind::Scalar(s) if s.value == Yaml::Null) {
                self.refuse(format!("`{what}` that is not a map"), node.span, "write it as a map");
            }
            return found;
        }
        for entry in node.entries() {
            let Some(key) = entry.key.key_str() else { continue };
            if !valid(key) {
                self.refuse(
                    format!("the name `{key}` in `{what}`"),
                    entry.key.span,
                    "cigen's names hold letters, digits, `_` (and `-` where the forge allows it)",
                );
                continue;
            }
            if let Some(value) = self.scalar(&entry.value, &format!("`{what}.{key}`")) {
                found.push((key.to_owned(), value));
            }
        }
        found
    }

    /// `env` as a node, or nothing for an empty map.
    fn env(&mut self, name: &str, node: &Node) -> Option<Kdl> {
        self.env_of(name, node, |k| EnvName::new(k).is_ok())
    }

    /// A container's or a service's `env`, which may name `discovery.type`.
    fn container_env(&mut self, node: &Node) -> Option<Kdl> {
        self.env_of("env", node, |k| ContainerEnvName::new(k).is_ok())
    }

    fn env_of(&mut self, name: &str, node: &Node, valid: fn(&str) -> bool) -> Option<Kdl> {
        let props = self.properties(node, name, valid);
        (!props.is_empty()).then(|| {
            let mut env = Kdl::new(name);
            env.props = props;
            env
        })
    }

    fn on(&mut self, node: &Node) -> Kdl {
        let mut on = Kdl::new("on");
        on.children = Some(Vec::new());
        match &node.kind {
            Kind::Scalar(_) => {
                if let Some(event) = self.string(node, "an event") {
                    on.push(self.event(&event, None, node.span));
                }
            }
            Kind::Seq(items) => {
                for item in items {
                    if let Some(event) = self.string(item, "an event") {
                        on.push(self.event(&event, None, item.span));
                    }
                }
            }
            Kind::Map(entries) => {
                for entry in entries {
                    let Some(event) = entry.key.key_str() else { continue };
                    on.push(self.event(event, Some(&entry.value), entry.key.span));
                }
            }
        }
        on
    }

    fn event(&mut self, event: &str, value: Option<&Node>, span: SourceSpan) -> Kdl {
        let mut node = Kdl::new(event);
        if !EVENTS.contains(&event) {
            self.refuse(
                format!("the event `{event}`"),
                span,
                "cigen knows the events of GitHub's and Forgejo's documentation",
            );
            return node;
        }
        let Some(value) = value else { return node };
        if let Kind::Scalar(s) = &value.kind
            && s.value == Yaml::Null
        {
            return node;
        }
        match event {
            "schedule" => {
                for item in value.items() {
                    match item.get("cron") {
                        Some(cron) if item.entries().len() == 1 => {
                            if let Some(cron) = self.string(cron, "a cron line") {
                                node.args.push(Value::String(cron));
                            }
                        }
                        _ => self.refuse("a schedule entry other than `cron`", item.span, NO_KEY),
                    }
                }
                if !matches!(value.kind, Kind::Seq(_)) {
                    self.refuse(
                        "a schedule that is not a list",
                        value.span,
                        "write `- cron: \"…\"` entries",
                    );
                }
            }
            "workflow_dispatch" | "workflow_call" => {
                for entry in value.entries() {
                    match entry.key.key_str().unwrap_or_default() {
                        "inputs" => {
                            for input in entry.value.entries() {
                                node.push(self.input(input, event == "workflow_call"));
                            }
                        }
                        "secrets" if event == "workflow_call" => {
                            for secret in entry.value.entries() {
                                node.push(self.trigger_secret(secret));
                            }
                        }
                        "outputs" if event == "workflow_call" => {
                            for output in entry.value.entries() {
                                node.push(self.trigger_output(output));
                            }
                        }
                        filter @ ("branches" | "branches-ignore" | "tags" | "tags-ignore"
                        | "paths" | "paths-ignore") => self.refuse(
                            format!("`{filter}` in `{event}`"),
                            entry.key.span,
                            format!(
                                "`{event}` has no filters: the forge ignores `{filter}` here and \
                                 starts the workflow on any branch; drop it"
                            ),
                        ),
                        _ => self.unknown(&entry.key, &format!("in `{event}`")),
                    }
                }
            }
            _ => {
                for entry in value.entries() {
                    let Some(filter) = entry.key.key_str() else { continue };
                    if !crate::parse::vocabulary::FILTERS.contains(&filter) {
                        self.unknown(&entry.key, &format!("in `{event}`"));
                        continue;
                    }
                    let values = self.strings(&entry.value, "a filter pattern");
                    if values.is_empty() {
                        self.refuse(
                            format!("an empty `{filter}`"),
                            entry.key.span,
                            "list at least one pattern, or leave the filter out",
                        );
                        continue;
                    }
                    let mut child = Kdl::new(filter);
                    child.args = values.into_iter().map(Value::String).collect();
                    node.push(child);
                }
                if !matches!(value.kind, Kind::Map(_)) {
                    self.refuse(
                        format!("`{event}` that is not a map"),
                        value.span,
                        "write its filters as a map",
                    );
                }
            }
        }
        node
    }

    fn input(&mut self, entry: &super::yaml::Entry, call: bool) -> Kdl {
        let name = entry.key.key_str().unwrap_or_default();
        let mut input = Kdl::new("input").arg(name);
        if InputName::new(name).is_err() {
            self.refuse(
                format!("the input name `{name}`"),
                entry.key.span,
                "an input name holds letters, digits, `-` and `_`",
            );
        }
        for field in entry.value.entries() {
            let key = field.key.key_str().unwrap_or_default();
            match key {
                "description" => {
                    if let Some(text) = self.string(&field.value, "an input's description") {
                        input.props.push(("description".to_owned(), Value::String(text)));
                    }
                }
                "required" => match &field.value.kind {
                    Kind::Scalar(s) if matches!(s.value, Yaml::Bool(_)) => {
                        let Yaml::Bool(b) = s.value else { continue };
                        input.props.push(("required".to_owned(), Value::Bool(b)));
                    }
                    _ => self.refuse(
                        "`required` that is not a boolean",
                        field.value.span,
                        "write `true` or `false`",
                    ),
                },
                "type" => {
                    let types: &[&str] = if call {
                        &["string", "boolean", "number"]
                    } else {
                        &["string", "boolean", "number", "choice", "environment"]
                    };
                    match field.value.as_str() {
                        Some(kind) if types.contains(&kind) => {
                            input.props.push(("type".to_owned(), Value::from(kind)));
                        }
                        _ => self.refuse(
                            "this input type",
                            field.value.span,
                            "an input's type is one the forge documents",
                        ),
                    }
                }
                "default" => {
                    if let Some(value) = self.scalar(&field.value, "an input's `default`") {
                        input.props.push(("default".to_owned(), value));
                    }
                }
                "options" if !call => {
                    let mut options = Kdl::new("options");
                    options.args = self
                        .strings(&field.value, "an option")
                        .into_iter()
                        .map(Value::String)
                        .collect();
                    input.push(options);
                }
                _ => self.unknown(&field.key, "in an input"),
            }
        }
        input
    }

    fn trigger_secret(&mut self, entry: &super::yaml::Entry) -> Kdl {
        let name = entry.key.key_str().unwrap_or_default();
        let mut secret = Kdl::new("secret").arg(name);
        if crate::model::SecretName::new(name).is_err() {
            self.refuse(
                format!("the secret name `{name}`"),
                entry.key.span,
                "a secret name holds letters, digits and `_`",
            );
        }
        for field in entry.value.entries() {
            match field.key.key_str().unwrap_or_default() {
                "description" => {
                    if let Some(text) = self.string(&field.value, "a secret's description") {
                        secret.props.push(("description".to_owned(), Value::String(text)));
                    }
                }
                "required" => match &field.value.kind {
                    Kind::Scalar(s) => match s.value {
                        Yaml::Bool(b) => secret.props.push(("required".to_owned(), Value::Bool(b))),
                        _ => self.refuse(
                            "`required` that is not a boolean",
                            field.value.span,
                            "write `true` or `false`",
                        ),
                    },
                    _ => self.refuse(
                        "`required` that is not a boolean",
                        field.value.span,
                        "write `true` or `false`",
                    ),
                },
                _ => self.unknown(&field.key, "in a secret"),
            }
        }
        secret
    }

    fn trigger_output(&mut self, entry: &super::yaml::Entry) -> Kdl {
        let name = entry.key.key_str().unwrap_or_default();
        let mut output = Kdl::new("output").arg(name);
        for field in entry.value.entries() {
            match field.key.key_str().unwrap_or_default() {
                "description" => {
                    if let Some(text) = self.string(&field.value, "an output's description") {
                        output.props.push(("description".to_owned(), Value::String(text)));
                    }
                }
                "value" => {
                    if let Some(text) = self.string(&field.value, "an output's value") {
                        output.props.push(("value".to_owned(), Value::String(text)));
                    }
                }
                _ => self.unknown(&field.key, "in an output"),
            }
        }
        output
    }

    fn permissions(&mut self, node: &Node) -> Option<Kdl> {
        let mut permissions = Kdl::new("permissions");
        match &node.kind {
            Kind::Scalar(s) => match &s.value {
                Yaml::String(preset) if preset == "read-all" || preset == "write-all" => {
                    permissions.args.push(Value::String(preset.clone()));
                }
                _ => {
                    self.refuse(
                        "these `permissions`",
                        node.span,
                        "write `read-all`, `write-all` or a map of scopes",
                    );
                    return None;
                }
            },
            Kind::Map(entries) => {
                for entry in entries {
                    let scope = entry.key.key_str().unwrap_or_default();
                    match entry.value.as_str() {
                        Some(level @ ("read" | "write" | "none")) => {
                            permissions.props.push((scope.to_owned(), Value::from(level)));
                        }
                        _ => self.refuse(
                            format!("the permission `{scope}`"),
                            entry.value.span,
                            "a permission is `read`, `write` or `none`",
                        ),
                    }
                }
            }
            Kind::Seq(_) => {
                self.refuse("`permissions` as a list", node.span, "write a map of scopes");
                return None;
            }
        }
        Some(permissions)
    }

    fn defaults(&mut self, node: &Node) -> Option<Kdl> {
        let mut run = Kdl::new("run");
        for entry in node.entries() {
            if entry.key.key_str() != Some("run") {
                self.unknown(&entry.key, "in `defaults`");
                continue;
            }
            for field in entry.value.entries() {
                let key = field.key.key_str().unwrap_or_default();
                match key {
                    "shell" | "working-directory" => {
                        if let Some(text) = self.string(&field.value, &format!("`{key}`")) {
                            run.props.push((key.to_owned(), Value::String(text)));
                        }
                    }
                    _ => self.unknown(&field.key, "in `defaults.run`"),
                }
            }
        }
        (!run.props.is_empty()).then(|| Kdl::new("defaults").child(run))
    }

    fn concurrency(&mut self, node: &Node) -> Option<Kdl> {
        let mut concurrency = Kdl::new("concurrency");
        match &node.kind {
            Kind::Scalar(_) => {
                let group = self.string(node, "a concurrency group")?;
                concurrency.props.push(("group".to_owned(), Value::String(group)));
            }
            Kind::Map(entries) => {
                for entry in entries {
                    match entry.key.key_str().unwrap_or_default() {
                        "group" => {
                            let group = self.string(&entry.value, "a concurrency group")?;
                            concurrency.props.push(("group".to_owned(), Value::String(group)));
                        }
                        "cancel-in-progress" => {
                            let value = self.flag(&entry.value, "`cancel-in-progress`")?;
                            concurrency.props.push(("cancel-in-progress".to_owned(), value));
                        }
                        _ => self.unknown(&entry.key, "in `concurrency`"),
                    }
                }
                if node.get("group").is_none() {
                    self.refuse("`concurrency` without a group", node.span, "name the group");
                    return None;
                }
            }
            Kind::Seq(_) => {
                self.refuse("`concurrency` as a list", node.span, "write a group, or a map");
                return None;
            }
        }
        Some(concurrency)
    }

    /// A boolean, or a string holding an expression.
    fn flag(&mut self, node: &Node, what: &str) -> Option<Value> {
        match &node.kind {
            Kind::Scalar(s) => match &s.value {
                Yaml::Bool(b) => Some(Value::Bool(*b)),
                Yaml::String(text) if crate::expr::template::has_template(text) => {
                    Some(Value::String(text.clone()))
                }
                _ => {
                    self.refuse(
                        format!("{what} of `{}`", s.text),
                        node.span,
                        "write `true`, `false` or an expression",
                    );
                    None
                }
            },
            _ => {
                self.refuse(
                    format!("{what} that is a list or a map"),
                    node.span,
                    "write `true`, `false` or an expression",
                );
                None
            }
        }
    }

    fn minutes(&mut self, node: &Node) -> Option<Value> {
        match &node.kind {
            Kind::Scalar(s) => match &s.value {
                Yaml::Int(n) if (1..=10_080).contains(n) => Some(Value::Int(*n)),
                Yaml::String(text) if crate::expr::template::has_template(text) => {
                    Some(Value::String(text.clone()))
                }
                _ => {
                    self.refuse(
                        format!("`timeout-minutes` of `{}`", s.text),
                        node.span,
                        "cigen takes a whole number of minutes from 1 to 10,080",
                    );
                    None
                }
            },
            _ => {
                self.refuse(
                    "`timeout-minutes` that is a list or a map",
                    node.span,
                    "write a number of minutes",
                );
                None
            }
        }
    }

    fn container(&mut self, node: &Node) -> Option<Kdl> {
        if let Some(image) = node.as_str() {
            return Some(Kdl::new("container").arg(image));
        }
        let image = node.get("image").and_then(|i| self.string(i, "an image"));
        let Some(image) = image else {
            self.refuse("a container without an image", node.span, "name the image");
            return None;
        };
        let mut container = Kdl::new("container").arg(image);
        for entry in node.entries() {
            match entry.key.key_str().unwrap_or_default() {
                "image" => {}
                "options" => {
                    if let Some(text) = self.string(&entry.value, "container options") {
                        container.props.push(("options".to_owned(), Value::String(text)));
                    }
                }
                "env" => {
                    if let Some(env) = self.container_env(&entry.value) {
                        container.push(env);
                    }
                }
                "volumes" => {
                    let mut volumes = Kdl::new("volumes");
                    volumes.args = self
                        .strings(&entry.value, "a volume")
                        .into_iter()
                        .map(Value::String)
                        .collect();
                    container.push(volumes);
                }
                "credentials" => container.extend_opt(self.credentials(&entry.value)),
                _ => self.unknown(&entry.key, "in a container"),
            }
        }
        Some(container)
    }

    /// `credentials: {username, password}`; the password must come from a
    /// secret, as cigen requires.
    fn credentials(&mut self, node: &Node) -> Option<Kdl> {
        let mut credentials = Kdl::new("credentials");
        for entry in node.entries() {
            let key = entry.key.key_str().unwrap_or_default();
            match key {
                "username" | "password" => {
                    let text = self.string(&entry.value, &format!("`credentials.{key}`"))?;
                    if key == "password" && !crate::expr::template::has_template(&text) {
                        self.refuse(
                            "a password written in the workflow",
                            entry.value.span,
                            "keep it in a secret: `password: ${{ secrets.REGISTRY_TOKEN }}`",
                        );
                        return None;
                    }
                    credentials.props.push((key.to_owned(), Value::String(text)));
                }
                _ => self.unknown(&entry.key, "in `credentials`"),
            }
        }
        (credentials.props.len() == 2).then_some(credentials).or_else(|| {
            self.refuse(
                "`credentials` without both `username` and `password`",
                node.span,
                "a registry login takes both",
            );
            None
        })
    }

    fn services(&mut self, node: &Node) -> Option<Kdl> {
        let mut services = Kdl::new("services");
        for entry in node.entries() {
            let name = entry.key.key_str().unwrap_or_default();
            if ServiceName::new(name).is_err() {
                self.refuse(
                    format!("the service name `{name}`"),
                    entry.key.span,
                    "a service name holds letters, digits, `-` and `_`",
                );
                continue;
            }
            let Some(image) = entry.value.get("image").and_then(|i| self.string(i, "an image"))
            else {
                self.refuse("a service without an image", entry.value.span, "name the image");
                continue;
            };
            let mut service = Kdl::new(name).arg(image);
            for field in entry.value.entries() {
                let key = field.key.key_str().unwrap_or_default();
                match key {
                    "image" => {}
                    "env" => {
                        if let Some(env) = self.container_env(&field.value) {
                            service.push(env);
                        }
                    }
                    "ports" | "volumes" => {
                        let mut list = Kdl::new(key);
                        list.args = self
                            .strings(&field.value, "a value")
                            .into_iter()
                            .map(Value::String)
                            .collect();
                        service.push(list);
                    }
                    "options" => {
                        if let Some(text) = self.string(&field.value, "service options") {
                            service.props.push(("options".to_owned(), Value::String(text)));
                        }
                    }
                    "credentials" => service.extend_opt(self.credentials(&field.value)),
                    "cmd" if self.target != Target::Github => {
                        let mut cmd = Kdl::new("cmd");
                        cmd.args = self
                            .strings(&field.value, "a word of the command")
                            .into_iter()
                            .map(Value::String)
                            .collect();
                        service.push(cmd);
                    }
                    _ => self.unknown(&field.key, "in a service"),
                }
            }
            services.push(service);
        }
        services.has_children().then_some(services)
    }

    fn strategy(&mut self, node: &Node, job: &mut Kdl) {
        let mut strategy = Kdl::new("strategy");
        for entry in node.entries() {
            let key = entry.key.key_str().unwrap_or_default();
            match key {
                "matrix" => {
                    if let Some(matrix) = self.matrix(&entry.value) {
                        job.push(matrix);
                    }
                }
                "fail-fast" => match &entry.value.kind {
                    Kind::Scalar(s) if matches!(s.value, Yaml::Bool(_)) => {
                        let Yaml::Bool(b) = s.value else { continue };
                        strategy.props.push(("fail-fast".to_owned(), Value::Bool(b)));
                    }
                    _ => self.refuse(
                        "`fail-fast` that is not a boolean",
                        entry.value.span,
                        "write `true` or `false`",
                    ),
                },
                "max-parallel" => match &entry.value.kind {
                    Kind::Scalar(s) if matches!(s.value, Yaml::Int(1..=256)) => {
                        let Yaml::Int(n) = s.value else { continue };
                        strategy.props.push(("max-parallel".to_owned(), Value::Int(n)));
                    }
                    _ => self.refuse(
                        "this `max-parallel`",
                        entry.value.span,
                        "cigen takes a whole number from 1 to 256",
                    ),
                },
                _ => self.unknown(&entry.key, "in `strategy`"),
            }
        }
        if !strategy.props.is_empty() {
            job.push(strategy);
        }
    }

    fn matrix(&mut self, node: &Node) -> Option<Kdl> {
        if let Some(text) = node.as_str() {
            if !crate::expr::template::has_template(text) {
                self.refuse(
                    "a matrix given as text",
                    node.span,
                    "a matrix is a map of axes, or an expression",
                );
                return None;
            }
            return Some(Kdl::new("matrix").arg(text));
        }
        let mut matrix = Kdl::new("matrix");
        for entry in node.entries() {
            let key = entry.key.key_str().unwrap_or_default();
            match key {
                "include" | "exclude" => {
                    for item in entry.value.items() {
                        let mut row = Kdl::new(key);
                        for field in item.entries() {
                            let name = field.key.key_str().unwrap_or_default();
                            if crate::model::AxisName::new(name).is_err() {
                                self.refuse(
                                    format!("the matrix variable `{name}`"),
                                    field.key.span,
                                    "a matrix variable holds letters, digits, `-` and `_`",
                                );
                                continue;
                            }
                            match &field.value.kind {
                                // Properties come first: after a child, a scalar
                                // is a child too, to keep the order.
                                Kind::Scalar(_) if !row.has_children() => {
                                    if let Some(value) =
                                        self.scalar(&field.value, &format!("`matrix.{key}.{name}`"))
                                    {
                                        row.props.push((name.to_owned(), value));
                                    }
                                }
                                _ => {
                                    if let Some(node) = self.data(name, &field.value) {
                                        row.push(node);
                                    }
                                }
                            }
                        }
                        matrix.push(row);
                    }
                    if !matches!(entry.value.kind, Kind::Seq(_)) {
                        self.refuse(
                            format!("`{key}` that is not a list"),
                            entry.value.span,
                            "cigen's matrix lists its entries",
                        );
                    }
                }
                axis => {
                    if crate::model::AxisName::new(axis).is_err() {
                        self.refuse(
                            format!("the axis name `{axis}`"),
                            entry.key.span,
                            "an axis name holds letters, digits, `-` and `_`",
                        );
                        continue;
                    }
                    let mut node = Kdl::new(axis);
                    match &entry.value.kind {
                        Kind::Seq(values) => {
                            for value in values {
                                match &value.kind {
                                    Kind::Scalar(_) if !node.has_children() => {
                                        if let Some(value) =
                                            self.scalar(value, &format!("a value of `{axis}`"))
                                        {
                                            node.args.push(value);
                                        }
                                    }
                                    _ => {
                                        if let Some(element) = self.data("-", value) {
                                            node.push(element);
                                        }
                                    }
                                }
                            }
                        }
                        _ => {
                            match entry.value.as_str() {
                                Some(text) if crate::expr::template::has_template(text) => {
                                    node.props.push(("expression".to_owned(), Value::from(text)));
                                }
                                _ => {
                                    self.refuse(format!("the axis `{axis}` that is not a list"), entry.value.span, "list the axis's values, or compute them with an expression");
                                    continue;
                                }
                            }
                        }
                    }
                    matrix.push(node);
                }
            }
        }
        Some(matrix)
    }

    /// A node named `name` whose value is `value`, in the form of
    /// `crate::parse` reads data (JSON-in-KDL): one argument for a scalar,
    /// arguments or `-` children for a list, properties and children for a
    /// map; `(list)` and `(map)` where the shape alone would not say.
    fn data(&mut self, name: &str, value: &Node) -> Option<Kdl> {
        let mut node = Kdl::new(name);
        match &value.kind {
            Kind::Scalar(_) => node.args.push(self.scalar(value, &format!("`{name}`"))?),
            Kind::Seq(items) => {
                let scalars = items.iter().all(|i| matches!(i.kind, Kind::Scalar(_)));
                if scalars {
                    for item in items {
                        node.args.push(self.scalar(item, &format!("`{name}`"))?);
                    }
                    if items.len() < 2 {
                        node.ty = Some("list".to_owned());
                    }
                } else {
                    for item in items {
                        let element = self.data("-", item)?;
                        node.push(element);
                    }
                }
            }
            Kind::Map(entries) => {
                if entries.is_empty() {
                    node.ty = Some("map".to_owned());
                }
                for entry in entries {
                    let key = entry.key.key_str().unwrap_or_default();
                    if key == "-" {
                        self.refuse(
                            "a map key `-`",
                            entry.key.span,
                            "cigen reads a node named `-` as a list item",
                        );
                        return None;
                    }
                    match &entry.value.kind {
                        // After a child, a scalar is a child too, to keep the order.
                        Kind::Scalar(_) if !node.has_children() => {
                            node.props.push((
                                key.to_owned(),
                                self.scalar(&entry.value, &format!("`{key}`"))?,
                            ));
                        }
                        _ => {
                            let child = self.data(key, &entry.value)?;
                            node.push(child);
                        }
                    }
                }
            }
        }
        Some(node)
    }

    fn job(&mut self, id: &str, node: &Node, edges: &Edges) -> Kdl {
        let mut job = Kdl::new("job").arg(id);
        job.children = Some(Vec::new());
        let mut raw = None;
        if crate::model::JobId::new(id).is_err() {
            self.refuse(
                format!("the job id `{id}`"),
                node.span,
                "a job id starts with a letter or `_` and holds letters, digits, `-` and `_`",
            );
        }
        let call = node.get("uses");
        for entry in node.entries() {
            let key = entry.key.key_str().unwrap_or_default();
            let value = &entry.value;
            match key {
                "name" => {
                    if let Some(name) = self.string(value, "a job's `name`") {
                        job.push(Kdl::new("name").arg(name));
                    }
                }
                "needs" => {
                    let needs = explicit(self.strings(value, "a job id"), &edges.producers_of(id));
                    if !needs.is_empty() {
                        let mut node = Kdl::new("needs");
                        node.args = needs.into_iter().map(Value::String).collect();
                        job.push(node);
                    }
                }
                "if" => match &value.kind {
                    Kind::Scalar(s) => match &s.value {
                        Yaml::String(text) => job.push(Kdl::new("if").arg(text.clone())),
                        _ => self.refuse(
                            format!("an `if` of `{}`", s.text),
                            value.span,
                            "write the condition as a string",
                        ),
                    },
                    _ => self.refuse(
                        "an `if` that is a list or a map",
                        value.span,
                        "write the condition as a string",
                    ),
                },
                "runs-on" => match &value.kind {
                    Kind::Map(_) => job.extend_opt(self.runner_group(value)),
                    _ => {
                        let mut node = Kdl::new("runs-on");
                        node.args = self
                            .strings(value, "a runner label")
                            .into_iter()
                            .map(Value::String)
                            .collect();
                        job.push(node);
                    }
                },
                "timeout-minutes" => {
                    if let Some(minutes) = self.minutes(value) {
                        job.push(Kdl::new("timeout-minutes").arg(minutes));
                    }
                }
                "continue-on-error" => {
                    if let Some(flag) = self.flag(value, "`continue-on-error`") {
                        job.push(Kdl::new("continue-on-error").arg(flag));
                    }
                }
                "environment" => {
                    if let Some(name) = value.as_str() {
                        job.push(Kdl::new("environment").arg(name));
                    } else if let Some(name) =
                        value.get("name").and_then(|n| self.string(n, "an environment name"))
                    {
                        let mut environment = Kdl::new("environment").arg(name);
                        for field in value.entries() {
                            match field.key.key_str().unwrap_or_default() {
                                "name" => {}
                                "url" => {
                                    if let Some(url) =
                                        self.string(&field.value, "an environment URL")
                                    {
                                        environment
                                            .props
                                            .push(("url".to_owned(), Value::String(url)));
                                    }
                                }
                                _ => self.unknown(&field.key, "in `environment`"),
                            }
                        }
                        job.push(environment);
                    } else {
                        self.refuse(
                            "an environment without a name",
                            value.span,
                            "name the environment",
                        );
                    }
                }
                "env" => job.extend_opt(self.env("env", value)),
                "permissions" => job.extend_opt(self.permissions(value)),
                "concurrency" => job.extend_opt(self.concurrency(value)),
                "container" => job.extend_opt(self.container(value)),
                "services" => job.extend_opt(self.services(value)),
                "strategy" => self.strategy(value, &mut job),
                "outputs" => {
                    let mut outputs = Kdl::new("outputs");
                    for field in value.entries() {
                        let name = field.key.key_str().unwrap_or_default();
                        if InputName::new(name).is_err() {
                            self.refuse(
                                format!("the output name `{name}`"),
                                field.key.span,
                                "an output name holds letters, digits, `-` and `_`",
                            );
                            continue;
                        }
                        if let Some(text) = self.string(&field.value, "an output's value") {
                            outputs.props.push((name.to_owned(), Value::String(text)));
                        }
                    }
                    if !outputs.props.is_empty() {
                        job.push(outputs);
                    }
                }
                "defaults" => job.extend_opt(self.defaults(value)),
                "steps" => {}
                "uses" | "with" | "secrets" if call.is_some() => {}
                _ => self.raw(entry, &mut raw),
            }
        }
        job.extend_opt(raw);
        if let Some(uses) = call {
            job.extend_opt(self.call(uses, node));
            return job;
        }
        let steps = node.get("steps").map(Node::items).unwrap_or_default();
        self.steps(id, steps, edges, &mut job);
        job
    }

    fn call(&mut self, uses: &Node, job: &Node) -> Option<Kdl> {
        let reference = self.string(uses, "a workflow reference")?;
        let mut call = Kdl::new("uses").arg(reference);
        if let Some(with) = job.get("with") {
            let props = self.properties(with, "with", |k| InputName::new(k).is_ok());
            if !props.is_empty() {
                let mut node = Kdl::new("with");
                node.props = props;
                call.push(node);
            }
        }
        if let Some(secrets) = job.get("secrets") {
            if secrets.as_str() == Some("inherit") {
                call.push(Kdl::new("secrets").arg("inherit"));
            } else {
                let mut node = Kdl::new("secrets");
                for entry in secrets.entries() {
                    let name = entry.key.key_str().unwrap_or_default();
                    if let Some(text) = self.string(&entry.value, "a secret") {
                        node.props.push((name.to_owned(), Value::String(text)));
                    }
                }
                call.push(node);
            }
        }
        Some(call)
    }

    /// The steps of job `id`: the automatic checkout or `checkout #false`,
    /// then each step not turned into plumbing.
    fn steps(&mut self, id: &str, steps: &[Node], edges: &Edges, job: &mut Kdl) {
        let automatic = if self.idiomatic_checkout { edges.checkout_in(steps) } else { None };
        // A checkout after other steps is written where it stands.
        let mut checkout = match automatic {
            Some((at, settings)) => {
                self.checkouts += 1;
                let mut node = Kdl::new("checkout");
                node.props = settings;
                Some((at, node))
            }
            None => {
                job.push(Kdl::new("checkout").arg(false));
                None
            }
        };
        for (index, step) in steps.iter().enumerate() {
            if checkout.as_ref().is_some_and(|(at, _)| *at == index) {
                let (_, node) = checkout.take().expect("the checkout");
                // The bare first checkout is the default: nothing to write.
                if index > 0 || !node.props.is_empty() {
                    job.push(node);
                }
                continue;
            }
            if edges.is_plumbing(id, index) {
                continue;
            }
            let mut node = self.step(step);
            node.comments = self.comments_above(step.span);
            job.push(node);
        }
    }

    fn step(&mut self, step: &Node) -> Kdl {
        let run = step.get("run");
        let uses = step.get("uses");
        let mut node = match (run, uses) {
            (Some(script), None) => {
                Kdl::new("run").arg(self.string(script, "a script").unwrap_or_default())
            }
            (None, Some(action)) => {
                Kdl::new("uses").arg(self.string(action, "an action reference").unwrap_or_default())
            }
            _ => {
                self.refuse(
                    "a step with neither or both of `run` and `uses`",
                    step.span,
                    "a step runs a script or uses an action",
                );
                return Kdl::new("run").arg("");
            }
        };
        let is_run = run.is_some();
        let mut raw = None;
        for entry in step.entries() {
            let key = entry.key.key_str().unwrap_or_default();
            let value = &entry.value;
            match key {
                "run" | "uses" => {}
                "name" | "if" => {
                    if let Some(text) = self.string(value, &format!("a step's `{key}`")) {
                        node.props.push((key.to_owned(), Value::String(text)));
                    }
                }
                "id" => {
                    if let Some(text) = self.string(value, "a step id") {
                        if StepId::new(&text).is_err() {
                            self.refuse(format!("the step id `{text}`"), value.span, "a step id starts with a letter or `_` and holds letters, digits, `-` and `_`");
                        }
                        node.props.push(("id".to_owned(), Value::String(text)));
                    }
                }
                "shell" | "working-directory" if is_run => {
                    if let Some(text) = self.string(value, &format!("a step's `{key}`")) {
                        node.props.push((key.to_owned(), Value::String(text)));
                    }
                }
                "continue-on-error" => {
                    if let Some(flag) = self.flag(value, "`continue-on-error`") {
                        node.props.push(("continue-on-error".to_owned(), flag));
                    }
                }
                "timeout-minutes" => {
                    if let Some(minutes) = self.minutes(value) {
                        node.props.push(("timeout-minutes".to_owned(), minutes));
                    }
                }
                "with" if !is_run => {
                    let props = self.properties(value, "with", |k| InputName::new(k).is_ok());
                    if !props.is_empty() {
                        let mut with = Kdl::new("with");
                        with.props = props;
                        node.push(with);
                    }
                }
                "env" => node.extend_opt(self.env("env", value)),
                _ => self.raw(entry, &mut raw),
            }
        }
        node.extend_opt(raw);
        node
    }

    /// `runs-on: {group: G, labels: L}`: a group and maybe labels, when the
    /// forge has runner groups.
    fn runner_group(&mut self, value: &Node) -> Option<Kdl> {
        let Some(group) = value.get("group") else {
            self.refuse(
                "`runs-on` as a labels object without a group",
                value.span,
                "list the labels: `runs-on: [a, b]`",
            );
            return None;
        };
        if self.target != Target::Github {
            self.refuse(
                "a runner `group`",
                value.span,
                "Forgejo picks runners by label only; list the labels",
            );
            return None;
        }
        let group = self.string(group, "a runner group")?;
        let mut node = Kdl::new("runs-on");
        for entry in value.entries() {
            match entry.key.key_str().unwrap_or_default() {
                "group" => {}
                "labels" => {
                    node.args = self
                        .strings(&entry.value, "a runner label")
                        .into_iter()
                        .map(Value::String)
                        .collect();
                }
                _ => self.unknown(&entry.key, "in `runs-on`"),
            }
        }
        node.props.push(("group".to_owned(), Value::String(group)));
        Some(node)
    }

    /// A key the language lacks, kept as it is in `raw`.
    fn raw(&mut self, entry: &super::yaml::Entry, raw: &mut Option<Kdl>) {
        let Some(key) = entry.key.key_str() else {
            self.unknown(&entry.key, "here");
            return;
        };
        if key == "-" {
            self.unknown(&entry.key, "here");
            return;
        }
        if let Some(value) = self.data(key, &entry.value) {
            raw.get_or_insert_with(|| Kdl::new("raw")).push(value);
        }
    }
}

/// The `needs` to write: `needs` without the producers of consumed
/// artifacts that cigen adds itself, in the same order, at the end.
fn explicit(needs: Vec<String>, producers: &[String]) -> Vec<String> {
    for keep in 0..=needs.len() {
        let (written, _) = needs.split_at(keep);
        let mut effective = written.to_vec();
        for producer in producers {
            if !effective.contains(producer) {
                effective.push(producer.clone());
            }
        }
        if effective == needs {
            return written.to_vec();
        }
    }
    needs
}

/// Whether a job's `uses` child calls a workflow.
fn is_call(node: &Kdl) -> bool {
    matches!(node.args.first(), Some(Value::String(r)) if crate::model::Call::is_workflow_reference(r))
}

impl Kdl {
    /// Adds `child` when there is one.
    fn extend_opt(&mut self, child: Option<Kdl>) {
        if let Some(child) = child {
            self.push(child);
        }
    }
}
