//! Stage 2 — normalise: fold text for matching, keeping a map back to the original.
//!
//! Matching works on folded text (Arabic letter variants unified, diacritics
//! and tatweel dropped, Latin lower-cased without accents, digits in ASCII),
//! but every mention must report offsets into the *original* text. [`Folded`]
//! keeps, for each byte of the folded string, the index of the original char
//! it came from, so a match in folded bytes maps back exactly.
//!
//! ```
//! use bordermap::Folded;
//! let f = Folded::new("بِالبُوكَمال");
//! assert_eq!(f.as_str(), "بالبوكمال");
//! assert_eq!(f.original_span(0, f.as_str().len()), (0, 12));
//! ```

use unicode_normalization::char::{decompose_canonical, decompose_compatible};

/// Folds one name or phrase the same way article text is folded.
///
/// ```
/// assert_eq!(bordermap::fold("Deir ez-Zor"), "deir ez zor");
/// assert_eq!(bordermap::fold("الأنبار"), "الانبار");
/// assert_eq!(bordermap::fold("Qamişlo"), "qamislo");
/// ```
pub fn fold(s: &str) -> String {
    // The same folding as `Folded::new`, without the offset map: names are
    // folded by the hundred thousand at start-up.
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match fold_char(c) {
            Out::Drop => {}
            Out::Space => {
                if !out.is_empty() && !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            Out::One(f) => out.push(f),
            Out::Many(fs) => out.extend(fs),
        }
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out
}

/// Folded text plus the map from folded bytes back to original char offsets.
#[derive(Debug, Clone)]
pub struct Folded {
    text: String,
    /// For each byte of `text`, the char index in the original it came from.
    orig: Vec<u32>,
    /// For each original char, whether folding dropped it as a mark
    /// (diacritic, tatweel, zero-width): a surface extends over trailing marks.
    dropped_mark: Vec<bool>,
    /// For each original char, and once more for the end, the folded byte
    /// its output starts at: `folded_slice` is called for every candidate
    /// phrase, so it looks this up instead of searching `orig`.
    start_of: Vec<u32>,
}

/// What one original char becomes.
enum Out {
    Drop,
    Space,
    One(char),
    Many(Vec<char>),
}

impl Folded {
    /// Folds `original`; see the module docs for what changes.
    pub fn new(original: &str) -> Folded {
        let mut text = String::with_capacity(original.len());
        let mut orig = Vec::with_capacity(original.len());
        // At most one char per byte: no growing, whatever the script.
        let mut dropped_mark = Vec::with_capacity(original.len());
        let mut start_of = Vec::with_capacity(original.len() + 1);
        // Looked up once: this loop runs for every char of every article.
        let table = fold_table();
        for (ci, c) in original.chars().enumerate() {
            let ci = u32::try_from(ci).unwrap_or(u32::MAX);
            start_of.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
            let out = match table.get(c as usize).copied().unwrap_or(SLOW) {
                DROP => Out::Drop,
                SPACE => Out::Space,
                // The common case, a char that folds to one char, pushed
                // without building an `Out`.
                f if f < DROP => {
                    dropped_mark.push(false);
                    // `f` was a `char` when the table was built.
                    let f = char::from_u32(f).unwrap_or(c);
                    push(&mut text, &mut orig, f, ci);
                    continue;
                }
                _ => fold_slow(c),
            };
            dropped_mark.push(matches!(out, Out::Drop));
            match out {
                Out::Drop => {}
                Out::Space => {
                    // Runs of spaces collapse to one, so "Deir  ez - Zor" still matches.
                    if !text.is_empty() && !text.ends_with(' ') {
                        push(&mut text, &mut orig, ' ', ci);
                    }
                }
                Out::One(f) => push(&mut text, &mut orig, f, ci),
                Out::Many(fs) => fs
                    .into_iter()
                    .for_each(|f| push(&mut text, &mut orig, f, ci)),
            }
        }
        start_of.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
        Folded {
            text,
            orig,
            dropped_mark,
            start_of,
        }
    }

    /// The folded text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Maps a folded byte range `[start, end)` (on char boundaries) to the
    /// original char range that produced it, `end` exclusive. Marks that
    /// follow the last char (a final vowel sign) are included.
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        if start >= end {
            let at = self
                .orig
                .get(start)
                .map(|&o| o as usize)
                .unwrap_or(self.dropped_mark.len());
            return (at, at);
        }
        let s = self.orig[start] as usize;
        let mut e = self.orig[end - 1] as usize + 1;
        while self.dropped_mark.get(e).copied().unwrap_or(false) {
            e += 1;
        }
        (s, e)
    }

    /// The original char index of the folded byte `i`.
    pub fn original_char(&self, i: usize) -> usize {
        self.orig
            .get(i)
            .map(|&o| o as usize)
            .unwrap_or(self.dropped_mark.len())
    }

    /// The folded text of the original chars `[start, end)`, without spaces
    /// at either end: what [`fold`] makes of that slice, without folding it
    /// again.
    ///
    /// ```
    /// let f = bordermap::Folded::new("قرب  البُوكمال");
    /// assert_eq!(f.folded_slice(3, 14), "البوكمال");
    /// ```
    pub fn folded_slice(&self, start: usize, end: usize) -> &str {
        // Every byte of a folded char maps to the same original char, so
        // both ends fall on char boundaries.
        let at = |c: usize| {
            self.start_of
                .get(c)
                .map_or(self.text.len(), |&b| b as usize)
        };
        let (a, b) = (at(start), at(end));
        self.text[a..b.max(a)].trim_matches(' ')
    }

    /// Number of chars in the original text.
    pub fn original_len(&self) -> usize {
        self.dropped_mark.len()
    }

    /// Panics unless the offset map is sound for `original`: one entry per
    /// folded byte, each a char of the original, never going back.
    pub(crate) fn check(&self, original: &str) {
        assert_eq!(
            self.orig.len(),
            self.text.len(),
            "one map entry per folded byte"
        );
        assert_eq!(self.dropped_mark.len(), original.chars().count());
        let n = self.dropped_mark.len();
        assert_eq!(self.start_of.len(), n + 1, "one start per char and the end");
        for (c, &b) in self.start_of.iter().enumerate() {
            let want = self.orig.partition_point(|&o| (o as usize) < c);
            assert_eq!(b as usize, want, "start of char {c}");
        }
        assert!(
            self.orig.iter().all(|&o| (o as usize) < n),
            "a map entry past the end"
        );
        assert!(
            self.orig.windows(2).all(|w| w[0] <= w[1]),
            "the map goes back"
        );
    }
}

