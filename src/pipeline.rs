//! The whole road for one article: normalise → tag → resolve → events →
//! zones, giving the records the writers turn into layers.

use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::sync::RwLock;

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::events::{drop_restated, extract_events_folded, word_before, EventLexicon, PhraseHits};
use crate::gazetteer::{Gazetteer, Place};
use crate::geometry::{distance_to_line_km, haversine_km, round6, unit_vector};
use crate::model::{Article, DatePrecision, Event, Kind, Mention};
use crate::normalise::Folded;
use crate::resolve::Resolver;
use crate::tag::{Span, Tagger};
use crate::zones::{controller_name, ZoneSet};

/// How far from the border line a place may be for an event "on the
/// border" to be the same as one there (a crossing, a border town).
const BORDER_BAND_KM: f64 = 30.0;

/// How far from the Iraq–Syria border a place outside the two countries may
/// be and still be where an event happened (Akçakale, Nusaybin, Tower 22 lie
/// well inside; Ankara, Amman, Beirut, Tehran outside).
const FOREIGN_EVENT_KM: f64 = 280.0;

/// Words before a place that make it where something happened.
const LOCATIVE_WORDS: [&str; 7] = ["in", "at", "near", "inside", "في", "قرب", "داخل"];

/// Distance to the border (km) and the nearest crossing's name.
type BorderInfo = (f64, Option<&'static str>);

/// A record's text field: borrowed from the bundled gazetteer or lexicons
/// (they live as long as the process), owned only when made up for the
/// record, such as a coordinate's name. Saves an allocation per field per
/// record, and these fields are most of a record.
pub type Text = Cow<'static, str>;

/// Sample points of an area, shared between threads.
type Samples = std::sync::Arc<Vec<(f64, f64)>>;

/// Controller codes with their share of an area, largest first.
type Shares = Vec<(String, f64)>;

/// Radius of a city named as a whole, km: the extent over which its
/// controllers are weighed (the zone rules draw Qamishli and al-Hasakah
/// cities as 4 km discs too).
const CITY_KM: f64 = 4.0;

/// The first day after the period a date of this precision stands for
/// (`first` is the period's first day); `None` for a single day.
fn period_end(first: NaiveDate, precision: DatePrecision) -> Option<NaiveDate> {
    use chrono::Datelike;
    match precision {
        DatePrecision::Month => {
            let (y, m) = if first.month() == 12 {
                (first.year() + 1, 1)
            } else {
                (first.year(), first.month() + 1)
            };
            NaiveDate::from_ymd_opt(y, m, 1)
        }
        DatePrecision::Year => NaiveDate::from_ymd_opt(first.year() + 1, 1, 1),
        DatePrecision::Day | DatePrecision::Article => None,
    }
}

/// Everything built once and shared across articles and threads.
#[derive(Debug)]
pub struct Pipeline {
    gazetteer: &'static Gazetteer,
    tagger: Tagger,
    resolver: Resolver,
    lexicon: EventLexicon,
    zones: ZoneSet,
    crossings: Vec<u32>,
    /// Controller shares of areas per (place, date): polygons are big, dates repeat.
    /// Keyed by (place, zones in force around it): the shares change only
    /// when those zones do, whatever the date.
    share_cache: RwLock<HashMap<(u32, Vec<usize>), Shares>>,
    /// Distance to the border and nearest crossing per point (places repeat).
    border_cache: RwLock<HashMap<(u64, u64), BorderInfo>>,
    /// Sample points of areas, for the shares.
    sample_cache: RwLock<HashMap<u32, Samples>>,
    /// Sample points of cities' discs, for the shares of a city.
    city_cache: RwLock<HashMap<u32, Samples>>,
    /// Controller of a gazetteer place per (place, countryside, zone epoch):
    /// archives name the same few hundred places on thousands of dates.
    control_cache: RwLock<HashMap<(u32, bool, usize), ControlInfo>>,
    /// Places that are not areas, as points on the unit sphere, for the
    /// place nearest a coordinate (built on first use).
    point_index: std::sync::OnceLock<rstar::RTree<rstar::primitives::GeomWithData<[f64; 3], u32>>>,
    region: Region,
}

/// Which mentions to keep.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Region {
    /// Every place, wherever it is; `in_region` marks the frontier ones.
    #[default]
    All,
    /// Only places inside the frontier region (lon 38–44.5, lat 32–37.5).
    Frontier,
}

/// Choices that change what the pipeline reads against.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// A CSV or TSV of extra places, same columns as `gazetteer/places.tsv`.
    pub gazetteer_extra: Option<std::path::PathBuf>,
    /// A GeoJSON of zones of control, on top of the bundled ones.
    pub zones: Option<std::path::PathBuf>,
    /// Use only the user's zones.
    pub replace_zones: bool,
    pub region: Region,
}

/// The frontier region: the box the gazetteer is complete for.
pub fn in_region(lon: f64, lat: f64) -> bool {
    (38.0..=44.5).contains(&lon) && (32.0..=37.5).contains(&lat)
}

/// A place mention as the `mentions` layer writes it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MentionRecord {
    pub article: String,
    pub start: usize,
    pub end: usize,
    pub surface: String,
    pub place_id: Text,
    pub name_en: Text,
    pub name_ar: Text,
    pub kind: &'static str,
    pub country: Text,
    pub admin1: Option<Text>,
    pub admin2: Option<Text>,
    pub controller: Option<Text>,
    pub controller_name: Option<&'static str>,
    pub confidence: f64,
    pub border_km: f64,
    pub border_side: Text,
    pub nearest_crossing: Option<&'static str>,
    pub in_region: bool,
    #[serde(skip)]
    pub lon: f64,
    #[serde(skip)]
    pub lat: f64,
}

/// An event as the `events` layer writes it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EventRecord {
    pub event_id: String,
    pub article: String,
    pub date: Option<String>,
    pub date_precision: &'static str,
    pub event_type: String,
    pub sub_event_type: String,
    pub actors: String,
    pub place_id: Text,
    pub name_en: Text,
    pub name_ar: Text,
    pub kind: &'static str,
    pub surface: String,
    pub geo_precision: u8,
    pub country: Text,
    pub admin1: Option<Text>,
    pub admin2: Option<Text>,
    pub controller: Option<Text>,
    pub controller_name: Option<&'static str>,
    pub controller_share: Option<String>,
    pub zone_id: Option<String>,
    pub border_km: f64,
    pub border_side: Text,
    pub nearest_crossing: Option<&'static str>,
    pub text: String,
    #[serde(skip)]
    pub lon: f64,
    #[serde(skip)]
    pub lat: f64,
    #[serde(skip)]
    pub date_value: Option<NaiveDate>,
}

/// An article after [`Pipeline::scan`]: its folded text and chars, and the
/// names and event phrases found in it, for [`Pipeline::finish`].
#[derive(Debug)]
pub struct Scanned {
    folded: Folded,
    chars: Vec<char>,
    spans: Vec<Span>,
    phrases: PhraseHits,
}

