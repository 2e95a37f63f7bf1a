//! Do real clients accept what cigen writes? The offline part of the answer;
//! `scripts/validate` runs the external validators (check-jsonschema,
//! actionlint, zizmor) on the same outputs.
//!
//! For every spec (`pipeline.kdl`, `examples/**/pipeline.kdl` and
//! `tests/fixtures/valid/*.kdl`), compiled through the library:
//!
//! - every output parses back with serde-saphyr (duplicate keys are an error);
//! - every Forgejo and GitHub output validates against SchemaStore's GitHub
//!   workflow schema, vendored as `tests/schema/github-workflow.json`
//!   (Apache-2.0, see `tests/schema/LICENSE.schemastore`; the same file
//!   check-jsonschema 0.39.0 ships as `vendor.github-workflows`);
//! - every GitLab output validates against GitLab's CI schema, vendored as
//!   `tests/schema/gitlab-ci.json` (MIT, see `tests/schema/LICENSE.gitlab`;
//!   the file check-jsonschema 0.39.0 ships as `vendor.gitlab-ci`);
//! - every Forgejo output uses only keys the Forgejo
//!   runner's workflow schema knows. Runner 8.0.0 and later refuse to run a
//!   workflow with any other key, and the GitHub schema cannot catch this:
//!   GitHub knows keys Forgejo does not (`snapshot`, step `background`, ...).
//!
//! The negative tests at the end prove that each check can fail.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use cigen::render::{Renderer, TemplateSource};
use cigen::source::Source;
use serde_json::Value;

/// The repository root.
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A vendored schema under `tests/schema/`, compiled.
fn vendored(name: &str) -> jsonschema::Validator {
    let path = root().join("tests/schema").join(name);
    let text = std::fs::read_to_string(&path).expect("the vendored schema is readable");
    let schema: Value = serde_json::from_str(&text).expect("the vendored schema is JSON");
    jsonschema::validator_for(&schema).expect("the vendored schema compiles")
}

/// The vendored GitHub workflow schema, compiled once.
static SCHEMA: LazyLock<jsonschema::Validator> = LazyLock::new(|| vendored("github-workflow.json"));

/// GitLab's CI schema (`tests/schema/gitlab-ci.json`, MIT, see
/// `tests/schema/LICENSE.gitlab`; the file check-jsonschema 0.39.0 ships as
/// `vendor.gitlab-ci`), compiled once.
static GITLAB_SCHEMA: LazyLock<jsonschema::Validator> =
    LazyLock::new(|| vendored("gitlab-ci.json"));

// ---------------------------------------------------------------------------
// The specs and their outputs
// ---------------------------------------------------------------------------

/// Every `pipeline.kdl` under `dir`, at any depth.
fn find_pipelines(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries {
        let path = entry.expect("a readable folder entry").path();
        if path.is_dir() {
            find_pipelines(&path, found);
        } else if path.file_name().is_some_and(|n| n == "pipeline.kdl") {
            found.push(path);
        }
    }
}

/// The specs whose outputs are checked, sorted. `tests/fixtures/valid` may
/// not exist yet; then only the others are checked.
fn specs() -> Vec<PathBuf> {
    let mut specs = Vec::new();
    let own = root().join("pipeline.kdl");
    if own.is_file() {
        specs.push(own);
    }
    find_pipelines(&root().join("examples"), &mut specs);
    specs.extend(fixtures("valid"));
    specs.sort();
    specs
}

/// The `*.kdl` files of `tests/fixtures/FOLDER`; none when it does not exist.
fn fixtures(folder: &str) -> Vec<PathBuf> {
    let mut specs = Vec::new();
    if let Ok(entries) = std::fs::read_dir(root().join("tests/fixtures").join(folder)) {
        for entry in entries {
            let path = entry.expect("a readable folder entry").path();
            if path.extension().is_some_and(|e| e == "kdl") && path.is_file() {
                specs.push(path);
            }
        }
    }
    specs.sort();
    specs
}

