//! "Use my location": which district a position is in, by a rule the browser can follow
//! from one small file (issue #23).
//!
//! A *cell* is a grid square of a tenth of a degree of latitude by 0.15 of longitude
//! (about 7 by 6 miles), `(floor(lat * 10), floor(lon * 20 / 3))`. Each cell holds:
//! - its *pieces*: every GB district polygon clipped to the cell (Sutherland-Hodgman, which
//!   keeps the even-odd answer for every point inside the cell), corners in whole
//!   ten-thousandths of a degree, the source's own precision;
//! - its *located* list: the residential sector centroids (a district's where it has no
//!   sector data) that lie in the cell, and every one of each district with a piece in it.
//!
//! The rule ([`locate`]), for a position in cell C:
//! 1. the located entry of C nearest the position, if within [`NEAR_CENTROID_MILES`]: a
//!    resident at a sector's centroid is in that sector, even where the district polygons
//!    (notional shapes, simplified at 50 m) put the centroid in a neighbour;
//! 2. else the first district (in code order) whose pieces in C hold the position, and its
//!    located entry nearest the position (C lists them all);
//! 3. else (sea, Northern Ireland, off every polygon) the nearest located entry C lists
//!    (a cell of sea beside land lists the centroids of the cells around it that can be
//!    nearest to some point of it);
//! 4. and where C lists none (open sea), the nearest located entry anywhere.
//!
//! `search-more.js` does the same from `search/grid/` (format in `search/mod.rs`), so the
//! browser and `aidmap find` name the same district and sector.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use geo::{Coord, MultiPolygon, Point, Rect};

use super::data::geography;
use super::distance::distance_miles;

/// Cells per degree of latitude.
pub const LAT_PER_DEGREE: f64 = 10.0;
/// Cells per degree of longitude are `LON_NUM / LON_DEN` (0.15 degrees a cell).
pub const LON_NUM: f64 = 20.0;
/// See [`LON_NUM`].
pub const LON_DEN: f64 = 3.0;
/// Units of a piece's corners per degree: the source polygons have four decimals.
pub const UNIT: f64 = 10_000.0;
/// A position this close to a located centroid (in miles, about 100 m) is answered by it
/// before the polygons (measured in bench/README.md, issue #23 section).
pub const NEAR_CENTROID_MILES: f64 = 0.0621;

/// The cell of a position.
pub fn cell_of(lat: f64, lon: f64) -> (i64, i64) {
    (
        (lat * LAT_PER_DEGREE).floor() as i64,
        (lon * LON_NUM / LON_DEN).floor() as i64,
    )
}

/// The south-west corner of a cell, in [`UNIT`]s (exact: cells are 1,000 by 1,500 units).
pub fn cell_origin((i, j): (i64, i64)) -> (i64, i64) {
    (j * 1_500, i * 1_000)
}

/// A place a position can be answered for: a residential sector's centroid, or a
/// residential district's where there is no sector data.
#[derive(Debug, Clone)]
pub struct Located {
    /// `NR2 3`, or `BT1` for a district without sectors.
    pub code: String,
    /// Latitude of the centroid.
    pub lat: f64,
    /// Longitude of the centroid.
    pub lon: f64,
}

impl Located {
    /// The district, such as `NR2`.
    pub fn district(&self) -> &str {
        self.code.split(' ').next().unwrap_or(&self.code)
    }
    fn miles(&self, lat: f64, lon: f64) -> f64 {
        distance_miles(Point::new(lon, lat), Point::new(self.lon, self.lat))
    }
}

/// One district's polygon clipped to one cell: rings of `(x, y)` corners in [`UNIT`]s
/// (x east, y north), not closed (the last corner joins the first); no rings at all when
/// the district fills the cell.
#[derive(Debug, Clone)]
pub struct Piece {
    /// The district, such as `NR2`.
    pub district: String,
    /// The rings, outsides and holes alike (even-odd).
    pub rings: Vec<Vec<(i64, i64)>>,
}

impl Piece {
    /// Whether the position (in [`UNIT`]s) is inside, by even-odd ray casting eastward.
    /// `search-more.js` does the same arithmetic in the same order.
    pub fn holds(&self, x: f64, y: f64) -> bool {
        if self.rings.is_empty() {
            return true;
        }
        let mut odd = false;
        for ring in &self.rings {
            for k in 0..ring.len() {
                let (x1, y1) = (ring[k].0 as f64, ring[k].1 as f64);
                let (x2, y2) = ring[(k + 1) % ring.len()];
                let (x2, y2) = (x2 as f64, y2 as f64);
                if (y1 > y) != (y2 > y) && x < x1 + (y - y1) * (x2 - x1) / (y2 - y1) {
                    odd = !odd;
                }
            }
        }
        odd
    }
}

