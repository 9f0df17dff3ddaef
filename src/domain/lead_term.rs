//! Terms of group leads (moderators): how long a term may be, and when the role ends.
//!
//! A lead keeps the role through the whole UTC day that contains the end of their term and loses it
//! at the following midnight, so a term never ends in the middle of someone's working day in one
//! time zone and at another hour elsewhere: every node of a consortium agrees on the same instant.

/// One day in milliseconds.
pub const DAY_MS: i64 = 86_400_000;

/// The longest term that may be granted, in days (a hundred years): anything longer is a typo, and
/// the bound keeps the millisecond arithmetic far from overflow.
pub const MAX_TERM_DAYS: i64 = 36_500;

/// Checks a term length in days, for the configuration and the command line alike.
pub fn check_term_days(days: i64) -> Result<u32, String> {
    if days < 1 {
        return Err(format!("a term must be at least 1 day, not {days}"));
    }
    if days > MAX_TERM_DAYS {
        return Err(format!(
            "a term may be at most {MAX_TERM_DAYS} days, not {days}"
        ));
    }
    u32::try_from(days).map_err(|_| format!("{days} days is not a term length"))
}

/// Reads a term length typed by a person (`--term-days 90`).
pub fn parse_term_days(text: &str) -> Result<u32, String> {
    let days = text
        .trim()
        .parse::<i64>()
        .map_err(|_| format!("{text:?} is not a whole number of days"))?;
    check_term_days(days)
}

/// The end of a term of `days` days that starts at `start_ms`.
pub fn term_end(start_ms: i64, days: u32) -> i64 {
    start_ms.saturating_add(i64::from(days).saturating_mul(DAY_MS))
}

/// The first instant at which a lead whose term ends at `term_ends_at_ms` no longer holds the role:
/// the midnight (UTC) after the day that contains the term's end.
pub fn role_ends_at(term_ends_at_ms: i64) -> i64 {
    term_ends_at_ms
        .div_euclid(DAY_MS)
        .saturating_mul(DAY_MS)
        .saturating_add(DAY_MS)
}

/// Whether the role is over at `now_ms`. `None` is a term this node does not know the end of (the
/// copy of a remote group's list): it never ends here.
pub fn term_over(term_ends_at_ms: Option<i64>, now_ms: i64) -> bool {
    term_ends_at_ms.is_some_and(|end| now_ms >= role_ends_at(end))
}

/// The same rule as a bound for a query: at `now_ms`, every term that ends before this instant
/// (the start of the current UTC day) is over.
pub fn over_if_ended_before(now_ms: i64) -> i64 {
    now_ms.div_euclid(DAY_MS).saturating_mul(DAY_MS)
}

#[cfg(test)]
#[path = "lead_term_tests.rs"]
mod tests;
