//! Mutes (a local member hides an account's posts, and optionally its notifications, for a while
//! or for good) and private notes about accounts. Neither ever leaves this node.

use super::{
    actors::ActorRow,
    schema::{account_notes, actors, mutes},
    DbConnection, DbResult,
};
use crate::db::{direct, ids_in};
use diesel::prelude::*;

/// One mute: `actor_id` mutes `target_id` until `expires_at` (never when `None`).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = mutes)]
pub struct MuteRow {
    pub id: String,
    pub actor_id: String,
    pub target_id: String,
    pub notifications: bool,
    pub expires_at: Option<i64>,
    pub created_at: i64,
}

/// Stores a mute, or changes the options of the existing one for the pair.
pub fn upsert(conn: &mut DbConnection, row: &MuteRow) -> DbResult<()> {
    let n = diesel::update(
        mutes::table
            .filter(mutes::actor_id.eq(&row.actor_id))
            .filter(mutes::target_id.eq(&row.target_id)),
    )
    .set((
        mutes::notifications.eq(row.notifications),
        mutes::expires_at.eq(row.expires_at),
    ))
    .execute(conn)?;
    if n == 0 {
        super::insert_or_ignore!(conn, mutes::table, row.clone())?;
    }
    Ok(())
}

/// The mute of `target` by `actor` in force at `now`, if any.
pub fn active(
    conn: &mut DbConnection,
    actor: &str,
    target: &str,
    now: i64,
) -> DbResult<Option<MuteRow>> {
    Ok(direct!(conn, |c| mutes::table
        .filter(mutes::actor_id.eq(actor))
        .filter(mutes::target_id.eq(target))
        .filter(mutes::expires_at.is_null().or(mutes::expires_at.gt(now)))
        .select(MuteRow::as_select())
        .first(c)
        .optional())?)
}

/// Removes the mute of `target` by `actor`; returns whether there was one.
pub fn delete(conn: &mut DbConnection, actor: &str, target: &str) -> DbResult<bool> {
    Ok(diesel::delete(
        mutes::table
            .filter(mutes::actor_id.eq(actor))
            .filter(mutes::target_id.eq(target)),
    )
    .execute(conn)?
        > 0)
}

/// Of `others`, those `actor` mutes at `now`.
pub fn muted_among(
    conn: &mut DbConnection,
    actor: &str,
    others: &[&str],
    now: i64,
) -> DbResult<Vec<String>> {
    Ok(direct!(conn, |c| mutes::table
        .filter(mutes::actor_id.eq(actor))
        .filter(ids_in(mutes::target_id, others))
        .filter(mutes::expires_at.is_null().or(mutes::expires_at.gt(now)))
        .select(mutes::target_id)
        .load(c))?)
}

/// The accounts `actor` mutes at `now`, newest mute first, with the mute, paged by mute id.
pub fn page(
    conn: &mut DbConnection,
    actor: &str,
    max_id: Option<&str>,
    min_id: Option<&str>,
    limit: i64,
    now: i64,
) -> DbResult<Vec<(MuteRow, ActorRow)>> {
    let mut q = mutes::table
        .inner_join(actors::table.on(actors::id.eq(mutes::target_id)))
        .filter(mutes::actor_id.eq(actor))
        .filter(mutes::expires_at.is_null().or(mutes::expires_at.gt(now)))
        .select((MuteRow::as_select(), ActorRow::as_select()))
        .into_boxed();
    if let Some(max) = max_id {
        q = q.filter(mutes::id.lt(max.to_string()));
    }
    if let Some(min) = min_id {
        q = q.filter(mutes::id.gt(min.to_string()));
    }
    Ok(q.order(mutes::id.desc()).limit(limit).load(conn)?)
}

/// Removes mutes that ended before `now`; returns how many.
pub fn purge_expired(conn: &mut DbConnection, now: i64) -> DbResult<usize> {
    Ok(diesel::delete(mutes::table.filter(mutes::expires_at.le(now))).execute(conn)?)
}

/// `actor`'s note about `target` (empty when none).
pub fn note(conn: &mut DbConnection, actor: &str, target: &str) -> DbResult<String> {
    Ok(account_notes::table
        .find((actor, target))
        .select(account_notes::comment)
        .first(conn)
        .optional()?
        .unwrap_or_default())
}

/// Sets `actor`'s note about `target`; an empty comment removes it.
pub fn set_note(
    conn: &mut DbConnection,
    actor: &str,
    target: &str,
    comment: &str,
    now: i64,
) -> DbResult<()> {
    diesel::delete(account_notes::table.find((actor, target))).execute(conn)?;
    if !comment.is_empty() {
        diesel::insert_into(account_notes::table)
            .values((
                account_notes::actor_id.eq(actor),
                account_notes::target_id.eq(target),
                account_notes::comment.eq(comment),
                account_notes::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}
