//! The theme: templates and static files, embedded in the binary and overridable.
//!
//! The default theme in `themes/default/` is compiled into aidmap, so a directory needs
//! nothing but its content. A site may override any file by putting one with the same
//! path under `themes/<theme>/` (its `theme:` in site.yaml, `default` if unset).

use std::path::Path;

use anyhow::Result;

use crate::diagnostics::Diagnostic;

macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/", $path)) as &[u8])),*]
    };
}

/// Every file of the default theme: path under the theme folder, contents.
pub const DEFAULT_THEME: &[(&str, &[u8])] = embed![
    "templates/base.html",
    "templates/index.html",
    "templates/group.html",
    "templates/groups.html",
    "templates/area.html",
    "templates/stories.html",
    "templates/story.html",
    "templates/about.html",
    "templates/add_group.html",
    "templates/postcodes.html",
    "templates/postcode_area.html",
    "templates/district.html",
    "templates/404.html",
    "templates/organisers.html",
    "templates/sitemap.xml",
    "templates/sitemap_index.xml",
    "templates/feed.xml",
    "templates/embed.html",
    "templates/partials/group_card.html",
    "templates/partials/search_form.html",
    "templates/leaflet.html",
    "templates/leaflets.html",
    "templates/partials/leaflet_sheet.html",
    "templates/partials/leaflet_card.html",
    "templates/partials/leaflets_group.html",
    "templates/partials/leaflet_group.html",
    "static/style.css",
    "static/_headers",
    "static/leaflet.css",
    "static/print.js",
    "static/search.js",
    "static/search-more.js",
    "static/add-group.js",
    "static/search-words.js",
    "static/embed.css",
    "static/icon.svg",
    "i18n/en.yaml",
    "i18n/cy.yaml",
    "i18n/so.yaml",
    "i18n/ar.yaml",
];

/// The hosts' headers file in a theme (Netlify, Cloudflare Pages).
const HEADERS: &str = "static/_headers";

/// A theme resolved for one site: each file from the site's override or the default.
#[derive(Debug, Clone)]
pub struct Theme {
    /// (path under the theme folder, contents), defaults overlaid by the site's files.
    pub files: Vec<(String, Vec<u8>)>,
}

impl Theme {
    /// Loads the default theme with the site's overrides from `root/themes/<name>/`.
    pub fn load(root: &Path, name: &str) -> (Theme, Vec<Diagnostic>) {
        let mut files: Vec<(String, Vec<u8>)> = DEFAULT_THEME
            .iter()
            .map(|(p, b)| (p.to_string(), b.to_vec()))
            .collect();
        let mut problems = Vec::new();
        let rel_dir = Path::new("themes").join(name);
        let dir = root.join(&rel_dir);
        let (found, ps) = crate::tree::files(root, &rel_dir, true, |_| true);
        problems.extend(ps);
        for path in found {
            let rel = crate::output::relative(&path, &dir);
            match std::fs::read(&path) {
                // A theme's `_headers` adds to the built-in one and cannot replace it:
                // hosts apply every matching block, so the built-in Content-Security-
                // Policy stays in force whatever a theme adds (a second policy can only
                // forbid more).
                Ok(bytes) if rel == HEADERS => {
                    if let Some(slot) = files.iter_mut().find(|(p, _)| *p == rel) {
                        slot.1
                            .extend_from_slice(b"\n# Added by the site's theme:\n");
                        slot.1.extend_from_slice(&bytes);
                    }
                }
                // aidmap writes `_redirects` (render/redirects.rs); a theme's would send
                // residents elsewhere, or fail the build as a second writer.
                Ok(_) if rel == "static/_redirects" => problems.push(
                    Diagnostic::error(
                        path.strip_prefix(root).unwrap_or(&path),
                        (0, 0),
                        "a theme cannot have a _redirects file: aidmap writes it",
                    )
                    .with_hint("remove it"),
                ),
                Ok(bytes) => match files.iter_mut().find(|(p, _)| *p == rel) {
                    Some(slot) => slot.1 = bytes,
                    None => files.push((rel, bytes)),
                },
                Err(e) => problems.push(Diagnostic::error(
                    path.strip_prefix(root).unwrap_or(&path),
                    (0, 0),
                    format!("cannot read the theme file: {e}"),
                )),
            }
        }
        (Theme { files }, problems)
    }

