//! A poll attached to a status and its options.

use super::CustomEmoji;
use serde::{Deserialize, Serialize};

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
