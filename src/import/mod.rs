//! `cigen import`: existing workflow YAML → the `pipeline.kdl` that
//! generates it, exact or refused, never lossy.
//!
//! ```text
//! files ─yaml::parse─▶ nodes with spans ─convert─▶ KDL nodes ─kdl::print─▶ spec text
//!                                                                   │
//!        compare (as the runners read it) ◀─render─ cigen::compile ◀┘
//! ```
//!
//! Each file becomes one `workflow`. What the language cannot say is
//! refused where it stands in the YAML, every such place at once. What it
//! can say is written idiomatically where cigen's plumbing says the same: a
//! first checkout step becomes the automatic checkout, an upload with its
//! downloads an `artifact` edge. Before anything is printed the spec is
//! compiled again and each output compared with its file (see [`compare`]);
//! a file whose idiomatic form differs falls back to plain steps, and a
//! file that still differs is refused with the first difference.

pub mod compare;
mod convert;
mod edges;
pub mod error;
mod factor;
pub mod kdl;
pub mod yaml;

use std::collections::BTreeMap;
use std::sync::Arc;

use convert::Converter;
use edges::{Edges, Plumbing};
use error::{ImportError, Located};

use crate::render::{Renderer, TemplateSource};
use crate::source::Source;
use crate::target::{Lowering, Target};

/// A workflow file to import.
#[derive(Clone, Debug)]
pub struct File {
    /// The name diagnostics show (a path as the user gave it).
    pub name: String,
    /// Its path relative to the project (the spec's folder), `/`-separated,
    /// when it is inside the project.
    pub relative: Option<String>,
    /// Its text.
    pub text: Arc<String>,
    /// The target it is for.
    pub target: Target,
}

/// A spec built from workflow files.
#[derive(Debug)]
pub struct Imported {
    /// The text of `pipeline.kdl`.
    pub spec: String,
    /// Things the user should know (comments that could not be carried).
    pub notes: Vec<String>,
    /// The files' artifact hand-offs, and how many became `artifact` edges.
    pub handoffs: Handoffs,
}

/// Artifact hand-offs: upload steps of the artifact action, each with the
/// downloads of what it uploads, or none for files kept for people.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Handoffs {
    /// Upload steps in the files.
    pub uploads: usize,
    /// Those that became `artifact` edges, with their downloads.
    pub edges: usize,
}

/// How idiomatic a file's workflow is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    /// Automatic checkout and artifact edges.
    Idiomatic,
    /// Automatic checkout, plain upload and download steps.
    Checkout,
    /// Every step as it is.
    Plain,
}

/// One file, read.
struct Read {
    file: File,
    root: yaml::Node,
    id: String,
    output: Option<String>,
    comments: Vec<(usize, String)>,
    level: Level,
}

