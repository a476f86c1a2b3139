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
        text.starts_with("No group covers MK45 1 yet. The nearest:\n"),
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
        text.starts_with("Wilstead is in MK45. 1 group covers part of MK45: postcodes starting MK45 3. Type your full postcode to check.\nplace: Wilstead (MK45)\n"),
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

/// Issue #23: part coverage is said as such; a full postcode in another sector is not covered.
#[test]
fn a_group_covering_one_sector_covers_part_of_its_district() {
    let (_, text) = find("MK45");
    assert!(text.starts_with("1 group covers part of MK45: postcodes starting MK45 3. Type your full postcode to check.\n"), "{text}");
    let (_, text) = find("MK45 2AB");
    assert!(
        text.starts_with("No group covers MK45 2 yet. The nearest:\n"),
        "{text}"
    );
    let (_, text) = find("MK45 3AB");
    assert!(text.starts_with("1 group covers MK45 3.\n"), "{text}");
}

/// Issue #23: nothing within nearest_within_miles: no far-away groups, the other routes instead.
#[test]
fn far_from_any_group_gets_other_help_not_distant_groups() {
    let (_, text) = find("IV27 4AA");
    assert!(
        text.starts_with(
            "No group near you yet: none covers IV27 4, and none is within 20 miles.\n"
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
            "Your postcode district is MK45 (Ampthill), sector MK45 3. 1 group covers MK45 3.\n"
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
