//! `bordermap query`: select events from an `events.geojson` layer by place,
//! area, distance, border band, controller, date, type, actor and article.
//!
//! A [`QuerySpec`] holds the filters as the user wrote them; [`QuerySpec::compile`]
//! resolves names against the gazetteer (and zone ids against the bundled
//! zones) into a [`Query`], refusing unknown or ambiguous names with a
//! [`Error::Usage`] that says what to change. A [`Layer`] is the parsed layer
//! with an R-tree over its points; [`Layer::select`] uses the tree for the
//! spatial candidates (envelope query), then the exact test (point in
//! polygon — through a grid of cells known inside or outside, `geo`'s test
//! for the cells an edge crosses — and great-circle distance), then the
//! attribute filters, compared once per distinct value. Every filter
//! narrows (they combine with AND); the result keeps the layer's order.
//!
//! ## How names are resolved
//!
//! * `--within NAME`: a gazetteer id, else the areas with a polygon whose
//!   folded name matches (`دير الزور` and `Deir ez-Zor` agree), else a zone id
//!   of the bundled zones. When several areas match and they all lie inside
//!   the largest one (the same name at governorate, district and sub-district
//!   level), the largest is used; else if exactly one of them is a
//!   governorate, the governorate is used; a note says which. Otherwise the
//!   name is ambiguous and the candidates are listed.
//! * `--near NAME`: `LAT,LON`, a gazetteer id, else the point places (towns,
//!   crossings, bases, camps, villages) whose name matches. Candidates are
//!   ranked: a crossing or base first when the name says "crossing"/"معبر"/
//!   "منفذ" or "base"/"قاعدة"; else cities and towns, then crossings, bases,
//!   camps and infrastructure, then villages; within a rank the most populous.
//!   If another candidate of the best rank lies more than 50 km away, the name
//!   is ambiguous; candidates of lower ranks are only noted.
//! * `--min-precision N` keeps events whose `geo_precision` is ≤ N, i.e. at
//!   least as precise: 1 the named point itself, 2 adds districts and "near
//!   X", 3 keeps everything.

use rustc_hash::FxHashMap as HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use geo::{Area, BoundingRect, Contains, MultiPolygon, Point};
use rstar::primitives::GeomWithData;
use rstar::{RTree, AABB};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::gazetteer::Gazetteer;
use crate::geometry::{distance_to_line_km, haversine_km, to_multipolygon};
use crate::model::Kind;
use crate::zones::{ZoneSet, CONTROLLERS};

/// Two point candidates of the best rank further apart than this make a
/// `--near` name ambiguous.
const SAME_PLACE_KM: f64 = 50.0;

/// The filters of one query, as given on the command line. Every field is
/// optional; the ones given combine with AND.
#[derive(Debug, Clone, Default)]
pub struct QuerySpec {
    /// A gazetteer area (name or id) or a bundled zone id.
    pub within: Option<String>,
    /// A GeoJSON file whose (Multi)Polygons, unioned, the events must lie in.
    pub within_file: Option<PathBuf>,
    /// `W,S,E,N` in degrees.
    pub bbox: Option<String>,
    /// A point place (name or id) or `LAT,LON`.
    pub near: Option<String>,
    /// Radius around `near`, km (> 0).
    pub radius_km: Option<f64>,
    /// At most this far from the Iraq–Syria border, km.
    pub border_km: Option<f64>,
    /// On this side of the border (`SY`, `IQ`, …).
    pub side: Option<String>,
    /// Controller code on the event's date (the `controller` property).
    pub controller: Option<String>,
    /// First date, inclusive.
    pub from: Option<NaiveDate>,
    /// Last date, inclusive.
    pub to: Option<NaiveDate>,
    /// `event_type`, case-insensitive.
    pub event_type: Option<String>,
    /// `sub_event_type`, case-insensitive.
    pub sub_type: Option<String>,
    /// Case-insensitive substring of one of the `actors`.
    pub actor: Option<String>,
    /// Keep `geo_precision` ≤ this (at least as precise).
    pub min_precision: Option<u8>,
    /// Article id, exact or prefix.
    pub article: Option<String>,
}

/// A spatial test on a point.
#[derive(Debug, Clone)]
enum Shape {
    Polygon(MultiPolygon<f64>),
    Circle { lon: f64, lat: f64, km: f64 },
    Bbox([f64; 4]),
}

/// A compiled query: names resolved, values checked. Build it with
/// [`QuerySpec::compile`], run it with [`Layer::select`].
#[derive(Debug, Clone, Default)]
pub struct Query {
    areas: Vec<Shape>,
    border: Option<(f64, Option<String>)>,
    controller: Option<String>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    event_type: Option<String>,
    sub_type: Option<String>,
    actor: Option<String>,
    min_precision: Option<u8>,
    article: Option<String>,
    /// One line per name that was resolved with a choice, for stderr.
    pub notes: Vec<String>,
}

fn usage(msg: impl Into<String>) -> Error {
    Error::Usage(msg.into())
}

