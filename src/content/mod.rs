//! The content of a directory: its groups and stories, read from files and checked.
//!
//! `Content::load` reads every file under `content/`, parses each one on its own (so a
//! broken file never hides the problems in another), then checks what spans files:
//! duplicate names, stories naming groups that do not exist.

pub mod areas;
pub mod check;
pub mod front_matter;
pub mod group;
pub mod help;
pub mod markdown;
pub mod namesakes;
pub mod story;
pub mod translation;
pub mod yaml_guard;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
pub use group::{Group, Status};
pub use story::{Story, StoryText};
pub use translation::GroupText;

/// Files larger than this are refused before parsing: no honest group record is this big.
pub const MAX_FILE_BYTES: u64 = 256 * 1024;

/// All groups and stories of a directory, sorted by slug.
#[derive(Debug, Clone, Default)]
pub struct Content {
    /// Groups, sorted by slug.
    pub groups: Vec<Group>,
    /// Stories, newest first.
    pub stories: Vec<Story>,
}

/// Reads a user's text file: refuses huge files, reports bad UTF-8 with its position,
/// drops a byte-order mark. `display` is the path to name in messages.
///
/// A link is refused here too, before anything is read (the folders on the way were
/// checked by [`crate::tree`] when the file was found).
pub fn read_text(path: &Path, display: &Path) -> Result<String, Diagnostic> {
    let meta = std::fs::symlink_metadata(path)
        .map_err(|e| Diagnostic::error(display, (0, 0), format!("cannot read the file: {e}")))?;
    if meta.file_type().is_symlink() {
        return Err(crate::tree::link_error(display));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            display,
            (0, 0),
            format!(
                "the file is {} KB; the most a content file may be is {} KB",
                meta.len() / 1024,
                MAX_FILE_BYTES / 1024
            ),
        )
        .with_hint(if path.extension().is_some_and(|e| e == "md") {
            "a story is a page or two of text; split a longer one into several stories"
        } else {
            "a group record is a few lines; put long text in a story"
        }));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::error(display, (0, 0), format!("cannot read the file: {e}")))?;
    text_from_bytes(display, bytes)
}

/// Decodes file bytes as UTF-8 text without a byte-order mark and with `\n` line endings,
/// pointing at the first bad byte if it is not UTF-8.
pub fn text_from_bytes(display: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..3);
            }
            // One kind of line ending from here on. A lone CR (old Mac files, or a
            // stray one pasted in) ends a line for the YAML parser but not for
            // `str::lines`, so without this a message could name a line number past
            // the end of the file as everything else counts it (found by cargo fuzz).
            if s.contains('\r') {
                s = s.replace("\r\n", "\n").replace('\r', "\n");
            }
            Ok(s)
        }
        Err(e) => {
            let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
            let col = good.len() - good.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1) + 1;
            Err(
                Diagnostic::error(display, (line, col), "the file is not valid UTF-8 text")
                    .with_hint("save the file as UTF-8 in your editor"),
            )
        }
    }
}

/// Lists the files with one of the extensions `exts` directly inside `root/rel_dir`,
/// sorted, or none if the folder is missing; a link or a badly named file there is a
/// problem (see [`crate::tree::files`]).
pub fn files_in(root: &Path, rel_dir: &str, exts: &[&str]) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let (mut out, problems) = crate::tree::files(root, Path::new(rel_dir), false, |p| {
        p.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| exts.contains(&e))
    });
    out.sort();
    (out, problems)
}

