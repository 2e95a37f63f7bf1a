//! What each block of a spec takes, for completion: its child nodes, the
//! properties of each node, and the values a slot accepts. Block contents
//! are the parser's own lists (`parse::vocabulary`); a test checks the
//! rest against the parser's "expected one of" help lines.
//!
//! A place in the spec is the path of node names from the top level, e.g.
//! `["workflow", "job", "run"]`.

use crate::model::{IfMissing, Legs};
use crate::parse::vocabulary as parse;

/// The values a slot accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Values {
    /// Nothing cigen can list.
    Open,
    /// These words.
    Fixed(&'static [&'static str]),
    /// `#true` and `#false`.
    Booleans,
    /// The ids of the workflow's jobs.
    Jobs,
    /// The names of the workflow's artifacts.
    Artifacts,
    /// The targets cigen writes for.
    Targets,
    /// The spec's templates.
    Templates,
    /// The spec's step lists.
    StepLists,
}

const STEP_LIST: &[&str] = &["run", "uses"];
const RUN_CHILDREN: &[&str] = &["env", "raw"];
const USES_CHILDREN: &[&str] = &["with", "env", "raw", "secrets"];
const MATRIX: &[&str] = &["include", "exclude"];
const DEFAULTS: &[&str] = &["run"];
const DISPATCH: &[&str] = &["input"];
const CALL: &[&str] = &["input", "secret", "output"];
const INPUT: &[&str] = &["options"];
const CHECKOUT: &[&str] = &[
    "name",
    "persist-credentials",
    "fetch-depth",
    "ref",
    "repository",
    "path",
    "submodules",
    "lfs",
    "sparse-checkout",
    "token",
];
const PERMISSION_LEVELS: &[&str] = &["read", "write", "none"];
const PERMISSION_PRESETS: &[&str] = &["read-all", "write-all", "default"];
const DISPATCH_TYPES: &[&str] = &["string", "boolean", "number", "choice", "environment"];
const IF_MISSING: [&str; 3] = names(IfMissing::ALL);
const LEGS: [&str; 3] = names(Legs::ALL);

const fn names<T: Copy>(all: [(&'static str, T); 3]) -> [&'static str; 3] {
    [all[0].0, all[1].0, all[2].0]
}

/// Whether the node at the end of `path` is in a job (or a template, or a
/// step list, whose steps are a job's).
fn in_job(path: &[&str]) -> bool {
    matches!(path, ["workflow", "job", ..] | ["template", ..] | ["steps", ..])
}

/// The child nodes the block of the node at the end of `path` takes, and
/// whether it also takes names of the user's choosing (matrix axes,
/// services).
pub fn children(path: &[&str]) -> (&'static [&'static str], bool) {
    let fixed: &'static [&'static str] = match path {
        [] => parse::TOP_LEVEL,
        ["workflow"] => parse::WORKFLOW,
        ["actions"] => parse::ACTIONS,
        ["steps"] => STEP_LIST,
        ["workflow", "job"] | ["template"] => parse::JOB,
        ["workflow", "on"] => parse::EVENTS,
        ["workflow", "on", "workflow_dispatch"] => DISPATCH,
        ["workflow", "on", "workflow_call"] => CALL,
        ["workflow", "on", _, "input"] => INPUT,
        ["workflow", "on", event] => parse::filters(event),
        ["workflow", "artifact"] => parse::ARTIFACT,
        [.., "run"] if in_job(path) => RUN_CHILDREN,
        [.., "uses"] if in_job(path) => USES_CHILDREN,
        [.., "matrix"] if in_job(path) => return (MATRIX, true),
        [.., "services"] if in_job(path) => return (&[], true),
        [.., "services", _] if in_job(path) => parse::SERVICE,
        [.., "container"] => parse::CONTAINER,
        [.., "defaults"] => DEFAULTS,
        _ => &[],
    };
    (fixed, false)
}

