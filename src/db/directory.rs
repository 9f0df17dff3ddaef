//! Reads for finding people: the profile directory and the followers of an account that a
//! member also follows.

use super::{
    actors::ActorRow,
    follows::FollowState,
    schema::{actors, follows},
    DbConnection, DbResult,
};
use diesel::prelude::*;

/// A page of the directory: the discoverable members and groups of this node (never the node's
/// own actor) and, unless `local_only`, of others; most recently active first
/// (accounts that never posted last) or newest first.
pub fn page(
    conn: &mut DbConnection,
    newest: bool,
    local_only: bool,
    offset: i64,
    limit: i64,
) -> DbResult<Vec<ActorRow>> {
    let q = actors::table
        .filter(actors::kind.eq_any(vec!["Person", "Group"]))
        .select(ActorRow::as_select())
        .into_boxed();
    let q = if local_only {
        q.filter(actors::local.and(actors::discoverable))
    } else {
        q.filter(actors::discoverable)
    };
    let q = if newest {
        q.order((actors::created_at.desc(), actors::id.desc()))
    } else {
        q.order((
            actors::last_status_at.is_null().asc(),
            actors::last_status_at.desc(),
            actors::id.desc(),
        ))
    };
    Ok(q.offset(offset).limit(limit).load(conn)?)
}

/// The accounts `me` follows (accepted) that follow `target` (accepted), at most `limit`.
pub fn familiar_followers(
    conn: &mut DbConnection,
    me: &str,
    target: &str,
    limit: i64,
) -> DbResult<Vec<ActorRow>> {
    let accepted = FollowState::Accepted.as_str();
    let mine: Vec<String> = follows::table
        .filter(follows::follower_id.eq(me))
        .filter(follows::state.eq(accepted))
        .select(follows::target_id)
        .load(conn)?;
    if mine.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = follows::table
        .filter(follows::target_id.eq(target))
        .filter(follows::state.eq(accepted))
        .filter(follows::follower_id.eq_any(mine))
        .order(follows::id.desc())
        .limit(limit)
        .select(follows::follower_id)
        .load(conn)?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(actors::table
        .filter(actors::id.eq_any(ids))
        .order(actors::id.asc())
        .select(ActorRow::as_select())
        .load(conn)?)
}
