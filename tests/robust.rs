//! Hostile input and no lost work (issue 10): limits that give a reason
//! instead of unbounded work, `--out` never inside an input folder,
//! temporary files that are plainly ours, a killed run that leaves the
//! previous layers whole, and property tests of the invariants the fuzz
//! targets in `fuzz/` check (small case counts, for every test run).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use proptest::prelude::*;
use serde_json::Value;

fn bin() -> Command {
    Command::cargo_bin("bordermap").expect("binary built")
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/articles")
}

fn read_json(p: &Path) -> Value {
    let text = std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", p.display()))
}

const ARABIC: &str = "قصف مدفعي على مدينة البوكمال في ريف دير الزور الشرقي قرب الحدود العراقية.\n";

/// The (line, reason) of every problem reported for `path`, skipped or error.
fn reasons(report: &Value, key: &str, path: &str) -> Vec<(Option<u64>, String)> {
    report[key]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter(|i| i["path"] == path)
        .map(|i| {
            (
                i["line"].as_u64(),
                i["reason"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// Our temporary files in `dir`.
fn temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with(bordermap::TEMP_PREFIX))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn out_inside_an_input_folder_is_refused_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("a.txt"), ARABIC).unwrap();
    for out in [input.join("layers"), input.clone(), input.join("x/y")] {
        let o = bin()
            .args(["map", "--quiet"])
            .arg(&input)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{}: {err}", out.display());
        assert!(err.contains("inside the input folder"), "{err}");
        assert!(err.contains("--force"), "{err}");
        assert!(!input.join("layers").exists() && !input.join("x").exists());
    }
    // Through `..` and a relative path, it is the same folder.
    let o = bin()
        .current_dir(dir.path())
        .args(["map", "--quiet", "in", "--out", "in/../in/layers"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    // An --out beside the input is fine; inside it, only with --force.
    bin()
        .args(["map", "--quiet"])
        .arg(&input)
        .arg("--out")
        .arg(dir.path().join("beside"))
        .assert()
        .code(0);
    bin()
        .args(["map", "--quiet", "--force"])
        .arg(&input)
        .arg("--out")
        .arg(input.join("layers"))
        .assert()
        .code(0);
}

#[test]
fn oversized_article_is_skipped_with_a_reason_to_act_on() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("small.txt"), ARABIC).unwrap();
    std::fs::write(input.join("big.txt"), ARABIC.repeat(30)).unwrap();
    let big_record = serde_json::json!({ "id": "r2", "text": ARABIC.repeat(20) });
    std::fs::write(
        input.join("feed.jsonl"),
        format!("{{\"text\":\"{}\"}}\n{big_record}\n", ARABIC.trim()),
    )
    .unwrap();
    let out = dir.path().join("out");
    bin()
        .args(["map", "--quiet", "--max-article-mb", "0.002"])
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1);
    let report = read_json(&out.join("report.json"));
    assert_eq!(report["articles"], 2, "{report}");
    let big = reasons(&report, "skipped", "big.txt");
    assert_eq!(big.len(), 1, "{report}");
    assert!(
        big[0].1.contains("over the 0.002 MB limit") && big[0].1.contains("--max-article-mb"),
        "{big:?}"
    );
    let rec = reasons(&report, "skipped", "feed.jsonl");
    assert_eq!(rec.len(), 1, "{report}");
    assert_eq!(rec[0].0, Some(2));
    assert!(rec[0].1.starts_with("article `r2` is "), "{rec:?}");
    // The default limit reads them all.
    bin()
        .args(["map", "--quiet", "--force"])
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(0);
    // A limit that is not a size is a usage error.
    bin()
        .args(["map", "--max-article-mb", "0"])
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
}

#[test]
fn jsonl_line_over_the_limit_is_reported_with_its_line_and_the_rest_read() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("feed.jsonl");
    let long = "x".repeat(5000);
    std::fs::write(
        &feed,
        format!(
            "{{\"text\":\"{a}\"}}\n{{\"text\":\"{long}\"}}\n{{\"text\":\"{a}\"}}\n",
            a = ARABIC.trim()
        ),
    )
    .unwrap();
    let out = dir.path().join("out");
    // 0.001 MB articles: lines up to 4,000 bytes.
    bin()
        .args(["map", "--quiet", "--max-article-mb", "0.001"])
        .arg(&feed)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1);
    let report = read_json(&out.join("report.json"));
    assert_eq!(report["articles"], 2, "{report}");
    let rel = feed.display().to_string();
    let e = reasons(&report, "errors", &rel);
    assert_eq!(e.len(), 1, "{report}");
    assert_eq!(e[0].0, Some(2));
    assert!(
        e[0].1.starts_with("line is 5013 bytes") || e[0].1.contains("over the"),
        "{e:?}"
    );
}

