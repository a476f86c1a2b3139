//! `aidmap report` on a fixture with a stale group, a shared phone number, a shared
//! e-mail address, two similar names and a far-away namesake that is not listed; and the
//! same report as the organisers' page.

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
Report for 2026-11-22 (5 groups)

Not checked in the last 180 days (1):
  Thorpe Helpers (thorpe-helpers): last checked 2 January 2026, 324 days ago

Likely duplicates (3):
  eaton-neighbours and lakenham-mutual-aid: same e-mail address eaton@example.org
  eaton-neighbours and thorpe-helpers: same phone number 01632 960 001
  lakenham-mutual-aid and lakenham-mutual-aid-group: similar names \"Lakenham Mutual Aid\" and \"Lakenham Mutual Aid Group\", both cover NR1

Districts in the region with no group (65 of 68):
  NR2, NR3, NR5, NR6, NR8, NR9, NR10, NR11, NR12, NR13, NR14, NR15, NR16, NR17, NR18, NR19, NR20, NR21, NR22, NR23, NR24, NR25, NR26, NR27, NR28, NR29, NR30, NR31, NR32, NR33, NR34, NR35, IP1, IP2, IP3, IP4, IP5, IP6, IP7, IP8, IP9, IP10, IP11, IP12, IP13, IP14, IP15, IP16, IP17, IP18, IP19, IP20, IP21, IP22, IP23, IP24, IP25, IP26, IP27, IP28, IP29, IP30, IP31, IP32, IP33
"
    );
}

/// Builds the directory at `root` into `out_dir`; returns its organisers' page.
fn organisers_page(root: &std::path::Path, out_dir: &std::path::Path) -> String {
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
    std::fs::read_to_string(out_dir.join("organisers/index.html")).unwrap()
}

#[test]
fn organisers_page_is_built() {
    let tmp = tempfile::tempdir().unwrap();
    let out_dir = tmp.path().join("public");
    let root = fixture("report");
    let html = organisers_page(&root, &out_dir);
    // Linked from the footer and listed in the sitemap (issue #24), so not hidden.
    assert!(!html.contains("noindex"));
    assert!(html.contains(
        "<a href=\"../groups/thorpe-helpers/\">Thorpe Helpers</a>: last checked 2 January 2026, 324 days ago"
    ));
    assert!(html.contains("same phone number 01632 960 001"));
    assert!(html.contains("<li><a href=\"../postcodes/ip1/\">IP1</a> Ipswich</li>"));
    let sitemap = std::fs::read_to_string(out_dir.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("organisers/"));
}

/// A directory with 230 stale groups named "Thorpe Ward N Helpers": numbered apart, so no
/// pair is a look-alike; the page shows the first 200 and says how many more the command
/// prints, and the command prints them all.
#[test]
fn a_long_report_is_cut_short_on_the_page_but_not_in_the_command() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    common::copy_dir(&fixture("report"), &root);
    for n in 1..=230 {
        std::fs::write(
            root.join(format!("content/groups/thorpe-ward-{n}.yaml")),
            format!(
                "name: Thorpe Ward {n} Helpers\nsummary: Neighbours in one ward of Thorpe.\nareas: [NR7]\nhelp: [shopping]\ncontact:\n  phone: \"01632 960{:03}\"\nlast_checked: 2026-01-01\n",
                n + 500
            ),
        )
        .unwrap();
    }
    let out = run(&["report", "--root", root.to_str().unwrap()]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Not checked in the last 180 days (231):"),
        "{text}"
    );
    assert!(text.contains("Likely duplicates (3):"), "{text}");
    assert!(text.contains("Thorpe Ward 230 Helpers (thorpe-ward-230)"));

    let out_dir = tmp.path().join("public");
    let html = organisers_page(&root, &out_dir);
    assert_eq!(html.matches("days ago</li>").count(), 200);
    assert!(
        html.contains("And 31 more: <code>aidmap report</code> lists them all."),
        "{html}"
    );
    assert!(!html.contains("similar names \"Thorpe Ward"));
}
