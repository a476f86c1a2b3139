//! `aidmap serve`: pages from memory over HTTP, rebuilds on change, the error overlay's
//! data for a broken file, and the last good site kept while the content is broken; and
//! the preview server's defences: loopback `Host` names only, bounded requests, clients
//! that stall cannot stop others being answered, links in `static/` are never followed.

mod common;

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
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
        .stderr(Stdio::piped())
        .spawn()
        .expect("start aidmap serve");
    let stdout = child.stdout.take().unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let mut addr = None;
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(url) = line.strip_prefix("serving http://") {
            addr = Some(url.trim_end_matches('/').to_string());
            break;
        }
    }
    // Keep reading stdout and stderr so the server never blocks on a full pipe.
    let printed = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let keep = std::sync::Arc::clone(&printed);
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            keep.lock().unwrap().push(line);
        }
    });
    let keep = std::sync::Arc::clone(&printed);
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
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
    assert!(wider.contains("shaded blue: NR13, NR7."), "{wider}");
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

/// Sends `raw` as it is and returns the answer's status, or `None` when no answer came
/// within `limit`.
fn send_raw(addr: &str, raw: &[u8], limit: Duration) -> Option<u16> {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(limit)).unwrap();
    stream.set_write_timeout(Some(limit)).unwrap();
    // The server may answer and stop reading before all of an oversized request is sent.
    let _ = stream.write_all(raw);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let text = String::from_utf8_lossy(&answer);
    text.strip_prefix("HTTP/1.1 ")?.get(..3)?.parse().ok()
}

/// A GET of `path` with the given `Host` line (none when `None`).
fn get_with_host(addr: &str, path: &str, host: Option<&str>) -> Option<u16> {
    let host = host.map(|h| format!("Host: {h}\r\n")).unwrap_or_default();
    let raw = format!("GET {path} HTTP/1.1\r\n{host}Connection: close\r\n\r\n");
    send_raw(addr, raw.as_bytes(), Duration::from_secs(10))
}

#[test]
fn only_loopback_names_and_bounded_requests_are_answered() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_dir(&fixture("report"), &root);
    let s = start(&root);
    let port = s.addr.rsplit(':').next().unwrap().to_string();
    let page = "/groups/thorpe-helpers/";

    // DNS rebinding: a page at evil.example that points its name at 127.0.0.1 still
    // sends its own name, and is refused whatever the port.
    assert_eq!(
        get_with_host(&s.addr, page, Some("evil.example")),
        Some(403)
    );
    let evil = format!("evil.example:{port}");
    assert_eq!(get_with_host(&s.addr, page, Some(&evil)), Some(403));
    let mut refused = TcpStream::connect(&s.addr).unwrap();
    write!(refused, "GET {page} HTTP/1.1\r\nHost: {evil}\r\n\r\n").unwrap();
    let mut body = String::new();
    let _ = refused.read_to_string(&mut body);
    assert!(!body.contains("Thorpe Helpers"), "{body}");
    assert!(
        body.contains("only requests addressed to 127.0.0.1"),
        "{body}"
    );
    // Another port on a loopback name is not this server's name either.
    assert_eq!(get_with_host(&s.addr, page, Some("127.0.0.1:1")), Some(403));
    // HTTP/1.1 without a Host, and two Hosts, are malformed.
    assert_eq!(get_with_host(&s.addr, page, None), Some(400));
    let two = format!("127.0.0.1:{port}\r\nHost: evil.example");
    assert_eq!(get_with_host(&s.addr, page, Some(&two)), Some(400));
    // The loopback names are answered.
    for host in [
        s.addr.clone(),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
        "127.0.0.1".to_string(),
    ] {
        assert_eq!(
            get_with_host(&s.addr, page, Some(&host)),
            Some(200),
            "{host}"
        );
    }
    assert_eq!(get(&s.addr, page).status, 200);

    // Only GET and HEAD.
    let post = format!(
        "POST {page} HTTP/1.1\r\nHost: {}\r\nContent-Length: 3\r\n\r\nabc",
        s.addr
    );
    let ten = Duration::from_secs(10);
    assert_eq!(send_raw(&s.addr, post.as_bytes(), ten), Some(405));

    // An oversized request line, and oversized headers, are refused and closed.
    let long = format!(
        "GET /{} HTTP/1.1\r\nHost: {}\r\n\r\n",
        "a".repeat(20_000),
        s.addr
    );
    assert_eq!(send_raw(&s.addr, long.as_bytes(), ten), Some(414));
    let big = format!(
        "GET / HTTP/1.1\r\nHost: {}\r\nX-Padding: {}\r\n\r\n",
        s.addr,
        "b".repeat(100_000)
    );
    assert_eq!(send_raw(&s.addr, big.as_bytes(), ten), Some(431));
    let many: String = (0..500).map(|i| format!("X-{i}: y\r\n")).collect();
    let many = format!("GET / HTTP/1.1\r\nHost: {}\r\n{many}\r\n", s.addr);
    assert_eq!(send_raw(&s.addr, many.as_bytes(), ten), Some(431));
    // A head with no end, sent faster than any timeout, is bounded too.
    let endless = format!(
        "GET / HTTP/1.1\r\nHost: {}\r\n{}",
        s.addr,
        "X-A: b\r\n".repeat(50_000)
    );
    assert!(matches!(
        send_raw(&s.addr, endless.as_bytes(), ten),
        Some(431) | Some(400)
    ));

    // And the server still answers everyone else.
    let after = get(&s.addr, page);
    assert_eq!(after.status, 200);
    assert!(after.body.contains("Thorpe Helpers"));
}

