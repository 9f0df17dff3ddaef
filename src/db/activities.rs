//! Activities this node authored (served by id and in outboxes) and ids of received ones (dedupe).

use super::{
    schema::{activities, received_activities},
    DbConnection, DbResult,
};
use diesel::prelude::*;

/// One activity authored by a local actor, kept as the exact JSON that was sent.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = activities)]
pub struct ActivityRow {
    pub id: String,
    pub ap_id: String,
    pub actor_id: String,
    pub kind: String,
    pub object_ap_id: Option<String>,
    pub payload: String,
    pub public: bool,
    pub created_at: i64,
    /// The post this activity carries, whose audience decides who may fetch the activity.
    pub post_id: Option<String>,
}

/// Stores an authored activity (idempotent on `ap_id`).
pub fn insert(conn: &mut DbConnection, row: &ActivityRow) -> DbResult<()> {
    super::insert_or_ignore!(conn, activities::table, row)?;
    Ok(())
}

/// An authored activity by local id.
pub fn by_id(conn: &mut DbConnection, id: &str) -> DbResult<Option<ActivityRow>> {
    Ok(activities::table
        .find(id)
        .select(ActivityRow::as_select())
        .first(conn)
        .optional()?)
}

/// An actor's newest outbox candidates (activities that carry a post or are public), newest
/// first; the caller keeps those the reader may see.
pub fn outbox_candidates(
    conn: &mut DbConnection,
    actor_id: &str,
    limit: i64,
) -> DbResult<Vec<ActivityRow>> {
    Ok(activities::table
        .filter(activities::actor_id.eq(actor_id))
        .filter(
            activities::public
                .eq(true)
                .or(activities::post_id.is_not_null()),
        )
        .order((activities::created_at.desc(), activities::id.desc()))
        .limit(limit)
        .select(ActivityRow::as_select())
        .load(conn)?)
}

/// Claims a received activity id for processing; `false` when it was already processed or is
/// being processed (a replay or duplicate). A claim older than `lease_ms` that never finished
/// (its process died) is taken over, so the sender's retry is not lost.
///
/// On PostgreSQL, outside a transaction, the claim is one statement that commits without waiting
/// for its WAL to be flushed (`synchronous_commit` off for its own implicit transaction only): it
/// is seen by every other process at once, and a crash can lose it only together with whatever
/// the activity's processing had not yet committed, because a later commit that waits flushes the
/// WAL written before it. A lost claim means the sender's retry is processed, as it should be.
pub fn mark_received(
    conn: &mut DbConnection,
    ap_id: &str,
    now: i64,
    lease_ms: i64,
) -> DbResult<bool> {
    if let DbConnection::Postgresql(c) = conn {
        if !super::in_transaction(c) {
            return claim_without_waiting(c, ap_id, now, lease_ms);
        }
    }
    Ok(insert_received(conn, ap_id, now, false)? || take_over(conn, ap_id, now, lease_ms, false)?)
}

/// Records a received activity as processed, in the transaction of the use case that processes
/// it, before its other writes; `false` when it was processed or is being processed (on
/// PostgreSQL the insert waits for a concurrent transaction that wrote the same id, and finds it
/// taken once that one commits). A claim older than `lease_ms` that never finished is taken over.
pub fn record_received(
    conn: &mut DbConnection,
    ap_id: &str,
    now: i64,
    lease_ms: i64,
) -> DbResult<bool> {
    Ok(insert_received(conn, ap_id, now, true)? || take_over(conn, ap_id, now, lease_ms, true)?)
}

/// Inserts the row of a received activity unless its id is known; answers whether it did.
fn insert_received(conn: &mut DbConnection, ap_id: &str, now: i64, done: bool) -> DbResult<bool> {
    let n = super::insert_or_ignore!(
        conn,
        received_activities::table,
        (
            received_activities::ap_id.eq(ap_id),
            received_activities::received_at.eq(now),
            received_activities::done.eq(done),
        )
    )?;
    Ok(n > 0)
}

/// Takes over a claim on `ap_id` that never finished and is older than `lease_ms`.
fn take_over(
    conn: &mut DbConnection,
    ap_id: &str,
    now: i64,
    lease_ms: i64,
    done: bool,
) -> DbResult<bool> {
    let taken = diesel::update(
        received_activities::table
            .filter(received_activities::ap_id.eq(ap_id))
            .filter(received_activities::done.eq(false))
            .filter(received_activities::received_at.lt(now - lease_ms)),
    )
    .set((
        received_activities::received_at.eq(now),
        received_activities::done.eq(done),
    ))
    .execute(conn)?;
    Ok(taken > 0)
}

/// `mark_received` on PostgreSQL outside a transaction: the claim, or the takeover of an expired
/// one, in one statement whose commit does not wait for the WAL flush. `set_config(…, true)`
/// lasts until the end of the statement's own transaction.
fn claim_without_waiting(
    c: &mut diesel::PgConnection,
    ap_id: &str,
    now: i64,
    lease_ms: i64,
) -> DbResult<bool> {
    use diesel::sql_types::{BigInt, Text};
    let n = super::Kept(
        diesel::sql_query(
            "WITH quick AS (SELECT set_config('synchronous_commit', 'off', true)) \
         INSERT INTO received_activities (ap_id, received_at, done) \
         SELECT $1, $2, false FROM quick \
         ON CONFLICT (ap_id) DO UPDATE SET received_at = EXCLUDED.received_at \
         WHERE received_activities.done = false AND received_activities.received_at < $3",
        )
        .bind::<Text, _>(ap_id)
        .bind::<BigInt, _>(now)
        .bind::<BigInt, _>(now - lease_ms),
    )
    .execute(c)?;
    Ok(n > 0)
}

/// Marks a claimed activity processed: from now on it is a duplicate for good.
pub fn finish_received(conn: &mut DbConnection, ap_id: &str) -> DbResult<()> {
    super::direct!(conn, |c| super::Kept(
        diesel::update(received_activities::table.find(ap_id))
            .set(received_activities::done.eq(true))
    )
    .execute(c))?;
    Ok(())
}

/// Forgets a received id, so that a delivery whose processing failed can be retried.
pub fn unmark_received(conn: &mut DbConnection, ap_id: &str) -> DbResult<()> {
    diesel::delete(received_activities::table.find(ap_id)).execute(conn)?;
    Ok(())
}
