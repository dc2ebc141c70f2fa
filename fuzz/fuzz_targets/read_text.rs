#![no_main]
//! The txt reader on arbitrary bytes: read whole, with
//! small and default limits; no panic, and nothing lost without a reason.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    bordermap::fuzzing::check_reader("txt", data);
});
