//! Printable door-drop leaflets, made from the same group records as the site so they
//! are never out of date.
//!
//! Each group that is not closed gets its leaflets on a *sheets page* it shares with
//! up to fifteen other groups of its postcode area (`leaflets/nr/2/`, see [`sheets`]),
//! every print *layout* of the group: an A5 door-drop leaflet, two of them on one A4 sheet
//! to cut, an A4 poster with tear-off phone strips, and an A6 *neighbour card* (the
//! 2020 self-isolation postcard: a volunteer writes their name and number and ticks
//! what they can do). The layout is chosen without JavaScript: each is a `<section>`
//! with an id (`#poster`), `leaflet.css` shows the one the address's `#` names
//! (`:target`; `#nr2-helpers.poster`), or the group's *default* one when the address
//! names the group (`#nr2-helpers`), and prints only that one, on a sheet of its own
//! paper size. A group that works in another language with [`strings`] gets
//! the layouts again as *bilingual* sheets, that language first and English beside it
//! (`#nr2-helpers.cy-a5`): one sheet for every door in Wales. Parts a group's layouts
//! share are drawn once: its QR code is a `<symbol>` every layout `<use>`s, and
//! `leaflet.css` is one file. At 5,000 groups this is about 430 files where a page a
//! group was 5,000, and four layouts in files of their own were 20,000.
//!
//! `leaflets/` lists every group's leaflets for a borough-wide drop, an area a page
//! (`leaflets/nr/`), so no list grows with the whole directory.
//!
//! A closed group gets no leaflet: paper outlives a web page, and a leaflet for a group
//! that no longer answers would send people to a dead number. A paused group gets no
//! door-drop leaflet or poster, for the same reason, only the neighbour card (a
//! neighbour's own offer, the group a fallback), and its page says why.

mod places;
pub mod qr;
mod qr_mask;
pub mod sheets;
pub mod strings;

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Context;

use crate::config::Config;
use crate::content::Status;
use crate::i18n::Lang;
use crate::render::pages::{root_for, PageJob};
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

    /// The layout's id on the leaflet page (after the language's prefix): `#poster`.
    pub fn id(self) -> &'static str {
        match self {
            Variant::A5 => "a5",
            Variant::A4TwoUp => "a4-two-up",
            Variant::Poster => "poster",
            Variant::Card => "card",
        }
    }

    /// The `site:` key of what a volunteer choosing what to print reads ("A5 leaflet").
    pub fn label_key(self) -> &'static str {
        match self {
            Variant::A5 => "leaflets_a5",
            Variant::A4TwoUp => "leaflets_two_up",
            Variant::Poster => "leaflets_poster",
            Variant::Card => "leaflets_card",
        }
    }

    /// The `site:` key of the paper to choose in the print dialogue ("A5 paper,
    /// portrait").
    pub fn paper_key(self) -> &'static str {
        match self {
            Variant::A5 => "leaflets_paper_a5",
            Variant::A4TwoUp => "leaflets_paper_two_up",
            Variant::Poster => "leaflets_paper_poster",
            Variant::Card => "leaflets_paper_card",
        }
    }

    /// Whether a paused group gets this layout: only the neighbour card, which is a
    /// neighbour's own offer; the others send people to the group.
    fn for_paused(self) -> bool {
        self == Variant::Card
    }
}

/// A link to one leaflet layout, for a group's block on its sheets page.
#[derive(Debug, Clone, Serialize)]
pub struct LeafletLink {
    /// Address relative to the language's root: the group's sheets page and the
    /// layout's `#id`.
    pub url: String,
    /// The id of the layout on the sheets page: the group's slug, a dot (which no slug
    /// has) and the layout's: `nr2-helpers.a5`, `nr2-helpers.cy-poster`.
    pub id: String,
    /// In the page's language: "A5 leaflet", or "Cymraeg / English: A5 leaflet".
    pub label: String,
    /// The variant.
    pub variant: Variant,
}

/// The sets of a group's leaflets on pages in `page_code`: the page's language alone
/// first (English where it has no leaflet words), then each of the group's other
/// languages that has words, with English beside it (`true`: bilingual).
fn sets_for<'a>(
    strings: &'a Strings,
    page_code: &str,
    group_codes: &[String],
) -> Vec<(&'a LanguageStrings, bool)> {
    let base = strings
        .language(page_code)
        .unwrap_or_else(|| strings.english_strings());
    let mut out = vec![(base, false)];
    out.extend(
        strings
            .languages_for(group_codes)
            .into_iter()
            .skip(1)
            .map(|l| (l, true)),
    );
    out
}

