//! The *manifest*: what a build wrote into a site folder, kept beside it, so the next
//! build need not read the old site.
//!
//! For each file the build made it holds the path, the length, an XXH3-128 hash of the
//! bytes and the file's *stamp* (inode number and modification time) as it lies in the
//! folder; for each folder the build made, its stamp; and the entries that are not the
//! build's (a `.git` in the output folder) found below the top. A manifest names the
//! folder it describes by that folder's own device and inode number
//! (`.public.aidmap-manifest-<dev>-<ino>`): the live and the spare folder exchange
//! names at each build but keep their inodes, so a manifest stays with its folder through
//! the swap and no rename of a manifest has to happen at the same moment as the swap.
//!
//! How a build uses the manifest of the live folder: a page whose hash and length are
//! the manifest's, at a live file whose stamp is still the manifest's, is unchanged, and
//! is linked into the new site without its bytes being read (after the page cache has
//! been emptied, reading the old site was four fifths of a rebuild: 7.1 s against 1.5 s
//! at 5,000 groups). A page whose hash differs is written without reading the old one.
//! A file replaced behind aidmap's back has another inode or time and is compared byte
//! by byte, as with no manifest; one rewritten in place with its length and time put
//! back is not noticed (as with `make` or `rsync`'s quick check): delete the manifest to
//! make the next build compare every byte.
//!
//! And of the spare folder: at the start of a build, when every folder it names still
//! has its stamp (nothing was added to or removed from any of them since), the spare
//! holds exactly what its manifest says, so what the build does not make is removed by
//! name instead of by walking the spare. Any folder changed, or no manifest: the spare is
//! walked as before. The manifest of the spare is deleted before the build changes the
//! spare, so a killed build leaves none that lies.

use std::collections::HashMap;
use std::io::{BufRead as _, BufWriter, Write as _};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

/// Where a file or folder lies on disk and when it last changed: a file replaced by
/// another (a new inode) or written to (a new time) has another stamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Stamp {
    ino: u64,
    mtime_ns: i128,
}

impl Stamp {
    /// The stamp of an entry from its metadata; none where the system has no inodes.
    pub(super) fn of(m: &std::fs::Metadata) -> Option<Stamp> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt as _;
            Some(Stamp {
                ino: m.ino(),
                mtime_ns: i128::from(m.mtime()) * 1_000_000_000 + i128::from(m.mtime_nsec()),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = m;
            None
        }
    }
}

/// One file the build made.
#[derive(Debug, Clone, Copy)]
pub(super) struct Entry {
    /// XXH3-128 of the bytes.
    pub(super) hash: u128,
    pub(super) len: u64,
    pub(super) stamp: Stamp,
}

/// A folder's device and inode: which folder a manifest describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct FolderId {
    dev: u64,
    ino: u64,
}

impl FolderId {
    /// The folder at `path` (a real folder, not a link), where the system has inodes.
    pub(super) fn of(path: &Path) -> Option<FolderId> {
        let m = std::fs::symlink_metadata(path).ok()?;
        if !m.is_dir() {
            return None;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt as _;
            Some(FolderId {
                dev: m.dev(),
                ino: m.ino(),
            })
        }
        #[cfg(not(unix))]
        {
            None
        }
    }
}

/// What a build wrote into one folder (see the module header).
#[derive(Debug, Default)]
pub(super) struct Manifest {
    /// The build's files, by site path.
    pub(super) files: HashMap<Box<str>, Entry>,
    /// The build's folders (not the top one), by site path.
    pub(super) dirs: HashMap<Box<str>, Stamp>,
    /// Entries below the top that are not the build's, kept from the live folder.
    pub(super) foreign: Vec<Box<str>>,
}

const HEADER: &str = "aidmap manifest 1";

/// The manifest file beside the output folder for the folder `id`; `prefix` is the
/// siblings' common start (`.public.aidmap-`).
pub(super) fn path_for(parent: &Path, prefix: &str, id: FolderId) -> PathBuf {
    parent.join(format!("{prefix}manifest-{}-{}", id.dev, id.ino))
}

/// True for a sibling name that is a finished manifest (kept by `Siblings::recover`;
/// [`load`] removes those that name neither folder).
pub(super) fn is_manifest_name(name: &str, prefix: &str) -> bool {
    name.strip_prefix(prefix)
        .and_then(|rest| rest.strip_prefix("manifest-"))
        .is_some_and(|rest| !rest.contains('.'))
}

