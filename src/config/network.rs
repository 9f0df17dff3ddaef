//! The config sections for how this node deals with peers and apps: `[federation]`, `[delivery]`,
//! `[api]` and `[polls]`.

use crate::domain::policy::{FederationMode, PeerLevel};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Federation policy and protocol bounds.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FederationConfig {
    pub mode: FederationMode,
    /// Development mode: http:// URLs, explicit ports and loopback peers are allowed.
    pub debug: bool,
    pub max_clock_skew_secs: u64,
    pub request_timeout_secs: u64,
    /// Inbound activities processed at once.
    pub inbox_workers: usize,
    /// Inbound activities that may wait for a worker; beyond, inboxes answer 503.
    pub inbox_queue: usize,
    /// The `Retry-After` (seconds) of an inbox's 503.
    pub inbox_retry_after_secs: u64,
    /// Remote actors whose parsed signing keys are kept in memory.
    pub key_cache_entries: u64,
    /// Peers and their levels, applied to the peer table at every start.
    pub peers: BTreeMap<String, PeerLevel>,
}

impl Default for FederationConfig {
    fn default() -> Self {
        Self {
            mode: FederationMode::Allowlist,
            debug: false,
            max_clock_skew_secs: 300,
            request_timeout_secs: 10,
            inbox_workers: 32,
            inbox_queue: 256,
            inbox_retry_after_secs: 5,
            key_cache_entries: 10_000,
            peers: BTreeMap::new(),
        }
    }
}

/// The persistent outbound queue's pacing.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DeliveryConfig {
    pub workers: usize,
    pub poll_interval_ms: u64,
    pub retry_base_secs: u64,
    pub max_backoff_secs: u64,
    pub dead_after_failures: u32,
    pub dead_retry_secs: u64,
    pub give_up_after_secs: u64,
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        Self {
            workers: 16,
            poll_interval_ms: 500,
            retry_base_secs: 10,
            max_backoff_secs: 3600,
            dead_after_failures: 8,
            dead_retry_secs: 3600,
            give_up_after_secs: 7 * 24 * 3600,
        }
    }
}

/// The Mastodon-compatible client API.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ApiConfig {
    /// Allow OAuth's password grant (apps that log in without a browser, such as scripts).
    pub password_grant: bool,
    /// Requests per token (or per IP address without a token) in each 5-minute window.
    pub rate_limit_per_5min: u32,
    /// How often, in seconds, statuses scheduled by members are published when due.
    pub scheduled_interval_secs: u64,
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self {
            password_grant: true,
            rate_limit_per_5min: 3000,
            scheduled_interval_secs: 30,
        }
    }
}

/// Polls (the options of proposals).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PollsConfig {
    /// Shortest allowed poll, in seconds.
    pub min_expiration_secs: i64,
    /// Longest allowed poll, in seconds.
    pub max_expiration_secs: i64,
    /// How often changed results of local polls are sent to peers (`Update(Question)`) and ended
    /// polls are closed (final results sent, voters notified).
    pub results_interval_secs: u64,
}

impl Default for PollsConfig {
    fn default() -> Self {
        Self {
            min_expiration_secs: 300,
            max_expiration_secs: 2_629_746,
            results_interval_secs: 60,
        }
    }
}
