//! The plumbing of an imported workflow: which first steps are cigen's
//! automatic checkout, and which upload and download steps are an
//! `artifact` edge — when cigen's plumbing for them writes exactly the same
//! inputs. Everything else stays a plain step.

use std::collections::{BTreeMap, BTreeSet};

use super::kdl::{Node as Kdl, Value};
use super::yaml::{Kind, Node, Value as Yaml};
use crate::model::{InputName, Legs};
use crate::target::actions::versions::{self, Generation};

/// The action references cigen's plumbing uses for one target.
#[derive(Clone, Debug)]
pub struct Plumbing {
    /// The checkout action.
    pub checkout: String,
    /// The upload action.
    pub upload: String,
    /// The download action.
    pub download: String,
}

/// The plumbing found in one workflow file.
#[derive(Debug, Default)]
pub struct Edges {
    plumbing: Option<Plumbing>,
    /// `(job, step index)` of the steps that became edges.
    converted: BTreeSet<(String, usize)>,
    /// `(job, step index)` of the uploads among them.
    uploads: BTreeSet<(String, usize)>,
    /// Per job, how many downloads and uploads cigen writes for it.
    counts: BTreeMap<String, (usize, usize)>,
    /// `(consumer, producer)` of every edge, in the order of the edges.
    consumed: Vec<(String, String)>,
    artifacts: Vec<Kdl>,
}

/// An upload step that an edge could stand for.
#[derive(Debug)]
struct Upload {
    job: String,
    index: usize,
    /// The name as written.
    name: String,
    /// The artifact's name: `name` without the suffix that names a leg.
    base: String,
    /// Whether each leg of a matrix producer uploads its own artifact.
    per_leg: bool,
    /// Whether the producer runs as a matrix.
    matrix: bool,
    paths: Vec<String>,
    hidden: Option<bool>,
    /// `if-no-files-found`; the actions' default, `warn`, when absent.
    if_missing: String,
    retention: Option<i128>,
    compression: Option<i128>,
    condition: Option<String>,
}

/// How a download names what it takes.
#[derive(Clone, Debug, PartialEq)]
enum Takes {
    /// One artifact, `name:`.
    Name(String),
    /// Every artifact whose name matches `pattern:`, merged into one
    /// folder or each in its own.
    Pattern { pattern: String, merge: bool },
    /// Every artifact of the run (no `name`, no `pattern`).
    All,
}

/// A download step.
#[derive(Debug)]
struct Download {
    job: String,
    index: usize,
    takes: Takes,
    path: Option<String>,
    /// Whether it stands where cigen's plumbing puts downloads and has only
    /// the inputs cigen writes.
    placed: bool,
}

impl Download {
    /// Whether it takes the artifact `name`.
    fn takes(&self, name: &str) -> bool {
        match &self.takes {
            Takes::Name(taken) => taken == name,
            Takes::Pattern { pattern, .. } => glob(pattern, name),
            Takes::All => true,
        }
    }
}

impl Edges {
    /// No edges: every plumbing step stays a plain step, and the checkout
    /// becomes automatic only when it is `plumbing`'s.
    pub fn checkout_only(plumbing: Plumbing) -> Self {
        Self { plumbing: Some(plumbing), ..Self::default() }
    }

