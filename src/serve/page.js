// riskreg's web page: one script for every view, each with its own address
// (history.pushState, so reloading and the back button work):
//   /?q=…&doc=…&as_of=…&all_versions=…&offset=…   search (no q: the documents)
//   /doc/{id}                                       a document's contents
//   /doc/{id}/page/{pdf page}                       a page's text, previous/next
//   /harms                                          every harm and its chapters
//   /verify                                         check a draft's citations
// The PDF viewer is a page of its own (/viewer, viewer.js). No framework, no
// external assets.
//
// Everything shown from the index (titles, headings, snippets, page text)
// comes from PDFs, and a pasted draft from anyone: both are untrusted and
// only ever put in the page with textContent / text nodes, never parsed as
// HTML. Links are only ever the server's own /pdf/ addresses.
"use strict";

(function () {
  const form = document.getElementById("search");
  const input = document.getElementById("q");
  const docBoxes = document.getElementById("doc-boxes");
  const docsSummary = document.getElementById("docs-summary");
  const asOf = document.getElementById("as_of");
  const allVersions = document.getElementById("all_versions");
  const moreButton = document.getElementById("more");
  const browse = document.getElementById("browse");
  const docList = document.getElementById("doc-list");
  const exactBox = document.getElementById("exact");
  const statusEl = document.getElementById("status");
  const insteadEl = document.getElementById("instead");
  const alsoEl = document.getElementById("also");
  const suggestEl = document.getElementById("suggest");
  const list = document.getElementById("results");
  const definitionBox = document.getElementById("definition");
  // Results the page asks for at a time ("Show more" asks for as many again).
  const BATCH = 20;
  // The most one search returns (the API's MAX_LIMIT): a reload of a long
  // list asks for it all at once up to here.
  const MAX_LIMIT = 1000;

  let docsLoaded = null; // a promise of /api/docs's documents ([] when it failed)
  let pending = null; // the AbortController of the search in flight
  let pendingDocs = []; // docs from the URL, applied once the list of documents is in
  let shown = null; // the search on screen: {params, offset of its first result, count, total, mode, seen}

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else node.setAttribute(k, v);
    }
    for (const c of children) {
      if (c == null) continue;
      node.append(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return node;
  }

  function by() {
    const checked = form.querySelector('input[name="by"]:checked');
    return checked ? checked.value : "chapter";
  }

  function setBy(value) {
    const radio = form.querySelector(`input[name="by"][value="${value === "passage" ? "passage" : "chapter"}"]`);
    if (radio) radio.checked = true;
  }

  // "Also searched: “stalking”, “harassment”." and "Did you mean trafficking?",
  // the suggestion a link that runs it.
  function setHints(data) {
    // A quoted phrase no page has as written: its words were searched instead.
    const instead = data && data.searched_instead;
    insteadEl.textContent = "";
    insteadEl.hidden = !instead;
    if (instead) {
      insteadEl.append(`No page has ${data.query} as written; showing matches for its words: `, el("strong", {}, instead), ".");
    }
    const terms = (data && data.also_searched) || [];
    alsoEl.textContent = "";
    alsoEl.hidden = terms.length === 0;
    if (terms.length) {
      alsoEl.append("Also searched: ");
      terms.forEach((t, i) => {
        if (i) alsoEl.append(", ");
        alsoEl.append(el("mark", { class: "also-term" }, `“${t}”`));
      });
      alsoEl.append(". Tick “Exact words” to search only the words typed.");
    }
    const better = data && data.did_you_mean;
    suggestEl.textContent = "";
    suggestEl.hidden = !better;
    if (better) {
      const p = formParams();
      p.set("q", better);
      const a = el("a", { href: `/?${p}`, id: "did-you-mean" }, better);
      a.addEventListener("click", (e) => {
        e.preventDefault();
        input.value = better;
        submit(true);
      });
      suggestEl.append("Did you mean ", a, "?");
    }
  }

  function setStatus(text, isError) {
    statusEl.className = isError ? "error" : "";
    statusEl.textContent = text;
  }

  // The documents ticked in the filter (none: all).
  function checkedDocs() {
    return Array.from(docBoxes.querySelectorAll('input[name="doc"]:checked')).map((b) => b.value);
  }

  function setDocs(ids) {
    for (const box of docBoxes.querySelectorAll('input[name="doc"]')) box.checked = ids.includes(box.value);
    summarizeDocs();
  }

  function summarizeDocs() {
    const ids = checkedDocs();
    docsSummary.textContent = ids.length ? `Documents: ${ids.join(", ")}` : "Documents: all";
  }

  // A date and all editions cannot be asked for together: one turns the other off.
  function syncEditions() {
    asOf.disabled = allVersions.checked;
  }

  // The current form as URL parameters (only the ones that differ from the defaults).
  function formParams() {
    const p = new URLSearchParams();
    p.set("q", input.value.trim());
    if (by() === "passage") p.set("by", "passage");
    const docs = checkedDocs();
    if (docs.length) p.set("doc", docs.join(","));
    if (allVersions.checked) p.set("all_versions", "true");
    else if (asOf.value) p.set("as_of", asOf.value);
    if (exactBox.checked) p.set("exact", "true");
    return p;
  }

  const yes = (v) => ["1", "true", "on", "yes"].includes((v || "").toLowerCase());

  function readUrl() {
    const p = new URLSearchParams(location.search);
    input.value = p.get("q") || "";
    setBy(p.get("by") || "chapter");
    pendingDocs = (p.get("doc") || "").toLowerCase().split(",").map((d) => d.trim()).filter(Boolean);
    setDocs(pendingDocs);
    allVersions.checked = yes(p.get("all_versions"));
    asOf.value = /^\d{4}-\d{2}-\d{2}$/.test(p.get("as_of") || "") ? p.get("as_of") : "";
    syncEditions();
    exactBox.checked = yes(p.get("exact"));
    return p;
  }

  // "Register of Risks (sample) · version 419942 · 2024-12-16 · superseded"
  function editionText(d) {
    const parts = [];
    if (d.version) parts.push(`version ${d.version}`);
    if (d.date) parts.push(d.date);
    return parts.join(" · ");
  }

  async function fetchDocs() {
    try {
      const r = await fetch("/api/docs", { headers: { Accept: "application/json" } });
      if (!r.ok) return [];
      const data = await r.json();
      return data.documents || [];
    } catch (_) {
      return [];
    }
  }

  // The filter's boxes and the landing page's list, from /api/docs.
  async function loadDocs() {
    const docs = await fetchDocs();
    for (const d of docs) {
      let label = d.display_title || d.id;
      const edition = editionText(d);
      if (edition) label += ` (${edition})`;
      if (d.superseded_by) label += " · superseded";
      const box = el("input", { type: "checkbox", name: "doc", value: d.id });
      box.checked = pendingDocs.includes(d.id);
      box.addEventListener("change", () => {
        summarizeDocs();
        if (input.value.trim()) submit(true);
      });
      docBoxes.append(el("label", { class: "doc-box" }, box, label));

      const li = el("li", { class: "doc-entry" });
      li.append(el("a", { href: `/doc/${encodeURIComponent(d.id)}`, "data-nav": "", class: "doc-title", text: d.display_title || d.id }));
      const facts = [];
      if (edition) facts.push(edition);
      facts.push(`${d.pages} ${d.pages === 1 ? "page" : "pages"}`);
      facts.push(`${(d.toc || []).length} chapters`);
      li.append(el("p", { class: "doc-facts", text: facts.join(" · ") }));
      const status = d.superseded_by
        ? el("span", { class: "badge", text: `superseded by ${d.superseded_by}` })
        : el("span", { class: "badge current", text: "current" });
      li.querySelector(".doc-facts").append(" ", status);
      docList.append(li);
    }
    summarizeDocs();
    return docs;
  }

  // Snippet text with its highlights, as text nodes and <mark> elements;
  // the references among `refs` (the ones its page makes) that stand in it
  // are links to the places they lead. Highlights are [start, end) in
  // Unicode code points.
  function snippetNode(s, refs) {
    const block = el("blockquote", { class: "snippet" });
    const mark = s.footnote ? `fn ${s.footnote}` : s.paragraph ? `¶${s.paragraph}` : "";
    if (mark) block.append(el("span", { class: "para", text: mark }));
    const cps = Array.from(s.text || "");
    const spans = (s.highlights || [])
      .filter(([start, end]) => start >= 0 && end > start && end <= cps.length)
      .sort((a, b) => a[0] - b[0]);
    let at = 0;
    for (const found of referenceSpans(s.text || "", refs || [])) {
      if (found.start > at) appendMarked(block, cps, at, found.start, spans);
      const t = found.ref.target;
      const a = pdfLink(t.pdf_link, "", `${t.citation} (PDF p. ${t.pdf_page})`);
      a.classList.add("ref-link");
      appendMarked(a, cps, found.start, found.end, spans);
      block.append(a);
      at = found.end;
    }
    appendMarked(block, cps, at, cps.length, spans);
    return block;
  }

  // Code points [from, to) of a snippet, with the highlights that fall there.
  function appendMarked(parent, cps, from, to, spans) {
    let at = from;
    for (const [start, end] of spans) {
      const s0 = Math.max(start, at);
      const e0 = Math.min(end, to);
      if (e0 <= s0) continue;
      if (s0 > at) parent.append(document.createTextNode(cps.slice(at, s0).join("")));
      parent.append(el("mark", { text: cps.slice(s0, e0).join("") }));
      at = e0;
    }
    if (at < to) parent.append(document.createTextNode(cps.slice(at, to).join("")));
  }

  // Where the resolved references' printed text stands in a snippet:
  // [{start, end, ref}] in code points, in order, none overlapping.
  function referenceSpans(text, refs) {
    const found = [];
    const seen = new Set();
    for (const ref of refs) {
      const t = ref.target;
      if (!t || typeof t.pdf_link !== "string" || !t.pdf_link.startsWith("/pdf/")) continue;
      const needle = (ref.text || "").replace(/\s+/g, " ").trim();
      if (!needle || seen.has(needle)) continue;
      seen.add(needle);
      for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) {
        const start = Array.from(text.slice(0, i)).length;
        found.push({ start, end: start + Array.from(needle).length, ref });
      }
    }
    found.sort((a, b) => a.start - b.start || b.end - a.end);
    const out = [];
    let at = 0;
    for (const f of found) {
      if (f.start >= at) {
        out.push(f);
        at = f.end;
      }
    }
    return out;
  }

  // Once results are shown: ask which references their pages make, and
  // redraw the snippets that quote one with it as a link. Results stay as
  // they are when the server cannot say.
  async function linkReferences(results, nodes, ctl) {
    const pages = [];
    const pagesOf = (c) => {
      const out = [`${c.doc}:${c.pdf_page}`];
      if (c.pdf_page_end && c.pdf_page_end !== c.pdf_page) out.push(`${c.doc}:${c.pdf_page_end}`);
      return out;
    };
    for (const res of results) {
      for (const p of pagesOf(res.citation)) if (!pages.includes(p)) pages.push(p);
    }
    if (!pages.length) return;
    let data;
    try {
      const r = await fetch(`/api/references?pages=${encodeURIComponent(pages.join(","))}`, {
        signal: ctl.signal,
        headers: { Accept: "application/json" },
      });
      if (!r.ok) return;
      data = await r.json();
    } catch (_) {
      return;
    }
    const byPage = new Map();
    for (const p of data.pages || []) byPage.set(`${p.doc}:${p.pdf_page}`, p.references || []);
    results.forEach((res, i) => {
      const refs = pagesOf(res.citation).flatMap((p) => byPage.get(p) || []);
      if (!refs.length || !nodes[i].isConnected) return;
      const blocks = nodes[i].querySelectorAll("blockquote.snippet");
      (res.snippets || []).forEach((s, j) => {
        if (blocks[j]) blocks[j].replaceWith(snippetNode(s, refs));
      });
    });
  }

  async function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      try {
        await navigator.clipboard.writeText(text);
        return true;
      } catch (_) {
        // fall through to the old way
      }
    }
    const area = el("textarea", { readonly: "", "aria-hidden": "true" });
    area.value = text;
    area.style.position = "fixed";
    area.style.top = "-1000px";
    document.body.append(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (_) {
      ok = false;
    }
    area.remove();
    return ok;
  }

  // What "Copy citation" copies: the style chosen in `select` (riskreg's
  // line, OSCOLA or short), as the API gives each in `citation.styles`.
  function styleMenu(c, shown) {
    const select = el("select", { class: "cite-style", "aria-label": "Citation style" });
    for (const [value, label] of [["riskreg", "riskreg"], ["oscola", "OSCOLA"], ["short", "short"]]) {
      select.append(el("option", { value, text: label }));
    }
    select.addEventListener("change", () => {
      shown.textContent = (c.styles && c.styles[select.value]) || c.text;
    });
    return select;
  }

  function copyButton(text) {
    const b = el("button", { type: "button", class: "copy", text: "Copy citation" });
    b.addEventListener("click", async () => {
      const ok = await copyText(typeof text === "function" ? text() : text);
      b.textContent = ok ? "Copied" : "Copy failed: select the citation and copy it";
      b.classList.toggle("copied", ok);
      setStatus(ok ? "Citation copied." : "Could not copy; select the citation text instead.", !ok);
      setTimeout(() => {
        b.textContent = "Copy citation";
        b.classList.remove("copied");
      }, 2500);
    });
    return b;
  }

  function pageButton(c, holder) {
    const b = el("button", { type: "button", class: "read", "aria-expanded": "false", text: "Read the page" });
    b.addEventListener("click", async () => {
      if (!holder.hidden) {
        holder.hidden = true;
        b.setAttribute("aria-expanded", "false");
        b.textContent = "Read the page";
        return;
      }
      holder.hidden = false;
      b.setAttribute("aria-expanded", "true");
      b.textContent = "Hide the page";
      if (holder.dataset.loaded) return;
      holder.textContent = "Loading…";
      try {
        const r = await fetch(`/api/page/${encodeURIComponent(c.doc)}?pdf_page=${c.pdf_page}`);
        const data = await r.json();
        holder.textContent = "";
        if (!r.ok) {
          holder.append(el("p", { text: data.error || `error ${r.status}` }));
          return;
        }
        holder.append(el("h3", { text: `p. ${data.page} (PDF p. ${data.pdf_page})` }));
        for (const s of data.sections || []) {
          if (s.chapter_heading) holder.append(el("h3", { text: s.chapter_heading }));
          holder.append(el("div", { text: s.text }));
        }
        if ((data.footnotes || []).length) {
          holder.append(el("h3", { text: "Notes at the foot of the page" }));
          const list = el("ol", { class: "notes" });
          for (const n of data.footnotes) list.append(el("li", { text: `${n.number} ${n.text}` }));
          holder.append(list);
        }
        if ((data.references || []).length) {
          holder.append(el("h3", { text: "References on this page" }));
          const refs = el("ul", { class: "refs" });
          for (const ref of data.references) refs.append(referenceNode(ref));
          holder.append(refs);
        }
        holder.dataset.loaded = "1";
      } catch (e) {
        holder.textContent = "Could not load the page.";
      }
    });
    return b;
  }

  // A link to one of the server's own PDF pages, or null for anything else.
  function pdfLink(href, text, title) {
    if (typeof href !== "string" || !href.startsWith("/pdf/")) return null;
    const a = el("a", { class: "target", href, target: "_blank", rel: "noopener", text });
    if (title) a.setAttribute("title", title);
    return a;
  }

  // One reference a page makes: its text as printed, linking to the place it
  // leads; an unresolved one says so.
  function referenceNode(ref) {
    const li = el("li", { class: "ref" });
    const t = ref.target;
    const link = t ? pdfLink(t.pdf_link, ref.text, t.citation) : null;
    if (link) {
      li.append(link, el("span", { class: "where", text: ` → ${t.citation} (PDF p. ${t.pdf_page})` }));
    } else {
      li.classList.add("unresolved");
      li.append(el("span", { class: "ref-text", text: ref.text }));
      li.append(el("span", { class: "where", text: ` · unresolved${ref.unresolved ? `: ${ref.unresolved}` : ""}` }));
    }
    return li;
  }

  function resultNode(r, mode) {
    const c = r.citation;
    const li = el("li", { class: "result" });
    const doc = el("p", { class: "doc", text: c.doc_title });
    if (c.version) doc.append(document.createTextNode(` · version ${c.version}`));
    if (c.date) doc.append(document.createTextNode(` · ${c.date}`));
    if (!c.current) doc.append(el("span", { class: "badge", text: "superseded" }));
    li.append(doc);
    const heading = c.chapter_heading || "Front matter";
    li.append(el("h2", { text: heading }));
    if (mode === "chapters") {
      const n = r.matching_pages || 0;
      li.append(
        el("p", {
          class: "pages",
          text: `${c.chapter_pages} (PDF ${c.chapter_pdf_start === c.chapter_pdf_end ? "p." : "pp."} ${
            c.chapter_pdf_start === c.chapter_pdf_end ? c.chapter_pdf_start : `${c.chapter_pdf_start}–${c.chapter_pdf_end}`
          }) · ${n} matching ${n === 1 ? "page" : "pages"}`,
        }),
      );
    } else {
      const pages = c.page_end ? `pp. ${c.page}–${c.page_end} (PDF pp. ${c.pdf_page}–${c.pdf_page_end})` : `p. ${c.page} (PDF p. ${c.pdf_page})`;
      const note = c.footnote ? ` · fn ${c.footnote}` : "";
      li.append(el("p", { class: "pages", text: `${pages}${note}${c.paragraph ? ` · ¶${c.paragraph}` : ""}` }));
    }
    for (const s of r.snippets || []) li.append(snippetNode(s));
    const cite = el("p", { class: "cite" }, el("span", { class: "label", text: mode === "chapters" ? "Best passage:" : "Cite:" }));
    const shown = el("span", { class: "citation", text: c.text });
    cite.append(shown);
    li.append(cite);
    const pageHolder = el("div", { class: "page-text", hidden: "" });
    const pdf = openPdfLink(c, markedWords(r.snippets));
    const menu = styleMenu(c, shown);
    const actions = el("div", { class: "actions" }, menu, copyButton(() => shown.textContent), pdf, pageButton(c, pageHolder));
    if (mode === "chapters" && c.chapter) {
      const more = el("button", { type: "button", class: "passages", text: "Passages in this chapter" });
      more.addEventListener("click", () => {
        const base = input.value.trim().replace(/\s+(doc|chapter):\S+/g, "");
        input.value = `${base} doc:${c.doc} chapter:${c.chapter}`;
        setBy("passage");
        submit(true);
      });
      actions.append(more);
      actions.append(
        el("a", { class: "chapter-start", href: `/doc/${encodeURIComponent(c.doc)}/page/${c.chapter_pdf_start}`, "data-nav": "", text: "Read the chapter" }),
      );
    }
    li.append(actions, pageHolder);
    return li;
  }

  function showError(status, data, q) {
    list.textContent = "";
    showDefinition(null);
    const message = (data && data.error) || `The server answered ${status}.`;
    setStatus(message, true);
    if (data && data.column && data.query) {
      // Point at the problem under the query, as the command line does.
      const detail = el("code", { class: "error-detail" });
      detail.textContent = `${data.query}\n${" ".repeat(Math.max(0, data.column - 1))}^`;
      statusEl.append(detail);
    } else if (q == null) {
      input.focus();
    }
  }

  // The words a result marks, for the viewer to highlight: one phrase when
  // every mark is the same words, else each word once.
  function markedWords(snippets) {
    const marks = [];
    for (const s of snippets || []) {
      const cps = Array.from(s.text || "");
      for (const [start, end] of s.highlights || []) {
        const m = cps.slice(start, end).join("").replace(/\s+/g, " ").trim().toLowerCase();
        if (m && !marks.includes(m)) marks.push(m);
      }
    }
    if (marks.length === 1 && marks[0].includes(" ")) return { search: marks[0], phrase: true };
    const words = [];
    for (const m of marks) for (const w of m.split(" ")) if (!words.includes(w)) words.push(w);
    return { search: words.join(" "), phrase: false };
  }

  // The viewer's address: the document at a PDF page, `words` highlighted.
  function viewerHref(doc, pdfPage, words) {
    const p = new URLSearchParams({ doc, page: String(pdfPage) });
    if (words && words.search) {
      p.set("search", words.search);
      if (words.phrase) p.set("phrase", "true");
    }
    return `/viewer?${p}`;
  }

  // "Open the PDF at p. N": the server's copy of a citation's PDF in the
  // viewer, at its page, the matched words highlighted; and the plain file
  // at that page in the browser's own viewer, should ours not work there.
  function openPdfLink(c, words) {
    const viewer = el("a", {
      class: "pdf",
      href: viewerHref(c.doc, c.pdf_page, words),
      target: "_blank",
      rel: "noopener",
      text: `Open the PDF at p. ${c.page}`,
    });
    const plain = el("a", {
      class: "pdf-plain",
      href: `/pdf/${encodeURIComponent(c.doc)}#page=${c.pdf_page}`,
      target: "_blank",
      rel: "noopener",
      title: "The PDF in the browser's own viewer",
      text: "(browser's viewer)",
    });
    return el("span", { class: "pdf-links" }, viewer, " ", plain);
  }

  // The query is a term a document defines: its definition, cited, above the results.
  function showDefinition(d) {
    definitionBox.textContent = "";
    definitionBox.hidden = !d;
    if (!d) return;
    const c = d.citation;
    definitionBox.append(
      el("p", { class: "label", text: d.kind === "glossary" ? "Defined in the glossary" : "Defined in the text" }),
      el("h2", { class: "term", text: d.term }),
      el("p", { class: "text", text: d.text }),
    );
    const shown = el("span", { class: "citation", text: c.text });
    definitionBox.append(el("p", { class: "cite" }, el("span", { class: "label", text: "Cite:" }), shown));
    const pdf = openPdfLink(c, { search: d.term.replace(/\s*\(.*\)\s*$/, ""), phrase: true });
    definitionBox.append(el("div", { class: "actions" }, copyButton(() => shown.textContent), pdf));
  }

  // What a result is, to see none is shown twice.
  function resultKey(res, mode) {
    const c = res.citation;
    return mode === "chapters" ? `${c.doc}|${c.chapter}|${c.chapter_pdf_start}` : `${c.doc}|${c.pdf_page}|${c.footnote || ""}`;
  }

  function searchStatus() {
    if (!shown) return;
    const noun = shown.mode === "chapters" ? "chapter" : "passage";
    const q = shown.query;
    const last = shown.offset + shown.count;
    if (shown.total === 0) {
      setStatus(`Nothing matches “${q}”. Try fewer words, a word's stem with *, or “All editions”.`);
    } else if (shown.offset > 0) {
      setStatus(`Matching ${noun}s ${shown.offset + 1}–${last} of ${shown.total} for “${q}”.`);
    } else if (shown.total > last) {
      setStatus(`The best ${last} of ${shown.total} matching ${noun}s for “${q}”.`);
    } else {
      setStatus(`${shown.total} matching ${noun}${shown.total === 1 ? "" : "s"} for “${q}”.`);
    }
    const left = shown.total - last;
    moreButton.hidden = left <= 0;
    moreButton.textContent = `Show ${Math.min(BATCH, left)} more (${left} not shown)`;
  }

  // One request to /api/search: {r, data}, or null when overtaken by another.
  async function fetchSearch(params, offset, limit, ctl) {
    const api = new URLSearchParams(params);
    api.delete("offset");
    api.set("by", params.get("by") === "passage" ? "passage" : "chapter");
    api.set("limit", String(limit));
    if (offset) api.set("offset", String(offset));
    const r = await fetch(`/api/search?${api}`, { signal: ctl.signal, headers: { Accept: "application/json" } });
    const data = await r.json().catch(() => null);
    return { r, data };
  }

  // Show the search `params` asks for. Its `offset` is where the last batch
  // "Show more" loaded starts: a reload shows the results up to that batch's
  // end (as one request, up to the most one search returns; beyond that,
  // from `offset` on).
  async function run(params) {
    const q = params.get("q") || "";
    if (pending) pending.abort();
    setHints(null);
    moreButton.hidden = true;
    browse.hidden = !!q.trim();
    if (!q.trim()) {
      shown = null;
      showDefinition(null);
      list.textContent = "";
      setStatus("");
      return;
    }
    const ctl = new AbortController();
    pending = ctl;
    const upTo = Math.max(0, Math.min(parseInt(params.get("offset") || "0", 10) || 0, 10000));
    const from = upTo + BATCH <= MAX_LIMIT ? 0 : upTo;
    setStatus("Searching…");
    let got;
    try {
      got = await fetchSearch(params, from, upTo + BATCH - from, ctl);
    } catch (e) {
      if (e.name === "AbortError") return;
      list.textContent = "";
      setStatus("The server could not be reached.", true);
      return;
    }
    if (pending !== ctl) return;
    pending = null;
    const { r, data } = got;
    if (!r.ok || !data) {
      shown = null;
      showError(r.status, data);
      return;
    }
    list.textContent = "";
    list.start = from + 1;
    setHints(data);
    showDefinition(data.definition);
    shown = { params, query: data.query, mode: data.mode, offset: from, count: 0, total: data.total, seen: new Set() };
    appendResults(data.results, ctl);
    searchStatus();
  }

  function appendResults(results, ctl) {
    const fresh = results.filter((res) => {
      const k = resultKey(res, shown.mode);
      if (shown.seen.has(k)) return false;
      shown.seen.add(k);
      return true;
    });
    const nodes = fresh.map((res) => resultNode(res, shown.mode));
    const frag = document.createDocumentFragment();
    frag.append(...nodes);
    list.append(frag);
    shown.count += results.length;
    linkReferences(fresh, nodes, ctl);
  }

  // "Show more": the next batch after the ones shown, added below them; the
  // address says how far the list goes, so a reload shows the same list.
  async function showMore() {
    if (!shown || pending) return;
    const ctl = new AbortController();
    pending = ctl;
    const offset = shown.offset + shown.count;
    moreButton.disabled = true;
    setStatus("Loading more…");
    let got;
    try {
      got = await fetchSearch(shown.params, offset, BATCH, ctl);
    } catch (e) {
      if (e.name !== "AbortError") setStatus("The server could not be reached.", true);
      return;
    } finally {
      moreButton.disabled = false;
      if (pending === ctl) pending = null;
    }
    const { r, data } = got;
    if (!r.ok || !data) {
      showError(r.status, data);
      return;
    }
    const firstNew = list.children.length;
    shown.total = data.total;
    appendResults(data.results, ctl);
    const p = new URLSearchParams(shown.params);
    p.set("offset", String(offset));
    shown.params = p;
    history.replaceState(null, "", `/?${p}`);
    searchStatus();
    // Keyboard and screen-reader users land on the first new result.
    const next = list.children[firstNew];
    if (next) {
      next.tabIndex = -1;
      next.focus({ preventScroll: false });
    }
  }

  function submit(push) {
    const params = formParams();
    const url = params.get("q") ? `/?${params}` : "/";
    if (push && url !== location.pathname + location.search) history.pushState(null, "", url);
    else history.replaceState(null, "", url);
    return run(params);
  }

  // ---- Check a draft (/verify)

  const verifyForm = document.getElementById("verify-form");
  const draftBox = document.getElementById("draft");
  const checkButton = document.getElementById("check");
  const verifyStatus = document.getElementById("verify-status");
  const checks = document.getElementById("checks");

  function setVerifyStatus(text, isError) {
    verifyStatus.className = isError ? "error" : "";
    verifyStatus.textContent = text;
  }

  // One checked citation: where it is, as written, ok or its problems, the
  // correction, and a link to each place it leads.
  function checkNode(c) {
    const ok = c.status === "ok";
    const li = el("li", { class: `check ${ok ? "ok" : "problem"}` });
    const head = el("p", { class: "check-head" });
    head.append(el("span", { class: "place", text: `${c.line}:${c.column}` }));
    head.append(el("span", { class: "cited", text: c.text }));
    head.append(el("span", { class: "verdict", text: ok ? "ok" : "problem" }));
    li.append(head);
    if (!ok) {
      const problems = el("ul", { class: "problems" });
      for (const p of c.problems || []) problems.append(el("li", { text: p }));
      li.append(problems);
    }
    if (c.fix) {
      li.append(el("p", { class: "fix" }, el("span", { class: "label", text: "Write: " }), el("span", { class: "fix-text", text: c.fix })));
    }
    const targets = el("p", { class: "targets" });
    for (const pin of c.pins || []) {
      const t = pin.target;
      const link = t ? pdfLink(t.pdf_link, `${t.citation} (PDF p. ${t.pdf_page})`) : null;
      if (link) targets.append(link);
      else targets.append(el("span", { class: "unresolved", text: `${pin.kind} ${pin.value}: not found` }));
    }
    if (targets.childNodes.length) li.append(targets);
    return li;
  }

  async function checkDraft() {
    const text = draftBox.value;
    checks.textContent = "";
    if (!text.trim()) {
      setVerifyStatus("Paste a draft to check.", true);
      draftBox.focus();
      return;
    }
    setVerifyStatus("Checking…");
    checkButton.disabled = true;
    let r;
    let data;
    try {
      r = await fetch("/api/verify", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ text }),
      });
      data = await r.json().catch(() => null);
    } catch (_) {
      setVerifyStatus("The server could not be reached.", true);
      return;
    } finally {
      checkButton.disabled = false;
    }
    if (!r.ok || !data) {
      setVerifyStatus((data && data.error) || `The server answered ${r.status}.`, true);
      return;
    }
    const frag = document.createDocumentFragment();
    for (const c of data.citations || []) frag.append(checkNode(c));
    checks.append(frag);
    const n = (data.citations || []).length;
    if (n === 0) setVerifyStatus("No citations of the indexed documents were found in the draft.");
    else if (data.problems === 0) setVerifyStatus(`${n} citation${n === 1 ? "" : "s"}: all ok.`);
    else setVerifyStatus(`${n} citation${n === 1 ? "" : "s"}: ${data.ok} ok, ${data.problems} with problems.`, false);
  }

  // ---- A document's contents (/doc/{id}) and its pages (/doc/{id}/page/{n})

  const tocTitle = document.getElementById("toc-title");
  const tocMeta = document.getElementById("toc-meta");
  const tocStatus = document.getElementById("toc-status");
  const tocList = document.getElementById("toc");
  const pageTitle = document.getElementById("page-title");
  const pageToc = document.getElementById("page-toc");
  const pagePrev = document.getElementById("page-prev");
  const pageNext = document.getElementById("page-next");
  const pageWhere = document.getElementById("page-where");
  const pageLinks = document.getElementById("page-links");
  const pageStatus = document.getElementById("page-status");
  const pageBody = document.getElementById("page-body");
  const tocs = new Map(); // id → /api/toc answer, so paging does not ask again

  async function fetchToc(id) {
    if (tocs.has(id)) return { ok: true, data: tocs.get(id) };
    try {
      const r = await fetch(`/api/toc/${encodeURIComponent(id)}`, { headers: { Accept: "application/json" } });
      const data = await r.json().catch(() => null);
      if (r.ok && data) tocs.set(id, data);
      return { ok: r.ok && !!data, data, status: r.status };
    } catch (_) {
      return { ok: false, data: { error: "The server could not be reached." } };
    }
  }

  const docPath = (id) => `/doc/${encodeURIComponent(id)}`;
  const pagePath = (id, n) => `${docPath(id)}/page/${n}`;
  const pagesText = (a, b) => (a === b ? `p. ${a}` : `pp. ${a}–${b}`);

  async function showToc(id) {
    tocTitle.textContent = id;
    tocMeta.textContent = "";
    tocList.textContent = "";
    tocStatus.className = "";
    tocStatus.textContent = "Loading…";
    const { ok, data, status } = await fetchToc(id);
    if (!ok) {
      tocStatus.className = "error";
      tocStatus.textContent = (data && data.error) || `The server answered ${status}.`;
      return;
    }
    tocStatus.textContent = "";
    tocTitle.textContent = data.display_title || data.id;
    document.title = `${data.display_title || data.id} · riskreg`;
    const facts = [editionText(data), `${data.pages} pages`].filter(Boolean);
    if (data.superseded_by) facts.push(`superseded by ${data.superseded_by}`);
    tocMeta.textContent = facts.join(" · ");
    tocMeta.append(" · ", el("a", { href: pagePath(data.id, 1), "data-nav": "", text: "First page" }));
    if (!(data.toc || []).length) {
      tocStatus.textContent = "No chapters were found in this document; read it page by page.";
    }
    for (const t of data.toc || []) {
      const li = el("li", { class: `toc-entry level-${Math.min(t.level || 1, 4)}` });
      li.append(el("a", { href: pagePath(data.id, t.pdf_start), "data-nav": "", text: t.heading || t.title }));
      li.append(el("span", { class: "toc-pages", text: ` ${pagesText(t.printed_start, t.printed_end)}` }));
      tocList.append(li);
    }
  }

  async function showPageView(id, n) {
    pageTitle.textContent = "";
    pageBody.textContent = "";
    pageLinks.textContent = "";
    pageWhere.textContent = "";
    pageStatus.className = "";
    pageStatus.textContent = "Loading…";
    const [{ ok, data: doc, status }, page] = await Promise.all([
      fetchToc(id),
      fetch(`/api/page/${encodeURIComponent(id)}?pdf_page=${n}`, { headers: { Accept: "application/json" } })
        .then(async (r) => ({ r, data: await r.json().catch(() => null) }))
        .catch(() => null),
    ]);
    if (!ok) {
      pageStatus.className = "error";
      pageStatus.textContent = (doc && doc.error) || `The server answered ${status}.`;
      return;
    }
    const count = doc.pages;
    pageToc.textContent = doc.display_title || doc.id;
    pageToc.href = docPath(doc.id);
    const setNav = (a, to) => {
      const ok = to >= 1 && to <= count;
      a.hidden = !ok;
      if (ok) a.href = pagePath(doc.id, to);
    };
    setNav(pagePrev, n - 1);
    setNav(pageNext, n + 1);
    if (!page || !page.r.ok || !page.data) {
      pageStatus.className = "error";
      pageStatus.textContent = (page && page.data && page.data.error) || "Could not load the page.";
      return;
    }
    const data = page.data;
    pageStatus.textContent = "";
    const chapter = (data.sections || []).map((x) => x.chapter_heading).filter(Boolean)[0];
    pageTitle.textContent = chapter ? `${chapter}` : doc.display_title || doc.id;
    pageWhere.textContent = `p. ${data.page} (PDF p. ${data.pdf_page} of ${count})`;
    document.title = `p. ${data.page} · ${doc.display_title || doc.id} · riskreg`;
    pageLinks.append(
      el("a", { class: "pdf", href: viewerHref(doc.id, data.pdf_page, null), target: "_blank", rel: "noopener", text: `Open the PDF at p. ${data.page}` }),
      " ",
      el("a", {
        class: "pdf-plain",
        href: `/pdf/${encodeURIComponent(doc.id)}#page=${data.pdf_page}`,
        target: "_blank",
        rel: "noopener",
        text: "(browser's viewer)",
      }),
    );
    for (const sec of data.sections || []) {
      if (sec.chapter_heading) pageBody.append(el("h3", { text: sec.chapter_heading }));
      pageBody.append(el("div", { class: "page-text-body", text: sec.text }));
    }
    if ((data.footnotes || []).length) {
      pageBody.append(el("h3", { text: "Notes at the foot of the page" }));
      const notes = el("ol", { class: "notes" });
      for (const f of data.footnotes) notes.append(el("li", { text: `${f.number} ${f.text}` }));
      pageBody.append(notes);
    }
    if ((data.references || []).length) {
      pageBody.append(el("h3", { text: "References on this page" }));
      const refs = el("ul", { class: "refs" });
      for (const ref of data.references) refs.append(referenceNode(ref));
      pageBody.append(refs);
    }
  }

  // ---- Harms (/harms)

  const harmsStatus = document.getElementById("harms-status");
  const harmsList = document.getElementById("harms");
  let harmsLoaded = false;

  async function showHarms() {
    document.title = "riskreg · harms and their chapters";
    if (harmsLoaded) return;
    harmsStatus.className = "";
    harmsStatus.textContent = "Loading…";
    let r;
    let data;
    try {
      r = await fetch("/api/harms", { headers: { Accept: "application/json" } });
      data = await r.json().catch(() => null);
    } catch (_) {
      harmsStatus.className = "error";
      harmsStatus.textContent = "The server could not be reached.";
      return;
    }
    if (!r.ok || !data) {
      harmsStatus.className = "error";
      harmsStatus.textContent = (data && data.error) || `The server answered ${r.status}.`;
      return;
    }
    harmsStatus.textContent = "";
    for (const h of data.harms || []) {
      const li = el("li", { class: "harm" });
      li.append(el("h3", { class: "harm-name", text: h.name }));
      if ((h.also || []).length) li.append(el("p", { class: "also-names", text: `Also called: ${h.also.join(", ")}` }));
      const chapters = el("ul", { class: "harm-chapters" });
      for (const c of h.chapters || []) {
        const row = el("li", { class: "harm-chapter" });
        row.append(el("span", { class: "harm-doc", text: c.doc_title }), " · ");
        row.append(el("a", { href: pagePath(c.doc, c.pdf_start), "data-nav": "", class: "harm-link", text: c.heading }));
        row.append(" · ", el("span", { class: "harm-pages", text: c.pages }));
        chapters.append(row);
      }
      if (!(h.chapters || []).length) chapters.append(el("li", { class: "none", text: "No current document has a chapter on it." }));
      li.append(chapters);
      const q = new URLSearchParams({ q: h.name });
      li.append(el("p", { class: "harm-search" }, el("a", { href: `/?${q}`, "data-nav": "", text: `Search for “${h.name}”` })));
      harmsList.append(li);
    }
    harmsLoaded = true;
  }

  // ---- Views and addresses

  const views = {
    search: document.getElementById("search-view"),
    toc: document.getElementById("toc-view"),
    page: document.getElementById("page-view"),
    harms: document.getElementById("harms-view"),
    verify: document.getElementById("verify-view"),
  };
  const navFor = { search: "to-search", toc: "to-search", page: "to-search", harms: "to-harms", verify: "to-verify" };

  function showView(name) {
    for (const [k, v] of Object.entries(views)) v.hidden = k !== name;
    for (const id of ["to-search", "to-harms", "to-verify"]) {
      const a = document.getElementById(id);
      if (id === navFor[name]) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    }
    document.querySelector(".skip").setAttribute("href", name === "verify" ? "#checks" : name === "search" ? "#results" : "#main");
  }

  // Show the view the address names.
  function route() {
    const path = location.pathname;
    let m;
    if (path === "/verify") {
      showView("verify");
      document.title = "riskreg · check a draft's citations";
      draftBox.focus();
    } else if (path === "/harms") {
      showView("harms");
      showHarms();
    } else if ((m = path.match(/^\/doc\/([^/]+)\/?$/))) {
      showView("toc");
      showToc(decodeURIComponent(m[1]));
    } else if ((m = path.match(/^\/doc\/([^/]+)\/page\/(\d+)$/))) {
      showView("page");
      showPageView(decodeURIComponent(m[1]), parseInt(m[2], 10));
    } else {
      showView("search");
      document.title = "riskreg · search the guidance";
      const p = readUrl();
      const params = formParams();
      if (p.get("offset")) params.set("offset", p.get("offset"));
      // Wait for the document list so the filter shows what the URL asked for.
      docsLoaded.finally(() => run(params));
    }
  }

  function go(url) {
    if (url !== location.pathname + location.search) history.pushState(null, "", url);
    route();
    window.scrollTo(0, 0);
  }

  // Links between the views change the address without reloading the page.
  document.addEventListener("click", (e) => {
    const a = e.target.closest && e.target.closest("a[data-nav]");
    if (!a || e.defaultPrevented || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    go(a.getAttribute("href"));
  });
  window.addEventListener("popstate", route);

  verifyForm.addEventListener("submit", (e) => {
    e.preventDefault();
    checkDraft();
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    submit(true);
  });
  for (const control of form.querySelectorAll('input[name="by"], #all_versions, #as_of, #exact')) {
    control.addEventListener("change", () => {
      syncEditions();
      if (input.value.trim()) submit(true);
    });
  }
  moreButton.addEventListener("click", showMore);
  document.addEventListener("keydown", (e) => {
    if (e.key === "/" && document.activeElement !== input && !/^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName)) {
      e.preventDefault();
      if (views.search.hidden) go("/");
      input.focus();
      input.select();
    }
  });

  docsLoaded = loadDocs();
  route();
  if (!views.search.hidden) input.focus();
})();
