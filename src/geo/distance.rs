//! Great-circle distances (haversine, via `geo`) and "nearest first" ranking,
//! used to list the groups nearest to a district.

use geo::{Distance, Haversine, Point};

use super::data::Geography;

/// Kilometres per statute mile.
const KM_PER_MILE: f64 = 1.609_344;

/// Great-circle distance in kilometres between two lon/lat points.
pub fn distance_km(a: Point<f64>, b: Point<f64>) -> f64 {
    Haversine.distance(a, b) / 1000.0
}

/// Great-circle distance in miles between two lon/lat points.
pub fn distance_miles(a: Point<f64>, b: Point<f64>) -> f64 {
    distance_km(a, b) / KM_PER_MILE
}

/// A candidate and how far it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Nearest<T> {
    /// The candidate's id, as given.
    pub id: T,
    /// Distance in kilometres to its nearest point.
    pub km: f64,
}

impl<T> Nearest<T> {
    /// The distance in miles.
    pub fn miles(&self) -> f64 {
        self.km / KM_PER_MILE
    }
}

/// Ranks candidates by the distance from `from` to each one's nearest point
/// (a group's nearest covered district, say), nearest first; ties keep the
/// given order. Candidates with no points are left out.
pub fn nearest<T, P>(
    from: Point<f64>,
    candidates: impl IntoIterator<Item = (T, P)>,
) -> Vec<Nearest<T>>
where
    P: IntoIterator<Item = Point<f64>>,
{
    let mut out: Vec<Nearest<T>> = candidates
        .into_iter()
        .filter_map(|(id, points)| {
            let km = points
                .into_iter()
                .map(|p| distance_km(from, p))
                .min_by(f64::total_cmp)?;
            Some(Nearest { id, km })
        })
        .collect();
    out.sort_by(|a, b| a.km.total_cmp(&b.km));
    out
}

/// Miles along a meridian per degree of latitude, a little under the true figure (the
/// mean radius `geo`'s haversine uses, 6,371,008.8 m) so that it stays a lower bound.
const MILES_PER_DEGREE_OF_LATITUDE: f64 =
    6_371_008.8 / 1_609.344 * std::f64::consts::PI / 180.0 * 0.999;

/// Every group's points sorted by latitude, to find the groups nearest a place without
/// measuring every point of every group. The district pages and the search index both
/// list a district's nearest groups with it, so the page a resident reaches without
/// JavaScript lists the same groups, in the same order, as the search does.
#[derive(Debug, Default)]
pub struct NearestIndex(Vec<(f64, Point<f64>, u32)>);

impl NearestIndex {
    /// The index of `groups`: (group id, the group's points).
    pub fn new(groups: &[(u32, Vec<Point<f64>>)]) -> Self {
        let mut all: Vec<(f64, Point<f64>, u32)> = groups
            .iter()
            .flat_map(|(id, pts)| pts.iter().map(move |p| (p.y(), *p, *id)))
            .collect();
        all.sort_by(|a, b| a.0.total_cmp(&b.0));
        NearestIndex(all)
    }

    /// The `n` groups nearest to `from` (by each group's nearest point), in miles
    /// rounded to a tenth, nearest first; ties by group id.
    pub fn nearest(&self, from: Point<f64>, n: usize) -> Vec<(u32, f64)> {
        // Walk outwards from `from`'s latitude, nearest latitude first. A point's distance is
        // at least its latitude difference along a meridian, so once that bound is beyond the
        // fifth group found, no point left can change the list: only the few points in a band
        // around `from` are measured, not every point of every group.
        let pts = &self.0;
        let lat = from.y();
        let split = pts.partition_point(|p| p.0 < lat);
        let (mut below, mut above) = (split, split);
        let mut best: Vec<(u32, f64)> = Vec::with_capacity(n + 1);
        loop {
            let down = below.checked_sub(1).map(|i| (lat - pts[i].0, i));
            let up = pts.get(above).map(|p| (p.0 - lat, above));
            let (gap, i) = match (down, up) {
                (Some(d), Some(u)) => {
                    if d.0 <= u.0 {
                        d
                    } else {
                        u
                    }
                }
                (Some(d), None) => d,
                (None, Some(u)) => u,
                (None, None) => break,
            };
            if i < split {
                below = i;
            } else {
                above = i + 1;
            }
            if best.len() == n && gap * MILES_PER_DEGREE_OF_LATITUDE - 0.1 > best[n - 1].1 {
                break;
            }
            let (_, point, id) = pts[i];
            let miles = (distance_miles(from, point) * 10.0).round() / 10.0;
            let candidate = (id, miles);
            let worse = |a: &(u32, f64), b: &(u32, f64)| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0));
            if let Some(k) = best.iter().position(|b| b.0 == id) {
                if miles < best[k].1 {
                    best.remove(k);
                } else {
                    continue;
                }
            }
            let at = best.partition_point(|b| worse(b, &candidate).is_lt());
            best.insert(at, candidate);
            best.truncate(n);
        }
        best
    }

    /// [`Self::nearest`], keeping only groups at most `within` miles away (after rounding
    /// to a tenth, so that what is shown is what is compared).
    pub fn nearest_within(&self, from: Point<f64>, n: usize, within: f64) -> Vec<(u32, f64)> {
        let mut best = self.nearest(from, n);
        best.retain(|&(_, miles)| miles <= within);
        best
    }
}

impl Geography {
    /// The `limit` residential districts nearest to `from` by centroid, nearest
    /// first (the district at `from` itself comes first, at 0 km).
    pub fn nearest_districts(&self, from: Point<f64>, limit: usize) -> Vec<Nearest<&str>> {
        let mut all = nearest(
            from,
            self.districts()
                .iter()
                .filter(|d| !d.large_user_only)
                .map(|d| (d.code.as_str(), [d.point()])),
        );
        all.truncate(limit);
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NEAREST: usize = 5;

    /// Every group measured, as the search index did before `NearestIndex`.
    fn every_group(from: Point<f64>, points: &[(u32, Vec<Point<f64>>)]) -> Vec<(u32, f64)> {
        let mut all: Vec<(u32, f64)> = points
            .iter()
            .map(|(id, pts)| {
                let miles = pts
                    .iter()
                    .map(|p| distance_miles(from, *p))
                    .fold(f64::INFINITY, f64::min);
                (*id, (miles * 10.0).round() / 10.0)
            })
            .collect();
        all.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        all.truncate(NEAREST);
        all
    }

    #[test]
    fn the_latitude_walk_finds_what_measuring_every_group_finds() {
        // Groups of one to four points across Great Britain, some sharing points (ties).
        let mut seed: u64 = 7;
        let mut next = move || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut groups: Vec<(u32, Vec<Point<f64>>)> = (0..400)
            .map(|id| {
                let n = 1 + (next() * 4.0) as usize;
                let pts = (0..n)
                    .map(|_| Point::new(-5.5 + next() * 7.0, 50.0 + next() * 8.5))
                    .collect();
                (id, pts)
            })
            .collect();
        let shared = groups[3].1.clone();
        groups.push((400, shared));
        let lists = NearestIndex::new(&groups);
        for _ in 0..300 {
            let from = Point::new(-5.5 + next() * 7.0, 50.0 + next() * 8.5);
            assert_eq!(lists.nearest(from, NEAREST), every_group(from, &groups));
        }
        for (_, pts) in &groups {
            assert_eq!(lists.nearest(pts[0], NEAREST), every_group(pts[0], &groups));
        }
        assert!(NearestIndex::new(&[])
            .nearest(Point::new(0.0, 52.0), NEAREST)
            .is_empty());
    }
}
