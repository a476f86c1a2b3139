//! `aidmap serve`: build, answer from memory, rebuild on every change, reload the browser.
//!
//! - `http.rs` is the HTTP server behind our own small interface;
//! - `watch.rs` watches the sources and debounces editors' bursts of events;
//! - `livereload.rs` is the script, its endpoints and the error overlay.
//!
//! This file holds the loop: a file saved in `static/` is swapped into the served site
//! as it is; a saved group file first has its own page and leaflets swapped in
//! (`quick.rs`, milliseconds); then every change rebuilds the *whole* site, reusing the
//! maps, QR codes and tables whose inputs did not change (`cache.rs`). A build that
//! fails never stops the server: the last good site stays up, the terminal prints the
//! same located errors as `aidmap check`, and open pages show them in an overlay until
//! the file is fixed.
//!
//! Each open page asks `/__aidmap/events/<its path>` for two numbers: the build, and
//! the build in which *its own* file last changed. It reloads only when the second
//! moves, so an edit reloads the pages it changed and leaves the others alone.

pub mod http;
pub mod livereload;
pub mod quick;
pub mod watch;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Instant;

use anyhow::Result;

use crate::cache::BuildCache;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::Output;
use crate::render::pages::base_path;
use crate::site::{BuildOptions, Site};
use http::{Request, Response};

/// What `aidmap serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The directory's folder.
    pub root: PathBuf,
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Open a browser at the address once serving.
    pub open: bool,
    /// Build with this base URL instead of the local address.
    pub base_url: Option<String>,
}

/// The site being served and the outcome of the latest build.
#[derive(Debug, Default)]
struct State {
    /// The last site that built; `None` until one has.
    site: Option<Arc<Output>>,
    /// Finished builds, good or bad; the browser watches this number.
    build: u64,
    /// The latest build's errors as `aidmap check` prints them; empty when it succeeded.
    text: String,
    /// The same errors, located.
    diagnostics: Diagnostics,
    /// File path -> the build in which its bytes last changed (absent: the first build).
    versions: HashMap<String, u64>,
}

impl State {
    /// Serves `site` from now on, as build `self.build + 1`, noting which files changed.
    fn publish(&mut self, site: Output) {
        self.build += 1;
        let build = self.build;
        if let Some(old) = &self.site {
            for (path, bytes) in site.iter() {
                if old.get(path) != Some(bytes) {
                    self.versions.insert(path.to_string(), build);
                }
            }
        }
        self.site = Some(Arc::new(site));
    }

    /// Puts some files into the served site, as build `self.build + 1` when any of them
    /// changed.
    fn patch(&mut self, files: Output) {
        let Some(site) = self.site.as_mut() else {
            return;
        };
        let changed: Vec<(&str, &[u8])> = files
            .iter()
            .filter(|(path, bytes)| site.get(path) != Some(*bytes))
            .collect();
        if changed.is_empty() {
            return;
        }
        self.build += 1;
        // Copies the site only if a request is reading it at this moment.
        let output = Arc::make_mut(site);
        for (path, bytes) in changed {
            self.versions.insert(path.to_string(), self.build);
            output.add(path, bytes);
        }
    }
}

type Shared = Arc<RwLock<State>>;

/// Runs the preview server until the process is stopped.
pub fn serve(options: &ServeOptions) -> Result<()> {
    let server = http::Server::bind(options.port)?;
    let addr = server.addr();
    let base_url = options
        .base_url
        .clone()
        .unwrap_or_else(|| format!("http://{addr}/"));
    let build_options = BuildOptions {
        base_url: Some(base_url.clone()),
    };
    let mut prefix = base_path(&base_url);
    if !prefix.ends_with('/') {
        prefix.push('/');
    }
    let state: Shared = Arc::default();
    // Watching starts before the first build, so a file saved while it runs (or the
    // moment the address is printed) is never missed: its events wait in the queue.
    let mut watcher = watch::Watcher::new(&options.root)?;
    // Kept across rebuilds: maps and QR codes whose inputs did not change are reused.
    let cache = BuildCache::on();
    let mut loaded = rebuild(&options.root, &build_options, &state, &cache)?;

    let url = format!("http://{addr}{prefix}");
    println!("serving {url}");
    println!("watching site.yaml, content/, themes/ and static/ for changes; press Ctrl+C to stop");
    let handler_state = Arc::clone(&state);
    std::thread::spawn(move || server.run(move |req| handle(&handler_state, &prefix, req)));
    if options.open {
        open_browser(&url);
    }

    while let Some(changed) = watcher.next_change() {
        if changed.is_empty() || refresh_static_files(&options.root, &state, &changed) {
            continue;
        }
        let names: Vec<String> = changed.iter().map(|p| p.display().to_string()).collect();
        println!("changed: {}", names.join(", "));
        if let Some(last) = loaded.as_mut() {
            let start = Instant::now();
            if let Some(pages) = quick::update_groups(&options.root, last, &cache, &changed) {
                let mut s = write(&state);
                if s.text.is_empty() {
                    s.patch(pages);
                    println!(
                        "group pages and leaflets updated in {} ms; rebuilding the rest",
                        start.elapsed().as_millis()
                    );
                }
            }
        }
        if let Some(next) = rebuild(&options.root, &build_options, &state, &cache)? {
            loaded = Some(next);
        }
    }
    Ok(())
}

