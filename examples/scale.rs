//! Prints a synthetic spec of N jobs (default 1000) to stdout, for measuring
//! the whole `cigen` process at scale (see BENCHMARKS.md):
//!
//! ```text
//! mkdir -p /tmp/scale && cargo run --release --example scale -- 10000 > /tmp/scale/pipeline.kdl
//! ```
//!
//! The generator itself lives in `benches/scale.rs`, shared with the benchmarks.

#[path = "../benches/scale.rs"]
mod scale;

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let jobs = match std::env::args().nth(1).map(|n| n.replace('_', "").parse::<usize>()) {
        None => 1_000,
        Some(Ok(n)) if n > 0 => n,
        Some(_) => {
            eprintln!("usage: scale [JOBS]   (a positive number; default 1000)");
            return ExitCode::from(2);
        }
    };
    let text = scale::spec(jobs);
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot write to stdout: {e}");
            ExitCode::from(2)
        }
    }
}