/// Appends `c`, and the original char index `ci` once per byte of it.
#[inline(always)]
fn push(text: &mut String, orig: &mut Vec<u32>, c: char, ci: u32) {
    // Pushed one by one: a copy of a 1–4 entry slice costs a call to memcpy.
    for _ in 0..c.len_utf8() {
        orig.push(ci);
    }
    text.push(c);
}

/// Table entries of [`fold_char`] that are not a single char.
const DROP: u32 = 0x11_0000;
const SPACE: u32 = 0x11_0001;
const SLOW: u32 = 0x11_0002;

/// What `fold_slow` makes of each char of the Latin and Arabic blocks,
/// where nearly all text lies, built once: a char, [`DROP`], [`SPACE`] or
/// [`SLOW`].
fn fold_table() -> &'static [u32; 0x800] {
    static LOW: std::sync::LazyLock<[u32; 0x800]> = std::sync::LazyLock::new(|| {
        let mut t = [SLOW; 0x800];
        for (i, slot) in t.iter_mut().enumerate() {
            if let Some(c) = char::from_u32(i as u32) {
                *slot = match fold_slow(c) {
                    Out::Drop => DROP,
                    Out::Space => SPACE,
                    Out::One(f) => f as u32,
                    Out::Many(_) => SLOW,
                };
            }
        }
        t
    });
    &LOW
}

