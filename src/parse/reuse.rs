//! Reuse: `template "NAME" { … }`, a job body jobs start from, and
//! `steps "NAME" { … }`, a list of steps jobs use in place. Both are
//! defined at the top level, in any order, and expanded into the jobs that
//! use them before `parse` returns: the later stages see plain jobs whose
//! nodes keep the spans of the definitions they came from.
//!
//! A job with `template "T"` has T's settings, except those it sets itself
//! (a setting replaces the template's; `env`, `outputs`, `raw` and `needs`
//! add to them), and T's steps before its own. `steps "S"` stands for the
//! steps of S where it is written.

use std::collections::BTreeMap;

use super::job;
use super::reader::{Cx, children};
use super::spec::{CheckoutSpec, JobSpec, Spanned, Spec, StepList, StepSpec};
use super::step;
use super::tree::Node;
use crate::error::SpecError;
use crate::suggest;

/// Reads `template "NAME" { … }`: a job body that cannot call a workflow
/// or start from another template.
pub fn template(cx: &mut Cx, node: &Node) -> Option<JobSpec> {
    let template = job::parse(cx, node)?;
    if let Some(call) = &template.call {
        cx.error(SpecError::InvalidValue {
            what: "template".to_owned(),
            problem: "a template cannot call a reusable workflow".to_owned(),
            span: call.span,
            help: Some("call the workflow from a job".to_owned()),
        });
    }
    if let Some(nested) = &template.template {
        cx.error(SpecError::InvalidValue {
            what: "template".to_owned(),
            problem: "a template cannot start from another template".to_owned(),
            span: nested.span,
            help: Some("copy what it needs from the other template".to_owned()),
        });
    }
    Some(template)
}

/// Reads `steps "NAME" { run …; uses … }`.
pub fn step_list(cx: &mut Cx, node: &Node) -> Option<StepList> {
    cx.check_props(node, &[]);
    let name = cx.one_arg(node, "a name").and_then(|e| cx.nonempty_string("steps", e));
    cx.require_children(node, "at least one step", "steps \"setup\" { run \"make setup\" }");
    let mut steps = Vec::new();
    for child in children(node) {
        match child.name().value() {
            "run" | "uses" => steps.extend(step::parse(cx, child)),
            _ => cx.unknown_node(child, "in a step list", &["run", "uses"]),
        }
    }
    Some(StepList { name: name?, steps })
}

/// Expands every template and step list use of `spec`.
pub fn expand(cx: &mut Cx, spec: &mut Spec) {
    let lists = index(cx, &spec.step_lists, "step list", |l| &l.name);
    let lists: BTreeMap<&str, &[StepSpec]> =
        lists.into_iter().map(|(name, list)| (name, list.steps.as_slice())).collect();
    let mut templates = std::mem::take(&mut spec.templates);
    for template in &mut templates {
        expand_lists(cx, template, &lists);
    }
    let by_name = index(cx, &templates, "template", |t| &t.id);
    for workflow in &mut spec.workflows {
        for job in &mut workflow.jobs {
            expand_lists(cx, job, &lists);
            let Some(name) = job.template.take() else { continue };
            match by_name.get(name.value.as_str()) {
                Some(template) => merge(template, job),
                None => unknown(cx, "template", &name, by_name.keys().copied()),
            }
        }
    }
    spec.templates = templates;
}

/// The definitions by name; a name defined twice is reported.
fn index<'a, T>(
    cx: &mut Cx,
    items: &'a [T],
    kind: &'static str,
    name: impl Fn(&T) -> &Spanned<String>,
) -> BTreeMap<&'a str, &'a T> {
    let mut found: BTreeMap<&str, &T> = BTreeMap::new();
    for item in items {
        let this = name(item);
        if let Some(first) = found.get(this.value.as_str()) {
            cx.error(SpecError::DuplicateDefinition {
                kind,
                name: this.value.clone(),
                first: name(first).span,
                second: this.span,
            });
            continue;
        }
        found.insert(&this.value, item);
    }
    found
}

