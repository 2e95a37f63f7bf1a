//! `cigen check [WORKFLOW…]`: compare every output (or those of the named
//! workflows) with the disk; write nothing.

use super::error::CliError;
use super::report::Reporter;
use super::{EXIT_DRIFT, EXIT_ERROR, Project};
use crate::Output;
use crate::output::orphans::Orphan;
use crate::output::{Status, diff};
use crate::suggest;

/// The command line of `cigen check`.
pub struct Options<'a> {
    /// The workflows to check; all when empty.
    pub workflows: &'a [String],
    /// Print nothing when everything is up to date.
    pub quiet: bool,
}

pub fn run(project: &Project, reporter: &mut Reporter, options: &Options) -> u8 {
    let outputs = match project.compile(reporter) {
        Ok(outputs) => outputs,
        Err(code) => return code,
    };
    let outputs = match select(project, reporter, outputs, options.workflows) {
        Ok(outputs) => outputs,
        Err(code) => return code,
    };
    let mut drift = 0;
    let mut missing = Vec::new();
    for output in &outputs {
        let shown = project.show(&output.file);
        let (state, on_disk) = match project.state_of(output) {
            Ok(found) => found,
            Err(e) => {
                reporter.diagnostic(&e);
                return EXIT_ERROR;
            }
        };
        match state {
            Status::UpToDate if !options.quiet => {
                reporter.line(&format!("ok: `{shown}` is up to date"));
            }
            Status::UpToDate => {}
            Status::Missing => missing.push(output),
            _ => {
                drift += 1;
                explain(
                    project,
                    reporter,
                    &shown,
                    &state,
                    on_disk.as_deref().unwrap_or(""),
                    output,
                );
            }
        }
    }
    // A subset says nothing about the workflows it leaves out.
    let orphans = if options.workflows.is_empty() { project.orphans(&outputs) } else { Vec::new() };
    let total = outputs.len() + orphans.len();
    let renames = renames(project, &missing, &orphans);
    for output in &missing {
        drift += 1;
        match renames.iter().find(|(new, _, _)| std::ptr::eq(*new, *output)) {
            Some((_, old, text)) => renamed(project, reporter, old, output, text),
            None => reporter.error(CliError::Drift {
                what: format!("`{}` is missing", project.show(&output.file)),
                help: format!("run `{} gen`", project.command),
            }),
        }
    }
    for orphan in orphans.iter().filter(|o| !renames.iter().any(|(_, old, _)| old == *o)) {
        let shown = project.show(&orphan.file);
        reporter.error(CliError::Drift {
            what: format!(
                "`{shown}` was generated from `{}`, which no longer declares it",
                project.spec_display
            ),
            help: format!("run `{} gen` to remove it", project.command),
        });
    }
    drift += orphans.len();
    if drift == 0 {
        0
    } else {
        reporter.error(CliError::OutOfDate { drift, total });
        EXIT_DRIFT
    }
}

/// The outputs of the `named` workflows, or all of them; reports and
/// returns the exit code when one is not declared.
fn select(
    project: &Project,
    reporter: &mut Reporter,
    outputs: Vec<Output>,
    named: &[String],
) -> Result<Vec<Output>, u8> {
    let ids: Vec<&str> = outputs.iter().map(|o| o.workflow.as_str()).collect();
    let unknown: Vec<&String> = named.iter().filter(|id| !ids.contains(&id.as_str())).collect();
    for id in &unknown {
        reporter.error(CliError::UnknownWorkflow {
            spec: project.spec_display.clone(),
            id: (*id).clone(),
            help: suggest::help(id, &ids),
        });
    }
    if !unknown.is_empty() {
        return Err(EXIT_ERROR);
    }
    Ok(outputs.into_iter().filter(|o| named.is_empty() || named.contains(&o.workflow)).collect())
}

