//! The shipped translations (`themes/default/i18n/*.yaml`, issue #28) checked against the
//! English they translate, as a reviewer of a pull request would:
//!
//! - every file parses, and every key of English's `site:`, `text:` and `help:` is there;
//! - a counted phrase has exactly the CLDR plural categories of its language (Welsh and
//!   Arabic six, Somali two), and a plain phrase stays plain;
//! - every `{place}` of the English is in each translated form, and no other place is
//!   added; `{n}` may be left out only where the language says the number in words
//!   (the `zero`, `one` and `two` forms: Arabic "مجموعتان", two groups);
//! - codes stay as they are: every run of letters and digits with a digit in it
//!   (`NR2 3AB`, `2024`, `100`) is in the translation, and digits are Western (`0-9`);
//! - `months` has twelve names, and `meta` says who translated the file and that it is
//!   unreviewed unless a native speaker has checked it ([`REVIEWED`]);
//! - the crate itself reads each file with no gap: a page in that language shows no
//!   English.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_yaml::Value;

/// The languages whose shipped file a native speaker has checked. Add a code here only
/// with that review, in the same change that sets its `meta.reviewed: true`.
const REVIEWED: &[&str] = &["en"];

/// The categories in which a language may say the number in words instead of `{n}`.
const NUMBER_IN_WORDS: &[&str] = &["zero", "one", "two"];

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/i18n")
}

/// Every shipped strings file, by code, parsed.
fn shipped() -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("yaml") {
            continue;
        }
        let code = path.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let value: Value = serde_yaml::from_str(&text)
            .unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()));
        out.insert(code, value);
    }
    assert!(out.contains_key("en"), "no en.yaml in {}", dir().display());
    out
}

fn map<'a>(file: &'a Value, key: &str) -> BTreeMap<String, &'a Value> {
    file.get(key)
        .and_then(Value::as_mapping)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.as_str().unwrap_or_default().to_string(), v))
                .collect()
        })
        .unwrap_or_default()
}

/// The `{name}` places of a phrase.
fn places(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        out.insert(after[..close].to_string());
        rest = &after[close + 1..];
    }
    out
}

/// Runs of ASCII letters and digits that hold a digit: postcodes, years, numbers.
fn codes(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.chars().any(|c| c.is_ascii_digit()))
        .map(str::to_string)
        .collect()
}

/// The forms of a phrase: `[("", text)]` for a plain one, else by category.
fn forms(value: &Value) -> Option<Vec<(String, String)>> {
    match value {
        Value::String(s) => Some(vec![(String::new(), s.clone())]),
        Value::Mapping(m) => m
            .iter()
            .map(|(k, v)| Some((k.as_str()?.to_string(), v.as_str()?.to_string())))
            .collect(),
        _ => None,
    }
}

/// Every problem with one translated phrase against its English.
fn check_phrase(code: &str, key: &str, english: &Value, ours: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let (Some(en_forms), Some(our_forms)) = (forms(english), forms(ours)) else {
        return vec![format!(
            "{code}: site.{key} is neither a text nor a map of texts"
        )];
    };
    let counted = english.is_mapping();
    if counted != ours.is_mapping() {
        return vec![format!(
            "{code}: site.{key} must be {} like the English",
            if counted {
                "a counted phrase (a map of plural forms)"
            } else {
                "a plain text"
            }
        )];
    }
    if counted {
        let wanted: BTreeSet<&str> = aidmap::i18n::categories(code).into_iter().collect();
        let have: BTreeSet<&str> = our_forms.iter().map(|(c, _)| c.as_str()).collect();
        for missing in wanted.difference(&have) {
            problems.push(format!("{code}: site.{key} has no `{missing}` form"));
        }
        for extra in have.difference(&wanted) {
            problems.push(format!(
                "{code}: site.{key} has a `{extra}` form, a category {code} does not use"
            ));
        }
    }
    let en_places: BTreeSet<String> = en_forms.iter().flat_map(|(_, t)| places(t)).collect();
    let en_codes: BTreeSet<String> = en_forms.iter().flat_map(|(_, t)| codes(t)).collect();
    for (category, text) in &our_forms {
        let at = if category.is_empty() {
            format!("{code}: site.{key}")
        } else {
            format!("{code}: site.{key}.{category}")
        };
        if text.trim().is_empty() {
            problems.push(format!("{at} is blank"));
        }
        let ours = places(text);
        for place in en_places.difference(&ours) {
            let in_words = place == "n" && NUMBER_IN_WORDS.contains(&category.as_str());
            if !in_words {
                problems.push(format!("{at} lacks {{{place}}}"));
            }
        }
        for place in ours.difference(&en_places) {
            problems.push(format!("{at} has {{{place}}}, which the English does not"));
        }
        for c in en_codes.difference(&codes(text)) {
            problems.push(format!("{at} lacks `{c}` from the English"));
        }
    }
    problems
}

