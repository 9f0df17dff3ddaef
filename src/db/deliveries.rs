//! The persistent outbound queue: one row per (shared) inbox and activity.
//!
//! Rows are claimed with a lease (`locked_until`), so a crashed worker's claims expire and are
//! retried; on PostgreSQL the claim uses `FOR UPDATE SKIP LOCKED`, so several processes can work
//! one queue without two of them sending the same row.

use super::{schema::deliveries, DbConnection, DbResult, Kept};
use diesel::{
    prelude::*,
    sql_types::{BigInt, Integer},
};

/// Waiting to be sent (or re-sent after a failure).
pub const PENDING: &str = "pending";
/// Accepted by the peer (2xx).
pub const DONE: &str = "done";
/// Refused by the peer for good (a 4xx other than 408 and 429); its status and the start of its
/// answer are kept in `last_status` and `last_error`.
pub const REFUSED: &str = "refused";
/// Abandoned after `give_up_after_secs` of failures.
pub const FAILED: &str = "failed";
/// Dropped by policy at send time (the peer was blocked meanwhile).
pub const DROPPED: &str = "dropped";

/// One queued delivery.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, QueryableByName)]
#[diesel(table_name = deliveries)]
pub struct DeliveryRow {
    pub id: String,
    pub peer: String,
    pub inbox: String,
    pub actor_ap_id: String,
    pub activity_ap_id: String,
    pub payload: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: i64,
    pub locked_until: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    /// The HTTP status of a peer's refusal.
    pub last_status: Option<i32>,
}

/// Queues deliveries in one statement; a row for the same inbox and activity is kept only once.
pub fn enqueue(conn: &mut DbConnection, rows: &[DeliveryRow]) -> DbResult<usize> {
    use super::many_rows::{self, Value};
    if rows.is_empty() {
        return Ok(0);
    }
    match conn {
        DbConnection::Postgresql(c) => Ok(enqueue_postgres(c, rows)?),
        DbConnection::Sqlite(c) => {
            let columns = [
                "id",
                "peer",
                "inbox",
                "actor_ap_id",
                "activity_ap_id",
                "payload",
                "status",
                "attempts",
                "next_attempt_at",
                "locked_until",
                "last_error",
                "created_at",
                "updated_at",
                "last_status",
            ];
            Ok(many_rows::insert(
                c,
                "deliveries",
                &columns,
                true,
                rows,
                |r| {
                    vec![
                        Value::Text(&r.id),
                        Value::Text(&r.peer),
                        Value::Text(&r.inbox),
                        Value::Text(&r.actor_ap_id),
                        Value::Text(&r.activity_ap_id),
                        Value::Text(&r.payload),
                        Value::Text(&r.status),
                        Value::Int(r.attempts),
                        Value::BigInt(r.next_attempt_at),
                        Value::NullableBigInt(r.locked_until),
                        Value::NullableText(r.last_error.as_deref()),
                        Value::BigInt(r.created_at),
                        Value::BigInt(r.updated_at),
                        Value::NullableInt(r.last_status),
                    ]
                },
            )?)
        }
    }
}

/// `enqueue` on PostgreSQL: the rows as one array per column, so that the statement's text is
/// the same for any number of rows and stays prepared.
fn enqueue_postgres(c: &mut diesel::PgConnection, rows: &[DeliveryRow]) -> QueryResult<usize> {
    use diesel::sql_types::{Array, Nullable, Text};
    let texts = |f: fn(&DeliveryRow) -> &str| rows.iter().map(f).collect::<Vec<_>>();
    Kept(
        diesel::sql_query(
            "INSERT INTO deliveries (id, peer, inbox, actor_ap_id, activity_ap_id, payload, \
             status, attempts, next_attempt_at, locked_until, last_error, created_at, \
             updated_at, last_status) \
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], \
             $6::text[], $7::text[], $8::int4[], $9::int8[], $10::int8[], $11::text[], \
             $12::int8[], $13::int8[], $14::int4[]) \
             ON CONFLICT DO NOTHING",
        )
        .bind::<Array<Text>, _>(texts(|r| &r.id))
        .bind::<Array<Text>, _>(texts(|r| &r.peer))
        .bind::<Array<Text>, _>(texts(|r| &r.inbox))
        .bind::<Array<Text>, _>(texts(|r| &r.actor_ap_id))
        .bind::<Array<Text>, _>(texts(|r| &r.activity_ap_id))
        .bind::<Array<Text>, _>(texts(|r| &r.payload))
        .bind::<Array<Text>, _>(texts(|r| &r.status))
        .bind::<Array<Integer>, _>(rows.iter().map(|r| r.attempts).collect::<Vec<_>>())
        .bind::<Array<BigInt>, _>(rows.iter().map(|r| r.next_attempt_at).collect::<Vec<_>>())
        .bind::<Array<Nullable<BigInt>>, _>(rows.iter().map(|r| r.locked_until).collect::<Vec<_>>())
        .bind::<Array<Nullable<Text>>, _>(
            rows.iter()
                .map(|r| r.last_error.as_deref())
                .collect::<Vec<_>>(),
        )
        .bind::<Array<BigInt>, _>(rows.iter().map(|r| r.created_at).collect::<Vec<_>>())
        .bind::<Array<BigInt>, _>(rows.iter().map(|r| r.updated_at).collect::<Vec<_>>())
        .bind::<Array<Nullable<Integer>>, _>(
            rows.iter().map(|r| r.last_status).collect::<Vec<_>>(),
        ),
    )
    .execute(c)
}

