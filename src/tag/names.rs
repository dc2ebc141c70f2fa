//! From place names to the tagger's pattern table.
//!
//! Shared by the crate (the tagger, for a gazetteer with a user's places) and
//! by `build.rs`, which builds the table and the automaton of the bundled
//! gazetteer once at compile time. It may use only `std`, `daachorse` and
//! `crate::normalise`: the build script includes this file with `#[path]`.

use std::collections::HashMap;

use daachorse::{CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder, MatchKind};

use crate::normalise::{fold, is_arabic};

/// The automaton over the folded patterns; pattern `i` reports value `i`.
pub type Automaton = CharwiseDoubleArrayAhoCorasick<u32>;

/// Builds the automaton. `Standard` match kind: the tagger walks every
/// overlapping match and picks the longest itself.
pub fn automaton(patterns: &[String]) -> Result<Automaton, String> {
    CharwiseDoubleArrayAhoCorasickBuilder::new()
        .match_kind(MatchKind::Standard)
        .build(patterns)
        .map_err(|e| format!("building the name matcher: {e}"))
}

/// Flag bits of an [`Entry`].
pub const BLOCKER: u32 = 1;
pub const ARABIC: u32 = 2;
/// The pattern already holds the preposition ل fused with ال (`للحدود`).
pub const FUSED_LIL: u32 = 4;

/// What one folded pattern stands for: a slice of [`Table::ids`] holding
/// its places, then its cue-only places, and its flags and length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub ids_start: u32,
    pub n_places: u32,
    pub n_cue: u32,
    /// `chars << 3 | flags`: length in chars for the longest-match contest.
    pub meta: u32,
}

impl Entry {
    pub fn chars(&self) -> u32 {
        self.meta >> 3
    }

    pub fn has(&self, flag: u32) -> bool {
        self.meta & flag != 0
    }
}

/// The entries of all patterns, in pattern order, over one flat id list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub entries: Vec<Entry>,
    pub ids: Vec<u32>,
}

impl Table {
    /// Places the pattern names.
    pub fn places(&self, e: &Entry) -> &[u32] {
        let s = e.ids_start as usize;
        &self.ids[s..s + e.n_places as usize]
    }

    /// Places whose name had a kind word before this pattern (`معبر البوكمال`
    /// → `البوكمال`): candidates only when the text has that kind of cue.
    pub fn cue_only(&self, e: &Entry) -> &[u32] {
        let s = (e.ids_start + e.n_places) as usize;
        &self.ids[s..s + e.n_cue as usize]
    }

    /// Little-endian `u32`s: entry count, id count, four per entry, the ids.
    #[allow(dead_code)] // used by build.rs and the tests
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut words = vec![self.entries.len() as u32, self.ids.len() as u32];
        for e in &self.entries {
            words.extend([e.ids_start, e.n_places, e.n_cue, e.meta]);
        }
        words.extend(&self.ids);
        words.iter().flat_map(|w| w.to_le_bytes()).collect()
    }

    /// Reads what [`Table::to_bytes`] wrote; `None` when it does not fit.
    #[allow(dead_code)] // not used by build.rs
    pub fn from_bytes(bytes: &[u8]) -> Option<Table> {
        if bytes.len() % 4 != 0 {
            return None;
        }
        let mut words = bytes
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]));
        let n_entries = words.next()? as usize;
        let n_ids = words.next()? as usize;
        if bytes.len() != 4 * (2 + 4 * n_entries + n_ids) {
            return None;
        }
        let mut entries = Vec::with_capacity(n_entries);
        for _ in 0..n_entries {
            let e = Entry {
                ids_start: words.next()?,
                n_places: words.next()?,
                n_cue: words.next()?,
                meta: words.next()?,
            };
            let end = e.ids_start as usize + e.n_places as usize + e.n_cue as usize;
            if end > n_ids {
                return None;
            }
            entries.push(e);
        }
        let ids = words.collect();
        Some(Table { entries, ids })
    }
}

/// A pattern while the table is being built.
#[derive(Default)]
struct Draft {
    places: Vec<u32>,
    cue_only: Vec<u32>,
    flags: u32,
}

