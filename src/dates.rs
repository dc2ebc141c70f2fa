//! Dates written in article text: explicit dates in both Arabic month
//! systems and English, relative days (أمس، اليوم، yesterday), weekdays and
//! years, each resolved against the publication date.
//!
//! Matching runs over folded text (so `آذار`/`اذار`, `أيار`/`ايار` and
//! Arabic-Indic digits all work) split into word tokens; spans are mapped
//! back to char offsets of the original text.
//!
//! ```
//! use bordermap::{find_dates, DatePrecision};
//! let pub_date = chrono::NaiveDate::from_ymd_opt(2021, 5, 2);
//! let d = find_dates("كشف مصدر، أمس السبت، وجود تنسيق", pub_date);
//! assert_eq!(d[0].date.to_string(), "2021-05-01");
//! assert_eq!(d[0].precision, DatePrecision::Day);
//! ```

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use crate::model::DatePrecision;
use crate::normalise::{is_word_char, Folded};

/// A date written in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMention {
    /// Char offset of the first char of the date expression.
    pub start: usize,
    /// Char offset one past the expression.
    pub end: usize,
    /// The date; the first of the month/year for coarser precisions.
    pub date: NaiveDate,
    pub precision: DatePrecision,
}

/// Dates written in `text` (char offsets into `text`), resolved against the
/// publication date. Forms that need the publication date (a day and month
/// without a year, أمس, weekdays) are skipped when `published` is `None`.
pub fn find_dates(text: &str, published: Option<NaiveDate>) -> Vec<DateMention> {
    find_dates_folded(text, &Folded::new(text), published)
}

/// [`find_dates`] over `text` already folded. Public (hidden) for the
/// stages bench, which times the scan apart from folding.
pub fn find_dates_folded(
    text: &str,
    folded: &Folded,
    published: Option<NaiveDate>,
) -> Vec<DateMention> {
    scan_dates(text, folded, published, true)
}

/// The scanner; `starts_nothing_unless_listed` false tries every token (for the test that the
/// prefilter never loses a date).
fn scan_dates(
    text: &str,
    folded: &Folded,
    published: Option<NaiveDate>,
    starts_nothing_unless_listed: bool,
) -> Vec<DateMention> {
    let toks = tokens(folded.as_str());
    let scan = Scan {
        toks: &toks,
        published,
    };
    let mut out: Vec<DateMention> = Vec::new();
    // The date a later "the same day" counts from: the last one told, but
    // not a "since Sunday" (the start of a span, not the day of the story).
    let mut anchor: Option<usize> = None;
    let mut cursor = CharCursor::new(text);
    // The last year written (its tokens' range): "in the summer of 2014,
    // seizing Mosul on June 10" is 10 June 2014.
    let mut year_told: Option<(i32, usize, usize)> = None;
    let mut i = 0;
    while i < toks.len() {
        let before = anchor.map(|a| &out[a]);
        // A day or the month of the date before ("17 من الشهر نفسه", "the
        // next day"), else an expression of its own; most words start none,
        // and a set look-up skips them.
        let from_before = || {
            day_of_before(&toks, i, before)
                .map(|(next, date)| (next, date.map(|d| (d, DatePrecision::Day))))
        };
        let found = match same_month(&toks, i, before) {
            Some((next, date, precision)) => Some((next, Some((date, precision)))),
            None if !starts_nothing_unless_listed => from_before().or_else(|| scan.at(i)),
            None => match could_start(&toks, i) {
                None => None,
                Some(Start::Relative) => from_before(),
                Some(_) => from_before().or_else(|| scan.at(i)),
            },
        };
        match found {
            Some((mut next, hit)) => {
                if let Some((mut date, precision)) = hit {
                    // "في 17 تشرين الأول من العام نفسه", "later that year".
                    if let Some(n) = same_year(&toks, next) {
                        if let Some(d) = before.and_then(|b| date.with_year(b.date.year())) {
                            date = d;
                        }
                        next += n;
                    }
                    match scan.year_in(i, next) {
                        Some(y) => year_told = Some((y, i, next)),
                        None => {
                            if let Some(d) = year_told
                                .filter(|&(y, _, _)| y < date.year())
                                .filter(|&(_, from, to)| {
                                    let gap = &folded.as_str()[toks[to - 1].end..toks[i].start];
                                    !gap.contains(['.', '!', '?', '؟', '\n'])
                                        && scan.year_reaches(from, to, i, next)
                                })
                                .and_then(|(y, _, _)| date.with_year(y))
                            {
                                date = d;
                            }
                        }
                    }
                    let (fs, fe) = (toks[i].start, toks[next - 1].end);
                    let (start, end) = folded.original_span(fs, fe);
                    // The surface is the original of its folded text and
                    // marks after it, and '(' folds to itself: without one
                    // there, there is nothing to close, and no walk over the
                    // original text to find the surface's bytes.
                    let end = if folded.as_str()[fs..fe].contains('(') {
                        close_bracket(text, &mut cursor, start, end)
                    } else {
                        end
                    };
                    let since = |k: usize| matches!(toks[k].text, "since" | "منذ" | "ومنذ");
                    if !(since(i) || i > 0 && since(i - 1)) {
                        anchor = Some(out.len());
                    }
                    out.push(DateMention {
                        start,
                        end,
                        date,
                        precision,
                    });
                }
                i = next;
            }
            None => i += 1,
        }
    }
    out
}

/// "17 من الشهر نفسه", "الشهر ذاته", "later that month", "the same month":
/// a day of (or the month of) the date written before. Returns the token
/// after the expression, the date and its precision.
fn same_month(
    toks: &[Tok],
    i: usize,
    before: Option<&DateMention>,
) -> Option<(usize, NaiveDate, DatePrecision)> {
    // Only a number, "same", "later" or a word ending in الشهر starts one:
    // a cheap test for every token.
    let first = toks[i].text;
    if !(first.starts_with(|c: char| c.is_ascii_digit())
        || matches!(first, "same" | "later")
        || first.ends_with("الشهر"))
    {
        return None;
    }
    let w = |k: usize| toks.get(k).map(|t| t.text);
    let month_at = |k: usize| {
        let m = w(k)?.trim_start_matches(['و', 'ف', 'ب', 'ل']);
        let same = matches!(w(k + 1), Some("نفسه" | "ذاته"));
        (m == "الشهر" && same).then_some(k + 2)
    };
    let english = match (w(i), w(i + 1), w(i + 2)) {
        (Some("same"), Some("month"), _) => Some(i + 2),
        (Some("later"), Some("that"), Some("month")) => Some(i + 3),
        _ => None,
    };
    let prev =
        before.filter(|d| matches!(d.precision, DatePrecision::Day | DatePrecision::Month))?;
    let first = prev.date.with_day(1)?;
    if let (Some(day), Some("من")) = (w(i).and_then(|d| d.parse::<u32>().ok()), w(i + 1)) {
        let next = month_at(i + 2)?;
        return Some((next, first.with_day(day)?, DatePrecision::Day));
    }
    let next = month_at(i).or(english)?;
    Some((next, first, DatePrecision::Month))
}

/// "من العام نفسه", "العام ذاته", "of the same year", "that year" at token
/// `i`, after a day or month: the tokens it takes.
fn same_year(toks: &[Tok], i: usize) -> Option<usize> {
    let w = |k: usize| toks.get(k).map(|t| t.text);
    let of = usize::from(matches!(w(i), Some("من" | "of")));
    let the = usize::from(w(i + of) == Some("the"));
    match (w(i + of + the)?, w(i + of + the + 1)) {
        ("العام" | "عام" | "السنه", Some("نفسه" | "ذاته")) => Some(of + 2),
        ("same" | "that", Some("year")) => Some(of + the + 2),
        _ => None,
    }
}