impl QuerySpec {
    /// Checks every value and resolves the names against `g` (and, for a
    /// `--within` that is no gazetteer name, the bundled zone ids).
    pub fn compile(&self, g: &Gazetteer) -> Result<Query> {
        let mut q = Query::default();
        if let Some(name) = &self.within {
            let (poly, note) = resolve_within(g, name)?;
            q.notes.extend(note);
            q.areas.push(Shape::Polygon(poly));
        }
        if let Some(path) = &self.within_file {
            q.areas.push(Shape::Polygon(read_polygons(path)?));
        }
        if let Some(b) = &self.bbox {
            q.areas.push(Shape::Bbox(parse_bbox(b)?));
        }
        match (&self.near, self.radius_km) {
            (Some(name), Some(km)) => {
                if !(km > 0.0 && km.is_finite()) {
                    return Err(usage(format!(
                        "--radius-km is {km}; give a distance greater than 0"
                    )));
                }
                let ((lon, lat), note) = resolve_near(g, name)?;
                q.notes.extend(note);
                q.areas.push(Shape::Circle { lon, lat, km });
            }
            (Some(_), None) => return Err(usage("--near needs --radius-km N (km)")),
            (None, Some(_)) => {
                return Err(usage(
                    "--radius-km needs --near NAME|ID|LAT,LON to measure from",
                ))
            }
            (None, None) => {}
        }
        if let Some(km) = self.border_km {
            if !(km >= 0.0 && km.is_finite()) {
                return Err(usage(format!(
                    "--border-km is {km}; give a distance of 0 or more"
                )));
            }
            let side = match &self.side {
                Some(s) => Some(parse_side(s)?),
                None => None,
            };
            q.border = Some((km, side));
        } else if self.side.is_some() {
            return Err(usage("--side needs --border-km N (the width of the band)"));
        }
        if let Some(c) = &self.controller {
            let code = c.trim().to_ascii_uppercase();
            if !CONTROLLERS.iter().any(|k| k.0 == code) {
                let codes: Vec<&str> = CONTROLLERS.iter().map(|k| k.0).collect();
                return Err(usage(format!(
                    "unknown controller `{c}`; use one of {}",
                    codes.join(", ")
                )));
            }
            q.controller = Some(code);
        }
        if let (Some(f), Some(t)) = (self.from, self.to) {
            if f > t {
                return Err(usage(format!(
                    "--from {f} is after --to {t}; swap them or fix one"
                )));
            }
        }
        q.from = self.from;
        q.to = self.to;
        if self.min_precision == Some(0) {
            return Err(usage(
                "--min-precision is 0; use 1 (the point itself), 2 (district or near) or 3 (all)",
            ));
        }
        q.min_precision = self.min_precision;
        let lower = |s: &Option<String>| s.as_ref().map(|s| s.trim().to_lowercase());
        q.event_type = lower(&self.event_type);
        q.sub_type = lower(&self.sub_type);
        q.actor = lower(&self.actor);
        q.article = self.article.clone();
        Ok(q)
    }
}

fn parse_side(s: &str) -> Result<String> {
    let code = s.trim().to_ascii_uppercase();
    if code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(code)
    } else {
        Err(usage(format!(
            "--side `{s}` is not a country code; use SY or IQ (ISO 3166-1 alpha-2)"
        )))
    }
}

/// Parses `W,S,E,N`.
fn parse_bbox(s: &str) -> Result<[f64; 4]> {
    let bad = |why: &str| {
        usage(format!(
            "--bbox `{s}`: {why}; write it as W,S,E,N in degrees, e.g. 40,34,41.5,35.5"
        ))
    };
    let nums: Vec<f64> = s
        .split(',')
        .map(|p| p.trim().parse::<f64>())
        .collect::<std::result::Result<_, _>>()
        .map_err(|_| bad("not 4 numbers"))?;
    let [w, south, e, n] = <[f64; 4]>::try_from(nums).map_err(|_| bad("not 4 numbers"))?;
    if [w, south, e, n].iter().any(|x| !x.is_finite()) {
        return Err(bad("not 4 numbers"));
    }
    if !(-180.0..=180.0).contains(&w) || !(-180.0..=180.0).contains(&e) {
        return Err(bad("longitude out of range −180…180"));
    }
    if !(-90.0..=90.0).contains(&south) || !(-90.0..=90.0).contains(&n) {
        return Err(bad("latitude out of range −90…90"));
    }
    if w >= e {
        return Err(bad("west is not less than east"));
    }
    if south >= n {
        return Err(bad("south is not less than north"));
    }
    Ok([w, south, e, n])
}

/// Parses `LAT,LON` (decimal degrees).
fn parse_lat_lon(s: &str) -> Option<(f64, f64)> {
    let (a, b) = s.split_once(',')?;
    let lat: f64 = a.trim().parse().ok()?;
    let lon: f64 = b.trim().parse().ok()?;
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lon, lat))
}

fn describe(g: &Gazetteer, i: u32) -> String {
    let p = g.place(i);
    format!(
        "{}\t{}\t{}\t{}\t{}",
        p.id,
        p.kind.as_str(),
        p.name_en,
        p.name_ar,
        p.admin1.as_deref().unwrap_or("")
    )
}

fn ambiguous(g: &Gazetteer, name: &str, option: &str, cands: &[u32]) -> Error {
    let list: Vec<String> = cands
        .iter()
        .map(|&i| format!("  {}", describe(g, i)))
        .collect();
    usage(format!(
        "`{name}` is ambiguous; give {option} one of these ids instead (id, kind, name_en, name_ar, admin1):\n{}",
        list.join("\n")
    ))
}

fn unknown(name: &str) -> Error {
    usage(format!(
        "no place is called `{name}`; find the spelling or id with `bordermap gazetteer search NAME`"
    ))
}

fn kinds_of(g: &Gazetteer, cands: &[u32]) -> String {
    let mut kinds: Vec<&str> = cands.iter().map(|&i| g.place(i).kind.as_str()).collect();
    kinds.dedup();
    kinds.join("/")
}

/// The polygon `--within` means, and a note when a choice was made.
fn resolve_within(g: &Gazetteer, name: &str) -> Result<(MultiPolygon<f64>, Option<String>)> {
    let name = name.trim();
    if let Some(i) = g.index_of(name) {
        return match g.area(i) {
            Some(a) => Ok((a.clone(), None)),
            None => Err(usage(format!(
                "{name} is a {} with no polygon in the gazetteer; use --near {name} --radius-km N, or --within-file",
                g.place(i).kind.as_str()
            ))),
        };
    }
    let hits = g.lookup(name);
    let areas: Vec<u32> = hits
        .iter()
        .copied()
        .filter(|&i| g.area(i).is_some())
        .collect();
    match areas.as_slice() {
        [] if hits.is_empty() => {
            // Not a place: perhaps a zone id.
            let zones = ZoneSet::bundled()?;
            match zones.zones().iter().find(|z| z.zone_id == name) {
                Some(z) => Ok((z.geometry.clone(), None)),
                None => Err(usage(format!(
                    "no area or zone is called `{name}`; find names with `bordermap gazetteer search NAME` and zone ids with `bordermap zones list`"
                ))),
            }
        }
        [] => Err(usage(format!(
            "`{name}` is a {} with no polygon in the gazetteer; use --near {} --radius-km N, or --within-file",
            kinds_of(g, &hits),
            g.place(hits[0]).id
        ))),
        [one] => Ok((area_of(g, *one)?.clone(), None)),
        many => {
            // The largest area, if every other candidate lies inside it.
            let mut best = many[0];
            let mut best_area = 0.0;
            for &i in many {
                let a = area_of(g, i)?.unsigned_area();
                if a > best_area {
                    best = i;
                    best_area = a;
                }
            }
            let outer = area_of(g, best)?;
            let nested = many.iter().all(|&i| {
                let p = g.place(i);
                i == best || outer.contains(&Point::new(p.lon, p.lat))
            });
            let governorates: Vec<u32> = many
                .iter()
                .copied()
                .filter(|&i| g.place(i).kind == Kind::Governorate)
                .collect();
            let (chosen, how) = match (nested, governorates.as_slice()) {
                (true, _) => (best, "which contains"),
                (false, [one]) => (*one, "the only governorate among"),
                _ => return Err(ambiguous(g, name, "--within", many)),
            };
            let others: Vec<String> = many
                .iter()
                .filter(|&&i| i != chosen)
                .map(|&i| format!("{} {}", g.place(i).kind.as_str(), g.place(i).id))
                .collect();
            let p = g.place(chosen);
            Ok((
                area_of(g, chosen)?.clone(),
                Some(format!(
                    "`{name}`: using the {} {} ({}), {how} the {} of the same name; give an id to choose another",
                    p.kind.as_str(),
                    p.id,
                    p.name_en,
                    others.join(", ")
                )),
            ))
        }
    }
}

