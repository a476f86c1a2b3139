//! Turning checked content into pages: the theme, the views templates see, and the list
//! of pages a build writes.

pub mod group_page;
pub mod maps;
pub mod pages;
pub mod postcodes;
pub mod redirects;
pub mod theme;
pub mod views;

pub use pages::{render_into, PageJob};
pub use theme::Theme;
