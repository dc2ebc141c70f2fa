//! Where the time of one article goes, stage by stage, on one thread.
//!
//! Run: `cargo bench --bench stages -- CORPUS.jsonl` (write one with
//! `cargo bench --bench throughput -- --generate /tmp/corpus.jsonl --mb 32`).
//! Each stage is timed over the whole corpus (texts already in memory) and
//! the figures are per MB of text, so they add up to the pipeline's cost.

use std::time::Instant;

use bordermap::{Article, FeatureLines, Folded, Pipeline};

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let path = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .expect("usage: cargo bench --bench stages -- CORPUS.jsonl");
    let pipeline = Pipeline::bundled().expect("pipeline");
    let articles: Vec<Article> = std::fs::read_to_string(&path)
        .expect("corpus")
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("record");
            Article {
                id: v["id"].as_str().unwrap_or("").into(),
                date: v["date"].as_str().and_then(|d| d.parse().ok()),
                text: v["text"].as_str().unwrap_or("").into(),
                ..Default::default()
            }
        })
        .collect();
    let mb = articles.iter().map(|a| a.text.len()).sum::<usize>() as f64 / 1e6;
    let mut rows: Vec<(&str, f64)> = Vec::new();
    // The best of three: the first run also pays for fresh memory pages.
    let mut time = |name: &'static str, f: &mut dyn FnMut()| {
        let best = (0..3)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64()
            })
            .fold(f64::MAX, f64::min);
        rows.push((name, best));
    };
    let mut folded = Vec::new();
    time("fold", &mut || {
        folded = articles.iter().map(|a| Folded::new(&a.text)).collect()
    });
    let mut chars: Vec<Vec<char>> = Vec::new();
    time("chars", &mut || {
        chars = articles.iter().map(|a| a.text.chars().collect()).collect()
    });
    let mut n = 0usize;
    time("dates (on folded)", &mut || {
        n = articles
            .iter()
            .zip(&folded)
            .map(|(a, f)| bordermap::find_dates_folded(&a.text, f, a.date).len())
            .sum()
    });
    time("bare scan", &mut || {
        n = folded
            .iter()
            .map(|f| pipeline.tagger().bare_scan(f.as_str()))
            .sum()
    });
    time("tag", &mut || {
        n = folded
            .iter()
            .zip(&chars)
            .map(|(f, c)| pipeline.tagger().tag(c, f).len())
            .sum()
    });
    time("scan (fold+tag+phrases)", &mut || {
        for a in &articles {
            std::hint::black_box(pipeline.scan(a));
        }
    });
    let mut results = Vec::new();
    time("scan + finish", &mut || {
        results = articles
            .iter()
            .map(|a| pipeline.finish(a, pipeline.scan(a)))
            .collect()
    });
    let mut bytes = 0usize;
    time("features (serialise)", &mut || {
        bytes = results
            .iter()
            .map(|r| {
                let l = FeatureLines::of(r);
                l.mentions.bytes.len() + l.events.bytes.len()
            })
            .sum()
    });
    println!(
        "{} articles, {mb:.1} MB of text, {n} spans, {:.1} MB of features",
        articles.len(),
        bytes as f64 / 1e6
    );
    for (name, s) in rows {
        println!(
            "{name:<28} {:>7.3} s  {:>7.1} MB/s  {:>6.1} ms/MB",
            s,
            mb / s,
            s * 1e3 / mb
        );
    }
}