    /// Builds the template engine from the theme's `templates/`.
    pub fn tera(
        &self,
        root: &Path,
        theme_name: &str,
    ) -> std::result::Result<tera::Tera, Vec<Diagnostic>> {
        let mut tera = tera::Tera::new();
        tera.set_escape_fn(escape_markup);
        crate::i18n::register(&mut tera);
        let mut templates = Vec::new();
        let mut problems = Vec::new();
        for (path, bytes) in &self.files {
            if let Some(name) = path.strip_prefix("templates/") {
                match std::str::from_utf8(bytes) {
                    Ok(text) => templates.push((name.to_string(), text.to_string())),
                    Err(_) => problems.push(Diagnostic::error(
                        &root.join("themes").join(theme_name).join(path),
                        (0, 0),
                        "the template is not UTF-8 text",
                    )),
                }
            }
        }
        if let Err(e) = tera.add_raw_templates(templates) {
            problems.push(template_diagnostic(root, theme_name, &e));
        }
        if problems.is_empty() {
            Ok(tera)
        } else {
            Err(problems)
        }
    }

    /// The theme's static files (those under `static/`), to copy to the site root.
    pub fn static_files(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files
            .iter()
            .filter_map(|(p, b)| p.strip_prefix("static/").map(|rel| (rel, b.as_slice())))
    }
}

/// A template that does not compile as one located problem: tera's message names the
/// template and its line and column (` --> about.html:1:58`) under a first line saying
/// what is wrong; the file is the site's override when there is one.
fn template_diagnostic(root: &Path, theme_name: &str, e: &tera::Error) -> Diagnostic {
    let text = e.to_string();
    let what = text
        .lines()
        .next()
        .unwrap_or("")
        .trim_start_matches("error: ")
        .to_string();
    let at = text
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("--> "))
        .and_then(|loc| {
            let mut parts = loc.rsplitn(3, ':');
            let col = parts.next()?.trim().parse::<usize>().ok()?;
            let line = parts.next()?.trim().parse::<usize>().ok()?;
            Some((parts.next()?.to_string(), line, col))
        });
    let theme_dir = Path::new("themes").join(theme_name);
    match at {
        Some((name, line, col)) => {
            let own = theme_dir.join("templates").join(&name);
            let (path, hint) = if root.join(&own).is_file() {
                (
                    own,
                    "fix the template, or delete it to use the built-in one".to_string(),
                )
            } else {
                (
                    Path::new("templates").join(&name),
                    format!("the built-in template `{name}` fails with the site's other templates: check the templates in {}", theme_dir.join("templates").display()),
                )
            };
            Diagnostic::error(&path, (line, col), format!("template error: {what}")).with_hint(hint)
        }
        None => Diagnostic::error(
            &theme_dir.join("templates"),
            (0, 0),
            format!("a template has an error: {what}"),
        ),
    }
}

/// Tera's HTML escaping, after replacing the characters no XML 1.0 document may hold
/// (C0 controls but tab, LF and CR; U+FFFE, U+FFFF) with spaces: one `\u{1}` in a
/// site's title or a story's summary otherwise makes feed.xml unreadable to every feed
/// reader. Used for HTML too, where those characters are parse errors as well.
fn escape_markup(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    // Nearly all text has none: one pass over the bytes, then tera's fast escape.
    // U+FFFE and U+FFFF are the only forbidden characters whose UTF-8 starts with 0xEF.
    if !input
        .bytes()
        .any(|b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0xEF)
    {
        return tera::escape_html(input, out);
    }
    let clean: String = input
        .chars()
        .map(|c| if crate::output::not_xml(c) { ' ' } else { c })
        .collect();
    tera::escape_html(&clean, out)
}

/// Renders a template, turning a tera error into a message with its causes.
pub fn render(tera: &tera::Tera, name: &str, ctx: &tera::Context) -> Result<String> {
    tera.render(name, ctx).map_err(|e| template_error(name, e))
}

/// Room made for a page before it is rendered: most pages are 4 to 15 KB, so nearly all
/// are rendered without growing (and copying) the buffer.
const PAGE_CAPACITY: usize = 16 * 1024;

/// Renders a page to the bytes of its file.
///
/// Unlike [`render`], the output is never checked as UTF-8 again (tera writes only
/// `str`s) or grown from the template's own size: both showed in a profile of a
/// 5,000-group build (`from_utf8` 1.1%, copying grown buffers 1.2% of its instructions).
pub fn render_page(tera: &tera::Tera, name: &str, ctx: &tera::Context) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(PAGE_CAPACITY);
    tera.render_to(name, ctx, &mut out)
        .map_err(|e| template_error(name, e))?;
    Ok(out)
}

fn template_error(name: &str, e: tera::Error) -> anyhow::Error {
    let mut msg = format!("template {name}: {e}");
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        msg.push_str(&format!(": {s}"));
        source = s.source();
    }
    anyhow::anyhow!(msg)
}
