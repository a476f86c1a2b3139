//! A group record, `content/groups/<slug>.yaml`: what it may say and how it is checked.
//!
//! `RawGroup` mirrors the file (unknown fields rejected); `Group` is the checked record the
//! rest of aidmap trusts: a valid slug, normalised postcode areas, known help keys, a
//! phone number we can dial, links that can only be web links, sanitised description.

use std::collections::BTreeMap;
use std::path::Path;

use jiff::civil::Date;
use serde::Deserialize;

use crate::config::Config;
use crate::content::areas;
use crate::content::translation::{self, GroupText, RawGroupText};
use crate::content::{check, markdown, yaml_guard};
use crate::diagnostics::{did_you_mean, locate, Diagnostic};

/// The most areas one group may list: a national network lists areas, not districts.
pub const MAX_AREAS: usize = 300;

/// The longest name, in characters. Real names are long: the longest of the 4,199 in
/// the 2020 UK list is 136 ("The Anti-Isolation Army (for Harpenden and the surrounding
/// area; ...)"), and a list card wraps a name of this length onto three lines at most.
pub const MAX_NAME: usize = 150;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    name: String,
    summary: String,
    areas: Vec<String>,
    #[serde(default)]
    help: Vec<String>,
    contact: RawContact,
    #[serde(default)]
    languages: Vec<String>,
    #[serde(default)]
    status: Status,
    last_checked: String,
    #[serde(default)]
    added: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    succeeded_by: Option<String>,
    #[serde(default)]
    translations: BTreeMap<String, Option<RawGroupText>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContact {
    phone: Option<String>,
    email: Option<String>,
    website: Option<String>,
    whatsapp: Option<String>,
    facebook: Option<String>,
    hours: Option<String>,
}

/// Whether a group is running.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Taking requests.
    #[default]
    Active,
    /// Running but not taking requests for now.
    Paused,
    /// Stopped; kept so people who look it up learn that.
    Closed,
}

/// How to reach a group, checked.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Contact {
    /// Phone number as the group writes it.
    pub phone: Option<String>,
    /// The same number for a `tel:` link, in +44 form.
    pub phone_tel: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Web site (http or https only).
    pub website: Option<String>,
    /// WhatsApp invite link.
    pub whatsapp: Option<String>,
    /// Facebook page or group.
    pub facebook: Option<String>,
    /// When someone answers.
    pub hours: Option<String>,
}

/// A checked group record.
#[derive(Debug, Clone)]
pub struct Group {
    /// The file stem, used in the group's page address.
    pub slug: String,
    /// The group's name.
    pub name: String,
    /// One line saying who they are and what they do.
    pub summary: String,
    /// Postcode districts ("NR2") and sectors ("NR3 1") covered, normalised, in file order.
    pub areas: Vec<String>,
    /// Help keys, in the vocabulary's order.
    pub help: Vec<String>,
    /// Contact routes.
    pub contact: Contact,
    /// ISO 639-1 language codes.
    pub languages: Vec<String>,
    /// Running, paused or closed.
    pub status: Status,
    /// When someone last confirmed the group runs.
    pub last_checked: Date,
    /// When the group was first listed, if the record says.
    pub added: Option<Date>,
    /// Not confirmed for more than site.yaml's `hide_after_days`: left out of search
    /// answers, district pages and nearest lists; its page says it may have stopped.
    pub hidden: bool,
    /// Description as sanitised HTML.
    pub description_html: String,
    /// The description's Markdown as written (trimmed), for "Update this listing", which
    /// sends the record back to the group to edit.
    pub description: Option<String>,
    /// The place that tells this group from another of the same name far away
    /// ("Ripon"), set by `Content::load` (see `content::namesakes`); `None` for a name
    /// no other group has.
    pub place: Option<String>,
    /// For a closed group, the slug of the group that took over its work, and where the
    /// file names it (line, column), so content loading can say if no such group exists.
    pub succeeded_by: Option<(String, (usize, usize))>,
    /// The summary, description and hours in other languages, by language code
    /// (`translations:`), each checked as the English is; see `content::translation`.
    pub translations: BTreeMap<String, GroupText>,
}

impl Group {
    /// The name as lists show it: with the place beside it when another group far away
    /// has the same name ("Helping Hands (Ripon)").
    pub fn display_name(&self) -> String {
        match &self.place {
            Some(p) => format!("{} ({p})", self.name),
            None => self.name.clone(),
        }
    }

