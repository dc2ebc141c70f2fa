//! Zones of control with known answers (dates are event dates), the border,
//! and the validity of what `zones at` writes.

use std::sync::OnceLock;

use bordermap::{Gazetteer, ZoneSet};
use chrono::NaiveDate;
use geo::Validation;

fn zones() -> &'static ZoneSet {
    static Z: OnceLock<ZoneSet> = OnceLock::new();
    Z.get_or_init(|| ZoneSet::bundled().expect("bundled zones load"))
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// (what, lat, lon, date, expected controller)
const KNOWN: &[(&str, f64, f64, &str, &str)] = &[
    ("Albu Kamal", 34.4523, 40.9185, "2021-06-01", "SY_GOV_ASSAD"),
    ("Hajin", 34.6951, 40.8314, "2021-06-01", "SDF"),
    (
        "al-Tanf garrison",
        33.50583,
        38.61778,
        "2022-08-15",
        "SY_OPP_TANF",
    ),
    (
        "al-Tanf",
        33.50583,
        38.61778,
        "2026-03-01",
        "SY_GOV_TRANSITIONAL",
    ),
    ("al-Qaim", 34.3925, 40.9894, "2015-06-01", "ISIS"),
    ("al-Qaim", 34.3925, 40.9894, "2018-06-01", "IQ_FED"),
    ("Sinjar town", 36.3209, 41.8766, "2016-06-01", "KRG"),
    ("Sinjar town", 36.3209, 41.8766, "2018-06-01", "IQ_FED"),
    ("Faysh Khabur", 37.07525, 42.37902, "2020-01-01", "KRG"),
    (
        "al-Hol",
        36.3904,
        41.1498,
        "2026-02-15",
        "SY_GOV_TRANSITIONAL",
    ),
    ("Ras al-Ayn", 36.8503, 40.0705, "2020-01-01", "TR_SNA"),
    ("Albu Kamal", 34.4523, 40.9185, "2024-12-07", "SDF"),
    (
        "Deir ez-Zor city",
        35.3359,
        40.1408,
        "2021-06-01",
        "SY_GOV_ASSAD",
    ),
    ("Duhok", 36.8583, 42.9858, "2021-06-01", "KRG"),
    ("Mosul", 36.34, 43.13, "2015-01-01", "ISIS"),
    ("Ramadi", 33.426, 43.299, "2021-06-01", "IQ_FED"),
];

#[test]
fn known_answers() {
    for (what, lat, lon, date, want) in KNOWN {
        let got = zones()
            .control_at(*lon, *lat, d(date))
            .map(|c| c.controller);
        assert_eq!(got.as_deref(), Some(*want), "{what} on {date}");
    }
}

#[test]
fn deir_ez_zor_governorate_is_mixed_in_2021() {
    let g = Gazetteer::bundled().unwrap();
    let gov = g
        .lookup("محافظة دير الزور")
        .into_iter()
        .chain(g.lookup("دير الزور"))
        .find(|&i| g.place(i).kind == bordermap::Kind::Governorate)
        .expect("Deir ez-Zor governorate");
    let shares = zones().shares(g.area(gov).expect("polygon"), d("2021-06-01"));
    let share = |c: &str| shares.iter().find(|s| s.0 == c).map(|s| s.1).unwrap_or(0.0);
    assert!(
        share("SY_GOV_ASSAD") > 0.2 && share("SDF") > 0.2,
        "{shares:?}"
    );
}

#[test]
fn a_mixed_area_event_says_so() {
    let p = bordermap::Pipeline::bundled().unwrap();
    let a = bordermap::Article {
        id: "t".into(),
        date: Some(d("2021-06-01")),
        text: "اشتباكات عنيفة في محافظة دير الزور بين قسد وقوات النظام.".into(),
        ..Default::default()
    };
    let r = p.process(&a);
    let e = r.events.first().expect("an event");
    assert_eq!(e.controller.as_deref(), Some("MIXED"));
    let share = e.controller_share.as_deref().unwrap_or("");
    assert!(
        share.contains("SDF") && share.contains("SY_GOV_ASSAD"),
        "{share}"
    );
}

#[test]
fn zones_of_one_date_are_valid_polygons() {
    for date in ["2015-06-01", "2021-06-01", "2026-03-01"] {
        let mut n = 0;
        for (_, z) in zones().in_force(d(date)) {
            assert!(
                z.geometry.is_valid(),
                "{} is not a valid polygon",
                z.zone_id
            );
            n += 1;
        }
        assert!(n > 5, "{date}: {n} zones");
    }
}

