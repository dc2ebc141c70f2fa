//! `bordermap.gpkg`: every GeoJSON layer as a GeoPackage 1.2 feature table.
//!
//! Written by hand with SQLite (the `geopackage` crate writes 1.4 triggers
//! GDAL 3.6 rejects): `application_id` "GPKG", `user_version` 10200, the three
//! required `gpkg_spatial_ref_sys` rows (−1, 0, 4326), one `gpkg_contents` and
//! `gpkg_geometry_columns` row per layer, an autoincrement `fid`, geometries as
//! GeoPackage blobs (`GP`, version 0, little-endian, no envelope, srs 4326,
//! then WKB), and the R-tree spatial index extension, filled here and with
//! its triggers created last (they call `ST_*` functions that GDAL and QGIS
//! provide when they edit the file).
//!
//! Points stay POINT; polygons are written as MULTIPOLYGON and lines as
//! MULTILINESTRING so that each table has one geometry type. Columns follow
//! the properties in the order they first appear; a column whose values are
//! all integers is INTEGER, all numbers REAL, all booleans BOOLEAN, all
//! `YYYY-MM-DD` strings DATE, anything else TEXT.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rusqlite::types::Value as Sql;
use rusqlite::{params_from_iter, Connection};
use serde_json::Value;

use super::feature::{Feature, Prop};
use super::{each_feature, LAYERS};
use crate::error::{Error, Result};

/// `GPKG` as a big-endian 32-bit integer.
const APPLICATION_ID: i64 = 1_196_444_487;
/// GeoPackage 1.2.
const USER_VERSION: i64 = 10_200;

const WGS84_WKT: &str = "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,AUTHORITY[\"EPSG\",\"7030\"]],AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],AXIS[\"Latitude\",NORTH],AXIS[\"Longitude\",EAST],AUTHORITY[\"EPSG\",\"4326\"]]";

/// Writes `dir/bordermap.gpkg` from the GeoJSON layers in `dir` (a missing
/// layer is skipped), through a temporary file renamed into place.
pub fn write_gpkg(dir: &Path) -> Result<()> {
    let path = dir.join("bordermap.gpkg");
    let tmp = crate::write::tmp_name(&path);
    let result = build(dir, &tmp).and_then(|()| {
        let f = std::fs::File::open(&tmp).map_err(|e| Error::io(&tmp, e))?;
        f.sync_all().map_err(|e| Error::io(&tmp, e))?;
        std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))
    });
    if result.is_err() {
        crate::write::remove_temp(&tmp);
    } else {
        crate::write::forget_temp(&tmp);
    }
    result
}

fn sql_err(path: &Path) -> impl Fn(rusqlite::Error) -> Error + '_ {
    move |e| Error::io(path, std::io::Error::other(e))
}

fn build(dir: &Path, tmp: &PathBuf) -> Result<()> {
    let _ = std::fs::remove_file(tmp);
    let err = sql_err(tmp);
    let mut db = Connection::open(tmp).map_err(&err)?;
    db.execute_batch(&format!(
        "PRAGMA application_id = {APPLICATION_ID};
         PRAGMA user_version = {USER_VERSION};
         PRAGMA journal_mode = MEMORY;"
    ))
    .map_err(&err)?;
    // The layers' columns are found on every core at once (reading each
    // layer through): on one thread they were a quarter of the writing.
    let schemas = LAYERS
        .par_iter()
        .map(|name| {
            let present = dir.join(format!("{name}.geojson")).exists();
            present.then(|| schema(dir, name)).transpose()
        })
        .collect::<Result<Vec<_>>>()?;
    let tx = db.transaction().map_err(&err)?;
    create_core(&tx).map_err(&err)?;
    for (name, schema) in LAYERS.iter().zip(schemas) {
        if let Some(schema) = schema {
            write_table(&tx, dir, name, &schema, &err)?;
        }
    }
    tx.commit().map_err(&err)?;
    db.close().map_err(|(_, e)| err(e))?;
    Ok(())
}

