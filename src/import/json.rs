//! JSON sources: a list of records with keys in the usual spellings (see
//! [`super::row::field`]), the Mutual Aid Wiki export (`name`, `location_name`,
//! `location_coord {lat, lng}`, `links [{url}]`, `emails`, `contact`), and aidmap's own
//! `data/groups.json` (`{…, "groups": [...]}`). Open Referral UK is in `openreferral.rs`.

use anyhow::{bail, Result};
use serde_json::Value;

use super::row::{field, Field, Row};

/// The rows of a JSON document; `ours` is true for aidmap's `groups.json`, whose `url`
/// (the page on the old site) and `phone_tel` are left out.
pub fn rows(doc: &Value, ours: bool) -> Result<Vec<Row>> {
    let Some(list) = doc.as_array() else {
        bail!("expected a list of records (a JSON array of objects)");
    };
    let mut out = Vec::new();
    for (i, item) in list.iter().enumerate() {
        let mut row = Row {
            at: format!("record {}", i + 1),
            ..Row::default()
        };
        if let Some(obj) = item.as_object() {
            for (key, value) in obj {
                if ours && matches!(key.as_str(), "url" | "phone_tel") {
                    continue;
                }
                if key == "location_coord" || key == "coordinates" || key == "position" {
                    let num = |k: &[&str]| k.iter().find_map(|k| value.get(k).and_then(number));
                    row.lat = row.lat.or(num(&["lat", "latitude"]));
                    row.lon = row.lon.or(num(&["lng", "lon", "longitude"]));
                    continue;
                }
                if let Some(f) = field(key) {
                    put(&mut row, f, value);
                }
            }
        }
        out.push(row);
    }
    Ok(out)
}

/// A number written as a number or as text.
fn number(v: &Value) -> Option<f64> {
    v.as_f64()
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
}

/// Puts a JSON value into a field: text, a number, a list of either, or a list of
/// objects with a `url` (the Wiki's links).
fn put(row: &mut Row, f: Field, value: &Value) {
    match value {
        Value::String(s) => row.set(f, s),
        Value::Number(n) => row.set(f, &n.to_string()),
        Value::Array(items) => {
            for item in items {
                match item {
                    Value::Object(o) => {
                        if let Some(url) = o.get("url").and_then(Value::as_str) {
                            row.set(Field::Link, url);
                        }
                    }
                    other => put(row, f, other),
                }
            }
        }
        _ => {}
    }
}
