//! The one place that writes the built site.
//!
//! A build hands each file to a [`Sink`] as soon as it is rendered, from any rayon
//! worker. Two sinks:
//!
//! - [`Output`] (behind a `Mutex`) keeps everything in memory, for `serve` and tests.
//! - [`SiteWriter`] writes to disk as the build goes, so a build holds only the pages
//!   being rendered, not the whole site (5 GB at 50,000 groups). It never writes into
//!   the live folder while building: new and changed files go to a staging folder beside
//!   it, and a file whose bytes are already in the live folder is not written at all.
//!   Only when the whole build has succeeded does [`SiteWriter::finish`] move the staged
//!   files in and remove files the site no longer has; a failed build removes the staging
//!   folder and leaves the previous site exactly as it was.
//!
//! Skipping identical files matters on these disks: creating or deleting a file costs
//! about as much as rendering a page, and a rebuild usually changes few of them. It also
//! keeps unchanged files' times, so syncing or deploying the folder moves only what changed.

use std::collections::{BTreeMap, HashSet};
use std::io::{BufWriter, ErrorKind, Read as _, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use anyhow::{Context, Result};
use rayon::prelude::*;

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

/// Streams a build to disk: staged beside the target, swapped in at the end.
#[derive(Debug)]
pub struct SiteWriter {
    target: PathBuf,
    staging: PathBuf,
    /// The target already holds a site: compare with it and stage only the differences.
    update: bool,
    made_dirs: Mutex<HashSet<PathBuf>>,
    /// Every path this build made.
    produced: Mutex<HashSet<String>>,
    /// Paths staged (new or changed).
    staged: Mutex<Vec<String>>,
    unchanged: AtomicUsize,
    done: bool,
}

impl SiteWriter {
    /// Prepares to write the site to `target` (created if missing).
    pub fn new(target: &Path) -> Result<SiteWriter> {
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent)
            .with_context(|| format!("cannot create the folder {}", parent.display()))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let staging = parent.join(format!(".{name}.aidmap-new-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&staging);
        std::fs::create_dir(&staging)
            .with_context(|| format!("cannot create the folder {}", staging.display()))?;
        let update = match std::fs::read_dir(target) {
            Ok(mut entries) => entries.next().is_some(),
            Err(e) if e.kind() == ErrorKind::NotFound => false,
            Err(e) => {
                let _ = std::fs::remove_dir(&staging);
                return Err(e).with_context(|| format!("cannot read {}", target.display()));
            }
        };
        Ok(SiteWriter {
            target: target.to_path_buf(),
            staging,
            update,
            made_dirs: Mutex::new(HashSet::new()),
            produced: Mutex::new(HashSet::new()),
            staged: Mutex::new(Vec::new()),
            unchanged: AtomicUsize::new(0),
            done: false,
        })
    }

    /// Moves the staged files into the target and removes what the site no longer has.
    pub fn finish(mut self) -> Result<WriteStats> {
        self.done = true;
        let staged = std::mem::take(&mut *lock(&self.staged));
        let produced = std::mem::take(&mut *lock(&self.produced));
        let unchanged = self.unchanged.load(Ordering::Relaxed);
        if !self.update {
            // Nothing to keep: the staging folder becomes the site.
            if self.target.is_dir() {
                let _ = std::fs::remove_dir(&self.target);
            }
            std::fs::rename(&self.staging, &self.target).with_context(|| {
                format!("cannot move the new site into {}", self.target.display())
            })?;
            return Ok(WriteStats {
                written: staged.len(),
                unchanged,
                removed: 0,
            });
        }
        let result = self.swap_in(&staged, &produced);
        let _ = std::fs::remove_dir_all(&self.staging);
        let removed = result?;
        Ok(WriteStats {
            written: staged.len(),
            unchanged,
            removed,
        })
    }

    fn swap_in(&self, staged: &[String], produced: &HashSet<String>) -> Result<usize> {
        // Files first, so a folder that became a file (or the reverse) is cleared below.
        let mut kept_dirs: HashSet<&str> = HashSet::new();
        for p in produced {
            let mut rest = p.as_str();
            while let Some(i) = rest.rfind('/') {
                rest = &rest[..i];
                if !kept_dirs.insert(rest) {
                    break;
                }
            }
        }
        let mut stale: Vec<PathBuf> = Vec::new();
        let mut stale_dirs: Vec<PathBuf> = Vec::new();
        // Hidden files and folders the build did not make are left alone: a `.git` of a
        // deploy branch checked out in the output folder, say, is someone's work.
        let ours = |rel: &str| {
            let mut end = 0;
            rel.split('/').all(|part| {
                end += part.len();
                let prefix = &rel[..end];
                end += 1;
                !part.starts_with('.') || produced.contains(prefix) || kept_dirs.contains(prefix)
            })
        };
        for entry in walkdir::WalkDir::new(&self.target)
            .min_depth(1)
            .contents_first(true)
        {
            let entry = entry.with_context(|| format!("cannot read {}", self.target.display()))?;
            let rel = relative(entry.path(), &self.target);
            if !ours(&rel) {
                continue;
            }
            if entry.file_type().is_dir() {
                if !kept_dirs.contains(rel.as_str()) {
                    stale_dirs.push(entry.into_path());
                }
            } else if !produced.contains(&rel) {
                stale.push(entry.into_path());
            }
        }
        stale.par_iter().try_for_each(|p| {
            std::fs::remove_file(p).with_context(|| format!("cannot remove {}", p.display()))
        })?;
        for d in &stale_dirs {
            let _ = std::fs::remove_dir(d);
        }
        let dirs: HashSet<PathBuf> = staged
            .iter()
            .filter_map(|rel| Path::new(rel).parent().map(|p| self.target.join(p)))
            .collect();
        let mut dirs: Vec<PathBuf> = dirs.into_iter().collect();
        dirs.sort();
        for d in &dirs {
            if d.is_file() {
                std::fs::remove_file(d)
                    .with_context(|| format!("cannot remove {}", d.display()))?;
            }
            std::fs::create_dir_all(d)
                .with_context(|| format!("cannot create the folder {}", d.display()))?;
        }
        staged.par_iter().try_for_each(|rel| {
            let to = self.target.join(rel);
            if to.is_dir() {
                std::fs::remove_dir_all(&to)
                    .with_context(|| format!("cannot remove {}", to.display()))?;
            }
            std::fs::rename(self.staging.join(rel), &to)
                .with_context(|| format!("cannot write {}", to.display()))
        })?;
        Ok(stale.len())
    }

    fn ensure_dir(&self, dir: &Path) -> Result<()> {
        if lock(&self.made_dirs).contains(dir) {
            return Ok(());
        }
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the folder {}", dir.display()))?;
        lock(&self.made_dirs).insert(dir.to_path_buf());
        Ok(())
    }

    /// Stages `path` (new or changed), or counts it unchanged; then records it as made.
    fn record(&self, path: String, staged: bool) {
        if staged {
            lock(&self.staged).push(path.clone());
        } else {
            self.unchanged.fetch_add(1, Ordering::Relaxed);
        }
        lock(&self.produced).insert(path);
    }

    /// True when the live site already has exactly these bytes at `rel`.
    ///
    /// One open, then the length from the open file: a rebuild asks this of every page,
    /// and looking the path up twice (a `stat`, then the open) was a tenth of its time.
    fn already_there(&self, rel: &str, bytes: &[u8]) -> bool {
        let Ok(mut file) = std::fs::File::open(self.target.join(rel)) else {
            return false;
        };
        match file.metadata() {
            Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {
                let mut old = vec![0u8; bytes.len()];
                file.read_exact(&mut old).is_ok() && old == bytes
            }
            _ => false,
        }
    }
}

impl Sink for SiteWriter {
    fn put(&self, path: String, bytes: Vec<u8>) -> Result<()> {
        let unchanged = self.update && self.already_there(&path, &bytes);
        if !unchanged {
            let to = self.staging.join(&path);
            if let Some(dir) = to.parent() {
                self.ensure_dir(dir)?;
            }
            std::fs::write(&to, &bytes)
                .with_context(|| format!("cannot write {}", to.display()))?;
        }
        self.record(path, !unchanged);
        Ok(())
    }

    /// Streams the file into the staging folder, then compares it with the live one and
    /// drops it when the bytes are the same.
    fn put_streamed(&self, path: String, write: WriteFn<'_>) -> Result<()> {
        let to = self.staging.join(&path);
        if let Some(dir) = to.parent() {
            self.ensure_dir(dir)?;
        }
        let file =
            std::fs::File::create(&to).with_context(|| format!("cannot write {}", to.display()))?;
        let mut w = BufWriter::with_capacity(1 << 16, file);
        write(&mut w)?;
        w.into_inner()
            .map_err(|e| e.into_error())
            .with_context(|| format!("cannot write {}", to.display()))?;
        let unchanged = self.update && same_files(&to, &self.target.join(&path));
        if unchanged {
            let _ = std::fs::remove_file(&to);
        }
        self.record(path, !unchanged);
        Ok(())
    }
}

/// True when both files exist with the same bytes (read a piece at a time).
fn same_files(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    if !mb.is_file() || ma.len() != mb.len() {
        return false;
    }
    let (Ok(mut fa), Ok(mut fb)) = (std::fs::File::open(a), std::fs::File::open(b)) else {
        return false;
    };
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

impl Drop for SiteWriter {
    /// A build that stopped before `finish` leaves the previous site as it was.
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_dir_all(&self.staging);
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
            std::fs::read_dir(tmp.path()).unwrap().count(),
            1,
            "no staging folder left behind"
        );
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
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
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
