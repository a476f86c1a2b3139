//! Printable door-drop leaflets, made from the same group records as the site so they
//! are never out of date.
//!
//! Each group that is not closed gets four *variants* (print layouts) in each language
//! it works in that has [`strings`]: an A5 leaflet, two A5 leaflets on one A4 sheet to
//! cut, an A4 poster, and an A6 *neighbour card* (the 2020 self-isolation postcard: a
//! volunteer writes their name and number and ticks what they can do). English lives in
//! `groups/<slug>/leaflet/`, other languages in `groups/<slug>/leaflet/<code>/`; the A5
//! leaflet is the folder's `index.html` and the others are files beside it
//! (`poster.html`), not folders of their own: at 5,000 groups that is 15,000 fewer
//! folders to create, and creating folders was a fifth of a build's time.
//! `leaflets/` lists every group's leaflets for a borough-wide drop.
//!
//! A closed group gets no leaflet: paper outlives a web page, and a leaflet for a group
//! that no longer answers would send people to a dead number.

pub mod qr;
mod qr_mask;
pub mod strings;

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Context;

use crate::config::Config;
use crate::content::Status;
use crate::render::pages::{page_file, root_for, PageJob};
use crate::render::views::GroupView;
pub use strings::{LanguageStrings, Strings};

/// A print layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Variant {
    /// One A5 leaflet, portrait.
    A5,
    /// Two A5 leaflets side by side on A4 landscape, with a cut line.
    A4TwoUp,
    /// One A4 portrait poster for noticeboards and shop windows.
    Poster,
    /// One A6 neighbour card with tick boxes and blanks for a volunteer.
    Card,
}

impl Variant {
    /// Every variant, in the order they are offered.
    pub const ALL: [Variant; 4] = [
        Variant::A5,
        Variant::A4TwoUp,
        Variant::Poster,
        Variant::Card,
    ];

    /// The file in the language's leaflet folder ("" for A5, the folder's own page).
    pub fn file(self) -> &'static str {
        match self {
            Variant::A5 => "",
            Variant::A4TwoUp => "a4-two-up.html",
            Variant::Poster => "poster.html",
            Variant::Card => "card.html",
        }
    }

    /// What a volunteer choosing what to print reads.
    pub fn label(self) -> &'static str {
        match self {
            Variant::A5 => "A5 leaflet",
            Variant::A4TwoUp => "Two A5 leaflets on one A4 sheet, to cut",
            Variant::Poster => "A4 poster",
            Variant::Card => "Neighbour card (A6)",
        }
    }

    /// The paper to choose in the print dialogue.
    pub fn paper(self) -> &'static str {
        match self {
            Variant::A5 => "A5 paper, portrait",
            Variant::A4TwoUp => "A4 paper, landscape; cut along the dashed line",
            Variant::Poster => "A4 paper, portrait",
            Variant::Card => "A6 card, portrait",
        }
    }
}

/// A link to one leaflet, for the group page and the organiser's page.
#[derive(Debug, Clone, Serialize)]
pub struct LeafletLink {
    /// Address relative to the site root: a folder ending in `/` (A5) or an `.html` file.
    pub url: String,
    /// "A5 leaflet", or "Cymraeg (Welsh): A5 leaflet".
    pub label: String,
    /// The variant.
    pub variant: Variant,
    /// Language code.
    pub lang: String,
}

/// The address of one leaflet, relative to the site root.
pub fn leaflet_url(slug: &str, lang: &str, variant: Variant) -> String {
    let lang_part = if lang == "en" {
        String::new()
    } else {
        format!("{lang}/")
    };
    format!("groups/{slug}/leaflet/{lang_part}{}", variant.file())
}

