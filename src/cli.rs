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
  doc:ror  chapter:9  page:200..230  para:9.12    filters
  harm:\"human trafficking\"  the chapters about a kind of harm (riskreg harms)";

/// `riskreg --version`: the release and the index schema it reads and writes.
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (index schema 6)");

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
    /// Wrap text to N columns (0: never). By default a terminal's width; no
    /// wrapping when the output is piped.
    #[arg(long, global = true, value_name = "N")]
    pub width: Option<usize>,
    /// Print long output straight to the terminal rather than through $PAGER.
    #[arg(long, global = true)]
    pub no_pager: bool,
    /// Print nothing but errors; the exit code tells the outcome (search: 0
    /// found, 1 nothing found).
    #[arg(long, short = 'q', global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the index from every PDF under the corpus folder.
    Index(IndexArgs),
    /// Search the index (building it first if there is none).
    #[command(after_help = QUERY_HELP)]
    Search(SearchArgs),
    /// List the indexed documents.
    Docs(OutputArgs),
    /// A document's chapters with their printed page ranges.
    Toc {
        /// Document id, as `riskreg docs` lists it, or its PDF's file name or path.
        doc: String,
        /// Also cite each chapter in this style (riskreg's line, OSCOLA, or a short pinpoint).
        #[arg(long, value_enum, value_name = "STYLE")]
        cite: Option<Cite>,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// For every kind of harm (corpus/vocabulary.toml), the chapters that deal with it in
    /// each current document, with their pages; or one harm's row.
    Harms {
        /// A kind of harm, by its name or a common name ("human trafficking", "revenge porn").
        harm: Option<String>,
        /// human (the default), md (a Markdown table to paste), or json.
        #[arg(long, value_enum, default_value_t = HarmsFormat::Human)]
        format: HarmsFormat,
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
        /// Highlight these words on the page (the query language of `search`).
        #[arg(long, value_name = "QUERY")]
        query: Option<String>,
        /// Open the PDF at this page with the system's opener (xdg-open, open).
        #[arg(long)]
        open: bool,
        /// Colour the --query matches (auto: on a terminal, unless NO_COLOR is set).
        #[arg(long, value_enum, default_value = "auto")]
        color: ColorChoice,
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
        /// Also answer requests addressed to this name (the name a proxy in front forwards);
        /// repeat for more. Otherwise only the bound address (and localhost on loopback; any IP
        /// address when bound to 0.0.0.0) is answered, so other sites cannot read the API
        /// through a name of theirs pointed at this machine (DNS rebinding).
        #[arg(long = "allow-host", value_name = "HOST")]
        allow_host: Vec<String>,
        /// Serve at most this many connections at once. At the cap, a new connection closes
        /// the oldest one that has not sent a whole request head yet; else it waits its turn.
        #[arg(long, default_value_t = 256, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=65536))]
        max_connections: u32,
        /// Close a connection that has not sent a whole request head within this many
        /// seconds (a half-sent request, or an idle kept-alive connection).
        #[arg(long, default_value_t = 10, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=3600))]
        header_timeout: u64,
        /// Say where it listens as one line of JSON (`{"listening": "http://…"}`).
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Answer an AI assistant's tool calls (Model Context Protocol over stdin and stdout):
    /// search, show_page, toc, list_documents, verify_citations.
    #[command(
        after_help = "An assistant starts it itself: add it to the assistant's configuration (README: \"AI assistants\").\nNothing but protocol messages is written to standard output; notes go to standard error."
    )]
    Mcp,
    /// Watched searches: for each watch in corpus/watches.toml, the paragraphs that are new or
    /// changed since its last report; `watch add`, `watch list`, `watch rm` keep the list.
    #[command(args_conflicts_with_subcommands = true, after_help = WATCH_HELP)]
    Watch(WatchArgs),
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
    /// What a paragraph, a page or a whole document refers to ("see paragraph 9.14",
    /// "Annex A12 of the ICJG"), where each reference leads, and what refers to it.
    #[command(
        after_help = "Examples:\n  riskreg refs ror ¶9.14      what ¶9.14 refers to, and what refers to it\n  riskreg refs ror 209        the same for printed page 209\n  riskreg refs ror --unresolved   references in ror that lead nowhere"
    )]
    Refs {
        /// Document id, as `riskreg docs` lists it, or its PDF's file name or path.
        doc: String,
        /// A paragraph (¶9.14 or para:9.14) or a printed page; none: the whole document.
        at: Option<String>,
        /// Only references that lead nowhere.
        #[arg(long)]
        unresolved: bool,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// The acronyms each document writes out ("child sexual abuse material (CSAM)") and the
    /// terms it defines (glossary entries, "In this guidance, X means …").
    #[command(
        after_help = "Examples:\n  riskreg terms            every document's acronyms and defined terms\n  riskreg terms icjg --json"
    )]
    Terms {
        /// Document id, as `riskreg docs` lists it, or its PDF's file name or path; none: all.
        doc: Option<String>,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Every definition of a term, with its citation: glossary entries first, then defining
    /// sentences. An acronym finds its long form's definitions, and the reverse.
    #[command(
        after_help = "Exit status: 0 when the term is defined, 1 when it is not (the nearest defined terms are\nsuggested), 2 on error.\nExamples:\n  riskreg define CSAM\n  riskreg define \"user-to-user service\" --doc icjg"
    )]
    Define {
        /// The term, in any case: "CSAM", "user-to-user service".
        #[arg(required = true, num_args = 1..)]
        term: Vec<String>,
        /// Only this document's definitions (id or PDF file name).
        #[arg(long)]
        doc: Option<String>,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Check the citations of indexed documents in a draft (.txt, .md, .docx, or - for
    /// standard input): paragraphs, pages, chapters, quotations and editions.
    #[command(
        after_help = "Each citation gets a line: FILE:LINE:COLUMN: CITATION [DOC]: ok, or what is wrong and the fix.\nExit status: 0 when every citation holds, 1 when any does not, 2 on error.\nA citation names its document (id, title, short title or abbreviation such as ICJG) before or\nafter it (\"Register of Risks, para 9.14, p. 209\", \"paras 9.12–9.15 of the ROR\"), or writes \"ibid\"."
    )]
    Verify {
        /// The draft: .txt, .md, .docx, or - for standard input.
        file: PathBuf,
        /// Also write a corrected copy: FILE.fixed.EXT beside it (standard output for -), or --output.
        #[arg(long)]
        fix: bool,
        /// Where --fix writes the corrected copy.
        #[arg(long, short = 'o', value_name = "PATH", requires = "fix")]
        output: Option<PathBuf>,
        /// Correct the draft itself (implies --fix).
        #[arg(long, conflicts_with = "output")]
        in_place: bool,
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

/// The largest PDF read, in megabytes, when a command builds a missing index.
pub const DEFAULT_MAX_MB: u64 = 512;

#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Build a whole new index rather than update the current one (a
    /// damaged index is rebuilt whole without being asked).
    #[arg(long)]
    pub rebuild: bool,
    /// Largest PDF read, in megabytes: larger files are refused by name.
    #[arg(long, default_value_t = DEFAULT_MAX_MB, value_name = "MB", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_mb: u64,
    /// After a build that succeeded, run the watches (`riskreg watch`) and print their report
    /// instead of the build's (which goes to stderr); the exit status is then the watches'.
    #[arg(long)]
    pub watch: bool,
    #[command(flatten)]
    pub out: OutputArgs,
}

