//! Start-up cost: how long until the pipeline is ready, stage by stage.
//!
//! Run: `cargo bench --bench load`. Prints the median of several fresh
//! loads of each part (the bundled data is parsed from the binary each time).
//! The name matcher of the bundled gazetteer is made by `build.rs` and only
//! loaded here; the line below it is the run-time build that a user's places
//! (`--gazetteer-extra`) need.

use std::time::{Duration, Instant};

use bordermap::{Gazetteer, Pipeline, Tagger, ZoneSet};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(f());
                t.elapsed()
            })
            .collect(),
    )
}

fn main() {
    let runs = 7;
    let gaz = time(runs, || Gazetteer::load_bundled().expect("gazetteer"));
    let g = Gazetteer::bundled().expect("gazetteer");
    let areas = time(runs, || {
        let g = Gazetteer::load_bundled().expect("gazetteer");
        g.area(0).is_some()
    })
    .saturating_sub(gaz);
    let tagger = time(runs, || Tagger::new(g).expect("tagger"));
    // What a user's places (--gazetteer-extra) cost: the matcher is built
    // at run time instead of loaded from the one build.rs made.
    let built = time(3, || Tagger::with_blockers(g, &[]).expect("tagger"));
    let zones = time(runs, || ZoneSet::bundled().expect("zones"));
    let whole = time(runs, || Pipeline::bundled().expect("pipeline"));
    let t = Tagger::new(g).expect("tagger");
    println!(
        "gazetteer places ({} rows):      {:>7.1} ms",
        g.places().len(),
        gaz.as_secs_f64() * 1e3
    );
    println!(
        "area polygons (on first use):    {:>7.1} ms",
        areas.as_secs_f64() * 1e3
    );
    println!(
        "name matcher ({} patterns):   {:>7.1} ms",
        t.pattern_count(),
        tagger.as_secs_f64() * 1e3
    );
    println!(
        "  (built at run time instead:    {:>7.1} ms)",
        built.as_secs_f64() * 1e3
    );
    println!(
        "zone history:                    {:>7.1} ms",
        zones.as_secs_f64() * 1e3
    );
    println!(
        "whole pipeline ready:            {:>7.1} ms",
        whole.as_secs_f64() * 1e3
    );
}
