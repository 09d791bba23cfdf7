//! The PDF layer: open a statement from bytes (decrypting it when needed), then extract what the
//! statement engine needs — positioned words, page geometry, image presence — and the document
//! metadata the fraud checks look at.
//!
//! # Why hayro
//! We measured eight Rust PDF stacks on statement-like files (see `shared/research/pdf-stack.md`):
//! `hayro-syntax` + `hayro-interpret` read every row exactly on std-14, TrueType and
//! Type0/Identity-H fonts, opened RC4-40/128, AES-128 and AES-256 (R5/R6) files with a typed
//! password error, survived 13 hand-made malformed files and 300 fuzzed ones without a panic or a
//! hang, and extracted positioned text 1.1–2.4× faster than `pdftotext -layout`. It is pure Rust
//! with `#![forbid(unsafe_code)]`, so a hostile file cannot corrupt memory. Its text API is young,
//! so the version is pinned exactly in the workspace manifest and all use of it stays in this crate.
//!
//! What hayro does not do we do here: tell "no password" from "wrong password", bound the time and
//! memory one file may take (including decompression bombs, see `inflate_guard`), decode metadata
//! strings, and count incremental updates.

mod extract;
mod inflate_guard;
mod limits;
mod metadata;

pub use extract::{PageText, TextRun};
pub use limits::Limits;
pub use metadata::{parse_pdf_date, DocumentMetadata, PdfDate};

use std::sync::{mpsc, Arc};
use std::time::Instant;

/// Why a file could not be turned into text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    #[error("the file is password-protected and no password was given")]
    PasswordRequired,
    #[error("the password does not open this file")]
    PasswordIncorrect,
    #[error("the file is not a readable PDF: {0}")]
    Invalid(String),
    #[error("the file uses an encryption scheme we cannot open")]
    UnsupportedEncryption,
    #[error("the file exceeds a processing limit: {0}")]
    LimitExceeded(String),
}

/// Everything extracted from one PDF.
#[derive(Debug, Clone)]
pub struct Document {
    pub pages: Vec<PageText>,
    pub metadata: DocumentMetadata,
    /// True when the file carries an /Encrypt dictionary (even one that opens with no password).
    pub encrypted: bool,
    /// Pages whose text was not read because a limit was reached (0 when complete).
    pub pages_skipped: usize,
    /// True when the file stops before its end-of-file marker: it was cut short (a failed
    /// download, a truncated upload), and whatever pages were recovered may not be all of them.
    pub cut_short: bool,
}

impl Document {
    /// Total number of visible glyphs over all pages.
    pub fn glyph_count(&self) -> usize {
        self.pages.iter().map(|p| p.glyph_count).sum()
    }

    /// True when no page has readable text but some page carries an image: a scan.
    pub fn is_image_only(&self) -> bool {
        self.glyph_count() == 0 && self.pages.iter().any(|p| p.image_count > 0)
    }
}

/// Opens `bytes` and extracts every page, honouring `limits`.
///
/// `password` of `None` or `Some("")` means "none given". Owner-password-only files (the usual
/// Indian e-statement) open without one. The work runs on a dedicated thread with a large stack
/// and is abandoned after `limits.max_duration`, so a pathological file yields
/// [`PdfError::LimitExceeded`] instead of a hang.
pub fn open(bytes: Vec<u8>, password: Option<&str>, limits: &Limits) -> Result<Document, PdfError> {
    limits.check_size(bytes.len())?;
    if !has_pdf_header(&bytes) {
        return Err(PdfError::Invalid("no %PDF header".into()));
    }
    let password = password.unwrap_or("").to_owned();
    let limits_for_worker = limits.clone();
    let (tx, rx) = mpsc::channel();
    let started = Instant::now();
    std::thread::Builder::new()
        .name("pdf-extract".into())
        .stack_size(limits.stack_bytes)
        .spawn(move || {
            let result = open_and_extract(bytes, &password, &limits_for_worker, started);
            // The receiver may have given up (timeout); nothing to do then.
            let _ = tx.send(result);
        })
        .map_err(|e| PdfError::LimitExceeded(format!("could not start extraction: {e}")))?;
    match rx.recv_timeout(limits.max_duration) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => Err(PdfError::LimitExceeded(format!(
            "extraction took longer than {:?}",
            limits.max_duration
        ))),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(PdfError::Invalid(
            "the PDF reader stopped unexpectedly".into(),
        )),
    }
}

