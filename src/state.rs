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
}

/// Counters exported at `/metrics`, per node (tests run several nodes in one process).
#[derive(Default)]
pub struct Metrics {
    pub deliveries_sent: AtomicU64,
    pub deliveries_failed: AtomicU64,
    pub deliveries_dropped: AtomicU64,
    pub inbox_accepted: AtomicU64,
    pub inbox_rejected: AtomicU64,
    pub inbox_duplicates: AtomicU64,
}

/// The application data type of the federation library.
pub type AppState = Arc<NodeState>;

/// Request-scoped federation context (config, HTTP client, fetch counter, app state).
pub type Ctx = activitypub_federation::config::Data<AppState>;
