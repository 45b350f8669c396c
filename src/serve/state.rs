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
use crate::vocab::Vocabulary;

/// One open generation, with the vocabulary as it stood when it was opened.
pub struct Live {
    pub opened: Arc<OpenIndex>,
    /// The generation folder's name, as `CURRENT` held it when opened.
    pub generation: String,
    /// The vocabulary file's terms and this generation's acronyms, for
    /// expanding queries; its kinds of harm (none without the file).
    pub vocabulary: crate::vocab::Expander,
    /// `/api/docs` as sent: the same for every request to this generation,
    /// so serialised once.
    docs_body: OnceLock<Bytes>,
}

impl Live {
    fn new(opened: Arc<OpenIndex>, words: Option<&Vocabulary>) -> Live {
        let generation = generation_name(&opened.generation);
        let vocabulary = crate::search::expander(words, &opened.meta);
        Live { opened, generation, vocabulary, docs_body: OnceLock::new() }
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
    reopen: Mutex<Reopen>,
    /// The vocabulary file, looked at (size and time) before each request.
    words_file: PathBuf,
    words_seen: Mutex<Stamp>,
}

#[derive(Default)]
struct Reopen {
    failed: Option<String>,
    /// The vocabulary last read well (a file with a mistake is reported and
    /// the one before kept).
    words: Option<Vocabulary>,
}

/// A file's size and modification time; `None` when it is not there.
type Stamp = Option<(u64, std::time::SystemTime)>;

fn stamp(path: &Path) -> Stamp {
    let m = std::fs::metadata(path).ok()?;
    Some((m.len(), m.modified().ok()?))
}

impl IndexState {
    /// `words`: the vocabulary file `words_file` as read when the server started.
    pub fn new(index_dir: PathBuf, opened: OpenIndex, words_file: PathBuf, words: Option<Vocabulary>) -> IndexState {
        let live = Live::new(Arc::new(opened), words.as_ref());
        IndexState {
            index_dir,
            live: ArcSwap::from_pointee(live),
            reopen: Mutex::new(Reopen { failed: None, words }),
            words_seen: Mutex::new(stamp(&words_file)),
            words_file,
        }
    }

    /// The generation to answer this request from: the newest complete one,
    /// with the vocabulary file as it is now. Blocking (reads `CURRENT`, may
    /// open an index); call it off the async threads. When the newer
    /// generation cannot be opened the one already open keeps serving, and
    /// the problem is reported once per generation; so is a vocabulary file
    /// with a mistake, while the one read before keeps serving.
    pub fn current(&self) -> Arc<Live> {
        let live = self.live.load_full();
        let wanted = match index::current_generation(&self.index_dir) {
            Ok(Some(gen)) => generation_name(&gen),
            // CURRENT unreadable or gone: keep serving what is open.
            _ => live.generation.clone(),
        };
        let words_now = stamp(&self.words_file);
        let words_changed = *self.words_seen.lock().unwrap_or_else(|p| p.into_inner()) != words_now;
        if wanted == live.generation && !words_changed {
            return live;
        }
        let mut reopen = self.reopen.lock().unwrap_or_else(|p| p.into_inner());
        let live = self.live.load_full();
        let mut seen = self.words_seen.lock().unwrap_or_else(|p| p.into_inner());
        let words_changed = *seen != words_now;
        let new_generation = wanted != live.generation && reopen.failed.as_deref() != Some(wanted.as_str());
        if !new_generation && !words_changed {
            return live;
        }
        if words_changed {
            *seen = words_now;
            match self.read_words() {
                Ok(words) => {
                    crate::render::note(&format!("read {} again", self.words_file.display()));
                    reopen.words = words;
                }
                Err(e) => crate::render::note(&format!("{e}; still using the vocabulary read before")),
            }
        }
        let opened = if new_generation {
            let opened = index::open::open(&self.index_dir).and_then(|mut o| {
                o.meta.load_pages(&o.generation)?;
                Ok(o)
            });
            match opened {
                Ok(opened) => Arc::new(opened),
                Err(e) => {
                    crate::render::note(&format!(
                        "cannot open the rebuilt index, still serving {}: {e}",
                        live.generation
                    ));
                    reopen.failed = Some(wanted);
                    if !words_changed {
                        return live;
                    }
                    live.opened.clone()
                }
            }
        } else {
            live.opened.clone()
        };
        let fresh = Arc::new(Live::new(opened, reopen.words.as_ref()));
        if fresh.generation != live.generation {
            crate::render::note(&format!("serving the new index generation {}", fresh.generation));
        }
        self.live.store(fresh.clone());
        fresh
    }

    /// The vocabulary file now; `None` when there is none.
    fn read_words(&self) -> crate::error::Result<Option<Vocabulary>> {
        let text = match std::fs::read_to_string(&self.words_file) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(crate::error::Error::io(&self.words_file, e)),
        };
        Ok(Some(Vocabulary::from_str(&text, &self.words_file.display().to_string())?))
    }
}
