//! The organisers' report: what the people who keep the directory should look at next.
//!
//! Three lists, from content that has already been loaded and checked:
//! - *stale* groups: `last_checked` is more than `stale_after_days` (site.yaml) ago;
//! - *likely duplicates*: two groups with the same phone number, the same e-mail
//!   address, or names so alike (Jaro-Winkler similarity of 0.92 or more after dropping
//!   case and punctuation) that one may be a second copy of the other;
//! - *gaps*: residential postcode districts in site.yaml's `region` (areas expanded to
//!   their districts) that no running group covers, in whole or in part.
//!
//! `aidmap report` prints it as text; the build publishes it as the `organisers/` page.

use std::fmt::Write as _;

use jiff::civil::Date;
use serde::Serialize;

use crate::config::Config;
use crate::content::{areas, check, Content, Group};

/// Names at least this similar (0 to 1) are reported as possible duplicates.
pub const NAME_SIMILARITY: f64 = 0.92;

/// A group not confirmed for a while.
#[derive(Debug, Clone, Serialize)]
pub struct StaleGroup {
    /// The group's slug.
    pub slug: String,
    /// The group's name.
    pub name: String,
    /// When it was last confirmed (YYYY-MM-DD).
    pub last_checked: String,
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
                    days,
                })
            })
            .collect();
        stale.sort_by(|a, b| b.days.cmp(&a.days).then(a.slug.cmp(&b.slug)));

        // Name keys once per group, not once per pair: the pair loop is quadratic, and
        // making the keys inside it was most of a 5,000-group build (bench/README.md).
        let keys: Vec<String> = groups.iter().map(|g| name_key(&g.name)).collect();
        let mut duplicates = Vec::new();
        for (i, a) in groups.iter().enumerate() {
            for (j, b) in groups.iter().enumerate().skip(i + 1) {
                if let Some(reason) = alike((a, &keys[i]), (b, &keys[j])) {
                    duplicates.push(Duplicate {
                        a: a.slug.clone(),
                        b: b.slug.clone(),
                        reason,
                    });
                }
            }
        }

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
            stale_after_days: config.stale_after_days,
            stale,
            duplicates,
            uncovered,
            region_size,
            groups: groups.len(),
        }
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
    let similarity = strsim::jaro_winkler(a_key, b_key);
    if similarity >= NAME_SIMILARITY {
        reasons.push(format!("similar names \"{}\" and \"{}\"", a.name, b.name));
    }
    (!reasons.is_empty()).then(|| reasons.join("; "))
}
