//! UK postcode geography: parsing postcodes ([`postcode`]), the embedded
//! districts, sectors and polygons ([`data`]), checking a group's coverage list
//! ([`coverage`]), resolving searches ([`lookup`]), distances ([`distance`])
//! and SVG maps ([`map`]).

pub mod cells;
pub mod coverage;
pub mod data;
pub mod distance;
pub mod lookup;
pub mod map;
pub mod postcode;

pub use coverage::{Coverage, CoverageEntry, CoverageProblem, CoverageWarning};
pub use data::{geography, Area, CentroidSource, District, Geography, Locality, Sector};
pub use distance::{distance_km, distance_miles, nearest, Nearest, NearestIndex};
pub use lookup::Lookup;
pub use postcode::{PostcodeError, PostcodeQuery};

/// Welsh names of Welsh towns: `welsh,english,districts` (see data/geo/SOURCES.md).
pub const WELSH_NAMES: &str = include_str!("../../data/geo/welsh-names.csv");

/// The Welsh name of a Welsh town or place given its English name ("Cardiff" ->
/// "Caerdydd"), from the Welsh Language Commissioner's standardised list; `None` where
/// the list has none (the English name is then the name in Welsh too).
pub fn welsh_name(english: &str) -> Option<&'static str> {
    static NAMES: std::sync::LazyLock<std::collections::HashMap<&'static str, &'static str>> =
        std::sync::LazyLock::new(|| {
            WELSH_NAMES
                .lines()
                .skip(1)
                .filter_map(|line| {
                    let mut cols = line.split(',');
                    let welsh = cols.next()?.trim();
                    let english = cols.next()?.trim();
                    (!welsh.is_empty() && !english.is_empty()).then_some((english, welsh))
                })
                .collect()
        });
    NAMES.get(english).copied()
}
