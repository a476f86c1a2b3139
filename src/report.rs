//! The organisers' report: what the people who keep the directory should look at next.
//!
//! Three lists, from content that has already been loaded and checked:
//! - *stale* groups: `last_checked` is more than `stale_after_days` (site.yaml) ago;
//! - *likely duplicates*: two groups with the same phone number, the same e-mail
//!   address, or, within one postcode area, names so alike (Jaro-Winkler similarity of
//!   0.92 or more after dropping case and punctuation) that one may be a second copy of
//!   the other; names that both carry numbers, and different ones ("Ward 3 Helpers",
//!   "Ward 4 Helpers"), are different groups, not look-alikes;
//! - *gaps*: residential postcode districts in site.yaml's `region` (areas expanded to
//!   their districts) that no running group covers, in whole or in part.
//!
//! `aidmap report` prints it as text; the build publishes it as the `organisers/` page,
//! which shows the first [`PAGE_LIMIT`] entries of each list and says how many more the
//! command prints (a page of every pair in a national directory would be unreadable).

use std::fmt::Write as _;

use jiff::civil::Date;
use serde::Serialize;

use crate::config::Config;
use crate::content::{areas, check, Content, Group};

/// Names at least this similar (0 to 1) are reported as possible duplicates.
pub const NAME_SIMILARITY: f64 = 0.92;

/// How many entries of each list the organisers' page shows.
pub const PAGE_LIMIT: usize = 200;

/// A group not confirmed for a while.
#[derive(Debug, Clone, Serialize)]
pub struct StaleGroup {
    /// The group's slug.
    pub slug: String,
    /// The group's name.
    pub name: String,
    /// When it was last confirmed (YYYY-MM-DD).
    pub last_checked: String,
    /// The same as pages write dates ("2 January 2026").
    pub last_checked_human: String,
    /// Days since then.
    pub days: i64,
}

/// Two groups that may be one.
#[derive(Debug, Clone, Serialize)]
pub struct Duplicate {
    /// Slug of the first group (alphabetical).
    pub a: String,
    /// Slug of the second group.
    pub b: String,
    /// Why they look alike, in words.
    pub reason: String,
}

/// What organisers should look at next.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The date the report treats as today.
    pub today: String,
    /// The same as pages write dates.
    pub today_human: String,
    /// The site's staleness limit in days.
    pub stale_after_days: u32,
    /// Groups not confirmed within `stale_after_days`, oldest first.
    pub stale: Vec<StaleGroup>,
    /// Likely duplicate pairs.
    pub duplicates: Vec<Duplicate>,
    /// Residential districts of site.yaml's `region` that no running group covers.
    pub uncovered: Vec<String>,
    /// How many residential districts the region has.
    pub region_size: usize,
    /// How many groups were looked at.
    pub groups: usize,
    /// Stale groups left off this copy of the report (see [`Report::first`]).
    pub stale_more: usize,
    /// Duplicate pairs left off this copy of the report.
    pub duplicates_more: usize,
}

fn name_key(name: &str) -> String {
    name.to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ')
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

impl Report {
    /// Builds the report from checked content.
    pub fn new(config: &Config, content: &Content, today: Date) -> Report {
        let groups = &content.groups;
        let mut stale: Vec<StaleGroup> = groups
            .iter()
            .filter_map(|g| {
                let days = check::days_between(g.last_checked, today);
                (days > i64::from(config.stale_after_days)).then(|| StaleGroup {
                    slug: g.slug.clone(),
                    name: g.name.clone(),
                    last_checked: g.last_checked.to_string(),
                    last_checked_human: check::human_date(g.last_checked),
                    days,
                })
            })
            .collect();
        stale.sort_by(|a, b| b.days.cmp(&a.days).then(a.slug.cmp(&b.slug)));

        let duplicates = likely_duplicates(groups);

        let geo = crate::geo::geography();
        let covered: std::collections::HashSet<String> = groups
            .iter()
            .filter(|g| g.status != crate::content::Status::Closed)
            .flat_map(|g| g.districts())
            .collect();
        let mut region_districts: Vec<String> = Vec::new();
        for r in &config.region {
            if areas::area_of(r) == r.as_str() {
                region_districts.extend(
                    geo.districts_in_area(r)
                        .filter(|d| !d.large_user_only)
                        .map(|d| d.code.clone()),
                );
            } else {
                region_districts.push(r.clone());
            }
        }
        let mut seen = std::collections::HashSet::new();
        region_districts.retain(|d| seen.insert(d.clone()));
        let region_size = region_districts.len();
        let uncovered = region_districts
            .into_iter()
            .filter(|d| !covered.contains(d))
            .collect();

        Report {
            today: today.to_string(),
            today_human: check::human_date(today),
            stale_after_days: config.stale_after_days,
            stale,
            duplicates,
            uncovered,
            region_size,
            groups: groups.len(),
            stale_more: 0,
            duplicates_more: 0,
        }
    }

    /// The report with at most `limit` stale groups and `limit` duplicate pairs, counting
    /// those left off (for the organisers' page).
    pub fn first(mut self, limit: usize) -> Report {
        self.stale_more += self.stale.len().saturating_sub(limit);
        self.stale.truncate(limit);
        self.duplicates_more += self.duplicates.len().saturating_sub(limit);
        self.duplicates.truncate(limit);
        self
    }

    /// The report as `aidmap report` prints it.
    pub fn render_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "Report for {} ({} groups)\n", self.today, self.groups);
        let _ = writeln!(
            out,
            "Not checked in the last {} days ({}):",
            self.stale_after_days,
            self.stale.len()
        );
        if self.stale.is_empty() {
            out.push_str("  none\n");
        }
        for s in &self.stale {
            let _ = writeln!(
                out,
                "  {} ({}): last checked {}, {} days ago",
                s.name, s.slug, s.last_checked, s.days
            );
        }
        let _ = writeln!(out, "\nLikely duplicates ({}):", self.duplicates.len());
        if self.duplicates.is_empty() {
            out.push_str("  none\n");
        }
        for d in &self.duplicates {
            let _ = writeln!(out, "  {} and {}: {}", d.a, d.b, d.reason);
        }
        if self.region_size == 0 {
            out.push_str("\nNo `region` in site.yaml, so gaps are not reported.\n");
        } else {
            let _ = writeln!(
                out,
                "\nDistricts in the region with no group ({} of {}):",
                self.uncovered.len(),
                self.region_size
            );
            if self.uncovered.is_empty() {
                out.push_str("  none\n");
            } else {
                let _ = writeln!(out, "  {}", self.uncovered.join(", "));
            }
        }
        out
    }
}

