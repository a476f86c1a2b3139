//! The link check's memory between runs: `.aidmap-cache/links.json` in the directory,
//! beside `site.yaml` and outside the published folder.
//!
//! It maps each target (see [`super::Link::target`]) to its last result and the time
//! of that check. `aidmap check --links` rewrites it with the results for the links the
//! directory has now (so links removed from the groups drop out); the build reads it for
//! the organisers' page. A cache that is missing, unreadable or of another version is
//! treated as empty: the next check asks again, nothing fails.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use serde::{Deserialize, Serialize};

use super::Checked;

/// The cache folder, relative to the directory.
pub const DIR: &str = ".aidmap-cache";

/// The cache file, relative to the directory.
pub const FILE: &str = ".aidmap-cache/links.json";

/// Bumped when the file's shape changes; another version is ignored.
const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
struct CacheFile {
    version: u32,
    links: BTreeMap<String, Checked>,
}

/// The cached results, or none when there is no usable cache.
pub fn read(root: &Path) -> BTreeMap<String, Checked> {
    if crate::tree::check_inside(root, Path::new(FILE)).is_err() {
        return BTreeMap::new();
    }
    let Ok(text) = std::fs::read_to_string(root.join(FILE)) else {
        return BTreeMap::new();
    };
    match serde_json::from_str::<CacheFile>(&text) {
        Ok(file) if file.version == VERSION => file.links,
        _ => BTreeMap::new(),
    }
}

/// Writes the cache (to a temporary file, then renamed over the old one). Refuses a
/// cache folder or file that is a link.
pub fn write(root: &Path, links: &BTreeMap<String, Checked>) -> Result<PathBuf> {
    let dir = root.join(DIR);
    if std::fs::symlink_metadata(&dir).is_ok() {
        crate::tree::check_inside(root, Path::new(DIR)).map_err(|d| anyhow::anyhow!("{d}"))?;
    } else {
        std::fs::create_dir(&dir)
            .with_context(|| format!("cannot create the folder {}", dir.display()))?;
    }
    let path = root.join(FILE);
    if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
        anyhow::bail!("{} is a link; remove it and check again", path.display());
    }
    let text = serde_json::to_string_pretty(&CacheFile {
        version: VERSION,
        links: links.clone(),
    })?;
    let tmp = dir.join("links.json.tmp");
    std::fs::write(&tmp, text + "\n").with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, &path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(path)
}
