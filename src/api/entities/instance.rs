//! What the node tells clients about itself: GET /api/v1/instance, GET /api/v2/instance and its rules.

use super::account::Account;
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
}

/// Account limits in the v1 document, where only `max_featured_tags` is required.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InstanceV1AccountLimits {
    pub max_featured_tags: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_pinned_statuses: Option<i64>,
}

/// The current instance document (GET /api/v2/instance).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InstanceV2 {
    /// The domain name (no scheme).
    pub domain: String,
    pub title: String,
    /// Mastodon-compatible version string, e.g. `4.3.0 (compatible; Cohort 0.1.0)`.
    pub version: String,
    /// Where the running code's source is (AGPL).
    pub source_url: String,
    pub description: String,
    pub usage: InstanceUsage,
    pub thumbnail: InstanceThumbnail,
    /// Favicons in several sizes; may be empty.
    pub icon: Vec<InstanceIcon>,
    /// ISO 639-1 codes.
    pub languages: Vec<String>,
    pub configuration: InstanceConfiguration,
    pub registrations: InstanceRegistrations,
    pub api_versions: ApiVersions,
    pub contact: InstanceContact,
    pub rules: Vec<Rule>,
}

/// Activity numbers in the v2 instance document.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InstanceUsage {
    pub users: InstanceUsageUsers,
}

/// User activity in the v2 instance document.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InstanceUsageUsers {
    /// Users active in the last 30 days.
    pub active_month: i64,
}

/// The banner image in the v2 instance document.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InstanceThumbnail {
    /// Absolute URL.
    pub url: String,
    pub blurhash: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub versions: Option<ThumbnailVersions>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Banner image URLs by pixel density.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ThumbnailVersions {
    #[serde(rename = "@1x", default, skip_serializing_if = "Option::is_none")]
    pub at_1x: Option<String>,
    #[serde(rename = "@2x", default, skip_serializing_if = "Option::is_none")]
    pub at_2x: Option<String>,
}

/// One favicon size.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InstanceIcon {
    /// URL of the image.
    pub src: String,
    /// `WIDTHxHEIGHT`, e.g. `48x48`.
    pub size: String,
}

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

/// How sign-up works on this node.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InstanceRegistrations {
    pub enabled: bool,
    pub approval_required: bool,
    /// HTML shown when sign-ups are closed.
    pub message: Option<String>,
    /// An external sign-up page.
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_age: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_required: Option<bool>,
}

/// API revision numbers, so clients can detect features.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ApiVersions {
    pub mastodon: i64,
}

/// Who runs the node.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InstanceContact {
    /// Must be a valid e-mail address.
    pub email: String,
    pub account: Option<Account>,
}

/// A rule of the node (GET /api/v1/instance/rules and both instance documents).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Rule {
    pub id: String,
    pub text: String,
    /// Longer explanation; empty when none.
    pub hint: String,
}

/// Example values for the tests in `mod.rs`.
#[cfg(test)]
pub(super) mod examples {
    use super::super::account::examples::account;
    use super::*;

    const VERSION: &str = "4.3.0 (compatible; Cohort 0.1.0)";

    pub fn rule() -> Rule {
        Rule {
            id: "1".into(),
            text: "Share only de-identified data".into(),
            hint: String::new(),
        }
    }

    fn limits() -> (AccountLimits, StatusLimits, MediaLimits, PollLimits) {
        let accounts = AccountLimits {
            max_featured_tags: 10,
            max_pinned_statuses: 5,
            max_display_name_length: None,
            max_note_length: None,
            max_profile_fields: None,
            profile_field_name_limit: None,
            profile_field_value_limit: None,
        };
        let statuses = StatusLimits {
            max_characters: 500,
            max_media_attachments: 4,
            characters_reserved_per_url: 23,
        };
        let media = MediaLimits {
            supported_mime_types: vec!["image/png".into(), "image/jpeg".into()],
            image_size_limit: 16_777_216,
            image_matrix_limit: 33_177_600,
            video_size_limit: 103_809_024,
            video_frame_rate_limit: 120,
            video_matrix_limit: 8_294_400,
            description_limit: None,
        };
        let polls = PollLimits {
            max_options: 4,
            max_characters_per_option: 50,
            min_expiration: 300,
            max_expiration: 2_629_746,
        };
        (accounts, statuses, media, polls)
    }

    pub fn instance_v1() -> InstanceV1 {
        let (accounts, statuses, media_attachments, polls) = limits();
        InstanceV1 {
            uri: "a.example".into(),
            title: "Node A".into(),
            short_description: String::new(),
            description: String::new(),
            email: "admin@a.example".into(),
            version: VERSION.into(),
            urls: InstanceV1Urls {
                streaming_api: "wss://a.example".into(),
            },
            stats: InstanceV1Stats {
                user_count: 1,
                status_count: 0,
                domain_count: 1,
            },
            thumbnail: None,
            languages: vec!["en".into()],
            registrations: false,
            approval_required: false,
            invites_enabled: false,
            configuration: InstanceV1Configuration {
                accounts: InstanceV1AccountLimits {
                    max_featured_tags: accounts.max_featured_tags,
                    max_pinned_statuses: Some(accounts.max_pinned_statuses),
                },
                statuses,
                media_attachments,
                polls,
            },
            contact_account: Some(account()),
            rules: vec![rule()],
        }
    }

    pub fn instance_v2() -> InstanceV2 {
        let (accounts, statuses, media_attachments, polls) = limits();
        InstanceV2 {
            domain: "a.example".into(),
            title: "Node A".into(),
            version: VERSION.into(),
            source_url: "https://a.example/source".into(),
            description: String::new(),
            usage: InstanceUsage {
                users: InstanceUsageUsers { active_month: 1 },
            },
            thumbnail: InstanceThumbnail {
                url: "https://a.example/banner.png".into(),
                blurhash: None,
                versions: None,
                description: None,
            },
            icon: vec![InstanceIcon {
                src: "https://a.example/icon-48.png".into(),
                size: "48x48".into(),
            }],
            languages: vec!["en".into()],
            configuration: InstanceConfiguration {
                urls: ConfigurationUrls {
                    streaming: Some("wss://a.example".into()),
                    status: None,
                    about: None,
                    privacy_policy: None,
                    terms_of_service: None,
                },
                accounts,
                statuses,
                media_attachments,
                polls,
                translation: TranslationConfiguration { enabled: false },
                limited_federation: None,
            },
            registrations: InstanceRegistrations {
                enabled: false,
                approval_required: false,
                message: None,
                url: None,
                min_age: None,
                reason_required: None,
            },
            api_versions: ApiVersions { mastodon: 2 },
            contact: InstanceContact {
                email: "admin@a.example".into(),
                account: None,
            },
            rules: vec![rule()],
        }
    }
}