/// The sorted folded patterns and their table, for places given as their
/// name lists (place index = position) and not-a-place phrases.
pub fn build_table<'a, P, N>(places: P, blockers: &[String]) -> (Vec<String>, Table)
where
    P: IntoIterator<Item = N>,
    N: IntoIterator<Item = &'a str>,
{
    let mut map: HashMap<String, Draft> = HashMap::new();
    for (i, names) in places.into_iter().enumerate() {
        let i = i as u32;
        for name in names {
            let (name, cue_only) = match strip_kind_word(name) {
                Some(rest) => (rest, true),
                None => (name, false),
            };
            // "al-Hol camp" is a name as it stands, and "al-Hol" one where
            // the text says it is a camp ("camps, including al-Hol").
            let suffixed = strip_latin_kind_word(name).map(|rest| (rest, true));
            for (name, cue_only) in std::iter::once((name, cue_only)).chain(suffixed) {
                for (pat, fused) in name_patterns(name) {
                    // The flags of the name that brought the pattern in first.
                    let d = map.entry(pat).or_insert_with(|| Draft {
                        flags: if fused { FUSED_LIL } else { 0 },
                        ..Draft::default()
                    });
                    let list = if cue_only {
                        &mut d.cue_only
                    } else {
                        &mut d.places
                    };
                    if !list.contains(&i) {
                        list.push(i);
                    }
                }
            }
        }
    }
    for b in blockers {
        let pat = fold(b);
        if pat.chars().count() >= 2 {
            map.entry(pat).or_default().flags |= BLOCKER;
        }
    }
    let mut pairs: Vec<(String, Draft)> = map.into_iter().collect();
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    let mut table = Table::default();
    let mut patterns = Vec::with_capacity(pairs.len());
    for (pat, d) in pairs {
        let mut flags = d.flags;
        if pat.chars().next().is_some_and(is_arabic) {
            flags |= ARABIC;
        }
        table.entries.push(Entry {
            ids_start: table.ids.len() as u32,
            n_places: d.places.len() as u32,
            n_cue: d.cue_only.len() as u32,
            meta: (pat.chars().count() as u32) << 3 | flags,
        });
        table.ids.extend(d.places);
        table.ids.extend(d.cue_only);
        patterns.push(pat);
    }
    (patterns, table)
}

/// Every name of a place as the gazetteer holds it: the `|`-separated
/// `names` column, then `name_en` and `name_ar` when not already there.
pub fn place_names(names: &str, name_en: &str, name_ar: &str) -> Vec<String> {
    let bytes = names.as_bytes();
    let mut out: Vec<String> = Vec::with_capacity(bytes.iter().filter(|&&b| b == b'|').count() + 3);
    let mut push = |n: &str| {
        let n = trim(n);
        if !n.is_empty() {
            out.push(n.to_string());
        }
    };
    // A byte loop: names are short, and `str::split` starts a search per name.
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'|' {
            push(&names[start..i]);
            start = i + 1;
        }
    }
    push(&names[start..]);
    for n in [trim(name_en), trim(name_ar)] {
        if !n.is_empty() && !out.iter().any(|x| x == n) {
            out.push(n.to_string());
        }
    }
    out
}

/// `str::trim`, without its char-by-char look when the first and last chars
/// are visible ASCII or Arabic letters, as in almost every gazetteer field.
pub fn trim(s: &str) -> &str {
    let b = s.as_bytes();
    let Some((&first, &last)) = b.first().zip(b.last()) else {
        return s;
    };
    let solid_start = matches!(first, 0x21..=0x7E | 0xD8..=0xDB);
    // U+0600–U+06FF is two bytes, D8–DB then a continuation byte.
    let solid_end = matches!(last, 0x21..=0x7E)
        || (b.len() >= 2 && matches!(b[b.len() - 2], 0xD8..=0xDB) && last & 0xC0 == 0x80);
    if solid_start && solid_end {
        s
    } else {
        s.trim()
    }
}

