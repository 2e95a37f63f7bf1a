//! The warnings cigen gives about a spec that works but is risky, by name,
//! and the set a workflow or job silences with `allow "NAME" …`.
//!
//! A warning never stops `gen`, `check` or `render` (exit 0), unless the
//! command line says `--deny warnings`. Each has a name, so that a spec can
//! say, where the risk is taken on purpose, that it is: `allow
//! "unpinned-action"` in a workflow or a job.

use std::fmt;

/// One kind of warning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Warning {
    /// An action or reusable workflow of another repository, on the GitHub
    /// target, named by a tag or branch rather than a full commit SHA.
    UnpinnedAction,
    /// A key Forgejo accepts and does not apply: `permissions`, a job's
    /// `continue-on-error`.
    IgnoredByForgejo,
    /// A job with no `run` or `uses` step: it only checks out or moves
    /// artifacts.
    JobWithoutSteps,
    /// On Forgejo, an action named without `@REF`: it runs whatever its
    /// default branch holds when the job starts.
    UnversionedAction,
}

impl Warning {
    /// Every warning, in the order of the documentation.
    pub const ALL: [Warning; 4] = [
        Self::UnpinnedAction,
        Self::IgnoredByForgejo,
        Self::JobWithoutSteps,
        Self::UnversionedAction,
    ];

    /// Its name in `allow "NAME"`.
    pub fn name(self) -> &'static str {
        match self {
            Self::UnpinnedAction => "unpinned-action",
            Self::IgnoredByForgejo => "ignored-by-forgejo",
            Self::JobWithoutSteps => "job-without-steps",
            Self::UnversionedAction => "unversioned-action",
        }
    }

    /// The warning called `name`.
    pub fn from_name(name: &str) -> Option<Warning> {
        Self::ALL.into_iter().find(|w| w.name() == name)
    }

    /// The names of every warning.
    pub fn names() -> impl Iterator<Item = &'static str> {
        Self::ALL.into_iter().map(Self::name)
    }

    fn bit(self) -> u8 {
        match self {
            Self::UnpinnedAction => 1,
            Self::IgnoredByForgejo => 2,
            Self::JobWithoutSteps => 4,
            Self::UnversionedAction => 8,
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The warnings an `allow` node silences: a small set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Allowed(u8);

impl Allowed {
    /// Adds `warning` to the set.
    pub fn insert(&mut self, warning: Warning) {
        self.0 |= warning.bit();
    }

    /// Whether `warning` is silenced.
    pub fn contains(self, warning: Warning) -> bool {
        self.0 & warning.bit() != 0
    }

    /// The warnings of both sets: a job's and its workflow's.
    pub fn union(self, other: Allowed) -> Allowed {
        Allowed(self.0 | other.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for warning in Warning::ALL {
            assert_eq!(Warning::from_name(warning.name()), Some(warning));
        }
        assert_eq!(Warning::from_name("unpinned"), None);
    }

    #[test]
    fn sets_hold_what_was_inserted() {
        let mut job = Allowed::default();
        job.insert(Warning::JobWithoutSteps);
        assert!(job.contains(Warning::JobWithoutSteps));
        assert!(!job.contains(Warning::UnpinnedAction));
        let mut workflow = Allowed::default();
        workflow.insert(Warning::UnpinnedAction);
        let both = job.union(workflow);
        assert!(both.contains(Warning::UnpinnedAction) && both.contains(Warning::JobWithoutSteps));
        assert!(!both.contains(Warning::IgnoredByForgejo));
    }
}
