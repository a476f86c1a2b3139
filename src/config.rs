//! `site.yaml`: the directory's own settings, read once and checked.
//!
//! `RawConfig` mirrors the file and rejects unknown fields; `Config` is what the rest of
//! the code trusts (a parsed base URL, a known language, the full help vocabulary).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::content::check;
use crate::content::help::HelpVocabulary;
use crate::diagnostics::{locate, Diagnostic};

mod translations;
pub use translations::SiteText;

/// `site.yaml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    #[serde(default)]
    description: Option<String>,
    base_url: String,
    #[serde(default = "default_language")]
    language: String,
    #[serde(default)]
    languages: Vec<String>,
    #[serde(default = "default_stale")]
    stale_after_days: u32,
    #[serde(default)]
    hide_after_days: Option<u32>,
    #[serde(default)]
    maintainers: Option<RawMaintainers>,
    #[serde(default)]
    licence: Option<String>,
    #[serde(default)]
    region: Vec<String>,
    #[serde(default)]
    safety_line: Option<String>,
    #[serde(default)]
    help: BTreeMap<String, String>,
    #[serde(default)]
    ni_polygons: bool,
    #[serde(default)]
    theme: Option<String>,
    #[serde(default)]
    repository: Option<String>,
    #[serde(default = "default_within")]
    nearest_within_miles: f64,
    #[serde(default)]
    other_help: Vec<OtherHelp>,
    #[serde(default)]
    host: Option<String>,
    #[serde(default)]
    translations: BTreeMap<String, Option<translations::RawSiteText>>,
}

fn default_within() -> f64 {
    DEFAULT_NEAREST_WITHIN_MILES
}

/// How far away a group may be and still be offered as "nearest" when none covers a place.
pub const DEFAULT_NEAREST_WITHIN_MILES: f64 = 20.0;

/// Another route to help, offered when no group is near (`other_help:` in `site.yaml`).
#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct OtherHelp {
    /// Who it is, such as `NHS 111`.
    pub name: String,
    /// Its number as written.
    pub phone: String,
    /// What it is for, one line.
    pub what: String,
    /// Postcode areas where it applies; empty means everywhere.
    #[serde(default)]
    pub areas: Vec<String>,
}

impl OtherHelp {
    /// True when the route applies in postcode area `area` (`NR`).
    pub fn applies_in(&self, area: &str) -> bool {
        self.areas.is_empty() || self.areas.iter().any(|a| a.eq_ignore_ascii_case(area))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMaintainers {
    name: String,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    phone: Option<String>,
}

fn default_language() -> String {
    "en-GB".into()
}

fn default_stale() -> u32 {
    180
}

/// Who looks after the directory, shown on the about page.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Maintainers {
    /// A name people recognise.
    pub name: String,
    /// Contact e-mail, checked.
    pub email: Option<String>,
    /// Contact phone as written, checked.
    pub phone: Option<String>,
    /// The same phone for a `tel:` link.
    pub phone_tel: Option<String>,
    /// The e-mail's `mailto:` link, percent-encoded.
    pub email_mailto: Option<String>,
}

/// The checked site settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// The directory's name, shown in every page's title.
    pub title: String,
    /// One line on what the directory is.
    pub description: String,
    /// Where the site is published, always ending in `/`.
    pub base_url: String,
    /// BCP 47 language tag of the site's pages (for `<html lang>`).
    pub language: String,
    /// The languages the site is built in, as lower-case ISO 639-1 codes (`site.yaml`
    /// `languages: [en, cy]`): the first at the site's root, each other under its code
    /// (`cy/`). Never empty: without the setting, the primary subtag of `language`.
    pub languages: Vec<String>,
    /// A group not confirmed for this many days is shown as possibly out of date.
    pub stale_after_days: u32,
    /// A group not confirmed for more than this many days is left out of search answers,
    /// district pages and nearest lists, and its page says it may have stopped (`None`:
    /// never).
    pub hide_after_days: Option<u32>,
    /// Who runs the directory.
    pub maintainers: Option<Maintainers>,
    /// Licence of the directory's data.
    pub licence: String,
    /// Postcode areas or districts the directory serves (for the gap map).
    pub region: Vec<String>,
    /// The line printed on leaflets about money and safety.
    pub safety_line: String,
    /// The kinds of help a group may offer: built-in plus the site's own.
    pub help: HelpVocabulary,
    /// Opt in to the CC BY-SA Northern Ireland polygons.
    pub ni_polygons: bool,
    /// Name of the theme folder under `themes/` that overrides the embedded theme.
    pub theme: String,
    /// The directory's GitHub repository, `https://github.com/OWNER/REPO`: with it the
    /// site has an "Add your group" form and "Update this listing" links (see intake).
    pub repository: Option<String>,
    /// Groups farther than this are not offered as "nearest" (miles).
    pub nearest_within_miles: f64,
    /// Other routes to help, offered when no group is near.
    pub other_help: Vec<OtherHelp>,
    /// Where the site is deployed (`host: cloudflare`): `aidmap build` warns when the
    /// output breaks its limits, as with `--host`, which wins when given.
    pub host: Option<crate::output::hosts::Host>,
    /// The title, description, safety line and other routes' words in the site's other
    /// languages, by code (`translations:`; see `config::translations`).
    pub translations: BTreeMap<String, SiteText>,
}

