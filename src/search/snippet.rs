//! Snippets: the passages of a chunk where the query matches, with the
//! matched words marked. Several per chunk when it matches in several places.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;

use aho_corasick::AhoCorasick;
use tantivy::tokenizer::TextAnalyzer;

use crate::query::Node;

/// A passage of a chunk with highlight ranges (byte offsets into `text`).
#[derive(Debug, Clone, PartialEq)]
pub struct Snippet {
    pub text: String,
    pub highlights: Vec<Range<usize>>,
    /// Byte offset in the chunk where the first highlight is (or where the
    /// passage starts, when nothing is highlighted).
    pub chunk_offset: usize,
    /// A highlight runs into the words borrowed from the next page.
    pub next_page: bool,
    /// The numbered paragraph the passage is in (set by the search).
    pub paragraph: Option<String>,
    /// The note at the page's foot the passage is from (set by the search).
    pub footnote: Option<String>,
}

/// Where a chunk's units begin and its own page ends: what a snippet must
/// stay inside.
#[derive(Debug, Clone, Copy, Default)]
pub struct Layout<'a> {
    /// Byte offsets where a paragraph or heading begins, ascending.
    pub breaks: &'a [usize],
    /// Where the words borrowed from the next page begin.
    pub tail_start: usize,
    /// Where a passage with nothing to highlight starts (the paragraph a
    /// `para:` filter asked for), else 0.
    pub anchor: usize,
}

impl Layout<'_> {
    /// A text of one unit, all its own.
    pub fn whole(text: &str) -> Layout<'static> {
        Layout { breaks: &[], tail_start: text.len(), anchor: 0 }
    }

    /// The unit holding byte `at`: [start, end).
    fn unit(&self, at: usize, len: usize) -> Range<usize> {
        let i = self.breaks.partition_point(|b| *b <= at);
        let start = if i == 0 { 0 } else { self.breaks[i - 1] };
        start..self.breaks.get(i).copied().unwrap_or(len)
    }
}

/// What to mark, derived once per query.
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    stems: Vec<String>,
    phrases: Vec<Vec<String>>,
    prefixes: Vec<String>,
    fuzzy: Vec<(String, u8)>,
    /// Finds the places where a match can start (the first letters of every
    /// stem, phrase and prefix, ignoring ASCII case), so that only the words
    /// there are read. `None` = read every word (fuzzy terms, or terms
    /// beginning with letters other than ASCII).
    starts: Option<AhoCorasick>,
    /// Stems already computed for this query's passages, by lower-cased word
    /// (the same few words recur on every page of a result list).
    stem_cache: RefCell<HashMap<String, Option<String>>>,
}

/// A word of a passage: where it is in the passage, and its lower-cased
/// form in the [`Words`] buffer; `stem` is set only for words that could
/// match a query stem.
struct Token {
    range: Range<usize>,
    raw: Range<usize>,
    stem: Option<String>,
}

/// The words of one passage, their lower-cased forms in one buffer (one
/// allocation per passage instead of one per word: this was a large share
/// of a search's cost).
struct Words {
    buf: String,
    tokens: Vec<Token>,
}

impl Words {
    fn raw(&self, t: &Token) -> &str {
        &self.buf[t.raw.clone()]
    }
}

/// The length of a snippet, in bytes (approximately; cut at word edges).
const WINDOW: usize = 260;
/// Context kept before the first match.
const LEAD: usize = 50;

impl Matcher {
    /// Collect the positive terms of a query; `stem` turns a word into its index form.
    pub fn new(node: &Node, stemmer: &mut TextAnalyzer) -> Matcher {
        let mut m = Matcher::default();
        m.collect(node, stemmer);
        m.starts = m.start_finder();
        m
    }

    fn start_finder(&self) -> Option<AhoCorasick> {
        if !self.fuzzy.is_empty() {
            return None;
        }
        let firsts = self.stems.iter().chain(self.phrases.iter().filter_map(|p| p.first())).chain(&self.prefixes);
        let needles: Vec<&str> = firsts.map(|w| lead(w)).collect();
        if needles.is_empty() || needles.iter().any(|n| n.is_empty() || !n.is_ascii()) {
            return None;
        }
        AhoCorasick::builder().ascii_case_insensitive(true).build(needles).ok()
    }

