//! The free static hosts a directory is deployed to, and the limits of each that a
//! build can break: how many files, how large one file, how large the site, how many
//! entries in one folder. `aidmap build --host NAME` compares what it wrote (a
//! [`Tally`]) with them and warns before deploy; it never changes the exit code.
//!
//! Each figure is the host's own documentation's (the `source` of each [`Limits`]);
//! a limit a host does not document is `None`, never guessed. Checked 2026-12-06.

use super::tally::Tally;

/// A host `aidmap build --host` knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host {
    /// Cloudflare Pages, free plan.
    Cloudflare,
    /// GitHub Pages.
    Github,
    /// Netlify.
    Netlify,
}

/// One host's limits (see the module header).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The host and plan, as a person names it.
    pub name: &'static str,
    /// Files in one site.
    pub files: Option<u64>,
    /// Bytes in one file.
    pub file_bytes: Option<u64>,
    /// Bytes in the whole site.
    pub site_bytes: Option<u64>,
    /// Entries in one folder.
    pub folder_entries: Option<u64>,
    /// Where the figures are documented.
    pub source: &'static str,
}

const MIB: u64 = 1024 * 1024;

impl Host {
    /// Every host, in the order warnings and `bench/run` list them.
    pub const ALL: [Host; 3] = [Host::Cloudflare, Host::Github, Host::Netlify];

    /// The host `--host` and `site.yaml`'s `host:` call `name`: `cloudflare`, `github`,
    /// `netlify`.
    pub fn from_name(name: &str) -> Option<Host> {
        match name {
            "cloudflare" => Some(Host::Cloudflare),
            "github" => Some(Host::Github),
            "netlify" => Some(Host::Netlify),
            _ => None,
        }
    }

    /// The host's documented limits.
    pub fn limits(self) -> Limits {
        match self {
            Host::Cloudflare => Limits {
                name: "Cloudflare Pages (free plan)",
                files: Some(20_000),
                file_bytes: Some(25 * MIB),
                site_bytes: None,
                folder_entries: None,
                source: "https://developers.cloudflare.com/pages/platform/limits/",
            },
            Host::Github => Limits {
                name: "GitHub Pages",
                files: None,
                file_bytes: Some(100 * MIB),
                site_bytes: Some(1024 * MIB),
                folder_entries: None,
                source: "https://docs.github.com/en/pages/getting-started-with-github-pages/github-pages-limits",
            },
            Host::Netlify => Limits {
                name: "Netlify",
                files: None,
                file_bytes: None,
                site_bytes: None,
                folder_entries: Some(54_000),
                source: "https://docs.netlify.com/site-deploys/overview/",
            },
        }
    }

    /// The warnings for a site (`tally`) written to `out` (shown in each message), one per
    /// limit broken; none when it fits.
    pub fn check(self, tally: &Tally, out: &str) -> Vec<String> {
        let l = self.limits();
        let mut warnings = Vec::new();
        let mut warn = |what: String| {
            warnings.push(format!(
                "warning: {what}; {} will refuse or fail this deploy (limits: {})",
                l.name, l.source
            ));
        };
        let files = tally.files();
        if let Some(most) = l.files.filter(|m| files > *m) {
            warn(format!(
                "{out}: {} files, over {}'s {} files a site by {}",
                thousands(files),
                l.name,
                thousands(most),
                thousands(files - most)
            ));
        }
        if let (Some(most), Some((path, bytes))) = (l.file_bytes, tally.largest()) {
            if bytes > most {
                warn(format!(
                    "{out}/{path}: {}, over {}'s {} a file",
                    size(bytes),
                    l.name,
                    size(most)
                ));
            }
        }
        let bytes = tally.bytes();
        if let Some(most) = l.site_bytes.filter(|m| bytes > *m) {
            warn(format!(
                "{out}: {} in all, over {}'s {} a site",
                size(bytes),
                l.name,
                size(most)
            ));
        }
        let (folder, entries) = tally.fullest_folder();
        if let Some(most) = l.folder_entries.filter(|m| entries > *m) {
            let folder = if folder.is_empty() {
                out.to_string()
            } else {
                format!("{out}/{folder}/")
            };
            warn(format!(
                "{folder}: {} entries in one folder, over {}'s {} a folder",
                thousands(entries),
                l.name,
                thousands(most)
            ));
        }
        warnings
    }
}

/// 27195 -> "27,195".
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Bytes as a person reads them: "31.2 MiB", "1.1 GiB".
fn size(bytes: u64) -> String {
    let b = bytes as f64;
    if bytes >= 1024 * MIB {
        format!("{:.1} GiB", b / (1024.0 * MIB as f64))
    } else {
        format!("{:.1} MiB", b / MIB as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_limit_is_a_located_warning_with_the_numbers() {
        let mut t = Tally::default();
        for i in 0..20_001 {
            t.add(&format!("groups/g{i}/index.html"), 10);
        }
        t.add("data/groups.json", 26 * MIB);
        let cf = Host::Cloudflare.check(&t, "public");
        assert_eq!(cf.len(), 2, "{cf:?}");
        assert!(cf[0].contains("public: 20,002 files, over Cloudflare Pages (free plan)'s 20,000 files a site by 2"), "{}", cf[0]);
        assert!(
            cf[1].contains("public/data/groups.json: 26.0 MiB, over"),
            "{}",
            cf[1]
        );
        assert!(cf[1].contains("https://developers.cloudflare.com/pages/platform/limits/"));
        assert!(Host::Github.check(&t, "public").is_empty());
        assert!(Host::Netlify.check(&t, "public").is_empty());
        t.add("data/big.csv", 1100 * MIB);
        let gh = Host::Github.check(&t, "public");
        assert_eq!(gh.len(), 2, "{gh:?}");
        assert!(
            gh[0].contains("public/data/big.csv: 1.1 GiB, over GitHub Pages's 100.0 MiB a file"),
            "{}",
            gh[0]
        );
        assert!(gh[1].contains("public: 1.1 GiB in all"), "{}", gh[1]);
        for i in 0..54_000 {
            t.add(&format!("groups/h{i}/index.html"), 1);
        }
        let nl = Host::Netlify.check(&t, "public");
        assert_eq!(nl.len(), 1, "{nl:?}");
        assert!(
            nl[0].contains("public/groups/: 74,001 entries in one folder"),
            "{}",
            nl[0]
        );
    }
}
