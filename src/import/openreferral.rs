//! Open Referral UK, as `export::openreferral` writes it (`data/openreferral/services.json`):
//! a page of full services under `contents`, read back into the fields it carries.
//!
//! The export's service description is the summary followed by " Help offered: A, B."
//! (the labels of the kinds of help); that sentence is taken off again and its labels
//! turned back into help keys. Its `url` is the group's own site, or its page on the
//! old directory (`…/groups/<slug>/`), which gives back the listing address.

use serde_json::Value;

use super::row::{Field, Row};

/// The rows of an Open Referral page's `contents`.
pub fn rows(contents: &[Value]) -> Vec<Row> {
    contents
        .iter()
        .enumerate()
        .map(|(i, s)| service(i, s))
        .collect()
}

fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn list<'a>(v: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    v.get(key).and_then(Value::as_array).into_iter().flatten()
}

fn service(i: usize, s: &Value) -> Row {
    let mut row = Row {
        at: format!("service {}", i + 1),
        ..Row::default()
    };
    row.set(Field::Name, text(s, "name").unwrap_or_default());
    let description = text(s, "description").unwrap_or_default();
    match description.rsplit_once(" Help offered: ") {
        Some((summary, help)) => {
            row.set(Field::Summary, summary);
            row.help
                .extend(help.trim_end_matches('.').split(", ").map(String::from));
        }
        None => row.set(Field::Summary, description),
    }
    for url in [
        text(s, "url"),
        s.get("organization").and_then(|o| text(o, "website")),
    ]
    .into_iter()
    .flatten()
    {
        let page = url
            .trim_end_matches('/')
            .rsplit_once("/groups/")
            .filter(|(_, slug)| !slug.contains('/'));
        match page {
            Some((_, slug)) => row.set(Field::Slug, slug),
            None if !row.links.iter().any(|l| l == url) => row.set(Field::Link, url),
            None => {}
        }
    }
    row.set(Field::Email, text(s, "email").unwrap_or_default());
    for c in list(s, "contacts") {
        row.set(Field::Email, text(c, "email").unwrap_or_default());
    }
    let status = match text(s, "status") {
        Some("temporarily closed") => "paused",
        Some("defunct") => "closed",
        Some(_) | None => "active",
    };
    row.set(Field::Status, status);
    row.set(
        Field::LastChecked,
        text(s, "assured_date").unwrap_or_default(),
    );
    for a in list(s, "service_areas") {
        row.set(Field::Areas, text(a, "extent").unwrap_or_default());
    }
    for p in list(s, "phones") {
        row.set(Field::Phone, text(p, "number").unwrap_or_default());
        row.set(Field::Hours, text(p, "description").unwrap_or_default());
    }
    for sc in list(s, "schedules") {
        row.set(Field::Hours, text(sc, "description").unwrap_or_default());
    }
    for l in list(s, "languages") {
        row.set(Field::Languages, text(l, "code").unwrap_or_default());
    }
    row
}
