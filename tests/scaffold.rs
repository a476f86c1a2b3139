//! `aidmap init` and `aidmap new`: what they write, and that it checks as promised.

mod common;

use common::run;

fn text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn init_makes_a_directory_that_checks_and_builds_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("newsite");
    let out = run(&["init", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    for f in [
        "site.yaml",
        "content/groups/example-street-helpers.yaml",
        "content/stories/.gitkeep",
        "netlify.toml",
        ".github/workflows/check.yml",
        ".github/pull_request_template.md",
        "CONTRIBUTING.md",
    ] {
        assert!(dir.join(f).is_file(), "{f} missing");
    }
    let workflow = std::fs::read_to_string(dir.join(".github/workflows/check.yml")).unwrap();
    assert!(workflow.contains("pull_request"));
    assert!(workflow.contains("aidmap check --format github"));
    let template = std::fs::read_to_string(dir.join(".github/pull_request_template.md")).unwrap();
    assert!(template.contains("private mobile"));

    let check = run(&["check", "--root", dir.to_str().unwrap()]);
    assert!(check.status.success(), "{}", text(&check));
    assert!(text(&check).contains("ok: 1 group, 0 stories checked, 0 warnings"));
    let out_dir = tmp.path().join("public");
    let build = run(&[
        "build",
        "--root",
        dir.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert!(build.status.success(), "{}", text(&build));
    assert!(out_dir.join("schema/group.schema.json").is_file());
    assert!(out_dir.join("organisers/index.html").is_file());
    // The live-reload script belongs to `serve` only.
    let home = std::fs::read_to_string(out_dir.join("index.html")).unwrap();
    assert!(!home.contains("__aidmap"));

    // A second init into the same, now non-empty, folder is refused.
    let again = run(&["init", dir.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
    assert!(text(&again).contains("is not empty"));
}

#[test]
fn new_files_fail_check_until_filled_in() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    assert!(run(&["init", dir.to_str().unwrap()]).status.success());
    let root = dir.to_str().unwrap();

    let out = run(&["new", "group", "Thorpe Neighbours", "--root", root]);
    assert!(out.status.success(), "{}", text(&out));
    let group = dir.join("content/groups/thorpe-neighbours.yaml");
    let src = std::fs::read_to_string(&group).unwrap();
    assert_eq!(
        src.lines().next(),
        Some("# yaml-language-server: $schema=https://example.org/schema/group.schema.json")
    );
    assert!(src.contains("name: \"Thorpe Neighbours\""));
    assert!(
        src.contains("\nadded: 2026-11-22\n"),
        "added is today's date"
    );

    let out = run(&["new", "story", "A day in Thorpe", "--root", root]);
    assert!(out.status.success(), "{}", text(&out));
    let story = dir.join("content/stories/a-day-in-thorpe.md");

    // Never overwrite.
    let again = run(&["new", "group", "Thorpe Neighbours", "--root", root]);
    assert_eq!(again.status.code(), Some(2));
    assert!(text(&again).contains("already exists"));
    assert_eq!(std::fs::read_to_string(&group).unwrap(), src);

    let check = run(&["check", "--root", root]);
    assert_eq!(check.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&check.stderr),
        "\
content/groups/thorpe-neighbours.yaml:12:1: error: summary: this must not be empty
content/groups/thorpe-neighbours.yaml:16:9: error: `FILL IN` is not a postcode district or sector
  = hint: write a district like NR2 or a sector like \"NR3 1\" (in quotes); the district is the first half of a postcode
content/groups/thorpe-neighbours.yaml:29:10: error: `FILL IN` is not a phone number: it has the character `F`
  = hint: write a UK number with its area code, in quotes, like \"01632 960123\"
content/groups/thorpe-neighbours.yaml:43:15: error: `FILL IN` is not a date; write it as YYYY-MM-DD, like 2026-10-01
content/stories/a-day-in-thorpe.md:6:7: error: `FILL IN` is not a date; write it as YYYY-MM-DD, like 2026-10-01
5 errors, 0 warnings
"
    );

    // Fill in the placeholders the way a volunteer would.
    let filled = src
        .replace(
            "summary: \"\"",
            "summary: \"Neighbours in Thorpe helping with shopping.\"",
        )
        .replace("areas: [\"FILL IN\"]", "areas: [NR7, \"NR13 5\"]")
        .replace("phone: \"FILL IN\"", "phone: \"01632 960321\"")
        .replace("last_checked: \"FILL IN\"", "last_checked: 2026-11-22");
    std::fs::write(&group, filled).unwrap();
    let story_src = std::fs::read_to_string(&story).unwrap();
    std::fs::write(
        &story,
        story_src
            .replace("date: \"FILL IN\"", "date: 2026-11-21")
            .replace("groups: []", "groups: [thorpe-neighbours]"),
    )
    .unwrap();
    let check = run(&["check", "--root", root]);
    assert!(check.status.success(), "{}", text(&check));
    assert!(text(&check).contains("ok: 2 groups, 1 story checked, 0 warnings"));
}

/// A workflow step: its name, its `run:` script and its `env:`.
type Step = (String, String, Vec<(String, String)>);

/// The `run:` steps of one job of a workflow `aidmap init` wrote, with their `env:`.
fn workflow_steps(path: &std::path::Path, job: &str) -> Vec<Step> {
    let text = std::fs::read_to_string(path).unwrap();
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let steps = doc["jobs"][job]["steps"].as_sequence().expect("steps");
    steps
        .iter()
        .filter_map(|step| {
            let run = step.get("run")?.as_str()?.to_string();
            let name = step
                .get("name")
                .and_then(|n| n.as_str())
                .unwrap_or("")
                .to_string();
            let env = step
                .get("env")
                .and_then(|e| e.as_mapping())
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| {
                            let v = v.as_str().map(str::to_string).unwrap_or_default();
                            (k.as_str().unwrap().to_string(), v)
                        })
                        .collect()
                })
                .unwrap_or_default();
            Some((name, run, env))
        })
        .collect()
}

