//! Stage 1 — read: files, folders and records → [`Article`]s.
//!
//! Every input is accounted for: each file found either yields articles or a
//! [`Problem`] that names it (and the line, for a record) and says what to do.
//!
//! Inputs are read lazily by a [`Reader`] that hands out [`Job`]s in input
//! order: JSONL files, CSV files and standard input one record at a time, so
//! memory stays bounded whatever the size of a file; everything else one
//! file at a time. Parsing happens in [`Job::run`], on any thread.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use chrono::NaiveDate;
use serde_json::Value;

use crate::model::Article;

/// One input file found under the paths given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub path: PathBuf,
    /// The path relative to the folder given (or as given, for a file).
    pub rel: String,
}

/// Whether a problem skipped a whole input or failed part of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// Not an article (unsupported type, empty, binary): nothing was read.
    Skipped,
    /// Meant to be read but broken (bad JSON line, missing text field).
    Error,
}

/// An input, or part of one, that could not be read, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub line: Option<usize>,
    pub reason: String,
    pub severity: Severity,
}

impl Problem {
    fn skip(path: &str, reason: impl Into<String>) -> Problem {
        Problem {
            path: path.to_string(),
            line: None,
            reason: reason.into(),
            severity: Severity::Skipped,
        }
    }
    fn error(path: &str, line: Option<usize>, reason: impl Into<String>) -> Problem {
        Problem {
            path: path.to_string(),
            line,
            reason: reason.into(),
            severity: Severity::Error,
        }
    }
}

/// Bounds on how much one unit of reading (a file read whole, a JSONL
/// line, a CSV row, an article) may take, so that hostile input gives a
/// problem a person can act on instead of unbounded work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest article, and the largest file read whole, in bytes
    /// (`--max-article-mb`, default 10 MB = 10,000,000 bytes).
    pub max_article: u64,
    /// The longest JSONL line or CSV row, in bytes (default four times
    /// `max_article`: JSON escapes make a record longer than its text).
    pub max_line: u64,
}

/// Default for `--max-article-mb`.
pub const DEFAULT_MAX_ARTICLE_MB: f64 = 10.0;

impl Default for Limits {
    fn default() -> Limits {
        Limits::with_article_mb(DEFAULT_MAX_ARTICLE_MB)
    }
}

impl Limits {
    /// The limits for a largest article of `mb` megabytes (10^6 bytes).
    pub fn with_article_mb(mb: f64) -> Limits {
        let max_article = (mb.max(0.0) * 1e6).round().min(u64::MAX as f64 / 8.0) as u64;
        Limits {
            max_article,
            max_line: max_article.saturating_mul(4),
        }
    }
}

/// A size in megabytes (10^6 bytes), as short as it can be written.
fn mb(bytes: u64) -> String {
    let m = bytes as f64 / 1e6;
    let s = if m >= 1.0 {
        format!("{m:.2}")
    } else {
        format!("{m:.6}")
    };
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s} MB")
}

/// "14.2 MB, over the 10 MB limit" (in bytes where megabytes would read the same).
fn over_limit(size: u64, limit: u64) -> String {
    let (a, b) = (mb(size), mb(limit));
    if a == b || limit < 1000 {
        format!("{size} bytes, over the {limit}-byte limit")
    } else {
        format!("{a}, over the {b} limit")
    }
}

/// What reading one input gave.
#[derive(Debug, Default)]
pub struct ReadOutcome {
    pub articles: Vec<Article>,
    pub problems: Vec<Problem>,
}

/// Extensions read as articles.
const EXTENSIONS: [&str; 8] = ["txt", "md", "jsonl", "ndjson", "json", "csv", "html", "htm"];

/// Finds every file under `paths` (folders walked recursively, in sorted
/// order, symlink loops broken). Paths that do not exist are problems.
pub fn discover(paths: &[PathBuf]) -> (Vec<Input>, Vec<Problem>) {
    let mut inputs = Vec::new();
    let mut problems = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            inputs.push(Input {
                path: p.clone(),
                rel: "-".into(),
            });
        } else if p.is_dir() {
            let mut seen = HashSet::new();
            walk(p, p, &mut seen, &mut inputs, &mut problems);
        } else if p.exists() {
            inputs.push(Input {
                path: p.clone(),
                rel: p.display().to_string(),
            });
        } else if let Some(reason) = bad_link(p) {
            problems.push(Problem::skip(&p.display().to_string(), reason));
        } else {
            problems.push(Problem::error(
                &p.display().to_string(),
                None,
                "no such file or folder; check the path",
            ));
        }
    }
    (inputs, problems)
}

/// Why a symbolic link that leads nowhere cannot be read, if `p` is one.
fn bad_link(p: &Path) -> Option<String> {
    let meta = std::fs::symlink_metadata(p).ok()?;
    if !meta.file_type().is_symlink() {
        return None;
    }
    Some(match std::fs::metadata(p) {
        Err(e) if e.raw_os_error() == Some(40) || e.to_string().contains("symbolic links") => {
            "symbolic link loop: the link points back to itself; remove or fix it".into()
        }
        Err(e) => format!("broken symbolic link ({e}); remove or fix it"),
        Ok(_) => return None,
    })
}

fn walk(
    root: &Path,
    dir: &Path,
    seen: &mut HashSet<PathBuf>,
    inputs: &mut Vec<Input>,
    problems: &mut Vec<Problem>,
) {
    let rel = |p: &Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
    match dir.canonicalize() {
        Ok(c) if !seen.insert(c.clone()) => {
            problems.push(Problem::skip(
                &rel(dir),
                "symbolic link loop: this folder was already read",
            ));
            return;
        }
        Err(e) => {
            problems.push(Problem::error(
                &rel(dir),
                None,
                format!("cannot open folder: {e}"),
            ));
            return;
        }
        _ => {}
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            return problems.push(Problem::error(
                &rel(dir),
                None,
                format!("cannot list folder: {e}"),
            ))
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        let ours = p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with(crate::write::TEMP_PREFIX));
        if ours {
            // A temporary file of a bordermap run (an output being written,
            // or left by a run that was killed): never an input.
            continue;
        }
        if p.is_dir() {
            walk(root, &p, seen, inputs, problems);
        } else if let Some(reason) = bad_link(&p) {
            problems.push(Problem::skip(&rel(&p), reason));
        } else {
            inputs.push(Input {
                rel: rel(&p),
                path: p,
            });
        }
    }
}

