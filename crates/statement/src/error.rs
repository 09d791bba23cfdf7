use ledgerlens_pdf::PdfError;

/// Why a file did not yield a statement. Each variant maps to one BankConnect error code.
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

impl StatementError {
    /// The BankConnect error code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::PasswordIncorrect(_) => "PASSWORD_INCORRECT",
            Self::InvalidFile(_) => "INVALID_FILE_OBJECT",
            Self::PdfIsImage => "PDF_IS_IMAGE",
            Self::UnsupportedFormat => "STATEMENT_UNSUPPORTED_FORMAT",
            Self::NoTransactions => "STATEMENT_NO_TRANSACTIONS",
            Self::BankUndetected => "BANK_NAME_UNDETECTED",
            Self::BankMismatch { .. } => "BANK_NAME_MISMATCH",
            Self::TooManyPages { .. } => "STATEMENT_TOO_MANY_PAGES",
            Self::ExtractionFailed(_) => "EXTRACTION_FAILED",
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
