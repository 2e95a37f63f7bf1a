//! How long each stage takes on a synthetic spec of 10 to 10,000 jobs
//! (`benches/scale.rs`), and the whole `gen` and `check`.
//!
//! ```text
//! cargo bench --bench stages                 # everything
//! cargo bench --bench stages -- stage::render  # one stage (a name filter)
//! ```
//!
//! - `stage::*` times one stage alone, its input made beforehand (untimed),
//!   along the path `cigen::compile` takes: `parse` (KDL text → `Spec`),
//!   `validate` (`Spec` → `Pipeline`), `plan` (`Pipeline` → `PlannedWorkflow`s,
//!   `plan::plan_lazily`: jobs are planned later, as they render), `render`
//!   (planned workflow → YAML body with a warm `Renderer`: each job planned,
//!   converted and rendered) and `digest` (the header and SHA-256 of the
//!   body: `output::header::assemble`).
//! - `whole::*` is the library path of a command: `gen` is `cigen::compile`
//!   (with a fresh `Renderer`, so templates are compiled once per run, like
//!   the binary does) plus the status of each output against a missing file;
//!   `check` is `cigen::compile` plus the comparison with an up-to-date copy.
//! - `cli::*` runs `cigen::cli::run` on a temporary folder, disk included:
//!   `gen` writes the file (removed before each run; the write is flushed
//!   with `fsync`), `check` reads and compares it. These print one line per
//!   run on stderr; `2>/dev/null` hides them.
//!
//! Timings assert nothing: BENCHMARKS.md keeps the numbers. To see how much
//! each stage allocates, add divan's counting allocator for a run:
//! `#[global_allocator] static ALLOC: divan::AllocProfiler = divan::AllocProfiler::system();`

mod scale;

use std::path::Path;

use cigen::output::{header, status};
use cigen::plan::Plan;
use cigen::render::{Renderer, TemplateSource};
use cigen::source::Source;
use divan::Bencher;
use divan::counter::ItemsCount;

/// Jobs in the spec.
const SIZES: &[usize] = &[10, 100, 1_000, 10_000];

/// The spec's file name, as the CLI passes it.
const SPEC_NAME: &str = "pipeline.kdl";

fn main() {
    divan::main();
}

fn source(jobs: usize) -> Source {
    Source::new(SPEC_NAME, scale::spec(jobs))
}

fn pipeline(source: &Source) -> cigen::model::Pipeline {
    cigen::check_spec(source, SPEC_NAME).expect("the scale spec is valid")
}

/// Lowers and renders one planned workflow as `cigen::compile` does.
fn render(renderer: &Renderer, plan: Plan) -> String {
    let template = plan.workflow.target.row().template;
    let lowered = cigen::target::lower(plan, &cigen::model::ActionOverrides::default());
    renderer.render_lowered(template, lowered).expect("the scale spec renders")
}

/// One stage at a time.
#[divan::bench_group(max_time = 5)]
mod stage {
    use super::*;

    #[divan::bench(args = SIZES)]
    fn parse(bencher: Bencher, jobs: usize) {
        let source = source(jobs);
        bencher.counter(ItemsCount::new(jobs)).bench_local(|| {
            let (spec, errors) = cigen::parse::parse(divan::black_box(&source));
            assert!(errors.is_empty());
            spec
        });
    }

    #[divan::bench(args = SIZES)]
    fn validate(bencher: Bencher, jobs: usize) {
        let source = source(jobs);
        let (spec, _) = cigen::parse::parse(&source);
        let spec = spec.expect("the scale spec parses");
        bencher
            .counter(ItemsCount::new(jobs))
            .with_inputs(|| spec.clone())
            .bench_local_values(|spec| cigen::validate::validate(&source, SPEC_NAME, spec).is_ok());
    }

    #[divan::bench(args = SIZES)]
    fn plan(bencher: Bencher, jobs: usize) {
        let pipeline = pipeline(&source(jobs));
        bencher
            .counter(ItemsCount::new(jobs))
            .with_inputs(|| pipeline.clone())
            .bench_local_values(cigen::plan::plan);
    }