    /// Finds the edges of `jobs` (the workflow's `jobs` map): every upload
    /// that cigen's plumbing writes as it stands, with every download of it
    /// in the file also where and as cigen writes it.
    pub fn find(jobs: &Node, plumbing: Plumbing) -> Self {
        let v3 = [&plumbing.upload, &plumbing.download]
            .into_iter()
            .any(|r| versions::of_reference(r) == Some(Generation::V3));
        let mut edges = Self::checkout_only(plumbing);
        let mut uploads = Vec::new();
        let mut downloads = Vec::new();
        for entry in jobs.entries() {
            let Some(job) = entry.key.key_str() else { continue };
            let steps = entry.value.get("steps").map(Node::items).unwrap_or_default();
            let mut at = edges.checkout_in(steps).map_or(0, |(index, _)| index + 1);
            while let Some(download) = steps.get(at).and_then(|s| edges.download(job, at, s)) {
                downloads.push(download);
                at += 1;
            }
            for (index, step) in steps.iter().enumerate().skip(at) {
                downloads.extend(any_download(job, index, step));
            }
            let mut end = steps.len();
            while end > at {
                match edges.upload(job, end - 1, &steps[end - 1], &entry.value, v3) {
                    Some(upload) => uploads.push(upload),
                    None => break,
                }
                end -= 1;
            }
        }
        let order: Vec<&str> = jobs.entries().iter().filter_map(|e| e.key.key_str()).collect();
        uploads.sort_by_key(|u| (order.iter().position(|j| *j == u.job), u.index));
        let is_matrix = |job: &str| {
            jobs.get(job).and_then(|j| j.get("strategy")).and_then(|s| s.get("matrix")).is_some()
        };
        for upload in &uploads {
            let consumers: Vec<&Download> =
                downloads.iter().filter(|d| d.takes(&upload.name)).collect();
            // Each download of it must be cigen's, and take nothing else.
            let alone = consumers.iter().all(|d| {
                d.placed
                    && d.job != upload.job
                    && uploads.iter().filter(|u| d.takes(&u.name)).count() == 1
            });
            let forms: Vec<Option<Legs>> =
                consumers.iter().map(|d| legs(upload, &d.takes, is_matrix(&d.job), v3)).collect();
            let Some(Some(legs)) = forms.first().copied() else {
                // v3 would upload the legs under one name.
                if consumers.is_empty() && !(v3 && upload.per_leg) {
                    edges.add(upload, &[], Legs::Merged);
                }
                continue;
            };
            let needs_producer = consumers.iter().all(|d| {
                jobs.get(&d.job)
                    .and_then(|j| j.get("needs"))
                    .is_some_and(|needs| names(needs).contains(&upload.job.as_str()))
            });
            let one_path = consumers.windows(2).all(|w| w[0].path == w[1].path);
            let one_job = consumers
                .iter()
                .enumerate()
                .all(|(i, d)| consumers[..i].iter().all(|earlier| earlier.job != d.job));
            let one_legs = forms.iter().all(|l| *l == Some(legs));
            if alone && needs_producer && one_path && one_job && one_legs {
                edges.add(upload, &consumers, legs);
            }
        }
        edges
    }

    /// Records the edge of `upload` to `consumers`.
    fn add(&mut self, upload: &Upload, consumers: &[&Download], legs: Legs) {
        let mut artifact = Kdl::new("artifact").arg(upload.base.as_str());
        match upload.paths.as_slice() {
            [one] => artifact.props.push(("path".to_owned(), Value::from(one.as_str()))),
            many => {
                let mut path = Kdl::new("path");
                path.args = many.iter().map(|p| Value::from(p.as_str())).collect();
                artifact.push(path);
            }
        }
        artifact.props.push(("from".to_owned(), Value::from(upload.job.as_str())));
        match consumers {
            [] => {}
            [one] => artifact.props.push(("to".to_owned(), Value::from(one.job.as_str()))),
            many => {
                let mut to = Kdl::new("to");
                to.args = many.iter().map(|d| Value::from(d.job.as_str())).collect();
                artifact.push(to);
            }
        }
        if let Some(days) = upload.retention {
            artifact.props.push(("retention-days".to_owned(), Value::Int(days)));
        }
        if upload.if_missing != "error" {
            artifact.props.push(("if-missing".to_owned(), Value::from(upload.if_missing.as_str())));
        }
        if let Some(hidden) = upload.hidden {
            artifact.props.push(("hidden".to_owned(), Value::Bool(hidden)));
        }
        if let Some(into) = consumers.first().and_then(|d| d.path.clone()) {
            artifact.props.push(("into".to_owned(), Value::from(into)));
        }
        if let Some(condition) = &upload.condition {
            artifact.props.push(("if".to_owned(), Value::from(condition.as_str())));
        }
        if let Some(level) = upload.compression {
            artifact.props.push(("compression-level".to_owned(), Value::Int(level)));
        }
        if legs != Legs::Merged {
            artifact.props.push(("legs".to_owned(), Value::from(legs.name())));
        }
        self.converted.insert((upload.job.clone(), upload.index));
        self.uploads.insert((upload.job.clone(), upload.index));
        self.counts.entry(upload.job.clone()).or_default().1 += 1;
        for download in consumers {
            self.consumed.push((download.job.clone(), upload.job.clone()));
            self.converted.insert((download.job.clone(), download.index));
            self.counts.entry(download.job.clone()).or_default().0 += 1;
        }
        self.artifacts.push(artifact);
    }

