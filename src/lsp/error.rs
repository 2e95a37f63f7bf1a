//! What can go wrong while serving, one variant per condition.

use lsp_server::{ErrorCode, ProtocolError};
use thiserror::Error;

/// Why a request failed or the session could not go on.
#[derive(Debug, Error)]
pub enum LspError {
    /// The client broke the protocol, or went away, while starting.
    #[error("the client broke the protocol: {error}")]
    Protocol {
        /// What went wrong.
        #[from]
        error: ProtocolError,
    },
    /// Standard input or output failed.
    #[error("stdio: {error}")]
    Io {
        /// What went wrong.
        #[from]
        error: std::io::Error,
    },
    /// A value did not turn into JSON or back.
    #[error("JSON: {error}")]
    Json {
        /// What went wrong.
        #[from]
        error: serde_json::Error,
    },
    /// A request whose parameters do not read.
    #[error("invalid parameters for `{method}`: {error}")]
    InvalidParams {
        /// The request's method.
        method: String,
        /// What went wrong.
        error: serde_json::Error,
    },
    /// A request about a document the client has not opened.
    #[error("`{uri}` is not open")]
    UnknownDocument {
        /// The document.
        uri: String,
    },
    /// A request the server does not answer.
    #[error("cigen does not answer `{method}`")]
    UnknownMethod {
        /// The request's method.
        method: String,
    },
    /// A rename that cannot be made.
    #[error("{reason}")]
    Rename {
        /// Why, for the user.
        reason: String,
    },
}

impl LspError {
    /// The protocol's error code for it.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Protocol { .. } | Self::Io { .. } | Self::Json { .. } => ErrorCode::InternalError,
            Self::InvalidParams { .. } | Self::UnknownDocument { .. } => ErrorCode::InvalidParams,
            Self::UnknownMethod { .. } => ErrorCode::MethodNotFound,
            Self::Rename { .. } => ErrorCode::RequestFailed,
        }
    }
}
