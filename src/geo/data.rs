//! The UK postcode geography embedded in the binary: districts, sectors, areas,
//! localities and polygons, prepared at compile time by `build.rs` (see its doc
//! for the layout) and decoded once, on first use, behind a `OnceLock`.
//!
//! Two stages, so that checking a postcode never pays for polygons:
//! - [`geography()`] reads the tables (about 2,970 districts, 10,849 sectors, 124 areas,
//!   27,270 localities; localities are decoded separately, on first use).
//!   Measured on the shared 2-core build machine: about 35-40 ms in a debug build,
//!   15-20 ms in release (`cargo test load_time -- --nocapture`).
//! - [`Geography::shapes`] decodes the polygons (2,736 GB districts, 120 areas, 80 NI
//!   districts, two coastlines): 55-75 ms debug, 19-32 ms release
//!   (the machine had a load average of 5-7 while measuring, so these are upper
//!   figures).
//!
//! The embedded polygons are the source coordinates exactly (4 decimal places);
//! quantised and delta-encoded they take 0.84 MB instead of 6.3 MB of GeoJSON.

use std::collections::HashMap;
use std::sync::OnceLock;

use geo::{BoundingRect, Coord, LineString, MultiPolygon, Polygon, Rect};

use super::postcode::area_of;

const DISTRICTS_TSV: &str = include_str!(concat!(env!("OUT_DIR"), "/postcode-districts.tsv"));
const SECTORS_TSV: &str = include_str!(concat!(env!("OUT_DIR"), "/postcode-sectors.tsv"));
const AREAS_TSV: &str = include_str!(concat!(env!("OUT_DIR"), "/postcode-areas.tsv"));
const LOCALITIES_TSV: &str = include_str!(concat!(env!("OUT_DIR"), "/district-localities.tsv"));
const DISTRICT_POLYS: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/postcode-districts-gb.polys"));
const DISTRICT_POLY_KEYS: &str =
    include_str!(concat!(env!("OUT_DIR"), "/postcode-districts-gb.keys"));
const AREA_POLYS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/postcode-areas-gb.polys"));
const NI_POLYS: &[u8] = include_bytes!(concat!(
    env!("OUT_DIR"),
    "/postcode-districts-ni-wikipedia.polys"
));
const OUTLINE_10M: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/uk-outline-10m.polys"));
const OUTLINE_50M: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/uk-outline-50m.polys"));

/// Where a district's centroid comes from, which decides its licence and precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CentroidSource {
    /// ONS postcode data (GB): the mean of the district's residential postcodes.
    Ons,
    /// GeoNames places (Northern Ireland, Channel Islands, Isle of Man): coarse,
    /// several districts can share one point, and there is no GB polygon.
    Geonames,
}

/// A postcode district (outward code) such as `NR2`.
#[derive(Debug, Clone)]
pub struct District {
    /// The outward code, such as `NR2`.
    pub code: String,
    /// The area code, such as `NR`.
    pub area: String,
    /// Latitude of the centroid, WGS84 degrees.
    pub lat: f64,
    /// Longitude of the centroid, WGS84 degrees.
    pub lon: f64,
    /// The main locality (GeoNames; not the post town, sometimes odd).
    pub name: String,
    /// England, Scotland, Wales, Northern Ireland, Channel Islands or Isle of Man.
    pub country: String,
    /// True when the district has no residential postcodes (such as W1A, NR99).
    pub large_user_only: bool,
    /// Where the centroid comes from.
    pub source: CentroidSource,
    /// True when a GB polygon exists for it.
    pub has_polygon: bool,
}

impl District {
    /// The centroid as a `geo` point (x = lon, y = lat).
    pub fn point(&self) -> geo::Point<f64> {
        geo::Point::new(self.lon, self.lat)
    }
}

