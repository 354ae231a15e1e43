//! Typed errors of the library; `main.rs` renders them once and maps them to exit codes.

use std::path::Path;

/// Everything that can go wrong between reading input and writing output.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A value in an input file is missing, malformed or out of range.
    #[error("{file}:{line}: field `{field}`: {message}")]
    Input { file: String, line: usize, field: String, message: String },
    /// A whole input file is unusable (cannot be read, empty, wrong structure).
    #[error("{file}: {message}")]
    File { file: String, message: String },
    /// A scenario parameter (`--set` or a scenario file) is unknown or has a bad value.
    #[error("{origin}: parameter `{key}`: {message}")]
    Scenario { origin: String, key: String, message: String },
    /// The scenario cannot be met by any partition; the message says which threshold and units.
    #[error("infeasible before solving: {0}")]
    Infeasible(String),
    /// HiGHS failed in a way that is not a model status.
    #[error("solver error: {0}")]
    Solver(String),
    /// Writing an output file failed.
    #[error("{file}: {message}")]
    Output { file: String, message: String },
}

impl Error {
    /// An error in one field of one line of an input file.
    pub fn input(file: &str, line: usize, field: &str, message: impl Into<String>) -> Self {
        Error::Input { file: file.to_string(), line, field: field.to_string(), message: message.into() }
    }

    /// An error about a whole input file.
    pub fn file(file: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Error::File { file: file.as_ref().display().to_string(), message: message.into() }
    }

    /// An error about a scenario parameter.
    pub fn scenario(origin: &str, key: &str, message: impl Into<String>) -> Self {
        Error::Scenario { origin: origin.to_string(), key: key.to_string(), message: message.into() }
    }

    /// A whole-file error with `hint` added to its message (other errors unchanged).
    pub fn with_hint(self, hint: &str) -> Self {
        match self {
            Error::File { file, message } => Error::File { file, message: format!("{message}{hint}") },
            e => e,
        }
    }

    /// True when the error comes from the user's input (exit code 2).
    pub fn is_bad_input(&self) -> bool {
        !matches!(self, Error::Solver(_) | Error::Output { .. })
    }
}

/// The library's result type.
pub type Result<T> = std::result::Result<T, Error>;
