//! Which groups serve each postcode district: the data behind the district pages
//! (`postcodes/<district>/`), the no-JavaScript route for residents.
//!
//! For every district in the country we record the groups that cover it (in whole or
//! in part) and, where none does, the nearest running groups with their distance.
//! Closed and hidden groups (see `Group::hidden`) are in neither list.

use std::collections::HashMap;

use geo::Point;
use rayon::prelude::*;

use crate::content::{Content, Group, Status};
use crate::geo::{geography, NearestIndex};

/// How many nearest groups a district with no group lists: the search's own figure, so
/// a district's page lists what the search lists.
pub const NEAREST: usize = crate::search::index::NEAREST;

/// One district's groups.
#[derive(Debug, Clone)]
pub struct DistrictGroups {
    /// District code, such as `NR2`.
    pub code: String,
    /// Indexes into `Content::groups` of the non-closed groups covering it; `true` when
    /// the group covers only some of its sectors.
    pub covering: Vec<(usize, bool)>,
    /// Nearest running groups (index, miles to a tenth), nearest first, ties by index;
    /// filled only when `covering` is empty. The search index lists the same, once both
    /// are cut at the site's `nearest_within_miles` ([`DistrictGroups::near_within`]).
    pub nearest: Vec<(usize, f64)>,
    /// The sectors some group covers, when a group covers only part of the district, with
    /// the places in each where known (`MK45 3 (Wilstead, Cotton End)`), in order.
    pub parts: Vec<String>,
}

impl DistrictGroups {
    /// The nearest groups at most `within` miles away.
    pub fn near_within(&self, within: f64) -> impl Iterator<Item = &(usize, f64)> {
        self.nearest.iter().filter(move |(_, m)| *m <= within)
    }

    /// What the district's page says, in the search's words
    /// ([`crate::search::query::district_message`]).
    pub fn message(
        &self,
        within: f64,
        lang: &crate::i18n::Lang,
    ) -> (crate::search::query::Outcome, String) {
        let part = self.covering.iter().filter(|c| c.1).count();
        crate::search::query::district_message_in(
            lang,
            &self.code,
            self.covering.len() - part,
            part,
            &self.parts,
            self.near_within(within).count(),
            within,
        )
    }
}

/// The points a group covers: the centroid of each sector or district it lists.
pub fn group_points(g: &Group) -> Vec<Point<f64>> {
    let geo = geography();
    g.areas
        .iter()
        .filter_map(|a| match a.split_once(' ') {
            Some(_) => geo.sector(a).map(|s| Point::new(s.lon, s.lat)).or_else(|| {
                geo.district(a.split(' ').next().unwrap_or(a))
                    .map(|d| d.point())
            }),
            None => geo.district(a).map(|d| d.point()),
        })
        .collect()
}

/// What `district_groups` depends on, as a cache key: each group's status, whether it
/// is hidden, and its areas.
pub fn cache_key(content: &Content) -> String {
    let mut k = String::new();
    for g in &content.groups {
        k.push_str(&format!("{:?}{}{:?};", g.status, g.hidden, g.areas));
    }
    k
}

/// Works out every district's covering or nearest groups, on both cores.
pub fn district_groups(content: &Content) -> Vec<DistrictGroups> {
    let mut covering: HashMap<&str, Vec<(usize, bool)>> = HashMap::new();
    // Per district: each group's first sector digit (0 for the whole district), which
    // orders part-district groups as the search does, and the sectors covered.
    let mut first_digit: HashMap<(&str, usize), u8> = HashMap::new();
    let mut parts: HashMap<&str, std::collections::BTreeSet<String>> = HashMap::new();
    for (i, g) in content.groups.iter().enumerate() {
        if g.status == Status::Closed || g.hidden {
            continue;
        }
        for a in &g.areas {
            let (district, partial) = match a.split_once(' ') {
                Some((d, _)) => (d, true),
                None => (a.as_str(), false),
            };
            let digit = match a.split_once(' ') {
                Some((_, s)) => s.parse::<u8>().unwrap_or(9).saturating_add(1),
                None => 0,
            };
            if partial {
                parts.entry(district).or_default().insert(a.clone());
            }
            let first = first_digit.entry((district, i)).or_insert(digit);
            *first = (*first).min(digit);
            let list = covering.entry(district).or_default();
            match list.iter_mut().find(|(j, _)| *j == i) {
                // A whole-district entry beats a sector entry for the same group.
                Some(entry) => entry.1 &= partial,
                None => list.push((i, partial)),
            }
        }
    }
    let points: Vec<(u32, Vec<Point<f64>>)> = content
        .groups
        .iter()
        .enumerate()
        .filter(|(_, g)| g.status != Status::Closed && !g.hidden)
        .map(|(i, g)| (i as u32, group_points(g)))
        .collect();
    let points = NearestIndex::new(&points);
    geography()
        .districts()
        .par_iter()
        .map(|d| {
            let mut cover = covering.get(d.code.as_str()).cloned().unwrap_or_default();
            // Whole-district groups first, then paused ones last.
            cover.sort_by_key(|&(i, partial)| {
                (
                    partial,
                    content.groups[i].status != Status::Active,
                    first_digit.get(&(d.code.as_str(), i)).copied().unwrap_or(0),
                    i,
                )
            });
            let nearest = if cover.is_empty() {
                points
                    .nearest(d.point(), NEAREST)
                    .into_iter()
                    .map(|(i, miles)| (i as usize, miles))
                    .collect()
            } else {
                Vec::new()
            };
            DistrictGroups {
                code: d.code.clone(),
                parts: parts
                    .get(d.code.as_str())
                    .map(|p| {
                        p.iter()
                            .map(|s| crate::search::query::part_label(s))
                            .collect()
                    })
                    .unwrap_or_default(),
                covering: cover,
                nearest,
            }
        })
        .collect()
}
