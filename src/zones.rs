//! Stage 6 — zones: who controlled a point on a date, and where the border is.
//!
//! Zones are time-versioned polygons (`gazetteer/zones.geojson`, built by
//! `tools/build_zones.py`), each with a controller code, a validity interval
//! `[valid_from, valid_to)` and a confidence. Lookups go through an R-tree of
//! the bounding boxes of the zones in force in the date's epoch, then a
//! point-in-polygon test on the polygon's edges banded by latitude. Town-level
//! facts (`gazetteer/control_points.csv`) override the polygons within a
//! small radius of a town on the dates they cover, for places on the
//! fact's own side of the border.

use chrono::NaiveDate;
use geo::{BoundingRect, MultiPolygon};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::RTree;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::geometry::{feature_collection, haversine_km, to_multipolygon, Banded};

const ZONES_GEOJSON: &str = include_str!("../gazetteer/zones.geojson");
const CONTROL_POINTS_CSV: &str = include_str!("../gazetteer/control_points.csv");
const OVERLAYS_GEOJSON: &str = include_str!("../gazetteer/overlays.geojson");

/// The controller codes of the spec with their English and Arabic names.
pub const CONTROLLERS: [(&str, &str, &str); 11] = [
    (
        "SY_GOV_ASSAD",
        "Syrian government (Assad)",
        "قوات الحكومة السورية (الأسد)",
    ),
    (
        "SY_GOV_TRANSITIONAL",
        "Syrian transitional government",
        "الحكومة السورية الانتقالية",
    ),
    ("SDF", "Syrian Democratic Forces", "قوات سوريا الديمقراطية"),
    ("ISIS", "Islamic State", "تنظيم الدولة الإسلامية"),
    (
        "SY_OPP_TANF",
        "Coalition and Syrian partner force (al-Tanf)",
        "التحالف وجيش سوريا الحرة (التنف)",
    ),
    (
        "SY_OPP_REBELS",
        "Syrian opposition factions",
        "فصائل المعارضة السورية",
    ),
    (
        "TR_SNA",
        "Turkey and the Syrian National Army",
        "تركيا والجيش الوطني السوري",
    ),
    ("IQ_FED", "Iraqi federal forces", "القوات الاتحادية العراقية"),
    (
        "KRG",
        "Kurdistan Regional Government",
        "حكومة إقليم كردستان",
    ),
    ("CONTESTED", "Contested", "منطقة متنازع عليها"),
    ("MIXED", "Mixed", "سيطرة مختلطة"),
];

/// English display name of a controller code.
pub fn controller_name(code: &str) -> Option<&'static str> {
    CONTROLLERS.iter().find(|c| c.0 == code).map(|c| c.1)
}

/// A controller code as record text: the bundled list's own copy when the
/// code is known, so records need not allocate it.
pub fn controller_text(code: String) -> std::borrow::Cow<'static, str> {
    match CONTROLLERS.iter().find(|c| c.0 == code) {
        Some(c) => std::borrow::Cow::Borrowed(c.0),
        None => std::borrow::Cow::Owned(code),
    }
}

/// One zone of control over one interval.
#[derive(Debug, Clone)]
pub struct Zone {
    pub zone_id: String,
    pub controller: String,
    pub valid_from: NaiveDate,
    /// Exclusive; `None` while still in force.
    pub valid_to: Option<NaiveDate>,
    pub geometry: MultiPolygon<f64>,
    /// Every property of the source feature, written back unchanged.
    pub properties: Map<String, Value>,
    /// From the user's `--zones` file: wins over the bundled zones and facts.
    pub user: bool,
}

impl Zone {
    /// True when the zone is in force on `date`.
    pub fn in_force(&self, date: NaiveDate) -> bool {
        in_interval(self.valid_from, self.valid_to, date)
    }
}

/// `date` in `[from, to)`, `to` open when `None`.
fn in_interval(from: NaiveDate, to: Option<NaiveDate>, date: NaiveDate) -> bool {
    from <= date && to.is_none_or(|t| date < t)
}

