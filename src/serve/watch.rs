//! Watching a directory's sources for changes, with editors' save habits in mind.
//!
//! Editors save in different ways: write in place, write a temporary file then rename it
//! over the original (vim, many IDEs), or delete and recreate. Watching single files
//! loses track after a rename, so we watch the *folders*: the root (not recursively, for
//! site.yaml) and `content/`, `themes/`, `static/` recursively. Events arrive in bursts;
//! `Watcher::next_change` waits until the burst has been quiet for the debounce time
//! (100 ms) and returns every relevant path touched, once.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::Duration;

use anyhow::{Context as _, Result};
use notify::{RecursiveMode, Watcher as _};

/// How long a burst of events must be quiet before we rebuild.
pub const DEBOUNCE: Duration = Duration::from_millis(100);

/// The folders under the root whose contents make the site.
const SOURCE_DIRS: &[&str] = &["content", "themes", "static"];

/// Watches a directory's sources.
pub struct Watcher {
    root: PathBuf,
    events: Receiver<notify::Result<notify::Event>>,
    // Kept alive: dropping it stops the events.
    _inner: notify::RecommendedWatcher,
    watching: BTreeSet<PathBuf>,
}

impl Watcher {
    /// Starts watching `root`.
    pub fn new(root: &Path) -> Result<Watcher> {
        let root = root
            .canonicalize()
            .with_context(|| format!("cannot find the folder {}", root.display()))?;
        let (tx, rx) = channel();
        let inner = notify::recommended_watcher(tx).context("cannot watch for file changes")?;
        let mut w = Watcher {
            root,
            events: rx,
            _inner: inner,
            watching: BTreeSet::new(),
        };
        w._inner
            .watch(&w.root, RecursiveMode::NonRecursive)
            .with_context(|| format!("cannot watch {}", w.root.display()))?;
        w.watch_source_dirs();
        Ok(w)
    }

    /// Adds a watch on each source folder that exists and is not watched yet (a folder
    /// created after `serve` started, such as a first `static/`, is picked up here).
    fn watch_source_dirs(&mut self) {
        for d in SOURCE_DIRS {
            let dir = self.root.join(d);
            if dir.is_dir() && !self.watching.contains(&dir) {
                if self._inner.watch(&dir, RecursiveMode::Recursive).is_ok() {
                    self.watching.insert(dir);
                }
            } else if !dir.is_dir() && self.watching.remove(&dir) {
                let _ = self._inner.unwatch(&dir);
            }
        }
    }

    /// Is this path one the site is made from?
    fn relevant(&self, path: &Path) -> bool {
        let Ok(rel) = path.strip_prefix(&self.root) else {
            return false;
        };
        let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or("");
        // Editors' scratch files: vim swap and backup, emacs lock and autosave.
        if name.ends_with('~')
            || name.ends_with(".swp")
            || name.ends_with(".swx")
            || name.starts_with(".#")
            || (name.starts_with('#') && name.ends_with('#'))
            || name == "4913"
        {
            return false;
        }
        let mut parts = rel.components();
        match parts.next().and_then(|c| c.as_os_str().to_str()) {
            Some("site.yaml") => parts.next().is_none(),
            Some(first) => SOURCE_DIRS.contains(&first),
            None => false,
        }
    }

    /// Blocks until a burst of changes has settled; returns the changed paths relative to
    /// the root, or `None` when watching has stopped.
    pub fn next_change(&mut self) -> Option<Vec<PathBuf>> {
        let mut changed = BTreeSet::new();
        loop {
            let event = if changed.is_empty() {
                self.events
                    .recv()
                    .map_err(|_| RecvTimeoutError::Disconnected)
            } else {
                self.events.recv_timeout(DEBOUNCE)
            };
            match event {
                Ok(Ok(event)) => {
                    if matches!(event.kind, notify::EventKind::Access(_)) {
                        continue;
                    }
                    for p in event.paths {
                        if self.relevant(&p) {
                            let rel = p.strip_prefix(&self.root).unwrap_or(&p).to_path_buf();
                            changed.insert(rel);
                        }
                    }
                }
                // A watcher error (say, an overflowing event queue): rebuild to be safe.
                Ok(Err(_)) => {
                    changed.insert(PathBuf::from("."));
                }
                Err(RecvTimeoutError::Timeout) => {
                    self.watch_source_dirs();
                    // An editor's temporary file that came and went (`sedX1y2z3`, `.file.swp`
                    // renamed away) is not worth naming; a deleted content file keeps its extension.
                    let root = &self.root;
                    changed.retain(|p: &PathBuf| {
                        root.join(p).exists() || p.extension().is_some() || p == Path::new(".")
                    });
                    if changed.is_empty() {
                        continue;
                    }
                    return Some(changed.into_iter().collect());
                }
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
    }
}
