//! Batch processing with the real binary: every kind of bad input in one
//! folder, thread-count independence, and the JSONL streaming mode.

use std::io::Write;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
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

/// The reasons given for `path` in the report, from `skipped` and `errors`.
fn reasons(report: &Value, path: &str) -> Vec<(Option<u64>, String)> {
    ["skipped", "errors"]
        .iter()
        .flat_map(|k| report[*k].as_array().cloned().unwrap_or_default())
        .filter(|i| i["path"] == path)
        .map(|i| {
            (
                i["line"].as_u64(),
                i["reason"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// Articles that produced at least one mention.
fn mentioned_articles(out: &Path) -> Vec<String> {
    let v = read_json(&out.join("mentions.geojson"));
    let mut a: Vec<String> = v["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["article"].as_str().unwrap().to_string())
        .collect();
    a.dedup();
    a
}

/// Writes a folder with one input of every awkward kind, and returns
/// whether the unreadable file really is unreadable (not so as root).
fn bad_folder(dir: &Path) -> bool {
    let w = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes).unwrap();
    w("good.txt", ARABIC.as_bytes());
    // A binary file with a text extension.
    let mut binary = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    binary.extend((0..2000u32).map(|i| (i * 7 % 256) as u8));
    w("binary.txt", &binary);
    // An older Arabic archive in windows-1256.
    let (cp1256, _, bad) = encoding_rs::WINDOWS_1256.encode(ARABIC);
    assert!(!bad);
    w("cp1256.txt", &cp1256);
    // UTF-16 little-endian with a byte-order mark.
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(ARABIC.encode_utf16().flat_map(u16::to_le_bytes));
    w("utf16.txt", &utf16);
    w("empty.txt", b"");
    w(
        "broken.json",
        b"{\"text\": \"\xd9\x82\xd8\xb5\xd9\x81 \", \"date\": }",
    );
    // JSONL with a bad line 7; the other eight lines count.
    let mut jsonl = String::new();
    for i in 1..=9 {
        if i == 7 {
            jsonl.push_str("{\"id\": \"r7\", \"text\": \"unterminated\n");
        } else {
            let rec =
                serde_json::json!({"id": format!("r{i}"), "date": "2021-06-28", "text": ARABIC});
            jsonl.push_str(&format!("{rec}\n"));
        }
    }
    w("feed.jsonl", jsonl.as_bytes());
    w("notext.csv", "id,headline,body_html\n1,a,b\n".as_bytes());
    w(
        "good.csv",
        format!(
            "id,title,date,text\nc1,T,2021-06-28,\"{}\"\nc2,T2,2022-01-02,\"{}\"\n",
            ARABIC.trim(),
            ARABIC.trim()
        )
        .as_bytes(),
    );
    w(
        "scripts.html",
        format!(
            "<html><head><title>البوكمال</title><meta property=\"article:published_time\" content=\"2021-06-28T09:00:00Z\">\
             <script>var SCRIPT_SECRET = 'دير الزور';</script><script src=\"x.js\"></script></head>\
             <body><nav>MENU_ITEM</nav><script>for(;;){{SCRIPT_LOOP()}}</script><article><p>{}</p></article>\
             <script>tracking('SCRIPT_TRACK')</script><footer>FOOTER_ITEM</footer></body></html>",
            ARABIC.trim()
        )
        .as_bytes(),
    );
    let locked = dir.join("locked.txt");
    std::fs::write(&locked, ARABIC).unwrap();
    let mut perms = std::fs::metadata(&locked).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o000);
    std::fs::set_permissions(&locked, perms).unwrap();
    let unreadable = std::fs::read(&locked).is_err();
    std::os::unix::fs::symlink("loop.txt", dir.join("loop.txt")).unwrap();
    std::fs::create_dir(dir.join("sub")).unwrap();
    std::os::unix::fs::symlink("..", dir.join("sub/up")).unwrap();
    unreadable
}

#[test]
fn every_kind_of_bad_input_is_read_or_listed_and_the_rest_is_mapped() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let unreadable = bad_folder(&input);
    let out = tmp.path().join("out");
    let run = bin()
        .arg("map")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .arg("--date")
        .arg("2021-06-01")
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&run.get_output().stderr).to_string();
    for layer in [
        "events.geojson",
        "mentions.geojson",
        "places.geojson",
        "zones.geojson",
        "border.geojson",
        "report.json",
    ] {
        assert!(out.join(layer).is_file(), "{layer} not written");
    }
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    let report = read_json(&out.join("report.json"));
    let has = |path: &str, words: &[&str]| {
        let r = reasons(&report, path);
        assert!(
            r.iter()
                .any(|(_, reason)| words.iter().all(|w| reason.contains(w))),
            "{path}: expected {words:?}, got {r:?}\n{report:#}"
        );
    };
    // Read correctly: windows-1256, UTF-16, CSV, HTML, the good JSONL lines.
    let mapped = mentioned_articles(&out);
    for article in [
        "good.txt",
        "cp1256.txt",
        "utf16.txt",
        "c1",
        "c2",
        "scripts.html",
        "r1",
        "r6",
        "r8",
        "r9",
    ] {
        assert!(
            mapped.iter().any(|a| a == article),
            "{article} not mapped: {mapped:?}"
        );
        assert!(reasons(&report, article).is_empty());
    }
    // Listed with a reason a person can act on.
    has("binary.txt", &["binary"]);
    has("empty.txt", &["empty"]);
    has("broken.json", &["not valid JSON"]);
    has("notext.csv", &["no `text` column", "body_html"]);
    has("loop.txt", &["symbolic link loop"]);
    has("sub/up", &["symbolic link loop"]);
    let jsonl = reasons(&report, "feed.jsonl");
    assert_eq!(jsonl.len(), 1, "{jsonl:?}");
    assert_eq!(jsonl[0].0, Some(7));
    assert!(jsonl[0].1.contains("not valid JSON"));
    if unreadable {
        has("locked.txt", &["cannot read", "ermission"]);
    } else {
        assert!(mapped.iter().any(|a| a == "locked.txt"));
    }
    // Everything accounted for: 11 files, plus the two links listed.
    let articles = 1 + 1 + 1 + 8 + 2 + 1 + usize::from(!unreadable);
    assert_eq!(
        report["articles"].as_u64(),
        Some(articles as u64),
        "{report:#}"
    );
    assert_eq!(report["inputs"].as_u64(), Some(11), "{report:#}");
    assert!(stderr.contains("feed.jsonl:7"), "{stderr}");
}

#[test]
fn html_text_leaves_scripts_out() {
    let tmp = tempfile::tempdir().unwrap();
    bad_folder(tmp.path());
    let out = bin()
        .arg("geoparse")
        .arg(tmp.path().join("scripts.html"))
        .assert()
        .success();
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let text = v["text"].as_str().unwrap();
    assert!(text.contains("مدينة البوكمال"), "{text}");
    assert_eq!(v["date"], "2021-06-28");
    assert_eq!(v["title"], "البوكمال");
    for junk in ["SCRIPT", "MENU_ITEM", "FOOTER_ITEM", "x.js"] {
        assert!(!text.contains(junk), "{junk} in {text}");
    }
}

/// A corpus bigger than one chunk (256 jobs): the examples plus 300 JSONL
/// records, every 15th cut from an example and the rest one short sentence
/// with no place (so that a debug build is quick).
fn big_corpus(dir: &Path) {
    let copy = dir.join("articles");
    std::fs::create_dir(&copy).unwrap();
    let mut texts = Vec::new();
    for e in std::fs::read_dir(examples()).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, copy.join(p.file_name().unwrap())).unwrap();
        if p.extension().is_some_and(|x| x == "txt") {
            let text = std::fs::read_to_string(&p).unwrap();
            texts.push(text.chars().skip(100).take(300).collect::<String>());
        }
    }
    texts.sort();
    let mut f = std::io::BufWriter::new(std::fs::File::create(dir.join("big.jsonl")).unwrap());
    for i in 0..300 {
        let rec = serde_json::json!({"id": format!("big-{i}"), "date": format!("20{:02}-0{}-1{}", 12 + i % 14, 1 + i % 9, i % 10), "text": if i % 15 == 0 { texts[i % texts.len()].clone() } else { format!("خبر رقم {i} بلا أماكن.") }});
        writeln!(f, "{rec}").unwrap();
    }
}

