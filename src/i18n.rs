//! The site in each of its languages: which languages, where each one's pages go, and
//! the words, counted phrases, dates and lists of every page in that language.
//!
//! `site.yaml` `languages: [en, cy]` builds the whole site once per language: the first
//! at the site's root, each other under its code (`cy/`). Every word a page shows comes
//! from the `site:` map of the language's strings file (`themes/default/i18n/<code>.yaml`,
//! then the directory's own `i18n/<code>.yaml`; see `leaflet::strings`), English filling
//! each gap with a build warning naming the keys.
//!
//! Counted phrases ("3 groups") use the Unicode CLDR plural rules through ICU4X
//! (`icu_plurals`): Welsh has six forms (zero, one, two, few, many, other), Somali two,
//! Arabic six, and the browser's `Intl.PluralRules` follows the same CLDR rules, so a
//! search answer and a page say the same thing.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use icu_plurals::{PluralCategory, PluralRules};

use crate::config::Config;
use crate::leaflet::strings::{LanguageStrings, Word};
use crate::leaflet::Strings;

/// One language the site is built in, ready for pages.
#[derive(Debug, Clone)]
pub struct Lang {
    /// ISO 639-1 code: `cy`.
    pub code: String,
    /// What `<html lang>` says: site.yaml's `language` for the default language when it
    /// names the same language (`en-GB`), else the code.
    pub tag: String,
    /// `ltr` or `rtl`.
    pub dir: &'static str,
    /// The language's own name, for the switcher: "Cymraeg".
    pub own: String,
    /// Where its pages go from the site root: "" for the default, else `cy/`.
    pub prefix: String,
    /// The words, every key present.
    pub strings: LanguageStrings,
    /// `site` as a template value (cheap to clone: shared).
    pub t: tera::Value,
}

/// Another language's copy of a page, for `hreflang` and the switcher.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Alternate {
    /// Code.
    pub code: String,
    /// `<html lang>` value.
    pub tag: String,
    /// Its own name.
    pub own: String,
    /// Written right to left.
    pub rtl: bool,
    /// The page in that language, from the site root: `cy/groups/x/`.
    pub path: String,
    /// This page's language.
    pub current: bool,
}

impl Lang {
    /// Every language of the site, the default first. A language with no strings file is
    /// built with English words (`Site::load` has already reported it).
    pub fn all(config: &Config, strings: &Strings) -> Vec<Lang> {
        config
            .languages
            .iter()
            .enumerate()
            .map(|(i, code)| {
                let words = strings
                    .language(code)
                    .unwrap_or_else(|| strings.english_strings())
                    .clone();
                let primary = config.language.split(['-', '_']).next().unwrap_or("");
                let tag = if i == 0 && primary.eq_ignore_ascii_case(code) {
                    config.language.clone()
                } else {
                    code.clone()
                };
                let (_, own, rtl) = crate::content::help::language(code).unwrap_or(("", "", false));
                Lang {
                    code: code.clone(),
                    tag,
                    dir: if rtl { "rtl" } else { "ltr" },
                    own: if own.is_empty() {
                        code.clone()
                    } else {
                        own.to_string()
                    },
                    prefix: if i == 0 {
                        String::new()
                    } else {
                        format!("{code}/")
                    },
                    t: tera::Value::from_serializable(&words.site),
                    strings: words,
                }
            })
            .collect()
    }

    /// A place's name in this language: Welsh names for Welsh towns on Welsh pages.
    pub fn place_name(&self, english: &str) -> String {
        match self.code.as_str() {
            "cy" => crate::geo::welsh_name(english)
                .unwrap_or(english)
                .to_string(),
            _ => english.to_string(),
        }
    }

    /// One word by key; a key no file has gives the key itself, which a test forbids in
    /// the shipped theme.
    pub fn text<'a>(&'a self, key: &'a str) -> &'a str {
        self.strings.site.get(key).map_or(key, Word::text)
    }

