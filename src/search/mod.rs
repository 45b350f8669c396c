//! Query tree → ranked hits with citations and snippets, or the matching
//! chapters with their page ranges. No formatting, no serde.

pub mod request;
pub mod snippet;

use std::collections::HashMap;
use std::ops::Bound;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, FuzzyTermQuery, Occur, PhraseQuery, Query,
    RangeQuery, RegexQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

pub use request::{By, SearchInput, SearchRequest, MAX_LIMIT, MAX_OFFSET, MAX_QUERY_CHARS};
pub use snippet::Snippet;
use snippet::{Layout, Matcher};

use crate::error::{Error, Result};
use crate::index::schema::{label_source_from_name, Fields, EXACT, STEMMED};
use crate::index::OpenIndex;
use crate::query::{self, Filter, Node};

/// How titles weigh against body text.
const CHAPTER_TITLE_BOOST: f32 = 3.0;
const DOC_TITLE_BOOST: f32 = 0.5;
/// How much a term the vocabulary added counts against the words typed.
const EXPANSION_WEIGHT: f32 = 0.5;
/// How much a fuzzy match counts, by its distance from the word typed (the
/// word itself, one edit, two): the nearer, the higher, so an indexed word
/// typed exactly outranks its neighbours (`csam~1`: CSAM before "scam").
const FUZZY_WEIGHTS: [f32; 3] = [1.0, 0.3, 0.1];
/// How much a table-of-contents page counts against the chapter it lists.
const CONTENTS_PAGE_WEIGHT: f32 = 0.25;
/// Which pages may answer a query. Contents pages are navigation, not
/// answers: left out unless the query asks for them (`chapter:contents`:
/// only them; a `page:` filter: whatever stands on those pages).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Answering {
    Body,
    Contents,
    Any,
}

impl Answering {
    fn of(node: &Node) -> Answering {
        let filters = query::top_filters(node);
        if filters.iter().any(|f| matches!(f, Filter::Chapter(c) if is_contents_filter(c))) {
            Answering::Contents
        } else if filters.iter().any(|f| matches!(f, Filter::Pages(..))) {
            Answering::Any
        } else {
            Answering::Body
        }
    }

    /// The clause that keeps the chunks answering may use, by the `contents`
    /// field (1 on a Contents page); `None` for any page.
    fn clause(self, contents: tantivy::schema::Field) -> Option<(Occur, Box<dyn Query>)> {
        // A term query: its posting list holds only the few Contents pages,
        // where a range over the fast field read every document's value.
        let on_contents = || -> Box<dyn Query> {
            let one = Term::from_field_u64(contents, 1);
            Box::new(ConstScoreQuery::new(Box::new(TermQuery::new(one, IndexRecordOption::Basic)), 0.0))
        };
        match self {
            Answering::Body => Some((Occur::MustNot, on_contents())),
            Answering::Contents => Some((Occur::Must, on_contents())),
            Answering::Any => None,
        }
    }
}

fn is_contents_filter(chapter: &str) -> bool {
    chapter.eq_ignore_ascii_case("contents")
}

/// At most this many results, a better spelling of the query is looked for.
pub const FEW_RESULTS: usize = 3;
/// A better spelling must be this many times as common (and find this many
/// times as many passages) as the word typed.
const BETTER_BY: usize = 5;
/// How many matching chunks `--by chapter` looks at.
const GROUP_DEPTH: usize = 5_000;
/// Hits fetched beyond the limit, to stand in for pages that matched only by
/// the words they borrow from the next page (dropped as the next page's).
const BORROWED_SLACK: usize = 8;

#[derive(Debug, Clone)]
pub struct SearchOptions {
    pub limit: usize,
    /// Results to skip first (the next page of results).
    pub offset: usize,
    /// Restrict to these documents, any of them (each checked against the index).
    pub docs: Vec<String>,
    /// Include superseded editions.
    pub all_versions: bool,
    /// Search the editions in force on this date (YYYY-MM-DD) instead of the current ones.
    pub as_of: Option<String>,
    /// Snippets per hit at most.
    pub snippets: usize,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions { limit: 10, offset: 0, docs: Vec::new(), all_versions: false, as_of: None, snippets: 3 }
    }
}

