//! Which pages a build writes, and the data each one gets.
//!
//! `render_pages` makes every page but the groups' own as a `PageJob` (output path, template,
//! context) and renders it in batches; `group_job` makes a group's page. Rendering
//! them is then independent work spread over both cores.

use std::collections::BTreeMap;

use anyhow::Result;
use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::config::Config;
use crate::content::{areas, Content, Status};
use crate::i18n::Lang;
use crate::output::Sink;
use crate::render::maps::Maps;
use crate::render::postcodes::DistrictGroups;
use crate::render::theme;
use crate::render::views::{GroupCard, GroupView, StoryTeaser, StoryView};

/// One page to render.
#[derive(Debug)]
pub struct PageJob {
    /// Output path relative to the site root, such as `groups/nr2/index.html`.
    pub path: String,
    /// Template name.
    pub template: &'static str,
    /// Data for the template.
    pub context: Context,
}

/// Site-wide values every template sees as `site`.
#[derive(Debug, Serialize)]
struct SiteView<'a> {
    /// The directory's name in the page's language (site.yaml `translations:`), else the
    /// default language's, with `title_lang` then saying which.
    title: &'a str,
    title_lang: Option<&'a str>,
    description: &'a str,
    base_url: &'a str,
    language: &'a str,
    licence: &'a str,
    maintainers: &'a Option<crate::config::Maintainers>,
    safety_line: &'a str,
    ni_polygons: bool,
    /// `https://github.com/OWNER/REPO`, when groups may submit their own listing.
    repository: Option<&'a str>,
}

/// Another route to help on a district page, its words in the page's language.
#[derive(Serialize)]
struct OtherHelpView<'a> {
    name: &'a str,
    phone: &'a str,
    what: &'a str,
    /// The language `what` is in when it is not the page's.
    what_lang: Option<&'a str>,
}

/// A postcode area with the groups that touch it.
#[derive(Debug, Clone, Serialize)]
pub struct AreaView<'a> {
    /// Letters, upper case: `NR`.
    pub code: String,
    /// Lower case for addresses.
    pub slug: String,
    /// Human name: "Norwich".
    pub name: String,
    /// `areas/nr/`.
    pub url: String,
    /// How many groups touch it.
    pub count: usize,
    /// Groups in the area (empty in the home page's list, which shows `count`).
    pub groups: Vec<GroupCard<'a>>,
}

/// The file a page address is written to: a folder's `index.html`, or the file named.
pub fn page_file(url: &str) -> String {
    if url.is_empty() || url.ends_with('/') {
        format!("{url}index.html")
    } else {
        url.to_string()
    }
}

/// The path from a page at `path` back to the site root: `groups/x/index.html` -> `../../`.
pub fn root_for(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// The most group cards one list page shows (`groups/`, a letter's page, an area's
/// page): about 40 KB gzip, under the 50 KB a list page may weigh (issue #25) at any size
/// of directory. A list with more is split (by letter, then into parts) or, for an area,
/// shows its districts instead.
pub const LIST_CARDS: usize = 400;

/// The groups whose address starts with one letter (or digit, together as `0-9`), as one
/// or more list pages of at most [`LIST_CARDS`].
#[derive(Debug, Serialize)]
struct LetterPages {
    /// `a`, or `0-9`.
    key: String,
    /// `A`, or `0-9`.
    label: String,
    /// Address of the first page, from the site root: `a-z/a/`.
    url: String,
    /// How many groups.
    count: usize,
    /// Each page's groups, as indexes into the groups in A to Z order.
    #[serde(skip)]
    parts: Vec<std::ops::Range<usize>>,
}

/// What a letter's page shows about itself.
#[derive(Debug, Serialize)]
struct LetterPart<'a> {
    key: &'a str,
    label: &'a str,
    part: usize,
    parts: usize,
    previous: Option<String>,
    next: Option<String>,
}

/// The address of part `k` (from 0) of a letter's pages: `a-z/s/`, `a-z/s/2/`. Not under
/// `groups/`, where any word could be a group's address.
fn part_url(key: &str, k: usize) -> String {
    if k == 0 {
        format!("a-z/{key}/")
    } else {
        format!("a-z/{key}/{}/", k + 1)
    }
}

