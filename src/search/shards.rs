//! Writing the [`SearchIndex`] as the JSON shards `search.js` loads, so a lookup
//! downloads only what it needs (the format is described in `search/mod.rs`).

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::content::Status;
use crate::geo::cells;
use crate::output::Sink;
use crate::search::index::{DistrictEntry, GroupRecord, Place, SearchIndex};
use crate::search::query::part_places;
use crate::search::text;

/// Groups per `search/groups/<n>.json` chunk (used by word results only).
pub const GROUP_CHUNK: usize = 100;

/// Format version, written to `search/index.json`; bump on any change of shape.
pub const FORMAT_VERSION: u32 = 4;

/// Grid cells for "use my location" ([`crate::geo::cells`]): a tenth of a degree of
/// latitude (about 7 miles) by 0.15 of longitude (6 to 7 miles); a cell is
/// `grid/<floor(lat*10)>_<floor(lon*20/3)>`.
pub const GRID_LAT_PER_DEGREE: f64 = cells::LAT_PER_DEGREE;
/// Cells per degree of longitude (`lon * 20 / 3`).
pub const GRID_LON_NUM: f64 = cells::LON_NUM;
/// See [`GRID_LON_NUM`].
pub const GRID_LON_DEN: f64 = cells::LON_DEN;
/// A cell with no centroid of its own (hills, coast, sea lochs) is written with the
/// others of its block of `GRID_BLOCK` by `GRID_BLOCK` cells, in
/// `grid/b<floor(i/GRID_BLOCK)>_<floor(j/GRID_BLOCK)>.json`, so they add few files.
pub const GRID_BLOCK: i64 = 6;

/// The grid cell of a position.
pub fn grid_cell(lat: f64, lon: f64) -> (i64, i64) {
    cells::cell_of(lat, lon)
}

/// Adds every shard of the index to the output, under `search/`.
pub fn write(index: &SearchIndex, sink: &dyn Sink) -> anyhow::Result<()> {
    for (path, value) in shards(index) {
        sink.put(path, value.to_string().into_bytes())?;
    }
    Ok(())
}

/// Every shard as (path, JSON).
pub fn shards(index: &SearchIndex) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    out.push((
        "search/index.json".to_string(),
        json!({
            "v": FORMAT_VERSION,
            "chunk": GROUP_CHUNK,
            "r": index.within,
            "areas": index.areas.iter().map(|a| json!([a.code, a.name, round(a.lat, 4), round(a.lon, 4)])).collect::<Vec<_>>(),
        }),
    ));

    // One shard per postcode area, with the records of every group its answers name.
    let mut by_area: BTreeMap<&str, Vec<&DistrictEntry>> = BTreeMap::new();
    for d in index.districts.values() {
        by_area
            .entry(crate::content::areas::area_of(&d.code))
            .or_default()
            .push(d);
    }
    for area in &index.areas {
        let districts = by_area.remove(area.code.as_str()).unwrap_or_default();
        out.push((
            format!("search/areas/{}.json", area.code),
            area_shard(index, &area.code, &area.name, &districts),
        ));
    }

    // Places by shard key, in answer order: [folded name, name, district, 1 if a group is there].
    let mut places: BTreeMap<String, Vec<&Place>> = BTreeMap::new();
    for p in &index.places {
        if let Some(key) = text::shard_key(&p.key) {
            places.entry(key).or_default().push(p);
        }
    }
    for (key, mut list) in places {
        list.sort_by(|a, b| a.rank().cmp(&b.rank()));
        let list: Vec<Value> = list
            .iter()
            .map(|p| json!([p.key, p.name, p.district, u8::from(p.covered)]))
            .collect();
        let choices: Map<String, Value> = index
            .choices
            .iter()
            .filter(|(name, _)| text::shard_key(name).as_deref() == Some(key.as_str()))
            .map(|(name, cs)| {
                let cs: Vec<Value> = cs
                    .iter()
                    .map(|c| json!([c.name, c.district, c.around, c.groups]))
                    .collect();
                (name.clone(), Value::Array(cs))
            })
            .collect();
        out.push((
            format!("search/places/{key}.json"),
            json!({ "p": list, "c": choices }),
        ));
    }

    // "Use my location": each cell's located entries and district pieces (geo::cells);
    // a cell with no centroid of its own goes into its block's file.
    let all = cells::located();
    let mut blocks: BTreeMap<(i64, i64), Map<String, Value>> = BTreeMap::new();
    for (&(i, j), cell) in cells::cells() {
        // A split cell is a marker, `{q: 1}`, and its quarters `<i>_<j>_<q>`.
        let mut files = vec![(format!("{i}_{j}"), cell_json(cell, (i, j)))];
        for (q, quarter) in cell.quarters.iter().enumerate() {
            files.push((format!("{i}_{j}_{q}"), cell_json(quarter, (i, j))));
        }
        let own = cell
            .located
            .iter()
            .any(|&n| grid_cell(all[n].lat, all[n].lon) == (i, j));
        for (name, value) in files {
            if own {
                out.push((format!("search/grid/{name}.json"), value));
            } else {
                blocks
                    .entry((i.div_euclid(GRID_BLOCK), j.div_euclid(GRID_BLOCK)))
                    .or_default()
                    .insert(name, value);
            }
        }
    }
    for ((bi, bj), map) in blocks {
        out.push((format!("search/grid/b{bi}_{bj}.json"), Value::Object(map)));
    }

    // Words by shard key: word -> [[group id, weight]].
    let mut words: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    for (w, postings) in &index.words {
        if let Some(key) = text::shard_key(w) {
            words
                .entry(key)
                .or_default()
                .insert(w.clone(), json!(postings));
        }
    }
    for (key, map) in words {
        out.push((format!("search/words/{key}.json"), Value::Object(map)));
    }

    for (n, chunk) in index.groups.chunks(GROUP_CHUNK).enumerate() {
        out.push((
            format!("search/groups/{n}.json"),
            Value::Array(chunk.iter().map(group_json).collect()),
        ));
    }
    out
}

