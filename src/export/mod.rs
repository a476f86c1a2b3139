//! Open data: the directory in formats other organisations already use, under `data/`.
//!
//! Every build writes, from the same checked content as the pages:
//! - `data/groups.json`, `data/groups.csv` and `data/README.txt` (`groups.rs`): every
//!   public field of every group, with the licence and attribution;
//! - `data/openreferral/services.json` (`openreferral.rs`): an Open Referral UK (HSDS 3.0
//!   UK profile) dataset, checked against `schema/openreferral-uk-subset.schema.json`;
//! - `data/coverage.geojson` (`geojson.rs`): each group's coverage as polygons;
//! - `data/changes.xml` (`changes.rs`): an Atom feed of new, checked, paused and closed
//!   groups.
//!
//! A *record* here is one group as the exports publish it (`GroupRecord`): only fields a
//! group chose to make public, and nothing the pages do not already show.

pub mod changes;
pub mod geojson;
pub mod groups;
pub mod openreferral;

use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::content::{Content, Group, Status};
use crate::output::{Sink, WriteFn};

/// Attribution for the postcode geography the exports are derived from.
pub const GEO_ATTRIBUTION: &str = "Contains OS data © Crown copyright and database right 2024. \
Contains Royal Mail data © Royal Mail copyright and database right 2024. Source: Office for \
National Statistics licensed under the Open Government Licence v.3.0. Postcode place data © \
GeoNames, CC BY 4.0.";

/// The Open Government Licence the GB postcode polygons come under.
pub const OGL_URL: &str =
    "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/";

/// One group as the exports publish it: every public field, flat enough for a spreadsheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupRecord {
    /// File stem; also the last part of the page address.
    pub slug: String,
    /// The group's name.
    pub name: String,
    /// One-line summary.
    pub summary: String,
    /// The group's page on this site (absolute when `base_url` is).
    pub url: String,
    /// `active`, `paused` or `closed`.
    pub status: String,
    /// When someone last confirmed the group runs (YYYY-MM-DD).
    pub last_checked: String,
    /// When the group was first listed (YYYY-MM-DD), if the record says.
    pub added: Option<String>,
    /// Postcode districts and sectors covered.
    pub areas: Vec<String>,
    /// Help keys.
    pub help: Vec<String>,
    /// ISO 639-1 language codes.
    pub languages: Vec<String>,
    /// Phone number as the group writes it.
    pub phone: Option<String>,
    /// The same number in +44 form.
    pub phone_tel: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Web site.
    pub website: Option<String>,
    /// WhatsApp invite link.
    pub whatsapp: Option<String>,
    /// Facebook page or group.
    pub facebook: Option<String>,
    /// When someone answers.
    pub hours: Option<String>,
    /// Description as sanitised HTML (empty when there is none).
    pub description_html: String,
}

impl GroupRecord {
    /// The record of one checked group.
    pub fn new(g: &Group, config: &Config) -> Self {
        GroupRecord {
            slug: g.slug.clone(),
            name: g.name.clone(),
            summary: g.summary.clone(),
            url: group_url(config, &g.slug),
            status: status_word(g.status).to_string(),
            last_checked: g.last_checked.to_string(),
            added: g.added.map(|d| d.to_string()),
            areas: g.areas.clone(),
            help: g.help.clone(),
            languages: g.languages.clone(),
            phone: g.contact.phone.clone(),
            phone_tel: g.contact.phone_tel.clone(),
            email: g.contact.email.clone(),
            website: g.contact.website.clone(),
            whatsapp: g.contact.whatsapp.clone(),
            facebook: g.contact.facebook.clone(),
            hours: g.contact.hours.clone(),
            description_html: g.description_html.clone(),
        }
    }
}

/// `active`, `paused` or `closed`, as in a group's YAML.
pub fn status_word(s: Status) -> &'static str {
    match s {
        Status::Active => "active",
        Status::Paused => "paused",
        Status::Closed => "closed",
    }
}

/// A group's page address under the site's `base_url`.
pub fn group_url(config: &Config, slug: &str) -> String {
    format!("{}groups/{slug}/", config.base_url)
}

