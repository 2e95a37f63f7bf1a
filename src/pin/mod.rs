//! `cigen pin`: every action and reusable workflow reference of the spec,
//! cigen's plumbing included, locked to a commit in `cigen.lock`, so that
//! the output says `uses: OWNER/REPO@COMMIT # vX.Y.Z` and a tag moved by
//! whoever controls the action changes nothing until `pin --update`.
//!
//! ```text
//! spec ─collect─▶ references ─git ls-remote─▶ listings ─resolve─▶ Lock ─▶ cigen.lock
//!                                                                   │
//!                                              gen / check / render ◀┘ (every reference must be locked)
//! ```
//!
//! [`collect`] finds the references and where the spec makes them used;
//! [`remote`] lists a repository's tags and branches through the `git`
//! command line; [`resolve`] picks the commit and tag; [`lock`] reads and
//! writes the file. Without a lock file nothing changes: the output is
//! what the spec says.

pub mod collect;
pub mod error;
pub mod lock;
pub mod reference;
pub mod remote;
pub mod resolve;
pub mod version;

use std::collections::{HashMap, HashSet};

pub use collect::{Reference, Role, references};
pub use error::PinError;
pub use lock::{Entry, FILE, Lock, Pinned};

use crate::error::SpecError;
use crate::source::Source;
use remote::{Failure, Listing};
use resolve::Problem;

/// The spec's references, or every mistake in the spec.
pub fn spec_references(
    source: &Source,
    spec_name: &str,
) -> Result<Vec<Reference>, crate::error::Diagnostics> {
    let mut found = Vec::new();
    crate::check_spec_inspecting(source, spec_name, |spec| {
        found = references(spec);
        Vec::new()
    })?;
    Ok(found)
}

/// A mistake for each reference of `references` that `lock` does not hold.
pub fn unlocked(references: &[Reference], lock: &Lock) -> Vec<SpecError> {
    references
        .iter()
        .filter(|r| lock.get(&r.text).is_none())
        .map(|r| SpecError::Unpinned {
            reference: r.text.clone(),
            lock: FILE.to_owned(),
            span: r.span,
            label: match r.role {
                Role::Step | Role::Call => format!("not pinned in `{FILE}`"),
                _ => format!("{}, not pinned in `{FILE}`", r.label()),
            },
            help: format!(
                "run `cigen pin` to resolve it to a commit in `{FILE}`, then `cigen gen`"
            ),
        })
        .collect()
}

/// What `cigen pin` is asked to do.
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    /// The spec's references.
    pub references: &'a [Reference],
    /// The lock as it is, if there is one.
    pub lock: Option<&'a Lock>,
    /// `--update`: the references to move, every one when empty.
    pub update: Option<&'a [String]>,
    /// `--major`: an update may cross major versions.
    pub cross_major: bool,
}

/// What `cigen pin` did to the lock.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The new lock: one entry per reference of the spec.
    pub lock: Lock,
    /// References locked for the first time.
    pub added: Vec<(String, Entry)>,
    /// References `--update` moved: the reference, from, to.
    pub moved: Vec<(String, Entry, Entry)>,
    /// Entries of references the spec no longer uses.
    pub dropped: Vec<(String, Entry)>,
    /// References with a newer major version than `--update` moved to: the
    /// reference and that version's tag.
    pub newer_majors: Vec<(String, String)>,
}

/// How one reference is settled.
enum Work<'a> {
    Keep(Entry),
    Resolve,
    Update(&'a Entry),
}

