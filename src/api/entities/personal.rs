//! A member's own arrangements: lists, conversations, filters and follow suggestions.

use super::{account::Account, status::Status};
use serde::{Deserialize, Serialize};

/// A list of accounts the member follows (`List`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct List {
    pub id: String,
    pub title: String,
    /// `followed`, `list` or `none`.
    pub replies_policy: String,
    /// Whether the list's accounts are left out of the home timeline.
    pub exclusive: bool,
}

/// A thread of direct statuses the member takes part in (`Conversation`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Conversation {
    pub id: String,
    pub unread: bool,
    /// The other participants.
    pub accounts: Vec<Account>,
    pub last_status: Option<Status>,
}

/// A member's filter (`Filter`); keywords and statuses are left out inside a [`FilterResult`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Filter {
    pub id: String,
    pub title: String,
    pub context: Vec<String>,
    /// Date-time, or `null` for a filter that does not expire.
    pub expires_at: Option<String>,
    pub filter_action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keywords: Option<Vec<FilterKeyword>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statuses: Option<Vec<FilterStatus>>,
}

/// A keyword of a filter (`FilterKeyword`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FilterKeyword {
    pub id: String,
    pub keyword: String,
    pub whole_word: bool,
}

/// A status a filter names (`FilterStatus`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FilterStatus {
    pub id: String,
    pub status_id: String,
}

/// A filter a status matched (`FilterResult`, in `Status.filtered`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FilterResult {
    pub filter: Filter,
    pub keyword_matches: Option<Vec<String>>,
    pub status_matches: Option<Vec<String>>,
}

/// A filter keyword in the v1 shape (`V1::Filter`), for clients that still read it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct V1Filter {
    /// The keyword's id.
    pub id: String,
    pub phrase: String,
    pub context: Vec<String>,
    pub expires_at: Option<String>,
    /// Whether matching posts are dropped (the filter's action is `hide`).
    pub irreversible: bool,
    pub whole_word: bool,
}

/// An account suggested to follow, with why (`sources`; `source` is the older single reason
/// Mastodon still sends).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Suggestion {
    pub source: String,
    pub sources: Vec<String>,
    pub account: Account,
}
