//! `aidmap check --format github`: the annotations a pull request shows, pinned.

mod common;

use common::{fixture, run};

#[test]
fn github_annotations_are_pinned() {
    let root = fixture("github");
    let out = run(&[
        "check",
        "--format",
        "github",
        "--root",
        root.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "\
::error file=content/groups/bad-phone.yaml,line=4,col=8::unknown kind of help `shoping` (hint: did you mean `shopping`? A site can add its own kinds under `help:` in site.yaml)
::error file=content/groups/bad-phone.yaml,line=6,col=10::`0163 96012` is not a UK phone number: it should have 11 digits, like 01632 960123 or 07700 900123 (hint: write a UK number with its area code, in quotes, like \"01632 960123\")
::error file=content/groups/typo-field.yaml,line=2,col=1::unknown field `summry`, expected one of `name`, `summary`, `areas`, `help`, `contact`, `languages`, `status`, `last_checked`, `added`, `description`, `succeeded_by`, `translations` (hint: did you mean `summary`?)
"
    );
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}
