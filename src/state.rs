//! The node's shared state, handed to every handler and task through `Data<AppState>`.

use crate::{config::Config, db::Db};
use std::sync::{atomic::AtomicU64, Arc};
use tokio::sync::Notify;

/// Everything a request or background task needs; cloned cheaply as an `Arc`.
pub struct NodeState {
    pub config: Config,
    pub db: Db,
    /// Woken whenever deliveries are queued, so the worker need not wait for its next poll.
    pub delivery_wake: Notify,
    pub metrics: Metrics,
    /// Client API request counts per token or IP address (per process).
    pub rate_limiter: RateLimiter,
    /// Where use cases hand their outbound intents (the federation side, or a recorder in tests).
    pub outbound: Arc<dyn crate::service::outbound::OutboundPort>,
    /// Where committed live events go (in-process on SQLite, `NOTIFY` on PostgreSQL).
    pub events: Arc<dyn crate::service::events::EventPort>,
    /// This process's live-event subscribers (the streaming API).
    pub hub: crate::service::events::Hub,
    /// How use cases look things up on peers.
    pub remote: Arc<dyn crate::service::remote::RemotePort>,
    /// Places for inbound activities (workers and waiting room).
    pub inbox_gate: crate::federation::inbox_gate::InboxGate,
    /// Remote signers and their parsed keys.
    pub key_cache: crate::federation::key_cache::KeyCache,
    /// Members' posts into local groups, stored in batches by the inbox.
    pub post_batch: crate::federation::activities::batch::Batch<
        crate::federation::activities::create_many::Posts,
    >,
    /// Peers' favourites, stored in batches by the inbox.
    pub like_batch: crate::federation::activities::batch::Batch<
        crate::federation::activities::like_many::Likes,
    >,
    /// Peer levels held briefly for the inbox (`service::peer_levels`).
    pub peer_levels: crate::service::peer_levels::LevelCache,
    /// Local actors' parsed private keys, for signing deliveries.
    pub local_keys: crate::federation::signing::LocalKeys,
    /// The HTTP client for every request to peers.
    pub peer_client: reqwest_middleware::ClientWithMiddleware,
}

/// Fixed-window request counting for the client API's 429 answers.
#[derive(Default)]
pub struct RateLimiter {
    windows: std::sync::Mutex<std::collections::HashMap<String, (i64, u32)>>,
}

/// The outcome of counting one request.
pub struct RateDecision {
    pub allowed: bool,
    pub limit: u32,
    pub remaining: u32,
    /// When the current window ends (milliseconds since the epoch).
    pub reset_at: i64,
}

impl RateLimiter {
    /// Counts a request for `key` in a window of `window_ms`, allowing `limit` per window.
    pub fn hit(&self, key: &str, limit: u32, window_ms: i64, now: i64) -> RateDecision {
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if windows.len() > 100_000 {
            windows.retain(|_, (start, _)| now - *start < window_ms);
        }
        let entry = windows.entry(key.to_string()).or_insert((now, 0));
        if now - entry.0 >= window_ms {
            *entry = (now, 0);
        }
        entry.1 = entry.1.saturating_add(1);
        RateDecision {
            allowed: entry.1 <= limit,
            limit,
            remaining: limit.saturating_sub(entry.1),
            reset_at: entry.0 + window_ms,
        }
    }
}

/// Counters exported at `/metrics`, per node (tests run several nodes in one process).
#[derive(Default)]
pub struct Metrics {
    /// Deliveries queued by committed use cases.
    pub deliveries_queued: AtomicU64,
    pub deliveries_sent: AtomicU64,
    pub deliveries_failed: AtomicU64,
    pub deliveries_dropped: AtomicU64,
    /// Deliveries a peer refused for good (4xx).
    pub deliveries_refused: AtomicU64,
    pub inbox_accepted: AtomicU64,
    pub inbox_rejected: AtomicU64,
    pub inbox_duplicates: AtomicU64,
    /// Inbox POSTs refused with 503 because every worker and waiting place was taken.
    pub inbox_overloaded: AtomicU64,
}

/// The application data type of the federation library.
pub type AppState = Arc<NodeState>;

/// Request-scoped federation context (config, HTTP client, fetch counter, app state).
pub type Ctx = activitypub_federation::config::Data<AppState>;
