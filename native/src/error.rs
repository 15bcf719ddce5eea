//! Errors that cross into JS as CortadoError (bindings.rs constructs them with the class JS handed over
//! at load time), each with one of the codes of src/errors.ts.
use std::path::Path;

#[derive(Debug)]
pub struct Error {
    pub code: &'static str,
    pub message: String,
}

impl Error {
    pub fn new(code: &'static str, message: String) -> Error {
        Error { code, message }
    }
    pub fn capacity(message: String) -> Error {
        Error::new("ERR_CAPACITY", message)
    }
    pub fn bad_file(message: String) -> Error {
        Error::new("ERR_BAD_FILE", message)
    }
    pub fn corrupt(message: String) -> Error {
        Error::new("ERR_CORRUPT", message)
    }
    pub fn invalid(message: String) -> Error {
        Error::new("ERR_INVALID_OPTION", message)
    }
    pub fn closed(message: String) -> Error {
        Error::new("ERR_CLOSED", message)
    }
    /// An I/O error on a path, worded for the person who chose the path.
    pub fn file_error(path: &Path, e: &std::io::Error) -> Error {
        let what = match e.kind() {
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
            _ => e.to_string(),
        };
        if e.raw_os_error() == Some(28) {
            return Error::capacity(format!("{}: no space left", path.display()));
        }
        Error::bad_file(format!("{}: {}", path.display(), what))
    }
}
