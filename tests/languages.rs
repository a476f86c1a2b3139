//! The whole site in each of its languages (issue #28): the fixture `languages-site` lists
//! `languages: [en, cy, so, ar]`. Every page of every language says its language and
//! direction, names its copies in the other languages (hreflang) and offers a switcher
//! that keeps the resident on the same page; no English word of the theme is left on a
//! page in another language unless the build reported it as missing.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{fixture, run};

const LANGS: [(&str, &str, &str, &str); 4] = [
    ("en", "", "en-GB", "ltr"),
    ("cy", "cy/", "cy", "ltr"),
    ("so", "so/", "so", "ltr"),
    ("ar", "ar/", "ar", "rtl"),
];

/// Every kind of page, by its path without the language's folder.
const PAGES: &[&str] = &[
    "index.html",
    "groups/index.html",
    "groups/cardiff-helpers/index.html",
    "groups/nr2-helpers/index.html",
    "postcodes/index.html",
    "postcodes/cf/index.html",
    "postcodes/cf10/index.html",
    "postcodes/nr4/index.html",
    "areas/cf/index.html",
    "stories/index.html",
    "stories/first-week/index.html",
    "about/index.html",
    "about/add-your-group/index.html",
    "organisers/index.html",
    "embed/index.html",
    "404.html",
    // The leaflets' pages: the list, an area's list and a sheets page (noindex).
    "leaflets/index.html",
    "leaflets/nr/index.html",
    "leaflets/nr/1/index.html",
];

fn built() -> (tempfile::TempDir, std::path::PathBuf, String) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let stderr = build(&fixture("languages-site"), &out);
    (tmp, out, stderr)
}

