//! Finding the directory's own files: never through a link, never outside the root.
//!
//! Everything aidmap reads from a directory (site.yaml, `content/`, `i18n/`, `static/`,
//! `themes/<name>/`) arrives by pull request from strangers, and a pull request can add a
//! symbolic link as easily as a file. A link to `~/.ssh` or to the runner's `.git/config`
//! would publish its target, and a `site.yaml` linked to a key would print it in a CI log.
//! So every path is looked at with `symlink_metadata`, component by component from the
//! root, before anything is read: a link anywhere is a located error, never followed and
//! never skipped in silence. File names are checked too: one with a control character
//! could forge lines in a CI log (see `diagnostics::visible`).

use std::path::{Component, Path, PathBuf};

use crate::diagnostics::Diagnostic;

/// Checks that `rel` (a path under `root`) and every folder on the way to it are real
/// files and folders, not links. A path that does not exist is fine: the caller decides
/// whether that matters.
pub fn check_inside(root: &Path, rel: &Path) -> Result<(), Diagnostic> {
    let mut at = root.to_path_buf();
    let mut shown = PathBuf::new();
    for part in rel.components() {
        match part {
            Component::Normal(name) => {
                at.push(name);
                shown.push(name);
            }
            Component::CurDir => continue,
            _ => {
                return Err(Diagnostic::error(
                    rel,
                    (0, 0),
                    "this path leaves the directory, so it is not read",
                ))
            }
        }
        match std::fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => return Err(link_error(&shown)),
            Ok(_) => {}
            Err(_) => return Ok(()),
        }
    }
    Ok(())
}

/// The error for a symbolic link found at `shown` (a path relative to the root).
pub fn link_error(shown: &Path) -> Diagnostic {
    Diagnostic::error(
        shown,
        (0, 0),
        "this is a symbolic link; aidmap never follows links in a directory, so that nothing from outside it can be read or published",
    )
    .with_hint("replace the link with the file or folder itself (`git rm` the link and add the real file)")
}

/// Lists the regular files under `root/rel_dir` (only those directly inside it unless
/// `recursive`) for which `keep` is true, sorted, with a problem for every link, every
/// name that is not plain text and anything that is neither file nor folder. A missing
/// folder has no files and no problems.
pub fn files(
    root: &Path,
    rel_dir: &Path,
    recursive: bool,
    keep: impl Fn(&Path) -> bool,
) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    if let Err(d) = check_inside(root, rel_dir) {
        return (Vec::new(), vec![d]);
    }
    let dir = root.join(rel_dir);
    match std::fs::symlink_metadata(&dir) {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => {
            let d = Diagnostic::error(rel_dir, (0, 0), "this should be a folder, but it is a file")
                .with_hint("move the file into a folder of that name, or remove it");
            return (Vec::new(), vec![d]);
        }
        Err(_) => return (Vec::new(), Vec::new()),
    }
    let mut out = Vec::new();
    let walk = walkdir::WalkDir::new(&dir)
        .follow_links(false)
        .follow_root_links(false)
        .min_depth(1)
        .max_depth(if recursive { usize::MAX } else { 1 })
        .sort_by_file_name();
    for entry in walk {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let at = e.path().unwrap_or(&dir);
                let shown = at.strip_prefix(root).unwrap_or(at);
                problems.push(Diagnostic::error(
                    shown,
                    (0, 0),
                    format!("cannot read this: {e}"),
                ));
                continue;
            }
        };
        let shown = entry.path().strip_prefix(root).unwrap_or(entry.path());
        if let Err(d) = plain_name(shown) {
            problems.push(d);
            continue;
        }
        let kind = entry.file_type();
        if kind.is_symlink() {
            problems.push(link_error(shown));
        } else if kind.is_file() {
            if keep(entry.path()) {
                out.push(entry.into_path());
            }
        } else if !kind.is_dir() {
            problems.push(Diagnostic::error(
                shown,
                (0, 0),
                "this is neither a file nor a folder (a device, socket or pipe), so it is not read",
            ));
        }
    }
    (out, problems)
}

/// Checks that the last part of a path is a name a site can publish and a log can print:
/// UTF-8, without control or direction-changing characters.
fn plain_name(shown: &Path) -> Result<(), Diagnostic> {
    let Some(name) = shown.file_name() else {
        return Ok(());
    };
    let bad = match name.to_str() {
        None => Some("is not UTF-8 text"),
        Some(n)
            if n.chars()
                .any(|c| c.is_control() || crate::content::check::is_bidi_control(c)) =>
        {
            Some("has a control character in it (a line break, tab or escape)")
        }
        Some(_) => None,
    };
    match bad {
        Some(why) => Err(Diagnostic::error(
            shown,
            (0, 0),
            format!("the file name {why}, which could disguise it or forge lines in a log"),
        )
        .with_hint("rename the file with letters, digits, dashes and dots only")),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[cfg(unix)]
    #[test]
    fn links_anywhere_are_errors_and_never_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        let outside = tmp.path().join("secret");
        std::fs::create_dir_all(root.join("content/groups")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("id.yaml"), "key").unwrap();
        std::fs::write(root.join("content/groups/a.yaml"), "name: A").unwrap();
        std::os::unix::fs::symlink(outside.join("id.yaml"), root.join("content/groups/b.yaml"))
            .unwrap();
        std::os::unix::fs::symlink(&outside, root.join("static")).unwrap();

        let (found, problems) = super::files(&root, Path::new("content/groups"), false, |_| true);
        assert_eq!(found, vec![root.join("content/groups/a.yaml")]);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].path, Path::new("content/groups/b.yaml"));
        assert!(problems[0].message.contains("symbolic link"));

        let (found, problems) = super::files(&root, Path::new("static"), true, |_| true);
        assert!(found.is_empty());
        assert_eq!(problems[0].path, Path::new("static"));
        let d = super::check_inside(&root, Path::new("static/id.yaml")).unwrap_err();
        assert_eq!(d.path, Path::new("static"));
    }

    #[cfg(unix)]
    #[test]
    fn a_name_with_a_line_break_is_an_error() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("static")).unwrap();
        std::fs::write(tmp.path().join("static/a\n::notice::x.txt"), "x").unwrap();
        let (found, problems) = super::files(tmp.path(), Path::new("static"), true, |_| true);
        assert!(found.is_empty());
        assert!(problems[0].message.contains("control character"));
    }
}
