//! The HTTP routes: the JSON API, the PDFs, the health check and the page.
//!
//! Every answer that is not a page or a PDF is JSON, errors included:
//! `{"error": "…"}` with the status code that fits the error's kind (400
//! for a request that cannot be answered as asked, 404 for a thing that is
//! not there, 500 for a failure here, 502 for one upstream, 503 when the
//! index is unavailable or a query took too long). A bad query adds
//! `"column"` (1-based, as the command line shows it) and `"query"`.
//!
//! Requests are checked by the same `SearchRequest` and pages found by the
//! same `DocRecord::resolve_page` as on the command line.

use std::path::{Component, Path as FsPath, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use tokio::sync::Semaphore;

use super::host::Hosts;
use super::state::{IndexState, Live};
use crate::error::{Error, Kind};
use crate::index::PageRef;
use crate::render::json;
use crate::render::link::LinkBase;
use crate::search::{By, Engine, SearchInput, SearchRequest, MAX_LIMIT, MAX_OFFSET};

/// Longest request target (path and query string) accepted, in bytes.
pub const MAX_URI_BYTES: usize = 2048;

/// Largest body `POST /api/verify` accepts (the JSON around the draft
/// included), in bytes: a long letter is a few tens of kilobytes.
pub const MAX_VERIFY_BYTES: usize = 1024 * 1024;

/// What `POST /api/verify` calls the pasted draft in its report.
pub const PASTED_DRAFT: &str = "pasted draft";

/// The only route that takes a body (and so a POST).
const VERIFY_PATH: &str = "/api/verify";

/// Everything a request handler needs.
pub struct App {
    pub index: IndexState,
    /// Where the indexed PDFs are (`DocRecord::file` is relative to it).
    pub corpus: PathBuf,
    /// Bounds how many searches run at once; a search that is cut off by the
    /// time limit keeps its permit until it really ends, so abandoned work
    /// can never pile up.
    pub permits: Arc<Semaphore>,
    /// A second, smaller bound for costly searches (fuzzy or prefix terms):
    /// such a search holds one of these as well as one of `permits`, so
    /// however many arrive, the rest of `permits` is left to cheap ones.
    pub costly: Arc<Semaphore>,
    /// The names a request may address the server by.
    pub hosts: Hosts,
    /// Its kinds of harm, for `/api/harms`.
    pub harms: super::Harms,
    /// How long a request may wait for a permit and run.
    pub timeout: Duration,
}

type Shared = Arc<App>;

/// An error answer: a status code and a JSON body.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    body: ErrorBody,
}

#[derive(Debug, Serialize)]
struct ErrorBody {
    error: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    query: Option<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError { status, body: ErrorBody { error: message.into(), column: None, query: None } }
    }

    fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, message)
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> ApiError {
        match e {
            Error::Query(q) => ApiError {
                status: StatusCode::BAD_REQUEST,
                body: ErrorBody {
                    error: format!("invalid query: {}", q.message),
                    column: Some(q.column + 1),
                    query: Some(q.query),
                },
            },
            e => {
                let status = match e.kind() {
                    Kind::BadRequest => StatusCode::BAD_REQUEST,
                    Kind::NotFound => StatusCode::NOT_FOUND,
                    Kind::Upstream => StatusCode::BAD_GATEWAY,
                    Kind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
                    Kind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
                };
                ApiError::new(status, e.to_string())
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut r = (self.status, Json(self.body)).into_response();
        r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        r
    }
}

type ApiResult<T> = Result<T, ApiError>;

/// The whole router.
pub fn router(app: Shared) -> Router {
    Router::new()
        .route("/", get(super::page::index))
        .route("/verify", get(super::page::index))
        .route("/harms", get(super::page::index))
        .route("/doc/{doc}", get(super::page::index))
        .route("/doc/{doc}/page/{page}", get(super::page::index))
        .route("/viewer", get(super::pdfjs::viewer))
        .route("/static/viewer.js", get(super::pdfjs::viewer_js))
        .route("/static/viewer.css", get(super::pdfjs::viewer_css))
        .route("/static/pdfjs/{version}/{file}", get(super::pdfjs::vendored))
        .route("/static/pdfjs/{version}/images/{file}", get(super::pdfjs::vendored_image))
        .route("/static/page.css", get(super::page::css))
        .route("/static/page.js", get(super::page::js))
        .route("/healthz", get(healthz))
        .route("/api/search", get(search))
        .route("/api/docs", get(docs))
        .route("/api/toc/{doc}", get(toc))
        .route("/api/page/{doc}", get(page_physical))
        .route("/api/page/{doc}/{page}", get(page_printed))
        .route("/api/references", get(references))
        .route("/api/harms", get(harms))
        .route(VERIFY_PATH, post(verify).layer(DefaultBodyLimit::max(MAX_VERIFY_BYTES)))
        .route("/pdf/{doc}", get(pdf))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(app.clone(), guard))
        .with_state(app)
}