/// The groups (in A to Z order by address, as `content` keeps them) by first letter.
fn letter_pages(groups: &[GroupView]) -> Vec<LetterPages> {
    let key_of = |g: &GroupView| match g.slug.chars().next() {
        Some(c) if c.is_ascii_lowercase() => c.to_string(),
        _ => "0-9".to_string(),
    };
    let mut letters: Vec<LetterPages> = Vec::new();
    for (i, g) in groups.iter().enumerate() {
        let key = key_of(g);
        match letters.iter_mut().find(|l| l.key == key) {
            Some(l) => {
                l.count += 1;
                match l.parts.last_mut() {
                    Some(p) if p.end == i && p.len() < LIST_CARDS => p.end = i + 1,
                    _ => l.parts.push(i..i + 1),
                }
            }
            None => letters.push(LetterPages {
                label: key.to_uppercase(),
                url: part_url(&key, 0),
                key,
                count: 1,
                parts: std::iter::once(i..i + 1).collect(),
            }),
        }
    }
    letters.sort_by(|a, b| a.key.cmp(&b.key));
    letters
}

/// Everything the page list needs.
pub struct RenderInput<'a> {
    /// Site settings.
    pub config: &'a Config,
    /// Checked content.
    pub content: &'a Content,
    /// Date the build treats as today.
    pub today: jiff::civil::Date,
    /// Leaflet words, to know which languages each group's leaflets come in.
    pub strings: &'a crate::leaflet::Strings,
    /// Every map, drawn beforehand.
    pub maps: &'a Maps,
    /// Each district's covering or nearest groups.
    pub districts: &'a [DistrictGroups],
    /// The last link check's results, for the organisers' page (see `links::cache`).
    pub links: &'a std::collections::BTreeMap<String, crate::links::Checked>,
}

/// What many pages share, made once per build: the site view, every group and story view.
pub struct PageData<'a> {
    site: SiteView<'a>,
    /// Every group as templates see it, in content order.
    pub groups: Vec<GroupView>,
    stories: Vec<StoryView>,
    /// Group address -> the stories about it, by index in `stories`.
    stories_of: std::collections::HashMap<String, Vec<usize>>,
    /// The running groups' points, for what a closed or paused group's page offers.
    running: crate::render::group_page::RunningIndex,
    /// Which sheets page holds each group's leaflets.
    pub leaflets: crate::leaflet::sheets::Plan,
    /// The language of these pages.
    pub lang: &'a Lang,
    /// Every language of the site, the default first (for the switcher and hreflang).
    pub langs: &'a [Lang],
}

/// The page's language as templates see it (`lang`).
#[derive(Debug, Serialize)]
struct LangView<'a> {
    code: &'a str,
    tag: &'a str,
    dir: &'a str,
    own: &'a str,
}

/// Makes the views many pages share.
pub fn prepare<'a>(
    config: &'a Config,
    content: &Content,
    today: jiff::civil::Date,
    lang: &'a Lang,
    langs: &'a [Lang],
) -> PageData<'a> {
    PageData {
        groups: content
            .groups
            .par_iter()
            .map(|g| GroupView::new(g, config, today, lang))
            .collect(),
        ..prepare_stories(config, content, lang, langs)
    }
}

/// The site view and the stories, without the groups' views (`groups` is empty): enough
/// for [`group_job`] given the group's own view, as `serve`'s quick path renders a few
/// groups without making every view.
pub fn prepare_stories<'a>(
    config: &'a Config,
    content: &Content,
    lang: &'a Lang,
    langs: &'a [Lang],
) -> PageData<'a> {
    let by_slug: std::collections::HashMap<&str, &crate::content::Group> = content
        .groups
        .iter()
        .map(|g| (g.slug.as_str(), g))
        .collect();
    let stories: Vec<StoryView> = content
        .stories
        .iter()
        .map(|s| StoryView::new(s, |slug| by_slug.get(slug).copied(), lang))
        .collect();
    let mut stories_of: std::collections::HashMap<String, Vec<usize>> = Default::default();
    for (k, s) in stories.iter().enumerate() {
        for (_, url) in &s.groups {
            let list = stories_of.entry(url.clone()).or_default();
            if list.last() != Some(&k) {
                list.push(k);
            }
        }
    }
    let (title, title_lang) = config.title_in(&lang.code);
    PageData {
        site: SiteView {
            title,
            title_lang,
            description: config.description_in(&lang.code).0,
            base_url: &config.base_url,
            language: &config.language,
            licence: &config.licence,
            maintainers: &config.maintainers,
            // The site's own line where it wrote one for this language (its first
            // language's is `safety_line:` itself), else the language's shipped words.
            safety_line: config
                .safety_line_in(&lang.code)
                .unwrap_or_else(|| lang.strings.get("safety_line")),
            ni_polygons: config.ni_polygons,
            repository: config.repository.as_deref(),
        },
        groups: Vec::new(),
        stories,
        stories_of,
        running: Default::default(),
        lang,
        langs,
        leaflets: crate::leaflet::sheets::Plan::new(&content.groups),
    }
}