#[test]
fn json_nested_too_deep_says_so_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    std::fs::write(input.join("deep.json"), &deep).unwrap();
    std::fs::write(
        input.join("feed.jsonl"),
        format!("{{\"text\":\"{}\"}}\n{deep}\n", ARABIC.trim()),
    )
    .unwrap();
    let out = dir.path().join("out");
    bin()
        .args(["map", "--quiet"])
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1);
    let report = read_json(&out.join("report.json"));
    assert_eq!(report["articles"], 1, "{report}");
    for (path, line) in [("deep.json", 1), ("feed.jsonl", 2)] {
        let e = reasons(&report, "errors", path);
        assert_eq!(e.len(), 1, "{report}");
        assert_eq!(e[0].0, Some(line));
        assert!(e[0].1.contains("nested more than 128 levels"), "{e:?}");
    }
}

#[cfg(unix)]
#[test]
fn named_pipe_is_skipped_not_waited_on() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("a.txt"), ARABIC).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(input.join("pipe.txt"))
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        eprintln!("no mkfifo here; skipped");
        return;
    }
    let out = dir.path().join("out");
    bin()
        .args(["map", "--quiet"])
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .timeout(Duration::from_secs(60))
        .assert()
        .code(1);
    let report = read_json(&out.join("report.json"));
    let r = reasons(&report, "skipped", "pipe.txt");
    assert!(r[0].1.contains("not a regular file"), "{report}");
}

#[test]
fn temp_files_of_a_killed_run_are_removed_and_never_read() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("a.txt"), ARABIC).unwrap();
    // Left in the input folder by a run that wrote there with --force.
    std::fs::write(input.join(".bordermap-tmp-999999999-events.geojson"), "{").unwrap();
    std::fs::write(input.join(".bordermap-tmp-999999999-x.txt"), ARABIC).unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    // Left in the output folder by a run that was killed (no such process).
    let stale = out.join(".bordermap-tmp-999999999-mentions.geojson");
    std::fs::write(&stale, "{\"type\":\"FeatureCollection\",\"features\":[").unwrap();
    bin()
        .args(["map", "--quiet", "--force"])
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(0);
    let report = read_json(&out.join("report.json"));
    assert_eq!(report["inputs"], 1, "{report}");
    assert_eq!(report["read"], serde_json::json!(["a.txt"]));
    assert_eq!(temp_files(&out), Vec::<String>::new());
}

#[test]
fn report_lists_the_inputs_read() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("a.txt"), ARABIC).unwrap();
    std::fs::write(input.join("b.txt"), "").unwrap();
    std::fs::write(
        input.join("c.jsonl"),
        format!(
            "{{\"text\":\"{a}\"}}\n{{\"text\":\"{a}\"}}\n",
            a = ARABIC.trim()
        ),
    )
    .unwrap();
    let out = dir.path().join("out");
    bin()
        .args(["map", "--quiet"])
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1);
    let report = read_json(&out.join("report.json"));
    assert_eq!(report["read"], serde_json::json!(["a.txt", "c.jsonl"]));
    assert_eq!(report["articles"], 3);
}

/// Every GeoJSON layer in `dir`: its name and number of features, each
/// layer parsed whole (a cut-short file fails here).
fn layer_counts(dir: &Path) -> Vec<(String, usize)> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".geojson") && !n.starts_with('.'))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|n| {
            let v = read_json(&dir.join(&n));
            assert_eq!(v["type"], "FeatureCollection", "{n}");
            let count = v["features"].as_array().map_or(0, Vec::len);
            (n, count)
        })
        .collect()
}

/// A JSONL feed of `n` short articles, big enough that a debug build takes
/// several seconds over it.
fn big_feed(path: &Path, n: usize) {
    let places = ["البوكمال", "هجين", "الحسكة", "القائم", "الشدادي", "الباغوز"];
    let mut w = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for i in 0..n {
        let p = places[i % places.len()];
        let text = format!(
            "قصف مدفعي على بلدة {p} في ريف دير الزور الشرقي صباح اليوم، واعتقلت قوات الأمن {i} أشخاص قرب الحدود العراقية. Clashes near {p} on the border."
        );
        writeln!(
            w,
            "{}",
            serde_json::json!({"id": format!("big-{i}"), "text": text, "date": "2021-06-01"})
        )
        .unwrap();
    }
}

