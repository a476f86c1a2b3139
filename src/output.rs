//! The one place that writes the built site.
//!
//! A build hands each file to a [`Sink`] as soon as it is rendered, from any rayon
//! worker. Two sinks:
//!
//! - [`Output`] (behind a `Mutex`) keeps everything in memory, for `serve` and tests.
//! - [`SiteWriter`] writes to disk as the build goes, so a build holds only the pages
//!   being rendered, not the whole site (5 GB at 50,000 groups). It never writes into
//!   the live folder.
//!
//! How [`SiteWriter`] writes ("double buffer"). Beside the live folder `public/` it keeps
//! one *spare* folder, `.public.aidmap-spare/`, holding the site as it was one build before
//! the live one. A build brings the spare up to date in place, file by file as pages come:
//!
//! - a file whose bytes the live folder already has becomes (or stays) a hard link to the
//!   live file: the new site keeps the live inode and dates, even where the spare held
//!   something else. For a file unchanged over two builds the spare holds that very inode
//!   already, and the whole cost is one read of the live file and one `lstat`.
//! - any other file is written to a new temporary file in the spare (`*.aidmap-tmp`) and
//!   renamed over its name: never written through, as the old one may be a link to a live
//!   file. A changed file thus always gets a new inode and a new date.
//! - at the end, whatever in the spare the build did not make is removed (pages of one
//!   build ago, temporary files a killed build left), and hidden entries of the live
//!   folder that are not the build's (`.git`, `.nojekyll`) are linked into it.
//!
//! Then [`SiteWriter::finish`] exchanges the two folders with one rename (see `swap.rs`):
//! the live name goes from the whole old site to the whole new one, and the old live
//! folder becomes the next build's spare. A build that fails, or is killed at any moment,
//! leaves the live site exactly as it was; the spare may be half updated, and the next
//! build's pass simply puts it right (it checks every file it makes and removes the rest).
//! Nothing is made or deleted as a whole tree in a normal build: on ext4 with `discard`,
//! deleting a site's thousands of folders each build made a no-change rebuild 5 times
//! slower. There is no spare at the first build or after one was lost: the next build
//! starts from an empty one, linking every unchanged file into it (a one-time cost, a
//! `cp -al` of the site).
//!
//! Disk cost: the spare sits beside the published folder (never inside it) and holds a
//! second site, so the output needs up to twice its size; files unchanged over the last
//! two builds are one inode shared by both and cost nothing twice.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufWriter, ErrorKind, Read as _, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use anyhow::{Context, Result};
use rayon::prelude::*;

pub mod hosts;
mod manifest;
mod swap;
pub mod tally;

use manifest::{Entry, Manifest, Stamp};
use swap::{BuildLock, Siblings};

/// Writes one file's bytes piece by piece (see [`Sink::put_streamed`]).
pub type WriteFn<'a> = &'a mut dyn FnMut(&mut dyn Write) -> Result<()>;

/// Where a build puts each file. `path` is relative to the site root, `/`-separated.
pub trait Sink: Sync {
    /// Takes one file; a later file at the same path replaces it.
    fn put(&self, path: String, bytes: Vec<u8>) -> Result<()>;

    /// Takes one file that `write` produces piece by piece, for files too big to hold
    /// whole (the open data of a national directory is hundreds of megabytes). A sink that
    /// keeps files in memory collects the pieces; [`SiteWriter`] streams them to disk.
    fn put_streamed(&self, path: String, write: WriteFn<'_>) -> Result<()> {
        let mut bytes = Vec::new();
        write(&mut bytes)?;
        self.put(path, bytes)
    }
}

/// The built site in memory: relative path (with `/` separators) to file contents.
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

    /// Writes the whole site to `dir` the way `aidmap build` does (see [`SiteWriter`]).
    pub fn write_to(&self, dir: &Path) -> Result<WriteStats> {
        let writer = SiteWriter::new(dir)?;
        self.files
            .par_iter()
            .try_for_each(|(path, bytes)| writer.put(path.clone(), bytes.clone()))?;
        writer.finish()
    }
}

impl Sink for Mutex<Output> {
    fn put(&self, path: String, mut bytes: Vec<u8>) -> Result<()> {
        // Kept for the whole site's life (serve): without the room pages are rendered
        // into (see `render::theme::render_page`).
        bytes.shrink_to_fit();
        lock(self).add(path, bytes);
        Ok(())
    }
}