/// A postcode sector such as `NR2 3` (GB only; none exist in the open data for NI).
#[derive(Debug, Clone)]
pub struct Sector {
    /// The sector, such as `NR2 3`.
    pub code: String,
    /// Its district, such as `NR2`.
    pub district: String,
    /// Latitude of the centroid.
    pub lat: f64,
    /// Longitude of the centroid.
    pub lon: f64,
    /// True when the sector has no residential postcodes.
    pub large_user_only: bool,
}

/// A postcode area such as `NR` (Norwich).
#[derive(Debug, Clone)]
pub struct Area {
    /// The area code, such as `NR`.
    pub code: String,
    /// Royal Mail's name, such as `Norwich` or `London SW`.
    pub name: String,
    /// Latitude of the centroid.
    pub lat: f64,
    /// Longitude of the centroid.
    pub lon: f64,
}

/// A place GeoNames lists in a district, such as `Cringleford` in NR4.
#[derive(Debug, Clone)]
pub struct Locality {
    /// The district, such as `NR4`.
    pub outcode: String,
    /// The place name.
    pub locality: String,
    /// Latitude of the place.
    pub lat: f64,
    /// Longitude of the place.
    pub lon: f64,
}

/// A polygon with its bounding box, in WGS84 lon/lat.
#[derive(Debug, Clone)]
pub struct Shape {
    /// The polygon (x = lon, y = lat).
    pub polygon: MultiPolygon<f64>,
    /// Its bounding box.
    pub bbox: Rect<f64>,
    /// Its outline simplified for each zoom, made when a map first needs it.
    pub(crate) simplified: crate::geo::map::Simplified,
}

impl Shape {
    /// A shape of `polygon`.
    pub fn new(polygon: MultiPolygon<f64>) -> Shape {
        let bbox = polygon
            .bounding_rect()
            .unwrap_or_else(|| Rect::new(Coord::zero(), Coord::zero()));
        Shape {
            polygon,
            bbox,
            simplified: Default::default(),
        }
    }
}

/// A coastline feature from Natural Earth.
#[derive(Debug, Clone)]
pub struct OutlineFeature {
    /// `uk` for the United Kingdom, `context` for neighbours (Ireland, France…).
    pub role: String,
    /// The country name.
    pub name: String,
    /// The land polygon.
    pub shape: Shape,
}

/// Coastline detail: 1:10m for close-up maps, 1:50m for whole regions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutlineDetail {
    /// Natural Earth 1:10m, about 7,100 vertices for the UK.
    Fine,
    /// Natural Earth 1:50m, about 1,000 vertices for the UK.
    Coarse,
}

/// All polygons, decoded on first use by [`Geography::shapes`].
#[derive(Debug)]
pub struct Shapes {
    districts: HashMap<String, Shape>,
    areas: HashMap<String, Shape>,
    ni_districts: HashMap<String, Shape>,
    outline_fine: Vec<OutlineFeature>,
    outline_coarse: Vec<OutlineFeature>,
}

impl Shapes {
    /// A GB district's notional polygon (OGL). None for NI, CI, IoM and
    /// large-user-only districts.
    pub fn district(&self, code: &str) -> Option<&Shape> {
        self.districts.get(code)
    }
    /// Every GB district polygon, keyed by district code.
    pub fn districts(&self) -> impl Iterator<Item = (&str, &Shape)> {
        self.districts.iter().map(|(k, v)| (k.as_str(), v))
    }
    /// A GB area's polygon.
    pub fn area(&self, code: &str) -> Option<&Shape> {
        self.areas.get(code)
    }
    /// A Northern Ireland district polygon from Wikipedia (CC BY-SA 3.0, uncertain
    /// provenance: only use when the site opted in).
    pub fn ni_district(&self, code: &str) -> Option<&Shape> {
        self.ni_districts.get(code)
    }
    /// Every NI polygon (opt-in only, see [`Shapes::ni_district`]).
    pub fn ni_districts(&self) -> impl Iterator<Item = (&str, &Shape)> {
        self.ni_districts.iter().map(|(k, v)| (k.as_str(), v))
    }
    /// The coastline features at the given detail.
    pub fn outline(&self, detail: OutlineDetail) -> &[OutlineFeature] {
        match detail {
            OutlineDetail::Fine => &self.outline_fine,
            OutlineDetail::Coarse => &self.outline_coarse,
        }
    }
}

