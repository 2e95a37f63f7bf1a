//! Property tests over the whole pipeline (parse → validate → plan → render).
//!
//! - Odd strings in every string field come back exactly from the rendered
//!   YAML, parsed with serde-saphyr (an `if` holds one as a string literal,
//!   a branch filter one that is a valid pattern).
//! - Random KDL documents built from cigen's vocabulary, and random bytes,
//!   never panic: they give YAML that parses, or diagnostics that render.
//! - Random expressions, whole and broken, in every field whose
//!   expressions are checked give YAML or diagnostics whose labels lie on
//!   the spec's characters.

use std::sync::LazyLock;

use cigen::render::{Renderer, TemplateSource};
use cigen::source::Source;
use proptest::prelude::*;
use serde_json::Value;

static RENDERER: LazyLock<Renderer> = LazyLock::new(|| Renderer::new(TemplateSource::default()));

fn compile(text: &str) -> Result<Vec<cigen::Output>, cigen::Failure> {
    cigen::compile(&Source::new("pipeline.kdl", text), "pipeline.kdl", &RENDERER)
}

/// A KDL v2 quoted string holding exactly `s`.
fn kdl(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_ascii_graphic() || c == ' ' => out.push(c),
            c => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
        }
    }
    out.push('"');
    out
}

/// Strings that trip YAML, mixed with arbitrary ones.
fn odd() -> impl Strategy<Value = String> {
    let traps = prop::sample::select(vec![
        "on",
        "yes",
        "No",
        "off",
        "y",
        "3.10",
        "0777",
        "0x1F",
        "1e3",
        "~",
        "null",
        "2024-01-01",
        "12:30",
        "*",
        "&a",
        "!tag",
        "%x",
        "@x",
        "`x",
        "|",
        ">",
        "- x",
        "? x",
        "a: b",
        "a #b",
        "'q'",
        "\"q\"",
        "back\\slash",
        " lead",
        "trail ",
        "\ttab",
        "cr\rx",
        "a\u{2028}b",
        "a\u{2029}b",
        "nel\u{85}x",
        "bom\u{feff}",
        "bell\u{7}",
        "🚀",
        "{{ x }}",
        "{% if %}",
        "${{ github.sha }}",
        "{a}",
        "[a]",
        "a, b",
        "---",
        "...",
        ".inf",
        "+1",
        "<<",
        "=",
        "#",
    ])
    .prop_map(str::to_owned);
    let mixed = "[ a-z0-9:#'\"\\\\{}%*&!|>@`~,\\[\\]\t\r\u{85}\u{2028}\u{a0}é🚀-]{1,24}";
    prop_oneof![traps, any::<String>(), mixed]
        .prop_filter("cigen refuses blank values", |s| !s.trim().is_empty())
        .prop_filter("templates are checked elsewhere", |s| templates_parse(s))
}

/// Whether every `${{ … }}` of `s` is closed and parses: the expression
/// checks refuse the others (their own properties are below).
fn templates_parse(s: &str) -> bool {
    cigen::expr::split(s).is_ok_and(|segments| {
        segments.into_iter().all(|segment| match segment {
            cigen::expr::Segment::Expression { inner, .. } => cigen::expr::parse(&s[inner]).is_ok(),
            cigen::expr::Segment::Literal { .. } => true,
        })
    })
}

/// Multi-line scripts: indented or not, with 0 to 3 trailing newlines,
/// and no `${{` (an unterminated one is refused; expressions have their
/// own properties).
fn script() -> impl Strategy<Value = String> {
    (prop::collection::vec("[ a-z#:\"'{}$\t-]{0,12}", 2..5), 0usize..4, "[ ]{0,3}").prop_map(
        |(lines, trailing, indent)| {
            let script = format!("{indent}x{}{}", lines.join("\n"), "\n".repeat(trailing));
            script.replace("${{", "${ {")
        },
    )
}

/// An odd branch pattern: what a Git ref name and a pattern may hold.
fn branch() -> impl Strategy<Value = String> {
    odd().prop_map(|s| {
        let kept: String = s.chars().filter(|c| !" \t~^:\\\r\n[]?+!".contains(*c)).collect();
        let kept = kept.trim_start_matches('/').trim_end_matches(['/', '.']);
        if kept.trim().is_empty() { "x".to_owned() } else { kept.to_owned() }
    })
}