/// What a cell holds (see the module doc).
#[derive(Debug, Clone, Default)]
pub struct Cell {
    /// Indexes into [`located`], in code order.
    pub located: Vec<usize>,
    /// Pieces in district code order.
    pub pieces: Vec<Piece>,
    /// A dense cell ([`SPLIT_POINTS`], [`SPLIT_WEIGHT`]) is answered by its four
    /// quarters instead, south-west, south-east, north-west, north-east: each holds
    /// what a cell would for its quarter of the square ([`quarter_of`]).
    pub quarters: Vec<Cell>,
}

/// A cell whose pieces have more corners than this is split into quarters (central
/// London's would be 10 KB gzip whole, over the lookup's budget; bench/README.md).
pub const SPLIT_POINTS: usize = 1_000;
/// So is a cell whose corners plus four times its located entries pass this: about
/// 3 KB gzip, which beside Liverpool's 8.7 KB area shard at 5,000 groups would pass
/// the budget (only Liverpool's centre, `533_-20`, today).
pub const SPLIT_WEIGHT: usize = 1_300;

/// Which quarter of cell `ij` holds a position: 0 south-west, 1 south-east, 2 north-west,
/// 3 north-east. `search-more.js` does the same arithmetic.
pub fn quarter_of(ij: (i64, i64), lat: f64, lon: f64) -> usize {
    let (x0, y0) = cell_origin(ij);
    let qx = ((lon * UNIT - x0 as f64) * 2.0 / 1_500.0)
        .floor()
        .clamp(0.0, 1.0);
    let qy = ((lat * UNIT - y0 as f64) * 2.0 / 1_000.0)
        .floor()
        .clamp(0.0, 1.0);
    (qy * 2.0 + qx) as usize
}

/// The cell, or the quarter of a split cell, that answers a position.
fn leaf(lat: f64, lon: f64) -> Option<&'static Cell> {
    let ij = cell_of(lat, lon);
    let cell = cells().get(&ij)?;
    Some(if cell.quarters.is_empty() {
        cell
    } else {
        &cell.quarters[quarter_of(ij, lat, lon)]
    })
}

/// Every located entry, in code order.
pub fn located() -> &'static [Located] {
    static LOCATED: OnceLock<Vec<Located>> = OnceLock::new();
    LOCATED.get_or_init(|| {
        let geo = geography();
        let residential = |d: &str| geo.district(d).is_some_and(|d| !d.large_user_only);
        let mut out: Vec<Located> = geo
            .sectors()
            .iter()
            .filter(|s| !s.large_user_only && residential(&s.district))
            .map(|s| Located {
                code: s.code.clone(),
                lat: s.lat,
                lon: s.lon,
            })
            .chain(
                geo.districts()
                    .iter()
                    .filter(|d| !d.large_user_only && geo.sectors_of(&d.code).next().is_none())
                    .map(|d| Located {
                        code: d.code.clone(),
                        lat: d.lat,
                        lon: d.lon,
                    }),
            )
            .collect();
        out.sort_by(|a, b| a.code.cmp(&b.code));
        out
    })
}

/// Every cell that holds anything, by `(i, j)`.
pub fn cells() -> &'static BTreeMap<(i64, i64), Cell> {
    static CELLS: OnceLock<BTreeMap<(i64, i64), Cell>> = OnceLock::new();
    CELLS.get_or_init(build_cells)
}

