//! Property tests: the count and the decision do not depend on the order votes arrive in.

use super::{
    rule::{DecisionRule, Fraction, Quorum},
    tally::{count, decide, Vote},
    Choice,
};
use proptest::prelude::*;

fn vote() -> impl Strategy<Value = Vote> {
    (0..6u8, 0..3usize, 0..50i64, any::<bool>()).prop_map(|(voter, c, at, why)| Vote {
        voter: format!("v{voter}"),
        // A member belongs to one institution.
        institution: format!("i{}", voter % 3),
        choice: Choice::ALL[c],
        reason: why.then(|| "a reason".to_string()),
        cast_at: at,
        id: format!("{voter}-{at}-{c}-{why}"),
    })
}

fn rules() -> Vec<DecisionRule> {
    vec![
        DecisionRule::Majority,
        DecisionRule::Supermajority(Fraction { num: 2, den: 3 }),
        DecisionRule::Consent,
        DecisionRule::DoubleMajority,
    ]
}

proptest! {
    #[test]
    fn order_does_not_matter(votes in proptest::collection::vec(vote(), 0..30), seed in any::<u64>(), close in proptest::option::of(0..50i64)) {
        let mut shuffled = votes.clone();
        // A deterministic shuffle driven by the seed.
        let mut s = seed;
        for i in (1..shuffled.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (s >> 33) as usize % (i + 1));
        }
        let (a, b) = (count(&votes, close), count(&shuffled, close));
        prop_assert_eq!(&a, &b);
        let mut reversed = votes.clone();
        reversed.reverse();
        prop_assert_eq!(&a, &count(&reversed, close));
        for rule in rules() {
            prop_assert_eq!(decide(rule, Quorum::Count(2), 6, &a), decide(rule, Quorum::Count(2), 6, &b));
        }
        // One counted vote per voter at most.
        prop_assert!(a.total.voters() <= 6);
    }
}
