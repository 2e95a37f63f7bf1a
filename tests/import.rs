//! `cigen import` on real workflows, on cigen's own output, and on broken
//! YAML.
//!
//! - Every file of `tests/corpus/` (real workflows of public projects, see
//!   `tests/corpus/SOURCES.md`) is imported: the spec of each file that
//!   imports, or the diagnostics of each that is refused, is a snapshot, and
//!   `import@summary` counts them and ranks what blocks the others. An
//!   import is exact by construction (the spec is compiled again and
//!   compared with the file before anything is returned), so a snapshot of a
//!   spec is also a file cigen reproduces.
//! - Every output of the examples and valid fixtures imports back to a spec
//!   that renders the same YAML.
//! - Every file of `tests/fixtures/import-invalid/` is refused with located
//!   diagnostics.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use cigen::import::{File, import};
use cigen::render::{Renderer, TemplateSource};
use cigen::source::Source;
use cigen::target::Target;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings
}

/// The target a corpus file is for: its folder, `github`, `forgejo` or
/// `gitea` (Gitea's workflows are read by the Forgejo target).
fn corpus_target(path: &Path) -> Target {
    match path.parent().and_then(Path::file_name).and_then(|n| n.to_str()) {
        Some("github") => Target::Github,
        _ => Target::Forgejo,
    }
}

/// The name a file is shown with: its path under the repository.
fn shown(path: &Path) -> String {
    path.strip_prefix(root()).unwrap_or(path).display().to_string()
}

fn file(path: &Path, target: Target) -> File {
    let text = std::fs::read_to_string(path).expect("a corpus file is UTF-8");
    File { name: shown(path), relative: None, text: Arc::new(text), target }
}

/// Diagnostics as the command line renders them, without colour.
fn render(diagnostics: &[impl miette::Diagnostic]) -> String {
    let handler =
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .with_width(100);
    let mut out = String::new();
    for (i, diagnostic) in diagnostics.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        handler.render_report(&mut out, diagnostic).expect("a diagnostic renders");
    }
    out
}

/// Keys of the workflow syntax, kept when refusals are grouped by topic.
const KEYS: &[&str] = &[
    "name",
    "run-name",
    "on",
    "permissions",
    "env",
    "defaults",
    "concurrency",
    "jobs",
    "runs-on",
    "timeout-minutes",
    "strategy",
    "matrix",
    "container",
    "services",
    "steps",
    "uses",
    "with",
    "secrets",
    "outputs",
    "environment",
    "if",
    "needs",
    "continue-on-error",
    "shell",
    "working-directory",
    "id",
    "include",
    "exclude",
    "fail-fast",
    "max-parallel",
    "credentials",
    "cmd",
    "snapshot",
    "paths-ignore",
    "schedule",
    "workflow_dispatch",
    "workflow_call",
    "inputs",
    "options",
    "required",
    "type",
    "default",
    "description",
    "value",
    "image",
    "ports",
    "volumes",
    "group",
    "cancel-in-progress",
    "url",
    "enable-email-notifications",
];

/// A refusal's construct with the names of the file left out, to count
/// files by what blocks them: "a value of `config` that is a list or a map"
/// is "a value of `…` that is a list or a map"; keys of the workflow syntax
/// stay.
fn topic(message: &str) -> String {
    let mut out = String::new();
    for (i, part) in message.split('`').enumerate() {
        match (i % 2 == 1, KEYS.contains(&part)) {
            (true, true) => out.push_str(&format!("`{part}`")),
            (true, false) => out.push_str("`…`"),
            (false, _) => out.push_str(part),
        }
    }
    out
}

