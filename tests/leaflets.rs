//! Leaflets as a volunteer gets them: build the example directory in-process and look
//! at the sheets pages (a postcode area's groups' leaflets, sixteen groups a page), the
//! links to them, and what closed and paused groups get.

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

/// The HTML of one group's block on a sheets page.
fn group_block<'a>(html: &'a str, slug: &str) -> &'a str {
    let start = html
        .find(&format!("<div class=\"group-sheets\" id=\"{slug}\">"))
        .unwrap_or_else(|| panic!("no group #{slug}"));
    let rest = &html[start + 1..];
    let len = rest
        .find("<div class=\"group-sheets\"")
        .or_else(|| rest.find("</main>"))
        .expect("block ends");
    &html[start..start + 1 + len]
}

/// The HTML of the layout `id` on a sheets page: its section, or for the A5 leaflet and
/// the poster (anchors before the two-up sheet's section) that section's first article.
fn layout<'a>(html: &'a str, id: &str) -> &'a str {
    let (section, first) = match id.strip_suffix("a5").or_else(|| id.strip_suffix("poster")) {
        Some(stem) => (format!("{stem}a4-two-up"), true),
        None => (id.to_string(), false),
    };
    let start = html
        .find(&format!("<section id=\"{section}\""))
        .unwrap_or_else(|| panic!("no layout #{id}"));
    let end = if first { "</article>" } else { "</section>" };
    let len = html[start..].find(end).expect("layout ends");
    &html[start..start + len]
}

/// The ids of one group's layouts (anchors and sections), in page order, without the
/// `slug.`.
fn layout_ids<'a>(html: &'a str, slug: &str) -> Vec<&'a str> {
    group_block(html, slug)
        .split(&format!(" id=\"{slug}."))
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect()
}

/// The sheets page of the example's Norwich groups.
const NR: &str = "leaflets/nr/1/index.html";
const NR2: &str = "nr2-covid-community-response";