/// A layout's id on its sheets page (see [`LeafletLink::id`]) and its name in the page's
/// language `lang`.
fn layout_names(
    slug: &str,
    set: &LanguageStrings,
    bilingual: bool,
    variant: Variant,
    lang: &Lang,
) -> (String, String) {
    let layout = lang.text(variant.label_key());
    if bilingual {
        (
            format!("{slug}.{}-{}", set.code, variant.id()),
            lang.fill(
                "leaflets_bilingual",
                &[
                    ("language", &set.own),
                    ("english", &lang.strings.language_name("en")),
                    ("layout", layout),
                ],
            ),
        )
    } else {
        (format!("{slug}.{}", variant.id()), layout.to_string())
    }
}

/// The address of a group's block on its sheets page `page` ([`sheets::Plan::url`]),
/// `leaflets/nr/1/#slug`, relative to the language's root: the block names every layout
/// the group has (as [`links`]) and shows its first, and the page's toolbar says how to
/// print. The group page links only this (issue 25: a link a layout was 450 bytes a
/// page). None where the group has no leaflets, as for [`links`].
pub fn block_url(group: &GroupView, page: Option<&str>) -> Option<String> {
    let page = page?;
    if group.status == Status::Closed || group.hidden {
        return None;
    }
    Some(format!("{page}#{}", group.slug))
}

/// The layouts a group gets on its sheets page `page` ([`sheets::Plan::url`]) in the
/// language `lang`, named in it: the page's language's set, then each bilingual set, in
/// the order they are offered; none for a closed group or one past `hide_after_days` (it
/// may have stopped, and paper outlives a web page; the plan gives them no page), only
/// the card for a paused one.
pub fn links(
    group: &GroupView,
    page: Option<&str>,
    strings: &Strings,
    lang: &Lang,
) -> Vec<LeafletLink> {
    let Some(page) = page else {
        return Vec::new();
    };
    if group.status == Status::Closed || group.hidden {
        return Vec::new();
    }
    let codes: Vec<String> = group.languages.iter().map(|l| l.code.clone()).collect();
    let mut out = Vec::new();
    for (set, bilingual) in sets_for(strings, &lang.code, &codes) {
        for variant in Variant::ALL {
            if group.status == Status::Paused && !variant.for_paused() {
                continue;
            }
            let (id, label) = layout_names(&group.slug, set, bilingual, variant, lang);
            out.push(LeafletLink {
                url: format!("{page}#{id}"),
                id,
                label,
                variant,
            });
        }
    }
    out
}

/// A phrase in the sheet's language, with its English beside it on a bilingual sheet.
#[derive(Debug, Serialize)]
struct Pair {
    /// In the sheet's first language.
    l: String,
    /// The English, on a bilingual sheet only.
    e: Option<String>,
}

/// One language's sheets (or a bilingual pair's): what the layouts of that set print.
#[derive(Debug, Serialize)]
struct SetView<'a> {
    /// The first language's code, for `lang`.
    code: &'a str,
    /// Written right to left: the sheet gets `dir="rtl"`.
    rtl: bool,
    /// Phrases in the first language, by key, never blank.
    t: &'a BTreeMap<String, String>,
    /// The English phrases on a bilingual sheet.
    e: Option<&'a BTreeMap<String, String>>,
    /// The group's kinds of help, as bullets.
    help: Vec<Pair>,
    /// The reply slip's tick boxes (the 2020 self-isolation card's five).
    slip_help: Vec<Pair>,
    /// The neighbour card's tick boxes.
    card_help: Vec<Pair>,
    /// Where the group helps, in words: "Eaton, Lakenham and Norwich" (its postcodes
    /// only where the data names no place).
    places: Option<Pair>,
    /// The group's languages named in the sheet's language, when it has more than one.
    speaks: Option<Pair>,
    /// The door-drop layouts (none for a paused group): one section, the two-up
    /// sheet's, whose first article is also the A5 leaflet and, restyled, the poster.
    door: Option<Door>,
    /// The neighbour card.
    card: Layout,
    /// The set whose first layout the group's own `#slug` shows.
    default: bool,
}

