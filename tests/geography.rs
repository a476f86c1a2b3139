//! The example directory's maps and district pages, as a resident sees them.

use std::path::Path;

use aidmap::{BuildOptions, BuildOutcome, Site};

/// The example directory, loaded and built once for all tests in this file.
fn built() -> &'static (Site, aidmap::output::Output) {
    static BUILT: std::sync::OnceLock<(Site, aidmap::output::Output)> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = Site::load(root, &BuildOptions::default()).unwrap();
        let BuildOutcome::Built { output, .. } =
            aidmap::build_site(root, &BuildOptions::default()).unwrap()
        else {
            panic!("the example directory builds");
        };
        (site, output)
    })
}

fn page(output: &aidmap::output::Output, path: &str) -> String {
    String::from_utf8_lossy(output.get(path).unwrap_or_else(|| panic!("{path} missing")))
        .into_owned()
}

/// The inline `<svg>…</svg>` of a page.
fn svg(html: &str) -> &str {
    let start = html.find("<svg").expect("an inline svg");
    let end = html[start..].find("</svg>").expect("a closed svg") + start + 6;
    &html[start..end]
}

#[test]
fn every_group_page_has_an_accessible_map_of_its_districts_within_budget() {
    let (site, output) = built();
    for g in &site.content.groups {
        let html = page(output, &format!("groups/{}/index.html", g.slug));
        let map = svg(&html);
        // A group of named links (an `img`'s children would be presentational).
        assert!(
            map.contains(r#"role="group" aria-labelledby="gm-title" aria-describedby="gm-desc""#),
            "{}: no role",
            g.slug
        );
        for d in g.districts() {
            let link = format!(r#"<a href="../../postcodes/{}/""#, d.to_lowercase());
            assert!(map.contains(&link), "{}: {d} is not a link", g.slug);
            page(
                output,
                &format!("postcodes/{}/index.html", d.to_lowercase()),
            );
        }
        assert!(map.contains("<title"), "{}: no title", g.slug);
        assert!(map.contains("<desc"), "{}: no desc", g.slug);
        assert!(map.contains("<path"), "{}: nothing drawn", g.slug);
        for d in g.districts() {
            assert!(
                map.contains(&d),
                "{}: district {d} not named on the map",
                g.slug
            );
        }
        assert!(
            map.len() < 20 * 1024,
            "{}: map is {} bytes, over 20 KB",
            g.slug,
            map.len()
        );
        // The covered areas are also listed as text for people who cannot see the map.
        for a in &g.areas {
            assert!(
                html.contains(a.as_str()),
                "{}: {a} not listed as text",
                g.slug
            );
        }
    }
}

#[test]
fn a_district_with_no_group_lists_the_nearest_in_order() {
    let (_, output) = built();
    // NR5 borders NR2, which NR2 Covid Community Response covers; nobody covers NR5.
    let html = page(output, "postcodes/nr5/index.html");
    assert!(html.contains("No group covers NR5 yet"));
    assert!(
        html.contains("NR2 Covid Community Response"),
        "the NR2 group next door is listed"
    );
    // Issue #23: nothing beyond the site's nearest_within_miles (20): Brentwood, about
    // 100 miles off, is not offered.
    assert!(
        !html.contains("Brentwood Mutual Aid"),
        "a group 100 miles away is not near"
    );
    let miles: Vec<f64> = html
        .match_indices(" miles away")
        .map(|(i, _)| {
            let before = &html[..i];
            // The card's line: `<p class="distance">2.3 miles away</p>`.
            let start = before.rfind('>').unwrap() + 1;
            before[start..].parse::<f64>().unwrap()
        })
        .collect();
    assert!(!miles.is_empty() && miles.len() <= 5, "{miles:?}");
    assert!(
        miles.windows(2).all(|w| w[0] <= w[1]),
        "distances ascend: {miles:?}"
    );
    assert!(miles.iter().all(|m| *m <= 20.0), "{miles:?}");
    assert!(miles[0] < 5.0, "NR2 is next door: {miles:?}");
    // One rounding everywhere: a tenth of a mile.
    assert!(html.contains(&format!("{:.1} miles away", miles[0])));
    // Closed groups never appear as nearest.
    assert!(!html.contains("Wixams and Wilstead Community Shopping Club"));
}

/// Issue #23: far from every group, the page says so and offers the directory's other
/// routes to help and how to start a group, and a group covering one sector of a
/// district is said to cover part of it.
#[test]
fn a_district_far_from_any_group_offers_other_help_and_part_coverage_is_said() {
    let (_, output) = built();
    let html = page(output, "postcodes/iv27/index.html");
    assert!(html.contains("No group near you yet: none covers IV27, and none is within 20 miles."));
    assert!(
        html.contains(r#"NHS 111: <a class="tel" href="tel:111">111</a>"#),
        "other help listed"
    );
    assert!(html.contains("about/#start"), "how to start a group");
    assert!(!html.contains(" miles away"), "no far-away group");
    let html = page(output, "postcodes/mk45/index.html");
    assert!(html.contains(
        "1 group covers part of MK45: postcodes starting MK45 3 (Wilstead, Houghton Conquest, Haynes Church End). Type your full postcode to check."
    ));
}

#[test]
fn a_covered_district_lists_its_groups_and_every_district_has_a_page() {
    let (_, output) = built();
    let html = page(output, "postcodes/nr2/index.html");
    assert!(html.contains("NR2 Covid Community Response"));
    assert!(html.contains("01632 960214"));
    let districts = output
        .iter()
        .filter(|(p, _)| p.starts_with("postcodes/") && p.matches('/').count() == 2)
        .count();
    assert!(districts > 2900, "only {districts} postcode pages");
    let area = page(output, "postcodes/nr/index.html");
    assert!(area.contains("href=\"../../postcodes/nr2/\""));
}

#[test]
fn map_pages_carry_the_data_attribution() {
    let (_, output) = built();
    for path in [
        "index.html",
        "groups/nr2-covid-community-response/index.html",
        "postcodes/nr5/index.html",
        "areas/se/index.html",
    ] {
        let html = page(output, path);
        assert!(
            html.contains("Contains OS data © Crown copyright and database right 2024"),
            "{path}"
        );
        assert!(html.contains("Royal Mail copyright"), "{path}");
    }
}
