//! `data/coverage.geojson`: where the groups are, as postcode district outlines, for QGIS
//! or a web map.
//!
//! RFC 7946 GeoJSON: WGS84 longitude then latitude, exterior rings counter-clockwise and
//! holes clockwise (the right-hand rule), every ring closed.
//!
//! **One feature per district**, not per group: a district's outline is drawn once, with
//! the groups covering it (all of it or some of its sectors) as properties. A feature per
//! group repeated each outline for every group covering it, so the file grew with the
//! groups (32 MiB at 10,000, over Cloudflare's 25 MiB a file; 161 MiB at 50,000, over
//! GitHub's 100 MB); drawn once, it grows only with the districts covered (about 3,000 in
//! the UK). In QGIS a group's coverage is the districts whose `groups` list holds its slug
//! (`array_contains("groups", 'slug')` in a filter or a rule), and `group_count`
//! colours the map by how many groups cover each district; the groups' other fields are
//! in `groups.json`, joined by slug.
//!
//! There are no open polygons for postcode *sectors*, so a group covering some sectors of
//! a district is listed on the whole district, in `partly` as well as `groups`, with the
//! sectors in `sectors` (and `approximate: true`). Districts with no polygon (Northern
//! Ireland unless the site opted in to its CC BY-SA polygons, the Channel Islands, the
//! Isle of Man) are a 32-sided circle of `CIRCLE_KM` round the district's centroid. The
//! licence of the polygons is a member of the collection, once.

use std::collections::BTreeMap;
use std::io::Write;

use geo::orient::{Direction, Orient};
use geo::{Coord, LineString, MultiPolygon, Polygon};

use super::OGL_URL;
use crate::config::Config;
use crate::content::{Content, Group};
use crate::geo::geography;

/// Radius of the circle drawn round a centroid when a district has no polygon.
pub const CIRCLE_KM: f64 = 2.0;

/// Sides of that circle.
const CIRCLE_SIDES: usize = 32;

/// Decimal places kept in coordinates: 6 is about 0.1 m, far finer than the data.
const PLACES: usize = 6;

/// `10^PLACES`: a coordinate is written as a whole number of these parts.
const SCALE: u64 = 10u64.pow(PLACES as u32);

/// Licence statement for the polygons.
pub fn polygon_licence(config: &Config) -> String {
    let mut s = format!(
        "District polygons derived from ONS postcode data: Contains OS data © Crown copyright and \
database right 2024; Contains Royal Mail data © Royal Mail copyright and database right 2024; \
Source: Office for National Statistics, Open Government Licence v3.0 ({OGL_URL})."
    );
    if config.ni_polygons {
        s.push_str(
            " Northern Ireland polygons © Wikipedia contributors, CC BY-SA 3.0, \
via github.com/missinglink/uk-postcode-polygons.",
        );
    }
    s
}

/// The groups covering one district, as its feature lists them.
#[derive(Default)]
struct DistrictCover<'a> {
    /// Every group covering all or part of the district, in content order.
    groups: Vec<&'a Group>,
    /// Those covering only some of its sectors.
    partly: Vec<&'a str>,
    /// The sectors of the district that some group names.
    sectors: Vec<&'a str>,
}

/// Each district some group covers, with those groups, by district code.
fn covers(groups: &[Group]) -> BTreeMap<&str, DistrictCover<'_>> {
    let mut out: BTreeMap<&str, DistrictCover<'_>> = BTreeMap::new();
    for g in groups {
        for area in &g.areas {
            let (district, sector) = match area.split_once(' ') {
                Some((d, _)) => (d, Some(area.as_str())),
                None => (area.as_str(), None),
            };
            let cover = out.entry(district).or_default();
            if cover.groups.last().map(|last| last.slug == g.slug) != Some(true) {
                cover.groups.push(g);
            }
            if let Some(s) = sector {
                if !cover.sectors.contains(&s) {
                    cover.sectors.push(s);
                }
            }
        }
    }
    for (district, cover) in out.iter_mut() {
        for g in &cover.groups {
            if !g.areas.iter().any(|a| a == district) {
                cover.partly.push(&g.slug);
            }
        }
        cover.sectors.sort_unstable();
    }
    out
}

