//! Files aidmap writes for people: `aidmap init` (a new directory) and `aidmap new`
//! (a new group or story ready to fill in).
//!
//! The templates are real files beside this one, embedded with `include_str!`, so they
//! can be read and edited as what they are. A *placeholder* is a value such as
//! `"FILL IN"` that `aidmap check` rejects with a clear message, so a half-filled file
//! can never be published by mistake.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};

use crate::content::check;
use crate::schema;

pub mod source;
pub use source::Source;

/// The template of `aidmap new group`.
const NEW_GROUP: &str = include_str!("new_group.yaml");

/// The template of `aidmap new story`.
const NEW_STORY: &str = include_str!("new_story.md");

/// The files of `aidmap init`: path in the new directory, contents.
const INIT_FILES: &[(&str, &str)] = &[
    ("site.yaml", include_str!("init/site.yaml")),
    (
        "content/groups/example-street-helpers.yaml",
        include_str!("init/content/groups/example-street-helpers.yaml"),
    ),
    ("content/stories/.gitkeep", ""),
    ("netlify.toml", include_str!("init/netlify.toml")),
    (
        ".github/workflows/check.yml",
        include_str!("init/.github/workflows/check.yml"),
    ),
    (
        ".github/workflows/intake.yml",
        include_str!("init/.github/workflows/intake.yml"),
    ),
    (
        ".github/workflows/keep-alive.yml",
        include_str!("init/.github/workflows/keep-alive.yml"),
    ),
    (
        ".github/pull_request_template.md",
        include_str!("init/.github/pull_request_template.md"),
    ),
    ("CONTRIBUTING.md", include_str!("init/CONTRIBUTING.md")),
    (
        "scripts/install-aidmap",
        include_str!("init/scripts/install-aidmap"),
    ),
    (".gitignore", "/public/\n/.aidmap-cache/\n"),
];

/// The base URL `init` writes into site.yaml, for the example group's schema line.
const INIT_BASE_URL: &str = "https://example.org/";

/// Turns a name into a file stem: lowercase ASCII words joined by dashes.
pub fn slugify(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        let c = match c {
            'à'..='å' | 'À'..='Å' => 'a',
            'è'..='ë' | 'È'..='Ë' => 'e',
            'ì'..='ï' | 'Ì'..='Ï' => 'i',
            'ò'..='ö' | 'Ò'..='Ö' => 'o',
            'ù'..='ü' | 'Ù'..='Ü' => 'u',
            'ŵ' | 'Ŵ' => 'w',
            'ŷ' | 'ÿ' | 'Ŷ' => 'y',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if c != '\'' && c != '’' && !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.len() > 80 {
        out.truncate(80);
        while out.ends_with('-') {
            out.pop();
        }
    }
    out
}

/// Quotes text for a YAML double-quoted scalar.
fn yaml_quoted(text: &str) -> String {
    text.trim().replace('\\', "\\\\").replace('"', "\\\"")
}

/// What kind of file `aidmap new` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKind {
    /// `content/groups/<slug>.yaml`.
    Group,
    /// `content/stories/<slug>.md`.
    Story,
}

/// Writes a new group or story file under `root`, named after `title`; refuses to
/// overwrite. `base_url` (site.yaml's) locates the published schema. Returns the path.
pub fn new_file(root: &Path, kind: NewKind, title: &str, base_url: &str) -> Result<PathBuf> {
    let slug = slugify(title);
    if slug.is_empty() {
        bail!("`{title}` has no letters or digits to make a file name from");
    }
    check::slug(&slug).map_err(|m| anyhow::anyhow!(m))?;
    let (dir, ext, template, key, schema_path) = match kind {
        NewKind::Group => (
            "content/groups",
            "yaml",
            NEW_GROUP,
            "{{name}}",
            schema::GROUP_SCHEMA_PATH,
        ),
        NewKind::Story => (
            "content/stories",
            "md",
            NEW_STORY,
            "{{title}}",
            schema::STORY_SCHEMA_PATH,
        ),
    };
    let dir = root.join(dir);
    let path = dir.join(format!("{slug}.{ext}"));
    let other = dir.join(format!("{slug}.yml"));
    if path.exists() || (kind == NewKind::Group && other.exists()) {
        bail!(
            "{} already exists; edit it, or choose another name",
            path.display()
        );
    }
    let text = template
        .replace("{{schema_url}}", &format!("{base_url}{schema_path}"))
        .replace("{{today}}", &check::today().to_string())
        .replace(key, &yaml_quoted(title));
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("cannot create the folder {}", dir.display()))?;
    // create_new: never overwrite, even if the file appeared since the check above.
    use std::io::Write as _;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(path)
}

