//! `aidmap serve`: pages from memory over HTTP, rebuilds on change, the error overlay's
//! data for a broken file, and the last good site kept while the content is broken.

mod common;

use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::{aidmap, copy_dir, fixture, get};

/// The server process, killed when the test ends (even when it fails).
struct Served {
    child: Child,
    addr: String,
    /// What it has printed so far, line by line.
    printed: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Served {
    fn printed(&self, what: &str) -> bool {
        self.printed
            .lock()
            .unwrap()
            .iter()
            .any(|l| l.contains(what))
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &Path) -> Served {
    let mut child = aidmap()
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start aidmap serve");
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let mut addr = None;
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(url) = line.strip_prefix("serving http://") {
            addr = Some(url.trim_end_matches('/').to_string());
            break;
        }
    }
    // Keep reading stdout so the server never blocks on a full pipe.
    let printed = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let keep = std::sync::Arc::clone(&printed);
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            keep.lock().unwrap().push(line);
        }
    });
    Served {
        child,
        addr: addr.expect("a `serving http://…` line"),
        printed,
    }
}

/// Polls until `ok` holds, for at most 15 seconds.
fn wait_for(what: &str, mut ok: impl FnMut() -> bool) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(15) {
        if ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("timed out waiting for {what}");
}

/// Saves a file the way many editors do: write a temporary file, then rename it over.
fn save_atomically(path: &Path, text: &str) {
    let tmp = path.with_extension("yaml.tmp~");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

#[test]
fn serves_rebuilds_and_reports_errors() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_dir(&fixture("report"), &root);
    let s = start(&root);

    // Pages from memory, with the live-reload tag; nothing written to disk.
    let page = get(&s.addr, "/groups/thorpe-helpers/");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(page.body.contains("Thorpe Helpers"));
    assert!(page
        .body
        .contains("<script src=\"/__aidmap/livereload.js\"></script>"));
    assert!(!root.join("public").exists());

    let css = get(&s.addr, "/style.css");
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    let schema = get(&s.addr, "/schema/group.schema.json");
    assert_eq!(schema.header("content-type"), Some("application/json"));
    let js = get(&s.addr, "/__aidmap/livereload.js");
    assert_eq!(
        js.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert!(js.body.contains("/__aidmap/errors"));

    let missing = get(&s.addr, "/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Page not found"), "{}", missing.body);
    let redirect = get(&s.addr, "/groups");
    assert_eq!(redirect.status, 301);
    assert_eq!(redirect.header("location"), Some("/groups/"));

    let errors = get(&s.addr, "/__aidmap/errors");
    assert!(errors.body.contains("\"ok\":true"), "{}", errors.body);
    let version = |page: &str| {
        let body = get(&s.addr, &format!("/__aidmap/events{page}")).body;
        let v: serde_json::Value = serde_json::from_str(&body).expect(&body);
        v["page"].as_u64().expect(&body)
    };
    let (group_before, about_before) = (version("/groups/thorpe-helpers/"), version("/about/"));

    // A change is picked up: the group's own pages first, then the whole site.
    let file = root.join("content/groups/thorpe-helpers.yaml");
    let original = std::fs::read_to_string(&file).unwrap();
    save_atomically(
        &file,
        &original.replace("name: Thorpe Helpers", "name: Thorpe Street Helpers"),
    );
    wait_for("the renamed group", || {
        get(&s.addr, "/groups/thorpe-helpers/")
            .body
            .contains("Thorpe Street Helpers")
    });
    wait_for("the quick update and the rebuild", || {
        s.printed("group pages and leaflets updated in")
            && get(&s.addr, "/groups/")
                .body
                .contains("Thorpe Street Helpers")
    });
    // Open pages reload only when their own file changed: the group's page changed in
    // the quick update, and the whole rebuild after it made the very same bytes.
    assert!(version("/groups/thorpe-helpers/") > group_before);
    let events: serde_json::Value =
        serde_json::from_str(&get(&s.addr, "/__aidmap/events/groups/thorpe-helpers/").body)
            .unwrap();
    assert!(
        events["page"].as_u64().unwrap() < events["build"].as_u64().unwrap(),
        "{events}"
    );
    assert!(
        version("/groups") > group_before,
        "a folder without its slash"
    );
    assert_eq!(
        version("/about/"),
        about_before,
        "the about page did not change"
    );

    // A change of coverage redraws the map (serve reuses maps whose inputs did not
    // change, so this proves a changed input is never served from the cache), and
    // undoing it gives back the first picture.
    let map_of = |body: &str| {
        let start = body.find("<svg").expect("a map");
        body[start..start + body[start..].find("</svg>").unwrap()].to_string()
    };
    let renamed = std::fs::read_to_string(&file).unwrap();
    let map_before = map_of(&get(&s.addr, "/groups/thorpe-helpers/").body);
    save_atomically(
        &file,
        &renamed.replace("areas: [NR7]", "areas: [NR7, NR13]"),
    );
    wait_for("the wider map", || {
        map_of(&get(&s.addr, "/groups/thorpe-helpers/").body) != map_before
    });
    let wider = map_of(&get(&s.addr, "/groups/thorpe-helpers/").body);
    assert!(wider.contains("shaded grey: NR13, NR7."), "{wider}");
    save_atomically(&file, &renamed);
    wait_for("the first map again", || {
        map_of(&get(&s.addr, "/groups/thorpe-helpers/").body) == map_before
    });

    // A broken file: the overlay data has the located error; the last good page stays.
    std::fs::write(
        &file,
        original.replace("phone: \"01632 960001\"", "phone: \"0163 96012\""),
    )
    .unwrap();
    // `fs::write` empties the file before writing it, and the watcher may catch it
    // empty ("missing field `name`") before the next event brings the real mistake.
    wait_for("the error", || {
        get(&s.addr, "/__aidmap/errors")
            .body
            .contains("is not a UK phone number")
    });
    let errors = get(&s.addr, "/__aidmap/errors");
    assert!(
        errors.body.contains(
            "content/groups/thorpe-helpers.yaml:6:10: error: `0163 96012` is not a UK phone number"
        ),
        "{}",
        errors.body
    );
    let kept = get(&s.addr, "/groups/thorpe-helpers/");
    assert_eq!(kept.status, 200);
    assert!(kept.body.contains("Thorpe Street Helpers"));

    // Fixing it clears the errors and rebuilds.
    std::fs::write(&file, &original).unwrap();
    wait_for("the errors to clear", || {
        get(&s.addr, "/__aidmap/errors")
            .body
            .contains("\"ok\":true")
    });
    wait_for("the fixed page", || {
        let body = get(&s.addr, "/groups/thorpe-helpers/").body;
        body.contains("Thorpe Helpers") && !body.contains("Thorpe Street Helpers")
    });
    let events = get(&s.addr, "/__aidmap/events");
    assert!(events.body.starts_with("{\"build\":"), "{}", events.body);
}

