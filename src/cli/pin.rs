//! `cigen pin [--update [--major] [REFERENCE…] | --check]`: lock every
//! action and reusable workflow reference of the spec to a commit in
//! `cigen.lock`, move them to newer releases, or check the lock against
//! the spec. The lock is staged in full and renamed into place, so it is
//! never left half-written, and nothing is written after any error.

use super::report::Reporter;
use super::{EXIT_DRIFT, EXIT_ERROR, Project, print};
use crate::error::Located;
use crate::pin::lock::Spans;
use crate::pin::{self, FILE, Lock, PinError, Reference, Request};
use crate::source::Source;

/// The command line of `cigen pin`.
#[derive(Debug)]
pub struct Options<'a> {
    /// `--update`.
    pub update: bool,
    /// `--major`.
    pub major: bool,
    /// `--check`.
    pub check: bool,
    /// The references named after `--update`.
    pub references: &'a [String],
}

/// A lock file as read: the lock, where its entries are, and its text.
pub struct Found {
    /// The lock.
    pub lock: Lock,
    /// Where each entry was written.
    spans: Spans,
    /// The file, for diagnostics.
    source: Source,
}

impl Project {
    /// The spec's lock file, if it has one; reports and returns the exit
    /// code when it cannot be read or is not a lock.
    pub(super) fn lock(&self, reporter: &mut Reporter) -> Result<Option<Found>, u8> {
        let text = match self.tree.read(FILE) {
            Ok(Some(text)) => text,
            Ok(None) => return Ok(None),
            Err(e) => {
                reporter.diagnostic(&e);
                return Err(EXIT_ERROR);
            }
        };
        let source = Source::new(self.show(FILE), text);
        match Lock::parse(&source) {
            Ok((lock, spans)) => Ok(Some(Found { lock, spans, source })),
            Err(errors) => {
                for error in &errors {
                    reporter.diagnostic(error);
                }
                Err(EXIT_ERROR)
            }
        }
    }
}

/// Runs `cigen pin` and returns the exit code.
pub fn run(project: &Project, reporter: &mut Reporter, options: &Options<'_>) -> u8 {
    let source = match project.source(reporter) {
        Ok(source) => source,
        Err(code) => return code,
    };
    let references = match pin::spec_references(&source, &project.spec_name) {
        Ok(references) => references,
        Err(diagnostics) => {
            for d in diagnostics.0 {
                reporter.diagnostic(&d);
            }
            return EXIT_ERROR;
        }
    };
    let found = match project.lock(reporter) {
        Ok(found) => found,
        Err(code) => return code,
    };
    if options.check {
        return check(project, reporter, &source, &references, found.as_ref());
    }
    let request = Request {
        references: &references,
        lock: found.as_ref().map(|f| &f.lock),
        update: options.update.then_some(options.references),
        cross_major: options.major,
    };
    let shown = project.show(FILE);
    let outcome = match pin::pin(&source, &project.spec_display, request, pin::remote::list_all) {
        Ok(outcome) => outcome,
        Err(errors) => {
            for error in &errors {
                reporter.diagnostic(error);
            }
            reporter.diagnostic(&PinError::NotPinned { file: shown, count: errors.len() });
            return EXIT_ERROR;
        }
    };
    let text = outcome.lock.text(&project.spec_name);
    let unchanged = found.as_ref().is_some_and(|f| f.source.text() == text);
    if !unchanged {
        let written = project.tree.stage(FILE, &text).and_then(|staged| staged.commit());
        if let Err(e) = written {
            reporter.diagnostic(&e);
            return EXIT_ERROR;
        }
    }
    for (reference, entry) in &outcome.added {
        reporter.line(&format!("pinned `{reference}` to {}", entry.describe()));
    }
    for (reference, _) in &outcome.dropped {
        reporter
            .line(&format!("dropped `{reference}`: `{}` no longer uses it", project.spec_display));
    }
    for (reference, tag) in &outcome.newer_majors {
        reporter.line(&format!(
            "note: `{reference}` has a newer major version, {tag}; `{} pin --update --major {reference}` moves to it",
            project.command
        ));
    }
    if options.update && outcome.moved.is_empty() {
        reporter.line("every reference is at the newest release it may move to");
    }
    reporter.line(&if unchanged {
        format!("unchanged `{shown}`")
    } else {
        format!("wrote `{shown}`")
    });
    // What moved goes to stdout, one line each: a pull request can quote it.
    let mut moved = String::new();
    for (reference, from, to) in &outcome.moved {
        moved.push_str(&format!("{reference}: {} → {}\n", from.describe(), to.describe()));
    }
    if moved.is_empty() { 0 } else { print(reporter, moved.as_bytes()) }
}

/// `cigen pin --check`: the lock holds exactly the spec's references.
fn check(
    project: &Project,
    reporter: &mut Reporter,
    source: &Source,
    references: &[Reference],
    found: Option<&Found>,
) -> u8 {
    let shown = project.show(FILE);
    let help = format!("run `{} pin` to update it", project.command);
    let Some(found) = found else {
        reporter.diagnostic(&PinError::NoLock {
            file: shown,
            help: format!("run `{} pin` to write it", project.command),
        });
        return EXIT_DRIFT;
    };
    let missing = pin::unlocked(references, &found.lock);
    let unused: Vec<&str> = found
        .lock
        .iter()
        .map(|(reference, _)| reference)
        .filter(|reference| references.iter().all(|r| r.text != *reference))
        .collect();
    let not_pinned = missing.len();
    for error in missing {
        reporter.diagnostic(&Located::new(source, error));
    }
    for reference in &unused {
        reporter.diagnostic(&PinError::UnusedPin {
            file: shown.clone(),
            spec: project.spec_display.clone(),
            reference: (*reference).to_owned(),
            code: found.source.named(),
            span: found.spans.of(reference).unwrap_or_else(|| (0, 0).into()),
            help: help.clone(),
        });
    }
    if not_pinned == 0 && unused.is_empty() {
        reporter.line(&format!("ok: `{shown}` pins every reference of `{}`", project.spec_display));
        return 0;
    }
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut what = Vec::new();
    if not_pinned > 0 {
        what.push(count(not_pinned, "reference is not pinned", "references are not pinned"));
    }
    if !unused.is_empty() {
        what.push(count(unused.len(), "pin is no longer used", "pins are no longer used"));
    }
    reporter.diagnostic(&PinError::OutOfDate { file: shown, what: what.join(", "), help });
    EXIT_DRIFT
}
