//! Fuzzes the YAML alias guard, the Markdown nesting guard and the image filter on
//! arbitrary text (`yaml_guard::find_anchor_or_alias`, `markdown::check_nesting`,
//! `markdown::render`).
#![no_main]

#[path = "../bodies.rs"]
mod bodies;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    bodies::guards(data);
});