#[test]
fn a_saved_static_file_is_served_at_once_and_reloads_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_dir(&fixture("report"), &root);
    std::fs::create_dir_all(root.join("static/img")).unwrap();
    std::fs::write(root.join("static/img/note.txt"), "first").unwrap();
    let s = start(&root);
    assert_eq!(get(&s.addr, "/img/note.txt").body, "first");
    let build = |addr: &str| get(addr, "/__aidmap/events").body;
    let before = build(&s.addr);

    // Edited, and a new file beside it: both served, and open pages are told to reload.
    std::fs::write(root.join("static/img/note.txt"), "second").unwrap();
    std::fs::write(root.join("static/extra.css"), "body{color:#000}").unwrap();
    wait_for("the edited static file", || {
        get(&s.addr, "/img/note.txt").body == "second"
            && get(&s.addr, "/extra.css").body == "body{color:#000}"
    });
    assert_ne!(build(&s.addr), before);
    // The pages are still there.
    assert!(get(&s.addr, "/groups/thorpe-helpers/")
        .body
        .contains("Thorpe Helpers"));

    // A removed static file rebuilds the site, so it is no longer served.
    std::fs::remove_file(root.join("static/extra.css")).unwrap();
    wait_for("the removed static file to go", || {
        get(&s.addr, "/extra.css").status == 404
    });
}
