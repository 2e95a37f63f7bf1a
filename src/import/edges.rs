//! The plumbing of an imported workflow: which first steps are cigen's
//! automatic checkout, and which upload and download steps are an
//! `artifact` edge — when cigen's plumbing for them writes exactly the same
//! inputs. Everything else stays a plain step.

use std::collections::{BTreeMap, BTreeSet};

use super::kdl::{Node as Kdl, Value};
use super::yaml::{Kind, Node, Value as Yaml};
use crate::model::InputName;

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
    name: String,
    paths: Vec<String>,
    hidden: Option<bool>,
    if_missing: String,
    retention: Option<i128>,
}

/// A download step that an edge could stand for.
#[derive(Debug)]
struct Download {
    job: String,
    index: usize,
    /// The artifact name, or for `pattern: NAME-*`, `NAME`.
    name: String,
    pattern: bool,
    path: Option<String>,
}

impl Edges {
    /// No edges: every plumbing step stays a plain step, and the checkout
    /// becomes automatic only when it is `plumbing`'s.
    pub fn checkout_only(plumbing: Plumbing) -> Self {
        Self { plumbing: Some(plumbing), ..Self::default() }
    }

    /// Finds the edges of `jobs` (the workflow's `jobs` map).
    pub fn find(jobs: &Node, plumbing: Plumbing) -> Self {
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
            let mut end = steps.len();
            while end > at {
                match edges.upload(job, end - 1, &steps[end - 1], &entry.value) {
                    Some(upload) => uploads.push(upload),
                    None => break,
                }
                end -= 1;
            }
        }
        uploads.sort_by(|a, b| (&a.job, a.index).cmp(&(&b.job, b.index)));
        let order: Vec<&str> = jobs.entries().iter().filter_map(|e| e.key.key_str()).collect();
        uploads.sort_by_key(|u| order.iter().position(|j| *j == u.job));
        for upload in uploads {
            let pattern = is_pattern(&upload, jobs);
            let base = base_name(&upload, jobs);
            let consumers: Vec<&Download> = downloads
                .iter()
                .filter(|d| {
                    d.pattern == pattern && d.name == *if pattern { &base } else { &upload.name }
                })
                .collect();
            let needs_producer = consumers.iter().all(|d| {
                jobs.get(&d.job)
                    .and_then(|j| j.get("needs"))
                    .is_some_and(|needs| names(needs).contains(&upload.job.as_str()))
            });
            let one_path = consumers.windows(2).all(|w| w[0].path == w[1].path);
            if consumers.is_empty() || !needs_producer || !one_path {
                continue;
            }
            let mut artifact = Kdl::new("artifact").arg(base);
            match upload.paths.as_slice() {
                [one] => artifact.props.push(("path".to_owned(), Value::from(one.as_str()))),
                many => {
                    let mut path = Kdl::new("path");
                    path.args = many.iter().map(|p| Value::from(p.as_str())).collect();
                    artifact.push(path);
                }
            }
            artifact.props.push(("from".to_owned(), Value::from(upload.job.as_str())));
            match consumers.as_slice() {
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
                artifact
                    .props
                    .push(("if-missing".to_owned(), Value::from(upload.if_missing.as_str())));
            }
            if let Some(hidden) = upload.hidden {
                artifact.props.push(("hidden".to_owned(), Value::Bool(hidden)));
            }
            if let Some(into) = consumers.first().and_then(|d| d.path.clone()) {
                artifact.props.push(("into".to_owned(), Value::from(into)));
            }
            edges.converted.insert((upload.job.clone(), upload.index));
            edges.counts.entry(upload.job.clone()).or_default().1 += 1;
            for download in consumers {
                edges.consumed.push((download.job.clone(), upload.job.clone()));
                edges.converted.insert((download.job.clone(), download.index));
                edges.counts.entry(download.job.clone()).or_default().0 += 1;
            }
            edges.artifacts.push(artifact);
        }
        edges
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
            let name = name.as_str().filter(|n| !n.is_empty() && !n.contains("${{"))?;
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