/// Reads one input into articles. `default_date` is used for articles that
/// carry no date of their own.
pub fn read_input(input: &Input, default_date: Option<NaiveDate>) -> ReadOutcome {
    read_input_with(input, default_date, Limits::default())
}

/// [`read_input`] with explicit [`Limits`].
pub fn read_input_with(
    input: &Input,
    default_date: Option<NaiveDate>,
    limits: Limits,
) -> ReadOutcome {
    let mut reader = Reader::with_limits(vec![input.clone()], limits);
    let mut out = ReadOutcome::default();
    while let Some(job) = reader.next_job() {
        let o = job.run_with(default_date, limits);
        out.articles.extend(o.articles);
        out.problems.extend(o.problems);
    }
    out
}

fn outcome_problem(p: Problem) -> ReadOutcome {
    ReadOutcome {
        articles: Vec::new(),
        problems: vec![p],
    }
}

fn extension(input: &Input) -> String {
    input
        .path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// A shared, cheap-to-clone CSV header row: where each field is.
#[derive(Debug)]
pub struct CsvColumns {
    text: usize,
    id: Option<usize>,
    title: Option<usize>,
    date: Option<usize>,
    url: Option<usize>,
}

/// One unit of reading work, in input order: a whole file, or one record of
/// a file that is streamed (JSONL lines, CSV rows). Jobs are cheap to make
/// on one thread and do their parsing in [`Job::run`], on any thread.
#[derive(Debug)]
pub enum Job {
    /// A whole file, read and parsed when run; `size` is its length when
    /// the run started, to tell a file that changed meanwhile.
    File { input: Input, size: Option<u64> },
    /// A whole input already in memory (standard input); `ext` says how to parse it.
    Bytes {
        rel: String,
        ext: &'static str,
        bytes: Vec<u8>,
    },
    /// One line of a JSONL file.
    Line {
        rel: Arc<str>,
        line: usize,
        bytes: Vec<u8>,
    },
    /// One row of a CSV file.
    Row {
        rel: Arc<str>,
        line: usize,
        columns: Arc<CsvColumns>,
        record: csv::StringRecord,
    },
    /// A problem found while opening or streaming an input.
    Problem(Problem),
}

impl Job {
    /// The input this job reads (as the report names it).
    pub fn rel(&self) -> &str {
        match self {
            Job::File { input, .. } => &input.rel,
            Job::Bytes { rel, .. } => rel,
            Job::Line { rel, .. } | Job::Row { rel, .. } => rel,
            Job::Problem(p) => &p.path,
        }
    }

    /// Input bytes this job covers, for progress reports.
    pub fn size(&self) -> u64 {
        match self {
            Job::File { input, size } => size
                .or_else(|| std::fs::metadata(&input.path).map(|m| m.len()).ok())
                .unwrap_or(0),
            Job::Bytes { bytes, .. } | Job::Line { bytes, .. } => bytes.len() as u64 + 1,
            Job::Row { record, .. } => record.as_slice().len() as u64 + record.len() as u64,
            Job::Problem(_) => 0,
        }
    }

    /// Reads and parses this job's articles, with the default [`Limits`].
    pub fn run(self, default_date: Option<NaiveDate>) -> ReadOutcome {
        self.run_with(default_date, Limits::default())
    }

    /// Reads and parses this job's articles; an article over
    /// `limits.max_article` is listed as skipped, with the reason.
    pub fn run_with(self, default_date: Option<NaiveDate>, limits: Limits) -> ReadOutcome {
        let (rel, line): (String, Option<usize>) = match &self {
            Job::File { input, .. } => (input.rel.clone(), None),
            Job::Bytes { rel, .. } => (rel.clone(), None),
            Job::Line { rel, line, .. } | Job::Row { rel, line, .. } => {
                (rel.to_string(), Some(*line))
            }
            Job::Problem(_) => (String::new(), None),
        };
        let mut out = match self {
            Job::File { input, size } => read_file(&input, size, limits),
            Job::Bytes { rel, ext, bytes } => parse_bytes(&rel, ext, &bytes),
            Job::Line { rel, line, bytes } => jsonl_line(&rel, line, &bytes),
            Job::Row {
                rel,
                line,
                columns,
                record,
            } => {
                let mut out = ReadOutcome::default();
                match csv_record(&rel, line, &columns, &record) {
                    Ok(a) => out.articles.push(a),
                    Err(reason) => out.problems.push(Problem::error(&rel, Some(line), reason)),
                }
                out
            }
            Job::Problem(p) => outcome_problem(p),
        };
        let articles = std::mem::take(&mut out.articles);
        for mut a in articles {
            if a.text.len() as u64 > limits.max_article {
                out.problems.push(oversized(&a, &rel, line, limits));
                continue;
            }
            if a.date.is_none() {
                a.date = byline_date(&a).or(default_date);
            }
            out.articles.push(a);
        }
        out
    }
}

/// The problem for an article longer than the limit, filed under its input.
fn oversized(a: &Article, rel: &str, line: Option<usize>, limits: Limits) -> Problem {
    let default_id = match line {
        Some(l) => format!("{rel}:{l}"),
        None => rel.to_string(),
    };
    let what = if a.id == default_id || a.id == rel {
        "article".to_string()
    } else {
        format!("article `{}`", a.id)
    };
    Problem {
        path: rel.to_string(),
        line,
        reason: format!(
            "{what} is {}; raise --max-article-mb to read it",
            over_limit(a.text.len() as u64, limits.max_article)
        ),
        severity: Severity::Skipped,
    }
}

/// Reads a file whole (at most `limits.max_article` bytes) and parses it.
fn read_file(input: &Input, size: Option<u64>, limits: Limits) -> ReadOutcome {
    let rel = &input.rel;
    let whole = |what: &str| {
        if matches!(extension(input).as_str(), "json") {
            format!("{what}; raise --max-article-mb, or write the records as JSONL (one per line), which is read record by record")
        } else {
            format!("{what}; raise --max-article-mb to read it")
        }
    };
    let bytes = match read_bounded(&input.path, limits.max_article) {
        Ok(Bounded::Whole(bytes)) => bytes,
        Ok(Bounded::Over(n)) => {
            return outcome_problem(Problem::skip(
                rel,
                whole(&format!("file is {}", over_limit(n, limits.max_article))),
            ))
        }
        Err(e) => return outcome_problem(cannot_read(rel, &e)),
    };
    let mut out = parse_bytes(rel, &extension(input), &bytes);
    if let Some(before) = size.filter(|&s| s != bytes.len() as u64) {
        out.problems.push(Problem::error(
            rel,
            None,
            format!(
                "changed while bordermap ran: {before} bytes when the run started, {} when read; what was read is in the layers, run again once the file is complete",
                bytes.len()
            ),
        ));
    }
    out
}

/// A file read whole, or how long it is when over the limit.
enum Bounded {
    Whole(Vec<u8>),
    Over(u64),
}

/// Reads at most `max` bytes of a regular file.
fn read_bounded(path: &Path, max: u64) -> std::io::Result<Bounded> {
    let file = std::fs::File::open(path)?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if len > max {
        return Ok(Bounded::Over(len));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        // Grew past the limit since it was measured: say how big it is now.
        let now = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        return Ok(Bounded::Over(now.max(bytes.len() as u64)));
    }
    Ok(Bounded::Whole(bytes))
}

/// The problem for a file that could not be opened or read.
fn cannot_read(rel: &str, e: &std::io::Error) -> Problem {
    let reason = if e.kind() == std::io::ErrorKind::NotFound {
        "disappeared after the run started (moved or deleted while bordermap ran); run again to include it".to_string()
    } else {
        format!("cannot read: {e}; check its permissions")
    };
    Problem::error(rel, None, reason)
}

/// A file being streamed record by record.
enum Stream {
    Lines {
        rel: Arc<str>,
        reader: BufReader<Box<dyn Read + Send>>,
        line: usize,
        stdin: bool,
        /// The file and its length when the run started, to tell growth.
        origin: Option<(PathBuf, u64)>,
        /// Bytes read so far.
        read: u64,
    },
    Csv {
        rel: Arc<str>,
        reader: Box<csv::Reader<BufReader<Box<dyn Read + Send>>>>,
        columns: Arc<CsvColumns>,
        /// Bytes pulled from the file since the last complete row.
        pulled: Arc<AtomicU64>,
        /// The line the last complete row started on.
        line: usize,
        origin: Option<(PathBuf, u64)>,
    },
}

/// Turns inputs into [`Job`]s lazily, in order: JSONL files and standard
/// input are read line by line and CSV files row by row, so a file of any
/// size goes through in bounded memory; other files become one job each.
pub struct Reader {
    inputs: std::collections::VecDeque<(Input, Option<u64>)>,
    current: Option<Stream>,
    /// A job found while starting a stream, handed out next.
    pending: Option<Job>,
    limits: Limits,
}

/// How much of a streamed file is looked at to check it is UTF-8.
const SNIFF: usize = 64 * 1024;

impl Reader {
    /// A reader with the default [`Limits`].
    pub fn new(inputs: Vec<Input>) -> Reader {
        Reader::with_limits(inputs, Limits::default())
    }

    /// A reader that holds every unit of work to `limits`. The length of
    /// every input is noted now, so that a file that changes during the
    /// run is reported.
    pub fn with_limits(inputs: Vec<Input>, limits: Limits) -> Reader {
        let inputs = inputs
            .into_iter()
            .map(|i| {
                let size = std::fs::metadata(&i.path)
                    .ok()
                    .filter(|m| m.is_file() && i.rel != "-")
                    .map(|m| m.len());
                (i, size)
            })
            .collect();
        Reader {
            inputs,
            current: None,
            pending: None,
            limits,
        }
    }

    /// A reader over bytes already in hand, parsed as a file with extension
    /// `ext` would be (JSONL and CSV streamed record by record); for tests
    /// and fuzzing.
    pub fn from_bytes(rel: &str, ext: &str, bytes: Vec<u8>, limits: Limits) -> Reader {
        let mut r = Reader {
            inputs: Default::default(),
            current: None,
            pending: None,
            limits,
        };
        let rel: Arc<str> = rel.into();
        let pulled = Arc::new(AtomicU64::new(0));
        let reader: BufReader<Box<dyn Read + Send>> = BufReader::new(Box::new(Metered {
            inner: std::io::Cursor::new(bytes),
            pulled: pulled.clone(),
            max: limits.max_line.saturating_add(8192 * 2),
        }));
        match ext {
            "csv" => r.pending = r.open_csv_metered(rel, reader, None, pulled),
            _ => {
                r.current = Some(Stream::Lines {
                    rel,
                    reader,
                    line: 0,
                    stdin: false,
                    origin: None,
                    read: 0,
                })
            }
        }
        r
    }

    /// True when the next job would wait on standard input: callers that
    /// batch jobs should hand over what they have first, so a pipeline that
    /// sends one record and waits for its answer is not left hanging.
    pub fn would_block(&self) -> bool {
        match &self.current {
            Some(Stream::Lines {
                stdin: true,
                reader,
                ..
            }) => self.pending.is_none() && reader.buffer().is_empty(),
            _ => false,
        }
    }

    /// The next job, or `None` when every input is done.
    pub fn next_job(&mut self) -> Option<Job> {
        loop {
            if let Some(job) = self.pending.take() {
                return Some(job);
            }
            if let Some(job) = self.next_streamed() {
                return Some(job);
            }
            let (input, size) = self.inputs.pop_front()?;
            if let Some(job) = self.open(input, size) {
                return Some(job);
            }
        }
    }

    fn next_streamed(&mut self) -> Option<Job> {
        let max_line = self.limits.max_line;
        let job = match self.current.as_mut()? {
            Stream::Lines {
                rel,
                reader,
                line,
                origin,
                read,
                ..
            } => loop {
                let mut buf = Vec::new();
                match read_line_bounded(reader, &mut buf, max_line) {
                    Ok(0) => break changed_at_end(rel, origin.as_ref(), *read, *line),
                    Ok(n) => {
                        *line += 1;
                        *read += n as u64;
                        if n > buf.len() {
                            return Some(Job::Problem(Problem::error(
                                rel,
                                Some(*line),
                                format!(
                                    "line is {} (the longest line read is four times --max-article-mb); this record was not read, split it or raise --max-article-mb",
                                    over_limit(n as u64, max_line)
                                ),
                            )));
                        }
                        if buf.iter().all(u8::is_ascii_whitespace) {
                            continue;
                        }
                        return Some(Job::Line {
                            rel: rel.clone(),
                            line: *line,
                            bytes: buf,
                        });
                    }
                    Err(e) => {
                        let p = Problem::error(
                            rel,
                            Some(*line + 1),
                            format!("cannot read further: {e}"),
                        );
                        self.current = None;
                        return Some(Job::Problem(p));
                    }
                }
            },
            Stream::Csv {
                rel,
                reader,
                columns,
                pulled,
                line,
                origin,
            } => {
                let mut record = csv::StringRecord::new();
                match reader.read_record(&mut record) {
                    Ok(true) => {
                        pulled.store(0, Ordering::Relaxed);
                        *line = record.position().map_or(0, |p| p.line() as usize);
                        return Some(Job::Row {
                            rel: rel.clone(),
                            line: *line,
                            columns: columns.clone(),
                            record,
                        });
                    }
                    Ok(false) => {
                        let read = reader.position().byte();
                        changed_at_end(rel, origin.as_ref(), read, *line)
                    }
                    Err(e) => {
                        let too_long = matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::FileTooLarge);
                        let p = if too_long {
                            Problem::error(
                                rel,
                                Some(*line + 1),
                                format!(
                                    "the row after line {} is longer than {} (four times --max-article-mb); it and the rest of the file were not read: look for an unclosed quote, or raise --max-article-mb",
                                    *line,
                                    mb(max_line)
                                ),
                            )
                        } else {
                            let at = e.position().map(|p| p.line() as usize);
                            Problem::error(
                                rel,
                                at,
                                format!("broken CSV ({e}); the rest of the file was not read"),
                            )
                        };
                        self.current = None;
                        return Some(Job::Problem(p));
                    }
                }
            }
        };
        self.current = None;
        job
    }

    /// Starts an input: a job for the whole of it, or a stream (then `None`).
    fn open(&mut self, input: Input, size: Option<u64>) -> Option<Job> {
        let ext = extension(&input);
        if input.rel == "-" {
            return self.open_stdin();
        }
        if !EXTENSIONS.contains(&ext.as_str()) {
            return Some(Job::Problem(Problem::skip(
                &input.rel,
                format!(
                    "unsupported file type `.{ext}`; bordermap reads .txt, .md, .html, .htm, .json, .jsonl, .ndjson and .csv"
                ),
            )));
        }
        match std::fs::metadata(&input.path) {
            Err(e) => return Some(Job::Problem(cannot_read(&input.rel, &e))),
            Ok(m) if !m.is_file() => return Some(Job::Problem(Problem::skip(
                &input.rel,
                "not a regular file (a named pipe, socket or device); bordermap reads only files",
            ))),
            Ok(_) => {}
        }
        if !matches!(ext.as_str(), "jsonl" | "ndjson" | "csv") {
            return Some(Job::File { input, size });
        }
        let file = match std::fs::File::open(&input.path) {
            Ok(f) => f,
            Err(e) => return Some(Job::Problem(cannot_read(&input.rel, &e))),
        };
        let pulled = Arc::new(AtomicU64::new(0));
        let source: Box<dyn Read + Send> = if ext == "csv" {
            Box::new(Metered {
                inner: file,
                pulled: pulled.clone(),
                // The buffers read ahead of the row being parsed.
                max: self
                    .limits
                    .max_line
                    .saturating_add(READ_BUFFER as u64 + 8192),
            })
        } else {
            Box::new(file)
        };
        let mut reader: BufReader<Box<dyn Read + Send>> =
            BufReader::with_capacity(READ_BUFFER, source);
        // Stream only what is plainly UTF-8; other encodings are decoded whole.
        match reader.fill_buf() {
            Ok(head) if is_utf8_head(head) => {}
            _ => return Some(Job::File { input, size }),
        }
        let rel: Arc<str> = input.rel.as_str().into();
        let origin = size.map(|s| (input.path.clone(), s));
        if ext == "csv" {
            return self.open_csv_metered(rel, reader, origin, pulled);
        }
        self.current = Some(Stream::Lines {
            rel,
            reader,
            line: 0,
            stdin: false,
            origin,
            read: 0,
        });
        None
    }

    fn open_csv_metered(
        &mut self,
        rel: Arc<str>,
        mut reader: BufReader<Box<dyn Read + Send>>,
        origin: Option<(PathBuf, u64)>,
        pulled: Arc<AtomicU64>,
    ) -> Option<Job> {
        if reader
            .fill_buf()
            .is_ok_and(|b| b.starts_with(b"\xEF\xBB\xBF"))
        {
            reader.consume(3);
        }
        let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
        match csv.headers().map(csv_columns) {
            Ok(Ok(columns)) => {
                pulled.store(0, Ordering::Relaxed);
                self.current = Some(Stream::Csv {
                    rel,
                    reader: Box::new(csv),
                    columns: Arc::new(columns),
                    pulled,
                    line: 1,
                    origin,
                });
                None
            }
            Ok(Err(reason)) => Some(Job::Problem(Problem::error(&rel, Some(1), reason))),
            Err(e) => Some(Job::Problem(Problem::error(
                &rel,
                Some(1),
                format!("cannot read the CSV header ({e})"),
            ))),
        }
    }

    fn open_stdin(&mut self) -> Option<Job> {
        let mut reader: BufReader<Box<dyn Read + Send>> =
            BufReader::with_capacity(READ_BUFFER, Box::new(std::io::stdin()));
        let first = loop {
            match reader.fill_buf() {
                Ok([]) | Err(_) => break None,
                Ok(buf) => match buf.iter().position(|b| !b.is_ascii_whitespace()) {
                    Some(i) => break Some(buf[i]),
                    None => {
                        let n = buf.len();
                        reader.consume(n);
                    }
                },
            }
        };
        if first == Some(b'{') {
            self.current = Some(Stream::Lines {
                rel: "-".into(),
                reader,
                line: 0,
                stdin: true,
                origin: None,
                read: 0,
            });
            return None;
        }
        let mut bytes = Vec::new();
        let max = self.limits.max_article;
        if let Err(e) = reader
            .by_ref()
            .take(max.saturating_add(1))
            .read_to_end(&mut bytes)
        {
            return Some(Job::Problem(Problem::error(
                "-",
                None,
                format!("cannot read standard input: {e}"),
            )));
        }
        if bytes.len() as u64 > max {
            return Some(Job::Problem(Problem::skip(
                "-",
                format!(
                    "standard input is over the {} limit for one article (the rest was not read); raise --max-article-mb, or send records as JSONL, one per line",
                    mb(max)
                ),
            )));
        }
        let ext = match first {
            Some(b'<') => "html",
            Some(b'[') => "json",
            _ => "txt",
        };
        Some(Job::Bytes {
            rel: "-".into(),
            ext,
            bytes,
        })
    }
}