/// Presence that does not change who holds the ground (a US base, Iran-backed
/// militias, PMF or Turkish posts) over one interval: written as its own
/// layer so that a zone's controller stays single-valued.
#[derive(Debug, Clone)]
pub struct Overlay {
    pub zone_id: String,
    /// The presence code (`US_COALITION_BASE`, `IRAN_BACKED`, …).
    pub presence: String,
    pub valid_from: NaiveDate,
    /// Exclusive; `None` while still in force.
    pub valid_to: Option<NaiveDate>,
    pub geometry: MultiPolygon<f64>,
    /// Every property of the source feature, written back unchanged.
    pub properties: Map<String, Value>,
}

impl Overlay {
    /// True when the overlay is in force on `date`.
    pub fn in_force(&self, date: NaiveDate) -> bool {
        in_interval(self.valid_from, self.valid_to, date)
    }
}

/// A town-level fact: within `radius_km` of the point, `controller` holds on
/// `[valid_from, valid_to)`.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct ControlPoint {
    pub place: String,
    pub lat: f64,
    pub lon: f64,
    pub radius_km: f64,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub controller: String,
    pub confidence: String,
    pub source: String,
    /// The country the fact is about (`SY`, `IQ`): it decides only for
    /// places on that side of the border. Empty or missing: any side.
    #[serde(default)]
    pub country: Option<String>,
}

impl ControlPoint {
    /// True when the fact may decide for a place in `side` (a country code,
    /// or several joined with `,`); `None` is a point of unknown side.
    pub fn applies_to(&self, side: Option<&str>) -> bool {
        match (self.country.as_deref().filter(|c| !c.is_empty()), side) {
            (Some(c), Some(side)) => side.split(',').any(|s| s.trim() == c),
            _ => true,
        }
    }
}

/// Who controlled a point on a date, and which zone (or town fact) said so.
#[derive(Debug, Clone, PartialEq)]
pub struct Control {
    pub controller: String,
    /// The zone id, or `point:PLACE` when a town-level fact decided.
    pub zone_id: String,
    /// Index of the zone in [`ZoneSet::zones`], when a zone decided.
    pub zone: Option<usize>,
}

type Entry = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// All zones, indexed for point lookups. Build once, share across threads.
#[derive(Debug)]
pub struct ZoneSet {
    zones: Vec<Zone>,
    /// Each zone's polygon prepared for point tests, by zone index.
    banded: Vec<Banded>,
    index: RTree<Entry>,
    /// One R-tree per epoch (see [`ZoneSet::epoch`]) of the zones in force
    /// in it: a point lookup meets only the zones of its date.
    by_epoch: Vec<RTree<Entry>>,
    points: Vec<ControlPoint>,
    overlays: Vec<Overlay>,
    /// Every `valid_from` and `valid_to`, sorted: where the zones change.
    boundaries: Vec<NaiveDate>,
}

impl ZoneSet {
    /// The zone history bundled with the program.
    pub fn bundled() -> Result<ZoneSet> {
        let mut zs =
            ZoneSet::from_sources(ZONES_GEOJSON, "gazetteer/zones.geojson", CONTROL_POINTS_CSV)?;
        zs.overlays = parse_dated(OVERLAYS_GEOJSON, "gazetteer/overlays.geojson", "presence")?
            .into_iter()
            .map(|d| Overlay {
                zone_id: d.id,
                presence: d.code,
                valid_from: d.valid_from,
                valid_to: d.valid_to,
                geometry: d.geometry,
                properties: d.properties,
            })
            .collect();
        Ok(zs)
    }

    /// The presence overlays (bundled with the program; none for a set
    /// built with [`ZoneSet::new`]).
    pub fn overlays(&self) -> &[Overlay] {
        &self.overlays
    }

    /// Zones from GeoJSON text and town facts from CSV text.
    pub fn from_sources(zones_geojson: &str, origin: &str, points_csv: &str) -> Result<ZoneSet> {
        let zones = parse_zones(zones_geojson, origin)?;
        let points = parse_points(points_csv)?;
        Ok(ZoneSet::new(zones, points))
    }

