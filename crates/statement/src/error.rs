use ledgerlens_pdf::PdfError;

/// Why a file did not yield a statement. The engine names its failures in its own terms
/// ([`ErrorKind`]); the API's error codes are chosen from them in ledgerlens-contract.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatementError {
    #[error("{0}")]
    PasswordIncorrect(String),
    #[error("{0}")]
    InvalidFile(String),
    #[error("the statement has no text layer (scanned images)")]
    PdfIsImage,
    #[error("no transaction table was found in the document")]
    UnsupportedFormat,
    #[error("a transaction table was found but it holds no transactions")]
    NoTransactions,
    #[error("the bank could not be identified")]
    BankUndetected,
    #[error("Not {expected} bank statement (looks like {detected})")]
    BankMismatch { expected: String, detected: String },
    #[error("the statement has {pages} pages, more than the {limit} allowed")]
    TooManyPages { pages: usize, limit: usize },
    #[error("{0}")]
    ExtractionFailed(String),
}

/// The kind of a [`StatementError`], without its details: what callers branch on (and map
/// to their own vocabulary, e.g. the API's error codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    PasswordIncorrect,
    InvalidFile,
    PdfIsImage,
    UnsupportedFormat,
    NoTransactions,
    BankUndetected,
    BankMismatch,
    TooManyPages,
    ExtractionFailed,
}

impl ErrorKind {
    /// Every kind, for callers that check a mapping covers them all.
    pub const ALL: [ErrorKind; 9] = [
        Self::PasswordIncorrect,
        Self::InvalidFile,
        Self::PdfIsImage,
        Self::UnsupportedFormat,
        Self::NoTransactions,
        Self::BankUndetected,
        Self::BankMismatch,
        Self::TooManyPages,
        Self::ExtractionFailed,
    ];
}

impl StatementError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::PasswordIncorrect(_) => ErrorKind::PasswordIncorrect,
            Self::InvalidFile(_) => ErrorKind::InvalidFile,
            Self::PdfIsImage => ErrorKind::PdfIsImage,
            Self::UnsupportedFormat => ErrorKind::UnsupportedFormat,
            Self::NoTransactions => ErrorKind::NoTransactions,
            Self::BankUndetected => ErrorKind::BankUndetected,
            Self::BankMismatch { .. } => ErrorKind::BankMismatch,
            Self::TooManyPages { .. } => ErrorKind::TooManyPages,
            Self::ExtractionFailed(_) => ErrorKind::ExtractionFailed,
        }
    }
}

impl From<PdfError> for StatementError {
    fn from(e: PdfError) -> Self {
        match e {
            PdfError::PasswordRequired => Self::PasswordIncorrect(
                "The file is password protected; a password is required".into(),
            ),
            PdfError::PasswordIncorrect => {
                Self::PasswordIncorrect("The provided password is incorrect".into())
            }
            PdfError::Invalid(why) => Self::InvalidFile(format!("File object is invalid: {why}")),
            PdfError::UnsupportedEncryption => {
                Self::InvalidFile("File object is invalid: unsupported encryption".into())
            }
            PdfError::LimitExceeded(why) => Self::ExtractionFailed(why),
        }
    }
}