    fn collect(&mut self, node: &Node, stemmer: &mut TextAnalyzer) {
        match node {
            Node::Word(w) => self.stems.extend(analyse(stemmer, w)),
            Node::Phrase(ws) if ws.len() == 1 => self.phrases.push(ws.clone()),
            Node::Phrase(ws) => self.phrases.push(ws.clone()),
            Node::Prefix(p) => self.prefixes.push(p.clone()),
            Node::Fuzzy(w, d) => self.fuzzy.push((w.clone(), *d)),
            Node::And(parts) | Node::Or(parts) => parts.iter().for_each(|p| self.collect(p, stemmer)),
            // The expansions are marked as the words typed are: a one-word
            // term by its stem, a longer one as a phrase.
            Node::Expanded { typed, also } => {
                self.collect(typed, stemmer);
                for ws in also {
                    match ws.as_slice() {
                        [one] => self.stems.extend(analyse(stemmer, one)),
                        _ => self.phrases.push(ws.clone()),
                    }
                }
            }
            Node::Not(_) | Node::Filter(_) => {}
        }
    }

    /// Where `text` matches, as sorted byte ranges that do not overlap
    /// (what `show --query` marks on a page).
    pub fn highlights(&self, text: &str, exact: &mut TextAnalyzer, stemmer: &mut TextAnalyzer) -> Vec<Range<usize>> {
        let mut out: Vec<Range<usize>> = Vec::new();
        for (r, _) in self.matches(text, exact, stemmer) {
            match out.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => out.push(r),
            }
        }
        out
    }

    /// No term to mark (the query is only filters).
    pub fn is_empty(&self) -> bool {
        self.stems.is_empty() && self.phrases.is_empty() && self.prefixes.is_empty() && self.fuzzy.is_empty()
    }

    /// Byte ranges of `text` that match, each tagged with which term matched.
    fn matches(&self, text: &str, exact: &mut TextAnalyzer, stemmer: &mut TextAnalyzer) -> Vec<(Range<usize>, usize)> {
        let mut out = Vec::new();
        match &self.starts {
            None => {
                let mut words = Words { buf: String::new(), tokens: Vec::new() };
                self.words(&mut words, text, 0, usize::MAX, exact, stemmer);
                for i in 0..words.tokens.len() {
                    self.matches_at(&words, i, &mut out);
                }
            }
            Some(finder) => {
                // Every match starts a word with one of the needles: read only
                // the words from there (as many as the longest phrase).
                let span = self.phrases.iter().map(Vec::len).max().unwrap_or(1).max(1);
                let mut last = None;
                // One buffer for every place: refilled, never reallocated.
                let mut words = Words { buf: String::new(), tokens: Vec::new() };
                for m in finder.find_iter(text) {
                    let at = m.start();
                    let word_start = text[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
                    if !word_start || last == Some(at) {
                        continue;
                    }
                    last = Some(at);
                    self.words(&mut words, &text[at..], at, span, exact, stemmer);
                    if !words.tokens.is_empty() && words.tokens[0].range.start == at {
                        self.matches_at(&words, 0, &mut out);
                    }
                }
            }
        }
        out.sort_by_key(|(r, _)| (r.start, r.end));
        out
    }

    /// The matches that start at word `i` of `words`.
    fn matches_at(&self, words: &Words, i: usize, out: &mut Vec<(Range<usize>, usize)>) {
        let tokens = &words.tokens;
        let t = &tokens[i];
        let raw = words.raw(t);
        if let Some(stem) = &t.stem {
            for (k, s) in self.stems.iter().enumerate() {
                if stem == s {
                    out.push((t.range.clone(), k));
                }
            }
        }
        let base = self.stems.len();
        for (k, p) in self.phrases.iter().enumerate() {
            if tokens.len() - i >= p.len() && p.iter().zip(&tokens[i..]).all(|(w, t)| words.raw(t) == w) {
                out.push((t.range.start..tokens[i + p.len() - 1].range.end, base + k));
            }
        }
        let base = base + self.phrases.len();
        for (k, p) in self.prefixes.iter().enumerate() {
            if raw.starts_with(p.as_str()) {
                out.push((t.range.clone(), base + k));
            }
        }
        let base = base + self.prefixes.len();
        for (k, (w, d)) in self.fuzzy.iter().enumerate() {
            if within_distance(raw, w, *d as usize) {
                out.push((t.range.clone(), base + k));
            }
        }
    }

    /// Up to `max` snippets of `text`, best first, each inside one unit of
    /// `layout` (a snippet never runs from a paragraph into a heading or the
    /// next paragraph). Matches that start in the words borrowed from the
    /// next page are that page's; only one that starts on this page may run
    /// into them. A chunk that matched only by its title or a filter gets the
    /// passage at `layout.anchor`, unhighlighted.
    pub fn snippets(
        &self,
        text: &str,
        layout: &Layout,
        max: usize,
        exact: &mut TextAnalyzer,
        stemmer: &mut TextAnalyzer,
    ) -> Vec<Snippet> {
        if max == 0 {
            return Vec::new();
        }
        let own = layout.tail_start.min(text.len());
        let mut matches = if self.is_empty() { Vec::new() } else { self.matches(text, exact, stemmer) };
        let anywhere = !matches.is_empty();
        matches.retain(|(r, _)| r.start < own);
        if matches.is_empty() && anywhere {
            // Every match is on the next page, whose own chunk answers.
            return Vec::new();
        }
        if matches.is_empty() {
            let mut at = layout.anchor.min(own);
            // Past a heading line at the top to the text under it.
            while let Some(next) = layout.breaks.iter().find(|b| **b > at).filter(|b| {
                let unit = text[at..**b].trim_end();
                **b < own && unit.len() < 100 && !unit.ends_with(['.', '?', '!', ':', ';'])
            }) {
                at = *next;
            }
            let unit = layout.unit(at, own);
            let end = cut_end(text, at, WINDOW).min(unit.end);
            let mut s = make(text, unit.start..unit.end.min(own), at, trim_end(text, at, end), &[]);
            s.chunk_offset = at;
            return vec![s];
        }
        // The match that runs over the page break, if one does.
        let crossing = matches.iter().rfind(|(r, _)| r.end > own).map(|(r, _)| r.clone());
        let window = |at: usize| {
            let unit = layout.unit(at, text.len());
            let start = cut_start(text, at, LEAD).max(unit.start);
            let full = cut_end(text, start, WINDOW).min(unit.end);
            // The page's own words, unless a match shown runs over the break.
            let end = match &crossing {
                Some(r) if r.start >= start && r.start < full => full.max(r.end),
                _ => full.min(own),
            };
            (start, trim_end(text, start, end))
        };
        let mut taken: Vec<Range<usize>> = Vec::new();
        let mut out = Vec::new();
        while out.len() < max {
            // The window starting at each match that is still free: score it by
            // how many different terms it holds, then by how many matches.
            let mut best: Option<(usize, usize, usize, usize)> = None; // (score, first match index, start, end)
            for (i, (r, _)) in matches.iter().enumerate() {
                if taken.iter().any(|t| t.contains(&r.start)) {
                    continue;
                }
                let (start, end) = window(r.start);
                if taken.iter().any(|t| t.start < end && start < t.end) {
                    continue;
                }
                // Which terms (a bit each; terms past the 128th share the last
                // bit) and how many matches the window holds.
                let (mut kinds, mut inside) = (0u128, 0usize);
                for (_, k) in matches[i..].iter().take_while(|(m, _)| m.end <= end) {
                    kinds |= 1 << (*k).min(127);
                    inside += 1;
                }
                let score = kinds.count_ones() as usize * 100 + inside;
                if best.is_none_or(|(s, ..)| score > s) {
                    best = Some((score, i, start, end));
                }
            }
            let Some((_, i, start, end)) = best else { break };
            let marks: Vec<Range<usize>> =
                matches.iter().map(|(r, _)| r.clone()).filter(|r| r.start >= start && r.end <= end).collect();
            let next_page = marks.iter().any(|r| r.end > own);
            let unit = layout.unit(matches[i].0.start, text.len());
            let unit = unit.start..if next_page { unit.end } else { unit.end.min(own) };
            let mut s = make(text, unit, start, end, &merge(marks));
            s.chunk_offset = matches[i].0.start;
            s.next_page = next_page;
            out.push(s);
            taken.push(start..end);
        }
        out
    }
}

