//! `events.csv`: the events as an ACLED-style table.
//!
//! UTF-8 with a byte-order mark: Excel only reads a UTF-8 CSV as UTF-8 (and
//! so shows Arabic) when the file starts with a BOM; every other reader
//! (the `csv` crate, pandas with `encoding="utf-8-sig"`, QGIS, LibreOffice)
//! skips it.

use std::io::Write;
use std::path::Path;

use super::each_feature;
use super::feature::Feature;
use crate::error::{Error, Result};
use crate::write::write_atomic;

/// The columns of `events.csv`, in order: ACLED's names first, then ours.
pub const CSV_COLUMNS: [&str; 21] = [
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
    "date_precision",
    "place_id",
];

/// ACLED's `time_precision` for our `date_precision`: 1 the day is known,
/// 2 only the month (or a range within it), 3 only the year, or the date
/// fell back to the article's publication date.
pub fn time_precision(date_precision: &str) -> &'static str {
    match date_precision {
        "day" => "1",
        "month" => "2",
        _ => "3",
    }
}

/// The English country name ACLED uses, for the ISO codes of the frontier and
/// its neighbours; any other code is written as it is.
fn country_name(code: &str) -> &str {
    match code {
        "SY" => "Syria",
        "IQ" => "Iraq",
        "TR" => "Turkey",
        "JO" => "Jordan",
        "LB" => "Lebanon",
        "IR" => "Iran",
        "SA" => "Saudi Arabia",
        "KW" => "Kuwait",
        "IL" => "Israel",
        "PS" => "Palestine",
        "US" => "United States",
        "GB" => "United Kingdom",
        other => other,
    }
}

/// Writes `dir/events.csv` from `dir/events.geojson`.
pub fn write_events_csv(dir: &Path) -> Result<()> {
    let path = dir.join("events.csv");
    let mut failure = None;
    write_atomic(&path, |w| {
        w.write_all("\u{feff}".as_bytes())?;
        let mut out = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(w);
        out.write_record(CSV_COLUMNS)?;
        let read = each_feature(dir, "events", |f| {
            write_row(&mut out, f).map_err(|e| Error::io(&path, e))
        });
        if let Err(e) = read {
            failure = Some(e);
            return Err(std::io::Error::other("reading events.geojson failed"));
        }
        out.flush()
    })
    .map_err(|e| failure.take().unwrap_or(e))
}

#[cfg(test)]
fn write_rows(w: &mut dyn Write, events: &[Feature]) -> std::io::Result<()> {
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(w);
    out.write_record(CSV_COLUMNS)?;
    for f in events {
        write_row(&mut out, f)?;
    }
    out.flush()
}

fn write_row<W: Write>(out: &mut csv::Writer<W>, f: &Feature) -> std::io::Result<()> {
    let (lon, lat) = f
        .point()
        .map_or((String::new(), String::new()), |(lon, lat)| {
            (lon.to_string(), lat.to_string())
        });
    let actors = f.text("actors");
    let mut actors = actors.split("; ").map(str::trim).filter(|a| !a.is_empty());
    let actor1 = actors.next().unwrap_or_default();
    let actor2 = actors.next().unwrap_or_default();
    let date_precision = f.text("date_precision");
    out.write_record([
        &*f.text("event_id"),
        &f.text("date"),
        time_precision(&date_precision),
        &f.text("event_type"),
        &f.text("sub_event_type"),
        actor1,
        actor2,
        country_name(&f.text("country")),
        &f.text("admin1"),
        &f.text("admin2"),
        &f.text("admin3"),
        &f.text("name_en"),
        &lat,
        &lon,
        &f.text("geo_precision"),
        &f.text("article"),
        &f.text("text"),
        &f.text("controller"),
        &f.text("border_km"),
        &date_precision,
        &f.text("place_id"),
    ])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precision_codes() {
        assert_eq!(time_precision("day"), "1");
        assert_eq!(time_precision("month"), "2");
        assert_eq!(time_precision("year"), "3");
        assert_eq!(time_precision("article"), "3");
    }

    #[test]
    fn rows_quote_commas_and_keep_arabic() {
        let line = serde_json::json!({"type":"Feature",
            "geometry":{"type":"Point","coordinates":[40.9,34.45]},
            "properties":{"event_id":"ev-1","date":"2021-06-01","date_precision":"day",
              "actors":"SDF; ISIS; Asayish","country":"SY","name_en":"Abu Kamal",
              "text":"قصف، على البوكمال, \"x\"","geo_precision":1,"border_km":3.2}})
        .to_string();
        let mut buf = Vec::new();
        write_rows(&mut buf, &[serde_json::from_str(&line).unwrap()]).unwrap();
        let mut r = csv::Reader::from_reader(buf.as_slice());
        let rec = r.records().next().unwrap().unwrap();
        assert_eq!(&rec[0], "ev-1");
        assert_eq!(&rec[5], "SDF");
        assert_eq!(&rec[6], "ISIS");
        assert_eq!(&rec[7], "Syria");
        assert_eq!(&rec[12], "34.45");
        assert_eq!(&rec[16], "قصف، على البوكمال, \"x\"");
        assert_eq!(&rec[10], "");
    }
}
