//! The remaining entities: notifications, markers, OAuth apps and tokens, search, preferences, errors.

use super::account::Account;
use super::status::{Status, StatusVisibility};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Something that happened to the user (a follow, a mention, a boost…).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Notification {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: NotificationType,
    /// Date-time (RFC 3339).
    pub created_at: String,
    /// Groups similar notifications; Mastodon uses `ungrouped-{id}` for ones it does not group.
    pub group_key: String,
    /// Who caused it.
    pub account: Account,
    /// The status concerned, for mention, status, reblog, favourite, poll and update.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// The report, for `admin.report`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<super::Report>,
}

/// The kinds of notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotificationType {
    Mention,
    Status,
    Reblog,
    Follow,
    FollowRequest,
    Favourite,
    Poll,
    Update,
    #[serde(rename = "admin.sign_up")]
    AdminSignUp,
    #[serde(rename = "admin.report")]
    AdminReport,
    SeveredRelationships,
    ModerationWarning,
    Quote,
    QuotedUpdate,
    AddedToCollection,
    CollectionUpdate,
}

/// A saved reading position in one timeline.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Marker {
    /// Id of the last status or notification read.
    pub last_read_id: String,
    /// Incremented on every save (optimistic locking).
    pub version: i64,
    /// Date-time (RFC 3339).
    pub updated_at: String,
}

/// GET/POST /api/v1/markers answer: a marker per requested timeline, keys absent when unset.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Markers {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home: Option<Marker>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notifications: Option<Marker>,
}

/// A registered client app, as GET /api/v1/apps/verify_credentials shows it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Application {
    pub id: String,
    pub name: String,
    pub website: Option<String>,
    /// Scope names (each one of the description's OAuth scopes).
    pub scopes: Vec<String>,
    /// All redirect URIs joined by newlines (deprecated, still required).
    pub redirect_uri: String,
    pub redirect_uris: Vec<String>,
    /// The node's Web Push public key (deprecated, still required; may be empty).
    pub vapid_key: String,
}

/// The answer to POST /api/v1/apps: the app plus its client credentials.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CredentialApplication {
    #[serde(flatten)]
    pub application: Application,
    pub client_id: String,
    pub client_secret: String,
    /// Unix seconds; Mastodon sends 0 for "never".
    pub client_secret_expires_at: Option<i64>,
}

/// The answer to POST /oauth/token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Token {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Granted scopes, space-separated.
    pub scope: String,
    /// Unix seconds.
    pub created_at: i64,
}

/// Results of GET /api/v2/search.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Search {
    pub accounts: Vec<Account>,
    pub statuses: Vec<Status>,
    pub hashtags: Vec<Tag>,
}

/// A hashtag with its usage history (search, followed tags, trends); not the short `StatusTag`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Tag {
    pub id: String,
    /// Without `#`.
    pub name: String,
    pub url: String,
    pub history: Vec<TagHistory>,
    /// Viewer-specific: sent when a user is signed in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub following: Option<bool>,
}

/// Daily use of a hashtag. All three values are strings of digits.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TagHistory {
    /// Unix seconds of the day's start, as a string.
    pub day: String,
    pub uses: String,
    pub accounts: String,
}

/// The user's preferences (GET /api/v1/preferences), keyed with colons as Mastodon does.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Preferences {
    #[serde(rename = "posting:default:visibility")]
    pub posting_default_visibility: StatusVisibility,
    #[serde(rename = "posting:default:sensitive")]
    pub posting_default_sensitive: bool,
    /// ISO 639-1 code.
    #[serde(rename = "posting:default:language")]
    pub posting_default_language: Option<String>,
    #[serde(rename = "reading:expand:media")]
    pub reading_expand_media: ExpandMedia,
    #[serde(rename = "reading:expand:spoilers")]
    pub reading_expand_spoilers: bool,
}

/// When clients should show sensitive media.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExpandMedia {
    Default,
    ShowAll,
    HideAll,
}

/// The error body for every 4xx/5xx answer, except 422 where the endpoint uses `ValidationError`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Error {
    pub error: String,
    /// OAuth endpoints add a longer explanation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_description: Option<String>,
}

