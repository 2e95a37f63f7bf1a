//! `cigen man`: the manual page, in roff, with the sections a man page has
//! (NAME, SYNOPSIS, DESCRIPTION, COMMANDS, OPTIONS, EXIT STATUS, FILES,
//! EXAMPLES, SEE ALSO). One page covers every command, so it names no page
//! per command; the commands, their arguments and help text come from the
//! command line's own definition, so the page and `--help` cannot disagree.

use clap::{Arg, Command};

/// The whole page for `cli`, cigen's command line.
pub fn page(mut cli: Command) -> String {
    cli.build();
    let mut out = Roff::default();
    let version = cli.get_version().unwrap_or_default().to_owned();
    out.line(&format!(".TH CIGEN 1 \"\" \"cigen {version}\" \"User Commands\""));
    // Paths and commands are copied: no hyphenation, no stretched spaces.
    out.line(".nh");
    out.line(".ad l");

    out.section("NAME");
    let about = cli.get_about().map(ToString::to_string).unwrap_or_default();
    out.text(&format!("cigen - {}", lowercase_first(about.trim_end_matches('.'))));

    out.section("SYNOPSIS");
    let commands: Vec<(String, &Command)> = commands(&cli);
    for (i, (name, command)) in commands.iter().enumerate() {
        if i > 0 {
            out.line(".br");
        }
        out.line(&synopsis(name, command));
    }

    out.section("DESCRIPTION");
    // The first paragraph is the NAME line.
    let description = long_about(&cli);
    let description = description.split_once("\n\n").map_or("", |(_, rest)| rest);
    out.paragraphs(description, ".PP");
    out.text(
        "The PROJECT OPTIONS (see OPTIONS) may come before or after the command; `completions` and `man` take none.",
    );

    out.section("COMMANDS");
    for (name, command) in &commands {
        out.line(".TP");
        out.line(&synopsis(name, command));
        out.paragraphs(&long_about(command), ".IP");
        let own: Vec<&Arg> = own_args(command).collect();
        if !own.is_empty() {
            out.line(".RS");
            for arg in own {
                option(&mut out, arg);
            }
            out.line(".RE");
        }
    }

    out.section("OPTIONS");
    out.text("The project options, taken by every command that reads or writes a spec:");
    for arg in cli.get_arguments().filter(|a| !a.is_hide_set()) {
        option(&mut out, arg);
    }

    out.section("EXIT STATUS");
    for (code, meaning) in EXIT_STATUS {
        out.line(".TP");
        out.line(&format!("\\fB{code}\\fR"));
        out.text(meaning);
    }

    out.section("FILES");
    for (file, meaning) in FILES {
        out.line(".TP");
        out.line(&format!("\\fI{}\\fR", escape(file)));
        out.text(meaning);
    }

    out.section("EXAMPLES");
    for (what, command) in EXAMPLES {
        out.text(what);
        out.line(".PP");
        out.line(".RS");
        out.line(".nf");
        out.line(&format!("\\fB{}\\fR", escape(command)));
        out.line(".fi");
        out.line(".RE");
        out.line(".PP");
    }

    out.section("SEE ALSO");
    out.text(SEE_ALSO);
    out.0
}

const EXIT_STATUS: &[(&str, &str)] = &[
    ("0", "Success; for `check`, every generated file is up to date."),
    (
        "1",
        "`check` found drift: a file is missing, stale, edited by hand, not written by cigen, or no longer declared; `pin --check`: the lock is missing or out of date.",
    ),
    (
        "2",
        "An error: a mistake in the spec, a failing template, a file that cannot be read or written, a refused overwrite, an unknown workflow id, or a wrong command line. Nothing is written.",
    ),
];

const FILES: &[(&str, &str)] = &[
    (
        "pipeline.kdl",
        "The spec. Without `-f`, the nearest one in the current folder or a folder above it is used.",
    ),
    (
        "cigen.lock",
        "The commit each action and reusable workflow reference is pinned to, beside the spec; written by `cigen pin`.",
    ),
    (".forgejo/workflows/ID.yml", "A generated Forgejo Actions workflow, beside the spec."),
    (".github/workflows/ID.yml", "A generated GitHub Actions workflow, beside the spec."),
    (".gitlab-ci.yml", "A generated GitLab CI pipeline, beside the spec."),
];

const EXAMPLES: &[(&str, &str)] = &[
    ("Start a spec, generate its workflow and check it:", "cigen init && cigen gen && cigen check"),
    ("Check in CI, printing nothing when all is well:", "cigen check --quiet"),
    ("Print one workflow of a spec elsewhere:", "cigen -C ci -f nightly.kdl render nightly"),
    ("Draw the job graph as Graphviz:", "cigen graph --format dot | dot -Tsvg > jobs.svg"),
    ("Write the spec of existing workflow files:", "cigen import --write"),
    (
        "Change a template:",
        "cigen templates export ci-templates && cigen --templates ci-templates gen",
    ),
];

const SEE_ALSO: &str = "The language, node by node: docs/language.md in cigen's source; templates and their render context: docs/templates.md; pinning actions to commits: docs/pin.md; GitLab CI: docs/gitlab.md. `cigen COMMAND --help` shows the help of one command.";

/// Every command but `help`, subcommands of subcommands by their path
/// (`templates export`), in the order of `--help`.
fn commands(cli: &Command) -> Vec<(String, &Command)> {
    let mut found = Vec::new();
    for command in cli.get_subcommands().filter(|c| c.get_name() != "help" && !c.is_hide_set()) {
        let name = command.get_name().to_owned();
        if command.has_subcommands() {
            for sub in command.get_subcommands().filter(|c| c.get_name() != "help") {
                found.push((format!("{name} {}", sub.get_name()), sub));
            }
        } else {
            found.push((name, command));
        }
    }
    found
}

