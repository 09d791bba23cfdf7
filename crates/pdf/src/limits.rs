use crate::PdfError;
use std::time::Duration;

/// Bounds on what one untrusted file may cost.
///
/// The defaults fit a 24-month statement of a busy current account (≈ 600 pages) with a wide
/// margin, while a decompression bomb or a page-count lie (`/Count 2e9`) is stopped early.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest accepted file, in bytes.
    pub max_file_bytes: usize,
    /// Pages beyond this are not read (reported as skipped).
    pub max_pages: usize,
    /// Glyphs kept per page; text beyond it is dropped (no real statement page comes close).
    pub max_glyphs_per_page: usize,
    /// Wall-clock budget for opening and extracting the whole file.
    pub max_duration: Duration,
    /// Stack of each extraction thread: deep but legal nesting must not overflow it.
    pub stack_bytes: usize,
    /// Threads one long file's pages may be spread over.
    pub threads: usize,
    /// Total size the file's compressed non-image streams may inflate to.
    pub max_inflated_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_file_bytes: 50 * 1024 * 1024,
            max_pages: 1_500,
            max_glyphs_per_page: 60_000,
            max_duration: Duration::from_secs(60),
            stack_bytes: 64 * 1024 * 1024,
            threads: std::thread::available_parallelism().map_or(1, |n| n.get().min(4)),
            max_inflated_bytes: 256 * 1024 * 1024,
        }
    }
}

impl Limits {
    pub(crate) fn check_size(&self, len: usize) -> Result<(), PdfError> {
        if len == 0 {
            return Err(PdfError::Invalid("the file is empty".into()));
        }
        if len > self.max_file_bytes {
            return Err(PdfError::LimitExceeded(format!(
                "file of {len} bytes is larger than the {} byte limit",
                self.max_file_bytes
            )));
        }
        Ok(())
    }
}
