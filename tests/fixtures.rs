//! Fixture directories in, messages and built files out, through the real binary.
//!
//! Each `tests/fixtures/invalid/<case>/` holds a directory with one kind of mistake and an
//! `expected.txt` with exactly what `aidmap check` prints. Run with `AIDMAP_BLESS=1` to
//! rewrite the expected files after a deliberate change of wording, then review the diff.

mod common;

use std::path::{Path, PathBuf};

use common::copy_dir;
use std::process::{Command, Output};

const TODAY: &str = "2026-11-22";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn aidmap(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_aidmap"))
        .args(args)
        .env("AIDMAP_TODAY", TODAY)
        .output()
        .expect("the aidmap binary runs")
}

/// `aidmap build --root ROOT --out OUT`.
fn build(root: &Path, out: &Path) -> Output {
    aidmap(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ])
}

#[test]
fn every_invalid_fixture_prints_its_pinned_messages() {
    let mut failures = Vec::new();
    let mut cases: Vec<_> = std::fs::read_dir(fixtures().join("invalid"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    assert!(cases.len() >= 20, "expected at least 20 invalid cases");
    for case in cases {
        let out = aidmap(&["check", "--root", case.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr).replace('\\', "/");
        let expected_path = case.join("expected.txt");
        if std::env::var_os("AIDMAP_BLESS").is_some() {
            std::fs::write(&expected_path, stderr.as_bytes()).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        if out.status.code() != Some(1) {
            failures.push(format!(
                "{name}: exit code {:?}, wanted 1",
                out.status.code()
            ));
        }
        if stderr != expected {
            failures.push(format!(
                "{name}:\n--- expected\n{expected}--- got\n{stderr}"
            ));
        }
        if !stderr.contains(": error: ") {
            failures.push(format!("{name}: no located error in {stderr}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_build_with_errors_writes_nothing_and_keeps_the_old_site() {
    let tmp = tempfile::tempdir().unwrap();
    let out_dir = tmp.path().join("public");
    std::fs::create_dir_all(&out_dir).unwrap();
    std::fs::write(out_dir.join("index.html"), "previous site").unwrap();
    let case = fixtures().join("invalid/many-files");
    let out = build(&case, &out_dir);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Every file's problem in one run.
    for file in ["a.yaml", "b.yaml", "c.yaml", "s.md"] {
        assert!(stderr.contains(file), "{file} missing from {stderr}");
    }
    assert!(stderr.contains("nothing was written"));
    assert_eq!(
        std::fs::read_to_string(out_dir.join("index.html")).unwrap(),
        "previous site"
    );
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        1,
        "no staging folder left behind"
    );
}

#[test]
fn a_build_into_a_read_only_place_fails_cleanly_and_keeps_the_old_site() {
    let tmp = tempfile::tempdir().unwrap();
    let parent = tmp.path().join("ro");
    let out_dir = parent.join("public");
    std::fs::create_dir_all(&out_dir).unwrap();
    std::fs::write(out_dir.join("index.html"), "previous site").unwrap();
    let mut perms = std::fs::metadata(&parent).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&parent, perms.clone()).unwrap();
    let case = fixtures().join("minimal");
    let out = build(&case, &out_dir);
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&parent, perms).unwrap();
    // Root ignores permissions, so only assert the failure where the OS enforced them.
    if !out.status.success() {
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("error:"));
    }
    if !out.status.success()
        || std::fs::read_to_string(out_dir.join("index.html")).unwrap() == "previous site"
    {
        assert_eq!(
            std::fs::read_to_string(out_dir.join("index.html")).unwrap(),
            "previous site"
        );
    }
}

#[test]
fn the_minimal_site_builds_every_page() {
    let tmp = tempfile::tempdir().unwrap();
    let out_dir = tmp.path().join("site");
    let case = fixtures().join("minimal");
    let out = build(&case, &out_dir);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("built 1 group, 0 stories"), "{stdout}");
    for page in [
        "index.html",
        "groups/index.html",
        "groups/nr2-helpers/index.html",
        "areas/nr/index.html",
        "stories/index.html",
        "about/index.html",
        "postcodes/index.html",
        "404.html",
        "sitemap.xml",
        "feed.xml",
        "style.css",
    ] {
        assert!(out_dir.join(page).is_file(), "{page} was not written");
    }
    let group = std::fs::read_to_string(out_dir.join("groups/nr2-helpers/index.html")).unwrap();
    assert!(group.contains("<h1>NR2 Helpers</h1>"));
    assert!(group.contains(
        r#"<a class="button call" href="tel:+441632960001">Call <span class="tel">01632 960001</span></a>"#
    ));
    let about = std::fs::read_to_string(out_dir.join("about/index.html")).unwrap();
    assert!(about.contains("Contains OS data © Crown copyright and database right 2024"));
    assert!(about.contains("Open Government Licence v.3.0"));
}

#[test]
fn a_rebuild_rewrites_only_what_changed_and_removes_what_went() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("dir");
    copy_dir(&fixtures().join("minimal"), &root);
    let out_dir = tmp.path().join("site");
    let rebuild = || {
        let out = build(&root, &out_dir);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    rebuild();
    let page = out_dir.join("groups/nr2-helpers/index.html");
    let before = std::fs::metadata(&page).unwrap().modified().unwrap();
    std::fs::write(out_dir.join("left-over.html"), "not ours any more").unwrap();

    let again = rebuild();
    assert!(
        again.contains("\n0 files new or changed,") && again.contains(" 1 removed"),
        "{again}"
    );
    assert_eq!(
        std::fs::metadata(&page).unwrap().modified().unwrap(),
        before
    );
    assert!(!out_dir.join("left-over.html").exists());

    // Rename the group: its old pages go, its new ones come, nothing else is lost.
    let file = root.join("content/groups/nr2-helpers.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::rename(&file, root.join("content/groups/nr2-neighbours.yaml")).unwrap();
    std::fs::write(
        root.join("content/groups/nr2-neighbours.yaml"),
        text.replace("NR2 Helpers", "NR2 Neighbours"),
    )
    .unwrap();
    rebuild();
    assert!(!out_dir.join("groups/nr2-helpers").exists());
    let renamed =
        std::fs::read_to_string(out_dir.join("groups/nr2-neighbours/index.html")).unwrap();
    assert!(renamed.contains("<h1>NR2 Neighbours</h1>"));
    assert!(out_dir.join("index.html").is_file());
    let mut beside: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    beside.sort();
    // Each folder's manifest (what the last build wrote in it) is named by its inode.
    let manifests = beside
        .iter()
        .filter(|n| n.starts_with(".site.aidmap-manifest-"))
        .count();
    assert_eq!(
        manifests, 2,
        "one manifest for the site and one for the spare: {beside:?}"
    );
    beside.retain(|n| !n.starts_with(".site.aidmap-manifest-"));
    assert_eq!(
        beside,
        [".site.aidmap-spare", "dir", "site"],
        "nothing beside the site but the one spare folder and the manifests"
    );
}

#[test]
fn the_output_folder_may_not_be_the_directory_or_its_content() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("dir");
    copy_dir(&fixtures().join("minimal"), &root);
    for bad in [root.clone(), root.join("content"), tmp.path().to_path_buf()] {
        let out = build(&root, &bad);
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("would replace the directory's own files"),
            "{stderr}"
        );
    }
    assert!(root.join("content/groups/nr2-helpers.yaml").is_file());
    assert!(root.join("site.yaml").is_file());
}

#[test]
fn byte_order_marks_and_windows_line_endings_just_work() {
    let tmp = tempfile::tempdir().unwrap();
    let case = fixtures().join("bom-crlf");
    let out = build(&case, &tmp.path().join("s"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let story =
        std::fs::read_to_string(tmp.path().join("s/stories/windows-story/index.html")).unwrap();
    assert!(story.contains("<em>works</em>"));
}

#[test]
fn check_exit_codes_are_documented_and_kept() {
    let ok = aidmap(&[
        "check",
        "--root",
        fixtures().join("minimal").to_str().unwrap(),
    ]);
    assert_eq!(ok.status.code(), Some(0));
    let usage = aidmap(&["build", "--no-such-flag"]);
    assert_eq!(usage.status.code(), Some(2));
    let help = aidmap(&["--help"]);
    assert!(String::from_utf8_lossy(&help.stdout)
        .contains("Exit codes: 0 success, 1 the content has errors"));
    let missing = aidmap(&["check", "--root", "/no/such/folder"]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn the_example_directory_builds_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    let out = build(Path::new(root), &tmp.path().join("s"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("error:"), "{stderr}");
}

/// The feed carries the 50 newest stories, newest first; the stories page lists them all.
#[test]
fn the_feed_carries_the_newest_fifty_stories() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("dir");
    copy_dir(&fixtures().join("minimal"), &root);
    let stories = root.join("content/stories");
    std::fs::create_dir_all(&stories).unwrap();
    for n in 1..=60 {
        std::fs::write(
            stories.join(format!("story-{n:02}.md")),
            format!(
                "---\ntitle: Story {n}\ndate: 2020-{:02}-{:02}\ngroups: [nr2-helpers]\nsummary: Neighbours helped, part {n}.\n---\nWhat happened, part {n}.\n",
                n / 28 + 1,
                n % 28 + 1
            ),
        )
        .unwrap();
    }
    let out_dir = tmp.path().join("site");
    let out = build(&root, &out_dir);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let feed = std::fs::read_to_string(out_dir.join("feed.xml")).unwrap();
    assert_eq!(feed.matches("<entry>").count(), 50);
    assert!(
        feed.contains("Story 60<") && !feed.contains("Story 10<"),
        "{feed}"
    );
    let list = std::fs::read_to_string(out_dir.join("stories/index.html")).unwrap();
    assert_eq!(list.matches("class=\"story-teaser\"").count(), 60);
}

/// A build prints three warnings that share a hint and counts the rest; `check` lists
/// every one (a national directory's build printed thousands alike).
#[test]
fn a_build_folds_warnings_that_share_a_hint() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&fixtures().join("minimal"), &root);
    for i in 1..=5 {
        std::fs::write(
            root.join(format!("content/groups/polish-{i}.yaml")),
            format!(
                "name: Polish Helpers {i}\nsummary: Neighbours helping neighbours.\nareas: [NR2]\nhelp: [shopping]\ncontact:\n  phone: \"01632 96000{i}\"\nlanguages: [en, pl]\nlast_checked: 2026-10-01\n"
            ),
        )
        .unwrap();
    }
    let out = build(&root, &tmp.path().join("out"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(
        stderr.matches("no leaflet strings for `pl`").count(),
        3,
        "{stderr}"
    );
    assert!(
        stderr.contains("... and 2 more warnings with the hint \"add i18n/pl.yaml"),
        "{stderr}"
    );
    assert!(stderr.contains("0 errors, 5 warnings"), "{stderr}");
    let check = aidmap(&["check", "--root", root.to_str().unwrap()]);
    let listed = String::from_utf8_lossy(&check.stdout).to_string()
        + &String::from_utf8_lossy(&check.stderr);
    assert_eq!(
        listed.matches("no leaflet strings for `pl`").count(),
        5,
        "{listed}"
    );
}
