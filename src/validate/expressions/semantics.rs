//! One parsed expression against its field: the functions it calls, the
//! contexts it reads, and the names it reads from them.

use std::ops::Range;

use super::{JobFacts, Matrix, Place, Value, Walk};
use crate::error::SpecError;
use crate::expr::functions::{self, Restriction};
use crate::expr::{Context, Expr, ExprKind, Key};
use crate::suggest;

/// One name of a property path: `github`, `event`, `'key'`.
struct Part<'e> {
    name: &'e str,
    /// Its bytes in the expression text.
    span: Range<usize>,
}

/// The parts of `e` when it is a property path from a context:
/// `needs.build.outputs['v']`.
fn parts(e: &Expr) -> Option<Vec<Part<'_>>> {
    match &e.kind {
        ExprKind::Context(name) => Some(vec![Part { name: &name.text, span: name.span.clone() }]),
        ExprKind::Property { object, name } => {
            let mut parts = parts(object)?;
            parts.push(Part { name: &name.text, span: name.span.clone() });
            Some(parts)
        }
        ExprKind::Index { object, index } => match &index.kind {
            ExprKind::String(key) => {
                let mut parts = parts(object)?;
                parts.push(Part { name: key, span: index.span.clone() });
                Some(parts)
            }
            _ => None,
        },
        _ => None,
    }
}

/// How a function is called, for help lines.
fn usage(name: &str) -> &'static str {
    match name {
        "contains" => "contains(search, item)",
        "startsWith" => "startsWith(searchString, searchValue)",
        "endsWith" => "endsWith(searchString, searchValue)",
        "format" => "format('{0} {1}', value0, value1, …)",
        "join" => "join(array, separator)",
        "toJSON" => "toJSON(value)",
        "fromJSON" => "fromJSON(text)",
        "case" => "case(condition, value, …, default)",
        "hashFiles" => "hashFiles('pattern', …)",
        "success" => "success()",
        "always" => "always()",
        "cancelled" => "cancelled()",
        "failure" => "failure()",
        _ => "",
    }
}

/// Whether `list` holds `name`, in any case.
fn has(list: &[&str], name: &str) -> bool {
    list.iter().any(|n| n.eq_ignore_ascii_case(name))
}

/// "did you mean `x`?", or `otherwise`.
fn near(name: &str, candidates: &[&str], otherwise: impl FnOnce() -> String) -> String {
    match suggest::closest(name, candidates.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None => otherwise(),
    }
}

impl<'f, 'a> Walk<'_, '_, 'f, 'a> {
    /// Checks the tree of an expression that starts at byte `base` of `value`.
    pub(super) fn tree(&mut self, e: &Expr, value: Value<'_>, base: usize, place: Place<'f, 'a>) {
        let shift = |r: &Range<usize>| r.start + base..r.end + base;
        if let Some(parts) = parts(e) {
            let parts: Vec<(&str, Range<usize>)> =
                parts.into_iter().map(|p| (p.name, shift(&p.span))).collect();
            self.path(&parts, value, place);
            return;
        }
        match &e.kind {
            ExprKind::Call { name, args } => {
                if !self.gitlab {
                    let span = shift(&name.span);
                    self.call(&name.text, args.len(), value, span, shift(&e.span), place);
                }
                for arg in args {
                    self.tree(arg, value, base, place);
                }
            }
            ExprKind::Property { object, .. } | ExprKind::Filter { object } => {
                self.tree(object, value, base, place);
            }
            ExprKind::Index { object, index } => {
                self.tree(object, value, base, place);
                self.tree(index, value, base, place);
            }
            ExprKind::Not(operand) => self.tree(operand, value, base, place),
            ExprKind::Binary { left, right, .. } => {
                self.tree(left, value, base, place);
                self.tree(right, value, base, place);
            }
            ExprKind::Null
            | ExprKind::Bool(_)
            | ExprKind::Number(_)
            | ExprKind::String(_)
            | ExprKind::Context(_) => {}
        }
    }

