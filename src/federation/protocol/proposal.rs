//! The Cohort terms a proposal's `Question` carries (in Cohort's JSON-LD context), beside the
//! FEP-9967 poll that Mastodon apps show.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `proposalState`, `decisionRule`, … — all absent on a post that is not a proposal.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProposalTerms {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposal_state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposal_kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_rule: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quorum: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_scope: Option<String>,
    /// The template the proposal was made from (its slug in the group).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposal_template: Option<String>,
    /// Days of discussion and of voting the author asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discussion_days: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voting_days: Option<i32>,
    /// What the kind decides besides the text: a lead election's `{candidate, termDays}`, a
    /// governance rule's new document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposal_payload: Option<Value>,
    /// Group members when voting opened (the quorum's base).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members_at_open: Option<i64>,
    /// The count: `{total: {approve, object, abstain}, reasoned_objections, institutions}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tally: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// A member's request that the group move the proposal (with `rationale` as the reason).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested_state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<String>,
}

impl ProposalTerms {
    /// Whether the object is a proposal.
    pub fn is_proposal(&self) -> bool {
        self.proposal_state.is_some()
    }
}

/// A proposal template as a group publishes it (its `templates` collection).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApubTemplate {
    pub slug: String,
    pub name: String,
    pub proposal_kind: String,
    pub guidance: String,
    #[serde(default)]
    pub fields: Vec<crate::domain::proposal::template::Field>,
    pub time_commitment: String,
    pub decision_rule: String,
    pub quorum: String,
    pub decision_scope: String,
    pub discussion_days: u32,
    pub voting_days: u32,
}
