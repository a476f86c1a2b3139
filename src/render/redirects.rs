//! The hosts' `_redirects` file (Netlify and Cloudflare Pages read the same format):
//! the no-JavaScript postcode box's shortcut, and each language's 404 page.
//!
//! Without JavaScript the postcode box sends a resident to `postcodes/?q=WHAT+THEY+TYPED`,
//! the honest step page ("your district is the first half of your postcode, choose it").
//! Netlify can match a query value exactly, so a typed district (`NR2` or `nr2`) or
//! postcode area (`NR`) goes straight to its page instead. Everything else, a full
//! postcode included, still lands on the step page.
//!
//! Why exact values, one rule per district and case, and not one placeholder rule
//! (`q=:q` to `postcodes/:q/`): a placeholder sends every typing slip, full postcode and
//! capital letter to a missing page (Netlify's paths are case-sensitive), and the 404
//! page's own search box would send the resident there again. An exact rule only ever
//! points at a page that exists, and no rule matches a district page, so no loop.
//!
//! The figures: 2,970 districts and 124 areas, in capitals and in small letters, are
//! 6,188 rules (about 300 KB) per language, whatever the number of groups; Netlify sets
//! no limit (it advises placeholders from 10,000 rules on, which two languages pass). Cloudflare
//! Pages cannot match a query and skips a line of four fields before counting it
//! against its 2,000 static and 100 dynamic rules, so there the step page answers, as
//! on every other host; its 404 lines (one dynamic rule per language) are skipped too,
//! and it finds each folder's `404.html` by itself.

use std::fmt::Write as _;

use crate::config::Config;
use crate::render::pages::base_path;
use crate::render::postcodes::DistrictGroups;

/// The `_redirects` file for a site whose district pages are `districts`.
pub fn redirects(config: &Config, districts: &[DistrictGroups]) -> String {
    let base = base_path(&config.base_url);
    let base = if base.ends_with('/') {
        base
    } else {
        format!("{base}/")
    };
    // Every postcode area with a district page has an area page too (see pages.rs).
    let mut codes: Vec<&str> = districts.iter().map(|d| d.code.as_str()).collect();
    let mut areas: Vec<&str> = districts
        .iter()
        .map(|d| crate::content::areas::area_of(&d.code))
        .collect();
    areas.sort_unstable();
    areas.dedup();
    codes.extend(areas);
    codes.sort_unstable();
    codes.dedup();

    let mut out = String::from(
        "# Written by aidmap. Netlify: a district or postcode area typed in the postcode box\n\
         # without JavaScript (postcodes/?q=NR2) goes to its page; anything else stays on the\n\
         # step page. `!` because postcodes/ is a page itself. Cloudflare Pages cannot match\n\
         # a query and skips these lines (four fields): there the step page answers.\n",
    );
    // Each language's own folder (the first language at the root), the default last so
    // its `/*` 404 rule comes after every other folder's.
    let folders: Vec<String> = config
        .languages
        .iter()
        .skip(1)
        .map(|l| format!("{base}{l}/"))
        .chain(std::iter::once(base.clone()))
        .collect();
    for folder in &folders {
        for code in &codes {
            let slug = code.to_lowercase();
            for typed in [code.to_uppercase(), slug.clone()] {
                let _ = writeln!(
                    out,
                    "{folder}postcodes/ q={typed} {folder}postcodes/{slug}/ 302!"
                );
            }
        }
    }
    out.push_str("# Each language's folder answers a missing page with its own 404 page.\n");
    for folder in &folders {
        let _ = writeln!(out, "{folder}* {folder}404.html 404");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn district(code: &str) -> DistrictGroups {
        DistrictGroups {
            code: code.into(),
            covering: Vec::new(),
            nearest: Vec::new(),
            parts: Vec::new(),
        }
    }

    #[test]
    fn every_rule_points_at_a_page_and_no_rule_matches_one() {
        let mut config = Config::fallback();
        config.base_url = "https://example.org/aid/".into();
        config.languages = vec!["en".into(), "cy".into()];
        let text = redirects(&config, &[district("NR2"), district("CF10")]);
        let rules: Vec<Vec<&str>> = text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| l.split_whitespace().collect())
            .collect();
        assert!(rules.contains(&vec![
            "/aid/postcodes/",
            "q=NR2",
            "/aid/postcodes/nr2/",
            "302!"
        ]));
        assert!(rules.contains(&vec![
            "/aid/cy/postcodes/",
            "q=cf",
            "/aid/cy/postcodes/cf/",
            "302!"
        ]));
        let n = rules.len();
        assert_eq!(rules[n - 2], ["/aid/cy/*", "/aid/cy/404.html", "404"]);
        assert_eq!(rules[n - 1], ["/aid/*", "/aid/404.html", "404"]);
        // 2 districts + 2 areas, 2 spellings, 2 languages; then 2 404 rules.
        assert_eq!(n, 4 * 2 * 2 + 2);
    }
}
