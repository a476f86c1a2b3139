//! Content in several languages (issue #28), as a volunteer meets it: a group record's
//! `translations:` block and a story's `<slug>.cy.md`, checked like the English and
//! loaded for the pages; the warnings `aidmap check` gives; `aidmap report
//! --translations`; and an update through `aidmap intake` that keeps the translations.
//!
//! The errors each have a fixture under `tests/fixtures/invalid/` (translation-*,
//! story-translation-*), pinned by `tests/fixtures.rs`.

mod common;

use std::path::{Path, PathBuf};

use aidmap::{BuildOptions, Site};
use common::{copy_dir, fixture, run};

fn languages_copy() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&fixture("languages"), &root);
    (tmp, root)
}

fn check(root: &Path) -> (Option<i32>, String) {
    let out = run(&["check", "--root", root.to_str().unwrap()]);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).replace('\\', "/"),
    )
}

#[test]
fn the_languages_fixture_checks_and_its_translations_are_loaded() {
    let (code, stderr) = check(&fixture("languages"));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stderr.contains(": error: "), "{stderr}");

    let site = Site::load(&fixture("languages"), &BuildOptions::default()).unwrap();
    assert_eq!(site.config.languages, ["en", "cy", "so", "ar"]);
    let group = |slug: &str| site.content.groups.iter().find(|g| g.slug == slug).unwrap();
    let butetown = group("butetown-neighbours");
    assert_eq!(
        butetown.translations.keys().collect::<Vec<_>>(),
        ["cy", "so"]
    );
    let cy = &butetown.translations["cy"];
    assert_eq!(
        cy.summary.as_deref(),
        Some("Cymdogion yn Butetown yn helpu gyda siopa, presgripsiynau a galwad gyfeillgar.")
    );
    assert_eq!(
        cy.hours.as_deref(),
        Some("Dydd Llun i ddydd Sadwrn, 10yb i 6yh")
    );
    // Rendered as the English description is: headings from h3, sanitised.
    assert!(
        cy.description_html
            .starts_with("<p>Dechreuon ni ym mis Mawrth 2020 ar Sgwâr Loudoun.</p>"),
        "{}",
        cy.description_html
    );
    assert!(cy
        .description
        .as_deref()
        .unwrap()
        .ends_with("yr un diwrnod."));
    // A translation that gives only the summary leaves the rest to the English.
    let canton = &group("canton-mutual-aid").translations["cy"];
    assert!(canton.summary.is_some());
    assert!(canton.hours.is_none() && canton.description.is_none());
    assert!(canton.description_html.is_empty());
    assert!(group("harlesden-helpers").translations["ar"]
        .summary
        .as_deref()
        .unwrap()
        .starts_with("جيران في هارلسدن"));

    // `butetown-food-parcels.cy.md` is the Welsh of the story, not a story of its own.
    assert_eq!(site.content.stories.len(), 1);
    let story = &site.content.stories[0];
    assert_eq!(story.slug, "butetown-food-parcels");
    let cy = &story.translations["cy"];
    assert_eq!(cy.title.as_deref(), Some("Parseli bwyd yn Butetown"));
    assert!(cy.body_html.starts_with("<p>Yn ystod y cyfnod clo cyntaf"));
    // No summary given: the first sentence of the Welsh, as for an English story.
    assert_eq!(
        cy.summary.as_deref(),
        Some("Yn ystod y cyfnod clo cyntaf, aeth gwirfoddolwyr â pharseli bwyd i 200 o gartrefi.")
    );
}

