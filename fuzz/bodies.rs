//! What each fuzz target does with one input, shared by `fuzz/fuzz_targets/*.rs` (under
//! cargo-fuzz) and `tests/fuzz_corpus.rs` (which replays the committed corpus in
//! `cargo test`, so CI checks the corpus without a nightly toolchain or cargo-fuzz).
//!
//! Beyond "does not panic", each body asserts what callers rely on. Group and story
//! bodies take bytes and decode them as the loader does (`text_from_bytes`: bad UTF-8 is a
//! located error, a byte-order mark is dropped).

#![allow(dead_code)] // each target uses one body

use std::path::Path;

use aidmap::content::{front_matter, markdown, yaml_guard, Group, Story};
use aidmap::geo::PostcodeQuery;

/// A postcode query parses or is refused with a sentence; what parses prints back to text
/// that parses to the same query.
pub(crate) fn postcode(text: &str) {
    match PostcodeQuery::parse(text) {
        Ok(q) => {
            let printed = q.to_string();
            let again = PostcodeQuery::parse(&printed)
                .unwrap_or_else(|e| panic!("{text:?} parsed to {printed:?}, which fails: {e}"));
            assert_eq!(again, q, "{text:?} -> {printed:?} does not round-trip");
            assert!(!q.area().is_empty());
            let _ = (q.district(), q.sector());
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

/// A group file yields a group only when nothing in it is an error, and every problem
/// points inside the file.
pub(crate) fn group(bytes: &[u8]) {
    let path = Path::new("content/groups/fuzz.yaml");
    let Some(source) = decode(path, bytes) else {
        return;
    };
    let source = source.as_str();
    let config = aidmap::config::Config::fallback();
    let (group, problems) = Group::parse(path, "fuzz", source, &config);
    check_located(source, &problems);
    if group.is_some() {
        assert!(
            !problems.iter().any(|d| d.is_error()),
            "a group was returned with errors: {problems:?}"
        );
    }
}

/// Splitting keeps every byte: front matter and body are slices of the source, in order.
/// A story is returned only without errors, and every problem points inside the file.
pub(crate) fn story(bytes: &[u8]) {
    let path = Path::new("content/stories/fuzz.md");
    let Some(source) = decode(path, bytes) else {
        return;
    };
    let source = source.as_str();
    if let Ok(split) = front_matter::split(source) {
        let start = split.front.as_ptr() as usize - source.as_ptr() as usize;
        assert!(
            start == 4 || start == 5,
            "front matter starts after the fence"
        );
        assert!(split.front.len() + split.body.len() < source.len());
        assert!(source.ends_with(split.body));
    }
    let (story, problems) = Story::parse(path, "fuzz", source);
    check_located(source, &problems);
    if let Some(story) = story {
        assert!(!problems.iter().any(|d| d.is_error()));
        assert!(!story.body_html.contains("<script"));
    }
}

fn check_located(source: &str, problems: &[aidmap::Diagnostic]) {
    let lines = source.lines().count().max(1) + 1;
    for d in problems {
        assert!(
            d.line <= lines,
            "{}:{} is past the end of a {lines}-line file: {}",
            d.line,
            d.column,
            d.message
        );
        assert!(!d.message.is_empty());
    }
}

/// Decodes as the content loader does; a refusal must still be located inside the file.
fn decode(path: &Path, bytes: &[u8]) -> Option<String> {
    match aidmap::content::text_from_bytes(path, bytes.to_vec()) {
        Ok(text) => Some(text),
        Err(d) => {
            let lines = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
            assert!(
                d.line >= 1 && d.line <= lines,
                "bad UTF-8 at line {}",
                d.line
            );
            None
        }
    }
}

/// The guards on their own, on any text: the YAML alias check and the Markdown nesting
/// check return, locate inside the text, agree with rendering, and every image kept in
/// the rendered HTML stays on the site.
pub(crate) fn guards(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    // YAML also breaks lines at a lone CR, NEL, LS and PS.
    let yaml_lines = text
        .split(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}'])
        .count();
    if let Some((line, column)) = yaml_guard::find_anchor_or_alias(text) {
        assert!(
            line >= 1 && line <= yaml_lines && column >= 1,
            "alias at {line}:{column}"
        );
        let sigil = text
            .lines()
            .nth(line - 1)
            .and_then(|l| l.chars().nth(column - 1));
        // Lines end at NEL, LS and PS for YAML but not for `lines()`, so only check
        // the character when the text has none of them.
        if !text.contains(['\u{85}', '\u{2028}', '\u{2029}', '\r']) {
            assert!(
                matches!(sigil, Some('*' | '&')),
                "{line}:{column} is {sigil:?}"
            );
        }
        assert!(yaml_guard::check_aliases(text).is_err());
    }
    let checked = markdown::check_nesting(text);
    match markdown::render(text) {
        Err(too_deep) => {
            assert_eq!(checked, Err(too_deep.clone()));
            assert!(too_deep.offset <= text.len());
            let (line, _) = markdown::line_column(text, too_deep.offset);
            assert!(line <= text.lines().count().max(1) + 1);
        }
        Ok(html) => {
            assert_eq!(checked, Ok(()));
            assert!(!html.contains("<script"));
            for kept in html
                .split("<img")
                .skip(1)
                .filter_map(|t| t.split('>').next())
            {
                if let Some(src) = kept
                    .split(" src=\"")
                    .nth(1)
                    .and_then(|v| v.split('"').next())
                {
                    let src = src
                        .replace("&quot;", "\"")
                        .replace("&lt;", "<")
                        .replace("&gt;", ">")
                        .replace("&amp;", "&");
                    assert!(markdown::is_same_site(&src), "kept a remote image {src:?}");
                }
            }
        }
    }
}
