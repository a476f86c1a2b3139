//! A national directory: what a build writes and says about it (issue #25).
//!
//! - the summary counts the files by kind, and `--host` warns, located and with the
//!   numbers, when the site breaks a host's limits (the exit code stays 0), and so does
//!   `site.yaml`'s `host:` when no `--host` is given;
//! - a rebuild trusts the manifest of the last build and reads no old page it vouches for;
//! - no list page (all groups, a letter's, an area's) weighs over 50 KB gzip at a
//!   directory of a few thousand groups, and every group is on exactly one letter page.

mod common;

use std::path::{Path, PathBuf};

use common::{aidmap, copy_dir};

fn build(root: &Path, out: &Path, extra: &[&str]) -> (String, String) {
    let done = aidmap()
        .args(["build", "--root"])
        .arg(root)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&done.stdout).into_owned(),
        String::from_utf8_lossy(&done.stderr).into_owned(),
    );
    assert!(done.status.success(), "{stdout}{stderr}");
    (stdout, stderr)
}

/// The example directory (the repository's own content), copied so it can be changed.
fn example(tmp: &Path) -> PathBuf {
    let root = tmp.join("dir");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for part in ["content", "static", "i18n", "themes"] {
        if repo.join(part).is_dir() {
            copy_dir(&repo.join(part), &root.join(part));
        }
    }
    std::fs::copy(repo.join("site.yaml"), root.join("site.yaml")).unwrap();
    root
}

#[test]
fn the_summary_counts_files_by_kind_and_host_limits_are_warned_before_deploy() {
    let tmp = tempfile::tempdir().unwrap();
    let root = example(tmp.path());
    let out = tmp.path().join("public");
    let all = [
        "--host",
        "cloudflare",
        "--host",
        "github",
        "--host",
        "netlify",
    ];
    let (stdout, stderr) = build(&root, &out, &all);
    let files = stdout
        .lines()
        .find(|l| l.starts_with("files: "))
        .unwrap_or_else(|| panic!("{stdout}"));
    for kind in [
        "group pages",
        "leaflets",
        "district pages",
        "area pages",
        "assets",
    ] {
        assert!(files.contains(kind), "{files}");
    }
    // The counts add up to the files the build says it wrote.
    let total: usize = files["files: ".len()..]
        .split(", ")
        .map(|part| part.split(' ').next().unwrap().parse::<usize>().unwrap())
        .sum();
    assert!(stdout.contains(&format!(" {total} files, ")), "{stdout}");
    for host in ["Cloudflare Pages (free plan)", "GitHub Pages", "Netlify"] {
        assert!(stdout.contains(&format!("fits {host}")), "{stdout}");
    }
    assert!(!stderr.contains("(limits: "), "{stderr}");

    // A 26 MiB file of the site's own: over Cloudflare's 25 MiB a file, not GitHub's 100.
    std::fs::create_dir_all(root.join("static/files")).unwrap();
    std::fs::write(root.join("static/files/minutes.pdf"), vec![b'x'; 26 << 20]).unwrap();
    let (stdout, stderr) = build(&root, &out, &all);
    let shown = format!(
        "{}/files/minutes.pdf: 26.0 MiB, over Cloudflare Pages (free plan)'s 25.0 MiB a file",
        out.display()
    );
    assert!(stderr.contains(&shown), "{stderr}");
    assert!(stderr.contains("https://developers.cloudflare.com/pages/platform/limits/"));
    assert_eq!(stderr.matches("(limits: ").count(), 1, "{stderr}");
    assert!(!stdout.contains("fits Cloudflare"), "{stdout}");
    assert!(stdout.contains("fits GitHub Pages"), "{stdout}");
    assert!(
        out.join("files/minutes.pdf").is_file(),
        "built all the same"
    );
}

#[test]
fn site_yaml_names_the_host_and_the_flag_wins() {
    let tmp = tempfile::tempdir().unwrap();
    let root = example(tmp.path());
    let out = tmp.path().join("public");
    let yaml = std::fs::read_to_string(root.join("site.yaml")).unwrap();
    std::fs::write(root.join("site.yaml"), format!("{yaml}host: github\n")).unwrap();
    // A 26 MiB file: over Cloudflare's 25 MiB a file, not GitHub's 100.
    std::fs::create_dir_all(root.join("static/files")).unwrap();
    std::fs::write(root.join("static/files/minutes.pdf"), vec![b'x'; 26 << 20]).unwrap();
    let (stdout, stderr) = build(&root, &out, &[]);
    assert!(stdout.contains("fits GitHub Pages"), "{stdout}");
    assert!(!stderr.contains("(limits: "), "{stderr}");
    let (stdout, stderr) = build(&root, &out, &["--host", "cloudflare"]);
    assert!(!stdout.contains("GitHub Pages"), "the flag wins: {stdout}");
    assert!(
        stderr.contains("over Cloudflare Pages (free plan)'s 25.0 MiB a file"),
        "{stderr}"
    );
}

