//! End-to-end throughput of `run_map` against a bare scan of the matcher.
//!
//! Builds a deterministic corpus from `examples/articles` (articles mixed
//! and repeated with varied ids and dates) as one JSONL file in a temporary
//! folder, then reports MB/s and articles/s of the whole pipeline
//! (`run_map`, all cores) and of a bare scan of the same texts with the same
//! names (`Tagger::bare_scan` over `Folded::new(text)`, one thread).
//!
//! ```sh
//! cargo bench --bench throughput                 # 64 MB corpus, dates over 14 years
//! BENCH_DATES=84 cargo bench --bench throughput  # only 84 distinct dates
//! BENCH_MB=200 cargo bench --bench throughput    # bigger
//! # only write a corpus (e.g. to measure peak memory with /usr/bin/time -v):
//! cargo bench --bench throughput -- --generate /tmp/corpus.jsonl --mb 1024
//! ```

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use bordermap::{read_input, run_map, Folded, Input, MapConfig, Pipeline};

// The allocator the `bordermap` binary uses, so `run_map` runs as it does there.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The example articles' texts, in a fixed order.
fn example_texts() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/articles");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("examples/articles")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    paths.sort();
    let mut texts = Vec::new();
    for path in paths {
        let rel = path.file_name().unwrap().to_string_lossy().into_owned();
        texts.extend(
            read_input(&Input { path, rel }, None)
                .articles
                .into_iter()
                .map(|a| a.text),
        );
    }
    texts
}

/// Writes at least `mb` MB of JSONL records; returns (bytes, records).
fn generate(path: &Path, mb: u64, days: u64) -> (u64, u64) {
    let texts = example_texts();
    let n = texts.len();
    let mut w = std::io::BufWriter::new(std::fs::File::create(path).expect("corpus file"));
    let (mut bytes, mut i) = (0u64, 0u64);
    while bytes < mb << 20 {
        let k = i as usize;
        // An article, and the first paragraph of another one after it.
        let extra = texts[(k * 7 + 3) % n].split("\n\n").next().unwrap_or("");
        let text = format!("{}\n\n{extra}", texts[k % n]);
        // Dates over 14 years, as in a real multi-year archive (BENCH_DATES
        // distinct days; fewer days make the pipeline's per-date caches hit).
        let date = chrono::NaiveDate::from_ymd_opt(2012, 1, 1)
            .and_then(|d| d.checked_add_days(chrono::Days::new((k as u64 * 37) % days)))
            .map(|d| d.to_string());
        let rec = serde_json::json!({"id": format!("bench-{i:07}"), "date": date, "text": text});
        let line = format!("{rec}\n");
        w.write_all(line.as_bytes()).expect("write corpus");
        bytes += line.len() as u64;
        i += 1;
    }
    w.flush().expect("write corpus");
    (bytes, i)
}

/// CPU seconds used by this process so far (all threads), from
/// `/proc/self/stat` (Linux; 100 ticks a second): the machine may be busy
/// with other work, so the wall clock alone would flatter or wrong us.
fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let rest = s.rsplit_once(')')?.1;
            let f: Vec<&str> = rest.split_whitespace().collect();
            let ticks = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
            Some(ticks / 100.0)
        })
        .unwrap_or(f64::NAN)
}

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn main() {
    let mb: u64 = arg("--mb")
        .or_else(|| std::env::var("BENCH_MB").ok())
        .and_then(|s| s.parse().ok())
        .unwrap_or(64);
    let days: u64 = std::env::var("BENCH_DATES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5113)
        .max(1);
    if let Some(path) = arg("--generate") {
        let (bytes, n) = generate(Path::new(&path), mb, days);
        println!("wrote {path}: {n} records, {:.1} MB", bytes as f64 / 1e6);
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let corpus = tmp.path().join("corpus.jsonl");
    let (bytes, n) = generate(&corpus, mb, days);
    let mb_f = bytes as f64 / 1e6;
    let threads = rayon::current_num_threads();
    println!(
        "corpus: {n} articles, {mb_f:.1} MB (JSONL), dates over {days} days, {threads} threads"
    );

    let t = Instant::now();
    let pipeline = Pipeline::bundled().expect("bundled pipeline");
    println!(
        "pipeline built in {:.2} s (not counted below)",
        t.elapsed().as_secs_f64()
    );

    // The bare scan: texts already in memory, fold + matcher, one thread.
    let texts: Vec<String> = std::fs::read_to_string(&corpus)
        .expect("corpus")
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("record");
            v["text"].as_str().unwrap_or("").to_string()
        })
        .collect();
    let text_mb = texts.iter().map(String::len).sum::<usize>() as f64 / 1e6;
    let mut best_scan = f64::MAX;
    let mut best_match = f64::MAX;
    let mut hits = 0;
    let folded: Vec<Folded> = texts.iter().map(|s| Folded::new(s)).collect();
    for _ in 0..3 {
        // Fold and match one text at a time, as a tagger would.
        let t = Instant::now();
        hits = texts
            .iter()
            .map(|s| pipeline.tagger().bare_scan(Folded::new(s).as_str()))
            .sum::<usize>();
        best_scan = best_scan.min(t.elapsed().as_secs_f64());
        let t = Instant::now();
        let n = folded
            .iter()
            .map(|f| pipeline.tagger().bare_scan(f.as_str()))
            .sum::<usize>();
        best_match = best_match.min(t.elapsed().as_secs_f64());
        assert_eq!(n, hits);
    }
    drop(folded);
    drop(texts);
    println!(
        "bare scan (fold + match, 1 thread): {:.2} s, {:.1} MB/s of text, {hits} raw hits; matcher alone {:.1} MB/s",
        best_scan,
        text_mb / best_scan,
        text_mb / best_match
    );

    // End to end: read, decode, parse, pipeline, write the layers.
    let mut best = f64::MAX;
    let mut best_cpu = f64::MAX;
    let runs: u32 = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2);
    let mut articles = 0;
    for r in 0..runs {
        let cfg = MapConfig {
            inputs: vec![corpus.clone()],
            out: tmp.path().join(format!("out{r}")),
            date: None,
            force: true,
            progress: false,
            outputs: bordermap::outputs::OutputSet::GeoJson,
            ..Default::default()
        };
        let (t, cpu) = (Instant::now(), cpu_seconds());
        let report = run_map(&pipeline, &cfg).expect("run_map");
        best = best.min(t.elapsed().as_secs_f64());
        best_cpu = best_cpu.min(cpu_seconds() - cpu);
        articles = report.articles;
        assert!(report.is_clean(), "{report:?}");
    }
    let e2e = mb_f / best;
    println!(
        "end to end (run_map, {threads} threads): {best:.2} s, {e2e:.1} MB/s, {:.0} articles/s, {:.1} MB/s per core",
        articles as f64 / best,
        e2e / threads as f64
    );
    println!(
        "end to end in CPU time: {best_cpu:.2} s, {:.1} MB/s per core, {:.0} articles/s per core",
        mb_f / best_cpu,
        articles as f64 / best_cpu
    );
    // Both sides over the same texts: the bare scan read `text_mb` of text.
    let per_mb_scan = best_scan / text_mb;
    println!(
        "ratio to the bare scan (time per MB of text): {:.1}x wall clock, {:.1}x CPU",
        best / text_mb / per_mb_scan,
        best_cpu / text_mb / per_mb_scan
    );
}
