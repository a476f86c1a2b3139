//! `aidmap import`: every input shape (a spreadsheet's CSV, a JSON list, the Mutual Aid
//! Wiki export, aidmap's own groups.json, groups.csv and Open Referral UK), every merge
//! rule, skipped records, `--update`, `--dry-run`, importing twice, the report CSV, and a
//! sample of the real 2020 UK list that imports and builds.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{copy_dir, fixture, run};

/// A fresh directory (the import fixture's site.yaml, no groups) in a temporary folder.
fn fresh_site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_dir(&fixture("import/site"), &root);
    (dir, root)
}

fn source(name: &str) -> String {
    fixture("import").join(name).to_str().unwrap().to_string()
}

fn import(root: &Path, file: &str, extra: &[&str]) -> Output {
    let mut args = vec!["import", file, "--root", root.to_str().unwrap()];
    args.extend_from_slice(extra);
    let out = run(&args);
    assert!(
        out.status.success(),
        "import failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every group file of the directory: name -> text.
fn group_files(root: &Path) -> std::collections::BTreeMap<String, String> {
    let dir = root.join("content/groups");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Default::default();
    };
    entries
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

fn group(root: &Path, slug: &str) -> String {
    std::fs::read_to_string(root.join(format!("content/groups/{slug}.yaml")))
        .unwrap_or_else(|_| panic!("no group file {slug}.yaml"))
}

/// `aidmap check` passes on the directory.
fn assert_checks(root: &Path) {
    let out = run(&["check", "--root", root.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "check failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_spreadsheet_becomes_group_files_that_check() {
    let (_tmp, root) = fresh_site();
    let report = root.join("import-report.csv");
    let out = import(
        &root,
        &source("spreadsheet.csv"),
        &[
            "--checked",
            "2026-11-01",
            "--report",
            report.to_str().unwrap(),
        ],
    );
    let text = stdout(&out);
    assert!(
        text.starts_with("14 records (CSV): 6 written, 0 updated, 0 unchanged, 0 kept as they were, 2 merged into another record, 6 skipped\n"),
        "{text}"
    );
    assert_checks(&root);

    // Areas from a postcode; help by label; languages by name; the link by its host.
    let thorpe = group(&root, "thorpe-helpers");
    assert!(thorpe.contains("areas:\n- NR7\n"), "{thorpe}");
    assert!(
        thorpe.contains("help:\n- shopping\n- prescriptions\n"),
        "{thorpe}"
    );
    assert!(thorpe.contains("languages:\n- en\n- pl\n"), "{thorpe}");
    assert!(thorpe.contains("facebook: https://www.facebook.com/groups/thorpehelpers/"));
    assert!(
        thorpe.contains("last_checked: 2026-10-01"),
        "the file's own date"
    );
    // The same link in one district: merged, the other record's e-mail added.
    assert!(thorpe.contains("email: friends@thorpe.example"), "{thorpe}");

    // Areas from coordinates; a WhatsApp link; a UK date; the same name nearby merged
    // with its website and phone added.
    let lakenham = group(&root, "lakenham-mutual-aid");
    assert!(lakenham.contains("areas:\n- NR1\n"), "{lakenham}");
    assert!(lakenham.contains("whatsapp: https://chat.whatsapp.com/ABC123"));
    assert!(lakenham.contains("website: https://lakenham.example/"));
    assert!(lakenham.contains("phone: 01632 960004"));

    // Areas from a place name; a bare host made a link; no date in the file, so
    // --checked, never today; a default summary that is plainly true.
    let ripon = group(&root, "ripon-neighbours");
    assert!(ripon.contains("areas:\n- HG4\n"), "{ripon}");
    assert!(ripon.contains("website: https://www.riponneighbours.example/"));
    assert!(ripon.contains("status: paused"));
    assert!(ripon.contains("last_checked: 2026-11-01"));
    assert!(
        ripon.contains("summary: Mutual aid group in Ripon."),
        "{ripon}"
    );
    assert!(
        !ripon.contains("added:"),
        "an import does not invent when a group was listed"
    );

    // Namesakes far apart: both kept, the second at an address with its district.
    assert!(group(&root, "helping-hands").contains("- HG4"));
    assert!(group(&root, "helping-hands-tr1").contains("- TR1"));

    // A real-length name (136 characters) is listed.
    assert!(group_files(&root)
        .keys()
        .any(|f| f.starts_with("the-anti-isolation-army")));

    for line in [
        "merged line 5 \"Lakenham mutual aid!\" into line 3 (content/groups/lakenham-mutual-aid.yaml): the same name, both cover NR1\n",
        "merged line 6 \"Thorpe St Andrew Friends\" into line 2 (content/groups/thorpe-helpers.yaml): the same link facebook.com/groups/thorpehelpers, both cover NR7\n",
        "skipped line 9 \"No Way To Reach\": no way to reach the group: no phone, e-mail or link\n",
        "skipped line 10 \"Nowhere Group\": no place: no areas, postcode, coordinates or place name\n",
        "skipped line 11 \"Atlantis Helpers\": no place: `Atlantis` is not a place aidmap knows\n",
        ": the name is 160 characters long; the most is 150\n",
        "skipped line 15 \"Future Group\": last checked 2099-01-01 is in the future\n",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }

    // The report: one row per record, a formula shown as text (OWASP CSV injection).
    let csv = std::fs::read_to_string(&report).unwrap();
    assert!(
        csv.starts_with("record,name,outcome,file,detail\n"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 15);
    assert!(csv.contains("line 5,Lakenham mutual aid!,merged,content/groups/lakenham-mutual-aid.yaml,\"into line 3: the same name, both cover NR1\"\n"), "{csv}");
    assert!(csv.contains("line 14,\"'=HYPERLINK("), "{csv}");
    assert!(!csv.contains(",=HYPERLINK"), "{csv}");
}

#[test]
fn a_record_with_no_date_needs_checked() {
    let (_tmp, root) = fresh_site();
    let out = import(&root, &source("no-dates.csv"), &[]);
    assert_eq!(
        stdout(&out),
        "1 record (CSV): 0 written, 0 updated, 0 unchanged, 0 kept as they were, 0 merged into another record, 1 skipped\n\
         skipped line 2 \"Diss Helpers\": no date it was last checked: give --checked DATE, the day the list was last confirmed\n"
    );
    assert!(group_files(&root).is_empty());
    let out = run(&[
        "import",
        &source("no-dates.csv"),
        "--root",
        root.to_str().unwrap(),
        "--checked",
        "2099-01-01",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--checked 2099-01-01 is in the future"));
}

#[test]
fn the_mutual_aid_wiki_export_and_a_json_list_import() {
    let (_tmp, root) = fresh_site();
    let out = import(&root, &source("wiki.json"), &["--checked", "2020-06-28"]);
    assert_eq!(
        stdout(&out),
        "3 records (Mutual Aid Wiki JSON): 2 written, 0 updated, 0 unchanged, 0 kept as they were, 0 merged into another record, 1 skipped\n\
         skipped record 2 \"Hellesdon Mutual Aid\": no way to reach the group: no phone, e-mail or link\n"
    );
    let sprowston = group(&root, "sprowston-street-helpers");
    for want in [
        "facebook: https://www.facebook.com/groups/sprowstonhelpers/",
        "website: https://sprowston.example/",
        "email: help@sprowston.example",
        "phone: 01632 960101",
        "last_checked: 2020-06-28",
        "description: Neighbours in Sprowston helping with shopping.",
    ] {
        assert!(sprowston.contains(want), "missing {want} in\n{sprowston}");
    }
    let costessey = group(&root, "costessey-cares");
    assert!(costessey.contains("whatsapp: https://chat.whatsapp.com/COSTESSEY1"));
    assert!(
        costessey.contains("email: costessey@example.org"),
        "`contact` sorted by its look"
    );

    let out = import(&root, &source("list.json"), &["--checked", "2026-11-01"]);
    assert!(
        stdout(&out).starts_with("2 records (JSON): 2 written,"),
        "{}",
        stdout(&out)
    );
    let wymondham = group(&root, "wymondham-good-neighbours");
    assert!(wymondham.contains("areas:\n- NR18\n"));
    assert!(wymondham.contains("help:\n- shopping\n- lifts\n"));
    assert!(wymondham.contains("summary: Good neighbours across Wymondham."));
    let dereham = group(&root, "dereham-helpers");
    assert!(dereham.contains("languages:\n- cy\n- pl\n"), "{dereham}");
    assert!(dereham.contains("status: closed"));
    assert!(dereham.contains("last_checked: 2026-11-01"), "{dereham}");
    assert!(
        wymondham.contains("last_checked: 2026-08-15"),
        "{wymondham}"
    );
    assert_checks(&root);
}

#[test]
fn importing_twice_changes_nothing_and_update_replaces_only_when_asked() {
    let (tmp, root) = fresh_site();
    let file = source("spreadsheet.csv");
    import(&root, &file, &["--checked", "2026-11-01"]);
    let first = group_files(&root);
    let again = import(&root, &file, &["--checked", "2026-11-01"]);
    assert!(
        stdout(&again).starts_with("14 records (CSV): 0 written, 0 updated, 6 unchanged, 0 kept as they were, 2 merged into another record, 6 skipped\n"),
        "{}",
        stdout(&again)
    );
    assert_eq!(group_files(&root), first, "a second import changes nothing");

    // The list changes: without --update the file is kept as it is.
    let changed = tmp.path().join("changed.csv");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("01632 960003", "01632 960033");
    std::fs::write(&changed, text).unwrap();
    let changed = changed.to_str().unwrap();
    let kept = import(&root, changed, &["--checked", "2026-11-01"]);
    assert!(
        stdout(&kept).contains(
            "0 written, 0 updated, 5 unchanged, 1 kept as they were (--update replaces them)"
        ),
        "{}",
        stdout(&kept)
    );
    assert_eq!(group_files(&root), first);

    // No list carries translations: --update keeps the listing's own (issue #28).
    let ripon = group(&root, "ripon-neighbours");
    let welsh = "translations:\n  cy:\n    summary: Cymdogion yn Ripon.\n";
    std::fs::write(
        root.join("content/groups/ripon-neighbours.yaml"),
        format!("{ripon}{welsh}"),
    )
    .unwrap();
    let updated = import(&root, changed, &["--checked", "2026-11-01", "--update"]);
    assert!(
        stdout(&updated).contains("0 written, 1 updated, 5 unchanged, 0 kept"),
        "{}",
        stdout(&updated)
    );
    assert!(group(&root, "ripon-neighbours").contains("phone: 01632 960033"));
    assert!(group(&root, "ripon-neighbours").ends_with(welsh));
    assert_checks(&root);
}

#[test]
fn a_dry_run_writes_nothing() {
    let (tmp, root) = fresh_site();
    let report = tmp.path().join("r.csv");
    let out = import(
        &root,
        &source("spreadsheet.csv"),
        &[
            "--checked",
            "2026-11-01",
            "--dry-run",
            "--report",
            report.to_str().unwrap(),
        ],
    );
    let text = stdout(&out);
    assert!(text.starts_with("14 records (CSV): 6 to write,"), "{text}");
    assert!(text.ends_with("dry run: nothing was written\n"), "{text}");
    assert!(group_files(&root).is_empty());
    assert!(std::fs::read_to_string(&report)
        .unwrap()
        .contains("line 2,Thorpe Helpers,written,content/groups/thorpe-helpers.yaml"));
}

#[test]
fn a_group_the_directory_lists_already_is_not_listed_twice() {
    let (_tmp, root) = fresh_site();
    std::fs::create_dir_all(root.join("content/groups")).unwrap();
    std::fs::write(
        root.join("content/groups/nr1-lakenham.yaml"),
        "name: Lakenham Mutual Aid\nsummary: Already here.\nareas: [NR1]\ncontact:\n  phone: \"01632 960999\"\nlast_checked: 2026-10-01\n",
    )
    .unwrap();
    // A file of another group at the address the import would choose: not touched.
    std::fs::write(
        root.join("content/groups/helping-hands.yaml"),
        "name: Helping Hands\nsummary: In Leeds.\nareas: [LS1]\ncontact:\n  phone: \"01632 960998\"\nlast_checked: 2026-10-01\n",
    )
    .unwrap();
    let before = group(&root, "helping-hands");
    let out = import(
        &root,
        &source("spreadsheet.csv"),
        &["--checked", "2026-11-01"],
    );
    let text = stdout(&out);
    assert!(
        text.contains("skipped line 3 \"Lakenham Mutual Aid\": already listed as `nr1-lakenham`\n"),
        "{text}"
    );
    assert_eq!(group(&root, "helping-hands"), before);
    assert!(group(&root, "helping-hands-hg4").contains("- HG4"));
    assert!(group(&root, "helping-hands-tr1").contains("- TR1"));
    assert_checks(&root);
}

#[test]
fn an_aidmap_export_imports_back_losslessly() {
    // The example directory, built; its exports imported into an empty directory with
    // the same settings, and built again: the same open data, byte for byte.
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let built = run(&[
        "build",
        "--root",
        repo.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(built.status.success());
    for (export, compare) in [
        ("data/groups.json", "data/groups.json"),
        (
            "data/openreferral/services.json",
            "data/openreferral/services.json",
        ),
    ] {
        let root = tmp.path().join(export.replace('/', "-"));
        std::fs::create_dir_all(&root).unwrap();
        std::fs::copy(repo.join("site.yaml"), root.join("site.yaml")).unwrap();
        copy_dir(&repo.join("i18n"), &root.join("i18n"));
        let text = stdout(&import(&root, out.join(export).to_str().unwrap(), &[]));
        assert!(text.contains(" 0 skipped"), "{text}");
        assert!(text.contains(" 0 merged"), "{text}");
        let again = root.join("public");
        let rebuilt = run(&[
            "build",
            "--root",
            root.to_str().unwrap(),
            "--out",
            again.to_str().unwrap(),
        ]);
        assert!(rebuilt.status.success());
        assert_eq!(
            std::fs::read_to_string(again.join(compare)).unwrap(),
            std::fs::read_to_string(out.join(compare)).unwrap(),
            "{export} round trip"
        );
        // groups.csv says the same again: every file unchanged.
        let csv = stdout(&import(
            &root,
            out.join("data/groups.csv").to_str().unwrap(),
            &[],
        ));
        if export == "data/groups.json" {
            assert!(csv.contains("0 written, 0 updated, 18 unchanged"), "{csv}");
        }
    }
}

#[test]
fn the_real_2020_sample_imports_and_builds() {
    let (tmp, root) = fresh_site();
    let report = tmp.path().join("report.csv");
    let out = import(
        &root,
        &source("uk-2020-sample.csv"),
        &[
            "--checked",
            "2020-06-28",
            "--report",
            report.to_str().unwrap(),
        ],
    );
    let text = stdout(&out);
    assert!(
        text.starts_with("28 records (CSV): 20 written, 0 updated, 0 unchanged, 0 kept as they were, 6 merged into another record, 2 skipped\n"),
        "{text}"
    );
    // Double submissions merged, each listed.
    for merged in [
        "merged line 18 \"Southside Self-Isolation Supporters\" into line 10",
        "merged line 21 \"Hyndburn COVID-19 Mutual Aid Group\" into line 20",
        "merged line 25 \"Greenwich Covid-19 Mutual Aid\" into line 19",
        "merged line 15 \"Four Marks Coronavirus community support group\" into line 8",
        "merged line 24 \"Bewdley COVID 19 Support Group\" into line 17",
        "merged line 27 \"Fife Covid-19 Mutual Aid Group (Coronavirus)\" into line 14",
    ] {
        assert!(text.contains(merged), "missing {merged:?} in\n{text}");
    }
    let csv = std::fs::read_to_string(&report).unwrap();
    assert_eq!(csv.matches(",merged,").count(), 6);
    // One national group's link, given by five groups far apart: kept on each.
    assert_eq!(
        csv.matches("is also given by 4 other records far apart")
            .count(),
        5
    );

    let site = tmp.path().join("public");
    let built = run(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--out",
        site.to_str().unwrap(),
    ]);
    assert_eq!(
        built.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    // Namesakes kept, each shown with its place on the list of groups.
    let list = std::fs::read_to_string(site.join("groups/index.html")).unwrap();
    for slug in [
        "helping-hands",
        "helping-hands-sk7",
        "crofters-helping-crofters",
        "crofters-helping-crofters-dl2",
    ] {
        let at = list
            .find(&format!("groups/{slug}/\">"))
            .unwrap_or_else(|| panic!("{slug} listed"));
        let shown = &list[at..at + list[at..].find("</a>").unwrap()];
        assert!(shown.contains(" ("), "{slug} shown with its place: {shown}");
    }
    // A name no other group has is shown as it is.
    assert!(list.contains("groups/call-to-arms/\">Call to Arms</a>"));
}
