//! Stage 3 — tag: find every gazetteer name in the folded text.
//!
//! One multi-pattern automaton over all folded names is built once per
//! process. Matches are checked for word boundaries and Arabic clitics
//! (`بالبوكمال`, `ودير الزور`, `للحدود` are mentions with the clitic in the
//! surface; `التنف` inside `التنفس` is not), then the longest non-overlapping
//! matches win. Phrases that contain a place name but name something else —
//! `قوات سوريا الديمقراطية`, `روسيا اليوم`, `Syria TV` — are loaded as
//! *blockers*: they take part in the longest-match contest and then vanish,
//! so the place inside them is never reported.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, MatchKind};

use crate::error::{Error, Result};
use crate::gazetteer::Gazetteer;
use crate::normalise::{fold, is_arabic, is_word_char, Folded};

const NOT_PLACES_TSV: &str = include_str!("../gazetteer/lexicon/not_places.tsv");

/// Prefix clitics that may stand before an Arabic name: conjunctions و ف,
/// prepositions ب ل ك, and their combinations.
const CLITICS: [&str; 11] = ["وب", "ول", "وك", "فب", "فل", "فك", "و", "ف", "ب", "ل", "ك"];

/// A span of text that names one or more gazetteer places.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    /// Original char offsets of the surface (clitics included).
    pub start: usize,
    pub end: usize,
    /// Folded byte offsets of the surface (clitics included).
    pub fstart: usize,
    pub fend: usize,
    /// Folded byte offset where the name itself begins, after any clitic.
    pub name_fstart: usize,
    entry: u32,
}

/// What one folded pattern stands for.
#[derive(Debug, Clone)]
struct Entry {
    places: Vec<u32>,
    /// Places whose name had a kind word before this (`معبر البوكمال` →
    /// `البوكمال`): candidates only when the text has that kind of cue.
    cue_only: Vec<u32>,
    blocker: bool,
    arabic: bool,
    /// The pattern already holds the preposition ل fused with ال (`للحدود`).
    fused_lil: bool,
    /// Length in chars, for the longest-match contest.
    chars: usize,
}

/// The multi-pattern matcher, kept behind this one type so it can be swapped.
#[derive(Debug)]
struct NameMatcher {
    ac: AhoCorasick,
}

impl NameMatcher {
    fn new(patterns: &[String]) -> Result<NameMatcher> {
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(patterns)
            .map_err(|e| Error::Data(format!("building the name matcher: {e}")))?;
        Ok(NameMatcher { ac })
    }

    /// Calls `f(pattern, start, end)` for every occurrence, overlaps included.
    fn each(&self, hay: &str, mut f: impl FnMut(usize, usize, usize)) {
        for m in self.ac.find_overlapping_iter(hay) {
            f(m.pattern().as_usize(), m.start(), m.end());
        }
    }
}

/// Finds gazetteer names in text. Build once, share across threads.
#[derive(Debug)]
pub struct Tagger {
    matcher: NameMatcher,
    entries: Vec<Entry>,
}

impl Tagger {
    /// Builds the matcher over every name of `gaz` plus the bundled
    /// not-a-place phrases.
    pub fn new(gaz: &Gazetteer) -> Result<Tagger> {
        let mut blockers = not_places(NOT_PLACES_TSV)?;
        // Kind words (`قرى` villages, `بلدة` town) are never places themselves,
        // even where a village happens to carry that name.
        blockers.extend(KIND_WORDS.iter().map(|k| k.trim().to_string()));
        blockers.extend(PLURAL_KIND_WORDS.iter().map(|k| k.to_string()));
        Tagger::with_blockers(gaz, &blockers)
    }

    /// Like [`Tagger::new`] with an explicit list of not-a-place phrases.
    pub fn with_blockers(gaz: &Gazetteer, blockers: &[String]) -> Result<Tagger> {
        let mut map: HashMap<String, Entry> = HashMap::new();
        for (i, p) in gaz.places().iter().enumerate() {
            for name in &p.names {
                let (name, cue_only) = match strip_kind_word(name) {
                    Some(rest) => (rest, true),
                    None => (name.as_str(), false),
                };
                for (pat, fused) in name_patterns(name) {
                    let e = map
                        .entry(pat.clone())
                        .or_insert_with(|| new_entry(&pat, fused));
                    let list = if cue_only {
                        &mut e.cue_only
                    } else {
                        &mut e.places
                    };
                    if !list.contains(&(i as u32)) {
                        list.push(i as u32);
                    }
                }
            }
        }
        for b in blockers {
            let pat = fold(b);
            if pat.chars().count() >= 2 {
                map.entry(pat.clone())
                    .or_insert_with(|| new_entry(&pat, false))
                    .blocker = true;
            }
        }
        let mut pairs: Vec<(String, Entry)> = map.into_iter().collect();
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        let patterns: Vec<String> = pairs.iter().map(|(p, _)| p.clone()).collect();
        let entries = pairs.into_iter().map(|(_, e)| e).collect();
        Ok(Tagger {
            matcher: NameMatcher::new(&patterns)?,
            entries,
        })
    }

