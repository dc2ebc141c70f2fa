//! Stage 1 — read: files, folders and records → [`Article`]s.
//!
//! Every input is accounted for: each file found either yields articles or a
//! [`Problem`] that names it (and the line, for a record) and says what to do.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

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
const EXTENSIONS: [&str; 5] = ["txt", "md", "jsonl", "ndjson", "json"];

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
    let ext = input
        .path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if input.rel != "-" && !EXTENSIONS.contains(&ext.as_str()) {
        return outcome_problem(Problem::skip(
            &input.rel,
            format!("unsupported file type `.{ext}`; bordermap reads .txt, .md, .json, .jsonl and .ndjson"),
        ));
    }
    let bytes = match read_bytes(input) {
        Ok(b) => b,
        Err(e) => {
            return outcome_problem(Problem::error(
                &input.rel,
                None,
                format!("cannot read: {e}"),
            ))
        }
    };
    let text = match decode(&bytes) {
        Ok(t) => t,
        Err(reason) => return outcome_problem(Problem::skip(&input.rel, reason)),
    };
    if text.trim().is_empty() {
        return outcome_problem(Problem::skip(&input.rel, "empty file: no text to read"));
    }
    let mut out = match ext.as_str() {
        "jsonl" | "ndjson" => read_jsonl(&input.rel, &text),
        "json" => read_json(&input.rel, &text),
        _ if input.rel == "-" && text.trim_start().starts_with('{') => {
            read_jsonl(&input.rel, &text)
        }
        _ => ReadOutcome {
            articles: vec![read_text(&input.rel, &text)],
            problems: Vec::new(),
        },
    };
    for a in &mut out.articles {
        if a.date.is_none() {
            a.date = default_date;
        }
    }
    out
}

fn outcome_problem(p: Problem) -> ReadOutcome {
    ReadOutcome {
        articles: Vec::new(),
        problems: vec![p],
    }
}

fn read_bytes(input: &Input) -> std::io::Result<Vec<u8>> {
    if input.rel == "-" {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf)?;
        Ok(buf)
    } else {
        std::fs::read(&input.path)
    }
}

/// UTF-8 text with or without BOM; line ends become `\n` so offsets agree
/// with what every other tool reads.
fn decode(bytes: &[u8]) -> Result<String, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.contains(&0) {
        return Err("binary file (contains NUL bytes), not text".into());
    }
    let s = std::str::from_utf8(bytes).map_err(|e| {
        format!(
            "not UTF-8 text (invalid byte at offset {}); convert it to UTF-8",
            e.valid_up_to()
        )
    })?;
    Ok(s.replace("\r\n", "\n").replace('\r', "\n"))
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
