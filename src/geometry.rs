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

/// Mean Earth radius in km, as `geo`'s haversine uses it.
const EARTH_RADIUS_KM: f64 = 6371.0088;

/// A (lon, lat) point on the unit sphere. Comparing one point with many
/// costs a few multiplications each ([`squared_chord`]) instead of the
/// sines and cosines of a haversine per pair.
pub fn unit_vector(lon: f64, lat: f64) -> [f64; 3] {
    let (lon, lat) = (lon.to_radians(), lat.to_radians());
    [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
}

/// The squared straight-line distance between two [`unit_vector`]s; it
/// grows with the great-circle distance, which [`chord_km`] gives back.
pub fn squared_chord(a: &[f64; 3], b: &[f64; 3]) -> f64 {
    (a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)
}

/// The great-circle distance in km of a [`squared_chord`]: the same
/// distance as [`haversine_km`] (a chord of length c spans 2·asin(c/2)).
pub fn chord_km(squared_chord: f64) -> f64 {
    2.0 * EARTH_RADIUS_KM * (squared_chord.sqrt() / 2.0).min(1.0).asin()
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

/// A (multi)polygon prepared for fast point-in-polygon tests: its edges are
/// bucketed into horizontal bands, so a test casts its ray against the few
/// edges of one band instead of every edge. The even-odd rule over all rings
/// at once handles holes and several parts. Points exactly on an edge may go
/// either way (as with any ray test); everywhere else the answer is the same
/// as `geo::Contains`.
///
/// ```
/// use bordermap::Banded;
/// use geo::{LineString, MultiPolygon, Polygon};
/// let ring = LineString::from(vec![(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0)]);
/// let square = MultiPolygon::new(vec![Polygon::new(ring, vec![])]);
/// let b = Banded::new(&square);
/// assert!(b.contains(1.0, 1.0));
/// assert!(!b.contains(3.0, 1.0));
/// ```
#[derive(Debug, Clone, Default)]
pub struct Banded {
    min: (f64, f64),
    max: (f64, f64),
    /// Bands per degree of latitude over the box's height.
    scale: f64,
    /// `starts[b]..starts[b + 1]` indexes `slots` for band `b`.
    starts: Vec<u32>,
    /// Edge numbers, band after band.
    slots: Vec<u32>,
    /// (x0, y0, x1, y1) of every edge.
    edges: Vec<[f64; 4]>,
}

impl Banded {
    pub fn new(mp: &MultiPolygon<f64>) -> Banded {
        let mut edges: Vec<[f64; 4]> = Vec::new();
        for poly in mp {
            for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
                for l in ring.lines() {
                    if l.start.y != l.end.y {
                        edges.push([l.start.x, l.start.y, l.end.x, l.end.y]);
                    }
                }
            }
        }
        let Some(r) = geo::BoundingRect::bounding_rect(mp) else {
            return Banded::default();
        };
        // About two edges per band on average.
        let n = (edges.len() / 2).clamp(1, 4096);
        let height = r.height().max(f64::MIN_POSITIVE);
        let scale = n as f64 / height;
        let band = |y: f64| (((y - r.min().y) * scale) as usize).min(n - 1);
        let mut lists: Vec<Vec<u32>> = vec![Vec::new(); n];
        for (i, e) in edges.iter().enumerate() {
            let (lo, hi) = (e[1].min(e[3]), e[1].max(e[3]));
            for l in &mut lists[band(lo)..=band(hi)] {
                l.push(i as u32);
            }
        }
        let mut starts = Vec::with_capacity(n + 1);
        let mut slots = Vec::new();
        starts.push(0);
        for l in lists {
            slots.extend(l);
            starts.push(slots.len() as u32);
        }
        Banded {
            min: (r.min().x, r.min().y),
            max: (r.max().x, r.max().y),
            scale,
            starts,
            slots,
            edges,
        }
    }

    /// True when (x, y) is inside.
    pub fn contains(&self, x: f64, y: f64) -> bool {
        if self.starts.len() < 2
            || !(self.min.0..=self.max.0).contains(&x)
            || !(self.min.1..=self.max.1).contains(&y)
        {
            return false;
        }
        let n = self.starts.len() - 1;
        let b = (((y - self.min.1) * self.scale) as usize).min(n - 1);
        let mut inside = false;
        for &i in &self.slots[self.starts[b] as usize..self.starts[b + 1] as usize] {
            let [x0, y0, x1, y1] = self.edges[i as usize];
            if (y0 > y) != (y1 > y) && x < x0 + (y - y0) * (x1 - x0) / (y1 - y0) {
                inside = !inside;
            }
        }
        inside
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chord_distance_is_the_haversine_distance() {
        let points = [
            (40.917, 34.458), // Albu Kamal
            (41.02, 34.38),   // al-Qaim
            (38.62, 33.50),   // al-Tanf
            (43.13, 36.34),   // Mosul
            (-73.99, 40.73),  // far away
            (40.917, 34.458), // the same point again
        ];
        for a in points {
            for b in points {
                let h = haversine_km(a, b);
                let c = chord_km(squared_chord(
                    &unit_vector(a.0, a.1),
                    &unit_vector(b.0, b.1),
                ));
                assert!((h - c).abs() < 1e-6, "{a:?} {b:?}: {h} vs {c}");
            }
        }
        // Albu Kamal → al-Qaim is about 12 km, not a degree-sized number.
        let d = chord_km(squared_chord(
            &unit_vector(40.917, 34.458),
            &unit_vector(41.02, 34.38),
        ));
        assert!((10.0..15.0).contains(&d), "{d}");
    }
}
