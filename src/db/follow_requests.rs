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

/// One page of the accounts waiting, each once, newest request first, as `(newest request's
/// follow id, requester)`: the page's keys are those ids.
pub fn page(
    conn: &mut DbConnection,
    me: &str,
    max_id: Option<&str>,
    min_id: Option<&str>,
    limit: i64,
) -> DbResult<Vec<(String, ActorRow)>> {
    use diesel::dsl::max;
    let targets = answered_by(conn, me)?;
    let newest = max(follows::id);
    let mut q = follows::table
        .filter(follows::target_id.eq_any(targets))
        .filter(follows::state.eq(FollowState::Pending.as_str()))
        .group_by(follows::follower_id)
        .select((follows::follower_id, newest))
        .into_boxed();
    // One condition on the newest request (a second `having` would replace the first).
    q = match (max_id.map(str::to_string), min_id.map(str::to_string)) {
        (Some(hi), Some(lo)) => q.having(newest.lt(hi).and(newest.gt(lo))),
        (Some(hi), None) => q.having(newest.lt(hi)),
        (None, Some(lo)) => q.having(newest.gt(lo)),
        (None, None) => q,
    };
    let keys: Vec<(String, Option<String>)> = q.order(newest.desc()).limit(limit).load(conn)?;
    let ids: Vec<&String> = keys.iter().map(|(f, _)| f).collect();
    let mut accounts: Vec<ActorRow> = actors::table
        .filter(actors::id.eq_any(ids))
        .select(ActorRow::as_select())
        .load(conn)?;
    Ok(keys
        .into_iter()
        .filter_map(|(follower, key)| {
            let at = accounts.iter().position(|a| a.id == follower)?;
            Some((key?, accounts.swap_remove(at)))
        })
        .collect())
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

/// The follows of `target_id` still waiting for an answer, oldest first.
pub fn waiting_for(conn: &mut DbConnection, target_id: &str) -> DbResult<Vec<FollowRow>> {
    Ok(follows::table
        .filter(follows::target_id.eq(target_id))
        .filter(follows::state.eq(FollowState::Pending.as_str()))
        .order(follows::id.asc())
        .select(FollowRow::as_select())
        .load(conn)?)
}
