# Thin aliases; the README's two commands work without `just`.

# Build the index from corpus/
index:
    cargo run --release -- index

# Search, e.g. `just search "human trafficking" --by chapter`
search +ARGS:
    cargo run --release -- search {{ARGS}}

# The whole test suite (the README's test command)
test:
    cargo test

# Speed, memory and relevance figures (writes bench/RESULTS.md)
bench:
    cargo run --release --example bench

fmt:
    cargo fmt --all

# What CI runs
ci:
    bash .ci/run

# Rebuild the sample PDFs in corpus/sample/ (byte-for-byte deterministic)
sample-corpus:
    cargo run --release --example make-sample-corpus
