//! Positioned text from hayro's interpreter.
//!
//! hayro calls our [`Device`] with runs of positioned glyphs; we keep each glyph's Unicode text,
//! baseline position, size and advance, then rebuild words geometrically. Geometry (not content
//! stream order) decides word boundaries because statement generators emit text in any order.

use crate::{Limits, PdfError};
use hayro_interpret::font::{Glyph, GlyphId};
use hayro_interpret::kurbo::{Affine, BezPath, Point, Rect, Shape, Vec2};
use hayro_interpret::{
    interpret_page, BlendMode, ClipPath, Context, Device, DrawMode, DrawProps, Image,
    ImageDrawProps, InterpreterCache, InterpreterSettings, SoftMask,
};
use hayro_syntax::object::{Dict, Name};
use hayro_syntax::page::Page;
use hayro_syntax::Pdf;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;
use std::time::Instant;

/// One word: glyphs on one baseline with no visible gap between them.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    pub text: String,
    /// Left edge, points from the page's left side.
    pub x0: f32,
    /// Right edge (origin of the last glyph plus its advance).
    pub x1: f32,
    /// Baseline, points from the top of the page.
    pub y: f32,
    /// Font size in points (the rendered em height).
    pub size: f32,
    /// PostScript name of the embedded font, when the font program carries one.
    pub font: Option<Arc<str>>,
    /// The font program the word's first glyph was drawn with, as the content hash the
    /// interpreter keys its programs by (truncated): two font dictionaries sharing one program
    /// read the same, another face, weight or subset reads different, whether or not the
    /// program names itself (standard fonts and Type 1 programs carry no name here). None for
    /// Type 3 glyphs. Fraud evidence: figures retyped through a font of an editor's own.
    pub font_program: Option<u64>,
    /// Drawn with render mode 3 (an OCR layer or hidden text).
    pub invisible: bool,
}

/// The text and picture content of one page.
#[derive(Debug, Clone, Default)]
pub struct PageText {
    /// 1-based.
    pub number: usize,
    pub width: f32,
    pub height: f32,
    /// Words in reading order: top to bottom, then left to right.
    pub runs: Vec<TextRun>,
    /// Visible, upright glyphs on the page.
    pub glyph_count: usize,
    /// Glyphs drawn rotated (watermarks, vertical labels): counted, not returned as runs.
    pub rotated_glyphs: usize,
    /// Glyphs whose origin lies outside the page.
    pub offpage_glyphs: usize,
    pub image_count: usize,
    /// Share of the page area covered by images (can exceed 1 with overlaps).
    pub image_coverage: f32,
    /// Filled shapes of a glyph's size: a page whose text was drawn as outlines (Ghostscript's
    /// -dNoOutputFonts, "flatten" and "outline fonts" options) shows its words as thousands of
    /// these and carries no text.
    pub glyph_shapes: usize,
    /// BaseFont names of the fonts the page's resources declare, each followed by
    /// `#<object number>` when the font is an indirect object; a font no text operator of the
    /// page's own content selects is left out (see `declared_fonts`).
    pub fonts: Vec<String>,
    /// True when text beyond [`Limits::max_glyphs_per_page`] was dropped.
    pub truncated: bool,
}

/// Reads the pages in `range` (0-based indices).
pub(crate) fn extract_pages(
    pdf: &Pdf,
    range: std::ops::Range<usize>,
    limits: &Limits,
    started: Instant,
) -> Result<Vec<PageText>, PdfError> {
    let pages = pdf.pages();
    let settings = InterpreterSettings::default();
    let cache = InterpreterCache::new();
    let mut out = Vec::with_capacity(range.len());
    let mut scratch = Scratch::default();
    for index in range {
        if started.elapsed() > limits.max_duration {
            return Err(PdfError::LimitExceeded(format!(
                "extraction took longer than {:?}",
                limits.max_duration
            )));
        }
        let Some(page) = pages.get(index) else { break };
        let (text, scratch_back) =
            extract_page(page, index + 1, &cache, &settings, limits, scratch);
        scratch = scratch_back;
        out.push(text);
    }
    Ok(out)
}

fn extract_page<'a>(
    page: &Page<'a>,
    number: usize,
    cache: &InterpreterCache<'a>,
    settings: &InterpreterSettings,
    limits: &Limits,
    scratch: Scratch,
) -> (PageText, Scratch) {
    let (width, height) = page.render_dimensions();
    let initial = Affine::new(page.initial_transform(true).as_coeffs());
    let bbox = Rect::new(0.0, 0.0, f64::from(width), f64::from(height));
    let mut context = Context::new(initial, bbox, cache, page.xref(), settings.clone());
    let mut collector = Collector::new(width, height, limits.max_glyphs_per_page, scratch);
    interpret_page(page, &mut context, &mut collector);
    let fonts = declared_fonts(page);
    collector.finish(number, fonts)
}

