//! Transcripts: the commands a newcomer types and exactly what aidmap answers, kept in
//! `tests/cmd/*.md` (trycmd runs every `$ aidmap ...` block and compares its output and
//! exit code), so the README and CONTRIBUTING can quote them and stay true.

#[test]
fn transcripts() {
    trycmd::TestCases::new()
        .env("AIDMAP_TODAY", "2026-11-22")
        .register_bin("aidmap", std::path::Path::new(env!("CARGO_BIN_EXE_aidmap")))
        .case("tests/cmd/*.md");
}