fn create_core(db: &Connection) -> rusqlite::Result<()> {
    db.execute_batch(
        "CREATE TABLE gpkg_spatial_ref_sys (
           srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY,
           organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL,
           definition TEXT NOT NULL, description TEXT);
         CREATE TABLE gpkg_contents (
           table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
           identifier TEXT UNIQUE, description TEXT DEFAULT '',
           last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
           min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
           CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
         CREATE TABLE gpkg_geometry_columns (
           table_name TEXT NOT NULL, column_name TEXT NOT NULL,
           geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL,
           z TINYINT NOT NULL, m TINYINT NOT NULL,
           CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
           CONSTRAINT uk_gc_table_name UNIQUE (table_name),
           CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
           CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
         CREATE TABLE gpkg_extensions (
           table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL,
           definition TEXT NOT NULL, scope TEXT NOT NULL,
           CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
         INSERT INTO gpkg_spatial_ref_sys VALUES
           ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
           ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');",
    )?;
    db.execute(
        "INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 geodetic', 4326, 'EPSG', 4326, ?1, 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid')",
        [WGS84_WKT],
    )?;
    Ok(())
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Col {
    Unknown,
    Integer,
    Real,
    Boolean,
    Date,
    Text,
}

impl Col {
    fn sql(self) -> &'static str {
        match self {
            Col::Integer => "INTEGER",
            Col::Real => "REAL",
            Col::Boolean => "BOOLEAN",
            Col::Date => "DATE",
            Col::Text | Col::Unknown => "TEXT",
        }
    }

    fn widen(self, v: &Prop) -> Col {
        let this = match v {
            Prop::Null => return self,
            Prop::Bool(_) => Col::Boolean,
            Prop::Int(_) => Col::Integer,
            Prop::Real(_) => Col::Real,
            Prop::Str(s) if is_date(s) => Col::Date,
            _ => Col::Text,
        };
        match (self, this) {
            (Col::Unknown, t) => t,
            (a, b) if a == b => a,
            (Col::Integer, Col::Real) | (Col::Real, Col::Integer) => Col::Real,
            _ => Col::Text,
        }
    }
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// A column name SQLite and GDAL accept: the property name, renamed if it
/// collides with `fid` or `geom`.
fn column_name(key: &str) -> String {
    let k = key.to_ascii_lowercase();
    if k == "fid" || k == "geom" {
        format!("{key}_")
    } else {
        key.to_string()
    }
}

fn quote(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

/// The geometry type a table declares, widened by one more feature's type.
fn widen_geometry(t: Option<&'static str>, f: &Feature) -> Option<&'static str> {
    let g = match f.geometry().as_ref().map(|g| &*g.kind) {
        Some("Point") => "POINT",
        Some("MultiPoint") => "MULTIPOINT",
        Some("LineString" | "MultiLineString") => "MULTILINESTRING",
        Some("Polygon" | "MultiPolygon") => "MULTIPOLYGON",
        _ => return t,
    };
    Some(match t {
        None => g,
        Some(prev) if prev == g => g,
        Some("POINT" | "MULTIPOINT") if matches!(g, "POINT" | "MULTIPOINT") => "MULTIPOINT",
        Some(_) => "GEOMETRY",
    })
}

fn create_table(
    db: &Connection,
    name: &str,
    gtype: &str,
    cols: &[(String, String, Col)],
) -> rusqlite::Result<()> {
    let mut ddl = format!(
        "CREATE TABLE {} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom {gtype}",
        quote(name)
    );
    for (_, col, t) in cols {
        ddl.push_str(&format!(", {} {}", quote(col), t.sql()));
    }
    ddl.push(')');
    db.execute_batch(&ddl)?;

    let rtree = format!("rtree_{name}_geom");
    db.execute_batch(&format!(
        "CREATE VIRTUAL TABLE {} USING rtree(id, minx, maxx, miny, maxy)",
        quote(&rtree)
    ))
}

/// A layer's columns (property key, column name, type) in order of first
/// appearance, and its geometry type.
struct Schema {
    cols: Vec<(String, String, Col)>,
    gtype: &'static str,
}

/// Reads a layer through for its [`Schema`].
fn schema(dir: &Path, name: &str) -> Result<Schema> {
    let mut cols: Vec<(String, String, Col)> = Vec::new();
    let mut gtype = None;
    each_feature(dir, name, |f| {
        for (k, v) in f.props() {
            match cols.iter_mut().find(|c| c.0 == k) {
                Some(c) => c.2 = c.2.widen(&v),
                None => cols.push((k.to_string(), column_name(k), Col::Unknown.widen(&v))),
            }
        }
        gtype = widen_geometry(gtype, f);
        Ok(())
    })?;
    Ok(Schema {
        cols,
        gtype: gtype.unwrap_or("GEOMETRY"),
    })
}

/// Creates and fills one layer's table with the layer's rows, read one
/// feature at a time.
fn write_table(
    db: &Connection,
    dir: &Path,
    name: &str,
    schema: &Schema,
    err: &impl Fn(rusqlite::Error) -> Error,
) -> Result<()> {
    let (cols, gtype) = (&schema.cols, schema.gtype);
    create_table(db, name, gtype, cols).map_err(err)?;
    let rtree = format!("rtree_{name}_geom");
    let placeholders = std::iter::repeat_n("?", cols.len() + 2)
        .collect::<Vec<_>>()
        .join(", ");
    let names = cols
        .iter()
        .map(|c| quote(&c.1))
        .fold(String::from("fid, geom"), |a, c| a + ", " + &c);
    let mut insert = db
        .prepare(&format!(
            "INSERT INTO {} ({names}) VALUES ({placeholders})",
            quote(name)
        ))
        .map_err(err)?;
    let mut index = db
        .prepare(&format!(
            "INSERT INTO {} VALUES (?1, ?2, ?3, ?4, ?5)",
            quote(&rtree)
        ))
        .map_err(err)?;
    let mut extent: Option<[f64; 4]> = None;
    let mut fid = 0i64;
    // Features are read and encoded on a second thread while this one
    // writes them to SQLite: reading is about half the work.
    let cols = &cols;
    std::thread::scope(|scope| -> Result<()> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Row>>(16);
        let reader = scope.spawn(move || {
            let mut batch = Vec::with_capacity(ROWS_PER_BATCH);
            each_feature(dir, name, |f| {
                batch.push(encode_row(f, gtype, cols));
                if batch.len() == ROWS_PER_BATCH {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(ROWS_PER_BATCH));
                    // The writer stopped on an error of its own: stop too.
                    if tx.send(full).is_err() {
                        return Err(Error::Data(String::new()));
                    }
                }
                Ok(())
            })?;
            let _ = tx.send(batch);
            Ok(())
        });
        let mut written = Ok(());
        'rows: for batch in rx {
            for row in batch {
                fid += 1;
                let values = std::iter::once(Sql::Integer(fid)).chain(row.values);
                written = insert.execute(params_from_iter(values)).map(|_| ());
                if let (Ok(()), Some(b)) = (&written, row.bbox) {
                    written = index.execute((fid, b[0], b[2], b[1], b[3])).map(|_| ());
                    extent = Some(match extent {
                        None => b,
                        Some(e) => [
                            e[0].min(b[0]),
                            e[1].min(b[1]),
                            e[2].max(b[2]),
                            e[3].max(b[3]),
                        ],
                    });
                }
                if written.is_err() {
                    break 'rows;
                }
            }
        }
        // Dropping the receiver ends the reader at its next batch.
        let read = reader
            .join()
            .unwrap_or_else(|_| Err(Error::Data(format!("{name}.geojson: reader thread failed"))));
        written.map_err(err)?;
        read
    })?;
    register(db, name, gtype, extent).map_err(err)
}

/// Rows sent from the reading thread to the writing one at a time.
const ROWS_PER_BATCH: usize = 256;

/// One feature ready for SQLite: geometry blob and property values in
/// column order, and the geometry's bounding box.
struct Row {
    values: Vec<Sql>,
    bbox: Option<[f64; 4]>,
}

fn encode_row(f: &Feature, gtype: &str, cols: &[(String, String, Col)]) -> Row {
    let mut values = Vec::with_capacity(cols.len() + 1);
    let bbox = match encode_feature(f, gtype) {
        Some((blob, bbox)) => {
            values.push(Sql::Blob(blob));
            bbox
        }
        None => {
            values.push(Sql::Null);
            None
        }
    };
    // Properties are nearly always in column order: look from just after
    // the last one found.
    let props: Vec<(&str, Prop)> = f.props().collect();
    let mut next = 0;
    for (key, _, t) in cols {
        let found = (next..props.len())
            .chain(0..next)
            .find(|&i| props[i].0 == key);
        values.push(match found {
            Some(i) => {
                next = i + 1;
                sql_value(&props[i].1, *t)
            }
            None => Sql::Null,
        });
    }
    Row { values, bbox }
}

/// The layer's rows in the GeoPackage tables, and its R-tree triggers.
fn register(
    db: &Connection,
    name: &str,
    gtype: &str,
    extent: Option<[f64; 4]>,
) -> rusqlite::Result<()> {
    let [min_x, min_y, max_x, max_y] = extent.map_or([None; 4], |e| e.map(Some));
    db.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id)
         VALUES (?1, 'features', ?1, ?2, ?3, ?4, ?5, ?6, 4326)",
        (name, format!("bordermap {name} layer"), min_x, min_y, max_x, max_y),
    )?;
    db.execute(
        "INSERT INTO gpkg_geometry_columns VALUES (?1, 'geom', ?2, 4326, 0, 0)",
        (name, gtype),
    )?;
    db.execute(
        "INSERT INTO gpkg_extensions VALUES (?1, 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')",
        [name],
    )?;
    db.execute_batch(&rtree_triggers(name, "geom", "fid"))
}