/// Before routing: refuse requests addressed to another name (see `host`),
/// over-long requests and methods other than GET (and POST to
/// `/api/verify`); after: headers every answer carries.
async fn guard(State(app): State<Shared>, req: Request, next: Next) -> Response {
    let uri_len = req.uri().path_and_query().map(|p| p.as_str().len()).unwrap_or(0);
    // HTTP/1.1 says Host; HTTP/2 says :authority, which becomes the URI's.
    let host = match req.headers().get(header::HOST) {
        Some(v) => Some(String::from_utf8_lossy(v.as_bytes()).into_owned()),
        None => req.uri().authority().map(|a| a.as_str().to_string()),
    };
    let mut resp = if !host.as_deref().is_some_and(|h| app.hosts.allows(h)) {
        ApiError::new(StatusCode::MISDIRECTED_REQUEST, app.hosts.refusal(host.as_deref())).into_response()
    } else if uri_len > MAX_URI_BYTES {
        ApiError::new(
            StatusCode::URI_TOO_LONG,
            format!("the request address is {uri_len} bytes long; at most {MAX_URI_BYTES} are accepted"),
        )
        .into_response()
    } else if req.method() != Method::GET
        && req.method() != Method::HEAD
        && !(req.method() == Method::POST && req.uri().path() == VERIFY_PATH)
    {
        method_not_allowed().await.into_response()
    } else {
        next.run(req).await
    };
    let h = resp.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    resp
}

async fn not_found() -> ApiError {
    ApiError::not_found(
        "no such page; the API is /api/search?q=…, /api/docs, /api/toc/{doc}, /api/page/{doc}/{page}, \
         /api/harms, POST /api/verify, /pdf/{doc} and /healthz",
    )
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "only GET (and HEAD) requests are answered here, and POST at /api/verify (only there)",
    )
}

/// Which permits a piece of work needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cost {
    Cheap,
    /// A search with fuzzy or prefix terms: a costly permit first.
    Costly,
}

/// Run blocking index work off the async threads, within the concurrency
/// bound and the time limit, on the freshest generation.
async fn blocking<T, F>(app: &Shared, work: F) -> ApiResult<T>
where
    T: Send + 'static,
    F: FnOnce(&Live) -> ApiResult<T> + Send + 'static,
{
    blocking_as(app, Cost::Cheap, work).await
}

async fn blocking_as<T, F>(app: &Shared, cost: Cost, work: F) -> ApiResult<T>
where
    T: Send + 'static,
    F: FnOnce(&Live) -> ApiResult<T> + Send + 'static,
{
    let deadline = tokio::time::Instant::now() + app.timeout;
    let too_long = || {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "the request took longer than {} ms and was stopped; try a narrower query (a phrase, doc:, chapter:)",
                app.timeout.as_millis()
            ),
        )
    };
    let closed = || ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "the server is shutting down");
    let costly_permit = match cost {
        Cost::Cheap => None,
        Cost::Costly => match tokio::time::timeout_at(deadline, app.costly.clone().acquire_owned()).await {
            Ok(Ok(p)) => Some(p),
            Ok(Err(_)) => return Err(closed()),
            Err(_) => {
                return Err(ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    format!(
                        "the server is busy with other fuzzy or prefix searches (word~, word*) and this one waited \
                         {} ms; try again, or search plain words",
                        app.timeout.as_millis()
                    ),
                ))
            }
        },
    };
    let permit = match tokio::time::timeout_at(deadline, app.permits.clone().acquire_owned()).await {
        Ok(Ok(p)) => p,
        Ok(Err(_)) => return Err(closed()),
        Err(_) => return Err(too_long()),
    };
    let shared = app.clone();
    let task = tokio::task::spawn_blocking(move || {
        let _permits = (permit, costly_permit);
        let live = shared.index.current();
        work(&live)
    });
    match tokio::time::timeout_at(deadline, task).await {
        // An answer that came after the deadline is still too late: the
        // limit must not depend on how the runtime happened to poll.
        Ok(Ok(_)) if tokio::time::Instant::now() > deadline => Err(too_long()),
        Ok(Ok(result)) => result,
        Ok(Err(join)) => Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the request failed inside the server: {join}"),
        )),
        Err(_) => Err(too_long()),
    }
}

