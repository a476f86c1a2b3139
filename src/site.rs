//! A directory on disk and the build pipeline, step by step.
//!
//! `Site::load` reads and checks everything (config, content, theme) and keeps every
//! problem; `Site::build_into` turns a clean site into files handed to a `Sink` as they
//! are made: maps -> pages -> each group's page and leaflets, and beside them search ->
//! open data -> assets -> schemas. Nothing is written here: the sink (`output.rs`) does
//! that, so `build` (to disk) and `serve` (in memory) share the same pipeline.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use anyhow::{Context as _, Result};
use rayon::prelude::*;

use crate::cache::BuildCache;
use crate::config::Config;
use crate::content::{self, check, Content};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::leaflet::{self, Strings};
use crate::output::{Output, Sink};
use crate::render::{self, pages::RenderInput, Theme};

/// A loaded directory: settings, content and theme, plus every problem found.
pub struct Site {
    /// The directory's folder.
    pub root: PathBuf,
    /// Settings from site.yaml.
    pub config: Config,
    /// Groups and stories.
    pub content: Content,
    /// Templates and static files.
    pub theme: Theme,
    /// Leaflet words in each language leaflets can be printed in.
    pub strings: Strings,
    /// The languages the site is built in, the default first, with their words.
    pub langs: Vec<crate::i18n::Lang>,
    /// The site's own `static/` files: (address in the site, file on disk), checked.
    pub static_files: Vec<(String, PathBuf)>,
    /// Every problem found while loading.
    pub diagnostics: Diagnostics,
    /// The last `aidmap check --links` results (`.aidmap-cache/links.json`), for the
    /// organisers' page; empty when links were never checked here.
    pub link_cache: std::collections::BTreeMap<String, crate::links::Checked>,
}

/// Options that change a build without changing the content.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Publish under this address instead of site.yaml's `base_url`.
    pub base_url: Option<String>,
}

/// What a build made, for the summary line.
#[derive(Debug, Clone)]
pub struct BuildStats {
    /// Groups built.
    pub groups: usize,
    /// Stories built.
    pub stories: usize,
    /// HTML pages written.
    pub pages: usize,
    /// All files written.
    pub files: usize,
    /// Bytes written.
    pub bytes: usize,
    /// The files by kind, size and folder (the summary, the host check).
    pub tally: crate::output::tally::Tally,
}

impl Site {
    /// Reads and checks a directory. Never fails on bad content: problems are collected in
    /// `diagnostics`; only a missing folder is an `Err`.
    pub fn load(root: &Path, options: &BuildOptions) -> Result<Site> {
        if !root.is_dir() {
            anyhow::bail!("{} is not a folder", root.display());
        }
        let mut diagnostics = Diagnostics::default();
        let config_path = root.join("site.yaml");
        let config_link = crate::tree::check_inside(root, Path::new("site.yaml")).err();
        let mut config = if let Some(d) = config_link {
            diagnostics.push(d);
            Config::fallback()
        } else if config_path.is_file() {
            match content::read_text(&config_path, Path::new("site.yaml")) {
                Ok(text) => {
                    let (config, problems) = Config::parse(Path::new("site.yaml"), &text);
                    diagnostics.extend(problems);
                    config.unwrap_or_else(Config::fallback)
                }
                Err(d) => {
                    diagnostics.push(d);
                    Config::fallback()
                }
            }
        } else {
            diagnostics.push(
                Diagnostic::error(Path::new("site.yaml"), (0, 0), "there is no site.yaml in this folder")
                    .with_hint("run `aidmap init DIR` to start a directory, or pass --root with the directory's folder"),
            );
            Config::fallback()
        };
        if let Some(base) = &options.base_url {
            config.base_url =
                check::base_url(base).map_err(|msg| anyhow::anyhow!("--base-url: {msg}"))?;
        }
        let (content, problems) = Content::load(root, &config);
        diagnostics.extend(problems);
        let (theme, problems) = Theme::load(root, &config.theme);
        diagnostics.extend(problems);
        // Compiled here as well as at build time, so `check` finds a broken template
        // (a few milliseconds).
        if let Err(ds) = theme.tera(root, &config.theme) {
            diagnostics.extend(ds);
        }
        let (strings, problems) = Strings::load(root, &theme, &config, &content.groups);
        diagnostics.extend(problems);
        diagnostics.extend(crate::i18n::check_languages(&config, &strings));
        let langs = crate::i18n::Lang::all(&config, &strings);
        let (static_files, problems) = static_folder(root, &theme, &config.languages);
        diagnostics.extend(problems);
        diagnostics.sort();
        Ok(Site {
            root: root.to_path_buf(),
            config,
            content,
            theme,
            strings,
            langs,
            static_files,
            diagnostics,
            link_cache: crate::links::cache::read(root),
        })
    }