#[test]
fn clients_that_stall_do_not_stop_others_being_answered() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_dir(&fixture("report"), &root);
    // Far bigger than what the kernel buffers for a client that never reads.
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::fs::write(root.join("static/big.bin"), vec![b'x'; 24 * 1024 * 1024]).unwrap();
    let s = start(&root);
    assert_eq!(get(&s.addr, "/__aidmap/events").status, 200);

    let mut stalled = Vec::new();
    // Clients that ask for the big file and never read a byte of it.
    for _ in 0..8 {
        let mut c = TcpStream::connect(&s.addr).unwrap();
        write!(c, "GET /big.bin HTTP/1.1\r\nHost: {}\r\n\r\n", s.addr).unwrap();
        stalled.push(c);
    }
    // Clients that send half a request and then nothing.
    for _ in 0..4 {
        let mut c = TcpStream::connect(&s.addr).unwrap();
        write!(c, "GET / HTTP/1.1\r\nHost: {}\r\nX-Wait", s.addr).unwrap();
        stalled.push(c);
    }
    // Clients that trickle a request a byte at a time, never finishing it (bounded: they
    // stop at the first write that fails, or after a minute).
    let trickle: Vec<_> = (0..2)
        .map(|_| {
            let mut c = TcpStream::connect(&s.addr).unwrap();
            std::thread::spawn(move || {
                let head = b"GET / HTTP/1.1\r\nX-Slow: ";
                let _ = c.write_all(head);
                for _ in 0..120 {
                    if c.write_all(b"a").is_err() {
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(500));
                }
            })
        })
        .collect();

    // A normal client is answered within ten seconds, while all of them still stall.
    let asked = Instant::now();
    let status = get_with_host(&s.addr, "/groups/thorpe-helpers/", Some(&s.addr));
    let took = asked.elapsed();
    assert_eq!(status, Some(200), "no answer after {took:?}");
    assert!(took < Duration::from_secs(10), "answered after {took:?}");
    // And again, still.
    assert_eq!(get(&s.addr, "/style.css").status, 200);
    drop(stalled);
    for t in trickle {
        t.join().unwrap();
    }
}

#[test]
fn links_saved_into_static_are_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_dir(&fixture("report"), &root);
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::fs::write(root.join("static/note.txt"), "first").unwrap();
    // Somewhere else on the developer's disk.
    let private = dir.path().join("private");
    std::fs::create_dir_all(&private).unwrap();
    std::fs::write(private.join("secret.txt"), "TOP SECRET").unwrap();
    let s = start(&root);
    assert_eq!(get(&s.addr, "/note.txt").body, "first");

    // A link to a file: reported where it is, never read, never served.
    std::os::unix::fs::symlink(private.join("secret.txt"), root.join("static/leak.txt")).unwrap();
    wait_for("the link to be reported", || {
        s.printed("static/leak.txt: error: `static/leak.txt` is a symbolic link")
    });
    // A link to a folder: the same.
    std::os::unix::fs::symlink(&private, root.join("static/linked")).unwrap();
    wait_for("the folder link to be reported", || {
        s.printed("static/linked: error: `static/linked` is a symbolic link")
    });
    // A link is an error for the whole site, as in `aidmap check`: the last good site
    // stays up until the links are gone, then a real file saved beside them is served.
    for path in ["/leak.txt", "/linked/secret.txt"] {
        assert_eq!(get(&s.addr, path).status, 404, "{path}");
    }
    std::fs::remove_file(root.join("static/leak.txt")).unwrap();
    std::fs::remove_file(root.join("static/linked")).unwrap();
    std::fs::write(root.join("static/note.txt"), "second").unwrap();
    wait_for("the edited static file", || {
        get(&s.addr, "/note.txt").body == "second"
    });
    for path in ["/leak.txt", "/linked/secret.txt"] {
        let r = get(&s.addr, path);
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.body.contains("TOP SECRET"), "{path}");
    }
}
