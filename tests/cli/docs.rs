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
    let share = summary.lines().find(|l| l.contains("files import exactly")).expect("a share");
    assert!(read("docs/import.md").contains(share), "docs/import.md does not say `{share}`");
}
