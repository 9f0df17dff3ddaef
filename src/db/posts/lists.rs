//! Posts of one group, one author or one member's groups, and the local post count.

use super::{
    merge::{page_ids, Bounds, Source},
    PostRow,
};
use crate::db::{schema::posts, DbConnection, DbResult};
use diesel::prelude::*;

/// Live posts in a group, newest first, from the group's index (matched as in `by_author`).
pub fn in_group(conn: &mut DbConnection, group_id: &str, limit: i64) -> DbResult<Vec<PostRow>> {
    Ok(posts::table
        .filter(posts::group_id.ge(group_id))
        .filter(posts::group_id.le(group_id))
        .filter(posts::deleted_at.is_null())
        .order((posts::group_id.desc(), posts::id.desc()))
        .limit(limit)
        .select(PostRow::as_select())
        .load(conn)?)
}

/// Number of live local posts (NodeInfo).
pub fn count_local(conn: &mut DbConnection) -> DbResult<i64> {
    super::counters::local_total(conn)
}

/// Newest live posts in the groups `member_id` belongs to (accepted follows).
pub fn timeline(conn: &mut DbConnection, member_id: &str, limit: i64) -> DbResult<Vec<PostRow>> {
    use crate::db::schema::{actors, follows};
    let groups: Vec<String> = follows::table
        .inner_join(actors::table.on(actors::id.eq(follows::target_id)))
        .filter(follows::follower_id.eq(member_id))
        .filter(follows::state.eq(crate::db::follows::FollowState::Accepted.as_str()))
        .filter(actors::kind.eq("Group"))
        .select(follows::target_id)
        .load(conn)?;
    let sources: Vec<Source> = groups.iter().map(|g| Source::Group(g)).collect();
    let bounds = Bounds {
        max: None,
        min: None,
        ascending: false,
        limit,
    };
    let ids = page_ids(conn, &sources, &bounds)?;
    let mut rows = super::by_ids(conn, &ids)?;
    rows.sort_by(|a, b| b.id.cmp(&a.id));
    Ok(rows)
}

/// What an account's statuses may be narrowed to (Mastodon's `only_media`, `exclude_replies`,
/// `tagged`).
#[derive(Debug, Clone, Default)]
pub struct AuthorFilter {
    pub only_media: bool,
    pub exclude_replies: bool,
    pub tagged: Option<String>,
}

/// Narrows a boxed query over `posts` by an [`AuthorFilter`]'s media and replies conditions.
macro_rules! narrowed {
    ($q:expr, $filter:expr) => {{
        use crate::db::schema::media;
        let mut q = $q;
        if $filter.exclude_replies {
            // Replies to someone else; a thread of the author's own stays, as in Mastodon.
            let parent = diesel::alias!(posts as parent);
            q = q.filter(
                posts::in_reply_to.is_null().or(diesel::dsl::exists(
                    parent
                        .filter(parent.field(posts::ap_id).nullable().eq(posts::in_reply_to))
                        .filter(parent.field(posts::author_id).eq(posts::author_id)),
                )),
            );
        }
        if $filter.only_media {
            // Per post of the author, by the attachments' post index.
            q = q.filter(diesel::dsl::exists(
                media::table.filter(media::post_id.eq(posts::id.nullable())),
            ));
        }
        q
    }};
}

/// Pages a boxed query by `keys` on its id column `id`, in the order of (`lead`, `id`): newest
/// first; the oldest above `min` when `ascending`, still given newest first.
macro_rules! paged {
    ($q:expr, $lead:expr, $id:expr, $keys:expr, $conn:expr) => {{
        let (mut q, keys) = ($q, $keys);
        if let Some(max) = keys.max {
            q = q.filter($id.lt(max.to_string()));
        }
        if let Some(min) = keys.min {
            q = q.filter($id.gt(min.to_string()));
        }
        if keys.ascending {
            let order = ($lead.asc(), $id.asc());
            let mut rows: Vec<PostRow> = q.order(order).limit(keys.limit).load($conn)?;
            rows.reverse();
            rows
        } else {
            q.order(($lead.desc(), $id.desc()))
                .limit(keys.limit)
                .load($conn)?
        }
    }};
}

/// An author's live posts, newest first, paged by id: below `max_id`; above `min_id` (the
/// oldest ones above it when `ascending`, still given newest first). Each statement matches the
/// column that leads the index it must walk (the author's, or the hashtag's when `tagged`) as a
/// range of one value and orders by it, so that the plan made without the values (PostgreSQL's
/// generic plan) walks that index too (see `merge::fixed`).
pub fn by_author(
    conn: &mut DbConnection,
    author_id: &str,
    filter: &AuthorFilter,
    keys: crate::db::Keys<'_>,
) -> DbResult<Vec<PostRow>> {
    use crate::db::schema::post_tags;
    if let Some(tag) = &filter.tagged {
        let tag = tag.to_lowercase();
        // The hashtag's posts by this author, walked from the hashtag's index (name, post id).
        let q = post_tags::table
            .inner_join(posts::table)
            .filter(post_tags::name.ge(&tag).and(post_tags::name.le(&tag)))
            .filter(posts::author_id.eq(author_id))
            .filter(posts::deleted_at.is_null())
            .select(PostRow::as_select())
            .into_boxed();
        let q = narrowed!(q, filter);
        return Ok(paged!(q, post_tags::name, post_tags::post_id, keys, conn));
    }
    let q = posts::table
        .filter(posts::author_id.ge(author_id))
        .filter(posts::author_id.le(author_id))
        .filter(posts::deleted_at.is_null())
        .select(PostRow::as_select())
        .into_boxed();
    let q = narrowed!(q, filter);
    Ok(paged!(q, posts::author_id, posts::id, keys, conn))
}