/// A property as the SQL value of a column of type `t`.
fn sql_value(v: &Prop, t: Col) -> Sql {
    match (v, t) {
        (Prop::Null, _) => Sql::Null,
        (Prop::Bool(b), Col::Boolean) => Sql::Integer(i64::from(*b)),
        (Prop::Int(i), Col::Integer) => Sql::Integer(*i),
        (Prop::Int(i), Col::Real) => Sql::Real(*i as f64),
        (Prop::Real(x), Col::Integer | Col::Real) => Sql::Real(*x),
        (Prop::Str(s), _) => Sql::Text(s.to_string()),
        (Prop::Other(raw), _) => Sql::Text(raw.to_string()),
        (Prop::Bool(b), _) => Sql::Text(b.to_string()),
        (Prop::Int(i), _) => Sql::Text(i.to_string()),
        (Prop::Real(x), _) => Sql::Text(serde_json::to_string(x).unwrap_or_default()),
    }
}

/// The GPKG 1.2 R-tree triggers (the form GDAL writes), keeping the index
/// right when GDAL or QGIS edit the table later.
fn rtree_triggers(t: &str, c: &str, i: &str) -> String {
    let r = format!("rtree_{t}_{c}");
    let ins = format!(
        "INSERT OR REPLACE INTO \"{r}\" VALUES (NEW.\"{i}\", ST_MinX(NEW.\"{c}\"), ST_MaxX(NEW.\"{c}\"), ST_MinY(NEW.\"{c}\"), ST_MaxY(NEW.\"{c}\"));"
    );
    format!(
        "CREATE TRIGGER \"{r}_insert\" AFTER INSERT ON \"{t}\" WHEN (new.\"{c}\" NOT NULL AND NOT ST_IsEmpty(NEW.\"{c}\")) BEGIN {ins} END;
CREATE TRIGGER \"{r}_update1\" AFTER UPDATE OF \"{c}\" ON \"{t}\" WHEN OLD.\"{i}\" = NEW.\"{i}\" AND (NEW.\"{c}\" NOTNULL AND NOT ST_IsEmpty(NEW.\"{c}\")) BEGIN {ins} END;
CREATE TRIGGER \"{r}_update2\" AFTER UPDATE OF \"{c}\" ON \"{t}\" WHEN OLD.\"{i}\" = NEW.\"{i}\" AND (NEW.\"{c}\" ISNULL OR ST_IsEmpty(NEW.\"{c}\")) BEGIN DELETE FROM \"{r}\" WHERE id = OLD.\"{i}\"; END;
CREATE TRIGGER \"{r}_update3\" AFTER UPDATE ON \"{t}\" WHEN OLD.\"{i}\" != NEW.\"{i}\" AND (NEW.\"{c}\" NOTNULL AND NOT ST_IsEmpty(NEW.\"{c}\")) BEGIN DELETE FROM \"{r}\" WHERE id = OLD.\"{i}\"; {ins} END;
CREATE TRIGGER \"{r}_update4\" AFTER UPDATE ON \"{t}\" WHEN OLD.\"{i}\" != NEW.\"{i}\" AND (NEW.\"{c}\" ISNULL OR ST_IsEmpty(NEW.\"{c}\")) BEGIN DELETE FROM \"{r}\" WHERE id IN (OLD.\"{i}\", NEW.\"{i}\"); END;
CREATE TRIGGER \"{r}_delete\" AFTER DELETE ON \"{t}\" WHEN old.\"{c}\" NOT NULL BEGIN DELETE FROM \"{r}\" WHERE id = OLD.\"{i}\"; END;"
    )
}

