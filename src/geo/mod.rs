//! UK postcode geography: parsing postcodes ([`postcode`]), the embedded
//! districts, sectors and polygons ([`data`]), checking a group's coverage list
//! ([`coverage`]), resolving searches ([`lookup`]), distances ([`distance`])
//! and SVG maps ([`map`]).

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
