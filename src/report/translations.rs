//! `aidmap report --translations`: for each language the site publishes besides its
//! first (`languages:` in site.yaml), what a reader of that language still meets in the
//! first language: theme strings its files lack (see [`Strings::missing`]), and groups
//! and stories with no translation in it. Closed groups are left out: their page only
//! says they stopped, so translating them is not worth a volunteer's evening.

use std::fmt::Write as _;

use serde::Serialize;

use crate::config::Config;
use crate::content::{help, Content, Status};
use crate::leaflet::Strings;

/// How many group or story names, and how many missing keys, the text form lists per
/// language; the JSON form lists every one.
pub const SHOWN: usize = 10;

/// A group or story still only in the first language.
#[derive(Debug, Clone, Serialize)]
pub struct Untranslated {
    /// Its name or title.
    pub name: String,
    /// Its file, relative to the directory's root.
    pub file: String,
}

/// What one language still lacks.
#[derive(Debug, Clone, Serialize)]
pub struct LanguageGaps {
    /// The language code (`cy`).
    pub code: String,
    /// Its English name (`Welsh`), or the code when aidmap does not know it.
    pub name: String,
    /// Theme keys English has and this language's files lack (`text.phone`), sorted.
    pub missing_keys: Vec<String>,
    /// site.yaml's own texts with no version in this language (`title`, `description`,
    /// `other_help: NHS 111`): the default language's is shown, marked.
    pub missing_site_texts: Vec<String>,
    /// How many groups were looked at (closed ones are not).
    pub groups: usize,
    /// Those with no translation in this language, in slug order.
    pub untranslated_groups: Vec<Untranslated>,
    /// How many stories there are.
    pub stories: usize,
    /// Those with no translation in this language, newest first.
    pub untranslated_stories: Vec<Untranslated>,
}

/// The translations report.
#[derive(Debug, Clone, Serialize)]
pub struct Translations {
    /// The site's first language, which everything else is translated from.
    pub default: String,
    /// Every other language of the site, in site.yaml's order.
    pub languages: Vec<LanguageGaps>,
}

impl Translations {
    /// Builds the report from a loaded site's config, content and theme strings.
    pub fn new(config: &Config, content: &Content, strings: &Strings) -> Translations {
        let default = config
            .languages
            .first()
            .cloned()
            .unwrap_or_else(|| "en".into());
        let groups: Vec<_> = content
            .groups
            .iter()
            .filter(|g| g.status != Status::Closed)
            .collect();
        let languages = config
            .languages
            .iter()
            .skip(1)
            .map(|code| LanguageGaps {
                code: code.clone(),
                name: help::language(code).map_or(code.clone(), |l| l.0.to_string()),
                missing_keys: strings.missing(code),
                missing_site_texts: missing_site_texts(config, code),
                groups: groups.len(),
                untranslated_groups: groups
                    .iter()
                    .filter(|g| !g.translations.contains_key(code))
                    .map(|g| Untranslated {
                        name: g.display_name(),
                        file: format!("content/groups/{}.yaml", g.slug),
                    })
                    .collect(),
                stories: content.stories.len(),
                untranslated_stories: content
                    .stories
                    .iter()
                    .filter(|s| !s.translations.contains_key(code))
                    .map(|s| Untranslated {
                        name: s.title.clone(),
                        file: format!("content/stories/{}.md", s.slug),
                    })
                    .collect(),
            })
            .collect();
        Translations { default, languages }
    }

    /// The report as `aidmap report --translations` prints it.
    pub fn render_text(&self) -> String {
        let mut out = String::new();
        if self.languages.is_empty() {
            let _ = writeln!(
                out,
                "The site is published in `{}` only, so there is nothing to translate: list more languages under `languages:` in site.yaml.",
                self.default
            );
            return out;
        }
        let codes: Vec<&str> = self.languages.iter().map(|l| l.code.as_str()).collect();
        let _ = writeln!(
            out,
            "Translations from `{}` into {}\n",
            self.default,
            codes.join(", ")
        );
        let (mut keys, mut groups, mut stories) = (0, 0, 0);
        for l in &self.languages {
            keys += l.missing_keys.len();
            groups += l.untranslated_groups.len();
            stories += l.untranslated_stories.len();
            let _ = writeln!(out, "{} ({}):", l.name, l.code);
            let _ = write!(out, "  Theme strings missing ({}):", l.missing_keys.len());
            if l.missing_keys.is_empty() {
                out.push_str(" none\n");
            } else {
                let shown: Vec<&str> = l
                    .missing_keys
                    .iter()
                    .take(SHOWN)
                    .map(String::as_str)
                    .collect();
                let _ = write!(out, " {}", shown.join(", "));
                more(&mut out, l.missing_keys.len());
                let _ = writeln!(
                    out,
                    "    (add them to i18n/{}.yaml; the English is shown until then)",
                    l.code
                );
            }
            if !l.missing_site_texts.is_empty() {
                let _ = writeln!(
                    out,
                    "  Site texts missing ({}): {}\n    (add them under `translations: {{{}: …}}` in site.yaml; the {} is shown until then)",
                    l.missing_site_texts.len(),
                    l.missing_site_texts.join(", "),
                    l.code,
                    self.default
                );
            }
            for (what, total, list) in [
                ("Groups", l.groups, &l.untranslated_groups),
                ("Stories", l.stories, &l.untranslated_stories),
            ] {
                let _ = writeln!(
                    out,
                    "  {what} with no {} translation ({} of {total}):",
                    l.name,
                    list.len()
                );
                if list.is_empty() {
                    out.push_str("    none\n");
                }
                for u in list.iter().take(SHOWN) {
                    let _ = writeln!(out, "    {} ({})", u.name, u.file);
                }
                if list.len() > SHOWN {
                    let _ = writeln!(out, "    ... and {} more", list.len() - SHOWN);
                }
            }
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "In all: {keys} theme string{}, {groups} group{} and {stories} stor{} to translate into {} language{}",
            s(keys),
            s(groups),
            if stories == 1 { "y" } else { "ies" },
            self.languages.len(),
            s(self.languages.len())
        );
        out
    }
}

/// site.yaml's texts a page in `code` shows that have no version in `code`: the title,
/// the description and the safety line when the site wrote them, each other route's
/// `what`.
fn missing_site_texts(config: &Config, code: &str) -> Vec<String> {
    let given = config.translations.get(code);
    let mut out = Vec::new();
    let has = |pick: fn(&crate::config::SiteText) -> bool| given.is_some_and(pick);
    if !has(|t| t.title.is_some()) {
        out.push("title".to_string());
    }
    if !config.description.is_empty() && !has(|t| t.description.is_some()) {
        out.push("description".to_string());
    }
    if config.safety_line != crate::config::DEFAULT_SAFETY_LINE && !has(|t| t.safety_line.is_some())
    {
        out.push("safety_line".to_string());
    }
    for o in &config.other_help {
        if !given.is_some_and(|t| t.other_help.contains_key(&o.name)) {
            out.push(format!("other_help: {}", o.name));
        }
    }
    out
}

/// Ends a line of the first [`SHOWN`] of `total` items.
fn more(out: &mut String, total: usize) {
    if total > SHOWN {
        let _ = writeln!(out, " and {} more", total - SHOWN);
    } else {
        out.push('\n');
    }
}

fn s(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
