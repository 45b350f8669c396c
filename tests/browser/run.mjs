// Browser test of `riskreg serve`'s page, in Debian's headless Chromium.
//
//   node run.mjs <sample-url> <hostile-url> <screenshot-dir>
//
// <sample-url> serves the sample corpus, <hostile-url> a corpus whose PDF text
// holds <script> and onerror= payloads. Run by tests/it/serve.rs, which starts
// both servers. Prints "browser test: ok" and exits 0, or says what failed
// and exits 1. Never downloads a browser: it drives /usr/bin/chromium.
import { chromium } from "playwright-core";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const [base, hostile, shots] = process.argv.slice(2);
if (!base || !hostile || !shots) {
  console.error("usage: node run.mjs <sample-url> <hostile-url> <screenshot-dir>");
  process.exit(2);
}
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const TIMEOUT = 20_000;

function check(cond, message) {
  if (!cond) throw new Error(message);
}

const profile = fs.mkdtempSync(path.join(os.tmpdir(), "riskreg-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
  viewport: { width: 1280, height: 800 },
});

const dialogs = [];
const pageErrors = [];
const badRequests = [];
const refused = [];
function watch(page) {
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text());
  });
  page.on("dialog", (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  page.on("requestfailed", (r) => {
    // The PDF tab may be turned into a download by headless Chromium; that is not a failure.
    // A search overtaken by the next one (or by leaving the page) is aborted on purpose.
    const superseded = r.failure()?.errorText === "net::ERR_ABORTED" && /\/api\/(search|references)\?/.test(r.url());
    if (!r.url().includes("/pdf/") && !superseded) badRequests.push(`${r.url()}: ${r.failure()?.errorText}`);
  });
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (!["127.0.0.1", "localhost", "[::1]"].includes(u.hostname) && u.protocol !== "data:") {
      badRequests.push(`external request: ${r.url()}`);
    }
  });
}

