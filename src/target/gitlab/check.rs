//! What GitLab CI can express, value by value: the refusals that depend on
//! what a construct says, not only on its presence (those are in the
//! capability table). Each names GitLab CI and points at the token.

use std::collections::{HashMap, HashSet};

use miette::SourceSpan;

use super::RESERVED;
use super::expr::{Place, translate};
use super::rules::{self, MERGE_REQUEST_TYPES, SOURCES};
use crate::error::SpecError;
use crate::model::{AxisName, Data, EnvName, Legs, Minutes, Scalar};
use crate::parse::spec::{
    AxisSpec, CheckoutSpec, JobSpec, MatrixSpec, Spanned, TriggerSpec, WorkflowSpec,
};
use crate::plan::legs::legs;
use crate::validate::Checker;

const TARGET: &str = "GitLab CI";

/// The most jobs one GitLab job may need, matrix legs counted one by one.
pub const MAX_NEEDS: usize = 50;

/// The most legs a GitLab matrix may have.
pub const MAX_LEGS: usize = 200;

/// Checks the values of a GitLab workflow.
pub fn check(cx: &mut Checker<'_>, spec: &WorkflowSpec) {
    let mut check = Check { cx };
    check.minutes(spec.timeout_minutes.as_ref());
    for property in &spec.env {
        check.variable(&property.value);
    }
    check.labels(spec.runs_on.as_ref());
    if let Some(container) = &spec.container {
        check.expanded(&container.value.image);
        for property in &container.value.env {
            check.variable(&property.value);
        }
    }
    if let Some(defaults) = &spec.defaults
        && let Some(directory) = &defaults.value.working_directory
    {
        check.text(directory, Place::Script);
    }
    for trigger in spec.on.iter().flat_map(|on| &on.value) {
        check.trigger(trigger);
    }
    if let Some(concurrency) = &spec.concurrency {
        check.workflow_concurrency(concurrency);
    }
    for artifact in &spec.artifacts {
        for path in &artifact.paths {
            check.expanded(path);
        }
        if let Some(hidden) = &artifact.hidden
            && !hidden.value
        {
            check.refuse(
                "`hidden #false`",
                hidden.span,
                "GitLab uploads hidden files like any other; remove `hidden`, or name only the files you want in `path`",
            );
        }
    }
    check.retention(spec);
    check.uploads(spec);
    check.legs(spec);
    let legs = leg_counts(spec);
    let needs = effective_needs(spec);
    let own = check.jobs(spec);
    let conditional = inherit(&needs, &own);
    for job in &spec.jobs {
        let needed = needs.get(job.id.value.as_str()).map(Vec::as_slice).unwrap_or_default();
        check.job(job, needed, &legs, &conditional);
    }
}

/// Each job's effective `needs`: its own, then the producers of what it
/// consumes.
fn effective_needs(spec: &WorkflowSpec) -> HashMap<&str, Vec<&str>> {
    let mut needs: HashMap<&str, Vec<&str>> = HashMap::new();
    for job in &spec.jobs {
        let list = needs.entry(job.id.value.as_str()).or_default();
        for need in &job.needs {
            if !list.contains(&need.value.as_str()) {
                list.push(&need.value);
            }
        }
    }
    for artifact in &spec.artifacts {
        for consumer in &artifact.to {
            let list = needs.entry(consumer.value.as_str()).or_default();
            if !list.contains(&artifact.from.value.as_str()) {
                list.push(&artifact.from.value);
            }
        }
    }
    needs
}

/// The jobs that exist only under a condition: their own, or one of a job
/// they wait for.
fn inherit<'a>(needs: &HashMap<&'a str, Vec<&'a str>>, own: &[&'a str]) -> HashSet<&'a str> {
    let mut conditional: HashSet<&str> = own.iter().copied().collect();
    let mut done: HashSet<&str> = HashSet::new();
    for &start in needs.keys() {
        let mut stack = vec![start];
        while let Some(&job) = stack.last() {
            if done.contains(job) {
                stack.pop();
                continue;
            }
            let list = needs.get(job).map(Vec::as_slice).unwrap_or_default();
            let pending: Vec<&str> =
                list.iter().copied().filter(|n| !done.contains(n) && !stack.contains(n)).collect();
            if pending.is_empty() {
                if list.iter().any(|n| conditional.contains(n)) {
                    conditional.insert(job);
                }
                done.insert(job);
                stack.pop();
            } else {
                stack.extend(pending);
            }
        }
    }
    conditional
}

struct Check<'c, 's> {
    cx: &'c mut Checker<'s>,
}