/// Why two groups look like one, if they do. Each group comes with its `name_key`.
/// Every pair of groups that may be one, in file order.
///
/// Comparing every pair is quadratic: 12.5 million pairs at 5,000 groups, most of a
/// national build (bench/README.md). So only *candidate* pairs are compared: groups that
/// share a phone number or an e-mail address (found by hashing), and, for similar names,
/// groups that share a postcode area. Two "Riverside Mutual Aid" groups at opposite ends
/// of the country are not a duplicate an organiser needs to hear about.
fn likely_duplicates(groups: &[Group]) -> Vec<Duplicate> {
    use rayon::prelude::*;
    use std::collections::{BTreeMap, HashMap};
    let mut buckets: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, g) in groups.iter().enumerate() {
        if let Some(tel) = &g.contact.phone_tel {
            buckets.entry(format!("tel:{tel}")).or_default().push(i);
        }
        if let Some(email) = &g.contact.email {
            buckets
                .entry(format!("mail:{}", email.to_ascii_lowercase()))
                .or_default()
                .push(i);
        }
        let areas = g.postcode_areas();
        if areas.is_empty() {
            buckets.entry("area:".into()).or_default().push(i);
        }
        for a in areas {
            buckets.entry(format!("area:{a}")).or_default().push(i);
        }
    }
    // Name keys once per group, not once per pair.
    let keys: Vec<String> = groups.iter().map(|g| name_key(&g.name)).collect();
    // Every pair within a bucket, on both cores; a pair sharing several buckets is
    // compared in each and kept once. No list of pairs is made: at 50,000 groups a
    // postcode area holds thousands of groups, and a set of every pair took gigabytes.
    let found: Vec<((usize, usize), String)> = buckets
        .par_iter()
        .flat_map_iter(|(_, members)| {
            let keys = &keys;
            members.iter().enumerate().flat_map(move |(n, &i)| {
                members[n + 1..].iter().filter_map(move |&j| {
                    let (i, j) = (i.min(j), i.max(j));
                    alike((&groups[i], &keys[i]), (&groups[j], &keys[j]))
                        .map(|reason| ((i, j), reason))
                })
            })
        })
        .collect();
    let by_pair: BTreeMap<(usize, usize), String> = found.into_iter().collect();
    by_pair
        .into_iter()
        .map(|((i, j), reason)| Duplicate {
            a: groups[i].slug.clone(),
            b: groups[j].slug.clone(),
            reason,
        })
        .collect()
}

fn alike((a, a_key): (&Group, &str), (b, b_key): (&Group, &str)) -> Option<String> {
    let mut reasons = Vec::new();
    if let (Some(x), Some(y)) = (&a.contact.phone_tel, &b.contact.phone_tel) {
        if x == y {
            let shown = a.contact.phone.as_deref().unwrap_or(x);
            reasons.push(format!("same phone number {shown}"));
        }
    }
    if let (Some(x), Some(y)) = (&a.contact.email, &b.contact.email) {
        if x.eq_ignore_ascii_case(y) {
            reasons.push(format!("same e-mail address {x}"));
        }
    }
    let numbers = |key: &str| -> Vec<String> {
        key.split(|c: char| !c.is_ascii_digit())
            .filter(|n| !n.is_empty())
            .map(|n| n.trim_start_matches('0').to_string())
            .collect()
    };
    let (na, nb) = (numbers(a_key), numbers(b_key));
    let numbered_apart = !na.is_empty() && !nb.is_empty() && na != nb;
    if !numbered_apart && strsim::jaro_winkler(a_key, b_key) >= NAME_SIMILARITY {
        reasons.push(format!("similar names \"{}\" and \"{}\"", a.name, b.name));
    }
    (!reasons.is_empty()).then(|| reasons.join("; "))
}
