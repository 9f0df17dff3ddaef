//! What a status mentions and links to: accounts, hashtags, custom emojis, link preview cards,
//! and the thread around it (context).

use super::Status;
use crate::api::entities::account::Account;
use serde::{Deserialize, Serialize};

/// An account mentioned in a status.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StatusMention {
    pub id: String,
    pub username: String,
    pub acct: String,
    /// Profile page URL.
    pub url: String,
}

/// A hashtag used in a status (name without `#`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StatusTag {
    pub name: String,
    /// The tag's page URL.
    pub url: String,
}
/// A thread around one status (GET /api/v1/statuses/:id/context).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Context {
    pub ancestors: Vec<Status>,
    pub descendants: Vec<Status>,
}

/// A custom emoji used in names, bios and posts (Cohort has none of its own yet).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CustomEmoji {
    pub shortcode: String,
    pub url: String,
    pub static_url: String,
    pub visible_in_picker: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
}

/// A link preview (`Status.card`); Cohort does not build them yet, so handlers send `null`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PreviewCard {
    pub url: String,
    pub title: String,
    pub description: String,
    /// `link`, `photo`, `video` or `rich`.
    #[serde(rename = "type")]
    pub kind: String,
    pub authors: Vec<PreviewCardAuthor>,
    pub author_name: String,
    pub author_url: String,
    pub provider_name: String,
    pub provider_url: String,
    pub html: String,
    pub width: i64,
    pub height: i64,
    pub embed_url: String,
    pub image: Option<String>,
    pub blurhash: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<String>,
}

/// An author credited on a link preview.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PreviewCardAuthor {
    pub name: String,
    pub url: String,
    pub account: Option<Account>,
}
