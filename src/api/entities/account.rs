//! Accounts as clients see them: profiles, the signed-in user's own view, and relationships.
//!
//! Fields the description marks optional come in two kinds here: those Mastodon always sends are
//! plain `Option`s (serialized as `null`), those it sends only sometimes are skipped when `None`.

use super::status::{CustomEmoji, StatusVisibility};
use serde::{Deserialize, Serialize};

/// A local or remote actor (person or group) as every account-returning endpoint shows it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Account {
    pub id: String,
    /// Local name, without the domain.
    pub username: String,
    /// `username` for local accounts, `username@domain` for remote ones.
    pub acct: String,
    /// The ActivityPub actor id.
    pub uri: String,
    /// The HTML profile page; Mastodon always sends it.
    pub url: Option<String>,
    pub display_name: String,
    /// Profile bio as HTML.
    pub note: String,
    /// Absolute URL of the avatar image (a default image when the account has none).
    pub avatar: String,
    pub avatar_static: String,
    /// Absolute URL of the header image (a default image when the account has none).
    pub header: String,
    pub header_static: String,
    /// Follows need approval.
    pub locked: bool,
    pub bot: bool,
    /// `true` for groups: following one joins it.
    pub group: bool,
    pub discoverable: Option<bool>,
    pub indexable: bool,
    pub hide_collections: Option<bool>,
    pub fields: Vec<Field>,
    pub emojis: Vec<CustomEmoji>,
    /// Date-time (RFC 3339).
    pub created_at: String,
    /// A date (`YYYY-MM-DD`), not a date-time.
    pub last_status_at: Option<String>,
    pub statuses_count: i64,
    pub followers_count: i64,
    pub following_count: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub noindex: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<AccountRole>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moved: Option<Box<Account>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspended: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limited: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memorial: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar_description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_description: Option<String>,
}

/// The signed-in user's own account (verify/update credentials): an account plus its editable source.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CredentialAccount {
    #[serde(flatten)]
    pub account: Account,
    pub source: AccountSource,
    /// Required; users without a role get Mastodon's default "everyone" role.
    pub role: Role,
}

/// The plain-text profile and posting defaults, so clients can edit them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccountSource {
    /// Bio as plain text.
    pub note: String,
    /// Profile fields as plain text.
    pub fields: Vec<Field>,
    /// Default visibility of new posts.
    pub privacy: StatusVisibility,
    /// Default sensitivity of new posts.
    pub sensitive: bool,
    /// Default language (ISO 639-1).
    pub language: Option<String>,
    pub discoverable: Option<bool>,
    pub indexable: bool,
    pub hide_collections: Option<bool>,
    pub follow_requests_count: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution_domains: Option<Vec<String>>,
}

/// A profile metadata row (name/value pair).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Field {
    pub name: String,
    /// HTML in `Account.fields`, plain text in `AccountSource.fields`.
    pub value: String,
    /// Date-time when the link in `value` was verified.
    pub verified_at: Option<String>,
}

/// The user's permission role, as `CredentialAccount.role` requires it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Role {
    pub id: String,
    pub name: String,
    /// Hex colour such as `#ff3838`, or empty.
    pub color: String,
    /// Permission bit flags as a decimal string.
    pub permissions: String,
    /// Shown as a badge on the profile.
    pub highlighted: bool,
}

/// A role badge displayed on a public profile (`Account.roles`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccountRole {
    pub id: String,
    pub name: String,
    pub color: String,
}

/// How the signed-in user and one other account relate (follow buttons, mute/block state).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Relationship {
    /// The other account's id.
    pub id: String,
    pub following: bool,
    pub showing_reblogs: bool,
    pub notifying: bool,
    /// Languages the user follows the account in; `null` for all.
    pub languages: Option<Vec<String>>,
    pub followed_by: bool,
    pub blocking: bool,
    pub blocked_by: bool,
    pub muting: bool,
    pub muting_notifications: bool,
    /// Date-time when a temporary mute ends.
    pub muting_expires_at: Option<String>,
    /// A follow request from the user is pending.
    pub requested: bool,
    /// A follow request to the user is pending.
    pub requested_by: bool,
    pub domain_blocking: bool,
    pub endorsed: bool,
    /// The user's private note on the account (empty when none).
    pub note: String,
}

/// Example values for the tests in `mod.rs`.
#[cfg(test)]
pub(super) mod examples {
    use super::super::status::examples::emoji;
    use super::*;

    pub fn field() -> Field {
        Field {
            name: "ORCID".into(),
            value: "0000-0002-1825-0097".into(),
            verified_at: None,
        }
    }

    pub fn account() -> Account {
        let img = "https://a.example/avatars/original/missing.png".to_string();
        Account {
            id: "01JD8Y6W3X0000000000000000".into(),
            username: "alice".into(),
            acct: "alice".into(),
            uri: "https://a.example/users/alice".into(),
            url: Some("https://a.example/@alice".into()),
            display_name: "Alice".into(),
            note: "<p>Biobank WG</p>".into(),
            avatar: img.clone(),
            avatar_static: img.clone(),
            header: img.clone(),
            header_static: img,
            locked: false,
            bot: false,
            group: false,
            discoverable: Some(true),
            indexable: false,
            hide_collections: None,
            fields: vec![field()],
            emojis: vec![emoji()],
            created_at: "2026-11-21T10:00:00.000Z".into(),
            last_status_at: Some("2026-11-21".into()),
            statuses_count: 1,
            followers_count: 2,
            following_count: 3,
            noindex: None,
            roles: None,
            moved: None,
            suspended: None,
            limited: None,
            memorial: None,
            avatar_description: None,
            header_description: None,
        }
    }

    pub fn account_role() -> AccountRole {
        AccountRole {
            id: "3".into(),
            name: "Admin".into(),
            color: String::new(),
        }
    }

    pub fn credential_account() -> CredentialAccount {
        CredentialAccount {
            account: account(),
            source: AccountSource {
                note: "Biobank WG".into(),
                fields: vec![field()],
                privacy: StatusVisibility::Unlisted,
                sensitive: false,
                language: None,
                discoverable: Some(true),
                indexable: false,
                hide_collections: None,
                follow_requests_count: 0,
                attribution_domains: None,
            },
            role: Role {
                id: "-99".into(),
                name: String::new(),
                color: String::new(),
                permissions: "65536".into(),
                highlighted: false,
            },
        }
    }

    pub fn relationship() -> Relationship {
        Relationship {
            id: "01JD8Y6W3X0000000000000001".into(),
            following: true,
            showing_reblogs: true,
            notifying: false,
            languages: None,
            followed_by: false,
            blocking: false,
            blocked_by: false,
            muting: false,
            muting_notifications: false,
            muting_expires_at: None,
            requested: false,
            requested_by: false,
            domain_blocking: false,
            endorsed: false,
            note: String::new(),
        }
    }
}
