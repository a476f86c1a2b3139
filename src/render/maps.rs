//! Draws every map a site needs, on both cores, before pages are rendered.
//!
//! Group pages get their coverage, area pages every group in the area with a key, the
//! home page the directory's region with its gaps (by postcode area), and each district
//! page a small map. Every map's districts link to their pages, relative to the page.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::cache::BuildCache;
use crate::config::Config;
use crate::content::{areas, Content, Status};
use crate::geo::map::{self, GroupCoverage, MapOptions, Overview, SvgMap};
use crate::geo::Coverage;
use crate::render::postcodes::DistrictGroups;

/// Every map of a site but the groups' own, as inline SVG. A group's map is drawn with
/// its pages ([`group_map`]) so that 50,000 of them are never held at once.
#[derive(Debug, Default)]
pub struct Maps {
    /// Postcode area (upper case) -> map of its groups.
    pub areas: HashMap<String, SvgMap>,
    /// The region map with its gaps, for the home page.
    pub overview: Option<SvgMap>,
    /// District code -> small map.
    pub districts: HashMap<String, SvgMap>,
}

/// A map's options; `root` is the way back to the site's root from the page it is on
/// (its districts link to their pages from there).
fn options(config: &Config, prefix: &str, root: &str) -> MapOptions {
    MapOptions {
        id_prefix: prefix.to_string(),
        ni_polygons: config.ni_polygons,
        links: Some(root.to_string()),
        ..MapOptions::default()
    }
}

/// Group, area and district pages are two folders down (`groups/x/`, `areas/nr/`,
/// `postcodes/nr2/`).
const DOWN_TWO: &str = "../../";

/// The coverage map of group `i` (in content order).
pub fn group_map(content: &Content, config: &Config, cache: &BuildCache, i: usize) -> SvgMap {
    let g = &content.groups[i];
    let coverage: Vec<Coverage> = g.areas.iter().map(|a| areas::coverage(a)).collect();
    let c = GroupCoverage {
        name: &g.name,
        coverage: &coverage,
    };
    let ni = config.ni_polygons;
    cache.maps.get_or(
        || format!("group {ni} {}", key(&[&c])),
        || map::group_map(&c, &options(config, "gm", DOWN_TWO)),
    )
}

/// Draws the area, region and district maps.
pub fn draw(
    content: &Content,
    config: &Config,
    districts: &[DistrictGroups],
    cache: &BuildCache,
) -> Maps {
    let memo = &cache.maps;
    let ni = config.ni_polygons;
    let coverage: Vec<Vec<Coverage>> = content
        .groups
        .iter()
        .map(|g| g.areas.iter().map(|a| areas::coverage(a)).collect())
        .collect();
    let cov = |i: usize| GroupCoverage {
        name: &content.groups[i].name,
        coverage: &coverage[i],
    };

    let mut by_area: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, g) in content.groups.iter().enumerate() {
        if g.status != Status::Closed {
            for a in g.postcode_areas() {
                by_area.entry(a).or_default().push(i);
            }
        }
    }
    let areas_drawn = by_area
        .par_iter()
        .map(|(area, members)| {
            let list: Vec<GroupCoverage<'_>> = members.iter().map(|&i| cov(i)).collect();
            let m = memo.get_or(
                || format!("area {area} {ni} {}", key(&list.iter().collect::<Vec<_>>())),
                || map::area_map(area, &list, &options(config, "am", DOWN_TWO)),
            );
            (area.clone(), m)
        })
        .collect();

    let running: Vec<GroupCoverage<'_>> = (0..content.groups.len())
        .filter(|&i| content.groups[i].status != Status::Closed)
        .map(cov)
        .collect();
    let mut region: Vec<String> = config
        .region
        .iter()
        .filter(|r| !r.chars().any(|c| c.is_ascii_digit()))
        .cloned()
        .collect();
    if region.is_empty() {
        let mut all: Vec<String> = by_area.keys().cloned().collect();
        all.sort();
        region = all;
    }
    let region_districts: Vec<&str> = config
        .region
        .iter()
        .filter(|r| r.chars().any(|c| c.is_ascii_digit()))
        .map(String::as_str)
        .collect();
    let region_areas: Vec<&str> = region.iter().map(String::as_str).collect();
    let overview = (!running.is_empty()).then(|| {
        map::overview_map(
            &Overview {
                title: &format!(
                    "Where {} has groups, and where it has none yet",
                    config.title
                ),
                areas: &region_areas,
                districts: &region_districts,
                groups: &running,
            },
            &options(config, "om", ""),
        )
    });

    let t = std::time::Instant::now();
    let districts = districts
        .par_iter()
        .map(|d| {
            let nearby: Vec<GroupCoverage<'_>> = d
                .covering
                .iter()
                .map(|&(i, _)| i)
                .chain(d.nearest.iter().take(2).map(|&(i, _)| i))
                .map(cov)
                .collect();
            let m = memo.get_or(
                || {
                    format!(
                        "district {} {ni} {}",
                        d.code,
                        key(&nearby.iter().collect::<Vec<_>>())
                    )
                },
                || map::district_map(&d.code, &nearby, &options(config, "dm", DOWN_TWO)),
            );
            (d.code.clone(), m)
        })
        .collect();
    if std::env::var_os("AIDMAP_TIMINGS").is_some() {
        eprintln!("timing: district maps: {} ms", t.elapsed().as_millis());
    }
    Maps {
        areas: areas_drawn,
        overview,
        districts,
    }
}

/// A cache key for a map of these groups: each group's name and coverage, in order
/// (a map's picture depends on nothing else but its kind and options).
fn key(groups: &[&GroupCoverage<'_>]) -> String {
    let mut k = String::new();
    for g in groups {
        k.push_str(g.name);
        k.push('\u{1f}');
        for c in g.coverage {
            k.push_str(&format!("{c:?},"));
        }
        k.push('\u{1e}');
    }
    k
}