fn area_of(g: &Gazetteer, i: u32) -> Result<&MultiPolygon<f64>> {
    g.area(i)
        .ok_or_else(|| Error::Data(format!("{}: no polygon", g.place(i).id)))
}

/// Rank of a point candidate for `--near` (lower is better).
fn near_rank(kind: Kind, says_crossing: bool, says_base: bool) -> u8 {
    match kind {
        Kind::Crossing if says_crossing => 0,
        Kind::Base if says_base => 0,
        Kind::City | Kind::Town => 1,
        Kind::Crossing | Kind::Base | Kind::Camp | Kind::Infrastructure => 2,
        Kind::Village => 3,
        _ => 4,
    }
}

/// The (lon, lat) point `--near` means, and a note when a choice was made.
fn resolve_near(g: &Gazetteer, name: &str) -> Result<((f64, f64), Option<String>)> {
    let name = name.trim();
    if let Some(p) = parse_lat_lon(name) {
        return Ok((p, None));
    }
    if let Some(i) = g.index_of(name) {
        let p = g.place(i);
        return Ok(((p.lon, p.lat), None));
    }
    let hits = g.lookup(name);
    if hits.is_empty() {
        return Err(unknown(name));
    }
    let points: Vec<u32> = hits
        .iter()
        .copied()
        .filter(|&i| !g.place(i).kind.is_area())
        .collect();
    if points.is_empty() {
        return Err(usage(format!(
            "`{name}` is a {}, not a point; use --within {name}, or --near with a town, an id or LAT,LON",
            kinds_of(g, &hits)
        )));
    }
    let folded = crate::fold(name);
    let has = |words: &[&str]| {
        words
            .iter()
            .any(|w| folded.split(' ').any(|t| t == crate::fold(w)))
    };
    let says_crossing = has(&["crossing", "معبر", "منفذ"]);
    let says_base = has(&["base", "قاعدة"]);
    let rank = |i: u32| near_rank(g.place(i).kind, says_crossing, says_base);
    let mut sorted = points.clone();
    sorted.sort_by(|&a, &b| {
        rank(a)
            .cmp(&rank(b))
            .then(g.place(b).population.cmp(&g.place(a).population))
            .then(a.cmp(&b))
    });
    let best = sorted[0];
    let bp = g.place(best);
    let far = sorted.iter().any(|&i| {
        let p = g.place(i);
        rank(i) == rank(best) && haversine_km((bp.lon, bp.lat), (p.lon, p.lat)) > SAME_PLACE_KM
    });
    if far {
        return Err(ambiguous(g, name, "--near", &sorted));
    }
    let note = (sorted.len() > 1).then(|| {
        let others: Vec<String> = sorted[1..]
            .iter()
            .map(|&i| {
                format!(
                    "{} {} ({})",
                    g.place(i).kind.as_str(),
                    g.place(i).id,
                    g.place(i).admin1.as_deref().unwrap_or(&g.place(i).country)
                )
            })
            .collect();
        format!(
            "`{name}`: using the {} {} ({}, {}); also named so: {}; give an id to choose another",
            bp.kind.as_str(),
            bp.id,
            bp.name_en,
            bp.admin1.as_deref().unwrap_or(&bp.country),
            others.join(", ")
        )
    });
    Ok(((bp.lon, bp.lat), note))
}

/// Every Polygon and MultiPolygon of a GeoJSON file (FeatureCollection,
/// Feature or bare geometry), as one MultiPolygon.
fn read_polygons(path: &Path) -> Result<MultiPolygon<f64>> {
    let shown = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| {
        usage(format!(
            "--within-file {shown}: {e}; give a readable GeoJSON file"
        ))
    })?;
    let gj: geojson::GeoJson = text.parse().map_err(|e| {
        usage(format!(
            "--within-file {shown} is not valid GeoJSON ({e}); give a file with Polygon features"
        ))
    })?;
    let mut polys = Vec::new();
    let mut add = |g: &geojson::Geometry| collect_polygons(g, &mut polys);
    match &gj {
        geojson::GeoJson::FeatureCollection(fc) => fc
            .features
            .iter()
            .filter_map(|f| f.geometry.as_ref())
            .for_each(&mut add),
        geojson::GeoJson::Feature(f) => f.geometry.iter().for_each(&mut add),
        geojson::GeoJson::Geometry(g) => add(g),
    }
    if polys.is_empty() {
        return Err(usage(format!(
            "--within-file {shown} has no Polygon or MultiPolygon; draw the area as a polygon"
        )));
    }
    Ok(MultiPolygon(polys))
}

fn collect_polygons(g: &geojson::Geometry, out: &mut Vec<geo::Polygon<f64>>) {
    match &g.value {
        geojson::GeometryValue::GeometryCollection { geometries } => {
            geometries.iter().for_each(|g| collect_polygons(g, out))
        }
        _ => {
            if let Ok(mp) = to_multipolygon(g) {
                out.extend(mp.0);
            }
        }
    }
}

