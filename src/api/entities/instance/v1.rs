//! The v1 instance document (GET /api/v1/instance), which older clients and libraries still read.

use super::{MediaLimits, PollLimits, Rule, StatusLimits};
use crate::api::entities::account::Account;
use serde::{Deserialize, Serialize};

/// The legacy instance document (GET /api/v1/instance); older clients and libraries still read it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InstanceV1 {
    /// The domain name (no scheme).
    pub uri: String,
    pub title: String,
    pub short_description: String,
    pub description: String,
    /// Contact address; must be a valid e-mail address.
    pub email: String,
    /// Mastodon-compatible version string, e.g. `4.3.0 (compatible; Cohort 0.1.0)`.
    pub version: String,
    pub urls: InstanceV1Urls,
    pub stats: InstanceV1Stats,
    /// Absolute URL of the banner image.
    pub thumbnail: Option<String>,
    /// ISO 639-1 codes.
    pub languages: Vec<String>,
    /// Sign-ups are open.
    pub registrations: bool,
    pub approval_required: bool,
    pub invites_enabled: bool,
    pub configuration: InstanceV1Configuration,
    pub contact_account: Option<Account>,
    pub rules: Vec<Rule>,
}

/// URLs in the v1 instance document.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InstanceV1Urls {
    /// The streaming API base, e.g. `wss://cohort.example`.
    pub streaming_api: String,
}

/// Counters in the v1 instance document.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InstanceV1Stats {
    pub user_count: i64,
    pub status_count: i64,
    /// Known domains (peers).
    pub domain_count: i64,
}

/// Limits in the v1 instance document (v2 adds `translation` and `urls`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InstanceV1Configuration {
    pub accounts: InstanceV1AccountLimits,
    pub statuses: StatusLimits,
    pub media_attachments: MediaLimits,
    pub polls: PollLimits,
    /// The node's VAPID public key for Web Push.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vapid: Option<super::configuration::VapidConfiguration>,
}

/// Account limits in the v1 document, where only `max_featured_tags` is required.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InstanceV1AccountLimits {
    pub max_featured_tags: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_pinned_statuses: Option<i64>,
}
