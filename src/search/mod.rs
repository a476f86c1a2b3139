//! The search index the site ships, and the same search in the terminal (`aidmap find`).
//!
//! [`index`] builds the index in memory from the content and the embedded geography;
//! [`query`] answers queries from it; [`shards`] writes it as small JSON files that
//! `themes/default/static/search.js` loads piece by piece; [`text`] folds text so
//! queries and names meet.
//!
//! The written format (version in `search/index.json`), all under `search/`:
//!
//! | file | holds | loaded for |
//! |---|---|---|
//! | `index.json` | `{v, chunk, areas: [[code, name, lat, lon]]}` | "use my location" |
//! | `areas/<AREA>.json` | `{area, name, g: [group], d: {district: {n, ll, s, x, w, p, near}}}` | a postcode |
//! | `places/<xx>.json` | `[[folded name, name, district, covered 0/1]]`, in answer order | a place name |
//! | `words/<xx>.json` | `{word: [[group id, weight]]}` | words |
//! | `groups/<n>.json` | `[group]` for ids `n*chunk ..` | word results |
//!
//! A *group* is `[slug, name, phone, tel, email, website, status]` (status 0 active,
//! 1 paused, 2 closed). In an area shard, `w` (whole district), `p` (`{sector digit:
//! [..]}`) and `near` (`[[group, miles]]`, nearest five open groups) index that shard's
//! own `g`, so one postcode lookup is one request. `s` is the district's sector digits,
//! `x: 1` marks a district for large organisations' mail only. `<xx>` is a shard key: the
//! first two letters or digits of the folded text. A place shard is in the order answers
//! list places ([`index::Place::rank`]), so the browser takes the first names that start
//! with the query.

pub mod index;
pub mod query;
pub mod shards;
pub mod text;

pub use index::SearchIndex;
pub use query::{Answer, AnswerKind, Hit, PlaceHit};