/// Properties the filters and `--count-by` read, interned per layer.
const FIELDS: [&str; 9] = [
    "border_side",
    "controller",
    "event_type",
    "sub_event_type",
    "actors",
    "article",
    "admin1",
    "admin2",
    "country",
];
const F_SIDE: usize = 0;
const F_CONTROLLER: usize = 1;
const F_TYPE: usize = 2;
const F_SUB_TYPE: usize = 3;
const F_ACTORS: usize = 4;
const F_ARTICLE: usize = 5;
const F_ADMIN1: usize = 6;
const F_ADMIN2: usize = 7;
const F_COUNTRY: usize = 8;
/// No value (null or missing).
const NONE: u32 = u32::MAX;

/// One event of a layer: where its feature is in the source text, its point,
/// and the values the filters read, parsed once.
#[derive(Debug, Clone)]
struct Row {
    start: usize,
    end: usize,
    lon: f64,
    lat: f64,
    /// Days since 0001-01-01 (`chrono`'s CE day count); `i32::MIN` when none.
    date: i32,
    /// NaN when the feature has no `border_km`.
    border_km: f32,
    /// 0 when the feature has no `geo_precision`.
    geo_precision: u8,
    /// Index into the pool of each of [`FIELDS`], or [`NONE`].
    fields: [u32; FIELDS.len()],
}

/// The distinct values of one property.
#[derive(Debug, Default)]
struct Pool {
    values: Vec<String>,
    ids: HashMap<String, u32>,
}

impl Pool {
    fn intern(&mut self, v: Option<&str>) -> u32 {
        let Some(v) = v else { return NONE };
        if let Some(&id) = self.ids.get(v) {
            return id;
        }
        let id = self.values.len() as u32;
        self.values.push(v.to_string());
        self.ids.insert(v.to_string(), id);
        id
    }

    /// Which values pass `test`, by id.
    fn matching(&self, test: impl Fn(&str) -> bool) -> Vec<bool> {
        self.values.iter().map(|v| test(v)).collect()
    }
}

type Entry = GeomWithData<[f64; 2], usize>;

/// A parsed `events.geojson` with an R-tree over its points. The source text
/// is kept: the features written out are the bytes read in.
#[derive(Debug)]
pub struct Layer {
    text: String,
    rows: Vec<Row>,
    pools: Vec<Pool>,
    tree: RTree<Entry>,
}

#[derive(Deserialize)]
struct RawCollection<'a> {
    #[serde(rename = "type", borrow)]
    kind: std::borrow::Cow<'a, str>,
    #[serde(default, borrow)]
    features: Vec<&'a serde_json::value::RawValue>,
}

#[derive(Deserialize)]
struct LiteFeature<'a> {
    #[serde(borrow)]
    geometry: Option<LiteGeometry<'a>>,
    #[serde(default, borrow)]
    properties: Option<LiteProps<'a>>,
}

#[derive(Deserialize)]
struct LiteGeometry<'a> {
    #[serde(rename = "type", borrow)]
    kind: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    coordinates: Option<&'a serde_json::value::RawValue>,
}

type Text<'a> = Option<std::borrow::Cow<'a, str>>;

#[derive(Deserialize, Default)]
struct LiteProps<'a> {
    #[serde(default, borrow)]
    date: Text<'a>,
    #[serde(default)]
    border_km: Option<f64>,
    #[serde(default)]
    geo_precision: Option<u64>,
    #[serde(default, borrow)]
    border_side: Text<'a>,
    #[serde(default, borrow)]
    controller: Text<'a>,
    #[serde(default, borrow)]
    event_type: Text<'a>,
    #[serde(default, borrow)]
    sub_event_type: Text<'a>,
    #[serde(default, borrow)]
    actors: Text<'a>,
    #[serde(default, borrow)]
    article: Text<'a>,
    #[serde(default, borrow)]
    admin1: Text<'a>,
    #[serde(default, borrow)]
    admin2: Text<'a>,
    #[serde(default, borrow)]
    country: Text<'a>,
}

/// One feature, read: its span in the text, point and filter values.
struct Parsed<'a> {
    start: usize,
    end: usize,
    lon: f64,
    lat: f64,
    props: LiteProps<'a>,
}

fn parse_feature<'a>(
    text: &str,
    i: usize,
    raw: &'a serde_json::value::RawValue,
) -> Result<Parsed<'a>> {
    let src = raw.get();
    let start = src.as_ptr() as usize - text.as_ptr() as usize;
    let f: LiteFeature = serde_json::from_str(src)
        .map_err(|e| usage(format!("feature {i}: {e}; fix the feature or rerun `map`")))?;
    let point = match &f.geometry {
        Some(g) if g.kind == "Point" => g
            .coordinates
            .and_then(|c| serde_json::from_str::<Vec<f64>>(c.get()).ok())
            .filter(|c| c.len() >= 2)
            .map(|c| (c[0], c[1])),
        _ => None,
    };
    let (lon, lat) = point.ok_or_else(|| {
        usage(format!(
            "feature {i} has no Point geometry; query reads point layers such as events.geojson"
        ))
    })?;
    Ok(Parsed {
        start,
        end: start + src.len(),
        lon,
        lat,
        props: f.properties.unwrap_or_default(),
    })
}

impl Layer {
    /// Reads `events.geojson` from an output folder of `map`, or the given file.
    pub fn open(source: &Path) -> Result<Layer> {
        let file = if source.is_dir() {
            source.join("events.geojson")
        } else {
            source.to_path_buf()
        };
        if !file.exists() {
            return Err(usage(if source.is_dir() {
                format!(
                    "{} has no events.geojson; give an output folder of `bordermap map` or an events.geojson file",
                    source.display()
                )
            } else {
                format!(
                    "{} does not exist; give an output folder of `bordermap map` or an events.geojson file",
                    source.display()
                )
            }));
        }
        let text = std::fs::read_to_string(&file).map_err(|e| Error::io(&file, e))?;
        Layer::from_json(text).map_err(|e| usage(format!("{}: {e}", file.display())))
    }

