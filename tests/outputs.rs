//! The extra outputs of `bordermap map` (events.csv, the QGIS styles,
//! map.html, bordermap.gpkg), checked the way users open them: the CSV with
//! a CSV reader, the styles as XML, the GeoPackage with SQLite and GDAL's
//! `ogrinfo`, the page in headless Chromium.
//!
//! The `ogrinfo` and Chromium tests FAIL when the tool is missing (install
//! `gdal-bin` and `chromium`; `.ci/run` does), unless
//! `BORDERMAP_SKIP_EXTERNAL=1` is set.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use serde_json::Value;

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/articles")
}

/// Maps the bundled examples into a fresh temporary folder.
fn mapped() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    Command::cargo_bin("bordermap")
        .unwrap()
        .arg("map")
        .arg(examples())
        .arg("--out")
        .arg(dir.path())
        .arg("--force")
        .assert()
        .success();
    dir
}

fn features(dir: &Path, layer: &str) -> Vec<Value> {
    let p = dir.join(format!("{layer}.geojson"));
    let v: Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
    v["features"].as_array().unwrap().clone()
}

fn values(features: &[Value], key: &str) -> BTreeSet<String> {
    features
        .iter()
        .filter_map(|f| f["properties"][key].as_str().map(String::from))
        .collect()
}

/// True when the external tool should be used; panics when it is missing
/// and the skip variable is not set.
fn external(candidates: &[&str], package: &str) -> Option<String> {
    if std::env::var("BORDERMAP_SKIP_EXTERNAL").as_deref() == Ok("1") {
        eprintln!("BORDERMAP_SKIP_EXTERNAL=1: not running {}", candidates[0]);
        return None;
    }
    for c in candidates {
        if Process::new(c).arg("--version").output().is_ok() {
            return Some(c.to_string());
        }
    }
    panic!(
        "`{}` is not installed: install it with `apt-get install -y --no-install-recommends {package}` \
         (CI does, in .ci/run), or set BORDERMAP_SKIP_EXTERNAL=1 to skip this test",
        candidates[0]
    );
}

#[test]
fn events_csv_has_acled_columns_and_one_row_per_event() {
    let dir = mapped();
    let events = features(dir.path(), "events");
    let bytes = std::fs::read(dir.path().join("events.csv")).unwrap();
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "UTF-8 BOM for Excel"
    );
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let headers: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    for col in [
        "event_id_cnty",
        "event_date",
        "time_precision",
        "event_type",
        "sub_event_type",
        "actor1",
        "actor2",
        "country",
        "admin1",
        "admin2",
        "admin3",
        "location",
        "latitude",
        "longitude",
        "geo_precision",
        "source",
        "notes",
        "controller",
        "border_km",
    ] {
        assert!(headers.iter().any(|h| h == col), "no column {col}");
    }
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), events.len(), "one row per event");
    for (row, f) in rows.iter().zip(&events) {
        let p = &f["properties"];
        assert_eq!(&row[col("event_id_cnty")], p["event_id"].as_str().unwrap());
        assert_eq!(&row[col("notes")], p["text"].as_str().unwrap());
        assert_eq!(&row[col("event_type")], p["event_type"].as_str().unwrap());
        let lon: f64 = row[col("longitude")].parse().unwrap();
        assert_eq!(lon, f["geometry"]["coordinates"][0].as_f64().unwrap());
        let tp = &row[col("time_precision")];
        let want = match p["date_precision"].as_str().unwrap() {
            "day" => "1",
            "month" => "2",
            _ => "3",
        };
        assert_eq!(tp, want);
        let actors = p["actors"].as_str().unwrap_or("");
        let first = actors.split("; ").next().unwrap_or("");
        assert_eq!(&row[col("actor1")], first);
    }
    // The same file read with the BOM left in: the csv crate strips it.
    let mut r = csv::Reader::from_reader(bytes.as_slice());
    assert_eq!(&r.headers().unwrap()[0], "event_id_cnty");
}