#[test]
fn one_thread_and_two_threads_give_identical_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    big_corpus(tmp.path());
    let run = |threads: &str, out: &Path| {
        bin()
            .env("RAYON_NUM_THREADS", threads)
            .arg("map")
            .arg(tmp.path().join("articles"))
            .arg(tmp.path().join("big.jsonl"))
            .arg("--out")
            .arg(out)
            .assert()
            .success();
    };
    let (a, b) = (tmp.path().join("one"), tmp.path().join("two"));
    run("1", &a);
    run("2", &b);
    for layer in [
        "events.geojson",
        "mentions.geojson",
        "places.geojson",
        "zones.geojson",
        "border.geojson",
    ] {
        let (x, y) = (
            std::fs::read(a.join(layer)).unwrap(),
            std::fs::read(b.join(layer)).unwrap(),
        );
        assert!(x == y, "{layer} differs between 1 and 2 threads");
    }
    let mut ra = read_json(&a.join("report.json"));
    let mut rb = read_json(&b.join("report.json"));
    ra["elapsed_ms"] = Value::Null;
    rb["elapsed_ms"] = Value::Null;
    assert_eq!(ra, rb);
    assert_eq!(ra["articles"].as_u64(), Some(317));
}

#[test]
fn jsonl_on_stdin_gives_one_result_per_record_on_stdout() {
    let recs = [
        serde_json::json!({"id": "a", "date": "2021-06-28", "text": ARABIC}).to_string(),
        "{broken".to_string(),
        serde_json::json!({"id": "b", "published_at": "2022-02-03T10:00:00Z", "body": "Clashes near Albu Kamal on the Iraqi border."}).to_string(),
    ];
    let run = bin()
        .args(["map", "-", "--format", "jsonl"])
        .write_stdin(recs.join("\n") + "\n")
        .assert()
        .code(1);
    let out = run.get_output();
    let lines: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["article"], "a");
    assert_eq!(lines[1]["article"], "b");
    assert_eq!(lines[1]["date"], "2022-02-03");
    for l in &lines {
        assert!(!l["mentions"].as_array().unwrap().is_empty(), "{l}");
        assert!(l["events"].is_array());
    }
    assert!(String::from_utf8_lossy(&out.stderr).contains("-:2"));
}

