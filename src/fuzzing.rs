//! Entry points for the fuzz targets in `fuzz/` and the property tests:
//! each runs one stage on arbitrary input and checks the invariants that
//! stage promises, panicking (as a fuzzer wants) when one breaks. Not part
//! of the supported API.

use crate::model::Article;
use crate::normalise::Folded;
use crate::pipeline::Pipeline;
use crate::read::{Limits, ReadOutcome, Reader};

/// Limits small enough that a fuzzer's inputs reach them.
pub fn small_limits() -> Limits {
    Limits {
        max_article: 2048,
        max_line: 1024,
    }
}

/// Reads `bytes` the way a whole file named `fuzz.<ext>` is read (decoded,
/// then parsed by type), with `limits` on articles.
pub fn read_whole(ext: &str, bytes: &[u8], limits: Limits) -> ReadOutcome {
    let rel = format!("fuzz.{ext}");
    let job = crate::read::Job::Bytes {
        rel,
        ext: match ext {
            "html" | "htm" => "html",
            "json" => "json",
            "jsonl" | "ndjson" => "jsonl",
            "csv" => "csv",
            "md" => "md",
            _ => "txt",
        },
        bytes: bytes.to_vec(),
    };
    job.run_with(None, limits)
}

/// Reads `bytes` the way a JSONL (`ext` `jsonl`) or CSV (`csv`) file in
/// UTF-8 is streamed, record by record, with `limits`.
pub fn read_streamed(ext: &str, bytes: &[u8], limits: Limits) -> ReadOutcome {
    let mut reader = Reader::from_bytes(&format!("fuzz.{ext}"), ext, bytes.to_vec(), limits);
    let mut out = ReadOutcome::default();
    let mut jobs = 0usize;
    while let Some(job) = reader.next_job() {
        jobs += 1;
        assert!(
            jobs <= bytes.len() + 2,
            "the reader hands out jobs without end"
        );
        let o = job.run_with(None, limits);
        out.articles.extend(o.articles);
        out.problems.extend(o.problems);
    }
    out
}

/// What every reader promises: articles have text, within the limit, and
/// every problem says why.
pub fn check_outcome(out: &ReadOutcome, limits: Limits) {
    for a in &out.articles {
        assert!(!a.text.trim().is_empty(), "an article without text: {a:?}");
        assert!(
            a.text.len() as u64 <= limits.max_article,
            "an article over the limit was kept"
        );
    }
    for p in &out.problems {
        assert!(
            !p.reason.trim().is_empty(),
            "a problem without a reason: {p:?}"
        );
    }
}

/// Reads `bytes` as a file of type `ext`, whole and (JSONL, CSV) streamed,
/// and checks the outcomes; for JSONL, that every line that is not blank is
/// either an article or a problem.
pub fn check_reader(ext: &str, bytes: &[u8]) {
    for limits in [small_limits(), Limits::default()] {
        let whole = read_whole(ext, bytes, limits);
        check_outcome(&whole, limits);
        if matches!(ext, "jsonl" | "csv") {
            let streamed = read_streamed(ext, bytes, limits);
            check_outcome(&streamed, limits);
            if ext == "jsonl" {
                let lines = bytes
                    .split(|&b| b == b'\n')
                    .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
                    .count();
                assert_eq!(
                    streamed.articles.len() + streamed.problems.len(),
                    lines,
                    "a JSONL line was neither read nor reported"
                );
            }
        }
    }
    if matches!(ext, "txt" | "md") {
        if let Ok(text) = std::str::from_utf8(bytes) {
            let a = crate::read::read_text("fuzz.txt", text);
            assert!(
                text.contains(a.text.as_str()),
                "the body is not part of the file"
            );
        }
    }
}

/// The normaliser's promise: the folded text maps back, byte by byte, to
/// chars of the original, in order, and every span of whole folded chars
/// maps to a non-empty span of original chars.
pub fn check_fold(text: &str) {
    let f = Folded::new(text);
    f.check(text);
    let folded = f.as_str();
    assert_eq!(
        crate::normalise::fold(text),
        folded.trim_end_matches(' '),
        "fold and Folded disagree"
    );
    let n = f.original_len();
    let bounds: Vec<usize> = folded
        .char_indices()
        .map(|(i, _)| i)
        .chain([folded.len()])
        .collect();
    for w in bounds.windows(2) {
        let (s, e) = f.original_span(w[0], w[1]);
        assert!(s < e && e <= n, "span {:?} maps to {s}..{e} of {n}", w);
    }
    if !folded.is_empty() {
        let (s, e) = f.original_span(0, folded.len());
        assert!(s <= e && e <= n);
    }
}

/// Dates found lie inside the text, in order, without overlapping.
pub fn check_dates(text: &str) {
    let n = text.chars().count();
    for published in [None, chrono::NaiveDate::from_ymd_opt(2021, 6, 1)] {
        let dates = crate::dates::find_dates(text, published);
        let mut last = 0;
        for d in &dates {
            assert!(
                d.start < d.end && d.end <= n,
                "date at {}..{} of {n}",
                d.start,
                d.end
            );
            assert!(d.start >= last, "dates overlap or are out of order");
            last = d.end;
        }
    }
}

/// Coordinates found lie inside the text, in order, on the globe.
pub fn check_coordinates(text: &str) {
    let n = text.chars().count();
    let mut last = 0;
    for c in crate::coords::find_coordinates(text) {
        assert!(
            c.start < c.end && c.end <= n,
            "coordinate at {}..{} of {n}",
            c.start,
            c.end
        );
        assert!(c.start >= last, "coordinates overlap or are out of order");
        last = c.end;
        assert!(
            c.lat.is_finite() && (-90.0..=90.0).contains(&c.lat),
            "lat {}",
            c.lat
        );
        assert!(
            c.lon.is_finite() && (-180.0..=180.0).contains(&c.lon),
            "lon {}",
            c.lon
        );
    }
}

/// Runs the whole pipeline over `text` and checks that every mention's
/// offsets point at its surface, exactly.
pub fn check_pipeline(p: &Pipeline, text: &str) {
    let chars: Vec<char> = text.chars().collect();
    let check = |start: usize, end: usize, surface: &str| {
        assert!(
            start < end && end <= chars.len(),
            "mention at {start}..{end} of {}",
            chars.len()
        );
        let s: String = chars[start..end].iter().collect();
        assert_eq!(s, surface, "offsets do not point at the surface");
    };
    for m in p.mentions(text) {
        check(m.start, m.end, &m.surface);
    }
    let article = Article {
        id: "fuzz".into(),
        text: text.to_string(),
        date: chrono::NaiveDate::from_ymd_opt(2021, 6, 1),
        ..Default::default()
    };
    let r = p.process(&article);
    for m in &r.mentions {
        check(m.start, m.end, &m.surface);
    }
    let _ = crate::pipeline::geoparse_json(&r);
}
