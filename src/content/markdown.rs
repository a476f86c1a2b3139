//! Markdown from strangers to HTML that cannot run anything, at a cost that stays linear.
//!
//! pulldown-cmark renders; ammonia then keeps only an allow-list of tags and attributes,
//! only http(s), mailto and tel links, and marks every link `rel="noopener noreferrer"`.
//! Images are kept only when they point inside the site: a picture on another server
//! would make every reader's browser contact a third party.
//!
//! *Nesting* is how many elements are open inside each other. ammonia's cost grows faster
//! than the square of it (one line of 256,000 `>` ran for hours), so before anything is
//! rendered, [`check_nesting`] walks the parser's events and refuses a text nested more
//! than [`MAX_NESTING`] levels, counting Markdown containers (quotes, lists, emphasis,
//! links, ...) plus raw HTML elements left open, found by a small tag scanner
//! ([`html_depth`]).

mod html_depth;

use std::ops::Range;
use std::sync::OnceLock;

use pulldown_cmark::{html, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
fn cleaner() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
            .link_rel(Some("noopener noreferrer"))
            .rm_tags(["img"])
            .add_tags(["img"])
            .attribute_filter(|element, attribute, value| match (element, attribute) {
                ("img", "src") if !is_same_site(value) => None,
                (_, "href") if !is_allowed_phone_link(value) => None,
                _ => Some(value.into()),
            });
        b
    })
}

/// Addresses standing for "one of this site's pages", one per way the site may be
/// served: a scheme-relative address like `https:evil.example` is local under its own
/// scheme and remote under another, so an image must stay local under all of them.
const SITE_BASES: [&str; 3] = [
    "https://aidmap.invalid/some/page/",
    "http://aidmap.invalid/some/page/",
    "file:///some/page/",
];

/// `value` resolved against `base` the way a browser resolves it, by the WHATWG URL
/// rules the `url` crate follows (tabs and newlines removed, `\` read as `/`, leading
/// spaces and control characters trimmed). `None` if a browser would not load it.
fn resolve(base: &str, value: &str) -> Option<(url::Url, url::Url)> {
    let base = url::Url::parse(base).ok()?;
    let url = base.join(value).ok()?;
    Some((base, url))
}

/// True when an image address stays on this site (the filter every kept `<img src>`
/// passed): the same scheme, host and port as the
/// page under every base in [`SITE_BASES`], so `/\evil.example/x.png`, `/\t/evil.example`
/// and `https:evil.example` fail while `/images/x.png` and `../x.png` pass. (Values reach
/// this filter with character references already decoded: `&#9;` arrives as a tab.)
pub fn is_same_site(value: &str) -> bool {
    SITE_BASES.iter().all(|base| {
        resolve(base, value).is_some_and(|(base, url)| {
            url.scheme() == base.scheme()
                && url.host() == base.host()
                && url.port_or_known_default() == base.port_or_known_default()
                && url.username().is_empty()
                && url.password().is_none()
        })
    })
}

/// False for a `tel:` link to a number a group's own `phone` could not be: premium rate,
/// letters, not UK. Other links are left to ammonia's scheme allow-list.
fn is_allowed_phone_link(value: &str) -> bool {
    let Some((_, url)) = resolve(SITE_BASES[0], value) else {
        return false;
    };
    if url.scheme() != "tel" {
        return true;
    }
    // The URL parser writes a space as `%20`; any other escape is refused with the `%`.
    let number = url.path().replace("%20", " ");
    crate::content::check::uk_phone(&number).is_ok()
}

/// The most elements that may be open inside each other in a story or description:
/// Markdown blockquotes, lists, list items, emphasis and links plus raw HTML elements.
/// Ordinary writing needs fewer than ten.
pub const MAX_NESTING: usize = 32;

/// Text nested more than [`MAX_NESTING`] deep, at a byte offset of the Markdown source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooDeep {
    /// Byte offset in the Markdown where the limit was passed.
    pub offset: usize,
}

impl TooDeep {
    /// What to tell the writer.
    pub fn message(&self) -> String {
        format!(
            "this is nested more than {MAX_NESTING} levels deep (quotes, lists, emphasis, links or HTML elements inside each other)"
        )
    }

    /// How to fix it.
    pub const HINT: &'static str =
        "a story or description needs only a few levels; flatten the quotes, lists or HTML";
}

fn options() -> Options {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options
}

/// Parses once, checking nesting as the events come, and stops at the first place too
/// deep, so a bomb costs no more than its first few hundred events.
fn events_checked(source: &str) -> Result<Vec<Event<'_>>, TooDeep> {
    let mut depth = 0usize;
    let mut html = html_depth::Scanner::default();
    let mut events = Vec::new();
    for (event, range) in Parser::new_ext(source, options()).into_offset_iter() {
        let Range { start, .. } = range;
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Html(text) | Event::InlineHtml(text) => html.feed(text),
            _ => {}
        }
        if depth + html.depth() > MAX_NESTING {
            return Err(TooDeep { offset: start });
        }
        events.push(event);
    }
    Ok(events)
}

/// Checks `source` against [`MAX_NESTING`] without rendering it.
pub fn check_nesting(source: &str) -> Result<(), TooDeep> {
    events_checked(source).map(|_| ())
}

/// Renders Markdown to sanitised HTML, with headings starting at `<h2>`; `Err` if it is
/// nested too deep to render safely.
pub fn render(source: &str) -> Result<String, TooDeep> {
    render_with_top(source, 2)
}

