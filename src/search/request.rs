//! One search request, checked once: the command line and the HTTP API both
//! build a [`SearchRequest`] from what the user gave, so both have the same
//! limits and the same messages.

use crate::error::{Error, Result};
use crate::query::Node;

use super::SearchOptions;

/// Longest query text accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 500;
/// Most results one search returns.
pub const MAX_LIMIT: usize = 1000;
/// Most results skipped by an offset (each skipped result is still read).
pub const MAX_OFFSET: usize = 10_000;
/// Most fuzzy and prefix terms (`word~`, `word*`) in one query: each is
/// expanded to every indexed word it matches, so each costs far more than a
/// word (66 `x~2` terms took seconds).
pub const MAX_EXPANDING_TERMS: usize = 8;
/// Results when no limit is given.
pub const DEFAULT_LIMIT: usize = 10;
/// Snippets shown per passage at most.
const SNIPPETS: usize = 3;

/// Passages, or each matching chapter once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum By {
    #[default]
    Passage,
    Chapter,
}

/// A search as the user asked for it, not yet checked.
#[derive(Debug, Clone, Default)]
pub struct SearchInput {
    pub query: String,
    pub by: By,
    /// `None`: [`DEFAULT_LIMIT`].
    pub limit: Option<usize>,
    /// Results to skip first; `None`: 0.
    pub offset: Option<usize>,
    /// Document ids or file names: any of them (none: every document).
    pub docs: Vec<String>,
    pub all_versions: bool,
    /// YYYY-MM-DD.
    pub as_of: Option<String>,
    /// Search the words as typed: no vocabulary expansion (`--exact`).
    pub exact: bool,
}

/// A checked search: the query parsed, every option in range.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// The query text as searched (trimmed).
    pub query: String,
    pub node: Node,
    pub by: By,
    pub options: SearchOptions,
    /// No vocabulary expansion.
    pub exact: bool,
    /// The terms searched besides the words typed (set by [`SearchRequest::expand`]).
    pub also_searched: Vec<String>,
    /// The query as typed, when its quoted phrases found nothing and this
    /// request searches their words instead ([`SearchRequest::unquoted`]).
    pub instead_of: Option<String>,
}

/// `Ok` for a calendar date written YYYY-MM-DD, else the message.
pub fn check_date(s: &str) -> std::result::Result<(), String> {
    if crate::corpus::is_calendar_date(s) {
        Ok(())
    } else {
        Err(format!("\"{s}\" is not a date; write YYYY-MM-DD, e.g. 2025-03-01"))
    }
}

impl SearchRequest {
    /// Whether the query expands words (fuzzy or prefix terms): such a
    /// search costs much more than one of words and phrases.
    pub fn is_costly(&self) -> bool {
        crate::query::expanding_terms(&self.node) > 0
    }

    /// Search also for the vocabulary's terms for the words typed (unless
    /// the request is exact): `node` gains them, `also_searched` lists them.
    pub fn expand(&mut self, expander: &crate::vocab::Expander) {
        if self.exact || expander.is_empty() {
            return;
        }
        let mut stemmer = super::Stemmer::new();
        let e = expander.expand(&self.node, &mut |w| stemmer.stem(w));
        self.node = e.node;
        self.also_searched = e.also;
    }

    /// Whether the query has a `harm:` filter (which needs the documents' contents).
    pub fn names_harm(&self) -> bool {
        crate::query::names_harm(&self.node)
    }

    /// Fill in each `harm:` filter's chapters: the kinds of harm `vocabulary`
    /// lists under that name, matched to the contents of every edition in
    /// `meta` (its pages loaded) as `riskreg harms` matches them. A name no
    /// harm answers to is an error that lists the harms.
    pub fn scope_harms(&mut self, vocabulary: &crate::vocab::Expander, meta: &crate::index::IndexMeta) -> Result<()> {
        if !crate::query::names_harm(&self.node) {
            return Ok(());
        }
        let harms = vocabulary.harms();
        if harms.is_empty() {
            return Err(Error::Usage(format!(
                "harm: needs a list of the kinds of harm, the [[harm]] entries of {} in the corpus folder; there are none",
                crate::vocab::FILE_NAME
            )));
        }
        let docs: Vec<(&str, &[crate::index::TocEntry])> =
            meta.docs.iter().map(|d| (d.id.as_str(), d.toc.as_slice())).collect();
        let mut stemmer = super::Stemmer::new();
        let mut stem = |w: &str| stemmer.stem(w);
        crate::query::each_harm(&mut self.node, &mut |asked, within| {
            let wanted = crate::harms::find(harms, asked, &mut stem);
            if wanted.is_empty() {
                // A query's mistake (400 from the API), in the words `riskreg harms` uses.
                let known = harms.iter().map(|h| h.name.clone()).collect();
                return Err(Error::Usage(Error::UnknownHarm { asked: asked.to_string(), known }.to_string()));
            }
            *within = Some(crate::harms::scope(harms, &wanted, &docs, &mut stem));
            Ok(())
        })
    }

