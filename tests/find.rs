//! `aidmap find` on the example directory: the answers a call handler reads out, for
//! every kind of query the site's search box takes.

mod common;

use common::run;

fn find(query: &str) -> (bool, String) {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = run(&["find", "--root", root, query]);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn a_covered_postcode_lists_its_group_with_phone() {
    for q in ["nr23ab", "NR2 3AB", "NR2", "NR2 3"] {
        let (ok, text) = find(q);
        assert!(ok, "{q}: {text}");
        assert!(
            text.contains("NR2 Covid Community Response\t01632 960214\tcovers NR2\n"),
            "{q}: {text}"
        );
    }
}

#[test]
fn an_uncovered_postcode_lists_the_nearest_with_miles() {
    let (ok, text) = find("MK45 1AA");
    assert!(ok);
    assert!(
        text.starts_with("No group covers MK45 1AA yet. The nearest:\n"),
        "{text}"
    );
    assert!(
        // Measured from the MK45 1 sector's centroid, not the district's middle (3.8).
        text.contains("Wilstead and Wixams Good Neighbours\t01632 960362\t5.3 miles\n"),
        "{text}"
    );
    assert!(
        !text.contains("Community Shopping Club"),
        "a closed group is never nearest: {text}"
    );
}

#[test]
fn a_place_name_leads_to_its_district() {
    let (ok, text) = find("wilstead");
    assert!(ok);
    assert!(
        text.starts_with("Wilstead is in MK45. 1 group covers part of MK45: postcodes starting MK45 3 (Wilstead, Houghton Conquest, Haynes Church End). Type your full postcode to check.\nplace: Wilstead (MK45)\n"),
        "{text}"
    );
    let (_, text) = find("Chorlton");
    assert!(text.contains("place: Chorlton-cum-Hardy (M21)"), "{text}");
}

/// Issue #23: a name given to places far apart asks which, never picks one.
#[test]
fn an_ambiguous_place_asks_which() {
    for q in ["St Ives", "Saint Ives", "St. Ives"] {
        let (ok, text) = find(q);
        assert!(ok, "{q}");
        assert!(
            text.starts_with(
                "Which St Ives? There are places of that name in 3 parts of the country:\n"
            ),
            "{q}: {text}"
        );
        for d in ["BH24", "PE27", "TR26"] {
            assert!(text.contains(&format!("({d}, ")), "{q}: {d}: {text}");
        }
    }
    let (_, text) = find("Chorlton");
    assert!(text.starts_with("Which Chorlton?"), "{text}");
    assert!(
        text.contains("choose: Chorlton-cum-Hardy (M21, Manchester)\t1 group\n"),
        "{text}"
    );
    let root = env!("CARGO_MANIFEST_DIR");
    let out = run(&["find", "--root", root, "--json", "St Ives"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["kind"], "choose_place");
    assert_eq!(v["candidates"].as_array().map(Vec::len), Some(3));
    assert_eq!(v["candidates"][1]["district"], "PE27");
}

/// Issue #23: Welsh names of Welsh towns find them (data/geo/welsh-names.csv).
#[test]
fn welsh_names_find_welsh_towns() {
    for (q, district) in [
        ("Caerdydd", "CF"),
        ("Abertawe", "SA1"),
        ("Casnewydd", "NP"),
        ("Ynys Môn", "LL77"),
        ("Môn", "LL77"),
    ] {
        let (_, text) = find(q);
        let first = text.lines().next().unwrap_or_default();
        assert!(
            first.contains(" is in ") && first.contains(district),
            "{q}: {text}"
        );
    }
}

/// Issue #23: part coverage is said as such, with the places in the covered part; a full
/// postcode in another sector is not covered and never hears of the district's coverage;
/// a full postcode hears its own postcode, never a sector code it did not type.
#[test]
fn a_group_covering_one_sector_covers_part_of_its_district() {
    let (_, text) = find("MK45");
    assert!(text.starts_with("1 group covers part of MK45: postcodes starting MK45 3 (Wilstead, Houghton Conquest, Haynes Church End). Type your full postcode to check.\n"), "{text}");
    assert!(
        text.contains("\tcovers postcodes starting MK45 3\n"),
        "{text}"
    );
    // Ampthill and Flitwick are in MK45 2 and MK45 1: not covered, and not told otherwise.
    for q in ["MK45 2AB", "mk451aa"] {
        let (_, text) = find(q);
        let unit = q.to_uppercase().replace(' ', "");
        let unit = format!("{} {}", &unit[..unit.len() - 3], &unit[unit.len() - 3..]);
        assert!(
            text.starts_with(&format!("No group covers {unit} yet. The nearest:\n")),
            "{text}"
        );
        assert!(
            !text.contains("part of")
                && !text.contains("covers MK45.")
                && !text.contains("covers MK45\n"),
            "{text}"
        );
        assert!(!text.contains("covers postcodes"), "{text}");
    }
    let (_, text) = find("MK45 3AB");
    assert!(text.starts_with("1 group covers MK45 3AB.\n"), "{text}");
    assert!(!text.contains("covers MK45 3\n"), "{text}");
    // A sector typed as such is named as typed.
    let (_, text) = find("MK45 3");
    assert!(text.starts_with("1 group covers MK45 3.\n"), "{text}");
}

/// Issue #23: nothing within nearest_within_miles: no far-away groups, the other routes instead.
#[test]
fn far_from_any_group_gets_other_help_not_distant_groups() {
    let (_, text) = find("IV27 4AA");
    assert!(
        text.starts_with(
            "No group near you yet: none covers IV27 4AA, and none is within 20 miles.\n"
        ),
        "{text}"
    );
    assert!(text.contains("other help: NHS 111\t111\t"), "{text}");
    assert!(
        !text.contains(" miles\n"),
        "no group far away is offered: {text}"
    );
    let root = env!("CARGO_MANIFEST_DIR");
    let out = run(&["find", "--root", root, "--json", "IV27 4AA"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["kind"], "none_near");
    assert_eq!(v["point"]["from"], "sector");
    assert_eq!(v["other_help"][0]["name"], "NHS 111");
}

/// Issue #23: "use my location" answers for the nearest residential sector.
#[test]
fn a_position_names_its_sector() {
    // Hemel Hempstead (HP1 1) was told WD4 when only the three nearest areas were searched.
    let (_, text) = find("51.7526,-0.4769");
    assert!(text.starts_with("Your postcode district is HP"), "{text}");
    let (_, text) = find("52.0795,-0.4471");
    assert!(
        text.starts_with(
            "Your postcode district is MK45 (Ampthill). 1 group covers postcodes starting MK45 3.\n"
        ),
        "{text}"
    );
}

#[test]
fn words_find_groups_by_help() {
    let (ok, text) = find("befriending");
    assert!(ok);
    assert!(text.starts_with("10 groups match"), "{text}");
}

#[test]
fn nonsense_says_what_to_try_and_exits_0() {
    // An answer, even "nothing here", is not a content error (exit 1 is kept for those).
    for q in ["xyzzy", "NR77 1AA", "NR99"] {
        let (ok, text) = find(q);
        assert!(ok, "{q}");
        assert!(
            text.contains("Try") || text.contains("did you mean"),
            "{q}: {text}"
        );
    }
}

#[test]
fn json_has_the_groups_in_order() {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = run(&["find", "--root", root, "--json", "MK45 1AA"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["kind"], "nearest");
    assert_eq!(v["read_as"], "postcode");
    assert_eq!(
        v["groups"][0]["name"],
        "Wilstead and Wixams Good Neighbours"
    );
    assert_eq!(v["groups"][0]["miles"], 5.3);
    assert_eq!(v["point"]["code"], "MK45 1");
}

/// Issue #23: every typo class gets a true reason and, where one exists, a suggestion.
#[test]
fn each_kind_of_typo_gets_a_true_reason() {
    for (q, said) in [
        // Letter I typed for the digit 1 (and O for 0, in either direction).
        ("NRI 3AB", "No postcode NRI 3AB exists. Did you mean NR1 3AB?"),
        // An area that does not exist.
        ("MA1 1AA", "There is no postcode area MA; did you mean BA, CA, DA?"),
        // A district that does not exist, or only for organisations' mail (DN55 is one).
        ("NR77 1AA", "NR77 is not a postcode district where people live; did you mean NR17, NR27, NR7?"),
        ("DN55 1AA", "DN55 is not a postcode district where people live; did you mean DN15, DN35, DN5?"),
        // A district for organisations' mail that the tables do have.
        ("NR99", "NR99 is a postcode for large organisations\u{2019} mail: nobody lives there. Try the postcode where you live."),
        // A sector its district does not have.
        ("NR2 9AB", "No postcode sector NR2 9 exists; its district has NR2 1, NR2 2, NR2 3, NR2 4."),
        // Letters that never end a postcode, with or without the space.
        ("NR2 3AC", "\"NR2 3AC\" is not a UK postcode: its last two letters can't end a postcode (never C I K M O V). Try the form NR2 3AB, or just the first part, NR2."),
        ("NR23AC", "\"NR23AC\" is not a UK postcode: its last two letters can't end a postcode (never C I K M O V). Try the form NR2 3AB, or just the first part, NR2."),
        // One letter short.
        ("NR2 3A", "\"NR2 3A\" looks like an incomplete postcode: add the last letter, or search for the sector NR2 3."),
    ] {
        let (ok, text) = find(q);
        assert!(ok, "{q}");
        assert_eq!(text.lines().next(), Some(said), "{q}: {text}");
    }
}

/// Issue #23: `find --json` says what kind of answer it is and where the miles are
/// measured from, for every kind a caller must tell apart.
#[test]
fn json_kinds_and_points() {
    let root = env!("CARGO_MANIFEST_DIR");
    let json = |q: &str| -> serde_json::Value {
        serde_json::from_slice(&run(&["find", "--root", root, "--json", q]).stdout).unwrap()
    };
    let v = json("NR2 3AB");
    assert_eq!(
        (v["kind"].as_str(), v["read_as"].as_str()),
        (Some("covered"), Some("postcode"))
    );
    assert_eq!(v["point"]["from"], "sector");
    assert_eq!(v["point"]["code"], "NR2 3");
    assert_eq!(v["groups"][0]["covers"], "NR2");
    let v = json("MK45");
    assert_eq!(v["kind"], "covered_part");
    assert_eq!(v["point"]["from"], "district");
    assert_eq!(v["groups"][0]["covers"], "MK45 3");
    let v = json("52.0795,-0.4471");
    assert_eq!(
        (v["kind"].as_str(), v["read_as"].as_str()),
        (Some("covered"), Some("location"))
    );
    assert_eq!(v["point"]["code"], "MK45 3");
    assert_eq!(v["district"], "MK45");
    let v = json("befriending");
    assert_eq!(v["kind"], "words");
    assert!(v["point"].is_null());
    let v = json("xyzzy");
    assert_eq!(
        (v["kind"].as_str(), v["read_as"].as_str()),
        (Some("nothing"), Some("nothing"))
    );
    assert_eq!(v["groups"].as_array().map(Vec::len), Some(0));
}

#[test]
fn word_counts_are_true_and_a_prefix_is_a_choice() {
    // Issue #24: 12 groups match, so the answer says 12, not the 10 it lists.
    let (ok, text) = find("prescriptions");
    assert!(ok);
    assert!(
        text.starts_with("12 groups match “prescriptions”. The best 10 are below"),
        "{text}"
    );
    // "Wils" starts Wilsden and Wilstead: a list to choose from, never an answer for one.
    let (_, text) = find("Wils");
    assert!(
        text.starts_with("Places starting “Wils”: choose yours.\n"),
        "{text}"
    );
    assert!(!text.contains(" is in "), "{text}");
}