/// The result of one article.
#[derive(Debug, Clone)]
pub struct ArticleResult {
    pub article: Article,
    pub mentions: Vec<MentionRecord>,
    pub events: Vec<EventRecord>,
}

impl ControlInfo {
    /// English display name of the controller.
    fn name(&self) -> Option<&'static str> {
        self.controller.as_deref().and_then(controller_name)
    }
}

/// Who held a place on a date, in the layers' terms.
#[derive(Debug, Clone, Default, PartialEq)]
struct ControlInfo {
    controller: Option<Text>,
    share: Option<String>,
    zone_id: Option<String>,
}

impl Pipeline {
    /// The pipeline over the bundled gazetteer, lexicons and zones.
    pub fn bundled() -> Result<Pipeline> {
        Pipeline::new(Gazetteer::bundled()?, ZoneSet::bundled()?)
    }

    /// The pipeline with a user's places, zones and region filter.
    pub fn with_options(opts: &Options) -> Result<Pipeline> {
        let gazetteer: &'static Gazetteer = match &opts.gazetteer_extra {
            // Lives as long as the process, like the bundled one.
            Some(path) => Box::leak(Box::new(Gazetteer::load_bundled()?.with_extra(path)?)),
            None => Gazetteer::bundled()?,
        };
        let zones = match &opts.zones {
            Some(path) => ZoneSet::bundled()?.with_user_file(path, opts.replace_zones)?,
            None => ZoneSet::bundled()?,
        };
        let mut p = Pipeline::new(gazetteer, zones)?;
        p.region = opts.region;
        Ok(p)
    }

    /// A pipeline over a given gazetteer and zone set.
    pub fn new(gazetteer: &'static Gazetteer, zones: ZoneSet) -> Result<Pipeline> {
        let crossings = (0..gazetteer.places().len() as u32)
            .filter(|&i| gazetteer.place(i).kind == Kind::Crossing)
            .collect();
        Ok(Pipeline {
            gazetteer,
            tagger: Tagger::new(gazetteer)?,
            resolver: Resolver::new()?,
            lexicon: EventLexicon::bundled().map_err(|e| Error::Data(e.to_string()))?,
            zones,
            crossings,
            share_cache: RwLock::new(HashMap::default()),
            border_cache: RwLock::new(HashMap::default()),
            sample_cache: RwLock::new(HashMap::default()),
            city_cache: RwLock::new(HashMap::default()),
            control_cache: RwLock::new(HashMap::default()),
            point_index: std::sync::OnceLock::new(),
            region: Region::All,
        })
    }

    /// The gazetteer in use.
    pub fn gazetteer(&self) -> &'static Gazetteer {
        self.gazetteer
    }

    /// The zone set in use.
    pub fn zones(&self) -> &ZoneSet {
        &self.zones
    }

    /// The tagger in use.
    pub fn tagger(&self) -> &Tagger {
        &self.tagger
    }

    /// Place mentions of one text, resolved (no zones, no events).
    pub fn mentions(&self, text: &str) -> Vec<Mention> {
        let (folded, chars, spans) = self.names_in(text);
        self.mentions_of(text, &chars, &folded, &spans)
    }

    /// Normalise and tag: `text` folded, its chars, and its name spans.
    fn names_in(&self, text: &str) -> (Folded, Vec<char>, Vec<Span>) {
        let folded = Folded::new(text);
        let chars: Vec<char> = text.chars().collect();
        let spans = self.tagger.tag(&chars, &folded);
        (folded, chars, spans)
    }

    /// The mentions of the name spans `spans` found in `text`, and of the
    /// coordinates written in it.
    fn mentions_of(
        &self,
        text: &str,
        original: &[char],
        folded: &Folded,
        spans: &[Span],
    ) -> Vec<Mention> {
        let mut mentions =
            self.resolver
                .resolve(self.gazetteer, &self.tagger, folded, original, spans);
        // Names do not overlap one another: of those starting before a
        // coordinate ends, only the last can overlap it.
        let mut names: Vec<(usize, usize)> = mentions.iter().map(|m| (m.start, m.end)).collect();
        names.sort_unstable();
        for c in crate::coords::find_coordinates(text) {
            let before = names.partition_point(|&(s, _)| s < c.end);
            if before > 0 && names[before - 1].1 > c.start {
                continue;
            }
            let Some(place) = self.nearest_place(c.lon, c.lat) else {
                continue;
            };
            mentions.push(Mention {
                start: c.start,
                end: c.end,
                surface: original[c.start..c.end].iter().collect(),
                place,
                kind: Kind::Coordinate,
                confidence: 0.95,
                near: false,
                countryside: false,
                point: Some((c.lon, c.lat)),
            });
        }
        mentions.sort_by_key(|m| m.start);
        if self.region == Region::Frontier {
            mentions.retain(|m| {
                let (lon, lat) = self.point_of(m);
                in_region(lon, lat)
            });
        }
        mentions
    }

    /// The nearest settlement or point of interest, for a bare coordinate.
    fn nearest_place(&self, lon: f64, lat: f64) -> Option<u32> {
        let g = self.gazetteer;
        let index = self.point_index.get_or_init(|| {
            let points = (0..g.places().len() as u32)
                .filter(|&i| !g.place(i).kind.is_area())
                .map(|i| {
                    rstar::primitives::GeomWithData::new(
                        unit_vector(g.place(i).lon, g.place(i).lat),
                        i,
                    )
                })
                .collect();
            rstar::RTree::bulk_load(points)
        });
        // The straight-line distance through the sphere grows with the
        // distance along it: the nearest by one is the nearest by the
        // other. Near-ties are settled as a scan would: the lower index.
        let mut best: Option<(u32, f64)> = None;
        let mut bound = f64::INFINITY;
        for (p, d2) in index.nearest_neighbor_iter_with_distance_2(&unit_vector(lon, lat)) {
            if d2 > bound {
                break;
            }
            bound = bound.min(d2 * (1.0 + 1e-9) + 1e-18);
            let km = haversine_km((lon, lat), (g.place(p.data).lon, g.place(p.data).lat));
            let better = match best {
                None => true,
                Some((i, d)) => km.total_cmp(&d).then(p.data.cmp(&i)).is_lt(),
            };
            if better {
                best = Some((p.data, km));
            }
        }
        best.map(|(i, _)| i)
    }

    /// Runs every stage over one article.
    pub fn process(&self, article: &Article) -> ArticleResult {
        self.finish(article, self.scan(article))
    }

    /// The first stages of [`Pipeline::process`]: normalise, then scan for
    /// names and event phrases. A batch runs this over many articles in a
    /// row before [`Pipeline::finish`] runs the rest over each, so the
    /// matchers (the names' is megabytes) stay in cache while they work.
    pub fn scan(&self, article: &Article) -> Scanned {
        let (folded, chars, spans) = self.names_in(&article.text);
        let phrases = self.lexicon.scan(&folded);
        Scanned {
            folded,
            chars,
            spans,
            phrases,
        }
    }

    /// The rest of [`Pipeline::process`]: resolve, events, zones and the
    /// records. `scanned` must be what [`Pipeline::scan`] made of `article`.
    pub fn finish(&self, article: &Article, scanned: Scanned) -> ArticleResult {
        let Scanned {
            folded,
            chars,
            spans,
            phrases,
        } = scanned;
        let mentions = self.mentions_of(&article.text, &chars, &folded, &spans);
        // Events happen on the ground of the frontier: a foreign country named
        // in a sentence ("backed by Iran", "the US-led coalition") is an actor.
        let locatable: Vec<usize> = (0..mentions.len())
            .filter(|&i| self.can_locate_event(&mentions[i], &chars))
            .collect();
        let subset: Vec<Mention> = locatable.iter().map(|&i| mentions[i].clone()).collect();
        let mut events =
            extract_events_folded(article, &chars, &folded, phrases, &subset, &self.lexicon);
        for e in &mut events {
            e.mention = locatable[e.mention];
        }
        // What happened far outside the frontier ("a bomb attack in
        // Istanbul") is not on this map.
        events.retain(|e| !self.far_abroad(&mentions[e.mention]));
        let events = drop_restated(events, &mentions, |area, m| self.covers(area, m));
        let mention_records = mentions
            .iter()
            .map(|m| self.mention_record(article, m))
            .collect();
        let event_records = events
            .iter()
            .filter_map(|e| Some(self.event_record(article, &chars, mentions.get(e.mention)?, e)))
            .collect();
        ArticleResult {
            article: article.clone(),
            mentions: mention_records,
            events: event_records,
        }
    }

    /// The place a mention stands for; for a coordinate, a place of its own
    /// at the point, named after the nearest gazetteer place.
    fn place_view(&self, m: &Mention) -> PlaceView {
        let near = self.gazetteer.place(m.place);
        let Some((lon, lat)) = m.point.filter(|_| m.kind == Kind::Coordinate) else {
            return PlaceView(Cow::Borrowed(near));
        };
        let km = haversine_km((lon, lat), (near.lon, near.lat));
        let (admin1, admin2) = self.admin_of(lon, lat);
        PlaceView(Cow::Owned(Place {
            id: format!("coord:{:.5},{:.5}", lat, lon),
            kind: Kind::Coordinate,
            name_en: format!("{km:.1} km from {}", near.name_en),
            name_ar: format!(
                "{km:.1} كم من {}",
                if near.name_ar.is_empty() {
                    &near.name_en
                } else {
                    &near.name_ar
                }
            ),
            names: Vec::new(),
            country: self
                .country_at(lon, lat)
                .unwrap_or_else(|| near.country.clone()),
            admin1,
            admin2,
            admin3: None,
            lon,
            lat,
            population: None,
            needs_context: false,
        }))
    }

    /// The country polygon a point falls in (Syria or Iraq first).
    fn country_at(&self, lon: f64, lat: f64) -> Option<String> {
        self.gazetteer
            .places()
            .iter()
            .enumerate()
            .filter(|(_, p)| p.kind == Kind::Country)
            .find(|(i, _)| self.gazetteer.area_contains(*i as u32, lon, lat))
            .map(|(_, p)| p.country.clone())
    }

    /// English names of the governorate and district a point falls in.
    fn admin_of(&self, lon: f64, lat: f64) -> (Option<String>, Option<String>) {
        let find = |k: Kind| {
            self.gazetteer
                .places()
                .iter()
                .enumerate()
                .filter(|(_, p)| p.kind == k)
                .find(|(i, _)| self.gazetteer.area_contains(*i as u32, lon, lat))
                .map(|(_, p)| p.name_en.clone())
        };
        (find(Kind::Governorate), find(Kind::District))
    }

    /// True when the place of mention `m` lies in the area of mention
    /// `area`: in its country, inside its governorate, district or region,
    /// or within [`BORDER_BAND_KM`] of the border.
    fn covers(&self, area: &Mention, m: &Mention) -> bool {
        let g = self.gazetteer;
        let p = g.place(m.place);
        let (lon, lat) = m.point.unwrap_or((p.lon, p.lat));
        let a = g.place(area.place);
        match area.kind {
            Kind::Country => a.country.split(',').any(|c| c == p.country),
            Kind::Governorate | Kind::District | Kind::Subdistrict | Kind::Region => {
                if m.kind == Kind::Coordinate {
                    g.area_contains(area.place, lon, lat)
                } else {
                    crate::resolve::inside(m.place, area.place, g)
                }
            }
            Kind::Border => self.border_info(lon, lat).0 <= BORDER_BAND_KM,
            _ => false,
        }
    }

    /// Whether an event may be placed at mention `m`. A foreign country is
    /// an actor ("backed by Iran"), and so is a capital far away named
    /// without "in"/"في" before it ("Ankara has carried out…", "summoned
    /// Ankara's envoy"); "in Istanbul" is a place, whose events
    /// [`Pipeline::far_abroad`] then leaves off the map.
    fn can_locate_event(&self, m: &Mention, chars: &[char]) -> bool {
        let p = self.gazetteer.place(m.place);
        let home = p.country.split(',').any(|c| c == "SY" || c == "IQ");
        if home {
            return true;
        }
        if m.kind == Kind::Country {
            return false;
        }
        if !self.far_abroad(m) {
            return true;
        }
        let clitic = m.surface.starts_with('ب') && !p.name_ar.starts_with('ب');
        clitic || LOCATIVE_WORDS.contains(&word_before(chars, m.start).as_str())
    }

    /// True for a place outside Syria and Iraq more than
    /// [`FOREIGN_EVENT_KM`] from their border.
    fn far_abroad(&self, m: &Mention) -> bool {
        let p = self.gazetteer.place(m.place);
        if p.country.split(',').any(|c| c == "SY" || c == "IQ") {
            return false;
        }
        let (lon, lat) = m.point.unwrap_or((p.lon, p.lat));
        self.border_info(lon, lat).0 > FOREIGN_EVENT_KM
    }

    /// Which side of the border a point lies on: the place's own country
    /// (the sources place towns more precisely than the 1:10m border line),
    /// or by the country polygons for places on both sides and bare points.
    fn border_side(&self, lon: f64, lat: f64, border_km: f64, p: &PlaceView) -> Text {
        let fallback = || match &p.0 {
            Cow::Borrowed(p) => Text::Borrowed(p.country.split(',').next().unwrap_or("")),
            Cow::Owned(p) => Text::Owned(p.country.split(',').next().unwrap_or("").to_string()),
        };
        let trusted =
            p.kind != Kind::Coordinate && !p.country.contains(',') && !p.country.is_empty();
        if border_km > 25.0 || trusted {
            return fallback();
        }
        for (id, code) in [("country-sy", "SY"), ("country-iq", "IQ")] {
            let inside = self
                .gazetteer
                .index_of(id)
                .is_some_and(|i| self.gazetteer.area_contains(i, lon, lat));
            if inside {
                return Text::Borrowed(code);
            }
        }
        fallback()
    }

    fn point_of(&self, m: &Mention) -> (f64, f64) {
        m.point.unwrap_or_else(|| {
            let p = self.gazetteer.place(m.place);
            (p.lon, p.lat)
        })
    }

    fn mention_record(&self, article: &Article, m: &Mention) -> MentionRecord {
        let p = &self.place_view(m);
        let (lon, lat) = self.point_of(m);
        let (border_km, nearest_crossing) = self.border_info(lon, lat);
        let ctl = article
            .date
            .map(|d| self.control(m, lon, lat, d))
            .unwrap_or_default();
        MentionRecord {
            article: article.id.clone(),
            start: m.start,
            end: m.end,
            surface: m.surface.clone(),
            place_id: p.text(|p| &p.id),
            name_en: p.text(|p| &p.name_en),
            name_ar: p.text(|p| &p.name_ar),
            kind: m.kind.as_str(),
            country: p.text(|p| &p.country),
            admin1: p.opt_text(|p| p.admin1.as_ref()),
            admin2: p.opt_text(|p| p.admin2.as_ref()),
            controller_name: ctl.name(),
            controller: ctl.controller,
            confidence: (f64::from(m.confidence) * 1000.0).round() / 1000.0,
            border_side: self.border_side(lon, lat, border_km, p),
            border_km,
            nearest_crossing,
            in_region: in_region(lon, lat),
            lon: round6(lon),
            lat: round6(lat),
        }
    }

    fn event_record(
        &self,
        article: &Article,
        chars: &[char],
        m: &Mention,
        e: &Event,
    ) -> EventRecord {
        let p = &self.place_view(m);
        let (lon, lat) = self.point_of(m);
        let (border_km, nearest_crossing) = self.border_info(lon, lat);
        let ctl = e
            .date
            .map(|d| self.control_over(m, lon, lat, d, e.date_precision, article.date))
            .unwrap_or_default();
        let sentence = &chars[e.sentence_start.min(chars.len())..e.sentence_end.min(chars.len())];
        let lead = sentence.iter().take_while(|c| c.is_whitespace()).count();
        let trail = sentence[lead..]
            .iter()
            .rev()
            .take_while(|c| c.is_whitespace())
            .count();
        let text: String = sentence[lead..sentence.len() - trail].iter().collect();
        EventRecord {
            event_id: event_id(&article.id, e, &p.id),
            article: article.id.clone(),
            // NaiveDate's Display is ISO 8601 (YYYY-MM-DD), without a format parser.
            date: e.date.map(|d| d.to_string()),
            date_precision: e.date_precision.as_str(),
            event_type: e.event_type.clone(),
            sub_event_type: e.sub_event_type.clone(),
            actors: e.actors.join("; "),
            place_id: p.text(|p| &p.id),
            name_en: p.text(|p| &p.name_en),
            name_ar: p.text(|p| &p.name_ar),
            kind: m.kind.as_str(),
            surface: m.surface.clone(),
            geo_precision: e.geo_precision,
            country: p.text(|p| &p.country),
            admin1: p.opt_text(|p| p.admin1.as_ref()),
            admin2: p.opt_text(|p| p.admin2.as_ref()),
            controller_name: ctl.name(),
            controller: ctl.controller,
            controller_share: ctl.share,
            zone_id: ctl.zone_id,
            border_side: self.border_side(lon, lat, border_km, p),
            border_km,
            nearest_crossing,
            text,
            lon: round6(lon),
            lat: round6(lat),
            date_value: e.date,
        }
    }

    /// Controller of a place on a date: the point's zone, or for an area
    /// split between zones, `MIXED` with the shares.
    fn control(&self, m: &Mention, lon: f64, lat: f64, date: NaiveDate) -> ControlInfo {
        if m.kind == Kind::Coordinate {
            return self.control_uncached(m, lon, lat, date);
        }
        let key = (m.place, m.countryside, self.zones.epoch(date));
        if let Some(hit) = self
            .control_cache
            .read()
            .ok()
            .and_then(|c| c.get(&key).cloned())
        {
            return hit;
        }
        let info = self.control_uncached(m, lon, lat, date);
        if let Ok(mut c) = self.control_cache.write() {
            c.insert(key, info.clone());
        }
        info
    }

    fn control_uncached(&self, m: &Mention, lon: f64, lat: f64, date: NaiveDate) -> ControlInfo {
        let place = m.place;
        let p = &self.place_view(m);
        if matches!(p.kind, Kind::Country | Kind::Border | Kind::River) {
            return ControlInfo::default();
        }
        // The zones reach about 1 km past Syria's and Iraq's outlines (for
        // the border towns the outlines leave out): a place of another
        // country, such as a Turkish town across the border, has no zone.
        if !p.country.split(',').any(|c| c == "SY" || c == "IQ") {
            return ControlInfo::default();
        }
        if p.kind.is_area() && !m.countryside {
            if let Some(info) = self.area_control(place, date) {
                return info;
            }
        }
        if p.kind == Kind::City && !m.countryside {
            if let Some(info) = self.city_control(place, p, lon, lat, date) {
                return info;
            }
        }
        match self.control_on_own_side(p, lon, lat, date) {
            Some(c) => ControlInfo {
                share: self.mixed_share(&c),
                controller: Some(crate::zones::controller_text(c.controller)),
                zone_id: Some(c.zone_id),
            },
            None => ControlInfo::default(),
        }
    }

    /// The shares a `MIXED` zone carries, when such a zone decided.
    fn mixed_share(&self, c: &crate::zones::Control) -> Option<String> {
        if c.controller != "MIXED" {
            return None;
        }
        let z = &self.zones.zones()[c.zone?];
        if z.zone_id != c.zone_id {
            return None; // a town-level fact decided, not the zone
        }
        z.properties
            .get("controller_share")
            .and_then(serde_json::Value::as_str)
            .map(str::to_string)
    }

    /// Controller of a city named as a whole: the zones over the city's
    /// extent (a disc of [`CITY_KM`] on its own side of the border), not
    /// only at its point, which may sit in an enclave such as the regime's
    /// security square in Qamishli. `None` when a town-level fact covers
    /// the point (the fact decides) or when the zone at the point holds
    /// (nearly) all of the city.
    fn city_control(
        &self,
        place: u32,
        p: &Place,
        lon: f64,
        lat: f64,
        date: NaiveDate,
    ) -> Option<ControlInfo> {
        if self
            .zones
            .fact_at(lon, lat, date, Some(p.country.as_str()))
            .is_some()
        {
            return None;
        }
        let samples = self.city_samples(place, p, lon, lat);
        // Samples per zone, then per controller.
        let mut per_zone: Vec<(usize, usize)> = Vec::new();
        for &(x, y) in samples.iter() {
            let Some(z) = self.zones.zone_at(x, y, date) else {
                continue;
            };
            match per_zone.iter_mut().find(|c| c.0 == z) {
                Some(c) => c.1 += 1,
                None => per_zone.push((z, 1)),
            }
        }
        if per_zone.is_empty() {
            return None;
        }
        let zones = self.zones.zones();
        // Weight per controller, and the zone that gave it the most. A
        // sample in a MIXED zone counts for the zone's own shares.
        let mut per_ctl: Vec<(&str, f64, usize, f64)> = Vec::new(); // (code, weight, zone, zone's weight)
        for &(z, k) in &per_zone {
            for (code, w) in zone_parts(&zones[z]) {
                let w = w * k as f64;
                match per_ctl.iter_mut().find(|c| c.0 == code) {
                    Some(c) => {
                        c.1 += w;
                        if w > c.3 {
                            (c.2, c.3) = (z, w);
                        }
                    }
                    None => per_ctl.push((code, w, z, w)),
                }
            }
        }
        let total: f64 = per_ctl.iter().map(|c| c.1).sum();
        per_ctl.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
        let (top, top_w, top_zone, _) = per_ctl[0];
        if top_w / total >= 0.9 {
            let here = self.zones.zone_at(lon, lat, date);
            if here.is_some_and(|z| zones[z].controller == top) {
                return None; // the point's own zone holds the city
            }
            let c = crate::zones::Control {
                controller: top.to_string(),
                zone_id: zones[top_zone].zone_id.clone(),
                zone: Some(top_zone),
            };
            return Some(ControlInfo {
                share: self.mixed_share(&c),
                controller: Some(crate::zones::controller_text(c.controller)),
                zone_id: Some(c.zone_id),
            });
        }
        let share = per_ctl
            .iter()
            .map(|&(c, w, _, _)| (c, w / total))
            .filter(|(_, s)| *s >= 0.05)
            .map(|(c, s)| format!("{c} {s:.2}"))
            .collect::<Vec<_>>()
            .join("; ");
        Some(ControlInfo {
            controller: Some(Text::Borrowed("MIXED")),
            share: Some(share),
            zone_id: None,
        })
    }

    /// Sample points of a city's disc on its own side of the border,
    /// computed once per city.
    fn city_samples(&self, place: u32, p: &Place, lon: f64, lat: f64) -> Samples {
        if let Some(s) = self
            .city_cache
            .read()
            .ok()
            .and_then(|c| c.get(&place).cloned())
        {
            return s;
        }
        let countries: Vec<u32> = p
            .country
            .split(',')
            .filter_map(|c| {
                self.gazetteer
                    .index_of(&format!("country-{}", c.to_lowercase()))
            })
            .collect();
        let n = 21;
        let (ky, kx) = (111.0, 111.0 * lat.to_radians().cos());
        let pts: Vec<(f64, f64)> = (0..n * n)
            .map(|k| {
                let (i, j) = ((k / n) as f64, (k % n) as f64);
                let c = (n as f64 - 1.0) / 2.0;
                (
                    (i - c) / c * CITY_KM, // km east
                    (j - c) / c * CITY_KM, // km north
                )
            })
            .filter(|(dx, dy)| dx.hypot(*dy) <= CITY_KM)
            .map(|(dx, dy)| (lon + dx / kx, lat + dy / ky))
            .filter(|&(x, y)| {
                countries.is_empty()
                    || countries
                        .iter()
                        .any(|&c| self.gazetteer.area_contains(c, x, y))
            })
            .collect();
        let pts = std::sync::Arc::new(pts);
        if let Ok(mut c) = self.city_cache.write() {
            c.insert(place, pts.clone());
        }
        pts
    }

    /// Controller of a place over the period an event's date stands for:
    /// for a month or a year, the controller that held the place on most
    /// days of it (a tie goes to the later one), since the day is unknown;
    /// the period ends early at the article's date, as nothing reported
    /// happened after publication. A day (or the article's date) is
    /// looked up as it is.
    fn control_over(
        &self,
        m: &Mention,
        lon: f64,
        lat: f64,
        first: NaiveDate,
        precision: DatePrecision,
        published: Option<NaiveDate>,
    ) -> ControlInfo {
        let Some(mut end) = period_end(first, precision) else {
            return self.control(m, lon, lat, first);
        };
        if let Some(p) = published.filter(|p| (first..end).contains(p)) {
            end = p.succ_opt().unwrap_or(end);
        }
        let mut starts: Vec<NaiveDate> = std::iter::once(first)
            .chain(self.zones.changes_between(first, end))
            .collect();
        starts.push(end);
        // Per controller: days held, and the answer of its longest stretch.
        let mut held: Vec<(ControlInfo, i64, i64, usize)> = Vec::new(); // (info, days, stretch, last)
        for (k, w) in starts.windows(2).enumerate() {
            let days = (w[1] - w[0]).num_days();
            let info = self.control(m, lon, lat, w[0]);
            match held.iter_mut().find(|h| h.0.controller == info.controller) {
                Some(h) => {
                    h.1 += days;
                    h.3 = k;
                    if days >= h.2 {
                        h.2 = days;
                        h.0 = info;
                    }
                }
                None => held.push((info, days, days, k)),
            }
        }
        held.into_iter()
            .max_by_key(|h| (h.1, h.3))
            .map(|h| h.0)
            .unwrap_or_default()
    }

    /// The zone at the point, kept on the place's own side of the border: a
    /// crossing or border village whose point falls a few hundred metres
    /// into the neighbour's zone takes the nearest zone of its own country.
    fn control_on_own_side(
        &self,
        p: &Place,
        lon: f64,
        lat: f64,
        date: NaiveDate,
    ) -> Option<crate::zones::Control> {
        let side = Some(p.country.as_str());
        let here = self.zones.control_at_on(lon, lat, date, side);
        let wrong_side = |c: &crate::zones::Control| {
            controller_country(&c.controller)
                .is_some_and(|cc| !p.country.split(',').any(|pc| pc == cc))
        };
        if !here.as_ref().is_some_and(wrong_side) || p.country.contains(',') {
            return here;
        }
        // Rings of sample points out to 3 km, nearest first.
        for r in [0.5_f64, 1.0, 2.0, 3.0] {
            for k in 0..16 {
                let a = f64::from(k) * std::f64::consts::PI / 8.0;
                let (dlat, dlon) = (
                    r / 111.0 * a.sin(),
                    r / (111.0 * lat.to_radians().cos()) * a.cos(),
                );
                if let Some(c) = self
                    .zones
                    .control_at_on(lon + dlon, lat + dlat, date, side)
                    .filter(|c| !wrong_side(c))
                {
                    return Some(c);
                }
            }
        }
        here
    }

    fn area_control(&self, place: u32, date: NaiveDate) -> Option<ControlInfo> {
        let area = self.gazetteer.area(place)?;
        let key = (place, self.zones.zones_touching(area, date));
        let cached = self
            .share_cache
            .read()
            .ok()
            .and_then(|c| c.get(&key).cloned());
        let shares = cached.unwrap_or_else(|| {
            let s = self.zones.shares_of(&self.samples(place, area), date);
            if let Ok(mut c) = self.share_cache.write() {
                c.insert(key, s.clone());
            }
            s
        });
        let (_, top_share) = shares.first()?;
        if *top_share >= 0.9 {
            return None; // one controller holds (nearly) all of it: use the point's zone
        }
        let share = shares
            .iter()
            .filter(|(_, s)| *s >= 0.05)
            .map(|(c, s)| format!("{c} {s:.2}"))
            .collect::<Vec<_>>()
            .join("; ");
        Some(ControlInfo {
            controller: Some(Text::Borrowed("MIXED")),
            share: Some(share),
            zone_id: None,
        })
    }

    /// The sample points of an area, computed once per area.
    fn samples(
        &self,
        place: u32,
        area: &geo::MultiPolygon<f64>,
    ) -> std::sync::Arc<Vec<(f64, f64)>> {
        if let Some(p) = self
            .sample_cache
            .read()
            .ok()
            .and_then(|c| c.get(&place).cloned())
        {
            return p;
        }
        let pts = std::sync::Arc::new(crate::zones::sample_points(area));
        if let Ok(mut c) = self.sample_cache.write() {
            c.insert(place, pts.clone());
        }
        pts
    }

    /// Distance to the border (km, one decimal) and the nearest crossing.
    fn border_info(&self, lon: f64, lat: f64) -> BorderInfo {
        let key = (lon.to_bits(), lat.to_bits());
        if let Some(hit) = self
            .border_cache
            .read()
            .ok()
            .and_then(|c| c.get(&key).cloned())
        {
            return hit;
        }
        let km = (distance_to_line_km((lon, lat), self.gazetteer.border()) * 10.0).round() / 10.0;
        let info = (km, self.nearest_crossing(lon, lat));
        if let Ok(mut c) = self.border_cache.write() {
            c.insert(key, info);
        }
        info
    }

    fn nearest_crossing(&self, lon: f64, lat: f64) -> Option<&'static str> {
        self.crossings
            .iter()
            .map(|&c| {
                (
                    c,
                    haversine_km(
                        (lon, lat),
                        (self.gazetteer.place(c).lon, self.gazetteer.place(c).lat),
                    ),
                )
            })
            .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
            .map(|(c, _)| self.gazetteer.place(c).name_en.as_str())
    }
}

