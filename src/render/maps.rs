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

/// A map's SVG with its `<title>` and `<desc>` in the page's language, from the `map_*`
/// words of its strings file (the drawing is shared by every language; only these two
/// elements are written again, a copy of the SVG a page). Place names are the
/// language's own (`Caerdydd` on Welsh pages); `site_title` is the directory's name on
/// this language's pages, for the home map.
pub fn svg_in(m: &SvgMap, lang: &crate::i18n::Lang, site_title: &str) -> String {
    match words(&m.caption, lang, site_title) {
        Some((title, desc)) => m.with_words(&title, &desc),
        None => m.svg.clone(),
    }
}

/// The title and description of a map in `lang` (None when the map kept no caption).
pub fn words(
    caption: &map::Caption,
    lang: &crate::i18n::Lang,
    site_title: &str,
) -> Option<(String, String)> {
    use map::Caption;
    let sep = lang.text("list_sep");
    let list = |codes: &[String]| codes.join(sep);
    let mut desc: Vec<String> = Vec::new();
    let mut sentence = |key: &str, codes: &[String]| {
        if !codes.is_empty() {
            desc.push(lang.fill(key, &[("list", &list(codes))]));
        }
    };
    let title = match caption {
        Caption::None => return None,
        Caption::Group {
            name,
            whole,
            sectors,
            others,
        } => {
            sentence("map_desc_whole", whole);
            sentence("map_desc_sectors", sectors);
            sentence("map_desc_others", others);
            desc.insert(0, lang.fill("map_group_desc", &[("name", name)]));
            lang.fill("map_group_title", &[("name", name)])
        }
        Caption::Area {
            code,
            name,
            groups,
            estimated,
        } => {
            let name = lang.place_name(name);
            desc.push(lang.fill("map_area_desc", &[("code", code), ("name", &name)]));
            for (i, (group, pattern, codes)) in groups.iter().enumerate() {
                desc.push(lang.fill(
                    "map_area_group",
                    &[
                        ("n", &(i + 1).to_string()),
                        ("name", group),
                        ("style", pattern_words(lang, *pattern)),
                        ("list", &list(codes)),
                    ],
                ));
            }
            if *estimated {
                desc.push(lang.text("map_area_estimated").to_string());
            }
            lang.fill("map_area_title", &[("name", &name)])
        }
        Caption::AreaDistricts {
            code,
            name,
            with,
            without,
        } => {
            let name = lang.place_name(name);
            sentence("map_area_with", with);
            sentence("map_area_without", without);
            desc.insert(
                0,
                lang.fill(
                    "map_area_districts_desc",
                    &[("code", code), ("name", &name)],
                ),
            );
            lang.fill("map_area_title", &[("name", &name)])
        }
        Caption::Overview {
            areas,
            most,
            some,
            none,
        } => {
            let or_none = |codes: &[String]| {
                if codes.is_empty() {
                    lang.text("map_none_listed").to_string()
                } else {
                    list(codes)
                }
            };
            desc.push(lang.count("map_overview_desc", *areas, &[]));
            desc.push(lang.fill(
                "map_overview_shares",
                &[
                    ("most", &or_none(most)),
                    ("some", &or_none(some)),
                    ("none", &or_none(none)),
                ],
            ));
            lang.fill("map_overview_title", &[("title", site_title)])
        }
        Caption::District {
            code,
            name,
            large_user,
            whole,
            sectors,
            others,
        } => {
            let what = if name.is_empty() {
                code.clone()
            } else {
                format!("{code} ({})", lang.place_name(name))
            };
            let key = if *large_user {
                "map_district_large"
            } else {
                "map_district_desc"
            };
            sentence("map_district_whole", whole);
            sentence("map_district_sectors", sectors);
            sentence("map_district_others", others);
            desc.insert(0, lang.fill(key, &[("what", &what)]));
            lang.fill("map_this", &[("code", code)])
        }
    };
    Some((title, desc.join(" ")))
}