fn with_generation(mut resp: Response, generation: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(generation) {
        resp.headers_mut().insert("x-riskreg-generation", v);
    }
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    resp
}

#[derive(Debug, Serialize)]
struct Health {
    status: &'static str,
    generation: String,
    documents: usize,
    built_at: u64,
}

async fn healthz(State(app): State<Shared>) -> ApiResult<Response> {
    blocking(&app, |live| {
        let h = Health {
            status: "ok",
            generation: live.generation.clone(),
            documents: live.opened.meta.docs.len(),
            built_at: live.opened.meta.built_at,
        };
        Ok(with_generation(Json(h).into_response(), &live.generation))
    })
    .await
}

/// `/api/search` parameters, all optional strings so that every mistake gets
/// a message of ours rather than a framework's.
#[derive(Debug, Deserialize)]
pub struct SearchParams {
    q: Option<String>,
    doc: Option<String>,
    by: Option<String>,
    limit: Option<String>,
    offset: Option<String>,
    all_versions: Option<String>,
    as_of: Option<String>,
    /// Only the words typed, no vocabulary terms.
    exact: Option<String>,
}

fn parse_bool(name: &str, v: Option<&str>) -> ApiResult<bool> {
    match v.map(|s| s.trim().to_ascii_lowercase()).as_deref() {
        None | Some("") | Some("0") | Some("false") | Some("no") | Some("off") => Ok(false),
        Some("1") | Some("true") | Some("yes") | Some("on") => Ok(true),
        Some(other) => Err(ApiError::bad_request(format!("{name}={other}: say true or false"))),
    }
}

fn query_rejection(e: QueryRejection) -> ApiError {
    ApiError::bad_request(format!("unreadable query string: {}", e.body_text()))
}

async fn search(State(app): State<Shared>, params: Result<Query<SearchParams>, QueryRejection>) -> ApiResult<Response> {
    let Query(p) = params.map_err(query_rejection)?;
    let q = p.q.unwrap_or_default();
    if q.trim().is_empty() {
        return Err(ApiError::bad_request("say what to search for: /api/search?q=human+trafficking"));
    }
    let by = match p.by.as_deref().map(str::trim) {
        None | Some("") | Some("passage") | Some("passages") => By::Passage,
        Some("chapter") | Some("chapters") => By::Chapter,
        Some(other) => return Err(ApiError::bad_request(format!("by={other}: say by=chapter or by=passage"))),
    };
    // A web page may ask for more than there is room for: it gets the most
    // one search returns.
    let limit = match p.limit.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => match s.parse::<usize>() {
            Ok(n) => Some(n.min(MAX_LIMIT)),
            Err(_) => return Err(ApiError::bad_request(format!("limit={s}: say a number from 1 to {MAX_LIMIT}"))),
        },
    };
    let offset = match p.offset.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => match s.parse::<usize>() {
            Ok(n) => Some(n),
            Err(_) => return Err(ApiError::bad_request(format!("offset={s}: say a number from 0 to {MAX_OFFSET}"))),
        },
    };
    let req = SearchRequest::new(SearchInput {
        query: q,
        by,
        limit,
        offset,
        // `doc=ror,icjg`: either document.
        docs: p.doc.map(|d| d.split(',').map(str::to_string).collect()).unwrap_or_default(),
        all_versions: parse_bool("all_versions", p.all_versions.as_deref())?,
        as_of: p.as_of.map(|d| d.trim().to_string()).filter(|d| !d.is_empty()),
        exact: parse_bool("exact", p.exact.as_deref())?,
    })?;
    // The vocabulary adds phrases, never fuzzy or prefix terms: the cost is known now.
    let cost = if req.is_costly() { Cost::Costly } else { Cost::Cheap };
    blocking_as(&app, cost, move |live| {
        let mut req = req;
        let x = &live.vocabulary;
        req.expand(x);
        req.scope_harms(x, &live.opened.meta)?;
        let mut engine = Engine::new(&live.opened)?;
        let mut prepare = |r: &mut SearchRequest| {
            r.expand(x);
            r.scope_harms(x, &live.opened.meta)
        };
        let req = engine.unquoted_if_nothing(&req, &mut prepare)?.unwrap_or(req);
        // A search parameter naming no document is a bad request, not a missing page.
        let bad_doc = |e: Error| match e {
            e @ (Error::UnknownDoc { .. } | Error::AmbiguousDoc { .. }) => ApiError::bad_request(e.to_string()),
            e => ApiError::from(e),
        };
        let out = match req.by {
            By::Chapter => json::chapters(
                &req.query,
                &engine.chapters(&req.node, &req.options).map_err(bad_doc)?,
                LinkBase::Server,
            ),
            By::Passage => {
                json::hits(&req.query, &engine.hits(&req.node, &req.options).map_err(bad_doc)?, LinkBase::Server)
            }
        };
        let better = match req.options.offset {
            0 => engine.did_you_mean(&req.node, &req.query, out.total, &req.options)?,
            _ => None,
        };
        let mut out = out.with(&req, &better);
        // As `riskreg search --json`: the query's definition, when it is a defined term
        // (the server holds every definition in memory).
        out.definition = crate::index::terms::lookup(&live.opened.meta, &req.query, None)
            .first()
            .map(|(d, x)| json::definition(d, x, LinkBase::Server));
        Ok(with_generation(Json(out).into_response(), &live.generation))
    })
    .await
}