    /// A call: a known function, with as many arguments as it takes, that
    /// the field may call.
    fn call(
        &mut self,
        name: &str,
        count: usize,
        value: Value<'_>,
        span: Range<usize>,
        whole: Range<usize>,
        place: Place<'f, 'a>,
    ) {
        let Some(function) = functions::lookup(name) else {
            let span = self.at(value, span);
            self.report(SpecError::UnknownFunction {
                name: name.to_owned(),
                span,
                help: functions::help(name),
            });
            return;
        };
        if !function.accepts(count) {
            let span = self.at(value, whole);
            self.report(SpecError::WrongArity {
                name: function.name.to_owned(),
                arity: function.arity(),
                found: count,
                span,
                help: format!("call it as `{}`", usage(function.name)),
            });
        }
        if let Some(key) = place.key
            && !key.allows_function(name)
        {
            let help = match function.restriction {
                Restriction::Status => "status functions decide whether a job or a step runs: call them in its `if`".to_owned(),
                _ => "`hashFiles` reads the workspace, which exists while steps run: call it in a step's `run`, `with`, `env`, `name`, `if` or `working-directory`".to_owned(),
            };
            let span = self.at(value, span);
            self.report(SpecError::FunctionNotAvailable {
                name: function.name.to_owned(),
                field: place.field.to_string(),
                span,
                help,
            });
        }
    }

    /// A property path: a known context the field may read, and names the
    /// spec declares.
    fn path(&mut self, parts: &[(&str, Range<usize>)], value: Value<'_>, place: Place<'f, 'a>) {
        let Some((root, root_span)) = parts.first() else { return };
        let Some(context) = Context::lookup(root) else {
            if !self.gitlab {
                let span = self.at(value, root_span.clone());
                self.report(SpecError::UnknownContext {
                    name: (*root).to_owned(),
                    span,
                    help: Context::help(root),
                });
            }
            return;
        };
        if self.gitlab && !matches!(context, Context::Matrix | Context::Inputs) {
            return;
        }
        if let Some(key) = place.key
            && !key.allows_context(context)
        {
            let span = self.at(value, root_span.clone());
            self.report(SpecError::ContextNotAvailable {
                context: context.name().to_owned(),
                field: place.field.to_string(),
                span,
                help: unavailable_help(key, context),
            });
            return;
        }
        let rest = &parts[1..];
        match context {
            Context::Matrix => self.matrix(rest, value, place),
            Context::Needs => self.needs(rest, value, place),
            Context::Steps => self.steps(rest, value, place),
            Context::Inputs => self.inputs(rest, value),
            Context::Secrets => self.secrets(rest, value),
            Context::Jobs => self.jobs(rest, value),
            _ => {}
        }
    }

    fn matrix(&mut self, rest: &[(&str, Range<usize>)], value: Value<'_>, place: Place<'f, 'a>) {
        let (Some(job), Some((name, span))) = (place.job, rest.first()) else { return };
        let (problem, help) = match &job.matrix {
            Matrix::Computed => return,
            Matrix::Variables(vars) if has(vars, name) => return,
            Matrix::Variables(vars) => (
                "not an axis or `include` variable of its matrix".to_owned(),
                near(name, vars, || format!("its matrix defines {}", suggest::list(vars))),
            ),
            Matrix::None => (
                format!("job `{}` has no matrix", job.id),
                "give the job a `matrix { … }`, or read a value it has".to_owned(),
            ),
        };
        let span = self.at(value, span.clone());
        self.report(SpecError::UnknownMatrixVariable {
            name: (*name).to_owned(),
            job: job.id.to_owned(),
            span,
            problem,
            help,
        });
    }

    fn needs(&mut self, rest: &[(&str, Range<usize>)], value: Value<'_>, place: Place<'f, 'a>) {
        let (Some(job), Some((name, span))) = (place.job, rest.first()) else { return };
        if !has(&job.needs, name) {
            let help = near(name, &job.needs, || match self.facts.job(name) {
                Some(other) if other.id != job.id => match self.through(job, other.id) {
                    Some(direct) => format!(
                        "`{}` runs before `{}` (through `{direct}`), but `needs` holds only the jobs `{}` needs itself: add `needs \"{}\"`",
                        other.id, job.id, job.id, other.id
                    ),
                    None => format!(
                        "add `needs \"{}\"` to job `{}`, or take an artifact from it",
                        other.id, job.id
                    ),
                },
                _ if job.needs.is_empty() => format!("job `{}` needs no job", job.id),
                _ => format!("job `{}` needs {}", job.id, suggest::list(&job.needs)),
            });
            let span = self.at(value, span.clone());
            self.report(SpecError::UnknownNeed {
                name: (*name).to_owned(),
                job: job.id.to_owned(),
                span,
                help,
            });
            return;
        }
        let needed = self.facts.job(name);
        self.job_result(name, needed, &rest[1..], "needs", value);
    }

