//! SVG maps drawn at build time and inlined in the HTML: a group's coverage
//! ([`group_map`]), every group in one postcode area ([`area_map`]), the whole
//! directory with its gaps ([`overview_map`]) and one district
//! ([`district_map`]).
//!
//! Every map is self-contained and accessible: a `<title>` and `<desc>`, no
//! script, fonts or external resources. On a page each district (on the home map,
//! each postcode area) is an SVG link to its page, so the map is a `group` of
//! named links; without links (a leaflet) it is an `img`. What a group covers is
//! shaded in one accent colour with at least 3:1 contrast against the white land and
//! the pale sea; everything else is outlined. Fill and stroke are attributes, and
//! classes are hooks for the site's CSS (`--map-covered`). Labels are sized to be at
//! least [`LABEL_PX`] CSS px on a 375 px phone. Ids are prefixed with
//! [`MapOptions::id_prefix`] so several maps can share a page. All text that reaches
//! the SVG is escaped (group names are untrusted).
//!
//! A "sector" (`MK45 3`) is part of a district. Open data gives sectors' centres but
//! not their boundaries, so a covered sector is drawn as the part of its district
//! nearer its centre than any other sector's (a Voronoi cell cut from the outline),
//! and the key says the shape is estimated.

mod caption;
mod draw;
mod layers;

use std::fmt::Write as _;

use geo::{Coord, Rect};

pub use self::caption::Caption;
pub(crate) use self::draw::clip_to_rect;
pub(crate) use self::draw::Simplified;
use self::draw::{escape, open_svg, pattern_def, safe_id, Projection, PATTERNS};
use self::layers::{
    bbox_of, districts_in_view, draw_district, draw_districts, draw_linked, draw_sector_cells,
    CoverageSets, LabelStyle, Labels,
};
use crate::geo::coverage::Coverage;
use crate::geo::data::geography;

/// Options shared by every map.
#[derive(Debug, Clone)]
pub struct MapOptions {
    /// Prefix for every id in the SVG; must differ between maps on one page.
    pub id_prefix: String,
    /// Width in pixels (the SVG scales; this sets label and line sizes relative
    /// to the map). Default 480.
    pub width: f64,
    /// Draw Northern Ireland districts with the Wikipedia polygons (CC BY-SA 3.0:
    /// the site must then credit them and release its maps under CC BY-SA).
    /// Default false: NI districts are circles round their centroids.
    pub ni_polygons: bool,
    /// Space round the content, as a fraction of its size on each side. Default 0.25.
    pub margin: f64,
    /// The way back to the site's root from the page the map is on (`../../`), when
    /// each district drawn should link to its page (`postcodes/mk45/`). Default None:
    /// no links (a printed leaflet).
    pub links: Option<String>,
}

impl Default for MapOptions {
    fn default() -> Self {
        MapOptions {
            id_prefix: "map".to_string(),
            width: 480.0,
            ni_polygons: false,
            margin: 0.25,
            links: None,
        }
    }
}

/// A group's name and its checked coverage entries.
#[derive(Debug, Clone, Copy)]
pub struct GroupCoverage<'a> {
    /// The group's name (untrusted: it is escaped).
    pub name: &'a str,
    /// Its coverage, as checked by [`crate::geo::Geography::check_coverage_entry`].
    pub coverage: &'a [Coverage],
}

/// One line of a map's key, for the page to render as a list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct KeyEntry {
    /// The number shown on the map, when the entry is a group.
    pub number: Option<usize>,
    /// What the entry is: a group's name, or "No group here yet".
    pub label: String,
    /// How it is drawn, in words, such as "diagonal lines (/)".
    pub style: String,
    /// Which swatch the page shows beside it (a CSS hook, `key-covered`): `covered`,
    /// `sector`, `some`, `gap`, `this`, `other` or `pattern`.
    pub swatch: &'static str,
}

impl KeyEntry {
    fn new(label: impl Into<String>, style: &str, swatch: &'static str) -> Self {
        KeyEntry {
            number: None,
            label: label.into(),
            style: style.to_string(),
            swatch,
        }
    }
}

/// A drawn map: the SVG markup and its key.
#[derive(Debug, Clone)]
pub struct SvgMap {
    /// The `<svg>` element, ready to inline in HTML.
    pub svg: String,
    /// The key, also described in the SVG's `<desc>`.
    pub key: Vec<KeyEntry>,
    /// What the `<title>` and `<desc>` say, as data, for a page in another language
    /// to say it in its own words ([`SvgMap::with_words`]).
    pub caption: Caption,
}

