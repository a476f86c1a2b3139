//! The organisers' report: what the people who keep the directory should look at next.
//!
//! Three lists, from content that has already been loaded and checked:
//! - *stale* groups: `last_checked` is more than `stale_after_days` (site.yaml) ago;
//! - *likely duplicates*: two groups with the same phone number, the same e-mail
//!   address, or, near each other (`content::namesakes::near`, the rule `aidmap check`
//!   uses for one name twice), the same name or names so alike (Jaro-Winkler similarity
//!   of 0.92 or more after dropping case and punctuation) that one may be a second copy
//!   of the other; names that both carry numbers, and different ones ("Ward 3 Helpers",
//!   "Ward 4 Helpers"), are different groups, not look-alikes; namesakes far apart are
//!   not listed;
//! - *gaps*: residential postcode districts in site.yaml's `region` (areas expanded to
//!   their districts) that no running group covers, in whole or in part, with the place
//!   each is named after;
//! - *broken links*: what the last `aidmap check --links` found (its cache), when the
//!   directory has one.
//!
//! `aidmap report` prints it as text; the build publishes it as the `organisers/` page,
//! which shows the first [`PAGE_LIMIT`] entries of each list and says how many more the
//! command prints (a page of every pair in a national directory would be unreadable).

pub mod translations;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use jiff::civil::Date;
use serde::Serialize;

use crate::config::Config;
use crate::content::{areas, check, namesakes, Content, Group};

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
    /// Why they look alike, in words (English; [`Report::in_language`] writes it in a
    /// page's language).
    pub reason: String,
    /// Why they look alike, as data.
    #[serde(skip)]
    pub why: Vec<Reason>,
}

/// One reason two groups look alike.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    /// The same phone number, as the first group writes it.
    Phone(String),
    /// The same e-mail address.
    Email(String),
    /// The same name, near each other.
    SameName(String, namesakes::Near),
    /// Names so alike that one may be a copy of the other, near each other.
    SimilarNames(String, String, namesakes::Near),
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reason::Phone(p) => write!(f, "same phone number {p}"),
            Reason::Email(e) => write!(f, "same e-mail address {e}"),
            Reason::SameName(n, why) => write!(f, "the same name \"{n}\", {why}"),
            Reason::SimilarNames(a, b, why) => {
                write!(f, "similar names \"{a}\" and \"{b}\", {why}")
            }
        }
    }
}

/// A district with no group, and the place it is named after.
#[derive(Debug, Clone, Serialize)]
pub struct Gap {
    /// `NR14`.
    pub code: String,
    /// `Norwich` (empty when the geography names no place).
    pub place: String,
}

/// A link the last `aidmap check --links` found broken (from its cache).
#[derive(Debug, Clone, Serialize)]
pub struct BrokenLink {
    /// The group's slug.
    pub slug: String,
    /// The group's name.
    pub name: String,
    /// `website`, `facebook`, `whatsapp` or `email`.
    pub field: &'static str,
    /// The link as published.
    pub url: String,
    /// What the check found, in words (English; [`Report::in_language`] writes it in a
    /// page's language).
    pub found: String,
    /// The field in words (`website` until [`Report::in_language`]).
    pub what: String,
    /// A technical detail the checker wrote, in English ("answers 500 Internal Server
    /// Error"), kept apart on a page in another language; empty when there is none.
    pub detail: String,
    /// What the check found, as data.
    #[serde(skip)]
    pub verdict: crate::links::Verdict,
    /// The HTTP status it answered, when it did.
    #[serde(skip)]
    pub status: Option<u16>,
    /// When it was checked (YYYY-MM-DD).
    pub checked: String,
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
    /// `uncovered` with the place each district is named after (its post town or main
    /// place), for the organisers' page.
    pub gaps: Vec<Gap>,
    /// Broken links, from the cache of the last `aidmap check --links` (see
    /// [`Report::with_links`]), in group order.
    pub broken_links: Vec<BrokenLink>,
    /// The day of the latest link check in that cache; `None` when there is none.
    pub links_checked: Option<String>,
    /// How many residential districts the region has.
    pub region_size: usize,
    /// How many groups were looked at.
    pub groups: usize,
    /// Stale groups left off this copy of the report (see [`Report::first`]).
    pub stale_more: usize,
    /// Duplicate pairs left off this copy of the report.
    pub duplicates_more: usize,
    /// Broken links left off this copy of the report.
    pub broken_links_more: usize,
}

