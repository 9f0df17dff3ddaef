//! Reads behind follow suggestions, each a bounded index read: the accounts followed by those a
//! member follows, the accounts most followed lately, the authors in a member's groups whose
//! posts the member favourited lately; then what rules a candidate out (already followed or
//! requested, blocked either way, muted, dismissed). Dismissals are stored here too.

use super::{
    actors::ActorRow,
    follows::FollowState,
    insert_or_ignore,
    schema::{actors, blocks, favourites, follows, mutes, posts, suggestion_dismissals},
    DbConnection, DbResult,
};
use diesel::prelude::*;
use std::collections::{HashMap, HashSet};

/// How many of a member's latest follows seed friends of friends.
const SEEDS: i64 = 200;
/// How many follows of those seeds are read.
const FRIENDS_OF_FRIENDS: i64 = 2_000;
/// How many of the node's latest follows rank the most followed accounts.
const RECENT_FOLLOWS: i64 = 1_000;
/// How many of the accounts most followed in those follows count as most followed.
const MOST_FOLLOWED: usize = 100;
/// How many of a member's latest favourites are read for interactions.
const FAVOURITES: i64 = 200;

/// Counts each id's occurrences, keeping the order of first appearance.
fn tally(ids: Vec<String>) -> Vec<(String, i64)> {
    let mut order: Vec<String> = Vec::new();
    let mut counts: HashMap<String, i64> = HashMap::new();
    for id in ids {
        let n = counts.entry(id.clone()).or_insert(0);
        if *n == 0 {
            order.push(id);
        }
        *n += 1;
    }
    order
        .into_iter()
        .map(|id| {
            let n = counts[&id];
            (id, n)
        })
        .collect()
}

/// Accounts followed (accepted) by the accounts `me` follows most recently, with how many of
/// those follow each.
pub fn friends_of_friends(conn: &mut DbConnection, me: &str) -> DbResult<Vec<(String, i64)>> {
    let accepted = FollowState::Accepted.as_str();
    let seeds: Vec<String> = follows::table
        .filter(follows::follower_id.eq(me))
        .filter(follows::state.eq(accepted))
        .order(follows::id.desc())
        .limit(SEEDS)
        .select(follows::target_id)
        .load(conn)?;
    if seeds.is_empty() {
        return Ok(Vec::new());
    }
    let found: Vec<String> = follows::table
        .filter(follows::follower_id.eq_any(seeds))
        .filter(follows::state.eq(accepted))
        .limit(FRIENDS_OF_FRIENDS)
        .select(follows::target_id)
        .load(conn)?;
    Ok(tally(found))
}

/// The accounts that got the most of the node's latest accepted follows, most first, with how
/// many each got (which of them are this node's is for the caller to judge).
pub fn recently_followed(conn: &mut DbConnection) -> DbResult<Vec<(String, i64)>> {
    let found: Vec<String> = follows::table
        .filter(follows::state.eq(FollowState::Accepted.as_str()))
        .order(follows::id.desc())
        .limit(RECENT_FOLLOWS)
        .select(follows::target_id)
        .load(conn)?;
    let mut ranked = tally(found);
    ranked.sort_by_key(|r| std::cmp::Reverse(r.1));
    ranked.truncate(MOST_FOLLOWED);
    Ok(ranked)
}

/// Authors of posts in groups `me` belongs to that `me` favourited lately, with how many.
pub fn group_interactions(conn: &mut DbConnection, me: &str) -> DbResult<Vec<(String, i64)>> {
    let liked: Vec<String> = favourites::table
        .filter(favourites::actor_id.eq(me))
        .order(favourites::id.desc())
        .limit(FAVOURITES)
        .select(favourites::post_id)
        .load(conn)?;
    if liked.is_empty() {
        return Ok(Vec::new());
    }
    let in_groups: Vec<(String, Option<String>)> = posts::table
        .filter(posts::id.eq_any(liked))
        .filter(posts::group_id.is_not_null())
        .filter(posts::deleted_at.is_null())
        .select((posts::author_id, posts::group_id))
        .load(conn)?;
    let groups: Vec<String> = in_groups.iter().filter_map(|(_, g)| g.clone()).collect();
    let mine: HashSet<String> = follows::table
        .filter(follows::follower_id.eq(me))
        .filter(follows::target_id.eq_any(groups))
        .filter(follows::state.eq(FollowState::Accepted.as_str()))
        .select(follows::target_id)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    Ok(tally(
        in_groups
            .into_iter()
            .filter(|(_, g)| g.as_ref().is_some_and(|g| mine.contains(g)))
            .map(|(a, _)| a)
            .collect(),
    ))
}

/// Of `ids`, those `me` must not be suggested because of a relation: followed or requested,
/// blocked by `me` or blocking `me`, muted now, or dismissed.
pub fn ruled_out(
    conn: &mut DbConnection,
    me: &str,
    ids: &[String],
    now: i64,
) -> DbResult<HashSet<String>> {
    let mut out: HashSet<String> = HashSet::new();
    out.extend(
        follows::table
            .filter(follows::follower_id.eq(me))
            .filter(follows::target_id.eq_any(ids))
            .select(follows::target_id)
            .load::<String>(conn)?,
    );
    out.extend(
        blocks::table
            .filter(blocks::actor_id.eq(me))
            .filter(blocks::target_id.eq_any(ids))
            .select(blocks::target_id)
            .load::<String>(conn)?,
    );
    out.extend(
        blocks::table
            .filter(blocks::target_id.eq(me))
            .filter(blocks::actor_id.eq_any(ids))
            .select(blocks::actor_id)
            .load::<String>(conn)?,
    );
    out.extend(
        mutes::table
            .filter(mutes::actor_id.eq(me))
            .filter(mutes::target_id.eq_any(ids))
            .filter(mutes::expires_at.is_null().or(mutes::expires_at.gt(now)))
            .select(mutes::target_id)
            .load::<String>(conn)?,
    );
    out.extend(
        suggestion_dismissals::table
            .filter(suggestion_dismissals::user_id.eq(me))
            .filter(suggestion_dismissals::target_id.eq_any(ids))
            .select(suggestion_dismissals::target_id)
            .load::<String>(conn)?,
    );
    Ok(out)
}

/// The members and groups among `ids` that may be listed: those that are discoverable (a
/// member's choice, or what a remote actor's document says).
pub fn listable(conn: &mut DbConnection, ids: &[String]) -> DbResult<Vec<ActorRow>> {
    Ok(actors::table
        .filter(actors::id.eq_any(ids))
        .filter(actors::kind.eq_any(["Person", "Group"]))
        .filter(actors::discoverable.eq(true))
        .select(ActorRow::as_select())
        .load(conn)?)
}

/// `user` asked never to be suggested `target` again (idempotent).
pub fn dismiss(conn: &mut DbConnection, user: &str, target: &str, now: i64) -> DbResult<()> {
    insert_or_ignore!(
        conn,
        suggestion_dismissals::table,
        (
            suggestion_dismissals::user_id.eq(user),
            suggestion_dismissals::target_id.eq(target),
            suggestion_dismissals::created_at.eq(now)
        )
    )?;
    Ok(())
}
