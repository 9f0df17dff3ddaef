//! Statuses (posts) and what hangs off them: media, mentions, tags, polls, emojis, link cards.

use super::account::Account;
use serde::{Deserialize, Serialize};

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

/// An uploaded or remote media file attached to a status.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MediaAttachment {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: MediaType,
    /// Absolute URL of the file; `null` while still processing.
    pub url: Option<String>,
    pub preview_url: Option<String>,
    /// The original URL, for remote media.
    pub remote_url: Option<String>,
    pub meta: Option<MediaMeta>,
    /// Alt text.
    pub description: Option<String>,
    pub blurhash: Option<String>,
}

/// The kind of a media attachment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaType {
    Unknown,
    Image,
    Gifv,
    Video,
    Audio,
}

/// Dimensions and focal point of a media attachment.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MediaMeta {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original: Option<MetaDetails>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub small: Option<MetaDetails>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub focus: Option<MediaFocus>,
}

/// Size details of one rendition of a media file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MetaDetails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aspect: Option<f64>,
    /// Seconds, for audio and video.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<f64>,
    /// A string such as `"30/1"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frame_rate: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bitrate: Option<i64>,
}

/// Focal point for cropping, each coordinate in -1.0..=1.0.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MediaFocus {
    pub x: Option<f64>,
    pub y: Option<f64>,
}

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

/// A poll attached to a status; Cohort proposals are posts with polls.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Poll {
    pub id: String,
    /// Date-time when voting ends; `null` for no end.
    pub expires_at: Option<String>,
    pub expired: bool,
    pub multiple: bool,
    pub votes_count: i64,
    /// Distinct voters; `null` when the poll is single-choice.
    pub voters_count: Option<i64>,
    pub options: Vec<PollOption>,
    pub emojis: Vec<CustomEmoji>,
    /// Viewer-specific: sent when a user is signed in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voted: Option<bool>,
    /// Indexes into `options` the user chose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub own_votes: Option<Vec<i64>>,
}

/// One choice in a poll.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PollOption {
    pub title: String,
    /// `null` while results are hidden.
    pub votes_count: Option<i64>,
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

/// Example values for the tests in `mod.rs`.
#[cfg(test)]
pub(super) mod examples {
    use super::super::account::examples::account;
    use super::*;

    pub fn emoji() -> CustomEmoji {
        CustomEmoji {
            shortcode: "dna".into(),
            url: "https://a.example/emoji/dna.png".into(),
            static_url: "https://a.example/emoji/dna.png".into(),
            visible_in_picker: true,
            category: None,
        }
    }

    pub fn poll() -> Poll {
        Poll {
            id: "01JD8Y6W3X0000000000000010".into(),
            expires_at: Some("2026-11-28T10:00:00.000Z".into()),
            expired: false,
            multiple: false,
            votes_count: 1,
            voters_count: None,
            options: vec![PollOption {
                title: "Adopt".into(),
                votes_count: Some(1),
            }],
            emojis: vec![],
            voted: Some(true),
            own_votes: Some(vec![0]),
        }
    }

    fn media() -> MediaAttachment {
        let details = MetaDetails {
            width: Some(640),
            height: Some(480),
            aspect: Some(1.333),
            duration: None,
            frame_rate: None,
            bitrate: None,
        };
        MediaAttachment {
            id: "01JD8Y6W3X0000000000000011".into(),
            kind: MediaType::Image,
            url: Some("https://a.example/media/1.png".into()),
            preview_url: Some("https://a.example/media/1-small.png".into()),
            remote_url: None,
            meta: Some(MediaMeta {
                original: Some(details.clone()),
                small: Some(details),
                focus: Some(MediaFocus {
                    x: Some(0.0),
                    y: Some(0.0),
                }),
            }),
            description: Some("Sample flow chart".into()),
            blurhash: None,
        }
    }

    pub fn status() -> Status {
        Status {
            id: "01JD8Y6W3X0000000000000012".into(),
            uri: "https://a.example/posts/01JD8Y6W3X0000000000000012".into(),
            created_at: "2026-11-21T10:00:00.000Z".into(),
            account: account(),
            content: "<p>Draft protocol is up for review</p>".into(),
            visibility: StatusVisibility::Public,
            sensitive: false,
            spoiler_text: String::new(),
            media_attachments: vec![media()],
            mentions: vec![StatusMention {
                id: "01JD8Y6W3X0000000000000013".into(),
                username: "biobank".into(),
                acct: "biobank@b.example".into(),
                url: "https://b.example/groups/biobank".into(),
            }],
            tags: vec![StatusTag {
                name: "biobank".into(),
                url: "https://a.example/tags/biobank".into(),
            }],
            emojis: vec![emoji()],
            reblogs_count: 0,
            favourites_count: 0,
            replies_count: 0,
            url: Some("https://a.example/@alice/01JD8Y6W3X0000000000000012".into()),
            in_reply_to_id: None,
            in_reply_to_account_id: None,
            reblog: None,
            poll: Some(poll()),
            card: None,
            language: Some("en".into()),
            edited_at: None,
            application: Some(StatusApplication {
                name: "toot".into(),
                website: None,
            }),
            text: None,
            quotes_count: None,
            favourited: Some(false),
            reblogged: Some(false),
            muted: Some(false),
            bookmarked: Some(false),
            pinned: None,
        }
    }

    pub fn preview_card() -> PreviewCard {
        PreviewCard {
            url: "https://x.example/article".into(),
            title: "Article".into(),
            description: String::new(),
            kind: "link".into(),
            authors: vec![PreviewCardAuthor {
                name: "Carol".into(),
                url: "https://x.example/carol".into(),
                account: None,
            }],
            author_name: "Carol".into(),
            author_url: "https://x.example/carol".into(),
            provider_name: "X".into(),
            provider_url: "https://x.example".into(),
            html: String::new(),
            width: 0,
            height: 0,
            embed_url: String::new(),
            image: None,
            blurhash: None,
            published_at: None,
        }
    }
}

/// One version of a status in its edit history (oldest first).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StatusEdit {
    pub content: String,
    pub spoiler_text: String,
    pub sensitive: bool,
    /// Date-time this version was published.
    pub created_at: String,
    pub account: Account,
    pub media_attachments: Vec<MediaAttachment>,
    pub emojis: Vec<CustomEmoji>,
}

/// The plain text of a status, for editing.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StatusSource {
    pub id: String,
    pub text: String,
    pub spoiler_text: String,
}
