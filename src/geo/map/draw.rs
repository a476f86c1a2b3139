//! The drawing machinery shared by the maps: the projection, turning polygons
//! into compact SVG path data (clip, simplify, round), fill patterns and text
//! escaping.
//!
//! Projection: equirectangular with x scaled by cos(latitude) at the map's
//! centre. Over the few tens of kilometres of a group map this is visually
//! indistinguishable from the National Grid and needs no datum maths.

use std::fmt::Write as _;
use std::sync::OnceLock;

use geo::{Contains, Coord, Intersects, MapCoords, MultiPolygon, Rect};

use crate::geo::data::{geography, OutlineDetail, Shape};

/// Kilometres per degree of latitude.
const KM_PER_DEGREE: f64 = 111.2;

/// Maps lon/lat to SVG pixels for one map.
#[derive(Debug, Clone)]
pub(super) struct Projection {
    /// The lon/lat box shown.
    pub(super) view: Rect<f64>,
    /// Pixels per degree of latitude.
    scale: f64,
    /// cos(latitude) at the centre: how much shorter a degree of longitude is.
    kx: f64,
    /// Width and height in pixels.
    pub(super) width: f64,
    pub(super) height: f64,
    /// How closely [`Projection::path`] follows an outline.
    main: Detail,
    /// How closely [`Projection::path_coarse`] follows an outline.
    context: Detail,
}

/// How closely a drawn outline follows the true one: a simplification tolerance in
/// px and a rounding grid in tenths of a pixel.
#[derive(Debug, Clone, Copy)]
struct Detail {
    epsilon: f64,
    step: i64,
}

impl Detail {
    /// Sub-pixel, to 0.1 px: what a map is about.
    const FINE: Detail = Detail {
        epsilon: 0.75,
        step: 1,
    };
    /// 1.5 px, to whole pixels: context outlines, of which a city map has dozens.
    const COARSE: Detail = Detail {
        epsilon: 1.5,
        step: 10,
    };
    /// 1 px, to whole pixels: the districts a group covers, on its own page (issue 25:
    /// drawn [`Detail::FINE`] they were 1.25 KB of a 8.9 KB page).
    const GROUP_MAIN: Detail = Detail {
        epsilon: 1.0,
        step: 10,
    };
}

impl Projection {
    /// A projection showing `content` (lon/lat) plus `margin` (a fraction of its
    /// size, at least `min_km` across), `width` pixels wide. The box is widened or
    /// heightened so the map is never thinner than 3:4 either way.
    pub(super) fn fit(content: Rect<f64>, margin: f64, min_km: f64, width: f64) -> Self {
        let centre = content.center();
        let kx = centre.y.to_radians().cos();
        // Work in "km-ish" units so both axes compare.
        let mut w = content.width() * kx * (1.0 + 2.0 * margin) * KM_PER_DEGREE;
        let mut h = content.height() * (1.0 + 2.0 * margin) * KM_PER_DEGREE;
        w = w.max(min_km);
        h = h.max(min_km);
        w = w.max(h * 0.75);
        h = h.max(w * 0.75);
        let half_lon = w / 2.0 / KM_PER_DEGREE / kx;
        let half_lat = h / 2.0 / KM_PER_DEGREE;
        let view = Rect::new(
            Coord {
                x: centre.x - half_lon,
                y: centre.y - half_lat,
            },
            Coord {
                x: centre.x + half_lon,
                y: centre.y + half_lat,
            },
        );
        let scale = width / (view.width() * kx);
        Projection {
            view,
            scale,
            kx,
            width,
            height: (view.height() * scale).round(),
            main: Detail::FINE,
            context: Detail::COARSE,
        }
    }

    /// This projection with the lighter outlines of a group's map, which every group
    /// page carries (issue 25: at 50,000 groups their maps were a third of the site):
    /// the covered districts to 1 px on whole pixels. The points and the view are the
    /// same, so labels and sector cells drawn with `self` sit where they did.
    pub(super) fn lighter(&self) -> Self {
        Projection {
            main: Detail::GROUP_MAIN,
            ..self.clone()
        }
    }

    /// Pixel position of a lon/lat coordinate.
    pub(super) fn project(&self, c: Coord<f64>) -> Coord<f64> {
        Coord {
            x: (c.x - self.view.min().x) * self.kx * self.scale,
            y: (self.view.max().y - c.y) * self.scale,
        }
    }