    /// A text with its `{name}` places filled.
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        fill(self.text(key), values)
    }

    /// A counted phrase: the form for `n` in this language, `{n}` and the other places filled.
    pub fn count(&self, key: &str, n: usize, values: &[(&str, &str)]) -> String {
        let form = match self.strings.site.get(key) {
            Some(Word::Plural(forms)) => {
                let cat = category_name(plural_category(&self.code, n));
                forms
                    .get(cat)
                    .or_else(|| forms.get("other"))
                    .map(String::as_str)
                    .unwrap_or("")
            }
            Some(Word::Text(t)) => t.as_str(),
            None => key,
        };
        let n = number(&self.code, n);
        let mut all = vec![("n", n.as_str())];
        all.extend_from_slice(values);
        fill(form, &all)
    }

    /// A date as pages write it: "6 December 2026", "6 Rhagfyr 2026".
    pub fn date(&self, d: jiff::civil::Date) -> String {
        let month = self
            .strings
            .months
            .get(usize::try_from(d.month()).unwrap_or(1).saturating_sub(1))
            .map(String::as_str)
            .unwrap_or("");
        if month.is_empty() {
            return crate::content::check::human_date(d);
        }
        self.fill(
            "date",
            &[
                ("day", &d.day().to_string()),
                ("month", month),
                ("year", &d.year().to_string()),
            ],
        )
    }

    /// "A, B and C" in this language.
    pub fn and_list(&self, items: &[String]) -> String {
        match items {
            [] => String::new(),
            [one] => one.clone(),
            [rest @ .., last] => self.fill(
                "list_and",
                &[
                    ("list", &rest.join(&self.fill("list_sep", &[]))),
                    ("last", last),
                ],
            ),
        }
    }

    /// The label for a kind of help in this language, else the site's English label.
    pub fn help_label<'a>(&'a self, config: &'a Config, key: &'a str) -> &'a str {
        self.strings
            .help_label(key)
            .or_else(|| config.help.label(key))
            .unwrap_or(key)
    }

    /// A map's key in this language: the maps are drawn once for every language, in
    /// English, and each line the drawing code writes has a word here (`map_*`); a
    /// group's name stays as it is.
    pub fn map_key(&self, key: &[crate::geo::map::KeyEntry]) -> Vec<crate::geo::map::KeyEntry> {
        const LINES: &[(&str, &str)] = &[
            ("Postcode districts this group covers", "map_group_covers"),
            ("Covered postcode sectors (their shape is estimated from each sector's centre: sector boundaries are not published)", "map_sectors"),
            ("Other postcode districts (each links to its page)", "map_other_linked"),
            ("Other postcode districts", "map_other"),
            ("A group in half or more of the area's postcode districts", "map_most"),
            ("A group in fewer than half of its districts", "map_some"),
            ("No group here yet", "map_none"),
            ("Postcode districts a group covers", "map_covered"),
            ("Postcode districts with at least one group (each links to its page)", "map_with_linked"),
            ("Postcode districts with at least one group", "map_with"),
            ("Postcode districts with no group yet", "map_without"),
        ];
        key.iter()
            .map(|k| {
                let mut k = k.clone();
                if let Some((_, word)) = LINES.iter().find(|(english, _)| *english == k.label) {
                    k.label = self.text(word).to_string();
                } else if let Some(code) = k.label.strip_prefix("Postcode district ") {
                    k.label = self.fill("map_this", &[("code", code)]);
                }
                k
            })
            .collect()
    }

    /// The path of a page (from the site root, without the language) in this language.
    pub fn path(&self, path: &str) -> String {
        format!("{}{}", self.prefix, path)
    }

    /// This page in every language of the site, for `hreflang` and the switcher.
    pub fn alternates(langs: &[Lang], path: &str, current: &str) -> Vec<Alternate> {
        langs
            .iter()
            .map(|l| Alternate {
                code: l.code.clone(),
                tag: l.tag.clone(),
                own: l.own.clone(),
                rtl: l.dir == "rtl",
                path: l.path(path),
                current: l.code == current,
            })
            .collect()
    }
}

