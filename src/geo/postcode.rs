//! Parsing and normalising UK postcodes, whole or partial, by Royal Mail's format
//! rules alone (no data). Whether a district really exists is checked against the
//! embedded data in [`super::data`].
//!
//! Words used here: a postcode `NR2 3AB` has an *outward* code (`NR2`, also called
//! the *district*) and an *inward* code (`3AB`). Its *area* is the leading letters
//! (`NR`), its *sector* is the district plus the inward digit (`NR2 3`), and the
//! full postcode is a *unit*.
//!
//! Ambiguity: written without a space, `NR23` could be the district NR23 or the
//! sector `NR2 3`. [`PostcodeQuery::parse`] reads it as a district, because that is
//! what the shape says first; [`super::data::Geography::lookup`] then reinterprets
//! it as a sector only when NR23 does not exist but `NR2 3` does.

use std::fmt;

/// Letters allowed in the first position (not Q, V, X).
const FIRST: &str = "ABCDEFGHIJKLMNOPRSTUWYZ";
/// Letters allowed in the second position (not I, J, Z).
const SECOND: &str = "ABCDEFGHKLMNOPQRSTUVWXY";
/// Letters allowed in the third position, as in `W1A`.
const THIRD: &str = "ABCDEFGHJKPSTUW";
/// Letters allowed in the fourth position, as in `EC1A`.
const FOURTH: &str = "ABEHMNPRVWXY";
/// Letters allowed in the inward code (not C, I, K, M, O, V).
const INWARD: &str = "ABDEFGHJLNPQRSTUWXYZ";

/// A postcode or a prefix of one, normalised to upper case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PostcodeQuery {
    /// A postcode area such as `NR`.
    Area(String),
    /// A district (outward code) such as `NR2` or `EC1A`.
    District(String),
    /// A sector such as `NR2 3`.
    Sector {
        /// The district, such as `NR2`.
        district: String,
        /// The inward digit.
        sector: u8,
    },
    /// A full postcode such as `NR2 3AB`.
    Unit {
        /// The district, such as `NR2`.
        district: String,
        /// The inward digit.
        sector: u8,
        /// The two letters ending the postcode, such as `AB`.
        unit: String,
    },
}

impl PostcodeQuery {
    /// Parses what a person typed: any case, any spacing, surrounding punctuation
    /// ignored. See the module doc for how `NR23` is read.
    pub fn parse(input: &str) -> Result<Self, PostcodeError> {
        let trimmed = input.trim_matches(|c: char| !c.is_ascii_alphanumeric());
        if trimmed.is_empty() {
            return Err(PostcodeError::Empty);
        }
        let upper = trimmed.to_ascii_uppercase();
        let not = |reason: &str| PostcodeError::NotAPostcode {
            input: trimmed.to_string(),
            reason: reason.to_string(),
        };
        if upper
            .chars()
            .any(|c| !(c.is_ascii_alphanumeric() || c.is_whitespace()))
        {
            return Err(not(
                "it contains characters other than letters, digits and a space",
            ));
        }
        let tokens: Vec<&str> = upper.split_whitespace().collect();
        let compact: String = tokens.concat();
        check_special(trimmed, &compact)?;
        if compact.len() > 7 {
            return Err(not(
                "it is too long: a postcode has at most 7 letters and digits",
            ));
        }
        if tokens.len() == 2 && is_outward(tokens[0]) {
            let inward = tokens[1].as_bytes();
            if inward.len() == 2 && inward[0].is_ascii_digit() && inward[1].is_ascii_alphabetic() {
                return Err(PostcodeError::Incomplete {
                    input: trimmed.to_string(),
                    sector: format!("{} {}", tokens[0], &tokens[1][..1]),
                });
            }
            return parse_inward(tokens[0], tokens[1]).ok_or_else(|| {
                // NR2 3AC: the shape is right, one of the letters cannot be there.
                if inward.len() == 3
                    && inward[0].is_ascii_digit()
                    && inward[1..].iter().all(u8::is_ascii_alphabetic)
                {
                    not(LAST_LETTERS)
                } else {
                    not("the part after the space should be a digit and two letters, like 3AB")
                }
            });
        }
        // No usable space: read the shape from the end.
        let b = compact.as_bytes();
        let n = b.len();
        if n >= 5 && b[n - 3].is_ascii_digit() && is_outward(&compact[..n - 3]) {
            return parse_inward(&compact[..n - 3], &compact[n - 3..])
                .ok_or_else(|| not(LAST_LETTERS));
        }
        if is_outward(&compact) {
            return Ok(Self::District(compact));
        }
        if n >= 3
            && b[n - 1].is_ascii_digit()
            && is_outward(&compact[..n - 1])
            && sector_exists(&compact[..n - 1], b[n - 1] - b'0')
        {
            return Ok(Self::Sector {
                district: compact[..n - 1].to_string(),
                sector: b[n - 1] - b'0',
            });
        }
        if n >= 4 && b[n - 2].is_ascii_digit() && is_outward(&compact[..n - 2]) {
            let sector = format!("{} {}", &compact[..n - 2], &compact[n - 2..n - 1]);
            return Err(PostcodeError::Incomplete {
                input: trimmed.to_string(),
                sector,
            });
        }
        if is_area(&compact) {
            return Ok(Self::Area(compact));
        }
        Err(not(explain_shape(&compact)))
    }

