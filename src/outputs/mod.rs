//! Extra outputs written next to the GeoJSON layers, for people who open the
//! results in a spreadsheet, in QGIS or in a browser:
//!
//! | file | module | what |
//! | --- | --- | --- |
//! | `events.csv` | `events_csv` | ACLED-style table, UTF-8 with a BOM (so Excel shows Arabic) |
//! | `events.qml`, `zones.qml`, `border.qml` | `qml` | QGIS 3 styles, loaded with the layer of the same name |
//! | `map.html` | `html` | self-contained offline map: SVG, date slider, type filter |
//! | `bordermap.gpkg` | `gpkg` | every layer as a GeoPackage feature table with an R-tree |
//!
//! Every function here reads the finished GeoJSON layers in the output folder
//! (`events.geojson`, `zones.geojson`, …) and writes its file beside them,
//! atomically, so it works the same on a folder written by any earlier run.

use std::path::Path;

use serde_json::{Map, Value};

use crate::error::{Error, Result};

mod events_csv;
mod gpkg;
mod html;
mod qml;

pub use events_csv::write_events_csv;
pub use gpkg::write_gpkg;
pub use html::write_map_html;
pub use qml::write_qml;

/// One stable colour per controller code (`#rrggbb`), shared by `zones.qml`
/// and the legend of `map.html`.
pub const CONTROLLER_COLOURS: [(&str, &str); 11] = [
    ("SY_GOV_ASSAD", "#d62728"),
    ("SY_GOV_TRANSITIONAL", "#2ca02c"),
    ("SDF", "#f2c200"),
    ("ISIS", "#303030"),
    ("SY_OPP_TANF", "#1f77b4"),
    ("SY_OPP_REBELS", "#8c6d31"),
    ("TR_SNA", "#17becf"),
    ("IQ_FED", "#9467bd"),
    ("KRG", "#ff7f0e"),
    ("CONTESTED", "#8c8c8c"),
    ("MIXED", "#e377c2"),
];

/// One colour per ACLED event type, shared by `events.qml` and `map.html`.
pub const EVENT_TYPE_COLOURS: [(&str, &str); 6] = [
    ("Battles", "#b2182b"),
    ("Explosions/Remote violence", "#f46d43"),
    ("Violence against civilians", "#762a83"),
    ("Protests", "#2166ac"),
    ("Riots", "#1b7837"),
    ("Strategic developments", "#4d4d4d"),
];

/// The colour of a controller code; grey for an unknown code.
pub fn controller_colour(code: &str) -> &'static str {
    CONTROLLER_COLOURS
        .iter()
        .find(|c| c.0 == code)
        .map(|c| c.1)
        .unwrap_or("#bbbbbb")
}

/// Which files `map` writes besides the GeoJSON layers and `report.json`
/// (`--format all|geojson|gpkg`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OutputSet {
    /// `events.csv`, the `.qml` styles, `map.html` and `bordermap.gpkg`.
    #[default]
    All,
    /// Nothing more: the GeoJSON layers only.
    GeoJson,
    /// `bordermap.gpkg` only.
    GeoPackage,
}

impl OutputSet {
    /// The set for a `--format` value (`all`, `geojson`, `gpkg`); `None` for
    /// any other value.
    pub fn from_format(format: &str) -> Option<OutputSet> {
        match format {
            "all" => Some(OutputSet::All),
            "geojson" => Some(OutputSet::GeoJson),
            "gpkg" => Some(OutputSet::GeoPackage),
            _ => None,
        }
    }

    /// Writes this set's files next to the GeoJSON layers already in `dir`.
    pub fn write(self, dir: &Path) -> Result<()> {
        match self {
            OutputSet::All => write_extras(dir),
            OutputSet::GeoJson => Ok(()),
            OutputSet::GeoPackage => write_gpkg(dir),
        }
    }
}

/// Writes every extra output (`events.csv`, the `.qml` styles, `map.html`,
/// `bordermap.gpkg`) next to the GeoJSON layers already in `dir`.
pub fn write_extras(dir: &Path) -> Result<()> {
    write_events_csv(dir)?;
    write_qml(dir)?;
    write_map_html(dir)?;
    write_gpkg(dir)
}

/// The names of the GeoJSON layers, in the order they are written.
pub const LAYERS: [&str; 6] = [
    "events", "mentions", "places", "zones", "overlays", "border",
];

