//! The words printed on leaflets, in each language a leaflet can be made in.
//!
//! A *strings file* is `i18n/<code>.yaml` with three maps: `text` (the leaflet's fixed
//! phrases, by key), `help` (labels for kinds of help, by help key) and `languages`
//! (names of languages in this language, by code: Welsh calls English "Saesneg"). The theme ships
//! English, Welsh and Somali (`themes/default/i18n/`); a site adds a language, or
//! overrides single phrases, with its own `i18n/<code>.yaml` at the directory root.
//!
//! English is the reference. Any phrase another language lacks falls back to English
//! *per key* with a build warning, so a leaflet never has an empty line; a label for a
//! kind of help falls back to the site's English label the same way.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::config::Config;
use crate::content::{help, Group, Status};
use crate::diagnostics::{did_you_mean, from_yaml_error, locate, Diagnostic};
use crate::render::Theme;

/// Every phrase a leaflet uses. English must have them all; the unit tests check the
/// shipped files against this list.
pub const KEYS: &[&str] = &[
    "headline",
    "intro",
    "phone",
    "hours",
    "we_can_help",
    "other_ways",
    "email",
    "website",
    "also_on",
    "areas",
    "postcodes",
    "scan",
    "paused",
    "languages",
    "checked",
    "safety_line",
    "card_title",
    "card_intro",
    "card_other",
    "card_name",
    "card_phone",
    "card_call_me",
    "card_group",
    "and",
    "nearby",
    "type_address",
    "slip_cut",
    "slip_title",
    "slip_volunteer",
    "slip_phone",
];

/// A strings file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStrings {
    #[serde(default)]
    text: BTreeMap<String, String>,
    #[serde(default)]
    help: BTreeMap<String, String>,
    #[serde(default)]
    languages: BTreeMap<String, String>,
    /// The web pages' words (`crate::i18n`): a text, or plural forms by CLDR category.
    #[serde(default)]
    site: BTreeMap<String, Word>,
    /// The months' names, January first, for dates on pages and leaflets.
    #[serde(default)]
    months: Vec<String>,
    /// Who wrote the file and whether a native speaker checked it.
    #[serde(default)]
    meta: Meta,
}

/// One web-page word: a text, or the forms of a counted phrase by CLDR plural category
/// (`zero`, `one`, `two`, `few`, `many`, `other`), each with `{n}` where the number goes.
#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq)]
#[serde(untagged)]
pub enum Word {
    /// The same words whatever the number.
    Text(String),
    /// Forms by plural category; `other` is required.
    Plural(BTreeMap<String, String>),
}

impl Word {
    /// The text, or a counted phrase's `other` form.
    pub fn text(&self) -> &str {
        match self {
            Word::Text(t) => t,
            Word::Plural(forms) => forms.get("other").map(String::as_str).unwrap_or(""),
        }
    }

    fn is_blank(&self) -> bool {
        match self {
            Word::Text(t) => t.trim().is_empty(),
            Word::Plural(forms) => forms.get("other").is_none_or(|t| t.trim().is_empty()),
        }
    }
}

/// A strings file's `meta:` block.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// Who translated it and how ("machine translation, not yet checked").
    #[serde(default)]
    pub translated_by: Option<String>,
    /// Whether a native speaker has checked it.
    #[serde(default)]
    pub reviewed: bool,
}

impl RawStrings {
    /// Every section of the file by name: what [`Strings::missing`] compares, key by key.
    fn sections(&self) -> [(&'static str, &BTreeMap<String, String>); 3] {
        [
            ("text", &self.text),
            ("help", &self.help),
            ("languages", &self.languages),
        ]
    }

    /// Every key the file gives a value, as `section.key` (`text.phone`).
    fn keys(&self) -> impl Iterator<Item = String> + '_ {
        self.sections()
            .into_iter()
            .flat_map(|(name, map)| map.keys().map(move |k| format!("{name}.{k}")))
            .chain(self.site.keys().map(|k| format!("site.{k}")))
            .chain((self.months.len() == 12).then(|| "months".to_string()))
    }
}

