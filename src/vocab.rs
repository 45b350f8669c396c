//! The vocabulary of the field: the words users type and the words the
//! regulator writes, from `corpus/vocabulary.toml`. Pure: parses and checks
//! the file (messages name the file, the entry and the field), lists the
//! kinds of harm (`Vocabulary::harms`), and expands a query tree
//! (`Expander::expand`) at query time, so an edit needs no new index.
//!
//! Three kinds of entry (the file documents them in its own comments):
//!
//! ```toml
//! [[same]]                    # equivalent terms: each searches the others
//! terms = ["sextortion", "sexual extortion"]
//!
//! [[expand]]                  # one way: typing a `from` term also searches the `to` terms
//! from = ["cyberstalking"]
//! to = ["stalking", "harassment"]
//!
//! [[harm]]                    # a kind of priority illegal harm (the Register's chapter title)
//! name = "Intimate image abuse"
//! also = ["revenge porn"]     # common names: typing one also searches `name` (and `search`)
//! search = ["intimate images"] # optional: more terms the common names search
//! ```
//!
//! A term of several words is matched against consecutive unquoted words of
//! a query and searched as a phrase. Words are compared by their stems (the
//! caller's stemmer), so `scam adverts` matches the term `scam advert`.

use std::collections::HashMap;

use crate::query::{is_stop_word, Node};
use crate::text::words;

/// The file's name, beside `sources.toml` in the corpus folder.
pub const FILE_NAME: &str = "vocabulary.toml";

/// Most words in one term (a longer run of query words is never compared).
const MAX_TERM_WORDS: usize = 8;

/// A kind of priority illegal harm, as the file lists it, in the file's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Harm {
    /// The Register's chapter title words: "Intimate image abuse".
    pub name: String,
    /// The common names users type ("revenge porn").
    pub also: Vec<String>,
    /// More terms a common name searches, besides `name`.
    pub search: Vec<String>,
}

/// A checked vocabulary file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vocabulary {
    same: Vec<Vec<String>>,
    expand: Vec<(Vec<String>, Vec<String>)>,
    harms: Vec<Harm>,
}

/// A problem with the vocabulary file: one sentence naming the file, the
/// entry (`[[harm]] "Hate"`, `[[expand]] 3`) and the field.
pub type VocabularyError = crate::entry_error::EntryError;

const KINDS: &[(&str, &[&str])] =
    &[("same", &["terms"]), ("expand", &["from", "to"]), ("harm", &["name", "also", "search"])];

impl Vocabulary {
    /// Parse and check the file's text; `file_label` names it in messages.
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(text: &str, file_label: &str) -> Result<Vocabulary, VocabularyError> {
        let err = |entry: Option<String>, field: Option<&str>, detail: String| {
            VocabularyError::new(file_label, entry, field, detail)
        };
        let table = VocabularyError::parse_toml(text, file_label)?;
        for key in table.keys() {
            if !KINDS.iter().any(|(k, _)| k == key) {
                return Err(err(
                    None,
                    None,
                    format!("unknown top-level key \"{key}\" (expected [[same]], [[expand]] and [[harm]] tables)"),
                ));
            }
        }
        let mut v = Vocabulary::default();
        for (kind, fields) in KINDS {
            let items = match table.get(*kind) {
                None => continue,
                Some(toml::Value::Array(a)) => a,
                Some(_) => return Err(err(None, None, format!("\"{kind}\" must be written as [[{kind}]] tables"))),
            };
            for (i, item) in items.iter().enumerate() {
                let mut entry = format!("[[{kind}]] {}", i + 1);
                let Some(t) = item.as_table() else {
                    return Err(err(Some(entry), None, format!("is not a table (write it as [[{kind}]])")));
                };
                if let Some(toml::Value::String(name)) = t.get("name") {
                    entry = format!("[[{kind}]] \"{name}\"");
                }
                let e = |field: Option<&str>, detail: String| err(Some(entry.clone()), field, detail);
                for key in t.keys() {
                    if !fields.contains(&key.as_str()) {
                        let known: Vec<String> = fields.iter().map(|f| format!("\"{f}\"")).collect();
                        return Err(e(
                            None,
                            format!("unknown field \"{key}\" (a [[{kind}]] has {})", known.join(", ")),
                        ));
                    }
                }
                let list = |field: &str, required: bool, least: usize| -> Result<Vec<String>, VocabularyError> {
                    let example = "a list of terms in quotes, e.g. [\"stalking\", \"harassment\"]";
                    let Some(value) = t.get(field) else {
                        return if required {
                            Err(e(Some(field), format!("is missing; write {example}")))
                        } else {
                            Ok(vec![])
                        };
                    };
                    let Some(array) = value.as_array() else {
                        return Err(e(Some(field), format!("must be {example}")));
                    };
                    let mut out: Vec<String> = Vec::new();
                    for (n, item) in array.iter().enumerate() {
                        let Some(s) = item.as_str() else {
                            return Err(e(Some(field), format!("item {} is not a term in quotes", n + 1)));
                        };
                        let term = s.trim();
                        if words(term).is_empty() {
                            return Err(e(Some(field), format!("item {} (\"{s}\") holds no words", n + 1)));
                        }
                        if words(term).len() > MAX_TERM_WORDS {
                            return Err(e(Some(field), format!("\"{s}\" has more than {MAX_TERM_WORDS} words")));
                        }
                        if out.iter().any(|o| words(o) == words(term)) {
                            return Err(e(Some(field), format!("\"{s}\" is listed twice")));
                        }
                        out.push(term.to_string());
                    }
                    if out.len() < least {
                        return Err(e(
                            Some(field),
                            if least == 1 {
                                "is empty; list at least one term".into()
                            } else {
                                format!("needs at least {least} terms")
                            },
                        ));
                    }
                    Ok(out)
                };
                match *kind {
                    "same" => v.same.push(list("terms", true, 2)?),
                    "expand" => v.expand.push((list("from", true, 1)?, list("to", true, 1)?)),
                    _ => {
                        let name = match t.get("name") {
                            Some(toml::Value::String(s)) if !words(s).is_empty() => s.trim().to_string(),
                            Some(_) => return Err(e(Some("name"), "must be the harm's name in quotes".into())),
                            None => {
                                return Err(e(
                                    Some("name"),
                                    "is missing; write the Register's chapter title, e.g. name = \"Hate\"".into(),
                                ))
                            }
                        };
                        if let Some(first) = v.harms.iter().position(|h| words(&h.name) == words(&name)) {
                            return Err(e(
                                Some("name"),
                                format!("\"{name}\" is already the name of harm {}", first + 1),
                            ));
                        }
                        let harm = Harm { name, also: list("also", true, 1)?, search: list("search", false, 0)? };
                        v.harms.push(harm);
                    }
                }
            }
        }
        Ok(v)
    }

