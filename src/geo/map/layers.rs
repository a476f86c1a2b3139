//! Drawing districts onto a [`Projection`]: where each district's geometry comes
//! from (GB polygon, opt-in NI polygon, or a circle round a coarse centroid), the
//! context layer of neighbouring outlines, and labels that avoid each other.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

use geo::{Coord, Rect, Translate};

use super::draw::{clip_half, escape, label, label_group, path_of, Projection};
use super::MapOptions;
use crate::geo::coverage::Coverage;
use crate::geo::data::{geography, CentroidSource, Shape};

/// Radius of the circle drawn for a district with no polygon (NI, Channel
/// Islands, Isle of Man): about the size of a small town's district.
const CIRCLE_KM: f64 = 1.5;

/// Where a district's outline comes from.
pub(super) enum Geometry<'a> {
    /// A polygon (GB, or NI when the site opted in).
    Shape(&'a Shape),
    /// A circle round this lon/lat centroid.
    Circle(Coord<f64>),
}

impl Geometry<'_> {
    /// The lon/lat box the geometry occupies.
    pub(super) fn bbox(&self) -> Rect<f64> {
        match self {
            Geometry::Shape(s) => s.bbox,
            Geometry::Circle(c) => {
                let dy = CIRCLE_KM / 111.2;
                let dx = dy / c.y.to_radians().cos();
                Rect::new(
                    Coord {
                        x: c.x - dx,
                        y: c.y - dy,
                    },
                    Coord {
                        x: c.x + dx,
                        y: c.y + dy,
                    },
                )
            }
        }
    }
}

/// The geometry to draw for a district, if any (large-user-only GB districts
/// have none).
pub(super) fn geometry(code: &str, opts: &MapOptions) -> Option<Geometry<'static>> {
    let g = geography();
    let shapes = g.shapes();
    if let Some(s) = shapes.district(code) {
        return Some(Geometry::Shape(s));
    }
    if opts.ni_polygons {
        if let Some(s) = shapes.ni_district(code) {
            return Some(Geometry::Shape(s));
        }
    }
    let d = g.district(code)?;
    (d.source == CentroidSource::Geonames).then_some(Geometry::Circle(Coord { x: d.lon, y: d.lat }))
}

/// The union of the districts' boxes, or None if none can be drawn.
pub(super) fn bbox_of<'a>(
    codes: impl IntoIterator<Item = &'a str>,
    opts: &MapOptions,
) -> Option<Rect<f64>> {
    codes
        .into_iter()
        .filter_map(|c| geometry(c, opts))
        .map(|g| g.bbox())
        .reduce(rect_union)
}

/// The smallest box holding both boxes.
pub(super) fn rect_union(a: Rect<f64>, b: Rect<f64>) -> Rect<f64> {
    Rect::new(
        Coord {
            x: a.min().x.min(b.min().x),
            y: a.min().y.min(b.min().y),
        },
        Coord {
            x: a.max().x.max(b.max().x),
            y: a.max().y.max(b.max().y),
        },
    )
}