    #[divan::bench(args = SIZES)]
    fn render(bencher: Bencher, jobs: usize) {
        let pipeline = pipeline(&source(jobs));
        let renderer = Renderer::new(TemplateSource::default());
        bencher
            .counter(ItemsCount::new(jobs))
            .with_inputs(|| cigen::plan::plan(pipeline.clone()))
            .bench_local_values(|planned| {
                planned.into_iter().map(|p| super::render(&renderer, p)).collect::<Vec<_>>()
            });
    }

    #[divan::bench(args = SIZES)]
    fn digest(bencher: Bencher, jobs: usize) {
        let planned = cigen::plan::plan(pipeline(&source(jobs)));
        let renderer = Renderer::new(TemplateSource::default());
        let bodies: Vec<String> =
            planned.into_iter().map(|p| super::render(&renderer, p)).collect();
        bencher.counter(ItemsCount::new(jobs)).bench_local(|| {
            bodies.iter().map(|body| header::assemble(SPEC_NAME, body.as_str())).collect::<Vec<_>>()
        });
    }
}

/// A whole command through the library: no disk, no process start.
#[divan::bench_group(max_time = 5)]
mod whole {
    use super::*;

    fn compile(source: &Source) -> Vec<cigen::Output> {
        let renderer = Renderer::new(TemplateSource::default());
        match cigen::compile(source, SPEC_NAME, &renderer) {
            Ok(outputs) => outputs,
            Err(_) => panic!("the scale spec compiles"),
        }
    }

    #[divan::bench(name = "gen", args = SIZES)]
    fn generate(bencher: Bencher, jobs: usize) {
        let source = source(jobs);
        bencher.counter(ItemsCount::new(jobs)).bench_local(|| {
            let outputs = compile(divan::black_box(&source));
            for output in &outputs {
                assert_eq!(status(None, &output.text), cigen::output::Status::Missing);
            }
            outputs
        });
    }

    #[divan::bench(args = SIZES)]
    fn check(bencher: Bencher, jobs: usize) {
        let source = source(jobs);
        let on_disk: Vec<String> = compile(&source).into_iter().map(|o| o.text).collect();
        bencher.counter(ItemsCount::new(jobs)).bench_local(|| {
            let outputs = compile(divan::black_box(&source));
            for (output, disk) in outputs.iter().zip(&on_disk) {
                assert_eq!(status(Some(disk), &output.text), cigen::output::Status::UpToDate);
            }
            outputs
        });
    }
}

/// A whole command through `cigen::cli::run`, on a temporary folder.
#[divan::bench_group(max_time = 5, sample_size = 1)]
mod cli {
    use super::*;
    use clap::Parser;

    /// A temporary project holding the scale spec of `jobs` jobs.
    fn project(jobs: usize) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("a temporary folder");
        std::fs::write(dir.path().join(SPEC_NAME), scale::spec(jobs)).expect("the spec is written");
        dir
    }

    fn run(dir: &Path, command: &str) -> std::process::ExitCode {
        let dir = dir.to_str().expect("a UTF-8 temporary path");
        cigen::cli::run(cigen::cli::Cli::parse_from(["cigen", "-C", dir, command]))
    }

    fn outputs(dir: &Path) -> std::path::PathBuf {
        dir.join(".forgejo")
    }

    #[divan::bench(name = "gen", args = SIZES)]
    fn generate(bencher: Bencher, jobs: usize) {
        let dir = project(jobs);
        bencher
            .counter(ItemsCount::new(jobs))
            .with_inputs(|| {
                let _ = std::fs::remove_dir_all(outputs(dir.path()));
            })
            .bench_local_values(|()| run(dir.path(), "gen"));
        assert!(outputs(dir.path()).is_dir(), "gen wrote its output");
    }

    #[divan::bench(args = SIZES)]
    fn check(bencher: Bencher, jobs: usize) {
        let dir = project(jobs);
        assert_eq!(run(dir.path(), "gen"), std::process::ExitCode::SUCCESS);
        bencher.counter(ItemsCount::new(jobs)).bench_local(|| run(dir.path(), "check"));
    }
}