/// Buffer size for streamed files.
const READ_BUFFER: usize = 1 << 20;

/// Reads one line (through `\n`) into `buf`, keeping at most `max` bytes of
/// it; the rest of a longer line is read and dropped. Returns the bytes the
/// line took in the input (0 at the end).
fn read_line_bounded(r: &mut impl BufRead, buf: &mut Vec<u8>, max: u64) -> std::io::Result<usize> {
    let mut total = 0usize;
    loop {
        let available = match r.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(total);
        }
        let (take, done) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (available.len(), false),
        };
        let room = (max as usize).saturating_sub(buf.len());
        buf.extend_from_slice(&available[..take.min(room)]);
        r.consume(take);
        total += take;
        if done {
            return Ok(total);
        }
    }
}

/// The problem for a streamed file whose length at the end differs from
/// its length when the run started.
fn changed_at_end(
    rel: &str,
    origin: Option<&(PathBuf, u64)>,
    read: u64,
    line: usize,
) -> Option<Job> {
    let (path, before) = origin?;
    let now = std::fs::metadata(path).map(|m| m.len()).ok();
    if read == *before && now == Some(*before) {
        return None;
    }
    let now = match now {
        Some(n) => format!("{n} bytes now"),
        None => "gone now".to_string(),
    };
    Some(Job::Problem(Problem::error(
        rel,
        None,
        format!(
            "changed while bordermap ran: {before} bytes when the run started, {read} read through line {line}, {now}; run again once the file is complete"
        ),
    )))
}

