//! `aidmap report --stale --format json`: every group past `stale_after_days`, with what
//! the keep-alive workflow (`.github/workflows/keep-alive.yml`, written by `aidmap init`)
//! needs to open or update one issue per group asking it to confirm.
//!
//! The text is made here, not in the workflow, so no group's words pass through
//! a shell: the workflow only hands `title` and `body` to `gh` as whole arguments and
//! finds an existing issue by its *marker*, an HTML comment (`<!-- aidmap-stale:SLUG -->`)
//! at the top of the body that a slug (lowercase letters, digits, dashes) cannot break.

use jiff::civil::Date;
use serde::Serialize;

use crate::config::Config;
use crate::content::{Content, Group};
use crate::report::Report;

/// One stale group and its issue.
#[derive(Debug, Clone, Serialize)]
pub struct StaleRequest {
    /// The group's slug.
    pub slug: String,
    /// Its name.
    pub name: String,
    /// When it was last confirmed (YYYY-MM-DD).
    pub last_checked: String,
    /// Days since then.
    pub days: i64,
    /// Its page on the published site.
    pub page: String,
    /// The one-click "we are still running" link (a prefilled issue of the "Add your
    /// group" form), when site.yaml names the `repository`.
    pub confirm: Option<String>,
    /// The same for "we have paused" and "we have stopped".
    pub paused: Option<String>,
    /// See `paused`.
    pub closed: Option<String>,
    /// The marker that finds this group's issue again.
    pub marker: String,
    /// The title.
    pub title: String,
    /// The Markdown body, starting with the marker.
    pub body: String,
}

/// The document `aidmap report --stale --format json` prints.
#[derive(Debug, Clone, Serialize)]
pub struct StaleList {
    /// The date treated as today.
    pub today: String,
    /// site.yaml's `stale_after_days`.
    pub stale_after_days: u32,
    /// The label every keep-alive issue carries.
    pub label: &'static str,
    /// Oldest first.
    pub stale: Vec<StaleRequest>,
}

/// The label of keep-alive issues.
pub const LABEL: &str = "still running?";

/// The marker of `slug`'s issue.
pub fn marker(slug: &str) -> String {
    format!("<!-- aidmap-stale:{slug} -->")
}

/// Text shown as inline code in Markdown, so a name cannot mention, link or format.
fn code(text: &str) -> String {
    format!("`{}`", text.replace('`', "'"))
}

/// Every stale group, oldest first, with its issue.
pub fn list(config: &Config, content: &Content, today: Date) -> StaleList {
    let report = Report::new(config, content, today);
    let maintainer = config.maintainers.as_ref().and_then(|m| m.email.as_deref());
    let stale = report
        .stale
        .iter()
        .filter_map(|s| {
            let i = content
                .groups
                .binary_search_by(|g| g.slug.as_str().cmp(&s.slug))
                .ok()?;
            let g = &content.groups[i];
            let links = config
                .repository
                .as_deref()
                .map(|r| crate::intake::links::for_group(r, maintainer, g));
            let page = format!("{}groups/{}/", config.base_url, g.slug);
            let mut request = StaleRequest {
                slug: g.slug.clone(),
                name: g.name.clone(),
                last_checked: s.last_checked.clone(),
                days: s.days,
                page,
                confirm: links.as_ref().map(|l| l.confirm.clone()),
                paused: links.as_ref().map(|l| l.paused.clone()),
                closed: links.as_ref().map(|l| l.closed.clone()),
                marker: marker(&g.slug),
                title: format!("Still running? {}", g.slug),
                body: String::new(),
            };
            request.body = body(config, g, &request);
            Some(request)
        })
        .collect();
    StaleList {
        today: report.today,
        stale_after_days: config.stale_after_days,
        label: LABEL,
        stale,
    }
}

/// The issue asking a group to confirm.
fn body(config: &Config, g: &Group, r: &StaleRequest) -> String {
    let mut out = format!(
        "{}\n{} was last confirmed on {} ({} days ago); this directory asks every {} days.\n\n",
        r.marker,
        code(&g.name),
        r.last_checked,
        r.days,
        config.stale_after_days
    );
    out.push_str(&format!("- Listing: {}\n", r.page));
    if let Some(phone) = &g.contact.phone {
        out.push_str(&format!("- Phone: {}\n", code(phone)));
    }
    if let Some(email) = &g.contact.email {
        out.push_str(&format!("- E-mail: {}\n", code(email)));
    }
    out.push('\n');
    match (&r.confirm, &r.paused, &r.closed) {
        (Some(confirm), Some(paused), Some(closed)) => out.push_str(&format!(
            "Please ask the group (or anyone who has just checked with them) to say in one click:\n\n\
             - [We are still running]({confirm})\n\
             - [We have paused]({paused})\n\
             - [We have stopped]({closed})\n\n"
        )),
        _ => out.push_str(&format!(
            "Call or e-mail the group, then set `last_checked` in `content/groups/{}.yaml` to the day they confirmed.\n\n",
            g.slug
        )),
    }
    out.push_str(
        "When the listing's `last_checked` is updated, this issue closes itself at the next weekly run. \
         (Opened by aidmap's keep-alive workflow, which updates this issue rather than opening another.)\n",
    );
    out
}
