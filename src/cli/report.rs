//! Everything cigen tells the user, on stderr. Diagnostics render with
//! miette: in colour on a terminal, plain otherwise.

use std::io::{IsTerminal, Write};

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme};

/// Writes messages to stderr.
pub struct Reporter {
    handler: GraphicalReportHandler,
    diagnostics: usize,
}

impl Reporter {
    pub fn new() -> Self {
        let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        let theme =
            if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
        Self { handler: GraphicalReportHandler::new_themed(theme).with_width(100), diagnostics: 0 }
    }

    /// A diagnostic with its snippet.
    pub fn diagnostic(&mut self, diagnostic: &dyn Diagnostic) {
        let mut out = String::new();
        if self.handler.render_report(&mut out, diagnostic).is_err() {
            out = format!("error: {diagnostic}\n");
        }
        if self.diagnostics > 0 {
            self.line("");
        }
        self.diagnostics += 1;
        self.line(out.trim_end());
    }

    /// One message line (or several).
    pub fn line(&mut self, text: &str) {
        let mut stderr = std::io::stderr().lock();
        let _ = writeln!(stderr, "{text}");
    }

    pub fn cannot_write(&mut self, path: &str, error: &std::io::Error) {
        self.line(&format!("error: cannot write `{path}`: {error}"));
    }

    pub fn cannot_read(&mut self, path: &str, error: &std::io::Error) {
        self.line(&format!("error: cannot read `{path}`: {error}"));
    }
}
