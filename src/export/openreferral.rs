//! The directory as an Open Referral UK dataset: `data/openreferral/services.json`.
//!
//! Open Referral UK 3.0 is the UK profile of the Human Services Data Specification
//! (HSDS) 3.0. Its API answers `/services/{id}` with a *full service*: the service with
//! its organisation, service areas, cost options, contacts, languages and schedules
//! nested. We write one page (the profile's paging fields around `contents`) of full
//! services, all in one, so a council or a referral platform can load it with the code it
//! already has. A mutual aid group is both the organisation and its one service.
//!
//! The fields follow the published UK profile; `schema/README.md` names the version and
//! the few HSDS 3.0 fields the profile leaves out that we still write (phones, language
//! names and codes, contact e-mail). The subset we emit is
//! `schema/openreferral-uk-subset.schema.json`.
//!
//! HSDS 3 identifiers are UUIDs. Ours are derived from the site's address, the record
//! kind and the group's slug (`stable_uuid`), so they stay the same from build to build.

use std::io::Write;

use serde_json::{json, Map, Value};

/// The JSON Schema of what we emit, published beside it as `data/openreferral/schema.json`.
pub const SCHEMA: &str = include_str!("../../schema/openreferral-uk-subset.schema.json");

use super::{group_url, status_word};
use crate::config::Config;
use crate::content::{areas, Content, Group, Status};

/// The HSDS `status` of a group: paused groups are `temporarily closed`, closed ones `defunct`.
pub fn hsds_status(s: Status) -> &'static str {
    match s {
        Status::Active => "active",
        Status::Paused => "temporarily closed",
        Status::Closed => "defunct",
    }
}

