//! `map.html`: one self-contained page that works offline (no CDN, no
//! tiles). The zones, the border and the events are embedded as JSON and
//! drawn as inline SVG by a small script: a date slider (events up to that
//! date, zones in force on it), an event-type filter, a legend with the
//! controller colours of `zones.qml`, pan/zoom, and a click on an event shows
//! its sentence, place, date, actors and controller.

use std::path::Path;

use serde_json::{json, Map, Value};

use super::{props, read_layer, CONTROLLER_COLOURS, EVENT_TYPE_COLOURS};
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
pub fn write_map_html(dir: &Path) -> Result<()> {
    let events = read_layer(dir, "events")?;
    let zones = optional(dir, "zones")?;
    let border = optional(dir, "border")?;
    let data = page_data(&events, &zones, &border);
    let page = render(&data)?;
    write_atomic(&dir.join("map.html"), |w| w.write_all(page.as_bytes()))
}

fn optional(dir: &Path, name: &str) -> Result<Vec<Value>> {
    if dir.join(format!("{name}.geojson")).exists() {
        read_layer(dir, name)
    } else {
        Ok(Vec::new())
    }
}

/// The JSON the page script reads.
fn page_data(events: &[Value], zones: &[Value], border: &[Value]) -> Value {
    let events: Vec<Value> = events
        .iter()
        .filter_map(|f| {
            let c = f.pointer("/geometry/coordinates")?.as_array()?;
            let (lon, lat) = (c.first()?.as_f64()?, c.get(1)?.as_f64()?);
            let p = props(f);
            let mut o = Map::new();
            for k in EVENT_FIELDS {
                o.insert(k.into(), p.get(k).cloned().unwrap_or(Value::Null));
            }
            o.insert("lon".into(), lon.into());
            o.insert("lat".into(), lat.into());
            Some(Value::Object(o))
        })
        .collect();
    let zones: Vec<Value> = zones
        .iter()
        .filter_map(|f| {
            let p = props(f);
            let g = f.get("geometry")?;
            let polys = match g.get("type")?.as_str()? {
                "Polygon" => json!([g.get("coordinates")?]),
                "MultiPolygon" => g.get("coordinates")?.clone(),
                _ => return None,
            };
            Some(json!({
                "id": p.get("zone_id"),
                "controller": p.get("controller"),
                "from": p.get("valid_from"),
                "to": p.get("valid_to"),
                "g": polys,
            }))
        })
        .collect();
    let lines: Vec<Value> = border
        .iter()
        .filter_map(|f| {
            let g = f.get("geometry")?;
            match g.get("type")?.as_str()? {
                "LineString" => Some(vec![g.get("coordinates")?.clone()]),
                "MultiLineString" => g.get("coordinates")?.as_array().cloned(),
                _ => None,
            }
        })
        .flatten()
        .collect();
    let controllers: Vec<Value> = CONTROLLER_COLOURS
        .iter()
        .map(|(code, colour)| json!([code, controller_name(code).unwrap_or(code), colour]))
        .collect();
    let types: Vec<Value> = EVENT_TYPE_COLOURS
        .iter()
        .map(|(t, c)| json!([t, c]))
        .collect();
    json!({
        "events": events,
        "zones": zones,
        "border": lines,
        "controllers": controllers,
        "types": types,
    })
}

/// The page with `data` embedded. Every `<` in the JSON is written as
/// `\u003c` (it can only occur inside strings), so no text can close the
/// `<script>` element or open a comment.
fn render(data: &Value) -> Result<String> {
    let json = serde_json::to_string(data)
        .map_err(|e| Error::Data(format!("map.html data: {e}")))?
        .replace('<', "\\u003c");
    let (head, tail) = TEMPLATE
        .split_once(SLOT)
        .ok_or_else(|| Error::Data("map.html template has no data slot".into()))?;
    Ok(format!("{head}{json}{tail}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_end_in_text_is_escaped() {
        let ev = json!({"type":"Feature","geometry":{"type":"Point","coordinates":[40.0,34.0]},
            "properties":{"event_id":"e1","text":"</script><script>alert(1)</script> <!--"}});
        let page = render(&page_data(&[ev], &[], &[])).unwrap();
        assert_eq!(page.matches("</script>").count(), 2, "only the page's own");
        assert!(!page.contains("<!--"));
        let start = page.find(r#"id="data">"#).unwrap() + r#"id="data">"#.len();
        let end = start + page[start..].find("</script>").unwrap();
        let back: Value = serde_json::from_str(&page[start..end]).unwrap();
        assert_eq!(
            back["events"][0]["text"],
            "</script><script>alert(1)</script> <!--"
        );
    }
}
