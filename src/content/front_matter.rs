//! Splits a story file into its YAML front matter and Markdown body.
//!
//! *Front matter* is the YAML block between a first line `---` and the next line `---`.
//! The split keeps line numbers: the body's first line number is returned so messages
//! about either part point at the right line of the file.

/// A file split into front matter and body.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML text, without the fences.
    pub front: &'a str,
    /// The Markdown after the closing fence.
    pub body: &'a str,
}

/// Splits `source` (already free of a byte-order mark). `Err` says what is wrong.
pub fn split(source: &str) -> Result<Split<'_>, String> {
    let rest = source
        .strip_prefix("---\r\n")
        .or_else(|| source.strip_prefix("---\n"))
        .ok_or_else(|| "a story must start with a line `---`, then its front matter (title, date, ...), then another `---`".to_string())?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Ok(Split {
                front: &rest[..offset],
                body: &rest[offset + line.len()..],
            });
        }
        offset += line.len();
    }
    Err("the front matter has no closing `---` line".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_lf_and_crlf() {
        let s = split("---\ntitle: A\n---\nBody\n").unwrap();
        assert_eq!(
            s,
            Split {
                front: "title: A\n",
                body: "Body\n"
            }
        );
        let s = split("---\r\ntitle: A\r\n---\r\nBody").unwrap();
        assert_eq!(s.front, "title: A\r\n");
        assert_eq!(s.body, "Body");
        assert!(split("title: A\n").is_err());
        assert!(split("---\ntitle: A\n").is_err());
        assert_eq!(split("---\n---\n").unwrap().front, "");
    }
}
