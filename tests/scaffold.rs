//! `aidmap init` and `aidmap new`: what they write, and that it checks as promised.

mod common;

use common::run;

fn text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn init_makes_a_directory_that_checks_and_builds_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("newsite");
    let out = run(&["init", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    for f in [
        "site.yaml",
        "content/groups/example-street-helpers.yaml",
        "content/stories/.gitkeep",
        "netlify.toml",
        ".github/workflows/check.yml",
        ".github/pull_request_template.md",
        "CONTRIBUTING.md",
    ] {
        assert!(dir.join(f).is_file(), "{f} missing");
    }
    let workflow = std::fs::read_to_string(dir.join(".github/workflows/check.yml")).unwrap();
    assert!(workflow.contains("pull_request"));
    assert!(workflow.contains("aidmap check --format github"));
    let template = std::fs::read_to_string(dir.join(".github/pull_request_template.md")).unwrap();
    assert!(template.contains("private mobile"));

    let check = run(&["check", "--root", dir.to_str().unwrap()]);
    assert!(check.status.success(), "{}", text(&check));
    assert!(text(&check).contains("ok: 1 group, 0 stories checked, 0 warnings"));
    let out_dir = tmp.path().join("public");
    let build = run(&[
        "build",
        "--root",
        dir.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert!(build.status.success(), "{}", text(&build));
    assert!(out_dir.join("schema/group.schema.json").is_file());
    assert!(out_dir.join("organisers/index.html").is_file());
    // The live-reload script belongs to `serve` only.
    let home = std::fs::read_to_string(out_dir.join("index.html")).unwrap();
    assert!(!home.contains("__aidmap"));

    // A second init into the same, now non-empty, folder is refused.
    let again = run(&["init", dir.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
    assert!(text(&again).contains("is not empty"));
}

#[test]
fn new_files_fail_check_until_filled_in() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    assert!(run(&["init", dir.to_str().unwrap()]).status.success());
    let root = dir.to_str().unwrap();

    let out = run(&["new", "group", "Thorpe Neighbours", "--root", root]);
    assert!(out.status.success(), "{}", text(&out));
    let group = dir.join("content/groups/thorpe-neighbours.yaml");
    let src = std::fs::read_to_string(&group).unwrap();
    assert_eq!(
        src.lines().next(),
        Some("# yaml-language-server: $schema=https://example.org/schema/group.schema.json")
    );
    assert!(src.contains("name: \"Thorpe Neighbours\""));
    assert!(
        src.contains("\nadded: 2026-11-22\n"),
        "added is today's date"
    );

    let out = run(&["new", "story", "A day in Thorpe", "--root", root]);
    assert!(out.status.success(), "{}", text(&out));
    let story = dir.join("content/stories/a-day-in-thorpe.md");

    // Never overwrite.
    let again = run(&["new", "group", "Thorpe Neighbours", "--root", root]);
    assert_eq!(again.status.code(), Some(2));
    assert!(text(&again).contains("already exists"));
    assert_eq!(std::fs::read_to_string(&group).unwrap(), src);

    let check = run(&["check", "--root", root]);
    assert_eq!(check.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&check.stderr),
        "\
content/groups/thorpe-neighbours.yaml:12:1: error: summary: this must not be empty
content/groups/thorpe-neighbours.yaml:16:9: error: `FILL IN` is not a postcode district or sector
  = hint: write a district like NR2 or a sector like \"NR3 1\" (in quotes); the district is the first half of a postcode
content/groups/thorpe-neighbours.yaml:29:10: error: `FILL IN` is not a phone number: it has the character `F`
  = hint: write a UK number with its area code, in quotes, like \"01632 960123\"
content/groups/thorpe-neighbours.yaml:43:15: error: `FILL IN` is not a date; write it as YYYY-MM-DD, like 2026-10-01
content/stories/a-day-in-thorpe.md:6:7: error: `FILL IN` is not a date; write it as YYYY-MM-DD, like 2026-10-01
5 errors, 0 warnings
"
    );

    // Fill in the placeholders the way a volunteer would.
    let filled = src
        .replace(
            "summary: \"\"",
            "summary: \"Neighbours in Thorpe helping with shopping.\"",
        )
        .replace("areas: [\"FILL IN\"]", "areas: [NR7, \"NR13 5\"]")
        .replace("phone: \"FILL IN\"", "phone: \"01632 960321\"")
        .replace("last_checked: \"FILL IN\"", "last_checked: 2026-11-22");
    std::fs::write(&group, filled).unwrap();
    let story_src = std::fs::read_to_string(&story).unwrap();
    std::fs::write(
        &story,
        story_src
            .replace("date: \"FILL IN\"", "date: 2026-11-21")
            .replace("groups: []", "groups: [thorpe-neighbours]"),
    )
    .unwrap();
    let check = run(&["check", "--root", root]);
    assert!(check.status.success(), "{}", text(&check));
    assert!(text(&check).contains("ok: 2 groups, 1 story checked, 0 warnings"));
}
