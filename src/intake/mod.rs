//! `aidmap intake`: turns one submission from the "Add your group" form (a GitHub issue
//! body, or the same text from an e-mail) into `content/groups/<slug>.yaml`, or into a
//! Markdown comment listing every problem, by field, for the workflow to post back.
//!
//! A *submission* asks for one of: a new group, an update of a listing (the whole record
//! again, as "Update this listing" prefills it), a "still running" confirmation (moves
//! `last_checked` only) or a status change (paused or closed). The text is never trusted:
//! the record is written with serde and must pass `Group::parse`, the same check as any
//! group file, before anything is written; nothing from it is run or interpolated.

pub mod body;
pub mod form;
pub mod links;
pub mod record;

use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};

use crate::config::Config;
use crate::content::{check, help, Group, Status};
use body::{Problem, Submission};
use form::Kind;
use record::{Record, RecordContact};

/// What a submission became.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The file was written; `summary` is Markdown for the pull request.
    Written {
        /// The file, relative to the directory's root.
        path: PathBuf,
        /// What changed, for the pull request's description.
        summary: String,
    },
    /// Nothing was written; `comment` is the Markdown to post on the issue.
    Refused {
        /// Every problem, by field.
        comment: String,
    },
}

/// What the submission asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Request {
    New,
    Update,
    Confirm,
    Status(Status),
}

/// Reads `root/site.yaml`, then handles the submission `text` (see [`Outcome`]).
pub fn intake(root: &Path, text: &str) -> Result<Outcome> {
    let config_path = root.join("site.yaml");
    let config_text = std::fs::read_to_string(&config_path)
        .with_context(|| format!("cannot read {}", config_path.display()))?;
    let Some(config) = Config::parse(Path::new("site.yaml"), &config_text).0 else {
        bail!("site.yaml has errors; run `aidmap check` to see them");
    };
    let (slug, file_text, what, mut problems) = match plan(root, &config, text) {
        Ok(planned) => planned,
        Err(problems) => {
            return Ok(Outcome::Refused {
                comment: comment(&problems),
            })
        }
    };
    let dir = root.join("content/groups");
    let existing = existing_file(root, &slug);
    let path = existing.unwrap_or_else(|| dir.join(format!("{slug}.yaml")));
    let display = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
    let (group, diagnostics) = Group::parse(&display, &slug, &file_text, &config);
    if group.is_none() || !problems.is_empty() {
        // A field already refused before the check is named once, with the first reason.
        let early: Vec<Option<&str>> = problems.iter().map(|p| p.field).collect();
        for d in diagnostics.iter().filter(|d| d.is_error()) {
            let field = field_at_line(&file_text, d.line);
            if field.is_some() && early.contains(&field) {
                continue;
            }
            let mut message = d.message.clone();
            if let Some(h) = &d.hint {
                message.push_str(&format!(" ({h})"));
            }
            problems.push(Problem { field, message });
        }
        return Ok(Outcome::Refused {
            comment: comment(&problems),
        });
    }
    record::write_file(&path, &file_text)?;
    let mut summary = format!("{what} `{slug}` ({}).\n", display.display());
    let mut notes: Vec<String> = diagnostics.iter().map(|d| clean(&d.message, 300)).collect();
    if let Some(g) = group.as_ref().filter(|g| !g.translations.is_empty()) {
        if what == UPDATES {
            let codes: Vec<&str> = g.translations.keys().map(String::as_str).collect();
            notes.push(format!(
                "The listing's translations ({}) are kept as they were: check they still say what the new text says.",
                codes.join(", ")
            ));
        }
    }
    if !notes.is_empty() {
        summary.push_str("\nNotes for the reviewer:\n\n");
        summary.push_str(&fenced(&notes.join("\n")));
    }
    summary.push_str("\nBefore merging, check that the group is real and running, and that the phone number is one the group agreed to publish.\n");
    Ok(Outcome::Written {
        path: display,
        summary,
    })
}

/// What an update's pull request says it does.
const UPDATES: &str = "Updates the group";

