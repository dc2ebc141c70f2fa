//! Coordinates written in the text — part of the tag stage.
//!
//! Reports and leaks quote positions directly: decimal degrees
//! (`34.4523, 40.9185`, `34.45N 40.92E`), degrees–minutes–seconds
//! (`34°27′N 40°55′E`, `34 27 12N 40 55 30E`) and MGRS grid references
//! (`37SFV 12345 67890`, grid zones 36–39, bands R and S around the
//! frontier). Each becomes a point mention; bare decimal pairs count only
//! when they fall in the region, so casualty figures and prices never do.

use std::sync::OnceLock;

use regex::{Regex, RegexSet};

/// A coordinate found in text: char offsets and the point.
#[derive(Debug, Clone, PartialEq)]
pub struct CoordHit {
    pub start: usize,
    pub end: usize,
    pub lon: f64,
    pub lat: f64,
}

struct Patterns {
    /// All five below in one automaton: nearly every article has digits
    /// and no coordinate, and one scan tells which patterns to run.
    any: RegexSet,
    dms: Regex,
    dms_spaced: Regex,
    hemi_decimal: Regex,
    decimal_pair: Regex,
    mgrs: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        let sec = r#"(?:(\d{1,2}(?:\.\d+)?)\s*(?:"|″|''|”|’’)\s*)?"#;
        let dms = format!(
            r"(\d{{1,2}})\s*[°º]\s*(?:(\d{{1,2}}(?:\.\d+)?)\s*['′’]\s*{sec})?([NS])\s*,?\s*(\d{{1,3}})\s*[°º]\s*(?:(\d{{1,2}}(?:\.\d+)?)\s*['′’]\s*{sec})?([EW])"
        );
        let build = |re: &str| Regex::new(re).unwrap_or_else(|e| unreachable!("bad built-in pattern: {e}"));
        let all = [
            dms.as_str(),
            r"(?-u:\b)(\d{1,2})\s+(\d{1,2})\s+(\d{1,2}(?:\.\d+)?)\s*([NS])\s*,?\s*(\d{1,3})\s+(\d{1,2})\s+(\d{1,2}(?:\.\d+)?)\s*([EW])(?-u:\b)",
            r"(?-u:\b)(\d{1,2}\.\d+)\s*°?\s*([NS])\s*,?\s*(\d{1,3}\.\d+)\s*°?\s*([EW])(?-u:\b)",
            r"(?:^|[^\d.])(\d{2}\.\d{3,})\s*[,،]\s*(\d{2}\.\d{3,})(?:$|[^\d.]|\.(?:$|\D))",
            r"(?-u:\b)(3[6-9])\s?([RS])\s?([A-HJ-NP-Z][A-HJ-NP-V])\s?(\d{2,10}(?:\s\d{1,5})?)(?-u:\b)",
        ];
        Patterns {
            any: RegexSet::new(all).unwrap_or_else(|e| unreachable!("bad built-in pattern: {e}")),
            dms: build(all[0]),
            dms_spaced: build(all[1]),
            hemi_decimal: build(all[2]),
            decimal_pair: build(all[3]),
            mgrs: build(all[4]),
        }
    })
}

