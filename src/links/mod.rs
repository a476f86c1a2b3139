//! `aidmap check --links`: is every group's website, Facebook page, WhatsApp invite and
//! e-mail domain still there?
//!
//! The links are gathered from the loaded groups with the line each is written on,
//! checked a few at a time (one host at a time per worker, with a pause between two
//! requests to one host, so no site is hammered; a redirect to another host is followed
//! at once), and each result is kept in a cache
//! file outside the published folder ([`cache`], `.aidmap-cache/links.json`) so the next
//! run asks again only about links not checked lately. The HTTP side is in [`fetch`].
//!
//! Words used here: a *target* is what is checked (a web address, or an e-mail
//! address's domain); a *verdict* is what the check found. A link that needs a login
//! to see (most Facebook groups, WhatsApp invites) is its own verdict, never "dead".

pub mod cache;
pub mod fetch;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::content::{Content, Group};
use crate::diagnostics::{locate, Diagnostic};

pub use fetch::Lookup;

/// Which contact field a link is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// `contact.website`.
    Website,
    /// `contact.facebook`.
    Facebook,
    /// `contact.whatsapp`.
    Whatsapp,
    /// `contact.email` (its domain is checked).
    Email,
}

impl Kind {
    /// The field's name in a group file.
    pub fn field(self) -> &'static str {
        match self {
            Kind::Website => "website",
            Kind::Facebook => "facebook",
            Kind::Whatsapp => "whatsapp",
            Kind::Email => "email",
        }
    }
}

/// What checking a target found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    /// It answers.
    Ok,
    /// It answers, at another address after one or more redirects.
    Moved {
        /// Where the redirects ended.
        to: String,
    },
    /// Only a signed-in person can see it, so it cannot be checked (not dead).
    LoginWall,
    /// The site refuses automatic checks (403 or 429): open it by hand.
    Refused,
    /// 404 Not Found or 410 Gone.
    Dead,
    /// The website's name does not exist any more.
    NoHost,
    /// The e-mail address's domain has no address in the DNS.
    NoDomain,
    /// Any other error status, or a redirect that goes wrong.
    Failing {
        /// What happened, in words.
        why: String,
    },
    /// No answer: a timeout, a reset or refused connection, a broken TLS set-up.
    Unreachable {
        /// What happened, in words.
        why: String,
    },
    /// Deliberately not checked.
    NotChecked {
        /// Why.
        why: String,
    },
}

impl Verdict {
    /// True when the link most likely no longer leads to the group.
    pub fn broken(&self) -> bool {
        matches!(
            self,
            Verdict::Dead
                | Verdict::NoHost
                | Verdict::NoDomain
                | Verdict::Failing { .. }
                | Verdict::Unreachable { .. }
        )
    }

    /// A short name for summaries and JSON: `ok`, `moved`, `login_wall`, …
    pub fn name(&self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Moved { .. } => "moved",
            Verdict::LoginWall => "login_wall",
            Verdict::Refused => "refused",
            Verdict::Dead => "dead",
            Verdict::NoHost => "no_host",
            Verdict::NoDomain => "no_domain",
            Verdict::Failing { .. } => "failing",
            Verdict::Unreachable { .. } => "unreachable",
            Verdict::NotChecked { .. } => "not_checked",
        }
    }
}

/// One target's result, as the cache keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checked {
    /// What was found.
    #[serde(flatten)]
    pub verdict: Verdict,
    /// The last HTTP status seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Each address a redirect led to, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub redirects: Vec<String>,
    /// When, in seconds since 1970 (UTC).
    pub checked_at: i64,
}

/// A link in a group file.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// The group file, relative to the directory.
    pub path: PathBuf,
    /// Line of the link in it (1-based; 0 when not found).
    pub line: usize,
    /// Column.
    pub column: usize,
    /// The group's slug.
    pub group: String,
    /// Which field.
    pub kind: Kind,
    /// The address as published (for e-mail, the address).
    pub url: String,
}

impl Link {
    /// What is checked: the address, or `mail:` and the e-mail domain.
    pub fn target(&self) -> String {
        match self.kind {
            Kind::Email => format!(
                "mail:{}",
                self.url
                    .rsplit('@')
                    .next()
                    .unwrap_or_default()
                    .to_ascii_lowercase()
            ),
            _ => self.url.clone(),
        }
    }
}

/// A link and what its check found.
#[derive(Debug, Clone, Serialize)]
pub struct LinkResult {
    /// The link.
    #[serde(flatten)]
    pub link: Link,
    /// The result.
    #[serde(flatten)]
    pub checked: Checked,
    /// Days since it was checked (0 for this run).
    pub age_days: i64,
    /// True when the result came from the cache, not from this run.
    pub from_cache: bool,
}

