//! Where a group helps, in words a neighbour recognises: the towns, villages and parts of
//! town of the postcode districts and sectors it covers ("Eaton, Lakenham and nearby"),
//! not "Postcodes: NR2", which few people know for the street next to theirs.
//!
//! The names are GeoNames *localities* (`data/geo/district-localities.csv`, see
//! `geo::data::Locality`), listed per district. A sector has no names of its own, so a
//! sector gets the district's localities that lie nearer its centre than any other
//! sector's of that district (at least the one nearest it).

use crate::geo::data::{Geography, Locality};

/// The most place names a sheet lists; the web page behind the QR code has the rest.
pub(super) const ON_PAPER: usize = 8;

/// The place names for a group's `areas` (districts like `NR2`, sectors like `NR3 1`),
/// most telling first: each district's main locality, then the others in the data's
/// order, without repeats. `more` is true when names were left out.
pub(super) fn names(geo: &Geography, areas: &[String], limit: usize) -> (Vec<String>, bool) {
    let mut firsts: Vec<&str> = Vec::new();
    let mut rest: Vec<&str> = Vec::new();
    for area in areas {
        let found = match area.split_once(' ') {
            Some((district, _)) => sector_places(geo, district, area),
            None => district_places(geo, area),
        };
        let mut it = found.into_iter();
        if let Some(first) = it.next() {
            firsts.push(first);
        }
        rest.extend(it);
    }
    let mut out: Vec<String> = Vec::new();
    let mut more = false;
    for name in firsts.into_iter().chain(rest) {
        if out.iter().any(|n| n == name) {
            continue;
        }
        if out.len() == limit {
            more = true;
            break;
        }
        out.push(name.to_string());
    }
    (out, more)
}

/// A district's localities, its main one (the district's own name) first.
fn district_places<'a>(geo: &'a Geography, district: &'a str) -> Vec<&'a str> {
    let main = geo.district(district).map(|d| d.name.as_str());
    let mut out: Vec<&str> = main.into_iter().collect();
    out.extend(
        geo.localities_of(district)
            .map(|l| l.locality.as_str())
            .filter(|n| Some(*n) != main),
    );
    out
}

/// The localities of `district` whose nearest sector of that district is `sector`, the
/// nearest first; at least the one locality nearest the sector's centre.
fn sector_places<'a>(geo: &'a Geography, district: &'a str, sector: &str) -> Vec<&'a str> {
    let Some(own) = geo.sector(sector) else {
        return Vec::new();
    };
    let sectors: Vec<_> = geo.sectors_of(district).collect();
    let d2 = |l: &Locality, lat: f64, lon: f64| {
        // Degrees of longitude shrink with latitude; near enough for ranking.
        let k = lat.to_radians().cos();
        (l.lat - lat).powi(2) + ((l.lon - lon) * k).powi(2)
    };
    let mut mine: Vec<(f64, &Locality)> = Vec::new();
    let mut nearest: Option<(f64, &Locality)> = None;
    for l in geo.localities_of(district) {
        let to_own = d2(l, own.lat, own.lon);
        if nearest.is_none_or(|(d, _)| to_own < d) {
            nearest = Some((to_own, l));
        }
        let closest_other = sectors
            .iter()
            .filter(|s| s.code != own.code)
            .map(|s| d2(l, s.lat, s.lon))
            .fold(f64::INFINITY, f64::min);
        if to_own < closest_other {
            mine.push((to_own, l));
        }
    }
    if mine.is_empty() {
        mine.extend(nearest);
    }
    mine.sort_by(|a, b| a.0.total_cmp(&b.0));
    mine.into_iter().map(|(_, l)| l.locality.as_str()).collect()
}

/// The names as a sheet in language `code` prints them: in Welsh (`cy`) each place by
/// its Welsh name where it has one ("Cardiff" -> "Caerdydd"), else as they are.
pub(super) fn in_language(names: &[String], code: &str) -> Vec<String> {
    if code != "cy" {
        return names.to_vec();
    }
    let mut out: Vec<String> = Vec::with_capacity(names.len());
    for n in names {
        let name = crate::geo::welsh_name(n).unwrap_or(n);
        // Two English names may share one Welsh name; say it once.
        if !out.iter().any(|o| o == name) {
            out.push(name.to_string());
        }
    }
    out
}

/// The names as one line in a language: "Eaton, Lakenham and Norwich", with `and` the
/// language's word and `nearby` ("and nearby") added when names were left out.
pub(super) fn line(names: &[String], more: bool, and: &str, nearby: &str) -> String {
    let mut out = match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] if !more => format!("{} {and} {last}", init.join(", ")),
        all => all.join(", "),
    };
    if more && !out.is_empty() {
        out.push(' ');
        out.push_str(nearby);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_district_names_its_main_place_first_and_a_sector_some_of_its_own() {
        let geo = crate::geo::geography();
        let (names, _) = names(geo, &["NR2".to_string()], ON_PAPER);
        assert_eq!(
            names.first().map(String::as_str),
            geo.district("NR2").map(|d| d.name.as_str())
        );
        assert!(names.iter().any(|n| n == "Eaton"), "{names:?}");
        let (sector, _) = names_for(&["NR3 1"]);
        assert!(!sector.is_empty());
        let district: Vec<String> = geo
            .localities_of("NR3")
            .map(|l| l.locality.clone())
            .collect();
        assert!(sector.iter().all(|n| district.contains(n)), "{sector:?}");
        // A district the data has no places for names none (the leaflet prints postcodes).
        assert_eq!(names_for(&["ZZ99"]), (Vec::new(), false));
    }

    fn names_for(areas: &[&str]) -> (Vec<String>, bool) {
        let areas: Vec<String> = areas.iter().map(|a| a.to_string()).collect();
        names(crate::geo::geography(), &areas, ON_PAPER)
    }

    #[test]
    fn many_districts_give_each_district_one_name_before_any_second() {
        let (names, more) = names_for(&["LL55", "NR2", "SP2", "NW10", "M20", "LA1", "PR7"]);
        assert!(more);
        assert_eq!(names.len(), ON_PAPER);
        assert!(names.iter().any(|n| n == "Caernarfon" || n == "Llanberis"));
    }

    #[test]
    fn a_welsh_sheet_names_places_in_welsh_where_they_have_a_welsh_name() {
        let v = |s: &[&str]| s.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let names = v(&["Cardiff", "Roath", "Swansea"]);
        assert_eq!(in_language(&names, "en"), names);
        let cy = in_language(&names, "cy");
        assert_eq!(cy[0], "Caerdydd");
        assert_eq!(cy[1], crate::geo::welsh_name("Roath").unwrap_or("Roath"));
        assert_eq!(cy[2], "Abertawe");
    }

    #[test]
    fn the_line_reads_as_a_sentence() {
        let v = |s: &[&str]| s.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(line(&v(&["Eaton"]), false, "and", "and nearby"), "Eaton");
        assert_eq!(
            line(
                &v(&["Eaton", "Lakenham", "Norwich"]),
                false,
                "a",
                "a llefydd cyfagos"
            ),
            "Eaton, Lakenham a Norwich"
        );
        assert_eq!(
            line(&v(&["Eaton", "Lakenham"]), true, "and", "and nearby"),
            "Eaton, Lakenham and nearby"
        );
        assert_eq!(line(&[], false, "and", "and nearby"), "");
    }
}