fn declared_fonts(page: &Page<'_>) -> Vec<String> {
    let Some(font_dict) = page
        .raw()
        .get::<Dict<'_>>(b"Resources".as_slice())
        .and_then(|r| r.get::<Dict<'_>>(b"Font".as_slice()))
    else {
        return Vec::new();
    };
    // A font the page's resources bring along that no text operator of the page selects
    // draws nothing (an overlay of rules or images, such as a mailer's stamp, carries its
    // font resource with it): it is left out, so it is not read as the page's type.
    let selected = fonts_selected(page);
    // The object number travels with the name: a font object shared by every page and a
    // separate copy on each page (what overlaying text page by page leaves) read the same
    // by name, and the fraud checks need to tell them apart.
    let mut names: Vec<String> = font_dict
        .keys()
        .filter(|key| {
            selected
                .as_ref()
                .is_none_or(|selected| selected.contains(key.as_ref()))
        })
        .filter_map(|key| {
            let font = font_dict.get::<Dict<'_>>(&key)?;
            let name = font.get::<Name<'_>>(b"BaseFont".as_slice())?;
            let name = String::from_utf8_lossy(name.as_ref()).into_owned();
            Some(match font_dict.get_ref(&key) {
                Some(reference) => format!("{name}#{}", reference.obj_number),
                None => name,
            })
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The font resource names the page's own content selects (`/F1 9 Tf`), or `None` where that
/// cannot be told: no content read, or a Form XObject painted with the page's fonts (one with
/// no resources of its own). A string that happens to hold "Tf" can only add names.
fn fonts_selected(page: &Page<'_>) -> Option<std::collections::HashSet<Vec<u8>>> {
    let content = page.page_stream()?;
    let inherits_fonts = page
        .raw()
        .get::<Dict<'_>>(b"Resources".as_slice())
        .and_then(|r| r.get::<Dict<'_>>(b"XObject".as_slice()))
        .is_some_and(|xobjects| {
            xobjects.keys().any(|key| {
                xobjects
                    .get::<hayro_syntax::object::Stream<'_>>(&key)
                    .is_some_and(|form| {
                        let dict = form.dict();
                        dict.get::<Name<'_>>(b"Subtype".as_slice())
                            .is_some_and(|subtype| subtype.as_ref() == b"Form")
                            && !dict.contains_key(b"Resources".as_slice())
                    })
            })
        });
    if inherits_fonts {
        return None;
    }
    Some(
        selected_font_names(content)
            .into_iter()
            .map(<[u8]>::to_vec)
            .collect(),
    )
}

/// Operands naming a font before each `Tf` operator of a content stream.
fn selected_font_names(content: &[u8]) -> Vec<&[u8]> {
    let space = |b: u8| matches!(b, b' ' | b'\n' | b'\r' | b'\t' | b'\x0c' | b'\0');
    let mut names = Vec::new();
    let mut from = 0;
    while let Some(found) = content[from..].windows(2).position(|pair| pair == b"Tf") {
        let at = from + found;
        from = at + 2;
        // The operator stands alone: white space or a delimiter after it.
        if content
            .get(at + 2)
            .is_some_and(|&b| !space(b) && !b"/[(<%".contains(&b))
        {
            continue;
        }
        let mut i = at;
        while i > 0 && space(content[i - 1]) {
            i -= 1;
        }
        let size_end = i;
        while i > 0 && matches!(content[i - 1], b'0'..=b'9' | b'.' | b'-' | b'+') {
            i -= 1;
        }
        if i == size_end {
            continue;
        }
        while i > 0 && space(content[i - 1]) {
            i -= 1;
        }
        let name_end = i;
        while i > 0 && !space(content[i - 1]) && content[i - 1] != b'/' {
            i -= 1;
        }
        if i > 0 && content[i - 1] == b'/' && i < name_end {
            names.push(&content[i..name_end]);
        }
    }
    names
}

/// A glyph as placed on the page. Kept small and free of owned data: a page's glyphs are
/// sorted into reading order, and moving 56-byte records with an `Arc` each was a visible
/// share of extraction.
struct PlacedGlyph {
    /// Byte range of its text in `Scratch::text`.
    text_start: u32,
    text_end: u32,
    x0: f32,
    x1: f32,
    y: f32,
    size: f32,
    /// Index into `Scratch::fonts`.
    font: u32,
    is_space: bool,
    invisible: bool,
    /// Horizontal extent of the clip the glyph was drawn under (unbounded without one): a
    /// sheet's cell clips its text at the cell's edge.
    clip_x0: f32,
    clip_x1: f32,
}

impl PlacedGlyph {
    fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.text_start as usize..self.text_end as usize]
    }
}

/// What one thread keeps from page to page: the glyph cache, and the page buffers, emptied
/// but with their capacity, so a page does not grow them again from nothing.
#[derive(Default)]
struct Scratch {
    glyph_cache: GlyphCache,
    /// The glyphs met last, by char code (see [`RecentGlyphs`]).
    recent: RecentGlyphs,
    text: String,
    glyphs: Vec<PlacedGlyph>,
    /// Font names of the page's glyph runs, consecutive repeats folded.
    fonts: Vec<Option<Arc<str>>>,
    /// The font program of each entry of `fonts` (see [`TextRun::font_program`]).
    programs: Vec<Option<u64>>,
    /// Sort keys of the glyphs in reading order (see [`build_words`]).
    order: Vec<u128>,
    /// The same keys in drawing order, and where each piece of one line starts in them.
    drawn: Vec<u128>,
    /// First key, start and end (in `drawn`) of each piece.
    pieces: Vec<(u128, u32, u32)>,
    /// Glyphs turned a quarter, a half and three quarters clockwise from upright, placed in the
    /// frame of a reader who turns the page to read them: kept in case the page is one turned
    /// as a whole (landscape content drawn sideways on a portrait page, with no /Rotate).
    turned: [Vec<PlacedGlyph>; 3],
    /// Start and end (in `order`) of each baseline band.
    bands: Vec<(u32, u32)>,
    /// Steps between neighbouring glyphs' origins, for the page's [`WordGap`].
    steps: Vec<f32>,
}

struct Collector {
    width: f32,
    height: f32,
    glyph_cap: usize,
    glyph_count: usize,
    rotated: usize,
    offpage: usize,
    images: usize,
    image_area: f64,
    glyph_shapes: usize,
    truncated: bool,
    /// Visible glyphs among `Scratch::turned`, per turn.
    turned_visible: [usize; 3],
    /// Horizontal extents of the clips in effect, each within the one before it.
    clips: Vec<(f32, f32)>,
    scratch: Scratch,
}

/// What is kept of a glyph already resolved in this document.
struct GlyphFacts {
    text: Box<str>,
    /// In glyph space (1000 units per em).
    advance: f32,
    /// The text is white space only (a word break, not a visible glyph).
    is_space: bool,
}

/// Glyphs already resolved in this document, by font program, glyph and char code.
///
/// Keyed by font program, not by font dictionary: two dictionaries sharing one program (the
/// same standard font declared twice) are assumed to agree on widths and Unicode, as the
/// Unicode cache has always assumed.
/// The key is the glyph identifier's content (program hash and glyph, as its equality compares
/// them; the vendored hayro-font gives it without cloning the program) and the char code.
type GlyphCache = HashMap<GlyphKey, GlyphFacts, BuildHasherDefault<KeyHasher>>;

/// A glyph's font program and glyph (as the glyph identifier compares them) and its char code.
type GlyphKey = ((u128, Option<GlyphId>), u32);

/// Slots of [`RecentGlyphs`]: one per single-byte char code.
const RECENT_SLOTS: usize = 256;

/// The facts of the glyph last met with each char code (modulo 256), with its full key: a
/// statement draws the same few fonts' same few codes over and over, so nearly every glyph is
/// found here by comparing its key with one slot's, without hashing it into [`GlyphCache`]
/// (the facts are the map's, copied; a slot whose key differs is looked up there as before).
struct RecentGlyphs(Box<[Option<(GlyphKey, RecentFacts)>]>);

/// [`GlyphFacts`] as a slot keeps them: the text inline when it is one byte (nearly always),
/// else taken from the map.
#[derive(Clone, Copy)]
struct RecentFacts {
    advance: f32,
    is_space: bool,
    /// The text's single byte (ASCII), or `None` when it is longer.
    byte: Option<u8>,
}

impl Default for RecentGlyphs {
    fn default() -> Self {
        Self(vec![None; RECENT_SLOTS].into_boxed_slice())
    }
}

impl RecentGlyphs {
    fn slot(key: &GlyphKey) -> usize {
        key.1 as usize % RECENT_SLOTS
    }

    fn get(&self, key: &GlyphKey) -> Option<RecentFacts> {
        match self.0.get(Self::slot(key)) {
            Some(Some((kept, facts))) if kept == key => Some(*facts),
            _ => None,
        }
    }

    fn put(&mut self, key: GlyphKey, facts: &GlyphFacts) {
        let byte = match facts.text.as_bytes() {
            [b] if b.is_ascii() => Some(*b),
            _ => None,
        };
        if let Some(slot) = self.0.get_mut(Self::slot(&key)) {
            *slot = Some((
                key,
                RecentFacts {
                    advance: facts.advance,
                    is_space: facts.is_space,
                    byte,
                },
            ));
        }
    }
}

/// The key already carries the font program's content hash, so mixing its words is enough:
/// SipHash per glyph was a visible share of extraction. (FxHash's multiply-rotate.)
#[derive(Default)]
struct KeyHasher(u64);

impl KeyHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn write_u128(&mut self, n: u128) {
        self.add(n as u64);
        self.add((n >> 64) as u64);
    }
}

impl Collector {
    fn new(width: f32, height: f32, glyph_cap: usize, mut scratch: Scratch) -> Self {
        scratch.text.clear();
        scratch.glyphs.clear();
        scratch.fonts.clear();
        scratch.programs.clear();
        scratch.order.clear();
        for turned in &mut scratch.turned {
            turned.clear();
        }
        Self {
            width,
            height,
            glyph_cap,
            glyph_count: 0,
            rotated: 0,
            offpage: 0,
            images: 0,
            image_area: 0.0,
            glyph_shapes: 0,
            truncated: false,
            turned_visible: [0; 3],
            clips: Vec::new(),
            scratch,
        }
    }

    /// The index of `name` drawn by `program` in the page's font list; a run in the same font
    /// as the run before it (the usual case) adds nothing.
    fn font_index(&mut self, name: Option<&str>, program: Option<u64>) -> u32 {
        let fonts = &mut self.scratch.fonts;
        let programs = &mut self.scratch.programs;
        if fonts.last().is_none_or(|last| last.as_deref() != name)
            || programs.last() != Some(&program)
        {
            fonts.push(name.map(Arc::from));
            programs.push(program);
        }
        // Fewer runs than glyphs, and glyphs per page are capped far below u32::MAX.
        (fonts.len() - 1) as u32
    }

    fn add_glyph(&mut self, glyph: &Glyph<'_>, transform: Affine, font: u32, invisible: bool) {
        let [a, b, _c, d, _, _] = transform.as_coeffs();
        // An upright glyph has no rotation part; watermarks and vertical labels do.
        let upright = !(b.abs() > 0.05 * a.abs().max(1e-9) || a <= 0.0 || d == 0.0);
        let turn = if upright { 0 } else { quarter_turn(transform) };
        if !upright {
            self.rotated += 1;
            if turn == 0 {
                return;
            }
        }
        let origin = transform * Point::ORIGIN;
        let (width, height) = turned_size(turn, self.width, self.height);
        let (x0, y) = turned_point(turn, origin, self.width, self.height);
        if x0 < -1.0 || y < -1.0 || x0 > width + 1.0 || y > height + 1.0 {
            if upright {
                self.offpage += 1;
            }
            return;
        }
        let em = linear(transform, Vec2::new(0.0, f64::from(UNITS_PER_EM)));
        let size = em.hypot() as f32;
        let start = self.scratch.text.len();
        let (advance, is_space) = self.push_glyph_facts(glyph);
        let advance_vec = linear(transform, Vec2::new(f64::from(advance), 0.0));
        let advance = if upright {
            advance_vec.x as f32
        } else {
            advance_vec.hypot() as f32
        };
        if !is_space {
            match turn {
                0 => self.glyph_count += 1,
                _ => self.turned_visible[turn - 1] += 1,
            }
        }
        let (clip_x0, clip_x1) = match (turn, self.clips.last()) {
            (0, Some(&clip)) => clip,
            _ => (f32::NEG_INFINITY, f32::INFINITY),
        };
        // A page's text stays far below 4 GiB: glyphs per page are capped.
        let placed = PlacedGlyph {
            text_start: start as u32,
            text_end: self.scratch.text.len() as u32,
            x0,
            // What shows of a glyph the clip cuts ends at the clip: a sheet's cell keeps the
            // last glyph that starts inside it, and its advance reaching past the cell's edge
            // under the next cell's text hid the white space between the two columns.
            x1: if x0 < clip_x1 {
                (x0 + advance).min(clip_x1)
            } else {
                x0 + advance
            },
            y,
            size,
            font,
            is_space,
            invisible,
            clip_x0,
            clip_x1,
        };
        match turn {
            0 => self.scratch.glyphs.push(placed),
            _ => self.scratch.turned[turn - 1].push(placed),
        }
    }

    /// Glyphs placed so far, upright or turned (the page's cap counts them all).
    fn placed(&self) -> usize {
        self.scratch.glyphs.len() + self.scratch.turned.iter().map(Vec::len).sum::<usize>()
    }

    /// A page whose text is nearly all turned one way (landscape content drawn sideways on a
    /// portrait page, a page printed upside down) is read in the frame of a reader who turns
    /// it: those glyphs become the page's text, and its width and height follow the turn.
    fn turn_sideways_page(&mut self) {
        let Some((index, &visible)) = self
            .turned_visible
            .iter()
            .enumerate()
            .max_by_key(|(_, count)| **count)
        else {
            return;
        };
        if visible < MIN_TURNED_PAGE_GLYPHS || visible <= self.glyph_count * 4 {
            return;
        }
        let turn = index + 1;
        let upright_placed = self.scratch.glyphs.len();
        std::mem::swap(&mut self.scratch.glyphs, &mut self.scratch.turned[index]);
        let turned_placed = self.scratch.glyphs.len();
        self.rotated = self.rotated + upright_placed - turned_placed;
        self.turned_visible[index] = self.glyph_count;
        self.glyph_count = visible;
        (self.width, self.height) = turned_size(turn, self.width, self.height);
    }

    /// Appends the glyph's text and returns its advance. Resolving Unicode walks encoding and
    /// glyph-name tables and a standard font's width is two hashed name look-ups, the costliest
    /// steps per glyph, so both are kept per font program, glyph and code.
    fn push_glyph_facts(&mut self, glyph: &Glyph<'_>) -> (f32, bool) {
        let key = match glyph {
            Glyph::Outline(outline) => Some((outline.identifier_key(), outline.char_code())),
            Glyph::Type3(_) => None,
        };
        let scratch = &mut self.scratch;
        if let Some(key) = key.as_ref() {
            if let Some(recent) = scratch.recent.get(key) {
                match recent.byte {
                    Some(byte) => scratch.text.push(char::from(byte)),
                    None => {
                        if let Some(facts) = scratch.glyph_cache.get(key) {
                            scratch.text.push_str(&facts.text);
                        }
                    }
                }
                return (recent.advance, recent.is_space);
            }
            if let Some(facts) = scratch.glyph_cache.get(key) {
                scratch.text.push_str(&facts.text);
                scratch.recent.put(*key, facts);
                return (facts.advance, facts.is_space);
            }
        }
        let text: Box<str> = match glyph.as_unicode() {
            Some(hayro_interpret::hayro_cmap::BfString::Char(c)) => match ligature_letters(c) {
                Some(letters) => letters.into(),
                None => c.to_string().into(),
            },
            Some(hayro_interpret::hayro_cmap::BfString::String(s)) => {
                if s.chars().any(|c| ligature_letters(c).is_some()) {
                    s.chars()
                        .map(|c| ligature_letters(c).map_or_else(|| c.to_string(), str::to_string))
                        .collect::<String>()
                        .into()
                } else {
                    s.into()
                }
            }
            None => "\u{FFFD}".into(),
        };
        let advance = glyph_advance(glyph).unwrap_or(UNITS_PER_EM * 0.5);
        let is_space = text.chars().all(char::is_whitespace);
        scratch.text.push_str(&text);
        if let Some(key) = key {
            scratch.glyph_cache.insert(
                key,
                GlyphFacts {
                    text,
                    advance,
                    is_space,
                },
            );
        }
        (advance, is_space)
    }

    fn finish(mut self, number: usize, fonts: Vec<String>) -> (PageText, Scratch) {
        self.turn_sideways_page();
        let runs = build_words(&mut self.scratch);
        let page_area = f64::from(self.width) * f64::from(self.height);
        let page = PageText {
            number,
            width: self.width,
            height: self.height,
            runs,
            glyph_count: self.glyph_count,
            rotated_glyphs: self.rotated,
            offpage_glyphs: self.offpage,
            image_count: self.images,
            image_coverage: if page_area > 0.0 {
                (self.image_area / page_area) as f32
            } else {
                0.0
            },
            glyph_shapes: self.glyph_shapes,
            fonts,
            truncated: self.truncated,
        };
        (page, self.scratch)
    }
}

const UNITS_PER_EM: f32 = 1000.0;

/// A filled shape the size of a printed character (2-30 pt tall, at most 40 pt wide): a
/// glyph drawn as an outline. Table rules, zebra bands and cell backgrounds are wider; a
/// logo is one or a few shapes on a page, not hundreds.
fn glyph_sized(bounds: Rect) -> bool {
    (2.0..=30.0).contains(&bounds.height()) && bounds.width() <= 40.0
}

/// Turned glyphs a page needs before it is read turned (with four times as many as upright
/// ones): a few words at least, not a stray vertical label.
const MIN_TURNED_PAGE_GLYPHS: usize = 20;

/// Quarter turns clockwise (1 to 3) that bring a glyph drawn along a page edge upright, as a
/// reader turning the page sees it; 0 when it is slanted (a watermark) or mirrored.
/// The letters of a Latin ligature character ("ﬂ" U+FB02 -> "fl"): fonts that shape "fl"
/// into one glyph (DejaVu and Liberation as Chrome's Skia prints them) map it to the
/// presentation form, which no narration, name or heading holds.
fn ligature_letters(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{FB00}' => "ff",
        '\u{FB01}' => "fi",
        '\u{FB02}' => "fl",
        '\u{FB03}' => "ffi",
        '\u{FB04}' => "ffl",
        '\u{FB05}' | '\u{FB06}' => "st",
        _ => return None,
    })
}

