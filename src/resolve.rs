//! Stage 4 — resolve: choose one place per tagged span, with a confidence.
//!
//! Most of the work is saying no. Each candidate of a span gets a score from
//! priors (kind, population), the words around it (`محافظة X`, `قرية X`,
//! `X province`, `قرب X`, `ريف X`), the area the text puts it in
//! (`X في ريف دير الزور`, `X in Hasakah province`) and the other places of the
//! article (near an unambiguous place, inside an area the article names).
//! Names that are also ordinary words (`needs_context`) and small villages
//! are accepted only with such evidence. One reading per name per article,
//! unless a cue says otherwise.

use rustc_hash::FxHashMap as HashMap;

use crate::error::{Error, Result};
use crate::gazetteer::{Gazetteer, Place};
use crate::geometry::{chord_km, haversine_km, squared_chord, unit_vector};
use crate::model::{Kind, Mention};
use crate::normalise::{fold, is_word_char, Folded};
use crate::tag::{Span, Tagger};

/// The most place names read together, as one context (many more than an
/// article has); a longer text is resolved in blocks of this many.
pub const MAX_CONTEXT_SPANS: usize = 256;

const CUES_TSV: &str = include_str!("../gazetteer/lexicon/cues.tsv");
const COMMON_WORDS: &str = include_str!("../gazetteer/lexicon/common_words.txt");

/// What a context word says about the name next to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Effect {
    /// The name is of one of these kinds (`محافظة`, `village of`).
    Kind,
    /// Somewhere near the place, not at it (`قرب`, `east of`).
    Near,
    /// The countryside around a town or area (`ريف`, `countryside`).
    Countryside,
    /// The name is a person's (`المواطنة ربيعة`, `Mr`): not a place at all.
    Person,
}

#[derive(Debug, Clone)]
struct Cue {
    folded: String,
    before: bool,
    effect: Effect,
    kinds: Vec<Kind>,
}

/// Chooses places for spans. Build once, share across threads.
#[derive(Debug)]
pub struct Resolver {
    cues: Vec<Cue>,
    /// Cue numbers by the word a text must end (before cues) or start
    /// (after cues) with for the cue to match, so that each name looks at
    /// a handful of cues, not all of them.
    cue_index: CueIndex,
    /// Ordinary words that are also place names, folded, with and without ال.
    ordinary: rustc_hash::FxHashSet<String>,
}

/// Per-span working state.
#[derive(Debug, Clone, Default)]
struct Ctx {
    kind_cue: Option<Vec<Kind>>,
    /// The kind cue came from the words around this span (not inherited).
    own_cue: bool,
    near: bool,
    countryside: bool,
    /// Index of a following span that names the area this one lies in.
    container: Option<usize>,
    /// Neighbouring spans of the same list (`هجين والسوسة والباغوز`).
    list_peers: Vec<usize>,
    /// A span that names the same place (`Qahtaniyah (Tirbespî)`).
    alias: Option<usize>,
    /// The name as matched, folded, without clitics.
    name: String,
    /// The name as matched is an ordinary word (`تلك`, `حول`, `Hit`).
    ordinary: bool,
    /// An ordinary word right before another name: the head of that
    /// place's name ("جزيرة بيجي", the Baiji island area), not a place.
    head_of_name: bool,
    /// Written like a feminine adjective (`سورية`, `تركية` after a noun):
    /// a country only after a preposition or with a clitic.
    adjective_form: bool,
    /// A word of place stands right before the name (`في`, `قرب`, `طريق`,
    /// the clitic ب, `in`, `near`): the text uses it as a place.
    locative: bool,
    /// A word for a person stands before it (`المواطنة ربيعة خلف`).
    person: bool,
}

impl Resolver {
    /// The resolver with the bundled context cues.
    pub fn new() -> Result<Resolver> {
        Resolver::from_tsv(CUES_TSV, "gazetteer/lexicon/cues.tsv")
    }

    /// A resolver with cues from TSV text (`cue, lang, position, effect, kinds`).
    pub fn from_tsv(tsv: &str, origin: &str) -> Result<Resolver> {
        let mut cues = Vec::new();
        for (n, line) in tsv.lines().enumerate().skip(1) {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            cues.push(
                parse_cue(line)
                    .map_err(|e| Error::Data(format!("{origin}: line {}: {e}", n + 1)))?,
            );
        }
        // Longest first, so "شمال شرق" wins over "شرق".
        let ordinary = COMMON_WORDS
            .lines()
            .map(|l| l.split('#').next().unwrap_or("").trim())
            .filter(|l| !l.is_empty())
            .map(fold)
            .collect();
        cues.sort_by(|a, b| {
            b.folded
                .len()
                .cmp(&a.folded.len())
                .then(a.folded.cmp(&b.folded))
        });
        let cue_index = CueIndex::new(&cues);
        Ok(Resolver {
            cues,
            cue_index,
            ordinary,
        })
    }

    /// Resolves every span of one article to at most one place.
    pub fn resolve(
        &self,
        gaz: &Gazetteer,
        tagger: &Tagger,
        folded: &Folded,
        original: &[char],
        spans: &[Span],
    ) -> Vec<Mention> {
        // Every name is read in the light of every other, which costs the
        // square of their number: a text with more names than any article
        // has (a scraped list, a whole site in one file) is read in blocks.
        spans
            .chunks(MAX_CONTEXT_SPANS)
            .flat_map(|block| self.resolve_block(gaz, tagger, folded, original, block))
            .collect()
    }

