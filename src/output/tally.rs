//! What a build wrote, counted by kind of file: for the summary line, the host check
//! (`hosts.rs`) and `bench/run`. Every file a build writes should earn its place, and a
//! count by kind shows which kind grows with the directory.

use std::collections::{BTreeMap, HashMap};

/// The kinds of file a build writes, in the order the summary lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// `groups/<slug>/index.html`.
    GroupPage,
    /// The printable leaflets (`leaflets/<area>/<n>/`) and their lists (`leaflets/`).
    Leaflet,
    /// `postcodes/…`: a postcode district's page and the lists of districts.
    DistrictPage,
    /// `areas/…`: a postcode area's page.
    AreaPage,
    /// `stories/…`.
    StoryPage,
    /// Every other HTML page (home, lists, about, embed, 404).
    Page,
    /// An SVG map written as a file of its own.
    Map,
    /// The search index's shards (`search/…`).
    Search,
    /// Open data, schemas, the feed and the sitemap.
    Data,
    /// Style sheets, scripts, images, `_headers` and the site's own static files.
    Asset,
}

impl Kind {
    /// Every kind, in summary order.
    pub const ALL: [Kind; 10] = [
        Kind::GroupPage,
        Kind::Leaflet,
        Kind::DistrictPage,
        Kind::AreaPage,
        Kind::StoryPage,
        Kind::Page,
        Kind::Map,
        Kind::Search,
        Kind::Data,
        Kind::Asset,
    ];

    /// The kind of the file at site path `path` (`/`-separated).
    pub fn of(path: &str) -> Kind {
        // Another language's copy of a page (`cy/groups/x/index.html`) is of the same kind.
        if let Some((first, rest)) = path.split_once('/') {
            if (2..=3).contains(&first.len()) && first.bytes().all(|b| b.is_ascii_lowercase()) {
                return Kind::of(rest);
            }
        }
        let html = path.ends_with(".html");
        let first = path.split('/').next().unwrap_or_default();
        let depth = path.matches('/').count();
        match first {
            "leaflets" if html => Kind::Leaflet,
            "groups" if html && depth == 2 && path.ends_with("/index.html") => Kind::GroupPage,
            "postcodes" if html => Kind::DistrictPage,
            "areas" if html => Kind::AreaPage,
            "stories" if html && depth == 2 => Kind::StoryPage,
            "search" => Kind::Search,
            "data" | "schema" => Kind::Data,
            _ if path == "feed.xml" || path == "sitemap.xml" => Kind::Data,
            _ if html => Kind::Page,
            // The theme's tab icon is an SVG too, but no map.
            _ if path.ends_with(".svg") && path != "icon.svg" => Kind::Map,
            _ => Kind::Asset,
        }
    }

    /// "group pages", "leaflets"…; "group page" for one.
    pub fn name(self, n: u64) -> &'static str {
        let (one, many) = match self {
            Kind::GroupPage => ("group page", "group pages"),
            Kind::Leaflet => ("leaflet", "leaflets"),
            Kind::DistrictPage => ("district page", "district pages"),
            Kind::AreaPage => ("area page", "area pages"),
            Kind::StoryPage => ("story page", "story pages"),
            Kind::Page => ("other page", "other pages"),
            Kind::Map => ("map", "maps"),
            Kind::Search => ("search file", "search files"),
            Kind::Data => ("data file", "data files"),
            Kind::Asset => ("asset", "assets"),
        };
        if n == 1 {
            one
        } else {
            many
        }
    }
}

/// The files of one kind.
#[derive(Debug, Clone, Default)]
pub struct KindCount {
    /// How many.
    pub files: u64,
    /// Their bytes.
    pub bytes: u64,
    /// The largest: path and bytes.
    pub largest: Option<(String, u64)>,
}

/// Everything a build wrote, counted (see the module header).
#[derive(Debug, Clone)]
pub struct Tally {
    /// By kind.
    pub kinds: BTreeMap<Kind, KindCount>,
    /// How many entries (files and folders) each folder holds, by site path ("" is the top).
    entries: HashMap<String, u64>,
}