/// Resolves `request` against the repositories `list` returns; `source` is
/// the spec, which errors point into. Every error is reported; nothing is
/// decided unless all references resolve.
pub fn pin(
    source: &Source,
    spec_display: &str,
    request: Request<'_>,
    list: impl FnOnce(&[String]) -> HashMap<String, Result<Listing, Failure>>,
) -> Result<Outcome, Vec<PinError>> {
    let mut errors = Vec::new();
    let selected = select(spec_display, request, &mut errors);
    let work: Vec<Work<'_>> = request
        .references
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let locked = request.lock.and_then(|lock| lock.get(&r.text));
            match (selected.contains(&i), locked, &r.builtin) {
                (true, Some(entry), _) => Work::Update(entry),
                (false, Some(entry), _) => Work::Keep(entry.clone()),
                (false, None, Some(builtin)) => Work::Keep(builtin.clone()),
                (_, None, _) => Work::Resolve,
            }
        })
        .collect();
    let mut repositories: Vec<String> = Vec::new();
    for (reference, work) in request.references.iter().zip(&work) {
        let repository = &reference.remote.repository;
        if !matches!(work, Work::Keep(_)) && !repositories.contains(repository) {
            repositories.push(repository.clone());
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let listings = if repositories.is_empty() { HashMap::new() } else { list(&repositories) };
    let mut outcome = Outcome::default();
    let mut failed: HashSet<&str> = HashSet::new();
    for (reference, work) in request.references.iter().zip(work) {
        let repository = reference.remote.repository.as_str();
        let listing = match work {
            Work::Keep(entry) => {
                if request.lock.and_then(|l| l.get(&reference.text)).is_none() {
                    outcome.added.push((reference.text.clone(), entry.clone()));
                }
                outcome.lock.insert(reference.text.clone(), entry);
                continue;
            }
            _ => match listings.get(repository) {
                Some(Ok(listing)) => listing,
                Some(Err(failure)) => {
                    let key = if matches!(failure, Failure::NoGit(_)) { "" } else { repository };
                    if failed.insert(key) {
                        errors.push(git_error(source, reference, failure));
                    }
                    continue;
                }
                None => {
                    let failure = Failure::Other("git listed nothing for it".to_owned());
                    errors.push(git_error(source, reference, &failure));
                    continue;
                }
            },
        };
        let settled = match work {
            Work::Update(current) => {
                resolve::update(&reference.remote, current, listing, request.cross_major).map(
                    |update| {
                        if let Some(tag) = update.newer_major {
                            outcome.newer_majors.push((reference.text.clone(), tag));
                        }
                        if update.entry != *current {
                            outcome.moved.push((
                                reference.text.clone(),
                                current.clone(),
                                update.entry.clone(),
                            ));
                        }
                        update.entry
                    },
                )
            }
            _ => resolve::resolve(&reference.remote, listing).inspect(|entry| {
                outcome.added.push((reference.text.clone(), entry.clone()));
            }),
        };
        match settled {
            Ok(entry) => outcome.lock.insert(reference.text.clone(), entry),
            Err(problem) => errors.push(ref_error(source, reference, problem)),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if let Some(lock) = request.lock {
        for (reference, entry) in lock.iter() {
            if outcome.lock.get(reference).is_none() {
                outcome.dropped.push((reference.to_owned(), entry.clone()));
            }
        }
    }
    Ok(outcome)
}

/// The indexes of the references `--update` moves; an unknown name is an error.
fn select(spec_display: &str, request: Request<'_>, errors: &mut Vec<PinError>) -> HashSet<usize> {
    let references = request.references;
    match request.update {
        None => HashSet::new(),
        Some([]) => (0..references.len()).collect(),
        Some(names) => {
            let mut selected = HashSet::new();
            for name in names {
                let repository = name.trim_end_matches('/');
                let matches = |r: &Reference| {
                    r.text == *name
                        || r.remote.name == *name
                        || r.remote.repository == repository
                        || r.remote.repository == format!("{}/{repository}", reference::GITHUB)
                };
                let found: Vec<usize> =
                    (0..references.len()).filter(|&i| matches(&references[i])).collect();
                if found.is_empty() {
                    let texts: Vec<&str> = references.iter().map(|r| r.text.as_str()).collect();
                    errors.push(PinError::UnknownReference {
                        spec: spec_display.to_owned(),
                        reference: name.clone(),
                        help: match crate::suggest::closest(name, texts.iter().copied()) {
                            Some(close) => format!("did you mean `{close}`?"),
                            None if texts.is_empty() => {
                                "the spec uses no action or workflow of another repository"
                                    .to_owned()
                            }
                            None => format!(
                                "name a reference as the spec writes it, such as `{}`, or its repository without `@REF`",
                                texts[0]
                            ),
                        },
                    });
                }
                selected.extend(found);
            }
            selected
        }
    }
}

/// The diagnostic for a repository git could not list.
fn git_error(source: &Source, reference: &Reference, failure: &Failure) -> PinError {
    let repository = reference.remote.repository.clone();
    let label = reference.label();
    let (code, span) = (source.named(), reference.span);
    match failure {
        Failure::NoGit(error) => {
            PinError::NoGit { error: std::io::Error::new(error.kind(), error.to_string()) }
        }
        Failure::Network(detail) => PinError::Network {
            help: format!(
                "check the network connection and proxy settings; `git ls-remote {repository}` shows the same error"
            ),
            repository,
            detail: detail.clone(),
            code,
            span,
            label,
        },
        Failure::Unknown(detail) => PinError::UnknownRepository {
            help: format!(
                "check `OWNER/REPO` in the reference; for a private repository, set up git credentials so that `git ls-remote {repository}` works"
            ),
            repository,
            detail: detail.clone(),
            code,
            span,
            label,
        },
        Failure::Other(detail) => PinError::GitFailed {
            help: format!("`git ls-remote {repository}` shows the same error"),
            repository,
            detail: detail.clone(),
            code,
            span,
            label,
        },
    }
}

/// The diagnostic for a ref that does not resolve.
fn ref_error(source: &Source, reference: &Reference, problem: Problem) -> PinError {
    let repository = reference.remote.repository.clone();
    match problem {
        Problem::Missing { git_ref, help } => PinError::MissingRef {
            repository,
            git_ref,
            code: source.named(),
            span: reference.span,
            help,
        },
        Problem::Ambiguous { branch, tag } => PinError::AmbiguousRef {
            help: format!(
                "name the commit you mean: `{name}@{tag}` for the tag, `{name}@{branch}` for the branch",
                name = reference.remote.name
            ),
            repository,
            git_ref: reference.remote.git_ref.clone(),
            code: source.named(),
            span: reference.span,
            branch,
            tag,
        },
    }
}
