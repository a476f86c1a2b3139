//! Resolving what a resident typed against the embedded data: does the
//! district exist, which similar codes to suggest, and whether an unspaced
//! `NR23` means the district NR23 or the sector `NR2 3`.

use super::data::{normalise, Area, CentroidSource, District, Geography, Sector};
use super::postcode::{area_of, PostcodeError, PostcodeQuery};

/// What a resident's search resolved to (see [`Geography::lookup`]).
#[derive(Debug, Clone)]
pub struct Lookup<'a> {
    /// The normalised query (`NR23` may have become the sector `NR2 3`).
    pub query: PostcodeQuery,
    /// The area, such as `NR`.
    pub area: &'a Area,
    /// The district, unless only an area was given.
    pub district: Option<&'a District>,
    /// The sector, when given and known (full postcodes resolve to their sector).
    pub sector: Option<&'a Sector>,
}

impl Geography {
    /// Resolves what a resident typed against the data: checks the district
    /// exists (suggesting similar ones if not), and reads an unspaced `NR23` as the
    /// sector `NR2 3` when there is no district NR23 but that sector exists.
    pub fn lookup(&self, input: &str) -> Result<Lookup<'_>, PostcodeError> {
        let mut query = PostcodeQuery::parse(input)?;
        if let PostcodeQuery::District(d) = &query {
            if self.district(d).is_none() && d.len() >= 3 {
                let (head, digit) = d.split_at(d.len() - 1);
                if let (Some(_), Ok(sector)) =
                    (self.sector(&format!("{head} {digit}")), digit.parse())
                {
                    query = PostcodeQuery::Sector {
                        district: head.to_string(),
                        sector,
                    };
                }
            }
        }
        if query.district() == Some("GIR") {
            return Err(PostcodeError::NonGeographic {
                input: input.trim().to_string(),
                what: "Girobank's old head office, now Santander",
            });
        }
        let area = self
            .area(query.area())
            .ok_or_else(|| PostcodeError::UnknownDistrict {
                district: query.area().to_string(),
                suggestions: self.suggest_areas(query.area()),
            })?;
        let Some(code) = query.district() else {
            return Ok(Lookup {
                query,
                area,
                district: None,
                sector: None,
            });
        };
        let district = self
            .district(code)
            .ok_or_else(|| PostcodeError::UnknownDistrict {
                district: code.to_string(),
                suggestions: self.suggest_districts(code),
            })?;
        let sector = match query.sector() {
            None => None,
            Some(s) => match self.sector(&s) {
                Some(sector) => Some(sector),
                // No open sector data for NI, CI and IoM: the district is the best we have.
                None if district.source == CentroidSource::Geonames => None,
                None => {
                    return Err(PostcodeError::UnknownSector {
                        sector: s,
                        known: self.sectors_of(code).map(|s| s.code.clone()).collect(),
                    })
                }
            },
        };
        Ok(Lookup {
            query,
            area,
            district: Some(district),
            sector,
        })
    }

    /// Existing district codes that look like `code`: its subdivisions if it has
    /// any (W1 -> W1A, W1B…, up to six), else up to three at edit distance 2 at
    /// most, closest first, preferring the same area.
    pub fn suggest_districts(&self, code: &str) -> Vec<String> {
        let code = normalise(code);
        let area = area_of(&code);
        let mut scored: Vec<(usize, bool, &str)> = self
            .districts()
            .iter()
            .filter(|d| !d.large_user_only)
            .map(|d| {
                (
                    strsim::levenshtein(&code, &d.code),
                    d.area != area,
                    d.code.as_str(),
                )
            })
            .filter(|&(dist, _, _)| dist <= 2)
            .collect();
        // "W1" is not a district but W1A…W1W are: those come first.
        let mut subdivided: Vec<String> = self
            .districts()
            .iter()
            .filter(|d| !d.large_user_only && d.code.len() == code.len() + 1)
            .filter(|d| {
                d.code.starts_with(&code) && d.code.ends_with(|c: char| c.is_ascii_alphabetic())
            })
            .map(|d| d.code.clone())
            .collect();
        if !subdivided.is_empty() {
            subdivided.truncate(6);
            return subdivided;
        }
        scored.sort();
        scored
            .into_iter()
            .take(3)
            .map(|(_, _, c)| c.to_string())
            .collect()
    }

    fn suggest_areas(&self, code: &str) -> Vec<String> {
        let mut scored: Vec<(usize, &str)> = self
            .areas()
            .iter()
            .map(|a| (strsim::levenshtein(code, &a.code), a.code.as_str()))
            .filter(|&(d, _)| d <= 1)
            .collect();
        scored.sort();
        scored
            .into_iter()
            .take(3)
            .map(|(_, c)| c.to_string())
            .collect()
    }
}
