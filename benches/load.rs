//! Start-up cost: how long until the pipeline is ready, stage by stage.
//!
//! Run: `cargo bench --bench load`. Prints the median of several fresh
//! loads of each part (the bundled data is parsed from the binary each time).

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
        "zone history:                    {:>7.1} ms",
        zones.as_secs_f64() * 1e3
    );
    println!(
        "whole pipeline ready:            {:>7.1} ms",
        whole.as_secs_f64() * 1e3
    );
}
