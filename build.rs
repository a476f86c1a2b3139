//! Build script: turns the open postcode geography in `data/geo/` into compact
//! files in `OUT_DIR` that `src/geo/data.rs` embeds with `include_bytes!`.
//!
//! Why: parsing 5 MB of GeoJSON every time the site builds would cost far more
//! than the build itself, so we pay it once at compile time.
//!
//! Output, all in `OUT_DIR`:
//! - `*.tsv`: the CSVs re-written tab-separated with quotes resolved, so the run-time
//!   reader is a plain `split('\t')` (three locality names contain commas).
//! - `*.keys`: the feature keys of each polygon file, one a line.
//! - `*.polys`: polygon files, see [`write_polygons`] for the layout. The source
//!   coordinates are already rounded to 4 decimal places, so quantising to
//!   1e-4 degree integers is lossless; deltas between successive points are small,
//!   which the varint encoding turns into 1–2 bytes each.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let data = Path::new("data/geo");
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    println!("cargo:rerun-if-changed=build.rs");
    record_source();

    for name in [
        "postcode-districts",
        "postcode-sectors",
        "postcode-areas",
        "district-localities",
    ] {
        let src = data.join(format!("{name}.csv"));
        println!("cargo:rerun-if-changed={}", src.display());
        let text = fs::read_to_string(&src).unwrap_or_else(|e| panic!("{}: {e}", src.display()));
        fs::write(out.join(format!("{name}.tsv")), csv_to_tsv(&text)).expect("write tsv");
    }

    // (source file, property that names a feature)
    for (name, key) in [
        ("postcode-districts-gb", "outcode"),
        ("postcode-areas-gb", "area"),
        ("postcode-districts-ni-wikipedia", "outcode"),
        ("uk-outline-10m", "role"),
        ("uk-outline-50m", "role"),
    ] {
        let src = data.join(format!("{name}.geojson"));
        println!("cargo:rerun-if-changed={}", src.display());
        let text = fs::read_to_string(&src).unwrap_or_else(|e| panic!("{}: {e}", src.display()));
        let json: serde_json::Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", src.display()));
        let (bytes, keys) = write_polygons(&json, key);
        fs::write(out.join(format!("{name}.polys")), bytes).expect("write polys");
        // The key list lets the run time know which districts have a polygon
        // without decoding any.
        fs::write(out.join(format!("{name}.keys")), keys.join("\n")).expect("write keys");
    }
}

/// Records where this aidmap was built from, for the install step `aidmap init` writes
/// (`src/scaffold/source.rs`): `AIDMAP_SOURCE` and `AIDMAP_SOURCE_REV` when a packager or
/// the release workflow sets them, else the git checkout's `origin` and `HEAD`. Either
/// may be empty: `init` then says so instead of guessing.
fn record_source() {
    println!("cargo:rerun-if-env-changed=AIDMAP_SOURCE");
    println!("cargo:rerun-if-env-changed=AIDMAP_SOURCE_REV");
    let git = |args: &[&str]| -> String {
        std::process::Command::new("git")
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_default()
    };
    // Only HEAD and the branch it names: watching every ref would rebuild aidmap
    // whenever any branch moves.
    let in_git = !git(&["rev-parse", "--git-dir"]).is_empty();
    if in_git {
        for rel in ["HEAD".to_string(), git(&["symbolic-ref", "-q", "HEAD"])] {
            if rel.is_empty() {
                continue;
            }
            let path = git(&["rev-parse", "--git-path", &rel]);
            if Path::new(&path).exists() {
                println!("cargo:rerun-if-changed={path}");
            }
        }
    }
    let url = env::var("AIDMAP_SOURCE")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| {
            if in_git {
                git(&["remote", "get-url", "origin"])
            } else {
                String::new()
            }
        });
    let rev = env::var("AIDMAP_SOURCE_REV")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| {
            if in_git {
                git(&["rev-parse", "HEAD"])
            } else {
                String::new()
            }
        });
    println!("cargo:rustc-env=AIDMAP_BUILT_FROM={}", one_line(&url));
    println!("cargo:rustc-env=AIDMAP_BUILT_REV={}", one_line(&rev));
}

/// Keeps a value to one line for `cargo:rustc-env`.
fn one_line(s: &str) -> String {
    s.lines().next().unwrap_or("").to_string()
}

/// Re-writes a CSV (RFC 4180 quoting, no embedded newlines in our data) as TSV
/// without its header line.
fn csv_to_tsv(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines().skip(1) {
        if line.is_empty() {
            continue;
        }
        let mut quoted = false;
        for c in line.chars() {
            match c {
                '"' => quoted = !quoted,
                ',' if !quoted => out.push('\t'),
                '\t' => panic!("tab inside CSV data: {line}"),
                _ => out.push(c),
            }
        }
        out.push('\n');
    }
    out
}

/// Layout (all integers are LEB128 varints, signed ones zigzag-encoded):
/// `features`, then per feature: `key_len key_bytes polygons`, per polygon
/// `rings`, per ring `points` then `points` pairs of (dx, dy) in 1e-4 degrees,
/// the delta running on from the previous point of the same feature.
/// The key is the named property, and for outline files `role:name`.
fn write_polygons(json: &serde_json::Value, key: &str) -> (Vec<u8>, Vec<String>) {
    let features = json["features"].as_array().expect("features array");
    let mut out = Vec::new();
    let mut keys = Vec::new();
    put_uvar(&mut out, features.len() as u64);
    for f in features {
        let props = &f["properties"];
        let mut name = props[key].as_str().expect("feature key").to_string();
        if key == "role" {
            name = format!("{name}:{}", props["name"].as_str().unwrap_or(""));
        }
        put_uvar(&mut out, name.len() as u64);
        out.extend_from_slice(name.as_bytes());
        keys.push(name.clone());
        let geom = &f["geometry"];
        let coords = &geom["coordinates"];
        let polygons: Vec<&serde_json::Value> = match geom["type"].as_str() {
            Some("Polygon") => vec![coords],
            Some("MultiPolygon") => coords.as_array().expect("multipolygon").iter().collect(),
            other => panic!("unexpected geometry {other:?} for {name}"),
        };
        put_uvar(&mut out, polygons.len() as u64);
        let (mut px, mut py) = (0i64, 0i64);
        for poly in polygons {
            let rings = poly.as_array().expect("rings");
            put_uvar(&mut out, rings.len() as u64);
            for ring in rings {
                let pts = ring.as_array().expect("points");
                put_uvar(&mut out, pts.len() as u64);
                for p in pts {
                    let x = (p[0].as_f64().expect("lon") * 1e4).round() as i64;
                    let y = (p[1].as_f64().expect("lat") * 1e4).round() as i64;
                    put_svar(&mut out, x - px);
                    put_svar(&mut out, y - py);
                    (px, py) = (x, y);
                }
            }
        }
    }
    (out, keys)
}

fn put_uvar(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn put_svar(out: &mut Vec<u8>, v: i64) {
    put_uvar(out, ((v << 1) ^ (v >> 63)) as u64);
}