/// A feature's geometry as a GeoPackage blob, as [`encode`]; a point (every
/// event and mention) is read without building a JSON tree.
fn encode_feature(f: &Feature, gtype: &str) -> Option<(Vec<u8>, Option<[f64; 4]>)> {
    if gtype == "POINT" {
        let (x, y) = f.point()?;
        let mut blob = Vec::with_capacity(8 + 21);
        blob.extend_from_slice(b"GP\x00\x01");
        blob.extend_from_slice(&4326i32.to_le_bytes());
        blob.push(1);
        blob.extend_from_slice(&1u32.to_le_bytes());
        blob.extend_from_slice(&x.to_le_bytes());
        blob.extend_from_slice(&y.to_le_bytes());
        return Some((blob, Some([x, y, x, y])));
    }
    encode(&f.geometry_value()?, gtype)
}

/// A GeoJSON geometry as a GeoPackage blob for a table of type `gtype`, and
/// its bounding box `[min_x, min_y, max_x, max_y]` (None when empty).
/// `None` for a missing or unreadable geometry.
fn encode(g: &Value, gtype: &str) -> Option<(Vec<u8>, Option<[f64; 4]>)> {
    let kind = g.get("type")?.as_str()?;
    let coords = g.get("coordinates")?;
    let mut wkb = Vec::new();
    let mut bbox = Bbox::default();
    match (kind, gtype) {
        ("Point", "MULTIPOINT") => {
            wkb_header(&mut wkb, 4, 1);
            point(&mut wkb, coords, &mut bbox)?;
        }
        ("Point", _) => point(&mut wkb, coords, &mut bbox)?,
        ("MultiPoint", _) => multi(&mut wkb, 4, coords, &mut bbox, point)?,
        ("LineString", _) => {
            wkb_header(&mut wkb, 5, 1);
            line(&mut wkb, coords, &mut bbox)?;
        }
        ("MultiLineString", _) => multi(&mut wkb, 5, coords, &mut bbox, line)?,
        ("Polygon", _) => {
            wkb_header(&mut wkb, 6, 1);
            polygon(&mut wkb, coords, &mut bbox)?;
        }
        ("MultiPolygon", _) => multi(&mut wkb, 6, coords, &mut bbox, polygon)?,
        _ => return None,
    }
    let mut blob = Vec::with_capacity(8 + wkb.len());
    blob.extend_from_slice(b"GP");
    blob.push(0); // version 1.0
    blob.push(if bbox.empty { 0x11 } else { 0x01 }); // little-endian, no envelope (+ empty flag)
    blob.extend_from_slice(&4326i32.to_le_bytes());
    blob.extend_from_slice(&wkb);
    let b = (!bbox.empty).then_some([bbox.min_x, bbox.min_y, bbox.max_x, bbox.max_y]);
    Some((blob, b))
}