/// The whole feature collection, one feature per covered district.
///
/// Written by hand around serde_json's pieces, one feature at a time, members in sorted
/// order. The coordinates are the bulk of the file and go through [`push_coord`], not
/// serde's float formatting: that was 4% of a 5,000-group build's instructions.
pub fn coverage(config: &Config, content: &Content, out: &mut dyn Write) -> anyhow::Result<()> {
    out.write_all(b"{\"attribution\":")?;
    serde_json::to_writer(&mut *out, &super::groups::attribution(config))?;
    out.write_all(b",\"data_licence\":")?;
    serde_json::to_writer(&mut *out, &config.licence)?;
    out.write_all(b",\"features\":[")?;
    let mut buf = Vec::new();
    let mut first = true;
    for (district, cover) in covers(&content.groups) {
        buf.clear();
        if !first {
            buf.push(b',');
        }
        if feature(&mut buf, config, district, &cover)? {
            out.write_all(&buf)?;
            first = false;
        }
    }
    out.write_all(b"],\"licence\":")?;
    serde_json::to_writer(&mut *out, &polygon_licence(config))?;
    out.write_all(b",\"name\":")?;
    serde_json::to_writer(&mut *out, &format!("{}: group coverage", config.title))?;
    out.write_all(b",\"type\":\"FeatureCollection\"}\n")?;
    Ok(())
}

/// One district's feature; false (and nothing useful in `out`) for a district the
/// geography does not know.
fn feature(
    out: &mut Vec<u8>,
    config: &Config,
    district: &str,
    cover: &DistrictCover<'_>,
) -> anyhow::Result<bool> {
    #[derive(serde::Serialize)]
    struct Properties<'a> {
        approximate: bool,
        circle_around_centroid: bool,
        district: &'a str,
        group_count: usize,
        groups: Vec<&'a str>,
        names: Vec<&'a str>,
        partly: &'a [&'a str],
        sectors: &'a [&'a str],
    }
    let Some((shape, circle)) = district_shape(district, config.ni_polygons) else {
        return Ok(false);
    };
    out.extend_from_slice(b"{\"geometry\":");
    geometry(out, &shape);
    out.extend_from_slice(b",\"id\":");
    serde_json::to_writer(&mut *out, district)?;
    out.extend_from_slice(b",\"properties\":");
    let properties = Properties {
        approximate: circle || !cover.partly.is_empty(),
        circle_around_centroid: circle,
        district,
        group_count: cover.groups.len(),
        groups: cover.groups.iter().map(|g| g.slug.as_str()).collect(),
        names: cover.groups.iter().map(|g| g.name.as_str()).collect(),
        partly: &cover.partly,
        sectors: &cover.sectors,
    };
    serde_json::to_writer(&mut *out, &properties)?;
    out.extend_from_slice(b",\"type\":\"Feature\"}");
    Ok(true)
}

/// A district's outline, correctly oriented, and whether it is a circle standing in for
/// one; `None` for a district the geography does not know.
pub fn district_shape(district: &str, ni_polygons: bool) -> Option<(MultiPolygon<f64>, bool)> {
    let geo = geography();
    let polygon = geo.district_polygon(district).cloned().or_else(|| {
        ni_polygons
            .then(|| {
                geo.shapes()
                    .ni_district(district)
                    .map(|s| s.polygon.clone())
            })
            .flatten()
    });
    match (polygon, geo.district(district)) {
        (Some(p), _) => Some((p.orient(Direction::Default), false)),
        (None, Some(info)) => Some((
            MultiPolygon(vec![circle(info.lon, info.lat, CIRCLE_KM)]),
            true,
        )),
        (None, None) => None,
    }
}

/// A circle of `km` round a point, as a polygon with `CIRCLE_SIDES` sides (counter-clockwise).
pub fn circle(lon: f64, lat: f64, km: f64) -> Polygon<f64> {
    let dlat = km / 111.32;
    let dlon = dlat / lat.to_radians().cos();
    let mut ring: Vec<Coord<f64>> = (0..CIRCLE_SIDES)
        .map(|i| {
            let a = std::f64::consts::TAU * i as f64 / CIRCLE_SIDES as f64;
            Coord {
                x: lon + dlon * a.cos(),
                y: lat + dlat * a.sin(),
            }
        })
        .collect();
    ring.push(ring[0]);
    Polygon::new(LineString(ring), Vec::new())
}