/// Problems with site.yaml's `languages`: a language aidmap does not know is an error
/// (its pages would have no name, direction or plural rules); one with no strings file
/// is a warning (its pages would be in English).
pub fn check_languages(config: &Config, strings: &Strings) -> Vec<crate::diagnostics::Diagnostic> {
    let mut problems = Vec::new();
    for code in &config.languages {
        if crate::content::help::language(code).is_none() {
            problems.push(
                crate::diagnostics::Diagnostic::error(
                    std::path::Path::new("site.yaml"),
                    (0, 0),
                    format!("`languages` lists `{code}`, a language code aidmap does not know"),
                )
                .with_hint("use two-letter ISO 639-1 codes such as en, cy, so, ar or ur"),
            );
        } else if strings.language(code).is_none() {
            problems.push(
                crate::diagnostics::Diagnostic::warning(
                    std::path::Path::new("site.yaml"),
                    (0, 0),
                    format!("`languages` lists `{code}`, but there are no words for it: its pages would be in English"),
                )
                .with_hint(format!("add i18n/{code}.yaml with the `site:` words of themes/default/i18n/en.yaml translated")),
            );
        }
    }
    problems
}

/// The hosts' `_headers` with each framing rule again for every other language's folder
/// (`/groups/*` -> `/cy/groups/*`): the sections name every folder of pages but the
/// embed's, and a language's pages are the same folders under its code.
pub fn headers_for_languages(text: &str, codes: &[String]) -> String {
    let mut out = text.to_string();
    if codes.len() < 2 {
        return out;
    }
    let mut blocks: Vec<(&str, Vec<&str>)> = Vec::new();
    for line in text.lines() {
        if line.starts_with('/') {
            blocks.push((line.trim(), Vec::new()));
        } else if line.starts_with([' ', '\t']) && !line.trim().is_empty() {
            if let Some(b) = blocks.last_mut() {
                b.1.push(line);
            }
        }
    }
    out.push_str("\n# The same for each other language's pages (site.yaml `languages:`).\n");
    for code in &codes[1..] {
        for (path, headers) in &blocks {
            let framing = headers.iter().any(|h| h.contains("frame-ancestors"));
            if *path == "/*" || path.starts_with("/embed") || !framing {
                continue;
            }
            out.push_str(&format!("/{code}{path}\n"));
            for h in headers {
                out.push_str(h);
                out.push('\n');
            }
        }
    }
    out
}

/// English from the shipped theme alone, for what speaks English whatever the site's
/// languages (`aidmap find`, the search index's card lines, reports).
pub fn english() -> &'static Lang {
    static ENGLISH: LazyLock<Lang> = LazyLock::new(|| {
        let strings = Strings::builtin();
        Lang::all(&Config::fallback(), &strings).remove(0)
    });
    &ENGLISH
}

/// Welsh from the shipped theme, as on a site published in English and Welsh: the
/// unit tests' other language.
#[cfg(test)]
pub fn welsh() -> Lang {
    let strings = Strings::builtin();
    let mut config = Config::fallback();
    config.languages = vec!["en".into(), "cy".into()];
    Lang::all(&config, &strings).remove(1)
}