    /// The postcode districts this group covers, whole or in part (sectors map to their district).
    pub fn districts(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .areas
            .iter()
            .map(|a| a.split(' ').next().unwrap_or(a).to_string())
            .collect();
        let mut seen = std::collections::HashSet::new();
        out.retain(|d| seen.insert(d.clone()));
        out
    }

    /// The postcode areas (letters only) this group touches.
    pub fn postcode_areas(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .areas
            .iter()
            .map(|a| areas::area_of(a).to_string())
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Parses and checks one group file's text. Returns the group when it is usable, plus
    /// every problem found (a group with only warnings is returned).
    pub fn parse(
        path: &Path,
        slug: &str,
        source: &str,
        config: &Config,
    ) -> (Option<Group>, Vec<Diagnostic>) {
        let mut problems = Vec::new();
        if let Err(msg) = check::slug(slug) {
            problems.push(
                Diagnostic::error(path, (0, 0), msg)
                    .with_hint("rename the file, for example nr2-covid-community-response.yaml"),
            );
        }
        if let Err(d) = yaml_guard::guard(path, source, 0) {
            problems.push(d);
            return (None, problems);
        }
        let mut raw: RawGroup = match crate::diagnostics::from_yaml_all(path, source, 0) {
            Ok(raw) => raw,
            Err(ds) => {
                problems.extend(ds);
                return (None, problems);
            }
        };
        let at = |keys: &[&str], item: Option<&str>| locate(source, keys, item);
        let mut err = |keys: &[&str], item: Option<&str>, msg: String, hint: Option<&str>| {
            let mut d = Diagnostic::error(path, at(keys, item), msg);
            if let Some(h) = hint {
                d = d.with_hint(h);
            }
            problems.push(d);
        };

        for (key, value, max, hint) in [
            ("name", &raw.name, MAX_NAME, "shorten the name to what people call the group; put the rest in `summary` or `description`"),
            ("summary", &raw.summary, 200, "move longer text into `description`"),
        ] {
            if let Err(msg) = check::plain_text(value, max) {
                let hint = (value.chars().count() > max).then_some(hint);
                err(&[key], None, format!("{key}: {msg}"), hint);
            }
        }
        if raw.summary.contains('\n') {
            err(
                &["summary"],
                None,
                "summary must be one line".into(),
                Some("move longer text into `description`"),
            );
        }

        // Areas: districts or sectors that exist.
        let mut areas = Vec::new();
        if raw.areas.is_empty() {
            err(
                &["areas"],
                None,
                "areas is empty: list at least one postcode district or sector".into(),
                Some("for example `areas: [NR2, \"NR3 1\"]`"),
            );
        }
        if raw.areas.len() > MAX_AREAS {
            err(&["areas"], None,
                format!("{} areas is more than the {MAX_AREAS} one group may list", raw.areas.len()),
                Some("a group this large should list postcode districts, not sectors, or be split into local groups"));
        }
        // Past the limit, checking each entry would only bury the one message that matters.
        let to_check = if raw.areas.len() > MAX_AREAS {
            &raw.areas[..0]
        } else {
            &raw.areas[..]
        };
        for a in to_check {
            match areas::check_entry(a) {
                Ok((code, warning)) => {
                    if let Some(w) = warning {
                        problems.push(Diagnostic::warning(path, at(&["areas"], Some(a.trim())), w));
                    }
                    if areas.contains(&code) {
                        problems.push(Diagnostic::warning(
                            path,
                            at(&["areas"], Some(a.trim())),
                            format!("{code} is listed twice"),
                        ));
                    } else {
                        areas.push(code);
                    }
                }
                Err((msg, hint)) => {
                    let mut d = Diagnostic::error(path, at(&["areas"], Some(a.trim())), msg);
                    if let Some(h) = hint {
                        d = d.with_hint(h);
                    }
                    problems.push(d);
                }
            }
        }

        // Help keys from the vocabulary.
        let mut help = Vec::new();
        for h in &raw.help {
            if config.help.label(h).is_some() {
                if !help.contains(h) {
                    help.push(h.clone());
                }
            } else {
                let hint = match did_you_mean(h, config.help.keys()) {
                    Some(best) => format!("did you mean `{best}`? A site can add its own kinds under `help:` in site.yaml"),
                    None => format!("known kinds: {}", config.help.keys().collect::<Vec<_>>().join(", ")),
                };
                problems.push(
                    Diagnostic::error(
                        path,
                        at(&["help"], Some(h)),
                        format!("unknown kind of help `{h}`"),
                    )
                    .with_hint(hint),
                );
            }
        }
        help.sort_by_key(|k| config.help.position(k));

        // Contact routes.
        let c = raw.contact;
        let mut contact = Contact::default();
        if c.phone.is_none()
            && c.email.is_none()
            && c.website.is_none()
            && c.whatsapp.is_none()
            && c.facebook.is_none()
        {
            let mut d = Diagnostic::error(
                path,
                at(&["contact"], None),
                "contact has no way to reach the group".to_string(),
            );
            d = d
                .with_hint("add at least a phone number: many people who need help are not online");
            problems.push(d);
        }
        if let Some(phone) = c.phone {
            match check::uk_phone(&phone) {
                Ok(tel) => {
                    contact.phone_tel = Some(tel);
                    contact.phone = Some(phone.trim().to_string());
                }
                Err(msg) => problems.push(
                    Diagnostic::error(path, at(&["contact", "phone"], None), msg).with_hint(
                        "write a UK number with its area code, in quotes, like \"01632 960123\"",
                    ),
                ),
            }
        }
        if let Some(email) = c.email {
            match check::email(email.trim()) {
                Ok(()) => contact.email = Some(email.trim().to_string()),
                Err(msg) => problems.push(Diagnostic::error(
                    path,
                    at(&["contact", "email"], None),
                    msg,
                )),
            }
        }
        for (key, value, slot, hosts) in [
            ("website", c.website, &mut contact.website, None),
            (
                "whatsapp",
                c.whatsapp,
                &mut contact.whatsapp,
                Some(("WhatsApp", check::WHATSAPP_HOSTS)),
            ),
            (
                "facebook",
                c.facebook,
                &mut contact.facebook,
                Some(("Facebook", check::FACEBOOK_HOSTS)),
            ),
        ] {
            if let Some(v) = value {
                let checked = match hosts {
                    Some((service, hosts)) => check::service_url(&v, service, hosts),
                    None => check::web_url(&v),
                };
                match checked {
                    Ok(url) => *slot = Some(url),
                    Err(msg) => {
                        problems.push(Diagnostic::error(path, at(&["contact", key], None), msg))
                    }
                }
            }
        }
        if let Some(hours) = c.hours {
            match check::plain_text(&hours, 120) {
                Ok(()) => contact.hours = Some(hours.trim().to_string()),
                Err(msg) => problems.push(Diagnostic::error(
                    path,
                    at(&["contact", "hours"], None),
                    format!("hours: {msg}"),
                )),
            }
        }

        // Languages.
        let mut languages = Vec::new();
        for l in &raw.languages {
            let code = l.trim().to_lowercase();
            if crate::content::help::language(&code).is_some() {
                if !languages.contains(&code) {
                    languages.push(code);
                }
            } else {
                let known = crate::content::help::LANGUAGES.iter().map(|(c, ..)| *c);
                let hint = match did_you_mean(&code, known) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => {
                        "use a two-letter ISO 639-1 code such as en, cy, so, pl, ur".to_string()
                    }
                };
                problems.push(
                    Diagnostic::error(
                        path,
                        at(&["languages"], Some(l.trim())),
                        format!("unknown language code `{l}`"),
                    )
                    .with_hint(hint),
                );
            }
        }
        if languages.is_empty() {
            languages.push("en".into());
        }

        // Dates.
        let today = check::today();
        let last_checked = match check::date(&raw.last_checked) {
            Ok(d) => {
                if d > today {
                    problems.push(
                        Diagnostic::error(
                            path,
                            at(&["last_checked"], None),
                            format!("last_checked {d} is in the future"),
                        )
                        .with_hint("write the date someone last confirmed the group is running"),
                    );
                } else if check::days_between(d, today) > i64::from(config.stale_after_days) {
                    let hidden = match config.hide_after_days {
                        Some(n) if check::days_between(d, today) > i64::from(n) => format!(
                            "; more than hide_after_days ({n}), so search answers and district pages leave it out"
                        ),
                        _ => String::new(),
                    };
                    problems.push(
                        Diagnostic::warning(
                            path,
                            at(&["last_checked"], None),
                            format!(
                                "last checked on {d}, more than {} days ago{hidden}",
                                config.stale_after_days
                            ),
                        )
                        .with_hint("call the group, then set last_checked to today's date"),
                    );
                }
                d
            }
            Err(msg) => {
                problems.push(Diagnostic::error(path, at(&["last_checked"], None), msg));
                today
            }
        };

        // `added`: the day the group was first listed. Someone confirmed the group when
        // listing it, so a later `last_checked` is normal and an earlier one is suspect.
        let added = match raw.added.as_deref().map(check::date) {
            None => None,
            Some(Ok(d)) if d > today => {
                problems.push(
                    Diagnostic::error(
                        path,
                        at(&["added"], None),
                        format!("added {d} is in the future"),
                    )
                    .with_hint("write the date the group was first listed in the directory"),
                );
                None
            }
            Some(Ok(d)) => {
                if d > last_checked && check::date(&raw.last_checked).is_ok() {
                    problems.push(
                        Diagnostic::warning(
                            path,
                            at(&["added"], None),
                            format!("added {d} is after last_checked {last_checked}"),
                        )
                        .with_hint(
                            "check both dates: someone confirms a group when it is listed, so last_checked is normally on or after added",
                        ),
                    );
                }
                Some(d)
            }
            Some(Err(msg)) => {
                problems.push(Diagnostic::error(path, at(&["added"], None), msg));
                None
            }
        };

        let description_html = match raw
            .description
            .as_deref()
            .map(|d| markdown::render_with_top(d, 3))
        {
            None => String::new(),
            Some(Ok(html)) => html,
            Some(Err(too_deep)) => {
                let text = raw.description.as_deref().unwrap_or_default();
                let at =
                    description_position(source, at(&["description"], None), text, too_deep.offset);
                problems.push(
                    Diagnostic::error(path, at, format!("description: {}", too_deep.message()))
                        .with_hint(markdown::TooDeep::HINT),
                );
                String::new()
            }
        };

        let english = translation::English {
            has_description: raw
                .description
                .as_deref()
                .is_some_and(|d| !d.trim().is_empty()),
            has_hours: contact.hours.is_some(),
        };
        let translations = translation::group_texts(
            path,
            source,
            std::mem::take(&mut raw.translations),
            &english,
            config,
            &mut problems,
        );

        let succeeded_by = raw.succeeded_by.as_deref().map(str::trim).and_then(|s| {
            let at = at(&["succeeded_by"], None);
            let problem = if check::slug(s).is_err() {
                Some("succeeded_by must be the successor's file name without .yaml")
            } else if s == slug {
                Some("succeeded_by names this group itself")
            } else if raw.status != Status::Closed {
                Some("succeeded_by is only for a closed group")
            } else {
                None
            };
            match problem {
                Some(msg) => {
                    problems.push(Diagnostic::error(path, at, format!("{msg}: `{s}`")).with_hint(
                        "name the group that took over, for example `succeeded_by: nr2-helpers`, and set `status: closed`",
                    ));
                    None
                }
                None => Some((s.to_string(), at)),
            }
        });

        if problems.iter().any(|d| d.is_error()) {
            return (None, problems);
        }
        let group = Group {
            slug: slug.to_string(),
            name: raw.name.trim().to_string(),
            summary: raw.summary.trim().to_string(),
            areas,
            help,
            contact,
            languages,
            status: raw.status,
            last_checked,
            added,
            hidden: config
                .hide_after_days
                .is_some_and(|n| check::days_between(last_checked, today) > i64::from(n)),
            description_html,
            description: raw
                .description
                .as_deref()
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(String::from),
            place: None,
            succeeded_by,
            translations,
        };
        (Some(group), problems)
    }
}

/// The file position of byte `offset` of the description, whose key is at `key`: exact
/// for a literal block (`description: |`), whose lines are the file's lines less their
/// indentation; otherwise the key's own position.
pub(super) fn description_position(
    source: &str,
    key: (usize, usize),
    text: &str,
    offset: usize,
) -> (usize, usize) {
    let mut lines = source.lines().skip(key.0 - 1);
    let is_literal = lines
        .next()
        .and_then(|l| l.split_once(':'))
        .is_some_and(|(_, v)| v.trim_start().starts_with('|'));
    if !is_literal {
        return key;
    }
    let (line, column) = markdown::line_column(text, offset);
    let indent = lines
        .find(|l| !l.trim().is_empty())
        .map_or(0, |l| l.len() - l.trim_start_matches(' ').len());
    (key.0 + line, column + indent)
}
