//! A group's page as a resident reads it (issues #23 and #24): contact first, the site's
//! safety line beside the phone, one card on the lists, and closed and paused groups
//! that send people somewhere useful. The fixture `closed-groups` has a running group
//! (NR2), a closed one taken over by it (NR3), a closed one with no successor (NR4) and
//! a paused one (NR5).

mod common;

use common::{fixture, run};

fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let root = fixture("closed-groups");
    let o = run(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    (tmp, out)
}

fn page(out: &std::path::Path, path: &str) -> String {
    std::fs::read_to_string(out.join(path)).unwrap()
}

#[test]
fn a_running_group_page_puts_the_call_button_first() {
    let (_tmp, out) = built();
    let html = page(&out, "groups/nr2-helpers/index.html");
    let name = html.find("<h1>NR2 Helpers</h1>").unwrap();
    let call = html
        .find(r#"<a class="button call" href="tel:+441632960001">Call <span class="tel">01632 960001</span></a>"#)
        .expect("call button");
    // Nothing to tap between the name and the call button.
    assert!(!html[name..call].contains("<a "), "{}", &html[name..call]);
    let hours = html.find("When to call: Every day, 9am to 5pm").unwrap();
    let checked = html
        .find("Checked <time datetime=\"2026-10-01\">1 October 2026</time>")
        .unwrap();
    let safety = html
        .find("Our volunteers will never ask you for money.")
        .unwrap();
    assert!(call < hours && hours < checked && checked < safety);
    // Organisers' links come last, with an e-mail to the maintainers, percent-encoded.
    let organisers = html.find("For organisers and volunteers").unwrap();
    assert!(organisers > safety);
    assert!(html.contains(
        "href=\"mailto:volunteers@example.org?subject=Problem%20with%20a%20listing%3A%20nr2-helpers&amp;body=Listing%3A%20NR2%20Helpers%20%28https%3A%2F%2Fexample.org%2Fgroups%2Fnr2-helpers%2F%29%0A%0AWhat%20is%20wrong"
    ), "{html}");
    assert!(html.contains(">Report a problem with this listing</a>"));
    assert!(html.contains(">Update this listing</a>"));
}

#[test]
fn a_closed_group_page_offers_no_way_to_reach_it() {
    let (_tmp, out) = built();
    for slug in ["nr3-old", "nr4-gone"] {
        let html = page(&out, &format!("groups/{slug}/index.html"));
        let main = &html[html.find("<main").unwrap()..html.find("</main>").unwrap()];
        assert!(!main.contains("tel:"), "{slug}: {main}");
        assert!(!main.contains("old@example.org"), "{slug}");
        assert!(!main.contains("https://example.org/old/"), "{slug}");
        assert!(main.contains("This group has closed"), "{slug}");
    }
    // With a successor: a link to it, and only that.
    let html = page(&out, "groups/nr3-old/index.html");
    assert!(html.contains(
        r#"Its work is carried on by <a class="button" href="../../groups/nr2-helpers/">NR2 Helpers</a>"#
    ));
    // Without: the nearest running groups (not the paused one), with no numbers to call.
    let html = page(&out, "groups/nr4-gone/index.html");
    assert!(html.contains("Groups near here taking requests"));
    assert!(html.contains(r#"<a href="../../groups/nr2-helpers/">NR2 Helpers</a>, "#));
    assert!(!html.contains("groups/nr5-paused/"));
}

#[test]
fn a_paused_group_page_says_what_to_do_meanwhile() {
    let (_tmp, out) = built();
    let html = page(&out, "groups/nr5-paused/index.html");
    assert!(html.contains("Paused: not taking requests for now."));
    assert!(html.contains("Meanwhile, groups near here taking requests"));
    assert!(html.contains(r#"<a href="../../groups/nr2-helpers/">NR2 Helpers</a>, "#));
    assert!(html.contains(r#"<a class="tel" href="tel:+441632960001">01632 960001</a>"#));
}

#[test]
fn lists_use_the_one_card() {
    let (_tmp, out) = built();
    let html = page(&out, "postcodes/nr2/index.html");
    let card = &html[html.find("<article class=\"card").unwrap()..];
    let card = &card[..card.find("</article>").unwrap()];
    for part in [
        r#"<a class="button call" href="tel:+441632960001">Call <span class="tel">01632 960001</span></a>"#,
        r#"<p class="hours">Every day, 9am to 5pm</p>"#,
        // The first four kinds of help, not all five.
        r#"<p class="kinds">Shopping · Collecting prescriptions · A friendly phone call · Befriending</p>"#,
        r#"<span lang="pl">Polski</span>"#,
        "Covers Norwich (NR2)",
        "Checked <time datetime=\"2026-10-01\">1 October 2026</time>",
    ] {
        assert!(card.contains(part), "{part} in {card}");
    }
    // The district and 404 pages carry the search box.
    assert!(html.contains("<form class=\"search\""));
    assert!(page(&out, "404.html").contains("<form class=\"search\""));
}