fn area_shard(index: &SearchIndex, code: &str, name: &str, districts: &[&DistrictEntry]) -> Value {
    // Global group id -> position in this shard's `g`.
    let mut local: BTreeMap<u32, usize> = BTreeMap::new();
    let mut groups: Vec<Value> = Vec::new();
    let mut local_id = |id: u32, groups: &mut Vec<Value>| -> usize {
        *local.entry(id).or_insert_with(|| {
            groups.push(group_json(&index.groups[id as usize]));
            groups.len() - 1
        })
    };
    let mut ds = Map::new();
    for d in districts {
        let mut o = Map::new();
        o.insert("n".into(), json!(d.name));
        o.insert("ll".into(), json!([round(d.lat, 4), round(d.lon, 4)]));
        if !d.sectors.is_empty() {
            let digits: String = d.sectors.iter().map(|s| s.to_string()).collect();
            o.insert("s".into(), json!(digits));
        }
        if d.large_user_only {
            o.insert("x".into(), json!(1));
        }
        if !d.whole.is_empty() {
            let w: Vec<usize> = d.whole.iter().map(|&g| local_id(g, &mut groups)).collect();
            o.insert("w".into(), json!(w));
        }
        if !d.by_sector.is_empty() {
            let p: Map<String, Value> = d
                .by_sector
                .iter()
                .map(|(s, gs)| {
                    let ids: Vec<usize> = gs.iter().map(|&g| local_id(g, &mut groups)).collect();
                    (s.to_string(), json!(ids))
                })
                .collect();
            o.insert("p".into(), Value::Object(p));
            // The places in each covered part, as answers name them (query.rs part_label).
            let pn: Map<String, Value> = d
                .by_sector
                .keys()
                .map(|s| (s.to_string(), part_places(&format!("{} {s}", d.code))))
                .filter(|(_, places)| !places.is_empty())
                .map(|(s, places)| (s, json!(places)))
                .collect();
            if !pn.is_empty() {
                o.insert("pn".into(), Value::Object(pn));
            }
        }
        // A district's nearest are shown only when no group covers any of it; a sector's
        // only when no group covers it or its whole district.
        if d.whole.is_empty() {
            let sn: Map<String, Value> = d
                .sector_near
                .iter()
                .filter(|(s, list)| !list.is_empty() && !d.by_sector.contains_key(s))
                .map(|(s, list)| {
                    let near: Vec<Value> = list
                        .iter()
                        .map(|&(g, miles)| json!([local_id(g, &mut groups), miles]))
                        .collect();
                    (s.to_string(), Value::Array(near))
                })
                .collect();
            if !sn.is_empty() {
                o.insert("sn".into(), Value::Object(sn));
            }
        }
        if !d.covered() && !d.nearest.is_empty() {
            let near: Vec<Value> = d
                .nearest
                .iter()
                .map(|&(g, miles)| json!([local_id(g, &mut groups), miles]))
                .collect();
            o.insert("near".into(), json!(near));
        }
        ds.insert(d.code.clone(), Value::Object(o));
    }
    let other: Vec<Value> = index
        .other_help
        .iter()
        .filter(|o| o.applies_in(code))
        .map(|o| json!([o.name, o.phone, o.what]))
        .collect();
    json!({ "area": code, "name": name, "r": index.within, "f": other, "g": groups, "d": ds })
}