    /// Parses a FeatureCollection of Point features and indexes it.
    pub fn from_json(text: impl Into<String>) -> Result<Layer> {
        use rayon::prelude::*;
        let text: String = text.into();
        let (rows, pools) = {
            let raw: RawCollection = serde_json::from_str(&text).map_err(|e| {
                usage(format!(
                    "not a GeoJSON FeatureCollection ({e}); give the events.geojson written by `bordermap map`"
                ))
            })?;
            if raw.kind != "FeatureCollection" {
                return Err(usage(format!(
                    "a GeoJSON {}, not a FeatureCollection; give the events.geojson written by `bordermap map`",
                    raw.kind
                )));
            }
            let parsed: Vec<Parsed> = raw
                .features
                .par_iter()
                .enumerate()
                .map(|(i, f)| parse_feature(&text, i, f))
                .collect::<Result<_>>()?;
            let mut pools: Vec<Pool> = FIELDS.iter().map(|_| Pool::default()).collect();
            let rows: Vec<Row> = parsed
                .into_iter()
                .map(|p| {
                    let pr = &p.props;
                    let values = [
                        &pr.border_side,
                        &pr.controller,
                        &pr.event_type,
                        &pr.sub_event_type,
                        &pr.actors,
                        &pr.article,
                        &pr.admin1,
                        &pr.admin2,
                        &pr.country,
                    ];
                    let mut fields = [NONE; FIELDS.len()];
                    for (k, v) in values.iter().enumerate() {
                        fields[k] = pools[k].intern(v.as_deref());
                    }
                    let date = pr
                        .date
                        .as_deref()
                        .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
                        .map_or(i32::MIN, |d| chrono::Datelike::num_days_from_ce(&d));
                    Row {
                        start: p.start,
                        end: p.end,
                        lon: p.lon,
                        lat: p.lat,
                        date,
                        border_km: pr.border_km.map_or(f32::NAN, |k| k as f32),
                        geo_precision: pr
                            .geo_precision
                            .map_or(0, |n| u8::try_from(n).unwrap_or(u8::MAX)),
                        fields,
                    }
                })
                .collect();
            (rows, pools)
        };
        let entries = rows
            .iter()
            .enumerate()
            .map(|(i, r)| GeomWithData::new([r.lon, r.lat], i))
            .collect();
        Ok(Layer {
            text,
            rows,
            pools,
            tree: RTree::bulk_load(entries),
        })
    }

    /// Number of events in the layer.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when the layer has no events.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Indexes of the events that pass every filter of `q`, in layer order.
    /// `g` supplies the border for events without `border_km`/`border_side`.
    pub fn select(&self, q: &Query, g: &Gazetteer) -> Vec<usize> {
        let m = Matchers::new(self, q);
        let shapes: Vec<Prepared> = q.areas.iter().map(Prepared::new).collect();
        let envelope = q.areas.iter().filter_map(envelope_of).reduce(|a, b| {
            [
                a[0].max(b[0]),
                a[1].max(b[1]),
                a[2].min(b[2]),
                a[3].min(b[3]),
            ]
        });
        let keep = |&i: &usize| self.keep(&self.rows[i], q, &m, &shapes, g);
        match envelope {
            Some(e) if e[0] > e[2] || e[1] > e[3] => Vec::new(),
            Some(e) => {
                let mut v: Vec<usize> = self
                    .tree
                    .locate_in_envelope(&AABB::from_corners([e[0], e[1]], [e[2], e[3]]))
                    .map(|en| en.data)
                    .collect();
                v.sort_unstable();
                v.retain(keep);
                v
            }
            None => (0..self.rows.len()).filter(keep).collect(),
        }
    }

    fn keep(&self, r: &Row, q: &Query, m: &Matchers, shapes: &[Prepared], g: &Gazetteer) -> bool {
        let dated = m.from.is_some() || m.to.is_some();
        if dated
            && (r.date == i32::MIN
                || m.from.is_some_and(|f| r.date < f)
                || m.to.is_some_and(|t| r.date > t))
        {
            return false;
        }
        if let Some((km, side)) = &q.border {
            let dist = if r.border_km.is_nan() {
                distance_to_line_km((r.lon, r.lat), g.border())
            } else {
                f64::from(r.border_km)
            };
            // `border_km` has one decimal: compare at that precision.
            if dist.is_nan() || dist > *km + 1e-6 {
                return false;
            }
            if let Some(side) = side {
                let s = match r.fields[F_SIDE] {
                    NONE => side_of(g, r.lon, r.lat, self.value(r, F_COUNTRY)),
                    id => self.pools[F_SIDE].values[id as usize].clone(),
                };
                if &s != side {
                    return false;
                }
            }
        }
        if !shapes.iter().all(|s| s.contains(r.lon, r.lat)) {
            return false;
        }
        for (field, ok) in &m.fields {
            let id = r.fields[*field];
            if id == NONE || !ok[id as usize] {
                return false;
            }
        }
        if let Some(n) = q.min_precision {
            if r.geo_precision == 0 || r.geo_precision > n {
                return false;
            }
        }
        true
    }

    fn value(&self, r: &Row, field: usize) -> Option<&str> {
        match r.fields[field] {
            NONE => None,
            id => Some(&self.pools[field].values[id as usize]),
        }
    }

    fn raw(&self, i: usize) -> &str {
        let r = &self.rows[i];
        &self.text[r.start..r.end]
    }