#[test]
fn an_area_s_groups_share_a_sheets_page_with_every_layout() {
    let built = build();
    // Per group: only its page; its leaflets are on its area's sheets page.
    for slug in [
        "nr2-covid-community-response",
        "cymorth-cymunedol-caernarfon",
        "harnham-harvest-table",
        "wixams-and-wilstead-community-shopping-club",
    ] {
        let written: Vec<&str> = built
            .output
            .iter()
            .map(|(p, _)| p)
            .filter(|p| p.starts_with(&format!("groups/{slug}/")))
            .collect();
        assert_eq!(written, [format!("groups/{slug}/index.html")], "{slug}");
    }
    let html = page(&built, NR);
    // Every Norwich group that has leaflets, in the index and as a block; a file a page.
    let sheets: Vec<&str> = built
        .output
        .iter()
        .map(|(p, _)| p)
        .filter(|p| p.starts_with("leaflets/nr/"))
        .collect();
    assert_eq!(
        sheets.len(),
        2,
        "the area's list and one sheets page: {sheets:?}"
    );
    // The page's index links each group; the group's heading links its layouts, once.
    assert!(html.contains(
        "<li><a href=\"#nr2-covid-community-response\">NR2 Covid Community Response</a></li>"
    ));
    assert_eq!(
        html.matches("<a href=\"#nr2-covid-community-response.a5\">A5 leaflet</a> · <a href=\"#nr2-covid-community-response.a4-two-up\">").count(),
        1
    );
    assert_eq!(
        layout_ids(&html, NR2),
        ["a5", "poster", "a4-two-up", "card"]
    );
    // The A5 leaflet and the poster are the two-up sheet's first article, named by
    // anchors just before its section; the A5 is the group's default.
    assert!(html.contains("<i id=\"nr2-covid-community-response.a5\" class=\"lf-a5 default\"></i><i id=\"nr2-covid-community-response.poster\" class=\"lf-poster\"></i>\n<section id=\"nr2-covid-community-response.a4-two-up\""));
    // How to print, and each layout's paper, once a page.
    assert_eq!(
        html.matches("with the browser&#39;s headers and footers turned off")
            .count(),
        1
    );
    assert_eq!(html.matches("Print on A5 paper, portrait.").count(), 1);
    // The QR code is drawn once a group and used by every sheet: both halves of the
    // two-up (the first is also the A5 and the poster), and the card.
    let block = group_block(&html, NR2);
    assert_eq!(
        block
            .matches("<symbol id=\"qr-nr2-covid-community-response\"")
            .count(),
        1
    );
    assert_eq!(
        block
            .matches("<use href=\"#qr-nr2-covid-community-response\"/>")
            .count(),
        3
    );
    assert_eq!(block.matches("<article").count(), 3, "two-up, two-up, card");
    assert_eq!(
        layout(&html, "nr2-covid-community-response.a4-two-up")
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
    // A group's part is small: one QR code, one article drawn twice, no map.
    assert!(block.len() < 12_000, "{} bytes", block.len());
    assert!(!html.contains("class=\"map"), "no map on paper");
}

#[test]
fn the_door_drop_leaflet_says_what_a_neighbour_needs() {
    let built = build();
    let html = page(&built, NR);
    let a5 = layout(&html, "nr2-covid-community-response.a5");
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
        a5.contains("Where we help</h3><p>Norwich and Eaton</p>"),
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

    let poster = layout(&html, "nr2-covid-community-response.poster");
    assert_eq!(
        poster
            .matches("<li><span><b>01632 960214</b> NR2 Covid Community Response</span></li>")
            .count(),
        8
    );
    // Only the first half of the two-up has them (it is also the poster).
    assert_eq!(
        layout(&html, "nr2-covid-community-response.a4-two-up")
            .matches("class=\"strips\"")
            .count(),
        1
    );
    let card = layout(&html, "nr2-covid-community-response.card");
    assert!(card.contains("<ul class=\"boxes\"><li>Shopping</li><li>Posting mail</li>"));
    assert!(card.contains("My phone number"));
}

#[test]
fn groups_in_two_languages_get_bilingual_sheets() {
    let built = build();
    let html = page(&built, "leaflets/ll/1/index.html");
    let cy_slug = "cymorth-cymunedol-caernarfon";
    assert_eq!(
        layout_ids(&html, cy_slug),
        [
            "a5",
            "poster",
            "a4-two-up",
            "card",
            "cy-a5",
            "cy-poster",
            "cy-a4-two-up",
            "cy-card"
        ]
    );
    let cy = layout(&html, "cymorth-cymunedol-caernarfon.cy-a5");
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
    assert!(layout(&html, "cymorth-cymunedol-caernarfon.a5")
        .contains("We speak:</span> English, Welsh"));
    let so = page(&built, "leaflets/nw/1/index.html");
    assert!(layout(&so, "harlesden-mutual-aid.so-a5").contains("Waxaan kaa caawin karnaa"));
    assert!(layout(&so, "harlesden-mutual-aid.so-card").contains("lang=\"so\""));
    // Only the languages a group works in.
    assert!(!group_block(&html, cy_slug).contains(".so-a5\""));
    assert!(!group_block(&page(&built, NR), NR2).contains(".cy-a5\""));
    // The group page links the group's block, which names the bilingual layouts too.
    let group = page(&built, "groups/cymorth-cymunedol-caernarfon/index.html");
    assert!(group.contains(
        "<a href=\"../../leaflets/ll/1/#cymorth-cymunedol-caernarfon\">See the layouts and how to print them</a>"
    ));
    assert!(group_block(&html, cy_slug).contains(
        "<a href=\"#cymorth-cymunedol-caernarfon.cy-a5\">Cymraeg / English: A5 leaflet</a>"
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
    // One link, to the group's block on its sheets page, which names every layout and
    // shows the first (issue 25: a link a layout was 450 bytes of every group page).
    assert!(group.contains("<h3 id=\"print\">Print leaflets</h3><p><a href=\"../../leaflets/nr/1/#nr2-covid-community-response\">See the layouts and how to print them</a></p>"));
    assert_eq!(group.matches("leaflets/nr/1/").count(), 1);

    let closed = "wixams-and-wilstead-community-shopping-club";
    assert!(!page(&built, &format!("groups/{closed}/index.html")).contains("Print leaflets"));
    assert!(built
        .output
        .iter()
        .filter(|(p, _)| p.starts_with("leaflets/"))
        .all(|(_, html)| !String::from_utf8_lossy(html).contains(closed)));

    let paused = page(&built, "leaflets/sp/1/index.html");
    assert_eq!(layout_ids(&paused, "harnham-harvest-table"), ["card"]);
    assert!(paused.contains("This group is paused, so it has no door-drop leaflet or poster."));
    assert!(layout(&paused, "harnham-harvest-table.card")
        .contains("We are paused and not taking new requests"));
    let paused_group = page(&built, "groups/harnham-harvest-table/index.html");
    assert!(paused_group.contains("href=\"../../leaflets/sp/1/#harnham-harvest-table\""));
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
    assert!(nr.contains(
        "<a href=\"../../leaflets/nr/1/#nr2-covid-community-response\">Print leaflets</a>"
    ));
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
    let html = page(&built, "leaflets/cf/1/index.html");
    let id_of = |id: &str| format!("cymorth-caerdydd.{id}");
    let where_we_help = |id: &str| -> String {
        let sheet = layout(&html, &id_of(id));
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
    assert_eq!(where_we_help("cy-poster"), "Caerdydd");
    // On the Welsh sheets page the first set is in Welsh alone, with Welsh names.
    let cy = page(&built, "cy/leaflets/cf/1/index.html");
    let sheet = layout(&cy, &id_of("a5"));
    assert!(
        sheet.contains("<article class=\"sheet a5\" lang=\"cy\">"),
        "{sheet}"
    );
    assert!(
        sheet.contains("<h3>Ble rydyn ni&#39;n helpu</h3>\n<p>Caerdydd</p>")
            || sheet.contains("<p>Caerdydd</p>"),
        "{sheet}"
    );
}
