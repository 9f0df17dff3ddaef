//! Which lifecycle moves are allowed, to whom, and with what.

use super::{tally::Outcome, ProposalState};
use crate::domain::governance::ScopeLevel;
use ProposalState::*;

/// The one asking for the move, as the group's node sees them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Who {
    pub author: bool,
    /// A lead (moderator) of the group, or an admin of the group's node.
    pub lead: bool,
}

/// What the move is judged on besides the states.
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    /// Votes recorded so far.
    pub votes: u64,
    /// The decision scope's level in the governing document.
    pub scope: ScopeLevel,
    /// What the count decides, when moving out of voting.
    pub outcome: Option<Outcome>,
    /// The reason given for the move.
    pub rationale: Option<&'a str>,
}

/// Why a move is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("a proposal cannot go from {from} to {to}")]
    NotAllowed {
        from: ProposalState,
        to: ProposalState,
    },
    #[error("only {0} may move a proposal to {1}")]
    NotPermitted(&'static str, ProposalState),
    #[error("a proposal cannot be withdrawn once votes have been cast")]
    VotesCast,
    #[error("a proposal is {0} only with a written rationale")]
    RationaleRequired(ProposalState),
    #[error("the vote is binding in an open scope: the count decides {0}")]
    OutcomeMismatch(ProposalState),
    #[error("the scope is reserved to the organization: there is no vote")]
    Reserved,
}

/// Checks the move `from → to` by `who`. Pure: the caller applies it only on `Ok`.
pub fn check(
    from: ProposalState,
    to: ProposalState,
    who: Who,
    facts: &Facts,
) -> Result<(), TransitionError> {
    let allowed = matches!(
        (from, to),
        (Draft, Open)
            | (Draft | Open | Voting, Withdrawn)
            | (Open, Voting)
            | (Voting, Accepted | Rejected)
            | (Accepted, Implemented)
    );
    if !allowed {
        return Err(TransitionError::NotAllowed { from, to });
    }
    let permitted = match to {
        Open => who.author,
        Withdrawn | Voting => who.author || who.lead,
        _ => who.lead,
    };
    if !permitted {
        let whom = match to {
            Open => "the author",
            Withdrawn | Voting => "the author or a lead of the group",
            _ => "a lead of the group",
        };
        return Err(TransitionError::NotPermitted(whom, to));
    }
    if facts.scope == ScopeLevel::Reserved && matches!(to, Open | Voting | Accepted | Rejected) {
        return Err(TransitionError::Reserved);
    }
    if to == Withdrawn && facts.votes > 0 {
        return Err(TransitionError::VotesCast);
    }
    if matches!(to, Accepted | Rejected) {
        if facts.rationale.is_none_or(|r| r.trim().is_empty()) {
            return Err(TransitionError::RationaleRequired(to));
        }
        let counted = facts
            .outcome
            .map(|o| if o.accepted { Accepted } else { Rejected });
        if facts.scope == ScopeLevel::Open && counted.is_some_and(|c| c != to) {
            return Err(TransitionError::OutcomeMismatch(counted.unwrap_or(to)));
        }
    }
    Ok(())
}

/// Only a draft may be edited.
pub fn editable(state: ProposalState) -> bool {
    state == Draft
}

/// Votes are taken only while voting.
pub fn takes_votes(state: ProposalState) -> bool {
    state == Voting
}