/// When every change is a file saved in the directory's `static/` folder, puts its new
/// bytes into the served site without a rebuild: a stylesheet or picture shows at once,
/// whatever the directory's size (nothing else is made from them). Anything else (a
/// removed file, which may uncover the theme's own; content; templates; a site whose last
/// build failed; a symbolic link, reported and never read) takes the full rebuild, which
/// skips links as `aidmap build` does. `changed` is relative to `root`.
fn refresh_static_files(root: &Path, state: &Shared, changed: &[PathBuf]) -> bool {
    let start = Instant::now();
    let mut files = Vec::new();
    let mut all_plain = true;
    for rel in changed {
        let Ok(inside) = rel.strip_prefix("static") else {
            return false;
        };
        if inside.as_os_str().is_empty() {
            return false;
        }
        match read_static(root, rel) {
            Ok(Some(bytes)) => {
                files.push((crate::output::relative(rel, Path::new("static")), bytes));
            }
            Ok(None) => all_plain = false,
            Err(d) => {
                eprintln!("{d}");
                all_plain = false;
            }
        }
    }
    if !all_plain {
        return false;
    }
    let mut s = write(state);
    if !s.text.is_empty() || s.site.is_none() {
        return false;
    }
    let names: Vec<String> = files.iter().map(|(p, _)| format!("static/{p}")).collect();
    let mut patch = Output::default();
    for (path, bytes) in files {
        patch.add(path, bytes);
    }
    s.patch(patch);
    println!("changed: {}", names.join(", "));
    println!(
        "updated in {} ms (static files: nothing else to rebuild)",
        start.elapsed().as_millis()
    );
    true
}

/// Reads the file at `rel` (under `root`) without following a symbolic link anywhere
/// below `root`: each component is looked at with `symlink_metadata`, and the file opened
/// must be the one looked at (a link swapped in between is caught by its identity).
/// `Ok(None)` when it is not a readable regular file (removed, a folder); `Err` with the
/// located problem when it is, or passes through, a link. A directory's `static/` comes
/// from a pull request like everything else in it: a link there could point anywhere on
/// the developer's disk, and the preview must not hand that file to the browser.
fn read_static(root: &Path, rel: &Path) -> std::result::Result<Option<Vec<u8>>, Diagnostic> {
    use std::io::Read as _;
    let mut at = PathBuf::new();
    let mut last = None;
    for part in rel.components() {
        let std::path::Component::Normal(name) = part else {
            return Ok(None);
        };
        at.push(name);
        let Ok(meta) = std::fs::symlink_metadata(root.join(&at)) else {
            return Ok(None);
        };
        if meta.file_type().is_symlink() {
            let shown = crate::output::relative(&at, Path::new(""));
            let message = if at.as_path() == rel {
                format!("`{shown}` is a symbolic link; aidmap serve does not follow links in static/, and aidmap build skips them")
            } else {
                format!("`{shown}` is a symbolic link, so this file is not served; aidmap serve does not follow links in static/, and aidmap build skips them")
            };
            return Err(Diagnostic::error(rel, (0, 0), message)
                .with_hint("copy the file into static/ instead of linking to it"));
        }
        last = Some(meta);
    }
    let Some(meta) = last.filter(|m| m.is_file()) else {
        return Ok(None);
    };
    let Ok(mut file) = std::fs::File::open(root.join(rel)) else {
        return Ok(None);
    };
    match file.metadata() {
        Ok(opened) if same_file(&meta, &opened) => {}
        _ => return Ok(None),
    }
    let mut bytes = Vec::new();
    match file.read_to_end(&mut bytes) {
        Ok(_) => Ok(Some(bytes)),
        Err(_) => Ok(None),
    }
}

