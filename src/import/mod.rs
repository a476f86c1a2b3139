//! `aidmap import FILE`: an existing list of groups (a spreadsheet's CSV, a JSON list,
//! the Mutual Aid Wiki export, or another aidmap directory's `data/groups.json` or Open
//! Referral UK export) becomes one group file per group under `content/groups/`.
//!
//! Each format is read into the same raw [`row::Row`] (`csv.rs`, `json.rs`,
//! `openreferral.rs`); [`resolve`] (`resolve.rs`) turns a row into the record `aidmap intake` writes
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
pub mod resolve;
pub mod row;

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};

use crate::config::Config;
use crate::content::{check, namesakes, Content, Group};
use crate::intake::record::{self, Record};
use merge::Candidate;
pub use resolve::resolve;
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
    let bytes = gunzipped(&opts.file, bytes)?;
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

/// The most a gzip-compressed source may hold unzipped: ten times a 50,000-group
/// directory's largest file, and a bound on what a hostile `.gz` (a "zip bomb") can
/// make this read into memory.
const MAX_UNZIPPED: u64 = 1 << 30;

/// The file's bytes, unzipped when they are gzip (a directory of more than 10,000
/// groups publishes `groups.json.gz`, `groups.csv.gz` and `services.json.gz`: see
/// `export::COMPRESS_OVER_GROUPS`), else as they are.
fn gunzipped(path: &Path, bytes: Vec<u8>) -> Result<Vec<u8>> {
    gunzipped_within(path, bytes, MAX_UNZIPPED)
}

/// [`gunzipped`] with its limit given.
fn gunzipped_within(path: &Path, bytes: Vec<u8>, max: u64) -> Result<Vec<u8>> {
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Ok(bytes);
    }
    use std::io::Read as _;
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes.as_slice())
        .take(max + 1)
        .read_to_end(&mut out)
        .map_err(|e| {
            anyhow::anyhow!(
                "{}: this gzip file cannot be unzipped ({e}): download it again, or unzip it \
                 yourself and import the file inside",
                path.display()
            )
        })?;
    if out.len() as u64 > max {
        bail!(
            "{}: this gzip file unzips to more than {} MiB, more than any directory's open \
             data: unzip it yourself if it is what you meant to import",
            path.display(),
            max >> 20
        );
    }
    Ok(out)
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
        let listed = serde_yaml::from_str::<Record>(&current).ok();
        if record.added.is_none() {
            record.added = listed.as_ref().and_then(|r| r.added.clone());
        }
        // No list carries translations: the listing's own are kept, never lost.
        if let Some(r) = listed {
            record.translations = r.translations;
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

#[cfg(test)]
mod tests {
    use std::io::Write as _;
    use std::path::Path;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
        gz.write_all(bytes).unwrap();
        gz.finish().unwrap()
    }

    #[test]
    fn a_gzip_file_is_unzipped_and_anything_else_kept_as_it_is() {
        let path = Path::new("groups.json.gz");
        let text = br#"{"groups": []}"#.to_vec();
        assert_eq!(super::gunzipped(path, gzip(&text)).unwrap(), text);
        assert_eq!(super::gunzipped(path, text.clone()).unwrap(), text);
    }

    #[test]
    fn a_broken_or_too_large_gzip_file_is_refused_with_what_to_do() {
        let path = Path::new("big.csv.gz");
        let mut cut = gzip(&[b'a'; 4000]);
        cut.truncate(cut.len() / 2);
        let said = super::gunzipped(path, cut).unwrap_err().to_string();
        assert!(
            said.starts_with("big.csv.gz: this gzip file cannot be unzipped"),
            "{said}"
        );
        assert!(said.contains("download it again"), "{said}");
        // A small file that unzips past the limit (a "zip bomb") stops at the limit.
        let bomb = gzip(&vec![0; 4 << 20]);
        assert!(bomb.len() < 10_000);
        let said = super::gunzipped_within(path, bomb, 1 << 20)
            .unwrap_err()
            .to_string();
        assert!(said.contains("unzips to more than 1 MiB"), "{said}");
    }
}
