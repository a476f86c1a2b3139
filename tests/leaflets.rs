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

/// Each variant's file in its language's leaflet folder.
const VARIANTS: [&str; 4] = ["index.html", "a4-two-up.html", "poster.html", "card.html"];

#[test]
fn every_variant_has_name_phone_qr_and_tick_list() {
    let built = build();
    let base = "groups/nr2-covid-community-response/leaflet/";
    for variant in VARIANTS {
        let html = page(&built, &format!("{base}{variant}"));
        assert!(
            html.contains("NR2 Covid Community Response"),
            "{variant}: name"
        );
        assert!(html.contains("01632 960214"), "{variant}: phone");
        assert!(
            html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""),
            "{variant}: QR"
        );
        assert!(html.contains("class=\"qr\""), "{variant}: QR class");
        assert!(
            html.contains("leaflet.css") && html.contains("print.js"),
            "{variant}: assets"
        );
        assert!(
            !html.contains("<script>") && !html.contains("style="),
            "{variant}: nothing inline for the CSP"
        );
        if variant == "card.html" {
            assert!(html.contains("<ul class=\"boxes\"><li>Shopping</li><li>Posting mail</li>"));
            assert!(html.contains("My phone number"));
        } else {
            assert!(html.contains(
                "<ul class=\"ticks\"><li>Shopping</li><li>Collecting prescriptions</li>"
            ));
            // The site's own safety line, from site.yaml.
            assert!(html
                .contains("Our volunteers will never ask you for money, bank cards or your PIN."));
        }
    }
    // Two leaflets on the A4 sheet.
    let two_up = page(&built, &format!("{base}a4-two-up.html"));
    assert_eq!(two_up.matches("class=\"sheet\"").count(), 2);
    assert!(built.output.get("leaflet.css").is_some() && built.output.get("print.js").is_some());
}

#[test]
fn welsh_and_somali_leaflets_exist_for_groups_that_work_in_them() {
    let built = build();
    for (slug, lang, phrase, help) in [
        (
            "cymorth-cymunedol-caernarfon",
            "cy",
            "Gallwn helpu gyda",
            "Siopa",
        ),
        (
            "harlesden-mutual-aid",
            "so",
            "Waxaan kaa caawin karnaa",
            "Agab degdeg ah",
        ),
    ] {
        for variant in VARIANTS {
            let path = format!("groups/{slug}/leaflet/{lang}/{variant}");
            let html = page(&built, &path);
            assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{path}");
            if variant != "card.html" {
                assert!(html.contains(phrase), "{path}: {phrase}");
            }
            assert!(html.contains(help), "{path}: {help}");
        }
        let group = page(&built, &format!("groups/{slug}/index.html"));
        assert!(
            group.contains(&format!("href=\"../../groups/{slug}/leaflet/{lang}/\"")),
            "{slug} links its {lang} leaflet"
        );
    }
    // Only the languages a group works in.
    assert!(built
        .output
        .get("groups/nr2-covid-community-response/leaflet/cy/index.html")
        .is_none());
    // The example translates its own safety line, so the build has no leaflet warnings.
    let leaflet_warnings: Vec<_> = built
        .warnings
        .iter()
        .filter(|d| d.path.starts_with("i18n") || d.message.contains("leaflet"))
        .collect();
    assert!(leaflet_warnings.is_empty(), "{leaflet_warnings:?}");
}

#[test]
fn group_pages_link_their_leaflets_and_closed_groups_have_none() {
    let built = build();
    let group = page(&built, "groups/nr2-covid-community-response/index.html");
    assert!(group.contains("Print leaflets"));
    assert!(group
        .contains("href=\"../../groups/nr2-covid-community-response/leaflet/\">A5 leaflet</a>"));
    assert!(
        group.contains("href=\"../../groups/nr2-covid-community-response/leaflet/poster.html\"")
    );

    let closed = "wixams-and-wilstead-community-shopping-club";
    assert!(!page(&built, &format!("groups/{closed}/index.html")).contains("Print leaflets"));
    assert!(built
        .output
        .iter()
        .all(|(p, _)| !p.starts_with(&format!("groups/{closed}/leaflet"))));

    let paused = page(&built, "groups/harnham-harvest-table/leaflet/index.html");
    assert!(paused.contains("We are paused and not taking new requests"));

    let all = page(&built, "leaflets/index.html");
    assert!(all.contains("NR2 Covid Community Response") && all.contains("Harnham Harvest Table"));
    assert!(
        !all.contains("Community Shopping Club"),
        "a closed group is not offered"
    );
    assert!(page(&built, "about/index.html").contains("href=\"../leaflets/\""));
}