/// An `if` that is an odd string literal: `'text'`, with `''` for a quote.
fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn path() -> impl Strategy<Value = String> {
    odd().prop_filter("paths are one per line", |s| !s.contains(['\n', '\r']))
}

#[derive(Debug)]
struct Fields {
    workflow: String,
    job: String,
    step: String,
    one_line: String,
    lines: String,
    env: String,
    with: String,
    condition: String,
    branch: String,
    paths: Vec<String>,
}

fn fields() -> impl Strategy<Value = Fields> {
    (
        (odd(), odd(), odd(), odd(), script()),
        (
            odd(),
            odd(),
            odd().prop_filter("a literal holds no template", |s| !s.contains("${{")),
            branch(),
            prop::collection::vec(path(), 1..3),
        ),
    )
        .prop_map(
            |((workflow, job, step, one_line, lines), (env, with, condition, branch, paths))| {
                Fields { workflow, job, step, one_line, lines, env, with, condition, branch, paths }
            },
        )
}

fn spec(f: &Fields) -> String {
    let paths: Vec<String> = f.paths.iter().map(|p| kdl(p)).collect();
    format!(
        r#"workflow "odd" {{
    name {workflow}
    on {{ push {{ branches {branch} }} }}
    env VALUE={env}
    job "producer" {{
        name {job}
        if {condition}
        run {one_line} name={step}
        run {lines}
        uses "actions/example@v1" {{ with input={with} }}
    }}
    job "consumer" {{ run "ls" }}
    artifact "files" from="producer" to="consumer" {{ path {paths} }}
}}
"#,
        workflow = kdl(&f.workflow),
        branch = kdl(&f.branch),
        env = kdl(&f.env),
        job = kdl(&f.job),
        condition = kdl(&literal(&f.condition)),
        one_line = kdl(&f.one_line),
        step = kdl(&f.step),
        lines = kdl(&f.lines),
        with = kdl(&f.with),
        paths = paths.join(" "),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_string_field_survives_exactly(f in fields()) {
        let text = spec(&f);
        let outputs = compile(&text).unwrap_or_else(|e| panic!("{text}\n{e:?}"));
        let yaml: Value = serde_saphyr::from_str(&outputs[0].text)
            .unwrap_or_else(|e| panic!("{}\n{e}", outputs[0].text));
        let producer = &yaml["jobs"]["producer"];
        let steps = &producer["steps"];
        prop_assert_eq!(&yaml["name"], &Value::from(f.workflow.clone()));
        prop_assert_eq!(&yaml["on"]["push"]["branches"][0], &Value::from(f.branch.clone()));
        prop_assert_eq!(&yaml["env"]["VALUE"], &Value::from(f.env.clone()));
        prop_assert_eq!(&producer["name"], &Value::from(f.job.clone()));
        prop_assert_eq!(&producer["if"], &Value::from(literal(&f.condition)));
        prop_assert_eq!(&steps[1]["name"], &Value::from(f.step.clone()));
        prop_assert_eq!(&steps[1]["run"], &Value::from(f.one_line.clone()));
        prop_assert_eq!(&steps[2]["run"], &Value::from(f.lines.clone()));
        prop_assert_eq!(&steps[3]["with"]["input"], &Value::from(f.with.clone()));
        prop_assert_eq!(&steps[4]["with"]["path"], &Value::from(f.paths.join("\n")));
    }
}

