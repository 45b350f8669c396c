//! Manifest and sample-corpus tests.