/// Refuses an output folder that would replace the directory's own files: the directory
/// itself, a folder holding it, or its `content/`, `themes/` or `static/`.
pub fn check_target(root: &Path, out: &Path) -> Result<()> {
    let absolute = |p: &Path| {
        std::fs::canonicalize(p).unwrap_or_else(|_| {
            // Not there yet: its parent may be.
            match (p.parent(), p.file_name()) {
                (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => {
                    std::fs::canonicalize(parent)
                        .map(|c| c.join(name))
                        .unwrap_or_else(|_| p.to_path_buf())
                }
                _ => std::env::current_dir()
                    .map(|d| d.join(p))
                    .unwrap_or_else(|_| p.to_path_buf()),
            }
        })
    };
    let root = absolute(root);
    let out = absolute(out);
    let own = ["content", "themes", "static", "site.yaml"];
    if root.starts_with(&out) || own.iter().any(|d| out.starts_with(root.join(d))) {
        anyhow::bail!(
            "--out {} would replace the directory's own files; choose a folder of its own, such as {}",
            out.display(),
            root.join("public").display()
        );
    }
    Ok(())
}

/// What [`SiteWriter::finish`] did, for the summary line.
#[derive(Debug, Clone, Copy, Default)]
pub struct WriteStats {
    /// Files written because they were new or had changed.
    pub written: usize,
    /// Files already there with the same bytes, left alone.
    pub unchanged: usize,
    /// Files of the previous site that this build does not make, removed.
    pub removed: usize,
}

/// Streams a build to disk: the spare folder beside the target is brought up to date in
/// place, then exchanged with the live folder at the end.
#[derive(Debug)]
pub struct SiteWriter {
    /// The live folder, its spare (where this build writes) and the lock.
    siblings: Siblings,
    /// The live folder already holds a site: compare with it and link what is unchanged.
    update: bool,
    /// Folders of the spare known to be real folders this build.
    made_dirs: Mutex<HashSet<PathBuf>>,
    /// Every path this build made, with what the next build's manifest says of it (none
    /// where the system gives no stamp).
    produced: Mutex<HashMap<String, Option<Entry>>>,
    /// What the last build wrote into the live folder (see `manifest.rs`).
    live_manifest: Option<Manifest>,
    /// What the spare held before this build, when that is known for sure.
    spare_manifest: Option<Manifest>,
    written: AtomicUsize,
    unchanged: AtomicUsize,
    /// Numbers temporary file names, so two of them never meet.
    temps: AtomicUsize,
    /// Held until the writer is dropped; declared last so it is let go last.
    _lock: BuildLock,
}

/// Ends the name of a file being written into the spare; renamed over its real name
/// when whole. One a kill left is not a path the build makes, so the next build removes it.
const TEMP_SUFFIX: &str = ".aidmap-tmp";

impl SiteWriter {
    /// Prepares to write the site to `target` (created at the end if missing).
    ///
    /// Takes the output folder's lock (a second build into the same folder is refused while
    /// this one runs), puts back or removes whatever a killed build left beside it, and
    /// makes sure a spare folder exists. Refuses a target that is a symbolic link: the
    /// switch would replace the link, and the folder it points to would never be updated.
    pub fn new(target: &Path) -> Result<SiteWriter> {
        let siblings = Siblings::new(target)?;
        let parent = siblings.lock.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create the folder {}", parent.display()))?;
        let lock = BuildLock::take(&siblings.lock, &siblings.live)?;
        siblings.recover()?;
        let update = match std::fs::read_dir(&siblings.live) {
            Ok(mut entries) => entries.next().is_some(),
            Err(e) if e.kind() == ErrorKind::NotFound => false,
            Err(e) => {
                return Err(e).with_context(|| format!("cannot read {}", siblings.live.display()))
            }
        };
        // Read before anything in the spare changes (the spare's own is then deleted).
        let (live_manifest, spare_manifest) = manifest::load(
            &siblings.parent,
            &siblings.prefix,
            &siblings.live,
            &siblings.spare,
        );
        Ok(SiteWriter {
            siblings,
            update,
            made_dirs: Mutex::new(HashSet::new()),
            produced: Mutex::new(HashMap::new()),
            live_manifest: live_manifest.filter(|_| update),
            spare_manifest,
            written: AtomicUsize::new(0),
            unchanged: AtomicUsize::new(0),
            temps: AtomicUsize::new(0),
            _lock: lock,
        })
    }

    /// Removes from the spare what the build did not make, mirrors into it what the live
    /// folder has and the build does not own (hidden files such as `.git`), and switches
    /// it in in one step. The old live folder becomes the spare: nothing is deleted whole.
    pub fn finish(mut self) -> Result<WriteStats> {
        let produced = std::mem::take(&mut *lock(&self.produced));
        let ownership = Ownership::new(&produced);
        match self.spare_manifest.take() {
            Some(was) => self.prune_spare_by(&was, &ownership)?,
            None => self.prune_spare(&ownership)?,
        }
        let (removed, foreign) = match (&self.live_manifest, self.update) {
            (_, false) => (0, Vec::new()),
            (Some(was), true) => self.mirror_live_by(was, &ownership)?,
            (None, true) => self.mirror_from(&self.siblings.live, &ownership)?,
        };
        // The folder keeps its mode (a web server's group may need to read it).
        if let Ok(m) = std::fs::metadata(&self.siblings.live) {
            let _ = std::fs::set_permissions(&self.siblings.spare, m.permissions());
        }
        self.save_manifest(&produced, &ownership, foreign)?;
        swap::switch(&self.siblings)?;
        Ok(WriteStats {
            written: self.written.load(Ordering::Relaxed),
            unchanged: self.unchanged.load(Ordering::Relaxed),
            removed,
        })
    }

    /// Writes the manifest of the new site (the spare, about to be switched in), once
    /// nothing in it will change. A file without a stamp means no manifest.
    fn save_manifest(
        &self,
        produced: &HashMap<String, Option<Entry>>,
        own: &Ownership<'_>,
        foreign: Vec<Box<str>>,
    ) -> Result<()> {
        let spare = &self.siblings.spare;
        let mut m = Manifest {
            foreign,
            ..Manifest::default()
        };
        m.files.reserve(produced.len());
        for (path, entry) in produced {
            let Some(entry) = entry else { return Ok(()) };
            m.files.insert(path.as_str().into(), *entry);
        }
        for dir in &own.dirs {
            let stamp = std::fs::symlink_metadata(spare.join(dir))
                .ok()
                .and_then(|m| Stamp::of(&m));
            let Some(stamp) = stamp else { return Ok(()) };
            m.dirs.insert((*dir).into(), stamp);
        }
        m.save(&self.siblings.parent, &self.siblings.prefix, spare)
    }

    /// [`SiteWriter::prune_spare`] when the spare's manifest says what it holds: its
    /// files and folders the build did not make are removed by name, and only the top
    /// folder is read (for what a killed build or someone else left there).
    fn prune_spare_by(&self, was: &Manifest, own: &Ownership<'_>) -> Result<()> {
        let spare = &self.siblings.spare;
        let gone = |e: std::io::Error| e.kind() == ErrorKind::NotFound;
        for path in was.files.keys() {
            let path: &str = path;
            if own.files.contains(path) || own.dirs.contains(path) {
                continue;
            }
            let at = spare.join(path);
            if let Err(e) = std::fs::remove_file(&at) {
                if !gone(e) {
                    // Something else is there now (a folder a killed build made): let
                    // the walk below see to it.
                    return self.prune_spare(own);
                }
            }
        }
        let mut dirs: Vec<&str> = was
            .dirs
            .keys()
            .map(|d| &**d)
            .filter(|d| !own.dirs.contains(d) && !own.files.contains(*d))
            .collect();
        dirs.sort_unstable_by_key(|d| std::cmp::Reverse(d.len()));
        for dir in dirs {
            let at = spare.join(dir);
            if std::fs::symlink_metadata(&at).is_ok_and(|m| m.is_dir()) {
                swap::remove_tree(&at)
                    .with_context(|| format!("cannot remove {}", at.display()))?;
            }
        }
        for path in &was.foreign {
            self.prune_entry(path, own)?;
        }
        // The top folder: anything not known is judged as the walk would.
        let entries =
            std::fs::read_dir(spare).with_context(|| format!("cannot read {}", spare.display()))?;
        for entry in entries {
            let entry = entry.with_context(|| format!("cannot read {}", spare.display()))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            self.prune_entry(&name, own)?;
        }
        Ok(())
    }

    /// Removes the spare's entry at `rel` (and all in it) unless it is the build's or
    /// someone's own entry the live folder still has: the rule of
    /// [`SiteWriter::prune_spare`] for one entry.
    fn prune_entry(&self, rel: &str, own: &Ownership<'_>) -> Result<()> {
        let at = self.siblings.spare.join(rel);
        let Ok(m) = std::fs::symlink_metadata(&at) else {
            return Ok(());
        };
        let ours = own.ours(rel);
        let keep = if ours {
            if m.is_dir() {
                own.dirs.contains(rel)
            } else {
                m.is_file() && own.files.contains(rel)
            }
        } else {
            std::fs::symlink_metadata(self.siblings.live.join(rel))
                .is_ok_and(|l| l.is_dir() == m.is_dir())
        };
        if keep && ours {
            // A folder of the build's: its files are pruned by name.
            return Ok(());
        }
        if keep {
            // Someone's folder the live one has: it follows the live one, entry by entry.
            return if m.is_dir() {
                self.prune_walk(&at, own)
            } else {
                Ok(())
            };
        }
        let removed = if m.is_dir() {
            swap::remove_tree(&at)
        } else {
            std::fs::remove_file(&at).map_err(Into::into)
        };
        removed.with_context(|| format!("cannot remove {}", at.display()))
    }

    /// [`SiteWriter::mirror_from`] the live folder's top when its manifest says what the
    /// rest holds: the live folder is read only at its top, in folders whose stamp changed
    /// since the last build (someone added or removed something there), and in the
    /// entries not the build's that the manifest lists; the rest is known.
    fn mirror_live_by(
        &self,
        was: &Manifest,
        own: &Ownership<'_>,
    ) -> Result<(usize, Vec<Box<str>>)> {
        let live = &self.siblings.live;
        let mut removed = 0;
        let mut foreign = Vec::new();
        let mut starts: Vec<PathBuf> = Vec::new();
        // What the last build made and this one does not: removed, or kept when hidden.
        for path in was.files.keys() {
            if own.files.contains(&**path) {
                continue;
            }
            if own.ours(path) {
                removed += 1;
            } else {
                starts.push(live.join(&**path));
            }
        }
        for path in was.dirs.keys() {
            if !own.dirs.contains(&**path) && !own.ours(path) {
                starts.push(live.join(&**path));
            }
        }
        starts.extend(was.foreign.iter().map(|p| live.join(&**p)));
        // Folders someone changed, and the top: every entry not known is looked at.
        let mut read = vec![live.clone()];
        for (dir, stamp) in &was.dirs {
            let now = std::fs::symlink_metadata(live.join(&**dir))
                .ok()
                .filter(std::fs::Metadata::is_dir)
                .and_then(|m| Stamp::of(&m));
            if now.is_some_and(|now| now != *stamp) {
                read.push(live.join(&**dir));
            }
        }
        for dir in read {
            let entries = std::fs::read_dir(&dir)
                .with_context(|| format!("cannot read {}", dir.display()))?;
            for entry in entries {
                let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
                let rel = relative(&entry.path(), live);
                let known = was.files.contains_key(rel.as_str())
                    || was.dirs.contains_key(rel.as_str())
                    || was.foreign.iter().any(|f| **f == *rel);
                if !known {
                    starts.push(entry.path());
                }
            }
        }
        starts.sort();
        starts.dedup();
        for start in starts {
            if std::fs::symlink_metadata(&start).is_err() {
                continue;
            }
            let (r, f) = self.mirror_from(&start, own)?;
            removed += r;
            foreign.extend(f);
        }
        // A subtree reached from two starts (a file and its folder) is listed once.
        foreign.sort_unstable();
        foreign.dedup();
        Ok((removed, foreign))
    }

    /// Removes every entry of the spare that is neither a file this build made (nor one of
    /// their folders) nor someone's own entry the live folder still has: the pages of one
    /// build ago the site no longer has, and whatever a killed build left half done.
    fn prune_spare(&self, own: &Ownership<'_>) -> Result<()> {
        self.prune_walk(&self.siblings.spare, own)
    }

    /// [`SiteWriter::prune_spare`] for what is inside the spare's folder `start`.
    fn prune_walk(&self, start: &Path, own: &Ownership<'_>) -> Result<()> {
        let spare = &self.siblings.spare;
        let mut walk = walkdir::WalkDir::new(start).min_depth(1).into_iter();
        while let Some(entry) = walk.next() {
            let entry = entry.with_context(|| format!("cannot read {}", spare.display()))?;
            let rel = relative(entry.path(), spare);
            let kind = entry.file_type();
            let keep = if own.ours(&rel) {
                if kind.is_dir() {
                    own.dirs.contains(rel.as_str())
                } else {
                    kind.is_file() && own.files.contains(rel.as_str())
                }
            } else {
                // Kept while the live folder has an entry of the same kind there.
                std::fs::symlink_metadata(self.siblings.live.join(&rel))
                    .is_ok_and(|m| m.is_dir() == kind.is_dir())
            };
            if keep {
                continue;
            }
            let removed = if kind.is_dir() {
                walk.skip_current_dir();
                swap::remove_tree(entry.path())
            } else {
                std::fs::remove_file(entry.path()).map_err(Into::into)
            };
            removed.with_context(|| format!("cannot remove {}", entry.path().display()))?;
        }
        Ok(())
    }

    /// Puts in the spare, as links, every entry of the live folder (from `start`, the
    /// whole live folder or one entry in it) that is not the build's: hidden files and
    /// folders it did not make (a `.git` of a deploy branch checked out in the output
    /// folder, say, is someone's work). Returns how many of the live folder's own files
    /// the new site no longer has, and the first entry of each such subtree below the
    /// top, for the manifest.
    fn mirror_from(&self, start: &Path, own: &Ownership<'_>) -> Result<(usize, Vec<Box<str>>)> {
        let live = &self.siblings.live;
        let mut removed = 0;
        let mut foreign = Vec::new();
        let depth = usize::from(start == live.as_path());
        let mut walk = walkdir::WalkDir::new(start).min_depth(depth).into_iter();
        while let Some(entry) = walk.next() {
            let entry = entry.with_context(|| format!("cannot read {}", start.display()))?;
            let rel = relative(entry.path(), live);
            let kind = entry.file_type();
            if own.ours(&rel) {
                if !kind.is_dir() && !own.files.contains(rel.as_str()) {
                    removed += 1;
                }
                continue;
            }
            if let Some((parent, _)) = rel.rsplit_once('/') {
                if own.ours(parent) {
                    foreign.push(rel.as_str().into());
                }
            }
            let to = self.siblings.spare.join(&rel);
            if let Some(dir) = to.parent() {
                match dir.symlink_metadata() {
                    Ok(m) if m.is_dir() => {}
                    // The site now has a file where this entry's folder was: the site
                    // wins, as it did when files were moved into the live folder one by one.
                    Ok(_) => {
                        walk.skip_current_dir();
                        continue;
                    }
                    Err(_) => std::fs::create_dir_all(dir)
                        .with_context(|| format!("cannot create the folder {}", dir.display()))?,
                }
            }
            let kept = if kind.is_dir() {
                mirror_dir(entry.path(), &to)
            } else {
                std::fs::symlink_metadata(entry.path())
                    .map_err(Into::into)
                    .and_then(|m| self.link_into_spare(entry.path(), &m, &to, kind.is_symlink()))
            };
            kept.with_context(|| {
                format!("cannot keep {} in the new site", entry.path().display())
            })?;
        }
        Ok((removed, foreign))
    }

    /// Makes `dir` (inside the spare) a real folder, and its parents: a file or a link of
    /// one build ago at its path is removed, never followed.
    fn ensure_dir(&self, dir: &Path) -> Result<()> {
        if dir == self.siblings.spare || lock(&self.made_dirs).contains(dir) {
            return Ok(());
        }
        if let Some(parent) = dir.parent() {
            self.ensure_dir(parent)?;
        }
        let cannot = || format!("cannot create the folder {}", dir.display());
        // Another worker may be making the same folder: a few rounds settle it.
        for _ in 0..4 {
            match std::fs::symlink_metadata(dir) {
                Ok(m) if m.is_dir() => {
                    lock(&self.made_dirs).insert(dir.to_path_buf());
                    return Ok(());
                }
                Ok(_) => match std::fs::remove_file(dir) {
                    Err(e) if e.kind() != ErrorKind::NotFound => {
                        return Err(e).with_context(cannot)
                    }
                    _ => {}
                },
                Err(e) if e.kind() == ErrorKind::NotFound => match std::fs::create_dir(dir) {
                    Err(e) if e.kind() != ErrorKind::AlreadyExists => {
                        return Err(e).with_context(cannot)
                    }
                    _ => {}
                },
                Err(e) => return Err(e).with_context(cannot),
            }
        }
        anyhow::bail!("{}: it keeps changing", cannot())
    }

    /// Counts `path` written or unchanged; then records it as made, with its hash and
    /// where it lies (`file`, its metadata) for the next build's manifest.
    fn record(&self, path: String, written: bool, hash: u128, file: &std::fs::Metadata) {
        if written {
            self.written.fetch_add(1, Ordering::Relaxed);
        } else {
            self.unchanged.fetch_add(1, Ordering::Relaxed);
        }
        let entry = Stamp::of(file).map(|stamp| Entry {
            hash,
            len: file.len(),
            stamp,
        });
        lock(&self.produced).insert(path, entry);
    }

    /// The live file at `rel` when it has the bytes hashed `hash` (of length `len`)
    /// already, and its metadata. Asks the manifest first: a file the last build wrote
    /// with this hash, still where it put it, is not read; one with another hash, or a
    /// path the last build did not write, is new, and nothing is read either. Without a
    /// manifest, or for a file changed behind its back, the bytes are compared (`read`).
    fn unchanged_live(
        &self,
        rel: &str,
        hash: u128,
        len: u64,
        read: impl FnOnce() -> Option<std::fs::Metadata>,
    ) -> Option<std::fs::Metadata> {
        if !self.update {
            return None;
        }
        let Some(manifest) = &self.live_manifest else {
            return read();
        };
        // Not written by the last build: a new page (or one put there by hand, which the
        // build replaces all the same).
        let entry = manifest.files.get(rel)?;
        if entry.hash != hash || entry.len != len {
            return None;
        }
        let m = std::fs::symlink_metadata(self.siblings.live.join(rel)).ok()?;
        if m.is_file() && m.len() == len && Stamp::of(&m) == Some(entry.stamp) {
            Some(m)
        } else {
            // Changed behind the manifest's back: look at the bytes.
            read()
        }
    }

    /// The live file at `rel` when it has exactly these bytes already.
    ///
    /// One open, then the length from the open file: a rebuild asks this of every page,
    /// and looking the path up twice (a `stat`, then the open) was a tenth of its time.
    fn already_there(&self, rel: &str, bytes: &[u8]) -> Option<std::fs::Metadata> {
        let mut file = open_no_follow(&self.siblings.live.join(rel)).ok()?;
        let m = file.metadata().ok()?;
        if !m.is_file() || m.len() != bytes.len() as u64 {
            return None;
        }
        let mut old = vec![0u8; bytes.len()];
        (file.read_exact(&mut old).is_ok() && old == bytes).then_some(m)
    }

    /// The spare's path for `rel`, its folder made.
    fn spare_path(&self, rel: &str) -> Result<PathBuf> {
        let to = self.siblings.spare.join(rel);
        if let Some(dir) = to.parent() {
            self.ensure_dir(dir)?;
        }
        Ok(to)
    }

    /// A new, unused temporary file beside `to`.
    fn temp_file(&self, to: &Path) -> Result<(PathBuf, std::fs::File)> {
        loop {
            let tmp = self.temp_name(to);
            match std::fs::File::options()
                .write(true)
                .create_new(true)
                .open(&tmp)
            {
                Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
                other => {
                    return Ok((
                        tmp,
                        other.with_context(|| format!("cannot write {}", to.display()))?,
                    ))
                }
            }
        }
    }

    fn temp_name(&self, to: &Path) -> PathBuf {
        let n = self.temps.fetch_add(1, Ordering::Relaxed);
        let name = to
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        to.with_file_name(format!("{name}.{n}{TEMP_SUFFIX}"))
    }

    /// Makes the spare's `to` the live file `from` itself: a hard link, so the new site
    /// keeps its inode and times and it costs no space; a copy with the same modification
    /// time where links are not possible (FAT, some network file systems). Nothing when
    /// `to` is that file already, as it is for every file unchanged over two builds.
    fn link_into_spare(
        &self,
        from: &Path,
        live: &std::fs::Metadata,
        to: &Path,
        symlink: bool,
    ) -> Result<()> {
        if std::fs::symlink_metadata(to).is_ok_and(|m| same_file(live, &m)) {
            return Ok(());
        }
        // Nothing there (the first build after a spare was made): one link, done.
        match std::fs::hard_link(from, to) {
            Ok(()) => return Ok(()),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
            Err(_) => {}
        }
        let tmp = loop {
            let tmp = self.temp_name(to);
            match std::fs::hard_link(from, &tmp) {
                Ok(()) => break tmp,
                Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
                Err(_) => {
                    copy_keeping_time(from, &tmp, symlink)?;
                    break tmp;
                }
            }
        };
        replace(&tmp, to)
    }
}

impl Sink for SiteWriter {
    /// Links the live file into the spare when it has these bytes already (same inode,
    /// same times, no bytes written); otherwise writes them to a new file there.
    fn put(&self, path: String, bytes: Vec<u8>) -> Result<()> {
        let hash = manifest::hash(&bytes);
        let to = self.spare_path(&path)?;
        let live = self.unchanged_live(&path, hash, bytes.len() as u64, || {
            self.already_there(&path, &bytes)
        });
        let cannot = || format!("cannot write {}", to.display());
        let made = if let Some(live) = live {
            self.link_into_spare(&self.siblings.live.join(&path), &live, &to, false)?;
            self.record(path, false, hash, &live);
            return Ok(());
        } else if let Ok(mut file) = std::fs::File::options()
            .write(true)
            .create_new(true)
            .open(&to)
        {
            // Nothing at this address in the spare (a first build, or a new page):
            // write it in place. `create_new` never opens an existing file or follows a
            // link, and a file cut short by a kill is in the spare, not the live site,
            // and is rewritten by the next build (it has other bytes than the live one).
            // This saves a rename per file: a fresh build of 5,000 groups makes 32,000.
            match file.write_all(&bytes).and_then(|()| file.metadata()) {
                Ok(m) => m,
                Err(e) => {
                    drop(file);
                    let _ = std::fs::remove_file(&to);
                    return Err(e).with_context(cannot);
                }
            }
        } else {
            let (tmp, mut file) = self.temp_file(&to)?;
            let wrote = file.write_all(&bytes).and_then(|()| file.metadata());
            drop(file);
            match wrote {
                Ok(m) => {
                    replace(&tmp, &to)?;
                    m
                }
                Err(e) => {
                    let _ = std::fs::remove_file(&tmp);
                    return Err(e).with_context(cannot);
                }
            }
        };
        self.record(path, true, hash, &made);
        Ok(())
    }

    /// Streams the file to a new file in the spare, then compares it with the live one
    /// (by the manifest, or byte by byte) and links the live one instead when the bytes
    /// are the same.
    fn put_streamed(&self, path: String, write: WriteFn<'_>) -> Result<()> {
        let to = self.spare_path(&path)?;
        let (tmp, file) = self.temp_file(&to)?;
        let mut w = manifest::Hashing {
            inner: BufWriter::with_capacity(1 << 16, file),
            state: xxhash_rust::xxh3::Xxh3::new(),
            len: 0,
        };
        let wrote = write(&mut w).and_then(|()| {
            w.inner
                .into_inner()
                .map_err(|e| e.into_error())
                .and_then(|f| f.metadata())
                .with_context(|| format!("cannot write {}", to.display()))
        });
        let made = match wrote {
            Ok(m) => m,
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                return Err(e);
            }
        };
        let hash = w.state.digest128();
        let from = self.siblings.live.join(&path);
        let live = self.unchanged_live(&path, hash, w.len, || {
            same_files(&tmp, &from)
                .then(|| std::fs::symlink_metadata(&from).ok())
                .flatten()
        });
        if let Some(live) = live {
            let _ = std::fs::remove_file(&tmp);
            self.link_into_spare(&from, &live, &to, false)?;
            self.record(path, false, hash, &live);
        } else {
            replace(&tmp, &to)?;
            self.record(path, true, hash, &made);
        }
        Ok(())
    }
}

