//! `bordermap query` over a hand-made layer of 20 events with known answers
//! (tests/fixtures/query_events.geojson), running the real binary.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/query_events.geojson")
}

fn query(args: &[&str]) -> assert_cmd::assert::Assert {
    let mut cmd = Command::cargo_bin("bordermap").expect("binary built");
    cmd.arg("query").arg(fixture()).args(args);
    cmd.assert()
}

/// The short ids (`q01`…) of the events a query selects, in output order.
fn ids(args: &[&str]) -> Vec<String> {
    let out = query(args).success().get_output().stdout.clone();
    let v: Value = serde_json::from_slice(&out).expect("GeoJSON on stdout");
    assert_eq!(v["type"], "FeatureCollection");
    v["features"]
        .as_array()
        .expect("features")
        .iter()
        .map(|f| {
            f["properties"]["event_id"]
                .as_str()
                .expect("event_id")
                .trim_start_matches("ev-")
                .to_string()
        })
        .collect()
}

fn expect(args: &[&str], want: &str) {
    let want: Vec<String> = want.split_whitespace().map(str::to_string).collect();
    assert_eq!(ids(args), want, "query {args:?}");
}

/// A usage error: exit 2, one message on stderr containing `says`.
fn fails(args: &[&str], says: &str) {
    let out = query(args).code(2).get_output().clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(says),
        "query {args:?}: stderr {err:?} lacks {says:?}"
    );
    assert!(out.stdout.is_empty(), "query {args:?} wrote to stdout");
}

#[test]
fn no_filter_gives_the_layer_back_byte_for_byte() {
    let out = query(&[]).success().get_output().stdout.clone();
    let original = std::fs::read(fixture()).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        String::from_utf8(original).unwrap()
    );
}

#[test]
fn source_may_be_an_output_folder() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(fixture(), tmp.path().join("events.geojson")).unwrap();
    let mut cmd = Command::cargo_bin("bordermap").unwrap();
    let out = cmd
        .args(["query"])
        .arg(tmp.path())
        .args(["--controller", "KRG", "--format", "jsonl"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8(out).unwrap().contains("ev-q19"));
}

#[test]
fn within_a_governorate_by_arabic_or_english_name_or_id() {
    let want = "q01 q02 q06 q07 q08 q09 q10 q18";
    expect(&["--within", "Deir ez-Zor"], want);
    expect(&["--within", "دير الزور"], want);
    expect(&["--within", "sy-adm1-sy09"], want);
    expect(&["--within", "الحسكة"], "q11 q12");
    expect(&["--within", "Anbar"], "q03 q04 q05 q15 q17");
    expect(&["--within", "Iraq"], "q03 q04 q05 q13 q14 q15 q17 q19");
}

#[test]
fn within_a_name_at_several_levels_says_which_it_took() {
    let out = query(&["--within", "Deir ez-Zor"])
        .success()
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("using the governorate sy-adm1-sy09"), "{err}");
}

fn stderr_of(mut cmd: Command) -> String {
    let out = cmd.assert().code(2).get_output().clone();
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn within_a_zone_id() {
    expect(&["--within", "Z00a-IQ_FED-01"], "q14");
}

#[test]
fn within_a_users_polygon_file() {
    let tmp = tempfile::tempdir().unwrap();
    let poly = tmp.path().join("box.geojson");
    // Two features: a box around Abu Kamal / al-Qaim and one around Mosul.
    std::fs::write(
        &poly,
        r#"{"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[40.9,34.35],[41.1,34.35],[41.1,34.5],[40.9,34.5],[40.9,34.35]]]}},
        {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[43,36.2],[43.3,36.2],[43.3,36.5],[43,36.5],[43,36.2]]]}}]}"#,
    )
    .unwrap();
    expect(
        &["--within-file", poly.to_str().unwrap()],
        "q01 q02 q03 q04 q05 q14 q18",
    );
    let bad = tmp.path().join("bad.geojson");
    std::fs::write(&bad, "{not json").unwrap();
    fails(
        &["--within-file", bad.to_str().unwrap()],
        "not valid GeoJSON",
    );
    let points = tmp.path().join("points.geojson");
    std::fs::write(
        &points,
        r#"{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[40,34]}}"#,
    )
    .unwrap();
    fails(&["--within-file", points.to_str().unwrap()], "no Polygon");
}