/// Warnings for the keys under `help:` that are no kind of help the site knows and
/// under `languages:` that are no language code aidmap knows: likely typos, and
/// never printed.
fn unknown_keys(path: &Path, source: &str, raw: &RawStrings, config: &Config) -> Vec<Diagnostic> {
    let codes = || help::LANGUAGES.iter().map(|(c, ..)| *c);
    let mut problems = Vec::new();
    for (section, map, what) in [
        ("help", &raw.help, "kind of help"),
        ("languages", &raw.languages, "language code"),
    ] {
        for key in map.keys() {
            let known: Vec<&str> = if section == "help" {
                config.help.keys().collect()
            } else {
                codes().collect()
            };
            if known.contains(&key.as_str()) {
                continue;
            }
            let hint = match did_you_mean(key, known.iter().copied()) {
                Some(best) => format!("did you mean `{best}`?"),
                None if section == "help" => {
                    "the kinds of help are those of the built-in vocabulary and site.yaml's `help:`"
                        .to_string()
                }
                None => "name languages by their two-letter ISO 639-1 code (en, cy, so, ar, ...)"
                    .to_string(),
            };
            problems.push(
                Diagnostic::warning(
                    path,
                    locate(source, &[section, key], None),
                    format!("unknown {what} `{key}` under `{section}:` is ignored"),
                )
                .with_hint(hint),
            );
        }
    }
    problems
}

/// Parses one strings file's text. Pure: `path` is only for the messages. Unknown text
/// keys are warnings (likely typos), blank values are dropped so they fall back.
fn parse(path: &Path, source: &str) -> (Option<RawStrings>, Vec<Diagnostic>) {
    let mut raw: RawStrings = match serde_yaml::from_str(source) {
        Ok(raw) => raw,
        Err(e) => return (None, vec![from_yaml_error(path, &e, 0)]),
    };
    let mut problems = Vec::new();
    raw.text.retain(|key, value| {
        if !KEYS.contains(&key.as_str()) {
            let mut d = Diagnostic::warning(
                path,
                locate(source, &["text", key], None),
                format!("unknown leaflet phrase `{key}` is ignored"),
            );
            if let Some(best) = did_you_mean(key, KEYS.iter().copied()) {
                d = d.with_hint(format!("did you mean `{best}`?"));
            }
            problems.push(d);
            return false;
        }
        !value.trim().is_empty()
    });
    raw.help.retain(|_, value| !value.trim().is_empty());
    raw.languages.retain(|_, value| !value.trim().is_empty());
    raw.site.retain(|_, value| !value.is_blank());
    if !raw.months.is_empty() && raw.months.len() != 12 {
        problems.push(
            Diagnostic::warning(
                path,
                locate(source, &["months"], None),
                format!(
                    "`months` has {} names, not 12, so it is not used",
                    raw.months.len()
                ),
            )
            .with_hint("list the twelve months' names, January first"),
        );
        raw.months.clear();
    }
    for value in raw
        .text
        .values_mut()
        .chain(raw.help.values_mut())
        .chain(raw.languages.values_mut())
    {
        *value = value.trim().to_string();
    }
    (Some(raw), problems)
}

/// One language's complete set of words, every gap already filled from English.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LanguageStrings {
    /// ISO 639-1 code.
    pub code: String,
    /// The language's own name ("Cymraeg").
    pub own: String,
    /// The English name ("Welsh").
    pub name: String,
    /// Written right to left: the leaflet gets `dir="rtl"`.
    pub rtl: bool,
    /// Every key of [`KEYS`], never blank.
    pub text: BTreeMap<String, String>,
    help: BTreeMap<String, String>,
    /// Names of languages in this language, by code.
    languages: BTreeMap<String, String>,
    /// The web pages' words, every key English has (gaps filled from English).
    pub site: BTreeMap<String, Word>,
    /// The web keys this language lacks (English is shown instead).
    pub site_missing: Vec<String>,
    /// January to December.
    pub months: Vec<String>,
    /// Who translated the file, and whether it was checked.
    #[serde(skip)]
    pub meta: Meta,
}