/// Everything needed to cite a passage (`render` formats it).
#[derive(Debug, Clone, PartialEq)]
pub struct Citation {
    pub doc: String,
    /// The full title ("(sample)" added for stand-ins).
    pub doc_title: String,
    /// The title a citation line shows.
    pub doc_short_title: String,
    pub version: Option<String>,
    pub date: Option<String>,
    pub current: bool,
    /// The corporate author ("Ofcom"), when the manifest names one.
    pub publisher: Option<String>,
    /// The official copy's address and the day it was downloaded (YYYY-MM-DD),
    /// for a document fetched by `sync`.
    pub url: Option<String>,
    pub accessed: Option<String>,
    pub chapter: String,
    /// As printed: "9. Human trafficking"; empty for front matter.
    pub chapter_heading: String,
    pub chapter_parent: Option<String>,
    pub chapter_pages: (String, String),
    pub chapter_pdf_pages: (u32, u32),
    /// Printed page label.
    pub page: String,
    /// Where the label came from: the page, /PageLabels, or the count.
    pub page_source: crate::structure::LabelSource,
    pub pdf_page: u32,
    /// The passage cited runs on to the next page: its printed label and
    /// physical page (`pp. 220–221`).
    pub page_end: Option<(String, u32)>,
    /// The note at the page's foot that the passage is (`p. 213, fn 180`).
    pub footnote: Option<String>,
    pub paragraph: Option<String>,
    /// Relative to the corpus folder.
    pub file: String,
    /// A newer edition the manifest lists that the index lacks (set by the
    /// caller, who reads the manifest): this one is superseded in fact.
    pub newer_absent: Option<crate::index::AbsentEdition>,
}

#[derive(Debug, Clone)]
pub struct Hit {
    pub score: f32,
    pub citation: Citation,
    pub snippets: Vec<Snippet>,
}

/// One matching chapter, for `--by chapter`.
#[derive(Debug, Clone)]
pub struct ChapterHit {
    pub score: f32,
    /// Matching pages (chunks) in the chapter.
    pub hits: usize,
    /// The best passage; its citation carries the chapter's page range.
    pub best: Hit,
}

#[derive(Debug, Clone)]
pub struct Results {
    /// Matching chunks in all.
    pub total: usize,
    /// Results skipped before the first of `hits` (`--offset`).
    pub offset: usize,
    pub hits: Vec<Hit>,
}

#[derive(Debug, Clone)]
pub struct ChapterResults {
    /// Matching chapters in all.
    pub total: usize,
    /// Chapters skipped before the first of `chapters` (`--offset`).
    pub offset: usize,
    pub chapters: Vec<ChapterHit>,
}

/// The index's stemmer (tantivy's `en_stem`, the analyzer of the stemmed
/// fields), for matching typed words against the vocabulary's terms.
pub struct Stemmer(TextAnalyzer);

impl Stemmer {
    pub fn new() -> Stemmer {
        let analyzer = tantivy::tokenizer::TokenizerManager::default().get(STEMMED).expect("tantivy has en_stem");
        Stemmer(analyzer)
    }

    /// The stem of one word (its first token's, or the word lower-cased).
    pub fn stem(&mut self, word: &str) -> String {
        let mut s = self.0.token_stream(word);
        if s.advance() {
            s.token().text.clone()
        } else {
            word.to_lowercase()
        }
    }
}

impl Default for Stemmer {
    fn default() -> Self {
        Stemmer::new()
    }
}

/// The vocabulary (`None`: no file) with the acronyms the index's documents
/// define, ready to expand queries.
pub fn expander(
    vocabulary: Option<&crate::vocab::Vocabulary>,
    meta: &crate::index::IndexMeta,
) -> crate::vocab::Expander {
    let acronyms: Vec<Vec<String>> = meta.acronym_pairs().into_iter().map(|(short, long)| vec![short, long]).collect();
    let mut stemmer = Stemmer::new();
    match vocabulary {
        Some(v) => v.expander(&acronyms, &mut |w| stemmer.stem(w)),
        None => crate::vocab::Vocabulary::default().expander(&acronyms, &mut |w| stemmer.stem(w)),
    }
}

/// A searcher over one open index, with its analyzers.
pub struct Engine<'a> {
    opened: &'a OpenIndex,
    searcher: Searcher,
    exact: TextAnalyzer,
    stemmer: TextAnalyzer,
}

