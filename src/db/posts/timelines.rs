//! The home and public timelines, paged by id (ULIDs sort by arrival), each read by index seeks.

use super::{
    merge::{page_ids, Bounds, Source, ANY_TAGGED},
    tagged::TagQuery,
    PostRow,
};
use crate::db::{
    schema::{actors, follows, list_accounts, posts},
    DbConnection, DbResult,
};
use diesel::prelude::*;

/// Rows of `ids` in that order.
pub(super) fn in_order(conn: &mut DbConnection, ids: Vec<String>) -> DbResult<Vec<PostRow>> {
    let mut rows = super::by_ids(conn, &ids)?;
    let rank: std::collections::HashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    rows.sort_by_key(|r| rank.get(r.id.as_str()).copied().unwrap_or(usize::MAX));
    Ok(rows)
}

/// A member's home timeline: their own posts, posts in groups they belong to, posts by actors
/// they follow and public posts with hashtags they follow, newest first; with `min_id`, the oldest ones above it (then newest first).
pub fn home(
    conn: &mut DbConnection,
    member_id: &str,
    max_id: Option<&str>,
    min_id: Option<&str>,
    limit: i64,
) -> DbResult<Vec<PostRow>> {
    let followed: Vec<(String, String)> = follows::table
        .inner_join(actors::table.on(actors::id.eq(follows::target_id)))
        .filter(follows::follower_id.eq(member_id))
        .filter(follows::state.eq(crate::db::follows::FollowState::Accepted.as_str()))
        .select((follows::target_id, actors::kind))
        .load(conn)?;
    // Accounts on the member's exclusive lists are read on those lists only.
    let exclusive = crate::db::lists::exclusive_accounts(conn, member_id)?;
    let followed: Vec<(String, String)> = followed
        .into_iter()
        .filter(|(target, _)| !exclusive.contains(target))
        .collect();
    // Followed hashtags bring their public posts, as Mastodon's home feed does.
    let tags = crate::db::followed_tags::names(conn, member_id)?;
    let mut sources = vec![Source::Author(member_id)];
    sources.extend(sources_of(&followed));
    sources.extend(tags.iter().map(|t| Source::Tag(t, &ANY_TAGGED)));
    paged(conn, &sources, max_id, min_id, limit)
}

/// The posts by an actor and, for a group, the posts in it.
fn sources_of(actors: &[(String, String)]) -> Vec<Source<'_>> {
    let mut sources = Vec::new();
    for (target, kind) in actors {
        sources.push(Source::Author(target));
        if kind == "Group" {
            sources.push(Source::Group(target));
        }
    }
    sources
}

/// A member's list: posts by the accounts on it and in the groups on it, paged as the home
/// timeline is (one seek per account, whatever the size of the history).
pub fn list(
    conn: &mut DbConnection,
    list_id: &str,
    max_id: Option<&str>,
    min_id: Option<&str>,
    limit: i64,
) -> DbResult<Vec<PostRow>> {
    let members: Vec<(String, String)> = list_accounts::table
        .inner_join(actors::table)
        .filter(list_accounts::list_id.eq(list_id))
        .select((list_accounts::actor_id, actors::kind))
        .load(conn)?;
    let sources = sources_of(&members);
    if sources.is_empty() {
        return Ok(vec![]);
    }
    paged(conn, &sources, max_id, min_id, limit)
}

pub(super) fn paged(
    conn: &mut DbConnection,
    sources: &[Source],
    max_id: Option<&str>,
    min_id: Option<&str>,
    limit: i64,
) -> DbResult<Vec<PostRow>> {
    let bounds = Bounds {
        max: max_id,
        min: min_id,
        ascending: min_id.is_some(),
        limit,
    };
    let mut ids = page_ids(conn, sources, &bounds)?;
    if bounds.ascending {
        ids.reverse();
    }
    in_order(conn, ids)
}

/// Public posts, newest first: all, local only, or remote only; optionally with a hashtag. Posts
/// in groups that are not public stay out (the audience rule checks every row again).
pub fn public(
    conn: &mut DbConnection,
    local: Option<bool>,
    hashtag: Option<&TagQuery>,
    max_id: Option<&str>,
    min_id: Option<&str>,
    limit: i64,
) -> DbResult<Vec<PostRow>> {
    if let Some(tag) = hashtag {
        return super::tagged::tagged(conn, local, tag, max_id, min_id, limit);
    }
    let mut q = posts::table
        .filter(posts::visibility.eq("public"))
        .filter(posts::deleted_at.is_null())
        .select(PostRow::as_select())
        .into_boxed();
    if let Some(l) = local {
        q = q.filter(posts::local.eq(l));
    }
    if let Some(max) = max_id {
        q = q.filter(posts::id.lt(max.to_string()));
    }
    if let Some(min) = min_id {
        q = q.filter(posts::id.gt(min.to_string()));
        let mut rows = q.order(posts::id.asc()).limit(limit).load(conn)?;
        rows.reverse();
        return Ok(rows);
    }
    Ok(q.order(posts::id.desc()).limit(limit).load(conn)?)
}