impl SvgMap {
    /// The SVG without its links, for a page elsewhere in the site (a leaflet, one
    /// folder deeper than the group page whose links these are) or on paper.
    pub fn unlinked(&self) -> String {
        let svg = self.svg.as_str();
        let mut out = String::with_capacity(svg.len());
        // One pass from `<` to `<` (memchr): the map writes `<a …>` and `</a>` only as
        // links, and its text is escaped. (`str::find` of "<a " a link at a time and
        // then a `replace` was 2% of a 5,000-group build: every leaflet takes a copy.)
        let mut rest = svg;
        while let Some(i) = rest.find('<') {
            out.push_str(&rest[..i]);
            rest = &rest[i..];
            let tag = if rest.starts_with("<a ") || rest.starts_with("</a>") {
                rest.find('>').map_or(rest.len(), |j| j + 1)
            } else {
                out.push('<');
                1
            };
            rest = &rest[tag..];
        }
        out.push_str(rest);
        if let Some(i) = out.find(r#" role="group" aria-labelledby=""#) {
            // `role="group" aria-labelledby="X-title" aria-describedby="X-desc"` becomes
            // `role="img" aria-labelledby="X-title X-desc"`.
            let head = &out[i..];
            if let Some(j) = head.find(r#"-title" aria-describedby=""#) {
                let mut fixed = String::with_capacity(out.len());
                fixed.push_str(&out[..i]);
                fixed.push_str(r#" role="img""#);
                fixed.push_str(&head[r#" role="group""#.len()..j]);
                fixed.push_str("-title ");
                fixed.push_str(&head[j + r#"-title" aria-describedby=""#.len()..]);
                return fixed;
            }
        }
        out
    }
}

/// The covered areas' one accent colour: 5.2:1 against the white land, 4.2:1 against
/// the sea (WCAG 1.4.11 asks 3:1). Pages may change it with `--map-covered`.
const ACCENT: &str = "#1d70b8";
// Fill and stroke are attributes (a map inlined without the site's CSS still draws);
// classes are the hooks the site's CSS colours.
const COVERED: &str = r##"class="aidmap-covered" fill="#1d70b8" stroke="#000" stroke-width="1""##;
const SECTOR: &str = r##"class="aidmap-covered aidmap-sector" fill="#1d70b8" stroke="#000" stroke-width="1" stroke-dasharray="3 2""##;
const CONTEXT: &str = r##"class="aidmap-context" fill="none" stroke="#8a8a8a" stroke-width="0.6""##;
/// How wide a 480 px map is drawn on a 375 px phone at the narrowest: the page less
/// its padding and the map's border (341 px in the default theme), less some room
/// for a theme with wider padding.
const PHONE_MAP_PX: f64 = 335.0;
/// The smallest label on a phone, in CSS px (issue 24 asks 11).
const LABEL_PX: f64 = 11.5;

/// How far (px) the home map's area outlines may stray from the true ones: a
/// tolerance, not a level of detail, so the map's size is bounded by the areas'.
const AREA_EPSILON: f64 = 3.0;

/// The label size, in the map's units, that is [`LABEL_PX`] on a phone.
fn label_size(opts: &MapOptions) -> f64 {
    LABEL_PX * opts.width / PHONE_MAP_PX
}

/// The key line for covered sectors: what is drawn is an estimate, and the key says so.
fn sector_key() -> KeyEntry {
    KeyEntry::new(
        "Covered postcode sectors (their shape is estimated from each sector's centre: sector boundaries are not published)",
        "blue, dashed outline",
        "sector",
    )
}

/// A group's coverage: districts it covers shaded, sectors it covers drawn as their
/// part of the district, neighbours named.
pub fn group_map(group: &GroupCoverage<'_>, opts: &MapOptions) -> SvgMap {
    let id = safe_id(&opts.id_prefix);
    let sets = CoverageSets::new(group.coverage);
    let proj = fit(bbox_of(sets.districts(), opts), opts.margin, 6.0, opts);
    let size = label_size(opts);

    let mut desc = format!("Map of the area covered by {}.", group.name);
    if !sets.whole.is_empty() {
        let _ = write!(
            desc,
            " Whole postcode districts, shaded blue: {}.",
            sets.whole.join(", ")
        );
    }
    if !sets.partial.is_empty() {
        let _ = write!(
            desc,
            " Postcode sectors, shaded blue within their district: {}.",
            sets.sectors().join(", ")
        );
    }
    // The neighbours: districts whose box meets the box of a district the group covers.
    // Drawing every district in view was half of a group page's bytes (issue 25).
    let boxes: Vec<Rect<f64>> = sets
        .districts()
        .filter_map(|c| layers::geometry(c, opts).map(|g| g.bbox()))
        .collect();
    let others: Vec<&str> = districts_in_view(&proj, opts)
        .into_iter()
        .filter(|c| !sets.whole.iter().any(|d| d == c))
        .filter(|c| {
            layers::geometry(c, opts).is_some_and(|g| {
                let b = g.bbox();
                boxes.iter().any(|x| geo::Intersects::intersects(x, &b))
            })
        })
        .collect();
    if !others.is_empty() {
        let _ = write!(
            desc,
            " Nearby districts, named on the map: {}.",
            others.join(", ")
        );
    }

    let mut out = String::with_capacity(16 * 1024);
    let title = format!("Area covered by {}", group.name);
    open_svg(&mut out, &id, &proj, (&title, &desc), opts.links.is_some());
    proj.coast(&mut out);
    let mut labels = Labels::default();
    // The neighbours are named, not outlined: their outlines were two fifths of every
    // group page's bytes (issue 25), and drawn lighter than the covered districts they
    // met in lines that did not quite meet. A district's page, one tap away, draws them.
    // A district with covered sectors is outlined, and keeps its detail, as its cells
    // are cut from it; the districts the group covers, whole or in part, link on.
    let part: Vec<&str> = others
        .iter()
        .copied()
        .filter(|c| sets.partial.contains_key(*c))
        .collect();
    // Every group page carries this map, so its outlines are lighter than a district's
    // or an area's map.
    let light = proj.lighter();
    draw_districts(&mut out, &proj, &part, opts, CONTEXT);
    for code in &sets.whole {
        draw_linked(&mut out, &light, code, opts, (COVERED, "covered"));
        labels.district(&proj, code, code, &LabelStyle::main(size), opts);
    }
    for (code, sectors) in &sets.partial {
        for (sector, at) in draw_sector_cells(&mut out, &proj, code, sectors, opts, SECTOR) {
            labels.add(at, &sector, &LabelStyle::main(size));
        }
    }
    for code in &others {
        labels.district(&proj, code, code, &LabelStyle::context(size), opts);
    }
    out.push_str(&labels.finish());
    out.push_str("</svg>");
    let mut key = Vec::new();
    if !sets.whole.is_empty() {
        key.push(KeyEntry::new(
            "Postcode districts this group covers",
            "blue shading",
            "covered",
        ));
    }
    if !sets.partial.is_empty() {
        key.push(sector_key());
    }
    let caption = Caption::Group {
        name: group.name.to_string(),
        whole: sets.whole.clone(),
        sectors: sets.sectors().into_iter().map(str::to_string).collect(),
        others: others.iter().map(|c| (*c).to_string()).collect(),
    };
    SvgMap {
        svg: out,
        key,
        caption,
    }
}

/// The key line for the outlined districts around what a map is about.
fn other_key(opts: &MapOptions) -> KeyEntry {
    let label = if opts.links.is_some() {
        "Other postcode districts (each links to its page)"
    } else {
        "Other postcode districts"
    };
    KeyEntry::new(label, "grey outline", "other")
}

/// Several groups in one postcode area, each with its own pattern and number.
/// Where groups overlap their patterns combine, and the number label lists them
/// all ("1, 3").
pub fn area_map(area: &str, groups: &[GroupCoverage<'_>], opts: &MapOptions) -> SvgMap {
    if groups.len() > PATTERNS.len() {
        return area_districts_map(area, groups, opts);
    }
    let id = safe_id(&opts.id_prefix);
    let (area_name, area_districts) = area_and_districts(area);
    let sets: Vec<CoverageSets> = groups
        .iter()
        .map(|gr| CoverageSets::new(gr.coverage))
        .collect();
    // Crop to the groups, not the whole area: a city's groups would be specks
    // on a map of its rural area. The area's other districts give context.
    let content = bbox_of(sets.iter().flat_map(|s| s.districts()), opts)
        .or_else(|| bbox_of(area_districts.iter().copied(), opts));
    let proj = fit(content, opts.margin, 6.0, opts);
    let size = label_size(opts);

    let mut key = Vec::new();
    let mut captioned = Vec::new();
    let mut desc = format!("Map of mutual aid groups in the {area} ({area_name}) postcode area.");
    for (i, (group, set)) in groups.iter().zip(&sets).enumerate() {
        let style = &PATTERNS[i % PATTERNS.len()];
        let codes: Vec<&str> = set
            .whole
            .iter()
            .map(String::as_str)
            .chain(set.sectors())
            .collect();
        let _ = write!(
            desc,
            " {}: {}, drawn with {}, covers {}.",
            i + 1,
            group.name,
            style.words,
            codes.join(", ")
        );
        captioned.push((
            group.name.to_string(),
            i % PATTERNS.len(),
            codes.iter().map(|c| (*c).to_string()).collect(),
        ));
        key.push(KeyEntry {
            number: Some(i + 1),
            label: group.name.to_string(),
            style: style.words.to_string(),
            swatch: "pattern",
        });
    }
    if sets.iter().any(|s| !s.partial.is_empty()) {
        let _ = write!(
            desc,
            " A sector's shape is estimated from its centre: sector boundaries are not published."
        );
    }
    let mut out = String::with_capacity(32 * 1024);
    let title = format!("Mutual aid groups in {area_name}");
    open_svg(&mut out, &id, &proj, (&title, &desc), opts.links.is_some());
    out.push_str("<defs>");
    for (i, style) in PATTERNS.iter().enumerate().take(groups.len()) {
        pattern_def(&mut out, &format!("{id}-g{i}"), style);
    }
    out.push_str("</defs>");
    proj.coast(&mut out);
    let (inside, outside): (Vec<&str>, Vec<&str>) = districts_in_view(&proj, opts)
        .into_iter()
        .partition(|c| area_districts.contains(c));
    draw_districts(&mut out, &proj, &outside, opts, CONTEXT);
    let area_attrs = r##"class="aidmap-context" fill="#fff" stroke="#666" stroke-width="0.7""##;
    draw_districts(&mut out, &proj, &inside, opts, area_attrs);
    // Which groups cover each district, for the number labels.
    let mut numbers: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
    let mut sector_numbers: std::collections::BTreeMap<String, (Coord<f64>, Vec<usize>)> =
        Default::default();
    for (i, set) in sets.iter().enumerate() {
        let pattern = format!("{id}-g{}", i % PATTERNS.len());
        for code in &set.whole {
            let attrs = format!(
                r##"class="aidmap-group" fill="url(#{pattern})" stroke="#000" stroke-width="1.2""##
            );
            draw_linked(&mut out, &proj, code, opts, (&attrs, ""));
            numbers.entry(code).or_default().push(i + 1);
        }
        for (code, sectors) in &set.partial {
            let attrs = format!(
                r##"class="aidmap-group aidmap-sector" fill="url(#{pattern})" stroke="#000" stroke-width="1.2" stroke-dasharray="3 2""##
            );
            for (sector, at) in draw_sector_cells(&mut out, &proj, code, sectors, opts, &attrs) {
                sector_numbers
                    .entry(sector)
                    .or_insert((at, Vec::new()))
                    .1
                    .push(i + 1);
            }
        }
    }
    let mut labels = Labels::default();
    for (code, nums) in &numbers {
        let text: Vec<String> = nums.iter().map(ToString::to_string).collect();
        labels.district(&proj, code, &text.join(","), &LabelStyle::main(size), opts);
    }
    for (at, nums) in sector_numbers.values() {
        let text: Vec<String> = nums.iter().map(ToString::to_string).collect();
        labels.add(*at, &text.join(","), &LabelStyle::main(size));
    }
    for code in &area_districts {
        labels.district(&proj, code, code, &LabelStyle::context(size), opts);
    }
    out.push_str(&labels.finish());
    out.push_str("</svg>");
    let caption = Caption::Area {
        code: area.to_string(),
        name: area_name,
        groups: captioned,
        estimated: sets.iter().any(|s| !s.partial.is_empty()),
    };
    SvgMap {
        svg: out,
        key,
        caption,
    }
}

/// The dots of "no group here yet" (the overview map's areas, an area map's districts),
/// as a pattern called `id`.
fn gap_pattern(out: &mut String, id: &str) {
    let _ = write!(
        out,
        r##"<pattern id="{id}" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#fff"/><circle cx="3" cy="3" r=".9" fill="#666"/></pattern>"##
    );
}

/// An area's name (its code when it has none) and its districts with an area of their own.
fn area_and_districts(area: &str) -> (String, Vec<&str>) {
    let g = geography();
    let name = g
        .area(area)
        .map_or_else(|| area.to_string(), |a| a.name.clone());
    let districts = g
        .districts_in_area(area)
        .filter(|d| !d.large_user_only)
        .map(|d| d.code.as_str())
        .collect();
    (name, districts)
}

/// A postcode area with more groups than there are patterns: a pattern each would
/// repeat (and a key line each grew with the directory: 1.5 MB for Liverpool at 50,000
/// groups, issue 25), so its districts are shaded instead, blue where at least one
/// group covers them and dotted where none does yet, each linked to its page (which
/// lists its groups). Its size depends on the area's districts, never on its groups.
fn area_districts_map(area: &str, groups: &[GroupCoverage<'_>], opts: &MapOptions) -> SvgMap {
    let id = safe_id(&opts.id_prefix);
    let (area_name, area_districts) = area_and_districts(area);
    let all = CoverageSets::new(groups.iter().flat_map(|gr| gr.coverage));
    let covered: std::collections::HashSet<&str> = all.districts().collect();
    let (with, without): (Vec<&str>, Vec<&str>) = area_districts
        .iter()
        .copied()
        .partition(|d| covered.contains(d));
    let proj = fit(
        bbox_of(area_districts.iter().copied(), opts),
        opts.margin,
        6.0,
        opts,
    );
    let size = label_size(opts);
    let mut desc = format!("Map of the {area} ({area_name}) postcode area by postcode district.");
    if !with.is_empty() {
        let _ = write!(desc, " With a group, shaded blue: {}.", with.join(", "));
    }
    if !without.is_empty() {
        let _ = write!(desc, " No group yet, dotted: {}.", without.join(", "));
    }
    let mut out = String::with_capacity(32 * 1024);
    let title = format!("Mutual aid groups in {area_name}");
    open_svg(&mut out, &id, &proj, (&title, &desc), opts.links.is_some());
    let gap = format!("{id}-gap");
    out.push_str("<defs>");
    gap_pattern(&mut out, &gap);
    out.push_str("</defs>");
    proj.coast(&mut out);
    let outside: Vec<&str> = districts_in_view(&proj, opts)
        .into_iter()
        .filter(|c| !area_districts.contains(c))
        .collect();
    draw_districts(&mut out, &proj, &outside, opts, CONTEXT);
    let gap_attrs =
        format!(r##"class="aidmap-gap" fill="url(#{gap})" stroke="#666" stroke-width="0.7""##);
    draw_districts(&mut out, &proj, &without, opts, &gap_attrs);
    draw_districts(&mut out, &proj, &with, opts, COVERED);
    // Labels where there is room (a city's districts are too small for all of theirs);
    // every district is named in the description and links to its page.
    let mut labels = Labels::default();
    let with_style = LabelStyle {
        bold: true,
        ..LabelStyle::context(size)
    };
    for code in &with {
        labels.district(&proj, code, code, &with_style, opts);
    }
    for code in &without {
        labels.district(&proj, code, code, &LabelStyle::context(size), opts);
    }
    out.push_str(&labels.finish());
    out.push_str("</svg>");
    let mut key = Vec::new();
    if !with.is_empty() {
        let label = if opts.links.is_some() {
            "Postcode districts with at least one group (each links to its page)"
        } else {
            "Postcode districts with at least one group"
        };
        key.push(KeyEntry::new(label, "blue shading", "covered"));
    }
    if !without.is_empty() {
        key.push(KeyEntry::new(
            "Postcode districts with no group yet",
            "dots",
            "gap",
        ));
    }
    let caption = Caption::AreaDistricts {
        code: area.to_string(),
        name: area_name,
        with: with.iter().map(|c| (*c).to_string()).collect(),
        without: without.iter().map(|c| (*c).to_string()).collect(),
    };
    SvgMap {
        svg: out,
        key,
        caption,
    }
}

/// What an overview map shows.
#[derive(Debug, Clone, Copy)]
pub struct Overview<'a> {
    /// The map's title, such as "Mutual aid in Norfolk" (escaped).
    pub title: &'a str,
    /// Postcode areas forming the region, such as `["NR", "IP"]`.
    pub areas: &'a [&'a str],
    /// Extra districts outside those areas to include in the region.
    pub districts: &'a [&'a str],
    /// Every group in the directory.
    pub groups: &'a [GroupCoverage<'a>],
}

/// How much of a postcode area's residential districts have a group, on the home map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Share {
    /// Half of them or more.
    Most,
    /// Some, fewer than half.
    Some,
    /// None yet.
    None,
}

/// The whole directory at the level of postcode areas: each area of the region shaded
/// by how many of its districts have a group (the "gap map"), linked to the area's list
/// of districts. Drawn by area, not district, so that its size depends on the region's
/// areas (at most the 124 of the UK), never on how many groups or districts there are:
/// a district-level map of the UK was 77 KB gzip on a 5,000-group home page (issue 25).
/// `opts.links` links the areas (`postcodes/nr/`).
pub fn overview_map(spec: &Overview<'_>, opts: &MapOptions) -> SvgMap {
    let id = safe_id(&opts.id_prefix);
    let g = geography();
    let shapes = g.shapes();
    let all = CoverageSets::new(spec.groups.iter().flat_map(|gr| gr.coverage));
    let covered: std::collections::HashSet<&str> = all.districts().collect();
    let mut areas: Vec<&str> = spec
        .areas
        .iter()
        .copied()
        .filter(|a| g.area(a).is_some())
        .collect();
    for code in spec.districts.iter().copied().chain(all.districts()) {
        if let Some(d) = g.district(code) {
            areas.push(&d.area);
        }
    }
    areas.sort_unstable();
    areas.dedup();
    // Each area: its residential districts, how many have a group, its share.
    let counted: Vec<(&str, usize, usize, Share)> = areas
        .iter()
        .map(|&a| {
            let (mut total, mut with) = (0, 0);
            for d in g.districts_in_area(a).filter(|d| !d.large_user_only) {
                total += 1;
                with += usize::from(covered.contains(d.code.as_str()));
            }
            let share = match with {
                0 => Share::None,
                w if 2 * w >= total => Share::Most,
                _ => Share::Some,
            };
            (a, total, with, share)
        })
        .collect();
    let area_box = |a: &str| {
        shapes.area(a).map(|s| s.bbox).or_else(|| {
            bbox_of(
                g.districts_in_area(a)
                    .filter(|d| !d.large_user_only)
                    .map(|d| d.code.as_str()),
                opts,
            )
        })
    };
    let content = areas
        .iter()
        .filter_map(|a| area_box(a))
        .reduce(layers::rect_union);
    let proj = fit(content, 0.03, 20.0, opts);
    let size = label_size(opts);

    let codes = |share: Share| -> Vec<String> {
        counted
            .iter()
            .filter(|c| c.3 == share)
            .map(|c| c.0.to_string())
            .collect()
    };
    let list = |share: Share| -> String {
        let codes = codes(share);
        if codes.is_empty() {
            "none".to_string()
        } else {
            codes.join(", ")
        }
    };
    let desc = format!(
        "Map of {} postcode areas and how many of their postcode districts have a mutual aid group. A group in half or more of the districts, shaded blue: {}. In fewer than half, striped blue: {}. No group yet, dotted: {}.",
        counted.len(),
        list(Share::Most),
        list(Share::Some),
        list(Share::None)
    );

    let mut out = String::with_capacity(32 * 1024);
    open_svg(
        &mut out,
        &id,
        &proj,
        (spec.title, &desc),
        opts.links.is_some(),
    );
    let (some, gap) = (format!("{id}-some"), format!("{id}-gap"));
    let _ = write!(
        out,
        r##"<defs><pattern id="{some}" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#fff"/><path class="aidmap-stripe" d="M-1 7L7-1M5 7L7 5M-1 1L1-1" stroke="{ACCENT}" stroke-width="2"/></pattern>"##
    );
    gap_pattern(&mut out, &gap);
    out.push_str("</defs>");
    proj.coast_at(&mut out, AREA_EPSILON, 10);
    // The areas around the region, outlined, for where it is.
    let mut d = String::new();
    for a in g.areas() {
        if let Some(shape) = shapes
            .area(&a.code)
            .filter(|_| !areas.contains(&a.code.as_str()))
        {
            d.push_str(&proj.path_at(shape, AREA_EPSILON, 10).unwrap_or_default());
        }
    }
    if !d.is_empty() {
        let _ = write!(out, r#"<path d="{d}" {CONTEXT}/>"#);
    }
    // One group per share, holding its areas: the attributes once, not once an area.
    out.push_str(r##"<g stroke="#000" stroke-width="0.6">"##);
    let mut labels = Labels::default();
    for share in [Share::Most, Share::Some, Share::None] {
        let attrs = match share {
            Share::Most => format!(r#"class="aidmap-covered" fill="{ACCENT}""#),
            Share::Some => format!(r#"class="aidmap-some" fill="url(#{some})""#),
            Share::None => format!(r#"class="aidmap-gap" fill="url(#{gap})""#),
        };
        let mut inner = String::new();
        for &(code, ..) in counted.iter().filter(|c| c.3 == share) {
            let mut one = String::new();
            match shapes.area(code) {
                Some(shape) => {
                    if let Some(d) = proj.path_at(shape, AREA_EPSILON, 10) {
                        let _ = write!(one, r#"<path d="{d}"/>"#);
                    }
                }
                // No polygon (Northern Ireland, the islands): its districts' circles.
                None => {
                    for dist in g.districts_in_area(code).filter(|d| !d.large_user_only) {
                        draw_district(&mut one, &proj, &dist.code, opts, "");
                    }
                }
            }
            if one.is_empty() {
                continue;
            }
            match &opts.links {
                Some(root) => {
                    let name = g.area(code).map(|a| a.name.as_str()).unwrap_or_default();
                    let _ = write!(
                        inner,
                        r#"<a href="{}postcodes/{}/" aria-label="{} {}">{one}</a>"#,
                        escape(root),
                        escape(&code.to_ascii_lowercase()),
                        escape(code),
                        escape(name)
                    );
                }
                None => inner.push_str(&one),
            }
            if let Some(a) = g.area(code) {
                let at = shapes
                    .area(code)
                    .and_then(|s| geo::InteriorPoint::interior_point(&s.polygon))
                    .map_or(Coord { x: a.lon, y: a.lat }, |p| p.0);
                if proj.shows(at) {
                    labels.add(proj.project(at), code, &LabelStyle::context(size));
                }
            }
        }
        if !inner.is_empty() {
            let _ = write!(out, "<g {attrs}>{inner}</g>");
        }
    }
    out.push_str("</g>");
    out.push_str(&labels.finish());
    out.push_str("</svg>");
    let mut key = Vec::new();
    for (share, label, style, swatch) in [
        (
            Share::Most,
            "A group in half or more of the area's postcode districts",
            "solid blue",
            "covered",
        ),
        (
            Share::Some,
            "A group in fewer than half of its districts",
            "blue stripes",
            "some",
        ),
        (Share::None, "No group here yet", "grey dots", "gap"),
    ] {
        if counted.iter().any(|c| c.3 == share) {
            key.push(KeyEntry::new(label, style, swatch));
        }
    }
    let caption = Caption::Overview {
        areas: counted.len(),
        most: codes(Share::Most),
        some: codes(Share::Some),
        none: codes(Share::None),
    };
    SvgMap {
        svg: out,
        key,
        caption,
    }
}

/// A small map for a district's page: the district outlined heavily, neighbours
/// outlined, labelled and linked, and the groups' coverage nearby shaded (sectors as
/// their part of the district).
pub fn district_map(code: &str, nearby: &[GroupCoverage<'_>], opts: &MapOptions) -> SvgMap {
    let id = safe_id(&opts.id_prefix);
    let code = crate::geo::data::normalise(code);
    // A large-user district (PO boxes, big firms' own codes) has no area to outline,
    // only a centroid: the map centres on that and rings it. Without this its map was
    // all of Great Britain, listing every district in its description.
    let shape = bbox_of([code.as_str()], opts);
    let point = match shape {
        Some(_) => None,
        None => geography()
            .district(&code)
            .map(|d| Coord { x: d.lon, y: d.lat }),
    };
    let content = shape.or_else(|| point.map(|p| Rect::new(p, p)));
    let proj = fit(content, opts.margin.max(0.6), 8.0, opts);
    let size = label_size(opts);
    let all = CoverageSets::new(nearby.iter().flat_map(|gr| gr.coverage));
    let context = districts_in_view(&proj, opts);
    let name = geography()
        .district(&code)
        .map(|d| d.name.clone())
        .unwrap_or_default();

    let mut desc = format!("Map of postcode district {code}");
    if !name.is_empty() {
        let _ = write!(desc, " ({name})");
    }
    desc.push_str(match point {
        Some(_) => ": a code for large users such as businesses and PO boxes, with no area of its own; a black ring marks where it is.",
        None => ", outlined in black.",
    });
    let whole: Vec<&str> = all
        .whole
        .iter()
        .map(String::as_str)
        .filter(|d| context.contains(d))
        .collect();
    let parts: Vec<(&String, &Vec<String>)> = all
        .partial
        .iter()
        .filter(|(d, _)| context.contains(&d.as_str()))
        .collect();
    if !whole.is_empty() {
        let _ = write!(
            desc,
            " Districts a group covers, shaded blue: {}.",
            whole.join(", ")
        );
    }
    if !parts.is_empty() {
        let sectors: Vec<&str> = parts
            .iter()
            .flat_map(|(_, s)| s.iter().map(String::as_str))
            .collect();
        let _ = write!(
            desc,
            " Sectors a group covers, shaded blue within their district: {}.",
            sectors.join(", ")
        );
    }
    let others: Vec<&str> = context.iter().copied().filter(|c| *c != code).collect();
    if !others.is_empty() {
        let _ = write!(desc, " Neighbouring districts: {}.", others.join(", "));
    }

    let mut out = String::with_capacity(16 * 1024);
    let title = format!("Postcode district {code}");
    open_svg(&mut out, &id, &proj, (&title, &desc), opts.links.is_some());
    proj.coast(&mut out);
    let (near, far): (Vec<&str>, Vec<&str>) = others.iter().partition(|c| whole.contains(c));
    draw_districts(&mut out, &proj, &far, opts, CONTEXT);
    for c in &near {
        draw_linked(&mut out, &proj, c, opts, (COVERED, "covered"));
    }
    let mut sector_labels = Vec::new();
    for (d, sectors) in &parts {
        sector_labels.extend(draw_sector_cells(&mut out, &proj, d, sectors, opts, SECTOR));
    }
    let this_covered = whole.contains(&code.as_str());
    let fill = if this_covered { ACCENT } else { "none" };
    let class = if this_covered {
        "aidmap-this aidmap-covered"
    } else {
        "aidmap-this"
    };
    let this = format!(r##"class="{class}" fill="{fill}" stroke="#000" stroke-width="3""##);
    let ring_at = point.map(|p| proj.project(p));
    match ring_at {
        Some(p) => {
            let _ = write!(
                out,
                r##"<circle cx="{:.1}" cy="{:.1}" r="8" {this}/>"##,
                p.x, p.y
            );
        }
        None => {
            // The page's own district is not a link to itself; its covered sectors,
            // drawn above, show through an unfilled outline.
            draw_district(&mut out, &proj, &code, opts, &this);
        }
    }
    let mut labels = Labels::default();
    match ring_at {
        // Above the ring, not on it.
        Some(p) => {
            let at = Coord {
                x: p.x,
                y: p.y - 12.0 - size,
            };
            labels.add(at, &code, &LabelStyle::main(size * 1.15));
        }
        None => labels.district(&proj, &code, &code, &LabelStyle::main(size * 1.15), opts),
    }
    for (sector, at) in &sector_labels {
        labels.add(*at, sector, &LabelStyle::context(size));
    }
    for c in near.iter().chain(&far) {
        labels.district(&proj, c, c, &LabelStyle::context(size), opts);
    }
    out.push_str(&labels.finish());
    out.push_str("</svg>");
    let mut key = vec![KeyEntry::new(
        format!("Postcode district {code}"),
        if point.is_some() {
            "black ring"
        } else {
            "heavy black outline"
        },
        "this",
    )];
    if this_covered || !near.is_empty() {
        key.push(KeyEntry::new(
            "Postcode districts a group covers",
            "blue shading",
            "covered",
        ));
    }
    if !parts.is_empty() {
        key.push(sector_key());
    }
    if !far.is_empty() {
        key.push(other_key(opts));
    }
    let caption = Caption::District {
        large_user: point.is_some(),
        whole: whole.iter().map(|c| (*c).to_string()).collect(),
        sectors: parts.iter().flat_map(|(_, s)| s.iter().cloned()).collect(),
        others: others.iter().map(|c| (*c).to_string()).collect(),
        code,
        name,
    };
    SvgMap {
        svg: out,
        key,
        caption,
    }
}

/// A projection for `content`, or all of Great Britain if nothing can be drawn.
fn fit(content: Option<Rect<f64>>, margin: f64, min_km: f64, opts: &MapOptions) -> Projection {
    let content =
        content.unwrap_or_else(|| Rect::new(Coord { x: -6.0, y: 50.0 }, Coord { x: 1.8, y: 58.7 }));
    Projection::fit(content, margin, min_km, opts.width)
}

#[cfg(test)]
mod tests;
