//! `aidmap report` on a fixture with a stale group, a shared phone number, a shared
//! e-mail address and two similar names; and the same report as the organisers' page.

mod common;

use common::{fixture, run};

#[test]
fn report_is_pinned() {
    let root = fixture("report");
    let out = run(&["report", "--root", root.to_str().unwrap()]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "\
Report for 2026-11-22 (4 groups)

Not checked in the last 180 days (1):
  Thorpe Helpers (thorpe-helpers): last checked 2026-01-02, 324 days ago

Likely duplicates (3):
  eaton-neighbours and lakenham-mutual-aid: same e-mail address eaton@example.org
  eaton-neighbours and thorpe-helpers: same phone number 01632 960 001
  lakenham-mutual-aid and lakenham-mutual-aid-group: similar names \"Lakenham Mutual Aid\" and \"Lakenham Mutual Aid Group\"

Parts of the region with no group (2 of 3):
  IP, NR9
"
    );
}

#[test]
fn organisers_page_is_built() {
    let tmp = tempfile::tempdir().unwrap();
    let out_dir = tmp.path().join("public");
    let root = fixture("report");
    let out = run(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(out_dir.join("organisers/index.html")).unwrap();
    assert!(html.contains("<meta name=\"robots\" content=\"noindex\">"));
    assert!(html.contains(
        "<a href=\"../groups/thorpe-helpers/\">Thorpe Helpers</a>: last checked 2026-01-02, 324 days ago"
    ));
    assert!(html.contains("same phone number 01632 960 001"));
    assert!(html.contains("<li>IP</li><li>NR9</li>"));
    let sitemap = std::fs::read_to_string(out_dir.join("sitemap.xml")).unwrap();
    assert!(!sitemap.contains("organisers"));
}
