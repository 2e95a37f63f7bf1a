//! Help, completions and the manual page: every command has the same help
//! layout, the project options are offered only where they mean something,
//! and the manual has a man page's sections and names no missing page.

use crate::Test;

/// Every command, as typed after `cigen`.
const COMMANDS: &[&str] = &[
    "gen",
    "check",
    "render",
    "graph",
    "init",
    "import",
    "pin",
    "templates",
    "templates export",
    "completions",
    "man",
];

/// Commands that read or write a spec, and so take the project options.
const PROJECT_COMMANDS: &[&str] = &["gen", "check", "render", "graph", "init", "import", "pin"];

fn help(command: &str, flag: &str) -> String {
    let mut args: Vec<&str> = command.split(' ').filter(|a| !a.is_empty()).collect();
    args.push(flag);
    Test::new().run(&args).code(0).stdout
}

/// The headings of a help text, in order.
fn headings(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| !l.starts_with(' ') && (l.ends_with(':') || l.starts_with("Usage:")))
        .map(|l| l.split_inclusive(':').next().unwrap_or(l))
        .collect()
}

#[test]
fn every_command_uses_the_same_help_layout() {
    for command in COMMANDS.iter().copied().chain([""]) {
        let long = help(command, "--help");
        let short = help(command, "-h");
        // A summary line, a description, then the usage.
        let mut lines = long.lines();
        assert!(!lines.next().unwrap_or_default().is_empty(), "`{command} --help`:\n{long}");
        assert_eq!(lines.next(), Some(""), "`{command} --help`:\n{long}");
        assert!(
            !lines.next().unwrap_or_default().starts_with("Usage:"),
            "`{command} --help` describes the command:\n{long}"
        );
        // In full, each option's help is on its own line, after a blank one.
        assert!(
            long.contains("  -h, --help\n          Print help (see a summary with '-h')"),
            "`{command} --help`:\n{long}"
        );
        assert!(
            short.contains("  -h, --help") && short.contains("Print help (see more with '--help')"),
            "`{command} -h`:\n{short}"
        );
        let expected: &[&str] = match command {
            "" | "templates" => &["Usage:", "Commands:", "Options:"],
            c if PROJECT_COMMANDS.contains(&c) => &["Usage:", "Options:", "Project options:"],
            _ => &["Usage:", "Options:"],
        };
        let found: Vec<&str> = headings(&long).into_iter().filter(|h| *h != "Arguments:").collect();
        let found: Vec<&str> = if command.is_empty() {
            found.into_iter().filter(|h| *h != "Project options:").collect()
        } else {
            found
        };
        assert_eq!(found, expected, "`{command} --help`:\n{long}");
    }
}

#[test]
fn project_options_are_offered_only_by_commands_that_read_a_spec() {
    for command in PROJECT_COMMANDS {
        let text = help(command, "--help");
        for option in
            ["  -C <DIR>", "  -f, --file <SPEC>", "      --templates <DIR>", "  -v, --verbose"]
        {
            assert!(text.contains(option), "`{command} --help` lacks {option}:\n{text}");
        }
    }
    for command in ["completions", "man", "templates export"] {
        let text = help(command, "--help");
        assert!(!text.contains("-C <DIR>") && !text.contains("--templates <DIR>"), "{text}");
    }
    Test::new()
        .run(&["completions", "-C", "x", "bash"])
        .code(2)
        .stderr_has("unexpected argument '-C'");
    Test::new()
        .run(&["man", "--templates", "x"])
        .code(2)
        .stderr_has("unexpected argument '--templates'");
    let fish = Test::new().run(&["completions", "fish"]).code(0).stdout;
    for line in fish.lines() {
        let offers_project =
            line.contains("-s C ") || line.contains("-l templates") || line.contains("-l file");
        if line.contains("using_subcommand completions") || line.contains("using_subcommand man") {
            assert!(!offers_project, "{line}");
        }
    }
    let gen_dir = fish.lines().find(|l| l.contains("using_subcommand gen") && l.contains("-s C "));
    assert!(
        gen_dir.is_some_and(|l| l.contains("(__fish_complete_directories)")),
        "gen completes -C with folders:\n{fish}"
    );
}

