//! `${{ … }}` on GitLab CI, which has no such language: a template that
//! only reads a value GitLab has as a variable becomes `${NAME}`, which the
//! shell (in a script) or GitLab (in a variable, an image, …) expands.
//! Anything else — functions, operators, the event payload, step and job
//! outputs — has no GitLab form and is refused.
//!
//! | Actions | GitLab |
//! | --- | --- |
//! | `matrix.X`, `env.X`, `secrets.X`, `inputs.X`, `vars.X` | `$X` |
//! | `github.sha`, `github.ref_name` | `$CI_COMMIT_SHA`, `$CI_COMMIT_REF_NAME` |
//! | `github.run_id`, `github.run_number` | `$CI_PIPELINE_ID`, `$CI_PIPELINE_IID` |
//! | `github.repository`, `github.repository_owner` | `$CI_PROJECT_PATH`, `$CI_PROJECT_NAMESPACE` |
//! | `github.server_url`, `github.workspace` | `$CI_SERVER_URL`, `$CI_PROJECT_DIR` |
//! | `github.head_ref`, `github.base_ref` | `$CI_MERGE_REQUEST_SOURCE_BRANCH_NAME`, `$CI_MERGE_REQUEST_TARGET_BRANCH_NAME` |
//! | `github.actor`, `github.job` | `$GITLAB_USER_LOGIN`, `$CI_JOB_NAME` |

use std::ops::Range;

use crate::expr::{self, Segment};

/// The GitLab variables of `github` context properties.
pub const GITHUB: &[(&str, &str)] = &[
    ("sha", "CI_COMMIT_SHA"),
    ("ref_name", "CI_COMMIT_REF_NAME"),
    ("run_id", "CI_PIPELINE_ID"),
    ("run_number", "CI_PIPELINE_IID"),
    ("repository", "CI_PROJECT_PATH"),
    ("repository_owner", "CI_PROJECT_NAMESPACE"),
    ("server_url", "CI_SERVER_URL"),
    ("workspace", "CI_PROJECT_DIR"),
    ("head_ref", "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME"),
    ("base_ref", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME"),
    ("actor", "GITLAB_USER_LOGIN"),
    ("job", "CI_JOB_NAME"),
];

/// Where a translated text goes: it decides what a literal `$` means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// A script line, or a variable's value: `$` means what it means there.
    Script,
    /// A key GitLab expands (`image`, `tags`, artifact paths, an
    /// environment): a literal `$` has no safe form there.
    Expanded,
}

/// Why a text has no GitLab form, and where in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// The bytes of the text at fault.
    pub range: Range<usize>,
    /// What is at fault, for the message.
    pub what: String,
    /// What to write instead.
    pub help: String,
}

/// `text` with every template replaced by the variable GitLab has for it.
pub fn translate(text: &str, place: Place) -> Result<String, Refusal> {
    let segments = expr::split(text).map_err(|e| Refusal {
        range: e.span(),
        what: "an unterminated `${{`".to_owned(),
        help: "close the expression with `}}`".to_owned(),
    })?;
    let mut out = String::with_capacity(text.len());
    for segment in segments {
        match segment {
            Segment::Literal { range } => {
                let literal = &text[range.clone()];
                match (place, literal.find('$')) {
                    (Place::Expanded, Some(at)) => {
                        return Err(Refusal {
                            range: range.start + at..range.start + at + 1,
                            what: "a literal `$`".to_owned(),
                            help: "GitLab CI expands variables here, and has no way to keep a `$` as it is".to_owned(),
                        });
                    }
                    _ => out.push_str(literal),
                }
            }
            Segment::Expression { inner, whole } => {
                let name = expr::parse(&text[inner])
                    .ok()
                    .and_then(|parsed| variable(&parsed))
                    .ok_or_else(|| Refusal {
                        range: whole.clone(),
                        what: format!("the expression `{}`", &text[whole.clone()]),
                        help: "GitLab CI has no expressions; only a value it has as a variable can be read (`matrix.X`, `env.X`, `secrets.X`, `inputs.X`, `vars.X` and the `github` values listed in docs/gitlab.md)".to_owned(),
                    })?;
                out.push_str("${");
                out.push_str(&name);
                out.push('}');
            }
        }
    }
    Ok(out)
}

/// The GitLab variable an expression reads, when it is a plain path to one.
pub fn variable(expression: &expr::Expr) -> Option<String> {
    let path = expression.path()?;
    let [context, name] = path.as_slice() else { return None };
    match context.to_ascii_lowercase().as_str() {
        "matrix" | "env" | "secrets" | "inputs" | "vars" => {
            crate::model::EnvName::new(name).is_ok().then(|| (*name).to_owned())
        }
        "github" | "forgejo" | "gitea" => {
            let name = name.to_ascii_lowercase();
            GITHUB.iter().find(|(key, _)| *key == name).map(|(_, var)| (*var).to_owned())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_gitlab_has_become_variables() {
        let script = "pytest --python ${{ matrix.python }} -k ${{ env.K }} ${{ github.sha }}";
        assert_eq!(
            translate(script, Place::Script).unwrap(),
            "pytest --python ${python} -k ${K} ${CI_COMMIT_SHA}"
        );
        assert_eq!(translate("${{ secrets['TOKEN'] }}", Place::Script).unwrap(), "${TOKEN}");
        assert_eq!(translate("echo $HOME", Place::Script).unwrap(), "echo $HOME");
    }

    #[test]
    fn everything_else_is_refused_where_it_is() {
        let text = "x ${{ github.event.issue.number }} y";
        let refusal = translate(text, Place::Script).unwrap_err();
        assert_eq!(&text[refusal.range], "${{ github.event.issue.number }}");
        for text in [
            "${{ format('{0}', matrix.x) }}",
            "${{ needs.build.outputs.v }}",
            "${{ matrix.python-version }}",
            "${{ steps.s.outputs.x }}",
            "${{ matrix.x",
        ] {
            assert!(translate(text, Place::Script).is_err(), "{text}");
        }
        let refusal = translate("img:$TAG", Place::Expanded).unwrap_err();
        assert_eq!(refusal.range, 4..5);
    }
}