let failed = false;
try {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });
  const page = context.pages()[0] || (await context.newPage());
  watch(page);
  page.setDefaultTimeout(TIMEOUT);

  // 1. The page loads with the search box focused; type and press Enter.
  await page.goto(base + "/");
  check((await page.evaluate(() => document.activeElement && document.activeElement.id)) === "q", "search box not focused");
  await page.keyboard.type("human trafficking");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelectorAll("#results .result").length >= 4);
  check(new URL(page.url()).searchParams.get("q") === "human trafficking", `URL does not hold the query: ${page.url()}`);

  // 2. The four human trafficking chapters, with their page ranges, first.
  const chapters = await page.$$eval("#results .result", (els) =>
    els.slice(0, 4).map((e) => ({
      doc: e.querySelector(".doc").textContent,
      heading: e.querySelector("h2").textContent,
      pages: e.querySelector(".pages").textContent,
    })),
  );
  const want = [
    ["Register of Risks", "9. Human trafficking", "pp. 207–224"],
    ["Illegal Content Judgements Guidance", "11. Human trafficking", "pp. 166–168"],
    ["Illegal Content Judgements Guidance", "A12. Human trafficking", "pp. 415–420"],
    ["", "Unlawful immigration and human trafficking", "pp. 61–64"],
  ];
  // All four come first, in the ranking's order.
  for (const [doc, heading, pages] of want) {
    check(
      chapters.some((got) => got.doc.includes(doc) && got.heading === heading && got.pages.startsWith(pages)),
      `want ${heading} ${pages} among the first four, got ${JSON.stringify(chapters)}`,
    );
  }
  const ror = chapters.find((c) => c.heading === "9. Human trafficking");
  check(ror.pages.includes("PDF pp. 215–232"), `PDF range missing: ${ror.pages}`);
  const marks = await page.$$eval("#results .result:first-child mark", (m) => m.map((x) => x.textContent.toLowerCase()));
  check(marks.some((m) => m.includes("traffick")), `no highlighted match in the first result: ${marks}`);
  fs.mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, "laptop-chapters.png") });

  // 3. Open one: read the page the first chapter's best passage is on.
  const first = page.locator("#results .result").first();
  await first.getByRole("button", { name: "Read the page" }).click();
  await first.locator(".page-text").filter({ hasText: "PDF p." }).waitFor();
  check(
    (await first.getByRole("button", { name: "Hide the page" }).getAttribute("aria-expanded")) === "true",
    "page toggle does not say it is expanded",
  );

  // 4. Switch to passages (by keyboard-reachable radio) and see passages.
  await page.getByLabel("Passages").check();
  await page.waitForFunction(() => new URL(location.href).searchParams.get("by") === "passage");
  await page.waitForFunction(() => {
    const p = document.querySelector("#results .result .pages");
    return p && p.textContent.startsWith("p. ");
  });

  // 5. The exact phrase lands on its page; copy its citation.
  await page.locator("#q").fill('"advertisements for overseas modelling work"');
  await page.locator("#q").press("Enter");
  const citation = "Register of Risks (sample), 16 December 2024 · 9. Human trafficking · p. 209 · ¶9.14";
  await page.waitForFunction(
    (c) => document.querySelector("#results .result .citation")?.textContent === c,
    citation,
  );
  const hit = page.locator("#results .result").first();
  const para = await hit.locator(".snippet .para").first().textContent();
  check(para === "¶9.14", `the passage is not marked with its paragraph: ${para}`);
  await hit.getByRole("button", { name: "Copy citation" }).click();
  await hit.getByRole("button", { name: "Copied" }).waitFor();
  const clip = await page.evaluate(() => navigator.clipboard.readText());
  check(clip === citation, `clipboard holds ${JSON.stringify(clip)}, want ${JSON.stringify(citation)}`);
  // The same citation in OSCOLA, chosen from the menu beside the button.
  await hit.getByLabel("Citation style").selectOption("oscola");
  const oscola = "Ofcom, Register of Risks (sample) (December 2024) para 9.14";
  check((await hit.locator(".citation").textContent()) === oscola, "the shown citation did not follow the menu");
  await hit.getByRole("button", { name: "Copy citation" }).click();
  await hit.getByRole("button", { name: "Copied" }).waitFor();
  const clip2 = await page.evaluate(() => navigator.clipboard.readText());
  check(clip2 === oscola, `clipboard holds ${JSON.stringify(clip2)}, want ${JSON.stringify(oscola)}`);
  await page.screenshot({ path: path.join(shots, "laptop-passage.png") });

  // 6. The PDF link opens the viewer at the cited page with the matched
  // words; beside it, the plain file at that page for the browser's viewer.
  const viewerLink = await hit.locator("a.pdf").getAttribute("href");
  check(
    viewerLink === "/viewer?doc=ror&page=217&search=advertisements+for+overseas+modelling+work&phrase=true",
    `viewer link is ${viewerLink}`,
  );
  const link = hit.locator("a.pdf-plain");
  check((await link.getAttribute("href")) === "/pdf/ror#page=217", `PDF link is ${await link.getAttribute("href")}`);
  const pdfResponse = context.waitForEvent("response", (r) => r.url().includes("/pdf/ror"));
  const popupPromise = context.waitForEvent("page");
  await link.click();
  const popup = await popupPromise;
  const resp = await pdfResponse;
  check(resp.status() === 200, `PDF answered ${resp.status()}`);
  check((resp.headers()["content-type"] || "").startsWith("application/pdf"), `PDF content-type ${resp.headers()["content-type"]}`);
  check(popup.url().endsWith("/pdf/ror#page=217"), `PDF tab is at ${popup.url()}`);
  await popup.close();

  // 7. A phone: the shared URL reloads the search; the page fits the width.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(base + "/?q=human+trafficking");
  await page.waitForFunction(() => document.querySelectorAll("#results .result").length >= 4);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, `page is ${overflow}px wider than a phone screen`);
  await page.screenshot({ path: path.join(shots, "phone-chapters.png") });

  // 8. Hostile PDF text shows as text and runs nothing.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(hostile + "/?q=escaping&by=passage");
  await page.waitForFunction(() => document.querySelectorAll("#results .result").length >= 1);
  const shown = await page.$eval("#results", (r) => r.textContent);
  check(shown.includes("<script>alert(1)</script>"), "the <script> payload is not shown as text");
  const q2 = await page.goto(hostile + "/?q=onerror&by=passage");
  check(q2.ok(), "hostile page did not load");
  await page.waitForFunction(() => document.querySelectorAll("#results .result").length >= 1);
  const shown2 = await page.$eval("#results", (r) => r.textContent);
  check(shown2.includes("<img src=x onerror=alert(1)>"), "the onerror payload is not shown as text");
  const injected = await page.evaluate(() => ({
    imgs: document.querySelectorAll("#results img, #doc-boxes img, #doc-list img").length,
    scripts: document.querySelectorAll("script").length,
    options: Array.from(document.querySelectorAll("#doc-boxes label")).map((o) => o.textContent),
  }));
  check(injected.imgs === 0 && injected.scripts === 1, `markup from the PDF became elements: ${JSON.stringify(injected)}`);
  check(injected.options.some((o) => o.includes("<img src=x onerror=alert(1)>")), `hostile title not shown as text: ${injected.options}`);
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(shots, "hostile.png") });

  // 9. A page's references are links to the places they lead; one that
  // leads nowhere says so.
  await page.goto(base + '/?q=%22a+public+post+draws+interest%22&by=passage');
  await page.waitForFunction(() => document.querySelectorAll("#results .result").length >= 1);
  const withRefs = page.locator("#results .result").first();
  // In the snippet itself, the reference it quotes is a link too, and the
  // matched words stay marked.
  await withRefs.locator(".snippet a.ref-link").first().waitFor();
  const inSnippet = withRefs.locator(".snippet a.ref-link", { hasText: "paragraphs 9.2 to 9.5" });
  check((await inSnippet.count()) === 1, `no snippet link for "paragraphs 9.2 to 9.5": ${await withRefs.locator(".snippet").first().innerHTML()}`);
  check((await inSnippet.getAttribute("href")) === "/pdf/ror#page=215", `snippet reference link is ${await inSnippet.getAttribute("href")}`);
  check(
    ((await inSnippet.getAttribute("title")) || "").startsWith("Register of Risks (sample) · ¶¶9.2–9.5 · p. 207"),
    `snippet reference title is ${await inSnippet.getAttribute("title")}`,
  );
  check(
    (await withRefs.locator(".snippet mark").allTextContents()).join(" ") === "a public post draws interest",
    `marks after linking: ${await withRefs.locator(".snippet mark").allTextContents()}`,
  );
  check(
    (await withRefs.locator(".snippet").first().textContent()).includes("recruitment described in paragraphs 9.2 to 9.5: a public post"),
    "the snippet's text changed when its reference became a link",
  );
  await withRefs.getByRole("button", { name: "Read the page" }).click();
  await withRefs.locator(".page-text .refs").waitFor();
  check(
    (await withRefs.locator(".page-text h3").allTextContents()).includes("References on this page"),
    "no References on this page heading",
  );
  const refLink = withRefs.locator(".page-text .refs a", { hasText: "paragraph 9.14" });
  check((await refLink.count()) === 1, `no link for "paragraph 9.14": ${await withRefs.locator(".refs").textContent()}`);
  check((await refLink.getAttribute("href")) === "/pdf/ror#page=217", `reference link is ${await refLink.getAttribute("href")}`);
  await page.screenshot({ path: path.join(shots, "references.png") });
  await page.goto(base + '/?q=%22considered+further+in+paragraph%22&by=passage');
  await page.waitForFunction(() => document.querySelectorAll("#results .result").length >= 1);
  const dangling = page.locator("#results .result").first();
  await dangling.getByRole("button", { name: "Read the page" }).click();
  await dangling.locator(".page-text .refs").waitFor();
  const unresolved = await dangling.locator(".refs li.unresolved").allTextContents();
  check(
    unresolved.some((t) => t.includes("paragraph 21.3") && t.includes("unresolved: ror has no paragraph 21.3")),
    `the reference leading nowhere is not shown as such: ${unresolved}`,
  );
  check((await dangling.locator(".refs li.unresolved a").count()) === 0, "an unresolved reference is a link");

  // 9b. The vocabulary: a user's word is also searched in the regulator's
  // words, which the page says (and marks); "Exact words" turns it off; a
  // misspelling offers a link that runs the suggestion.
  await page.goto(base + "/?q=cyberstalking");
  await page.waitForFunction(() => document.querySelectorAll("#results .result").length >= 1);
  const also = await page.$eval("#also", (e) => (e.hidden ? "" : e.textContent));
  check(also.startsWith("Also searched: “stalking”, “harassment”."), `no also-searched line: ${also}`);
  const firstHeading = await page.$eval("#results .result h2", (e) => e.textContent);
  check(firstHeading.includes("Harassment, stalking, threats and abuse"), `first chapter is ${firstHeading}`);
  const alsoMarks = await page.$$eval("#results .result:first-child mark", (m) => m.map((x) => x.textContent.toLowerCase()));
  check(alsoMarks.some((m) => m.includes("stalking") || m.includes("harassment")), `expansions not marked: ${alsoMarks}`);
  await page.screenshot({ path: path.join(shots, "also-searched.png") });
  await page.getByLabel("Exact words").check();
  await page.waitForFunction(() => new URL(location.href).searchParams.get("exact") === "true");
  await page.waitForFunction(() => document.getElementById("status").textContent.startsWith("Nothing matches"));
  check(await page.$eval("#also", (e) => e.hidden), "also-searched shown for an exact search");
  await page.getByLabel("Exact words").uncheck();
  await page.goto(base + "/?q=trafficing");
  await page.waitForSelector("#did-you-mean");
  check((await page.$eval("#suggest", (e) => e.textContent)) === "Did you mean trafficking?", "no did-you-mean line");
  await page.click("#did-you-mean");
  await page.waitForFunction(() => new URL(location.href).searchParams.get("q") === "trafficking");
  await page.waitForFunction(() => document.querySelectorAll("#results .result").length >= 4);
  check(await page.$eval("#suggest", (e) => e.hidden), "the suggestion stays after it ran");
  // 9c. A quoted phrase no page has as written: its words instead, said so;
  // and harm: keeps the results to that harm's chapters.
  await page.goto(base + "/?q=" + encodeURIComponent('"buying firearms"'));
  await page.waitForFunction(() => document.querySelectorAll("#results .result").length >= 1);
  const instead = await page.$eval("#instead", (e) => (e.hidden ? "" : e.textContent));
  check(
    instead === 'No page has "buying firearms" as written; showing matches for its words: buying firearms.',
    `no searched-instead line: ${instead}`,
  );
  const firearms = await page.$eval("#results .result h2", (e) => e.textContent);
  check(firearms.includes("Firearms, knives and other weapons"), `first chapter is ${firearms}`);
  await page.goto(base + "/?q=" + encodeURIComponent('harm:"human trafficking" recruitment'));
  await page.waitForFunction(() => document.querySelectorAll("#results .result").length >= 1);
  check(await page.$eval("#instead", (e) => e.hidden), "searched-instead shown for a query found as written");
  const harmHeads = await page.$$eval("#results .result h2", (hs) => hs.map((h) => h.textContent));
  check(
    harmHeads.length === 4 && harmHeads.every((h) => h.toLowerCase().includes("human trafficking")),
    `harm: results: ${harmHeads}`,
  );
  // 9b. A query that is a defined term: its definition, cited, in a box above the results;
  // a query that is not: no box.
  await page.goto(base + "/?q=CSAM&by=passage");
  await page.waitForFunction(() => document.querySelectorAll("#results .result").length >= 1);
  const box = page.locator("#definition");
  check(await box.isVisible(), "no definition box for CSAM");
  check((await box.locator(".term").textContent()) === "Child sexual abuse material (CSAM)", `definition term: ${await box.locator(".term").textContent()}`);
  check(
    (await box.locator(".citation").textContent()) ===
      "Illegal Content Judgements Guidance (sample), 16 December 2024 · A22. Glossary · p. 448 · ¶A22.2",
    `definition citation: ${await box.locator(".citation").textContent()}`,
  );
  const boxAbove = await page.evaluate(
    () => document.getElementById("definition").getBoundingClientRect().bottom <= document.getElementById("results").getBoundingClientRect().top,
  );
  check(boxAbove, "the definition box is not above the results");
  await page.screenshot({ path: path.join(shots, "definition.png") });
  await page.goto(base + "/?q=human+trafficking&by=passage");
  await page.waitForFunction(() => document.querySelectorAll("#results .result").length >= 1);
  check(await box.isHidden(), "a definition box for a query that is no defined term");

  // 10. Check a draft: paste it at /verify, press Check, one row per citation.
  await page.goto(base + "/verify");
  check((await page.evaluate(() => document.activeElement && document.activeElement.id)) === "draft", "draft box not focused");
  check(await page.locator("#search").isHidden(), "the search form shows on /verify");
  const draft =
    "Dear colleague,\n" +
    "Recruiters advertise overseas work (Register of Risks, para 9.14, p. 209).\n" +
    "The same is said at Register of Risks, para 9.14, p. 215.\n" +
    "<img src=x onerror=alert(1)> and <script>alert(2)</script>, Register of Risks, para 99.99.\n";
  await page.evaluate((t) => navigator.clipboard.writeText(t), draft);
  await page.locator("#draft").focus();
  await page.keyboard.press("Control+V");
  check((await page.locator("#draft").inputValue()) === draft, "the pasted draft is not in the box");
  await page.getByRole("button", { name: "Check", exact: true }).click();
  await page.waitForFunction(() => document.querySelectorAll("#checks .check").length >= 3);
  const rows = await page.$$eval("#checks .check", (els) =>
    els.map((e) => ({
      place: e.querySelector(".place").textContent,
      cited: e.querySelector(".cited").textContent,
      verdict: e.querySelector(".verdict").textContent,
      problems: Array.from(e.querySelectorAll(".problems li")).map((p) => p.textContent),
      fix: e.querySelector(".fix-text")?.textContent ?? null,
      links: Array.from(e.querySelectorAll(".targets a")).map((a) => a.getAttribute("href")),
    })),
  );
  const rowsText = JSON.stringify(rows);
  check(rows.length === 3, `want 3 rows: ${rowsText}`);
  check(
    rows[0].place === "2:56" && rows[0].cited === "para 9.14, p. 209" && rows[0].verdict === "ok" && rows[0].fix === null,
    `first row: ${rowsText}`,
  );
  check(rows[0].links.includes("/pdf/ror#page=217"), `no link to /pdf/ror#page=217: ${rowsText}`);
  check(
    rows[1].place === "3:40" &&
      rows[1].verdict === "problem" &&
      rows[1].problems.includes("para 9.14 is on p. 209, not p. 215") &&
      rows[1].fix === "para 9.14, p. 209",
    `second row: ${rowsText}`,
  );
  check(rows[2].verdict === "problem" && rows[2].problems.length >= 1, `third row: ${rowsText}`);
  const status = await page.locator("#verify-status").textContent();
  check(status === "3 citations: 1 ok, 2 with problems.", `status: ${status}`);
  const verifyInjected = await page.evaluate(() => ({
    imgs: document.querySelectorAll("img").length,
    scripts: document.querySelectorAll("script").length,
  }));
  check(verifyInjected.imgs === 0 && verifyInjected.scripts === 1, `the draft became elements: ${JSON.stringify(verifyInjected)}`);
  // The link opens the PDF at the paragraph's page.
  const target = page.locator("#checks .check").first().locator('.targets a[href="/pdf/ror#page=217"]').first();
  const verifyPopup = context.waitForEvent("page");
  await target.click();
  const vp = await verifyPopup;
  check(vp.url().endsWith("/pdf/ror#page=217"), `PDF tab is at ${vp.url()}`);
  await vp.close();
  await page.screenshot({ path: path.join(shots, "verify.png") });
  await page.setViewportSize({ width: 390, height: 844 });
  const vOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(vOverflow <= 0, `/verify is ${vOverflow}px wider than a phone screen`);
  await page.screenshot({ path: path.join(shots, "phone-verify.png") });


  // ---- Issue 18 part 3: the fuller page.
  await page.setViewportSize({ width: 1280, height: 800 });
  const resultKeys = () =>
    page.$$eval("#results .result", (els) =>
      els.map((e) => `${e.querySelector(".doc").textContent}|${e.querySelector(".pages").textContent}|${e.querySelector(".citation").textContent}`),
    );

  // 11. Paging: "Show more" adds the next results below, none twice; the
  // address says how far the list goes, and a reload shows the same list.
  await page.goto(base + "/?q=human+trafficking&by=passage");
  await page.waitForFunction(() => document.querySelectorAll("#results .result").length === 20);
  const firstBatch = await resultKeys();
  const status1 = await page.locator("#status").textContent();
  check(/^The best 20 of \d+ matching passages/.test(status1), `status before more: ${status1}`);
  const total = Number(status1.match(/of (\d+)/)[1]);
  check(total > 20 && total < 40, `want between 20 and 40 passages to page through, got ${total}`);
  await page.getByRole("button", { name: `Show ${total - 20} more (${total - 20} not shown)` }).click();
  await page.waitForFunction((n) => document.querySelectorAll("#results .result").length === n, total);
  const twoBatches = await resultKeys();
  check(JSON.stringify(twoBatches.slice(0, 20)) === JSON.stringify(firstBatch), "the first results changed when more were shown");
  check(new Set(twoBatches).size === total, `a result is shown twice: ${twoBatches.length - new Set(twoBatches).size} duplicates`);
  check(new URL(page.url()).searchParams.get("offset") === "20", `offset not in the address: ${page.url()}`);
  check(
    (await page.locator("#status").textContent()) === `${total} matching passages for “human trafficking”.`,
    `status after more: ${await page.locator("#status").textContent()}`,
  );
  check(await page.locator("#more").isHidden(), "Show more stays when every result is shown");
  await page.reload();
  await page.waitForFunction((n) => document.querySelectorAll("#results .result").length === n, total);
  check(JSON.stringify(await resultKeys()) === JSON.stringify(twoBatches), "a reload with offset=20 shows another list");

  // 12. Browse: the landing page lists the documents; one opens its
  // contents; a chapter opens its first page; previous and next turn pages;
  // the back button and a reload come back to the same view.
  await page.goto(base + "/");
  await page.locator("#doc-list .doc-entry").first().waitFor();
  const entries = await page.$$eval("#doc-list .doc-entry", (els) => els.map((e) => e.textContent));
  check(entries.length === 5, `want the five sample documents, got ${JSON.stringify(entries)}`);
  const rorEntry = entries.find((e) => e.startsWith("Register of Risks (sample)"));
  check(rorEntry && rorEntry.includes("version 419942 · 2024-12-16 · 324 pages") && rorEntry.includes("current"), `Register entry: ${rorEntry}`);
  check(entries.some((e) => e.startsWith("Illegal Content Judgements Guidance (ICJG) (sample)") && e.includes("455 pages")), `ICJG entry: ${entries}`);
  await page.screenshot({ path: path.join(shots, "laptop-landing.png") });
  await page.getByRole("link", { name: "Register of Risks (sample)" }).click();
  await page.waitForFunction(() => location.pathname === "/doc/ror");
  const chapterLink = page.locator("#toc .toc-entry", { hasText: "9. Human trafficking" });
  await chapterLink.waitFor();
  check((await chapterLink.textContent()) === "9. Human trafficking pp. 207–224", `TOC entry: ${await chapterLink.textContent()}`);
  await chapterLink.locator("a").click();
  await page.waitForFunction(() => location.pathname === "/doc/ror/page/215");
  await page.waitForFunction(() => document.getElementById("page-where").textContent !== "");
  check((await page.locator("#page-where").textContent()) === "p. 207 (PDF p. 215 of 324)", `page: ${await page.locator("#page-where").textContent()}`);
  check((await page.locator("#page-title").textContent()) === "9. Human trafficking", `page title: ${await page.locator("#page-title").textContent()}`);
  check((await page.locator("#page-body").textContent()).includes("9.1"), "the chapter's first page does not show its text");
  await page.locator("#page-next").click();
  await page.waitForFunction(() => location.pathname === "/doc/ror/page/216");
  await page.waitForFunction(() => document.getElementById("page-where").textContent === "p. 208 (PDF p. 216 of 324)");
  await page.locator("#page-next").click();
  await page.waitForFunction(() => document.getElementById("page-where").textContent === "p. 209 (PDF p. 217 of 324)");
  await page.locator("#page-prev").click();
  await page.waitForFunction(() => document.getElementById("page-where").textContent === "p. 208 (PDF p. 216 of 324)");
  await page.goBack();
  await page.waitForFunction(() => location.pathname === "/doc/ror/page/217");
  await page.waitForFunction(() => document.getElementById("page-where").textContent === "p. 209 (PDF p. 217 of 324)");
  await page.reload();
  await page.waitForFunction(() => document.getElementById("page-where").textContent === "p. 209 (PDF p. 217 of 324)");
  // The first page has no previous one, the last no next one.
  await page.goto(base + "/doc/ror/page/1");
  await page.waitForFunction(() => document.getElementById("page-where").textContent.includes("PDF p. 1 of 324"));
  check(await page.locator("#page-prev").isHidden(), "a previous page before the first");
  await page.goto(base + "/doc/nope");
  await page.waitForFunction(() => document.getElementById("toc-status").textContent !== "Loading…");
  check(
    (await page.locator("#toc-status").textContent()).startsWith('unknown document "nope": the indexed documents are'),
    `unknown document: ${await page.locator("#toc-status").textContent()}`,
  );

  // 13. Filters: documents (one or several), the edition in force on a
  // date, all editions; each in the address.
  await page.goto(base + "/?q=human+trafficking");
  await page.waitForFunction(() => document.querySelectorAll("#results .result").length >= 4);
  await page.locator("#docs-summary").click();
  await page.getByLabel(/^Illegal Content Judgements Guidance/).check();
  await page.waitForFunction(() => new URL(location.href).searchParams.get("doc") === "icjg");
  await page.waitForFunction(() => document.getElementById("status").textContent.includes("for “human trafficking”"));
  const icjgOnly = await page.$$eval("#results .result .doc", (els) => els.map((e) => e.textContent));
  check(icjgOnly.length >= 2 && icjgOnly.every((d) => d.startsWith("Illegal Content Judgements Guidance")), `doc filter: ${icjgOnly}`);
  check((await page.locator("#docs-summary").textContent()) === "Documents: icjg", `summary: ${await page.locator("#docs-summary").textContent()}`);
  await page.getByLabel(/^Register of Risks/).check();
  await page.waitForFunction(() => ["icjg,ror", "ror,icjg"].includes(new URL(location.href).searchParams.get("doc")));
  await page.waitForFunction(() => Array.from(document.querySelectorAll("#results .result .doc")).some((e) => e.textContent.startsWith("Register of Risks")));
  const two = await page.$$eval("#results .result .doc", (els) => els.map((e) => e.textContent));
  check(two.every((d) => d.startsWith("Illegal Content Judgements Guidance") || d.startsWith("Register of Risks")), `two docs: ${two}`);
  await page.reload();
  await page.waitForFunction(() => document.querySelectorAll("#results .result").length >= 2);
  check(
    (await page.getByLabel(/^Register of Risks/).isChecked()) && (await page.getByLabel(/^Illegal Content Judgements Guidance/).isChecked()),
    "the ticked documents did not come back from the address",
  );
  await page.goto(base + "/?q=human+trafficking");
  await page.waitForFunction(() => document.querySelectorAll("#results .result").length >= 4);
  await page.locator("#as_of").fill("2024-01-01");
  await page.waitForFunction(() => new URL(location.href).searchParams.get("as_of") === "2024-01-01");
  await page.waitForFunction(() => document.getElementById("status").textContent.startsWith("Nothing matches"));
  check((await page.locator("#results .result").count()) === 0, "results from editions not yet published on 2024-01-01");
  await page.locator("#as_of").fill("2025-03-01");
  await page.waitForFunction(() => new URL(location.href).searchParams.get("as_of") === "2025-03-01");
  await page.waitForFunction(() => document.querySelectorAll("#results .result").length >= 4);
  await page.getByLabel("All editions").check();
  await page.waitForFunction(() => new URL(location.href).searchParams.get("all_versions") === "true");
  check(!new URL(page.url()).searchParams.has("as_of"), `a date and all editions together: ${page.url()}`);
  check(await page.locator("#as_of").isDisabled(), "the date stays open with all editions ticked");
  await page.waitForFunction(() => document.querySelectorAll("#results .result").length >= 4);
  await page.screenshot({ path: path.join(shots, "laptop-results.png") });

  // 14. The viewer: the PDF drawn by PDF.js at the page asked, the matched
  // words highlighted in its text layer; the browser's viewer beside.
  await page.goto(base + '/?q=%22advertisements+for+overseas+modelling+work%22&by=passage');
  await page.waitForFunction(() => document.querySelectorAll("#results .result").length >= 1);
  const viewerPopup = context.waitForEvent("page");
  await page.locator("#results .result").first().locator("a.pdf").click();
  const viewer = await viewerPopup;
  watch(viewer);
  await viewer.waitForFunction(() => document.querySelectorAll('.page[data-page-number="217"] .textLayer .highlight').length > 0, null, {
    timeout: TIMEOUT,
  });
  await viewer.waitForFunction(() => document.getElementById("found").textContent !== "");
  const v = await viewer.evaluate(() => ({
    info: document.getElementById("page-info").textContent,
    found: document.getElementById("found").textContent,
    canvas: !!document.querySelector('.page[data-page-number="217"] canvas'),
    marks: Array.from(document.querySelectorAll(".textLayer .highlight")).map((h) => [h.closest(".page").dataset.pageNumber, h.textContent]),
    fallback: document.getElementById("fallback").getAttribute("href"),
    title: document.getElementById("doc-title").textContent,
  }));
  check(v.info === "p. 209 (PDF p. 217 of 324)", `viewer page: ${JSON.stringify(v)}`);
  check(v.canvas, `page 217 is not drawn: ${JSON.stringify(v)}`);
  check(
    v.marks.length >= 1 && v.marks.every(([p]) => p === "217") && v.marks.map(([, t]) => t).join(" ").replace(/\s+/g, " ").trim().toLowerCase() ===
      "advertisements for overseas modelling work",
    `highlights: ${JSON.stringify(v.marks)}`,
  );
  check(v.found === "“advertisements for overseas modelling work”: 1 match highlighted", `viewer status: ${v.found}`);
  check(v.fallback === "/pdf/ror#page=217", `fallback link: ${v.fallback}`);
  check(v.title === "Register of Risks (sample) · version 419942", `viewer title: ${v.title}`);
  // The page shown is the page asked: its top is in view.
  const inView = await viewer.evaluate(() => {
    const r = document.querySelector('.page[data-page-number="217"]').getBoundingClientRect();
    return r.top < window.innerHeight && r.bottom > 0;
  });
  check(inView, "page 217 is not in view");
  await viewer.screenshot({ path: path.join(shots, "laptop-viewer.png") });
  // Next page, and the address follows.
  await viewer.locator("#next").click();
  await viewer.waitForFunction(() => document.getElementById("page-info").textContent === "p. 210 (PDF p. 218 of 324)");
  check(new URL(viewer.url()).searchParams.get("page") === "218", `viewer address: ${viewer.url()}`);
  // On a phone.
  await viewer.setViewportSize({ width: 390, height: 844 });
  await viewer.goto(base + "/viewer?doc=ror&page=217&search=trafficking");
  await viewer.waitForFunction(() => document.querySelectorAll('.page[data-page-number="217"] .textLayer .highlight').length > 0);
  const vOver = await viewer.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(vOver <= 0, `the viewer is ${vOver}px wider than a phone`);
  await viewer.waitForTimeout(300);
  await viewer.screenshot({ path: path.join(shots, "phone-viewer.png") });
  await viewer.close();

  // 15. Harms: every harm with its chapters; a chapter opens its first page.
  await page.goto(base + "/");
  await page.getByRole("link", { name: "Harms" }).click();
  await page.waitForFunction(() => location.pathname === "/harms");
  await page.locator("#harms .harm").first().waitFor();
  check((await page.locator("#harms .harm").count()) === 17, `want 17 harms, got ${await page.locator("#harms .harm").count()}`);
  const ht = page.locator("#harms .harm", { has: page.locator("h3", { hasText: /^Human trafficking$/ }) });
  const htRows = await ht.locator(".harm-chapter").allTextContents();
  check(
    JSON.stringify(htRows) ===
      JSON.stringify([
        "Volume 3: Transparency and trust (sample) · Unlawful immigration and human trafficking · pp. 61–64",
        "Register of Risks (sample) · 9. Human trafficking · pp. 207–224",
        "Illegal Content Judgements Guidance (sample) · 11. Human trafficking · pp. 166–168",
        "Illegal Content Judgements Guidance (sample) · A12. Human trafficking · pp. 415–420",
      ]),
    `human trafficking row: ${JSON.stringify(htRows)}`,
  );
  await page.screenshot({ path: path.join(shots, "laptop-harms.png") });
  await ht.getByRole("link", { name: "A12. Human trafficking" }).click();
  await page.waitForFunction(() => /^\/doc\/icjg\/page\/\d+$/.test(location.pathname));
  await page.waitForFunction(() => document.getElementById("page-where").textContent.startsWith("p. 415 "));
  await page.goBack();
  await page.waitForFunction(() => location.pathname === "/harms");
  check(await page.locator("#harms-view").isVisible(), "back did not return to the harms");

  // 16. Check a draft is reachable from the navigation, and back returns.
  await page.getByRole("link", { name: "Check a draft" }).click();
  await page.waitForFunction(() => location.pathname === "/verify");
  check(await page.locator("#draft").isVisible(), "no draft box after the navigation link");
  check((await page.locator("#to-verify").getAttribute("aria-current")) === "page", "the navigation does not mark Check a draft");
  await page.goBack();
  await page.waitForFunction(() => location.pathname === "/harms");
  check(await page.locator("#harms-view").isVisible(), "back from /verify did not show the harms");

  // 17. A phone: the landing page and results fit; the filters can be reached.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(base + "/");
  await page.locator("#doc-list .doc-entry").first().waitFor();
  check((await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)) <= 0, "the landing page is wider than a phone");
  await page.screenshot({ path: path.join(shots, "phone-landing.png") });
  await page.goto(base + "/?q=human+trafficking");
  await page.waitForFunction(() => document.querySelectorAll("#results .result").length >= 4);
  await page.locator("#docs-summary").click();
  const boxes = await page.$$eval("#doc-boxes label", (els) => els.map((e) => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.left >= 0 && r.right <= window.innerWidth;
  }));
  check(boxes.length === 5 && boxes.every(Boolean), `document boxes out of reach on a phone: ${boxes}`);
  check(await page.locator("#as_of").isVisible(), "the date filter is not reachable on a phone");
  check((await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)) <= 0, "the results are wider than a phone");
  await page.locator("#docs-summary").click();
  await page.screenshot({ path: path.join(shots, "phone-results.png") });
  await page.setViewportSize({ width: 1280, height: 800 });

  check(refused.length === 0, `the Content-Security-Policy refused something: ${refused}`);
  check(dialogs.length === 0, `dialogs fired: ${dialogs}`);
  check(pageErrors.length === 0, `script errors: ${pageErrors}`);
  check(badRequests.length === 0, `failed or external requests: ${badRequests}`);
  console.log(`browser test: ok (screenshots in ${shots})`);
} catch (e) {
  failed = true;
  console.error(`browser test: FAILED: ${e && e.stack ? e.stack : e}`);
  try {
    const p = context.pages()[0];
    if (p) await p.screenshot({ path: path.join(shots, "failure.png") });
  } catch (_) {}
} finally {
  await context.close().catch(() => {});
  fs.rmSync(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