/// "اليوم نفسه", "في اليوم التالي", "بعد ذلك بيومين", "the same day", "the
/// next day", "two days later", "hours later": a day counted from the date
/// written before. Returns the token after the expression and the day, or
/// no day when none to the day came before; the phrase is consumed even
/// then, so its "اليوم" is never read as the publication day.
fn day_of_before(
    toks: &[Tok],
    i: usize,
    before: Option<&DateMention>,
) -> Option<(usize, Option<NaiveDate>)> {
    let w = |k: usize| toks.get(k).map(|t| t.text);
    let (next, shift) = match toks[i].text {
        "اليوم" | "واليوم" | "باليوم" | "فاليوم" => match w(i + 1)? {
            "نفسه" | "ذاته" => (i + 2, 0),
            "التالي" | "الموالي" => (i + 2, 1),
            "السابق" => (i + 2, -1),
            _ => return None,
        },
        // "بعد يومين من الهجوم", "وبعد ذلك بيوم", "قبلها بيومين".
        "بعد" | "وبعد" | "بعدها" | "وبعدها" | "قبل" | "وقبل" | "قبلها" | "وقبلها" =>
        {
            let sign = if toks[i].text.contains("قبل") {
                -1
            } else {
                1
            };
            let (mut j, by) = match toks[i].text.ends_with("ها") {
                true => (i + 1, true),
                false if w(i + 1) == Some("ذلك") => (i + 2, true),
                // "قبل يومين" alone counts back from publication.
                false if sign < 0 => return None,
                false => (i + 1, false),
            };
            // After "ذلك"/"ها" the span takes ب: "بيومين", "بثلاثة أيام".
            let word = |k: usize| {
                let t = w(k)?;
                Some(if by { t.strip_prefix('ب')? } else { t })
            };
            let days = match word(j)? {
                "يوم" => 1,
                "يومين" => 2,
                "اسبوع" => 7,
                "اسبوعين" => 14,
                "ساعات" | "ساعه" | "ساعتين" => 0,
                n => {
                    let n = count_word(n)?;
                    j += 1;
                    n * unit_days(w(j)?)?
                }
            };
            j += 1;
            if w(j) == Some("واحد") {
                j += 1;
            }
            // "بعد يومين من الهجوم" relates two events; the events stage
            // dates the one after من back from the other.
            if !by && matches!(w(j), Some("من" | "علي")) {
                return None;
            }
            (j, sign * days)
        }
        "the" | "that" | "later" | "earlier" | "next" => match (w(i)?, w(i + 1), w(i + 2)) {
            ("the" | "that", Some("same"), Some("day")) => (i + 3, 0),
            ("later" | "earlier", Some("that"), Some("day")) => (i + 3, 0),
            ("later" | "earlier", Some("the"), Some("same")) if w(i + 3) == Some("day") => {
                (i + 4, 0)
            }
            ("the", Some("next" | "following"), Some("day" | "morning")) => (i + 3, 1),
            ("next", Some("day" | "morning"), _) => (i + 2, 1),
            // Not "the day before/after": they mostly relate two events
            // ("the day after the attack"), as "two days after" does.
            ("the", Some("previous"), Some("day")) => (i + 3, -1),
            _ => return None,
        },
        // "two days later", "a week earlier", "hours later".
        first => {
            let (days, unit_at) = match first {
                "hours" | "minutes" => (0, i),
                _ => {
                    let n = count_word(first)?;
                    match w(i + 1)? {
                        "hours" | "minutes" | "hour" => (0, i + 1),
                        u => (n * unit_days(u)?, i + 1),
                    }
                }
            };
            let sign = match w(unit_at + 1)? {
                "later" | "afterwards" => 1,
                "earlier" | "before" | "previously" => -1,
                _ => return None,
            };
            (unit_at + 2, sign * days)
        }
    };
    let date = before
        .filter(|d| d.precision == DatePrecision::Day)
        .map(|d| d.date + Duration::days(shift));
    Some((next, date))
}

/// A count of days or weeks written as digits (1–60) or a word of [`COUNTS`].
pub(crate) fn count_word(w: &str) -> Option<i64> {
    if let Ok(n) = w.parse::<i64>() {
        return (1..=60).contains(&n).then_some(n);
    }
    COUNTS.iter().find(|(c, _)| *c == w).map(|(_, n)| *n)
}

/// Takes in the `)` of "yesterday (Saturday)" so the surface is balanced.
fn close_bracket(text: &str, cursor: &mut CharCursor, start: usize, end: usize) -> usize {
    let (bs, be) = (cursor.byte_at(start), cursor.byte_at(end));
    let inside = &text[bs..be];
    let open = inside.matches('(').count() > inside.matches(')').count();
    if open && text[be..].starts_with(')') {
        end + 1
    } else {
        end
    }
}

/// Char offsets to byte offsets for offsets that mostly go forward: each
/// look-up walks on from the last, so a text's dates cost one pass over it.
pub(crate) struct CharCursor<'a> {
    text: &'a str,
    char_at: usize,
    byte_at: usize,
}

impl<'a> CharCursor<'a> {
    pub(crate) fn new(text: &'a str) -> CharCursor<'a> {
        CharCursor {
            text,
            char_at: 0,
            byte_at: 0,
        }
    }

    /// The byte offset of char `c` (the text's length past the end).
    pub(crate) fn byte_at(&mut self, c: usize) -> usize {
        if c < self.char_at {
            (self.char_at, self.byte_at) = (0, 0);
        }
        while self.char_at < c {
            let Some(ch) = self.text[self.byte_at..].chars().next() else {
                return self.text.len();
            };
            self.byte_at += ch.len_utf8();
            self.char_at += 1;
        }
        self.byte_at
    }
}

/// One word of folded text, with its folded byte range.
#[derive(Debug, Clone, Copy)]
struct Tok<'a> {
    text: &'a str,
    start: usize,
    end: usize,
}

fn tokens(folded: &str) -> Vec<Tok<'_>> {
    // News words average some eight bytes with the space after them (Arabic
    // letters are two): room for them all without growing, mostly.
    let mut out = Vec::with_capacity(folded.len() / 6);
    let mut start = None;
    for (i, c) in folded.char_indices() {
        match (is_word_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(Tok {
                    text: &folded[s..i],
                    start: s,
                    end: i,
                });
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(Tok {
            text: &folded[s..],
            start: s,
            end: folded.len(),
        });
    }
    out
}

/// Which way a relative word points from the publication date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rel {
    /// No word: the latest such date on or before publication.
    Plain,
    /// الماضي / last.
    Past,
    /// المقبل / next.
    Next,
    /// الجاري / this.
    Current,
}

/// A resolved hit: the date and its precision, or `None` for an expression
/// that is consumed but gives no date of its own ("last week").
type Hit = Option<(NaiveDate, DatePrecision)>;

/// The token scanner: each `try_*` returns the index after the expression.
struct Scan<'a, 't> {
    toks: &'a [Tok<'t>],
    published: Option<NaiveDate>,
}

/// Single-letter Arabic clitics (and pairs) that may stand before a date word.
const CLITICS: [&str; 8] = ["وب", "ول", "فب", "فل", "و", "ف", "ب", "ل"];

/// Levantine/Iraqi month names, folded, with the second word of two-word names.
const MONTHS_AR: &[(&str, Option<&str>, u32)] = &[
    ("كانون", Some("الثاني"), 1),
    ("كانون", Some("ثاني"), 1),
    ("كانون", Some("اول"), 12),
    ("تشرين", Some("اول"), 10),
    ("تشرين", Some("ثاني"), 11),
    ("شباط", None, 2),
    ("اذار", None, 3),
    ("نيسان", None, 4),
    ("ايار", None, 5),
    ("حزيران", None, 6),
    ("تموز", None, 7),
    ("اب", None, 8),
    ("ايلول", None, 9),
    ("تشرين", Some("الاول"), 10),
    ("تشرين", Some("الثاني"), 11),
    ("كانون", Some("الاول"), 12),
    ("يناير", None, 1),
    ("فبراير", None, 2),
    ("مارس", None, 3),
    ("ابريل", None, 4),
    ("مايو", None, 5),
    ("يونيو", None, 6),
    ("يونيه", None, 6),
    ("يوليو", None, 7),
    ("يوليه", None, 7),
    ("اغسطس", None, 8),
    ("سبتمبر", None, 9),
    ("اكتوبر", None, 10),
    ("نوفمبر", None, 11),
    ("ديسمبر", None, 12),
];

/// English month names; "may" only counts next to a number (it is a verb too).
const MONTHS_EN: [(&str, u32); 23] = [
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
];

/// Arabic ordinal day words, folded ("في الثالث من تشرين الأول"): (first
/// word, second word, day). Only read before من and a month.
const ORDINALS_AR: &[(&str, Option<&str>, u32)] = &[
    ("الاول", None, 1),
    ("الثاني", None, 2),
    ("الثالث", None, 3),
    ("الرابع", None, 4),
    ("الخامس", None, 5),
    ("السادس", None, 6),
    ("السابع", None, 7),
    ("الثامن", None, 8),
    ("التاسع", None, 9),
    ("العاشر", None, 10),
    ("الحادي", Some("عشر"), 11),
    ("الثاني", Some("عشر"), 12),
    ("الثالث", Some("عشر"), 13),
    ("الرابع", Some("عشر"), 14),
    ("الخامس", Some("عشر"), 15),
    ("السادس", Some("عشر"), 16),
    ("السابع", Some("عشر"), 17),
    ("الثامن", Some("عشر"), 18),
    ("التاسع", Some("عشر"), 19),
    ("العشرين", None, 20),
    ("الحادي", Some("والعشرين"), 21),
    ("الثاني", Some("والعشرين"), 22),
    ("الثالث", Some("والعشرين"), 23),
    ("الرابع", Some("والعشرين"), 24),
    ("الخامس", Some("والعشرين"), 25),
    ("السادس", Some("والعشرين"), 26),
    ("السابع", Some("والعشرين"), 27),
    ("الثامن", Some("والعشرين"), 28),
    ("التاسع", Some("والعشرين"), 29),
    ("الثلاثين", None, 30),
    ("الحادي", Some("والثلاثين"), 31),
];

