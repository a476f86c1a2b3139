//! The one place that writes the built site.
//!
//! A build collects every file in memory first (`Output`), so nothing touches the disk
//! until the whole build has succeeded. `Output::write_to` then writes into a fresh
//! folder beside the target and swaps it in with renames: a failed or interrupted build
//! leaves the previous site exactly as it was, and `serve` can answer from memory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rayon::prelude::*;

/// The built site: relative path (with `/` separators) to file contents.
#[derive(Debug, Default, Clone)]
pub struct Output {
    files: BTreeMap<String, Vec<u8>>,
}

impl Output {
    /// Adds a file; a later add of the same path replaces it.
    pub fn add(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), bytes.into());
    }

    /// Looks a file up by its relative path.
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }

    /// Every file, sorted by path.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    /// How many files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// True when nothing was built.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Total bytes.
    pub fn total_bytes(&self) -> usize {
        self.files.values().map(Vec::len).sum()
    }

    /// Writes the site to `dir`, replacing what was there only once everything is written.
    pub fn write_to(&self, dir: &Path) -> Result<()> {
        let parent = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent)
            .with_context(|| format!("cannot create the folder {}", parent.display()))?;
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let staging = parent.join(format!(".{name}.aidmap-new-{}", std::process::id()));
        let retired = parent.join(format!(".{name}.aidmap-old-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&staging);

        let result = self.write_tree(&staging).and_then(|()| {
            if dir.exists() {
                std::fs::rename(dir, &retired).with_context(|| {
                    format!("cannot move the previous site at {} aside", dir.display())
                })?;
            }
            if let Err(e) = std::fs::rename(&staging, dir) {
                // Put the previous site back before reporting.
                let _ = std::fs::rename(&retired, dir);
                return Err(e)
                    .with_context(|| format!("cannot move the new site into {}", dir.display()));
            }
            let _ = std::fs::remove_dir_all(&retired);
            Ok(())
        });
        if result.is_err() {
            let _ = std::fs::remove_dir_all(&staging);
        }
        result
    }

    fn write_tree(&self, root: &Path) -> Result<()> {
        // Create folders once, then write files on both cores.
        let mut dirs: Vec<PathBuf> = self
            .files
            .keys()
            .filter_map(|k| Path::new(k).parent().map(|p| root.join(p)))
            .collect();
        dirs.sort();
        dirs.dedup();
        std::fs::create_dir_all(root)
            .with_context(|| format!("cannot create the folder {}", root.display()))?;
        for d in &dirs {
            std::fs::create_dir_all(d)
                .with_context(|| format!("cannot create the folder {}", d.display()))?;
        }
        self.files.par_iter().try_for_each(|(rel, bytes)| {
            let path = root.join(rel);
            std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))
        })
    }
}
