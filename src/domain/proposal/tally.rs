//! Counting a proposal's votes and deciding it by its rule.
//!
//! A vote cast after the close is not counted; a member's last vote before the close is the one
//! that counts (a changed vote replaces the earlier one). The count depends only on the set of
//! votes, never on the order they arrived in.

use super::{
    rule::{DecisionRule, Quorum},
    Choice,
};
use std::collections::BTreeMap;

/// One vote as the group's node recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vote {
    /// The voter's actor id.
    pub voter: String,
    /// The voter's institution (their node's host).
    pub institution: String,
    pub choice: Choice,
    /// The stated reason (objections under consent need one to block).
    pub reason: Option<String>,
    /// When it was cast, ms since the epoch.
    pub cast_at: i64,
    /// The vote's id: breaks ties between votes cast in the same millisecond.
    pub id: String,
}

impl Vote {
    fn has_reason(&self) -> bool {
        self.reason.as_deref().is_some_and(|r| !r.trim().is_empty())
    }
}

/// Approvals, objections and abstentions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Counts {
    pub approve: u64,
    pub object: u64,
    pub abstain: u64,
}

impl Counts {
    fn add(&mut self, c: Choice) {
        match c {
            Choice::Approve => self.approve += 1,
            Choice::Object => self.object += 1,
            Choice::Abstain => self.abstain += 1,
        }
    }

    /// Everyone who took part, abstentions included.
    pub fn voters(&self) -> u64 {
        self.approve + self.object + self.abstain
    }

    /// The majority of approvals and objections; `None` on a tie (or when all abstained).
    pub fn position(&self) -> Option<Choice> {
        use std::cmp::Ordering::*;
        match self.approve.cmp(&self.object) {
            Greater => Some(Choice::Approve),
            Less => Some(Choice::Object),
            Equal => None,
        }
    }
}

/// The counted votes: overall, objections with a stated reason, and per institution.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Tally {
    pub total: Counts,
    pub reasoned_objections: u64,
    pub institutions: BTreeMap<String, Counts>,
}

/// Counts `votes`, leaving out those cast after `closes_at`.
pub fn count(votes: &[Vote], closes_at: Option<i64>) -> Tally {
    let mut last: BTreeMap<&str, &Vote> = BTreeMap::new();
    for v in votes
        .iter()
        .filter(|v| closes_at.is_none_or(|c| v.cast_at <= c))
    {
        let newer = last
            .get(v.voter.as_str())
            .is_none_or(|old| (v.cast_at, &v.id) > (old.cast_at, &old.id));
        if newer {
            last.insert(&v.voter, v);
        }
    }
    let mut tally = Tally::default();
    for v in last.values() {
        tally.total.add(v.choice);
        tally
            .institutions
            .entry(v.institution.clone())
            .or_default()
            .add(v.choice);
        if v.choice == Choice::Object && v.has_reason() {
            tally.reasoned_objections += 1;
        }
    }
    tally
}

/// Why a proposal passed or failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    Passed,
    QuorumNotMet {
        needed: u64,
        voted: u64,
    },
    /// Approvals do not outnumber objections (a tie, or no decisive votes).
    NoMajority,
    /// Approvals fell short of the supermajority.
    BelowThreshold,
    /// Objections with a stated reason stand.
    ReasonedObjections(u64),
    /// A majority of members approved, but not a majority of institutions.
    NoInstitutionMajority {
        approving: u64,
        deciding: u64,
    },
}

/// What the count decides under the rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    pub accepted: bool,
    pub why: Why,
}

/// Decides `tally` under `rule`, given the quorum and the member count when voting opened.
pub fn decide(rule: DecisionRule, quorum: Quorum, members_at_open: u64, tally: &Tally) -> Outcome {
    let t = &tally.total;
    let needed = quorum.required(members_at_open);
    let why = if t.voters() < needed {
        Why::QuorumNotMet {
            needed,
            voted: t.voters(),
        }
    } else {
        match rule {
            DecisionRule::Majority if t.position() != Some(Choice::Approve) => Why::NoMajority,
            DecisionRule::Supermajority(f) if !f.reached(t.approve, t.approve + t.object) => {
                Why::BelowThreshold
            }
            DecisionRule::Consent if tally.reasoned_objections > 0 => {
                Why::ReasonedObjections(tally.reasoned_objections)
            }
            DecisionRule::DoubleMajority => double_majority(tally),
            _ => Why::Passed,
        }
    };
    Outcome {
        accepted: why == Why::Passed,
        why,
    }
}

/// Members first, then institutions: an institution decides when its members' approvals and
/// objections are not tied; a majority of the deciding ones must approve.
fn double_majority(tally: &Tally) -> Why {
    if tally.total.position() != Some(Choice::Approve) {
        return Why::NoMajority;
    }
    let positions: Vec<Choice> = tally
        .institutions
        .values()
        .filter_map(Counts::position)
        .collect();
    let approving = positions.iter().filter(|p| **p == Choice::Approve).count() as u64;
    let deciding = positions.len() as u64;
    if approving * 2 > deciding {
        Why::Passed
    } else {
        Why::NoInstitutionMajority {
            approving,
            deciding,
        }
    }
}
