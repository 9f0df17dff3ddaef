//! `Idempotency-Key`s: which post an earlier identical request created (kept 24 hours).

use super::{by_id, PostRow};
use crate::db::{DbConnection, DbResult};
use diesel::prelude::*;

/// The post an earlier request with the same `Idempotency-Key` created, if any (kept 24 hours).
pub fn by_idempotency_key(
    conn: &mut DbConnection,
    user_id: &str,
    key: &str,
    now: i64,
) -> DbResult<Option<PostRow>> {
    use crate::db::schema::idempotency_keys as k;
    let post_id: Option<String> = k::table
        .filter(k::user_id.eq(user_id))
        .filter(k::key.eq(key))
        .filter(k::created_at.gt(now - 24 * 3600 * 1000))
        .select(k::post_id)
        .first(conn)
        .optional()?;
    match post_id {
        Some(id) => by_id(conn, &id),
        None => Ok(None),
    }
}

/// Remembers which post an `Idempotency-Key` created.
pub fn remember_idempotency_key(
    conn: &mut DbConnection,
    user_id: &str,
    key: &str,
    post_id: &str,
    now: i64,
) -> DbResult<()> {
    use crate::db::schema::idempotency_keys as k;
    diesel::delete(
        k::table
            .filter(k::user_id.eq(user_id))
            .filter(k::key.eq(key)),
    )
    .execute(conn)?;
    diesel::insert_into(k::table)
        .values((
            k::user_id.eq(user_id),
            k::key.eq(key),
            k::post_id.eq(post_id),
            k::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}
