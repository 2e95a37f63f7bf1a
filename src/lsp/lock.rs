//! The lock file beside a spec, which `cigen check` reads too: with one,
//! every action the spec uses must be pinned in it.

use std::path::Path;

use crate::pin::{FILE, Lock};
use crate::source::Source;

/// The lock beside the spec at `spec`, when there is one that reads. A lock
/// that does not read is `cigen check`'s mistake to report, in that file.
pub fn beside(spec: &Path) -> Option<Lock> {
    let path = spec.parent()?.join(FILE);
    let text = std::fs::read_to_string(&path).ok()?;
    let source = Source::new(path.display().to_string(), text);
    Lock::parse(&source).ok().map(|(lock, _)| lock)
}