    /// Writes the selected events in `format`: GeoJSON and JSON lines carry
    /// each feature as it was read.
    pub fn write(
        &self,
        selected: &[usize],
        format: Format,
        w: &mut dyn Write,
    ) -> std::io::Result<()> {
        match format {
            Format::Geojson => {
                w.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[")?;
                for (n, &i) in selected.iter().enumerate() {
                    w.write_all(if n == 0 { b"\n" } else { b",\n" })?;
                    w.write_all(self.raw(i).as_bytes())?;
                }
                w.write_all(b"\n]}\n")
            }
            Format::Jsonl => {
                for &i in selected {
                    let raw = self.raw(i);
                    if raw.contains('\n') {
                        // A pretty-printed source: one line per feature still.
                        let v: Value = serde_json::from_str(raw).map_err(std::io::Error::other)?;
                        serde_json::to_writer(&mut *w, &v).map_err(std::io::Error::other)?;
                    } else {
                        w.write_all(raw.as_bytes())?;
                    }
                    w.write_all(b"\n")?;
                }
                Ok(())
            }
            Format::Csv => self.write_csv(selected, w),
        }
    }

    fn write_csv(&self, selected: &[usize], w: &mut dyn Write) -> std::io::Result<()> {
        #[derive(Deserialize)]
        struct Props {
            #[serde(default)]
            properties: Option<Map<String, Value>>,
        }
        let props: Vec<Map<String, Value>> = selected
            .iter()
            .map(|&i| {
                serde_json::from_str::<Props>(self.raw(i))
                    .map(|p| p.properties.unwrap_or_default())
                    .map_err(std::io::Error::other)
            })
            .collect::<std::io::Result<_>>()?;
        let mut columns: Vec<&str> = Vec::new();
        let mut seen: HashMap<&str, ()> = HashMap::default();
        for p in &props {
            for k in p.keys() {
                if seen.insert(k.as_str(), ()).is_none() {
                    columns.push(k);
                }
            }
        }
        let mut out = csv::Writer::from_writer(w);
        let mut header: Vec<&str> = columns.clone();
        header.extend(["lat", "lon"]);
        out.write_record(&header)?;
        for (p, &i) in props.iter().zip(selected) {
            let r = &self.rows[i];
            let mut rec: Vec<String> = columns
                .iter()
                .map(|k| match p.get(*k) {
                    None | Some(Value::Null) => String::new(),
                    Some(Value::String(s)) => s.clone(),
                    Some(v) => v.to_string(),
                })
                .collect();
            rec.push(r.lat.to_string());
            rec.push(r.lon.to_string());
            out.write_record(&rec)?;
        }
        out.flush()
    }

    /// Counts of the selected events per value of `key`, largest first, ties
    /// by key; events without a value count under `(none)`.
    pub fn count_by(&self, selected: &[usize], key: CountBy) -> Vec<(String, usize)> {
        let mut counts: HashMap<String, usize> = HashMap::default();
        for &i in selected {
            let r = &self.rows[i];
            let v = match key {
                CountBy::Month => (r.date != i32::MIN)
                    .then(|| NaiveDate::from_num_days_from_ce_opt(r.date))
                    .flatten()
                    .map(|d| d.format("%Y-%m").to_string()),
                CountBy::Admin1 => self.value(r, F_ADMIN1).map(str::to_string),
                CountBy::Admin2 => self.value(r, F_ADMIN2).map(str::to_string),
                CountBy::Controller => self.value(r, F_CONTROLLER).map(str::to_string),
                CountBy::EventType => self.value(r, F_TYPE).map(str::to_string),
            };
            *counts
                .entry(v.unwrap_or_else(|| "(none)".into()))
                .or_default() += 1;
        }
        let mut v: Vec<(String, usize)> = counts.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    }
}

/// The attribute filters of a query, evaluated once over each pool.
struct Matchers {
    from: Option<i32>,
    to: Option<i32>,
    /// (field, which pool values pass).
    fields: Vec<(usize, Vec<bool>)>,
}

impl Matchers {
    fn new(layer: &Layer, q: &Query) -> Matchers {
        let days = |d: Option<NaiveDate>| d.map(|d| chrono::Datelike::num_days_from_ce(&d));
        let mut fields = Vec::new();
        let pool = |f: usize| &layer.pools[f];
        if let Some(c) = &q.controller {
            fields.push((F_CONTROLLER, pool(F_CONTROLLER).matching(|v| v == c)));
        }
        if let Some(t) = &q.event_type {
            fields.push((F_TYPE, pool(F_TYPE).matching(|v| v.to_lowercase() == *t)));
        }
        if let Some(t) = &q.sub_type {
            fields.push((
                F_SUB_TYPE,
                pool(F_SUB_TYPE).matching(|v| v.to_lowercase() == *t),
            ));
        }
        if let Some(a) = &q.actor {
            fields.push((
                F_ACTORS,
                pool(F_ACTORS).matching(|v| {
                    v.split(';')
                        .any(|name| name.trim().to_lowercase().contains(a.as_str()))
                }),
            ));
        }
        if let Some(a) = &q.article {
            fields.push((
                F_ARTICLE,
                pool(F_ARTICLE).matching(|v| v.starts_with(a.as_str())),
            ));
        }
        Matchers {
            from: days(q.from),
            to: days(q.to),
            fields,
        }
    }
}

/// A spatial test made fast: for a polygon, a grid over its bounding box
/// whose cells no edge touches are known inside or outside; only points in
/// the other cells get the exact `geo` point-in-polygon test.
enum Prepared<'a> {
    Polygon {
        poly: &'a MultiPolygon<f64>,
        x0: f64,
        y0: f64,
        dx: f64,
        dy: f64,
        /// 0 outside, 1 inside, 2 test exactly.
        cells: Vec<u8>,
    },
    Other(&'a Shape),
}

const GRID: usize = 256;

impl<'a> Prepared<'a> {
    fn new(shape: &'a Shape) -> Prepared<'a> {
        let Shape::Polygon(poly) = shape else {
            return Prepared::Other(shape);
        };
        let Some(r) = poly.bounding_rect() else {
            return Prepared::Other(shape);
        };
        let (x0, y0) = (r.min().x, r.min().y);
        let dx = (r.width() / GRID as f64).max(1e-9);
        let dy = (r.height() / GRID as f64).max(1e-9);
        let mut cells = vec![u8::MAX; GRID * GRID];
        let cell = |v: f64, v0: f64, d: f64| ((v - v0) / d).floor();
        let clamp = |c: f64| c.clamp(0.0, (GRID - 1) as f64) as usize;
        for p in &poly.0 {
            for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
                for l in ring.lines() {
                    // Every cell the edge's bounding box touches, one cell wider.
                    let (ax, bx) = (l.start.x.min(l.end.x), l.start.x.max(l.end.x));
                    let (ay, by) = (l.start.y.min(l.end.y), l.start.y.max(l.end.y));
                    let (i0, i1) = (clamp(cell(ax, x0, dx) - 1.0), clamp(cell(bx, x0, dx) + 1.0));
                    let (j0, j1) = (clamp(cell(ay, y0, dy) - 1.0), clamp(cell(by, y0, dy) + 1.0));
                    for j in j0..=j1 {
                        for i in i0..=i1 {
                            cells[j * GRID + i] = 2;
                        }
                    }
                }
            }
        }
        // Two neighbouring cells that no edge touches are on the same side,
        // so one exact test per run of such cells along a row is enough.
        for j in 0..GRID {
            let mut run: Option<u8> = None;
            for i in 0..GRID {
                let c = &mut cells[j * GRID + i];
                if *c == 2 {
                    run = None;
                    continue;
                }
                let status = *run.get_or_insert_with(|| {
                    let centre = Point::new(x0 + (i as f64 + 0.5) * dx, y0 + (j as f64 + 0.5) * dy);
                    u8::from(poly.contains(&centre))
                });
                *c = status;
            }
        }
        Prepared::Polygon {
            poly,
            x0,
            y0,
            dx,
            dy,
            cells,
        }
    }

