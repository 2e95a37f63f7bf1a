//! `cigen render [WORKFLOW]`: the YAML on stdout.

use super::report::Reporter;
use super::{EXIT_ERROR, Project, print};
use crate::suggest;

pub fn run(project: &Project, reporter: &mut Reporter, workflow: Option<&str>) -> u8 {
    let outputs = match project.compile(reporter) {
        Ok(outputs) => outputs,
        Err(code) => return code,
    };
    let selected: Vec<_> = match workflow {
        None => outputs.iter().collect(),
        Some(id) => {
            let found: Vec<_> = outputs.iter().filter(|o| o.workflow == id).collect();
            if found.is_empty() {
                let ids: Vec<&str> = outputs.iter().map(|o| o.workflow.as_str()).collect();
                reporter.error(super::error::CliError::UnknownWorkflow {
                    spec: project.spec_display.clone(),
                    id: id.to_owned(),
                    help: suggest::help(id, &ids),
                });
                return EXIT_ERROR;
            }
            found
        }
    };
    let mut text = String::new();
    for (i, output) in selected.iter().enumerate() {
        if i > 0 {
            text.push_str("---\n");
        }
        text.push_str(&output.text);
    }
    print(reporter, text.as_bytes())
}
