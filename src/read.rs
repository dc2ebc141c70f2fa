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
    let mut reader = Reader::new(vec![input.clone()]);
    let mut out = ReadOutcome::default();
    while let Some(job) = reader.next_job() {
        let o = job.run(default_date);
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
    /// A whole file, read and parsed when run.
    File(Input),
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
    /// Input bytes this job covers, for progress reports.
    pub fn size(&self) -> u64 {
        match self {
            Job::File(i) => std::fs::metadata(&i.path).map(|m| m.len()).unwrap_or(0),
            Job::Bytes { bytes, .. } | Job::Line { bytes, .. } => bytes.len() as u64 + 1,
            Job::Row { record, .. } => record.as_slice().len() as u64 + record.len() as u64,
            Job::Problem(_) => 0,
        }
    }

    /// Reads and parses this job's articles.
    pub fn run(self, default_date: Option<NaiveDate>) -> ReadOutcome {
        let mut out = match self {
            Job::File(input) => match std::fs::read(&input.path) {
                Ok(bytes) => parse_bytes(&input.rel, &extension(&input), &bytes),
                Err(e) => outcome_problem(Problem::error(
                    &input.rel,
                    None,
                    format!("cannot read: {e}; check its permissions"),
                )),
            },
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
        for a in &mut out.articles {
            if a.date.is_none() {
                a.date = default_date;
            }
        }
        out
    }
}

/// A file being streamed record by record.
enum Stream {
    Lines {
        rel: Arc<str>,
        reader: BufReader<Box<dyn Read + Send>>,
        line: usize,
        stdin: bool,
    },
    Csv {
        rel: Arc<str>,
        reader: Box<csv::Reader<BufReader<Box<dyn Read + Send>>>>,
        columns: Arc<CsvColumns>,
    },
}

/// Turns inputs into [`Job`]s lazily, in order: JSONL files and standard
/// input are read line by line and CSV files row by row, so a file of any
/// size goes through in bounded memory; other files become one job each.
pub struct Reader {
    inputs: std::collections::VecDeque<Input>,
    current: Option<Stream>,
}

/// How much of a streamed file is looked at to check it is UTF-8.
const SNIFF: usize = 64 * 1024;

impl Reader {
    pub fn new(inputs: Vec<Input>) -> Reader {
        Reader {
            inputs: inputs.into(),
            current: None,
        }
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
            }) => reader.buffer().is_empty(),
            _ => false,
        }
    }

    /// The next job, or `None` when every input is done.
    pub fn next_job(&mut self) -> Option<Job> {
        loop {
            if let Some(job) = self.next_streamed() {
                return Some(job);
            }
            let input = self.inputs.pop_front()?;
            if let Some(job) = self.open(input) {
                return Some(job);
            }
        }
    }

    fn next_streamed(&mut self) -> Option<Job> {
        match self.current.as_mut()? {
            Stream::Lines {
                rel, reader, line, ..
            } => loop {
                let mut buf = Vec::new();
                match reader.read_until(b'\n', &mut buf) {
                    Ok(0) => break,
                    Ok(_) => {
                        *line += 1;
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
            } => {
                let mut record = csv::StringRecord::new();
                match reader.read_record(&mut record) {
                    Ok(true) => {
                        let line = record.position().map_or(0, |p| p.line() as usize);
                        return Some(Job::Row {
                            rel: rel.clone(),
                            line,
                            columns: columns.clone(),
                            record,
                        });
                    }
                    Ok(false) => {}
                    Err(e) => {
                        let line = e.position().map(|p| p.line() as usize);
                        let p = Problem::error(
                            rel,
                            line,
                            format!("broken CSV ({e}); the rest of the file was not read"),
                        );
                        self.current = None;
                        return Some(Job::Problem(p));
                    }
                }
            }
        }
        self.current = None;
        None
    }

    /// Starts an input: a job for the whole of it, or a stream (then `None`).
    fn open(&mut self, input: Input) -> Option<Job> {
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
        if !matches!(ext.as_str(), "jsonl" | "ndjson" | "csv") {
            return Some(Job::File(input));
        }
        let file = match std::fs::File::open(&input.path) {
            Ok(f) => f,
            Err(e) => {
                return Some(Job::Problem(Problem::error(
                    &input.rel,
                    None,
                    format!("cannot read: {e}; check its permissions"),
                )))
            }
        };
        let mut reader: BufReader<Box<dyn Read + Send>> =
            BufReader::with_capacity(1 << 20, Box::new(file));
        // Stream only what is plainly UTF-8; other encodings are decoded whole.
        match reader.fill_buf() {
            Ok(head) if is_utf8_head(head) => {}
            _ => return Some(Job::File(input)),
        }
        let rel: Arc<str> = input.rel.as_str().into();
        if ext == "csv" {
            return self.open_csv(rel, reader);
        }
        self.current = Some(Stream::Lines {
            rel,
            reader,
            line: 0,
            stdin: false,
        });
        None
    }

    fn open_csv(
        &mut self,
        rel: Arc<str>,
        mut reader: BufReader<Box<dyn Read + Send>>,
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
                self.current = Some(Stream::Csv {
                    rel,
                    reader: Box::new(csv),
                    columns: Arc::new(columns),
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
            BufReader::with_capacity(1 << 20, Box::new(std::io::stdin()));
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
            });
            return None;
        }
        let mut bytes = Vec::new();
        if let Err(e) = reader.read_to_end(&mut bytes) {
            return Some(Job::Problem(Problem::error(
                "-",
                None,
                format!("cannot read standard input: {e}"),
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
        _ => ReadOutcome {
            articles: vec![read_text(rel, &text)],
            problems: Vec::new(),
        },
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
                format!("not valid JSON ({e}); fix or remove this line"),
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
                format!("not valid JSON ({e}); fix or remove this line"),
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
        Err(e) => out.problems.push(Problem::error(
            rel,
            Some(e.line()),
            format!("not valid JSON ({e})"),
        )),
    }
    out
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

    #[test]
    fn binary_and_bad_utf8_are_refused() {
        assert!(decode(b"ab\0c").is_err());
        assert!(decode(b"\xff\xfe\xfd").is_err());
        assert_eq!(decode(b"\xEF\xBB\xBFa\r\nb").unwrap(), "a\nb");
    }
}