    fn resolve_block(
        &self,
        gaz: &Gazetteer,
        tagger: &Tagger,
        folded: &Folded,
        original: &[char],
        spans: &[Span],
    ) -> Vec<Mention> {
        let ctx = self.contexts(folded.as_str(), spans, gaz, tagger);
        let cands: Vec<Vec<u32>> = spans
            .iter()
            .zip(&ctx)
            .map(|(s, c)| filter_by_cue(&with_cue_only(tagger, s, c, gaz), c, gaz))
            .collect();
        let anchors = anchors(&cands, &ctx, gaz);
        let mut chosen: Vec<Option<(u32, f32)>> = (0..spans.len())
            .map(|i| choose(i, &cands, &ctx, &anchors, gaz))
            .collect();
        one_reading_per_name(folded.as_str(), spans, &ctx, &cands, &mut chosen);
        let hay = folded.as_str();
        let speaks: Vec<bool> = (0..spans.len())
            .map(|i| stands_for_government(hay, spans, &ctx, &chosen, i, gaz))
            .collect();
        for (ch, speaks) in chosen.iter_mut().zip(speaks) {
            if speaks {
                *ch = None;
            }
        }
        spans
            .iter()
            .zip(&ctx)
            .zip(chosen)
            .filter_map(|((s, c), ch)| {
                let (place, confidence) = ch?;
                Some(Mention {
                    start: s.start,
                    end: s.end,
                    surface: original[s.start..s.end].iter().collect(),
                    place,
                    kind: gaz.place(place).kind,
                    confidence,
                    near: c.near,
                    countryside: c.countryside,
                    point: None,
                })
            })
            .collect()
    }

    fn contexts(&self, hay: &str, spans: &[Span], gaz: &Gazetteer, tagger: &Tagger) -> Vec<Ctx> {
        let mut out: Vec<Ctx> = Vec::with_capacity(spans.len());
        for (i, s) in spans.iter().enumerate() {
            let mut c = Ctx::default();
            for cue in self.cues_at(hay, s) {
                match cue.effect {
                    Effect::Kind => {
                        if c.kind_cue.is_none() {
                            c.kind_cue = Some(cue.kinds.clone());
                            c.own_cue = true;
                        }
                    }
                    Effect::Near => c.near = true,
                    Effect::Person => c.person = true,
                    Effect::Countryside => {
                        c.countryside = true;
                        if c.kind_cue.is_none() {
                            c.kind_cue = Some(cue.kinds.clone());
                            c.own_cue = true;
                        }
                    }
                }
            }
            if c.kind_cue.is_none() && i > 0 && is_list_gap(&hay[spans[i - 1].fend..s.fstart]) {
                // "محافظات الحسكة ودير الزور وحمص": the cue covers the whole list.
                c.kind_cue = out[i - 1].kind_cue.clone();
            }
            c.container = container_of(hay, spans, i, gaz, tagger);
            c.adjective_form = adjective_form(hay, s);
            c.name = hay[s.name_fstart..s.fend].to_string();
            c.ordinary = self.is_ordinary(&c.name);
            c.head_of_name = c.ordinary
                && spans.get(i + 1).is_some_and(|n| {
                    // Not "الزهور والطلائع": a list.
                    n.fstart == n.name_fstart && n.fstart >= s.fend && &hay[s.fend..n.fstart] == " "
                });
            c.locative = locative(hay, s);
            out.push(c);
        }
        link_neighbours(hay, spans, &mut out);
        out
    }

    /// True when `name` (folded) is an ordinary word, with or without ال.
    fn is_ordinary(&self, name: &str) -> bool {
        let bare = name.strip_prefix("ال").unwrap_or(name);
        self.ordinary.contains(name)
            || self.ordinary.contains(bare)
            || self.ordinary.contains(&format!("ال{bare}"))
    }

    /// The cues right before and right after a span.
    fn cues_at<'a>(&'a self, hay: &str, s: &Span) -> Vec<&'a Cue> {
        let before = trim_end_punct(&hay[..s.fstart]);
        let after = trim_start_punct(&hay[s.fend..]);
        let mut found: Vec<&Cue> = Vec::new();
        for cue in self
            .cue_index
            .candidates(before, after)
            .map(|i| &self.cues[i])
        {
            let hit = if cue.before {
                ends_with_word(before, &cue.folded)
            } else if cue.effect == Effect::Person {
                // A given name right after it, with nothing between ("Rabia
                // Hassan"): "Rabia, Hassan said" is still the town.
                hay[s.fend..]
                    .strip_prefix(' ')
                    .is_some_and(|a| starts_with_word(a, &cue.folded))
            } else {
                starts_with_word(after, &cue.folded)
            };
            if hit
                && !found
                    .iter()
                    .any(|f| f.before == cue.before && f.effect == cue.effect)
            {
                found.push(cue);
            }
        }
        // "قرب مدينة البوكمال", "east of the town of X": a near or
        // countryside word before the kind word still applies to the name.
        let kind_word = found
            .iter()
            .find(|c| c.before && c.effect == Effect::Kind)
            .map(|c| c.folded.clone());
        if let Some(k) = kind_word {
            let rest = before
                .strip_suffix(k.as_str())
                .map(|r| trim_end_punct(r.trim_end_matches(['و', 'ب', 'ل'])))
                .unwrap_or("");
            let rest = rest
                .strip_suffix(" the")
                .map(trim_end_punct)
                .unwrap_or(rest);
            for cue in self
                .cue_index
                .candidates(rest, "")
                .map(|i| &self.cues[i])
                .filter(|c| c.before && c.effect != Effect::Kind)
            {
                if ends_with_word(rest, &cue.folded)
                    && !found.iter().any(|f| f.effect == cue.effect)
                {
                    found.push(cue);
                }
            }
        }
        found
    }
}