impl<'a> Engine<'a> {
    pub fn new(opened: &'a OpenIndex) -> Result<Engine<'a>> {
        let tokenizers = opened.index.tokenizers();
        let get = |name: &str| {
            tokenizers.get(name).ok_or_else(|| Error::index(&opened.generation, format!("tokenizer {name} missing")))
        };
        Ok(Engine { opened, searcher: opened.reader.searcher(), exact: get(EXACT)?, stemmer: get(STEMMED)? })
    }

    fn f(&self) -> &Fields {
        &self.opened.fields
    }

    /// Where each of `texts` matches `node`'s terms (byte ranges), for
    /// marking them on a page.
    pub fn highlights(&mut self, node: &Node, texts: &[&str]) -> Vec<Vec<std::ops::Range<usize>>> {
        let matcher = Matcher::new(node, &mut self.stemmer);
        texts.iter().map(|t| matcher.highlights(t, &mut self.exact, &mut self.stemmer)).collect()
    }

    /// The query with each word that no passage holds (or, when the query
    /// found a little, that at most [`FEW_RESULTS`] passages hold) replaced
    /// by the indexed word nearest in spelling (one edit for short words,
    /// two for longer ones; the commonest wins a tie), or `None` when there
    /// is no such word or no near neighbour. A spelling that finds nothing
    /// is not offered, nor after a few results one that finds fewer than
    /// [`BETTER_BY`] times as many passages.
    /// Words the vocabulary expanded are never replaced. For "nothing or
    /// little found" only: it reads the whole word list.
    pub fn did_you_mean(
        &mut self,
        node: &Node,
        query: &str,
        found: usize,
        opts: &SearchOptions,
    ) -> Result<Option<String>> {
        if found > FEW_RESULTS {
            return Ok(None);
        }
        let rare = if found == 0 { 0 } else { FEW_RESULTS as u64 };
        let mut words = Vec::new();
        query::plain_words(node, &mut words);
        let field = self.f().body_exact;
        let generation = self.opened.generation.clone();
        let err = |e: tantivy::TantivyError| Error::index(&generation, e);
        let io_err = |e: std::io::Error| Error::index(&generation, e);
        let mut missing: Vec<(String, usize, i64)> = Vec::new();
        for w in words {
            let w = w.to_lowercase();
            let df = self.searcher.doc_freq(&Term::from_field_text(field, &w)).map_err(err)?;
            if df <= rare
                && !query::is_stop_word(&w)
                && w.chars().count() >= 3
                && !missing.iter().any(|(m, ..)| *m == w)
            {
                let most = if w.chars().count() <= 4 { 1 } else { 2 };
                missing.push((w, most, df as i64));
            }
        }
        if missing.is_empty() {
            return Ok(None);
        }
        // Nearest indexed word per missing word: (edits, -documents, word).
        let mut best: Vec<Option<(usize, i64, String)>> = vec![None; missing.len()];
        let mut freq: HashMap<String, i64> = HashMap::new();
        for reader in self.searcher.segment_readers() {
            let inverted = reader.inverted_index(field).map_err(err)?;
            let mut stream = inverted.terms().stream().map_err(io_err)?;
            while stream.advance() {
                let Ok(term) = std::str::from_utf8(stream.key()) else { continue };
                let len = term.chars().count();
                for (w, most, _) in &missing {
                    if len.abs_diff(w.chars().count()) <= *most && strsim::levenshtein(w, term) <= *most {
                        *freq.entry(term.to_string()).or_default() += i64::from(stream.value().doc_freq);
                    }
                }
            }
        }
        for (term, n) in freq {
            for (i, (w, most, df)) in missing.iter().enumerate() {
                let d = strsim::levenshtein(w, &term);
                // A rarer spelling is no better than the word typed.
                if d <= *most && d > 0 && n > *df * BETTER_BY as i64 {
                    let cand = (d, -n, term.clone());
                    if best[i].as_ref().is_none_or(|b| cand < *b) {
                        best[i] = Some(cand);
                    }
                }
            }
        }
        if best.iter().all(Option::is_none) {
            return Ok(None);
        }
        let fixes: Vec<(&str, &str)> = missing
            .iter()
            .zip(&best)
            .filter_map(|((w, ..), b)| b.as_ref().map(|(_, _, t)| (w.as_str(), t.as_str())))
            .collect();
        let better = query::replace_words(query, &fixes);
        // Worth saying only if it finds something, and after a few results,
        // many more passages.
        let count = SearchOptions { limit: 1, offset: 0, snippets: 0, ..opts.clone() };
        let Ok(then) = query::parse(&better) else { return Ok(None) };
        let before = if found == 0 { 0 } else { self.hits(node, &count)?.total };
        let after = self.hits(&then, &count)?.total;
        if after == 0 || (before > 0 && after < BETTER_BY * before) {
            return Ok(None);
        }
        Ok(Some(better))
    }

    /// When `req` found nothing and quotes a phrase, the search of the
    /// phrase's words instead (`SearchRequest::unquoted`, made ready by
    /// `prepare`: the vocabulary, the `harm:` scopes), if that finds
    /// something; else `None`. Not after `--offset`: the first page decided.
    pub fn unquoted_if_nothing(
        &mut self,
        req: &SearchRequest,
        prepare: &mut dyn FnMut(&mut SearchRequest) -> Result<()>,
    ) -> Result<Option<SearchRequest>> {
        if req.options.offset > 0 {
            return Ok(None);
        }
        let Some(mut instead) = req.unquoted() else { return Ok(None) };
        let count = SearchOptions { limit: 1, offset: 0, snippets: 0, ..req.options.clone() };
        if self.hits(&req.node, &count)?.total > 0 {
            return Ok(None);
        }
        prepare(&mut instead)?;
        Ok((self.hits(&instead.node, &count)?.total > 0).then_some(instead))
    }

    /// The tantivy query for a tree, with the version and `--doc` scope applied.
    fn build(&mut self, node: &Node, opts: &SearchOptions) -> Result<Box<dyn Query>> {
        // An unknown document is an error before any searching.
        for f in query::top_filters(node) {
            if let Filter::Doc(id) = f {
                self.opened.meta.check_doc(id)?;
            }
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, self.node(node)?)];
        clauses.extend(Answering::of(node).clause(self.f().contents));
        if !opts.docs.is_empty() {
            let mut any = Vec::new();
            for doc in &opts.docs {
                any.push((Occur::Should, self.filter(&Filter::Doc(doc.clone()))?));
            }
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        if let Some(date) = &opts.as_of {
            let ids = self.opened.meta.in_force(date);
            let terms: Vec<Term> = ids.iter().map(|id| Term::from_field_text(self.f().doc, id)).collect();
            clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(Box::new(TermSetQuery::new(terms)), 0.0))));
        } else if !opts.all_versions {
            let current = Term::from_field_u64(self.f().current, 1);
            clauses.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(TermQuery::new(current, IndexRecordOption::Basic)), 0.0)),
            ));
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    fn stems(&mut self, word: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut s = self.stemmer.token_stream(word);
        while let Some(t) = s.next() {
            out.push(t.text.clone());
        }
        out
    }

    /// The word's stem in the text and the titles.
    fn word(&mut self, w: &str) -> Box<dyn Query> {
        let f = self.f().clone();
        let stems = self.stems(w);
        let Some(stem) = stems.first() else { return Box::new(EmptyQuery) };
        let term = |field| Box::new(TermQuery::new(Term::from_field_text(field, stem), IndexRecordOption::WithFreqs));
        Box::new(BooleanQuery::new(vec![
            (Occur::Should, term(f.body) as Box<dyn Query>),
            (Occur::Should, Box::new(BoostQuery::new(term(f.chapter_title), CHAPTER_TITLE_BOOST))),
            (Occur::Should, Box::new(BoostQuery::new(term(f.doc_title), DOC_TITLE_BOOST))),
        ]))
    }

    fn node(&mut self, node: &Node) -> Result<Box<dyn Query>> {
        let f = self.f().clone();
        Ok(match node {
            Node::Word(w) => self.word(w),
            Node::Expanded { typed, also } => {
                let mut clauses = vec![(Occur::Should, self.node(typed)?)];
                for ws in also {
                    let q = match ws.as_slice() {
                        [one] => self.word(one),
                        _ => {
                            // The phrase in the text, or in a chapter's title:
                            // a harm's name is its chapter's title.
                            let exact: Vec<Term> = ws.iter().map(|w| Term::from_field_text(f.body_exact, w)).collect();
                            let mut title = Vec::new();
                            for w in ws {
                                title.extend(
                                    self.stems(w).into_iter().map(|s| Term::from_field_text(f.chapter_title, &s)),
                                );
                            }
                            let mut either = vec![(Occur::Should, Box::new(PhraseQuery::new(exact)) as Box<dyn Query>)];
                            if title.len() >= 2 {
                                let t = Box::new(PhraseQuery::new(title));
                                either.push((Occur::Should, Box::new(BoostQuery::new(t, CHAPTER_TITLE_BOOST))));
                            }
                            Box::new(BooleanQuery::new(either))
                        }
                    };
                    clauses.push((Occur::Should, Box::new(BoostQuery::new(q, EXPANSION_WEIGHT))));
                }
                Box::new(BooleanQuery::new(clauses))
            }
            Node::Phrase(words) if words.len() == 1 => {
                let term = Term::from_field_text(f.body_exact, &words[0]);
                Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
            }
            Node::Phrase(words) => {
                let exact: Vec<Term> = words.iter().map(|w| Term::from_field_text(f.body_exact, w)).collect();
                let mut title_terms = Vec::new();
                for w in words {
                    title_terms.extend(self.stems(w).into_iter().map(|s| Term::from_field_text(f.chapter_title, &s)));
                }
                let body = Box::new(PhraseQuery::new(exact));
                if title_terms.len() >= 2 {
                    // A phrase in the chapter title ranks its chapter first,
                    // but only passages that hold the phrase match.
                    let title = Box::new(BoostQuery::new(Box::new(PhraseQuery::new(title_terms)), CHAPTER_TITLE_BOOST));
                    Box::new(BooleanQuery::new(vec![(Occur::Must, body as Box<dyn Query>), (Occur::Should, title)]))
                } else {
                    body
                }
            }
            Node::Prefix(p) => {
                let pattern = format!("{}.*", regex_escape(p));
                Box::new(
                    RegexQuery::from_pattern(&pattern, f.body_exact)
                        .map_err(|e| Error::Usage(format!("prefix {p}*: {e}")))?,
                )
            }
            Node::Fuzzy(w, d) => {
                // Each distance up to the one asked for is a clause of its
                // own, weighted by nearness; the word itself scores as a
                // word (by how rare it is), so typed exactly it ranks first.
                let term = Term::from_field_text(f.body_exact, w);
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(
                    Occur::Should,
                    Box::new(BoostQuery::new(
                        Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs)),
                        FUZZY_WEIGHTS[0],
                    )),
                )];
                for d in 1..=*d {
                    let q = Box::new(FuzzyTermQuery::new(term.clone(), d, true));
                    clauses.push((Occur::Should, Box::new(BoostQuery::new(q, FUZZY_WEIGHTS[usize::from(d).min(2)]))));
                }
                Box::new(BooleanQuery::new(clauses))
            }
            Node::Filter(filter) => self.filter(filter)?,
            Node::And(parts) => {
                let mut clauses = Vec::new();
                let mut words = Vec::new();
                // `doc:ror doc:icjg`: either document (no passage is in both).
                let mut docs = Vec::new();
                // `harm:fraud harm:terrorism`: the chapters about either.
                let mut harms = Vec::new();
                for p in parts {
                    match p {
                        Node::Not(inner) => clauses.push((Occur::MustNot, self.node(inner)?)),
                        // A term the vocabulary expanded counts as a word.
                        Node::Word(_) | Node::Expanded { .. } => words.push(self.node(p)?),
                        Node::Filter(Filter::Doc(_)) => docs.push((Occur::Should, self.node(p)?)),
                        Node::Filter(Filter::Harm { .. }) => harms.push((Occur::Should, self.node(p)?)),
                        other => clauses.push((Occur::Must, self.node(other)?)),
                    }
                }
                // Two words must both match; of three or more plain words one
                // may be missing, so a natural-language query still finds the
                // passage that has most of them (ranked below those with all).
                if words.len() >= 3 {
                    let required = words.len() - 1 - words.len() / 6;
                    clauses.push((
                        Occur::Must,
                        Box::new(BooleanQuery::union_with_minimum_required_clauses(words, required)),
                    ));
                } else {
                    clauses.extend(words.into_iter().map(|w| (Occur::Must, w)));
                }
                for mut any in [docs, harms] {
                    match any.len() {
                        0 => {}
                        1 => clauses.push((Occur::Must, any.pop().expect("one").1)),
                        _ => clauses.push((Occur::Must, Box::new(BooleanQuery::new(any)))),
                    }
                }
                Box::new(BooleanQuery::new(clauses))
            }
            Node::Or(parts) => {
                let mut clauses = Vec::new();
                for p in parts {
                    clauses.push((Occur::Should, self.node(p)?));
                }
                Box::new(BooleanQuery::new(clauses))
            }
            Node::Not(inner) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
                (Occur::MustNot, self.node(inner)?),
            ])),
        })
    }

    fn filter(&self, filter: &Filter) -> Result<Box<dyn Query>> {
        let f = self.f();
        let term_query = |t: Term| Box::new(TermQuery::new(t, IndexRecordOption::Basic)) as Box<dyn Query>;
        let q: Box<dyn Query> = match filter {
            // By id or by file name: the index knows documents by id.
            Filter::Doc(id) => term_query(Term::from_field_text(f.doc, &self.opened.meta.check_doc(id)?.id)),
            // Contents pages are picked by `Answering`'s clause.
            Filter::Chapter(c) if is_contents_filter(c) => Box::new(AllQuery),
            Filter::Chapter(c) => term_query(Term::from_field_text(f.chapter, &upper_first(c))),
            Filter::Para(p) => term_query(Term::from_field_text(f.para, &upper_first(p))),
            Filter::Pages(a, b) => Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_u64(f.page, *a)),
                Bound::Included(Term::from_field_u64(f.page, *b)),
            )),
            // Each chapter: its document, its number or a section's, and
            // its pages (so an unnumbered chapter is not every unnumbered one).
            Filter::Harm { asked, within } => {
                let Some(spans) = within else {
                    return Err(Error::Usage(format!("harm:{asked}: the kinds of harm were not read")));
                };
                let any: Vec<(Occur, Box<dyn Query>)> = spans
                    .iter()
                    .map(|s| {
                        let numbers = s.numbers.iter().map(|n| Term::from_field_text(f.chapter, n));
                        let q: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
                            (Occur::Must, term_query(Term::from_field_text(f.doc, &s.doc))),
                            (Occur::Must, Box::new(TermSetQuery::new(numbers))),
                            (
                                Occur::Must,
                                Box::new(RangeQuery::new(
                                    Bound::Included(Term::from_field_u64(f.pdf_page, u64::from(s.pdf_start))),
                                    Bound::Included(Term::from_field_u64(f.pdf_page, u64::from(s.pdf_end))),
                                )),
                            ),
                        ]));
                        (Occur::Should, q)
                    })
                    .collect();
                if any.is_empty() {
                    Box::new(EmptyQuery)
                } else {
                    Box::new(BooleanQuery::new(any))
                }
            }
        };
        Ok(Box::new(ConstScoreQuery::new(q, 0.0)))
    }

    /// Ranked passages.
    pub fn hits(&mut self, node: &Node, opts: &SearchOptions) -> Result<Results> {
        let q = self.build(node, opts)?;
        let (top, total) = self
            .searcher
            .search(
                &*q,
                &(TopDocs::with_limit(opts.offset + opts.limit.max(1) + BORROWED_SLACK).order_by_score(), Count),
            )
            .map_err(|e| Error::index(&self.opened.generation, e))?;
        let matcher = Matcher::new(node, &mut self.stemmer);
        let mut hits = Vec::with_capacity(top.len());
        let para = asked_para(node);
        // The skipped results are read too: a page left to its neighbour
        // must not shift what `--offset` skips.
        let limit = opts.offset + opts.limit.max(1);
        let seen_all = top.len() < limit + BORROWED_SLACK;
        let mut left_to_next_page = 0;
        for (score, addr) in top {
            if hits.len() == limit {
                break;
            }
            // A page that matched only by the words it borrows from the next
            // one is left to the next page's own hit.
            match self.hit(score, addr, &matcher, opts.snippets, para.as_deref())? {
                Some(hit) => hits.push(hit),
                None => left_to_next_page += 1,
            }
        }
        // Counted once, on their own page, when every match was read.
        let total = if seen_all && hits.len() < limit { total - left_to_next_page } else { total };
        let hits = hits.split_off(opts.offset.min(hits.len()));
        Ok(Results { total, offset: opts.offset, hits })
    }

    /// Each matching chapter once, best first.
    pub fn chapters(&mut self, node: &Node, opts: &SearchOptions) -> Result<ChapterResults> {
        let q = self.build(node, opts)?;
        let top = self
            .searcher
            .search(&*q, &TopDocs::with_limit(GROUP_DEPTH).order_by_score())
            .map_err(|e| Error::index(&self.opened.generation, e))?;
        struct Group {
            best: f32,
            addr: DocAddress,
            hits: usize,
        }
        let mut groups: HashMap<u64, Group> = HashMap::new();
        let mut columns = HashMap::new();
        for (score, addr) in top {
            let (column, contents) = match columns.get(&addr.segment_ord) {
                Some(c) => c,
                None => {
                    let fast = self.searcher.segment_reader(addr.segment_ord).fast_fields();
                    let err = |e| Error::index(&self.opened.generation, e);
                    let c = (fast.u64("chapter_id").map_err(err)?, fast.u64("contents").map_err(err)?);
                    columns.entry(addr.segment_ord).or_insert(c)
                }
            };
            let Some(id) = column.first(addr.doc_id) else { continue };
            let score = if contents.first(addr.doc_id) == Some(1) { score * CONTENTS_PAGE_WEIGHT } else { score };
            let g = groups.entry(id).or_insert(Group { best: score, addr, hits: 0 });
            g.hits += 1;
            if score > g.best {
                g.best = score;
                g.addr = addr;
            }
        }
        // A chapter's rank: its best passage, nudged up by how many of its pages match.
        let mut ranked: Vec<(f32, &Group)> =
            groups.values().map(|g| (g.best * (1.0 + 0.1 * (g.hits as f32).ln()), g)).collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.addr.cmp(&b.1.addr)));
        let total = ranked.len();
        let matcher = Matcher::new(node, &mut self.stemmer);
        let para = asked_para(node);
        let mut chapters = Vec::new();
        for (score, g) in ranked.into_iter().skip(opts.offset).take(opts.limit.max(1)) {
            let best = match self.hit(g.best, g.addr, &matcher, 1, para.as_deref())? {
                Some(best) => best,
                // Its best page matched by the next page's words: the chapter
                // matches all the same (the words are in it), shown from its opening.
                None => self.hit(g.best, g.addr, &Matcher::default(), 1, None)?.expect("no terms, a passage"),
            };
            chapters.push(ChapterHit { score, hits: g.hits, best });
        }
        Ok(ChapterResults { total, offset: opts.offset, chapters })
    }

    /// One hit, cited by the paragraph its first snippet sits in, or by the
    /// paragraph the query asked for (`para:9.14`) when the page holds it;
    /// each snippet carries its own paragraph. `None` when every match is in
    /// the words the page borrows from the next one.
    fn hit(
        &mut self,
        score: f32,
        addr: DocAddress,
        matcher: &Matcher,
        max_snippets: usize,
        para: Option<&str>,
    ) -> Result<Option<Hit>> {
        let doc: TantivyDocument = self.searcher.doc(addr).map_err(|e| Error::index(&self.opened.generation, e))?;
        let f = self.opened.fields.clone();
        let f = &f;
        let text = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("").to_string();
        let num = |field| doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0) as u32;
        let body = text(f.body);
        let offsets: Vec<(usize, String)> = serde_json::from_str(&text(f.para_offsets)).unwrap_or_default();
        let breaks: Vec<usize> = serde_json::from_str(&text(f.breaks)).unwrap_or_default();
        let tail_start = doc.get_first(f.tail_start).and_then(|v| v.as_u64()).map_or(body.len(), |v| v as usize);
        let continues = Some(text(f.continues)).filter(|s| !s.is_empty());
        let version = Some(text(f.version)).filter(|s| !s.is_empty());
        let date = Some(text(f.date)).filter(|s| !s.is_empty());
        let doc_id = text(f.doc);
        let record = self.opened.meta.doc(&doc_id);
        let current = record.is_none_or(|d| d.is_current());
        let publisher = record.and_then(|d| d.publisher.clone());
        let (url, accessed) = record.map(|d| (d.url.clone(), d.accessed.clone())).unwrap_or_default();
        let pdf_page = num(f.pdf_page);
        let mut citation = Citation {
            doc: doc_id,
            doc_title: text(f.doc_title),
            doc_short_title: text(f.doc_short_title),
            version,
            date,
            current,
            publisher,
            url,
            accessed,
            chapter: text(f.chapter),
            chapter_heading: text(f.chapter_heading),
            chapter_parent: Some(text(f.chapter_parent)).filter(|s| !s.is_empty()),
            chapter_pages: (text(f.chapter_start), text(f.chapter_end)),
            chapter_pdf_pages: (num(f.chapter_start_pdf), num(f.chapter_end_pdf)),
            page: text(f.page_label),
            page_source: label_source_from_name(&text(f.page_source))
                .unwrap_or(crate::structure::LabelSource::Physical),
            pdf_page,
            page_end: None,
            footnote: None,
            paragraph: None,
            file: text(f.file),
            newer_absent: None,
        };
        let holds = |p: &str| offsets.iter().any(|(_, n)| n == p) || continues.as_deref() == Some(p);
        let asked = para.filter(|p| holds(p));
        let anchor = asked.and_then(|p| offsets.iter().find(|(_, n)| n == p)).map_or(0, |(o, _)| *o);
        let layout = Layout { breaks: &breaks, tail_start, anchor };
        let tail_page = text(f.tail_page);
        let mut snippets = matcher.snippets(&body, &layout, max_snippets, &mut self.exact, &mut self.stemmer);
        for s in &mut snippets {
            s.paragraph =
                crate::chunk::paragraph_at(&offsets, continues.as_deref(), s.chunk_offset).map(str::to_string);
        }
        // The page's text did not match: the notes at its foot did. They are
        // shown (and cited) only then; snippets of text never hold a note.
        let text_matched = snippets.first().is_some_and(|s| !s.highlights.is_empty());
        if !text_matched && max_snippets > 0 && !matcher.is_empty() {
            let notes: Vec<(String, Option<String>, String)> =
                serde_json::from_str(&text(f.notes_json)).unwrap_or_default();
            let mut from_notes = Vec::new();
            for (number, paragraph, note) in notes {
                let found = matcher.snippets(&note, &Layout::whole(&note), 1, &mut self.exact, &mut self.stemmer);
                if let Some(mut s) = found.into_iter().find(|s| !s.highlights.is_empty()) {
                    s.footnote = Some(number);
                    s.paragraph = paragraph;
                    from_notes.push(s);
                }
                if from_notes.len() == max_snippets {
                    break;
                }
            }
            if !from_notes.is_empty() {
                snippets = from_notes;
            }
        }
        if snippets.is_empty() && max_snippets > 0 {
            return Ok(None);
        }
        let first = snippets.first();
        citation.paragraph = match asked {
            Some(p) => Some(p.to_string()),
            None => first.and_then(|s| s.paragraph.clone()),
        };
        if first.is_some_and(|s| s.next_page) {
            citation.page_end = Some((tail_page, pdf_page + 1));
        }
        citation.footnote = first.and_then(|s| s.footnote.clone());
        Ok(Some(Hit { score, citation, snippets }))
    }

    /// One physical page: its text in each chapter, in reading order, and
    /// the notes at its foot.
    pub fn page(&self, doc: &str, pdf_page: u32) -> Result<PageText> {
        let f = self.f();
        let q = BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(TermQuery::new(Term::from_field_text(f.doc, doc), IndexRecordOption::Basic)) as Box<dyn Query>,
            ),
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_u64(f.pdf_page, u64::from(pdf_page)),
                    IndexRecordOption::Basic,
                )),
            ),
        ]);
        let top = self
            .searcher
            .search(&q, &TopDocs::with_limit(1_000).order_by_score())
            .map_err(|e| Error::index(&self.opened.generation, e))?;
        let mut parts = Vec::new();
        let mut notes = Vec::new();
        for (_, addr) in top {
            let d: TantivyDocument = self.searcher.doc(addr).map_err(|e| Error::index(&self.opened.generation, e))?;
            let s = |field| d.get_first(field).and_then(|v| v.as_str()).unwrap_or("").to_string();
            let ord = d.get_first(f.chapter_ordinal).and_then(|v| v.as_u64()).unwrap_or(0);
            let mut body = s(f.body);
            let tail = d.get_first(f.tail_start).and_then(|v| v.as_u64()).map_or(body.len(), |v| v as usize);
            if body.is_char_boundary(tail) {
                body.truncate(tail);
            }
            let chunk_notes: Vec<(String, Option<String>, String)> =
                serde_json::from_str(&s(f.notes_json)).unwrap_or_default();
            for (n, _, text) in chunk_notes {
                notes.push((n.parse::<u64>().unwrap_or(u64::MAX), n, text));
            }
            parts.push((ord, s(f.chapter_heading), body));
        }
        parts.sort_by_key(|(o, _, _)| *o);
        notes.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        Ok(PageText {
            parts: parts.into_iter().map(|(_, h, b)| (h, b)).collect(),
            notes: notes.into_iter().map(|(_, n, t)| (n, t)).collect(),
        })
    }
}

