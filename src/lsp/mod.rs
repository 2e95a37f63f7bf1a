//! `cigen lsp`: a language server for `pipeline.kdl`, over stdio.
//!
//! It tells the editor what `cigen check` would say, while the spec is
//! being typed, and helps write it:
//!
//! ```text
//! client ──▶ server (one thread, in order) ──▶ document: text ─analysis─▶ cigen check's diagnostics
//!                                                              └────────▶ index: workflows, jobs, artifacts, occurrences
//!        ◀── diagnostics (pushed when idle), completion, hover, definition, references,
//!            rename, document symbols, quick fixes
//! ```
//!
//! Diagnostics are [`crate::check_spec_locked`]'s, unchanged. Completion
//! reads the text before the cursor ([`context`]), so it works in
//! half-typed text; the vocabulary of each block ([`vocabulary`]) is the
//! parser's own. Hover text comes from `docs/language.md`, embedded in the
//! binary ([`manual`]). Definition, references and rename use the
//! [`index`], which survives broken KDL by moving the last good one onto
//! the edited text.

mod completion;
mod context;
mod diagnostics;
mod document;
mod error;
mod expression;
mod fixes;
mod hover;
mod index;
mod lock;
mod manual;
mod navigation;
mod position;
mod server;
mod symbols;
mod vocabulary;

use lsp_server::Connection;

pub use error::LspError;
pub use server::Ending;
use server::Server;

/// Serves `connection` until the client says `exit` or goes away.
pub fn serve(connection: &Connection) -> Result<Ending, LspError> {
    Ok(Server::start(connection)?.run())
}

/// Serves over stdin and stdout.
pub fn stdio() -> Result<Ending, LspError> {
    let (connection, threads) = Connection::stdio();
    let ending = serve(&connection)?;
    drop(connection);
    // The reader thread ends at `exit` or end of input; the writer when the
    // connection is dropped.
    if ending == Ending::Clean {
        threads.join()?;
    }
    Ok(ending)
}
