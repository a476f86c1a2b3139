//! The links a site gives groups when `site.yaml` names a `repository:`: the new-issue
//! address prefilled with a listing ("Update this listing"), the one-click "still
//! running", "paused" and "closed" requests, and the e-mail route (`mailto:` with the
//! same submission text in its body).
//!
//! A prefilled address longer than [`MAX_URL_BYTES`] is not followed by GitHub, so the
//! largest fields are left out of it until it fits and shown as blocks to copy.

use std::collections::BTreeMap;

use serde::Serialize;

use super::body;
use super::form::{self, FIELDS, MAX_URL_BYTES, TEMPLATE};
use super::record::Record;
use crate::content::Group;

/// The longest `mailto:` link offered: some mail programs drop a longer one.
pub const MAX_MAILTO_BYTES: usize = 2000;

/// A field left out of a prefilled link, to copy by hand.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CopyBlock {
    /// The field's label, as the issue form shows it.
    pub label: &'static str,
    /// Its value.
    pub value: String,
}

/// A prefilled link and what did not fit in it.
#[derive(Debug, Clone, Serialize)]
pub struct Prefilled {
    /// The new-issue address.
    pub url: String,
    /// Fields to copy into the form by hand (empty when everything fitted).
    pub copy: Vec<CopyBlock>,
}

/// A group page's links.
#[derive(Debug, Clone, Serialize)]
pub struct ListingLinks {
    /// "Update this listing".
    pub update: Prefilled,
    /// "We are still running".
    pub confirm: String,
    /// "We have paused".
    pub paused: String,
    /// "We have stopped".
    pub closed: String,
    /// The update by e-mail, when the maintainers have an address and it fits.
    pub mailto: Option<String>,
}

