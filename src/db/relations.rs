//! Batched reads the audience rule needs for a page of posts: which actors a reader follows or
//! moderates, which posts address them, and the same for a peer node by domain. Each takes every
//! id of the page in one statement.

use super::{
    actors::ActorRow,
    schema::{actors, follows, group_moderators, post_mentions},
    DbConnection, DbResult,
};
use crate::db::{direct, ids_in};
use diesel::prelude::*;

const ACCEPTED: &str = super::follows::FollowState::Accepted.as_str();

/// Actors by id (any order).
pub fn actors_by_ids(conn: &mut DbConnection, ids: &[&str]) -> DbResult<Vec<ActorRow>> {
    Ok(direct!(conn, |c| actors::table
        .filter(ids_in(actors::id, ids))
        .select(ActorRow::as_select())
        .load(c))?)
}

/// Which of `targets` `follower` follows (accepted).
pub fn followed_among(
    conn: &mut DbConnection,
    follower: &str,
    targets: &[&str],
) -> DbResult<Vec<String>> {
    Ok(direct!(conn, |c| follows::table
        .filter(follows::follower_id.eq(follower))
        .filter(ids_in(follows::target_id, targets))
        .filter(follows::state.eq(ACCEPTED))
        .select(follows::target_id)
        .load(c))?)
}

/// Which of `groups` `actor` moderates.
pub fn moderated_among(
    conn: &mut DbConnection,
    actor: &str,
    groups: &[&str],
) -> DbResult<Vec<String>> {
    Ok(direct!(conn, |c| group_moderators::table
        .filter(group_moderators::actor_id.eq(actor))
        .filter(ids_in(group_moderators::group_id, groups))
        .select(group_moderators::group_id)
        .load(c))?)
}

/// Which of `targets` have an accepted follower on `domain`.
pub fn followed_from(
    conn: &mut DbConnection,
    domain: &str,
    targets: &[&str],
) -> DbResult<Vec<String>> {
    Ok(direct!(conn, |c| follows::table
        .inner_join(actors::table.on(actors::id.eq(follows::follower_id)))
        .filter(ids_in(follows::target_id, targets))
        .filter(follows::state.eq(ACCEPTED))
        .filter(actors::domain.eq(domain))
        .select(follows::target_id)
        .distinct()
        .load(c))?)
}

/// Which of `posts` mention `actor`.
pub fn addressing(conn: &mut DbConnection, actor: &str, posts: &[&str]) -> DbResult<Vec<String>> {
    Ok(direct!(conn, |c| post_mentions::table
        .filter(post_mentions::actor_id.eq(actor))
        .filter(ids_in(post_mentions::post_id, posts))
        .select(post_mentions::post_id)
        .load(c))?)
}

/// Which of `posts` mention an actor on `domain`.
pub fn addressing_on(
    conn: &mut DbConnection,
    domain: &str,
    posts: &[&str],
) -> DbResult<Vec<String>> {
    Ok(direct!(conn, |c| post_mentions::table
        .inner_join(actors::table)
        .filter(actors::domain.eq(domain))
        .filter(ids_in(post_mentions::post_id, posts))
        .select(post_mentions::post_id)
        .distinct()
        .load(c))?)
}
