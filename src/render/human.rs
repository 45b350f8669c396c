//! Human-readable output.

use super::cite::{cite, shown, CiteStyle, Markup};
use super::link::LinkBase;
use super::{chapter_display, count, page_range, pdf_range, thousands};
use crate::index::{AbsentEdition, BuildReport, DocRecord, IndexMeta, Staleness};
use crate::search::{ChapterResults, Citation, PageText, Results, Snippet};

const BOLD_YELLOW: &str = "\x1b[1;33m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";
const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";

/// Strip terminal control characters and the invisible marks that reorder
/// text (bidirectional overrides and isolates) from text that came from a
/// PDF or a file name, so that it can neither move the cursor nor disguise
/// itself.
fn clean(s: &str) -> String {
    let hidden = |c: char| matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    s.chars().map(|c| if (c.is_control() && c != '\n') || hidden(c) { ' ' } else { c }).collect()
}

/// [`clean`], on one line: for a table cell or a name, where a line break
/// (from a file name, say) would fake a row of its own.
pub(crate) fn one_line(s: &str) -> String {
    clean(s).replace('\n', " ")
}

fn snippet(s: &Snippet, color: bool) -> String {
    let mut out = String::new();
    let mut at = 0;
    for r in &s.highlights {
        out.push_str(&clean(&s.text[at..r.start]));
        if color {
            out.push_str(BOLD_YELLOW);
            out.push_str(&clean(&s.text[r.clone()]));
            out.push_str(RESET);
        } else {
            out.push_str(&clean(&s.text[r.clone()]));
        }
        at = r.end;
    }
    out.push_str(&clean(&s.text[at..]));
    out
}

/// "¶9.77  " before a snippet: the paragraph that passage is in; "fn 180  "
/// for a note at the page's foot.
fn para_mark(s: &Snippet, color: bool) -> String {
    match (&s.footnote, &s.paragraph) {
        (Some(n), _) => format!("{}  ", paint(&format!("fn {}", clean(n)), DIM, color)),
        (None, Some(p)) => format!("{}  ", paint(&format!("¶{}", clean(p)), DIM, color)),
        (None, None) => String::new(),
    }
}

fn paint(s: &str, style: &str, color: bool) -> String {
    if color {
        format!("{style}{s}{RESET}")
    } else {
        s.to_string()
    }
}

/// How human output looks: colour, citation style, where links point, and
/// the terminal's width and hyperlinks.
#[derive(Debug, Clone, Copy)]
pub struct Look<'a> {
    pub color: bool,
    pub style: CiteStyle,
    pub links: LinkBase<'a>,
    /// Write links as OSC 8 hyperlinks.
    pub hyperlinks: bool,
    /// Wrap snippets and citations to this many columns; `None`: never.
    pub width: Option<usize>,
}

/// `/…/ror.pdf#page=221 · v419942 · superseded`: the PDF at the page (a
/// hyperlink on a terminal that has them), and the edition.
fn link_line(c: &Citation, look: &Look) -> String {
    let link = look.links.page(&c.doc, &c.file, c.pdf_page);
    let mut parts = vec![if look.hyperlinks {
        super::term::hyperlink(&look.links.url(&c.doc, &c.file, c.pdf_page), &link)
    } else {
        link
    }];
    if let Some(v) = &c.version {
        parts.push(format!("v{v}"));
    }
    if !c.current {
        parts.push("superseded".into());
    } else if let Some(newer) = &c.newer_absent {
        let why = if newer.downloaded { "not indexed" } else { "not downloaded" };
        parts.push(format!("superseded by {} ({why})", newer.id));
    }
    parts.join(" · ")
}

/// The numbered head line of a result, wrapped under its number and bold.
fn head(n: usize, text: &str, look: &Look) -> String {
    let first = format!("{n}. ");
    let rest = " ".repeat(first.len());
    let wrapped = super::term::wrap(&clean(text), look.width, &first, &rest);
    let mut out = String::new();
    for (i, line) in wrapped.lines().enumerate() {
        let indent = if i == 0 { first.len() } else { rest.len() };
        out.push_str(&format!("{}{}\n", &line[..indent], paint(&line[indent..], BOLD, look.color)));
    }
    out
}