    fn download(&self, job: &str, index: usize, step: &Node) -> Option<Download> {
        let plumbing = self.plumbing.as_ref()?;
        if step.get("uses")?.as_str()? != plumbing.download
            || !only(step, &["uses", "name", "with"])
        {
            return None;
        }
        let with = step.get("with")?;
        let path = match with.get("path") {
            Some(path) => Some(path.as_str()?.to_owned()),
            None => None,
        };
        if let Some(name) = with.get("name") {
            only(with, &["name", "path"]).then_some(())?;
            return Some(Download {
                job: job.to_owned(),
                index,
                name: name.as_str()?.to_owned(),
                pattern: false,
                path,
            });
        }
        only(with, &["pattern", "merge-multiple", "path"]).then_some(())?;
        let pattern = with.get("pattern")?.as_str()?;
        let merge = with.get("merge-multiple")?;
        (matches!(&merge.kind, Kind::Scalar(s) if s.value == Yaml::Bool(true))).then_some(())?;
        let name = pattern.strip_suffix("-*")?.to_owned();
        Some(Download { job: job.to_owned(), index, name, pattern: true, path })
    }

    fn upload(&self, job: &str, index: usize, step: &Node, job_node: &Node) -> Option<Upload> {
        let plumbing = self.plumbing.as_ref()?;
        if step.get("uses")?.as_str()? != plumbing.upload || !only(step, &["uses", "name", "with"])
        {
            return None;
        }
        let with = step.get("with")?;
        only(
            with,
            &["name", "path", "include-hidden-files", "if-no-files-found", "retention-days"],
        )
        .then_some(())?;
        let name = with.get("name")?.as_str()?;
        let paths: Vec<String> =
            with.get("path")?.as_str()?.split('\n').map(str::to_owned).collect();
        if paths.iter().any(|p| p.trim().is_empty() || p != p.trim()) {
            return None;
        }
        let if_missing = with.get("if-no-files-found")?.as_str()?;
        if !matches!(if_missing, "error" | "warn" | "ignore") {
            return None;
        }
        let retention = match with.get("retention-days") {
            Some(days) => match &days.kind {
                Kind::Scalar(s) => match s.value {
                    Yaml::Int(n) if (1..=90).contains(&n) => Some(n),
                    _ => return None,
                },
                _ => return None,
            },
            None => None,
        };
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
        // A matrix job's upload names each leg as cigen does.
        let matrix = job_node.get("strategy").and_then(|s| s.get("matrix"));
        if let Some(matrix) = matrix {
            let axes: Vec<&str> = matrix
                .entries()
                .iter()
                .filter_map(|e| e.key.key_str())
                .filter(|k| *k != "include" && *k != "exclude")
                .collect();
            // Legs whose values are not all scalars known before the run
            // are numbered, as cigen numbers them.
            let scalar = |n: &Node| matches!(n.kind, Kind::Scalar(_));
            let numbered = !matches!(matrix.kind, Kind::Map(_))
                || matrix.entries().iter().any(|e| match e.key.key_str() {
                    Some("include" | "exclude") => e
                        .value
                        .items()
                        .iter()
                        .any(|i| !i.entries().iter().all(|f| scalar(&f.value))),
                    _ => !matches!(&e.value.kind, Kind::Seq(items) if items.iter().all(scalar)),
                });
            let suffix: String = if axes.is_empty() || numbered {
                "-${{ strategy.job-index }}".to_owned()
            } else {
                axes.iter().map(|a| format!("-${{{{ matrix.{a} }}}}")).collect()
            };
            let base = name.strip_suffix(&suffix)?;
            crate::model::ArtifactName::new(base).ok()?;
        } else {
            crate::model::ArtifactName::new(name).ok()?;
        }
        Some(Upload {
            job: job.to_owned(),
            index,
            name: name.to_owned(),
            paths,
            hidden,
            if_missing: if_missing.to_owned(),
            retention,
        })
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

/// Whether the producer of `upload` runs as a matrix, so consumers download
/// with a pattern.
fn is_pattern(upload: &Upload, jobs: &Node) -> bool {
    jobs.get(&upload.job).and_then(|j| j.get("strategy")).and_then(|s| s.get("matrix")).is_some()
}

/// The artifact's name: the upload's name without a matrix suffix.
fn base_name(upload: &Upload, jobs: &Node) -> String {
    if !is_pattern(upload, jobs) {
        return upload.name.clone();
    }
    upload.name.split("-${{").next().unwrap_or(&upload.name).to_owned()
}