fn build_cells() -> BTreeMap<(i64, i64), Cell> {
    let located = located();
    let mut cells: BTreeMap<(i64, i64), Cell> = BTreeMap::new();
    let mut by_district: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (n, l) in located.iter().enumerate() {
        by_district.entry(l.district()).or_default().push(n);
    }
    let shapes = geography().shapes();
    let mut districts: Vec<(&str, &super::data::Shape)> = shapes
        .districts()
        .filter(|(code, _)| by_district.contains_key(code))
        .collect();
    districts.sort_by(|a, b| a.0.cmp(b.0));
    // Which cells each district's box meets.
    let mut meets: BTreeMap<(i64, i64), Vec<usize>> = BTreeMap::new();
    for (k, (_, shape)) in districts.iter().enumerate() {
        let (lo, hi) = (shape.bbox.min(), shape.bbox.max());
        let (i0, j0) = cell_of(lo.y, lo.x);
        let (i1, j1) = cell_of(hi.y, hi.x);
        for i in i0..=i1 {
            for j in j0..=j1 {
                meets.entry((i, j)).or_default().push(k);
            }
        }
    }
    let mut own: BTreeMap<(i64, i64), Vec<usize>> = BTreeMap::new();
    for (n, l) in located.iter().enumerate() {
        let ij = cell_of(l.lat, l.lon);
        meets.entry(ij).or_default();
        own.entry(ij).or_default().push(n);
    }
    // A cell (or quarter): the frame `(x0, y0, x1, y1)` in units, the districts that may
    // meet it, and the centroids inside it.
    let fill = |frame: (i64, i64, i64, i64), candidates: &[usize], inside: Vec<usize>| {
        let mut cell = Cell {
            located: inside,
            ..Cell::default()
        };
        for &k in candidates {
            let (code, shape) = districts[k];
            if let Some(piece) = clip(code, &shape.polygon, frame) {
                cell.pieces.push(piece);
                cell.located
                    .extend(could_be_nearest(&by_district[code], frame));
            }
        }
        cell.located.sort_unstable();
        cell.located.dedup();
        cell
    };
    let own_cells = own.clone();
    for (ij, candidates) in meets {
        let (x0, y0) = cell_origin(ij);
        let inside = own.remove(&ij).unwrap_or_default();
        let mut cell = fill(
            (x0, y0, x0 + 1_500, y0 + 1_000),
            &candidates,
            inside.clone(),
        );
        let corners: usize = cell
            .pieces
            .iter()
            .flat_map(|p| &p.rings)
            .map(Vec::len)
            .sum();
        if corners > SPLIT_POINTS || corners + 4 * cell.located.len() > SPLIT_WEIGHT {
            cell.quarters = (0..4)
                .map(|q| {
                    let (fx, fy) = (x0 + (q as i64 % 2) * 750, y0 + (q as i64 / 2) * 500);
                    let mine: Vec<usize> = inside
                        .iter()
                        .copied()
                        .filter(|&n| quarter_of(ij, located[n].lat, located[n].lon) == q)
                        .collect();
                    fill((fx, fy, fx + 750, fy + 500), &candidates, mine)
                })
                .collect();
        }
        if !cell.pieces.is_empty() || !cell.located.is_empty() {
            cells.insert(ij, cell);
        }
    }
    // The sea beside land: an empty cell next to one with centroids lists those of the
    // 3 x 3 cells around it that can be the nearest to some point of it, so a position
    // off the coast is answered from one file, not by a ring search over the coast's.
    let mut sea: BTreeMap<(i64, i64), Cell> = BTreeMap::new();
    for &(i, j) in own_cells.keys() {
        for c in (i - 1..=i + 1).flat_map(|a| (j - 1..=j + 1).map(move |b| (a, b))) {
            if cells.contains_key(&c) || sea.contains_key(&c) {
                continue;
            }
            let around: Vec<usize> = (c.0 - 1..=c.0 + 1)
                .flat_map(|a| (c.1 - 1..=c.1 + 1).map(move |b| (a, b)))
                .filter_map(|k| own_cells.get(&k))
                .flatten()
                .copied()
                .collect();
            let (x0, y0) = cell_origin(c);
            let mut located = could_be_nearest(&around, (x0, y0, x0 + 1_500, y0 + 1_000));
            located.sort_unstable();
            sea.insert(
                c,
                Cell {
                    located,
                    ..Cell::default()
                },
            );
        }
    }
    cells.extend(sea);
    cells
}

/// Those of a district's located entries that can be the nearest of them to some point of
/// the frame: none farther from the frame than another is from its farthest corner (with
/// a margin, so that rounding never drops one that could be nearest).
fn could_be_nearest(of: &[usize], frame: (i64, i64, i64, i64)) -> Vec<usize> {
    let all = located();
    let (x0, y0, x1, y1) = (
        frame.0 as f64 / UNIT,
        frame.1 as f64 / UNIT,
        frame.2 as f64 / UNIT,
        frame.3 as f64 / UNIT,
    );
    let corners = [(y0, x0), (y0, x1), (y1, x0), (y1, x1)];
    let bound = of
        .iter()
        .map(|&n| {
            corners
                .iter()
                .map(|&(lat, lon)| all[n].miles(lat, lon))
                .fold(0.0, f64::max)
        })
        .fold(f64::INFINITY, f64::min);
    of.iter()
        .copied()
        .filter(|&n| {
            let l = &all[n];
            let near = l.miles(l.lat.clamp(y0, y1), l.lon.clamp(x0, x1));
            near * 0.99 - 0.05 <= bound
        })
        .collect()
}

