//! The command line as the user types it (clap), turned into plain option
//! structs for `app`. No IO here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const QUERY_HELP: &str = "\
QUERY SYNTAX:
  human trafficking        passages with both words (stemmed: trafficked, traffickers)
  \"debt bondage\"           the exact phrase
  grooming OR coercion     either word; AND is the default
  fraud -crypto            exclude a word (also: NOT crypto)
  recruit*                 words starting with recruit
  trafficing~1             words within one edit (typos)
  (a OR b) c               grouping
  doc:ror  chapter:9  page:200..230  para:9.12    filters";

/// `riskreg --version`: the release and the index schema it reads and writes.
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (index schema 4)");

#[derive(Debug, Parser)]
#[command(
    name = "riskreg",
    version = VERSION,
    about = "Search the online safety regulator's guidance and cite it: document, chapter, printed page, paragraph."
)]
pub struct Cli {
    /// The corpus folder [default: ./corpus, else XDG data dir]
    ///
    /// The folder of PDFs and sources.toml. When not given: ./corpus if there is one, else
    /// $XDG_DATA_HOME/riskreg/corpus (~/.local/share/riskreg/corpus) if that exists.
    #[arg(
        long = "corpus",
        id = "corpus",
        global = true,
        env = "RISKREG_CORPUS",
        hide_env_values = true,
        value_name = "DIR"
    )]
    pub corpus_arg: Option<PathBuf>,
    /// The index folder [default: `index` beside the corpus]
    #[arg(
        long = "index",
        id = "index",
        global = true,
        env = "RISKREG_INDEX",
        hide_env_values = true,
        value_name = "DIR"
    )]
    pub index_arg: Option<PathBuf>,
    /// The corpus folder in use: `--corpus`, or where `app` found one.
    #[arg(skip)]
    pub corpus: PathBuf,
    /// The index folder in use: `--index`, or beside the corpus.
    #[arg(skip)]
    pub index: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the index from every PDF under the corpus folder.
    Index(OutputArgs),
    /// Search the index (building it first if there is none).
    #[command(after_help = QUERY_HELP)]
    Search(SearchArgs),
    /// List the indexed documents.
    Docs(OutputArgs),
    /// A document's chapters with their printed page ranges.
    Toc {
        /// Document id, as `riskreg docs` lists it, or its PDF's file name or path.
        doc: String,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// The text of a printed page (or, with --pdf-page, a physical one).
    Show {
        /// Document id, as `riskreg docs` lists it, or its PDF's file name or path.
        doc: String,
        /// Printed page label, e.g. 209 or iv; or a paragraph, ¶9.14 (or para:9.14): the
        /// page(s) it is on, the paragraph marked.
        #[arg(required_unless_present = "pdf_page")]
        page: Option<String>,
        /// A physical page number instead (what PDF viewers count).
        #[arg(long, value_name = "N", conflicts_with = "page")]
        pdf_page: Option<u32>,
        /// How to write the page's citation: riskreg's line, OSCOLA, or a short pinpoint.
        #[arg(long, value_enum, default_value = "riskreg", value_name = "STYLE")]
        cite: Cite,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Serve the search as a web page and a JSON API (this machine only, unless --addr says otherwise).
    Serve {
        /// Where to listen, HOST:PORT, or a bare PORT (this machine only). The default is
        /// reachable from this machine only; 0.0.0.0:8080 serves other machines too. Port 0
        /// picks a free port.
        #[arg(long, default_value = "127.0.0.1:8080", value_name = "HOST:PORT", value_parser = parse_addr)]
        addr: String,
        /// Answer a request that takes longer than this with an error (503).
        #[arg(long, default_value_t = 5000, value_name = "MS")]
        timeout_ms: u64,
    },
    /// Download the official publications in sources.toml into corpus/official/.
    Sync(SyncArgs),
    /// Chapters and numbered paragraphs added, removed or changed between two editions.
    #[command(
        after_help = "With one id, compares it with the edition it replaces (or that replaces it).\nOLD and NEW may be ids or version tokens of editions in the same chain, e.g. `riskreg diff ror 419942 419946`."
    )]
    Diff {
        /// A document id.
        doc: String,
        /// The older edition (id or version token).
        old: Option<String>,
        /// The newer edition (id or version token).
        new: Option<String>,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Shell completions for bash, zsh, fish, elvish or powershell, on stdout
    /// (e.g. `riskreg completions bash > ~/.local/share/bash-completion/completions/riskreg`).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// The manual page, as roff on stdout (e.g. `riskreg man > riskreg.1; man ./riskreg.1`).
    Man,
    /// What ingest sees in one PDF: pages, labels, outline, chapters, paragraphs, warnings.
    Inspect {
        file: PathBuf,
        /// Also print each page's clean text.
        #[arg(long)]
        text: bool,
        #[command(flatten)]
        out: OutputArgs,
    },
}