    /// Indexes zones and town facts.
    pub fn new(zones: Vec<Zone>, points: Vec<ControlPoint>) -> ZoneSet {
        let entries: Vec<Entry> = zones
            .iter()
            .enumerate()
            .filter_map(|(i, z)| {
                let r = z.geometry.bounding_rect()?;
                Some(GeomWithData::new(
                    Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
                    i,
                ))
            })
            .collect();
        let mut boundaries: Vec<NaiveDate> = zones
            .iter()
            .flat_map(|z| std::iter::once(z.valid_from).chain(z.valid_to))
            .chain(
                points
                    .iter()
                    .flat_map(|p| std::iter::once(p.valid_from).chain(p.valid_to)),
            )
            .collect();
        boundaries.sort();
        boundaries.dedup();
        // Epoch k runs from boundaries[k - 1] (or the start of time) up to
        // boundaries[k]; its first day stands for all of it.
        let by_epoch = (0..=boundaries.len())
            .map(|k| {
                let day = match k {
                    0 => NaiveDate::MIN,
                    k => boundaries[k - 1],
                };
                RTree::bulk_load(
                    entries
                        .iter()
                        .filter(|e: &&Entry| zones[e.data].in_force(day))
                        .cloned()
                        .collect(),
                )
            })
            .collect();
        ZoneSet {
            banded: zones.iter().map(|z| Banded::new(&z.geometry)).collect(),
            zones,
            index: RTree::bulk_load(entries),
            by_epoch,
            points,
            overlays: Vec::new(),
            boundaries,
        }
    }

    /// Which stretch of time between two changes (of a zone or a town fact)
    /// `date` falls in: the zones and facts in force are the same for every
    /// date of one epoch, so results that depend only on them can be cached
    /// per epoch.
    pub fn epoch(&self, date: NaiveDate) -> usize {
        self.boundaries.partition_point(|&b| b <= date)
    }

    /// All zones.
    pub fn zones(&self) -> &[Zone] {
        &self.zones
    }

    /// The zone in force on `date` that contains the (lon, lat) point.
    pub fn zone_at(&self, lon: f64, lat: f64, date: NaiveDate) -> Option<usize> {
        // Zones of one date should not overlap; if a user's file makes them,
        // a user's zone wins, then the most recently started, then the first.
        let rank = |i: usize| {
            let z = &self.zones[i];
            (
                std::cmp::Reverse(z.user),
                std::cmp::Reverse(z.valid_from),
                i,
            )
        };
        let tree = self.by_epoch.get(self.epoch(date))?;
        // Every zone of the epoch's tree is in force on every day of it.
        tree.locate_all_at_point(&[lon, lat])
            .map(|e| e.data)
            .filter(|&i| self.banded[i].contains(lon, lat))
            .min_by_key(|&i| rank(i))
    }

    /// Who controlled the point on `date`: a town-level fact if one covers
    /// it, else the zone that contains it. The side of the border is not
    /// known here, so a fact of either country may decide: for a place,
    /// use [`ZoneSet::control_at_on`].
    pub fn control_at(&self, lon: f64, lat: f64, date: NaiveDate) -> Option<Control> {
        self.control_at_on(lon, lat, date, None)
    }

    /// [`ZoneSet::control_at`] for a point of a place in country `side`
    /// (`SY`, `IQ`, or several joined with `,`): a town-level fact decides
    /// only for places on its own side of the border, so the Iraqi Rabia
    /// crossing's fact does not reach the Syrian town 1 km away.
    pub fn control_at_on(
        &self,
        lon: f64,
        lat: f64,
        date: NaiveDate,
        side: Option<&str>,
    ) -> Option<Control> {
        if let Some(z) = self.zone_at(lon, lat, date).filter(|&z| self.zones[z].user) {
            return Some(Control {
                controller: self.zones[z].controller.clone(),
                zone_id: self.zones[z].zone_id.clone(),
                zone: Some(z),
            });
        }
        if let Some(f) = self.fact_at(lon, lat, date, side) {
            return Some(Control {
                controller: f.controller.clone(),
                zone_id: format!("point:{}", f.place),
                zone: self.zone_at(lon, lat, date),
            });
        }
        let z = self.zone_at(lon, lat, date)?;
        Some(Control {
            controller: self.zones[z].controller.clone(),
            zone_id: self.zones[z].zone_id.clone(),
            zone: Some(z),
        })
    }

    /// The town-level fact that decides for the point on `date`, if any:
    /// of those covering it on its side, the latest to start, then the
    /// smallest.
    pub fn fact_at(
        &self,
        lon: f64,
        lat: f64,
        date: NaiveDate,
        side: Option<&str>,
    ) -> Option<&ControlPoint> {
        self.points
            .iter()
            .filter(|p| in_interval(p.valid_from, p.valid_to, date))
            .filter(|p| p.applies_to(side))
            .filter(|p| haversine_km((lon, lat), (p.lon, p.lat)) <= p.radius_km)
            .max_by(|a, b| {
                a.valid_from
                    .cmp(&b.valid_from)
                    .then(b.radius_km.total_cmp(&a.radius_km))
            })
    }

