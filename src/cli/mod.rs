//! The command line: `cigen [-C DIR] [-f SPEC] [--templates DIR] [-v] COMMAND`.

mod check;
mod error;
mod generate;
mod graph;
mod import;
mod init;
mod locate;
mod lsp;
mod manual;
mod pin;
mod render;
mod report;
mod templates;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::render::{Renderer, TemplateSource};
use crate::source::Source;
use crate::target::Target;
use crate::{Failure, Output};
use report::Reporter;

/// Generate CI workflow YAML from a declarative KDL pipeline spec.
#[derive(Debug, Parser)]
#[command(name = "cigen", version, about, long_about = LONG_ABOUT)]
pub struct Cli {
    /// The project options given before the command.
    #[command(flatten)]
    pub project: ProjectArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

const LONG_ABOUT: &str = "Generate CI workflow YAML from a declarative KDL pipeline spec.

cigen reads `pipeline.kdl` (the nearest one in the current folder or a folder above it), \
checks it, and writes each workflow it declares: Forgejo and GitHub Actions workflows, \
GitLab CI pipelines. `cigen check` fails when a generated file and the spec disagree.";

/// Where the spec is and how to read it: the options of every command that
/// reads a spec. They may come before or after the command.
#[derive(Clone, Debug, Default, clap::Args)]
#[command(next_help_heading = "Project options")]
pub struct ProjectArgs {
    /// Run as if cigen was started in DIR.
    #[arg(short = 'C', value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub dir: Option<PathBuf>,
    /// The spec file; outputs are relative to its folder [default: the nearest
    /// pipeline.kdl here or above].
    #[arg(short = 'f', long = "file", value_name = "SPEC", value_hint = clap::ValueHint::FilePath)]
    pub spec: Option<PathBuf>,
    /// Read templates from DIR first, falling back to the built-in ones file by file.
    #[arg(long, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub templates: Option<PathBuf>,
    /// Say which spec is used.
    #[arg(short = 'v', long)]
    pub verbose: bool,
    /// Fail (exit 2, nothing written) when the spec has warnings: `--deny warnings`.
    #[arg(long, value_enum, value_name = "WHAT")]
    pub deny: Option<Deny>,
}

impl ProjectArgs {
    /// These options, with those given after the command taking precedence.
    fn then(&self, after: &Self) -> Self {
        Self {
            dir: after.dir.clone().or_else(|| self.dir.clone()),
            spec: after.spec.clone().or_else(|| self.spec.clone()),
            templates: after.templates.clone().or_else(|| self.templates.clone()),
            verbose: self.verbose || after.verbose,
            deny: after.deny.or(self.deny),
        }
    }
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write every workflow of the spec (only files whose bytes change).
    ///
    /// Files edited by hand, or not written by cigen, are refused, with
    /// their diff, and then nothing is written; generated files the spec no
    /// longer declares are removed.
    Gen {
        /// Overwrite files that were edited by hand or not written by cigen.
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        project: ProjectArgs,
    },
    /// Compare every workflow on disk with what `gen` would write; write nothing.
    ///
    /// Exits 0 when all are up to date, 1 on drift, 2 on error. Each file
    /// that differs is named with what happened to it (missing, stale,
    /// edited by hand, not written by cigen, no longer declared, likely
    /// renamed), how to fix it, and a diff.
    Check {
        /// The workflow ids to check; all workflows when absent. Generated
        /// files the spec no longer declares are looked for only then.
        #[arg(value_name = "WORKFLOW")]
        workflows: Vec<String>,
        /// Print nothing when every file is up to date.
        #[arg(short, long)]
        quiet: bool,
        #[command(flatten)]
        project: ProjectArgs,
    },
    /// Print the YAML of one workflow, or of all of them, to stdout.
    ///
    /// Each file starts with its header; files are separated by `---` lines.
    /// Reads nothing but the spec and the templates, and writes nothing.
    Render {
        /// The workflow id.
        workflow: Option<String>,
        #[command(flatten)]
        project: ProjectArgs,
    },
    /// Print the job graph: `needs` as solid edges, artifacts as dashed, labelled edges.
    ///
    /// Mermaid renders in Markdown on Forgejo and GitHub; DOT is for Graphviz.
    Graph {
        /// The output language.
        #[arg(long, value_enum, default_value_t)]
        format: crate::graph::Format,
        /// The workflow id; all workflows when absent.
        workflow: Option<String>,
        #[command(flatten)]
        project: ProjectArgs,
    },
    /// Write a commented starter spec; never overwrites one.
    ///
    /// The starter is the coverage case (lint, test, coverage and the
    /// artifact between them), in the current folder unless `-f` says
    /// otherwise; `gen` and `check` accept it as it is.
    Init {
        /// The CI system to write for.
        #[arg(long, value_name = "TARGET", default_value = Target::DEFAULT.name(), value_parser = target_parser())]
        target: Target,
        #[command(flatten)]
        project: ProjectArgs,
    },
    /// Write the spec that generates existing workflow files.
    ///
    /// The spec goes to stdout, or to the spec file with `--write`.
    /// With no PATH, every workflow under `.github/workflows`,
    /// `.forgejo/workflows` and `.gitea/workflows`. A file is imported only
    /// when the spec reproduces it exactly; anything the language cannot say
    /// is reported where it stands in the YAML.
    Import {
        /// Workflow files, or folders of them.
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// The CI system of files outside the workflow folders.
        #[arg(long, value_name = "TARGET", value_parser = target_parser())]
        target: Option<Target>,
        /// Write the spec file (never over an existing one) instead of printing it.
        #[arg(long)]
        write: bool,
        #[command(flatten)]
        project: ProjectArgs,
    },
    /// Lock every action and reusable workflow reference to a commit, in `cigen.lock`.
    ///
    /// Each is locked to the commit its ref names now; the lock goes beside
    /// the spec. References already locked stay as they are; `gen`, `check` and
    /// `render` then write each as `OWNER/REPO@COMMIT # TAG`. Refs are
    /// listed with `git ls-remote`, so git's configuration and credentials
    /// apply.
    Pin {
        /// Move references to the newest release of their major version
        /// (every reference, or the REFERENCEs named) and print what moved.
        #[arg(long, conflicts_with = "check")]
        update: bool,
        /// With `--update`: allow moving to a newer major version.
        #[arg(long, requires = "update")]
        major: bool,
        /// Write nothing; exit 1 when the lock lacks a reference of the spec
        /// or holds one it no longer uses.
        #[arg(long)]
        check: bool,
        /// With `--update`: the references to move, as the spec writes
        /// them, or their repository (`OWNER/REPO`).
        #[arg(value_name = "REFERENCE", requires = "update")]
        references: Vec<String>,
        #[command(flatten)]
        project: ProjectArgs,
    },
    /// Export the built-in templates, to change them with `--templates`.
    ///
    /// `cigen templates export DIR` writes them into DIR, to be edited and
    /// read back with `cigen --templates DIR gen`.
    Templates {
        #[command(subcommand)]
        command: TemplatesCommand,
    },
    /// Serve the Language Server Protocol over stdin and stdout, for editors
    /// (see docs/editors.md): cigen check's diagnostics as you type,
    /// completion, hover, definition, references, rename and quick fixes.
    Lsp,
    /// Print a shell completion script.
    ///
    /// Write it where your shell loads completions, e.g. `cigen completions
    /// bash > ~/.local/share/bash-completion/completions/cigen`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff).
    ///
    /// One page covers every command: `cigen man > ~/.local/share/man/man1/cigen.1`,
    /// then `man cigen`.
    Man,
}

/// What `cigen templates` does.
#[derive(Debug, Subcommand)]
pub enum TemplatesCommand {
    /// Write the built-in templates into DIR; never overwrites a file.
    ///
    /// DIR then mirrors the built-in `templates/` folder: edit the files you
    /// want to change, delete the others, and pass `--templates DIR` to
    /// `gen`, `check` and `render`.
    Export {
        /// The folder to write them into; created when missing.
        #[arg(value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
        folder: PathBuf,
    },
}

impl Command {
    /// The project options given after the command, for commands that
    /// read or write a spec.
    fn project(&self) -> Option<&ProjectArgs> {
        match self {
            Self::Gen { project, .. }
            | Self::Check { project, .. }
            | Self::Render { project, .. }
            | Self::Graph { project, .. }
            | Self::Init { project, .. }
            | Self::Import { project, .. }
            | Self::Pin { project, .. } => Some(project),
            Self::Templates { .. } | Self::Completions { .. } | Self::Man | Self::Lsp => None,
        }
    }

