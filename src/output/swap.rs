//! Putting a finished site in place in one step, and clearing up after a build that was
//! killed.
//!
//! Words used here, for an output folder `public/`:
//!
//! - the *live* folder is `public/` itself, what readers and deploy tools see;
//! - the *spare* folder, `.public.aidmap-spare/` beside it, holds the site as it was one
//!   build before the live one; a build brings it up to date in place and then exchanges
//!   it with the live folder, so the old live site becomes the next build's spare;
//! - the *old* name, `.public.aidmap-old/`, is used only for a moment on systems where two
//!   folders cannot be exchanged in one step (see [`switch`]);
//! - the *lock*, `.public.aidmap-lock`, is held by the one build writing to `public/`.
//!
//! A process can be killed at any instruction (SIGKILL, the OOM killer, a cancelled CI
//! job), so every state between two steps here must read as either the old site or the
//! new one, and the next build must be able to tidy it up. A rename of a directory entry is
//! the one thing the kernel does all at once; everything else is arranged around it.

use std::fs::File;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rayon::prelude::*;

/// The live folder and its siblings (see the module header).
#[derive(Debug, Clone)]
pub(super) struct Siblings {
    pub(super) live: PathBuf,
    pub(super) spare: PathBuf,
    pub(super) old: PathBuf,
    pub(super) lock: PathBuf,
    pub(super) parent: PathBuf,
    /// `.public.aidmap-`: every sibling a build of `public/` makes starts with it.
    pub(super) prefix: String,
}

impl Siblings {
    /// Names the siblings of `target`, refusing a target that is not a plain folder.
    pub(super) fn new(target: &Path) -> Result<Siblings> {
        // `--out .` or `--out site/..` has no last name to put beside; its real path has.
        let target = if target.file_name().is_none() {
            std::fs::canonicalize(target)
                .with_context(|| format!("cannot find the folder {}", target.display()))?
        } else {
            target.to_path_buf()
        };
        match std::fs::symlink_metadata(&target) {
            Ok(m) if m.file_type().is_symlink() => anyhow::bail!(
                "--out {} is a symbolic link; aidmap replaces the output folder as a whole, so give the folder it points to ({}) as --out instead",
                target.display(),
                std::fs::read_link(&target)
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|_| "its target".into())
            ),
            Ok(m) if !m.is_dir() => anyhow::bail!(
                "--out {} is a file, not a folder; choose a folder for the site",
                target.display()
            ),
            _ => {}
        }
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let prefix = format!(".{name}.aidmap-");
        Ok(Siblings {
            spare: parent.join(format!("{prefix}spare")),
            old: parent.join(format!("{prefix}old")),
            lock: parent.join(format!("{prefix}lock")),
            live: target,
            parent,
            prefix,
        })
    }

    /// Puts back a site a killed build left only under the old name, makes a spare of an
    /// old folder the fallback switch had not yet renamed, and removes every other sibling
    /// an earlier version left: the `.public.aidmap-next/` folder of a whole-tree build and
    /// the `.public.aidmap-new-<pid>` staging folders of aidmap 0.1 (manifests are kept:
    /// `manifest::load` keeps only the true ones). Then makes sure there
    /// is a spare folder, a real one (not a link), empty if it is new.
    ///
    /// A spare in any other odd state (half updated by a killed build, temporary files in
    /// it) needs nothing here: the next update compares every file and removes the rest.
    /// Only called with the lock held, so no running build owns any of them.
    pub(super) fn recover(&self) -> Result<()> {
        let exists = |p: &Path| std::fs::symlink_metadata(p).is_ok();
        if self.old.is_dir() {
            if !exists(&self.live) {
                // Killed after the fallback's first rename: the old site is whole.
                std::fs::rename(&self.old, &self.live).with_context(|| {
                    format!(
                        "cannot put the previous site back from {} to {}",
                        self.old.display(),
                        self.live.display()
                    )
                })?;
            } else if !exists(&self.spare) {
                // Killed before the fallback's last rename: the new site is live.
                std::fs::rename(&self.old, &self.spare).with_context(|| {
                    format!(
                        "cannot rename {} to {}",
                        self.old.display(),
                        self.spare.display()
                    )
                })?;
            }
        }
        let entries = std::fs::read_dir(&self.parent)
            .with_context(|| format!("cannot read {}", self.parent.display()))?;
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let path = entry.path();
            let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
            if !name.starts_with(&self.prefix)
                || path == self.lock
                || (path == self.spare && is_dir)
                || (super::manifest::is_manifest_name(&name, &self.prefix) && !is_dir)
            {
                continue;
            }
            // A spare that is a file or a link is removed, never followed.
            let removed = if is_dir {
                remove_tree(&path)
            } else {
                std::fs::remove_file(&path).map_err(Into::into)
            };
            removed.with_context(|| {
                format!("cannot remove {}, left by an earlier build", path.display())
            })?;
        }
        match std::fs::create_dir(&self.spare) {
            Err(e) if e.kind() != ErrorKind::AlreadyExists => {
                Err(e).with_context(|| format!("cannot create the folder {}", self.spare.display()))
            }
            _ => Ok(()),
        }
    }
}