/// Every leaflet of a group, English first; none for a closed group.
pub fn links(group: &GroupView, strings: &Strings) -> Vec<LeafletLink> {
    if group.status == Status::Closed {
        return Vec::new();
    }
    let codes: Vec<String> = group.languages.iter().map(|l| l.code.clone()).collect();
    let mut out = Vec::new();
    for lang in strings.languages_for(&codes) {
        for variant in Variant::ALL {
            let label = if lang.code == "en" {
                variant.label().to_string()
            } else {
                format!("{} ({}): {}", lang.own, lang.name, variant.label())
            };
            out.push(LeafletLink {
                url: leaflet_url(&group.slug, &lang.code, variant),
                label,
                variant,
                lang: lang.code.clone(),
            });
        }
    }
    out
}

/// What a leaflet template sees as `leaflet`: words already in the leaflet's language,
/// plus `variant` and `paper` (see [`leaflet_value`]).
#[derive(Debug, Serialize)]
struct LeafletView<'a> {
    lang: &'a LanguageStrings,
    /// Phrases by key, never blank.
    t: &'a BTreeMap<String, String>,
    group: &'a GroupView,
    /// The group's kinds of help in this language.
    help: Vec<String>,
    /// The postcard's four tick boxes in this language.
    card_help: Vec<String>,
    /// The group's languages by their own names, when it has more than one: "English, Cymraeg".
    speaks: Option<String>,
    /// The areas covered, cut short for paper: "NR1, NR2, NR3 +12".
    areas: String,
    /// Absolute address of the group's page, what the QR code opens.
    page_url: String,
    /// Inline SVG, only when the site has a full base URL to point at.
    qr_svg: Option<String>,
    /// The last check as a short UK date, readable in any language: "08/10/2026".
    checked: String,
}

/// The tick boxes of the 2020 self-isolation postcard.
const CARD_HELP: [&str; 4] = ["shopping", "posting-mail", "urgent-supplies", "phone-calls"];

/// The most postcode areas a leaflet lists; a group may list up to 300, which no sheet
/// holds, and the QR code leads to the full list.
const AREAS_ON_PAPER: usize = 16;

/// The areas as one line, the first [`AREAS_ON_PAPER`] then a count of the rest, in
/// figures so it reads the same in every language.
fn areas_for_paper(areas: &[String]) -> String {
    let shown = areas
        .iter()
        .take(AREAS_ON_PAPER)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    match areas.len().saturating_sub(AREAS_ON_PAPER) {
        0 => shown,
        more => format!("{shown} +{more}"),
    }
}

/// Everything the leaflet pages need.
pub struct LeafletInput<'a> {
    /// Site settings.
    pub config: &'a Config,
    /// Leaflet words.
    pub strings: &'a Strings,
    /// QR codes kept from the last build (see cache.rs).
    pub qr_codes: &'a crate::cache::Memo<Option<String>>,
}

fn site_json(config: &Config) -> serde_json::Value {
    serde_json::json!({
        "title": config.title, "description": config.description, "base_url": config.base_url, "language": config.language,
    })
}

/// One layout's `leaflet`: the language's view with the layout's `variant` and `paper`.
/// The view's parts are shared, not copied (template values are reference-counted).
fn leaflet_value(view: &tera::Value, variant: Variant) -> tera::Value {
    let mut map = view.as_map().cloned().unwrap_or_default();
    map.insert("variant".into(), tera::Value::from_serializable(&variant));
    map.insert("paper".into(), variant.paper().into());
    tera::Value::from(map)
}

/// A group's entry in the `leaflets/` list.
#[derive(Debug, Serialize)]
pub struct ListedGroup<'a> {
    /// Name.
    pub name: &'a str,
    /// Address relative to the site root.
    pub url: &'a str,
    /// `active` or `paused` (closed groups have no leaflets).
    pub status: Status,
    /// Postcodes covered, as one line.
    pub areas_text: &'a str,
    /// Every leaflet of the group.
    pub leaflets: Vec<LeafletLink>,
}

/// A group's section of the `leaflets/` page, rendered with the group's other pages
/// (`partials/leaflets_group.html`): the page of a national directory lists tens of
/// thousands of groups, and its sections are joined, not held as template data.
pub fn listing_section(tera: &tera::Tera, listed: &ListedGroup<'_>) -> anyhow::Result<String> {
    let mut ctx = Context::new();
    ctx.insert("root", &root_for(INDEX_PATH));
    ctx.insert("g", listed);
    crate::render::theme::render(tera, "partials/leaflets_group.html", &ctx)
}