async fn docs(State(app): State<Shared>) -> ApiResult<Response> {
    blocking(&app, |live| {
        let resp = ([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], live.docs_body());
        Ok(with_generation(resp.into_response(), &live.generation))
    })
    .await
}

fn path_rejection(e: PathRejection) -> ApiError {
    ApiError::not_found(format!("no such page ({})", e.body_text()))
}

/// A document named in the URL (by id or file name), looked up among the
/// indexed ones only.
fn known_doc<'a>(live: &'a Live, id: &str) -> ApiResult<&'a crate::index::DocRecord> {
    Ok(live.opened.meta.check_doc(id)?)
}

async fn toc(State(app): State<Shared>, doc: Result<Path<String>, PathRejection>) -> ApiResult<Response> {
    let Path(doc) = doc.map_err(path_rejection)?;
    blocking(&app, move |live| {
        let d = known_doc(live, &doc)?;
        Ok(with_generation(Json(json::doc(d)).into_response(), &live.generation))
    })
    .await
}

#[derive(Debug, Deserialize)]
pub struct PageParams {
    pdf_page: Option<String>,
}

async fn page_printed(
    State(app): State<Shared>,
    path: Result<Path<(String, String)>, PathRejection>,
    params: Result<Query<PageParams>, QueryRejection>,
) -> ApiResult<Response> {
    let Path((doc, label)) = path.map_err(path_rejection)?;
    let Query(p) = params.map_err(query_rejection)?;
    if p.pdf_page.is_some() {
        return Err(ApiError::bad_request("give a printed page in the path or ?pdf_page=N, not both"));
    }
    page(app, doc, PageRef::Printed(label)).await
}

async fn page_physical(
    State(app): State<Shared>,
    path: Result<Path<String>, PathRejection>,
    params: Result<Query<PageParams>, QueryRejection>,
) -> ApiResult<Response> {
    let Path(doc) = path.map_err(path_rejection)?;
    let Query(p) = params.map_err(query_rejection)?;
    let Some(n) = p.pdf_page else {
        return Err(ApiError::bad_request(format!(
            "say which page: /api/page/{doc}/209 (printed) or /api/page/{doc}?pdf_page=217"
        )));
    };
    let n = n.trim().parse::<u32>().map_err(|_| ApiError::bad_request(format!("pdf_page={n}: say a page number")))?;
    page(app, doc, PageRef::Physical(n)).await
}

async fn page(app: Shared, doc: String, page: PageRef) -> ApiResult<Response> {
    blocking(&app, move |live| {
        let d = known_doc(live, &doc)?;
        let (physical, printed) = d.resolve_page(&page)?;
        let parts = Engine::new(&live.opened)?.page(&d.id, physical)?;
        let mut out = json::page(d, &printed, physical, Some(&format!("/pdf/{}", d.id)), &parts, &[]);
        out.references = d
            .references
            .iter()
            .filter(|r| r.page == physical)
            .map(|r| json::reference(&live.opened.meta, d, r, crate::render::link::LinkBase::Server))
            .collect();
        Ok(with_generation(Json(out).into_response(), &live.generation))
    })
    .await
}

/// Most pages `GET /api/references` answers for at once: the web page asks
/// for the pages of 20 results, each on one or two pages.
pub const MAX_REFERENCE_PAGES: usize = 100;