/// Rewrites a file's bytes in place (same inode, same length) and puts its time back.
fn rewrite_in_place(path: &Path) -> Vec<u8> {
    use std::io::Write as _;
    let before = std::fs::read(path).unwrap();
    let time = std::fs::metadata(path).unwrap().modified().unwrap();
    let mut changed = before.clone();
    let at = changed.len() / 2;
    changed[at] = if changed[at] == b'#' { b'%' } else { b'#' };
    let mut f = std::fs::File::options().write(true).open(path).unwrap();
    f.write_all(&changed).unwrap();
    f.set_modified(time).unwrap();
    changed
}

#[cfg(unix)]
#[test]
fn a_rebuild_compares_with_the_manifest_not_with_the_old_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let root = example(tmp.path());
    let out = tmp.path().join("public");
    build(&root, &out, &[]);
    let manifests = || -> Vec<PathBuf> {
        std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with(".public.aidmap-manifest-")
            })
            .collect()
    };
    assert_eq!(manifests().len(), 1, "beside the site, not in it");
    assert!(!walkdir::WalkDir::new(&out).into_iter().any(|e| e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .contains("manifest")));
    // Behind the manifest's back: the home page's bytes changed in place, its length and
    // time put back. The rebuild does not read it, so it is left as it is (documented in
    // src/output/manifest.rs); a deleted page is noticed and written again.
    let home = out.join("index.html");
    let changed = rewrite_in_place(&home);
    let about = out.join("about/index.html");
    let about_bytes = std::fs::read(&about).unwrap();
    std::fs::remove_file(&about).unwrap();
    let (stdout, _) = build(&root, &out, &[]);
    assert!(stdout.contains("1 files new or changed"), "{stdout}");
    assert_eq!(std::fs::read(&home).unwrap(), changed, "never read");
    assert_eq!(std::fs::read(&about).unwrap(), about_bytes);
    // Without the manifests every page is compared by its bytes, and put right.
    rewrite_in_place(&home);
    manifests()
        .iter()
        .for_each(|m| std::fs::remove_file(m).unwrap());
    let (stdout, _) = build(&root, &out, &[]);
    assert!(stdout.contains("1 files new or changed"), "{stdout}");
    assert_ne!(std::fs::read(&home).unwrap(), changed);
}

/// Writes a directory of `n` groups in a few postcode areas, their addresses starting
/// with every letter but one in five with `s` (so that letter needs more than one page).
fn write_directory(root: &Path, n: usize) {
    std::fs::create_dir_all(root.join("content/groups")).unwrap();
    std::fs::write(
        root.join("site.yaml"),
        "title: Many Groups\nbase_url: https://example.org/\nstale_after_days: 180\n",
    )
    .unwrap();
    let districts = [
        "NR1", "NR2", "NR3", "NR4", "NR5", "B1", "B2", "B3", "B4", "B5", "B6", "LS1", "LS2",
    ];
    let words = [
        "acle",
        "beccles",
        "cromer",
        "diss",
        "eaton",
        "fakenham",
        "gorleston",
        "holt",
        "ipswich",
        "jarrow",
        "kings",
        "loddon",
        "mile",
        "norwich",
        "oulton",
        "poringland",
        "quidenham",
        "reepham",
        "sheringham",
        "thorpe",
        "upton",
        "vauxhall",
        "wells",
        "yarmouth",
        "zeal",
        "1st",
    ];
    for i in 0..n {
        let word = if i % 5 == 0 {
            "sprowston"
        } else {
            words[i % words.len()]
        };
        let slug = format!("{word}-{i}");
        let area = districts[i % districts.len()];
        std::fs::write(
            root.join("content/groups").join(format!("{slug}.yaml")),
            format!(
                "name: {word} Mutual Aid {i}\nsummary: Neighbours helping neighbours with shopping, prescriptions and a friendly call.\n\
                 areas: [{area}]\nhelp: [shopping, prescriptions]\ncontact:\n  phone: \"01632 96{:04}\"\n\
                 languages: [en]\nlast_checked: 2026-10-01\n",
                i % 10_000
            ),
        )
        .unwrap();
    }
}

/// The gzip size of a file (level 6, as the budgets are measured), by the system's gzip.
fn gzip_size(path: &Path) -> usize {
    let done = std::process::Command::new("gzip")
        .args(["-6", "-c"])
        .arg(path)
        .output()
        .expect("gzip");
    done.stdout.len()
}

