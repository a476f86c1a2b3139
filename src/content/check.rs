//! Checks for single field values that strangers send us: phone numbers, e-mail
//! addresses, web links, dates and slugs. Each returns a message fit to show a volunteer.

use jiff::civil::Date;

/// True for a slug: lowercase ASCII letters and digits in dash-separated words.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 80
        && s.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Names Windows will not let anyone create as a file or folder, whatever the extension.
const RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Checks that a file stem can be a page address on every host and operating system.
pub fn slug(stem: &str) -> Result<(), String> {
    if !is_slug(stem) {
        return Err(format!(
            "the file name `{stem}` cannot be a page address: use lowercase letters a-z, digits 0-9 and single dashes, at most 80 characters"
        ));
    }
    if RESERVED.contains(&stem) {
        return Err(format!(
            "the file name `{stem}` is reserved by Windows and would break the site for some contributors"
        ));
    }
    Ok(())
}

/// Checks a UK phone number and returns it as digits in international form (`+441632960123`).
///
/// Accepts spaces, dashes, dots and brackets, and a leading `+44` or `0044`. Only
/// geographic (01, 02), non-geographic (03, 08) and mobile (07) numbers are accepted:
/// premium-rate 09 numbers are refused because residents in need would pay for the call.
pub fn uk_phone(input: &str) -> Result<String, String> {
    let mut digits = String::new();
    for (i, c) in input.trim().chars().enumerate() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if i == 0 => digits.push('+'),
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => {
                return Err(format!(
                    "`{input}` is not a phone number: it has the character `{c}`"
                ))
            }
        }
    }
    let national = if let Some(rest) = digits.strip_prefix("+44") {
        format!("0{}", rest.trim_start_matches('0'))
    } else if let Some(rest) = digits.strip_prefix("0044") {
        format!("0{}", rest.trim_start_matches('0'))
    } else if digits.starts_with('+') {
        return Err(format!(
            "`{input}` is not a UK number: only +44 numbers can be listed"
        ));
    } else {
        digits
    };
    if !national.starts_with('0') {
        return Err(format!(
            "`{input}` is not a full UK phone number: it should start with 0 and include the area code"
        ));
    }
    if national.starts_with("09") {
        return Err(format!(
            "`{input}` is a premium-rate number; residents must not pay to ask for help"
        ));
    }
    let ok_prefix = ["01", "02", "03", "07", "08"]
        .iter()
        .any(|p| national.starts_with(p));
    let len_ok = national.len() == 11 || (national.len() == 10 && national.starts_with("01"));
    if !ok_prefix || !len_ok {
        return Err(format!(
            "`{input}` is not a UK phone number: it should have 11 digits, like 01632 960123 or 07700 900123"
        ));
    }
    Ok(format!("+44{}", &national[1..]))
}

/// Checks an e-mail address well enough to catch slips, without pretending to RFC 5322.
///
/// The local part may hold only letters, digits and `. _ + - '`: the characters a
/// `mailto:` link gives a meaning to (`? & = % #` and `/`) are refused, so an address
/// cannot smuggle `?cc=` or `&body=` into every message a resident sends. The domain is
/// dot-separated labels of letters, digits and inner dashes.
pub fn email(input: &str) -> Result<(), String> {
    let bad = || {
        Err(format!(
            "`{input}` is not an e-mail address; write it like name@example.org"
        ))
    };
    let Some((local, domain)) = input.split_once('@') else {
        return bad();
    };
    let local_ok = |c: char| c.is_alphanumeric() || ".-_+'".contains(c);
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    let labels: Vec<&str> = domain.split('.').collect();
    if local.is_empty()
        || local.len() > 64
        || input.len() > 254
        || local.starts_with('.')
        || local.ends_with('.')
        || local.contains("..")
        || !local.chars().all(local_ok)
        || labels.len() < 2
        || !labels.iter().all(|l| label_ok(l))
    {
        return bad();
    }
    Ok(())
}

