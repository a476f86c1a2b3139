//! Where a new directory's checks and Netlify install aidmap from: its *install source*,
//! a git address and a commit, kept in the directory's `.aidmap-version` and read by its
//! `scripts/install-aidmap`. `aidmap init` records the aidmap that ran it: the address
//! and commit it was built from (`build.rs` asks git, or a packager sets
//! `AIDMAP_SOURCE`/`AIDMAP_SOURCE_REV`), or what `--aidmap-source` and `--aidmap-rev`
//! say. When neither is known it writes the file with empty values and says so, rather
//! than a placeholder that fails later in someone's CI.

use url::Url;

/// A git address CI can clone anonymously and the commit (or tag) to install.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// `https://…` (or `file://…` for a copy on this machine), with no credentials.
    pub url: String,
    /// A commit hash or a tag name.
    pub rev: String,
}

impl Source {
    /// The source this binary was built from, when build.rs could tell.
    pub fn built_in() -> Option<Source> {
        Source::new(env!("AIDMAP_BUILT_FROM"), env!("AIDMAP_BUILT_REV")).ok()
    }

    /// Checks and normalises an address and a revision given by a person or by git.
    pub fn new(url: &str, rev: &str) -> Result<Source, String> {
        Ok(Source {
            url: normalise_url(url.trim())?,
            rev: check_rev(rev.trim())?,
        })
    }

    /// True when only this machine can install from it (a `file://` address).
    pub fn is_local(&self) -> bool {
        self.url.starts_with("file:")
    }
}

/// Turns the usual git remote spellings into an address CI can clone over HTTPS, and
/// drops any user name or token (a remote such as `https://x:TOKEN@github.com/…` must
/// never be written into a public repository).
fn normalise_url(raw: &str) -> Result<String, String> {
    if raw.is_empty() {
        return Err("no git address".into());
    }
    // scp-like `git@github.com:owner/repo.git`
    let rewritten;
    let raw = match raw.split_once(':') {
        Some((user_host, path))
            if !raw.contains("://") && user_host.contains('@') && !path.starts_with('/') =>
        {
            let host = user_host.rsplit('@').next().unwrap_or_default();
            rewritten = format!("https://{host}/{path}");
            rewritten.as_str()
        }
        _ => raw,
    };
    let mut url =
        Url::parse(raw).map_err(|_| format!("`{raw}` is not a git address CI can clone"))?;
    if url.scheme() == "ssh" {
        let rest = format!(
            "https://{}{}",
            url.host_str().unwrap_or_default(),
            url.path()
        );
        url = Url::parse(&rest).map_err(|e| e.to_string())?;
    }
    match url.scheme() {
        "https" | "file" => {}
        other => {
            return Err(format!(
                "a `{other}:` address cannot be cloned by CI; give an https:// one"
            ))
        }
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err("the git address may not have `?` or `#` parts".into());
    }
    let _ = url.set_username("");
    let _ = url.set_password(None);
    let mut text = url.to_string();
    if let Some(stripped) = text.strip_suffix(".git") {
        text = stripped.to_string();
    }
    Ok(text.trim_end_matches('/').to_string())
}

/// A commit hash (7 to 40 hex digits) or a tag name: letters, digits, `.`, `-`, `_`
/// and `/`, starting with a letter or digit. Nothing a shell would read specially.
fn check_rev(rev: &str) -> Result<String, String> {
    let ok = !rev.is_empty()
        && rev.len() <= 100
        && rev.starts_with(|c: char| c.is_ascii_alphanumeric())
        && rev
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '/'));
    if ok {
        Ok(rev.to_string())
    } else {
        Err(format!("`{rev}` is not a commit or tag name"))
    }
}

/// The commit this binary was built from, when known, even if its address is not.
pub fn built_in_rev() -> Option<String> {
    check_rev(env!("AIDMAP_BUILT_REV")).ok()
}

/// The text of `.aidmap-version`: the source, or empty values to fill in (the commit
/// this binary was built from kept when only the address is unknown).
pub fn version_file(source: Option<&Source>) -> String {
    let fallback_rev = built_in_rev().unwrap_or_default();
    let (url, rev) = source.map_or(("", fallback_rev.as_str()), |s| {
        (s.url.as_str(), s.rev.as_str())
    });
    format!(
        "# The aidmap this directory's checks and Netlify install: a git address and a commit\n\
         # (scripts/install-aidmap reads this file). To upgrade aidmap, put a newer commit\n\
         # of the same repository here and let the pull request's check run.\n\
         source = {url}\n\
         rev = {rev}\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remotes_become_https_without_credentials() {
        let rev = "0123456789abcdef0123456789abcdef01234567";
        for (raw, want) in [
            ("https://github.com/o/aidmap", "https://github.com/o/aidmap"),
            (
                "https://github.com/o/aidmap.git",
                "https://github.com/o/aidmap",
            ),
            ("git@github.com:o/aidmap.git", "https://github.com/o/aidmap"),
            (
                "ssh://git@github.com/o/aidmap.git",
                "https://github.com/o/aidmap",
            ),
            (
                "https://x-access-token:SECRET@github.com/o/aidmap.git",
                "https://github.com/o/aidmap",
            ),
            ("file:///srv/git/aidmap", "file:///srv/git/aidmap"),
        ] {
            assert_eq!(Source::new(raw, rev).unwrap().url, want, "{raw}");
        }
        for raw in [
            "",
            "/srv/git/aidmap",
            "http://example.org/a",
            "https://g.com/a?x=1",
        ] {
            assert!(Source::new(raw, rev).is_err(), "{raw}");
        }
    }

    #[test]
    fn revisions_are_plain() {
        assert!(Source::new("https://g.com/a", "v0.2.0").is_ok());
        for bad in ["", "-x", "a b", "$(id)", "a;b", "`x`"] {
            assert!(Source::new("https://g.com/a", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_file_has_both_lines_even_when_unknown() {
        let text = version_file(None);
        assert!(text.contains("\nsource = \nrev = "));
        let s = Source::new("https://g.com/a", "abc1234").unwrap();
        assert!(version_file(Some(&s)).contains("source = https://g.com/a\nrev = abc1234\n"));
    }
}
