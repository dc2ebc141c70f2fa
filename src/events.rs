//! Stage 5 — events: sentences, triggers, actors and dates → [`Event`]s.
//!
//! Triggers, actors and negation cues are data (`gazetteer/lexicon/*.tsv`)
//! so a user can read and extend them. Every phrase is folded with
//! [`fold`] and matched over the folded article text with one Aho–Corasick
//! automaton per lexicon; [`Folded`] maps each match back to char offsets.
//!
//! An event is read from one sentence: a trigger that no negation cue
//! governs (nor the trigger it is listed with: "no arrest or infiltration"),
//! located at the most specific place mention of the sentence that is not
//! part of an actor's name, not the second place of "between X and Y" and
//! not a mere reference point ("al-Shaddadi, south of Hasakah"), and dated
//! by the nearest date written in the trigger's clause, else in the
//! sentence, else the publication date. Rows with an `on_civilians` column
//! become Violence against civilians when the target named is a civilian.
//!
//! ```
//! use bordermap::{split_sentences, EventLexicon, find_actors};
//! let lex = EventLexicon::bundled().unwrap();
//! assert_eq!(find_actors("اعتقلت قسد عناصر من داعش", &lex), ["SDF", "ISIS"]);
//! assert_eq!(split_sentences("Hello there. Bye!"), [(0, 12), (13, 17)]);
//! ```

use std::collections::BTreeMap;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use chrono::NaiveDate;

use crate::dates::DateMention;
use crate::model::{Article, DatePrecision, Event, Kind, Mention};
use crate::normalise::{fold, is_arabic, is_word_char, Folded};
use crate::tag::Matcher;

const TRIGGERS_TSV: &str = include_str!("../gazetteer/lexicon/triggers.tsv");
const ACTORS_TSV: &str = include_str!("../gazetteer/lexicon/actors.tsv");

/// ACLED event types a trigger row may name, plus the negation marker.
const EVENT_TYPES: [&str; 6] = [
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
];
const NEGATION: &str = "NEGATION";
/// The event_type of a row that is not a trigger but a longer phrase that
/// holds one and takes its place ("تحت سيطرة", under the control of: a
/// state, not a change of hands).
const NOT_EVENT: &str = "NOT_EVENT";

/// How many words a clause-scoped negation cue may reach.
const WINDOW_WORDS: usize = 6;
/// How many words the second half of an `A … B` pattern may lie after the
/// first ("فككت فرق الهندسة التابعة للجيش العراقي، اليوم، عبوة ناسفة").
const TAIL_WORDS: usize = 8;

/// The day the Assad government fell; actor names for the Syrian government
/// switch on it.
const ASSAD_FELL: (i32, u32, u32) = (2024, 12, 8);
const ASSAD: &str = "Syrian Government (Assad)";
const TRANSITIONAL: &str = "Syrian Transitional Government";

/// A malformed lexicon row, or a lexicon the matcher cannot be built from.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    /// A row is malformed: names the file, line and column (1-based).
    #[error("{file}:{line}:{column}: {message}")]
    Row {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// The automaton could not be built (e.g. too many patterns).
    #[error("{file}: building the matcher: {message}")]
    Build { file: String, message: String },
}

// ---------------------------------------------------------------------------
// Phrase matching

/// One lexicon phrase, folded.
#[derive(Debug, Clone)]
struct Phrase {
    /// The folded phrase (its first part for `A … B`).
    anchor: String,
    /// Trailing `*`: the last word may go on.
    prefix: bool,
    /// The second part of `A … B`, with its own `*` flag.
    tail: Option<(String, bool)>,
    arabic: bool,
    /// A short acronym written in capitals ("IS"): only its capital form
    /// counts, "is" is a word.
    cased: bool,
}

impl Phrase {
    /// Parses a pattern cell; `None` when it folds to nothing.
    fn parse(cell: &str) -> Option<Phrase> {
        let cell = cell.replace("...", "…");
        let mut parts = cell.splitn(2, '…');
        let (anchor, prefix) = star(parts.next()?)?;
        let tail = parts.next().and_then(star);
        let arabic = anchor.chars().any(is_arabic);
        let cased = cell.len() <= 3 && cell.chars().all(|c| c.is_ascii_uppercase());
        Some(Phrase {
            anchor,
            prefix,
            tail,
            arabic,
            cased,
        })
    }
}

/// Folds one side of a pattern and reads its trailing `*`.
fn star(s: &str) -> Option<(String, bool)> {
    let s = s.trim();
    let (s, prefix) = match s.strip_suffix('*') {
        Some(rest) => (rest, true),
        None => (s, false),
    };
    let f = fold(s);
    (!f.is_empty()).then_some((f, prefix))
}

/// A phrase found in folded text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Hit {
    /// Index of the phrase in its set (= the row's payload index).
    phrase: usize,
    /// Folded byte range, clitics included.
    fstart: usize,
    fend: usize,
    /// Char range in the original text.
    start: usize,
    end: usize,
    /// A conjunction clitic (و/ف) opens the word: a new clause may begin.
    conj: bool,
}

/// Prefixes allowed before an Arabic phrase that starts with ال.
const BEFORE_AL: [&str; 9] = ["", "و", "ف", "ب", "ك", "وب", "فب", "وك", "فك"];
/// Prefixes allowed before other Arabic phrases.
const BEFORE_WORD: [&str; 11] = ["", "و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك"];
/// With the definite article too (triggers only: `الاشتباكات`, `للاعتقال`).
const BEFORE_WORD_AL: [&str; 11] = [
    "ال", "وال", "فال", "بال", "كال", "لل", "ولل", "فلل", "وبال", "فبال", "وكال",
];
/// Prefixes allowed before the fused form `لل…` of an ال phrase.
const BEFORE_FUSED: [&str; 3] = ["", "و", "ف"];

/// A set of phrases (triggers, negations or actors); [`PhraseScan`] finds
/// them.
#[derive(Debug)]
struct PhraseSet {
    phrases: Vec<Phrase>,
    /// Whether the definite article may stand before a phrase without one.
    article_ok: bool,
    /// Phrases that win every overlap (NOT_EVENT triggers), by index; may
    /// be shorter than `phrases` (the rest do not).
    wins: Vec<bool>,
}

/// The three phrase sets (triggers, negations, actors) and one automaton
/// over the folded forms of all their phrases, so an article is scanned
/// once, not once per set.
#[derive(Debug)]
struct PhraseScan {
    sets: [PhraseSet; 3],
    ac: Matcher,
    /// Automaton pattern → every (set, phrase, is the fused `لل` form) it
    /// stands for (one string may be a trigger and an actor).
    pats: Vec<Vec<(usize, usize, bool)>>,
}

impl PhraseScan {
    fn new(sets: [PhraseSet; 3]) -> Result<PhraseScan, LexiconError> {
        let mut strings: Vec<String> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::default();
        let mut pats: Vec<Vec<(usize, usize, bool)>> = Vec::new();
        let mut add = |s: String, what: (usize, usize, bool)| {
            let n = *index.entry(s.clone()).or_insert_with(|| {
                strings.push(s);
                pats.push(Vec::new());
                pats.len() - 1
            });
            pats[n].push(what);
        };
        for (set, ps) in sets.iter().enumerate() {
            for (i, p) in ps.phrases.iter().enumerate() {
                add(p.anchor.clone(), (set, i, false));
                // ل + ال fuse to لل: للحدود holds الحدود without its alef.
                if let Some(rest) = p.anchor.strip_prefix("ال").filter(|_| p.arabic) {
                    add(format!("لل{rest}"), (set, i, true));
                }
            }
        }
        // The same charwise double-array matcher as the names: smaller and
        // faster on Arabic than aho-corasick's NFA, and its 5 MB DFA scanned
        // faster alone but slower in a whole run, competing for cache.
        let ac = Matcher::new(&strings).map_err(|message| LexiconError::Build {
            file: "triggers.tsv, actors.tsv".to_string(),
            message,
        })?;
        Ok(PhraseScan { sets, ac, pats })
    }

    /// Every phrase of each set in `f`, longest first where they overlap,
    /// in text order: `[triggers, negations, actors]`.
    fn hits(&self, f: &Folded) -> [Vec<Hit>; 3] {
        let text = f.as_str();
        let mut out: [Vec<Hit>; 3] = Default::default();
        self.ac.each(text, |pat, s, e| {
            for &(set, pi, fused) in &self.pats[pat] {
                if let Some(mut h) = self.sets[set].check(text, pi, fused, s, e) {
                    (h.start, h.end) = f.original_span(h.fstart, h.fend);
                    out[set].push(h);
                }
            }
        });
        for (hits, set) in out.iter_mut().zip(&self.sets) {
            longest_first(hits, &set.wins);
        }
        out
    }
}

impl PhraseSet {
    /// Checks word boundaries (clitics allowed) and the `… B` tail.
    fn check(&self, text: &str, pi: usize, fused: bool, s: usize, e: usize) -> Option<Hit> {
        let p = &self.phrases[pi];
        // A word that began further back than any prefix can reach is not
        // this phrase with a prefix: no need to find where it began.
        let ws = word_start_within(text, s, MAX_PREFIX_CHARS)?;
        let before = &text[ws..s];
        if !self.prefix_ok(p, fused, before) {
            return None;
        }
        let mut fend = if p.prefix {
            word_end(text, e)
        } else {
            at_word_end(text, e).then_some(e)?
        };
        if let Some((tail, tail_prefix)) = &p.tail {
            fend = find_tail(text, fend, tail, *tail_prefix)?;
        }
        Some(Hit {
            phrase: pi,
            fstart: ws,
            fend,
            start: 0,
            end: 0,
            conj: before.starts_with('و') || before.starts_with('ف'),
        })
    }

    fn prefix_ok(&self, p: &Phrase, fused: bool, before: &str) -> bool {
        if before.is_empty() {
            return true;
        }
        if !p.arabic {
            return false;
        }
        if fused {
            return BEFORE_FUSED.contains(&before);
        }
        if p.anchor.starts_with("ال") {
            return BEFORE_AL.contains(&before);
        }
        BEFORE_WORD.contains(&before) || (self.article_ok && BEFORE_WORD_AL.contains(&before))
    }
}

/// Longer than any prefix allowed before a phrase (`BEFORE_*`), in chars.
const MAX_PREFIX_CHARS: usize = 8;

/// Byte offset where the word holding byte `i` begins, if it begins at most
/// `max` chars before `i`.
fn word_start_within(text: &str, i: usize, max: usize) -> Option<usize> {
    let mut start = i;
    for (n, (j, c)) in text[..i].char_indices().rev().enumerate() {
        if !is_word_char(c) {
            return Some(start);
        }
        if n == max {
            return None;
        }
        start = j;
    }
    Some(start)
}

/// Byte offset where the word going on at byte `i` ends.
fn word_end(text: &str, i: usize) -> usize {
    text[i..]
        .char_indices()
        .find(|(_, c)| !is_word_char(*c))
        .map_or(text.len(), |(j, _)| i + j)
}

fn at_word_end(text: &str, i: usize) -> bool {
    !matches!(text[i..].chars().next(), Some(c) if is_word_char(c))
}

/// The end of `tail` when it begins one of the next few words after `from`.
fn find_tail(text: &str, from: usize, tail: &str, prefix: bool) -> Option<usize> {
    let mut i = from;
    for _ in 0..TAIL_WORDS {
        let s = i + text[i..].find(|c: char| is_word_char(c))?;
        let word = &text[s..word_end(text, s)];
        const CLITICS: [&str; 7] = ["", "و", "ب", "ل", "ال", "وال", "بال"];
        let ok = CLITICS
            .iter()
            .filter_map(|c| word.strip_prefix(c))
            .any(|w| w == tail || (prefix && w.starts_with(tail)));
        if ok && !tail.contains(' ') {
            return Some(s + word.len());
        }
        // A tail of several words, maybe behind a clitic ("… بوقف إطلاق النار").
        let several = CLITICS.iter().find_map(|c| {
            let at = s + c.len();
            (text[s..].starts_with(c)
                && text[at..].starts_with(tail)
                && (prefix || at_word_end(text, at + tail.len())))
            .then_some(at + tail.len())
        });
        if let Some(end) = several {
            return Some(end);
        }
        i = s + word.len();
    }
    None
}

/// Keeps the longest of overlapping hits (ties: the earliest phrase), in
/// text order, so `قصف جوي` wins over the `قصف` inside it. A phrase that
/// `wins` goes first whatever its length: a NOT_EVENT "the strike came"
/// over "strike … hit" in "the strike came a day after another drone hit…".
fn longest_first(hits: &mut Vec<Hit>, wins: &[bool]) {
    let first = |h: &Hit| !wins.get(h.phrase).copied().unwrap_or(false);
    hits.sort_by_key(|h| {
        (
            first(h),
            std::cmp::Reverse(h.fend - h.fstart),
            h.fstart,
            h.phrase,
        )
    });
    // Kept hits never overlap one another, so of those starting before `h`
    // ends only the last can overlap it: a look-up, not a scan of them all.
    let mut kept: BTreeMap<usize, Hit> = BTreeMap::new();
    for h in hits.drain(..) {
        let clash = kept
            .range(..h.fend)
            .next_back()
            .is_some_and(|(_, k)| k.fend > h.fstart);
        if !clash {
            kept.insert(h.fstart, h);
        }
    }
    *hits = kept.into_values().collect();
}

// ---------------------------------------------------------------------------
// Lexicons

/// What a trigger row means.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Trigger {
    event_type: String,
    sub_event_type: String,
    priority: i32,
    /// The `Violence against civilians` sub-event type the row becomes when
    /// its target is a civilian (optional seventh column).
    on_civilians: Option<String>,
}

/// How far a negation cue reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Anywhere later in the sentence ("denied", نفى).
    Sentence,
    /// A few words later in the same clause (لم، no, not).
    Clause,
    /// As `Clause`, and the places in those words are the object's, not
    /// where anything happened: "in retaliation for attacks on Ain al-Asad",
    /// "احتجاجاً على القصف في …".
    Object,
    /// As `Clause`, for a run of events told together ("سلسلة غارات", "a
    /// series of attacks"): a tally, unless the sentence gives its day and
    /// tells no event before it ("شن طيران التحالف، اليوم، سلسلة غارات على
    /// راوة" is the day's strikes).
    Tally,
    /// The span a count of events is told over ("منذ مطلع العام", "in the
    /// first six months of 2024"): anywhere before the trigger in the
    /// sentence, or a few words after it in its clause ("claimed 153
    /// attacks in Iraq and Syria in the first half of the year"), unless
    /// the sentence writes a day.
    Period,
    /// The places a few words later are where something came from, not
    /// where it happened ("launched from the direction of T2", "قادمة من
    /// الباغوز"); the triggers there still count.
    Origin,
    /// As `Origin`, for where people come from ("راعيين من أهالي ناحية
    /// ربيعة"), except in a sentence that tells of a protest: those who
    /// protest do so at home ("تظاهر العشرات من أهالي مجمع سنوني").
    Home,
}

/// Trigger, actor and negation lexicons, loaded once and shared across
/// threads (`Send + Sync`).
#[derive(Debug)]
pub struct EventLexicon {
    /// Trigger, negation and actor phrases, and the automaton that finds them.
    phrases: PhraseScan,
    trigger_rows: Vec<Trigger>,
    scopes: Vec<Scope>,
    actor_names: Vec<String>,
    /// The row a capture becomes when it was taken by fighting: the first
    /// trigger row of territory taken in battle by a non-state actor (who
    /// took it decides in the end; unnamed takers, "militants", "fighters",
    /// are mostly that).
    capture_row: Option<usize>,
}

/// The non-comment rows of a TSV: (1-based line number, cells).
fn rows(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(n, l)| (n, l.split('\t').collect::<Vec<_>>()))
        .filter(|(_, cells)| cells.first() != Some(&"pattern"))
}

fn row_error(file: &str, line: usize, column: usize, message: String) -> LexiconError {
    LexiconError::Row {
        file: file.to_string(),
        line,
        column,
        message,
    }
}

/// Column `col` (0-based) of a row, required to be non-empty.
fn cell<'a>(
    file: &str,
    line: usize,
    cells: &[&'a str],
    col: usize,
    what: &str,
) -> Result<&'a str, LexiconError> {
    match cells.get(col).map(|c| c.trim()) {
        Some(c) if !c.is_empty() => Ok(c),
        _ => Err(row_error(
            file,
            line,
            col + 1,
            format!("missing {what} (columns are tab-separated)"),
        )),
    }
}

fn phrase(file: &str, line: usize, cells: &[&str]) -> Result<Phrase, LexiconError> {
    let raw = cell(file, line, cells, 0, "pattern")?;
    Phrase::parse(raw).ok_or_else(|| {
        row_error(
            file,
            line,
            1,
            format!("pattern {raw:?} has no letters or digits"),
        )
    })
}

/// Parsed trigger file: triggers and negation cues side by side.
#[derive(Default)]
struct TriggerRows {
    phrases: Vec<Phrase>,
    rows: Vec<Trigger>,
    neg_phrases: Vec<Phrase>,
    scopes: Vec<Scope>,
}

fn parse_triggers(text: &str) -> Result<TriggerRows, LexiconError> {
    const FILE: &str = "triggers.tsv";
    let mut out = TriggerRows::default();
    let mut seen = HashSet::default();
    for (line, cells) in rows(text) {
        let p = phrase(FILE, line, &cells)?;
        let event_type = cell(FILE, line, &cells, 2, "event_type")?;
        let sub = cell(FILE, line, &cells, 3, "sub_event_type")?;
        if !seen.insert((
            p.anchor.clone(),
            p.prefix,
            p.tail.clone(),
            event_type == NEGATION,
        )) {
            continue; // two spellings that fold the same: the first row wins
        }
        if event_type == NEGATION {
            out.scopes.push(parse_scope(FILE, line, sub)?);
            out.neg_phrases.push(p);
            continue;
        }
        if !EVENT_TYPES.contains(&event_type) && event_type != NOT_EVENT {
            let msg = format!(
                "unknown event_type {event_type:?}; use one of {EVENT_TYPES:?}, {NEGATION} or {NOT_EVENT}"
            );
            return Err(row_error(FILE, line, 3, msg));
        }
        let pri = if event_type == NOT_EVENT {
            "0"
        } else {
            cell(FILE, line, &cells, 4, "priority")?
        };
        let priority = pri.parse().map_err(|_| {
            row_error(
                FILE,
                line,
                5,
                format!("priority {pri:?} is not a whole number"),
            )
        })?;
        let on_civilians = cells
            .get(6)
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
            .map(str::to_string);
        out.phrases.push(p);
        out.rows.push(Trigger {
            event_type: event_type.to_string(),
            sub_event_type: sub.to_string(),
            priority,
            on_civilians,
        });
    }
    Ok(out)
}

fn parse_scope(file: &str, line: usize, s: &str) -> Result<Scope, LexiconError> {
    match s {
        "sentence" => Ok(Scope::Sentence),
        "clause" => Ok(Scope::Clause),
        "tally" => Ok(Scope::Tally),
        "period" => Ok(Scope::Period),
        "object" => Ok(Scope::Object),
        "origin" => Ok(Scope::Origin),
        "home" => Ok(Scope::Home),
        _ => Err(row_error(
            file,
            line,
            4,
            format!(
                "negation scope {s:?} must be 'sentence', 'clause', 'tally', 'period', 'object', 'origin' or 'home'"
            ),
        )),
    }
}

fn parse_actors(text: &str) -> Result<(Vec<Phrase>, Vec<String>), LexiconError> {
    const FILE: &str = "actors.tsv";
    let (mut phrases, mut names) = (Vec::new(), Vec::new());
    for (line, cells) in rows(text) {
        let p = phrase(FILE, line, &cells)?;
        let actor = cell(FILE, line, &cells, 2, "actor")?;
        phrases.push(p);
        names.push(actor.to_string());
    }
    Ok((phrases, names))
}

impl EventLexicon {
    /// The bundled lexicons (`gazetteer/lexicon/triggers.tsv` and `actors.tsv`).
    pub fn bundled() -> Result<EventLexicon, LexiconError> {
        EventLexicon::from_tsv(TRIGGERS_TSV, ACTORS_TSV)
    }

    /// From user-supplied TSV text in the bundled files' format; errors name
    /// the file (`triggers.tsv`/`actors.tsv`), line and column.
    pub fn from_tsv(triggers: &str, actors: &str) -> Result<EventLexicon, LexiconError> {
        let t = parse_triggers(triggers)?;
        let (actor_phrases, actor_names) = parse_actors(actors)?;
        let triggers = PhraseSet {
            phrases: t.phrases,
            article_ok: true,
            wins: t.rows.iter().map(|r| r.event_type == NOT_EVENT).collect(),
        };
        let negations = PhraseSet {
            phrases: t.neg_phrases,
            article_ok: false,
            wins: Vec::new(),
        };
        let actors = PhraseSet {
            phrases: actor_phrases,
            article_ok: false,
            wins: Vec::new(),
        };
        let capture_row = t
            .rows
            .iter()
            .position(|r| r.event_type == BATTLES && r.sub_event_type == OVERTAKES);
        Ok(EventLexicon {
            phrases: PhraseScan::new([triggers, negations, actors])?,
            capture_row,
            trigger_rows: t.rows,
            scopes: t.scopes,
            actor_names,
        })
    }

    /// False for an acronym actor written in small letters ("is" for "IS").
    fn actor_case_ok(&self, h: &Hit, chars: &[char]) -> bool {
        !self.phrases.sets[2].phrases[h.phrase].cased
            || chars[h.start..h.end].iter().all(|c| !c.is_lowercase())
    }

    /// The event phrases of one folded article, `[triggers, negations,
    /// actors]` from one scan, on its own: the pipeline runs it over many
    /// articles in a row, while the matcher is in cache, before the rest of
    /// the events stage.
    pub(crate) fn scan(&self, f: &Folded) -> PhraseHits {
        PhraseHits(self.phrases.hits(f))
    }
}

/// The event phrases found in an article by [`EventLexicon::scan`].
#[derive(Debug)]
pub(crate) struct PhraseHits([Vec<Hit>; 3]);

// ---------------------------------------------------------------------------
// Actors

/// Canonical actor names found in a piece of text, in order of first
/// appearance (used for the layer's `actors`). Syrian government names are
/// as the lexicon gives them; [`find_actors_on`] applies the event date.
pub fn find_actors(text: &str, lex: &EventLexicon) -> Vec<String> {
    let f = Folded::new(text);
    let mut out: Vec<String> = Vec::new();
    let PhraseHits([_, _, actors]) = lex.scan(&f);
    let chars: Vec<char> = text.chars().collect();
    for h in actors.iter().filter(|h| lex.actor_case_ok(h, &chars)) {
        let name = &lex.actor_names[h.phrase];
        if !out.contains(name) {
            out.push(name.clone());
        }
    }
    out
}

/// [`find_actors`], with the Syrian government named for `date`: Assad's
/// before 8 December 2024, the transitional government from that day.
pub fn find_actors_on(text: &str, lex: &EventLexicon, date: Option<NaiveDate>) -> Vec<String> {
    named_on(find_actors(text, lex), date)
}