/// A small XML well-formedness check: declarations, comments, balanced
/// tags, quoted attributes.
fn well_formed(xml: &str) -> Result<(), String> {
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let end = rest.find('>').ok_or("unclosed <")?;
        let tag = &rest[1..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') || tag.starts_with('?') {
            continue;
        }
        if tag.matches('"').count() % 2 == 1 {
            return Err(format!("unbalanced quotes in <{tag}>"));
        }
        if let Some(name) = tag.strip_prefix('/') {
            match stack.pop() {
                Some(open) if open == name.trim() => {}
                other => return Err(format!("</{name}> closes {other:?}")),
            }
        } else if !tag.ends_with('/') {
            let name = tag.split_whitespace().next().ok_or("empty tag")?;
            stack.push(name);
        }
    }
    if stack.is_empty() {
        Ok(())
    } else {
        Err(format!("unclosed {stack:?}"))
    }
}

#[test]
fn qml_styles_are_xml_with_a_category_for_every_value() {
    let dir = mapped();
    for name in ["events.qml", "zones.qml", "border.qml"] {
        let qml = std::fs::read_to_string(dir.path().join(name)).unwrap();
        assert!(qml.starts_with("<!DOCTYPE qgis"), "{name}");
        assert!(qml.contains("<qgis version=\"3."), "{name}");
        well_formed(&qml).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    let events = std::fs::read_to_string(dir.path().join("events.qml")).unwrap();
    assert!(events.contains(r#"type="categorizedSymbol" attr="event_type""#));
    for t in values(&features(dir.path(), "events"), "event_type") {
        let t = t.replace('&', "&amp;");
        assert!(
            events.contains(&format!("value=\"{t}\"")),
            "no category {t}"
        );
    }
    let zones = std::fs::read_to_string(dir.path().join("zones.qml")).unwrap();
    assert!(zones.contains(r#"type="categorizedSymbol" attr="controller""#));
    let codes: BTreeSet<String> = bordermap::CONTROLLERS
        .iter()
        .map(|c| c.0.to_string())
        .chain(values(&features(dir.path(), "zones"), "controller"))
        .collect();
    for code in codes {
        assert!(
            zones.contains(&format!("value=\"{code}\"")),
            "no category {code}"
        );
    }
    let border = std::fs::read_to_string(dir.path().join("border.qml")).unwrap();
    assert!(border.contains("\"line_style\"") && border.contains("dash"));
}

#[test]
fn geopackage_tables_match_the_geojson_layers() {
    let dir = mapped();
    let db = rusqlite::Connection::open(dir.path().join("bordermap.gpkg")).unwrap();
    let pragma = |p: &str| -> i64 {
        db.query_row(&format!("PRAGMA {p}"), [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(pragma("application_id"), 1_196_444_487);
    assert_eq!(pragma("user_version"), 10_200);
    let srs: Vec<i64> = db
        .prepare("SELECT srs_id FROM gpkg_spatial_ref_sys ORDER BY srs_id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(srs, [-1, 0, 4326]);
    for (layer, gtype) in [
        ("events", "POINT"),
        ("mentions", "POINT"),
        ("places", "POINT"),
        ("zones", "MULTIPOLYGON"),
        ("overlays", "MULTIPOLYGON"),
        ("border", "MULTILINESTRING"),
    ] {
        let n = features(dir.path(), layer).len() as i64;
        let count: i64 = db
            .query_row(&format!("SELECT count(*) FROM {layer}"), [], |r| r.get(0))
            .unwrap();
        assert_eq!(count, n, "{layer}");
        let indexed: i64 = db
            .query_row(
                &format!("SELECT count(*) FROM rtree_{layer}_geom"),
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(indexed, n, "{layer} R-tree");
        let (t, srs): (String, i64) = db
            .query_row(
                "SELECT geometry_type_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?1",
                [layer],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((t.as_str(), srs), (gtype, 4326), "{layer}");
        let min_x: Option<f64> = db
            .query_row(
                "SELECT min_x FROM gpkg_contents WHERE table_name = ?1 AND data_type = 'features'",
                [layer],
                |r| r.get(0),
            )
            .unwrap();
        assert!(min_x.is_some() || n == 0, "{layer} extent");
        let ext: i64 = db
            .query_row(
                "SELECT count(*) FROM gpkg_extensions WHERE table_name = ?1 AND extension_name = 'gpkg_rtree_index'",
                [layer],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(ext, 1, "{layer} R-tree extension row");
    }
}

/// `ogrinfo -al -so`: the summary of every layer, as (name → (geometry,
/// count, has EPSG:4326)).
fn ogr_summary(ogrinfo: &str, file: &Path) -> Vec<(String, String, usize, bool)> {
    let out = Process::new(ogrinfo)
        .args(["-ro", "-al", "-so"])
        .arg(file)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "ogrinfo {}: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let mut layers = Vec::new();
    for block in stdout.split("Layer name: ").skip(1) {
        let name = block.lines().next().unwrap_or("").trim().to_string();
        let field = |k: &str| {
            block
                .lines()
                .find_map(|l| l.strip_prefix(k))
                .map(|v| v.trim().to_string())
                .unwrap_or_default()
        };
        let count = field("Feature Count:").parse().unwrap_or(usize::MAX);
        let epsg =
            block.contains("ID[\"EPSG\",4326]") || block.contains("AUTHORITY[\"EPSG\",\"4326\"]");
        layers.push((name, field("Geometry:"), count, epsg));
    }
    layers
}

#[test]
fn ogrinfo_reads_the_geopackage_and_every_geojson_layer() {
    let Some(ogrinfo) = external(&["ogrinfo"], "gdal-bin") else {
        return;
    };
    let dir = mapped();
    let gpkg = ogr_summary(&ogrinfo, &dir.path().join("bordermap.gpkg"));
    let want = [
        ("events", "Point"),
        ("mentions", "Point"),
        ("places", "Point"),
        ("zones", "Multi Polygon"),
        ("overlays", "Multi Polygon"),
        ("border", "Multi Line String"),
    ];
    assert_eq!(gpkg.len(), want.len(), "{gpkg:?}");
    for (layer, geometry) in want {
        let n = features(dir.path(), layer).len();
        let got = gpkg
            .iter()
            .find(|l| l.0 == layer)
            .unwrap_or_else(|| panic!("no layer {layer} in {gpkg:?}"));
        assert_eq!(
            (got.1.as_str(), got.2, got.3),
            (geometry, n, true),
            "{layer}"
        );
        let gj = ogr_summary(&ogrinfo, &dir.path().join(format!("{layer}.geojson")));
        assert_eq!(gj.len(), 1, "{layer}.geojson");
        assert_eq!(gj[0].2, n, "{layer}.geojson feature count");
    }
}

#[test]
fn chromium_draws_every_event_zone_and_the_border() {
    let Some(chromium) = external(
        &["chromium", "chromium-browser", "google-chrome"],
        "chromium fonts-noto-core",
    ) else {
        return;
    };
    let dir = mapped();
    let profile = tempfile::tempdir().unwrap();
    let page = dir.path().join("map.html");
    let out = Process::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && !dom.is_empty(),
        "chromium: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let events = features(dir.path(), "events");
    assert_eq!(
        dom.matches("<circle ").count(),
        events.len(),
        "one circle per event"
    );
    for id in values(&events, "event_id") {
        assert!(
            dom.contains(&format!("data-event-id=\"{id}\"")),
            "event {id} not drawn"
        );
    }
    let zones = features(dir.path(), "zones");
    assert_eq!(
        dom.matches("data-zone-id=\"").count(),
        zones.len(),
        "one path per zone"
    );
    for id in values(&zones, "zone_id") {
        assert!(
            dom.contains(&format!("data-zone-id=\"{id}\"")),
            "zone {id} not drawn"
        );
    }
    let border = features(dir.path(), "border");
    assert!(
        dom.contains(&format!("data-border=\"{}\"", border.len()))
            && !dom.contains("id=\"border\" d=\"\""),
        "border not drawn"
    );
    // No request leaves the page: nothing refers to http(s) resources.
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(!html.contains("src=\"http") && !html.contains("href=\"http"));
}

#[test]
fn format_geojson_writes_only_the_layers_and_gpkg_adds_the_geopackage() {
    let extras = [
        "events.csv",
        "events.qml",
        "zones.qml",
        "border.qml",
        "map.html",
        "bordermap.gpkg",
    ];
    for (format, want) in [("geojson", &[][..]), ("gpkg", &["bordermap.gpkg"][..])] {
        let dir = tempfile::tempdir().unwrap();
        Command::cargo_bin("bordermap")
            .unwrap()
            .arg("map")
            .arg(examples())
            .args(["--format", format, "--force", "--out"])
            .arg(dir.path())
            .assert()
            .success();
        assert!(dir.path().join("events.geojson").exists());
        for f in extras {
            assert_eq!(
                dir.path().join(f).exists(),
                want.contains(&f),
                "--format {format}: {f}"
            );
        }
    }
}
