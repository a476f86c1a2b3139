//! `aidmap import FILE`: an existing list of groups (a spreadsheet's CSV, a JSON list,
//! the Mutual Aid Wiki export, or another aidmap directory's `data/groups.json` or Open
//! Referral UK export) becomes one group file per group under `content/groups/`.
//!
//! Each format is read into the same raw [`row::Row`] (`csv.rs`, `json.rs`,
//! `openreferral.rs`); [`resolve`] turns a row into the record `aidmap intake` writes
//! (`intake::record::Record`) and checks it with `Group::parse`, or says why the row
//! is not importable; `merge.rs` joins likely duplicates; this file chooses each
//! listing's address and writes the files through `intake::record::write_file`.
//!
//! An import is not a check: `last_checked` comes from the file or from `--checked`,
//! never from today. A file that exists is never replaced unless `--update` is given,
//! and importing the same file twice changes nothing.

pub mod csv;
pub mod json;
pub mod merge;
pub mod openreferral;
pub mod place;
pub mod row;

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};
use jiff::civil::Date;

use crate::config::Config;
use crate::content::group::{MAX_AREAS, MAX_NAME};
use crate::content::{areas, check, help, namesakes, Content, Group, Status};
use crate::intake::record::{self, Record, RecordContact};
use merge::Candidate;
use place::LinkKind;
use row::Row;

/// What `aidmap import` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The directory's folder (the one with site.yaml).
    pub root: PathBuf,
    /// The list to import.
    pub file: PathBuf,
    /// The date the list was last confirmed, for records that carry none (YYYY-MM-DD).
    pub checked: Option<String>,
    /// Work everything out and say it, but write nothing.
    pub dry_run: bool,
    /// Replace group files that exist with what the list says.
    pub update: bool,
}

/// What became of one record of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A new group file.
    Written,
    /// The group file existed and `--update` replaced it.
    Updated,
    /// The group file already says exactly this.
    Unchanged,
    /// The group file exists and says something else; kept (no `--update`).
    Kept,
    /// Joined to another record of the list, the one at `into`.
    Merged {
        /// Where the record it went into is in the source.
        into: String,
        /// Why they are one group.
        why: String,
    },
    /// Not importable.
    Skipped {
        /// Why, in words.
        why: String,
    },
}

/// One record of the list and what became of it.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Where it is in the source ("line 12").
    pub at: String,
    /// Its name, as the source gives it.
    pub name: String,
    /// What became of it.
    pub outcome: Outcome,
    /// Its group file (relative to the root), for a record that has one.
    pub file: Option<PathBuf>,
    /// What was left out or filled in.
    pub notes: Vec<String>,
}

/// What an import did (or, with `--dry-run`, would do).
#[derive(Debug, Clone)]
pub struct Summary {
    /// The source's format, in words.
    pub format: &'static str,
    /// Every record, in source order.
    pub entries: Vec<Entry>,
    /// Nothing was written.
    pub dry_run: bool,
}

