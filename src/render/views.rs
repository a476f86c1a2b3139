//! View structs: the only data templates see.
//!
//! Templates never see raw YAML structs. Each view carries text ready to print (labels,
//! human dates) and addresses relative to the site root, so the same page works at a
//! domain root, at a sub-path (GitHub Pages project sites) and from disk.

use jiff::civil::Date;
use serde::Serialize;

use crate::config::Config;
use crate::content::{check, help, Group, Status, Story};
use crate::i18n::Lang;

/// A kind of help with its label.
#[derive(Debug, Clone, Serialize)]
pub struct HelpView {
    /// Vocabulary key.
    pub key: String,
    /// What residents read.
    pub label: String,
}

/// A language a group works in.
#[derive(Debug, Clone, Serialize)]
pub struct LanguageView {
    /// ISO 639-1 code.
    pub code: String,
    /// English name.
    pub name: String,
    /// The language's own name.
    pub own: String,
    /// Written right to left.
    pub rtl: bool,
}

/// A group as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct GroupView {
    /// Page address part.
    pub slug: String,
    /// Address relative to the site root: `groups/<slug>/`.
    pub url: String,
    /// Name.
    pub name: String,
    /// The name with the place beside it when a group far away has the same name
    /// (`Group::display_name`): what lists, cards and search results show.
    pub display_name: String,
    /// One line.
    pub summary: String,
    /// Districts and sectors covered.
    pub areas: Vec<String>,
    /// The same, as one line of text ("NR2, NR3 1").
    pub areas_text: String,
    /// The area in words: the districts' names with their codes ("Norwich (NR2, NR3 1)").
    pub area_words: String,
    /// Postcode areas (letters) touched, lowercase for addresses.
    pub postcode_areas: Vec<String>,
    /// Kinds of help.
    pub help: Vec<HelpView>,
    /// Contact routes.
    pub contact: crate::content::group::Contact,
    /// E-mail split for display without a harvestable address in the HTML text: `user`, `domain`.
    pub email_parts: Option<(String, String)>,
    /// The `mailto:` link for the address, percent-encoded, split at its `@` so the page
    /// can write the `@` as an entity (see SECURITY.md).
    pub email_mailto: Option<(String, String)>,
    /// Languages.
    pub languages: Vec<LanguageView>,
    /// `active`, `paused` or `closed`.
    pub status: Status,
    /// Human words for the status.
    pub status_label: String,
    /// ISO date of the last check.
    pub last_checked: String,
    /// "1 October 2026".
    pub last_checked_human: String,
    /// Not confirmed within the site's `stale_after_days`.
    pub stale: bool,
    /// Not confirmed within `hide_after_days`: search leaves it out (`Group::hidden`).
    pub hidden: bool,
    /// Sanitised description HTML.
    pub description_html: String,
    /// The language of `summary` when it is not the page's (a Welsh page showing the
    /// English the group wrote): the template marks it with `lang`.
    pub summary_lang: Option<String>,
    /// The same for `contact.hours`.
    pub hours_lang: Option<String>,
    /// The same for `description_html`.
    pub description_lang: Option<String>,
}

pub use crate::content::help::CARD_HELP;

/// A group in a list (all groups, an area, a district): what its card shows. List pages
/// at national scale hold tens of thousands of these, so a card carries only what
/// `partials/group_card.html` prints, borrowed from the group's full view.
#[derive(Debug, Clone, Serialize)]
pub struct GroupCard<'a> {
    /// Page address part.
    pub slug: &'a str,
    /// Address relative to the site root.
    pub url: &'a str,
    /// Name.
    pub name: &'a str,
    /// The name as lists show it (see `GroupView::display_name`).
    pub display_name: &'a str,
    /// One line.
    pub summary: &'a str,
    /// Districts and sectors covered, as one line of text.
    pub areas_text: &'a str,
    /// The area in words ("Norwich (NR2, NR3 1)").
    pub area_words: &'a str,
    /// `active`, `paused` or `closed`.
    pub status: Status,
    /// Human words for the status.
    pub status_label: &'a str,
    /// The phone, first of the contact routes.
    pub contact: CardContact<'a>,
    /// The first [`CARD_HELP`] kinds of help.
    pub help: &'a [HelpView],
    /// Languages, when the group lists any but English alone (empty otherwise).
    pub languages: &'a [LanguageView],
    /// ISO date of the last check.
    pub last_checked: &'a str,
    /// "1 October 2026".
    pub last_checked_human: &'a str,
    /// Not confirmed within the site's `stale_after_days`.
    pub stale: bool,
    /// The language of `contact.hours` when it is not the page's.
    pub hours_lang: Option<&'a str>,
}