fn parse_cue(line: &str) -> std::result::Result<Cue, String> {
    let cols: Vec<&str> = line.split('\t').collect();
    if cols.len() < 4 {
        return Err("needs the columns cue, lang, position, effect, kinds".into());
    }
    let before = match cols[2] {
        "before" => true,
        "after" => false,
        p => return Err(format!("position `{p}` must be `before` or `after`")),
    };
    let effect = match cols[3] {
        "kind" => Effect::Kind,
        "near" => Effect::Near,
        "countryside" => Effect::Countryside,
        "person" => Effect::Person,
        e => {
            return Err(format!(
                "effect `{e}` must be kind, near, countryside or person"
            ))
        }
    };
    let kinds = cols
        .get(4)
        .unwrap_or(&"")
        .split(',')
        .filter(|k| !k.trim().is_empty())
        .map(|k| Kind::parse(k.trim()).ok_or_else(|| format!("unknown kind `{k}`")))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    Ok(Cue {
        folded: fold(cols[0]),
        before,
        effect,
        kinds,
    })
}

fn is_punct_gap(c: char) -> bool {
    !is_word_char(c) && !matches!(c, '.' | '!' | '?' | '؟' | '\n' | '؛' | ';')
}

fn trim_end_punct(s: &str) -> &str {
    s.trim_end_matches(is_punct_gap)
}

fn trim_start_punct(s: &str) -> &str {
    s.trim_start_matches(is_punct_gap)
}

/// Cue numbers by the last word of a before cue and the first word of an
/// after cue; a cue that starts or ends with a non-word character (or is
/// empty) is always tried.
#[derive(Debug, Default)]
struct CueIndex {
    before: HashMap<String, Vec<usize>>,
    after: HashMap<String, Vec<usize>>,
    always: Vec<usize>,
}

impl CueIndex {
    fn new(cues: &[Cue]) -> CueIndex {
        let mut index = CueIndex::default();
        for (i, c) in cues.iter().enumerate() {
            // `last_word` is a suffix of the cue and `first_word` a prefix.
            let key = if c.before {
                last_word(&c.folded)
            } else {
                first_word(&c.folded)
            };
            match key {
                Some(w) if c.before => index.before.entry(w.to_string()).or_default().push(i),
                Some(w) => index.after.entry(w.to_string()).or_default().push(i),
                None => index.always.push(i),
            }
        }
        index
    }

    /// In cue order, the cues that may match between text that ends with
    /// `before` and text that starts with `after`. A before cue matches only
    /// when `before` ends with its last word, perhaps behind a clitic
    /// (`وقرب`); an after cue only when `after` starts with its first word.
    fn candidates(&self, before: &str, after: &str) -> impl Iterator<Item = usize> {
        let mut out = self.always.clone();
        if let Some(w) = last_word(before) {
            let bare = CUE_CLITICS.iter().filter_map(|c| w.strip_prefix(c));
            for k in std::iter::once(w).chain(bare) {
                out.extend(self.before.get(k).into_iter().flatten());
            }
        }
        if let Some(w) = first_word(after) {
            out.extend(self.after.get(w).into_iter().flatten());
        }
        out.sort_unstable();
        out.dedup();
        out.into_iter()
    }
}

/// Byte offset where the trailing run of word characters of `s` starts.
fn word_start(s: &str) -> usize {
    s.char_indices()
        .rev()
        .take_while(|(_, c)| is_word_char(*c))
        .last()
        .map_or(s.len(), |(i, _)| i)
}

/// The trailing run of word characters, if any.
fn last_word(s: &str) -> Option<&str> {
    Some(&s[word_start(s)..]).filter(|w| !w.is_empty())
}

/// The leading run of word characters, if any.
fn first_word(s: &str) -> Option<&str> {
    let end = s
        .char_indices()
        .find(|(_, c)| !is_word_char(*c))
        .map_or(s.len(), |(i, _)| i);
    Some(&s[..end]).filter(|w| !w.is_empty())
}

/// Clitics that may stand before a before cue (`بمدينة`, `وبلدة`).
const CUE_CLITICS: [&str; 6] = ["وب", "ول", "و", "ب", "ل", "ف"];