    /// The kinds of priority illegal harm, in the file's order (the
    /// Register's), each with its common names.
    pub fn harms(&self) -> &[Harm] {
        &self.harms
    }

    /// Ready to expand queries: every term's words stemmed once with
    /// `stem`, and `extra` groups of equivalent terms (e.g. acronyms and
    /// their long forms found in the documents) added to the file's.
    pub fn expander(&self, extra: &[Vec<String>], stem: &mut dyn FnMut(&str) -> String) -> Expander {
        let mut x = Expander::default();
        for group in self.same.iter().chain(extra) {
            for (i, from) in group.iter().enumerate() {
                let to: Vec<&String> = group.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, t)| t).collect();
                x.add(from, &to, stem);
            }
        }
        for (from, to) in &self.expand {
            for f in from {
                x.add(f, &to.iter().collect::<Vec<_>>(), stem);
            }
        }
        for h in &self.harms {
            let to: Vec<&String> = std::iter::once(&h.name).chain(&h.search).collect();
            for f in &h.also {
                x.add(f, &to, stem);
            }
        }
        x.harms = self.harms.clone();
        x
    }
}

/// One term's expansions: the terms (as the file writes them) and their words.
#[derive(Debug, Clone, Default)]
struct Rule {
    to: Vec<(String, Vec<String>)>,
}

/// A vocabulary ready to expand query trees.
#[derive(Debug, Clone, Default)]
pub struct Expander {
    /// By the stems of a term's words (stop words left out, as the query
    /// parser leaves them out between words).
    rules: HashMap<Vec<String>, Rule>,
    longest: usize,
    /// The kinds of harm, for `harm:` filters.
    harms: Vec<Harm>,
}

/// A query tree after expansion, and what was searched besides the words typed.
#[derive(Debug, Clone, PartialEq)]
pub struct Expansion {
    pub node: Node,
    /// Each term searched besides the words typed, once, in query order.
    pub also: Vec<String>,
}

/// The stems a term is matched by: its words' stems, without stop words
/// (unless it is nothing else).
fn key(words: &[String], stem: &mut dyn FnMut(&str) -> String) -> Vec<String> {
    let content: Vec<&String> = words.iter().filter(|w| !is_stop_word(w)).collect();
    let kept: Vec<&String> = if content.is_empty() { words.iter().collect() } else { content };
    kept.into_iter().map(|w| stem(w)).collect()
}