impl LanguageStrings {
    /// The label for a kind of help; `None` only when the language has none of its own
    /// (the caller then prints the site's English label).
    pub fn help_label(&self, key: &str) -> Option<&str> {
        self.help.get(key).map(String::as_str)
    }

    /// The name of language `code` written in this language ("Saesneg" for `en` in
    /// Welsh); a language this file does not name is called by its own name.
    pub fn language_name(&self, code: &str) -> String {
        if let Some(name) = self.languages.get(code) {
            return name.clone();
        }
        match help::language(code) {
            Some((english, _, _)) if self.code == "en" => english.to_string(),
            Some((_, own, _)) => own.to_string(),
            None => code.to_string(),
        }
    }

    /// One phrase. Every key in [`KEYS`] is present; an unknown key gives "".
    pub fn get(&self, key: &str) -> &str {
        self.text.get(key).map(String::as_str).unwrap_or("")
    }
}

/// The leaflet words of every language this site can print.
#[derive(Debug, Clone, Default)]
pub struct Strings {
    langs: BTreeMap<String, LanguageStrings>,
    /// The keys each language's files give (`text.phone`), before any English fills
    /// a gap: what [`Strings::missing`] reports.
    given: BTreeMap<String, BTreeSet<String>>,
}

impl Strings {
    /// Reads the theme's strings files (embedded, or the site theme's overrides), then
    /// the site's own `i18n/*.yaml` on top, key by key. Warns about every phrase a
    /// language lacks and about groups whose language has no strings at all.
    pub fn load(
        root: &Path,
        theme: &Theme,
        config: &Config,
        groups: &[Group],
    ) -> (Strings, Vec<Diagnostic>) {
        let mut problems = Vec::new();
        // (code) -> (theme file, site file), each parsed.
        let mut sources: BTreeMap<String, [Option<(PathBuf, RawStrings)>; 2]> = BTreeMap::new();
        let theme_dir = Path::new("themes").join(&config.theme);
        for (path, bytes) in &theme.files {
            let Some(code) = path
                .strip_prefix("i18n/")
                .and_then(|p| p.strip_suffix(".yaml"))
            else {
                continue;
            };
            let shown = theme_dir.join(path);
            let text = String::from_utf8_lossy(bytes);
            let (raw, ps) = parse(&shown, &text);
            problems.extend(ps);
            if let Some(raw) = raw {
                problems.extend(unknown_keys(&shown, &text, &raw, config));
                sources.entry(code.to_string()).or_default()[0] = Some((shown, raw));
            }
        }
        let (files, ps) = crate::content::files_in(root, "i18n", &["yaml"]);
        problems.extend(ps);
        for file in files {
            let Some(code) = file.file_stem().map(|s| s.to_string_lossy().into_owned()) else {
                continue;
            };
            let shown = Path::new("i18n").join(file.file_name().unwrap_or_default());
            let text = match crate::content::read_text(&file, &shown) {
                Ok(text) => text,
                Err(d) => {
                    problems.push(d);
                    continue;
                }
            };
            let (raw, ps) = parse(&shown, &text);
            problems.extend(ps);
            if let Some(raw) = raw {
                problems.extend(unknown_keys(&shown, &text, &raw, config));
                sources.entry(code).or_default()[1] = Some((shown, raw));
            }
        }

        let english = Self::english(&sources, config);
        // A web word English does not have is a typo or a word no template uses.
        for (code, files) in &sources {
            for (shown, raw) in files.iter().flatten() {
                for key in raw.site.keys().filter(|k| !english.site.contains_key(*k)) {
                    let text = theme
                        .files
                        .iter()
                        .find(|(p, _)| theme_dir.join(p) == *shown)
                        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
                        .or_else(|| std::fs::read_to_string(root.join(shown)).ok())
                        .unwrap_or_default();
                    let mut d = Diagnostic::warning(
                        shown,
                        locate(&text, &["site", key], None),
                        format!("unknown web word `{key}` in the {code} words is ignored"),
                    );
                    if let Some(best) = did_you_mean(key, english.site.keys().map(String::as_str)) {
                        d = d.with_hint(format!("did you mean `{best}`?"));
                    }
                    problems.push(d);
                }
            }
        }
        let mut langs = BTreeMap::new();
        for (code, [theme_file, site_file]) in &sources {
            let Some((name, own, rtl)) = help::language(code) else {
                let shown = site_file
                    .as_ref()
                    .or(theme_file.as_ref())
                    .map(|(p, _)| p.clone());
                problems.push(
                    Diagnostic::warning(&shown.unwrap_or_default(), (0, 0), format!("`{code}` is not a language code aidmap knows, so these leaflet strings are not used"))
                        .with_hint("name the file after a two-letter ISO 639-1 code such as pl.yaml or ur.yaml"),
                );
                continue;
            };
            // The file to name in warnings: the site's, since that is where a fix goes.
            let shown = site_file
                .as_ref()
                .map(|(p, _)| p.clone())
                .unwrap_or_else(|| Path::new("i18n").join(format!("{code}.yaml")));
            // A site that rewrote its safety line should say it in every language, English
            // too when it is not the first; the shipped words say the default line, which
            // may not be what it meant.
            let site_says = site_file
                .as_ref()
                .is_some_and(|(_, r)| r.text.contains_key("safety_line"));
            if config.safety_line_untranslated(code) && !site_says {
                problems.push(
                    Diagnostic::warning(&shown, (0, 0), format!("site.yaml changes the safety line, but {name} leaflets print the shipped translation of the default one"))
                        .with_hint(format!("add `safety_line:` under `translations: {code}:` in site.yaml (or under `text:` in i18n/{code}.yaml)")),
                );
            }
            if code == "en" {
                langs.insert(code.clone(), english.clone());
                continue;
            }
            let pick = |get: &dyn Fn(&RawStrings) -> Option<String>| {
                site_file
                    .as_ref()
                    .and_then(|(_, r)| get(r))
                    .or_else(|| theme_file.as_ref().and_then(|(_, r)| get(r)))
            };
            let mut text = BTreeMap::new();
            let mut missing = Vec::new();
            for key in KEYS {
                match pick(&|r: &RawStrings| r.text.get(*key).cloned()) {
                    Some(v) => {
                        text.insert(key.to_string(), v);
                    }
                    None => {
                        missing.push(*key);
                        text.insert(key.to_string(), english.get(key).to_string());
                    }
                }
            }
            if !missing.is_empty() {
                problems.push(
                    Diagnostic::warning(
                        &shown,
                        (0, 0),
                        format!(
                            "leaflet strings for {name} have no {}: the English is printed instead",
                            missing.join(", ")
                        ),
                    )
                    .with_hint(format!("add them under `text:` in i18n/{code}.yaml")),
                );
            }
            // The line site.yaml gives this language (`translations: {code: {safety_line}}`,
            // or `safety_line:` for the first language) is the one its web pages show;
            // the leaflets print the same.
            if let Some(line) = config.safety_line_in(code) {
                text.insert("safety_line".to_string(), line.to_string());
            }
            let mut help_labels = BTreeMap::new();
            for key in config.help.keys() {
                if let Some(v) = pick(&|r: &RawStrings| r.help.get(key).cloned()) {
                    help_labels.insert(key.to_string(), v);
                }
            }
            // Only the kinds of help a group prints in this language are worth a warning.
            let mut untranslated: Vec<&str> = groups
                .iter()
                .filter(|g| g.status != Status::Closed && g.languages.contains(code))
                .flat_map(|g| g.help.iter().map(String::as_str))
                .filter(|k| !help_labels.contains_key(*k))
                .collect();
            untranslated.sort_by_key(|k| config.help.position(k));
            untranslated.dedup();
            if !untranslated.is_empty() {
                problems.push(
                    Diagnostic::warning(&shown, (0, 0), format!("leaflet strings for {name} have no label for the kinds of help {}: the English is printed instead", untranslated.join(", ")))
                        .with_hint(format!("add them under `help:` in i18n/{code}.yaml")),
                );
            }
            let mut names = BTreeMap::new();
            for file in [theme_file, site_file].into_iter().flatten() {
                names.extend(file.1.languages.clone());
            }
            let mut site = BTreeMap::new();
            let mut site_missing = Vec::new();
            for (key, english_word) in &english.site {
                let found = site_file
                    .as_ref()
                    .and_then(|(_, r)| r.site.get(key))
                    .or_else(|| theme_file.as_ref().and_then(|(_, r)| r.site.get(key)));
                match found.cloned() {
                    Some(w) => {
                        site.insert(key.clone(), w);
                    }
                    None => {
                        site_missing.push(key.clone());
                        site.insert(key.clone(), english_word.clone());
                    }
                }
            }
            if !site_missing.is_empty() && config.languages.contains(code) {
                problems.push(
                    Diagnostic::warning(
                        &shown,
                        (0, 0),
                        format!(
                            "the {name} pages have no words for {} of {} keys ({}{}): the English is shown instead",
                            site_missing.len(),
                            english.site.len(),
                            site_missing[..site_missing.len().min(8)].join(", "),
                            if site_missing.len() > 8 {
                                format!(" and {} more", site_missing.len() - 8)
                            } else {
                                String::new()
                            }
                        ),
                    )
                    .with_hint(format!("add them under `site:` in i18n/{code}.yaml; `aidmap report --translations` lists them all")),
                );
            }
            let months = [site_file, theme_file]
                .into_iter()
                .flatten()
                .map(|(_, r)| &r.months)
                .find(|m| m.len() == 12)
                .cloned()
                .unwrap_or_else(|| english.months.clone());
            let meta = site_file
                .as_ref()
                .or(theme_file.as_ref())
                .map(|(_, r)| r.meta.clone())
                .unwrap_or_default();
            langs.insert(
                code.clone(),
                LanguageStrings {
                    code: code.clone(),
                    own: own.into(),
                    name: name.into(),
                    rtl,
                    text,
                    help: help_labels,
                    languages: names,
                    site,
                    site_missing,
                    months,
                    meta,
                },
            );
        }
        if !langs.contains_key("en") {
            langs.insert("en".into(), english);
        }

        for g in groups.iter().filter(|g| g.status != Status::Closed) {
            for code in g.languages.iter().filter(|c| !langs.contains_key(*c)) {
                let name = help::language(code).map_or(code.as_str(), |l| l.0);
                problems.push(
                    Diagnostic::warning(
                        &Path::new("content/groups").join(format!("{}.yaml", g.slug)),
                        (0, 0),
                        format!("{} works in {name}, but there are no leaflet strings for `{code}`, so its leaflets are in English only", g.name),
                    )
                    .with_hint(format!("add i18n/{code}.yaml with the phrases of themes/default/i18n/en.yaml translated")),
                );
            }
        }
        let given = Self::given(&sources, config);
        (Strings { langs, given }, problems)
    }