    /// Whether the command creates the spec in the current folder, rather
    /// than reading the nearest one.
    fn creates_spec(&self) -> bool {
        matches!(self, Self::Init { .. } | Self::Import { .. })
    }
}

/// What `--deny` turns into errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Deny {
    /// Every warning of the spec.
    Warnings,
}

/// The targets of the table, by name, with their titles as help.
fn target_parser() -> impl clap::builder::TypedValueParser<Value = Target> {
    use clap::builder::TypedValueParser;
    let values = crate::target::TABLE
        .iter()
        .map(|row| clap::builder::PossibleValue::new(row.name).help(row.title));
    clap::builder::PossibleValuesParser::new(values)
        .try_map(|name| Target::from_name(&name).ok_or("not a target"))
}

/// Exit code for drift found by `check`.
pub const EXIT_DRIFT: u8 = 1;
/// Exit code for errors: a bad spec, command line or disk.
pub const EXIT_ERROR: u8 = 2;

/// Parses the process arguments and runs the command.
pub fn main() -> ExitCode {
    run(Cli::parse())
}

/// Runs `cli` and returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    let mut reporter = Reporter::new();
    let code = match cli.command.project() {
        Some(after) => match Project::new(&cli.project.then(after), &cli.command, &mut reporter) {
            Ok(project) => run_in(&project, &mut reporter, &cli.command),
            Err(code) => code,
        },
        None => run_alone(&cli, &mut reporter),
    };
    ExitCode::from(code)
}

