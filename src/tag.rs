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

use std::fmt;

use crate::error::{Error, Result};
use crate::gazetteer::Gazetteer;
use crate::normalise::{is_word_char, Folded};

pub(crate) mod names;

use names::{Automaton, Entry, Table, ARABIC, BLOCKER, FUSED_LIL};

const NOT_PLACES_TSV: &str = include_str!("../gazetteer/lexicon/not_places.tsv");

/// The automaton and pattern table of the bundled gazetteer, built by
/// `build.rs` with the same code as [`Tagger::with_blockers`].
const BUNDLED_DAAC: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/names.daac"));
const BUNDLED_TABLE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/names.table"));
/// How many places the bundled table was built for.
const BUNDLED_PLACES: usize = include!(concat!(env!("OUT_DIR"), "/names.places"));

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

/// The multi-pattern matcher over folded text (the names here, the event
/// phrases in `events`), kept behind this one type so it can be swapped.
pub(crate) struct Matcher {
    da: Automaton,
}

impl Matcher {
    /// Builds the automaton over `patterns` (pattern `i` reports `i`).
    pub(crate) fn new(patterns: &[String]) -> std::result::Result<Matcher, String> {
        Ok(Matcher {
            da: names::automaton(patterns)?,
        })
    }

    /// The automaton `build.rs` made for the bundled gazetteer.
    #[allow(unsafe_code)]
    fn bundled() -> Matcher {
        // SAFETY: `BUNDLED_DAAC` is exactly the output of `serialize()` on an
        // automaton built by this crate's build script (`build.rs`, through
        // `names::automaton`) against the same daachorse version this crate
        // links (one `daachorse` entry in Cargo.lock serves both), and it is
        // compiled into the binary, so nothing can alter it after the build.
        // `tests::bundled_matcher_is_the_runtime_one` checks it equals a
        // fresh build.
        let (da, _) = unsafe { Automaton::deserialize_unchecked(BUNDLED_DAAC) };
        Matcher { da }
    }

    /// Calls `f(pattern, start, end)` for every occurrence, overlaps included.
    pub(crate) fn each(&self, hay: &str, mut f: impl FnMut(usize, usize, usize)) {
        for m in self.da.find_overlapping_iter(hay) {
            f(m.value() as usize, m.start(), m.end());
        }
    }
}

impl fmt::Debug for Matcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Matcher")
            .field("states", &self.da.num_states())
            .finish()
    }
}

/// Finds gazetteer names in text. Build once, share across threads.
#[derive(Debug)]
pub struct Tagger {
    matcher: Matcher,
    table: Table,
}

impl Tagger {
    /// Builds the matcher over every name of `gaz` plus the bundled
    /// not-a-place phrases. For the bundled gazetteer as it ships, the
    /// matcher built at compile time is loaded instead (about a millisecond).
    pub fn new(gaz: &Gazetteer) -> Result<Tagger> {
        if gaz.is_bundled() && gaz.places().len() == BUNDLED_PLACES {
            if let Some(table) = Table::from_bytes(BUNDLED_TABLE) {
                return Ok(Tagger {
                    matcher: Matcher::bundled(),
                    table,
                });
            }
        }
        Tagger::with_blockers(gaz, &names::default_blockers(NOT_PLACES_TSV))
    }

    /// Like [`Tagger::new`] with an explicit list of not-a-place phrases,
    /// always built at run time.
    pub fn with_blockers(gaz: &Gazetteer, blockers: &[String]) -> Result<Tagger> {
        let places = gaz
            .places()
            .iter()
            .map(|p| p.names.iter().map(String::as_str));
        let (patterns, table) = names::build_table(places, blockers);
        Ok(Tagger {
            matcher: Matcher::new(&patterns).map_err(Error::Data)?,
            table,
        })
    }

    fn entry(&self, span: &Span) -> &Entry {
        &self.table.entries[span.entry as usize]
    }

    /// The candidate places of a span.
    pub fn candidates(&self, span: &Span) -> &[u32] {
        self.table.places(self.entry(span))
    }

    /// Places this span names only when a kind word stands before it
    /// (`معبر البوكمال`, `ناحية ربيعة`): the resolver adds them on such a cue.
    pub fn cue_only_candidates(&self, span: &Span) -> &[u32] {
        self.table.cue_only(self.entry(span))
    }

