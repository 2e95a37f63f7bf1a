//! What the editor features know of a spec: its workflows, jobs and
//! artifacts, and every place a job id or an artifact name is written.
//!
//! The index is read from the spec's KDL tree (the same tree `parse` walks),
//! not from the validated pipeline, so it exists for every spec whose KDL
//! parses, however many other mistakes it has. Templates and step lists add
//! what they hold to each job that uses them. Spans are byte ranges of the
//! text the index was built from; [`Index::rebase`] carries them over to an
//! edited text.

use std::ops::Range;

use crate::parse::tree::{Entry, Node};

/// What a name names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A job id.
    Job,
    /// An artifact name.
    Artifact,
}

impl Kind {
    /// "job" or "artifact".
    pub fn noun(self) -> &'static str {
        match self {
            Self::Job => "job",
            Self::Artifact => "artifact",
        }
    }
}

/// Where a name is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// `job "ID"` or `artifact "NAME"`.
    Definition,
    /// `needs "ID"`.
    Needs,
    /// An artifact's `from`.
    From,
    /// An artifact's `to`.
    To,
    /// `${{ needs.ID… }}` or `${{ jobs.ID… }}`.
    Expression,
    /// `with name="NAME"` of a step using an artifact action.
    ActionInput,
}

/// One place a job id or artifact name is written: the bytes of the name
/// itself, without quotes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Occurrence {
    /// What it names.
    pub kind: Kind,
    /// The name.
    pub name: String,
    /// Its bytes in the text.
    pub span: Range<usize>,
    /// How it is used.
    pub role: Role,
}

/// A spec as the editor features see it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Index {
    /// Workflows in spec order.
    pub workflows: Vec<Workflow>,
    /// Names of top-level `template` nodes.
    pub templates: Vec<String>,
    /// Names of top-level `steps` lists.
    pub step_lists: Vec<String>,
}

/// One workflow.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Workflow {
    /// Its id.
    pub id: String,
    /// Where the id is written.
    pub span: Option<Range<usize>>,
    /// The whole node.
    pub extent: Option<Range<usize>>,
    /// Its jobs in spec order.
    pub jobs: Vec<Job>,
    /// Its artifacts in spec order.
    pub artifacts: Vec<Artifact>,
    /// Every job id and artifact name written in it, in text order.
    pub occurrences: Vec<Occurrence>,
}

/// One job, with what its template and step lists give it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Job {
    /// Its id.
    pub id: String,
    /// Where the id is written.
    pub span: Option<Range<usize>>,
    /// The whole node.
    pub extent: Option<Range<usize>>,
    /// Its `needs`, in order, once each.
    pub needs: Vec<String>,
    /// Its matrix axes and the keys of its `include` entries.
    pub axes: Vec<String>,
    /// Whether it has a `matrix` or `strategy` of its own, which replaces a
    /// template's, matrix included.
    pub strategy: bool,
    /// The `id` of each of its steps.
    pub step_ids: Vec<String>,
    /// The names of its `outputs`.
    pub outputs: Vec<String>,
}

/// One artifact.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Artifact {
    /// Its name.
    pub name: String,
    /// Where the name is written.
    pub span: Option<Range<usize>>,
    /// The whole node.
    pub extent: Option<Range<usize>>,
    /// The producing job.
    pub from: Option<String>,
    /// The consuming jobs.
    pub to: Vec<String>,
    /// Its paths.
    pub paths: Vec<String>,
}

impl Index {
    /// The index of the top-level nodes `nodes` of `text`.
    pub fn build(text: &str, nodes: &[Node]) -> Self {
        let reader = Reader { text };
        let mut index = Self::default();
        let mut templates = Vec::new();
        let mut lists = Vec::new();
        for node in nodes {
            match node.name().value() {
                "template" => {
                    if let Some(name) = first_string(node) {
                        index.templates.push(name.clone());
                        templates.push((name, reader.job(node)));
                    }
                }
                "steps" => {
                    if let Some(name) = first_string(node) {
                        index.step_lists.push(name.clone());
                        lists.push((name, reader.job(node)));
                    }
                }
                _ => {}
            }
        }
        for node in nodes.iter().filter(|n| n.name().value() == "workflow") {
            index.workflows.push(reader.workflow(node, &templates, &lists));
        }
        index
    }

