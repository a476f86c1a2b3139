//! How many raw HTML elements a Markdown text leaves open, counted without building a tree.
//!
//! The scanner follows the HTML tokenizer's rules for tags, attributes and comments, and
//! errs on one side only: it may count more open elements than a browser's tree has,
//! never fewer. So a close tag only closes the element on top of its stack when the
//! names match (a stray `</p>` closes nothing here, though the tree builder may insert
//! an empty `<p>`), and once it meets anything whose effect on the tokenizer it does not
//! model (an unfinished tag or comment, `<script>`, `<style>`, `<svg>`, CDATA, ...), it
//! becomes *wary*: for the rest of the text every `<` followed by a letter opens an
//! element and nothing closes. Ordinary raw HTML (`<sup>`, `<details>`, comments) never
//! makes it wary.

/// Elements that never have content, so never nest.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements that switch the tokenizer out of its normal state, or into foreign content.
const UNMODELLED: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
    "svg",
    "math",
];

/// Counts open raw HTML elements across the HTML pieces of one Markdown text.
#[derive(Debug, Default)]
pub(super) struct Scanner {
    open: Vec<String>,
    wary: usize,
    is_wary: bool,
}

fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

impl Scanner {
    /// Elements open now.
    pub(super) fn depth(&self) -> usize {
        self.open.len() + self.wary
    }

    /// Reads one HTML piece (a pulldown-cmark `Html` or `InlineHtml` event). Between
    /// pieces the HTML around them is Markdown's own, well formed, so each piece starts
    /// in the tokenizer's data state unless an earlier piece made the scanner wary.
    pub(super) fn feed(&mut self, text: &str) {
        let b = text.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if self.is_wary {
                if b[i] == b'<' && b.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
                    let name = tag_name(b, i + 1);
                    if !VOID.contains(&name.as_str()) {
                        self.wary += 1;
                    }
                }
                i += 1;
                continue;
            }
            if b[i] != b'<' {
                i += 1;
                continue;
            }
            let rest = &b[i..];
            if rest.starts_with(b"<!--") {
                // The tokenizer's comment ends: `<!-->`, `<!--->`, then `-->` or `--!>`.
                let body = &b[i + 4..];
                let end = if body.starts_with(b">") {
                    Some(1)
                } else if body.starts_with(b"->") {
                    Some(2)
                } else {
                    find(body, b"-->")
                        .map(|e| e + 3)
                        .into_iter()
                        .chain(find(body, b"--!>").map(|e| e + 4))
                        .min()
                };
                match end {
                    Some(e) => i += 4 + e,
                    None => return self.become_wary(b, i),
                }
                continue;
            }
            if rest.starts_with(b"<![") {
                // CDATA is a comment in HTML but text in SVG: not modelled.
                return self.become_wary(b, i);
            }
            let closing = rest.get(1) == Some(&b'/');
            let name_at = i + 1 + usize::from(closing);
            let starts_name = b.get(name_at).is_some_and(u8::is_ascii_alphabetic);
            if !starts_name {
                if matches!(rest.get(1), Some(b'!' | b'?')) || closing {
                    // A bogus comment, up to the first `>`.
                    match find(&b[i..], b">") {
                        Some(e) => i += e + 1,
                        None => return self.become_wary(b, i),
                    }
                } else {
                    i += 1; // A `<` that is text.
                }
                continue;
            }
            let name = tag_name(b, name_at);
            let Some(end) = tag_end(b, name_at + name.len()) else {
                return self.become_wary(b, i);
            };
            if closing {
                if self.open.last() == Some(&name) {
                    self.open.pop();
                }
            } else if UNMODELLED.contains(&name.as_str()) {
                self.open.push(name);
                return self.become_wary(b, end);
            } else if !VOID.contains(&name.as_str()) {
                self.open.push(name);
            }
            i = end;
        }
    }

    fn become_wary(&mut self, b: &[u8], from: usize) {
        self.is_wary = true;
        if let Ok(rest) = std::str::from_utf8(&b[from..]) {
            self.feed(rest);
        } else {
            // Never happens for text cut at an ASCII byte; count every `<` to be safe.
            self.wary += b[from..].iter().filter(|&&c| c == b'<').count();
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The tag name starting at `at`, lower-cased, as the tokenizer reads it.
fn tag_name(b: &[u8], at: usize) -> String {
    let end = b[at..]
        .iter()
        .position(|&c| is_space(c) || c == b'/' || c == b'>')
        .map_or(b.len(), |e| at + e);
    String::from_utf8_lossy(&b[at..end]).to_ascii_lowercase()
}

/// Where the tag whose name ends at `at` ends (just past its `>`), reading attributes and
/// their quoted values as the tokenizer does; `None` if the text ends first.
fn tag_end(b: &[u8], mut i: usize) -> Option<usize> {
    loop {
        while i < b.len() && (is_space(b[i]) || b[i] == b'/') {
            i += 1;
        }
        match b.get(i)? {
            b'>' => return Some(i + 1),
            _ => {
                // An attribute name; a leading `=` belongs to it.
                i += 1;
                while i < b.len() && !is_space(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
                    i += 1;
                }
                while i < b.len() && is_space(b[i]) {
                    i += 1;
                }
                if b.get(i) != Some(&b'=') {
                    continue;
                }
                i += 1;
                while i < b.len() && is_space(b[i]) {
                    i += 1;
                }
                match b.get(i)? {
                    &q @ (b'"' | b'\'') => {
                        i += 1 + b[i + 1..].iter().position(|&c| c == q)? + 1;
                    }
                    b'>' => return Some(i + 1),
                    _ => {
                        while i < b.len() && !is_space(b[i]) && b[i] != b'>' {
                            i += 1;
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Scanner;

    fn depth(pieces: &[&str]) -> usize {
        let mut s = Scanner::default();
        for p in pieces {
            s.feed(p);
        }
        s.depth()
    }

    #[test]
    fn balanced_html_closes() {
        assert_eq!(depth(&["<details><summary>a</summary>b</details>"]), 0);
        assert_eq!(depth(&["<sup>1</sup> <br> <img src=x> <!-- <div> -->"]), 0);
        assert_eq!(depth(&["<div class=\"a>b\">", "text", "</DIV>"]), 0);
        assert_eq!(depth(&["<p>a<!-->", "<p>"]), 2);
    }

    #[test]
    fn tricks_never_lower_the_count() {
        // A stray close tag closes nothing.
        assert_eq!(depth(&["<div></p><div></p>"]), 2);
        // A close tag hidden in an attribute value is not a close tag.
        assert_eq!(depth(&["<b><b title=\"</b>\">"]), 2);
        // After an unfinished comment or a raw-text element nothing closes.
        assert_eq!(depth(&["<!-- x", "<b></b><b>"]), 2);
        assert_eq!(depth(&["<style><!--</style><b><b>-->"]), 3);
        assert_eq!(depth(&["<div title='", "'><b></b>"]), 2);
        assert_eq!(depth(&["<svg><g><![CDATA[> </g> ]]><g>"]), 3);
    }
}
