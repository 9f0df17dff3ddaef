//! Changing stored posts: edits (with the history of earlier versions), deletion and language.

use super::PostRow;
use crate::db::{
    schema::{post_versions, posts},
    DbConnection, DbError, DbResult,
};
use diesel::prelude::*;

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
    let live: Option<(String, String)> = posts::table
        .find(id)
        .filter(posts::deleted_at.is_null())
        .select((posts::author_id, posts::visibility))
        .first(conn)
        .optional()?;
    if live.as_ref().is_some_and(|(_, v)| v == "public") {
        let tags = crate::db::tags::of_post(conn, id)?;
        crate::db::tag_stats::retagged(conn, id, &tags, &[])?;
    }
    let author = live.map(|(a, _)| a);
    diesel::update(posts::table.find(id))
        .set((
            posts::deleted_at.eq(Some(at)),
            posts::content.eq(""),
            posts::name.eq(None::<String>),
        ))
        .execute(conn)?;
    if let Some(author) = author {
        super::counters::removed(conn, &author)?;
    }
    Ok(())
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