/// The length of "9.14 " at the start of a paragraph's text, else 0.
fn paragraph_number_len(text: &str) -> usize {
    let b = text.as_bytes();
    let mut i = usize::from(b.first().is_some_and(u8::is_ascii_uppercase));
    let digits = |i: &mut usize| {
        let from = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        (1..=3).contains(&(*i - from))
    };
    if !digits(&mut i) || b.get(i) != Some(&b'.') {
        return 0;
    }
    i += 1;
    if !digits(&mut i) {
        return 0;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
    }
    match b.get(i) {
        Some(b' ') => i + 1,
        _ => 0,
    }
}

/// `end` moved back over white space (a unit ends with the line break
/// before the next one).
fn trim_end(text: &str, start: usize, end: usize) -> usize {
    start + text[start..end].trim_end().len()
}

fn analyse(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(t) = stream.next() {
        out.push(t.text.clone());
    }
    out
}

/// The first letters of a term that a word must start with to match it (up
/// to three characters: a word and its stem share at least those).
fn lead(term: &str) -> &str {
    &term[..term.char_indices().nth(3).map(|(i, _)| i).unwrap_or(term.len())]
}

impl Matcher {
    /// Up to `max` words of `text` into `w` (emptied first), with their
    /// offsets shifted by `offset`;
    /// a word is stemmed only when it could stem to one of the query's stems
    /// (it shares their first letters), because stemming every word of every
    /// passage was most of the cost of a search.
    fn words(
        &self,
        w: &mut Words,
        text: &str,
        offset: usize,
        max: usize,
        exact: &mut TextAnalyzer,
        stemmer: &mut TextAnalyzer,
    ) {
        w.buf.clear();
        w.tokens.clear();
        let mut raw = exact.token_stream(text);
        while w.tokens.len() < max {
            let Some(t) = raw.next() else { break };
            let at = w.buf.len();
            w.buf.push_str(&t.text);
            w.tokens.push(Token {
                range: offset + t.offset_from..offset + t.offset_to,
                raw: at..w.buf.len(),
                stem: None,
            });
        }
        drop(raw);
        let mut cache = self.stem_cache.borrow_mut();
        for t in &mut w.tokens {
            let raw = &w.buf[t.raw.clone()];
            if self.stems.iter().any(|s| raw.starts_with(lead(s))) {
                t.stem = match cache.get(raw) {
                    Some(stem) => stem.clone(),
                    None => {
                        let stem = analyse(stemmer, raw).into_iter().next();
                        cache.insert(raw.to_string(), stem.clone());
                        stem
                    }
                };
            }
        }
    }
}