    /// The keys each language's files give; English's also from the built-in file
    /// and, for `help.*`, from site.yaml's vocabulary (its labels are English).
    fn given(
        sources: &BTreeMap<String, [Option<(PathBuf, RawStrings)>; 2]>,
        config: &Config,
    ) -> BTreeMap<String, BTreeSet<String>> {
        let mut given: BTreeMap<String, BTreeSet<String>> = sources
            .iter()
            .map(|(code, files)| {
                let keys = files.iter().flatten().flat_map(|(_, raw)| raw.keys());
                (code.clone(), keys.collect())
            })
            .collect();
        let english = given.entry("en".into()).or_default();
        english.extend(builtin_english().keys());
        english.extend(config.help.keys().map(|k| format!("help.{k}")));
        given
    }

    /// The keys English has and language `code` lacks in the loaded files (theme and
    /// site), as `section.key`, sorted: what `aidmap report --translations` lists. A
    /// language with no files lacks every key.
    pub fn missing(&self, code: &str) -> Vec<String> {
        let has = self.given.get(code);
        self.given
            .get("en")
            .into_iter()
            .flatten()
            .filter(|k| !has.is_some_and(|h| h.contains(*k)))
            .cloned()
            .collect()
    }

    /// English: the site's and theme's phrases, then the built-in file for any gap (a
    /// site theme may ship a partial en.yaml), the safety line from site.yaml, and the
    /// help labels of the site's vocabulary.
    fn english(
        sources: &BTreeMap<String, [Option<(PathBuf, RawStrings)>; 2]>,
        config: &Config,
    ) -> LanguageStrings {
        let builtin = builtin_english();
        let files = sources.get("en");
        let mut text = BTreeMap::new();
        for key in KEYS {
            let value = files
                .and_then(|[t, s]| {
                    s.as_ref()
                        .and_then(|(_, r)| r.text.get(*key))
                        .or_else(|| t.as_ref().and_then(|(_, r)| r.text.get(*key)))
                })
                .or_else(|| builtin.text.get(*key))
                .cloned()
                // The shipped en.yaml has every key (a unit test says so); the key's
                // name is still better on paper than a blank line.
                .unwrap_or_else(|| key.replace('_', " "));
            text.insert(key.to_string(), value);
        }
        // The site's line where it wrote one for English (as its first language, or
        // under `translations: {en: …}`), else the English words'.
        if let Some(line) = config.safety_line_in("en") {
            text.insert("safety_line".into(), line.to_string());
        }
        let help = config.help.entries().iter().cloned().collect();
        let mut languages = builtin.languages.clone();
        if let Some([t, s]) = files {
            for file in [t, s].into_iter().flatten() {
                languages.extend(file.1.languages.clone());
            }
        }
        // The web words: the built-in file, then the theme's and the site's on top.
        let mut site = builtin.site.clone();
        let mut months = builtin.months.clone();
        if let Some([t, s]) = files {
            for file in [t, s].into_iter().flatten() {
                site.extend(file.1.site.clone());
                if file.1.months.len() == 12 {
                    months = file.1.months.clone();
                }
            }
        }
        LanguageStrings {
            code: "en".into(),
            own: "English".into(),
            name: "English".into(),
            rtl: false,
            text,
            help,
            languages,
            site,
            site_missing: Vec::new(),
            months,
            meta: Meta {
                translated_by: None,
                reviewed: true,
            },
        }
    }