/// A `MultiPolygon` as a GeoJSON geometry: a `Polygon` when it has one part.
fn geometry(out: &mut Vec<u8>, shape: &MultiPolygon<f64>) {
    out.extend_from_slice(b"{\"coordinates\":");
    match shape.0.as_slice() {
        [one] => {
            polygon(out, one);
            out.extend_from_slice(b",\"type\":\"Polygon\"}");
        }
        parts => {
            out.push(b'[');
            for (i, p) in parts.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                polygon(out, p);
            }
            out.extend_from_slice(b"],\"type\":\"MultiPolygon\"}");
        }
    }
}

/// A polygon's rings, exterior first, each a list of `[lon, lat]`.
fn polygon(out: &mut Vec<u8>, p: &Polygon<f64>) {
    out.push(b'[');
    for (i, ring) in std::iter::once(p.exterior())
        .chain(p.interiors())
        .enumerate()
    {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'[');
        for (j, c) in ring.0.iter().enumerate() {
            if j > 0 {
                out.push(b',');
            }
            out.push(b'[');
            push_coord(out, c.x);
            out.push(b',');
            push_coord(out, c.y);
            out.push(b']');
        }
        out.push(b']');
    }
    out.push(b']');
}

/// Appends `v` rounded to [`PLACES`] decimals, as serde_json writes that `f64`.
///
/// The rounded value is `n / SCALE` for a whole `n`, and the shortest decimal that reads
/// back as it (what serde_json writes) is `n`'s digits with the point `PLACES` from the
/// right and trailing zeros dropped: any other decimal of that length or shorter is at
/// least `1 / SCALE` away, and the value is known to within 10^-14. Written here from
/// `n` for 0.1 <= |v| < 10^9; outside that (serde_json's exponent notation starts below
/// 10^-5) and for -0 and non-finite values, serde_json writes it. A test compares both.
fn push_coord(out: &mut Vec<u8>, v: f64) {
    let f = SCALE as f64;
    let scaled = (v * f).round();
    if !(f / 10.0..1e15).contains(&scaled.abs()) {
        let _ = serde_json::to_writer(&mut *out, &(scaled / f));
        return;
    }
    let n = scaled as i64;
    if n < 0 {
        out.push(b'-');
    }
    let (whole, frac) = (n.unsigned_abs() / SCALE, n.unsigned_abs() % SCALE);
    out.extend_from_slice(itoa::Buffer::new().format(whole).as_bytes());
    if frac == 0 {
        out.extend_from_slice(b".0");
        return;
    }
    let mut digits = [b'.'; PLACES + 1];
    let mut rest = frac;
    for d in digits[1..].iter_mut().rev() {
        *d = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    let len = digits.iter().rposition(|&d| d != b'0').map_or(1, |i| i + 1);
    out.extend_from_slice(&digits[..len]);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the export wrote before `push_coord`: the rounded `f64` through serde_json.
    fn through_serde(v: f64) -> String {
        let f = 10f64.powi(PLACES as i32);
        serde_json::to_string(&((v * f).round() / f)).unwrap()
    }

    fn pushed(v: f64) -> String {
        let mut out = Vec::new();
        push_coord(&mut out, v);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn coordinates_are_written_as_serde_json_writes_them() {
        let special = [
            0.0,
            -0.0,
            0.1,
            -0.1,
            0.0999995,
            0.09999949,
            0.1000004,
            1e-7,
            -1e-7,
            4e-6,
            -0.000012,
            0.5,
            -5.5,
            51.5,
            51.000001,
            -0.999999,
            1.0,
            -2.0,
            123.0,
            99999.999999,
            1e8 + 0.5,
            999_999_999.0,
            1e9,
            1e12 + 0.25,
            1e15,
            f64::NAN,
            f64::INFINITY,
            -f64::INFINITY,
            f64::MAX,
        ];
        for v in special {
            assert_eq!(pushed(v), through_serde(v), "{v:e}");
        }
        // Every longitude and latitude of the UK at steps no grid of decimals lines up with.
        let mut count = 0;
        for (lo, hi, step) in [
            (-8.7, 1.8, 0.000_173_1),
            (49.8, 60.9, 0.000_211_7),
            (-0.2, 0.2, 3.1e-7),
        ] {
            let mut v: f64 = lo;
            while v < hi {
                assert_eq!(pushed(v), through_serde(v), "{v}");
                v += step;
                count += 1;
            }
        }
        assert!(count > 1_000_000, "{count}");
    }
}