/// The 422 body of endpoints whose description uses it: a message plus problems by field name.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ValidationError {
    pub error: String,
    /// Field name → problems; may be empty.
    pub details: BTreeMap<String, Vec<ValidationDetail>>,
}

/// One problem with one field.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ValidationDetail {
    /// A code such as `ERR_BLANK` or `ERR_INVALID`.
    pub error: String,
    pub description: String,
}

/// Example values for the tests in `mod.rs`.
#[cfg(test)]
pub(super) mod examples {
    use super::super::{account::examples::account, status::examples::status};
    use super::*;

    const T: &str = "2026-11-21T10:00:00.000Z";

    pub fn notification() -> Notification {
        Notification {
            id: "01JD8Y6W3X0000000000000020".into(),
            kind: NotificationType::FollowRequest,
            created_at: T.into(),
            group_key: "ungrouped-01JD8Y6W3X0000000000000020".into(),
            account: account(),
            status: Some(status()),
            report: None,
        }
    }

    pub fn marker() -> Marker {
        Marker {
            last_read_id: "01JD8Y6W3X0000000000000012".into(),
            version: 1,
            updated_at: T.into(),
        }
    }

    pub fn application() -> Application {
        Application {
            id: "01JD8Y6W3X0000000000000021".into(),
            name: "toot".into(),
            website: Some("https://toot.bezdomni.net".into()),
            scopes: vec!["read".into(), "write".into(), "follow".into()],
            redirect_uri: "urn:ietf:wg:oauth:2.0:oob".into(),
            redirect_uris: vec!["urn:ietf:wg:oauth:2.0:oob".into()],
            vapid_key: String::new(),
        }
    }

    pub fn credential_application() -> CredentialApplication {
        CredentialApplication {
            application: application(),
            client_id: "client-id".into(),
            client_secret: "client-secret".into(),
            client_secret_expires_at: Some(0),
        }
    }

    pub fn token() -> Token {
        Token {
            access_token: "token".into(),
            token_type: "Bearer".into(),
            scope: "read write follow".into(),
            created_at: 1_795_255_200,
        }
    }

    pub fn search() -> Search {
        Search {
            accounts: vec![account()],
            statuses: vec![status()],
            hashtags: vec![Tag {
                id: "01JD8Y6W3X0000000000000022".into(),
                name: "biobank".into(),
                url: "https://a.example/tags/biobank".into(),
                history: vec![TagHistory {
                    day: "1795219200".into(),
                    uses: "3".into(),
                    accounts: "2".into(),
                }],
                following: None,
            }],
        }
    }

    pub fn preferences() -> Preferences {
        Preferences {
            posting_default_visibility: StatusVisibility::Public,
            posting_default_sensitive: false,
            posting_default_language: None,
            reading_expand_media: ExpandMedia::Default,
            reading_expand_spoilers: false,
        }
    }

    pub fn error() -> Error {
        Error {
            error: "Record not found".into(),
            error_description: None,
        }
    }

    pub fn validation_error() -> ValidationError {
        let problem = ValidationDetail {
            error: "ERR_BLANK".into(),
            description: "can't be blank".into(),
        };
        ValidationError {
            error: "Validation failed: Username can't be blank".into(),
            details: [("username".to_string(), vec![problem])].into(),
        }
    }
}

/// The extended description or the privacy policy of the instance (both have this shape).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InstanceText {
    /// Date-time (RFC 3339) of the last change.
    pub updated_at: String,
    /// HTML.
    pub content: String,
}

/// Accounts the user follows that also follow the account `id`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FamiliarFollowers {
    pub id: String,
    pub accounts: Vec<Account>,
}

/// A hashtag featured on a profile. `statuses_count` is a string of digits, as Mastodon sends it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FeaturedTag {
    pub id: String,
    pub name: String,
    pub url: String,
    pub statuses_count: String,
    /// The day (`YYYY-MM-DD`) of the newest post using it, if any.
    pub last_status_at: Option<String>,
}

/// One week of the node's activity; every number is a string of digits, as Mastodon sends them
/// (`week` is the Unix time of the week's Monday 00:00 UTC).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WeeklyActivity {
    pub week: String,
    pub statuses: String,
    pub logins: String,
    pub registrations: String,
}