fn quarter_turn(t: Affine) -> usize {
    let [a, b, c, d, _, _] = t.as_coeffs();
    let along = |major: f64, minor: f64| minor.abs() <= 0.05 * major.abs();
    // The text's direction (a, b) and its up direction (c, d) in device space (y down): a
    // glyph is read turned when its direction is along an edge and its up is a quarter turn
    // counter-clockwise of it, as on an upright page.
    if along(b, a) && along(c, d) && b < 0.0 && c < 0.0 {
        1
    } else if along(a, b) && along(d, c) && a < 0.0 && d > 0.0 {
        2
    } else if along(b, a) && along(c, d) && b > 0.0 && c > 0.0 {
        3
    } else {
        0
    }
}

/// The page's size as read after `turn` quarter turns.
fn turned_size(turn: usize, width: f32, height: f32) -> (f32, f32) {
    match turn {
        1 | 3 => (height, width),
        _ => (width, height),
    }
}

/// Where a device point lies for a reader who turned the page `turn` quarters clockwise.
fn turned_point(turn: usize, p: Point, width: f32, height: f32) -> (f32, f32) {
    let (x, y) = (p.x as f32, p.y as f32);
    match turn {
        1 => (height - y, x),
        2 => (width - x, height - y),
        3 => (y, width - x),
        _ => (x, y),
    }
}