impl Expander {
    fn add(&mut self, from: &str, to: &[&String], stem: &mut dyn FnMut(&str) -> String) {
        let k = key(&words(from), stem);
        self.longest = self.longest.max(k.len());
        let rule = self.rules.entry(k.clone()).or_default();
        for t in to {
            let ws = words(t);
            // A term that is the typed words again adds nothing.
            if key(&ws, stem) == k || rule.to.iter().any(|(_, w)| *w == ws) {
                continue;
            }
            rule.to.push((t.to_string(), ws));
        }
    }

    /// Whether any term is known.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The kinds of harm the vocabulary lists, in its order.
    pub fn harms(&self) -> &[Harm] {
        &self.harms
    }

    /// `node` with every run of unquoted words that is a term of the
    /// vocabulary (longest first) searched also for its expansions, weighted
    /// below the words typed (`Node::Expanded`). Phrases (quoted), prefixes,
    /// fuzzy words and excluded words are left as typed.
    pub fn expand(&self, node: &Node, stem: &mut dyn FnMut(&str) -> String) -> Expansion {
        let mut also = Vec::new();
        let node = if self.is_empty() { node.clone() } else { self.walk(node, stem, &mut also) };
        Expansion { node, also }
    }

    fn walk(&self, node: &Node, stem: &mut dyn FnMut(&str) -> String, also: &mut Vec<String>) -> Node {
        match node {
            Node::Word(w) => self.lookup(std::slice::from_ref(w), stem, also).unwrap_or_else(|| node.clone()),
            Node::Or(parts) => Node::Or(parts.iter().map(|p| self.walk(p, stem, also)).collect()),
            Node::And(parts) => {
                let mut out = Vec::with_capacity(parts.len());
                let mut i = 0;
                while i < parts.len() {
                    let run: Vec<String> = parts[i..]
                        .iter()
                        .take(self.longest)
                        .map_while(|p| if let Node::Word(w) = p { Some(w.clone()) } else { None })
                        .collect();
                    let found = (1..=run.len()).rev().find_map(|n| self.lookup(&run[..n], stem, also).map(|e| (n, e)));
                    match found {
                        Some((n, e)) => {
                            out.push(e);
                            i += n;
                        }
                        None => {
                            out.push(self.walk(&parts[i], stem, also));
                            i += 1;
                        }
                    }
                }
                if out.len() == 1 {
                    out.pop().expect("one part")
                } else {
                    Node::And(out)
                }
            }
            _ => node.clone(),
        }
    }