/// Runs a command that reads or writes the spec of `project`.
fn run_in(project: &Project, reporter: &mut Reporter, command: &Command) -> u8 {
    match command {
        Command::Gen { force, .. } => generate::run(project, reporter, *force),
        Command::Check { workflows, quiet, .. } => {
            check::run(project, reporter, &check::Options { workflows, quiet: *quiet })
        }
        Command::Render { workflow, .. } => render::run(project, reporter, workflow.as_deref()),
        Command::Graph { format, workflow, .. } => {
            graph::run(project, reporter, *format, workflow.as_deref())
        }
        Command::Init { target, .. } => init::run(project, reporter, *target),
        Command::Import { paths, target, write, .. } => {
            import::run(project, reporter, paths, *target, *write)
        }
        Command::Pin { update, major, check, references, .. } => pin::run(
            project,
            reporter,
            &pin::Options { update: *update, major: *major, check: *check, references },
        ),
        Command::Templates { .. } | Command::Completions { .. } | Command::Man | Command::Lsp => {
            unreachable!("commands without a project run alone")
        }
    }
}

/// Runs a command that needs no spec.
fn run_alone(cli: &Cli, reporter: &mut Reporter) -> u8 {
    match &cli.command {
        Command::Templates { command: TemplatesCommand::Export { folder: dir } } => {
            match locate::base(&cli.project) {
                Ok(base) => {
                    let mut gen_command = "cigen".to_owned();
                    if let Some(base) = &cli.project.dir {
                        gen_command.push_str(&format!(" -C {}", base.display()));
                    }
                    gen_command.push_str(&format!(" --templates {} gen", dir.display()));
                    templates::export(reporter, &base.join(dir), &gen_command)
                }
                Err(error) => {
                    reporter.error(error);
                    EXIT_ERROR
                }
            }
        }
        Command::Lsp => lsp::run(reporter),
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(
                *shell,
                &mut <Cli as clap::CommandFactory>::command(),
                "cigen",
                &mut out,
            );
            print(reporter, &out)
        }
        Command::Man => {
            print(reporter, manual::page(<Cli as clap::CommandFactory>::command()).as_bytes())
        }
        _ => unreachable!("commands with a project run in it"),
    }
}

