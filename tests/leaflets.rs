//! Leaflets as a volunteer gets them: build the example directory in-process and look
//! at the leaflet pages, the links to them, and what closed and paused groups get.

use std::path::Path;

use aidmap::{build_site, BuildOptions, BuildOutcome};

struct Built {
    output: aidmap::output::Output,
    warnings: aidmap::Diagnostics,
}

fn build() -> Built {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    match build_site(root, &BuildOptions::default()).expect("the example builds") {
        BuildOutcome::Built {
            output, warnings, ..
        } => Built { output, warnings },
        BuildOutcome::Invalid(d) => panic!("the example has errors:\n{}", d.render_text()),
    }
}

fn page(built: &Built, path: &str) -> String {
    let bytes = built
        .output
        .get(path)
        .unwrap_or_else(|| panic!("{path} was not built"));
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// The HTML of the layout section `id` on a leaflet page.
fn layout<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("<section id=\"{id}\""))
        .unwrap_or_else(|| panic!("no layout #{id}"));
    let len = html[start..].find("</section>").expect("section ends");
    &html[start..start + len]
}

/// The ids of the layout sections, in page order.
fn layout_ids(html: &str) -> Vec<&str> {
    html.split("<section id=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect()
}

const NR2: &str = "groups/nr2-covid-community-response/leaflet/index.html";

#[test]
fn a_group_writes_one_leaflet_page_with_every_layout() {
    let built = build();
    // Per group: its page and one leaflet page, nothing else.
    for (slug, files) in [
        ("nr2-covid-community-response", 2),
        ("cymorth-cymunedol-caernarfon", 2),
        ("harnham-harvest-table", 2),
        ("wixams-and-wilstead-community-shopping-club", 1),
    ] {
        let written: Vec<&str> = built
            .output
            .iter()
            .map(|(p, _)| p)
            .filter(|p| p.starts_with(&format!("groups/{slug}/")))
            .collect();
        assert_eq!(written.len(), files, "{slug}: {written:?}");
    }
    let html = page(&built, NR2);
    // The default (A5) comes last, so `:target ~ .default` can hide it.
    assert_eq!(layout_ids(&html), ["a4-two-up", "poster", "card", "a5"]);
    assert!(layout(&html, "a5").contains("class=\"layout layout-a5 default\""));
    // The QR code is drawn once and used by every layout: A5, both halves, poster, card.
    assert_eq!(html.matches("<symbol id=\"lf-qr\"").count(), 1);
    assert_eq!(html.matches("<use href=\"#lf-qr\"/>").count(), 5);
    assert_eq!(
        layout(&html, "a4-two-up")
            .matches("class=\"sheet a5\"")
            .count(),
        2
    );
    assert!(html.contains("leaflet.css") && html.contains("print.js"));
    assert!(
        !html.contains("<script>") && !html.contains("style="),
        "nothing inline for the CSP"
    );
    assert!(built.output.get("leaflet.css").is_some() && built.output.get("print.js").is_some());
    // A leaflet page is small: one QR code, no map.
    assert!(html.len() < 24_000, "{} bytes", html.len());
    assert!(!html.contains("class=\"map"), "no map on paper");
}

#[test]
fn the_door_drop_leaflet_says_what_a_neighbour_needs() {
    let built = build();
    let html = page(&built, NR2);
    let a5 = layout(&html, "a5");
    // The hook first and biggest, then the phone as the anchor.
    let hook = a5
        .find("<p class=\"lf-hook\">Need a hand? Your neighbours can help.</p>")
        .expect("hook");
    let phone = a5
        .find("<p class=\"lf-phone\" dir=\"ltr\">01632 960214</p>")
        .expect("phone");
    assert!(hook < phone);
    // Offered help as bullets, not ticked boxes.
    assert!(
        a5.contains("<ul class=\"lf-bullets\"><li>Shopping</li><li>Collecting prescriptions</li>")
    );
    // Where we help in words, not postcodes.
    assert!(
        a5.contains("Where we help</h3>\n<p>Norwich and Eaton</p>"),
        "{a5}"
    );
    assert!(!a5.contains("Postcodes"));
    // A short address beside the QR code.
    assert!(a5.contains(
        "Or type this address:</span> <span class=\"lf-address\" dir=\"ltr\">example.org/<wbr>aidmap/<wbr>groups/<wbr>nr2-covid-community-response/</span>"
    ));
    // The reply slip: the 2020 card's five tick boxes and the street volunteer's blanks.
    assert!(a5.contains("<ul class=\"boxes\"><li>Shopping</li><li>Collecting prescriptions</li><li>Posting mail</li><li>A friendly phone call</li><li>Urgent supplies</li></ul>"));
    assert!(a5.contains("Your street volunteer:") && a5.contains("<p class=\"blank\">Phone:</p>"));
    // The site's own safety line, from site.yaml.
    assert!(a5.contains("Our volunteers will never ask you for money, bank cards or your PIN."));

    let poster = layout(&html, "poster");
    assert_eq!(
        poster
            .matches("<span class=\"strip-phone\" dir=\"ltr\">01632 960214</span>")
            .count(),
        8
    );
    let card = layout(&html, "card");
    assert!(card.contains("<ul class=\"boxes\"><li>Shopping</li><li>Posting mail</li>"));
    assert!(card.contains("My phone number"));
}

#[test]
fn groups_in_two_languages_get_bilingual_sheets() {
    let built = build();
    let html = page(
        &built,
        "groups/cymorth-cymunedol-caernarfon/leaflet/index.html",
    );
    assert_eq!(
        layout_ids(&html),
        [
            "cy-a5",
            "cy-a4-two-up",
            "cy-poster",
            "cy-card",
            "a4-two-up",
            "poster",
            "card",
            "a5"
        ]
    );
    let cy = layout(&html, "cy-a5");
    assert!(cy.contains("<article class=\"sheet a5 bi\" lang=\"cy\">"));
    // Welsh first, the English beside it.
    assert!(cy.contains("Angen help llaw? Gall eich cymdogion helpu. <span class=\"en\" lang=\"en\">Need a hand? Your neighbours can help.</span>"));
    assert!(cy.contains("<li>Siopa / <span class=\"en\" lang=\"en\">Shopping</span></li>"));
    // The languages named in the sheet's language.
    assert!(
        cy.contains("Rydyn ni&#39;n siarad:</span> Saesneg, Cymraeg"),
        "{cy}"
    );
    assert!(cy.contains("We speak: English, Welsh"));
    assert!(layout(&html, "a5").contains("We speak:</span> English, Welsh"));
    let so = page(&built, "groups/harlesden-mutual-aid/leaflet/index.html");
    assert!(layout(&so, "so-a5").contains("Waxaan kaa caawin karnaa"));
    assert!(layout(&so, "so-card").contains("lang=\"so\""));
    // Only the languages a group works in.
    assert!(!html.contains("id=\"so-a5\"") && !page(&built, NR2).contains("id=\"cy-a5\""));
    let group = page(&built, "groups/cymorth-cymunedol-caernarfon/index.html");
    assert!(group.contains(
        "href=\"../../groups/cymorth-cymunedol-caernarfon/leaflet/#cy-a5\">Cymraeg / English: A5 leaflet</a>"
    ));
    // The example translates its own safety line, so the build has no leaflet warnings.
    let leaflet_warnings: Vec<_> = built
        .warnings
        .iter()
        .filter(|d| d.path.starts_with("i18n") || d.message.contains("leaflet"))
        .collect();
    assert!(leaflet_warnings.is_empty(), "{leaflet_warnings:?}");
}

#[test]
fn paused_groups_get_only_the_card_and_closed_groups_nothing() {
    let built = build();
    let group = page(&built, "groups/nr2-covid-community-response/index.html");
    assert!(group.contains("Print leaflets"));
    assert!(group
        .contains("href=\"../../groups/nr2-covid-community-response/leaflet/#a5\">A5 leaflet</a>"));
    assert!(group.contains("href=\"../../groups/nr2-covid-community-response/leaflet/#poster\""));

    let closed = "wixams-and-wilstead-community-shopping-club";
    assert!(!page(&built, &format!("groups/{closed}/index.html")).contains("Print leaflets"));
    assert!(built
        .output
        .iter()
        .all(|(p, _)| !p.starts_with(&format!("groups/{closed}/leaflet"))));

    let paused = page(&built, "groups/harnham-harvest-table/leaflet/index.html");
    assert_eq!(layout_ids(&paused), ["card"]);
    assert!(paused.contains("This group is paused, so it has no door-drop leaflet or poster."));
    assert!(layout(&paused, "card").contains("We are paused and not taking new requests"));
    let paused_group = page(&built, "groups/harnham-harvest-table/index.html");
    assert!(!paused_group.contains("leaflet/#a5") && paused_group.contains("leaflet/#card"));
}

#[test]
fn the_leaflets_pages_picture_the_layouts_and_list_groups_by_area() {
    let built = build();
    let all = page(&built, "leaflets/index.html");
    assert_eq!(
        all.matches("<figure><svg").count(),
        4,
        "a picture of each layout"
    );
    assert!(
        all.contains("href=\"../leaflets/nr/\">Norwich (NR)</a>"),
        "{all}"
    );
    assert!(
        !all.contains("Community Shopping Club"),
        "groups are on their areas' pages"
    );
    let nr = page(&built, "leaflets/nr/index.html");
    assert!(nr.contains("NR2 Covid Community Response"));
    assert!(nr.contains("href=\"../../groups/nr2-covid-community-response/leaflet/#poster\""));
    let sp = page(&built, "leaflets/sp/index.html");
    assert!(sp.contains("Harnham Harvest Table") && sp.contains("Paused"));
    let mk = page(&built, "leaflets/mk/index.html");
    assert!(
        !mk.contains("Community Shopping Club"),
        "a closed group is not offered"
    );
    assert!(page(&built, "about/index.html").contains("href=\"../leaflets/\""));
}

/// Builds a fixture directory under tests/fixtures/.
fn build_fixture(name: &str) -> Built {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    match build_site(&root, &BuildOptions::default()).expect("the fixture builds") {
        BuildOutcome::Built {
            output, warnings, ..
        } => Built { output, warnings },
        BuildOutcome::Invalid(d) => panic!("{name} has errors:\n{}", d.render_text()),
    }
}

#[test]
fn a_welsh_sheet_names_places_by_their_welsh_names() {
    // tests/fixtures/welsh: a group in Cardiff (CF10) working in Welsh and English.
    let built = build_fixture("welsh");
    let html = page(&built, "groups/cymorth-caerdydd/leaflet/index.html");
    let where_we_help = |id: &str| -> String {
        let sheet = layout(&html, id);
        let at = sheet
            .find("<h3>")
            .unwrap_or_else(|| panic!("#{id} has no places"));
        let p = &sheet[at..];
        let start = p.find("<p>").expect("a line of places") + 3;
        p[start..start + p[start..].find("</p>").unwrap()].to_string()
    };
    assert_eq!(where_we_help("cy-a5"), "Caerdydd");
    assert_eq!(where_we_help("a5"), "Cardiff");
    // The poster too (the group's own name, Cymorth Caerdydd, is its name in both).
    assert!(layout(&html, "cy-poster").contains(":</span> Caerdydd</p>"));
    assert!(layout(&html, "poster").contains(":</span> Cardiff</p>"));
}
