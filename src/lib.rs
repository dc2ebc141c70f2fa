//! # bordermap
//!
//! Turns news articles about the Iraq–Syria frontier (Arabic first, English
//! too) into map layers: every place mentioned, resolved against a gazetteer
//! bundled in the program; every event read from the text, with who did it
//! and when; and whose zone of control each point was in on that date.
//!
//! Data flows one way through stages, one module each:
//!
//! | stage | module | what it does |
//! | --- | --- | --- |
//! | read | `read`, `html` | files, folders, JSONL/CSV records, web pages, in any usual encoding → [`Article`], streamed as [`Job`]s |
//! | normalise | `normalise` | fold text for matching, keep offsets → [`Folded`] |
//! | tag | `tag` | find gazetteer names with clitics and word boundaries → candidate spans |
//! | resolve | `resolve` | choose one place per span, with a confidence → [`Mention`] |
//! | events | `events` | sentences, triggers, actors, dates → [`Event`] |
//! | zones | `zones` | zone of control on the event date, distance to the border |
//! | write | `write` | GeoJSON layers and `report.json`, streamed to temporary files, renamed at the end |
//!
//! [`run_map`] (module `batch`) drives a run: chunks of jobs through the
//! stages in parallel, results in input order, memory bounded by a chunk.
//!
//! [`Pipeline`] ties them together; the `bordermap` binary is a thin layer
//! over it.
//!
//! ```no_run
//! use bordermap::{Article, Pipeline};
//! let pipeline = Pipeline::bundled().unwrap();
//! let article = Article {
//!     id: "a1".into(),
//!     text: "اعتقلت قوات الأمن خمسة أشخاص في البوكمال".into(),
//!     date: chrono::NaiveDate::from_ymd_opt(2021, 6, 1),
//!     ..Default::default()
//! };
//! let result = pipeline.process(&article);
//! assert!(!result.mentions.is_empty());
//! ```

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
#![deny(unsafe_code)]

mod dates;
mod events;
mod model;
mod normalise;

#[doc(hidden)]
pub use dates::find_dates_folded;
pub use dates::{find_dates, DateMention};
pub use events::{
    extract_events, find_actors, find_actors_on, split_sentences, EventLexicon, LexiconError,
};
pub use model::{Article, DatePrecision, Event, Kind, Mention};
pub use normalise::{fold, Folded};
mod batch;
mod coords;
mod error;
#[doc(hidden)]
pub mod fuzzing;
mod gazetteer;
mod geometry;
mod html;
pub mod outputs;
mod pipeline;
mod query;
mod read;
mod resolve;
mod tag;
#[cfg(test)]
mod testing;
mod write;
mod zones;

pub use batch::{run_map, run_stream, MapConfig, CHUNK};
pub use coords::{find_coordinates, CoordHit};
pub use error::{Error, Result};
pub use gazetteer::{Gazetteer, Place};

/// The columns of a gazetteer file (`places.tsv`, `--gazetteer-extra`), in order.
pub fn gazetteer_columns() -> &'static [&'static str] {
    &gazetteer::COLUMNS
}
pub use geometry::{distance_to_line_km, haversine_km, Banded};
pub use pipeline::{
    geoparse_json, in_region, ArticleResult, EventRecord, MentionRecord, Options, Pipeline, Region,
    Scanned,
};
pub use query::{write_counts, CountBy, Format, Layer, Query, QuerySpec};
pub use read::{
    byline_date, discover, parse_date, read_input, read_input_with, CsvColumns, Input, Job, Limits,
    Problem, ReadOutcome, Reader, Severity, DEFAULT_MAX_ARTICLE_MB,
};
pub use resolve::Resolver;
pub use tag::{Span, Tagger};
pub use write::{
    collection, gazetteer_csv, gazetteer_features, overlay_feature, point_feature,
    remove_stale_temp_files, remove_temp_files, write_atomic, write_layers, zone_feature,
    FeatureBlock, FeatureLines, LayerWriter, Report, ReportItem, TEMP_PREFIX,
};
pub use zones::{controller_name, Control, ControlPoint, Overlay, Zone, ZoneSet, CONTROLLERS};
