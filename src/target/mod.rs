//! The target table: everything cigen knows about each CI system it writes
//! for, in one row per target — its spec name, where its files go (and so
//! where dropped ones are looked for), its template set, the starter spec
//! `init` writes, what it can express, and the lowering that gives the
//! neutral plan its form there.
//!
//! Adding a target is a row here, a folder of templates under
//! `templates/`, and a lowering module beside this one.

pub mod actions;
pub mod capability;
pub mod gitlab;

use std::fmt;

use crate::model::ActionOverrides;
use crate::parse::spec::WorkflowSpec;
use crate::plan::Plan;
use crate::validate::Checker;

/// A CI system cigen writes for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    /// Forgejo Actions (`.forgejo/workflows`).
    Forgejo,
    /// GitHub Actions (`.github/workflows`).
    Github,
    /// GitLab CI (`.gitlab-ci.yml`).
    Gitlab,
}

/// Where the files of a target's workflows go, relative to the spec's folder.
#[derive(Clone, Copy, Debug)]
pub enum Files {
    /// One file per workflow, `FOLDER/ID.yml`.
    Folder(&'static str),
    /// One file for the project.
    Single(&'static str),
}

/// How a target turns a plan into its render context.
#[derive(Clone, Copy, Debug)]
pub enum Lowering {
    /// An Actions dialect: plumbing steps with these actions.
    Actions(&'static actions::Platform),
    /// GitLab CI: job artifacts and `needs`.
    Gitlab,
}

/// One row of the target table.
#[derive(Debug)]
pub struct Row {
    /// The target.
    pub target: Target,
    /// Its name in `target "…"` and `init --target`.
    pub name: &'static str,
    /// What it is, for help texts.
    pub title: &'static str,
    /// Where its workflows' files go.
    pub files: Files,
    /// The template that renders one workflow, under `templates/`.
    pub template: &'static str,
    /// The starter spec `cigen init --target NAME` writes, under `templates/`.
    pub starter: &'static str,
    /// How the plan is lowered.
    pub lowering: Lowering,
    /// The constructs it cannot express, each with the help line of its
    /// refusal; everything else in the language has a form here.
    pub unsupported: &'static [(capability::Construct, &'static str)],
    /// Its checks of what a workflow's values say.
    pub check: fn(&mut Checker<'_>, &WorkflowSpec),
    /// The keys cigen writes itself, which `raw` may not set.
    pub raw_keys: RawKeys,
}

/// The keys cigen writes in a workflow, a job and a step of one target.
#[derive(Clone, Copy, Debug)]
pub struct RawKeys {
    /// At the top of the file.
    pub workflow: &'static [&'static str],
    /// In a job.
    pub job: &'static [&'static str],
    /// In a step; `None` when the target has no steps to put keys in.
    pub step: Option<&'static [&'static str]>,
}

/// The table, in the order targets are listed to users.
pub const TABLE: [Row; 3] = [
    Row {
        target: Target::Forgejo,
        name: "forgejo",
        title: "Forgejo Actions",
        files: Files::Folder(".forgejo/workflows"),
        template: "actions/workflow.yml.j2",
        starter: "init/forgejo.kdl",
        lowering: Lowering::Actions(&actions::FORGEJO),
        unsupported: actions::FORGEJO_UNSUPPORTED,
        check: actions::check,
        raw_keys: actions::RAW_KEYS,
    },
    Row {
        target: Target::Github,
        name: "github",
        title: "GitHub Actions",
        files: Files::Folder(".github/workflows"),
        template: "actions/workflow.yml.j2",
        starter: "init/github.kdl",
        lowering: Lowering::Actions(&actions::GITHUB),
        unsupported: actions::GITHUB_UNSUPPORTED,
        check: actions::check_github,
        raw_keys: actions::RAW_KEYS,
    },
    Row {
        target: Target::Gitlab,
        name: "gitlab",
        title: "GitLab CI",
        files: Files::Single(".gitlab-ci.yml"),
        template: "gitlab/pipeline.yml.j2",
        starter: "init/gitlab.kdl",
        lowering: Lowering::Gitlab,
        unsupported: gitlab::UNSUPPORTED,
        check: gitlab::check::check,
        raw_keys: gitlab::RAW_KEYS,
    },
];

impl Target {
    /// The target a workflow has when it names none.
    pub const DEFAULT: Self = Self::Forgejo;

    /// Its row of the table.
    pub fn row(self) -> &'static Row {
        TABLE.iter().find(|row| row.target == self).unwrap_or(&TABLE[0])
    }

    /// The target named `name` in a spec.
    pub fn from_name(name: &str) -> Option<Self> {
        TABLE.iter().find(|row| row.name == name).map(|row| row.target)
    }

    /// Every target's name, in table order.
    pub fn names() -> impl Iterator<Item = &'static str> {
        TABLE.iter().map(|row| row.name)
    }

    /// Why this target cannot express `construct`, if it cannot: the help
    /// line of the refusal.
    pub fn refuses(self, construct: capability::Construct) -> Option<&'static str> {
        self.row().unsupported.iter().find(|(c, _)| *c == construct).map(|(_, help)| *help)
    }

    /// The name used in `target "…"`.
    pub fn name(self) -> &'static str {
        self.row().name
    }

    /// The default output file of workflow `id`.
    pub fn default_file(self, id: &str) -> String {
        match self.row().files {
            Files::Folder(folder) => format!("{folder}/{id}.yml"),
            Files::Single(file) => file.to_owned(),
        }
    }
}

/// A plan in a target's form: the render context its templates read, the
/// workflow's fields at once and each job when the template reaches it.
pub trait Lowered: fmt::Debug + Send + Sync {
    /// The workflow's fields, without its jobs.
    fn header(&self) -> minijinja::Value;
    /// How many jobs the workflow has.
    fn job_count(&self) -> usize;
    /// Job `index`, in spec order.
    fn job(&self, index: usize) -> minijinja::Value;
}

/// Lowers `plan` for its workflow's target.
pub fn lower(plan: Plan, overrides: &ActionOverrides) -> Box<dyn Lowered> {
    lower_pinned(plan, overrides, &std::sync::Arc::default())
}

/// Lowers `plan` for its workflow's target, writing every reference `pins`
/// locks as its commit.
pub fn lower_pinned(
    plan: Plan,
    overrides: &ActionOverrides,
    pins: &std::sync::Arc<crate::pin::Lock>,
) -> Box<dyn Lowered> {
    match plan.workflow.target.row().lowering {
        Lowering::Actions(platform) => actions::lower(plan, platform, overrides, pins),
        Lowering::Gitlab => gitlab::lower(plan),
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_target_has_one_row_and_a_unique_name() {
        for (i, row) in TABLE.iter().enumerate() {
            assert_eq!(row.target.row().name, row.name);
            assert_eq!(Target::from_name(row.name), Some(row.target));
            assert!(TABLE[..i].iter().all(|other| other.name != row.name));
        }
    }
}
