//! A decompression bomb (a few hundred KB that inflate to gigabytes) would make the PDF reader
//! allocate the whole output. Before any page is interpreted, every Flate-compressed stream the
//! interpreter may decode is inflated into a fixed 64 KiB window just to count its size, so a
//! bomb is refused with [`PdfError::LimitExceeded`] while memory stays flat.
//!
//! Image streams are skipped: text extraction never decodes them, and a scanned statement's
//! pages legitimately inflate to hundreds of megabytes.

use crate::{Limits, PdfError};
use hayro_syntax::object::Name;
use hayro_syntax::Filter;
use hayro_syntax::Pdf;
use miniz_oxide::inflate::stream::{inflate, InflateState};
use miniz_oxide::{DataFormat, MZFlush, MZStatus};

const WINDOW: usize = 64 * 1024;

pub(crate) fn check(pdf: &Pdf, limits: &Limits) -> Result<(), PdfError> {
    let mut state = InflateState::new_boxed(DataFormat::Zlib);
    let mut window = vec![0_u8; WINDOW];
    let mut total: u64 = 0;
    for object in pdf.objects() {
        let Some(stream) = object.into_stream() else {
            continue;
        };
        let is_image = stream
            .dict()
            .get::<Name<'_>>(b"Subtype".as_slice())
            .is_some_and(|subtype| subtype.as_ref() == b"Image");
        if is_image || stream.filters().first() != Some(&Filter::FlateDecode) {
            continue;
        }
        state.reset(DataFormat::Zlib);
        total += inflated_size(
            &mut state,
            &stream.raw_data(),
            &mut window,
            limits.max_inflated_bytes - total.min(limits.max_inflated_bytes),
        );
        if total > limits.max_inflated_bytes {
            return Err(PdfError::LimitExceeded(format!(
                "compressed streams inflate to more than {} bytes",
                limits.max_inflated_bytes
            )));
        }
    }
    Ok(())
}

/// Bytes `data` inflates to, counting at most `budget + 1` of them. Corrupt data counts what it
/// produced before the error; the reader decides later what to make of it.
fn inflated_size(state: &mut InflateState, mut data: &[u8], window: &mut [u8], budget: u64) -> u64 {
    let mut produced: u64 = 0;
    loop {
        let result = inflate(state, data, window, MZFlush::None);
        produced += result.bytes_written as u64;
        data = &data[result.bytes_consumed.min(data.len())..];
        match result.status {
            _ if produced > budget => return produced,
            Ok(MZStatus::StreamEnd) | Err(_) => return produced,
            Ok(_) if result.bytes_consumed == 0 && result.bytes_written == 0 => return produced,
            Ok(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{open, Limits, PdfError};
    use ledgerlens_fixtures::pdf::RawPdf;

    /// A one-page PDF whose content stream is `inflated` bytes of spaces, Flate-compressed.
    fn pdf_with_content(inflated: usize) -> Vec<u8> {
        let compressed = miniz_oxide::deflate::compress_to_vec_zlib(&vec![b' '; inflated], 6);
        RawPdf::one_page("/Filter /FlateDecode", &compressed)
    }

    #[test]
    fn a_decompression_bomb_is_refused_before_it_is_decoded() {
        let limits = Limits {
            max_inflated_bytes: 4 * 1024 * 1024,
            ..Limits::default()
        };
        let bomb = pdf_with_content(32 * 1024 * 1024);
        assert!(
            bomb.len() < 100 * 1024,
            "the bomb is small: {} bytes",
            bomb.len()
        );
        match open(bomb, None, &limits) {
            Err(PdfError::LimitExceeded(why)) => assert!(why.contains("inflate"), "{why}"),
            other => panic!("expected LimitExceeded, got {other:?}"),
        }
    }

    #[test]
    fn ordinary_compressed_content_opens() {
        let limits = Limits {
            max_inflated_bytes: 4 * 1024 * 1024,
            ..Limits::default()
        };
        let document = open(pdf_with_content(64 * 1024), None, &limits).expect("opens");
        assert_eq!(document.pages.len(), 1);
    }
}