    /// When `step` is the plumbing checkout with `persist-credentials:
    /// false`, its other inputs: the settings of `checkout`.
    pub fn checkout(&self, step: &Node) -> Option<Vec<(String, Value)>> {
        let plumbing = self.plumbing.as_ref()?;
        if step.get("uses")?.as_str()? != plumbing.checkout
            || !only(step, &["uses", "name", "with"])
        {
            return None;
        }
        let with = step.get("with")?;
        let mut settings = Vec::new();
        if let Some(name) = step.get("name") {
            let name = name
                .as_str()
                .filter(|n| !n.is_empty() && !crate::expr::template::has_template(n))?;
            settings.push(("name".to_owned(), Value::String(name.to_owned())));
        }
        // cigen writes `persist-credentials` always: the file must say it.
        let mut persist = false;
        for entry in with.entries() {
            let key = entry.key.key_str()?;
            let Kind::Scalar(scalar) = &entry.value.kind else { return None };
            if key == "persist-credentials" {
                let Yaml::Bool(keep) = scalar.value else { return None };
                persist = true;
                if keep {
                    settings.push(("persist-credentials".to_owned(), Value::Bool(true)));
                }
                continue;
            }
            InputName::new(key).ok()?;
            let value = match &scalar.value {
                Yaml::String(s) => Value::String(s.clone()),
                Yaml::Int(n) => Value::Int(*n),
                Yaml::Bool(b) => Value::Bool(*b),
                _ => return None,
            };
            settings.push((key.to_owned(), value));
        }
        persist.then_some(settings)
    }

    /// The first step of `steps` that becomes the automatic checkout: its
    /// index and its settings.
    pub fn checkout_in(&self, steps: &[Node]) -> Option<(usize, Vec<(String, Value)>)> {
        steps.iter().enumerate().find_map(|(index, step)| Some((index, self.checkout(step)?)))
    }

    /// A download where cigen puts them, with only the inputs cigen writes.
    fn download(&self, job: &str, index: usize, step: &Node) -> Option<Download> {
        let plumbing = self.plumbing.as_ref()?;
        if step.get("uses")?.as_str()? != plumbing.download
            || !only(step, &["uses", "name", "with"])
        {
            return None;
        }
        let with = step.get("with")?;
        only(with, &["name", "pattern", "merge-multiple", "path"]).then_some(())?;
        let path = match with.get("path") {
            Some(path) => Some(path.as_str()?.to_owned()),
            None => None,
        };
        let takes = match (with.get("name"), with.get("pattern"), with.get("merge-multiple")) {
            (Some(name), None, None) => Takes::Name(name.as_str()?.to_owned()),
            (None, Some(pattern), merge) => {
                let merge = match merge {
                    None => false,
                    Some(m) if matches!(&m.kind, Kind::Scalar(s) if s.value == Yaml::Bool(true)) => {
                        true
                    }
                    Some(_) => return None,
                };
                Takes::Pattern { pattern: pattern.as_str()?.to_owned(), merge }
            }
            _ => return None,
        };
        Some(Download { job: job.to_owned(), index, takes, path, placed: true })
    }