/// Applies only the linear part of `t` (a direction, not a point).
fn linear(t: Affine, v: Vec2) -> Vec2 {
    let [a, b, c, d, _, _] = t.as_coeffs();
    Vec2::new(a * v.x + c * v.y, b * v.x + d * v.y)
}

fn glyph_advance(glyph: &Glyph<'_>) -> Option<f32> {
    match glyph {
        Glyph::Outline(outline) => outline.advance_width(),
        Glyph::Type3(_) => None,
    }
}

/// The content hash of the glyph's font program, truncated (see [`TextRun::font_program`]).
fn font_program(glyph: &Glyph<'_>) -> Option<u64> {
    match glyph {
        Glyph::Outline(outline) => Some(outline.identifier_key().0 as u64),
        Glyph::Type3(_) => None,
    }
}

/// The PostScript name of the glyph's font program, where its bytes are embedded (as
/// `font_data` gives it, borrowed: that built a copy of the name and cloned the font's bytes
/// for every run drawn).
fn outline_font_name<'g>(glyph: &'g Glyph<'_>) -> Option<&'g str> {
    match glyph {
        Glyph::Outline(outline) => outline.postscript_name(),
        Glyph::Type3(_) => None,
    }
}

impl<'a> Device<'a> for Collector {
    fn draw_path(&mut self, path: &BezPath, props: DrawProps<'a>, mode: &DrawMode) {
        if matches!(mode, DrawMode::Fill(_) | DrawMode::FillAndStroke(..)) {
            let bounds = props.transform.transform_rect_bbox(path.bounding_box());
            self.glyph_shapes += usize::from(glyph_sized(bounds));
        }
    }
    fn push_clip_path(&mut self, clip: &ClipPath) {
        let bounds = clip.path.bounding_box();
        let (outer_x0, outer_x1) = self
            .clips
            .last()
            .copied()
            .unwrap_or((f32::NEG_INFINITY, f32::INFINITY));
        let (x0, x1) = (bounds.x0 as f32, bounds.x1 as f32);
        self.clips.push((x0.max(outer_x0), x1.min(outer_x1)));
    }
    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {}

    fn draw_glyph_run(
        &mut self,
        run: &hayro_interpret::font::GlyphRun<'_, 'a>,
        props: DrawProps<'a>,
        mode: &DrawMode,
    ) {
        let glyphs = run.glyphs();
        if self.placed() + glyphs.len() > self.glyph_cap {
            self.truncated = true;
            return;
        }
        let name = glyphs.first().and_then(|g| outline_font_name(g));
        let program = glyphs.first().and_then(|g| font_program(g));
        let font = self.font_index(name, program);
        let invisible = matches!(mode, DrawMode::Invisible);
        for glyph in glyphs {
            self.add_glyph(glyph, props.transform * glyph.transform(), font, invisible);
        }
    }

    fn draw_image(&mut self, image: Image<'a, '_>, props: ImageDrawProps<'a>) {
        self.images += 1;
        // The transform maps the image's pixel grid onto the page, so the area it covers is the
        // transform's determinant times the pixel count.
        let pixels = f64::from(image.width()) * f64::from(image.height());
        self.image_area += props.transform.determinant().abs() * pixels;
    }

    fn pop_clip(&mut self) {
        self.clips.pop();
    }
    fn pop_transparency_group(&mut self) {}
}

/// Sorts glyphs into baseline bands and splits each band into words at spaces and visible gaps.
///
/// Reading order is top to bottom, then left to right, ties in the order drawn. The glyphs stay
/// where they are: their sort keys — each coordinate mapped to an integer that orders like
/// `f32::total_cmp`, then the glyph's index — are sorted instead, so an unstable sort gives
/// exactly the order a stable sort of the glyphs would.
fn build_words(scratch: &mut Scratch) -> Vec<TextRun> {
    let Scratch {
        text,
        glyphs,
        fonts,
        programs,
        order,
        drawn,
        pieces,
        bands,
        steps,
        ..
    } = scratch;
    reading_order(glyphs, drawn, pieces, order);
    sort_bands(glyphs, order, bands);
    steps.clear();
    for &(start, end) in bands.iter() {
        glyph_steps(&order[start as usize..end as usize], glyphs, text, steps);
    }
    let word_gap = WordGap::of_page(steps);
    let mut words = Vec::new();
    for &(start, end) in bands.iter() {
        let band = &order[start as usize..end as usize];
        words_of_band(band, glyphs, text, (fonts, programs), word_gap, &mut words);
    }
    words
}

/// Splits the reading order into baseline bands (glyphs within 0.3 em below the band's first),
/// each sorted left to right.
fn sort_bands(glyphs: &[PlacedGlyph], order: &mut [u128], bands: &mut Vec<(u32, u32)>) {
    bands.clear();
    let mut band_start = 0;
    while band_start < order.len() {
        let first = &glyphs[key_index(order[band_start])];
        let band_y = first.y;
        let tolerance = (first.size * 0.3).max(0.5);
        let band_end = order[band_start..]
            .iter()
            .position(|&k| glyphs[key_index(k)].y - band_y > tolerance)
            .map_or(order.len(), |offset| band_start + offset);
        // Within the band, left to right; among equal x0 the order so far (y, then drawn).
        let band = &mut order[band_start..band_end];
        for key in band.iter_mut() {
            let i = key_index(*key);
            let g = &glyphs[i];
            *key = sort_key(g.x0, g.y, i);
        }
        band.sort_unstable();
        // Glyphs per page are capped far below u32::MAX.
        bands.push((band_start as u32, band_end as u32));
        band_start = band_end;
    }
}

