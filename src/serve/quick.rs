//! The quick path of `aidmap serve`: a saved group file shows in the browser before the
//! rest of the site is rebuilt.
//!
//! Editing one group changes its own page and leaflets, and also every list, district
//! page, search shard and export that mentions it: a full rebuild of a 5,000-group
//! directory takes seconds. So when every changed file is an existing group's YAML and
//! each still checks clean, the group is re-read on its own, its page and leaflets are
//! rendered from the last build's loaded site (its map and QR codes come from the cache)
//! and swapped into the served site at once. The full rebuild follows straight after
//! and replaces everything; any other change, or a file with errors, goes straight to
//! the full rebuild, which reports the errors as `aidmap check` does.

use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::cache::BuildCache;
use crate::content::{self, check, Group};
use crate::leaflet;
use crate::output::Output;
use crate::render::{self, maps::Maps, views::GroupView};
use crate::site::Site;

/// The last site that built, with its compiled templates, for the quick path.
pub struct Loaded {
    /// Settings, content, theme and leaflet words as the last good build loaded them.
    pub site: Site,
    /// The theme's templates, compiled.
    pub tera: tera::Tera,
    /// What that build made, for the summary line.
    pub stats: crate::site::BuildStats,
}

/// The slug of a changed group file, when `rel` (relative to the root) is one.
fn group_slug(rel: &Path) -> Option<&str> {
    let mut parts = rel.components().map(|c| c.as_os_str().to_str());
    if parts.next()?? != "content" || parts.next()?? != "groups" {
        return None;
    }
    let name = parts.next()??;
    if parts.next().is_some() {
        return None;
    }
    name.strip_suffix(".yaml")
        .or_else(|| name.strip_suffix(".yml"))
}

/// Re-reads the changed groups and renders their pages and leaflets into a fresh
/// `Output`, or returns `None` when the change needs the full rebuild (not only existing
/// groups' files, a file with errors, a name another group already has, a template
/// error). `loaded` takes the new groups either way: the full rebuild replaces it.
pub fn update_groups(
    root: &Path,
    loaded: &mut Loaded,
    cache: &BuildCache,
    changed: &[PathBuf],
) -> Option<Output> {
    let mut touched = Vec::new();
    for rel in changed {
        let slug = group_slug(rel)?;
        let i = loaded
            .site
            .content
            .groups
            .binary_search_by(|g| g.slug.as_str().cmp(slug))
            .ok()?;
        let group = reparse(root, rel, &loaded.site)?;
        let key = content::name_key(&group.name);
        let taken = loaded
            .site
            .content
            .groups
            .iter()
            .enumerate()
            .any(|(j, g)| j != i && content::name_key(&g.name) == key);
        if taken {
            return None;
        }
        loaded.site.content.groups[i] = group;
        touched.push(i);
    }
    render_groups(loaded, cache, &touched).ok()
}

/// One group file, read and checked; `None` when it has errors.
fn reparse(root: &Path, rel: &Path, site: &Site) -> Option<Group> {
    let (group, problems) = content::read_group(&root.join(rel), rel, &site.config);
    if problems
        .iter()
        .any(|d| d.severity == crate::diagnostics::Severity::Error)
    {
        return None;
    }
    group
}

/// Renders the pages and leaflets of groups `touched` (indices in content order).
fn render_groups(loaded: &Loaded, cache: &BuildCache, touched: &[usize]) -> Result<Output> {
    let site = &loaded.site;
    let today = check::today();
    let data: Vec<_> = site
        .langs
        .iter()
        .map(|lang| render::pages::prepare_stories(&site.config, &site.content, lang, &site.langs))
        .collect();
    let no_maps = Maps::default();
    let input = site.render_input(today, &no_maps, &[]);
    let leaflets = site.leaflet_inputs(&cache.qr);
    let sink = std::sync::Mutex::new(Output::default());
    for &i in touched {
        let map = render::maps::group_map(&site.content, &site.config, cache, i);
        // The group's page and its sheets page (with its page-mates) in every
        // language, as the whole build makes them.
        let mut jobs = Vec::new();
        for d in &data {
            let view = GroupView::new(&site.content.groups[i], &site.config, today, d.lang);
            jobs.push(render::pages::group_job(&input, d, &view, i, Some(&map)));
        }
        if let Some(page) = data[0].leaflets.page_of(i) {
            for (d, input) in data.iter().zip(&leaflets) {
                let views: Vec<GroupView> = page
                    .members
                    .iter()
                    .map(|&k| GroupView::new(&site.content.groups[k], &site.config, today, d.lang))
                    .collect();
                let views: Vec<&GroupView> = views.iter().collect();
                jobs.push(leaflet::sheets::page_job(&loaded.tera, input, page, &views)?.0);
            }
        }
        render::render_into(&loaded.tera, jobs, &sink)?;
    }
    Ok(sink.into_inner().unwrap_or_else(|p| p.into_inner()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_group_files_take_the_quick_path() {
        assert_eq!(
            group_slug(Path::new("content/groups/nr2-helpers.yaml")),
            Some("nr2-helpers")
        );
        assert_eq!(group_slug(Path::new("content/groups/x.yml")), Some("x"));
        for other in [
            "content/stories/x.md",
            "content/groups/sub/x.yaml",
            "site.yaml",
            "themes/default/templates/group.html",
            "content/groups/x.txt",
        ] {
            assert_eq!(group_slug(Path::new(other)), None, "{other}");
        }
    }
}