/// Runs a shell command as GitHub Actions runs a `run:` step (`bash -e`), with `cargo`
/// standing in for the install: it checks its arguments are the install from the
/// recorded source and puts the aidmap under test on PATH.
fn run_step(
    dir: &std::path::Path,
    bin: &std::path::Path,
    run: &str,
    env: &[(String, String)],
) -> Output {
    let path = format!("{}:/usr/local/bin:/usr/bin:/bin", bin.display());
    let mut c = std::process::Command::new("bash");
    c.arg("-e").arg("-c").arg(run).current_dir(dir).env_clear();
    c.env("PATH", path)
        .env("HOME", dir)
        .env("AIDMAP_REAL", env!("CARGO_BIN_EXE_aidmap"));
    c.env("SHIM_BIN", bin);
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

use std::process::Output;

#[test]
fn init_workflows_and_netlify_commands_run_as_written() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    let rev = "0123456789abcdef0123456789abcdef01234567";
    let out = run(&[
        "init",
        dir.to_str().unwrap(),
        "--aidmap-source",
        "git@github.com:someone/aidmap.git",
        "--aidmap-rev",
        rev,
    ]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains(&format!(
        "install aidmap from https://github.com/someone/aidmap at {rev} (.aidmap-version)"
    )));
    let version = std::fs::read_to_string(dir.join(".aidmap-version")).unwrap();
    assert!(version.contains(&format!(
        "source = https://github.com/someone/aidmap\nrev = {rev}\n"
    )));
    // Nothing that can only fail: no placeholder address anywhere init writes.
    for f in [
        "netlify.toml",
        ".github/workflows/check.yml",
        ".github/workflows/intake.yml",
        ".github/workflows/keep-alive.yml",
    ] {
        let t = std::fs::read_to_string(dir.join(f)).unwrap();
        assert!(!t.contains("OWNER") && !t.contains("TODO"), "{f}");
    }

    // `cargo` as the runner would find it: only the exact install is accepted.
    let bin = tmp.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let shim = bin.join("cargo");
    std::fs::write(
        &shim,
        format!(
            "#!/bin/sh\n[ \"$*\" = \"install --locked --git https://github.com/someone/aidmap --rev {rev} aidmap\" ] \
             || {{ echo \"unexpected: cargo $*\" >&2; exit 3; }}\ncp \"$AIDMAP_REAL\" \"$SHIM_BIN/aidmap\"\n"
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(&shim, std::fs::Permissions::from_mode(0o755)).unwrap();

    // check.yml: every step, in order.
    let steps = workflow_steps(&dir.join(".github/workflows/check.yml"), "check");
    assert_eq!(steps.len(), 2, "{steps:?}");
    for (name, run, env) in &steps {
        let out = run_step(&dir, &bin, run, env);
        assert!(
            out.status.success(),
            "check.yml step {name}: {}",
            text(&out)
        );
    }
    assert!(bin.join("aidmap").is_file());

    // intake.yml: the install and the step that reads a submission.
    let runner = tmp.path().join("runner");
    std::fs::create_dir(&runner).unwrap();
    let outputs = runner.join("outputs");
    let body = std::fs::read_to_string("tests/fixtures/intake/cases/new-group.md").unwrap();
    let steps = workflow_steps(&dir.join(".github/workflows/intake.yml"), "intake");
    for (name, run, env) in steps.iter().take(2) {
        let mut env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| match k.as_str() {
                "BODY" => (k.clone(), body.clone()),
                _ => (k.clone(), v.clone()),
            })
            .collect();
        env.push(("RUNNER_TEMP".into(), runner.display().to_string()));
        env.push(("GITHUB_OUTPUT".into(), outputs.display().to_string()));
        let out = run_step(&dir, &bin, run, &env);
        assert!(
            out.status.success(),
            "intake.yml step {name}: {}",
            text(&out)
        );
    }
    assert_eq!(std::fs::read_to_string(&outputs).unwrap(), "result=ok\n");
    assert!(dir.join("content/groups/sprowston-helpers.yaml").is_file());

    // netlify.toml's build command builds the site into public/.
    std::fs::remove_file(bin.join("aidmap")).unwrap();
    let netlify = std::fs::read_to_string(dir.join("netlify.toml")).unwrap();
    let command = netlify
        .lines()
        .find_map(|l| l.trim().strip_prefix("command = \""))
        .and_then(|l| l.strip_suffix('"'))
        .expect("a build command");
    let out = run_step(&dir, &bin, command, &[]);
    assert!(out.status.success(), "netlify command: {}", text(&out));
    assert!(dir.join("public/index.html").is_file());
    assert!(dir
        .join("public/groups/sprowston-helpers/index.html")
        .is_file());
}

#[test]
fn init_without_a_known_source_says_what_to_fill_in_and_its_install_step_says_why() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    let out = run(&["init", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    let version = std::fs::read_to_string(dir.join(".aidmap-version")).unwrap();
    if version.contains("\nsource = \n") {
        assert!(text(&out).contains("put its git address and commit in"));
        let out = run_step(&dir, tmp.path(), "sh scripts/install-aidmap", &[]);
        assert_eq!(out.status.code(), Some(1));
        assert!(
            text(&out).contains("::error file=.aidmap-version::"),
            "{}",
            text(&out)
        );
    } else {
        // This aidmap was built from a clone with a public address: init used it.
        assert!(text(&out).contains("install aidmap from"));
    }
}
