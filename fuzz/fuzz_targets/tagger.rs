#![no_main]
//! The whole pipeline (normalise, tag, resolve, coordinates, events) on
//! arbitrary text: every mention's offsets point at its surface.

use std::sync::OnceLock;

use bordermap::Pipeline;
use libfuzzer_sys::fuzz_target;

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| match Pipeline::bundled() {
        Ok(p) => p,
        Err(e) => panic!("bundled data does not load: {e}"),
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    bordermap::fuzzing::check_pipeline(pipeline(), &text);
});
