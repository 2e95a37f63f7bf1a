//! `cigen.lock`: the commit each reference of the spec stands for.
//!
//! A KDL file beside the spec, written only by `cigen pin`, one `pin` node
//! per reference, sorted, so a change shows as a one-line diff:
//!
//! ```kdl
//! version 1
//! pin "actions/cache@v4" commit="5a3ec84eff668545956fd18022155c47e93e2684" tag="v4.2.3"
//! pin "octo/tool@main" commit="0123456789abcdef0123456789abcdef01234567" branch="main"
//! ```
//!
//! `tag` is the most precise tag at the commit (`v4.2.3` for `@v4`);
//! `branch` is set instead when the reference names a branch; neither when
//! the spec names the commit itself and no tag points at it.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use kdl::{KdlDocument, KdlValue};
use miette::SourceSpan;

use super::error::PinError;
use super::reference::{Remote, is_commit};
use crate::parse::tree::{self, Entry as KdlEntry, Node};
use crate::source::Source;

/// The lock file's name, in the spec's folder.
pub const FILE: &str = "cigen.lock";

/// The format this cigen reads and writes.
const FORMAT: i128 = 1;

/// The locked references, by reference as the spec writes it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lock {
    entries: BTreeMap<String, Entry>,
}

/// What one reference is locked to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The full commit id.
    pub commit: String,
    /// The most precise tag at the commit, when the reference came from a
    /// tag (or names a commit a tag points at).
    pub tag: Option<String>,
    /// The branch, when the reference names one.
    pub branch: Option<String>,
}

impl Entry {
    /// The version written as a comment after the pinned reference.
    pub fn comment(&self) -> Option<&str> {
        self.tag.as_deref().or(self.branch.as_deref())
    }

    /// `v4.2.3 (5a3ec84)`, for messages.
    pub fn describe(&self) -> String {
        let short = self.commit.get(..7).unwrap_or(&self.commit);
        match self.comment() {
            Some(name) => format!("{name} ({short})"),
            None => short.to_owned(),
        }
    }
}

/// A reference as the output writes it once locked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pinned {
    /// `OWNER/REPO@COMMIT`.
    pub reference: String,
    /// The version comment.
    pub version: Option<String>,
}

impl Lock {
    /// The entry of `reference`.
    pub fn get(&self, reference: &str) -> Option<&Entry> {
        self.entries.get(reference)
    }

    /// Sets the entry of `reference`.
    pub fn insert(&mut self, reference: String, entry: Entry) {
        self.entries.insert(reference, entry);
    }

    /// Every entry, sorted by reference.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Entry)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// What `reference` becomes in the output: its commit and version, when
    /// it is locked.
    pub fn pinned(&self, reference: &str) -> Option<Pinned> {
        let entry = self.entries.get(reference)?;
        let remote = Remote::parse(reference)?;
        Some(Pinned {
            reference: remote.at(&entry.commit),
            version: entry.comment().map(str::to_owned),
        })
    }

    /// The file's text; `spec_name` is the spec it was resolved for.
    pub fn text(&self, spec_name: &str) -> String {
        let quote = crate::import::kdl::quoted;
        let mut out = format!(
            "// The commit each action and reusable workflow reference of `{spec_name}`\n\
             // stands for. Written by `cigen pin`; `cigen gen` writes these commits,\n\
             // `cigen pin --update` moves them. Do not edit by hand.\n\
             version {FORMAT}\n"
        );
        for (reference, entry) in &self.entries {
            let _ = write!(out, "pin {} commit={}", quote(reference), quote(&entry.commit));
            if let Some(tag) = &entry.tag {
                let _ = write!(out, " tag={}", quote(tag));
            }
            if let Some(branch) = &entry.branch {
                let _ = write!(out, " branch={}", quote(branch));
            }
            out.push('\n');
        }
        out
    }