/// The embedded geography. Get it with [`geography()`].
#[derive(Debug)]
pub struct Geography {
    districts: Vec<District>,
    district_index: HashMap<String, usize>,
    sectors: Vec<Sector>,
    sector_index: HashMap<String, usize>,
    /// Indexes into `sectors`, per district, in file order.
    sectors_by_district: HashMap<String, Vec<usize>>,
    areas: Vec<Area>,
    area_index: HashMap<String, usize>,
    /// Decoded on first use: only district pages' text needs them. Each district's
    /// localities are one run of the list; the map gives that run's range.
    localities: OnceLock<Localities>,
    shapes: OnceLock<Shapes>,
}

/// Every locality, and each district's run of them.
type Localities = (Vec<Locality>, HashMap<String, std::ops::Range<usize>>);

/// The embedded geography, decoded on the first call (see the module doc for the cost).
pub fn geography() -> &'static Geography {
    static GEOGRAPHY: OnceLock<Geography> = OnceLock::new();
    GEOGRAPHY.get_or_init(Geography::load)
}

impl Geography {
    fn load() -> Self {
        let mut districts = Vec::with_capacity(3000);
        for row in rows(DISTRICTS_TSV) {
            // outcode, lat, lon, name, country, large_user_only, source
            let code = row[0].to_string();
            districts.push(District {
                area: area_of(&code).to_string(),
                lat: num(row[1]),
                lon: num(row[2]),
                name: row[3].to_string(),
                country: row[4].to_string(),
                large_user_only: row[5] == "1",
                source: if row[6] == "geonames" {
                    CentroidSource::Geonames
                } else {
                    CentroidSource::Ons
                },
                // Set below from the polygon keys, which build.rs kept in file order.
                has_polygon: false,
                code,
            });
        }
        let district_index: HashMap<String, usize> = districts
            .iter()
            .enumerate()
            .map(|(i, d)| (d.code.clone(), i))
            .collect();
        for key in DISTRICT_POLY_KEYS.lines() {
            if let Some(&i) = district_index.get(key) {
                districts[i].has_polygon = true;
            }
        }

        let mut sectors = Vec::with_capacity(11_000);
        let mut sectors_by_district: HashMap<String, Vec<usize>> = HashMap::new();
        for row in rows(SECTORS_TSV) {
            let code = row[0].to_string();
            let district = code.split(' ').next().unwrap_or_default().to_string();
            sectors_by_district
                .entry(district.clone())
                .or_default()
                .push(sectors.len());
            sectors.push(Sector {
                district,
                lat: num(row[1]),
                lon: num(row[2]),
                large_user_only: row[3] == "1",
                code,
            });
        }
        let sector_index = sectors
            .iter()
            .enumerate()
            .map(|(i, s)| (s.code.clone(), i))
            .collect();

        let areas: Vec<Area> = rows(AREAS_TSV)
            .map(|row| Area {
                code: row[0].to_string(),
                name: row[1].to_string(),
                lat: num(row[2]),
                lon: num(row[3]),
            })
            .collect();
        let area_index = areas
            .iter()
            .enumerate()
            .map(|(i, a)| (a.code.clone(), i))
            .collect();
        Geography {
            districts,
            district_index,
            sectors,
            sector_index,
            sectors_by_district,
            areas,
            area_index,
            localities: OnceLock::new(),
            shapes: OnceLock::new(),
        }
    }

    /// A district by code; the code is normalised first (`nr2` finds NR2).
    pub fn district(&self, code: &str) -> Option<&District> {
        let code = normalise(code);
        self.district_index.get(&code).map(|&i| &self.districts[i])
    }