/// Draws one district with the given SVG attributes; false if nothing showed.
pub(super) fn draw_district(
    out: &mut String,
    proj: &Projection,
    code: &str,
    opts: &MapOptions,
    attrs: &str,
) -> bool {
    match geometry(code, opts) {
        Some(Geometry::Shape(s)) => match proj.path(s) {
            Some(d) => {
                let _ = write!(out, r#"<path d="{d}" {attrs}/>"#);
                true
            }
            None => false,
        },
        Some(Geometry::Circle(c)) if proj.shows(c) => {
            let p = proj.project(c);
            let r = (CIRCLE_KM * proj.px_per_km()).max(4.0);
            let _ = write!(
                out,
                r#"<circle cx="{:.1}" cy="{:.1}" r="{r:.1}" {attrs}/>"#,
                p.x, p.y
            );
            true
        }
        _ => false,
    }
}

/// Opens a link to a district's page (`postcodes/mk45/`) when the map has links,
/// named by its code and place ("MK45 Flitwick") and `what` ("covered"). Returns
/// whether it did, for [`close_link`].
pub(super) fn open_link(out: &mut String, opts: &MapOptions, code: &str, what: &str) -> bool {
    let Some(root) = &opts.links else {
        return false;
    };
    // Written a piece at a time: a map has dozens of links, and this is per district.
    out.push_str(r#"<a href=""#);
    out.push_str(&escape(root));
    out.push_str("postcodes/");
    for c in code.chars().filter(char::is_ascii_alphanumeric) {
        out.push(c.to_ascii_lowercase());
    }
    out.push_str(r#"/" aria-label=""#);
    for c in code.chars().filter(char::is_ascii_alphanumeric) {
        out.push(c);
    }
    if let Some(d) = geography().district(code).filter(|d| !d.name.is_empty()) {
        out.push(' ');
        out.push_str(&escape(&d.name));
    }
    if !what.is_empty() {
        out.push_str(", ");
        out.push_str(what);
    }
    out.push_str(r#"">"#);
    true
}

/// Closes what [`open_link`] opened.
pub(super) fn close_link(out: &mut String, opened: bool) {
    if opened {
        out.push_str("</a>");
    }
}

/// Draws one district as a link to its page (when the map has links).
pub(super) fn draw_linked(
    out: &mut String,
    proj: &Projection,
    code: &str,
    opts: &MapOptions,
    (attrs, what): (&str, &str),
) -> bool {
    let mut one = String::new();
    if !draw_district(&mut one, proj, code, opts, attrs) {
        return false;
    }
    let opened = open_link(out, opts, code, what);
    out.push_str(&one);
    close_link(out, opened);
    true
}

/// Draws the covered sectors of a district, each as the part of the district nearer its
/// centre than any other residential sector's (a Voronoi cell cut from the outline):
/// open data publishes sectors' centres, not their boundaries, so the shape is an
/// estimate and the key says so. One path, linked to the district's page. Where the
/// district has no polygon or a sector no centre, the sector is a dot at its centre.
/// Returns the covered sectors' centres in pixels, for their labels.
pub(super) fn draw_sector_cells(
    out: &mut String,
    proj: &Projection,
    district: &str,
    sectors: &[String],
    opts: &MapOptions,
    attrs: &str,
) -> Vec<(String, Coord<f64>)> {
    let g = geography();
    let seeds: Vec<(&str, Coord<f64>)> = g
        .sectors_of(district)
        .filter(|s| !s.large_user_only || sectors.contains(&s.code))
        .map(|s| (s.code.as_str(), proj.project(Coord { x: s.lon, y: s.lat })))
        .collect();
    let outline = match geometry(district, opts) {
        Some(Geometry::Shape(s)) => proj.pixels(s),
        _ => None,
    };
    let mut d = String::new();
    let mut dots = String::new();
    let mut centres = Vec::new();
    for sector in sectors {
        let Some(&(_, at)) = seeds.iter().find(|(c, _)| c == sector) else {
            continue;
        };
        match &outline {
            Some(outline) => {
                let mut cell = outline.clone();
                for &(other, p) in &seeds {
                    if other != sector && p != at {
                        let mid = Coord {
                            x: (at.x + p.x) / 2.0,
                            y: (at.y + p.y) / 2.0,
                        };
                        cell = clip_half(&cell, mid, p);
                    }
                }
                d.push_str(&path_of(&cell, 1));
            }
            None => {
                let _ = write!(dots, r#"<circle cx="{:.1}" cy="{:.1}" r="6"/>"#, at.x, at.y);
            }
        }
        if at.x >= 0.0 && at.y >= 0.0 && at.x <= proj.width && at.y <= proj.height {
            centres.push((sector.clone(), at));
        }
    }
    if d.is_empty() && dots.is_empty() {
        return centres;
    }
    let opened = open_link(out, opts, district, "some sectors covered");
    if !d.is_empty() {
        let _ = write!(out, r#"<path d="{d}" {attrs}/>"#);
    }
    if !dots.is_empty() {
        let _ = write!(out, "<g {attrs}>{dots}</g>");
    }
    close_link(out, opened);
    centres
}

/// Draws many districts as one element (saving the repeated attributes, which
/// matters on dense city maps): one `<path>` for polygons, then any circles. On a
/// map with links each district is its own linked path inside one group.
pub(super) fn draw_districts(
    out: &mut String,
    proj: &Projection,
    codes: &[&str],
    opts: &MapOptions,
    attrs: &str,
) {
    if opts.links.is_some() {
        // Districts too small to tap are drawn as one unlinked path, as without links:
        // a zoomed-out map can show hundreds, and a link each doubled its bytes.
        let (big, small): (Vec<&str>, Vec<&str>) =
            codes.iter().partition(|c| tappable(proj, c, opts));
        draw_districts(
            out,
            proj,
            &small,
            &MapOptions {
                links: None,
                ..opts.clone()
            },
            attrs,
        );
        let mut inner = String::new();
        for code in &big {
            let mut one = String::new();
            match geometry(code, opts) {
                Some(Geometry::Shape(s)) => {
                    if let Some(d) = proj.path_coarse(s) {
                        let _ = write!(one, r#"<path d="{d}"/>"#);
                    }
                }
                Some(Geometry::Circle(_)) => {
                    draw_district(&mut one, proj, code, opts, "");
                }
                None => {}
            }
            if !one.is_empty() {
                let opened = open_link(&mut inner, opts, code, "");
                inner.push_str(&one);
                close_link(&mut inner, opened);
            }
        }
        // Unfilled outlines are links inside, not only along their edge.
        if !inner.is_empty() {
            let _ = write!(out, r#"<g {attrs} pointer-events="visible">{inner}</g>"#);
        }
        return;
    }
    let mut d = String::new();
    let mut circles = String::new();
    for code in codes {
        match geometry(code, opts) {
            Some(Geometry::Shape(s)) => d.push_str(&proj.path_coarse(s).unwrap_or_default()),
            Some(Geometry::Circle(_)) => {
                draw_district(&mut circles, proj, code, opts, "");
            }
            None => {}
        }
    }
    if !d.is_empty() {
        let _ = write!(out, r#"<path d="{d}" {attrs}/>"#);
    }
    if !circles.is_empty() {
        let _ = write!(out, "<g {attrs}>{circles}</g>");
    }
}

/// The least size (px on a 480 px map, both ways) of a district that is a link: about
/// 24 CSS px on a desktop, where a finger or pointer can still hit it.
const LINK_MIN_PX: f64 = 24.0;

/// Whether a district is drawn big enough to be a link.
fn tappable(proj: &Projection, code: &str, opts: &MapOptions) -> bool {
    geometry(code, opts).is_some_and(|g| {
        let b = g.bbox();
        let (a, z) = (proj.project(b.min()), proj.project(b.max()));
        let scale = opts.width / 480.0;
        (z.x - a.x).abs() >= LINK_MIN_PX * scale && (z.y - a.y).abs() >= LINK_MIN_PX * scale
    })
}

/// Every residential district with something visible in the view, in code order.
pub(super) fn districts_in_view(proj: &Projection, opts: &MapOptions) -> Vec<&'static str> {
    district_boxes(opts)
        .iter()
        .filter(|(_, bbox)| geo::Intersects::intersects(bbox, &proj.view))
        .map(|&(code, _)| code)
        .collect()
}

/// A district code and the lon/lat box of its geometry.
type DistrictBox = (&'static str, Rect<f64>);

/// Every residential district that can be drawn, with its box, in code order; made once
/// per process for each `ni_polygons` setting. Every map asks which districts it shows,
/// and looking each of ~3,000 codes up in the shape tables for each of ~8,000 maps was a
/// quarter of a 5,000-group build (perf, bench/README.md).
fn district_boxes(opts: &MapOptions) -> &'static [DistrictBox] {
    static BOXES: [OnceLock<Vec<DistrictBox>>; 2] = [OnceLock::new(), OnceLock::new()];
    BOXES[usize::from(opts.ni_polygons)].get_or_init(|| {
        geography()
            .districts()
            .iter()
            .filter(|d| !d.large_user_only)
            .filter_map(|d| geometry(&d.code, opts).map(|g| (d.code.as_str(), g.bbox())))
            .collect()
    })
}

/// Whole districts and, per district, the sectors covered, from coverage lists.
#[derive(Debug, Default)]
pub(super) struct CoverageSets {
    /// Districts covered whole.
    pub(super) whole: Vec<String>,
    /// Districts covered only in part: district -> its covered sectors.
    pub(super) partial: BTreeMap<String, Vec<String>>,
}

impl CoverageSets {
    pub(super) fn new<'a>(coverage: impl IntoIterator<Item = &'a Coverage>) -> Self {
        let mut sets = CoverageSets::default();
        for c in coverage {
            match c {
                Coverage::District(d) => sets.whole.push(d.clone()),
                Coverage::Sector { district, sector } => sets
                    .partial
                    .entry(district.clone())
                    .or_default()
                    .push(sector.clone()),
            }
        }
        sets.whole.sort();
        sets.whole.dedup();
        let whole = sets.whole.clone();
        sets.partial.retain(|d, _| !whole.contains(d));
        for v in sets.partial.values_mut() {
            v.sort();
            v.dedup();
        }
        sets
    }

    /// Every district touched, whole or in part.
    pub(super) fn districts(&self) -> impl Iterator<Item = &str> {
        self.whole
            .iter()
            .map(String::as_str)
            .chain(self.partial.keys().map(String::as_str))
    }

    /// All covered sector codes.
    pub(super) fn sectors(&self) -> Vec<&str> {
        self.partial
            .values()
            .flatten()
            .map(String::as_str)
            .collect()
    }
}

/// How a label looks and when it may be left out.
#[derive(Debug, Clone, Copy)]
pub(super) struct LabelStyle {
    /// Font size in pixels.
    pub(super) size: f64,
    /// Bold, for what the map is about.
    pub(super) bold: bool,
    /// Leave the label out unless the district is at least this wide (px).
    pub(super) min_px: f64,
    /// Place it even over other labels (group numbers must always show).
    pub(super) force: bool,
}

impl LabelStyle {
    /// The label of what the map is about: bold, always shown.
    pub(super) fn main(size: f64) -> Self {
        LabelStyle {
            size,
            bold: true,
            min_px: 0.0,
            force: true,
        }
    }
    /// A context label: plain, only where there is room.
    pub(super) fn context(size: f64) -> Self {
        LabelStyle {
            size,
            bold: false,
            min_px: size * 2.5,
            force: false,
        }
    }
}

/// Half the width and half the height a label of `text` takes at `size`, about.
pub(super) fn half_size(text: &str, size: f64) -> (f64, f64) {
    (
        text.chars().count() as f64 * size * 0.62 / 2.0 + 1.0,
        size * 0.6,
    )
}

/// Places labels without letting them overlap: first come, first placed.
#[derive(Debug, Default)]
pub(super) struct Labels {
    placed: Vec<Rect<f64>>,
    /// Each label placed: where, its text, size and weight.
    texts: Vec<(Coord<f64>, String, f64, bool)>,
}

impl Labels {
    /// Places `text` at a district's centroid, if it is in view and the style allows.
    pub(super) fn district(
        &mut self,
        proj: &Projection,
        code: &str,
        text: &str,
        style: &LabelStyle,
        opts: &MapOptions,
    ) {
        let Some(d) = geography().district(code) else {
            return;
        };
        let mut at = Coord { x: d.lon, y: d.lat };
        if let Some(Geometry::Shape(s)) = geometry(code, opts) {
            if style.min_px > 0.0 {
                let a = proj.project(s.bbox.min());
                let b = proj.project(s.bbox.max());
                if (b.x - a.x).abs() < style.min_px {
                    return;
                }
            }
            // GeoNames centroids (opted-in NI polygons) can be kilometres off
            // their polygon, so label a point inside it instead.
            if d.source == CentroidSource::Geonames || !geo::Intersects::intersects(&s.bbox, &at) {
                if let Some(p) = geo::InteriorPoint::interior_point(&s.polygon) {
                    at = p.0;
                }
            }
        }
        if !proj.shows(at) {
            return;
        }
        // A name near the edge moves in until all of it shows: its district runs on
        // past the edge, and half a name ("NW" of NW6) reads as nothing.
        let (w, h) = half_size(text, style.size);
        let mut p = proj.project(at);
        p.x = p.x.clamp(
            w.min(proj.width / 2.0),
            (proj.width - w).max(proj.width / 2.0),
        );
        p.y = p.y.clamp(
            h.min(proj.height / 2.0),
            (proj.height - h).max(proj.height / 2.0),
        );
        self.add(p, text, style);
    }

    /// Places `text` at a pixel position if free.
    pub(super) fn add(&mut self, at: Coord<f64>, text: &str, style: &LabelStyle) -> bool {
        let LabelStyle {
            size, bold, force, ..
        } = *style;
        let (w, h) = half_size(text, size);
        let rect = Rect::new(
            Coord {
                x: at.x - w,
                y: at.y - h,
            },
            Coord {
                x: at.x + w,
                y: at.y + h,
            },
        );
        let free = |r: &Rect<f64>| {
            !self
                .placed
                .iter()
                .any(|p| geo::Intersects::intersects(p, r))
        };
        let rect = if free(&rect) {
            rect
        } else if !force {
            return false;
        } else {
            // A label that must show tries a little above or below before overlapping.
            [-1.2, 1.2, -2.4, 2.4]
                .iter()
                .map(|k| rect.translate(0.0, k * size))
                .find(|r| free(r))
                .unwrap_or(rect)
        };
        let at = rect.center();
        self.placed.push(rect);
        self.texts.push((at, text.to_string(), size, bold));
        true
    }

    /// The labels' SVG, to draw last: the commonest size is given once, on their group.
    pub(super) fn finish(self) -> String {
        let mut sizes: Vec<(u64, usize)> = Vec::new();
        for t in &self.texts {
            match sizes.iter_mut().find(|(s, _)| *s == t.2.to_bits()) {
                Some(entry) => entry.1 += 1,
                None => sizes.push((t.2.to_bits(), 1)),
            }
        }
        let Some(common) = sizes
            .iter()
            .max_by_key(|s| s.1)
            .map(|s| f64::from_bits(s.0))
        else {
            return String::new();
        };
        let mut svg = String::new();
        for (at, text, size, bold) in &self.texts {
            label(
                &mut svg,
                *at,
                text,
                (*size != common).then_some(*size),
                *bold,
            );
        }
        label_group(&svg, common)
    }
}