/// Builds `root` into `out`, which must succeed; what it printed on stderr.
fn build(root: &Path, out: &Path) -> String {
    let o = run(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{stderr}");
    stderr
}

fn read(out: &Path, path: &str) -> String {
    std::fs::read_to_string(out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The page's address as links and hreflang name it: `cy/groups/x/`.
fn address(prefix: &str, page: &str) -> String {
    format!("{prefix}{}", page.trim_end_matches("index.html"))
}

#[test]
fn every_page_of_every_language_says_its_language_and_names_the_others() {
    let (_tmp, out, _) = built();
    for (code, prefix, tag, dir) in LANGS {
        for page in PAGES {
            let path = format!("{prefix}{page}");
            let html = read(&out, &path);
            assert!(
                html.contains(&format!("<html lang=\"{tag}\" dir=\"{dir}\">")),
                "{path}: no <html lang=\"{tag}\" dir=\"{dir}\">"
            );
            if *page == "embed/index.html" {
                continue; // inside other sites' pages: no header, no alternates
            }
            for (other, other_prefix, other_tag, _) in LANGS {
                let href = format!(
                    "<link rel=\"alternate\" hreflang=\"{other_tag}\" href=\"https://example.org/dir/{}\">",
                    address(other_prefix, page)
                );
                assert!(
                    html.contains(&href),
                    "{path}: no alternate for {other}: {href}"
                );
            }
            assert!(
                html.contains("hreflang=\"x-default\""),
                "{path}: no x-default alternate"
            );
            // The switcher: this language marked, the others linked to this same page.
            let nav = html
                .split("<nav class=\"languages\"")
                .nth(1)
                .and_then(|n| n.split("</nav>").next())
                .unwrap_or_else(|| panic!("{path}: no language switcher"));
            assert!(nav.contains("aria-current=\"true\""), "{path}: {nav}");
            for (other, other_prefix, _, _) in LANGS.iter().filter(|l| l.0 != code) {
                let target = address(other_prefix, page);
                let linked = nav.split("href=\"").skip(1).any(|h| {
                    let href = h.split('"').next().unwrap_or_default();
                    resolve(&path, href) == target
                });
                assert!(
                    linked,
                    "{path}: the switcher does not link {other} at {target}: {nav}"
                );
            }
        }
    }
}

/// Resolves a relative link from the page at `from` (a file path in the site) to a path
/// in the site; an absolute path (the 404 page's) is taken from the site's base path.
fn resolve(from: &str, href: &str) -> String {
    let href = href.trim_start_matches("/dir/");
    if !href.starts_with("../") && from.ends_with("404.html") {
        return href.to_string();
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for piece in href.split('/') {
        match piece {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            p => parts.push(p),
        }
    }
    let mut s = parts.join("/");
    if href.ends_with('/') && !s.is_empty() {
        s.push('/');
    }
    s
}

/// The `site:` words of a shipped strings file, each as its text or its forms.
fn site_words(code: &str) -> BTreeMap<String, Vec<String>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("themes/default/i18n")
        .join(format!("{code}.yaml"));
    let text = std::fs::read_to_string(path).unwrap();
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let mut out = BTreeMap::new();
    if let Some(map) = doc.get("site").and_then(|s| s.as_mapping()) {
        for (k, v) in map {
            let forms = match v {
                serde_yaml::Value::String(s) => vec![s.clone()],
                serde_yaml::Value::Mapping(m) => m
                    .values()
                    .filter_map(|f| f.as_str().map(str::to_string))
                    .collect(),
                _ => Vec::new(),
            };
            out.insert(k.as_str().unwrap_or_default().to_string(), forms);
        }
    }
    out
}

/// The longest run of an English word's text between its `{places}`: what would show on
/// a page if the English were left there.
fn telltale(text: &str) -> String {
    text.split(['{', '}'])
        .step_by(2)
        .map(str::trim)
        .max_by_key(|s| s.len())
        .unwrap_or_default()
        .to_string()
}

#[test]
fn no_english_theme_word_is_left_on_another_language_page_unless_reported() {
    let (_tmp, out, stderr) = built();
    let english = site_words("en");
    for (code, prefix, _, _) in LANGS.iter().filter(|l| l.0 != "en") {
        let words = site_words(code);
        let missing: Vec<&String> = english.keys().filter(|k| !words.contains_key(*k)).collect();
        if !missing.is_empty() {
            // Reported: the build names how many, and which, are shown in English.
            assert!(
                stderr.contains(&format!(
                    "have no words for {} of {} keys",
                    missing.len(),
                    english.len()
                )),
                "{code}: {} keys missing but not reported: {stderr}",
                missing.len()
            );
        }
        for page in PAGES {
            let path = format!("{prefix}{page}");
            let html = read(&out, &path);
            // The page's words, without what it shows in English on purpose (`lang="en"`:
            // a group's own words, licence lines) or as data (the search words).
            let text = visible_text(&html);
            for (key, forms) in &english {
                if missing.contains(&key) {
                    continue;
                }
                let theirs = &words[key];
                for form in forms {
                    let t = telltale(form);
                    if t.chars().count() < 12 || theirs.iter().any(|w| w.contains(&t)) {
                        continue;
                    }
                    assert!(
                        !text.contains(&t),
                        "{path}: the English of `{key}` (\"{t}\") is on the {code} page"
                    );
                }
            }
        }
    }
}

/// A page's text outside `lang="en"` elements, scripts and maps, and the head.
fn visible_text(html: &str) -> String {
    let mut text = html.split("<body").nth(1).unwrap_or(html).to_string();
    // Scripts (the search words are data). The maps stay in: their title and
    // description are written in the page's language.
    text = cut(&text, "<script", |after| {
        after.find("</script>").map(|j| j + "</script>".len())
    });
    // The add-group form's `data-label`s: the English headings of the text it sends,
    // the format `aidmap intake` reads, never shown.
    let text = cut(&text, " data-label=\"", |after| {
        after[" data-label=\"".len()..]
            .find('"')
            .map(|j| j + " data-label=\"".len() + 1)
    });
    // What is marked as English on purpose (a group's own words, licence lines), to the
    // end of the element that says so.
    cut(&text, " lang=\"en\"", |after| {
        ["</div>", "</span>", "</p>", "</h1>", "</article>", "</li>"]
            .iter()
            .filter_map(|c| after.find(c).map(|j| j + c.len()))
            .min()
    })
}

/// `text` without each piece from `open` to where `end` says it ends (or the end).
fn cut(text: &str, open: &str, end: impl Fn(&str) -> Option<usize>) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(open) {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        rest = &after[end(after).unwrap_or(after.len())..];
    }
    out.push_str(rest);
    out
}

#[test]
fn the_search_words_come_in_the_page_language_and_rtl_pages_keep_numbers_left_to_right() {
    let (_tmp, out, _) = built();
    let cy = read(&out, "cy/index.html");
    // One search script and one set of search files for every language; the words
    // come in a small file a language.
    assert!(
        cy.contains(r#"<script src="../search-cy.js" defer></script>"#),
        "{cy}"
    );
    assert!(cy.contains(r#"<script src="../search.js" defer></script>"#));
    assert!(read(&out, "search-cy.js").contains(r#""lang":"cy""#));
    assert!(read(&out, "search-ar.js").contains(r#""lang":"ar""#));
    assert!(!out.join("cy/search.js").exists() && !out.join("cy/search").exists());
    let ar = read(&out, "ar/groups/cardiff-helpers/index.html");
    assert!(
        ar.contains(r#"<span class="tel">029 2018 0001</span>"#),
        "{ar}"
    );
    let css = read(&out, "style.css");
    assert!(
        css.contains(".tel,[dir=rtl] .email,[dir=rtl] .url{direction:ltr;unicode-bidi:isolate}")
    );
}

#[test]
fn welsh_pages_name_welsh_towns_in_welsh_and_the_sitemap_lists_every_language() {
    let (_tmp, out, _) = built();
    let district = read(&out, "cy/postcodes/cf10/index.html");
    assert!(district.contains("Caerdydd"), "{district}");
    assert!(!read(&out, "postcodes/cf10/index.html").contains("Caerdydd"));
    let sitemap = read(&out, "sitemap.xml");
    for loc in [
        "https://example.org/dir/groups/cardiff-helpers/",
        "https://example.org/dir/cy/groups/cardiff-helpers/",
        "https://example.org/dir/ar/groups/cardiff-helpers/",
    ] {
        assert!(sitemap.contains(&format!("<loc>{loc}</loc>")), "{loc}");
    }
    assert!(sitemap.contains(
        r#"<xhtml:link rel="alternate" hreflang="cy" href="https://example.org/dir/cy/groups/cardiff-helpers/"/>"#
    ));
    // The leaflets' list in every language; the sheets pages are noindex, so not listed.
    assert!(sitemap.contains("<loc>https://example.org/dir/cy/leaflets/</loc>"));
    assert!(sitemap.contains(
        r#"<xhtml:link rel="alternate" hreflang="ar" href="https://example.org/dir/ar/leaflets/"/>"#
    ));
    assert!(!sitemap.contains("leaflets/nr/1/"));
    // A feed per language.
    assert!(read(&out, "cy/feed.xml").contains("xml:lang=\"cy\""));
}

#[test]
fn a_language_aidmap_does_not_know_is_a_located_error() {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_dir(&fixture("languages-site"), tmp.path());
    let site = tmp.path().join("site.yaml");
    let text = std::fs::read_to_string(&site).unwrap();
    std::fs::write(
        &site,
        text.replace("[en, cy, so, ar]", "[en, cy, Welsh, xx]"),
    )
    .unwrap();
    let o = run(&["check", "--root", tmp.path().to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(
        err.contains("site.yaml:4:") && err.contains("`Welsh` is not a language code"),
        "{err}"
    );
    assert!(
        err.contains("`xx`, a language code aidmap does not know"),
        "{err}"
    );
}

#[test]
fn a_group_and_a_story_show_their_own_translation_else_their_english_marked_as_such() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let root = fixture("languages");
    let o = run(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let group = |prefix: &str| {
        read(
            &out,
            &format!("{prefix}groups/butetown-neighbours/index.html"),
        )
    };
    // Welsh: the group's Welsh, with no lang of its own (it is the page's language).
    assert!(group("cy/").contains(
        r#"<p class="lede">Cymdogion yn Butetown yn helpu gyda siopa, presgripsiynau a galwad gyfeillgar.</p>"#
    ));
    assert!(
        group("cy/").contains(r#"<p class="hours">"#)
            && group("cy/").contains("Dydd Llun i ddydd Sadwrn, 10yb i 6yh")
    );
    // Arabic: no Arabic given, so the English, marked English and left to right.
    assert!(group("ar/").contains(
        r#"<p class="lede" lang="en" dir="auto">Neighbours in Butetown helping with shopping, prescriptions and a friendly call.</p>"#
    ));
    // English pages carry no marking.
    assert!(group("").contains(r#"<p class="lede">Neighbours in Butetown"#));
    // The story's Welsh file on the Welsh pages, its English elsewhere.
    assert!(read(&out, "cy/stories/butetown-food-parcels/index.html")
        .contains("<h1>Parseli bwyd yn Butetown</h1>"));
    assert!(read(&out, "so/stories/butetown-food-parcels/index.html")
        .contains(r#"<h1 lang="en" dir="auto">Food parcels in Butetown</h1>"#));
}

#[test]
fn maps_organisers_reasons_site_texts_and_the_add_group_form_speak_the_page_language() {
    let (_tmp, out, _) = built();
    // The maps' own title and description, place names in Welsh.
    let cf10 = read(&out, "cy/postcodes/cf10/index.html");
    assert!(
        cf10.contains("Map o ddosbarth cod post CF10 (Caerdydd)"),
        "{cf10}"
    );
    assert!(!cf10.contains("Map of postcode district"));
    assert!(
        read(&out, "postcodes/cf10/index.html").contains("Map of postcode district CF10 (Cardiff)")
    );
    let area = read(&out, "cy/areas/cf/index.html");
    assert!(
        area.contains("<li>1. Cardiff Helpers: llinellau croeslin (/)</li>"),
        "{area}"
    );
    assert!(area.contains("Grwpiau cymorth cydfuddiannol yn Caerdydd</title>"));
    // The organisers' page: why two groups look alike.
    let org = read(&out, "cy/organisers/index.html");
    assert!(org.contains("yr un rhif ffôn 01632 960001"), "{org}");
    assert!(org.contains("mae&#39;r ddau yn cwmpasu NR2"));
    assert!(!org.contains("same phone number"));
    // Its dates too (the report's own are English, as `aidmap report` prints them).
    for month in [
        "January",
        "February",
        "March",
        "April",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ] {
        assert!(
            !org.contains(&format!(" {month} ")),
            "{month} on cy/organisers/"
        );
    }
    assert!(read(&out, "organisers/index.html")
        .contains("same phone number 01632 960001; similar names"));
    // site.yaml's own words: Welsh where given, else the English marked as English.
    let cy = read(&out, "cy/index.html");
    assert!(
        cy.contains(r#"<a class="site-title" href="../cy/">Cyfeiriadur Prawf</a>"#),
        "{cy}"
    );
    assert!(cy.contains("<title>Cyfeiriadur Prawf</title>"));
    assert!(cy.contains(r#"<meta name="description" content="Cyfeiriadur i&#39;w brofi.">"#));
    assert!(cy.contains("Ble mae gan Cyfeiriadur Prawf grwpiau"));
    let so = read(&out, "so/index.html");
    assert!(
        so.contains(r#"<a class="site-title" href="../so/" lang="en">Test Directory</a>"#),
        "{so}"
    );
    assert!(!read(&out, "index.html").contains(r#"class="site-title" href="./" lang="#));
    assert!(read(&out, "cy/postcodes/ab10/index.html")
        .contains("· Help meddygol brys nad yw&#39;n argyfwng</li>"));
    assert!(read(&out, "so/postcodes/ab10/index.html").contains(
        r#"· <span lang="en">Urgent medical help or advice that is not an emergency</span></li>"#
    ));
    // "Add your group" in Welsh: Welsh labels and script words; the headings of the text
    // it sends, and the text itself, are the intake's English.
    let add = read(&out, "cy/about/add-your-group/index.html");
    assert!(add.contains("<h1>Ychwanegu eich grŵp</h1>"), "{add}");
    assert!(
        add.contains(r#"data-label="Group name" data-name="Enw&#39;r grŵp""#),
        "{add}"
    );
    assert!(add.contains("Gwall: "), "the script's words are the page's");
    assert!(add.contains(r#"<div lang="en" dir="ltr"><pre class="copy"><code>### Request"#));
    assert!(
        add.contains(r#"<script src="../../../add-group.js" defer>"#),
        "one script for every language"
    );
}

/// A Welsh-first directory writes `safety_line:` in Welsh: its Welsh pages and leaflets
/// (at the root) print it, its English ones (under `en/`) the English default, never the
/// Welsh line, and `aidmap check` says the English has no line of the site's own.
#[test]
fn a_welsh_first_directory_s_safety_line_is_its_welsh_one() {
    const WELSH: &str = "Ni fydd ein gwirfoddolwyr byth yn gofyn am arian.";
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("dir");
    common::copy_dir(&fixture("languages-site"), &root);
    let yaml = read(&root, "site.yaml")
        .replace("language: en-GB\n", "language: cy\n")
        .replace("languages: [en, cy, so, ar]", "languages: [cy, en]")
        .replace(
            "stale_after_days: 180\n",
            &format!("stale_after_days: 180\nsafety_line: {WELSH}\n"),
        );
    std::fs::write(root.join("site.yaml"), yaml).unwrap();
    let out = tmp.path().join("public");
    let stderr = build(&root, &out);
    assert!(
        stderr.contains("English leaflets print the shipped translation"),
        "{stderr}"
    );
    let english_default = "Volunteers will never ask you for money";
    let welsh_page = read(&out, "groups/cardiff-helpers/index.html");
    assert!(welsh_page.contains(WELSH), "Welsh page");
    let english_page = read(&out, "en/groups/cardiff-helpers/index.html");
    assert!(english_page.contains(english_default), "English page");
    assert!(
        !english_page.contains(WELSH),
        "no Welsh line on the English page"
    );
    let welsh_sheets = read(&out, "leaflets/cf/1/index.html");
    assert!(welsh_sheets.contains(WELSH), "Welsh leaflets");
    // The English sheets page holds the group's Welsh layouts too (`cy-…`), with the
    // Welsh line; its English layouts print the English default.
    let english_sheets = read(&out, "en/leaflets/cf/1/index.html");
    let layouts: Vec<&str> = english_sheets
        .split("<section id=\"cardiff-helpers.")
        .skip(1)
        .collect();
    assert!(layouts.len() >= 4, "{} layouts", layouts.len());
    for layout in layouts {
        let layout = &layout[..layout.find("</section>").unwrap()];
        if layout.starts_with("cy-") {
            assert!(layout.contains(WELSH), "Welsh layout: {layout}");
        } else {
            assert!(layout.contains(english_default), "English layout: {layout}");
            assert!(!layout.contains(WELSH), "English layout: {layout}");
        }
    }
}