/// `hay` ends with the word(s) `w`, possibly with a one- or two-letter clitic
/// (`بمدينة`, `وبلدة`).
fn ends_with_word(hay: &str, w: &str) -> bool {
    let Some(rest) = hay.strip_suffix(w) else {
        return false;
    };
    let rest = CUE_CLITICS
        .iter()
        .find_map(|c| {
            rest.strip_suffix(c)
                .filter(|r| !r.chars().next_back().is_some_and(is_word_char))
        })
        .unwrap_or(rest);
    !rest.chars().next_back().is_some_and(is_word_char)
}

fn starts_with_word(hay: &str, w: &str) -> bool {
    hay.strip_prefix(w)
        .is_some_and(|r| !r.chars().next().is_some_and(is_word_char))
}

/// Marks list members and aliases among neighbouring spans.
fn link_neighbours(hay: &str, spans: &[Span], ctx: &mut [Ctx]) {
    for i in 1..spans.len() {
        let gap = &hay[spans[i - 1].fend..spans[i].fstart];
        if is_list_gap(gap) {
            ctx[i].list_peers.push(i - 1);
            ctx[i - 1].list_peers.push(i);
        } else if matches!(gap.trim(), "(" | "/" | "or" | "او" | "،" | ",") && is_alias_gap(gap)
        {
            ctx[i].alias = Some(i - 1);
            ctx[i - 1].alias = Some(i);
        }
    }
}

/// `X (Y)` and `X / Y` name one place twice.
fn is_alias_gap(gap: &str) -> bool {
    matches!(gap.trim(), "(" | "/")
}

/// Prepositions after which a name ending in ية is a noun (`في سورية`).
const PREPOSITIONS: [&str; 14] = [
    "في",
    "من",
    "الي",
    "علي",
    "عن",
    "مع",
    "بين",
    "داخل",
    "خارج",
    "نحو",
    "حدود",
    "تجاه",
    "عبر",
    "اراضي",
];

fn adjective_form(hay: &str, s: &Span) -> bool {
    let name = &hay[s.name_fstart..s.fend];
    if !name.ends_with("يه") || s.name_fstart > s.fstart {
        return false;
    }
    let prev = hay[..s.fstart]
        .split(|c: char| !is_word_char(c))
        .rfind(|w| !w.is_empty())
        .unwrap_or("");
    !PREPOSITIONS.contains(&prev)
}

/// Only a list separator between two spans: `،`, `,`, `و`, `and`, `or`.
fn is_list_gap(gap: &str) -> bool {
    let g = gap.trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, '،' | ',' | '"' | '“' | '”' | '«' | '»')
    });
    // Lists, and routes ("من حديثة إلى عنه ثم القائم", "from X to Y").
    matches!(
        g,
        "" | "and" | "or" | "او" | "و" | "الي" | "ثم" | "to" | "then" | "and then"
    )
}

/// Words between two names that put the first inside the second
/// (folded: `X في ريف Y`, `X التابعة لمحافظة Y`, `X, east of Y`, `X in Y`).
const CONTAINMENT_WORDS: [&str; 31] = [
    "في",
    "ضمن",
    "التابعه",
    "التابع",
    "ريف",
    "بريف",
    "لريف",
    "غرب",
    "شرق",
    "شمال",
    "جنوب",
    "غربي",
    "شرقي",
    "شمالي",
    "جنوبي",
    "بمحافظه",
    "محافظه",
    "لمحافظه",
    "قضاء",
    "بقضاء",
    "ناحيه",
    "بناحيه",
    "منطقه",
    "بمنطقه",
    "in",
    "of",
    "near",
    "province",
    "countryside",
    "district",
    "outside",
];

/// A following span, close and in the same sentence, that names an area the
/// span may lie in: "X في ريف دير الزور", "X, east of Deir ez-Zor".
fn container_of(
    hay: &str,
    spans: &[Span],
    i: usize,
    gaz: &Gazetteer,
    tagger: &Tagger,
) -> Option<usize> {
    let next = spans.get(i + 1)?;
    let gap = &hay[spans[i].fend..next.fstart];
    if gap.len() > 48 || gap.contains(['.', '!', '?', '؟', '\n', '؛']) {
        return None;
    }
    let words = gap.split_whitespace().count();
    let linked = gap
        .split(|c: char| !is_word_char(c))
        .any(|w| CONTAINMENT_WORDS.contains(&w))
        || hay[next.fstart..next.name_fstart].ends_with('ب')
        || (gap.trim() == ","
            && !crate::normalise::is_arabic(hay[next.fstart..].chars().next().unwrap_or(' ')));
    if !linked {
        // "الحسكة ودير الزور" is a list, not one inside the other.
        return None;
    }
    let arealike = tagger.candidates(next).iter().any(|&c| {
        matches!(
            gaz.place(c).kind,
            Kind::Governorate | Kind::District | Kind::Subdistrict | Kind::City | Kind::Region
        )
    });
    (arealike && words <= 5).then_some(i + 1)
}

/// The span's candidates, plus those named with a kind word when the text
/// has a cue of that kind (`معبر “البوكمال”` → the crossing).
fn with_cue_only(tagger: &Tagger, s: &Span, c: &Ctx, gaz: &Gazetteer) -> Vec<u32> {
    let mut out = tagger.candidates(s).to_vec();
    if let Some(kinds) = c.kind_cue.as_ref().filter(|_| c.own_cue) {
        out.extend(
            tagger
                .cue_only_candidates(s)
                .iter()
                .filter(|&&p| kinds.contains(&gaz.place(p).kind)),
        );
    }
    out
}