/// The one build allowed to write an output folder; released (and its file removed) on drop.
#[derive(Debug)]
pub(super) struct BuildLock {
    file: Option<File>,
    path: PathBuf,
}

impl BuildLock {
    /// Takes the lock at `path`, or says another build holds it.
    ///
    /// The file is removed when the lock is let go, so a finished build leaves nothing
    /// beside the output folder. Removing a lock file invites one race: a second build
    /// opens the file, the first removes it and unlocks, the second locks a file no longer
    /// in the folder while a third creates a new one. So after locking, the file locked
    /// must still be the one at `path`; if not, start again.
    pub(super) fn take(path: &Path, live: &Path) -> Result<BuildLock> {
        for _ in 0..100 {
            let file = File::options()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(path)
                .with_context(|| format!("cannot create the lock file {}", path.display()))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => anyhow::bail!(
                    "another aidmap build is writing {} (it holds {}); wait for it to finish, or build into another folder",
                    live.display(),
                    path.display()
                ),
                Err(std::fs::TryLockError::Error(e)) => {
                    return Err(e)
                        .with_context(|| format!("cannot lock {}", path.display()));
                }
            }
            if still_at(&file, path) {
                return Ok(BuildLock {
                    file: Some(file),
                    path: path.to_path_buf(),
                });
            }
        }
        anyhow::bail!("cannot lock {}: it keeps being replaced", path.display())
    }
}

impl Drop for BuildLock {
    fn drop(&mut self) {
        // Removed while still locked, then unlocked by closing (see `take`).
        let _ = std::fs::remove_file(&self.path);
        drop(self.file.take());
    }
}

#[cfg(unix)]
fn still_at(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn still_at(_file: &File, path: &Path) -> bool {
    // Windows does not let an open file be removed, so the race cannot happen there.
    path.exists()
}

/// Makes the up-to-date spare folder the live one, so that a reader (or a kill) sees the
/// old site or the new one and never a mix; the old live folder becomes the spare.
///
/// Linux and macOS exchange the two folders in one call (`renameat2(RENAME_EXCHANGE)`,
/// `renameatx_np(RENAME_SWAP)`): the live name never stops naming a whole site. Elsewhere,
/// or on a file system that cannot exchange (some network and FUSE ones), three renames:
/// live to old, spare to live, old to spare. A kill after the first leaves no live folder
/// for a moment, and the next build renames the old one back (see [`Siblings::recover`]);
/// a kill after the second leaves the new site live and the old one to become the spare.
pub(super) fn switch(s: &Siblings) -> Result<()> {
    if std::fs::symlink_metadata(&s.live).is_err() {
        return std::fs::rename(&s.spare, &s.live)
            .with_context(|| format!("cannot move the new site into {}", s.live.display()));
    }
    if exchange(&s.spare, &s.live) {
        return Ok(());
    }
    std::fs::rename(&s.live, &s.old).with_context(|| {
        format!(
            "cannot move the previous site aside from {}",
            s.live.display()
        )
    })?;
    if let Err(e) = std::fs::rename(&s.spare, &s.live) {
        let _ = std::fs::rename(&s.old, &s.live);
        return Err(e)
            .with_context(|| format!("cannot move the new site into {}", s.live.display()));
    }
    // The new site is in place; if this fails the next build's `recover` does it.
    let _ = std::fs::rename(&s.old, &s.spare);
    Ok(())
}

/// Swaps two directory entries in one step; false when the system cannot.
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn exchange(a: &Path, b: &Path) -> bool {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).is_ok()
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn exchange(_a: &Path, _b: &Path) -> bool {
    false
}

/// Removes a folder and everything in it, files in parallel. Not on a normal build's path
/// (removing a whole site's folders is slow on some file systems, such as ext4 with
/// `discard`): only for what an earlier version left, and a folder the site no longer has.
pub(super) fn remove_tree(dir: &Path) -> Result<()> {
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for entry in walkdir::WalkDir::new(dir).contents_first(true) {
        let Ok(entry) = entry else {
            // Something unreadable inside: let the plain removal say what.
            return std::fs::remove_dir_all(dir).map_err(Into::into);
        };
        if entry.file_type().is_dir() {
            dirs.push(entry.into_path());
        } else {
            files.push(entry.into_path());
        }
    }
    let parallel = files
        .par_iter()
        .try_for_each(std::fs::remove_file)
        .and_then(|()| dirs.iter().try_for_each(std::fs::remove_dir));
    if parallel.is_ok() {
        return Ok(());
    }
    match std::fs::remove_dir_all(dir) {
        Err(e) if e.kind() != ErrorKind::NotFound => Err(e.into()),
        _ => Ok(()),
    }
}