/// Counts of days written as words, folded: "قبل ثلاثة أيام", "two days ago".
pub(crate) const COUNTS: &[(&str, i64)] = &[
    ("يومين", 2),
    ("ثلاثه", 3),
    ("اربعه", 4),
    ("خمسه", 5),
    ("سته", 6),
    ("سبعه", 7),
    ("عشره", 10),
    ("a", 1),
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("ten", 10),
];

const WEEKDAYS: [(&str, Weekday); 14] = [
    ("الاحد", Weekday::Sun),
    ("الاثنين", Weekday::Mon),
    ("الثلاثاء", Weekday::Tue),
    ("الاربعاء", Weekday::Wed),
    ("الخميس", Weekday::Thu),
    ("الجمعه", Weekday::Fri),
    ("السبت", Weekday::Sat),
    ("sunday", Weekday::Sun),
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
];

/// Words that, before a bare month name, make it a date ("في آذار").
const MONTH_CONTEXT: [&str; 14] = [
    "في",
    "شهر",
    "منتصف",
    "مطلع",
    "اواخر",
    "اوائل",
    "بدايه",
    "نهايه",
    "خلال",
    "منذ",
    "in",
    "since",
    "during",
    "early",
];

/// Words that, before a four-digit number, make it a year ("عام 2014").
const YEAR_CONTEXT: [&str; 27] = [
    "عام",
    "العام",
    "سنه",
    "السنه",
    "in",
    "since",
    "during",
    "of",
    "منذ",
    "في",
    "خلال",
    "صيف",
    "year",
    // "in early 2015", "أواخر 2017", "خريف 2017": still that year.
    "early",
    "late",
    "mid",
    "spring",
    "summer",
    "autumn",
    "fall",
    "winter",
    "اواخر",
    "اوائل",
    "مطلع",
    "منتصف",
    "خريف",
    "ربيع",
];

impl Scan<'_, '_> {
    fn word(&self, i: usize) -> Option<&str> {
        self.toks.get(i).map(|t| t.text)
    }

    /// The date expression starting at token `i`, if any.
    fn at(&self, i: usize) -> Option<(usize, Hit)> {
        self.try_weekday_lead(i)
            .or_else(|| self.try_days_ago(i))
            .or_else(|| self.try_relative_day(i))
            .or_else(|| self.try_relative_period(i))
            .or_else(|| self.try_day_of_relative_month(i))
            .or_else(|| self.try_explicit(i))
            .or_else(|| self.try_month_only(i))
            .or_else(|| self.try_year(i))
    }

    /// `word` or `word` behind an Arabic clitic.
    fn is(&self, i: usize, words: &[&str]) -> bool {
        self.word(i).is_some_and(|w| {
            let base = strip_clitic(w);
            words.iter().any(|k| w == *k || base == Some(*k))
        })
    }

    fn weekday(&self, i: usize) -> Option<Weekday> {
        let w = self.word(i)?;
        let base = if is_weekday(w) { w } else { strip_clitic(w)? };
        WEEKDAYS.iter().find(|(n, _)| *n == base).map(|(_, d)| *d)
    }

    /// The month named at token `i`: (month, tokens used). Clitics are only
    /// stripped from names of 4+ letters, so `باب` (door) is not August.
    fn month(&self, i: usize) -> Option<(u32, usize)> {
        let w = self.word(i)?;
        let stripped = strip_clitic(w).filter(|b| b.chars().nth(3).is_some());
        for base in std::iter::once(w).chain(stripped) {
            for (first, second, m) in MONTHS_AR {
                if *first != base {
                    continue;
                }
                match second {
                    None => return Some((*m, 1)),
                    Some(s) if self.word(i + 1) == Some(s) => return Some((*m, 2)),
                    Some(_) => {}
                }
            }
            if let Some((_, m)) = MONTHS_EN.iter().find(|(n, _)| *n == base) {
                return Some((*m, 1));
            }
        }
        None
    }

    /// A month at `i`, absorbing a second name for the same month written
    /// after it ("آذار/مارس").
    fn month_span(&self, i: usize) -> Option<(u32, usize)> {
        let (m, n) = self.month(i).or_else(|| self.may(i))?;
        match self.month(i + n) {
            Some((m2, n2)) if m2 == m => Some((m, n + n2)),
            _ => Some((m, n)),
        }
    }