/// A reader that counts the bytes pulled through it and fails with
/// `FileTooLarge` once more than `max` were pulled since the count was last
/// reset (after each complete CSV row), so an unclosed quote cannot make one
/// row swallow a whole file.
struct Metered<R> {
    inner: R,
    pulled: Arc<AtomicU64>,
    max: u64,
}

impl<R: Read> Read for Metered<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.pulled.load(Ordering::Relaxed) > self.max {
            return Err(std::io::Error::new(
                std::io::ErrorKind::FileTooLarge,
                "row too long",
            ));
        }
        let n = self.inner.read(buf)?;
        self.pulled.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// True when the start of a file is UTF-8 text (a character cut at the end
/// of the buffer is fine) with no NUL bytes.
fn is_utf8_head(head: &[u8]) -> bool {
    let head = &head[..head.len().min(SNIFF)];
    if head.is_empty() || head.contains(&0) {
        return false;
    }
    match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && head.len() - e.valid_up_to() < 4,
    }
}

/// Parses one whole input by its type.
fn parse_bytes(rel: &str, ext: &str, bytes: &[u8]) -> ReadOutcome {
    let text = match decode(bytes) {
        Ok(t) => t,
        Err(reason) => return outcome_problem(Problem::skip(rel, reason)),
    };
    if text.trim().is_empty() {
        return outcome_problem(Problem::skip(rel, "empty file: no text to read"));
    }
    match ext {
        "jsonl" | "ndjson" => read_jsonl(rel, &text),
        "json" => read_json(rel, &text),
        "csv" => read_csv(rel, &text),
        "html" | "htm" => match crate::html::read_html(rel, &text) {
            Ok(a) => ReadOutcome {
                articles: vec![a],
                problems: Vec::new(),
            },
            Err(reason) => outcome_problem(Problem::skip(rel, reason)),
        },
        _ if rel == "-" && text.trim_start().starts_with('{') => read_jsonl(rel, &text),
        _ => {
            let a = read_text(rel, &text);
            if a.text.trim().is_empty() {
                return outcome_problem(Problem::skip(
                    rel,
                    "front matter but no article text below it",
                ));
            }
            ReadOutcome {
                articles: vec![a],
                problems: Vec::new(),
            }
        }
    }
}

