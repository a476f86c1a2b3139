//! Replays the committed fuzz corpus (`fuzz/corpus/<target>/`) through the same bodies the
//! fuzz targets run (`fuzz/bodies.rs`), so plain `cargo test` keeps every input the fuzzer
//! found interesting, crashes it once found included, without cargo-fuzz or libFuzzer.

use std::path::Path;

#[path = "../fuzz/bodies.rs"]
mod bodies;

fn replay(target: &str, body: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| body(&bytes));
        assert!(outcome.is_ok(), "{} panicked", path.display());
        count += 1;
    }
    assert!(count > 0, "no corpus in {}", dir.display());
}

#[test]
fn postcode_corpus() {
    replay("postcode", |b| {
        if let Ok(text) = std::str::from_utf8(b) {
            bodies::postcode(text)
        }
    });
}

#[test]
fn group_corpus() {
    replay("group", bodies::group);
}

#[test]
fn story_corpus() {
    replay("story", bodies::story);
}

#[test]
fn guards_corpus() {
    replay("guards", bodies::guards);
}