fn fold_char(c: char) -> Out {
    match fold_table().get(c as usize).copied().unwrap_or(SLOW) {
        DROP => Out::Drop,
        SPACE => Out::Space,
        SLOW => fold_slow(c),
        f => char::from_u32(f).map_or_else(|| fold_slow(c), Out::One),
    }
}

/// What one char becomes; [`fold_char`] reads the Latin and Arabic blocks
/// from a table of this, so speed matters only for the rest.
fn fold_slow(c: char) -> Out {
    match c {
        // Arabic harakat, Quranic marks, superscript alef, tatweel, and the
        // zero-width / bidi controls that scrapers leave inside words.
        '\u{0610}'..='\u{061A}'
        | '\u{064B}'..='\u{065F}'
        | '\u{0670}'
        | '\u{06D6}'..='\u{06ED}'
        | '\u{0640}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}'
        | '\u{061C}'
        | '\u{FEFF}'
        | '\u{00AD}' => Out::Drop,
        'أ' | 'إ' | 'آ' | 'ٱ' | 'ٲ' | 'ٳ' => Out::One('ا'),
        'ى' | 'ی' | 'ې' | 'ێ' | 'ئ' | 'ۍ' => Out::One('ي'),
        'ة' | 'ە' | 'ۀ' | 'ھ' | 'ہ' => Out::One('ه'),
        'ک' | 'ڪ' => Out::One('ك'),
        'ؤ' | 'ۆ' | 'ۇ' | 'ۊ' => Out::One('و'),
        'ڕ' => Out::One('ر'),
        'ڵ' => Out::One('ل'),
        '٠'..='٩' => Out::One(char::from(b'0' + (c as u32 - 0x0660) as u8)),
        '۰'..='۹' => Out::One(char::from(b'0' + (c as u32 - 0x06F0) as u8)),
        '-' | '‐' | '‑' | '‒' | '–' | '—' | '―' | '_' => Out::Space,
        // Quotes around names (`معبر “البوكمال”`) must not hide the cue before them.
        '"' | '“' | '”' | '«' | '»' | '„' | '‟' | '″' => Out::Space,
        '\'' | '’' | '‘' | 'ʼ' | 'ʻ' | 'ʿ' | 'ʾ' | '`' | '´' | '′' => Out::One('\''),
        'ı' => Out::One('i'),
        'ß' => Out::Many(vec!['s', 's']),
        'ø' | 'Ø' => Out::One('o'),
        'ł' | 'Ł' => Out::One('l'),
        'đ' | 'Đ' => Out::One('d'),
        c if c.is_whitespace() => Out::Space,
        c if c.is_ascii() => Out::One(c.to_ascii_lowercase()),
        // Arabic presentation forms (ﻻ, isolated/final glyph codes from PDFs).
        '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFC}' => {
            let mut v = Vec::new();
            decompose_compatible(c, |d| {
                if d == c {
                    // No decomposition (ornate parentheses, noncharacters):
                    // kept as it is, not folded again for ever.
                    v.push(c);
                } else if let Out::One(f) = fold_char(d) {
                    v.push(f);
                }
            });
            match v.len() {
                0 => Out::Drop,
                1 => Out::One(v[0]),
                _ => Out::Many(v),
            }
        }
        c if (c as u32) < 0x0600 && c.is_alphabetic() => latin(c),
        c => Out::One(c),
    }
}

/// Latin (and Greek/Cyrillic) letters: lower case, accents removed.
fn latin(c: char) -> Out {
    let mut v: Vec<char> = Vec::new();
    decompose_canonical(c, |d| {
        if !('\u{0300}'..='\u{036F}').contains(&d) {
            v.extend(d.to_lowercase());
        }
    });
    match v.len() {
        0 => Out::Drop,
        1 => Out::One(v[0]),
        _ => Out::Many(v),
    }
}