/// The contact route a card shows.
#[derive(Debug, Clone, Serialize)]
pub struct CardContact<'a> {
    /// Phone number as the group writes it.
    pub phone: Option<&'a str>,
    /// The same for a `tel:` link.
    pub phone_tel: Option<&'a str>,
    /// When someone answers.
    pub hours: Option<&'a str>,
}

impl GroupView {
    /// The group's card for list pages.
    pub fn card(&self) -> GroupCard<'_> {
        GroupCard {
            slug: &self.slug,
            url: &self.url,
            name: &self.name,
            display_name: &self.display_name,
            summary: &self.summary,
            areas_text: &self.areas_text,
            area_words: &self.area_words,
            status: self.status,
            status_label: &self.status_label,
            contact: CardContact {
                phone: self.contact.phone.as_deref(),
                phone_tel: self.contact.phone_tel.as_deref(),
                hours: self.contact.hours.as_deref(),
            },
            help: &self.help[..self.help.len().min(CARD_HELP)],
            languages: if self.languages.iter().all(|l| l.code == "en") {
                &[]
            } else {
                &self.languages
            },
            last_checked: &self.last_checked,
            last_checked_human: &self.last_checked_human,
            stale: self.stale,
            hours_lang: self.hours_lang.as_deref(),
        }
    }
}

/// A story in a list (the stories page, the home page, the feed): everything but its body.
#[derive(Debug, Clone, Serialize)]
pub struct StoryTeaser<'a> {
    /// Page address part.
    pub slug: &'a str,
    /// `stories/<slug>/`.
    pub url: &'a str,
    /// Headline.
    pub title: &'a str,
    /// ISO date.
    pub date: &'a str,
    /// "12 June 2020".
    pub date_human: &'a str,
    /// Where.
    pub place: Option<&'a str>,
    /// One sentence.
    pub summary: &'a str,
    /// The story's language when it is not the page's.
    pub lang: Option<&'a str>,
}

impl StoryView {
    /// The story's teaser for list pages.
    pub fn teaser(&self) -> StoryTeaser<'_> {
        StoryTeaser {
            slug: &self.slug,
            url: &self.url,
            title: &self.title,
            date: &self.date,
            date_human: &self.date_human,
            place: self.place.as_deref(),
            summary: &self.summary,
            lang: self.lang.as_deref(),
        }
    }
}

/// A story as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct StoryView {
    /// Page address part.
    pub slug: String,
    /// `stories/<slug>/`.
    pub url: String,
    /// Headline.
    pub title: String,
    /// ISO date.
    pub date: String,
    /// "12 June 2020".
    pub date_human: String,
    /// Where.
    pub place: Option<String>,
    /// One sentence.
    pub summary: String,
    /// Sanitised body HTML.
    pub body_html: String,
    /// The groups it is about: (name, url).
    pub groups: Vec<(String, String)>,
    /// The story's language when it is not the page's (no translation in it).
    pub lang: Option<String>,
}

pub use crate::content::check::human_date;

