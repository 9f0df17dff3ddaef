//! Posts: notes and pages written by members, usually inside a group.

use super::{
    schema::{post_versions, posts},
    DbConnection, DbError, DbResult,
};
use crate::domain::audience::PostVisibility;
use diesel::prelude::*;

/// One stored post, local or remote. `content` is sanitized HTML.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = posts)]
pub struct PostRow {
    pub id: String,
    pub ap_id: String,
    pub kind: String,
    pub author_id: String,
    pub group_id: Option<String>,
    pub in_reply_to: Option<String>,
    pub name: Option<String>,
    pub summary: Option<String>,
    pub content: String,
    pub sensitive: bool,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub visibility: PostVisibility,
    pub local: bool,
    pub published: i64,
    pub updated: Option<i64>,
    pub deleted_at: Option<i64>,
    pub created_at: i64,
    /// ISO 639 language code, when known.
    pub language: Option<String>,
}

/// Stores a post unless its `ap_id` is already known; returns whether it was new.
pub fn insert_if_new(conn: &mut DbConnection, row: &PostRow) -> DbResult<bool> {
    Ok(super::insert_or_ignore!(conn, posts::table, row.clone())? > 0)
}

/// A post by ActivityPub id.
pub fn by_ap_id(conn: &mut DbConnection, ap_id: &str) -> DbResult<Option<PostRow>> {
    Ok(posts::table
        .filter(posts::ap_id.eq(ap_id))
        .select(PostRow::as_select())
        .first(conn)
        .optional()?)
}

/// A post by local id.
pub fn by_id(conn: &mut DbConnection, id: &str) -> DbResult<Option<PostRow>> {
    Ok(posts::table
        .find(id)
        .select(PostRow::as_select())
        .first(conn)
        .optional()?)
}

/// Applies an edit (content, title, warning) to the stored post `old`: the replaced version joins
/// the post's history and `updated` is stamped. Nothing happens when nothing changes (an `Update`
/// that only carries new poll counts, say); returns whether it was an edit.
pub fn update_content(
    conn: &mut DbConnection,
    old: &PostRow,
    content: &str,
    name: Option<&str>,
    summary: Option<&str>,
    sensitive: bool,
    updated: i64,
) -> DbResult<bool> {
    if old.content == content
        && old.name.as_deref() == name
        && old.summary.as_deref() == summary
        && old.sensitive == sensitive
    {
        return Ok(false);
    }
    diesel::insert_into(post_versions::table)
        .values((
            post_versions::id.eq(crate::domain::ids::new_id()),
            post_versions::post_id.eq(&old.id),
            post_versions::content.eq(&old.content),
            post_versions::summary.eq(&old.summary),
            post_versions::sensitive.eq(old.sensitive),
            post_versions::created_at.eq(old.updated.unwrap_or(old.published)),
        ))
        .execute(conn)?;
    let n = diesel::update(posts::table.find(&old.id))
        .set((
            posts::content.eq(content),
            posts::name.eq(name),
            posts::summary.eq(summary),
            posts::sensitive.eq(sensitive),
            posts::updated.eq(Some(updated)),
        ))
        .execute(conn)?;
    if n == 0 {
        return Err(DbError::NotFound);
    }
    Ok(true)
}