    /// The job `job` needs through which it waits for `target`, when it
    /// does only through others.
    fn through(&self, job: &JobFacts<'a>, target: &str) -> Option<&'a str> {
        for &direct in &job.needs {
            let mut seen: Vec<&str> = vec![job.id];
            let mut stack = vec![direct];
            while let Some(name) = stack.pop() {
                if seen.iter().any(|s| s.eq_ignore_ascii_case(name)) {
                    continue;
                }
                seen.push(name);
                let Some(facts) = self.facts.job(name) else { continue };
                if facts.needs.iter().any(|n| n.eq_ignore_ascii_case(target)) {
                    return Some(direct);
                }
                stack.extend(facts.needs.iter().copied());
            }
        }
        None
    }

    fn jobs(&mut self, rest: &[(&str, Range<usize>)], value: Value<'_>) {
        let Some((name, span)) = rest.first() else { return };
        let Some(job) = self.facts.job(name) else {
            let ids: Vec<&str> = self.facts.jobs.iter().map(|j| j.id).collect();
            let span = self.at(value, span.clone());
            self.report(SpecError::UnknownWorkflowJob {
                name: (*name).to_owned(),
                workflow: self.facts.workflow.to_owned(),
                span,
                help: near(name, &ids, || format!("its jobs are {}", suggest::list(&ids))),
            });
            return;
        };
        self.job_result(name, Some(job), &rest[1..], "jobs", value);
    }

    /// `.outputs.O` or `.result` of a job read through `needs` or `jobs`.
    fn job_result(
        &mut self,
        name: &str,
        job: Option<&'f JobFacts<'a>>,
        rest: &[(&str, Range<usize>)],
        context: &str,
        value: Value<'_>,
    ) {
        let Some((property, span)) = rest.first() else { return };
        if property.eq_ignore_ascii_case("result") {
            return;
        }
        if !property.eq_ignore_ascii_case("outputs") {
            let span = self.at(value, span.clone());
            self.report(SpecError::UnknownContextProperty {
                object: format!("{context}.{name}"),
                name: (*property).to_owned(),
                span,
                help: near(property, &["outputs", "result"], || {
                    format!("`{context}.{name}` has `outputs` and `result`")
                }),
            });
            return;
        }
        let (Some(job), Some((output, span))) = (job, rest.get(1)) else { return };
        let Some(outputs) = &job.outputs else { return };
        if has(outputs, output) {
            return;
        }
        let help = near(output, outputs, || {
            if outputs.is_empty() {
                format!(
                    "declare it in job `{}`: `outputs {output}=\"${{{{ steps.ID.outputs.{output} }}}}\"`",
                    job.id
                )
            } else {
                format!("its outputs are {}", suggest::list(outputs))
            }
        });
        let span = self.at(value, span.clone());
        self.report(SpecError::UnknownOutput {
            job: job.id.to_owned(),
            output: (*output).to_owned(),
            span,
            help,
        });
    }

    fn steps(&mut self, rest: &[(&str, Range<usize>)], value: Value<'_>, place: Place<'f, 'a>) {
        let (Some(job), Some((name, span))) = (place.job, rest.first()) else { return };
        let found =
            job.steps.iter().position(|id| id.is_some_and(|id| id.eq_ignore_ascii_case(name)));
        let (problem, help) = match found {
            Some(index) if index < place.before => {
                if let Some((property, span)) = rest.get(1) {
                    let properties = ["outputs", "outcome", "conclusion"];
                    if !has(&properties, property) {
                        let span = self.at(value, span.clone());
                        self.report(SpecError::UnknownContextProperty {
                            object: format!("steps.{name}"),
                            name: (*property).to_owned(),
                            span,
                            help: near(property, &properties, || {
                                format!("`steps.{name}` has `outputs`, `outcome` and `conclusion`")
                            }),
                        });
                    }
                }
                return;
            }
            Some(index) if Some(index) == place.current => (
                "this is the step itself".to_owned(),
                format!(
                    "a step's results can be read from the next step on; move what reads `steps.{name}` there"
                ),
            ),
            Some(_) => (
                format!("step `{name}` runs after this one"),
                format!("a step reads only the steps before it; move this after step `{name}`"),
            ),
            None => {
                let earlier: Vec<&str> =
                    job.steps.iter().take(place.before).flatten().copied().collect();
                (
                    format!("no step of job `{}` has the id `{name}`", job.id),
                    near(name, &earlier, || {
                        format!("give the step an id: `run \"…\" id=\"{name}\"`")
                    }),
                )
            }
        };
        let scope = match place.current {
            Some(_) => format!("before this one in job `{}`", job.id),
            None => format!("of job `{}`", job.id),
        };
        let span = self.at(value, span.clone());
        self.report(SpecError::UnknownStep {
            name: (*name).to_owned(),
            scope,
            span,
            problem,
            help,
        });
    }

    fn inputs(&mut self, rest: &[(&str, Range<usize>)], value: Value<'_>) {
        let Some((name, span)) = rest.first() else { return };
        let (problem, help) = match &self.facts.inputs {
            Some(inputs) if has(inputs, name) => return,
            Some(inputs) if !inputs.is_empty() => (
                "not declared".to_owned(),
                near(name, inputs, || format!("its inputs are {}", suggest::list(inputs))),
            ),
            Some(_) => (
                "not declared".to_owned(),
                format!("declare it: `workflow_dispatch {{ input \"{name}\" }}`"),
            ),
            None => (
                format!("workflow `{}` has no inputs", self.facts.workflow),
                format!(
                    "declare it: `workflow_dispatch {{ input \"{name}\" }}` (or in `workflow_call`)"
                ),
            ),
        };
        let span = self.at(value, span.clone());
        self.report(SpecError::UnknownInput {
            name: (*name).to_owned(),
            workflow: self.facts.workflow.to_owned(),
            span,
            problem,
            help,
        });
    }

    fn secrets(&mut self, rest: &[(&str, Range<usize>)], value: Value<'_>) {
        let (Some(secrets), Some((name, span))) = (&self.facts.secrets, rest.first()) else {
            return;
        };
        // The forges' own tokens are always there.
        if has(secrets, name) || has(&["GITHUB_TOKEN", "FORGEJO_TOKEN", "GITEA_TOKEN"], name) {
            return;
        }
        let help = near(name, secrets, || {
            format!(
                "a workflow that runs only when called receives the secrets its `workflow_call` declares, and `GITHUB_TOKEN`; declare it: `secret \"{name}\"`"
            )
        });
        let span = self.at(value, span.clone());
        self.report(SpecError::UnknownSecret {
            name: (*name).to_owned(),
            workflow: self.facts.workflow.to_owned(),
            span,
            help,
        });
    }
}

/// Why `context` is not available at `key`, and what is.
fn unavailable_help(key: Key, context: Context) -> String {
    let names: Vec<&str> = key.contexts().iter().map(|c| c.name()).collect();
    let can = format!("here an expression can read {}", suggest::list(&names));
    let workflow_level = matches!(
        key,
        Key::Env
            | Key::Concurrency
            | Key::RunName
            | Key::WorkflowCallInputDefault
            | Key::WorkflowCallOutputValue
    );
    let hint = match context {
        Context::Github | Context::Inputs | Context::Vars | Context::Secrets => None,
        _ if workflow_level => Some(
            "this is evaluated once for the whole workflow, before any job: set it on the job instead",
        ),
        Context::Matrix => Some("this is evaluated before the matrix is expanded into jobs"),
        Context::Steps | Context::Job | Context::Runner | Context::Env => {
            Some("this is evaluated before the job's steps run")
        }
        _ => None,
    };
    let hint = match context {
        Context::Secrets if matches!(key, Key::JobIf | Key::StepIf) => Some(
            "to test a secret, put it in the job's `env` (`env HAS_TOKEN=\"${{ secrets.TOKEN != '' }}\"`) and test `env.HAS_TOKEN` in a step's `if`",
        ),
        _ => hint,
    };
    match hint {
        Some(hint) => format!("{hint}; {can}"),
        None => can,
    }
}