/// The data every page starts from: the site, its language and words, the way back to
/// its language's root (`root`) and to the site's (`assets`: styles, scripts, data), its
/// own address and the same page in the other languages. `path` is the page's file
/// without the language's folder (`groups/x/index.html`).
pub fn base_context(data: &PageData<'_>, path: &str, title: &str) -> Context {
    let mut ctx = Context::new();
    ctx.insert("site", &data.site);
    lang_context(&mut ctx, data.lang, data.langs, path);
    ctx.insert("page_title", title);
    ctx
}

/// The language part of [`base_context`], for pages made elsewhere (leaflets).
pub fn lang_context(ctx: &mut Context, lang: &Lang, langs: &[Lang], path: &str) {
    let full = lang.path(path);
    let assets = root_for(&full);
    ctx.insert("root", &format!("{assets}{}", lang.prefix));
    ctx.insert("assets", &assets);
    ctx.insert("lang_prefix", &lang.prefix);
    ctx.insert("page_path", full.trim_end_matches("index.html"));
    ctx.insert_value("t", lang.t.clone());
    ctx.insert(
        "lang",
        &LangView {
            code: &lang.code,
            tag: &lang.tag,
            dir: lang.dir,
            own: &lang.own,
        },
    );
    ctx.insert(
        "alternates",
        &Lang::alternates(langs, path.trim_end_matches("index.html"), &lang.code),
    );
}

/// The page of group `i` (in content order; `g` is its view), with its coverage map when
/// it has one.
pub fn group_job(
    input: &RenderInput<'_>,
    data: &PageData<'_>,
    g: &GroupView,
    i: usize,
    map: Option<&crate::geo::map::SvgMap>,
) -> PageJob {
    let path = format!("groups/{}/index.html", g.slug);
    let mut ctx = base_context(data, &path, &g.name);
    ctx.insert("group", g);
    let related: Vec<&StoryView> = data
        .stories_of
        .get(&g.url)
        .map(|ks| ks.iter().map(|&k| &data.stories[k]).collect())
        .unwrap_or_default();
    ctx.insert("stories", &related);
    ctx.insert(
        "leaflets",
        &crate::leaflet::block_url(g, data.leaflets.url(i)),
    );
    ctx.insert(
        "map",
        &map.map(|m| {
            crate::render::maps::svg_in(m, data.lang, input.config.title_in(&data.lang.code).0)
        }),
    );
    ctx.insert("map_key", &map.map(|m| data.lang.map_key(&m.key)));
    ctx.insert("places", &places_text(&input.content.groups[i], data.lang));
    ctx.insert(
        "instead",
        &crate::render::group_page::instead(
            &input.content.groups[i],
            input.content,
            &data.running,
            input.config.nearest_within_miles,
        ),
    );
    if let Some(email) = input
        .config
        .maintainers
        .as_ref()
        .and_then(|m| m.email.as_deref())
    {
        let page = format!("{}{}", input.config.base_url, g.url);
        ctx.insert(
            "mail",
            &crate::render::group_page::listing_mail(email, &input.content.groups[i], &page),
        );
    }
    if let Some(repo) = &input.config.repository {
        let email = input
            .config
            .maintainers
            .as_ref()
            .and_then(|m| m.email.as_deref());
        ctx.insert(
            "listing",
            &crate::intake::links::for_group(repo, email, &input.content.groups[i]),
        );
    }
    PageJob {
        path: data.lang.path(&path),
        template: "group.html",
        context: ctx,
    }
}

