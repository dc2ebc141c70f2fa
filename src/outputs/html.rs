//! `map.html`: one self-contained page that works offline (no CDN, no
//! tiles). The zones, the border and the events are embedded as JSON and
//! drawn as inline SVG by a small script: a date slider (events up to that
//! date, zones in force on it), an event-type filter, a legend with the
//! controller colours of `zones.qml`, pan/zoom, and a click on an event shows
//! its sentence, place, date, actors and controller.

use std::io::Write;
use std::path::Path;

use serde_json::{json, Value};

use super::feature::Feature;
use super::{each_feature, CONTROLLER_COLOURS, EVENT_TYPE_COLOURS};
use crate::error::{Error, Result};
use crate::write::write_atomic;
use crate::zones::controller_name;

const TEMPLATE: &str = include_str!("map.html");
const SLOT: &str = "/*DATA*/";

/// The event fields the page shows.
const EVENT_FIELDS: [&str; 14] = [
    "event_id",
    "article",
    "date",
    "date_precision",
    "event_type",
    "sub_event_type",
    "actors",
    "name_en",
    "name_ar",
    "controller",
    "controller_name",
    "border_km",
    "text",
    "place_id",
];

/// Writes `dir/map.html` from `events.geojson`, `zones.geojson` and
/// `border.geojson` in `dir` (a missing zones or border layer draws nothing).
/// Events stream from their layer into the page, one at a time, so memory
/// does not grow with the number of events.
pub fn write_map_html(dir: &Path) -> Result<()> {
    let zones = zone_data(dir)?;
    let border = border_data(dir)?;
    let (head, tail) = TEMPLATE
        .split_once(SLOT)
        .ok_or_else(|| Error::Data("map.html template has no data slot".into()))?;
    let mut failure = None;
    write_atomic(&dir.join("map.html"), |w| {
        w.write_all(head.as_bytes())?;
        let mut out = EscapeLt(w);
        out.write_all(br#"{"events":["#)?;
        let mut first = true;
        let read = each_feature(dir, "events", |f| {
            write_event(&mut out, f, &mut first).map_err(|e| Error::io(&dir.join("map.html"), e))
        });
        if let Err(e) = read {
            failure = Some(e);
            return Err(std::io::Error::other("reading events.geojson failed"));
        }
        out.write_all(b"],")?;
        write_rest(&mut out, zones, border)?;
        w.write_all(tail.as_bytes())
    })
    .map_err(|e| failure.take().unwrap_or(e))
}

/// Rewrites every `<` as `\u003c`. In JSON a `<` can only occur inside a
/// string, where the escape means the same, so no text can close the
/// `<script>` element or open a comment.
struct EscapeLt<'w>(&'w mut dyn Write);

