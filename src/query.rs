//! The query language, parsed into a tree. Pure; knows nothing of tantivy.
//!
//! ```text
//! human trafficking          both words (stemmed: "trafficked" matches)
//! "debt bondage"             the exact phrase, unstemmed
//! grooming OR coercion       either;  AND is the default between terms
//! NOT livestreaming, -word   exclude
//! recruit*                   prefix;  recruitmnet~1  fuzzy (edit distance 1 or 2)
//! ( … )                      grouping
//! doc:ror  chapter:9  page:200..230  page:209  para:9.12   filters
//! harm:"human trafficking"   the chapters about a kind of harm (the vocabulary's)
//! ```
//! Anything else is text: `s.10(2)` or `Note:` are searched as written.

use crate::text::words;
use std::fmt;

/// A parsed query.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A word, searched stemmed in the body and titles.
    Word(String),
    /// Words that must appear together, in order, unstemmed.
    Phrase(Vec<String>),
    Prefix(String),
    Fuzzy(String, u8),
    Filter(Filter),
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    /// Words as typed (a word, or consecutive words), searched also for the
    /// terms the vocabulary gives them, each a phrase, weighted below the
    /// words typed. Made by `vocab::Expander::expand`, never by the parser.
    Expanded {
        typed: Box<Node>,
        also: Vec<Vec<String>>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    Doc(String),
    Chapter(String),
    /// Printed pages, inclusive.
    Pages(u64, u64),
    Para(String),
    /// The chapters about a kind of harm, as the user named it. `within` is
    /// filled in from the vocabulary and the documents' contents
    /// (`harms::scope`) before searching; the parser leaves it `None`.
    Harm {
        asked: String,
        within: Option<Vec<ChapterSpan>>,
    },
}

/// What a `harm:` filter keeps, once filled in.
pub type HarmScope = Option<Vec<ChapterSpan>>;

/// One chapter a filter keeps: its document, its number and its sections'
/// numbers, and the PDF pages it spans.
#[derive(Debug, Clone, PartialEq)]
pub struct ChapterSpan {
    pub doc: String,
    pub numbers: Vec<String>,
    pub pdf_start: u32,
    pub pdf_end: u32,
}

/// A query the parser rejects: what is wrong and where (a character column, from 0).
#[derive(Debug, Clone, PartialEq)]
pub struct QueryError {
    pub query: String,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid query: {} (at column {})\n  {}\n  {}^",
            self.message,
            self.column + 1,
            self.query,
            " ".repeat(self.column)
        )
    }
}

impl std::error::Error for QueryError {}

const FILTERS: &[&str] = &["doc", "chapter", "page", "para", "harm"];

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Quoted(String),
    Open,
    Close,
    And,
    Or,
    Not,
    Minus,
}

/// Split into tokens with their columns. Parentheses open a group only at
/// the start of a word, and close one only when a group is open, so
/// `s.10(2)` stays one word.
fn lex(q: &str) -> Result<Vec<(Tok, usize)>, QueryError> {
    let chars: Vec<char> = q.chars().collect();
    let err = |column: usize, message: &str| QueryError { query: q.to_string(), column, message: message.to_string() };
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '"' || c == '“' || c == '”' {
            let start = i;
            i += 1;
            let mut s = String::new();
            while i < chars.len() && !matches!(chars[i], '"' | '”' | '“') {
                s.push(chars[i]);
                i += 1;
            }
            if i == chars.len() {
                return Err(err(start, "this quote is never closed; add a closing \""));
            }
            i += 1;
            out.push((Tok::Quoted(s), start));
        } else if c == '(' {
            depth += 1;
            // Each level is a recursion of the parser: a bound keeps a
            // hostile query from exhausting the stack.
            if depth > MAX_DEPTH {
                return Err(err(i, &format!("brackets nest more than {MAX_DEPTH} deep; simplify the query")));
            }
            out.push((Tok::Open, i));
            i += 1;
        } else if c == ')' {
            if depth == 0 {
                return Err(err(i, "this ')' closes no '('"));
            }
            depth -= 1;
            out.push((Tok::Close, i));
            i += 1;
        } else if c == '-' && chars.get(i + 1).is_some_and(|n| !n.is_whitespace()) {
            out.push((Tok::Minus, i));
            i += 1;
        } else {
            let start = i;
            let mut s = String::new();
            let mut inner = 0usize;
            while i < chars.len() {
                let ch = chars[i];
                if ch.is_whitespace() || ch == '"' {
                    break;
                }
                if ch == '(' {
                    inner += 1;
                } else if ch == ')' {
                    if inner == 0 {
                        break;
                    }
                    inner -= 1;
                }
                s.push(ch);
                i += 1;
                // `doc:"x y"` — a quoted filter value.
                if s.ends_with(':')
                    && chars.get(i) == Some(&'"')
                    && FILTERS.contains(&s[..s.len() - 1].to_lowercase().as_str())
                {
                    let vstart = i;
                    i += 1;
                    while i < chars.len() && chars[i] != '"' {
                        s.push(chars[i]);
                        i += 1;
                    }
                    if i == chars.len() {
                        return Err(err(vstart, "this quote is never closed; add a closing \""));
                    }
                    i += 1;
                    break;
                }
            }
            let tok = match s.as_str() {
                "AND" | "&&" => Tok::And,
                "OR" | "||" => Tok::Or,
                "NOT" => Tok::Not,
                _ => Tok::Word(s),
            };
            out.push((tok, start));
        }
    }
    if depth > 0 {
        let col = out.iter().rev().find(|(t, _)| *t == Tok::Open).map(|(_, c)| *c).unwrap_or(0);
        return Err(err(col, "this '(' is never closed; add a ')'"));
    }
    Ok(out)
}