    /// Compiles the theme's templates; a template error is one error listing every problem.
    pub fn tera(&self) -> Result<tera::Tera> {
        self.theme
            .tera(&self.root, &self.config.theme)
            .map_err(|ds| {
                let mut all = Diagnostics::default();
                all.extend(ds);
                anyhow::anyhow!(all.render_text())
            })
    }

    /// Builds the whole site in memory. Call only when `diagnostics` has no errors.
    pub fn build(&self) -> Result<(Output, BuildStats)> {
        self.build_with(&self.tera()?, &BuildCache::off())
    }

    /// Builds the whole site in memory with the compiled templates `tera` (see
    /// [`Site::tera`]), reusing what `cache` kept from the last build.
    pub fn build_with(
        &self,
        tera: &tera::Tera,
        cache: &BuildCache,
    ) -> Result<(Output, BuildStats)> {
        let sink = Mutex::new(Output::default());
        let stats = self.build_into(tera, cache, &sink)?;
        Ok((sink.into_inner().unwrap_or_else(|p| p.into_inner()), stats))
    }

    /// Builds the whole site, handing each file to `sink` as soon as it is made (so a
    /// build to disk holds only the pages in hand). Call only when `diagnostics` has no
    /// errors.
    pub fn build_into(
        &self,
        tera: &tera::Tera,
        cache: &BuildCache,
        sink: &dyn Sink,
    ) -> Result<BuildStats> {
        cache.next_generation();
        let sink = Counted::new(sink);
        // The pages, and the data files (search index, open data, assets), side by side:
        // the data files are mostly serial work that fills the cores' idle moments.
        let (pages, data) = rayon::join(
            || self.render_pages(tera, cache, &sink),
            || self.data_files(cache, &sink),
        );
        pages?;
        data?;
        Ok(BuildStats {
            groups: self.content.groups.len(),
            stories: self.content.stories.len(),
            pages: sink.pages.load(Ordering::Relaxed),
            files: sink.files.load(Ordering::Relaxed),
            bytes: sink.bytes.load(Ordering::Relaxed),
            tally: sink.tally.into_inner().unwrap_or_else(|e| e.into_inner()),
        })
    }

