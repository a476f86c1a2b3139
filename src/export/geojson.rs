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
use serde_json::{json, Value};

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

/// One group's feature.
fn feature(config: &Config, g: &Group, licence: &str) -> Value {
    let (shape, sectors, circles) = group_shape(g, config.ni_polygons);
    json!({
        "type": "Feature",
        "id": g.slug,
        "geometry": multipolygon_json(&shape),
        "properties": {
            "name": g.name,
            "url": group_url(config, &g.slug),
            "status": status_word(g.status),
            "last_checked": g.last_checked.to_string(),
            "areas": g.areas,
            "sectors": sectors,
            "approximate": !sectors.is_empty() || !circles.is_empty(),
            "circles_around_centroid": circles,
            "licence": licence,
        }
    })
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

fn ring_json(ring: &LineString<f64>) -> Value {
    Value::Array(
        ring.0
            .iter()
            .map(|c| json!([round(c.x), round(c.y)]))
            .collect(),
    )
}

/// A `MultiPolygon` as GeoJSON (a `Polygon` when it has one part).
pub fn multipolygon_json(mp: &MultiPolygon<f64>) -> Value {
    let polys: Vec<Value> =
        mp.0.iter()
            .map(|p| {
                let mut rings = vec![ring_json(p.exterior())];
                rings.extend(p.interiors().iter().map(ring_json));
                Value::Array(rings)
            })
            .collect();
    if polys.len() == 1 {
        json!({"type": "Polygon", "coordinates": polys[0]})
    } else {
        json!({"type": "MultiPolygon", "coordinates": polys})
    }
}
