//! Comparing a file on disk with what the spec generates. `gen` and `check`
//! both decide through [`status`], so they cannot disagree.

use super::header::{Seal, digest, seal};

/// How a generated file on disk relates to the spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// The same bytes, up to CRLF line endings.
    UpToDate,
    /// No file.
    Missing,
    /// Written by cigen from an older spec, untouched since.
    Stale,
    /// Written by cigen, then edited by hand.
    HandEdited {
        /// Whether the spec changed too since the file was generated.
        spec_changed: bool,
    },
    /// A file cigen did not write (no digest line).
    Foreign,
    /// A file cigen did not write that says what the spec generates, as
    /// the runners read it (after `cigen import`): `gen` takes it over.
    Adoptable,
}

impl Status {
    /// Whether `gen` must not overwrite the file without `--force`.
    pub fn is_protected(&self) -> bool {
        matches!(self, Self::HandEdited { .. } | Self::Foreign)
    }
}

/// The status of `on_disk` against the `expected` file text.
pub fn status(on_disk: Option<&str>, expected: &str) -> Status {
    let Some(text) = on_disk else {
        return Status::Missing;
    };
    let text = normalize(text);
    if text == expected {
        return Status::UpToDate;
    }
    match seal(&text) {
        Seal::Absent if crate::import::compare::same_workflow(&text, expected) => Status::Adoptable,
        Seal::Absent => Status::Foreign,
        Seal::Intact { .. } => Status::Stale,
        Seal::Broken { digest: recorded } => {
            let expected_digest = match seal(expected) {
                Seal::Intact { digest } => digest,
                _ => digest(expected),
            };
            Status::HandEdited { spec_changed: recorded != expected_digest }
        }
    }
}

/// `\r\n` → `\n`: a CRLF checkout is not drift.
pub fn normalize(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains("\r\n") { text.replace("\r\n", "\n").into() } else { text.into() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::header::assemble;

    #[test]
    fn tells_every_case_apart() {
        let old = assemble("pipeline.kdl", "a: 1\n");
        let new = assemble("pipeline.kdl", "a: 2\n");
        assert_eq!(status(None, &new), Status::Missing);
        assert_eq!(status(Some(&new), &new), Status::UpToDate);
        assert_eq!(status(Some(&new.replace('\n', "\r\n")), &new), Status::UpToDate);
        assert_eq!(status(Some(&old), &new), Status::Stale);
        let edited_new = new.replace("a: 2", "a: 3");
        assert_eq!(status(Some(&edited_new), &new), Status::HandEdited { spec_changed: false });
        let edited_old = old.replace("a: 1", "a: 3");
        assert_eq!(status(Some(&edited_old), &new), Status::HandEdited { spec_changed: true });
        assert_eq!(status(Some("a: 9\n"), &new), Status::Foreign);
        // The same data without cigen's header: `gen` may take it over.
        assert_eq!(status(Some("a:   2 # two\n"), &new), Status::Adoptable);
    }
}