/// The widest gap between two glyphs (from one's advance end to the next one's origin) that
/// still joins them into one word.
///
/// Letters touch and a word space is a quarter of an em or more, so a fifth of an em tells them
/// apart wherever glyphs sit where their advances put them. A browser or report engine that
/// lays a page out in screen pixels places each glyph at a pixel (0.75 pt at 96 dpi, 1 pt at
/// 72): every gap is then off by up to a pixel, letters spread over ±1 px and word spaces
/// shrink by as much, and at body sizes a fifth of an em glues words. On such a page every
/// step from one glyph's origin to the next is a whole number of pixels, which is how the grid
/// is found; a gap of up to a pixel is then a letter gap, a wider one a word space.
#[derive(Debug, Clone, Copy, PartialEq)]
struct WordGap {
    /// The pixel, points, of the device grid the page's glyphs are placed on, if they are.
    pitch: Option<f32>,
}

/// Resolutions of screens and print drivers that place glyphs on a grid, coarsest first (a
/// page on a 72 dpi grid is on the 144 dpi one too).
const DEVICE_DPI: [f32; 8] = [72.0, 96.0, 100.0, 120.0, 144.0, 150.0, 200.0, 300.0];

impl WordGap {
    /// Steps between neighbouring glyphs a page needs before its grid is looked for.
    const MIN_STEPS: usize = 40;
    /// How far, points, a step may be off a whole number of pixels: the pixels of these
    /// grids are whole hundredths of a point, exact as coordinates are written, so only
    /// arithmetic error. (Helvetica's advances at 9 pt come within 0.004 pt of half points.)
    const OFF_GRID: f32 = 0.001;

    /// The coarsest device grid that nineteen in twenty of `steps` (points between neighbouring
    /// glyphs' origins) fall on, if any does.
    fn of_page(steps: &[f32]) -> WordGap {
        if steps.len() < Self::MIN_STEPS {
            return WordGap { pitch: None };
        }
        let pitch = DEVICE_DPI
            .iter()
            .map(|dpi| 72.0 / dpi)
            .find(|&pitch| Self::on_grid(steps, pitch));
        WordGap { pitch }
    }

    /// Whether nineteen in twenty of `steps` are whole numbers of `pitch`. A page that is not
    /// on the grid is known to be off it after a twentieth of its steps miss, and most pages
    /// are on none of the grids: counting every step of every grid cost 45 M instructions of
    /// `f32::round` on the 114-page bench statement.
    fn on_grid(steps: &[f32], pitch: f32) -> bool {
        // on_grid * 20 >= len * 19, i.e. misses * 20 <= len.
        let mut misses = 0usize;
        for &step in steps {
            // Not a `>` test: a NaN step is off the grid, as the count of steps on it had it.
            let on = ((step / pitch).round() * pitch - step).abs() <= Self::OFF_GRID;
            if !on {
                misses += 1;
                if misses * 20 > steps.len() {
                    return false;
                }
            }
        }
        true
    }

    /// Whether glyphs of `size` points `gap` points apart belong to one word. On a grid the
    /// limit is a little over a pixel, kept between a tenth and a fifth of an em: a space is
    /// never narrower than that, and letters are never pushed further apart than a fifth. (Text
    /// whose advances are whole pixels anyway, Courier at 10 pt, is taken for gridded: only a
    /// gap between a tenth and a fifth of an em, which it does not have, reads differently.)
    fn joins(self, gap: f32, size: f32) -> bool {
        let widest = match self.pitch {
            Some(pitch) => (pitch * 1.1).clamp(size * 0.1, size * 0.2),
            None => size * 0.2,
        };
        gap <= widest && gap >= -size * 0.5
    }
}

/// Whether `next` stands beyond the clip `last` was drawn under, or `last` before `next`'s:
/// the two are different cells' text however close. A sheet converted to PDF clips a cell's
/// text at the cell's edge where the next cell is not empty ("TRANSFER TO 33112417388", the
/// reference's last digits cut off) and the next cell's text starts a padding further, closer
/// than a word space: read by their gap alone the two cells were one word
/// ("33112417388TO TRANSFER-UPI/…").
fn clipped_apart(last: &PlacedGlyph, next: &PlacedGlyph) -> bool {
    const SLACK: f32 = 0.05;
    next.x0 >= last.clip_x1 - SLACK || last.x1 <= next.clip_x0 + SLACK
}

/// The same glyph drawn again a fraction of a point to the right (fake bold).
fn overdraws(glyph: &PlacedGlyph, last_x0: f32, glyph_text: &str, word_text: &str) -> bool {
    glyph.x0 - last_x0 < glyph.size * 0.15 && word_text.ends_with(glyph_text)
}

/// Appends the steps, points, from each visible glyph's origin to the next one's in a band,
/// where the two come within a quarter em of touching (letters, and word spaces a grid has
/// narrowed), as [`words_of_band`] meets them.
fn glyph_steps(band: &[u128], glyphs: &[PlacedGlyph], text: &str, steps: &mut Vec<f32>) {
    let mut previous: Option<&PlacedGlyph> = None;
    for &key in band {
        let glyph = &glyphs[key_index(key)];
        if glyph.is_space {
            previous = None;
            continue;
        }
        if let Some(last) = previous {
            if overdraws(glyph, last.x0, glyph.text(text), last.text(text)) {
                continue;
            }
            if (glyph.x0 - last.x1).abs() <= glyph.size * 0.25 {
                steps.push(glyph.x0 - last.x0);
            }
        }
        previous = Some(glyph);
    }
}

/// Sorts the glyphs' keys into `order`. Text is drawn a piece of a line at a time (a cell, a
/// word), left to right, so the drawing order splits into pieces already in order: glyphs on
/// one baseline with x growing. Sorting the pieces by their first key and laying them end to
/// end is the sorted order whenever pieces of one line do not overlap — checked, and where
/// they do (text drawn twice for bold, kerning backwards) every key is sorted instead.
fn reading_order(
    glyphs: &[PlacedGlyph],
    drawn: &mut Vec<u128>,
    pieces: &mut Vec<(u128, u32, u32)>,
    order: &mut Vec<u128>,
) {
    drawn.clear();
    pieces.clear();
    order.clear();
    let mut previous: Option<(u32, u128)> = None;
    for (i, g) in glyphs.iter().enumerate() {
        let key = sort_key(g.y, g.x0, i);
        if previous.is_none_or(|(y, before)| y != g.y.to_bits() || key < before) {
            if let Some(last) = pieces.last_mut() {
                last.2 = i as u32;
            }
            pieces.push((key, i as u32, i as u32));
        }
        previous = Some((g.y.to_bits(), key));
        drawn.push(key);
    }
    if let Some(last) = pieces.last_mut() {
        last.2 = drawn.len() as u32;
    }
    pieces.sort_unstable();
    for &(_, start, end) in pieces.iter() {
        order.extend_from_slice(&drawn[start as usize..end as usize]);
    }
    if !order.is_sorted() {
        order.clear();
        order.extend_from_slice(drawn);
        order.sort_unstable();
    }
}

/// `major`, then `minor`, each as `f32::total_cmp` orders them, then the index.
fn sort_key(major: f32, minor: f32, index: usize) -> u128 {
    (u128::from(ordered_bits(major)) << 64)
        | (u128::from(ordered_bits(minor)) << 32)
        | index as u128
}

fn key_index(key: u128) -> usize {
    (key as u32) as usize
}

