//! The process's allocator: mimalloc, asked through its plain entry points where it can be.
//!
//! The `mimalloc` crate passes every request to `mi_malloc_aligned`/`mi_realloc_aligned`, which
//! check the alignment and try the aligned fast path before reaching the same small-block code
//! `mi_malloc` starts in: ~40 instructions a call against ~20, over the ~950,000 allocations and
//! ~190,000 reallocations of a 114-page statement's enriched parse. Every mimalloc block is a
//! whole number of machine words in a word-aligned page, so a request aligned to a word or less
//! is met by the plain calls; only wider alignments (u128 sort keys) take the aligned ones.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

/// The alignment every block `mi_malloc` returns has (mimalloc's `MI_INTPTR_SIZE`).
const WORD_ALIGN: usize = std::mem::size_of::<usize>();

pub struct Allocator;

// SAFETY: each call forwards to mimalloc, which returns blocks of at least the size asked for,
// aligned to a word or (through the `mimalloc` crate) to the alignment asked for, and frees
// any of its blocks with `mi_free` whatever entry point allocated it.
unsafe impl GlobalAlloc for Allocator {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= WORD_ALIGN {
            // SAFETY: plain allocation of a non-zero size (GlobalAlloc's contract).
            unsafe { libmimalloc_sys::mi_malloc(layout.size()).cast() }
        } else {
            // SAFETY: forwarded with the caller's guarantees.
            unsafe { mimalloc::MiMalloc.alloc(layout) }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= WORD_ALIGN {
            // SAFETY: as in `alloc`.
            unsafe { libmimalloc_sys::mi_zalloc(layout.size()).cast() }
        } else {
            // SAFETY: forwarded with the caller's guarantees.
            unsafe { mimalloc::MiMalloc.alloc_zeroed(layout) }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by this allocator, i.e. by mimalloc.
        unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if layout.align() <= WORD_ALIGN {
            // SAFETY: `ptr` is a live mimalloc block; the new block keeps a word's alignment.
            unsafe { libmimalloc_sys::mi_realloc(ptr.cast::<c_void>(), new_size).cast() }
        } else {
            // SAFETY: forwarded with the caller's guarantees.
            unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new_size) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_keep_the_alignment_asked_for_and_their_contents_through_realloc() {
        for (size, align) in [
            (1, 1),
            (3, 2),
            (12, 4),
            (24, 8),
            (24, 16),
            (40, 32),
            (4096, 8),
        ] {
            let layout = Layout::from_size_align(size, align).expect("layout");
            // SAFETY: non-zero sizes; every block is freed with the layout it was made with.
            unsafe {
                let p = Allocator.alloc(layout);
                assert!(
                    !p.is_null() && (p as usize).is_multiple_of(align),
                    "{size}/{align}"
                );
                p.write_bytes(0xA5, size);
                let grown = Allocator.realloc(p, layout, size * 3);
                assert!(
                    (grown as usize).is_multiple_of(align),
                    "realloc {size}/{align}"
                );
                assert!((0..size).all(|i| *grown.add(i) == 0xA5));
                Allocator.dealloc(grown, Layout::from_size_align(size * 3, align).expect("l"));
                let zeroed = Allocator.alloc_zeroed(layout);
                assert!(
                    (zeroed as usize).is_multiple_of(align)
                        && (0..size).all(|i| *zeroed.add(i) == 0)
                );
                Allocator.dealloc(zeroed, layout);
            }
        }
    }
}
