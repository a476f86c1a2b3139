//! Fuzzes `Group::parse` with arbitrary file text.
#![no_main]

#[path = "../bodies.rs"]
mod bodies;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    bodies::group(data);
});