#[test]
fn the_manual_has_the_sections_of_a_man_page() {
    let page = Test::new().run(&["man"]).code(0).stdout;
    assert!(page.starts_with(".TH CIGEN 1 "), "{page}");
    let sections: Vec<&str> = page
        .lines()
        .filter_map(|l| l.strip_prefix(".SH \""))
        .map(|l| l.trim_end_matches('"'))
        .collect();
    assert_eq!(
        sections,
        [
            "NAME",
            "SYNOPSIS",
            "DESCRIPTION",
            "COMMANDS",
            "OPTIONS",
            "EXIT STATUS",
            "FILES",
            "EXAMPLES",
            "SEE ALSO"
        ]
    );
    // The synopsis names every command with its arguments.
    let synopsis = section(&page, "SYNOPSIS");
    for line in [
        "\\fBcigen\\fR [\\fIPROJECT OPTIONS\\fR] \\fBcheck\\fR [\\fB\\-\\-quiet\\fR] [\\fIWORKFLOW\\fR...]",
        "\\fBcigen\\fR [\\fIPROJECT OPTIONS\\fR] \\fBinit\\fR [\\fB\\-\\-target\\fR \\fITARGET\\fR]",
        "\\fBcigen\\fR \\fBtemplates export\\fR \\fIDIR\\fR",
        "\\fBcigen\\fR \\fBcompletions\\fR \\fISHELL\\fR",
    ] {
        assert!(synopsis.contains(line), "the synopsis lacks {line}:\n{synopsis}");
    }
    let commands = section(&page, "COMMANDS");
    for command in COMMANDS.iter().filter(|c| **c != "templates") {
        assert!(commands.contains(&format!("\\fB{command}\\fR")), "COMMANDS lacks {command}");
    }
    let options = section(&page, "OPTIONS");
    for option in [
        "\\fB\\-C\\fR \\fIDIR\\fR",
        "\\fB\\-\\-file\\fR \\fISPEC\\fR",
        "\\fB\\-\\-templates\\fR \\fIDIR\\fR",
        "\\fB\\-\\-verbose\\fR",
    ] {
        assert!(options.contains(option), "OPTIONS lacks {option}");
    }
    for code in ["\\fB0\\fR", "\\fB1\\fR", "\\fB2\\fR"] {
        assert!(section(&page, "EXIT STATUS").contains(code));
    }
    assert!(section(&page, "FILES").contains("pipeline.kdl"));
    assert!(section(&page, "EXAMPLES").contains("cigen init"));
}

#[test]
fn the_manual_names_no_page_that_does_not_exist() {
    let page = Test::new().run(&["man"]).code(0).stdout;
    // A reference to a page reads NAME(SECTION): `git(1)`.
    let referenced: Vec<&str> = page
        .split_whitespace()
        .filter(|word| {
            let bytes = word.as_bytes();
            bytes.windows(3).any(|w| w[0] == b'(' && w[1].is_ascii_digit() && w[2] == b')')
        })
        .collect();
    assert!(referenced.is_empty(), "the manual names other pages: {referenced:?}");
    assert!(!page.contains("cigen\\-gen"), "no page per command exists");
}

#[cfg(unix)]
#[test]
fn the_manual_is_roff_that_groff_reads_without_warnings() {
    let page = Test::new().run(&["man"]).code(0).stdout;
    let groff = std::process::Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let Ok(mut groff) = groff else { return };
    use std::io::Write;
    groff.stdin.take().unwrap().write_all(page.as_bytes()).unwrap();
    let output = groff.wait_with_output().unwrap();
    assert!(output.status.success());
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

/// The text of one section of the manual.
fn section<'a>(page: &'a str, name: &str) -> &'a str {
    let start = page.find(&format!(".SH \"{name}\"")).expect("the section");
    let rest = &page[start + 1..];
    &page[start..start + 1 + rest.find("\n.SH ").unwrap_or(rest.len())]
}