impl Write for EscapeLt<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    fn write_all(&mut self, mut buf: &[u8]) -> std::io::Result<()> {
        while let Some(i) = buf.iter().position(|&b| b == b'<') {
            self.0.write_all(&buf[..i])?;
            self.0.write_all(br"\u003c")?;
            buf = &buf[i + 1..];
        }
        self.0.write_all(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// One event of the page: its fields as written in the layer, then its
/// position. Events without a point are left out (they cannot be drawn).
fn write_event(w: &mut impl Write, f: &Feature, first: &mut bool) -> std::io::Result<()> {
    let Some((lon, lat)) = f.point() else {
        return Ok(());
    };
    w.write_all(if *first { b"{" } else { b",{" })?;
    *first = false;
    for k in EVENT_FIELDS {
        let v = f.raw(k).map_or("null", |r| r.get().trim());
        write!(w, "\"{k}\":{v},")?;
    }
    let num = |x: f64| serde_json::to_string(&x).unwrap_or_else(|_| "null".into());
    write!(w, "\"lon\":{},\"lat\":{}}}", num(lon), num(lat))
}

/// The zones as the page script reads them.
fn zone_data(dir: &Path) -> Result<Vec<Value>> {
    let mut zones = Vec::new();
    optional(dir, "zones", |f| {
        let Some(g) = f.geometry_value() else {
            return;
        };
        let polys = match g.get("type").and_then(Value::as_str) {
            Some("Polygon") => json!([g.get("coordinates")]),
            Some("MultiPolygon") => g.get("coordinates").cloned().unwrap_or(Value::Null),
            _ => return,
        };
        let p = |k| {
            f.raw(k)
                .and_then(|r| serde_json::from_str::<Value>(r.get()).ok())
        };
        zones.push(json!({
            "id": p("zone_id"),
            "controller": p("controller"),
            "from": p("valid_from"),
            "to": p("valid_to"),
            "g": polys,
        }));
    })?;
    Ok(zones)
}

/// The border's lines.
fn border_data(dir: &Path) -> Result<Vec<Value>> {
    let mut lines = Vec::new();
    optional(dir, "border", |f| {
        let Some(mut g) = f.geometry_value() else {
            return;
        };
        let coords = g.get_mut("coordinates").map(Value::take);
        match (g.get("type").and_then(Value::as_str), coords) {
            (Some("LineString"), Some(c)) => lines.push(c),
            (Some("MultiLineString"), Some(Value::Array(parts))) => lines.extend(parts),
            _ => {}
        }
    })?;
    Ok(lines)
}

fn optional(dir: &Path, name: &str, mut f: impl FnMut(&Feature)) -> Result<()> {
    if dir.join(format!("{name}.geojson")).exists() {
        each_feature(dir, name, |feature| {
            f(feature);
            Ok(())
        })?;
    }
    Ok(())
}

/// Everything after the events: zones, border, the legend's controllers and
/// the event types, then the closing brace.
fn write_rest(w: &mut impl Write, zones: Vec<Value>, border: Vec<Value>) -> std::io::Result<()> {
    let controllers: Vec<Value> = CONTROLLER_COLOURS
        .iter()
        .map(|(code, colour)| json!([code, controller_name(code).unwrap_or(code), colour]))
        .collect();
    let types: Vec<Value> = EVENT_TYPE_COLOURS
        .iter()
        .map(|(t, c)| json!([t, c]))
        .collect();
    let rest = json!({
        "zones": zones,
        "border": border,
        "controllers": controllers,
        "types": types,
    });
    // `{"zones":…}` without its opening brace continues the object.
    let text = serde_json::to_string(&rest).map_err(std::io::Error::other)?;
    w.write_all(&text.as_bytes()[1..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_end_in_text_is_escaped() {
        let dir = tempfile::tempdir().unwrap();
        let ev = json!({"type":"Feature","geometry":{"type":"Point","coordinates":[40.0,34.0]},
            "properties":{"event_id":"e1","text":"</script><script>alert(1)</script> <!--"}});
        std::fs::write(
            dir.path().join("events.geojson"),
            format!("{{\"type\":\"FeatureCollection\",\"features\":[{ev}]}}"),
        )
        .unwrap();
        write_map_html(dir.path()).unwrap();
        let page = std::fs::read_to_string(dir.path().join("map.html")).unwrap();
        assert_eq!(page.matches("</script>").count(), 2, "only the page's own");
        assert!(!page.contains("<!--"));
        let start = page.find(r#"id="data">"#).unwrap() + r#"id="data">"#.len();
        let end = start + page[start..].find("</script>").unwrap();
        let back: Value = serde_json::from_str(&page[start..end]).unwrap();
        assert_eq!(
            back["events"][0]["text"],
            "</script><script>alert(1)</script> <!--"
        );
        assert_eq!(back["events"][0]["lon"], 40.0);
        assert_eq!(back["events"][0]["actors"], Value::Null);
        assert!(back["zones"].as_array().unwrap().is_empty());
        assert_eq!(
            back["types"].as_array().unwrap().len(),
            EVENT_TYPE_COLOURS.len()
        );
    }
}