    /// The days strictly between `from` and `to` on which a zone or a town
    /// fact starts or ends: where the answer for a period may change.
    pub fn changes_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> impl Iterator<Item = NaiveDate> + '_ {
        let lo = self.boundaries.partition_point(|&b| b <= from);
        let hi = self.boundaries.partition_point(|&b| b < to);
        self.boundaries[lo..hi.max(lo)].iter().copied()
    }

    /// Area shares of each controller over a polygon on `date`, estimated on
    /// a regular grid of sample points (deterministic, no polygon clipping),
    /// largest share first.
    pub fn shares(&self, area: &MultiPolygon<f64>, date: NaiveDate) -> Vec<(String, f64)> {
        self.shares_of(&sample_points(area), date)
    }

    /// The zones in force on `date` whose bounding box meets `area`'s: what
    /// the area's shares depend on (a change elsewhere leaves them alone).
    pub fn zones_touching(&self, area: &MultiPolygon<f64>, date: NaiveDate) -> Vec<usize> {
        let Some(r) = area.bounding_rect() else {
            return Vec::new();
        };
        let env = rstar::AABB::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]);
        let mut ids: Vec<usize> = self
            .index
            .locate_in_envelope_intersecting(&env)
            .map(|e| e.data)
            .filter(|&i| self.zones[i].in_force(date))
            .collect();
        ids.sort_unstable();
        ids
    }

    /// Shares over given sample points (see [`sample_points`]), so callers
    /// that ask about one area on many dates sample it once.
    pub fn shares_of(&self, points: &[(f64, f64)], date: NaiveDate) -> Vec<(String, f64)> {
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for &(x, y) in points {
            let Some(z) = self.zone_at(x, y, date) else {
                continue;
            };
            let code = self.zones[z].controller.as_str();
            match counts.iter_mut().find(|c| c.0 == code) {
                Some(c) => c.1 += 1,
                None => counts.push((code, 1)),
            }
        }
        let total = points.len().max(1) as f64;
        let mut out: Vec<(String, f64)> = counts
            .into_iter()
            .map(|(c, k)| (c.to_string(), k as f64 / total))
            .collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        out
    }

    /// The zones in force on `date`.
    pub fn in_force(&self, date: NaiveDate) -> impl Iterator<Item = (usize, &Zone)> {
        self.zones
            .iter()
            .enumerate()
            .filter(move |(_, z)| z.in_force(date))
    }
}

/// A regular 24×24 grid over the area's bounding box, kept where it falls
/// inside the area: a few hundred points, shares to within a few percent.
pub fn sample_points(area: &MultiPolygon<f64>) -> Vec<(f64, f64)> {
    let Some(r) = area.bounding_rect() else {
        return Vec::new();
    };
    let n = 24;
    let (dx, dy) = (r.width() / n as f64, r.height() / n as f64);
    let inside = Banded::new(area);
    (0..n * n)
        .map(|k| {
            (
                r.min().x + ((k / n) as f64 + 0.5) * dx,
                r.min().y + ((k % n) as f64 + 0.5) * dy,
            )
        })
        .filter(|&(x, y)| inside.contains(x, y))
        .collect()
}

fn parse_zones(src: &str, origin: &str) -> Result<Vec<Zone>> {
    let dated = parse_dated(src, origin, "controller")?;
    let mut out = Vec::with_capacity(dated.len());
    for (i, d) in dated.into_iter().enumerate() {
        if controller_name(&d.code).is_none() {
            return Err(Error::Data(format!(
                "{origin}: feature {i}: unknown controller code `{}`",
                d.code
            )));
        }
        out.push(Zone {
            zone_id: d.id,
            controller: d.code,
            valid_from: d.valid_from,
            valid_to: d.valid_to,
            geometry: d.geometry,
            properties: d.properties,
            user: false,
        });
    }
    Ok(out)
}

/// One feature of a dated polygon layer (zones, overlays).
struct Dated {
    id: String,
    code: String,
    valid_from: NaiveDate,
    valid_to: Option<NaiveDate>,
    geometry: MultiPolygon<f64>,
    properties: Map<String, Value>,
}