/// Which paths are the build's: the files it made and their folders. A path is the
/// build's unless one of its parts is hidden and not made by it.
struct Ownership<'a> {
    files: HashSet<&'a str>,
    dirs: HashSet<&'a str>,
}

impl<'a> Ownership<'a> {
    fn new<V>(produced: &'a HashMap<String, V>) -> Ownership<'a> {
        let files: HashSet<&str> = produced.keys().map(String::as_str).collect();
        let mut dirs: HashSet<&str> = HashSet::new();
        for p in &files {
            let mut rest: &str = p;
            while let Some(i) = rest.rfind('/') {
                rest = &rest[..i];
                if !dirs.insert(rest) {
                    break;
                }
            }
        }
        Ownership { files, dirs }
    }

    fn ours(&self, rel: &str) -> bool {
        let mut end = 0;
        rel.split('/').all(|part| {
            end += part.len();
            let prefix = &rel[..end];
            end += 1;
            !part.starts_with('.') || self.files.contains(prefix) || self.dirs.contains(prefix)
        })
    }
}

/// Renames the finished `tmp` over `to`, which may be a file (never written through: it
/// may be a link to the live site's file) or a folder of one build ago, removed first.
fn replace(tmp: &Path, to: &Path) -> Result<()> {
    let renamed = std::fs::rename(tmp, to).or_else(|e| {
        if std::fs::symlink_metadata(to).is_ok_and(|m| m.is_dir()) {
            swap::remove_tree(to)?;
            std::fs::rename(tmp, to)?;
            Ok(())
        } else {
            Err(anyhow::Error::from(e))
        }
    });
    if renamed.is_err() {
        let _ = std::fs::remove_file(tmp);
    }
    renamed.with_context(|| format!("cannot write {}", to.display()))
}

/// Makes `to` (in the spare) a real folder with the mode of the live folder `from`.
fn mirror_dir(from: &Path, to: &Path) -> Result<()> {
    match std::fs::symlink_metadata(to) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            std::fs::remove_file(to)?;
            std::fs::create_dir(to)?;
        }
        Err(_) => std::fs::create_dir(to)?,
    }
    if let Ok(m) = std::fs::symlink_metadata(from) {
        let _ = std::fs::set_permissions(to, m.permissions());
    }
    Ok(())
}