/// An area map's fill pattern in words (`map_pattern_1` is the first).
pub fn pattern_words(lang: &crate::i18n::Lang, pattern: usize) -> &str {
    const KEYS: [&str; 8] = [
        "map_pattern_1",
        "map_pattern_2",
        "map_pattern_3",
        "map_pattern_4",
        "map_pattern_5",
        "map_pattern_6",
        "map_pattern_7",
        "map_pattern_8",
    ];
    KEYS.get(pattern).map_or("", |k| lang.text(k))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo::data::geography;

    fn coverage(entries: &[&str]) -> Vec<Coverage> {
        entries
            .iter()
            .map(|e| geography().check_coverage_entry(e).unwrap().coverage)
            .collect()
    }

    /// English pages write a map's words from en.yaml; they must say what the drawing
    /// code says (leaflets keep the drawn words), word for word.
    #[test]
    fn the_english_words_from_the_strings_file_are_the_drawn_ones() {
        let en = crate::i18n::english();
        let (a, b) = (coverage(&["NR2", "NR3 1"]), coverage(&["NR4"]));
        let groups = [
            GroupCoverage {
                name: "Norwich <West> Aid",
                coverage: &a,
            },
            GroupCoverage {
                name: "Eaton",
                coverage: &b,
            },
        ];
        let opts = MapOptions {
            links: Some("../../".into()),
            ..MapOptions::default()
        };
        let maps = [
            map::group_map(&groups[0], &opts),
            map::area_map("NR", &groups, &opts),
            map::district_map("NR2", &groups, &opts),
            map::district_map("NR3", &groups, &opts),
            map::overview_map(
                &Overview {
                    title: "Where Norfolk Aid has groups, and where it has none yet",
                    areas: &["NR", "IP"],
                    districts: &[],
                    groups: &groups,
                },
                &opts,
            ),
        ];
        // Ten groups in one area: more than the patterns, so it is mapped by district.
        let many: Vec<GroupCoverage<'_>> = (0..10).map(|i| groups[i % 2]).collect();
        let by_district = map::area_map("NR", &many, &opts);
        assert!(matches!(
            by_district.caption,
            map::Caption::AreaDistricts { .. }
        ));
        let maps: Vec<_> = maps.into_iter().chain([by_district]).collect();
        for m in &maps {
            assert!(!matches!(m.caption, map::Caption::None));
            assert_eq!(svg_in(m, en, "Norfolk Aid"), m.svg);
        }
    }

    /// A Welsh page's map says its title and description in Welsh, with the Welsh name
    /// of a Welsh place, and keeps every shape.
    #[test]
    fn a_welsh_page_gets_the_map_in_welsh_words() {
        let cy = crate::i18n::welsh();
        let cov = coverage(&["CF10"]);
        let m = map::district_map(
            "CF10",
            &[GroupCoverage {
                name: "Cardiff Helpers",
                coverage: &cov,
            }],
            &MapOptions::default(),
        );
        let svg = svg_in(&m, &cy, "Test");
        assert!(
            svg.contains("Map o ddosbarth cod post CF10 (Caerdydd)"),
            "{svg}"
        );
        assert!(!svg.contains("Map of postcode district"));
        let shapes = |s: &str| s[s.find("</desc>").unwrap()..].to_string();
        assert_eq!(shapes(&svg), shapes(&m.svg));
    }

    /// An area with more groups than patterns is mapped by district; on a Welsh page its
    /// description and key are Welsh too.
    #[test]
    fn an_area_mapped_by_district_speaks_the_page_language() {
        let cy = crate::i18n::welsh();
        let cov = coverage(&["CF10"]);
        let groups: Vec<GroupCoverage<'_>> = (0..10)
            .map(|_| GroupCoverage {
                name: "Cardiff Helpers",
                coverage: &cov,
            })
            .collect();
        let m = map::area_map("CF", &groups, &MapOptions::default());
        let svg = svg_in(&m, &cy, "Test");
        assert!(svg.contains("fesul dosbarth cod post"), "{svg}");
        assert!(svg.contains("Caerdydd") && svg.contains("CF10"), "{svg}");
        assert!(!svg.contains("postcode district"), "{svg}");
        let key = cy.map_key(&m.key);
        assert!(key.iter().all(|k| !k.label.contains("Postcode")), "{key:?}");
    }
}