impl Citation {
    /// The citation of a whole chapter (what `toc --cite` prints): its
    /// heading and page range, no paragraph.
    pub fn of_chapter(d: &crate::index::DocRecord, c: &crate::index::TocEntry) -> Citation {
        let mut cit = Citation::of_page(d, &c.printed_start, c.pdf_start);
        cit.chapter = c.number.clone();
        cit.chapter_heading = c.heading.clone();
        cit.chapter_parent = c.parent.clone();
        cit.chapter_pages = (c.printed_start.clone(), c.printed_end.clone());
        cit.chapter_pdf_pages = (c.pdf_start, c.pdf_end);
        if c.pdf_end != c.pdf_start {
            cit.page_end = Some((c.printed_end.clone(), c.pdf_end));
        }
        cit
    }

    /// The citation of a definition (`define`, and a search whose query is
    /// a defined term): its page, chapter and paragraph.
    pub fn of_definition(d: &crate::index::DocRecord, def: &crate::index::Definition) -> Citation {
        let mut cit = Citation::of_page(d, &def.printed, def.page);
        cit.page_source = def.page_source;
        cit.chapter = def.chapter.clone();
        cit.chapter_heading = def.chapter_heading.clone();
        cit.chapter_pages = def.chapter_pages.clone();
        cit.chapter_pdf_pages = def.chapter_pdf_pages;
        cit.paragraph = def.para.clone();
        cit
    }

