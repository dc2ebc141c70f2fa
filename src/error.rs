//! The library's error type.

use std::path::{Path, PathBuf};

/// Everything that can go wrong in the library; each message names the
/// file, line or field at fault and what to do.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Bundled or user-supplied data is malformed.
    #[error("{0}")]
    Data(String),
    /// The caller asked for something that cannot be done (bad option value).
    #[error("{0}")]
    Usage(String),
}

impl Error {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// `Result` with the library's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
