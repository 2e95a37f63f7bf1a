//! Habits from YAML and the shell: each is one diagnostic, at its own line,
//! with the KDL to write, whether or not the KDL parses.

use crate::Test;

/// Runs `gen` on `spec` and returns its stderr, after checking that it
/// failed with exactly one diagnostic and wrote nothing.
fn one_diagnostic(spec: &str) -> String {
    let t = Test::new().spec(spec);
    let run = t.run(&["gen"]).code(2);
    assert_eq!(
        run.stderr.matches("\ncigen::").count() + usize::from(run.stderr.starts_with("cigen::")),
        1,
        "{}",
        run.stderr
    );
    assert!(!t.exists(".forgejo"));
    run.stderr
}

const LINT: &str = "    job \"lint\" { run \"make lint\" }\n";

#[test]
fn a_yaml_list_is_one_diagnostic_at_its_line() {
    let spec = format!(
        "workflow \"ci\" {{\n    on {{\n        push {{ branches: [main] }}\n    }}\n{LINT}}}\n"
    );
    let stderr = one_diagnostic(&spec);
    assert!(stderr.contains("`branches: [main]` is YAML, not KDL"), "{stderr}");
    assert!(stderr.contains("pipeline.kdl:3:16"), "{stderr}");
    assert!(
        stderr.contains("help: KDL lists a node's values as its arguments: `branches \"main\"`"),
        "{stderr}"
    );
}

#[test]
fn a_yaml_key_and_value_is_one_diagnostic_at_its_line() {
    let spec =
        format!("workflow \"ci\" {{\n    on {{ push }}\n    timeout-minutes: 10\n{LINT}}}\n");
    let stderr = one_diagnostic(&spec);
    assert!(stderr.contains("`timeout-minutes:` is YAML, not KDL"), "{stderr}");
    assert!(stderr.contains("pipeline.kdl:3:5"), "{stderr}");
    assert!(stderr.contains("`timeout-minutes 10`"), "{stderr}");
}

#[test]
fn a_hash_comment_is_one_diagnostic_at_its_line() {
    let spec = format!("workflow \"ci\" {{\n    on {{ push }}\n    # don't {{ forget\n{LINT}}}\n");
    let stderr = one_diagnostic(&spec);
    assert!(stderr.contains("`#` does not start a comment in KDL"), "{stderr}");
    assert!(stderr.contains("pipeline.kdl:3:5"), "{stderr}");
    assert!(stderr.contains("write `// don't { forget`"), "{stderr}");
}

#[test]
fn an_unquoted_script_is_one_diagnostic_at_its_line() {
    for (script, line) in [("ruff check .", "4:13"), ("pytest -x tests/unit", "4:13")] {
        let spec = format!(
            "workflow \"ci\" {{\n    on {{ push }}\n    job \"lint\" {{\n        run {script}\n    }}\n}}\n"
        );
        let stderr = one_diagnostic(&spec);
        assert!(stderr.contains("the script of `run` is not quoted"), "{stderr}");
        assert!(stderr.contains(&format!("pipeline.kdl:{line}")), "{stderr}");
        assert!(stderr.contains(&format!("`run \"{script}\"`")), "{stderr}");
    }
}

#[test]
fn an_unclosed_block_is_reported_at_the_block_its_indentation_ends() {
    let spec = "workflow \"ci\" {\n    on { push }\n    job \"lint\" {\n        run \"make lint\"\n    job \"test\" {\n        run \"make test\"\n    }\n}\n";
    let stderr = one_diagnostic(spec);
    assert!(stderr.contains("the block of `job \"lint\"` is not closed"), "{stderr}");
    assert!(stderr.contains("pipeline.kdl:3:16"), "{stderr}");
    assert!(stderr.contains("add `}` on the line before line 5"), "{stderr}");
    assert!(!stderr.contains("workflow \"ci\"` is not closed"), "{stderr}");
}

#[test]
fn a_missing_semicolon_is_one_diagnostic_at_the_second_node() {
    let spec = format!(
        "workflow \"ci\" {{\n    on {{ push {{ branches \"main\" }} pull_request }}\n{LINT}}}\n"
    );
    let stderr = one_diagnostic(&spec);
    assert!(stderr.contains("missing `;` between two nodes on one line"), "{stderr}");
    assert!(stderr.contains("pipeline.kdl:2:35"), "{stderr}");
    let spec = "workflow \"ci\" {\n    on { push }\n    job \"lint\" { run \"make lint\" run \"make test\" }\n}\n";
    let stderr = one_diagnostic(spec);
    assert!(stderr.contains("`run \"make lint\"; run \"make test\"`"), "{stderr}");
}

#[test]
fn other_syntax_errors_keep_the_kdl_parsers_messages() {
    let spec = "workflow \"ci\" {\n    on { push }\n    job \"lint\" { run \"make \\q\" }\n}\n";
    Test::new().spec(spec).run(&["gen"]).code(2).stderr_has("cigen::syntax");
}