#[test]
fn every_controller_code_is_known() {
    for z in zones().zones() {
        assert!(
            bordermap::controller_name(&z.controller).is_some(),
            "{}",
            z.controller
        );
    }
}

#[test]
fn border_distance() {
    let g = Gazetteer::bundled().unwrap();
    // Albu Kamal lies a few km from the border; Damascus some 250 km.
    let near = bordermap::distance_to_line_km((40.9185, 34.4523), g.border());
    let far = bordermap::distance_to_line_km((36.29, 33.51), g.border());
    assert!(near < 10.0, "{near}");
    assert!(far > 200.0, "{far}");
}

#[test]
fn user_zones_are_checked() {
    let bad = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"zone_id":"a","controller":"NOPE","valid_from":"2020-01-01"},"geometry":{"type":"Polygon","coordinates":[[[40,34],[41,34],[41,35],[40,34]]]}}]}"#;
    let err = ZoneSet::from_sources(
        bad,
        "mine.geojson",
        "place,lat,lon,radius_km,valid_from,valid_to,controller,confidence,source\n",
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("feature 0") && err.to_string().contains("NOPE"),
        "{err}"
    );
    let backwards = bad.replace("NOPE", "SDF").replace(
        "\"valid_from\":\"2020-01-01\"",
        "\"valid_from\":\"2020-01-01\",\"valid_to\":\"2019-01-01\"",
    );
    let err = ZoneSet::from_sources(
        &backwards,
        "mine.geojson",
        "place,lat,lon,radius_km,valid_from,valid_to,controller,confidence,source\n",
    )
    .unwrap_err();
    assert!(err.to_string().contains("valid_to"), "{err}");
}

fn user_file(dir: &std::path::Path, features: &[&str]) -> std::path::PathBuf {
    let path = dir.join("mine.geojson");
    std::fs::write(
        &path,
        format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[{}]}}",
            features.join(",")
        ),
    )
    .unwrap();
    path
}

fn square(id: &str, code: &str, from: &str, x: f64, y: f64) -> String {
    format!(
        r#"{{"type":"Feature","properties":{{"zone_id":"{id}","controller":"{code}","valid_from":"{from}"}},"geometry":{{"type":"Polygon","coordinates":[[[{x},{y}],[{},{y}],[{},{}],[{x},{}],[{x},{y}]]]}}}}"#,
        x + 1.0,
        x + 1.0,
        y + 1.0,
        y + 1.0
    )
}

#[test]
fn user_zones_go_on_top_of_the_bundled_ones() {
    let dir = tempfile::tempdir().unwrap();
    let path = user_file(
        dir.path(),
        &[&square("mine-1", "CONTESTED", "2021-01-01", 40.5, 34.0)],
    );
    let zs = ZoneSet::bundled()
        .unwrap()
        .with_user_file(&path, false)
        .unwrap();
    let c = zs.control_at(40.9185, 34.4523, d("2021-06-01")).unwrap();
    assert_eq!(
        (c.controller.as_str(), c.zone_id.as_str()),
        ("CONTESTED", "mine-1")
    );
    // Outside the user's square the bundled history still answers.
    assert_eq!(
        zs.control_at(40.1408, 35.3359, d("2021-06-01"))
            .unwrap()
            .controller,
        "SY_GOV_ASSAD"
    );
    // Replacing: nothing outside the square.
    let only = ZoneSet::bundled()
        .unwrap()
        .with_user_file(&path, true)
        .unwrap();
    assert!(only.control_at(40.1408, 35.3359, d("2021-06-01")).is_none());
}

#[test]
fn user_zones_that_overlap_or_are_invalid_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let a = square("a", "SDF", "2021-01-01", 40.0, 34.0);
    let b = square("b", "IQ_FED", "2020-01-01", 40.5, 34.5);
    let err = ZoneSet::bundled()
        .unwrap()
        .with_user_file(&user_file(dir.path(), &[&a, &b]), false)
        .unwrap_err()
        .to_string();
    assert!(err.contains("features 0 (a) and 1 (b) overlap"), "{err}");
    let bowtie = r#"{"type":"Feature","properties":{"zone_id":"x","controller":"SDF","valid_from":"2020-01-01"},"geometry":{"type":"Polygon","coordinates":[[[40,34],[41,35],[41,34],[40,35],[40,34]]]}}"#;
    let err = ZoneSet::bundled()
        .unwrap()
        .with_user_file(&user_file(dir.path(), &[bowtie]), false)
        .unwrap_err()
        .to_string();
    assert!(err.contains("feature 0 (x): invalid polygon"), "{err}");
}