/// The manifests of the live and the spare folder, when there are true ones; every other
/// manifest beside the output folder is removed, and so is the spare's file (the build is
/// about to change the spare; it keeps the manifest in memory).
pub(super) fn load(
    parent: &Path,
    prefix: &str,
    live: &Path,
    spare: &Path,
) -> (Option<Manifest>, Option<Manifest>) {
    let live_id = FolderId::of(live);
    let spare_id = FolderId::of(spare);
    let mut found = (None, None);
    let Ok(entries) = std::fs::read_dir(parent) else {
        return found;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !is_manifest_name(&name, prefix) {
            continue;
        }
        let path = entry.path();
        let which = [live_id, spare_id]
            .iter()
            .position(|id| id.is_some_and(|id| path == path_for(parent, prefix, id)));
        match which {
            Some(0) => found.0 = read(&path),
            Some(_) => {
                found.1 = read(&path).filter(|m| m.folders_unchanged(spare));
                let _ = std::fs::remove_file(&path);
            }
            None => {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
    found
}

impl Manifest {
    /// True when every folder named still has its stamp: nothing was added to or
    /// removed from any of them.
    pub(super) fn folders_unchanged(&self, root: &Path) -> bool {
        self.dirs.iter().all(|(rel, stamp)| {
            std::fs::symlink_metadata(root.join(&**rel))
                .ok()
                .filter(std::fs::Metadata::is_dir)
                .and_then(|m| Stamp::of(&m))
                == Some(*stamp)
        })
    }

    /// Writes the manifest of the folder `dir` beside it, whole or not at all. Paths
    /// with a line break cannot be written: then no manifest is (the next build
    /// compares every file, as without one).
    pub(super) fn save(&self, parent: &Path, prefix: &str, dir: &Path) -> Result<()> {
        let Some(id) = FolderId::of(dir) else {
            return Ok(());
        };
        let to = path_for(parent, prefix, id);
        let names = self
            .files
            .keys()
            .chain(self.dirs.keys())
            .chain(self.foreign.iter());
        if names.into_iter().any(|p| p.contains(['\n', '\r'])) {
            let _ = std::fs::remove_file(&to);
            return Ok(());
        }
        let tmp = to.with_extension("tmp");
        let cannot = || format!("cannot write {}", tmp.display());
        let file = std::fs::File::create(&tmp).with_context(cannot)?;
        let mut w = BufWriter::with_capacity(1 << 16, file);
        let wrote = (|| -> std::io::Result<()> {
            writeln!(w, "{HEADER}")?;
            for (path, e) in &self.files {
                writeln!(
                    w,
                    "f {:032x} {} {} {} {path}",
                    e.hash, e.len, e.stamp.ino, e.stamp.mtime_ns
                )?;
            }
            for (path, s) in &self.dirs {
                writeln!(w, "d {} {} {path}", s.ino, s.mtime_ns)?;
            }
            for path in &self.foreign {
                writeln!(w, "x {path}")?;
            }
            writeln!(w, "end {}", self.files.len())?;
            w.flush()
        })();
        drop(w);
        if let Err(e) = wrote.and_then(|()| std::fs::rename(&tmp, &to)) {
            let _ = std::fs::remove_file(&tmp);
            return Err(e).with_context(cannot);
        }
        Ok(())
    }
}

/// Reads a manifest; none when it is not whole or not of this version.
fn read(path: &Path) -> Option<Manifest> {
    let file = std::fs::File::open(path).ok()?;
    let mut lines = std::io::BufReader::with_capacity(1 << 16, file).lines();
    if lines.next()?.ok()? != HEADER {
        return None;
    }
    let mut m = Manifest::default();
    for line in lines {
        let line = line.ok()?;
        let (kind, rest) = line.split_once(' ')?;
        match kind {
            "f" => {
                let mut parts = rest.splitn(5, ' ');
                let hash = u128::from_str_radix(parts.next()?, 16).ok()?;
                let len = parts.next()?.parse().ok()?;
                let ino = parts.next()?.parse().ok()?;
                let mtime_ns = parts.next()?.parse().ok()?;
                let path = parts.next()?;
                m.files.insert(
                    path.into(),
                    Entry {
                        hash,
                        len,
                        stamp: Stamp { ino, mtime_ns },
                    },
                );
            }
            "d" => {
                let mut parts = rest.splitn(3, ' ');
                let ino = parts.next()?.parse().ok()?;
                let mtime_ns = parts.next()?.parse().ok()?;
                m.dirs.insert(parts.next()?.into(), Stamp { ino, mtime_ns });
            }
            "x" => m.foreign.push(rest.into()),
            "end" => return (rest.parse::<usize>().ok()? == m.files.len()).then_some(m),
            _ => return None,
        }
    }
    None
}

/// XXH3-128 of a file's bytes, as the manifest keeps it.
pub(super) fn hash(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// A writer that hashes what passes through it (for streamed files).
pub(super) struct Hashing<W> {
    pub(super) inner: W,
    pub(super) state: xxhash_rust::xxh3::Xxh3,
    pub(super) len: u64,
}

impl<W: std::io::Write> std::io::Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.state.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}
