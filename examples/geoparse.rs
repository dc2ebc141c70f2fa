//! Geoparse one sentence with the library and print what it found.
//!
//! Run with: `cargo run --example geoparse -- "اشتباكات في البوكمال"`

use bordermap::{Article, Pipeline};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let text = std::env::args().nth(1).unwrap_or_else(|| {
        "أعلنت قوات سوريا الديمقراطية اعتقال ثلاثة عناصر من داعش قرب مخيم الهول في ريف الحسكة الشرقي.".into()
    });
    let pipeline = Pipeline::bundled()?;
    let article = Article {
        id: "example".into(),
        date: chrono::NaiveDate::from_ymd_opt(2022, 3, 14),
        text,
        ..Default::default()
    };
    let result = pipeline.process(&article);
    for m in &result.mentions {
        println!(
            "{:>4}..{:<4} {:<20} → {} ({}, {}) {:.4},{:.4} controller={} conf={:.2}",
            m.start,
            m.end,
            m.surface,
            m.name_en,
            m.kind,
            m.country,
            m.lat,
            m.lon,
            m.controller.as_deref().unwrap_or("-"),
            m.confidence
        );
    }
    for e in &result.events {
        println!(
            "event: {} / {} at {} on {:?} [{}]",
            e.event_type, e.sub_event_type, e.name_en, e.date, e.actors
        );
    }
    Ok(())
}
