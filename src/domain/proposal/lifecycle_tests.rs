//! Table tests of the lifecycle moves.

use super::{
    lifecycle::{check, Facts, TransitionError as E, Who},
    tally::{Outcome, Why},
    ProposalState::{self, *},
};
use crate::domain::governance::ScopeLevel::{self, Open as OpenScope, Reserved, Shared};

const AUTHOR: Who = Who {
    author: true,
    lead: false,
};
const LEAD: Who = Who {
    author: false,
    lead: true,
};
const OTHER: Who = Who {
    author: false,
    lead: false,
};
const PASSED: Outcome = Outcome {
    accepted: true,
    why: Why::Passed,
};
const FAILED: Outcome = Outcome {
    accepted: false,
    why: Why::NoMajority,
};

fn facts(votes: u64, scope: ScopeLevel, outcome: Option<Outcome>, why: Option<&str>) -> Facts<'_> {
    Facts {
        votes,
        scope,
        outcome,
        rationale: why,
    }
}

#[test]
fn moves() {
    type Case<'a> = (ProposalState, ProposalState, Who, Facts<'a>, Result<(), E>);
    let ok = Ok(());
    let cases: Vec<Case> = vec![
        (
            Draft,
            Open,
            AUTHOR,
            facts(0, OpenScope, None, None),
            ok.clone(),
        ),
        (
            Draft,
            Open,
            LEAD,
            facts(0, OpenScope, None, None),
            Err(E::NotPermitted("the author", Open)),
        ),
        (
            Draft,
            Open,
            AUTHOR,
            facts(0, Reserved, None, None),
            Err(E::Reserved),
        ),
        (
            Draft,
            Voting,
            AUTHOR,
            facts(0, OpenScope, None, None),
            Err(E::NotAllowed {
                from: Draft,
                to: Voting,
            }),
        ),
        (
            Open,
            Voting,
            AUTHOR,
            facts(0, OpenScope, None, None),
            ok.clone(),
        ),
        (Open, Voting, LEAD, facts(0, Shared, None, None), ok.clone()),
        (
            Open,
            Voting,
            OTHER,
            facts(0, OpenScope, None, None),
            Err(E::NotPermitted("the author or a lead of the group", Voting)),
        ),
        (
            Draft,
            Withdrawn,
            AUTHOR,
            facts(0, OpenScope, None, None),
            ok.clone(),
        ),
        (
            Open,
            Withdrawn,
            LEAD,
            facts(0, OpenScope, None, None),
            ok.clone(),
        ),
        (
            Voting,
            Withdrawn,
            AUTHOR,
            facts(0, OpenScope, None, None),
            ok.clone(),
        ),
        (
            Voting,
            Withdrawn,
            AUTHOR,
            facts(1, OpenScope, None, None),
            Err(E::VotesCast),
        ),
        (
            Voting,
            Accepted,
            LEAD,
            facts(3, OpenScope, Some(PASSED), Some("Clear support.")),
            ok.clone(),
        ),
        (
            Voting,
            Accepted,
            LEAD,
            facts(3, OpenScope, Some(PASSED), None),
            Err(E::RationaleRequired(Accepted)),
        ),
        (
            Voting,
            Rejected,
            LEAD,
            facts(3, OpenScope, Some(FAILED), Some("  ")),
            Err(E::RationaleRequired(Rejected)),
        ),
        (
            Voting,
            Accepted,
            AUTHOR,
            facts(3, OpenScope, Some(PASSED), Some("x")),
            Err(E::NotPermitted("a lead of the group", Accepted)),
        ),
        (
            Voting,
            Accepted,
            LEAD,
            facts(3, OpenScope, Some(FAILED), Some("x")),
            Err(E::OutcomeMismatch(Rejected)),
        ),
        (
            Voting,
            Rejected,
            LEAD,
            facts(3, OpenScope, Some(PASSED), Some("x")),
            Err(E::OutcomeMismatch(Accepted)),
        ),
        // In a shared scope the vote advises: the organization may decide otherwise, with a rationale.
        (
            Voting,
            Accepted,
            LEAD,
            facts(3, Shared, Some(FAILED), Some("Funds allow it.")),
            ok.clone(),
        ),
        (
            Voting,
            Rejected,
            LEAD,
            facts(3, Shared, Some(PASSED), Some("No budget this year.")),
            ok.clone(),
        ),
        (
            Accepted,
            Implemented,
            LEAD,
            facts(3, OpenScope, None, None),
            ok.clone(),
        ),
        (
            Rejected,
            Implemented,
            LEAD,
            facts(3, OpenScope, None, None),
            Err(E::NotAllowed {
                from: Rejected,
                to: Implemented,
            }),
        ),
        (
            Withdrawn,
            Open,
            AUTHOR,
            facts(0, OpenScope, None, None),
            Err(E::NotAllowed {
                from: Withdrawn,
                to: Open,
            }),
        ),
        (
            Accepted,
            Rejected,
            LEAD,
            facts(3, OpenScope, Some(FAILED), Some("x")),
            Err(E::NotAllowed {
                from: Accepted,
                to: Rejected,
            }),
        ),
        (
            Implemented,
            Draft,
            AUTHOR,
            facts(0, OpenScope, None, None),
            Err(E::NotAllowed {
                from: Implemented,
                to: Draft,
            }),
        ),
        (
            Open,
            Open,
            AUTHOR,
            facts(0, OpenScope, None, None),
            Err(E::NotAllowed {
                from: Open,
                to: Open,
            }),
        ),
    ];
    for (from, to, who, f, want) in cases {
        assert_eq!(check(from, to, who, &f), want, "{from} → {to} by {who:?}");
    }
}

#[test]
fn every_pair_of_states_is_judged_and_final_states_go_nowhere_but_implemented() {
    let lead_and_author = Who {
        author: true,
        lead: true,
    };
    for from in ProposalState::ALL {
        for to in ProposalState::ALL {
            let r = check(
                *from,
                *to,
                lead_and_author,
                &facts(0, Shared, None, Some("why")),
            );
            if from.is_final() && !(*from == Accepted && *to == Implemented) {
                assert!(
                    matches!(r, Err(E::NotAllowed { .. })),
                    "{from} → {to}: {r:?}"
                );
            }
        }
    }
}

#[test]
fn state_text_round_trips() {
    for s in ProposalState::ALL {
        assert_eq!(s.as_str().parse::<ProposalState>(), Ok(*s));
    }
    assert!("closed".parse::<ProposalState>().is_err());
}
