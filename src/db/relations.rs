//! Batched reads the audience rule needs for a page of posts: which actors a reader follows or
//! moderates, which posts address them, and the same for a peer node by domain. Each takes every
//! id of the page in one statement.

use super::{
    actors::ActorRow,
    schema::{actors, follows, post_mentions},
    DbConnection, DbResult,
};
use crate::db::{
    direct,
    fixed::{Bind, Fixed, Template},
    ids_in,
};
use diesel::{prelude::*, sql_types::Text};

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

/// What a member's relations to a page's actors and posts are: followed actors (`f`), moderated
/// groups (`m`), posts that mention the member (`a`), authors the member blocks (`b`) and authors
/// who block the member (`B`).
struct StandingOf;

impl Template for StandingOf {
    const SQL: &'static str = "SELECT 'f' AS kind, target_id AS key FROM follows \
        WHERE follower_id = ? AND state = ? AND target_id {in} \
        UNION ALL SELECT 'm' AS kind, group_id AS key FROM group_moderators \
        WHERE actor_id = ? AND group_id {in} \
        UNION ALL SELECT 'a' AS kind, post_id AS key FROM post_mentions \
        WHERE actor_id = ? AND post_id {in} \
        UNION ALL SELECT 'b' AS kind, target_id AS key FROM blocks \
        WHERE actor_id = ? AND target_id {in} \
        UNION ALL SELECT 'B' AS kind, actor_id AS key FROM blocks \
        WHERE target_id = ? AND actor_id {in}";
    type SqlType = (Text, Text);
}

/// A member's standing towards a page, as read by [`standing`].
#[derive(Debug, Default)]
pub struct Standing {
    pub followed: Vec<String>,
    pub moderated: Vec<String>,
    pub addressing: Vec<String>,
    pub blocking: Vec<String>,
    pub blocked_by: Vec<String>,
}

/// The lists a page's standing is read for: actors (follows), groups (moderators), posts
/// (mentions) and authors (blocks either way).
pub struct StandingAsk<'a> {
    pub actors: &'a [&'a str],
    pub groups: &'a [&'a str],
    pub posts: &'a [&'a str],
    pub authors: &'a [&'a str],
}

/// Which of the asked actors `me` follows (accepted), which groups `me` moderates, which posts
/// mention `me`, and the blocks either way between `me` and the authors: one statement.
pub fn standing(conn: &mut DbConnection, me: &str, ask: &StandingAsk) -> DbResult<Standing> {
    let me = Bind::Text(me.to_string());
    let authors = Bind::ids(ask.authors);
    let binds = vec![
        me.clone(),
        Bind::Text(ACCEPTED.to_string()),
        Bind::ids(ask.actors),
        me.clone(),
        Bind::ids(ask.groups),
        me.clone(),
        Bind::ids(ask.posts),
        me.clone(),
        authors.clone(),
        me,
        authors,
    ];
    let rows: Vec<(String, String)> = direct!(conn, |c| Fixed::<StandingOf>::new(binds).load(c))?;
    let mut out = Standing::default();
    for (kind, key) in rows {
        let list = match kind.as_str() {
            "f" => &mut out.followed,
            "m" => &mut out.moderated,
            "a" => &mut out.addressing,
            "b" => &mut out.blocking,
            _ => &mut out.blocked_by,
        };
        list.push(key);
    }
    Ok(out)
}
