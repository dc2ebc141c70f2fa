//! The bundled gazetteer: places with every name people write, their kind,
//! country and admin units, and the polygons of the areas.
//!
//! The data ships inside the binary (`gazetteer/places.tsv`,
//! `gazetteer/areas.geojson`, `gazetteer/border.geojson`) so the program runs
//! from any folder; it is parsed once per process. See `gazetteer/README.md`
//! for the formats and how they are rebuilt from open data.

use rustc_hash::FxHashMap as HashMap;
use std::path::Path;
use std::sync::OnceLock;

use geo::{MultiLineString, MultiPolygon};

use crate::error::{Error, Result};
use crate::geometry::{self, Banded};
use crate::model::Kind;

const PLACES_TSV: &str = include_str!("../gazetteer/places.tsv");
const AREAS_GEOJSON: &str = include_str!("../gazetteer/areas.geojson");
const BORDER_GEOJSON: &str = include_str!("../gazetteer/border.geojson");

/// One gazetteer place.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// Stable id, e.g. `sy-c5167` or `border-iq-sy`.
    pub id: String,
    pub kind: Kind,
    pub name_en: String,
    pub name_ar: String,
    /// Every name variant, Arabic, Latin and Kurdish, as in the sources.
    pub names: Vec<String>,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub admin1: Option<String>,
    pub admin2: Option<String>,
    pub admin3: Option<String>,
    pub lon: f64,
    pub lat: f64,
    pub population: Option<u64>,
    /// The name is also an ordinary word: accept only with context.
    pub needs_context: bool,
}

/// Folded names as numbers (0: none), so comparing them costs nothing.
#[derive(Debug)]
struct AdminKeys {
    /// Each place's folded English name.
    name: Vec<u32>,
    /// Each place's folded admin1, admin2, admin3.
    admins: Vec<[u32; 3]>,
}

impl AdminKeys {
    fn new(places: &[Place]) -> AdminKeys {
        // Raw strings repeat (a few hundred admin names): fold each once.
        let mut raw: HashMap<&str, u32> = HashMap::default();
        let mut folded: HashMap<String, u32> = HashMap::default();
        let mut name = Vec::with_capacity(places.len());
        let mut admins = Vec::with_capacity(places.len());
        for p in places {
            name.push(intern(&mut raw, &mut folded, Some(&p.name_en)));
            admins.push([
                intern(&mut raw, &mut folded, p.admin1.as_ref()),
                intern(&mut raw, &mut folded, p.admin2.as_ref()),
                intern(&mut raw, &mut folded, p.admin3.as_ref()),
            ]);
        }
        AdminKeys { name, admins }
    }
}

/// The number of `s` folded (0 for none), folding each distinct string once.
fn intern<'a>(
    raw: &mut HashMap<&'a str, u32>,
    folded: &mut HashMap<String, u32>,
    s: Option<&'a String>,
) -> u32 {
    let Some(s) = s else { return 0 };
    if let Some(&k) = raw.get(s.as_str()) {
        return k;
    }
    let next = folded.len() as u32 + 1;
    let k = *folded.entry(crate::fold(s)).or_insert(next);
    raw.insert(s, k);
    k
}

/// The loaded gazetteer. Build it once and share it (it is `Sync`).
#[derive(Debug)]
pub struct Gazetteer {
    places: Vec<Place>,
    by_id: HashMap<String, u32>,
    areas_src: Option<String>,
    areas: OnceLock<HashMap<u32, MultiPolygon<f64>>>,
    /// Every area's polygon as a banded edge index, by place number: the
    /// resolver tests many points against governorates and districts.
    area_index: OnceLock<Vec<Option<Banded>>>,
    /// Folded name → places, for [`Gazetteer::lookup`].
    by_name: OnceLock<HashMap<String, Vec<u32>>>,
    /// Folded English names and admin names as small numbers, for
    /// [`Gazetteer::in_admin_of`].
    admin_keys: OnceLock<AdminKeys>,
    border: MultiLineString<f64>,
    /// Exactly the bundled places (no user's places added): the tagger can
    /// use the matcher built at compile time.
    bundled: bool,
}

