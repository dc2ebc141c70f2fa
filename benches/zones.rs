//! Point-in-zone lookups per second on one core: the per-epoch R-tree with the
//! banded point test (`bordermap::Banded`) against a
//! naive scan with geo's `contains` over every zone polygon.
//!
//! Run: `cargo bench --bench zones`. Prints the median of 5 rounds.

use std::time::Instant;

use bordermap::ZoneSet;
use chrono::NaiveDate;
use geo::Contains;

fn main() {
    let zs = ZoneSet::bundled().expect("zones");
    let date = NaiveDate::from_ymd_opt(2021, 6, 1).expect("date");
    // Fixed-seed points over the frontier box.
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    let pts: Vec<(f64, f64)> = (0..200_000)
        .map(|_| (38.0 + 6.5 * next(), 32.0 + 5.5 * next()))
        .collect();
    let rate = |f: &dyn Fn(f64, f64) -> Option<usize>, n: usize| {
        let mut rounds: Vec<f64> = (0..5)
            .map(|_| {
                let t = Instant::now();
                let hits = pts[..n].iter().filter(|&&(x, y)| f(x, y).is_some()).count();
                std::hint::black_box(hits);
                n as f64 / t.elapsed().as_secs_f64()
            })
            .collect();
        rounds.sort_by(f64::total_cmp);
        rounds[2]
    };
    let indexed = rate(&|x, y| zs.zone_at(x, y, date), pts.len());
    let naive = rate(
        &|x, y| {
            zs.zones()
                .iter()
                .position(|z| z.in_force(date) && z.geometry.contains(&geo::Point::new(x, y)))
        },
        5_000,
    );
    println!("zones: {}", zs.zones().len());
    println!(
        "indexed (epoch R-tree + banded):  {:>10.0} lookups/s",
        indexed
    );
    println!("naive scan over all zones:     {:>10.0} lookups/s", naive);
    println!("speed-up: {:.1}x", indexed / naive);
}