#[test]
fn jsonl_format_over_a_folder_matches_geoparse() {
    let one = examples().join("03-ar-albukamal-shelling.txt");
    let stream = bin()
        .args(["map", "--format", "jsonl", "--quiet"])
        .arg(&one)
        .assert()
        .success();
    let streamed: Value = serde_json::from_slice(&stream.get_output().stdout).unwrap();
    let single = bin().arg("geoparse").arg(&one).assert().success();
    let printed: Value = serde_json::from_slice(&single.get_output().stdout).unwrap();
    assert_eq!(streamed, printed);
    assert!(stream.get_output().stderr.is_empty());
}

#[test]
fn map_without_out_is_a_usage_error() {
    bin().arg("map").arg(examples()).assert().code(2);
}

/// The batch engine (chunks, every article of a chunk scanned before any is
/// finished, results regrouped per input and written while the next chunk
/// runs) gives each article what `Pipeline::process` gives it alone, in
/// input order: over more than one chunk, and with files of several records.
#[test]
fn batch_gives_each_article_its_own_result_in_input_order() {
    let pipeline = bordermap::Pipeline::bundled().expect("pipeline");
    let texts: Vec<String> = std::fs::read_dir(examples())
        .expect("examples")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .map(|p| std::fs::read_to_string(p).expect("example"))
        .collect();
    assert!(texts.len() >= 5, "{} examples", texts.len());
    let dir = tempfile::tempdir().expect("temp dir");
    let record = |i: usize| serde_json::json!({"id": format!("r{i}"), "date": "2021-03-01", "text": texts[i % texts.len()]});
    // More records than one chunk holds, so chunks follow one another.
    let mut jsonl = String::new();
    for i in 0..bordermap::CHUNK + 37 {
        jsonl.push_str(&record(i).to_string());
        jsonl.push('\n');
    }
    std::fs::write(dir.path().join("a.jsonl"), jsonl).expect("write");
    let array: Vec<Value> = (0..3).map(|i| record(1000 + i)).collect();
    std::fs::write(dir.path().join("b.json"), Value::from(array).to_string()).expect("write");
    std::fs::write(dir.path().join("c.txt"), &texts[1]).expect("write");

    let (inputs, problems) = bordermap::discover(&[dir.path().to_path_buf()]);
    assert!(problems.is_empty(), "{problems:?}");
    let mut want = Vec::new();
    for input in &inputs {
        let outcome = bordermap::read_input(input, None);
        for a in &outcome.articles {
            let line = bordermap::geoparse_json(&pipeline.process(a));
            want.push(line);
        }
    }
    assert_eq!(want.len(), bordermap::CHUNK + 37 + 3 + 1);

    let cfg = bordermap::MapConfig {
        inputs: vec![dir.path().to_path_buf()],
        ..Default::default()
    };
    let mut out = Vec::new();
    let report = bordermap::run_stream(&pipeline, &cfg, &mut out).expect("run_stream");
    assert_eq!(report.articles, want.len());
    let got: Vec<Value> = String::from_utf8(out)
        .expect("UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(got.len(), want.len());
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        assert_eq!(g, w, "article {i}");
    }
    // Not vacuous: the examples give mentions and events.
    assert!(got
        .iter()
        .any(|g| g["events"].as_array().is_some_and(|e| !e.is_empty())));
}

/// A stage in a pipeline answers each record as it comes: the result of the
/// first record is out while standard input is still open and silent.
#[test]
fn a_record_on_stdin_is_answered_before_the_next_one_arrives() {
    use std::io::BufRead;
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("bordermap"))
        .args(["map", "-", "--format", "jsonl", "--quiet"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn bordermap");
    let mut stdin = child.stdin.take().expect("stdin");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let record = |id: &str| {
        serde_json::json!({"id": id, "date": "2021-06-28", "text": ARABIC}).to_string() + "\n"
    };
    stdin.write_all(record("first").as_bytes()).expect("write");
    stdin.flush().expect("flush");
    let first = rx.recv_timeout(std::time::Duration::from_secs(60));
    if first.is_err() {
        let _ = child.kill();
    }
    let first: Value = serde_json::from_str(
        &first.expect("no answer to the first record while stdin stayed open"),
    )
    .expect("JSON");
    assert_eq!(first["article"], "first");
    stdin.write_all(record("second").as_bytes()).expect("write");
    drop(stdin);
    let second: Value = serde_json::from_str(
        &rx.recv_timeout(std::time::Duration::from_secs(60))
            .expect("second answer"),
    )
    .expect("JSON");
    assert_eq!(second["article"], "second");
    assert!(child.wait().expect("wait").success());
    reader.join().expect("reader");
    assert!(rx.try_recv().is_err(), "one line per record");
}