    /// An upload among a job's last steps that cigen's plumbing writes as
    /// it stands.
    fn upload(
        &self,
        job: &str,
        index: usize,
        step: &Node,
        job_node: &Node,
        v3: bool,
    ) -> Option<Upload> {
        let plumbing = self.plumbing.as_ref()?;
        if step.get("uses")?.as_str()? != plumbing.upload
            || !only(step, &["uses", "name", "with", "if"])
        {
            return None;
        }
        let condition = match step.get("if") {
            Some(condition) => Some(condition.as_str()?.to_owned()),
            None => None,
        };
        let with = step.get("with")?;
        only(
            with,
            &[
                "name",
                "path",
                "include-hidden-files",
                "if-no-files-found",
                "retention-days",
                "compression-level",
            ],
        )
        .then_some(())?;
        let name = with.get("name")?.as_str()?;
        let paths: Vec<String> =
            with.get("path")?.as_str()?.split('\n').map(str::to_owned).collect();
        if paths.iter().any(|p| p.trim().is_empty() || p != p.trim()) {
            return None;
        }
        let if_missing = match with.get("if-no-files-found") {
            Some(value) => value.as_str()?,
            None => "warn",
        };
        if !matches!(if_missing, "error" | "warn" | "ignore") {
            return None;
        }
        let retention = integer(with.get("retention-days"), 1..=90)?;
        let compression = integer(with.get("compression-level"), 0..=9)?;
        let dotted = paths.iter().any(|path| {
            path.split(['/', '\\']).any(|part| part.starts_with('.') && part != "." && part != "..")
        });
        let hidden = match with.get("include-hidden-files") {
            None if dotted => Some(false),
            None => None,
            Some(value) => match &value.kind {
                Kind::Scalar(s) if s.value == Yaml::Bool(true) => (!dotted).then_some(true),
                _ => return None,
            },
        };
        let matrix = job_node.get("strategy").and_then(|s| s.get("matrix"));
        // A matrix job's legs upload an artifact each, named as cigen names
        // them; with the v3 actions they may share the artifact's own name.
        let (base, per_leg) = match matrix.map(leg_suffix) {
            Some(suffix) => match name.strip_suffix(&suffix) {
                Some(base) => (base, true),
                None if v3 => (name, false),
                None => return None,
            },
            None => (name, false),
        };
        crate::model::ArtifactName::new(base).ok()?;
        Some(Upload {
            job: job.to_owned(),
            index,
            name: name.to_owned(),
            base: base.to_owned(),
            per_leg,
            matrix: matrix.is_some(),
            paths,
            hidden,
            if_missing: if_missing.to_owned(),
            retention,
            compression,
            condition,
        })
    }

    /// Whether step `index` of `job` became the upload of an edge.
    pub fn is_upload(&self, job: &str, index: usize) -> bool {
        self.uploads.contains(&(job.to_owned(), index))
    }

    /// Whether step `index` of `job` became an edge.
    pub fn is_plumbing(&self, job: &str, index: usize) -> bool {
        self.converted.contains(&(job.to_owned(), index))
    }

    /// The steps of `job` that became edges, by index in the file.
    pub fn converted_in(&self, job: &str) -> Vec<usize> {
        self.converted.iter().filter(|(j, _)| j == job).map(|(_, i)| *i).collect()
    }

    /// The producers of the artifacts `job` consumes, in the order cigen
    /// adds them to its `needs`.
    pub fn producers_of(&self, job: &str) -> Vec<String> {
        let mut producers: Vec<String> = Vec::new();
        for (consumer, producer) in &self.consumed {
            if consumer == job && !producers.contains(producer) {
                producers.push(producer.clone());
            }
        }
        producers
    }

    /// How many downloads and uploads cigen writes for `job`.
    pub fn counts(&self, job: &str) -> (usize, usize) {
        self.counts.get(job).copied().unwrap_or_default()
    }

    /// The `artifact` nodes, in the order the producers' uploads stand.
    pub fn nodes(&self) -> Vec<Kdl> {
        self.artifacts.clone()
    }
}

/// Whether `node` (a map) has no keys but `allowed`.
fn only(node: &Node, allowed: &[&str]) -> bool {
    node.entries().iter().all(|e| e.key.key_str().is_some_and(|k| allowed.contains(&k)))
}

/// The strings of a `needs`: one, or a list.
fn names(node: &Node) -> Vec<&str> {
    match &node.kind {
        Kind::Seq(items) => items.iter().filter_map(Node::as_str).collect(),
        _ => node.as_str().into_iter().collect(),
    }
}

/// The `legs` of an edge from `upload` to a download that `takes` it, by
/// a consumer that runs as a matrix or not; `None` when cigen's plumbing
/// has no such download.
fn legs(upload: &Upload, takes: &Takes, consumer_matrix: bool, v3: bool) -> Option<Legs> {
    match takes {
        Takes::Name(name) if !upload.matrix => (*name == upload.name).then_some(Legs::Merged),
        Takes::Name(name) if upload.per_leg => {
            (consumer_matrix && *name == upload.name).then_some(Legs::Paired)
        }
        Takes::Name(name) => (*name == upload.base).then_some(Legs::Merged),
        Takes::Pattern { pattern, merge } => {
            let ours = upload.matrix && upload.per_leg && !v3;
            (ours && *pattern == format!("{}-*", upload.base)).then_some(if *merge {
                Legs::Merged
            } else {
                Legs::Separate
            })
        }
        Takes::All => None,
    }
}