    /// The shipped theme's words alone (no site, no files on disk).
    pub fn builtin() -> Strings {
        let theme = Theme {
            files: crate::render::theme::DEFAULT_THEME
                .iter()
                .map(|(p, b)| (p.to_string(), b.to_vec()))
                .collect(),
        };
        let config = Config::fallback();
        Strings::load(Path::new("/nonexistent-aidmap-site"), &theme, &config, &[]).0
    }

    /// The words for a language, if the site can print it.
    pub fn language(&self, code: &str) -> Option<&LanguageStrings> {
        self.langs.get(code)
    }

    /// English, always present.
    pub fn english_strings(&self) -> &LanguageStrings {
        self.langs
            .get("en")
            .expect("Strings::load always adds English")
    }

    /// The languages a group's leaflets are made in: English first, then each of the
    /// group's other languages that has strings, in the group's order.
    pub fn languages_for<'a>(&'a self, languages: &[String]) -> Vec<&'a LanguageStrings> {
        let mut out = vec![self.english_strings()];
        out.extend(
            languages
                .iter()
                .filter(|c| *c != "en")
                .filter_map(|c| self.langs.get(c)),
        );
        out
    }
}

/// The shipped English file, parsed: the last fallback for every phrase.
fn builtin_english() -> RawStrings {
    let bytes = crate::render::theme::DEFAULT_THEME
        .iter()
        .find(|(p, _)| *p == "i18n/en.yaml")
        .map(|(_, b)| *b)
        .unwrap_or_default();
    parse(Path::new("i18n/en.yaml"), &String::from_utf8_lossy(bytes))
        .0
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::theme::DEFAULT_THEME;

    fn shipped(code: &str) -> RawStrings {
        let path = format!("i18n/{code}.yaml");
        let (_, bytes) = DEFAULT_THEME
            .iter()
            .find(|(p, _)| *p == path)
            .expect("shipped file");
        let (raw, problems) = parse(Path::new(&path), std::str::from_utf8(bytes).unwrap());
        assert!(problems.is_empty(), "{code}: {problems:?}");
        raw.unwrap()
    }

    #[test]
    fn shipped_languages_have_every_phrase_and_help_label() {
        let vocabulary = crate::content::help::HelpVocabulary::builtin();
        for code in ["en", "cy", "so"] {
            let raw = shipped(code);
            for key in KEYS {
                assert!(
                    raw.text.get(*key).is_some_and(|v| !v.is_empty()),
                    "{code} lacks {key}"
                );
            }
            for key in vocabulary.keys() {
                assert!(raw.help.contains_key(key), "{code} lacks help label {key}");
            }
        }
    }

    fn site_with(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("i18n")).unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join("i18n").join(name), text).unwrap();
        }
        dir
    }

    fn load(dir: &Path, config: &Config) -> (Strings, Vec<Diagnostic>) {
        let (theme, _) = Theme::load(dir, "default");
        Strings::load(dir, &theme, config, &[])
    }

    #[test]
    fn a_missing_phrase_falls_back_to_english_with_a_warning() {
        // Polish with one phrase: every other line must be English, never blank.
        let dir = site_with(&[(
            "pl.yaml",
            "text:\n  phone: Zadzwoń do nas\n  headline: '  '\nhelp:\n  shopping: Zakupy\n",
        )]);
        let (strings, problems) = load(dir.path(), &Config::fallback());
        let pl = strings.language("pl").expect("pl loaded");
        assert_eq!(pl.get("phone"), "Zadzwoń do nas");
        // A blank value counts as missing.
        assert_eq!(pl.get("headline"), "Need a hand? Your neighbours can help.");
        for key in KEYS {
            assert!(!pl.get(key).is_empty(), "{key} is blank");
        }
        assert_eq!(pl.help_label("shopping"), Some("Zakupy"));
        assert_eq!(pl.help_label("meals"), None);
        let warning = problems
            .iter()
            .find(|d| d.path == Path::new("i18n/pl.yaml") && d.message.contains("headline"))
            .expect("a warning naming the missing phrase");
        assert!(!warning.is_error());
        assert!(warning.message.contains("English is printed instead"));
    }

    #[test]
    fn a_site_file_overrides_one_phrase_and_keeps_the_rest() {
        let dir = site_with(&[("cy.yaml", "text:\n  phone: Rhowch alwad\n")]);
        let (strings, problems) = load(dir.path(), &Config::fallback());
        let cy = strings.language("cy").unwrap();
        assert_eq!(cy.get("phone"), "Rhowch alwad");
        assert_eq!(cy.get("we_can_help"), "Gallwn helpu gyda");
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn languages_are_named_in_the_leaflet_language_or_by_their_own_name() {
        let dir = site_with(&[]);
        let (strings, _) = load(dir.path(), &Config::fallback());
        let cy = strings.language("cy").unwrap();
        assert_eq!(cy.language_name("en"), "Saesneg");
        assert_eq!(cy.language_name("cy"), "Cymraeg");
        // Not named in Welsh: its own name.
        assert_eq!(cy.language_name("pl"), "Polski");
        assert_eq!(strings.english_strings().language_name("cy"), "Welsh");
        assert_eq!(strings.english_strings().language_name("pl"), "Polish");
    }

    #[test]
    fn typos_and_unknown_languages_are_warnings() {
        let dir = site_with(&[
            ("cy.yaml", "text:\n  phnoe: Ffoniwch\n"),
            ("xx.yaml", "text: {}\n"),
        ]);
        let (strings, problems) = load(dir.path(), &Config::fallback());
        assert!(problems
            .iter()
            .any(|d| d.message.contains("`phnoe`")
                && d.hint.as_deref() == Some("did you mean `phone`?")));
        assert!(problems
            .iter()
            .any(|d| d.message.contains("`xx` is not a language code")));
        assert!(strings.language("xx").is_none());
        assert!(problems.iter().all(|d| !d.is_error()));
    }

    #[test]
    fn english_uses_the_site_safety_line_and_rtl_comes_from_the_language() {
        let mut config = Config::fallback();
        config.safety_line = "Never give a volunteer money.".into();
        let dir = site_with(&[("ar.yaml", "text:\n  phone: اتصل بنا\n")]);
        let (strings, problems) = load(dir.path(), &config);
        assert_eq!(
            strings.english_strings().get("safety_line"),
            "Never give a volunteer money."
        );
        assert!(strings.language("ar").unwrap().rtl);
        assert!(!strings.language("cy").unwrap().rtl);
        // The shipped Welsh line translates the default, so the site is told.
        assert!(problems.iter().any(|d| d
            .message
            .contains("Welsh leaflets print the shipped translation")));
    }

    /// site.yaml's `translations: {cy: {safety_line}}` is the line Welsh leaflets print,
    /// as the Welsh pages show it, and the site is not told to write it again.
    #[test]
    fn a_site_yaml_translation_of_the_safety_line_is_printed() {
        let mut config = Config::fallback();
        config.safety_line = "Never give a volunteer money.".into();
        config.translations.insert(
            "cy".into(),
            crate::config::SiteText {
                safety_line: Some("Peidiwch byth â rhoi arian i wirfoddolwr.".into()),
                ..Default::default()
            },
        );
        let dir = site_with(&[]);
        let (strings, problems) = load(dir.path(), &config);
        assert_eq!(
            strings
                .language("cy")
                .unwrap()
                .text
                .get("safety_line")
                .map(String::as_str),
            Some("Peidiwch byth â rhoi arian i wirfoddolwr.")
        );
        assert!(!problems
            .iter()
            .any(|d| d.message.contains("Welsh leaflets")));
        assert!(problems
            .iter()
            .any(|d| d.message.contains("Somali leaflets")));
    }

    /// A Welsh-first site's `safety_line:` is Welsh: the Welsh leaflets print it, and the
    /// English ones print the English default (with a warning), not the Welsh line.
    #[test]
    fn a_welsh_first_site_s_own_safety_line_is_the_welsh_one() {
        let mut config = Config::fallback();
        config.languages = vec!["cy".into(), "en".into()];
        config.safety_line = "Peidiwch byth â rhoi arian i wirfoddolwr.".into();
        let dir = site_with(&[]);
        let (strings, problems) = load(dir.path(), &config);
        let cy = strings.language("cy").unwrap();
        assert_eq!(
            cy.text.get("safety_line").map(String::as_str),
            Some("Peidiwch byth â rhoi arian i wirfoddolwr.")
        );
        assert_eq!(
            strings.english_strings().get("safety_line"),
            crate::config::DEFAULT_SAFETY_LINE
        );
        assert!(!problems
            .iter()
            .any(|d| d.message.contains("Welsh leaflets")));
        assert!(problems
            .iter()
            .any(|d| d.message.contains("English leaflets print the shipped")));
    }
}
