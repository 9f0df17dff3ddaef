//! Follow requests a member answers: the pending follows of the member and of the local groups the
//! member moderates.

use super::{
    actors::ActorRow,
    follows::{FollowRow, FollowState},
    schema::{actors, follows, group_moderators},
    DbConnection, DbResult,
};
use diesel::prelude::*;

/// The targets whose requests `me` answers: `me`, and the local groups `me` moderates.
fn answered_by(conn: &mut DbConnection, me: &str) -> DbResult<Vec<String>> {
    let mut targets: Vec<String> = group_moderators::table
        .inner_join(actors::table.on(actors::id.eq(group_moderators::group_id)))
        .filter(group_moderators::actor_id.eq(me))
        .filter(actors::local)
        .select(group_moderators::group_id)
        .load(conn)?;
    targets.push(me.to_string());
    Ok(targets)
}

/// One page of those requests, newest first by follow id, as `(follow id, requester)`.
pub fn page(
    conn: &mut DbConnection,
    me: &str,
    max_id: Option<&str>,
    min_id: Option<&str>,
    limit: i64,
) -> DbResult<Vec<(String, ActorRow)>> {
    let targets = answered_by(conn, me)?;
    let mut q = follows::table
        .inner_join(actors::table.on(actors::id.eq(follows::follower_id)))
        .filter(follows::target_id.eq_any(targets))
        .filter(follows::state.eq(FollowState::Pending.as_str()))
        .select((follows::id, ActorRow::as_select()))
        .into_boxed();
    if let Some(max) = max_id {
        q = q.filter(follows::id.lt(max.to_string()));
    }
    if let Some(min) = min_id {
        q = q.filter(follows::id.gt(min.to_string()));
    }
    Ok(q.order(follows::id.desc()).limit(limit).load(conn)?)
}

/// The pending follows by `follower_id` of `me` and of the groups `me` moderates.
pub fn of_requester(
    conn: &mut DbConnection,
    me: &str,
    follower_id: &str,
) -> DbResult<Vec<FollowRow>> {
    let targets = answered_by(conn, me)?;
    Ok(follows::table
        .filter(follows::follower_id.eq(follower_id))
        .filter(follows::target_id.eq_any(targets))
        .filter(follows::state.eq(FollowState::Pending.as_str()))
        .select(FollowRow::as_select())
        .load(conn)?)
}

/// How many accounts wait for an answer from `me` (each counted once).
pub fn count(conn: &mut DbConnection, me: &str) -> DbResult<i64> {
    let targets = answered_by(conn, me)?;
    Ok(follows::table
        .filter(follows::target_id.eq_any(targets))
        .filter(follows::state.eq(FollowState::Pending.as_str()))
        .select(diesel::dsl::count(follows::follower_id).aggregate_distinct())
        .first(conn)?)
}