/// An integer whose unsigned order is `f32::total_cmp`'s order of `x`: negative values have
/// their magnitude bits flipped (as `total_cmp` does), then the sign bit is flipped so
/// negatives come first.
fn ordered_bits(x: f32) -> u32 {
    let bits = x.to_bits() as i32;
    let total = bits ^ (((bits >> 31) as u32) >> 1) as i32;
    (total as u32) ^ 0x8000_0000
}

/// Bytes reserved for a word's text when it starts: most words of a statement (dates,
/// amounts, narration words) fit.
const WORD_CAPACITY: usize = 16;

fn words_of_band(
    band: &[u128],
    glyphs: &[PlacedGlyph],
    text: &str,
    (fonts, programs): (&[Option<Arc<str>>], &[Option<u64>]),
    word_gap: WordGap,
    words: &mut Vec<TextRun>,
) {
    let mut current: Option<TextRun> = None;
    let mut last_char_x0 = f32::NEG_INFINITY;
    // The word's last glyph, for the clip it was drawn under.
    let mut last_glyph: Option<&PlacedGlyph> = None;
    for &key in band {
        let glyph = &glyphs[key_index(key)];
        if glyph.is_space {
            words.extend(current.take());
            continue;
        }
        let glyph_text = glyph.text(text);
        if let Some(word) = current.as_mut() {
            if overdraws(glyph, last_char_x0, glyph_text, &word.text) {
                continue;
            }
            let apart = last_glyph.is_some_and(|last| clipped_apart(last, glyph));
            if !apart && word_gap.joins(glyph.x0 - word.x1, glyph.size) {
                word.text.push_str(glyph_text);
                word.x1 = word.x1.max(glyph.x1);
                last_char_x0 = glyph.x0;
                last_glyph = Some(glyph);
                continue;
            }
            words.extend(current.take());
        }
        last_char_x0 = glyph.x0;
        last_glyph = Some(glyph);
        // Room for a usual word from the start: grown from its first glyph's length, a word's
        // text was reallocated two or three times (~40,000 reallocations on a 114-page file).
        let mut word_text = String::with_capacity(glyph_text.len().max(WORD_CAPACITY));
        word_text.push_str(glyph_text);
        current = Some(TextRun {
            text: word_text,
            x0: glyph.x0,
            x1: glyph.x1,
            y: glyph.y,
            size: glyph.size,
            font: fonts[glyph.font as usize].clone(),
            font_program: programs[glyph.font as usize],
            invisible: glyph.invisible,
        });
    }
    words.extend(current);
}

#[cfg(test)]
mod tests {
    use super::{
        key_index, ordered_bits, reading_order, selected_font_names, PlacedGlyph, WordGap,
    };
    use crate::{open, Limits};
    use ledgerlens_fixtures::pdf::RawPdf;

    #[test]
    fn a_recent_glyph_is_found_only_under_its_whole_key() {
        use super::{GlyphFacts, GlyphId, RecentGlyphs};
        let facts = |text: &str| GlyphFacts {
            text: text.into(),
            advance: 556.0,
            is_space: false,
        };
        let key = ((7_u128, Some(GlyphId::new(36))), 65);
        let mut recent = RecentGlyphs::default();
        assert!(recent.get(&key).is_none());
        recent.put(key, &facts("A"));
        let found = recent.get(&key).map(|f| (f.advance, f.is_space, f.byte));
        assert_eq!(found, Some((556.0, false, Some(b'A'))));
        // The same code in another font program, or another glyph, shares the slot only.
        assert!(recent.get(&((8, Some(GlyphId::new(36))), 65)).is_none());
        assert!(recent.get(&((7, None), 65)).is_none());
        assert!(recent
            .get(&((7, Some(GlyphId::new(36))), 65 + 256))
            .is_none());
        // Text longer than one byte is left to the map.
        recent.put(key, &facts("ff"));
        assert_eq!(recent.get(&key).map(|f| f.byte), Some(None));
    }

    #[test]
    fn fonts_the_content_selects_are_read_from_tf_operators() {
        let content = b"BT /F1 9 Tf 40 700 Td (Tf) Tj ET\nBT\n/F2-0 10.5 Tf[(x)]TJ ET q 0.5 w 36 10 m 500 10 l S Q";
        let names = selected_font_names(content);
        assert_eq!(names, [b"F1".as_slice(), b"F2-0".as_slice()]);
        // A stamp's overlay that strokes a rule selects no font.
        assert!(selected_font_names(b"q 0.5 w 36 10 m 559 10 l S Q").is_empty());
    }

    #[test]
    fn glyph_sized_fills_are_counted_and_rules_and_bands_are_not() {
        // 30 rows of 20 letter-sized filled shapes (text drawn as outlines), a stroked rule
        // and a filled zebra band across the page.
        let mut content = String::new();
        for row in 0..30 {
            for column in 0..20 {
                let (x, y) = (40 + column * 12, 780 - row * 14);
                content.push_str(&format!(
                    "{x} {y} m {} {y} l {} {} l h f\n",
                    x + 6,
                    x + 3,
                    y + 8
                ));
            }
        }
        content.push_str("30 300 m 560 300 l S\n20 200 555 12 re f\n");
        let document = open(
            RawPdf::one_page("", content.as_bytes()),
            None,
            &Limits::default(),
        )
        .expect("opens");
        assert_eq!(document.pages[0].glyph_shapes, 600);
        assert_eq!(document.pages[0].glyph_count, 0);
    }

    #[test]
    fn ligature_characters_read_as_their_letters() {
        assert_eq!(super::ligature_letters('\u{FB02}'), Some("fl"));
        assert_eq!(super::ligature_letters('\u{FB03}'), Some("ffi"));
        assert_eq!(super::ligature_letters('f'), None);
    }

    #[test]
    fn ordered_bits_orders_like_total_cmp() {
        let values = [
            f32::NEG_INFINITY,
            -1e30,
            -842.0,
            -1.5,
            -f32::MIN_POSITIVE,
            -0.0,
            0.0,
            f32::MIN_POSITIVE,
            0.25,
            1.0,
            595.3,
            1e30,
            f32::INFINITY,
            f32::NAN,
        ];
        for a in values {
            for b in values {
                assert_eq!(
                    ordered_bits(a).cmp(&ordered_bits(b)),
                    a.total_cmp(&b),
                    "{a} vs {b}"
                );
            }
        }
    }

    /// Glyph indices in reading order, as `reading_order` gives them.
    fn read_in_order(points: &[(f32, f32)]) -> Vec<usize> {
        let glyphs: Vec<PlacedGlyph> = points
            .iter()
            .map(|&(y, x0)| PlacedGlyph {
                text_start: 0,
                text_end: 0,
                x0,
                x1: x0 + 1.0,
                y,
                size: 10.0,
                font: 0,
                is_space: false,
                invisible: false,
                clip_x0: f32::NEG_INFINITY,
                clip_x1: f32::INFINITY,
            })
            .collect();
        let (mut drawn, mut pieces, mut order) = (Vec::new(), Vec::new(), Vec::new());
        reading_order(&glyphs, &mut drawn, &mut pieces, &mut order);
        order.into_iter().map(key_index).collect()
    }

    /// The order of a stable sort by baseline, then left edge.
    fn stable_order(points: &[(f32, f32)]) -> Vec<usize> {
        let mut stable: Vec<usize> = (0..points.len()).collect();
        stable.sort_by(|&a, &b| {
            let ((ya, xa), (yb, xb)) = (points[a], points[b]);
            ya.total_cmp(&yb).then(xa.total_cmp(&xb))
        });
        stable
    }

