//! A story, `content/stories/<slug>.md`: front matter plus Markdown about what a group did.
//!
//! Its translation into another language is `<slug>.<code>.md` beside it (`cy`, `so`):
//! front matter with a translated `title` and `summary` (both optional), and the
//! translated body. The date, groups and place are the English story's.

use std::collections::BTreeMap;
use std::path::Path;

use jiff::civil::Date;
use serde::Deserialize;

use crate::content::{check, front_matter, markdown, yaml_guard};
use crate::diagnostics::{locate, Diagnostic};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStory {
    title: String,
    date: String,
    #[serde(default)]
    groups: Vec<String>,
    #[serde(default)]
    place: Option<String>,
    #[serde(default)]
    summary: Option<String>,
}

/// A checked story.
#[derive(Debug, Clone)]
pub struct Story {
    /// The file stem, used in the page address.
    pub slug: String,
    /// Headline.
    pub title: String,
    /// When it happened or was written.
    pub date: Date,
    /// Slugs of the groups it is about (each checked to exist by the site loader).
    pub groups: Vec<String>,
    /// Where it happened, in words.
    pub place: Option<String>,
    /// One sentence for lists and the feed.
    pub summary: String,
    /// The body as sanitised HTML.
    pub body_html: String,
    /// Line of each `groups` entry, for "no such group" messages.
    pub group_lines: Vec<(usize, usize)>,
    /// The story in other languages, by language code (from `<slug>.<code>.md`, set by
    /// `Content::load`).
    pub translations: BTreeMap<String, StoryText>,
}

/// A translated story's front matter as written: the date, groups and place come from
/// the English story, so they are read only to say they are not used.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStoryText {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    date: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    groups: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    place: Option<serde::de::IgnoredAny>,
}

/// A story in one other language, checked like the English. What it leaves out is
/// shown in English.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct StoryText {
    /// The headline.
    pub title: Option<String>,
    /// One sentence for lists and the feed: as given, else the first sentence of the
    /// translated body, else `None`.
    pub summary: Option<String>,
    /// The translated body as sanitised HTML; empty when the file has no body.
    pub body_html: String,
}

impl Story {
    /// Parses and checks one story file's text.
    pub fn parse(path: &Path, slug: &str, source: &str) -> (Option<Story>, Vec<Diagnostic>) {
        let mut problems = Vec::new();
        if let Err(msg) = check::slug(slug) {
            problems.push(
                Diagnostic::error(path, (0, 0), msg)
                    .with_hint("rename the file, for example saturdays-at-the-harvest-table.md"),
            );
        } else if slug == crate::render::pages::STORY_PAGES {
            problems.push(
                Diagnostic::error(
                    path,
                    (0, 0),
                    format!(
                        "a story called `{slug}` would take the address of the stories list's later pages (stories/{slug}/2/)"
                    ),
                )
                .with_hint("rename the file, for example saturdays-at-the-harvest-table.md"),
            );
        }
        let split = match front_matter::split(source) {
            Ok(s) => s,
            Err(msg) => {
                problems.push(
                    Diagnostic::error(path, (1, 1), msg)
                        .with_hint("see the story format in README.md"),
                );
                return (None, problems);
            }
        };
        // The front matter starts on line 2 of the file.
        if let Err(d) = yaml_guard::guard(path, split.front, 1) {
            problems.push(d);
            return (None, problems);
        }
        let raw: RawStory = match crate::diagnostics::from_yaml_all(path, split.front, 1) {
            Ok(raw) => raw,
            Err(ds) => {
                problems.extend(ds);
                return (None, problems);
            }
        };
        let at = |keys: &[&str], item: Option<&str>| {
            let (l, c) = locate(split.front, keys, item);
            (l + 1, c)
        };
        if let Err(msg) = check::plain_text(&raw.title, 160) {
            problems.push(Diagnostic::error(
                path,
                at(&["title"], None),
                format!("title: {msg}"),
            ));
        }
        let date = match check::date(&raw.date) {
            Ok(d) => d,
            Err(msg) => {
                problems.push(Diagnostic::error(path, at(&["date"], None), msg));
                check::today()
            }
        };
        let summary = raw.summary.unwrap_or_default();
        if !summary.is_empty() {
            if let Err(msg) = check::plain_text(&summary, 300) {
                problems.push(Diagnostic::error(
                    path,
                    at(&["summary"], None),
                    format!("summary: {msg}"),
                ));
            }
        }
        if let Some(place) = &raw.place {
            if let Err(msg) = check::plain_text(place, 120) {
                problems.push(Diagnostic::error(
                    path,
                    at(&["place"], None),
                    format!("place: {msg}"),
                ));
            }
        }
        let group_lines = raw
            .groups
            .iter()
            .map(|g| at(&["groups"], Some(g)))
            .collect();
        if problems.iter().any(|d| d.is_error()) {
            return (None, problems);
        }
        // Rendered once: the summary, when not given, is taken from the same HTML.
        let body_html = match markdown::render(split.body) {
            Ok(html) => html,
            Err(too_deep) => {
                let body_start = source.len() - split.body.len();
                let at = markdown::line_column(source, body_start + too_deep.offset);
                problems.push(
                    Diagnostic::error(path, at, too_deep.message())
                        .with_hint(markdown::TooDeep::HINT),
                );
                return (None, problems);
            }
        };
        let summary = if summary.is_empty() {
            first_sentence(&markdown::plain_of_html(&body_html))
        } else {
            summary
        };
        let story = Story {
            slug: slug.to_string(),
            title: raw.title.trim().to_string(),
            date,
            groups: raw.groups,
            place: raw.place,
            summary,
            body_html,
            group_lines,
            translations: BTreeMap::new(),
        };
        (Some(story), problems)
    }
}