impl Report {
    /// The report in `lang`'s words, for the organisers' page in that language: why
    /// groups look alike, what a link check found and the kind of each link. The
    /// checker's own technical details stay English (`detail`).
    pub fn in_language(mut self, lang: &crate::i18n::Lang) -> Report {
        let date = |ymd: &str| ymd.parse::<Date>().ok().map(|d| lang.date(d));
        if let Some(today) = date(&self.today) {
            self.today_human = today;
        }
        for g in &mut self.stale {
            if let Some(d) = date(&g.last_checked) {
                g.last_checked_human = d;
            }
        }
        for d in &mut self.duplicates {
            let words: Vec<String> = d.why.iter().map(|r| reason_words(r, lang)).collect();
            d.reason = words.join(lang.text("org_reasons_sep"));
        }
        for b in &mut self.broken_links {
            (b.found, b.detail) = found_words(&b.verdict, b.status, lang);
            b.what = lang.text(&format!("org_link_{}", b.field)).to_string();
        }
        self
    }

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
            .filter(|g| g.status != crate::content::Status::Closed && !g.hidden)
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
        let uncovered: Vec<String> = region_districts
            .into_iter()
            .filter(|d| !covered.contains(d))
            .collect();
        let gaps = uncovered
            .iter()
            .map(|d| Gap {
                code: d.clone(),
                place: geo.district(d).map(|d| d.name.clone()).unwrap_or_default(),
            })
            .collect();

        Report {
            today: today.to_string(),
            today_human: check::human_date(today),
            stale_after_days: config.stale_after_days,
            stale,
            duplicates,
            uncovered,
            gaps,
            broken_links: Vec::new(),
            links_checked: None,
            region_size,
            groups: groups.len(),
            stale_more: 0,
            duplicates_more: 0,
            broken_links_more: 0,
        }
    }

    /// The report with the broken links of the last link check, read from its cache
    /// (`links::cache::read`): links the groups no longer have are left out.
    pub fn with_links(
        mut self,
        content: &Content,
        cache: &BTreeMap<String, crate::links::Checked>,
    ) -> Report {
        self.links_checked = cache
            .values()
            .map(|c| c.checked_at)
            .max()
            .and_then(|t| jiff::Timestamp::from_second(t).ok())
            .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date().to_string());
        if cache.is_empty() {
            return self;
        }
        for g in &content.groups {
            for link in crate::links::group_links(g) {
                let Some(checked) = cache.get(&link.target()) else {
                    continue;
                };
                if !checked.verdict.broken() {
                    continue;
                }
                let found = crate::links::found_words(checked).unwrap_or_default();
                self.broken_links.push(BrokenLink {
                    slug: g.slug.clone(),
                    name: g.name.clone(),
                    field: link.kind.field(),
                    what: link.kind.field().to_string(),
                    url: link.url.clone(),
                    found,
                    detail: String::new(),
                    verdict: checked.verdict.clone(),
                    status: checked.status,
                    checked: jiff::Timestamp::from_second(checked.checked_at)
                        .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date().to_string())
                        .unwrap_or_default(),
                });
            }
        }
        self
    }

    /// The report with at most `limit` stale groups and `limit` duplicate pairs, counting
    /// those left off (for the organisers' page).
    pub fn first(mut self, limit: usize) -> Report {
        self.stale_more += self.stale.len().saturating_sub(limit);
        self.stale.truncate(limit);
        self.duplicates_more += self.duplicates.len().saturating_sub(limit);
        self.duplicates.truncate(limit);
        self.broken_links_more += self.broken_links.len().saturating_sub(limit);
        self.broken_links.truncate(limit);
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
                s.name, s.slug, s.last_checked_human, s.days
            );
        }
        let _ = writeln!(out, "\nLikely duplicates ({}):", self.duplicates.len());
        if self.duplicates.is_empty() {
            out.push_str("  none\n");
        }
        for d in &self.duplicates {
            let _ = writeln!(out, "  {} and {}: {}", d.a, d.b, d.reason);
        }
        if let Some(day) = &self.links_checked {
            let _ = writeln!(
                out,
                "\nBroken links at the last link check, {day} ({}):",
                self.broken_links.len()
            );
            if self.broken_links.is_empty() {
                out.push_str("  none\n");
            }
            for b in &self.broken_links {
                let _ = writeln!(out, "  {} ({}): {}", b.name, b.slug, b.found);
            }
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
        // One name in two postcode areas may still be near (across the border).
        buckets
            .entry(format!("name:{}", crate::content::name_key(&g.name)))
            .or_default()
            .push(i);
    }
    // Name keys once per group, not once per pair: the one `aidmap check` compares, then
    // this report's own (words kept apart) for the likeness of names.
    let keys: Vec<(String, String)> = groups
        .iter()
        .map(|g| {
            (
                crate::content::name_key(&g.name),
                namesakes::words_key(&g.name),
            )
        })
        .collect();
    // Every pair within a bucket, on both cores; a pair sharing several buckets is
    // compared in each and kept once. No list of pairs is made: at 50,000 groups a
    // postcode area holds thousands of groups, and a set of every pair took gigabytes.
    let found: Vec<((usize, usize), Vec<Reason>)> = buckets
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
    let by_pair: BTreeMap<(usize, usize), Vec<Reason>> = found.into_iter().collect();
    by_pair
        .into_iter()
        .map(|((i, j), why)| Duplicate {
            a: groups[i].slug.clone(),
            b: groups[j].slug.clone(),
            reason: why
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
            why,
        })
        .collect()
}