impl Gazetteer {
    /// The gazetteer compiled into the program, parsed on first use.
    ///
    /// ```
    /// let g = bordermap::Gazetteer::bundled().unwrap();
    /// assert!(g.get("border-iq-sy").is_some());
    /// ```
    pub fn bundled() -> Result<&'static Gazetteer> {
        static BUNDLED: OnceLock<std::result::Result<Gazetteer, String>> = OnceLock::new();
        BUNDLED
            .get_or_init(|| Gazetteer::load_bundled().map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| Error::Data(e.clone()))
    }

    /// A fresh copy of the bundled gazetteer, to extend with a user's places
    /// ([`Gazetteer::with_extra`]).
    pub fn load_bundled() -> Result<Gazetteer> {
        let mut g = Gazetteer::from_parts(
            PLACES_TSV,
            "gazetteer/places.tsv",
            Some(AREAS_GEOJSON),
            BORDER_GEOJSON,
        )?;
        g.bundled = true;
        Ok(g)
    }

    /// Builds a gazetteer from TSV text (see `gazetteer/README.md`), optional
    /// area polygons (GeoJSON with a `place_id` property) and the border line.
    pub fn from_parts(
        places_tsv: &str,
        origin: &str,
        areas_geojson: Option<&str>,
        border_geojson: &str,
    ) -> Result<Gazetteer> {
        let places = parse_places(places_tsv, origin)?;
        let by_id = index_ids(&places, origin)?;
        let border = geometry::parse_lines(border_geojson)
            .map_err(|e| Error::Data(format!("border: {e}")))?;
        Ok(Gazetteer {
            places,
            by_id,
            areas_src: areas_geojson.map(str::to_string),
            areas: OnceLock::new(),
            area_index: OnceLock::new(),
            by_name: OnceLock::new(),
            admin_keys: OnceLock::new(),
            border,
            bundled: false,
        })
    }

    /// Adds a user's own places (same columns as `places.tsv`, comma- or
    /// tab-separated by the file's extension); a bad row names its line.
    pub fn with_extra(mut self, path: &Path) -> Result<Gazetteer> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        // The name index, if built, no longer covers every place.
        self.by_name = OnceLock::new();
        let origin = path.display().to_string();
        let delim = if origin.ends_with(".csv") {
            b','
        } else {
            b'\t'
        };
        let extra = parse_places_delim(&text, &origin, delim)?;
        self.bundled = false;
        for p in extra {
            if self.by_id.contains_key(&p.id) {
                return Err(Error::Data(format!(
                    "{origin}: place_id {} is already in the gazetteer; choose another id",
                    p.id
                )));
            }
            self.by_id.insert(p.id.clone(), self.places.len() as u32);
            self.places.push(p);
        }
        Ok(self)
    }

    /// True when this is the bundled gazetteer as it ships, without a
    /// user's places.
    pub(crate) fn is_bundled(&self) -> bool {
        self.bundled
    }

    /// All places, indexed by their position (the `u32` used across the crate).
    pub fn places(&self) -> &[Place] {
        &self.places
    }

    /// The place at an index.
    pub fn place(&self, idx: u32) -> &Place {
        &self.places[idx as usize]
    }

    /// Looks a place up by id.
    pub fn get(&self, id: &str) -> Option<&Place> {
        self.index_of(id).map(|i| self.place(i))
    }

    /// The index of a place id.
    pub fn index_of(&self, id: &str) -> Option<u32> {
        self.by_id.get(id).copied()
    }

    /// True when the (lon, lat) point lies in the area's polygon; false when
    /// the place has none. A bounding-box test goes first.
    pub fn area_contains(&self, idx: u32, lon: f64, lat: f64) -> bool {
        let index = self.area_index.get_or_init(|| {
            (0..self.places.len() as u32)
                .map(|i| self.area(i).map(Banded::new))
                .collect()
        });
        index
            .get(idx as usize)
            .and_then(Option::as_ref)
            .is_some_and(|b| b.contains(lon, lat))
    }

    /// The polygon of an area place, when the gazetteer has one.
    pub fn area(&self, idx: u32) -> Option<&MultiPolygon<f64>> {
        self.areas
            .get_or_init(|| self.parse_areas().unwrap_or_default())
            .get(&idx)
    }

    /// The Iraq–Syria international border.
    pub fn border(&self) -> &MultiLineString<f64> {
        &self.border
    }

    /// True when place `p`'s admin1/2/3 names (folded) include the English
    /// name of area `a`, in the same country: the names decide before the
    /// polygons do, since the two countries' polygons overlap near the border.
    pub(crate) fn in_admin_of(&self, p: u32, a: u32) -> bool {
        let keys = self.admin_keys.get_or_init(|| AdminKeys::new(&self.places));
        let (Some(name), Some(admins)) = (keys.name.get(a as usize), keys.admins.get(p as usize))
        else {
            return false;
        };
        self.place(a).country == self.place(p).country && admins.contains(name)
    }

    /// Places whose folded name equals the folded `name` (any variant).
    pub fn lookup(&self, name: &str) -> Vec<u32> {
        // Folding every name on each call cost 30–70 ms per query; the
        // index is built once, on first use.
        let index = self.by_name.get_or_init(|| {
            let mut m: HashMap<String, Vec<u32>> = HashMap::default();
            for (i, p) in self.places.iter().enumerate() {
                for n in &p.names {
                    let list = m.entry(crate::fold(n)).or_default();
                    if list.last() != Some(&(i as u32)) {
                        list.push(i as u32);
                    }
                }
            }
            m
        });
        index.get(&crate::fold(name)).cloned().unwrap_or_default()
    }

    fn parse_areas(&self) -> Result<HashMap<u32, MultiPolygon<f64>>> {
        let Some(src) = self.areas_src.as_deref() else {
            return Ok(HashMap::default());
        };
        let mut out = HashMap::default();
        for (id, poly) in geometry::parse_polygons(src, "place_id")? {
            if let Some(i) = self.index_of(&id) {
                out.insert(i, poly);
            }
        }
        Ok(out)
    }
}