    fn contains(&self, lon: f64, lat: f64) -> bool {
        match self {
            Prepared::Other(s) => inside(s, lon, lat),
            Prepared::Polygon {
                poly,
                x0,
                y0,
                dx,
                dy,
                cells,
            } => {
                let (fi, fj) = (((lon - x0) / dx).floor(), ((lat - y0) / dy).floor());
                if !(0.0..GRID as f64).contains(&fi) || !(0.0..GRID as f64).contains(&fj) {
                    return poly.contains(&Point::new(lon, lat));
                }
                match cells[fj as usize * GRID + fi as usize] {
                    0 => false,
                    1 => true,
                    _ => poly.contains(&Point::new(lon, lat)),
                }
            }
        }
    }
}

/// Writes a `--count-by` table: TSV with a header.
pub fn write_counts(
    key: CountBy,
    counts: &[(String, usize)],
    w: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(w, "{}\tcount", key.as_str())?;
    for (k, n) in counts {
        writeln!(w, "{k}\t{n}")?;
    }
    Ok(())
}

/// Which side of the border an event without `border_side` lies on: the
/// Syria or Iraq polygon, else its `country` property.
fn side_of(g: &Gazetteer, lon: f64, lat: f64, country: Option<&str>) -> String {
    let pt = Point::new(lon, lat);
    for (id, code) in [("country-sy", "SY"), ("country-iq", "IQ")] {
        if g.index_of(id)
            .and_then(|i| g.area(i))
            .is_some_and(|a| a.contains(&pt))
        {
            return code.to_string();
        }
    }
    country.unwrap_or("").to_string()
}
/// A bounding box `[W, S, E, N]` that holds every point the test can accept.
fn envelope_of(a: &Shape) -> Option<[f64; 4]> {
    match a {
        Shape::Bbox(b) => Some(*b),
        Shape::Polygon(p) => {
            let r = p.bounding_rect()?;
            Some([r.min().x, r.min().y, r.max().x, r.max().y])
        }
        Shape::Circle { lon, lat, km } => {
            // 1° of latitude is ≥ 110.5 km; widen by 1 % for safety.
            let dlat = km / 110.0 * 1.01;
            let max_lat = (lat.abs() + dlat).min(89.9);
            let dlon = (dlat / max_lat.to_radians().cos()).min(360.0);
            Some([lon - dlon, lat - dlat, lon + dlon, lat + dlat])
        }
    }
}

fn inside(a: &Shape, lon: f64, lat: f64) -> bool {
    match a {
        Shape::Bbox([w, s, e, n]) => (*w..=*e).contains(&lon) && (*s..=*n).contains(&lat),
        Shape::Polygon(p) => p.contains(&Point::new(lon, lat)),
        Shape::Circle {
            lon: clon,
            lat: clat,
            km,
        } => haversine_km((*clon, *clat), (lon, lat)) <= *km,
    }
}

/// Output format of the selected features.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A FeatureCollection of the matching features, unchanged.
    Geojson,
    /// One row per event: every property, then `lat`, `lon`.
    Csv,
    /// One feature per line.
    Jsonl,
}

/// What `--count-by` groups on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountBy {
    /// The `admin1` property (governorate).
    Admin1,
    /// The `admin2` property (district).
    Admin2,
    /// The `controller` property.
    Controller,
    /// The `event_type` property.
    EventType,
    /// `YYYY-MM` of the `date` property.
    Month,
}

impl CountBy {
    /// The column name in the table header.
    pub fn as_str(self) -> &'static str {
        match self {
            CountBy::Admin1 => "admin1",
            CountBy::Admin2 => "admin2",
            CountBy::Controller => "controller",
            CountBy::EventType => "event_type",
            CountBy::Month => "month",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g() -> &'static Gazetteer {
        Gazetteer::bundled().unwrap()
    }

    fn feature(lon: f64, lat: f64, props: Value) -> String {
        format!(
            "{{\"type\":\"Feature\",\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{lon},{lat}]}},\"properties\":{props}}}"
        )
    }

