//! Statuses (posts) and what hangs off them: media, mentions, tags, polls, emojis, link cards.
//!
//! The status itself is here; its edit history and source are in `versions.rs`, media in
//! `media.rs`, polls in `poll.rs`, mentions, tags, emojis, cards and context in `parts.rs`.

mod media;
mod parts;
mod poll;
mod versions;

use super::account::Account;
pub use media::{MediaAttachment, MediaFocus, MediaMeta, MediaType, MetaDetails};
pub use parts::{Context, CustomEmoji, PreviewCard, PreviewCardAuthor, StatusMention, StatusTag};
pub use poll::{Poll, PollOption};
use serde::{Deserialize, Serialize};
pub use versions::{StatusEdit, StatusSource};

/// A post as timelines, threads and status endpoints return it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Status {
    pub id: String,
    /// The ActivityPub object id.
    pub uri: String,
    /// Date-time (RFC 3339).
    pub created_at: String,
    pub account: Account,
    /// HTML body.
    pub content: String,
    pub visibility: StatusVisibility,
    pub sensitive: bool,
    /// Content warning; empty when none.
    pub spoiler_text: String,
    pub media_attachments: Vec<MediaAttachment>,
    pub mentions: Vec<StatusMention>,
    pub tags: Vec<StatusTag>,
    pub emojis: Vec<CustomEmoji>,
    pub reblogs_count: i64,
    pub favourites_count: i64,
    pub replies_count: i64,
    /// The HTML page of the post.
    pub url: Option<String>,
    pub in_reply_to_id: Option<String>,
    pub in_reply_to_account_id: Option<String>,
    /// The boosted status, when this one is a boost.
    pub reblog: Option<Box<Status>>,
    pub poll: Option<Poll>,
    pub card: Option<PreviewCard>,
    /// ISO 639-1 code.
    pub language: Option<String>,
    /// Date-time of the last edit.
    pub edited_at: Option<String>,
    /// The posting app; Mastodon shows it only on the author's own posts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application: Option<StatusApplication>,
    /// Plain-text source; only in answers to deletion (for "delete and redraft").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quotes_count: Option<i64>,
    // Viewer-specific: sent when a user is signed in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub favourited: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reblogged: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub muted: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bookmarked: Option<bool>,
    /// Only on the user's own posts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pinned: Option<bool>,
    /// The reader's filters this status matched (signed-in readers, where a filter applies).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filtered: Option<Vec<super::personal::FilterResult>>,
}

/// Who may see a status (Mastodon's four levels; unrelated to `domain::policy::Visibility`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StatusVisibility {
    Public,
    Unlisted,
    Private,
    Direct,
}

/// The app a status was posted from (`Status.application`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StatusApplication {
    pub name: String,
    pub website: Option<String>,
}

/// Example values for the tests in `mod.rs`.
#[cfg(test)]
pub(super) mod examples;
/// The example status, apart for its size.
#[cfg(test)]
mod examples_status;
