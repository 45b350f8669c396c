//! One integration-test binary; a module per area.
mod support;
mod corpus;
mod extract;