struct Parser<'a> {
    q: &'a str,
    toks: Vec<(Tok, usize)>,
    pos: usize,
}

impl Parser<'_> {
    fn err(&self, column: usize, message: impl Into<String>) -> QueryError {
        QueryError { query: self.q.to_string(), column, message: message.into() }
    }

    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(t, _)| t)
    }

    fn column(&self) -> usize {
        self.toks.get(self.pos).map(|(_, c)| *c).unwrap_or(self.q.chars().count())
    }

    fn or(&mut self) -> Result<Node, QueryError> {
        let mut parts = vec![self.and()?];
        while self.peek() == Some(&Tok::Or) {
            let col = self.column();
            self.pos += 1;
            if matches!(self.peek(), None | Some(Tok::Close | Tok::Or | Tok::And)) {
                return Err(self.err(col, "OR needs a term on both sides"));
            }
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 { parts.pop().expect("one part") } else { Node::Or(parts) })
    }

    fn and(&mut self) -> Result<Node, QueryError> {
        let mut parts = Vec::new();
        loop {
            match self.peek() {
                None | Some(Tok::Close | Tok::Or) => break,
                Some(Tok::And) => {
                    let col = self.column();
                    if parts.is_empty() {
                        return Err(self.err(col, "AND needs a term on both sides"));
                    }
                    self.pos += 1;
                    if matches!(self.peek(), None | Some(Tok::Close | Tok::Or | Tok::And)) {
                        return Err(self.err(col, "AND needs a term on both sides"));
                    }
                }
                _ => parts.push(self.unary()?),
            }
        }
        if parts.is_empty() {
            let col = self.column();
            return Err(self.err(
                col,
                if self.peek() == Some(&Tok::Or) { "OR needs a term on both sides" } else { "expected a word here" },
            ));
        }
        Ok(if parts.len() == 1 { parts.pop().expect("one part") } else { Node::And(parts) })
    }

    fn unary(&mut self) -> Result<Node, QueryError> {
        match self.peek() {
            Some(Tok::Not | Tok::Minus) => {
                let col = self.column();
                self.pos += 1;
                if matches!(self.peek(), None | Some(Tok::Close | Tok::Or | Tok::And)) {
                    return Err(self.err(col, "NOT (or -) needs a term after it"));
                }
                Ok(Node::Not(Box::new(self.unary()?)))
            }
            _ => self.primary(),
        }
    }

    fn primary(&mut self) -> Result<Node, QueryError> {
        let (tok, col) = self.toks[self.pos].clone();
        self.pos += 1;
        match tok {
            Tok::Open => {
                if self.peek() == Some(&Tok::Close) {
                    return Err(self.err(col, "these parentheses hold nothing"));
                }
                let inner = self.or()?;
                if self.peek() != Some(&Tok::Close) {
                    return Err(self.err(col, "this '(' is never closed; add a ')'"));
                }
                self.pos += 1;
                Ok(inner)
            }
            Tok::Quoted(s) => {
                let words = words(&s);
                match words.len() {
                    0 => Err(self.err(col, "this phrase holds no words")),
                    1 => Ok(Node::Phrase(words)),
                    _ => Ok(Node::Phrase(words)),
                }
            }
            Tok::Word(w) => self.word(w, col),
            other => Err(self.err(col, format!("unexpected {other:?}"))),
        }
    }

    fn word(&self, w: String, col: usize) -> Result<Node, QueryError> {
        if let Some((key, value)) = w.split_once(':') {
            let lower = key.to_lowercase();
            if FILTERS.contains(&lower.as_str()) {
                let vcol = col + key.chars().count() + 1;
                if value.is_empty() {
                    return Err(self.err(vcol, format!("{lower}: needs a value, e.g. {}", filter_example(&lower))));
                }
                return self.filter(&lower, value, vcol);
            }
        }
        if let Some(stem) = w.strip_suffix('*') {
            let stem_words = words(stem);
            if stem_words.len() != 1 || stem.chars().count() < 2 {
                return Err(self.err(col, "a prefix search needs at least two letters before the '*'"));
            }
            return Ok(Node::Prefix(stem_words[0].clone()));
        }
        if let Some((base, dist)) = w.rsplit_once('~') {
            let dist = if dist.is_empty() {
                1
            } else {
                match dist.parse::<u8>() {
                    Ok(d @ 1..=2) => d,
                    _ => {
                        return Err(
                            self.err(col + base.chars().count(), "fuzzy distance must be 1 or 2 (word~1, word~2)")
                        )
                    }
                }
            };
            let base_words = words(base);
            if base_words.len() != 1 {
                return Err(self.err(col, "a fuzzy search takes one word, e.g. trafficking~1"));
            }
            // A short word within 2 edits is most of the dictionary: `ab~2`
            // is every word of four letters or fewer, and costs as much.
            let least = fuzzy_min_chars(dist);
            let len = base_words[0].chars().count();
            if len < least {
                let message = if dist >= 2 {
                    format!(
                        "a fuzzy word needs at least {least} letters for ~2 ({} for ~1); type more of the word, \
                         use ~1, or leave off the ~",
                        fuzzy_min_chars(1)
                    )
                } else {
                    format!("a fuzzy word needs at least {least} letters; type more of the word, or leave off the ~")
                };
                return Err(self.err(col, message));
            }
            return Ok(Node::Fuzzy(base_words[0].clone(), dist));
        }
        let ws = words(&w);
        Ok(match ws.len() {
            0 => Node::And(vec![]),
            1 => Node::Word(ws.into_iter().next().expect("one word")),
            // "s.10(2)" or "self-harm": its parts, in order.
            _ => Node::Phrase(ws),
        })
    }

    fn filter(&self, key: &str, value: &str, col: usize) -> Result<Node, QueryError> {
        Ok(Node::Filter(match key {
            "doc" => Filter::Doc(value.to_lowercase()),
            "chapter" => Filter::Chapter(value.trim_end_matches('.').to_string()),
            "para" => {
                if !value.chars().any(|c| c.is_ascii_digit()) {
                    return Err(self.err(col, "para: takes a paragraph number, e.g. para:9.12 or para:A12.3"));
                }
                Filter::Para(value.trim_start_matches('¶').to_string())
            }
            "page" => {
                let bad = || self.err(col, "page: takes a printed page or a range, e.g. page:209 or page:200..230");
                let (a, b) = match value.split_once("..").or_else(|| value.split_once('-')) {
                    Some((a, b)) => (a, b),
                    None => (value, value),
                };
                let a: u64 = a.parse().map_err(|_| bad())?;
                let b: u64 = b.parse().map_err(|_| bad())?;
                if a > b {
                    return Err(self.err(col, format!("page range {a}..{b} runs backwards; write page:{b}..{a}")));
                }
                Filter::Pages(a, b)
            }
            "harm" => Filter::Harm { asked: value.trim().to_string(), within: None },
            _ => unreachable!("FILTERS lists every key"),
        }))
    }
}