/// A random KDL node from cigen's vocabulary (and some noise).
fn node(depth: u32) -> BoxedStrategy<String> {
    let names = prop::sample::select(vec![
        "workflow",
        "job",
        "run",
        "uses",
        "artifact",
        "needs",
        "on",
        "push",
        "pull_request",
        "schedule",
        "branches",
        "env",
        "with",
        "name",
        "target",
        "file",
        "runs-on",
        "timeout-minutes",
        "if",
        "checkout",
        "permissions",
        "concurrency",
        "container",
        "defaults",
        "actions",
        "path",
        "to",
        "from",
        "environment",
        "continue-on-error",
        "volumes",
        "matrix",
        "outputs",
        "allow",
        "template",
        "steps",
        "raw",
        "bogus",
    ]);
    let value = prop_oneof![
        prop::sample::select(vec![
            "\"ci\"",
            "\"a\"",
            "\"b\"",
            "\"github\"",
            "\"forgejo\"",
            "\"gitlab\"",
            "\"x@v1\"",
            "\"../x.yml\"",
            "\".coverage\"",
            "#true",
            "#false",
            "#null",
            "0",
            "-1",
            "30",
            "3.10",
            "\"\"",
            "\"read\"",
            "\"0 3 * * *\"",
            "\"${{ matrix.a }}\"",
            "\"${{ needs.b.outputs.c }}\"",
            "\"${{ x\"",
            "\"unpinned-action\"",
        ])
        .prop_map(str::to_owned),
        "[a-z.]{1,6}".prop_map(|s| kdl(&s)),
    ];
    let props = prop::sample::select(vec![
        "from",
        "to",
        "path",
        "name",
        "id",
        "if",
        "group",
        "retention-days",
        "hidden",
        "into",
        "if-missing",
        "shell",
        "cancel-in-progress",
        "contents",
        "fetch-depth",
        "K",
    ]);
    let entries = prop::collection::vec(
        prop_oneof![value.clone(), (props, value).prop_map(|(k, v)| format!("{k}={v}"))],
        0..4,
    );
    // Sometimes annotated, as data nodes are: `(list)name`.
    let names = (prop::sample::select(vec!["", "", "", "(list)", "(map)", "(x)"]), names)
        .prop_map(|(ty, name)| format!("{ty}{name}"));
    let leaf = (names.clone(), entries.clone())
        .prop_map(|(name, entries)| format!("{name} {}", entries.join(" ")));
    if depth == 0 {
        return leaf.boxed();
    }
    let children = prop::collection::vec(node(depth - 1), 0..5);
    prop_oneof![
        leaf,
        (names, entries, children).prop_map(|(name, entries, children)| {
            format!("{name} {} {{\n{}\n}}", entries.join(" "), children.join("\n"))
        }),
    ]
    .boxed()
}

fn assert_total(text: &str) {
    match compile(text) {
        Ok(outputs) => {
            for output in outputs {
                let parsed: Result<Value, _> = serde_saphyr::from_str(&output.text);
                assert!(parsed.is_ok(), "{text}\n---\n{}", output.text);
            }
        }
        Err(cigen::Failure::Spec(diagnostics)) => {
            assert!(!diagnostics.is_empty(), "an error without diagnostics for\n{text}");
            let handler = miette::GraphicalReportHandler::new_themed(
                miette::GraphicalTheme::unicode_nocolor(),
            );
            for diagnostic in &diagnostics.0 {
                let mut out = String::new();
                handler.render_report(&mut out, diagnostic).expect("renders");
            }
        }
        Err(cigen::Failure::Template(e)) => panic!("the built-in templates failed: {e:?}\n{text}"),
    }
}

/// Text made of the expression language's pieces, whole and broken:
/// templates, contexts the spec declares or not, calls, operators.
fn expression() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "${{ ",
        " }}",
        "}",
        "matrix.",
        "needs.",
        "steps.",
        "inputs.",
        "secrets.",
        "jobs.",
        "github.",
        "env.",
        "Matrix.",
        "a",
        "b",
        "build",
        "outputs.",
        "result",
        "o",
        "(",
        ")",
        "'",
        ",",
        " == ",
        " && ",
        " || ",
        "!",
        "[",
        "]",
        "['a']",
        ".*",
        "contains(",
        "hashFiles(",
        "success()",
        "toJSON(",
        "case(",
        "x(",
        "1",
        "-2.5",
        "\\",
        "é",
        "\n",
        "\t",
        " ",
    ]);
    prop::collection::vec(piece, 0..12).prop_map(|pieces| pieces.concat())
}

/// A spec with `e` in every field whose expressions are checked, on `target`.
fn expression_spec(target: &str, e: &[String]) -> String {
    let at = |i: usize| kdl(e.get(i).map_or("x", String::as_str));
    format!(
        r#"workflow "w" {{
    target "{target}"
    on {{ push {{ branches {b} }}; workflow_dispatch {{ input "a" }}; schedule {cron} }}
    env A={e0}
    concurrency group={e1}
    job "build" {{
        outputs o={e2}
        run {e3} id="a"
    }}
    job "t" {{
        needs "build"
        name {e4}
        if {e5}
        runs-on {e6}
        matrix {{ a "1" {e7} }}
        environment "x" url={e8}
        container {e9} {{ env C={e10} }}
        run {e11} if={e12} {{ env B={e13} }}
        uses "x/y@v1" {{ with k={e14} }}
    }}
    artifact "d" from="build" to="t" path={e15}
}}
"#,
        b = at(16),
        cron = at(17),
        e0 = at(0),
        e1 = at(1),
        e2 = at(2),
        e3 = at(3),
        e4 = at(4),
        e5 = at(5),
        e6 = at(6),
        e7 = at(7),
        e8 = at(8),
        e9 = at(9),
        e10 = at(10),
        e11 = at(11),
        e12 = at(12),
        e13 = at(13),
        e14 = at(14),
        e15 = at(15),
    )
}

