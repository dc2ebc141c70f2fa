//! Stage 5 — events: sentences, triggers, actors and dates → [`Event`]s.
//!
//! Triggers, actors and negation cues are data (`gazetteer/lexicon/*.tsv`)
//! so a user can read and extend them. Every phrase is folded with
//! [`fold`] and matched over the folded article text with one Aho–Corasick
//! automaton per lexicon; [`Folded`] maps each match back to char offsets.
//!
//! An event is read from one sentence: a trigger that no negation cue
//! governs, located at the most specific place mention of the sentence and
//! dated by the nearest date written in it (else the publication date).
//!
//! ```
//! use bordermap::{split_sentences, EventLexicon, find_actors};
//! let lex = EventLexicon::bundled().unwrap();
//! assert_eq!(find_actors("اعتقلت قسد عناصر من داعش", &lex), ["SDF", "ISIS"]);
//! assert_eq!(split_sentences("Hello there. Bye!"), [(0, 12), (13, 17)]);
//! ```

use std::collections::HashSet;

use aho_corasick::{AhoCorasick, MatchKind};
use chrono::NaiveDate;

use crate::dates::{find_dates, DateMention};
use crate::model::{Article, DatePrecision, Event, Kind, Mention};
use crate::normalise::{fold, is_arabic, is_word_char, Folded};

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

/// How many words a clause-scoped negation cue, or the second half of an
/// `A … B` pattern, may reach.
const WINDOW_WORDS: usize = 6;

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
}

