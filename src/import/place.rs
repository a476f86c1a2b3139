//! Where an imported group is: the postcode district its postcode, its coordinates or
//! its place name give, and which of a group's links is its site, its Facebook or its
//! WhatsApp.

use std::collections::HashMap;
use std::sync::OnceLock;

use geo::{Contains, Point};

use crate::content::check;
use crate::geo::distance::distance_miles;
use crate::geo::geography;
use crate::search::text::fold;

/// Places of one name closer than this (miles) are one place.
const SAME_PLACE_MILES: f64 = 10.0;

/// The district of a postcode, district or sector ("NR2 3AB" -> "NR2").
pub fn district_of_postcode(postcode: &str) -> Result<String, String> {
    match geography().lookup(postcode) {
        Ok(l) => l.district.map(|d| d.code.clone()).ok_or_else(|| {
            format!(
                "the postcode `{}` names only a postcode area",
                postcode.trim()
            )
        }),
        Err(e) => Err(format!("postcode: {e}")),
    }
}

/// The district whose outline holds the point, else the residential district whose
/// centroid is nearest (Northern Ireland, the islands, a point just off the coast).
pub fn district_at(lat: f64, lon: f64) -> Option<String> {
    if !((49.0..=61.5).contains(&lat) && (-9.0..=2.5).contains(&lon)) {
        return None;
    }
    let p = Point::new(lon, lat);
    let geo = geography();
    // The polygons are in a map: of two outlines holding a point on their border, the
    // first code is taken, so every run gives the same answer.
    let holding = geo
        .shapes()
        .districts()
        .filter(|(_, s)| s.bbox.contains(&p) && s.polygon.contains(&p))
        .map(|(code, _)| code)
        .filter(|code| geo.district(code).is_some_and(|d| !d.large_user_only))
        .min();
    if let Some(code) = holding {
        return Some(code.to_string());
    }
    geo.nearest_districts(p, 1)
        .first()
        .map(|n| n.id.to_string())
}

/// Folded place name -> each place of that name: its district and position.
type Places = HashMap<String, Vec<(String, Point<f64>)>>;

/// Every place name the geography knows (localities, district and area names), folded,
/// with its district and position.
fn places() -> &'static Places {
    static PLACES: OnceLock<Places> = OnceLock::new();
    PLACES.get_or_init(|| {
        let geo = geography();
        let mut map = Places::new();
        for l in geo.localities() {
            map.entry(fold(&l.locality))
                .or_default()
                .push((l.outcode.clone(), Point::new(l.lon, l.lat)));
        }
        for d in geo.districts().iter().filter(|d| !d.large_user_only) {
            map.entry(fold(&d.name))
                .or_default()
                .push((d.code.clone(), d.point()));
        }
        for a in geo.areas() {
            let p = Point::new(a.lon, a.lat);
            if let Some(n) = geo.nearest_districts(p, 1).first() {
                map.entry(fold(&a.name))
                    .or_default()
                    .push((n.id.to_string(), p));
            }
        }
        map
    })
}

/// The district of a recognised place name. `Ripon, North Yorkshire` is tried whole,
/// then part by part; a name of several places far apart ("Gosforth") is settled by
/// another part of the text ("Newcastle") when one is recognised, or refused.
pub fn district_of_place(text: &str) -> Result<String, String> {
    let places = places();
    let parts: Vec<&str> = std::iter::once(text)
        .chain(text.split([',', '(', ')', '/']))
        .chain(text.split(" - "))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let found: Vec<&Vec<(String, Point<f64>)>> =
        parts.iter().filter_map(|p| places.get(&fold(p))).collect();
    let Some(first) = found.first() else {
        return Err(format!("`{}` is not a place aidmap knows", text.trim()));
    };
    let spread = first
        .iter()
        .flat_map(|a| first.iter().map(move |b| distance_miles(a.1, b.1)))
        .fold(0.0, f64::max);
    if spread <= SAME_PLACE_MILES {
        return Ok(first[0].0.clone());
    }
    // Several places of that name: the one nearest another part of the text.
    let others: Vec<Point<f64>> = found[1..]
        .iter()
        .filter(|o| !std::ptr::eq(**o, *first))
        .flat_map(|o| o.iter().map(|(_, p)| *p))
        .collect();
    let best = first
        .iter()
        .map(|(d, p)| {
            let miles = others
                .iter()
                .map(|q| distance_miles(*p, *q))
                .fold(f64::INFINITY, f64::min);
            (miles, d)
        })
        .min_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((miles, d)) if miles <= 2.0 * SAME_PLACE_MILES => Ok(d.clone()),
        _ => Err(format!(
            "`{}` names several places far apart; add a postcode or coordinates",
            text.trim()
        )),
    }
}

/// Which contact field a link belongs in, by its host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// `website`.
    Website,
    /// `facebook`.
    Facebook,
    /// `whatsapp`.
    Whatsapp,
}

/// The link made a full address (`www.x.org` -> `https://www.x.org`) and its kind, or
/// why it cannot be a link.
pub fn sort_link(link: &str) -> Result<(String, LinkKind), String> {
    let link = link.trim();
    let full = if link.contains("://") {
        link.to_string()
    } else {
        format!("https://{link}")
    };
    let url = check::web_url(&full)?;
    let host = url::Url::parse(&url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        .unwrap_or_default();
    let on = |hosts: &[&str]| {
        hosts
            .iter()
            .any(|h| host == *h || host.ends_with(&format!(".{h}")))
    };
    let kind = if on(check::FACEBOOK_HOSTS) {
        LinkKind::Facebook
    } else if on(check::WHATSAPP_HOSTS) {
        LinkKind::Whatsapp
    } else {
        LinkKind::Website
    };
    Ok((url, kind))
}

/// A link as compared for "the same link": host and path, without `www.`, the scheme,
/// the query or a trailing `/`.
pub fn link_key(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(u) => format!(
            "{}{}",
            u.host_str().unwrap_or_default().trim_start_matches("www."),
            u.path().trim_end_matches('/')
        )
        .to_lowercase(),
        Err(_) => url.to_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_points_and_postcodes_find_their_district() {
        assert_eq!(district_of_postcode("nr2 3ab").unwrap(), "NR2");
        assert!(district_of_postcode("ZZ9 9ZZ").is_err());
        assert_eq!(district_at(52.63, 1.29).as_deref(), Some("NR2"));
        assert!(district_at(40.0, 1.0).is_none());
        assert!(district_of_place("Ripon, North Yorkshire")
            .unwrap()
            .starts_with("HG"));
        assert!(district_of_place("Nowhere-upon-Nothing").is_err());
    }

    #[test]
    fn links_are_sorted_by_host() {
        assert_eq!(
            sort_link("https://m.facebook.com/groups/1/").unwrap().1,
            LinkKind::Facebook
        );
        assert_eq!(
            sort_link("chat.whatsapp.com/abc").unwrap(),
            ("https://chat.whatsapp.com/abc".into(), LinkKind::Whatsapp)
        );
        assert_eq!(
            sort_link("https://notfacebook.com/x").unwrap().1,
            LinkKind::Website
        );
        assert!(sort_link("javascript:alert(1)").is_err());
        assert_eq!(
            link_key("https://www.facebook.com/groups/1/?ref=share"),
            link_key("http://facebook.com/groups/1")
        );
    }
}
