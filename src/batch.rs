//! Runs the pipeline over files and folders and writes the layers.
//!
//! Articles stream through: a [`Reader`] hands out jobs (a file, or one
//! record of a JSONL/CSV file) in input order, chunks of [`CHUNK`] jobs are
//! read and processed in parallel with rayon (results kept in input order),
//! and each chunk's features are written before the next chunk is read. So
//! memory stays bounded by a chunk, whatever the size of the input, and the
//! output is byte-identical whatever the number of threads.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::NaiveDate;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::model::Article;
use crate::pipeline::{geoparse_json, ArticleResult, Pipeline, Scanned};
use crate::read::{discover, Input, Job, Limits, Problem, ReadOutcome, Reader};
use crate::write::{FeatureLines, LayerWriter, Report};

/// Jobs (files or records) read and processed together.
pub const CHUNK: usize = 256;
/// A chunk also ends once its jobs cover this many input bytes.
const CHUNK_BYTES: u64 = 16 << 20;

/// One job's input, its problems and its articles' results, each with its rendering.
type JobDone<T> = (String, Vec<Problem>, Vec<(ArticleResult, T)>);

/// What `bordermap map` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct MapConfig {
    /// Files and folders to read (`-` for standard input).
    pub inputs: Vec<PathBuf>,
    /// Folder the layers go to (unused by [`run_stream`]).
    pub out: PathBuf,
    /// Overwrite the layers of an existing output folder.
    pub force: bool,
    /// Publication date for articles that carry none.
    pub date: Option<NaiveDate>,
    /// Show a progress bar on standard error.
    pub progress: bool,
    /// What `run_map` writes besides the GeoJSON layers (default: everything).
    pub outputs: crate::outputs::OutputSet,
    /// The largest article, file read whole, JSONL line and CSV row.
    pub limits: Limits,
}

/// Reads every input, runs the pipeline over every article (in parallel,
/// output in input order) and writes the layers. Returns the report; an
/// error means nothing was written.
pub fn run_map(pipeline: &Pipeline, cfg: &MapConfig) -> Result<Report> {
    let started = Instant::now();
    check_out_dir(cfg)?;
    let (inputs, mut report) = start(cfg)?;
    let mut writer = LayerWriter::create(&cfg.out)?;
    each_result(
        pipeline,
        cfg,
        inputs,
        &mut report,
        FeatureLines::of,
        |r, lines| writer.add(&r, &lines),
        || Ok(()),
    )?;
    report.elapsed_ms = started.elapsed().as_millis() as u64;
    writer.finish(pipeline, &report)?;
    cfg.outputs.write(&cfg.out)?;
    Ok(report)
}

/// Like [`run_map`], but writes one JSON object per article to `out` (the
/// object `geoparse` prints, on one line), in input order, as results come:
/// for use as a stage in a pipeline. Nothing is written to `cfg.out`.
pub fn run_stream(pipeline: &Pipeline, cfg: &MapConfig, out: &mut dyn Write) -> Result<Report> {
    let started = Instant::now();
    let (inputs, mut report) = start(cfg)?;
    let stdout = std::path::Path::new("<stdout>");
    let line = |r: &ArticleResult| {
        let mut s = serde_json::to_string(&geoparse_json(r)).unwrap_or_default();
        s.push('\n');
        s
    };
    let out = std::cell::RefCell::new(out);
    each_result(
        pipeline,
        cfg,
        inputs,
        &mut report,
        line,
        |_, s| {
            out.borrow_mut()
                .write_all(s.as_bytes())
                .map_err(|e| Error::io(stdout, e))
        },
        || out.borrow_mut().flush().map_err(|e| Error::io(stdout, e)),
    )?;
    report.elapsed_ms = started.elapsed().as_millis() as u64;
    Ok(report)
}

/// Finds the inputs and starts the report; a usage error when none exists.
fn start(cfg: &MapConfig) -> Result<(Vec<Input>, Report)> {
    let (inputs, problems) = discover(&cfg.inputs);
    if inputs.is_empty() && !problems.is_empty() {
        return Err(Error::Usage(format!(
            "{}: {}",
            problems[0].path, problems[0].reason
        )));
    }
    let mut report = Report {
        inputs: inputs.len(),
        ..Default::default()
    };
    problems.iter().for_each(|p| report.add_problem(p));
    Ok((inputs, report))
}