/// A snippet under its ¶, wrapped with a hanging indent.
fn snippet_block(s: &Snippet, look: &Look) -> String {
    let mark = para_mark(s, look.color);
    let indent = 3 + super::term::display_width(&mark);
    format!("{}\n", super::term::wrap(&snippet(s, look.color), look.width, &format!("   {mark}"), &" ".repeat(indent)))
}

/// "10" (the first ten), or "11–20" after an offset.
fn shown_range(offset: usize, n: usize) -> String {
    match (offset, n) {
        (0, n) => n.to_string(),
        (o, 1) => (o + 1).to_string(),
        (o, n) => format!("{}–{}", o + 1, o + n),
    }
}

pub fn hits(r: &Results, look: &Look) -> String {
    let mut out = String::new();
    for (i, h) in r.hits.iter().enumerate() {
        let c = &h.citation;
        out.push_str(&head(r.offset + i + 1, &shown(c, look.style), look));
        for s in &h.snippets {
            out.push_str(&snippet_block(s, look));
        }
        out.push_str(&format!("   {}\n\n", paint(&link_line(c, look), DIM, look.color)));
    }
    out.push_str(&format!(
        "{} of {} matching passages\n",
        shown_range(r.offset, r.hits.len()),
        thousands(r.total as u64)
    ));
    out
}

pub fn chapters(r: &ChapterResults, look: &Look) -> String {
    let mut out = String::new();
    for (i, ch) in r.chapters.iter().enumerate() {
        let c = &ch.best.citation;
        let pages = if ch.hits == 1 { "1 matching page".to_string() } else { format!("{} matching pages", ch.hits) };
        let text = format!(
            "{} · {} · {}  ({pages})",
            c.doc_short_title,
            chapter_display(c),
            page_range(&c.chapter_pages.0, &c.chapter_pages.1)
        );
        out.push_str(&head(r.offset + i + 1, &text, look));
        for s in &ch.best.snippets {
            out.push_str(&snippet_block(s, look));
        }
        let cite = super::term::wrap(&clean(&shown(c, look.style)), look.width, "   ", "   ");
        let cite: Vec<String> = cite.lines().map(|l| paint(l, DIM, look.color)).collect();
        out.push_str(&format!("{}\n   {}\n\n", cite.join("\n"), paint(&link_line(c, look), DIM, look.color)));
    }
    out.push_str(&format!(
        "{} of {} matching chapters\n",
        shown_range(r.offset, r.chapters.len()),
        thousands(r.total as u64)
    ));
    out
}

/// `also searched: "stalking", "harassment"`, after the results, when the
/// vocabulary added terms; nothing when it did not.
/// The line that opens results found for a quoted phrase's words, because
/// the phrase as written is nowhere; empty otherwise.
pub fn searched_instead(req: &crate::search::SearchRequest) -> String {
    match &req.instead_of {
        Some(typed) => format!(
            "no matches for {} as written; showing matches for its words: {}\n\n",
            clean(typed),
            clean(&req.query)
        ),
        None => String::new(),
    }
}

pub fn also_searched(terms: &[String]) -> String {
    if terms.is_empty() {
        return String::new();
    }
    let quoted: Vec<String> = terms.iter().map(|t| format!("\"{}\"", clean(t))).collect();
    format!("also searched: {} (--exact: only the words typed)\n", quoted.join(", "))
}

/// One line saying the index is behind its corpus, or `None` when it is not.
pub fn stale_note(s: &Staleness) -> Option<String> {
    let parts: Vec<String> = [(s.new.len(), "added"), (s.changed.len(), "changed"), (s.gone.len(), "removed")]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .enumerate()
        .map(|(i, (n, what))| if i == 0 { format!("{} {what}", count(n as u64, "PDF")) } else { format!("{n} {what}") })
        .collect();
    (!parts.is_empty()).then(|| {
        format!(
            "note: the index is out of date: {} since it was built; run `riskreg index` to bring it up to date",
            parts.join(", ")
        )
    })
}

