//! The engine's view of a page: words with horizontal extents, grouped into visual lines.
//!
//! Everything downstream (table detection, identity, bank detection) works on [`Line`]s, so the
//! PDF backend can change without touching the statement logic.

/// A run of glyphs with no visible gap inside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    pub text: String,
    /// Left edge in points from the page's left side.
    pub x0: f32,
    /// Right edge in points.
    pub x1: f32,
}

/// Words sharing one baseline on one page, sorted left to right.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// 1-based page number.
    pub page: usize,
    /// Baseline, in points from the top of the page (grows downwards).
    pub y: f32,
    /// Dominant font size of the line, in points.
    pub size: f32,
    pub words: Vec<Word>,
}

impl Line {
    /// All words joined by single spaces.
    pub fn text(&self) -> String {
        // `join_words` sized up front: a row's text grew through several reallocations.
        let mut out = String::with_capacity(self.words.iter().map(|w| w.text.len() + 1).sum());
        for w in &self.words {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&w.text);
        }
        out
    }

    /// Groups of words separated by gaps wider than `gap_factor` × font size: the "cells" a human
    /// sees, e.g. `["Account No", ":", "50100012345678"]` or `["IFSC", "HDFC0001234"]`.
    pub fn phrases(&self, gap_factor: f32) -> Vec<Phrase> {
        let max_gap = self.size.max(1.0) * gap_factor;
        let mut phrases: Vec<Phrase> = Vec::new();
        for word in &self.words {
            match phrases.last_mut() {
                Some(p) if word.x0 - p.x1 <= max_gap => {
                    p.text.push(' ');
                    p.text.push_str(&word.text);
                    p.x1 = word.x1;
                }
                _ => phrases.push(Phrase {
                    text: word.text.clone(),
                    x0: word.x0,
                    x1: word.x1,
                }),
            }
        }
        phrases
    }
}

/// Adjacent words of one line that read as one unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Phrase {
    pub text: String,
    pub x0: f32,
    pub x1: f32,
}

/// The words' texts joined by single spaces. The length is counted first: lines, cells and
/// narrations are joined by the tens of thousands, and growing each string from empty cost
/// 7 M instructions of reallocation on the 114-page bench statement.
pub(crate) fn join_words<'a>(words: impl Iterator<Item = &'a Word> + Clone) -> String {
    let (bytes, count) = words.clone().fold((0usize, 0usize), |(bytes, count), w| {
        (bytes + w.text.len(), count + 1)
    });
    let mut out = String::with_capacity(bytes + count.saturating_sub(1));
    for w in words {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&w.text);
    }
    out
}