impl StoryText {
    /// Parses and checks one translated story file's text (`story.cy.md`). A file with
    /// no front matter is all body. `None` when it has errors or says nothing (then a
    /// warning says so).
    pub fn parse(path: &Path, source: &str) -> (Option<StoryText>, Vec<Diagnostic>) {
        let mut problems = Vec::new();
        let (front, body) = if source.starts_with("---\n") {
            match front_matter::split(source) {
                Ok(s) => (s.front, s.body),
                Err(msg) => {
                    problems.push(
                        Diagnostic::error(path, (1, 1), msg)
                            .with_hint("see the story format in README.md"),
                    );
                    return (None, problems);
                }
            }
        } else {
            ("", source)
        };
        if let Err(d) = yaml_guard::guard(path, front, 1) {
            problems.push(d);
            return (None, problems);
        }
        let raw: RawStoryText = if front.trim().is_empty() {
            RawStoryText::default()
        } else {
            match crate::diagnostics::from_yaml_all(path, front, 1) {
                Ok(raw) => raw,
                Err(ds) => {
                    problems.extend(ds);
                    return (None, problems);
                }
            }
        };
        let at = |key: &str| {
            let (l, c) = locate(front, &[key], None);
            (l + 1, c)
        };
        for (key, given) in [
            ("date", raw.date.is_some()),
            ("groups", raw.groups.is_some()),
            ("place", raw.place.is_some()),
        ] {
            if given {
                problems.push(
                    Diagnostic::warning(
                        path,
                        at(key),
                        format!(
                            "`{key}` is not used in a translation: it comes from the English story"
                        ),
                    )
                    .with_hint(format!(
                        "remove the `{key}:` line; change it in the English story"
                    )),
                );
            }
        }
        let given = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
        let title = given(raw.title);
        if let Some(t) = &title {
            if let Err(msg) = check::plain_text(t, 160) {
                problems.push(Diagnostic::error(
                    path,
                    at("title"),
                    format!("title: {msg}"),
                ));
            }
        }
        let summary = given(raw.summary);
        if let Some(s) = &summary {
            if let Err(msg) = check::plain_text(s, 300) {
                problems.push(Diagnostic::error(
                    path,
                    at("summary"),
                    format!("summary: {msg}"),
                ));
            }
        }
        let body_html = if body.trim().is_empty() {
            String::new()
        } else {
            match markdown::render(body) {
                Ok(html) => html,
                Err(too_deep) => {
                    let body_start = source.len() - body.len();
                    let at = markdown::line_column(source, body_start + too_deep.offset);
                    problems.push(
                        Diagnostic::error(path, at, too_deep.message())
                            .with_hint(markdown::TooDeep::HINT),
                    );
                    String::new()
                }
            }
        };
        if problems.iter().any(|d| d.is_error()) {
            return (None, problems);
        }
        if title.is_none() && summary.is_none() && body_html.is_empty() {
            problems.push(
                Diagnostic::warning(path, (0, 0), "the translation is empty")
                    .with_hint("give a translated `title`, `summary` or body, or remove the file"),
            );
            return (None, problems);
        }
        let summary = summary
            .map(|s| s.trim().to_string())
            .or_else(|| {
                (!body_html.is_empty())
                    .then(|| first_sentence(&markdown::plain_of_html(&body_html)))
            })
            .filter(|s| !s.is_empty());
        let text = StoryText {
            title: title.map(|t| t.trim().to_string()),
            summary,
            body_html,
        };
        (Some(text), problems)
    }
}

fn first_sentence(text: &str) -> String {
    let end = text
        .find(". ")
        .map(|i| i + 1)
        .unwrap_or(text.len())
        .min(240);
    let mut end = end;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].trim().to_string()
}