/// The engine: reads jobs in chunks, processes each chunk in parallel,
/// renders every result with `render` (in parallel too) and hands them to
/// `sink` in input order, on this thread while the next chunk is processed;
/// `after_chunk` runs once a chunk is handed over.
fn each_result<T: Send>(
    pipeline: &Pipeline,
    cfg: &MapConfig,
    inputs: Vec<Input>,
    report: &mut Report,
    render: impl Fn(&ArticleResult) -> T + Sync,
    mut sink: impl FnMut(ArticleResult, T) -> Result<()>,
    mut after_chunk: impl FnMut() -> Result<()>,
) -> Result<()> {
    let bar = progress_bar(cfg.progress, &inputs);
    let started = Instant::now();
    let mut reader = Reader::with_limits(inputs, cfg.limits);
    let process = |chunk: Vec<Job>| -> Vec<JobDone<T>> {
        let outcomes: Vec<(String, ReadOutcome)> = chunk
            .into_par_iter()
            .map(|job| (job.rel().to_string(), job.run_with(cfg.date, cfg.limits)))
            .collect();
        // Every article of the chunk is scanned before any is finished:
        // each thread runs the matchers over a run of articles while they
        // are in cache, instead of between the other stages.
        let articles: Vec<&Article> = outcomes.iter().flat_map(|(_, o)| &o.articles).collect();
        let scanned: Vec<Scanned> = articles.par_iter().map(|a| pipeline.scan(a)).collect();
        let mut results = articles
            .into_par_iter()
            .zip(scanned)
            .map(|(a, s)| {
                let r = pipeline.finish(a, s);
                let t = render(&r);
                (r, t)
            })
            .collect::<Vec<_>>()
            .into_iter();
        outcomes
            .into_iter()
            .map(|(rel, o)| {
                let mine = results.by_ref().take(o.articles.len()).collect();
                (rel, o.problems, mine)
            })
            .collect()
    };
    let mut hand_over = |done: Vec<JobDone<T>>, bytes: u64| -> Result<()> {
        for (rel, problems, results) in done {
            problems.iter().for_each(|p| report.add_problem(p));
            if !results.is_empty() && report.read.last() != Some(&rel) {
                report.read.push(rel);
            }
            for (r, t) in results {
                report.articles += 1;
                report.mentions += r.mentions.len();
                report.events += r.events.len();
                sink(r, t)?;
            }
        }
        after_chunk()?;
        bar.inc(bytes);
        let secs = started.elapsed().as_secs_f64().max(1e-3);
        bar.set_message(format!(
            "{} articles ({:.0}/s), {} mentions, {} events, {} problems",
            report.articles,
            report.articles as f64 / secs,
            report.mentions,
            report.events,
            report.skipped.len() + report.errors.len()
        ));
        Ok(())
    };
    // The previous chunk is handed over (its files written) on this thread
    // while the pool processes the next one, so the cores do not wait for
    // the writing.
    let mut pending: Option<(Vec<JobDone<T>>, u64)> = None;
    loop {
        // Standard input has nothing ready: answer what is done before
        // waiting, so a stage in a pipeline is never a record behind.
        if reader.would_block() {
            if let Some((done, bytes)) = pending.take() {
                hand_over(done, bytes)?;
            }
        }
        let (chunk, bytes) = next_chunk(&mut reader);
        if chunk.is_empty() {
            break;
        }
        let done = std::thread::scope(|s| {
            let worker = s.spawn(|| process(chunk));
            let handed = match pending.take() {
                Some((done, bytes)) => hand_over(done, bytes),
                None => Ok(()),
            };
            let done = worker
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            handed.map(|()| done)
        })?;
        pending = Some((done, bytes));
    }
    if let Some((done, bytes)) = pending.take() {
        hand_over(done, bytes)?;
    }
    bar.finish_and_clear();
    Ok(())
}

/// Up to [`CHUNK`] jobs (fewer at the end, or when standard input has no
/// more ready), and the input bytes they cover.
fn next_chunk(reader: &mut Reader) -> (Vec<Job>, u64) {
    let mut chunk = Vec::with_capacity(CHUNK);
    let mut bytes = 0;
    while chunk.len() < CHUNK && bytes < CHUNK_BYTES {
        if !chunk.is_empty() && reader.would_block() {
            break;
        }
        let Some(job) = reader.next_job() else { break };
        bytes += job.size();
        chunk.push(job);
    }
    (chunk, bytes)
}

/// A byte-counting bar on standard error, or a hidden one.
fn progress_bar(show: bool, inputs: &[Input]) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let total: u64 = inputs
        .iter()
        .filter(|i| i.rel != "-")
        .filter_map(|i| std::fs::metadata(&i.path).ok())
        .map(|m| m.len())
        .sum();
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    let template = if inputs.iter().any(|i| i.rel == "-") {
        "{spinner} {elapsed} {bytes} read, {bytes_per_sec} · {msg}"
    } else {
        "{bar:30} {bytes}/{total_bytes} {bytes_per_sec} eta {eta} · {msg}"
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}

fn check_out_dir(cfg: &MapConfig) -> Result<()> {
    if !cfg.force {
        if let Some(folder) = input_folder_holding(&cfg.out, &cfg.inputs) {
            return Err(Error::Usage(format!(
                "--out {} is inside the input folder {}: the layers would be read back as articles on the next run; choose an --out outside it, or pass --force",
                cfg.out.display(),
                folder.display()
            )));
        }
    }
    let non_empty = std::fs::read_dir(&cfg.out)
        .map(|mut d| d.next().is_some())
        .unwrap_or(false);
    if non_empty && !cfg.force {
        return Err(Error::Usage(format!(
            "{} already exists and is not empty; pass --force to overwrite its layers, or choose another --out",
            cfg.out.display()
        )));
    }
    if cfg.out.exists() && !cfg.out.is_dir() {
        return Err(Error::Usage(format!(
            "{} is a file, not a folder; choose another --out",
            cfg.out.display()
        )));
    }
    Ok(())
}

/// The input folder that `out` is, or is inside, if any.
fn input_folder_holding<'a>(out: &Path, inputs: &'a [PathBuf]) -> Option<&'a PathBuf> {
    let out = resolved(out)?;
    inputs
        .iter()
        .filter(|i| i.as_os_str() != "-" && i.is_dir())
        .find(|i| i.canonicalize().is_ok_and(|dir| out.starts_with(dir)))
}

/// `path` made absolute with every symbolic link resolved, also when it
/// does not exist yet (its nearest existing ancestor is resolved).
fn resolved(path: &Path) -> Option<PathBuf> {
    let abs = std::path::absolute(path).ok()?;
    let mut missing = Vec::new();
    let mut cur = abs.as_path();
    loop {
        if let Ok(c) = cur.canonicalize() {
            let mut full = c;
            for part in missing.iter().rev() {
                full.push(part);
            }
            return Some(full);
        }
        missing.push(cur.file_name()?.to_os_string());
        cur = cur.parent()?;
    }
}