pub fn build_report(r: &BuildReport) -> String {
    let mut out = String::new();
    if let Some(why) = &r.repaired {
        out.push_str(&format!(
            "the previous index could not be built upon ({}); built a whole new one from the extraction cache\n",
            one_line(why)
        ));
    }
    if r.up_to_date {
        out.push_str(&format!(
            "index is up to date: {} unchanged ({:.1} s)\n",
            count(r.docs as u64, "document"),
            r.seconds
        ));
        // Entries that cannot be read (a link to nothing, a FIFO) fail every build.
        for f in &r.failures {
            out.push_str(&format!("failed: {}: {}\n", f.file, clean(&f.reason)));
        }
        return out;
    }
    let rate = if r.seconds > 0.0 { r.pages as f64 / r.seconds } else { 0.0 };
    out.push_str(&format!(
        "indexed {}, {}, {} in {:.1} s ({:.0} pages/s); {}, {} failed\n",
        count(r.docs as u64, "document"),
        count(r.pages, "page"),
        count(r.chunks, "chunk"),
        r.seconds,
        rate,
        count(r.warnings.len() as u64, "warning"),
        r.failures.len()
    ));
    if r.references > 0 {
        out.push_str(&format!(
            "references: {} found, {} leading nowhere{}\n",
            r.references,
            r.unresolved,
            if r.unresolved > 0 { " (riskreg refs DOC --unresolved lists them)" } else { "" }
        ));
    }
    out.push_str(&format!(
        "changes: {} added, {} changed, {} removed, {} unchanged; {} read from PDF, {} from the extraction cache\n",
        r.added,
        r.changed,
        r.removed,
        r.unchanged,
        r.extracted,
        (r.added + r.changed).saturating_sub(r.extracted)
    ));
    if !r.warnings.is_empty() {
        let shown = 10;
        for (file, w) in r.warnings.iter().take(shown) {
            out.push_str(&format!("warning: {}: {}\n", one_line(file), clean(w)));
        }
        if r.warnings.len() > shown {
            out.push_str(&format!(
                "… and {} more warnings (riskreg inspect FILE shows them all)\n",
                r.warnings.len() - shown
            ));
        }
    }
    for f in &r.failures {
        out.push_str(&format!("failed: {}: {}\n", one_line(&f.file), one_line(&f.reason)));
    }
    if !r.swapped {
        out.push_str("nothing could be indexed; the previous index (if any) is unchanged\n");
    }
    out
}

/// A document's status in a word, and what there is to say about it.
fn status(d: &DocRecord, newer: Option<&AbsentEdition>) -> (&'static str, Vec<String>) {
    let mut said = Vec::new();
    let word = match (&d.superseded_by, newer) {
        (Some(by), _) => {
            said.push(format!("superseded by {by}"));
            "superseded"
        }
        (None, Some(n)) => {
            let why = if n.downloaded { "not indexed: riskreg index" } else { "not downloaded: riskreg sync" };
            said.push(format!("superseded by {} ({why})", n.id));
            "superseded"
        }
        (None, None) => "current",
    };
    if let Some(old) = &d.supersedes {
        said.push(format!("replaces {old}"));
    }
    (word, said)
}

/// `s` cut to `max` characters, the cut marked with `…`.
fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// The indexed documents as a table that fits `width` columns (titles cut
/// with `…`; `None`: whole titles), then a line for each document with
/// something to say: the edition that replaces it (and whether it is
/// downloaded), the one it replaces, a file outside the manifest. `newer`
/// gives, by id, an edition the manifest lists that replaces the document
/// and that the index lacks.
pub fn docs(meta: &IndexMeta, newer: &dyn Fn(&str) -> Option<AbsentEdition>, width: Option<usize>) -> String {
    let head = ["id", "title", "version", "date", "pages", "status", "source"].map(String::from);
    let mut rows = Vec::new();
    let mut notes = Vec::new();
    for d in &meta.docs {
        let (word, mut said) = status(d, newer(&d.id).as_ref());
        let source = match d.origin {
            crate::ingest::Origin::Sample => "sample",
            crate::ingest::Origin::Official => "official",
            crate::ingest::Origin::Local => {
                said.push(format!("not in the manifest: {}", one_line(&d.file)));
                "local"
            }
        };
        if !said.is_empty() {
            notes.push(format!("{}: {}", one_line(&d.id), said.join("; ")));
        }
        rows.push([
            one_line(&d.id),
            one_line(&d.display_title),
            d.version.clone().unwrap_or_else(|| "-".into()),
            d.date.clone().unwrap_or_else(|| "-".into()),
            d.pages.to_string(),
            word.to_string(),
            source.to_string(),
        ]);
    }
    if let Some(width) = width {
        // Every column but the title at its widest, two spaces between.
        let others: usize = (0..7)
            .filter(|&i| i != 1)
            .map(|i| rows.iter().map(|r| r[i].chars().count()).chain([head[i].len()]).max().unwrap_or(0))
            .sum();
        let room = width.saturating_sub(others + 2 * 6).max(head[1].len() + 1);
        for r in &mut rows {
            r[1] = truncate(&r[1], room);
        }
    }
    let mut all = vec![head];
    all.extend(rows);
    let mut out = table(&all);
    if !notes.is_empty() {
        out.push('\n');
        for n in &notes {
            out.push_str(&format!("{n}\n"));
        }
    }
    if !meta.failures.is_empty() {
        out.push_str(&format!("\n{} could not be indexed:\n", count(meta.failures.len() as u64, "file")));
        for f in &meta.failures {
            out.push_str(&format!("  {}: {}\n", one_line(&f.file), one_line(&f.reason)));
        }
    }
    out
}