    /// The candidate places of a span.
    pub fn candidates(&self, span: &Span) -> &[u32] {
        &self.entries[span.entry as usize].places
    }

    /// Places this span names only when a kind word stands before it
    /// (`معبر البوكمال`, `ناحية ربيعة`): the resolver adds them on such a cue.
    pub fn cue_only_candidates(&self, span: &Span) -> &[u32] {
        &self.entries[span.entry as usize].cue_only
    }

    /// Number of distinct folded patterns in the matcher.
    pub fn pattern_count(&self) -> usize {
        self.entries.len()
    }

    /// Counts raw matcher hits over folded text, with no checks: the bare
    /// scan that benchmarks compare the whole pipeline against.
    pub fn bare_scan(&self, folded: &str) -> usize {
        let mut n = 0;
        self.matcher.each(folded, |_, _, _| n += 1);
        n
    }

    /// Every place-name span of `original`, whose folded form is `folded`,
    /// sorted by position, non-overlapping, blockers removed.
    pub fn tag(&self, original: &[char], folded: &Folded) -> Vec<Span> {
        let hay = folded.as_str();
        let mut found = Vec::new();
        self.matcher.each(hay, |pat, s, e| {
            if let Some(span) = self.check(original, folded, pat, s, e) {
                found.push(span);
            }
        });
        self.select(found)
    }

    /// Boundary, clitic and capitalisation checks for one raw match.
    fn check(
        &self,
        original: &[char],
        folded: &Folded,
        pat: usize,
        s: usize,
        e: usize,
    ) -> Option<Span> {
        let hay = folded.as_str();
        let entry = &self.entries[pat];
        if hay[e..].chars().next().is_some_and(is_word_char) {
            return None;
        }
        let fstart = surface_start(&hay[..s], entry)?;
        let (start, end) = folded.original_span(fstart, e);
        if !entry.arabic && !entry.blocker && !original[start..end].iter().any(|c| c.is_uppercase())
        {
            // "hit", "may", "tell": English place names are written capitalised.
            return None;
        }
        Some(Span {
            start,
            end,
            fstart,
            fend: e,
            name_fstart: s,
            entry: pat as u32,
        })
    }

    /// Longest matches first, then leftmost; no two spans overlap.
    fn select(&self, mut found: Vec<Span>) -> Vec<Span> {
        found.sort_by(|a, b| {
            let (la, lb) = (
                self.entries[a.entry as usize].chars,
                self.entries[b.entry as usize].chars,
            );
            lb.cmp(&la)
                .then(a.fstart.cmp(&b.fstart))
                .then(a.entry.cmp(&b.entry))
        });
        let mut taken: Vec<Span> = Vec::new();
        for sp in found {
            if taken
                .iter()
                .all(|t| sp.fend <= t.fstart || sp.fstart >= t.fend)
            {
                taken.push(sp);
            }
        }
        taken.retain(|s| !self.entries[s.entry as usize].blocker);
        taken.sort_by_key(|s| s.fstart);
        taken
    }
}

/// Where the surface starts: at the match, or earlier over a clitic; `None`
/// when the match starts inside a word.
fn surface_start(before: &str, entry: &Entry) -> Option<usize> {
    let boundary = |b: &str| !b.chars().next_back().is_some_and(is_word_char);
    if boundary(before) {
        return Some(before.len());
    }
    if !entry.arabic {
        return None;
    }
    let allowed: &[&str] = if entry.fused_lil {
        &["و", "ف"]
    } else {
        &CLITICS
    };
    allowed
        .iter()
        .filter(|c| before.ends_with(*c))
        .map(|c| before.len() - c.len())
        .find(|&at| boundary(&before[..at]))
}

fn new_entry(pat: &str, fused_lil: bool) -> Entry {
    Entry {
        places: Vec::new(),
        cue_only: Vec::new(),
        blocker: false,
        arabic: pat.chars().next().is_some_and(is_arabic),
        fused_lil,
        chars: pat.chars().count(),
    }
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
fn not_places(tsv: &str) -> Result<Vec<String>> {
    Ok(tsv
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split('\t').next())
        .map(|s| s.trim().to_string())
        .collect())
}