    /// Projects `shape`, leaving out the points that cannot change what `frame` shows:
    /// within a run of points all beyond the same edge of the frame, only the run's
    /// first and last are kept.
    ///
    /// The run and the straight line that replaces it both lie beyond that edge, so the
    /// polygon changes only outside the frame and clipping to the frame gives the same
    /// shape. A group map shows a few kilometres of coast but the coastline of Great
    /// Britain is one ring of thousands of points: projecting, clipping and thinning
    /// all of them for every map was most of the time spent drawing maps.
    ///
    /// With a level's `boxes` (see [`Level`]) a run of [`CHUNK`] points whose box lies
    /// wholly beyond one side of `near` (lon/lat, at most the frame's pad beyond the
    /// view) is not projected at all: only its first and last points go on, which by the
    /// same argument changes the shape only outside the view. A polygon whose outer
    /// ring lies wholly beyond a side is left out. The coastline projected point by
    /// point on every map was a fifth of the time maps took (perf, 5,000 groups).
    fn project_culled(
        &self,
        shape: &MultiPolygon<f64>,
        boxes: &[RingBoxes],
        frame: &Rect<f64>,
        near: &Rect<f64>,
    ) -> MultiPolygon<f64> {
        use geo::{LineString, Polygon};
        let (min, max) = (frame.min(), frame.max());
        let beyond = |p: Coord<f64>| -> u8 {
            u8::from(p.x < min.x)
                | u8::from(p.x > max.x) << 1
                | u8::from(p.y < min.y) << 2
                | u8::from(p.y > max.y) << 3
        };
        let (nmin, nmax) = (near.min(), near.max());
        let far = |b: &Rect<f64>| {
            b.max().x < nmin.x || b.min().x > nmax.x || b.max().y < nmin.y || b.min().y > nmax.y
        };
        let ring = |ring: &LineString<f64>, boxes: Option<&RingBoxes>| -> LineString<f64> {
            let mut out: Vec<Coord<f64>> = Vec::new();
            let mut run_edges = 0u8;
            let mut run_last: Option<Coord<f64>> = None;
            let mut feed = |c: Coord<f64>| {
                let p = self.project(c);
                let edges = beyond(p);
                if run_edges & edges != 0 {
                    run_edges &= edges;
                    run_last = Some(p);
                    return;
                }
                out.extend(run_last.take());
                out.push(p);
                run_edges = edges;
            };
            match boxes {
                Some(boxes) => {
                    for (chunk, b) in ring.0.chunks(CHUNK).zip(&boxes.runs) {
                        if far(b) {
                            feed(chunk[0]);
                            if chunk.len() > 1 {
                                feed(chunk[chunk.len() - 1]);
                            }
                        } else {
                            chunk.iter().for_each(|&c| feed(c));
                        }
                    }
                }
                None => ring.0.iter().for_each(|&c| feed(c)),
            }
            out.extend(run_last);
            LineString::from(out)
        };
        let mut rings = boxes.iter();
        let mut polygons = Vec::with_capacity(shape.0.len());
        for poly in &shape.0 {
            let outer = rings.next();
            let holes: Vec<Option<&RingBoxes>> =
                poly.interiors().iter().map(|_| rings.next()).collect();
            if outer.and_then(|b| b.whole.as_ref()).is_some_and(far) {
                continue;
            }
            let interiors = poly
                .interiors()
                .iter()
                .zip(holes)
                .map(|(h, b)| ring(h, b))
                .collect();
            polygons.push(Polygon::new(ring(poly.exterior(), outer), interiors));
        }
        MultiPolygon::new(polygons)
    }

    /// Pixels per kilometre.
    pub(super) fn px_per_km(&self) -> f64 {
        self.scale / KM_PER_DEGREE
    }

    /// Whether a lon/lat point is inside the view.
    pub(super) fn shows(&self, c: Coord<f64>) -> bool {
        self.view.contains(&c)
    }

    /// Coastline detail suited to this zoom: fine below about 150 km across.
    pub(super) fn outline_detail(&self) -> OutlineDetail {
        if self.width / self.px_per_km() < 150.0 {
            OutlineDetail::Fine
        } else {
            OutlineDetail::Coarse
        }
    }

    /// SVG path data for a lon/lat shape, clipped to the view, simplified to
    /// sub-pixel detail and rounded to 0.1 px (on a [`Projection::lighter`] one, 1 px
    /// and whole pixels); None if nothing is visible.
    pub(super) fn path(&self, shape: &Shape) -> Option<String> {
        self.path_at(shape, self.main.epsilon, self.main.step)
    }

    /// Like [`Projection::path`] but to 1.5 px and whole pixels, for context outlines: a
    /// city map has dozens of them and they dominate its size. (Each outline is
    /// simplified on its own, so coarser than that, a border two neighbours share shows
    /// as two grey lines on a phone.)
    pub(super) fn path_coarse(&self, shape: &Shape) -> Option<String> {
        self.path_at(shape, self.context.epsilon, self.context.step)
    }

    /// `epsilon` is the simplification tolerance in px, `step` the rounding
    /// grid in tenths of a pixel.
    pub(super) fn path_at(&self, shape: &Shape, epsilon: f64, step: i64) -> Option<String> {
        if !shape.bbox.intersects(&self.view) {
            return None;
        }
        // A small pad keeps clipped edges outside the visible frame.
        let pad = 4.0;
        let frame = Rect::new(
            Coord { x: -pad, y: -pad },
            Coord {
                x: self.width + pad,
                y: self.height + pad,
            },
        );
        // The frame less a pixel, in lon/lat, for skipping runs of points (the pixel
        // keeps the view's rounded height and float error on the safe side).
        let (dx, dy) = (
            (pad - 1.0) / (self.kx * self.scale),
            (pad - 1.0) / self.scale,
        );
        let near = Rect::new(
            Coord {
                x: self.view.min().x - dx,
                y: self.view.min().y - dy,
            },
            Coord {
                x: self.view.max().x + dx,
                y: self.view.max().y + dy,
            },
        );
        let inside = self.view.contains(&shape.bbox);
        let level = simplified(shape, epsilon / self.scale);
        let d = match level {
            // Wholly in view: straight from the level to path data.
            Some(level) if inside => path_data(
                rings(&level.outline).map(|r| r.0.iter().map(|&c| self.project(c))),
                step,
            ),
            Some(level) => {
                let culled = self.project_culled(&level.outline, &level.boxes, &frame, &near);
                path_data(projected(&clip_to_rect(&culled, &frame)), step)
            }
            // Closer than the finest level: simplify this map's own projection.
            None => {
                let projected_shape = if inside {
                    shape.polygon.map_coords(|c| self.project(c))
                } else {
                    let culled = self.project_culled(&shape.polygon, &[], &frame, &near);
                    clip_to_rect(&culled, &frame)
                };
                let simple = simplify(&thin(&projected_shape, epsilon), epsilon);
                path_data(projected(&simple), step)
            }
        };
        (!d.is_empty()).then_some(d)
    }

    /// `shape` projected to pixels, clipped to the view (with a small pad) and
    /// simplified to sub-pixel detail as [`Projection::path`] draws it, for maps that
    /// cut a shape further (sector cells); None if nothing is visible.
    pub(super) fn pixels(&self, shape: &Shape) -> Option<MultiPolygon<f64>> {
        if !shape.bbox.intersects(&self.view) {
            return None;
        }
        let epsilon = 0.75;
        let pad = 4.0;
        let frame = Rect::new(
            Coord { x: -pad, y: -pad },
            Coord {
                x: self.width + pad,
                y: self.height + pad,
            },
        );
        let level = simplified(shape, epsilon / self.scale);
        let projected = match level {
            Some(level) => level.outline.map_coords(|c| self.project(c)),
            None => simplify(
                &thin(&shape.polygon.map_coords(|c| self.project(c)), epsilon),
                epsilon,
            ),
        };
        let clipped = clip_to_rect(&projected, &frame);
        (!clipped.0.is_empty()).then_some(clipped)
    }

