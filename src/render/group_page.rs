//! What a group's page adds to the group's view: where a closed or paused group sends
//! people instead, and the prefilled e-mail that reports a problem with a listing.
//!
//! A closed group's page shows no way to reach the closed group at all: the group that
//! took over (`succeeded_by`), otherwise the nearest groups taking requests, are the only
//! contact routes on it.

use std::sync::OnceLock;

use geo::Point;
use serde::Serialize;

use crate::content::{Content, Group, Status};
use crate::geo::NearestIndex;
use crate::render::postcodes::group_points;

/// How many running groups a closed or paused group's page offers.
pub const OFFERED: usize = 3;

/// Another group, as a closed or paused group's page offers it.
#[derive(Debug, Clone, Serialize)]
pub struct OtherGroup {
    /// Name.
    pub name: String,
    /// `groups/<slug>/`.
    pub url: String,
    /// Phone as the group writes it, if it has one and is taking requests.
    pub phone: Option<String>,
    /// The same for a `tel:` link.
    pub phone_tel: Option<String>,
    /// Miles from the nearest of this group's areas, to a tenth ("1.5"); empty for a successor.
    pub miles: String,
}

/// What a closed or paused group's page offers instead.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Instead {
    /// The group named by `succeeded_by`.
    pub successor: Option<OtherGroup>,
    /// The nearest running groups within the site's `nearest_within_miles`, nearest first.
    pub nearest: Vec<OtherGroup>,
}

/// The running (active) groups' points, made once per build on first use: most sites have
/// few closed or paused groups, and a site with none never pays for it.
#[derive(Debug, Default)]
pub struct RunningIndex(OnceLock<NearestIndex>);

impl RunningIndex {
    fn get(&self, content: &Content) -> &NearestIndex {
        self.0.get_or_init(|| {
            let points: Vec<(u32, Vec<Point<f64>>)> = content
                .groups
                .iter()
                .enumerate()
                .filter(|(_, g)| g.status == Status::Active)
                .map(|(i, g)| (i as u32, group_points(g)))
                .collect();
            NearestIndex::new(&points)
        })
    }
}

fn offer(g: &Group, miles: Option<f64>) -> OtherGroup {
    let open = g.status != Status::Closed;
    OtherGroup {
        name: g.name.clone(),
        url: format!("groups/{}/", g.slug),
        phone: g.contact.phone.clone().filter(|_| open),
        phone_tel: g.contact.phone_tel.clone().filter(|_| open),
        miles: miles
            .map(crate::search::query::format_miles)
            .unwrap_or_default(),
    }
}

/// What group `g` (closed or paused) offers instead; `None` for a running group.
pub fn instead(g: &Group, content: &Content, index: &RunningIndex, within: f64) -> Option<Instead> {
    if g.status == Status::Active {
        return None;
    }
    let successor = g.succeeded_by.as_ref().and_then(|(slug, _)| {
        let k = content
            .groups
            .binary_search_by(|o| o.slug.as_str().cmp(slug))
            .ok()?;
        Some(offer(&content.groups[k], None))
    });
    if successor.is_some() {
        return Some(Instead {
            successor,
            nearest: Vec::new(),
        });
    }
    // Each running group at its distance from the nearest of this group's areas.
    let running = index.get(content);
    let mut best: Vec<(u32, f64)> = Vec::new();
    for p in group_points(g) {
        for (id, miles) in running.nearest_within(p, OFFERED, within) {
            match best.iter_mut().find(|b| b.0 == id) {
                Some(b) => b.1 = b.1.min(miles),
                None => best.push((id, miles)),
            }
        }
    }
    best.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    best.truncate(OFFERED);
    Some(Instead {
        successor: None,
        nearest: best
            .into_iter()
            .map(|(id, miles)| offer(&content.groups[id as usize], Some(miles)))
            .collect(),
    })
}

/// The two e-mails a group's page offers the maintainers: "Report a problem with this
/// listing" (anyone) and "Update this listing" (the group, when there is no form).
#[derive(Debug, Clone, Serialize)]
pub struct ListingMail {
    /// Report a problem.
    pub problem: String,
    /// The group asks for a change.
    pub update: String,
}

/// [`ListingMail`] for group `g` at `page_url`.
pub fn listing_mail(maintainer_email: &str, g: &Group, page_url: &str) -> ListingMail {
    ListingMail {
        problem: mailto(
            maintainer_email,
            &format!("Problem with a listing: {}", g.slug),
            &format!(
                "Listing: {} ({page_url})\n\nWhat is wrong (a wrong number, a group that has stopped, anything else):\n\n",
                g.name
            ),
        ),
        update: mailto(
            maintainer_email,
            &format!("Update listing: {}", g.slug),
            &format!(
                "Listing: {} ({page_url})\n\nWhat should change:\n\nWho we are (so you can check it is us):\n\n",
                g.name
            ),
        ),
    }
}

/// A `mailto:` link percent-encoded the RFC 6068 way (`%20` for a space).
fn mailto(to: &str, subject: &str, body: &str) -> String {
    let enc = |s: &str| {
        url::form_urlencoded::byte_serialize(s.as_bytes())
            .collect::<String>()
            .replace('+', "%20")
    };
    format!(
        "{}?subject={}&body={}",
        crate::content::check::mailto(to),
        enc(subject),
        enc(body)
    )
}