/// Every coordinate written in `text`, in order, non-overlapping.
///
/// ```
/// let hits = bordermap::find_coordinates("الموقع 34°27′N 40°55′E قرب الحدود");
/// assert_eq!(hits.len(), 1);
/// assert!((hits[0].lat - 34.45).abs() < 0.01 && (hits[0].lon - 40.9167).abs() < 0.01);
/// ```
pub fn find_coordinates(text: &str) -> Vec<CoordHit> {
    let p = patterns();
    if !may_hold_coordinate(text) {
        return Vec::new();
    }
    let which = p.any.matches(text);
    if !which.matched_any() {
        return Vec::new();
    }
    // Accepted hits by start; they never overlap, so only the last one
    // starting before `e` can overlap a new one.
    let mut hits: std::collections::BTreeMap<usize, (usize, f64, f64)> = Default::default();
    let mut push = |s: usize, e: usize, lat: f64, lon: f64| {
        let plausible = (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon);
        let clash = hits.range(..e).next_back().is_some_and(|(_, h)| h.0 > s);
        if plausible && !clash {
            hits.insert(s, (e, lat, lon));
        }
    };
    for c in captures(&p.dms, text, which.matched(0)) {
        let (Some(m), Some(lat), Some(lon)) = (c.get(0), dms(&c, 1, 2, 3, 4), dms(&c, 5, 6, 7, 8))
        else {
            continue;
        };
        push(m.start(), m.end(), lat, lon);
    }
    for c in captures(&p.dms_spaced, text, which.matched(1)) {
        let (Some(m), Some(lat), Some(lon)) = (c.get(0), dms(&c, 1, 2, 3, 4), dms(&c, 5, 6, 7, 8))
        else {
            continue;
        };
        push(m.start(), m.end(), lat, lon);
    }
    for c in captures(&p.hemi_decimal, text, which.matched(2)) {
        let (Some(m), Some(lat), Some(lon)) = (c.get(0), signed(&c, 1, 2), signed(&c, 3, 4)) else {
            continue;
        };
        push(m.start(), m.end(), lat, lon);
    }
    for c in captures(&p.decimal_pair, text, which.matched(3)) {
        let (Some(a), Some(b)) = (c.get(1), c.get(2)) else {
            continue;
        };
        let (Ok(lat), Ok(lon)) = (a.as_str().parse::<f64>(), b.as_str().parse::<f64>()) else {
            continue;
        };
        // Only where the frontier is: a bare pair elsewhere is more likely not a position.
        if (29.0..=40.0).contains(&lat) && (34.0..=50.0).contains(&lon) {
            push(a.start(), b.end(), lat, lon);
        }
    }
    for c in captures(&p.mgrs, text, which.matched(4)) {
        let Some(m) = c.get(0) else { continue };
        if let Some((lat, lon)) = mgrs(m.as_str()) {
            push(m.start(), m.end(), lat, lon);
        }
    }
    // Byte to char offsets in one pass: the hits are in text order.
    let (mut byte, mut char) = (0, 0);
    let mut chars_to = |b: usize| {
        char += text[byte..b].chars().count();
        byte = b;
        char
    };
    hits.into_iter()
        .map(|(s, (e, lat, lon))| CoordHit {
            start: chars_to(s),
            end: chars_to(e),
            lon,
            lat,
        })
        .collect()
}

