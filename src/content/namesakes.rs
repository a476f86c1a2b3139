//! Two groups with one name: a second copy of one group, or *namesakes*, different
//! groups in different towns that happen to share a generic name ("Helping Hands",
//! "Covid 19 support group").
//!
//! The one rule, used by `aidmap check` (an error), `aidmap report` (a likely
//! duplicate) and `aidmap import` (a merge): two groups are one group twice when their
//! names give the same [`name_key`](super::name_key) and they are [`near`] each other.
//! Namesakes far apart are allowed; every list, card and search result then shows the
//! place beside the name ([`place_hints`]), so a resident can tell them apart.

use std::collections::HashMap;

use geo::{Intersects, Point};

use super::{name_key, Group};
use crate::geo::distance::distance_miles;
use crate::geo::geography;

/// Groups whose covered places are at most this far apart (miles) are near each other.
pub const NEAR_MILES: f64 = 5.0;

/// Names at least this similar (Jaro-Winkler, 0 to 1, on [`words_key`]s) are alike.
pub const NAME_SIMILARITY: f64 = 0.92;

/// A name as [`names_alike`] compares it: lowercase letters, digits and single spaces.
pub fn words_key(name: &str) -> String {
    name.to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ')
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether two names (as [`words_key`]s) are so alike that one may be a second copy of
/// the other: `aidmap report` lists such groups near each other, `aidmap import` merges
/// two records of alike names that give the same link. Names that both carry numbers,
/// and different ones ("Ward 3 Helpers", "Ward 4 Helpers"), are not alike.
pub fn names_alike(a_key: &str, b_key: &str) -> bool {
    let numbers = |key: &str| -> Vec<String> {
        key.split(|c: char| !c.is_ascii_digit())
            .filter(|n| !n.is_empty())
            .map(|n| n.trim_start_matches('0').to_string())
            .collect()
    };
    let (na, nb) = (numbers(a_key), numbers(b_key));
    let numbered_apart = !na.is_empty() && !nb.is_empty() && na != nb;
    !numbered_apart && strsim::jaro_winkler(a_key, b_key) >= NAME_SIMILARITY
}

/// The points a group covers: each area's centroid (a sector's own, else its
/// district's).
fn points(g: &Group) -> Vec<Point<f64>> {
    let geo = geography();
    g.areas
        .iter()
        .filter_map(|a| match a.split_once(' ') {
            Some(_) => geo
                .sector(a)
                .map(|s| Point::new(s.lon, s.lat))
                .or_else(|| geo.district(a.split(' ').next()?).map(|d| d.point())),
            None => geo.district(a).map(|d| d.point()),
        })
        .collect()
}

/// Why two groups are near each other (see [`near_why`]), as data for a page to say in
/// its language.
#[derive(Debug, Clone, PartialEq)]
pub enum Near {
    /// They both cover this district.
    Both(String),
    /// The places they cover are this many miles apart (one decimal).
    Miles(String),
    /// They cover these two districts, which share a border.
    Neighbours(String, String),
}

impl std::fmt::Display for Near {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Near::Both(d) => write!(f, "both cover {d}"),
            Near::Miles(m) => write!(f, "{m} miles apart"),
            Near::Neighbours(x, y) => write!(f, "{x} and {y} are neighbours"),
        }
    }
}

/// Whether two groups are near each other, and why in words: they cover a district in
/// common, they cover districts that share a border, or the places they cover are
/// within [`NEAR_MILES`] of each other.
pub fn near(a: &Group, b: &Group) -> Option<String> {
    near_why(a, b).map(|n| n.to_string())
}