    /// Every HTML page, the feed and the sitemap.
    fn render_pages(&self, tera: &tera::Tera, cache: &BuildCache, sink: &dyn Sink) -> Result<()> {
        let today = check::today();
        // Geography: which groups serve each district, then the shared maps.
        let mut timer = StepTimer::new();
        let districts = cache.districts.get_or(
            || render::postcodes::cache_key(&self.content),
            || std::sync::Arc::new(render::postcodes::district_groups(&self.content)),
        );
        timer.step("district groups");
        // Once for every language: the no-JavaScript box's shortcut to the district pages,
        // where the host can (Netlify), and each language's 404 page.
        sink.put(
            "_redirects".into(),
            render::redirects::redirects(&self.config, &districts).into_bytes(),
        )?;
        let maps = render::maps::draw(&self.content, &self.config, &districts, cache);
        timer.step("maps");
        let input = self.render_input(today, &maps, &districts);
        // Every page once per language: each language's views, then its pages.
        let data: Vec<render::pages::PageData<'_>> = self
            .langs
            .iter()
            .map(|lang| {
                render::pages::prepare(&self.config, &self.content, today, lang, &self.langs)
            })
            .collect();
        for d in &data {
            render::pages::render_pages(&input, d, tera, sink).context("rendering the pages")?;
        }
        // The area and district maps are on their pages now (at 50,000 groups, 100 MB);
        // a group's page needs none of them.
        drop(maps);
        let no_maps = render::maps::Maps::default();
        let input = self.render_input(today, &no_maps, &districts);
        timer.step("pages");
        // Each group's page and leaflets together: its map is drawn, used and dropped.
        // The work goes a sheets page at a time (its groups' pages, then the page of
        // their leaflets, each in every language); a group with no leaflets is a piece
        // of work of its own.
        let leaflets = self.leaflet_inputs(&cache.qr);
        let plan = &data[0].leaflets;
        let work: Vec<(Option<&leaflet::sheets::SheetsPage>, Vec<usize>)> = plan
            .pages
            .iter()
            .map(|p| (Some(p), p.members.clone()))
            .chain(
                (0..data[0].groups.len())
                    .filter(|&i| plan.url(i).is_none())
                    .map(|i| (None, vec![i])),
            )
            .collect();
        let listing = work
            .par_iter()
            .map(|(page, members)| {
                let mut jobs = Vec::with_capacity((members.len() + 1) * data.len());
                // Each group's page in every language, its map drawn once.
                for &i in members {
                    let map = render::maps::group_map(&self.content, &self.config, cache, i);
                    for d in &data {
                        jobs.push(render::pages::group_job(
                            &input,
                            d,
                            &d.groups[i],
                            i,
                            Some(&map),
                        ));
                    }
                }
                // Each language's list sections of these groups, by language then group.
                let mut sections = vec![Vec::new(); data.len()];
                if let Some(page) = page {
                    for ((d, input), mine) in data.iter().zip(&leaflets).zip(&mut sections) {
                        let views: Vec<_> = members.iter().map(|&i| &d.groups[i]).collect();
                        let (job, listed) = leaflet::sheets::page_job(tera, input, page, &views)?;
                        jobs.push(job);
                        *mine = members.iter().copied().zip(listed).collect();
                    }
                }
                render::render_into(tera, jobs, sink)?;
                Ok(sections)
            })
            .collect::<Result<Vec<_>>>()
            .context("rendering the group pages and leaflets")?;
        let mut by_lang: Vec<Vec<(usize, leaflet::sheets::Section)>> = vec![Vec::new(); data.len()];
        for per_lang in listing {
            for (k, mine) in per_lang.into_iter().enumerate() {
                by_lang[k].extend(mine);
            }
        }
        for (input, mut sections) in leaflets.iter().zip(by_lang) {
            sections.sort_by_key(|(i, _)| *i);
            let sections = sections.into_iter().map(|(_, s)| s).collect();
            let lists = leaflet::index_jobs(input, sections);
            render::render_into(tera, lists, sink).context("rendering the leaflets")?;
        }
        timer.step("groups and leaflets");
        Ok(())
    }

    /// What every page's renderer reads: the settings, content, words and link
    /// cache, with these maps and district lists.
    pub(crate) fn render_input<'a>(
        &'a self,
        today: jiff::civil::Date,
        maps: &'a render::maps::Maps,
        districts: &'a [render::postcodes::DistrictGroups],
    ) -> RenderInput<'a> {
        RenderInput {
            config: &self.config,
            content: &self.content,
            today,
            strings: &self.strings,
            maps,
            districts,
            links: &self.link_cache,
        }
    }

    /// What the leaflet pages of each language read, the default language first, with
    /// the QR codes kept between builds.
    pub(crate) fn leaflet_inputs<'a>(
        &'a self,
        qr_codes: &'a crate::cache::Memo<Option<String>>,
    ) -> Vec<leaflet::LeafletInput<'a>> {
        self.langs
            .iter()
            .map(|lang| leaflet::LeafletInput {
                config: &self.config,
                strings: &self.strings,
                qr_codes,
                lang,
                langs: &self.langs,
            })
            .collect()
    }

    /// The search shards, the open data, the theme's and the site's static files, the
    /// schemas.
    fn data_files(&self, cache: &BuildCache, sink: &dyn Sink) -> Result<()> {
        let mut timer = StepTimer::new();
        // Search index: shards the postcode box loads piece by piece (see search/mod.rs).
        let index =
            crate::search::SearchIndex::build_with(&self.config, &self.content, &cache.nearest);
        crate::search::shards::write(&index, sink)?;
        drop(index);
        timer.step("search");
        // Open data: JSON, CSV, Open Referral UK, GeoJSON, Atom (see export/mod.rs).
        crate::export::write(&self.config, &self.content, sink).context("writing the open data")?;
        timer.step("open data");
        // Assets: the theme's static files, each language's search words, then the site's
        // own static/ folder.
        for (path, bytes) in self.theme.static_files() {
            let bytes = if path == "_headers" {
                crate::i18n::headers_for_languages(
                    &String::from_utf8_lossy(bytes),
                    &self.config.languages,
                )
                .into_bytes()
            } else {
                bytes.to_vec()
            };
            sink.put(path.to_string(), bytes)?;
        }
        for lang in &self.langs {
            let words = crate::i18n::search_words(lang, &self.config);
            sink.put(
                crate::i18n::search_words_file(&lang.code),
                words.into_bytes(),
            )?;
        }
        self.add_static_folder(sink)?;
        // Schemas of the content formats, for contributors' editors (see schema.rs).
        for (path, text) in crate::schema::published(&self.config) {
            sink.put(path.to_string(), text.into())?;
        }
        Ok(())
    }

    /// Copies the site's `static/` files, as found and checked by [`static_folder`].
    fn add_static_folder(&self, sink: &dyn Sink) -> Result<()> {
        for (address, file) in &self.static_files {
            if let Err(d) = crate::tree::check_inside(&self.root, file.strip_prefix(&self.root)?) {
                anyhow::bail!("{d}");
            }
            let bytes =
                std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
            sink.put(address.clone(), bytes)?;
        }
        Ok(())
    }
}