#[test]
fn translations_the_site_cannot_use_are_located_warnings() {
    let (_tmp, root) = languages_copy();
    let groups = root.join("content/groups");
    std::fs::write(
        groups.join("grangetown-helpers.yaml"),
        "\
name: Grangetown Helpers
summary: Neighbours in Grangetown doing shopping.
areas: [CF11]
contact:
  phone: \"029 2018 0789\"
last_checked: 2026-11-01
translations:
  pl:
    summary: Sąsiedzi w Grangetown robią zakupy.
  cy: {}
  en:
    summary: Neighbours helping.
  so:
    summary: Deriska Grangetown.
    hours: Maalin kasta
    description: Waan caawinnaa.
",
    )
    .unwrap();
    let stories = root.join("content/stories");
    std::fs::write(
        stories.join("butetown-food-parcels.pl.md"),
        "Wolontariusze zanieśli paczki z jedzeniem do 200 domów.\n",
    )
    .unwrap();
    std::fs::write(
        stories.join("butetown-food-parcels.so.md"),
        "---\ntitle: Cunto\ndate: 2020-05-02\n---\n\n",
    )
    .unwrap();
    std::fs::write(stories.join("butetown-food-parcels.ar.md"), "---\n---\n\n").unwrap();
    let (code, stderr) = check(&root);
    assert_eq!(code, Some(0), "warnings only: {stderr}");
    let g = "content/groups/grangetown-helpers.yaml";
    for expected in [
        format!("{g}:8:3: warning: this Polish translation is not published\n  = hint: add `pl` to `languages:` in site.yaml"),
        format!("{g}:10:7: warning: the Welsh translation is empty\n  = hint: give `summary`, `description` or `hours` in Welsh under `cy:`, or remove the `cy:` line"),
        format!("{g}:11:3: warning: `en` is the site's own language, so this translation is not used"),
        format!("{g}:15:12: warning: the Somali hours translate nothing: the record has no `contact.hours`"),
        format!("{g}:16:18: warning: the Somali description translates nothing: the record has no `description`"),
        "content/stories/butetown-food-parcels.pl.md: warning: this Polish translation is not published\n  = hint: add `pl` to `languages:` in site.yaml".to_string(),
        "content/stories/butetown-food-parcels.so.md:3:7: warning: `date` is not used in a translation: it comes from the English story".to_string(),
        "content/stories/butetown-food-parcels.ar.md: warning: the translation is empty".to_string(),
    ] {
        assert!(stderr.contains(&expected), "wanted\n{expected}\nin\n{stderr}");
    }
    // The unpublished translation is still checked and kept; the empty ones are not.
    let site = Site::load(&root, &BuildOptions::default()).unwrap();
    let g = site
        .content
        .groups
        .iter()
        .find(|g| g.slug == "grangetown-helpers")
        .unwrap();
    assert_eq!(g.translations.keys().collect::<Vec<_>>(), ["pl", "so"]);
    let story = &site.content.stories[0];
    assert_eq!(
        story.translations.keys().collect::<Vec<_>>(),
        ["cy", "pl", "so"]
    );
    assert_eq!(story.translations["so"].title.as_deref(), Some("Cunto"));
    assert!(story.translations["pl"].title.is_none());
}

#[test]
fn unknown_keys_in_a_sites_strings_file_are_located_warnings() {
    let (_tmp, root) = languages_copy();
    std::fs::write(
        root.join("i18n/cy.yaml"),
        "help:\n  school-runs: Teithiau ysgol\n  shoping: Siopa\n  knitting: Gwau\nlanguages:\n  eng: Saesneg\n  ar: Arabeg\n",
    )
    .unwrap();
    let (code, stderr) = check(&root);
    assert_eq!(code, Some(0), "{stderr}");
    for expected in [
        "i18n/cy.yaml:3:12: warning: unknown kind of help `shoping` under `help:` is ignored\n  = hint: did you mean `shopping`?",
        "i18n/cy.yaml:4:13: warning: unknown kind of help `knitting` under `help:` is ignored\n  = hint: the kinds of help are those of the built-in vocabulary and site.yaml's `help:`",
        "i18n/cy.yaml:6:8: warning: unknown language code `eng` under `languages:` is ignored\n  = hint: did you mean `en`?",
    ] {
        assert!(stderr.contains(expected), "wanted\n{expected}\nin\n{stderr}");
    }
    // The site's own kind of help and a known code are not unknown.
    let about_cy = stderr
        .lines()
        .filter(|l| l.starts_with("i18n/cy.yaml"))
        .count();
    assert_eq!(about_cy, 3, "{stderr}");
}