    /// A sector by code (`NR2 3`, `nr23` or `NR2  3`).
    pub fn sector(&self, code: &str) -> Option<&Sector> {
        let mut code = normalise(code);
        code.retain(|c| c != ' ');
        if code.len() < 3 {
            return None;
        }
        code.insert(code.len() - 1, ' ');
        self.sector_index.get(&code).map(|&i| &self.sectors[i])
    }

    /// An area by code (`NR`).
    pub fn area(&self, code: &str) -> Option<&Area> {
        self.area_index
            .get(&normalise(code))
            .map(|&i| &self.areas[i])
    }

    /// All districts, sorted as AB1 < AB2 < AB10.
    pub fn districts(&self) -> &[District] {
        &self.districts
    }

    /// The districts of one area, in order.
    pub fn districts_in_area<'a>(&'a self, area: &'a str) -> impl Iterator<Item = &'a District> {
        self.districts.iter().filter(move |d| d.area == area)
    }

    /// A district's sectors (empty for NI, CI, IoM and unknown districts).
    pub fn sectors_of(&self, district: &str) -> impl Iterator<Item = &Sector> {
        self.sectors_by_district
            .get(&normalise(district))
            .into_iter()
            .flatten()
            .map(|&i| &self.sectors[i])
    }

    /// All sectors, in the table's order (by district, then digit).
    pub fn sectors(&self) -> &[Sector] {
        &self.sectors
    }

    /// All areas, sorted by code.
    pub fn areas(&self) -> &[Area] {
        &self.areas
    }

    /// All GeoNames localities, grouped by district.
    pub fn localities(&self) -> &[Locality] {
        &self.localities_table().0
    }

    fn localities_table(&self) -> &Localities {
        self.localities.get_or_init(|| {
            let list: Vec<Locality> = rows(LOCALITIES_TSV)
                .map(|row| Locality {
                    outcode: row[0].to_string(),
                    locality: row[1].to_string(),
                    lat: num(row[2]),
                    lon: num(row[3]),
                })
                .collect();
            let mut runs: HashMap<String, std::ops::Range<usize>> = HashMap::new();
            for (i, l) in list.iter().enumerate() {
                let run = runs.entry(l.outcode.clone()).or_insert(i..i);
                // The file keeps a district's localities together; should it not, the
                // run grows to cover them and `localities_of` filters within it.
                run.end = i + 1;
            }
            (list, runs)
        })
    }

    /// The localities of one district (a lookup: group pages ask for every group).
    pub fn localities_of<'a>(&'a self, district: &'a str) -> impl Iterator<Item = &'a Locality> {
        let (list, runs) = self.localities_table();
        let run = runs.get(district).cloned().unwrap_or(0..0);
        list[run].iter().filter(move |l| l.outcode == district)
    }

