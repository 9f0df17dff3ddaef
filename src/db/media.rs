//! Media attachments: uploads (files under the data dir) and attachments of remote posts.

use super::{schema::media, DbConnection, DbResult};
use diesel::prelude::*;

/// One attachment.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = media)]
pub struct MediaRow {
    pub id: String,
    /// The uploading member (local uploads).
    pub owner_id: Option<String>,
    pub post_id: Option<String>,
    /// `image`, `video`, `audio`, or `unknown` (remote attachments of other types).
    pub kind: String,
    pub mime: String,
    /// File name under `<data_dir>/media` for local uploads.
    pub file_name: Option<String>,
    /// Where a remote attachment lives.
    pub remote_url: Option<String>,
    pub size: i64,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub description: Option<String>,
    pub created_at: i64,
    /// Length of video and audio, in milliseconds.
    pub duration_ms: Option<i64>,
}

/// Stores an attachment.
pub fn insert(conn: &mut DbConnection, row: &MediaRow) -> DbResult<()> {
    diesel::insert_into(media::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// One attachment.
pub fn get(conn: &mut DbConnection, id: &str) -> DbResult<Option<MediaRow>> {
    Ok(media::table
        .find(id)
        .select(MediaRow::as_select())
        .first(conn)
        .optional()?)
}

/// Changes an attachment's description.
pub fn describe(conn: &mut DbConnection, id: &str, description: Option<&str>) -> DbResult<()> {
    diesel::update(media::table.find(id))
        .set(media::description.eq(description))
        .execute(conn)?;
    Ok(())
}

/// Attaches uploads to a post.
pub fn attach(conn: &mut DbConnection, ids: &[String], post_id: &str) -> DbResult<()> {
    diesel::update(media::table.filter(media::id.eq_any(ids)))
        .set(media::post_id.eq(Some(post_id)))
        .execute(conn)?;
    Ok(())
}

/// The attachments of a post, in upload order.
pub fn of_post(conn: &mut DbConnection, post_id: &str) -> DbResult<Vec<MediaRow>> {
    Ok(media::table
        .filter(media::post_id.eq(post_id))
        .order(media::id.asc())
        .select(MediaRow::as_select())
        .load(conn)?)
}

/// Which of `post_ids` have at least one attachment.
pub fn posts_with_media(
    conn: &mut DbConnection,
    post_ids: &[String],
) -> DbResult<std::collections::HashSet<String>> {
    if post_ids.is_empty() {
        return Ok(Default::default());
    }
    let rows: Vec<Option<String>> = media::table
        .filter(media::post_id.eq_any(post_ids.to_vec()))
        .select(media::post_id)
        .distinct()
        .load(conn)?;
    Ok(rows.into_iter().flatten().collect())
}

/// Deletes a member's upload while no post carries it; returns whether it did (a post that
/// attaches it meanwhile keeps it).
pub fn delete_unattached(conn: &mut DbConnection, id: &str, owner_id: &str) -> DbResult<bool> {
    let n = diesel::delete(
        media::table
            .filter(media::id.eq(id))
            .filter(media::owner_id.eq(owner_id))
            .filter(media::post_id.is_null()),
    )
    .execute(conn)?;
    Ok(n > 0)
}
