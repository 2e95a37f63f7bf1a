//! The plan lowered for GitLab CI: one pipeline whose jobs say exactly what
//! they wait for (`needs`, with `artifacts: true` only for the producers of
//! what they consume), artifacts declared by their producers, and stages
//! that only show the depth of the job graph.
//!
//! `validate` has refused everything this lowering has no form for, so it
//! cannot fail: where a translation would, the text is kept as written.

use std::collections::HashMap;

use minijinja::Value;
use minijinja::value::Serde;

use super::context::{
    ArtifactsContext, EnvironmentContext, JobContext, NeedContext, PipelineContext, ServiceContext,
    VariableContext,
};
use super::expr::{Place, translate};
use super::rules::{self, JobCondition, Rule};
use crate::model::{
    Action, Artifact, Checkout, IfMissing, Job, Legs, Map, Minutes, Scalar, WorkflowName,
};
use crate::plan::{Plan, legs::legs};
use crate::target::Lowered;

/// Lowers `plan` for GitLab CI.
pub fn lower(plan: Plan) -> Box<dyn Lowered> {
    let needs = needs(&plan);
    let depths = depths(&needs);
    let conditions = conditions(&plan, &needs);
    Box::new(Lowering { plan, depths, conditions })
}

#[derive(Debug)]
struct Lowering {
    plan: Plan,
    /// Each job's depth in the graph of `needs`.
    depths: Vec<usize>,
    /// Each job's pipeline-creation condition: its own `if` and those of
    /// every job it waits for, which GitLab would otherwise leave out.
    conditions: Vec<(Vec<String>, Option<&'static str>)>,
}

impl Lowered for Lowering {
    fn header(&self) -> Value {
        Value::from(Serde(&self.pipeline()))
    }

    fn job_count(&self) -> usize {
        self.plan.job_count()
    }