/// True for letters and digits: the chars that make a word go on.
pub(crate) fn is_word_char(c: char) -> bool {
    // Unicode's tables are a binary search per char; the Latin and Arabic
    // blocks, where nearly all our text lies, get a table of their own.
    static LOW: std::sync::LazyLock<[bool; 0x800]> = std::sync::LazyLock::new(|| {
        let mut t = [false; 0x800];
        for (i, slot) in t.iter_mut().enumerate() {
            *slot = char::from_u32(i as u32).is_some_and(char::is_alphanumeric);
        }
        t
    });
    match LOW.get(c as usize) {
        Some(&w) => w,
        None => c.is_alphanumeric(),
    }
}

/// True for chars of the Arabic script block (letters only after folding).
pub(crate) fn is_arabic(c: char) -> bool {
    ('\u{0600}'..='\u{06FF}').contains(&c) || ('\u{0750}'..='\u{077F}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_slice_is_fold_of_the_slice() {
        // Marks, runs of spaces, dashes, quotes, ligatures and ß: every
        // way folding changes the length or drops a char.
        let tricky = "قُرب  البُوكمال — «دير الزور» و\u{FEFB}ها Straße  al-Qa\u{0301}'im ،  ـحلب ";
        let chars: Vec<char> = tricky.chars().collect();
        let f = Folded::new(tricky);
        for s in 0..=chars.len() {
            for e in s..=chars.len() {
                let want = fold(&chars[s..e].iter().collect::<String>());
                assert_eq!(f.folded_slice(s, e), want, "chars {s}..{e}");
            }
        }
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/frontier_overview_ar.txt"
        );
        let text = std::fs::read_to_string(path).unwrap();
        let chars: Vec<char> = text.chars().collect();
        let f = Folded::new(&text);
        let mut n = 0;
        for s in (0..chars.len()).step_by(7) {
            for e in (s..chars.len().min(s + 60)).step_by(5) {
                let want = fold(&chars[s..e].iter().collect::<String>());
                assert_eq!(f.folded_slice(s, e), want, "chars {s}..{e}");
                n += 1;
            }
        }
        assert!(n > 1000, "{n} slices");
    }

    #[test]
    fn folds_arabic_variants() {
        assert_eq!(fold("إقليم كُردستان"), "اقليم كردستان");
        assert_eq!(fold("الحسكة"), "الحسكه");
        assert_eq!(fold("دهۆک"), "دهوك");
        assert_eq!(fold("٢٠٢١"), "2021");
        assert_eq!(fold("مـــوصل"), "موصل");
        assert_eq!(fold("ﻻ"), "لا");
    }

    #[test]
    fn folds_latin() {
        assert_eq!(fold("Serêkaniyê"), "serekaniye");
        assert_eq!(fold("Deir  ez – Zor"), "deir ez zor");
        assert_eq!(fold("Ya’rubiyah"), "ya'rubiyah");
        assert_eq!(fold("Şengal"), "sengal");
    }

    #[test]
    fn span_maps_back_through_dropped_marks() {
        let text = "في دَيْرِ الزُّورِ اليوم";
        let f = Folded::new(text);
        let s = f.as_str().find("دير الزور").unwrap();
        let (a, b) = f.original_span(s, s + "دير الزور".len());
        let chars: Vec<char> = text.chars().collect();
        let surface: String = chars[a..b].iter().collect();
        assert_eq!(surface, "دَيْرِ الزُّورِ");
    }

    /// Found by the property test of the date reader: a presentation-form
    /// char with no decomposition (U+FD3E ornate parenthesis, U+FDD0…
    /// noncharacters) folded itself again and again until the stack ran out.
    #[test]
    fn normaliser_survives_presentation_forms_without_decomposition() {
        for c in ('\u{FB50}'..='\u{FDFF}').chain('\u{FE70}'..='\u{FEFC}') {
            let s = format!("a{c}b");
            let f = Folded::new(&s);
            f.check(&s);
            assert!(!fold(&s).is_empty());
        }
        assert_eq!(fold("\u{FD3E}x\u{FD3F}"), "\u{FD3E}x\u{FD3F}");
    }

    #[test]
    fn span_maps_ligature() {
        let f = Folded::new("xﻻy");
        assert_eq!(f.as_str(), "xلاy");
        assert_eq!(f.original_span(1, 5), (1, 2));
    }
}
