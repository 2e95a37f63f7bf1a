//! What `import` refuses, located in the YAML file it reads.

use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

/// One reason a workflow file cannot be imported.
#[derive(Debug, Diagnostic, Error)]
pub enum ImportError {
    /// A construct the language cannot say yet.
    #[error("cigen cannot express {construct}")]
    #[diagnostic(code(cigen::import::unsupported))]
    Unsupported {
        construct: String,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: String,
    },

    /// The spec cigen built would write something else.
    #[error("cigen would write `{path}` differently: {detail}")]
    #[diagnostic(
        code(cigen::import::not_exact),
        help(
            "the spec cigen built does not reproduce this file exactly, so nothing was written; this is a construct the language cannot say the same way yet"
        )
    )]
    NotExact {
        path: String,
        detail: String,
        #[label("here")]
        span: SourceSpan,
    },

    /// The spec of the file has a mistake cigen refuses: the workflow has it.
    #[error("the workflow has a mistake cigen refuses: {detail}")]
    #[diagnostic(
        code(cigen::import::mistake),
        help(
            "cigen checks a workflow before it writes one (expressions, cron lines, patterns); fix this in the file, then import it again"
        )
    )]
    Mistake {
        detail: String,
        #[label("here")]
        span: SourceSpan,
    },

    /// The file is not a workflow.
    #[error("`{name}` is not a workflow: {problem}")]
    #[diagnostic(
        code(cigen::import::not_a_workflow),
        help("a workflow file is a map with `on` and `jobs`")
    )]
    NotAWorkflow {
        name: String,
        problem: String,
        #[label("{problem}")]
        span: SourceSpan,
    },

    /// The file is not UTF-8.
    #[error("the file is not UTF-8 text")]
    #[diagnostic(code(cigen::import::not_utf8), help("save the file as UTF-8"))]
    NotUtf8 {
        #[label("invalid UTF-8 here")]
        span: SourceSpan,
    },

    /// The YAML itself is wrong.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Yaml(#[from] super::yaml::YamlError),
}

/// An [`ImportError`] with the YAML file it points into.
pub type Located = crate::error::Located<ImportError>;

/// `error`, in the YAML file `name` whose text is `text`.
pub fn located(name: &str, text: &Arc<String>, error: ImportError) -> Located {
    Located::with_source(NamedSource::new(name, Arc::clone(text)).with_language("yaml"), error)
}