impl Content {
    /// Reads and checks every group and story under `root/content`.
    pub fn load(root: &Path, config: &Config) -> (Content, Vec<Diagnostic>) {
        let rel = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();
        let group_dir = root.join("content/groups");
        let (group_files, mut problems) = files_in(root, "content/groups", &["yaml", "yml"]);
        let parsed = read_and_parse(&group_files, |path| read_group(path, &rel(path), config));
        let mut groups = Vec::new();
        for (g, ds) in parsed {
            problems.extend(ds);
            groups.extend(g);
        }

        // Duplicate slugs (a.yaml and a.yml).
        let mut by_slug: HashMap<String, PathBuf> = HashMap::new();
        groups.retain(|g| {
            let path = group_dir.join(format!("{}.yaml", g.slug));
            if let Some(first) = by_slug.get(&g.slug) {
                problems.push(
                    Diagnostic::error(
                        &rel(&path),
                        (0, 0),
                        format!("two files give the group slug `{}`", g.slug),
                    )
                    .with_hint(format!("{} has the same name; remove one", first.display())),
                );
                return false;
            }
            by_slug.insert(g.slug.clone(), rel(&path));
            true
        });
        // One name twice near each other is one group twice (`namesakes`); the second
        // file, in slug order, is the one named.
        groups.sort_by(|a, b| a.slug.cmp(&b.slug));
        for (i, j, why) in namesakes::clashes(&groups) {
            let (first, g) = (&groups[i], &groups[j]);
            let file = group_file(root, &group_files, &g.slug);
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            problems.push(Diagnostic::error(&rel(&file), crate::diagnostics::locate(&text, &["name"], None),
                format!("the name `{}` is already used by the group `{}` nearby ({why})", g.name, first.slug))
                .with_hint("if it is the same group, keep one file; if not, make the names tell them apart (add the place)"));
        }
        namesakes::place_hints(&mut groups);

        let (mut story_files, story_problems) = files_in(root, "content/stories", &["md"]);
        problems.extend(story_problems);
        // `x.cy.md` is the Welsh of `x.md`, never a story of its own.
        let translated_files: Vec<PathBuf> = story_files
            .iter()
            .filter(|p| stem(p).contains('.'))
            .cloned()
            .collect();
        story_files.retain(|p| !stem(p).contains('.'));
        let parsed = read_and_parse(&story_files, |path| {
            let display = rel(path);
            read_then(path, &display, |text| {
                Story::parse(&display, stem(path), text)
            })
        });
        let mut stories = Vec::new();
        for (s, ds) in parsed {
            problems.extend(ds);
            stories.extend(s);
        }
        let file_stems: std::collections::HashSet<&str> =
            group_files.iter().map(|p| stem(p)).collect();
        for s in &stories {
            for (g, at) in s.groups.iter().zip(&s.group_lines) {
                // A group whose file is there but has errors is not missing: its own
                // errors say what to fix, and a second error here would send the
                // volunteer to the story instead.
                let has_file = file_stems.contains(g.as_str());
                if !by_slug.contains_key(g) && !has_file {
                    let hint = match crate::diagnostics::did_you_mean(
                        g,
                        by_slug.keys().map(String::as_str),
                    ) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None => "use the group's file name without .yaml".to_string(),
                    };
                    problems.push(
                        Diagnostic::error(
                            &PathBuf::from(format!("content/stories/{}.md", s.slug)),
                            *at,
                            format!("the story names the group `{g}`, which does not exist"),
                        )
                        .with_hint(hint),
                    );
                }
            }
        }
        // A closed group's successor must be a group of this directory.
        for g in &groups {
            let Some((next, at)) = &g.succeeded_by else {
                continue;
            };
            if !by_slug.contains_key(next) && !file_stems.contains(next.as_str()) {
                let hint = match crate::diagnostics::did_you_mean(
                    next,
                    by_slug.keys().map(String::as_str),
                ) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => "use the successor's file name without .yaml".to_string(),
                };
                let file = group_file(root, &group_files, &g.slug);
                problems.push(
                    Diagnostic::error(
                        &rel(&file),
                        *at,
                        format!("succeeded_by names the group `{next}`, which does not exist"),
                    )
                    .with_hint(hint),
                );
            }
        }
        let story_stems: std::collections::HashSet<&str> =
            story_files.iter().map(|p| stem(p)).collect();
        problems.extend(story_translations(
            &translated_files,
            &mut stories,
            &story_stems,
            config,
            &rel,
        ));
        stories.sort_by(|a, b| b.date.cmp(&a.date).then(a.slug.cmp(&b.slug)));
        (Content { groups, stories }, problems)
    }
}

/// Reads and checks the translated story files (`x.cy.md`) and attaches each to its
/// English story; `story_stems` are the English files found, loaded or not (one with
/// errors is not missing: its own errors say what to fix).
fn story_translations(
    files: &[PathBuf],
    stories: &mut [Story],
    story_stems: &std::collections::HashSet<&str>,
    config: &Config,
    rel: &(dyn Fn(&Path) -> PathBuf + Sync),
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let parsed = read_and_parse(files, |path| {
        let display = rel(path);
        let (slug, code) = stem(path).rsplit_once('.').unwrap_or_default();
        let mut ds = Vec::new();
        match translation::check_code(code, config, &display, (0, 0), &mut ds) {
            Err((msg, hint)) => {
                ds.push(
                    Diagnostic::error(&display, (0, 0), format!("{msg}, so this is not a translation of `{slug}.md`"))
                        .with_hint(format!("{hint}; a story's translation is named <story>.<code>.md, like {slug}.cy.md")),
                );
                return (None, ds);
            }
            Ok(false) => return (None, ds),
            Ok(true) => {}
        }
        if !story_stems.contains(slug) {
            let hint = match crate::diagnostics::did_you_mean(slug, story_stems.iter().copied()) {
                Some(best) => format!("did you mean `{best}.{code}.md`?"),
                None => "name a translation after its English story's file: <story>.<code>.md"
                    .to_string(),
            };
            ds.push(
                Diagnostic::error(
                    &display,
                    (0, 0),
                    format!("this translates the story `{slug}`, which does not exist"),
                )
                .with_hint(hint),
            );
            return (None, ds);
        }
        let (text, more) = read_then(path, &display, |text| StoryText::parse(&display, text));
        ds.extend(more);
        (text.map(|t| (slug.to_string(), code.to_string(), t)), ds)
    });
    for (text, ds) in parsed {
        problems.extend(ds);
        let Some((slug, code, text)) = text else {
            continue;
        };
        if let Some(story) = stories.iter_mut().find(|s| s.slug == slug) {
            story.translations.insert(code, text);
        }
    }
    problems
}