const CLAIM_SQLITE: &str =
    "UPDATE deliveries SET locked_until = ?, attempts = attempts + 1, updated_at = ? \
     WHERE id IN (SELECT id FROM deliveries WHERE status = 'pending' AND next_attempt_at <= ? \
     AND (locked_until IS NULL OR locked_until < ?) ORDER BY next_attempt_at LIMIT ?) \
     RETURNING *";

const CLAIM_POSTGRES: &str =
    "UPDATE deliveries SET locked_until = $1, attempts = attempts + 1, updated_at = $2 \
     WHERE id IN (SELECT id FROM deliveries WHERE status = 'pending' AND next_attempt_at <= $3 \
     AND (locked_until IS NULL OR locked_until < $4) ORDER BY next_attempt_at LIMIT $5 \
     FOR UPDATE SKIP LOCKED) RETURNING *";

/// `CLAIM_POSTGRES` outside a transaction: its commit does not wait for the WAL flush
/// (`synchronous_commit` off for the statement's own implicit transaction). A claim lost in a
/// crash returns its rows to the queue, as the crash would anyway.
const CLAIM_POSTGRES_QUICK: &str =
    "UPDATE deliveries SET locked_until = $1, attempts = attempts + 1, updated_at = $2 \
     FROM (SELECT set_config('synchronous_commit', 'off', true)) AS quick \
     WHERE id IN (SELECT id FROM deliveries WHERE status = 'pending' AND next_attempt_at <= $3 \
     AND (locked_until IS NULL OR locked_until < $4) ORDER BY next_attempt_at LIMIT $5 \
     FOR UPDATE SKIP LOCKED) RETURNING deliveries.*";

/// Claims up to `limit` due deliveries for `lease_ms`; each claim counts as an attempt. The rows
/// come back most overdue first (an `UPDATE … RETURNING` returns them in no set order).
pub fn claim_due(
    conn: &mut DbConnection,
    now: i64,
    lease_ms: i64,
    limit: i32,
) -> DbResult<Vec<DeliveryRow>> {
    let until = now + lease_ms;
    let q = |sql| {
        Kept(
            diesel::sql_query(sql)
                .bind::<BigInt, _>(until)
                .bind::<BigInt, _>(now)
                .bind::<BigInt, _>(now)
                .bind::<BigInt, _>(now)
                .bind::<Integer, _>(limit),
        )
    };
    let mut rows = match conn {
        DbConnection::Sqlite(c) => q(CLAIM_SQLITE).load::<DeliveryRow>(c)?,
        DbConnection::Postgresql(c) => match super::in_transaction(c) {
            true => q(CLAIM_POSTGRES).load::<DeliveryRow>(c)?,
            false => q(CLAIM_POSTGRES_QUICK).load::<DeliveryRow>(c)?,
        },
    };
    rows.sort_by(|a, b| (a.next_attempt_at, &a.id).cmp(&(b.next_attempt_at, &b.id)));
    Ok(rows)
}

/// Ends a delivery with a final status (`done`, `failed`, `dropped`).
pub fn finish(
    conn: &mut DbConnection,
    id: &str,
    status: &str,
    error: Option<&str>,
    now: i64,
) -> DbResult<()> {
    super::direct!(conn, |c| Kept(
        diesel::update(deliveries::table.find(id)).set((
            deliveries::status.eq(status),
            deliveries::locked_until.eq(None::<i64>),
            deliveries::last_error.eq(error),
            deliveries::updated_at.eq(now),
        ))
    )
    .execute(c))?;
    Ok(())
}

