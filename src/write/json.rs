//! The mention and event features written straight to bytes: a batch run
//! writes several times its input in GeoJSON, and serde's generic path
//! (a visitor per field, a byte-by-byte escape of every string) cost about
//! a tenth of the whole run. The bytes are exactly serde_json's for the
//! same records (`tests::same_bytes_as_serde_json` holds us to that), so
//! the records keep `#[derive(Serialize)]` for every other use.

use std::borrow::Cow;

use crate::geometry::round6;
use crate::pipeline::{EventRecord, MentionRecord};

/// A value written as JSON the way serde_json writes it.
pub(crate) trait Json {
    fn write_json(&self, out: &mut Vec<u8>);
}

impl Json for str {
    fn write_json(&self, out: &mut Vec<u8>) {
        string(out, self);
    }
}

impl Json for String {
    fn write_json(&self, out: &mut Vec<u8>) {
        string(out, self);
    }
}

impl Json for &'static str {
    fn write_json(&self, out: &mut Vec<u8>) {
        string(out, self);
    }
}

impl Json for Cow<'static, str> {
    fn write_json(&self, out: &mut Vec<u8>) {
        string(out, self);
    }
}

impl Json for bool {
    fn write_json(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(if *self { b"true" } else { b"false" });
    }
}

/// Numbers go through serde_json itself: its float formatting is the
/// contract, and numbers are a small part of the bytes.
macro_rules! via_serde {
    ($($t:ty),*) => {$(
        impl Json for $t {
            fn write_json(&self, out: &mut Vec<u8>) {
                // Writing to a Vec cannot fail.
                let _ = serde_json::to_writer(&mut *out, self);
            }
        }
    )*};
}
via_serde!(f64, usize, u8);

impl<T: Json> Json for Option<T> {
    fn write_json(&self, out: &mut Vec<u8>) {
        match self {
            Some(v) => v.write_json(out),
            None => out.extend_from_slice(b"null"),
        }
    }
}

/// Writes `s` as a JSON string, escaped as serde_json escapes it: `"`,
/// `\` and control chars only, the short forms where JSON has them.
pub(crate) fn string(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    // Nearly every string needs no escape; this test has no early exit, so
    // it runs over many bytes at once.
    let clean = bytes
        .iter()
        .fold(true, |ok, &b| ok & (b >= 0x20) & (b != b'"') & (b != b'\\'));
    if clean {
        out.extend_from_slice(bytes);
    } else {
        let mut from = 0;
        for (i, &b) in bytes.iter().enumerate() {
            let short: &[u8] = match b {
                b'"' => b"\\\"",
                b'\\' => b"\\\\",
                b'\n' => b"\\n",
                b'\r' => b"\\r",
                b'\t' => b"\\t",
                0x08 => b"\\b",
                0x0C => b"\\f",
                0..=0x1F => b"",
                _ => continue,
            };
            out.extend_from_slice(&bytes[from..i]);
            if short.is_empty() {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(b >> 4)]);
                out.push(HEX[usize::from(b & 0xF)]);
            } else {
                out.extend_from_slice(short);
            }
            from = i + 1;
        }
        out.extend_from_slice(&bytes[from..]);
    }
    out.push(b'"');
}

/// Writes `{"k1":v1,"k2":v2,…}`; keys are plain ASCII names.
fn object(out: &mut Vec<u8>, fields: &[(&str, &dyn Json)]) {
    out.push(b'{');
    for (i, (key, value)) in fields.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'"');
        out.extend_from_slice(key.as_bytes());
        out.extend_from_slice(b"\":");
        value.write_json(out);
    }
    out.push(b'}');
}

impl Json for MentionRecord {
    fn write_json(&self, out: &mut Vec<u8>) {
        // In the order of the struct's fields, as serde writes them.
        object(
            out,
            &[
                ("article", &self.article),
                ("start", &self.start),
                ("end", &self.end),
                ("surface", &self.surface),
                ("place_id", &self.place_id),
                ("name_en", &self.name_en),
                ("name_ar", &self.name_ar),
                ("kind", &self.kind),
                ("country", &self.country),
                ("admin1", &self.admin1),
                ("admin2", &self.admin2),
                ("controller", &self.controller),
                ("controller_name", &self.controller_name),
                ("confidence", &self.confidence),
                ("border_km", &self.border_km),
                ("border_side", &self.border_side),
                ("nearest_crossing", &self.nearest_crossing),
                ("in_region", &self.in_region),
            ],
        );
    }
}