impl Check<'_, '_> {
    /// A name GitLab passes as a variable must be one: a name with `-`
    /// (valid for cigen, not for a variable) is refused with its `_` form.
    fn variable_name(&mut self, name: &Spanned<String>, what: &str, passed: &str) {
        if EnvName::new(&name.value).is_err() && AxisName::new(&name.value).is_ok() {
            self.refuse(
                &format!("{what} `{}`", name.value),
                name.span,
                &format!(
                    "GitLab passes {passed} as variables, whose names hold only letters, digits and `_`: rename it, e.g. `{}`",
                    name.value.replace('-', "_")
                ),
            );
        }
    }

    fn refuse(&mut self, construct: &str, span: SourceSpan, help: &str) {
        self.cx.error(SpecError::Unsupported {
            target: TARGET,
            construct: construct.to_owned(),
            span,
            help: help.to_owned(),
        });
    }

    /// A string translated for `place`, refused where it has no form.
    fn text(&mut self, value: &Spanned<String>, place: Place) {
        if let Err(refusal) = translate(&value.value, place) {
            let span = self.cx.locate(value, refusal.range);
            self.refuse(&refusal.what, span, &refusal.help);
        }
    }

    fn expanded(&mut self, value: &Spanned<String>) {
        self.text(value, Place::Expanded);
    }

    /// A variable's value: templates translate, a literal `$` is kept, not both.
    fn variable(&mut self, value: &Spanned<Scalar>) {
        if value.value == Scalar::Null {
            self.refuse(
                "a variable of `#null`",
                value.span,
                "GitLab variables hold text; give it a value, or leave it out",
            );
            return;
        }
        let Scalar::String(text) = &value.value else { return };
        let text = Spanned::new(text.clone(), value.span);
        if !crate::expr::template::has_template(&text.value) {
            return;
        }
        self.text(&text, Place::Script);
        let literal_dollar = expr_free(&text.value).contains('$');
        if literal_dollar {
            self.refuse(
                "a literal `$` beside an expression",
                value.span,
                "GitLab expands the whole value; put the literal part in a variable of its own",
            );
        }
    }

    fn labels(&mut self, labels: Option<&Spanned<Vec<Spanned<String>>>>) {
        for label in labels.iter().flat_map(|l| &l.value) {
            self.expanded(label);
        }
    }

    fn trigger(&mut self, trigger: &TriggerSpec) {
        let event = &trigger.event;
        if event.value == "workflow_call" {
            return; // in the capability table
        }
        if !SOURCES.iter().any(|(name, _)| *name == event.value) {
            self.refuse(
                &format!("the `{}` event", event.value),
                event.span,
                "a GitLab pipeline runs on a push, a merge request, a schedule or a manual run (`push`, `pull_request`, `schedule`, `workflow_dispatch`)",
            );
            return;
        }
        for (filter, values) in &trigger.filters {
            match filter.value.as_str() {
                "types" => {
                    for value in values {
                        if !MERGE_REQUEST_TYPES.contains(&value.value.as_str()) {
                            self.refuse(
                                &format!("the `{}` type", value.value),
                                value.span,
                                "a merge request pipeline runs when the merge request opens or its branch changes (`opened`, `synchronize`, `reopened`)",
                            );
                        }
                    }
                }
                "paths" | "branches-ignore" | "tags-ignore" => {
                    for value in values.iter().filter(|v| v.value.starts_with('!')) {
                        self.refuse(
                            &format!("the pattern `{}` in `{}`", value.value, filter.value),
                            value.span,
                            "GitLab has no way to take a pattern back here; list what matters without `!`",
                        );
                    }
                }
                _ => {}
            }
        }
        for input in &trigger.inputs {
            self.variable_name(&input.name, "the input", "inputs");
            if input.kind.as_deref() == Some("environment") {
                self.refuse(
                    "an input of type `environment`",
                    input.name.span,
                    "GitLab's run form takes text; use `type=\"choice\"` with the environments as options",
                );
            }
            if input.required == Some(true) && input.default.is_none() {
                self.refuse(
                    "a required input without a default",
                    input.name.span,
                    "GitLab's run form fills every variable with a default; give the input a `default`",
                );
            }
        }
    }

    fn workflow_concurrency(&mut self, concurrency: &Spanned<crate::parse::spec::ConcurrencySpec>) {
        let group = &concurrency.value.group;
        let per_ref = reads_ref_only(&group.value);
        let cancels = matches!(
            concurrency.value.cancel_in_progress.as_ref().map(|c| &c.value),
            Some(Scalar::Bool(true))
        );
        if !(per_ref && cancels) {
            self.refuse(
                "this workflow `concurrency`",
                concurrency.span,
                "GitLab can only cancel the older pipeline of the same branch: `concurrency group=\"ci-${{ github.ref }}\" cancel-in-progress=#true`",
            );
        }
    }