#[test]
fn bbox() {
    expect(&["--bbox", "40,34,41.5,35"], "q01 q02 q03 q04 q05 q06 q18");
    fails(&["--bbox", "41.5,34,40,35"], "west is not less than east");
    fails(&["--bbox", "40,35,41.5,34"], "south is not less than north");
    fails(&["--bbox", "40,34,41.5"], "not 4 numbers");
    fails(&["--bbox", "200,34,210,35"], "out of range");
}

#[test]
fn near_a_town_a_crossing_an_id_or_a_point() {
    let want = "q01 q02 q03 q04 q05 q18";
    expect(&["--near", "Albu Kamal", "--radius-km", "20"], want);
    expect(&["--near", "البوكمال", "--radius-km", "20"], want);
    expect(
        &["--near", "34.454894,40.917055", "--radius-km", "20"],
        want,
    );
    expect(&["--near", "sy-c5167", "--radius-km", "2"], "q01");
    expect(&["--near", "sy-c5167", "--radius-km", "3"], "q01 q18");
    expect(
        &["--near", "Albu Kamal crossing", "--radius-km", "5"],
        "q02 q03 q04",
    );
    expect(&["--near", "معبر البوكمال", "--radius-km", "3"], "q03 q04");
    fails(
        &["--near", "Albu Kamal", "--radius-km", "0"],
        "greater than 0",
    );
    fails(
        &["--near", "Albu Kamal", "--radius-km", "-3"],
        "greater than 0",
    );
}

#[test]
fn border_band_and_side() {
    expect(&["--border-km", "10"], "q01 q02 q03 q04 q05 q13 q18");
    expect(&["--border-km", "10", "--side", "IQ"], "q03 q04 q05 q13");
    expect(&["--border-km", "10", "--side", "sy"], "q01 q02 q18");
}

#[test]
fn controller_on_the_event_date() {
    expect(&["--controller", "SDF"], "q06 q08 q11 q12 q20");
    expect(&["--controller", "sy_gov_transitional"], "q18");
    fails(&["--controller", "PMF"], "use one of SY_GOV_ASSAD");
}

#[test]
fn dates_types_actors_precision_article() {
    expect(
        &["--from", "2021-01-01", "--to", "2021-12-31"],
        "q01 q02 q03 q06 q07 q11 q13 q14 q19",
    );
    expect(&["--from", "2024-01-01"], "q17 q18");
    expect(&["--type", "BATTLES"], "q04 q06 q14 q16 q19");
    expect(&["--sub-type", "air/drone strike"], "q05 q15");
    expect(&["--actor", "isis"], "q01 q04 q06 q07 q09 q12 q14 q19");
    expect(&["--actor", "coalition"], "q05 q15");
    expect(
        &["--min-precision", "2"],
        "q01 q02 q03 q04 q05 q06 q07 q08 q09 q11 q12 q13 q14 q15 q16 q18 q19 q20",
    );
    expect(&["--article", "en/q04.txt"], "q04");
    expect(&["--article", "en/q1"], "q10 q12 q14 q16 q18");
    fails(
        &["--from", "2022-01-01", "--to", "2021-01-01"],
        "is after --to",
    );
}

