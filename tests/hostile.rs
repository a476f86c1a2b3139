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
                // Browsers decode character references in attributes before reading the
                // scheme, so `&#106;avascript:` is checked as `javascript:`.
                let v: String = decode_references(&value)
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect();
                if ["href", "src", "action", "xlink:href", "formaction", "data"]
                    .contains(&attr.as_str())
                    && (v.starts_with("javascript:")
                        || v.starts_with("vbscript:")
                        || v.starts_with("data:"))
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
    // Template syntax in content is text, and look-alike letters simply display.
    let look = String::from_utf8_lossy(
        output
            .get("groups/look-alike-and-templates/index.html")
            .unwrap(),
    )
    .into_owned();
    assert!(
        look.contains("N\u{43e}rwich H\u{435}lpers {{ 7*7 }}"),
        "name not shown as written"
    );
    assert!(look.contains("{{ config.title }} {% if true %}open{% endif %}"));
    assert!(!look.contains("<b onmouseover"));
}

/// Decodes numeric character references and the named ones a scheme could hide behind.
fn decode_references(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').unwrap_or(rest.len());
        let name = &rest[1..end];
        let decoded = if let Some(hex) = name.strip_prefix("#x") {
            u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
        } else if let Some(dec) = name.strip_prefix('#') {
            dec.parse().ok().and_then(char::from_u32)
        } else {
            match name {
                "colon" => Some(':'),
                "tab" => Some('\t'),
                "newline" => Some('\n'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "lt" => Some('<'),
                "gt" => Some('>'),
                _ => None,
            }
        };
        match decoded {
            Some(c) if end < rest.len() => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
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
