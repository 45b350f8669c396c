//! One integration-test binary; a module per area. Each test runs the real
//! `riskreg` binary (or library stage) on its own temporary corpus.
mod citations;
mod cite;
mod compat;
mod corpus;
mod export;
mod extract;
mod fidelity;
mod index;
mod mcp;
mod passages;
mod search;
mod serve;
mod support;
mod sync;
mod terminal;
mod terms;
mod tidy;
mod verify;
mod versions;
mod vocab;
mod watch;