fn filter_example(key: &str) -> &'static str {
    match key {
        "doc" => "doc:ror",
        "chapter" => "chapter:9",
        "page" => "page:200..230",
        "harm" => "harm:\"human trafficking\"",
        _ => "para:9.12",
    }
}

/// Parse a query. An empty query is an error.
pub fn parse(q: &str) -> Result<Node, QueryError> {
    let toks = lex(q)?;
    if toks.is_empty() {
        return Err(QueryError {
            query: q.to_string(),
            column: 0,
            message: "the query is empty; type some words".into(),
        });
    }
    let mut p = Parser { q, toks, pos: 0 };
    let node = p.or()?;
    if p.pos < p.toks.len() {
        let col = p.column();
        return Err(p.err(col, "unexpected ')'"));
    }
    let node = simplify(node);
    if !has_positive(&node) {
        // Nothing but symbols or emoji: no letter or digit to search for.
        let message = if q.chars().any(char::is_alphanumeric) {
            "the query only excludes; add something to search for"
        } else {
            "the query has no letters or digits, and only words are searched; type some words"
        };
        return Err(QueryError { query: q.to_string(), column: 0, message: message.into() });
    }
    Ok(node)
}

/// The shortest word a fuzzy search at this distance accepts.
pub fn fuzzy_min_chars(distance: u8) -> usize {
    if distance >= 2 {
        5
    } else {
        3
    }
}

