//! The command line: one argument struct per subcommand (clap derive).

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Build a website of local mutual aid groups that residents can search by postcode.
///
/// Exit codes: 0 success; 1 the content has errors (nothing was written); 2 usage or
/// internal error.
#[derive(Debug, Parser)]
#[command(name = "aidmap", version, about, long_about = None, after_help = "Exit codes: 0 success, 1 the content has errors (nothing written), 2 usage or internal error.")]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Check every file and build the site into a folder.
    Build(BuildArgs),
    /// Check every file and report all problems; writes nothing.
    Check(CheckArgs),
    /// Build, serve the site on 127.0.0.1 and rebuild and reload on every change.
    Serve(ServeArgs),
    /// Start a new group or story file, ready to fill in.
    New(NewArgs),
    /// Start a new directory in an empty folder.
    Init(InitArgs),
    /// List stale groups, likely duplicates and parts of the region with no group.
    Report(ReportArgs),
    /// Answer a resident's query as the site's search does: postcode, place or words.
    Find(FindArgs),
    /// Turn one "Add your group" submission (an issue body or e-mail text) into a group
    /// file, or print its problems as a Markdown comment (exit 1).
    Intake(IntakeArgs),
    /// Turn an existing list of groups (CSV, JSON, the Mutual Aid Wiki export, another
    /// directory's groups.json or Open Referral UK) into group files.
    Import(ImportArgs),
}

#[derive(Debug, clap::Args)]
pub(crate) struct ImportArgs {
    /// The list: a .csv or .json file.
    pub(crate) file: PathBuf,
    /// The directory's folder (the one with site.yaml).
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
    /// The day the list was last confirmed (YYYY-MM-DD), for records that carry no date.
    #[arg(long, value_name = "DATE")]
    pub(crate) checked: Option<String>,
    /// Say what would be written, and write nothing.
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// Replace group files that exist with what the list says.
    #[arg(long)]
    pub(crate) update: bool,
    /// Also write every record's outcome (written, merged, skipped…) to this CSV file.
    #[arg(long, value_name = "FILE")]
    pub(crate) report: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub(crate) struct IntakeArgs {
    /// The submission's text file, or - for standard input.
    pub(crate) file: PathBuf,
    /// The directory's folder (the one with site.yaml).
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
}

#[derive(Debug, clap::Args)]
pub(crate) struct FindArgs {
    /// A postcode ("NR2 3AB"), district or sector, a place, words, or "LAT,LON".
    #[arg(required = true, num_args = 1..)]
    pub(crate) query: Vec<String>,
    /// The directory's folder (the one with site.yaml).
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
    /// Print one JSON document instead of lines.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, clap::Args)]
pub(crate) struct ServeArgs {
    /// The directory's folder (the one with site.yaml).
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 1111)]
    pub(crate) port: u16,
    /// Open the site in a browser once it is served.
    #[arg(long)]
    pub(crate) open: bool,
    /// Build with this address instead of the local one.
    #[arg(long)]
    pub(crate) base_url: Option<String>,
}

#[derive(Debug, clap::Args)]
pub(crate) struct NewArgs {
    /// What to start.
    #[arg(value_enum)]
    pub(crate) kind: NewKind,
    /// The group's name or the story's title (the file is named after it).
    pub(crate) title: String,
    /// The directory's folder (the one with site.yaml).
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum NewKind {
    /// content/groups/<name>.yaml
    Group,
    /// content/stories/<title>.md
    Story,
}

#[derive(Debug, clap::Args)]
pub(crate) struct InitArgs {
    /// The folder to create (it must not exist, or be empty).
    pub(crate) dir: PathBuf,
    /// The git address the new directory's checks and Netlify install aidmap from
    /// (default: the one this aidmap was built from, when it knows).
    #[arg(long, value_name = "URL", requires = "aidmap_rev")]
    pub(crate) aidmap_source: Option<String>,
    /// The commit (or tag) of --aidmap-source to install.
    #[arg(long, value_name = "COMMIT", requires = "aidmap_source")]
    pub(crate) aidmap_rev: Option<String>,
}

#[derive(Debug, clap::Args)]
pub(crate) struct ReportArgs {
    /// The directory's folder (the one with site.yaml).
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
    /// Only the groups past stale_after_days, each with its "still running" link and the
    /// text of an issue asking it to confirm (for the keep-alive workflow).
    #[arg(long)]
    pub(crate) stale: bool,
    /// Per language the site publishes besides its first: the theme strings, groups and
    /// stories still to translate.
    #[arg(long, conflicts_with = "stale")]
    pub(crate) translations: bool,
    /// How to print the report.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub(crate) format: ReportFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ReportFormat {
    /// Lines to read.
    Text,
    /// One JSON document.
    Json,
}

#[derive(Debug, clap::Args)]
pub(crate) struct BuildArgs {
    /// The directory's folder (the one with site.yaml).
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
    /// Where to write the site [default: ROOT/public].
    #[arg(long)]
    pub(crate) out: Option<PathBuf>,
    /// Publish under this address instead of site.yaml's base_url.
    #[arg(long)]
    pub(crate) base_url: Option<String>,
    /// Warn when the site breaks this host's limits (files, file size, site size); may
    /// be given more than once. The exit code stays the build's.
    #[arg(long, value_enum)]
    pub(crate) host: Vec<HostArg>,
}

/// The hosts `--host` knows (limits in `src/output/hosts.rs`, docs/DEPLOY.md).
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum HostArg {
    /// Cloudflare Pages, free plan: 20,000 files, 25 MiB a file.
    Cloudflare,
    /// GitHub Pages: 1 GB a site, 100 MB a file.
    Github,
    /// Netlify: 54,000 files in one folder.
    Netlify,
}

#[derive(Debug, clap::Args)]
pub(crate) struct CheckArgs {
    /// The directory's folder (the one with site.yaml).
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
    /// How to print problems.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,
    /// Also check every website, Facebook and WhatsApp link and e-mail domain over the
    /// network (results kept in .aidmap-cache/links.json).
    #[arg(long)]
    pub(crate) links: bool,
    /// With --links: reuse a link's cached result if it is younger than this many days
    /// (0 asks about every link again).
    #[arg(long, default_value_t = 3, requires = "links")]
    pub(crate) cache_days: u32,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum Format {
    /// `file:line:column: error: message` with hints.
    Text,
    /// GitHub Actions annotations (`::error file=…,line=…,col=…::`).
    Github,
    /// One JSON document.
    Json,
}