/// Renders Markdown to sanitised HTML; the document's largest heading becomes `<h{top}>`
/// and the others keep their distance from it, so headings never skip a level after
/// the page's own. `Err` if it is nested more than [`MAX_NESTING`] deep.
pub fn render_with_top(source: &str, top: u8) -> Result<String, TooDeep> {
    let events = events_checked(source)?;
    let min = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(*level as u8),
            _ => None,
        })
        .min()
        .unwrap_or(1);
    let shift = |level: HeadingLevel| {
        let n = (level as u8 + top).saturating_sub(min).clamp(1, 6);
        HeadingLevel::try_from(n as usize).unwrap_or(HeadingLevel::H6)
    };
    let events = events.into_iter().map(|e| match e {
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: shift(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(shift(level))),
        other => other,
    });
    let mut raw = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut raw, events);
    Ok(cleaner().clean(&raw).to_string())
}

/// Plain text of sanitised HTML from [`render`] (for feeds and summaries): tags dropped,
/// so a story is rendered once for both its page and its summary.
pub fn plain_of_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// 1-based (line, column) of byte `offset` in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn hostile_markdown_is_inert() {
        let cases = [
            "<script>window.__pwned=1</script>",
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x](data:text/html;base64,PHNjcmlwdD4=)",
            "[x](vbscript:msgbox(1))",
            "<img src=x onerror=alert(1)>",
            "![a](https://tracker.example.org/pixel.png)",
            "<iframe src=https://example.org></iframe>",
            "<style>body{display:none}</style>",
            "<a href=\"&#106;avascript:alert(1)\">x</a>",
            "<svg><script>alert(1)</script></svg>",
            "<div onclick=alert(1)>x</div>",
        ];
        for case in cases {
            let out = render(case).unwrap().to_lowercase();
            for bad in [
                "<script",
                "javascript:",
                "data:",
                "vbscript:",
                "onerror",
                "onclick",
                "<iframe",
                "<style",
                "tracker.example.org",
            ] {
                assert!(!out.contains(bad), "{case:?} rendered {out:?}");
            }
        }
    }

    #[test]
    fn images_load_only_from_this_site() {
        let remote = [
            "https://evil.example/x.png",
            "//evil.example/x.png",
            "/\\evil.example/x.png",
            "\\\\evil.example/x.png",
            "\\/evil.example/x.png",
            "/\t/evil.example/x.png",
            "/\n/evil.example/x.png",
            "/&#9;/evil.example/x.png",
            "/&#x0A;/evil.example/x.png",
            "&#1;//evil.example/x.png",
            " //evil.example/x.png",
            "\t//evil.example/x.png",
            "https:evil.example/x.png",
            "HTTPS://evil.example/x.png",
            "http://aidmap.invalid/x.png",
            "https://aidmap.invalid:8443/x.png",
            "https://user@evil.example/x.png",
            "data:image/png;base64,AAAA",
        ];
        for src in remote {
            let html = format!("<img src=\"{src}\" alt=a>");
            let out = render(&html).unwrap();
            assert!(!out.contains("src="), "{src:?} kept in {out}");
            // pulldown-cmark percent-encodes a Markdown image's address (`\\` becomes
            // `%5C`): whatever survives must still resolve to this site.
            let md = format!("![a]({})", src.replace(' ', "%20"));
            let out = render(&md).unwrap();
            if let Some(kept) = out.split("src=\"").nth(1) {
                let kept = kept.split('"').next().unwrap().replace("&amp;", "&");
                assert!(super::is_same_site(&kept), "{src:?} kept as {kept:?}");
            }
        }
        assert!(!super::is_same_site("/\\evil.example/x.png"));
        assert!(!super::is_same_site("/\t/evil.example"));
        assert!(!super::is_same_site("\u{1}//evil.example"));
        for local in [
            "/images/x.png",
            "x.png",
            "../x.png",
            "./a/b.png",
            "%2F%2Fevil.example/x.png",
        ] {
            assert!(super::is_same_site(local), "{local}");
            let out = render(&format!("![a]({local})")).unwrap();
            assert!(out.contains("src="), "{local:?} dropped: {out}");
        }
    }

    #[test]
    fn phone_links_follow_the_phone_rules() {
        for bad in [
            "tel:09098790000",
            "tel:+449098790000",
            "tel:0800FLOWERS",
            "tel:%30%39%30%39%38%37%39%30%30%30%30",
            "TEL:09098790000",
            "tel:+12025550100",
            " tel:09098790000",
        ] {
            let out = render(&format!("<a href=\"{bad}\">call</a>")).unwrap();
            assert!(!out.contains("href"), "{bad:?} kept in {out}");
        }
        let out = render("[call](tel:01632960001) or [web](https://example.org/)").unwrap();
        assert!(out.contains("href=\"tel:01632960001\""), "{out}");
        assert!(out.contains("href=\"https://example.org/\""), "{out}");
    }

    #[test]
    fn headings_start_below_the_page_heading() {
        let out = super::render_with_top("### Small\n\n#### Smaller\n", 2).unwrap();
        assert!(
            out.contains("<h2>Small</h2>") && out.contains("<h3>Smaller</h3>"),
            "{out}"
        );
        let out = super::render_with_top("# Big\n", 3).unwrap();
        assert!(out.contains("<h3>Big</h3>"), "{out}");
    }

    #[test]
    fn links_get_rel_and_text_survives() {
        let out = render("Hello [site](https://example.org/) **now**").unwrap();
        assert!(out.contains("rel=\"noopener noreferrer\""));
        assert!(out.contains("<strong>now</strong>"));
    }
}