/// Reads and checks one group file (`display` is its path as messages show it); its
/// slug is the file name without the extension.
pub fn read_group(
    path: &Path,
    display: &Path,
    config: &Config,
) -> (Option<Group>, Vec<Diagnostic>) {
    read_then(path, display, |text| {
        Group::parse(display, stem(path), text, config)
    })
}

/// Reads a content file and hands its text to `parse`; a file that cannot be read is
/// its one problem.
fn read_then<T>(
    path: &Path,
    display: &Path,
    parse: impl FnOnce(&str) -> (Option<T>, Vec<Diagnostic>),
) -> (Option<T>, Vec<Diagnostic>) {
    match read_text(path, display) {
        Ok(text) => parse(&text),
        Err(d) => (None, vec![d]),
    }
}

/// A content file's name without its extension: the group's or story's slug.
fn stem(path: &Path) -> &str {
    path.file_stem().and_then(|s| s.to_str()).unwrap_or("")
}

/// How many files [`read_and_parse`] asks the disk for at once.
const READS_AT_ONCE: usize = 8;

/// Runs `each_file` on every path (the caller reads the file there with [`read_text`]
/// and parses it), several files at a time; the results are in the order of `paths`.
///
/// Reading is waiting, not computing. Just after a boot or a fresh clone nothing is in
/// the page cache, and a disk answers several requests together about as fast as one:
/// reading the 6,000 content files of the 5,000-group bench directory (`xargs -P`,
/// `cat`) took 2.0 s two at a time (one per core), 0.23-0.27 s eight at a time, and no
/// less with 16 or 32. So this runs on a pool of its own, wider than the cores. Each
/// file is parsed by the thread that read it, which frees its text at once, so only a
/// few texts are in memory at a time (reading every file before parsing any added
/// 165 MB to a 50,000-group build's peak). Each thread keeps allocator pages of its own,
/// so the pool is no wider than it needs to be (32 threads held 70-85 MB more than 8).
pub fn read_and_parse<T: Send>(paths: &[PathBuf], each_file: impl Fn(&Path) -> T + Sync) -> Vec<T> {
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    let each = || -> Vec<T> { paths.par_iter().map(|p| each_file(p)).collect() };
    let pool = POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(READS_AT_ONCE)
            .thread_name(|i| format!("aidmap-read-{i}"))
            .build()
            .ok()
    });
    match pool {
        Some(pool) if paths.len() > 1 => pool.install(each),
        _ => each(),
    }
}

/// Two groups whose names give the same key are one name twice (case, spaces and
/// punctuation aside).
pub fn name_key(name: &str) -> String {
    name.to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

fn group_file(root: &Path, files: &[PathBuf], slug: &str) -> PathBuf {
    files
        .iter()
        .find(|p| p.file_stem().and_then(|s| s.to_str()) == Some(slug))
        .cloned()
        .unwrap_or_else(|| root.join(format!("content/groups/{slug}.yaml")))
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    #[test]
    fn files_read_many_at_a_time_come_back_in_order_with_their_own_problems() {
        let dir = tempfile::tempdir().unwrap();
        let paths: Vec<PathBuf> = (0..200)
            .map(|i| {
                let p = dir.path().join(format!("g{i:03}.yaml"));
                let bytes = if i == 137 {
                    b"name: caf\xe9\n".to_vec()
                } else {
                    format!("name: Group {i}\n").into_bytes()
                };
                std::fs::write(&p, bytes).unwrap();
                p
            })
            .chain([dir.path().join("missing.yaml")])
            .collect();
        let shown = |p: &Path| PathBuf::from(p.file_name().unwrap());
        let texts = super::read_and_parse(&paths, |p| super::read_text(p, &shown(p)));
        assert_eq!(texts.len(), 201);
        for (i, text) in texts.iter().enumerate().take(200) {
            if i == 137 {
                let d = text.as_ref().unwrap_err();
                assert_eq!(d.path, Path::new("g137.yaml"));
                assert_eq!((d.line, d.column), (1, 10));
            } else {
                assert_eq!(text.as_ref().unwrap(), &format!("name: Group {i}\n"));
            }
        }
        let missing = texts[200].as_ref().unwrap_err();
        assert_eq!(missing.path, Path::new("missing.yaml"));
        assert!(missing.message.contains("cannot read the file"));
    }

    #[test]
    fn line_endings_become_newlines_and_the_bom_goes() {
        let text = super::text_from_bytes(
            Path::new("g.yaml"),
            b"\xef\xbb\xbfa: 1\r\nb: 2\rc: 3\n".to_vec(),
        )
        .unwrap();
        assert_eq!(text, "a: 1\nb: 2\nc: 3\n");
    }
}
