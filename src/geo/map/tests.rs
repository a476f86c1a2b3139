//! Map tests: structure, accessibility, escaping and size. Set
//! `AIDMAP_MAP_DUMP=/some/dir` to also write the SVGs there for a look.

use super::*;
use crate::geo::data::geography;

fn coverage(entries: &[&str]) -> Vec<Coverage> {
    entries
        .iter()
        .map(|e| geography().check_coverage_entry(e).unwrap().coverage)
        .collect()
}

fn opts(prefix: &str) -> MapOptions {
    MapOptions {
        id_prefix: prefix.to_string(),
        ..MapOptions::default()
    }
}

fn dump(name: &str, svg: &str) {
    if let Some(dir) = std::env::var_os("AIDMAP_MAP_DUMP") {
        std::fs::write(std::path::Path::new(&dir).join(format!("{name}.svg")), svg).unwrap();
    }
}

/// The checks every map must pass.
fn check(svg: &str, prefix: &str) {
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.ends_with("</svg>"));
    assert!(svg.contains(r#"role="img""#));
    assert!(svg.contains(&format!(
        r#"aria-labelledby="{prefix}-title {prefix}-desc""#
    )));
    assert!(svg.contains(&format!(r#"<title id="{prefix}-title">"#)));
    assert!(svg.contains(&format!(r#"<desc id="{prefix}-desc">"#)));
    assert!(!svg.contains("<script"));
    assert!(!svg.contains("href"), "no external or internal links");
    assert!(!svg.contains("font-face"));
    // An empty `l` command is a syntax error that stops a path rendering.
    assert!(!svg.contains("lz"), "empty path segment");
}

#[test]
fn group_map_one_district() {
    let cov = coverage(&["NR2"]);
    let map = group_map(
        &GroupCoverage {
            name: "Norwich West Aid",
            coverage: &cov,
        },
        &opts("g1"),
    );
    dump("group-nr2", &map.svg);
    check(&map.svg, "g1");
    assert!(map.svg.contains("<path d=\"M"));
    assert!(map.svg.contains(">NR2</text>"));
    // The neighbours are named, not outlined: the only outline is the covered district's.
    assert!(map.svg.contains("Nearby districts, named on the map: "));
    assert!(map.svg.contains(">NR3</text>"), "a neighbour's name");
    assert!(!map.svg.contains(CONTEXT), "no neighbour outlines");
    assert_eq!(
        map.svg.matches("<path d=\"M").count(),
        1,
        "NR2 alone is outlined"
    );
    assert!(map.svg.len() < 6_000, "{} bytes", map.svg.len());
}

#[test]
fn group_map_london() {
    let cov = coverage(&["SW1A", "W1B", "W1D", "W1F", "W2", "SW1V"]);
    let map = group_map(
        &GroupCoverage {
            name: "Westminster Helpers",
            coverage: &cov,
        },
        &opts("g2"),
    );
    dump("group-london", &map.svg);
    check(&map.svg, "g2");
    assert!(map.svg.contains(">SW1A</text>"));
    assert!(map.svg.len() < 20_000, "{} bytes", map.svg.len());
}

#[test]
fn group_map_sector_is_listed_and_keyed_as_estimated() {
    let cov = coverage(&["NR3 1", "NR3 2"]);
    let map = group_map(
        &GroupCoverage {
            name: "Sprowston Street",
            coverage: &cov,
        },
        &opts("g3"),
    );
    dump("group-sector", &map.svg);
    check(&map.svg, "g3");
    assert!(map.svg.contains(r#"class="aidmap-covered aidmap-sector""#));
    assert!(map
        .svg
        .contains("Postcode sectors, shaded blue within their district: NR3 1, NR3 2."));
    assert!(map.key[0].label.contains("estimated"), "{:?}", map.key);
    assert!(map.svg.len() < 20_000, "{} bytes", map.svg.len());
}

/// The numbers of every `M`/`l` path's points, in pixels (the path data the maps write:
/// an absolute start, then relative steps).
fn path_points(d: &str) -> Vec<(f64, f64)> {
    let mut pts = Vec::new();
    for ring in d.split('M').filter(|r| !r.is_empty()) {
        let ring = ring.trim_end_matches('z');
        let (start, steps) = ring.split_once('l').unwrap();
        let nums = |s: &str| -> Vec<f64> {
            s.replace('-', " -")
                .split_whitespace()
                .map(|n| n.parse::<f64>().unwrap())
                .collect()
        };
        let st = nums(start);
        let (mut x, mut y) = (st[0], st[1]);
        pts.push((x, y));
        for pair in nums(steps).chunks(2) {
            (x, y) = (x + pair[0], y + pair[1]);
            pts.push((x, y));
        }
    }
    pts
}

/// The `d` of the first path with these attributes following it.
fn path_with<'a>(svg: &'a str, attrs: &str) -> &'a str {
    let end = svg.find(&format!(r#"" {attrs}"#)).expect(attrs);
    let start = svg[..end].rfind(r#"<path d=""#).unwrap() + 9;
    &svg[start..end]
}

/// A group covering one sector shades that sector's part of the district, not the
/// district: the shaded cell is inside the district's outline and a fraction of it.
#[test]
fn a_sector_only_group_shades_its_sector_not_its_district() {
    let sector = group_map(
        &GroupCoverage {
            name: "Flitwick East",
            coverage: &coverage(&["MK45 3"]),
        },
        &opts("s"),
    );
    dump("group-mk45-3", &sector.svg);
    check(&sector.svg, "s");
    let cell = path_points(path_with(
        &sector.svg,
        r#"class="aidmap-covered aidmap-sector""#,
    ));
    assert!(
        !sector.svg.contains(r#""aidmap-covered" fill"#),
        "no whole district shaded"
    );
    // The same view with the whole district (the map is fitted to the district either way).
    let whole = group_map(
        &GroupCoverage {
            name: "Flitwick",
            coverage: &coverage(&["MK45"]),
        },
        &opts("s"),
    );
    let district = path_points(path_with(&whole.svg, COVERED));
    let area = |pts: &[(f64, f64)]| {
        let (x0, x1) = pts
            .iter()
            .fold((f64::MAX, f64::MIN), |a, p| (a.0.min(p.0), a.1.max(p.0)));
        let (y0, y1) = pts
            .iter()
            .fold((f64::MAX, f64::MIN), |a, p| (a.0.min(p.1), a.1.max(p.1)));
        ((x0, y0), (x1, y1), (x1 - x0) * (y1 - y0))
    };
    let (c0, c1, cell_box) = area(&cell);
    let (d0, d1, district_box) = area(&district);
    assert!(c0.0 >= d0.0 - 1.0 && c0.1 >= d0.1 - 1.0 && c1.0 <= d1.0 + 1.0 && c1.1 <= d1.1 + 1.0);
    assert!(
        cell_box < district_box * 0.8,
        "{cell_box} of {district_box}"
    );
    assert!(sector.svg.contains(">MK45 3</text>"));
}

/// Linked maps: every district drawn links to its page from the page's root, named,
/// and the map is a group of links; the leaflet's copy has none and is an image.
#[test]
fn linked_maps_link_every_district_and_unlinked_copies_none() {
    let cov = coverage(&["MK45", "MK44 1"]);
    let linked = MapOptions {
        links: Some("../../".to_string()),
        ..opts("l")
    };
    let map = group_map(
        &GroupCoverage {
            name: "Flitwick",
            coverage: &cov,
        },
        &linked,
    );
    dump("group-linked", &map.svg);
    assert!(map
        .svg
        .contains(r#"role="group" aria-labelledby="l-title" aria-describedby="l-desc""#));
    assert!(map
        .svg
        .contains(r#"<a href="../../postcodes/mk45/" aria-label="MK45 "#));
    assert!(map
        .svg
        .contains(r#"<a href="../../postcodes/mk44/" aria-label="MK44 "#));
    // A group's map links the districts it covers; its neighbours are drawn unlinked
    // (their links were a fifth of a group page, issue 25). A district's map links them.
    let links = map.svg.matches("<a href=").count();
    let own = map
        .svg
        .matches(r#"<a href="../../postcodes/mk45/""#)
        .count()
        + map
            .svg
            .matches(r#"<a href="../../postcodes/mk44/""#)
            .count();
    assert!(links >= 2, "{links} links");
    assert_eq!(links, own, "only MK45 and MK44 link: {}", map.svg);
    assert_eq!(links, map.svg.matches("</a>").count());
    assert!(map.svg.contains(">MK42<"), "neighbours drawn and labelled");
    let paper = map.unlinked();
    check(&paper, "l");
    assert!(paper.contains("<path"));
    let district = district_map("mk45", &[], &linked);
    assert!(
        !district.svg.contains("postcodes/mk45/"),
        "not a link to itself"
    );
    assert!(district.svg.contains("postcodes/mk44/"));
    assert!(district.svg.matches("<a href=").count() > 5);
}

/// Every label is at least 11 CSS px when a 480 px map is drawn on a 375 px phone
/// (335 px wide at the narrowest, see `PHONE_MAP_PX`).
#[test]
fn labels_are_readable_on_a_phone() {
    let cov = coverage(&["MK45", "MK44 1"]);
    let group = GroupCoverage {
        name: "Flitwick",
        coverage: &cov,
    };
    let maps = [
        group_map(&group, &opts("a")).svg,
        district_map("mk45", &[group], &opts("b")).svg,
        area_map("MK", &[group], &opts("c")).svg,
        overview_map(
            &Overview {
                title: "t",
                areas: &["MK", "NR"],
                districts: &[],
                groups: &[group],
            },
            &opts("d"),
        )
        .svg,
    ];
    for svg in &maps {
        let mut seen = 0;
        for part in svg.split(r#"font-size=""#).skip(1) {
            let size: f64 = part[..part.find('"').unwrap()].parse().unwrap();
            assert!(size * 335.0 / 480.0 >= 11.0, "{size}");
            seen += 1;
        }
        assert!(seen > 0);
    }
}

#[test]
fn ni_district_is_a_circle_unless_opted_in() {
    let cov = coverage(&["BT7"]);
    let group = GroupCoverage {
        name: "South Belfast",
        coverage: &cov,
    };
    let map = group_map(&group, &opts("ni"));
    dump("group-bt7", &map.svg);
    check(&map.svg, "ni");
    assert!(map.svg.contains(r#"<circle cx="#));
    assert!(map.svg.contains(r#"class="aidmap-covered""#));
    let with_polygons = group_map(
        &group,
        &MapOptions {
            ni_polygons: true,
            ..opts("ni2")
        },
    );
    dump("group-bt7-polygons", &with_polygons.svg);
    assert!(with_polygons.svg.contains(r#"<path d="M"#));
}

#[test]
fn untrusted_text_is_escaped() {
    let cov = coverage(&["NR2"]);
    let name = "<script>alert('x')</script> & \"friends\"";
    let map = group_map(
        &GroupCoverage {
            name,
            coverage: &cov,
        },
        &opts("x\"><y"),
    );
    assert!(!map.svg.contains("<script"));
    assert!(map
        .svg
        .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;friends&quot;"));
    // The id prefix is sanitised, not escaped.
    assert!(map.svg.contains(r#"id="xy-title""#));
}

#[test]
fn area_map_distinguishes_groups() {
    let a = coverage(&["NR1", "NR2"]);
    let b = coverage(&["NR2", "NR3", "NR4"]);
    let c = coverage(&["NR7 0"]);
    let groups = [
        GroupCoverage {
            name: "City Centre",
            coverage: &a,
        },
        GroupCoverage {
            name: "North & West",
            coverage: &b,
        },
        GroupCoverage {
            name: "Thorpe",
            coverage: &c,
        },
    ];
    let map = area_map("NR", &groups, &opts("area"));
    dump("area-nr", &map.svg);
    check(&map.svg, "area");
    assert_eq!(map.key.len(), 3);
    assert_eq!(map.key[1].number, Some(2));
    assert_ne!(map.key[0].style, map.key[1].style);
    assert!(
        map.svg.contains(">1,2</text>"),
        "NR2 is shared by groups 1 and 2"
    );
    assert!(map.svg.contains("North &amp; West"));
    println!("area map NR: {} bytes", map.svg.len());
}

#[test]
fn area_map_with_many_groups_shades_districts() {
    // More groups than patterns: a pattern and a key line each would repeat and grow with
    // the directory, so the area's districts are shaded instead, and the map's size stays
    // the same however many groups share them.
    let covers = coverage(&["NR1", "NR2", "NR3 1"]);
    let names: Vec<String> = (0..40).map(|i| format!("Group {i}")).collect();
    let make = |n: usize| -> Vec<GroupCoverage<'_>> {
        names[..n]
            .iter()
            .map(|name| GroupCoverage {
                name,
                coverage: &covers,
            })
            .collect()
    };
    let few = area_map("NR", &make(12), &opts("area"));
    let many = area_map("NR", &make(40), &opts("area"));
    dump("area-nr-many", &many.svg);
    check(&many.svg, "area");
    assert_eq!(few.svg, many.svg, "the map does not grow with the groups");
    assert_eq!(many.key.len(), 2, "{:?}", many.key);
    assert_eq!(many.key[0].swatch, "covered");
    assert_eq!(many.key[1].swatch, "gap");
    assert!(!many.svg.contains("Group 1"), "no group is named");
    assert!(
        !many.svg.contains("<pattern id=\"area-g0"),
        "no group patterns"
    );
    assert!(
        many.svg
            .contains("With a group, shaded blue: NR1, NR2, NR3."),
        "{}",
        many.svg
    );
    assert!(
        many.svg.matches("</text>").count() > 5,
        "districts labelled where there is room"
    );
}

#[test]
fn overview_map_shows_gaps() {
    let a = coverage(&["NR1", "NR2", "NR3 1"]);
    let groups = [GroupCoverage {
        name: "Norwich",
        coverage: &a,
    }];
    let spec = Overview {
        title: "Mutual aid in Norfolk",
        areas: &["NR"],
        districts: &[],
        groups: &groups,
    };
    let map = overview_map(&spec, &opts("ov"));
    dump("overview-nr", &map.svg);
    check(&map.svg, "ov");
    assert!(map.svg.contains(r#"class="aidmap-some""#));
    assert!(map.svg.contains("In fewer than half, striped blue: NR."));
    assert_eq!(map.key[0].swatch, "some");
    println!("overview map NR: {} bytes", map.svg.len());
}

/// The home page's map costs the same whether one group or every district has one:
/// it is drawn by postcode area.
#[test]
fn overview_map_size_does_not_grow_with_groups() {
    let g = geography();
    let codes: Vec<&str> = g
        .districts()
        .iter()
        .filter(|d| !d.large_user_only)
        .map(|d| d.code.as_str())
        .collect();
    let every: Vec<Vec<Coverage>> = codes
        .iter()
        .map(|c| vec![Coverage::District((*c).to_string())])
        .collect();
    let groups: Vec<GroupCoverage> = every
        .iter()
        .map(|c| GroupCoverage {
            name: "g",
            coverage: c,
        })
        .collect();
    let areas: Vec<&str> = g.areas().iter().map(|a| a.code.as_str()).collect();
    let linked = MapOptions {
        links: Some(String::new()),
        ..opts("om")
    };
    let size = |groups: &[GroupCoverage]| {
        let spec = Overview {
            title: "UK",
            areas: &areas,
            districts: &[],
            groups,
        };
        let map = overview_map(&spec, &linked);
        dump(&format!("overview-uk-{}", groups.len()), &map.svg);
        map.svg.len()
    };
    let (one, all) = (size(&groups[..1]), size(&groups));
    println!("overview of the UK: {one} bytes with one group, {all} with every district");
    assert!(all < 40_000 && one < 40_000, "{one} / {all}");
    assert!(all.abs_diff(one) < 2_000, "{one} / {all}");
}

#[test]
fn district_map_highlights() {
    let a = coverage(&["NR1", "NR4"]);
    let groups = [GroupCoverage {
        name: "Norwich",
        coverage: &a,
    }];
    let map = district_map("nr2", &groups, &opts("d"));
    dump("district-nr2", &map.svg);
    check(&map.svg, "d");
    assert!(map.svg.contains(r#"class="aidmap-this""#));
    assert!(map.svg.contains(r#"class="aidmap-covered""#));
    assert_eq!(map.key[1].swatch, "covered");
    assert!(map.svg.len() < 20_000, "{} bytes", map.svg.len());
}

/// A large-user district (no area of its own) is mapped around its centroid, not as
/// the whole of Great Britain with every district listed in the description.
#[test]
fn large_user_district_map_is_local() {
    let map = district_map("CH31", &[], &opts("lu"));
    dump("district-ch31", &map.svg);
    check(&map.svg, "lu");
    assert!(map.svg.contains("<circle") && map.svg.contains(r#"class="aidmap-this""#));
    assert!(map.svg.contains("a black ring marks where it is"));
    assert!(map.svg.contains("CH60") && !map.svg.contains("AB10"));
    assert!(map.svg.len() < 20_000, "{} bytes", map.svg.len());
    assert_eq!(map.key[0].style, "black ring");
}

/// A group's map, on every group page, draws its districts to whole pixels (issue 25);
/// a district's own map keeps a tenth of a pixel for the same district.
#[test]
fn group_map_is_lighter_than_a_district_map() {
    let cov = coverage(&["NR2"]);
    let group = group_map(
        &GroupCoverage {
            name: "Norwich West Aid",
            coverage: &cov,
        },
        &opts("g"),
    );
    let covered = path_with(&group.svg, COVERED);
    assert!(!covered.contains('.'), "whole pixels: {covered}");
    let district = district_map("nr2", &[], &opts("d"));
    let this = path_with(&district.svg, r#"class="aidmap-this""#);
    assert!(this.contains('.'), "tenths of a pixel: {this}");
}

/// Every district name on a group's or a district's map shows whole: one near the edge
/// is moved in (its district runs on past the edge), never cut in half ("NW" of NW6).
#[test]
fn district_names_near_the_edge_show_whole() {
    let group = group_map(
        &GroupCoverage {
            name: "Harlesden Mutual Aid",
            coverage: &coverage(&["NW10 4", "NW10 8", "NW10 9"]),
        },
        &opts("h"),
    );
    let district = district_map("nw10", &[], &opts("d"));
    for svg in [&group.svg, &district.svg] {
        let size_of = |s: &str| -> f64 {
            let at = s.find("font-size=\"").unwrap() + 11;
            s[at..s[at..].find('"').unwrap() + at].parse().unwrap()
        };
        let size = size_of(&svg[svg.find("class=\"aidmap-labels\"").unwrap()..]);
        let view: Vec<f64> = svg[svg.find("viewBox=\"").unwrap() + 9..]
            .split('"')
            .next()
            .unwrap()
            .split(' ')
            .map(|n| n.parse().unwrap())
            .collect();
        let mut names = 0;
        for text in svg.split("<text x=\"").skip(1) {
            let x: f64 = text.split('"').next().unwrap().parse().unwrap();
            let name = &text[text.find('>').unwrap() + 1..text.find("</text>").unwrap()];
            // The label's box as the placer reckons it, less the pixel of room it adds.
            let half = layers::half_size(name, size).0 - 1.0;
            assert!(
                x - half >= -0.5 && x + half <= view[2] + 0.5,
                "{name} at x {x} is cut by the edge of a map {} wide",
                view[2]
            );
            names += 1;
        }
        assert!(names >= 5, "{names} names");
    }
}
