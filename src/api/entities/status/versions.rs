//! A status's versions: one entry of its edit history, and its plain source text for editing.

use super::{CustomEmoji, MediaAttachment};
use crate::api::entities::account::Account;
use serde::{Deserialize, Serialize};

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