#[test]
fn every_page_word_of_english_is_translated_with_its_places_and_plural_forms() {
    let files = shipped();
    let english = map(&files["en"], "site");
    assert!(english.len() > 100, "en.yaml's site: map looks cut short");
    let mut problems = Vec::new();
    for (code, file) in files.iter().filter(|(c, _)| *c != "en") {
        let ours = map(file, "site");
        for (key, en) in &english {
            match ours.get(key) {
                Some(value) => problems.extend(check_phrase(code, key, en, value)),
                None => problems.push(format!("{code}: site.{key} is missing")),
            }
        }
        for key in ours.keys().filter(|k| !english.contains_key(*k)) {
            problems.push(format!(
                "{code}: site.{key} is not an English key (a typo?)"
            ));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn every_leaflet_phrase_and_help_label_of_english_is_translated() {
    let files = shipped();
    let mut problems = Vec::new();
    for section in ["text", "help"] {
        let english = map(&files["en"], section);
        for (code, file) in files.iter().filter(|(c, _)| *c != "en") {
            let ours = map(file, section);
            for key in english.keys() {
                let text = ours.get(key).and_then(|v| v.as_str()).unwrap_or_default();
                if text.trim().is_empty() {
                    problems.push(format!("{code}: {section}.{key} is missing"));
                }
            }
        }
    }
    for (code, file) in &files {
        if !map(file, "languages").contains_key(code.as_str()) {
            problems.push(format!(
                "{code}: languages.{code} (its own name) is missing"
            ));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn months_are_twelve_and_digits_are_western() {
    let mut problems = Vec::new();
    for (code, file) in shipped() {
        let months: Vec<&str> = file
            .get("months")
            .and_then(Value::as_sequence)
            .map(|s| s.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if months.len() != 12 || months.iter().any(|m| m.trim().is_empty()) {
            problems.push(format!("{code}: months has {} names, not 12", months.len()));
        }
        let text = std::fs::read_to_string(dir().join(format!("{code}.yaml"))).unwrap();
        // Arabic-Indic and Eastern Arabic-Indic digits: UK services write 0-9.
        if let Some(c) = text
            .chars()
            .find(|c| matches!(c, '\u{0660}'..='\u{0669}' | '\u{06F0}'..='\u{06F9}'))
        {
            problems.push(format!("{code}: the digit {c} is not Western (write 0-9)"));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn each_translation_says_who_wrote_it_and_is_unreviewed_until_a_native_speaker_checks_it() {
    let mut problems = Vec::new();
    for (code, file) in shipped() {
        let reviewed = file
            .get("meta")
            .and_then(|m| m.get("reviewed"))
            .and_then(Value::as_bool);
        let want = REVIEWED.contains(&code.as_str());
        if reviewed != Some(want) {
            problems.push(format!(
                "{code}: meta.reviewed is {reviewed:?}, but {}",
                if want {
                    "a native speaker has reviewed it (REVIEWED)"
                } else {
                    "no native speaker has reviewed it yet: it must say `reviewed: false`"
                }
            ));
        }
        if code == "en" {
            continue;
        }
        let by = file
            .get("meta")
            .and_then(|m| m.get("translated_by"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        if by.trim().is_empty() {
            problems.push(format!("{code}: meta.translated_by is missing"));
        }
        // The comment at the top says the same to whoever opens the file.
        let text = std::fs::read_to_string(dir().join(format!("{code}.yaml"))).unwrap();
        let head: String = text
            .lines()
            .take_while(|l| l.starts_with('#'))
            .collect::<Vec<_>>()
            .join("\n");
        if !head.contains("native") || !head.contains("review") {
            problems.push(format!(
                "{code}: the comment at the top must say who translated it and that a native speaker has (not) reviewed it"
            ));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn the_crate_reads_each_translation_with_no_english_left_over() {
    let strings = aidmap::leaflet::Strings::builtin();
    let english = strings.english_strings();
    for code in shipped().keys().filter(|c| *c != "en") {
        let lang = strings
            .language(code)
            .unwrap_or_else(|| panic!("{code}: the crate did not load it"));
        assert!(
            lang.site_missing.is_empty(),
            "{code}: pages would show English for {:?}",
            lang.site_missing
        );
        assert_ne!(lang.months, english.months, "{code}: months are English");
        assert!(!lang.meta.reviewed, "{code}: unreviewed, see REVIEWED");
    }
    // Arabic is written right to left, and its pages and leaflets say so.
    assert!(strings.language("ar").unwrap().rtl);
}

#[test]
fn a_missing_form_or_a_stray_place_is_caught() {
    // The checks above, on a bad Welsh phrase: they must not pass anything.
    let english: Value =
        serde_yaml::from_str("one: '{n} group in {code}'\nother: '{n} groups in {code}'").unwrap();
    let welsh: Value =
        serde_yaml::from_str("one: 'Un grŵp yn {code}'\nother: '{n} grŵp yn {cod}'").unwrap();
    let problems = check_phrase("cy", "x", &english, &welsh);
    for want in [
        "cy: site.x has no `zero` form",
        "cy: site.x has no `many` form",
        "cy: site.x.other lacks {code}",
        "cy: site.x.other has {cod}, which the English does not",
    ] {
        assert!(
            problems.iter().any(|p| p == want),
            "{want} not in {problems:?}"
        );
    }
    // "Un grŵp" says the number in words: allowed in the `one` form.
    assert!(
        !problems.iter().any(|p| p.contains("x.one lacks")),
        "{problems:?}"
    );
    let codes_lost = check_phrase(
        "cy",
        "y",
        &Value::from("for NR2 3AB it is NR2"),
        &Value::from("ar gyfer NR2 3BA"),
    );
    assert_eq!(codes_lost, vec!["cy: site.y lacks `3AB` from the English"]);
}
