//! Types that flow between the pipeline stages.
//!
//! Offsets (`start`, `end`) are always counted in Unicode scalar values
//! (`char`s) of the article text as the reader extracted it, `end`
//! exclusive — the same convention as Python's `str` indexing, which is what
//! the output contract promises.

use chrono::NaiveDate;
use serde::Serialize;

/// One article as the reader extracted it: the text that every offset refers to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Article {
    /// Article id: the input path relative to the folder given, or a record's `id`.
    pub id: String,
    pub title: Option<String>,
    /// Publication date, if the input carried one (or `--date` gave it).
    pub date: Option<NaiveDate>,
    pub url: Option<String>,
    /// The full text, title included as its first line when the input has one.
    pub text: String,
}

/// What kind of thing a gazetteer place is. The names are those of the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Country,
    Governorate,
    District,
    Subdistrict,
    City,
    Town,
    Village,
    Crossing,
    Camp,
    Base,
    River,
    Mountain,
    Region,
    Border,
    Infrastructure,
    /// A coordinate written in the text (not a gazetteer place).
    Coordinate,
}

impl Kind {
    /// Parses the spec's lower-case kind name.
    pub fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "country" => Kind::Country,
            "governorate" => Kind::Governorate,
            "district" => Kind::District,
            "subdistrict" => Kind::Subdistrict,
            "city" => Kind::City,
            "town" => Kind::Town,
            "village" => Kind::Village,
            "crossing" => Kind::Crossing,
            "camp" => Kind::Camp,
            "base" => Kind::Base,
            "river" => Kind::River,
            "mountain" => Kind::Mountain,
            "region" => Kind::Region,
            "border" => Kind::Border,
            "infrastructure" => Kind::Infrastructure,
            "coordinate" => Kind::Coordinate,
            _ => return None,
        })
    }

    /// The spec's lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Country => "country",
            Kind::Governorate => "governorate",
            Kind::District => "district",
            Kind::Subdistrict => "subdistrict",
            Kind::City => "city",
            Kind::Town => "town",
            Kind::Village => "village",
            Kind::Crossing => "crossing",
            Kind::Camp => "camp",
            Kind::Base => "base",
            Kind::River => "river",
            Kind::Mountain => "mountain",
            Kind::Region => "region",
            Kind::Border => "border",
            Kind::Infrastructure => "infrastructure",
            Kind::Coordinate => "coordinate",
        }
    }

    /// True for places that are areas (their point is only representative).
    pub fn is_area(self) -> bool {
        matches!(
            self,
            Kind::Country
                | Kind::Governorate
                | Kind::District
                | Kind::Subdistrict
                | Kind::Region
                | Kind::Border
                | Kind::River
                | Kind::Mountain
        )
    }

    /// ACLED-style geo-precision of an event located at a place of this kind:
    /// 1 the point itself, 2 a district or sub-district, 3 a governorate,
    /// region, country or the border as a whole.
    pub fn geo_precision(self) -> u8 {
        match self {
            Kind::Country | Kind::Governorate | Kind::Region | Kind::Border | Kind::River => 3,
            Kind::District | Kind::Subdistrict | Kind::Mountain => 2,
            _ => 1,
        }
    }
}

/// How precise an event date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DatePrecision {
    Day,
    Month,
    Year,
    /// Fell back to the article's publication date.
    Article,
}

impl DatePrecision {
    pub fn as_str(self) -> &'static str {
        match self {
            DatePrecision::Day => "day",
            DatePrecision::Month => "month",
            DatePrecision::Year => "year",
            DatePrecision::Article => "article",
        }
    }
}

/// A place mention found in an article and resolved to a gazetteer place.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// Char offset of the first char of the surface (clitics included).
    pub start: usize,
    /// Char offset one past the surface.
    pub end: usize,
    /// `text[start..end]`, exactly as written.
    pub surface: String,
    /// Index of the place in the gazetteer that resolved it.
    pub place: u32,
    pub kind: Kind,
    /// The resolver's belief that this reading is right, 0–1.
    pub confidence: f32,
    /// The text said "near X" / "قرب X": the event is around, not at, the place.
    pub near: bool,
    /// The text said "X countryside" / "ريف X": the area around a town.
    pub countryside: bool,
    /// Point written in the text (kind `coordinate`), as (lon, lat).
    pub point: Option<(f64, f64)>,
}

/// Something that happened, at a place, on a date, read from one sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Index into the article's mentions of the mention that locates the event.
    pub mention: usize,
    pub date: Option<NaiveDate>,
    pub date_precision: DatePrecision,
    pub event_type: String,
    pub sub_event_type: String,
    /// Canonical actor names, in order of first appearance.
    pub actors: Vec<String>,
    pub geo_precision: u8,
    /// Char offsets of the sentence the event was read from.
    pub sentence_start: usize,
    pub sentence_end: usize,
    /// Char offsets of the trigger phrase in that sentence.
    pub trigger_start: usize,
    pub trigger_end: usize,
    /// The date was written in the trigger's own clause (not taken from
    /// another clause, paragraph, the lead or the publication date).
    pub own_date: bool,
}
