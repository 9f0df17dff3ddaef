//! The node's weekly activity (`weekly_activity`): local statuses, members signing in and new
//! members per week, bumped where each event is written (in the slot of who acted, see
//! `db::slots`), so reading twelve weeks reads at most twelve rows per slot. `weekly_logins` keeps who signed in during the current weeks, so each member counts once.

use super::{
    direct,
    fixed::{Bind, Fixed, Template},
    insert_or_ignore,
    schema::{weekly_activity, weekly_logins},
    DbConnection, DbResult,
};
use diesel::prelude::*;

const DAY: i64 = 86_400_000;
/// One week in milliseconds.
pub const WEEK: i64 = 7 * DAY;
/// How many weeks are kept and shown.
pub const WEEKS: i64 = 12;

/// The start (Monday 00:00 UTC, in milliseconds) of the week that contains `ms`. The Unix epoch
/// was a Thursday: Mondays fall 4 days after it, modulo a week.
pub fn week_of(ms: i64) -> i64 {
    ms - (ms - 4 * DAY).rem_euclid(WEEK)
}

/// Which counter an event bumps.
#[derive(Debug, Clone, Copy)]
pub enum Counter {
    Statuses,
    Logins,
    Registrations,
}

/// One event more, by the member or actor `who`, in the week that contains `at`.
pub fn bump(conn: &mut DbConnection, counter: Counter, at: i64, who: &str) -> DbResult<()> {
    let (week, slot) = (week_of(at), super::slots::slot_of(who));
    let binds = vec![Bind::Int(week), Bind::Int4(slot)];
    direct!(conn, |c| match counter {
        Counter::Statuses => Fixed::<BumpStatuses>::new(binds).execute(c),
        Counter::Logins => Fixed::<BumpLogins>::new(binds).execute(c),
        Counter::Registrations => Fixed::<BumpRegistrations>::new(binds).execute(c),
    })?;
    Ok(())
}

/// One more of a week's counter in a slot, in one statement (the slot's row made if new).
macro_rules! bump_template {
    ($name:ident, $column:literal) => {
        struct $name;
        impl Template for $name {
            const SQL: &'static str = concat!(
                "INSERT INTO weekly_activity (week, slot, ",
                $column,
                ") VALUES (?, ?, 1) ON CONFLICT (week, slot) DO UPDATE SET ",
                $column,
                " = weekly_activity.",
                $column,
                " + 1"
            );
            type SqlType = ();
        }
    };
}
bump_template!(BumpStatuses, "statuses");
bump_template!(BumpLogins, "logins");
bump_template!(BumpRegistrations, "registrations");

/// `user` signed in at `at`: counted once per week. Returns whether this was the member's first
/// sign-in of that week. Sign-ins of weeks no longer shown are forgotten.
pub fn login(conn: &mut DbConnection, user: &str, at: i64) -> DbResult<bool> {
    let week = week_of(at);
    let first = insert_or_ignore!(
        conn,
        weekly_logins::table,
        (
            weekly_logins::week.eq(week),
            weekly_logins::user_id.eq(user)
        )
    )? > 0;
    if first {
        bump(conn, Counter::Logins, at, user)?;
        diesel::delete(weekly_logins::table.filter(weekly_logins::week.lt(week - WEEKS * WEEK)))
            .execute(conn)?;
    }
    Ok(first)
}

/// The stored weeks from `since` to `until` (week starts): (week, statuses, logins,
/// registrations). Weeks without any event are absent.
pub fn weeks(
    conn: &mut DbConnection,
    since: i64,
    until: i64,
) -> DbResult<Vec<(i64, i64, i64, i64)>> {
    let rows: Vec<(i64, i64, i64, i64)> = weekly_activity::table
        .filter(weekly_activity::week.ge(since))
        .filter(weekly_activity::week.le(until))
        .select((
            weekly_activity::week,
            weekly_activity::statuses,
            weekly_activity::logins,
            weekly_activity::registrations,
        ))
        .load(conn)?;
    let mut weeks = std::collections::BTreeMap::<i64, (i64, i64, i64)>::new();
    for (week, statuses, logins, registrations) in rows {
        let sum = weeks.entry(week).or_default();
        *sum = (sum.0 + statuses, sum.1 + logins, sum.2 + registrations);
    }
    Ok(weeks
        .into_iter()
        .rev()
        .map(|(week, (s, l, r))| (week, s, l, r))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_monday_midnight_utc() {
        // 2026-12-05 (a Saturday) 17:00 UTC falls in the week of Monday 2026-11-30.
        let (saturday, monday) = (1_796_490_000_000, 1_795_996_800_000);
        assert_eq!(week_of(saturday), monday);
        assert_eq!(week_of(monday), monday);
        assert_eq!(week_of(monday - 1), monday - WEEK);
        assert_eq!(week_of(monday + WEEK - 1), monday);
        // Mastodon's documented example week (Monday 2019-11-25).
        assert_eq!(week_of(1_574_640_000_000 + 3 * DAY), 1_574_640_000_000);
    }
}