/// A mention's place: the gazetteer's own (borrowed, it lives as long as
/// the process) or one made up for a coordinate. Its fields become record
/// [`Text`] without copying in the common, borrowed case.
struct PlaceView(Cow<'static, Place>);

impl std::ops::Deref for PlaceView {
    type Target = Place;
    fn deref(&self) -> &Place {
        &self.0
    }
}

impl PlaceView {
    /// A field as record text.
    fn text(&self, field: impl Fn(&Place) -> &String) -> Text {
        match &self.0 {
            Cow::Borrowed(p) => Text::Borrowed(field(p)),
            Cow::Owned(p) => Text::Owned(field(p).clone()),
        }
    }

    /// An optional field as record text.
    fn opt_text(&self, field: impl Fn(&Place) -> Option<&String>) -> Option<Text> {
        match &self.0 {
            Cow::Borrowed(p) => field(p).map(|s| Text::Borrowed(s.as_str())),
            Cow::Owned(p) => field(p).map(|s| Text::Owned(s.clone())),
        }
    }
}

/// A zone's controller with weight 1, or for a `MIXED` zone the
/// controllers of its `controller_share` with their shares.
fn zone_parts(z: &crate::zones::Zone) -> Vec<(&str, f64)> {
    let parts: Vec<(&str, f64)> = (z.controller == "MIXED")
        .then(|| z.properties.get("controller_share")?.as_str())
        .flatten()
        .map(|share| {
            share
                .split(';')
                .filter_map(|p| {
                    let (code, w) = p.trim().rsplit_once(' ')?;
                    Some((code.trim(), w.parse::<f64>().ok()?))
                })
                .collect()
        })
        .unwrap_or_default();
    let sum: f64 = parts.iter().map(|p| p.1).sum();
    if parts.is_empty() || sum <= 0.0 {
        return vec![(z.controller.as_str(), 1.0)];
    }
    parts.into_iter().map(|(c, w)| (c, w / sum)).collect()
}

/// The country a controller holds ground in, for the border-side check.
fn controller_country(code: &str) -> Option<&'static str> {
    match code {
        "IQ_FED" | "KRG" => Some("IQ"),
        "SY_GOV_ASSAD"
        | "SY_GOV_TRANSITIONAL"
        | "SDF"
        | "SY_OPP_TANF"
        | "SY_OPP_REBELS"
        | "TR_SNA" => Some("SY"),
        _ => None,
    }
}