/// Lists every page of the site except each group's own page (see [`group_job`]), which
/// a build renders with the group's leaflets so that its map is drawn, used and dropped.
///
/// Pages are rendered and handed to `sink` in batches as their data is made, so only a
/// batch's data is held at once (at 50,000 groups the data of every district page, each
/// listing its groups, was gigabytes).
pub fn render_pages(
    input: &RenderInput<'_>,
    data: &PageData<'_>,
    tera: &tera::Tera,
    sink: &dyn Sink,
) -> Result<()> {
    let RenderInput {
        config,
        content,
        today,
        maps,
        districts,
        links,
        ..
    } = *input;
    let PageData {
        groups,
        stories,
        lang,
        ..
    } = data;
    let default = lang.prefix.is_empty();

    // Each postcode area's groups, by index; an area page's cards are made as it renders.
    let mut by_area: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, g) in content.groups.iter().enumerate() {
        for a in g.postcode_areas() {
            by_area.entry(a).or_default().push(i);
        }
    }
    let area_views: Vec<AreaView> = by_area
        .iter()
        .map(|(code, members)| AreaView {
            slug: code.to_lowercase(),
            url: format!("areas/{}/", code.to_lowercase()),
            name: lang.place_name(areas::area_name(code).unwrap_or(code)),
            code: code.clone(),
            count: members.len(),
            groups: Vec::new(),
        })
        .collect();
    let cards = |members: &[usize]| -> Vec<GroupCard<'_>> {
        members.iter().map(|&i| groups[i].card()).collect()
    };

    let base = |path: &str, title: &str| base_context(data, path, title);
    let mut batch = Batch {
        jobs: Vec::new(),
        heavy: 0,
        tera,
        sink,
    };
    // A list page's data holds many groups or stories: at most two such wait at once.
    let mut job = |path: String, template: &'static str, ctx: Context| {
        let heavy = matches!(
            template,
            "index.html"
                | "groups.html"
                | "area.html"
                | "stories.html"
                | "organisers.html"
                | "feed.xml"
        );
        batch.push(
            PageJob {
                path: lang.path(&path),
                template,
                context: ctx,
            },
            heavy,
        )
    };

    // Home.
    let site_title = config.title_in(&lang.code).0;
    let mut ctx = base("index.html", site_title);
    ctx.insert("areas", &area_views);
    ctx.insert(
        "overview_map",
        &maps
            .overview
            .as_ref()
            .map(|m| crate::render::maps::svg_in(m, lang, site_title)),
    );
    ctx.insert(
        "map_key",
        &maps.overview.as_ref().map(|m| lang.map_key(&m.key)),
    );
    ctx.insert("stories", &teasers(&stories[..stories.len().min(3)]));
    ctx.insert(
        "group_count",
        &groups.iter().filter(|g| g.status != Status::Closed).count(),
    );
    job("index.html".into(), "index.html", ctx)?;

    // Groups, A to Z by address: all on `groups/` while they fit one list page, else
    // `groups/` is the letters and each letter has its pages (see `letter_pages`).
    let letters = letter_pages(groups);
    let mut ctx = base("groups/index.html", lang.text("title_groups"));
    ctx.insert("count", &groups.len());
    if groups.len() <= LIST_CARDS {
        ctx.insert(
            "groups",
            &groups.iter().map(GroupView::card).collect::<Vec<_>>(),
        );
    } else {
        ctx.insert("letters", &letters);
    }
    job("groups/index.html".into(), "groups.html", ctx)?;
    for l in letters.iter().filter(|_| groups.len() > LIST_CARDS) {
        for (k, part) in l.parts.iter().enumerate() {
            let path = format!("{}index.html", part_url(&l.key, k));
            let mut ctx = base(&path, &lang.fill("title_letter", &[("letter", &l.label)]));
            ctx.insert("count", &groups.len());
            ctx.insert("letters", &letters);
            ctx.insert(
                "letter",
                &LetterPart {
                    key: &l.key,
                    label: &l.label,
                    part: k + 1,
                    parts: l.parts.len(),
                    previous: (k > 0).then(|| part_url(&l.key, k - 1)),
                    next: (k + 1 < l.parts.len()).then(|| part_url(&l.key, k + 1)),
                },
            );
            let cards: Vec<GroupCard<'_>> =
                groups[part.clone()].iter().map(GroupView::card).collect();
            ctx.insert("groups", &cards);
            job(path, "groups.html", ctx)?;
        }
    }

    // Areas: a postcode area's groups, or, where there are too many for one list page,
    // its districts (each district's page lists its groups).
    let all_areas = postcode_areas(districts);
    for (a, members) in area_views.iter().zip(by_area.values()) {
        let path = format!("areas/{}/index.html", a.slug);
        let mut ctx = base(&path, &lang.fill("title_area", &[("name", &a.name)]));
        let listed = members.len() <= LIST_CARDS;
        ctx.insert(
            "area",
            &AreaView {
                groups: if listed { cards(members) } else { Vec::new() },
                ..a.clone()
            },
        );
        if !listed {
            let districts = all_areas
                .iter()
                .find(|p| p.code == a.code)
                .map(|p| &p.districts);
            ctx.insert("districts", &districts);
        }
        if let Some(m) = maps.areas.get(&a.code) {
            ctx.insert("map", &crate::render::maps::svg_in(m, lang, site_title));
            ctx.insert("key", &key_lines(m, lang));
        }
        job(path, "area.html", ctx)?;
    }

    // Stories.
    // The stories list, newest first, a page of at most STORIES_A_PAGE.
    let parts = stories.len().div_ceil(STORIES_A_PAGE).max(1);
    for k in 0..parts {
        let path = format!("{}index.html", stories_url(k));
        let mut ctx = base(&path, lang.text("title_stories"));
        let shown = &stories[(k * STORIES_A_PAGE).min(stories.len())
            ..((k + 1) * STORIES_A_PAGE).min(stories.len())];
        ctx.insert("stories", &teasers(shown));
        if parts > 1 {
            ctx.insert(
                "part",
                &StoriesPart {
                    part: k + 1,
                    parts,
                    previous: (k > 0).then(|| stories_url(k - 1)),
                    next: (k + 1 < parts).then(|| stories_url(k + 1)),
                },
            );
        }
        job(path, "stories.html", ctx)?;
    }
    for s in stories {
        let path = format!("stories/{}/index.html", s.slug);
        let mut ctx = base(&path, &s.title);
        ctx.insert("story", s);
        job(path, "story.html", ctx)?;
    }

    // About.
    let mut ctx = base("about/index.html", lang.text("title_about"));
    let help_kinds: Vec<(&str, &str)> = config
        .help
        .keys()
        .map(|k| (k, lang.help_label(config, k)))
        .collect();
    ctx.insert("help_kinds", &help_kinds);
    ctx.insert("translation_reviewed", &lang.strings.meta.reviewed);
    ctx.insert(
        "data_files",
        &crate::export::DataFiles::for_groups(content.groups.len()),
    );
    ctx.insert(
        "embed_snippet",
        &format!(
            "<iframe src=\"{}{}embed/\" title=\"{}\" width=\"100%\" height=\"520\" style=\"border:0;max-width:28rem\" loading=\"lazy\"></iframe>",
            config.base_url,
            lang.prefix,
            lang.text("embed_title").replace('"', "&quot;")
        ),
    );
    job("about/index.html".into(), "about.html", ctx)?;

    // "Add your group": the submission form, when groups may send their own listing, in
    // every language; what it sends is the intake's format whatever the page's language.
    if let Some(repo) = config.repository.as_ref() {
        let path = "about/add-your-group/index.html";
        let mut ctx = base(path, lang.text("title_add"));
        ctx.insert(
            "form",
            &crate::intake::links::add_group_form(config, repo, lang),
        );
        job(path.into(), "add_group.html", ctx)?;
    }

    // The "find your local group" box for other sites' iframes (see embed.html).
    let ctx = base("embed/index.html", lang.text("embed_title"));
    job("embed/index.html".into(), "embed.html", ctx)?;

    // Postcode finder without JavaScript: areas, then districts.
    let mut ctx = base("postcodes/index.html", lang.text("title_postcodes"));
    ctx.insert("all_areas", &all_areas);
    job("postcodes/index.html".into(), "postcodes.html", ctx)?;
    for a in &all_areas {
        let path = format!("postcodes/{}/index.html", a.slug);
        let mut ctx = base(
            &path,
            &lang.fill(
                "title_postcode_area",
                &[("name", &lang.place_name(&a.name)), ("code", &a.code)],
            ),
        );
        ctx.insert("area", a);
        ctx.insert("districts", &a.districts);
        job(path, "postcode_area.html", ctx)?;
    }
    for d in districts {
        let info = crate::geo::geography().district(&d.code);
        let path = format!("postcodes/{}/index.html", d.code.to_lowercase());
        let mut ctx = base(&path, &lang.fill("title_district", &[("code", &d.code)]));
        ctx.insert(
            "district",
            &DistrictView {
                code: d.code.clone(),
                name: info.map(|i| lang.place_name(&i.name)).unwrap_or_default(),
                area: crate::content::areas::area_of(&d.code).to_string(),
                area_slug: crate::content::areas::area_of(&d.code).to_lowercase(),
                large_user_only: info.is_some_and(|i| i.large_user_only),
            },
        );
        let covering: Vec<GroupCard<'_>> =
            d.covering.iter().map(|&(i, _)| groups[i].card()).collect();
        ctx.insert("covering", &covering);
        // The same words, groups, order and miles as `aidmap find` and the search box.
        let within = input.config.nearest_within_miles;
        let nearest: Vec<NearView<'_>> = d
            .near_within(within)
            .map(|&(i, miles)| NearView {
                group: groups[i].card(),
                miles: crate::search::query::format_miles(miles),
            })
            .collect();
        ctx.insert("nearest", &nearest);
        let (outcome, message) = d.message(within, lang);
        ctx.insert("message", &message);
        ctx.insert("outcome", &outcome);
        let area = crate::content::areas::area_of(&d.code);
        // Each route's `what` in the page's language, else the default's, marked.
        let other: Vec<_> = input
            .config
            .other_help
            .iter()
            .filter(|o| o.applies_in(area))
            .map(|o| {
                let (what, what_lang) = input.config.other_help_in(&lang.code, o);
                OtherHelpView {
                    name: &o.name,
                    phone: &o.phone,
                    what,
                    what_lang,
                }
            })
            .collect();
        ctx.insert("other_help", &other);
        ctx.insert(
            "map",
            &maps
                .districts
                .get(&d.code)
                .map(|m| crate::render::maps::svg_in(m, lang, site_title)),
        );
        ctx.insert(
            "map_key",
            &maps.districts.get(&d.code).map(|m| lang.map_key(&m.key)),
        );
        job(path, "district.html", ctx)?;
    }

    // Organisers' report: stale entries, likely duplicates, gaps (see report.rs).
    // Linked from every page's footer and listed in the sitemap (issue #24): volunteers
    // looking for what to do next find it there.
    let mut ctx = base("organisers/index.html", lang.text("title_organisers"));
    ctx.insert(
        "report",
        &crate::report::Report::new(config, content, today)
            .with_links(content, links)
            .first(crate::report::PAGE_LIMIT)
            .in_language(lang),
    );
    job("organisers/index.html".into(), "organisers.html", ctx)?;

    // 404: served at any depth, so it links from the site's absolute base path.
    let mut ctx = base("404.html", lang.text("title_notfound"));
    ctx.insert(
        "root",
        &format!("{}{}", base_path(&config.base_url), lang.prefix),
    );
    ctx.insert("assets", &base_path(&config.base_url));
    job("404.html".into(), "404.html", ctx)?;

    // Feed and sitemap.
    // The newest stories: a feed reader wants what is new, not the whole archive.
    let mut ctx = base("feed.xml", site_title);
    ctx.insert(
        "stories",
        &teasers(&stories[..stories.len().min(FEED_LENGTH)]),
    );
    ctx.insert(
        "updated",
        &stories
            .first()
            .map(|s| s.date.clone())
            .unwrap_or_else(|| today.to_string()),
    );
    job("feed.xml".into(), "feed.xml", ctx)?;

    let mut urls: Vec<String> = vec![
        "".into(),
        "groups/".into(),
        "stories/".into(),
        "about/".into(),
        "postcodes/".into(),
        "leaflets/".into(),
        "organisers/".into(),
    ];
    urls.extend(groups.iter().map(|g| g.url.clone()));
    urls.extend(area_views.iter().map(|a| a.url.clone()));
    urls.extend((1..stories.len().div_ceil(STORIES_A_PAGE)).map(stories_url));
    urls.extend(stories.iter().map(|s| s.url.clone()));
    // One sitemap for every language: each address with its other languages' copies.
    if default {
        let many = data.langs.len() > 1;
        // `leaflets/` is made in every language like any page; the sheets pages
        // (`leaflets/<area>/<n>/`) are `noindex`, so they are not listed.
        let entries: Vec<SitemapUrl> = urls
            .iter()
            .flat_map(|u| {
                data.langs.iter().map(move |l| SitemapUrl {
                    loc: l.path(u),
                    alternates: if many {
                        Lang::alternates(data.langs, u, &l.code)
                    } else {
                        Vec::new()
                    },
                })
            })
            .collect();
        let parts = sitemap_parts(&entries, SITEMAP_URLS);
        for (path, urls) in &parts {
            let mut ctx = base(path, "");
            ctx.insert("urls", urls);
            job(path.clone(), "sitemap.xml", ctx)?;
        }
        if parts.len() > 1 {
            let mut ctx = base("sitemap.xml", "");
            let paths: Vec<&String> = parts.iter().map(|(p, _)| p).collect();
            ctx.insert("sitemaps", &paths);
            job("sitemap.xml".into(), "sitemap_index.xml", ctx)?;
        }
    }
    batch.flush()
}

