//! `data/changes.xml`: an Atom feed (RFC 4287) of what volunteers last confirmed about
//! each group, newest first, so a food bank or a council can follow the directory.
//!
//! The content holds no history, only each group's current `status` and `last_checked`,
//! so the feed has one entry per group: "Checked: X", "Paused: X" or "Closed: X", dated
//! by `last_checked`. Its id includes the status and the date, so a new check or a
//! closure shows as a new entry in a feed reader.

use super::{group_url, xml_escape};
use crate::config::Config;
use crate::content::{Content, Status};

/// The entry title's prefix for a status.
pub fn title_prefix(s: Status) -> &'static str {
    match s {
        Status::Active => "Checked",
        Status::Paused => "Paused",
        Status::Closed => "Closed",
    }
}

/// The feed, one entry per group, ordered by `last_checked` descending then name.
pub fn atom(config: &Config, content: &Content) -> String {
    let mut groups: Vec<_> = content.groups.iter().collect();
    groups.sort_by(|a, b| {
        b.last_checked
            .cmp(&a.last_checked)
            .then_with(|| a.name.cmp(&b.name))
    });
    let base = xml_escape(&config.base_url);
    let updated = groups
        .first()
        .map(|g| g.last_checked)
        .unwrap_or_else(crate::content::check::today);
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
<feed xmlns=\"http://www.w3.org/2005/Atom\">\n\
<title>{title}: group changes</title>\n\
<subtitle>Groups checked, paused or closed, newest first.</subtitle>\n\
<link href=\"{base}groups/\"/>\n\
<link rel=\"self\" href=\"{base}data/changes.xml\"/>\n\
<id>{base}data/changes.xml</id>\n\
<updated>{updated}T00:00:00Z</updated>\n\
<author><name>{title}</name></author>\n\
<rights>{rights}</rights>\n",
        title = xml_escape(&config.title),
        rights = xml_escape(&config.licence),
    );
    for g in groups {
        let url = xml_escape(&group_url(config, &g.slug));
        let what = match g.status {
            Status::Active => format!("Still running, confirmed on {}.", g.last_checked),
            Status::Paused => format!(
                "Running but not taking requests for now (checked {}).",
                g.last_checked
            ),
            Status::Closed => format!("No longer running (checked {}).", g.last_checked),
        };
        out.push_str(&format!(
            "<entry>\n<title>{prefix}: {name}</title>\n<link href=\"{url}\"/>\n\
<id>{url}#{status}-{date}</id>\n<updated>{date}T00:00:00Z</updated>\n\
<category term=\"{status}\"/>\n<summary>{what} {summary}</summary>\n</entry>\n",
            prefix = title_prefix(g.status),
            name = xml_escape(&g.name),
            status = super::status_word(g.status),
            date = g.last_checked,
            what = xml_escape(&what),
            summary = xml_escape(&g.summary),
        ));
    }
    out.push_str("</feed>\n");
    out
}