impl Config {
    /// A config for tests and tools that have no `site.yaml`.
    pub fn fallback() -> Self {
        Config {
            title: "Mutual aid directory".into(),
            description: String::new(),
            base_url: "/".into(),
            language: default_language(),
            languages: vec!["en".into()],
            stale_after_days: default_stale(),
            hide_after_days: None,
            maintainers: None,
            licence: "CC BY 4.0".into(),
            region: Vec::new(),
            safety_line: DEFAULT_SAFETY_LINE.into(),
            help: HelpVocabulary::builtin(),
            ni_polygons: false,
            theme: "default".into(),
            repository: None,
            nearest_within_miles: DEFAULT_NEAREST_WITHIN_MILES,
            other_help: Vec::new(),
            host: None,
            translations: BTreeMap::new(),
        }
    }

    /// Parses `site.yaml` text; returns the config (if usable) and every problem found.
    pub fn parse(path: &Path, source: &str) -> (Option<Config>, Vec<Diagnostic>) {
        let mut problems = Vec::new();
        if let Err(d) = crate::content::yaml_guard::guard(path, source, 0) {
            return (None, vec![d]);
        }
        let raw: RawConfig = match crate::diagnostics::from_yaml_all(path, source, 0) {
            Ok(raw) => raw,
            Err(ds) => return (None, ds),
        };
        let at = |keys: &[&str], item: Option<&str>| locate(source, keys, item);

        let base_url = match check::base_url(&raw.base_url) {
            Ok(url) => {
                if url.starts_with('/') {
                    // A root-relative base works for relative links; feeds need a full URL.
                    problems.push(
                        Diagnostic::warning(
                            path,
                            at(&["base_url"], None),
                            "base_url is not a full address, so the feed and sitemap will have relative links",
                        )
                        .with_hint("write the address the site is published at, such as https://example.org/"),
                    );
                }
                url
            }
            Err(msg) => {
                problems.push(
                    Diagnostic::error(path, at(&["base_url"], None), msg).with_hint(
                        "write the address the site is published at, such as https://example.org/",
                    ),
                );
                "/".to_string()
            }
        };

        let mut help = HelpVocabulary::builtin();
        for (key, label) in &raw.help {
            if !check::is_slug(key) {
                problems.push(
                    Diagnostic::error(
                        path,
                        at(&["help", key], None),
                        format!("help key `{key}` must be lowercase letters, digits and dashes"),
                    )
                    .with_hint("for example `food-bank: Food bank referrals`"),
                );
            }
            help.add(key, label);
        }

        let maintainers = raw.maintainers.map(|m| {
            if let Some(email) = &m.email {
                if let Err(msg) = check::email(email) {
                    problems.push(Diagnostic::error(
                        path,
                        at(&["maintainers", "email"], None),
                        msg,
                    ));
                }
            }
            let mut phone_tel = None;
            if let Some(phone) = &m.phone {
                match check::uk_phone(phone) {
                    Ok(tel) => phone_tel = Some(tel),
                    Err(msg) => problems.push(Diagnostic::error(
                        path,
                        at(&["maintainers", "phone"], None),
                        msg,
                    )),
                }
            }
            Maintainers {
                name: m.name,
                email_mailto: m.email.as_deref().map(check::mailto),
                email: m.email,
                phone: m.phone,
                phone_tel,
            }
        });

        let mut region = Vec::new();
        for r in &raw.region {
            let code = r.trim().to_uppercase();
            if code.is_empty() || code.len() > 4 || !code.chars().all(|c| c.is_ascii_alphanumeric())
            {
                problems.push(
                    Diagnostic::error(
                        path,
                        at(&["region"], Some(r)),
                        format!("`{r}` is not a postcode area or district"),
                    )
                    .with_hint("list postcode areas such as NR or districts such as NR2"),
                );
            } else {
                region.push(code);
            }
        }

        let theme = raw.theme.unwrap_or_else(|| "default".into());
        if !check::is_slug(&theme) {
            problems.push(Diagnostic::error(
                path,
                at(&["theme"], None),
                format!(
                    "theme `{theme}` must be a folder name of lowercase letters, digits and dashes"
                ),
            ));
        }

        let repository = match raw.repository.as_deref().map(github_repository) {
            None => None,
            Some(Ok(url)) => Some(url),
            Some(Err(msg)) => {
                problems.push(
                    Diagnostic::error(path, at(&["repository"], None), msg).with_hint(
                        "write the repository's address, like https://github.com/OWNER/REPO",
                    ),
                );
                None
            }
        };
        let mut within = raw.nearest_within_miles;
        if !(within.is_finite() && (0.0..=500.0).contains(&within)) {
            problems.push(
                Diagnostic::error(
                    path,
                    at(&["nearest_within_miles"], None),
                    format!(
                        "nearest_within_miles must be a distance from 0 to 500 miles, not {within}"
                    ),
                )
                .with_hint("for example `nearest_within_miles: 20`"),
            );
            within = DEFAULT_NEAREST_WITHIN_MILES;
        }
        let mut other_help = Vec::new();
        for o in raw.other_help {
            let mut ok = true;
            if let Err(msg) = check::uk_phone(&o.phone) {
                // Short national numbers such as 111 and 116 123 are not ordinary UK numbers.
                let digits: String = o.phone.chars().filter(char::is_ascii_digit).collect();
                if !(digits.len() >= 3
                    && digits.len() <= 6
                    && o.phone.chars().all(|c| c.is_ascii_digit() || c == ' '))
                {
                    problems.push(Diagnostic::error(path, at(&["other_help"], None), msg));
                    ok = false;
                }
            }
            for a in &o.areas {
                if a.is_empty() || a.len() > 2 || !a.chars().all(|c| c.is_ascii_alphabetic()) {
                    problems.push(
                        Diagnostic::error(
                            path,
                            at(&["other_help"], None),
                            format!("`{a}` is not a postcode area"),
                        )
                        .with_hint("list postcode areas such as NR or CB, or leave `areas` out for everywhere"),
                    );
                    ok = false;
                }
            }
            if ok {
                other_help.push(o);
            }
        }

        if let Some(hide) = raw.hide_after_days {
            if hide < raw.stale_after_days {
                problems.push(
                    Diagnostic::error(
                        path,
                        at(&["hide_after_days"], None),
                        format!(
                            "hide_after_days ({hide}) is less than stale_after_days ({}): a group is first shown as possibly out of date, then hidden",
                            raw.stale_after_days
                        ),
                    )
                    .with_hint(format!(
                        "make it longer than stale_after_days, such as `hide_after_days: {}`",
                        u64::from(raw.stale_after_days) * 2
                    )),
                );
            }
        }
        let host = raw.host.as_deref().and_then(|name| {
            let host = crate::output::hosts::Host::from_name(name);
            if host.is_none() {
                problems.push(
                    Diagnostic::error(
                        path,
                        at(&["host"], None),
                        format!("`{name}` is not a host aidmap knows the limits of"),
                    )
                    .with_hint("write `host: cloudflare`, `host: github` or `host: netlify`, or leave it out"),
                );
            }
            host
        });
        let languages = site_languages(&raw.language, &raw.languages, path, source, &mut problems);
        let raw_translations = raw.translations;
        let mut config = Config {
            title: raw.title,
            description: raw.description.unwrap_or_default(),
            base_url,
            language: raw.language,
            languages,
            stale_after_days: raw.stale_after_days,
            hide_after_days: raw.hide_after_days,
            maintainers,
            licence: raw.licence.unwrap_or_else(|| "CC BY 4.0".into()),
            region,
            safety_line: raw
                .safety_line
                .unwrap_or_else(|| DEFAULT_SAFETY_LINE.into()),
            help,
            ni_polygons: raw.ni_polygons,
            theme,
            repository,
            nearest_within_miles: within,
            other_help,
            host,
            translations: BTreeMap::new(),
        };
        config.translations =
            translations::check(path, source, raw_translations, &config, &mut problems);
        (Some(config), problems)
    }
}