/// The most addresses one sitemap file may list (the sitemaps.org protocol's limit; a
/// 50,000-group directory has about 60,000 pages a language).
const SITEMAP_URLS: usize = 50_000;

/// The sitemap's files: `sitemap.xml` alone while it fits `limit` addresses, else
/// `sitemaps/1.xml`, `sitemaps/2.xml`… of `limit` each, which `sitemap.xml` then indexes.
fn sitemap_parts<T>(entries: &[T], limit: usize) -> Vec<(String, &[T])> {
    if entries.len() <= limit {
        return vec![("sitemap.xml".to_string(), entries)];
    }
    entries
        .chunks(limit)
        .enumerate()
        .map(|(i, part)| (format!("{SITEMAPS_FOLDER}/{}.xml", i + 1), part))
        .collect()
}

/// The folder of a big site's sitemap files (the build's: no static file may use it).
pub const SITEMAPS_FOLDER: &str = "sitemaps";

/// The folder under `stories/` that holds the stories list's later pages
/// (`stories/page/2/`): the build's, so no story may be called this.
pub const STORY_PAGES: &str = "page";

/// The most stories one page of the stories list shows: a teaser is about 55 bytes
/// gzip, so 400 keep a page near 22 KB, under the 50 KB a list page may weigh.
pub const STORIES_A_PAGE: usize = 400;