    /// The expanded node for these typed words, when they are a term.
    fn lookup(&self, typed: &[String], stem: &mut dyn FnMut(&str) -> String, also: &mut Vec<String>) -> Option<Node> {
        let stems: Vec<String> = typed.iter().map(|w| stem(w)).collect();
        let rule = self.rules.get(&stems).filter(|r| !r.to.is_empty())?;
        for (t, _) in &rule.to {
            if !also.contains(t) {
                also.push(t.clone());
            }
        }
        let typed_node = match typed {
            [one] => Node::Word(one.clone()),
            many => Node::And(many.iter().map(|w| Node::Word(w.clone())).collect()),
        };
        Some(Node::Expanded { typed: Box::new(typed_node), also: rule.to.iter().map(|(_, w)| w.clone()).collect() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::parse;

    /// A stand-in stemmer for the tests: lower case, a final "s" or "ing" off.
    fn stem(w: &str) -> String {
        let w = w.to_lowercase();
        if let Some(s) = w.strip_suffix("ing").filter(|s| s.len() >= 3) {
            return s.to_string();
        }
        w.strip_suffix('s').filter(|s| s.len() >= 3).unwrap_or(&w).to_string()
    }

    const FILE: &str = r#"
[[same]]
terms = ["sextortion", "sexual extortion"]

[[expand]]
from = ["cyberstalking"]
to = ["stalking", "harassment"]

[[expand]]
from = ["pig butchering"]
to = ["romance fraud", "investment fraud"]

[[harm]]
name = "Intimate image abuse"
also = ["revenge porn", "nudes"]
search = ["intimate images"]
"#;

    fn check(q: &str, want: &str, also: &[&str]) {
        let v = Vocabulary::from_str(FILE, "vocabulary.toml").unwrap();
        let x = v.expander(&[vec!["CSAM".into(), "child sexual abuse material".into()]], &mut stem);
        let e = x.expand(&parse(q).unwrap(), &mut stem);
        assert_eq!(show(&e.node), want, "query: {q}");
        assert_eq!(e.also, also, "query: {q}");
    }

    /// The tree in a short form: `[typed | also; also]` for an expansion.
    fn show(n: &Node) -> String {
        match n {
            Node::Word(w) => w.clone(),
            Node::Phrase(ws) => format!("\"{}\"", ws.join(" ")),
            Node::And(p) => format!("({})", p.iter().map(show).collect::<Vec<_>>().join(" ")),
            Node::Or(p) => format!("({})", p.iter().map(show).collect::<Vec<_>>().join(" OR ")),
            Node::Not(i) => format!("-{}", show(i)),
            Node::Expanded { typed, also } => {
                let a: Vec<String> = also.iter().map(|w| w.join(" ")).collect();
                format!("[{} | {}]", show(typed), a.join("; "))
            }
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn expands_words_and_runs_of_words_never_quotes() {
        check("cyberstalking", "[cyberstalking | stalking; harassment]", &["stalking", "harassment"]);
        // A run of words is the term; around it the other words stay.
        check(
            "pig butchering losses",
            "([(pig butchering) | romance fraud; investment fraud] losses)",
            &["romance fraud", "investment fraud"],
        );
        // Stems: the plural of a common name is the name.
        check(
            "Revenge porns",
            "[(revenge porns) | intimate image abuse; intimate images]",
            &["Intimate image abuse", "intimate images"],
        );
        // Quoted: as typed.
        check("\"revenge porn\"", "\"revenge porn\"", &[]);
        check("\"cyberstalking\"", "\"cyberstalking\"", &[]);
        // Groups go every way; the caller's groups count as the file's.
        check("sexual extortion", "[(sexual extortion) | sextortion]", &["sextortion"]);
        check(
            "csam OR sextortion",
            "([csam | child sexual abuse material] OR [sextortion | sexual extortion])",
            &["child sexual abuse material", "sexual extortion"],
        );
        // One way only: the regulator's word is not expanded back.
        check("stalking", "stalking", &[]);
        // Excluded words, prefixes and fuzzy words stay as typed.
        check("fraud -cyberstalking", "(fraud -cyberstalking)", &[]);
        // Words split by another word are not the term.
        check("pig farm butchering", "(pig farm butchering)", &[]);
    }

    fn err(text: &str) -> String {
        Vocabulary::from_str(text, "corpus/vocabulary.toml").unwrap_err().to_string()
    }

    #[test]
    fn errors_name_the_file_entry_and_field() {
        let cases = [
            ("[[same]]\nterms = \"a\"", "corpus/vocabulary.toml: [[same]] 1: field \"terms\": must be a list of terms in quotes, e.g. [\"stalking\", \"harassment\"]"),
            ("[[same]]\nterms = [\"a\"]", "corpus/vocabulary.toml: [[same]] 1: field \"terms\": needs at least 2 terms"),
            ("[[expand]]\nfrom = [\"a\"]", "corpus/vocabulary.toml: [[expand]] 1: field \"to\": is missing; write a list of terms in quotes, e.g. [\"stalking\", \"harassment\"]"),
            ("[[expand]]\nfrom = [\"a\"]\nto = [\"b\", 3]", "corpus/vocabulary.toml: [[expand]] 1: field \"to\": item 2 is not a term in quotes"),
            ("[[expand]]\nfrom = [\"a\"]\nto = [\"--\"]", "corpus/vocabulary.toml: [[expand]] 1: field \"to\": item 1 (\"--\") holds no words"),
            ("[[harm]]\nname = \"Hate\"\nalso = [\"racism\", \"Racism\"]", "corpus/vocabulary.toml: [[harm]] \"Hate\": field \"also\": \"Racism\" is listed twice"),
            ("[[harm]]\nname = \"Hate\"\nalso = [\"racism\"]\nsee = 1", "corpus/vocabulary.toml: [[harm]] \"Hate\": unknown field \"see\" (a [[harm]] has \"name\", \"also\", \"search\")"),
            ("[[harm]]\nalso = [\"racism\"]", "corpus/vocabulary.toml: [[harm]] 1: field \"name\": is missing; write the Register's chapter title, e.g. name = \"Hate\""),
            ("[[harm]]\nname = \"Hate\"\nalso = [\"x\"]\n[[harm]]\nname = \"hate\"\nalso = [\"y\"]", "corpus/vocabulary.toml: [[harm]] \"hate\": field \"name\": \"hate\" is already the name of harm 1"),
            ("[synonyms]\na = 1", "corpus/vocabulary.toml: unknown top-level key \"synonyms\" (expected [[same]], [[expand]] and [[harm]] tables)"),
            ("[[same]\n", "corpus/vocabulary.toml: TOML syntax error on line 1: unclosed array table, expected `]`"),
        ];
        for (text, want) in cases {
            assert_eq!(err(text), want, "{text}");
        }
    }

    #[test]
    fn harms_in_the_files_order() {
        let v = Vocabulary::from_str(FILE, "f").unwrap();
        assert_eq!(v.harms().len(), 1);
        assert_eq!(v.harms()[0].name, "Intimate image abuse");
        assert_eq!(v.harms()[0].also, ["revenge porn", "nudes"]);
    }
}