/// Copies `from` to the new path `to` where hard links are not possible, keeping its
/// modification time; a symbolic link is made again pointing to the same place.
fn copy_keeping_time(from: &Path, to: &Path, symlink: bool) -> Result<()> {
    #[cfg(unix)]
    if symlink {
        std::os::unix::fs::symlink(std::fs::read_link(from)?, to)
            .with_context(|| format!("cannot write {}", to.display()))?;
        return Ok(());
    }
    let _ = symlink;
    std::fs::copy(from, to).with_context(|| format!("cannot write {}", to.display()))?;
    if let Ok(modified) = std::fs::metadata(from).and_then(|m| m.modified()) {
        let _ = std::fs::File::options()
            .write(true)
            .open(to)
            .and_then(|f| f.set_modified(modified));
    }
    Ok(())
}

/// True when two entries are the same file (inode), so the spare already holds the live one.
#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    a.dev() == b.dev() && a.ino() == b.ino()
}

/// Without inode numbers: the same kind, length and modification time.
#[cfg(not(unix))]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    a.file_type() == b.file_type()
        && a.len() == b.len()
        && a.modified()
            .ok()
            .is_some_and(|t| b.modified().ok() == Some(t))
}

/// Opens a file for reading without following a symbolic link at its last part: a link
/// in the live folder is not a page of the site, whatever it points to.
fn open_no_follow(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::File::options();
    options.read(true);
    #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    }
    options.open(path)
}