/// The address of page `k` (from 0) of the stories list: `stories/`, `stories/page/2/`.
fn stories_url(k: usize) -> String {
    if k == 0 {
        "stories/".into()
    } else {
        format!("stories/{STORY_PAGES}/{}/", k + 1)
    }
}

/// What a page of the stories list shows about itself, when there is more than one.
#[derive(Debug, Serialize)]
struct StoriesPart {
    part: usize,
    parts: usize,
    previous: Option<String>,
    next: Option<String>,
}

/// The teasers of a list of stories.
fn teasers(list: &[StoryView]) -> Vec<StoryTeaser<'_>> {
    list.iter().map(StoryView::teaser).collect()
}

/// How many stories the Atom feed carries, newest first.
pub const FEED_LENGTH: usize = 50;

/// Pages waiting to be rendered together on both cores.
struct Batch<'a> {
    jobs: Vec<PageJob>,
    heavy: usize,
    tera: &'a tera::Tera,
    sink: &'a dyn Sink,
}

impl Batch<'_> {
    /// Enough pages to keep both cores busy, few enough to hold little.
    const SIZE: usize = 64;

    fn push(&mut self, job: PageJob, heavy: bool) -> Result<()> {
        self.jobs.push(job);
        self.heavy += usize::from(heavy);
        if self.jobs.len() >= Self::SIZE || self.heavy >= 2 {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        self.heavy = 0;
        render_into(self.tera, std::mem::take(&mut self.jobs), self.sink)
    }
}