#[test]
fn report_translations_lists_what_each_language_lacks() {
    let out = run(&[
        "report",
        "--translations",
        "--root",
        fixture("languages").to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    // The theme's keys change as the theme grows, so only what this fixture decides is
    // pinned: its own kind of help, translated for Welsh alone, and its content.
    assert!(
        text.starts_with("Translations from `en` into cy, so, ar\n\nWelsh (cy):\n"),
        "{text}"
    );
    let block = |name: &str| {
        let start = text.find(&format!("\n{name} (")).unwrap() + 1;
        let end = text[start..].find("\n\n").map_or(text.len(), |e| start + e);
        text[start..end].to_string()
    };
    let welsh = block("Welsh");
    assert!(!welsh.contains("help.school-runs"), "{welsh}");
    assert!(
        welsh.ends_with(
            "\
  Groups with no Welsh translation (1 of 3):
    Harlesden Helpers (content/groups/harlesden-helpers.yaml)
  Stories with no Welsh translation (0 of 1):
    none"
        ),
        "{welsh}"
    );
    let somali = block("Somali");
    assert!(somali.contains("help.school-runs"), "{somali}");
    assert!(
        somali.contains("    (add them to i18n/so.yaml; the English is shown until then)\n"),
        "{somali}"
    );
    assert!(
        somali.ends_with(
            "\
  Groups with no Somali translation (2 of 3):
    Canton Mutual Aid (content/groups/canton-mutual-aid.yaml)
    Harlesden Helpers (content/groups/harlesden-helpers.yaml)
  Stories with no Somali translation (1 of 1):
    Food parcels in Butetown (content/stories/butetown-food-parcels.md)"
        ),
        "{somali}"
    );
    let arabic = block("Arabic");
    assert!(arabic.contains("  Groups with no Arabic translation (2 of 3):\n    Butetown Neighbours (content/groups/butetown-neighbours.yaml)\n    Canton Mutual Aid"), "{arabic}");
    let last = text.lines().last().unwrap();
    assert!(
        last.starts_with("In all: ")
            && last
                .ends_with(" theme strings, 5 groups and 2 stories to translate into 3 languages"),
        "{last}"
    );

    // The JSON form lists every missing key.
    let out = run(&[
        "report",
        "--translations",
        "--format",
        "json",
        "--root",
        fixture("languages").to_str().unwrap(),
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let somali = &json["languages"][1];
    assert_eq!(somali["code"], "so");
    assert!(somali["missing_keys"]
        .as_array()
        .unwrap()
        .contains(&"help.school-runs".into()));

    // A site in one language has nothing to translate.
    let out = run(&[
        "report",
        "--translations",
        "--root",
        fixture("minimal").to_str().unwrap(),
    ]);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("The site is published in `en` only"));
}

#[test]
fn an_update_through_intake_keeps_the_listing_s_translations() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&fixture("intake/site"), &root);
    let file = root.join("content/groups/thorpe-neighbours.yaml");
    let before = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        format!("{before}translations:\n  cy:\n    summary: Cymdogion yn Thorpe yn helpu.\n    hours: Dyddiau'r wythnos\n"),
    )
    .unwrap();
    let out = run(&[
        "intake",
        "--root",
        root.to_str().unwrap(),
        fixture("intake/cases/update.md").to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains("translations (cy) are kept as they were"),
        "{stdout}"
    );
    let after = std::fs::read_to_string(&file).unwrap();
    assert!(
        after.ends_with("translations:\n  cy:\n    summary: Cymdogion yn Thorpe yn helpu.\n    hours: Dyddiau'r wythnos\n"),
        "{after}"
    );
    // The update itself went in.
    assert!(after.contains("phone: 01632 960999"), "{after}");
}

#[test]
fn a_record_with_translations_round_trips_through_the_one_writer() {
    let site = Site::load(&fixture("languages"), &BuildOptions::default()).unwrap();
    for g in &site.content.groups {
        let text = aidmap::intake::record::Record::from_group(g).to_yaml("https://example.org/s");
        let (again, problems) =
            aidmap::content::Group::parse(Path::new("g.yaml"), &g.slug, &text, &site.config);
        let again = again.unwrap_or_else(|| panic!("{text}\n{problems:?}"));
        assert_eq!(again.translations, g.translations, "{text}");
    }
}