/// One generated workflow, parsed back.
struct Parsed {
    /// `SPEC: FILE`, for messages.
    label: String,
    /// Its target.
    target: cigen::target::Target,
    /// The parsed YAML.
    value: Value,
}

/// Compiles every spec and parses every output back. Panics listing every
/// spec that fails to compile and every output that fails to parse.
fn outputs(specs: &[PathBuf]) -> Vec<Parsed> {
    let renderer = Renderer::new(TemplateSource::default());
    assert!(!specs.is_empty(), "no specs found under {}", root().display());
    let mut parsed = Vec::new();
    let mut problems = Vec::new();
    for spec in specs {
        let shown = spec.strip_prefix(root()).unwrap_or(spec).display().to_string();
        let name = spec.file_name().expect("a spec has a name").to_string_lossy();
        let text = std::fs::read_to_string(spec).expect("the spec is readable UTF-8");
        let outputs = match cigen::compile(&Source::new(&shown, text), &name, &renderer) {
            Ok(outputs) => outputs,
            Err(cigen::Failure::Spec(diagnostics)) => {
                problems.push(format!("{shown}: does not compile: {diagnostics:?}"));
                continue;
            }
            Err(cigen::Failure::Template(e)) => {
                problems.push(format!("{shown}: a template failed: {e}"));
                continue;
            }
        };
        assert!(!outputs.is_empty(), "{shown}: no outputs");
        for output in outputs {
            let label = format!("{shown}: {}", output.file);
            match serde_saphyr::from_str::<Value>(&output.text) {
                Ok(value) => {
                    parsed.push(Parsed { label, target: output.target, value });
                }
                Err(e) => problems.push(format!("{label}: does not parse back: {e}")),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
    parsed
}

// ---------------------------------------------------------------------------
// Check 1: the GitHub workflow schema
// ---------------------------------------------------------------------------

/// Every schema error in `workflow`, deepest first; empty when it is valid.
///
/// The verdict comes from `is_valid`. The leaf errors of `evaluate` are what
/// make a failure readable, but they include the failed branches of every
/// `oneOf` on the way, so some of them are noise.
fn schema_errors(schema: &jsonschema::Validator, workflow: &Value) -> Vec<String> {
    if schema.is_valid(workflow) {
        return Vec::new();
    }
    let mut errors: Vec<(usize, String)> = schema
        .evaluate(workflow)
        .iter_errors()
        .map(|e| {
            let at = e.instance_location.as_str();
            (at.matches('/').count(), format!("at `{at}`: {}", e.error))
        })
        .collect();
    // Deepest first: the most specific error is usually the cause.
    errors.sort_by_key(|(depth, _)| std::cmp::Reverse(*depth));
    let mut errors: Vec<String> = errors.into_iter().map(|(_, e)| e).collect();
    errors.dedup();
    if errors.is_empty() {
        errors.push("invalid (no detail reported)".to_owned());
    }
    errors
}

/// Checks every output of `targets` against `schema`, naming it `name`.
fn all_validate(name: &str, schema: &jsonschema::Validator, targets: &[cigen::target::Target]) {
    let outputs: Vec<Parsed> =
        outputs(&specs()).into_iter().filter(|o| targets.contains(&o.target)).collect();
    assert!(!outputs.is_empty(), "no outputs for {name}: the check would prove nothing");
    let failures: Vec<String> = outputs
        .iter()
        .filter_map(|o| {
            let errors = schema_errors(schema, &o.value);
            (!errors.is_empty()).then(|| format!("{}:\n  {}", o.label, errors.join("\n  ")))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} outputs fail the {name}:\n\n{}",
        failures.len(),
        outputs.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_actions_output_validates_against_the_github_workflow_schema() {
    use cigen::target::Target;
    all_validate("GitHub workflow schema", &SCHEMA, &[Target::Forgejo, Target::Github]);
}

/// `tests/fixtures/beyond-schema` holds what the forges run but SchemaStore's
/// schema refuses. Once the schema accepts one, it belongs in `valid`.
#[test]
fn the_schema_still_refuses_every_output_beyond_it() {
    let outputs = outputs(&fixtures("beyond-schema"));
    assert!(!outputs.is_empty(), "no specs under tests/fixtures/beyond-schema");
    for output in outputs {
        assert!(
            !schema_errors(&SCHEMA, &output.value).is_empty(),
            "{} passes the GitHub workflow schema: move it to tests/fixtures/valid",
            output.label
        );
    }
}

#[test]
fn every_gitlab_output_validates_against_the_gitlab_ci_schema() {
    all_validate("GitLab CI schema", &GITLAB_SCHEMA, &[cigen::target::Target::Gitlab]);
}

#[test]
fn the_gitlab_schema_rejects_broken_pipelines() {
    let good = parse("stages: [a]\nbuild:\n  stage: a\n  needs: []\n  script:\n    - make\n");
    assert!(GITLAB_SCHEMA.is_valid(&good));
    for (from, to) in [
        ("  needs: []\n", "  needs: []\n  artifact: {}\n"),
        ("    - make\n", "    - make\n  when: sometimes\n"),
        ("  needs: []\n", "  needs: []\n  timeout: 30\n"),
    ] {
        let yaml = "stages: [a]\nbuild:\n  stage: a\n  needs: []\n  script:\n    - make\n";
        let broken = parse(&yaml.replace(from, to));
        assert!(!GITLAB_SCHEMA.is_valid(&broken), "{from:?} → {to:?}");
    }
}

// ---------------------------------------------------------------------------
// Check 2: the keys the Forgejo runner accepts
// ---------------------------------------------------------------------------

// The key lists of the Forgejo runner's workflow schema,
// forgejo-runner `act/schema/workflow_schema.json`, which runner 8.0.0 and
// later check every workflow against before running it.
//
// - Root, job, reusable-call job and step keys: as listed in the project's
//   format notes (the runner schema of 2025-11-15). The copy at GitHub mirror
//   project-mirrors/forgejo-runner commit 7e1a84b lacks `runs-on` and
//   `container` for reusable-call jobs; cigen emits neither there.
// - Container, service, credentials, defaults, concurrency, strategy,
//   environment and permission keys: read from that commit. The runner uses
//   one `container-mapping` for `container:` and for each service, so both
//   accept `cmd` and `ports`, although Forgejo's reference documents only
//   image/env/credentials/volumes/options for `container:` and
//   image/env/cmd/credentials/options/volumes for services.

/// Top-level keys.
const ROOT_KEYS: &[&str] = &[
    "on",
    "name",
    "enable-email-notifications",
    "description",
    "run-name",
    "defaults",
    "env",
    "permissions",
    "concurrency",
    "jobs",
];

/// Keys of a job that runs steps.
const JOB_KEYS: &[&str] = &[
    "needs",
    "if",
    "strategy",
    "name",
    "runs-on",
    "timeout-minutes",
    "cancel-timeout-minutes",
    "continue-on-error",
    "container",
    "services",
    "env",
    "environment",
    "permissions",
    "concurrency",
    "outputs",
    "defaults",
    "steps",
];

/// Keys of a job that calls a reusable workflow (`uses:`).
const CALL_JOB_KEYS: &[&str] = &[
    "name",
    "uses",
    "runs-on",
    "container",
    "with",
    "secrets",
    "needs",
    "if",
    "permissions",
    "concurrency",
    "strategy",
];

/// Keys of a `run:` step.
const RUN_STEP_KEYS: &[&str] = &[
    "name",
    "id",
    "if",
    "timeout-minutes",
    "run",
    "continue-on-error",
    "env",
    "working-directory",
    "shell",
];

/// Keys of a `uses:` step.
const USES_STEP_KEYS: &[&str] =
    &["name", "id", "if", "continue-on-error", "timeout-minutes", "uses", "with", "env"];

/// Keys of `container:` and of each service under `services:`, in their
/// mapping form (a bare string is the image).
const CONTAINER_KEYS: &[&str] =
    &["image", "options", "cmd", "env", "ports", "volumes", "credentials"];

/// Keys of `credentials:`.
const CREDENTIALS_KEYS: &[&str] = &["username", "password"];

/// Keys of `defaults:` (workflow and job).
const DEFAULTS_KEYS: &[&str] = &["run"];

/// Keys of `defaults.run:`.
const DEFAULTS_RUN_KEYS: &[&str] = &["shell", "working-directory"];

/// Keys of `concurrency:` in its mapping form.
const CONCURRENCY_KEYS: &[&str] = &["group", "cancel-in-progress"];

/// Keys of `strategy:`.
const STRATEGY_KEYS: &[&str] = &["fail-fast", "max-parallel", "matrix"];

/// Keys of `environment:` in its mapping form.
const ENVIRONMENT_KEYS: &[&str] = &["name", "url"];

/// Scopes of `permissions:` in its mapping form. GitHub has more
/// (`models`, `artifact-metadata`, ...) that the runner schema rejects.
const PERMISSION_SCOPES: &[&str] = &[
    "actions",
    "attestations",
    "checks",
    "contents",
    "deployments",
    "discussions",
    "id-token",
    "issues",
    "packages",
    "pages",
    "pull-requests",
    "repository-projects",
    "security-events",
    "statuses",
];

/// Collects what the Forgejo runner would reject in one workflow.
#[derive(Default)]
struct KeyCheck {
    problems: Vec<String>,
}

impl KeyCheck {
    fn problem(&mut self, at: &str, what: String) {
        self.problems.push(format!("at `{}`: {what}", if at.is_empty() { "/" } else { at }));
    }

    /// `value` must be a mapping whose keys are all in `allowed`; returns it.
    fn mapping<'v>(
        &mut self,
        at: &str,
        value: &'v Value,
        allowed: &[&str],
    ) -> Option<&'v serde_json::Map<String, Value>> {
        let Some(map) = value.as_object() else {
            self.problem(at, format!("expected a mapping, found {value}"));
            return None;
        };
        for key in map.keys() {
            if !allowed.contains(&key.as_str()) {
                self.problem(
                    at,
                    format!(
                        "key `{key}` is not in the Forgejo runner schema (allowed: {allowed:?})"
                    ),
                );
            }
        }
        Some(map)
    }

    /// A value that is either a scalar or a mapping with `allowed` keys.
    fn scalar_or_mapping(&mut self, at: &str, value: &Value, allowed: &[&str]) {
        if value.is_object() {
            self.mapping(at, value, allowed);
        }
    }

    fn defaults(&mut self, at: &str, value: &Value) {
        if let Some(map) = self.mapping(at, value, DEFAULTS_KEYS)
            && let Some(run) = map.get("run")
        {
            self.mapping(&format!("{at}/run"), run, DEFAULTS_RUN_KEYS);
        }
    }

    fn container(&mut self, at: &str, value: &Value) {
        if let Some(map) = value.as_object() {
            self.mapping(at, value, CONTAINER_KEYS);
            if let Some(credentials) = map.get("credentials") {
                self.mapping(&format!("{at}/credentials"), credentials, CREDENTIALS_KEYS);
            }
        }
    }

    fn workflow(&mut self, workflow: &Value) {
        let Some(root) = self.mapping("", workflow, ROOT_KEYS) else { return };
        self.common("", root);
        let Some(jobs) = root.get("jobs") else {
            self.problem("", "no `jobs`".to_owned());
            return;
        };
        let Some(jobs) = jobs.as_object() else {
            self.problem("/jobs", format!("expected a mapping, found {jobs}"));
            return;
        };
        for (id, job) in jobs {
            self.job(&format!("/jobs/{id}"), job);
        }
    }

    /// The keys a workflow and a job share.
    fn common(&mut self, at: &str, map: &serde_json::Map<String, Value>) {
        if let Some(defaults) = map.get("defaults") {
            self.defaults(&format!("{at}/defaults"), defaults);
        }
        if let Some(permissions) = map.get("permissions") {
            self.scalar_or_mapping(&format!("{at}/permissions"), permissions, PERMISSION_SCOPES);
        }
        if let Some(concurrency) = map.get("concurrency") {
            self.scalar_or_mapping(&format!("{at}/concurrency"), concurrency, CONCURRENCY_KEYS);
        }
        if let Some(strategy) = map.get("strategy") {
            self.mapping(&format!("{at}/strategy"), strategy, STRATEGY_KEYS);
        }
        if let Some(container) = map.get("container") {
            self.container(&format!("{at}/container"), container);
        }
    }

    fn job(&mut self, at: &str, job: &Value) {
        let is_call = job.get("uses").is_some();
        let allowed = if is_call { CALL_JOB_KEYS } else { JOB_KEYS };
        let Some(map) = self.mapping(at, job, allowed) else { return };
        self.common(at, map);
        if let Some(environment) = map.get("environment") {
            self.scalar_or_mapping(&format!("{at}/environment"), environment, ENVIRONMENT_KEYS);
        }
        if let Some(services) = map.get("services") {
            match services.as_object() {
                Some(services) => {
                    for (name, service) in services {
                        self.container(&format!("{at}/services/{name}"), service);
                    }
                }
                None => self.problem(
                    &format!("{at}/services"),
                    format!("expected a mapping, found {services}"),
                ),
            }
        }
        if is_call {
            return;
        }
        match map.get("steps").map(Value::as_array) {
            Some(Some(steps)) => {
                for (i, step) in steps.iter().enumerate() {
                    self.step(&format!("{at}/steps/{i}"), step);
                }
            }
            Some(None) => self.problem(&format!("{at}/steps"), "expected a sequence".to_owned()),
            None => self.problem(at, "a job without `uses` needs `steps`".to_owned()),
        }
    }

    fn step(&mut self, at: &str, step: &Value) {
        let (run, uses) = (step.get("run").is_some(), step.get("uses").is_some());
        let allowed = match (run, uses) {
            (true, false) => RUN_STEP_KEYS,
            (false, true) => USES_STEP_KEYS,
            _ => {
                self.problem(at, "a step needs exactly one of `run` and `uses`".to_owned());
                return;
            }
        };
        self.mapping(at, step, allowed);
    }
}

/// What the Forgejo runner would reject in `workflow`; empty when nothing.
fn forgejo_key_problems(workflow: &Value) -> Vec<String> {
    let mut check = KeyCheck::default();
    check.workflow(workflow);
    check.problems
}

#[test]
fn forgejo_outputs_use_only_keys_the_forgejo_runner_accepts() {
    // Forgejo's own keys are beyond SchemaStore's schema, not the runner's.
    let mut specs = specs();
    specs.extend(fixtures("beyond-schema"));
    let outputs = outputs(&specs);
    let forgejo: Vec<&Parsed> =
        outputs.iter().filter(|o| o.target == cigen::target::Target::Forgejo).collect();
    assert!(!forgejo.is_empty(), "no Forgejo outputs: the check would prove nothing");
    let failures: Vec<String> = forgejo
        .iter()
        .filter_map(|o| {
            let problems = forgejo_key_problems(&o.value);
            (!problems.is_empty()).then(|| format!("{}:\n  {}", o.label, problems.join("\n  ")))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} Forgejo outputs use keys the Forgejo runner rejects:\n\n{}",
        failures.len(),
        forgejo.len(),
        failures.join("\n\n")
    );
}

// ---------------------------------------------------------------------------
// Negative tests: each check can fail
// ---------------------------------------------------------------------------

/// A small workflow both checks accept; the negative tests break it one way
/// at a time.
const GOOD: &str = r#"
name: ci
on:
  push:
    branches: [main]
  pull_request:
permissions:
  contents: read
defaults:
  run:
    shell: bash
jobs:
  build:
    runs-on: docker
    timeout-minutes: 10
    container:
      image: rust:1.95
      options: "--cpus 2"
    steps:
      - uses: https://code.forgejo.org/actions/checkout@v4
        with:
          persist-credentials: false
      - run: make
        working-directory: app
  test:
    needs: [build]
    runs-on: docker
    steps:
      - run: make test
"#;

fn parse(yaml: &str) -> Value {
    serde_saphyr::from_str(yaml).unwrap_or_else(|e| panic!("does not parse: {e}\n{yaml}"))
}

/// `GOOD` with `from` replaced by `to` (which must change it).
fn broken(from: &str, to: &str) -> Value {
    assert!(GOOD.contains(from), "`{from}` is not in the good workflow");
    parse(&GOOD.replacen(from, to, 1))
}

#[test]
fn the_good_workflow_passes_both_checks() {
    let good = parse(GOOD);
    assert_eq!(schema_errors(&SCHEMA, &good), Vec::<String>::new());
    assert_eq!(forgejo_key_problems(&good), Vec::<String>::new());
}

#[test]
fn parse_back_rejects_duplicate_keys() {
    let yaml = GOOD.replacen("  test:\n", "  build:\n", 1);
    assert!(serde_saphyr::from_str::<Value>(&yaml).is_err(), "a duplicate job id was accepted");
}

#[test]
fn the_schema_rejects_broken_workflows() {
    let cases = [
        ("an unknown top-level key", broken("name: ci\n", "name: ci\nbogus: 1\n")),
        ("an unknown job key", broken("    timeout-minutes: 10\n", "    timeout: 10\n")),
        ("a job without runs-on", broken("    runs-on: docker\n    steps:\n", "    steps:\n")),
        (
            "`shell` on a uses step",
            broken("        with:\n", "        shell: bash\n        with:\n"),
        ),
        ("needs that is not a list of ids", broken("needs: [build]", "needs: {build: 1}")),
        (
            "paths and paths-ignore on one event",
            broken("    branches: [main]\n", "    paths: [a]\n    paths-ignore: [b]\n"),
        ),
        ("`on` missing", broken("on:\n  push:\n    branches: [main]\n  pull_request:\n", "")),
    ];
    for (what, workflow) in cases {
        assert!(!schema_errors(&SCHEMA, &workflow).is_empty(), "the schema accepted {what}");
    }
}

#[test]
fn the_forgejo_key_check_rejects_keys_the_runner_does_not_know() {
    // Each case is valid for GitHub (so the schema cannot catch it) unless
    // noted, and breaks exactly one Forgejo rule.
    let cases = [
        ("an unknown top-level key", broken("name: ci\n", "name: ci\nbogus: 1\n"), "at `/`"),
        (
            "GitHub's job `snapshot`",
            broken("    timeout-minutes: 10\n", "    snapshot: img\n"),
            "at `/jobs/build`",
        ),
        (
            "GitHub's step `background`",
            broken(
                "      - run: make test\n",
                "      - run: make test\n        background: true\n",
            ),
            "at `/jobs/test/steps/0`",
        ),
        (
            "`shell` on a uses step (schema-invalid too)",
            broken("        with:\n", "        shell: bash\n        with:\n"),
            "at `/jobs/build/steps/0`",
        ),
        (
            "an unknown container key",
            broken("      image: rust:1.95\n", "      image: rust:1.95\n      network: host\n"),
            "at `/jobs/build/container`",
        ),
        (
            "an unknown service key",
            broken(
                "    timeout-minutes: 10\n",
                "    services:\n      db:\n        image: postgres\n        entrypoint: x\n",
            ),
            "at `/jobs/build/services/db`",
        ),
        (
            "an unknown credentials key",
            broken(
                "      image: rust:1.95\n",
                "      image: rust:1.95\n      credentials:\n        token: x\n",
            ),
            "at `/jobs/build/container/credentials`",
        ),
        (
            "an unknown defaults.run key",
            broken("    shell: bash\n", "    shell: bash\n    bogus: x\n"),
            "at `/defaults/run`",
        ),
        (
            "a GitHub-only permission scope",
            broken("  contents: read\n", "  contents: read\n  models: read\n"),
            "at `/permissions`",
        ),
        (
            "a step with neither run nor uses",
            broken("      - run: make test\n", "      - name: nothing\n"),
            "at `/jobs/test/steps/0`",
        ),
    ];
    for (what, workflow, at) in cases {
        let problems = forgejo_key_problems(&workflow);
        assert_eq!(problems.len(), 1, "{what}: expected one problem, got {problems:#?}");
        assert!(problems[0].starts_with(at), "{what}: {problems:#?} is not {at}");
    }
}

#[test]
fn the_vendored_schema_is_schemastores_github_workflow_schema() {
    let text = std::fs::read_to_string(root().join("tests/schema/github-workflow.json"))
        .expect("the vendored schema is readable");
    let schema: Value = serde_json::from_str(&text).expect("the vendored schema is JSON");
    assert_eq!(schema["$id"], "https://json.schemastore.org/github-workflow.json");
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    assert!(root().join("tests/schema/LICENSE.schemastore").is_file(), "the schema's license");
}

// ---------------------------------------------------------------------------
// Check 4: `raw` may not set what cigen writes
// ---------------------------------------------------------------------------

/// Every key cigen writes in a workflow, a job or a step is one `raw` may
/// not set, so a `raw` key can never collide with cigen's own. The specs
/// that use `raw` (named `raw-*`) are left out: their keys are the user's.
#[test]
fn raw_may_not_set_any_key_cigen_writes() {
    let mut specs = specs();
    specs.extend(fixtures("beyond-schema"));
    specs.retain(|s| !s.file_name().is_some_and(|n| n.to_string_lossy().starts_with("raw-")));
    let mut missing = std::collections::BTreeSet::new();
    for output in outputs(&specs) {
        let keys = output.target.row().raw_keys;
        let Some(root) = output.value.as_object() else { continue };
        let gitlab = output.target == cigen::target::Target::Gitlab;
        for (key, value) in root {
            let job_level = if gitlab { value.get("stage").is_some() } else { key == "jobs" };
            if (!job_level || !gitlab) && !keys.workflow.contains(&key.as_str()) {
                missing.insert(format!("{:?} workflow `{key}`", output.target));
            }
            let jobs: Vec<&Value> = match (gitlab, job_level) {
                (true, true) => vec![value],
                (false, true) => {
                    value.as_object().map(|m| m.values().collect()).unwrap_or_default()
                }
                _ => Vec::new(),
            };
            for job in jobs {
                for (key, value) in job.as_object().into_iter().flatten() {
                    if !keys.job.contains(&key.as_str()) {
                        missing.insert(format!("{:?} job `{key}`", output.target));
                    }
                    if key != "steps" {
                        continue;
                    }
                    let step_keys = keys.step.unwrap_or_default();
                    for step in value.as_array().into_iter().flatten() {
                        for key in step.as_object().into_iter().flatten().map(|(k, _)| k) {
                            if !step_keys.contains(&key.as_str()) {
                                missing.insert(format!("{:?} step `{key}`", output.target));
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(missing.is_empty(), "keys cigen writes that `raw` could set:\n{missing:#?}");
}