/// How many fuzzy and prefix terms the query holds (each is expanded to
/// every indexed word it matches, so each costs far more than a word).
pub fn expanding_terms(node: &Node) -> usize {
    match node {
        Node::Prefix(_) | Node::Fuzzy(..) => 1,
        Node::And(parts) | Node::Or(parts) => parts.iter().map(expanding_terms).sum(),
        Node::Not(inner) => expanding_terms(inner),
        Node::Expanded { typed, .. } => expanding_terms(typed),
        Node::Word(_) | Node::Phrase(_) | Node::Filter(_) => 0,
    }
}

/// Deepest nesting of brackets a query may have.
const MAX_DEPTH: usize = 32;

/// Words too common to require: dropped from an AND when something else remains.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it", "of", "on", "or", "that",
    "the", "their", "this", "to", "was", "with",
];

pub fn is_stop_word(w: &str) -> bool {
    STOP_WORDS.contains(&w)
}

fn simplify(node: Node) -> Node {
    match node {
        Node::And(parts) => {
            let mut parts: Vec<Node> =
                parts.into_iter().map(simplify).filter(|n| !matches!(n, Node::And(v) if v.is_empty())).collect();
            let content = |n: &Node| !matches!(n, Node::Word(w) if is_stop_word(w)) && !matches!(n, Node::Not(_));
            if parts.iter().any(content) {
                parts.retain(|n| !matches!(n, Node::Word(w) if is_stop_word(w)));
            }
            if parts.len() == 1 {
                parts.pop().expect("one part")
            } else {
                Node::And(parts)
            }
        }
        Node::Or(parts) => Node::Or(parts.into_iter().map(simplify).collect()),
        Node::Not(inner) => Node::Not(Box::new(simplify(*inner))),
        other => other,
    }
}

/// Whether the query asks for something (a filter counts), not only exclusions.
fn has_positive(node: &Node) -> bool {
    match node {
        Node::Not(_) => false,
        Node::And(parts) => parts.iter().any(has_positive),
        Node::Or(parts) => !parts.is_empty() && parts.iter().all(has_positive),
        _ => true,
    }
}

/// The words a query asks for as typed (words and phrase words; not
/// excluded ones, prefixes, fuzzy words, filters or words the vocabulary
/// expanded, which are the user's own on purpose), in order.
pub fn plain_words(node: &Node, out: &mut Vec<String>) {
    match node {
        Node::Word(w) => out.push(w.clone()),
        Node::Phrase(ws) => out.extend(ws.iter().cloned()),
        Node::And(parts) | Node::Or(parts) => parts.iter().for_each(|p| plain_words(p, out)),
        Node::Prefix(_) | Node::Fuzzy(..) | Node::Filter(_) | Node::Not(_) | Node::Expanded { .. } => {}
    }
}

/// The query text with whole words replaced (`(from, to)`, ignoring case).
pub fn replace_words(query: &str, fixes: &[(&str, &str)]) -> String {
    let mut out = query.to_string();
    for (from, to) in fixes {
        if let Ok(re) = regex::Regex::new(&format!(r"(?i)\b{}\b", regex::escape(from))) {
            out = re.replace_all(&out, regex::NoExpand(to)).into_owned();
        }
    }
    out
}

