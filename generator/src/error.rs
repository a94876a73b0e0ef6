//! The one error type of the generator: every failure names the file and, where it is
//! known, the line, the column and the operation.

use std::fmt;
use std::path::{Path, PathBuf};

/// A failure to load, check or generate one spec, or to write one output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The file the failure is about (a spec or an output), as given to the generator.
    pub file: PathBuf,
    /// 1-based line in `file`, where known.
    pub line: Option<usize>,
    /// 1-based column in `file`, where known.
    pub column: Option<usize>,
    /// The `operationId` the failure is about, where there is one.
    pub operation: Option<String>,
    /// What is wrong, in words.
    pub message: String,
}

impl Error {
    /// An error about `file` as a whole.
    pub fn file(file: &Path, message: impl Into<String>) -> Self {
        Error {
            file: file.to_path_buf(),
            line: None,
            column: None,
            operation: None,
            message: message.into(),
        }
    }

    /// Sets the line (and column) where the failure is.
    pub fn at(mut self, line: Option<usize>, column: Option<usize>) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    /// Names the operation the failure is about.
    pub fn in_operation(mut self, operation: impl Into<String>) -> Self {
        self.operation = Some(operation.into());
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        f.write_str(": ")?;
        if let Some(op) = &self.operation {
            write!(f, "operation `{op}`: ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}