    /// Draws the coastline (land fill) for the view.
    pub(super) fn coast(&self, out: &mut String) {
        self.coast_at(out, 0.75, 1);
    }

    /// Draws the coastline simplified to `epsilon` px on a grid of `step` tenths.
    pub(super) fn coast_at(&self, out: &mut String, epsilon: f64, step: i64) {
        let shapes = geography().shapes();
        let mut d = String::new();
        for f in shapes.outline(self.outline_detail()) {
            if let Some(p) = self.path_at(&f.shape, epsilon, step) {
                d.push_str(&p);
            }
        }
        if !d.is_empty() {
            let _ = write!(
                out,
                r##"<path class="aidmap-land" d="{d}" fill="{LAND}" stroke="#777" stroke-width="0.8"/>"##
            );
        }
    }
}

/// The land's fill: white, so that every fill on it is measured against white.
pub(super) const LAND: &str = "#fff";
/// The sea's fill: a pale blue, so that the map's own edge never reads as a white band.
pub(super) const SEA: &str = "#dbe6ee";

/// Path data for a shape already in pixels, to `step` tenths of a pixel.
pub(super) fn path_of(shape: &MultiPolygon<f64>, step: i64) -> String {
    path_data(projected(shape), step)
}

/// The part of each ring (pixels) on the side of the line through `at` facing away
/// from `away`: the points nearer `at`'s seed than `away`'s when `at` is the midpoint
/// of the two seeds (one cut of a Voronoi cell). Sutherland-Hodgman against a half
/// plane, which is right for any ring, convex or not.
pub(super) fn clip_half(
    shape: &MultiPolygon<f64>,
    at: Coord<f64>,
    away: Coord<f64>,
) -> MultiPolygon<f64> {
    use geo::LineString;
    let (nx, ny) = (away.x - at.x, away.y - at.y);
    let side = |p: Coord<f64>| (p.x - at.x) * nx + (p.y - at.y) * ny;
    let ring = |ring: &LineString<f64>| -> Option<LineString<f64>> {
        let pts = &ring.0;
        let mut out: Vec<Coord<f64>> = Vec::with_capacity(pts.len() + 2);
        let mut prev = *pts.last()?;
        for &cur in pts {
            let (a, b) = (side(prev), side(cur));
            if (a <= 0.0) != (b <= 0.0) {
                let t = a / (a - b);
                out.push(Coord {
                    x: prev.x + t * (cur.x - prev.x),
                    y: prev.y + t * (cur.y - prev.y),
                });
            }
            if b <= 0.0 {
                out.push(cur);
            }
            prev = cur;
        }
        if out.len() < 3 {
            return None;
        }
        out.push(out[0]);
        Some(LineString::from(out))
    };
    each_ring(shape, ring)
}

/// The rings of an already projected shape, as [`path_data`] takes them.
fn projected(
    shape: &MultiPolygon<f64>,
) -> impl Iterator<Item = impl Iterator<Item = Coord<f64>> + '_> {
    rings(shape).map(|r| r.0.iter().copied())
}

/// Relative path data on a grid of `step` tenths of a pixel: `M` absolute to start each ring,
/// then `l` deltas; repeated points after rounding are dropped. Takes each ring's
/// points in pixels.
///
/// Written as bytes, a digit at a time, and made a string once: the numbers of a
/// build's maps were a tenth of its instructions when each went through `String`'s
/// `char` encoding (callgrind, 500 groups).
fn path_data<R: Iterator<Item = Coord<f64>>>(rings: impl Iterator<Item = R>, step: i64) -> String {
    let scale = 10.0 / step as f64;
    let q = |v: f64| round(v * scale) * step;
    let mut d: Vec<u8> = Vec::new();
    let mut pts: Vec<(i64, i64)> = Vec::new();
    for ring in rings {
        pts.clear();
        pts.extend(ring.map(|c| (q(c.x), q(c.y))));
        if pts.len() < 4 {
            continue;
        }
        // Written straight into the path, and taken back if it draws nothing.
        let start = d.len();
        let (mut px, mut py) = pts[0];
        d.push(b'M');
        push_tenths(&mut d, px);
        d.push(b' ');
        push_tenths(&mut d, py);
        d.push(b'l');
        let mut segments = 0;
        // The closing point is implied by `z`.
        for &(x, y) in &pts[1..pts.len() - 1] {
            let (dx, dy) = (x - px, y - py);
            if dx == 0 && dy == 0 {
                continue;
            }
            push_num(&mut d, dx, segments == 0);
            push_num(&mut d, dy, false);
            segments += 1;
            (px, py) = (x, y);
        }
        // A ring rounded down to a point or a line is invisible, and an
        // empty `l` would be a syntax error that stops the whole path.
        if segments >= 2 {
            d.push(b'z');
        } else {
            d.truncate(start);
        }
    }
    // Only ASCII was written.
    String::from_utf8(d).unwrap_or_default()
}

/// `v` rounded to the nearest whole number, halves away from zero, as `f64::round`
/// (exactly: `v` less its whole part is exact below 2^52, as map pixels are). Here
/// because `round` is a call into libm on the baseline x86-64 target, three for
/// every point a map draws.
fn round(v: f64) -> i64 {
    let whole = v as i64;
    let rest = v - whole as f64;
    whole + i64::from(rest >= 0.5) - i64::from(rest <= -0.5)
}

/// Writes a number of tenths, separated from the previous one by a space
/// unless a minus sign already separates them.
fn push_num(d: &mut Vec<u8>, v: i64, first: bool) {
    if !first && v >= 0 {
        d.push(b' ');
    }
    push_tenths(d, v);
}