/// [`near`], the reason as data.
pub fn near_why(a: &Group, b: &Group) -> Option<Near> {
    let (da, db) = (a.districts(), b.districts());
    if let Some(d) = da.iter().find(|d| db.contains(d)) {
        return Some(Near::Both(d.to_string()));
    }
    let (pa, pb) = (points(a), points(b));
    let mut closest = f64::INFINITY;
    for p in &pa {
        for q in &pb {
            closest = closest.min(distance_miles(*p, *q));
        }
    }
    if closest <= NEAR_MILES {
        return Some(Near::Miles(format!("{closest:.1}")));
    }
    // Neighbouring districts can be far apart by centroid in the country: ask the
    // outlines, but only for pairs close enough to share a border at all.
    if closest <= 4.0 * NEAR_MILES {
        let shapes = geography().shapes();
        for x in &da {
            for y in &db {
                let (Some(sx), Some(sy)) = (shapes.district(x), shapes.district(y)) else {
                    continue;
                };
                if sx.bbox.intersects(&sy.bbox) && sx.polygon.intersects(&sy.polygon) {
                    return Some(Near::Neighbours(x.to_string(), y.to_string()));
                }
            }
        }
    }
    None
}

/// Whether `a` and `b` are one group twice (see the module doc), and why.
pub fn same_group(a: &Group, b: &Group) -> Option<String> {
    if name_key(&a.name) != name_key(&b.name) {
        return None;
    }
    near(a, b)
}

/// Every pair (by index, first < second) of `groups` that is one group twice, with the
/// reason, in index order. Only groups of one name are compared.
pub fn clashes(groups: &[Group]) -> Vec<(usize, usize, String)> {
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, g) in groups.iter().enumerate() {
        by_name.entry(name_key(&g.name)).or_default().push(i);
    }
    let mut out = Vec::new();
    for members in by_name.values().filter(|m| m.len() > 1) {
        for (n, &i) in members.iter().enumerate() {
            for &j in &members[n + 1..] {
                if let Some(why) = near(&groups[i], &groups[j]) {
                    out.push((i.min(j), i.max(j), why));
                }
            }
        }
    }
    out.sort();
    out
}

/// The place that tells a group from its namesakes: the main place of its first
/// district ("Ripon"), with the district's code when that is not enough.
fn place_of(g: &Group, with_code: bool) -> Option<String> {
    let code = g.districts().into_iter().next()?;
    let name = geography()
        .district(&code)
        .map(|d| d.name.clone())
        .filter(|n| !n.is_empty());
    Some(match (name, with_code) {
        (Some(n), false) => n,
        (Some(n), true) => format!("{n}, {code}"),
        (None, _) => code,
    })
}

/// Sets [`Group::place`] on every group that shares its name with another, and clears it
/// on the rest.
pub fn place_hints(groups: &mut [Group]) {
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, g) in groups.iter_mut().enumerate() {
        g.place = None;
        by_name.entry(name_key(&g.name)).or_default().push(i);
    }
    for members in by_name.values().filter(|m| m.len() > 1) {
        let places: Vec<Option<String>> = members
            .iter()
            .map(|&i| place_of(&groups[i], false))
            .collect();
        for (n, &i) in members.iter().enumerate() {
            let alone = places.iter().filter(|p| **p == places[n]).count() == 1;
            groups[i].place = if alone {
                places[n].clone()
            } else {
                place_of(&groups[i], true)
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(name: &str, areas: &[&str]) -> Group {
        let text = format!(
            "name: {name}\nsummary: x\nareas: [{}]\ncontact:\n  phone: \"01632 960001\"\nlast_checked: 2026-01-01\n",
            areas.join(", ")
        );
        let config = crate::config::Config::parse(
            std::path::Path::new("site.yaml"),
            "title: T\nbase_url: https://example.org/\nlicence: CC0\n",
        )
        .0
        .expect("config");
        Group::parse(std::path::Path::new("g.yaml"), "g", &text, &config)
            .0
            .expect("group")
    }

    #[test]
    fn one_name_near_is_one_group_far_is_namesakes() {
        let a = group("Helping Hands", &["NR2"]);
        assert_eq!(
            same_group(&a, &group("helping  hands!", &["NR2"])).as_deref(),
            Some("both cover NR2")
        );
        assert!(same_group(&a, &group("Helping Hands", &["NR3"])).is_some());
        assert_eq!(same_group(&a, &group("Helping Hands", &["L1"])), None);
        assert_eq!(same_group(&a, &group("Other Hands", &["NR2"])), None);
        let mut groups = vec![a, group("Helping Hands", &["L1"])];
        place_hints(&mut groups);
        assert!(groups.iter().all(|g| g.place.is_some()));
        assert_ne!(groups[0].place, groups[1].place);
    }
}
