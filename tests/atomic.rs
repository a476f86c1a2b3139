//! A build killed at any moment leaves the whole old site or the whole new one.
//!
//! Builds a generated directory of a few hundred groups, then runs the real binary on
//! changed content and SIGKILLs it after delays spread over a build's measured time. After
//! every kill the output folder must hold exactly one of the two sites, byte for byte; the
//! next build must clear what the killed one left beside it, keeping only the one spare
//! folder a build updates in place (`.public.aidmap-spare/`).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::aidmap;

/// Enough groups that a rebuild takes a second or more: pages, area pages, maps, data.
const GROUPS: usize = 100;
const KILLS: usize = 20;

/// Writes a directory of `GROUPS` groups. `second` changes every page (the title), drops
/// one group and adds another, so the two sites differ both in bytes and in files.
fn write_directory(root: &Path, second: bool) {
    let title = if second {
        "Kill Test Two"
    } else {
        "Kill Test One"
    };
    std::fs::create_dir_all(root.join("content/groups")).unwrap();
    std::fs::write(
        root.join("site.yaml"),
        format!("title: {title}\nbase_url: https://example.org/\nstale_after_days: 180\n"),
    )
    .unwrap();
    let districts = ["NR1", "NR2", "NR3", "NR4", "NR5", "NR6", "NR7"];
    for i in 0..GROUPS {
        let slug = if second && i == 0 {
            "group-added".to_string()
        } else {
            format!("group-{i}")
        };
        let area = districts[i % districts.len()];
        std::fs::write(
            root.join("content/groups").join(format!("{slug}.yaml")),
            format!(
                "name: Group {slug} Helpers\nsummary: Neighbours helping neighbours.\n\
                 areas: [{area}]\nhelp: [shopping]\ncontact:\n  phone: \"01632 96{i:04}\"\n\
                 languages: [en]\nlast_checked: 2026-10-01\n"
            ),
        )
        .unwrap();
    }
}

fn build(root: &Path, out: &Path) {
    let done = aidmap()
        .args(["build", "--root"])
        .arg(root)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
}

/// Every file of a folder: relative path to bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// The spare folder a build updates and exchanges with the live one.
const SPARE: &str = ".public.aidmap-spare";

/// Names beside the output folder that a build made (`.public.aidmap-*`) but the spare
/// and the manifests (one per folder, `.public.aidmap-manifest-<dev>-<inode>`).
fn leftovers(parent: &Path) -> Vec<String> {
    std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public.aidmap-") && n != SPARE)
        .filter(|n| {
            n.strip_prefix(".public.aidmap-manifest-")
                .is_none_or(|id| id.contains('.'))
        })
        .collect()
}

/// The manifests beside the output folder: at most one for each of the two folders.
fn manifests(parent: &Path) -> usize {
    std::fs::read_dir(parent)
        .unwrap()
        .filter(|e| {
            let name = e.as_ref().unwrap().file_name();
            let name = name.to_string_lossy();
            name.strip_prefix(".public.aidmap-manifest-")
                .is_some_and(|id| !id.contains('.'))
        })
        .count()
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Site {
    One,
    Two,
}

#[test]
fn a_killed_build_leaves_the_old_site_or_the_new_one_never_a_mix() {
    let tmp = tempfile::tempdir().unwrap();
    let roots: [PathBuf; 2] = [tmp.path().join("one"), tmp.path().join("two")];
    write_directory(&roots[0], false);
    write_directory(&roots[1], true);
    // The two sites as a finished build makes them, each in a folder of its own.
    build(&roots[0], &tmp.path().join("ref-one"));
    build(&roots[1], &tmp.path().join("ref-two"));
    let one = snapshot(&tmp.path().join("ref-one"));
    let two = snapshot(&tmp.path().join("ref-two"));
    assert!(one.len() > 1000, "{} files", one.len());
    assert_ne!(
        one.keys().collect::<Vec<_>>(),
        two.keys().collect::<Vec<_>>()
    );
    let marker = "index.html";
    assert_ne!(one[marker], two[marker]);

    let parent = tmp.path().join("deploy");
    let out = parent.join("public");
    build(&roots[0], &out);
    assert!(snapshot(&out) == one, "a build is the same every time");
    // A rebuild (what is killed below) compares every file with the live one: time one.
    let started = Instant::now();
    build(&roots[1], &out);
    let build_time = started.elapsed();
    assert!(snapshot(&out) == two);
    assert_eq!(leftovers(&parent), Vec::<String>::new());
    // The spare is the site of one build before, so the next build writes only changes.
    assert!(snapshot(&parent.join(SPARE)) == one);
    let mut live = Site::Two;

    // Delays from the start of the process to past a whole rebuild, as a shared machine's
    // builds vary. Bounded, so a slow machine makes the test at most KILLS x 8 s longer.
    let span = build_time.mul_f64(1.3).min(Duration::from_secs(8));
    let (mut stayed, mut switched, mut finished, mut left_behind) = (0, 0, 0, 0);
    for k in 0..KILLS {
        let delay = span.mul_f64((k as f64 + 0.5) / KILLS as f64);
        let before = live;
        let other = if live == Site::One {
            Site::Two
        } else {
            Site::One
        };
        let root = &roots[other as usize];
        let mut child = aidmap()
            .args(["build", "--root"])
            .arg(root)
            .arg("--out")
            .arg(&out)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        // Child::kill is SIGKILL on Unix: no handler, no clean-up, as with the OOM killer.
        let _ = child.kill();
        let status = child.wait().unwrap();
        if status.success() {
            finished += 1;
        }
        let now = snapshot(&out);
        let seen = if now == one {
            Site::One
        } else if now == two {
            Site::Two
        } else {
            let (a, b) = (
                now.keys().filter(|p| one.contains_key(*p)).count(),
                now.len(),
            );
            panic!(
                "kill {k} after {delay:?} left a mixed site: {b} files, {a} of them paths of site one; index.html is {}",
                String::from_utf8_lossy(now.get(marker).map(Vec::as_slice).unwrap_or(b"missing"))
                    .lines()
                    .find(|l| l.contains("<title>"))
                    .unwrap_or("")
            );
        };
        if seen == before {
            stayed += 1;
        } else {
            switched += 1;
        }
        if !leftovers(&parent).is_empty() {
            left_behind += 1;
        }
        live = seen;
        eprintln!(
            "kill {k:2} after {:5} ms: {:?} (was {:?}), leftovers {:?}",
            delay.as_millis(),
            seen,
            before,
            leftovers(&parent)
        );
    }
    eprintln!(
        "{KILLS} kills over {} ms (a rebuild took {} ms): {stayed} left the old site, {switched} the new one ({finished} builds had already finished); {left_behind} left files beside the output",
        span.as_millis(),
        build_time.as_millis()
    );
    assert_eq!(stayed + switched, KILLS);

    // A normal build clears whatever the killed ones left and makes the other site.
    let other = if live == Site::One { 1 } else { 0 };
    build(&roots[other], &out);
    let (now, then) = if other == 0 {
        (&one, &two)
    } else {
        (&two, &one)
    };
    assert!(snapshot(&out) == *now);
    assert_eq!(leftovers(&parent), Vec::<String>::new());
    assert!(parent.join(SPARE).is_dir());
    // A killed build may have left the spare half updated; one more build puts it right:
    // live and spare are then the two sites.
    build(&roots[1 - other], &out);
    assert!(snapshot(&out) == *then);
    assert!(snapshot(&parent.join(SPARE)) == *now);
    assert_eq!(leftovers(&parent), Vec::<String>::new());
    assert!(manifests(&parent) <= 2);
}