    #[test]
    fn reading_order_is_the_stable_sort_of_the_glyphs() {
        // Ties on both coordinates (a glyph drawn twice at one spot) keep the drawing order.
        let points: [(f32, f32); 8] = [
            (700.0, 120.0),
            (700.0, 100.0),
            (699.9, 300.0),
            (700.0, 100.0),
            (12.0, -0.0),
            (12.0, 0.0),
            (12.0, -3.5),
            (700.0, 100.0),
        ];
        assert_eq!(read_in_order(&points), stable_order(&points));
        assert_eq!(read_in_order(&points), [6, 4, 5, 2, 1, 3, 7, 0]);
        // Rows drawn cell by cell, a wrapped cell's lines before the next cell of its row.
        let rows: [(f32, f32); 9] = [
            (52.0, 39.5),
            (52.0, 44.0),
            (52.0, 79.5),
            (66.0, 79.5),
            (66.0, 84.0),
            (52.0, 229.5),
            (52.0, 234.0),
            (80.0, 39.5),
            (80.0, 79.5),
        ];
        assert_eq!(read_in_order(&rows), stable_order(&rows));
        assert_eq!(read_in_order(&rows), [0, 1, 2, 5, 6, 3, 4, 7, 8]);
        // Pieces of one line that overlap (a word drawn again for bold) interleave.
        let overlapping: [(f32, f32); 6] = [
            (30.0, 10.0),
            (30.0, 15.0),
            (30.0, 20.0),
            (30.0, 10.3),
            (30.0, 15.3),
            (30.0, 20.3),
        ];
        assert_eq!(read_in_order(&overlapping), stable_order(&overlapping));
        assert_eq!(read_in_order(&overlapping), [0, 3, 1, 4, 2, 5]);
    }

    /// Pages that each print `text` at (100, 700) in 10 pt Helvetica, no /Widths: every width
    /// comes from the standard font's metrics.
    fn helvetica_pages(text: &str, pages: usize) -> Vec<u8> {
        helvetica_content_pages(&format!("BT /F1 10 Tf 100 700 Td ({text}) Tj ET"), pages)
    }