/// An e-mail address checked by [`email`] as the `mailto:` link for it, every character
/// but letters, digits and `. _ + -` percent-encoded, so the link says exactly the
/// address and nothing else, whatever [`email`] lets through.
pub fn mailto(address: &str) -> String {
    let mut out = String::from("mailto:");
    for b in address.bytes() {
        if b.is_ascii_alphanumeric() || b".-_+@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Checks a web link: only `https:` and `http:` with a host; anything else could run
/// script (`javascript:`), smuggle content (`data:`) or confuse readers. Returns the link
/// as a browser would read it (the `url` crate's serialisation: quotes, spaces and angle
/// brackets percent-encoded), which is what gets published.
pub fn web_url(input: &str) -> Result<String, String> {
    let trimmed = input.trim();
    if trimmed
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || is_bidi_control(c))
    {
        return Err(format!(
            "`{input}` contains spaces or invisible control characters"
        ));
    }
    let parsed = url::Url::parse(trimmed).map_err(|_| {
        format!("`{input}` is not a web address; write it in full, starting with https://")
    })?;
    match parsed.scheme() {
        "https" | "http" => {}
        other => {
            return Err(format!(
                "`{input}` uses `{other}:`; only https:// and http:// links can be published"
            ))
        }
    }
    if parsed.host_str().is_none_or(|h| h.is_empty()) {
        return Err(format!("`{input}` has no website name after https://"));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(format!(
            "`{input}` has a name and `@` before the website name, which hides where the link really goes (the site is `{}`)",
            parsed.host_str().unwrap_or_default()
        ));
    }
    if trimmed.contains('\\') {
        return Err(format!(
            "`{input}` has a backslash in it; web addresses use / only"
        ));
    }
    Ok(parsed.as_str().replace('\'', "%27"))
}

/// Checks a link that must lead to one service, such as WhatsApp or Facebook: a web link
/// (see [`web_url`]) whose host, as a browser parses it, is one of `hosts` or a
/// subdomain of one (`https://www.facebook.com@evil.example/` goes to evil.example).
pub fn service_url(input: &str, service: &str, hosts: &[&str]) -> Result<String, String> {
    let url = web_url(input)?;
    let host = url::Url::parse(&url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        .unwrap_or_default();
    if hosts
        .iter()
        .any(|h| host == *h || host.ends_with(&format!(".{h}")))
    {
        Ok(url)
    } else {
        Err(format!(
            "`{input}` is not a {service} link: it goes to `{host}`, not {}",
            hosts.join(" or ")
        ))
    }
}

/// The hosts a `whatsapp:` link may go to.
pub const WHATSAPP_HOSTS: &[&str] = &["whatsapp.com", "wa.me"];

/// The hosts a `facebook:` link may go to.
pub const FACEBOOK_HOSTS: &[&str] = &["facebook.com", "fb.com", "fb.me"];

/// Checks a site's `base_url` and returns it normalised, ending in `/`: a full http(s)
/// address as [`web_url`] serialises it (no query, fragment or `@`), or a root-relative
/// path such as `/mutual-aid/` of plain characters for previews. Every canonical link,
/// the sitemap, the feed and the embed snippet partners paste are built from it, so it
/// can hold no quote, angle bracket or second host (`//evil.example/`).
pub fn base_url(input: &str) -> Result<String, String> {
    let trimmed = input.trim();
    let mut out = if trimmed.starts_with('/') {
        let plain = trimmed
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~/".contains(c));
        if trimmed.starts_with("//") || trimmed.contains("//") || !plain {
            return Err(format!(
                "`{input}` is not a web address or a plain path: write the address the site is published at, such as https://example.org/, or a path like /mutual-aid/"
            ));
        }
        trimmed.to_string()
    } else {
        let url = web_url(trimmed)?;
        let parsed = url::Url::parse(&url).map_err(|e| e.to_string())?;
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(format!(
                "`{input}` has a `?` or `#` part; the site's address is its folder, like https://example.org/mutual-aid/"
            ));
        }
        url
    };
    if !out.ends_with('/') {
        out.push('/');
    }
    Ok(out)
}

/// Unicode characters that reorder text and can disguise a link or name.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Checks a one-line text field: no control or reordering characters, within a length.
pub fn plain_text(input: &str, max: usize) -> Result<(), String> {
    if input.trim().is_empty() {
        return Err("this must not be empty".into());
    }
    if let Some(c) = input
        .chars()
        .find(|&c| is_bidi_control(c) || (c.is_control() && c != '\n'))
    {
        return Err(format!(
            "this text contains the invisible control character U+{:04X}, which can disguise what it says",
            c as u32
        ));
    }
    if input.chars().count() > max {
        return Err(format!(
            "this is {} characters long; keep it under {max}",
            input.chars().count()
        ));
    }
    Ok(())
}

/// Parses a calendar date written as YYYY-MM-DD.
pub fn date(input: &str) -> Result<Date, String> {
    let s = input.trim();
    let shaped = s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shaped {
        return Err(format!(
            "`{input}` is not a date; write it as YYYY-MM-DD, like 2026-10-01"
        ));
    }
    s.parse::<Date>()
        .map_err(|_| format!("`{input}` is not a real date"))
}

/// Whole days from `a` to `b` (negative when `b` is earlier).
pub fn days_between(a: Date, b: Date) -> i64 {
    a.until(b).map(|s| i64::from(s.get_days())).unwrap_or(0)
}

/// Today's date in the UK, or `AIDMAP_TODAY` when set (reproducible builds and tests).
pub fn today() -> Date {
    if let Some(d) = std::env::var("AIDMAP_TODAY")
        .ok()
        .and_then(|v| date(&v).ok())
    {
        return d;
    }
    jiff::Zoned::now().date()
}

/// Formats a date the way UK readers write it: "1 October 2026".
pub fn human_date(d: jiff::civil::Date) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    format!(
        "{} {} {}",
        d.day(),
        MONTHS[(d.month() - 1) as usize],
        d.year()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones() {
        assert_eq!(uk_phone("01632 960123").unwrap(), "+441632960123");
        assert_eq!(uk_phone("020 7946 0321").unwrap(), "+442079460321");
        assert_eq!(uk_phone("+44 7700 900456").unwrap(), "+447700900456");
        assert_eq!(uk_phone("(01632) 960-123").unwrap(), "+441632960123");
        assert!(uk_phone("0909 123 4567").unwrap_err().contains("premium"));
        assert!(uk_phone("12345").is_err());
        assert!(uk_phone("+1 555 0100").unwrap_err().contains("UK"));
        assert!(uk_phone("01632 96012x").is_err());
        assert!(uk_phone("01632 9601234567").is_err());
    }

    #[test]
    fn emails() {
        assert!(email("nr2@example.org").is_ok());
        assert!(email("nr2example.org").is_err());
        assert!(email("a@b").is_err());
        assert!(email("a b@example.org").is_err());
        assert!(email("a@exa<mple.org").is_err());
    }

    #[test]
    fn urls() {
        assert!(web_url("https://example.org/").is_ok());
        assert!(web_url("http://example.org/x?y=1").is_ok());
        assert!(web_url("javascript:alert(1)")
            .unwrap_err()
            .contains("javascript"));
        assert!(web_url("data:text/html,hi").unwrap_err().contains("data"));
        assert!(web_url("JaVaScRiPt:alert(1)").is_err());
        assert!(web_url("example.org").is_err());
        assert!(web_url("https://exa\u{202E}mple.org").is_err());
    }

    #[test]
    fn slugs_and_dates() {
        assert!(slug("nr2-covid").is_ok());
        assert!(slug("NR2").is_err());
        assert!(slug("a--b").is_err());
        assert!(slug("..").is_err());
        assert!(slug("con").unwrap_err().contains("reserved"));
        assert!(date("2026-02-30").is_err());
        assert!(date("1/2/2026").is_err());
        assert_eq!(date("2026-10-01").unwrap().to_string(), "2026-10-01");
    }
}