/// Text in UTF-8 (with or without BOM), UTF-16 with BOM, or a legacy
/// single-byte encoding such as windows-1256 (guessed with chardetng); line
/// ends become `\n` so offsets agree with what every other tool reads.
fn decode(bytes: &[u8]) -> Result<String, String> {
    let text = if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, bad) = enc.decode_without_bom_handling(&bytes[bom..]);
        if bad {
            return Err(format!(
                "starts with a {} byte-order mark but is not valid {} text; convert it to UTF-8",
                enc.name(),
                enc.name()
            ));
        }
        text.into_owned()
    } else if let Some(reason) = binary(bytes) {
        return Err(reason);
    } else if let Ok(s) = std::str::from_utf8(bytes) {
        s.to_string()
    } else {
        let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        detector.feed(bytes, true);
        let enc = detector.guess(None, chardetng::Utf8Detection::Deny);
        let (text, bad) = enc.decode_without_bom_handling(bytes);
        if bad {
            return Err(format!(
                "not UTF-8 text, and no known encoding fits (closest guess {}); convert it to UTF-8",
                enc.name()
            ));
        }
        text.into_owned()
    };
    if text.contains('\0') {
        return Err("binary file (contains NUL characters), not text".into());
    }
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    })
}

/// Why bytes look like a binary file rather than text, if they do: NUL
/// bytes, or many control characters in the first 8 KB.
fn binary(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return Some("binary file (contains NUL bytes), not text".into());
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b))
        .count();
    (control * 20 > head.len()).then(|| {
        format!(
            "binary file ({control} control bytes in the first {} bytes), not text",
            head.len()
        )
    })
}

/// One JSONL line, as bytes straight from the file.
fn jsonl_line(rel: &str, line: usize, bytes: &[u8]) -> ReadOutcome {
    let mut out = ReadOutcome::default();
    let bytes = if line == 1 {
        bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
    } else {
        bytes
    };
    match std::str::from_utf8(bytes) {
        Ok(s) => match serde_json::from_str::<Value>(s.trim_end()) {
            Ok(v) => push_record(&mut out, rel, Some(line), &v),
            Err(e) => out.problems.push(Problem::error(
                rel,
                Some(line),
                json_reason(&e, "; fix or remove this line"),
            )),
        },
        Err(e) => out.problems.push(Problem::error(
            rel,
            Some(line),
            format!(
                "not UTF-8 text (invalid byte at column {}); convert the file to UTF-8",
                e.valid_up_to() + 1
            ),
        )),
    }
    out
}