/// The languages a site is built in: `languages:` checked (two-letter or three-letter
/// lower-case codes, each once), or the primary subtag of `language:` alone.
fn site_languages(
    language: &str,
    listed: &[String],
    path: &Path,
    source: &str,
    problems: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let primary = language
        .split(['-', '_'])
        .next()
        .unwrap_or("en")
        .to_ascii_lowercase();
    if listed.is_empty() {
        return vec![primary];
    }
    let mut out: Vec<String> = Vec::new();
    for code in listed {
        let ok = (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase());
        if !ok {
            problems.push(
                Diagnostic::error(
                    path,
                    locate(source, &["languages"], Some(code)),
                    format!("`{code}` is not a language code"),
                )
                .with_hint(
                    "use two-letter lower-case ISO 639-1 codes, such as `languages: [en, cy]`",
                ),
            );
        } else if out.contains(code) {
            problems.push(
                Diagnostic::error(
                    path,
                    locate(source, &["languages"], Some(code)),
                    format!("`{code}` is listed twice"),
                )
                .with_hint("list each language once; the first is the site's default"),
            );
        } else {
            out.push(code.clone());
        }
    }
    if out.is_empty() {
        out.push(primary);
    }
    out
}

/// Checks a GitHub repository address and returns it as `https://github.com/OWNER/REPO`.
///
/// Only github.com, and only an owner and a name made of the characters GitHub allows:
/// the address starts every "Add your group" link, so nothing else may ride along.
pub fn github_repository(input: &str) -> Result<String, String> {
    let s = input.trim().trim_end_matches('/');
    let s = s.strip_suffix(".git").unwrap_or(s);
    let rest = s.strip_prefix("https://github.com/").ok_or_else(|| {
        format!("repository `{input}` is not a GitHub address starting with https://github.com/")
    })?;
    let ok = |part: &str, max: usize, extra: &[u8]| {
        !part.is_empty()
            && part.len() <= max
            && !part.starts_with('.')
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || extra.contains(&b))
    };
    match rest.split_once('/') {
        Some((owner, name)) if ok(owner, 39, b"") && ok(name, 100, b"._") => {
            Ok(format!("https://github.com/{owner}/{name}"))
        }
        _ => Err(format!(
            "repository `{input}` must be https://github.com/OWNER/REPO and nothing more"
        )),
    }
}

