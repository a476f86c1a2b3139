//! JSON Schemas of the group and story formats, for editors and for reviewers' tools.
//!
//! The schemas are real files in `schema/` at the repository root, embedded here and
//! published with every built site at `schema/group.schema.json` and
//! `schema/story.schema.json`. `aidmap new` points new files at the published copy, so an
//! editor with a YAML language server completes field names and flags slips as you type.
//! `aidmap check` stays the authority: the schema cannot know, say, which groups exist.
//!
//! The published group schema lists the site's own kinds of help (built-in plus any from
//! site.yaml); the file in the repository lists the built-in ones, and a test keeps it in
//! step with `RawGroup` and the built-in vocabulary.

use crate::config::Config;

/// The group schema as kept in the repository.
pub const GROUP_SCHEMA: &str = include_str!("../schema/group.schema.json");

/// The story front-matter schema as kept in the repository.
pub const STORY_SCHEMA: &str = include_str!("../schema/story.schema.json");

/// Where the group schema is published, relative to the site root.
pub const GROUP_SCHEMA_PATH: &str = "schema/group.schema.json";

/// Where the story schema is published, relative to the site root.
pub const STORY_SCHEMA_PATH: &str = "schema/story.schema.json";

/// The schema files a site publishes: (path under the site root, contents).
pub fn published(config: &Config) -> Vec<(&'static str, String)> {
    let mut group: serde_json::Value =
        serde_json::from_str(GROUP_SCHEMA).expect("schema/group.schema.json is valid JSON");
    let keys: Vec<serde_json::Value> = config.help.keys().map(|k| k.into()).collect();
    group["properties"]["help"]["items"]["enum"] = serde_json::Value::Array(keys);
    group["$id"] = format!("{}{GROUP_SCHEMA_PATH}", config.base_url).into();
    let mut story: serde_json::Value =
        serde_json::from_str(STORY_SCHEMA).expect("schema/story.schema.json is valid JSON");
    story["$id"] = format!("{}{STORY_SCHEMA_PATH}", config.base_url).into();
    let pretty = |v: &serde_json::Value| {
        let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
        s.push('\n');
        s
    };
    vec![
        (GROUP_SCHEMA_PATH, pretty(&group)),
        (STORY_SCHEMA_PATH, pretty(&story)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::help::{HelpVocabulary, LANGUAGES};
    use serde_json::Value;

    fn strings(v: &Value) -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect()
    }

    fn keys(v: &Value) -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    }

    #[test]
    fn group_schema_matches_the_code() {
        let g: Value = serde_json::from_str(GROUP_SCHEMA).unwrap();
        let p = &g["properties"];
        // Same fields as RawGroup and RawContact (deny_unknown_fields there, additionalProperties here).
        assert_eq!(
            keys(p),
            [
                "added",
                "areas",
                "contact",
                "description",
                "help",
                "languages",
                "last_checked",
                "name",
                "status",
                "succeeded_by",
                "summary",
                "translations"
            ]
        );
        // The fields of a translation (`translation::RawGroupText`), checked as the English.
        let t = &p["translations"]["additionalProperties"];
        assert_eq!(keys(&t["properties"]), ["description", "hours", "summary"]);
        assert_eq!(
            t["properties"]["summary"]["maxLength"],
            p["summary"]["maxLength"]
        );
        assert_eq!(
            keys(&p["contact"]["properties"]),
            ["email", "facebook", "hours", "phone", "website", "whatsapp"]
        );
        let builtin: Vec<String> = HelpVocabulary::builtin().keys().map(String::from).collect();
        assert_eq!(strings(&p["help"]["items"]["enum"]), builtin);
        let langs: Vec<String> = LANGUAGES.iter().map(|(c, ..)| c.to_string()).collect();
        assert_eq!(strings(&p["languages"]["items"]["enum"]), langs);
        assert_eq!(
            strings(&p["status"]["enum"]),
            ["active", "paused", "closed"]
        );
        for s in ["active", "paused", "closed"] {
            let parsed: crate::content::Status = serde_yaml::from_str(s).unwrap();
            let _ = parsed;
        }
        assert_eq!(
            strings(&g["required"]),
            ["name", "summary", "areas", "contact", "last_checked"]
        );
        assert_eq!(
            crate::content::group::MAX_AREAS as u64,
            p["areas"]["maxItems"].as_u64().unwrap()
        );
    }

    #[test]
    fn story_schema_matches_the_code() {
        let s: Value = serde_json::from_str(STORY_SCHEMA).unwrap();
        assert_eq!(
            keys(&s["properties"]),
            ["date", "groups", "place", "summary", "title"]
        );
    }

    #[test]
    fn published_schema_lists_the_sites_help() {
        let mut config = Config::fallback();
        config.help.add("food-bank", "Food bank referrals");
        let files = published(&config);
        let g: Value = serde_json::from_str(&files[0].1).unwrap();
        assert!(strings(&g["properties"]["help"]["items"]["enum"]).contains(&"food-bank".into()));
        assert_eq!(g["$id"], "/schema/group.schema.json");
    }
}
