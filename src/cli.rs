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
}

#[derive(Debug, clap::Args)]
pub(crate) struct CheckArgs {
    /// The directory's folder (the one with site.yaml).
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
    /// How to print problems.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,
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