    /// The workflow named `id`.
    pub fn workflow(&self, id: &str) -> Option<&Workflow> {
        self.workflows.iter().find(|w| w.id == id)
    }

    /// The occurrence at byte `offset` (its end included, for a cursor
    /// right after a name), with its workflow.
    pub fn occurrence_at(&self, offset: usize) -> Option<(&Workflow, &Occurrence)> {
        self.workflows.iter().find_map(|w| {
            let found =
                w.occurrences.iter().find(|o| o.span.start <= offset && offset <= o.span.end)?;
            Some((w, found))
        })
    }

    /// The index with every span moved from `old` onto `new`: spans before
    /// the edited part stay, spans after it shift, spans in it are dropped.
    pub fn rebase(&self, old: &str, new: &str) -> Self {
        let shift = Shift::between(old, new);
        let map = |span: &Option<Range<usize>>| span.as_ref().and_then(|s| shift.apply(s));
        let mut index = self.clone();
        for workflow in &mut index.workflows {
            workflow.span = map(&workflow.span);
            workflow.extent = map(&workflow.extent);
            for job in &mut workflow.jobs {
                job.span = map(&job.span);
                job.extent = map(&job.extent);
            }
            for artifact in &mut workflow.artifacts {
                artifact.span = map(&artifact.span);
                artifact.extent = map(&artifact.extent);
            }
            workflow.occurrences.retain_mut(|o| match shift.apply(&o.span) {
                Some(span) if new.get(span.clone()) == Some(o.name.as_str()) => {
                    o.span = span;
                    true
                }
                _ => false,
            });
        }
        index
    }
}

impl Workflow {
    /// The job named `id`.
    pub fn job(&self, id: &str) -> Option<&Job> {
        self.jobs.iter().find(|j| j.id == id)
    }

    /// The artifact named `name`.
    pub fn artifact(&self, name: &str) -> Option<&Artifact> {
        self.artifacts.iter().find(|a| a.name == name)
    }

    /// Whether `kind` `name` is declared here.
    pub fn declares(&self, kind: Kind, name: &str) -> bool {
        match kind {
            Kind::Job => self.job(name).is_some(),
            Kind::Artifact => self.artifact(name).is_some(),
        }
    }

    /// Every occurrence of `kind` `name`, in text order.
    pub fn occurrences_of<'a>(
        &'a self,
        kind: Kind,
        name: &'a str,
    ) -> impl Iterator<Item = &'a Occurrence> + 'a {
        self.occurrences.iter().filter(move |o| o.kind == kind && o.name == name)
    }

    /// What `job` waits for: its `needs`, then the producers of the
    /// artifacts it consumes, once each (the order `plan` writes).
    pub fn resolved_needs(&self, job: &Job) -> Vec<String> {
        let mut needs = job.needs.clone();
        for artifact in self.artifacts.iter().filter(|a| a.to.contains(&job.id)) {
            if let Some(from) = &artifact.from
                && !needs.contains(from)
            {
                needs.push(from.clone());
            }
        }
        needs
    }
}

/// The edited part between two texts, found as their common prefix and suffix.
struct Shift {
    /// Bytes before the edit.
    prefix: usize,
    /// Where the unedited tail starts in the old text.
    old_tail: usize,
    /// Where it starts in the new text.
    new_tail: usize,
}

impl Shift {
    fn between(old: &str, new: &str) -> Self {
        let prefix = old.bytes().zip(new.bytes()).take_while(|(a, b)| a == b).count();
        let room = old.len().min(new.len()) - prefix;
        let suffix =
            old.bytes().rev().zip(new.bytes().rev()).take(room).take_while(|(a, b)| a == b).count();
        Self { prefix, old_tail: old.len() - suffix, new_tail: new.len() - suffix }
    }

    fn apply(&self, span: &Range<usize>) -> Option<Range<usize>> {
        if span.end <= self.prefix {
            Some(span.clone())
        } else if span.start >= self.old_tail {
            let moved = |at: usize| at - self.old_tail + self.new_tail;
            Some(moved(span.start)..moved(span.end))
        } else {
            None
        }
    }
}