/// The properties of the node at the end of `path`.
pub fn properties(path: &[&str]) -> &'static [&'static str] {
    match path {
        [.., "defaults", "run"] => &["shell", "working-directory"],
        [.., "run"] if in_job(path) => parse::RUN,
        [.., "uses"] if in_job(path) => parse::USES,
        ["workflow", "artifact"] => parse::ARTIFACT,
        [.., "concurrency"] => &["group", "cancel-in-progress"],
        [.., "strategy"] => &["fail-fast", "max-parallel"],
        [.., "environment"] => &["url"],
        [.., "container"] | [.., "services", _] => &["options"],
        [.., "credentials"] => &["username", "password"],
        [.., "checkout"] if in_job(path) => CHECKOUT,
        [.., "runs-on"] => &["group"],
        [.., "permissions"] => parse::SCOPES,
        ["workflow", "on", _, "input"] => &["description", "required", "type", "default"],
        ["workflow", "on", _, "secret"] => &["description", "required"],
        ["workflow", "on", _, "output"] => &["description", "value"],
        [.., "matrix", axis] if !matches!(*axis, "include" | "exclude") => &["expression"],
        _ => &[],
    }
}

/// The values of property `key` of the node at the end of `path`.
pub fn property_values(path: &[&str], key: &str) -> Values {
    match (path, key) {
        (["workflow", "artifact"], "from" | "to") => Values::Jobs,
        (["workflow", "artifact"], "if-missing") => Values::Fixed(&IF_MISSING),
        (["workflow", "artifact"], "legs") => Values::Fixed(&LEGS),
        (["workflow", "on", _, "input"], "type") => Values::Fixed(DISPATCH_TYPES),
        ([.., "permissions"], _) => Values::Fixed(PERMISSION_LEVELS),
        ([.., "uses", "with"], "name") if in_job(path) => Values::Artifacts,
        (
            _,
            "hidden"
            | "persist-credentials"
            | "fail-fast"
            | "required"
            | "cancel-in-progress"
            | "continue-on-error",
        ) => Values::Booleans,
        _ => Values::Open,
    }
}

