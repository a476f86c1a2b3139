//! What a hostile pull request can put *beside* the records: links out of the
//! directory, files that stand in for the build's own, a `base_url` that breaks out of
//! the embed snippet, addresses that copy an attacker on every e-mail, file names and
//! values that forge CI annotations or terminal output. Each test starts from
//! `tests/fixtures/minimal`, makes one attack the way a pull request would, and checks
//! what `aidmap check` and `aidmap build` print and write.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{aidmap, copy_dir, fixture};

/// A copy of the minimal directory to attack, and a "secret" outside it.
struct Attack {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    secret: PathBuf,
}

/// What only the secret holds: it must never appear in any output or built file.
const SECRET: &str = "BEGIN-PRIVATE-KEY-c2VjcmV0LXRoYXQtbXVzdC1uZXZlci1sZWFr";

impl Attack {
    fn new() -> Attack {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        copy_dir(&fixture("minimal"), &root);
        let secret = tmp.path().join("home/.ssh");
        std::fs::create_dir_all(&secret).unwrap();
        std::fs::write(secret.join("id_ed25519"), format!("{SECRET}\n")).unwrap();
        std::fs::write(
            secret.join("notes.md"),
            format!("---\ntitle: {SECRET}\n---\n{SECRET}\n"),
        )
        .unwrap();
        std::fs::write(secret.join("x.yaml"), format!("name: {SECRET}\n")).unwrap();
        Attack {
            _tmp: tmp,
            root,
            secret,
        }
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[cfg(unix)]
    fn link(&self, rel: &str, target: &Path) {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let _ = std::fs::remove_dir_all(&path);
        let _ = std::fs::remove_file(&path);
        std::os::unix::fs::symlink(target, path).unwrap();
    }

    fn check(&self, format: &str) -> (i32, String) {
        let out = aidmap()
            .args(["check", "--format", format, "--root"])
            .arg(&self.root)
            .output()
            .unwrap();
        (out.status.code().unwrap_or(-1), text(&out))
    }

    /// Builds into `ROOT/../out`; returns the exit code, what was printed, and every
    /// built file's text.
    fn build(&self) -> (i32, String, String) {
        let out_dir = self.root.parent().unwrap().join("out");
        let out = aidmap()
            .args(["build", "--root"])
            .arg(&self.root)
            .arg("--out")
            .arg(&out_dir)
            .output()
            .unwrap();
        let mut files = String::new();
        if out_dir.is_dir() {
            for e in walkdir::WalkDir::new(&out_dir)
                .into_iter()
                .filter_map(Result::ok)
            {
                if e.file_type().is_file() {
                    files.push_str(&String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()));
                }
            }
        }
        (out.status.code().unwrap_or(-1), text(&out), files)
    }

