//! Fuzzes `PostcodeQuery::parse` with what a resident might type into the search box.
#![no_main]

#[path = "../bodies.rs"]
mod bodies;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        bodies::postcode(text);
    }
});
