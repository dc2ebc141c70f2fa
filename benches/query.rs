//! `cargo bench --bench query`: load time and query time of `bordermap query`
//! over a synthetic layer of 1,000,000 events.
//!
//! The layer is generated deterministically (a fixed-seed LCG scatters points
//! over the frontier box, lon 38–44.5, lat 32–37.5, with random dates, types
//! and controllers; `border_km`/`border_side` are computed from the bundled
//! border as `map` does). Measured: parsing the GeoJSON and building the
//! R-tree (the String copy given to it included), then the median time of
//! each query's selection over 7 runs (and, apart, of resolving its names):
//! the Deir ez-Zor governorate polygon, 20 km around the Albu Kamal crossing,
//! and the 10 km border band. Target: each query under 100 ms once loaded.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use bordermap::{distance_to_line_km, Gazetteer, Layer, QuerySpec};

const N: usize = 1_000_000;
const RUNS: usize = 7;

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn unit(&mut self) -> f64 {
        self.next() as f64 / (1u64 << 31) as f64
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() as usize) % xs.len()]
    }
}

fn generate(g: &Gazetteer) -> String {
    let types = [
        ("Battles", "Armed clash"),
        ("Explosions/Remote violence", "Air/drone strike"),
        (
            "Explosions/Remote violence",
            "Remote explosive/landmine/IED",
        ),
        ("Violence against civilians", "Attack"),
        ("Strategic developments", "Arrests"),
        ("Protests", "Peaceful protest"),
    ];
    let controllers = [
        "SDF",
        "SY_GOV_ASSAD",
        "IQ_FED",
        "ISIS",
        "KRG",
        "SY_GOV_TRANSITIONAL",
    ];
    let actors = [
        "SDF",
        "ISIS",
        "PMF",
        "Iraqi Army",
        "US-led Coalition",
        "Asayish",
    ];
    let sy = g.index_of("country-sy").and_then(|i| g.area(i));
    let mut rng = Lcg(0x5eed);
    let mut s = String::with_capacity(N * 700);
    s.push_str("{\"type\":\"FeatureCollection\",\"features\":[");
    for i in 0..N {
        let lon = 38.0 + rng.unit() * 6.5;
        let lat = 32.0 + rng.unit() * 5.5;
        let (lon, lat) = ((lon * 1e6).round() / 1e6, (lat * 1e6).round() / 1e6);
        let day = chrono::NaiveDate::from_ymd_opt(2014, 1, 1).unwrap()
            + chrono::Days::new(rng.next() % 4383);
        let (t, st) = types[(rng.next() as usize) % types.len()];
        let c = rng.pick(&controllers);
        let a = format!("{}; {}", rng.pick(&actors), rng.pick(&actors));
        let border_km = (distance_to_line_km((lon, lat), g.border()) * 10.0).round() / 10.0;
        let side = match sy {
            Some(p) if geo::Contains::contains(p, &geo::Point::new(lon, lat)) => "SY",
            _ => "IQ",
        };
        if i > 0 {
            s.push(',');
        }
        let _ = write!(
            s,
            "\n{{\"type\":\"Feature\",\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{lon},{lat}]}},\"properties\":{{\"event_id\":\"ev-{i:016x}\",\"article\":\"bench/{a_id}.txt\",\"date\":\"{day}\",\"date_precision\":\"day\",\"event_type\":\"{t}\",\"sub_event_type\":\"{st}\",\"actors\":\"{a}\",\"place_id\":\"bench-{i}\",\"name_en\":\"Place {i}\",\"name_ar\":\"مكان\",\"kind\":\"town\",\"surface\":\"مكان\",\"geo_precision\":1,\"country\":\"{side}\",\"admin1\":null,\"admin2\":null,\"controller\":\"{c}\",\"controller_name\":null,\"controller_share\":null,\"zone_id\":null,\"border_km\":{border_km:.1},\"border_side\":\"{side}\",\"nearest_crossing\":null,\"text\":\"{t} ({st}) reported near place {i}.\"}}}}",
            a_id = i / 7,
        );
    }
    s.push_str("\n]}\n");
    s
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn main() {
    let g = Gazetteer::bundled().expect("bundled gazetteer");
    let t = Instant::now();
    let text = generate(g);
    println!(
        "generated {N} events ({:.0} MB of GeoJSON) in {:.2?}",
        text.len() as f64 / 1e6,
        t.elapsed()
    );

    let mut loads = Vec::new();
    let mut layer = None;
    for _ in 0..3 {
        let t = Instant::now();
        let l = Layer::from_json(text.clone()).expect("layer parses");
        loads.push(t.elapsed());
        layer = Some(l);
    }
    let layer = layer.expect("loaded");
    println!("load (parse + R-tree), median of 3: {:.2?}", median(loads));

    let queries: [(&str, QuerySpec); 3] = [
        (
            "--within \"Deir ez-Zor\" (governorate polygon)",
            QuerySpec {
                within: Some("Deir ez-Zor".into()),
                ..Default::default()
            },
        ),
        (
            "--near \"Albu Kamal crossing\" --radius-km 20",
            QuerySpec {
                near: Some("Albu Kamal crossing".into()),
                radius_km: Some(20.0),
                ..Default::default()
            },
        ),
        (
            "--border-km 10",
            QuerySpec {
                border_km: Some(10.0),
                ..Default::default()
            },
        ),
    ];
    for (name, spec) in &queries {
        let (mut compile, mut select) = (Vec::new(), Vec::new());
        let mut hits = 0;
        for _ in 0..RUNS {
            let t = Instant::now();
            let q = spec.compile(g).expect("query compiles");
            compile.push(t.elapsed());
            let t = Instant::now();
            hits = layer.select(&q, g).len();
            select.push(t.elapsed());
        }
        let m = median(select);
        println!(
            "{name}: {hits} matches; select median of {RUNS}: {m:.2?}{}; name resolution: {:.2?}",
            if m > Duration::from_millis(100) {
                " (over the 100 ms target)"
            } else {
                ""
            },
            median(compile)
        );
    }
}
