//! Everything cigen tells the user, on stderr. Diagnostics render with
//! miette: in colour on a terminal, plain otherwise.

use std::io::{IsTerminal, Write};

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme};

/// Writes messages to stderr.
pub struct Reporter {
    handler: GraphicalReportHandler,
    /// For errors without a snippet: their paths and commands are meant to
    /// be copied, so their lines are not wrapped.
    unwrapped: GraphicalReportHandler,
    diagnostics: usize,
}

impl Reporter {
    pub fn new() -> Self {
        let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        let theme =
            if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
        Self {
            handler: GraphicalReportHandler::new_themed(theme.clone()).with_width(100),
            unwrapped: GraphicalReportHandler::new_themed(theme).with_wrap_lines(false),
            diagnostics: 0,
        }
    }

    /// A diagnostic with its snippet (when it points into a file), after a
    /// blank line when another came before.
    pub fn diagnostic(&mut self, diagnostic: &dyn Diagnostic) {
        let handler =
            if diagnostic.source_code().is_some() { &self.handler } else { &self.unwrapped };
        let mut out = String::new();
        if handler.render_report(&mut out, diagnostic).is_err() {
            out = format!("error: {diagnostic}\n");
        }
        if self.diagnostics > 0 {
            self.line("");
        }
        self.diagnostics += 1;
        self.line(out.trim_end());
    }

    /// Every mistake found in one file, then how many there are when more
    /// than one: `3 errors`.
    pub fn errors<D: Diagnostic>(&mut self, errors: impl IntoIterator<Item = D>) {
        let mut count = 0;
        for error in errors {
            self.diagnostic(&error);
            count += 1;
        }
        if count > 1 {
            self.line("");
            self.line(&format!("{count} errors"));
        }
    }

    /// One message line (or several).
    pub fn line(&mut self, text: &str) {
        let mut stderr = std::io::stderr().lock();
        let _ = writeln!(stderr, "{text}");
    }

    /// An error of the command line or the disk.
    pub fn error(&mut self, error: super::error::CliError) {
        self.diagnostic(&error);
    }
}