/// The values of the arguments of the node at the end of `path`.
pub fn argument_values(path: &[&str]) -> Values {
    match path {
        [.., "needs"] if in_job(path) => Values::Jobs,
        ["workflow", "artifact", "from" | "to"] => Values::Jobs,
        ["workflow", "artifact", "if-missing"] => Values::Fixed(&IF_MISSING),
        ["workflow", "artifact", "legs"] => Values::Fixed(&LEGS),
        ["workflow", "artifact", "hidden"] => Values::Booleans,
        ["workflow", "target"] => Values::Targets,
        ["workflow", "enable-email-notifications"] => Values::Booleans,
        [.., "checkout" | "continue-on-error"] if in_job(path) => Values::Booleans,
        [.., "permissions"] => Values::Fixed(PERMISSION_PRESETS),
        [.., "uses", "secrets"] if in_job(path) => Values::Fixed(&["inherit"]),
        ["workflow", "job", "template"] => Values::Templates,
        ["workflow", "job" | "template", "steps"] => Values::StepLists,
        _ => Values::Open,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Source;

    /// The names the parser lists as expected where `zzzzzzzz` is written
    /// at `$0` of `spec`, an unknown node or property there.
    fn expected(spec: &str) -> Vec<String> {
        let text = spec.replace("$0", "zzzzzzzz");
        let (_, errors) = crate::parse::parse(&Source::new("t.kdl", text));
        let help = errors
            .iter()
            .find_map(|e| match e {
                crate::error::SpecError::UnknownNode { name, help, .. }
                | crate::error::SpecError::UnknownProperty { name, help, .. }
                    if name == "zzzzzzzz" =>
                {
                    Some(help.clone())
                }
                _ => None,
            })
            .unwrap_or_else(|| panic!("no unknown-name error in {spec}: {errors:?}"));
        let list = help.strip_prefix("expected one of ").unwrap_or_else(|| panic!("{help}"));
        list.replace(" or ", ", ").split(", ").map(|w| w.trim_matches('`').to_owned()).collect()
    }

    fn sorted(words: &[&str]) -> Vec<String> {
        let mut words: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
        words.sort();
        words
    }

    fn same(spec: &str, ours: &[&str]) {
        let mut theirs = expected(spec);
        theirs.sort();
        assert_eq!(sorted(ours), theirs, "{spec}");
    }

    const JOB: &str = "workflow \"w\" { on { push }; job \"j\" { run \"x\"; $0 } }";

    #[test]
    fn blocks_take_what_the_parser_reads() {
        same("$0", children(&[]).0);
        same(
            "workflow \"w\" { on { push }; job \"j\" { run \"x\" }; $0 }",
            children(&["workflow"]).0,
        );
        same(JOB, children(&["workflow", "job"]).0);
        same(
            "workflow \"w\" { on { $0 }; job \"j\" { run \"x\" } }",
            children(&["workflow", "on"]).0,
        );
        same(
            "workflow \"w\" { on { push { $0 } }; job \"j\" { run \"x\" } }",
            children(&["workflow", "on", "push"]).0,
        );
        same(
            "workflow \"w\" { on { workflow_call { $0 } }; job \"j\" { run \"x\" } }",
            children(&["workflow", "on", "workflow_call"]).0,
        );
        same(
            "workflow \"w\" { on { push }; job \"j\" { run \"x\" { $0 } } }",
            children(&["workflow", "job", "run"]).0,
        );
        same(
            "workflow \"w\" { on { push }; job \"j\" { uses \"a/b@v1\" { $0 } } }",
            &children(&["workflow", "job", "uses"]).0[..3],
        );
        same(
            "workflow \"w\" { on { push }; job \"j\" { run \"x\"; container \"i\" { $0 } } }",
            children(&["workflow", "job", "container"]).0,
        );
        same(
            "workflow \"w\" { on { push }; job \"j\" { run \"x\"; services { db \"i\" { $0 } } } }",
            children(&["workflow", "job", "services", "db"]).0,
        );
        same(
            "workflow \"w\" { on { push }; job \"j\" { run \"x\" }; artifact \"a\" path=\"p\" from=\"j\" { $0 } }",
            children(&["workflow", "artifact"]).0,
        );
        same("actions { $0 }", children(&["actions"]).0);
        same("steps \"s\" { $0 }", children(&["steps"]).0);
    }

    #[test]
    fn nodes_take_the_properties_the_parser_reads() {
        // The parser also reads the other kind of step, to refuse it.
        same(
            "workflow \"w\" { on { push }; job \"j\" { run \"x\" $0=1 } }",
            &[properties(&["workflow", "job", "run"]), &["uses"]].concat(),
        );
        same(
            "workflow \"w\" { on { push }; job \"j\" { uses \"a/b@v1\" $0=1 } }",
            &[properties(&["workflow", "job", "uses"]), &["run"]].concat(),
        );
        same(
            "workflow \"w\" { on { push }; job \"j\" { run \"x\" }; artifact \"a\" path=\"p\" from=\"j\" $0=1 }",
            properties(&["workflow", "artifact"]),
        );
        same(
            "workflow \"w\" { on { push }; concurrency group=\"g\" $0=1; job \"j\" { run \"x\" } }",
            properties(&["workflow", "concurrency"]),
        );
        same(
            "workflow \"w\" { on { push }; job \"j\" { run \"x\"; strategy $0=1 } }",
            properties(&["workflow", "job", "strategy"]),
        );
        same(
            "workflow \"w\" { on { push }; job \"j\" { run \"x\"; permissions $0=\"read\" } }",
            properties(&["workflow", "job", "permissions"]),
        );
        same(
            "workflow \"w\" { on { workflow_dispatch { input \"i\" $0=1 } }; job \"j\" { run \"x\" } }",
            properties(&["workflow", "on", "workflow_dispatch", "input"]),
        );
        same(
            "workflow \"w\" { on { push }; defaults { run shell=\"bash\" $0=1 }; job \"j\" { run \"x\" } }",
            properties(&["workflow", "defaults", "run"]),
        );
    }

    #[test]
    fn values_come_from_the_model() {
        assert_eq!(property_values(&["workflow", "artifact"], "legs"), Values::Fixed(&LEGS));
        assert_eq!(argument_values(&["workflow", "job", "needs"]), Values::Jobs);
        assert_eq!(argument_values(&["template", "needs"]), Values::Jobs);
        assert_eq!(
            property_values(&["workflow", "job", "uses", "with"], "name"),
            Values::Artifacts
        );
    }
}