/// Where the spec and its outputs are, and how to name them to the user.
pub struct Project {
    /// The folder cigen runs in (`-C`, or the current folder).
    base: PathBuf,
    /// The spec's path as opened.
    spec_path: PathBuf,
    /// The spec's path as shown in messages.
    spec_display: String,
    /// The spec's file name, relative to its folder.
    spec_name: String,
    /// The folder outputs are relative to, behind the guard every path goes through.
    tree: crate::output::Tree,
    /// Where templates come from.
    templates: TemplateSource,
    /// The command line prefix that reproduces the user's `-C`, `-f` and `--templates`.
    command: String,
    /// Whether warnings fail the command (`--deny warnings`).
    deny_warnings: bool,
}

impl Project {
    /// The project `args` name for `command`: the spec they give, or the
    /// nearest `pipeline.kdl` (in the folder a new spec goes in, for
    /// commands that create one). Reports and returns the exit code when
    /// `-C`, the spec or `--templates` cannot be found.
    fn new(args: &ProjectArgs, command: &Command, reporter: &mut Reporter) -> Result<Self, u8> {
        let mut prefix = "cigen".to_owned();
        if let Some(dir) = &args.dir {
            prefix.push_str(&format!(" -C {}", dir.display()));
        }
        let found = locate::base(args).and_then(|base| {
            let spec_path = match &args.spec {
                Some(spec) => base.join(spec),
                None if command.creates_spec() => base.join(locate::SPEC),
                None => locate::nearest(&base)
                    .ok_or_else(|| locate::no_spec(&base, args.dir.is_some(), &prefix))?,
            };
            locate::templates(args, &base).map(|()| (base, spec_path))
        });
        let (base, spec_path) = found.map_err(|error| {
            reporter.error(error);
            EXIT_ERROR
        })?;
        let spec_display = display(&spec_path);
        if args.verbose {
            reporter.line(&format!("using `{spec_display}`"));
        }
        let spec_name = spec_path
            .file_name()
            .map_or_else(|| locate::SPEC.to_owned(), |n| n.to_string_lossy().into_owned());
        let root = spec_path.parent().map_or_else(|| base.clone(), Path::to_path_buf);
        let root = if root.as_os_str().is_empty() { PathBuf::from(".") } else { root };
        if let Some(spec) = &args.spec {
            prefix.push_str(&format!(" -f {}", spec.display()));
        }
        if let Some(templates) = &args.templates {
            prefix.push_str(&format!(" --templates {}", templates.display()));
        }
        let templates = TemplateSource::new(args.templates.as_ref().map(|t| base.join(t)));
        Ok(Self {
            base,
            spec_path,
            spec_display,
            spec_name,
            tree: crate::output::Tree::new(root),
            templates,
            command: prefix,
            deny_warnings: args.deny == Some(Deny::Warnings),
        })
    }

    /// A file of the project as shown in messages.
    fn show(&self, relative: &str) -> String {
        display(&self.tree.root().join(relative))
    }

    /// How `output` stands against the disk, and the file's text when it
    /// differs. An up-to-date file is compared block by block, not read whole.
    fn state_of(
        &self,
        output: &Output,
    ) -> Result<(crate::output::Status, Option<String>), crate::output::write::WriteError> {
        use crate::output::{Status, status};
        if self.tree.holds_exactly(&output.file, &output.text)? {
            return Ok((Status::UpToDate, None));
        }
        let on_disk = self.tree.read(&output.file)?;
        Ok((status(on_disk.as_deref(), &output.text), on_disk))
    }

    /// Generated files of this spec that it no longer declares.
    fn orphans(&self, outputs: &[Output]) -> Vec<crate::output::orphans::Orphan> {
        let places: Vec<crate::target::Files> =
            crate::target::TABLE.iter().map(|row| row.files).collect();
        crate::output::orphans::find(&self.tree, &places, &self.spec_name, outputs)
    }

    /// Reads, parses and validates the spec; reports and returns the exit
    /// code on failure.
    fn pipeline(&self, reporter: &mut Reporter) -> Result<crate::model::Pipeline, u8> {
        let source = self.source(reporter)?;
        crate::check_spec(&source, &self.spec_name).map_err(|diagnostics| {
            reporter.errors(diagnostics.0);
            EXIT_ERROR
        })
    }

