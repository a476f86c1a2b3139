//! `aidmap intake`, the "Add your group" page and the "Update this listing" links, as a
//! group and a maintainer meet them.
//!
//! Each `tests/fixtures/intake/cases/<case>.md` is a submission body; `<case>.expected`
//! pins what the real binary made of it, run on a copy of `tests/fixtures/intake/site`:
//! `wrote <path>` and the file written, or `exit 1` and the comment printed. Set
//! `AIDMAP_BLESS=1` to rewrite the expected files after a deliberate change (and read
//! the diff).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use aidmap::config::Config;
use aidmap::content::Group;
use aidmap::intake::{body, form, links};
use common::{aidmap, copy_dir, fixture, run};

fn site_copy() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&fixture("intake/site"), &root);
    (tmp, root)
}

/// Runs intake on `body` in a fresh copy of the fixture site; returns what a case pins.
fn outcome(body_file: &Path) -> String {
    let (_tmp, root) = site_copy();
    let before: Vec<PathBuf> = files(&root);
    let out = run(&[
        "intake",
        "--root",
        root.to_str().unwrap(),
        body_file.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    match out.status.code() {
        Some(0) => {
            let changed: Vec<PathBuf> = files(&root)
                .into_iter()
                .filter(|p| {
                    !before.contains(p)
                        || std::fs::read(root.join(p)).unwrap()
                            != std::fs::read(fixture("intake/site").join(p)).unwrap()
                })
                .collect();
            assert_eq!(changed.len(), 1, "one file changes: {changed:?}");
            let text = std::fs::read_to_string(root.join(&changed[0])).unwrap();
            // What the workflow puts in the pull request, then the file.
            format!(
                "wrote {}\n--- summary\n{stdout}--- file\n{text}",
                changed[0].display()
            )
        }
        Some(1) => {
            assert_eq!(files(&root), before, "nothing is written on refusal");
            format!("exit 1\n{stdout}")
        }
        other => panic!("exit {other:?}: {}", String::from_utf8_lossy(&out.stderr)),
    }
}

fn files(root: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(root).unwrap().to_path_buf())
        .collect();
    out.sort();
    out
}

#[test]
fn every_case_gives_its_pinned_file_or_comment() {
    let dir = fixture("intake/cases");
    let bless = std::env::var_os("AIDMAP_BLESS").is_some();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 15);
    let mut failed = Vec::new();
    for case in cases {
        let got = outcome(&case);
        let expected_path = case.with_extension("expected");
        if bless {
            std::fs::write(&expected_path, &got).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if got != expected {
            failed.push(format!(
                "{}:\n--- got\n{got}\n--- expected\n{expected}",
                case.display()
            ));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
}

/// The pinned outcomes say what they must: these would fail if a defence went.
#[test]
fn hostile_cases_are_defused() {
    let read =
        |c: &str| std::fs::read_to_string(fixture(&format!("intake/cases/{c}.expected"))).unwrap();
    // Keys in a description stay text inside the one description value.
    let yaml = read("hostile-yaml-keys");
    let file = yaml.split("--- file\n").nth(1).unwrap();
    let parsed: serde_yaml::Value = serde_yaml::from_str(file).unwrap();
    assert_eq!(parsed["status"].as_str(), Some("active"));
    assert_eq!(parsed["last_checked"].as_str(), Some(common::TODAY));
    assert!(parsed.get("extra").is_none());
    assert!(parsed["description"]
        .as_str()
        .unwrap()
        .contains("status: closed"));
    assert_eq!(
        parsed["name"].as_str(),
        Some("Key: \"injection\" # comment")
    );
    // Backticks in a value cannot end the comment's code block.
    let fence = read("hostile-fence");
    assert!(fence.contains("\n``````text\n"), "{fence}");
    assert!(fence.trim_end().ends_with("``````"));
    // A form heading inside a value is refused, not read as that field.
    let heading = read("hostile-heading");
    assert!(heading.starts_with("exit 1\n"));
    assert!(heading.contains("`### Phone` appears more than once"));
    // Control characters are named by code, never echoed.
    let control = read("hostile-control");
    assert!(control.contains("U+0007") && control.contains("U+202E"));
    assert!(!control.contains('\u{7}') && !control.contains('\u{202e}'));
    // A name with path characters still makes a plain file name.
    assert!(read("path-name").starts_with("wrote content/groups/etc-passwd.yaml\n"));
    assert!(read("path-slug").starts_with("exit 1\n"));
    // A confirmation changes one line and keeps the file's comments.
    let confirm = read("confirm");
    assert!(confirm.contains("# A group listed before intake existed"));
    assert!(confirm.contains(&format!("last_checked: {}\n", common::TODAY)));
    assert!(confirm.contains("areas: [NR7, \"NR1 4\"]"));
}

#[test]
fn an_oversized_body_is_refused_before_it_is_read() {
    let (_tmp, root) = site_copy();
    let mut big = std::fs::read_to_string(fixture("intake/cases/new-group.md")).unwrap();
    big.push_str(&"x".repeat(70 * 1024));
    let mut child = aidmap()
        .args(["intake", "--root", root.to_str().unwrap(), "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    // intake stops reading at its limit, so the pipe may close before all is written.
    let _ = child.stdin.take().unwrap().write_all(big.as_bytes());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("the most aidmap reads is 64 KB"), "{text}");
    assert!(!root.join("content/groups/sprowston-helpers.yaml").exists());
}

/// Query parameters of a prefilled link, as GitHub reads them into the form's fields.
fn decode(url: &str) -> BTreeMap<&'static str, String> {
    let query = url.split_once('?').unwrap().1;
    url::form_urlencoded::parse(query.as_bytes())
        .filter_map(|(k, v)| form::by_id(&k).map(|f| (f.id, v.into_owned())))
        .collect()
}

fn repo_config() -> Config {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("site.yaml")).unwrap();
    Config::parse(Path::new("site.yaml"), &text).0.unwrap()
}

fn same_record(a: &Group, b: &Group) {
    assert_eq!(a.name, b.name);
    assert_eq!(a.summary, b.summary);
    assert_eq!(a.areas, b.areas);
    assert_eq!(a.help, b.help);
    assert_eq!(
        serde_json::to_value(&a.contact).unwrap(),
        serde_json::to_value(&b.contact).unwrap()
    );
    assert_eq!(a.languages, b.languages);
    assert_eq!(a.status, b.status);
    assert_eq!(a.added, b.added);
    assert_eq!(a.description, b.description);
    assert_eq!(a.description_html, b.description_html);
    assert_eq!(a.translations, b.translations);
}

/// For every example group: its "Update this listing" link, decoded as GitHub fills the
/// form, rendered as GitHub renders the issue, through `aidmap intake`, gives the same
/// record back (only `last_checked` moves, to today).
#[test]
fn update_links_round_trip_every_example_group() {
    let repo_root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = repo_config();
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let site = std::fs::read_to_string(repo_root.join("site.yaml")).unwrap();
    std::fs::write(
        root.join("site.yaml"),
        format!("{site}\nrepository: https://github.com/example-org/mutual-aid\n"),
    )
    .unwrap();
    copy_dir(
        &repo_root.join("content/groups"),
        &root.join("content/groups"),
    );
    let mut n = 0;
    for entry in std::fs::read_dir(repo_root.join("content/groups")).unwrap() {
        let path = entry.unwrap().path();
        let slug = path.file_stem().unwrap().to_str().unwrap().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let (original, _) = Group::parse(&path, &slug, &text, &config);
        let original = original.unwrap();
        let l = links::for_group(
            "https://github.com/example-org/mutual-aid",
            Some("directory@example.org"),
            &original,
        );
        assert!(l.update.url.len() <= form::MAX_URL_BYTES);
        let mut values = decode(&l.update.url);
        // What did not fit is copied in by hand.
        for c in &l.update.copy {
            let f = form::FIELDS.iter().find(|f| f.label == c.label).unwrap();
            values.insert(f.id, c.value.clone());
        }
        let issue_body = body::render(&values, true);
        let file = tmp.path().join(format!("{slug}.md"));
        std::fs::write(&file, &issue_body).unwrap();
        let out = run(&[
            "intake",
            "--root",
            root.to_str().unwrap(),
            file.to_str().unwrap(),
        ]);
        assert!(
            out.status.success(),
            "{slug}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let written =
            std::fs::read_to_string(root.join(format!("content/groups/{slug}.yaml"))).unwrap();
        let (back, _) = Group::parse(&path, &slug, &written, &config);
        let back = back.unwrap_or_else(|| panic!("{slug}: {written}"));
        same_record(&original, &back);
        assert_eq!(back.last_checked.to_string(), common::TODAY);

        // The e-mail route carries the same text.
        if let Some(m) = &l.mailto {
            let body_param = m.split("&body=").nth(1).unwrap();
            let decoded = url::form_urlencoded::parse(format!("b={body_param}").as_bytes())
                .next()
                .unwrap()
                .1
                .into_owned();
            assert_eq!(decoded, body::render(&values, false));
        }
        n += 1;
    }
    assert!(n >= 10, "{n} example groups");
}

/// The longest record the schema allows still gets a link GitHub follows: the fields
/// that do not fit are left out and offered as blocks to copy.
#[test]
fn the_longest_record_gets_a_link_under_the_limit() {
    let config = Config::fallback();
    // 300 real sectors, the longest written (six characters, like "NR10 3").
    let areas: Vec<String> = ["NR", "SE", "CM", "MK", "SP", "PR", "LA", "NE", "LL", "SO"]
        .iter()
        .flat_map(|a| (10..40).flat_map(move |d| (0..10).map(move |s| format!("{a}{d} {s}"))))
        .filter(|c| aidmap::content::areas::check_entry(c).is_ok_and(|(_, w)| w.is_none()))
        .take(300)
        .map(|c| format!("\"{c}\""))
        .collect();
    assert_eq!(areas.len(), 300);
    let text = format!(
        "name: {name}\nsummary: {summary}\nareas: [{areas}]\nhelp: [{help}]\ncontact:\n  phone: \"01632 960123\"\n  email: {email}@example.org\n  website: https://example.org/{path}\n  whatsapp: https://chat.whatsapp.com/{path}\n  facebook: https://www.facebook.com/{path}\n  hours: {hours}\nlanguages: [{langs}]\nlast_checked: 2026-01-01\ndescription: |\n  {desc}\n",
        name = "N".repeat(120),
        summary = "S".repeat(200),
        areas = areas.join(", "),
        help = config.help.keys().collect::<Vec<_>>().join(", "),
        email = "e".repeat(60),
        path = "p".repeat(400),
        hours = "H".repeat(120),
        langs = aidmap::content::help::LANGUAGES.iter().map(|l| l.0).collect::<Vec<_>>().join(", "),
        desc = "Long words. ".repeat(2000),
    );
    let (g, ds) = Group::parse(Path::new("g.yaml"), "longest", &text, &config);
    let g = g.unwrap_or_else(|| panic!("{ds:?}"));
    let l = links::for_group("https://github.com/example-org/mutual-aid", None, &g);
    assert!(
        l.update.url.len() <= form::MAX_URL_BYTES,
        "{}",
        l.update.url.len()
    );
    let copied: Vec<&str> = l.update.copy.iter().map(|c| c.label).collect();
    assert!(copied.contains(&"About the group"), "{copied:?}");
    let kept = decode(&l.update.url);
    assert_eq!(kept.get("slug").map(String::as_str), Some("longest"));
    assert_eq!(kept.get("name").map(|n| n.len()), Some(120));
    // An ordinary example group fits whole.
    let small = "name: A\nsummary: B\nareas: [NR2]\ncontact:\n  phone: \"01632 960123\"\nlast_checked: 2026-01-01\n";
    let (g, _) = Group::parse(Path::new("g.yaml"), "a", small, &config);
    let l = links::for_group("https://github.com/o/r", None, &g.unwrap());
    assert!(l.update.copy.is_empty());
}

#[test]
fn the_site_has_the_form_and_the_links_only_with_a_repository() {
    let (tmp, root) = site_copy();
    let out_dir = tmp.path().join("public");
    let build = run(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let page = std::fs::read_to_string(out_dir.join("about/add-your-group/index.html")).unwrap();
    assert!(page.contains(r#"<form class="add-group" method="get" action="https://github.com/example-org/mutual-aid/issues/new" data-words="{&quot;add_consent&quot;:"#));
    assert!(page.contains(r#"<input type="hidden" name="template" value="group.yml">"#));
    for f in form::FIELDS
        .iter()
        .filter(|f| !matches!(f.id, "request" | "slug" | "consent"))
    {
        assert!(
            page.contains(&format!("name=\"{}\"", f.id)),
            "{} missing",
            f.id
        );
    }
    assert!(page.contains(r#"name="name" type="text" maxlength="150""#));
    assert!(page.contains(r#"name="summary" type="text" maxlength="200""#));
    assert!(page.contains("<code>phone-calls</code> (A friendly phone call)"));
    assert!(page.contains("<code>cy</code> Welsh"));
    assert!(page.contains("href=\"mailto:directory@example.org?subject=New%20group%20listing&amp;body=%23%23%23%20Request"));
    // The form works without JavaScript (a plain GET to GitHub); the one script, its
    // checks, is this page's own (add-group.js, tests/browser/add-group.test.mjs).
    assert!(page.contains(r#"<form class="add-group" method="get" action="https://github.com/example-org/mutual-aid/issues/new" data-words="{&quot;add_consent&quot;:"#));
    assert_eq!(page.matches("<script").count(), 1);
    assert!(page.contains(r#"<script src="../../add-group.js" defer></script>"#));
    let group =
        std::fs::read_to_string(out_dir.join("groups/thorpe-neighbours/index.html")).unwrap();
    assert!(group.contains(">Update this listing</a>"));
    assert!(group.contains("issues/new?template=group.yml&amp;title=closed%3A+thorpe-neighbours&amp;request=closed&amp;slug=thorpe-neighbours"));
    let about = std::fs::read_to_string(out_dir.join("about/index.html")).unwrap();
    assert!(about.contains("about/add-your-group/"));

    // Without `repository:` there is no form and no link.
    let site = std::fs::read_to_string(root.join("site.yaml")).unwrap();
    std::fs::write(
        root.join("site.yaml"),
        site.replace("repository:", "# repository:"),
    )
    .unwrap();
    let out2 = tmp.path().join("public2");
    let build = run(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--out",
        out2.to_str().unwrap(),
    ]);
    assert!(build.status.success());
    assert!(!out2.join("about/add-your-group").exists());
    let group = std::fs::read_to_string(out2.join("groups/thorpe-neighbours/index.html")).unwrap();
    // No GitHub link: "Update this listing" is then an e-mail to the maintainers (#24).
    assert!(!group.contains("issues/new"));
    assert!(!group.contains("We are still running"));
}

#[test]
fn a_repository_that_is_not_a_plain_github_address_is_refused() {
    let (_tmp, root) = site_copy();
    for bad in [
        "https://evil.example/o/r",
        "https://github.com/o/r/issues/new?x=1",
        "https://github.com/o",
        "javascript:alert(1)",
        "https://github.com/o/r\"><script>",
    ] {
        let site = format!(
            "title: T\nbase_url: https://example.org/\nrepository: '{}'\n",
            bad.replace('\'', "''")
        );
        std::fs::write(root.join("site.yaml"), site).unwrap();
        let out = run(&["check", "--root", root.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{bad}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("repository"),
            "{bad}"
        );
    }
}

#[test]
fn init_writes_the_issue_form_and_a_workflow_that_never_expands_the_body_in_a_command() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("new");
    let out = run(&["init", dir.to_str().unwrap()]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"listing ready\""));
    let issue_form: serde_yaml::Value = serde_yaml::from_str(
        &std::fs::read_to_string(dir.join(".github/ISSUE_TEMPLATE/group.yml")).unwrap(),
    )
    .unwrap();
    let ids: Vec<&str> = issue_form["body"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|f| f["id"].as_str())
        .collect();
    let expected: Vec<&str> = form::FIELDS.iter().map(|f| f.id).collect();
    assert_eq!(ids, expected);
    let workflow = std::fs::read_to_string(dir.join(".github/workflows/intake.yml")).unwrap();
    let parsed: serde_yaml::Value = serde_yaml::from_str(&workflow).unwrap();
    for step in parsed["jobs"]["intake"]["steps"].as_sequence().unwrap() {
        if let Some(run) = step["run"].as_str() {
            assert!(!run.contains("${{"), "an expression inside run: {run}");
        }
    }
    assert!(workflow.contains("BODY: ${{ github.event.issue.body }}"));
    assert!(workflow.contains("persist-credentials: false"));
    assert!(workflow.contains("permissions: {}"));
    let contributing = std::fs::read_to_string(dir.join("CONTRIBUTING.md")).unwrap();
    assert!(contributing.contains("listing ready"));
    // The example group of a new directory confirms through intake.
    let site = std::fs::read_to_string(dir.join("site.yaml")).unwrap();
    std::fs::write(
        dir.join("site.yaml"),
        format!("{site}repository: https://github.com/o/r\n"),
    )
    .unwrap();
    let body_text = body::render(
        &BTreeMap::from([
            ("slug", "example-street-helpers".to_string()),
            ("request", "still running".to_string()),
        ]),
        false,
    );
    let file = tmp.path().join("confirm.md");
    std::fs::write(&file, body_text).unwrap();
    let out = run(&[
        "intake",
        "--root",
        dir.to_str().unwrap(),
        file.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let check = run(&["check", "--root", dir.to_str().unwrap()]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

/// Intake writes the keys the group schema names, no more: a field added to group files
/// must be added to intake's record too (or this fails).
#[test]
fn the_record_intake_writes_has_the_schema_s_keys() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/group.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let keys = |v: &serde_json::Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    let full = aidmap::intake::record::Record {
        help: vec!["x".into()],
        languages: vec!["en".into()],
        added: Some("x".into()),
        description: Some("x".into()),
        succeeded_by: Some("x".into()),
        translations: [(
            "cy".to_string(),
            Some(aidmap::intake::record::RecordText {
                summary: Some("x".into()),
                description: Some("x".into()),
                hours: Some("x".into()),
            }),
        )]
        .into(),
        contact: aidmap::intake::record::RecordContact {
            phone: Some("x".into()),
            email: Some("x".into()),
            website: Some("x".into()),
            whatsapp: Some("x".into()),
            facebook: Some("x".into()),
            hours: Some("x".into()),
        },
        ..Default::default()
    };
    let written = serde_json::to_value(&full).unwrap();
    assert_eq!(keys(&written), keys(&schema["properties"]));
    assert_eq!(
        keys(&written["contact"]),
        keys(&schema["properties"]["contact"]["properties"])
    );
    assert_eq!(
        keys(&written["translations"]["cy"]),
        keys(&schema["properties"]["translations"]["additionalProperties"]["properties"])
    );
}

/// Issue #26: the "Add your group" form's JavaScript (add-group.js) and `aidmap check`
/// judge an answer alike: both are held to one table (the browser half is in
/// tests/browser/add-group.test.mjs).
#[test]
fn the_form_checks_table_holds_for_the_rust_checks() {
    use aidmap::content::{areas, check};
    let text = std::fs::read_to_string(fixture("field-checks/cases.json")).unwrap();
    let table: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut wrong = Vec::new();
    let mut fields = std::collections::BTreeSet::new();
    for case in table["cases"].as_array().unwrap() {
        let (field, value, ok) = (
            case[0].as_str().unwrap(),
            case[1].as_str().unwrap(),
            case[2].as_bool().unwrap(),
        );
        fields.insert(field);
        let got = match field {
            "phone" => check::uk_phone(value).map(drop),
            "email" => check::email(value),
            "website" => check::web_url(value).map(drop),
            "areas" => areas::check_entry(value).map(drop).map_err(|e| e.0),
            other => panic!("no check for {other}"),
        };
        if got.is_ok() != ok {
            wrong.push(format!(
                "{field} {value:?}: {got:?}, the table says ok={ok}"
            ));
        }
    }
    assert_eq!(fields.len(), 4);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