fn filter_by_cue(cands: &[u32], c: &Ctx, gaz: &Gazetteer) -> Vec<u32> {
    if let Some(kinds) = &c.kind_cue {
        let kept: Vec<u32> = cands
            .iter()
            .copied()
            .filter(|&p| kinds.contains(&gaz.place(p).kind))
            .collect();
        if !kept.is_empty() {
            return kept;
        }
    }
    cands.to_vec()
}

/// Points and areas the article names without doubt, as evidence for the rest.
struct Anchors {
    /// (span index, point on the unit sphere) of unambiguous point places.
    points: Vec<(usize, [f64; 3])>,
    /// (span index, place) of unambiguous areas.
    areas: Vec<(usize, u32)>,
}

fn anchors(cands: &[Vec<u32>], ctx: &[Ctx], gaz: &Gazetteer) -> Anchors {
    let mut a = Anchors {
        points: Vec::new(),
        areas: Vec::new(),
    };
    for (i, cs) in cands.iter().enumerate() {
        let Some(unique) = single_referent(cs, gaz) else {
            continue;
        };
        let p = gaz.place(unique);
        if needs_context(p, &ctx[i]) && !ctx[i].own_cue {
            continue;
        }
        // A small village is evidence only once something else vouches for
        // it; otherwise ordinary words that are village names (تحت، الركن)
        // would vouch for each other.
        if is_small_village(p) && !ctx[i].own_cue {
            continue;
        }
        match p.kind {
            Kind::Governorate | Kind::District | Kind::Subdistrict | Kind::Region => {
                a.areas.push((i, unique))
            }
            Kind::Country | Kind::Border | Kind::River | Kind::Mountain => {}
            _ => a.points.push((i, unit_vector(p.lon, p.lat))),
        }
    }
    a
}

/// Words before a name that use it as a place, folded.
static LOCATIVE_WORDS: std::sync::LazyLock<rustc_hash::FxHashSet<String>> =
    std::sync::LazyLock::new(|| {
        [
            "في",
            "وفي",
            "من",
            "ومن",
            "إلى",
            "وإلى",
            "الى",
            "قرب",
            "بالقرب",
            "نحو",
            "باتجاه",
            "عند",
            "حتى",
            "داخل",
            "طريق",
            "أطراف",
            "محيط",
            "بمحيط",
            "ضواحي",
            "in",
            "at",
            "near",
            "from",
            "to",
            "into",
            "towards",
            "toward",
            "outside",
            "around",
            "road",
        ]
        .iter()
        .map(|w| fold(w))
        .collect()
    });

/// True when the name is used as a place: a locative word right before it
/// (`في`, `قرب`, `in`), or the clitic ب ("in") on it (`بالميادين`).
fn locative(hay: &str, s: &Span) -> bool {
    if hay[s.fstart..s.name_fstart].contains('ب') {
        return true;
    }
    words_before(hay, s)
        .next()
        .is_some_and(|w| LOCATIVE_WORDS.contains(w))
}

/// The words before span `s`, nearest first (folded, punctuation before
/// the name trimmed).
fn words_before<'h>(hay: &'h str, s: &Span) -> impl Iterator<Item = &'h str> {
    trim_end_punct(&hay[..s.fstart])
        .rsplit(' ')
        .filter(|w| !w.is_empty())
}

/// Capitals (city, and the units named like it) that stand for their
/// governments when the text does not use them as places.
const CAPITALS: [&str; 15] = [
    "sy-c1001",
    "sy-adm1-sy01",
    "sy-adm2-sy0100",
    "sy-adm3-sy010000",
    "wof-421178393",
    "iq-adm1-iqg08",
    "cur-amman",
    "cur-ankara",
    "cur-beirut",
    "cur-cairo",
    "cur-kuwait-city",
    "cur-moscow",
    "cur-riyadh",
    "cur-tehran",
    "cur-washington",
];

fn is_capital(gaz: &Gazetteer, place: Option<(u32, f32)>) -> bool {
    place.is_some_and(|(p, _)| CAPITALS.contains(&gaz.place(p).id.as_str()))
}

/// True when span `i`, read as a capital, is its government: "backed by
/// Tehran", "فصائل مدعومة من أنقرة", "وهو ما نفته دمشق", "بين أنقرة ودمشق
/// وبغداد". A capital is a place after a word of place ("في دمشق", "to
/// Baghdad", but not "مدعومة من"), with a kind word ("العاصمة دمشق"), at
/// the head of a paragraph (a dateline), or in a list with a place that is
/// no capital or is used as one ("في بغداد وأربيل", "بغداد والأنبار").
fn stands_for_government(
    hay: &str,
    spans: &[Span],
    ctx: &[Ctx],
    chosen: &[Option<(u32, f32)>],
    i: usize,
    gaz: &Gazetteer,
) -> bool {
    if !is_capital(gaz, chosen[i]) {
        return false;
    }
    let used_as_place = |k: usize| {
        let c = &ctx[k];
        (c.locative && !backed_by(hay, &spans[k]))
            || c.own_cue
            || placed(hay, &spans[k])
            || dateline(hay, &spans[k])
    };
    if used_as_place(i) {
        return false;
    }
    !ctx[i]
        .list_peers
        .iter()
        .any(|&k| chosen[k].is_some() && (!is_capital(gaz, chosen[k]) || used_as_place(k)))
}