/// Levenshtein distance of a and b is at most d (with transpositions costing one).
fn within_distance(a: &str, b: &str, d: usize) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > d {
        return false;
    }
    let mut prev2: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(prev2[j - 2] + 1);
            }
        }
        prev2 = std::mem::replace(&mut prev, cur);
    }
    prev[b.len()] <= d
}

fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| r.start);
    let mut out: Vec<Range<usize>> = Vec::new();
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// A start up to `lead` bytes before `at`, moved forward to a word start.
fn cut_start(text: &str, at: usize, lead: usize) -> usize {
    if at <= lead {
        return 0;
    }
    let mut s = at - lead;
    while !text.is_char_boundary(s) {
        s += 1;
    }
    match text[s..at].find(char::is_whitespace) {
        Some(i) => s + i + 1,
        None => at,
    }
}

/// An end about `len` bytes after `start`, moved back to a word end.
fn cut_end(text: &str, start: usize, len: usize) -> usize {
    if start + len >= text.len() {
        return text.len();
    }
    let mut e = start + len;
    while !text.is_char_boundary(e) {
        e -= 1;
    }
    match text[start..e].rfind(char::is_whitespace) {
        Some(i) if i > len / 2 => start + i,
        _ => e,
    }
}

/// The passage [start, end) of `text`, one line, with "…" where it was cut
/// inside its unit `unit`; a paragraph's own number at its start is left
/// out (the snippet's ¶ says it).
fn make(text: &str, unit: Range<usize>, start: usize, end: usize, marks: &[Range<usize>]) -> Snippet {
    let lead = if start > unit.start { "…" } else { "" };
    let start = if start == unit.start { start + paragraph_number_len(&text[start..end]) } else { start };
    let tail = if text[end..unit.end.max(end)].trim().is_empty() { "" } else { "…" };
    let body: String = text[start..end].chars().map(|c| if c == '\n' { ' ' } else { c }).collect();
    let shift = lead.len();
    let highlights = marks
        .iter()
        .filter(|r| r.end > start)
        .map(|r| (r.start.max(start) - start + shift)..(r.end.min(end) - start + shift))
        .collect();
    Snippet {
        text: format!("{lead}{body}{tail}"),
        highlights,
        chunk_offset: 0,
        next_page: false,
        paragraph: None,
        footnote: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::TokenizerManager;

    fn analyzers() -> (TextAnalyzer, TextAnalyzer) {
        let m = TokenizerManager::default();
        (m.get("default").unwrap(), m.get("en_stem").unwrap())
    }

    fn marked(s: &Snippet) -> String {
        let mut out = String::new();
        let mut at = 0;
        for r in &s.highlights {
            out.push_str(&s.text[at..r.start]);
            out.push('[');
            out.push_str(&s.text[r.clone()]);
            out.push(']');
            at = r.end;
        }
        out.push_str(&s.text[at..]);
        out
    }

    #[test]
    fn marks_stems_phrases_prefixes_and_fuzzy_words() {
        let (mut exact, mut stem) = analyzers();
        let cases = [
            (
                "trafficking",
                "Victims were trafficked;\ntrafficking continues.",
                "Victims were [trafficked]; [trafficking] continues.",
            ),
            ("\"debt bondage\"", "Debt and bondage; debt bondage.", "Debt and bondage; [debt bondage]."),
            ("recruit*", "Recruiters recruit.", "[Recruiters] [recruit]."),
            ("traficking~1", "trafficking", "[trafficking]"),
            ("fraud -crypto", "fraud crypto", "[fraud] crypto"),
        ];
        for (q, text, want) in cases {
            let node = crate::query::parse(q).unwrap();
            let m = Matcher::new(&node, &mut stem);
            let s = m.snippets(text, &Layout::whole(text), 3, &mut exact, &mut stem);
            assert_eq!(marked(&s[0]), want, "query {q}");
        }
    }

    #[test]
    fn several_snippets_when_matches_are_far_apart() {
        let (mut exact, mut stem) = analyzers();
        let filler = "words about other things entirely ".repeat(20);
        let text = format!("grooming starts here. {filler} and grooming again at the end.");
        let node = crate::query::parse("grooming").unwrap();
        let s = Matcher::new(&node, &mut stem).snippets(&text, &Layout::whole(&text), 3, &mut exact, &mut stem);
        assert_eq!(s.len(), 2);
        assert!(s[1].text.starts_with('…') && s[1].text.contains("grooming again"), "{:?}", s[1]);
    }

    #[test]
    fn reading_only_where_matches_can_start_changes_nothing() {
        let (mut exact, mut stem) = analyzers();
        let text = "Human trafficking: traffickers RECRUIT victims; recruitment-by-deception, e-mail \
                    and emails. Debt bondage (debt-bondage) keeps Victims trafficked. Grooming, groomed; \
                    the risk of harm to children is assessed in the risk assessment.\n"
            .repeat(3);
        let queries = [
            "trafficking",
            "human trafficking",
            "\"debt bondage\"",
            "recruit*",
            "mail",
            "victim",
            "grooming OR risk",
            "\"risk assessment\" harm",
            "\"of harm to\"",
            "children -adults",
        ];
        for q in queries {
            let node = crate::query::parse(q).unwrap();
            let fast = Matcher::new(&node, &mut stem);
            assert!(fast.starts.is_some(), "{q}: no prefilter");
            let slow = Matcher { starts: None, ..fast.clone() };
            let a = fast.matches(&text, &mut exact, &mut stem);
            let b = slow.matches(&text, &mut exact, &mut stem);
            assert!(!b.is_empty(), "{q}");
            assert_eq!(a, b, "query {q}");
        }
    }
}