    /// Reads the lock file `source`: the lock, or every mistake in it.
    pub fn parse(source: &Source) -> Result<(Self, Spans), Vec<PinError>> {
        // The kdl crate's reader descends once per `{`: refuse deep nesting
        // before it runs, as the spec's reader does.
        if let Some(span) = crate::parse::depth::too_deep(source.text()) {
            return Err(vec![PinError::LockTooDeep {
                file: source.name().to_owned(),
                max: crate::parse::depth::MAX_DEPTH,
                code: source.named(),
                span,
            }]);
        }
        let document = match KdlDocument::parse_v2(source.text()) {
            Ok(document) => document,
            Err(error) => {
                return Err(error
                    .diagnostics
                    .into_iter()
                    .map(|d| PinError::LockSyntax {
                        file: source.name().to_owned(),
                        message: d.message.unwrap_or_else(|| "invalid KDL".to_owned()),
                        code: source.named(),
                        span: d.span,
                        label: d.label.unwrap_or_else(|| "here".to_owned()),
                    })
                    .collect());
            }
        };
        let mut reader = Reader { source, errors: Vec::new() };
        let mut lock = Self::default();
        let mut spans = Spans::default();
        for node in tree::from_kdl(&document) {
            match node.name().value() {
                "version" => reader.version(&node),
                "pin" => {
                    if let Some((reference, span, entry)) = reader.pin(&node) {
                        if spans.0.contains_key(&reference) {
                            reader.error(
                                span,
                                format!("`{reference}` is pinned twice"),
                                "pinned again here",
                                "keep one `pin` per reference, or remove both and run `cigen pin`"
                                    .to_owned(),
                            );
                            continue;
                        }
                        spans.0.insert(reference.clone(), span);
                        lock.insert(reference, entry);
                    }
                }
                other => reader.error(
                    node.name().span(),
                    format!("unknown node `{other}`"),
                    "unknown node",
                    "a lock file holds one `version` node and `pin` nodes".to_owned(),
                ),
            }
        }
        if reader.errors.is_empty() { Ok((lock, spans)) } else { Err(reader.errors) }
    }
}

/// Where each entry of a lock file was written, for messages.
#[derive(Clone, Debug, Default)]
pub struct Spans(BTreeMap<String, SourceSpan>);

impl Spans {
    /// The span of the reference of `reference`'s entry.
    pub fn of(&self, reference: &str) -> Option<SourceSpan> {
        self.0.get(reference).copied()
    }
}

struct Reader<'s> {
    source: &'s Source,
    errors: Vec<PinError>,
}