/// Ends the deliveries `ids` as `done` (peers accepted them), in one statement whatever their
/// number: a batch's accepted rows are recorded together.
pub fn finish_done(conn: &mut DbConnection, ids: &[String], now: i64) -> DbResult<usize> {
    if ids.is_empty() {
        return Ok(0);
    }
    Ok(super::direct!(conn, |c| Kept(
        diesel::update(deliveries::table.filter(super::ids_in::ids_in(deliveries::id, ids))).set((
            deliveries::status.eq(DONE),
            deliveries::locked_until.eq(None::<i64>),
            deliveries::last_error.eq(None::<String>),
            deliveries::updated_at.eq(now),
        ))
    )
    .execute(c))?)
}

/// Ends a delivery the peer refused, keeping its status code and the start of its answer.
pub fn refuse(
    conn: &mut DbConnection,
    id: &str,
    status: i32,
    answer: &str,
    now: i64,
) -> DbResult<()> {
    super::direct!(conn, |c| Kept(
        diesel::update(deliveries::table.find(id)).set((
            deliveries::status.eq(REFUSED),
            deliveries::locked_until.eq(None::<i64>),
            deliveries::last_status.eq(Some(status)),
            deliveries::last_error.eq(Some(answer)),
            deliveries::updated_at.eq(now),
        ))
    )
    .execute(c))?;
    Ok(())
}

/// The latest deliveries that were refused or failed for good, newest first (optionally to one
/// peer): what an operator looks at when a peer does not show what was sent.
pub fn recent_problems(
    conn: &mut DbConnection,
    peer: Option<&str>,
    limit: i64,
) -> DbResult<Vec<DeliveryRow>> {
    let mut q = deliveries::table
        .filter(deliveries::status.eq_any([REFUSED, FAILED]))
        .order(deliveries::updated_at.desc())
        .limit(limit)
        .select(DeliveryRow::as_select())
        .into_boxed();
    if let Some(peer) = peer {
        q = q.filter(deliveries::peer.eq(peer));
    }
    Ok(q.load(conn)?)
}

/// Releases a failed delivery to be tried again at `next_attempt_at`.
pub fn retry_at(
    conn: &mut DbConnection,
    id: &str,
    next_attempt_at: i64,
    error: &str,
    now: i64,
) -> DbResult<()> {
    super::direct!(conn, |c| Kept(
        diesel::update(deliveries::table.find(id)).set((
            deliveries::next_attempt_at.eq(next_attempt_at),
            deliveries::locked_until.eq(None::<i64>),
            deliveries::last_error.eq(Some(error)),
            deliveries::updated_at.eq(now),
        ))
    )
    .execute(c))?;
    Ok(())
}

/// Moves every pending delivery to one peer to `at` (postpone for a dead peer, or flush when it is back).
pub fn reschedule_peer(conn: &mut DbConnection, peer: &str, at: i64) -> DbResult<usize> {
    Ok(diesel::update(
        deliveries::table
            .filter(deliveries::peer.eq(peer))
            .filter(deliveries::status.eq(PENDING)),
    )
    .set(deliveries::next_attempt_at.eq(at))
    .execute(conn)?)
}

/// Deliveries still waiting to be sent or retried, counted on the queue's index (the finished
/// rows are not read).
pub fn count_pending(conn: &mut DbConnection) -> DbResult<i64> {
    Ok(deliveries::table
        .filter(deliveries::status.eq(PENDING))
        .count()
        .get_result(conn)?)
}

/// Counts of deliveries per status, for metrics and `admin peer list`.
pub fn count_by_status(
    conn: &mut DbConnection,
    peer: Option<&str>,
) -> DbResult<Vec<(String, i64)>> {
    let mut q = deliveries::table
        .group_by(deliveries::status)
        .select((deliveries::status, diesel::dsl::count_star()))
        .into_boxed();
    if let Some(peer) = peer {
        q = q.filter(deliveries::peer.eq(peer));
    }
    Ok(q.load(conn)?)
}

/// All deliveries of one activity (tests and diagnostics).
pub fn for_activity(conn: &mut DbConnection, activity_ap_id: &str) -> DbResult<Vec<DeliveryRow>> {
    Ok(deliveries::table
        .filter(deliveries::activity_ap_id.eq(activity_ap_id))
        .select(DeliveryRow::as_select())
        .load(conn)?)
}

/// Pending deliveries to one peer.
pub fn pending_for_peer(conn: &mut DbConnection, peer: &str) -> DbResult<i64> {
    Ok(deliveries::table
        .filter(deliveries::peer.eq(peer))
        .filter(deliveries::status.eq(PENDING))
        .count()
        .get_result(conn)?)
}

/// The payloads queued for one peer, oldest first (diagnostics and tests).
pub fn payloads_for_peer(conn: &mut DbConnection, peer: &str) -> DbResult<Vec<String>> {
    Ok(deliveries::table
        .filter(deliveries::peer.eq(peer))
        .order(deliveries::created_at.asc())
        .select(deliveries::payload)
        .load(conn)?)
}
