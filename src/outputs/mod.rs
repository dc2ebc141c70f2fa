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

use crate::error::{Error, Result};

mod events_csv;
mod feature;
mod gpkg;
mod html;
mod qml;

pub use events_csv::write_events_csv;
use feature::{Collection, Feature};
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
/// The GeoPackage, the slowest, is written on one core while the others are
/// written on another.
pub fn write_extras(dir: &Path) -> Result<()> {
    let (rest, gpkg) = rayon::join(
        || {
            write_events_csv(dir)?;
            write_qml(dir)?;
            write_map_html(dir)
        },
        || write_gpkg(dir),
    );
    rest.and(gpkg)
}

/// The names of the GeoJSON layers, in the order they are written.
pub const LAYERS: [&str; 6] = [
    "events", "mentions", "places", "zones", "overlays", "border",
];

/// The first line of a layer written by bordermap: one feature per line follows.
const ONE_PER_LINE: &str = r#"{"type":"FeatureCollection","features":["#;

/// Calls `f` on every feature of `dir/NAME.geojson`, in order. A layer
/// written by bordermap (one feature per line) is streamed, so memory stays
/// bounded by one feature whatever the size of the layer; any other
/// FeatureCollection is read whole.
pub(crate) fn each_feature(
    dir: &Path,
    name: &str,
    mut f: impl FnMut(&Feature<'_>) -> Result<()>,
) -> Result<()> {
    use std::io::BufRead;
    let path = dir.join(format!("{name}.geojson"));
    let file = std::fs::File::open(&path).map_err(|e| Error::io(&path, e))?;
    let mut reader = std::io::BufReader::with_capacity(1 << 16, file);
    let mut line = String::new();
    reader
        .read_line(&mut line)
        .map_err(|e| Error::io(&path, e))?;
    if line.trim_end() != ONE_PER_LINE {
        return each_feature_whole(&path, f);
    }
    let mut n = 1;
    loop {
        line.clear();
        n += 1;
        if reader
            .read_line(&mut line)
            .map_err(|e| Error::io(&path, e))?
            == 0
        {
            break;
        }
        let t = line.trim_end();
        let t = t.strip_suffix(',').unwrap_or(t);
        if t.is_empty() {
            continue;
        }
        if t == "]}" {
            return Ok(());
        }
        let feature: Feature = serde_json::from_str(t).map_err(|e| {
            Error::Data(format!(
                "{}:{n}: not a GeoJSON feature: {e}",
                path.display()
            ))
        })?;
        f(&feature)?;
    }
    Err(Error::Data(format!(
        "{}: the FeatureCollection is cut short (no closing `]}}`)",
        path.display()
    )))
}

/// [`each_feature`] for a FeatureCollection in any other layout.
fn each_feature_whole(path: &Path, mut f: impl FnMut(&Feature<'_>) -> Result<()>) -> Result<()> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let not_geojson =
        |e: serde_json::Error| Error::Data(format!("{}: not GeoJSON: {e}", path.display()));
    let doc: Collection = serde_json::from_str(&text).map_err(not_geojson)?;
    let Some(features) = doc.features else {
        return Err(Error::Data(format!(
            "{}: not a FeatureCollection (no `features` array)",
            path.display()
        )));
    };
    for raw in features {
        f(&serde_json::from_str(raw.get()).map_err(not_geojson)?)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(dir: &Path) -> Result<Vec<String>> {
        let mut out = Vec::new();
        each_feature(dir, "events", |f| {
            out.push(f.text("event_id").into_owned());
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
