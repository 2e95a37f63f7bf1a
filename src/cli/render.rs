//! `cigen render [WORKFLOW]`: the YAML on stdout.

use std::io::Write;

use super::report::Reporter;
use super::{EXIT_ERROR, Project};
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
                reporter.line(&format!(
                    "error: `{}` declares no workflow `{id}`\n  help: {}",
                    project.spec_display,
                    suggest::help(id, &ids)
                ));
                return EXIT_ERROR;
            }
            found
        }
    };
    let mut stdout = std::io::stdout().lock();
    for (i, output) in selected.iter().enumerate() {
        let separator = if i > 0 { "---\n" } else { "" };
        let written = stdout
            .write_all(separator.as_bytes())
            .and_then(|()| stdout.write_all(output.text.as_bytes()))
            .and_then(|()| stdout.flush());
        match written {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return 0,
            Err(e) => {
                reporter.line(&format!("error: cannot write to stdout: {e}"));
                return EXIT_ERROR;
            }
        }
    }
    0
}
