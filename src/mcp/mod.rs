//! `riskreg mcp`: the guidance as tools for AI assistants, over the Model
//! Context Protocol on stdin and stdout (the official SDK, `rmcp`).
//!
//! - `tools` — each tool's name, description and argument schema, and what
//!   it answers: the JSON the command line's `--json` prints for the same
//!   request (`search`, `show_page`, `toc`, `list_documents`,
//!   `verify_citations`).
//!
//! Read-only: it opens the index the command line uses and never writes.
//! Each call answers from the newest complete generation (`serve`'s
//! `IndexState`: `CURRENT` is read before every call, and a rebuild is
//! picked up without a restart). A call that fails is a tool result marked
//! as an error, carrying the message the command line prints (and its JSON
//! `{"error", "kind"}`), so the assistant reads why; a call to a tool that
//! does not exist is a protocol error. Standard output carries protocol
//! messages only: notes go to standard error.

pub mod tools;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation, ListToolsResult,
    PaginatedRequestParams, ServerCapabilities, ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler, ServiceExt};

use crate::error::{Error, Result};
use crate::index::open::OpenIndex;
use crate::serve::state::IndexState;

/// Where `riskreg mcp` reads.
#[derive(Debug, Clone)]
pub struct Config {
    pub index_dir: PathBuf,
    pub corpus_dir: PathBuf,
    /// The corpus's vocabulary as read at start (`None`: no file), for
    /// expanding queries as `search` does; read again when the file changes.
    pub vocabulary: Option<crate::vocab::Vocabulary>,
}

/// What the server tells an assistant when it connects.
const INSTRUCTIONS: &str = "riskreg searches and quotes the published guidance of Ofcom, the UK online \
safety regulator, from its PDFs, with the citation to each passage (document, edition date, chapter, printed \
page, paragraph). Everything it returns is the regulator's text as published, never a summary or generated \
wording: quote it, and cite each passage with its `citation.text`. Start with `search` (by=chapter to find \
where a harm is treated); read a whole page with `show_page`; `toc` and `list_documents` show what there is; \
`verify_citations` checks the citations in a draft.";

/// The MCP server: the tools over the live index.
struct Server {
    index: Arc<IndexState>,
    corpus: Arc<PathBuf>,
}

/// Serve until the assistant closes standard input.
pub fn run(config: Config, opened: OpenIndex) -> Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("riskreg-mcp")
        .build()
        .map_err(|e| Error::Mcp(format!("the MCP server cannot start its runtime: {e}")))?;
    let server = Server {
        index: Arc::new(IndexState::new(
            config.index_dir.clone(),
            opened,
            config.corpus_dir.join(crate::vocab::FILE_NAME),
            config.vocabulary,
        )),
        corpus: Arc::new(config.corpus_dir),
    };
    crate::render::note(&format!(
        "riskreg mcp: answering Model Context Protocol requests on stdin/stdout from {}",
        config.index_dir.display()
    ));
    let outcome = rt.block_on(async {
        let running = server
            .serve(rmcp::transport::stdio())
            .await
            .map_err(|e| Error::Mcp(format!("no MCP session began: {e}")))?;
        running.waiting().await.map_err(|e| Error::Mcp(format!("the MCP server stopped: {e}")))
    });
    // Reading standard input cannot be cancelled: do not wait for it.
    rt.shutdown_timeout(Duration::from_secs(1));
    outcome.map(|_| ())
}

/// A failed call as the assistant sees it: the command line's message as
/// text, and its `--json` error object as the structured content.
fn error_result(e: &Error) -> CallToolResult {
    let message = e.to_string();
    let mut r = CallToolResult::error(vec![ContentBlock::text(message.clone())]);
    r.structured_content = Some(serde_json::json!({ "error": message, "kind": e.kind().name() }));
    r
}

impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(
                Implementation::new("riskreg", env!("CARGO_PKG_VERSION"))
                    .with_title("riskreg: the online safety regulator's guidance, quoted and cited"),
            )
            .with_instructions(INSTRUCTIONS)
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> std::result::Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(tools::list()))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> std::result::Result<CallToolResponse, ErrorData> {
        let name = request.name.to_string();
        if !tools::list().iter().any(|t| t.name == name) {
            let known: Vec<String> = tools::list().iter().map(|t| t.name.to_string()).collect();
            return Err(ErrorData::invalid_params(
                format!("no tool is called \"{name}\"; the tools are {}", known.join(", ")),
                None,
            ));
        }
        let args = request.arguments.unwrap_or_default();
        let (index, corpus) = (self.index.clone(), self.corpus.clone());
        // Index work blocks: off the async threads, on the freshest generation.
        let work = tokio::task::spawn_blocking(move || {
            let live = index.current();
            let ctx = tools::Ctx { live: &live, corpus: &corpus, vocabulary: &live.vocabulary };
            tools::call(&ctx, &name, args)
        });
        let result = match work.await {
            Ok(Some(Ok(answer))) => {
                let mut r = CallToolResult::structured(answer.value);
                r.content = vec![ContentBlock::text(answer.text)];
                r
            }
            Ok(Some(Err(e))) => error_result(&e),
            Ok(None) => return Err(ErrorData::internal_error("the tool list and the tools disagree", None)),
            Err(join) => error_result(&Error::Mcp(format!("the call failed inside the server: {join}"))),
        };
        Ok(result.into())
    }
}
