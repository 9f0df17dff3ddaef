//! Proposals: what a member asks a group to decide, and the pure rules of their lifecycle.
//!
//! draft → open (discussion) → voting → accepted | rejected, plus withdrawn (before the first vote)
//! and implemented (after acceptance). `lifecycle::check` decides whether a move is allowed;
//! `tally` counts votes and `rule` says what a count decides.

pub mod lifecycle;
pub mod rule;
pub mod tally;
pub mod template;

#[cfg(test)]
mod lifecycle_tests;
#[cfg(test)]
mod tally_props;
#[cfg(test)]
mod tally_tests;

crate::text_enum! {
    /// Where a proposal stands.
    ProposalState {
        Draft => "draft",
        Open => "open",
        Voting => "voting",
        Accepted => "accepted",
        Rejected => "rejected",
        Withdrawn => "withdrawn",
        Implemented => "implemented",
    }
}

impl ProposalState {
    /// How far along the lifecycle the state is (draft 0 … implemented 4): a later word never
    /// moves a proposal to an earlier stage.
    pub fn stage(self) -> u8 {
        use ProposalState::*;
        match self {
            Draft => 0,
            Open => 1,
            Voting => 2,
            Accepted | Rejected | Withdrawn => 3,
            Implemented => 4,
        }
    }

    /// A decided (or abandoned) proposal takes no more votes and no more edits.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            ProposalState::Accepted
                | ProposalState::Rejected
                | ProposalState::Withdrawn
                | ProposalState::Implemented
        )
    }
}

crate::text_enum! {
    /// A member's choice on a proposal; the options of its poll, in this order.
    Choice {
        Approve => "approve",
        Object => "object",
        Abstain => "abstain",
    }
}

impl Choice {
    /// The poll option index of this choice.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The choice at a poll option index.
    pub fn from_index(i: usize) -> Option<Choice> {
        Choice::ALL.get(i).copied()
    }
}

/// What a proposal is about. Groups may define kinds of their own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProposalKind {
    ResearchQuestion,
    ProtocolReview,
    DocumentChange,
    GovernanceRule,
    LeadElection,
    /// A kind the group defines (lowercase letters, digits and dashes).
    Custom(String),
}

impl ProposalKind {
    /// The stored and wire text form.
    pub fn as_str(&self) -> &str {
        match self {
            ProposalKind::ResearchQuestion => "researchQuestion",
            ProposalKind::ProtocolReview => "protocolReview",
            ProposalKind::DocumentChange => "documentChange",
            ProposalKind::GovernanceRule => "governanceRule",
            ProposalKind::LeadElection => "leadElection",
            ProposalKind::Custom(k) => k,
        }
    }

    /// Parses a kind; anything but the built-in names must be a short lowercase slug.
    pub fn parse(s: &str) -> Result<ProposalKind, String> {
        Ok(match s {
            "researchQuestion" => ProposalKind::ResearchQuestion,
            "protocolReview" => ProposalKind::ProtocolReview,
            "documentChange" => ProposalKind::DocumentChange,
            "governanceRule" => ProposalKind::GovernanceRule,
            "leadElection" => ProposalKind::LeadElection,
            other if is_slug(other) => ProposalKind::Custom(other.to_string()),
            other => return Err(format!("unknown proposal kind {other:?}")),
        })
    }
}

/// Lowercase letters, digits and dashes, 1 to 40 characters, starting with a letter.
pub fn is_slug(s: &str) -> bool {
    (1..=40).contains(&s.len())
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

impl TryFrom<String> for ProposalKind {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        ProposalKind::parse(&s)
    }
}

impl From<ProposalKind> for String {
    fn from(k: ProposalKind) -> String {
        k.as_str().to_string()
    }
}

/// What a lead election decides: who, and for how long.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Election {
    /// The candidate's actor id.
    pub candidate: String,
    pub term_days: i32,
}