/// The first part of every address the build itself writes, besides the theme's static
/// files. A file in `static/` may add to the site but never stand in for one of these
/// (a `static/groups/x/index.html` would replace a checked group's page, a
/// `static/_redirects` send every resident elsewhere). The test
/// `every_address_the_build_writes_is_owned` keeps the list whole.
pub const BUILD_OWNED: &[&str] = &[
    "404.html",
    "a-z",
    "_headers",
    "_redirects",
    "about",
    "areas",
    "data",
    "embed",
    "feed.xml",
    "groups",
    "index.html",
    "leaflets",
    "organisers",
    "postcodes",
    "robots.txt",
    "schema",
    "search",
    "sitemap.xml",
    "sitemaps",
    "stories",
];

/// Finds the site's `static/` files and refuses any that would replace what the build or
/// theme writes, so `check` finds what `build` would trip on and the result never
/// depends on which of two writers came last.
fn static_folder(
    root: &Path,
    theme: &Theme,
    languages: &[String],
) -> (Vec<(String, PathBuf)>, Vec<Diagnostic>) {
    let dir = root.join("static");
    let (found, mut problems) = crate::tree::files(root, Path::new("static"), true, |_| true);
    let theme_files: Vec<&str> = theme.static_files().map(|(p, _)| p).collect();
    let mut files = Vec::new();
    for file in found {
        let address = crate::output::relative(&file, &dir);
        let first = address.split('/').next().unwrap_or_default();
        let shown = Path::new("static").join(&address);
        // The other languages' folders (`cy/`) are the build's too.
        let owner = if BUILD_OWNED.contains(&first) || languages.iter().skip(1).any(|l| l == first)
        {
            Some("the build")
        } else if theme_files.iter().any(|t| {
            *t == address
                || address.starts_with(&format!("{t}/"))
                || t.starts_with(&format!("{address}/"))
        }) {
            Some("the theme")
        } else {
            None
        };
        match owner {
            Some(owner) if first == "_headers" || first == "_redirects" => problems.push(
                Diagnostic::error(&shown, (0, 0), format!("`{first}` tells the host how to serve every page (its security headers, where pages redirect), so it may only be written by aidmap and {owner}"))
                    .with_hint("remove it; headers and redirects come from aidmap and the theme (themes/<name>/static/_headers adds to the built-in one)"),
            ),
            Some(owner) => problems.push(
                Diagnostic::error(&shown, (0, 0), format!("`{address}` would replace a file that {owner} writes; static files may add to the site, never replace its pages"))
                    .with_hint(format!("move it to a folder of its own, such as static/files/{address}")),
            ),
            None => files.push((address, file)),
        }
    }
    (files, problems)
}

/// Loads, checks and builds in one go; returns the output, or the diagnostics that stopped it.
pub fn build_site(root: &Path, options: &BuildOptions) -> Result<BuildOutcome> {
    let start = Instant::now();
    let site = Site::load(root, options)?;
    if site.diagnostics.has_errors() {
        return Ok(BuildOutcome::Invalid(site.diagnostics));
    }
    let (output, stats) = site.build()?;
    Ok(BuildOutcome::Built {
        output,
        stats,
        warnings: site.diagnostics,
        elapsed: start.elapsed(),
    })
}