/// A document's chapters and their pages; with `cite`, each chapter's
/// citation in `look.style` under it. Each heading links to its first page
/// on a terminal that has hyperlinks.
pub fn toc(d: &DocRecord, cite: bool, look: &Look) -> String {
    let mut out = format!("{} — {} pages, chapters from the {}\n", clean(&d.display_title), d.pages, chapter_source(d));
    out.push_str(&format!("{}\n", paint(&clean(&look.links.file(&d.id, &d.file)), DIM, look.color)));
    for c in &d.toc {
        let indent = "  ".repeat(c.level.saturating_sub(1) as usize);
        let mut heading = clean(&c.heading);
        if look.hyperlinks {
            heading = super::term::hyperlink(&look.links.url(&d.id, &d.file, c.pdf_start), &heading);
        }
        out.push_str(&format!(
            "{indent}{heading}  {} ({})\n",
            page_range(&c.printed_start, &c.printed_end),
            pdf_range(c.pdf_start, c.pdf_end)
        ));
        if cite {
            let line = super::cite::cite_chapter(&Citation::of_chapter(d, c), look.style, Markup::Plain);
            let pad = format!("{indent}    ");
            out.push_str(&format!(
                "{}\n",
                paint(&super::term::wrap(&clean(&line), look.width, &pad, &pad), DIM, look.color)
            ));
        }
    }
    out
}

fn chapter_source(d: &DocRecord) -> &'static str {
    match d.chapter_source {
        crate::structure::ChapterSource::Outline => "outline",
        crate::structure::ChapterSource::Headings => "heading lines",
        crate::structure::ChapterSource::Contents => "Contents page",
        crate::structure::ChapterSource::None => "nowhere (none found)",
    }
}

/// The head of a page as `show` prints it: `Register of Risks (sample),
/// 16 December 2024 · p. 209 (PDF p. 217)` (or the page's citation in
/// another style).
fn page_head(d: &DocRecord, printed: &str, pdf_page: u32, style: CiteStyle) -> String {
    match style {
        CiteStyle::Riskreg => {
            let date = d.date.as_deref().and_then(crate::date::long).map(|s| format!(", {s}")).unwrap_or_default();
            format!("{}{date} · p. {printed} (PDF p. {pdf_page})", d.short_title)
        }
        _ => cite(&Citation::of_page(d, printed, pdf_page), style, Markup::Plain),
    }
}