#[test]
fn no_list_page_weighs_over_50_kb_gzip_at_a_few_thousand_groups() {
    const GROUPS: usize = 3_000;
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("dir");
    write_directory(&root, GROUPS);
    let out = tmp.path().join("public");
    let (said, _) = build(&root, &out, &[]);
    // Up to 10,000 groups the open data stays plain.
    assert!(!said.contains("open data:"), "{said}");
    assert!(out.join("data/groups.json").is_file());
    let mut lists: Vec<PathBuf> = vec![out.join("groups/index.html")];
    for folder in ["a-z", "areas"] {
        lists.extend(
            walkdir::WalkDir::new(out.join(folder))
                .into_iter()
                .map(|e| e.unwrap().into_path())
                .filter(|p| p.ends_with("index.html")),
        );
    }
    assert!(lists.len() > 30, "{} list pages", lists.len());
    for page in &lists {
        let size = gzip_size(page);
        assert!(
            size <= 50 * 1024,
            "{}: {size} B gzip",
            page.strip_prefix(&out).unwrap().display()
        );
    }
    // groups/ links every letter, and every group is on exactly one letter page.
    let index = std::fs::read_to_string(out.join("groups/index.html")).unwrap();
    assert!(index.contains("href=\"../a-z/s/\""), "letter S");
    assert!(index.contains("href=\"../a-z/0-9/\""), "digits");
    let mut seen = std::collections::HashMap::new();
    for page in lists.iter().filter(|p| p.starts_with(out.join("a-z"))) {
        let text = std::fs::read_to_string(page).unwrap();
        for part in text.split("<h2><a href=\"").skip(1) {
            let href = part.split('"').next().unwrap();
            let slug = href.trim_start_matches("../").trim_end_matches('/');
            *seen.entry(slug.to_string()).or_insert(0) += 1;
        }
    }
    assert_eq!(seen.len(), GROUPS);
    assert!(seen.values().all(|&n| n == 1));
    // S has more than one page, linked in order.
    let s1 = std::fs::read_to_string(out.join("a-z/s/index.html")).unwrap();
    assert!(s1.contains("href=\"../../a-z/s/2/\" rel=\"next\""), "{s1}");
    let s2 = std::fs::read_to_string(out.join("a-z/s/2/index.html")).unwrap();
    assert!(s2.contains("rel=\"prev\""));
    // Every link on the list pages leads to a page of the site (no JavaScript needed).
    for page in &lists {
        let text = std::fs::read_to_string(page).unwrap();
        for part in text.split("href=\"").skip(1) {
            let href = part.split('"').next().unwrap();
            if href.contains(':') || href.starts_with('#') {
                continue;
            }
            let path = href.split('#').next().unwrap();
            let target = page.parent().unwrap().join(path);
            let file = if path.is_empty() || path.ends_with('/') {
                target.join("index.html")
            } else {
                target
            };
            assert!(
                file.is_file(),
                "{} links {href}, which is not there",
                page.strip_prefix(&out).unwrap().display()
            );
        }
    }
    // An area with more groups than a list page holds lists its districts instead.
    let nr = std::fs::read_to_string(out.join("areas/nr/index.html")).unwrap();
    assert!(nr.contains("too many for one page"), "{nr}");
    assert!(nr.contains("postcodes/nr2/"));
}

#[test]
fn the_stories_list_is_paged_and_no_story_may_take_its_folder() {
    // The example's own stories and 850 more: three pages of at most 400.
    let tmp = tempfile::tempdir().unwrap();
    let root = example(tmp.path());
    let before = std::fs::read_dir(root.join("content/stories"))
        .unwrap()
        .count();
    for i in 0..850 {
        std::fs::write(
            root.join(format!("content/stories/day-{i:03}.md")),
            format!(
                "---\ntitle: Day {i} of the food bank run\ndate: 2020-0{}-{:02}\nplace: Norwich\nsummary: Volunteers from the street carried parcels to neighbours who could not go out.\n---\nWe did it again on day {i}.\n",
                1 + i % 9,
                1 + i % 28
            ),
        )
        .unwrap();
    }
    let total = before + 850;
    let out = tmp.path().join("public");
    build(&root, &out, &[]);
    let pages = [
        out.join("stories/index.html"),
        out.join("stories/page/2/index.html"),
        out.join("stories/page/3/index.html"),
    ];
    let mut seen = std::collections::HashMap::new();
    for page in &pages {
        assert!(gzip_size(page) <= 50 * 1024, "{}", page.display());
        let text = std::fs::read_to_string(page).unwrap();
        for part in text
            .split("<article class=\"story-teaser\"><h2><a href=\"")
            .skip(1)
        {
            let href = part.split('"').next().unwrap();
            *seen
                .entry(href.rsplit("stories/").next().unwrap().to_string())
                .or_insert(0) += 1;
        }
    }
    assert_eq!(seen.len(), total);
    assert!(seen.values().all(|&n| n == 1));
    assert!(!out.join("stories/page/4").exists());
    let first = std::fs::read_to_string(&pages[0]).unwrap();
    assert!(first.contains("<h1>Stories (1 of 3)</h1>"), "{first}");
    assert!(
        first.contains("href=\"../stories/page/2/\" rel=\"next\""),
        "{first}"
    );
    let third = std::fs::read_to_string(&pages[2]).unwrap();
    assert!(third.contains("href=\"../../../stories/page/2/\" rel=\"prev\""));
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("stories/page/3/</loc>"),
        "the later pages are in the sitemap"
    );

    // A story called `page` would take the later pages' folder: refused, located.
    std::fs::write(
        root.join("content/stories/page.md"),
        "---\ntitle: Page\ndate: 2020-05-01\n---\nA page.\n",
    )
    .unwrap();
    let done = aidmap()
        .args(["check", "--root"])
        .arg(&root)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&done.stderr);
    assert_eq!(done.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("content/stories/page.md: error: a story called `page` would take the address of the stories list's later pages (stories/page/2/)"),
        "{stderr}"
    );
}