impl Phrase {
    /// Parses a pattern cell; `None` when it folds to nothing.
    fn parse(cell: &str) -> Option<Phrase> {
        let cell = cell.replace("...", "…");
        let mut parts = cell.splitn(2, '…');
        let (anchor, prefix) = star(parts.next()?)?;
        let tail = parts.next().and_then(star);
        let arabic = anchor.chars().any(is_arabic);
        Some(Phrase {
            anchor,
            prefix,
            tail,
            arabic,
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

/// A set of phrases with one automaton over all their folded forms.
#[derive(Debug)]
struct PhraseSet {
    ac: AhoCorasick,
    phrases: Vec<Phrase>,
    /// Automaton pattern → (phrase, is the fused `لل` form).
    pats: Vec<(usize, bool)>,
    /// Whether the definite article may stand before a phrase without one.
    article_ok: bool,
}

impl PhraseSet {
    fn new(phrases: Vec<Phrase>, article_ok: bool, file: &str) -> Result<PhraseSet, LexiconError> {
        let mut strings = Vec::new();
        let mut pats = Vec::new();
        for (i, p) in phrases.iter().enumerate() {
            strings.push(p.anchor.clone());
            pats.push((i, false));
            // ل + ال fuse to لل: للحدود holds الحدود without its alef.
            if let Some(rest) = p.anchor.strip_prefix("ال").filter(|_| p.arabic) {
                strings.push(format!("لل{rest}"));
                pats.push((i, true));
            }
        }
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&strings)
            .map_err(|e| LexiconError::Build {
                file: file.to_string(),
                message: e.to_string(),
            })?;
        Ok(PhraseSet {
            ac,
            phrases,
            pats,
            article_ok,
        })
    }

    /// Every phrase in `f`, longest first where they overlap, in text order.
    fn hits(&self, f: &Folded) -> Vec<Hit> {
        let text = f.as_str();
        let mut all: Vec<Hit> = self
            .ac
            .find_overlapping_iter(text)
            .filter_map(|m| {
                let (pi, fused) = self.pats[m.pattern().as_usize()];
                self.check(text, pi, fused, m.start(), m.end())
            })
            .map(|mut h| {
                (h.start, h.end) = f.original_span(h.fstart, h.fend);
                h
            })
            .collect();
        longest_first(&mut all);
        all
    }

    /// Checks word boundaries (clitics allowed) and the `… B` tail.
    fn check(&self, text: &str, pi: usize, fused: bool, s: usize, e: usize) -> Option<Hit> {
        let p = &self.phrases[pi];
        let ws = word_start(text, s);
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

/// Byte offset where the word holding byte `i` begins.
fn word_start(text: &str, i: usize) -> usize {
    text[..i]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word_char(*c))
        .last()
        .map_or(i, |(j, _)| j)
}

/// Byte offset where the word going on at byte `i` ends.
fn word_end(text: &str, i: usize) -> usize {
    text[i..]
        .char_indices()
        .find(|(_, c)| !is_word_char(*c))
        .map_or(text.len(), |(j, _)| i + j)
}

fn at_word_end(text: &str, i: usize) -> bool {
    text[i..].chars().next().is_none_or(|c| !is_word_char(c))
}

/// The end of `tail` when it begins one of the next few words after `from`.
fn find_tail(text: &str, from: usize, tail: &str, prefix: bool) -> Option<usize> {
    let mut i = from;
    for _ in 0..WINDOW_WORDS {
        let s = i + text[i..].find(|c: char| is_word_char(c))?;
        let word = &text[s..word_end(text, s)];
        let ok = ["", "و", "ب", "ل", "ال", "وال", "بال"]
            .iter()
            .filter_map(|c| word.strip_prefix(c))
            .any(|w| w == tail || (prefix && w.starts_with(tail)));
        if ok || (text[s..].starts_with(tail) && (prefix || at_word_end(text, s + tail.len()))) {
            return Some(if tail.contains(' ') {
                s + tail.len()
            } else {
                s + word.len()
            });
        }
        i = s + word.len();
    }
    None
}

/// Keeps the longest of overlapping hits (ties: the earliest phrase), in
/// text order, so `قصف جوي` wins over the `قصف` inside it.
fn longest_first(hits: &mut Vec<Hit>) {
    hits.sort_by_key(|h| (std::cmp::Reverse(h.fend - h.fstart), h.fstart, h.phrase));
    let mut kept: Vec<Hit> = Vec::with_capacity(hits.len());
    for h in hits.drain(..) {
        if kept
            .iter()
            .all(|k| h.fend <= k.fstart || h.fstart >= k.fend)
        {
            kept.push(h);
        }
    }
    kept.sort_by_key(|h| h.fstart);
    *hits = kept;
}

// ---------------------------------------------------------------------------
// Lexicons

/// What a trigger row means.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Trigger {
    event_type: String,
    sub_event_type: String,
    priority: i32,
}

/// How far a negation cue reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Anywhere later in the sentence ("denied", نفى).
    Sentence,
    /// A few words later in the same clause (لم، no, not).
    Clause,
}

/// Trigger, actor and negation lexicons, loaded once and shared across
/// threads (`Send + Sync`).
#[derive(Debug)]
pub struct EventLexicon {
    triggers: PhraseSet,
    trigger_rows: Vec<Trigger>,
    negations: PhraseSet,
    scopes: Vec<Scope>,
    actors: PhraseSet,
    actor_names: Vec<String>,
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
    let mut seen = HashSet::new();
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
        if !EVENT_TYPES.contains(&event_type) {
            let msg = format!(
                "unknown event_type {event_type:?}; use one of {EVENT_TYPES:?} or {NEGATION}"
            );
            return Err(row_error(FILE, line, 3, msg));
        }
        let pri = cell(FILE, line, &cells, 4, "priority")?;
        let priority = pri.parse().map_err(|_| {
            row_error(
                FILE,
                line,
                5,
                format!("priority {pri:?} is not a whole number"),
            )
        })?;
        out.phrases.push(p);
        out.rows.push(Trigger {
            event_type: event_type.to_string(),
            sub_event_type: sub.to_string(),
            priority,
        });
    }
    Ok(out)
}

fn parse_scope(file: &str, line: usize, s: &str) -> Result<Scope, LexiconError> {
    match s {
        "sentence" => Ok(Scope::Sentence),
        "clause" => Ok(Scope::Clause),
        _ => Err(row_error(
            file,
            line,
            4,
            format!("negation scope {s:?} must be 'sentence' or 'clause'"),
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
        Ok(EventLexicon {
            triggers: PhraseSet::new(t.phrases, true, "triggers.tsv")?,
            trigger_rows: t.rows,
            negations: PhraseSet::new(t.neg_phrases, false, "triggers.tsv")?,
            scopes: t.scopes,
            actors: PhraseSet::new(actor_phrases, false, "actors.tsv")?,
            actor_names,
        })
    }
}

// ---------------------------------------------------------------------------
// Actors

/// Canonical actor names found in a piece of text, in order of first
/// appearance (used for the layer's `actors`). Syrian government names are
/// as the lexicon gives them; [`find_actors_on`] applies the event date.
pub fn find_actors(text: &str, lex: &EventLexicon) -> Vec<String> {
    let f = Folded::new(text);
    let mut out: Vec<String> = Vec::new();
    for h in lex.actors.hits(&f) {
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
    let actors = find_actors(text, lex);
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
    let chars: Vec<char> = text.chars().collect();
    let mut spans = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < chars.len() {
        match boundary_at(&chars, i) {
            Some(end) => {
                push_trimmed(&chars, start, end, &mut spans);
                start = end;
                i = end.max(i + 1);
            }
            None => i += 1,
        }
    }
    push_trimmed(&chars, start, chars.len(), &mut spans);
    spans
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
    let prev = chars[..i].iter().rev().find(|c| !c.is_whitespace());
    if next == Some(&'\n') || next.is_none() {
        return true;
    }
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
        .take_while(|c| c.is_alphanumeric() || **c == '.')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .flat_map(|c| c.to_lowercase())
        .collect();
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    let initials = word.split('.').all(|p| p.chars().count() == 1);
    (letters >= 1 && initials) || ABBREVIATIONS.contains(&word.as_str())
}

fn push_trimmed(chars: &[char], start: usize, end: usize, spans: &mut Vec<(usize, usize)>) {
    let s = (start..end).find(|&k| !chars[k].is_whitespace());
    let e = (start..end).rev().find(|&k| !chars[k].is_whitespace());
    if let (Some(s), Some(e)) = (s, e) {
        if chars[s..=e].iter().any(|c| c.is_alphanumeric()) {
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
    chars: Vec<char>,
    mentions: &'a [Mention],
    lex: &'a EventLexicon,
    sentences: Vec<(usize, usize)>,
    triggers: Vec<Hit>,
    negations: Vec<Hit>,
    dates: Vec<DateMention>,
}

/// A trigger accepted for a sentence and the mention that locates it.
struct Located {
    hit: Hit,
    mention: usize,
}

/// Events of one article. `mentions` are the article's resolved place
/// mentions, sorted by start (char offsets into `article.text`);
/// [`Event::mention`] is an index into `mentions`. One event per
/// (type, sub-type, place, date) per article.
pub fn extract_events(article: &Article, mentions: &[Mention], lex: &EventLexicon) -> Vec<Event> {
    let folded = Folded::new(&article.text);
    let doc = Doc {
        article,
        chars: article.text.chars().collect(),
        mentions,
        lex,
        sentences: split_sentences(&article.text),
        triggers: lex.triggers.hits(&folded),
        negations: lex.negations.hits(&folded),
        dates: find_dates(&article.text, article.date),
    };
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for si in 0..doc.sentences.len() {
        for ev in doc.sentence_events(si) {
            let key = (
                ev.event_type.clone(),
                ev.sub_event_type.clone(),
                mentions[ev.mention].place,
                ev.date,
            );
            if seen.insert(key) {
                out.push(ev);
            }
        }
    }
    out
}

impl Doc<'_> {
    fn sentence_events(&self, si: usize) -> Vec<Event> {
        let (s, e) = self.sentences[si];
        let mut hits: Vec<Hit> = self
            .triggers
            .iter()
            .filter(|h| h.start >= s && h.end <= e && !self.negated(h, s))
            .copied()
            .collect();
        let places = self.places(si);
        if hits.is_empty() || places.is_empty() {
            return Vec::new();
        }
        hits.sort_by_key(|h| (std::cmp::Reverse(self.row(h).priority), h.start));
        self.locate(&hits, &places)
            .into_iter()
            .map(|l| self.event(si, &l))
            .collect()
    }

    fn row(&self, h: &Hit) -> &Trigger {
        &self.lex.trigger_rows[h.phrase]
    }

    /// Mentions inside sentence `si`; if none, the last mention of the
    /// previous sentence when it is in the same paragraph.
    fn places(&self, si: usize) -> Vec<usize> {
        let (s, e) = self.sentences[si];
        let inside: Vec<usize> = (0..self.mentions.len())
            .filter(|&m| self.mentions[m].start >= s && self.mentions[m].end <= e)
            .collect();
        if !inside.is_empty() || si == 0 {
            return inside;
        }
        let (ps, pe) = self.sentences[si - 1];
        if self.chars[pe..s].contains(&'\n') {
            return Vec::new();
        }
        let last = (0..self.mentions.len())
            .rev()
            .find(|&m| self.mentions[m].start >= ps && self.mentions[m].end <= pe);
        last.into_iter().collect()
    }

    /// True when a negation cue governs the trigger: a sentence-scoped cue
    /// anywhere before it, or a clause-scoped one a few words before it with
    /// no clause break between.
    fn negated(&self, h: &Hit, sentence_start: usize) -> bool {
        self.negations
            .iter()
            .filter(|n| n.start >= sentence_start && n.end <= h.start)
            .any(|n| match self.lex.scopes[n.phrase] {
                Scope::Sentence => true,
                Scope::Clause => {
                    let between: String = self.chars[n.end..h.start].iter().collect();
                    between.split_whitespace().count() <= WINDOW_WORDS
                        && !between.contains([',', '،', ';', '؛', ':'])
                }
            })
    }

    /// Chooses the triggers that make events and where each is located.
    /// The highest-priority trigger always does; another one of a different
    /// type does only when it opens its own clause and the place nearest to
    /// it is not the one nearest to an accepted trigger.
    fn locate(&self, hits: &[Hit], places: &[usize]) -> Vec<Located> {
        let mut accepted: Vec<Hit> = vec![hits[0]];
        for h in &hits[1..] {
            if self.separate(h, &accepted, places) {
                accepted.push(*h);
            }
        }
        let multi = accepted.len() > 1;
        accepted
            .iter()
            .filter_map(|h| {
                let own: Vec<usize> = if multi {
                    places
                        .iter()
                        .copied()
                        .filter(|&m| self.nearest_hit(m, &accepted) == Some(h.start))
                        .collect()
                } else {
                    places.to_vec()
                };
                let mention = self.best_place(h, &own)?;
                Some(Located { hit: *h, mention })
            })
            .collect()
    }

    fn separate(&self, h: &Hit, accepted: &[Hit], places: &[usize]) -> bool {
        let mine = self.nearest_place(h, places);
        accepted.iter().all(|a| {
            !self.same_type(a, h)
                && self.clause_break(a, h)
                && mine.is_some()
                && mine != self.nearest_place(a, places)
                && mine.is_some_and(|m| {
                    let span = (self.mentions[m].start, self.mentions[m].end);
                    distance(span, (h.start, h.end)) < distance(span, (a.start, a.end))
                })
        })
    }

    fn same_type(&self, a: &Hit, b: &Hit) -> bool {
        let (ra, rb) = (self.row(a), self.row(b));
        ra.event_type == rb.event_type && ra.sub_event_type == rb.sub_event_type
    }

    /// True when a clause boundary lies between two triggers: a comma or
    /// semicolon, فيما/بينما/while, or a conjunction opening the later one.
    fn clause_break(&self, a: &Hit, b: &Hit) -> bool {
        let (first, second) = if a.start < b.start { (a, b) } else { (b, a) };
        if second.conj {
            return true;
        }
        let between: String = self.chars[first.end.min(second.start)..second.start]
            .iter()
            .collect();
        let words: Vec<String> = between.split_whitespace().map(fold).collect();
        between.contains([',', '،', ';', '؛'])
            || words.iter().any(|w| {
                ["فيما", "بينما", "وفيما", "وبينما", "while", "whereas"].contains(&w.as_str())
            })
            || words.last().is_some_and(|w| w == "و" || w == "and")
    }

    fn nearest_place(&self, h: &Hit, places: &[usize]) -> Option<usize> {
        places.iter().copied().min_by_key(|&m| {
            let span = (self.mentions[m].start, self.mentions[m].end);
            distance(span, (h.start, h.end))
        })
    }

    /// The start of the accepted trigger nearest to mention `m`.
    fn nearest_hit(&self, m: usize, accepted: &[Hit]) -> Option<usize> {
        let span = (self.mentions[m].start, self.mentions[m].end);
        accepted
            .iter()
            .min_by_key(|h| distance(span, (h.start, h.end)))
            .map(|h| h.start)
    }

    /// The most specific place, the nearest to the trigger among equals.
    fn best_place(&self, h: &Hit, places: &[usize]) -> Option<usize> {
        places.iter().copied().min_by_key(|&m| {
            let mm = &self.mentions[m];
            (
                rank(mm.kind),
                distance((mm.start, mm.end), (h.start, h.end)),
            )
        })
    }

    /// The date written nearest the trigger in the sentence, else the
    /// publication date.
    fn date(&self, si: usize, h: &Hit) -> (Option<NaiveDate>, DatePrecision) {
        let (s, e) = self.sentences[si];
        self.dates
            .iter()
            .filter(|d| d.start >= s && d.end <= e)
            .min_by_key(|d| distance((d.start, d.end), (h.start, h.end)))
            .map_or((self.article.date, DatePrecision::Article), |d| {
                (Some(d.date), d.precision)
            })
    }

    fn event(&self, si: usize, l: &Located) -> Event {
        let (s, e) = self.sentences[si];
        let (date, date_precision) = self.date(si, &l.hit);
        let sentence: String = self.chars[s..e].iter().collect();
        let m = &self.mentions[l.mention];
        let row = self.row(&l.hit);
        Event {
            mention: l.mention,
            date,
            date_precision,
            event_type: row.event_type.clone(),
            sub_event_type: row.sub_event_type.clone(),
            actors: find_actors_on(&sentence, self.lex, date),
            geo_precision: if m.near || m.countryside {
                2
            } else {
                m.kind.geo_precision()
            },
            sentence_start: s,
            sentence_end: e,
        }
    }
}
