//! GitHub Actions expressions: the `${{ … }}` language, checked in the spec
//! before any YAML is written, so that every mistake points at its token.
//!
//! ```text
//! field text ─template::split─▶ segments ─parse─▶ Expr ─┬─ Display: canonical text
//!                                                       ├─ taint::untrusted: script injection
//!                                                       └─ contexts::Key, functions: what a key allows
//! ```
//!
//! Spans are byte ranges. [`template::split`] gives them in the field's
//! text; [`parse`] gives them in the expression's text, so a caller adds the
//! start of the segment's `inner` range (see [`ExprError::shifted`]).
//!
//! The grammar and its limits follow the runner (GitHub's expression
//! library); where actionlint is stricter, the stricter rule wins, so that
//! what passes here passes both. The tables of functions, contexts and
//! untrusted inputs agree with actionlint's.

mod ast;
pub mod contexts;
mod error;
pub mod functions;
mod lexer;
mod parser;
mod print;
pub mod taint;
pub mod template;

#[cfg(test)]
mod properties;

pub use ast::{BinaryOp, Expr, ExprKind, Name};
pub use contexts::{Context, Key};
pub use error::ExprError;
pub use functions::Function;
pub use parser::{MAX_DEPTH, MAX_LENGTH, parse};
pub use taint::{Untrusted, untrusted};
pub use template::{Segment, TemplateError, is_wrapped, split};
