// riskreg's PDF viewer: /viewer?doc=ror&page=217&search=trafficking&phrase=false
// opens /pdf/ror in PDF.js (vendored, served by riskreg itself), at PDF page
// 217, with the words searched for highlighted by PDF.js's find controller.
// The same parameters may come after a # (#page=217&search=…&phrase=true),
// as the browser's own viewer takes them. Text from the document only ever
// reaches the page through PDF.js's text layer or textContent.
import * as pdfjsLib from "/static/pdfjs/6.5.438/pdf.min.mjs";

const PDFJS = "/static/pdfjs/6.5.438";
// The viewer components read the library from here.
globalThis.pdfjsLib = pdfjsLib;
pdfjsLib.GlobalWorkerOptions.workerSrc = `${PDFJS}/pdf.worker.min.mjs`;

const $ = (id) => document.getElementById(id);
const bar = $("bar");
const container = $("viewerContainer");
const pageInfo = $("page-info");
const found = $("found");
const prev = $("prev");
const next = $("next");
const errorBox = $("viewer-error");

// Query string first, then the hash's parameters over it.
const params = new URLSearchParams(location.search);
for (const [k, v] of new URLSearchParams(location.hash.replace(/^#/, ""))) params.set(k, v);
const doc = (params.get("doc") || "").toLowerCase();
const asked = Math.max(1, parseInt(params.get("page") || "1", 10) || 1);
const search = (params.get("search") || "").trim();
const phrase = ["1", "true", "yes", "on"].includes((params.get("phrase") || "").toLowerCase());

let labels = []; // printed page labels, from /api/toc
let pageCount = 0;

function fail(message) {
  errorBox.hidden = false;
  errorBox.textContent = "";
  errorBox.append(document.createTextNode(`${message} `));
  if (/^[a-z0-9._-]+$/.test(doc)) {
    const a = document.createElement("a");
    a.href = `/pdf/${encodeURIComponent(doc)}#page=${asked}`;
    a.textContent = "Open it in the browser's own viewer instead.";
    errorBox.append(a);
  }
}

function fitBar() {
  container.style.top = `${bar.offsetHeight}px`;
}

function showPage(n) {
  const label = labels[n - 1];
  pageInfo.textContent = label && label !== String(n) ? `p. ${label} (PDF p. ${n} of ${pageCount})` : `PDF p. ${n} of ${pageCount}`;
  prev.disabled = n <= 1;
  next.disabled = n >= pageCount;
  $("fallback").href = `/pdf/${encodeURIComponent(doc)}#page=${n}`;
  $("page-text").href = `/doc/${encodeURIComponent(doc)}/page/${n}`;
  const p = new URLSearchParams(location.search);
  p.set("doc", doc);
  p.set("page", String(n));
  history.replaceState(null, "", `/viewer?${p}`);
  fitBar();
}

async function start() {
  fitBar();
  window.addEventListener("resize", fitBar);
  if (!/^[a-z0-9._-]+$/.test(doc)) {
    fail("Say which document: /viewer?doc=ror&page=217.");
    return;
  }
  $("fallback").href = `/pdf/${encodeURIComponent(doc)}#page=${asked}`;
  try {
    const r = await fetch(`/api/toc/${encodeURIComponent(doc)}`, { headers: { Accept: "application/json" } });
    const data = await r.json();
    if (!r.ok) {
      fail(data.error || `The server answered ${r.status}.`);
      return;
    }
    labels = data.page_labels || [];
    const title = data.display_title || data.id;
    $("doc-title").textContent = data.version ? `${title} · version ${data.version}` : title;
    document.title = `${title} · riskreg`;
  } catch (_) {
    fail("The server could not be reached.");
    return;
  }

  const { EventBus, PDFLinkService, PDFFindController, PDFViewer } = await import(`${PDFJS}/pdf_viewer.mjs`);
  const eventBus = new EventBus();
  const linkService = new PDFLinkService({ eventBus });
  const findController = new PDFFindController({ eventBus, linkService });
  const viewer = new PDFViewer({ container, viewer: $("viewer"), eventBus, linkService, findController });
  linkService.setViewer(viewer);
  let fitted = true; // page width until the reader zooms

  eventBus.on("pagesinit", () => {
    viewer.currentScaleValue = "page-width";
    viewer.currentPageNumber = Math.min(asked, pageCount);
    showPage(viewer.currentPageNumber);
    if (search) {
      eventBus.dispatch("find", {
        source: null,
        type: "",
        // A string is looked for as one phrase, a list word by word.
        query: phrase ? search : search.split(/\s+/).filter(Boolean),
        caseSensitive: false,
        entireWord: false,
        highlightAll: true,
        findPrevious: false,
        matchDiacritics: false,
      });
    }
  });
  eventBus.on("pagechanging", (e) => showPage(e.pageNumber));
  eventBus.on("updatefindmatchescount", (e) => {
    const total = e.matchesCount ? e.matchesCount.total : 0;
    found.textContent = total ? `“${search}”: ${total} ${total === 1 ? "match" : "matches"} highlighted` : "";
  });
  eventBus.on("updatefindcontrolstate", (e) => {
    // FindState.NOT_FOUND
    if (e.state === 1) found.textContent = `“${search}” is not in the PDF's text`;
  });
  window.addEventListener("resize", () => {
    if (fitted) viewer.currentScaleValue = "page-width";
  });
  prev.addEventListener("click", () => viewer.previousPage());
  next.addEventListener("click", () => viewer.nextPage());
  $("zoom-in").addEventListener("click", () => {
    fitted = false;
    viewer.increaseScale();
  });
  $("zoom-out").addEventListener("click", () => {
    fitted = false;
    viewer.decreaseScale();
  });

  try {
    const pdf = await pdfjsLib.getDocument({ url: `/pdf/${encodeURIComponent(doc)}`, isEvalSupported: false }).promise;
    pageCount = pdf.numPages;
    viewer.setDocument(pdf);
    linkService.setDocument(pdf, null);
  } catch (e) {
    fail(`The PDF could not be shown here (${(e && e.message) || e}).`);
  }
}

start();
