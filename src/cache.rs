//! What `aidmap serve` keeps between builds, so that a rebuild after one edit redoes only
//! the costly work whose inputs changed.
//!
//! The cache is keyed by the inputs themselves (a map's key is its kind, the groups it
//! shows and their coverage; a QR code's is its URL), never by file names or times, so
//! a stale entry cannot be served: a changed input is simply a different key. Each build
//! starts a new generation; entries the build did not ask for are dropped at the start
//! of the next, so memory follows the site, not the editing session.
//!
//! A one-off `aidmap build` uses [`BuildCache::off`], which computes everything.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::geo::map::SvgMap;
use crate::render::postcodes::DistrictGroups;

/// Results carried from one build to the next.
#[derive(Debug, Default)]
pub struct BuildCache {
    /// Every drawn map (group, area and district maps).
    pub maps: Memo<SvgMap>,
    /// Leaflet QR codes by URL.
    pub qr: Memo<Option<String>>,
    /// Each district's covering and nearest groups (render::postcodes), by every
    /// group's status and areas.
    pub districts: Memo<Arc<Vec<DistrictGroups>>>,
    /// The search index's nearest groups to each district, by every group's points.
    pub nearest: Memo<Arc<crate::search::index::NearestLists>>,
}

impl BuildCache {
    /// A cache that remembers nothing, for one-off builds.
    pub fn off() -> Self {
        BuildCache {
            maps: Memo::off(),
            qr: Memo::off(),
            districts: Memo::off(),
            nearest: Memo::off(),
        }
    }

    /// A cache that remembers across builds, for `serve`.
    pub fn on() -> Self {
        BuildCache::default()
    }

    /// Starts a build: what the previous build did not use is forgotten now.
    pub fn next_generation(&self) {
        self.maps.next_generation();
        self.qr.next_generation();
        self.districts.next_generation();
        self.nearest.next_generation();
    }
}

/// A memo table of one kind of result, safe to use from rayon workers.
#[derive(Debug)]
pub struct Memo<T> {
    on: bool,
    tables: Mutex<Generations<T>>,
}

#[derive(Debug)]
struct Generations<T> {
    previous: HashMap<String, T>,
    current: HashMap<String, T>,
    hits: usize,
    misses: usize,
}

impl<T> Default for Memo<T> {
    fn default() -> Self {
        Memo {
            on: true,
            tables: Mutex::new(Generations {
                previous: HashMap::new(),
                current: HashMap::new(),
                hits: 0,
                misses: 0,
            }),
        }
    }
}

impl<T: Clone> Memo<T> {
    fn off() -> Self {
        Memo {
            on: false,
            ..Memo::default()
        }
    }

    /// The value for `key`, made by `make` only if this or the previous build has not
    /// made it already. `make` runs without the lock held, so workers do not wait on
    /// each other's drawing.
    pub fn get_or(&self, key: impl FnOnce() -> String, make: impl FnOnce() -> T) -> T {
        if !self.on {
            return make();
        }
        let key = key();
        {
            let mut t = self.lock();
            if let Some(v) = t.current.get(&key).cloned() {
                t.hits += 1;
                return v;
            }
            if let Some(v) = t.previous.remove(&key) {
                t.hits += 1;
                t.current.insert(key, v.clone());
                return v;
            }
            t.misses += 1;
        }
        let v = make();
        self.lock().current.insert(key, v.clone());
        v
    }

    /// (reused, made) since the generation began.
    pub fn counts(&self) -> (usize, usize) {
        let t = self.lock();
        (t.hits, t.misses)
    }

    fn next_generation(&self) {
        let mut t = self.lock();
        t.previous = std::mem::take(&mut t.current);
        t.hits = 0;
        t.misses = 0;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Generations<T>> {
        self.tables.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reuses_what_the_last_build_made_and_forgets_the_rest() {
        let memo: Memo<String> = Memo::default();
        let made = std::cell::Cell::new(0);
        let get = |k: &str| {
            memo.get_or(
                || k.to_string(),
                || {
                    made.set(made.get() + 1);
                    k.to_uppercase()
                },
            )
        };
        assert_eq!(get("a"), "A");
        assert_eq!(get("b"), "B");
        assert_eq!(get("a"), "A");
        assert_eq!(made.get(), 2);
        memo.next_generation();
        assert_eq!(get("a"), "A"); // carried over
        assert_eq!(made.get(), 2);
        memo.next_generation(); // "b" was not used in the last build: gone
        assert_eq!(get("b"), "B");
        assert_eq!(made.get(), 3);
    }

    #[test]
    fn off_always_makes() {
        let memo: Memo<u32> = Memo::off();
        let made = std::cell::Cell::new(0);
        for _ in 0..3 {
            memo.get_or(
                || "k".into(),
                || {
                    made.set(made.get() + 1);
                    1
                },
            );
        }
        assert_eq!(made.get(), 3);
    }
}
