//! `cigen lsp` in-process: the server on one thread, a client on another,
//! over `lsp_server::Connection::memory()`.

mod diagnostics;
mod features;
mod fixtures;
mod harness;
mod properties;
mod protocol;
