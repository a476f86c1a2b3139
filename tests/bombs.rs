//! Files built to make `aidmap check` slow or hungry are refused with a located error.
//!
//! Each test writes one hostile file into a copy of a small valid site and runs the real
//! binary. They assert the message and that the check returns; the times measured in
//! release builds (all well under a second) are in the commit that added the limits.

mod common;

use std::path::Path;

use common::{copy_dir, fixture, run};

/// A copy of a small valid site (one group, one story) in a temporary folder.
fn site() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixture("invalid/story-deep-nesting"), tmp.path());
    std::fs::remove_file(tmp.path().join("expected.txt")).unwrap();
    tmp
}

fn check(root: &Path) -> String {
    let out = run(&["check", "--root", root.to_str().unwrap()]);
    String::from_utf8_lossy(&out.stderr).replace('\\', "/")
}

fn story(root: &Path, body: &str) -> String {
    let text = format!("---\ntitle: A tale\ndate: 2020-05-01\n---\n{body}\n");
    std::fs::write(root.join("content/stories/tale.md"), text).unwrap();
    check(root)
}

#[test]
fn the_alias_bomb_from_the_report_is_refused_before_expansion() {
    // 128 KB anchored once, repeated 43,000 times: 5.6 GB once expanded.
    let tmp = site();
    let group = format!(
        "name: NR2 Helpers\nsummary: Help\ndescription: &s {}\nareas: [{}]\nhelp: [shopping]\n\
         contact:\n  phone: \"01632 960001\"\nlanguages: [en]\nlast_checked: 2026-10-01\n",
        "x".repeat(128 * 1024),
        vec!["*s"; 43_000].join(",")
    );
    std::fs::write(tmp.path().join("content/groups/real.yaml"), group).unwrap();
    let stderr = check(tmp.path());
    assert!(
        stderr.contains("content/groups/real.yaml:3:14: error: anchors and aliases"),
        "{stderr}"
    );
    assert!(stderr.contains("write the value out in full"), "{stderr}");
}

#[test]
fn markdown_nesting_bombs_are_refused_where_they_pass_the_limit() {
    let tmp = site();
    let cases = [
        (">".repeat(256_000), "tale.md:5:33:"),
        ("> ".repeat(100_000), "tale.md:5:65:"),
        ("1. ".repeat(80_000), "tale.md:5:49:"),
        ("<div>".repeat(50_000), "tale.md:5:1:"),
        ("<div>\n".repeat(40_000), "tale.md:36:1:"),
        (format!("x {}", "<b><i>".repeat(40_000)), "tale.md:5:96:"),
        ("<div></p>".repeat(20_000), "tale.md:5:1:"),
        ("<b>x\n\n".repeat(20_000), "tale.md:67:1:"),
        ("> - ".repeat(60_000), "tale.md:5:43:"),
    ];
    for (body, at) in cases {
        let stderr = story(tmp.path(), &body);
        assert!(
            stderr.contains(&format!(
                "{at} error: this is nested more than 32 levels deep"
            )),
            "{at}: {stderr}"
        );
    }
}

#[test]
fn wide_but_shallow_markdown_still_checks() {
    let tmp = site();
    for body in [
        "[".repeat(250_000),
        "*".repeat(250_000),
        "*_".repeat(120_000),
        "[a](b) ".repeat(30_000),
        format!("|a|b|\n|-|-|\n{}", "|x|y|\n".repeat(40_000)),
        format!("{}x{}", "[".repeat(5000), "](y)".repeat(5000)),
        "- ".repeat(120_000),
        format!("{}\n", "> x\n>\n".repeat(30_000)),
    ] {
        let stderr = story(tmp.path(), &body);
        assert!(stderr.contains("ok: 1 group, 1 story checked"), "{stderr}");
    }
}

#[test]
fn a_deep_group_description_is_located_in_the_group_file() {
    let tmp = site();
    let group = format!(
        "name: NR2 Helpers\nsummary: Help\nareas: [NR2]\nhelp: [shopping]\n\
         contact:\n  phone: \"01632 960001\"\nlanguages: [en]\nlast_checked: 2026-10-01\n\
         description: |\n  Fine.\n\n  {}\n",
        "<div>".repeat(1000)
    );
    std::fs::write(tmp.path().join("content/groups/real.yaml"), group).unwrap();
    let stderr = check(tmp.path());
    assert!(
        stderr.contains(
            "content/groups/real.yaml:12:3: error: description: this is nested more than 32"
        ),
        "{stderr}"
    );
}