/// Are these the metadata of one file (device and inode on Unix)? Elsewhere, only that
/// the opened file is a regular file: `symlink_metadata` above has already refused links.
fn same_file(looked_at: &std::fs::Metadata, opened: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        looked_at.dev() == opened.dev() && looked_at.ino() == opened.ino() && opened.is_file()
    }
    #[cfg(not(unix))]
    {
        let _ = looked_at;
        opened.is_file()
    }
}

/// Rebuilds the whole site and records the outcome; returns the loaded site when it
/// built. Only a missing root folder is an `Err`; content and template errors are kept
/// for the terminal and the overlay.
fn rebuild(
    root: &Path,
    options: &BuildOptions,
    state: &Shared,
    cache: &BuildCache,
) -> Result<Option<quick::Loaded>> {
    let start = Instant::now();
    let outcome = build_loaded(root, options, cache);
    let ms = start.elapsed().as_millis();
    let (site, loaded, text, diagnostics) = match outcome {
        Ok(Ok((output, loaded))) => {
            eprint!("{}", loaded.site.diagnostics.render_text());
            let (reused, drawn) = cache.maps.counts();
            println!(
                "built {} groups, {} stories, {} pages in {ms} ms ({drawn} maps drawn, {reused} reused)",
                loaded.stats.groups, loaded.stats.stories, loaded.stats.pages
            );
            (
                Some(output),
                Some(loaded),
                String::new(),
                Diagnostics::default(),
            )
        }
        Ok(Err(ds)) => {
            let text = ds.render_text();
            eprint!("{text}");
            println!("build failed in {ms} ms; still serving the last good site");
            (None, None, text, ds)
        }
        Err(e) => {
            // Errors with no file position (a broken template, an unreadable folder).
            let text = format!("error: {e:#}\n");
            eprint!("{text}");
            if !root.is_dir() {
                return Err(e);
            }
            println!("build failed in {ms} ms; still serving the last good site");
            (None, None, text, Diagnostics::default())
        }
    };
    let mut s = write(state);
    match site {
        Some(site) => s.publish(site),
        None => s.build += 1,
    }
    s.text = text;
    s.diagnostics = diagnostics;
    Ok(loaded)
}

/// Loads, checks and builds in memory: the site and what the quick path needs, or the
/// problems that stopped it.
fn build_loaded(
    root: &Path,
    options: &BuildOptions,
    cache: &BuildCache,
) -> Result<std::result::Result<(Output, quick::Loaded), Diagnostics>> {
    let site = Site::load(root, options)?;
    if site.diagnostics.has_errors() {
        return Ok(Err(site.diagnostics));
    }
    let tera = site.tera()?;
    let (output, stats) = site.build_with(&tera, cache)?;
    Ok(Ok((output, quick::Loaded { site, tera, stats })))
}

fn write(state: &Shared) -> std::sync::RwLockWriteGuard<'_, State> {
    state.write().unwrap_or_else(|p| p.into_inner())
}