    /// Pages of 595 x 842 that each draw `content` with Helvetica as /F1.
    fn helvetica_content_pages(content: &str, pages: usize) -> Vec<u8> {
        let mut pdf = RawPdf::new("1.4");
        let kids: Vec<String> = (0..pages).map(|p| format!("{} 0 R", 5 + p)).collect();
        pdf.object(b"<< /Type /Catalog /Pages 2 0 R >>");
        let pages_dict = format!(
            "<< /Type /Pages /Kids [{}] /Count {pages} >>",
            kids.join(" ")
        );
        pdf.object(pages_dict.as_bytes());
        pdf.object(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
        pdf.stream("", content.as_bytes());
        for _ in 0..pages {
            pdf.object(
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
                  /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>",
            );
        }
        pdf.finish()
    }

    /// Two pages sharing Helvetica as /F1, each with its own copy of Helvetica as /FS1 (a
    /// page-by-page overlay), the pages drawing `content`.
    fn overlaid_pages(content: &str) -> Vec<u8> {
        let mut pdf = RawPdf::new("1.4");
        pdf.object(b"<< /Type /Catalog /Pages 2 0 R >>");
        pdf.object(b"<< /Type /Pages /Kids [7 0 R 8 0 R] /Count 2 >>");
        pdf.object(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
        pdf.stream("", content.as_bytes());
        pdf.object(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
        pdf.object(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
        for copy in [5, 6] {
            pdf.object(
                format!(
                    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
                     /Resources << /Font << /F1 3 0 R /FS1 {copy} 0 R >> >> /Contents 4 0 R >>"
                )
                .as_bytes(),
            );
        }
        pdf.finish()
    }

    #[test]
    fn a_font_no_text_operator_selects_is_not_read_as_the_pages_type() {
        let limits = Limits::default();
        let fonts = |content: &str| -> Vec<Vec<String>> {
            let document = open(overlaid_pages(content), None, &limits).expect("opens");
            document
                .pages
                .iter()
                .map(|page| page.fonts.clone())
                .collect()
        };
        // A mailer's overlay stroking a rule brings its font along and draws no text with it.
        let stamped = fonts("BT /F1 10 Tf 100 700 Td (ROW) Tj ET q 0.5 w 36 10 m 559 10 l S Q");
        assert_eq!(stamped, vec![vec!["Helvetica#3".to_string()]; 2]);
        // An overlay that types figures with its own copy keeps it on each page.
        let typed =
            fonts("BT /F1 10 Tf 100 700 Td (ROW) Tj ET BT /FS1 10 Tf 400 700 Td (84,512.30) Tj ET");
        assert_eq!(
            typed,
            vec![
                vec!["Helvetica#3".to_string(), "Helvetica#5".to_string()],
                vec!["Helvetica#3".to_string(), "Helvetica#6".to_string()],
            ]
        );
    }

    #[test]
    fn glyphs_met_again_keep_their_text_and_width() {
        let limits = Limits {
            threads: 1,
            ..Limits::default()
        };
        // "WiWi": the first W and i fill the cache, the second pair and page 2 read from it.
        let document = open(helvetica_pages("WiWi iW", 2), None, &limits).expect("opens");
        for page in &document.pages {
            let words: Vec<(&str, f32, f32)> = page
                .runs
                .iter()
                .map(|r| (r.text.as_str(), r.x0, r.x1))
                .collect();
            assert_eq!(words.len(), 2, "{words:?}");
            // Helvetica's AFM widths: W 944, i 222, space 278 (per 1000 em) at 10 pt.
            let (w, i, space) = (9.44, 2.22, 2.78);
            let expected = [
                ("WiWi", 100.0, 100.0 + 2.0 * (w + i)),
                (
                    "iW",
                    100.0 + 2.0 * (w + i) + space,
                    100.0 + 3.0 * (w + i) + space,
                ),
            ];
            for ((text, x0, x1), (want_text, want_x0, want_x1)) in words.iter().zip(expected) {
                assert_eq!(*text, want_text);
                assert!((x0 - want_x0).abs() < 0.01, "{text}: x0 {x0} vs {want_x0}");
                assert!((x1 - want_x1).abs() < 0.01, "{text}: x1 {x1} vs {want_x1}");
            }
        }
    }

    /// Two cells of a sheet, each clipped at its edge: the first's last glyph starts inside its
    /// clip and its advance reaches past it (the glyphs after it not drawn), and the second's
    /// text starts just after the edge, closer than any word space. The clips keep them two
    /// words, the first ending at its clip; without clips they are one.
    #[test]
    fn text_of_two_clipped_cells_stays_two_words() {
        let limits = Limits {
            threads: 1,
            ..Limits::default()
        };
        // Helvetica at 10 pt: "REF123" is 36.68 pt wide, so it ends at 136.68, past its clip.
        let cells = "q 100 690 36 20 re W n BT /F1 10 Tf 100 700 Td (REF123) Tj ET Q \
                     q 136.2 690 100 20 re W n BT /F1 10 Tf 136.5 700 Td (TO) Tj ET Q";
        let unclipped = "BT /F1 10 Tf 100 700 Td (REF123) Tj ET \
                         BT /F1 10 Tf 136.7 700 Td (TO) Tj ET";
        let words = |content: &str| -> Vec<(String, f32)> {
            let document = open(helvetica_content_pages(content, 1), None, &limits).expect("opens");
            document.pages[0]
                .runs
                .iter()
                .map(|r| (r.text.clone(), r.x1))
                .collect()
        };
        let clipped = words(cells);
        let texts: Vec<&str> = clipped.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(texts, ["REF123", "TO"]);
        assert!((clipped[0].1 - 136.0).abs() < 0.01, "{clipped:?}");
        let unclipped = words(unclipped);
        assert_eq!(unclipped.len(), 1, "{unclipped:?}");
        assert_eq!(unclipped[0].0, "REF123TO");
    }

    #[test]
    fn a_page_drawn_sideways_is_read_turned_upright() {
        let limits = Limits {
            threads: 1,
            ..Limits::default()
        };
        // Text at (100, 700) of an upright 842 x 595 page, drawn turned a quarter
        // counter-clockwise on the 595 x 842 page (as a landscape report on portrait paper).
        let line = "BT /F1 10 Tf 100 500 Td (Opening Balance 1,234.00) Tj ET ";
        let sideways = format!("q 0 1 -1 0 595 0 cm {} Q", line.repeat(2));
        let document = open(helvetica_content_pages(&sideways, 1), None, &limits).expect("opens");
        let page = &document.pages[0];
        let words: Vec<&str> = page.runs.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(words, ["Opening", "Balance", "1,234.00"]);
        assert_eq!((page.width, page.height), (842.0, 595.0));
        let first = &page.runs[0];
        assert!((first.x0 - 100.0).abs() < 0.01, "x0 {}", first.x0);
        assert!((first.y - (595.0 - 500.0)).abs() < 0.01, "y {}", first.y);
        // A few turned words beside upright text (a vertical label) leave the page as it is.
        let label = format!("{line} q 0 1 -1 0 595 0 cm BT /F1 8 Tf 10 10 Td (Printed) Tj ET Q");
        let document = open(helvetica_content_pages(&label, 1), None, &limits).expect("opens");
        let words: Vec<&str> = document.pages[0]
            .runs
            .iter()
            .map(|r| r.text.as_str())
            .collect();
        assert_eq!(words, ["Opening", "Balance", "1,234.00"]);
    }

    /// Helvetica's AFM advance widths (per 1000 em) of the characters the grid test draws.
    fn helvetica_units(ch: char) -> f32 {
        match ch {
            'i' | 'l' => 222.0,
            'f' | 't' | 'I' | ' ' => 278.0,
            'r' => 333.0,
            'c' | 'k' | 's' | 'v' | 'x' | 'y' => 500.0,
            'T' => 611.0,
            'A' | 'B' | 'P' | 'S' => 667.0,
            'w' | 'C' | 'N' | 'U' => 722.0,
            'm' => 833.0,
            _ => 556.0,
        }
    }

    /// `lines` in 8 pt Helvetica, each glyph placed on its own at a 96 dpi pixel (0.75 pt), no
    /// space glyphs, as a browser printing at screen resolution writes them; with the narrowest
    /// word space the rounding left.
    fn screen_grid_page(lines: &[&str]) -> (Vec<u8>, f32) {
        let (size, pixel) = (8.0_f32, 0.75_f32);
        let snap = |v: f32| (v / pixel).round() * pixel;
        let mut content = String::from("BT /F1 8 Tf ");
        let mut narrowest_space = f32::INFINITY;
        for (row, line) in lines.iter().enumerate() {
            let y = snap(700.0 - 13.0 * row as f32);
            let (mut x, mut last_end, mut after_space) = (50.3_f32, 0.0_f32, false);
            for ch in line.chars() {
                let advance = helvetica_units(ch) * size / 1000.0;
                if ch == ' ' {
                    after_space = true;
                } else {
                    if after_space {
                        narrowest_space = narrowest_space.min(snap(x) - last_end);
                    }
                    content.push_str(&format!("1 0 0 1 {} {y} Tm ({ch}) Tj ", snap(x)));
                    last_end = snap(x) + advance;
                    after_space = false;
                }
                x += advance;
            }
        }
        content.push_str("ET");
        (helvetica_content_pages(&content, 1), narrowest_space)
    }

    #[test]
    fn words_of_glyphs_rounded_to_screen_pixels_stay_apart_and_whole() {
        let lines = [
            "Payment via UPI to Axis Bank",
            "Cash deposit at the branch counter",
            "Interest credit on the savings account",
            "Transfer to Priya Sharma by mobile",
            "Bill payment to the city electricity board",
            "Salary credited by Sunrise Textiles",
        ];
        let (pdf, narrowest_space) = screen_grid_page(&lines);
        // Some word space came out narrower than a fifth of the 8 pt em.
        assert!(narrowest_space < 1.6, "narrowest space {narrowest_space}");
        let limits = Limits {
            threads: 1,
            ..Limits::default()
        };
        let document = open(pdf, None, &limits).expect("opens");
        let words: Vec<&str> = document.pages[0]
            .runs
            .iter()
            .map(|r| r.text.as_str())
            .collect();
        let want: Vec<&str> = lines.iter().flat_map(|l| l.split(' ')).collect();
        assert_eq!(words, want);
    }

    #[test]
    fn a_page_on_a_device_grid_moves_the_word_gap_to_a_pixel() {
        // Helvetica advances at 9 pt between origins rounded to 0.75 pt, and as drawn.
        let advances = [5.004_f32, 2.502, 6.003, 1.998, 4.5, 7.497];
        let origins = |pixel: Option<f32>| -> Vec<f32> {
            let mut x = 50.3_f32;
            (0..60)
                .map(|i| {
                    x += advances[i % advances.len()];
                    pixel.map_or(x, |p| (x / p).round() * p)
                })
                .collect()
        };
        let steps = |xs: Vec<f32>| -> Vec<f32> { xs.windows(2).map(|w| w[1] - w[0]).collect() };
        let screen = WordGap::of_page(&steps(origins(Some(0.75))));
        assert_eq!(screen.pitch, Some(0.75));
        let coarse = WordGap::of_page(&steps(origins(Some(1.0))));
        assert_eq!(coarse.pitch, Some(1.0), "the coarsest grid that fits");
        assert_eq!(WordGap::of_page(&steps(origins(None))).pitch, None);
        let few = steps(origins(Some(0.75)))[..20].to_vec();
        assert_eq!(WordGap::of_page(&few).pitch, None, "too few steps to tell");
        // A letter gap of nearly a pixel joins, a space narrowed by a pixel does not.
        assert!(screen.joins(0.74, 8.0) && !screen.joins(1.25, 8.0));
        assert!(
            screen.joins(1.25, 14.0),
            "a tenth of an em joins on any grid"
        );
        assert!(WordGap { pitch: None }.joins(1.25, 8.0));
    }

    #[test]
    fn the_grid_test_stopping_at_a_twentieth_off_agrees_with_counting_every_step() {
        let counted = |steps: &[f32], pitch: f32| {
            let on = steps
                .iter()
                .filter(|&&step| ((step / pitch).round() * pitch - step).abs() <= WordGap::OFF_GRID)
                .count();
            on * 20 >= steps.len() * 19
        };
        // Pages of 40-100 steps on a 0.75 pt grid with 0-10 steps moved off it (the limit is
        // a twentieth), and a NaN step.
        for len in [40usize, 41, 59, 60, 61, 100] {
            for off in 0..=10 {
                for nan in [false, true] {
                    let mut steps: Vec<f32> = (0..len).map(|i| 0.75 * (1 + i % 7) as f32).collect();
                    for step in steps.iter_mut().take(off) {
                        *step += 0.3;
                    }
                    if nan {
                        steps[len - 1] = f32::NAN;
                    }
                    for pitch in super::DEVICE_DPI.iter().map(|dpi| 72.0 / dpi) {
                        assert_eq!(
                            WordGap::on_grid(&steps, pitch),
                            counted(&steps, pitch),
                            "len {len}, off {off}, nan {nan}, pitch {pitch}"
                        );
                    }
                }
            }
        }
    }
}