fn corpus_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for forge in ["github", "forgejo", "gitea"] {
        let dir = root().join("tests/corpus").join(forge);
        for entry in std::fs::read_dir(&dir).expect("the corpus folder exists") {
            let path = entry.expect("an entry").path();
            if path.extension().is_some_and(|e| e == "yml" || e == "yaml") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn corpus() {
    let files = corpus_files();
    assert!(files.len() >= 40, "the corpus holds at least 40 files");
    let mut imported = Vec::new();
    let mut handoffs = (0, 0);
    let mut blocked: BTreeMap<String, Vec<String>> = BTreeMap::new();
    settings().bind(|| {
        insta::glob!("corpus/*/*.y*ml", |path| {
            let name = shown(path);
            match import(&[file(path, corpus_target(path))]) {
                Ok(spec) => {
                    imported.push(name);
                    handoffs.0 += spec.handoffs.edges;
                    handoffs.1 += spec.handoffs.uploads;
                    insta::assert_snapshot!(spec.spec);
                }
                Err(errors) => {
                    let text = render(&errors);
                    let mut topics: Vec<String> =
                        errors.iter().map(|e| topic(&e.to_string())).collect();
                    topics.sort();
                    topics.dedup();
                    for topic in topics {
                        blocked.entry(topic).or_default().push(name.clone());
                    }
                    insta::assert_snapshot!(text);
                }
            }
        });
    });
    let mut ranked: Vec<(&String, &Vec<String>)> = blocked.iter().collect();
    ranked.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
    let mut summary = format!(
        "{} of {} files import exactly ({}%).\n{} of {} artifact uploads in them become `artifact` edges.\n\nWhat blocks the others, by the number of files it blocks:\n\n",
        imported.len(),
        files.len(),
        imported.len() * 100 / files.len(),
        handoffs.0,
        handoffs.1,
    );
    for (topic, names) in ranked {
        summary.push_str(&format!("{:>3}  {topic}\n", names.len()));
    }
    settings().bind(|| insta::assert_snapshot!("import_summary", summary));
}

/// Every output of `spec`, compiled as `pipeline.kdl`: `(file, target, text)`.
fn outputs(spec: &str) -> Vec<(String, Target, String)> {
    let renderer = Renderer::new(TemplateSource::default());
    match cigen::compile(&Source::new("pipeline.kdl", spec), "pipeline.kdl", &renderer) {
        Ok(outputs) => outputs.into_iter().map(|o| (o.file, o.target, o.text)).collect(),
        Err(cigen::Failure::Spec(d)) => panic!("the spec does not compile: {d:?}\n{spec}"),
        Err(cigen::Failure::Template(e)) => panic!("{e}"),
    }
}

#[path = "support/specs.rs"]
mod support;

/// Every example and valid fixture.
fn specs() -> Vec<PathBuf> {
    support::valid_specs()
}

#[test]
fn cigen_output_imports_back_to_a_spec_that_renders_the_same_yaml() {
    let mut checked = 0;
    for spec in specs() {
        let text = std::fs::read_to_string(&spec).expect("a spec");
        let rendered = outputs(&text);
        let files: Vec<File> = rendered
            .iter()
            .filter(|(_, target, _)| *target != Target::Gitlab)
            .map(|(file, target, text)| File {
                name: file.clone(),
                relative: Some(file.clone()),
                text: Arc::new(text.clone()),
                target: *target,
            })
            .collect();
        if files.is_empty() {
            continue;
        }
        let imported = match import(&files) {
            Ok(imported) => imported,
            Err(errors) => {
                panic!("{}: its output does not import:\n{}", shown(&spec), render(&errors))
            }
        };
        let pipeline = cigen::check_spec(&Source::new("pipeline.kdl", &text), "pipeline.kdl")
            .expect("a valid spec");
        let actions = pipeline.workflows.iter().filter(|w| w.target != Target::Gitlab);
        let declared: usize = actions.map(|w| w.artifacts.len()).sum();
        let edges = imported.handoffs.edges;
        assert!(
            edges >= declared,
            "{}: {edges} of its {declared} artifacts import as edges\n{}",
            shown(&spec),
            imported.spec
        );
        let again = outputs(&imported.spec);
        for (file, target, text) in rendered.iter().filter(|(_, t, _)| *t != Target::Gitlab) {
            let found = again.iter().find(|(f, t, _)| f == file && t == target);
            let Some((_, _, again)) = found else {
                panic!("{}: the imported spec writes no `{file}`:\n{}", shown(&spec), imported.spec)
            };
            assert_eq!(
                again,
                text,
                "{}: `{file}` renders differently\n{}",
                shown(&spec),
                imported.spec
            );
        }
        checked += 1;
    }
    assert!(checked >= 10, "{checked} specs checked");
}

#[test]
fn import_invalid() {
    settings().bind(|| {
        insta::glob!("fixtures/import-invalid/*.y*ml", |path| {
            let bytes = std::fs::read(path).expect("a fixture");
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let file = File {
                name: path.file_name().expect("a name").to_string_lossy().into_owned(),
                relative: None,
                text: Arc::new(text),
                target: Target::Github,
            };
            let errors = import(&[file]).expect_err("an invalid fixture is refused");
            insta::assert_snapshot!(render(&errors));
        });
    });
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    fn import_text(text: String) {
        let file = File {
            name: "ci.yml".to_owned(),
            relative: None,
            text: Arc::new(text),
            target: Target::Github,
        };
        let _ = import(&[file]);
    }

    /// Every corpus file, as one string.
    fn corpus_texts() -> Vec<String> {
        corpus_files().iter().map(|p| std::fs::read_to_string(p).expect("UTF-8")).collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn on_arbitrary_text(text in any::<String>()) {
            import_text(text);
        }

        /// A corpus file with a stretch cut out and another pasted in.
        #[test]
        fn on_mangled_corpus_files(
            pick in any::<prop::sample::Index>(),
            from in any::<prop::sample::Index>(),
            to in any::<prop::sample::Index>(),
            insert in "[ :\\-\\[\\]{}#'\"\\n|>&*!a-z0-9]{0,12}",
        ) {
            let texts = corpus_texts();
            let text = &texts[pick.index(texts.len())];
            let mut cut: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
            cut.push(text.len());
            let (a, b) = (cut[from.index(cut.len())], cut[to.index(cut.len())]);
            let (a, b) = (a.min(b), a.max(b));
            import_text(format!("{}{insert}{}", &text[..a], &text[b..]));
        }
    }
}

/// Every `${{ … }}` of the corpus, imported or not, and every bare `if:`,
/// parses, calls known functions with as many arguments as they take, and
/// reads known contexts: the expression checks refuse none of them.
#[test]
fn every_expression_of_the_corpus_is_known() {
    use cigen::expr::{Context, Expr, ExprKind, Segment, functions, parse, split};

    fn walk(e: &Expr, problems: &mut Vec<String>) {
        match &e.kind {
            ExprKind::Context(name) if Context::lookup(&name.text).is_none() => {
                problems.push(format!("unknown context `{}`", name.text));
            }
            ExprKind::Call { name, args } => {
                match functions::lookup(&name.text) {
                    Some(f) if f.accepts(args.len()) => {}
                    _ => problems.push(format!("`{}` with {} arguments", name.text, args.len())),
                }
                args.iter().for_each(|a| walk(a, problems));
            }
            ExprKind::Property { object, .. } | ExprKind::Filter { object } => {
                walk(object, problems)
            }
            ExprKind::Index { object, index } => {
                walk(object, problems);
                walk(index, problems);
            }
            ExprKind::Not(operand) => walk(operand, problems),
            ExprKind::Binary { left, right, .. } => {
                walk(left, problems);
                walk(right, problems);
            }
            _ => {}
        }
    }

    /// The problems of one expression.
    fn check(text: &str) -> Vec<String> {
        let mut problems = Vec::new();
        match parse(text) {
            Ok(tree) => walk(&tree, &mut problems),
            Err(e) => problems.push(e.to_string()),
        }
        problems
    }

    let mut seen = 0;
    let mut problems = Vec::new();
    for path in corpus_files() {
        let text = std::fs::read_to_string(&path).expect("UTF-8");
        for (number, line) in text.lines().enumerate() {
            let at = format!("{}:{}", shown(&path), number + 1);
            // Comments may hold anything.
            let code = line.split(" #").next().unwrap_or(line);
            let condition = code.trim_start().trim_start_matches("- ").strip_prefix("if:");
            let expressions: Vec<String> = match condition.map(str::trim) {
                Some(value) if !value.contains("${{") => match value.as_bytes().first() {
                    Some(b'\'') => vec![value.trim_matches('\'').replace("''", "'")],
                    Some(b'"') => vec![value.trim_matches('"').to_owned()],
                    Some(b'|' | b'>') | None => Vec::new(),
                    _ => vec![value.to_owned()],
                },
                _ => match split(code) {
                    Ok(segments) => segments
                        .into_iter()
                        .filter_map(|s| match s {
                            Segment::Expression { inner, .. } => Some(code[inner].to_owned()),
                            Segment::Literal { .. } => None,
                        })
                        .collect(),
                    Err(e) => {
                        problems.push(format!("{at}: {e}"));
                        Vec::new()
                    }
                },
            };
            for expression in expressions {
                seen += 1;
                problems.extend(check(&expression).into_iter().map(|p| format!("{at}: {p}")));
            }
        }
    }
    assert!(seen > 500, "{seen} expressions");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