#[test]
fn filters_combine() {
    // Every arrest within 20 km of the Albu Kamal crossing in 2021.
    expect(
        &[
            "--near",
            "Albu Kamal crossing",
            "--radius-km",
            "20",
            "--sub-type",
            "Arrests",
            "--from",
            "2021-01-01",
            "--to",
            "2021-12-31",
        ],
        "q01 q02 q03",
    );
    // Deir ez-Zor, SDF-held, in 2022.
    expect(
        &[
            "--within",
            "دير الزور",
            "--controller",
            "SDF",
            "--from",
            "2022-01-01",
        ],
        "q08",
    );
    // Within 10 km of the border on the Iraqi side, Battles only.
    expect(
        &["--border-km", "10", "--side", "IQ", "--type", "Battles"],
        "q04",
    );
    // Disjoint areas: nothing.
    expect(&["--within", "Anbar", "--bbox", "40,36,41.5,37"], "");
}

#[test]
fn count_by_prints_a_sorted_table() {
    let out = query(&["--within", "Deir ez-Zor", "--count-by", "controller"])
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "controller\tcount\nSY_GOV_ASSAD\t4\nSDF\t2\nMIXED\t1\nSY_GOV_TRANSITIONAL\t1\n"
    );
    let out = query(&["--count-by", "admin1", "--border-km", "10"])
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "admin1\tcount\nAl-Anbar\t3\nDeir ez-Zor\t3\nNinewa\t1\n"
    );
    let out = query(&["--count-by", "month", "--article", "ar/q1"])
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "month\tcount\n2020-02\t1\n2021-02\t1\n2021-06\t1\n2021-10\t1\n2024-12\t1\n"
    );
}

#[test]
fn csv_and_jsonl_formats() {
    let out = query(&["--controller", "KRG", "--format", "csv"])
        .success()
        .get_output()
        .stdout
        .clone();
    let mut rdr = csv::Reader::from_reader(out.as_slice());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(header.first().map(String::as_str), Some("event_id"));
    assert_eq!(&header[header.len() - 2..], ["lat", "lon"]);
    assert!(header.contains(&"border_km".to_string()));
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][0], "ev-q19");
    assert_eq!(&rows[0][header.len() - 2], "36.35");
    assert_eq!(&rows[0][header.len() - 1], "41.87");

    let out = query(&["--type", "battles", "--format", "jsonl"])
        .success()
        .get_output()
        .stdout
        .clone();
    let lines: Vec<Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    assert!(lines.iter().all(|f| f["type"] == "Feature"));
}

#[test]
fn out_writes_a_file_and_nothing_on_stdout() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("sdf.geojson");
    query(&["--controller", "SDF", "--out", file.to_str().unwrap()])
        .success()
        .stdout("");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(v["features"].as_array().unwrap().len(), 5);
}

#[test]
fn names_that_are_unknown_ambiguous_or_of_the_wrong_kind() {
    fails(&["--within", "Nowhereville"], "no area or zone is called");
    fails(
        &["--near", "Nowhereville", "--radius-km", "5"],
        "no place is called",
    );
    // Two districts (Iraq) share the name.
    fails(&["--within", "Samarra"], "iq-adm2-iqg16q05");
    // Two towns 50+ km apart.
    fails(&["--near", "Qabasin", "--radius-km", "5"], "ambiguous");
    fails(&["--near", "Anbar", "--radius-km", "5"], "use --within");
    fails(&["--within", "Hajin"], "no polygon");
}

#[test]
fn missing_or_bad_source() {
    let tmp = tempfile::tempdir().unwrap();
    let run = |source: &Path| {
        let mut cmd = Command::cargo_bin("bordermap").unwrap();
        cmd.arg("query").arg(source);
        stderr_of(cmd)
    };
    assert!(run(&tmp.path().join("nope")).contains("does not exist"));
    assert!(run(tmp.path()).contains("has no events.geojson"));
    let bad = tmp.path().join("bad.geojson");
    std::fs::write(&bad, "[1,2]").unwrap();
    assert!(run(&bad).contains("not a GeoJSON FeatureCollection"));
    let mut cmd = Command::cargo_bin("bordermap").unwrap();
    cmd.arg("query");
    assert!(stderr_of(cmd).contains("SOURCE"));
}
