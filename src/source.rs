//! The spec file as read from disk, shared by every diagnostic that points into it.

use std::sync::Arc;

use miette::NamedSource;

/// A spec's text and the name diagnostics show for it.
#[derive(Clone, Debug)]
pub struct Source {
    name: String,
    text: Arc<String>,
}

impl Source {
    /// A source named `name` (a path relative to where the user ran cigen).
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self { name: name.into(), text: Arc::new(text.into()) }
    }

    /// The name shown in diagnostics.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text as miette source code, for a diagnostic's snippet.
    pub fn named(&self) -> NamedSource<Arc<String>> {
        NamedSource::new(&self.name, Arc::clone(&self.text)).with_language("kdl")
    }
}
