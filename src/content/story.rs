//! A story, `content/stories/<slug>.md`: front matter plus Markdown about what a group did.

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
        };
        (Some(story), problems)
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
