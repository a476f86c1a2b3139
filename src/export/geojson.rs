//! `data/coverage.geojson`: each group's coverage as a (multi)polygon, for QGIS or a web map.
//!
//! RFC 7946 GeoJSON: WGS84 longitude then latitude, exterior rings counter-clockwise and
//! holes clockwise (the right-hand rule), every ring closed. One feature per group.
//!
//! There are no open polygons for postcode *sectors*, so a sector is drawn as its whole
//! district and the feature says so (`approximate: true`, `sectors: [...]`). Districts with
//! no polygon (Northern Ireland unless the site opted in to its CC BY-SA polygons, the
//! Channel Islands, the Isle of Man) are a 32-sided circle of `CIRCLE_KM` round the
//! district's centroid. The licence of the polygons travels with them: as foreign members
//! of the collection and, because QGIS drops those, in every feature's properties.

use std::io::Write;

use geo::orient::{Direction, Orient};
use geo::{Coord, LineString, MultiPolygon, Polygon};

use super::{group_url, status_word, OGL_URL};
use crate::config::Config;
use crate::content::{Content, Group};
use crate::geo::geography;

/// Radius of the circle drawn round a centroid when a district has no polygon.
pub const CIRCLE_KM: f64 = 2.0;

/// Sides of that circle.
const CIRCLE_SIDES: usize = 32;

/// Decimal places kept in coordinates: 6 is about 0.1 m, far finer than the data.
const PLACES: i32 = 6;

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

/// The whole feature collection.
pub fn coverage(config: &Config, content: &Content, out: &mut dyn Write) -> anyhow::Result<()> {
    let licence = polygon_licence(config);
    // Fields in the order `json!` wrote them before (sorted), so the file is unchanged.
    #[derive(serde::Serialize)]
    struct Collection<'a, F> {
        attribution: String,
        data_licence: &'a str,
        features: F,
        licence: &'a str,
        name: String,
        #[serde(rename = "type")]
        kind: &'static str,
    }
    let fc = Collection {
        attribution: super::groups::attribution(config),
        data_licence: &config.licence,
        features: super::LazySeq(&content.groups, |g: &Group| feature(config, g, &licence)),
        licence: &licence,
        name: format!("{}: group coverage", config.title),
        kind: "FeatureCollection",
    };
    serde_json::to_writer(&mut *out, &fc)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// One group's feature, its fields in the order `json!` wrote them before (sorted), so
/// the file is unchanged; coordinates are written straight from the shape (as
/// `serde_json::Value`s, two numbers and an array a point, they were a third of the
/// export's time).
fn feature<'a>(config: &Config, g: &Group, licence: &'a str) -> impl serde::Serialize + 'a {
    #[derive(serde::Serialize)]
    struct Feature<'a> {
        geometry: Geometry,
        id: String,
        properties: Properties<'a>,
        #[serde(rename = "type")]
        kind: &'static str,
    }
    #[derive(serde::Serialize)]
    struct Properties<'a> {
        approximate: bool,
        areas: Vec<String>,
        circles_around_centroid: Vec<String>,
        last_checked: String,
        licence: &'a str,
        name: String,
        sectors: Vec<String>,
        status: &'static str,
        url: String,
    }
    let (shape, sectors, circles) = group_shape(g, config.ni_polygons);
    Feature {
        geometry: Geometry(shape),
        id: g.slug.clone(),
        properties: Properties {
            approximate: !sectors.is_empty() || !circles.is_empty(),
            areas: g.areas.clone(),
            circles_around_centroid: circles,
            last_checked: g.last_checked.to_string(),
            licence,
            name: g.name.clone(),
            sectors,
            status: status_word(g.status),
            url: group_url(config, &g.slug),
        },
        kind: "Feature",
    }
}

/// The union of a group's district polygons (and circles), correctly oriented; plus the
/// sectors drawn as whole districts and the districts drawn as circles.
pub fn group_shape(g: &Group, ni_polygons: bool) -> (MultiPolygon<f64>, Vec<String>, Vec<String>) {
    let geo = geography();
    let sectors: Vec<String> = g
        .areas
        .iter()
        .filter(|a| a.contains(' '))
        .cloned()
        .collect();
    let mut circles = Vec::new();
    let mut pieces: Vec<MultiPolygon<f64>> = Vec::new();
    for d in g.districts() {
        let polygon = geo.district_polygon(&d).cloned().or_else(|| {
            ni_polygons
                .then(|| geo.shapes().ni_district(&d).map(|s| s.polygon.clone()))
                .flatten()
        });
        match (polygon, geo.district(&d)) {
            (Some(p), _) => pieces.push(p),
            (None, Some(info)) => {
                circles.push(d.clone());
                pieces.push(MultiPolygon(vec![circle(info.lon, info.lat, CIRCLE_KM)]));
            }
            (None, None) => {}
        }
    }
    let shape = match pieces.len() {
        0 => MultiPolygon(Vec::new()),
        1 => pieces.remove(0),
        _ => geo::unary_union(pieces.iter()),
    };
    (shape.orient(Direction::Default), sectors, circles)
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

fn round(v: f64) -> f64 {
    let f = 10f64.powi(PLACES);
    (v * f).round() / f
}

/// A `MultiPolygon` as a GeoJSON geometry: a `Polygon` when it has one part.
struct Geometry(MultiPolygon<f64>);

impl serde::Serialize for Geometry {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(2))?;
        match self.0 .0.as_slice() {
            [one] => {
                m.serialize_entry("coordinates", &PolygonJson(one))?;
                m.serialize_entry("type", "Polygon")?;
            }
            parts => {
                let polys: Vec<PolygonJson<'_>> = parts.iter().map(PolygonJson).collect();
                m.serialize_entry("coordinates", &polys)?;
                m.serialize_entry("type", "MultiPolygon")?;
            }
        }
        m.end()
    }
}

/// A polygon's rings, exterior first, each a list of `[lon, lat]`.
struct PolygonJson<'a>(&'a Polygon<f64>);

impl serde::Serialize for PolygonJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(
            std::iter::once(self.0.exterior())
                .chain(self.0.interiors())
                .map(RingJson),
        )
    }
}

struct RingJson<'a>(&'a LineString<f64>);

impl serde::Serialize for RingJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0 .0.iter().map(|c| [round(c.x), round(c.y)]))
    }
}