/// Words before a capital that place something by it or name it a city:
/// "شمالي بغداد", "north of Baghdad", "العاصمة بغداد", "the capital Damascus".
const PLACING_WORDS: [&str; 20] = [
    "شمال",
    "جنوب",
    "شرق",
    "غرب",
    "شمالي",
    "جنوبي",
    "شرقي",
    "غربي",
    "العاصمه",
    "عاصمه",
    "بالعاصمه",
    "capital",
    "north",
    "south",
    "east",
    "west",
    "outskirts",
    "suburbs",
    "streets",
    "ريف",
];

/// True when a word of [`PLACING_WORDS`] stands before the name, directly
/// or before "of" ("north of Baghdad").
fn placed(hay: &str, s: &Span) -> bool {
    let mut words = words_before(hay, s);
    let w = words.next().unwrap_or("");
    let w = if w == "of" {
        words.next().unwrap_or("")
    } else {
        w
    };
    PLACING_WORDS.contains(&w.trim_start_matches('و'))
}

/// "مدعومة من", "بدعم من", "المدعومة من": the من before the name is "by".
fn backed_by(hay: &str, s: &Span) -> bool {
    let mut words = words_before(hay, s);
    words.next().is_some_and(|w| w == "من" || w == "ومن")
        && words.next().is_some_and(|w| {
            let w = w.trim_start_matches(['و', 'ب', 'ف']);
            w.starts_with("مدعوم") || w.starts_with("المدعوم") || w == "دعم"
        })
}

/// The name opens its paragraph (or the text): a dateline ("بغداد – واع",
/// "BAGHDAD (AP) —").
fn dateline(hay: &str, s: &Span) -> bool {
    // At most one word before it on its line: "WASHINGTON/BAGHDAD, Feb 3".
    let line = hay[..s.fstart].rsplit('\n').next().unwrap_or("");
    line.split([' ', '/', '\t'])
        .filter(|w| !w.is_empty())
        .count()
        <= 1
        && !line.contains([',', '،', '.'])
}

/// The place's own Arabic name without a kind word and without ال, when
/// it has the article: `ناحية العلم` → `علم`.
fn primary_without_article(p: &Place) -> Option<String> {
    let f = fold(&p.name_ar);
    let f = [
        "ناحيه ",
        "قضاء ",
        "محافظه ",
        "مدينه ",
        "بلده ",
        "قريه ",
        "مركز ",
    ]
    .iter()
    .find_map(|k| f.strip_prefix(k))
    .unwrap_or(&f);
    f.strip_prefix("ال").map(str::to_string)
}

fn is_small_village(p: &Place) -> bool {
    p.kind == Kind::Village && p.population.unwrap_or(0) < 5_000
}

/// The one place a candidate list means, when all its candidates are the
/// same referent (a town, its district and sub-district, within 40 km):
/// the most important of them.
fn single_referent(cs: &[u32], gaz: &Gazetteer) -> Option<u32> {
    let first = *cs.first()?;
    let all_related = cs.iter().all(|&c| related(gaz.place(first), gaz.place(c)));
    if !all_related {
        return None;
    }
    cs.iter().copied().max_by(|&a, &b| {
        let (pa, pb) = (gaz.place(a), gaz.place(b));
        (kind_prior(pa.kind) + pop_bonus(pa))
            .total_cmp(&(kind_prior(pb.kind) + pop_bonus(pb)))
            .then(b.cmp(&a))
    })
}

/// Two candidates that stand for one referent: close together, of the same country.
fn related(a: &Place, b: &Place) -> bool {
    a.country == b.country && haversine_km((a.lon, a.lat), (b.lon, b.lat)) < 40.0
}

fn kind_prior(k: Kind) -> f32 {
    match k {
        Kind::Border => 0.75,
        Kind::Country | Kind::City => 0.6,
        Kind::Governorate => 0.55,
        Kind::Crossing | Kind::Camp | Kind::Base | Kind::River | Kind::Region => 0.5,
        Kind::Town | Kind::Infrastructure | Kind::Mountain => 0.45,
        // Below the town they are named after: bare "ربيعة" is the town.
        Kind::District => 0.32,
        Kind::Subdistrict => 0.28,
        Kind::Village | Kind::Coordinate => 0.2,
    }
}

/// Importance from population, for settlements only: an area's population
/// is a sum over its towns and would make every governorate beat its capital.
fn pop_bonus(p: &Place) -> f32 {
    if p.kind.is_area() {
        return 0.0;
    }
    p.population
        .map(|n| (((n.max(1) as f32).log10() - 3.0).clamp(0.0, 3.5)) * 0.07)
        .unwrap_or(0.0)
}

/// The place is flagged as also an ordinary word (`needs_context`) and the
/// name matched is in the script where it is one: "هجين" (hybrid) needs
/// context, "Hajin" written in Latin letters does not, unless the matched
/// name itself is on the stop-list.
fn needs_context(p: &Place, ctx: &Ctx) -> bool {
    p.needs_context
        && (ctx.ordinary
            || !ctx
                .name
                .chars()
                .find(|c| c.is_alphabetic())
                .is_some_and(|c| c.is_ascii()))
}

