//! The search index the site ships, and the same search in the terminal (`aidmap find`).
//!
//! [`index`] builds the index in memory from the content and the embedded geography;
//! [`query`] answers queries from it; [`shards`] writes it as small JSON files that
//! `themes/default/static/search.js` loads piece by piece; [`text`] folds text so
//! queries and names meet.
//!
//! The written format (version in `search/index.json`, now 5), all under `search/`:
//!
//! | file | holds | loaded for |
//! |---|---|---|
//! | `index.json` | `{v, chunk, r, areas: [[code, name, lat, lon]]}` | an unknown area |
//! | `areas/<AREA>.json` | `{area, name, r, f, g: [group], d: {district: {n, ll, s, x, w, p, pn, near, sn}}}` | a postcode |
//! | `places/<xx>.json` | `{p: [[folded name, name, district, covered 0/1]], c: {folded name: [[name, district, around, groups]]}}` | a place name |
//! | `areas/<AREA>/<b>.json` | `{g: [group], d: {district: {…}}}`: part `b` of an area too big for one shard, whose `areas/<AREA>.json` then has `g: []` and only `{n, ll, s, x, b}` a district | a postcode there |
//! | `words/<xx>.json` | `{word: [[weight, group id, gap, ..]]}`, or, when too big, `{"~": [<xx><letter>], word as long as the key: …}` with the longer words in `words/<xx><letter>.json` (split again while too big) | words |
//! | `groups/<n>.json` | `[group]` for ids `n*chunk ..` | word results |
//! | `status.json` | a string, each group's status as a digit by id | word results where more than ten tie for the tenth place |
//! | `grid/<i>_<j>.json` | `{s: [[sector or district, lat, lon]], p: [[district, ring, ..]]}` for cell `floor(lat*10)`, `floor(lon*20/3)`, or `{q: 1}` | "use my location" |
//! | `grid/<i>_<j>_<q>.json` | the same for quarter `q` (0 south-west, 1 south-east, 2 north-west, 3 north-east) of a cell marked `{q: 1}` | "use my location" |
//! | `grid/b<I>_<J>.json` | `{"<i>_<j>": cell, "<i>_<j>_<q>": quarter}` for the cells with no centroid of their own in block `floor(i/6)`, `floor(j/6)` | "use my location" |
//!
//! A *group* is `[slug, name, phone, tel, email, website, status, hours, help, languages,
//! checked, stale]` (status 0 active, 1 paused, 2 closed; `help` the keys of the first
//! kinds of help joined by spaces, shown as the page's language labels them (format 4),
//! `languages` their own names as one line, "" when English alone, `checked` an ISO date
//! the browser writes as the page's language does, `stale` 1 when not checked recently):
//! the same card as the district pages'. In an area shard, `w` (whole district), `p` (`{sector digit:
//! [..]}`), `near` (`[[group, miles]]`, the nearest five open groups within `r` miles of
//! the district's centroid, only where no group covers any of the district) and `sn`
//! (`{sector digit: [[group, miles]]}`, the same from each sector's centroid, for sectors
//! no group covers in a district no group covers whole) index that shard's own `g`, so one
//! postcode lookup is one request. `pn` (`{sector digit: "Wilstead, Cotton End"}`) names
//! the places in each covered sector where known ([`query::part_label`]). `r` is the
//! site's `nearest_within_miles`; `f` its
//! `other_help` routes for that area (`[[name, phone, what]]`). `s` is the district's
//! sector digits, `x: 1` marks a district for large organisations' mail only. `<xx>` is a
//! shard key: the first two letters or digits of the folded text. A place shard's `p` is
//! in the order answers list places ([`index::Place::rank`]), so the browser takes the
//! names equal to the query, then the others that start with it; `c` holds the names that
//! name places far apart ("Which St Ives?", [`index::Choice`]).
//!
//! A grid cell ([`crate::geo::cells`]) holds the residential sector centroids in it and
//! every one of each district whose polygon meets it, `lat` and `lon` in hundred-thousandths
//! of a degree from the cell's south-west corner; and those district polygons clipped to
//! the cell (`p`, in district order), each ring flat in ten-thousandths of a degree, the
//! first corner from the cell's south-west corner and each next from the one before; a
//! piece with no ring fills the cell. A cell with more than
//! [`crate::geo::cells::SPLIT_POINTS`] corners (or heavier than
//! [`crate::geo::cells::SPLIT_WEIGHT`]) is split into quarters. "Use my location"
//! reads the position's cell (or quarter) and answers by [`crate::geo::cells::locate`]: a
//! centroid within 100 m, else the district piece holding the position and that district's
//! nearest centroid, else (sea, off every polygon) the cell's nearest centroid; only where
//! the cell lists none (open sea) the nearest centroid found ring by ring.
//!
//! `search.js` answers postcodes; `search-words.js`, loaded when first needed, place
//! names and words; `search-more.js`, loaded when first needed, "use my location" and
//! unknown postcodes. A location lookup so never loads the words.

pub mod index;
pub mod query;
pub mod shards;
pub mod text;

pub use index::SearchIndex;
pub use query::{Answer, AnswerKind, Hit, PlaceHit};