impl Json for EventRecord {
    fn write_json(&self, out: &mut Vec<u8>) {
        object(
            out,
            &[
                ("event_id", &self.event_id),
                ("article", &self.article),
                ("date", &self.date),
                ("date_precision", &self.date_precision),
                ("event_type", &self.event_type),
                ("sub_event_type", &self.sub_event_type),
                ("actors", &self.actors),
                ("place_id", &self.place_id),
                ("name_en", &self.name_en),
                ("name_ar", &self.name_ar),
                ("kind", &self.kind),
                ("surface", &self.surface),
                ("geo_precision", &self.geo_precision),
                ("country", &self.country),
                ("admin1", &self.admin1),
                ("admin2", &self.admin2),
                ("controller", &self.controller),
                ("controller_name", &self.controller_name),
                ("controller_share", &self.controller_share),
                ("zone_id", &self.zone_id),
                ("border_km", &self.border_km),
                ("border_side", &self.border_side),
                ("nearest_crossing", &self.nearest_crossing),
                ("text", &self.text),
            ],
        );
    }
}

/// A Point feature with `record` as its properties: the same bytes as
/// serde_json writes for `super::point_feature` of the record.
pub(crate) fn point_line(out: &mut Vec<u8>, record: &dyn Json, lon: f64, lat: f64) {
    out.extend_from_slice(br#"{"type":"Feature","geometry":{"type":"Point","coordinates":["#);
    round6(lon).write_json(out);
    out.push(b',');
    round6(lat).write_json(out);
    out.extend_from_slice(br#"]},"properties":"#);
    record.write_json(out);
    out.push(b'}');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_escape_as_serde_json_does() {
        for s in [
            "",
            "plain",
            "البوكمال",
            "say \"hi\"",
            "back\\slash",
            "line\nbreak\ttab\r\u{8}\u{c}",
            "\u{0}\u{1}\u{1f}\u{7f}",
            "mixed «دير الزور» \"q\" \u{2028}",
        ] {
            let mut mine = Vec::new();
            string(&mut mine, s);
            assert_eq!(
                String::from_utf8(mine).unwrap(),
                serde_json::to_string(s).unwrap(),
                "{s:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn any_string_escapes_as_serde_json_does(s in "\\PC{0,30}|[\\x00-\\x7f]{0,30}") {
            let mut mine = Vec::new();
            string(&mut mine, &s);
            proptest::prop_assert_eq!(
                String::from_utf8(mine).unwrap(),
                serde_json::to_string(&s).unwrap()
            );
        }
    }

    /// Every mention and event of the example articles: the same bytes as
    /// serde_json's for the same feature.
    #[test]
    fn same_bytes_as_serde_json() {
        let pipeline = crate::Pipeline::bundled().unwrap();
        let (mut mentions, mut events) = (0, 0);
        for (f, text) in crate::testing::example_articles() {
            let article = crate::Article {
                id: f.display().to_string(),
                text,
                date: chrono::NaiveDate::from_ymd_opt(2024, 3, 5),
                ..Default::default()
            };
            let r = pipeline.process(&article);
            let check = |record: &dyn Json, value: serde_json::Value, lon: f64, lat: f64| {
                let mut mine = Vec::new();
                point_line(&mut mine, record, lon, lat);
                let want = serde_json::to_string(&serde_json::json!({
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [round6(lon), round6(lat)]},
                    "properties": value,
                }))
                .unwrap();
                assert_eq!(String::from_utf8(mine).unwrap(), want);
            };
            for m in &r.mentions {
                check(m, serde_json::to_value(m).unwrap(), m.lon, m.lat);
                mentions += 1;
            }
            for e in &r.events {
                check(e, serde_json::to_value(e).unwrap(), e.lon, e.lat);
                events += 1;
            }
        }
        assert!(
            mentions > 100 && events > 30,
            "{mentions} mentions, {events} events"
        );
    }
}
