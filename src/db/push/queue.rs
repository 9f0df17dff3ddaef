//! The push queue: one row per subscription and notification, queued in the notification's
//! transaction and claimed with a lease like the delivery queue (`SKIP LOCKED` on PostgreSQL),
//! so a crashed worker's claims return and several processes never send one row twice.

use super::super::{schema::push_deliveries, DbConnection, DbResult};
use diesel::{
    prelude::*,
    sql_types::{BigInt, Integer},
};

/// Waiting to be sent (or re-sent after a failure).
pub const PENDING: &str = "pending";
/// Accepted by the push service (2xx).
pub const DONE: &str = "done";
/// Refused for good by the push service (a 4xx other than 404, 408, 410 and 429).
pub const REFUSED: &str = "refused";
/// Abandoned after `delivery.give_up_after_secs` of failures.
pub const FAILED: &str = "failed";
/// Not sent: the notification was dismissed, or the token revoked, before its turn.
pub const DROPPED: &str = "dropped";

/// One queued push message.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, QueryableByName)]
#[diesel(table_name = push_deliveries)]
pub struct PushRow {
    pub id: String,
    pub subscription_id: String,
    pub notification_id: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: i64,
    pub locked_until: Option<i64>,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Queues a message; one per subscription and notification.
pub fn enqueue(conn: &mut DbConnection, row: &PushRow) -> DbResult<usize> {
    Ok(super::super::insert_or_ignore!(
        conn,
        push_deliveries::table,
        row
    )?)
}

const CLAIM_SQLITE: &str =
    "UPDATE push_deliveries SET locked_until = ?, attempts = attempts + 1, updated_at = ? \
     WHERE id IN (SELECT id FROM push_deliveries WHERE status = 'pending' \
     AND next_attempt_at <= ? AND (locked_until IS NULL OR locked_until < ?) \
     ORDER BY next_attempt_at LIMIT ?) RETURNING *";

const CLAIM_POSTGRES: &str =
    "UPDATE push_deliveries SET locked_until = $1, attempts = attempts + 1, updated_at = $2 \
     WHERE id IN (SELECT id FROM push_deliveries WHERE status = 'pending' \
     AND next_attempt_at <= $3 AND (locked_until IS NULL OR locked_until < $4) \
     ORDER BY next_attempt_at LIMIT $5 FOR UPDATE SKIP LOCKED) RETURNING *";

/// Claims up to `limit` due messages for `lease_ms`; each claim counts as an attempt.
pub fn claim_due(
    conn: &mut DbConnection,
    now: i64,
    lease_ms: i64,
    limit: i32,
) -> DbResult<Vec<PushRow>> {
    let until = now + lease_ms;
    let q = |sql| {
        diesel::sql_query(sql)
            .bind::<BigInt, _>(until)
            .bind::<BigInt, _>(now)
            .bind::<BigInt, _>(now)
            .bind::<BigInt, _>(now)
            .bind::<Integer, _>(limit)
    };
    Ok(match conn {
        DbConnection::Sqlite(c) => crate::db::Kept(q(CLAIM_SQLITE)).load::<PushRow>(c)?,
        DbConnection::Postgresql(c) => crate::db::Kept(q(CLAIM_POSTGRES)).load::<PushRow>(c)?,
    })
}

/// Ends a message with a final status, keeping the push service's status and answer if any.
pub fn finish(
    conn: &mut DbConnection,
    id: &str,
    status: &str,
    last_status: Option<i32>,
    error: Option<&str>,
    now: i64,
) -> DbResult<()> {
    diesel::update(push_deliveries::table.find(id))
        .set((
            push_deliveries::status.eq(status),
            push_deliveries::locked_until.eq(None::<i64>),
            push_deliveries::last_status.eq(last_status),
            push_deliveries::last_error.eq(error),
            push_deliveries::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Releases a failed message to be tried again at `next_attempt_at`.
pub fn retry_at(
    conn: &mut DbConnection,
    id: &str,
    next_attempt_at: i64,
    error: &str,
    now: i64,
) -> DbResult<()> {
    diesel::update(push_deliveries::table.find(id))
        .set((
            push_deliveries::next_attempt_at.eq(next_attempt_at),
            push_deliveries::locked_until.eq(None::<i64>),
            push_deliveries::last_error.eq(Some(error)),
            push_deliveries::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// The messages queued for one notification (tests and diagnostics).
pub fn for_notification(conn: &mut DbConnection, notification_id: &str) -> DbResult<Vec<PushRow>> {
    Ok(push_deliveries::table
        .filter(push_deliveries::notification_id.eq(notification_id))
        .select(PushRow::as_select())
        .load(conn)?)
}

/// The messages queued for one subscription, oldest first (tests and diagnostics).
pub fn for_subscription(conn: &mut DbConnection, subscription_id: &str) -> DbResult<Vec<PushRow>> {
    Ok(push_deliveries::table
        .filter(push_deliveries::subscription_id.eq(subscription_id))
        .order(push_deliveries::id.asc())
        .select(PushRow::as_select())
        .load(conn)?)
}

/// How many messages are waiting (pending).
pub fn pending(conn: &mut DbConnection) -> DbResult<i64> {
    Ok(push_deliveries::table
        .filter(push_deliveries::status.eq(PENDING))
        .count()
        .get_result(conn)?)
}