#[derive(Debug, Args, Clone)]
pub struct OutputArgs {
    /// Machine-readable JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Say what would be downloaded; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Allow plain-http URLs (a trusted local mirror).
    #[arg(long)]
    pub allow_http: bool,
    /// Only these documents (ids from sources.toml).
    #[arg(long = "only", value_name = "ID")]
    pub only: Vec<String>,
    /// Largest PDF accepted, in megabytes.
    #[arg(long, default_value_t = 200, value_name = "MB")]
    pub max_mb: u64,
    /// Read a publication listing page (URL or saved file) and print the manifest
    /// entries it has that sources.toml lacks or holds in an older version.
    #[arg(long, value_name = "URL")]
    pub discover: Option<String>,
    /// With --discover: add those entries to sources.toml.
    #[arg(long, requires = "discover")]
    pub write: bool,
    #[command(flatten)]
    pub out: OutputArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Md,
}

impl Format {
    /// As `--format` spells it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Md => "md",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum By {
    /// Each matching passage (a chapter's text on one page).
    Passage,
    /// Each matching chapter once, with its page range.
    Chapter,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query (several words are joined with spaces).
    #[arg(required = true, num_args = 1..)]
    pub query: Vec<String>,
    /// How many results.
    #[arg(long, short = 'n', default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=crate::search::MAX_LIMIT as u64))]
    pub limit: u64,
    /// Only this document (an id from `riskreg docs`, or its PDF's file name).
    #[arg(long, value_name = "ID")]
    pub doc: Option<String>,
    /// List passages, or each chapter once.
    #[arg(long, value_enum, default_value = "passage")]
    pub by: By,
    /// Include superseded editions.
    #[arg(long, conflicts_with = "as_of")]
    pub all_versions: bool,
    /// Search the editions in force on a date instead of the current ones.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub as_of: Option<String>,
    /// Output format [default: human].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Same as --format json.
    #[arg(long)]
    pub json: bool,
    /// Colour highlights (auto: on a terminal, unless NO_COLOR is set).
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
    /// How to write each citation: riskreg's line, OSCOLA, or a short pinpoint.
    #[arg(long, value_enum, default_value = "riskreg", value_name = "STYLE")]
    pub cite: Cite,
}

/// Citation styles (`--cite`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Cite {
    /// Register of Risks (sample) · 9. Human trafficking · p. 209 (PDF p. 217) · ¶9.14
    Riskreg,
    /// Ofcom, Register of Risks (sample) (December 2024) para 9.14
    Oscola,
    /// ROR ¶9.14, p. 209
    Short,
}

impl SearchArgs {
    pub fn format(&self) -> Format {
        if self.json {
            Format::Json
        } else {
            self.format.unwrap_or(Format::Human)
        }
    }

    /// `--json` with `--format md` (or human) asks for two formats at once.
    pub fn format_conflict(&self) -> Option<String> {
        match self.format {
            Some(f) if self.json && f != Format::Json => {
                Some(format!("--json and --format {} ask for two formats; give one", f.name()))
            }
            _ => None,
        }
    }

    pub fn query_text(&self) -> String {
        self.query.join(" ")
    }
}

/// `--addr`: HOST:PORT as given, or a bare port on the loopback address.
fn parse_addr(s: &str) -> Result<String, String> {
    let s = s.trim();
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse::<u16>().map(|p| format!("127.0.0.1:{p}")).map_err(|_| format!("{s}: not a port (0-65535)"));
    }
    Ok(s.to_string())
}

/// A calendar date as YYYY-MM-DD (the message is the one the HTTP API gives).
fn parse_date(s: &str) -> Result<String, String> {
    crate::search::request::check_date(s).map(|()| s.to_string())
}