/// The three layouts drawn from one article.
#[derive(Debug, Serialize)]
struct Door {
    a5: Layout,
    two_up: Layout,
    poster: Layout,
}

/// One layout on the sheets page.
#[derive(Debug, Serialize)]
struct Layout {
    /// Its id, the `#` in its address.
    id: String,
    /// What a volunteer reads, in the page's language: "Cymraeg / English: A4 poster".
    label: String,
    /// The paper to print on, in the page's language.
    paper: String,
}

/// The reply slip's tick boxes: the 2020 self-isolation card's offers.
const SLIP_HELP: [&str; 5] = [
    "shopping",
    "prescriptions",
    "posting-mail",
    "phone-calls",
    "urgent-supplies",
];

/// The neighbour card's tick boxes, as on the 2020 postcard.
const CARD_HELP: [&str; 4] = ["shopping", "posting-mail", "urgent-supplies", "phone-calls"];

/// Everything the leaflet pages of one language need.
pub struct LeafletInput<'a> {
    /// Site settings.
    pub config: &'a Config,
    /// Leaflet words.
    pub strings: &'a Strings,
    /// QR codes kept from the last build (see cache.rs).
    pub qr_codes: &'a crate::cache::Memo<Option<String>>,
    /// The language of these pages: their words, and the first set of each group's
    /// leaflets (the others are the group's languages beside English).
    pub lang: &'a Lang,
    /// The site's languages, the default first (for the switcher and hreflang).
    pub langs: &'a [Lang],
}

pub(crate) fn site_json(config: &Config) -> serde_json::Value {
    serde_json::json!({
        "title": config.title, "description": config.description, "base_url": config.base_url, "language": config.language,
    })
}

/// A group's entry in the `leaflets/` lists.
#[derive(Debug, Serialize)]
pub struct ListedGroup<'a> {
    /// Name.
    pub name: &'a str,
    /// Address relative to the language's root.
    pub url: &'a str,
    /// `active` or `paused` (closed groups have no leaflets).
    pub status: Status,
    /// Where it helps, in words of the page's language.
    pub places: String,
    /// Its postcode areas ("NR"), the `leaflets/` pages it is listed on.
    #[serde(skip)]
    pub areas: Vec<String>,
    /// Its block on its sheets page (`leaflets/nr/1/#slug`), which links every layout.
    pub sheets: String,
}

/// A group's section of its areas' `leaflets/` pages in `lang`, rendered with the
/// group's other pages (`partials/leaflets_group.html`): a national directory lists tens
/// of thousands of groups, and their sections are joined, not held as template data.
/// Returns the group's postcode areas with the section.
pub fn listing_section(
    tera: &tera::Tera,
    listed: &ListedGroup<'_>,
    lang: &Lang,
) -> anyhow::Result<(Vec<String>, String)> {
    let mut ctx = Context::new();
    ctx.insert("root", &root_for("leaflets/xx/index.html"));
    ctx.insert_value("t", lang.t.clone());
    ctx.insert("g", listed);
    let html = crate::render::theme::render(tera, "partials/leaflets_group.html", &ctx)?;
    Ok((listed.areas.clone(), html))
}

/// The address a person can type, beside the QR code: the group page's address without
/// `https://` ("example.org/aidmap/groups/nr2/"), in pieces that each end at a `/`, for
/// the line to break there. None when the site has no full base URL.
fn short_address(page_url: &str) -> Option<Vec<&str>> {
    let rest = page_url
        .strip_prefix("https://")
        .or_else(|| page_url.strip_prefix("http://"))?;
    Some(rest.split_inclusive('/').collect())
}