    /// Reads and compiles the spec; reports and returns the exit code on failure.
    fn compile(&self, reporter: &mut Reporter) -> Result<Vec<Output>, u8> {
        let source = self.source(reporter)?;
        let lock = self.lock(reporter)?.map(|found| found.lock);
        let renderer = Renderer::new(self.templates.clone());
        let (compiled, warnings) =
            crate::compile_with_warnings(source, &self.spec_name, &renderer, lock.as_ref());
        let outputs = compiled.map_err(|failure| {
            match failure {
                Failure::Spec(diagnostics) => reporter.errors(diagnostics.0),
                Failure::Template(e) => reporter.diagnostic(e.as_ref()),
            }
            EXIT_ERROR
        })?;
        self.warn(reporter, warnings)?;
        Ok(outputs)
    }

    /// Reports the warnings of a spec that compiled; with `--deny warnings`,
    /// any of them fails the command.
    fn warn(&self, reporter: &mut Reporter, warnings: crate::error::Diagnostics) -> Result<(), u8> {
        let count = warnings.0.len();
        for warning in warnings.0 {
            reporter.diagnostic(&warning);
        }
        if self.deny_warnings && count > 0 {
            reporter.error(error::CliError::DeniedWarnings { count });
            return Err(EXIT_ERROR);
        }
        Ok(())
    }

    /// Writes `text` as a new spec: never over an existing one, and never
    /// leaving half of it behind. Reports and returns the exit code on
    /// failure.
    fn create_spec(&self, reporter: &mut Reporter, text: &str) -> Result<(), u8> {
        use std::io::Write;
        // `create_new` refuses an existing file atomically.
        let created =
            std::fs::OpenOptions::new().write(true).create_new(true).open(&self.spec_path);
        let mut file = match created {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                reporter.error(error::CliError::SpecExists { path: self.spec_display.clone() });
                return Err(EXIT_ERROR);
            }
            Err(e) => {
                let path = self.spec_display.clone();
                reporter.error(error::CliError::CannotWrite { path, error: e });
                return Err(EXIT_ERROR);
            }
        };
        if let Err(e) = file.write_all(text.as_bytes()).and_then(|()| file.sync_all()) {
            let _ = std::fs::remove_file(&self.spec_path);
            reporter
                .error(error::CliError::CannotWrite { path: self.spec_display.clone(), error: e });
            return Err(EXIT_ERROR);
        }
        Ok(())
    }

    /// Reads the spec as UTF-8 text.
    fn source(&self, reporter: &mut Reporter) -> Result<Source, u8> {
        let text = match std::fs::read(&self.spec_path) {
            Ok(bytes) => match utf8(bytes) {
                Ok(text) => text,
                Err((text, span)) => {
                    let source = Source::new(&self.spec_display, text);
                    let error = crate::error::SpecError::NotUtf8 { span };
                    reporter.diagnostic(&crate::error::Located::new(&source, error));
                    return Err(EXIT_ERROR);
                }
            },
            Err(error) => {
                reporter
                    .error(error::CliError::CannotRead { path: self.spec_display.clone(), error });
                return Err(EXIT_ERROR);
            }
        };
        Ok(Source::new(&self.spec_display, text))
    }
}

/// Writes `bytes` to stdout; a closed pipe (`cigen man | head`) is not an error.
fn print(reporter: &mut Reporter, bytes: &[u8]) -> u8 {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => 0,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(error) => {
            reporter.error(error::CliError::Stdout { error });
            EXIT_ERROR
        }
    }
}

/// A path for messages: no leading `./`.
fn display(path: &Path) -> String {
    let text = path.display().to_string();
    text.strip_prefix("./").map(str::to_owned).unwrap_or(text)
}

/// `bytes` as text; when they are not UTF-8, the text with the bad bytes
/// replaced and the span of the first of them.
fn utf8(bytes: Vec<u8>) -> Result<String, (String, miette::SourceSpan)> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let span = miette::SourceSpan::new(at.into(), '\u{fffd}'.len_utf8());
        (String::from_utf8_lossy(e.as_bytes()).into_owned(), span)
    })
}
