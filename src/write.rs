//! Stage 7 — write: GeoJSON layers and `report.json`, each written to a
//! temporary name and renamed into place, so a crash never leaves a half file.
//!
//! RFC 7946 throughout: WGS 84 lon/lat rounded to 6 decimals, exterior rings
//! counter-clockwise, one geometry type per layer, scalar properties only.
//! Output depends only on the input: features are in input order, ids are
//! hashes of content, so the same input gives the same bytes.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use geo::{orient::Direction, MapCoords, MultiPolygon, Orient};
use geojson::{Feature, Geometry, GeometryValue as GValue};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::geometry::round6;
use crate::pipeline::{ArticleResult, Pipeline};
use crate::read::{Problem, Severity};

mod json;

/// The run summary written as `report.json`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub inputs: usize,
    pub articles: usize,
    pub skipped: Vec<ReportItem>,
    pub errors: Vec<ReportItem>,
    pub mentions: usize,
    pub events: usize,
    pub elapsed_ms: u64,
    /// The inputs that gave at least one article, in input order (a JSONL
    /// or CSV file once): the layers beside this report come from these.
    pub read: Vec<String>,
}

/// One input (or record) that was not read, and why.
#[derive(Debug, Clone, Serialize)]
pub struct ReportItem {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    pub reason: String,
}

impl Report {
    /// Files a problem under `skipped` or `errors`.
    pub fn add_problem(&mut self, p: &Problem) {
        let item = ReportItem {
            path: p.path.clone(),
            line: p.line,
            reason: p.reason.clone(),
        };
        match p.severity {
            Severity::Skipped => self.skipped.push(item),
            Severity::Error => self.errors.push(item),
        }
    }

    /// True when every input was read.
    pub fn is_clean(&self) -> bool {
        self.skipped.is_empty() && self.errors.is_empty()
    }
}

/// Writes every layer and the report into `dir` (created if missing).
pub fn write_layers(
    dir: &Path,
    results: &[ArticleResult],
    pipeline: &Pipeline,
    report: &Report,
) -> Result<()> {
    let mut w = LayerWriter::create(dir)?;
    for r in results {
        w.add(r, &FeatureLines::of(r))?;
    }
    w.finish(pipeline, report)
}

/// An article's mention and event features, serialised: each layer's
/// features one per line, joined by `,\n` into one buffer (one allocation
/// per layer and article rather than one per feature).
#[derive(Debug, Default)]
pub struct FeatureLines {
    pub mentions: FeatureBlock,
    pub events: FeatureBlock,
}

/// Features serialised one per line, joined by `,\n`.
#[derive(Debug, Default)]
pub struct FeatureBlock {
    /// The features' JSON (UTF-8), without a leading or trailing separator.
    pub bytes: Vec<u8>,
    /// How many features `bytes` holds.
    pub count: usize,
}

