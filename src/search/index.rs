//! The search index in memory: built once from the content and the embedded geography,
//! then both written as shards ([`super::shards`]) and queried directly by `aidmap find`
//! ([`super::query`]), so the terminal and the browser read the same facts.
//!
//! Everything a postcode answer needs is precomputed per district: which groups cover
//! the whole district, which cover each sector, and the nearest few groups with their
//! distance. Closed groups are left out of all three; they can only be found by name.
//! Hidden groups (not confirmed within site.yaml's `hide_after_days`) are left out of
//! everything, names included: their pages stay, reached by a link.

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
/// The card's lines (hours, kinds of help, languages, last checked) are written as the
/// group's page writes them, so the search card and the district page's card agree.
#[derive(Debug, Clone, Default)]
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
    /// When someone answers.
    pub hours: Option<String>,
    /// The first kinds of help, as their keys ("shopping prescriptions"): the browser
    /// shows each key's label in the page's language.
    pub help: String,
    /// Languages in their own names, empty when English alone ("English, Polski").
    pub languages: String,
    /// When last checked, ISO (`2026-09-28`): the browser writes it as the page's
    /// language writes dates.
    pub checked: String,
    /// Not confirmed within the site's `stale_after_days`.
    pub stale: bool,
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
    /// The nearest running or paused groups within the site's `nearest_within_miles` of
    /// the district's centroid, and their distance in miles, nearest first.
    pub nearest: Vec<(u32, f64)>,
    /// The same from each sector's centroid, by sector digit (a full postcode or a sector
    /// is measured from its sector, not from the district's middle).
    pub sector_near: BTreeMap<u8, Vec<(u32, f64)>>,
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
    /// Where the place is (latitude, longitude), to tell apart places of one name.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
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
    /// Folded place names that name places far apart: which one the resident means.
    pub choices: BTreeMap<String, Vec<Choice>>,
    /// Groups farther than this (miles) are not offered as nearest.
    pub within: f64,
    /// Other routes to help, offered when no group is near.
    pub other_help: Vec<crate::config::OtherHelp>,
}

/// One of several places of one name ("Which St Ives?").
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Choice {
    /// The place's name.
    pub name: String,
    /// Its district.
    pub district: String,
    /// What tells it apart: the district's main place and its postcode area's name.
    pub around: String,
    /// Groups covering that district, or else groups near it.
    pub groups: usize,
}

/// Places of one name farther apart than this (miles) are different places to ask about.
pub const DIFFERENT_PLACES_MILES: f64 = 10.0;

use crate::geo::WELSH_NAMES;

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
        let today = crate::content::check::today();
        let groups: Vec<GroupRecord> = content
            .groups
            .iter()
            .map(|g| record(g, config, today))
            .collect();
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
                    sector_near: BTreeMap::new(),
                };
                (d.code.clone(), entry)
            })
            .collect();

        // Coverage, and each open group's points for distances.
        let mut points: Vec<(u32, Vec<Point<f64>>)> = Vec::new();
        for (id, g) in content.groups.iter().enumerate() {
            // A hidden group (not confirmed within `hide_after_days`) answers nothing.
            if g.status == Status::Closed || g.hidden {
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
        // Every residential sector too, measured from its own centroid.
        let within = config.nearest_within_miles;
        let nearest = memo.get_or(
            || format!("{within}{points:?}"),
            || {
                let points = NearestIndex::new(&points);
                let mut from: Vec<(String, Point<f64>)> = districts
                    .values()
                    .filter(|d| !d.large_user_only)
                    .map(|d| (d.code.clone(), Point::new(d.lon, d.lat)))
                    .collect();
                from.extend(
                    // Every sector, organisations' ones too: a full postcode can be in one.
                    geo.sectors()
                        .iter()
                        .map(|s| (s.code.clone(), Point::new(s.lon, s.lat))),
                );
                std::sync::Arc::new(
                    from.par_iter()
                        .map(|(code, p)| (code.clone(), points.nearest_within(*p, NEAREST, within)))
                        .collect(),
                )
            },
        );
        for (code, list) in nearest.iter() {
            match code.split_once(' ') {
                Some((district, digit)) => {
                    if let (Some(d), Ok(digit)) = (districts.get_mut(district), digit.parse()) {
                        d.sector_near.insert(digit, list.clone());
                    }
                }
                None => {
                    if let Some(d) = districts.get_mut(code) {
                        d.nearest = list.clone();
                    }
                }
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
                lat: l.lat,
                lon: l.lon,
            })
            .collect();
        places.extend(welsh_places(&districts));
        places.retain(|p| text::shard_key(&p.key).is_some());
        places.sort_by(|a, b| (&a.key, &a.district).cmp(&(&b.key, &b.district)));
        places.dedup_by(|a, b| a.key == b.key && a.district == b.district);
        let choices = choices(&places, &districts, geo);

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
            choices,
            within,
            other_help: config.other_help.clone(),
        }
    }
}

