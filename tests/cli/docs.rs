//! The documentation shows what cigen does: every complete spec in it is
//! accepted, every wrong one refused, and the README's graph is current.

use std::path::Path;

use crate::Test;

/// Fenced blocks of `markdown` as `(info string, body, line)`.
fn blocks(markdown: &str) -> Vec<(String, String, usize)> {
    let mut blocks = Vec::new();
    let mut current: Option<(String, String, usize)> = None;
    for (number, line) in markdown.lines().enumerate() {
        match (&mut current, line.strip_prefix("```")) {
            (None, Some(info)) => {
                current = Some((info.trim().to_owned(), String::new(), number + 1))
            }
            (Some(_), Some("")) => blocks.extend(current.take()),
            (Some((_, body, _)), _) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, None) => {}
        }
    }
    blocks
}

fn read(path: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs every `kdl` block of `file` through `cigen render`.
fn check_specs(file: &str) -> usize {
    let mut checked = 0;
    for (info, body, line) in blocks(&read(file)) {
        let expected = match info.as_str() {
            "kdl" => 0,
            "kdl invalid" => 2,
            _ => continue,
        };
        let run = Test::new().spec(&body).run(&["render"]);
        assert_eq!(run.code, Some(expected), "{file}:{line}: {}\n{body}", run.stderr);
        assert!(!run.stderr.contains("panicked"));
        checked += 1;
    }
    checked
}

#[test]
fn every_spec_in_the_language_reference_behaves_as_documented() {
    assert!(check_specs("docs/language.md") >= 20, "the reference shows every node");
}

#[test]
fn every_spec_in_the_readme_behaves_as_documented() {
    check_specs("README.md");
}

#[test]
fn the_readme_shows_the_current_graph_of_the_coverage_example() {
    let readme = read("README.md");
    let (_, shown, _) = blocks(&readme)
        .into_iter()
        .find(|(info, _, _)| info == "mermaid")
        .expect("the README shows a graph");
    let t = Test::new().spec(&read("examples/coverage/pipeline.kdl"));
    assert_eq!(t.run(&["graph"]).code(0).stdout, shown);
}

#[test]
fn every_spec_in_the_pin_page_behaves_as_documented() {
    assert!(check_specs("docs/pin.md") >= 2);
}

#[test]
fn the_pin_page_shows_the_update_workflow_of_its_example() {
    let example = read("examples/pin-updates/pipeline.kdl");
    let (_, shown, _) = blocks(&read("docs/pin.md"))
        .into_iter()
        .find(|(info, body, _)| info == "kdl" && body.contains("workflow \"pin-update\""))
        .expect("docs/pin.md shows the update workflow");
    assert!(example.contains(&shown), "docs/pin.md and examples/pin-updates disagree");
}

#[test]
fn every_spec_in_the_gitlab_page_behaves_as_documented() {
    assert!(check_specs("docs/gitlab.md") >= 1);
}

#[test]
fn the_gitlab_page_shows_what_the_first_spec_becomes() {
    let page = read("docs/gitlab.md");
    let all = blocks(&page);
    let (_, spec, _) = all.iter().find(|(info, _, _)| info == "kdl").expect("a spec");
    let (_, yaml, _) = all.iter().find(|(info, _, _)| info == "yaml").expect("its output");
    let rendered = Test::new().spec(spec).run(&["render"]).code(0).stdout;
    let body: String = rendered.split_inclusive('\n').skip(3).collect();
    assert_eq!(&body, yaml);
}

#[test]
fn the_gitlab_page_lists_every_refusal_with_its_help() {
    let page = read("docs/gitlab.md");
    for (construct, help) in cigen::target::gitlab::UNSUPPORTED {
        let row = format!("| {} | {} |", construct.describe(), help.replace('|', "\\|"));
        assert!(page.contains(&row), "docs/gitlab.md lacks the row\n{row}");
    }
}

#[test]
fn the_import_page_reports_the_current_share_of_the_corpus() {
    let summary = read("snapshots/import_summary.snap");
    for figure in ["files import exactly", "artifact uploads in them"] {
        let share = summary.lines().find(|l| l.contains(figure)).expect("a share");
        assert!(read("docs/import.md").contains(share), "docs/import.md does not say `{share}`");
    }
}

/// The field names of the table under `### heading` in `markdown`.
fn documented_fields(markdown: &str, heading: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut inside = false;
    for line in markdown.lines() {
        if let Some(title) = line.strip_prefix("### ") {
            inside = title == heading;
            continue;
        }
        if inside && let Some(rest) = line.strip_prefix("| `") {
            fields.extend(rest.split('`').next().map(str::to_owned));
        }
    }
    fields
}

/// Every field the templates see is documented in docs/templates.md: the
/// render context of every spec of the repository, workflow, job and step
/// (and their GitLab forms), holds no field the tables lack.
#[test]
fn the_template_docs_list_every_field_of_the_render_context() {
    use cigen::target::Target;
    let page = read("docs/templates.md");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut specs = vec![root.join("pipeline.kdl")];
    for dir in ["examples", "tests/fixtures/valid", "tests/fixtures/beyond-schema"] {
        let mut stack = vec![root.join(dir)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("a folder") {
                let path = entry.expect("an entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "kdl") {
                    specs.push(path);
                }
            }
        }
    }
    let mut missing = std::collections::BTreeSet::new();
    let mut check = |value: &serde_json::Value, heading: &str| {
        let documented = documented_fields(&page, heading);
        for key in value.as_object().into_iter().flat_map(|m| m.keys()) {
            if !documented.contains(key) {
                missing.insert(format!("{heading}: `{key}`"));
            }
        }
    };
    for spec in specs {
        let text = std::fs::read_to_string(&spec).expect("a spec");
        let source = cigen::source::Source::new("pipeline.kdl", text);
        let Ok(pipeline) = cigen::check_spec(&source, "pipeline.kdl") else { continue };
        for workflow in pipeline.workflows {
            let gitlab = workflow.target == Target::Gitlab;
            let plan = cigen::plan::Plan::new(workflow);
            let lowered = cigen::target::lower(plan, &pipeline.actions);
            let json = |v: minijinja::Value| serde_json::to_value(v).expect("JSON");
            let (workflow, job, step) = if gitlab {
                ("workflow (GitLab)", "GitLab job", "")
            } else {
                ("workflow", "job", "step")
            };
            check(&json(lowered.header()), workflow);
            for index in 0..lowered.job_count() {
                let job_value = json(lowered.job(index));
                check(&job_value, job);
                for s in job_value.get("steps").and_then(|s| s.as_array()).into_iter().flatten() {
                    check(s, step);
                }
            }
        }
    }
    assert!(missing.is_empty(), "docs/templates.md lacks the fields:\n{missing:#?}");
}