impl FeatureBlock {
    fn of<'a, T: json::Json + 'a>(items: impl Iterator<Item = (&'a T, f64, f64)>) -> FeatureBlock {
        let mut block = FeatureBlock::default();
        for (record, lon, lat) in items {
            if block.count > 0 {
                block.bytes.extend_from_slice(b",\n");
            }
            json::point_line(&mut block.bytes, record, lon, lat);
            block.count += 1;
        }
        block
    }
}

impl FeatureLines {
    /// Serialises the features of one result (cheap to run on any thread).
    pub fn of(r: &ArticleResult) -> FeatureLines {
        FeatureLines {
            mentions: FeatureBlock::of(r.mentions.iter().map(|m| (m, m.lon, m.lat))),
            events: FeatureBlock::of(r.events.iter().map(|e| (e, e.lon, e.lat))),
        }
    }
}

/// A FeatureCollection being written to a temporary file, feature by feature.
struct TempLayer {
    tmp: PathBuf,
    path: PathBuf,
    w: std::io::BufWriter<std::fs::File>,
    n: usize,
}

impl TempLayer {
    fn create(path: PathBuf) -> std::io::Result<TempLayer> {
        let tmp = tmp_name(&path);
        let file = std::fs::File::create(&tmp)?;
        let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
        w.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[")?;
        Ok(TempLayer { tmp, path, w, n: 0 })
    }

    fn push(&mut self, block: &FeatureBlock) -> std::io::Result<()> {
        if block.count == 0 {
            return Ok(());
        }
        self.w.write_all(if self.n == 0 { b"\n" } else { b",\n" })?;
        self.n += block.count;
        self.w.write_all(&block.bytes)
    }

    /// Closes the collection and syncs the file; it is renamed later.
    fn close(&mut self) -> std::io::Result<()> {
        self.w.write_all(b"\n]}\n")?;
        self.w.flush()?;
        self.w.get_ref().sync_all()
    }
}

/// Per-place totals for `places.geojson`: the first mention's record, how
/// many mentions and how many articles.
#[derive(Debug)]
struct PlaceTotals {
    first: crate::pipeline::MentionRecord,
    mentions: usize,
    articles: usize,
    last_article: String,
}

/// Writes the layers of a run as results arrive, in bounded memory: mention
/// and event features stream to temporary files, and only the totals that
/// `places.geojson` and `zones.geojson` need are kept. [`LayerWriter::finish`]
/// renames every file into place; dropping the writer unfinished (an error,
/// a panic) removes the temporary files, so no half layer is ever left.
pub struct LayerWriter {
    dir: PathBuf,
    mentions: TempLayer,
    events: TempLayer,
    places: BTreeMap<crate::pipeline::Text, PlaceTotals>,
    dates: BTreeSet<chrono::NaiveDate>,
    done: bool,
}

impl LayerWriter {
    /// Starts the layers in `dir` (created if missing).
    pub fn create(dir: &Path) -> Result<LayerWriter> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        remove_stale_temp_files(dir);
        let layer = |name: &str| {
            let path = dir.join(name);
            TempLayer::create(path.clone()).map_err(|e| Error::io(&path, e))
        };
        let mentions = layer("mentions.geojson")?;
        let events = match layer("events.geojson") {
            Ok(e) => e,
            Err(e) => {
                remove_temp(&mentions.tmp);
                return Err(e);
            }
        };
        Ok(LayerWriter {
            dir: dir.to_path_buf(),
            mentions,
            events,
            places: BTreeMap::new(),
            dates: BTreeSet::new(),
            done: false,
        })
    }

    /// Adds one article's result; `lines` are its features serialised by
    /// [`FeatureLines::of`].
    pub fn add(&mut self, r: &ArticleResult, lines: &FeatureLines) -> Result<()> {
        for (layer, block) in [
            (&mut self.mentions, &lines.mentions),
            (&mut self.events, &lines.events),
        ] {
            if let Err(e) = layer.push(block) {
                return Err(Error::io(&layer.path, e));
            }
        }
        for m in &r.mentions {
            match self.places.get_mut(&m.place_id) {
                Some(t) => {
                    t.mentions += 1;
                    if t.last_article != m.article {
                        t.articles += 1;
                        t.last_article.clone_from(&m.article);
                    }
                }
                None => {
                    self.places.insert(
                        m.place_id.clone(),
                        PlaceTotals {
                            first: m.clone(),
                            mentions: 1,
                            articles: 1,
                            last_article: m.article.clone(),
                        },
                    );
                }
            }
        }
        self.dates
            .extend(r.events.iter().filter_map(|e| e.date_value));
        Ok(())
    }