    fn layer(features: &[String]) -> Layer {
        Layer::from_json(format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[{}]}}",
            features.join(",")
        ))
        .unwrap()
    }

    #[test]
    fn bbox_is_checked() {
        assert_eq!(
            parse_bbox("40,34,41.5,35").unwrap(),
            [40.0, 34.0, 41.5, 35.0]
        );
        for bad in [
            "41,34,40,35",
            "40,35,41,34",
            "40,34,41",
            "40,34,41,x",
            "190,0,191,1",
            "0,-95,1,1",
        ] {
            assert!(parse_bbox(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn lat_lon_is_parsed_in_that_order() {
        assert_eq!(parse_lat_lon("34.45, 40.92"), Some((40.92, 34.45)));
        assert_eq!(parse_lat_lon("Abu Kamal"), None);
        assert_eq!(parse_lat_lon("95,40"), None);
    }

    #[test]
    fn arabic_and_english_names_give_the_same_governorate() {
        let (a, note) = resolve_within(g(), "Deir ez-Zor").unwrap();
        let (b, _) = resolve_within(g(), "دير الزور").unwrap();
        assert_eq!(a, b);
        assert_eq!(&a, g().area(g().index_of("sy-adm1-sy09").unwrap()).unwrap());
        assert!(note.unwrap().contains("sy-adm1-sy09"));
    }

    #[test]
    fn near_prefers_the_town_and_the_crossing_when_named() {
        let town = g().get("sy-c5167").unwrap();
        let ((lon, lat), note) = resolve_near(g(), "Albu Kamal").unwrap();
        assert_eq!((lon, lat), (town.lon, town.lat));
        assert!(note.unwrap().contains("village"));
        let x = g().get("cur-albukamal-crossing").unwrap();
        assert_eq!(
            resolve_near(g(), "معبر البوكمال").unwrap().0,
            (x.lon, x.lat)
        );
    }

    #[test]
    fn areas_are_not_points_and_unknown_names_say_so() {
        let e = resolve_near(g(), "Anbar").unwrap_err().to_string();
        assert!(e.contains("--within"), "{e}");
        let e = resolve_within(g(), "Nowhereville").unwrap_err().to_string();
        assert!(e.contains("gazetteer search"), "{e}");
    }

    #[test]
    fn zone_ids_are_areas_too() {
        let zs = ZoneSet::bundled().unwrap();
        let z = &zs.zones()[0];
        let (p, _) = resolve_within(g(), &z.zone_id).unwrap();
        assert_eq!(p, z.geometry);
    }

    #[test]
    fn grid_test_agrees_with_geo_contains() {
        for id in ["sy-adm1-sy09", "iq-adm1-iqg01", "country-iq"] {
            let poly = g().area(g().index_of(id).unwrap()).unwrap().clone();
            let r = poly.bounding_rect().unwrap();
            let shape = Shape::Polygon(poly.clone());
            let prepared = Prepared::new(&shape);
            let mut seed = 7u64;
            for _ in 0..20_000 {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
                let u = (seed >> 11) as f64 / (1u64 << 53) as f64;
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
                let v = (seed >> 11) as f64 / (1u64 << 53) as f64;
                let (x, y) = (r.min().x + u * r.width(), r.min().y + v * r.height());
                assert_eq!(
                    prepared.contains(x, y),
                    poly.contains(&Point::new(x, y)),
                    "{id} {x},{y}"
                );
            }
        }
    }

    #[test]
    fn circle_envelope_holds_the_circle() {
        let a = Shape::Circle {
            lon: 40.9,
            lat: 34.4,
            km: 20.0,
        };
        let e = envelope_of(&a).unwrap();
        for bearing in 0..36 {
            let t = f64::from(bearing) * 10f64.to_radians();
            // A point just inside the circle, by successive approximation.
            let (mut lo, mut hi) = (0.0, 1.0);
            for _ in 0..40 {
                let mid = (lo + hi) / 2.0;
                let p = (40.9 + mid * t.sin(), 34.4 + mid * t.cos());
                if haversine_km((40.9, 34.4), p) <= 20.0 {
                    lo = mid
                } else {
                    hi = mid
                }
            }
            let p = (40.9 + lo * t.sin(), 34.4 + lo * t.cos());
            assert!(p.0 >= e[0] && p.0 <= e[2] && p.1 >= e[1] && p.1 <= e[3]);
        }
    }

    #[test]
    fn filters_combine_and_keep_order() {
        let l = layer(&[
            feature(
                40.92,
                34.45,
                serde_json::json!({"date":"2021-03-01","event_type":"Battles","actors":"SDF; ISIS","border_km":7.0,"border_side":"SY","controller":"SDF","geo_precision":1,"article":"a/1"}),
            ),
            feature(
                41.0,
                34.4,
                serde_json::json!({"date":"2022-03-01","event_type":"Protests","actors":"Civilians","border_km":3.0,"border_side":"IQ","controller":"IQ_FED","geo_precision":2,"article":"b/1"}),
            ),
            feature(
                38.0,
                35.0,
                serde_json::json!({"date":null,"event_type":"battles","actors":"","border_km":250.0,"border_side":"SY","controller":null,"geo_precision":3,"article":"a/2"}),
            ),
        ]);
        let run = |s: QuerySpec| l.select(&s.compile(g()).unwrap(), g());
        assert_eq!(run(QuerySpec::default()), vec![0, 1, 2]);
        assert_eq!(
            run(QuerySpec {
                event_type: Some("BATTLES".into()),
                ..Default::default()
            }),
            vec![0, 2]
        );
        assert_eq!(
            run(QuerySpec {
                border_km: Some(10.0),
                ..Default::default()
            }),
            vec![0, 1]
        );
        assert_eq!(
            run(QuerySpec {
                border_km: Some(10.0),
                side: Some("iq".into()),
                ..Default::default()
            }),
            vec![1]
        );
        assert_eq!(
            run(QuerySpec {
                actor: Some("isis".into()),
                ..Default::default()
            }),
            vec![0]
        );
        assert_eq!(
            run(QuerySpec {
                min_precision: Some(2),
                ..Default::default()
            }),
            vec![0, 1]
        );
        assert_eq!(
            run(QuerySpec {
                article: Some("a/".into()),
                ..Default::default()
            }),
            vec![0, 2]
        );
        assert_eq!(
            run(QuerySpec {
                from: NaiveDate::from_ymd_opt(2021, 1, 1),
                to: NaiveDate::from_ymd_opt(2021, 12, 31),
                ..Default::default()
            }),
            vec![0]
        );
        assert_eq!(
            run(QuerySpec {
                controller: Some("sdf".into()),
                bbox: Some("40,34,42,35".into()),
                ..Default::default()
            }),
            vec![0]
        );
        assert_eq!(
            run(QuerySpec {
                near: Some("34.45,40.92".into()),
                radius_km: Some(5.0),
                ..Default::default()
            }),
            vec![0]
        );
        let counts = l.count_by(&[0, 1, 2], CountBy::Month);
        assert_eq!(counts[0].1, 1);
        assert!(counts.iter().any(|c| c.0 == "(none)"));
    }

    #[test]
    fn missing_border_fields_are_recomputed() {
        let l = layer(&[feature(40.92, 34.45, serde_json::json!({"country":"SY"}))]);
        let q = QuerySpec {
            border_km: Some(20.0),
            side: Some("SY".into()),
            ..Default::default()
        };
        assert_eq!(l.select(&q.compile(g()).unwrap(), g()), vec![0]);
        let q = QuerySpec {
            border_km: Some(1.0),
            ..Default::default()
        };
        assert!(l.select(&q.compile(g()).unwrap(), g()).is_empty());
    }

    #[test]
    fn bad_values_are_usage_errors() {
        let bad = [
            QuerySpec {
                near: Some("Abu Kamal".into()),
                radius_km: Some(0.0),
                ..Default::default()
            },
            QuerySpec {
                controller: Some("NOPE".into()),
                ..Default::default()
            },
            QuerySpec {
                from: NaiveDate::from_ymd_opt(2022, 1, 1),
                to: NaiveDate::from_ymd_opt(2021, 1, 1),
                ..Default::default()
            },
            QuerySpec {
                side: Some("IQ".into()),
                ..Default::default()
            },
        ];
        for s in bad {
            assert!(matches!(s.compile(g()), Err(Error::Usage(_))), "{s:?}");
        }
        assert!(Layer::from_json("{\"type\":\"Feature\"}").is_err());
        assert!(Layer::from_json("not json").is_err());
    }
}
