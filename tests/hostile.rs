//! Hostile content from a pull request builds to pages with nothing that can run.
//!
//! Scans every built file of `tests/fixtures/hostile/` for script elements, event-handler
//! attributes and dangerous URL schemes. The browser harness loads the same pages and
//! checks that `window.__pwned` is never set.

use std::path::Path;

#[test]
fn hostile_fixture_builds_to_inert_pages() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile");
    let outcome = aidmap::build_site(&root, &aidmap::BuildOptions::default()).unwrap();
    let aidmap::BuildOutcome::Built { output, .. } = outcome else {
        panic!("the hostile fixture should build: its dangerous parts are made safe");
    };
    let mut problems = Vec::new();
    for (path, bytes) in output.iter() {
        if !(path.ends_with(".html") || path.ends_with(".xml") || path.ends_with(".svg")) {
            continue;
        }
        let text = String::from_utf8_lossy(bytes).to_lowercase();
        // Escaped text (&lt;script&gt;) is inert; only real tags matter, so look at each tag.
        for tag in tags(&text) {
            let name: String = tag
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            // The theme's own scripts are files in the site (`<script src="../print.js">`);
            // anything inline or from elsewhere came from content.
            let own_script = name == "script"
                && attributes(tag)
                    .iter()
                    .any(|(a, v)| a == "src" && !v.contains(':') && !v.starts_with("//"));
            if (["script", "iframe", "object", "embed", "style", "base"].contains(&name.as_str())
                && !own_script)
                || (name == "meta" && tag.contains("http-equiv"))
                || (name == "form" && tag.contains("://"))
            {
                problems.push(format!("{path}: <{name}> element"));
            }
            for (attr, value) in attributes(tag) {
                if attr.starts_with("on") {
                    problems.push(format!("{path}: event attribute {attr} in <{tag}>"));
                }
                let v: String = value.chars().filter(|c| !c.is_whitespace()).collect();
                if ["href", "src", "action", "xlink:href", "formaction", "data"]
                    .contains(&attr.as_str())
                    && (v.starts_with("javascript:")
                        || v.starts_with("vbscript:")
                        || v.starts_with("data:")
                        || (v.contains("&#") && !v.starts_with("mailto:")))
                {
                    problems.push(format!("{path}: dangerous URL in <{tag}>"));
                }
                if name == "img" && attr == "src" && (v.contains("//") || v.contains(':')) {
                    problems.push(format!("{path}: remote image in <{tag}>"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let group = String::from_utf8_lossy(output.get("groups/script-everywhere/index.html").unwrap())
        .into_owned();
    assert!(
        group.contains("&lt;script&gt;window.__pwned=1&lt;&#x2f;script&gt; Helpers")
            || group.contains("&lt;script&gt;")
    );
}

/// The insides of every tag in an HTML text: `a href="x"` for `<a href="x">`.
fn tags(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        if !tag.starts_with('/') && !tag.starts_with('!') && !tag.starts_with('?') {
            out.push(tag);
        }
        rest = &rest[end..];
    }
    out
}

/// The (name, value) attribute pairs of a tag's insides.
fn attributes(tag: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = tag
        .split_once(char::is_whitespace)
        .map(|x| x.1)
        .unwrap_or("");
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            break;
        }
        let name_end = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        let name = rest[..name_end].to_string();
        rest = rest[name_end..].trim_start();
        let mut value = String::new();
        if let Some(r) = rest.strip_prefix('=') {
            let r = r.trim_start();
            let (v, remaining) = match r.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = &r[1..];
                    let end = body.find(q).unwrap_or(body.len());
                    (&body[..end], &body[(end + 1).min(body.len())..])
                }
                _ => {
                    let end = r.find(char::is_whitespace).unwrap_or(r.len());
                    (&r[..end], &r[end..])
                }
            };
            value = v.to_string();
            rest = remaining;
        }
        out.push((name, value));
    }
    out
}