/// Marks a post deleted (it then answers as a Tombstone) and blanks its content.
pub fn mark_deleted(conn: &mut DbConnection, id: &str, at: i64) -> DbResult<()> {
    diesel::update(posts::table.find(id))
        .set((
            posts::deleted_at.eq(Some(at)),
            posts::content.eq(""),
            posts::name.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Live posts in a group, newest first.
pub fn in_group(conn: &mut DbConnection, group_id: &str, limit: i64) -> DbResult<Vec<PostRow>> {
    Ok(posts::table
        .filter(posts::group_id.eq(group_id))
        .filter(posts::deleted_at.is_null())
        .order(posts::published.desc())
        .limit(limit)
        .select(PostRow::as_select())
        .load(conn)?)
}

/// Number of live local posts (NodeInfo).
pub fn count_local(conn: &mut DbConnection) -> DbResult<i64> {
    Ok(posts::table
        .filter(posts::local.eq(true))
        .filter(posts::deleted_at.is_null())
        .count()
        .get_result(conn)?)
}

/// Newest live posts in the groups `member_id` belongs to (accepted follows).
pub fn timeline(conn: &mut DbConnection, member_id: &str, limit: i64) -> DbResult<Vec<PostRow>> {
    use super::schema::follows;
    let groups = follows::table
        .filter(follows::follower_id.eq(member_id))
        .filter(follows::state.eq(super::follows::FollowState::Accepted.as_str()))
        .select(follows::target_id);
    Ok(posts::table
        .filter(posts::group_id.eq_any(groups.load::<String>(conn)?))
        .filter(posts::deleted_at.is_null())
        .order(posts::published.desc())
        .limit(limit)
        .select(PostRow::as_select())
        .load(conn)?)
}

/// The post an earlier request with the same `Idempotency-Key` created, if any (kept 24 hours).
pub fn by_idempotency_key(
    conn: &mut DbConnection,
    user_id: &str,
    key: &str,
    now: i64,
) -> DbResult<Option<PostRow>> {
    use super::schema::idempotency_keys as k;
    let post_id: Option<String> = k::table
        .filter(k::user_id.eq(user_id))
        .filter(k::key.eq(key))
        .filter(k::created_at.gt(now - 24 * 3600 * 1000))
        .select(k::post_id)
        .first(conn)
        .optional()?;
    match post_id {
        Some(id) => by_id(conn, &id),
        None => Ok(None),
    }
}

/// Remembers which post an `Idempotency-Key` created.
pub fn remember_idempotency_key(
    conn: &mut DbConnection,
    user_id: &str,
    key: &str,
    post_id: &str,
    now: i64,
) -> DbResult<()> {
    use super::schema::idempotency_keys as k;
    diesel::delete(
        k::table
            .filter(k::user_id.eq(user_id))
            .filter(k::key.eq(key)),
    )
    .execute(conn)?;
    diesel::insert_into(k::table)
        .values((
            k::user_id.eq(user_id),
            k::key.eq(key),
            k::post_id.eq(post_id),
            k::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Replies to a post (for reply counts and context).
pub fn replies_to(conn: &mut DbConnection, ap_id: &str) -> DbResult<Vec<PostRow>> {
    Ok(posts::table
        .filter(posts::in_reply_to.eq(ap_id))
        .filter(posts::deleted_at.is_null())
        .order(posts::published.asc())
        .select(PostRow::as_select())
        .load(conn)?)
}

/// Number of live replies to a post.
pub fn count_replies(conn: &mut DbConnection, ap_id: &str) -> DbResult<i64> {
    Ok(posts::table
        .filter(posts::in_reply_to.eq(ap_id))
        .filter(posts::deleted_at.is_null())
        .count()
        .get_result(conn)?)
}

/// A member's home timeline: their own posts, posts in groups they belong to and posts by actors
/// they follow, newest first, paged by id (ULIDs sort by arrival).
pub fn home(
    conn: &mut DbConnection,
    member_id: &str,
    max_id: Option<&str>,
    min_id: Option<&str>,
    limit: i64,
) -> DbResult<Vec<PostRow>> {
    use super::schema::follows;
    let followed: Vec<String> = follows::table
        .filter(follows::follower_id.eq(member_id))
        .filter(follows::state.eq(super::follows::FollowState::Accepted.as_str()))
        .select(follows::target_id)
        .load(conn)?;
    let mut q = posts::table
        .filter(posts::deleted_at.is_null())
        .filter(
            posts::author_id
                .eq(member_id)
                .or(posts::group_id.eq_any(followed.clone()))
                .or(posts::author_id.eq_any(followed)),
        )
        .select(PostRow::as_select())
        .into_boxed();
    if let Some(max) = max_id {
        q = q.filter(posts::id.lt(max.to_string()));
    }
    if let Some(min) = min_id {
        // min_id pages towards newer posts: take the oldest ones above it, then reverse.
        q = q.filter(posts::id.gt(min.to_string()));
        let mut rows = q.order(posts::id.asc()).limit(limit).load(conn)?;
        rows.reverse();
        return Ok(rows);
    }
    Ok(q.order(posts::id.desc()).limit(limit).load(conn)?)
}

/// An author's live posts, newest first, paged by id.
pub fn by_author(
    conn: &mut DbConnection,
    author_id: &str,
    max_id: Option<&str>,
    limit: i64,
) -> DbResult<Vec<PostRow>> {
    let mut q = posts::table
        .filter(posts::author_id.eq(author_id))
        .filter(posts::deleted_at.is_null())
        .select(PostRow::as_select())
        .into_boxed();
    if let Some(max) = max_id {
        q = q.filter(posts::id.lt(max.to_string()));
    }
    Ok(q.order(posts::id.desc()).limit(limit).load(conn)?)
}

/// Public posts, newest first: all, local only, or remote only; optionally with a hashtag.
pub fn public(
    conn: &mut DbConnection,
    local: Option<bool>,
    hashtag: Option<&str>,
    max_id: Option<&str>,
    min_id: Option<&str>,
    limit: i64,
) -> DbResult<Vec<PostRow>> {
    // Posts in groups that are not public (consortium, members, local) stay out of public views.
    let public_groups = super::schema::actors::table
        .filter(super::schema::actors::visibility.eq("public"))
        .select(super::schema::actors::id);
    let mut q = posts::table
        .filter(posts::deleted_at.is_null())
        .filter(posts::visibility.eq("public"))
        .filter(
            posts::group_id
                .is_null()
                .or(posts::group_id.eq_any(public_groups.nullable())),
        )
        .select(PostRow::as_select())
        .into_boxed();
    if let Some(l) = local {
        q = q.filter(posts::local.eq(l));
    }
    if let Some(tag) = hashtag {
        q = q.filter(
            posts::id.eq_any(
                super::schema::post_tags::table
                    .filter(super::schema::post_tags::name.eq(tag.to_lowercase()))
                    .select(super::schema::post_tags::post_id),
            ),
        );
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

/// An earlier version of an edited post.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = post_versions)]
pub struct PostVersion {
    pub content: String,
    pub summary: Option<String>,
    pub sensitive: bool,
    /// When this version was published.
    pub created_at: i64,
}

/// Earlier versions of a post, oldest first.
pub fn versions(conn: &mut DbConnection, post_id: &str) -> DbResult<Vec<PostVersion>> {
    Ok(post_versions::table
        .filter(post_versions::post_id.eq(post_id))
        .order((post_versions::created_at.asc(), post_versions::id.asc()))
        .select(PostVersion::as_select())
        .load(conn)?)
}

/// Sets a post's language.
pub fn set_language(conn: &mut DbConnection, id: &str, language: Option<&str>) -> DbResult<()> {
    diesel::update(posts::table.find(id))
        .set(posts::language.eq(language))
        .execute(conn)?;
    Ok(())
}