/// Unzips a gzip file the build wrote.
fn gunzip(path: &Path) -> String {
    use std::io::Read as _;
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        bytes.starts_with(&[0x1f, 0x8b]),
        "{} is gzip",
        path.display()
    );
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes.as_slice())
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn past_ten_thousand_groups_the_full_open_data_is_gzip_and_still_linked_and_imported() {
    const GROUPS: usize = 10_001;
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("dir");
    write_directory(&root, GROUPS);
    let out = tmp.path().join("public");
    let (said, _) = build(&root, &out, &[]);
    assert!(
        said.contains("open data: more than 10,000 groups, so data/groups.json.gz, data/groups.csv.gz and data/openreferral/services.json.gz are gzip-compressed"),
        "{said}"
    );
    let data = out.join("data");
    // The three files that hold every group in full are compressed; no plain copy.
    for plain in ["groups.json", "groups.csv", "openreferral/services.json"] {
        assert!(!data.join(plain).exists(), "{plain} is written plain too");
    }
    let json: serde_json::Value =
        serde_json::from_str(&gunzip(&data.join("groups.json.gz"))).unwrap();
    assert_eq!(json["groups"].as_array().unwrap().len(), GROUPS);
    let csv = gunzip(&data.join("groups.csv.gz"));
    assert!(csv.starts_with("slug,name,"), "{}", &csv[..80]);
    assert_eq!(csv.lines().count(), GROUPS + 1);
    let services: serde_json::Value =
        serde_json::from_str(&gunzip(&data.join("openreferral/services.json.gz"))).unwrap();
    assert_eq!(services["contents"].as_array().unwrap().len(), GROUPS);
    // The small files stay plain.
    assert!(std::fs::read_to_string(data.join("coverage.geojson"))
        .unwrap()
        .starts_with('{'));
    // Everything that names them names the .gz: the README, the changes feed, the about
    // page (whose every data link leads to a file that is there).
    let readme = std::fs::read_to_string(data.join("README.txt")).unwrap();
    assert!(readme.contains("more than 10,000 groups"), "{readme}");
    assert!(
        readme.contains("\ngroups.json.gz    every group"),
        "{readme}"
    );
    assert!(
        readme.contains("\nopenreferral/services.json.gz\n"),
        "{readme}"
    );
    let feed = std::fs::read_to_string(data.join("changes.xml")).unwrap();
    assert!(feed.contains("data/groups.json.gz)"), "{feed}");
    let about = std::fs::read_to_string(out.join("about/index.html")).unwrap();
    assert!(
        about.contains("files with every group are compressed"),
        "{about}"
    );
    let links: Vec<&str> = about
        .split("href=\"../data/")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap())
        .collect();
    for name in [
        "groups.json.gz",
        "groups.csv.gz",
        "openreferral/services.json.gz",
    ] {
        assert!(links.contains(&name), "about links {name}: {links:?}");
    }
    for link in &links {
        assert!(
            data.join(link).is_file(),
            "about links data/{link}, not there"
        );
    }
    // Another directory imports the compressed file as it is.
    let other = tmp.path().join("other");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(
        other.join("site.yaml"),
        "title: Other\nbase_url: https://other.example.org/\n",
    )
    .unwrap();
    let done = aidmap()
        .args(["import", "--dry-run", "--root"])
        .arg(&other)
        .arg(data.join("groups.json.gz"))
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&done.stdout);
    assert!(
        done.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert!(said.contains("aidmap groups.json"), "{said}");
    assert!(said.contains("10001 to write, 0 updated"), "{said}");
}