/// Actor names with the Syrian government named for `date`.
fn named_on(actors: Vec<String>, date: Option<NaiveDate>) -> Vec<String> {
    let Some(date) = date else {
        return actors;
    };
    let fell = NaiveDate::from_ymd_opt(ASSAD_FELL.0, ASSAD_FELL.1, ASSAD_FELL.2);
    let (from, to) = if fell.is_some_and(|f| date >= f) {
        (ASSAD, TRANSITIONAL)
    } else {
        (TRANSITIONAL, ASSAD)
    };
    let mut out: Vec<String> = Vec::with_capacity(actors.len());
    for a in actors {
        let a = if a == from { to.to_string() } else { a };
        if !out.contains(&a) {
            out.push(a);
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Sentences

/// Abbreviations whose full stop does not end a sentence (lower case, inner
/// dots kept).
const ABBREVIATIONS: [&str; 46] = [
    "mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "sgt", "capt", "cpl", "brig", "adm",
    "prof", "sr", "jr", "st", "no", "nos", "vs", "etc", "e.g", "i.e", "u.s", "u.k", "u.n", "jan",
    "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "inc", "co",
    "corp", "ltd", "gov", "sen", "rep", "approx",
];

/// Sentence spans of `text` in char offsets `[start, end)`, Arabic and
/// English: split on `. ؟ ? ! ؛ ;` and line breaks (blank lines always), not
/// on abbreviations (U.S., Gen., Jan. …), decimals (3.5) or initials;
/// headlines without a full stop end at the line break. Spans are trimmed of
/// surrounding whitespace.
pub fn split_sentences(text: &str) -> Vec<(usize, usize)> {
    sentences_of(&text.chars().collect::<Vec<_>>())
}

/// [`split_sentences`] over the text's chars.
fn sentences_of(chars: &[char]) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < chars.len() {
        match boundary_at(chars, i) {
            Some(end) => {
                push_capped(chars, start, end, &mut spans);
                start = end;
                i = end.max(i + 1);
            }
            None => i += 1,
        }
    }
    push_capped(chars, start, chars.len(), &mut spans);
    spans
}

/// The longest sentence, in chars: a run of text with no sentence end
/// (a scraped page with no punctuation, a list of names) is cut into pieces
/// of at most this length at a space, so the work per sentence stays bounded.
pub const MAX_SENTENCE_CHARS: usize = 2000;

/// Pushes `[start, end)` as one sentence, or as several no longer than
/// [`MAX_SENTENCE_CHARS`] each, cut after the last space that fits.
fn push_capped(chars: &[char], mut start: usize, end: usize, spans: &mut Vec<(usize, usize)>) {
    while end - start > MAX_SENTENCE_CHARS {
        let limit = start + MAX_SENTENCE_CHARS;
        let cut = (start + MAX_SENTENCE_CHARS / 2..limit)
            .rev()
            .find(|&k| chars[k].is_whitespace())
            .map_or(limit, |k| k + 1);
        push_trimmed(chars, start, cut, spans);
        start = cut;
    }
    push_trimmed(chars, start, end, spans);
}

/// If a sentence ends at char `i`, the index just after it (closing quotes
/// and repeated marks included).
fn boundary_at(chars: &[char], i: usize) -> Option<usize> {
    match chars[i] {
        '\n' => newline_ends(chars, i).then_some(i + 1),
        '?' | '؟' | '!' | ';' | '؛' => Some(after_closers(chars, i + 1)),
        '.' | '…' if !period_inside(chars, i) => Some(after_closers(chars, i + 1)),
        _ => None,
    }
}

fn after_closers(chars: &[char], mut i: usize) -> usize {
    let closers = ['.', '…', '?', '؟', '!', '"', '”', '’', '\'', '»', ')', ']'];
    while chars.get(i).is_some_and(|c| closers.contains(c)) {
        i += 1;
    }
    i
}

/// A single line break ends a sentence unless the text plainly runs on (a
/// comma before it, a lower-case word after it); a blank line always does.
fn newline_ends(chars: &[char], i: usize) -> bool {
    let next = chars[i + 1..].iter().find(|c| **c != ' ' && **c != '\t');
    if next == Some(&'\n') || next.is_none() {
        return true;
    }
    // Only now: a run of blank lines is not walked back over at every line.
    let prev = chars[..i].iter().rev().find(|c| !c.is_whitespace());
    let runs_on = matches!(prev, Some(',' | '،')) || next.is_some_and(|c| c.is_ascii_lowercase());
    !runs_on
}

/// True when the full stop at `i` is part of a number, an abbreviation or
/// an initial rather than the end of a sentence.
fn period_inside(chars: &[char], i: usize) -> bool {
    if chars[i] != '.' {
        return false;
    }
    let prev = i.checked_sub(1).map(|p| chars[p]);
    let next = chars.get(i + 1).copied();
    if next.is_some_and(|c| c.is_ascii_alphanumeric()) && prev.is_some_and(|c| !c.is_whitespace()) {
        return true; // 3.5, U.S, example.com
    }
    let after = chars[i + 1..].iter().find(|c| !c.is_whitespace());
    if after.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit()) {
        return true; // "Gen. al-Hussaini said", "No. 5"
    }
    let word: String = chars[..i]
        .iter()
        .rev()
        .take_while(|c| is_word_char(**c) || **c == '.')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .flat_map(|c| c.to_lowercase())
        .collect();
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    let initials = word.split('.').all(|p| p.chars().count() == 1);
    (letters >= 1 && initials) || ABBREVIATIONS.contains(&word.as_str())
}

/// True when `between` holds at most [`WINDOW_WORDS`] words and no clause
/// break; stops reading as soon as it is false.
fn within_clause_window(between: &[char]) -> bool {
    let (mut words, mut in_word) = (0, false);
    for &c in between {
        if [',', '،', ';', '؛', ':'].contains(&c) {
            return false;
        }
        if c.is_whitespace() {
            in_word = false;
        } else if !in_word {
            in_word = true;
            words += 1;
            if words > WINDOW_WORDS {
                return false;
            }
        }
    }
    true
}

fn push_trimmed(chars: &[char], start: usize, end: usize, spans: &mut Vec<(usize, usize)>) {
    let s = (start..end).find(|&k| !chars[k].is_whitespace());
    let e = (start..end).rev().find(|&k| !chars[k].is_whitespace());
    if let (Some(s), Some(e)) = (s, e) {
        if chars[s..=e].iter().any(|&c| is_word_char(c)) {
            spans.push((s, e + 1));
        }
    }
}

// ---------------------------------------------------------------------------
// Events

/// Specificity of a place kind for locating an event: lower is more specific.
fn rank(kind: Kind) -> u8 {
    match kind {
        Kind::Subdistrict => 1,
        Kind::District => 2,
        Kind::Mountain => 3,
        Kind::Governorate | Kind::Region | Kind::River => 4,
        Kind::Border => 5,
        Kind::Country => 6,
        _ => 0,
    }
}

/// Char distance between two spans (0 when they overlap).
fn distance(a: (usize, usize), b: (usize, usize)) -> usize {
    if a.1 <= b.0 {
        b.0 - a.1
    } else {
        a.0.saturating_sub(b.1)
    }
}

/// Everything about one article that the per-sentence work needs.
struct Doc<'a> {
    article: &'a Article,
    chars: &'a [char],
    folded: &'a Folded,
    mentions: &'a [Mention],
    lex: &'a EventLexicon,
    sentences: Vec<(usize, usize)>,
    triggers: Vec<Hit>,
    negations: Vec<Hit>,
    actors: Vec<Hit>,
    /// The longest actor phrase, in chars.
    max_actor: usize,
    /// Indices into `negations` of the sentence-scoped ones.
    sentence_negations: Vec<usize>,
    dates: Vec<DateMention>,
    /// [`Doc::may_locate_at`] of every mention, computed on first use:
    /// most mentions are in sentences without a trigger and never asked.
    locatable: Vec<std::cell::OnceCell<bool>>,
    /// [`Doc::focus`] for events on the ground and for the others,
    /// computed on first use.
    focus_ground: std::cell::OnceCell<Option<usize>>,
    focus_area: std::cell::OnceCell<Option<usize>>,
    /// The day the report is about: that of the first event in its lead
    /// (first two paragraphs) dated to the day, when that is no later than
    /// publication and at most [`STORY_DAYS`] before it. News writing names
    /// the day once, in the lead, and later paragraphs go on about it ("The
    /// strikes hit three locations near al-Qaim …"): a sentence that names
    /// no date, in a paragraph that names none before it, takes this day
    /// rather than the publication date. Set once that event is read.
    story_date: std::cell::Cell<Option<NaiveDate>>,
    /// Char offset where the lead (the first two paragraphs) ends, computed
    /// on first use.
    lead_end: std::cell::OnceCell<usize>,
    /// [`Doc::is_bulletin`], computed on first use.
    bulletin: std::cell::OnceCell<bool>,
}

/// How many days before publication the lead's date may be to date the
/// report's undated sentences (`Doc::story_date`): a weekly round-up still
/// reads as one story; older dates in a lead are background.
const STORY_DAYS: i64 = 10;

/// English verbs of driving out (folded word starts): the actor after them
/// is the one that lost the ground.
const EXPEL_WORDS: [&str; 5] = ["expel", "flush", "drove", "drive", "wrest"];

/// Words that may stand between "between" and the places it pairs
/// ("بين قضاءي عنه وراوة", "between the towns of X and Y"), folded.
const BETWEEN_KIND_WORDS: [&str; 14] = [
    "قضاءي",
    "بلدتي",
    "مدينتي",
    "قريتي",
    "ناحيتي",
    "منطقتي",
    "محافظتي",
    "the",
    "towns",
    "cities",
    "villages",
    "of",
    "town",
    "city",
];

/// Words that may stand between a place and the place it is located by
/// ("X, about 20 km south of Y", "X شمال غربي مدينة Y"), folded.
const REFERENCE_WORDS: &str = "قرب بالقرب من قريب قريبه محيط بمحيط اطراف باطراف ضواحي شمال جنوب شرق غرب شمالي جنوبي شرقي غربي ريف بريف كم كيلومتر مدينه بلده قريه ناحيه قضاء مخيم نحو \
    near nearby outskirts of north south east west northeast northwest southeast southwest km kilometres kilometers miles from about some the town city village \
    district subdistrict province governorate camp area outside";

/// Arabic kind words (folded) that may stand after و between the names of
/// a list ("ناحية الكرابلة ومدينة حصيبة").
const ARABIC_KIND_WORDS: [&str; 12] = [
    "مدينه",
    "بلده",
    "قريه",
    "ناحيه",
    "قضاء",
    "مخيم",
    "حي",
    "بلدات",
    "قري",
    "بلدتي",
    "قريتي",
    "منطقه",
];

/// "التابعة لناحية X": X is the unit the place before belongs to (folded).
const PART_OF: [&str; 4] = ["التابعه", "التابع", "التابعتين", "التابعين"];

/// Words before an actor that make it the target of an attack, folded.
const TARGET_WORDS: [&str; 8] = [
    "علي",
    "ضد",
    "on",
    "at",
    "against",
    "targeting",
    "استهدفت",
    "استهدف",
];

/// The event type a trigger row's `on_civilians` sub-type belongs to, and
/// the actor that selects it (also the actor of a protest with none named).
const CIVILIAN_TYPE: &str = "Violence against civilians";
const CIVILIANS: &str = "Civilians";

/// ACLED's two sub-types of territory taken by fighting.
const REGAINS: &str = "Government regains territory";
const BATTLES: &str = "Battles";
const ARMED_CLASH: &str = "Armed clash";
const TRANSFER: &str = "Non-violent transfer of territory";

/// Verbs and nouns of capture (folded): a capture of a place is taken by
/// fighting unless the sentence says otherwise ("IS first seized Palmyra",
/// "سيطرت قسد على بلدة هجين").
const CAPTURE_WORDS: [&str; 8] = [
    "سيطر",
    "استولي",
    "captur",
    "seiz",
    "took control",
    "take control",
    "taken control",
    "took over",
];

/// Words that may stand between a capture word and the place taken ("the
/// border town of", "على بلدة").
const CAPTURE_OBJECT_WORDS: [&str; 14] = [
    "the",
    "of",
    "town",
    "city",
    "village",
    "border",
    "key",
    "strategic",
    "control",
    "علي",
    "بلده",
    "مدينه",
    "قريه",
    "ناحيه",
];

/// Words (folded) that make a capture peaceful: a handover, a withdrawal,
/// a deal ("سيطر الجيش على البلدة بعد انسحاب قسد منها").
const PEACEFUL_WORDS: [&str; 14] = [
    "دون قتال",
    "دون مقاومه",
    "انسحاب",
    "انسحب",
    "تسليم",
    "سلمت",
    "اتفاق",
    "without a fight",
    "without resistance",
    "without fighting",
    "withdr",
    "handed over",
    "handover",
    "agreement",
];
const OVERTAKES: &str = "Non-state actor overtakes territory";

/// Actors (canonical names in `actors.tsv`) that ACLED counts as state
/// forces: when one of them is named first, territory taken by fighting is
/// regained by a government; otherwise a non-state actor overtook it.
const STATE_FORCES: [&str; 11] = [
    "Iraqi Security Forces",
    "Iraqi Army",
    "Iraqi Border Guards",
    "PMF",
    "Peshmerga",
    "Syrian Government (Assad)",
    "Syrian Transitional Government",
    "Turkish Armed Forces",
    "Russian Forces",
    "United States",
    "US-led Coalition",
];

/// The territory sub-type by who took the ground: the first actor named
/// (the subject in both languages' usual order) decides; with no actor the
/// trigger's own reading stands ("recaptured" regains, "overran" overtakes).
///
/// ```text
/// "Iraqi forces recaptured al-Qaim from ISIS" -> Government regains territory
/// "ISIS recaptured the village"               -> Non-state actor overtakes territory
/// ```
fn territory_sub_type(sub: String, taker: Option<&str>) -> String {
    if sub != REGAINS && sub != OVERTAKES {
        return sub;
    }
    match taker {
        Some(a) if STATE_FORCES.contains(&a) => REGAINS.to_string(),
        Some(a) if a != CIVILIANS => OVERTAKES.to_string(),
        _ => sub,
    }
}

/// Words about saying, folded once: verbs of saying, the "that" that
/// follows them in Arabic, and the people who say things.
struct Speaking {
    speech: HashSet<String>,
    that: HashSet<String>,
    nouns: HashSet<String>,
    /// Verbs of speaking itself, not of making known.
    spoke: HashSet<String>,
}

static SPEAKING: std::sync::LazyLock<Speaking> = std::sync::LazyLock::new(|| {
    let set = |words: &[&str]| words.iter().map(|w| fold(w)).collect::<HashSet<String>>();
    Speaking {
        speech: set(&[
            "said",
            "says",
            "say",
            "told",
            "tells",
            "announced",
            "announces",
            "blamed",
            "blames",
            "accused",
            "accuses",
            "stated",
            "claimed",
            "warned",
            "denied",
            "condemned",
            "welcomed",
            "urged",
            "insisted",
            "قال",
            "قالت",
            "يقول",
            "تقول",
            "أعلن",
            "أعلنت",
            "يعلن",
            "تعلن",
            "أكد",
            "أكدت",
            "يؤكد",
            "تؤكد",
            "صرح",
            "صرحت",
            "أفاد",
            "أفادت",
            "ذكر",
            "ذكرت",
            "أوضح",
            "أوضحت",
            "اتهم",
            "اتهمت",
            "يتهم",
            "تتهم",
            "حمل",
            "حملت",
            "رحب",
            "رحبت",
            "دعا",
            "دعت",
            "أدان",
            "أدانت",
            "نفى",
            "نفت",
            "حذر",
            "حذرت",
        ]),
        that: set(&["إن", "أن", "بأن"]),
        spoke: set(&[
            "said",
            "says",
            "told",
            "speaking",
            "spoke",
            "قال",
            "قالت",
            "صرح",
            "صرحت",
            // "said by phone from Qamishli", "تحدث هاتفياً من القامشلي"
            "phone",
            "telephone",
            "هاتفيا",
            "هاتفياً",
        ]),
        nouns: set(&[
            "مصدر",
            "مصادر",
            "مسؤول",
            "مسؤولون",
            "مراسل",
            "متحدث",
            "المتحدث",
            "ناطق",
            "الناطق",
            "correspondent",
            "correspondents",
            "spokesman",
            "spokeswoman",
            "spokesperson",
            "official",
            "officials",
            "source",
            "sources",
            "lawmaker",
            "minister",
            "ministry",
        ]),
    }
});

/// The words of folded text, without the punctuation around them.
fn words(text: &str) -> impl DoubleEndedIterator<Item = &str> + Clone {
    text.split(' ')
        .map(|w| w.trim_matches(|c: char| !is_word_char(c)))
        .filter(|w| !w.is_empty())
}

/// True when `w` (folded) or `w` without a leading و is in `set`.
fn in_set(w: &str, set: &HashSet<String>) -> bool {
    set.contains(w) || set.contains(strip_wa(w))
}

/// The whitespace-separated words of a char slice, as `split_whitespace`
/// gives them of the same text, without copying it out.
fn words_of(chars: &[char]) -> impl Iterator<Item = &[char]> {
    chars.split(|c| c.is_whitespace()).filter(|w| !w.is_empty())
}

/// A word without the conjunction و stuck to its front ("وقال" → "قال").
fn strip_wa(w: &str) -> &str {
    match w.strip_prefix('و') {
        Some(rest) if rest.chars().count() >= 2 => rest,
        _ => w,
    }
}

/// True for a trigger row of something that happens at a spot on the
/// ground (a fight, a strike, an attack, an arrest, a seizure, a change of
/// hands), as against statements, agreements and changes of policy, which
/// belong to a country or region.
fn on_ground(row: &Trigger) -> bool {
    match row.event_type.as_str() {
        "Battles" | "Explosions/Remote violence" | "Violence against civilians" => true,
        "Strategic developments" => matches!(
            row.sub_event_type.as_str(),
            "Arrests" | "Disrupted weapons use" | "Non-violent transfer of territory"
        ),
        _ => false,
    }
}

/// Words that open a new clause ("…, while …"). They (and a semicolon)
/// join two statements rather than two parts of one: a trigger after them
/// makes its own event even where the place it is near is the same.
const CLAUSE_WORDS: [&str; 6] = ["فيما", "بينما", "وفيما", "وبينما", "while", "whereas"];

/// Words a few words before a date that make it the start of a state
/// ("منذ إعادة افتتاحه في أيلول 2019", "since its reopening in 2019"): the
/// date belongs to its own clause's trigger, never to the rest of the
/// sentence.
const SINCE_WORDS: [&str; 3] = ["منذ", "ومنذ", "since"];

/// One sentence being read: its clause breaks and candidate places.
struct Sentence {
    /// Char offsets where clauses begin, sorted.
    breaks: Vec<usize>,
    /// The breaks that open a new statement (فيما, while, ;), sorted.
    strong: Vec<usize>,
    /// Indices of the mentions the sentence may be located at.
    places: Vec<usize>,
}

impl Sentence {
    /// The number of the clause holding char offset `at`.
    fn clause(&self, at: usize) -> usize {
        self.breaks.partition_point(|&b| b <= at)
    }

    /// The number of the statement holding char offset `at`.
    fn statement(&self, at: usize) -> usize {
        self.strong.partition_point(|&b| b <= at)
    }
}

/// A trigger accepted for a sentence and the mention that locates it.
#[derive(Clone, Copy)]
struct Located {
    hit: Hit,
    mention: usize,
    /// The clauses of the sentence that belong to this trigger when the
    /// sentence makes several events: its actors are read there.
    region: Option<(usize, usize)>,
}

/// Events of one article. `mentions` are the article's resolved place
/// mentions, sorted by start (char offsets into `article.text`);
/// [`Event::mention`] is an index into `mentions`. One event per
/// (type, sub-type, place, date) per article.
pub fn extract_events(article: &Article, mentions: &[Mention], lex: &EventLexicon) -> Vec<Event> {
    let chars: Vec<char> = article.text.chars().collect();
    let folded = Folded::new(&article.text);
    let hits = lex.scan(&folded);
    extract_events_folded(article, &chars, &folded, hits, mentions, lex)
}

/// [`extract_events`] over the article's text already folded and scanned
/// for event phrases (the pipeline folds each text once for all stages).
pub(crate) fn extract_events_folded(
    article: &Article,
    chars: &[char],
    folded: &Folded,
    PhraseHits([triggers, negations, actors]): PhraseHits,
    mentions: &[Mention],
    lex: &EventLexicon,
) -> Vec<Event> {
    // Every event is a trigger at a place: without both, nothing to read.
    let is_event = |h: &Hit| lex.trigger_rows[h.phrase].event_type != NOT_EVENT;
    if mentions.is_empty() || !triggers.iter().any(is_event) {
        return Vec::new();
    }
    let doc = Doc {
        article,
        chars,
        folded,
        mentions,
        lex,
        sentences: sentences_of(chars),
        // A NOT_EVENT phrase has already taken the place of the trigger
        // inside it (longest first); now it goes too.
        triggers: triggers.into_iter().filter(is_event).collect(),
        max_actor: actors.iter().map(|a| a.end - a.start).max().unwrap_or(0),
        sentence_negations: (0..negations.len())
            .filter(|&n| lex.scopes[negations[n].phrase] == Scope::Sentence)
            .collect(),
        negations,
        actors: actors
            .into_iter()
            .filter(|h| lex.actor_case_ok(h, chars))
            .collect(),
        dates: crate::dates::find_dates_folded(&article.text, folded, article.date),
        locatable: vec![std::cell::OnceCell::new(); mentions.len()],
        focus_ground: std::cell::OnceCell::new(),
        focus_area: std::cell::OnceCell::new(),
        story_date: std::cell::Cell::new(None),
        lead_end: std::cell::OnceCell::new(),
        bulletin: std::cell::OnceCell::new(),
    };
    // One event per type, place and day; a repeat adds its actors.
    let mut seen: HashMap<(String, String, u32, Option<NaiveDate>), usize> = HashMap::default();
    let mut out: Vec<Event> = Vec::new();
    for si in 0..doc.sentences.len() {
        for ev in doc.sentence_events(si) {
            doc.note_story_date(&ev);
            let key = (
                ev.event_type.clone(),
                ev.sub_event_type.clone(),
                mentions[ev.mention].place,
                ev.date,
            );
            match seen.get(&key) {
                // The lead tells on its day what the headline told undated:
                // the dated telling stands for both.
                Some(&first) if ev.own_date && !out[first].own_date => {
                    let actors = std::mem::take(&mut out[first].actors);
                    out[first] = ev;
                    add_actors(&mut out[first], &actors);
                }
                Some(&first) => add_actors(&mut out[first], &ev.actors),
                None => {
                    seen.insert(key, out.len());
                    out.push(ev);
                }
            }
        }
    }
    // A headline or lead restates the story the body dates: drop an event
    // whose date is not written in its own clause (the publication date,
    // the day of another clause: "أعلنت اليوم اعتقال…، فيما أصيب جنديان
    // بانفجار عبوة") when the same kind of event at the same place has one
    // that is.
    // "أفاد مصدر أمني، اليوم الأحد، بمقتل…", "officials said on Sunday":
    // a day told with the verb that reports is the report's, and gives way
    // too when the body dates the same kind of event at the same place.
    // Of the tellings of one kind of event at one place, those whose day
    // is best told stand (`Doc::date_rank`).
    let rank: Vec<u8> = out.iter().map(|e| doc.date_rank(e)).collect();
    fn key<'a>(e: &'a Event, mentions: &[Mention]) -> (&'a str, &'a str, u32) {
        (&e.event_type, &e.sub_event_type, mentions[e.mention].place)
    }
    let mut best: HashMap<(&str, &str, u32), u8> = HashMap::default();
    for (e, &r) in out.iter().zip(&rank) {
        let b = best.entry(key(e, mentions)).or_insert(r);
        *b = (*b).max(r);
    }
    let keep: Vec<bool> = out
        .iter()
        .zip(&rank)
        .map(|(e, &r)| best.get(&key(e, mentions)) == Some(&r))
        .collect();
    // What the dropped telling names (who attacked whom) is the kept one's.
    for i in 0..out.len() {
        if keep[i] {
            continue;
        }
        let told = key(&out[i], mentions);
        if let Some(j) = (0..out.len()).find(|&j| keep[j] && key(&out[j], mentions) == told) {
            let actors = out[i].actors.clone();
            add_actors(&mut out[j], &actors);
        }
    }
    // A sentence that names no place of its own and reports the same kind
    // of event on the same day as an earlier one goes on about that event
    // ("Residents said they heard several loud explosions", "X claimed the
    // attack"): it is not a second one at the place it borrowed, but the
    // actors it names are the event's.
    let mut kept: Vec<Event> = Vec::with_capacity(out.len());
    for (e, k) in out.iter().zip(keep) {
        if !k {
            continue;
        }
        let m = &mentions[e.mention];
        let named_here = m.start >= e.sentence_start && m.end <= e.sentence_end;
        // "The attack", "the blast", الانفجار, الاستهداف: a definite noun
        // with no place of its own points back to the day's event whatever
        // kind the word names.
        let earlier = if named_here {
            None
        } else if let Some(i) = kept.iter().position(|f| {
            // (Not one of the places the same sentence borrowed for it.)
            f.event_type == e.event_type
                && f.sub_event_type == e.sub_event_type
                && f.date == e.date
                && f.trigger_start != e.trigger_start
        }) {
            Some(i)
        } else if referential(chars, e.trigger_start) {
            // "that attack" is the last one told, on whatever day, unless
            // the sentence dates it itself.
            let dated_here = doc
                .dates
                .iter()
                .any(|d| d.start >= e.sentence_start && d.end <= e.sentence_end);
            kept.iter().rposition(|f| f.date == e.date || !dated_here)
        } else {
            None
        };
        let earlier = earlier.map(|i| &mut kept[i]);
        match earlier {
            Some(f) => add_actors(f, &e.actors),
            None => kept.push(e.clone()),
        }
    }
    kept
}

/// The number of days in "two days after", "a day after", "بعد يومين من",
/// "بعد ثلاثة أيام على" when those words end `before` (folded text up to a
/// trigger; an article or one adjective may stand between).
fn days_after(before: &str) -> Option<u64> {
    let words: Vec<&str> = before.split_whitespace().rev().take(7).collect();
    let count = |w: &str| crate::dates::count_word(w).map(|n| n as u64);
    // Newest word first: [trigger's neighbours…] after/من, unit, count.
    for k in 0..words.len().min(3) {
        let rest = &words[k..];
        match rest {
            ["after", "day" | "days", n, ..] => return count(n),
            ["after", "week" | "weeks", n, ..] => return count(n).map(|n| n * 7),
            ["من" | "علي", "اسبوع", "بعد", ..] => return Some(7),
            ["من" | "علي", "اسبوعين", "بعد", ..] => return Some(14),
            ["من" | "علي", "يومين", "بعد", ..] => return Some(2),
            ["من" | "علي", "يوم", "بعد", ..] => return Some(1),
            ["من" | "علي", "واحد", "يوم", "بعد", ..] => return Some(1),
            ["من" | "علي", "ايام", n, "بعد", ..] => return count(n),
            _ => {}
        }
    }
    None
}

/// Words (folded) of a weapon used, not only named: an explosion, a
/// shelling, a launch ("انفجار عبوة", "قصف صاروخي", "rockets were fired").
const FIRED_WORDS: [&str; 16] = [
    "انفجار",
    "تفجير",
    "قصف",
    "اطلاق",
    "استهدف",
    "هجوم",
    "explo",
    "blast",
    "detonat",
    "shell",
    "fire",
    "launch",
    "attack",
    "target",
    "struck",
    "hit",
];

/// How far back (chars) "the camp" looks for its camp.
const NAMED_BACK_CHARS: usize = 1500;

/// Kind words with the article (folded) that name a place told before
/// ([`Doc::named_back`]): the word, the kinds it names, and the word a
/// name is written with ("Makhmour refugee camp", "مخيم الهول").
const BACK_KINDS: [(&str, &[Kind], &str); 12] = [
    ("camp", &[Kind::Camp], "camp"),
    ("المخيم", &[Kind::Camp], "مخيم"),
    ("town", &[Kind::Town], "town"),
    ("البلده", &[Kind::Town], "بلده"),
    ("city", &[Kind::City], "city"),
    ("المدينه", &[Kind::City], "مدينه"),
    ("village", &[Kind::Village], "village"),
    ("القريه", &[Kind::Village], "قريه"),
    ("crossing", &[Kind::Crossing], "crossing"),
    ("المعبر", &[Kind::Crossing], "معبر"),
    ("base", &[Kind::Base], "base"),
    ("القاعده", &[Kind::Base], "قاعده"),
];

/// Nouns (folded) by which a sentence names back the targets of the one
/// before it ([`Doc::places_told_next`]).
const BACK_NOUNS: [&str; 14] = [
    "facilities",
    "targets",
    "sites",
    "locations",
    "strikes",
    "الاهداف",
    "المواقع",
    "المنشات",
    "الغارات",
    "الضربات",
    "اهدافها",
    "مواقعها",
    "الغاره",
    "الضربه",
];

/// Words (folded) opening a clause that tells when the one before happened.
const WHEN_WORDS: [&str; 5] = ["when", "عندما", "حين", "حينما", "لما"];

/// Phrases (folded) that put an event on the day after the one told before.
const NEXT_DAY: [&str; 5] = [
    "اليوم التالي",
    "next day",
    "following day",
    "a day later",
    "day after that",
];

/// "محطة الكهرباء في ريف ديرك ومطحنة في ناحية كركي لكي", "a checkpoint
/// in X and a mill in Y": a second object in a second place, joined by
/// and/و, with in/في before the place (a kind word may follow it).
fn second_object_gap(gap: &str) -> bool {
    let words: Vec<&str> = gap.split_whitespace().collect();
    if words.len() < 2 || words.len() > 7 {
        return false;
    }
    let joined = joiner_word(words[0]);
    let locative = words[1..].iter().any(|w| {
        matches!(
            *w,
            "في" | "in" | "at" | "near" | "قرب" | "بمدينة" | "ببلدة" | "بقرية"
        )
    });
    joined && locative && !gap.contains([',', '،', '.', ';', '؛'])
}

/// "، إضافةً إلى قرية", "as well as the town of": a list that goes on with
/// one place more (`gap` folded, between two names).
fn addition_gap(gap: &str) -> bool {
    const JOINERS: [&str; 8] = [
        "بالاضافه الي",
        "اضافه الي",
        "فضلا عن",
        "علاوه علي",
        "وكذلك",
        "as well as",
        "in addition to",
        "along with",
    ];
    let g = gap.trim_start_matches([' ', ',', '،']);
    let Some(rest) = JOINERS.iter().find_map(|j| g.strip_prefix(j)) else {
        return false;
    };
    let rest: Vec<&str> = rest.split_whitespace().collect();
    rest.len() <= 3
        && rest
            .iter()
            .all(|w| PLACE_KIND_WORDS.contains(w) || matches!(*w, "the" | "of" | "في"))
}

/// Kind words written before a name (folded): "قضاء تلعفر", "the town of".
const PLACE_KIND_WORDS: [&str; 12] = [
    "قضاء",
    "ناحيه",
    "مدينه",
    "بلده",
    "قريه",
    "محافظه",
    "مخيم",
    "منطقه",
    "city",
    "town",
    "province",
    "village",
];

/// English kind words written after a name ("Deir Ezzor city").
const ENGLISH_KIND_WORDS: [&str; 8] = [
    "city",
    "town",
    "province",
    "governorate",
    "district",
    "village",
    "camp",
    "countryside",
];