    fn job(&self, index: usize) -> Value {
        Value::from(Serde(&self.lower_job(index)))
    }
}

/// The jobs each job needs (its artifacts' producers included), by index.
fn needs(plan: &Plan) -> Vec<Vec<usize>> {
    let index: HashMap<&str, usize> =
        plan.workflow.jobs.iter().enumerate().map(|(i, job)| (job.id.as_str(), i)).collect();
    (0..plan.job_count())
        .map(|i| {
            plan.job(i).needs.iter().filter_map(|id| index.get(id.as_str()).copied()).collect()
        })
        .collect()
}

/// The depth of each job: 0 without `needs`, else one more than the
/// deepest job it needs. `validate` refused cycles.
fn depths(needs: &[Vec<usize>]) -> Vec<usize> {
    let mut depths: Vec<Option<usize>> = vec![None; needs.len()];
    for start in 0..needs.len() {
        let mut stack = vec![start];
        while let Some(&job) = stack.last() {
            if depths[job].is_some() {
                stack.pop();
                continue;
            }
            let pending: Vec<usize> =
                needs[job].iter().copied().filter(|&n| depths[n].is_none()).collect();
            if pending.is_empty() || stack.len() > needs.len() {
                let deepest = needs[job].iter().filter_map(|&n| depths[n]).max();
                depths[job] = Some(deepest.map_or(0, |d| d + 1));
                stack.pop();
            } else {
                stack.extend(pending);
            }
        }
    }
    depths.into_iter().map(Option::unwrap_or_default).collect()
}

/// Each job's conditions (its own and those of the jobs it waits for, in
/// order, each once) and the `when` of its own status function.
fn conditions(plan: &Plan, needs: &[Vec<usize>]) -> Vec<(Vec<String>, Option<&'static str>)> {
    let own: Vec<JobCondition> = plan
        .workflow
        .jobs
        .iter()
        .map(|job| {
            job.settings
                .condition
                .as_deref()
                .and_then(|text| rules::job_condition(text).ok())
                .unwrap_or_default()
        })
        .collect();
    let any = own.iter().any(|o| o.condition.is_some());
    let mut all = Vec::with_capacity(own.len());
    // `seen[job] == i + 1`: visited while collecting the conditions of job `i`.
    let mut seen = vec![0; own.len()];
    for i in 0..own.len() {
        let mut found: Vec<String> = Vec::new();
        let mut stack = if any { vec![i] } else { Vec::new() };
        while let Some(job) = stack.pop() {
            if std::mem::replace(&mut seen[job], i + 1) == i + 1 {
                continue;
            }
            if let Some(condition) = &own[job].condition
                && !found.contains(condition)
            {
                found.push(condition.clone());
            }
            stack.extend(&needs[job]);
        }
        // The job's own condition first, then the inherited ones in order.
        found.sort_by_key(|c| own[i].condition.as_ref() != Some(c));
        all.push((found, own[i].when));
    }
    all
}

fn text(value: &Scalar) -> String {
    value.to_string()
}

/// A variable: a value that reads variables is expanded; one with only a
/// literal `$` is kept as it is.
fn variable(name: &str, value: &Scalar) -> VariableContext {
    let written = text(value);
    let (value, expand) = if crate::expr::template::has_template(&written) {
        (translate(&written, Place::Script).unwrap_or(written), true)
    } else {
        let expand = !written.contains('$');
        (written, expand)
    };
    VariableContext { name: name.to_owned(), value, expand, description: None, options: Vec::new() }
}

fn variables<K: std::borrow::Borrow<str> + Ord>(env: &Map<K, Scalar>) -> Vec<VariableContext> {
    env.iter().map(|(name, value)| variable(name.borrow(), value)).collect()
}

fn expanded(text: &str) -> String {
    translate(text, Place::Expanded).unwrap_or_else(|_| text.to_owned())
}

impl Lowering {
    fn pipeline(&self) -> PipelineContext {
        let workflow = &self.plan.workflow;
        let settings = &workflow.settings;
        let mut variables = variables(&settings.env);
        for trigger in settings.on.iter().filter(|t| t.event == "workflow_dispatch") {
            for input in &trigger.inputs {
                variables.push(VariableContext {
                    name: input.name.to_string(),
                    value: input.default.as_ref().map(text).unwrap_or_default(),
                    expand: false,
                    description: input.description.clone(),
                    options: input.options.clone(),
                });
            }
        }
        let stages = self.depths.iter().max().map_or(0, |d| d + 1);
        PipelineContext {
            name: match &settings.name {
                WorkflowName::Id => Some(workflow.id.to_string()),
                WorkflowName::Text(text) => Some(text.clone()),
                WorkflowName::Omitted => None,
            },
            rules: rules::workflow(&settings.on),
            auto_cancel: settings.concurrency.is_some(),
            variables,
            stages: (0..stages).map(|d| format!("level-{d}")).collect(),
            raw: settings.raw.clone(),
            jobs: Vec::new(),
        }
    }

