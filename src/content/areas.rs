//! The postcode areas a group lists, checked: the bridge from a group record to the
//! geography in `geo/`.

use crate::geo::{geography, Coverage};

/// The postcode area (the leading letters) of a district or sector: `NR2 3` -> `NR`.
pub fn area_of(code: &str) -> &str {
    let end = code
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(code.len());
    &code[..end]
}

/// Checks one `areas` entry against the embedded geography. Returns the normalised code
/// ("NR2", "NR3 1") and an optional warning, or an error message with an optional hint.
pub fn check_entry(entry: &str) -> Result<(String, Option<String>), (String, Option<String>)> {
    // Words (a placeholder, a town name) are not postcodes at all: say what is wanted.
    if !entry.chars().any(|c| c.is_ascii_digit()) && entry.trim().len() > 2 {
        return Err((
            format!("`{}` is not a postcode district or sector", entry.trim()),
            Some("write a district like NR2 or a sector like \"NR3 1\" (in quotes); the district is the first half of a postcode".into()),
        ));
    }
    match geography().check_coverage_entry(entry) {
        Ok(checked) => {
            let warning = (!checked.warnings.is_empty()).then(|| {
                checked
                    .warnings
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            });
            Ok((checked.coverage.code().to_string(), warning))
        }
        // The geography's messages already say what to write instead.
        Err(problem) => Err((problem.to_string(), None)),
    }
}

/// Turns a checked code back into the geography's coverage value.
pub fn coverage(code: &str) -> Coverage {
    match code.split_once(' ') {
        Some((district, _)) => Coverage::Sector {
            district: district.to_string(),
            sector: code.to_string(),
        },
        None => Coverage::District(code.to_string()),
    }
}

/// The human name of a postcode area ("NR" -> "Norwich").
pub fn area_name(code: &str) -> Option<&'static str> {
    geography().area(code).map(|a| a.name.as_str())
}