/// Answers one request from the shared state.
fn handle(state: &Shared, prefix: &str, req: &Request) -> Response {
    if req.method != "GET" && req.method != "HEAD" {
        return Response::new(405, "text/plain; charset=utf-8", "only GET and HEAD")
            .with_header("Allow", "GET, HEAD");
    }
    let s = state.read().unwrap_or_else(|p| p.into_inner());
    if let Some(name) = req.path.strip_prefix(livereload::PREFIX) {
        return match name {
            "livereload.js" => {
                Response::new(200, http::content_type("livereload.js"), livereload::SCRIPT)
            }
            "events" => json(&serde_json::json!({ "build": s.build })),
            // The page at `/__aidmap/events/<path>`: in which build its file last changed.
            _ if name.starts_with("events/") => {
                let page = &name["events".len()..];
                let version = site_file(prefix, page)
                    .and_then(|f| {
                        let site = s.site.as_ref()?;
                        let f = match site.get(&f) {
                            Some(_) => f,
                            None => format!("{f}/index.html"),
                        };
                        Some(s.versions.get(&f).copied().unwrap_or(0))
                    })
                    .unwrap_or(s.build);
                json(&serde_json::json!({ "build": s.build, "page": version }))
            }
            "errors" => json(&livereload::ErrorsJson {
                build: s.build,
                ok: s.text.is_empty(),
                text: &s.text,
                diagnostics: s.diagnostics.iter().collect(),
            }),
            _ => Response::new(404, "text/plain; charset=utf-8", "not found"),
        };
    }
    let Some(site) = s.site.clone() else {
        // Nothing has built yet: a page that carries the overlay script.
        let page = format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>aidmap</title></head><body><h1>The site has not built yet</h1><p>Fix the errors shown in the terminal; this page reloads when it builds.</p>{}</body></html>",
            livereload::TAG
        );
        return Response::new(503, "text/html; charset=utf-8", page);
    };
    drop(s);
    // `/sub` for a site served at `/sub/`.
    if format!("{}/", req.path) == prefix {
        return Response::new(301, "text/plain; charset=utf-8", "").with_header("Location", prefix);
    }
    let Some(file) = site_file(prefix, &req.path) else {
        return not_found(&site);
    };
    match site.get(&file) {
        Some(bytes) => page(200, &file, bytes),
        None if site.get(&format!("{file}/index.html")).is_some() => {
            Response::new(301, "text/plain; charset=utf-8", "")
                .with_header("Location", format!("{}/", req.path))
        }
        None => not_found(&site),
    }
}

/// The file of the site at a request path under `prefix`: `/groups/x/` ->
/// `groups/x/index.html`; `None` outside the site or for `.`/`..` segments.
fn site_file(prefix: &str, path: &str) -> Option<String> {
    let rel = path
        .strip_prefix(prefix)
        .or_else(|| (format!("{path}/") == prefix).then_some(""))?;
    if rel.split('/').any(|seg| seg == ".." || seg == ".") {
        return None;
    }
    Some(crate::render::pages::page_file(rel))
}

/// A file from the site, with the live-reload tag when it is HTML.
fn page(status: u16, file: &str, bytes: &[u8]) -> Response {
    let ty = http::content_type(file);
    if ty.starts_with("text/html") {
        Response::new(status, ty, livereload::inject(bytes))
    } else {
        Response::new(status, ty, bytes.to_vec())
    }
}

/// The site's own 404 page, with status 404.
fn not_found(site: &Output) -> Response {
    match site.get("404.html") {
        Some(bytes) => page(404, "404.html", bytes),
        None => Response::new(404, "text/plain; charset=utf-8", "not found"),
    }
}

fn json(value: &impl serde::Serialize) -> Response {
    Response::new(
        200,
        "application/json",
        serde_json::to_vec(value).unwrap_or_default(),
    )
}

/// Opens a browser at `url` with the desktop's opener, if there is one; never fails.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    match std::process::Command::new(opener)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        Ok(_) => {}
        Err(_) => println!("could not open a browser ({opener} not found); open {url} yourself"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(unix)]
    fn static_files_are_read_without_following_links() {
        let dir = tempfile::tempdir().unwrap();
        let (root, outside) = (dir.path().join("site"), dir.path().join("outside"));
        std::fs::create_dir_all(root.join("static/img")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("secret.txt"), "secret").unwrap();
        std::fs::write(root.join("static/img/a.txt"), "a").unwrap();
        std::os::unix::fs::symlink(&outside, root.join("static/linked")).unwrap();
        std::os::unix::fs::symlink(outside.join("secret.txt"), root.join("static/img/s.txt"))
            .unwrap();

        let read = |rel: &str| read_static(&root, Path::new(rel));
        assert_eq!(read("static/img/a.txt"), Ok(Some(b"a".to_vec())));
        assert_eq!(read("static/img"), Ok(None), "a folder");
        assert_eq!(read("static/img/gone.txt"), Ok(None), "a removed file");
        let through = read("static/linked/secret.txt").unwrap_err().to_string();
        assert!(
            through.starts_with("static/linked/secret.txt: error: `static/linked` is a symbolic link, so this file is not served"),
            "{through}"
        );
        let link = read("static/img/s.txt").unwrap_err().to_string();
        assert!(
            link.starts_with("static/img/s.txt: error: `static/img/s.txt` is a symbolic link;"),
            "{link}"
        );
        assert!(link.contains("hint: copy the file into static/"), "{link}");
    }
}