    fn lower_job(&self, index: usize) -> JobContext {
        let planned = self.plan.job(index);
        let job: &Job = planned.job;
        let settings = &job.settings;
        let workflow = &self.plan.workflow.settings;

        let needs = planned
            .needs
            .iter()
            .map(|id| {
                let from: Vec<_> =
                    planned.downloads.iter().filter(|d| d.artifact.from == **id).collect();
                // `validate` refused pairing beside any other wait for the job.
                let paired = from.first().filter(|d| d.artifact.legs == Legs::Paired);
                let parallel = paired
                    .and_then(|d| d.producer)
                    .map(|matrix| {
                        matrix.axes.keys().map(|a| (a.to_owned(), format!("$[[ matrix.{a} ]]")))
                    })
                    .into_iter()
                    .flatten()
                    .collect();
                NeedContext { job: id.to_string(), artifacts: !from.is_empty(), parallel }
            })
            .collect();

        let (conditions, when) = &self.conditions[index];
        let rules = if conditions.is_empty() && when.is_none() {
            Vec::new()
        } else {
            let wrap = conditions.len() > 1;
            let condition = (!conditions.is_empty()).then(|| {
                conditions
                    .iter()
                    .map(|c| if wrap && c.contains("||") { format!("({c})") } else { c.clone() })
                    .collect::<Vec<_>>()
                    .join(" && ")
            });
            vec![Rule { condition, when: *when, ..Rule::default() }]
        };

        let mut variables = planned.container.map(|c| variables(&c.env)).unwrap_or_default();
        for variable in self::variables(&settings.env) {
            variables.retain(|v| v.name != variable.name);
            variables.push(variable);
        }
        match &settings.checkout {
            Checkout::Disabled => variables.push(plain("GIT_STRATEGY", "none")),
            Checkout::Enabled(checkout) => {
                let inputs = &checkout.with;
                if let Some(depth) = inputs.get("fetch-depth") {
                    variables.push(plain("GIT_DEPTH", &text(depth)));
                }
                if let Some(submodules) = inputs.get("submodules") {
                    let strategy = match submodules {
                        Scalar::Bool(true) => "normal",
                        Scalar::String(s) if s == "recursive" => "recursive",
                        _ => "none",
                    };
                    variables.push(plain("GIT_SUBMODULE_STRATEGY", strategy));
                }
            }
        }

        let mut script = Vec::new();
        let directory = settings
            .defaults
            .as_ref()
            .and_then(|d| d.working_directory.as_ref())
            .or_else(|| workflow.defaults.as_ref().and_then(|d| d.working_directory.as_ref()));
        if let Some(directory) = directory {
            let directory =
                translate(directory, Place::Script).unwrap_or_else(|_| directory.clone());
            script.push(format!("cd {}", shell_word(&directory)));
        }
        for step in &settings.steps {
            if let Action::Run { script: text, .. } = &step.action {
                script.push(translate(text, Place::Script).unwrap_or_else(|_| text.clone()));
            }
        }
        let guards: Vec<String> = planned.uploads.iter().filter_map(|a| guard(a)).collect();
        // `validate` refused artifacts of one job with different conditions.
        let when = planned
            .uploads
            .first()
            .and_then(|a| a.condition.as_deref())
            .and_then(|c| rules::artifact_when(c).ok())
            .unwrap_or("on_success");
        if directory.is_some() && !guards.is_empty() {
            // Artifact paths are relative to the project folder.
            script.push("cd \"$CI_PROJECT_DIR\"".to_owned());
        }
        script.extend(guards);

        let artifacts = (!planned.uploads.is_empty()).then(|| {
            let mut paths: Vec<String> = Vec::new();
            for artifact in &planned.uploads {
                for path in &artifact.paths {
                    let path = expanded(path);
                    if !paths.contains(&path) {
                        paths.push(path);
                    }
                }
            }
            ArtifactsContext {
                paths,
                expire_in: planned.uploads.iter().find_map(|a| a.retention_days).map(|days| {
                    if days == 1 { "1 day".to_owned() } else { format!("{days} days") }
                }),
                when: when.to_owned(),
            }
        });

        JobContext {
            raw: settings.raw.clone(),
            id: job.id.to_string(),
            stage: format!("level-{}", self.depths.get(index).copied().unwrap_or_default()),
            needs,
            rules,
            interruptible: workflow.concurrency.is_some(),
            timeout: planned.timeout_minutes.as_ref().map(|minutes| match minutes {
                Minutes::Fixed(1) => "1 minute".to_owned(),
                Minutes::Fixed(n) => format!("{n} minutes"),
                // Refused by the GitLab checks.
                Minutes::Expression(text) => text.clone(),
            }),
            image: planned.container.map(|c| expanded(&c.image)),
            tags: planned
                .runs_on
                .map(|runs_on| runs_on.labels.iter().map(|l| expanded(l)).collect())
                .unwrap_or_default(),
            variables,
            services: settings
                .services
                .iter()
                .map(|service| ServiceContext {
                    name: expanded(&service.image),
                    alias: service.name.to_string(),
                    command: service.cmd.iter().map(|word| expanded(word)).collect(),
                    variables: self::variables(&service.env),
                })
                .collect(),
            matrix: settings
                .matrix()
                .map(|matrix| {
                    legs(matrix)
                        .into_iter()
                        .map(|leg| {
                            leg.into_iter()
                                .map(|(k, v)| (k, v.as_scalar().map(text).unwrap_or_default()))
                                .collect()
                        })
                        .collect()
                })
                .unwrap_or_default(),
            environment: settings.environment.as_ref().map(|e| EnvironmentContext {
                name: expanded(&e.name),
                url: e.url.as_deref().map(expanded),
            }),
            resource_group: settings.concurrency.as_ref().map(|c| c.group.clone()),
            allow_failure: settings.continue_on_error == Some(Scalar::Bool(true)),
            script,
            artifacts,
        }
    }
}

fn plain(name: &str, value: &str) -> VariableContext {
    VariableContext {
        name: name.to_owned(),
        value: value.to_owned(),
        expand: true,
        description: None,
        options: Vec::new(),
    }
}

/// The script line that fails the producer when a path of `artifact`
/// matches no file (GitLab itself only warns), for `if-missing "error"`.
/// An artifact uploaded only on failure has none: the script that reaches
/// its end has succeeded.
fn guard(artifact: &Artifact) -> Option<String> {
    let on_failure = artifact.condition.as_deref().and_then(|c| rules::artifact_when(c).ok())
        == Some("on_failure");
    if artifact.if_missing != IfMissing::Error || on_failure {
        return None;
    }
    let checks: Vec<String> = artifact
        .paths
        .iter()
        .map(|path| {
            let path = expanded(path);
            let fail = format!(
                "{{ echo {} >&2; exit 1; }}",
                shell_quote(&format!("artifact {}: no file matches {path}", artifact.name))
            );
            let path = path.strip_prefix("./").unwrap_or(&path);
            if path.contains("**") {
                // `find -path` lets `*` cross `/`: `a/**/b` is `./a/*b`.
                let pattern = format!("./{}", path.replace("**/", "").replace("**", "*"));
                format!("find . -path {} | grep -q . || {fail}", shell_quote(&pattern))
            } else if path.contains(['*', '?', '[']) {
                format!("for p in {}; do [ -e \"$p\" ] || {fail}; done", shell_glob(path))
            } else {
                format!("[ -e {} ] || {fail}", shell_quote(path))
            }
        })
        .collect();
    Some(checks.join("; "))
}

/// `text` as one single-quoted shell word.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// A directory as one shell word, variables (`${X}`) left to the shell.
fn shell_word(text: &str) -> String {
    if text.chars().all(|c| c.is_ascii_alphanumeric() || "/._-${}".contains(c)) {
        return text.to_owned();
    }
    let mut out = String::from("\"");
    for c in text.chars() {
        if matches!(c, '"' | '\\' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// A glob pattern as one shell word: its wildcards left to the shell,
/// every other special character escaped.
fn shell_glob(pattern: &str) -> String {
    let mut out = String::new();
    for c in pattern.chars() {
        if !(c.is_ascii_alphanumeric() || "*?[]/._-".contains(c)) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ArtifactName;

    fn artifact(paths: &[&str]) -> Artifact {
        Artifact {
            name: ArtifactName::new("data").unwrap(),
            paths: paths.iter().map(|p| (*p).to_owned()).collect(),
            from: crate::model::JobId::new("a").unwrap(),
            to: Vec::new(),
            retention_days: None,
            if_missing: IfMissing::Error,
            hidden: None,
            into: None,
            condition: None,
            compression_level: None,
            legs: Legs::Merged,
        }
    }

    #[test]
    fn guards_check_each_path_the_way_it_is_written() {
        assert_eq!(
            guard(&artifact(&[".coverage"])).unwrap(),
            "[ -e '.coverage' ] || { echo 'artifact data: no file matches .coverage' >&2; exit 1; }"
        );
        assert_eq!(
            guard(&artifact(&[".coverage.*"])).unwrap(),
            "for p in .coverage.*; do [ -e \"$p\" ] || { echo 'artifact data: no file matches .coverage.*' >&2; exit 1; }; done"
        );
        assert!(
            guard(&artifact(&["dist/**/*.whl"]))
                .unwrap()
                .starts_with("find . -path './dist/*.whl'")
        );
        assert_eq!(shell_glob("my dir/*.txt"), "my\\ dir/*.txt");
    }
}
