//! Which page holds each group's leaflets, and that page.
//!
//! A *sheets page* (`leaflets/nr/2/`) holds the print layouts of up to
//! [`GROUPS_A_PAGE`] groups of one postcode area: the area's groups in content order,
//! each group under its *home area* (the first of its postcode areas), cut into pages.
//! One file a group was 10,000 files at 10,000 groups, half of Cloudflare Pages' 20,000;
//! this is one file for every sixteen. A group's layouts keep their own addresses on
//! the page (`leaflets/nr/2/#nr2-helpers.poster`), `leaflet.css` shows and prints
//! only the one the address names (`:target`), and the group's own address on the page
//! (`#nr2-helpers`) shows its default layout. Without an address the page is an index of
//! its groups.
//!
//! A page's address depends on the groups before it in its area, so adding a group can
//! move another's leaflets to the next page; nothing printed points here (the QR code
//! opens the group's page), only the group page's and the `leaflets/` lists' links,
//! which every build writes anew.

use anyhow::Result;
use serde::Serialize;
use tera::Context;

use super::{group_block, listing_section, LeafletInput};
use crate::content::{Group, Status};
use crate::render::pages::{root_for, PageJob};
use crate::render::views::GroupView;

/// The most groups whose leaflets share one page: at about 3 KB gzip a group (four
/// layouts and the QR code), a page stays near 50 KB gzip, and 10,000 groups need
/// about 700 pages.
pub const GROUPS_A_PAGE: usize = 16;

/// One sheets page: its address and its groups.
#[derive(Debug, Clone)]
pub struct SheetsPage {
    /// Address relative to the site root: `leaflets/nr/2/`.
    pub url: String,
    /// The home postcode area, uppercase: `NR`.
    pub area: String,
    /// Its number among the area's pages, from 1.
    pub number: usize,
    /// How many pages the area has.
    pub of: usize,
    /// The groups on it, as indices in content order.
    pub members: Vec<usize>,
}

/// Where every group's leaflets are.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Every sheets page, by area then number.
    pub pages: Vec<SheetsPage>,
    /// Each group's page (index in `pages`), None for a group with no leaflets.
    page_of: Vec<Option<usize>>,
}

impl Plan {
    /// Plans the pages: every group that gets leaflets (not closed, not past
    /// `hide_after_days`) on a page of its home area, in content order.
    pub fn new(groups: &[Group]) -> Plan {
        let mut by_area: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
        for (i, g) in groups.iter().enumerate() {
            if g.status == Status::Closed || g.hidden {
                continue;
            }
            // Every group covers some postcode; `uk` (no area has that code) is a guard.
            let home = g
                .postcode_areas()
                .into_iter()
                .next()
                .unwrap_or_else(|| "UK".into());
            by_area.entry(home).or_default().push(i);
        }
        let mut plan = Plan {
            pages: Vec::new(),
            page_of: vec![None; groups.len()],
        };
        for (area, members) in by_area {
            let of = members.len().div_ceil(GROUPS_A_PAGE);
            for (n, chunk) in members.chunks(GROUPS_A_PAGE).enumerate() {
                let number = n + 1;
                for &i in chunk {
                    plan.page_of[i] = Some(plan.pages.len());
                }
                plan.pages.push(SheetsPage {
                    url: format!("leaflets/{}/{number}/", area.to_lowercase()),
                    area: area.clone(),
                    number,
                    of,
                    members: chunk.to_vec(),
                });
            }
        }
        plan
    }

    /// The address of the page holding group `i`'s leaflets, if it has any.
    pub fn url(&self, i: usize) -> Option<&str> {
        let page = (*self.page_of.get(i)?)?;
        Some(self.pages[page].url.as_str())
    }

    /// The page holding group `i`'s leaflets, if it has any.
    pub fn page_of(&self, i: usize) -> Option<&SheetsPage> {
        let page = (*self.page_of.get(i)?)?;
        self.pages.get(page)
    }
}

/// A group in a sheets page's index.
#[derive(Debug, Serialize)]
struct Entry<'a> {
    name: &'a str,
    /// The group's own `#id` on the page: shows its default layout and its layouts'
    /// links.
    id: &'a str,
}

/// A group's `leaflets/` list entry: its postcode areas and its rendered section.
pub type Section = (Vec<String>, String);

/// The sheets page `page` in the input's language from its groups' views in that
/// language (in `page.members` order), with each group's section of the `leaflets/`
/// lists.
pub fn page_job(
    tera: &tera::Tera,
    input: &LeafletInput<'_>,
    page: &SheetsPage,
    groups: &[&GroupView],
) -> Result<(PageJob, Vec<Section>)> {
    let lang = input.lang;
    let path = format!("{}index.html", page.url);
    let assets = root_for(&lang.path(&path));
    let mut blocks = Vec::with_capacity(groups.len());
    let mut sections = Vec::with_capacity(groups.len());
    for g in groups {
        if let Some((block, listed)) = group_block(tera, input, g, &page.url, &assets)? {
            blocks.push(block);
            sections.push(listing_section(tera, &listed, lang)?);
        }
    }
    let name = lang.place_name(crate::content::areas::area_name(&page.area).unwrap_or(&page.area));
    let mut ctx = Context::new();
    ctx.insert("site", &super::site_json(input.config));
    crate::render::pages::lang_context(&mut ctx, lang, input.langs, &path);
    ctx.insert(
        "area",
        &serde_json::json!({
            "code": page.area, "name": name,
            "url": format!("leaflets/{}/", page.area.to_lowercase()),
        }),
    );
    ctx.insert("part", &page.number);
    ctx.insert("parts", &page.of);
    ctx.insert(
        "entries",
        &groups
            .iter()
            .map(|g| Entry {
                name: &g.display_name,
                id: &g.slug,
            })
            .collect::<Vec<_>>(),
    );
    ctx.insert(
        "variants",
        &super::Variant::ALL
            .iter()
            .map(|v| {
                serde_json::json!({"label": lang.text(v.label_key()), "paper": lang.text(v.paper_key())})
            })
            .collect::<Vec<_>>(),
    );
    ctx.insert("blocks", &blocks);
    let job = PageJob {
        path: lang.path(&path),
        template: "leaflet.html",
        context: ctx,
    };
    Ok((job, sections))
}