/// Whether the query filters by a kind of harm anywhere.
pub fn names_harm(node: &Node) -> bool {
    match node {
        Node::Filter(Filter::Harm { .. }) => true,
        Node::And(parts) | Node::Or(parts) => parts.iter().any(names_harm),
        Node::Not(inner) => names_harm(inner),
        _ => false,
    }
}

/// Each `harm:` filter of the query, wherever it is, given to `f` to fill in.
pub fn each_harm<E>(node: &mut Node, f: &mut dyn FnMut(&str, &mut HarmScope) -> Result<(), E>) -> Result<(), E> {
    match node {
        Node::Filter(Filter::Harm { asked, within }) => f(asked, within),
        Node::And(parts) | Node::Or(parts) => parts.iter_mut().try_for_each(|p| each_harm(p, f)),
        Node::Not(inner) => each_harm(inner, f),
        _ => Ok(()),
    }
}

/// The query with the quotes taken off its phrases, so that their words are
/// searched as words, or `None` when it quotes none. A phrase that is
/// excluded (`-"x y"`, `NOT "x y"`) and a filter's quoted value
/// (`doc:"x y"`) keep theirs: taking those off would change what is asked.
pub fn unquote_phrases(q: &str) -> Option<String> {
    let is_quote = |c: char| matches!(c, '"' | '“' | '”');
    let chars: Vec<char> = q.chars().collect();
    let mut out = String::with_capacity(q.len());
    let mut changed = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if !is_quote(c) {
            out.push(c);
            i += 1;
            continue;
        }
        let close = chars[i + 1..].iter().position(|&c| is_quote(c)).map(|p| i + 1 + p);
        let Some(close) = close else {
            out.extend(&chars[i..]);
            break;
        };
        let before: String = out.trim_end().to_string();
        let keep = out.ends_with(':') || out.ends_with('-') || before == "NOT" || before.ends_with(" NOT");
        let inner: String = chars[i + 1..close].iter().collect();
        if keep {
            out.push('"');
            out.push_str(&inner);
            out.push('"');
        } else {
            // Standing apart from the words around it, as the quotes kept it.
            if !out.is_empty() && !out.ends_with(char::is_whitespace) {
                out.push(' ');
            }
            out.push_str(inner.trim());
            if chars.get(close + 1).is_some_and(|c| !c.is_whitespace()) {
                out.push(' ');
            }
            changed = true;
        }
        i = close + 1;
    }
    changed.then_some(out)
}