/// Reads a FeatureCollection of polygons with `zone_id`, a code property
/// (`code_key`), `valid_from` and `valid_to`; errors name the feature.
fn parse_dated(src: &str, origin: &str, code_key: &str) -> Result<Vec<Dated>> {
    let fc = feature_collection(src).map_err(|e| Error::Data(format!("{origin}: {e}")))?;
    let mut out = Vec::with_capacity(fc.features.len());
    for (i, f) in fc.features.into_iter().enumerate() {
        let bad = |what: String| Error::Data(format!("{origin}: feature {i}: {what}"));
        let props = f.properties.clone().unwrap_or_default();
        let text = |k: &str| props.get(k).and_then(Value::as_str).map(str::to_string);
        let date = |k: &str| -> Result<Option<NaiveDate>> {
            match text(k) {
                None => Ok(None),
                Some(s) => NaiveDate::parse_from_str(&s, "%Y-%m-%d")
                    .map(Some)
                    .map_err(|_| bad(format!("`{k}` is `{s}`, expected YYYY-MM-DD"))),
            }
        };
        let code = text(code_key).ok_or_else(|| bad(format!("no `{code_key}`")))?;
        let valid_from = date("valid_from")?.ok_or_else(|| bad("no `valid_from`".into()))?;
        let valid_to = date("valid_to")?;
        if valid_to.is_some_and(|t| t <= valid_from) {
            return Err(bad("`valid_to` is not after `valid_from`".into()));
        }
        let geom = f
            .geometry
            .as_ref()
            .ok_or_else(|| bad("no geometry".into()))?;
        let geometry = to_multipolygon(geom).map_err(bad)?;
        out.push(Dated {
            id: text("zone_id").unwrap_or_else(|| format!("zone-{i}")),
            code,
            valid_from,
            valid_to,
            geometry,
            properties: props,
        });
    }
    Ok(out)
}

impl ZoneSet {
    /// Adds a user's zones from a GeoJSON file, on top of these (they win
    /// where they cover a point) or instead of them (`replace`). A feature
    /// with an invalid polygon, or two features of overlapping dates whose
    /// areas overlap, is refused with the feature indexes and what is wrong.
    pub fn with_user_file(self, path: &std::path::Path, replace: bool) -> Result<ZoneSet> {
        let origin = path.display().to_string();
        let src = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let mut user = parse_zones(&src, &origin)?;
        check_user_zones(&user, &origin)?;
        user.iter_mut().for_each(|z| z.user = true);
        let (zones, points) = if replace {
            (user, Vec::new())
        } else {
            (user.into_iter().chain(self.zones).collect(), self.points)
        };
        // Presence is not control: the overlays stay either way.
        let mut zs = ZoneSet::new(zones, points);
        zs.overlays = self.overlays;
        Ok(zs)
    }
}

fn check_user_zones(zones: &[Zone], origin: &str) -> Result<()> {
    use geo::{Relate, Validation};
    for (i, z) in zones.iter().enumerate() {
        if let Err(e) = z.geometry.check_validation() {
            return Err(Error::Data(format!("{origin}: feature {i} ({}): invalid polygon: {e}; fix it (QGIS: Vector › Geometry Tools › Fix Geometries)", z.zone_id)));
        }
    }
    for (i, a) in zones.iter().enumerate() {
        for (j, b) in zones.iter().enumerate().skip(i + 1) {
            let dates_overlap = a.valid_to.is_none_or(|t| b.valid_from < t)
                && b.valid_to.is_none_or(|t| a.valid_from < t);
            if dates_overlap
                && a.geometry
                    .relate(&b.geometry)
                    .matches("T********")
                    .unwrap_or(false)
            {
                return Err(Error::Data(format!(
                    "{origin}: features {i} ({}) and {j} ({}) overlap in area on the same dates; one point must have one controller per date",
                    a.zone_id, b.zone_id
                )));
            }
        }
    }
    Ok(())
}

fn parse_points(csv_text: &str) -> Result<Vec<ControlPoint>> {
    let mut rdr = csv::Reader::from_reader(csv_text.as_bytes());
    rdr.deserialize()
        .enumerate()
        .map(|(n, r)| {
            r.map_err(|e| Error::Data(format!("gazetteer/control_points.csv: line {}: {e}", n + 2)))
        })
        .collect()
}