/// A page as `show` prints it, with `marks` (byte ranges of each part's
/// text) highlighted: coloured when `color`, else left plain. `path`: the
/// PDF, or `None` when it is no longer in the corpus folder.
#[allow(clippy::too_many_arguments)]
pub fn page_marked(
    d: &DocRecord,
    printed: &str,
    pdf_page: u32,
    path: Option<&str>,
    page: &PageText,
    style: CiteStyle,
    marks: &[Vec<std::ops::Range<usize>>],
    color: bool,
) -> String {
    let link = match path {
        Some(path) => format!("{path}#page={pdf_page}"),
        None => format!("{}: the PDF is no longer in the corpus folder, so there is no link to it", d.file),
    };
    let mut out = format!("{}\n{link}\n", clean(&page_head(d, printed, pdf_page, style)));
    if !d.is_current() {
        out.push_str(&format!("superseded by {}\n", d.superseded_by.as_deref().unwrap_or("a newer edition")));
    }
    for (i, (heading, text)) in page.parts.iter().enumerate() {
        let h = if heading.is_empty() { "Front matter" } else { heading };
        let mut shown = String::new();
        let mut at = 0;
        for r in marks.get(i).map(Vec::as_slice).unwrap_or_default() {
            shown.push_str(&clean(&text[at..r.start]));
            shown.push_str(&paint(&clean(&text[r.clone()]), BOLD_YELLOW, color));
            at = r.end;
        }
        shown.push_str(&clean(&text[at..]));
        out.push_str(&format!("\n[{}]\n{}\n", clean(h), shown));
    }
    if !page.notes.is_empty() {
        out.push_str("\n[Notes at the foot of the page]\n");
        for (n, text) in &page.notes {
            out.push_str(&format!("fn {}: {}\n", clean(n), clean(text)));
        }
    }
    out
}