/// Starts `map` over `input` into `out` (with --force), and kills it
/// (SIGKILL, or SIGINT when `interrupt`) once it has written a chunk of
/// features to its temporary mentions file: halfway through.
fn start_and_stop(input: &Path, out: &Path, interrupt: bool) -> std::process::ExitStatus {
    let exe = assert_cmd::cargo::cargo_bin("bordermap");
    let mut child = std::process::Command::new(exe)
        .args(["map", "--quiet", "--force", "--format", "geojson"])
        .arg(input)
        .arg("--out")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Standard error closed at the other end, as when whoever read it was
    // killed too: the interrupt handler printed with eprintln!, panicked on
    // the closed pipe and never exited (found while testing issue 10).
    drop(child.stderr.take());
    let tmp = out.join(format!(
        "{}{}-mentions.geojson",
        bordermap::TEMP_PREFIX,
        child.id()
    ));
    let started = Instant::now();
    loop {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run over the big input ended before it could be stopped; make the input bigger"
        );
        if std::fs::metadata(&tmp).is_ok_and(|m| m.len() > 1000) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no features written in 60 s"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    if interrupt {
        let sent = std::process::Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .is_ok_and(|s| s.success());
        assert!(sent, "could not send SIGINT");
    } else {
        child.kill().unwrap();
    }
    child.wait().unwrap()
}

#[test]
fn killed_run_leaves_the_previous_layers_whole() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    bin()
        .args(["map", "--quiet", "--format", "geojson"])
        .arg(examples())
        .arg("--out")
        .arg(&out)
        .assert()
        .code(0);
    let before = layer_counts(&out);
    assert_eq!(before.len(), bordermap::outputs::LAYERS.len(), "{before:?}");
    let report_before = std::fs::read(out.join("report.json")).unwrap();
    let layer_bytes = |dir: &Path| -> Vec<Vec<u8>> {
        before
            .iter()
            .map(|(n, _)| std::fs::read(dir.join(n)).unwrap())
            .collect()
    };
    let bytes_before = layer_bytes(&out);

    let feed = dir.path().join("big.jsonl");
    big_feed(&feed, 20_000);
    let status = start_and_stop(&feed, &out, false);
    assert!(!status.success());

    // Every layer is the previous run's, whole, and so is the report.
    assert_eq!(layer_counts(&out), before);
    assert_eq!(layer_bytes(&out), bytes_before);
    assert_eq!(
        std::fs::read(out.join("report.json")).unwrap(),
        report_before
    );
    let report = read_json(&out.join("report.json"));
    let read = report["read"].as_array().map_or(0, Vec::len);
    assert!(read > 0 && report["inputs"] == read, "{report}");
    // The killed run's temporary files are plainly ours.
    assert!(temp_files(&out)
        .iter()
        .all(|n| n.contains("-mentions.geojson") || n.contains("-events.geojson")));

    // The next run succeeds and leaves no temporary file behind.
    bin()
        .args(["map", "--quiet", "--force", "--format", "geojson"])
        .arg(examples())
        .arg("--out")
        .arg(&out)
        .assert()
        .code(0);
    assert_eq!(temp_files(&out), Vec::<String>::new());
    assert_eq!(layer_bytes(&out), bytes_before);
}

#[cfg(unix)]
#[test]
fn interrupted_run_removes_its_temp_files_and_keeps_the_layers() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    bin()
        .args(["map", "--quiet", "--format", "geojson"])
        .arg(examples())
        .arg("--out")
        .arg(&out)
        .assert()
        .code(0);
    let before = layer_counts(&out);
    let report_before = std::fs::read(out.join("report.json")).unwrap();
    let feed = dir.path().join("big.jsonl");
    big_feed(&feed, 20_000);
    let status = start_and_stop(&feed, &out, true);
    assert_eq!(status.code(), Some(130), "{status:?}");
    assert_eq!(layer_counts(&out), before);
    assert_eq!(
        std::fs::read(out.join("report.json")).unwrap(),
        report_before
    );
    assert_eq!(temp_files(&out), Vec::<String>::new());
}

