//! The `bordermap` command: parses arguments, builds a configuration, calls
//! the library, maps errors to exit codes (0 all read, 1 some inputs not
//! read, 2 usage error or nothing written).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

// Every article allocates its folded text, spans, records and feature
// lines from two threads at once; glibc's malloc spent about 15% of a
// batch run's CPU time on that.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

use bordermap::{run_map, MapConfig, Pipeline};
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

/// `eprintln!` that never panics: a closed standard error (the reader of a
/// pipe gone) must not turn a finished run into a crash.
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// Map news about the Iraq–Syria frontier: places, events, zones of control.
#[derive(Parser, Debug)]
#[command(name = "bordermap", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Read articles (files, folders, JSONL, CSV, web pages) and write GeoJSON layers.
    ///
    /// Example: bordermap map examples/articles --out out
    ///
    /// In a pipeline: cat feed.jsonl | bordermap map - --format jsonl > results.jsonl
    Map {
        /// Files or folders to read, or - for standard input; folders are
        /// walked recursively. Reads .txt/.md (optional --- front matter),
        /// .html/.htm, .json, .jsonl/.ndjson and .csv (a `text` column).
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Folder to write the layers into (created if missing); needed
        /// unless --format jsonl.
        #[arg(long, short)]
        out: Option<PathBuf>,
        /// `all`: the GeoJSON layers in --out and, next to them, events.csv,
        /// QGIS styles (.qml), map.html and bordermap.gpkg. `geojson`: the
        /// GeoJSON layers only. `gpkg`: the layers and bordermap.gpkg.
        /// `jsonl`: one JSON result per article on standard output (as
        /// `geoparse` prints, on one line).
        #[arg(long, value_parser = ["all", "geojson", "gpkg", "jsonl"], default_value = "all")]
        format: String,
        /// No progress bar and no summary line (problems are still listed).
        #[arg(long, short)]
        quiet: bool,
        /// Overwrite the layers in an existing, non-empty --out folder.
        #[arg(long)]
        force: bool,
        /// Publication date (YYYY-MM-DD) for articles that carry none.
        #[arg(long, value_parser = parse_date)]
        date: Option<NaiveDate>,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Print one article's text with its place mentions and events as JSON.
    ///
    /// Example: bordermap geoparse --date 2021-05-02 article.txt
    Geoparse {
        /// The article (.txt, .md, .json, .jsonl: first record), or - for stdin.
        file: PathBuf,
        /// Publication date (YYYY-MM-DD) when the input carries none.
        #[arg(long, value_parser = parse_date)]
        date: Option<NaiveDate>,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Look places up in the bundled gazetteer, or export it.
    #[command(subcommand)]
    Gazetteer(GazetteerCmd),
    /// The bundled history of zones of control.
    #[command(subcommand)]
    Zones(ZonesCmd),
    /// Select events from a layer by area, distance, border band, controller,
    /// date, type, actor or article (filters combine with AND).
    ///
    /// Example: bordermap query out --near "Albu Kamal" --radius-km 25
    Query(Box<QueryArgs>),
}

/// `bordermap query`: SOURCE, the filters and the output.
#[derive(Args, Debug)]
struct QueryArgs {
    /// An output folder of `bordermap map` (its events.geojson is read) or an
    /// events.geojson file.
    source: PathBuf,
    /// Inside a gazetteer area (governorate, district, sub-district, region,
    /// country; Arabic or English name, or id) or a bundled zone id.
    #[arg(long, value_name = "NAME|ID")]
    within: Option<String>,
    /// Inside the polygons (unioned) of a GeoJSON file.
    #[arg(long, value_name = "FILE.geojson")]
    within_file: Option<PathBuf>,
    /// Inside a box: west,south,east,north in degrees.
    #[arg(long, value_name = "W,S,E,N", allow_hyphen_values = true)]
    bbox: Option<String>,
    /// Within --radius-km of a town, crossing or base (name or id) or LAT,LON.
    #[arg(long, value_name = "NAME|ID|LAT,LON", requires = "radius_km")]
    near: Option<String>,
    /// Radius for --near, km.
    #[arg(long, value_name = "N", requires = "near", allow_hyphen_values = true)]
    radius_km: Option<f64>,
    /// At most N km from the Iraq–Syria border.
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    border_km: Option<f64>,
    /// With --border-km: only this side of the border (SY or IQ).
    #[arg(long, value_name = "SY|IQ", requires = "border_km")]
    side: Option<String>,
    /// Who controlled the event's point on its date (a code: SDF, IQ_FED, …).
    #[arg(long, value_name = "CODE")]
    controller: Option<String>,
    /// On or after this date (YYYY-MM-DD).
    #[arg(long, value_parser = parse_date)]
    from: Option<NaiveDate>,
    /// On or before this date (YYYY-MM-DD).
    #[arg(long, value_parser = parse_date)]
    to: Option<NaiveDate>,
    /// event_type, case-insensitive (e.g. Battles).
    #[arg(long = "type", value_name = "TYPE")]
    event_type: Option<String>,
    /// sub_event_type, case-insensitive (e.g. Arrests).
    #[arg(long, value_name = "SUB_TYPE")]
    sub_type: Option<String>,
    /// One of the actors contains this, case-insensitive.
    #[arg(long)]
    actor: Option<String>,
    /// Keep events with geo_precision ≤ N (at least as precise): 1 the place
    /// itself, 2 district or "near", 3 all.
    #[arg(long, value_name = "N")]
    min_precision: Option<u8>,
    /// Article id, exact or prefix.
    #[arg(long, value_name = "ID")]
    article: Option<String>,
    /// Print a table of counts (TSV) instead of the features.
    #[arg(long, value_parser = ["admin1", "admin2", "controller", "event_type", "month"])]
    count_by: Option<String>,
    /// Output format.
    #[arg(long, value_parser = ["geojson", "csv", "jsonl"], default_value = "geojson")]
    format: String,
    /// Write to FILE (atomically) instead of stdout.
    #[arg(long, short)]
    out: Option<PathBuf>,
}

/// What the pipeline reads against: the user's own places and zones.
#[derive(Args, Debug, Clone)]
struct DataArgs {
    /// Extra places merged into the bundled gazetteer: a CSV (or TSV) with
    /// the columns of gazetteer/places.tsv (see gazetteer/README.md).
    #[arg(long, value_name = "FILE")]
    gazetteer_extra: Option<PathBuf>,
    /// Zones of control (GeoJSON, properties as zones.geojson) used on top of
    /// the bundled history: where they cover a point on a date, they decide.
    #[arg(long, value_name = "FILE.geojson")]
    zones: Option<PathBuf>,
    /// Use only the --zones file, not the bundled history.
    #[arg(long, requires = "zones")]
    zones_replace: bool,
    /// Keep places anywhere (`all`, marked with in_region) or only in the
    /// frontier region, lon 38–44.5, lat 32–37.5 (`frontier`).
    #[arg(long, value_enum, default_value_t = RegionArg::All)]
    region: RegionArg,
    /// The largest article read, in MB (10^6 bytes); larger ones, and
    /// larger files read whole, are listed in the report as skipped. A
    /// JSONL line or CSV row may be four times as long.
    #[arg(long, value_name = "MB", default_value_t = bordermap::DEFAULT_MAX_ARTICLE_MB, value_parser = parse_mb)]
    max_article_mb: f64,
}

fn parse_mb(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(mb) if mb.is_finite() && mb > 0.0 && mb <= 1e6 => Ok(mb),
        _ => Err(format!(
            "`{s}` is not a size; write a number of megabytes above 0, e.g. 25"
        )),
    }
}