/// Filters that apply to the whole query (top-level, not inside OR or NOT).
pub fn top_filters(node: &Node) -> Vec<&Filter> {
    match node {
        Node::Filter(f) => vec![f],
        Node::And(parts) => parts.iter().filter_map(|p| if let Node::Filter(f) = p { Some(f) } else { None }).collect(),
        _ => vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Node::*;

    #[test]
    fn quotes_come_off_phrases_but_not_exclusions_or_filter_values() {
        let u = |q: &str| unquote_phrases(q);
        assert_eq!(u("\"buying firearms\"").as_deref(), Some("buying firearms"));
        assert_eq!(u("“debt bondage” doc:ror").as_deref(), Some("debt bondage doc:ror"));
        assert_eq!(u("a\"b c\"d").as_deref(), Some("a b c d"));
        assert_eq!(u("doc:\"x y\" \"a b\"").as_deref(), Some("doc:\"x y\" a b"));
        assert_eq!(u("fraud -\"crypto scam\""), None);
        assert_eq!(u("fraud NOT \"crypto scam\""), None);
        assert_eq!(u("plain words"), None);
        assert_eq!(u("\"never closed"), None);
    }

    #[test]
    fn fuzzy_and_prefix_terms_are_counted_wherever_they_are() {
        let n = |q: &str| expanding_terms(&parse(q).unwrap());
        assert_eq!(n("human trafficking \"debt bondage\" doc:ror"), 0);
        assert_eq!(n("recruit* OR (groom* -traficking~1) harms~2"), 4);
    }

    #[test]
    fn words_for_spelling() {
        let mut words = Vec::new();
        plain_words(&parse("human traficking -crypto recruit* \"debt bondage\" doc:ror").unwrap(), &mut words);
        assert_eq!(words, ["human", "traficking", "debt", "bondage"]);
        assert_eq!(
            replace_words("Human Traficking doc:ror", &[("traficking", "trafficking")]),
            "Human trafficking doc:ror"
        );
    }

    fn w(s: &str) -> Node {
        Word(s.into())
    }

    #[test]
    fn parses() {
        let cases: Vec<(&str, Node)> = vec![
            ("human trafficking", And(vec![w("human"), w("trafficking")])),
            ("\"debt bondage\"", Phrase(vec!["debt".into(), "bondage".into()])),
            ("grooming OR coercion", Or(vec![w("grooming"), w("coercion")])),
            ("grooming AND coercion", And(vec![w("grooming"), w("coercion")])),
            ("fraud -crypto", And(vec![w("fraud"), Not(Box::new(w("crypto")))])),
            ("fraud NOT crypto", And(vec![w("fraud"), Not(Box::new(w("crypto")))])),
            ("recruit*", Prefix("recruit".into())),
            ("traficking~1", Fuzzy("traficking".into(), 1)),
            ("traficking~", Fuzzy("traficking".into(), 1)),
            ("doc:ror", Filter(super::Filter::Doc("ror".into()))),
            ("chapter:A12", Filter(super::Filter::Chapter("A12".into()))),
            ("page:200..230", Filter(super::Filter::Pages(200, 230))),
            ("page:209", Filter(super::Filter::Pages(209, 209))),
            ("para:9.12", Filter(super::Filter::Para("9.12".into()))),
            (
                "harm:\"Human trafficking\"",
                Filter(super::Filter::Harm { asked: "Human trafficking".into(), within: None }),
            ),
            ("s.10(2)", Phrase(vec!["s".into(), "10".into(), "2".into()])),
            ("(a OR b) c", And(vec![Or(vec![w("a"), w("b")]), w("c")])),
            ("Note: grooming", And(vec![w("note"), w("grooming")])),
            ("self-harm", Phrase(vec!["self".into(), "harm".into()])),
            ("coercive control by a partner", And(vec![w("coercive"), w("control"), w("partner")])),
            ("the", w("the")),
        ];
        for (q, want) in cases {
            assert_eq!(parse(q), Ok(want), "query: {q}");
        }
    }

    #[test]
    fn errors_point_at_the_problem() {
        let cases = [
            ("\"human trafficking", 0, "this quote is never closed; add a closing \""),
            ("(a OR b", 0, "this '(' is never closed; add a ')'"),
            ("a) b", 1, "this ')' closes no '('"),
            ("a OR", 2, "OR needs a term on both sides"),
            ("AND a", 0, "AND needs a term on both sides"),
            ("-fraud", 0, "the query only excludes; add something to search for"),
            ("page:abc", 5, "page: takes a printed page or a range, e.g. page:209 or page:200..230"),
            ("page:30..20", 5, "page range 30..20 runs backwards; write page:20..30"),
            ("doc:", 4, "doc: needs a value, e.g. doc:ror"),
            ("x~5", 1, "fuzzy distance must be 1 or 2 (word~1, word~2)"),
            ("a*", 0, "a prefix search needs at least two letters before the '*'"),
            (
                "risk a~2",
                5,
                "a fuzzy word needs at least 5 letters for ~2 (3 for ~1); type more of the word, use ~1, or leave off the ~",
            ),
            ("ab~", 0, "a fuzzy word needs at least 3 letters; type more of the word, or leave off the ~"),
            ("   ", 0, "the query is empty; type some words"),
            ("a NOT", 2, "NOT (or -) needs a term after it"),
            ("😀 ✓", 0, "the query has no letters or digits, and only words are searched; type some words"),
            (
                "(((((((((((((((((((((((((((((((((a)))))))))))))))))))))))))))))))))",
                32,
                "brackets nest more than 32 deep; simplify the query",
            ),
        ];
        for (q, col, msg) in cases {
            let e = parse(q).expect_err(q);
            assert_eq!((e.column, e.message.as_str()), (col, msg), "query: {q}");
        }
        // The shortest fuzzy words accepted.
        assert_eq!(parse("abc~1"), Ok(Fuzzy("abc".into(), 1)));
        assert_eq!(parse("harms~2"), Ok(Fuzzy("harms".into(), 2)));
        let e = parse("\"open").unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid query: this quote is never closed; add a closing \" (at column 1)\n  \"open\n  ^"
        );
    }
}