/// The SVG of the QR code as a `<symbol>` (`#id`) to draw once per page; each layout
/// that shows it `<use>`s it.
fn qr_symbol(svg: &str, id: &str) -> String {
    let open_end = svg.find('>').unwrap_or(svg.len());
    let inner = svg
        .get(open_end + 1..svg.len().saturating_sub("</svg>".len()))
        .unwrap_or("");
    let view_box = svg[..open_end]
        .split(" viewBox=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or("0 0 1 1");
    format!(
        "<svg class=\"sprite\" aria-hidden=\"true\" focusable=\"false\"><symbol id=\"{id}\" viewBox=\"{view_box}\" shape-rendering=\"crispEdges\">{inner}</symbol></svg>"
    )
}

/// One group's part of its sheets page `page` in the input's language (`root` the way
/// back to the site's root), with its entry in the `leaflets/` lists; nothing for a
/// closed group or a hidden one (past `hide_after_days`).
fn group_block<'g>(
    tera: &tera::Tera,
    input: &LeafletInput<'_>,
    g: &'g GroupView,
    page: &str,
    root: &str,
) -> anyhow::Result<Option<(String, ListedGroup<'g>)>> {
    let LeafletInput {
        config,
        strings,
        qr_codes,
        lang,
        ..
    } = *input;
    if g.status == Status::Closed || g.hidden {
        return Ok(None);
    }
    // The QR code opens the group's page in the sheet's page language.
    let group_url = format!("{}{}groups/{}/", config.base_url, lang.prefix, g.slug);
    let absolute = group_url.starts_with("http://") || group_url.starts_with("https://");
    let qr_svg = absolute
        .then(|| {
            qr_codes.get_or(
                || group_url.clone(),
                || qr::svg(&group_url, &format!("QR code for {group_url}")),
            )
        })
        .flatten();
    let geo = crate::geo::geography();
    let (place_names, more_places) = places::names(geo, &g.areas, places::ON_PAPER);
    let english = strings.english_strings();
    let codes: Vec<String> = g.languages.iter().map(|l| l.code.clone()).collect();
    let paused = g.status == Status::Paused;
    let layout = |set: &LanguageStrings, bilingual: bool, v: Variant| {
        let (id, label) = layout_names(&g.slug, set, bilingual, v, lang);
        Layout {
            id,
            label,
            paper: lang.text(v.paper_key()).to_string(),
        }
    };

    let mut sets = Vec::new();
    for (k, (set, bilingual)) in sets_for(strings, &lang.code, &codes)
        .into_iter()
        .enumerate()
    {
        let pair = |f: &dyn Fn(&LanguageStrings) -> String| Pair {
            l: f(set),
            e: bilingual.then(|| f(english)),
        };
        let help_label = |s: &LanguageStrings, k: &str| -> String {
            s.help_label(k)
                .or(config.help.label(k))
                .unwrap_or(k)
                .to_string()
        };
        let help = g
            .help
            .iter()
            .map(|h| pair(&|s| s.help_label(&h.key).unwrap_or(&h.label).to_string()))
            .collect();
        let slip_help = SLIP_HELP
            .iter()
            .map(|k| pair(&|s| help_label(s, k)))
            .collect();
        let card_help = CARD_HELP
            .iter()
            .map(|k| pair(&|s| help_label(s, k)))
            .collect();
        // Where the data names no place (some districts have none), the postcodes.
        let places = if place_names.is_empty() {
            (!g.areas_text.is_empty()).then(|| pair(&|_| g.areas_text.clone()))
        } else {
            Some(pair(&|s| {
                let names = places::in_language(&place_names, &s.code);
                places::line(&names, more_places, s.get("and"), s.get("nearby"))
            }))
        };
        let speaks = (g.languages.len() > 1).then(|| {
            pair(&|s| {
                g.languages
                    .iter()
                    .map(|l| s.language_name(&l.code))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
        });
        sets.push(SetView {
            code: &set.code,
            rtl: set.rtl,
            t: &set.text,
            e: bilingual.then_some(&english.text),
            help,
            slip_help,
            card_help,
            places,
            speaks,
            door: (!paused).then(|| Door {
                a5: layout(set, bilingual, Variant::A5),
                two_up: layout(set, bilingual, Variant::A4TwoUp),
                poster: layout(set, bilingual, Variant::Poster),
            }),
            card: layout(set, bilingual, Variant::Card),
            default: k == 0,
        });
    }

    let checked = g
        .last_checked
        .split('-')
        .rev()
        .collect::<Vec<_>>()
        .join("/");
    let qr_id = format!("qr-{}", g.slug);
    let qr_symbol = qr_svg.as_deref().map(|svg| qr_symbol(svg, &qr_id));
    // Where a layout shows the code: a picture of the address its caption (or the
    // group's name and number beside it on the card) gives in words.
    let qr_pictured = qr_symbol
        .is_some()
        .then(|| format!("<svg class=\"qr\" aria-hidden=\"true\"><use href=\"#{qr_id}\"/></svg>"));
    let mut ctx = Context::new();
    ctx.insert("root", &format!("{root}{}", lang.prefix));
    ctx.insert_value("t", lang.t.clone());
    ctx.insert("group", g);
    ctx.insert("links", &links(g, Some(page), strings, lang));
    ctx.insert("sets", &sets);
    ctx.insert("qr_symbol", &qr_symbol);
    ctx.insert("qr_pictured", &qr_pictured);
    ctx.insert("short_address", &short_address(&group_url));
    ctx.insert("checked", &checked);
    let block = crate::render::theme::render(tera, "partials/leaflet_group.html", &ctx)?;
    let words = strings.language(&lang.code).unwrap_or(english);
    let listed = ListedGroup {
        name: &g.display_name,
        url: &g.url,
        status: g.status,
        places: places::line(
            &places::in_language(&place_names, &lang.code),
            more_places,
            words.get("and"),
            words.get("nearby"),
        ),
        areas: g.postcode_areas.iter().map(|a| a.to_uppercase()).collect(),
        sheets: format!("{page}#{}", g.slug),
    };
    Ok(Some((block, listed)))
}

/// The `leaflets/` pages in the input's language: `leaflets/` itself (the layouts,
/// pictured, and the areas) and one page an area listing its groups' leaflets.
/// `sections` are each group's postcode areas and entry from [`listing_section`], in
/// order.
pub fn index_jobs(input: &LeafletInput<'_>, sections: Vec<(Vec<String>, String)>) -> Vec<PageJob> {
    let mut by_area: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, (areas, _)) in sections.iter().enumerate() {
        for a in areas {
            by_area.entry(a.clone()).or_default().push(i);
        }
    }
    let lang = input.lang;
    let area_name =
        |code: &str| lang.place_name(crate::content::areas::area_name(code).unwrap_or(code));
    let site = site_json(input.config);
    let mut jobs = Vec::new();
    let path = "leaflets/index.html";
    let mut ctx = Context::new();
    ctx.insert("site", &site);
    crate::render::pages::lang_context(&mut ctx, lang, input.langs, path);
    ctx.insert("page_title", lang.text("leaflets_title"));
    ctx.insert(
        "areas",
        &by_area
            .iter()
            .map(|(code, members)| {
                serde_json::json!({
                    "code": code, "name": area_name(code), "count": members.len(),
                    "url": format!("leaflets/{}/", code.to_lowercase()),
                })
            })
            .collect::<Vec<_>>(),
    );
    ctx.insert(
        "variants",
        &Variant::ALL
            .iter()
            .map(|v| {
                serde_json::json!({
                    "id": v.id(), "label": lang.text(v.label_key()), "paper": lang.text(v.paper_key()),
                })
            })
            .collect::<Vec<_>>(),
    );
    jobs.push(PageJob {
        path: lang.path(path),
        template: "leaflets.html",
        context: ctx,
    });
    for (code, members) in &by_area {
        let url = format!("leaflets/{}/", code.to_lowercase());
        let path = format!("{url}index.html");
        let mut ctx = Context::new();
        ctx.insert("site", &site);
        crate::render::pages::lang_context(&mut ctx, lang, input.langs, &path);
        let name = area_name(code);
        ctx.insert(
            "page_title",
            &lang.fill("leaflets_area_title", &[("name", &name), ("code", code)]),
        );
        ctx.insert("area", &serde_json::json!({"code": code, "name": name}));
        let html: Vec<&str> = members.iter().map(|&i| sections[i].1.as_str()).collect();
        ctx.insert("group_sections", &html);
        jobs.push(PageJob {
            path: lang.path(&path),
            template: "leaflets.html",
            context: ctx,
        });
    }
    jobs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_qr_code_is_a_symbol_drawn_where_it_is_used() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 41 41" class="qr" role="img" aria-label="QR code for x"><path d="M0 0h1"/></svg>"#;
        let symbol = qr_symbol(svg, "lf-qr");
        assert!(symbol.contains(r#"<symbol id="lf-qr" viewBox="0 0 41 41" shape-rendering="crispEdges"><path d="M0 0h1"/></symbol>"#), "{symbol}");
        assert_eq!(
            short_address("https://example.org/aidmap/groups/nr2/").map(|p| p.concat()),
            Some("example.org/aidmap/groups/nr2/".to_string())
        );
        assert_eq!(short_address("/groups/nr2/"), None);
    }
}