/// The features of `dir/NAME.geojson`.
pub(crate) fn read_layer(dir: &Path, name: &str) -> Result<Vec<Value>> {
    let path = dir.join(format!("{name}.geojson"));
    let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
    let mut doc: Value = serde_json::from_slice(&bytes)
        .map_err(|e| Error::Data(format!("{}: not GeoJSON: {e}", path.display())))?;
    match doc.get_mut("features").map(Value::take) {
        Some(Value::Array(f)) => Ok(f),
        _ => Err(Error::Data(format!(
            "{}: not a FeatureCollection (no `features` array)",
            path.display()
        ))),
    }
}

/// The first line of a layer written by bordermap: one feature per line follows.
const ONE_PER_LINE: &str = r#"{"type":"FeatureCollection","features":["#;

/// Calls `f` on every feature of `dir/NAME.geojson`, in order. A layer
/// written by bordermap (one feature per line) is streamed, so memory stays
/// bounded by one feature whatever the size of the layer; any other
/// FeatureCollection is parsed whole.
pub(crate) fn each_feature(
    dir: &Path,
    name: &str,
    mut f: impl FnMut(Value) -> Result<()>,
) -> Result<()> {
    use std::io::BufRead;
    let path = dir.join(format!("{name}.geojson"));
    let file = std::fs::File::open(&path).map_err(|e| Error::io(&path, e))?;
    let mut lines = std::io::BufReader::new(file).lines();
    let first = lines.next().transpose().map_err(|e| Error::io(&path, e))?;
    if first.as_deref().map(str::trim_end) != Some(ONE_PER_LINE) {
        return read_layer(dir, name)?.into_iter().try_for_each(f);
    }
    for (i, line) in lines.enumerate() {
        let line = line.map_err(|e| Error::io(&path, e))?;
        let t = line.trim_end();
        let t = t.strip_suffix(',').unwrap_or(t);
        if t.is_empty() {
            continue;
        }
        if t == "]}" {
            return Ok(());
        }
        let v = serde_json::from_str(t).map_err(|e| {
            Error::Data(format!(
                "{}:{}: not a GeoJSON feature: {e}",
                path.display(),
                i + 2
            ))
        })?;
        f(v)?;
    }
    Err(Error::Data(format!(
        "{}: the FeatureCollection is cut short (no closing `]}}`)",
        path.display()
    )))
}

/// The properties object of a feature (empty when missing).
pub(crate) fn props(feature: &Value) -> &Map<String, Value> {
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    feature
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or_else(|| EMPTY.get_or_init(Map::new))
}

/// A property as display text: strings as they are, numbers and booleans
/// written out, null or missing as empty.
pub(crate) fn text(p: &Map<String, Value>, key: &str) -> String {
    match p.get(key) {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(dir: &Path) -> Result<Vec<String>> {
        let mut out = Vec::new();
        each_feature(dir, "events", |f| {
            out.push(text(props(&f), "event_id"));
            Ok(())
        })?;
        Ok(out)
    }

    #[test]
    fn features_stream_from_our_layout_and_parse_from_any_other() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("events.geojson");
        let f = |id: &str| {
            format!(r#"{{"type":"Feature","geometry":null,"properties":{{"event_id":"{id}"}}}}"#)
        };
        std::fs::write(
            &p,
            format!("{ONE_PER_LINE}\n{},\n{}\n]}}\n", f("a"), f("b")),
        )
        .unwrap();
        assert_eq!(ids(dir.path()).unwrap(), ["a", "b"]);
        std::fs::write(&p, format!("{ONE_PER_LINE}\n]}}\n")).unwrap();
        assert!(ids(dir.path()).unwrap().is_empty());
        let pretty = format!(
            "{{\n  \"type\": \"FeatureCollection\",\n  \"features\": [\n{},\n{}]}}",
            f("x"),
            f("y")
        );
        std::fs::write(&p, pretty).unwrap();
        assert_eq!(ids(dir.path()).unwrap(), ["x", "y"]);
        std::fs::write(&p, format!("{ONE_PER_LINE}\n{},\n", f("a"))).unwrap();
        let e = ids(dir.path()).unwrap_err().to_string();
        assert!(e.contains("cut short"), "{e}");
    }
}