impl Default for Tally {
    fn default() -> Self {
        Tally {
            kinds: BTreeMap::new(),
            entries: HashMap::from([(String::new(), 0)]),
        }
    }
}

impl Tally {
    /// Counts the file at `path` of `bytes` bytes.
    pub fn add(&mut self, path: &str, bytes: u64) {
        let k = self.kinds.entry(Kind::of(path)).or_default();
        k.files += 1;
        k.bytes += bytes;
        if k.largest.as_ref().is_none_or(|(_, b)| bytes > *b) {
            k.largest = Some((path.to_string(), bytes));
        }
        // The file is an entry of its folder; a folder new to the tally is one of its own.
        let mut rest = path;
        while let Some(i) = rest.rfind('/') {
            let dir = &rest[..i];
            let new = !self.entries.contains_key(dir);
            *self.entries.entry(dir.to_string()).or_default() += 1;
            if !new {
                return;
            }
            rest = dir;
        }
        *self.entries.entry(String::new()).or_default() += 1;
    }

    /// All files.
    pub fn files(&self) -> u64 {
        self.kinds.values().map(|k| k.files).sum()
    }

    /// All bytes.
    pub fn bytes(&self) -> u64 {
        self.kinds.values().map(|k| k.bytes).sum()
    }

    /// The largest file: path and bytes.
    pub fn largest(&self) -> Option<(&str, u64)> {
        self.kinds
            .values()
            .filter_map(|k| k.largest.as_ref())
            .max_by_key(|(p, b)| (*b, std::cmp::Reverse(p.as_str())))
            .map(|(p, b)| (p.as_str(), *b))
    }

    /// The folder with the most entries (files and folders directly in it): its site
    /// path ("" for the top) and how many.
    pub fn fullest_folder(&self) -> (&str, u64) {
        self.entries
            .iter()
            .max_by_key(|(p, n)| (**n, std::cmp::Reverse(p.as_str())))
            .map(|(p, n)| (p.as_str(), *n))
            .unwrap_or(("", 0))
    }

    /// "5000 group pages, 20000 leaflets, 3 assets": every kind written, in order.
    pub fn by_kind(&self) -> String {
        Kind::ALL
            .iter()
            .filter_map(|k| {
                let n = self.kinds.get(k)?.files;
                Some(format!("{n} {}", k.name(n)))
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_counted_by_kind_and_folder() {
        let mut t = Tally::default();
        for (p, n) in [
            ("index.html", 10),
            ("groups/index.html", 20),
            ("groups/a/index.html", 5),
            ("leaflets/nr/1/index.html", 7),
            ("groups/b/index.html", 6),
            ("leaflets/index.html", 3),
            ("postcodes/nr2/index.html", 4),
            ("areas/nr/index.html", 4),
            ("stories/x/index.html", 4),
            ("search/areas/NR.json", 2),
            ("data/groups.json", 100),
            ("feed.xml", 1),
            ("style.css", 1),
        ] {
            t.add(p, n);
        }
        assert_eq!(t.files(), 13);
        assert_eq!(t.bytes(), 167);
        assert_eq!(t.largest(), Some(("data/groups.json", 100)));
        assert_eq!(t.kinds[&Kind::GroupPage].files, 2);
        assert_eq!(t.kinds[&Kind::Page].files, 2);
        assert_eq!(t.kinds[&Kind::Leaflet].files, 2);
        assert_eq!(Kind::of("icon.svg"), Kind::Asset);
        // groups/ holds index.html, a/ and b/.
        assert_eq!(t.fullest_folder(), ("", 10));
        assert_eq!(t.entries["groups"], 3);
        assert_eq!(
            t.by_kind(),
            "2 group pages, 2 leaflets, 1 district page, 1 area page, 1 story page, 2 other pages, 1 search file, 2 data files, 1 asset"
        );
    }
}