    /// "last year", "this year", "من العام الماضي", "العام الجاري" at `i`:
    /// (years from publication, tokens used).
    fn year_word(&self, i: usize) -> Option<(i32, usize)> {
        let of = usize::from(self.is(i, &["من"]));
        match (self.word(i + of)?, self.word(i + of + 1)) {
            ("last", Some("year")) => Some((-1, 2)),
            ("this", Some("year")) => Some((0, 2)),
            (w, _) if matches!(strip_clitic(w).unwrap_or(w), "العام" | "السنه") => {
                match self.rel(i + of + 1) {
                    (Rel::Past, n) => Some((-1, of + 1 + n)),
                    (Rel::Current, n) => Some((0, of + 1 + n)),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// The year written in tokens `[i, next)`, if any.
    fn year_in(&self, i: usize, next: usize) -> Option<i32> {
        (i..next).find_map(|k| self.year_num(k))
    }

    /// True when the year written in tokens `[from, to)` is the year of the
    /// yearless month or day in `[i, next)`: a few words on in the same
    /// sentence ("ففي صيف 2014 ... وفي العاشر من حزيران"), not a year told
    /// in passing ("Rutba, which IS held until 2016, was hit on June 3",
    /// "since 2014"), and the date has no word of its own to place it
    /// (a weekday, الماضي, "last").
    fn year_reaches(&self, from: usize, to: usize, i: usize, next: usize) -> bool {
        const GAP: usize = 12;
        const RELATIVE: [&str; 10] = [
            "which",
            "who",
            "that",
            "since",
            "until",
            "الذي",
            "التي",
            "الذين",
            "منذ",
            "حتي",
        ];
        if i < to || i - to > GAP {
            return false;
        }
        let passing = (from.saturating_sub(6)..to).any(|k| {
            self.word(k)
                .is_some_and(|w| RELATIVE.contains(&strip_clitic(w).unwrap_or(w)))
        });
        let own_word = (i..=next).any(|k| {
            self.weekday(k).is_some()
                || self.rel(k).1 > 0
                || matches!(self.word(k), Some("last" | "next" | "this"))
        });
        let month = (i..next).any(|k| self.month(k).is_some() || self.may(k).is_some());
        !passing && !own_word && month
    }

    /// "may" is a month only when a number (or "last year") stands next to it.
    fn may(&self, i: usize) -> Option<(u32, usize)> {
        let near_number = self.day(i + 1).is_some()
            || self.year_num(i + 1).is_some()
            || matches!(self.word(i + 1), Some("last" | "this"))
                && self.word(i + 2) == Some("year")
            || i.checked_sub(1).and_then(|p| self.day(p)).is_some();
        (self.word(i) == Some("may") && near_number).then_some((5, 1))
    }

    fn day(&self, i: usize) -> Option<u32> {
        let w = self.word(i)?;
        let digits = ["st", "nd", "rd", "th"]
            .iter()
            .find_map(|s| w.strip_suffix(s))
            .unwrap_or(w);
        if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.parse().ok().filter(|d| (1..=31).contains(d))
    }

    /// An Arabic ordinal day at `i`: (day, tokens used).
    fn ordinal_day(&self, i: usize) -> Option<(u32, usize)> {
        let w = self.word(i)?;
        let base = strip_clitic(w).filter(|b| b.starts_with("ال"));
        let mut best = None;
        for (first, second, d) in ORDINALS_AR {
            if *first != w && Some(*first) != base {
                continue;
            }
            match second {
                Some(s) if self.word(i + 1) == Some(s) => return Some((*d, 2)),
                Some(_) => {}
                None => best = Some((*d, 1)),
            }
        }
        best
    }

    /// A year written after a month: "2017", "عام 2017", "من عام 2017",
    /// "of 2017": (year, tokens used).
    fn year_after(&self, i: usize) -> Option<(i32, usize)> {
        if let Some(y) = self.year_num(i) {
            return Some((y, 1));
        }
        let of = usize::from(self.is(i, &["من"]));
        if self.is(i + of, &["عام", "العام", "سنه", "of"]) {
            return Some((self.year_num(i + of + 1)?, of + 2));
        }
        None
    }

    fn year_num(&self, i: usize) -> Option<i32> {
        let w = self.word(i)?;
        if w.len() != 4 || !w.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        w.parse().ok().filter(|y| (1900..=2100).contains(y))
    }

    /// The relative word after a date, if any: (rel, tokens used).
    fn rel(&self, i: usize) -> (Rel, usize) {
        let Some(w) = self.word(i) else {
            return (Rel::Plain, 0);
        };
        let rel = match w {
            "الماضي" | "المنصرم" | "الفائت" | "السابق" => Rel::Past,
            "المقبل" | "القادم" => Rel::Next,
            "الجاري" | "الحالي" => Rel::Current,
            _ => return (Rel::Plain, 0),
        };
        (rel, 1)
    }

    /// A weekday, possibly before an explicit date ("الخميس 5 أيار") whose
    /// weekday it corrects, else resolved relative to publication.
    fn try_weekday_lead(&self, i: usize) -> Option<(usize, Hit)> {
        let lead = usize::from(self.is(i, &WEEKDAY_LEADS));
        let wd = self.weekday(i + lead)?;
        let mut j = i + lead + 1;
        if self.is(j, &["الموافق", "the"]) {
            j += 1;
        }
        if let Some((next, Some((date, DatePrecision::Day)))) = self.try_explicit(j) {
            return Some((next, Some((nudge_to_weekday(date, wd), DatePrecision::Day))));
        }
        let (mut rel, n) = self.rel(i + lead + 1);
        match self.word(i) {
            Some("last") => rel = Rel::Past,
            Some("next") => rel = Rel::Next,
            _ => {}
        }
        // A plain weekday that is the publication's own ("…said on Monday"
        // in Monday's paper) is that day; "last Monday" is the week before.
        let today_ok = matches!(rel, Rel::Plain | Rel::Current);
        let date = weekday_from(self.published?, wd, rel == Rel::Next, today_ok);
        Some((i + lead + 1 + n, Some((date, DatePrecision::Day))))
    }

    /// أمس، أول أمس، البارحة، اليوم, yesterday, today — with a weekday after
    /// them ("أمس السبت", "yesterday (Saturday)") the weekday decides.
    fn try_relative_day(&self, i: usize) -> Option<(usize, Hit)> {
        let (back, used) = self.relative_day_word(i)?;
        let end = i + used;
        let published = self.published;
        if let Some(wd) = self.weekday(end) {
            let date = weekday_from(published?, wd, false, back == 0);
            return Some((end + 1, Some((date, DatePrecision::Day))));
        }
        let date = published? - Duration::days(back);
        Some((end, Some((date, DatePrecision::Day))))
    }

    /// "قبل ثلاثة أيام", "قبل يومين", "منذ 3 أيام", "three days ago",
    /// "a week ago": days back from publication.
    fn try_days_ago(&self, i: usize) -> Option<(usize, Hit)> {
        let count = |j: usize| count_word(self.word(j)?);
        let unit = |j: usize| unit_days(self.word(j)?);
        let published = self.published?;
        let back = |n: i64| published - Duration::days(n);
        // "قبل ثلاثة أيام من الهجوم" counts from the attack, not from today.
        let from_other = |j: usize| self.is(j, &["من", "علي"]);
        if self.is(i, &["قبل", "منذ"]) {
            // "قبل يومين": the count is the unit.
            let (days, next) = match self.word(i + 1) {
                Some("يومين") => (2, i + 2),
                Some("اسبوع") => (7, i + 2),
                _ => (count(i + 1)? * unit(i + 2)?, i + 3),
            };
            if from_other(next) {
                return None;
            }
            return Some((next, Some((back(days), DatePrecision::Day))));
        }
        let (n, u) = (count(i)?, unit(i + 1)?);
        if self.word(i + 2) != Some("ago") {
            return None;
        }
        Some((i + 3, Some((back(n * u), DatePrecision::Day))))
    }

    /// (days back from publication, tokens used) of a relative-day word.
    fn relative_day_word(&self, i: usize) -> Option<(i64, usize)> {
        let w = self.word(i)?;
        // "أول أمس", "أمس الأول": the day before yesterday.
        if self.is(i, &["اول"]) && self.is(i + 1, &["امس"]) {
            return Some((2, 2));
        }
        if self.is(i, &["امس"]) && self.is(i + 1, &["الاول"]) {
            return Some((2, 2));
        }
        if self.is(i, &["يوم"]) && self.is(i + 1, &["امس"]) && self.is(i + 2, &["الاول"])
        {
            return Some((2, 3));
        }
        if w == "day" && self.word(i + 1) == Some("before") && self.word(i + 2) == Some("yesterday")
        {
            return Some((2, 3));
        }
        if self.is(i, &["يوم"]) && self.is(i + 1, &["امس"]) {
            return Some((1, 2));
        }
        // "this morning", "this evening": the publication day.
        if w == "this" && matches!(self.word(i + 1), Some("morning" | "afternoon" | "evening")) {
            return Some((0, 2));
        }
        if self.is(i, &["امس", "البارحه", "yesterday"]) {
            return Some((1, 1));
        }
        if self.is(i, &["اليوم", "today"]) && !self.today_is_a_name(i) {
            return Some((0, 1));
        }
        None
    }

    /// "روسيا اليوم", "USA Today", "اليوم التالي", "حتى اليوم": not the
    /// publication day.
    fn today_is_a_name(&self, i: usize) -> bool {
        let before = i.checked_sub(1).and_then(|p| self.word(p));
        let after = self.word(i + 1);
        matches!(before, Some("روسيا" | "russia" | "usa" | "حتى" | "until"))
            || matches!(after, Some("التالي" | "نفسه" | "الاول" | "الثاني"))
    }

    /// "الأسبوع الماضي"/"last week" (no date of its own), "الشهر الماضي",
    /// "العام الماضي", "this year" and the like.
    fn try_relative_period(&self, i: usize) -> Option<(usize, Hit)> {
        let (unit, rel) = match (self.word(i)?, self.word(i + 1)) {
            ("last", Some(u)) => (u, Rel::Past),
            ("this", Some(u)) => (u, Rel::Current),
            (u, _) => {
                let (rel, n) = self.rel(i + 1);
                if n == 0 {
                    return None;
                }
                (u, rel)
            }
        };
        let unit = strip_clitic(unit).unwrap_or(unit);
        let hit = match unit {
            "الاسبوع" | "week" => None,
            "الشهر" | "month" => Some(shift_month(self.published?, rel)),
            "العام" | "السنه" | "year" => Some(shift_year(self.published?, rel)),
            _ => return None,
        };
        Some((i + 2, hit))
    }

    /// "3 من الشهر الجاري", "الثالث من الشهر الماضي", "السادس عشر من الشهر
    /// الحالي": a day of the month of publication, or of the one before.
    fn try_day_of_relative_month(&self, i: usize) -> Option<(usize, Hit)> {
        let (day, k) = match self.day(i) {
            Some(d) => (d, 1),
            None => self.ordinal_day(i)?,
        };
        if !self.is(i + k, &["من"]) || !self.is(i + k + 1, &["الشهر"]) {
            return None;
        }
        let (rel, n) = self.rel(i + k + 2);
        if n == 0 || rel == Rel::Next {
            return None;
        }
        let (month, _) = shift_month(self.published?, rel);
        let date = month.with_day(day)?;
        Some((i + k + 2 + n, Some((date, DatePrecision::Day))))
    }

    /// Day + month (+ year or relative word), or English month + day (+ year).
    fn try_explicit(&self, i: usize) -> Option<(usize, Hit)> {
        let (day, month, mut next) = if let Some(d) = self.day(i) {
            let of = usize::from(self.is(i + 1, &["من", "of"]));
            let (m, n) = self.month_span(i + 1 + of)?;
            (d, m, i + 1 + of + n)
        } else if let Some((d, k)) = self.ordinal_day(i) {
            // "الثالث من تشرين الأول": the من is required, so "الثاني" alone
            // (the second…) never starts a date.
            if !self.is(i + k, &["من"]) {
                return None;
            }
            let (m, n) = self.month_span(i + k + 1)?;
            (d, m, i + k + 1 + n)
        } else {
            let (m, n) = self.month_span(i)?;
            (self.day(i + n)?, m, i + n + 1)
        };
        // "October 20 last year", "5 آب من العام الماضي".
        let year = self
            .year_after(next)
            .or_else(|| {
                let (shift, n) = self.year_word(next)?;
                Some((self.published?.year() + shift, n))
            })
            .map(|(y, n)| {
                next += n;
                y
            });
        let rel = if year.is_some() {
            Rel::Plain
        } else {
            let (rel, n) = self.rel(next);
            next += n;
            rel
        };
        let date = match year {
            Some(y) => NaiveDate::from_ymd_opt(y, month, day),
            None => day_month_near(self.published?, month, day, rel),
        };
        Some((next, date.map(|d| (d, DatePrecision::Day))))
    }

    /// A month with a year ("أيلول 2019", "September 2019"), a relative word
    /// ("آذار الماضي") or a preposition before it ("في آذار"): month precision.
    fn try_month_only(&self, i: usize) -> Option<(usize, Hit)> {
        let lead = match self.word(i) {
            Some("last") => Some(Rel::Past),
            Some("next") => Some(Rel::Next),
            _ => None,
        };
        let ctx = usize::from(lead.is_some() || self.is(i, &MONTH_CONTEXT));
        let (month, n) = self.month_span(i + ctx)?;
        let after = i + ctx + n;
        if let Some((y, n)) = self.year_after(after) {
            let date = NaiveDate::from_ymd_opt(y, month, 1);
            return Some((after + n, date.map(|d| (d, DatePrecision::Month))));
        }
        // "May last year", "آذار من العام الماضي", "in March this year".
        if let Some((shift, n)) = self.year_word(after) {
            let y = self.published?.year() + shift;
            let date = NaiveDate::from_ymd_opt(y, month, 1);
            return Some((after + n, date.map(|d| (d, DatePrecision::Month))));
        }
        let (rel, r) = self.rel(after);
        if ctx == 0 && r == 0 {
            return None;
        }
        let rel = lead.unwrap_or(rel);
        let date = month_near(self.published?, month, rel);
        Some((after + r, date.map(|d| (d, DatePrecision::Month))))
    }

    /// "عام 2014", "in 2014": year precision.
    fn try_year(&self, i: usize) -> Option<(usize, Hit)> {
        if !self.is(i, &YEAR_CONTEXT) {
            return None;
        }
        let y = self.year_num(i + 1)?;
        let date = NaiveDate::from_ymd_opt(y, 1, 1);
        Some((i + 2, date.map(|d| (d, DatePrecision::Year))))
    }
}

/// Words before a weekday ("on Monday", "يوم الخميس").
const WEEKDAY_LEADS: [&str; 5] = ["يوم", "on", "last", "next", "this"];

/// The first words of relative days and periods, beyond the other lists.
const RELATIVE_FIRST: [&str; 13] = [
    "اول",
    "day",
    "امس",
    "البارحه",
    "yesterday",
    "اليوم",
    "today",
    "الاسبوع",
    "week",
    "الشهر",
    "month",
    "السنه",
    "year",
];

/// How a date expression can start at a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Start {
    /// A `try_*` of [`Scan`] reads the word itself: a month, a weekday, an
    /// ordinal, a relative word.
    Here,
    /// Only as the context of the weekday, month or year right after it
    /// ("on Monday", "في آذار", "عام 2014"): the word after must start a
    /// date itself, and as these are common words, it mostly rules them out.
    Before,
    /// A count of days ("a", "three"), only before its unit ("three days
    /// ago").
    Count,
    /// Only [`day_of_before`] reads the word ("the next day", "بعدها
    /// بيومين").
    Relative,
}

/// The first words of [`day_of_before`]'s phrases, beyond the other lists.
/// (بعد behind و or ف is listed: `strip_clitic` would read its ب as one.)
const FROM_BEFORE_FIRST: [&str; 12] = [
    "the",
    "that",
    "later",
    "earlier",
    "hours",
    "minutes",
    "بعد",
    "وبعد",
    "فبعد",
    "بعدها",
    "وبعدها",
    "قبلها",
];

/// Every word a date expression can start with, maybe behind a clitic (a
/// number starts one too), and how.
static STARTS: std::sync::LazyLock<WordMap> = std::sync::LazyLock::new(|| {
    let here: Vec<&str> = RELATIVE_FIRST
        .iter()
        .copied()
        // Leads that a `try_*` also reads by name.
        .chain(["last", "next", "this", "يوم"])
        .chain(["العام", "may", "قبل", "منذ", "ago"])
        .chain(ORDINALS_AR.iter().map(|o| o.0))
        .chain(WEEKDAYS.iter().map(|w| w.0))
        .chain(MONTHS_AR.iter().map(|m| m.0))
        .chain(MONTHS_EN.iter().map(|m| m.0))
        .collect();
    let before: Vec<&str> = WEEKDAY_LEADS
        .iter()
        .chain(&MONTH_CONTEXT)
        .chain(&YEAR_CONTEXT)
        .copied()
        .collect();
    let counts: Vec<&str> = COUNTS.iter().map(|c| c.0).collect();
    let relative = FROM_BEFORE_FIRST.to_vec();
    // Each also behind every clitic that `strip_clitic` takes off again, so
    // a token needs one look-up, with no stripping.
    let mut entries = Vec::new();
    for (words, kind) in [
        (here, Start::Here),
        (before, Start::Before),
        (counts, Start::Count),
        (relative, Start::Relative),
    ] {
        for w in &words {
            let glued = CLITICS.iter().map(|c| format!("{c}{w}"));
            let glued = glued.filter(|g| strip_clitic(g).is_some_and(|b| words.contains(&b)));
            entries.extend(
                std::iter::once(w.to_string())
                    .chain(glued)
                    .map(|w| (w, kind)),
            );
        }
    }
    WordMap::new(entries)
});

/// Words to a [`Start`], for a look-up on every token: open addressing on a
/// hash of the length and the first and last two bytes (an Arabic word's
/// first and last letters). A bitmap of the hashes in front rules out
/// nearly every other word with one well-predicted test.
struct WordMap {
    bits: Vec<u64>,
    slots: Vec<Option<(Box<str>, Start)>>,
}

impl WordMap {
    /// Bits of the hash the bitmap uses.
    const BITS: u32 = 16;

    /// A word given more than one kind is [`Start::Here`]: it may start a
    /// date either way.
    fn new(entries: Vec<(String, Start)>) -> WordMap {
        let mut map = WordMap {
            bits: vec![0; (1 << Self::BITS) / 64],
            // At most half full, so probes are short.
            slots: vec![None; (entries.len() * 2).next_power_of_two()],
        };
        assert!(map.slots.len() <= 1 << Self::BITS, "too many words to hash");
        for (w, kind) in entries {
            let h = hash(&w);
            let mut k = map.home(h);
            while let Some((s, had)) = &mut map.slots[k] {
                if **s == *w {
                    if *had != kind {
                        *had = Start::Here;
                    }
                    break;
                }
                k = (k + 1) % map.slots.len();
            }
            if map.slots[k].is_none() {
                map.slots[k] = Some((w.into(), kind));
                map.bits[h / 64] |= 1 << (h % 64);
            }
        }
        map
    }

    fn home(&self, h: usize) -> usize {
        // The high bits of the hash, as many as the slots (a power of two) need.
        h >> (Self::BITS - self.slots.len().trailing_zeros())
    }

    fn get(&self, w: &str) -> Option<Start> {
        let h = hash(w);
        if self.bits[h / 64] & 1 << (h % 64) == 0 {
            return None;
        }
        let mut k = self.home(h);
        while let Some((s, kind)) = &self.slots[k] {
            if **s == *w {
                return Some(*kind);
            }
            k = (k + 1) % self.slots.len();
        }
        None
    }
}

/// A [`WordMap::BITS`]-bit hash of a word's length and first and last two
/// bytes (Fibonacci hashing: the high bits of a product).
fn hash(w: &str) -> usize {
    let b = w.as_bytes();
    let byte = |i: usize| u64::from(b.get(i).copied().unwrap_or(0));
    let n = b.len();
    let key = n as u64
        | byte(0) << 8
        | byte(1) << 16
        | byte(n.wrapping_sub(2)) << 24
        | byte(n.wrapping_sub(1)) << 32;
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - WordMap::BITS)) as usize
}

/// How a date expression can start at token `i`: [`Start::Here`] at a
/// number or a word of [`STARTS`] (a context word with its date word after
/// it, a count with its unit), [`Start::Relative`] where only
/// [`day_of_before`] may read one (`prefilter_loses_no_date` tests that
/// nothing is lost).
fn could_start(toks: &[Tok], i: usize) -> Option<Start> {
    let here = |w: &str| match STARTS.get(w) {
        Some(start) => start == Start::Here,
        None => w.starts_with(|c: char| c.is_ascii_digit()),
    };
    let next = toks.get(i + 1).map(|t| t.text);
    let ok = match STARTS.get(toks[i].text) {
        Some(Start::Relative) => return Some(Start::Relative),
        Some(Start::Here) => true,
        Some(Start::Before) => next.is_some_and(here),
        Some(Start::Count) => next.and_then(unit_days).is_some(),
        None => toks[i].text.starts_with(|c: char| c.is_ascii_digit()),
    };
    ok.then_some(Start::Here)
}

/// The days in a unit of "three days ago", "قبل ثلاثة أيام", maybe behind a
/// clitic.
fn unit_days(w: &str) -> Option<i64> {
    match strip_clitic(w).unwrap_or(w) {
        "ايام" | "يوما" | "day" | "days" => Some(1),
        "اسبوع" | "اسابيع" | "week" | "weeks" => Some(7),
        _ => None,
    }
}

fn is_weekday(w: &str) -> bool {
    WEEKDAYS.iter().any(|(n, _)| *n == w)
}

/// The word without a leading Arabic clitic, if it had one.
fn strip_clitic(w: &str) -> Option<&str> {
    // Every clitic is و ف ب or ل first: most words are out at once.
    if !w.starts_with(['و', 'ف', 'ب', 'ل']) {
        return None;
    }
    CLITICS
        .iter()
        .find_map(|c| w.strip_prefix(c))
        .filter(|rest| rest.chars().nth(1).is_some())
}

/// The latest `wd` before `published` (on or before when `on_ok`), or the
/// earliest after it when `forward`.
fn weekday_from(published: NaiveDate, wd: Weekday, forward: bool, on_ok: bool) -> NaiveDate {
    let pub_n = i64::from(published.weekday().num_days_from_monday());
    let wd_n = i64::from(wd.num_days_from_monday());
    if forward {
        let ahead = (wd_n - pub_n).rem_euclid(7);
        return published + Duration::days(if ahead == 0 { 7 } else { ahead });
    }
    let back = (pub_n - wd_n).rem_euclid(7);
    let back = if back == 0 && !on_ok { 7 } else { back };
    published - Duration::days(back)
}

/// Moves `date` by one day when the weekday written next to it says so.
fn nudge_to_weekday(date: NaiveDate, wd: Weekday) -> NaiveDate {
    [Duration::days(-1), Duration::days(1)]
        .iter()
        .map(|d| date + *d)
        .find(|d| date.weekday() != wd && d.weekday() == wd)
        .unwrap_or(date)
}

/// A day and month without a year: the latest on or before publication,
/// or the earliest on or after it for "المقبل"/"next".
fn day_month_near(published: NaiveDate, month: u32, day: u32, rel: Rel) -> Option<NaiveDate> {
    let y = published.year();
    if rel == Rel::Next {
        return [y, y + 1]
            .iter()
            .filter_map(|y| NaiveDate::from_ymd_opt(*y, month, day))
            .find(|d| *d >= published);
    }
    [y, y - 1]
        .iter()
        .filter_map(|y| NaiveDate::from_ymd_opt(*y, month, day))
        .find(|d| *d <= published)
}

/// A month without a year, as the first of that month.
fn month_near(published: NaiveDate, month: u32, rel: Rel) -> Option<NaiveDate> {
    let (y, pm) = (published.year(), published.month());
    let year = match rel {
        Rel::Current => y,
        Rel::Past if month < pm => y,
        Rel::Past => y - 1,
        Rel::Next if month > pm => y,
        Rel::Next => y + 1,
        Rel::Plain if month <= pm => y,
        Rel::Plain => y - 1,
    };
    NaiveDate::from_ymd_opt(year, month, 1)
}

/// "الشهر الماضي" and friends: the month before/after/of publication.
fn shift_month(published: NaiveDate, rel: Rel) -> (NaiveDate, DatePrecision) {
    let months = published.year() * 12
        + published.month0() as i32
        + match rel {
            Rel::Past => -1,
            Rel::Next => 1,
            _ => 0,
        };
    let date = NaiveDate::from_ymd_opt(months.div_euclid(12), months.rem_euclid(12) as u32 + 1, 1)
        .unwrap_or(published);
    (date, DatePrecision::Month)
}

/// "العام الماضي" and friends: the year before/after/of publication.
fn shift_year(published: NaiveDate, rel: Rel) -> (NaiveDate, DatePrecision) {
    let y = published.year()
        + match rel {
            Rel::Past => -1,
            Rel::Next => 1,
            _ => 0,
        };
    let date = NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or(published);
    (date, DatePrecision::Year)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The prefilter of [`could_start`] finds exactly what trying every
    /// token finds, over every text of the examples and dev sets, and over
    /// each of those texts with every date word glued to a clitic.
    #[test]
    fn the_same_month_is_the_month_of_the_date_before() {
        let got = |text: &str| -> Vec<(String, NaiveDate, DatePrecision)> {
            let chars: Vec<char> = text.chars().collect();
            find_dates(text, Some(ymd(2019, 10, 5)))
                .into_iter()
                .map(|d| (chars[d.start..d.end].iter().collect(), d.date, d.precision))
                .collect()
        };
        let found = got("استعادت القائم في 3 تشرين الثاني 2017، ثم راوة في 17 من الشهر نفسه.");
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(
            found[1],
            (
                "17 من الشهر نفسه".to_string(),
                ymd(2017, 11, 17),
                DatePrecision::Day
            )
        );
        let found = got("في آذار 2019 سقطت الباغوز. وفي الشهر ذاته أعلنت قسد النصر.");
        assert_eq!(found[1].1, ymd(2019, 3, 1));
        assert_eq!(found[1].2, DatePrecision::Month);
        let found = got("Hajin fell on 14 December 2018; later that month Susah fell.");
        assert_eq!(found[1].1, ymd(2018, 12, 1));
        // With no date before it, nothing.
        assert!(got("وفي الشهر ذاته سقطت الباغوز.").is_empty());
    }

    #[test]
    fn days_counted_from_the_date_before() {
        let pub_date = Some(ymd(2019, 10, 5));
        let got = |text: &str| -> Vec<(String, String)> {
            found(text, pub_date)
                .into_iter()
                .map(|(surface, date, _)| (surface, date))
                .collect()
        };
        let pair = |s: &str, d: &str| (s.to_string(), d.to_string());
        // Each: the day before is 2019-03-02 (or 2017-03-02 with its year).
        let cases: &[(&str, (String, String))] = &[
            (
                "هاجم التنظيم القرية في الثاني من آذار عام 2017، وفي اليوم التالي انسحب.",
                pair("اليوم التالي", "2017-03-03"),
            ),
            (
                "قصفت الطائرات البلدة في 2 آذار، وفي اليوم ذاته قتل مدنيان.",
                pair("اليوم ذاته", "2019-03-02"),
            ),
            (
                "سقطت قذيفة في 2 آذار، واليوم نفسه شهد اشتباكات.",
                pair("واليوم نفسه", "2019-03-02"),
            ),
            (
                "سيطرت القوات على القرية في 2 آذار، وبعد ذلك بيومين انسحبت.",
                pair("وبعد ذلك بيومين", "2019-03-04"),
            ),
            (
                "انفجرت عبوة في 2 آذار، وقبلها بيوم اعتقل مشتبه.",
                pair("وقبلها بيوم", "2019-03-01"),
            ),
            (
                "وقع الهجوم في 2 آذار، وبعد ثلاثة أيام نفذت حملة.",
                pair("وبعد ثلاثة أيام", "2019-03-05"),
            ),
            (
                "A drone struck the town on 2 March. The next day, militants attacked.",
                pair("The next day", "2019-03-03"),
            ),
            (
                "A drone struck the town on 2 March. Two days later, militants attacked.",
                pair("Two days later", "2019-03-04"),
            ),
            (
                "A drone struck the town on 2 March; later that day a second blast hit.",
                pair("later that day", "2019-03-02"),
            ),
            (
                "Clashes broke out on 2 March, a day after the convoy was hit; the previous day, talks failed.",
                pair("the previous day", "2019-03-01"),
            ),
        ];
        for (text, want) in cases {
            let got = got(text);
            assert!(got.contains(want), "{text}: {got:?}");
        }
        // "since Sunday" starts a span: the same day is the one before it.
        let span =
            got("On Tuesday, jets struck X, part of strikes since Sunday. On the same day, Y.");
        assert_eq!(span.last().unwrap().1, "2019-10-01", "{span:?}");
        // The chain goes on from the day just read.
        let chain = got("Raids began on 2 March. The next day more came. The next day it ended.");
        assert_eq!(chain.last().unwrap().1, "2019-03-04", "{chain:?}");
        // With no day before it, the phrase gives no date, and its اليوم is
        // not the publication day.
        assert!(got("وفي اليوم ذاته قتل مدنيان.").is_empty());
        assert!(got("The next day, militants attacked.").is_empty());
        // One event dated from another is the events stage's to read.
        let relating = got("وقع الهجوم في 2 آذار، بعد يومين من اشتباك في القرية.");
        assert_eq!(relating.len(), 1, "{relating:?}");
        // These still count from publication.
        assert_eq!(
            got("قتل مدني قبل يومين."),
            vec![pair("قبل يومين", "2019-10-03")]
        );
        let before_yesterday = got("on 2 March, the day before yesterday");
        assert_eq!(before_yesterday.last().unwrap().1, "2019-10-03");
    }

    #[test]
    fn a_year_written_after_the_month() {
        let pub_date = Some(ymd(2021, 5, 2));
        let dates = |text: &str| -> Vec<String> {
            found(text, pub_date).into_iter().map(|d| d.1).collect()
        };
        assert_eq!(dates("في الثاني من آذار عام 2017"), ["2017-03-02"]);
        assert_eq!(dates("في 5 حزيران من عام 2016"), ["2016-06-05"]);
        assert_eq!(dates("في حزيران من العام 2014"), ["2014-06-01"]);
        assert_eq!(dates("in March of 2017"), ["2017-03-01"]);
    }

    #[test]
    fn a_yearless_date_takes_the_year_written_just_before_it() {
        let pub_date = Some(ymd(2023, 7, 19));
        let dates = |text: &str| -> Vec<String> {
            found(text, pub_date).into_iter().map(|d| d.1).collect()
        };
        assert_eq!(
            dates("in the summer of 2014, seizing Mosul on June 10 and Sinjar in August"),
            ["2014-01-01", "2014-06-10", "2014-08-01"]
        );
        assert_eq!(
            dates("ففي صيف عام 2014 اجتاح التنظيم الموصل في العاشر من حزيران"),
            ["2014-01-01", "2014-06-10"]
        );
        // A year told in passing, since, another sentence, or a date with a
        // word of its own: the year of publication as before.
        assert_eq!(
            dates("Rutba, which IS captured in 2014, was attacked on June 3."),
            ["2014-01-01", "2023-06-03"]
        );
        assert_eq!(
            dates("ISIS seized Rutba in 2014. On June 3 gunmen struck."),
            ["2014-01-01", "2023-06-03"]
        );
        assert_eq!(
            dates("since 2014, and on June 3"),
            ["2014-01-01", "2023-06-03"]
        );
    }

    #[test]
    fn last_year_and_the_same_year_after_a_day_or_month() {
        let pub_date = Some(ymd(2022, 6, 16));
        let dates = |text: &str| -> Vec<String> {
            found(text, pub_date).into_iter().map(|d| d.1).collect()
        };
        assert_eq!(dates("on October 20 last year"), ["2021-10-20"]);
        assert_eq!(dates("في 15 آب من العام الماضي"), ["2021-08-15"]);
        assert_eq!(
            dates("في 3 أيار 2015. وفي 17 تشرين الأول من العام نفسه"),
            ["2015-05-03", "2015-10-17"]
        );
        assert_eq!(
            dates("on 3 May 2015. In August of the same year"),
            ["2015-05-03", "2015-08-01"]
        );
    }

    #[test]
    fn prefilter_loses_no_date() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts = Vec::new();
        for dir in ["examples/articles", "tests/fixtures"] {
            for e in std::fs::read_dir(root.join(dir)).unwrap() {
                let text = std::fs::read_to_string(e.unwrap().path()).unwrap_or_default();
                texts.extend(text.lines().map(str::to_string));
            }
        }
        let glued: Vec<String> = texts
            .iter()
            .map(|t| t.replace(' ', " و").replace(" وو", " و"))
            .collect();
        texts.extend(glued);
        let published = Some(ymd(2024, 3, 14));
        let mut found = 0;
        for t in &texts {
            let f = Folded::new(t);
            let fast = scan_dates(t, &f, published, true);
            assert_eq!(fast, scan_dates(t, &f, published, false), "{t}");
            found += fast.len();
        }
        assert!(
            found > 100,
            "only {found} dates: the texts are not being read"
        );
    }