/// Imports `files` into one spec.
pub fn import(files: &[File]) -> Result<Imported, Vec<Located>> {
    let mut errors = Vec::new();
    let mut read = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    for file in files {
        let root = match yaml::parse(&file.text) {
            Ok(root) => root,
            Err(found) => {
                errors.extend(
                    found.into_iter().map(|e| error::located(&file.name, &file.text, e.into())),
                );
                continue;
            }
        };
        if let Some(problem) = not_a_workflow(&root) {
            let error = ImportError::NotAWorkflow {
                name: file.name.clone(),
                problem: problem.to_owned(),
                span: root.span,
            };
            errors.push(error::located(&file.name, &file.text, error));
            continue;
        }
        let (id, output) = identity(file, &ids);
        ids.push(id.clone());
        let comments =
            yaml::comments(&file.text, &root).into_iter().map(|c| (c.line, c.text)).collect();
        read.push(Read { file: file.clone(), root, id, output, comments, level: Level::Idiomatic });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut overrides = overrides(&read);
    let renderer = Renderer::new(TemplateSource::default());
    let mut notes = Vec::new();
    loop {
        let mut workflows: Vec<kdl::Node> = Vec::new();
        let mut all_edges = Vec::new();
        let mut refused = Vec::new();
        let mut checkouts = 0;
        notes.clear();
        for file in &read {
            let plumbing = plumbing(file.file.target, &overrides);
            let jobs = file.root.get("jobs");
            let edges = match (file.level, &plumbing, jobs) {
                (Level::Idiomatic, Some(p), Some(jobs)) => Edges::find(jobs, p.clone()),
                (Level::Checkout, Some(p), _) => Edges::checkout_only(p.clone()),
                _ => Edges::default(),
            };
            let mut converter = Converter::new(&file.file.text, file.file.target, &file.comments);
            converter.idiomatic_checkout = file.level != Level::Plain;
            let converted =
                converter.workflow(&file.root, &file.id, file.output.as_deref(), &edges);
            checkouts += converter.checkouts;
            refused.extend(
                converter
                    .errors
                    .into_iter()
                    .map(|e| error::located(&file.file.name, &file.file.text, e)),
            );
            if converter.carried < file.comments.len() {
                notes.push(format!(
                    "{}: {} of {} comments were not carried over (only those on their own lines above a job or a step are)",
                    file.file.name,
                    file.comments.len() - converter.carried,
                    file.comments.len()
                ));
            }
            workflows.push(converted.workflow);
            all_edges.push(edges);
        }
        if !refused.is_empty() {
            return Err(refused);
        }
        let mut nodes = Vec::new();
        if let Some(actions) = actions_node(&overrides) {
            nodes.push(actions);
        }
        // What jobs repeat becomes a step list, defined before the workflows.
        nodes.extend(factor::step_lists(&mut workflows));
        nodes.extend(workflows);
        let spec = kdl::print(&nodes);
        let outputs = compile(&spec, &renderer);
        let mut retry = false;
        let mut problems = Vec::new();
        for (file, edges) in read.iter_mut().zip(&all_edges) {
            let ours = outputs.as_ref().ok().and_then(|o| o.get(&file.id));
            if let Err(Refused::Mistake { detail, at }) = &outputs {
                // The workflow itself is wrong: no import level can help.
                // The mistake is in the file whose workflow holds it.
                if workflow_at(&spec, at.offset()).as_deref() == Some(file.id.as_str()) {
                    let span = find_in_file(&spec, *at, file).unwrap_or(file.root.span);
                    problems.push(error::located(
                        &file.file.name,
                        &file.file.text,
                        ImportError::Mistake { detail: detail.clone(), span },
                    ));
                }
                continue;
            }
            let difference = match ours {
                Some(text) => differs(file, text, edges),
                None => Some((
                    "the file".to_owned(),
                    file.root.span,
                    match &outputs {
                        Err(Refused::Other(message)) => {
                            format!("the spec cigen built is refused: {message}")
                        }
                        _ => "cigen wrote no file for it".to_owned(),
                    },
                )),
            };
            let Some((path, span, detail)) = difference else { continue };
            if file.level < Level::Plain {
                file.level =
                    if file.level == Level::Idiomatic { Level::Checkout } else { Level::Plain };
                retry = true;
            } else {
                problems.push(error::located(
                    &file.file.name,
                    &file.file.text,
                    ImportError::NotExact { path, detail, span },
                ));
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        if retry {
            continue;
        }
        // An override no plumbing step uses only adds noise: drop it.
        let edges = all_edges.iter().map(|e| e.nodes().len()).sum::<usize>();
        let used = [checkouts > 0, edges > 0, edges > 0];
        let unused: Vec<usize> = (0..3).filter(|&i| overrides[i].is_some() && !used[i]).collect();
        if unused.is_empty() {
            let uploads = read.iter().map(|f| edges::uploads(&f.root)).sum();
            let handoffs = Handoffs { uploads, edges };
            if uploads > edges {
                notes.push(format!(
                    "{edges} of {uploads} artifact uploads became `artifact` edges; the others stay plain steps, since cigen's plumbing would place them or their downloads elsewhere, or no edge says how they are downloaded"
                ));
            }
            return Ok(Imported { spec, notes, handoffs });
        }
        for slot in unused {
            overrides[slot] = None;
        }
    }
}

/// Why `root` is not a workflow, if it is not.
fn not_a_workflow(root: &yaml::Node) -> Option<&'static str> {
    if !matches!(root.kind, yaml::Kind::Map(_)) {
        return Some("its top level is not a map");
    }
    if root.get("jobs").is_none() {
        return Some("it has no `jobs`");
    }
    if root.get("on").is_none() {
        return Some("it has no `on`");
    }
    None
}

/// The workflow id of `file` (its name, made a valid id and unique among
/// `taken`) and its output file when that is not the target's default.
fn identity(file: &File, taken: &[String]) -> (String, Option<String>) {
    let name = file.relative.as_deref().unwrap_or(&file.name);
    let base = name.rsplit('/').next().unwrap_or(name);
    let stem = base.strip_suffix(".yml").or_else(|| base.strip_suffix(".yaml")).unwrap_or(base);
    let mut id: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-') { c } else { '-' })
        .collect();
    if crate::model::WorkflowId::new(&id).is_err() {
        id = "workflow".to_owned();
    }
    let mut unique = id.clone();
    let mut n = 2;
    while taken.contains(&unique) {
        unique = format!("{id}-{n}");
        n += 1;
    }
    let output = file.relative.clone().filter(|path| *path != file.target.default_file(&unique));
    (unique, output)
}

/// The plumbing references every Actions file agrees on, when they differ
/// from the targets' own: `(checkout, upload, download)`.
fn overrides(read: &[Read]) -> [Option<String>; 3] {
    let mut found: [BTreeMap<String, usize>; 3] = Default::default();
    let actions =
        read.iter().filter(|f| matches!(f.file.target.row().lowering, Lowering::Actions(_)));
    let targets: Vec<Target> = actions.clone().map(|f| f.file.target).collect();
    for file in actions {
        for job in file.root.get("jobs").map(yaml::Node::entries).unwrap_or_default() {
            let steps = job.value.get("steps").map(yaml::Node::items).unwrap_or_default();
            for (i, step) in steps.iter().enumerate() {
                let Some(uses) = step.get("uses").and_then(yaml::Node::as_str) else { continue };
                let name = uses.split('@').next().unwrap_or(uses);
                let slot = if name.ends_with("/checkout") && i == 0 {
                    0
                } else if name.ends_with("/upload-artifact") {
                    1
                } else if name.ends_with("/download-artifact") {
                    2
                } else {
                    continue;
                };
                *found[slot].entry(uses.to_owned()).or_default() += 1;
            }
        }
    }
    let defaults = |slot: usize, target: Target| match target.row().lowering {
        Lowering::Actions(platform) => {
            let action =
                [platform.checkout, platform.upload_artifact, platform.download_artifact][slot];
            Some(action.reference)
        }
        Lowering::Gitlab => None,
    };
    let mut result: [Option<String>; 3] = Default::default();
    for (slot, uses) in found.iter().enumerate() {
        if let [(reference, _)] = uses.iter().collect::<Vec<_>>().as_slice()
            && targets.iter().any(|t| defaults(slot, *t) != Some(reference.as_str()))
        {
            result[slot] = Some((*reference).clone());
        }
    }
    result
}

/// The plumbing of `target` under `overrides`; `None` for a target without
/// plumbing steps.
fn plumbing(target: Target, overrides: &[Option<String>; 3]) -> Option<Plumbing> {
    let Lowering::Actions(platform) = target.row().lowering else { return None };
    let pick =
        |slot: usize, default: &str| overrides[slot].clone().unwrap_or_else(|| default.to_owned());
    Some(Plumbing {
        checkout: pick(0, platform.checkout.reference),
        upload: pick(1, platform.upload_artifact.reference),
        download: pick(2, platform.download_artifact.reference),
    })
}

/// The `actions` node of the overrides, if any.
fn actions_node(overrides: &[Option<String>; 3]) -> Option<kdl::Node> {
    let mut node = kdl::Node::new("actions");
    for (slot, name) in ["checkout", "upload-artifact", "download-artifact"].iter().enumerate() {
        if let Some(reference) = &overrides[slot] {
            node.push(kdl::Node::new(name).arg(reference.as_str()));
        }
    }
    node.has_children().then_some(node)
}

/// The id of the workflow of the spec text `spec` that stands at `offset`.
fn workflow_at(spec: &str, offset: usize) -> Option<String> {
    let before = spec.get(..offset)?;
    let start = before
        .rfind("\nworkflow \"")
        .map(|i| i + 1)
        .or_else(|| before.starts_with("workflow \"").then_some(0))?;
    let rest = &spec[start + "workflow \"".len()..];
    rest.split('"').next().map(str::to_owned)
}

/// Where the spec's text at `at` stands in `file`: within the job the spec
/// says it in, the first place that holds exactly the `${{ … }}` or the
/// quoted string around it (values are copied as written), or else that
/// text itself.
fn find_in_file(spec: &str, at: miette::SourceSpan, file: &Read) -> Option<miette::SourceSpan> {
    let (from, to) = (at.offset(), at.offset() + at.len());
    let written = spec.get(from..to)?;
    if written.trim().is_empty() {
        return None;
    }
    let text = file.file.text.as_str();
    // The job's part of the file, when the spec says it in a job.
    let job = spec[..from]
        .rfind("\n    job \"")
        .and_then(|i| spec[i + 10..].split('"').next())
        .and_then(|id| {
            file.root.get("jobs")?.entries().iter().find(|e| e.key.key_str() == Some(id))
        })
        .map(|entry| {
            let start = entry.key.span.offset();
            start..entry.value.span.offset() + entry.value.span.len()
        })
        .unwrap_or(0..text.len());
    let within = &text[job.clone()];
    let line_start = spec[..from].rfind('\n').map_or(0, |i| i + 1);
    let line_end = spec[to..].find('\n').map_or(spec.len(), |i| to + i);
    let around = |open: &str, close: &str| {
        let o = spec[line_start..from].rfind(open).map(|i| line_start + i + open.len())?;
        let c = spec[to..line_end].find(close).map(|i| to + i)?;
        Some((o, c))
    };
    let contexts = [around("${{", "}}"), around("\"", "\"")];
    for (open, close) in contexts.into_iter().flatten() {
        let context = &spec[open..close];
        if context.contains('\\') {
            continue;
        }
        if let Some(found) = within.find(context) {
            let at = job.start + found + (from - open);
            return Some(miette::SourceSpan::new(at.into(), written.len()));
        }
    }
    let found = within.find(written)?;
    Some(miette::SourceSpan::new((job.start + found).into(), written.len()))
}

/// Why the spec built from the files does not compile.
enum Refused {
    /// The files hold a mistake cigen's checks find (an expression, a cron
    /// line, a pattern): the first one, and where the spec says it.
    Mistake { detail: String, at: miette::SourceSpan },
    /// Anything else: the spec cigen built is wrong.
    Other(String),
}

/// Compiles `spec`: every output's text by workflow id, or why not.
fn compile(spec: &str, renderer: &Renderer) -> Result<BTreeMap<String, String>, Refused> {
    let source = Source::new("pipeline.kdl", spec);
    match crate::compile(&source, "pipeline.kdl", renderer) {
        Ok(outputs) => Ok(outputs.into_iter().map(|o| (o.workflow, o.text)).collect()),
        Err(crate::Failure::Spec(diagnostics)) => {
            let Some(first) = diagnostics.0.first() else {
                return Err(Refused::Other("no detail".to_owned()));
            };
            let message = first.to_string();
            if first.error().is_a_mistake_in_the_workflow() {
                use miette::Diagnostic as _;
                let at = first
                    .error()
                    .labels()
                    .and_then(|mut labels| labels.next())
                    .map_or_else(|| miette::SourceSpan::new(0.into(), 0), |l| *l.inner());
                Err(Refused::Mistake { detail: message, at })
            } else {
                Err(Refused::Other(message))
            }
        }
        Err(crate::Failure::Template(e)) => Err(Refused::Other(e.to_string())),
    }
}

/// Where cigen's output `ours` differs from the file, as the runners read
/// them, the names of the steps that became plumbing aside.
fn differs(file: &Read, ours: &str, edges: &Edges) -> Option<(String, miette::SourceSpan, String)> {
    let Ok(output) = yaml::parse(ours) else {
        return Some((
            "the file".to_owned(),
            file.root.span,
            "cigen's output does not parse".to_owned(),
        ));
    };
    let mut theirs = compare::data(&file.root);
    let mut ours = compare::data(&output);
    for job in file.root.get("jobs").map(yaml::Node::entries).unwrap_or_default() {
        let Some(id) = job.key.key_str() else { continue };
        if let Some(steps) = theirs.steps_mut(id) {
            for index in edges.converted_in(id) {
                if let Some(step) = steps.get_mut(index) {
                    step.remove("name");
                    // The artifact actions' default: cigen writes it out.
                    if edges.is_upload(id, index) {
                        step.default_input("with", "if-no-files-found", "warn");
                    }
                }
            }
        }
        let (downloads, uploads) = edges.counts(id);
        if let Some(steps) = ours.steps_mut(id) {
            let first =
                if file.level == Level::Plain { 0 } else { edges_start(&file.root, id, edges) };
            let len = steps.len();
            for (i, step) in steps.iter_mut().enumerate() {
                let download = (first..first + downloads).contains(&i);
                let upload = i + uploads >= len;
                if download || upload {
                    step.remove("name");
                }
            }
        }
    }
    compare::normalize(&mut theirs);
    compare::normalize(&mut ours);
    compare::difference(&theirs, &ours)
}

/// Where job `id`'s downloads start: after its automatic checkout.
fn edges_start(root: &yaml::Node, id: &str, edges: &Edges) -> usize {
    root.get("jobs")
        .and_then(|jobs| jobs.get(id))
        .and_then(|job| job.get("steps"))
        .and_then(|steps| edges.checkout_in(steps.items()))
        .map_or(0, |(index, _)| index + 1)
}
