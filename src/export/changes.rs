//! `data/changes.xml`: an Atom feed (RFC 4287) of new, checked, paused and closed groups,
//! newest first, so a food bank or a council can follow the directory.
//!
//! The content keeps no history. For each group it has the current `status`, the date
//! someone last confirmed it (`last_checked`) and, for groups listed since the field was
//! added, the date it was first listed (`added`). So the feed has one entry per group,
//! describing its latest event (`Change`):
//! - **Closed**: the group's status is `closed`. Dated `last_checked`, the check that found
//!   it had stopped.
//! - **New**: the group's `added` date is on or after its `last_checked`, so nobody has
//!   checked it again since it was listed. Dated `added`.
//! - **Paused**: the status is `paused`. Dated `last_checked`.
//! - **Checked**: a volunteer confirmed the group's details on `last_checked`. The content
//!   cannot say which details changed, so the entry does not claim any did. It gives the
//!   details as they stand now.
//!
//! An entry's id is made from the group's page, the kind of change and the date. A new
//! check, a pause or a closure therefore shows as a new entry in a feed reader, and the
//! group's previous entry goes away. Entries for groups with `added` carry it as
//! `<published>`.
//!
//! The feed holds the newest [`FEED_ENTRIES`] entries, not every group: a feed reader
//! polls it for what is new, and one entry per group made it grow with the directory
//! (about 30 MB at 50,000 groups, fetched whole on every poll). Every group, with its
//! dates, is in `groups.json`.

use jiff::civil::Date;

use super::{group_url, xml_escape};
use crate::config::Config;
use crate::content::{Content, Group, Status};

/// How many entries the feed keeps, newest first. 500 is weeks of changes for a national
/// directory (the 2020 UK list had about 4,300 groups; checking each every few months is
/// 50 or so entries a day), so a reader polling daily or weekly misses none, and it keeps
/// the file near 300 KB at any size.
pub const FEED_ENTRIES: usize = 500;

/// What a group's one entry in the feed reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// First listed, and not checked again since.
    New,
    /// Confirmed on `last_checked`, still running.
    Checked,
    /// Running but not taking requests.
    Paused,
    /// No longer running.
    Closed,
}

impl Change {
    /// The latest thing the content says about `g`.
    pub fn of(g: &Group) -> Change {
        match g.status {
            Status::Closed => Change::Closed,
            _ if g.added.is_some_and(|a| a >= g.last_checked) => Change::New,
            Status::Paused => Change::Paused,
            Status::Active => Change::Checked,
        }
    }

    /// The entry title's prefix: "New", "Checked", "Paused" or "Closed".
    pub fn title_prefix(self) -> &'static str {
        match self {
            Change::New => "New",
            Change::Checked => "Checked",
            Change::Paused => "Paused",
            Change::Closed => "Closed",
        }
    }

    /// The word in the entry's id and category: `new`, `active`, `paused` or `closed`.
    pub fn term(self) -> &'static str {
        match self {
            Change::New => "new",
            Change::Checked => "active",
            Change::Paused => "paused",
            Change::Closed => "closed",
        }
    }
}

/// The date of a group's entry: its latest known date.
pub fn entry_date(g: &Group) -> Date {
    match g.added {
        Some(a) if a > g.last_checked => a,
        _ => g.last_checked,
    }
}

/// The entry's first sentence: what happened and when.
fn what(g: &Group, change: Change) -> String {
    let checked = g.last_checked;
    match change {
        Change::New => {
            let added = entry_date(g);
            let mut s = format!("Listed in the directory on {added}");
            if checked < added {
                s.push_str(&format!(" (last confirmed running on {checked})"));
            }
            s.push('.');
            if g.status == Status::Paused {
                s.push_str(" Running but not taking requests for now.");
            }
            s
        }
        Change::Checked => format!("Still running, details confirmed on {checked}."),
        Change::Paused => format!("Running but not taking requests for now (checked {checked})."),
        Change::Closed => format!("No longer running (checked {checked})."),
    }
}

/// The feed: the newest [`FEED_ENTRIES`] groups' entries, ordered by entry date
/// descending then name.
pub fn atom(config: &Config, content: &Content, files: &super::DataFiles) -> String {
    let mut groups: Vec<_> = content.groups.iter().collect();
    groups.sort_by(|a, b| {
        entry_date(b)
            .cmp(&entry_date(a))
            .then_with(|| a.name.cmp(&b.name))
    });
    let base = xml_escape(&config.base_url);
    let updated = groups
        .first()
        .map(|g| entry_date(g))
        .unwrap_or_else(crate::content::check::today);
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
<feed xmlns=\"http://www.w3.org/2005/Atom\">\n\
<title>{title}: group changes</title>\n\
<subtitle>Groups newly listed, checked, paused or closed, newest first (the newest {max}; \
every group is in {base}data/{all}).</subtitle>\n\
<link href=\"{base}groups/\"/>\n\
<link rel=\"self\" href=\"{base}data/changes.xml\"/>\n\
<id>{base}data/changes.xml</id>\n\
<updated>{updated}T00:00:00Z</updated>\n\
<author><name>{title}</name></author>\n\
<rights>{rights}</rights>\n",
        title = xml_escape(&config.title),
        all = files.groups_json,
        rights = xml_escape(&config.licence),
        max = FEED_ENTRIES,
    );
    for g in groups.into_iter().take(FEED_ENTRIES) {
        let change = Change::of(g);
        let url = xml_escape(&group_url(config, &g.slug));
        let date = entry_date(g);
        let published = g
            .added
            .map(|a| format!("<published>{a}T00:00:00Z</published>\n"))
            .unwrap_or_default();
        let mut what = what(g, change);
        if change != Change::New {
            if let Some(a) = g.added {
                what.push_str(&format!(" Listed since {a}."));
            }
        }
        out.push_str(&format!(
            "<entry>\n<title>{prefix}: {name}</title>\n<link href=\"{url}\"/>\n\
<id>{url}#{term}-{date}</id>\n<updated>{date}T00:00:00Z</updated>\n{published}\
<category term=\"{term}\"/>\n<summary>{what} {summary}</summary>\n</entry>\n",
            prefix = change.title_prefix(),
            name = xml_escape(&g.name),
            term = change.term(),
            what = xml_escape(&what),
            summary = xml_escape(&g.summary),
        ));
    }
    out.push_str("</feed>\n");
    out
}