/// Past this many groups, the three files that hold every group in full (`groups.json`,
/// `groups.csv`, Open Referral's `services.json`) are published gzip-compressed, as
/// `.gz`: at 50,000 groups they were 176 MB plain, 33 MB compressed, and each was over
/// the 25 MiB a file Cloudflare Pages takes (issue #25). Up to 10,000 groups (the most
/// Cloudflare's free plan fits) they stay plain, for a spreadsheet or a web page to open
/// as they are. The choice is by the number of groups, not the files' size, because the
/// pages that link the files are made at the same time as the files.
pub const COMPRESS_OVER_GROUPS: usize = 10_000;

/// Where this directory's full-record files are (paths under `data/`): plain, or `.gz`
/// past [`COMPRESS_OVER_GROUPS`]. The about page links these, `README.txt` and the
/// changes feed name them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DataFiles {
    /// `groups.json` or `groups.json.gz`.
    pub groups_json: &'static str,
    /// `groups.csv` or `groups.csv.gz`.
    pub groups_csv: &'static str,
    /// `openreferral/services.json` or `openreferral/services.json.gz`.
    pub services_json: &'static str,
    /// True when they are compressed.
    pub compressed: bool,
}

impl DataFiles {
    /// The files for a directory of `groups` groups.
    pub fn for_groups(groups: usize) -> DataFiles {
        let compressed = groups > COMPRESS_OVER_GROUPS;
        let pick = |plain, gz| if compressed { gz } else { plain };
        DataFiles {
            groups_json: pick("groups.json", "groups.json.gz"),
            groups_csv: pick("groups.csv", "groups.csv.gz"),
            services_json: pick(
                "openreferral/services.json",
                "openreferral/services.json.gz",
            ),
            compressed,
        }
    }
}

/// Hands every export to the sink (the build's "data" step). The big files are streamed:
/// each record is made, written and dropped, so a national directory's 170 MB GeoJSON is
/// never in memory whole; past [`COMPRESS_OVER_GROUPS`] the full-record files are
/// compressed as they stream.
pub fn write(config: &Config, content: &Content, sink: &dyn Sink) -> anyhow::Result<()> {
    let groups = &content.groups;
    let files = DataFiles::for_groups(groups.len());
    let put = |path: &str, bytes: Vec<u8>| sink.put(path.to_string(), bytes);
    let stream = |path: &str, write: WriteFn<'_>| sink.put_streamed(path.to_string(), write);
    let full = |name: &str, write: WriteFn<'_>| {
        let path = format!("data/{name}");
        if files.compressed {
            sink.put_streamed(path, &mut |w| {
                // Level 6, gzip's own default; the header has no time or name in it,
                // so an unchanged directory writes the same bytes.
                let mut gz = flate2::write::GzEncoder::new(w, flate2::Compression::new(6));
                write(&mut gz)?;
                gz.finish()?;
                Ok(())
            })
        } else {
            sink.put_streamed(path, write)
        }
    };
    full(files.groups_json, &mut |w| groups::json(config, groups, w))?;
    full(files.groups_csv, &mut |w| groups::csv(config, groups, w))?;
    put("data/README.txt", groups::readme(config, &files).into())?;
    full(files.services_json, &mut |w| {
        openreferral::services_json(config, content, w)
    })?;
    put("data/openreferral/schema.json", openreferral::SCHEMA.into())?;
    stream("data/coverage.geojson", &mut |w| {
        geojson::coverage(config, content, w)
    })?;
    put(
        "data/changes.xml",
        changes::atom(config, content, &files).into(),
    )
}

/// A JSON array serialized one element at a time: each element is made, written and
/// dropped, so a 50,000-group export never holds them all (as `Value`s, the GeoJSON
/// coverage of 50,000 groups took gigabytes).
pub(crate) struct LazySeq<'a, T, F>(pub &'a [T], pub F);

impl<T, U: Serialize, F: Fn(&T) -> U> Serialize for LazySeq<'_, T, F> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(&self.1))
    }
}

/// Escapes text for XML content and attribute values.
pub(crate) fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c.is_control() && c != '\n' && c != '\t') || crate::output::not_xml(c) => {
                out.push(' ')
            }
            c => out.push(c),
        }
    }
    out
}
