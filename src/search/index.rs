//! The search index in memory: built once from the content and the embedded geography,
//! then both written as shards ([`super::shards`]) and queried directly by `aidmap find`
//! ([`super::query`]), so the terminal and the browser read the same facts.
//!
//! Everything a postcode answer needs is precomputed per district: which groups cover
//! the whole district, which cover each sector, and the nearest few groups with their
//! distance. Closed groups are left out of all three; they can only be found by name.

use std::collections::{BTreeMap, HashMap};

use geo::Point;
use rayon::prelude::*;

use crate::config::Config;
use crate::content::{Content, Group, Status};
use crate::geo::{geography, NearestIndex};
use crate::search::text;

/// How many nearest groups each district keeps.
pub const NEAREST: usize = 5;

/// A group as search results show it: phone first, then other ways in, then its page.
#[derive(Debug, Clone)]
pub struct GroupRecord {
    /// Page address part: the page is `groups/<slug>/`.
    pub slug: String,
    /// Name.
    pub name: String,
    /// Phone number as the group writes it.
    pub phone: Option<String>,
    /// The same number for a `tel:` link.
    pub tel: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Web site.
    pub website: Option<String>,
    /// Running, paused or closed.
    pub status: Status,
}

/// One postcode district and who can help there.
#[derive(Debug, Clone)]
pub struct DistrictEntry {
    /// `NR2`.
    pub code: String,
    /// Its post town or main place.
    pub name: String,
    /// Centroid latitude.
    pub lat: f64,
    /// Centroid longitude.
    pub lon: f64,
    /// The sector digits that exist (`NR2 3` -> 3); empty where there is no sector data.
    pub sectors: Vec<u8>,
    /// Only large organisations' mail: nobody lives here.
    pub large_user_only: bool,
    /// Groups (indexes into [`SearchIndex::groups`]) covering the whole district.
    pub whole: Vec<u32>,
    /// Groups covering one sector, by sector digit.
    pub by_sector: BTreeMap<u8, Vec<u32>>,
    /// The nearest running or paused groups and their distance in miles, nearest first.
    pub nearest: Vec<(u32, f64)>,
}

impl DistrictEntry {
    /// True when some group covers all or part of the district.
    pub fn covered(&self) -> bool {
        !self.whole.is_empty() || !self.by_sector.is_empty()
    }
}

/// A place name from the GeoNames localities, and its district.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// Folded name (see [`text::fold`]).
    pub key: String,
    /// Name as written.
    pub name: String,
    /// Its district.
    pub district: String,
    /// Some group covers all or part of that district.
    pub covered: bool,
}

impl Place {
    /// Where the place stands in an answer: those with a group first, then shorter names,
    /// then by name and district. Of the names starting with a query, the query itself is
    /// the shortest, so an exact name comes first. The place shards are written in this
    /// order, so the browser only filters them.
    pub fn rank(&self) -> (bool, usize, &str, &str) {
        (!self.covered, self.key.len(), &self.key, &self.district)
    }
}

/// A postcode area and its centroid, for "use my location".
#[derive(Debug, Clone)]
pub struct AreaEntry {
    /// `NR`.
    pub code: String,
    /// `Norwich`.
    pub name: String,
    /// Centroid latitude.
    pub lat: f64,
    /// Centroid longitude.
    pub lon: f64,
}

/// Word weights: a word in a group's name says most about it, its kinds of help next.
const NAME_WEIGHT: u8 = 3;
const HELP_WEIGHT: u8 = 2;
const SUMMARY_WEIGHT: u8 = 1;

/// The whole index.
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    /// Every group, in content order (by slug); indexes into this are group ids.
    pub groups: Vec<GroupRecord>,
    /// Every district of the embedded geography, by code.
    pub districts: BTreeMap<String, DistrictEntry>,
    /// Every postcode area, by code.
    pub areas: Vec<AreaEntry>,
    /// Every place, sorted by key then district.
    pub places: Vec<Place>,
    /// Folded word -> (group id, weight), by group id.
    pub words: BTreeMap<String, Vec<(u32, u8)>>,
}

impl SearchIndex {
    /// Builds the index for a site's content.
    pub fn build(config: &Config, content: &Content) -> SearchIndex {
        Self::build_with(config, content, &crate::cache::BuildCache::off().nearest)
    }

