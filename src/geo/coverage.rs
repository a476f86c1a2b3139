//! Checking the `covers:` entries of a group record: each entry is a postcode
//! district (`NR2`) or sector (`NR3 1`) that must exist in the embedded data.
//!
//! A *coverage* is one checked entry. Problems are errors (the entry can't be
//! used); large-user-only districts are accepted with a warning, because a group
//! may list them by mistake but they hold no residents to help.

use std::fmt;

use super::data::{CentroidSource, Geography};
use super::postcode::{PostcodeError, PostcodeQuery};

/// One checked coverage entry, normalised.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Coverage {
    /// A whole district, such as `NR2`.
    District(String),
    /// One sector, such as `NR3 1`.
    Sector {
        /// Its district, such as `NR3`.
        district: String,
        /// The sector code, such as `NR3 1`.
        sector: String,
    },
}

impl Coverage {
    /// The district this entry lies in.
    pub fn district(&self) -> &str {
        match self {
            Self::District(d) | Self::Sector { district: d, .. } => d,
        }
    }

    /// The normalised entry, such as `NR2` or `NR3 1`.
    pub fn code(&self) -> &str {
        match self {
            Self::District(d) => d,
            Self::Sector { sector, .. } => sector,
        }
    }
}

impl fmt::Display for Coverage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A checked entry plus anything worth telling the volunteer who wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverageEntry {
    /// The normalised entry.
    pub coverage: Coverage,
    /// Warnings: the entry is used, but probably not what was meant.
    pub warnings: Vec<CoverageWarning>,
}

/// Something odd about an accepted entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CoverageWarning {
    /// The district or sector has no residential postcodes (such as W1A or NR99).
    LargeUserOnly {
        /// The entry.
        code: String,
    },
    /// A sector in Northern Ireland, the Channel Islands or the Isle of Man, where
    /// no open sector data exists: it is kept but mapped as its whole district.
    UncheckedSector {
        /// The entry.
        code: String,
    },
}

impl fmt::Display for CoverageWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::LargeUserOnly { code } => write!(
                f,
                "{code} is used only by large organisations (no homes have this postcode); \
                 did you mean a residential district nearby?"
            ),
            Self::UncheckedSector { code } => write!(
                f,
                "{code} can't be checked (there is no open sector data here); \
                 it is shown on maps as its whole district"
            ),
        }
    }
}

/// Why an entry can't be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CoverageProblem {
    /// Not a postcode district or sector at all, or a known unknown.
    Postcode(PostcodeError),
    /// A whole area (`NR`) or a full postcode (`NR2 3AB`): neither is an entry.
    WrongLevel {
        /// The entry as written.
        input: String,
        /// What to write instead.
        hint: String,
    },
}

impl fmt::Display for CoverageProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Postcode(e) => e.fmt(f),
            Self::WrongLevel { input, hint } => write!(f, "\"{input}\" can't be used here: {hint}"),
        }
    }
}

impl std::error::Error for CoverageProblem {}

impl From<PostcodeError> for CoverageProblem {
    fn from(e: PostcodeError) -> Self {
        Self::Postcode(e)
    }
}

impl Geography {
    /// Checks one entry of a group's coverage list: a district (`NR2`) or sector
    /// (`NR3 1`), in any case and spacing. An unspaced `NR31` is a district when
    /// NR31 exists, else the sector `NR3 1` when that exists.
    pub fn check_coverage_entry(&self, input: &str) -> Result<CoverageEntry, CoverageProblem> {
        let query = PostcodeQuery::parse(input)?;
        let wrong = |hint: String| CoverageProblem::WrongLevel {
            input: input.trim().to_string(),
            hint,
        };
        match &query {
            PostcodeQuery::Area(a) => {
                let n = self
                    .districts_in_area(a)
                    .filter(|d| !d.large_user_only)
                    .count();
                return Err(wrong(format!(
                    "list the districts the group covers, such as {a}1, {a}2 (area {a} has {n} districts)"
                )));
            }
            PostcodeQuery::Unit { .. } => {
                let sector = query.sector().unwrap_or_default();
                return Err(wrong(format!(
                    "give a district or sector, such as {} or {sector}, not a full postcode",
                    query.district().unwrap_or_default()
                )));
            }
            PostcodeQuery::District(_) | PostcodeQuery::Sector { .. } => {}
        }
        let looked_up = self.lookup(input)?;
        let district = looked_up
            .district
            .expect("districts and sectors resolve to a district");
        let mut warnings = Vec::new();
        let coverage = match (&looked_up.query, looked_up.sector) {
            (PostcodeQuery::Sector { .. }, Some(sector)) => {
                if sector.large_user_only {
                    warnings.push(CoverageWarning::LargeUserOnly {
                        code: sector.code.clone(),
                    });
                }
                Coverage::Sector {
                    district: district.code.clone(),
                    sector: sector.code.clone(),
                }
            }
            (PostcodeQuery::Sector { .. }, None) => {
                debug_assert_eq!(district.source, CentroidSource::Geonames);
                let code = looked_up.query.sector().unwrap_or_default();
                warnings.push(CoverageWarning::UncheckedSector { code: code.clone() });
                Coverage::Sector {
                    district: district.code.clone(),
                    sector: code,
                }
            }
            _ => Coverage::District(district.code.clone()),
        };
        if district.large_user_only {
            warnings.push(CoverageWarning::LargeUserOnly {
                code: district.code.clone(),
            });
        }
        Ok(CoverageEntry { coverage, warnings })
    }
}