/// Missing outputs that are likely dropped workflows under a new id: each
/// orphan in the same folder whose text is closest to the output's, when
/// at least half of it is the same. Returns the output, the orphan and its
/// text.
fn renames<'a>(
    project: &Project,
    missing: &[&'a Output],
    orphans: &[Orphan],
) -> Vec<(&'a Output, Orphan, String)> {
    let folder = |file: &str| file.rsplit_once('/').map_or("", |(folder, _)| folder).to_owned();
    let mut candidates: Vec<(Orphan, String)> = orphans
        .iter()
        .filter_map(|o| Some((o.clone(), project.tree.read(&o.file).ok()??)))
        .collect();
    let mut found = Vec::new();
    for output in missing {
        let best = candidates
            .iter()
            .enumerate()
            .filter(|(_, (orphan, _))| folder(&orphan.file) == folder(&output.file))
            .map(|(i, (_, text))| {
                let text = crate::output::status::normalize(text);
                (i, similar::TextDiff::from_lines(text.as_ref(), &output.text).ratio())
            })
            .filter(|(_, ratio)| *ratio >= 0.5)
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((i, _)) = best {
            let (orphan, text) = candidates.remove(i);
            found.push((*output, orphan, text));
        }
    }
    found
}

/// Reports a missing output and the dropped file it likely replaces.
fn renamed(project: &Project, reporter: &mut Reporter, old: &Orphan, new: &Output, text: &str) {
    let (old_shown, new_shown) = (project.show(&old.file), project.show(&new.file));
    let old_id = old.file.rsplit('/').next().unwrap_or_default();
    let old_id = old_id.trim_end_matches(".yml").trim_end_matches(".yaml");
    let what = if old_id == new.workflow {
        format!(
            "`{new_shown}` is missing and `{old_shown}` is no longer declared: the file of workflow `{}` likely moved",
            new.workflow
        )
    } else {
        format!(
            "`{new_shown}` is missing and `{old_shown}` is no longer declared: workflow `{old_id}` was likely renamed to `{}`",
            new.workflow
        )
    };
    reporter.error(CliError::Drift {
        what,
        help: format!(
            "run `{} gen`: it writes `{new_shown}` and removes `{old_shown}`",
            project.command
        ),
    });
    // What changed beside the name, if anything.
    let old_text = crate::output::status::normalize(text);
    let shown = diff::between(
        &format!("{old_shown} (on disk)"),
        &old_text,
        &format!("{new_shown} (generated from {})", project.spec_display),
        &new.text,
    );
    if shown.contains("\n@@ ") {
        reporter.line(shown.trim_end());
    }
}

/// Says what happened to one file, how to fix it, and shows the diff.
pub fn explain(
    project: &Project,
    reporter: &mut Reporter,
    shown: &str,
    state: &Status,
    on_disk: &str,
    output: &Output,
) {
    let spec = &project.spec_display;
    let command = &project.command;
    let (what, help) = match state {
        Status::UpToDate => return,
        Status::Missing => (format!("`{shown}` is missing"), format!("run `{command} gen`")),
        Status::Stale => (
            format!("`{shown}` is stale: `{spec}` or the templates changed since it was generated"),
            format!("run `{command} gen`"),
        ),
        Status::HandEdited { spec_changed } => (
            format!(
                "`{shown}` was edited by hand: its body no longer matches the digest in its header{}",
                if *spec_changed {
                    ", and `".to_owned() + spec + "` changed too"
                } else {
                    String::new()
                }
            ),
            format!("move the change into `{spec}`, or run `{command} gen --force` to discard it"),
        ),
        Status::Adoptable => (
            format!("`{shown}` was not generated by cigen, but says what `{spec}` generates"),
            format!("run `{command} gen` to take it over"),
        ),
        Status::Foreign => (
            format!("`{shown}` was not generated by cigen (it has no cigen digest line)"),
            format!(
                "move what it does into `{spec}`, then run `{command} gen --force` to replace it"
            ),
        ),
    };
    reporter.error(CliError::Drift { what, help });
    if *state == Status::Missing {
        return;
    }
    let normalized = crate::output::status::normalize(on_disk);
    reporter.line(
        diff::unified(shown, &normalized, &output.text, &format!("generated from {spec}"))
            .trim_end(),
    );
}
