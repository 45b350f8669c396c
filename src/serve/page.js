// riskreg's search page, and at /verify its "Check a draft" view. No
// framework, no external assets.
//
// Everything shown from the index (titles, headings, snippets, page text)
// comes from PDFs, and a pasted draft from anyone: both are untrusted and
// only ever put in the page with textContent / text nodes, never parsed as
// HTML. Links are only ever the server's own /pdf/ addresses.
"use strict";

(function () {
  const form = document.getElementById("search");
  const input = document.getElementById("q");
  const docSelect = document.getElementById("doc");
  const allVersions = document.getElementById("all_versions");
  const exactBox = document.getElementById("exact");
  const statusEl = document.getElementById("status");
  const alsoEl = document.getElementById("also");
  const suggestEl = document.getElementById("suggest");
  const list = document.getElementById("results");
  const definitionBox = document.getElementById("definition");
  const verifyMode = location.pathname === "/verify";

  let docsLoaded = null; // a promise, so the document filter can be restored from the URL
  let pending = null; // the AbortController of the search in flight
  let pendingDoc = ""; // a doc from the URL, applied once the list of documents is in

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

  // The current form as URL parameters (only the ones that differ from the defaults).
  function formParams() {
    const p = new URLSearchParams();
    p.set("q", input.value.trim());
    if (by() === "passage") p.set("by", "passage");
    if (docSelect.value) p.set("doc", docSelect.value);
    if (allVersions.checked) p.set("all_versions", "true");
    if (exactBox.checked) p.set("exact", "true");
    return p;
  }

  function readUrl() {
    const p = new URLSearchParams(location.search);
    input.value = p.get("q") || "";
    setBy(p.get("by") || "chapter");
    pendingDoc = (p.get("doc") || "").toLowerCase();
    if (docSelect.querySelector(`option[value="${CSS.escape(pendingDoc)}"]`)) docSelect.value = pendingDoc;
    else if (!pendingDoc) docSelect.value = "";
    allVersions.checked = ["1", "true", "on", "yes"].includes((p.get("all_versions") || "").toLowerCase());
    exactBox.checked = ["1", "true", "on", "yes"].includes((p.get("exact") || "").toLowerCase());
    return p.get("q") || "";
  }

  async function loadDocs() {
    try {
      const r = await fetch("/api/docs", { headers: { Accept: "application/json" } });
      if (!r.ok) return;
      const data = await r.json();
      for (const d of data.documents || []) {
        let label = d.display_title || d.id;
        if (d.version) label += ` (${d.version})`;
        if (d.superseded_by) label += " · superseded";
        docSelect.append(el("option", { value: d.id, text: label }));
      }
      if (pendingDoc && docSelect.querySelector(`option[value="${CSS.escape(pendingDoc)}"]`)) {
        docSelect.value = pendingDoc;
      }
    } catch (_) {
      // The filter stays at "All documents"; searching still works.
    }
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
    const pdf = openPdfLink(c);
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

  // "Open the PDF at p. N": the server's copy of a citation's PDF, at its page.
  function openPdfLink(c) {
    return el("a", {
      class: "pdf",
      href: `/pdf/${encodeURIComponent(c.doc)}#page=${c.pdf_page}`,
      target: "_blank",
      rel: "noopener",
      text: `Open the PDF at p. ${c.page}`,
    });
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
    const pdf = openPdfLink(c);
    definitionBox.append(el("div", { class: "actions" }, copyButton(() => shown.textContent), pdf));
  }

  async function run(params) {
    const q = params.get("q") || "";
    if (pending) pending.abort();
    setHints(null);
    if (!q.trim()) {
      showDefinition(null);
      list.textContent = "";
      setStatus("");
      return;
    }
    const ctl = new AbortController();
    pending = ctl;
    const api = new URLSearchParams(params);
    api.set("by", params.get("by") === "passage" ? "passage" : "chapter");
    api.set("limit", "20");
    setStatus("Searching…");
    let r;
    let data;
    try {
      r = await fetch(`/api/search?${api}`, { signal: ctl.signal, headers: { Accept: "application/json" } });
      data = await r.json().catch(() => null);
    } catch (e) {
      if (e.name === "AbortError") return;
      list.textContent = "";
      setStatus("The server could not be reached.", true);
      return;
    }
    if (pending !== ctl) return;
    pending = null;
    if (!r.ok || !data) {
      showError(r.status, data);
      return;
    }
    list.textContent = "";
    setHints(data);
    showDefinition(data.definition);
    const mode = data.mode;
    const frag = document.createDocumentFragment();
    const nodes = data.results.map((res) => resultNode(res, mode));
    frag.append(...nodes);
    list.append(frag);
    linkReferences(data.results, nodes, ctl);
    const noun = mode === "chapters" ? "chapter" : "passage";
    if (data.results.length === 0) {
      setStatus(`Nothing matches “${data.query}”. Try fewer words, a word's stem with *, or “Include superseded versions”.`);
    } else if (data.total > data.results.length) {
      setStatus(`The best ${data.results.length} of ${data.total} matching ${noun}s for “${data.query}”.`);
    } else {
      setStatus(`${data.total} matching ${noun}${data.total === 1 ? "" : "s"} for “${data.query}”.`);
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

  if (verifyMode) {
    document.getElementById("search-view").hidden = true;
    document.getElementById("verify-view").hidden = false;
    document.getElementById("to-verify").setAttribute("aria-current", "page");
    document.querySelector(".skip").setAttribute("href", "#checks");
    document.title = "riskreg · check a draft's citations";
    verifyForm.addEventListener("submit", (e) => {
      e.preventDefault();
      checkDraft();
    });
    draftBox.focus();
    return;
  }
  document.getElementById("to-search").setAttribute("aria-current", "page");

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    submit(true);
  });
  for (const control of form.querySelectorAll('input[name="by"], #doc, #all_versions, #exact')) {
    control.addEventListener("change", () => {
      if (input.value.trim()) submit(true);
    });
  }
  window.addEventListener("popstate", () => {
    readUrl();
    run(formParams());
  });
  document.addEventListener("keydown", (e) => {
    if (e.key === "/" && document.activeElement !== input && !/^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName)) {
      e.preventDefault();
      input.focus();
      input.select();
    }
  });

  docsLoaded = loadDocs();
  const initial = readUrl();
  if (initial) {
    // Wait for the document list so the filter shows what the URL asked for.
    docsLoaded.finally(() => run(formParams()));
  }
  input.focus();
})();
