//! The index the server answers from, kept fresh without a restart.
//!
//! A rebuild (`riskreg index`) writes a new generation aside and renames
//! `CURRENT` to name it. Before each request the server reads that small file;
//! when it names another generation, the new one is opened and swapped in
//! atomically. Requests already running keep the generation they started with
//! (an `Arc`), so none sees a half-built index or fails during the swap.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use axum::body::Bytes;

use arc_swap::ArcSwap;

use crate::index::{self, open::OpenIndex};

/// One open generation.
pub struct Live {
    pub opened: OpenIndex,
    /// The generation folder's name, as `CURRENT` held it when opened.
    pub generation: String,
    /// `/api/docs` as sent: the same for every request to this generation,
    /// so serialised once.
    docs_body: OnceLock<Bytes>,
}

impl Live {
    fn new(opened: OpenIndex) -> Live {
        let generation = generation_name(&opened.generation);
        Live { opened, generation, docs_body: OnceLock::new() }
    }

    /// The JSON body of `/api/docs` for this generation.
    pub fn docs_body(&self) -> Bytes {
        self.docs_body
            .get_or_init(|| {
                let docs = crate::render::json::docs(&self.opened.meta);
                Bytes::from(serde_json::to_vec(&docs).expect("DTOs serialise"))
            })
            .clone()
    }
}

fn generation_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// The live index and how to find a newer one.
pub struct IndexState {
    index_dir: PathBuf,
    live: ArcSwap<Live>,
    /// Serialises reopening, so a burst of requests after a rebuild opens
    /// the new generation once; holds the generation that could not be
    /// opened, so it is neither retried on every request nor reported twice.
    reopen: Mutex<Option<String>>,
}

impl IndexState {
    pub fn new(index_dir: PathBuf, opened: OpenIndex) -> IndexState {
        IndexState { index_dir, live: ArcSwap::from_pointee(Live::new(opened)), reopen: Mutex::new(None) }
    }

    /// The generation to answer this request from: the newest complete one.
    /// Blocking (reads `CURRENT`, may open an index); call it off the async
    /// threads. When the newer generation cannot be opened the one already
    /// open keeps serving, and the problem is reported once per generation.
    pub fn current(&self) -> Arc<Live> {
        let live = self.live.load_full();
        let wanted = match index::current_generation(&self.index_dir) {
            Ok(Some(gen)) => generation_name(&gen),
            // CURRENT unreadable or gone: keep serving what is open.
            _ => return live,
        };
        if wanted == live.generation {
            return live;
        }
        let mut failed = self.reopen.lock().unwrap_or_else(|p| p.into_inner());
        let live = self.live.load_full();
        if wanted == live.generation || failed.as_deref() == Some(wanted.as_str()) {
            return live;
        }
        let opened = index::open::open(&self.index_dir).and_then(|mut o| {
            o.meta.load_pages(&o.generation)?;
            Ok(o)
        });
        match opened {
            Ok(opened) => {
                let fresh = Arc::new(Live::new(opened));
                crate::render::note(&format!("serving the new index generation {}", fresh.generation));
                self.live.store(fresh.clone());
                fresh
            }
            Err(e) => {
                crate::render::note(&format!("cannot open the rebuilt index, still serving {}: {e}", live.generation));
                *failed = Some(wanted);
                live
            }
        }
    }
}
