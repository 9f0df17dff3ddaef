//! The limits and settings clients use to shape their compose screens (v2 `configuration`).

use serde::{Deserialize, Serialize};

/// Limits and settings clients use to shape their compose screens (v2).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InstanceConfiguration {
    pub urls: ConfigurationUrls,
    pub accounts: AccountLimits,
    pub statuses: StatusLimits,
    pub media_attachments: MediaLimits,
    pub polls: PollLimits,
    pub translation: TranslationConfiguration,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limited_federation: Option<bool>,
    /// The node's VAPID public key for Web Push.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vapid: Option<VapidConfiguration>,
}

/// `configuration.vapid`: the key push services see on the node's messages.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VapidConfiguration {
    pub public_key: String,
}

/// Service URLs in the v2 configuration (all optional).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ConfigurationUrls {
    /// The streaming API base, e.g. `wss://cohort.example`.
    pub streaming: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub about: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privacy_policy: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms_of_service: Option<String>,
}

/// Account limits in the v2 configuration.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccountLimits {
    pub max_featured_tags: i64,
    pub max_pinned_statuses: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_display_name_length: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_note_length: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_profile_fields: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_field_name_limit: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_field_value_limit: Option<i64>,
}

/// Status limits.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StatusLimits {
    pub max_characters: i64,
    pub max_media_attachments: i64,
    /// Characters a link counts for, whatever its length.
    pub characters_reserved_per_url: i64,
}

/// Media upload limits.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MediaLimits {
    pub supported_mime_types: Vec<String>,
    /// Bytes.
    pub image_size_limit: i64,
    /// Pixels (width × height).
    pub image_matrix_limit: i64,
    /// Bytes.
    pub video_size_limit: i64,
    pub video_frame_rate_limit: i64,
    /// Pixels (width × height).
    pub video_matrix_limit: i64,
    /// Characters of alt text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description_limit: Option<i64>,
}

/// Poll limits.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PollLimits {
    pub max_options: i64,
    pub max_characters_per_option: i64,
    /// Seconds.
    pub min_expiration: i64,
    /// Seconds.
    pub max_expiration: i64,
}

/// Whether the translation endpoint works.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TranslationConfiguration {
    pub enabled: bool,
}
