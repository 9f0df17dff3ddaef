//! Statuses an account pins to its profile (its `featured` collection) and the hashtags a member
//! features.

use super::{
    posts::PostRow,
    schema::{featured_tags, pins, posts},
    DbConnection, DbResult,
};
use diesel::prelude::*;

/// Pins `post_id` for `actor_id` unless it is pinned already; returns whether it was new.
pub fn pin(
    conn: &mut DbConnection,
    id: &str,
    actor_id: &str,
    post_id: &str,
    now: i64,
) -> DbResult<bool> {
    Ok(super::insert_or_ignore!(
        conn,
        pins::table,
        (
            pins::id.eq(id),
            pins::actor_id.eq(actor_id),
            pins::post_id.eq(post_id),
            pins::created_at.eq(now),
        )
    )? > 0)
}

/// Unpins `post_id`; returns whether it was pinned.
pub fn unpin(conn: &mut DbConnection, post_id: &str) -> DbResult<bool> {
    Ok(diesel::delete(pins::table.filter(pins::post_id.eq(post_id))).execute(conn)? > 0)
}

/// How many live statuses `actor_id` has pinned.
pub fn count(conn: &mut DbConnection, actor_id: &str) -> DbResult<i64> {
    Ok(pins::table
        .inner_join(posts::table.on(posts::id.eq(pins::post_id)))
        .filter(pins::actor_id.eq(actor_id))
        .filter(posts::deleted_at.is_null())
        .count()
        .get_result(conn)?)
}

/// The live statuses `actor_id` pinned, newest pin first.
pub fn pinned(conn: &mut DbConnection, actor_id: &str) -> DbResult<Vec<PostRow>> {
    Ok(pins::table
        .inner_join(posts::table.on(posts::id.eq(pins::post_id)))
        .filter(pins::actor_id.eq(actor_id))
        .filter(posts::deleted_at.is_null())
        .order(pins::id.desc())
        .select(PostRow::as_select())
        .limit(40)
        .load(conn)?)
}

/// Which of `post_ids` are pinned.
pub fn pinned_among(conn: &mut DbConnection, post_ids: &[&str]) -> DbResult<Vec<String>> {
    Ok(pins::table
        .filter(pins::post_id.eq_any(post_ids))
        .select(pins::post_id)
        .load(conn)?)
}

/// Replaces a remote actor's pins with `post_ids` (its `featured` collection as read).
pub fn replace(
    conn: &mut DbConnection,
    actor_id: &str,
    post_ids: &[(String, String)],
    now: i64,
) -> DbResult<()> {
    diesel::delete(pins::table.filter(pins::actor_id.eq(actor_id))).execute(conn)?;
    for (id, post_id) in post_ids {
        pin(conn, id, actor_id, post_id, now)?;
    }
    Ok(())
}

/// One featured hashtag.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = featured_tags)]
pub struct FeaturedTagRow {
    pub id: String,
    pub actor_id: String,
    pub name: String,
    pub created_at: i64,
}

/// Features a hashtag; returns false when `actor_id` features it already.
pub fn feature_tag(conn: &mut DbConnection, row: &FeaturedTagRow) -> DbResult<bool> {
    Ok(super::insert_or_ignore!(conn, featured_tags::table, row.clone())? > 0)
}

/// The hashtags `actor_id` features, in the order they were added.
pub fn featured_tags(conn: &mut DbConnection, actor_id: &str) -> DbResult<Vec<FeaturedTagRow>> {
    Ok(featured_tags::table
        .filter(featured_tags::actor_id.eq(actor_id))
        .order(featured_tags::id.asc())
        .select(FeaturedTagRow::as_select())
        .load(conn)?)
}

/// Stops featuring a hashtag; returns whether `actor_id` featured it under `id`.
pub fn unfeature_tag(conn: &mut DbConnection, actor_id: &str, id: &str) -> DbResult<bool> {
    Ok(diesel::delete(
        featured_tags::table
            .filter(featured_tags::actor_id.eq(actor_id))
            .filter(featured_tags::id.eq(id)),
    )
    .execute(conn)?
        > 0)
}

/// How many live posts of `actor_id` use hashtag `name`, and when the newest was published.
pub fn tag_use(
    conn: &mut DbConnection,
    actor_id: &str,
    name: &str,
) -> DbResult<(i64, Option<i64>)> {
    use super::schema::post_tags;
    let (count, last): (i64, Option<i64>) = post_tags::table
        .inner_join(posts::table)
        .filter(post_tags::name.eq(name))
        .filter(posts::author_id.eq(actor_id))
        .filter(posts::deleted_at.is_null())
        .select((
            diesel::dsl::count_star(),
            diesel::dsl::max(posts::published),
        ))
        .first(conn)?;
    Ok((count, last))
}

/// The hashtags `actor_id` used most in their recent live posts (featured tag suggestions).
pub fn most_used_tags(
    conn: &mut DbConnection,
    actor_id: &str,
    limit: i64,
) -> DbResult<Vec<String>> {
    use super::schema::post_tags;
    let recent: Vec<String> = posts::table
        .filter(posts::author_id.eq(actor_id))
        .filter(posts::deleted_at.is_null())
        .order(posts::id.desc())
        .limit(200)
        .select(posts::id)
        .load(conn)?;
    let mut names: Vec<(String, i64)> = post_tags::table
        .filter(post_tags::post_id.eq_any(&recent))
        .group_by(post_tags::name)
        .select((post_tags::name, diesel::dsl::count_star()))
        .load(conn)?;
    names.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Ok(names
        .into_iter()
        .take(limit as usize)
        .map(|(n, _)| n)
        .collect())
}