/// Appends a number of tenths: `12` -> "1.2", `-5` -> "-.5", `30` -> "3".
///
/// Whole parts under 1,000 (every delta and nearly every start point of a map) are
/// written as one fixed-size piece: a byte at a time through `Vec::push`, with the
/// digits found by division first, this was 6.5% of a 5,000-group build's instructions
/// (callgrind), and appending a slice of the digits' own length costs a `memcpy` call
/// a number, no less.
fn push_tenths(d: &mut Vec<u8>, v: i64) {
    if v < 0 {
        d.push(b'-');
    }
    let a = v.unsigned_abs();
    let (whole, tenth) = (a / 10, (a % 10) as u8);
    if whole > 0 || tenth == 0 {
        let digit = |n: u64| b'0' + (n % 10) as u8;
        match whole {
            0..=9 => d.push(digit(whole)),
            10..=99 => d.extend_from_slice(&[digit(whole / 10), digit(whole)]),
            100..=999 => {
                d.extend_from_slice(&[digit(whole / 100), digit(whole / 10), digit(whole)])
            }
            _ => d.extend_from_slice(itoa::Buffer::new().format(whole).as_bytes()),
        }
    }
    if tenth > 0 {
        d.extend_from_slice(&[b'.', b'0' + tenth]);
    }
}

#[cfg(test)]
fn tenths(v: i64) -> String {
    let mut s = Vec::new();
    push_tenths(&mut s, v);
    String::from_utf8(s).unwrap()
}

/// Escapes text for SVG content and attribute values.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() || crate::output::not_xml(c) => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Makes an id prefix safe for XML ids: letters, digits, `-` and `_`, starting
/// with a letter.
pub(super) fn safe_id(prefix: &str) -> String {
    let mut id: String = prefix
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    if !id.starts_with(|c: char| c.is_ascii_alphabetic()) {
        id.insert(0, 'm');
    }
    id
}

/// A black-and-white fill pattern: the SVG `<pattern>` body and its wording.
pub(super) struct PatternStyle {
    /// Words for a key, such as "diagonal lines".
    pub(super) words: &'static str,
    /// The pattern's tile size and contents.
    tile: f64,
    body: &'static str,
}

/// Patterns that stay distinct in black-and-white print and combine legibly
/// where two groups overlap (their backgrounds are transparent).
pub(super) const PATTERNS: &[PatternStyle] = &[
    PatternStyle {
        words: "diagonal lines (/)",
        tile: 6.0,
        body: r##"<path d="M-1 7L7 -1" stroke="#000" stroke-width="1.2"/>"##,
    },
    PatternStyle {
        words: "diagonal lines (\\)",
        tile: 6.0,
        body: r##"<path d="M-1 -1L7 7" stroke="#000" stroke-width="1.2"/>"##,
    },
    PatternStyle {
        words: "horizontal lines",
        tile: 5.0,
        body: r##"<path d="M0 2.5H5" stroke="#000" stroke-width="1"/>"##,
    },
    PatternStyle {
        words: "vertical lines",
        tile: 5.0,
        body: r##"<path d="M2.5 0V5" stroke="#000" stroke-width="1"/>"##,
    },
    PatternStyle {
        words: "dots",
        tile: 5.0,
        body: r##"<circle cx="2.5" cy="2.5" r="1.1" fill="#000"/>"##,
    },
    PatternStyle {
        words: "grid",
        tile: 7.0,
        body: r##"<path d="M0 .5H7M.5 0V7" stroke="#000" stroke-width="1"/>"##,
    },
    PatternStyle {
        words: "rings",
        tile: 8.0,
        body: r##"<circle cx="4" cy="4" r="2" fill="none" stroke="#000" stroke-width="1"/>"##,
    },
    PatternStyle {
        words: "wide diagonal lines (/)",
        tile: 12.0,
        body: r##"<path d="M-1 13L13 -1" stroke="#000" stroke-width="2.5"/>"##,
    },
];

/// Writes `<pattern id="{id}">` for a style.
pub(super) fn pattern_def(out: &mut String, id: &str, style: &PatternStyle) {
    let t = style.tile;
    let _ = write!(
        out,
        r#"<pattern id="{id}" width="{t}" height="{t}" patternUnits="userSpaceOnUse">{}</pattern>"#,
        style.body
    );
}

