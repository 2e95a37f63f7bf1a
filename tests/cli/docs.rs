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

#[test]
fn the_readmes_quick_start_run_as_written_ends_with_check_passing() {
    let readme = read("README.md");
    let after = &readme[readme.find("## Quick start").expect("a quick start")..];
    let (_, script, _) = blocks(after)
        .into_iter()
        .find(|(info, _, _)| info == "sh")
        .expect("the quick start's commands");
    let commands: Vec<&str> =
        script.lines().map(|l| l.split(" #").next().unwrap_or(l).trim()).collect();
    assert!(commands.first().is_some_and(|c| c.starts_with("cigen init")), "{script}");
    assert!(commands.last().is_some_and(|c| c.starts_with("cigen check")), "{script}");
    assert!(commands.len() <= 5, "five lines at most:\n{script}");

    // An empty folder, in a fresh repository, with cigen on the PATH and
    // an editor that keeps the starter as it is.
    let t = Test::new();
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .current_dir(t.root())
            .output()
            .expect("git runs")
    };
    assert!(git(&["init", "-q"]).status.success());
    let bin = Path::new(env!("CARGO_BIN_EXE_cigen")).parent().expect("a folder");
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let output = std::process::Command::new("sh")
        .args(["-e", "-c", &script])
        .current_dir(t.root())
        .env("PATH", path)
        .env("EDITOR", "true")
        .env("NO_COLOR", "1")
        .envs([
            ("GIT_AUTHOR_NAME", "a"),
            ("GIT_AUTHOR_EMAIL", "a@example.org"),
            ("GIT_COMMITTER_NAME", "a"),
            ("GIT_COMMITTER_EMAIL", "a@example.org"),
        ])
        .output()
        .expect("sh runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{script}\n{stderr}");
    assert!(
        stderr.trim_end().ends_with("ok: `.forgejo/workflows/ci.yml` is up to date"),
        "{stderr}"
    );
    let committed = git(&["ls-files"]);
    assert_eq!(
        String::from_utf8_lossy(&committed.stdout),
        ".forgejo/workflows/ci.yml\npipeline.kdl\n"
    );
}

#[test]
fn the_readmes_pre_commit_hooks_name_the_hook_this_repository_defines() {
    let hooks = crate::harness::yaml(&read(".pre-commit-hooks.yaml"));
    let id = hooks[0]["id"].as_str().expect("a hook id");
    let readme = read("README.md");
    let configs: Vec<serde_json::Value> = blocks(&readme)
        .into_iter()
        .filter(|(info, body, _)| info == "yaml" && body.contains("repos:"))
        .map(|(_, body, _)| crate::harness::yaml(&body))
        .collect();
    assert_eq!(configs.len(), 2, "a local hook and the repository's hook");
    for config in &configs {
        let repo = &config["repos"][0];
        assert_eq!(repo["hooks"][0]["id"], id);
        if repo["repo"] == "local" {
            // The local hook's command passes, silently, on a current project.
            let entry = repo["hooks"][0]["entry"].as_str().expect("an entry");
            let args: Vec<&str> = entry.split_whitespace().skip(1).collect();
            let t = Test::new().spec(crate::COVERAGE);
            t.run(&["gen"]).code(0);
            let run = t.run(&args).code(0);
            assert_eq!(run.stderr, "", "`{entry}` prints nothing when all is well");
        } else {
            assert!(repo["rev"].as_str().is_some_and(|r| r.starts_with('v')), "a release tag");
        }
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
    specs.extend(crate::support::valid_specs());
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