struct Bbox {
    empty: bool,
    min_x: f64,
    min_y: f64,
    max_x: f64,
    max_y: f64,
}

impl Default for Bbox {
    fn default() -> Self {
        Bbox {
            empty: true,
            min_x: f64::INFINITY,
            min_y: f64::INFINITY,
            max_x: f64::NEG_INFINITY,
            max_y: f64::NEG_INFINITY,
        }
    }
}

fn wkb_header(w: &mut Vec<u8>, kind: u32, n: usize) {
    w.push(1);
    w.extend_from_slice(&kind.to_le_bytes());
    w.extend_from_slice(&(n as u32).to_le_bytes());
}

fn xy(w: &mut Vec<u8>, c: &Value, b: &mut Bbox) -> Option<()> {
    let a = c.as_array()?;
    let (x, y) = (a.first()?.as_f64()?, a.get(1)?.as_f64()?);
    w.extend_from_slice(&x.to_le_bytes());
    w.extend_from_slice(&y.to_le_bytes());
    b.empty = false;
    b.min_x = b.min_x.min(x);
    b.min_y = b.min_y.min(y);
    b.max_x = b.max_x.max(x);
    b.max_y = b.max_y.max(y);
    Some(())
}

fn point(w: &mut Vec<u8>, c: &Value, b: &mut Bbox) -> Option<()> {
    w.push(1);
    w.extend_from_slice(&1u32.to_le_bytes());
    xy(w, c, b)
}