/// The banded point test behind every zone lookup agrees with geo's exact
/// `contains` on every bundled zone, at points spread over its box.
#[test]
fn banded_point_test_agrees_with_geo_on_every_zone() {
    use geo::{BoundingRect, Contains};
    let zs = ZoneSet::bundled().unwrap();
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut checked = 0;
    for z in zs.zones() {
        let b = bordermap::Banded::new(&z.geometry);
        let r = z.geometry.bounding_rect().unwrap();
        for _ in 0..150 {
            let (x, y) = (
                r.min().x + r.width() * next(),
                r.min().y + r.height() * next(),
            );
            let want = z.geometry.contains(&geo::Point::new(x, y));
            assert_eq!(b.contains(x, y), want, "{} at ({x}, {y})", z.zone_id);
            checked += 1;
        }
    }
    assert!(checked > 50_000);
}

/// Presence overlays: the al-Tanf garrison had a coalition base in 2022 and
/// none after the mission ended in 2026; overlays never change the
/// controller a point lookup gives.
#[test]
fn overlays_mark_presence_without_changing_control() {
    let zs = zones();
    assert!(zs.overlays().len() >= 10);
    let at = |lat: f64, lon: f64, date: &str| -> Vec<String> {
        let date = d(date);
        zs.overlays()
            .iter()
            .filter(|o| o.in_force(date) && bordermap::Banded::new(&o.geometry).contains(lon, lat))
            .map(|o| o.presence.clone())
            .collect()
    };
    assert!(at(33.50583, 38.61778, "2022-08-15").contains(&"US_COALITION_BASE".to_string()));
    assert!(!at(33.50583, 38.61778, "2026-03-01").contains(&"US_COALITION_BASE".to_string()));
    assert_eq!(
        zs.control_at(38.61778, 33.50583, d("2022-08-15"))
            .unwrap()
            .controller,
        "SY_OPP_TANF"
    );
    for o in zs.overlays() {
        assert!(o.geometry.is_valid(), "{} is not valid", o.zone_id);
        assert!(o.valid_to.is_none_or(|t| t > o.valid_from), "{}", o.zone_id);
    }
}

/// One article through the whole pipeline (built once for these tests).
fn run(text: &str, date: &str) -> bordermap::ArticleResult {
    static P: OnceLock<bordermap::Pipeline> = OnceLock::new();
    let p = P.get_or_init(|| bordermap::Pipeline::bundled().expect("pipeline"));
    p.process(&bordermap::Article {
        id: "t".into(),
        date: Some(d(date)),
        text: text.into(),
        ..Default::default()
    })
}

/// The controller of the first mention whose surface is `surface`.
fn mention_controller(r: &bordermap::ArticleResult, surface: &str) -> Option<String> {
    r.mentions
        .iter()
        .find(|m| m.surface == surface)
        .unwrap_or_else(|| panic!("no mention {surface:?} in {:?}", r.mentions))
        .controller
        .as_deref()
        .map(str::to_string)
}

/// Zone polygons reach about 1 km past Syria's outline: a Turkish town on
/// the border must still get no Syrian controller, and neither may any
/// place or country outside Syria and Iraq.
#[test]
fn places_outside_syria_and_iraq_have_no_controller() {
    let r = run(
        "Shells fired from Akcakale and Ceylanpinar hit Tal Abyad and Ras al-Ain, while Nusaybin, Turkey and Jordan closed their gates.",
        "2016-03-27",
    );
    for s in ["Akcakale", "Ceylanpinar", "Nusaybin", "Turkey", "Jordan"] {
        assert_eq!(mention_controller(&r, s), None, "{s}");
    }
    assert!(mention_controller(&r, "Tal Abyad").is_some());
}

/// The Iraqi Rabia crossing's town fact (1 km) must not decide for the
/// Syrian town al-Yarubiyah 0.9 km away: ISIS held Rabia in August 2014,
/// the YPG held al-Yarubiyah.
#[test]
fn a_control_point_decides_only_on_its_own_side() {
    let r = run(
        "Islamic State fighters attacked Yazidis near al-Yarubiyah and the Rabia border crossing on Sunday.",
        "2014-08-04",
    );
    assert_eq!(
        mention_controller(&r, "al-Yarubiyah").as_deref(),
        Some("SDF")
    );
    assert_eq!(
        mention_controller(&r, "Rabia border crossing").as_deref(),
        Some("ISIS")
    );
    // The bare lookup with the side given agrees.
    let (lat, lon) = (36.8114, 42.0621);
    let c = zones()
        .control_at_on(lon, lat, d("2014-08-10"), Some("SY"))
        .unwrap();
    assert_eq!(c.controller, "SDF");
    let c = zones()
        .control_at_on(42.072, 36.807, d("2014-08-10"), Some("IQ"))
        .unwrap();
    assert_eq!(c.controller, "ISIS");
}