fn index_ids(places: &[Place], origin: &str) -> Result<HashMap<String, u32>> {
    let mut by_id = HashMap::with_capacity_and_hasher(places.len(), Default::default());
    for (i, p) in places.iter().enumerate() {
        if by_id.insert(p.id.clone(), i as u32).is_some() {
            return Err(Error::Data(format!(
                "{origin}: duplicate place_id {}",
                p.id
            )));
        }
    }
    Ok(by_id)
}

/// Reads the bundled TSV (tab-separated, no quoting, see
/// `gazetteer/README.md`) by splitting lines and tabs directly, the two
/// halves of a large file on two threads: faster at start-up than the
/// general reader, which a user's files still go through.
fn parse_places(tsv: &str, origin: &str) -> Result<Vec<Place>> {
    let (header, body) = tsv.split_once('\n').unwrap_or((tsv, ""));
    let header: Vec<&str> = header.trim_end_matches('\r').split('\t').collect();
    let cols = column_positions(origin, |name| header.iter().position(|h| *h == name))?;
    let rows = |chunk: &str, first_line: usize| -> Result<Vec<Place>> {
        let mut out = Vec::with_capacity(chunk.len() / 160);
        let mut fields: Vec<&str> = Vec::with_capacity(header.len());
        for (n, l) in chunk.lines().enumerate() {
            if l.is_empty() {
                continue;
            }
            let line = first_line + n;
            fields.clear();
            split_tabs(l, &mut fields);
            if fields.len() != header.len() {
                return Err(Error::Data(format!(
                    "{origin}: line {line}: found record with {} fields, but the header has {}",
                    fields.len(),
                    header.len()
                )));
            }
            let get = |i: usize| crate::tag::names::trim(fields[cols[i]]);
            out.push(place_from_row(&get, origin, line)?);
        }
        Ok(out)
    };
    if body.len() < 1 << 18 {
        return rows(body, 2);
    }
    // Split at the first line break after the middle byte (searched as
    // bytes: the middle may fall inside a multi-byte char).
    let mid = body.len() / 2;
    let mid = body.as_bytes()[mid..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(body.len(), |i| mid + i + 1);
    let (first, second) = body.split_at(mid);
    let second_line = 2 + first.bytes().filter(|&b| b == b'\n').count();
    let (a, b) = std::thread::scope(|s| {
        let b = s.spawn(|| rows(second, second_line));
        (rows(first, 2), b.join())
    });
    let mut out = a?;
    out.extend(b.unwrap_or_else(|p| std::panic::resume_unwind(p))?);
    Ok(out)
}

/// Splits a line at tabs. Fields are short: a byte loop beats `str::split`,
/// which starts a `memchr` search per field.
fn split_tabs<'a>(line: &'a str, out: &mut Vec<&'a str>) {
    let mut start = 0;
    for (i, &b) in line.as_bytes().iter().enumerate() {
        if b == b'\t' {
            out.push(&line[start..i]);
            start = i + 1;
        }
    }
    out.push(&line[start..]);
}

/// Where each of [`COLUMNS`] is in a file, or which one is missing.
fn column_positions(origin: &str, find: impl Fn(&str) -> Option<usize>) -> Result<Vec<usize>> {
    COLUMNS
        .iter()
        .map(|name| {
            find(name).ok_or_else(|| {
                Error::Data(format!(
                    "{origin}: missing column `{name}` (needs: {})",
                    COLUMNS.join(", ")
                ))
            })
        })
        .collect()
}