/// How a check runs.
#[derive(Debug, Clone)]
pub struct LinkOptions {
    /// How names are looked up ([`Lookup::System`] outside tests).
    pub lookup: Lookup,
    /// Most time one request may take.
    pub timeout: Duration,
    /// Pause between two requests to one host.
    pub host_delay: Duration,
    /// Requests at once (each to a different host).
    pub workers: usize,
    /// A cached result younger than this is used instead of asking again.
    pub reuse_for: Duration,
    /// Now, in seconds since 1970.
    pub now: i64,
}

impl Default for LinkOptions {
    fn default() -> Self {
        LinkOptions {
            lookup: Lookup::System,
            timeout: Duration::from_secs(15),
            host_delay: Duration::from_secs(1),
            workers: 4,
            reuse_for: Duration::from_secs(3 * 24 * 3600),
            now: now(),
        }
    }
}

/// Now, in seconds since 1970.
pub fn now() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// A group's links, unlocated (path empty, line and column 0).
pub fn group_links(g: &Group) -> Vec<Link> {
    let c = &g.contact;
    [
        (Kind::Website, &c.website),
        (Kind::Facebook, &c.facebook),
        (Kind::Whatsapp, &c.whatsapp),
        (Kind::Email, &c.email),
    ]
    .into_iter()
    .filter_map(|(kind, value)| {
        Some(Link {
            path: PathBuf::new(),
            line: 0,
            column: 0,
            group: g.slug.clone(),
            kind,
            url: value.clone()?,
        })
    })
    .collect()
}

/// Every link of every group, located in its file.
pub fn gather(root: &Path, content: &Content) -> Vec<Link> {
    let mut out = Vec::new();
    for g in &content.groups {
        let (path, source) = group_source(root, &g.slug);
        for mut link in group_links(g) {
            (link.line, link.column) = source
                .as_deref()
                .map_or((0, 0), |s| locate(s, &["contact", link.kind.field()], None));
            link.path = path.clone();
            out.push(link);
        }
    }
    out
}

/// A group's file (relative) and its text, read through [`crate::tree`].
fn group_source(root: &Path, slug: &str) -> (PathBuf, Option<String>) {
    for ext in ["yaml", "yml"] {
        let rel = PathBuf::from(format!("content/groups/{slug}.{ext}"));
        if crate::tree::check_inside(root, &rel).is_ok() && root.join(&rel).is_file() {
            let text = crate::content::read_text(&root.join(&rel), &rel).ok();
            return (rel, text);
        }
    }
    (PathBuf::from(format!("content/groups/{slug}.yaml")), None)
}

/// Checks every link (reusing recent results from `cached`), returns each link's result
/// and the results to cache.
pub fn check(
    links: &[Link],
    cached: &BTreeMap<String, Checked>,
    options: &LinkOptions,
) -> (Vec<LinkResult>, BTreeMap<String, Checked>) {
    let fresh = |c: &Checked| {
        options.now.saturating_sub(c.checked_at) < options.reuse_for.as_secs() as i64
            && c.checked_at <= options.now
    };
    // The targets to ask about, by host, so one worker asks one host at a time.
    let mut by_host: BTreeMap<String, Vec<(String, Kind)>> = BTreeMap::new();
    let mut seen = std::collections::HashSet::new();
    for l in links {
        let target = l.target();
        if cached.get(&target).is_some_and(fresh) || !seen.insert(target.clone()) {
            continue;
        }
        let host = match l.kind {
            Kind::Email => target.clone(),
            _ => url::Url::parse(&target)
                .ok()
                .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
                .unwrap_or_default(),
        };
        by_host.entry(host).or_default().push((target, l.kind));
    }
    let queue = Mutex::new(by_host.into_values().collect::<Vec<_>>());
    let found: Mutex<HashMap<String, Checked>> = Mutex::new(HashMap::new());
    let client = fetch::Client::new(options.lookup.clone(), options.timeout);
    std::thread::scope(|s| {
        for _ in 0..options.workers.max(1) {
            s.spawn(|| loop {
                let Some(batch) = queue.lock().unwrap_or_else(|e| e.into_inner()).pop() else {
                    break;
                };
                for (n, (target, kind)) in batch.into_iter().enumerate() {
                    if n > 0 {
                        std::thread::sleep(options.host_delay);
                    }
                    let answer = match kind {
                        Kind::Email => client.mail_domain(target.trim_start_matches("mail:")),
                        _ => client.web(kind, &target),
                    };
                    let checked = Checked {
                        verdict: answer.verdict,
                        status: answer.status,
                        redirects: answer.redirects,
                        checked_at: options.now,
                    };
                    found
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .insert(target, checked);
                }
            });
        }
    });
    let found = found.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut keep = BTreeMap::new();
    let results = links
        .iter()
        .filter_map(|l| {
            let target = l.target();
            let (checked, from_cache) = match found.get(&target) {
                Some(c) => (c.clone(), false),
                None => (cached.get(&target)?.clone(), true),
            };
            keep.insert(target, checked.clone());
            Some(LinkResult {
                link: l.clone(),
                age_days: options.now.saturating_sub(checked.checked_at).max(0) / 86_400,
                checked,
                from_cache,
            })
        })
        .collect();
    (results, keep)
}

