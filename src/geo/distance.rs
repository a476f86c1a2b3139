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