#[derive(Debug, Deserialize)]
pub struct ReferencesParams {
    pages: Option<String>,
}

/// `GET /api/references?pages=ror:217,icjg:451`: the references made on
/// each of those pages (document and PDF page), as `/api/page` lists them,
/// so the web page can make the references in a result's snippets links
/// without the search answer differing from the command line's `--json`.
async fn references(
    State(app): State<Shared>,
    params: Result<Query<ReferencesParams>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(p) = params.map_err(query_rejection)?;
    let wanted = parse_pages(p.pages.as_deref().unwrap_or(""))?;
    blocking(&app, move |live| {
        let mut out = json::PageReferencesOut { pages: Vec::new() };
        for (doc, pdf_page) in wanted {
            let d = known_doc(live, &doc)?;
            if pdf_page == 0 || pdf_page as usize > d.page_labels.len() {
                return Err(ApiError::not_found(format!(
                    "{}: no PDF page {pdf_page} (it has {})",
                    d.id,
                    d.page_labels.len()
                )));
            }
            let references = d
                .references
                .iter()
                .filter(|r| r.page == pdf_page)
                .map(|r| json::reference(&live.opened.meta, d, r, LinkBase::Server))
                .collect();
            out.pages.push(json::OnePageReferences { doc: d.id.clone(), pdf_page, references });
        }
        Ok(with_generation(Json(out).into_response(), &live.generation))
    })
    .await
}

/// `ror:217,icjg:451` → the pages, each once, in the order given.
fn parse_pages(list: &str) -> ApiResult<Vec<(String, u32)>> {
    let usage = "say which pages: /api/references?pages=ror:217,icjg:451 (document:PDF page, comma-separated)";
    let mut out: Vec<(String, u32)> = Vec::new();
    for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let Some((doc, n)) = item.rsplit_once(':') else {
            return Err(ApiError::bad_request(format!("{item}: {usage}")));
        };
        let n = n.trim().parse::<u32>().map_err(|_| ApiError::bad_request(format!("{item}: {usage}")))?;
        let page = (doc.trim().to_string(), n);
        if !out.contains(&page) {
            out.push(page);
        }
    }
    if out.is_empty() {
        return Err(ApiError::bad_request(usage));
    }
    if out.len() > MAX_REFERENCE_PAGES {
        return Err(ApiError::bad_request(format!(
            "{} pages asked for; at most {MAX_REFERENCE_PAGES} at once",
            out.len()
        )));
    }
    Ok(out)
}

#[derive(Debug, Deserialize)]
pub struct HarmsParams {
    harm: Option<String>,
}

/// `GET /api/harms[?harm=NAME]`: every kind of harm the vocabulary lists
/// with the chapters about it in each current document, or one harm's row:
/// what `riskreg harms --json` prints, with the server's PDF links. A harm
/// the vocabulary does not know is a 404 with the command line's message.
async fn harms(State(app): State<Shared>, params: Result<Query<HarmsParams>, QueryRejection>) -> ApiResult<Response> {
    let Query(p) = params.map_err(query_rejection)?;
    let asked = p.harm.map(|h| h.trim().to_string()).filter(|h| !h.is_empty());
    let (file, order) = (app.harms.file.clone(), app.harms.order.clone());
    blocking(&app, move |live| {
        // The vocabulary as the server last read it: a new file needs no restart.
        let list = live.vocabulary.harms();
        if list.is_empty() {
            return Err(Error::NoHarmList { path: file }.into());
        }
        let mut stemmer = crate::search::Stemmer::new();
        let mut stem = |w: &str| stemmer.stem(w);
        let (rows, docs) = crate::harms::table(list, &live.opened.meta.docs, &order, asked.as_deref(), &mut stem)
            .ok_or_else(|| Error::UnknownHarm {
                asked: asked.clone().unwrap_or_default(),
                known: list.iter().map(|h| h.name.clone()).collect(),
            })?;
        let out = json::harms(&rows, &docs, LinkBase::Server);
        Ok(with_generation(Json(out).into_response(), &live.generation))
    })
    .await
}

/// `POST /api/verify`'s body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VerifyBody {
    /// The draft, pasted: its lines are the report's lines.
    text: String,
}

