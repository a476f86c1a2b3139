//! What a map's `<title>` and `<desc>` say, kept as data ([`Caption`]) beside the
//! drawing, so that a page in another language can say it in its own words
//! ([`SvgMap::with_words`]) without the map being drawn again.

use std::fmt::Write as _;

use super::draw::escape;
use super::SvgMap;

/// What a map's `<title>` and `<desc>` tell, as data: the map is drawn once, with
/// English words, and a page in another language writes its own from this
/// (`render::maps::svg_in`), so the shapes are never drawn twice.
#[derive(Debug, Clone, Default)]
pub enum Caption {
    /// No words (a map drawn before captions were kept).
    #[default]
    None,
    /// A group's coverage ([`super::group_map`]).
    Group {
        /// The group's name.
        name: String,
        /// Whole districts it covers.
        whole: Vec<String>,
        /// Sectors it covers (`NR3 1`).
        sectors: Vec<String>,
        /// Other districts in view: neighbours, named, and the districts of covered
        /// sectors, outlined.
        others: Vec<String>,
    },
    /// Every group in a postcode area ([`super::area_map`]).
    Area {
        /// `CF`.
        code: String,
        /// `Cardiff` (English).
        name: String,
        /// Each group: its name, the index of its fill pattern (0 for the first), what it
        /// covers.
        groups: Vec<(String, usize, Vec<String>)>,
        /// Some coverage is sectors, whose shape is estimated.
        estimated: bool,
    },
    /// A postcode area with more groups than patterns, by district
    /// ([`super::area_map`]): which districts have a group and which none yet.
    AreaDistricts {
        /// `L`.
        code: String,
        /// `Liverpool` (English).
        name: String,
        /// Districts with at least one group.
        with: Vec<String>,
        /// Districts with none yet.
        without: Vec<String>,
    },
    /// The region by postcode area ([`super::overview_map`]).
    Overview {
        /// How many areas.
        areas: usize,
        /// Areas with a group in half or more of their districts.
        most: Vec<String>,
        /// Areas with a group in fewer than half.
        some: Vec<String>,
        /// Areas with none.
        none: Vec<String>,
    },
    /// One district ([`super::district_map`]).
    District {
        /// `CF10`.
        code: String,
        /// Its place name (English; empty when none).
        name: String,
        /// A large users' code: a point, not an area.
        large_user: bool,
        /// Districts in view a group covers.
        whole: Vec<String>,
        /// Sectors in view a group covers.
        sectors: Vec<String>,
        /// Neighbouring districts.
        others: Vec<String>,
    },
}

impl SvgMap {
    /// The SVG with `title` and `desc` (plain text: escaped here) in place of the
    /// words it was drawn with. The drawing is copied once, as inserting it in a page
    /// copies it anyway; its shapes are not drawn again.
    pub fn with_words(&self, title: &str, desc: &str) -> String {
        let svg = self.svg.as_str();
        // The title and description come first, before any drawing, and their text is
        // escaped, so the first `<title` and `</desc>` are theirs.
        let (Some(start), Some(end)) = (svg.find("<title "), svg.find("</desc>")) else {
            return svg.to_string();
        };
        let end = end + "</desc>".len();
        let head = &svg[..start];
        let id = head
            .find("aria-labelledby=\"")
            .map(|i| &head[i + "aria-labelledby=\"".len()..])
            .and_then(|rest| rest.split(['"', ' ']).next())
            .and_then(|first| first.strip_suffix("-title"))
            .unwrap_or("map");
        let mut out = String::with_capacity(svg.len() + desc.len());
        out.push_str(head);
        let _ = write!(
            out,
            r#"<title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
            escape(title),
            escape(desc)
        );
        out.push_str(&svg[end..]);
        out
    }
}
