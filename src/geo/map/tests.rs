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
    assert!(map.svg.contains("Neighbouring districts, outlined: "));
    assert!(map.svg.len() < 20_000, "{} bytes", map.svg.len());
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
fn group_map_sector_is_hatched_and_listed() {
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
    assert!(map.svg.contains(r#"<pattern id="g3-part""#));
    assert!(map.svg.contains(r#"fill="url(#g3-part)""#));
    assert!(map
        .svg
        .contains("sectors, in hatched districts and marked with dots: NR3 1, NR3 2."));
    assert!(map.svg.len() < 20_000, "{} bytes", map.svg.len());
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
    assert!(map.svg.contains(r#"class="aidmap-gap""#));
    assert!(map
        .svg
        .contains("Partly covered (some sectors), hatched: NR3."));
    assert_eq!(map.key[2].label, "No group here yet");
    println!("overview map NR: {} bytes", map.svg.len());
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
    assert!(map.svg.contains(r#"class="aidmap-nearby""#));
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