    /// The citation of the place a document first writes out an acronym:
    /// its page, the chapter there (pages loaded) and the paragraph.
    pub fn of_acronym(d: &crate::index::DocRecord, a: &crate::index::AcronymRecord) -> Citation {
        let printed = d.page_labels.get(a.page as usize - 1).cloned().unwrap_or_else(|| a.page.to_string());
        let mut cit = Citation::of_page(d, &printed, a.page);
        if let Some(c) = d.toc.iter().rfind(|c| c.pdf_start <= a.page && a.page <= c.pdf_end) {
            cit.chapter = c.number.clone();
            cit.chapter_heading = c.heading.clone();
            cit.chapter_parent = c.parent.clone();
            cit.chapter_pages = (c.printed_start.clone(), c.printed_end.clone());
            cit.chapter_pdf_pages = (c.pdf_start, c.pdf_end);
        }
        cit.paragraph = a.para.clone();
        cit
    }

    /// The citation of a whole page of a document (what `show` prints).
    pub fn of_page(d: &crate::index::DocRecord, printed: &str, pdf_page: u32) -> Citation {
        Citation {
            doc: d.id.clone(),
            doc_title: d.display_title.clone(),
            doc_short_title: d.short_title.clone(),
            version: d.version.clone(),
            date: d.date.clone(),
            current: d.is_current(),
            publisher: d.publisher.clone(),
            url: d.url.clone(),
            accessed: d.accessed.clone(),
            chapter: String::new(),
            chapter_heading: String::new(),
            chapter_parent: None,
            chapter_pages: (String::new(), String::new()),
            chapter_pdf_pages: (0, 0),
            page: printed.to_string(),
            page_source: crate::structure::LabelSource::Printed,
            pdf_page,
            page_end: None,
            footnote: None,
            paragraph: None,
            file: d.file.clone(),
            newer_absent: None,
        }
    }
}

/// A page as `show` prints it.
#[derive(Debug, Clone, Default)]
pub struct PageText {
    /// (chapter heading, the page's text in that chapter), in reading order.
    pub parts: Vec<(String, String)>,
    /// (number, text) of each note at the page's foot.
    pub notes: Vec<(String, String)>,
}

/// The paragraph a query asks for with `para:`, as the index spells it.
fn asked_para(node: &Node) -> Option<String> {
    query::top_filters(node).into_iter().find_map(|f| match f {
        Filter::Para(p) => Some(upper_first(p)),
        _ => None,
    })
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn regex_escape(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            let special = "\\.+*?()|[]{}^$#&-~\"<>@".contains(c);
            special.then_some('\\').into_iter().chain(std::iter::once(c))
        })
        .collect()
}