    /// The same over every pair of date words (and a few others) with a
    /// year or "ago" after them: a context word or a count is passed over
    /// only when the word after it cannot go on to a date.
    #[test]
    fn prefilter_loses_no_date_between_date_words() {
        let mut words: Vec<&str> = WEEKDAY_LEADS
            .iter()
            .chain(&RELATIVE_FIRST)
            .chain(&MONTH_CONTEXT)
            .chain(&YEAR_CONTEXT)
            .copied()
            .chain(ORDINALS_AR.iter().flat_map(|o| [Some(o.0), o.1]).flatten())
            .chain(MONTHS_AR.iter().flat_map(|m| [Some(m.0), m.1]).flatten())
            .chain(MONTHS_EN.iter().map(|m| m.0))
            .chain(COUNTS.iter().map(|c| c.0))
            .chain(WEEKDAYS.iter().map(|w| w.0))
            .chain(["الماضي", "المقبل", "الجاري", "may", "قبل", "ago", "before"])
            .chain([
                "ايام",
                "days",
                "اسبوع",
                "weeks",
                "من",
                "of",
                "the",
                "الموافق",
            ])
            .chain(["3", "2014", "وفي", "بعام", "ولمطلع"])
            .collect();
        words.sort_unstable();
        words.dedup();
        let published = Some(ymd(2024, 3, 14));
        let mut found = 0;
        for a in &words {
            for b in &words {
                for c in ["2014", "ago"] {
                    let t = format!("{a} {b} {c}");
                    let f = Folded::new(&t);
                    let fast = scan_dates(&t, &f, published, true);
                    assert_eq!(fast, scan_dates(&t, &f, published, false), "{t}");
                    found += fast.len();
                }
            }
        }
        assert!(found > 10_000, "only {found} dates");
    }

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// (surface, date, precision) of every date found.
    fn found(text: &str, published: Option<NaiveDate>) -> Vec<(String, String, DatePrecision)> {
        let chars: Vec<char> = text.chars().collect();
        find_dates(text, published)
            .into_iter()
            .map(|d| {
                let surface: String = chars[d.start..d.end].iter().collect();
                (surface, d.date.to_string(), d.precision)
            })
            .collect()
    }