impl Reader<'_> {
    fn error(&mut self, span: SourceSpan, problem: String, label: &str, help: String) {
        self.errors.push(PinError::InvalidLock {
            file: self.source.name().to_owned(),
            problem,
            code: self.source.named(),
            span,
            label: label.to_owned(),
            help,
        });
    }

    fn version(&mut self, node: &Node) {
        let found = match node.entries() {
            [only] if only.name().is_none() => match only.value() {
                KdlValue::Integer(n) => Some(*n),
                _ => None,
            },
            _ => None,
        };
        match found {
            Some(FORMAT) => {}
            Some(other) => self.error(
                node.name().span(),
                format!("format version {other} is not one this cigen reads"),
                "unknown format",
                format!(
                    "this cigen reads format {FORMAT}; a newer cigen wrote this file, so use that one"
                ),
            ),
            None => self.error(
                node.name().span(),
                "`version` takes one integer".to_owned(),
                "expected `version 1`",
                format!("write `version {FORMAT}`"),
            ),
        }
    }

    fn string<'n>(&mut self, node: &Node, entry: &'n KdlEntry, what: &str) -> Option<&'n str> {
        match entry.value() {
            KdlValue::String(s) if !s.is_empty() => Some(s),
            _ => {
                self.error(
                    entry.span(),
                    format!("`{what}` of `{}` must be a non-empty string", node.name().value()),
                    "expected a string",
                    "`cigen pin` writes every value as a quoted string".to_owned(),
                );
                None
            }
        }
    }

    /// A tag or branch name: it is written as a comment in the output, so
    /// it has no spaces or control characters (git refuses those too).
    fn name<'n>(&mut self, node: &Node, entry: &'n KdlEntry, what: &str) -> Option<&'n str> {
        let name = self.string(node, entry, what)?;
        if name.chars().any(|c| c.is_whitespace() || c.is_control()) {
            self.error(
                entry.span(),
                format!("`{what}` of `pin` is not a git ref name"),
                "has spaces or control characters",
                "remove the entry and run `cigen pin`".to_owned(),
            );
            return None;
        }
        Some(name)
    }

    fn pin(&mut self, node: &Node) -> Option<(String, SourceSpan, Entry)> {
        let before = self.errors.len();
        let mut reference = None;
        let (mut commit, mut tag, mut branch) = (None, None, None);
        for entry in node.entries() {
            match entry.name().map(|n| n.value()) {
                None if reference.is_none() => {
                    reference =
                        self.string(node, entry, "the reference").map(|r| (r, entry.span()));
                }
                None => self.error(
                    entry.span(),
                    "`pin` takes one reference".to_owned(),
                    "a second reference",
                    "write one `pin` node per reference".to_owned(),
                ),
                Some("commit") => commit = self.string(node, entry, "commit").map(|c| (c, entry)),
                Some("tag") => tag = self.name(node, entry, "tag"),
                Some("branch") => branch = self.name(node, entry, "branch"),
                Some(other) => self.error(
                    entry.span(),
                    format!("unknown property `{other}` on `pin`"),
                    "unknown property",
                    "a `pin` has `commit`, and `tag` or `branch`".to_owned(),
                ),
            }
        }
        if node.children().is_some() {
            self.error(
                node.name().span(),
                "`pin` takes no children block".to_owned(),
                "has a block",
                "remove the `{ … }` block".to_owned(),
            );
        }
        let Some((reference, span)) = reference else {
            if self.errors.len() == before {
                self.error(
                    node.name().span(),
                    "`pin` needs a reference".to_owned(),
                    "no reference",
                    "write `pin \"OWNER/REPO@REF\" commit=\"…\"`".to_owned(),
                );
            }
            return None;
        };
        if Remote::parse(reference).is_none() {
            self.error(
                span,
                format!("`{reference}` is not a reference to a repository"),
                "not `OWNER/REPO@REF` or a URL with `@REF`",
                "remove the entry and run `cigen pin`".to_owned(),
            );
        }
        match commit {
            None => self.error(
                node.name().span(),
                format!("`{reference}` has no `commit`"),
                "no commit",
                "remove the entry and run `cigen pin`".to_owned(),
            ),
            Some((value, entry)) if !is_commit(value) => self.error(
                entry.span(),
                format!("`{value}` is not a full commit id"),
                "expected 40 lowercase hex digits",
                "remove the entry and run `cigen pin`".to_owned(),
            ),
            Some(_) => {}
        }
        if tag.is_some() && branch.is_some() {
            self.error(
                node.name().span(),
                format!("`{reference}` has both a `tag` and a `branch`"),
                "both",
                "a reference comes from a tag or from a branch; run `cigen pin` after removing the entry".to_owned(),
            );
        }
        if self.errors.len() > before {
            return None;
        }
        let entry = Entry {
            commit: commit.map(|(c, _)| c.to_owned())?,
            tag: tag.map(str::to_owned),
            branch: branch.map(str::to_owned),
        };
        Some((reference.to_owned(), span, entry))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "5a3ec84eff668545956fd18022155c47e93e2684";

    fn lock() -> Lock {
        let mut lock = Lock::default();
        lock.insert(
            "actions/cache@v4".to_owned(),
            Entry { commit: SHA.to_owned(), tag: Some("v4.2.3".to_owned()), branch: None },
        );
        lock.insert(
            "https://code.forgejo.org/actions/checkout@v4".to_owned(),
            Entry { commit: "1".repeat(40), tag: Some("v4.2.2".to_owned()), branch: None },
        );
        lock.insert(
            "octo/\"tool\"@main\\x".to_owned(),
            Entry { commit: "2".repeat(40), tag: None, branch: Some("main".to_owned()) },
        );
        lock.insert(
            format!("octo/tool@{}", "3".repeat(40)),
            Entry { commit: "3".repeat(40), tag: None, branch: None },
        );
        lock
    }

    fn read(text: &str) -> Result<Lock, Vec<PinError>> {
        Lock::parse(&Source::new("cigen.lock", text)).map(|(lock, _)| lock)
    }

    #[test]
    fn what_is_written_reads_back() {
        let lock = lock();
        let text = lock.text("pipeline.kdl");
        assert_eq!(read(&text).expect("the lock reads back"), lock);
        assert!(
            text.contains(&format!("pin \"actions/cache@v4\" commit=\"{SHA}\" tag=\"v4.2.3\""))
        );
    }

    #[test]
    fn a_locked_reference_becomes_its_commit_and_version() {
        let pinned = lock().pinned("actions/cache@v4").expect("locked");
        assert_eq!(pinned.reference, format!("actions/cache@{SHA}"));
        assert_eq!(pinned.version.as_deref(), Some("v4.2.3"));
        assert_eq!(lock().pinned("actions/cache@v3"), None);
    }

    #[test]
    fn refuses_what_pin_does_not_write() {
        for text in [
            "pin \"actions/cache@v4\"",
            "pin \"actions/cache@v4\" commit=\"abc\"",
            "pin \"cache\" commit=\"5a3ec84eff668545956fd18022155c47e93e2684\"",
            "pin commit=\"5a3ec84eff668545956fd18022155c47e93e2684\"",
            "pin \"a/b@v1\" commit=\"5a3ec84eff668545956fd18022155c47e93e2684\" sha=\"x\"",
            "pin \"a/b@v1\" commit=\"5a3ec84eff668545956fd18022155c47e93e2684\" tag=\"v1\" branch=\"v1\"",
            "pin \"a/b@v1\" commit=\"5a3ec84eff668545956fd18022155c47e93e2684\"\npin \"a/b@v1\" commit=\"5a3ec84eff668545956fd18022155c47e93e2684\"",
            "pin \"a/b@v1\" commit=\"5a3ec84eff668545956fd18022155c47e93e2684\" tag=\"v1\\nx: y\"",
            "version 2",
            "version \"1\"",
            "lock",
            "pin \"a/b@v1\" {",
        ] {
            assert!(read(text).is_err(), "{text}");
        }
    }
}