fn points(w: &mut Vec<u8>, c: &Value, b: &mut Bbox) -> Option<()> {
    let a = c.as_array()?;
    w.extend_from_slice(&(a.len() as u32).to_le_bytes());
    a.iter().try_for_each(|p| xy(w, p, b))
}

fn line(w: &mut Vec<u8>, c: &Value, b: &mut Bbox) -> Option<()> {
    w.push(1);
    w.extend_from_slice(&2u32.to_le_bytes());
    points(w, c, b)
}

fn polygon(w: &mut Vec<u8>, c: &Value, b: &mut Bbox) -> Option<()> {
    let rings = c.as_array()?;
    w.push(1);
    w.extend_from_slice(&3u32.to_le_bytes());
    w.extend_from_slice(&(rings.len() as u32).to_le_bytes());
    rings.iter().try_for_each(|r| points(w, r, b))
}

fn multi(
    w: &mut Vec<u8>,
    kind: u32,
    c: &Value,
    b: &mut Bbox,
    part: fn(&mut Vec<u8>, &Value, &mut Bbox) -> Option<()>,
) -> Option<()> {
    let parts = c.as_array()?;
    wkb_header(w, kind, parts.len());
    parts.iter().try_for_each(|p| part(w, p, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_feature_after_many_good_ones_fails_the_file_and_names_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let good = r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[40.5,34.25]},"properties":{"event_id":"e","n":1}}"#;
        let mut text = String::from("{\"type\":\"FeatureCollection\",\"features\":[\n");
        for _ in 0..600 {
            text.push_str(good);
            text.push_str(",\n");
        }
        text.push_str("{\"type\":\"Feature\",\"geometry\":\n]}\n");
        std::fs::write(dir.path().join("events.geojson"), text).unwrap();
        let e = write_gpkg(dir.path()).unwrap_err().to_string();
        assert!(e.contains("events.geojson:602"), "{e}");
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(left, ["events.geojson"], "no GeoPackage, no temporary file");
    }

    #[test]
    fn point_blob_is_gp_header_then_wkb() {
        let g = serde_json::json!({"type":"Point","coordinates":[40.5,34.25]});
        let (blob, bbox) = encode(&g, "POINT").unwrap();
        assert_eq!(&blob[..4], b"GP\x00\x01");
        assert_eq!(i32::from_le_bytes(blob[4..8].try_into().unwrap()), 4326);
        assert_eq!(blob[8], 1);
        assert_eq!(u32::from_le_bytes(blob[9..13].try_into().unwrap()), 1);
        assert_eq!(blob.len(), 8 + 21);
        assert_eq!(bbox, Some([40.5, 34.25, 40.5, 34.25]));
    }

    #[test]
    fn a_linestring_becomes_a_multilinestring() {
        let g = serde_json::json!({"type":"LineString","coordinates":[[1.0,2.0],[3.0,4.0]]});
        let (blob, bbox) = encode(&g, "MULTILINESTRING").unwrap();
        assert_eq!(u32::from_le_bytes(blob[9..13].try_into().unwrap()), 5);
        assert_eq!(bbox, Some([1.0, 2.0, 3.0, 4.0]));
    }

    #[test]
    fn column_types_widen() {
        let t = [Prop::Int(1), Prop::Real(2.5)]
            .iter()
            .fold(Col::Unknown, |c, v| c.widen(v));
        assert_eq!(t, Col::Real);
        assert_eq!(
            Col::Unknown.widen(&Prop::Str("2021-06-01".into())),
            Col::Date
        );
        assert_eq!(Col::Date.widen(&Prop::Str("June".into())), Col::Text);
        assert_eq!(Col::Integer.widen(&Prop::Null), Col::Integer);
    }

    #[test]
    fn point_fast_path_matches_the_general_encoder() {
        let line = r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[40.5,34.25]},"properties":{}}"#;
        let f: Feature = serde_json::from_str(line).unwrap();
        let g = serde_json::json!({"type":"Point","coordinates":[40.5,34.25]});
        assert_eq!(encode_feature(&f, "POINT"), encode(&g, "POINT"));
    }
}