    /// Writes the remaining layers and the report, then renames every file
    /// into place.
    pub fn finish(mut self, pipeline: &Pipeline, report: &Report) -> Result<()> {
        for layer in [&mut self.mentions, &mut self.events] {
            let path = layer.path.clone();
            layer.close().map_err(|e| Error::io(&path, e))?;
        }
        let dir = self.dir.clone();
        let places = place_features(&self.places);
        let zones = zone_features(&self.dates, pipeline);
        let overlays = overlay_features(&self.dates, pipeline);
        let mut staged = Vec::new();
        let result = (|| {
            stage(&dir.join("places.geojson"), &mut staged, |w| {
                collection(w, places.into_iter())
            })?;
            stage(&dir.join("zones.geojson"), &mut staged, |w| {
                collection(w, zones.into_iter())
            })?;
            stage(&dir.join("overlays.geojson"), &mut staged, |w| {
                collection(w, overlays.into_iter())
            })?;
            stage(&dir.join("border.geojson"), &mut staged, |w| {
                collection(w, std::iter::once(border_feature(pipeline)))
            })?;
            staged.push((self.mentions.tmp.clone(), self.mentions.path.clone()));
            staged.push((self.events.tmp.clone(), self.events.path.clone()));
            // The report last: it is in place only once every layer it counts is.
            stage(&dir.join("report.json"), &mut staged, |w| {
                serde_json::to_writer_pretty(&mut *w, report).map_err(std::io::Error::other)?;
                w.write_all(b"\n")
            })?;
            for (tmp, path) in &staged {
                std::fs::rename(tmp, path).map_err(|e| Error::io(path, e))?;
            }
            Ok(())
        })();
        if result.is_err() {
            for (tmp, _) in &staged {
                remove_temp(tmp);
            }
        } else {
            staged.iter().for_each(|(tmp, _)| forget_temp(tmp));
        }
        // Unfinished on error: dropping removes the mention and event files.
        self.done = result.is_ok();
        result
    }
}

impl Drop for LayerWriter {
    fn drop(&mut self) {
        if !self.done {
            remove_temp(&self.mentions.tmp);
            remove_temp(&self.events.tmp);
        }
    }
}

/// Writes a file to its temporary name and records it for the final rename.
fn stage(
    path: &Path,
    staged: &mut Vec<(PathBuf, PathBuf)>,
    f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let tmp = tmp_name(path);
    let result = (|| {
        let file = std::fs::File::create(&tmp)?;
        let mut w = std::io::BufWriter::new(file);
        f(&mut w)?;
        let file = w.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()
    })();
    match result {
        Ok(()) => {
            staged.push((tmp, path.to_path_buf()));
            Ok(())
        }
        Err(e) => {
            remove_temp(&tmp);
            Err(Error::io(path, e))
        }
    }
}

/// Writes through a temporary file in the same folder, then renames it.
pub fn write_atomic(
    path: &Path,
    f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let mut staged = Vec::with_capacity(1);
    stage(path, &mut staged, f)?;
    for (tmp, dest) in staged {
        std::fs::rename(&tmp, &dest).map_err(|e| {
            remove_temp(&tmp);
            Error::io(&dest, e)
        })?;
        forget_temp(&tmp);
    }
    Ok(())
}

/// Every temporary file name starts with this, so that they are plainly
/// bordermap's: never read as input, and removed when a run that was killed
/// left them behind.
pub const TEMP_PREFIX: &str = ".bordermap-tmp-";

/// `.bordermap-tmp-<pid>-<name>` next to `path`.
pub(crate) fn tmp_name(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!("{TEMP_PREFIX}{}-{name}", std::process::id()));
    live_temps(|t| t.push(tmp.clone()));
    tmp
}

/// The temporary files this process has open, for [`remove_temp_files`].
fn live_temps<T>(f: impl FnOnce(&mut Vec<PathBuf>) -> T) -> T {
    static LIVE: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());
    let mut guard = LIVE.lock().unwrap_or_else(|e| e.into_inner());
    f(&mut guard)
}

/// Forgets a temporary file that was renamed into place or removed.
pub(crate) fn forget_temp(tmp: &Path) {
    live_temps(|t| t.retain(|p| p != tmp));
}

/// Removes a temporary file and forgets it.
pub(crate) fn remove_temp(tmp: &Path) {
    let _ = std::fs::remove_file(tmp);
    forget_temp(tmp);
}

/// Removes every temporary file this process is writing: for a Ctrl-C
/// handler, before the process exits. The layers already in place are
/// untouched (new ones only replace them by a rename at the very end).
pub fn remove_temp_files() {
    live_temps(|t| {
        for p in t.drain(..) {
            let _ = std::fs::remove_file(p);
        }
    });
}

/// Removes the temporary files a killed run left in `dir`: those named
/// `.bordermap-tmp-<pid>-…` whose process is gone (where that can be told,
/// as on Linux; elsewhere, those untouched for an hour). Returns how many.
pub fn remove_stale_temp_files(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let own = std::process::id();
    let proc_fs = Path::new("/proc/self").exists();
    let mut removed = 0;
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(TEMP_PREFIX)) else {
            continue;
        };
        let pid = rest
            .split_once('-')
            .and_then(|(pid, _)| pid.parse::<u32>().ok());
        let stale = match pid {
            Some(pid) if pid == own => false,
            Some(pid) if proc_fs => !Path::new("/proc").join(pid.to_string()).exists(),
            _ => e
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 3600),
        };
        if stale
            && e.file_type().is_ok_and(|t| t.is_file())
            && std::fs::remove_file(e.path()).is_ok()
        {
            removed += 1;
        }
    }
    removed
}

