//! The hosts' `_redirects` file as a fixture build writes it: the no-JavaScript postcode
//! box's shortcut from `postcodes/?q=NR2` to the district's page (Netlify), each
//! language's 404 page, under the site's base path.

use std::path::Path;

use aidmap::{build_site, BuildOptions, BuildOutcome};

/// The `_redirects` of tests/fixtures/`name`, built with `base_url` if given.
fn redirects(name: &str, base_url: Option<&str>) -> (String, Vec<String>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let options = BuildOptions {
        base_url: base_url.map(str::to_string),
    };
    match build_site(&root, &options).expect("the fixture builds") {
        BuildOutcome::Built { output, .. } => {
            let text =
                String::from_utf8(output.get("_redirects").expect("_redirects").to_vec()).unwrap();
            let pages = ["postcodes/nr2/index.html", "postcodes/nr/index.html"]
                .iter()
                .filter(|p| output.get(p).is_some())
                .map(|p| p.to_string())
                .collect();
            (text, pages)
        }
        BuildOutcome::Invalid(d) => panic!("{name} has errors:\n{}", d.render_text()),
    }
}

fn rules(text: &str) -> Vec<Vec<&str>> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split_whitespace().collect())
        .collect()
}

#[test]
fn a_typed_district_or_area_goes_to_its_page_on_netlify() {
    let (text, pages) = redirects("minimal", None);
    // The pages the rules point at exist.
    assert_eq!(
        pages,
        ["postcodes/nr2/index.html", "postcodes/nr/index.html"]
    );
    let rules = rules(&text);
    for typed in ["NR2", "nr2"] {
        let q = format!("q={typed}");
        assert!(
            rules.contains(&vec!["/postcodes/", &q, "/postcodes/nr2/", "302!"]),
            "no rule for {typed}"
        );
    }
    assert!(rules.contains(&vec!["/postcodes/", "q=NR", "/postcodes/nr/", "302!"]));
    // Every district and area in capitals and small letters; then the 404 rule.
    let query_rules = rules.iter().filter(|r| r.len() == 4).count();
    assert!((6_000..7_000).contains(&query_rules), "{query_rules}");
    assert_eq!(rules.last().unwrap(), &vec!["/*", "/404.html", "404"]);
    for r in &rules {
        match r.as_slice() {
            // Never a loop: a rule only leaves the step page, for a district's or area's page.
            [from, q, to, "302!"] => {
                assert_eq!(*from, "/postcodes/");
                assert!(
                    q.starts_with("q=") && !q[2..].contains(|c: char| !c.is_ascii_alphanumeric())
                );
                assert_eq!(*to, format!("/postcodes/{}/", q[2..].to_lowercase()));
            }
            ["/*", "/404.html", "404"] => {}
            other => panic!("unexpected rule {other:?}"),
        }
    }
    // Netlify advises placeholders from 10,000 rules on; Cloudflare Pages skips every
    // four-field line before counting, so only the 404 line counts there (100 dynamic).
    assert!(rules.len() < 10_000);
    assert_eq!(rules.iter().filter(|r| r.len() <= 3).count(), 1);
}

#[test]
fn each_language_and_the_base_path_get_their_own_rules() {
    // tests/fixtures/welsh: `languages: [en, cy]`, published under /help/.
    let (text, _) = redirects("welsh", None);
    let rules = rules(&text);
    assert!(rules.contains(&vec![
        "/help/postcodes/",
        "q=CF10",
        "/help/postcodes/cf10/",
        "302!"
    ]));
    assert!(rules.contains(&vec![
        "/help/cy/postcodes/",
        "q=cf10",
        "/help/cy/postcodes/cf10/",
        "302!"
    ]));
    let n = rules.len();
    // Each language's 404 after every other rule, the root's last.
    assert_eq!(rules[n - 2], ["/help/cy/*", "/help/cy/404.html", "404"]);
    assert_eq!(rules[n - 1], ["/help/*", "/help/404.html", "404"]);
    // A --base-url given to the build wins over site.yaml's.
    let (text, _) = redirects("welsh", Some("https://example.net/sub/path/"));
    assert!(text.contains("\n/sub/path/postcodes/ q=NR2 /sub/path/postcodes/nr2/ 302!\n"));
    assert!(text.ends_with("/sub/path/* /sub/path/404.html 404\n"));
}