/// `cigen [PROJECT OPTIONS] check [--quiet] [WORKFLOW...]`.
fn synopsis(name: &str, command: &Command) -> String {
    let project = command.get_arguments().any(|a| a.get_id() == "dir");
    let mut line = String::from("\\fBcigen\\fR ");
    if project {
        line.push_str("[\\fIPROJECT OPTIONS\\fR] ");
    }
    line.push_str(&format!("\\fB{}\\fR", escape(name)));
    let (positional, named): (Vec<&Arg>, Vec<&Arg>) =
        own_args(command).partition(|a| a.is_positional());
    for arg in named.into_iter().chain(positional) {
        line.push(' ');
        line.push_str(&usage(arg));
    }
    line
}

/// The arguments a command has beside the project options and `--help`.
fn own_args(command: &Command) -> impl Iterator<Item = &Arg> {
    command.get_arguments().filter(|a| {
        !a.is_hide_set()
            && !matches!(
                a.get_id().as_str(),
                "dir" | "spec" | "templates" | "verbose" | "deny" | "help"
            )
    })
}

/// `[--force]`, `[--target TARGET]`, `SHELL`, `[WORKFLOW]...`.
fn usage(arg: &Arg) -> String {
    let value = value_name(arg);
    let many = arg.get_num_args().is_some_and(|n| n.max_values() > 1);
    let text = if arg.is_positional() {
        format!("\\fI{value}\\fR{}", if many { "..." } else { "" })
    } else {
        let flag = match (arg.get_long(), arg.get_short()) {
            (Some(long), _) => format!("\\fB\\-\\-{}\\fR", escape(long)),
            (None, Some(short)) => format!("\\fB\\-{short}\\fR"),
            (None, None) => String::new(),
        };
        if takes_value(arg) { format!("{flag} \\fI{value}\\fR") } else { flag }
    };
    if arg.is_required_set() { text } else { format!("[{text}]") }
}

/// One option as a tagged paragraph: names, value, help, choices, default.
fn option(out: &mut Roff, arg: &Arg) {
    let mut names = Vec::new();
    if let Some(short) = arg.get_short() {
        names.push(format!("\\fB\\-{short}\\fR"));
    }
    if let Some(long) = arg.get_long() {
        names.push(format!("\\fB\\-\\-{}\\fR", escape(long)));
    }
    let mut tag =
        if arg.is_positional() { format!("\\fI{}\\fR", value_name(arg)) } else { names.join(", ") };
    if !arg.is_positional() && takes_value(arg) {
        tag.push_str(&format!(" \\fI{}\\fR", value_name(arg)));
    }
    out.line(".TP");
    out.line(&tag);
    let help = match arg.get_id().as_str() {
        "help" => "Print help: `-h` a summary, `--help` in full".to_owned(),
        _ => arg.get_long_help().or(arg.get_help()).map(ToString::to_string).unwrap_or_default(),
    };
    let mut text = help.trim_end_matches('.').to_owned();
    text.push('.');
    let choices: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| match v.get_help() {
            Some(help) => format!("`{}` ({help})", v.get_name()),
            None => format!("`{}`", v.get_name()),
        })
        .collect();
    if takes_value(arg) && !choices.is_empty() {
        text.push_str(&format!(" One of {}.", words(&choices)));
    }
    let defaults: Vec<String> =
        arg.get_default_values().iter().map(|d| d.to_string_lossy().into_owned()).collect();
    if takes_value(arg) && !defaults.is_empty() {
        text.push_str(&format!(" Default: `{}`.", defaults.join(" ")));
    }
    out.paragraphs(&text, ".IP");
}

fn takes_value(arg: &Arg) -> bool {
    arg.get_num_args().is_some_and(|n| n.takes_values())
}

fn value_name(arg: &Arg) -> String {
    arg.get_value_names()
        .and_then(|names| names.first().map(ToString::to_string))
        .unwrap_or_else(|| arg.get_id().as_str().to_uppercase())
}

/// `a`, `b` or `c`.
fn words(items: &[String]) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// The long help of a command without its first line, or its short help.
fn long_about(command: &Command) -> String {
    let about = command.get_about().map(ToString::to_string).unwrap_or_default();
    match command.get_long_about().map(ToString::to_string) {
        Some(long) => long,
        None => about,
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| c.to_lowercase().chain(chars).collect())
}

/// Text for roff: backslashes and dashes escaped, `code` in bold.
fn escape(text: &str) -> String {
    text.replace('\\', "\\e").replace('-', "\\-")
}

/// A roff document being written.
#[derive(Default)]
struct Roff(String);

impl Roff {
    fn line(&mut self, line: &str) {
        self.0.push_str(line);
        self.0.push('\n');
    }

    fn section(&mut self, name: &str) {
        self.line(&format!(".SH \"{name}\""));
    }

    /// Running text: `code` spans in bold, a line that would start with a
    /// control character protected.
    fn text(&mut self, text: &str) {
        let mut out = String::new();
        for (i, part) in escape(text).split('`').enumerate() {
            if i % 2 == 1 {
                out.push_str(&format!("\\fB{part}\\fR"));
            } else {
                out.push_str(part);
            }
        }
        for line in out.lines() {
            let line = line.trim();
            if line.starts_with('.') || line.starts_with('\'') {
                self.line(&format!("\\&{line}"));
            } else {
                self.line(line);
            }
        }
    }

    /// Paragraphs separated by blank lines, each as running text, `between`
    /// them the macro that starts the next.
    fn paragraphs(&mut self, text: &str, between: &str) {
        for (i, paragraph) in text.split("\n\n").enumerate() {
            if i > 0 {
                self.line(between);
            }
            self.text(&paragraph.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    }
}