#[derive(ValueEnum, Debug, Clone, Copy)]
enum RegionArg {
    All,
    Frontier,
}

impl DataArgs {
    fn limits(&self) -> bordermap::Limits {
        bordermap::Limits::with_article_mb(self.max_article_mb)
    }

    fn pipeline(&self) -> anyhow::Result<Pipeline> {
        let opts = bordermap::Options {
            gazetteer_extra: self.gazetteer_extra.clone(),
            zones: self.zones.clone(),
            replace_zones: self.zones_replace,
            region: match self.region {
                RegionArg::All => bordermap::Region::All,
                RegionArg::Frontier => bordermap::Region::Frontier,
            },
        };
        Pipeline::with_options(&opts).context("loading the gazetteer and zones")
    }
}

#[derive(Subcommand, Debug)]
enum GazetteerCmd {
    /// List the places a name can mean (Arabic, English or Kurdish, any spelling).
    ///
    /// Example: bordermap gazetteer search "دير الزور"
    Search { name: String },
    /// Show one place in full, by id.
    Show { id: String },
    /// Write the whole gazetteer as GeoJSON or CSV (to stdout, or --out FILE).
    Export {
        #[arg(long, value_parser = ["geojson", "csv"], default_value = "geojson")]
        format: String,
        /// `full` writes areas as their polygons instead of their representative point.
        #[arg(long, value_parser = ["point", "full"], default_value = "point")]
        geometry: String,
        #[arg(long, short)]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
enum ZonesCmd {
    /// The history as a table: id, controller, validity, confidence.
    List,
    /// The zones in force on DATE as GeoJSON (to stdout, or --out FILE).
    At {
        #[arg(value_parser = parse_date)]
        date: NaiveDate,
        #[arg(long, short)]
        out: Option<PathBuf>,
    },
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not a date; write it as YYYY-MM-DD"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Ctrl-C (or a polite kill): remove the temporary files being written and
    // stop. The layers already in place stay as they are: new ones only
    // replace them by a rename once they are complete.
    let _ = ctrlc::set_handler(|| {
        bordermap::remove_temp_files();
        // Not eprintln!: with standard error gone (its reader killed too) it
        // would panic, and this thread would never get to exit.
        let _ = writeln!(
            std::io::stderr(),
            "bordermap: interrupted; the layers in place were left as they were"
        );
        std::process::exit(130);
    });
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            say!("bordermap: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Map {
            inputs,
            out,
            format,
            quiet,
            force,
            date,
            data,
        } => {
            let jsonl = format == "jsonl";
            let Some(out) = out.or_else(|| jsonl.then(PathBuf::new)) else {
                say!("bordermap: map needs --out DIR for the layers (or --format jsonl to write results to standard output)");
                return Ok(ExitCode::from(2));
            };
            let pipeline = data.pipeline()?;
            let cfg = MapConfig {
                inputs,
                out: out.clone(),
                force,
                date,
                progress: !quiet && std::io::stderr().is_terminal(),
                outputs: bordermap::outputs::OutputSet::from_format(&format).unwrap_or_default(),
                limits: data.limits(),
            };
            let report = if jsonl {
                let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
                bordermap::run_stream(&pipeline, &cfg, &mut stdout)?
            } else {
                run_map(&pipeline, &cfg)?
            };
            if !quiet {
                say!(
                    "bordermap: {} inputs, {} articles, {} mentions, {} events, {} skipped, {} errors → {}",
                    report.inputs,
                    report.articles,
                    report.mentions,
                    report.events,
                    report.skipped.len(),
                    report.errors.len(),
                    if jsonl { "standard output".into() } else { out.display().to_string() }
                );
            }
            for p in report.skipped.iter().chain(&report.errors) {
                match p.line {
                    Some(l) => say!("  {}:{l}: {}", p.path, p.reason),
                    None => say!("  {}: {}", p.path, p.reason),
                }
            }
            Ok(if report.is_clean() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Geoparse { file, date, data } => geoparse(file, date, &data),
        Command::Gazetteer(cmd) => gazetteer(cmd),
        Command::Zones(cmd) => zones(cmd),
        Command::Query(args) => query(*args),
    }
}

fn gazetteer(cmd: GazetteerCmd) -> anyhow::Result<ExitCode> {
    let g = bordermap::Gazetteer::bundled()?;
    match cmd {
        GazetteerCmd::Search { name } => {
            let hits = g.lookup(&name);
            if hits.is_empty() {
                say!("bordermap: no place is called `{name}`; try another spelling");
                return Ok(ExitCode::from(1));
            }
            let mut out = std::io::stdout().lock();
            for i in hits {
                let p = g.place(i);
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\t{}\t{:.5},{:.5}",
                    p.id,
                    p.kind.as_str(),
                    p.name_en,
                    p.name_ar,
                    p.country,
                    [&p.admin1, &p.admin2]
                        .iter()
                        .filter_map(|a| a.as_deref())
                        .collect::<Vec<_>>()
                        .join(" / "),
                    p.lat,
                    p.lon
                )?;
            }
        }
        GazetteerCmd::Show { id } => {
            let Some(i) = g.index_of(&id) else {
                anyhow::bail!(
                    "no place has the id `{id}`; find ids with `bordermap gazetteer search NAME`"
                );
            };
            let f = bordermap::gazetteer_features(g, false).nth(i as usize);
            serde_json::to_writer_pretty(std::io::stdout().lock(), &f)?;
            println!();
        }
        GazetteerCmd::Export {
            format,
            geometry,
            out,
        } => {
            let full = geometry == "full";
            emit(out.as_deref(), |w| match format.as_str() {
                "csv" => bordermap::gazetteer_csv(g, w),
                _ => bordermap::collection(w, bordermap::gazetteer_features(g, full)),
            })?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn zones(cmd: ZonesCmd) -> anyhow::Result<ExitCode> {
    let zs = bordermap::ZoneSet::bundled()?;
    match cmd {
        ZonesCmd::List => {
            let mut out = std::io::stdout().lock();
            writeln!(out, "zone_id\tcontroller\tvalid_from\tvalid_to\tconfidence")?;
            for z in zs.zones() {
                let conf = z
                    .properties
                    .get("confidence")
                    .and_then(|v| v.as_str())
                    .unwrap_or("");
                let to = z
                    .valid_to
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "open".into());
                writeln!(
                    out,
                    "{}\t{}\t{}\t{to}\t{conf}",
                    z.zone_id, z.controller, z.valid_from
                )?;
            }
        }
        ZonesCmd::At { date, out } => {
            let features = zs.in_force(date).map(|(_, z)| bordermap::zone_feature(z));
            emit(out.as_deref(), |w| bordermap::collection(w, features))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn query(a: QueryArgs) -> anyhow::Result<ExitCode> {
    let spec = bordermap::QuerySpec {
        within: a.within,
        within_file: a.within_file,
        bbox: a.bbox,
        near: a.near,
        radius_km: a.radius_km,
        border_km: a.border_km,
        side: a.side,
        controller: a.controller,
        from: a.from,
        to: a.to,
        event_type: a.event_type,
        sub_type: a.sub_type,
        actor: a.actor,
        min_precision: a.min_precision,
        article: a.article,
    };
    let g = bordermap::Gazetteer::bundled()?;
    let q = spec.compile(g)?;
    for note in &q.notes {
        say!("bordermap: {note}");
    }
    let layer = bordermap::Layer::open(&a.source)?;
    let selected = layer.select(&q, g);
    say!(
        "bordermap: {} of {} events match",
        selected.len(),
        layer.len()
    );
    let count_by = a.count_by.as_deref().map(|k| match k {
        "admin1" => bordermap::CountBy::Admin1,
        "admin2" => bordermap::CountBy::Admin2,
        "controller" => bordermap::CountBy::Controller,
        "event_type" => bordermap::CountBy::EventType,
        _ => bordermap::CountBy::Month,
    });
    let format = match a.format.as_str() {
        "csv" => bordermap::Format::Csv,
        "jsonl" => bordermap::Format::Jsonl,
        _ => bordermap::Format::Geojson,
    };
    emit(a.out.as_deref(), |w| match count_by {
        Some(key) => bordermap::write_counts(key, &layer.count_by(&selected, key), w),
        None => layer.write(&selected, format, w),
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Writes to a file (atomically) or to stdout.
fn emit(
    out: Option<&std::path::Path>,
    f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    match out {
        Some(path) => bordermap::write_atomic(path, f)?,
        None => {
            let mut lock = std::io::stdout().lock();
            f(&mut lock)?;
        }
    }
    Ok(())
}

fn geoparse(file: PathBuf, date: Option<NaiveDate>, data: &DataArgs) -> anyhow::Result<ExitCode> {
    let rel = if file.as_os_str() == "-" {
        "-".to_string()
    } else {
        file.display().to_string()
    };
    let input = bordermap::Input { path: file, rel };
    let outcome = bordermap::read_input_with(&input, date, data.limits());
    let Some(article) = outcome.articles.into_iter().next() else {
        let reason = outcome
            .problems
            .first()
            .map(|p| p.reason.clone())
            .unwrap_or_else(|| "no article".into());
        anyhow::bail!("{}: {reason}", input.rel);
    };
    let pipeline = data.pipeline()?;
    let result = pipeline.process(&article);
    let json = bordermap::geoparse_json(&result);
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &json)?;
    writeln!(out)?;
    Ok(ExitCode::SUCCESS)
}