/// The suffix cigen gives the artifact of each leg of `matrix`: one
/// `-${{ matrix.AXIS }}` per axis, or the leg's number when its values are
/// not all scalars known before the run.
fn leg_suffix(matrix: &Node) -> String {
    let axes: Vec<&str> = matrix
        .entries()
        .iter()
        .filter_map(|e| e.key.key_str())
        .filter(|k| *k != "include" && *k != "exclude")
        .collect();
    let scalar = |n: &Node| matches!(n.kind, Kind::Scalar(_));
    let numbered = !matches!(matrix.kind, Kind::Map(_))
        || matrix.entries().iter().any(|e| match e.key.key_str() {
            Some("include" | "exclude") => {
                e.value.items().iter().any(|i| !i.entries().iter().all(|f| scalar(&f.value)))
            }
            _ => !matches!(&e.value.kind, Kind::Seq(items) if items.iter().all(scalar)),
        });
    if axes.is_empty() || numbered {
        "-${{ strategy.job-index }}".to_owned()
    } else {
        axes.iter().map(|a| format!("-${{{{ matrix.{a} }}}}")).collect()
    }
}

/// How many steps of the workflow `root` upload an artifact, by whatever
/// reference of the artifact action.
pub fn uploads(root: &Node) -> usize {
    let jobs = root.get("jobs").map(Node::entries).unwrap_or_default();
    let steps = jobs.iter().flat_map(|j| j.value.get("steps").map(Node::items).unwrap_or_default());
    steps
        .filter(|step| {
            let uses = step.get("uses").and_then(Node::as_str).unwrap_or_default();
            uses.split('@').next().unwrap_or(uses).ends_with("/upload-artifact")
        })
        .count()
}

/// Any download of artifacts, by whatever action reference and wherever it
/// stands: what it takes, for knowing which uploads are consumed.
fn any_download(job: &str, index: usize, step: &Node) -> Option<Download> {
    let uses = step.get("uses")?.as_str()?;
    let action = uses.split('@').next().unwrap_or(uses);
    if !action.ends_with("/download-artifact") {
        return None;
    }
    let with = step.get("with");
    let text = |key: &str| with.and_then(|w| w.get(key)).and_then(Node::as_str).map(str::to_owned);
    let takes = match (text("name"), text("pattern")) {
        (Some(name), _) => Takes::Name(name),
        (None, Some(pattern)) => Takes::Pattern { pattern, merge: false },
        (None, None) => Takes::All,
    };
    Some(Download { job: job.to_owned(), index, takes, path: None, placed: false })
}

/// An integer input in `range`: `Some(None)` when absent, `None` when it is
/// not such an integer.
fn integer(node: Option<&Node>, range: std::ops::RangeInclusive<i128>) -> Option<Option<i128>> {
    let Some(node) = node else { return Some(None) };
    match &node.kind {
        Kind::Scalar(s) => match s.value {
            Yaml::Int(n) if range.contains(&n) => Some(Some(n)),
            _ => None,
        },
        _ => None,
    }
}

/// Whether `name` matches the glob `pattern` (`*` any text, `?` one
/// character), as the download action matches artifact names.
fn glob(pattern: &str, name: &str) -> bool {
    let (p, n): (Vec<char>, Vec<char>) = (pattern.chars().collect(), name.chars().collect());
    // The classic two-pointer match with one star to fall back to.
    let (mut i, mut j, mut star, mut mark) = (0, 0, None, 0);
    while j < n.len() {
        if i < p.len() && (p[i] == '?' || p[i] == n[j]) {
            i += 1;
            j += 1;
        } else if i < p.len() && p[i] == '*' {
            star = Some(i);
            mark = j;
            i += 1;
        } else if let Some(s) = star {
            i = s + 1;
            mark += 1;
            j = mark;
        } else {
            return false;
        }
    }
    p[i..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn globs_match_artifact_names_as_the_download_action_does() {
        assert!(glob("coverage-*", "coverage-${{ matrix.python }}"));
        assert!(glob("artifacts-*", "artifacts-plan-dist-manifest"));
        assert!(glob("a?c*", "abc"));
        assert!(!glob("coverage-*", "coverage"));
        assert!(!glob("wheels-*", "artifacts-wheels-x"));
    }
}