fn open_and_extract(
    bytes: Vec<u8>,
    password: &str,
    limits: &Limits,
    started: Instant,
) -> Result<Document, PdfError> {
    let encrypted = metadata::has_encrypt_dictionary(&bytes);
    let incremental_updates = metadata::count_incremental_updates(&bytes);
    let cut_short = metadata::ends_without_eof_marker(&bytes);
    // Encryption that covers only embedded files leaves every page readable; the reader would
    // still ask for the password, so it is shown the file without its /Encrypt reference.
    let bytes = if encrypted && metadata::encrypts_attachments_only(&bytes) {
        metadata::without_encrypt_reference(bytes)
    } else {
        bytes
    };
    let bytes = Arc::new(bytes);
    let pdf = load(bytes.clone(), password)?;
    inflate_guard::check(&pdf, limits)?;
    let mut metadata = metadata::read(&pdf);
    metadata.incremental_updates = incremental_updates;
    let signing = metadata::signature_revisions(&bytes, incremental_updates);
    metadata.signature_updates = signing.signatures;
    metadata.signing_times = signing.times;
    metadata.updates_signed_over = signing.signed_over;
    for signed in metadata::signature_field_times(&pdf) {
        if !metadata.signing_times.contains(&signed) {
            metadata.signing_times.push(signed);
        }
    }
    if !encrypted {
        metadata::read_dates_strictly(&bytes, &mut metadata);
    }
    let total = pdf.pages().len();
    let readable = total.min(limits.max_pages);
    let pages = extract_in_parallel(&pdf, &bytes, password, readable, limits, started)?;
    Ok(Document {
        pages,
        metadata,
        encrypted,
        pages_skipped: total - readable,
        cut_short,
    })
}

/// Pages are independent, so long statements are split into contiguous ranges read on
/// separate threads, each with its own parsed copy of the document (hayro's interpreter state
/// is single-threaded). Short files stay on one thread: the extra parse would cost more.
fn extract_in_parallel(
    pdf: &hayro_syntax::Pdf,
    bytes: &Arc<Vec<u8>>,
    password: &str,
    readable: usize,
    limits: &Limits,
    started: Instant,
) -> Result<Vec<PageText>, PdfError> {
    const MIN_PAGES_PER_THREAD: usize = 8;
    let threads = limits.threads.min(readable / MIN_PAGES_PER_THREAD).max(1);
    if threads == 1 {
        return extract::extract_pages(pdf, 0..readable, limits, started);
    }
    let chunk = readable.div_ceil(threads);
    let ranges: Vec<std::ops::Range<usize>> = (0..threads)
        .map(|t| t * chunk..((t + 1) * chunk).min(readable))
        .collect();
    std::thread::scope(|scope| {
        let mut handles = Vec::new();
        // The first range is read here, on the document already open.
        for range in ranges.iter().skip(1).cloned() {
            let bytes = bytes.clone();
            let handle = std::thread::Builder::new()
                .name("pdf-extract-part".into())
                .stack_size(limits.stack_bytes)
                .spawn_scoped(scope, move || {
                    let own = load(bytes, password)?;
                    extract::extract_pages(&own, range, limits, started)
                })
                .map_err(|e| PdfError::LimitExceeded(format!("could not start extraction: {e}")))?;
            handles.push(handle);
        }
        let mut pages = extract::extract_pages(pdf, ranges[0].clone(), limits, started)?;
        for handle in handles {
            let part = handle
                .join()
                .map_err(|_| PdfError::Invalid("the PDF reader stopped unexpectedly".into()))??;
            pages.extend(part);
        }
        Ok(pages)
    })
}

fn load(bytes: Arc<Vec<u8>>, password: &str) -> Result<hayro_syntax::Pdf, PdfError> {
    use hayro_syntax::{DecryptionError, LoadPdfError, Pdf};
    match Pdf::new_with_password(bytes, password) {
        Ok(pdf) => Ok(pdf),
        Err(LoadPdfError::Decryption(DecryptionError::PasswordProtected))
            if password.is_empty() =>
        {
            Err(PdfError::PasswordRequired)
        }
        Err(LoadPdfError::Decryption(DecryptionError::PasswordProtected)) => {
            Err(PdfError::PasswordIncorrect)
        }
        Err(LoadPdfError::Decryption(DecryptionError::UnsupportedAlgorithm)) => {
            Err(PdfError::UnsupportedEncryption)
        }
        Err(LoadPdfError::Decryption(e)) => Err(PdfError::Invalid(format!("encryption: {e:?}"))),
        Err(LoadPdfError::Invalid) => {
            Err(PdfError::Invalid("the file structure is unreadable".into()))
        }
    }
}

/// Real files sometimes carry junk before the header; the spec allows it within the first 1 KiB.
fn has_pdf_header(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    head.windows(5).any(|w| w == b"%PDF-")
}
