//! Accuracy over the development sets written by the project
//! (`tests/fixtures/resolve_dev.jsonl`, `tests/fixtures/events_dev.jsonl`).
//! The figures are printed (`cargo test --test dev_sets -- --nocapture`)
//! and the tests fail below the floors the issues set.

use std::sync::OnceLock;

use bordermap::{fold, haversine_km, parse_date, Article, Pipeline, Place};
use serde_json::Value;

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| Pipeline::bundled().expect("bundled data loads"))
}

fn rows(file: &str) -> Vec<Value> {
    let path = format!("{}/tests/fixtures/{file}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{path}: {e}")))
        .collect()
}

/// Char ranges of every occurrence of `needle` in `text`.
fn occurrences(text: &str, needle: &str) -> Vec<(usize, usize)> {
    let n = needle.chars().count();
    text.match_indices(needle)
        .map(|(b, _)| (text[..b].chars().count(), text[..b].chars().count() + n))
        .collect()
}

/// The expected place: same name (any variant) or within 15 km.
fn same_place(p: &Place, want: &Value) -> bool {
    let name = fold(
        want["name_en"]
            .as_str()
            .or(want["place"].as_str())
            .unwrap_or(""),
    );
    let by_name = p.names.iter().any(|n| fold(n) == name) || fold(&p.name_en) == name;
    let by_point = match (want["lat"].as_f64(), want["lon"].as_f64()) {
        (Some(lat), Some(lon)) => haversine_km((p.lon, p.lat), (lon, lat)) < 15.0,
        _ => false,
    };
    by_name || by_point
}

#[derive(Default)]
struct Score {
    tp: usize,
    wrong: usize,
    missed: usize,
    false_pos: usize,
}

#[test]
fn resolution_precision_and_recall() {
    let p = pipeline();
    let g = p.gazetteer();
    let mut s = Score::default();
    let mut failures = Vec::new();
    for row in rows("resolve_dev.jsonl") {
        let text = row["text"].as_str().unwrap();
        let found = p.mentions(text);
        let mut used = vec![0usize; 0];
        for want in row["expect"].as_array().unwrap() {
            let surface = want["surface"].as_str().unwrap();
            let nth = used.iter().filter(|&&u| u == surface.len()).count();
            used.push(surface.len());
            let Some(&(ws, we)) = occurrences(text, surface)
                .get(nth)
                .or(occurrences(text, surface).first())
            else {
                panic!("{}: `{surface}` not in text", row["id"]);
            };
            match found.iter().find(|m| m.start < we && ws < m.end) {
                Some(m) if same_place(g.place(m.place), want) => s.tp += 1,
                Some(m) => {
                    s.wrong += 1;
                    failures.push(format!(
                        "{} wrong: `{surface}` → {} {}",
                        row["id"],
                        g.place(m.place).id,
                        g.place(m.place).name_en
                    ));
                }
                None => {
                    s.missed += 1;
                    failures.push(format!("{} missed: `{surface}`", row["id"]));
                }
            }
        }
        for r in row["reject"].as_array().unwrap() {
            for (rs, re) in occurrences(text, r.as_str().unwrap()) {
                if let Some(m) = found.iter().find(|m| m.start < re && rs < m.end) {
                    s.false_pos += 1;
                    failures.push(format!(
                        "{} false: `{}` → {}",
                        row["id"],
                        m.surface,
                        g.place(m.place).name_en
                    ));
                }
            }
        }
    }
    let precision = s.tp as f64 / (s.tp + s.wrong + s.false_pos).max(1) as f64;
    let recall = s.tp as f64 / (s.tp + s.wrong + s.missed).max(1) as f64;
    println!("resolution dev set: precision {precision:.3} recall {recall:.3} (tp {} wrong {} missed {} false {})", s.tp, s.wrong, s.missed, s.false_pos);
    for f in &failures {
        println!("  {f}");
    }
    assert!(
        precision >= PRECISION_FLOOR && recall >= RECALL_FLOOR,
        "precision {precision:.3} recall {recall:.3}"
    );
}

const PRECISION_FLOOR: f64 = 0.95;
const RECALL_FLOOR: f64 = 0.95;

#[test]
fn event_accuracy_per_field() {
    let p = pipeline();
    let g = p.gazetteer();
    let (mut n, mut ty, mut place, mut date, mut sub, mut actors, mut extra) =
        (0, 0, 0, 0, 0, 0, 0);
    let mut failures = Vec::new();
    for row in rows("events_dev.jsonl") {
        let article = Article {
            id: row["id"].as_str().unwrap().into(),
            date: row["date"].as_str().and_then(parse_date),
            text: row["text"].as_str().unwrap().into(),
            ..Default::default()
        };
        let result = p.process(&article);
        let want = row["expect"].as_array().unwrap();
        extra += result.events.len().saturating_sub(want.len());
        for w in want {
            n += 1;
            // The produced event that best matches this one: same type first, then same place.
            let best = result.events.iter().max_by_key(|e| {
                (e.sub_event_type == w["sub_event_type"].as_str().unwrap_or("")) as u8 * 2
                    + g.get(&e.place_id).is_some_and(|pl| same_place(pl, w)) as u8
            });
            let Some(e) = best else {
                failures.push(format!("{} no event", row["id"]));
                continue;
            };
            let ok_type = e.event_type == w["event_type"].as_str().unwrap_or("");
            let ok_place = g.get(&e.place_id).is_some_and(|pl| same_place(pl, w));
            let ok_date = e.date.as_deref() == w["date"].as_str();
            ty += ok_type as usize;
            sub += (e.sub_event_type == w["sub_event_type"].as_str().unwrap_or("")) as usize;
            place += ok_place as usize;
            date += ok_date as usize;
            let want_actors: Vec<&str> = w["actors"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(Value::as_str)
                .collect();
            actors += (want_actors.is_empty() || want_actors.iter().any(|a| e.actors.contains(a)))
                as usize;
            if !(ok_type && ok_place && ok_date) {
                failures.push(format!(
                    "{}: got {}/{} at {} on {:?}; want {}/{} at {} on {}",
                    row["id"],
                    e.event_type,
                    e.sub_event_type,
                    e.name_en,
                    e.date,
                    w["event_type"],
                    w["sub_event_type"],
                    w["place"],
                    w["date"]
                ));
            }
        }
    }
    let pct = |k: usize| k as f64 / n.max(1) as f64;
    println!(
        "events dev set ({n} events): type {:.3} sub-type {:.3} place {:.3} date {:.3} actors {:.3}; {extra} extra events",
        pct(ty), pct(sub), pct(place), pct(date), pct(actors)
    );
    for f in &failures {
        println!("  {f}");
    }
    assert!(
        pct(ty) >= 0.9 && pct(place) >= 0.9 && pct(date) >= 0.9,
        "below 0.9"
    );
}
