//! riskreg: search the regulator's guidance PDFs and cite what they say —
//! document, chapter, printed page and paragraph.
//!
//! Data flows one way: `corpus` (which files, which official publication) →
//! `extract` (PDF → pages) → `structure` (clean text, labels, chapters,
//! paragraphs) → `chunk` (one per chapter and page) → `index` (tantivy, on
//! disk); then a query → `query` (parse) → `search` (hits, chapters) →
//! `render` (human, JSON, Markdown). `app` is the glue that the binary calls.
pub mod app;
pub mod chunk;
pub mod cli;
pub mod corpus;
pub mod date;
pub(crate) mod diff;
pub(crate) mod discover;
pub mod draft;
pub mod entry_error;
pub mod error;
pub mod extract;
pub mod harms;
pub mod index;
pub(crate) mod ingest;
pub(crate) mod mcp;
pub mod query;
pub mod render;
pub mod roman;
pub mod search;
pub(crate) mod serve;
pub mod structure;
pub mod sync;
pub mod terms;
pub(crate) mod text;
pub mod verify;
pub mod vocab;
pub mod watch;
pub mod xref;