    /// Producers of several artifacts keep one archive on GitLab: one
    /// retention for all.
    fn retention(&mut self, spec: &WorkflowSpec) {
        let mut first: HashMap<&str, Option<u32>> = HashMap::new();
        for artifact in &spec.artifacts {
            let days = artifact.retention_days.as_ref().map(|d| d.value);
            match first.get(artifact.from.value.as_str()) {
                Some(&earlier) if earlier != days => {
                    let span =
                        artifact.retention_days.as_ref().map_or(artifact.name.span, |d| d.span);
                    self.refuse(
                        "artifacts of one job kept for different times",
                        span,
                        "GitLab keeps a job's artifacts in one archive: give every artifact of this job the same `retention-days`",
                    );
                }
                Some(_) => {}
                None => {
                    first.insert(&artifact.from.value, days);
                }
            }
        }
    }

    /// Artifact conditions: a status function each, and one for all the
    /// artifacts of a producer, which GitLab keeps in one archive.
    fn uploads(&mut self, spec: &WorkflowSpec) {
        let mut first: HashMap<&str, &str> = HashMap::new();
        for artifact in &spec.artifacts {
            let when = match &artifact.condition {
                None => "on_success",
                Some(condition) => match rules::artifact_when(&condition.value) {
                    Ok(when) => when,
                    Err(refusal) => {
                        let span = self.cx.locate(condition, refusal.range);
                        self.refuse(&refusal.what, span, &refusal.help);
                        continue;
                    }
                },
            };
            match first.get(artifact.from.value.as_str()) {
                Some(&earlier) if earlier != when => {
                    let span = artifact.condition.as_ref().map_or(artifact.name.span, |c| c.span);
                    self.refuse(
                        "artifacts of one job uploaded on different outcomes",
                        span,
                        "GitLab keeps a job's artifacts in one archive, uploaded on success, on failure or always: give every artifact of this job the same `if`",
                    );
                }
                Some(_) => {}
                None => {
                    first.insert(&artifact.from.value, when);
                }
            }
        }
    }

    /// How consumers take the legs of a matrix: merged by default, paired
    /// through `needs: parallel: matrix`; never each leg in a folder.
    fn legs(&mut self, spec: &WorkflowSpec) {
        for artifact in &spec.artifacts {
            let Some(legs) = &artifact.legs else { continue };
            match legs.value {
                Legs::Merged => {}
                Legs::Separate => self.refuse(
                    "`legs=\"separate\"`",
                    legs.span,
                    "GitLab puts the files of every leg where the producer had them, in one tree; let each leg write its own folder (e.g. `out/${{ matrix.os }}/`) and drop `legs`",
                ),
                Legs::Paired => {
                    let from = artifact.from.value.as_str();
                    for consumer in &artifact.to {
                        let job = spec.jobs.iter().find(|j| j.id.value == consumer.value);
                        let needed = job.is_some_and(|j| j.needs.iter().any(|n| n.value == from));
                        let unpaired = spec.artifacts.iter().any(|other| {
                            other.from.value == from
                                && other.to.iter().any(|t| t.value == consumer.value)
                                && other.legs.as_ref().is_none_or(|l| l.value != Legs::Paired)
                        });
                        if needed || unpaired {
                            self.refuse(
                                "a paired consumer that also waits for every leg",
                                consumer.span,
                                &format!(
                                    "GitLab has one `needs` entry per job: `{}` waits either for its own leg of `{from}` or for all of them; pair all it takes from `{from}`, and drop `needs \"{from}\"`",
                                    consumer.value
                                ),
                            );
                        }
                    }
                }
            }
        }
    }

