//! Peer levels held in memory for the inbox, which needs the sender's level on every POST (one
//! statement per activity otherwise, for a value that changes a few times a year).
//!
//! - An entry holds for at most [`HOLD`].
//! - A level set through this process (`peers::set_level`) clears every entry at once, and a read
//!   that started before that clear does not store what it read: here a change applies at once.
//! - A level set by another process (the admin CLI, another process of the same node on
//!   PostgreSQL) applies here within [`HOLD`].
//!
//! Only the inbound check reads through it. Whatever decides what leaves this node (signed
//! fetches, WebFinger, deliveries) reads the level from storage every time.

use crate::{domain::policy::PeerLevel, error::AppResult, state::AppState};
use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

/// How long a level read from storage is used without reading it again.
pub const HOLD: Duration = Duration::from_secs(1);

/// Above this many peers held, the oldest reads are not worth keeping: everything is dropped
/// (senders name arbitrary hosts, so the map must not grow without bound).
const MAX_ENTRIES: usize = 10_000;

/// The levels read recently, per lower-cased host.
#[derive(Default)]
pub struct LevelCache {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    /// Counts clears: a read stores its result only if no clear happened while it ran.
    generation: u64,
    entries: HashMap<String, (PeerLevel, Instant)>,
}

impl LevelCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The level held for `host` if it was read less than [`HOLD`] before `now`.
    pub fn get(&self, host: &str, now: Instant) -> Option<PeerLevel> {
        let inner = self.lock();
        let (level, read_at) = inner.entries.get(host)?;
        (now.saturating_duration_since(*read_at) < HOLD).then_some(*level)
    }

    /// Taken before reading a level from storage, and handed to [`LevelCache::put`].
    pub fn generation(&self) -> u64 {
        self.lock().generation
    }

    /// Holds `level`, read at `now` from storage, unless a clear happened since `generation`.
    pub fn put(&self, host: &str, level: PeerLevel, generation: u64, now: Instant) {
        let mut inner = self.lock();
        if inner.generation != generation {
            return;
        }
        if inner.entries.len() >= MAX_ENTRIES {
            inner.entries.clear();
        }
        inner.entries.insert(host.to_string(), (level, now));
    }

    /// Drops every held level (a level was just set).
    pub fn clear(&self) {
        let mut inner = self.lock();
        inner.generation += 1;
        inner.entries.clear();
    }
}

/// The level that applies to `host` for an inbound activity: held, or read from storage.
pub async fn inbound_level(state: &AppState, host: &str) -> AppResult<PeerLevel> {
    let host = host.to_ascii_lowercase();
    let cache = &state.peer_levels;
    if let Some(level) = cache.get(&host, Instant::now()) {
        return Ok(level);
    }
    let generation = cache.generation();
    let (st, h) = (state.clone(), host.clone());
    let level = state
        .db
        .run(move |c| super::visibility::peer_level(c, &st.config, &h))
        .await?;
    cache.put(&host, level, generation, Instant::now());
    Ok(level)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_level_is_held_for_the_hold_only() {
        let cache = LevelCache::default();
        let t = Instant::now();
        cache.put("a.example", PeerLevel::Blocked, cache.generation(), t);
        assert_eq!(cache.get("a.example", t), Some(PeerLevel::Blocked));
        let almost = t + HOLD - Duration::from_millis(1);
        assert_eq!(cache.get("a.example", almost), Some(PeerLevel::Blocked));
        assert_eq!(
            cache.get("a.example", t + HOLD),
            None,
            "read again after the hold"
        );
        assert_eq!(cache.get("b.example", t), None);
    }

    #[test]
    fn a_clear_drops_levels_and_stale_reads() {
        let cache = LevelCache::default();
        let t = Instant::now();
        cache.put("a.example", PeerLevel::Full, cache.generation(), t);
        // A read starts, a level is set meanwhile, then the read ends with the old level.
        let started = cache.generation();
        cache.clear();
        assert_eq!(cache.get("a.example", t), None, "cleared at once");
        cache.put("a.example", PeerLevel::Full, started, t);
        assert_eq!(
            cache.get("a.example", t),
            None,
            "a read from before the clear is dropped"
        );
        cache.put("a.example", PeerLevel::Blocked, cache.generation(), t);
        assert_eq!(cache.get("a.example", t), Some(PeerLevel::Blocked));
    }

    #[test]
    fn the_map_stays_bounded() {
        let cache = LevelCache::default();
        let t = Instant::now();
        for i in 0..MAX_ENTRIES + 5 {
            cache.put(&format!("h{i}.example"), PeerLevel::Full, 0, t);
        }
        assert!(cache.lock().entries.len() <= MAX_ENTRIES);
    }
}