/// Is place `p` inside the area named by span `area_span`'s candidates?
fn inside_any(pi: u32, area_cands: &[u32], gaz: &Gazetteer) -> bool {
    area_cands.iter().any(|&a| inside(pi, a, gaz))
}

/// True when place `pi` lies in area `a` (by its admin names, else the
/// area's polygon); for a city or town, within 120 km of it.
pub(crate) fn inside(pi: u32, a: u32, gaz: &Gazetteer) -> bool {
    let (p, area) = (gaz.place(pi), gaz.place(a));
    if pi == a {
        return false;
    }
    match area.kind {
        Kind::Governorate | Kind::District | Kind::Subdistrict | Kind::Region | Kind::Country => {
            // The admin names first: the two countries' polygons overlap near
            // the border (OCHA Syria reaches over Faysh Khabur).
            gaz.in_admin_of(pi, a)
                || (area.country.split(',').any(|c| c == p.country)
                    && gaz.area_contains(a, p.lon, p.lat))
        }
        // "X, west of Mosul": directions from a city reach some way out.
        Kind::City | Kind::Town => haversine_km((p.lon, p.lat), (area.lon, area.lat)) < 120.0,
        _ => false,
    }
}

/// How much the text around a candidate speaks for it.
struct Evidence {
    score: f32,
    /// A cue of its kind, a containing area, or a resolved place within 40 km.
    strong: bool,
    /// The same without the nearby place: what the words around it say.
    vouched: bool,
    /// Listed with names that may be towns nearby (`هجين والسوسة`).
    listed: bool,
}

/// Evidence beyond priors for candidate `p` of span `i`.
fn evidence(
    i: usize,
    pi: u32,
    cands: &[Vec<u32>],
    ctx: &[Ctx],
    anchors: &Anchors,
    gaz: &Gazetteer,
) -> Evidence {
    let p = gaz.place(pi);
    let mut score = 0.0;
    let mut strong = false;
    if let Some(kinds) = &ctx[i].kind_cue {
        if kinds.contains(&p.kind) {
            score += if ctx[i].own_cue { 0.45 } else { 0.3 };
            strong = true;
        } else {
            score -= 0.3;
        }
    }
    if let Some(c) = ctx[i].container {
        let admin = cands[c].iter().any(|&a| gaz.place(a).kind.is_area());
        if inside_any(pi, &cands[c], gaz) {
            score += 0.4;
            strong = true;
        } else if admin && !p.kind.is_area() {
            score -= 0.3;
        }
    }
    if let Some(a) = ctx[i].alias {
        if cands[a].iter().any(|&c| related(p, gaz.place(c))) {
            score += 0.4;
            strong = true;
        }
    }
    // Towns listed together lie together: "هجين والسوسة والباغوز".
    let settled = matches!(p.kind, Kind::City | Kind::Town) || p.population.unwrap_or(0) >= 1_000;
    let listed = ctx[i].list_peers.iter().any(|&j| {
        cands[j].iter().any(|&c| {
            c != cands[i][0]
                && haversine_km((p.lon, p.lat), (gaz.place(c).lon, gaz.place(c).lat)) < 60.0
        })
    });
    if listed {
        score += 0.15;
        strong |= settled;
    }
    // Every candidate against every anchor: chords, one distance at the end.
    let at = unit_vector(p.lon, p.lat);
    let nearest = anchors
        .points
        .iter()
        .filter(|(j, _)| *j != i)
        .map(|(_, v)| squared_chord(&at, v))
        .reduce(f64::min)
        .map_or(f64::INFINITY, chord_km);
    score += match nearest {
        d if d < 15.0 => 0.35,
        d if d < 40.0 => 0.25,
        d if d < 100.0 => 0.12,
        d if d < 250.0 => 0.03,
        d if d.is_finite() => -0.05,
        _ => 0.0,
    };
    let vouched = strong;
    strong |= nearest < 40.0;
    if anchors
        .areas
        .iter()
        .any(|&(j, a)| j != i && inside(pi, a, gaz))
    {
        score += 0.15;
    }
    Evidence {
        score,
        strong,
        vouched,
        listed,
    }
}

/// Whether `pi` lies inside an area that another name of the article may
/// mean: weak evidence, asked for only for small villages (it tests every
/// candidate area of the article, so it is not computed for every place).
fn weakly_placed(i: usize, pi: u32, cands: &[Vec<u32>], gaz: &Gazetteer) -> bool {
    !gaz.place(pi).kind.is_area()
        && cands.iter().enumerate().any(|(j, cs)| {
            j != i
                && cs.iter().any(|&a| {
                    matches!(
                        gaz.place(a).kind,
                        Kind::Governorate | Kind::District | Kind::Subdistrict
                    ) && inside(pi, a, gaz)
                })
        })
}

