//! SVG maps drawn at build time and inlined in the HTML: a group's coverage
//! ([`group_map`]), every group in one postcode area ([`area_map`]), the whole
//! directory with its gaps ([`overview_map`]) and one district
//! ([`district_map`]).
//!
//! Every map is self-contained and accessible: `role="img"` with a `<title>` and
//! `<desc>` named by `aria-labelledby`, no script, fonts or external resources,
//! and black-and-white print safe (greys, strokes and patterns, never colour
//! alone; fill and stroke are attributes, classes are only hooks for CSS).
//! Ids are prefixed with [`MapOptions::id_prefix`] so several maps can share a
//! page. All text that reaches the SVG is escaped (group names are untrusted).
//!
//! "Partial" coverage means a group lists some sectors of a district but not the
//! whole district; open data has no sector boundaries, so the district is hatched
//! and the sectors are marked at their centroids and named in the `<desc>`.

mod draw;
mod layers;

use std::fmt::Write as _;

use geo::{Coord, Rect};

pub(crate) use self::draw::Simplified;
use self::draw::{open_svg, pattern_def, safe_id, Projection, PATTERNS};
use self::layers::{
    bbox_of, districts_in_view, draw_district, draw_districts, CoverageSets, LabelStyle, Labels,
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
}

impl Default for MapOptions {
    fn default() -> Self {
        MapOptions {
            id_prefix: "map".to_string(),
            width: 480.0,
            ni_polygons: false,
            margin: 0.25,
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyEntry {
    /// The number shown on the map, when the entry is a group.
    pub number: Option<usize>,
    /// What the entry is: a group's name, or "No group here yet".
    pub label: String,
    /// How it is drawn, in words, such as "diagonal lines (/)".
    pub style: String,
}

/// A drawn map: the SVG markup and its key.
#[derive(Debug, Clone)]
pub struct SvgMap {
    /// The `<svg>` element, ready to inline in HTML.
    pub svg: String,
    /// The key, also described in the SVG's `<desc>`.
    pub key: Vec<KeyEntry>,
}

// Fills: solid greys for "covered", so patterns stay free for groups on area maps.
const COVERED: &str = r##"fill="#a0a0a0" stroke="#000" stroke-width="1.5""##;
const CONTEXT: &str = r##"class="aidmap-context" fill="none" stroke="#8a8a8a" stroke-width="0.6""##;
/// Label size relative to a 480 px map.
const LABEL: f64 = 11.0;

/// A group's coverage: districts it covers shaded, districts it covers in part
/// hatched (with the sectors marked), neighbours outlined and labelled.
pub fn group_map(group: &GroupCoverage<'_>, opts: &MapOptions) -> SvgMap {
    let id = safe_id(&opts.id_prefix);
    let sets = CoverageSets::new(group.coverage);
    let proj = fit(bbox_of(sets.districts(), opts), opts.margin, 6.0, opts);
    let size = LABEL * opts.width / 480.0;

    let mut desc = format!("Map of the area covered by {}.", group.name);
    if !sets.whole.is_empty() {
        let _ = write!(
            desc,
            " Whole postcode districts, shaded grey: {}.",
            sets.whole.join(", ")
        );
    }
    if !sets.partial.is_empty() {
        let _ = write!(
            desc,
            " Postcode sectors, in hatched districts and marked with dots: {}.",
            sets.sectors().join(", ")
        );
    }
    let context = districts_in_view(&proj, opts);
    let others: Vec<&str> = context
        .iter()
        .copied()
        .filter(|c| !sets.districts().any(|d| d == *c))
        .collect();
    if !others.is_empty() {
        let _ = write!(
            desc,
            " Neighbouring districts, outlined: {}.",
            others.join(", ")
        );
    }

    let mut out = String::with_capacity(16 * 1024);
    open_svg(
        &mut out,
        &id,
        &proj,
        &format!("Area covered by {}", group.name),
        &desc,
    );
    let part = format!("{id}-part");
    out.push_str("<defs>");
    pattern_def(&mut out, &part, &PATTERNS[0]);
    out.push_str("</defs>");
    proj.coast(&mut out);
    let mut labels = Labels::default();
    draw_districts(&mut out, &proj, &others, opts, CONTEXT);
    for code in &sets.whole {
        draw_district(
            &mut out,
            &proj,
            code,
            opts,
            &format!(r#"class="aidmap-covered" {COVERED}"#),
        );
        labels.district(&proj, code, code, &LabelStyle::main(size * 1.1), opts);
    }
    for code in sets.partial.keys() {
        let attrs = format!(
            r##"class="aidmap-partial" fill="url(#{part})" stroke="#000" stroke-width="1.5" stroke-dasharray="4 2""##
        );
        draw_district(&mut out, &proj, code, opts, &attrs);
        labels.district(&proj, code, code, &LabelStyle::main(size * 1.1), opts);
    }
    sector_marks(&mut out, &mut labels, &proj, &sets, size);
    for code in &others {
        labels.district(&proj, code, code, &LabelStyle::context(size * 0.85), opts);
    }
    out.push_str(&labels.finish());
    out.push_str("</svg>");
    let mut key = Vec::new();
    if !sets.whole.is_empty() {
        key.push(KeyEntry {
            number: None,
            label: "Covered by this group".to_string(),
            style: "grey shading".to_string(),
        });
    }
    if !sets.partial.is_empty() {
        key.push(KeyEntry {
            number: None,
            label: "Partly covered (the sectors marked)".to_string(),
            style: PATTERNS[0].words.to_string(),
        });
    }
    SvgMap { svg: out, key }
}

/// Several groups in one postcode area, each with its own pattern and number.
/// Where groups overlap their patterns combine, and the number label lists them
/// all ("1, 3").
pub fn area_map(area: &str, groups: &[GroupCoverage<'_>], opts: &MapOptions) -> SvgMap {
    let id = safe_id(&opts.id_prefix);
    let g = geography();
    let area_name = g
        .area(area)
        .map_or_else(|| area.to_string(), |a| a.name.clone());
    let area_districts: Vec<&str> = g
        .districts_in_area(area)
        .filter(|d| !d.large_user_only)
        .map(|d| d.code.as_str())
        .collect();
    let sets: Vec<CoverageSets> = groups
        .iter()
        .map(|gr| CoverageSets::new(gr.coverage))
        .collect();
    // Crop to the groups, not the whole area: a city's groups would be specks
    // on a map of its rural area. The area's other districts give context.
    let content = bbox_of(sets.iter().flat_map(|s| s.districts()), opts)
        .or_else(|| bbox_of(area_districts.iter().copied(), opts));
    let proj = fit(content, opts.margin, 6.0, opts);
    let size = LABEL * opts.width / 480.0;

    let mut key = Vec::new();
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
        key.push(KeyEntry {
            number: Some(i + 1),
            label: group.name.to_string(),
            style: style.words.to_string(),
        });
    }
    let mut out = String::with_capacity(32 * 1024);
    open_svg(
        &mut out,
        &id,
        &proj,
        &format!("Mutual aid groups in {area_name}"),
        &desc,
    );
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
    for (i, set) in sets.iter().enumerate() {
        let pattern = format!("{id}-g{}", i % PATTERNS.len());
        for code in &set.whole {
            let attrs = format!(
                r##"class="aidmap-group" fill="url(#{pattern})" stroke="#000" stroke-width="1.2""##
            );
            draw_district(&mut out, &proj, code, opts, &attrs);
            numbers.entry(code).or_default().push(i + 1);
        }
        for code in set.partial.keys() {
            let attrs = format!(
                r##"class="aidmap-group aidmap-partial" fill="url(#{pattern})" stroke="#000" stroke-width="1.2" stroke-dasharray="4 2""##
            );
            draw_district(&mut out, &proj, code, opts, &attrs);
            numbers.entry(code).or_default().push(i + 1);
        }
    }
    let mut labels = Labels::default();
    for (code, nums) in &numbers {
        let text: Vec<String> = nums.iter().map(ToString::to_string).collect();
        labels.district(
            &proj,
            code,
            &text.join(","),
            &LabelStyle::main(size * 1.1),
            opts,
        );
    }
    for code in &area_districts {
        labels.district(&proj, code, code, &LabelStyle::context(size * 0.8), opts);
    }
    out.push_str(&labels.finish());
    out.push_str("</svg>");
    SvgMap { svg: out, key }
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

/// The whole directory: covered districts shaded, partly covered ones hatched,
/// and the region's districts with no group yet dotted (the "gap map").
pub fn overview_map(spec: &Overview<'_>, opts: &MapOptions) -> SvgMap {
    let id = safe_id(&opts.id_prefix);
    let g = geography();
    let mut region: Vec<&str> = g
        .districts()
        .iter()
        .filter(|d| {
            !d.large_user_only
                && (spec.areas.contains(&d.area.as_str())
                    || spec.districts.contains(&d.code.as_str()))
        })
        .map(|d| d.code.as_str())
        .collect();
    let all = CoverageSets::new(spec.groups.iter().flat_map(|gr| gr.coverage));
    for d in all.districts() {
        if let Some(d) = g.district(d) {
            if !region.contains(&d.code.as_str()) {
                region.push(&d.code);
            }
        }
    }
    let proj = fit(bbox_of(region.iter().copied(), opts), 0.05, 20.0, opts);
    let size = LABEL * opts.width / 480.0;
    let gaps: Vec<&str> = region
        .iter()
        .copied()
        .filter(|c| !all.districts().any(|d| d == *c))
        .collect();

    let mut desc = format!(
        "Map of {} postcode districts and which have a mutual aid group.",
        region.len()
    );
    let _ = write!(
        desc,
        " Covered, shaded grey: {}.",
        if all.whole.is_empty() {
            "none".to_string()
        } else {
            all.whole.join(", ")
        }
    );
    if !all.partial.is_empty() {
        let _ = write!(
            desc,
            " Partly covered (some sectors), hatched: {}.",
            all.partial.keys().cloned().collect::<Vec<_>>().join(", ")
        );
    }
    let _ = write!(
        desc,
        " No group yet, dotted: {}.",
        if gaps.is_empty() {
            "none".to_string()
        } else {
            gaps.join(", ")
        }
    );

    let mut out = String::with_capacity(64 * 1024);
    open_svg(&mut out, &id, &proj, spec.title, &desc);
    let (part, gap) = (format!("{id}-part"), format!("{id}-gap"));
    out.push_str("<defs>");
    pattern_def(&mut out, &part, &PATTERNS[0]);
    let _ = write!(
        out,
        r##"<pattern id="{gap}" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#fff"/><circle cx="3" cy="3" r=".9" fill="#777"/></pattern>"##
    );
    out.push_str("</defs>");
    proj.coast(&mut out);
    let thin = r##"stroke="#000" stroke-width="0.5""##;
    let attrs = format!(r#"class="aidmap-gap" fill="url(#{gap})" {thin}"#);
    draw_districts(&mut out, &proj, &gaps, opts, &attrs);
    for code in &all.whole {
        draw_district(
            &mut out,
            &proj,
            code,
            opts,
            &format!(r##"class="aidmap-covered" fill="#a0a0a0" {thin}"##),
        );
    }
    for code in all.partial.keys() {
        draw_district(
            &mut out,
            &proj,
            code,
            opts,
            &format!(r#"class="aidmap-partial" fill="url(#{part})" {thin}"#),
        );
    }
    // Area boundaries, heavier, so the region reads at a glance.
    let shapes = g.shapes();
    for area in spec.areas {
        if let Some(d) = shapes.area(area).and_then(|s| proj.path(s)) {
            let _ = write!(
                out,
                r##"<path class="aidmap-area" d="{d}" fill="none" stroke="#000" stroke-width="1.5"/>"##
            );
        }
    }
    let mut labels = Labels::default();
    for code in &region {
        labels.district(&proj, code, code, &LabelStyle::context(size * 0.75), opts);
    }
    out.push_str(&labels.finish());
    out.push_str("</svg>");
    let key = vec![
        KeyEntry {
            number: None,
            label: "Covered by a group".to_string(),
            style: "grey shading".to_string(),
        },
        KeyEntry {
            number: None,
            label: "Partly covered".to_string(),
            style: PATTERNS[0].words.to_string(),
        },
        KeyEntry {
            number: None,
            label: "No group here yet".to_string(),
            style: "dots".to_string(),
        },
    ];
    SvgMap { svg: out, key }
}

/// A small map for a district's page: the district outlined heavily,
/// neighbours outlined and labelled, nearby groups' coverage lightly shaded.
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
    let size = LABEL * opts.width / 480.0;
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
    let covered: Vec<&str> = all.districts().filter(|d| context.contains(d)).collect();
    if !covered.is_empty() {
        let _ = write!(
            desc,
            " Districts with a group nearby, lightly shaded: {}.",
            covered.join(", ")
        );
    }
    let others: Vec<&str> = context.iter().copied().filter(|c| *c != code).collect();
    if !others.is_empty() {
        let _ = write!(desc, " Neighbouring districts: {}.", others.join(", "));
    }

    let mut out = String::with_capacity(16 * 1024);
    open_svg(
        &mut out,
        &id,
        &proj,
        &format!("Postcode district {code}"),
        &desc,
    );
    proj.coast(&mut out);
    let (near, far): (Vec<&str>, Vec<&str>) = others.iter().partition(|c| covered.contains(c));
    draw_districts(&mut out, &proj, &far, opts, CONTEXT);
    let near_attrs =
        r##"class="aidmap-nearby" fill="#d6d6d6" stroke="#8a8a8a" stroke-width="0.6""##;
    draw_districts(&mut out, &proj, &near, opts, near_attrs);
    let fill = if covered.contains(&code.as_str()) {
        "#d6d6d6"
    } else {
        "none"
    };
    let this = format!(r##"class="aidmap-this" fill="{fill}" stroke="#000" stroke-width="3""##);
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
            labels.add(at, &code, &LabelStyle::main(size * 1.3));
        }
        None => labels.district(&proj, &code, &code, &LabelStyle::main(size * 1.3), opts),
    }
    for c in &others {
        labels.district(&proj, c, c, &LabelStyle::context(size * 0.85), opts);
    }
    out.push_str(&labels.finish());
    out.push_str("</svg>");
    let mut key = vec![KeyEntry {
        number: None,
        label: format!("District {code}"),
        style: if point.is_some() {
            "black ring"
        } else {
            "heavy outline"
        }
        .to_string(),
    }];
    if !covered.is_empty() {
        key.push(KeyEntry {
            number: None,
            label: "A group covers this".to_string(),
            style: "light grey shading".to_string(),
        });
    }
    SvgMap { svg: out, key }
}

/// Marks each covered sector with a dot and its code (`NR3 1` -> "1").
fn sector_marks(
    out: &mut String,
    labels: &mut Labels,
    proj: &Projection,
    sets: &CoverageSets,
    size: f64,
) {
    for sector in sets.sectors() {
        let Some(s) = geography().sector(sector) else {
            continue;
        };
        let c = Coord { x: s.lon, y: s.lat };
        if !proj.shows(c) {
            continue;
        }
        let p = proj.project(c);
        let _ = write!(
            out,
            r##"<circle class="aidmap-sector" cx="{:.1}" cy="{:.1}" r="3" fill="#000"/>"##,
            p.x, p.y
        );
        labels.add(
            Coord {
                x: p.x,
                y: p.y - size,
            },
            sector,
            &LabelStyle {
                bold: false,
                ..LabelStyle::main(size * 0.8)
            },
        );
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