/// What residents are told about money and safety when a site says nothing else.
pub const DEFAULT_SAFETY_LINE: &str =
    "Volunteers will never ask you for money, bank cards or your PIN. If in doubt, call us back on the number above.";

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(extra: &str) -> (Option<Config>, Vec<Diagnostic>) {
        Config::parse(
            Path::new("site.yaml"),
            &format!("title: T\nbase_url: https://example.org/\n{extra}"),
        )
    }

    #[test]
    fn nearest_within_miles_defaults_to_20_and_is_checked() {
        let (c, d) = parse("");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(c.unwrap().nearest_within_miles, 20.0);
        let (c, d) = parse("nearest_within_miles: 12.5\n");
        assert!(d.is_empty());
        assert_eq!(c.unwrap().nearest_within_miles, 12.5);
        let (c, d) = parse("nearest_within_miles: -3\n");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(c.unwrap().nearest_within_miles, 20.0);
    }

    #[test]
    fn host_names_a_known_host() {
        use crate::output::hosts::Host;
        let (c, d) = parse("");
        assert!(d.is_empty() && c.unwrap().host.is_none());
        let (c, d) = parse("host: github\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(c.unwrap().host, Some(Host::Github));
        let (_, d) = parse("host: vercel\n");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("`vercel` is not a host"), "{d:?}");
        assert_eq!(d[0].line, 3);
    }

    #[test]
    fn hide_after_days_is_optional_and_not_shorter_than_stale() {
        let (c, d) = parse("");
        assert!(d.is_empty());
        assert_eq!(c.unwrap().hide_after_days, None);
        let (c, d) = parse("stale_after_days: 90\nhide_after_days: 365\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(c.unwrap().hide_after_days, Some(365));
        let (_, d) = parse("stale_after_days: 90\nhide_after_days: 30\n");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("hide_after_days (30)"), "{d:?}");
    }

    #[test]
    fn other_help_takes_short_national_numbers_and_postcode_areas() {
        let (c, d) = parse(
            "other_help:\n  - name: NHS 111\n    phone: \"111\"\n    what: Urgent advice\n  - name: Council\n    phone: \"01632 960000\"\n    what: Help at home\n    areas: [NR, ip]\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let c = c.unwrap();
        assert_eq!(c.other_help.len(), 2);
        assert!(c.other_help[0].applies_in("IV"));
        assert!(c.other_help[1].applies_in("IP") && !c.other_help[1].applies_in("IV"));
        let (c, d) = parse(
            "other_help:\n  - name: X\n    phone: call us\n    what: y\n  - name: Y\n    phone: \"111\"\n    what: z\n    areas: [NR2]\n",
        );
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(c.unwrap().other_help.is_empty());
    }
}
