//! Validated identifiers: once built, a [`JobId`], [`WorkflowId`] or
//! [`ArtifactName`] is known to be valid, so later stages never re-check them.

use std::fmt;

use serde::Serialize;

/// Why a name was refused; the message completes "… because it …".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidName {
    /// What is wrong, e.g. "contains `/`".
    pub reason: String,
    /// The rule the name must follow.
    pub rule: &'static str,
}

macro_rules! name_type {
    ($(#[$doc:meta])* $name:ident, $check:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Checks `value` against the rule and wraps it.
            pub fn new(value: &str) -> Result<Self, InvalidName> {
                $check(value)?;
                Ok(Self(value.to_owned()))
            }

            /// The name as written in the spec.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
    };
}

name_type!(
    /// A job id: `^[_A-Za-z][A-Za-z0-9_-]*$`, the Actions rule.
    JobId,
    check_job_id
);
name_type!(
    /// A workflow id, which names its output file: `^[A-Za-z0-9_.-]+$`.
    WorkflowId,
    check_workflow_id
);
name_type!(
    /// An artifact name: no `" : < > | * ? \ /`, CR or LF, at most 255 characters.
    ArtifactName,
    check_artifact_name
);

const JOB_RULE: &str =
    "a job id starts with a letter or `_` and holds only letters, digits, `-` and `_`";
const WORKFLOW_RULE: &str = "a workflow id holds only letters, digits, `.`, `-` and `_`";
const ARTIFACT_RULE: &str =
    "an artifact name has 1 to 255 characters, none of them \" : < > | * ? \\ / CR LF";

fn refuse(reason: impl Into<String>, rule: &'static str) -> Result<(), InvalidName> {
    Err(InvalidName { reason: reason.into(), rule })
}

/// "contains a space", "contains `/`": the character named so that it can
/// be seen in a message.
fn describe(c: char) -> String {
    format!("contains {}", name(c))
}

/// A character as a message shows it: blanks and controls by name.
fn name(c: char) -> String {
    match c {
        ' ' => "a space".to_owned(),
        '\t' => "a tab".to_owned(),
        '\n' | '\r' => "a line break".to_owned(),
        c if c.is_control() || c.is_whitespace() => {
            format!("the character U+{:04X}", u32::from(c))
        }
        c => format!("`{c}`"),
    }
}

fn check_job_id(value: &str) -> Result<(), InvalidName> {
    let mut chars = value.chars();
    match chars.next() {
        None => return refuse("is empty", JOB_RULE),
        Some(c) if !(c.is_ascii_alphabetic() || c == '_') => {
            return refuse(format!("starts with {}", name(c)), JOB_RULE);
        }
        Some(_) => {}
    }
    match chars.find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-')) {
        Some(c) => refuse(describe(c), JOB_RULE),
        None => Ok(()),
    }
}

fn check_workflow_id(value: &str) -> Result<(), InvalidName> {
    if value.is_empty() {
        return refuse("is empty", WORKFLOW_RULE);
    }
    if value == "." || value == ".." {
        return refuse(format!("is `{value}`"), WORKFLOW_RULE);
    }
    match value.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))) {
        Some(c) => refuse(describe(c), WORKFLOW_RULE),
        None => Ok(()),
    }
}

fn check_artifact_name(value: &str) -> Result<(), InvalidName> {
    if value.is_empty() {
        return refuse("is empty", ARTIFACT_RULE);
    }
    if value.chars().count() > 255 {
        return refuse("is longer than 255 characters", ARTIFACT_RULE);
    }
    match value
        .chars()
        .find(|c| matches!(c, '"' | ':' | '<' | '>' | '|' | '*' | '?' | '\\' | '/' | '\r' | '\n'))
    {
        Some(c) => refuse(describe(c), ARTIFACT_RULE),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn job_ids_follow_the_actions_rule() {
        for ok in ["a", "_x", "unit_tests", "build-1", "A9"] {
            assert!(JobId::new(ok).is_ok(), "{ok}");
        }
        for bad in ["", "1a", "-a", "a.b", "a b", "é"] {
            assert!(JobId::new(bad).is_err(), "{bad}");
        }
        let reason = |id: &str| JobId::new(id).unwrap_err().reason;
        assert_eq!(reason("lint check"), "contains a space");
        assert_eq!(reason("lint\tcheck"), "contains a tab");
        assert_eq!(reason("a/b"), "contains `/`");
        assert_eq!(reason(" a"), "starts with a space");
        assert_eq!(reason("a\u{a0}b"), "contains the character U+00A0");
    }

    #[test]
    fn workflow_ids_name_files() {
        assert!(WorkflowId::new("ci.v2-x_y").is_ok());
        for bad in ["", ".", "..", "a/b", "a b"] {
            assert!(WorkflowId::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn artifact_names_refuse_the_forbidden_characters() {
        assert!(ArtifactName::new("coverage-data.v1 (x)").is_ok());
        for bad in ["", "a/b", "a:b", "a*", "a\nb", "a\\b", "a|b"] {
            let err = ArtifactName::new(bad).unwrap_err();
            assert_eq!(err.rule, ARTIFACT_RULE, "{bad}");
        }
        assert!(ArtifactName::new(&"x".repeat(256)).is_err());
    }
}