const WATCH_HELP: &str = "\
A watch reports each numbered paragraph (or, for a match outside numbered paragraphs, the
chapter's text on that page) of a current edition on a page its query matches (the best 1,000
pages) that holds a word or phrase of the query: + new, ~ changed (words compared with what it
last reported, and the edition it replaced), - no longer found. A watch's first run sets its
baseline and reports nothing; so does a run after its query was edited.
--since DATE reports instead the paragraphs of editions dated after DATE (the manifest's date,
else the file's modification day) that are new or changed compared with the edition in force on
DATE; it neither reads nor changes what the watches last reported (corpus/.watch-state.json).
Exit status: 0 when something is new or changed, 1 when nothing is (or only baselines were set),
2 on error.
Examples:
  riskreg watch add trafficking '\"human trafficking\" OR \"debt bondage\"' --doc ror
  riskreg watch --format md > memo.md
  riskreg index --watch --json";

/// What `riskreg watch` does: report (no subcommand), or keep the list.
#[derive(Debug, Args)]
pub struct WatchArgs {
    #[command(subcommand)]
    pub action: Option<WatchAction>,
    /// Report what changed in editions dated after this day rather than since the last report.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub since: Option<String>,
    /// Output format [default: human].
    #[arg(long, value_enum)]
    pub format: Option<WatchFormat>,
    /// Same as --format json.
    #[arg(long)]
    pub json: bool,
}

impl WatchArgs {
    pub fn format(&self) -> WatchFormat {
        if self.json {
            WatchFormat::Json
        } else {
            self.format.unwrap_or(WatchFormat::Human)
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum WatchAction {
    /// Add a watch: a name and a query (the query language of `search`).
    Add {
        /// Letters, digits, - _ . (what `watch rm` and the report call it).
        name: String,
        /// The query (several words are joined with spaces).
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
        /// Only this document (an id from `riskreg docs`, or its PDF's file name); repeat for several.
        #[arg(long, value_name = "ID")]
        doc: Vec<String>,
        /// Search only the words typed: no terms from the corpus's vocabulary.
        #[arg(long)]
        exact: bool,
    },
    /// List the watches.
    List(OutputArgs),
    /// Remove a watch (and what it last reported).
    Rm { name: String },
}

/// How `riskreg watch` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WatchFormat {
    /// A list per watch, for reading.
    Human,
    /// Markdown for a memo: a section per watch, citations linked to the PDF pages.
    Md,
    /// The documented JSON schema (same as --json).
    Json,
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
    /// Give up on a download that sends nothing for this many seconds (it is tried again,
    /// as other passing failures are).
    #[arg(long, default_value_t = 60, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub stall_timeout: u64,
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

/// How `riskreg harms` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HarmsFormat {
    Human,
    Md,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Numbered citations with their snippets, for reading.
    Human,
    /// The documented JSON schema (same as --json).
    Json,
    /// Markdown for a memo: heading, date, numbered citations linked to the PDF pages.
    Md,
    /// One row per passage (or chapter) with the citation's fields.
    Csv,
    /// CSL-JSON for reference managers (Zotero): one item per edition found.
    CslJson,
    /// RIS for reference managers (EndNote, Zotero): one record per edition found.
    Ris,
}

impl Format {
    /// As `--format` spells it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Md => "md",
            Format::Csv => "csv",
            Format::CslJson => "csl-json",
            Format::Ris => "ris",
        }
    }

    /// Read by programs: printed even when nothing matched (an empty list,
    /// a header row), with no "no matches" note.
    pub fn for_programs(self) -> bool {
        matches!(self, Format::Json | Format::Csv | Format::CslJson | Format::Ris)
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
    /// Only this document (an id from `riskreg docs`, or its PDF's file
    /// name); repeat for several.
    #[arg(long, value_name = "ID")]
    pub doc: Vec<String>,
    /// Skip this many results first (the next page of results: --offset 10).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub offset: u64,
    /// Open the first result's PDF at its page with the system's opener.
    #[arg(long)]
    pub open: bool,
    /// List passages, or each chapter once.
    #[arg(long, value_enum, default_value = "passage")]
    pub by: By,
    /// Include superseded editions.
    #[arg(long, conflicts_with = "as_of")]
    pub all_versions: bool,
    /// Search only the words typed: no terms from the corpus's vocabulary
    /// (`"quotes"` do the same for one phrase).
    #[arg(long)]
    pub exact: bool,
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

/// The command line with `search`'s query words moved after a `--`, so that
/// a word the query excludes (`search fraud -crypto`) reads as a query word
/// and not as an unknown flag, while every real flag, before or after the
/// words, keeps its meaning. Other commands are left as they are.
pub fn query_words_last(args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    use clap::CommandFactory;
    let root = Cli::command();
    // Flags of the command and the global ones, and whether each takes a value.
    let flags = |cmd: &clap::Command| -> Vec<(Option<String>, Option<char>, bool)> {
        cmd.get_arguments()
            .filter(|a| !a.is_positional())
            .map(|a| (a.get_long().map(str::to_string), a.get_short(), a.get_action().takes_values()))
            .collect()
    };
    let globals = flags(&root);
    let takes_value = |known: &[(Option<String>, Option<char>, bool)], tok: &str| -> Option<bool> {
        if let Some(long) = tok.strip_prefix("--") {
            let name = long.split('=').next().unwrap_or(long);
            return known
                .iter()
                .find(|(l, _, _)| l.as_deref() == Some(name))
                .map(|(_, _, v)| *v && !long.contains('='));
        }
        let mut chars = tok.strip_prefix('-')?.chars();
        let c = chars.next()?;
        let rest: String = chars.collect();
        let (_, _, v) = known.iter().find(|(_, s, _)| *s == Some(c))?;
        match (rest.is_empty(), *v) {
            (true, v) => Some(v),
            // `-n5`: a short flag with its value attached.
            (false, true) if rest.chars().all(|c| c.is_ascii_digit()) => Some(false),
            _ => None,
        }
    };
    // Find `search`, past the global flags that may come before it.
    let mut i = 1;
    while i < args.len() {
        let Some(tok) = args[i].to_str() else { return args };
        if tok == "search" {
            break;
        }
        match takes_value(&globals, tok) {
            Some(true) => i += 2,
            Some(false) => i += 1,
            None => return args,
        }
    }
    let Some(search) = root.find_subcommand("search") else { return args };
    let mut known = flags(search);
    known.extend(globals);
    let (mut out, mut opts, mut words) = (args[..=i.min(args.len() - 1)].to_vec(), Vec::new(), Vec::new());
    if i >= args.len() {
        return args;
    }
    let mut rest = args[i + 1..].iter();
    while let Some(arg) = rest.next() {
        let Some(tok) = arg.to_str() else {
            words.push(arg.clone());
            continue;
        };
        if tok == "--" {
            words.extend(rest.by_ref().cloned());
            break;
        }
        let flag_like = tok.starts_with("--") || (tok.starts_with('-') && tok.len() > 1);
        match takes_value(&known, tok) {
            Some(value) => {
                opts.push(arg.clone());
                if value {
                    if let Some(v) = rest.next() {
                        opts.push(v.clone());
                    }
                }
            }
            // An unknown `--long` flag is clap's to refuse; `-word` is a query word.
            None if tok.starts_with("--") && flag_like => opts.push(arg.clone()),
            None => words.push(arg.clone()),
        }
    }
    out.extend(opts);
    if !words.is_empty() {
        out.push("--".into());
        out.extend(words);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moved(line: &str) -> String {
        let args: Vec<std::ffi::OsString> = line.split(' ').map(Into::into).collect();
        query_words_last(args).iter().map(|a| a.to_string_lossy().into_owned()).collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn query_words_go_last() {
        assert_eq!(moved("riskreg search fraud -crypto --json"), "riskreg search --json -- fraud -crypto");
        assert_eq!(moved("riskreg search -crypto fraud -n 3"), "riskreg search -n 3 -- -crypto fraud");
        assert_eq!(moved("riskreg search -n5 -nigeria"), "riskreg search -n5 -- -nigeria");
        assert_eq!(moved("riskreg --corpus c search --doc ror x -- -y"), "riskreg --corpus c search --doc ror -- x -y");
        assert_eq!(moved("riskreg search --limti 3 x"), "riskreg search --limti -- 3 x");
        assert_eq!(moved("riskreg show ror -crypto"), "riskreg show ror -crypto");
        assert_eq!(moved("riskreg search --format=md x"), "riskreg search --format=md -- x");
    }
}