/// The bundled not-a-place phrases plus the kind words, which are never
/// places themselves (`قرى` villages, `بلدة` town), even where a village
/// happens to carry that name.
pub fn default_blockers(not_places_tsv: &str) -> Vec<String> {
    let mut blockers = not_places(not_places_tsv);
    blockers.extend(KIND_WORDS.iter().map(|k| k.trim().to_string()));
    blockers.extend(PLURAL_KIND_WORDS.iter().map(|k| k.to_string()));
    blockers
}

/// Kind words that sources put before a name (`محافظة نينوى`, `معبر
/// البوكمال`). The tagger indexes the name without them, so the cue in the
/// text does the work and the surface is the name itself.
const KIND_WORDS: [&str; 18] = [
    "محافظة ",
    "مدينة ",
    "بلدة ",
    "قرية ",
    "ناحية ",
    "قضاء ",
    "منطقة ",
    "معبر ",
    "منفذ ",
    "مخيم ",
    "قاعدة ",
    "سجن ",
    "حقل ",
    "سد ",
    "جبل ",
    "نهر ",
    "مطار ",
    "بادية ",
];

/// Other words for kinds of places that sources also hold as village names.
const PLURAL_KIND_WORDS: [&str; 10] = [
    "قرى",
    "بلدات",
    "مدن",
    "مناطق",
    "محافظات",
    "مخيمات",
    "حقول",
    "معابر",
    "منافذ",
    "قواعد",
];

/// The name without a leading kind word, when it has one and a name remains.
fn strip_kind_word(name: &str) -> Option<&str> {
    let name = name.trim();
    KIND_WORDS
        .iter()
        .find_map(|k| name.strip_prefix(k))
        .map(str::trim)
        .filter(|r| r.chars().count() >= 3)
}

/// Kind words that Latin names end with (`al-Hol camp`, `Rabia crossing`).
const LATIN_KIND_WORDS: [&str; 4] = [" camp", " border crossing", " crossing", " base"];

/// A Latin name without its trailing kind word, when it has one and a name
/// of three letters or more remains.
fn strip_latin_kind_word(name: &str) -> Option<&str> {
    let name = name.trim();
    LATIN_KIND_WORDS.iter().find_map(|k| {
        let cut = name.len().checked_sub(k.len())?;
        (name.is_char_boundary(cut) && name[cut..].eq_ignore_ascii_case(k))
            .then(|| name[..cut].trim())
            .filter(|r| r.chars().count() >= 3)
    })
}

/// Latin forms of the Arabic article as the press writes it (`At Tanf`,
/// `Ash Shaddadi`, `al-Tanf`, `Tanf`).
const LATIN_ARTICLES: [&str; 12] = [
    "al ", "el ", "ad ", "ar ", "as ", "at ", "az ", "an ", "ash ", "adh ", "ath ", "ul ",
];

/// The folded patterns one name contributes: the name itself, `لل…` for an
/// Arabic name with the article (ل + ال fuse to لل), and a form without
/// apostrophes for Latin names (Ya'rubiyah / Yarubiyah).
fn name_patterns(name: &str) -> Vec<(String, bool)> {
    let f = fold(name);
    // "the Iraqi-Syrian border": the article is not part of the name.
    let f = f.strip_prefix("the ").map(str::to_string).unwrap_or(f);
    if f.chars().count() < 3 {
        return Vec::new();
    }
    let mut out = vec![(f.clone(), false)];
    if let Some(rest) = f.strip_prefix("ال") {
        if rest.chars().count() >= 2 {
            out.push((format!("لل{rest}"), true));
        }
    }
    if f.contains('\'') {
        out.push((f.replace('\'', ""), false));
    }
    if let Some(rest) = LATIN_ARTICLES.iter().find_map(|a| f.strip_prefix(a)) {
        out.push((format!("al {rest}"), false));
        if rest.chars().count() >= 4 {
            out.push((rest.to_string(), false));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Reads the not-a-place phrases: first column of a TSV with a header line.
fn not_places(tsv: &str) -> Vec<String> {
    tsv.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split('\t').next())
        .map(|s| s.trim().to_string())
        .collect()
}