/// "and", or a word with the و clitic ("ومطحنة"): it joins what follows
/// to what came before.
fn joiner_word(w: &str) -> bool {
    w == "and" || (w.starts_with('و') && w.chars().count() > 2)
}

/// The longest gap (chars) between two places of a list: a joiner, or the
/// seven words at most of [`second_object_gap`] ("ومطحنة في ناحية", "and
/// two sites in the villages of").
const MAX_LIST_GAP: usize = 80;

/// English determiners that make the noun after them point back.
const DEFINITE_WORDS: [&str; 7] = ["the", "this", "that", "these", "those", "its", "their"];

/// True when the trigger starting at char `at` is a definite noun phrase:
/// Arabic ال (after a clitic و ف ب ل, or لل), or an English determiner before
/// it ("the attack", "this strike").
fn referential(chars: &[char], at: usize) -> bool {
    let word: String = chars[at.min(chars.len())..]
        .iter()
        .take_while(|c| c.is_alphabetic())
        .take(4)
        .collect();
    let bare = word.strip_prefix(['و', 'ف']).unwrap_or(&word).to_string();
    let bare = bare.strip_prefix(['ب', 'ل', 'ك']).unwrap_or(&bare);
    if bare.starts_with("ال") || word.starts_with("لل") || word.starts_with("ولل") {
        return true;
    }
    DEFINITE_WORDS.contains(&word_before(chars, at).as_str())
}

/// The word (letters only, lower case) that ends just before char `at`,
/// spaces skipped: "the" in "the attack", "in" in "in Istanbul".
pub(crate) fn word_before(chars: &[char], at: usize) -> String {
    let end = chars[..at.min(chars.len())]
        .iter()
        .rposition(|c| !c.is_whitespace())
        .map_or(0, |i| i + 1);
    let start = chars[..end]
        .iter()
        .rposition(|c| !c.is_alphabetic())
        .map_or(0, |i| i + 1);
    chars[start..end].iter().collect::<String>().to_lowercase()
}

/// Adds the `actors` of a restatement that `event` lacks, after its own.
fn add_actors(event: &mut Event, actors: &[String]) {
    for a in actors {
        if !event.actors.contains(a) {
            event.actors.push(a.clone());
        }
    }
}

/// Drops the events a finer one restates: one at an area (a country, a
/// governorate, the border) when an event of the same type and sub-type on
/// the same day stands at a place inside it ("US jets struck sites in Iraq
/// on Sunday … The strikes hit three locations near al-Qaim"). An area
/// event with only the publication date, or a day borrowed from another
/// clause ("…، فيما أشارت إلى القبض على متسللين قرب الشريط الحدودي"), also
/// gives way to one inside it dated in its own clause. `covers(area,
/// place)` says whether the place lies in the area (the caller holds the
/// gazetteer and the border).
pub(crate) fn drop_restated(
    events: Vec<Event>,
    mentions: &[Mention],
    covers: impl Fn(&Mention, &Mention) -> bool,
) -> Vec<Event> {
    // For each event, the finer one that restates it, if any.
    let finer: Vec<Option<usize>> = events
        .iter()
        .map(|e| {
            let area = &mentions[e.mention];
            events.iter().position(|f| {
                let place = &mentions[f.mention];
                f.event_type == e.event_type
                    && f.sub_event_type == e.sub_event_type
                    && (f.date == e.date
                        || (e.date_precision == DatePrecision::Article
                            && f.date_precision != DatePrecision::Article)
                        || (!e.own_date && f.own_date))
                    && place.place != area.place
                    && area.kind.geo_precision() > place.kind.geo_precision()
                    && covers(area, place)
            })
        })
        .collect();
    // The actors named with the area's event are the finer one's too.
    let mut events = events;
    for (i, f) in finer.iter().enumerate() {
        if let Some(f) = *f {
            let actors = events[i].actors.clone();
            add_actors(&mut events[f], &actors);
        }
    }
    events
        .into_iter()
        .zip(finer)
        .filter_map(|(e, f)| f.is_none().then_some(e))
        .collect()
}

/// Char offset where the first two paragraphs end (the text's end if it
/// has fewer).
fn lead_end(chars: &[char]) -> usize {
    let mut paras = 0;
    for (i, w) in chars.windows(2).enumerate() {
        if w == ['\n', '\n'] && i > 0 && chars[i - 1] != '\n' {
            paras += 1;
            if paras == 2 {
                return i;
            }
        }
    }
    chars.len()
}

/// Verbs that report (folded, without و/ف): a day told between one and the
/// event ("أفاد مصدر أمني، اليوم الأحد، بمقتل…") is when it was reported.
const REPORT_WORDS: [&str; 18] = [
    "افاد",
    "افادت",
    "اعلن",
    "اعلنت",
    "قال",
    "قالت",
    "ذكر",
    "ذكرت",
    "اكد",
    "اكدت",
    "كشف",
    "كشفت",
    "said",
    "says",
    "announced",
    "reported",
    "told",
    "confirmed",
];

