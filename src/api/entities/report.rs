//! The `Report` entity: what a member is answered when reporting, and what an admin or moderator
//! sees in an `admin.report` notification.

use super::Account;
use serde::{Deserialize, Serialize};

/// A report of an account (and some of its statuses).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    pub id: String,
    /// Whether an action was taken (the report was resolved).
    pub action_taken: bool,
    /// Date-time (RFC 3339) of the action, or `null`.
    pub action_taken_at: Option<String>,
    /// `spam`, `legal`, `violation` or `other`.
    pub category: String,
    pub comment: String,
    /// Whether it was sent on to the reported account's node.
    pub forwarded: bool,
    /// Date-time (RFC 3339).
    pub created_at: String,
    pub status_ids: Option<Vec<String>>,
    pub rule_ids: Option<Vec<String>>,
    pub collection_ids: Option<Vec<String>>,
    pub target_account: Account,
}

#[cfg(test)]
pub(super) mod examples {
    use super::*;

    pub fn report() -> Report {
        Report {
            id: "01JD8Y6W3X0000000000000030".into(),
            action_taken: false,
            action_taken_at: None,
            category: "spam".into(),
            comment: "Spam account".into(),
            forwarded: false,
            created_at: "2026-11-21T10:00:00.000Z".into(),
            status_ids: Some(vec!["01JD8Y6W3X0000000000000031".into()]),
            rule_ids: None,
            collection_ids: Some(vec![]),
            target_account: super::super::account::examples::account(),
        }
    }
}