/// A cell as `{s: [[code, lat, lon]], p: [[district, ring, ..]]}`: `lat` and `lon` in
/// hundred-thousandths of a degree from the cell's south-west corner; a ring is its corners
/// in ten-thousandths of a degree, flat, the first from the cell's south-west corner and
/// each next from the one before (`[x0, y0, dx1, dy1, ..]`); a piece with no ring fills
/// the cell.
fn cell_json(cell: &cells::Cell, ij: (i64, i64)) -> Value {
    if !cell.quarters.is_empty() {
        return json!({ "q": 1 });
    }
    let all = cells::located();
    let (x0, y0) = cells::cell_origin(ij);
    // Centroids have five decimals: as hundred-thousandths from the cell's corner, which
    // the browser turns back into the same numbers (`(corner + n) / 1e5`).
    let s: Vec<Value> = cell
        .located
        .iter()
        .map(|&n| {
            let l = &all[n];
            let lat = (l.lat * 1e5).round() as i64 - y0 * 10;
            let lon = (l.lon * 1e5).round() as i64 - x0 * 10;
            json!([l.code, lat, lon])
        })
        .collect();
    let p: Vec<Value> = cell
        .pieces
        .iter()
        .map(|piece| {
            let mut v = vec![json!(piece.district)];
            for ring in &piece.rings {
                let mut flat = Vec::with_capacity(ring.len() * 2);
                let mut last = (x0, y0);
                for &(x, y) in ring {
                    flat.push(x - last.0);
                    flat.push(y - last.1);
                    last = (x, y);
                }
                v.push(json!(flat));
            }
            Value::Array(v)
        })
        .collect();
    json!({ "s": s, "p": p })
}

/// A group as `[slug, name, phone, tel, email, website, status, hours, help, languages,
/// checked, stale]`, status 0 active, 1 paused, 2 closed; missing contacts are null;
/// `help` is the kinds' keys joined by spaces and `languages` one line of text ("" for
/// none), `checked` an ISO date, `stale` 0 or 1.
fn group_json(g: &GroupRecord) -> Value {
    let status = match g.status {
        Status::Active => 0,
        Status::Paused => 1,
        Status::Closed => 2,
    };
    json!([
        g.slug,
        g.name,
        g.phone,
        g.tel,
        g.email,
        g.website,
        status,
        g.hours,
        g.help,
        g.languages,
        g.checked,
        u8::from(g.stale)
    ])
}

fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::index::AreaEntry;

    fn index() -> SearchIndex {
        let g = |slug: &str, status| GroupRecord {
            slug: slug.into(),
            name: slug.to_uppercase(),
            phone: Some("01632 960000".into()),
            tel: Some("+441632960000".into()),
            email: None,
            website: None,
            status,
            ..Default::default()
        };
        let d = |code: &str| DistrictEntry {
            code: code.into(),
            name: "Norwich".into(),
            lat: 52.123456,
            lon: 1.2,
            sectors: vec![1, 3],
            large_user_only: false,
            whole: Vec::new(),
            by_sector: BTreeMap::new(),
            nearest: Vec::new(),
            sector_near: BTreeMap::new(),
        };
        let mut nr2 = d("NR2");
        nr2.whole = vec![1];
        nr2.by_sector.insert(3, vec![2]);
        let mut nr3 = d("NR3");
        nr3.nearest = vec![(2, 1.5)];
        let mut idx = SearchIndex {
            groups: vec![
                g("a", Status::Active),
                g("b", Status::Paused),
                g("c", Status::Active),
            ],
            areas: vec![AreaEntry {
                code: "NR".into(),
                name: "Norwich".into(),
                lat: 52.0,
                lon: 1.0,
            }],
            places: vec![Place {
                key: "eaton".into(),
                name: "Eaton".into(),
                district: "NR2".into(),
                covered: true,
                lat: 52.6,
                lon: 1.28,
            }],
            within: 20.0,
            ..SearchIndex::default()
        };
        idx.districts.insert("NR2".into(), nr2);
        idx.districts.insert("NR3".into(), nr3);
        idx.words.insert("shopping".into(), vec![(0, 2), (2, 1)]);
        idx
    }

    fn shard(path: &str) -> Value {
        shards(&index())
            .into_iter()
            .find(|(p, _)| p == path)
            .map(|(_, v)| v)
            .unwrap_or_else(|| panic!("no {path}"))
    }

    #[test]
    fn an_area_shard_holds_its_districts_and_only_the_groups_they_name() {
        let v = shard("search/areas/NR.json");
        assert_eq!(
            v,
            json!({
                "area": "NR", "name": "Norwich", "r": 20.0, "f": [],
                "g": [
                    ["b", "B", "01632 960000", "+441632960000", null, null, 1, null, "", "", "", 0],
                    ["c", "C", "01632 960000", "+441632960000", null, null, 0, null, "", "", "", 0],
                ],
                "d": {
                    "NR2": {"n": "Norwich", "ll": [52.1235, 1.2], "s": "13", "w": [0], "p": {"3": [1]}},
                    "NR3": {"n": "Norwich", "ll": [52.1235, 1.2], "s": "13", "near": [[1, 1.5]]},
                }
            })
        );
    }

    #[test]
    fn places_words_and_groups_are_sharded() {
        assert_eq!(
            shard("search/places/ea.json"),
            json!({"p": [["eaton", "Eaton", "NR2", 1]], "c": {}})
        );
        assert_eq!(
            shard("search/words/sh.json"),
            json!({"shopping": [[0, 2], [2, 1]]})
        );
        assert_eq!(
            shard("search/groups/0.json").as_array().map(Vec::len),
            Some(3)
        );
        assert_eq!(
            shard("search/index.json")["areas"],
            json!([["NR", "Norwich", 52.0, 1.0]])
        );
    }

    fn search_js() -> &'static [u8] {
        crate::render::theme::DEFAULT_THEME
            .iter()
            .find(|(p, _)| *p == "static/search.js")
            .map(|(_, b)| *b)
            .expect("search.js is embedded")
    }

    #[test]
    fn search_js_agrees_on_the_chunk_size() {
        let js = crate::render::theme::DEFAULT_THEME
            .iter()
            .find(|(p, _)| *p == "static/search-words.js")
            .map(|(_, b)| String::from_utf8_lossy(b))
            .expect("search-words.js is embedded");
        assert!(js.contains(&format!("const CHUNK = {GROUP_CHUNK};")));
        let js = crate::render::theme::DEFAULT_THEME
            .iter()
            .find(|(p, _)| *p == "static/search-more.js")
            .map(|(_, b)| String::from_utf8_lossy(b))
            .expect("search-more.js is embedded");
        // And on the grid cells of "use my location" and the rule's distance.
        assert!(js.contains(&format!(
            "const LAT = {GRID_LAT_PER_DEGREE}, NUM = {GRID_LON_NUM}, DEN = {GRID_LON_DEN}, BLOCK = {GRID_BLOCK}, NEAR = {};",
            cells::NEAR_CENTROID_MILES
        )));
    }

    /// Issue #5: the search script stays under 10 KB as shipped (raw bytes), so a postcode
    /// lookup (script and one area shard) stays within its 15 KB gzip budget.
    #[test]
    fn search_js_is_under_10_kb() {
        let size = search_js().len();
        // 10 KB read the strict way: 10,000 bytes, not 10,240.
        assert!(size < 10_000, "search.js is {size} bytes, over 10 KB");
    }

    #[test]
    fn place_shards_are_in_answer_order() {
        let mut idx = index();
        let place = |key: &str, district: &str, covered| Place {
            key: key.into(),
            name: key.into(),
            district: district.into(),
            covered,
            lat: 52.6,
            lon: 1.28,
        };
        idx.places = vec![
            place("eastfield", "NR3", true),
            place("easton", "NR2", false),
            place("eaton", "NR2", true),
            place("eaton", "NR4", false),
            place("eaton socon", "PE19", true),
        ];
        let written = shards(&idx)
            .into_iter()
            .find(|(p, _)| p == "search/places/ea.json")
            .map(|(_, v)| v)
            .expect("the ea shard");
        // What the browser does: the first places (at most eight) starting with the query.
        for q in ["ea", "eat", "eaton", "easton"] {
            // What the browser does: the places starting with the query, those named
            // exactly so first, then in the shard's order; at most eight.
            let rows = written.get("p").and_then(Value::as_array).unwrap();
            let starts: Vec<&Value> = rows
                .iter()
                .filter(|p| p[0].as_str().unwrap().starts_with(q))
                .collect();
            let browser: Vec<String> = starts
                .iter()
                .filter(|p| p[0] == q)
                .chain(starts.iter().filter(|p| p[0] != q))
                .take(crate::search::query::MAX_PLACES)
                .map(|p| format!("{} {}", p[1].as_str().unwrap(), p[2].as_str().unwrap()))
                .collect();
            let find: Vec<String> = idx
                .places_matching(q)
                .into_iter()
                .map(|p| format!("{} {}", p.name, p.district))
                .collect();
            assert_eq!(browser, find, "{q}");
        }
    }
}