fn unknown<'a>(
    cx: &mut Cx,
    kind: &'static str,
    name: &Spanned<String>,
    known: impl Iterator<Item = &'a str>,
) {
    let known: Vec<&str> = known.collect();
    let help = match suggest::closest(&name.value, known.iter().copied()) {
        Some(close) => format!("did you mean `{close}`?"),
        None if known.is_empty() => {
            format!("define it at the top level: `{} \"{}\" {{ … }}`", keyword(kind), name.value)
        }
        None => format!("defined: {}", suggest::list(&known)),
    };
    cx.error(SpecError::UnknownDefinition {
        kind,
        name: name.value.clone(),
        span: name.span,
        help,
    });
}

fn keyword(kind: &str) -> &'static str {
    if kind == "template" { "template" } else { "steps" }
}

/// Puts the steps of each list `job` uses where it uses them.
fn expand_lists(cx: &mut Cx, job: &mut JobSpec, lists: &BTreeMap<&str, &[StepSpec]>) {
    if job.step_lists.is_empty() {
        return;
    }
    let uses = std::mem::take(&mut job.step_lists);
    let own = std::mem::take(&mut job.steps);
    let mut steps = Vec::with_capacity(own.len());
    let mut inserted_before_checkout = 0;
    let mut own = own.into_iter();
    let mut taken = 0;
    for used in uses {
        while taken < used.at {
            steps.extend(own.next());
            taken += 1;
        }
        match lists.get(used.name.value.as_str()) {
            Some(list) => {
                steps.extend(list.iter().cloned());
                if used.before_checkout {
                    inserted_before_checkout += list.len();
                }
            }
            None => unknown(cx, "step list", &used.name, lists.keys().copied()),
        }
    }
    steps.extend(own);
    job.steps = steps;
    if let Some(checkout) = &mut job.checkout
        && let CheckoutSpec::Enabled { after, .. } = &mut checkout.value
    {
        *after += inserted_before_checkout;
    }
}

/// Gives `job` what it does not set itself from `template`.
fn merge(template: &JobSpec, job: &mut JobSpec) {
    let t = template.clone();
    macro_rules! or {
        ($($field:ident),*) => { $( if job.$field.is_none() { job.$field = t.$field; } )* };
    }
    or!(
        name,
        condition,
        timeout_minutes,
        continue_on_error,
        environment,
        permissions,
        concurrency,
        container,
        services,
        strategy,
        defaults
    );
    // `runs-on` is one setting: labels and group go together.
    if job.runs_on.is_none() && job.runner_group.is_none() {
        job.runs_on = t.runs_on;
        job.runner_group = t.runner_group;
    }
    // Maps add up; the job's own key wins.
    let mut env: Vec<_> =
        t.env.into_iter().filter(|p| !job.env.iter().any(|o| o.key.value == p.key.value)).collect();
    env.append(&mut job.env);
    job.env = env;
    let mut outputs: Vec<_> = t
        .outputs
        .into_iter()
        .filter(|p| !job.outputs.iter().any(|o| o.key.value == p.key.value))
        .collect();
    outputs.append(&mut job.outputs);
    job.outputs = outputs;
    let mut raw: Vec<_> =
        t.raw.into_iter().filter(|r| !job.raw.iter().any(|o| o.key.value == r.key.value)).collect();
    raw.append(&mut job.raw);
    job.raw = raw;
    let mut needs: Vec<_> =
        t.needs.into_iter().filter(|n| !job.needs.iter().any(|o| o.value == n.value)).collect();
    needs.append(&mut job.needs);
    job.needs = needs;
    // The template's steps come first. The job's own checkout, written
    // after some of its own steps, stays after them; written first, it is
    // the job's checkout, before every step.
    let before = t.steps.len();
    match &mut job.checkout {
        Some(checkout) => {
            if let CheckoutSpec::Enabled { after, .. } = &mut checkout.value
                && *after > 0
            {
                *after += before;
            }
        }
        None => job.checkout = t.checkout,
    }
    let mut steps = t.steps;
    steps.append(&mut job.steps);
    job.steps = steps;
}
