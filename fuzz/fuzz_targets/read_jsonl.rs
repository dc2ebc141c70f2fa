#![no_main]
//! The jsonl reader on arbitrary bytes: read whole and streamed record by record, with
//! small and default limits; no panic, and nothing lost without a reason.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    bordermap::fuzzing::check_reader("jsonl", data);
});