/// Opens an accessible, self-contained SVG element with its title and description.
///
/// A map whose districts are links is a `group` (named by its title, described by
/// its description) so that the links inside are reachable: an `img`'s children are
/// presentational, and a link inside one is hidden from assistive technology while it
/// still takes focus. A map without links is an `img`.
pub(super) fn open_svg(
    out: &mut String,
    id: &str,
    proj: &Projection,
    (title, desc): (&str, &str),
    linked: bool,
) {
    let (w, h) = (proj.width, proj.height);
    let role = if linked {
        format!(r#"role="group" aria-labelledby="{id}-title" aria-describedby="{id}-desc""#)
    } else {
        format!(r#"role="img" aria-labelledby="{id}-title {id}-desc""#)
    };
    let _ = write!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="aidmap-map" viewBox="0 0 {w} {h}" width="{w}" height="{h}" {role} font-family="sans-serif"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc><rect class="aidmap-sea" width="{w}" height="{h}" fill="{SEA}"/>"##,
        escape(title),
        escape(desc)
    );
}

/// One label; the shared look comes from [`label_group`].
///
/// Numbers are written as `{:.1}` would (but a negative zero as "0.0"): through
/// `format!` each label took 4,000 instructions, 2% of a build (callgrind).
pub(super) fn label(out: &mut String, at: Coord<f64>, text: &str, size: Option<f64>, bold: bool) {
    out.push_str(r#"<text x=""#);
    push_one_decimal(out, at.x);
    out.push_str(r#"" y=""#);
    push_one_decimal(out, at.y);
    out.push('"');
    if let Some(size) = size {
        out.push_str(r#" font-size=""#);
        push_one_decimal(out, size);
        out.push('"');
    }
    if bold {
        out.push_str(r#" font-weight="bold""#);
    }
    out.push('>');
    out.push_str(&escape(text));
    out.push_str("</text>");
}

/// `v` to one decimal place, always with the decimal: `12.0`, `-0.5`. Near a tie
/// (`9.35`, whose nearest double is below it, times ten is 93.5) `format!` decides.
fn push_one_decimal(out: &mut String, v: f64) {
    let tenths = v * 10.0;
    if ((tenths - tenths.trunc()).abs() - 0.5).abs() < 1e-6 {
        let _ = write!(out, "{v:.1}");
        return;
    }
    let t = round(tenths);
    if t < 0 {
        out.push('-');
    }
    let a = t.unsigned_abs();
    out.push_str(itoa::Buffer::new().format(a / 10));
    out.push('.');
    out.push(char::from(b'0' + (a % 10) as u8));
}

/// Wraps labels in a group giving them a white halo (so they read over any
/// fill) and centring; shared here to keep dense maps small.
pub(super) fn label_group(labels: &str, size: f64) -> String {
    if labels.is_empty() {
        return String::new();
    }
    let mut font = String::new();
    push_one_decimal(&mut font, size);
    format!(
        r##"<g class="aidmap-labels" aria-hidden="true" pointer-events="none" font-size="{font}" text-anchor="middle" dominant-baseline="middle" fill="#000" stroke="#fff" stroke-width="2.5" paint-order="stroke">{labels}</g>"##
    )
}

/// The frame's edges, for [`clip_edge`]: x at least, x at most, y at least, y at most.
const LEFT: u8 = 0;
const RIGHT: u8 = 1;
const TOP: u8 = 2;
const BOTTOM: u8 = 3;

/// Keeps the part of a ring (`work.0`, not repeating its first point) on the inside of
/// the frame edge `EDGE` at `at`: Sutherland-Hodgman's step for that edge, when
/// `needed`, using `work.1` as the scratch buffer. One copy of this per edge is
/// compiled, with its test and crossing inlined.
fn clip_edge<const EDGE: u8>(
    work: &mut (Vec<Coord<f64>>, &mut Vec<Coord<f64>>),
    needed: bool,
    at: f64,
) {
    let inside = |p: Coord<f64>| match EDGE {
        LEFT => p.x >= at,
        RIGHT => p.x <= at,
        TOP => p.y >= at,
        _ => p.y <= at,
    };
    let cross = |a, b| {
        if EDGE == LEFT || EDGE == RIGHT {
            at_x(a, b, at)
        } else {
            at_y(a, b, at)
        }
    };
    let (pts, out) = (&mut work.0, &mut *work.1);
    let Some(&last) = pts.last().filter(|_| needed) else {
        return;
    };
    out.clear();
    let mut prev = last;
    let mut prev_in = inside(prev);
    for &cur in pts.iter() {
        let cur_in = inside(cur);
        match (prev_in, cur_in) {
            (true, true) => out.push(cur),
            (true, false) => out.push(cross(prev, cur)),
            (false, true) => {
                out.push(cross(prev, cur));
                out.push(cur);
            }
            (false, false) => {}
        }
        (prev, prev_in) = (cur, cur_in);
    }
    std::mem::swap(pts, out);
}

/// Clips polygons to a rectangle, ring by ring (Sutherland-Hodgman).
///
/// Why not `BooleanOps::intersection`: profiling a build of 3,000 district maps showed
/// the general overlay solver taking most of the time, mostly on the coastline, whose
/// one mainland polygon meets every view. For drawing, a ring clipped edge by edge is
/// enough: it may run along the frame's edge where it re-enters, which is outside the
/// visible map, and it is linear in the number of points.
///
/// An edge that the ring's box lies wholly inside is skipped: after culling, most rings
/// cross one edge of the frame or none (each pass was a copy of the ring).
pub(crate) fn clip_to_rect(shape: &MultiPolygon<f64>, frame: &Rect<f64>) -> MultiPolygon<f64> {
    use geo::LineString;
    let (min, max) = (frame.min(), frame.max());
    let clip_ring = |ring: &LineString<f64>| -> Option<LineString<f64>> {
        let mut pts: Vec<Coord<f64>> = ring.0.clone();
        if pts.len() > 1 && pts.first() == pts.last() {
            pts.pop();
        }
        if pts.is_empty() {
            return None;
        }
        let b = bounds(&pts);
        let mut out = Vec::with_capacity(pts.len() + 4);
        let mut pts = (pts, &mut out);
        clip_edge::<LEFT>(&mut pts, b.min().x < min.x, min.x);
        clip_edge::<RIGHT>(&mut pts, b.max().x > max.x, max.x);
        clip_edge::<TOP>(&mut pts, b.min().y < min.y, min.y);
        clip_edge::<BOTTOM>(&mut pts, b.max().y > max.y, max.y);
        let mut pts = pts.0;
        if pts.len() < 3 {
            return None;
        }
        pts.push(pts[0]);
        Some(LineString::from(pts))
    };
    each_ring(shape, clip_ring)
}

/// A shape made of each ring of `shape` passed through `ring`: a polygon whose exterior
/// comes to nothing is dropped, and so is a hole that does.
fn each_ring(
    shape: &MultiPolygon<f64>,
    ring: impl Fn(&geo::LineString<f64>) -> Option<geo::LineString<f64>>,
) -> MultiPolygon<f64> {
    MultiPolygon::new(
        shape
            .0
            .iter()
            .filter_map(|poly| {
                let exterior = ring(poly.exterior())?;
                let holes = poly.interiors().iter().filter_map(&ring).collect();
                Some(geo::Polygon::new(exterior, holes))
            })
            .collect(),
    )
}

fn at_x(a: Coord<f64>, b: Coord<f64>, x: f64) -> Coord<f64> {
    let t = (x - a.x) / (b.x - a.x);
    Coord {
        x,
        y: a.y + t * (b.y - a.y),
    }
}

fn at_y(a: Coord<f64>, b: Coord<f64>, y: f64) -> Coord<f64> {
    let t = (y - a.y) / (b.y - a.y);
    Coord {
        x: a.x + t * (b.x - a.x),
        y,
    }
}

/// Drops points closer than `epsilon` to the last point kept, ring by ring.
///
/// A linear pre-pass before Douglas-Peucker (`simplify`), whose distance sums dominated
/// the profile of a build drawing 3,000 district maps: on a zoomed-out map most points
/// fall within a pixel of their neighbour and need no further test.
fn thin(shape: &MultiPolygon<f64>, epsilon: f64) -> MultiPolygon<f64> {
    map_rings(shape, |ring| thin_scaled(&ring.0, epsilon, 1.0).into())
}

/// Tolerance of the coarsest simplified outline, in degrees of latitude (about 11 km).
const LEVEL_TOP: f64 = 0.1;
/// How many simplified outlines a shape may have, each a quarter-octave finer than the
/// last: the finest is [`LEVEL_TOP`] / 2^16, about 17 cm.
const LEVELS: usize = 64;

/// A shape's outline simplified (Douglas-Peucker) at a ladder of tolerances, each made
/// the first time a map needs it and kept for every later map.
///
/// A map asks for the level just finer than its own tolerance (its sub-pixel epsilon
/// over its scale), so it draws at most a fifth more points than simplifying its own
/// projection would keep. A district is drawn on its own page, its neighbours' pages
/// and every group map nearby, and the coastline on every map: simplifying the same
/// outline again for each map was a quarter of a build (perf, 5,000 groups).
///
/// Levels are simplified in lon/lat with longitude scaled by the cosine of the shape's
/// middle latitude, as the maps project (their own middle latitude differs by a few
/// per cent over a map's span). Douglas-Peucker runs once per shape, to no tolerance,
/// ranking every point by the tolerance at which it would go ([`ranks`]); a level is
/// then the points ranked above its tolerance, the same points Douglas-Peucker keeps
/// at it. Running it again for each level a shape was drawn at was 6% of a build.
#[derive(Debug, Clone)]
pub(crate) struct Simplified {
    levels: [OnceLock<Level>; LEVELS],
    /// Each ring's points' ranks, in the order [`Level::boxes`] lists rings.
    ranks: OnceLock<Vec<Vec<f64>>>,
}

impl Default for Simplified {
    fn default() -> Self {
        Simplified {
            levels: std::array::from_fn(|_| OnceLock::new()),
            ranks: OnceLock::new(),
        }
    }
}

/// Every ring of `shape`, each polygon's outer ring then its holes.
fn rings(shape: &MultiPolygon<f64>) -> impl Iterator<Item = &geo::LineString<f64>> {
    shape
        .0
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
}

/// For each point of `pts`, the largest tolerance at which Douglas-Peucker keeps it: it
/// keeps a point when the point is the farthest from the segment being split, farther
/// than the tolerance, and every split above it was too. The ends are always kept.
/// Splits as [`rdp_into`] does (the later point on a tie), with an explicit stack.
fn ranks(pts: &[Coord<f64>]) -> Vec<f64> {
    let mut rank = vec![f64::INFINITY; pts.len()];
    let mut todo = vec![(0, pts.len().saturating_sub(1), f64::INFINITY)];
    while let Some((lo, hi, cap)) = todo.pop() {
        if hi < lo + 2 {
            continue;
        }
        let segment = Segment::new(pts[lo], pts[hi]);
        let (mut far, mut far_d) = (lo + 1, 0.0);
        for (i, &p) in pts.iter().enumerate().take(hi).skip(lo + 1) {
            let d = segment.distance(p);
            if d >= far_d {
                (far, far_d) = (i, d);
            }
        }
        let r = far_d.min(cap);
        rank[far] = r;
        todo.push((lo, far, r));
        todo.push((far, hi, r));
    }
    rank
}

/// The points of `ring` ranked above `tolerance`, and never fewer than [`RING_MIN`]
/// (the highest ranked) when the ring has that many, as [`simplify`] keeps.
fn kept(ring: &[Coord<f64>], rank: &[f64], tolerance: f64) -> Vec<Coord<f64>> {
    let mut floor = tolerance;
    if ring.len() >= RING_MIN && rank.iter().filter(|&&r| r > floor).count() < RING_MIN {
        let mut sorted = rank.to_vec();
        sorted.sort_by(|a, b| b.total_cmp(a));
        // Keep those ranked at least the RING_MIN-th highest.
        floor = sorted[RING_MIN - 1];
        return ring
            .iter()
            .zip(rank)
            .filter(|&(_, &r)| r >= floor)
            .map(|(&c, _)| c)
            .collect();
    }
    ring.iter()
        .zip(rank)
        .filter(|&(_, &r)| r > floor)
        .map(|(&c, _)| c)
        .collect()
}

/// How many points of a ring one of a [`Level`]'s boxes covers.
const CHUNK: usize = 32;

/// One simplified outline, with the boxes [`Projection::project_culled`] skips by.
#[derive(Debug, Clone)]
struct Level {
    /// The outline at this level's tolerance (lon/lat).
    outline: MultiPolygon<f64>,
    /// For each ring, each polygon's outer ring then its holes, its boxes.
    boxes: Vec<RingBoxes>,
}

/// A ring's box (None when it has no points), and the box of each run of [`CHUNK`]
/// points (the last run may be shorter).
#[derive(Debug, Clone)]
struct RingBoxes {
    whole: Option<Rect<f64>>,
    runs: Vec<Rect<f64>>,
}

impl Level {
    fn new(outline: MultiPolygon<f64>) -> Level {
        let boxes = rings(&outline)
            .map(|ring| RingBoxes {
                whole: (!ring.0.is_empty()).then(|| bounds(&ring.0)),
                runs: ring.0.chunks(CHUNK).map(bounds).collect(),
            })
            .collect();
        Level { outline, boxes }
    }
}

/// The box around some points (at least one).
fn bounds(pts: &[Coord<f64>]) -> Rect<f64> {
    let (mut lo, mut hi) = (pts[0], pts[0]);
    for p in &pts[1..] {
        (lo.x, lo.y) = (lo.x.min(p.x), lo.y.min(p.y));
        (hi.x, hi.y) = (hi.x.max(p.x), hi.y.max(p.y));
    }
    Rect::new(lo, hi)
}

/// Drops points closer than `epsilon` to the last point kept, with longitude scaled by
/// `kx`, keeping the ring closed. Levels thin their ranked points at twice their
/// tolerance: thinning then Douglas-Peucker, as levels were made before ranks, kept
/// fewer points than Douglas-Peucker alone, and without this the example site's home
/// page went over its 14 KB weight budget (tests/browser/weight.test.mjs). A level's
/// points stay within three tolerances of the outline, about two pixels at most.
fn thin_scaled(pts: &[Coord<f64>], epsilon: f64, kx: f64) -> Vec<Coord<f64>> {
    let eps2 = epsilon * epsilon;
    let mut out: Vec<Coord<f64>> = Vec::with_capacity(pts.len());
    for &c in pts {
        match out.last() {
            Some(p) if ((c.x - p.x) * kx).powi(2) + (c.y - p.y).powi(2) < eps2 => {}
            _ => out.push(c),
        }
    }
    if let (Some(&first), Some(&last)) = (pts.first(), out.last()) {
        if first != last {
            out.push(first);
        }
    }
    out
}

/// `shape`'s outline simplified to within `tolerance` degrees of latitude, from its
/// [`Simplified`] levels, or None when that is finer than the finest level.
fn simplified(shape: &Shape, tolerance: f64) -> Option<&Level> {
    let level = (4.0 * (LEVEL_TOP / tolerance).log2()).ceil().max(0.0);
    if !level.is_finite() || level >= LEVELS as f64 {
        return None;
    }
    let level = level as usize;
    Some(shape.simplified.levels[level].get_or_init(|| {
        let tol = LEVEL_TOP * (-(level as f64) / 4.0).exp2();
        let kx = shape.bbox.center().y.to_radians().cos();
        let ranks = shape.simplified.ranks.get_or_init(|| {
            rings(&shape.polygon)
                .map(|ring| {
                    let scaled: Vec<Coord<f64>> = ring
                        .0
                        .iter()
                        .map(|c| Coord {
                            x: c.x * kx,
                            y: c.y,
                        })
                        .collect();
                    ranks(&scaled)
                })
                .collect()
        });
        let mut rank = ranks.iter();
        Level::new(map_rings(&shape.polygon, |r| {
            let kept = kept(&r.0, rank.next().map_or(&[], Vec::as_slice), tol);
            thin_scaled(&kept, tol * 2.0, kx).into()
        }))
    }))
}

/// `shape` with each ring, outer and holes, replaced by `f` of it.
fn map_rings(
    shape: &MultiPolygon<f64>,
    mut f: impl FnMut(&geo::LineString<f64>) -> geo::LineString<f64>,
) -> MultiPolygon<f64> {
    MultiPolygon::new(
        shape
            .0
            .iter()
            .map(|p| {
                let exterior = f(p.exterior());
                geo::Polygon::new(exterior, p.interiors().iter().map(&mut f).collect())
            })
            .collect(),
    )
}

/// Douglas-Peucker on every ring, keeping at least four points a ring: exactly the
/// points `geo`'s `Simplify` keeps (the test below checks every district at three
/// zooms), found without its allocations (vectors at every split) and without working
/// out the segment's length again for every point. `geo`'s took a sixth of a
/// 5,000-group build: its maps simplify 15 million points.
fn simplify(shape: &MultiPolygon<f64>, epsilon: f64) -> MultiPolygon<f64> {
    use geo::LineString;
    let ring = |ring: &LineString<f64>| -> LineString<f64> {
        let pts = &ring.0;
        if pts.len() <= 2 || epsilon <= 0.0 {
            return ring.clone();
        }
        let mut out = Vec::with_capacity(pts.len());
        let mut kept = pts.len();
        rdp_into(pts, epsilon, &mut kept, &mut out);
        out.push(pts[pts.len() - 1]);
        LineString::from(out)
    };
    map_rings(shape, ring)
}

/// The fewest points a simplified ring keeps (as `geo` does for polygons).
const RING_MIN: usize = 4;

/// Appends the points Douglas-Peucker keeps of `pts`, all but its last; `kept` counts
/// the points the whole ring still has, so that no cut leaves fewer than [`RING_MIN`].
/// Splits left before right, and on equal distances takes the later point, as `geo`
/// does; distances are worked out with the same arithmetic, so that ties (common on
/// outlines drawn from a grid of coordinates) fall the same way.
fn rdp_into(pts: &[Coord<f64>], epsilon: f64, kept: &mut usize, out: &mut Vec<Coord<f64>>) {
    let last = pts.len() - 1;
    let (a, b) = (pts[0], pts[last]);
    if last < 2 {
        out.push(a);
        return;
    }
    let segment = Segment::new(a, b);
    let mut far = 0;
    let mut far_d = 0.0;
    for (i, &p) in pts.iter().enumerate().take(last).skip(1) {
        let d = segment.distance(p);
        if d >= far_d {
            (far, far_d) = (i, d);
        }
    }
    if far_d > epsilon {
        rdp_into(&pts[..=far], epsilon, kept, out);
        rdp_into(&pts[far..], epsilon, kept, out);
    } else if *kept - (last - 1) < RING_MIN {
        out.extend_from_slice(&pts[..last]);
    } else {
        *kept -= last - 1;
        out.push(a);
    }
}

/// A segment, with what measuring distances to it needs worked out once (`geo` works
/// out the length, a `hypot`, again for every point).
struct Segment {
    a: Coord<f64>,
    b: Coord<f64>,
    dx: f64,
    dy: f64,
    len2: f64,
    len: f64,
}

impl Segment {
    fn new(a: Coord<f64>, b: Coord<f64>) -> Self {
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        Segment {
            a,
            b,
            dx,
            dy,
            len2: dx * dx + dy * dy,
            len: dx.hypot(dy),
        }
    }

    /// The distance from `p` to the segment.
    fn distance(&self, p: Coord<f64>) -> f64 {
        let to = |q: Coord<f64>| (p.x - q.x).hypot(p.y - q.y);
        if self.a == self.b {
            return to(self.a);
        }
        let r = ((p.x - self.a.x) * self.dx + (p.y - self.a.y) * self.dy) / self.len2;
        if r <= 0.0 {
            return to(self.a);
        }
        if r >= 1.0 {
            return to(self.b);
        }
        let s = ((self.a.y - p.y) * self.dx - (self.a.x - p.x) * self.dy) / self.len2;
        s.abs() * self.len
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_all_five() {
        assert_eq!(
            escape(r#"<a href="x">&'"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(tenths(12), "1.2");
        assert_eq!(tenths(-5), "-.5");
        assert_eq!(tenths(30), "3");
        assert_eq!(tenths(0), "0");
        assert_eq!(tenths(-10), "-1");
        assert_eq!(tenths(12345), "1234.5");
        assert_eq!(tenths(-4801), "-480.1");
        assert_eq!(tenths(-99999), "-9999.9");
        assert_eq!(tenths(99990), "9999");
        assert_eq!(tenths(100000), "10000");
        assert_eq!(tenths(-123456789), "-12345678.9");
        assert_eq!(tenths(i64::MIN + 1), "-922337203685477580.7");
        assert_eq!(tenths(i64::MIN), "-922337203685477580.8");
        for v in -20_000i64..20_000 {
            let (whole, tenth) = (v.abs() / 10, v.abs() % 10);
            let digits = match (whole, tenth) {
                (_, 0) => whole.to_string(),
                (0, _) => format!(".{tenth}"),
                _ => format!("{whole}.{tenth}"),
            };
            let sign = if v < 0 { "-" } else { "" };
            assert_eq!(tenths(v), format!("{sign}{digits}"));
        }
        for v in [
            0.0,
            0.5,
            -0.5,
            1.49999,
            2.5,
            -2.5,
            1e9 + 0.5,
            -3.7,
            0.49999999999999994,
        ] {
            assert_eq!(round(v), v.round() as i64, "{v}");
        }
        for v in [
            0.0, 12.0, -0.5, 3.04159, 479.96, -12.34, 0.05, 9.35, 2.25, -7.45,
        ] {
            let mut s = String::new();
            push_one_decimal(&mut s, v);
            assert_eq!(s, format!("{v:.1}"), "{v}");
        }
        assert_eq!(safe_id("1 x<y"), "m1xy");
    }

    #[test]
    fn degenerate_rings_are_dropped() {
        let poly = |pts: Vec<(f64, f64)>| geo::Polygon::new(pts.into(), vec![]);
        let tiny = poly(vec![(1.0, 1.0), (1.01, 1.0), (1.01, 1.01)]);
        let square = poly(vec![(0.0, 0.0), (5.0, 0.0), (5.0, 5.0), (0.0, 5.0)]);
        let d = path_data(projected(&MultiPolygon::new(vec![tiny, square])), 10);
        assert_eq!(d, "M0 0l5 0 0 5-5 0z");
    }

    /// A level is a subset of the outline's own points, made once and kept, never
    /// coarser than asked; closer than the finest level there is none.
    #[test]
    fn levels_are_made_once_from_the_outlines_points() {
        let shape = crate::geo::data::geography()
            .shapes()
            .district("NR2")
            .unwrap();
        let all: Vec<Coord<f64>> = shape.polygon.0[0].exterior().0.clone();
        let tol = 1e-3;
        let level = &simplified(shape, tol).unwrap().outline;
        let again = &simplified(shape, tol).unwrap().outline;
        assert!(std::ptr::eq(level, again));
        let kept = &level.0[0].exterior().0;
        assert!(kept.len() < all.len(), "{} of {}", kept.len(), all.len());
        assert!(kept.iter().all(|p| all.contains(p)));
        // A finer tolerance never keeps fewer points.
        let finer = &simplified(shape, 2e-4).unwrap().outline;
        assert!(finer.0[0].exterior().0.len() >= kept.len());
        assert!(simplified(shape, 1e-9).is_none());
    }

    /// The points ranked above a tolerance are exactly the points Douglas-Peucker keeps
    /// at it, for every district at three tolerances, but where a ring comes down to
    /// the four-point minimum (both keep at least four). (A level then thins them.)
    #[test]
    fn ranked_levels_are_douglas_peucker() {
        let shapes = crate::geo::data::geography().shapes();
        let (mut rings_seen, mut differ) = (0, 0);
        for (_, shape) in shapes.districts() {
            let kx = shape.bbox.center().y.to_radians().cos();
            let scale = |c: Coord<f64>| Coord {
                x: c.x * kx,
                y: c.y,
            };
            let scaled = shape.polygon.map_coords(scale);
            simplified(shape, 1e-3).unwrap();
            let ranks = shape.simplified.ranks.get().unwrap();
            for tol in [2e-4, 1e-3, 5e-3] {
                let dp = simplify(&scaled, tol);
                let outline = rings(&shape.polygon).zip(ranks);
                for ((ring, rank), theirs) in outline.zip(rings(&dp)) {
                    rings_seen += 1;
                    let ours: Vec<Coord<f64>> =
                        kept(&ring.0, rank, tol).into_iter().map(scale).collect();
                    // Where the minimum binds, Douglas-Peucker keeps every point of the
                    // segment it stopped at; a level keeps the four highest ranked.
                    let at_minimum = rank.iter().filter(|&&r| r > tol).count() < RING_MIN;
                    if ours != theirs.0 && !at_minimum {
                        differ += 1;
                    }
                    if theirs.0.len() >= RING_MIN {
                        assert!(ours.len() >= RING_MIN);
                    }
                }
            }
        }
        assert!(rings_seen > 5_000, "{rings_seen}");
        assert_eq!(differ, 0, "of {rings_seen} rings");
    }

    /// The same points as `geo`'s Douglas-Peucker, on every district's outline drawn
    /// at three zooms.
    #[test]
    fn simplifies_as_geo_does() {
        use geo::Simplify;
        let shapes = crate::geo::data::geography().shapes();
        let mut rings = 0;
        let mut differ = 0;
        for (_, shape) in shapes.districts() {
            for km in [6.0, 40.0, 300.0] {
                let proj = Projection::fit(shape.bbox, 0.1, km, 480.0);
                let projected: MultiPolygon<f64> = shape.polygon.map_coords(|c| proj.project(c));
                for eps in [0.75, 1.0] {
                    let ours = simplify(&projected, eps);
                    let theirs = projected.simplify(eps);
                    rings += ours.0.len();
                    if ours != theirs {
                        differ += 1;
                    }
                }
            }
        }
        assert!(rings > 10_000, "{rings}");
        assert_eq!(differ, 0, "of {rings} rings");
    }
}