/// `text` compiles to YAML, or to diagnostics whose every label lies
/// within the text, on character boundaries, and which render.
fn assert_located(text: &str) {
    if let Err(cigen::Failure::Spec(diagnostics)) = compile(text) {
        for diagnostic in &diagnostics.0 {
            for label in miette::Diagnostic::labels(diagnostic).into_iter().flatten() {
                let (start, end) = (label.offset(), label.offset() + label.len());
                assert!(end <= text.len(), "a label past the end: {start}..{end}\n{text}");
                assert!(
                    text.is_char_boundary(start) && text.is_char_boundary(end),
                    "a label inside a character: {start}..{end}\n{text}"
                );
            }
        }
    }
    assert_total(text);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn expressions_in_every_field_give_yaml_or_located_diagnostics(
        target in prop::sample::select(vec!["github", "forgejo", "gitlab"]),
        fields in prop::collection::vec(expression(), 18),
    ) {
        assert_located(&expression_spec(target, &fields));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn random_documents_give_yaml_or_diagnostics(nodes in prop::collection::vec(node(3), 0..4)) {
        assert_total(&nodes.join("\n"));
    }

    #[test]
    fn random_text_gives_yaml_or_diagnostics(bytes in any::<Vec<u8>>()) {
        assert_total(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn mangled_examples_give_yaml_or_diagnostics(cut in 0usize..2000, insert in "[{}\"#=;\\\\ a-z\n]{0,3}") {
        let example = include_str!("../examples/coverage/pipeline.kdl");
        let at = example.char_indices().map(|(i, _)| i).nth(cut % example.chars().count()).unwrap_or(0);
        let mangled = format!("{}{insert}{}", &example[..at], &example[at..]);
        assert_total(&mangled);
    }
}

#[test]
fn the_kdl_encoder_round_trips() {
    let doc: kdl::KdlDocument =
        format!("n {}", kdl("a\"b\\c\nd\u{0}\u{2028}🚀")).parse().expect("valid KDL");
    assert_eq!(doc.nodes()[0].entries()[0].value().as_string(), Some("a\"b\\c\nd\u{0}\u{2028}🚀"));
}

/// Where the fast reader answers, it reads exactly what the `kdl` crate reads.
fn assert_same_reading(text: &str) -> bool {
    let Some(fast) = cigen::parse::fast::parse(text) else { return false };
    let reference = kdl::KdlDocument::parse_v2(text)
        .unwrap_or_else(|e| panic!("the fast reader accepted what kdl refuses: {e:?}\n{text}"));
    let reference = cigen::parse::tree::from_kdl(&reference);
    assert_eq!(fast, reference, "{text}");
    // Streamed child by child, the nodes are the same too.
    let mut streamed = Streamed::default();
    assert!(cigen::parse::fast::stream(text, &mut streamed).is_some(), "{text}");
    assert_eq!(streamed.nodes, reference, "streamed: {text}");
    true
}

/// Receives every top-level node with a block child by child, and puts the
/// nodes back together.
#[derive(Default)]
struct Streamed {
    nodes: Vec<cigen::parse::tree::Node>,
    open: Option<(cigen::parse::tree::Node, Vec<cigen::parse::tree::Node>)>,
}

impl cigen::parse::fast::Visitor for Streamed {
    fn stream(&mut self, head: &cigen::parse::tree::Node) -> bool {
        self.open = Some((head.clone(), Vec::new()));
        true
    }

    fn node(&mut self, node: cigen::parse::tree::Node) {
        self.nodes.push(node);
    }

    fn child(&mut self, child: cigen::parse::tree::Node) {
        self.open.as_mut().expect("a streamed node").1.push(child);
    }

    fn end(&mut self) {
        let (mut node, children) = self.open.take().expect("a streamed node");
        node.set_children(children);
        self.nodes.push(node);
    }
}

fn spec_files(dir: &std::path::Path, into: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a readable folder") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            spec_files(&path, into);
        } else if path.extension().is_some_and(|e| e == "kdl") {
            into.push(path);
        }
    }
}

#[test]
fn the_fast_reader_reads_every_spec_of_the_repository_as_kdl_does() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("pipeline.kdl")];
    spec_files(&root.join("examples"), &mut files);
    spec_files(&root.join("tests/fixtures"), &mut files);
    spec_files(&root.join("templates"), &mut files);
    let mut answered = 0;
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else { continue };
        let valid = !file.to_string_lossy().contains("invalid");
        let fast = assert_same_reading(&text);
        // Every valid spec of the repository takes the fast path.
        assert!(fast || !valid, "the fast reader gave up on {}", file.display());
        answered += usize::from(fast);
    }
    assert!(answered > 20);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn the_fast_reader_agrees_with_kdl_on_random_documents(nodes in prop::collection::vec(node(3), 0..4)) {
        assert_same_reading(&nodes.join("\n"));
    }

    #[test]
    fn the_fast_reader_agrees_with_kdl_on_mangled_specs(cut in 0usize..4000, insert in "[{}\"#=;\\\\/*\\- a-z0-9.\r\n\t]{0,4}") {
        for example in [
            include_str!("../examples/coverage/pipeline.kdl"),
            include_str!("fixtures/valid/yaml-traps.kdl"),
            include_str!("fixtures/valid/workflow-settings.kdl"),
        ] {
            let at = example.char_indices().map(|(i, _)| i).nth(cut % example.chars().count()).unwrap_or(0);
            assert_same_reading(&format!("{}{insert}{}", &example[..at], &example[at..]));
        }
    }

    #[test]
    fn the_fast_reader_agrees_with_kdl_on_odd_strings(s in odd(), t in "[ -~\t\n]{0,30}") {
        assert_same_reading(&format!("n {} k={}\nm \"\"\"\n  {}\n  \"\"\"\n", kdl(&s), kdl(&t), t.replace('\n', "\n  ")));
    }
}

