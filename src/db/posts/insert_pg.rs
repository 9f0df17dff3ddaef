//! A new post and its author's counters in one statement on PostgreSQL, where every statement is a
//! round trip: the insert is a data-modifying `WITH` that the counters' update reads.

use super::PostRow;
use crate::db::{DbResult, Kept};
use diesel::{
    sql_types::{BigInt, Bool, Nullable, Text},
    PgConnection, QueryableByName, RunQueryDsl,
};

/// Stores `row` unless its id or `ap_id` is already known and, when it is new and live, counts
/// it for its author (as `counters::added`); answers whether it was new.
pub fn insert_if_new(c: &mut PgConnection, row: &PostRow) -> DbResult<bool> {
    #[derive(QueryableByName)]
    struct New {
        #[diesel(sql_type = BigInt)]
        new: i64,
    }
    let r = row.clone();
    let q = diesel::sql_query(SQL)
        .bind::<Text, _>(r.id)
        .bind::<Text, _>(r.ap_id)
        .bind::<Text, _>(r.kind)
        .bind::<Text, _>(r.author_id)
        .bind::<Nullable<Text>, _>(r.group_id)
        .bind::<Nullable<Text>, _>(r.in_reply_to)
        .bind::<Nullable<Text>, _>(r.name)
        .bind::<Nullable<Text>, _>(r.summary)
        .bind::<Text, _>(r.content)
        .bind::<Bool, _>(r.sensitive)
        .bind::<Text, _>(String::from(r.visibility))
        .bind::<Bool, _>(r.local)
        .bind::<BigInt, _>(r.published)
        .bind::<Nullable<BigInt>, _>(r.updated)
        .bind::<Nullable<BigInt>, _>(r.deleted_at)
        .bind::<BigInt, _>(r.created_at)
        .bind::<Nullable<Text>, _>(r.language);
    let answer: New = Kept(q).get_result(c)?;
    Ok(answer.new > 0)
}

const SQL: &str = "WITH p AS (INSERT INTO posts (id, ap_id, kind, author_id, group_id, \
    in_reply_to, name, summary, content, sensitive, visibility, local, published, updated, \
    deleted_at, created_at, language) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) \
    ON CONFLICT DO NOTHING RETURNING author_id, published, deleted_at), \
    counted AS (UPDATE actors SET statuses_count = statuses_count + 1, \
    last_status_at = CASE WHEN last_status_at IS NULL OR last_status_at < p.published \
    THEN p.published ELSE last_status_at END \
    FROM p WHERE actors.id = p.author_id AND p.deleted_at IS NULL RETURNING 1) \
    SELECT count(*) AS new FROM p";
