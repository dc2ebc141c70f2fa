//! Runs the pipeline over files and folders and writes the layers.

use std::path::PathBuf;
use std::time::Instant;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::pipeline::{ArticleResult, Pipeline};
use crate::read::{discover, read_input};
use crate::write::{write_layers, Report};

/// What `bordermap map` was asked to do.
#[derive(Debug, Clone)]
pub struct MapConfig {
    /// Files and folders to read (`-` for standard input).
    pub inputs: Vec<PathBuf>,
    /// Folder the layers go to.
    pub out: PathBuf,
    /// Overwrite the layers of an existing output folder.
    pub force: bool,
    /// Publication date for articles that carry none.
    pub date: Option<NaiveDate>,
}

/// Reads every input, runs the pipeline over every article (in parallel,
/// output in input order) and writes the layers. Returns the report; an
/// error means nothing was written.
pub fn run_map(pipeline: &Pipeline, cfg: &MapConfig) -> Result<Report> {
    let started = Instant::now();
    check_out_dir(cfg)?;
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
    let outcomes: Vec<_> = inputs.par_iter().map(|i| read_input(i, cfg.date)).collect();
    let mut articles = Vec::new();
    for o in outcomes {
        o.problems.iter().for_each(|p| report.add_problem(p));
        articles.extend(o.articles);
    }
    let results: Vec<ArticleResult> = articles.par_iter().map(|a| pipeline.process(a)).collect();
    report.articles = results.len();
    report.mentions = results.iter().map(|r| r.mentions.len()).sum();
    report.events = results.iter().map(|r| r.events.len()).sum();
    report.elapsed_ms = started.elapsed().as_millis() as u64;
    write_layers(&cfg.out, &results, pipeline, &report)?;
    crate::outputs::write_extras(&cfg.out)?;
    Ok(report)
}

fn check_out_dir(cfg: &MapConfig) -> Result<()> {
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
