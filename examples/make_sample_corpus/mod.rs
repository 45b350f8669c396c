//! The sample-corpus generator: reads the source text under `corpus/text/`,
//! lays each document out and writes it with krilla. Everything is compiled
//! in (`include_str!`/`include_bytes!`) and seeded, so the output is
//! byte-for-byte deterministic. Shared by `examples/make-sample-corpus.rs`
//! and the integration tests (which rebuild and compare bytes).
#![allow(dead_code)]

pub mod layout;
pub mod metrics;
pub mod prose;
pub mod render;
pub mod source;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pub const REGULAR_TTF: &[u8] = include_bytes!("../../corpus/fonts/DejaVuSans.ttf");
pub const BOLD_TTF: &[u8] = include_bytes!("../../corpus/fonts/DejaVuSans-Bold.ttf");
pub const TOPICS: &str = include_str!("../../corpus/text/topics.txt");

/// (file stem, source text), in build order.
pub const DOCS: &[(&str, &str)] = &[
    ("ror", include_str!("../../corpus/text/ror.txt")),
    ("icjg", include_str!("../../corpus/text/icjg.txt")),
    ("vol3", include_str!("../../corpus/text/vol3.txt")),
    ("cop-u2u", include_str!("../../corpus/text/cop-u2u.txt")),
    ("rag", include_str!("../../corpus/text/rag.txt")),
];

fn metrics() -> &'static (metrics::Metrics, metrics::Metrics) {
    static M: OnceLock<(metrics::Metrics, metrics::Metrics)> = OnceLock::new();
    M.get_or_init(|| (metrics::Metrics::parse(REGULAR_TTF), metrics::Metrics::parse(BOLD_TTF)))
}

/// A built document: its parsed source, its layout, and the PDF bytes.
pub struct Built {
    pub src: source::DocSrc,
    pub laid: layout::LaidOut,
    pub pdf: Vec<u8>,
}

/// Build one document by its id (`ror`, `icjg`, `vol3`, `cop-u2u`, `rag`).
pub fn build(id: &str) -> Built {
    let src = source::parse_doc(source_text(id));
    assert_eq!(src.id, id, "@doc in {id}.txt");
    lay_out_and_render(src)
}

fn source_text(id: &str) -> &'static str {
    DOCS.iter().find(|(d, _)| *d == id).unwrap_or_else(|| panic!("no sample document {id}")).1
}

fn lay_out_and_render(src: source::DocSrc) -> Built {
    let topics = source::parse_topics(TOPICS);
    let (reg, bold) = metrics();
    let laid = layout::layout(&src, &topics, layout::Fonts { regular: reg, bold });
    let fonts = render::FontPair {
        regular: krilla::text::Font::new(REGULAR_TTF.into(), 0).expect("regular font"),
        bold: krilla::text::Font::new(BOLD_TTF.into(), 0).expect("bold font"),
        regular_metrics: reg,
    };
    let pdf = render::render(&src, &laid, &fonts);
    Built { src, laid, pdf }
}

/// A varied document of the same shape as sample `id` (same chapters and
/// printed page ranges), for the benchmark's scale corpora: variant `n` gets
/// its own title and its own seed, so its padding prose (most of every
/// page) differs from the sample's and from every other variant's.
pub fn build_variant(id: &str, n: usize) -> Built {
    let mut src = source::parse_doc(source_text(id));
    src.id = format!("{id}-v{n:05}");
    src.title = format!("{} (variant {n})", src.title);
    src.short = format!("{} v{n}", src.short);
    src.seed = prose::hash(&src.id) ^ (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    lay_out_and_render(src)
}

/// Build every sample and write `<out_dir>/<id>.pdf`; returns the paths.
pub fn build_all(out_dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(out_dir)?;
    let mut out = Vec::new();
    for (id, _) in DOCS {
        let b = build(id);
        let path = out_dir.join(format!("{id}.pdf"));
        std::fs::write(&path, &b.pdf)?;
        out.push(path);
    }
    Ok(out)
}