/// The path part of the base URL, for pages that cannot use relative links (404.html).
pub fn base_path(base_url: &str) -> String {
    match url::Url::parse(base_url) {
        Ok(u) => u.path().to_string(),
        Err(_) => base_url.to_string(),
    }
}

/// Renders pages on both cores and hands each to `sink` as soon as it is made; stops at
/// the first error.
pub fn render_into(tera: &tera::Tera, jobs: Vec<PageJob>, sink: &dyn Sink) -> Result<()> {
    jobs.into_par_iter().try_for_each(|j| {
        let html = theme::render_page(tera, j.template, &j.context)?;
        sink.put(j.path, html)
    })
}

/// One address in the sitemap, with the same page in the other languages.
#[derive(Debug, Serialize)]
struct SitemapUrl {
    loc: String,
    alternates: Vec<crate::i18n::Alternate>,
}

/// A district as its page shows it.
#[derive(Debug, Serialize)]
struct DistrictView {
    code: String,
    name: String,
    area: String,
    area_slug: String,
    large_user_only: bool,
}

/// A nearby group and how far it is.
#[derive(Debug, Serialize)]
struct NearView<'a> {
    group: GroupCard<'a>,
    miles: String,
}

/// A postcode area in the no-JavaScript finder, with its districts.
#[derive(Debug, Serialize)]
struct PostcodeAreaView {
    code: String,
    slug: String,
    name: String,
    districts: Vec<DistrictLink>,
}