/// The columns every gazetteer file has, in this order.
pub const COLUMNS: [&str; 14] = [
    "place_id",
    "kind",
    "name_en",
    "name_ar",
    "names",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "lat",
    "lon",
    "population",
    "flags",
    "source",
];

fn parse_places_delim(text: &str, origin: &str, delim: u8) -> Result<Vec<Place>> {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delim)
        .quoting(delim != b'\t')
        .from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| Error::Data(format!("{origin}: header: {e}")))?
        .clone();
    let cols = column_positions(origin, |name| headers.iter().position(|h| h == name))?;
    let mut out = Vec::new();
    for (n, rec) in rdr.records().enumerate() {
        let line = n + 2;
        let rec = rec.map_err(|e| Error::Data(format!("{origin}: line {line}: {e}")))?;
        let get = |i: usize| rec.get(cols[i]).unwrap_or("").trim();
        out.push(place_from_row(&get, origin, line)?);
    }
    Ok(out)
}

fn place_from_row<'a>(get: &dyn Fn(usize) -> &'a str, origin: &str, line: usize) -> Result<Place> {
    let bad = |col: &str, what: &str| {
        Error::Data(format!("{origin}: line {line}, column `{col}`: {what}"))
    };
    let id = get(0).to_string();
    if id.is_empty() {
        return Err(bad("place_id", "empty; give every place a unique id"));
    }
    let kind = Kind::parse(get(1)).ok_or_else(|| {
        bad(
            "kind",
            &format!("unknown kind `{}`; use one of the spec's kinds", get(1)),
        )
    })?;
    let lat: f64 = get(9).parse().map_err(|_| bad("lat", "not a number"))?;
    let lon: f64 = get(10).parse().map_err(|_| bad("lon", "not a number"))?;
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Err(bad("lat/lon", "out of range (lat −90…90, lon −180…180)"));
    }
    let population = match get(11) {
        "" => None,
        s => Some(
            s.parse()
                .map_err(|_| bad("population", "not a whole number"))?,
        ),
    };
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
    let names = crate::tag::names::place_names(get(4), get(2), get(3));
    if names.is_empty() {
        return Err(bad("names", "no name at all; give name_en or name_ar"));
    }
    Ok(Place {
        id,
        kind,
        name_en: get(2).to_string(),
        name_ar: get(3).to_string(),
        names,
        country: get(5).to_string(),
        admin1: opt(get(6)),
        admin2: opt(get(7)),
        admin3: opt(get(8)),
        lat,
        lon,
        population,
        needs_context: get(12).split(',').any(|f| f.trim() == "needs_context"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_reader_reads_what_the_csv_reader_reads() {
        let fast = parse_places(PLACES_TSV, "t").unwrap();
        assert_eq!(fast, parse_places_delim(PLACES_TSV, "t", b'\t').unwrap());
        assert!(fast.len() > 10_000);
    }

    #[test]
    fn fast_reader_splits_where_the_middle_byte_is_inside_an_arabic_char() {
        // A first row longer by one byte each time walks the middle byte
        // through every position of a row, Arabic chars included.
        let header = PLACES_TSV.lines().next().unwrap();
        let row = |id: &str| format!("{id}\tvillage\tX\tقرية\tقرية\tSY\t\t\t\t35.0\t40.0\t\t\ts\n");
        let width = row("p0").len();
        for pad in 0..width {
            let mut tsv = format!("{header}\n{}", row(&format!("p{}", "x".repeat(pad))));
            let mut n = 1;
            while tsv.len() < 300_000 {
                tsv.push_str(&row("p0"));
                n += 1;
            }
            assert_eq!(parse_places(&tsv, "t").unwrap().len(), n, "pad {pad}");
        }
    }

    #[test]
    fn fast_reader_names_the_bad_line_in_either_half() {
        let lines: Vec<&str> = PLACES_TSV.lines().collect();
        for bad in [5, lines.len() - 3] {
            let mut rows = lines.clone();
            let mut fields: Vec<&str> = rows[bad].split('\t').collect();
            fields[9] = "north";
            let broken = fields.join("\t");
            rows[bad] = &broken;
            let tsv = rows.join("\n");
            let err = parse_places(&tsv, "t").unwrap_err().to_string();
            let want = parse_places_delim(&tsv, "t", b'\t')
                .unwrap_err()
                .to_string();
            assert_eq!(err, want);
            assert!(err.contains(&format!("line {}", bad + 1)), "{err}");
        }
    }
}
