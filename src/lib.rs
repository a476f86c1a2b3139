//! aidmap builds a static, offline-searchable website from a folder of UK mutual aid
//! group records and stories.
//!
//! The pipeline is in [`site`]; each step has its own module. See ARCHITECTURE.md for
//! the code map and the invariants.

pub mod cache;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod export;
pub mod geo;
pub mod i18n;
pub mod import;
pub mod intake;
pub mod leaflet;
pub mod links;
pub mod output;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod schema;
pub mod search;
pub mod serve;
pub mod site;
pub mod stale;
pub mod tree;

pub use diagnostics::{Diagnostic, Diagnostics};
pub use site::{build_site, BuildOptions, BuildOutcome, Site};
