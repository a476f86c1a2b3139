//! site.yaml's own words in the site's other languages: `translations: {cy: {title: …}}`,
//! the shape a group record's `translations:` has. Each text is checked as the English
//! one is (plain text, no invisible control characters, a length limit); a code that
//! is not a language code is an error, one the site does not publish a warning
//! (`content::translation::check_code`, the rule groups follow). A page in a language
//! without a text shows the default language's, marked with its `lang`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::{Config, OtherHelp};
use crate::content::check;
use crate::diagnostics::{locate, Diagnostic};

/// `translations.<code>` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSiteText {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    safety_line: Option<String>,
    /// `other_help`'s `what`, by the route's `name`.
    #[serde(default)]
    other_help: BTreeMap<String, String>,
}

/// The site's words in one other language, checked; what is left out is `None` (or
/// missing from `other_help`) and pages show the default language's words there.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteText {
    /// The directory's name.
    pub title: Option<String>,
    /// The one line on what it is.
    pub description: Option<String>,
    /// The line about money and safety on group pages.
    pub safety_line: Option<String>,
    /// Each other route to help's `what`, by its `name`.
    pub other_help: BTreeMap<String, String>,
}

/// The longest title, description and safety line, in characters (as the English is
/// shown in the same places).
const LIMITS: [(&str, usize); 3] = [("title", 120), ("description", 300), ("safety_line", 300)];

/// Checks site.yaml's `translations:` against the checked `config` (its languages and
/// other routes to help) and returns the usable ones by code.
pub(super) fn check(
    path: &Path,
    source: &str,
    raw: BTreeMap<String, Option<RawSiteText>>,
    config: &Config,
    problems: &mut Vec<Diagnostic>,
) -> BTreeMap<String, SiteText> {
    let mut out = BTreeMap::new();
    for (code, block) in raw {
        let at = |keys: &[&str]| {
            let mut all = vec!["translations", code.as_str()];
            all.extend_from_slice(keys);
            locate(source, &all, None)
        };
        match crate::content::translation::check_code(&code, config, path, at(&[]), problems) {
            Err((msg, hint)) => {
                problems.push(Diagnostic::error(path, at(&[]), msg).with_hint(hint));
                continue;
            }
            Ok(false) => continue,
            Ok(true) => {}
        }
        let block = block.unwrap_or_default();
        let mut text = SiteText::default();
        for ((field, max), value) in
            LIMITS
                .iter()
                .zip([block.title, block.description, block.safety_line])
        {
            let Some(value) = value else { continue };
            match check::plain_text(&value, *max) {
                Ok(()) if value.contains('\n') => problems.push(
                    Diagnostic::error(path, at(&[field]), format!("`{field}` must be one line"))
                        .with_hint("write it on one line"),
                ),
                Ok(()) => {
                    let value = value.trim().to_string();
                    match *field {
                        "title" => text.title = Some(value),
                        "description" => text.description = Some(value),
                        _ => text.safety_line = Some(value),
                    }
                }
                Err(msg) => problems.push(Diagnostic::error(path, at(&[field]), msg)),
            }
        }
        for (name, what) in block.other_help {
            if !config.other_help.iter().any(|o: &OtherHelp| o.name == name) {
                problems.push(
                    Diagnostic::error(
                        path,
                        at(&["other_help", &name]),
                        format!("`other_help` has no route named `{name}` to translate"),
                    )
                    .with_hint("name a route as its `name:` is written in `other_help:` above"),
                );
                continue;
            }
            match check::plain_text(&what, 300) {
                Ok(()) => {
                    text.other_help.insert(name, what.trim().to_string());
                }
                Err(msg) => {
                    problems.push(Diagnostic::error(path, at(&["other_help", &name]), msg));
                }
            }
        }
        out.insert(code, text);
    }
    out
}

impl Config {
    /// The directory's name on `code`'s pages, and the language it is written in when
    /// that is not `code` (the default language's, for a page to mark with `lang`).
    pub fn title_in(&self, code: &str) -> (&str, Option<&str>) {
        self.text_in(code, |t| t.title.as_deref(), &self.title)
    }

    /// The one-line description on `code`'s pages, and its language as [`Config::title_in`].
    pub fn description_in(&self, code: &str) -> (&str, Option<&str>) {
        self.text_in(code, |t| t.description.as_deref(), &self.description)
    }

