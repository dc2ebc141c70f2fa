#![no_main]
//! `bordermap::fuzzing::check_dates` on arbitrary text (invalid UTF-8 read lossily).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    bordermap::fuzzing::check_dates(&text);
});
