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

# Speed, memory and relevance figures (writes bench/RESULTS.md); e.g. `just bench --pages 2000,20000,100000`
bench *ARGS:
    cargo build --release --bin riskreg
    cargo run --release --example bench -- {{ARGS}}

# The web page and JSON API on http://127.0.0.1:8080, e.g. `just serve --addr 127.0.0.1:9000`
serve *ARGS:
    cargo run --release -- serve {{ARGS}}

# Loopback load on `riskreg serve`: 32 clients for 10 s; requests/s, p50, p99, errors
bench-serve *ARGS:
    cargo build --release --bin riskreg --example serve_load
    target/release/examples/serve_load {{ARGS}}

fmt:
    cargo fmt --all

# What CI runs
ci:
    bash .ci/run

# Rebuild the sample PDFs in corpus/sample/ (byte-for-byte deterministic)
sample-corpus:
    cargo run --release --example make-sample-corpus