/// True when both files exist with the same bytes (read a piece at a time).
fn same_files(a: &Path, b: &Path) -> bool {
    let (Ok(mut fa), Ok(mut fb)) = (open_no_follow(a), open_no_follow(b)) else {
        return false;
    };
    let (Ok(ma), Ok(mb)) = (fa.metadata(), fb.metadata()) else {
        return false;
    };
    if !mb.is_file() || ma.len() != mb.len() {
        return false;
    }
    let (mut ba, mut bb) = (vec![0u8; 1 << 16], vec![0u8; 1 << 16]);
    loop {
        let n = match fa.read(&mut ba) {
            Ok(n) => n,
            Err(_) => return false,
        };
        if n == 0 {
            return true;
        }
        if fb.read_exact(&mut bb[..n]).is_err() || ba[..n] != bb[..n] {
            return false;
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// True for a character no XML 1.0 file may contain, even escaped: the C0 controls but
/// tab, line feed and carriage return, and U+FFFE and U+FFFF. (Lone surrogates, the
/// rest of the rule, cannot be in a Rust `str`.) Every escape that writes XML, SVG or
/// HTML replaces them.
pub fn not_xml(c: char) -> bool {
    matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

/// `path` relative to `root` as a site path: `/`-separated on every system.
pub fn relative(path: &Path, root: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> Output {
        let mut o = Output::default();
        for (p, b) in files {
            o.add(*p, *b);
        }
        o
    }

    fn read(dir: &Path, rel: &str) -> Option<String> {
        std::fs::read_to_string(dir.join(rel)).ok()
    }

    /// The names in `dir`, sorted, but the manifests (tested apart).
    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.contains(".aidmap-manifest-"))
            .collect();
        names.sort();
        names
    }

    const LIVE_AND_SPARE: [&str; 2] = [".public.aidmap-spare", "public"];

    #[test]
    fn a_rebuild_writes_only_what_changed_and_removes_what_went() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let first = site(&[
            ("index.html", "home"),
            ("groups/a/index.html", "a"),
            ("groups/b/index.html", "b"),
            ("groups/b/leaflet/index.html", "b leaflet"),
        ]);
        let stats = first.write_to(&out).unwrap();
        assert_eq!((stats.written, stats.unchanged, stats.removed), (4, 0, 0));
        let a_time = std::fs::metadata(out.join("groups/a/index.html"))
            .unwrap()
            .modified()
            .unwrap();

        // b goes, c comes, the home page changes, a stays as it was.
        std::thread::sleep(std::time::Duration::from_millis(20));
        let second = site(&[
            ("index.html", "home, new"),
            ("groups/a/index.html", "a"),
            ("groups/c/index.html", "c"),
        ]);
        let stats = second.write_to(&out).unwrap();
        assert_eq!((stats.written, stats.unchanged, stats.removed), (2, 1, 2));
        assert_eq!(read(&out, "index.html").as_deref(), Some("home, new"));
        assert_eq!(read(&out, "groups/c/index.html").as_deref(), Some("c"));
        assert!(!out.join("groups/b").exists(), "b's folder is gone");
        let a_after = std::fs::metadata(out.join("groups/a/index.html"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(a_time, a_after, "an unchanged file is not rewritten");
        assert_eq!(
            names(tmp.path()),
            LIVE_AND_SPARE,
            "only the spare beside it"
        );
    }

    /// Rewrites a live file's bytes in place (same inode, same length), its time put back.
    #[cfg(unix)]
    fn rewrite_in_place(path: &Path, text: &str) {
        let time = std::fs::metadata(path).unwrap().modified().unwrap();
        let mut f = std::fs::File::options().write(true).open(path).unwrap();
        f.write_all(text.as_bytes()).unwrap();
        f.set_modified(time).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_rebuild_trusts_the_manifest_and_reads_no_page_it_vouches_for() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let pages = site(&[("a.html", "aaaa"), ("b.html", "bbbb"), ("c.html", "cccc")]);
        pages.write_to(&out).unwrap();
        let manifests = || -> Vec<PathBuf> {
            std::fs::read_dir(tmp.path())
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.to_string_lossy().contains(".aidmap-manifest-"))
                .collect()
        };
        assert_eq!(manifests().len(), 1, "the live folder's manifest");
        // Behind the manifest's back: a.html's bytes changed in place with its length and
        // time put back (not noticed, so not read: it stays as it is), b.html replaced by
        // a new file (another inode: compared byte by byte and put right), c.html deleted.
        rewrite_in_place(&out.join("a.html"), "AAAA");
        std::fs::remove_file(out.join("b.html")).unwrap();
        std::fs::write(out.join("b.html"), "BBBB").unwrap();
        std::fs::remove_file(out.join("c.html")).unwrap();
        let stats = pages.write_to(&out).unwrap();
        assert_eq!((stats.written, stats.unchanged), (2, 1));
        assert_eq!(read(&out, "a.html").as_deref(), Some("AAAA"), "never read");
        assert_eq!(read(&out, "b.html").as_deref(), Some("bbbb"));
        assert_eq!(read(&out, "c.html").as_deref(), Some("cccc"));
        assert_eq!(manifests().len(), 2, "one for each folder");
        // With the manifests deleted every live file is compared by its bytes again.
        rewrite_in_place(&out.join("a.html"), "AAAA");
        manifests()
            .iter()
            .for_each(|m| std::fs::remove_file(m).unwrap());
        let stats = pages.write_to(&out).unwrap();
        assert_eq!((stats.written, stats.unchanged), (1, 2));
        assert_eq!(read(&out, "a.html").as_deref(), Some("aaaa"));
    }

    #[test]
    fn files_added_by_hand_follow_the_rules_with_a_manifest_too() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let pages = site(&[("index.html", "home"), ("groups/a/index.html", "a")]);
        pages.write_to(&out).unwrap();
        pages.write_to(&out).unwrap();
        // A page and a hidden file put deep in the live folder by hand.
        std::fs::write(out.join("groups/extra.html"), "by hand").unwrap();
        std::fs::write(out.join("groups/a/.keep"), "hidden").unwrap();
        for _ in 0..4 {
            let stats = pages.write_to(&out).unwrap();
            assert!(stats.removed <= 1);
            assert!(
                !out.join("groups/extra.html").exists(),
                "not the build's: gone"
            );
            assert_eq!(read(&out, "groups/a/.keep").as_deref(), Some("hidden"));
        }
        std::fs::remove_file(out.join("groups/a/.keep")).unwrap();
        for _ in 0..2 {
            pages.write_to(&out).unwrap();
            assert!(
                !out.join("groups/a/.keep").exists(),
                "removed by hand: stays gone"
            );
        }
        // A page the site no longer makes goes from both folders, by name.
        let fewer = site(&[("index.html", "home")]);
        fewer.write_to(&out).unwrap();
        fewer.write_to(&out).unwrap();
        assert!(!out.join("groups").exists());
        assert!(!tmp.path().join(".public.aidmap-spare/groups").exists());
    }

    #[test]
    fn a_streamed_file_is_written_only_when_its_bytes_changed() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let stream = |text: &'static str| {
            let writer = SiteWriter::new(&out).unwrap();
            writer
                .put_streamed("data/big.json".into(), &mut |w| {
                    for piece in text.split_inclusive(',') {
                        w.write_all(piece.as_bytes())?;
                    }
                    Ok(())
                })
                .unwrap();
            writer.finish().unwrap()
        };
        let stats = stream("[1,2,3]");
        assert_eq!((stats.written, stats.unchanged), (1, 0));
        let stats = stream("[1,2,3]");
        assert_eq!((stats.written, stats.unchanged), (0, 1));
        let stats = stream("[1,2,4]");
        assert_eq!((stats.written, stats.unchanged), (1, 0));
        assert_eq!(read(&out, "data/big.json").as_deref(), Some("[1,2,4]"));
        // Kept in memory, the pieces make the same file.
        let memory = Mutex::new(Output::default());
        memory
            .put_streamed("a".into(), &mut |w| Ok(w.write_all(b"x,y")?))
            .unwrap();
        assert_eq!(lock(&memory).get("a"), Some(&b"x,y"[..]));
    }

    #[test]
    fn hidden_files_the_build_did_not_make_are_left_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        site(&[("index.html", "home"), (".well-known/security.txt", "x")])
            .write_to(&out)
            .unwrap();
        std::fs::create_dir_all(out.join(".git/refs")).unwrap();
        std::fs::write(out.join(".git/HEAD"), "ref: refs/heads/gh-pages").unwrap();
        std::fs::write(out.join(".nojekyll"), "").unwrap();
        let stats = site(&[("index.html", "home, new"), ("old.html", "x")])
            .write_to(&out)
            .unwrap();
        assert_eq!(stats.removed, 0);
        let stats = site(&[("index.html", "home, new")]).write_to(&out).unwrap();
        assert_eq!(stats.removed, 1, "only the page the build no longer makes");
        assert!(out.join(".git/HEAD").is_file() && out.join(".git/refs").is_dir());
        assert!(out.join(".nojekyll").is_file());
        // Hidden, so left even though an earlier build made it: aidmap cannot tell.
        assert!(out.join(".well-known/security.txt").is_file());
    }

    #[test]
    fn hidden_files_follow_the_live_folder_not_the_spare() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let home = site(&[("index.html", "home")]);
        home.write_to(&out).unwrap();
        std::fs::create_dir_all(out.join(".git")).unwrap();
        std::fs::write(out.join(".git/HEAD"), "one").unwrap();
        std::fs::write(out.join(".git/gone"), "x").unwrap();
        home.write_to(&out).unwrap();
        home.write_to(&out).unwrap();
        // The spare now has .git too; the live one changes under it (a commit, say).
        std::fs::remove_file(out.join(".git/gone")).unwrap();
        std::fs::remove_file(out.join(".git/HEAD")).unwrap();
        std::fs::write(out.join(".git/HEAD"), "two").unwrap();
        std::fs::create_dir_all(out.join(".git/refs")).unwrap();
        home.write_to(&out).unwrap();
        assert_eq!(read(&out, ".git/HEAD").as_deref(), Some("two"));
        assert!(
            !out.join(".git/gone").exists(),
            "gone from the live folder, so gone"
        );
        assert!(out.join(".git/refs").is_dir());
        // Removed from the live folder: not brought back from the spare.
        std::fs::remove_dir_all(out.join(".git")).unwrap();
        home.write_to(&out).unwrap();
        assert!(!out.join(".git").exists());
    }

    #[test]
    fn a_file_may_become_a_folder_and_back() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        site(&[("x", "file")]).write_to(&out).unwrap();
        site(&[("x/index.html", "in a folder")])
            .write_to(&out)
            .unwrap();
        assert_eq!(read(&out, "x/index.html").as_deref(), Some("in a folder"));
        site(&[("x", "file again")]).write_to(&out).unwrap();
        assert_eq!(read(&out, "x").as_deref(), Some("file again"));
    }

    #[test]
    fn a_build_that_stops_leaves_the_previous_site_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        site(&[("index.html", "old")]).write_to(&out).unwrap();
        {
            let writer = SiteWriter::new(&out).unwrap();
            writer.put("index.html".into(), b"new".to_vec()).unwrap();
            writer.put("more.html".into(), b"more".to_vec()).unwrap();
            // Dropped without finish, as when rendering fails half way.
        }
        assert_eq!(read(&out, "index.html").as_deref(), Some("old"));
        assert!(!out.join("more.html").exists());
        assert_eq!(names(tmp.path()), LIVE_AND_SPARE);
        // The next build tidies the half-updated spare.
        site(&[("index.html", "next")]).write_to(&out).unwrap();
        assert_eq!(names(&out), ["index.html"]);
    }

    #[test]
    fn a_second_build_into_the_same_folder_is_refused_while_one_runs() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        site(&[("index.html", "old")]).write_to(&out).unwrap();
        let first = SiteWriter::new(&out).unwrap();
        first.put("index.html".into(), b"first".to_vec()).unwrap();
        let second = SiteWriter::new(&out).unwrap_err().to_string();
        assert!(
            second.contains("another aidmap build is writing"),
            "{second}"
        );
        // The refused build touched nothing of the first one's.
        first.finish().unwrap();
        assert_eq!(read(&out, "index.html").as_deref(), Some("first"));
        assert_eq!(names(tmp.path()), LIVE_AND_SPARE);
        site(&[("index.html", "third")]).write_to(&out).unwrap();
        assert_eq!(read(&out, "index.html").as_deref(), Some("third"));
    }

    #[test]
    fn what_a_killed_build_left_is_put_back_or_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let beside = |name: &str| tmp.path().join(name);
        // Killed between the fallback's two renames: only the old folder holds the site.
        std::fs::create_dir_all(beside(".public.aidmap-old")).unwrap();
        std::fs::write(beside(".public.aidmap-old/index.html"), "old").unwrap();
        std::fs::create_dir_all(beside(".public.aidmap-next/half")).unwrap();
        std::fs::create_dir_all(beside(".public.aidmap-new-4242/groups")).unwrap();
        std::fs::write(beside(".public.aidmap-lock"), "").unwrap();
        std::fs::write(beside(".other.aidmap-next"), "another folder's").unwrap();
        let writer = SiteWriter::new(&out).unwrap();
        assert_eq!(read(&out, "index.html").as_deref(), Some("old"), "put back");
        writer.put("index.html".into(), b"old".to_vec()).unwrap();
        let stats = writer.finish().unwrap();
        assert_eq!((stats.written, stats.unchanged), (0, 1));
        assert_eq!(
            names(tmp.path()),
            [".other.aidmap-next", ".public.aidmap-spare", "public"]
        );
    }

    #[test]
    fn an_old_folder_beside_a_live_one_becomes_the_spare() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        // Killed before the fallback's last rename: the new site is live.
        site(&[("index.html", "old")]).write_to(&out).unwrap();
        site(&[("index.html", "new")]).write_to(&out).unwrap();
        std::fs::rename(
            tmp.path().join(".public.aidmap-spare"),
            tmp.path().join(".public.aidmap-old"),
        )
        .unwrap();
        site(&[("index.html", "newer")]).write_to(&out).unwrap();
        assert_eq!(read(&out, "index.html").as_deref(), Some("newer"));
        assert_eq!(names(tmp.path()), LIVE_AND_SPARE);
    }

    #[test]
    fn whatever_a_killed_build_left_in_the_spare_is_tidied() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let spare = tmp.path().join(".public.aidmap-spare");
        site(&[("index.html", "home"), ("a/index.html", "a")])
            .write_to(&out)
            .unwrap();
        site(&[("index.html", "home"), ("a/index.html", "a")])
            .write_to(&out)
            .unwrap();
        // A half-written file, a page of no build, a folder where a page goes, a link.
        std::fs::write(spare.join("index.html.7.aidmap-tmp"), "half").unwrap();
        std::fs::write(spare.join("a/.index.html.8.aidmap-tmp"), "half").unwrap();
        std::fs::write(spare.join("stray.html"), "stray").unwrap();
        std::fs::remove_file(spare.join("a/index.html")).unwrap();
        std::fs::create_dir_all(spare.join("a/index.html/x")).unwrap();
        #[cfg(unix)]
        {
            std::fs::remove_file(spare.join("index.html")).unwrap();
            std::os::unix::fs::symlink("/etc/passwd", spare.join("index.html")).unwrap();
        }
        let stats = site(&[("index.html", "home"), ("a/index.html", "a")])
            .write_to(&out)
            .unwrap();
        assert_eq!((stats.written, stats.unchanged, stats.removed), (0, 2, 0));
        let files: Vec<String> = walkdir::WalkDir::new(&out)
            .min_depth(1)
            .into_iter()
            .map(|e| relative(e.unwrap().path(), &out))
            .collect();
        let mut files = files;
        files.sort();
        assert_eq!(files, ["a", "a/index.html", "index.html"]);
        assert!(std::fs::symlink_metadata(out.join("index.html"))
            .unwrap()
            .is_file());
        assert_eq!(read(&out, "a/index.html").as_deref(), Some("a"));
    }

    #[cfg(unix)]
    #[test]
    fn a_file_unchanged_since_the_live_build_keeps_its_inode_though_the_spare_differs() {
        use std::os::unix::fs::MetadataExt as _;
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let inode = || std::fs::metadata(out.join("x.html")).unwrap().ino();
        site(&[("x.html", "one")]).write_to(&out).unwrap();
        site(&[("x.html", "two")]).write_to(&out).unwrap();
        // The live file says "two", the spare's "one".
        let (before, time) = (
            inode(),
            std::fs::metadata(out.join("x.html"))
                .unwrap()
                .modified()
                .unwrap(),
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
        let stats = site(&[("x.html", "two")]).write_to(&out).unwrap();
        assert_eq!((stats.written, stats.unchanged), (0, 1));
        assert_eq!(inode(), before);
        let after = std::fs::metadata(out.join("x.html"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(after, time);
        // Back to what the spare has: a changed page, so a new file and a new date.
        let stats = site(&[("x.html", "one")]).write_to(&out).unwrap();
        assert_eq!((stats.written, stats.unchanged), (1, 0));
        assert_ne!(inode(), before);
        assert_eq!(read(&out, "x.html").as_deref(), Some("one"));
    }

    #[test]
    fn a_file_put_twice_never_writes_through_to_the_live_site() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        site(&[("a.html", "same")]).write_to(&out).unwrap();
        let writer = SiteWriter::new(&out).unwrap();
        // Linked to the live file, then replaced: the live file must not change.
        writer.put("a.html".into(), b"same".to_vec()).unwrap();
        writer.put("a.html".into(), b"other".to_vec()).unwrap();
        assert_eq!(read(&out, "a.html").as_deref(), Some("same"));
        drop(writer);
        assert_eq!(read(&out, "a.html").as_deref(), Some("same"));
    }

    #[cfg(unix)]
    #[test]
    fn an_output_folder_that_is_a_link_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let real = tmp.path().join("www");
        site(&[("index.html", "home")]).write_to(&real).unwrap();
        let link = tmp.path().join("public");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let err = SiteWriter::new(&link).unwrap_err().to_string();
        assert!(err.contains("is a symbolic link"), "{err}");
        assert!(err.contains("www"), "{err}");
        assert_eq!(read(&real, "index.html").as_deref(), Some("home"));
    }

    #[test]
    fn the_directory_itself_is_never_an_output_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("dir");
        std::fs::create_dir_all(root.join("content/groups")).unwrap();
        for bad in [
            root.clone(),
            tmp.path().to_path_buf(),
            root.join("content"),
            root.join("content/groups/x"),
            root.join("themes"),
        ] {
            assert!(check_target(&root, &bad).is_err(), "{}", bad.display());
        }
        for good in [
            root.join("public"),
            tmp.path().join("site"),
            root.join("content-site"),
        ] {
            assert!(check_target(&root, &good).is_ok(), "{}", good.display());
        }
    }
}
