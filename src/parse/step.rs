//! Steps: `run "SCRIPT" …` and `uses "OWNER/REPO@REF" …`.

use super::tree::{Entry, Node};

use super::reader::{Cx, ENV_KEY, INPUT_KEY, children, props, value_span};
use super::spec::Spanned;
use crate::error::SpecError;
use crate::model::{Action, Map, Step};

const RUN_PROPS: &[&str] =
    &["name", "id", "if", "shell", "working-directory", "continue-on-error", "timeout-minutes"];
const USES_PROPS: &[&str] = &["name", "id", "if", "continue-on-error", "timeout-minutes"];

/// Parses a `run` or `uses` node.
pub fn parse(cx: &mut Cx, node: &Node) -> Option<Step> {
    let is_run = node.name().value() == "run";
    let (kind, other) = if is_run { ("run", "uses") } else { ("uses", "run") };
    // A step is one or the other: flag the second kind wherever it appears.
    for (key, entry) in props(node) {
        if key == other {
            cx.error(SpecError::RunAndUses { step: node.name().span(), kind, other: entry.span() });
        }
    }
    for child in children(node) {
        if child.name().value() == other {
            cx.error(SpecError::RunAndUses {
                step: node.name().span(),
                kind,
                other: child.name().span(),
            });
        }
    }
    let known = if is_run { RUN_PROPS } else { USES_PROPS };
    let mut allowed: Vec<&str> = known.to_vec();
    allowed.push(other);
    cx.check_props(node, &allowed);

    let what = if is_run { "a script" } else { "an action reference" };
    let main_entry = cx.one_arg(node, what);
    let main = main_entry.and_then(|e| cx.string(kind, e));
    let mut step = Step {
        name: None,
        id: None,
        condition: None,
        action: Action::Run { script: String::new(), shell: None, working_directory: None },
        env: Map::default(),
        continue_on_error: None,
        timeout_minutes: None,
    };
    let mut shell = None;
    let mut working_directory = None;
    for (key, entry) in props(node) {
        match key {
            "name" => step.name = cx.nonempty_string("name", entry).map(|s| s.value),
            "id" => step.id = step_id(cx, entry),
            "if" => step.condition = cx.nonempty_string("if", entry).map(|s| s.value),
            "shell" if is_run => shell = cx.nonempty_string("shell", entry).map(|s| s.value),
            "working-directory" if is_run => {
                working_directory = cx.nonempty_string("working-directory", entry).map(|s| s.value);
            }
            "continue-on-error" => {
                step.continue_on_error = cx.boolean_or_expression("continue-on-error", entry);
            }
            "timeout-minutes" => {
                step.timeout_minutes = cx.integer("timeout-minutes", entry, 1, 10_080);
            }
            _ => {}
        }
    }
    let mut with = Map::default();
    let child_names: &[&str] = if is_run { &["env"] } else { &["with", "env"] };
    for child in children(node) {
        let name = child.name().value();
        if name == other {
            continue;
        }
        if !child_names.contains(&name) {
            cx.unknown_node(child, &format!("in a `{kind}` step"), child_names);
            continue;
        }
        if name == "env" {
            cx.scalar_map(child, &mut step.env, ENV_KEY);
        } else {
            cx.scalar_map(child, &mut with, INPUT_KEY);
            if main.as_ref().is_some_and(|action| runs_script(&action.value)) {
                for (key, entry) in props(child) {
                    if key == "script"
                        && let Some(script) = entry.value().as_string()
                    {
                        let script = Spanned { value: script.to_owned(), span: value_span(entry) };
                        check_injection(cx, entry, &script, "with.script");
                    }
                }
            }
        }
    }
    let main = main?;
    step.action = if is_run {
        if main.value.trim().is_empty() {
            cx.error(SpecError::InvalidValue {
                what: "run".to_owned(),
                problem: "the script is empty".to_owned(),
                span: main.span,
                help: None,
            });
        }
        if let Some(entry) = main_entry {
            check_injection(cx, entry, &main, "run");
        }
        Action::Run { script: main.value, shell, working_directory }
    } else {
        if crate::model::Call::is_workflow_reference(&main.value) {
            cx.error(SpecError::StepCallsWorkflow { uses: main.value.clone(), span: main.span });
        } else {
            check_action_ref(cx, &main);
        }
        Action::Uses { action: main.value, with }
    };
    Some(step)
}

fn step_id(cx: &mut Cx, entry: &Entry) -> Option<String> {
    let id = cx.nonempty_string("id", entry)?;
    if crate::model::JobId::new(&id.value).is_err() {
        cx.error(SpecError::InvalidValue {
            what: "id".to_owned(),
            problem: format!("`{}` is not a valid step id", id.value),
            span: id.span,
            help: Some(
                "a step id starts with a letter or `_` and holds only letters, digits, `-` and `_`"
                    .to_owned(),
            ),
        });
        return None;
    }
    Some(id.value)
}

/// An action reference names a version: `OWNER/REPO@REF`, a URL with `@REF`,
/// a local `./path` or a `docker://` image.
pub fn check_action_ref(cx: &mut Cx, reference: &Spanned<String>) {
    let value = reference.value.as_str();
    if value.starts_with("./") || value.starts_with("$/") || value.starts_with("docker://") {
        return;
    }
    let problem = match value.rsplit_once('@') {
        None => "it names no version",
        Some((repo, _)) if repo.is_empty() || !repo.contains('/') => "it is not `OWNER/REPO@REF`",
        Some((_, version)) if version.is_empty() || version.contains(char::is_whitespace) => {
            "its version is empty or has spaces"
        }
        Some(_) => return,
    };
    cx.error(SpecError::InvalidValue {
        what: "uses".to_owned(),
        problem: format!("`{value}`: {problem}"),
        span: reference.span,
        help: Some(
            "write `OWNER/REPO@REF` (a tag like `@v4`, or a full commit SHA), a URL ending in `@REF`, `./path`, `$/path` or `docker://image`"
                .to_owned(),
        ),
    });
}

/// Refuses `run` scripts that expand attacker-controlled text.
/// Whether an action runs its `script` input as code.
fn runs_script(action: &str) -> bool {
    let name = action.split('@').next().unwrap_or(action);
    name.ends_with("/github-script") || name == "actions/github-script"
}

fn check_injection(cx: &mut Cx, entry: &Entry, script: &Spanned<String>, place: &'static str) {
    let written = entry.repr().unwrap_or_default();
    for finding in super::injection::scan(&script.value) {
        // Point at the expression itself when it is written as-is.
        let span = match written.find(&finding.expression) {
            Some(at) if written.len() == script.span.len() => miette::SourceSpan::new(
                (script.span.offset() + at).into(),
                finding.expression.len(),
            ),
            _ => script.span,
        };
        let name: String = finding
            .context
            .rsplit('.')
            .next()
            .unwrap_or("value")
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' })
            .collect();
        cx.error(SpecError::ScriptInjection {
            place,
            context: finding.context.clone(),
            span,
            help: if place == "run" {
                format!(
                    "pass it through `env` and quote the variable: `run \"echo \\\"${name}\\\"\" {{ env {name}=\"{}\" }}`",
                    finding.expression
                )
            } else {
                format!(
                    "pass it through the step's `env` and read `process.env.{name}` in the script: `env {name}=\"{}\"`",
                    finding.expression
                )
            },
        });
    }
}