/// A step list or template as read: what it gives the jobs that use it.
type Part = (Job, Vec<Occurrence>);

struct Reader<'a> {
    text: &'a str,
}

impl Reader<'_> {
    fn workflow(
        &self,
        node: &Node,
        templates: &[(String, Part)],
        lists: &[(String, Part)],
    ) -> Workflow {
        let mut workflow = Workflow {
            id: first_string(node).unwrap_or_default(),
            span: node.entries().first().and_then(|e| self.name_span(e)),
            extent: Some(extent(self.text, node)),
            ..Workflow::default()
        };
        let mut occurrences = Vec::new();
        for child in node.children().unwrap_or_default() {
            match child.name().value() {
                "job" => {
                    let (mut job, mut found) = self.job(child);
                    if let Some(span) = &job.span {
                        found.push(Occurrence {
                            kind: Kind::Job,
                            name: job.id.clone(),
                            span: span.clone(),
                            role: Role::Definition,
                        });
                    }
                    for used in child.children().unwrap_or_default() {
                        let (kind, parts) = match used.name().value() {
                            "template" => ("template", templates),
                            "steps" => ("steps", lists),
                            _ => continue,
                        };
                        let Some(name) = first_string(used) else { continue };
                        if let Some((_, (part, refs))) = parts.iter().find(|(n, _)| *n == name) {
                            merge(&mut job, part, kind == "template");
                            found.extend(refs.iter().cloned());
                        }
                    }
                    workflow.jobs.push(job);
                    occurrences.extend(found);
                }
                "artifact" => {
                    let (artifact, found) = self.artifact(child);
                    workflow.artifacts.push(artifact);
                    occurrences.extend(found);
                }
                _ => self.expressions(child, &mut occurrences),
            }
        }
        // Artifact actions' `with name=` count only for declared artifacts.
        occurrences
            .retain(|o| o.role != Role::ActionInput || workflow.declares(Kind::Artifact, &o.name));
        occurrences.sort_by_key(|o| (o.span.start, o.span.end));
        occurrences.dedup();
        workflow.occurrences = occurrences;
        workflow
    }

    /// A job, template or step list: what it declares and the names it uses.
    fn job(&self, node: &Node) -> Part {
        let mut job = Job {
            id: first_string(node).unwrap_or_default(),
            span: node.entries().first().and_then(|e| self.name_span(e)),
            extent: Some(extent(self.text, node)),
            ..Job::default()
        };
        let mut found = Vec::new();
        for child in node.children().unwrap_or_default() {
            match child.name().value() {
                "needs" => {
                    for entry in child.entries().iter().filter(|e| e.name().is_none()) {
                        let Some(name) = entry.value().as_string() else { continue };
                        push_once(&mut job.needs, name);
                        self.record(&mut found, Kind::Job, entry, Role::Needs);
                    }
                }
                "strategy" => job.strategy = true,
                "matrix" => {
                    job.strategy = true;
                    for axis in child.children().unwrap_or_default() {
                        match axis.name().value() {
                            "exclude" => {}
                            "include" => {
                                for (key, _) in properties(axis) {
                                    push_once(&mut job.axes, key);
                                }
                                for kid in axis.children().unwrap_or_default() {
                                    push_once(&mut job.axes, kid.name().value());
                                }
                            }
                            name => push_once(&mut job.axes, name),
                        }
                    }
                }
                "outputs" => {
                    for (key, _) in properties(child) {
                        push_once(&mut job.outputs, key);
                    }
                }
                "run" | "uses" => {
                    if let Some((_, id)) = properties(child).find(|(k, _)| *k == "id")
                        && let Some(id) = id.value().as_string()
                    {
                        push_once(&mut job.step_ids, id);
                    }
                    self.action_input(child, &mut found);
                }
                _ => {}
            }
            self.expressions(child, &mut found);
        }
        (job, found)
    }

    fn artifact(&self, node: &Node) -> (Artifact, Vec<Occurrence>) {
        let mut artifact = Artifact {
            name: first_string(node).unwrap_or_default(),
            span: node
                .entries()
                .iter()
                .find(|e| e.name().is_none())
                .and_then(|e| self.name_span(e)),
            extent: Some(extent(self.text, node)),
            ..Artifact::default()
        };
        let mut found = Vec::new();
        if let Some(span) = &artifact.span {
            found.push(Occurrence {
                kind: Kind::Artifact,
                name: artifact.name.clone(),
                span: span.clone(),
                role: Role::Definition,
            });
        }
        let fields =
            properties(node).chain(node.children().unwrap_or_default().iter().flat_map(|c| {
                c.entries()
                    .iter()
                    .filter(|e| e.name().is_none())
                    .map(move |e| (c.name().value(), e))
            }));
        for (key, entry) in fields {
            let Some(value) = entry.value().as_string() else { continue };
            match key {
                "from" => {
                    artifact.from.get_or_insert_with(|| value.to_owned());
                    self.record(&mut found, Kind::Job, entry, Role::From);
                }
                "to" => {
                    push_once(&mut artifact.to, value);
                    self.record(&mut found, Kind::Job, entry, Role::To);
                }
                "path" => artifact.paths.push(value.to_owned()),
                _ => {}
            }
        }
        self.expressions(node, &mut found);
        (artifact, found)
    }

    /// `with name="…"` of a step that uses an artifact action.
    fn action_input(&self, step: &Node, found: &mut Vec<Occurrence>) {
        let uses = match step.name().value() {
            "uses" => step.entries().iter().find(|e| e.name().is_none()),
            _ => None,
        };
        let is_artifact_action = uses
            .and_then(|e| e.value().as_string())
            .is_some_and(|u| u.contains("upload-artifact") || u.contains("download-artifact"));
        if !is_artifact_action {
            return;
        }
        for with in
            step.children().unwrap_or_default().iter().filter(|c| c.name().value() == "with")
        {
            if let Some((_, entry)) = properties(with).find(|(k, _)| *k == "name") {
                self.record(found, Kind::Artifact, entry, Role::ActionInput);
            }
        }
    }

    /// Records `entry`'s string value as a `kind` name, when its token
    /// holds the name as written.
    fn record(&self, found: &mut Vec<Occurrence>, kind: Kind, entry: &Entry, role: Role) {
        let Some(name) = entry.value().as_string() else { return };
        if let Some(span) = self.name_span(entry) {
            found.push(Occurrence { kind, name: name.to_owned(), span, role });
        }
    }

    /// The bytes of an entry's string value inside its token: the token
    /// itself when bare, without the quotes when quoted; `None` when the
    /// token spells the value differently (escapes, multi-line strings).
    fn name_span(&self, entry: &Entry) -> Option<Range<usize>> {
        let value = entry.value().as_string()?;
        let span = value_span(entry);
        let token = self.text.get(span.clone())?;
        if token == value {
            return Some(span);
        }
        let hashes = token.len() - token.trim_start_matches('#').len();
        let open = hashes + 1;
        let inner = token.get(open..token.len().checked_sub(open)?)?;
        let quoted = token.get(hashes..open) == Some("\"")
            && token.get(token.len() - open..token.len() - hashes) == Some("\"")
            && token.ends_with(&"#".repeat(hashes));
        (quoted && inner == value && !inner.starts_with('"'))
            .then(|| span.start + open..span.end - open)
    }

    /// The job references in every `${{ }}` of `node` and its descendants.
    fn expressions(&self, node: &Node, found: &mut Vec<Occurrence>) {
        for entry in node.entries() {
            let condition = match entry.name() {
                Some(key) => key.value() == "if",
                None => node.name().value() == "if",
            };
            if condition {
                self.condition(entry, found);
            } else {
                self.expression(entry, found);
            }
        }
        for child in node.children().unwrap_or_default() {
            self.expressions(child, found);
        }
    }

    /// `needs.ID` and `jobs.ID` in the templates of one string entry.
    fn expression(&self, entry: &Entry, found: &mut Vec<Occurrence>) {
        let Some(value) = entry.value().as_string() else { return };
        if !crate::expr::template::has_template(value) {
            return;
        }
        let span = value_span(entry);
        let Some(token) = self.text.get(span.clone()) else { return };
        let Ok(segments) = crate::expr::split(token) else { return };
        for segment in segments {
            let crate::expr::Segment::Expression { inner, .. } = segment else { continue };
            self.references(span.start + inner.start, token.get(inner), found);
        }
    }

    /// An `if`: one expression, with or without `${{ }}`.
    fn condition(&self, entry: &Entry, found: &mut Vec<Occurrence>) {
        let Some(value) = entry.value().as_string() else { return };
        if crate::expr::template::has_template(value) {
            return self.expression(entry, found);
        }
        // The expression inside the token's quotes, when it is written as is.
        let Some(inner) = self.name_span(entry) else { return };
        self.references(inner.start, self.text.get(inner), found);
    }

    /// The job references of the expression `source`, at byte `base`.
    fn references(&self, base: usize, source: Option<&str>, found: &mut Vec<Occurrence>) {
        let Some(source) = source else { return };
        let Ok(expression) = crate::expr::parse(source) else { return };
        super::expression::job_references(&expression, &mut |name| {
            let at = base + name.span.start..base + name.span.end;
            if self.text.get(at.clone()) == Some(name.text.as_str()) {
                found.push(Occurrence {
                    kind: Kind::Job,
                    name: name.text.clone(),
                    span: at,
                    role: Role::Expression,
                });
            }
        });
    }
}