/// Kobani was the YPG's from July 2012, besieged by ISIS from September
/// 2014 to January 2015, and the SDF's after; never the regime's.
#[test]
fn kobani_is_held_by_the_ypg_not_the_regime() {
    let text = "Turkish drones struck a car in Kobani on Sunday, killing two SDF fighters.";
    for (date, want) in [
        ("2013-06-01", "SDF"),
        ("2014-10-15", "CONTESTED"),
        ("2016-03-27", "SDF"),
        ("2022-11-20", "SDF"),
        ("2025-06-01", "SDF"),
    ] {
        let r = run(text, date);
        assert_eq!(
            mention_controller(&r, "Kobani").as_deref(),
            Some(want),
            "{date}"
        );
        let e = r.events.first().expect("an event");
        assert_eq!(e.controller.as_deref(), Some(want), "{date}");
    }
    let r = run(
        "قصفت مسيّرة تركية قرية في ريف عين العرب يوم السبت.",
        "2024-10-26",
    );
    assert_eq!(mention_controller(&r, "عين العرب").as_deref(), Some("SDF"));
}

/// Palmyra: ISIS from May 2015, the government from 27 March 2016, ISIS
/// again from 11 December 2016, the government from 2 March 2017.
#[test]
fn palmyra_changes_hands() {
    let text = "Heavy fighting was reported in Palmyra on Sunday.";
    for (date, want) in [
        ("2015-06-01", "ISIS"),
        ("2016-03-27", "SY_GOV_ASSAD"),
        ("2016-12-20", "ISIS"),
        ("2017-03-02", "SY_GOV_ASSAD"),
        ("2020-01-01", "SY_GOV_ASSAD"),
    ] {
        let r = run(text, date);
        assert_eq!(
            mention_controller(&r, "Palmyra").as_deref(),
            Some(want),
            "{date}"
        );
    }
}

/// Rukban on the berm lies inside al-Tanf's 55 km zone: held by the
/// coalition's partner force from March 2016, never by the government.
#[test]
fn rukban_is_in_the_tanf_zone_from_2016() {
    let r = run("Aid reached Rukban camp on Tuesday.", "2016-06-01");
    assert_eq!(
        mention_controller(&r, "Rukban camp").as_deref(),
        Some("SY_OPP_TANF")
    );
}

/// A mention of Qamishli names the city, most of which the SDF held around
/// the regime's security square: MIXED, the SDF's share the larger. A point
/// inside the square still answers the regime.
#[test]
fn qamishli_city_is_mixed_around_the_security_square() {
    let r = run(
        "Mortar rounds struck the centre of Qamishli on Thursday, killing two civilians.",
        "2019-10-10",
    );
    let e = r.events.first().expect("an event");
    assert_eq!(e.controller.as_deref(), Some("MIXED"));
    let share = e.controller_share.as_deref().unwrap_or("");
    assert!(
        share.starts_with("SDF ") && share.contains("SY_GOV_ASSAD"),
        "{share}"
    );
    assert_eq!(mention_controller(&r, "Qamishli").as_deref(), Some("MIXED"));
    assert_eq!(
        zones()
            .control_at(41.2314, 37.0521, d("2019-10-10"))
            .unwrap()
            .controller,
        "SY_GOV_ASSAD"
    );
}

/// An event dated to a month or a year takes the controller that held the
/// place on most days of that period, not on its first day.
#[test]
fn a_month_or_year_date_takes_the_controller_of_most_of_the_period() {
    let r = run(
        "Syrian government forces withdrew from Albu Kamal in December 2024, and the SDF took over the town before handing it to the new authorities.",
        "2025-10-06",
    );
    let e = r
        .events
        .iter()
        .find(|e| e.date_precision == "month")
        .expect("a month-dated event");
    assert_eq!(e.date.as_deref(), Some("2024-12-01"));
    assert_eq!(e.controller.as_deref(), Some("SY_GOV_TRANSITIONAL"));
    let r = run(
        "Islamic State fighters attacked army positions in Palmyra in 2016, killing four soldiers.",
        "2018-01-10",
    );
    let e = r
        .events
        .iter()
        .find(|e| e.date_precision == "year")
        .expect("a year-dated event");
    assert_eq!(e.controller.as_deref(), Some("SY_GOV_ASSAD"));
}
