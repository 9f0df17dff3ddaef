//! The terms of group leads (rows of `group_moderators` with `term_ends_at`). The moderator list as
//! peers know it (`moderators`, `is_moderator`, `remove_moderator`) is in `actors.rs`; this file
//! adds what only this node's groups have: when each lead's term ends, and which terms are over.

use super::{
    actors::ActorRow,
    insert_or_ignore,
    schema::{actors, group_moderators},
    DbConnection, DbResult,
};
use diesel::prelude::*;

/// Makes `actor_id` a lead of `group_id` until `term_ends_at`; returns whether the row is new
/// (an existing lead keeps their row: change the term with [`set_term`]).
pub fn add(
    conn: &mut DbConnection,
    group_id: &str,
    actor_id: &str,
    now: i64,
    term_ends_at: i64,
) -> DbResult<bool> {
    let n = insert_or_ignore!(
        conn,
        group_moderators::table,
        (
            group_moderators::group_id.eq(group_id),
            group_moderators::actor_id.eq(actor_id),
            group_moderators::created_at.eq(now),
            group_moderators::term_ends_at.eq(Some(term_ends_at)),
        )
    )?;
    Ok(n > 0)
}

/// Sets the end of a current lead's term; returns whether `actor_id` is a lead of `group_id`.
pub fn set_term(
    conn: &mut DbConnection,
    group_id: &str,
    actor_id: &str,
    term_ends_at: i64,
) -> DbResult<bool> {
    let n = diesel::update(
        group_moderators::table
            .filter(group_moderators::group_id.eq(group_id))
            .filter(group_moderators::actor_id.eq(actor_id)),
    )
    .set(group_moderators::term_ends_at.eq(Some(term_ends_at)))
    .execute(conn)?;
    Ok(n > 0)
}

/// `None` when `actor_id` is not a lead of `group_id`; otherwise the end of the term (itself
/// `None` when unknown here, as in the copy of a remote group's list).
pub fn term(
    conn: &mut DbConnection,
    group_id: &str,
    actor_id: &str,
) -> DbResult<Option<Option<i64>>> {
    Ok(group_moderators::table
        .filter(group_moderators::group_id.eq(group_id))
        .filter(group_moderators::actor_id.eq(actor_id))
        .select(group_moderators::term_ends_at)
        .first(conn)
        .optional()?)
}

/// The leads of a group with the ends of their terms, longest-serving first.
pub fn with_terms(
    conn: &mut DbConnection,
    group_id: &str,
) -> DbResult<Vec<(ActorRow, Option<i64>)>> {
    Ok(group_moderators::table
        .inner_join(actors::table.on(actors::id.eq(group_moderators::actor_id)))
        .filter(group_moderators::group_id.eq(group_id))
        .order(group_moderators::created_at.asc())
        .select((ActorRow::as_select(), group_moderators::term_ends_at))
        .load(conn)?)
}

/// `(group_id, actor_id)` of every lead of a local group whose term ended before `before`,
/// ordered by group.
pub fn ended_in_local_groups(
    conn: &mut DbConnection,
    before: i64,
) -> DbResult<Vec<(String, String)>> {
    Ok(group_moderators::table
        .inner_join(actors::table.on(actors::id.eq(group_moderators::group_id)))
        .filter(actors::local)
        .filter(group_moderators::term_ends_at.lt(before))
        .order((group_moderators::group_id, group_moderators::actor_id))
        .select((group_moderators::group_id, group_moderators::actor_id))
        .load(conn)?)
}

/// Removes a lead only if their term still ends before `before` (a re-election since the lead was
/// listed keeps them); returns whether they were removed. Two processes never both remove one.
pub fn remove_if_ended(
    conn: &mut DbConnection,
    group_id: &str,
    actor_id: &str,
    before: i64,
) -> DbResult<bool> {
    let n = diesel::delete(
        group_moderators::table
            .filter(group_moderators::group_id.eq(group_id))
            .filter(group_moderators::actor_id.eq(actor_id))
            .filter(group_moderators::term_ends_at.lt(before)),
    )
    .execute(conn)?;
    Ok(n > 0)
}
