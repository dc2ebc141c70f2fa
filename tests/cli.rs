//! Runs the real binary in temporary folders, as a user would.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn bin() -> Command {
    Command::cargo_bin("bordermap").expect("binary built")
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/articles")
}

fn read_json(p: &Path) -> Value {
    let text = std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", p.display()))
}

const MENTION_FIELDS: [&str; 15] = [
    "article",
    "start",
    "end",
    "surface",
    "place_id",
    "name_en",
    "name_ar",
    "kind",
    "country",
    "admin1",
    "admin2",
    "controller",
    "controller_name",
    "confidence",
    "border_km",
];
const EVENT_FIELDS: [&str; 25] = [
    "event_id",
    "article",
    "date",
    "date_precision",
    "event_type",
    "sub_event_type",
    "actors",
    "place_id",
    "name_en",
    "name_ar",
    "kind",
    "surface",
    "geo_precision",
    "country",
    "admin1",
    "admin2",
    "controller",
    "controller_name",
    "controller_share",
    "zone_id",
    "border_km",
    "border_side",
    "nearest_crossing",
    "text",
    "event_type",
];
const ZONE_FIELDS: [&str; 8] = [
    "zone_id",
    "controller",
    "controller_name",
    "controller_ar",
    "valid_from",
    "valid_to",
    "confidence",
    "source",
];

/// Checks a layer is an RFC 7946 FeatureCollection of one geometry family
/// with scalar properties that include `fields`.
fn check_layer(path: &Path, geometry: &[&str], fields: &[&str]) -> Vec<Value> {
    let v = read_json(path);
    assert_eq!(v["type"], "FeatureCollection", "{}", path.display());
    let features = v["features"].as_array().expect("features array").clone();
    for f in &features {
        let gt = f["geometry"]["type"].as_str().unwrap_or("");
        assert!(geometry.contains(&gt), "{}: geometry {gt}", path.display());
        let props = f["properties"].as_object().expect("properties object");
        for k in fields {
            assert!(
                props.contains_key(*k),
                "{}: missing field {k}",
                path.display()
            );
        }
        for (k, val) in props {
            assert!(
                !val.is_array() && !val.is_object(),
                "{}: {k} is not a scalar",
                path.display()
            );
            assert!(
                k.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "field name {k}"
            );
        }
    }
    features
}

fn run_map(out: &Path) {
    bin()
        .arg("map")
        .arg(examples())
        .arg("--out")
        .arg(out)
        .assert()
        .success();
}

#[test]
fn map_writes_every_layer_with_the_spec_fields() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    run_map(&out);
    let mentions = check_layer(&out.join("mentions.geojson"), &["Point"], &MENTION_FIELDS);
    let events = check_layer(&out.join("events.geojson"), &["Point"], &EVENT_FIELDS);
    check_layer(
        &out.join("places.geojson"),
        &["Point"],
        &["place_id", "name_en", "name_ar", "kind"],
    );
    let zones = check_layer(
        &out.join("zones.geojson"),
        &["Polygon", "MultiPolygon"],
        &ZONE_FIELDS,
    );
    let border = check_layer(
        &out.join("border.geojson"),
        &["LineString", "MultiLineString"],
        &[],
    );
    // Presence overlays in force on some event date, with their own fields.
    let overlays = check_layer(
        &out.join("overlays.geojson"),
        &["Polygon", "MultiPolygon"],
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
    );
    assert!(!overlays.is_empty());
    let dates: Vec<&str> = events
        .iter()
        .filter_map(|e| e["properties"]["date"].as_str())
        .collect();
    for o in &overlays {
        let p = &o["properties"];
        let from = p["valid_from"].as_str().unwrap();
        let to = p["valid_to"].as_str().unwrap_or("9999-12-31");
        assert!(
            dates.iter().any(|d| from <= *d && *d < to),
            "{} is in force on no event date",
            p["zone_id"]
        );
        assert!(
            p.get("controller").is_none(),
            "an overlay has no controller"
        );
    }
    assert!(mentions.len() > 50, "mentions: {}", mentions.len());
    assert!(events.len() >= 10, "events: {}", events.len());
    assert!(!zones.is_empty());
    assert_eq!(border.len(), 1);
    let report = read_json(&out.join("report.json"));
    assert_eq!(
        report["errors"].as_array().map(Vec::len),
        Some(0),
        "{report}"
    );
    assert_eq!(
        report["skipped"].as_array().map(Vec::len),
        Some(0),
        "{report}"
    );
    assert_eq!(report["mentions"].as_u64(), Some(mentions.len() as u64));
}

#[test]
fn mention_offsets_point_at_the_surface() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    run_map(&out);
    let mentions = check_layer(&out.join("mentions.geojson"), &["Point"], &MENTION_FIELDS);
    for m in mentions {
        let p = &m["properties"];
        let article = p["article"].as_str().unwrap();
        if article.contains(".jsonl") || !article.ends_with(".txt") {
            continue;
        }
        let raw = std::fs::read_to_string(examples().join(article)).unwrap();
        let a = bordermap::read_input(
            &bordermap::Input {
                path: examples().join(article),
                rel: article.into(),
            },
            None,
        );
        let text: Vec<char> = a.articles[0].text.chars().collect();
        let (s, e) = (
            p["start"].as_u64().unwrap() as usize,
            p["end"].as_u64().unwrap() as usize,
        );
        let surface: String = text[s..e].iter().collect();
        assert_eq!(surface, p["surface"].as_str().unwrap(), "{article}");
        assert!(raw.contains(&surface));
    }
}

