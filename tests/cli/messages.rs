//! How mistakes read: ranges and lists in words, suggestions only when
//! close, and a count at the end.

use crate::{COVERAGE, Test};

#[test]
fn ranges_are_in_words() {
    Test::new()
        .spec(&COVERAGE.replace("timeout-minutes 30", "timeout-minutes 0"))
        .run(&["render"])
        .code(2)
        .stderr_has("0 is not between 1 and 10,080")
        .stderr_has("`timeout-minutes` takes a whole number from 1 to 10,080")
        .stderr_lacks("..=");
}

#[test]
fn lists_are_in_words() {
    let spec = COVERAGE.replace("to=\"coverage\"", "to=\"report\"");
    Test::new()
        .spec(&spec)
        .run(&["render"])
        .code(2)
        .stderr_has("the jobs are `lint`, `unit_tests` and `coverage`");
    Test::new()
        .spec(COVERAGE)
        .run(&["render", "nightly"])
        .code(2)
        .stderr_has("expected one of `ci`")
        .stderr_lacks("did you mean");
}

#[test]
fn did_you_mean_only_when_the_candidate_is_close() {
    let spec = "workflow \"ci\" {\n    on { push }\n    job \"a\" { run \"x\" }\n    job \"b\" { run \"y\" }\n    artifact \"x\" path=\"x\" from=\"a\" to=\"c\"\n}\n";
    Test::new()
        .spec(spec)
        .run(&["render"])
        .code(2)
        .stderr_has("the jobs are `a` and `b`")
        .stderr_lacks("did you mean");
    Test::new()
        .spec(&COVERAGE.replace("to=\"coverage\"", "to=\"covrage\""))
        .run(&["render"])
        .code(2)
        .stderr_has("did you mean `coverage`?");
    Test::new()
        .spec(&COVERAGE.replace(
            "job \"lint\"",
            "job \"lint\" {\n        nedes \"x\"\n    }\n    job \"lint2\"",
        ))
        .run(&["render"])
        .code(2)
        .stderr_has("did you mean `needs`?");
}

#[test]
fn several_mistakes_end_with_their_count() {
    let spec = COVERAGE
        .replace("timeout-minutes 30", "timeout-minutes 0")
        .replace("to=\"coverage\"", "to=\"report\"")
        .replace("retention-days=1", "retention-days=91");
    let run = Test::new().spec(&spec).run(&["gen"]).code(2);
    assert!(run.stderr.trim_end().ends_with("\n\n3 errors"), "{}", run.stderr);
    let one =
        Test::new().spec(&COVERAGE.replace("to=\"coverage\"", "to=\"report\"")).run(&["check"]);
    let one = one.code(2);
    assert!(!one.stderr.contains(" errors") && !one.stderr.contains("1 error"), "{}", one.stderr);
}