/// Reads `opts.root/site.yaml`, then imports `opts.file` (see the module doc).
pub fn import(opts: &Options) -> Result<Summary> {
    let config_path = opts.root.join("site.yaml");
    let config_text = std::fs::read_to_string(&config_path)
        .with_context(|| format!("cannot read {}", config_path.display()))?;
    let Some(config) = Config::parse(Path::new("site.yaml"), &config_text).0 else {
        bail!("site.yaml has errors; run `aidmap check` to see them");
    };
    let checked = match opts.checked.as_deref() {
        None => None,
        Some(d) => {
            let date = check::date(d).map_err(|e| anyhow::anyhow!("--checked: {e}"))?;
            if date > check::today() {
                bail!(
                    "--checked {date} is in the future: give the day the list was last confirmed"
                );
            }
            Some(date)
        }
    };
    let bytes = std::fs::read(&opts.file)
        .with_context(|| format!("cannot read {}", opts.file.display()))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("{} is not UTF-8 text", opts.file.display()))?;
    let text = text.trim_start_matches('\u{feff}');
    let (format, rows) = read_rows(&opts.file, text)?;

    let schema_url = format!("{}{}", config.base_url, crate::schema::GROUP_SCHEMA_PATH);
    let recheck = |r: &Record| -> Option<Group> {
        Group::parse(
            Path::new("import"),
            "import",
            &r.to_yaml(&schema_url),
            &config,
        )
        .0
    };
    let mut entries = Vec::new();
    let mut candidates = Vec::new();
    for row in &rows {
        match resolve(row, &config, checked, &schema_url) {
            Ok(c) => candidates.push(c),
            Err(why) => entries.push(Entry {
                at: row.at.clone(),
                name: row.name.clone().unwrap_or_default(),
                outcome: Outcome::Skipped { why },
                file: None,
                notes: Vec::new(),
            }),
        }
    }
    let (kept, merges) = merge::merge(candidates, recheck);
    for m in merges {
        entries.push(Entry {
            at: m.at,
            name: m.name,
            outcome: Outcome::Merged {
                into: kept[m.into].at.clone(),
                why: m.why,
            },
            file: None,
            notes: Vec::new(),
        });
    }

    let existing = Content::load(&opts.root, &config).0.groups;
    let mut taken: HashSet<String> = HashSet::new();
    let mut files = Vec::new();
    for c in kept {
        let (outcome, file, text) = place_record(opts, &existing, &mut taken, &c, &schema_url);
        if let (Some(file), Some(text)) = (&file, text) {
            files.push((opts.root.join(file), text));
        }
        entries.push(Entry {
            at: c.at,
            name: c.record.name,
            outcome,
            file,
            notes: c.notes,
        });
    }
    // The merged records name the file of the record they went into.
    let file_of: std::collections::HashMap<String, PathBuf> = entries
        .iter()
        .filter_map(|e| Some((e.at.clone(), e.file.clone()?)))
        .collect();
    for e in &mut entries {
        if let Outcome::Merged { into, .. } = &e.outcome {
            e.file = file_of.get(into).cloned();
        }
    }
    let order: std::collections::HashMap<&str, usize> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (r.at.as_str(), i))
        .collect();
    entries.sort_by_key(|e| order.get(e.at.as_str()).copied().unwrap_or(usize::MAX));
    if !opts.dry_run {
        for (path, text) in files {
            record::write_file(&path, &text)?;
        }
    }
    Ok(Summary {
        format,
        entries,
        dry_run: opts.dry_run,
    })
}

/// The source's rows, by its shape: a CSV, a JSON list, aidmap's `groups.json`, or an
/// Open Referral page.
fn read_rows(path: &Path, text: &str) -> Result<(&'static str, Vec<Row>)> {
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        || text.trim_start().starts_with(['[', '{']);
    if !is_json {
        return Ok(("CSV", csv::rows(text)?));
    }
    let doc: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        anyhow::anyhow!(
            "{}:{}:{}: this is not valid JSON: {e}",
            path.display(),
            e.line(),
            e.column()
        )
    })?;
    if let Some(groups) = doc.get("groups") {
        return Ok(("aidmap groups.json", json::rows(groups, true)?));
    }
    if let Some(contents) = doc.get("contents").and_then(|c| c.as_array()) {
        return Ok(("Open Referral UK", openreferral::rows(contents)));
    }
    let shape = if doc
        .as_array()
        .and_then(|l| l.first())
        .is_some_and(|r| r.get("location_coord").is_some() || r.get("location_name").is_some())
    {
        "Mutual Aid Wiki JSON"
    } else {
        "JSON"
    };
    Ok((shape, json::rows(&doc, false)?))
}

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

/// The group file of `slug` in the directory, `.yaml` or `.yml`, if there is one.
fn existing_file(root: &Path, slug: &str) -> Option<PathBuf> {
    ["yaml", "yml"]
        .iter()
        .map(|ext| PathBuf::from(format!("content/groups/{slug}.{ext}")))
        .find(|p| root.join(p).symlink_metadata().is_ok())
}

/// Chooses the listing address of one record and what to do with its file: the
/// outcome, the file (relative to the root) and the text to write, if any.
fn place_record(
    opts: &Options,
    existing: &[Group],
    taken: &mut HashSet<String>,
    c: &Candidate,
    schema_url: &str,
) -> (Outcome, Option<PathBuf>, Option<String>) {
    // A group the directory lists already, under another address.
    let base = c
        .slug
        .clone()
        .unwrap_or_else(|| crate::scaffold::slugify(&c.record.name));
    let base = if base.is_empty() {
        "group".to_string()
    } else {
        base
    };
    let district = c
        .group
        .districts()
        .first()
        .map(|d| d.to_lowercase())
        .unwrap_or_default();
    let tries = std::iter::once(base.clone())
        .chain(std::iter::once(format!("{base}-{district}")))
        .chain((2..).map(|n| format!("{base}-{district}-{n}")));
    for slug in tries {
        if taken.contains(&slug) {
            continue;
        }
        let file = existing_file(&opts.root, &slug);
        let listed = existing.iter().find(|g| g.slug == slug);
        // A file of that name for another group (or one that does not check): not ours.
        if file.is_some() && listed.is_none_or(|g| namesakes::same_group(g, &c.group).is_none()) {
            continue;
        }
        if file.is_none() {
            if let Some(other) = existing
                .iter()
                .find(|g| namesakes::same_group(g, &c.group).is_some())
            {
                return (
                    Outcome::Skipped {
                        why: format!("already listed as `{}`", other.slug),
                    },
                    None,
                    None,
                );
            }
        }
        taken.insert(slug.clone());
        let rel = file.unwrap_or_else(|| PathBuf::from(format!("content/groups/{slug}.yaml")));
        let path = opts.root.join(&rel);
        let Ok(current) = std::fs::read_to_string(&path) else {
            return (
                Outcome::Written,
                Some(rel),
                Some(c.record.to_yaml(schema_url)),
            );
        };
        // `added` stays as the directory has it: the group was listed then.
        let mut record = c.record.clone();
        if record.added.is_none() {
            record.added = serde_yaml::from_str::<Record>(&current)
                .ok()
                .and_then(|r| r.added);
        }
        let text = record.to_yaml(schema_url);
        let same = serde_yaml::from_str::<Record>(&current).is_ok_and(|r| r == record);
        return if same || current == text {
            (Outcome::Unchanged, Some(rel), None)
        } else if opts.update {
            (Outcome::Updated, Some(rel), Some(text))
        } else {
            (Outcome::Kept, Some(rel), None)
        };
    }
    unreachable!("the numbered addresses never run out")
}