/// `{name}` places in `text` filled from `values`; a place with no value is left as it is.
pub fn fill(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match values.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// A count as the language writes it, by CLDR through ICU4X: "50,000" in English and
/// Welsh. Digits stay Latin in every language (`-u-nu-latn`), as the dates, phone
/// numbers and postcodes beside them are.
pub fn number(code: &str, n: usize) -> String {
    use icu_decimal::{input::Decimal, DecimalFormatter};
    thread_local! {
        static FORMATTERS: std::cell::RefCell<HashMap<String, Option<DecimalFormatter>>> =
            Default::default();
    }
    FORMATTERS.with(|f| {
        let mut f = f.borrow_mut();
        let formatter = f.entry(code.to_string()).or_insert_with(|| {
            let locale = format!("{code}-u-nu-latn")
                .parse::<icu_locale_core::Locale>()
                .ok()?;
            DecimalFormatter::try_new(locale.into(), Default::default()).ok()
        });
        match formatter {
            Some(d) => d.format(&Decimal::from(n as u64)).to_string(),
            None => n.to_string(),
        }
    })
}

/// The CLDR plural category of `n` in language `code` (English rules for a code ICU4X
/// does not know).
pub fn plural_category(code: &str, n: usize) -> PluralCategory {
    thread_local! {
        // ICU4X rules are not `Sync`; each rendering thread keeps its own (a handful).
        static RULES: std::cell::RefCell<HashMap<String, PluralRules>> = Default::default();
    }
    RULES.with(|rules| {
        let mut rules = rules.borrow_mut();
        let r = rules.entry(code.to_string()).or_insert_with(|| {
            let locale = code
                .parse::<icu_locale_core::Locale>()
                .unwrap_or(icu_locale_core::locale!("en"));
            PluralRules::try_new_cardinal(locale.into())
                .or_else(|_| PluralRules::try_new_cardinal(icu_locale_core::locale!("en").into()))
                .expect("ICU4X's compiled data has English plural rules")
        });
        r.category_for(n)
    })
}

/// The CLDR name of a category, as strings files key counted phrases.
pub fn category_name(c: PluralCategory) -> &'static str {
    match c {
        PluralCategory::Zero => "zero",
        PluralCategory::One => "one",
        PluralCategory::Two => "two",
        PluralCategory::Few => "few",
        PluralCategory::Many => "many",
        PluralCategory::Other => "other",
    }
}

/// The categories a language uses, for the check that a counted phrase has every form.
pub fn categories(code: &str) -> Vec<&'static str> {
    let seen: Vec<&'static str> = (0..=1000usize)
        .map(|n| category_name(plural_category(code, n)))
        .collect();
    ["zero", "one", "two", "few", "many", "other"]
        .into_iter()
        .filter(|c| seen.contains(c))
        .collect()
}

/// Registers the `plural` filter: `{{ t.groups | plural(n=count) }}` picks the form of a
/// counted phrase for `n` in the page's language (the context's `lang.code`) and fills
/// `{n}`; any other named argument fills its own place (`what="NR2"`). A plain text
/// passes through with its places filled.
pub fn register(tera: &mut tera::Tera) {
    tera.register_filter("plural", plural_filter);
    tera.register_filter("fill", plural_filter);
}

/// The `plural` and `fill` filters (see [`register`]).
fn plural_filter(
    value: &tera::Value,
    kwargs: tera::Kwargs,
    state: &tera::State,
) -> tera::TeraResult<String> {
    let n: usize = kwargs.get::<usize>("n")?.unwrap_or(0);
    let code = state
        .get::<tera::Value>("lang")?
        .and_then(|l| {
            l.as_map().and_then(|m| {
                m.iter()
                    .find(|(k, _)| k.as_str() == Some("code"))
                    .map(|(_, v)| v.clone())
            })
        })
        .and_then(|c| c.as_str().map(str::to_string))
        .unwrap_or_else(|| "en".into());
    let form = if let Some(map) = value.as_map() {
        let cat = category_name(plural_category(&code, n));
        let pick = |name: &str| {
            map.iter()
                .find(|(k, _)| k.as_str() == Some(name))
                .and_then(|(_, v)| v.as_str().map(str::to_string))
        };
        pick(cat).or_else(|| pick("other")).unwrap_or_default()
    } else {
        value.as_str().map(str::to_string).unwrap_or_default()
    };
    let mut values: Vec<(String, String)> = vec![("n".into(), number(&code, n))];
    for (k, v) in kwargs.iter() {
        let k = k.as_str().unwrap_or_default().to_string();
        if k != "n" {
            let v = v
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| v.to_string());
            values.push((k, v));
        }
    }
    let pairs: Vec<(&str, &str)> = values
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    Ok(fill(&form, &pairs))
}

