//! The Cohort API's JSON shapes for proposals, templates and governance documents. Date-times
//! are RFC 3339 strings; accounts are `acct` (the bare name for local ones, `name@host` else).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A proposal as its reader may see it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Proposal {
    pub id: String,
    /// The status (a post with a poll) that carries it; `null` while it is a draft.
    pub status_id: Option<String>,
    /// Its ActivityPub id, once open.
    pub uri: Option<String>,
    pub url: Option<String>,
    pub group: String,
    pub author: String,
    pub title: String,
    pub body: String,
    pub kind: String,
    pub template: Option<String>,
    pub answers: BTreeMap<String, String>,
    pub decision_rule: String,
    pub quorum: String,
    pub scope: String,
    /// `open`, `shared` or `reserved` under the governing documents (`null` for a peer's group).
    pub scope_level: Option<String>,
    pub state: String,
    pub discussion_days: i32,
    pub voting_days: i32,
    pub members_at_open: Option<i64>,
    pub voting_ends_at: Option<String>,
    pub tally: Tally,
    /// The reader's own vote (`null` when none, or anonymous).
    pub own_vote: Option<OwnVote>,
    pub outcome: Option<String>,
    pub rationale: Option<String>,
    pub decided_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// The count: overall, objections with a reason, and per institution (host).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Tally {
    pub approve: u64,
    pub object: u64,
    pub abstain: u64,
    pub voters: u64,
    pub reasoned_objections: u64,
    pub institutions: BTreeMap<String, Counts>,
}

/// One institution's votes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Counts {
    pub approve: u64,
    pub object: u64,
    pub abstain: u64,
}

/// The reader's vote.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OwnVote {
    pub choice: String,
    pub reason: Option<String>,
}

/// One move in a proposal's lifecycle.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LogEntry {
    pub id: String,
    /// `null` for the drafting.
    pub from: Option<String>,
    pub to: String,
    /// Who made the move (`null` when the account is gone).
    pub actor: Option<String>,
    pub reason: Option<String>,
    pub at: String,
}

/// A template a group publishes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Template {
    pub slug: String,
    pub title: String,
    pub kind: String,
    pub guidance: String,
    pub fields: Vec<TemplateField>,
    pub time_commitment: String,
    pub decision_rule: String,
    pub quorum: String,
    pub scope: String,
    pub discussion_days: u32,
    pub voting_days: u32,
}

/// A field of a template.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TemplateField {
    pub name: String,
    pub label: String,
    pub guidance: String,
    pub required: bool,
}

/// A governance document: the current version and every version, newest first.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Governance {
    /// The group's acct, or the node's organization actor's.
    pub owner: String,
    pub current: GovernanceVersion,
    pub history: Vec<GovernanceVersion>,
}

/// One version of a governance document.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GovernanceVersion {
    pub version: i32,
    /// Decision scope → `open`, `shared` or `reserved`.
    pub scopes: BTreeMap<String, String>,
    pub text: String,
    pub code_of_conduct: String,
    /// The accepted proposal that made this version (`null` for the first).
    pub proposal_id: Option<String>,
    pub created_at: String,
}