/// A stable id from what identifies an event: same input, same id.
fn event_id(article: &str, e: &Event, place_id: &str) -> String {
    let key = format!(
        "{article}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{place_id}",
        e.sentence_start, e.event_type, e.sub_event_type
    );
    // FNV-1a: tiny, and stable across Rust versions (std's hasher is not promised to be).
    let h = key.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("ev-{h:016x}")
}

/// The `geoparse` output for one article: its text with mentions and events,
/// each with `lat`/`lon` added since there is no geometry.
pub fn geoparse_json(r: &ArticleResult) -> serde_json::Value {
    use serde_json::{json, Value};
    let with_point = |v: Value, lon: f64, lat: f64| match v {
        Value::Object(mut m) => {
            m.insert("lat".into(), lat.into());
            m.insert("lon".into(), lon.into());
            Value::Object(m)
        }
        other => other,
    };
    let to_value = |v: serde_json::Result<Value>| v.unwrap_or(Value::Null);
    json!({
        "article": r.article.id,
        "title": r.article.title,
        "date": r.article.date.map(|d| d.format("%Y-%m-%d").to_string()),
        "text": r.article.text,
        "mentions": r.mentions.iter().map(|m| with_point(to_value(serde_json::to_value(m)), m.lon, m.lat)).collect::<Vec<_>>(),
        "events": r.events.iter().map(|e| with_point(to_value(serde_json::to_value(e)), e.lon, e.lat)).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// What the bundled pipeline makes of `text` published on `date`.
    fn process(text: &str, date: NaiveDate) -> ArticleResult {
        Pipeline::bundled().unwrap().process(&Article {
            id: "t".into(),
            date: Some(date),
            text: text.into(),
            ..Default::default()
        })
    }

    /// (sub-event type, English place name, date) of each event of `text`.
    fn events_of(text: &str, date: NaiveDate) -> Vec<(String, String, Option<String>)> {
        process(text, date)
            .events
            .iter()
            .map(|e| {
                (
                    e.sub_event_type.clone(),
                    e.name_en.to_string(),
                    e.date.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn a_name_the_text_calls_a_camp_is_the_camp_and_a_condition_no_event() {
        let run = |text: &str| process(text, ymd(2019, 10, 10));
        for text in [
            "Officials fear for thousands held in prisons and camps, including al-Hol.",
            "Families were moved to al-Hol, a camp in Hasakah province.",
            "ونُقلت عائلات من مخيمات الهول وروج.",
        ] {
            let r = run(text);
            assert_eq!(&*r.mentions[0].place_id, "cur-alhol-camp", "{text}");
        }
        let r = run("Residents of al-Hol said the town was calm.");
        assert_eq!(&*r.mentions[0].place_id, "sy-c4519");
        // A fight that may come is not one that happened.
        let r = run("Officials warned they may lose control of al-Hol if the fighting spreads.");
        assert!(r.events.is_empty(), "{:?}", r.events);
        let r = run("ويخشى السكان في حال اندلاع اشتباكات في البوكمال موجة نزوح جديدة.");
        assert!(r.events.is_empty(), "{:?}", r.events);
    }

    #[test]
    fn a_place_name_followed_by_a_given_name_is_a_person() {
        let surfaces = |text: &str| {
            process(text, ymd(2024, 2, 6))
                .mentions
                .iter()
                .map(|m| m.surface.clone())
                .collect::<Vec<_>>()
        };
        // Even with the town named later in the article.
        assert_eq!(
            surfaces("Rabia Hassan, an activist, said the wall cut land near Rabia."),
            ["Rabia"]
        );
        assert_eq!(
            surfaces("In Rabia, Hassan al-Jubouri said trucks waited."),
            ["Rabia"]
        );
        assert_eq!(
            surfaces("وقالت ربيعة حسن إن القصف طال منزلها في سنجار."),
            ["سنجار"]
        );
        // An ordinary word heading another place's name is no place of its
        // own ("جزيرة بيجي", the Baiji island area; جزيرة is also a village).
        assert_eq!(
            surfaces("تفكيك ست عبوات ناسفة في منطقة جزيرة بيجي"),
            ["بيجي"]
        );
    }

    #[test]
    fn far_abroad_is_off_the_map_and_a_far_capital_is_an_actor() {
        let run = |text: &str| events_of(text, ymd(2022, 11, 20));
        // "in Istanbul": a place, far from the frontier, so no event.
        assert!(run("A bomb attack in Istanbul killed six people on Sunday.").is_empty());
        // "Ankara" before a verb is the government: the strike is in Kobani.
        let got = run("Ankara carried out drone strikes on Kobani on Sunday.");
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].1, "Ain Al Arab");
        // A dateline's date is the filing day; the event's is Thursday's.
        let got = run("BEIRUT/BAGHDAD, Nov 20 — Two drones targeted Kobani on Thursday.");
        assert_eq!(got[0].2.as_deref(), Some("2022-11-17"));
    }

    #[test]
    fn each_place_of_a_dated_list_keeps_its_own_day() {
        let run = |text: &str| events_of(text, ymd(2023, 9, 10));
        let days = |got: Vec<(String, String, Option<String>)>| -> Vec<(String, String)> {
            got.into_iter()
                .map(|(_, p, d)| (p, d.unwrap_or_default()))
                .collect()
        };
        let want = |a: &str, b: &str| {
            vec![
                ("Basira".to_string(), a.to_string()),
                ("Thiban".to_string(), b.to_string()),
            ]
        };
        assert_eq!(
            days(run(
                "The SDF retook al-Busayrah on Sept. 4 and Dhiban on Sept. 6."
            )),
            want("2023-09-04", "2023-09-06")
        );
        assert_eq!(
            days(run(
                "سيطرت قسد على بلدة البصيرة يوم الثلاثاء، وعلى بلدة ذيبان يوم الأربعاء."
            )),
            want("2023-09-05", "2023-09-06")
        );
        // Not a list: a second verb between the places is a second event.
        let got = run("The SDF retook al-Busayrah on Sept. 4 and shelled Dhiban on Sept. 6.");
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[1].0, "Shelling/artillery/missile attack");
        assert_eq!(got[1].2.as_deref(), Some("2023-09-06"));
    }

    #[test]
    fn a_place_near_the_place_of_the_event_is_only_a_reference() {
        // "near the Rukban camp" says where al-Tanf is; the drones hit al-Tanf,
        // even with the camp nearer the verb.
        let got = events_of(
            "The US garrison at al-Tanf, near the Rukban camp, was targeted by drones on 20 October 2021.",
            ymd(2022, 11, 14),
        );
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].1, "al-Tanf garrison");
    }

    #[test]
    fn a_when_clause_takes_the_day_of_the_clause_before() {
        // Dated by "on Sunday" in the clause before "when", it is not a
        // restatement of Wednesday's strike at the same place.
        let got = events_of(
            "The campaign began on Sunday, when Turkish warplanes struck areas near Dêrik.\n\n\
             Turkish jets also struck an oil facility near Dêrik on Wednesday.",
            ymd(2022, 11, 23),
        );
        let days: Vec<_> = got.iter().map(|e| e.2.as_deref().unwrap_or("")).collect();
        assert_eq!(days, ["2022-11-20", "2022-11-23"], "{got:?}");
    }

    #[test]
    fn fighting_that_spreads_is_dated_at_each_place() {
        let got = events_of(
            "Iraqi army and YBŞ clash again in Shingal's Sinune\n\n\
             Clashes erupted on Tuesday between the Iraqi army and the Shingal \
             Resistance Units (YBŞ) in the town of Sinune, north of Mount Shingal.\n\n\
             The fighting began on Sunday in Sinune and spread on Monday to the Khanasor area.",
            ymd(2022, 5, 3),
        );
        let got: Vec<(&str, &str)> = got
            .iter()
            .map(|e| (e.1.as_str(), e.2.as_deref().unwrap_or("")))
            .collect();
        // The headline ("Shingal's Sinune" is Sinune) is the lead's Tuesday
        // clash; Sunday's start there; Monday's at Khanasor.
        assert_eq!(
            got,
            [
                ("Sinuni", "2022-05-03"),
                ("Sinuni", "2022-05-01"),
                ("Khanah Sur", "2022-05-02")
            ]
        );
    }

    #[test]
    fn where_the_wounded_were_taken_is_no_event_place() {
        let got = events_of(
            "اشتبكت قوة من الحشد الشعبي مع عناصر داعش في ناحية القيروان أمس، ما أسفر \
             عن إصابة منتسبين اثنين نقلا إلى مستشفى في الموصل.",
            ymd(2022, 2, 15),
        );
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].1, "Al-Qairawan");
    }

    #[test]
    fn a_capital_outweighs_a_village_of_its_name_nearby() {
        // Anqarah (أنقرة) is also a village near Ras al-Ain; in an article
        // about Ras al-Ain, "قرب أنقرة" is still Turkey's capital.
        let r = process(
            "تعرضت قرى في ريف ناحية تل تمر لقصف مدفعي مصدره الفصائل المتمركزة في سري \
             كانيه (رأس العين).\n\nوتأتي هذه الهجمات بعد أيام من هجوم استهدف شركة \
             الصناعات الجوية التركية قرب أنقرة.",
            ymd(2024, 10, 27),
        );
        let m = r.mentions.iter().find(|m| m.surface == "أنقرة").unwrap();
        assert_eq!(&*m.place_id, "cur-ankara");
    }

    #[test]
    fn a_capital_that_speaks_for_its_government_is_no_place() {
        let places = |text: &str| -> Vec<String> {
            process(text, ymd(2026, 1, 19))
                .mentions
                .iter()
                .map(|m| m.name_en.to_string())
                .collect()
        };
        let none: [&str; 0] = [];
        assert_eq!(
            places("اتهمت قسد فصائل مدعومة من أنقرة، وهو ما نفته دمشق."),
            none
        );
        assert_eq!(places("في غياب اتفاق بين أنقرة ودمشق وبغداد"), none);
        assert_eq!(
            places("Militias backed by Tehran. Washington said it would respond."),
            none
        );
        // Used as places, they stay.
        for text in [
            "انفجرت عبوة في بغداد",
            "وصل الوفد إلى دمشق",
            "اعتقال أربعة في قضاء الطارمية شمالي بغداد",
            "BAGHDAD, Feb 3 - Officials said",
            "نقلت الشحنة إلى العاصمة بغداد",
            "محافظات بغداد والأنبار",
        ] {
            assert!(
                places(text)
                    .iter()
                    .any(|p| p == "Baghdad" || p == "Damascus"),
                "{text}: {:?}",
                places(text)
            );
        }
    }

    #[test]
    fn where_people_come_from_and_where_fire_came_from_are_no_event_place() {
        let place = |text: &str| -> Vec<String> {
            events_of(text, ymd(2021, 3, 18))
                .into_iter()
                .map(|(_, p, _)| p)
                .collect()
        };
        // Shepherds from Rabia taken while grazing near al-Baaj.
        assert_eq!(
            place(
                "اختطف مسلحون مجهولون راعيين من أهالي ناحية ربيعة، أثناء رعيهما \
                 الأغنام في منطقة صحراوية جنوب غرب البعاج."
            ),
            ["Al Ba'aj"]
        );
        // Young men of al-Shaddadi taken from their homes: at home.
        assert_eq!(
            place("اعتقلت قسد عشرة شبان من أهالي مدينة الشدادي بعد مداهمة منازلهم."),
            ["Shaddadah"]
        );
        // Those who protest do so at home.
        assert_eq!(
            place(
                "تظاهر العشرات من أهالي مدينة القامشلي، صباح اليوم، احتجاجاً على \
                 الغارات التركية على بلدة عامودا."
            ),
            ["Quamishli"]
        );
        // Fire from positions in al-Mayadin fell on Dhiban.
        assert_eq!(
            place(
                "قصفت قوات النظام بقذائف الهاون أطراف بلدة ذيبان، انطلاقاً من \
                 مواقعها في مدينة الميادين."
            ),
            ["Thiban"]
        );
        // "In the district of Tal Afar, intelligence announced an arrest":
        // the arrest is in Tal Afar.
        assert_eq!(
            place(
                "ففي قضاء تلعفر، أعلنت مديرية الاستخبارات العسكرية، فجر اليوم \
                 الخميس، اعتقال إرهابي بارز."
            ),
            ["Tall 'Afar"]
        );
    }

    #[test]
    fn an_absent_or_possible_event_is_none() {
        let none: [(String, String, Option<String>); 0] = [];
        assert_eq!(
            events_of(
                "بل في غياب اتفاق ملزم لتقاسم المياه بين تركيا والعراق في الموصل",
                ymd(2022, 7, 5)
            ),
            none
        );
        assert_eq!(
            events_of(
                "ويحذر ناشطون من أن تفاقم الأزمة قد يقود إلى احتجاجات في الرقة",
                ymd(2022, 7, 5)
            ),
            none
        );
    }

    #[test]
    fn an_event_in_an_area_gives_way_to_the_same_one_at_a_place_inside_it() {
        let run = |text: &str| events_of(text, ymd(2019, 12, 30));
        // The lead's strikes "in Iraq" on Sunday are those the next
        // paragraph places near al-Qaim (and dates by the lead).
        let got = run("U.S. jets struck militia sites in Iraq on Sunday.\n\n\
                       The strikes hit three sites near al-Qaim.");
        assert_eq!(
            got,
            [(
                "Air/drone strike".to_string(),
                "Al Qa'im".to_string(),
                Some("2019-12-29".to_string())
            )]
        );
        // Another day, or a place outside the area, is another event.
        let got = run("U.S. jets struck militia sites in Iraq on Sunday.\n\n\
                       Jets struck sites near Albu Kamal on Saturday.");
        assert_eq!(got.len(), 2, "{got:?}");
        // An event on the border gives way to one at a crossing on it.
        let got = run(
            "Border guards arrested smugglers on the Iraq-Syria border on Sunday. \
                       The guards arrested them near the al-Qaim crossing on Sunday.",
        );
        assert_eq!(got.len(), 1, "{got:?}");
        assert_ne!(got[0].1, "Iraq–Syria border");
        // A day borrowed from another clause gives way to a place inside
        // the area dated in its own clause.
        let got = run(
            "أعلنت خلية الإعلام الأمني، اليوم الإثنين، تنفيذ ضربات جوية في وادي حوران، \
             فيما أشارت إلى القبض على ثلاثة متسللين قرب الشريط الحدودي مع سوريا.\n\n\
             وأضاف البيان أن قوات الحدود تمكنت، في الثالث من الشهر الجاري، من إلقاء \
             القبض على ثلاثة أشخاص حاولوا التسلل قرب مدينة القائم.",
        );
        let arrests: Vec<_> = got.iter().filter(|e| e.0 == "Arrests").collect();
        assert_eq!(arrests.len(), 1, "{got:?}");
        assert_eq!(arrests[0].2.as_deref(), Some("2019-12-03"), "{got:?}");
    }

    #[test]
    fn a_month_or_a_year_ends_where_the_next_begins() {
        assert_eq!(
            period_end(ymd(2024, 12, 1), DatePrecision::Month),
            Some(ymd(2025, 1, 1))
        );
        assert_eq!(
            period_end(ymd(2016, 2, 1), DatePrecision::Month),
            Some(ymd(2016, 3, 1))
        );
        assert_eq!(
            period_end(ymd(2016, 1, 1), DatePrecision::Year),
            Some(ymd(2017, 1, 1))
        );
        assert_eq!(period_end(ymd(2016, 3, 27), DatePrecision::Day), None);
        assert_eq!(period_end(ymd(2016, 3, 27), DatePrecision::Article), None);
    }

    #[test]
    fn a_mixed_zone_counts_for_its_shares() {
        let zone = |code: &str, share: Option<&str>| crate::zones::Zone {
            zone_id: "z".into(),
            controller: code.into(),
            valid_from: ymd(2013, 1, 1),
            valid_to: None,
            geometry: geo::MultiPolygon(Vec::new()),
            properties: share
                .map(|s| {
                    let mut m = serde_json::Map::new();
                    m.insert("controller_share".into(), s.into());
                    m
                })
                .unwrap_or_default(),
            user: false,
        };
        let z = zone("MIXED", Some("SY_GOV_ASSAD 0.5; SDF 0.5"));
        assert_eq!(zone_parts(&z), vec![("SY_GOV_ASSAD", 0.5), ("SDF", 0.5)]);
        // Without shares, or not MIXED: the code itself.
        assert_eq!(zone_parts(&zone("MIXED", None)), vec![("MIXED", 1.0)]);
        assert_eq!(zone_parts(&zone("SDF", Some("junk"))), vec![("SDF", 1.0)]);
    }
}