/// The listing's file, `.yaml` or `.yml`, if there is one.
fn existing_file(root: &Path, slug: &str) -> Option<PathBuf> {
    ["yaml", "yml"]
        .iter()
        .map(|ext| root.join(format!("content/groups/{slug}.{ext}")))
        .find(|p| p.symlink_metadata().is_ok())
}

/// Works out the slug, the new text of the group file, and a sentence saying what it is.
fn plan(
    root: &Path,
    config: &Config,
    text: &str,
) -> Result<(String, String, &'static str, Vec<Problem>), Vec<Problem>> {
    let sub = body::parse(text)?;
    let mut problems = check_characters(&sub);
    let request = match sub.get("request").map(request_word) {
        None if sub.get("slug").is_none() => Request::New,
        None if sub.get("name").is_none() => Request::Confirm,
        None => Request::Update,
        Some(Some(r)) => r,
        Some(None) => {
            problems.push(Problem::at(
                "request",
                "write new, update, still running, paused or closed",
            ));
            return Err(problems);
        }
    };
    // Control characters and line breaks are refused before anything else: they are
    // named here, and the record made from the rest is still checked for more.
    let early = problems;
    let today = check::today().to_string();
    let schema_url = format!("{}{}", config.base_url, crate::schema::GROUP_SCHEMA_PATH);

    if request == Request::New {
        if sub.get("slug").is_some() {
            return Err(vec![Problem::at(
                "slug",
                "a new group has no listing address yet: leave it empty, or ask for an update",
            )]);
        }
        let name = sub.get("name").unwrap_or_default();
        let slug = crate::scaffold::slugify(name);
        if slug.is_empty() || check::slug(&slug).is_err() {
            return Err(vec![Problem::at(
                "name",
                "the name needs letters or digits to make the listing's address from",
            )]);
        }
        if existing_file(root, &slug).is_some() {
            return Err(vec![Problem::at("name", format!(
                "a group with the address `{slug}` is already listed: to change it, use \"Update this listing\" on its page"
            ))]);
        }
        let (record, mut problems) = record_from(&sub, config, Some(today.clone()), &today);
        problems.splice(0..0, early);
        return Ok((
            slug,
            record.to_yaml(&schema_url),
            "Adds the group",
            problems,
        ));
    }

    // Every other request is about a listing that exists.
    let Some(slug) = sub.get("slug") else {
        return Err(vec![Problem::at(
            "slug",
            "say which listing this is about: its address is in the link on the group's page",
        )]);
    };
    if check::slug(slug).is_err() {
        return Err(vec![Problem::at(
            "slug",
            "a listing address is lowercase letters, digits and dashes",
        )]);
    }
    let Some(path) = existing_file(root, slug) else {
        return Err(vec![Problem::at(
            "slug",
            format!("there is no listing `{slug}`"),
        )]);
    };
    let display = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
    let current = crate::content::read_text(&path, &display)
        .map_err(|d| vec![Problem::at("slug", d.message)])?;
    let current_record: Option<Record> = serde_yaml::from_str(&current).ok();
    let whole = |edit: &dyn Fn(&mut Record)| -> Result<String, Vec<Problem>> {
        let Some(mut r) = current_record.clone() else {
            return Err(vec![Problem::at(
                "slug",
                format!("the listing `{slug}` has errors; a maintainer needs to fix it first"),
            )]);
        };
        edit(&mut r);
        Ok(r.to_yaml(&schema_url))
    };
    match request {
        Request::Confirm => {
            let text = match record::set_line(&current, "last_checked", &today, "added") {
                Some(t) => t,
                None => whole(&|r| r.last_checked = today.clone())?,
            };
            Ok((
                slug.to_string(),
                text,
                "Confirms the group is still running:",
                early,
            ))
        }
        Request::Status(status) if sub.get("name").is_none() => {
            let word = record::status_word(status);
            let text = record::set_line(&current, "status", word, "last_checked")
                .and_then(|t| record::set_line(&t, "last_checked", &today, "added"));
            let text = match text {
                Some(t) => t,
                None => whole(&|r| {
                    r.status = status;
                    r.last_checked = today.clone();
                })?,
            };
            Ok((slug.to_string(), text, "Changes the status of", early))
        }
        _ => {
            let added = current_record.as_ref().and_then(|r| r.added.clone());
            let (mut record, mut problems) = record_from(&sub, config, added, &today);
            problems.splice(0..0, early);
            // The form has no fields for translations: the listing's own are kept, never
            // lost to an update (the pull request asks the reviewer to check them).
            if let Some(current) = &current_record {
                record.translations = current.translations.clone();
            }
            if let Request::Status(status) = request {
                record.status = status;
            }
            Ok((
                slug.to_string(),
                record.to_yaml(&schema_url),
                UPDATES,
                problems,
            ))
        }
    }
}