/// A page as [`page`] prints it, with the lines of paragraph `para` marked
/// `» ` (from its number, or from the top of a page it runs on to, to the
/// next numbered paragraph or heading).
pub fn page_marking(
    d: &DocRecord,
    printed: &str,
    pdf_page: u32,
    path: Option<&str>,
    text: &PageText,
    style: CiteStyle,
    para: &str,
) -> String {
    let shown = page_marked(d, printed, pdf_page, path, text, style, &[], false);
    let starts_para = |l: &str| crate::structure::paragraph_number(l).map(|(a, b)| format!("{a}.{b}"));
    // Does the page open inside the paragraph (it has no line of its own start here)?
    let here = text.parts.iter().any(|(_, t)| t.lines().any(|l| starts_para(l).as_deref() == Some(para)));
    let mut inside = !here;
    let mut out = String::new();
    let mut in_body = false;
    for line in shown.lines() {
        if line.starts_with('[') && line.ends_with(']') {
            in_body = !line.starts_with("[Notes");
            out.push_str(line);
            out.push('\n');
            continue;
        }
        if in_body {
            if let Some(n) = starts_para(line) {
                inside = n == para;
            }
            if line.is_empty() {
                in_body = false;
            }
        }
        if in_body && inside {
            out.push_str("» ");
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Columns padded to their widest cell.
pub fn table(rows: &[[String; 7]]) -> String {
    let mut widths = [0usize; 7];
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let mut out = String::new();
    for r in rows {
        let line: Vec<String> = r.iter().enumerate().map(|(i, c)| format!("{c:<w$}", w = widths[i])).collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}

pub fn inspect(r: &super::json::InspectOut) -> String {
    let mut out = format!("{}\n", r.file);
    if let Some(t) = &r.title {
        out.push_str(&format!("title: {}\n", clean(t)));
    }
    let ex: Vec<String> = r.extractors.iter().map(|(k, v)| format!("{v} by {k}")).collect();
    out.push_str(&format!("pages: {} ({})\n", r.pages, ex.join(", ")));
    let labels: Vec<String> = r.labels.iter().map(|l| l.printed.clone()).collect();
    let shown = if labels.len() > 12 {
        format!("{} … {}", labels[..6].join(", "), labels[labels.len() - 3..].join(", "))
    } else {
        labels.join(", ")
    };
    let source = r.labels.first().map(|l| format!("{:?}", l.source).to_lowercase()).unwrap_or_default();
    out.push_str(&format!("printed pages: {shown} (from {source})\n"));
    out.push_str(&format!("outline: {} entries\n", r.outline.len()));
    out.push_str(&format!("chapters ({} from {}):\n", r.chapters.len(), r.chapter_source));
    for c in &r.chapters {
        let indent = "  ".repeat(c.level as usize);
        out.push_str(&format!(
            "{indent}{}  {} ({}), {}\n",
            clean(&c.heading),
            c.pages,
            pdf_range(c.pdf_start, c.pdf_end),
            count(c.paragraphs as u64, "paragraph")
        ));
    }
    out.push_str(&format!("numbered paragraphs: {}\n", r.paragraphs));
    out.push_str(&format!("headings (not paragraph text): {}\n", r.headings));
    out.push_str(&format!("notes at the foot of pages: {}\n", r.footnotes));
    out.push_str(&format!("running headers/footers removed: {}\n", r.removed_lines.len()));
    for l in &r.removed_lines {
        out.push_str(&format!("  {}\n", clean(l)));
    }
    out.push_str(&format!("warnings: {}\n", r.warnings.len()));
    for w in &r.warnings {
        out.push_str(&format!("  {}\n", clean(w)));
    }
    if let Some(pages) = &r.text {
        for (i, t) in pages.iter().enumerate() {
            out.push_str(&format!("\n--- PDF page {} (p. {}) ---\n{}\n", i + 1, r.labels[i].printed, clean(t)));
        }
    }
    out
}

pub fn sync_report(r: &crate::sync::SyncReport, dry_run: bool) -> String {
    use crate::sync::Outcome;
    let mut out = String::new();
    for (id, o) in &r.items {
        let line = match o {
            Outcome::New => format!("new        {id}"),
            Outcome::Changed => format!("changed    {id}"),
            Outcome::Unchanged => format!("unchanged  {id}"),
            Outcome::WouldFetch(why) => format!("would fetch {id}: {}", clean(why)),
            Outcome::WouldCheck(why) => {
                format!("would check {id}: {} (asks the server whether it changed)", clean(why))
            }
            Outcome::Failed(why) => format!("failed     {id}: {}", clean(why)),
        };
        out.push_str(&line);
        out.push('\n');
    }
    let n = |f: fn(&Outcome) -> bool| r.count(f);
    out.push_str(&format!(
        "{}{} new, {} changed, {} unchanged, {} failed{}\n",
        if dry_run { "dry run: " } else { "" },
        n(|o| matches!(o, Outcome::New)),
        n(|o| matches!(o, Outcome::Changed)),
        n(|o| matches!(o, Outcome::Unchanged)),
        n(|o| matches!(o, Outcome::Failed(_))),
        if dry_run {
            format!(
                ", {} would be fetched, {} checked; nothing was asked of the network",
                n(|o| matches!(o, Outcome::WouldFetch(_))),
                n(|o| matches!(o, Outcome::WouldCheck(_)))
            )
        } else {
            String::new()
        }
    ));
    if !dry_run && r.count(|o| matches!(o, Outcome::New | Outcome::Changed)) > 0 {
        out.push_str("run `riskreg index` to index what changed\n");
    }
    out
}

pub fn discover(listed: &[crate::discover::Listed], proposals: &[crate::discover::Proposal], written: bool) -> String {
    let mut out =
        format!("{} PDF links on the page; {} not in the manifest or newer than it\n", listed.len(), proposals.len());
    for p in proposals {
        out.push('\n');
        out.push_str(&crate::discover::to_toml(p));
    }
    if written && !proposals.is_empty() {
        out.push_str("\nadded to sources.toml; run `riskreg sync` to download them\n");
    } else if !proposals.is_empty() {
        out.push_str("\n(--write adds these to sources.toml)\n");
    }
    out
}

/// A changed paragraph's words: `[-removed-]{+added+}` (red and green on a
/// terminal), with at most `CONTEXT` unchanged words kept on either side of
/// a change.
pub fn word_diff(words: &[crate::diff::Words], color: bool) -> String {
    use crate::diff::Words;
    const CONTEXT: usize = 8;
    let mut out = String::new();
    let last = words.len().saturating_sub(1);
    for (i, w) in words.iter().enumerate() {
        match w {
            Words::Same(t) => {
                let parts: Vec<&str> = t.split_whitespace().collect();
                let keep_head = if i == 0 { 0 } else { CONTEXT };
                let keep_tail = if i == last { 0 } else { CONTEXT };
                if parts.len() > keep_head + keep_tail {
                    let head = parts[..keep_head].join(" ");
                    let tail = parts[parts.len() - keep_tail..].join(" ");
                    let lead = if t.starts_with(char::is_whitespace) { " " } else { "" };
                    let trail = if t.ends_with(char::is_whitespace) { " " } else { "" };
                    let mid = match (head.is_empty(), tail.is_empty()) {
                        (true, true) => "…".to_string(),
                        (true, false) => format!("… {tail}"),
                        (false, true) => format!("{head} …"),
                        (false, false) => format!("{head} … {tail}"),
                    };
                    out.push_str(&format!("{lead}{mid}{trail}"));
                } else {
                    out.push_str(t);
                }
            }
            Words::Removed(t) if color => out.push_str(&format!("{RED}{}{RESET}", t.trim())),
            Words::Added(t) if color => out.push_str(&format!("{GREEN}{}{RESET}", t.trim())),
            Words::Removed(t) => out.push_str(&format!("[-{}-]", t.trim())),
            Words::Added(t) => out.push_str(&format!("{{+{}+}}", t.trim())),
        }
    }
    clean(&out)
}

pub fn diff(old: &DocRecord, new: &DocRecord, d: &crate::diff::Diff, color: bool) -> String {
    let name = |r: &DocRecord| {
        format!(
            "{} ({}{})",
            r.id,
            r.version.as_deref().map(|v| format!("v{v}, ")).unwrap_or_default(),
            r.date.as_deref().unwrap_or("undated")
        )
    };
    let mut out = format!("{} → {}\n", name(old), name(new));
    out.push_str(&format!(
        "chapters: {} added, {} removed, {} with new page ranges; paragraphs: {} added, {} removed, {} changed, {} unchanged\n",
        d.chapters_added.len(),
        d.chapters_removed.len(),
        d.chapters_moved.len(),
        d.paras_added.len(),
        d.paras_removed.len(),
        d.paras_changed.len(),
        d.paras_unchanged
    ));
    for c in &d.chapters_added {
        out.push_str(&format!("+ chapter {} ({})\n", clean(&c.heading), page_range(&c.start, &c.end)));
    }
    for c in &d.chapters_removed {
        out.push_str(&format!("- chapter {} ({})\n", clean(&c.heading), page_range(&c.start, &c.end)));
    }
    for (a, b) in &d.chapters_moved {
        out.push_str(&format!(
            "~ chapter {}: {} → {}\n",
            clean(&b.heading),
            page_range(&a.start, &a.end),
            page_range(&b.start, &b.end)
        ));
    }
    let at = |p: &crate::diff::Para| format!("p. {} (PDF p. {})", p.page, p.pdf_page);
    for p in &d.paras_added {
        out.push_str(&format!("+ ¶{} {} in {}\n", p.number, at(p), clean(&p.chapter)));
    }
    for p in &d.paras_removed {
        out.push_str(&format!("- ¶{} {} in {}\n", p.number, at(p), clean(&p.chapter)));
    }
    for (i, (a, b)) in d.paras_changed.iter().enumerate() {
        out.push_str(&format!("~ ¶{} {} → {}\n", b.number, at(a), at(b)));
        if let Some(words) = d.paras_changed_words.get(i) {
            out.push_str(&format!("    {}\n", word_diff(words, color)));
        }
    }
    out
}

/// A definition: the term as printed (and whether a glossary gives it or a
/// sentence), the definition wrapped, its citation.
pub fn definition(d: &DocRecord, def: &crate::index::Definition, look: &Look) -> String {
    let kind = match def.kind {
        crate::index::DefinitionKind::Glossary => "glossary",
        crate::index::DefinitionKind::Sentence => "defining sentence",
    };
    let c = Citation::of_definition(d, def);
    let text = super::term::wrap(&one_line(&def.text), look.width, "   ", "   ");
    let cite = super::term::wrap(&one_line(&shown(&c, look.style)), look.width, "   ", "   ");
    let cite: Vec<String> = cite.lines().map(|l| paint(l, DIM, look.color)).collect();
    format!("{}  ({kind})\n{}\n{}\n", paint(&one_line(&def.term), BOLD, look.color), text.trim_end(), cite.join("\n"))
}

/// `riskreg define`: every definition found, or none and the nearest terms.
pub fn define(term: &str, found: &[(&DocRecord, &crate::index::Definition)], look: &Look) -> String {
    let mut out = format!("{} — {}\n\n", one_line(term), count(found.len() as u64, "definition"));
    for (d, def) in found {
        out.push_str(&definition(d, def, look));
        out.push('\n');
    }
    out
}

/// What `define` says when a term is not defined (on stderr).
pub fn not_defined(term: &str, nearest: &[String]) -> String {
    let mut s = format!("no definition of \"{}\" in the indexed documents", one_line(term));
    if !nearest.is_empty() {
        let near: Vec<String> = nearest.iter().map(|t| format!("\"{}\"", one_line(t))).collect();
        s.push_str(&format!("; defined terms near it: {}", near.join(", ")));
    }
    s
}

/// The block a search prints before its results when the query is a
/// defined term.
pub fn search_definition(d: &DocRecord, def: &crate::index::Definition, look: &Look) -> String {
    format!("{} {}", paint("Defined:", BOLD, look.color), definition(d, def, look))
}

/// `riskreg terms`: each document's acronyms and defined terms, with where
/// each is (first) written.
pub fn terms(docs: &[&DocRecord], look: &Look) -> String {
    // The citation after the document's title: "A22. Glossary · p. 447 · ¶A22.2".
    let place = |c: &Citation| {
        let line = super::citation_line(c);
        let after_title = line.split_once(" · ").map_or(line.as_str(), |(_, rest)| rest).to_string();
        paint(&one_line(&after_title), DIM, look.color)
    };
    let mut out = String::new();
    for d in docs {
        out.push_str(&format!("{} ({})\n", paint(&one_line(&d.display_title), BOLD, look.color), one_line(&d.id)));
        if d.acronyms.is_empty() && d.definitions.is_empty() {
            out.push_str("  no acronyms or defined terms found\n\n");
            continue;
        }
        if !d.acronyms.is_empty() {
            out.push_str(&format!("  {}\n", count(d.acronyms.len() as u64, "acronym")));
            let w = d.acronyms.iter().map(|a| a.short.chars().count()).max().unwrap_or(0);
            for a in &d.acronyms {
                out.push_str(&format!(
                    "    {:w$}  {}  {}\n",
                    one_line(&a.short),
                    one_line(&a.long),
                    place(&Citation::of_acronym(d, a))
                ));
            }
        }
        if !d.definitions.is_empty() {
            out.push_str(&format!("  {}\n", count(d.definitions.len() as u64, "defined term")));
            for x in &d.definitions {
                let kind = match x.kind {
                    crate::index::DefinitionKind::Glossary => "",
                    crate::index::DefinitionKind::Sentence => " (sentence)",
                };
                out.push_str(&format!("    {}{kind}  {}\n", one_line(&x.term), place(&Citation::of_definition(d, x))));
            }
        }
        out.push('\n');
    }
    out
}

/// `riskreg harms`: each kind of harm, then its chapters, a line each.
pub fn harms(out: &crate::render::json::HarmsOut) -> String {
    let mut s = String::new();
    for (i, h) in out.harms.iter().enumerate() {
        if i > 0 {
            s.push('\n');
        }
        s.push_str(&h.name);
        if !h.also.is_empty() {
            s.push_str(&format!("  (also: {})", h.also.join(", ")));
        }
        s.push('\n');
        if h.chapters.is_empty() {
            s.push_str("  no chapter of an indexed document is about it\n");
        }
        for c in &h.chapters {
            s.push_str(&format!("  {} · {} · {}\n", c.doc_title, c.heading, c.pages));
        }
    }
    s
}

/// `riskreg harms --format md`: one table, a row per chapter, to paste.
pub fn harms_md(out: &crate::render::json::HarmsOut) -> String {
    let cell = |t: &str| t.replace('|', "\\|").replace(['\n', '\r'], " ");
    let mut s = String::from("| Harm | Document | Chapter | Pages |\n|---|---|---|---|\n");
    for h in &out.harms {
        if h.chapters.is_empty() {
            s.push_str(&format!("| {} | — | — | — |\n", cell(&h.name)));
        }
        for c in &h.chapters {
            s.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                cell(&h.name),
                cell(&c.doc_title),
                cell(&c.heading),
                c.pages
            ));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_from_a_pdf_cannot_move_the_cursor_or_reorder_itself() {
        assert_eq!(clean("a\u{202E}fdp.exe\rb\x1b[2Jc\nd"), "a fdp.exe b [2Jc\nd");
        assert_eq!(one_line("Team\r\nror  Register of Risks"), "Team  ror  Register of Risks");
        assert_eq!(truncate("Register of Risks", 8), "Registe…");
        assert_eq!(truncate("Register", 8), "Register");
    }
}
