//! Builds the name matcher of the bundled gazetteer at compile time, so the
//! program does not rebuild a 55,000-pattern automaton at every start.
//!
//! Writes to `OUT_DIR`, for `src/tag.rs` to include:
//! - `names.daac`: the serialized daachorse automaton over the folded patterns,
//! - `names.table`: what each pattern stands for (see `src/tag/names.rs`),
//! - `names.places`: how many places the table was built for.
//!
//! The pattern logic is the crate's own (`src/tag/names.rs`, which folds with
//! `src/normalise.rs`), included here, so both builds give the same table.

use std::path::Path;

#[allow(dead_code)]
#[path = "src/normalise.rs"]
mod normalise;

#[allow(dead_code)]
#[path = "src/tag/names.rs"]
mod names;

const PLACES: &str = "gazetteer/places.tsv";
const NOT_PLACES: &str = "gazetteer/lexicon/not_places.tsv";

fn main() {
    for f in [
        PLACES,
        NOT_PLACES,
        "src/tag/names.rs",
        "src/normalise.rs",
        "build.rs",
    ] {
        println!("cargo:rerun-if-changed={f}");
    }
    let places_tsv = std::fs::read_to_string(PLACES).expect("reading gazetteer/places.tsv");
    let not_places = std::fs::read_to_string(NOT_PLACES).expect("reading not_places.tsv");

    // Tab-separated, one header line, no quoting (gazetteer/README.md);
    // place index = row order, as `Gazetteer` loads them.
    let mut lines = places_tsv.lines().filter(|l| !l.is_empty());
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("{PLACES}: no column {name}"))
    };
    let (c_names, c_en, c_ar) = (col("names"), col("name_en"), col("name_ar"));
    let places: Vec<Vec<String>> = lines
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let get = |i: usize| f.get(i).copied().unwrap_or("");
            names::place_names(get(c_names), get(c_en), get(c_ar))
        })
        .collect();

    let blockers = names::default_blockers(&not_places);
    let (patterns, table) = names::build_table(
        places.iter().map(|n| n.iter().map(String::as_str)),
        &blockers,
    );
    let automaton = names::automaton(&patterns).expect("building the name matcher");

    let out = std::env::var("OUT_DIR").expect("OUT_DIR");
    let out = Path::new(&out);
    std::fs::write(out.join("names.daac"), automaton.serialize()).expect("writing names.daac");
    std::fs::write(out.join("names.table"), table.to_bytes()).expect("writing names.table");
    std::fs::write(out.join("names.places"), places.len().to_string())
        .expect("writing names.places");
}
