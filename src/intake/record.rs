//! A group record as plain values, the shape of `content/groups/<slug>.yaml`, and the
//! one way intake writes it: serialised with serde (so no value can add a key or end a
//! block early) and then read back with `Group::parse`, the check every group file gets.
//!
//! It also goes the other way, from a checked [`Group`] to the form's fields, which is
//! what "Update this listing" sends back to the group.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::content::{Group, Status};

/// A group file's fields as written (the same keys as `schema/group.schema.json`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// The group's name.
    pub name: String,
    /// One line.
    pub summary: String,
    /// Districts and sectors.
    pub areas: Vec<String>,
    /// Help keys.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub help: Vec<String>,
    /// Contact routes.
    #[serde(default)]
    pub contact: RecordContact,
    /// Language codes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    /// `active`, `paused` or `closed`.
    #[serde(default)]
    pub status: Status,
    /// YYYY-MM-DD.
    pub last_checked: String,
    /// YYYY-MM-DD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub added: Option<String>,
    /// Markdown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A closed group's successor (slug).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub succeeded_by: Option<String>,
    /// The group's words in other languages, by language code. The form has no fields
    /// for them, so an update keeps the listing's own (see `intake::plan`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, Option<RecordText>>,
}

/// One `translations.<code>` block as written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordText {
    /// One line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Markdown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// When someone answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<String>,
}

/// The `contact:` block as written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordContact {
    /// Phone as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// E-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Web site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// WhatsApp link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub whatsapp: Option<String>,
    /// Facebook link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facebook: Option<String>,
    /// When someone answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<String>,
}

/// The words a status is written with.
pub fn status_word(s: Status) -> &'static str {
    match s {
        Status::Active => "active",
        Status::Paused => "paused",
        Status::Closed => "closed",
    }
}

impl Record {
    /// The record of a checked group (what its file says, normalised).
    pub fn from_group(g: &Group) -> Record {
        let c = &g.contact;
        Record {
            name: g.name.clone(),
            summary: g.summary.clone(),
            areas: g.areas.clone(),
            help: g.help.clone(),
            contact: RecordContact {
                phone: c.phone.clone(),
                email: c.email.clone(),
                website: c.website.clone(),
                whatsapp: c.whatsapp.clone(),
                facebook: c.facebook.clone(),
                hours: c.hours.clone(),
            },
            languages: g.languages.clone(),
            status: g.status,
            last_checked: g.last_checked.to_string(),
            added: g.added.map(|d| d.to_string()),
            description: g.description.clone(),
            succeeded_by: g.succeeded_by.as_ref().map(|(s, _)| s.clone()),
            translations: g
                .translations
                .iter()
                .map(|(code, t)| {
                    let text = RecordText {
                        summary: t.summary.clone(),
                        description: t.description.clone(),
                        hours: t.hours.clone(),
                    };
                    (code.clone(), Some(text))
                })
                .collect(),
        }
    }

    /// The form's fields for this record (id -> text), as "Update this listing" fills
    /// them in; `slug` is the listing's address.
    pub fn form_values(&self, slug: &str) -> BTreeMap<&'static str, String> {
        let mut v = BTreeMap::new();
        let mut put = |id: &'static str, value: Option<&str>| {
            if let Some(value) = value.filter(|s| !s.trim().is_empty()) {
                v.insert(id, value.to_string());
            }
        };
        put("request", Some("update"));
        put("slug", Some(slug));
        put("name", Some(&self.name));
        put("summary", Some(&self.summary));
        put("areas", Some(&self.areas.join("\n")));
        put("help", Some(&self.help.join("\n")));
        let c = &self.contact;
        put("phone", c.phone.as_deref());
        put("email", c.email.as_deref());
        put("website", c.website.as_deref());
        put("whatsapp", c.whatsapp.as_deref());
        put("facebook", c.facebook.as_deref());
        put("hours", c.hours.as_deref());
        put("languages", Some(&self.languages.join(", ")));
        put("status", Some(status_word(self.status)));
        put("description", self.description.as_deref());
        v
    }

    /// The file's text: a schema line for editors, then the record in YAML.
    pub fn to_yaml(&self, schema_url: &str) -> String {
        let mut yaml = serde_yaml::to_string(self).unwrap_or_default();
        if !yaml.ends_with('\n') {
            yaml.push('\n');
        }
        format!("# yaml-language-server: $schema={schema_url}\n{yaml}")
    }
}

/// Writes a group file's `text` at `path` (its folder is made if need be): written
/// beside it and renamed over it, so a link at `path` is replaced, never followed, and
/// a reader never sees half a file. `aidmap intake` and `aidmap import` both write
/// through here.
pub fn write_file(path: &std::path::Path, text: &str) -> anyhow::Result<()> {
    use anyhow::Context as _;
    let dir = path.parent().unwrap_or(std::path::Path::new("."));
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the folder {}", dir.display()))?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("group");
    let tmp = dir.join(format!(".{name}.tmp"));
    std::fs::write(&tmp, text).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))
}

/// Replaces the value of a top-level `key: value` line in a group file's text, or adds
/// the line before `before` when there is none; `None` when the file is not written in
/// the plain one-key-a-line way (then the caller rewrites the whole record).
///
/// A confirmation or a status change then changes one line of the file, and the pull
/// request shows exactly that.
pub fn set_line(text: &str, key: &str, value: &str, before: &str) -> Option<String> {
    let prefix = format!("{key}:");
    let lines: Vec<&str> = text.lines().collect();
    let at: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].starts_with(&prefix))
        .collect();
    let new_line = format!("{key}: {value}");
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    match at.as_slice() {
        [i] => {
            // The value must end on its own line (a plain or quoted scalar, no block).
            let next_is_part = lines
                .get(i + 1)
                .is_some_and(|n| n.starts_with(' ') || n.starts_with('\t'));
            let rest = lines[*i][prefix.len()..].trim();
            if next_is_part || rest.is_empty() || rest.starts_with(['|', '>', '[', '{']) {
                return None;
            }
            out[*i] = new_line;
        }
        [] => {
            let before_prefix = format!("{before}:");
            let j = lines.iter().position(|l| l.starts_with(&before_prefix))?;
            out.insert(j, new_line);
        }
        _ => return None,
    }
    let mut joined = out.join("\n");
    joined.push('\n');
    Some(joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_changes() {
        let text = "name: A\nstatus: active\nlast_checked: 2026-01-01\n";
        assert_eq!(
            set_line(text, "last_checked", "2026-11-22", "status").unwrap(),
            "name: A\nstatus: active\nlast_checked: 2026-11-22\n"
        );
        let text = "name: A\nlast_checked: 2026-01-01\n";
        assert_eq!(
            set_line(text, "status", "closed", "last_checked").unwrap(),
            "name: A\nstatus: closed\nlast_checked: 2026-01-01\n"
        );
        assert_eq!(
            set_line(
                "{name: A, last_checked: x}\n",
                "status",
                "closed",
                "last_checked"
            ),
            None
        );
    }
}