/// A FeatureCollection, one feature per line so diffs stay readable.
pub fn collection(
    w: &mut dyn Write,
    features: impl Iterator<Item = Feature>,
) -> std::io::Result<()> {
    w.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[")?;
    for (i, f) in features.enumerate() {
        w.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(&mut *w, &f).map_err(std::io::Error::other)?;
    }
    w.write_all(b"\n]}\n")
}

/// A Point feature from a record whose fields become the properties.
pub fn point_feature<T: Serialize>(record: &T, lon: f64, lat: f64) -> Feature {
    let props = match serde_json::to_value(record) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    feature(
        GValue::Point {
            coordinates: [round6(lon), round6(lat)].into(),
        },
        props,
    )
}

fn feature(value: GValue, properties: Map<String, Value>) -> Feature {
    Feature {
        bbox: None,
        geometry: Some(Geometry::new(value)),
        id: None,
        properties: Some(properties),
        foreign_members: None,
    }
}

/// One feature per distinct place mentioned, with how often and where.
fn place_features(places: &BTreeMap<crate::pipeline::Text, PlaceTotals>) -> Vec<Feature> {
    places
        .values()
        .map(|t| {
            let m = &t.first;
            let mut p = Map::new();
            p.insert("place_id".into(), m.place_id.clone().into());
            p.insert("name_en".into(), m.name_en.clone().into());
            p.insert("name_ar".into(), m.name_ar.clone().into());
            p.insert("kind".into(), m.kind.into());
            p.insert("country".into(), m.country.clone().into());
            p.insert("admin1".into(), m.admin1.clone().into());
            p.insert("admin2".into(), m.admin2.clone().into());
            p.insert("mentions".into(), t.mentions.into());
            p.insert("articles".into(), t.articles.into());
            p.insert("border_km".into(), m.border_km.into());
            feature(
                GValue::Point {
                    coordinates: [m.lon, m.lat].into(),
                },
                p,
            )
        })
        .collect()
}

/// The zones in force on any event date, in the bundled order.
fn zone_features(dates: &BTreeSet<chrono::NaiveDate>, pipeline: &Pipeline) -> Vec<Feature> {
    let zones = pipeline.zones().zones();
    (0..zones.len())
        .filter(|&i| dates.iter().any(|&d| zones[i].in_force(d)))
        .map(|i| zone_feature(&zones[i]))
        .collect()
}

/// The presence overlays in force on at least one event date.
fn overlay_features(dates: &BTreeSet<chrono::NaiveDate>, pipeline: &Pipeline) -> Vec<Feature> {
    pipeline
        .zones()
        .overlays()
        .iter()
        .filter(|o| dates.iter().any(|&d| o.in_force(d)))
        .map(overlay_feature)
        .collect()
}

/// An overlay as a feature: the contract's properties first, then any others.
pub fn overlay_feature(o: &crate::zones::Overlay) -> Feature {
    dated_polygon_feature(
        &[
            "zone_id",
            "presence",
            "presence_name",
            "presence_ar",
            "valid_from",
            "valid_to",
            "confidence",
            "source",
        ],
        [("zone_id", &o.zone_id), ("presence", &o.presence)],
        &o.properties,
        &o.geometry,
    )
}

/// A zone as a feature: its properties as given, geometry oriented and rounded.
pub fn zone_feature(z: &crate::zones::Zone) -> Feature {
    dated_polygon_feature(
        &[
            "zone_id",
            "controller",
            "controller_name",
            "controller_ar",
            "valid_from",
            "valid_to",
            "confidence",
            "source",
        ],
        [("zone_id", &z.zone_id), ("controller", &z.controller)],
        &z.properties,
        &z.geometry,
    )
}

/// A zone or overlay feature: the contract's `keys` in order (null where
/// missing), the parsed id and code over the source's, then every other
/// source property.
fn dated_polygon_feature(
    keys: &[&str],
    parsed: [(&str, &String); 2],
    source: &Map<String, Value>,
    geometry: &MultiPolygon<f64>,
) -> Feature {
    let mut props = Map::new();
    for key in keys {
        props.insert(
            (*key).into(),
            source.get(*key).cloned().unwrap_or(Value::Null),
        );
    }
    for (k, v) in parsed {
        props.insert(k.into(), v.clone().into());
    }
    for (k, v) in source {
        if !props.contains_key(k) {
            props.insert(k.clone(), v.clone());
        }
    }
    feature(multipolygon_value(geometry), props)
}

/// RFC 7946 polygon: exterior counter-clockwise, holes clockwise, 6 decimals.
pub fn multipolygon_value(mp: &MultiPolygon<f64>) -> GValue {
    let mp = mp.orient(Direction::Default).map_coords(|c| geo::Coord {
        x: round6(c.x),
        y: round6(c.y),
    });
    GValue::from(&mp)
}

fn border_feature(pipeline: &Pipeline) -> Feature {
    let g = pipeline.gazetteer();
    let border = g.border().map_coords(|c| geo::Coord {
        x: round6(c.x),
        y: round6(c.y),
    });
    let mut p = Map::new();
    let place = g.get("border-iq-sy");
    p.insert("place_id".into(), "border-iq-sy".into());
    p.insert(
        "name_en".into(),
        place
            .map(|p| p.name_en.clone())
            .unwrap_or_else(|| "Iraq–Syria border".into())
            .into(),
    );
    p.insert(
        "name_ar".into(),
        place
            .map(|p| p.name_ar.clone())
            .unwrap_or_else(|| "الحدود السورية العراقية".into())
            .into(),
    );
    let value = if border.0.len() == 1 {
        GValue::from(&border.0[0])
    } else {
        GValue::from(&border)
    };
    feature(value, p)
}

/// One feature per gazetteer place: its point, or with `full` its polygon
/// where it has one (`gazetteer export --format geojson`).
pub fn gazetteer_features(g: &crate::Gazetteer, full: bool) -> impl Iterator<Item = Feature> + '_ {
    (0..g.places().len() as u32).map(move |i| {
        let p = g.place(i);
        let props = gazetteer_properties(p);
        match g.area(i).filter(|_| full) {
            Some(poly) => feature(multipolygon_value(poly), props),
            None => feature(
                GValue::Point {
                    coordinates: [round6(p.lon), round6(p.lat)].into(),
                },
                props,
            ),
        }
    })
}