    /// `build`, reusing the nearest-group lists of the last build when no group's
    /// points changed (see cache.rs).
    pub fn build_with(
        config: &Config,
        content: &Content,
        memo: &crate::cache::Memo<std::sync::Arc<NearestLists>>,
    ) -> SearchIndex {
        let geo = geography();
        let groups: Vec<GroupRecord> = content.groups.iter().map(record).collect();
        let mut districts: BTreeMap<String, DistrictEntry> = geo
            .districts()
            .iter()
            .map(|d| {
                let entry = DistrictEntry {
                    code: d.code.clone(),
                    name: d.name.clone(),
                    lat: d.lat,
                    lon: d.lon,
                    sectors: geo
                        .sectors_of(&d.code)
                        .filter_map(|s| s.code.rsplit(' ').next()?.parse().ok())
                        .collect(),
                    large_user_only: d.large_user_only,
                    whole: Vec::new(),
                    by_sector: BTreeMap::new(),
                    nearest: Vec::new(),
                };
                (d.code.clone(), entry)
            })
            .collect();

        // Coverage, and each open group's points for distances.
        let mut points: Vec<(u32, Vec<Point<f64>>)> = Vec::new();
        for (id, g) in content.groups.iter().enumerate() {
            if g.status == Status::Closed {
                continue;
            }
            let id = id as u32;
            let mut pts = Vec::new();
            for a in &g.areas {
                let (district, sector) = match a.split_once(' ') {
                    Some((d, s)) => (d, s.parse::<u8>().ok()),
                    None => (a.as_str(), None),
                };
                let Some(entry) = districts.get_mut(district) else {
                    continue;
                };
                match sector {
                    Some(s) => {
                        let list = entry.by_sector.entry(s).or_default();
                        if !list.contains(&id) {
                            list.push(id);
                        }
                        let p = geo.sector(a).map_or(Point::new(entry.lon, entry.lat), |s| {
                            Point::new(s.lon, s.lat)
                        });
                        pts.push(p);
                    }
                    None => {
                        if !entry.whole.contains(&id) {
                            entry.whole.push(id);
                        }
                        pts.push(Point::new(entry.lon, entry.lat));
                    }
                }
            }
            if !pts.is_empty() {
                points.push((id, pts));
            }
        }

        // Nearest groups for every district where people live: both cores, as this is
        // districts x group points (about 30 million distances for 5,000 groups).
        let nearest = memo.get_or(
            || format!("{points:?}"),
            || {
                let points = NearestIndex::new(&points);
                std::sync::Arc::new(
                    districts
                        .par_iter()
                        .filter(|(_, d)| !d.large_user_only)
                        .map(|(code, d)| {
                            (
                                code.clone(),
                                points.nearest(Point::new(d.lon, d.lat), NEAREST),
                            )
                        })
                        .collect(),
                )
            },
        );
        for (code, list) in nearest.iter() {
            if let Some(d) = districts.get_mut(code) {
                d.nearest = list.clone();
            }
        }

        let mut places: Vec<Place> = geo
            .localities()
            .iter()
            .filter(|l| {
                districts
                    .get(&l.outcode)
                    .is_some_and(|d| !d.large_user_only)
            })
            .map(|l| Place {
                key: text::fold(&l.locality),
                name: l.locality.clone(),
                district: l.outcode.clone(),
                covered: districts
                    .get(&l.outcode)
                    .is_some_and(DistrictEntry::covered),
            })
            .filter(|p| text::shard_key(&p.key).is_some())
            .collect();
        places.sort_by(|a, b| (&a.key, &a.district).cmp(&(&b.key, &b.district)));
        places.dedup_by(|a, b| a.key == b.key && a.district == b.district);

        let areas = geo
            .areas()
            .iter()
            .map(|a| AreaEntry {
                code: a.code.clone(),
                name: a.name.clone(),
                lat: a.lat,
                lon: a.lon,
            })
            .collect();

        SearchIndex {
            words: word_index(config, &content.groups),
            groups,
            districts,
            areas,
            places,
        }
    }
}

fn record(g: &Group) -> GroupRecord {
    GroupRecord {
        slug: g.slug.clone(),
        name: g.name.clone(),
        phone: g.contact.phone.clone(),
        tel: g.contact.phone_tel.clone(),
        email: g.contact.email.clone(),
        website: g.contact.website.clone(),
        status: g.status,
    }
}

/// District code -> its nearest groups (group id, miles), for every residential district.
pub type NearestLists = Vec<(String, Vec<(u32, f64)>)>;

/// Word -> groups, with the best weight the word has in each group.
fn word_index(config: &Config, groups: &[Group]) -> BTreeMap<String, Vec<(u32, u8)>> {
    let mut best: HashMap<(String, u32), u8> = HashMap::new();
    for (id, g) in groups.iter().enumerate() {
        let id = id as u32;
        let mut add = |text: &str, weight: u8| {
            for w in text::words(text) {
                let slot = best.entry((w, id)).or_insert(0);
                *slot = (*slot).max(weight);
            }
        };
        add(&g.name, NAME_WEIGHT);
        for key in &g.help {
            add(key, HELP_WEIGHT);
            add(config.help.label(key).unwrap_or(key), HELP_WEIGHT);
        }
        add(&g.summary, SUMMARY_WEIGHT);
    }
    let mut words: BTreeMap<String, Vec<(u32, u8)>> = BTreeMap::new();
    for ((w, id), weight) in best {
        words.entry(w).or_default().push((id, weight));
    }
    for list in words.values_mut() {
        list.sort_unstable();
    }
    words
}
