//! Tests for the embedded data, coverage checks and distances.

use super::*;
use crate::geo::coverage::{Coverage, CoverageProblem, CoverageWarning};
use crate::geo::distance::{distance_km, distance_miles, nearest};
use crate::geo::postcode::PostcodeError;
use std::time::Instant;

#[test]
fn load_time() {
    let t = Instant::now();
    let g = geography();
    let tables = t.elapsed();
    let t = Instant::now();
    let shapes = g.shapes();
    let polys = t.elapsed();
    println!(
        "geography tables: {tables:?}, polygons: {polys:?} ({} district shapes)",
        shapes.districts().count()
    );
    assert_eq!(g.districts().len(), 2970);
    assert_eq!(shapes.districts().count(), 2736);
}

#[test]
fn nr2_exists_with_centroid() {
    let d = geography().district("nr2").unwrap();
    assert_eq!(d.code, "NR2");
    assert_eq!(d.area, "NR");
    assert!((d.lat - 52.63).abs() < 0.01 && (d.lon - 1.28).abs() < 0.01);
    assert_eq!(d.source, CentroidSource::Ons);
    assert!(d.has_polygon && !d.large_user_only);
    assert_eq!(geography().area("NR").unwrap().name, "Norwich");
    assert!(geography().district_polygon("NR2").is_some());
}

#[test]
fn bt1_is_geonames_without_polygon() {
    let d = geography().district("BT1").unwrap();
    assert_eq!(d.source, CentroidSource::Geonames);
    assert!(!d.has_polygon);
    assert_eq!(d.country, "Northern Ireland");
    assert!(geography().shapes().ni_district("BT1").is_some());
}

#[test]
fn w1a_is_large_user_only() {
    let d = geography().district("W1A").unwrap();
    assert!(d.large_user_only && !d.has_polygon);
}

#[test]
fn sectors() {
    let g = geography();
    assert_eq!(g.sector("NR2 3").unwrap().district, "NR2");
    assert!(g.sector("nr23").is_some());
    assert!(g.sectors_of("NR2").any(|s| s.code == "NR2 3"));
    assert_eq!(g.sectors_of("BT1").count(), 0);
    assert!(g.localities_of("NR4").count() > 1);
}

#[test]
fn coverage_entries() {
    let g = geography();
    let e = g.check_coverage_entry(" nr2 ").unwrap();
    assert_eq!(e.coverage, Coverage::District("NR2".into()));
    assert!(e.warnings.is_empty());
    let e = g.check_coverage_entry("NR3 1").unwrap();
    assert_eq!(e.coverage.code(), "NR3 1");
    assert_eq!(e.coverage.district(), "NR3");
    let e = g.check_coverage_entry("NR99").unwrap();
    assert!(matches!(&e.warnings[..], [CoverageWarning::LargeUserOnly { code }] if code == "NR99"));
    assert!(e.warnings[0].to_string().contains("large organisations"));
    let e = g.check_coverage_entry("BT7").unwrap();
    assert_eq!(e.coverage, Coverage::District("BT7".into()));
    let err = g.check_coverage_entry("NR99X").unwrap_err();
    assert!(matches!(err, CoverageProblem::Postcode(_)), "{err:?}");
    let err = g.check_coverage_entry("NR40").unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.starts_with("no postcode district NR40 exists; did you mean"),
        "{msg}"
    );
    let err = g.check_coverage_entry("W1").unwrap_err();
    assert!(err.to_string().contains("did you mean W1B, W1C"), "{err}");
    let err = g.check_coverage_entry("NR2 9").unwrap_err();
    assert!(
        err.to_string().contains("no postcode sector NR2 9"),
        "{err}"
    );
    let err = g.check_coverage_entry("NR").unwrap_err();
    assert!(matches!(err, CoverageProblem::WrongLevel { .. }));
    let err = g.check_coverage_entry("NR2 3AB").unwrap_err();
    assert!(err.to_string().contains("not a full postcode"), "{err}");
    assert!(g.check_coverage_entry("hello").is_err());
}

#[test]
fn lookup_disambiguates_unspaced_sector() {
    let g = geography();
    // NR23 (Wells-next-the-Sea) exists, so "nr23" stays a district.
    let l = g.lookup("nr23").unwrap();
    assert_eq!(l.query.to_string(), "NR23");
    // There is no district CB13 but there is a sector CB1 3.
    let l = g.lookup("cb13").unwrap();
    assert_eq!(l.query.to_string(), "CB1 3");
    assert_eq!(l.sector.unwrap().code, "CB1 3");
    // Neither a district NR39 nor a sector NR3 9.
    let err = g.lookup("NR39").unwrap_err();
    assert!(
        matches!(err, PostcodeError::UnknownDistrict { .. }),
        "{err:?}"
    );
    let l = g.lookup("nr3 1").unwrap();
    assert_eq!(l.sector.unwrap().code, "NR3 1");
    let l = g.lookup("nr2 3ab").unwrap();
    assert_eq!(l.district.unwrap().code, "NR2");
    assert_eq!(l.sector.unwrap().code, "NR2 3");
    assert_eq!(g.lookup("NR").unwrap().area.name, "Norwich");
    assert!(g.lookup("GIR 0AA").is_err());
}

#[test]
fn distances() {
    let g = geography();
    let nr2 = g.district("NR2").unwrap().point();
    let cm14 = g.district("CM14").unwrap().point();
    let km = distance_km(nr2, cm14);
    // Norwich to Brentwood is about 140 km as the crow flies.
    assert!((130.0..150.0).contains(&km), "{km}");
    assert!((km / distance_miles(nr2, cm14) - 1.609).abs() < 0.01);
    let ranked = nearest(
        nr2,
        vec![
            ("brentwood", vec![cm14]),
            ("norwich", vec![g.district("NR4").unwrap().point(), cm14]),
            ("none", vec![]),
            ("cambridge", vec![g.district("CB1").unwrap().point()]),
        ],
    );
    let ids: Vec<_> = ranked.iter().map(|n| n.id).collect();
    assert_eq!(ids, ["norwich", "cambridge", "brentwood"]);
    let near = g.nearest_districts(nr2, 3);
    assert_eq!(near[0].id, "NR2");
    assert!(near[1].km < 5.0);
}