    use DatePrecision::{Day, Month, Year};

    /// A Sunday, the publication date the seed article implies.
    const SEED_PUB: (i32, u32, u32) = (2021, 5, 2);

    #[test]
    fn dates_against_the_seed_publication_date() {
        let cases: &[(&str, &str, &str, DatePrecision)] = &[
            // Arabic                                       surface                date
            (
                "أفاد مسؤول محلي، أمس السبت، بوقوع اشتباك",
                "أمس السبت",
                "2021-05-01",
                Day,
            ),
            (
                "وفي 26 آذار الماضي، بدأت أعمال البناء",
                "26 آذار الماضي",
                "2021-03-26",
                Day,
            ),
            (
                "منذ افتتاحه مجدداً في أيلول 2019، بينما",
                "في أيلول 2019",
                "2019-09-01",
                Month,
            ),
            ("في 26 اذار 2020 قصف", "26 اذار 2020", "2020-03-26", Day),
            ("في ٢٦ آذار ٢٠٢٠ قصف", "٢٦ آذار ٢٠٢٠", "2020-03-26", Day),
            (
                "في 3 كانون الثاني 2021",
                "3 كانون الثاني 2021",
                "2021-01-03",
                Day,
            ),
            (
                "في 15 تشرين الأول 2019",
                "15 تشرين الأول 2019",
                "2019-10-15",
                Day,
            ),
            (
                "في 12 كانون الأول 2019",
                "12 كانون الأول 2019",
                "2019-12-12",
                Day,
            ),
            (
                "يوم 5 أيار/مايو 2021",
                "5 أيار/مايو 2021",
                "2021-05-05",
                Day,
            ),
            ("في 10 يونيو 2022", "10 يونيو 2022", "2022-06-10", Day),
            ("في 2 إبريل", "2 إبريل", "2021-04-02", Day),
            ("في 20 أيار", "20 أيار", "2020-05-20", Day),
            ("في 20 أيار المقبل", "20 أيار المقبل", "2021-05-20", Day),
            ("في آذار الماضي", "في آذار الماضي", "2021-03-01", Month),
            ("آذار الماضي", "آذار الماضي", "2021-03-01", Month),
            ("في تموز", "في تموز", "2020-07-01", Month),
            ("سيطرة داعش صيف عام 2014", "عام 2014", "2014-01-01", Year),
            ("أمس", "أمس", "2021-05-01", Day),
            ("البارحة", "البارحة", "2021-05-01", Day),
            ("أول أمس", "أول أمس", "2021-04-30", Day),
            ("أمس الأول", "أمس الأول", "2021-04-30", Day),
            ("يوم أمس الأول", "يوم أمس الأول", "2021-04-30", Day),
            ("يوم أمس", "يوم أمس", "2021-05-01", Day),
            ("اليوم", "اليوم", "2021-05-02", Day),
            ("اليوم الأحد", "اليوم الأحد", "2021-05-02", Day),
            ("يوم السبت الماضي", "يوم السبت الماضي", "2021-05-01", Day),
            // Published on a Sunday: "on Sunday" is that day, as in wire copy.
            ("يوم الأحد", "يوم الأحد", "2021-05-02", Day),
            ("الأحد الماضي", "الأحد الماضي", "2021-04-25", Day),
            ("الخميس", "الخميس", "2021-04-29", Day),
            ("الشهر الماضي", "الشهر الماضي", "2021-04-01", Month),
            ("العام الماضي", "العام الماضي", "2020-01-01", Year),
            (
                "في الثالث من الشهر الجاري",
                "الثالث من الشهر الجاري",
                "2021-05-03",
                Day,
            ),
            (
                "في 3 من الشهر الحالي",
                "3 من الشهر الحالي",
                "2021-05-03",
                Day,
            ),
            (
                "في السادس عشر من الشهر الماضي",
                "السادس عشر من الشهر الماضي",
                "2021-04-16",
                Day,
            ),
            // English
            ("on March 3 the", "March 3", "2021-03-03", Day),
            ("on 3 March 2021 the", "3 March 2021", "2021-03-03", Day),
            ("on March 3, 2021 the", "March 3, 2021", "2021-03-03", Day),
            ("on the 3rd of March", "3rd of March", "2021-03-03", Day),
            ("on 5 March", "5 March", "2021-03-05", Day),
            (
                "in September 2019 the",
                "in September 2019",
                "2019-09-01",
                Month,
            ),
            ("last March", "last March", "2021-03-01", Month),
            ("in 2014 the", "in 2014", "2014-01-01", Year),
            ("yesterday", "yesterday", "2021-05-01", Day),
            ("this morning", "this morning", "2021-05-02", Day),
            ("today", "today", "2021-05-02", Day),
            (
                "the day before yesterday",
                "day before yesterday",
                "2021-04-30",
                Day,
            ),
            ("on Tuesday", "on Tuesday", "2021-04-27", Day),
            (
                "yesterday (Saturday)",
                "yesterday (Saturday)",
                "2021-05-01",
                Day,
            ),
            ("last Saturday", "last Saturday", "2021-05-01", Day),
            ("next Monday", "next Monday", "2021-05-03", Day),
            ("last month", "last month", "2021-04-01", Month),
            // Ordinal days, counts of days back, months of last year.
            (
                "في الثالث من تشرين الأول",
                "الثالث من تشرين الأول",
                "2020-10-03",
                Day,
            ),
            (
                "فجر الحادي والعشرين من آذار 2019",
                "الحادي والعشرين من آذار 2019",
                "2019-03-21",
                Day,
            ),
            ("قبل ثلاثة أيام", "قبل ثلاثة أيام", "2021-04-29", Day),
            ("قبل يومين", "قبل يومين", "2021-04-30", Day),
            ("three days ago", "three days ago", "2021-04-29", Day),
            ("a week ago", "a week ago", "2021-04-25", Day),
            ("in May last year", "in May last year", "2020-05-01", Month),
            (
                "في آذار من العام الماضي",
                "في آذار من العام الماضي",
                "2020-03-01",
                Month,
            ),
            ("on Dec. 29", "Dec. 29", "2020-12-29", Day),
            ("in early 2015", "early 2015", "2015-01-01", Year),
            ("أواخر 2017", "أواخر 2017", "2017-01-01", Year),
        ];
        let published = Some(ymd(SEED_PUB.0, SEED_PUB.1, SEED_PUB.2));
        for (text, surface, date, precision) in cases {
            let got = found(text, published);
            let want = vec![(surface.to_string(), date.to_string(), *precision)];
            assert_eq!(got, want, "in {text:?}");
        }
    }

