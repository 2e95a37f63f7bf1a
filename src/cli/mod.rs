//! The command line: `cigen [-C DIR] [-f SPEC] [--templates DIR] COMMAND`.

mod check;
mod error;
mod generate;
mod graph;
mod import;
mod init;
mod lsp;
mod pin;
mod render;
mod report;

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
#[command(name = "cigen", version, about, long_about = None)]
pub struct Cli {
    /// Run as if cigen was started in DIR.
    #[arg(short = 'C', value_name = "DIR", global = true)]
    pub dir: Option<PathBuf>,
    /// The spec file; outputs are relative to its folder.
    #[arg(
        short = 'f',
        long = "file",
        value_name = "SPEC",
        global = true,
        default_value = "pipeline.kdl"
    )]
    pub spec: PathBuf,
    /// Read templates from DIR first, falling back to the built-in ones file by file.
    #[arg(long, value_name = "DIR", global = true)]
    pub templates: Option<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write every workflow of the spec (only files whose bytes change).
    Gen {
        /// Overwrite files that were edited by hand or not written by cigen.
        #[arg(long)]
        force: bool,
    },
    /// Compare every workflow on disk with what `gen` would write; write nothing.
    ///
    /// Exits 0 when all are up to date, 1 on drift, 2 on error.
    Check,
    /// Print the YAML of one workflow, or of all of them, to stdout.
    Render {
        /// The workflow id.
        workflow: Option<String>,
    },
    /// Print the job graph: `needs` as solid edges, artifacts as dashed, labelled edges.
    Graph {
        /// The output language.
        #[arg(long, value_enum, default_value_t)]
        format: crate::graph::Format,
        /// The workflow id; all workflows when absent.
        workflow: Option<String>,
    },
    /// Write a commented starter spec; never overwrites one.
    Init {
        /// The CI system to write for.
        #[arg(long, value_name = "TARGET", default_value = Target::DEFAULT.name(), value_parser = target_parser())]
        target: Target,
    },
    /// Write the spec that generates existing workflow files: to stdout, or
    /// to the spec file with `--write`.
    ///
    /// With no PATH, every workflow under `.github/workflows`,
    /// `.forgejo/workflows` and `.gitea/workflows`. A file is imported only
    /// when the spec reproduces it exactly; anything the language cannot say
    /// is reported where it stands in the YAML.
    Import {
        /// Workflow files, or folders of them.
        paths: Vec<PathBuf>,
        /// The CI system of files outside the workflow folders.
        #[arg(long, value_name = "TARGET", value_parser = target_parser())]
        target: Option<Target>,
        /// Write the spec file (never over an existing one) instead of printing it.
        #[arg(long)]
        write: bool,
    },
    /// Lock every action and reusable workflow reference of the spec to the
    /// commit its ref names now, in `cigen.lock` beside the spec.
    ///
    /// References already locked stay as they are; `gen`, `check` and
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
    },
    /// Serve the Language Server Protocol over stdin and stdout, for editors
    /// (see docs/editors.md): cigen check's diagnostics as you type,
    /// completion, hover, definition, references, rename and quick fixes.
    Lsp,
    /// Print a shell completion script.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff).
    Man,
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
    let project = Project::new(&cli);
    let code = match &cli.command {
        Command::Gen { force } => generate::run(&project, &mut reporter, *force),
        Command::Check => check::run(&project, &mut reporter),
        Command::Render { workflow } => render::run(&project, &mut reporter, workflow.as_deref()),
        Command::Graph { format, workflow } => {
            graph::run(&project, &mut reporter, *format, workflow.as_deref())
        }
        Command::Init { target } => init::run(&project, &mut reporter, *target),
        Command::Import { paths, target, write } => {
            import::run(&project, &mut reporter, paths, *target, *write)
        }
        Command::Pin { update, major, check, references } => pin::run(
            &project,
            &mut reporter,
            &pin::Options { update: *update, major: *major, check: *check, references },
        ),
        Command::Lsp => lsp::run(&mut reporter),
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(
                *shell,
                &mut <Cli as clap::CommandFactory>::command(),
                "cigen",
                &mut out,
            );
            print(&mut reporter, &out)
        }
        Command::Man => {
            let mut out = Vec::new();
            match clap_mangen::Man::new(<Cli as clap::CommandFactory>::command()).render(&mut out) {
                Ok(()) => print(&mut reporter, &out),
                Err(error) => {
                    reporter.error(error::CliError::Manual { error });
                    EXIT_ERROR
                }
            }
        }
    };
    ExitCode::from(code)
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
}

impl Project {
    fn new(cli: &Cli) -> Self {
        let base = cli.dir.clone().unwrap_or_else(|| PathBuf::from("."));
        let spec_path = base.join(&cli.spec);
        let spec_display = display(&spec_path);
        let spec_name = cli
            .spec
            .file_name()
            .map_or_else(|| "pipeline.kdl".to_owned(), |n| n.to_string_lossy().into_owned());
        let root = spec_path.parent().map_or_else(|| base.clone(), Path::to_path_buf);
        let root = if root.as_os_str().is_empty() { PathBuf::from(".") } else { root };
        let mut command = "cigen".to_owned();
        if let Some(dir) = &cli.dir {
            command.push_str(&format!(" -C {}", dir.display()));
        }
        if cli.spec != Path::new("pipeline.kdl") {
            command.push_str(&format!(" -f {}", cli.spec.display()));
        }
        if let Some(templates) = &cli.templates {
            command.push_str(&format!(" --templates {}", templates.display()));
        }
        let templates = TemplateSource::new(cli.templates.as_ref().map(|t| base.join(t)));
        Self {
            base: base.clone(),
            spec_path,
            spec_display,
            spec_name,
            tree: crate::output::Tree::new(root),
            templates,
            command,
        }
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
            for d in diagnostics.0 {
                reporter.diagnostic(&d);
            }
            EXIT_ERROR
        })
    }

    /// Reads and compiles the spec; reports and returns the exit code on failure.
    fn compile(&self, reporter: &mut Reporter) -> Result<Vec<Output>, u8> {
        if let Some(dir) = self.templates.overrides()
            && !dir.is_dir()
        {
            reporter.error(error::CliError::TemplatesFolder { dir: display(dir) });
            return Err(EXIT_ERROR);
        }
        let source = self.source(reporter)?;
        let lock = self.lock(reporter)?.map(|found| found.lock);
        let renderer = Renderer::new(self.templates.clone());
        let compiled = crate::compile_pinned(&source, &self.spec_name, &renderer, lock.as_ref());
        compiled.map_err(|failure| {
            match failure {
                Failure::Spec(diagnostics) => {
                    for d in diagnostics.0 {
                        reporter.diagnostic(&d);
                    }
                }
                Failure::Template(e) => reporter.diagnostic(e.as_ref()),
            }
            EXIT_ERROR
        })
    }

    /// Reads the spec as UTF-8 text.
    fn source(&self, reporter: &mut Reporter) -> Result<Source, u8> {
        let text = match std::fs::read(&self.spec_path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => text,
                Err(e) => {
                    let at = e.utf8_error().valid_up_to();
                    let source =
                        Source::new(&self.spec_display, String::from_utf8_lossy(e.as_bytes()));
                    let error = crate::error::SpecError::NotUtf8 {
                        span: miette::SourceSpan::new(at.into(), '\u{fffd}'.len_utf8()),
                    };
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
