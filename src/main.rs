//! The `aidmap` binary: parses arguments, calls the library, maps the outcome to an exit code.

mod cli;

use std::process::ExitCode;

use aidmap::cache::BuildCache;
use aidmap::output::hosts::Host;
use aidmap::output::SiteWriter;
use aidmap::report::Report;
use aidmap::scaffold::{self, NewKind};
use aidmap::{BuildOptions, Diagnostics, Site};
use clap::Parser;
use cli::{Cli, Command, Format};

/// The allocator: a build makes and frees millions of small strings and vectors on both
/// cores, and glibc's malloc was an eighth of a build's time (perf, 5,000 groups).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (the 16th entry of `mi_option_e` in the v3
/// `mimalloc.h` that libmimalloc-sys builds; the crate names the entries around it but
/// not this one).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Tells the allocator to keep the memory a build frees instead of handing it back to the
/// system 10 ms later. A build frees each page's strings as soon as they are written and
/// makes the next page's a moment after, so with the default the same memory went back
/// and forth: 4,500 page faults, each zeroing a fresh 2 MB page, 5% of a 5,000-group
/// build's time (perf). Kept, there are 600 and the build takes about 5% less CPU; the
/// peak grows little (about 40 MB of 900 at 50,000 groups), and the process ends when
/// the build does. `serve` keeps the default, since it lives on between builds.
fn keep_freed_memory() {
    // SAFETY: setting an option is a store into mimalloc's option table, which it reads
    // with atomics; any value is allowed, and -1 means "never purge".
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// "1 group", "2 groups", "1 story", "3 stories".
fn count(n: usize, one: &str) -> String {
    match (n, one.strip_suffix('y')) {
        (1, _) => format!("1 {one}"),
        (_, Some(stem)) => format!("{n} {stem}ies"),
        _ => format!("{n} {one}s"),
    }
}

/// How many warnings with the same hint `aidmap build` prints before it only counts them.
const FOLD_AFTER: usize = 3;

fn print_diagnostics(ds: &Diagnostics, format: Format) {
    match format {
        Format::Text => eprint!("{}", ds.render_text()),
        Format::Github => ds.iter().for_each(|d| println!("{}", d.to_github())),
        Format::Json => println!("{}", serde_json::to_string_pretty(ds).unwrap_or_default()),
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Build(args) => {
            keep_freed_memory();
            let options = BuildOptions {
                base_url: args.base_url,
            };
            let start = std::time::Instant::now();
            let site = Site::load(&args.root, &options)?;
            if site.diagnostics.has_errors() {
                eprint!("{}", site.diagnostics.render_text_folded(FOLD_AFTER));
                eprintln!("nothing was written: fix the errors above and build again");
                return Ok(ExitCode::from(1));
            }
            eprint!("{}", site.diagnostics.render_text_folded(FOLD_AFTER));
            let out = args.out.unwrap_or_else(|| args.root.join("public"));
            aidmap::output::check_target(&args.root, &out)?;
            // Pages go to disk as they are rendered (see output.rs): a failed build
            // leaves the previous site as it was.
            let writer = SiteWriter::new(&out)?;
            let stats = site.build_into(&site.tera()?, &BuildCache::off(), &writer)?;
            let written = writer.finish()?;
            println!(
                "built {}, {}: {} pages, {} files, {} KB in {} ms -> {}",
                count(stats.groups, "group"),
                count(stats.stories, "story"),
                stats.pages,
                stats.files,
                stats.bytes / 1024,
                start.elapsed().as_millis(),
                out.display()
            );
            println!("files: {}", stats.tally.by_kind());
            let data = aidmap::export::DataFiles::for_groups(stats.groups);
            if data.compressed {
                println!(
                    "open data: more than {} groups, so data/{}, data/{} and data/{} are gzip-compressed (data/README.txt says how to open them)",
                    aidmap::i18n::number("en", aidmap::export::COMPRESS_OVER_GROUPS),
                    data.groups_json,
                    data.groups_csv,
                    data.services_json
                );
            }
            if written.unchanged > 0 || written.removed > 0 {
                println!(
                    "{} files new or changed, {} unchanged (left as they were), {} removed",
                    written.written, written.unchanged, written.removed
                );
            }
            // Warned before deploy; the site is built all the same (exit code unchanged).
            // `--host` wins over site.yaml's `host:`.
            let shown = out.display().to_string();
            let hosts: Vec<Host> = if args.host.is_empty() {
                site.config.host.into_iter().collect()
            } else {
                args.host
                    .iter()
                    .map(|h| match h {
                        cli::HostArg::Cloudflare => Host::Cloudflare,
                        cli::HostArg::Github => Host::Github,
                        cli::HostArg::Netlify => Host::Netlify,
                    })
                    .collect()
            };
            for host in hosts {
                let warnings = host.check(&stats.tally, &shown);
                warnings.iter().for_each(|w| eprintln!("{w}"));
                if warnings.is_empty() {
                    println!("fits {}", host.limits().name);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve(args) => {
            aidmap::serve::serve(&aidmap::serve::ServeOptions {
                root: args.root,
                port: args.port,
                open: args.open,
                base_url: args.base_url,
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::New(args) => {
            let kind = match args.kind {
                cli::NewKind::Group => NewKind::Group,
                cli::NewKind::Story => NewKind::Story,
            };
            let path = scaffold::new_in_site(&args.root, kind, &args.title)?;
            println!(
                "wrote {}: fill in every TODO, then run `aidmap check`",
                path.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Init(args) => {
            let source = match (&args.aidmap_source, &args.aidmap_rev) {
                (Some(url), Some(rev)) => Some(
                    scaffold::Source::new(url, rev)
                        .map_err(|e| anyhow::anyhow!("--aidmap-source/--aidmap-rev: {e}"))?,
                ),
                _ => scaffold::Source::built_in(),
            };
            let files = scaffold::init(&args.dir, source.as_ref())?;
            for f in files {
                println!("wrote {}", args.dir.join(f).display());
            }
            match &source {
                Some(s) if s.is_local() => println!(
                    "note: its checks install aidmap from {} at {} (.aidmap-version), which only \
                     this machine can reach; put a public https:// git address there before pushing",
                    s.url, s.rev
                ),
                Some(s) => println!(
                    "its checks and Netlify install aidmap from {} at {} (.aidmap-version)",
                    s.url, s.rev
                ),
                None => println!(
                    "note: this aidmap does not know where it was built from, so the checks cannot \
                     install it yet: put its git address and commit in {} (or run init with \
                     --aidmap-source URL --aidmap-rev COMMIT)",
                    args.dir.join(".aidmap-version").display()
                ),
            }
            println!(
                "next: cd {} && aidmap serve --open; read CONTRIBUTING.md",
                args.dir.display()
            );
            println!(
                "groups can add and update their own listing without git: put the GitHub \
                 repository in site.yaml (`repository:`), create the labels \"group listing\" \
                 and \"listing ready\", and allow Actions to create pull requests \
                 (Settings -> Actions -> General); CONTRIBUTING.md explains the rest"
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Report(args) => {
            let site = Site::load(&args.root, &BuildOptions::default())?;
            let today = aidmap::content::check::today();
            if args.translations {
                let report = aidmap::report::translations::Translations::new(
                    &site.config,
                    &site.content,
                    &site.strings,
                );
                match args.format {
                    cli::ReportFormat::Json => {
                        println!("{}", serde_json::to_string_pretty(&report)?)
                    }
                    cli::ReportFormat::Text => print!("{}", report.render_text()),
                }
            } else if args.stale {
                let list = aidmap::stale::list(&site.config, &site.content, today);
                match args.format {
                    cli::ReportFormat::Json => {
                        println!("{}", serde_json::to_string_pretty(&list)?)
                    }
                    cli::ReportFormat::Text => {
                        for s in &list.stale {
                            println!(
                                "{} ({}): last checked {}, {} days ago; {}",
                                s.name,
                                s.slug,
                                s.last_checked,
                                s.days,
                                s.confirm.as_deref().map_or(
                                    "no \"still running\" link: site.yaml names no repository"
                                        .to_string(),
                                    |c| format!("still running: {c}")
                                )
                            );
                        }
                    }
                }
            } else {
                let report = Report::new(&site.config, &site.content, today)
                    .with_links(&site.content, &aidmap::links::cache::read(&args.root));
                match args.format {
                    cli::ReportFormat::Json => {
                        println!("{}", serde_json::to_string_pretty(&report)?)
                    }
                    cli::ReportFormat::Text => print!("{}", report.render_text()),
                }
            }
            if site.diagnostics.has_errors() {
                eprintln!(
                    "note: {} problems stop some files from loading, so they are left out; run `aidmap check`",
                    site.diagnostics.error_count()
                );
                return Ok(ExitCode::from(1));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Find(args) => {
            let site = Site::load(&args.root, &BuildOptions::default())?;
            if site.diagnostics.has_errors() {
                print_diagnostics(&site.diagnostics, Format::Text);
                eprintln!("fix the errors above (`aidmap check`), then search again");
                return Ok(ExitCode::from(1));
            }
            let index = aidmap::search::SearchIndex::build(&site.config, &site.content);
            let answer = index.find(&args.query.join(" "));
            if args.json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&aidmap::search::query::answer_json(
                        &index, &answer
                    ))?
                );
            } else {
                print!("{}", aidmap::search::query::answer_text(&index, &answer));
            }
            // An answer, even "no group near you", is a success: 1 is kept for content
            // errors and 2 for usage, as for every command (README, "Exit codes").
            Ok(ExitCode::SUCCESS)
        }
        Command::Check(args) if args.links => check_links(&args),
        Command::Check(args) => {
            let site = Site::load(&args.root, &BuildOptions::default())?;
            let ds = &site.diagnostics;
            if ds.has_errors() || !matches!(args.format, Format::Text) {
                print_diagnostics(ds, args.format);
            } else {
                // One closing line: the problems' own count is this line.
                eprint!("{}", ds.render_items());
                eprintln!(
                    "ok: {}, {} checked, {}",
                    count(site.content.groups.len(), "group"),
                    count(site.content.stories.len(), "story"),
                    count(ds.warning_count(), "warning")
                );
            }
            Ok(if ds.has_errors() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Intake(args) => {
            let text = read_submission(&args.file)?;
            match aidmap::intake::intake(&args.root, &text)? {
                aidmap::intake::Outcome::Written { path, summary } => {
                    eprintln!("wrote {}", args.root.join(path).display());
                    print!("{summary}");
                    Ok(ExitCode::SUCCESS)
                }
                aidmap::intake::Outcome::Refused { comment } => {
                    print!("{comment}");
                    Ok(ExitCode::from(1))
                }
            }
        }
        Command::Import(args) => import(args),
    }
}

/// `aidmap check --links`: the content's problems, then each link's; exit 1 only for
/// content errors (a broken link is a warning: the site still builds).
fn check_links(args: &cli::CheckArgs) -> anyhow::Result<ExitCode> {
    let site = Site::load(&args.root, &BuildOptions::default())?;
    if site.diagnostics.has_errors() {
        print_diagnostics(&site.diagnostics, args.format);
        eprintln!("fix the errors above, then check the links again");
        return Ok(ExitCode::from(1));
    }
    let options = aidmap::links::LinkOptions {
        reuse_for: std::time::Duration::from_secs(u64::from(args.cache_days) * 86_400),
        ..Default::default()
    };
    let results = aidmap::links::run(&args.root, &site.content, &options)?;
    let mut all = site.diagnostics.clone();
    all.extend(aidmap::links::diagnostics(&results));
    match args.format {
        Format::Json => {
            // `check --format json`'s document, with each link's result beside the items.
            let mut doc = serde_json::to_value(&all)?;
            doc["links"] = serde_json::to_value(&results)?;
            println!("{}", serde_json::to_string_pretty(&doc)?);
        }
        Format::Github => all.iter().for_each(|d| println!("{}", d.to_github())),
        Format::Text => eprint!("{}", all.render_items()),
    }
    eprintln!("{}", aidmap::links::summary(&results));
    Ok(ExitCode::SUCCESS)
}

/// `aidmap import`: writes the group files, prints the summary, and the report CSV when
/// asked. Records that cannot be imported are in the summary, not an error: the exit code
/// is 0 unless the command itself failed.
fn import(args: cli::ImportArgs) -> anyhow::Result<ExitCode> {
    let summary = aidmap::import::import(&aidmap::import::Options {
        root: args.root,
        file: args.file,
        checked: args.checked,
        dry_run: args.dry_run,
        update: args.update,
    })?;
    // A closed pipe (`| head`) ends the listing, not the import: the files are written.
    let _ = std::io::Write::write_all(&mut std::io::stdout(), summary.render_text().as_bytes());
    if let Some(path) = args.report {
        let mut file = std::fs::File::create(&path)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
        summary.write_report(&mut file)?;
        eprintln!("wrote {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads a submission from a file or, for `-`, standard input; no more than the largest
/// submission intake reads (and one byte more, so it can say the text is too long).
fn read_submission(file: &std::path::Path) -> anyhow::Result<String> {
    use std::io::Read as _;
    let limit = aidmap::intake::body::MAX_BODY_BYTES as u64 + 1;
    let mut bytes = Vec::new();
    if file == std::path::Path::new("-") {
        std::io::stdin().take(limit).read_to_end(&mut bytes)?;
    } else {
        let f = std::fs::File::open(file)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
        f.take(limit).read_to_end(&mut bytes)?;
    }
    // Bad UTF-8 is replaced rather than refused: the checks then name what is left.
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