    /// The places of a sector, where the data can tell: the district's localities whose
    /// nearest sector centroid (of the district's sectors) is this one, nearest it first.
    /// GeoNames places are points, not boundaries, so this is "where known", not exact.
    pub fn places_in_sector(&self, sector: &str) -> Vec<&str> {
        let Some(s) = self.sector(sector) else {
            return Vec::new();
        };
        // Degrees of longitude shrink with latitude; within a district this is plenty.
        let k = s.lat.to_radians().cos();
        let d2 =
            |lat: f64, lon: f64, x: &Sector| (lat - x.lat).powi(2) + ((lon - x.lon) * k).powi(2);
        let sectors: Vec<&Sector> = self.sectors_of(&s.district).collect();
        let mut mine: Vec<(f64, &str)> = self
            .localities_of(&s.district)
            .filter(|l| {
                let nearest = sectors
                    .iter()
                    .min_by(|a, b| d2(l.lat, l.lon, a).total_cmp(&d2(l.lat, l.lon, b)));
                nearest.is_some_and(|n| n.code == s.code)
            })
            .map(|l| (d2(l.lat, l.lon, s), l.locality.as_str()))
            .collect();
        mine.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(b.1)));
        let mut names: Vec<&str> = mine.into_iter().map(|m| m.1).collect();
        names.dedup();
        names
    }

    /// The polygons, decoded on the first call (see the module doc for the cost).
    pub fn shapes(&self) -> &Shapes {
        self.shapes.get_or_init(|| Shapes {
            districts: decode_polygons(DISTRICT_POLYS).collect(),
            areas: decode_polygons(AREA_POLYS).collect(),
            ni_districts: decode_polygons(NI_POLYS).collect(),
            outline_fine: outline(OUTLINE_10M),
            outline_coarse: outline(OUTLINE_50M),
        })
    }

    /// A GB district's polygon (shortcut for `shapes().district`).
    pub fn district_polygon(&self, code: &str) -> Option<&MultiPolygon<f64>> {
        self.shapes().district(code).map(|s| &s.polygon)
    }

    /// A GB area's polygon (shortcut for `shapes().area`).
    pub fn area_polygon(&self, code: &str) -> Option<&MultiPolygon<f64>> {
        self.shapes().area(code).map(|s| &s.polygon)
    }
}

/// Upper case, trimmed, inner runs of spaces collapsed to one.
pub(crate) fn normalise(code: &str) -> String {
    code.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_uppercase()
}

fn rows(tsv: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    tsv.lines().map(|l| l.split('\t').collect())
}

fn num(s: &str) -> f64 {
    // build.rs copied these from our own checked files, so a failure is a bug.
    s.parse()
        .unwrap_or_else(|_| panic!("bad number {s:?} in embedded data"))
}

/// Reads LEB128 varints from the build script's polygon files.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn uvar(&mut self) -> u64 {
        let mut v = 0u64;
        let mut shift = 0;
        loop {
            let b = self.bytes[self.pos];
            self.pos += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return v;
            }
            shift += 7;
        }
    }
    fn svar(&mut self) -> i64 {
        let u = self.uvar();
        (u >> 1) as i64 ^ -((u & 1) as i64)
    }
    fn key(&mut self) -> &str {
        let len = self.uvar() as usize;
        let s = &self.bytes[self.pos..self.pos + len];
        self.pos += len;
        std::str::from_utf8(s).expect("build.rs writes UTF-8 keys")
    }
}

/// Decodes a polygon file into (key, shape) pairs.
fn decode_polygons(bytes: &[u8]) -> impl Iterator<Item = (String, Shape)> + '_ {
    let mut r = Reader { bytes, pos: 0 };
    let count = r.uvar();
    (0..count).map(move |_| {
        let key = r.key().to_string();
        let (mut x, mut y) = (0i64, 0i64);
        let polygons = (0..r.uvar())
            .map(|_| {
                let mut rings: Vec<LineString<f64>> = (0..r.uvar())
                    .map(|_| {
                        (0..r.uvar())
                            .map(|_| {
                                x += r.svar();
                                y += r.svar();
                                Coord {
                                    x: x as f64 / 1e4,
                                    y: y as f64 / 1e4,
                                }
                            })
                            .collect()
                    })
                    .collect();
                let exterior = rings.remove(0);
                Polygon::new(exterior, rings)
            })
            .collect::<Vec<_>>();
        (key, Shape::new(MultiPolygon::new(polygons)))
    })
}

fn outline(bytes: &[u8]) -> Vec<OutlineFeature> {
    decode_polygons(bytes)
        .map(|(key, shape)| {
            let (role, name) = key.split_once(':').unwrap_or(("context", &key));
            OutlineFeature {
                role: role.to_string(),
                name: name.to_string(),
                shape,
            }
        })
        .collect()
}

#[cfg(test)]
#[path = "data_tests.rs"]
mod tests;