/// Adds what a template or step list gives to `job`.
fn merge(job: &mut Job, part: &Job, template: bool) {
    if template {
        for need in &part.needs {
            push_once(&mut job.needs, need);
        }
        if !job.strategy {
            for axis in &part.axes {
                push_once(&mut job.axes, axis);
            }
        }
        for output in &part.outputs {
            push_once(&mut job.outputs, output);
        }
    }
    for id in &part.step_ids {
        push_once(&mut job.step_ids, id);
    }
}

fn push_once(list: &mut Vec<String>, item: &str) {
    if !list.iter().any(|i| i == item) {
        list.push(item.to_owned());
    }
}

/// The first argument of `node`, when it is a string.
pub fn first_string(node: &Node) -> Option<String> {
    node.entries()
        .iter()
        .find(|e| e.name().is_none())
        .and_then(|e| e.value().as_string())
        .map(str::to_owned)
}

/// The properties of `node`: key and entry.
pub fn properties(node: &Node) -> impl Iterator<Item = (&str, &Entry)> {
    node.entries().iter().filter_map(|e| e.name().map(|n| (n.value(), e)))
}

/// The bytes of an entry's value: for `key="v"`, just `"v"`.
pub fn value_span(entry: &Entry) -> Range<usize> {
    let span = entry.span();
    let end = span.offset() + span.len();
    match entry.name() {
        Some(_) if entry.repr_len() <= span.len() => end - entry.repr_len()..end,
        _ => span.offset()..end,
    }
}