#[test]
fn the_fast_reader_answers_plain_kdl_and_leaves_the_rest_to_kdl() {
    let answered = [
        "a",
        "a; b; c",
        "a 1 -2 1_000 1.5 -0.25 1_0.5_0 #true #false #null",
        "a bare k=v \"quoted key\"=\"x\" k2=#null",
        "\"quoted name\" x",
        "a \"esc \\\" \\\\ \\n \\r \\t \\b \\f \\s \\u{1F680} \\u{0}\"",
        "a {\n  b { c; }\n  d\n}\n",
        "a { b } ; c {}",
        "a /* c /* nested */ c */ x // end\n// line\nb",
        "a \\\n  x \\ // continued\n  y",
        "a\r\nb x\r\n",
        "a \"\"\"\n    one\n\n      two\n    \"\"\"",
        "a \"\"\"\n\tx\n\t\"\"\"",
        "a - + . -x .x ~ ! $ % ^ & * | < > ? : @ ' , `",
        "(t)a x { (list)b; }",
        "a{",
    ];
    for text in &answered[..answered.len() - 1] {
        assert!(assert_same_reading(text), "the fast reader gave up on {text:?}");
    }
    let left_to_kdl = [
        "( t)a",
        "(\"t\")a",
        "(t) a",
        "a (u8)1",
        "a #\"raw\"#",
        "/- a\nb",
        "a /- x",
        "a 0x10 0o7 0b1",
        "a 1e3",
        "a #inf #nan",
        "a \"\\\n  continued\"",
        "a \"\"\"\n  x\\n\n  \"\"\"",
        "a\u{a0}b",
        "\u{feff}a",
        "a{}",
        "a \"x\"{ b }",
        "a true",
        "1a",
        "a 1.",
        "a k = v",
        "a \"unclosed",
        "a }",
        "a \"\"\"\n  x\n    \"\"\"",
    ];
    for text in left_to_kdl.iter().chain(answered.last()) {
        assert!(cigen::parse::fast::parse(text).is_none() || assert_same_reading(text), "{text:?}");
        assert!(cigen::parse::fast::parse(text).is_none(), "the fast reader answered {text:?}");
    }
}