    /// What another route to help is for, on `code`'s pages, and its language as
    /// [`Config::title_in`].
    pub fn other_help_in<'a>(&'a self, code: &str, o: &'a OtherHelp) -> (&'a str, Option<&'a str>) {
        self.text_in(
            code,
            |t| t.other_help.get(&o.name).map(String::as_str),
            &o.what,
        )
    }

    /// The site's first language (`languages:`), whose words are the top-level texts of
    /// `site.yaml` and its groups' own fields: `en` when none is given.
    pub fn first_language(&self) -> &str {
        self.languages.first().map_or("en", String::as_str)
    }

    /// The safety line the site wrote for `code`'s pages and leaflets, if it wrote one:
    /// for the site's first language, `safety_line:` itself (when it is not the default,
    /// which is English); for another, `translations: {code: {safety_line}}`. None means
    /// the shipped words of that language (`i18n/<code>.yaml`), which say the default.
    pub fn safety_line_in(&self, code: &str) -> Option<&str> {
        if code == self.first_language() && self.safety_line != crate::config::DEFAULT_SAFETY_LINE {
            return Some(&self.safety_line);
        }
        self.translations.get(code)?.safety_line.as_deref()
    }

    /// True when the site rewrote its safety line but says nothing for `code`, which is
    /// not its first language: that language's pages and leaflets print the shipped
    /// default, maybe not what the site meant (`aidmap check` warns).
    pub fn safety_line_untranslated(&self, code: &str) -> bool {
        code != self.first_language()
            && self.safety_line != crate::config::DEFAULT_SAFETY_LINE
            && self.safety_line_in(code).is_none()
    }

    fn text_in<'a>(
        &'a self,
        code: &str,
        pick: impl Fn(&'a SiteText) -> Option<&'a str>,
        default: &'a str,
    ) -> (&'a str, Option<&'a str>) {
        let first = self.first_language();
        if code == first {
            return (default, None);
        }
        match self.translations.get(code).and_then(pick) {
            Some(t) => (t, None),
            None => (default, Some(first)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "title: Test\nbase_url: https://example.org/\nlanguages: [en, cy]\nother_help:\n  - name: NHS 111\n    phone: \"111\"\n    what: Urgent help\n";

    fn parse(tail: &str) -> (Option<Config>, Vec<Diagnostic>) {
        Config::parse(Path::new("site.yaml"), &format!("{HEAD}{tail}"))
    }

    #[test]
    fn a_welsh_title_is_used_on_welsh_pages_and_the_english_marked_elsewhere() {
        let (config, problems) = parse(
            "translations:\n  cy:\n    title: Prawf\n    other_help:\n      NHS 111: Help brys\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        let config = config.unwrap();
        assert_eq!(config.title_in("cy"), ("Prawf", None));
        assert_eq!(config.title_in("en"), ("Test", None));
        assert_eq!(config.title_in("so"), ("Test", Some("en")));
        assert_eq!(config.description_in("cy"), ("", Some("en")));
        let o = &config.other_help[0];
        assert_eq!(config.other_help_in("cy", o), ("Help brys", None));
    }

    /// `safety_line:` is the site's first language's: on an English-first site the English
    /// line, on a Welsh-first one the Welsh, and never the other language's.
    #[test]
    fn the_safety_line_belongs_to_the_first_language() {
        let (config, _) = parse("safety_line: Never give a volunteer money.\n");
        let config = config.unwrap();
        assert_eq!(
            config.safety_line_in("en"),
            Some("Never give a volunteer money.")
        );
        assert_eq!(config.safety_line_in("cy"), None);
        assert!(config.safety_line_untranslated("cy"));
        assert!(!config.safety_line_untranslated("en"));

        let welsh_first = "title: Prawf\nbase_url: https://example.org/\nlanguages: [cy, en]\nsafety_line: Peidiwch byth â rhoi arian.\ntranslations:\n  en:\n    safety_line: Never give money.\n";
        let (config, problems) = Config::parse(Path::new("site.yaml"), welsh_first);
        assert!(problems.is_empty(), "{problems:?}");
        let config = config.unwrap();
        assert_eq!(
            config.safety_line_in("cy"),
            Some("Peidiwch byth â rhoi arian.")
        );
        assert_eq!(config.safety_line_in("en"), Some("Never give money."));
        assert!(!config.safety_line_untranslated("en"));

        // Nothing written: every language says its shipped words.
        let (config, _) = parse("");
        let config = config.unwrap();
        assert_eq!(config.safety_line_in("en"), None);
        assert!(!config.safety_line_untranslated("cy"));
    }

    #[test]
    fn unknown_languages_keys_and_routes_are_located() {
        let (_, problems) = parse(
            "translations:\n  Welsh:\n    title: Prawf\n  so:\n    title: Tijaabo\n  cy:\n    other_help:\n      NHS 112: Help\n    title: \"a\\u202Eb\"\n",
        );
        let said: Vec<String> = problems
            .iter()
            .map(|d| format!("{}:{} {}", d.line, d.column, d.message))
            .collect();
        let said = said.join("\n");
        assert!(said.contains("`Welsh` is not a language code"), "{said}");
        assert!(
            said.contains("this Somali translation is not published"),
            "{said}"
        );
        assert!(said.contains("no route named `NHS 112`"), "{said}");
        assert!(
            said.contains("invisible control character U+202E"),
            "{said}"
        );
        assert!(
            said.contains("9:"),
            "located at the line of `Welsh`: {said}"
        );
        let (_, problems) = parse("translations:\n  cy:\n    motto: Prawf\n");
        let said: Vec<String> = problems
            .iter()
            .map(|d| format!("{}:{} {}", d.line, d.column, d.message))
            .collect();
        assert!(
            said.iter()
                .any(|m| m.starts_with("10:") && m.contains("motto")),
            "{said:?}"
        );
    }
}