    #[test]
    fn counts_from_another_event_and_bare_ordinals_are_not_dates() {
        let published = Some(ymd(2021, 5, 2));
        for text in [
            "قبل ثلاثة أيام من الهجوم",
            "الثاني في الترتيب",
            "the second of the attacks",
        ] {
            assert_eq!(found(text, published), vec![], "in {text:?}");
        }
    }

    #[test]
    fn five_may_2021_is_after_publication_so_last_year() {
        // "5 May" with no year, published 2 May 2021: the latest 5 May before.
        let got = found("on 5 May", Some(ymd(2021, 5, 2)));
        assert_eq!(got[0].1, "2020-05-05");
    }

    #[test]
    fn weekday_next_to_a_date_corrects_it_by_one_day() {
        let cases = [
            // 5 May 2022 was a Thursday: agreement keeps the date.
            ("الخميس 5 أيار 2022", "2022-05-05"),
            // Off by one: the weekday wins.
            ("الخميس 6 أيار 2022", "2022-05-05"),
            ("Thursday, May 6, 2022", "2022-05-05"),
            // Off by more: the written date stays.
            ("الخميس 9 أيار 2022", "2022-05-09"),
        ];
        for (text, want) in cases {
            let got = found(text, Some(ymd(2022, 6, 1)));
            assert_eq!(got.len(), 1, "{text:?}: {got:?}");
            assert_eq!(got[0].0, text);
            assert_eq!(got[0].1, want, "{text:?}");
        }
    }