/// Where the fields are in a CSV header; the `text` column is required.
fn csv_columns(headers: &csv::StringRecord) -> Result<CsvColumns, String> {
    let find = |names: &[&str]| {
        names.iter().find_map(|n| {
            headers.iter().position(|h| {
                h.trim()
                    .trim_start_matches('\u{feff}')
                    .eq_ignore_ascii_case(n)
            })
        })
    };
    let text = find(&["text", "body", "content"]).ok_or_else(|| {
        let found: Vec<&str> = headers.iter().take(12).collect();
        format!(
            "CSV has no `text` column (nor `body`/`content`); the header has: {}; name the column with the article text `text`",
            found.join(", ")
        )
    })?;
    Ok(CsvColumns {
        text,
        id: find(&["id"]),
        title: find(&["title", "headline"]),
        date: find(&["date", "published", "published_at", "pubdate"]),
        url: find(&["url", "link"]),
    })
}

/// One CSV row as an article.
fn csv_record(
    rel: &str,
    line: usize,
    c: &CsvColumns,
    r: &csv::StringRecord,
) -> Result<Article, String> {
    let get = |i: Option<usize>| {
        i.and_then(|i| r.get(i))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let text = r.get(c.text).unwrap_or("").replace("\r\n", "\n");
    if text.trim().is_empty() {
        return Err("row's `text` is empty".into());
    }
    Ok(Article {
        id: get(c.id).unwrap_or_else(|| format!("{rel}:{line}")),
        title: get(c.title),
        date: get(c.date).and_then(|d| parse_date(&d)),
        url: get(c.url),
        text,
    })
}

/// A CSV file already decoded to text.
fn read_csv(rel: &str, text: &str) -> ReadOutcome {
    let mut out = ReadOutcome::default();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let columns = match reader.headers().map(csv_columns) {
        Ok(Ok(c)) => c,
        Ok(Err(reason)) => return outcome_problem(Problem::error(rel, Some(1), reason)),
        Err(e) => {
            return outcome_problem(Problem::error(
                rel,
                Some(1),
                format!("cannot read the CSV header ({e})"),
            ))
        }
    };
    for r in reader.records() {
        match r {
            Ok(r) => {
                let line = r.position().map_or(0, |p| p.line() as usize);
                match csv_record(rel, line, &columns, &r) {
                    Ok(a) => out.articles.push(a),
                    Err(reason) => out.problems.push(Problem::error(rel, Some(line), reason)),
                }
            }
            Err(e) => {
                out.problems.push(Problem::error(
                    rel,
                    e.position().map(|p| p.line() as usize),
                    format!("broken CSV ({e}); the rest of the file was not read"),
                ));
                break;
            }
        }
    }
    out
}

/// A plain-text article: optional `---` front matter (title, date, url,
/// id), else the first non-empty line is the title.
pub fn read_text(rel: &str, text: &str) -> Article {
    let mut a = Article {
        id: rel.to_string(),
        ..Default::default()
    };
    let body = match front_matter(text) {
        Some((fields, body)) => {
            for (k, v) in fields {
                match k.as_str() {
                    "title" => a.title = Some(v),
                    "date" | "published" | "published_at" => a.date = parse_date(&v),
                    "url" | "link" => a.url = Some(v),
                    "id" => a.id = v,
                    _ => {}
                }
            }
            body
        }
        None => text,
    };
    a.text = body.to_string();
    if a.title.is_none() {
        a.title = a
            .text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .map(str::to_string);
    }
    a
}

/// Splits `---\nkey: value\n---\n` front matter from the body.
fn front_matter(text: &str) -> Option<(Vec<(String, String)>, &str)> {
    let rest = text.strip_prefix("---\n")?;
    let end = rest.find("\n---")?;
    let after = &rest[end + 4..];
    let body = after.split_once('\n').map(|(_, b)| b).unwrap_or("");
    let fields = rest[..end]
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| {
            (
                k.trim().to_ascii_lowercase(),
                v.trim().trim_matches('"').trim_matches('\'').to_string(),
            )
        })
        .collect();
    Some((fields, body.trim_start_matches('\n')))
}

/// Lines at the top of an article where a byline may stand.
const BYLINE_LINES: usize = 6;

/// The publication date an article's text gives at its top, for inputs
/// that carry no date field: a byline line ("الثلاثاء 5 آذار 2019",
/// "Analysis | Published 14 November 2022", "2023-08-09") or the dateline
/// of the first paragraph ("RAMADI, Iraq — March 7, 2023 — …"). Only a
/// full date with its year counts; the title line is skipped (a headline
/// may name the day of something else).
///
/// ```
/// use bordermap::{byline_date, Article};
/// let a = Article {
///     text: "Attack near Baiji\n\nBAGHDAD (AP) — December 8, 2021 — Four soldiers…".into(),
///     title: Some("Attack near Baiji".into()),
///     ..Default::default()
/// };
/// assert_eq!(byline_date(&a), chrono::NaiveDate::from_ymd_opt(2021, 12, 8));
/// ```
pub fn byline_date(a: &Article) -> Option<NaiveDate> {
    let title = a.title.as_deref().map(str::trim);
    let mut lines = a
        .text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .skip_while(|l| Some(*l) == title)
        .take(BYLINE_LINES);
    let is_sep = |c: char| matches!(c, '—' | '–' | '-' | ':' | '|' | ',' | '،' | '/');
    lines.find_map(|line| {
        let short = line.chars().count() <= 80;
        // Only the head of a long line: its dateline.
        let head: String = line.chars().take(120).collect();
        let chars: Vec<char> = head.chars().collect();
        let found = crate::dates::find_dates(&head, None)
            .into_iter()
            .filter(|d| d.precision == crate::model::DatePrecision::Day)
            .find(|d| {
                let before: String = chars[..d.start].iter().collect();
                let after: String = chars[d.end..].iter().collect();
                if short && !line.ends_with(['.', '؟', '?', '!']) {
                    // A byline: the date and a few words (Published, a
                    // weekday, a time, an outlet), not a sentence.
                    let rest = format!("{before} {after}");
                    return rest
                        .split(|c: char| c.is_whitespace() || is_sep(c))
                        .filter(|w| !w.is_empty())
                        .count()
                        <= 4;
                }
                // A dateline: "RAMADI, Iraq — March 7, 2023 — …", not a
                // paragraph opening on a date ("3 August 2014, IS …").
                let (before, after) = (before.trim_end(), after.trim_start());
                d.start <= 50 && before.ends_with(is_sep) && after.starts_with(['—', '–', '-', ':'])
            });
        found.map(|d| d.date).or_else(|| {
            // "2023-08-09", "2023-08-09T10:30:00+03:00" on a line of its own.
            let words: Vec<&str> = line.split_whitespace().collect();
            (short && words.len() <= 4)
                .then(|| words.iter().find_map(|w| parse_date(w)))
                .flatten()
        })
    })
}

