//! Statuses members scheduled for later: the form as posted (`params`, JSON), published by the
//! scheduler when due. A publication claims its row with a lease (a conditional update), so
//! several processes on one database never publish one twice, and a crashed one's claim returns.

use super::{schema::scheduled_statuses, DbConnection, DbResult};
use diesel::prelude::*;

/// One scheduled status.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = scheduled_statuses)]
pub struct ScheduledRow {
    pub id: String,
    pub user_id: String,
    pub scheduled_at: i64,
    pub params: String,
    pub locked_until: Option<i64>,
    pub created_at: i64,
}

/// Stores a scheduled status.
pub fn insert(conn: &mut DbConnection, row: &ScheduledRow) -> DbResult<()> {
    diesel::insert_into(scheduled_statuses::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// A member's scheduled statuses, newest first, paged by id.
pub fn list(
    conn: &mut DbConnection,
    user_id: &str,
    max_id: Option<&str>,
    min_id: Option<&str>,
    limit: i64,
) -> DbResult<Vec<ScheduledRow>> {
    let mut q = scheduled_statuses::table
        .filter(scheduled_statuses::user_id.eq(user_id))
        .select(ScheduledRow::as_select())
        .into_boxed();
    if let Some(max) = max_id {
        q = q.filter(scheduled_statuses::id.lt(max.to_string()));
    }
    if let Some(min) = min_id {
        q = q.filter(scheduled_statuses::id.gt(min.to_string()));
    }
    Ok(q.order(scheduled_statuses::id.desc())
        .limit(limit)
        .load(conn)?)
}

/// One of a member's scheduled statuses.
pub fn get(conn: &mut DbConnection, user_id: &str, id: &str) -> DbResult<Option<ScheduledRow>> {
    Ok(scheduled_statuses::table
        .filter(scheduled_statuses::user_id.eq(user_id))
        .filter(scheduled_statuses::id.eq(id))
        .select(ScheduledRow::as_select())
        .first(conn)
        .optional()?)
}

/// How many statuses a member has scheduled (all, and for the UTC day of `at`).
pub fn count_of_user(conn: &mut DbConnection, user_id: &str, day_of: Option<i64>) -> DbResult<i64> {
    let mut q = scheduled_statuses::table
        .filter(scheduled_statuses::user_id.eq(user_id))
        .into_boxed();
    if let Some(at) = day_of {
        let start = at - at.rem_euclid(86_400_000);
        q = q
            .filter(scheduled_statuses::scheduled_at.ge(start))
            .filter(scheduled_statuses::scheduled_at.lt(start + 86_400_000));
    }
    Ok(q.count().get_result(conn)?)
}

/// Moves a scheduled status to another time; returns whether it was there to move.
pub fn reschedule(conn: &mut DbConnection, user_id: &str, id: &str, at: i64) -> DbResult<bool> {
    Ok(diesel::update(
        scheduled_statuses::table
            .filter(scheduled_statuses::user_id.eq(user_id))
            .filter(scheduled_statuses::id.eq(id)),
    )
    .set(scheduled_statuses::scheduled_at.eq(at))
    .execute(conn)?
        > 0)
}

/// Deletes a scheduled status (cancelled, or published); returns whether it was there.
pub fn delete(conn: &mut DbConnection, id: &str) -> DbResult<bool> {
    Ok(diesel::delete(scheduled_statuses::table.find(id)).execute(conn)? > 0)
}

/// Ids of up to `limit` statuses due at `now` that no live claim holds.
pub fn due(conn: &mut DbConnection, now: i64, limit: i64) -> DbResult<Vec<String>> {
    Ok(scheduled_statuses::table
        .filter(scheduled_statuses::scheduled_at.le(now))
        .filter(
            scheduled_statuses::locked_until
                .is_null()
                .or(scheduled_statuses::locked_until.lt(now)),
        )
        .order(scheduled_statuses::scheduled_at.asc())
        .limit(limit)
        .select(scheduled_statuses::id)
        .load(conn)?)
}

/// Claims one due status for `lease_ms`: a conditional update that only one process wins.
pub fn claim(
    conn: &mut DbConnection,
    id: &str,
    now: i64,
    lease_ms: i64,
) -> DbResult<Option<ScheduledRow>> {
    let won = diesel::update(
        scheduled_statuses::table
            .filter(scheduled_statuses::id.eq(id))
            .filter(scheduled_statuses::scheduled_at.le(now))
            .filter(
                scheduled_statuses::locked_until
                    .is_null()
                    .or(scheduled_statuses::locked_until.lt(now)),
            ),
    )
    .set(scheduled_statuses::locked_until.eq(Some(now + lease_ms)))
    .execute(conn)?;
    if won == 0 {
        return Ok(None);
    }
    Ok(scheduled_statuses::table
        .find(id)
        .select(ScheduledRow::as_select())
        .first(conn)
        .optional()?)
}
