//! Command-line tests: the real `cigen` binary in a temporary project.
//!
//! Each test reads as a scenario: write a spec (and maybe files), run a
//! command, then check the exit code, the messages and the files.

mod check;
mod commands;
mod docs;
mod expressions;
mod generate;
mod harness;
mod help;
mod import;
mod messages;
mod pin;
mod project;
mod render;
mod repository;
mod slips;
#[path = "../support/specs.rs"]
mod support;
mod warnings;

pub use harness::{COVERAGE, Test};