    #[test]
    fn weekday_on_the_publication_day_is_that_day_unless_last() {
        let sat = Some(ymd(2021, 5, 1));
        assert_eq!(found("يوم السبت", sat)[0].1, "2021-05-01");
        assert_eq!(found("said on Saturday", sat)[0].1, "2021-05-01");
        assert_eq!(found("السبت الماضي", sat)[0].1, "2021-04-24");
        assert_eq!(found("last Saturday", sat)[0].1, "2021-04-24");
        assert_eq!(found("اليوم السبت", sat)[0].1, "2021-05-01");
        assert_eq!(found("أمس السبت", Some(ymd(2021, 5, 2)))[0].1, "2021-05-01");
    }

    #[test]
    fn numbers_and_names_that_are_not_dates() {
        let cases = [
            "قتل 5 أشخاص في الهجوم",
            "بحدود تمتد إلى نحو 620 كيلومتراً",
            "اللواء الـ55 في الجيش",
            "نقل موقع روسيا اليوم عن المصدر",
            "according to USA Today",
            "the militants may attack again",
            "فتح باب الحوار",
            "عند الباب 15 شخصاً",
            "الأسبوع الماضي",
            "last week",
            "خلال 24 ساعة",
        ];
        for text in cases {
            assert_eq!(found(text, Some(ymd(2021, 5, 2))), vec![], "in {text:?}");
        }
    }

    #[test]
    fn without_publication_date_only_absolute_dates() {
        assert_eq!(found("أمس السبت", None), vec![]);
        assert_eq!(found("26 آذار الماضي", None), vec![]);
        let got = found("في 3 آذار 2021 وعام 2014", None);
        let dates: Vec<&str> = got.iter().map(|g| g.1.as_str()).collect();
        assert_eq!(dates, ["2021-03-03", "2014-01-01"]);
    }

    #[test]
    fn offsets_are_chars_of_the_original() {
        let text = "قُتِلَ أَمْسِ شخصان";
        let d = find_dates(text, Some(ymd(2021, 5, 2)));
        let chars: Vec<char> = text.chars().collect();
        let surface: String = chars[d[0].start..d[0].end].iter().collect();
        assert_eq!(surface, "أَمْسِ");
    }
}