/// One district in an area's list.
#[derive(Debug, Serialize)]
struct DistrictLink {
    code: String,
    slug: String,
    name: String,
    covered: bool,
}

/// Miles to one decimal place under 10, whole miles above: "0.8", "3.4", "12". Halves
/// round up ("150.5" is "151"), as the search page rounds them.
pub fn format_miles(miles: f64) -> String {
    if miles < 10.0 {
        format!("{miles:.1}")
    } else {
        format!("{}", miles.round())
    }
}

/// Every postcode area in the country with its districts, for the finder pages.
fn postcode_areas(districts: &[DistrictGroups]) -> Vec<PostcodeAreaView> {
    let geo = crate::geo::geography();
    let covered: std::collections::HashSet<&str> = districts
        .iter()
        .filter(|d| !d.covering.is_empty())
        .map(|d| d.code.as_str())
        .collect();
    geo.areas()
        .iter()
        .map(|a| PostcodeAreaView {
            code: a.code.clone(),
            slug: a.code.to_lowercase(),
            name: a.name.clone(),
            districts: geo
                .districts_in_area(&a.code)
                .map(|d| DistrictLink {
                    code: d.code.clone(),
                    slug: d.code.to_lowercase(),
                    name: d.name.clone(),
                    covered: covered.contains(d.code.as_str()),
                })
                .collect(),
        })
        .filter(|a| !a.districts.is_empty())
        .collect()
}

/// The places in a group's districts, in words: "Eaton, Cringleford and Hethersett".
fn places_text(g: &crate::content::Group, lang: &Lang) -> String {
    let geo = crate::geo::geography();
    let mut names: Vec<String> = Vec::new();
    for d in g.districts() {
        for l in geo.localities_of(&d) {
            let name = lang.place_name(&l.locality);
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names.truncate(12);
    lang.and_list(&names)
}

/// A map key as lines of text: "1. NR2 Covid Community Response: diagonal lines".
fn key_lines(m: &crate::geo::map::SvgMap, lang: &Lang) -> Vec<String> {
    let patterns = match &m.caption {
        crate::geo::map::Caption::Area { groups, .. } => groups.iter().map(|g| g.1).collect(),
        _ => Vec::new(),
    };
    m.key
        .iter()
        .map(|k| match k.number {
            // An area map's key: each group and its fill pattern, in the page's words.
            Some(n) => {
                let style = patterns.get(n - 1).map_or(k.style.as_str(), |&p| {
                    crate::render::maps::pattern_words(lang, p)
                });
                format!("{n}. {}: {style}", k.label)
            }
            None => format!("{}: {}", k.label, k.style),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn miles_read_as_the_search_page_writes_them() {
        assert_eq!(super::format_miles(0.8), "0.8");
        assert_eq!(super::format_miles(3.4), "3.4");
        assert_eq!(super::format_miles(12.0), "12");
        // Distances come rounded to a tenth; a half rounds up, not to the even mile.
        assert_eq!(super::format_miles(150.5), "151");
        assert_eq!(super::format_miles(152.5), "153");
    }

    #[test]
    fn a_sitemap_past_the_protocol_limit_is_split_and_indexed() {
        let urls = [1, 2, 3, 4, 5];
        let one = super::sitemap_parts(&urls, 5);
        assert_eq!(one, vec![("sitemap.xml".to_string(), &urls[..])]);
        let parts = super::sitemap_parts(&urls, 2);
        let paths: Vec<&str> = parts.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            ["sitemaps/1.xml", "sitemaps/2.xml", "sitemaps/3.xml"]
        );
        assert_eq!(parts[2].1, &[5]);
        assert!(crate::site::BUILD_OWNED.contains(&super::SITEMAPS_FOLDER));
    }
}
