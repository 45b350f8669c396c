//! Regenerates the bundled sample corpus (`corpus/sample/*.pdf`).
//!
//! ```text
//! cargo run --release --example make-sample-corpus            # writes corpus/sample/
//! cargo run --release --example make-sample-corpus -- --out DIR
//! cargo run --release --example make-sample-corpus -- --facts  # also print layout facts
//! ```
//! The output is byte-for-byte deterministic.

mod make_sample_corpus;

use std::path::PathBuf;

fn main() {
    let mut out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus/sample");
    let mut facts = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--out" => out = PathBuf::from(args.next().expect("--out needs a directory")),
            "--facts" => facts = true,
            "-h" | "--help" => {
                println!("usage: make-sample-corpus [--out DIR] [--facts]");
                return;
            }
            other => {
                eprintln!("make-sample-corpus: unknown argument {other}");
                std::process::exit(2);
            }
        }
    }
    std::fs::create_dir_all(&out).expect("create output directory");
    for (id, _) in make_sample_corpus::DOCS {
        let b = make_sample_corpus::build(id);
        let path = out.join(format!("{id}.pdf"));
        std::fs::write(&path, &b.pdf).expect("write PDF");
        let front = b.src.front;
        println!(
            "{}: {} pages ({} front matter: printed p. N = PDF p. N+{}), {} footnotes, {} bytes",
            path.display(),
            b.laid.pages.len(),
            front,
            front,
            b.laid.footnotes,
            b.pdf.len()
        );
        if facts {
            for (h, s, e) in &b.laid.extents {
                println!("  {h}: pp. {}–{}", b.laid.pages[*s].label, b.laid.pages[*e].label);
            }
            for (h, p) in &b.laid.midpage {
                println!("  starts mid-page: {h} on p. {}", b.laid.pages[*p].label);
            }
            for (n, p) in &b.laid.hyphens {
                println!("  hyphenated break in para {n} (starts p. {})", b.laid.pages[*p].label);
            }
        }
    }
}
