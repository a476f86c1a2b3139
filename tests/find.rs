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
        text.contains("Wilstead and Wixams Good Neighbours\t01632 960362\t3.8 miles\n"),
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
        text.starts_with("Wilstead is in MK45. 1 group covers MK45.\nplace: Wilstead (MK45)\n"),
        "{text}"
    );
    let (_, text) = find("Chorlton");
    assert!(text.contains("place: Chorlton-cum-Hardy (M21)"), "{text}");
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
    assert_eq!(v["kind"], "postcode");
    assert_eq!(
        v["groups"][0]["name"],
        "Wilstead and Wixams Good Neighbours"
    );
    assert_eq!(v["groups"][0]["miles"], 3.8);
}
