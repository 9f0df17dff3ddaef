//! Batched reads the audience rule needs for a page of posts: which actors a reader follows or
//! moderates, which posts address them, and the same for a peer node by domain. Each takes every
//! id of the page in one statement.

use super::{
    actors::ActorRow,
    schema::{actors, follows, group_moderators, post_mentions},
    DbConnection, DbResult,
};
use diesel::prelude::*;

const ACCEPTED: &str = super::follows::FollowState::Accepted.as_str();

/// Actors by id (any order).
pub fn actors_by_ids(conn: &mut DbConnection, ids: &[&str]) -> DbResult<Vec<ActorRow>> {
    Ok(actors::table
        .filter(actors::id.eq_any(ids))
        .select(ActorRow::as_select())
        .load(conn)?)
}

/// Which of `targets` `follower` follows (accepted).
pub fn followed_among(
    conn: &mut DbConnection,
    follower: &str,
    targets: &[&str],
) -> DbResult<Vec<String>> {
    Ok(follows::table
        .filter(follows::follower_id.eq(follower))
        .filter(follows::target_id.eq_any(targets))
        .filter(follows::state.eq(ACCEPTED))
        .select(follows::target_id)
        .load(conn)?)
}

/// Which of `groups` `actor` moderates.
pub fn moderated_among(
    conn: &mut DbConnection,
    actor: &str,
    groups: &[&str],
) -> DbResult<Vec<String>> {
    Ok(group_moderators::table
        .filter(group_moderators::actor_id.eq(actor))
        .filter(group_moderators::group_id.eq_any(groups))
        .select(group_moderators::group_id)
        .load(conn)?)
}

/// Which of `targets` have an accepted follower on `domain`.
pub fn followed_from(
    conn: &mut DbConnection,
    domain: &str,
    targets: &[&str],
) -> DbResult<Vec<String>> {
    Ok(follows::table
        .inner_join(actors::table.on(actors::id.eq(follows::follower_id)))
        .filter(follows::target_id.eq_any(targets))
        .filter(follows::state.eq(ACCEPTED))
        .filter(actors::domain.eq(domain))
        .select(follows::target_id)
        .distinct()
        .load(conn)?)
}

/// Which of `posts` mention `actor`.
pub fn addressing(conn: &mut DbConnection, actor: &str, posts: &[&str]) -> DbResult<Vec<String>> {
    Ok(post_mentions::table
        .filter(post_mentions::actor_id.eq(actor))
        .filter(post_mentions::post_id.eq_any(posts))
        .select(post_mentions::post_id)
        .load(conn)?)
}

/// Which of `posts` mention an actor on `domain`.
pub fn addressing_on(
    conn: &mut DbConnection,
    domain: &str,
    posts: &[&str],
) -> DbResult<Vec<String>> {
    Ok(post_mentions::table
        .inner_join(actors::table)
        .filter(actors::domain.eq(domain))
        .filter(post_mentions::post_id.eq_any(posts))
        .select(post_mentions::post_id)
        .distinct()
        .load(conn)?)
}