/// A name as the summary shows it: control characters visible, cut to 60 characters.
fn short(name: &str) -> String {
    let shown = crate::diagnostics::shown(name);
    match shown.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &shown[..i]),
        None => shown,
    }
}

impl Summary {
    /// How many records had an outcome of this kind.
    pub fn count(&self, kind: fn(&Outcome) -> bool) -> usize {
        self.entries.iter().filter(|e| kind(&e.outcome)).count()
    }

    /// What the import did, as `aidmap import` prints it: the counts, then every merge
    /// and every skipped record.
    pub fn render_text(&self) -> String {
        let n = |k: fn(&Outcome) -> bool| self.count(k);
        let written = n(|o| *o == Outcome::Written);
        let records = match self.entries.len() {
            1 => "1 record".to_string(),
            n => format!("{n} records"),
        };
        let mut out = format!(
            "{records} ({}): {} {}, {} updated, {} unchanged, {} kept as they were{}, {} merged into another record, {} skipped\n",
            self.format,
            written,
            if self.dry_run { "to write" } else { "written" },
            n(|o| *o == Outcome::Updated),
            n(|o| *o == Outcome::Unchanged),
            n(|o| *o == Outcome::Kept),
            if n(|o| *o == Outcome::Kept) > 0 { " (--update replaces them)" } else { "" },
            n(|o| matches!(o, Outcome::Merged { .. })),
            n(|o| matches!(o, Outcome::Skipped { .. })),
        );
        for e in &self.entries {
            let file = e
                .file
                .as_ref()
                .map(|f| format!(" ({})", f.display()))
                .unwrap_or_default();
            match &e.outcome {
                Outcome::Merged { into, why } => out.push_str(&format!(
                    "merged {} \"{}\" into {into}{file}: {why}\n",
                    e.at,
                    short(&e.name)
                )),
                Outcome::Skipped { why } => {
                    out.push_str(&format!("skipped {} \"{}\": {why}\n", e.at, short(&e.name)))
                }
                _ => {}
            }
        }
        if self.dry_run {
            out.push_str("dry run: nothing was written\n");
        }
        out
    }

    /// The CSV for `--report`: one row per record of the list (`record, name, outcome,
    /// file, detail`), every cell made safe to open in a spreadsheet.
    pub fn write_report(&self, out: &mut dyn Write) -> Result<()> {
        let mut w = ::csv::Writer::from_writer(out);
        w.write_record(["record", "name", "outcome", "file", "detail"])?;
        for e in &self.entries {
            let (outcome, detail) = match &e.outcome {
                Outcome::Written => ("written", e.notes.join("; ")),
                Outcome::Updated => ("updated", e.notes.join("; ")),
                Outcome::Unchanged => ("unchanged", e.notes.join("; ")),
                Outcome::Kept => (
                    "kept",
                    "the file exists and says something else; --update replaces it".into(),
                ),
                Outcome::Merged { into, why } => ("merged", format!("into {into}: {why}")),
                Outcome::Skipped { why } => ("skipped", why.clone()),
            };
            let file = e
                .file
                .as_ref()
                .map(|f| f.display().to_string())
                .unwrap_or_default();
            let cells = [
                e.at.clone(),
                e.name.clone(),
                outcome.to_string(),
                file,
                detail,
            ];
            w.write_record(cells.map(crate::export::groups::spreadsheet_safe))?;
        }
        w.flush()?;
        Ok(())
    }
}