fn alike(
    (a, (a_same, a_key)): (&Group, &(String, String)),
    (b, (b_same, b_key)): (&Group, &(String, String)),
) -> Option<Vec<Reason>> {
    let mut reasons = Vec::new();
    if let (Some(x), Some(y)) = (&a.contact.phone_tel, &b.contact.phone_tel) {
        if x == y {
            let shown = a.contact.phone.as_deref().unwrap_or(x);
            reasons.push(Reason::Phone(shown.to_string()));
        }
    }
    if let (Some(x), Some(y)) = (&a.contact.email, &b.contact.email) {
        if x.eq_ignore_ascii_case(y) {
            reasons.push(Reason::Email(x.clone()));
        }
    }
    let same_name = a_same == b_same;
    if same_name || namesakes::names_alike(a_key, b_key) {
        // Namesakes far apart are two groups: the rule `aidmap check` uses.
        if let Some(why) = namesakes::near_why(a, b) {
            reasons.push(if same_name {
                Reason::SameName(a.name.clone(), why)
            } else {
                Reason::SimilarNames(a.name.clone(), b.name.clone(), why)
            });
        }
    }
    (!reasons.is_empty()).then_some(reasons)
}

/// A reason two groups look alike, in `lang`'s words.
fn reason_words(r: &Reason, lang: &crate::i18n::Lang) -> String {
    let near = |n: &namesakes::Near| match n {
        namesakes::Near::Both(d) => lang.fill("org_near_both", &[("code", d)]),
        namesakes::Near::Miles(m) => lang.fill("org_near_miles", &[("miles", m)]),
        namesakes::Near::Neighbours(x, y) => {
            lang.fill("org_near_neighbours", &[("a", x), ("b", y)])
        }
    };
    match r {
        Reason::Phone(p) => lang.fill("org_why_phone", &[("phone", p)]),
        Reason::Email(e) => lang.fill("org_why_email", &[("email", e)]),
        Reason::SameName(n, why) => {
            lang.fill("org_why_same_name", &[("name", n), ("near", &near(why))])
        }
        Reason::SimilarNames(a, b, why) => lang.fill(
            "org_why_similar",
            &[("a", a), ("b", b), ("near", &near(why))],
        ),
    }
}

/// What a link check found, in `lang`'s words, and the checker's own English detail.
fn found_words(
    v: &crate::links::Verdict,
    status: Option<u16>,
    lang: &crate::i18n::Lang,
) -> (String, String) {
    use crate::links::Verdict;
    let word = |k: &str| lang.text(k).to_string();
    match v {
        Verdict::Ok => (String::new(), String::new()),
        Verdict::Moved { to } => (lang.fill("org_found_moved", &[("to", to)]), String::new()),
        Verdict::LoginWall => (word("org_found_login"), String::new()),
        Verdict::Refused => (word("org_found_refused"), String::new()),
        // The status as HTTP says it, as `aidmap check --links` does.
        Verdict::Dead => {
            let status = match status {
                Some(410) => "410 Gone",
                _ => "404 Not Found",
            };
            (
                lang.fill("org_found_dead", &[("status", status)]),
                String::new(),
            )
        }
        Verdict::NoHost => (word("org_found_nohost"), String::new()),
        Verdict::NoDomain => (word("org_found_nodomain"), String::new()),
        Verdict::Failing { why } | Verdict::Unreachable { why } => {
            (word("org_found_failing"), why.clone())
        }
        Verdict::NotChecked { why } => (word("org_found_not_checked"), why.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The organisers' page in Welsh says why groups look alike and what a link check
    /// found in Welsh; English says what `aidmap report` prints.
    #[test]
    fn reasons_and_findings_are_said_in_the_page_language() {
        let cy = crate::i18n::welsh();
        let en = crate::i18n::english();
        let why = Reason::SimilarNames(
            "A".into(),
            "B".into(),
            namesakes::Near::Neighbours("NR2".into(), "NR3".into()),
        );
        assert_eq!(reason_words(&why, en), why.to_string());
        assert_eq!(
            reason_words(&why, &cy),
            "enwau tebyg \"A\" a \"B\", mae NR2 a NR3 yn gymdogion"
        );
        let dead = crate::links::Verdict::Dead;
        assert_eq!(
            found_words(&dead, Some(410), &cy).0,
            "wedi mynd: mae'r wefan yn ateb 410 Gone"
        );
        let failing = crate::links::Verdict::Failing {
            why: "answers 500 Internal Server Error".into(),
        };
        assert_eq!(
            found_words(&failing, Some(500), &cy),
            (
                "nid yw'n gweithio:".to_string(),
                "answers 500 Internal Server Error".to_string()
            )
        );
    }
}