impl Doc<'_> {
    /// How well event `ev`'s day is told: 3 when written in its own
    /// clause; 2 elsewhere in its sentence; 1 when written after a verb
    /// that reports and its speaker, before the trigger ("أفاد مصدر أمني،
    /// اليوم الأحد، بمقتل…": the day of the report, the event may be
    /// earlier); 0 when taken from another sentence or the publication.
    fn date_rank(&self, ev: &Event) -> u8 {
        let mut written = self
            .dates
            .iter()
            .filter(|d| {
                d.start >= ev.sentence_start && d.end <= ev.sentence_end && Some(d.date) == ev.date
            })
            .peekable();
        if written.peek().is_none() {
            return 0;
        }
        let reported = written
            .any(|d| d.end <= ev.trigger_start && self.reported_before(ev.sentence_start, d.start));
        match (reported, ev.own_date) {
            (true, _) => 1,
            (false, true) => 3,
            (false, false) => 2,
        }
    }

    /// True when the words of `[s, at)` end on a verb that reports and its
    /// speaker: at most six words after the verb, none of them "أن"/"that"
    /// (after which a clause of its own begins: "وذكرت الخلية أن طائرات
    /// نفذت مساء أمس…" dates the strike).
    fn reported_before(&self, s: usize, at: usize) -> bool {
        let ws: Vec<&str> = words(self.folded(s, at)).collect();
        let Some(v) = ws
            .iter()
            .rposition(|w| REPORT_WORDS.contains(&w.trim_start_matches(['و', 'ف'])))
        else {
            return false;
        };
        let speaker = &ws[v + 1..];
        speaker.len() <= 6
            && !speaker
                .iter()
                .any(|w| matches!(*w, "ان" | "بان" | "وان" | "that"))
    }

    /// Takes `ev`'s day as the story's (`Doc::story_date`) when it is
    /// the first event of the lead dated to the day, near publication.
    fn note_story_date(&self, ev: &Event) {
        let near = |d: NaiveDate| {
            self.article
                .date
                .is_none_or(|p| d <= p && (p - d).num_days() <= STORY_DAYS)
        };
        if self.story_date.get().is_none()
            && ev.sentence_start < *self.lead_end.get_or_init(|| lead_end(self.chars))
            && ev.date_precision == DatePrecision::Day
        {
            self.story_date.set(ev.date.filter(|&d| near(d)));
        }
    }

    fn sentence_events(&self, si: usize) -> Vec<Event> {
        let (s, e) = self.sentences[si];
        let mut hits: Vec<Hit> = Vec::new();
        let mut last_negated: Option<&Hit> = None;
        let first = self.triggers.partition_point(|h| h.start < s);
        let inside = self.triggers[first..]
            .iter()
            .take_while(|h| h.start < e)
            .filter(|h| h.end <= e);
        for h in inside {
            // "no arrest or infiltration": the negation covers the whole list.
            let listed = last_negated.is_some_and(|g| self.coordinated(g, h));
            if listed || self.negated(h, s) {
                last_negated = Some(h);
            } else {
                last_negated = None;
                hits.push(*h);
            }
        }
        if hits.is_empty() {
            return Vec::new();
        }
        // "عثرت على مضافة … تحتوي على أعتدة … وأحزمة ناسفة": explosives
        // named after a find or a seizure are what was found, not a blast
        // (a word of explosion still tells one).
        if let Some(found) = hits
            .iter()
            .find(|h| self.row(h).sub_event_type == "Disrupted weapons use")
            .map(|h| h.start)
        {
            hits.retain(|h| {
                let row = self.row(h);
                h.start < found
                    || !matches!(
                        row.sub_event_type.as_str(),
                        "Remote explosive/landmine/IED" | "Shelling/artillery/missile attack"
                    )
                    || FIRED_WORDS
                        .iter()
                        .any(|w| self.folded(h.start, h.end).contains(w))
            });
        }
        // "عملية إنزال جوي … أسفرت عن اعتقال قيادي": an airborne raid that
        // ends in arrests is the arrests (fighting would be told: a clash
        // word of its own).
        if hits.iter().any(|h| self.row(h).sub_event_type == "Arrests") {
            hits.retain(|h| !self.folded(h.start, h.end).contains("انزال"));
        }
        self.captures_by_fighting(&mut hits, s, e);
        let top = hits
            .iter()
            .max_by_key(|h| (self.row(h).priority, std::cmp::Reverse(h.start)))
            .map(|h| self.row(h));
        let places = self.places(si, top.is_some_and(on_ground));
        if places.is_empty() {
            return Vec::new();
        }
        let (breaks, strong) = self.clause_breaks(s, e, &hits);
        hits.sort_by_key(|h| (std::cmp::Reverse(self.row(h).priority), h.start));
        let sentence = Sentence {
            breaks,
            strong,
            places,
        };
        let mut located = self.locate(&sentence, &hits);
        // "غارات على مواقع في البوكمال والميادين ودير الزور": one event at
        // each place of the list, as ACLED codes one per location.
        let mut listed = Vec::new();
        for l in &located {
            let mut m = l.mention;
            while (s..e).contains(&self.mentions[m].start) && self.listed_next(m, e) {
                m += 1;
                listed.push(Located { mention: m, ..*l });
            }
            // The event may sit at a later place of the list (the most
            // precise one): the earlier ones are its places too.
            let mut m = l.mention;
            while m > 0
                && self.mentions[m - 1].start >= s
                && (s..e).contains(&self.mentions[m].start)
                && self.listed_next(m - 1, e)
            {
                m -= 1;
                listed.push(Located { mention: m, ..*l });
            }
        }
        // Places the next sentence tells for this one's strikes: one event
        // at each, as for a list.
        if sentence
            .places
            .first()
            .is_some_and(|&m| self.mentions[m].start >= e)
        {
            for l in &located {
                listed.extend(
                    sentence
                        .places
                        .iter()
                        .map(|&m| Located { mention: m, ..*l }),
                );
            }
        }
        for l in listed {
            if !located
                .iter()
                .any(|o| o.mention == l.mention && o.hit.start == l.hit.start)
            {
                located.push(l);
            }
        }
        let kept = located
            .into_iter()
            .map(|l| {
                let shooting = self.row(&l.hit).on_civilians.is_some();
                (self.event(si, &sentence, &l), shooting)
            })
            .fold(Vec::new(), |mut kept: Vec<(Event, bool)>, told| {
                // A clash another event at its place already tells: the
                // fighting of a capture, or the shooting (a row that turns on
                // whom it hit) by which a civilian was attacked ("اغتال
                // مسلحون مجهولون مختار البلدة بإطلاق النار عليه").
                let absorbs = |other: &Event, (clash, shooting): &(Event, bool)| {
                    clash.sub_event_type == ARMED_CLASH
                        && other.mention == clash.mention
                        && (matches!(other.sub_event_type.as_str(), REGAINS | OVERTAKES)
                            || *shooting && other.event_type == CIVILIAN_TYPE)
                };
                if kept.iter().any(|(k, _)| absorbs(k, &told)) {
                    return kept;
                }
                kept.retain(|k| !absorbs(&told.0, k));
                kept.push(told);
                kept
            });
        kept.into_iter().map(|(ev, _)| ev).collect()
    }

    /// A capture ("سيطر", "seized", "captured") taken by fighting becomes
    /// territory taken in battle: when the sentence tells of fighting
    /// ("… إثر المواجهات", "after heavy fighting"), or, unless it tells of a
    /// handover or withdrawal, when the place taken follows the verb
    /// ("IS first seized Palmyra").
    fn captures_by_fighting(&self, hits: &mut [Hit], s: usize, e: usize) {
        let Some(capture) = self.lex.capture_row else {
            return;
        };
        let captures: Vec<bool> = hits.iter().map(|h| self.capture_word(h)).collect();
        if !captures.contains(&true) {
            return;
        }
        let battle = hits.iter().any(|h| self.row(h).event_type == BATTLES);
        let text = self.folded(s, e);
        let peaceful = PEACEFUL_WORDS.iter().any(|p| text.contains(p));
        for (h, capture_word) in hits.iter_mut().zip(captures) {
            let row = self.row(h);
            if !capture_word || row.event_type == BATTLES {
                continue;
            }
            let by_fighting = (battle && row.sub_event_type == TRANSFER)
                || (!peaceful
                    && (self.capture_object(h, e).is_some() || self.positions_taken(h, e)));
            if by_fighting {
                h.phrase = capture;
            }
        }
    }

    /// True when trigger `h` is a word of capture, not of control lost or
    /// ended ("خرجت عن سيطرتها", "انتهاء سيطرة التنظيم", "من سيطرة داعش").
    fn capture_word(&self, h: &Hit) -> bool {
        const LOST: [&str; 7] = ["عن", "من", "تحت", "انتهاء", "نهايه", "زوال", "خارج"];
        let w = self.folded(h.start, h.end);
        CAPTURE_WORDS.iter().any(|c| w.contains(c))
            && !words(self.folded(h.start.saturating_sub(12), h.start))
                .next_back()
                .is_some_and(|b| LOST.contains(&b))
    }

    /// True when capture word `h` takes an armed side's positions
    /// ("سيطر مقاتلو العشائر على نقاط ومقرات لقسد", "seized SDF checkpoints"):
    /// ground held by fighters is not handed over without a word of it.
    fn positions_taken(&self, h: &Hit, e: usize) -> bool {
        const POSITION_WORDS: [&str; 16] = [
            "نقاط",
            "نقطه",
            "مقرات",
            "مقر",
            "مواقع",
            "موقع",
            "حواجز",
            "حاجز",
            "positions",
            "position",
            "checkpoints",
            "checkpoint",
            "posts",
            "outposts",
            "headquarters",
            "bases",
        ];
        self.capture_word(h)
            && words(self.folded(h.end, (h.end + 60).min(e)))
                .take(6)
                .any(|w| POSITION_WORDS.contains(&strip_wa(w).trim_start_matches("ال")))
    }

    /// The mention of the place capture word `h` takes, before char `e`:
    /// "seized Palmyra", "captured the border town of Tal Abyad", "سيطرت قسد
    /// على بلدة هجين".
    fn capture_object(&self, h: &Hit, e: usize) -> Option<usize> {
        if !self.capture_word(h) {
            return None;
        }
        let i = self.mentions.partition_point(|m| m.start < h.end);
        let m = self.mentions.get(i).filter(|m| m.end <= e)?;
        let gap = self.folded(h.end, m.start);
        if gap.contains([',', '،', '.', ';', '؛']) {
            return None;
        }
        let words: Vec<&str> = gap.split_whitespace().collect();
        // An Arabic subject may stand before على: "سيطرت قسد على".
        let tail = match words.iter().position(|w| *w == "علي") {
            Some(k) if k <= 3 => &words[k + 1..],
            _ => &words[..],
        };
        (tail.len() <= 4 && tail.iter().all(|w| CAPTURE_OBJECT_WORDS.contains(w))).then_some(i)
    }

    /// True when the mention after `m` (before char `e`) continues a list
    /// with it: "X, Y and Z", "X وY", "X أو Y", places of the same sort
    /// (both areas or both points) where an event may be.
    fn listed_next(&self, m: usize, e: usize) -> bool {
        let (Some(a), Some(b)) = (self.mentions.get(m), self.mentions.get(m + 1)) else {
            return false;
        };
        if b.start < a.end || b.end > e || !self.may_locate(m + 1) {
            return false;
        }
        if a.kind.is_area() != b.kind.is_area() || a.place == b.place {
            return false;
        }
        self.list_gap(m)
    }

    /// True when only a list's joiner stands between mention `m` and the
    /// next one (", ", " و", " and ", "، و", " or ", a و clitic on the next).
    fn list_gap(&self, m: usize) -> bool {
        let (Some(a), Some(b)) = (self.mentions.get(m), self.mentions.get(m + 1)) else {
            return false;
        };
        // A joiner and at most a few words: anything longer is no list (and
        // is not worth copying out).
        if b.start < a.end || b.start - a.end > MAX_LIST_GAP {
            return false;
        }
        let gap: String = self.chars[a.end..b.start].iter().collect();
        let conj = b.surface.starts_with('و') && gap == " ";
        // "in Deir Ezzor city, Mayadin and Al-Bukamal": an English kind word
        // after the name is still the name.
        let g = gap.trim();
        let g = ENGLISH_KIND_WORDS
            .iter()
            .find_map(|k| g.strip_prefix(k))
            .map_or(g, str::trim);
        // "ناحية الكرابلة ومدينة حصيبة": an Arabic kind word after و.
        let folded = self.folded(a.end, b.start).trim();
        let folded = folded.strip_prefix('،').unwrap_or(folded).trim_start();
        let kind_after_and = folded
            .strip_prefix('و')
            .is_some_and(|k| ARABIC_KIND_WORDS.contains(&k));
        conj || kind_after_and
            || matches!(
                g,
                "," | "،"
                    | "و"
                    | "and"
                    | ", and"
                    | "، و"
                    | "،و"
                    | "or"
                    | ", or"
                    | "أو"
                    | "او"
                    | "/"
            )
            || (second_object_gap(&gap) && !self.trigger_in(a.end, b.start))
            || addition_gap(self.folded(a.end, b.start))
            || self.dated_list_gap(a.end, b.start)
    }

    /// "retook al-Busayrah on Sept. 4 and Dhiban on Sept. 6", "على بلدة الصور
    /// يوم الثلاثاء، وعلى بلدة ذيبان يوم الأربعاء": a list whose places each
    /// carry a date. True when, the dates taken out, chars `[s, e)` hold a
    /// joiner and only prepositions and kind words.
    fn dated_list_gap(&self, s: usize, e: usize) -> bool {
        let i = self.dates.partition_point(|d| d.start < s);
        let dates: Vec<&DateMention> = self.dates[i..].iter().take_while(|d| d.end <= e).collect();
        if dates.is_empty() || self.trigger_in(s, e) {
            return false;
        }
        let mut rest = String::new();
        let mut at = s;
        for d in dates {
            rest.push_str(self.folded(at, d.start));
            rest.push(' ');
            at = d.end;
        }
        rest.push_str(self.folded(at, e));
        let words: Vec<&str> = rest
            .split(|c: char| c.is_whitespace() || matches!(c, ',' | '،'))
            .filter(|w| !w.is_empty())
            .collect();
        let joiner = |w: &str| {
            matches!(
                w,
                "and" | "then" | "و" | "ثم" | "وعلي" | "وفي" | "وب" | "وامتدت" | "وتوسعت"
            )
        };
        words.len() <= 6
            && words.iter().filter(|w| joiner(w)).count() == 1
            && words.iter().all(|w| {
                joiner(w)
                    || matches!(
                        *w,
                        "on" | "in"
                            | "at"
                            | "of"
                            | "the"
                            | "town"
                            | "village"
                            | "علي"
                            | "في"
                            | "يوم"
                            | "بلده"
                            | "قريه"
                            | "مدينه"
                            | "ناحيه"
                            | "spread"
                            | "extended"
                            | "to"
                            | "الي"
                    )
            })
    }

    /// The date written right after mention `m` in its sentence ("Dhiban on
    /// Sept. 6", "ذيبان يوم الأربعاء") when the sentence has more than one:
    /// each place of a dated list keeps its own.
    fn place_date(&self, s: usize, e: usize, m: usize) -> Option<&DateMention> {
        let inside = |d: &&DateMention| d.start >= s && d.end <= e && !self.dateline_date(d);
        // Dates are in text order: only the sentence's are looked at.
        let first = self.dates.partition_point(|d| d.start < s);
        let last = self.dates.partition_point(|d| d.start < e);
        if self.dates[first..last].iter().filter(inside).count() < 2 {
            return None;
        }
        let me = &self.mentions[m];
        let i = self.dates.partition_point(|d| d.start < me.end);
        let after = self.dates.get(i).filter(inside).filter(|d| {
            let gap = self.folded(me.end, d.start);
            gap.chars().count() <= 14
                && gap.split_whitespace().all(|w| {
                    matches!(
                        w,
                        "on" | "في" | "يوم" | "city" | "town" | "village" | "area" | "camp"
                    )
                })
        });
        // "began on Sunday in Sinune and spread on Monday to Khanasor": else
        // the one date between the place before and this one.
        let from = m
            .checked_sub(1)
            .map(|p| self.mentions[p].end)
            .filter(|&end| end > s)
            .unwrap_or(s);
        let between = || {
            // After the list's joiner: "…, and entered Raqqa" does not take
            // the day written before "and".
            // (A mention before the sentence, where it is set, has none.)
            let mut ds = self.dates[first..i.max(first)]
                .iter()
                .filter(|d| d.start >= from && d.end <= me.start)
                .filter(|d| words(self.folded(from, d.start)).any(joiner_word))
                .filter(inside);
            ds.next().filter(|_| ds.next().is_none())
        };
        after.or_else(between)
    }

    /// True when a trigger starts in chars `[s, e)` ("… واعتقلت قسد شخصين
    /// في …" is a second event, not a second object of the first).
    fn trigger_in(&self, s: usize, e: usize) -> bool {
        let i = self.triggers.partition_point(|h| h.start < s);
        self.triggers.get(i).is_some_and(|h| h.start < e)
    }

    fn row(&self, h: &Hit) -> &Trigger {
        &self.lex.trigger_rows[h.phrase]
    }

    /// Mentions inside sentence `si`; if none, the last mention of the
    /// previous sentence when it is in the same paragraph; failing that,
    /// where the article is set ([`Doc::focus`]).
    fn places(&self, si: usize, on_ground: bool) -> Vec<usize> {
        let (s, e) = self.sentences[si];
        let inside: Vec<usize> = self
            .mentions_from(s, e)
            .filter(|&m| self.mentions[m].end <= e)
            .filter(|&m| self.may_locate(m))
            .collect();
        if !inside.is_empty() {
            return inside;
        }
        if let Some(m) = self.named_back(s, e) {
            return vec![m];
        }
        let previous = si.checked_sub(1).and_then(|p| {
            let (ps, pe) = self.sentences[p];
            if self.chars[pe..s].contains(&'\n') {
                return None;
            }
            self.mentions_from(ps, pe)
                .rev()
                .find(|&m| self.mentions[m].end <= pe && self.may_locate(m))
        });
        if let Some(p) = previous {
            return vec![p];
        }
        let following = self.places_told_next(si);
        if !following.is_empty() {
            return following;
        }
        self.focus(on_ground).into_iter().collect()
    }

    /// "rallied at the camp entrance", "داخل المخيم": a sentence that names
    /// no place but a kind of place with the article is at the last place of
    /// that kind told before it (within [`NAMED_BACK_CHARS`]), or the last
    /// one written with that kind word ("the Makhmour refugee camp").
    fn named_back(&self, s: usize, e: usize) -> Option<usize> {
        let text = self.folded(s, e);
        // Most sentences hold no kind word at all: a substring test first.
        if !BACK_KINDS.iter().any(|(_, _, w)| text.contains(w)) {
            return None;
        }
        let (kinds, word) = words(text).zip(words(text).skip(1)).find_map(|(a, b)| {
            // "the camp" (also "the camp's"), "المخيم", "بالمخيم", "للمخيم".
            let (w, english) = if a == "the" {
                (b.strip_suffix("'s").unwrap_or(b), true)
            } else {
                (a.trim_start_matches(['و', 'ف', 'ب']), false)
            };
            BACK_KINDS.iter().find_map(|(k, kinds, word)| {
                let same = if english {
                    w == *k
                } else {
                    k.starts_with("ال") && (w == *k || w.strip_prefix("لل") == k.strip_prefix("ال"))
                };
                same.then_some((*kinds, *word))
            })
        })?;
        let from = s.saturating_sub(NAMED_BACK_CHARS);
        self.mentions_from(from, s).rev().find(|&m| {
            let me = &self.mentions[m];
            if me.end > s || !self.may_locate(m) {
                return false;
            }
            // The kind word next to the name, with no stop between:
            // "the Makhmour refugee camp", "مخيم الهول".
            let stop = |c: char| matches!(c, '.' | ',' | '،' | ';' | '؛' | ':' | '\n');
            let after = self.folded(me.end, (me.end + 20).min(s));
            let after = after.split(stop).next().unwrap_or("");
            let before = self.folded(me.start.saturating_sub(12), me.start);
            let before = before.rsplit(stop).next().unwrap_or("");
            let kind_word = |w: &str| strip_wa(w).trim_start_matches("ال") == word;
            kinds.contains(&me.kind)
                || words(after).take(2).any(kind_word)
                || words(before).next_back().is_some_and(kind_word)
        })
    }

    /// The places of the sentence after `si` when it tells where the
    /// things of this one were, with no event of its own: "US forces struck
    /// 85 targets at seven facilities. CENTCOM said four of the facilities
    /// were near al-Mayadin and Albu Kamal…". Only in the same paragraph,
    /// and only when it names them back ([`BACK_NOUNS`]); whole countries
    /// and provinces are left out (they frame the places).
    fn places_told_next(&self, si: usize) -> Vec<usize> {
        let Some(&(ns, ne)) = self.sentences.get(si + 1) else {
            return Vec::new();
        };
        let (_, e) = self.sentences[si];
        if self.chars[e..ns].contains(&'\n') || self.trigger_in(ns, ne) {
            return Vec::new();
        }
        let next = self.folded(ns, ne);
        if !BACK_NOUNS.iter().any(|n| next.contains(n))
            || !words(next).any(|w| BACK_NOUNS.contains(&w))
        {
            return Vec::new();
        }
        self.mentions_from(ns, ne)
            .filter(|&m| self.mentions[m].end <= ne && self.may_locate(m))
            .filter(|&m| self.mentions[m].kind.geo_precision() < 3)
            .collect()
    }

    /// Indices of the mentions (sorted by start) that start in `[s, e)`.
    fn mentions_from(&self, s: usize, e: usize) -> std::ops::Range<usize> {
        let lo = self.mentions.partition_point(|m| m.start < s);
        let hi = lo + self.mentions[lo..].partition_point(|m| m.start < e);
        lo..hi
    }

    /// Where the article as a whole is set, for a sentence that names no
    /// place. For something that happens on the ground (`on_ground`: a
    /// fight, a strike, an arrest: "the attackers then stormed the
    /// prison…"), the place named most often other than a whole country or
    /// the border (a town, camp, crossing, district, governorate or region);
    /// otherwise ("a security source revealed coordination…"), or when the
    /// article names no such place, the area named most often (a country,
    /// governorate, region or the border). First mention on ties. Events
    /// located there get geo-precision 2 at best: the place is implied, not
    /// named.
    fn focus(&self, on_ground: bool) -> Option<usize> {
        let area = || {
            self.most_named(|m| self.mentions[m].kind.geo_precision() == 3 && self.may_locate(m))
        };
        if !on_ground {
            return *self.focus_area.get_or_init(area);
        }
        *self.focus_ground.get_or_init(|| {
            self.most_named(|m| {
                !matches!(self.mentions[m].kind, Kind::Country | Kind::Border) && self.may_locate(m)
            })
            .or_else(area)
        })
    }

    /// The mention, among those `ok` accepts, whose place is named most
    /// often, a name in the first sentence (the lead: where the story is)
    /// counting twice; on ties the finer place ("a prison in northeast
    /// Syria" named once in the lead, then "Ghwayran prison" twice: the
    /// prison), then the first.
    fn most_named(&self, ok: impl Fn(usize) -> bool) -> Option<usize> {
        let picked: Vec<usize> = (0..self.mentions.len()).filter(|&m| ok(m)).collect();
        let lead_end = self.sentences.first().map_or(0, |&(_, e)| e);
        let mut counts: HashMap<u32, usize> = HashMap::default();
        for &m in &picked {
            let weight = 1 + usize::from(self.mentions[m].end <= lead_end);
            *counts.entry(self.mentions[m].place).or_default() += weight;
        }
        let count = |m: usize| counts.get(&self.mentions[m].place).copied().unwrap_or(0);
        picked.iter().copied().max_by(|&a, &b| {
            let rank = |m: usize| rank(self.mentions[m].kind);
            count(a)
                .cmp(&count(b))
                .then(rank(b).cmp(&rank(a)))
                .then(b.cmp(&a))
        })
    }

    /// False for a mention inside an actor's name (the Iraq of "Islamic
    /// Resistance in Iraq", the Turkey of مسيرة تركية) and for the second
    /// place of "between X and Y" (the event is coded at X).
    fn may_locate(&self, m: usize) -> bool {
        self.locatable
            .get(m)
            .is_some_and(|l| *l.get_or_init(|| self.may_locate_at(m)))
    }

    fn may_locate_at(&self, m: usize) -> bool {
        let (ms, me) = self.span(m);
        if self.dateline(ms, me) || self.in_object(ms) || self.speaker_place(ms, me) {
            return false;
        }
        // Only an actor starting at most `max_actor` chars before can hold it.
        let lo = self
            .actors
            .partition_point(|a| a.start < ms.saturating_sub(self.max_actor));
        let hi = self.actors.partition_point(|a| a.start <= ms);
        if self.actors[lo..hi.max(lo)].iter().any(|a| me <= a.end) {
            return false;
        }
        let Some(p) = m.checked_sub(1) else {
            return true;
        };
        let prev = &self.mentions[p];
        if prev.end > ms {
            return true;
        }
        let gap = self.folded(prev.end, ms);
        let conj = gap.is_empty() && self.mentions[m].surface.starts_with('و')
            || matches!(gap, "و" | "and" | "&");
        let before = self.folded(prev.start.saturating_sub(40), prev.start);
        // "بين X وY", "بين قضاءي X وY", "between the towns of X and Y".
        let between = before
            .split_whitespace()
            .rev()
            .take(4)
            .try_fold(false, |_, w| {
                if matches!(w, "بين" | "وبين" | "between") {
                    Err(true)
                } else if BETWEEN_KIND_WORDS.contains(&w) {
                    Ok(false)
                } else {
                    Err(false)
                }
            })
            .err()
            .unwrap_or(false);
        !(conj && between)
    }

    /// True for a place that speaks or where someone spoke, not where
    /// anything happened: a capital standing for its government right
    /// before a verb of saying ("Washington blamed…", "a barrier Baghdad
    /// says…"), or "in X" next to one before the sentence reports anything
    /// ("A lawmaker in Baghdad said…", "In Damascus, officials said…",
    /// "قال مسؤول في بغداد إن…", "مراسل عنب بلدي في دير الزور").
    fn speaker_place(&self, ms: usize, me: usize) -> bool {
        let (s, e) = self.sentence_at(ms);
        // A few words either side are all it reads: 60 chars hold them.
        let after = words(self.folded(me, e.clamp(me, me + 60)));
        let before = words(self.folded(s.max(ms.saturating_sub(60)).min(ms), ms));
        let (speech, nouns, spoke) = (&SPEAKING.speech, &SPEAKING.nouns, &SPEAKING.spoke);
        let first_after = after.clone().next();
        let mut back = before.rev();
        // "ففي قضاء تلعفر": the kind word goes with the name.
        let mut prev = back.next();
        let kind = prev.is_some_and(|w| PLACE_KIND_WORDS.contains(&strip_wa(w)));
        if kind {
            prev = back.next();
        }
        let in_place =
            prev.is_some_and(|w| matches!(strip_wa(w), "في" | "ففي" | "in" | "من" | "from"));
        if !in_place {
            // "Washington blamed…": the name is who speaks.
            return first_after.is_some_and(|w| in_set(w, speech));
        }
        let nothing_reported_yet = self.triggers[self.triggers.partition_point(|h| h.start < s)..]
            .first()
            .is_none_or(|h| h.start >= ms);
        // "In Damascus, officials said a strike hit al-Qaim": only with a
        // place of its own later in the sentence is the news elsewhere
        // ("ففي قضاء تلعفر، أعلنت الاستخبارات اعتقال…" is at Tal Afar).
        let told_elsewhere = || self.mentions.iter().any(|m| m.start >= me && m.end <= e);
        (nothing_reported_yet && after.take(3).any(|w| in_set(w, speech)) && told_elsewhere())
            // With its kind word ("مصدر أمني في قضاء تلعفر بأن عبوة انفجرت"),
            // the place is the news's, not only the source's.
            || (!kind
                && (first_after.is_some_and(|w| in_set(w, &SPEAKING.that))
                    // "Assad said in Damascus…", "told reporters in Baghdad" (not
                    // "a ceasefire was announced in X": that is where it holds).
                    || back.clone().take(2).any(|w| in_set(w, spoke))
                    || back.take(3).any(|w| in_set(w, nouns))))
    }

    /// True when char offset `ms` lies a few words after an object cue in
    /// the same clause ("in retaliation for attacks on …").
    fn in_object(&self, ms: usize) -> bool {
        let before = self.negations.partition_point(|n| n.end <= ms);
        self.negations[..before].iter().rev().take(3).any(|n| {
            let first_after = || {
                // Only the first place after an origin cue is the origin
                // ("launched from T2 at al-Tanf"), with the places listed
                // with it ("من مدينتي الرقة والشدادي إلى حقل العمر").
                let k = self.mentions.partition_point(|m| m.start < n.end);
                let mut j = k;
                while self.mentions.get(j).is_some_and(|m| m.start < ms) && self.list_gap(j) {
                    j += 1;
                }
                self.mentions.get(j).is_some_and(|m| m.start == ms)
            };
            match self.lex.scopes[n.phrase] {
                Scope::Object => within_clause_window(&self.chars[n.end..ms]),
                scope @ (Scope::Origin | Scope::Home) => {
                    within_clause_window(&self.chars[n.end..ms])
                        && first_after()
                        && (scope == Scope::Origin
                            || (!self.protest_in_sentence(ms)
                                && (self.other_place_after(ms) || self.speaker_home(n))))
                }
                _ => false,
            }
        })
    }

    /// True when home cue `n` introduces one who speaks ("وقال أبو محمد،
    /// أحد سكان بلدة الطيانة، لعنب بلدي، إن…", "said Hassan, a resident of
    /// Hajin"): a verb of speech a dozen words before it in its sentence.
    /// Where a witness lives is not where the news happened.
    fn speaker_home(&self, n: &Hit) -> bool {
        let (s, _) = self.sentence_at(n.start);
        let from = s.max(n.start.saturating_sub(120)).min(n.start);
        words(self.folded(from, n.start))
            .rev()
            .take(12)
            .any(|w| in_set(w, &SPEAKING.speech))
    }

    /// Char offsets of the sentence holding char `at` (the whole text when
    /// it lies past the last one).
    fn sentence_at(&self, at: usize) -> (usize, usize) {
        let k = self.sentences.partition_point(|&(_, e)| e <= at);
        self.sentences
            .get(k)
            .copied()
            .unwrap_or((0, self.chars.len()))
    }

    /// True when the sentence holding char `at` names, after it, a place
    /// finer than an area and not only the countryside around one: where
    /// the people of another place were when it happened ("راعيين من أهالي
    /// ربيعة، أثناء رعيهما الأغنام … جنوب غرب البعاج"). Without one, where
    /// they live is where it happened ("اعتقال شبان من أهالي الشدادي بريف
    /// الحسكة بعد مداهمة منازلهم").
    fn other_place_after(&self, at: usize) -> bool {
        let (_, e) = self.sentence_at(at);
        let first = self.mentions.partition_point(|m| m.start <= at);
        self.mentions[first..]
            .iter()
            .take_while(|m| m.start < e)
            .any(|m| !m.kind.is_area() && !m.countryside)
    }

    /// True when the sentence holding char `at` has a protest trigger.
    fn protest_in_sentence(&self, at: usize) -> bool {
        let (s, e) = self.sentence_at(at);
        let first = self.triggers.partition_point(|h| h.start < s);
        self.triggers[first..]
            .iter()
            .take_while(|h| h.start < e)
            .any(|h| self.row(h).event_type == "Protests")
    }

    /// True for a place in a dateline, where the report was filed from, not
    /// where things happened: "WASHINGTON/BAGHDAD —", "BEIRUT (Reuters) -",
    /// "دمشق - عنب بلدي". It opens its paragraph (after other dateline
    /// capitals) and a dash or colon follows within a few words.
    fn dateline(&self, ms: usize, me: usize) -> bool {
        // A dateline opens its paragraph: a lead longer than this is prose,
        // and looking no further keeps this cheap in long paragraphs.
        const LEAD: usize = 60;
        let from = ms.saturating_sub(LEAD);
        let para = match self.chars[from..ms].iter().rposition(|&c| c == '\n') {
            Some(i) => from + i + 1,
            None if from == 0 => 0,
            None => return false,
        };
        let lead = &self.chars[para..ms];
        let caps = |c: &char| c.is_ascii_uppercase() || matches!(c, '/' | ',' | ' ' | '.' | '*');
        // "روداو – شنكال:": an agency of a few words and a dash before it.
        let agency = || {
            let lead: String = lead.iter().collect();
            lead.trim_end()
                .strip_suffix(['–', '—', '-', '/'])
                .is_some_and(|a| (1..=3).contains(&a.split_whitespace().count()))
        };
        if !lead.iter().all(caps) && !agency() {
            return false;
        }
        // "ERBIL, Iraq, June 10 (Reuters) -", "بغداد/ شفق نيوز-": a dash
        // (a hyphen with a space on one side) within a few words, before
        // any full stop or line break.
        let rest = &self.chars[me..self.chars.len().min(me + 50)];
        for (k, &c) in rest.iter().enumerate() {
            match c {
                '.' | '\n' | '؟' | '!' => return false,
                '—' | '–' | ':' | '-' => {
                    let spaced = c != '-'
                        || k == 0
                        || rest[k - 1] == ' '
                        || rest.get(k + 1).is_some_and(|n| *n == ' ');
                    let between: String = rest[..k].iter().collect();
                    // "شنكال:", "BAGHDAD, Iraq:"; a colon after more words
                    // ends a sentence ("Al-Tanf has been attacked before:").
                    let most = if c == ':' { 2 } else { 6 };
                    if spaced {
                        return between.split_whitespace().count() <= most;
                    }
                }
                _ => {}
            }
        }
        false
    }

    /// True for the date of a dateline ("BEIRUT/BAGHDAD, Oct 20 —"): a
    /// place stands before it. A bulletin's "Saturday, Oct. 12, 21:40 —"
    /// opens its paragraph and dates what follows.
    fn dateline_date(&self, d: &DateMention) -> bool {
        let para = self.chars[..d.start]
            .iter()
            .rposition(|&c| c == '\n')
            .map_or(0, |i| i + 1);
        self.chars[para..d.start]
            .iter()
            .any(char::is_ascii_uppercase)
            && self.dateline(d.start, d.end)
    }

    /// The original text in the char range `[s, e)`.
    fn text(&self, s: usize, e: usize) -> String {
        self.chars[s..e].iter().collect()
    }

    /// The folded text of chars `[s, e)`, trimmed: `fold(&self.text(s, e))`
    /// without building or folding a string.
    fn folded(&self, s: usize, e: usize) -> &str {
        self.folded.folded_slice(s, e)
    }

    /// True when mention `m` only says where the mention before it lies
    /// ("al-Shaddadi, south of Hasakah", "الشدادي جنوبي الحسكة", "مخيم الهول
    /// بريف الحسكة"): it is marked near/countryside and follows a mention
    /// finer than a governorate with nothing but direction, distance and
    /// kind words between.
    fn reference(&self, m: usize) -> bool {
        let me = &self.mentions[m];
        if m == 0 {
            return false;
        }
        let prev = &self.mentions[m - 1];
        if prev.end > me.start {
            return false;
        }
        let gap = self.folded(prev.end, me.start);
        // Most places are neither near one nor a unit of one: out before
        // anything costlier.
        let part_of = gap.contains("التابع");
        if !(me.near || me.countryside || part_of) {
            return false;
        }
        // "على طريق تدمر – دير الزور بالقرب من بلدة السخنة": near the town,
        // not near the road's end.
        if rank(prev.kind) >= 4 || self.on_road(m - 1) {
            return false;
        }
        let words: Vec<&str> = gap
            .split(|c: char| !is_word_char(c))
            .filter(|w| !w.is_empty())
            .collect();
        // "قرية الدشيشة التابعة لناحية الشدادي": the unit a place belongs to.
        let reference_word = |w: &str| REFERENCE_WORDS.split(' ').any(|r| r == w);
        if let (true, [first, kinds @ ..]) = (part_of, words.as_slice()) {
            if PART_OF.contains(first)
                && kinds.len() <= 2
                && kinds
                    .iter()
                    .all(|w| reference_word(w.strip_prefix('ل').unwrap_or(w)))
            {
                return true;
            }
        }
        if !(me.near || me.countryside) {
            return false;
        }
        !words.is_empty()
            && words.len() <= 7
            && words
                .iter()
                .all(|w| w.chars().all(|c| c.is_ascii_digit()) || reference_word(w))
    }

    /// True when mention `m` names an end of a road ("على طريق تدمر – دير
    /// الزور", "the Deir ez-Zor–Palmyra highway"): where the road goes, not
    /// where something on it happened.
    fn on_road(&self, m: usize) -> bool {
        const ROAD_BEFORE: [&str; 4] = ["طريق", "الطريق", "اوتوستراد", "اوتستراد"];
        const ROAD_AFTER: [&str; 3] = ["road", "highway", "motorway"];
        let joined = |a: usize| {
            let (x, y) = (&self.mentions[a], &self.mentions[a + 1]);
            // A short gap only: the text between two far mentions is no dash.
            (x.end..=x.end + 5).contains(&y.start)
                && matches!(self.text(x.end, y.start).trim(), "–" | "-" | "—")
        };
        // The first end of the road: a road word before it, or after the last.
        let mut first = m;
        while first > 0 && joined(first - 1) {
            first -= 1;
        }
        let mut last = m;
        while last + 1 < self.mentions.len() && joined(last) {
            last += 1;
        }
        let (a, z) = (&self.mentions[first], &self.mentions[last]);
        let before = words(self.folded(a.start.saturating_sub(12), a.start)).next_back();
        let after = words(self.folded(z.end, (z.end + 10).min(self.chars.len()))).next();
        before.is_some_and(|w| ROAD_BEFORE.contains(&strip_wa(w).trim_start_matches('ب')))
            || after.is_some_and(|w| ROAD_AFTER.contains(&w))
    }

    /// True when mention `m` owns the next one ("Shingal's Sinune"): it only
    /// says where that one lies.
    fn possessor(&self, m: usize) -> bool {
        let (me, Some(next)) = (&self.mentions[m], self.mentions.get(m + 1)) else {
            return false;
        };
        (me.end..=me.end + 3).contains(&next.start)
            && matches!(
                self.text(me.end, next.start).as_str(),
                "'s " | "’s " | "' " | "’ "
            )
    }

    /// True when `h` follows trigger `g` joined by "or"/"and" only
    /// ("اعتقال أو تسلل", "arrests or raids").
    fn coordinated(&self, g: &Hit, h: &Hit) -> bool {
        if g.end > h.start {
            return false;
        }
        let gap = self.folded(g.end, h.start);
        let words: Vec<&str> = gap.split_whitespace().collect();
        let or_word = |w: &&str| ["او", "or", "nor", "and", "ولا", "و", "اي", "any"].contains(w);
        (words.is_empty() && h.conj || words.len() <= 3 && words.iter().any(or_word))
            && !gap.contains([',', '،', ';', '؛'])
    }

    /// True when a negation cue governs the trigger: a sentence-scoped cue
    /// anywhere before it, or a clause-scoped one a few words before it with
    /// no clause break between.
    /// True when the sentence starting at `s` writes a date to the day.
    fn day_told(&self, s: usize) -> bool {
        let (s, e) = self.sentence_at(s);
        let first = self.dates.partition_point(|d| d.start < s);
        self.dates[first..]
            .iter()
            .take_while(|d| d.start < e)
            .any(|d| d.precision == DatePrecision::Day)
    }

    fn negated(&self, h: &Hit, sentence_start: usize) -> bool {
        // Negations are in text order and do not overlap: the first
        // sentence-scoped one in the sentence is the one to look at.
        let first = self
            .sentence_negations
            .partition_point(|&n| self.negations[n].start < sentence_start);
        if let Some(&n) = self.sentence_negations.get(first) {
            if self.negations[n].end <= h.start {
                return true;
            }
        }
        // Clause-scoped ones, nearest first: once one is too far (too many
        // words or a clause break between), every one before it is too.
        let before = self.negations.partition_point(|n| n.start < h.start);
        for n in self.negations[..before].iter().rev() {
            if n.start < sentence_start {
                break;
            }
            match self.lex.scopes[n.phrase] {
                Scope::Clause | Scope::Object => {}
                // Lifted for the sentence's own run of the day, not for
                // one more told after an event ("… on Thursday, the latest
                // in a string of attacks").
                Scope::Tally
                    if !self.day_told(sentence_start)
                        || self.trigger_in(sentence_start, n.start) => {}
                _ => continue,
            }
            // "تنديداً بالهجمات": a cue that ends in the trigger's word.
            if n.end > h.start {
                return true;
            }
            if within_clause_window(&self.chars[n.end..h.start]) {
                return true;
            }
            break;
        }
        self.counted_over_period(h, sentence_start)
    }

    /// True when a period cue stands before trigger `h` in its sentence, or
    /// follows it in its clause a few words on, and the sentence writes no
    /// day: "قتل أكثر من 30 شخصاً في عمليات اغتيال في ريف دير الزور منذ مطلع
    /// العام" is a count.
    fn counted_over_period(&self, h: &Hit, sentence_start: usize) -> bool {
        const PERIOD_WORDS: usize = 12;
        let (_, e) = self.sentence_at(sentence_start);
        let first = self.negations.partition_point(|n| n.start < sentence_start);
        let after = self.negations.partition_point(|n| n.start < h.end);
        let period = |n: &&Hit| self.lex.scopes[n.phrase] == Scope::Period;
        let before = self.negations[first..after]
            .iter()
            .any(|n| n.end <= h.start && period(&n));
        let behind = || {
            self.negations[after..]
                .iter()
                .take_while(|n| n.start < e)
                .find(period)
                .is_some_and(|n| {
                    let between = &self.chars[h.end..n.start];
                    !between
                        .iter()
                        .any(|c| [',', '،', ';', '؛', ':'].contains(c))
                        && words_of(between).count() <= PERIOD_WORDS
                })
        };
        (before || behind()) && !self.day_told(sentence_start)
    }

    /// Char offsets in `[s, e)` where a new clause begins: after a comma or
    /// semicolon, at فيما/بينما/while/whereas, and at a trigger opened by a
    /// conjunction (واعتقلت, "and arrested"); and, second, the ones of
    /// those that open a new statement (semicolon, فيما/while…).
    fn clause_breaks(&self, s: usize, e: usize, hits: &[Hit]) -> (Vec<usize>, Vec<usize>) {
        let mut strong: Vec<usize> = (s..e)
            .filter(|&i| [';', '؛'].contains(&self.chars[i]))
            .map(|i| i + 1)
            .collect();
        let mut breaks: Vec<usize> = (s..e)
            .filter(|&i| [',', '،'].contains(&self.chars[i]))
            .map(|i| i + 1)
            .collect();
        let mut word_start = s;
        for i in s..=e {
            if i < e && !self.chars[i].is_whitespace() {
                continue;
            }
            if CLAUSE_WORDS.contains(&self.folded(word_start, i)) {
                strong.push(word_start);
            }
            word_start = i + 1;
        }
        strong.sort_unstable();
        breaks.extend_from_slice(&strong);
        for h in hits {
            // The last word before the trigger, found from the trigger back.
            let mut j = h.start;
            while j > s && self.chars[j - 1].is_whitespace() {
                j -= 1;
            }
            let mut i = j;
            while i > s && !self.chars[i - 1].is_whitespace() {
                i -= 1;
            }
            let last = (i < j).then(|| self.folded(i, j));
            if h.conj || matches!(last, Some("و" | "and")) {
                breaks.push(h.start);
            }
        }
        breaks.sort_unstable();
        breaks.dedup();
        (breaks, strong)
    }

    /// Chooses the triggers that make events and where each is located.
    /// The highest-priority trigger always does; another one of a different
    /// type does when it is in a statement of its own (after فيما, while, a
    /// semicolon), or in its own clause with a nearest place that is not the
    /// one an accepted trigger is nearest to. A trigger that owns no place
    /// of its own ("…, while forces announced arrests") is set at the
    /// sentence's best place.
    fn locate(&self, st: &Sentence, hits: &[Hit]) -> Vec<Located> {
        let mut accepted: Vec<Hit> = vec![hits[0]];
        for h in &hits[1..] {
            if self.separate(st, h, &accepted) {
                accepted.push(*h);
            }
        }
        if accepted.len() == 1 {
            let mention = self.best_place(st, &hits[0], &st.places);
            return mention
                .map(|mention| Located {
                    hit: hits[0],
                    mention,
                    region: None,
                })
                .into_iter()
                .collect();
        }
        accepted
            .iter()
            .filter_map(|h| {
                let own: Vec<usize> = st
                    .places
                    .iter()
                    .copied()
                    .filter(|&m| self.owner(st, m, &accepted) == Some(h.start))
                    .collect();
                let own_empty = own.is_empty();
                let pool = if own_empty { &st.places } else { &own };
                let mention = self.best_place(st, h, pool)?;
                Some(Located {
                    hit: *h,
                    mention,
                    region: Some(self.region(st, h, &accepted)),
                })
            })
            .collect()
    }

    /// From the clause of `h` up to the clause of the next accepted trigger
    /// (from the sentence start for the first one).
    fn region(&self, st: &Sentence, h: &Hit, accepted: &[Hit]) -> (usize, usize) {
        let clause_start = |at: usize| match st.clause(at) {
            0 => 0,
            c => st.breaks[c - 1],
        };
        let first = accepted.iter().all(|a| a.start >= h.start);
        let from = if first { 0 } else { clause_start(h.start) };
        let to = accepted
            .iter()
            .filter(|a| a.start > h.start)
            .map(|a| clause_start(a.start))
            .min()
            .unwrap_or(usize::MAX);
        (from, to)
    }

    fn separate(&self, st: &Sentence, h: &Hit, accepted: &[Hit]) -> bool {
        let mine = self.nearest_place(st, h);
        let other_clause = |a: &Hit| st.clause(a.start) != st.clause(h.start);
        let place = |m: Option<usize>| m.map(|m| self.mentions[m].place);
        accepted.iter().all(|a| {
            let theirs = self.nearest_place(st, a);
            if self.same_type(a, h) {
                // "…، فيما طالت غارة أخرى موقعاً قرب عامودا", "another
                // strike hit Hajin": a second one of the kind, somewhere else.
                return self.another(h) && other_clause(a) && place(mine) != place(theirs);
            }
            st.statement(a.start) != st.statement(h.start)
                || other_clause(a) && mine.is_some() && mine != theirs
        })
    }

    /// True when trigger `h` is told as one more of its kind: "غارة أخرى",
    /// "هجوم ثان", "another strike", "a second attack".
    fn another(&self, h: &Hit) -> bool {
        // "اتسعت … لتشمل بلدات…": the fighting spreads to more places.
        let own = self.folded(h.start, h.end);
        if own.starts_with("اتسع") || own.starts_with("امتد") {
            return true;
        }
        let after = words(self.folded(h.end, (h.end + 12).min(self.chars.len()))).next();
        let before = words(self.folded(h.start.saturating_sub(12), h.start)).next_back();
        matches!(after, Some("اخري" | "اخر" | "ثانيه" | "ثان" | "ثاني"))
            || matches!(before, Some("another" | "second" | "further" | "separate"))
    }

    fn same_type(&self, a: &Hit, b: &Hit) -> bool {
        let (ra, rb) = (self.row(a), self.row(b));
        ra.event_type == rb.event_type && ra.sub_event_type == rb.sub_event_type
    }

    fn span(&self, m: usize) -> (usize, usize) {
        (self.mentions[m].start, self.mentions[m].end)
    }

    /// The place nearest the trigger within its clause, else in the sentence.
    fn nearest_place(&self, st: &Sentence, h: &Hit) -> Option<usize> {
        let clause = st.clause(h.start);
        st.places.iter().copied().min_by_key(|&m| {
            let other_clause = st.clause(self.mentions[m].start) != clause;
            (other_clause, distance(self.span(m), (h.start, h.end)))
        })
    }

    /// The start of the accepted trigger a mention belongs to: the one in
    /// its clause, else the nearest.
    fn owner(&self, st: &Sentence, m: usize, accepted: &[Hit]) -> Option<usize> {
        let clause = st.clause(self.mentions[m].start);
        accepted
            .iter()
            .min_by_key(|h| {
                let other_clause = st.clause(h.start) != clause;
                (other_clause, distance(self.span(m), (h.start, h.end)))
            })
            .map(|h| h.start)
    }

    /// The most specific place that is not only a reference point for
    /// another; among equals a plain mention before a `near` one, then one
    /// in the trigger's clause, then the nearest to the trigger.
    fn best_place(&self, st: &Sentence, h: &Hit, places: &[usize]) -> Option<usize> {
        let clause = st.clause(h.start);
        // A place captured is where the capture is ("اشتباكات في الباغوز
        // أدت إلى سيطرة داعش على الشحيل").
        let taken = matches!(self.row(h).sub_event_type.as_str(), REGAINS | OVERTAKES)
            .then(|| self.capture_object(h, usize::MAX))
            .flatten()
            .filter(|m| places.contains(m));
        let off_road = places.iter().any(|&p| !self.on_road(p));
        places.iter().copied().min_by_key(|&m| {
            let me = &self.mentions[m];
            (
                taken.is_some_and(|t| t != m),
                (self.reference(m) && places.iter().any(|&p| p < m))
                    || (self.possessor(m) && places.contains(&(m + 1)))
                    || (off_road && self.on_road(m)),
                // "بريف الحسكة": the countryside of a city is a region.
                if me.countryside {
                    rank(me.kind).max(rank(Kind::Region))
                } else {
                    rank(me.kind)
                },
                me.near,
                st.clause(me.start) != clause,
                distance(self.span(m), (h.start, h.end)),
            )
        })
    }

    /// The date written nearest the trigger in its clause (a clause that is
    /// only a date, "، أمس السبت،", belongs to its neighbours), else in the
    /// sentence, else the publication date.
    /// The event's date, its precision, and whether it was written in the
    /// trigger's own clause.
    fn date(&self, si: usize, st: &Sentence, h: &Hit) -> (Option<NaiveDate>, DatePrecision, bool) {
        let (s, e) = self.sentences[si];
        // "BEIRUT, Oct 20 —": the day a report was filed, not of the event.
        let inside: Vec<&DateMention> = self
            .dates
            .iter()
            .filter(|d| d.start >= s && d.end <= e && !self.dateline_date(d))
            .collect();
        let clause = st.clause(h.start);
        // "began on Sunday, when warplanes struck …": a clause opening on
        // "when" tells the time of the one before it.
        let when = clause > 0 && {
            let from = st.breaks[clause - 1];
            let to = st.breaks.get(clause).copied().unwrap_or(e).min(e);
            words(self.folded(from, to))
                .next()
                .is_some_and(|w| WHEN_WORDS.contains(&w))
        };
        let own: Vec<&DateMention> = inside
            .iter()
            .copied()
            .filter(|d| {
                st.clause(d.start) == clause
                    || (when && st.clause(d.start) + 1 == clause)
                    // A date-only clause belongs to the statement it is in,
                    // not to one after فيما/while.
                    || (self.date_only(st, s, e, d)
                        && st.statement(d.start) == st.statement(h.start))
            })
            .collect();
        let own_empty = own.is_empty();
        let pool = if own_empty {
            inside
                .into_iter()
                .filter(|d| !self.since_clause(st, s, d.start))
                .collect()
        } else {
            own
        };
        let context = || {
            self.paragraph_date(s)
                .or_else(|| self.bulletin_date(s))
                .map(|d| (Some(d.date), d.precision))
                .or_else(|| self.story_date.get().map(|d| (Some(d), DatePrecision::Day)))
                .unwrap_or((self.article.date, DatePrecision::Article))
        };
        if own_empty {
            // A day counted from another: "وفي اليوم التالي", "the next day"
            // (one on from the day the report is about); "two days after a
            // rocket attack" (back from the day the sentence names before it,
            // "فدخلتها القطعات في 17 تشرين الثاني، بعد أسبوعين من تحرير
            // القائم", else the day the report is about).
            let before = self.folded(s, h.start);
            let shift = if NEXT_DAY.iter().any(|p| before.contains(p)) {
                Some((1, context()))
            } else {
                days_after(before).map(|n| {
                    let named = pool
                        .iter()
                        .filter(|d| d.end <= h.start && d.precision == DatePrecision::Day)
                        .max_by_key(|d| d.end)
                        .map(|d| (Some(d.date), d.precision));
                    (-(n as i64), named.unwrap_or_else(context))
                })
            };
            if let Some((days, (Some(base), precision))) = shift {
                let precision = match precision {
                    DatePrecision::Article => DatePrecision::Day,
                    p => p,
                };
                return (
                    base.checked_add_signed(chrono::Duration::days(days)),
                    precision,
                    false,
                );
            }
        }
        let (date, precision) = pool
            .into_iter()
            .min_by_key(|d| distance((d.start, d.end), (h.start, h.end)))
            .map(|d| (Some(d.date), d.precision))
            .unwrap_or_else(context);
        (date, precision, !own_empty)
    }

    /// The last day-precision date written earlier in the paragraph of the
    /// sentence starting at `s`: a report goes on about the day its first
    /// sentence names ("قُتل عنصران، أمس الأربعاء، … وقال مصدر إن
    /// المهاجمين انسحبوا …"). A new paragraph does not inherit it.
    fn paragraph_date(&self, s: usize) -> Option<&DateMention> {
        let para = self.chars[..s]
            .windows(2)
            .rposition(|w| w[0] == '\n' && w[1] == '\n')
            .map_or(0, |i| i + 2);
        self.dates
            .iter()
            .take_while(|d| d.start < s)
            .filter(|d| d.start >= para && d.precision == DatePrecision::Day)
            .last()
    }

    /// In a bulletin or live blog (paragraphs opening with a time, "10:30
    /// —"), the last day that opened an entry before char `s` ("Sunday,
    /// Oct. 13, 08:15 —"): the entries after it go on on that day.
    fn bulletin_date(&self, s: usize) -> Option<&DateMention> {
        if !*self.bulletin.get_or_init(|| self.is_bulletin()) {
            return None;
        }
        self.dates
            .iter()
            .take_while(|d| d.start < s)
            .filter(|d| d.precision == DatePrecision::Day)
            .filter(|d| {
                let para = self.chars[..d.start]
                    .iter()
                    .rposition(|&c| c == '\n')
                    .map_or(0, |i| i + 1);
                d.start - para <= 12
            })
            .last()
    }

    /// True when at least two paragraphs open with a time of day (within
    /// their first 20 chars: "10:30 —", "Sunday, Oct. 13, 08:15 —").
    fn is_bulletin(&self) -> bool {
        let timed = |line: &[char]| {
            let head = &line[..line.len().min(24)];
            head.windows(4).any(|w| {
                w[0].is_ascii_digit()
                    && w[1] == ':'
                    && w[2].is_ascii_digit()
                    && w[3].is_ascii_digit()
            })
        };
        self.chars
            .split(|&c| c == '\n')
            .filter(|line| timed(line))
            .nth(1)
            .is_some()
    }

    /// True when منذ/since stands a few words before char offset `at` in its
    /// clause: the date there marks the start of a state.
    fn since_clause(&self, st: &Sentence, s: usize, at: usize) -> bool {
        let c = st.clause(at);
        let from = if c == 0 { s } else { st.breaks[c - 1].max(s) };
        self.folded(from, at)
            .split_whitespace()
            .rev()
            .take(6)
            .any(|w| SINCE_WORDS.contains(&w))
    }

    /// True when the clause holding date `d` says little else ("On Monday,",
    /// "، اليوم الأحد،").
    fn date_only(&self, st: &Sentence, s: usize, e: usize, d: &DateMention) -> bool {
        let c = st.clause(d.start);
        let from = if c == 0 { s } else { st.breaks[c - 1].max(s) };
        let to = st.breaks.get(c).copied().unwrap_or(e).min(e);
        let wordy = |a: usize, b: usize| {
            words_of(&self.chars[a.min(b)..b])
                .filter(|w| w.iter().any(|&c| is_word_char(c)))
                .count()
        };
        wordy(from, d.start) + wordy(d.end.min(to), to) <= 2
    }

    /// Chars `[from, to)` without the dates written there, nor the commas
    /// around a clause that was only a date ("، اليوم (الأحد)،").
    fn without_dates(&self, from: usize, to: usize) -> Vec<char> {
        let mut out: Vec<char> = Vec::with_capacity(to.saturating_sub(from));
        let first = self.dates.partition_point(|d| d.end <= from);
        let mut dates = self.dates[first..]
            .iter()
            .take_while(|d| d.start < to)
            .peekable();
        let mut i = from;
        while i < to {
            if let Some(d) = dates.next_if(|d| d.start <= i) {
                i = i.max(d.end);
                continue;
            }
            out.push(self.chars[i]);
            i += 1;
        }
        let comma = |c: &char| [',', '،'].contains(c);
        let mut kept: Vec<char> = Vec::with_capacity(out.len());
        for c in out {
            if comma(&c) {
                // A comma after nothing but blanks since the last comma
                // closes a clause that was only a date: drop the pair.
                let tail = kept.iter().rposition(|k| !k.is_whitespace());
                if let Some(t) = tail.filter(|&t| comma(&kept[t])) {
                    kept.truncate(t);
                    continue;
                }
            }
            kept.push(c);
        }
        kept
    }

    /// True when the first actor named after the trigger (within a few words,
    /// and not its subject) is civilians, or failing any, the last one named
    /// just before it: "أطلق مسلحون النار على موظف مدني", "a civilian was shot".
    fn civilian_target(&self, h: &Hit, s: usize, e: usize) -> bool {
        let civil = |a: &Hit| self.lex.actor_names[a.phrase] == CIVILIANS;
        let words = |from: usize, to: usize| words_of(&self.chars[from.min(to)..to]).count();
        // "قُتل شاب برصاص مجهولين": the one named inside an "A … B" trigger
        // is the one it hit.
        if let Some(a) = self
            .actors
            .iter()
            .find(|a| a.start > h.start && a.end <= h.end)
        {
            return civil(a);
        }
        for (k, a) in self
            .actors
            .iter()
            .filter(|a| a.start >= h.end && a.end <= e)
            .enumerate()
        {
            let gap = words(h.end, a.start);
            if gap > 10 {
                break;
            }
            if civil(a) {
                return true;
            }
            let before = self.folded(h.end, a.start);
            let aimed = before
                .split_whitespace()
                .rev()
                .take(2)
                .any(|w| TARGET_WORDS.contains(&w));
            // The first one after an Arabic verb is its subject, however
            // it is described ("هاجم مسلحون يعتقد أنهم من خلايا التنظيم
            // مجموعة من جامعي الكمأة"): the target may follow it.
            if aimed || (gap > 3 && k > 0) {
                return false;
            }
        }
        self.actors
            .iter()
            .rfind(|a| a.start >= s && a.end <= h.start)
            .is_some_and(|a| civil(a) && words(a.end, h.start) <= 4)
    }

    /// Canonical names of the actors named in chars `[from, to)`, in order,
    /// the Syrian government named for `date`.
    fn actors_in(&self, from: usize, to: usize, date: Option<NaiveDate>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for a in self
            .actors
            .iter()
            .filter(|a| a.start >= from && a.end <= to)
        {
            let name = &self.lex.actor_names[a.phrase];
            if !out.contains(name) {
                out.push(name.clone());
            }
        }
        named_on(out, date)
    }

    /// Who took ground in the sentence `[s, e)` of trigger `h`: the actor
    /// named nearest before the trigger (the subject: "government forces
    /// drove out…"), else the first one after it that is not the one the
    /// ground was taken from ("استعادت القوات العراقية السيطرة…", not "its
    /// recapture from Islamic State", "من سيطرة داعش").
    fn taker(&self, h: &Hit, s: usize, e: usize, date: Option<NaiveDate>) -> Option<String> {
        let in_sentence = |a: &&Hit| a.start >= s && a.end <= e;
        // "أعلنت قوات النظام، اليوم (الأحد)، استعادة…": a clause that is
        // only a date does not part the subject from its verb.
        let before = self
            .actors
            .iter()
            .filter(in_sentence)
            .rfind(|a| {
                a.end <= h.start && within_clause_window(&self.without_dates(a.end, h.start))
            })
            .map(|mut b| {
                // "قوات النظام والميليشيات الحليفة لها": of a pair joined by
                // "and", the first leads.
                while let Some(p) = self
                    .actors
                    .iter()
                    .filter(in_sentence)
                    .rfind(|a| a.end <= b.start)
                {
                    if !matches!(self.folded(p.end, b.start).trim(), "" | "و" | "and") {
                        break;
                    }
                    b = p;
                }
                b
            });
        // "طرد تنظيم الدولة من…", "expelled IS from…": the one named after
        // a verb of driving out is the one driven out.
        let expel = words(self.folded(h.start, h.end)).next().is_some_and(|w| {
            // Arabic: the noun طرد ("the expulsion of IS"); in the verb
            // طردت قسد داعش the subject comes first, as after any verb.
            let w = w.trim_start_matches(['و', 'ف', 'ب', 'ل']);
            w == "طرد" || EXPEL_WORDS.iter().any(|x| w.starts_with(x))
        });
        // "أعلن الجيش السوري في بيان، اليوم، سيطرته على…": control with a
        // pronoun is the subject's, however far back.
        let own = words(self.folded(h.start, h.end)).next().is_some_and(|w| {
            w.starts_with("سيطر") && (w.ends_with("ته") || w.ends_with("تها") || w.ends_with("تهم"))
        });
        // "أعلنت قسد، أمس، أنها استعادت السيطرة على…": the one who says
        // "that it" took the ground is the one named before, however far.
        let that_it = words(self.folded(s.max(h.start.saturating_sub(16)), h.start))
            .next_back()
            .is_some_and(|w| {
                matches!(w.trim_start_matches('ب'), "انها" | "انه" | "انهم" | "انهما")
            });
        let hit = if before.is_none() && (expel || own || that_it) {
            // "YPG fighters, backed by US air strikes, drove IS out": the
            // subject may stand further back in the sentence.
            self.actors
                .iter()
                .filter(in_sentence)
                .rfind(|a| a.end <= h.start)
        } else {
            before
                .or_else(|| self.first_taker_after(h, s, e))
                // "سيطرت قسد على هجين…، قبل أن تعلن القضاء على آخر جيب":
                // the subject of an earlier clause goes on.
                .or_else(|| {
                    self.actors
                        .iter()
                        .filter(in_sentence)
                        .find(|a| a.end <= h.start)
                })
        }?;
        let name = self.lex.actor_names[hit.phrase].clone();
        named_on(vec![name], date).into_iter().next()
    }

    /// The first actor after trigger `h` in the sentence `[s, e)` that is
    /// not named as the one the ground was taken from.
    fn first_taker_after(&self, h: &Hit, s: usize, e: usize) -> Option<&Hit> {
        const LOSER_WORDS: [&str; 8] = ["from", "of", "من", "سيطره", "قبضه", "يد", "against", "ضد"];
        let capture_noun = words(self.folded(h.start, h.end)).count() == 1 && self.capture_word(h);
        self.actors
            .iter()
            .filter(|a| a.start >= h.start && a.end <= e)
            .find(|a| {
                // "سيطرة داعش على الشحيل": right after the noun that is the
                // trigger, the actor is the one taking control.
                if a.start >= h.end
                    && self.chars[h.end..a.start].iter().all(|c| c.is_whitespace())
                    && capture_noun
                {
                    return true;
                }
                let ahead = self.folded(s.max(a.start.saturating_sub(20)), a.start);
                !words(ahead)
                    .next_back()
                    .is_some_and(|w| LOSER_WORDS.contains(&w))
            })
    }

    fn event(&self, si: usize, st: &Sentence, l: &Located) -> Event {
        let (s, e) = self.sentences[si];
        let (date, date_precision, own_date) = match self.place_date(s, e, l.mention) {
            Some(d) => (Some(d.date), d.precision, true),
            None => self.date(si, st, &l.hit),
        };
        let m = &self.mentions[l.mention];
        let row = self.row(&l.hit);
        let (event_type, sub_event_type) = match &row.on_civilians {
            Some(sub) if self.civilian_target(&l.hit, s, e) => {
                (CIVILIAN_TYPE.to_string(), sub.clone())
            }
            _ => (row.event_type.clone(), row.sub_event_type.clone()),
        };
        let mut actors = Vec::new();
        if let Some((from, to)) = l.region {
            actors = self.actors_in(from.max(s), to.min(e), date);
            if actors.is_empty() {
                // Next, the statement the trigger is in (up to فيما/while).
                let k = st.statement(l.hit.start);
                let from = k.checked_sub(1).map_or(s, |p| st.strong[p]).max(s);
                let to = st.strong.get(k).copied().unwrap_or(e).min(e);
                actors = self.actors_in(from, to, date);
            }
        }
        if actors.is_empty() {
            actors = self.actors_in(s, e, date);
        }
        if event_type == "Protests" && actors.is_empty() {
            actors.push(CIVILIANS.to_string());
        }
        let sub_event_type =
            territory_sub_type(sub_event_type, self.taker(&l.hit, s, e, date).as_deref());
        Event {
            mention: l.mention,
            date,
            date_precision,
            event_type,
            sub_event_type,
            actors,
            // "Near" or "the countryside of" a town makes it vaguer (2), never
            // more precise than the place itself: "west of Anbar" stays 3. So
            // does a place the sentence does not name but the article is about.
            geo_precision: if m.near
                || m.countryside
                || (!(s..e).contains(&m.start)
                    && [self.focus_ground.get(), self.focus_area.get()]
                        .contains(&Some(&Some(l.mention))))
            {
                m.kind.geo_precision().max(2)
            } else {
                m.kind.geo_precision()
            },
            sentence_start: s,
            sentence_end: e,
            trigger_start: l.hit.start,
            trigger_end: l.hit.end,
            own_date,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::find_dates;

    /// Places of a test case: (surface, kind).
    type Places<'a> = &'a [(&'a str, Kind)];
    /// Expected events of a test case: (sub-event type, locating surface).
    type Expected<'a> = &'a [(&'a str, &'a str)];

    /// The bundled lexicon, built once for all tests.
    fn lex() -> &'static EventLexicon {
        static LEX: std::sync::OnceLock<EventLexicon> = std::sync::OnceLock::new();
        LEX.get_or_init(|| EventLexicon::bundled().unwrap())
    }

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn sentences(text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        split_sentences(text)
            .into_iter()
            .map(|(s, e)| chars[s..e].iter().collect())
            .collect()
    }

    /// A mention of the first occurrence of `surface` in `text`; the place
    /// index is the position in `places`.
    /// A mention of place `place` at every occurrence of `surface`.
    fn each_mention(text: &str, surface: &str, place: u32, kind: Kind) -> Vec<Mention> {
        text.match_indices(surface)
            .map(|(b, s)| {
                let start = text[..b].chars().count();
                let mut m = mention(text, s, place, kind);
                (m.start, m.end) = (start, start + s.chars().count());
                m
            })
            .collect()
    }

    fn mention(text: &str, surface: &str, place: u32, kind: Kind) -> Mention {
        let b = text
            .find(surface)
            .unwrap_or_else(|| panic!("{surface:?} not in {text:?}"));
        let start = text[..b].chars().count();
        Mention {
            start,
            end: start + surface.chars().count(),
            surface: surface.to_string(),
            place,
            kind,
            confidence: 1.0,
            near: false,
            countryside: false,
            point: None,
        }
    }

    /// Events of `text` with mentions of the given (surface, kind) places.
    fn events(text: &str, places: &[(&str, Kind)], date: Option<NaiveDate>) -> Vec<Event> {
        let mut mentions: Vec<Mention> = places
            .iter()
            .enumerate()
            .map(|(i, (s, k))| mention(text, s, i as u32, *k))
            .collect();
        mentions.sort_by_key(|m| m.start);
        let article = Article {
            id: "t".into(),
            text: text.into(),
            date,
            ..Default::default()
        };
        extract_events(&article, &mentions, lex())
    }

    /// The sub-event types of the events of `text` published on `date`.
    fn sub_types(text: &str, places: &[(&str, Kind)], date: NaiveDate) -> Vec<String> {
        events(text, places, Some(date))
            .into_iter()
            .map(|e| e.sub_event_type)
            .collect()
    }

    /// The surfaces of the places the events of `text` stand at.
    fn event_places(text: &str, places: &[(&str, Kind)]) -> Vec<String> {
        summary(text, places).into_iter().map(|(_, p)| p).collect()
    }

    /// (sub_event_type, surface of the locating mention) of each event.
    fn summary(text: &str, places: &[(&str, Kind)]) -> Vec<(String, String)> {
        let mut mentions: Vec<Mention> = places
            .iter()
            .enumerate()
            .map(|(i, (s, k))| mention(text, s, i as u32, *k))
            .collect();
        mentions.sort_by_key(|m| m.start);
        let article = Article {
            text: text.into(),
            date: Some(ymd(2021, 5, 2)),
            ..Default::default()
        };
        extract_events(&article, &mentions, lex())
            .into_iter()
            .map(|e| (e.sub_event_type, mentions[e.mention].surface.clone()))
            .collect()
    }

    // --- sentences --------------------------------------------------------

    #[test]
    fn splits_sentences() {
        let cases: &[(&str, &[&str])] = &[
            (
                "Gen. Smith met the U.S. envoy in Baghdad. They discussed 3.5 million dollars.",
                &[
                    "Gen. Smith met the U.S. envoy in Baghdad.",
                    "They discussed 3.5 million dollars.",
                ],
            ),
            (
                "Mr. J. R. Smith arrived on Jan. 5 in Hasakah. He left!",
                &["Mr. J. R. Smith arrived on Jan. 5 in Hasakah.", "He left!"],
            ),
            (
                "هل وقعت اشتباكات؟ نعم، وقعت اشتباكات؛ وقتل اثنان.",
                &["هل وقعت اشتباكات؟", "نعم، وقعت اشتباكات؛", "وقتل اثنان."],
            ),
            (
                "اعتقل د. أحمد في الحسكة. ثم أفرج عنه",
                &["اعتقل د. أحمد في الحسكة.", "ثم أفرج عنه"],
            ),
            (
                "Clashes in Deir ez-Zor\nSDF fighters clashed with ISIS. Two died.",
                &[
                    "Clashes in Deir ez-Zor",
                    "SDF fighters clashed with ISIS.",
                    "Two died.",
                ],
            ),
            (
                "العراق ينسق مع قسد\n\nكشف مصدر أمني عراقي.",
                &["العراق ينسق مع قسد", "كشف مصدر أمني عراقي."],
            ),
            (
                "The fighters\nwithdrew from the town.",
                &["The fighters\nwithdrew from the town."],
            ),
            (
                "He said: \"It is over.\" Then he left.",
                &["He said: \"It is over.\"", "Then he left."],
            ),
            (
                "قال: «انتهى الأمر.» ثم غادر",
                &["قال: «انتهى الأمر.»", "ثم غادر"],
            ),
            ("Wait... what? No.", &["Wait...", "what?", "No."]),
            (
                "No. 5 brigade attacked. Done",
                &["No. 5 brigade attacked.", "Done"],
            ),
        ];
        for (text, want) in cases {
            assert_eq!(sentences(text), *want, "in {text:?}");
        }
    }

    #[test]
    fn sentence_spans_are_trimmed_char_offsets() {
        assert_eq!(split_sentences("  Hello.  "), [(2, 8)]);
        assert_eq!(split_sentences("قُتِلَ.  نعم"), [(0, 7), (9, 12)]);
        assert_eq!(split_sentences(" \n\n . "), []);
    }

    // --- triggers ---------------------------------------------------------

    #[test]
    fn each_trigger_family_maps_to_acled() {
        let b = ("البوكمال", Kind::City);
        let e = ("Bukamal", Kind::City);
        let cases: &[(&str, (&str, Kind), &str, &str)] = &[
            (
                "اعتقلت قوات الأمن خمسة أشخاص في البوكمال",
                b,
                "Strategic developments",
                "Arrests",
            ),
            (
                "Security forces arrested five people in Bukamal",
                e,
                "Strategic developments",
                "Arrests",
            ),
            (
                "داهمت قسد منزلاً في البوكمال",
                b,
                "Strategic developments",
                "Arrests",
            ),
            (
                "The SDF raided a house in Bukamal",
                e,
                "Strategic developments",
                "Arrests",
            ),
            (
                "ألقت القبض على مهرب في البوكمال",
                b,
                "Strategic developments",
                "Arrests",
            ),
            (
                "اندلعت الاشتباكات بين قسد وداعش في البوكمال",
                b,
                "Battles",
                "Armed clash",
            ),
            ("Clashes broke out in Bukamal", e, "Battles", "Armed clash"),
            (
                "هجوم مسلح على حاجز في البوكمال",
                b,
                "Battles",
                "Armed clash",
            ),
            (
                "Gunmen attacked a checkpoint in Bukamal",
                e,
                "Battles",
                "Armed clash",
            ),
            (
                "غارة بطائرة مسيرة استهدفت سيارة في البوكمال",
                b,
                "Explosions/Remote violence",
                "Air/drone strike",
            ),
            (
                "A drone strike hit a car in Bukamal",
                e,
                "Explosions/Remote violence",
                "Air/drone strike",
            ),
            (
                "قصف مدفعي على البوكمال",
                b,
                "Explosions/Remote violence",
                "Shelling/artillery/missile attack",
            ),
            (
                "Artillery shelling hit Bukamal",
                e,
                "Explosions/Remote violence",
                "Shelling/artillery/missile attack",
            ),
            (
                "انفجار عبوة ناسفة في البوكمال",
                b,
                "Explosions/Remote violence",
                "Remote explosive/landmine/IED",
            ),
            (
                "A roadside bomb exploded in Bukamal",
                e,
                "Explosions/Remote violence",
                "Remote explosive/landmine/IED",
            ),
            (
                "اغتيال مختار في البوكمال",
                b,
                "Violence against civilians",
                "Attack",
            ),
            (
                "Gunmen assassinated a mukhtar in Bukamal",
                e,
                "Violence against civilians",
                "Attack",
            ),
            (
                "اختطاف طفل في البوكمال",
                b,
                "Violence against civilians",
                "Abduction/forced disappearance",
            ),
            (
                "A child was kidnapped in Bukamal",
                e,
                "Violence against civilians",
                "Abduction/forced disappearance",
            ),
            ("مظاهرة في البوكمال", b, "Protests", "Peaceful protest"),
            (
                "Residents protested in Bukamal",
                e,
                "Protests",
                "Peaceful protest",
            ),
            (
                "اتفاق بين العشائر في البوكمال",
                b,
                "Strategic developments",
                "Agreement",
            ),
            (
                "Tribes signed an agreement in Bukamal",
                e,
                "Strategic developments",
                "Agreement",
            ),
            (
                "إعادة افتتاح معبر البوكمال",
                b,
                "Strategic developments",
                "Change to group/activity",
            ),
            (
                "Iraq reopened the crossing at Bukamal",
                e,
                "Strategic developments",
                "Change to group/activity",
            ),
            (
                "بناء جدار على الحدود قرب البوكمال",
                b,
                "Strategic developments",
                "Change to group/activity",
            ),
            (
                "Iraq dug a trench near Bukamal",
                e,
                "Strategic developments",
                "Change to group/activity",
            ),
            (
                "نقل المعتقلين من البوكمال",
                b,
                "Strategic developments",
                "Change to group/activity",
            ),
            (
                "The coalition transferred detainees from Bukamal",
                e,
                "Strategic developments",
                "Change to group/activity",
            ),
            (
                "ضبط شحنة مخدرات في البوكمال",
                b,
                "Strategic developments",
                "Other",
            ),
            (
                "Smuggling rose in Bukamal",
                e,
                "Strategic developments",
                "Other",
            ),
            // A place captured is taken by fighting, unless the sentence
            // tells of a handover, a withdrawal or no fight.
            (
                "سيطرت قسد على البوكمال",
                b,
                "Battles",
                "Non-state actor overtakes territory",
            ),
            (
                "سيطرت قسد على البوكمال دون قتال",
                b,
                "Strategic developments",
                "Non-violent transfer of territory",
            ),
            (
                "The SDF took control of Bukamal",
                e,
                "Battles",
                "Non-state actor overtakes territory",
            ),
            (
                "The SDF took control of Bukamal after the army withdrew",
                e,
                "Strategic developments",
                "Non-violent transfer of territory",
            ),
            // Killed by gunfire is a shooting; by artillery fire, shelling.
            (
                "قُتل جندي بنيران مهربين قرب البوكمال",
                b,
                "Battles",
                "Armed clash",
            ),
            (
                "قُتل مدنيان بنيران المدفعية التركية في البوكمال",
                b,
                "Explosions/Remote violence",
                "Shelling/artillery/missile attack",
            ),
            // Control lost is no capture.
            (
                "هاجمت قسد البلدات التي خرجت عن سيطرتها في البوكمال",
                b,
                "Battles",
                "Armed clash",
            ),
            // Weapons seized are no territory.
            (
                "The SDF seized weapons in Bukamal",
                e,
                "Strategic developments",
                "Disrupted weapons use",
            ),
            // Priority: clashes beat control, a drone strike beats an attack.
            // The fighting of a capture is the capture.
            (
                "اشتباكات أدت إلى سيطرة داعش على البوكمال",
                b,
                "Battles",
                "Non-state actor overtakes territory",
            ),
            (
                "هجوم بطائرة مسيرة على البوكمال",
                b,
                "Explosions/Remote violence",
                "Air/drone strike",
            ),
        ];
        for (text, place, ty, sub) in cases {
            let evs = events(text, &[*place], Some(ymd(2021, 5, 2)));
            let got: Vec<(&str, &str)> = evs
                .iter()
                .map(|e| (e.event_type.as_str(), e.sub_event_type.as_str()))
                .collect();
            assert_eq!(got, [(*ty, *sub)], "in {text:?}");
        }
    }

    #[test]
    fn clitics_and_prefixes_match_but_not_inside_words() {
        let b = [("البوكمال", Kind::City)];
        let hits = [
            "واعتقلوا شخصين في البوكمال",
            "وللاشتباكات أثر في البوكمال",
            "فاشتبكت قسد مع داعش في البوكمال",
        ];
        for text in hits {
            assert_eq!(events(text, &b, None).len(), 1, "in {text:?}");
        }
        // غارة is a whole word: مغارة (cave) is not an air strike.
        assert_eq!(events("مغارة قرب البوكمال", &b, None), vec![]);
        // Latin needs whole words: "parade" is not a raid.
        assert_eq!(
            events("a parade in Bukamal", &[("Bukamal", Kind::City)], None),
            vec![]
        );
    }

    #[test]
    fn states_of_control_are_not_transfers() {
        let b = ("البوكمال", Kind::City);
        let e = ("Bukamal", Kind::City);
        let cases: &[(&str, (&str, Kind), usize)] = &[
            ("تقع البوكمال تحت سيطرة قوات النظام", b, 0),
            ("ولا تزال الحدود معبراً لدخول المليشيات عند البوكمال", b, 0),
            (
                "Bukamal remains under the control of government forces",
                e,
                0,
            ),
            ("سيطرت قوات النظام على البوكمال", b, 1),
            ("Government forces took control of Bukamal", e, 1),
        ];
        for (text, place, n) in cases {
            assert_eq!(events(text, &[*place], None).len(), *n, "in {text:?}");
        }
    }

    #[test]
    fn negated_triggers_make_no_event() {
        let b = ("البوكمال", Kind::City);
        let e = ("Bukamal", Kind::City);
        let cases: &[(&str, (&str, Kind), usize)] = &[
            ("نفى مصدر أمني وقوع اشتباكات في البوكمال", b, 0),
            ("نفت قسد اعتقال أي شخص في البوكمال", b, 0),
            ("لم تسجل أي اشتباكات في البوكمال", b, 0),
            ("لا صحة لأنباء عن اشتباكات في البوكمال", b, 0),
            ("The SDF denied that clashes took place in Bukamal", e, 0),
            ("No arrests were made in Bukamal", e, 0),
            ("Security forces did not arrest anyone in Bukamal", e, 0),
            // The cue is in another clause, or too far back: the trigger stands.
            ("لم يصب أحد، لكن اشتباكات اندلعت في البوكمال", b, 1),
            ("No one was hurt, but clashes broke out in Bukamal", e, 1),
            (
                "لم يكن أحد يتوقع أن تمر أيام قليلة فقط قبل اندلاع اشتباكات في البوكمال",
                b,
                1,
            ),
            // لا تزال is "still", not a negation.
            ("ولا تزال الاشتباكات مستمرة عند البوكمال", b, 1),
            // Threats, possibilities, anniversaries and talks.
            (
                "لوّح الرئيس التركي بأن قواته قد تشن هجوماً على البوكمال",
                b,
                0,
            ),
            (
                "وتهديد الفصائل المسلحة باستهداف المصالح الأمريكية في البوكمال",
                b,
                0,
            ),
            ("تمر اليوم الذكرى الخامسة لتحرير البوكمال", b, 0),
            (
                "Officials met to discuss the ceasefire agreement in Bukamal",
                e,
                0,
            ),
            ("Turkey could launch an offensive on Bukamal", e, 0),
            ("اعتقال خلية كانت تخطط لاستهداف مواقع في البوكمال", b, 1),
            ("فإن الميليشيات قد تسعى للتمدد والسيطرة على البوكمال", b, 0),
            ("رغم الوعود المتكررة بإعادة افتتاح معبر البوكمال", b, 0),
            (
                "Drivers swap rumours about the crossing reopening in Bukamal",
                e,
                0,
            ),
            // Tallies, capabilities, warnings, framings and sleeper cells.
            (
                "ووثّق المرصد منذ مطلع العام مقتل 80 شخصاً في اشتباكات في البوكمال",
                b,
                0,
            ),
            ("a string of drone attacks on US forces in Bukamal", e, 0),
            ("IS remains capable of deadly attacks in Bukamal", e, 0),
            ("Experts warned that clashes could erupt in Bukamal", e, 0),
            ("ويأتي ذلك بعد اشتباكات في البوكمال", b, 0),
            ("The attacks came as leaders met in Bukamal", e, 0),
            ("IS still has sleeper cells in Bukamal", e, 0),
            // Projections, campaigns, control long held, air support.
            (
                "A revival of large-scale attacks in Bukamal cannot be ruled out",
                e,
                0,
            ),
            ("Analysts expect attacks on Bukamal to grow", e, 0),
            (
                "IS has pursued a campaign of assassinations in Bukamal",
                e,
                0,
            ),
            ("والسوق الذي بقي مهجوراً منذ سيطرة داعش على البوكمال", b, 0),
            ("حملة مداهمات في البوكمال بإسناد من طيران الجيش", b, 1),
            ("Thousands took to the streets of Bukamal", e, 1),
            ("أعلنت القضاء على آخر جيب للتنظيم في البوكمال", b, 1),
            // Habits, flight from fighting, what a measure guards against,
            // the weapons of a firefight.
            (
                "Sleeper cells continue to carry out sporadic attacks in Bukamal",
                e,
                0,
            ),
            (
                "تعزيزات تحسباً لتسلل عناصر داعش الفارين من معارك البوكمال",
                b,
                0,
            ),
            (
                "Gunmen used small arms and rocket-propelled grenades in Bukamal",
                e,
                1,
            ),
            // An office's name is no agreement.
            (
                "Families arrived in Bukamal, said the Joint Crisis Coordination Centre",
                e,
                0,
            ),
        ];
        for (text, place, n) in cases {
            assert_eq!(events(text, &[*place], None).len(), *n, "in {text:?}");
        }
    }

    // --- actors -----------------------------------------------------------

    #[test]
    fn finds_canonical_actors() {
        let cases: &[(&str, &[&str])] = &[
            ("هاجم داعش حاجزاً", &["ISIS"]),
            ("خلايا تنظيم الدولة الإسلامية", &["ISIS"]),
            ("Islamic State and Daesh cells", &["ISIS"]),
            ("قوات سوريا الديمقراطية (قسد) والأسايش", &["SDF", "Asayish"]),
            ("قوى الأمن الداخلي ووحدات حماية الشعب", &["Asayish", "YPG"]),
            ("بالحشد الشعبي وللحشد الشعبي", &["PMF"]),
            ("the Popular Mobilization Forces", &["PMF"]),
            ("كتائب حزب الله", &["Kata'ib Hezbollah"]),
            ("Kataib Hezbollah", &["Kata'ib Hezbollah"]),
            (
                "الجيش العراقي وحرس الحدود العراقي",
                &["Iraqi Army", "Iraqi Border Guards"],
            ),
            ("القوات الأمنية العراقية", &["Iraqi Security Forces"]),
            (
                "Iraqi security forces and the Peshmerga",
                &["Iraqi Security Forces", "Peshmerga"],
            ),
            ("البيشمركة", &["Peshmerga"]),
            (
                "أعادت الإدارة الذاتية فتح المعبر",
                &["Autonomous Administration (AANES)"],
            ),
            ("وحدات مقاومة شنگال", &["YBS"]),
            ("وحدات مقاومة سنجار", &["YBS"]),
            ("the YBŞ in Sinjar", &["YBS"]),
            ("التحالف الدولي", &["US-led Coalition"]),
            ("the US-led coalition", &["US-led Coalition"]),
            ("القوات الأمريكية", &["United States"]),
            ("American forces", &["United States"]),
            ("قوات النظام", &["Syrian Government (Assad)"]),
            ("regime forces", &["Syrian Government (Assad)"]),
            ("الأمن العام", &["Syrian Transitional Government"]),
            ("مغاوير الثورة", &["Syrian Free Army"]),
            ("Maghawir al-Thawra", &["Syrian Free Army"]),
            ("a Turkish drone", &["Turkish Armed Forces"]),
            ("الجيش الوطني السوري", &["SNA"]),
            ("القوات الروسية", &["Russian Forces"]),
            ("مليشيات مدعومة من إيران", &["Iran-backed militias"]),
            ("pro-Iranian militias", &["Iran-backed militias"]),
            ("قتل ثلاثة مدنيين", &["Civilians"]),
            ("civilians fled", &["Civilians"]),
            ("اعتقال المهربين", &["Smugglers"]),
            ("smugglers crossed", &["Smugglers"]),
            // "IS" in capitals is the Islamic State; "is" is a word.
            ("IS claimed the attack", &["ISIS"]),
            ("The town is quiet", &[]),
            // Not actors.
            ("الدفاع المدني", &[]),
            ("الولايات المتحدة", &[]),
            ("Syria TV", &[]),
        ];
        let lex = lex();
        for (text, want) in cases {
            assert_eq!(find_actors(text, lex), *want, "in {text:?}");
        }
    }

    #[test]
    fn syrian_government_is_named_by_event_date() {
        let lex = lex();
        let after = Some(ymd(2025, 1, 10));
        let before = Some(ymd(2020, 1, 10));
        assert_eq!(find_actors_on("قوات النظام", lex, after), [TRANSITIONAL]);
        assert_eq!(find_actors_on("قوات النظام", lex, before), [ASSAD]);
        assert_eq!(find_actors_on("الأمن العام", lex, before), [ASSAD]);
        assert_eq!(
            find_actors_on("الأمن العام", lex, Some(ymd(2024, 12, 8))),
            [TRANSITIONAL]
        );
        assert_eq!(
            find_actors_on("قوات النظام والأمن العام", lex, after),
            [TRANSITIONAL]
        );
    }

    // --- lexicon files ----------------------------------------------------

    #[test]
    fn lexicon_errors_name_file_line_and_column() {
        let header = "pattern\tlang\tevent_type\tsub_event_type\tpriority\tnote\n";
        let cases = [
            (
                format!("{header}اعتقال\tar\tArrests\tArrests\t5\t\n"),
                "triggers.tsv:2:3",
            ),
            (
                format!("{header}اعتقال\tar\tBattles\tArmed clash\thigh\t\n"),
                "triggers.tsv:2:5",
            ),
            (
                format!("# c\n{header}\tar\tBattles\tArmed clash\t1\t\n"),
                "triggers.tsv:3:1",
            ),
            (
                format!("{header}لم\tar\tNEGATION\teverywhere\t0\t\n"),
                "triggers.tsv:2:4",
            ),
        ];
        for (tsv, want) in cases {
            let err = EventLexicon::from_tsv(&tsv, "").unwrap_err().to_string();
            assert!(err.starts_with(want), "{err} for {tsv:?}");
        }
        let err = EventLexicon::from_tsv("", "داعش\tar\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("actors.tsv:1:3"), "{err}");
    }

    #[test]
    fn user_lexicon_extends_the_vocabulary() {
        let triggers =
            "تفجير*\tar\tExplosions/Remote violence\tRemote explosive/landmine/IED\t85\t\n\
                        نفى\tar\tNEGATION\tsentence\t0\t\n";
        let actors = "الفرقة الرابعة\tar\tSyrian Government (Assad)\t\n";
        let lex = EventLexicon::from_tsv(triggers, actors).unwrap();
        assert_eq!(find_actors("عناصر الفرقة الرابعة", &lex), [ASSAD]);
        let text = "تفجيرات في البوكمال";
        let m = [mention(text, "البوكمال", 0, Kind::City)];
        let a = Article {
            text: text.into(),
            ..Default::default()
        };
        assert_eq!(extract_events(&a, &m, &lex).len(), 1);
        let a = Article {
            text: "نفى المصدر تفجيرات في البوكمال".into(),
            ..Default::default()
        };
        let m = [mention(&a.text, "البوكمال", 0, Kind::City)];
        assert_eq!(extract_events(&a, &m, &lex), vec![]);
    }

    #[test]
    fn lexicon_is_shareable_across_threads() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<EventLexicon>();
    }

    // --- extract_events ---------------------------------------------------

    #[test]
    fn locates_at_the_most_specific_place() {
        let cases: &[(&str, Places, &str)] = &[
            (
                "اشتباكات في محافظة دير الزور قرب بلدة هجين",
                &[("دير الزور", Kind::Governorate), ("هجين", Kind::Town)],
                "هجين",
            ),
            (
                "Turkish shelling on Syria hit the village of Tell Tamr",
                &[("Syria", Kind::Country), ("Tell Tamr", Kind::Village)],
                "Tell Tamr",
            ),
            (
                "قصف تركي على الحدود السورية العراقية في ناحية ربيعة",
                &[("الحدود", Kind::Border), ("ربيعة", Kind::Subdistrict)],
                "ربيعة",
            ),
            (
                "اعتقال شخصين في العراق وفي سنجار",
                &[("العراق", Kind::Country), ("سنجار", Kind::District)],
                "سنجار",
            ),
            // Among equally specific places, the one nearest the trigger.
            (
                "من البوكمال إلى الميادين وصولاً إلى هجين حيث اعتقلت قسد شخصين",
                &[
                    ("البوكمال", Kind::City),
                    ("الميادين", Kind::City),
                    ("هجين", Kind::Town),
                ],
                "هجين",
            ),
        ];
        for (text, places, want) in cases {
            let got = summary(text, places);
            assert_eq!(got.len(), 1, "in {text:?}: {got:?}");
            assert_eq!(got[0].1, *want, "in {text:?}");
        }
    }

    #[test]
    fn geo_precision_follows_near_and_kind() {
        let text = "اشتباكات قرب بلدة هجين";
        let mut m = mention(text, "هجين", 0, Kind::Town);
        let a = Article {
            text: text.into(),
            ..Default::default()
        };
        let lex = lex();
        assert_eq!(extract_events(&a, &[m.clone()], lex)[0].geo_precision, 1);
        m.near = true;
        assert_eq!(extract_events(&a, &[m.clone()], lex)[0].geo_precision, 2);
        m.near = false;
        m.kind = Kind::Governorate;
        assert_eq!(extract_events(&a, &[m.clone()], lex)[0].geo_precision, 3);
        // "West of Anbar" is no more precise than Anbar.
        m.near = true;
        assert_eq!(extract_events(&a, &[m], lex)[0].geo_precision, 3);
    }

    #[test]
    fn sentence_without_place_borrows_from_previous_in_paragraph() {
        let b = [("البوكمال", Kind::City)];
        let same = "وصلت القوات إلى البوكمال. واعتقلت خمسة أشخاص.";
        let evs = events(same, &b, None);
        assert_eq!(evs.len(), 1);
        assert_eq!((evs[0].sentence_start, evs[0].sentence_end), (26, 45));
        // In another paragraph the arrest is still in the article's town,
        // but only implied: geo-precision 2.
        let other = "وصلت القوات إلى البوكمال.\n\nواعتقلت خمسة أشخاص.";
        let evs = events(other, &b, None);
        assert_eq!(evs.len(), 1, "{evs:?}");
        assert_eq!(evs[0].sub_event_type, "Arrests");
        assert_eq!(evs[0].geo_precision, 2);
        let no_place = "اعتقلت القوات خمسة أشخاص.";
        assert_eq!(events(no_place, &[], None), vec![]);
    }

    #[test]
    fn two_clauses_two_events() {
        let cases: &[(&str, Places, Expected)] = &[
            (
                "قصفت طائرة مسيرة قرية الباغوز، فيما اعتقلت قسد شخصين في بلدة الشحيل",
                &[("الباغوز", Kind::Village), ("الشحيل", Kind::Town)],
                &[("Air/drone strike", "الباغوز"), ("Arrests", "الشحيل")],
            ),
            (
                "A drone struck Baghuz, while the SDF arrested two men in Shuhail",
                &[("Baghuz", Kind::Village), ("Shuhail", Kind::Town)],
                &[("Air/drone strike", "Baghuz"), ("Arrests", "Shuhail")],
            ),
            // A conjunction on the second verb opens its clause.
            (
                "قصفت طائرة مسيرة قرية الباغوز واعتقلت قسد شخصين في بلدة الشحيل",
                &[("الباغوز", Kind::Village), ("الشحيل", Kind::Town)],
                &[("Air/drone strike", "الباغوز"), ("Arrests", "الشحيل")],
            ),
            // Same place: one event, the higher priority wins.
            (
                "غارة بطائرة مسيرة وهجوم على البوكمال",
                &[("البوكمال", Kind::City)],
                &[("Air/drone strike", "البوكمال")],
            ),
            // No clause break: one event, at the place taken.
            (
                "اشتباكات في الباغوز أدت إلى سيطرة داعش على الشحيل",
                &[("الباغوز", Kind::Village), ("الشحيل", Kind::Town)],
                &[("Non-state actor overtakes territory", "الشحيل")],
            ),
            // One more of the same kind, somewhere else: two events.
            (
                "قصفت طائرة مسيرة سيارة قرب القامشلي، فيما طالت غارة أخرى موقعاً قرب عامودا",
                &[("القامشلي", Kind::City), ("عامودا", Kind::Town)],
                &[
                    ("Air/drone strike", "القامشلي"),
                    ("Air/drone strike", "عامودا"),
                ],
            ),
            (
                "A drone struck a car near Qamishli, while another strike hit a site near Amuda",
                &[("Qamishli", Kind::City), ("Amuda", Kind::Town)],
                &[
                    ("Air/drone strike", "Qamishli"),
                    ("Air/drone strike", "Amuda"),
                ],
            ),
            // Not told as another: the strike told again, one event.
            (
                "قصفت طائرة مسيرة سيارة في القامشلي، فيما أدت الغارة إلى مقتل شخصين من عامودا",
                &[("القامشلي", Kind::City), ("عامودا", Kind::Town)],
                &[("Air/drone strike", "القامشلي")],
            ),
        ];
        for (text, places, want) in cases {
            let got = summary(text, places);
            let got: Vec<(&str, &str)> =
                got.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
            assert_eq!(got, *want, "in {text:?}");
        }
    }

    #[test]
    fn dates_from_sentence_else_article() {
        let pub_date = Some(ymd(2021, 5, 2));
        let b = [("البوكمال", Kind::City)];
        // A sentence with no date goes on about the day named earlier in its
        // paragraph; in a later paragraph, about the day the lead names.
        let text = "اعتقلت قسد أمس السبت خمسة أشخاص في البوكمال. واشتباكات في البوكمال.\n\nوقصف في البوكمال.";
        let evs = events(text, &b, pub_date);
        let got: Vec<_> = evs.iter().map(|e| (e.date, e.date_precision)).collect();
        assert_eq!(
            got,
            [
                (Some(ymd(2021, 5, 1)), DatePrecision::Day),
                (Some(ymd(2021, 5, 1)), DatePrecision::Day),
                (Some(ymd(2021, 5, 1)), DatePrecision::Day),
            ]
        );
        // A lead without a day of its own, or with only an old one, leaves
        // the later paragraphs the publication date.
        for lead in [
            "قالت قسد إنها اعتقلت خمسة أشخاص في البوكمال.",
            "اعتقلت قسد في 3 آذار 2021 خمسة أشخاص في البوكمال.",
        ] {
            let text = format!("{lead}\n\nاشتباكات في البوكمال.\n\nوقصف في البوكمال.");
            let evs = events(&text, &b, pub_date);
            let last = evs.last().map(|e| (e.date, e.date_precision));
            assert_eq!(
                last,
                Some((pub_date, DatePrecision::Article)),
                "after {lead:?}"
            );
        }
        // The date nearest the trigger wins.
        let text = "في 3 آذار 2021 قال المصدر إن اشتباكات وقعت في 5 آذار 2021 في البوكمال";
        assert_eq!(events(text, &b, pub_date)[0].date, Some(ymd(2021, 3, 5)));
        // No dates at all.
        let evs = events("اشتباكات في البوكمال", &b, None);
        assert_eq!(
            (evs[0].date, evs[0].date_precision),
            (None, DatePrecision::Article)
        );
    }

    #[test]
    fn a_sentence_without_a_place_of_its_own_restates_the_event_before_it() {
        let b = [("البوكمال", Kind::City)];
        let pub_date = Some(ymd(2021, 5, 2));
        let lead = "قصفت طائرة مسيّرة أمس السبت سيارة في البوكمال.";
        // The second paragraph goes on about the strike: no second event.
        let text = format!("{lead}\n\nوقال مصدر إن المسيّرة أطلقت صاروخين على السيارة.");
        assert_eq!(events(&text, &b, pub_date).len(), 1);
        // Named at a place of its own, it is another event.
        let text = format!("{lead}\n\nوقصفت مسيّرة أخرى سيارة في البوكمال أول أمس.");
        assert_eq!(events(&text, &b, pub_date).len(), 2);
    }

    #[test]
    fn a_definite_noun_without_a_place_points_back_to_the_day_s_event() {
        let b = [("البوكمال", Kind::City)];
        let pub_date = Some(ymd(2021, 5, 2));
        let lead = "اشتبكت قسد مع خلايا داعش أمس السبت في البوكمال.";
        // "The explosion" is the clash's: no second event, its actors join.
        let text = format!("{lead}\n\nوقال مصدر إن الانفجار أدى إلى مقتل عنصرين من قوات النظام.");
        let evs = events(&text, &b, pub_date);
        assert_eq!(evs.len(), 1, "{evs:?}");
        assert!(
            evs[0]
                .actors
                .iter()
                .any(|a| a.starts_with("Syrian Government")),
            "{evs:?}"
        );
        // "An explosion" is another event.
        let text = format!("{lead}\n\nوقال مصدر إن انفجار عبوة ناسفة أدى إلى مقتل عنصرين.");
        assert_eq!(events(&text, &b, pub_date).len(), 2);
        assert!(referential(&"the attack".chars().collect::<Vec<_>>(), 4));
        assert!(referential(&"وبالقصف".chars().collect::<Vec<_>>(), 0));
        assert!(!referential(&"an attack".chars().collect::<Vec<_>>(), 3));
        assert!(!referential(&"قصف".chars().collect::<Vec<_>>(), 0));
    }

    #[test]
    fn places_the_next_sentence_names_back_are_the_strikes_places() {
        let places = [
            ("Syria", Kind::Country),
            ("al-Mayadin", Kind::City),
            ("Albu Kamal", Kind::City),
            ("Iraq", Kind::Country),
            ("al-Qaim", Kind::City),
        ];
        let text = "US forces conducted airstrikes on February 2 against 85 targets at \
                    seven facilities. CENTCOM said four of the facilities were in Syria, \
                    near al-Mayadin and Albu Kamal, and three were in Iraq, near al-Qaim.";
        let mut got = event_places(text, &places);
        got.sort();
        assert_eq!(got, ["Albu Kamal", "al-Mayadin", "al-Qaim"]);
        // Without a word naming the targets back, the next sentence is not
        // about them: the strikes stay at the article's focus.
        let text = "US forces conducted airstrikes on February 2. Officials met in Syria, \
                    near al-Mayadin and Albu Kamal, and in Iraq, near al-Qaim.";
        assert_eq!(event_places(text, &places).len(), 1);
    }

    #[test]
    fn a_raid_ending_in_arrests_is_arrests_at_the_village_not_its_unit() {
        let places = [
            ("الدشيشة", Kind::Village),
            ("الشدادي", Kind::Town),
            ("الحسكة", Kind::City),
        ];
        let text = "نفذت قسد بمساندة مروحيات التحالف، فجر أمس، عملية إنزال جوي في قرية \
                    الدشيشة التابعة لناحية الشدادي جنوب الحسكة، أسفرت عن اعتقال قيادي في \
                    التنظيم، دون وقوع اشتباكات.";
        let mut mentions: Vec<Mention> = places
            .iter()
            .enumerate()
            .map(|(i, (s, k))| mention(text, s, i as u32, *k))
            .collect();
        // "جنوب الحسكة", as the resolver marks it.
        mentions[2].near = true;
        let article = Article {
            text: text.into(),
            date: Some(ymd(2023, 7, 17)),
            ..Default::default()
        };
        let got: Vec<(String, String)> = extract_events(&article, &mentions, lex())
            .into_iter()
            .map(|e| (e.sub_event_type, mentions[e.mention].surface.clone()))
            .collect();
        assert_eq!(got, [("Arrests".to_string(), "الدشيشة".to_string())]);
        // A raid with no arrest is still a raid.
        let text = "نفذت قوات التحالف عملية إنزال جوي في قرية الدشيشة بريف الشدادي جنوب الحسكة.";
        assert_eq!(sub_types(text, &places, ymd(2023, 7, 17)), ["Armed clash"]);
    }

    #[test]
    fn fighting_that_spreads_is_a_clash_at_each_new_place_on_its_day() {
        let places = [
            ("البصيرة", Kind::Town),
            ("الشحيل", Kind::Town),
            ("ذيبان", Kind::Town),
        ];
        let text = "وأمس الأحد، اندلعت اشتباكات بين مسلحين وعناصر قسد في بلدة البصيرة، \
                    سرعان ما اتسعت يوم الثلاثاء لتشمل بلدات الشحيل وذيبان.";
        let got: Vec<(String, String)> = events(text, &places, Some(ymd(2023, 8, 31)))
            .into_iter()
            .map(|e| (places[e.mention].0.to_string(), e.date.unwrap().to_string()))
            .collect();
        assert_eq!(
            got,
            [
                ("البصيرة".to_string(), "2023-08-27".to_string()),
                ("الشحيل".to_string(), "2023-08-29".to_string()),
                ("ذيبان".to_string(), "2023-08-29".to_string()),
            ]
        );
    }

    #[test]
    fn a_dated_run_of_strikes_is_the_days_strike_and_liberations_name_their_taker() {
        let d = ymd(2017, 11, 3);
        let rawa = [("راوة", Kind::Town)];
        // The day's run of strikes (and the car bombs it destroyed) is one
        // air strike; undated, a run is a tally.
        let text = "شن طيران التحالف، اليوم، سلسلة غارات على مواقع للتنظيم في راوة، \
                    أسفرت عن تدمير مقرين وعجلتين مفخختين.";
        assert_eq!(sub_types(text, &rawa, d), ["Air/drone strike"]);
        let text = "شن طيران التحالف سلسلة غارات على مواقع للتنظيم في راوة.";
        assert!(sub_types(text, &rawa, d).is_empty());
        // One more told after an event is still a tally.
        let tanf = [("al-Tanf", Kind::Town)];
        let text = "Two drones targeted al-Tanf on Thursday, the latest in a string of attacks.";
        assert_eq!(sub_types(text, &tanf, d), ["Air/drone strike"]);
        // "سيطرته": the control is the subject's, commas away.
        let text = "أعلن الجيش السوري في بيان، اليوم، سيطرته الكاملة على مدينة دير الزور بعد \
                    طرد آخر عناصر التنظيم من أحيائها الشرقية.";
        assert_eq!(
            sub_types(text, &[("دير الزور", Kind::City)], d),
            ["Government regains territory"]
        );
        // "القوات المشتركة" are Iraq's; "ومدينة" goes on with the list.
        let text = "استعادت القوات المشتركة ناحية الكرابلة ومدينة حصيبة الحدودية.";
        let places = [("الكرابلة", Kind::Town), ("حصيبة", Kind::Town)];
        assert_eq!(
            summary(text, &places),
            [
                (
                    "Government regains territory".to_string(),
                    "الكرابلة".to_string()
                ),
                (
                    "Government regains territory".to_string(),
                    "حصيبة".to_string()
                ),
            ]
        );
    }

    #[test]
    fn the_camp_is_the_camp_told_before_and_framings_win_over_long_triggers() {
        let places = [
            ("Sinjar", Kind::City),
            ("Makhmour", Kind::Town),
            ("Erbil", Kind::City),
        ];
        let text = "A Turkish drone strike on Wednesday hit a house in Sinjar. The strike came \
                    a day after another drone hit a vehicle on the edge of the Makhmour refugee \
                    camp, about 60 km southwest of Erbil.\n\nOn Tuesday evening, hundreds of camp \
                    residents rallied at the camp entrance.";
        let got: Vec<(String, String, String)> = events(text, &places, Some(ymd(2022, 6, 16)))
            .into_iter()
            .map(|e| {
                (
                    e.sub_event_type,
                    places[e.mention].0.to_string(),
                    e.date.unwrap().to_string(),
                )
            })
            .collect();
        let want = |sub: &str, place: &str, date: &str| {
            (sub.to_string(), place.to_string(), date.to_string())
        };
        assert_eq!(
            got,
            [
                want("Air/drone strike", "Sinjar", "2022-06-15"),
                // "The strike came" frames it; "a day after" dates it.
                want("Air/drone strike", "Makhmour", "2022-06-14"),
                // "the camp": the one told before, not Erbil next to it.
                want("Peaceful protest", "Makhmour", "2022-06-14"),
            ]
        );
        // The places a region stretches between only describe it.
        let text = "شنت الطائرات الحربية غارات على مواقع في منطقة جبل البشري، الممتدة بين \
                    أرياف دير الزور والرقة وحمص.";
        let places = [
            ("جبل البشري", Kind::Mountain),
            ("دير الزور", Kind::City),
            ("والرقة", Kind::City),
            ("وحمص", Kind::City),
        ];
        assert_eq!(event_places(text, &places), ["جبل البشري"]);
        // An agency's dateline: "روداو – شنكال:".
        let text = "روداو – شنكال: تجددت الاشتباكات في مركز ناحية سنوني.";
        assert_eq!(
            event_places(text, &[("شنكال", Kind::City), ("سنوني", Kind::Subdistrict)]),
            ["سنوني"]
        );
        // A colon after a sentence's words is no dateline.
        let text = "Al-Tanf has been attacked before: drones struck the base in August 2022.";
        assert_eq!(event_places(text, &[("Al-Tanf", Kind::Base)]), ["Al-Tanf"]);
    }

    #[test]
    fn explosions_heard_elsewhere_are_no_event_there() {
        let places = [
            ("al-Hari", Kind::Village),
            ("Albu Kamal", Kind::City),
            ("al-Qaim", Kind::City),
        ];
        let text = "Minutes later, a second strike hit a depot near the village of al-Hari, \
                    five km east of Albu Kamal, igniting secondary explosions that were heard \
                    across the border in Iraq's al-Qaim.";
        assert_eq!(
            summary(text, &places),
            [("Air/drone strike".to_string(), "al-Hari".to_string())]
        );
        let text =
            "Residents in Albu Kamal said they heard several loud explosions after midnight.";
        assert!(events(text, &places[1..2], Some(ymd(2021, 2, 26))).is_empty());
    }

    #[test]
    fn n_days_after_counts_back_and_days_after_is_background() {
        let b = [("البوكمال", Kind::City), ("الميادين", Kind::City)];
        let pub_date = Some(ymd(2019, 12, 30));
        let lead = "قصفت مسيرة أمس الأحد مواقع في البوكمال.";
        let dates = |text: &str| {
            events(text, &b, pub_date)
                .iter()
                .map(|e| e.date.unwrap().to_string())
                .collect::<Vec<_>>()
        };
        // Three days before the day the report is about.
        let text = format!("{lead}\n\nوجاء القصف بعد ثلاثة أيام من هجوم استهدف حاجزاً في الميادين.");
        assert_eq!(dates(&text), ["2019-12-29", "2019-12-26"]);
        // "The next day": one day on from the day the report is about.
        let text = format!("{lead}\n\nوفي اليوم التالي، استهدفت غارات مواقع في الميادين.");
        assert_eq!(dates(&text), ["2019-12-29", "2019-12-30"]);
        // "Days after" an attack it does not date: background, no event.
        let text = format!("{lead}\n\nوتأتي الضربة بعد أيام من هجوم استهدف حاجزاً في الميادين.");
        assert_eq!(dates(&text), ["2019-12-29"]);
        assert_eq!(
            days_after("the strikes came two days after a rocket"),
            Some(2)
        );
        assert_eq!(days_after("وجاء القصف بعد يومين من"), Some(2));
        assert_eq!(days_after("وجاءت بعد يوم واحد من"), Some(1));
        assert_eq!(days_after("the strikes came after a rocket"), None);
        assert_eq!(days_after("on sunday, a week after a bomb"), Some(7));
        assert_eq!(days_after("وجاء القصف بعد اسبوعين من"), Some(14));
    }

    #[test]
    fn deduplicates_per_type_place_and_date() {
        let text = "اشتباكات في البوكمال. واشتباكات عنيفة في البوكمال. واعتقالات في البوكمال. \
                    واشتباكات في البوكمال أمس.";
        // Every occurrence is a mention of the same place (index 7).
        let mentions = each_mention(text, "البوكمال", 7, Kind::City);
        let a = Article {
            text: text.into(),
            date: Some(ymd(2021, 5, 2)),
            ..Default::default()
        };
        let evs = extract_events(&a, &mentions, lex());
        let got: Vec<(&str, usize, String)> = evs
            .iter()
            .map(|e| {
                (
                    e.sub_event_type.as_str(),
                    e.mention,
                    e.date.unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(
            got,
            // The undated clashes give way to the dated ones at the same place.
            [
                ("Arrests", 2, "2021-05-02".to_string()),
                ("Armed clash", 3, "2021-05-01".to_string()),
            ]
        );
    }

    #[test]
    fn actors_of_the_sentence_by_event_date() {
        let b = [("البوكمال", Kind::City)];
        let text = "قصفت قوات النظام ومسيرة تركية البوكمال. وقال مدني إن داعش انسحب.";
        let evs = events(text, &b, Some(ymd(2025, 1, 5)));
        assert_eq!(evs[0].actors, [TRANSITIONAL, "Turkish Armed Forces"]);
        let evs = events(text, &b, Some(ymd(2019, 1, 5)));
        assert_eq!(evs[0].actors, [ASSAD, "Turkish Armed Forces"]);
        assert_eq!(evs[1].actors, ["Civilians", "ISIS"]);
    }

    #[test]
    fn seed_style_article_events() {
        // Our own text in the shape of the seed report: a headline, a body
        // sentence that names no place, and a paragraph with two clauses.
        let text = "العراق يعزز التنسيق مع قسد لملاحقة خلايا داعش\n\n\
            أفاد مسؤول أمني عراقي، أمس السبت، بوجود تنسيق مستمر مع قسد لتعقب عناصر التنظيم.\n\n\
            وتبقى الحركة التجارية محدودة عند معبر البوكمال منذ إعادة افتتاحه في أيلول 2019، \
            فيما أعلنت القوات العراقية إلقاء القبض على متسللين من داعش.";
        let places: &[(&str, Kind)] = &[("العراق", Kind::Country), ("البوكمال", Kind::Crossing)];
        let ms: Vec<Mention> = places
            .iter()
            .enumerate()
            .map(|(i, (s, k))| mention(text, s, i as u32, *k))
            .collect();
        let a = Article {
            text: text.into(),
            date: Some(ymd(2021, 5, 2)),
            ..Default::default()
        };
        let evs = extract_events(&a, &ms, lex());
        let got: Vec<(&str, usize)> = evs
            .iter()
            .map(|e| (e.sub_event_type.as_str(), e.mention))
            .collect();
        // The body's coordination, dated "أمس السبت", is set where the article
        // is (Iraq) and replaces the headline's undated one. The last
        // paragraph holds two statements joined by فيما: the reopening,
        // dated by its own "since" clause, and the arrests, which take the
        // crossing but not the reopening's date: they take the day the lead
        // names.
        assert_eq!(
            got,
            [
                ("Agreement", 0),
                ("Arrests", 1),
                ("Change to group/activity", 1)
            ]
        );
        assert_eq!(evs[0].date, Some(ymd(2021, 5, 1)));
        assert_eq!(evs[0].date_precision, DatePrecision::Day);
        assert_eq!(
            (evs[1].date, evs[1].date_precision),
            (Some(ymd(2021, 5, 1)), DatePrecision::Day)
        );
        assert_eq!(evs[2].date, Some(ymd(2019, 9, 1)));
        assert_eq!(evs[2].date_precision, DatePrecision::Month);
        // As the seed writes it, the arrests are what the forces keep
        // announcing ("بشكل متكرر", "باستمرار"): a habit, not an event.
        for often in ["بشكل متكرر", "باستمرار"] {
            let text = text.replace(
                "أعلنت القوات العراقية",
                &format!("تعلن القوات العراقية {often}"),
            );
            let ms: Vec<Mention> = places
                .iter()
                .enumerate()
                .map(|(i, (s, k))| mention(&text, s, i as u32, *k))
                .collect();
            let a = Article {
                text,
                date: Some(ymd(2021, 5, 2)),
                ..Default::default()
            };
            let got: Vec<String> = extract_events(&a, &ms, lex())
                .into_iter()
                .map(|e| e.sub_event_type)
                .collect();
            assert_eq!(got, ["Agreement", "Change to group/activity"], "{often}");
        }
    }

    #[test]
    fn shootings_on_civilians_are_violence_against_civilians() {
        let b = [("البوكمال", Kind::City)];
        let e = [("Bukamal", Kind::City)];
        let cases: &[(&str, Places, &str, &str)] = &[
            (
                "وأطلق مسلحون مجهولون النار، أمس السبت، على موظف مدني في البوكمال",
                &b,
                "Violence against civilians",
                "Attack",
            ),
            (
                "أطلق مسلحون النار على حاجز لقسد في البوكمال",
                &b,
                "Battles",
                "Armed clash",
            ),
            (
                "Gunmen shot dead a schoolteacher in Bukamal",
                &e,
                "Violence against civilians",
                "Attack",
            ),
            (
                "أطلق مسلحون النار على عضو في المجلس المحلي لمدينة البوكمال، ما أدى إلى مقتله",
                &b,
                "Violence against civilians",
                "Attack",
            ),
            (
                "هاجم مسلحون يعتقد أنهم من خلايا تنظيم الدولة مجموعة من جامعي الكمأة قرب البوكمال",
                &b,
                "Violence against civilians",
                "Attack",
            ),
            (
                "هاجم مسلحون رعاة قرب البوكمال واقتادوا ثلاثة منهم إلى جهة مجهولة",
                &b,
                "Violence against civilians",
                "Abduction/forced disappearance",
            ),
            (
                "Gunmen opened fire on a Red Crescent medic in Bukamal",
                &e,
                "Violence against civilians",
                "Attack",
            ),
            (
                "Gunmen opened fire on an SDF checkpoint in Bukamal, wounding a civilian",
                &e,
                "Battles",
                "Armed clash",
            ),
            // The shooting is how the assassination was done: one event.
            (
                "اغتال مسلحون مجهولون، مساء أمس، مختار بلدة البوكمال بإطلاق النار عليه أثناء عودته إلى منزله",
                &b,
                "Violence against civilians",
                "Attack",
            ),
            // The killers who fled to an unknown place abducted no one.
            (
                "اغتال مسلحون يستقلون دراجة نارية شاباً أمام منزله في البوكمال، ولاذوا بالفرار إلى جهة مجهولة",
                &b,
                "Violence against civilians",
                "Attack",
            ),
            (
                "Gunmen assassinated a tribal elder in Bukamal, shooting him outside his home, and fled to an unknown destination",
                &e,
                "Violence against civilians",
                "Attack",
            ),
        ];
        for (text, places, ty, sub) in cases {
            let evs = events(text, places, Some(ymd(2021, 5, 2)));
            let got: Vec<(&str, &str)> = evs
                .iter()
                .map(|e| (e.event_type.as_str(), e.sub_event_type.as_str()))
                .collect();
            assert_eq!(got, [(*ty, *sub)], "in {text:?}");
        }
    }

    #[test]
    fn territory_taken_by_fighting_follows_who_took_it() {
        let q = [("al-Qaim", Kind::Town)];
        let cases = [
            (
                "Iraqi forces recaptured the town of al-Qaim from Islamic State on Friday.",
                "Government regains territory",
            ),
            (
                "Islamic State militants overran al-Qaim after the army withdrew.",
                "Non-state actor overtakes territory",
            ),
            (
                "The SDF liberated al-Qaim from ISIS.",
                "Non-state actor overtakes territory",
            ),
            // The one it was taken from is not the taker.
            (
                "al-Qaim has been calm since its recapture from Islamic State in 2017.",
                "Government regains territory",
            ),
        ];
        for (text, want) in cases {
            let evs = events(text, &q, Some(ymd(2017, 11, 3)));
            assert_eq!(evs.len(), 1, "{text}: {evs:?}");
            assert_eq!(evs[0].event_type, "Battles", "{text}");
            assert_eq!(evs[0].sub_event_type, want, "{text}");
        }
        let ar = [("القائم", Kind::Town)];
        let evs = events(
            "واستعادت القوات العراقية السيطرة على القائم",
            &ar,
            Some(ymd(2017, 11, 3)),
        );
        assert_eq!(evs[0].sub_event_type, "Government regains territory");
        // An intention is not an event.
        let evs = events(
            "Peshmerga commanders said they would try to retake al-Qaim.",
            &q,
            Some(ymd(2014, 8, 4)),
        );
        assert_eq!(evs, vec![]);
        // HTS's name holds تحرير (liberation) but is no event.
        let evs = events("وصل وفد من هيئة تحرير الشام إلى القائم", &ar, None);
        assert!(evs.iter().all(|e| e.event_type != "Battles"), "{evs:?}");
    }

    #[test]
    fn speakers_and_capitals_standing_for_governments_are_not_where_it_happened() {
        // Mentions are numbered in text order.
        let places = [("Sinjar", Kind::Town), ("Baghdad", Kind::City)];
        // The abduction is placed at the article's town, not the lawmaker's city.
        let text = "ISIS fighters overran Sinjar on Sunday.\n\n\
            A Yazidi lawmaker in Baghdad said hundreds of women had been abducted.";
        let evs = events(text, &places, Some(ymd(2014, 8, 4)));
        let abduction = evs
            .iter()
            .find(|e| e.sub_event_type == "Abduction/forced disappearance")
            .expect("the abduction");
        assert_eq!(abduction.mention, 0, "{evs:?}");
        assert_eq!(abduction.geo_precision, 2);
        let places = [("Kirkuk", Kind::City), ("Washington", Kind::City)];
        let text = "A rocket attack hit a base near Kirkuk.\n\nWashington blamed the attack on Kataib Hezbollah.";
        let evs = events(text, &places, None);
        assert!(evs.iter().all(|e| e.mention == 0), "{evs:?}");
        let places = [("دمشق", Kind::City), ("البوكمال", Kind::City)];
        let text = "وقال مسؤول في دمشق إن غارة جوية استهدفت البوكمال";
        let evs = events(text, &places, None);
        assert_eq!(evs.len(), 1, "{evs:?}");
        assert_eq!(evs[0].mention, 1);
    }

    #[test]
    fn where_something_came_from_is_not_where_it_happened() {
        let places = [("T2", Kind::Base), ("al-Tanf", Kind::Base)];
        let text = "A drone attack launched from the direction of T2 targeted al-Tanf on Monday.";
        let evs = events(text, &places, Some(ymd(2023, 3, 15)));
        assert_eq!(evs.len(), 1, "{evs:?}");
        assert_eq!(evs[0].mention, 1);
        let places = [("الباغوز", Kind::Village), ("هجين", Kind::Town)];
        let text = "وصلت تعزيزات عسكرية قادمة من الباغوز إلى هجين";
        let evs = events(text, &places, None);
        assert!(
            !evs.is_empty() && evs.iter().all(|e| e.mention == 1),
            "{evs:?}"
        );
    }

    #[test]
    fn a_witness_s_home_repeated_strikes_and_shelling_from_the_air() {
        // Where one who speaks lives is not where the news happened.
        let places = [("الطيانة", Kind::Town)];
        let text = "وقال أبو محمد، أحد سكان بلدة الطيانة، لعنب بلدي، إن القصف استمر طوال الليل.";
        assert!(events(text, &places, None).is_empty());
        let places = [("Hajin", Kind::Town)];
        let text = "\"The shelling went on all night,\" said Ahmed, a resident of Hajin.";
        assert!(events(text, &places, None).is_empty());
        // Where those arrested live, with no other place, is where it was.
        let places = [("الشدادي", Kind::Town)];
        let text = "اعتقلت قسد شباناً من أهالي الشدادي بعد مداهمة منازلهم.";
        assert_eq!(events(text, &places, None).len(), 1);
        // Repeated strikes are a habit of the place, not one event.
        let places = [("سنجار", Kind::Town)];
        let text = "وقال إن القصف المتكرر على سنجار يعرقل الحياة.";
        assert!(events(text, &places, None).is_empty());
        // Shelled by an aircraft: an air strike.
        let text = "وقصفت طائرة تركية مستشفى ميدانياً في سنجار.";
        let evs = events(text, &places, None);
        let got: Vec<&str> = evs.iter().map(|e| e.sub_event_type.as_str()).collect();
        assert_eq!(got, ["Air/drone strike"]);
    }

    #[test]
    fn an_event_named_after_since_is_no_event_here() {
        let places = [("ذيبان", Kind::Town), ("الشحيل", Kind::Town)];
        let text = "تتواصل الاحتجاجات في ذيبان والشحيل منذ اعتقال قائد المجلس العسكري.";
        let evs = events(text, &places, None);
        let got: Vec<&str> = evs.iter().map(|e| e.sub_event_type.as_str()).collect();
        assert!(!got.contains(&"Arrests"), "{got:?}");
        let places = [("Hajin", Kind::Town)];
        let text = "Hajin has been tense since the arrest of the council's commander.";
        assert!(events(text, &places, None).is_empty());
    }

    #[test]
    fn weapons_seized_are_disrupted_weapons_use_and_drugs_other() {
        let places = [("ذيبان", Kind::Town)];
        for (text, sub) in [
            (
                "ضبطت دورية لقسد قارباً محملاً بالأسلحة والذخائر في بلدة ذيبان.",
                "Disrupted weapons use",
            ),
            (
                "أحبطت قوات الحدود محاولة لتهريب كمية من الأسلحة قرب ذيبان.",
                "Disrupted weapons use",
            ),
            ("ضبطت دورية شحنة من حبوب الكبتاغون في ذيبان.", "Other"),
        ] {
            let evs = events(text, &places, None);
            let got: Vec<&str> = evs.iter().map(|e| e.sub_event_type.as_str()).collect();
            assert_eq!(got, [sub], "{text}");
        }
    }

    #[test]
    fn strikes_by_aircraft_and_protests_over_recent_attacks() {
        let places = [("Palmyra", Kind::City)];
        let text = "Russian aircraft conducted dozens of strikes in the desert north of Palmyra, \
            a pattern that has followed major Islamic State attacks.";
        let got: Vec<String> = events(text, &places, None)
            .into_iter()
            .map(|e| e.sub_event_type)
            .collect();
        assert_eq!(got, ["Air/drone strike"]);
        let places = [("عامودا", Kind::Town)];
        let text = "وفي مدينة عامودا، خرج العشرات في وقفة احتجاجية، وحملوا صور مدنيين \
            قالوا إنهم فقدوا حياتهم في الهجمات الأخيرة.";
        let got: Vec<String> = events(text, &places, None)
            .into_iter()
            .map(|e| e.sub_event_type)
            .collect();
        assert_eq!(got, ["Peaceful protest"]);
    }

    #[test]
    fn a_placeless_paragraph_on_a_tie_is_at_the_finer_place() {
        let text = "Gunmen attacked a prison in northeast Syria on Thursday.\n\n\
            The assault on Ghwayran prison began at night.\n\n\
            Fighting went on in the Ghwayran prison yard.\n\n\
            The coalition carried out air strikes around the building on Friday.";
        let places = [
            ("northeast Syria", Kind::Region),
            ("Ghwayran prison", Kind::Infrastructure),
        ];
        let mut mentions = each_mention(text, places[0].0, 0, places[0].1);
        mentions.extend(each_mention(text, places[1].0, 1, places[1].1));
        mentions.sort_by_key(|m| m.start);
        let article = Article {
            text: text.into(),
            date: Some(ymd(2022, 1, 21)),
            ..Default::default()
        };
        let evs = extract_events(&article, &mentions, lex());
        let strike = evs
            .iter()
            .find(|e| e.sub_event_type == "Air/drone strike")
            .expect("the strike");
        assert_eq!(mentions[strike.mention].place, 1);
    }

    #[test]
    fn caches_suicide_bombs_looting_broken_up_protests_unknown_aircraft_recaptured_inmates() {
        let published = Some(ymd(2024, 12, 11));
        for (text, place, sub) in [
            (
                "أسفرت عملية تفتيش في صحراء الحضر عن العثور على مضافة تحتوي على أحزمة ناسفة \
                 وعبوات معدة للتفجير، جرى تفجيرها تحت السيطرة.",
                "الحضر",
                "Disrupted weapons use",
            ),
            (
                "ضبطت إدارة الأمن العام، أمس الاثنين، مستودعاً يحتوي على صواريخ وطائرات مسيّرة \
                 في مدينة البوكمال.",
                "البوكمال",
                "Disrupted weapons use",
            ),
            (
                "The assault on the prison in Hasakah began when a suicide bomber detonated \
                 an explosives-laden vehicle at the main gate.",
                "Hasakah",
                "Suicide bomb",
            ),
            (
                "وأفاد ناشطون بأن مبنى المحافظة في دير الزور تعرض للنهب على يد مجهولين.",
                "دير الزور",
                "Looting/property destruction",
            ),
            (
                "قطع المحتجون الطريق العام في ذيبان، قبل أن يطلق عناصر من قسد النار في الهواء \
                 لتفريقهم.",
                "ذيبان",
                "Protest with intervention",
            ),
            (
                "Security forces fired tear gas at hundreds of protesters in Qamishli.",
                "Qamishli",
                "Protest with intervention",
            ),
            (
                "قتل 14 شخصاً جراء استهداف طائرات مجهولة رتلاً قرب مدينة البوكمال.",
                "البوكمال",
                "Air/drone strike",
            ),
            (
                "The Kurdish-led force said it had recaptured 89 escaped inmates in Hasakah.",
                "Hasakah",
                "Arrests",
            ),
        ] {
            let got: Vec<String> = events(text, &[(place, Kind::Town)], published)
                .into_iter()
                .map(|e| e.sub_event_type)
                .collect();
            assert_eq!(got, [sub], "{text}");
        }
    }

    #[test]
    fn what_happens_often_or_several_times_is_no_event_unless_dated_to_the_day() {
        let published = Some(ymd(2021, 6, 28));
        for (text, place, kind) in [
            (
                "Explosive-laden drones have targeted Ain al-Asad several times this year.",
                "Ain al-Asad",
                Kind::Base,
            ),
            (
                "US forces frequently conduct raids in SDF-held areas near Qamishli.",
                "Qamishli",
                Kind::City,
            ),
        ] {
            assert!(
                events(text, &[(place, kind)], published).is_empty(),
                "{text}"
            );
        }
        let places = [("القامشلي", Kind::City)];
        let text = "وتتعرض قرى ريف القامشلي لقصف تركي بشكل متكرر.";
        assert!(events(text, &places, published).is_empty());
        let places = [("Qamishli", Kind::City)];
        let text = "Turkish drones repeatedly struck Qamishli on Monday.";
        assert_eq!(events(text, &places, published).len(), 1);
    }

    #[test]
    fn the_subject_before_a_date_clause_and_the_first_of_a_pair_took_the_ground() {
        let places = [("البوكمال", Kind::Town)];
        let text = "أعلنت قوات النظام السوري والميليشيات الحليفة لها، اليوم (الأحد)، استعادة \
            السيطرة الكاملة على مدينة البوكمال، بعد معارك شوارع مع تنظيم داعش.";
        let evs = events(text, &places, Some(ymd(2017, 11, 19)));
        let got: Vec<&str> = evs.iter().map(|e| e.sub_event_type.as_str()).collect();
        assert_eq!(got, ["Government regains territory"]);
        assert_eq!(evs[0].date, Some(ymd(2017, 11, 19)));
    }

    #[test]
    fn a_count_over_a_period_is_no_event_unless_the_sentence_gives_its_day() {
        let places = [("دير الزور", Kind::City)];
        let published = Some(ymd(2021, 6, 9));
        for text in [
            "ويقول ناشطون إن أكثر من 30 شخصاً قتلوا في عمليات اغتيال مشابهة في ريف \
             دير الزور منذ مطلع العام الجاري.",
            "منذ بداية العام، وثق ناشطون عمليات اغتيال في ريف دير الزور.",
        ] {
            assert!(events(text, &places, published).is_empty(), "{text}");
        }
        let places = [("Iraq", Kind::Country), ("Syria", Kind::Country)];
        let text = "CENTCOM said in July that the group had claimed 153 attacks in Iraq \
            and Syria in the first six months of 2024.";
        assert!(events(text, &places, Some(ymd(2024, 8, 12))).is_empty());
        // The day's event the tally is brought up to still counts.
        let places = [("الشحيل", Kind::Town), ("دير الزور", Kind::City)];
        let text = "قتل شخصان في عملية اغتيال في بلدة الشحيل أمس الثلاثاء، لترتفع حصيلة \
            الاغتيالات في ريف دير الزور منذ مطلع العام إلى 30.";
        let evs = events(text, &places, published);
        assert_eq!(evs.len(), 1);
        assert_eq!(evs[0].date, Some(ymd(2021, 6, 8)));
    }

    #[test]
    fn who_says_that_it_took_ground_took_it_and_positions_are_taken_by_force() {
        let places = [("البصيرة", Kind::Town)];
        let text = "أعلنت قسد أمس الجمعة، 1 من أيلول، أنها استعادت السيطرة على بلدة البصيرة \
            بعد معارك، متهمة خلايا مرتبطة بالنظام السوري بتأجيج الصراع.";
        let evs = events(text, &places, Some(ymd(2023, 9, 2)));
        let got: Vec<&str> = evs.iter().map(|e| e.sub_event_type.as_str()).collect();
        assert_eq!(got, ["Non-state actor overtakes territory"]);
        let places = [("الكشكية", Kind::Town)];
        let text = "سيطر مقاتلو العشائر على نقاط ومقرات لقسد في بلدة الكشكية.";
        let evs = events(text, &places, None);
        let got: Vec<&str> = evs.iter().map(|e| e.sub_event_type.as_str()).collect();
        assert_eq!(got, ["Non-state actor overtakes territory"]);
    }

    #[test]
    fn a_placeless_paragraph_is_at_the_lead_s_place_before_one_named_more_later() {
        let text = "Kurdish-led forces said they had arrested 36 suspects inside al-Hol camp.\n\n\
            Markets in Al-Hasakah reopened on Thursday, and schools in Al-Hasakah followed.\n\n\
            On Friday, security forces also uncovered trenches beneath several tents \
            containing rifles, ammunition and hand grenades.";
        let mut mentions = each_mention(text, "al-Hol camp", 0, Kind::Camp);
        mentions.extend(each_mention(text, "Al-Hasakah", 1, Kind::City));
        mentions.sort_by_key(|m| m.start);
        let article = Article {
            text: text.into(),
            date: Some(ymd(2022, 9, 10)),
            ..Default::default()
        };
        let evs = extract_events(&article, &mentions, lex());
        let found = evs
            .iter()
            .find(|e| e.sub_event_type == "Disrupted weapons use")
            .expect("the find");
        assert_eq!(mentions[found.mention].surface, "al-Hol camp", "{evs:?}");
    }

    #[test]
    fn an_unplaced_attack_goes_to_the_article_s_town_not_its_country() {
        let places = [
            ("الحسكة", Kind::City),
            ("سوريا", Kind::Country),
            ("سوريا", Kind::Country),
            ("سوريا", Kind::Country),
        ];
        let text = "اشتباكات عنيفة في محيط سجن الصناعة بمدينة الحسكة شمال شرقي سوريا.\n\n\
            وكان عناصر التنظيم قد شنوا هجوماً منسقاً على السجن مساء الخميس.\n\n\
            وأعلنت الحكومة في سوريا عن تنسيق أمني جديد.\n\n\
            ويعد السجن الأكبر في سوريا.";
        let mut ms: Vec<Mention> = Vec::new();
        let mut from = 0;
        for (i, (name, kind)) in places.iter().enumerate() {
            let at = text[from..].find(name).unwrap() + from;
            let start = text[..at].chars().count();
            let end = start + name.chars().count();
            from = at + name.len();
            ms.push(Mention {
                start,
                end,
                surface: name.to_string(),
                place: i as u32,
                kind: *kind,
                confidence: 0.9,
                near: false,
                countryside: false,
                point: None,
            });
        }
        let a = Article {
            text: text.into(),
            date: Some(ymd(2022, 1, 22)),
            ..Default::default()
        };
        let evs = extract_events(&a, &ms, lex());
        let attack = evs
            .iter()
            .find(|e| e.date == Some(ymd(2022, 1, 20)))
            .expect("the Thursday attack");
        assert_eq!(ms[attack.mention].surface, "الحسكة", "{evs:?}");
        assert_eq!(attack.geo_precision, 2);
    }

    #[test]
    fn new_trigger_families() {
        let b = [("البوكمال", Kind::City)];
        let e = [("Bukamal", Kind::City)];
        let cases: &[(&str, Places, &str)] = &[
            (
                "US forces shot down a drone near Bukamal",
                &e,
                "Disrupted weapons use",
            ),
            (
                "تجددت الاشتباكات في البوكمال، واستخدمت فيها الأسلحة المتوسطة وقذائف الهاون",
                &b,
                "Armed clash",
            ),
            (
                "US forces near Bukamal engaged and destroyed a drone before it reached the base",
                &e,
                "Disrupted weapons use",
            ),
            (
                "عثرت قوة من قيادة العمليات، خلال عملية تفتيش قرب البوكمال، على مضافة \
                 تحتوي على أعتدة وصواريخ، وأحزمة ناسفة معدة للتفجير",
                &b,
                "Disrupted weapons use",
            ),
            (
                "Border guards foiled an attempt to smuggle weapons near Bukamal, seizing \
                 30 rifles and boxes of ammunition",
                &e,
                "Disrupted weapons use",
            ),
            (
                "فككت فرق الهندسة التابعة للجيش العراقي، اليوم، عبوة ناسفة في البوكمال",
                &b,
                "Disrupted weapons use",
            ),
            (
                "ولا تزال الحركة ضعيفة عند معبر البوكمال منذ إعادة افتتاحه",
                &b,
                "Change to group/activity",
            ),
            (
                "دفع الجيش العراقي بتعزيزات كبيرة إلى البوكمال",
                &b,
                "Change to group/activity",
            ),
            (
                "Iraq took custody of 100 ISIS suspects in Bukamal",
                &e,
                "Change to group/activity",
            ),
            ("A ceasefire was announced in Bukamal", &e, "Agreement"),
            (
                "اتفاق لوقف إطلاق النار يقضي بتسليم البوكمال",
                &b,
                "Agreement",
            ),
            (
                "توصل الطرفان إلى اتفاق برعاية روسية يقضي بوقف إطلاق النار في البوكمال",
                &b,
                "Agreement",
            ),
            (
                "Border guards seized 300,000 captagon pills and arrested two smugglers in Bukamal",
                &e,
                "Other",
            ),
            (
                "The SDF arrested two smugglers and seized weapons in Bukamal",
                &e,
                "Arrests",
            ),
            ("اعتصام للأهالي في البوكمال", &b, "Peaceful protest"),
            (
                "اعتقلت القوات مشتبهاً به في البوكمال لمعرفة ارتباطه بالهجوم",
                &b,
                "Arrests",
            ),
            (
                "Police arrested a man in Bukamal suspected of involvement in the attack",
                &e,
                "Arrests",
            ),
            (
                "وتظاهر العشرات في البوكمال احتجاجاً على القصف التركي",
                &b,
                "Peaceful protest",
            ),
        ];
        for (text, places, sub) in cases {
            let evs = events(text, places, Some(ymd(2021, 5, 2)));
            let got: Vec<&str> = evs.iter().map(|e| e.sub_event_type.as_str()).collect();
            assert_eq!(got, [*sub], "in {text:?}");
        }
        // A negation covers a list of triggers; a claim refers back.
        let text = "ولم تسجل قوات الحدود أي حالة اعتقال أو تسلل في البوكمال";
        assert_eq!(events(text, &b, None), vec![]);
        let text = "ISIS claimed the attack in Bukamal";
        assert_eq!(events(text, &e, None), vec![]);
    }

    #[test]
    fn reference_points_and_between_do_not_locate() {
        let cases: &[(&str, Places, &str)] = &[
            (
                "Fighting flared around al-Shaddadi, south of Hasakah",
                &[("al-Shaddadi", Kind::Subdistrict), ("Hasakah", Kind::City)],
                "al-Shaddadi",
            ),
            // The ends of a road say where the road goes.
            (
                "هاجم مسلحون حافلة على طريق تدمر – دير الزور بالقرب من بلدة السخنة في ريف حمص الشرقي",
                &[
                    ("تدمر", Kind::Town),
                    ("دير الزور", Kind::City),
                    ("السخنة", Kind::Town),
                    ("حمص", Kind::City),
                ],
                "السخنة",
            ),
            (
                "A bomb hit a bus on the Deir ez-Zor-Palmyra highway near Sukhnah",
                &[
                    ("Deir ez-Zor", Kind::City),
                    ("Palmyra", Kind::Town),
                    ("Sukhnah", Kind::Town),
                ],
                "Sukhnah",
            ),
            // A kind word after the name is still the name.
            (
                "Militants attacked a checkpoint in Baaj district, west of Mosul, late Wednesday",
                &[("Baaj", Kind::District), ("Mosul", Kind::City)],
                "Baaj",
            ),
            (
                "انفجار عبوة ناسفة على الطريق بين ذيبان والحوايج بريف دير الزور",
                &[
                    ("ذيبان", Kind::Subdistrict),
                    ("والحوايج", Kind::Village),
                    ("دير الزور", Kind::City),
                ],
                "ذيبان",
            ),
            (
                "انفجار عبوة ناسفة على الطريق الرابط بين قضاءي عنه وراوة",
                &[("عنه", Kind::District), ("وراوة", Kind::District)],
                "عنه",
            ),
            // An actor's name is not a place of the event.
            (
                "The Islamic Resistance in Iraq claimed drone strikes on al-Tanf",
                &[("Iraq", Kind::Country), ("al-Tanf", Kind::Base)],
                "al-Tanf",
            ),
        ];
        for (text, places, want) in cases {
            let mut mentions: Vec<Mention> = places
                .iter()
                .enumerate()
                .map(|(i, (s, k))| mention(text, s, i as u32, *k))
                .collect();
            for m in &mut mentions {
                let before: String = text.chars().take(m.start).collect();
                let last = before.split_whitespace().last().unwrap_or("");
                m.near = ["of", "جنوبي"].contains(&last) || before.ends_with("بالقرب من بلدة ");
                m.countryside = ["بريف", "ريف"].contains(&last);
            }
            let a = Article {
                text: text.to_string(),
                ..Default::default()
            };
            let evs = extract_events(&a, &mentions, lex());
            assert_eq!(evs.len(), 1, "in {text:?}");
            assert_eq!(mentions[evs[0].mention].surface, *want, "in {text:?}");
        }
    }

    #[test]
    fn recaptures_and_expulsions_are_territory_taken_by_the_subject() {
        let sub = |text: &str| {
            let name = if text.contains("Baghuz") {
                "Baghuz"
            } else {
                "الباغوز"
            };
            sub_types(text, &[(name, Kind::Village)], ymd(2024, 2, 3))
        };
        // The one driven out is not the one who took the ground.
        assert_eq!(
            sub("طردت قسد تنظيم داعش من بلدة الباغوز في آذار 2019"),
            [OVERTAKES]
        );
        assert_eq!(
            sub("Iraqi forces expelled Islamic State from Baghuz"),
            [REGAINS]
        );
        assert_eq!(
            sub("YPG fighters, backed by US air strikes, drove Islamic State out of Baghuz"),
            [OVERTAKES]
        );
        assert_eq!(sub("استعادت قوات النظام قرية الباغوز من داعش"), [REGAINS]);
        // With no subject of its own, the one of an earlier clause.
        assert_eq!(
            sub("سيطرت قسد على هجين، قبل أن تعلن القضاء على آخر جيب للتنظيم في الباغوز"),
            [OVERTAKES]
        );
        assert_eq!(
            sub("يذكر أن الباغوز كانت قد استعيدت من قبضة داعش"),
            [REGAINS]
        );
        assert_eq!(
            sub("وكانت الباغوز قد عادت لسيطرة الدولة في أيار 2016"),
            [REGAINS]
        );
    }

    #[test]
    fn a_protest_against_attacks_is_a_protest_and_drones_are_air_strikes() {
        let b = [("قامشلو", Kind::City)];
        let sub = |text: &str| sub_types(text, &b, ymd(2024, 10, 24));
        assert_eq!(
            sub("خرج آلاف في قامشلو في تظاهرة جابت شوارع المدينة منددة بالهجمات التركية"),
            ["Peaceful protest"]
        );
        assert_eq!(
            sub("تظاهر المئات في قامشلو تنديداً بالقصف التركي"),
            ["Peaceful protest"]
        );
        assert_eq!(
            sub("هجوم بطائرتين مسيّرتين استهدف موقعاً في قامشلو"),
            ["Air/drone strike"]
        );
        assert_eq!(
            sub("استهدفت طائرات الاحتلال التركي منشآت في قامشلو"),
            ["Air/drone strike"]
        );
    }

    #[test]
    fn raids_by_aircraft_are_air_strikes_and_raids_on_the_ground_arrests() {
        let b = [("Derik", Kind::Town)];
        let sub = |text: &str| sub_types(text, &b, ymd(2023, 5, 2));
        assert_eq!(
            sub("Turkish aircraft carried out raids on villages near Derik"),
            ["Air/drone strike"]
        );
        assert_eq!(
            sub("Jets launched several raids on Derik"),
            ["Air/drone strike"]
        );
        assert_eq!(
            sub("Security forces carried out raids in Derik and detained four"),
            ["Arrests"]
        );
        // Strikes that "hit" are air strikes; "such raid" points back to
        // them; "Deir Ezzor city, Mayadin and Al-Bukamal" is one list.
        let text = "A wave of strikes widely attributed to Israel hit depots in Deir Ezzor \
                    city, Mayadin and Al-Bukamal, the deadliest such raid in the war.";
        let places = [
            ("Deir Ezzor", Kind::City),
            ("Mayadin", Kind::Town),
            ("Al-Bukamal", Kind::Town),
        ];
        assert_eq!(
            summary(text, &places),
            places.map(|(p, _)| ("Air/drone strike".to_string(), p.to_string()))
        );
    }

    #[test]
    fn topics_proposals_calls_and_states_make_no_event() {
        let d = ymd(2023, 5, 8);
        let none = |text: &str, place: &str| {
            let evs = events(text, &[(place, Kind::City)], Some(d));
            assert!(evs.is_empty(), "{text}: {evs:?}");
        };
        none(
            "قال الخبير إن «ضبط الحدود ومكافحة التهريب شرط أساسي» في القائم",
            "القائم",
        );
        none(
            "ترتبط بمدينة الحسكة عبر طرق ترابية تستخدمها جماعات التهريب منذ سنوات",
            "الحسكة",
        );
        none(
            "وتطرق المؤتمر إلى مقترح بإعادة فتح منفذ ربيعة مع سوريا",
            "ربيعة",
        );
        none(
            "ولم يتطرق البيان إلى موعد محدد لاستئناف الحركة، أو إلى إعادة فتح منفذ ربيعة",
            "ربيعة",
        );
        none("دعت الوزارة إلى «الإسراع بتطبيق اتفاق سنجار»", "سنجار");
        none(
            "The ministry called for the implementation of the Sinjar agreement",
            "Sinjar",
        );
        none(
            "وتعد بلدة هجين آخر المناطق، ولا تزال تشهد هجمات متفرقة لخلاياه",
            "هجين",
        );
        none(
            "تقع بلدة الصالحية في منطقة تخضع لسيطرة قوات النظام",
            "الصالحية",
        );
        none(
            "IS cells in al-Qahtaniya have exploited weak coordination between forces",
            "al-Qahtaniya",
        );
        none("انطلقت عملية تفتيش في القائم بمشاركة طيران الجيش", "القائم");
        none(
            "دعا عضو في مجلس محافظة الأنبار الحكومة إلى دعم قوات الحدود بالطائرات المسيرة في القائم",
            "القائم",
        );
        none(
            "A lawmaker called on Baghdad to send reinforcements to Rutba",
            "Rutba",
        );
        none(
            "A UN official urged countries to speed up the repatriation of their nationals from al-Hol",
            "al-Hol",
        );
        none(
            "The ministry summoned the Turkish envoy in Baghdad to protest repeated violations",
            "Baghdad",
        );
        let protest = events(
            "تظاهر العشرات في القائم مطالبين بإعادة فتح المنفذ",
            &[("القائم", Kind::City)],
            Some(d),
        );
        assert_eq!(protest.len(), 1, "{protest:?}");
        none(
            "وتقع البلدة ضمن مناطق سيطرتها في ريف دير الزور",
            "دير الزور",
        );
        none(
            "وعقد مسؤولون اجتماعاً مع وجهاء في القائم، دعوا خلاله إلى \"التهدئة ووقف العنف\"",
            "القائم",
        );
        none(
            "مخيم روج القريب من المالكية يضم عائلات يرفض معظم بلدانها استعادتها",
            "المالكية",
        );
        // A body found shot is a killing.
        let evs = events(
            "عثر سكان في مخيم الهول على جثة امرأة مقتولة بطلقات نارية",
            &[("الهول", Kind::Camp)],
            Some(d),
        );
        assert_eq!(evs.len(), 1, "{evs:?}");
        assert_eq!(evs[0].sub_event_type, "Attack");
    }

    #[test]
    fn executions_by_armed_groups_are_attacks_and_court_sentences_no_event() {
        let d = ymd(2023, 3, 20);
        let ar = [("الميادين", Kind::City)];
        assert_eq!(
            sub_types("وأعدم عناصر التنظيم 12 مدنياً في بادية الميادين", &ar, d),
            ["Attack"]
        );
        let en = [("Rutba", Kind::Town)];
        assert_eq!(
            sub_types(
                "IS militants executed at least 17 people near Rutba",
                &en,
                d
            ),
            ["Attack"]
        );
        let court = [("الموصل", Kind::City)];
        assert!(sub_types("أصدرت محكمة في الموصل حكماً بالإعدام بحق إرهابي", &court, d).is_empty());
        let court = [("Mosul", Kind::City)];
        assert!(sub_types("A court in Mosul sentenced to death three men", &court, d).is_empty());
        // Aircraft that destroyed something struck it.
        let b = [("Albu Kamal", Kind::City)];
        assert_eq!(
            sub_types("U.S. aircraft destroyed facilities near Albu Kamal", &b, d),
            ["Air/drone strike"]
        );
        // "three of them near al-Qaim and two near Abu Kamal": two places.
        let two = [("al-Qaim", Kind::City), ("Abu Kamal", Kind::City)];
        assert_eq!(
            event_places(
                "Jets struck five facilities, three of them near al-Qaim and two near Abu Kamal",
                &two
            ),
            ["al-Qaim", "Abu Kamal"]
        );
    }

    #[test]
    fn a_day_told_with_the_reporting_verb_gives_way_to_the_body_s_day() {
        let place = "الرطبة";
        let text = "أفاد مصدر أمني، اليوم الأحد، بمقتل ثلاثة مدنيين بهجوم لداعش في الرطبة.\n\n\
                    وقال المصدر إن مسلحين هاجموا مساء أمس السبت جامعي الكمأ قرب الرطبة.";
        let mentions = each_mention(text, place, 0, Kind::Town);
        let a = Article {
            text: text.into(),
            date: Some(ymd(2023, 3, 12)),
            ..Default::default()
        };
        let evs = extract_events(&a, &mentions, lex());
        let got: Vec<(&str, String, &[String])> = evs
            .iter()
            .map(|e| {
                (
                    e.sub_event_type.as_str(),
                    e.date.unwrap().to_string(),
                    e.actors.as_slice(),
                )
            })
            .collect();
        // One attack, on Saturday; who did it is named in the lead.
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!((got[0].0, got[0].1.as_str()), ("Attack", "2023-03-11"));
        assert!(got[0].2.contains(&"ISIS".to_string()), "{got:?}");
        // Told only by the reporting verb, the day stands.
        let lead = text.split("\n\n").next().unwrap();
        let a = Article {
            text: lead.into(),
            ..a
        };
        let evs = extract_events(&a, &mentions[..1], lex());
        assert_eq!(evs[0].date, Some(ymd(2023, 3, 12)));
        // After "أن" a clause of its own begins: its day is the event's,
        // even with the subject told apart from its verb.
        let text = "أعلنت خلية الإعلام الأمني، اليوم الإثنين، تنفيذ ضربات جوية في الرطبة.\n\n\
                    وذكرت الخلية أن \"طائرات F-16 العراقية، وبناءً على معلومات دقيقة، نفذت \
                    مساء أمس الأحد ضربتين على كهفين في الرطبة\".";
        let mentions = each_mention(text, place, 0, Kind::Town);
        let a = Article {
            text: text.into(),
            date: Some(ymd(2023, 7, 10)),
            ..Default::default()
        };
        let evs = extract_events(&a, &mentions, lex());
        let got: Vec<(&str, Option<NaiveDate>)> = evs
            .iter()
            .map(|e| (e.sub_event_type.as_str(), e.date))
            .collect();
        assert_eq!(got, [("Air/drone strike", Some(ymd(2023, 7, 9)))]);
    }

    #[test]
    fn a_lead_dated_by_another_statement_gives_way_to_the_body_s_date() {
        let b = [("القائم", Kind::City), ("الكرابلة", Kind::Town)];
        let text = "أعلنت خلية الإعلام الأمني، اليوم الاثنين، اعتقال ثلاثة مطلوبين في القائم، \
                    فيما أصيب جنديان بانفجار عبوة ناسفة قرب الكرابلة.\n\n\
                    وأضاف المصدر أن عبوة ناسفة انفجرت على دورية مساء أمس الأحد قرب الكرابلة.";
        // Both الكرابلة are the same place.
        let mut mentions = vec![mention(text, b[0].0, 0, b[0].1)];
        mentions.extend(each_mention(text, b[1].0, 1, b[1].1));
        let a = Article {
            text: text.into(),
            date: Some(ymd(2022, 11, 14)),
            ..Default::default()
        };
        let evs = extract_events(&a, &mentions, lex());
        let got: Vec<(&str, String)> = evs
            .iter()
            .map(|e| (e.sub_event_type.as_str(), e.date.unwrap().to_string()))
            .collect();
        assert_eq!(
            got,
            [
                ("Arrests", "2022-11-14".to_string()),
                ("Remote explosive/landmine/IED", "2022-11-13".to_string())
            ]
        );
    }

    #[test]
    fn a_second_object_in_a_second_place_is_a_second_event() {
        let places: Places = &[("ديرك", Kind::City), ("كركي لكي", Kind::Town)];
        let mut at = event_places(
            "طال القصف محطة تحويل الكهرباء في ريف ديرك ومطحنة في ناحية كركي لكي",
            places,
        );
        at.sort();
        assert_eq!(at, ["ديرك", "كركي لكي"]);
        // Air support for a raid is not an air strike of its own.
        let places: Places = &[("هجين", Kind::Town)];
        let got = summary(
            "شنت قسد بمساندة من طيران التحالف حملة مداهمات في هجين",
            places,
        );
        assert_eq!(got.len(), 1, "{got:?}");
        assert_ne!(got[0].0, "Air/drone strike");
    }

    #[test]
    fn a_bulletin_entry_takes_the_day_that_opened_it() {
        let b = [("Markada", Kind::Town), ("Tal Tamr", Kind::Town)];
        let text = "Saturday, Oct. 12, 21:40 — Turkish artillery shelled Tal Tamr.\n\n\
                    Sunday, Oct. 13, 08:15 — Officials said the night was calm.\n\n\
                    15:30 — Residents of Markada report that a cell attacked a checkpoint.";
        let evs = events(text, &b, Some(ymd(2019, 10, 14)));
        let dates: Vec<String> = evs.iter().map(|e| e.date.unwrap().to_string()).collect();
        assert_eq!(dates, ["2019-10-12", "2019-10-13"]);
    }

    #[test]
    fn the_places_listed_after_an_origin_cue_are_origins() {
        let places: Places = &[
            ("الرقة", Kind::City),
            ("والشدادي", Kind::Town),
            ("حقل العمر", Kind::Infrastructure),
        ];
        let at = event_places(
            "وصلت تعزيزات عسكرية لقسد من مدينتي الرقة والشدادي إلى حقل العمر",
            places,
        );
        assert_eq!(at, ["حقل العمر"]);
        // Where people fled to is not where the shelling fell.
        let places: Places = &[("تل تمر", Kind::Town), ("الحسكة", Kind::City)];
        let at = event_places(
            "قصفت القوات التركية قرى تل تمر، ودفع القصف عشرات العائلات إلى النزوح نحو مدينة الحسكة",
            places,
        );
        assert_eq!(at, ["تل تمر"]);
    }

    #[test]
    fn one_event_at_each_place_of_a_list() {
        let places: Places = &[
            ("البوكمال", Kind::City),
            ("والميادين", Kind::City),
            ("ودير الزور", Kind::City),
        ];
        let at = event_places(
            "شنت طائرات مجهولة غارات على مواقع في البوكمال والميادين ودير الزور",
            places,
        );
        assert_eq!(at, ["البوكمال", "والميادين", "ودير الزور"]);
        let e: Places = &[("Albu Kamal", Kind::City), ("al-Mayadin", Kind::City)];
        assert_eq!(
            summary("Jets struck sites in Albu Kamal and al-Mayadin", e).len(),
            2
        );
        // Not a list: the second place says where the first is.
        let e: Places = &[
            ("Albu Kamal", Kind::City),
            ("Deir ez-Zor", Kind::Governorate),
        ];
        assert_eq!(
            summary("Jets struck sites in Albu Kamal, Deir ez-Zor", e).len(),
            1
        );
        // "، إضافةً إلى قرية", "as well as the town of": the list goes on.
        let at = event_places(
            "واستهدفت المدفعية التركية قرى في ريف تل تمر، إضافةً إلى قرية أم الكيف",
            &[("تل تمر", Kind::Town), ("أم الكيف", Kind::Village)],
        );
        assert_eq!(at, ["تل تمر", "أم الكيف"]);
        let e: Places = &[("Tal Tamr", Kind::Town), ("Umm al-Kayf", Kind::Village)];
        assert_eq!(
            summary(
                "Turkish artillery shelled Tal Tamr as well as the village of Umm al-Kayf",
                e
            )
            .len(),
            2
        );
    }

    #[test]
    fn date_and_actors_from_the_triggers_clause() {
        let b = [("البوكمال", Kind::City), ("الميادين", Kind::City)];
        let text = "قصفت مسيرة تركية البوكمال يوم 3 آذار 2021، فيما اعتقلت قسد عناصر من داعش في الميادين في 5 آذار 2021";
        let evs = events(text, &b, Some(ymd(2021, 3, 10)));
        let got: Vec<_> = evs.iter().map(|e| (e.date, e.actors.clone())).collect();
        assert_eq!(
            got,
            [
                (
                    Some(ymd(2021, 3, 3)),
                    vec!["Turkish Armed Forces".to_string()]
                ),
                (
                    Some(ymd(2021, 3, 5)),
                    vec!["SDF".to_string(), "ISIS".to_string()]
                ),
            ]
        );
        // A clause that is only a date belongs to the trigger next to it.
        let text = "اعتقلت قسد، أمس السبت، خمسة أشخاص في البوكمال";
        let evs = events(text, &b[..1], Some(ymd(2021, 5, 2)));
        assert_eq!(evs[0].date, Some(ymd(2021, 5, 1)));
    }

    proptest::proptest! {
        /// Any text: spans are in bounds, ordered and trimmed; nothing panics.
        #[test]
        fn spans_stay_in_bounds(text in "[ a-zA-Z0-9.?!,;\n\u{0621}-\u{064A}\u{064B}\u{0660}-\u{0669}؟،؛]{0,80}") {
            let n = text.chars().count();
            let chars: Vec<char> = text.chars().collect();
            let mut last = 0;
            for (s, e) in split_sentences(&text) {
                proptest::prop_assert!(last <= s && s < e && e <= n);
                proptest::prop_assert!(!chars[s].is_whitespace() && !chars[e - 1].is_whitespace());
                last = e;
            }
            for d in find_dates(&text, NaiveDate::from_ymd_opt(2021, 5, 2)) {
                proptest::prop_assert!(d.start < d.end && d.end <= n);
            }
            let article = Article { text: text.clone(), ..Default::default() };
            let lex = lex();
            let one = if n > 0 { vec![mention(&text, &chars[..1].iter().collect::<String>(), 0, Kind::Town)] } else { vec![] };
            for ev in extract_events(&article, &one, lex) {
                proptest::prop_assert!(ev.mention < one.len() && ev.sentence_end <= n);
            }
        }
    }
}