fn encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// The new-issue address of `repository` with `title` and the fields in `values`;
/// fields that would take it past [`MAX_URL_BYTES`] are left out, largest first, and
/// returned to copy.
pub fn prefill(repository: &str, title: &str, values: &BTreeMap<&str, String>) -> Prefilled {
    let base = format!(
        "{repository}/issues/new?template={}&title={}",
        encode(TEMPLATE),
        encode(title)
    );
    let params: Vec<(&'static str, String)> = FIELDS
        .iter()
        .filter_map(|f| {
            values
                .get(f.id)
                .map(|v| (f.id, format!("&{}={}", f.id, encode(v))))
        })
        .collect();
    let mut keep: Vec<bool> = vec![true; params.len()];
    let total = |keep: &[bool]| {
        base.len()
            + params
                .iter()
                .zip(keep)
                .filter(|(_, k)| **k)
                .map(|((_, p), _)| p.len())
                .sum::<usize>()
    };
    while total(&keep) > MAX_URL_BYTES {
        // The request and the address say what the issue is about: they always stay.
        let largest = params
            .iter()
            .enumerate()
            .filter(|(i, (id, _))| keep[*i] && !matches!(*id, "request" | "slug"))
            .max_by_key(|(_, (_, p))| p.len())
            .map(|(i, _)| i);
        match largest {
            Some(i) => keep[i] = false,
            None => break,
        }
    }
    let mut url = base.clone();
    let mut copy = Vec::new();
    for ((id, p), k) in params.iter().zip(&keep) {
        if *k {
            url.push_str(p);
        } else if let Some(f) = form::by_id(id) {
            copy.push(CopyBlock {
                label: f.label,
                value: values.get(id).cloned().unwrap_or_default(),
            });
        }
    }
    Prefilled { url, copy }
}

/// A `mailto:` link to `email` with the submission text for `values` as its body.
pub fn mailto(email: &str, subject: &str, values: &BTreeMap<&str, String>) -> String {
    // RFC 6068 wants %20 for spaces, not `+`.
    let enc = |s: &str| encode(s).replace('+', "%20");
    format!(
        "mailto:{}?subject={}&body={}",
        crate::content::check::mailto(email).trim_start_matches("mailto:"),
        enc(subject),
        enc(&body::render(values, false))
    )
}

/// The links of one group's page.
pub fn for_group(repository: &str, maintainer_email: Option<&str>, g: &Group) -> ListingLinks {
    let values = Record::from_group(g).form_values(&g.slug);
    let short = |request: &str| {
        let v = BTreeMap::from([("request", request.to_string()), ("slug", g.slug.clone())]);
        prefill(repository, &format!("{request}: {}", g.slug), &v).url
    };
    let mailto = maintainer_email
        .map(|e| mailto(e, &format!("Update listing: {}", g.slug), &values))
        .filter(|m| m.len() <= MAX_MAILTO_BYTES);
    ListingLinks {
        update: prefill(repository, &format!("Update listing: {}", g.slug), &values),
        confirm: short("still running"),
        paused: short("paused"),
        closed: short("closed"),
        mailto,
    }
}

/// One field of the "Add your group" form, as its template sees it, in the page's
/// language.
#[derive(Debug, Clone, Serialize)]
pub struct FieldView {
    /// Query parameter name (the issue-form id).
    pub id: &'static str,
    /// The heading the submission text gives the answer (`### Group name`): English
    /// whatever the page's language, as it is the format `aidmap intake` reads.
    pub heading: &'static str,
    /// Label, in the page's language.
    pub label: String,
    /// Several lines.
    pub textarea: bool,
    /// Help under the field, in the page's language.
    pub description: String,
    /// Needed for a new group.
    pub required: bool,
    /// `maxlength` (0: none).
    pub max: usize,
}

/// The "Add your group" page's form: the same fields, vocabulary and limits as a group
/// file, posted (GET) to the repository's new-issue page.
#[derive(Debug, Clone, Serialize)]
pub struct FormView {
    /// `https://github.com/OWNER/REPO/issues/new`.
    pub action: String,
    /// The issue form's file name.
    pub template: &'static str,
    /// The fields a group fills in (not the request, address or consent box).
    pub fields: Vec<FieldView>,
    /// The kinds of help: (key, label in the page's language).
    pub help: Vec<(String, String)>,
    /// Languages: (code, name in the page's language, own name).
    pub languages: Vec<(&'static str, String, &'static str)>,
    /// The consent box's words, ticked on GitHub (English: GitHub shows the issue form's).
    pub consent: &'static str,
    /// The same in the page's language.
    pub consent_words: String,
    /// A `mailto:` to the maintainers with the empty submission as its body.
    pub mailto: Option<String>,
    /// The empty submission, to copy into an e-mail (English headings: the format).
    pub email_text: String,
    /// add-group.js's messages in the page's language, as JSON (the form's
    /// `data-words`): [`SCRIPT_KEYS`] from the strings file.
    pub words: String,
}

/// The words add-group.js says (its messages, the error summary, the copy blocks), from
/// the `site:` map of the page's strings file.
pub const SCRIPT_KEYS: &[&str] = &[
    "add_consent",
    "add_continue",
    "add_e_area_area",
    "add_e_area_chars",
    "add_e_area_full",
    "add_e_area_no_area",
    "add_e_area_no_district",
    "add_e_area_no_sector",
    "add_e_area_not",
    "add_e_consent",
    "add_e_email",
    "add_e_mail_long",
    "add_e_phone_char",
    "add_e_phone_foreign",
    "add_e_phone_length",
    "add_e_phone_no_zero",
    "add_e_phone_premium",
    "add_e_prefix",
    "add_e_required",
    "add_e_title",
    "add_e_too_long",
    "add_e_web_backslash",
    "add_e_web_hidden",
    "add_e_web_no_host",
    "add_e_web_not_url",
    "add_e_web_scheme",
    "add_e_web_userinfo",
    "add_mail_tick",
    "add_too_long_text",
    "add_too_long_title",
    "list_sep",
];

/// The form of the "Add your group" page for `repository`, in `lang`. Only the words a
/// person reads change with the language: the field ids, the headings of the
/// submission text and the consent GitHub shows stay as `aidmap intake` reads them.
pub fn add_group_form(
    config: &crate::config::Config,
    repository: &str,
    lang: &crate::i18n::Lang,
) -> FormView {
    let empty = BTreeMap::new();
    let words: serde_json::Map<String, serde_json::Value> = SCRIPT_KEYS
        .iter()
        .map(|k| ((*k).to_string(), lang.text(k).into()))
        .collect();
    FormView {
        action: format!("{repository}/issues/new"),
        template: TEMPLATE,
        fields: FIELDS
            .iter()
            .filter(|f| !matches!(f.id, "request" | "slug" | "consent"))
            .map(|f| FieldView {
                id: f.id,
                heading: f.label,
                label: lang.text(&format!("add_f_{}", f.id)).to_string(),
                textarea: f.kind == form::Kind::Textarea,
                description: if f.description.is_empty() {
                    String::new()
                } else {
                    lang.text(&format!("add_h_{}", f.id)).to_string()
                },
                required: f.required,
                max: f.max,
            })
            .collect(),
        help: config
            .help
            .keys()
            .map(|k| (k.to_string(), lang.help_label(config, k).to_string()))
            .collect(),
        languages: crate::content::help::LANGUAGES
            .iter()
            .map(|(c, _, own, _)| (*c, lang.strings.language_name(c), *own))
            .collect(),
        consent: form::CONSENT_TEXT,
        consent_words: lang.text("add_consent").to_string(),
        mailto: config
            .maintainers
            .as_ref()
            .and_then(|m| m.email.as_deref())
            .map(|e| mailto(e, "New group listing", &empty)),
        email_text: body::render(&empty, false),
        words: serde_json::Value::Object(words).to_string(),
    }
}
