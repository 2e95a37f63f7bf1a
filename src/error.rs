//! Everything that can be wrong with a spec, one variant per condition.
//!
//! Each variant carries the spans it labels; [`Located`] attaches the source
//! text so miette can draw the snippet with file, line and column.

use std::fmt;

use miette::{Diagnostic, LabeledSpan, SourceSpan};
use thiserror::Error;

use crate::source::Source;

/// One mistake in a spec.
#[derive(Debug, Diagnostic, Error)]
pub enum SpecError {
    /// The KDL itself does not parse.
    #[error("{message}")]
    #[diagnostic(code(cigen::syntax))]
    Syntax {
        message: String,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: Option<String>,
    },

    /// A KDL v1 keyword where v2 needs `#true`, `#false` or `#null`.
    #[error("`{word}` is KDL v1 syntax")]
    #[diagnostic(
        code(cigen::v1_syntax),
        help("write `#{word}`: KDL v2 spells keywords with a leading `#`")
    )]
    V1Keyword {
        word: String,
        #[label("a bare `{word}` is not a value in KDL v2")]
        span: SourceSpan,
    },

    /// YAML where KDL was expected: `key: value`, `[a, b]`.
    #[error("{what} is YAML, not KDL")]
    #[diagnostic(code(cigen::yaml_syntax))]
    YamlSyntax {
        what: String,
        #[label("{label}")]
        span: SourceSpan,
        label: &'static str,
        #[help]
        help: String,
    },

    /// A `# comment`: KDL comments start with `//`.
    #[error("`#` does not start a comment in KDL")]
    #[diagnostic(code(cigen::hash_comment))]
    HashComment {
        #[label("a YAML or shell comment")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// Several bare words where one quoted string was meant: `run ruff check .`.
    #[error("the {what} of `{node}` is not quoted")]
    #[diagnostic(code(cigen::unquoted))]
    Unquoted {
        node: String,
        what: &'static str,
        #[label("{label}")]
        span: SourceSpan,
        label: &'static str,
        #[help]
        help: String,
    },

    /// A `{` whose block has no `}`.
    #[error("the block of `{node}` is not closed")]
    #[diagnostic(code(cigen::unclosed_block))]
    UnclosedBlock {
        node: String,
        #[label("this `{{` has no `}}`")]
        open: SourceSpan,
        #[label("{end_label}")]
        end: Option<SourceSpan>,
        end_label: String,
        #[help]
        help: String,
    },

    /// A `}` with no block to close.
    #[error("this `}}` closes no block")]
    #[diagnostic(
        code(cigen::unopened_block),
        help("remove it, or add the `{{` of the block it was meant to close")
    )]
    UnopenedBlock {
        #[label("no open block")]
        span: SourceSpan,
    },

    /// Two nodes on one line without `;` between them.
    #[error("missing `;` between two nodes on one line")]
    #[diagnostic(code(cigen::missing_semicolon))]
    MissingSemicolon {
        #[label("a new node starts here")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// Blocks nested deeper than any spec needs.
    #[error("blocks nest more than {max} levels deep")]
    #[diagnostic(
        code(cigen::too_deep),
        help(
            "a spec nests a few levels (workflow, job, step, …); close the blocks above this one"
        )
    )]
    TooDeep {
        max: usize,
        #[label("block {max} levels deep opens here", max = max + 1)]
        span: SourceSpan,
    },

    /// The file is not UTF-8 text.
    #[error("the spec is not UTF-8 text")]
    #[diagnostic(code(cigen::not_utf8), help("save the file as UTF-8"))]
    NotUtf8 {
        #[label("invalid UTF-8 here")]
        span: SourceSpan,
    },

    /// The file has no workflow at all.
    #[error("the spec declares no workflow")]
    #[diagnostic(
        code(cigen::empty_spec),
        help(
            "start with `workflow \"ci\" {{ on {{ push }}; job \"test\" {{ run \"make test\" }} }}`, or run `cigen init`"
        )
    )]
    EmptySpec {
        #[label("nothing to generate here")]
        span: SourceSpan,
    },

    /// A node name that has no meaning where it stands.
    #[error("unknown node `{name}` {parent}")]
    #[diagnostic(code(cigen::unknown_node))]
    UnknownNode {
        name: String,
        parent: String,
        #[label("unknown node")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// A property name that has no meaning on its node.
    #[error("unknown property `{name}` on `{node}`")]
    #[diagnostic(code(cigen::unknown_property))]
    UnknownProperty {
        name: String,
        node: String,
        #[label("`{node}` has no property `{name}`")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// A value of the wrong KDL type.
    #[error("`{what}` must be {expected}, found {found}")]
    #[diagnostic(code(cigen::wrong_type))]
    WrongType {
        what: String,
        expected: &'static str,
        found: &'static str,
        #[label("expected {expected}")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    /// A value outside what the field accepts.
    #[error("invalid `{what}`: {problem}")]
    #[diagnostic(code(cigen::invalid_value))]
    InvalidValue {
        what: String,
        problem: String,
        #[label("{problem}")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    /// A required argument, property or child is absent.
    #[error("`{node}` needs {what}")]
    #[diagnostic(code(cigen::missing_value))]
    MissingValue {
        node: String,
        what: String,
        #[label("{what} expected here")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    /// An argument the node does not take.
    #[error("`{node}` takes {takes}")]
    #[diagnostic(code(cigen::unexpected_argument))]
    UnexpectedArgument {
        node: String,
        takes: &'static str,
        #[label("unexpected argument")]
        span: SourceSpan,
    },

    /// Children on a node that takes none.
    #[error("`{node}` takes no children block")]
    #[diagnostic(code(cigen::unexpected_children), help("remove the `{{ … }}` block"))]
    UnexpectedChildren {
        node: String,
        #[label("in a block `{node}` does not take")]
        span: SourceSpan,
    },

    /// A setting that can be given once, given again.
    #[error("`{name}` is set twice")]
    #[diagnostic(code(cigen::duplicate_setting), help("keep one `{name}`"))]
    DuplicateSetting {
        name: String,
        #[label("first set here")]
        first: SourceSpan,
        #[label("set again here")]
        second: SourceSpan,
    },

    /// Two workflows with one id.
    #[error("duplicate workflow `{id}`")]
    #[diagnostic(
        code(cigen::duplicate_workflow),
        help("workflow ids name files and must be unique")
    )]
    DuplicateWorkflow {
        id: String,
        #[label("first declared here")]
        first: SourceSpan,
        #[label("declared again here")]
        second: SourceSpan,
    },

    /// Two jobs with one id in a workflow.
    #[error("duplicate job `{id}` in workflow `{workflow}`")]
    #[diagnostic(
        code(cigen::duplicate_job),
        help("rename one of them; job ids are unique in a workflow")
    )]
    DuplicateJob {
        id: String,
        workflow: String,
        #[label("first declared here")]
        first: SourceSpan,
        #[label("declared again here")]
        second: SourceSpan,
    },

    /// Two artifacts with one name in a workflow.
    #[error("duplicate artifact `{name}` in workflow `{workflow}`")]
    #[diagnostic(
        code(cigen::duplicate_artifact),
        help(
            "artifact names are unique in a run; list several paths or consumers in one `artifact` instead"
        )
    )]
    DuplicateArtifact {
        name: String,
        workflow: String,
        #[label("first declared here")]
        first: SourceSpan,
        #[label("declared again here")]
        second: SourceSpan,
    },

    /// Two workflows write one file.
    #[error("workflows `{first_id}` and `{second_id}` both write `{file}`")]
    #[diagnostic(code(cigen::duplicate_output))]
    DuplicateOutput {
        file: String,
        #[help]
        help: String,
        first_id: String,
        second_id: String,
        #[label("`{first_id}` writes `{file}`")]
        first: SourceSpan,
        #[label("`{second_id}` writes it too")]
        second: SourceSpan,
    },

    /// A name that breaks its rule.
    #[error("invalid {kind} `{name}`: it {reason}")]
    #[diagnostic(code(cigen::invalid_name))]
    InvalidName {
        kind: &'static str,
        name: String,
        reason: String,
        #[label("invalid {kind}")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// A reference to a job the workflow does not declare.
    #[error("unknown job `{name}` in `{role}`")]
    #[diagnostic(code(cigen::unknown_job))]
    UnknownJob {
        name: String,
        role: &'static str,
        #[label("no job named `{name}` in workflow `{workflow}`")]
        span: SourceSpan,
        workflow: String,
        #[help]
        help: String,
    },

    /// A `template` or step list defined twice.
    #[error("{kind} `{name}` is defined twice")]
    #[diagnostic(code(cigen::duplicate_definition), help("rename one of them, or remove one"))]
    DuplicateDefinition {
        kind: &'static str,
        name: String,
        #[label("first defined here")]
        first: SourceSpan,
        #[label("defined again here")]
        second: SourceSpan,
    },

    /// A `template` or `steps` use that names no definition.
    #[error("unknown {kind} `{name}`")]
    #[diagnostic(code(cigen::unknown_definition))]
    UnknownDefinition {
        kind: &'static str,
        name: String,
        #[label("no {kind} named `{name}`")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// A job that needs itself.
    #[error("job `{job}` needs itself")]
    #[diagnostic(code(cigen::self_needs), help("remove `{job}` from its own `needs`"))]
    SelfNeeds {
        job: String,
        #[label("a job cannot wait for itself")]
        span: SourceSpan,
    },

    /// A job that consumes its own artifact.
    #[error("job `{job}` consumes its own artifact `{artifact}`")]
    #[diagnostic(
        code(cigen::self_edge),
        help(
            "an artifact carries files from one job to others; files stay in the job that made them"
        )
    )]
    SelfEdge {
        job: String,
        artifact: String,
        #[label("`{job}` is also the producer")]
        span: SourceSpan,
    },

    /// `needs` and artifact edges that go round.
    #[error("jobs depend on each other in a cycle: {cycle}")]
    #[diagnostic(
        code(cigen::cycle),
        help(
            "a job runs after the jobs it `needs` and after the producers of the artifacts it consumes; remove one of these edges"
        )
    )]
    Cycle {
        cycle: String,
        #[label(collection)]
        edges: Vec<LabeledSpan>,
    },

    /// A filter and its `-ignore` twin on one event.
    #[error("`{first}` and `{second}` cannot both filter `{event}`")]
    #[diagnostic(
        code(cigen::conflicting_filters),
        help(
            "use one of them; to exclude inside an include list, prefix a pattern with `!`, e.g. `paths \"src/**\" \"!src/docs/**\"`"
        )
    )]
    ConflictingFilters {
        event: String,
        first: String,
        second: String,
        #[label("`{event}` already has `{first}`")]
        span: SourceSpan,
    },

    /// A matrix entry naming an axis the matrix does not have.
    #[error("unknown matrix axis `{axis}` in `{entry}`")]
    #[diagnostic(code(cigen::unknown_axis))]
    UnknownAxis {
        axis: String,
        entry: &'static str,
        #[label("not an axis of this matrix")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// A job that calls a reusable workflow with a setting only step jobs have.
    #[error("`{setting}` is not allowed in job `{job}`, which calls a reusable workflow")]
    #[diagnostic(
        code(cigen::call_job_setting),
        help(
            "a job that calls a reusable workflow takes only `name`, `needs`, `if`, `permissions`, `concurrency`, `matrix`, `strategy` and the `uses` call; put the rest in the called workflow"
        )
    )]
    CallJobSetting {
        setting: String,
        job: String,
        #[label("not allowed here")]
        span: SourceSpan,
        #[label("this job calls a reusable workflow")]
        call: SourceSpan,
    },

    /// An artifact edge to or from a job that calls a reusable workflow.
    #[error("artifact `{artifact}` cannot {direction} job `{job}`: it calls a reusable workflow")]
    #[diagnostic(
        code(cigen::artifact_call_job),
        help(
            "the called workflow runs its own jobs, which cigen does not see; upload or download the files in those jobs, or use a job with steps"
        )
    )]
    ArtifactCallJob {
        artifact: String,
        direction: &'static str,
        job: String,
        #[label("`{job}` has no steps to {action}")]
        span: SourceSpan,
        action: &'static str,
    },

    /// `to="a" "b"`: a property and an argument, where a list was meant.
    #[error("`{field}=` takes one value; `{extra}` is read as another argument of `artifact`")]
    #[diagnostic(
        code(cigen::list_as_property),
        help(
            "give several values as a child node: `artifact \"{artifact}\" … {{ {field} \"{first}\" \"{extra}\" }}`"
        )
    )]
    ListAsProperty {
        artifact: String,
        field: &'static str,
        first: String,
        extra: String,
        #[label("`{field}` ends at the property before this")]
        span: SourceSpan,
    },

    /// A `legs` an artifact cannot have.
    #[error("artifact `{artifact}` cannot take its legs {how}: {problem}")]
    #[diagnostic(code(cigen::artifact_legs))]
    ArtifactLegs {
        artifact: String,
        how: &'static str,
        problem: String,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: String,
    },

    /// Something the v3 artifact actions cannot do.
    #[error("the v3 artifact actions cannot do {construct}")]
    #[diagnostic(code(cigen::v3_artifacts))]
    OldArtifactActions {
        construct: String,
        #[label("not in v3")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// Upload and download actions of different generations.
    #[error(
        "the upload action is {upload}, the download action {download}: their artifacts do not mix"
    )]
    #[diagnostic(
        code(cigen::mixed_artifact_actions),
        help(
            "artifacts uploaded by v3 cannot be downloaded by v4 and later, nor the other way round; give `upload-artifact` and `download-artifact` the same major version"
        )
    )]
    MixedArtifactActions {
        upload: &'static str,
        download: &'static str,
        #[label("{upload}")]
        upload_span: Option<SourceSpan>,
        #[label("{download}")]
        download_span: Option<SourceSpan>,
    },

    /// A fan-in pattern that would also download another artifact.
    #[error("artifact `{other}` would be downloaded with the legs of `{artifact}`")]
    #[diagnostic(
        code(cigen::pattern_overlap),
        help(
            "`{artifact}` comes from a matrix job, so consumers download every artifact named `{artifact}-*`; rename one of them"
        )
    )]
    PatternOverlap {
        artifact: String,
        other: String,
        #[label("matches `{artifact}-*`")]
        span: SourceSpan,
    },

    /// A construct the workflow's target has no form for.
    #[error("{target} cannot express {construct}")]
    #[diagnostic(code(cigen::unsupported))]
    Unsupported {
        target: &'static str,
        construct: String,
        #[label("no {target} form")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// A `raw` key that cigen writes itself at that place.
    #[error("`raw` cannot set `{key}`: cigen writes it in a {target} {level}")]
    #[diagnostic(code(cigen::raw_key))]
    RawKey {
        key: String,
        target: &'static str,
        level: &'static str,
        #[label("cigen writes `{key}` here")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// An `actions` block in a spec none of whose workflows runs actions.
    #[error("`actions` has no effect: no workflow of this spec runs on Forgejo or GitHub")]
    #[diagnostic(
        code(cigen::unused_actions),
        help("`actions` picks the actions cigen's plumbing uses on Actions targets; remove it")
    )]
    UnusedActions {
        #[label("applies to no workflow")]
        span: SourceSpan,
    },

    /// A step whose `uses` names a workflow file: only a job can call one.
    #[error("a step cannot call the reusable workflow `{uses}`")]
    #[diagnostic(
        code(cigen::step_calls_workflow),
        help(
            "a reusable workflow runs as a job of its own: give it a job, `job \"call\" {{ uses \"{uses}\" }}`, and `needs \"call\"` where its results are needed"
        )
    )]
    StepCallsWorkflow {
        uses: String,
        #[label("a workflow file, not an action")]
        span: SourceSpan,
    },

    /// A step that both runs a script and uses an action.
    #[error("a step has both `run` and `uses`")]
    #[diagnostic(
        code(cigen::run_and_uses),
        help("split it into two steps: one `run \"…\"` and one `uses \"…\"`")
    )]
    RunAndUses {
        #[label("this step is a `{kind}` step")]
        step: SourceSpan,
        kind: &'static str,
        #[label("so it cannot also have this")]
        other: SourceSpan,
    },

    /// A script that expands text an attacker controls.
    #[error(
        "script injection: `{place}` expands `{context}`, which anyone opening an issue or pull request controls"
    )]
    #[diagnostic(code(cigen::script_injection))]
    ScriptInjection {
        place: &'static str,
        context: String,
        #[label("expanded into the script before it runs")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    // Expressions, cron lines and filter patterns (validate/expressions).
    /// A `${{` with no `}}` after it.
    #[error("unterminated expression in `{field}`: `${{{{` has no closing `}}}}`")]
    #[diagnostic(
        code(cigen::unterminated_expression),
        help("end it with `}}}}`; a `}}}}` inside a quoted string ('…') does not close it")
    )]
    UnterminatedExpression {
        field: String,
        #[label("opened here")]
        span: SourceSpan,
    },

    /// An expression that does not parse.
    #[error("invalid expression in `{field}`: {problem}")]
    #[diagnostic(code(cigen::expression_syntax))]
    ExpressionSyntax {
        field: String,
        problem: String,
        #[label("{problem}")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// An `if` with text around its `${{ }}`: a non-empty string, so true.
    #[error("`{field}` is always true: the text around `${{{{ }}}}` makes it a string")]
    #[diagnostic(
        code(cigen::always_true),
        help(
            "write the whole condition in one `${{{{ … }}}}`, or leave `${{{{ }}}}` out: `if \"a && b\"`"
        )
    )]
    AlwaysTrue {
        field: String,
        #[label("outside the expression")]
        span: SourceSpan,
    },

    /// A boolean setting written as text with an expression inside.
    #[error("`{field}` is not a boolean: the text around `${{{{ }}}}` makes it a string")]
    #[diagnostic(
        code(cigen::not_a_boolean),
        help(
            "write `#true`, `#false` or one expression alone: `\"${{{{ matrix.experimental }}}}\"`"
        )
    )]
    NotABoolean {
        field: String,
        #[label("outside the expression")]
        span: SourceSpan,
    },

    /// A call to a function the expression language does not have.
    #[error("unknown function `{name}`")]
    #[diagnostic(code(cigen::unknown_function))]
    UnknownFunction {
        name: String,
        #[label("not a function of the expression language")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// A function called with the wrong number of arguments.
    #[error("`{name}` takes {arity} {}, found {found}", if arity == "1" { "argument" } else { "arguments" })]
    #[diagnostic(code(cigen::wrong_arity))]
    WrongArity {
        name: String,
        arity: String,
        found: usize,
        #[label("called with {found}")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// A status function or `hashFiles` where the forge has none.
    #[error("`{name}()` is not available in `{field}`")]
    #[diagnostic(code(cigen::function_not_available))]
    FunctionNotAvailable {
        name: String,
        field: String,
        #[label("not available here")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// A context the expression language does not have.
    #[error("unknown context `{name}`")]
    #[diagnostic(code(cigen::unknown_context))]
    UnknownContext {
        name: String,
        #[label("not a context")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// A context the forge does not provide where it is read.
    #[error("the `{context}` context is not available in `{field}`")]
    #[diagnostic(code(cigen::context_not_available))]
    ContextNotAvailable {
        context: String,
        field: String,
        #[label("not available here")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// `matrix.X` where the job's matrix has no `X`.
    #[error("`matrix.{name}` is not defined in job `{job}`")]
    #[diagnostic(code(cigen::unknown_matrix_variable))]
    UnknownMatrixVariable {
        name: String,
        job: String,
        #[label("{problem}")]
        span: SourceSpan,
        problem: String,
        #[help]
        help: String,
    },

    /// `needs.J` where the job does not need `J`.
    #[error("`needs.{name}`: job `{job}` does not need `{name}`")]
    #[diagnostic(code(cigen::unknown_need))]
    UnknownNeed {
        name: String,
        job: String,
        #[label("not among the jobs `{job}` needs")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// `needs.J.outputs.O` or `jobs.J.outputs.O` where `J` declares no `O`.
    #[error("job `{job}` has no output `{output}`")]
    #[diagnostic(code(cigen::unknown_output))]
    UnknownOutput {
        job: String,
        output: String,
        #[label("not in the `outputs` of `{job}`")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// A property `needs.J`, `steps.S` or `jobs.J` does not have.
    #[error("`{object}` has no property `{name}`")]
    #[diagnostic(code(cigen::unknown_property_of_context))]
    UnknownContextProperty {
        object: String,
        name: String,
        #[label("no such property")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// `steps.S` where `S` is no step before this one in the job.
    #[error("`steps.{name}` is not a step {scope}")]
    #[diagnostic(code(cigen::unknown_step))]
    UnknownStep {
        name: String,
        scope: String,
        #[label("{problem}")]
        span: SourceSpan,
        problem: String,
        #[help]
        help: String,
    },

    /// `inputs.X` where the workflow declares no input `X`.
    #[error("`inputs.{name}` is not an input of workflow `{workflow}`")]
    #[diagnostic(code(cigen::unknown_input))]
    UnknownInput {
        name: String,
        workflow: String,
        #[label("{problem}")]
        span: SourceSpan,
        problem: String,
        #[help]
        help: String,
    },

    /// `secrets.X` in a workflow that is only called, and does not declare `X`.
    #[error("`secrets.{name}` is not a secret of workflow `{workflow}`")]
    #[diagnostic(code(cigen::unknown_secret))]
    UnknownSecret {
        name: String,
        workflow: String,
        #[label("not declared by its `workflow_call`")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// `jobs.J` where the workflow has no job `J`.
    #[error("`jobs.{name}` is not a job of workflow `{workflow}`")]
    #[diagnostic(code(cigen::unknown_workflow_job))]
    UnknownWorkflowJob {
        name: String,
        workflow: String,
        #[label("no such job")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// A `schedule` line that is not a cron expression.
    #[error("invalid cron line `{line}`: {problem}")]
    #[diagnostic(code(cigen::invalid_cron))]
    InvalidCron {
        line: String,
        problem: String,
        #[label("{problem}")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// A branch, tag or path filter that is not a valid pattern.
    #[error("invalid pattern `{pattern}` in `{filter}`: {problem}")]
    #[diagnostic(code(cigen::invalid_pattern))]
    InvalidPattern {
        pattern: String,
        filter: String,
        problem: String,
        #[label("{problem}")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// A job that would be written with no step (or script) at all.
    #[error("job `{job}` has nothing to run")]
    #[diagnostic(code(cigen::empty_job))]
    EmptyJob {
        job: String,
        #[label("{problem}")]
        span: SourceSpan,
        problem: &'static str,
        #[help]
        help: String,
    },

    /// An `allow` of a warning cigen does not have.
    #[error("unknown warning `{name}` in `allow`")]
    #[diagnostic(code(cigen::unknown_warning))]
    UnknownWarning {
        name: String,
        #[label("not a warning of cigen")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    // Warnings (validate/lint): risky, not wrong; `allow "NAME"` silences each.
    /// An action or reusable workflow named by a tag or branch on GitHub.
    #[error("`{reference}` is not pinned to a {pin}")]
    #[diagnostic(code(cigen::unpinned_action), severity(Warning))]
    UnpinnedAction {
        reference: String,
        pin: &'static str,
        #[label("{moved}")]
        span: SourceSpan,
        moved: &'static str,
        #[help]
        help: String,
    },

    /// On Forgejo, an action named without `@REF`.
    #[error("`{reference}` names no version: Forgejo runs its default branch")]
    #[diagnostic(
        code(cigen::unversioned_action),
        severity(Warning),
        help(
            "name a tag or a commit: `{reference}@v4`; or, to take the risk on, `allow \"unversioned-action\"` in the job or the workflow"
        )
    )]
    UnversionedAction {
        reference: String,
        #[label("whatever the default branch holds when the job starts")]
        span: SourceSpan,
    },

    /// A key Forgejo accepts but does not apply.
    #[error("Forgejo ignores {what}")]
    #[diagnostic(code(cigen::ignored_by_forgejo), severity(Warning))]
    IgnoredByForgejo {
        what: &'static str,
        #[label("no effect on Forgejo")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// A job with no `run` or `uses` step of its own.
    #[error("job `{job}` runs no step of its own")]
    #[diagnostic(code(cigen::job_without_steps), severity(Warning))]
    JobWithoutSteps {
        job: String,
        #[label("{does}")]
        span: SourceSpan,
        does: String,
        #[help]
        help: String,
    },

    /// An output file outside the spec's folder.
    #[error("output file `{path}` is outside the spec's folder")]
    #[diagnostic(
        code(cigen::output_outside),
        help(
            "give a path relative to the folder of the spec, without `..`, e.g. `.forgejo/workflows/ci.yml`"
        )
    )]
    OutputOutside {
        path: String,
        #[label("{problem}")]
        span: SourceSpan,
        problem: &'static str,
    },

    /// A reference the lock file does not pin, when the spec has one.
    #[error("`{lock}` does not pin `{reference}`")]
    #[diagnostic(code(cigen::unpinned))]
    Unpinned {
        reference: String,
        lock: String,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: String,
    },
}

impl SpecError {
    /// Whether the mistake is in what a workflow says (an expression, a
    /// cron line, a filter pattern, a job with nothing to run) rather than
    /// in how the spec is written: `import` reports these as mistakes of
    /// the file it reads.
    pub fn is_a_mistake_in_the_workflow(&self) -> bool {
        matches!(
            self,
            Self::UnterminatedExpression { .. }
                | Self::ExpressionSyntax { .. }
                | Self::AlwaysTrue { .. }
                | Self::NotABoolean { .. }
                | Self::UnknownFunction { .. }
                | Self::WrongArity { .. }
                | Self::FunctionNotAvailable { .. }
                | Self::UnknownContext { .. }
                | Self::ContextNotAvailable { .. }
                | Self::UnknownMatrixVariable { .. }
                | Self::UnknownNeed { .. }
                | Self::UnknownOutput { .. }
                | Self::UnknownContextProperty { .. }
                | Self::UnknownStep { .. }
                | Self::UnknownInput { .. }
                | Self::UnknownSecret { .. }
                | Self::UnknownWorkflowJob { .. }
                | Self::InvalidCron { .. }
                | Self::InvalidPattern { .. }
                | Self::EmptyJob { .. }
                | Self::ScriptInjection { .. }
        )
    }
}

/// A replacement that fixes a mistake: the name a "did you mean" help
/// suggests, or the KDL v2 spelling of a v1 keyword.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    /// The token to replace; when it is a quoted string, the replacement
    /// is the text between its quotes.
    pub span: SourceSpan,
    /// What to write instead.
    pub replacement: String,
}

impl SpecError {
    /// The replacement this mistake's help suggests, if it suggests one.
    pub fn suggestion(&self) -> Option<Suggestion> {
        let (span, help) = match self {
            Self::V1Keyword { word, span } => {
                return Some(Suggestion { span: *span, replacement: format!("#{word}") });
            }
            Self::UnknownNode { span, help, .. }
            | Self::UnknownProperty { span, help, .. }
            | Self::UnknownJob { span, help, .. }
            | Self::UnknownDefinition { span, help, .. }
            | Self::UnknownAxis { span, help, .. } => (*span, Some(help)),
            Self::InvalidValue { span, help, .. } => (*span, help.as_ref()),
            _ => return None,
        };
        let replacement = crate::suggest::suggested(help?)?;
        Some(Suggestion { span, replacement: replacement.to_owned() })
    }
}

/// A diagnostic together with the source it points into: a [`SpecError`]
/// in the spec, or another condition (an import refusal) in its own file.
#[derive(Debug)]
pub struct Located<E = SpecError> {
    source: miette::NamedSource<std::sync::Arc<String>>,
    error: E,
}

impl Located {
    /// Attaches `source` to `error`.
    pub fn new(source: &Source, error: SpecError) -> Self {
        Self { source: source.named(), error }
    }
}

impl<E> Located<E> {
    /// Attaches `source`, already named, to `error`.
    pub fn with_source(source: miette::NamedSource<std::sync::Arc<String>>, error: E) -> Self {
        Self { source, error }
    }

    /// The condition, without its source.
    pub fn error(&self) -> &E {
        &self.error
    }
}

impl<E: fmt::Display> fmt::Display for Located<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.error.fmt(f)
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for Located<E> {}

impl<E: Diagnostic> Diagnostic for Located<E> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.error.code()
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.error.help()
    }

    fn severity(&self) -> Option<miette::Severity> {
        self.error.severity()
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.error.labels()
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }
}

/// Every mistake found in one spec, in the order of the file.
#[derive(Debug, Default)]
pub struct Diagnostics(pub Vec<Located>);

impl Diagnostics {
    /// Whether nothing is wrong.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