/// `YYYY-MM-DD`, or the date part of an ISO 8601 timestamp.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

fn read_jsonl(rel: &str, text: &str) -> ReadOutcome {
    let mut out = ReadOutcome::default();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(line) {
            Ok(v) => push_record(&mut out, rel, Some(n + 1), &v),
            Err(e) => out.problems.push(Problem::error(
                rel,
                Some(n + 1),
                json_reason(&e, "; fix or remove this line"),
            )),
        }
    }
    out
}

fn read_json(rel: &str, text: &str) -> ReadOutcome {
    let mut out = ReadOutcome::default();
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(items)) => {
            for (i, v) in items.iter().enumerate() {
                push_record(&mut out, rel, None, v);
                if let Some(p) = out
                    .problems
                    .last_mut()
                    .filter(|p| p.line.is_none() && p.path == rel)
                {
                    p.reason = format!("record {i}: {}", p.reason);
                }
            }
        }
        Ok(v) => push_record(&mut out, rel, None, &v),
        Err(e) => out
            .problems
            .push(Problem::error(rel, Some(e.line()), json_reason(&e, ""))),
    }
    out
}

/// How deep JSON may nest: serde_json's own limit, which stops a record
/// like `[[[[…]]]]` before it can exhaust the stack.
pub const MAX_JSON_DEPTH: usize = 128;

/// Why a JSON text could not be read, for a person.
fn json_reason(e: &serde_json::Error, what_to_do: &str) -> String {
    if e.to_string().starts_with("recursion limit exceeded") {
        format!(
            "JSON nested more than {MAX_JSON_DEPTH} levels deep (at column {}); a news record needs only a few levels, so this is not one{what_to_do}",
            e.column()
        )
    } else {
        format!("not valid JSON ({e}){what_to_do}")
    }
}

fn push_record(out: &mut ReadOutcome, rel: &str, line: Option<usize>, v: &Value) {
    match record(rel, line, v) {
        Ok(a) => out.articles.push(a),
        Err(reason) => out.problems.push(Problem::error(rel, line, reason)),
    }
}

