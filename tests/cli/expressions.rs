//! Expressions, cron lines and patterns are checked in the spec: each
//! mistake stops `gen` (exit 2) with a diagnostic at its spec line, and
//! nothing is written.

use crate::Test;

/// A workflow with `settings` and the job `build` (output `v`), and the
/// job `test` with `job`.
fn spec(settings: &str, job: &str) -> String {
    format!(
        r#"workflow "ci" {{
    on {{ push; workflow_dispatch {{ input "level" }} }}
    {settings}
    job "build" {{
        outputs v="${{{{ steps.read.outputs.v }}}}"
        run "echo v=1 >> \"$GITHUB_OUTPUT\"" id="read"
    }}
    job "test" {{
        {job}
    }}
}}
"#
    )
}

#[test]
fn each_mistake_stops_gen_at_its_spec_line() {
    let cases = [
        (
            spec("", "run \"x\"").replace("on { push;", "on { schedule \"0 4 * *\"; push;"),
            "pipeline.kdl:2:20",
            "invalid cron line `0 4 * *`: it has 4 fields",
        ),
        (
            spec("", "run \"ruff check ${{ env.DIR }\""),
            "pipeline.kdl:9:25",
            "unterminated expression",
        ),
        (
            spec(
                "",
                "matrix { python \"3.11\" \"3.12\"; }\n        run \"t ${{ matrix.pyhton }}\"",
            ),
            "pipeline.kdl:10:27",
            "did you mean `python`?",
        ),
        (
            spec("", "run \"echo ${{ needs.build.outputs.v }}\""),
            "pipeline.kdl:9:29",
            "job `test` does not need `build`",
        ),
        (
            spec("", "needs \"build\"\n        run \"echo ${{ needs.build.outputs.w }}\""),
            "pipeline.kdl:10:43",
            "job `build` has no output `w`",
        ),
        (spec("", "run \"echo ${{ steps.nope.outputs.x }}\""), "pipeline.kdl:9:29", "`steps.nope`"),
        (
            spec("", "run \"echo ${{ inputs.levle }}\""),
            "pipeline.kdl:9:30",
            "did you mean `level`?",
        ),
        (spec("", "run \"echo ${{ githb.sha }}\""), "pipeline.kdl:9:23", "did you mean `github`?"),
        (
            spec("", "if \"contain(github.ref, 'main')\"\n        run \"x\""),
            "pipeline.kdl:9:13",
            "did you mean `contains`?",
        ),
        (
            spec("", "if \"startsWith(github.ref)\"\n        run \"x\""),
            "pipeline.kdl:9:13",
            "`startsWith` takes 2 arguments, found 1",
        ),
        (
            spec("env W=\"${{ matrix.os }}\"", "run \"x\""),
            "pipeline.kdl:3:16",
            "the `matrix` context is not available in `env.W`",
        ),
        (
            spec("", "if \"secrets.TOKEN != ''\"\n        run \"x\""),
            "pipeline.kdl:9:13",
            "the `secrets` context is not available in `if`",
        ),
    ];
    for (text, at, message) in cases {
        let t = Test::new().spec(&text);
        let run = t.run(&["gen"]).code(2).stderr_has(at).stderr_has(message);
        assert!(!t.exists(".forgejo"), "nothing is written:\n{}", run.stderr);
    }
}

#[test]
fn the_same_spec_without_its_mistakes_generates() {
    let text = spec("", "needs \"build\"\n        run \"echo ${{ needs.build.outputs.v }}\"");
    let t = Test::new().spec(&text);
    t.run(&["gen"]).code(0);
    assert!(t.exists(".forgejo/workflows/ci.yml"));
}
