//! Markdown from strangers to HTML that cannot run anything.
//!
//! pulldown-cmark renders; ammonia then keeps only an allow-list of tags and attributes,
//! only http(s), mailto and tel links, and marks every link `rel="noopener noreferrer"`.
//! Images are kept only when they point inside the site: a picture on another server
//! would make every reader's browser contact a third party.

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
            .attribute_filter(|element, attribute, value| {
                if element == "img" && attribute == "src" {
                    let lower = value.trim().to_ascii_lowercase();
                    if lower.contains(':') || lower.starts_with("//") {
                        return None;
                    }
                }
                Some(value.into())
            });
        b
    })
}

/// Renders Markdown to sanitised HTML, with headings starting at `<h2>`.
pub fn render(source: &str) -> String {
    render_with_top(source, 2)
}

/// Renders Markdown to sanitised HTML; the document's largest heading becomes `<h{top}>`
/// and the others keep their distance from it, so headings never skip a level after
/// the page's own.
pub fn render_with_top(source: &str, top: u8) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let events: Vec<Event<'_>> = Parser::new_ext(source, options).collect();
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
    cleaner().clean(&raw).to_string()
}

/// Plain text of a short Markdown string (for feeds and summaries): tags dropped.
pub fn plain(source: &str) -> String {
    let html = render(source);
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
            let out = render(case).to_lowercase();
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
    fn headings_start_below_the_page_heading() {
        let out = super::render_with_top("### Small\n\n#### Smaller\n", 2);
        assert!(
            out.contains("<h2>Small</h2>") && out.contains("<h3>Smaller</h3>"),
            "{out}"
        );
        let out = super::render_with_top("# Big\n", 3);
        assert!(out.contains("<h3>Big</h3>"), "{out}");
    }

    #[test]
    fn links_get_rel_and_text_survives() {
        let out = render("Hello [site](https://example.org/) **now**");
        assert!(out.contains("rel=\"noopener noreferrer\""));
        assert!(out.contains("<strong>now</strong>"));
    }
}