/// `POST /api/verify` with `{"text": "…"}`: the citations in a pasted draft,
/// checked as `riskreg verify --json` checks a file, with the same report
/// (no corrected copy is written; each citation's `fix` says what to write).
async fn verify(
    State(app): State<Shared>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let json_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"));
    if !json_type {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send the draft as JSON: Content-Type: application/json, with a body of {\"text\": \"…\"}",
        ));
    }
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!(
                    "the draft is too large: at most {} bytes ({} MB) are checked at once; check it in parts, \
                     or with `riskreg verify FILE`",
                    MAX_VERIFY_BYTES,
                    MAX_VERIFY_BYTES / (1024 * 1024)
                ),
            )
        } else {
            ApiError::bad_request(format!("the request body could not be read: {}", e.body_text()))
        }
    })?;
    let VerifyBody { text } = serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_request(format!("the body must be {{\"text\": \"…the draft…\"}}: {e}")))?;
    let draft = crate::draft::from_bytes(PASTED_DRAFT, crate::draft::DraftKind::Text, text.into_bytes())?;
    blocking(&app, move |live| {
        let checked = {
            let cat = crate::verify::Catalogue::new(&live.opened.meta);
            let mut engine = Engine::new(&live.opened)?;
            let lines: Vec<&str> = draft.lines.iter().map(|l| l.text.as_str()).collect();
            crate::verify::check(&lines, &cat, &mut engine)?
        };
        let places: Vec<String> = draft.lines.iter().map(|l| l.place()).collect();
        let lines: Vec<json::DraftLineIn> =
            draft.lines.iter().zip(&places).map(|(l, place)| json::DraftLineIn { place, text: &l.text }).collect();
        let report = json::verify_report(&live.opened.meta, &draft.name, &lines, &checked, LinkBase::Server, None);
        Ok(with_generation(Json(report).into_response(), &live.generation))
    })
    .await
}

/// A document's file, from the index's own record: the URL only ever names
/// an id, never a path, and a record whose path would leave the corpus
/// folder is refused.
fn pdf_path(corpus: &FsPath, rel: &FsPath) -> Option<PathBuf> {
    if rel.as_os_str().is_empty() || !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return None;
    }
    Some(corpus.join(rel))
}

/// A file name safe to put in a header.
fn header_filename(file: &str) -> String {
    let name = FsPath::new(file).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let clean: String = name.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')).collect();
    if clean.is_empty() {
        "document.pdf".into()
    } else {
        clean
    }
}

async fn pdf(State(app): State<Shared>, doc: Result<Path<String>, PathRejection>) -> ApiResult<Response> {
    let Path(doc) = doc.map_err(path_rejection)?;
    let corpus = app.corpus.clone();
    blocking(&app, move |live| {
        // By id only: the address of a file never names a path.
        let d = match live.opened.meta.doc(&doc.to_lowercase()) {
            Some(d) => d,
            None => return Err(ApiError::not_found(format!("no document has the id \"{doc}\""))),
        };
        let path = pdf_path(&corpus, &d.rel_path())
            .ok_or_else(|| ApiError::not_found(format!("{} has no servable file", d.id)))?;
        let bytes = std::fs::read(&path)
            .map_err(|e| ApiError::not_found(format!("the PDF of {} is no longer at {}: {e}", d.id, path.display())))?;
        let disposition = format!("inline; filename=\"{}\"", header_filename(&d.file));
        let mut resp = bytes.into_response();
        let h = resp.headers_mut();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
        if let Ok(v) = HeaderValue::from_str(&disposition) {
            h.insert(header::CONTENT_DISPOSITION, v);
        }
        Ok(with_generation(resp, &live.generation))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_paths_stay_inside_the_corpus() {
        let c = FsPath::new("/corpus");
        assert_eq!(pdf_path(c, FsPath::new("sample/ror.pdf")), Some(PathBuf::from("/corpus/sample/ror.pdf")));
        for bad in ["", "../etc/passwd", "/etc/passwd", "sample/../../x.pdf", "./x.pdf"] {
            assert_eq!(pdf_path(c, FsPath::new(bad)), None, "{bad}");
        }
    }

    #[test]
    fn header_filenames_are_plain() {
        assert_eq!(header_filename("sample/ror.pdf"), "ror.pdf");
        assert_eq!(header_filename("a/we\"ird\r\nname.pdf"), "weirdname.pdf");
        assert_eq!(header_filename("\"\""), "document.pdf");
    }

    #[test]
    fn booleans() {
        assert!(parse_bool("x", Some("true")).unwrap());
        assert!(!parse_bool("x", None).unwrap());
        assert!(!parse_bool("x", Some("off")).unwrap());
        assert!(parse_bool("x", Some("maybe")).is_err());
    }
}