    /// Job conditions, checked; the ids of jobs with a creation condition.
    fn jobs<'a>(&mut self, spec: &'a WorkflowSpec) -> Vec<&'a str> {
        let mut conditional = Vec::new();
        for job in &spec.jobs {
            let Some(condition) = &job.condition else { continue };
            match rules::job_condition(&condition.value) {
                Ok(translated) => {
                    if translated.condition.is_some() {
                        conditional.push(job.id.value.as_str());
                    }
                }
                Err(refusal) => {
                    let span = self.cx.locate(condition, refusal.range);
                    self.refuse(&refusal.what, span, &refusal.help);
                }
            }
        }
        conditional
    }

    fn job(
        &mut self,
        job: &JobSpec,
        needed: &[&str],
        legs: &HashMap<&str, usize>,
        conditional: &HashSet<&str>,
    ) {
        let id = &job.id;
        self.minutes(job.timeout_minutes.as_ref());
        if RESERVED.contains(&id.value.as_str()) {
            self.refuse(
                &format!("a job named `{}`", id.value),
                id.span,
                "GitLab reads this name as a keyword of the pipeline file; rename the job",
            );
        }
        if let Some(value) = &job.continue_on_error
            && !matches!(value.value, Scalar::Bool(_))
        {
            self.refuse(
                "`continue-on-error` as an expression",
                value.span,
                "GitLab's `allow_failure` is fixed when the pipeline is created: write `#true` or `#false`",
            );
        }
        self.labels(job.runs_on.as_ref());
        if let Some(environment) = &job.environment {
            self.expanded(&environment.value.name);
            if let Some(url) = &environment.value.url {
                self.expanded(url);
                let valid = url.value.starts_with("http://")
                    || url.value.starts_with("https://")
                    || url.value.starts_with('$');
                if !valid {
                    self.refuse(
                        "this environment `url`",
                        url.span,
                        "GitLab takes an environment URL that starts with `http://`, `https://` or a variable",
                    );
                }
            }
        }
        for property in &job.env {
            self.variable(&property.value);
        }
        if let Some(concurrency) = &job.concurrency {
            let literal = !crate::expr::template::has_template(&concurrency.value.group.value);
            let cancels = concurrency.value.cancel_in_progress.is_some();
            if !literal || cancels {
                self.refuse(
                    "this job `concurrency`",
                    concurrency.span,
                    "GitLab runs one job of a `resource_group` at a time and queues the others: write a fixed `group` and no `cancel-in-progress`",
                );
            }
        }
        if let Some(container) = &job.container {
            self.expanded(&container.value.image);
            for property in &container.value.env {
                self.variable(&property.value);
            }
        }
        for service in job.services.iter().flat_map(|s| &s.value) {
            self.expanded(&service.image);
            for property in &service.env {
                self.variable(&property.value);
            }
        }
        if let Some(strategy) = &job.strategy {
            if let Some(fail_fast) = &strategy.value.fail_fast
                && fail_fast.value
            {
                self.refuse(
                    "`fail-fast=#true`",
                    fail_fast.span,
                    "GitLab never cancels the other legs of a matrix: write `fail-fast=#false`",
                );
            }
            if let Some(matrix) = &strategy.value.matrix {
                self.matrix(&matrix.value);
                if let Some(count) = legs.get(id.value.as_str())
                    && *count > MAX_LEGS
                {
                    self.refuse(
                        &format!("a matrix of {count} legs"),
                        matrix.span,
                        &format!("GitLab runs at most {MAX_LEGS} legs of one matrix"),
                    );
                }
            }
        }
        if let Some(defaults) = &job.defaults
            && let Some(directory) = &defaults.value.working_directory
        {
            self.text(directory, Place::Script);
        }
        if let Some(checkout) = &job.checkout {
            self.checkout(&checkout.value);
        }
        for step in &job.steps {
            self.text(&step.main, Place::Script);
        }
        let count: usize = needed.iter().map(|need| legs.get(need).copied().unwrap_or(1)).sum();
        if count > MAX_NEEDS {
            self.refuse(
                &format!("a job that needs {count} jobs"),
                id.span,
                &format!(
                    "GitLab lets a job need at most {MAX_NEEDS} jobs, each leg of a matrix counted"
                ),
            );
        }
        if let Some(condition) = &job.condition
            && let Ok(translated) = rules::job_condition(&condition.value)
            && translated.when.is_some()
            && let Some(need) = needed.iter().find(|need| conditional.contains(*need))
        {
            self.refuse(
                "a status function after a job with an `if`",
                condition.span,
                &format!(
                    "on GitLab a job that waits for `{need}` exists only when `{need}` does, so `always()` and `failure()` cannot run it without `{need}`; drop the status function"
                ),
            );
        }
    }

    fn matrix(&mut self, matrix: &MatrixSpec) {
        let keys = matrix
            .axes
            .iter()
            .map(|(axis, _)| axis)
            .chain(matrix.include.iter().chain(&matrix.exclude).flatten().map(|p| &p.key));
        for key in keys {
            self.variable_name(key, "the matrix variable", "matrix values");
        }
        if let Some(expression) = &matrix.expression {
            self.refuse(
                "a matrix computed from an expression",
                expression.span,
                "GitLab fixes the legs of a matrix when it creates the pipeline; list the axes and their values",
            );
        }
        let mut values = Vec::new();
        for (axis, spec) in &matrix.axes {
            match spec {
                AxisSpec::Values(list) => values.extend(list),
                AxisSpec::Expression(expression) => self.refuse(
                    &format!("the axis `{}` computed from an expression", axis.value),
                    expression.span,
                    "GitLab fixes the legs of a matrix when it creates the pipeline; list the values",
                ),
            }
        }
        values.extend(matrix.include.iter().chain(&matrix.exclude).flatten().map(|p| &p.value));
        for value in values {
            match &value.value {
                Data::Scalar(Scalar::String(text)) if crate::expr::template::has_template(text) => self.refuse(
                    "an expression in a matrix value",
                    value.span,
                    "GitLab fixes the legs of a matrix when it creates the pipeline; write the values out",
                ),
                Data::Scalar(Scalar::Null) | Data::List(_) | Data::Map(_) => self.refuse(
                    "a matrix value that is a list, a map or `#null`",
                    value.span,
                    "GitLab passes each matrix value to the job as a variable, which holds text",
                ),
                Data::Scalar(_) => {}
            }
        }
    }

    /// A job's `timeout` is fixed when GitLab creates the pipeline.
    fn minutes(&mut self, minutes: Option<&Spanned<Minutes>>) {
        if let Some(minutes) = minutes
            && matches!(minutes.value, Minutes::Expression(_))
        {
            self.refuse(
                "`timeout-minutes` computed from an expression",
                minutes.span,
                "GitLab fixes a job's `timeout` when it creates the pipeline; write a number of minutes",
            );
        }
    }

    fn checkout(&mut self, checkout: &CheckoutSpec) {
        let CheckoutSpec::Enabled { with: inputs, persist_credentials, .. } = checkout else {
            return;
        };
        if let Some(keep) = persist_credentials
            && keep.value
        {
            self.refuse(
                "`checkout persist-credentials=#true`",
                keep.span,
                "GitLab's runner clones the repository itself and decides what `.git/config` keeps",
            );
        }
        for input in inputs {
            let ok = match (input.key.value.as_str(), &input.value.value) {
                ("fetch-depth", Scalar::Integer(n)) => *n >= 0,
                ("submodules", Scalar::Bool(_)) => true,
                ("submodules", Scalar::String(s)) => s == "recursive",
                _ => false,
            };
            if !ok {
                self.refuse(
                    &format!("`checkout {}`", input.key.value),
                    input.key.span,
                    "GitLab's runner clones the repository itself; only `fetch-depth=N` (GIT_DEPTH) and `submodules=#true` or `\"recursive\"` (GIT_SUBMODULE_STRATEGY) have a GitLab form",
                );
            }
        }
    }
}