/// The Welsh names, as places in the districts the table gives.
fn welsh_places(districts: &BTreeMap<String, DistrictEntry>) -> Vec<Place> {
    let mut out = Vec::new();
    for line in WELSH_NAMES.lines().skip(1) {
        let mut cols = line.splitn(3, ',');
        let (Some(welsh), Some(english), Some(codes)) = (cols.next(), cols.next(), cols.next())
        else {
            continue;
        };
        for code in codes.split_whitespace() {
            let Some(d) = districts.get(code) else {
                continue;
            };
            out.push(Place {
                key: text::fold(welsh),
                name: format!("{welsh} ({english})"),
                district: d.code.clone(),
                covered: d.covered(),
                lat: d.lat,
                lon: d.lon,
            });
        }
    }
    out
}

/// Most places offered in one "Which St Ives?".
pub const MAX_CHOICES: usize = 6;

/// For each place name that names places far apart, one choice per distinct place: the
/// places named so, or whose name starts with it as whole words ("Chorlton" and
/// "Chorlton-cum-Hardy"), exact names first, then in [`Place::rank`] order; of places
/// within [`DIFFERENT_PLACES_MILES`] of one already chosen, only that one.
fn choices(
    places: &[Place],
    districts: &BTreeMap<String, DistrictEntry>,
    geo: &crate::geo::Geography,
) -> BTreeMap<String, Vec<Choice>> {
    let mut out = BTreeMap::new();
    for same in places.chunk_by(|a, b| a.key == b.key) {
        let key = &same[0].key;
        let start = places.partition_point(|p| p.key < *key);
        let longer = format!("{key} ");
        let mut ranked: Vec<&Place> = places[start..]
            .iter()
            .take_while(|p| p.key.starts_with(key.as_str()))
            .filter(|p| {
                p.key == *key
                    || (p.key.starts_with(&longer)
                        && p.name.contains('-')
                        && text::fold(p.name.split('-').next().unwrap_or_default()) == *key)
            })
            .collect();
        if ranked.len() < 2 {
            continue;
        }
        ranked.sort_by(|a, b| (a.key != *key, a.rank()).cmp(&(b.key != *key, b.rank())));
        // Clusters, each led by its best-ranked place; a cluster of many districts (a
        // town) before a lone hamlet of the same name.
        let mut clusters: Vec<(&Place, usize)> = Vec::new();
        for p in ranked {
            let here = Point::new(p.lon, p.lat);
            match clusters.iter_mut().find(|(h, _)| {
                crate::geo::distance_miles(here, Point::new(h.lon, h.lat)) <= DIFFERENT_PLACES_MILES
            }) {
                Some(c) => c.1 += 1,
                None => clusters.push((p, 1)),
            }
        }
        if clusters.len() < 2 {
            continue;
        }
        clusters.sort_by(|a, b| {
            (a.0.key != *key, !a.0.covered, std::cmp::Reverse(a.1)).cmp(&(
                b.0.key != *key,
                !b.0.covered,
                std::cmp::Reverse(b.1),
            ))
        });
        let heads: Vec<&Place> = clusters.iter().take(MAX_CHOICES).map(|c| c.0).collect();
        let list = heads
            .into_iter()
            .filter_map(|p| {
                let d = districts.get(&p.district)?;
                let area = geo
                    .area(crate::content::areas::area_of(&d.code))
                    .map_or("", |a| a.name.as_str());
                let groups = if d.covered() {
                    let mut ids: Vec<u32> = d.whole.clone();
                    ids.extend(d.by_sector.values().flatten());
                    ids.sort_unstable();
                    ids.dedup();
                    ids.len()
                } else {
                    d.nearest.len()
                };
                let around = if d.name.is_empty() || text::fold(&d.name) == p.key || area == d.name
                {
                    area.to_string()
                } else {
                    format!("{}, {area}", d.name)
                };
                Some(Choice {
                    name: p.name.clone(),
                    district: d.code.clone(),
                    around,
                    groups,
                })
            })
            .collect();
        out.insert(key.clone(), list);
    }
    out
}

fn record(g: &Group, config: &Config, today: jiff::civil::Date) -> GroupRecord {
    use crate::content::{check, help};
    // The card's words, as the pages' `GroupView::card` gives them.
    let help: Vec<&str> = g
        .help
        .iter()
        .take(crate::content::help::CARD_HELP)
        .map(String::as_str)
        .collect();
    let languages: Vec<&str> = if g.languages.iter().all(|l| l == "en") {
        Vec::new()
    } else {
        g.languages
            .iter()
            .map(|c| help::language(c).map_or(c.as_str(), |l| l.1))
            .collect()
    };
    GroupRecord {
        hours: g.contact.hours.clone(),
        help: help.join(" "),
        languages: languages.join(", "),
        checked: g.last_checked.to_string(),
        stale: check::days_between(g.last_checked, today) > i64::from(config.stale_after_days),
        slug: g.slug.clone(),
        // Results show the place beside a name that groups far apart share.
        name: g.display_name(),
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
        if g.hidden {
            continue;
        }
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