fn choose(
    i: usize,
    cands: &[Vec<u32>],
    ctx: &[Ctx],
    anchors: &Anchors,
    gaz: &Gazetteer,
) -> Option<(u32, f32)> {
    let n = cands[i].len();
    let mut scored: Vec<(u32, f32)> = cands[i]
        .iter()
        .filter_map(|&c| {
            let p = gaz.place(c);
            if p.kind == Kind::Country && ctx[i].adjective_form {
                return None;
            }
            let ev = evidence(i, c, cands, ctx, anchors, gaz);
            // Words that are also place names need strong evidence; small
            // villages at least the article naming their area, unless the
            // name is one short word (تحت، واسعة، تلك are villages too).
            let name = &ctx[i].name;
            let one_word = !name.contains(' ');
            let short = one_word && name.chars().count() <= 5;
            // "علم" for the town العلم: press Arabic keeps the article, so a
            // bare one-word alias is more likely an ordinary word.
            let bare_alias = one_word
                && name.chars().next().is_some_and(crate::normalise::is_arabic)
                && !name.starts_with("ال")
                && primary_without_article(p).as_deref() == Some(name.as_str());
            // The matched name is an ordinary word, whatever the place's other names.
            let ordinary = ctx[i].ordinary
                && matches!(
                    p.kind,
                    Kind::Village | Kind::Town | Kind::Subdistrict | Kind::District
                );
            // A place nearby alone does not make an ordinary word a place
            // (in a frontier article some place is always nearby: "دفعة
            // جديدة", "تمشيط واسعة"); it does where the text uses the word
            // as a place ("في الهول").
            let used_as_place = ev.vouched || (ev.strong && ctx[i].locative);
            // A common word ("واسعة في ريف الحسكة": wide, in…) needs its own
            // kind word, or a place word before it, not just an area after it.
            let common_word = ctx[i].ordinary || (is_small_village(p) && short);
            let said_as_place = ctx[i].own_cue || ev.listed || (ev.strong && ctx[i].locative);
            if ctx[i].person
                || (ordinary && ctx[i].head_of_name)
                || ((needs_context(p, &ctx[i]) || bare_alias || ordinary) && !used_as_place)
                || (common_word && !said_as_place)
                || (is_small_village(p) && !ev.strong && !weakly_placed(i, c, cands, gaz))
            {
                return None;
            }
            let ev = ev.score;
            let unique = if n == 1 && !needs_context(p, &ctx[i]) {
                0.25
            } else {
                0.0
            };
            let frontier = if matches!(p.country.as_str(), "SY" | "IQ") {
                0.05
            } else {
                0.0
            };
            Some((
                c,
                kind_prior(p.kind) + pop_bonus(p) + ev + unique + frontier,
            ))
        })
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let (best, s1) = *scored.first()?;
    let rival = scored
        .iter()
        .skip(1)
        .find(|(c, _)| !related(gaz.place(best), gaz.place(*c)));
    let margin = rival.map(|&(_, s2)| s1 - s2).unwrap_or(1.0);
    Some((best, confidence(s1, margin)))
}

/// Maps a score and the margin over the runner-up to 0–1.
fn confidence(score: f32, margin: f32) -> f32 {
    let base = 1.0 / (1.0 + (-4.0 * (score - 0.45)).exp());
    let sure = 0.55 + 0.45 * (margin / 0.3).clamp(0.0, 1.0);
    (base * sure).clamp(0.05, 0.99)
}

/// Spans of the same name without a cue of their own take the article's
/// best reading of that name.
fn one_reading_per_name(
    hay: &str,
    spans: &[Span],
    ctx: &[Ctx],
    cands: &[Vec<u32>],
    chosen: &mut [Option<(u32, f32)>],
) {
    let name = |i: usize| &hay[spans[i].name_fstart..spans[i].fend];
    for i in 0..spans.len() {
        // A person's name stays a person's, whatever the place of that name.
        if ctx[i].own_cue || ctx[i].person {
            continue;
        }
        let best = (0..spans.len())
            .filter(|&j| name(j) == name(i))
            .filter_map(|j| chosen[j].filter(|(p, _)| cands[i].contains(p)))
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        if let (Some(b), Some(cur)) = (best, chosen[i]) {
            if b.0 != cur.0 {
                chosen[i] = Some(b);
            }
        } else if chosen[i].is_none() {
            chosen[i] = best;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index never leaves out a cue that matches: every cue, alone or
    /// behind a clitic, after other words or before them, is a candidate
    /// where the brute-force test over all cues says it matches.
    #[test]
    fn cue_index_keeps_every_matching_cue() {
        let r = Resolver::new().unwrap();
        let mut tried = 0;
        for (i, cue) in r.cues.iter().enumerate() {
            let texts = if cue.before {
                vec![
                    format!("قال {}", cue.folded),
                    format!("قال و{}", cue.folded),
                    format!("x, {}", cue.folded),
                ]
            } else {
                vec![format!("{} x", cue.folded), format!("{}، x", cue.folded)]
            };
            for t in texts {
                let (before, after) = if cue.before {
                    (t.as_str(), "")
                } else {
                    ("", t.as_str())
                };
                let matches = if cue.before {
                    ends_with_word(before, &cue.folded)
                } else {
                    starts_with_word(after, &cue.folded)
                };
                if matches {
                    tried += 1;
                    assert!(
                        r.cue_index.candidates(before, after).any(|c| c == i),
                        "cue {:?} left out for {t:?}",
                        cue.folded
                    );
                }
            }
        }
        assert!(tried > r.cues.len(), "only {tried} matching texts");
    }
}