/// The words `search.js` (and the scripts it loads) uses, from the `site:` map: the
/// same keys as the pages', so an answer in the browser reads as the district page.
pub const SEARCH_KEYS: &[&str] = &[
    "answer_cover",
    "answer_more_part",
    "answer_part",
    "answer_nearest",
    "answer_none_near",
    "bad_letters",
    "call",
    "card_may_be_out_of_date",
    "checked",
    "covers",
    "date",
    "did_you_mean",
    "finding",
    "help_near",
    "help_near_you",
    "large_user",
    "list_and",
    "list_sep",
    "load_failed",
    "mean",
    "miles_away",
    "n_groups",
    "no_area",
    "no_district_near",
    "no_location",
    "no_sector",
    "not_postcode",
    "not_residential",
    "nothing_found",
    "place_in",
    "places_choose",
    "places_starting",
    "postcodes_starting",
    "results_for",
    "speaks",
    "start_group_here",
    "status_closed",
    "status_paused",
    "try",
    "use_location",
    "which_place",
    "words_best",
    "words_match",
    "your_district",
];

/// The file of a language's search words, beside `search.js`: `search-cy.js`.
pub fn search_words_file(code: &str) -> String {
    format!("search-{code}.js")
}

/// A language's words for the search scripts: the script `search-<code>.js`, which a
/// page loads before `search.js` (`window.aidmapM`). One small file a language, cached
/// by the browser, so the words cost a lookup about 1.5 KB once and a page nothing.
pub fn search_words(lang: &Lang, config: &Config) -> String {
    let mut words = serde_json::Map::new();
    for key in SEARCH_KEYS {
        if let Some(word) = lang.strings.site.get(*key) {
            words.insert(
                (*key).to_string(),
                serde_json::to_value(word).unwrap_or_default(),
            );
        }
    }
    let help: BTreeMap<&str, &str> = config
        .help
        .keys()
        .map(|k| (k, lang.help_label(config, k)))
        .collect();
    // The kinds of help in this language's words, for the search (search-words.js).
    let help_words = crate::search::text::help_words(help.iter().map(|(k, v)| (*k, *v)), &|k| {
        config.help.label(k).unwrap_or(k).to_string()
    });
    words.insert(
        "help".into(),
        serde_json::to_value(help).unwrap_or_default(),
    );
    if !help_words.is_empty() {
        words.insert(
            "hw".into(),
            serde_json::to_value(help_words).unwrap_or_default(),
        );
    }
    words.insert(
        "months".into(),
        serde_json::to_value(&lang.strings.months).unwrap_or_default(),
    );
    words.insert("lang".into(), serde_json::Value::String(lang.code.clone()));
    format!(
        "// The search box's words in {} (from i18n/{}.yaml), for search.js.\nwindow.aidmapM={};\n",
        lang.strings.name,
        lang.code,
        serde_json::Value::Object(words)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts are grouped as each language writes them, in Latin digits.
    #[test]
    fn numbers_in_each_language() {
        assert_eq!(super::number("en", 50_000), "50,000");
        assert_eq!(super::number("cy", 1_956), "1,956");
        assert_eq!(super::number("en", 999), "999");
        let ar = super::number("ar", 50_000);
        assert!(ar.starts_with("50") && ar.ends_with("000"), "{ar}");
        assert_eq!(
            super::number("xx", 1234)
                .chars()
                .filter(char::is_ascii_digit)
                .count(),
            4
        );
    }

    #[test]
    fn places_are_filled_and_unknown_ones_kept() {
        assert_eq!(
            fill(
                "Help in {code} ({name})",
                &[("code", "NR2"), ("name", "Norwich")]
            ),
            "Help in NR2 (Norwich)"
        );
        assert_eq!(fill("{x} and {", &[]), "{x} and {");
    }

    #[test]
    fn welsh_has_six_plural_forms_and_somali_two() {
        assert_eq!(
            categories("cy"),
            vec!["zero", "one", "two", "few", "many", "other"]
        );
        assert_eq!(category_name(plural_category("cy", 3)), "few");
        assert_eq!(category_name(plural_category("cy", 6)), "many");
        assert_eq!(categories("so"), vec!["one", "other"]);
        assert_eq!(category_name(plural_category("ar", 11)), "many");
        assert_eq!(category_name(plural_category("en", 1)), "one");
    }
}