/// "checked today", "checked 3 days ago".
fn age_words(days: i64) -> String {
    match days {
        0 => "checked today".into(),
        1 => "checked yesterday".into(),
        n => format!("checked {n} days ago"),
    }
}

/// What a check found, in words ("is gone: the site answers 410 Gone"); `None` when the
/// link is fine.
pub fn found_words(checked: &Checked) -> Option<String> {
    Some(match &checked.verdict {
        Verdict::Ok => return None,
        Verdict::Moved { to } => format!("moves to `{to}`"),
        Verdict::LoginWall => {
            "cannot be checked without a login (not a sign that it is dead)".into()
        }
        Verdict::Refused => "refuses automatic checks".into(),
        Verdict::Dead => format!(
            "is gone: the site answers {}",
            match checked.status {
                Some(410) => "410 Gone",
                _ => "404 Not Found",
            }
        ),
        Verdict::NoHost => "goes to a website name that does not exist".into(),
        Verdict::NoDomain => {
            "has no address in the DNS (A or AAAA; MX is not looked up), so mail to it may bounce"
                .into()
        }
        Verdict::Failing { why } | Verdict::Unreachable { why } => why.clone(),
        Verdict::NotChecked { why } => format!("was not checked: {why}"),
    })
}

/// What a result says, in a sentence: `None` when the link is fine.
pub fn message(r: &LinkResult) -> Option<String> {
    let what = match r.link.kind {
        Kind::Email => format!(
            "e-mail domain `{}`",
            r.link.target().trim_start_matches("mail:")
        ),
        kind => format!("{} link `{}`", kind.field(), r.link.url),
    };
    let said = found_words(&r.checked)?;
    Some(format!("{what} {said} ({})", age_words(r.age_days)))
}

/// What to do about a result.
fn hint(r: &LinkResult) -> &'static str {
    match &r.checked.verdict {
        Verdict::Moved { .. } => "if the new address is the group's, write it in the file",
        Verdict::LoginWall | Verdict::Refused | Verdict::NotChecked { .. } => {
            "open it yourself, or ask the group"
        }
        Verdict::Unreachable { .. } => {
            "it may be down for a while: check again in a few days, then ask the group"
        }
        _ => "ask the group for its new address, or remove the link",
    }
}

/// A located warning for each broken or moved link, each login wall and refusal, in the
/// order of the links.
pub fn diagnostics(results: &[LinkResult]) -> Vec<Diagnostic> {
    results
        .iter()
        .filter_map(|r| {
            let msg = message(r)?;
            Some(
                Diagnostic::warning(&r.link.path, (r.link.line, r.link.column), msg)
                    .with_hint(hint(r)),
            )
        })
        .collect()
}

/// The closing line: how many links, how many from the cache, how many of each verdict.
pub fn summary(results: &[LinkResult]) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for r in results {
        let words = match r.checked.verdict {
            Verdict::Ok => "fine",
            Verdict::Moved { .. } => "moved",
            Verdict::LoginWall => "need a login to check",
            Verdict::Refused => "refuse checks",
            Verdict::Dead => "gone",
            Verdict::NoHost => "no such website",
            Verdict::NoDomain => "e-mail domain not found",
            Verdict::Failing { .. } => "failing",
            Verdict::Unreachable { .. } => "unreachable",
            Verdict::NotChecked { .. } => "not checked",
        };
        *counts.entry(words).or_default() += 1;
    }
    let cached = results.iter().filter(|r| r.from_cache).count();
    let broken = results
        .iter()
        .filter(|r| r.checked.verdict.broken())
        .count();
    let parts: Vec<String> = counts.iter().map(|(k, n)| format!("{n} {k}")).collect();
    format!(
        "links: {} checked ({} from the cache), {} broken; {}",
        results.len(),
        cached,
        broken,
        parts.join(", ")
    )
}

/// The whole of `aidmap check --links` after loading: gathers the links, checks them
/// (reusing the cache in `root`) and writes the cache back. Returns every link's result.
pub fn run(
    root: &Path,
    content: &Content,
    options: &LinkOptions,
) -> anyhow::Result<Vec<LinkResult>> {
    let links = gather(root, content);
    let (results, keep) = check(&links, &cache::read(root), options);
    cache::write(root, &keep)?;
    Ok(results)
}
