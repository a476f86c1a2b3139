//! One row of a list made a checked group record, or the reason it cannot be: where the
//! group is (areas, postcode, coordinates, place name), how to reach it (links sorted by
//! host), what it does, when it was last checked (never today), and the plainly true
//! words it gets when the list has none.

use std::path::Path;

use jiff::civil::Date;

use super::merge::Candidate;
use super::place::{self, LinkKind};
use super::row::Row;
use crate::config::Config;
use crate::content::group::{MAX_AREAS, MAX_NAME};
use crate::content::{areas, check, help, Group, Status};
use crate::intake::record::{Record, RecordContact};

/// A date as the source writes it: `2020-06-28`, `2020-06-28T10:00:00Z` or `28/06/2020`.
fn source_date(s: &str) -> Result<Date, String> {
    let s = s.trim();
    if let Ok(d) = check::date(s.get(..10).unwrap_or(s)) {
        return Ok(d);
    }
    let parts: Vec<&str> = s.split(['/', '.']).collect();
    if let [d, m, y] = parts.as_slice() {
        if let (Ok(d), Ok(m), Ok(y)) = (d.parse::<i8>(), m.parse::<i8>(), y.parse::<i16>()) {
            if let Ok(date) = Date::new(y, m, d) {
                return Ok(date);
            }
        }
    }
    Err(format!("`{s}` is not a date"))
}