    /// Number of distinct folded patterns in the matcher.
    pub fn pattern_count(&self) -> usize {
        self.table.entries.len()
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
        let entry = &self.table.entries[pat];
        if hay[e..].chars().next().is_some_and(is_word_char) {
            return None;
        }
        let fstart = surface_start(&hay[..s], entry)?;
        let (start, end) = folded.original_span(fstart, e);
        if !entry.has(ARABIC)
            && !entry.has(BLOCKER)
            && !original[start..end].iter().any(|c| c.is_uppercase())
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
            let (la, lb) = (self.entry(a).chars(), self.entry(b).chars());
            lb.cmp(&la)
                .then(a.fstart.cmp(&b.fstart))
                .then(a.entry.cmp(&b.entry))
        });
        // Taken spans never overlap one another, so of those starting before
        // `sp` ends only the last can overlap it: a look-up, not a scan.
        let mut taken: std::collections::BTreeMap<usize, Span> = Default::default();
        for sp in found {
            let clash = taken
                .range(..sp.fend)
                .next_back()
                .is_some_and(|(_, t)| t.fend > sp.fstart);
            if !clash {
                taken.insert(sp.fstart, sp);
            }
        }
        taken
            .into_values()
            .filter(|s| !self.entry(s).has(BLOCKER))
            .collect()
    }
}

/// Where the surface starts: at the match, or earlier over a clitic; `None`
/// when the match starts inside a word.
fn surface_start(before: &str, entry: &Entry) -> Option<usize> {
    let boundary = |b: &str| !b.chars().next_back().is_some_and(is_word_char);
    if boundary(before) {
        return Some(before.len());
    }
    if !entry.has(ARABIC) {
        return None;
    }
    let allowed: &[&str] = if entry.has(FUSED_LIL) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn runtime_built(gaz: &Gazetteer) -> Tagger {
        Tagger::with_blockers(gaz, &names::default_blockers(NOT_PLACES_TSV)).unwrap()
    }

    #[test]
    fn bundled_matcher_is_the_runtime_one() {
        let gaz = Gazetteer::bundled().unwrap();
        let pre = Tagger::new(gaz).unwrap();
        let run = runtime_built(gaz);
        assert_eq!(pre.table, run.table);
        assert_eq!(pre.matcher.da.serialize(), run.matcher.da.serialize());
        assert_eq!(BUNDLED_DAAC, run.matcher.da.serialize().as_slice());
        assert_eq!(BUNDLED_PLACES, gaz.places().len());
    }

    #[test]
    fn bundled_and_runtime_matchers_tag_the_same_spans() {
        let gaz = Gazetteer::bundled().unwrap();
        let pre = Tagger::new(gaz).unwrap();
        let run = runtime_built(gaz);
        let files = crate::testing::example_articles();
        assert!(files.len() >= 5, "{} files", files.len());
        let mut total = 0;
        for (f, text) in files {
            let original: Vec<char> = text.chars().collect();
            let folded = Folded::new(&text);
            let a = pre.tag(&original, &folded);
            let b = run.tag(&original, &folded);
            assert_eq!(a, b, "{}", f.display());
            for s in &a {
                assert_eq!(pre.candidates(s), run.candidates(s));
                assert_eq!(pre.cue_only_candidates(s), run.cue_only_candidates(s));
            }
            assert_eq!(
                pre.bare_scan(folded.as_str()),
                run.bare_scan(folded.as_str())
            );
            total += a.len();
        }
        assert!(total > 20, "{total} spans");
    }

    #[test]
    fn a_gazetteer_with_extra_places_builds_at_run_time() {
        let dir = std::env::temp_dir().join(format!("bordermap-tag-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("extra.tsv");
        let mut row = vec![""; crate::gazetteer::COLUMNS.len()];
        row[0] = "mine-1";
        row[1] = "village";
        row[2] = "Qaryat Zarqa Tajriba";
        row[3] = "قرية زرقاء التجربة";
        row[9] = "35.0";
        row[10] = "40.0";
        let tsv = format!(
            "{}\n{}\n",
            crate::gazetteer::COLUMNS.join("\t"),
            row.join("\t")
        );
        std::fs::write(&path, tsv).unwrap();
        let gaz = Gazetteer::load_bundled()
            .unwrap()
            .with_extra(&path)
            .unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(!gaz.is_bundled());
        let t = Tagger::new(&gaz).unwrap();
        let text = "قصف على قرية زرقاء التجربة وعلى البوكمال";
        let spans = t.tag(&text.chars().collect::<Vec<_>>(), &Folded::new(text));
        let idx = gaz.index_of("mine-1").unwrap();
        assert!(spans
            .iter()
            .any(|s| t.cue_only_candidates(s).contains(&idx) || t.candidates(s).contains(&idx)));
        assert_eq!(spans.len(), 2, "{spans:?}");
    }
}