    /// The same search with the quotes off its phrases (not an excluded
    /// phrase's, nor a filter value's), to try when a phrase as written is
    /// nowhere; `None` when the query quotes no such phrase. Expansion and
    /// `harm:` scopes are for the caller to apply again.
    pub fn unquoted(&self) -> Option<SearchRequest> {
        let query = crate::query::unquote_phrases(&self.query)?;
        let node = crate::query::parse(&query).ok()?;
        Some(SearchRequest {
            query,
            node,
            by: self.by,
            options: self.options.clone(),
            exact: self.exact,
            also_searched: Vec::new(),
            instead_of: Some(self.query.clone()),
        })
    }

    pub fn new(input: SearchInput) -> Result<SearchRequest> {
        let query = input.query.trim().to_string();
        let chars = query.chars().count();
        if chars > MAX_QUERY_CHARS {
            return Err(Error::Usage(format!(
                "the query is {chars} characters long; at most {MAX_QUERY_CHARS} are accepted"
            )));
        }
        let limit = match input.limit {
            None => DEFAULT_LIMIT,
            Some(n) if (1..=MAX_LIMIT).contains(&n) => n,
            Some(n) => return Err(Error::Usage(format!("limit {n}: say a number from 1 to {MAX_LIMIT}"))),
        };
        if let Some(d) = &input.as_of {
            check_date(d).map_err(Error::Usage)?;
            if input.all_versions {
                return Err(Error::Usage("a date (as of) and all versions cannot be asked for together".into()));
            }
        }
        let docs: Vec<String> = input.docs.iter().map(|d| d.trim().to_string()).filter(|d| !d.is_empty()).collect();
        let offset = input.offset.unwrap_or(0);
        if offset > MAX_OFFSET {
            return Err(Error::Usage(format!("offset {offset}: say a number from 0 to {MAX_OFFSET}")));
        }
        let node = crate::query::parse(&query)?;
        let expanding = crate::query::expanding_terms(&node);
        if expanding > MAX_EXPANDING_TERMS {
            return Err(Error::Usage(format!(
                "the query has {expanding} fuzzy or prefix terms (word~, word*); at most {MAX_EXPANDING_TERMS} \
                 are accepted: use fewer, or plain words (they match other forms of the word already)"
            )));
        }
        Ok(SearchRequest {
            query,
            node,
            by: input.by,
            exact: input.exact,
            also_searched: Vec::new(),
            instead_of: None,
            options: SearchOptions {
                limit,
                offset,
                docs,
                all_versions: input.all_versions,
                as_of: input.as_of,
                snippets: SNIPPETS,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(input: SearchInput) -> String {
        SearchRequest::new(input).expect_err("rejected").to_string()
    }

    #[test]
    fn limits_and_messages() {
        let q = |s: &str| SearchInput { query: s.into(), ..Default::default() };
        assert_eq!(err(q(&"a".repeat(501))), "the query is 501 characters long; at most 500 are accepted");
        assert!(SearchRequest::new(q(&"a".repeat(500))).is_ok());
        assert_eq!(err(SearchInput { limit: Some(0), ..q("x") }), "limit 0: say a number from 1 to 1000");
        assert_eq!(err(SearchInput { limit: Some(1001), ..q("x") }), "limit 1001: say a number from 1 to 1000");
        assert_eq!(
            err(SearchInput { as_of: Some("2025-02-30".into()), ..q("x") }),
            "\"2025-02-30\" is not a date; write YYYY-MM-DD, e.g. 2025-03-01"
        );
        assert_eq!(
            err(SearchInput { as_of: Some("2025-02-28".into()), all_versions: true, ..q("x") }),
            "a date (as of) and all versions cannot be asked for together"
        );
        assert_eq!(err(q("  ")), "invalid query: the query is empty; type some words (at column 1)\n  \n  ^");
        let r =
            SearchRequest::new(SearchInput { docs: vec![" ror ".into(), " ".into()], ..q(" trafficking ") }).unwrap();
        assert_eq!(
            (r.query.as_str(), r.options.limit, r.options.docs.clone()),
            ("trafficking", 10, vec!["ror".into()])
        );
        // Fuzzy and prefix terms are bounded in number (and fuzzy words in length, by the parser).
        let eight = "risks~2 OR harms~1 OR groom* OR recruit* OR abuse~ OR fraud* OR threat~2 OR scams~1";
        let r = SearchRequest::new(q(eight)).unwrap();
        assert!(r.is_costly());
        assert!(!SearchRequest::new(q("human \"debt bondage\" doc:ror")).unwrap().is_costly());
        assert_eq!(
            err(q(&format!("{eight} OR victim*"))),
            "the query has 9 fuzzy or prefix terms (word~, word*); at most 8 are accepted: use fewer, or plain \
             words (they match other forms of the word already)"
        );
        let far = SearchRequest::new(SearchInput { offset: Some(MAX_OFFSET + 1), ..q("x") }).unwrap_err();
        assert_eq!(far.to_string(), format!("offset {}: say a number from 0 to {MAX_OFFSET}", MAX_OFFSET + 1));
    }
}