#[test]
fn a_second_run_gives_identical_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    run_map(&a);
    run_map(&b);
    for layer in [
        "events.geojson",
        "mentions.geojson",
        "places.geojson",
        "zones.geojson",
        "overlays.geojson",
        "border.geojson",
    ] {
        let (x, y) = (
            std::fs::read(a.join(layer)).unwrap(),
            std::fs::read(b.join(layer)).unwrap(),
        );
        assert!(x == y, "{layer} differs between runs");
    }
}

#[test]
fn existing_output_needs_force() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    run_map(&out);
    let assert = bin()
        .arg("map")
        .arg(examples())
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(stderr.contains("--force"), "{stderr}");
    bin()
        .arg("map")
        .arg(examples())
        .arg("--out")
        .arg(&out)
        .arg("--force")
        .assert()
        .success();
}

#[test]
fn bad_inputs_are_listed_and_the_rest_is_mapped() {
    let tmp = tempfile::tempdir().unwrap();
    let inp = tmp.path().join("in");
    std::fs::create_dir(&inp).unwrap();
    std::fs::write(inp.join("good.txt"), "اشتباكات عنيفة في مدينة البوكمال").unwrap();
    std::fs::write(inp.join("empty.txt"), "").unwrap();
    std::fs::write(inp.join("binary.txt"), [0u8, 159, 146, 150]).unwrap();
    std::fs::write(
        inp.join("feed.jsonl"),
        "{\"id\":\"a\",\"text\":\"قصف على الرطبة\"}\n{oops\n",
    )
    .unwrap();
    std::fs::write(inp.join("image.png"), [137u8, 80, 78, 71]).unwrap();
    let out = tmp.path().join("out");
    bin()
        .arg("map")
        .arg(&inp)
        .arg("--out")
        .arg(&out)
        .arg("--date")
        .arg("2021-06-01")
        .assert()
        .code(1);
    let report = read_json(&out.join("report.json"));
    assert_eq!(report["inputs"], 5);
    assert_eq!(report["articles"], 2);
    let listed: Vec<String> = report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .chain(report["errors"].as_array().unwrap())
        .map(|p| format!("{}:{}", p["path"].as_str().unwrap(), p["line"]))
        .collect();
    for want in [
        "empty.txt:null",
        "binary.txt:null",
        "feed.jsonl:2",
        "image.png:null",
    ] {
        assert!(listed.iter().any(|l| l == want), "{want} not in {listed:?}");
    }
}

#[test]
fn bad_date_is_a_usage_error() {
    bin()
        .args(["map", "x", "--out", "y", "--date", "2021-13-01"])
        .assert()
        .code(2);
}

#[test]
fn geoparse_prints_text_mentions_and_events() {
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/frontier_overview_ar.txt");
    let out = bin()
        .arg("geoparse")
        .arg(&fixture)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["date"], "2021-05-02");
    let text: Vec<char> = v["text"].as_str().unwrap().chars().collect();
    let mentions = v["mentions"].as_array().unwrap();
    assert!(!mentions.is_empty());
    for m in mentions {
        let (s, e) = (
            m["start"].as_u64().unwrap() as usize,
            m["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            text[s..e].iter().collect::<String>(),
            m["surface"].as_str().unwrap()
        );
        assert!(m["lat"].is_number() && m["lon"].is_number());
    }
}

fn geoparse_mentions(args: &[&str], text: &str) -> Vec<Value> {
    let out = bin()
        .arg("geoparse")
        .args(args)
        .arg("-")
        .write_stdin(text)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).unwrap();
    v["mentions"].as_array().unwrap().clone()
}

#[test]
fn region_frontier_drops_places_outside() {
    let text = "Talks in Ankara and Washington followed the clashes in Albu Kamal.";
    let all = geoparse_mentions(&[], text);
    assert!(all.iter().any(|m| m["in_region"] == false), "{all:?}");
    let frontier = geoparse_mentions(&["--region", "frontier"], text);
    assert!(
        !frontier.is_empty() && frontier.iter().all(|m| m["in_region"] == true),
        "{frontier:?}"
    );
}

#[test]
fn gazetteer_extra_adds_a_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("extra.csv");
    let header = bordermap::gazetteer_columns().join(",");
    std::fs::write(&path, format!("{header}\nmine-checkpoint-7,infrastructure,Checkpoint Seven,حاجز السابع,Checkpoint Seven|حاجز السابع,SY,Deir ez-Zor,,,35.2,40.3,,,my notes\n")).unwrap();
    let text = "Gunmen attacked Checkpoint Seven at dawn.";
    assert!(geoparse_mentions(&[], text)
        .iter()
        .all(|m| m["place_id"] != "mine-checkpoint-7"));
    let with = geoparse_mentions(&["--gazetteer-extra", path.to_str().unwrap()], text);
    assert!(
        with.iter().any(|m| m["place_id"] == "mine-checkpoint-7"),
        "{with:?}"
    );
    // A bad row is refused with the file, line and column.
    std::fs::write(
        &path,
        format!("{header}\nbad,village,X,س,X,SY,,,,north,40.2,,,mine\n"),
    )
    .unwrap();
    let err = bin()
        .args(["geoparse", "--gazetteer-extra", path.to_str().unwrap(), "-"])
        .write_stdin(text)
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8_lossy(&err);
    assert!(err.contains("line 2") && err.contains("`lat`"), "{err}");
}