/// `shape` clipped to the frame `(x0, y0, x1, y1)` in units, or None when nothing of it
/// is inside.
fn clip(code: &str, shape: &MultiPolygon<f64>, frame: (i64, i64, i64, i64)) -> Option<Piece> {
    let (x0, y0, x1, y1) = frame;
    let rect = Rect::new(
        Coord {
            x: x0 as f64 / UNIT,
            y: y0 as f64 / UNIT,
        },
        Coord {
            x: x1 as f64 / UNIT,
            y: y1 as f64 / UNIT,
        },
    );
    let clipped = super::map::clip_to_rect(shape, &rect);
    let mut rings = Vec::new();
    for poly in &clipped.0 {
        for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
            let mut pts: Vec<(i64, i64)> = Vec::with_capacity(ring.0.len());
            for c in &ring.0 {
                let p = ((c.x * UNIT).round() as i64, (c.y * UNIT).round() as i64);
                let p = (p.0.clamp(x0, x1), p.1.clamp(y0, y1));
                if pts.last() != Some(&p) {
                    pts.push(p);
                }
            }
            while pts.len() > 1 && pts.first() == pts.last() {
                pts.pop();
            }
            if pts.len() >= 3 && area2(&pts) != 0 {
                rings.push(pts);
            }
        }
    }
    if rings.is_empty() {
        return None;
    }
    // The whole frame: one ring that is the frame itself.
    if rings.len() == 1 && area2(&rings[0]).abs() == 2 * (x1 - x0) * (y1 - y0) {
        rings.clear();
    }
    Some(Piece {
        district: code.to_string(),
        rings,
    })
}

/// Twice the signed area of a ring.
fn area2(ring: &[(i64, i64)]) -> i64 {
    (0..ring.len())
        .map(|k| {
            let (a, b) = (ring[k], ring[(k + 1) % ring.len()]);
            a.0 * b.1 - b.0 * a.1
        })
        .sum()
}

/// The district whose pieces hold a position, by step 2 of the rule (None off every
/// polygon).
pub fn district_at(lat: f64, lon: f64) -> Option<&'static str> {
    let cell = leaf(lat, lon)?;
    let (x, y) = (lon * UNIT, lat * UNIT);
    cell.pieces
        .iter()
        .find(|p| p.holds(x, y))
        .map(|p| p.district.as_str())
}

/// The located entry nearest a position among `candidates` (ties by code).
fn nearest_of<'a>(
    candidates: impl Iterator<Item = &'a Located>,
    lat: f64,
    lon: f64,
) -> Option<(f64, &'a Located)> {
    candidates
        .map(|l| (l.miles(lat, lon), l))
        .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.code.cmp(&b.1.code)))
}

/// The located entry nearest a position, over every one (step 4 of the rule).
pub fn nearest(lat: f64, lon: f64) -> Option<&'static Located> {
    nearest_of(located().iter(), lat, lon).map(|(_, l)| l)
}

/// The located entry that answers "use my location" at a position (the rule in the
/// module doc).
pub fn locate(lat: f64, lon: f64) -> Option<&'static Located> {
    locate_within(lat, lon, NEAR_CENTROID_MILES)
}

/// [`locate`] with another distance for step 1 (to measure the choice of
/// [`NEAR_CENTROID_MILES`]).
pub fn locate_within(lat: f64, lon: f64, near: f64) -> Option<&'static Located> {
    let all = located();
    if let Some(cell) = leaf(lat, lon) {
        let listed = || cell.located.iter().map(|&n| &all[n]);
        if let Some((miles, l)) = nearest_of(listed(), lat, lon) {
            if miles <= near {
                return Some(l);
            }
        }
        if let Some(d) = district_at(lat, lon) {
            if let Some((_, l)) = nearest_of(listed().filter(|l| l.district() == d), lat, lon) {
                return Some(l);
            }
        }
        // Off every polygon (sea, a river mouth): the cell's nearest.
        if let Some((_, l)) = nearest_of(listed(), lat, lon) {
            return Some(l);
        }
    }
    nearest(lat, lon)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sector_centroid_is_its_own_sector_and_a_town_centre_its_district() {
        let nr2 = located().iter().find(|l| l.code == "NR2 3").unwrap();
        assert_eq!(locate(nr2.lat, nr2.lon).unwrap().code, "NR2 3");
        // Norwich market place, well inside NR2.
        assert_eq!(district_at(52.6285, 1.2925), Some("NR2"));
        // The North Sea: off every polygon, the nearest centroid answers.
        assert_eq!(district_at(52.9, 2.2), None);
        assert!(locate(52.9, 2.2).is_some());
    }

    #[test]
    fn a_whole_cell_piece_holds_everything_and_rings_are_even_odd() {
        let whole = Piece {
            district: "X1".into(),
            rings: vec![],
        };
        assert!(whole.holds(0.0, 0.0));
        let square = |a: i64, b: i64| vec![(a, a), (b, a), (b, b), (a, b)];
        let donut = Piece {
            district: "X2".into(),
            rings: vec![square(0, 10), square(3, 6)],
        };
        assert!(donut.holds(1.0, 1.0));
        assert!(!donut.holds(4.0, 4.0));
        assert!(!donut.holds(11.0, 4.0));
    }
}