/// `text` without its templates.
fn expr_free(text: &str) -> String {
    crate::expr::split(text)
        .map(|segments| {
            segments
                .into_iter()
                .filter_map(|s| match s {
                    crate::expr::Segment::Literal { range } => Some(text[range].to_owned()),
                    crate::expr::Segment::Expression { .. } => None,
                })
                .collect()
        })
        .unwrap_or_else(|_| text.to_owned())
}

/// Whether a concurrency group names the ref (and maybe the workflow) and
/// nothing else that varies: one group per branch, as GitLab's cancelling is.
fn reads_ref_only(group: &str) -> bool {
    let Ok(segments) = crate::expr::split(group) else { return false };
    let mut reads_ref = false;
    for segment in segments {
        let crate::expr::Segment::Expression { inner, .. } = segment else { continue };
        let Ok(parsed) = crate::expr::parse(&group[inner]) else { return false };
        let text = parsed.to_string().to_ascii_lowercase();
        match text.as_str() {
            "github.ref"
            | "github.ref_name"
            | "github.head_ref || github.ref"
            | "github.head_ref || github.ref_name" => reads_ref = true,
            "github.workflow" => {}
            _ => return false,
        }
    }
    reads_ref
}

/// How many legs each matrix job of `spec` has.
fn leg_counts(spec: &WorkflowSpec) -> HashMap<&str, usize> {
    let mut counts = HashMap::new();
    for job in &spec.jobs {
        let Some(matrix) = job.strategy.as_ref().and_then(|s| s.value.matrix.as_ref()) else {
            continue;
        };
        counts.insert(
            job.id.value.as_str(),
            legs(&crate::validate::spec_matrix(&matrix.value)).len(),
        );
    }
    counts
}