/// The result of `build_site`.
pub enum BuildOutcome {
    /// The content has errors; nothing was built.
    Invalid(Diagnostics),
    /// Built in memory.
    Built {
        /// The files.
        output: Output,
        /// Counts for the summary.
        stats: BuildStats,
        /// Warnings found while loading.
        warnings: Diagnostics,
        /// Time taken.
        elapsed: std::time::Duration,
    },
}

/// A sink that counts what passes through it, for the summary line.
///
/// It also refuses a second file at an address already written: two steps run side by
/// side, so which of two writers came last would change from build to build (a static
/// file standing in for a group's page). `static_folder` stops that for content; this
/// catches a step of aidmap's own that ever does it. It keeps a hash of each address,
/// not the address, so it costs 8 bytes a file (2 MB at 50,000 groups).
struct Counted<'a> {
    inner: &'a dyn Sink,
    pages: AtomicUsize,
    files: AtomicUsize,
    bytes: AtomicUsize,
    written: Mutex<std::collections::HashSet<u64>>,
    tally: Mutex<crate::output::tally::Tally>,
}

impl<'a> Counted<'a> {
    fn new(inner: &'a dyn Sink) -> Self {
        Counted {
            inner,
            pages: AtomicUsize::new(0),
            files: AtomicUsize::new(0),
            bytes: AtomicUsize::new(0),
            written: Mutex::new(Default::default()),
            tally: Mutex::new(Default::default()),
        }
    }

    /// Adds the file to the tally by kind.
    fn count(&self, path: &str, bytes: usize) {
        self.tally
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .add(path, bytes as u64);
    }

    /// Fails when `path` was written before in this build.
    fn first_time(&self, path: &str) -> Result<()> {
        use std::hash::{Hash as _, Hasher as _};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        path.hash(&mut h);
        let fresh = self
            .written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(h.finish());
        if fresh {
            Ok(())
        } else {
            anyhow::bail!(
                "two parts of the build wrote `{path}`; this is a bug in aidmap, please report it"
            )
        }
    }
}

impl Sink for Counted<'_> {
    fn put(&self, path: String, bytes: Vec<u8>) -> Result<()> {
        self.first_time(&path)?;
        if path.ends_with(".html") {
            self.pages.fetch_add(1, Ordering::Relaxed);
        }
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes.len(), Ordering::Relaxed);
        self.count(&path, bytes.len());
        self.inner.put(path, bytes)
    }

    fn put_streamed(&self, path: String, write: crate::output::WriteFn<'_>) -> Result<()> {
        /// Counts the bytes on their way through.
        struct Counting<'w> {
            inner: &'w mut dyn std::io::Write,
            bytes: usize,
        }
        impl std::io::Write for Counting<'_> {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                let n = self.inner.write(buf)?;
                self.bytes += n;
                Ok(n)
            }
            fn flush(&mut self) -> std::io::Result<()> {
                self.inner.flush()
            }
        }
        self.first_time(&path)?;
        self.files.fetch_add(1, Ordering::Relaxed);
        let mut bytes = 0;
        self.inner.put_streamed(path.clone(), &mut |w| {
            let mut counting = Counting { inner: w, bytes: 0 };
            let result = write(&mut counting);
            self.bytes.fetch_add(counting.bytes, Ordering::Relaxed);
            bytes = counting.bytes;
            result
        })?;
        self.count(&path, bytes);
        Ok(())
    }
}

/// The process's peak resident memory so far, as Linux reports it ("612 MB").
fn peak_memory() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(format!("{} MB", kb / 1024))
}

/// Prints how long each build step took when `AIDMAP_TIMINGS` is set (for profiling).
struct StepTimer {
    on: bool,
    last: Instant,
}

impl StepTimer {
    fn new() -> Self {
        StepTimer {
            on: std::env::var_os("AIDMAP_TIMINGS").is_some(),
            last: Instant::now(),
        }
    }

    fn step(&mut self, name: &str) {
        if self.on {
            eprintln!(
                "timing: {name}: {} ms{}",
                self.last.elapsed().as_millis(),
                peak_memory()
                    .map(|m| format!(" (peak memory so far {m})"))
                    .unwrap_or_default()
            );
        }
        self.last = Instant::now();
    }
}