/// `aidmap new`: reads `root/site.yaml` for the base URL, then writes the new file.
pub fn new_in_site(root: &Path, kind: NewKind, title: &str) -> Result<PathBuf> {
    let config_path = root.join("site.yaml");
    if !config_path.is_file() {
        bail!(
            "there is no site.yaml in {}; pass --root with the directory's folder",
            root.display()
        );
    }
    let text = std::fs::read_to_string(&config_path)
        .with_context(|| format!("cannot read {}", config_path.display()))?;
    let base_url = match crate::config::Config::parse(Path::new("site.yaml"), &text).0 {
        Some(config) => config.base_url,
        None => bail!("site.yaml has errors; run `aidmap check` to see them"),
    };
    new_file(root, kind, title, &base_url)
}

/// Creates a new directory at `dir` with settings, an example group, content folders,
/// Netlify and GitHub set-up and a guide for volunteers. Refuses a non-empty folder.
/// `source` is the aidmap its checks install (`.aidmap-version`); `None` writes that
/// file with empty values for the maintainer to fill in. Returns the files written,
/// relative to `dir`.
pub fn init(dir: &Path, source: Option<&Source>) -> Result<Vec<&'static str>> {
    if dir.exists() {
        if !dir.is_dir() {
            bail!("{} exists and is not a folder", dir.display());
        }
        let mut entries =
            std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
        if entries.next().is_some() {
            bail!(
                "{} is not empty; `aidmap init` only starts a directory in a new or empty folder",
                dir.display()
            );
        }
    }
    let today = check::today().to_string();
    let schema_url = format!("{INIT_BASE_URL}{}", schema::GROUP_SCHEMA_PATH);
    let mut written = Vec::new();
    for (rel, text) in INIT_FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create the folder {}", parent.display()))?;
        }
        let text = text
            .replace("{{today}}", &today)
            .replace("{{schema_url}}", &schema_url);
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
        written.push(*rel);
    }
    // The issue form is made from the same field table as the site's form and intake's
    // reader, so the three always agree.
    let rel = ".github/ISSUE_TEMPLATE/group.yml";
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create the folder {}", parent.display()))?;
    }
    let form = crate::intake::form::issue_template(&crate::config::Config::fallback());
    std::fs::write(&path, form).with_context(|| format!("cannot write {}", path.display()))?;
    written.push(rel);
    let rel = ".aidmap-version";
    let path = dir.join(rel);
    std::fs::write(&path, source::version_file(source))
        .with_context(|| format!("cannot write {}", path.display()))?;
    written.push(rel);
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slugify("Thorpe Neighbours"), "thorpe-neighbours");
        assert_eq!(slugify("  St Mary's & Friends!  "), "st-marys-friends");
        assert_eq!(
            slugify("Cymorth Cymunedol Caernarfôn"),
            "cymorth-cymunedol-caernarfon"
        );
        assert_eq!(slugify("NR2 Covid-19 response"), "nr2-covid-19-response");
        assert_eq!(slugify("!!!"), "");
    }

    #[test]
    fn init_base_url_matches_site_yaml() {
        assert!(INIT_FILES[0]
            .1
            .contains(&format!("base_url: {INIT_BASE_URL}\n")));
    }
}