/// Reads the request field's words.
fn request_word(word: &str) -> Option<Request> {
    let w = word.trim().to_lowercase().replace(['-', '_'], " ");
    Some(match w.as_str() {
        "new" | "add" | "new group" => Request::New,
        "update" | "change" | "edit" => Request::Update,
        "still running" | "confirm" | "running" | "active" => Request::Confirm,
        "paused" | "pause" => Request::Status(Status::Paused),
        "closed" | "close" | "stopped" | "stop" => Request::Status(Status::Closed),
        _ => return None,
    })
}

/// Control characters, fields past their length and one-line fields with line breaks.
fn check_characters(sub: &Submission) -> Vec<Problem> {
    let mut problems = Vec::new();
    for f in form::FIELDS {
        let Some(v) = sub.get(f.id) else { continue };
        let allowed = |c: char| c == '\n' || (c == '\t' && f.kind == Kind::Textarea);
        if let Some(c) = v
            .chars()
            .find(|&c| check::is_bidi_control(c) || (c.is_control() && !allowed(c)))
        {
            problems.push(Problem::at(
                f.id,
                format!("this has the invisible control character U+{:04X}, which can disguise what it says", c as u32),
            ));
            continue;
        }
        if f.kind == Kind::Input && v.contains('\n') {
            problems.push(Problem::at(f.id, "this must be one line"));
        }
        let n = v.chars().count();
        if f.max > 0 && n > f.max {
            problems.push(Problem::at(
                f.id,
                format!("this is {n} characters long; the most is {}", f.max),
            ));
        }
    }
    problems
}

/// Splits a list field: one item a line or separated by commas, list marks dropped.
fn items(value: Option<&str>) -> Vec<String> {
    value
        .unwrap_or_default()
        .split(['\n', ','])
        .map(|s| {
            let s = s.trim();
            let s = s
                .strip_prefix("- [X]")
                .or_else(|| s.strip_prefix("- [x]"))
                .unwrap_or(s);
            s.trim_start_matches(['-', '*', ' ']).trim().to_string()
        })
        .filter(|s| !s.is_empty())
        .collect()
}