/// The bytes of `node` from its name to its last token, its closing `}`
/// included when it has a block.
pub fn extent(text: &str, node: &Node) -> Range<usize> {
    let start = node.name().span().offset();
    start..end_of(text, node).max(start)
}

fn end_of(text: &str, node: &Node) -> usize {
    let name = node.name().span();
    let mut end = name.offset() + name.len();
    for entry in node.entries() {
        end = end.max(entry.span().offset() + entry.span().len());
    }
    let Some(children) = node.children() else { return end };
    for child in children {
        end = end.max(end_of(text, child));
    }
    closing_brace(text, end, children.is_empty()).map_or(end, |close| close + 1)
}

/// The `}` that closes a block whose last token ends at `from`: the next
/// character past blanks, `;` and comments (and past the `{` itself, for
/// an empty block).
fn closing_brace(text: &str, from: usize, empty: bool) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = from;
    let mut opened = !empty;
    while let Some(&b) = bytes.get(at) {
        match b {
            b'}' if opened => return Some(at),
            b'{' if !opened => opened = true,
            b'/' if bytes.get(at + 1) == Some(&b'/') => {
                at += text.get(at..)?.find('\n')?;
            }
            b'/' if bytes.get(at + 1) == Some(&b'*') => {
                at += text.get(at..)?.find("*/")? + 1;
            }
            b';' => {}
            _ if b.is_ascii_whitespace() => {}
            _ => return None,
        }
        at += 1;
    }
    None
}