/// A UUID (version 8, RFC 9562: "custom") that depends only on its parts.
///
/// Two FNV-1a 64-bit hashes with different offsets make the 128 bits; the `uuid` crate
/// sets the version and variant bits and writes it. Stable across Rust versions, unlike
/// `DefaultHasher`.
pub fn stable_uuid(parts: &[&str]) -> String {
    let hash = |seed: u64| {
        let mut h = seed;
        for p in parts {
            for b in p.bytes().chain([0u8]) {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
        h
    };
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&hash(0xcbf2_9ce4_8422_2325).to_be_bytes());
    bytes[8..].copy_from_slice(&hash(0x6c62_272e_07bb_0142).to_be_bytes());
    let id = uuid::Builder::from_custom_bytes(bytes).into_uuid();
    id.hyphenated()
        .encode_lower(&mut uuid::Uuid::encode_buffer())
        .to_string()
}

/// The full-service page for every group.
pub fn services_json(
    config: &Config,
    content: &Content,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    // Fields in the order `json!` wrote them before (sorted), so the file is unchanged.
    #[derive(serde::Serialize)]
    struct Page<F> {
        contents: F,
        empty: bool,
        first_page: bool,
        last_page: bool,
        page_number: usize,
        size: usize,
        total_items: usize,
        total_pages: usize,
    }
    let count = content.groups.len();
    let page = Page {
        contents: super::LazySeq(&content.groups, |g: &Group| service(config, g)),
        empty: count == 0,
        first_page: true,
        last_page: true,
        page_number: 1,
        size: count,
        total_items: count,
        total_pages: 1,
    };
    serde_json::to_writer(&mut *out, &page)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// Inserts `key: value` when there is a value.
fn put(obj: &mut Map<String, Value>, key: &str, value: Option<&String>) {
    if let Some(v) = value {
        obj.insert(key.into(), Value::String(v.clone()));
    }
}

/// One group as an HSDS full service.
fn service(config: &Config, g: &Group) -> Value {
    let base = config.base_url.as_str();
    let id = |kind: &str, extra: &str| stable_uuid(&[base, kind, &g.slug, extra]);
    // The objects nested in the service (areas, cost options, phones, contacts,
    // languages, schedules) do not repeat its id as `service_id`: the published schemas
    // require only their own `id` (and a phone's `number`), and nesting says whose they
    // are. Repeated, it was a sixth of the file (schema/README.md).
    let service_id = id("service", "");
    let organization_id = id("organization", "");
    let page = group_url(config, &g.slug);

    let mut organization = Map::new();
    organization.insert("id".into(), json!(organization_id));
    organization.insert("name".into(), json!(g.name));
    organization.insert("description".into(), json!(g.summary));
    put(&mut organization, "email", g.contact.email.as_ref());
    organization.insert(
        "website".into(),
        json!(g.contact.website.clone().unwrap_or_else(|| page.clone())),
    );

    let service_areas: Vec<Value> = g
        .areas
        .iter()
        .map(|code| {
            let (kind, district) = match code.split_once(' ') {
                Some((d, _)) => ("sector", d),
                None => ("district", code.as_str()),
            };
            let place = crate::geo::geography()
                .district(district)
                .map(|d| format!(" ({})", d.name))
                .unwrap_or_default();
            json!({
                "id": id("service_area", code),
                "name": code,
                "service_area": format!("Postcode {kind} {code}{place}, {} postcode area",
                    areas::area_name(areas::area_of(code)).unwrap_or(areas::area_of(code))),
                "extent_type": "text",
                "extent": code,
            })
        })
        .collect();

    let phones: Vec<Value> = g
        .contact
        .phone
        .iter()
        .map(|number| {
            let mut p = Map::new();
            p.insert("id".into(), json!(id("phone", "")));
            p.insert("number".into(), json!(number));
            p.insert("type".into(), json!("voice"));
            put(&mut p, "description", g.contact.hours.as_ref());
            Value::Object(p)
        })
        .collect();

    let contacts: Vec<Value> = g
        .contact
        .email
        .iter()
        .map(|email| {
            json!({
                "id": id("contact", ""),
                "name": g.name,
                "email": email,
            })
        })
        .collect();

    let languages: Vec<Value> = g
        .languages
        .iter()
        .map(|code| {
            json!({
                "id": id("language", code),
                "name": crate::content::help::language(code).map_or(code.as_str(), |l| l.0),
                "code": code,
            })
        })
        .collect();

    let schedules: Vec<Value> = g
        .contact
        .hours
        .iter()
        .map(|hours| {
            json!({
                "id": id("schedule", ""),
                "description": hours,
            })
        })
        .collect();

    let help: Vec<&str> = g
        .help
        .iter()
        .map(|k| config.help.label(k).unwrap_or(k))
        .collect();
    let mut s = Map::new();
    s.insert("id".into(), json!(service_id));
    s.insert("organization_id".into(), json!(organization_id));
    s.insert("name".into(), json!(g.name));
    let mut description = g.summary.clone();
    if !help.is_empty() {
        description.push_str(&format!(" Help offered: {}.", help.join(", ")));
    }
    s.insert("description".into(), json!(description));
    s.insert(
        "url".into(),
        json!(g.contact.website.clone().unwrap_or_else(|| page.clone())),
    );
    put(&mut s, "email", g.contact.email.as_ref());
    s.insert("status".into(), json!(hsds_status(g.status)));
    s.insert("assured_date".into(), json!(g.last_checked.to_string()));
    s.insert(
        "alert".into(),
        json!(match g.status {
            Status::Active => String::new(),
            other => format!("This group is {}.", status_word(other)),
        }),
    );
    s.insert("organization".into(), Value::Object(organization));
    s.insert("service_areas".into(), json!(service_areas));
    s.insert(
        "cost_options".into(),
        json!([{
            "id": id("cost_option", ""),
            "option": "Free",
            "amount": 0,
            "amount_description": "Volunteers do not charge for their help.",
        }]),
    );
    s.insert("phones".into(), json!(phones));
    s.insert("contacts".into(), json!(contacts));
    s.insert("languages".into(), json!(languages));
    s.insert("schedules".into(), json!(schedules));
    if s["alert"] == "" {
        s.remove("alert");
    }
    Value::Object(s)
}

#[cfg(test)]
mod tests {
    use super::stable_uuid;

    #[test]
    fn uuids_are_stable_and_well_formed() {
        let a = stable_uuid(&["https://example.org/", "service", "nr2"]);
        assert_eq!(a, stable_uuid(&["https://example.org/", "service", "nr2"]));
        assert_ne!(a, stable_uuid(&["https://example.org/", "service", "nr3"]));
        // Part boundaries matter: "ab"+"c" differs from "a"+"bc".
        assert_ne!(stable_uuid(&["ab", "c"]), stable_uuid(&["a", "bc"]));
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "8", "version 8");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"), "RFC variant");
    }
}