/// One line of plain text: line breaks and runs of spaces become one space.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Turns one row into a checked record, or says why it cannot be imported.
pub fn resolve(
    row: &Row,
    config: &Config,
    checked: Option<Date>,
    schema_url: &str,
) -> Result<Candidate, String> {
    let mut notes = Vec::new();
    let name = one_line(row.name.as_deref().unwrap_or_default());
    if name.is_empty() {
        return Err("no name".into());
    }
    if name.chars().count() > MAX_NAME {
        return Err(format!(
            "the name is {} characters long; the most is {MAX_NAME}",
            name.chars().count()
        ));
    }

    // Where: areas as given, else the postcode, the coordinates, the place name.
    let mut area_list: Vec<String> = Vec::new();
    for a in &row.areas {
        match areas::check_entry(a) {
            Ok((code, _)) if !area_list.contains(&code) => area_list.push(code),
            Ok(_) => {}
            Err((msg, _)) => notes.push(format!("area left out: {msg}")),
        }
    }
    let mut tried = Vec::new();
    if area_list.is_empty() {
        if let Some(pc) = &row.postcode {
            match place::district_of_postcode(pc) {
                Ok(d) => area_list.push(d),
                Err(e) => tried.push(e),
            }
        }
    }
    if area_list.is_empty() {
        if let (Some(lat), Some(lon)) = (row.lat, row.lon) {
            match place::district_at(lat, lon) {
                Some(d) => area_list.push(d),
                None => tried.push(format!("{lat},{lon} is not in the UK")),
            }
        }
    }
    if area_list.is_empty() {
        if let Some(p) = &row.place {
            match place::district_of_place(p) {
                Ok(d) => area_list.push(d),
                Err(e) => tried.push(e),
            }
        }
    }
    if area_list.is_empty() {
        return Err(if tried.is_empty() {
            "no place: no areas, postcode, coordinates or place name".into()
        } else {
            format!("no place: {}", tried.join("; "))
        });
    }
    notes.extend(tried);
    area_list.truncate(MAX_AREAS);

    // How to reach the group.
    let mut contact = RecordContact::default();
    if let Some(p) = &row.phone {
        match check::uk_phone(p) {
            Ok(_) => contact.phone = Some(one_line(p)),
            Err(e) => notes.push(format!("phone left out: {e}")),
        }
    }
    if let Some(e) = &row.email {
        match check::email(e.trim()) {
            Ok(()) => contact.email = Some(e.trim().to_string()),
            Err(msg) => notes.push(format!("e-mail left out: {msg}")),
        }
    }
    let mut extra_links = Vec::new();
    for l in &row.links {
        match place::sort_link(l) {
            Ok((url, kind)) => {
                let slot = match kind {
                    LinkKind::Website => &mut contact.website,
                    LinkKind::Facebook => &mut contact.facebook,
                    LinkKind::Whatsapp => &mut contact.whatsapp,
                };
                match slot {
                    None => *slot = Some(url),
                    Some(s) if place::link_key(s) == place::link_key(&url) => {}
                    Some(_) => extra_links.push(url),
                }
            }
            Err(e) => notes.push(format!("link left out: {e}")),
        }
    }
    if contact.phone.is_none()
        && contact.email.is_none()
        && contact.website.is_none()
        && contact.facebook.is_none()
        && contact.whatsapp.is_none()
    {
        return Err("no way to reach the group: no phone, e-mail or link".into());
    }
    if let Some(h) = &row.hours {
        let h = one_line(h);
        match check::plain_text(&h, 120) {
            Ok(()) => contact.hours = Some(h),
            Err(e) => notes.push(format!("hours left out: {e}")),
        }
    }

    // What they do, in what languages, whether they run.
    let mut help_keys = Vec::new();
    for h in &row.help {
        let key = config
            .help
            .entries()
            .iter()
            .find(|(k, l)| k.eq_ignore_ascii_case(h) || l.eq_ignore_ascii_case(h))
            .map(|(k, _)| k.clone());
        match key {
            Some(k) if !help_keys.contains(&k) => help_keys.push(k),
            Some(_) => {}
            None => notes.push(format!(
                "kind of help `{h}` left out: not one this directory lists"
            )),
        }
    }
    let mut languages = Vec::new();
    for l in &row.languages {
        let code = help::LANGUAGES
            .iter()
            .find(|(c, en, own, _)| {
                c.eq_ignore_ascii_case(l)
                    || en.eq_ignore_ascii_case(l)
                    || own.to_lowercase() == l.to_lowercase()
            })
            .map(|(c, ..)| c.to_string());
        match code {
            Some(c) if !languages.contains(&c) => languages.push(c),
            Some(_) => {}
            None => notes.push(format!("language `{l}` left out: not a known language")),
        }
    }
    let status = match row.status.as_deref().map(|s| s.trim().to_lowercase()) {
        None => Status::Active,
        Some(s) => match s.as_str() {
            "active" | "running" | "open" => Status::Active,
            "paused" | "temporarily closed" => Status::Paused,
            "closed" | "stopped" | "defunct" => Status::Closed,
            _ => return Err(format!("status `{s}` is not active, paused or closed")),
        },
    };

    // When: an import is not a check.
    let last_checked = match (&row.last_checked, checked) {
        (Some(d), _) => source_date(d).map_err(|e| format!("last checked: {e}"))?,
        (None, Some(d)) => d,
        (None, None) => return Err(
            "no date it was last checked: give --checked DATE, the day the list was last confirmed"
                .into(),
        ),
    };
    if last_checked > check::today() {
        return Err(format!("last checked {last_checked} is in the future"));
    }
    let added = match row.added.as_deref().map(source_date) {
        None => None,
        Some(Ok(d)) if d <= check::today() => Some(d.to_string()),
        Some(_) => {
            notes.push("added left out: not a date in the past".into());
            None
        }
    };

    // Words: the source's, or a plainly true default.
    let mut description = row.description.clone().filter(|d| !d.trim().is_empty());
    let summary = match row.summary.as_deref().map(one_line) {
        Some(s) if !s.is_empty() && s.chars().count() <= 200 => s,
        other => {
            if let Some(long) = other.filter(|s| !s.is_empty()) {
                description.get_or_insert(long);
            }
            format!("Mutual aid group in {}.", place_words(row, &area_list[0]))
        }
    };
    if !extra_links.is_empty() {
        let links: Vec<String> = extra_links.iter().map(|l| format!("<{l}>")).collect();
        let line = format!("Also at {}", links.join(", "));
        description = Some(match description {
            Some(d) => format!("{}\n\n{line}", d.trim_end()),
            None => line,
        });
    }

    let record = Record {
        name,
        summary,
        areas: area_list,
        help: help_keys,
        contact,
        languages,
        status,
        last_checked: last_checked.to_string(),
        added,
        description,
        // Not in any list format aidmap reads: a successor is named by hand.
        succeeded_by: None,
        // Not in any list format aidmap reads; an update keeps the listing's own.
        translations: Default::default(),
    };
    let (group, problems) = Group::parse(
        Path::new("import"),
        "import",
        &record.to_yaml(schema_url),
        config,
    );
    let Some(group) = group else {
        let first = problems
            .iter()
            .find(|d| d.is_error())
            .map_or_else(|| "it does not check".to_string(), |d| d.message.clone());
        return Err(first);
    };
    let slug = row.slug.clone().filter(|s| check::slug(s).is_ok());
    Ok(Candidate {
        at: row.at.clone(),
        record,
        group,
        slug,
        notes,
    })
}

/// The place a default summary names: the source's place name when it is one (its first
/// part, "Ripon" of "Ripon, North Yorkshire"), else the district's main place.
fn place_words(row: &Row, district: &str) -> String {
    let from_source = row
        .place
        .as_deref()
        .and_then(|p| p.split(',').next())
        .map(one_line)
        .filter(|p| {
            !p.is_empty()
                && p.chars().count() <= 60
                && !p.chars().any(|c| c.is_ascii_digit())
                && !matches!(
                    p.to_lowercase().as_str(),
                    "uk" | "united kingdom" | "gb" | "england" | "scotland" | "wales"
                )
                && place::district_of_place(p).is_ok()
        });
    let code = district.split(' ').next().unwrap_or(district);
    from_source.unwrap_or_else(|| {
        crate::geo::geography()
            .district(code)
            .map(|d| d.name.clone())
            .filter(|n| !n.is_empty())
            .map_or_else(|| code.to_string(), |n| format!("{n} ({code})"))
    })
}