/// False when no form can match: each needs a degree sign, a digit with
/// a lone `N`, `S` or `R` after it (spaces between), or a decimal with three places
/// (`36.123`). Dates and counts have digits but seldom these, so most
/// articles skip the regex set, which costs far more than this scan.
fn may_hold_coordinate(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            // The UTF-8 of `°` (C2 B0) and `º` (C2 BA).
            0xC2 if matches!(b.get(i + 1), Some(0xB0 | 0xBA)) => return true,
            d if d.is_ascii_digit() => {
                let mut j = i + 1;
                while j < b.len() && b[j].is_ascii_digit() {
                    j += 1;
                }
                let mut k = j;
                while k < b.len() && b[k].is_ascii_whitespace() {
                    k += 1;
                }
                // A hemisphere or grid-zone letter, not a word ("3 Syrians").
                if matches!(b.get(k), Some(b'N' | b'S' | b'R'))
                    && !b.get(k + 1).is_some_and(u8::is_ascii_lowercase)
                {
                    return true;
                }
                let places = b[(j + 1).min(b.len())..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .count();
                if b.get(j) == Some(&b'.') && places >= 3 {
                    return true;
                }
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    false
}

/// The captures of every match: the fast search finds the matches, and
/// only those are searched again for their groups (far quicker than
/// `captures_iter` over text that mostly does not match). None at all,
/// without searching, unless `run` (the set found this pattern).
fn captures<'t>(
    re: &'t Regex,
    text: &'t str,
    run: bool,
) -> impl Iterator<Item = regex::Captures<'t>> + 't {
    (run.then(|| re.find_iter(text)).into_iter().flatten())
        .filter_map(move |m| re.captures_at(text, m.start()))
}

fn num(c: &regex::Captures, i: usize) -> f64 {
    c.get(i)
        .and_then(|m| m.as_str().parse().ok())
        .unwrap_or(0.0)
}

fn dms(c: &regex::Captures, d: usize, m: usize, s: usize, hemi: usize) -> Option<f64> {
    let (min, sec) = (num(c, m), num(c, s));
    if min >= 60.0 || sec >= 60.0 {
        return None;
    }
    let v = num(c, d) + min / 60.0 + sec / 3600.0;
    Some(if matches!(c.get(hemi)?.as_str(), "S" | "W") {
        -v
    } else {
        v
    })
}

fn signed(c: &regex::Captures, v: usize, hemi: usize) -> Option<f64> {
    let x: f64 = c.get(v)?.as_str().parse().ok()?;
    Some(if matches!(c.get(hemi)?.as_str(), "S" | "W") {
        -x
    } else {
        x
    })
}

/// An MGRS reference to the centre of its square, via geoconvert.
fn mgrs(s: &str) -> Option<(f64, f64)> {
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let digits = compact
        .chars()
        .skip_while(|c| !c.is_ascii_alphabetic())
        .skip(3)
        .count();
    if digits % 2 != 0 {
        return None;
    }
    let m = geoconvert::Mgrs::parse_str(&compact).ok()?;
    let ll = m.to_latlon();
    Some((ll.latitude(), ll.longitude()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> (f64, f64) {
        let h = find_coordinates(text);
        assert_eq!(h.len(), 1, "{text}: {h:?}");
        (h[0].lat, h[0].lon)
    }

    #[test]
    fn reads_each_format() {
        let close =
            |(a, b): (f64, f64), (c, d): (f64, f64)| (a - c).abs() < 0.01 && (b - d).abs() < 0.01;
        assert!(close(one("at 34°27′N 40°55′E"), (34.45, 40.9167)));
        assert!(close(one("at 34°27'12\"N, 40°55'30\"E"), (34.4533, 40.925)));
        assert!(close(one("grid 34 27 12N 40 55 30E"), (34.4533, 40.925)));
        assert!(close(
            one("الإحداثيات 34.4523, 40.9185 تقريباً"),
            (34.4523, 40.9185)
        ));
        assert!(close(one("34.45N 40.92E"), (34.45, 40.92)));
    }

    #[test]
    fn reads_mgrs_in_the_region() {
        let (lat, lon) = one("strike at 37S FV 12345 67890 reported");
        assert!(
            (33.0..38.0).contains(&lat) && (38.0..42.0).contains(&lon),
            "{lat},{lon}"
        );
    }

    #[test]
    fn ignores_numbers_that_are_not_positions() {
        assert!(find_coordinates("killed 12.5, wounded 3.2; price 1500.250, 2000.125").is_empty());
        assert!(find_coordinates("the 620 km border, 55 km zone").is_empty());
        assert!(find_coordinates("version 10.123, 20.456").is_empty());
    }

    #[test]
    fn offsets_are_chars() {
        let text = "موقع: 34.4523, 40.9185";
        let h = &find_coordinates(text)[0];
        let s: String = text.chars().skip(h.start).take(h.end - h.start).collect();
        assert_eq!(s, "34.4523, 40.9185");
    }

    #[test]
    fn the_prefilter_passes_every_form() {
        for text in [
            "34°27′N 40°55′E",
            "34º27'N 40º55'E",
            "34 27 12N 40 55 30E",
            "34 27 12.5 N 40 55 30 E",
            "34.45N 40.92E",
            "34.45 S 40.92 W",
            "34.4523, 40.9185",
            "37S FV 12345 67890",
            "37 R DV 1234",
        ] {
            assert!(may_hold_coordinate(text), "{text}");
        }
        assert!(!may_hold_coordinate(
            "قتل 12 شخصا في 3 حزيران 2019، و1.5 مليون"
        ));
        assert!(!may_hold_coordinate("12 Syrians: 3 killed"));
    }

    proptest::proptest! {
        /// Whatever the regex set finds, the prefilter lets through.
        #[test]
        fn the_prefilter_never_hides_a_match(
            text in "[0-9 .,°º′'\"NSEWRFVD aq٣]{0,40}"
        ) {
            if patterns().any.is_match(&text) {
                proptest::prop_assert!(may_hold_coordinate(&text), "{}", text);
            }
        }
    }
}
