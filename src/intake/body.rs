//! Reads a submission as GitHub renders an issue form: each field a `### Label` heading
//! followed by its value, `_No response_` for a field left empty and `- [X] text` for a
//! ticked box. The same text pasted from an e-mail is read the same way (a greeting
//! before the first heading or a signature after the last box is ignored).
//!
//! Nothing here trusts the text: a heading that is not one of the form's labels is part
//! of the field above it (a description may have its own `### History`), and a form
//! label seen twice is refused, so a value cannot pose as another field.

use std::collections::BTreeMap;

use super::form::{self, Kind, FIELDS};

/// The largest submission read: GitHub's own limit on an issue body (65,536 characters).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// A problem with the submission, named by the field it is in (`None`: the whole text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The field's id, or `None` for the submission as a whole.
    pub field: Option<&'static str>,
    /// What is wrong, in words for the person who sent it.
    pub message: String,
}

impl Problem {
    /// A problem in field `field`.
    pub fn at(field: &'static str, message: impl Into<String>) -> Self {
        Problem {
            field: Some(field),
            message: message.into(),
        }
    }

    /// A problem with the whole submission.
    pub fn whole(message: impl Into<String>) -> Self {
        Problem {
            field: None,
            message: message.into(),
        }
    }
}

/// The fields of one submission: each id's text (trimmed; empty fields are absent), and
/// whether the publishing box was ticked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Submission {
    /// Field id -> value.
    pub values: BTreeMap<&'static str, String>,
    /// The consent box was ticked.
    pub consent: bool,
}

impl Submission {
    /// A field's value, if it was filled in.
    pub fn get(&self, id: &str) -> Option<&str> {
        self.values.get(id).map(String::as_str)
    }
}

/// Parses a rendered issue-form body (or the same text from an e-mail).
pub fn parse(text: &str) -> Result<Submission, Vec<Problem>> {
    if text.len() > MAX_BODY_BYTES {
        return Err(vec![Problem::whole(format!(
            "the submission is {} KB; the most aidmap reads is {} KB",
            text.len().div_ceil(1024),
            MAX_BODY_BYTES / 1024
        ))]);
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut problems = Vec::new();
    let mut sections: BTreeMap<&'static str, Vec<&str>> = BTreeMap::new();
    let mut current: Option<&'static str> = None;
    for line in text.lines() {
        if let Some(label) = line.strip_prefix("### ") {
            if let Some(f) = form::by_label(label.trim()) {
                if sections.contains_key(f.id) {
                    problems.push(Problem::at(
                        f.id,
                        format!("the heading `### {}` appears more than once", f.label),
                    ));
                }
                sections.insert(f.id, Vec::new());
                current = Some(f.id);
                continue;
            }
        }
        if let Some(id) = current {
            sections.entry(id).or_default().push(line);
        }
    }
    if sections.is_empty() {
        problems.push(Problem::whole(
            "this has none of the form's headings (like `### Group name`): it is not a group submission",
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut out = Submission::default();
    for f in FIELDS {
        let Some(lines) = sections.get(f.id) else {
            continue;
        };
        if f.kind == Kind::Checkbox {
            out.consent = lines.iter().any(|l| {
                let l = l.trim();
                (l.starts_with("- [X]") || l.starts_with("- [x]"))
                    && l[5..].trim() == form::CONSENT_TEXT
            });
            continue;
        }
        let value = lines.join("\n");
        let value = value.trim();
        if value.is_empty() || value == "_No response_" {
            continue;
        }
        out.values.insert(f.id, value.to_string());
    }
    Ok(out)
}

/// The body GitHub renders for these values (id -> text) and consent: what a test, or an
/// e-mail, sends. Empty values are written `_No response_`, as GitHub writes them.
pub fn render(values: &BTreeMap<&str, String>, consent: bool) -> String {
    let mut out = String::new();
    for f in FIELDS {
        out.push_str("### ");
        out.push_str(f.label);
        out.push_str("\n\n");
        if f.kind == Kind::Checkbox {
            out.push_str(if consent { "- [X] " } else { "- [ ] " });
            out.push_str(form::CONSENT_TEXT);
        } else {
            match values.get(f.id).map(|v| v.trim()) {
                Some(v) if !v.is_empty() => out.push_str(v),
                _ => out.push_str("_No response_"),
            }
        }
        out.push_str("\n\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rendered_body_reads_back() {
        let mut v = BTreeMap::new();
        v.insert("name", "Thorpe Helpers".to_string());
        v.insert(
            "description",
            "### Our story\n\nWe began in 2020.".to_string(),
        );
        let s = parse(&render(&v, true)).unwrap();
        assert_eq!(s.get("name"), Some("Thorpe Helpers"));
        assert_eq!(
            s.get("description"),
            Some("### Our story\n\nWe began in 2020.")
        );
        assert_eq!(s.get("phone"), None);
        assert!(s.consent);
    }

    #[test]
    fn a_form_heading_inside_a_value_is_refused() {
        let mut v = BTreeMap::new();
        v.insert("description", "x\n\n### Phone\n\n0909 000 0000".to_string());
        let e = parse(&render(&v, true)).unwrap_err();
        assert_eq!(e[0].field, Some("phone"));
    }
}