fn gazetteer_properties(p: &crate::Place) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("place_id".into(), p.id.clone().into());
    m.insert("kind".into(), p.kind.as_str().into());
    m.insert("name_en".into(), p.name_en.clone().into());
    m.insert("name_ar".into(), p.name_ar.clone().into());
    m.insert("names".into(), p.names.join("; ").into());
    m.insert("country".into(), p.country.clone().into());
    m.insert("admin1".into(), p.admin1.clone().into());
    m.insert("admin2".into(), p.admin2.clone().into());
    m.insert("admin3".into(), p.admin3.clone().into());
    m.insert("population".into(), p.population.into());
    m.insert("needs_context".into(), p.needs_context.into());
    m
}

/// The gazetteer as CSV, the columns of `places.tsv` (`gazetteer export --format csv`).
pub fn gazetteer_csv(g: &crate::Gazetteer, w: &mut dyn Write) -> std::io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(crate::gazetteer::COLUMNS)?;
    for p in g.places() {
        let opt = |o: &Option<String>| o.clone().unwrap_or_default();
        out.write_record([
            p.id.clone(),
            p.kind.as_str().to_string(),
            p.name_en.clone(),
            p.name_ar.clone(),
            p.names.join("|"),
            p.country.clone(),
            opt(&p.admin1),
            opt(&p.admin2),
            opt(&p.admin3),
            format!("{:.6}", p.lat),
            format!("{:.6}", p.lon),
            p.population.map(|n| n.to_string()).unwrap_or_default(),
            if p.needs_context {
                "needs_context".into()
            } else {
                String::new()
            },
            String::new(),
        ])?;
    }
    out.flush()
}