impl GroupView {
    /// Builds the view of a group in the page's language `lang`: its labels, dates and
    /// area in that language, and its own words translated where the group gave them
    /// (else the English, marked with its `lang`).
    pub fn new(g: &Group, config: &Config, today: Date, lang: &Lang) -> Self {
        let stale = check::days_between(g.last_checked, today) > i64::from(config.stale_after_days);
        let status_label = lang
            .text(match g.status {
                Status::Active => "status_active",
                Status::Paused => "status_paused",
                Status::Closed => "status_closed",
            })
            .to_string();
        // The group's own words in the page's language where it gave them, else its
        // English, marked `lang="en"` on a page in another language.
        let english = (lang.code != "en").then(|| "en".to_string());
        let tr = g.translations.get(&lang.code).filter(|_| lang.code != "en");
        let mut contact = g.contact.clone();
        let hours_lang = match tr.and_then(|t| t.hours.clone()) {
            Some(h) if contact.hours.is_some() => {
                contact.hours = Some(h);
                None
            }
            _ => contact.hours.as_ref().and(english.clone()),
        };
        let (summary, summary_lang) = match tr.and_then(|t| t.summary.clone()) {
            Some(s) => (s, None),
            None => (g.summary.clone(), english.clone()),
        };
        let (description_html, description_lang) =
            match tr.filter(|t| !t.description_html.is_empty()) {
                Some(t) => (t.description_html.clone(), None),
                None => (g.description_html.clone(), english.clone()),
            };
        GroupView {
            slug: g.slug.clone(),
            url: format!("groups/{}/", g.slug),
            name: g.name.clone(),
            display_name: g.display_name(),
            summary,
            areas_text: g.areas.join(", "),
            area_words: area_words_in(g, lang),
            areas: g.areas.clone(),
            postcode_areas: g
                .postcode_areas()
                .iter()
                .map(|a| a.to_lowercase())
                .collect(),
            help: g
                .help
                .iter()
                .map(|k| HelpView {
                    key: k.clone(),
                    label: lang.help_label(config, k).to_string(),
                })
                .collect(),
            email_parts: g
                .contact
                .email
                .as_deref()
                .and_then(|e| e.split_once('@'))
                .map(|(u, d)| (u.to_string(), d.to_string())),
            email_mailto: g.contact.email.as_deref().map(check::mailto).and_then(|m| {
                m.split_once('@')
                    .map(|(u, d)| (u.to_string(), d.to_string()))
            }),
            contact,
            languages: g
                .languages
                .iter()
                .map(|c| {
                    let (_, own, rtl) = help::language(c).unwrap_or(("", "", false));
                    LanguageView {
                        code: c.clone(),
                        name: lang.strings.language_name(c),
                        own: own.into(),
                        rtl,
                    }
                })
                .collect(),
            status: g.status,
            status_label,
            last_checked: g.last_checked.to_string(),
            last_checked_human: lang.date(g.last_checked),
            stale,
            hidden: g.hidden,
            description_html,
            summary_lang,
            hours_lang,
            description_lang,
        }
    }
}

/// The most district names [`area_words`] writes before "and more".
const AREA_NAMES: usize = 4;

/// A group's area in words, in English (the search index's card line): see
/// [`area_words_in`].
pub fn area_words(g: &Group) -> String {
    area_words_in(g, crate::i18n::english())
}

/// A group's area in words in `lang`: the names of its districts, then its codes, such
/// as "Norwich (NR2, NR3 1)" or, for a district with no name, the codes alone. Welsh
/// pages name Welsh towns in Welsh ("Caerdydd").
pub fn area_words_in(g: &Group, lang: &Lang) -> String {
    let geo = crate::geo::geography();
    let mut names: Vec<String> = Vec::new();
    for d in g.districts() {
        if let Some(info) = geo.district(&d) {
            let name = lang.place_name(&info.name);
            if !info.name.is_empty() && !names.contains(&name) {
                names.push(name);
            }
        }
    }
    let more = names.len() > AREA_NAMES;
    names.truncate(AREA_NAMES);
    let codes = g.areas.join(", ");
    match (names.is_empty(), more) {
        (true, _) => codes,
        (false, false) => lang.fill(
            "area_words",
            &[("names", &lang.and_list(&names)), ("codes", &codes)],
        ),
        (false, true) => lang.fill(
            "area_words_more",
            &[
                ("names", &names.join(&lang.fill("list_sep", &[]))),
                ("codes", &codes),
            ],
        ),
    }
}

impl StoryView {
    /// Builds the view of a story; `groups` finds a group (by slug) to name it.
    pub fn new<'g>(s: &Story, groups: impl Fn(&str) -> Option<&'g Group>, lang: &Lang) -> Self {
        let tr = s.translations.get(&lang.code).filter(|_| lang.code != "en");
        StoryView {
            slug: s.slug.clone(),
            url: format!("stories/{}/", s.slug),
            title: tr
                .and_then(|t| t.title.clone())
                .unwrap_or_else(|| s.title.clone()),
            date: s.date.to_string(),
            date_human: lang.date(s.date),
            place: s.place.clone(),
            summary: tr
                .and_then(|t| t.summary.clone())
                .unwrap_or_else(|| s.summary.clone()),
            body_html: tr
                .filter(|t| !t.body_html.is_empty())
                .map_or_else(|| s.body_html.clone(), |t| t.body_html.clone()),
            groups: s
                .groups
                .iter()
                .filter_map(|slug| groups(slug))
                .map(|g| (g.name.clone(), format!("groups/{}/", g.slug)))
                .collect(),
            lang: (lang.code != "en" && tr.is_none()).then(|| "en".to_string()),
        }
    }
}
