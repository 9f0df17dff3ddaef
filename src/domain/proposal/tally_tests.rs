//! Stated results of the decision rules: ties, abstentions, zero votes, one institution, late and
//! changed votes.

use super::{
    rule::{DecisionRule::*, Fraction, Quorum},
    tally::{count, decide, Vote, Why},
    Choice::{self, *},
};

fn v(voter: &str, inst: &str, choice: Choice, at: i64) -> Vote {
    Vote {
        voter: voter.into(),
        institution: inst.into(),
        choice,
        reason: None,
        cast_at: at,
        id: format!("{voter}-{at}"),
    }
}

fn reasoned(mut vote: Vote, why: &str) -> Vote {
    vote.reason = Some(why.into());
    vote
}

const NONE: Quorum = Quorum::Count(0);

fn accepted(rule: super::rule::DecisionRule, votes: &[Vote]) -> bool {
    decide(rule, NONE, 10, &count(votes, None)).accepted
}

#[test]
fn majority() {
    assert!(accepted(
        Majority,
        &[
            v("a", "x", Approve, 1),
            v("b", "x", Object, 1),
            v("c", "y", Approve, 1)
        ]
    ));
    // A tie fails; abstentions count for neither side; no votes fails.
    assert!(!accepted(
        Majority,
        &[v("a", "x", Approve, 1), v("b", "y", Object, 1)]
    ));
    assert!(accepted(
        Majority,
        &[
            v("a", "x", Approve, 1),
            v("b", "y", Abstain, 1),
            v("c", "y", Abstain, 1)
        ]
    ));
    assert!(!accepted(Majority, &[v("a", "x", Abstain, 1)]));
    assert_eq!(
        decide(Majority, NONE, 0, &count(&[], None)).why,
        Why::NoMajority
    );
}

#[test]
fn supermajority() {
    let two_thirds = Supermajority(Fraction::new(2, 3).unwrap());
    let votes = |a: usize, o: usize| -> Vec<Vote> {
        (0..a)
            .map(|i| v(&format!("a{i}"), "x", Approve, 1))
            .chain((0..o).map(|i| v(&format!("o{i}"), "x", Object, 1)))
            .collect()
    };
    assert!(accepted(two_thirds, &votes(2, 1)), "exactly 2/3 passes");
    assert!(!accepted(two_thirds, &votes(3, 2)), "3/5 is short of 2/3");
    assert!(!accepted(two_thirds, &votes(0, 0)), "no votes fails");
    let three_quarters = Supermajority(Fraction::new(3, 4).unwrap());
    assert!(!accepted(three_quarters, &votes(2, 1)));
    assert!(accepted(three_quarters, &votes(3, 1)));
    assert!(
        Fraction::new(3, 2).is_err()
            && Fraction::new(0, 3).is_err()
            && Fraction::new(1, 0).is_err()
    );
}

#[test]
fn consent() {
    // An objection without a reason does not block; one with a reason does.
    assert!(accepted(
        Consent,
        &[v("a", "x", Object, 1), v("b", "x", Abstain, 1)]
    ));
    assert!(accepted(
        Consent,
        &[reasoned(v("a", "x", Object, 1), "   ")]
    ));
    let blocked = [
        v("a", "x", Approve, 1),
        reasoned(v("b", "y", Object, 1), "Sample too small."),
    ];
    assert_eq!(
        decide(Consent, NONE, 2, &count(&blocked, None)).why,
        Why::ReasonedObjections(1)
    );
    // No votes: nobody objected, so consent holds (a quorum is how a group asks for participation).
    assert!(accepted(Consent, &[]));
    // The objection is withdrawn by a changed vote before the close.
    let changed = [
        reasoned(v("b", "y", Object, 1), "Sample too small."),
        v("b", "y", Approve, 2),
    ];
    assert!(accepted(Consent, &changed));
}

#[test]
fn double_majority_members_and_institutions() {
    // Members approve 4 to 3, but only one of three institutions approves.
    let votes = [
        v("a1", "a", Approve, 1),
        v("a2", "a", Approve, 1),
        v("a3", "a", Approve, 1),
        v("a4", "a", Approve, 1),
        v("b1", "b", Object, 1),
        v("b2", "b", Object, 1),
        v("c1", "c", Object, 1),
    ];
    let out = decide(DoubleMajority, NONE, 7, &count(&votes, None));
    assert_eq!(
        out.why,
        Why::NoInstitutionMajority {
            approving: 1,
            deciding: 3
        }
    );
    assert!(
        accepted(Majority, &votes),
        "the same votes pass by simple majority"
    );
    // Members and institutions both approve.
    let both = [
        v("a1", "a", Approve, 1),
        v("b1", "b", Approve, 1),
        v("c1", "c", Object, 1),
        v("c2", "c", Object, 1),
        v("a2", "a", Approve, 1),
    ];
    assert!(accepted(DoubleMajority, &both));
    // A tied institution does not decide: a approves, b is tied, so one of one deciding approves.
    let tied = [
        v("a1", "a", Approve, 1),
        v("b1", "b", Approve, 1),
        v("b2", "b", Object, 1),
    ];
    assert!(accepted(DoubleMajority, &tied));
    // A single institution: the member majority is the institution's position.
    assert!(accepted(
        DoubleMajority,
        &[
            v("a1", "a", Approve, 1),
            v("a2", "a", Object, 1),
            v("a3", "a", Approve, 1)
        ]
    ));
    assert!(!accepted(
        DoubleMajority,
        &[v("a1", "a", Approve, 1), v("a2", "a", Object, 1)]
    ));
    assert!(!accepted(DoubleMajority, &[]));
}

#[test]
fn quorum_counts_abstentions_and_uses_members_when_voting_opened() {
    let votes = [v("a", "x", Approve, 1), v("b", "x", Abstain, 1)];
    let t = count(&votes, None);
    assert!(decide(Majority, Quorum::Count(2), 50, &t).accepted);
    assert_eq!(
        decide(Majority, Quorum::Count(3), 50, &t).why,
        Why::QuorumNotMet {
            needed: 3,
            voted: 2
        }
    );
    let half = Quorum::parse("1/2").unwrap();
    assert!(
        decide(Majority, half, 4, &t).accepted,
        "2 of 4 members is half"
    );
    assert_eq!(
        decide(Majority, half, 5, &t).why,
        Why::QuorumNotMet {
            needed: 3,
            voted: 2
        }
    );
    assert!(Quorum::parse("many").is_err() && Quorum::parse("2/0").is_err());
}

#[test]
fn late_votes_are_not_counted_and_the_last_vote_before_close_counts() {
    let votes = [
        v("a", "x", Approve, 10),
        v("a", "x", Object, 20),
        v("b", "x", Approve, 31),
        v("a", "x", Approve, 40),
    ];
    let t = count(&votes, Some(30));
    assert_eq!(
        (t.total.approve, t.total.object, t.total.voters()),
        (0, 1, 1)
    );
    let t = count(&votes, None);
    assert_eq!((t.total.approve, t.total.object), (2, 0));
}

#[test]
fn rule_text_round_trips() {
    for s in [
        "majority",
        "supermajority:2/3",
        "supermajority:3/4",
        "consent",
        "double-majority",
    ] {
        assert_eq!(super::rule::DecisionRule::parse(s).unwrap().to_string(), s);
    }
    assert_eq!(
        super::rule::DecisionRule::parse("supermajority")
            .unwrap()
            .to_string(),
        "supermajority:2/3"
    );
    assert!(super::rule::DecisionRule::parse("unanimity").is_err());
    assert!(super::rule::DecisionRule::parse("supermajority:4/3").is_err());
}
