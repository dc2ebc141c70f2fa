//! Helpers shared by the unit tests.

use std::path::PathBuf;

/// The bundled example articles (`examples/articles/*.txt`), sorted by
/// name, with their text.
pub(crate) fn example_articles() -> Vec<(PathBuf, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/articles");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("examples/articles")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|f| {
            let text = std::fs::read_to_string(&f).expect("an example article");
            (f, text)
        })
        .collect()
}
