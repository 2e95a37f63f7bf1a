//! Validated names: once built, a [`JobId`], an [`EnvName`] or any other
//! name here is known to follow its rule, so later stages never re-check
//! it. Each rule is written once, in the check function its names share.

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
    ($(#[$doc:meta])* $name:ident, $check:ident, $rule:expr) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The rule, as a help line says it.
            pub const RULE: &'static str = $rule;

            /// Checks `value` against the rule and wraps it.
            pub fn new(value: &str) -> Result<Self, InvalidName> {
                $check(value).map_err(|reason| InvalidName { reason, rule: Self::RULE })?;
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

        impl std::str::FromStr for $name {
            type Err = InvalidName;

            fn from_str(value: &str) -> Result<Self, InvalidName> {
                Self::new(value)
            }
        }
    };
}

name_type!(
    /// A job id: `^[_A-Za-z][A-Za-z0-9_-]*$`, the Actions rule.
    JobId,
    identifier,
    "a job id starts with a letter or `_` and holds only letters, digits, `-` and `_`"
);
name_type!(
    /// A step id, which `steps.ID` expressions read.
    StepId,
    identifier,
    "a step id starts with a letter or `_` and holds only letters, digits, `-` and `_`"
);
name_type!(
    /// The name of an action input (`with`), a job output, or an input or
    /// output of a dispatched or called workflow.
    InputName,
    identifier,
    "input names start with a letter or `_` and hold only letters, digits, `-` and `_`"
);
name_type!(
    /// A matrix axis.
    AxisName,
    identifier,
    "an axis name starts with a letter or `_` and holds only letters, digits, `-` and `_`"
);
name_type!(
    /// A service container, which is also its host name.
    ServiceName,
    identifier,
    "a service name starts with a letter or `_` and holds only letters, digits, `-` and `_`"
);
name_type!(
    /// An environment variable.
    EnvName,
    variable,
    "environment variable names start with a letter or `_` and hold only letters, digits and `_`"
);
name_type!(
    /// An environment variable of a container or a service: the image reads
    /// it, not a shell, so it may hold `.` and `-` (`discovery.type`).
    ContainerEnvName,
    container_variable,
    "a container's environment variable starts with a letter or `_` and holds only letters, digits, `.`, `-` and `_`"
);
name_type!(
    /// A secret a called workflow takes or a call passes.
    SecretName,
    variable,
    "a secret name starts with a letter or `_` and holds only letters, digits and `_`"
);
name_type!(
    /// A workflow id, which names its output file: `^[A-Za-z0-9_.-]+$`.
    WorkflowId,
    workflow_id,
    "a workflow id holds only letters, digits, `.`, `-` and `_`"
);
name_type!(
    /// An artifact name: no `" : < > | * ? \ /`, CR or LF, at most 255 characters.
    ArtifactName,
    artifact_name,
    "an artifact name has 1 to 255 characters, none of them \" : < > | * ? \\ / CR LF"
);

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
        c if c.is_control() || c.is_whitespace() => format!("the character U+{:04X}", u32::from(c)),
        c => format!("`{c}`"),
    }
}

/// A letter or `_`, then letters, digits, `-` and `_`.
fn identifier(value: &str) -> Result<(), String> {
    let mut chars = value.chars();
    match chars.next() {
        None => return Err("is empty".to_owned()),
        Some(c) if !(c.is_ascii_alphabetic() || c == '_') => {
            return Err(format!("starts with {}", name(c)));
        }
        Some(_) => {}
    }
    match chars.find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-')) {
        Some(c) => Err(describe(c)),
        None => Ok(()),
    }
}

/// A letter or `_`, then letters, digits and `_`.
fn variable(value: &str) -> Result<(), String> {
    identifier(value)?;
    match value.chars().find(|c| *c == '-') {
        Some(c) => Err(describe(c)),
        None => Ok(()),
    }
}

/// A letter or `_`, then letters, digits, `.`, `-` and `_`.
fn container_variable(value: &str) -> Result<(), String> {
    // The first character follows the identifier rule; a `.` later on is
    // checked as if it were a `-`.
    let (first, rest) = value.split_at(value.chars().next().map_or(0, char::len_utf8));
    identifier(first)?;
    identifier(&format!("_{}", rest.replace('.', "-")))
}

fn workflow_id(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err("is empty".to_owned());
    }
    if value == "." || value == ".." {
        return Err(format!("is `{value}`"));
    }
    match value.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))) {
        Some(c) => Err(describe(c)),
        None => Ok(()),
    }
}

fn artifact_name(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err("is empty".to_owned());
    }
    if value.chars().count() > 255 {
        return Err("is longer than 255 characters".to_owned());
    }
    match value
        .chars()
        .find(|c| matches!(c, '"' | ':' | '<' | '>' | '|' | '*' | '?' | '\\' | '/' | '\r' | '\n'))
    {
        Some(c) => Err(describe(c)),
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
    fn variables_refuse_dashes() {
        assert!(EnvName::new("RUST_LOG").is_ok());
        assert!(EnvName::new("discovery.type").is_err());
        assert!(ContainerEnvName::new("discovery.type").is_ok());
        assert!(ContainerEnvName::new("xpack.security-enabled").is_ok());
        assert_eq!(ContainerEnvName::new(".hidden").unwrap_err().reason, "starts with `.`");
        assert_eq!(ContainerEnvName::new("a b").unwrap_err().reason, "contains a space");
        assert_eq!(EnvName::new("MY-VAR").unwrap_err().reason, "contains `-`");
        assert_eq!(EnvName::new("MY VAR").unwrap_err().reason, "contains a space");
        assert!(InputName::new("fetch-depth").is_ok());
    }

    #[test]
    fn artifact_names_refuse_the_forbidden_characters() {
        assert!(ArtifactName::new("coverage-data.v1 (x)").is_ok());
        for bad in ["", "a/b", "a:b", "a*", "a\nb", "a\\b", "a|b"] {
            let err = ArtifactName::new(bad).unwrap_err();
            assert_eq!(err.rule, ArtifactName::RULE, "{bad}");
        }
        assert!(ArtifactName::new(&"x".repeat(256)).is_err());
    }
}
