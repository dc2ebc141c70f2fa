//! Small geometry helpers shared by the stages: GeoJSON → `geo` types and
//! great-circle distances.

use geo::{
    Closest, Coord, Distance, Haversine, HaversineClosestPoint, LineString, MultiLineString,
    MultiPolygon, Point, Polygon,
};
use geojson::{GeoJson, Geometry, GeometryValue as Value};

use crate::error::{Error, Result};

/// Parses a FeatureCollection of (Multi)Polygons, returning each feature's
/// string property `key` with its geometry.
pub(crate) fn parse_polygons(src: &str, key: &str) -> Result<Vec<(String, MultiPolygon<f64>)>> {
    let fc = feature_collection(src)?;
    let mut out = Vec::with_capacity(fc.features.len());
    for (i, f) in fc.features.into_iter().enumerate() {
        let id = f
            .property(key)
            .and_then(|v| v.as_str())
            .ok_or_else(|| Error::Data(format!("feature {i}: no string property `{key}`")))?
            .to_string();
        let geom = f
            .geometry
            .as_ref()
            .ok_or_else(|| Error::Data(format!("feature {i} ({id}): no geometry")))?;
        out.push((
            id.clone(),
            to_multipolygon(geom).map_err(|e| Error::Data(format!("feature {i} ({id}): {e}")))?,
        ));
    }
    Ok(out)
}

/// Parses every line geometry of a FeatureCollection into one MultiLineString.
pub(crate) fn parse_lines(src: &str) -> Result<MultiLineString<f64>> {
    let fc = feature_collection(src)?;
    let mut lines = Vec::new();
    for f in fc.features {
        match f.geometry.map(|g| g.value) {
            Some(Value::LineString { coordinates }) => lines.push(line(&coordinates)),
            Some(Value::MultiLineString { coordinates }) => {
                lines.extend(coordinates.iter().map(|l| line(l)))
            }
            _ => {}
        }
    }
    if lines.is_empty() {
        return Err(Error::Data("no LineString in the border file".into()));
    }
    Ok(MultiLineString(lines))
}

pub(crate) fn feature_collection(src: &str) -> Result<geojson::FeatureCollection> {
    match src.parse::<GeoJson>() {
        Ok(GeoJson::FeatureCollection(fc)) => Ok(fc),
        Ok(_) => Err(Error::Data("expected a GeoJSON FeatureCollection".into())),
        Err(e) => Err(Error::Data(format!("not valid GeoJSON: {e}"))),
    }
}

/// Converts a GeoJSON (Multi)Polygon to `geo`.
pub(crate) fn to_multipolygon(g: &Geometry) -> std::result::Result<MultiPolygon<f64>, String> {
    match &g.value {
        Value::Polygon { coordinates } => Ok(MultiPolygon(vec![polygon(coordinates)])),
        Value::MultiPolygon { coordinates } => Ok(MultiPolygon(
            coordinates.iter().map(|p| polygon(p)).collect(),
        )),
        other => Err(format!(
            "expected a Polygon or MultiPolygon, found {}",
            other.type_name()
        )),
    }
}

fn polygon(rings: &[Vec<geojson::Position>]) -> Polygon<f64> {
    let mut it = rings.iter().map(|r| line(r));
    let exterior = it.next().unwrap_or_else(|| LineString(vec![]));
    Polygon::new(exterior, it.collect())
}

fn line(pts: &[geojson::Position]) -> LineString<f64> {
    LineString(
        pts.iter()
            .filter(|p| p.len() >= 2)
            .map(|p| Coord { x: p[0], y: p[1] })
            .collect(),
    )
}

/// Great-circle distance in km between two (lon, lat) points.
pub fn haversine_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    Haversine.distance(Point::new(a.0, a.1), Point::new(b.0, b.1)) / 1000.0
}

/// Great-circle distance in km from a (lon, lat) point to a line.
pub fn distance_to_line_km(p: (f64, f64), line: &MultiLineString<f64>) -> f64 {
    let pt = Point::new(p.0, p.1);
    match line.haversine_closest_point(&pt) {
        Closest::Intersection(_) => 0.0,
        Closest::SinglePoint(c) => Haversine.distance(pt, c) / 1000.0,
        Closest::Indeterminate => f64::NAN,
    }
}

/// Rounds to 6 decimals (about 10 cm), the precision the layers promise.
pub fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}
