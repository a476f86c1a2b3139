//! Live reload and the in-browser error overlay, for pages served by `aidmap serve`.
//!
//! Served HTML gets one tag before `</body>`: `<script src="/__aidmap/livereload.js">`.
//! Built files never do; the tag is added as a page is served. The script is external
//! (no inline script) so the site's Content-Security-Policy still holds in preview.
//!
//! Endpoints, all JSON except the script:
//! - `/__aidmap/livereload.js`: the script.
//! - `/__aidmap/events`: `{"build": N}`, where N counts finished builds (good or bad).
//!   The script polls it four times a second; when N changes it asks for the errors.
//! - `/__aidmap/errors`: `{"build": N, "ok": bool, "text": "...", "diagnostics": [...]}`.
//!   `text` is exactly what `aidmap check` prints; the script draws it as an overlay over
//!   the last good page, and reloads the page once the errors are gone.

use serde::Serialize;

use crate::diagnostics::Diagnostic;

/// Where every live-reload address starts.
pub const PREFIX: &str = "/__aidmap/";

/// The script, served at `/__aidmap/livereload.js`.
pub const SCRIPT: &str = include_str!("livereload.js");

/// The tag added to every HTML page `serve` answers with.
pub const TAG: &str = "<script src=\"/__aidmap/livereload.js\"></script>";

/// The body of `/__aidmap/errors`.
#[derive(Debug, Serialize)]
pub struct ErrorsJson<'a> {
    /// Finished builds so far.
    pub build: u64,
    /// True when the last build succeeded.
    pub ok: bool,
    /// The problems as `aidmap check` prints them (empty when ok).
    pub text: &'a str,
    /// The same problems, one object each.
    pub diagnostics: Vec<&'a Diagnostic>,
}

/// Adds the live-reload tag to an HTML page, before `</body>` (or at the end).
pub fn inject(html: &[u8]) -> Vec<u8> {
    let needle = b"</body>";
    let at = html
        .windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + TAG.len() + 1);
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(TAG.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_before_body_end() {
        let out = inject(b"<html><body><p>x</p></body></html>");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!("<html><body><p>x</p>{TAG}\n</body></html>")
        );
        assert!(String::from_utf8(inject(b"<p>x"))
            .unwrap()
            .ends_with(&format!("{TAG}\n")));
    }
}
