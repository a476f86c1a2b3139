//! The fields of a group submission, in one table: the GitHub issue form that `aidmap
//! init` writes, the site's "Add your group" page, the prefilled "Update this listing"
//! links and the reader of submitted bodies all come from [`FIELDS`], so a field id can
//! never mean one thing in the form and another in `aidmap intake`.
//!
//! Every field is a text box (`input` or `textarea`) except the publishing consent:
//! GitHub prefills issue-form fields from query parameters named after the field ids,
//! and a text box is the kind of field that is sure to take the value. Lists (areas, help,
//! languages) are written one to a line or separated by commas.

use crate::config::Config;
use crate::content::help::LANGUAGES;

/// The name of the issue form template, under `.github/ISSUE_TEMPLATE/`.
pub const TEMPLATE: &str = "group.yml";

/// The longest prefilled address the site links to. GitHub refuses addresses near
/// 8 KB; a field that would take a link past this is left out of it and shown on the
/// page as a block to copy instead.
pub const MAX_URL_BYTES: usize = 8000;

/// What kind of box a field is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One line.
    Input,
    /// Several lines.
    Textarea,
    /// One tick box (rendered `- [X] label` when ticked).
    Checkbox,
}

/// One field of the submission.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The issue-form id and query parameter name.
    pub id: &'static str,
    /// The heading GitHub renders (`### label`): unique among the fields.
    pub label: &'static str,
    /// Input, textarea or tick box.
    pub kind: Kind,
    /// The help text shown under the field.
    pub description: &'static str,
    /// Must be filled in for a new group.
    pub required: bool,
    /// The most characters a value may have (0: no limit of its own).
    pub max: usize,
}

const fn field(
    id: &'static str,
    label: &'static str,
    kind: Kind,
    description: &'static str,
    required: bool,
    max: usize,
) -> Field {
    Field {
        id,
        label,
        kind,
        description,
        required,
        max,
    }
}

/// The text of the publishing tick box.
pub const CONSENT_TEXT: &str = "The group agreed to publish these contact details, and they include no one's home address or private number without their say-so";

/// Every field, in the order the form shows them and GitHub renders them.
pub const FIELDS: &[Field] = &[
    field("request", "Request", Kind::Input,
        "new, update, still running, paused or closed. Left empty: new when there is no listing address, update when there is.",
        false, 20),
    field("slug", "Listing address", Kind::Input,
        "Filled in for you when you update a listing; leave it empty for a new group.",
        false, 80),
    field("name", "Group name", Kind::Input, "As people in the area know it.", true, 150),
    field("summary", "Summary", Kind::Input,
        "One line saying who the group is and what it does.", true, 200),
    field("areas", "Postcode areas", Kind::Textarea,
        "Postcode districts (like NR2) or sectors (like NR3 1) the group covers, one to a line or separated by commas. Not full postcodes: never anyone's home address.",
        true, 0),
    field("help", "Kinds of help", Kind::Textarea,
        "One to a line or separated by commas, from the list on the site's \"Add your group\" page (for example shopping, prescriptions, phone-calls).",
        false, 0),
    field("phone", "Phone", Kind::Input,
        "A UK number with its area code, like 01632 960123: a group line, or one the group agreed to publish.",
        false, 40),
    field("email", "E-mail", Kind::Input, "", false, 254),
    field("website", "Website", Kind::Input, "A full address starting with https://", false, 500),
    field("whatsapp", "WhatsApp invite link", Kind::Input, "https://chat.whatsapp.com/...", false, 500),
    field("facebook", "Facebook page or group", Kind::Input, "https://www.facebook.com/...", false, 500),
    field("hours", "When someone answers", Kind::Input, "For example: Monday to Friday, 10am to 4pm", false, 120),
    field("languages", "Languages", Kind::Input,
        "Two-letter codes separated by commas, like en, cy (bsl for British Sign Language). English if left empty.",
        false, 200),
    field("status", "Status", Kind::Input,
        "active (taking requests), paused (not for now) or closed (stopped). Active if left empty.",
        false, 20),
    field("description", "About the group", Kind::Textarea,
        "A longer description, if you like. Markdown is allowed.", false, 0),
    field("consent", "Publishing", Kind::Checkbox, "", true, 0),
];

/// The field with this id.
pub fn by_id(id: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.id == id)
}

/// The field whose rendered heading is `label`.
pub fn by_label(label: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.label == label)
}

/// The GitHub issue form `aidmap init` writes (`.github/ISSUE_TEMPLATE/group.yml`), for
/// the built-in help vocabulary and languages. Written with serde so no description can
/// break the YAML.
pub fn issue_template(config: &Config) -> String {
    use serde_yaml::{Mapping, Value};
    let s = |v: &str| Value::String(v.to_string());
    let mut body = Vec::new();
    body.push(Value::Mapping(Mapping::from_iter([
        (s("type"), s("markdown")),
        (s("attributes"), Value::Mapping(Mapping::from_iter([(
            s("value"),
            s("Thank you! A volunteer who looks after the directory reads every request before it is published. Fill in what you know; the directory's \"Add your group\" page fills this in for you."),
        )]))),
    ])));
    for f in FIELDS {
        let mut attributes = Mapping::new();
        attributes.insert(s("label"), s(f.label));
        let mut description = f.description.to_string();
        if f.id == "help" {
            let keys: Vec<&str> = config.help.keys().collect();
            description = format!("{description} Known kinds: {}.", keys.join(", "));
        }
        if f.id == "languages" {
            let codes: Vec<&str> = LANGUAGES.iter().map(|(c, ..)| *c).collect();
            description = format!("{description} Known codes: {}.", codes.join(", "));
        }
        if !description.is_empty() {
            attributes.insert(s("description"), s(&description));
        }
        let kind = match f.kind {
            Kind::Input => "input",
            Kind::Textarea => "textarea",
            Kind::Checkbox => {
                attributes.insert(
                    s("options"),
                    Value::Sequence(vec![Value::Mapping(Mapping::from_iter([
                        (s("label"), s(CONSENT_TEXT)),
                        (s("required"), Value::Bool(true)),
                    ]))]),
                );
                "checkboxes"
            }
        };
        let mut item = Mapping::new();
        item.insert(s("type"), s(kind));
        item.insert(s("id"), s(f.id));
        item.insert(s("attributes"), Value::Mapping(attributes));
        // "Required" would stop a group confirming it still runs with the address alone;
        // intake says what is missing instead. Only the consent box is required here.
        body.push(Value::Mapping(item));
    }
    let mut top = Mapping::new();
    top.insert(s("name"), s("Add or update a group"));
    top.insert(
        s("description"),
        s("List a mutual aid group, change its details, or say it is still running, paused or closed."),
    );
    top.insert(s("title"), s("Group listing"));
    top.insert(s("labels"), Value::Sequence(vec![s(LISTING_LABEL)]));
    top.insert(s("body"), Value::Sequence(body));
    let yaml = serde_yaml::to_string(&Value::Mapping(top)).unwrap_or_default();
    format!(
        "# Written by `aidmap init`: the fields match the site's \"Add your group\" form and\n\
         # what `aidmap intake` reads. Change labels here only together with aidmap.\n{yaml}"
    )
}

/// The label the issue form puts on every submission, so maintainers can find them.
pub const LISTING_LABEL: &str = "group listing";

/// The label a maintainer adds to run `aidmap intake` on a submission (see intake.yml).
pub const READY_LABEL: &str = "listing ready";