/// Where the list of every group's leaflets goes.
const INDEX_PATH: &str = "leaflets/index.html";

/// Every leaflet page of one group, with its line in the `leaflets/` list; nothing for
/// a closed group. `map` is the group's coverage map (inline SVG) for the `leaflet_map`
/// slot; the templates leave the space out when there is none.
pub fn group_jobs<'g>(
    input: &LeafletInput<'_>,
    g: &'g GroupView,
    map: Option<&str>,
) -> (Vec<PageJob>, Option<ListedGroup<'g>>) {
    let LeafletInput {
        config,
        strings,
        qr_codes,
        ..
    } = *input;
    if g.status == Status::Closed {
        return (Vec::new(), None);
    }
    let site = tera::Value::from_serializable(&site_json(config));
    let mut jobs = Vec::new();
    let page_url = format!("{}groups/{}/", config.base_url, g.slug);
    let absolute = page_url.starts_with("http://") || page_url.starts_with("https://");
    let qr_svg = absolute
        .then(|| {
            qr_codes.get_or(
                || page_url.clone(),
                || qr::svg(&page_url, &format!("QR code for {page_url}")),
            )
        })
        .flatten();
    let all = links(g, strings);
    let codes: Vec<String> = g.languages.iter().map(|l| l.code.clone()).collect();
    for lang in strings.languages_for(&codes) {
        let help = g
            .help
            .iter()
            .map(|h| lang.help_label(&h.key).unwrap_or(&h.label).to_string())
            .collect();
        let card_help = CARD_HELP
            .iter()
            .map(|k| {
                lang.help_label(k)
                    .or(config.help.label(k))
                    .unwrap_or(k)
                    .to_string()
            })
            .collect();
        let speaks = (g.languages.len() > 1).then(|| {
            g.languages
                .iter()
                .map(|l| l.own.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        });
        let areas = areas_for_paper(&g.areas);
        let checked = g
            .last_checked
            .split('-')
            .rev()
            .collect::<Vec<_>>()
            .join("/");
        // Made into template values once for the four layouts (the group's whole view
        // is in it), not once each.
        let view = tera::Value::from_serializable(&LeafletView {
            lang,
            t: &lang.text,
            group: g,
            help,
            card_help,
            speaks,
            areas,
            page_url: page_url.clone(),
            qr_svg: qr_svg.clone(),
            checked,
        });
        for variant in Variant::ALL {
            let url = leaflet_url(&g.slug, &lang.code, variant);
            let path = page_file(&url);
            let mut ctx = Context::new();
            ctx.insert_value("site", site.clone());
            ctx.insert("root", &root_for(&path));
            ctx.insert("page_path", &url);
            ctx.insert("page_title", &format!("{}: {}", g.name, variant.label()));
            ctx.insert_value("leaflet", leaflet_value(&view, variant));
            // Same variant in the group's other languages, and this language's other variants.
            let same_lang: Vec<&LeafletLink> = all.iter().filter(|l| l.lang == lang.code).collect();
            let same_variant: Vec<&LeafletLink> =
                all.iter().filter(|l| l.variant == variant).collect();
            ctx.insert("variants", &same_lang);
            ctx.insert("languages", &same_variant);
            // Optional slot for the map module: inline SVG of the area, or nothing.
            // The two-up sheet prints the leaflet twice: its second map and QR code
            // are `<use>` of the first (each is several KB, on thousands of pages).
            if variant == Variant::A4TwoUp {
                ctx.insert("leaflet_map", &map.map(|m| with_id(m, "lf-map")));
                ctx.insert("leaflet_map_second", &map.map(|m| copy_of(m, "lf-map")));
                ctx.insert("qr_svg", &qr_svg.as_deref().map(|q| with_id(q, "lf-qr")));
                ctx.insert(
                    "qr_svg_second",
                    &qr_svg.as_deref().map(|q| copy_of(q, "lf-qr")),
                );
            } else {
                ctx.insert("leaflet_map", &map);
                ctx.insert("qr_svg", &qr_svg);
            }
            jobs.push(PageJob {
                path,
                template: "leaflet.html",
                context: ctx,
            });
        }
    }
    let listed = ListedGroup {
        name: &g.display_name,
        url: &g.url,
        status: g.status,
        areas_text: &g.areas_text,
        leaflets: all,
    };
    (jobs, Some(listed))
}

/// The `leaflets/` page: every group's leaflets, for a borough-wide drop. `sections` are
/// the groups' entries from [`listing_section`], in order.
pub fn index_job(input: &LeafletInput<'_>, sections: Vec<String>) -> PageJob {
    let path = INDEX_PATH;
    let mut ctx = Context::new();
    ctx.insert("site", &site_json(input.config));
    ctx.insert("root", &root_for(path));
    ctx.insert("page_path", "leaflets/");
    ctx.insert("page_title", "Leaflets for every group");
    ctx.insert("group_sections", &sections);
    ctx.insert(
        "variants",
        &Variant::ALL
            .iter()
            .map(|v| serde_json::json!({"label": v.label(), "paper": v.paper()}))
            .collect::<Vec<_>>(),
    );
    PageJob {
        path: path.to_string(),
        template: "leaflets.html",
        context: ctx,
    }
}

/// The SVG with `id` on its root element, for [`copy_of`] to point at.
fn with_id(svg: &str, id: &str) -> String {
    match svg.strip_prefix("<svg ") {
        Some(rest) => format!("<svg id=\"{id}\" {rest}"),
        None => svg.to_string(),
    }
}

/// A second copy of an SVG already on the page as `#id`: an empty SVG of the same class,
/// view box and accessible name that draws the first with `<use>`.
fn copy_of(svg: &str, id: &str) -> String {
    let open = &svg[..svg.find('>').unwrap_or(svg.len())];
    let attr = |name: &str| {
        let start = open.find(&format!(" {name}=\""))? + name.len() + 3;
        let len = open[start..].find('"')?;
        Some(format!(" {name}=\"{}\"", &open[start..start + len]))
    };
    let attrs: String = ["class", "viewBox", "role", "aria-label", "aria-labelledby"]
        .iter()
        .filter_map(|n| attr(n))
        .collect();
    format!("<svg xmlns=\"http://www.w3.org/2000/svg\"{attrs}><use href=\"#{id}\"/></svg>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_copy_points_at_the_first() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" class="qr" viewBox="0 0 41 41" role="img" aria-label="QR code for x"><path d="M0 0h1"/></svg>"#;
        let first = with_id(svg, "lf-qr");
        assert!(first.starts_with(r#"<svg id="lf-qr" xmlns="#));
        assert_eq!(
            copy_of(&first, "lf-qr"),
            r##"<svg xmlns="http://www.w3.org/2000/svg" class="qr" viewBox="0 0 41 41" role="img" aria-label="QR code for x"><use href="#lf-qr"/></svg>"##
        );
    }

    #[test]
    fn long_area_lists_are_cut_for_paper() {
        let areas: Vec<String> = (1..=20).map(|n| format!("NR{n}")).collect();
        assert_eq!(areas_for_paper(&areas[..2]), "NR1, NR2");
        let line = areas_for_paper(&areas);
        assert!(
            line.starts_with("NR1, NR2,") && line.ends_with("NR16 +4"),
            "{line}"
        );
    }

    #[test]
    fn english_leaflets_sit_at_the_top_of_the_leaflet_folder() {
        assert_eq!(leaflet_url("nr2", "en", Variant::A5), "groups/nr2/leaflet/");
        assert_eq!(
            leaflet_url("nr2", "cy", Variant::Card),
            "groups/nr2/leaflet/cy/card.html"
        );
        assert_eq!(
            leaflet_url("nr2", "en", Variant::Poster),
            "groups/nr2/leaflet/poster.html"
        );
    }
}