    /// The area, such as `NR` (`GIR` for Girobank's `GIR 0AA`).
    pub fn area(&self) -> &str {
        match self {
            Self::Area(a) => a,
            Self::District(d)
            | Self::Sector { district: d, .. }
            | Self::Unit { district: d, .. } => area_of(d),
        }
    }

    /// The district, such as `NR2`, unless this is only an area.
    pub fn district(&self) -> Option<&str> {
        match self {
            Self::Area(_) => None,
            Self::District(d)
            | Self::Sector { district: d, .. }
            | Self::Unit { district: d, .. } => Some(d),
        }
    }

    /// The sector, such as `NR2 3`, if the query goes that far.
    pub fn sector(&self) -> Option<String> {
        match self {
            Self::Sector { district, sector }
            | Self::Unit {
                district, sector, ..
            } => Some(format!("{district} {sector}")),
            _ => None,
        }
    }
}

impl fmt::Display for PostcodeQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Area(a) | Self::District(a) => f.write_str(a),
            Self::Sector { district, sector } => write!(f, "{district} {sector}"),
            Self::Unit {
                district,
                sector,
                unit,
            } => write!(f, "{district} {sector}{unit}"),
        }
    }
}

impl std::str::FromStr for PostcodeQuery {
    type Err = PostcodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// Why some text is not a usable postcode. `Display` gives a sentence for a
/// resident or volunteer, with something to try.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostcodeError {
    /// Nothing but spaces or punctuation.
    Empty,
    /// Not shaped like a postcode.
    NotAPostcode {
        /// The input, trimmed.
        input: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A British Forces Post Office address (`BFPO 123`, `BF1 …`).
    Bfpo {
        /// The input, trimmed.
        input: String,
    },
    /// A real but non-geographic postcode (`BX…`, Santa's `XM4 5HQ`, overseas
    /// territories).
    NonGeographic {
        /// The input, trimmed.
        input: String,
        /// What it is used for.
        what: &'static str,
    },
    /// A postcode with one letter missing, such as `NR2 3A`.
    Incomplete {
        /// The input, trimmed.
        input: String,
        /// The sector it starts with, such as `NR2 3`.
        sector: String,
    },
    /// Shaped like a postcode, but its district does not exist.
    UnknownDistrict {
        /// The normalised district.
        district: String,
        /// Existing districts that look similar.
        suggestions: Vec<String>,
    },
    /// The district exists but the sector does not.
    UnknownSector {
        /// The normalised sector, such as `NR2 9`.
        sector: String,
        /// The district's sectors.
        known: Vec<String>,
    },
}

impl fmt::Display for PostcodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("no postcode given: type a postcode such as NR2 3AB, or just its first part, NR2"),
            Self::NotAPostcode { input, reason } => write!(
                f,
                "\"{input}\" is not a UK postcode: {reason}. Try the form NR2 3AB, or just the first part, NR2"
            ),
            Self::Bfpo { input } => write!(
                f,
                "\"{input}\" is a British Forces Post Office (BFPO) address, which has no place on a map. Try the postcode where you live"
            ),
            Self::NonGeographic { input, what } => write!(
                f,
                "\"{input}\" is a non-geographic postcode ({what}), so it has no place on a map. Try the postcode where you live"
            ),
            Self::Incomplete { input, sector } => write!(
                f,
                "\"{input}\" looks like an incomplete postcode: add the last letter, or search for the sector {sector}"
            ),
            Self::UnknownDistrict { district, suggestions } => {
                write!(f, "no postcode district {district} exists")?;
                if !suggestions.is_empty() {
                    write!(f, "; did you mean {}?", suggestions.join(", "))?;
                }
                Ok(())
            }
            Self::UnknownSector { sector, known } => {
                write!(f, "no postcode sector {sector} exists")?;
                if !known.is_empty() {
                    write!(f, "; its district has {}", known.join(", "))?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for PostcodeError {}

/// The leading letters of a district (`EC1A` -> `EC`).
pub(crate) fn area_of(district: &str) -> &str {
    let end = district
        .find(|c: char| c.is_ascii_digit())
        .unwrap_or(district.len());
    &district[..end]
}

/// Catches postcodes with a known non-geographic meaning before the shape rules
/// reject them with a less helpful message.
fn check_special(input: &str, compact: &str) -> Result<(), PostcodeError> {
    let input = input.to_string();
    // Two-letter prefixes only count alone or before a digit, like any area.
    let two = |p: &str| {
        compact.starts_with(p)
            && (compact.len() == 2 || compact[2..].starts_with(|c: char| c.is_ascii_digit()))
    };
    if compact.starts_with("BFPO") || two("BF") {
        return Err(PostcodeError::Bfpo { input });
    }
    let non_geo: &[(&str, &'static str)] = &[
        ("XM4", "Royal Mail's letters to Santa"),
        ("BX", "a mail-sorting address used by businesses"),
        ("ASCN", "Ascension Island, an overseas territory"),
        ("STHL", "St Helena, an overseas territory"),
        ("TDCU", "Tristan da Cunha, an overseas territory"),
        ("BBND", "the British Indian Ocean Territory"),
        ("BIQQ", "the British Antarctic Territory"),
        ("FIQQ", "the Falkland Islands, an overseas territory"),
        ("SIQQ", "South Georgia, an overseas territory"),
        ("PCRN", "the Pitcairn Islands, an overseas territory"),
        (
            "TKCA",
            "the Turks and Caicos Islands, an overseas territory",
        ),
        ("GX11", "Gibraltar, an overseas territory"),
    ];
    for &(prefix, what) in non_geo {
        if (prefix.len() == 2 && two(prefix)) || (prefix.len() > 2 && compact.starts_with(prefix)) {
            return Err(PostcodeError::NonGeographic { input, what });
        }
    }
    Ok(())
}

/// Is `s` a valid outward code (district) by Royal Mail's shape rules?
pub(crate) fn is_outward(s: &str) -> bool {
    if s == "GIR" {
        return true;
    }
    let b = s.as_bytes();
    let letter = |i: usize, set: &str| b.get(i).is_some_and(|c| set.as_bytes().contains(c));
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    match b.len() {
        // A9
        2 => letter(0, FIRST) && digit(1),
        // A99, A9A, AA9
        3 => {
            letter(0, FIRST)
                && ((digit(1) && (digit(2) || letter(2, THIRD))) || (letter(1, SECOND) && digit(2)))
        }
        // AA99, AA9A
        4 => letter(0, FIRST) && letter(1, SECOND) && digit(2) && (digit(3) || letter(3, FOURTH)),
        _ => false,
    }
}

/// Is `s` one or two letters that could start a postcode?
fn is_area(s: &str) -> bool {
    let b = s.as_bytes();
    match b.len() {
        1 => FIRST.as_bytes().contains(&b[0]),
        2 => FIRST.as_bytes().contains(&b[0]) && SECOND.as_bytes().contains(&b[1]),
        _ => false,
    }
}

/// Whether a sector can exist by shape: Girobank's `GIR` has only `GIR 0` (for `GIR 0AA`).
/// Both ways of writing a sector (`GIR 0`, `GIR0`) go through this, so they agree.
fn sector_exists(outward: &str, sector: u8) -> bool {
    outward != "GIR" || sector == 0
}

/// Why `NR2 3AC` is no postcode.
const LAST_LETTERS: &str = "its last two letters can't end a postcode (never C I K M O V)";

/// Reads the part after the outward code: one digit (a sector) or a digit and two
/// letters (a unit).
fn parse_inward(outward: &str, inward: &str) -> Option<PostcodeQuery> {
    let b = inward.as_bytes();
    let district = outward.to_string();
    if !b.first()?.is_ascii_digit() {
        return None;
    }
    let sector = b[0] - b'0';
    match b.len() {
        1 if sector_exists(outward, sector) => Some(PostcodeQuery::Sector { district, sector }),
        3 if b[1..].iter().all(|c| INWARD.as_bytes().contains(c)) => {
            if outward == "GIR" && inward != "0AA" {
                return None;
            }
            Some(PostcodeQuery::Unit {
                district,
                sector,
                unit: inward[1..].to_string(),
            })
        }
        _ => None,
    }
}

/// A short reason why `s` (upper case, no spaces) is not postcode-shaped.
fn explain_shape(s: &str) -> &'static str {
    let b = s.as_bytes();
    if b[0].is_ascii_digit() {
        "a postcode starts with a letter"
    } else if b"QVX".contains(&b[0]) {
        "no postcode starts with Q, V or X"
    } else if b.len() > 1 && b"IJZ".contains(&b[1]) {
        "the second letter of a postcode is never I, J or Z"
    } else if s.chars().all(|c| c.is_ascii_alphabetic()) {
        "a postcode area has one or two letters, followed by digits"
    } else {
        "its letters and digits are not in a postcode's order"
    }
}

#[cfg(test)]
#[path = "postcode_tests.rs"]
mod tests;
