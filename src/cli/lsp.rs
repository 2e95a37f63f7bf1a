//! `cigen lsp`: the language server, over stdin and stdout.

use super::EXIT_ERROR;
use super::report::Reporter;
use crate::lsp::{self, Ending};

/// Serves until the client says `exit`; 0 after `shutdown`, 1 without it
/// (as the protocol asks), 2 when the protocol breaks.
pub fn run(reporter: &mut Reporter) -> u8 {
    match lsp::stdio() {
        Ok(Ending::Clean) => 0,
        Ok(Ending::Abrupt) => 1,
        Err(error) => {
            reporter.line(&format!("error: cigen lsp: {error}"));
            EXIT_ERROR
        }
    }
}