/// One JSON record; accepts the common field names of news feeds.
fn record(rel: &str, line: Option<usize>, v: &Value) -> Result<Article, String> {
    let obj = v
        .as_object()
        .ok_or("a record must be a JSON object with a `text` field")?;
    let field = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| obj.get(*n).and_then(Value::as_str))
            .map(str::to_string)
    };
    let text = field(&["text", "body", "content"])
        .ok_or("record has no `text` (or `body`/`content`) string field")?
        .replace("\r\n", "\n");
    if text.trim().is_empty() {
        return Err("record's text is empty".into());
    }
    let id = obj
        .get("id")
        .map(|i| {
            i.as_str()
                .map(str::to_string)
                .unwrap_or_else(|| i.to_string())
        })
        .unwrap_or_else(|| match line {
            Some(l) => format!("{rel}:{l}"),
            None => rel.to_string(),
        });
    Ok(Article {
        id,
        title: field(&["title", "headline"]),
        date: field(&["date", "published", "published_at", "pubdate"]).and_then(|d| parse_date(&d)),
        url: field(&["url", "link"]),
        text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byline_or_dateline_dates_an_article_without_a_date_field() {
        let date = |text: &str| {
            let a = read_text("a.txt", text);
            a.date.or_else(|| byline_date(&a))
        };
        let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        // Byline lines under the title, Arabic and English.
        assert_eq!(
            date("عنوان الخبر\n\nبغداد / السومرية نيوز\nالثلاثاء 5 آذار 2019\n\nنص."),
            ymd(2019, 3, 5)
        );
        assert_eq!(
            date("Title\n\nAnalysis | Published 14 November 2022\n\nBody."),
            ymd(2022, 11, 14)
        );
        assert_eq!(
            date("عنوان\n\nالقامشلي – نورث برس\n2023-08-09\n\nنص الخبر."),
            ymd(2023, 8, 9)
        );
        assert_eq!(
            date("Title\n\nSHINGAL, Kurdistan Region — Rudaw\nMay 3, 2022\n\nBody."),
            ymd(2022, 5, 3)
        );
        // The dateline of the first paragraph.
        assert_eq!(
            date("Title\n\nRAMADI, Iraq — March 7, 2023 — Iraq is betting on its western crossings to revive trade in Anbar."),
            ymd(2023, 3, 7)
        );
        // Not a publication date: the title's, a sentence's, a paragraph
        // opening on a date, one without a year, one further down.
        assert_eq!(
            date("Sinjar, 3 August 2014\n\nSurvivors remember the attack."),
            None
        );
        assert_eq!(
            date("Title\n\nOn 3 August 2014, IS stormed Sinjar.\n"),
            None
        );
        assert_eq!(
            date("Title\n\n3 August 2014, IS stormed Sinjar and killed hundreds of Yazidis in the villages around the mountain."),
            None
        );
        assert_eq!(date("Title\n\nالثلاثاء 5 آذار\n\nنص."), None);
        let far = format!("Title\n\n{}May 3, 2022\n", "Line of body text.\n".repeat(8));
        assert_eq!(date(&far), None);
        // Reading applies it, before --date (for articles with neither).
        let run = |text: &str| {
            let job = Job::Bytes {
                rel: "a.txt".into(),
                ext: "txt",
                bytes: text.as_bytes().to_vec(),
            };
            job.run(ymd(2000, 1, 1)).articles[0].date
        };
        assert_eq!(run("T\n\nMay 3, 2022\n\nBody."), ymd(2022, 5, 3));
        assert_eq!(run("T\n\nBody."), ymd(2000, 1, 1));
        // A date field wins over the byline.
        assert_eq!(
            read_text("a.txt", "---\ndate: 2020-01-02\n---\nT\n\nMay 3, 2022\n").date,
            ymd(2020, 1, 2)
        );
    }

    #[test]
    fn front_matter_sets_fields_and_body() {
        let a = read_text("a.txt", "---\ntitle: T\ndate: 2021-05-02\n---\nBody line\n");
        assert_eq!(a.title.as_deref(), Some("T"));
        assert_eq!(a.date, NaiveDate::from_ymd_opt(2021, 5, 2));
        assert_eq!(a.text, "Body line\n");
    }

    #[test]
    fn first_line_is_title_without_front_matter() {
        let a = read_text("a.txt", "\nHeadline\n\nBody");
        assert_eq!(a.title.as_deref(), Some("Headline"));
        assert_eq!(a.text, "\nHeadline\n\nBody");
    }

    #[test]
    fn jsonl_bad_line_is_reported_and_others_kept() {
        let out = read_jsonl("f.jsonl", "{\"text\":\"a\"}\n{bad\n{\"id\":\"x\",\"text\":\"b\",\"date\":\"2020-01-02T10:00:00Z\"}\n");
        assert_eq!(out.articles.len(), 2);
        assert_eq!(out.articles[0].id, "f.jsonl:1");
        assert_eq!(out.articles[1].date, NaiveDate::from_ymd_opt(2020, 1, 2));
        assert_eq!(out.problems.len(), 1);
        assert_eq!(out.problems[0].line, Some(2));
    }

    fn run_all(reader: &mut Reader) -> ReadOutcome {
        let mut out = ReadOutcome::default();
        while let Some(job) = reader.next_job() {
            let o = job.run(None);
            out.articles.extend(o.articles);
            out.problems.extend(o.problems);
        }
        out
    }

    #[test]
    fn file_that_disappears_after_discovery_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "Clashes in Hajin").unwrap();
        std::fs::write(dir.path().join("b.jsonl"), "{\"text\":\"x\"}\n").unwrap();
        let (inputs, problems) = discover(&[dir.path().to_path_buf()]);
        assert_eq!((inputs.len(), problems.len()), (2, 0));
        let mut reader = Reader::new(inputs);
        std::fs::remove_file(dir.path().join("a.txt")).unwrap();
        std::fs::remove_file(dir.path().join("b.jsonl")).unwrap();
        let out = run_all(&mut reader);
        assert!(out.articles.is_empty());
        assert_eq!(out.problems.len(), 2, "{:?}", out.problems);
        for p in &out.problems {
            assert!(
                p.reason.starts_with("disappeared after the run started"),
                "{p:?}"
            );
        }
    }

    #[test]
    fn file_that_grows_during_the_run_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.txt"), dir.path().join("b.jsonl"));
        std::fs::write(&a, "Clashes in Hajin").unwrap();
        std::fs::write(&b, "{\"text\":\"x\"}\n").unwrap();
        let (inputs, _) = discover(&[dir.path().to_path_buf()]);
        let mut reader = Reader::new(inputs);
        let append = |p: &Path, s: &str| {
            use std::io::Write;
            let mut f = std::fs::OpenOptions::new().append(true).open(p).unwrap();
            f.write_all(s.as_bytes()).unwrap();
        };
        append(&a, " and Albu Kamal");
        append(&b, "{\"text\":\"y\"}\n{\"text\":");
        let out = run_all(&mut reader);
        // What was there is read; the change and the cut-off line are reported.
        assert_eq!(out.articles.len(), 3, "{:?}", out.problems);
        let changed: Vec<&Problem> = out
            .problems
            .iter()
            .filter(|p| p.reason.starts_with("changed while bordermap ran"))
            .collect();
        assert_eq!(changed.len(), 2, "{:?}", out.problems);
        assert!(out.problems.iter().any(|p| p.line == Some(3)));
    }

    #[test]
    fn jsonl_line_over_the_limit_is_skipped_and_the_stream_goes_on() {
        let limits = Limits {
            max_article: 100,
            max_line: 40,
        };
        let long = format!("{{\"text\":\"{}\"}}", "x".repeat(100));
        let bytes = format!("{{\"text\":\"a\"}}\n{long}\n{{\"text\":\"b\"}}\n");
        let mut reader = Reader::from_bytes("f.jsonl", "jsonl", bytes.into_bytes(), limits);
        let mut out = ReadOutcome::default();
        while let Some(job) = reader.next_job() {
            let o = job.run_with(None, limits);
            out.articles.extend(o.articles);
            out.problems.extend(o.problems);
        }
        assert_eq!(out.articles.len(), 2);
        assert_eq!(out.problems.len(), 1);
        assert_eq!(out.problems[0].line, Some(2));
        assert!(
            out.problems[0]
                .reason
                .starts_with("line is 112 bytes, over the 40-byte limit"),
            "{:?}",
            out.problems
        );
    }

    #[test]
    fn csv_row_with_an_unclosed_quote_stops_at_the_limit() {
        let limits = Limits {
            max_article: 1000,
            max_line: 4000,
        };
        let mut bytes = b"id,text\n1,\"fine\"\n2,\"never closed\n".to_vec();
        bytes.extend(std::iter::repeat_n(b'x', 100_000));
        let mut reader = Reader::from_bytes("f.csv", "csv", bytes, limits);
        let mut out = ReadOutcome::default();
        while let Some(job) = reader.next_job() {
            let o = job.run_with(None, limits);
            out.articles.extend(o.articles);
            out.problems.extend(o.problems);
        }
        assert_eq!(out.articles.len(), 1);
        assert_eq!(out.problems.len(), 1, "{:?}", out.problems);
        assert!(
            out.problems[0].reason.contains("unclosed quote"),
            "{:?}",
            out.problems
        );
    }

    /// Found by the property test of the readers (`---\n\n---\n`) and by
    /// the `read_text` fuzz target (the last case, in windows-1256, text on
    /// the closing `---` line): front matter and no body was an article
    /// with no text.
    #[test]
    fn text_reader_skips_front_matter_with_no_body() {
        let fuzzed: &[u8] = b"---\ntitle: \"\xd9\x82\xd8\xb5\xd9\x81\"\ndave: 2021-05-02\nurl: ht4p://e.org\xc7id: x1\n---date: 20";
        for bytes in [
            b"---\n\n---\n".as_slice(),
            b"---\ntitle: T\n---\n  \n",
            fuzzed,
        ] {
            let text = String::from_utf8_lossy(bytes);
            let out = parse_bytes("f.md", "md", bytes);
            assert!(out.articles.is_empty(), "{text:?}");
            assert_eq!(out.problems.len(), 1);
            assert!(out.problems[0].reason.contains("no article text"));
        }
    }

    #[test]
    fn binary_and_bad_utf8_are_refused() {
        assert!(decode(b"ab\0c").is_err());
        assert!(decode(b"\xff\xfe\xfd").is_err());
        assert_eq!(decode(b"\xEF\xBB\xBFa\r\nb").unwrap(), "a\nb");
    }
}
