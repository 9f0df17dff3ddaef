//! Table tests of lead terms: the day boundary (exactly midnight, the last millisecond of a day),
//! the query bound agreeing with the rule, and term lengths.

use super::*;

/// 2026-12-01T00:00:00.000Z.
const DEC_1: i64 = 1_796_083_200_000;
const DEC_2: i64 = DEC_1 + DAY_MS;

#[test]
fn the_role_ends_at_the_midnight_after_the_terms_day() {
    for (term_end, role_end, what) in [
        (
            DEC_1,
            DEC_2,
            "a term ending exactly at midnight covers that whole day",
        ),
        (DEC_1 + 1, DEC_2, "one millisecond into the day"),
        (DEC_1 + 12 * 3_600_000, DEC_2, "noon"),
        (DEC_2 - 1, DEC_2, "the last millisecond of the day"),
        (
            DEC_2,
            DEC_2 + DAY_MS,
            "the next midnight starts the next day",
        ),
        (0, DAY_MS, "the epoch"),
        (-1, 0, "the last millisecond before the epoch"),
    ] {
        assert_eq!(role_ends_at(term_end), role_end, "{what}");
    }
}

#[test]
fn a_term_is_over_from_that_midnight_on() {
    for (term_end, now, over, what) in [
        (Some(DEC_1), DEC_1, false, "on the term's last instant"),
        (
            Some(DEC_1),
            DEC_2 - 1,
            false,
            "the last millisecond of its last day",
        ),
        (Some(DEC_1), DEC_2, true, "the midnight after"),
        (
            Some(DEC_2 - 1),
            DEC_2 - 1,
            false,
            "ending on the day's last millisecond",
        ),
        (
            Some(DEC_2 - 1),
            DEC_2,
            true,
            "and over one millisecond later",
        ),
        (Some(DEC_1 + 5), DEC_1 - 5, false, "before the term ends"),
        (Some(DEC_1), DEC_2 + 10 * DAY_MS, true, "long after"),
        (None, i64::MAX, false, "no known end never ends"),
    ] {
        assert_eq!(term_over(term_end, now), over, "{what}");
    }
}

#[test]
fn the_query_bound_agrees_with_the_rule() {
    let instants = [
        DEC_1 - 1,
        DEC_1,
        DEC_1 + 1,
        DEC_2 - 1,
        DEC_2,
        DEC_2 + 1,
        0,
        -1,
    ];
    for term_end in instants {
        for now in instants {
            assert_eq!(
                term_end < over_if_ended_before(now),
                term_over(Some(term_end), now),
                "term ending {term_end} at {now}"
            );
        }
    }
}

#[test]
fn term_lengths() {
    for (text, expected) in [
        ("1", Ok(1)),
        ("365", Ok(365)),
        (" 30 ", Ok(30)),
        ("36500", Ok(36_500)),
        ("0", Err("at least 1 day")),
        ("-3", Err("at least 1 day")),
        ("36501", Err("at most 36500 days")),
        ("ten", Err("not a whole number of days")),
        ("1.5", Err("not a whole number of days")),
        ("", Err("not a whole number of days")),
    ] {
        match (parse_term_days(text), expected) {
            (Ok(days), Ok(want)) => assert_eq!(days, want, "{text:?}"),
            (Err(e), Err(want)) => assert!(e.contains(want), "{text:?}: {e}"),
            (got, want) => panic!("{text:?}: {got:?}, expected {want:?}"),
        }
    }
    assert_eq!(term_end(DEC_1, 1), DEC_2);
    assert_eq!(term_end(i64::MAX - 1, 10), i64::MAX, "saturates");
}
