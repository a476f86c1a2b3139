//! Content in the site's other languages: a group record's `translations:` block and a
//! story's translated file (`<slug>.<code>.md`, read in `content::story`).
//!
//! A *translation* gives some of a record's words in one language, by its code
//! (`translations: {cy: {summary: …}}`); whatever it leaves out is shown in the
//! record's own language. Each translated field is checked exactly as the English one
//! is (lengths, one line, control characters, Markdown nesting) and the description is
//! rendered to sanitised HTML the same way. A code that is not a language code is an
//! error; a code the site does not publish (`languages:` in site.yaml) is a warning,
//! since the words are kept for the day it does.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::config::Config;
use crate::content::{check, help, markdown};
use crate::diagnostics::{locate, Diagnostic};

/// A group's `translations.<code>` block as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawGroupText {
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    hours: Option<String>,
}

/// A group's words in one other language, checked. A field left out is `None` (and
/// `description_html` empty): the page shows the record's own text there.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct GroupText {
    /// The one-line summary.
    pub summary: Option<String>,
    /// The description's Markdown as written (trimmed).
    pub description: Option<String>,
    /// The description as sanitised HTML, rendered as the English one is.
    pub description_html: String,
    /// When someone answers (the translation of `contact.hours`).
    pub hours: Option<String>,
}

impl GroupText {
    /// True when the translation gives nothing.
    pub fn is_empty(&self) -> bool {
        self.summary.is_none() && self.description.is_none() && self.hours.is_none()
    }
}

/// What a translation is checked against in the record it belongs to.
pub(super) struct English {
    /// The record gives a description.
    pub has_description: bool,
    /// The record gives `contact.hours`.
    pub has_hours: bool,
}

/// Checks a language code given for a translation (a key of `translations:` or the
/// `cy` of `story.cy.md`): `Err` (message, hint) when it is not a language code; a
/// warning when the site does not publish it or it is the site's own language (then
/// the translation is not used: `Ok(false)`).
pub fn check_code(
    code: &str,
    config: &Config,
    path: &Path,
    at: (usize, usize),
    problems: &mut Vec<Diagnostic>,
) -> Result<bool, (String, String)> {
    if !is_code(code) {
        let lower = code.trim().to_lowercase();
        let named = help::LANGUAGES.iter().find(|(c, en, own, _)| {
            *c == lower || en.to_lowercase() == lower || own.to_lowercase() == lower
        });
        let hint = match named {
            Some((c, en, ..)) => format!("write `{c}` for {en}"),
            None => "use the language's two-letter lower-case ISO 639-1 code, as in site.yaml's `languages:` (cy, so, ar, ...)".to_string(),
        };
        return Err((format!("`{code}` is not a language code"), hint));
    }
    let default = config.first_language();
    if code == default {
        problems.push(
            Diagnostic::warning(path, at, format!("`{code}` is the site's own language, so this translation is not used"))
                .with_hint("the record's own fields are the text in the site's first language: put the words there"),
        );
        return Ok(false);
    }
    if !config.languages.iter().any(|l| l == code) {
        let name = help::language(code).map_or(code, |l| l.0);
        problems.push(
            Diagnostic::warning(
                path,
                at,
                format!("this {name} translation is not published"),
            )
            .with_hint(format!("add `{code}` to `languages:` in site.yaml")),
        );
    }
    Ok(true)
}

/// Two or three lower-case ASCII letters: the shape site.yaml's `languages:` accepts.
pub fn is_code(code: &str) -> bool {
    (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase())
}

/// Checks a group file's `translations:` block (`source` is the file's text, for
/// positions) and returns the usable translations by code; every problem goes to
/// `problems`.
pub(super) fn group_texts(
    path: &Path,
    source: &str,
    raw: BTreeMap<String, Option<RawGroupText>>,
    english: &English,
    config: &Config,
    problems: &mut Vec<Diagnostic>,
) -> BTreeMap<String, GroupText> {
    let mut out = BTreeMap::new();
    for (code, block) in raw {
        let at = |field: Option<&str>| match field {
            Some(f) => locate(source, &["translations", &code, f], None),
            None => locate(source, &["translations", &code], None),
        };
        match check_code(&code, config, path, at(None), problems) {
            Err((msg, hint)) => {
                problems.push(Diagnostic::error(path, at(None), msg).with_hint(hint));
                continue;
            }
            Ok(false) => continue,
            Ok(true) => {}
        }
        let name = help::language(&code).map_or(code.as_str(), |l| l.0);
        let block = block.unwrap_or_default();
        let given = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
        let mut text = GroupText::default();
        if let Some(summary) = given(block.summary) {
            let mut bad = |msg: String, hint: &str| {
                problems.push(
                    Diagnostic::error(path, at(Some("summary")), msg).with_hint(hint.to_string()),
                );
            };
            if let Err(msg) = check::plain_text(&summary, 200) {
                bad(
                    format!("translations.{code}.summary: {msg}"),
                    "move longer text into the translation's `description`",
                );
            } else if summary.contains('\n') {
                bad(
                    format!("translations.{code}.summary must be one line"),
                    "move longer text into the translation's `description`",
                );
            }
            text.summary = Some(summary.trim().to_string());
        }
        if let Some(hours) = given(block.hours) {
            if let Err(msg) = check::plain_text(&hours, 120) {
                problems.push(Diagnostic::error(
                    path,
                    at(Some("hours")),
                    format!("translations.{code}.hours: {msg}"),
                ));
            } else if !english.has_hours {
                problems.push(
                    Diagnostic::warning(path, at(Some("hours")), format!("the {name} hours translate nothing: the record has no `contact.hours`"))
                        .with_hint("add the hours under `contact:` too, so every page says when someone answers"),
                );
            }
            text.hours = Some(hours.trim().to_string());
        }
        if let Some(description) = given(block.description) {
            match markdown::render_with_top(&description, 3) {
                Ok(html) => text.description_html = html,
                Err(too_deep) => {
                    let at = super::group::description_position(
                        source,
                        at(Some("description")),
                        &description,
                        too_deep.offset,
                    );
                    problems.push(
                        Diagnostic::error(
                            path,
                            at,
                            format!("translations.{code}.description: {}", too_deep.message()),
                        )
                        .with_hint(markdown::TooDeep::HINT),
                    );
                }
            }
            if !english.has_description {
                problems.push(
                    Diagnostic::warning(path, at(Some("description")), format!("the {name} description translates nothing: the record has no `description`"))
                        .with_hint("add the description in the record's own language too"),
                );
            }
            text.description = Some(description.trim().to_string());
        }
        if text.is_empty() {
            problems.push(
                Diagnostic::warning(path, at(None), format!("the {name} translation is empty"))
                    .with_hint(format!(
                        "give `summary`, `description` or `hours` in {name} under `{code}:`, or remove the `{code}:` line"
                    )),
            );
            continue;
        }
        out.insert(code, text);
    }
    out
}