/// The record the submission describes (for a new group or an update); `added` is kept
/// from the listing (today for a new group).
fn record_from(
    sub: &Submission,
    config: &Config,
    added: Option<String>,
    today: &str,
) -> (Record, Vec<Problem>) {
    let mut problems = Vec::new();
    for f in form::FIELDS.iter().filter(|f| f.required) {
        if f.kind == Kind::Checkbox {
            if !sub.consent {
                problems.push(Problem::at(
                    f.id,
                    "tick the box to say the group agreed to publish these details",
                ));
            }
        } else if sub.get(f.id).is_none() {
            problems.push(Problem::at(f.id, "this must be filled in"));
        }
    }
    let status = match sub.get("status").map(|s| s.trim().to_lowercase()) {
        None => Status::Active,
        Some(s) => match s.as_str() {
            "active" | "running" => Status::Active,
            "paused" => Status::Paused,
            "closed" | "stopped" => Status::Closed,
            _ => {
                problems.push(Problem::at("status", "write active, paused or closed"));
                Status::Active
            }
        },
    };
    // Help may be written by key or by the label the site shows.
    let help = items(sub.get("help"))
        .into_iter()
        .map(|h| {
            config
                .help
                .entries()
                .iter()
                .find(|(k, l)| k == &h || l.eq_ignore_ascii_case(&h))
                .map(|(k, _)| k.clone())
                .unwrap_or(h)
        })
        .collect();
    let languages = items(sub.get("languages"))
        .into_iter()
        .map(|l| {
            help::LANGUAGES
                .iter()
                .find(|(c, en, own, _)| {
                    c.eq_ignore_ascii_case(&l)
                        || en.eq_ignore_ascii_case(&l)
                        || own.to_lowercase() == l.to_lowercase()
                })
                .map(|(c, ..)| c.to_string())
                .unwrap_or(l)
        })
        .collect();
    let text = |id: &str| sub.get(id).map(String::from);
    let record = Record {
        name: text("name").unwrap_or_default(),
        summary: text("summary").unwrap_or_default(),
        areas: items(sub.get("areas")),
        help,
        contact: RecordContact {
            phone: text("phone"),
            email: text("email"),
            website: text("website"),
            whatsapp: text("whatsapp"),
            facebook: text("facebook"),
            hours: text("hours"),
        },
        languages,
        status,
        last_checked: today.to_string(),
        added,
        description: text("description"),
        // Not on the form: a maintainer names a closed group's successor in the file.
        succeeded_by: None,
        // Not on the form: `plan` keeps the listing's own.
        translations: Default::default(),
    };
    (record, problems)
}

/// The form field a line of the generated YAML belongs to (`None`: no one field).
fn field_at_line(yaml: &str, line: usize) -> Option<&'static str> {
    let lines: Vec<&str> = yaml.lines().collect();
    if line == 0 || line > lines.len() {
        return Some("name");
    }
    let mut sub_key = None;
    for l in lines[..line].iter().rev() {
        // Items of a block list (`- NR2`) belong to the key above them.
        if l.starts_with("- ") || l.trim().is_empty() {
            continue;
        }
        if let Some(rest) = l.strip_prefix("  ") {
            if sub_key.is_none() && !rest.starts_with(' ') {
                sub_key = rest.split(':').next().map(str::trim);
            }
            continue;
        }
        let key = l.split(':').next()?.trim();
        // "No way to reach the group" is about the contact block as a whole: the phone
        // is the route the form asks for first.
        let key = if key == "contact" {
            sub_key.unwrap_or("phone")
        } else {
            key
        };
        return match key {
            "last_checked" | "added" => None,
            k => form::by_id(k).map(|f| f.id),
        };
    }
    None
}

/// Text from the submission made safe to show inside a code block: no control
/// characters, one line, at most `max` characters.
fn clean(text: &str, max: usize) -> String {
    let mut out: String = text
        .chars()
        .map(|c| {
            if c.is_control() || check::is_bidi_control(c) {
                ' '
            } else {
                c
            }
        })
        .take(max)
        .collect();
    if text.chars().count() > max {
        out.push('…');
    }
    out
}

/// `text` in a fenced code block whose fence is longer than any run of backticks in it,
/// so nothing inside can end the block (no links, mentions or HTML from a submission).
fn fenced(text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat((longest + 1).max(3));
    format!("{fence}text\n{text}\n{fence}\n")
}

/// The comment posted on the issue: what to do, then every problem by field.
pub fn comment(problems: &[Problem]) -> String {
    let mut lines = Vec::new();
    for p in problems {
        let label = p
            .field
            .and_then(form::by_id)
            .map(|f| f.label)
            .unwrap_or("The submission");
        lines.push(format!("{label}: {}", clean(&p.message, 300)));
    }
    format!(
        "Thank you! This listing cannot be added yet: {} to fix. Edit the issue (the \u{22ef} menu, then **Edit**), correct each field named below and save; a volunteer will run the check again.\n\n{}",
        if problems.len() == 1 { "there is one thing".to_string() } else { format!("there are {} things", problems.len()) },
        fenced(&lines.join("\n"))
    )
}
