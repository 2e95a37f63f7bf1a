//! `cigen graph`: the job graph of a workflow as Mermaid or Graphviz DOT.
//!
//! Explicit `needs` are solid edges; artifact edges are dashed and labelled
//! with the artifact name. Both point from the job that runs first.

use std::fmt::Write;

use crate::model::Workflow;

/// The output language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A Mermaid flowchart, for Forgejo and GitHub markdown.
    #[default]
    Mermaid,
    /// Graphviz DOT.
    Dot,
}

/// Draws `workflows` (one or more) in `format`.
pub fn draw(workflows: &[&Workflow], format: Format) -> String {
    match format {
        Format::Mermaid => mermaid(workflows),
        Format::Dot => workflows.iter().map(|w| dot(w)).collect::<Vec<_>>().join("\n"),
    }
}

/// Edges as `(from, to, artifact name or None for needs)`, by job index.
fn edges(workflow: &Workflow) -> Vec<(usize, usize, Option<&str>)> {
    let positions: std::collections::HashMap<&str, usize> =
        workflow.jobs.iter().enumerate().map(|(i, j)| (j.id.as_str(), i)).collect();
    let index = |id: &str| positions.get(id).copied();
    let mut edges = Vec::new();
    for (i, job) in workflow.jobs.iter().enumerate() {
        for need in &job.needs {
            if let Some(from) = index(need.as_str()) {
                edges.push((from, i, None));
            }
        }
    }
    for artifact in &workflow.artifacts {
        let Some(from) = index(artifact.from.as_str()) else { continue };
        for consumer in &artifact.to {
            if let Some(to) = index(consumer.as_str()) {
                edges.push((from, to, Some(artifact.name.as_str())));
            }
        }
    }
    edges
}

fn mermaid(workflows: &[&Workflow]) -> String {
    let quote = |s: &str| s.replace('"', "#quot;");
    let mut out = String::from("flowchart LR\n");
    let nested = workflows.len() > 1;
    for (w, workflow) in workflows.iter().enumerate() {
        let indent = if nested { "    " } else { "  " };
        if nested {
            let _ = writeln!(out, "  subgraph w{w}[\"{}\"]", quote(workflow.id.as_str()));
        }
        let node = |j: usize| format!("w{w}j{j}");
        for (j, job) in workflow.jobs.iter().enumerate() {
            let _ = writeln!(out, "{indent}{}[\"{}\"]", node(j), quote(job.id.as_str()));
        }
        for (from, to, artifact) in edges(workflow) {
            let _ = match artifact {
                None => writeln!(out, "{indent}{} --> {}", node(from), node(to)),
                Some(name) => {
                    writeln!(out, "{indent}{} -.->|\"{}\"| {}", node(from), quote(name), node(to))
                }
            };
        }
        if nested {
            out.push_str("  end\n");
        }
    }
    out
}

fn dot(workflow: &Workflow) -> String {
    let quote = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    let mut out =
        format!("digraph {} {{\n  rankdir=LR;\n  node [shape=box];\n", quote(workflow.id.as_str()));
    for job in &workflow.jobs {
        let _ = writeln!(out, "  {};", quote(job.id.as_str()));
    }
    for (from, to, artifact) in edges(workflow) {
        let (a, b) = (quote(workflow.jobs[from].id.as_str()), quote(workflow.jobs[to].id.as_str()));
        let _ = match artifact {
            None => writeln!(out, "  {a} -> {b};"),
            Some(name) => writeln!(out, "  {a} -> {b} [style=dashed, label={}];", quote(name)),
        };
    }
    out.push_str("}\n");
    out
}