/// Was quadratic (and worse) in the number of names and triggers of one
/// article: 45 KB of names with no full stop took 4 s, 2 MB over 10 minutes.
/// Now linear: 200 KB takes about 2 s in a debug build.
#[test]
fn pipeline_survives_a_huge_run_on_article_in_linear_time() {
    let words = [
        "البوكمال",
        "قصف",
        "في",
        "على",
        "دير",
        "الزور",
        "هجين",
        "Abu",
        "Kamal",
        "اشتباكات",
        "أمس",
        "2021",
        "أيار",
        "الحسكة",
        "قرب",
        "الحدود",
        "لم",
        "نفى",
        "(السبت)",
        "34.4523,",
        "40.9185",
        "قوات سوريا الديمقراطية",
        "\n",
    ];
    let mut text = String::new();
    let mut i = 7usize;
    while text.len() < 200_000 {
        i = (i * 1_103_515_245 + 12_345) % 2_147_483_648;
        text.push_str(words[i % words.len()]);
        text.push(' ');
    }
    let (cpu, wall) = (thread_cpu_seconds(), Instant::now());
    bordermap::fuzzing::check_pipeline(pipeline(), &text);
    // CPU time of this thread where it can be read, so a busy machine does
    // not fail the test; was about 90 s before the fix, about 5 s after.
    let secs = match (cpu, thread_cpu_seconds()) {
        (Some(a), Some(b)) => b - a,
        _ => wall.elapsed().as_secs_f64() / 4.0,
    };
    assert!(secs < 30.0, "200 KB took {secs:.1} s of CPU");
}

/// CPU seconds this thread has used (Linux: /proc/thread-self/stat).
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // Fields after the command name, which is in parentheses: utime is the
    // 14th field of the line, stime the 15th, in clock ticks (100 a second).
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

// ---------------------------------------------------------------------------
// Property tests: the fuzz targets' invariants, a few cases each run.

/// Text that mixes what articles hold with what breaks parsers.
fn hostile_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "البوكمال",
        "بالبوكمال",
        "ودير الزور",
        "الحسكة",
        "Abu Kamal",
        "Al-Qaim",
        "قرب",
        "ريف",
        "قصف",
        "اعتقلت",
        "أمس",
        "السبت",
        "3 May 2021",
        "٢٠٢١",
        "أيار",
        "آذار",
        "34.4523, 40.9185",
        "34°27′N 40°55′E",
        "37S FV 12345 67890",
        "\u{064E}",
        "\u{0640}",
        "\u{200F}",
        "\u{FEFF}",
        "ﻻ",
        "\u{FD3E}",
        "\u{FDD0}",
        "ß",
        "İ",
        "😀",
        "\r\n",
        "\n\n",
        ".",
        "،",
        "(",
        ")",
        " ",
        "  ",
        "\u{0301}",
        "x",
    ]);
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

/// Bytes that look like a file of some kind, broken anywhere.
fn hostile_bytes() -> impl Strategy<Value = Vec<u8>> {
    let pieces = prop::sample::select(vec![
        "{",
        "}",
        "[",
        "]",
        "\"text\":",
        "\"id\":",
        "\"",
        ",",
        ":",
        "\n",
        "\r\n",
        "<p>",
        "</p>",
        "<html>",
        "<!--",
        "-->",
        "<script>",
        "<title>",
        "---\n",
        "title: x\n",
        "text,id\n",
        "\"\"",
        "\\u0627",
        "\\",
        "قصف على البوكمال",
        "Hajin",
        "\u{FEFF}",
        "1",
        "null",
        "<",
    ]);
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..300),
        prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat().into_bytes()),
    ]
}

fn pipeline() -> &'static bordermap::Pipeline {
    static P: std::sync::OnceLock<bordermap::Pipeline> = std::sync::OnceLock::new();
    P.get_or_init(|| bordermap::Pipeline::bundled().expect("bundled data loads"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn folded_offsets_map_back_to_char_boundaries(text in prop_oneof![hostile_text(), any::<String>()]) {
        bordermap::fuzzing::check_fold(&text);
    }

    #[test]
    fn mention_offsets_point_at_the_surface_of_any_text(text in prop_oneof![hostile_text(), any::<String>()]) {
        bordermap::fuzzing::check_pipeline(pipeline(), &text);
    }

    #[test]
    fn date_reader_never_panics(text in prop_oneof![hostile_text(), any::<String>()]) {
        bordermap::fuzzing::check_dates(&text);
    }

    #[test]
    fn coordinate_reader_never_panics(text in prop_oneof![hostile_text(), any::<String>(), "[0-9 .,°′″'\"NSEW٠-٩]{0,40}"]) {
        bordermap::fuzzing::check_coordinates(&text);
    }

    #[test]
    fn readers_never_panic_nor_lose_a_record(bytes in hostile_bytes()) {
        for ext in ["html", "json", "jsonl", "csv", "txt"] {
            bordermap::fuzzing::check_reader(ext, &bytes);
        }
    }
}
