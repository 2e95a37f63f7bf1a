//! `cigen gen`: write every output whose bytes change, atomically; refuse to
//! overwrite a hand-edited or foreign file unless `--force`.

use super::report::Reporter;
use super::{EXIT_ERROR, Project, check};
use crate::output::{Status, write};

pub fn run(project: &Project, reporter: &mut Reporter, force: bool) -> u8 {
    let outputs = match project.compile(reporter) {
        Ok(outputs) => outputs,
        Err(code) => return code,
    };
    // Decide for every file before writing any, so a refusal writes nothing.
    let mut plans = Vec::new();
    let mut refused = 0;
    for output in &outputs {
        let shown = project.show(&output.file);
        let (state, on_disk) = match project.state_of(output) {
            Ok(found) => found,
            Err(e) => {
                reporter.diagnostic(&e);
                return EXIT_ERROR;
            }
        };
        if state.is_protected() && !force {
            refused += 1;
            check::explain(
                project,
                reporter,
                &shown,
                &state,
                on_disk.as_deref().unwrap_or(""),
                &output.text,
            );
        }
        plans.push((output, shown, state));
    }
    let orphans = super::orphans::find(&project.root, &project.spec_name, &outputs);
    for orphan in orphans.iter().filter(|o| o.edited && !force) {
        refused += 1;
        reporter.line(&format!(
            "error: `{}` is no longer declared in `{}`, but was edited by hand\n  help: delete it yourself, or run `{} gen --force` to remove it",
            project.show(&orphan.file),
            project.spec_display,
            project.command
        ));
    }
    if refused > 0 {
        reporter.line(&format!(
            "error: refusing to overwrite {refused} file{} not written by this spec; nothing was written",
            if refused == 1 { "" } else { "s" }
        ));
        return EXIT_ERROR;
    }
    // Stage every changed file before replacing any, so a failure leaves
    // all of them as they were.
    let mut staged = Vec::new();
    for (output, shown, state) in plans {
        if state == Status::UpToDate {
            reporter.line(&format!("unchanged `{shown}`"));
            continue;
        }
        match write::stage(&project.root, &output.file, &output.text) {
            Ok(file) => staged.push((file, shown)),
            Err(e) => {
                reporter.diagnostic(&e);
                reporter.line("error: nothing was written");
                return EXIT_ERROR;
            }
        }
    }
    for (file, shown) in staged {
        if let Err(e) = file.commit() {
            reporter.diagnostic(&e);
            return EXIT_ERROR;
        }
        reporter.line(&format!("wrote `{shown}`"));
    }
    for orphan in orphans {
        let path = project.root.join(&orphan.file);
        if let Err(e) = std::fs::remove_file(&path) {
            reporter.cannot_write(&project.show(&orphan.file), &e);
            return EXIT_ERROR;
        }
        reporter.line(&format!(
            "removed `{}`: `{}` no longer declares it",
            project.show(&orphan.file),
            project.spec_display
        ));
    }
    0
}
