//! The signature-key cache: remote actors that sign inbound activities, with their parsed RSA
//! public keys, kept in memory so an inbox POST needs neither an actor lookup nor a key parse.
//!
//! Bounded (`federation.key_cache_entries`, least recently used entries go first). An entry is
//! dropped whenever the actor is stored again (re-fetched, or its `Update` received), so a rotated
//! key is used from then on; an entry older than the library's refetch interval is refreshed the
//! way an uncached actor would be, and every entry is read again from storage after five minutes
//! (another process of the node may have stored a new key).

use crate::federation::objects::actor::DbActor;
use crate::federation::signing::PublicKey;
use std::sync::{
    atomic::{AtomicU64, Ordering},
    Arc,
};

/// How long an entry is used before the stored copy is read again: the bound on how long a key
/// that another process of the node replaced (rotated) is still accepted here.
pub const TIME_TO_LIVE: std::time::Duration = std::time::Duration::from_secs(300);

/// A signing actor and its parsed key.
pub struct SigningActor {
    pub actor: DbActor,
    pub key: PublicKey,
}

/// The cache of one node.
pub struct KeyCache {
    entries: moka::future::Cache<String, Arc<SigningActor>>,
    /// Bumped by every `forget`, so a lookup that raced with one does not store a stale key.
    epoch: AtomicU64,
    pub hits: AtomicU64,
    pub misses: AtomicU64,
}

impl KeyCache {
    /// A cache of at most `capacity` actors.
    pub fn new(capacity: u64) -> KeyCache {
        KeyCache {
            entries: moka::future::Cache::builder()
                .max_capacity(capacity)
                .time_to_live(TIME_TO_LIVE)
                .build(),
            epoch: AtomicU64::new(0),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// The cached entry for an actor id, if any.
    pub async fn get(&self, ap_id: &str) -> Option<Arc<SigningActor>> {
        let found = self.entries.get(ap_id).await;
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// The epoch to pass to `put` for a lookup starting now.
    pub fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::SeqCst)
    }

    /// Stores an entry read at `epoch`, unless an actor was forgotten since (then `false`).
    pub async fn put(&self, epoch: u64, entry: Arc<SigningActor>) -> bool {
        if self.epoch() != epoch {
            return false;
        }
        self.entries
            .insert(entry.actor.row.ap_id.clone(), entry)
            .await;
        true
    }

    /// Drops an actor (its stored copy changed).
    pub async fn forget(&self, ap_id: &str) {
        self.epoch.fetch_add(1, Ordering::SeqCst);
        self.entries.invalidate(ap_id).await;
    }

    /// Entries held (approximate; for tests and metrics).
    pub async fn entry_count(&self) -> u64 {
        self.entries.run_pending_tasks().await;
        self.entries.entry_count()
    }
}