    fn built(&self, rel: &str) -> String {
        let p = self.root.parent().unwrap().join("out").join(rel);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[cfg(unix)]
#[test]
fn a_link_anywhere_in_the_directory_is_an_error_and_never_followed() {
    let cases: &[(&str, &str)] = &[
        ("static", ""),
        ("content/stories", ""),
        ("content/groups", ""),
        ("themes/default", ""),
        ("themes/default/templates", ""),
        ("i18n", ""),
        ("site.yaml", "id_ed25519"),
        ("content/groups/nr2-helpers.yaml", "x.yaml"),
        ("content/stories/s.md", "notes.md"),
        ("static/key.txt", "id_ed25519"),
        ("content", ""),
    ];
    for (at, target) in cases {
        let a = Attack::new();
        if at.starts_with("themes")
            || at.starts_with("static/")
            || at.starts_with("content/stories/")
        {
            std::fs::create_dir_all(a.root.join(Path::new(at).parent().unwrap())).unwrap();
        }
        a.link(at, &a.secret.join(target));
        for format in ["text", "github", "json"] {
            let (code, printed) = a.check(format);
            assert_eq!(code, 1, "{at} ({format}): check must fail:\n{printed}");
            assert!(
                printed.contains("symbolic link"),
                "{at} ({format}):\n{printed}"
            );
            assert!(
                !printed.contains(SECRET),
                "{at} ({format}) leaked the secret:\n{printed}"
            );
        }
        let (code, printed, files) = a.build();
        assert_eq!(code, 1, "{at}: build must fail:\n{printed}");
        assert!(
            printed.contains(&format!("{at}: error: this is a symbolic link")),
            "{at}:\n{printed}"
        );
        assert!(
            !printed.contains(SECRET) && !files.contains(SECRET),
            "{at} leaked"
        );
    }
}

#[test]
fn a_value_in_a_message_is_a_short_excerpt() {
    // What a key file looks like to the YAML parser: one long scalar.
    let a = Attack::new();
    a.write("site.yaml", &format!("{SECRET}{}\n", "Q".repeat(300)));
    let (code, printed) = a.check("text");
    assert_eq!(code, 1, "{printed}");
    assert!(printed.contains("site.yaml"), "{printed}");
    assert!(!printed.contains(SECRET), "{printed}");
    assert!(!printed.contains("QQQQQQQQ"), "{printed}");
}

#[test]
fn static_files_add_to_the_site_but_never_replace_its_own() {
    for (rel, body) in [
        (
            "static/_headers",
            "/*\n  Content-Security-Policy: script-src *\n",
        ),
        ("static/_redirects", "/* https://evil.example/ 302\n"),
        ("static/search.js", "alert(1)"),
        ("static/style.css", "body{display:none}"),
        (
            "static/groups/nr2-helpers/index.html",
            "<h1>Call 0909 premium</h1>",
        ),
        ("static/groups", "a file where the build makes a folder"),
        ("static/index.html", "<h1>Gone</h1>"),
        ("static/data/groups.csv", "name\nforged\n"),
    ] {
        let a = Attack::new();
        a.write(rel, body);
        let (code, printed) = a.check("text");
        assert_eq!(code, 1, "{rel}: check must fail:\n{printed}");
        assert!(
            printed.contains(&format!("{rel}: error:")),
            "{rel}:\n{printed}"
        );
        let (code, printed, files) = a.build();
        assert_eq!(code, 1, "{rel}: build must fail:\n{printed}");
        assert!(!files.contains(body), "{rel} was published");
    }
    // Adding is fine.
    let a = Attack::new();
    a.write("static/files/leaflet.txt", "print me");
    a.write("static/robots-extra.txt", "hello");
    let (code, printed, _) = a.build();
    assert_eq!(code, 0, "{printed}");
    assert_eq!(a.built("files/leaflet.txt"), "print me");
}

#[test]
fn a_theme_cannot_bring_its_own_redirects() {
    let a = Attack::new();
    a.write(
        "themes/default/static/_redirects",
        "/* https://evil.example/ 302\n",
    );
    let (code, printed) = a.check("text");
    assert_eq!(code, 1, "{printed}");
    assert!(
        printed.contains(
            "themes/default/static/_redirects: error: a theme cannot have a _redirects file"
        ),
        "{printed}"
    );
}

#[test]
fn a_themes_headers_add_to_the_content_security_policy_never_replace_it() {
    let a = Attack::new();
    a.write("themes/default/static/_headers", "/*\n  X-Extra: yes\n");
    let (code, printed, _) = a.build();
    assert_eq!(code, 0, "{printed}");
    let headers = a.built("_headers");
    assert!(
        headers.contains("Content-Security-Policy: default-src 'none'"),
        "{headers}"
    );
    assert!(headers.contains("X-Extra: yes"), "{headers}");
}

#[test]
fn base_url_cannot_break_out_of_the_embed_snippet_or_point_elsewhere() {
    let a = Attack::new();
    a.write(
        "site.yaml",
        "title: T\nbase_url: 'https://example.org/\"></iframe><script>alert(1)</script>'\n",
    );
    let (code, printed, _) = a.build();
    assert_eq!(code, 0, "{printed}");
    let about = a.built("about/index.html");
    let snippet = about
        .split("<pre><code>")
        .nth(1)
        .and_then(|s| s.split("</code></pre>").next())
        .expect("the snippet");
    let pasted = snippet
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
        .replace("&#x2F;", "/");
    assert_eq!(pasted.matches("<iframe").count(), 1, "{pasted}");
    let src = pasted
        .split("src=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap();
    assert!(
        !pasted.contains("<script") && !src.contains(['<', '>', '\'']),
        "{pasted}"
    );
    assert!(
        pasted.contains("https://example.org/%22%3E%3C/iframe%3E"),
        "{pasted}"
    );
    for page in ["index.html", "404.html", "sitemap.xml"] {
        let html = a.built(page);
        assert!(
            !html.contains("\"><script") && !html.contains("<script>alert"),
            "{page}"
        );
    }

    for bad in [
        "//evil.example/",
        "/\\evil.example/",
        "javascript:alert(1)",
        "https://user@evil.example/",
        "/a b/",
    ] {
        let a = Attack::new();
        a.write("site.yaml", &format!("title: T\nbase_url: '{bad}'\n"));
        let (code, printed) = a.check("text");
        assert_eq!(code, 1, "{bad}: {printed}");
        assert!(printed.contains("site.yaml:2:"), "{bad}: {printed}");
    }
    let out = aidmap()
        .args(["build", "--base-url", "//evil.example/", "--root"])
        .arg(fixture("minimal"))
        .arg("--out")
        .arg(tempfile::tempdir().unwrap().path().join("o"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
}

/// A group file with one contact field set to `value`.
fn group_with(field: &str, value: &str) -> String {
    format!(
        "name: NR2 Helpers\nsummary: Neighbours helping neighbours.\nareas: [NR2]\nhelp: [shopping]\ncontact:\n  phone: \"01632 960001\"\n  {field}: {value}\nlanguages: [en]\nlast_checked: 2026-10-01\n"
    )
}

#[test]
fn contact_links_go_where_they_say() {
    for (field, value) in [
        (
            "email",
            "'a%40example.org?cc=attacker%40evil.example&body=hi@example.org'",
        ),
        ("email", "'a@example.org?cc=b@evil.example'"),
        ("email", "'a&b=c@example.org'"),
        ("email", "'a#b@example.org'"),
        ("facebook", "'https://www.facebook.com@evil.example/page'"),
        ("facebook", "'https://evil.example/facebook.com'"),
        ("facebook", "'https://facebook.com.evil.example/'"),
        ("whatsapp", "'https://evil.example/wa.me/'"),
        ("website", "'https://x@evil.example/'"),
    ] {
        let a = Attack::new();
        a.write("content/groups/nr2-helpers.yaml", &group_with(field, value));
        let (code, printed) = a.check("text");
        assert_eq!(code, 1, "{field}: {value}: {printed}");
        assert!(
            printed.contains("nr2-helpers.yaml:7:"),
            "{field}: {value}: {printed}"
        );
    }
    let a = Attack::new();
    a.write(
        "content/groups/nr2-helpers.yaml",
        &group_with("email", "o'brien+help@example.org"),
    );
    let (code, printed, _) = a.build();
    assert_eq!(code, 0, "{printed}");
    let page = a.built("groups/nr2-helpers/index.html");
    assert!(
        page.contains("href=\"mailto:o%27brien+help&#64;example.org\""),
        "{page}"
    );
    for (field, value) in [
        ("facebook", "https://www.facebook.com/nr2helpers"),
        ("facebook", "https://m.facebook.com/groups/123"),
        ("whatsapp", "https://chat.whatsapp.com/AbCdEf"),
        ("whatsapp", "https://wa.me/441632960001"),
    ] {
        let a = Attack::new();
        a.write("content/groups/nr2-helpers.yaml", &group_with(field, value));
        let (code, printed) = a.check("text");
        assert_eq!(code, 0, "{field}: {value}: {printed}");
    }
}

#[cfg(unix)]
#[test]
fn a_file_name_cannot_forge_ci_annotations() {
    let a = Attack::new();
    a.write(
        "content/groups/x\n::add-mask::GITHUB_TOKEN\n::stop-commands::tok\n::notice::ok.yaml",
        "name: [",
    );
    a.write("static/a\r\n::warning file=site.yaml::forged.txt", "x");
    let (code, printed) = a.check("github");
    assert_eq!(code, 1, "{printed}");
    for line in printed.lines() {
        assert!(
            !line.starts_with("::")
                || line.starts_with("::error file=")
                || line.starts_with("::warning file="),
            "forged command: {line:?}\n{printed}"
        );
        assert!(
            !line.contains("::add-mask") && !line.contains("::stop-commands"),
            "{line:?}"
        );
    }
    assert!(printed.contains("control character"), "{printed}");
}

#[test]
fn values_echoed_in_messages_cannot_drive_the_terminal() {
    let a = Attack::new();
    // OSC 52 (write the clipboard), a window title, a fake green "ok" after a CR.
    a.write(
        "content/groups/nr2-helpers.yaml",
        &group_with(
            "email",
            "\"\\e]52;c;ZWNobyBwd25lZA==\\a\\e]0;title\\a\\r\\e[32mok\\e[0m@x\"",
        ),
    );
    let mut g = std::fs::read_to_string(a.root.join("content/groups/nr2-helpers.yaml")).unwrap();
    g = g.replace(
        "phone: \"01632 960001\"",
        "phone: \"\\e[2J0163\\r2 960001\"",
    );
    a.write("content/groups/nr2-helpers.yaml", &g);
    for format in ["text", "github", "json"] {
        let (code, printed) = a.check(format);
        assert_eq!(code, 1, "{printed}");
        assert!(
            !printed.chars().any(|c| c.is_control() && c != '\n'),
            "{format}: a control character reached the terminal: {printed:?}"
        );
        assert!(printed.contains("u{1b}"), "{format}: {printed}");
    }
}

/// Every top-level address the build writes is in `BUILD_OWNED` or is one of the theme's
/// static files, so a static file can never stand in for a page a later change adds.
#[test]
fn every_address_the_build_writes_is_owned() {
    let a = Attack::new();
    let (code, printed, _) = a.build();
    assert_eq!(code, 0, "{printed}");
    let theme: Vec<String> = aidmap::render::theme::DEFAULT_THEME
        .iter()
        .filter_map(|(p, _)| p.strip_prefix("static/"))
        .map(|p| p.split('/').next().unwrap().to_string())
        .collect();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for out in [a.root.parent().unwrap().join("out"), {
        let o = tempfile::tempdir().unwrap().keep();
        let built = aidmap()
            .args(["build", "--root"])
            .arg(root)
            .arg("--out")
            .arg(&o)
            .output()
            .unwrap();
        assert!(built.status.success(), "{}", text(&built));
        o
    }] {
        for e in std::fs::read_dir(&out).unwrap() {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            // Each language's folder and search words are owned as the site's
            // `languages:` says (`site::static_folder`); the example has en and cy.
            let language = ["en", "cy"]
                .iter()
                .any(|c| name == *c || name == aidmap::i18n::search_words_file(c));
            assert!(
                aidmap::site::BUILD_OWNED.contains(&name.as_str())
                    || theme.contains(&name)
                    || language,
                "{name} is written by the build but not in site::BUILD_OWNED"
            );
        }
    }
}
