//! `cigen graph [--format mermaid|dot] [WORKFLOW]`.

use super::report::Reporter;
use super::{EXIT_ERROR, Project, print};
use crate::graph::{Format, draw};
use crate::suggest;

pub fn run(
    project: &Project,
    reporter: &mut Reporter,
    format: Format,
    workflow: Option<&str>,
) -> u8 {
    let pipeline = match project.pipeline(reporter) {
        Ok(pipeline) => pipeline,
        Err(code) => return code,
    };
    let selected: Vec<_> = pipeline
        .workflows
        .iter()
        .filter(|w| workflow.is_none_or(|id| w.id.as_str() == id))
        .collect();
    if let (Some(id), true) = (workflow, selected.is_empty()) {
        let ids: Vec<&str> = pipeline.workflows.iter().map(|w| w.id.as_str()).collect();
        reporter.error(super::error::CliError::UnknownWorkflow {
            spec: project.spec_display.clone(),
            id: id.to_owned(),
            help: suggest::help(id, &ids),
        });
        return EXIT_ERROR;
    }
    print(reporter, draw(&selected, format).as_bytes())
}
