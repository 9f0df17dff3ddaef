//! Notifications for local members, and read markers.

use super::{
    schema::{blocks, markers, mutes, notifications},
    DbConnection, DbResult,
};
use crate::domain::notification::NotificationKind;
use diesel::prelude::*;

/// One notification.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = notifications)]
pub struct NotificationRow {
    pub id: String,
    pub user_id: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub kind: NotificationKind,
    pub from_actor_id: String,
    pub post_id: Option<String>,
    pub created_at: i64,
    /// The group it belongs to in grouped notifications (`domain::notification::group_key`).
    pub group_key: String,
    /// The report of an `admin.report` notification.
    pub report_id: Option<String>,
}

/// Leaves out of a boxed notifications query those from accounts `user_id` blocks, or mutes with
/// their notifications: every reader of a member's notifications (pages, groups, unread counts)
/// applies it.
macro_rules! shown_to {
    ($q:expr, $user_id:expr) => {{
        let now = crate::domain::time::now_ms();
        $q.filter(diesel::dsl::not(diesel::dsl::exists(
            blocks::table
                .filter(blocks::actor_id.eq($user_id))
                .filter(blocks::target_id.eq(notifications::from_actor_id)),
        )))
        .filter(diesel::dsl::not(diesel::dsl::exists(
            mutes::table
                .filter(mutes::actor_id.eq($user_id))
                .filter(mutes::target_id.eq(notifications::from_actor_id))
                .filter(mutes::notifications.eq(true))
                .filter(mutes::expires_at.is_null().or(mutes::expires_at.gt(now))),
        )))
    }};
}

/// Stores a notification.
pub fn insert(conn: &mut DbConnection, row: &NotificationRow) -> DbResult<()> {
    super::direct!(conn, |c| super::Kept(
        diesel::insert_into(notifications::table).values(row.clone())
    )
    .execute(c))?;
    Ok(())
}

/// A member's notifications, newest first, paged by id and optionally filtered by kind.
pub fn list(
    conn: &mut DbConnection,
    user_id: &str,
    max_id: Option<&str>,
    min_id: Option<&str>,
    kinds: &[String],
    exclude: &[String],
    limit: i64,
) -> DbResult<Vec<NotificationRow>> {
    let keys = super::Keys {
        max: max_id,
        min: min_id,
        ascending: false,
        limit,
    };
    page(conn, user_id, kinds, exclude, keys)
}

/// One page of a member's notifications (newest first), filtered by kind.
pub fn page(
    conn: &mut DbConnection,
    user_id: &str,
    kinds: &[String],
    exclude: &[String],
    keys: super::Keys<'_>,
) -> DbResult<Vec<NotificationRow>> {
    let mut q = notifications::table
        .filter(notifications::user_id.eq(user_id))
        .select(NotificationRow::as_select())
        .into_boxed();
    if let Some(max) = keys.max {
        q = q.filter(notifications::id.lt(max.to_string()));
    }
    if let Some(min) = keys.min {
        q = q.filter(notifications::id.gt(min.to_string()));
    }
    if !kinds.is_empty() {
        q = q.filter(notifications::kind.eq_any(kinds.to_vec()));
    }
    if !exclude.is_empty() {
        q = q.filter(notifications::kind.ne_all(exclude.to_vec()));
    }
    q = shown_to!(q, user_id);
    if keys.ascending {
        let mut rows = q
            .order(notifications::id.asc())
            .limit(keys.limit)
            .load(conn)?;
        rows.reverse();
        return Ok(rows);
    }
    Ok(q.order(notifications::id.desc())
        .limit(keys.limit)
        .load(conn)?)
}

/// Whether notifications from `from` are hidden from `user_id` (blocked, or muted with
/// notifications).
pub fn hidden(conn: &mut DbConnection, user_id: &str, from: &str) -> DbResult<bool> {
    if super::blocks::by_pair(conn, user_id, from)?.is_some() {
        return Ok(true);
    }
    let now = crate::domain::time::now_ms();
    Ok(super::mutes::active(conn, user_id, from, now)?.is_some_and(|m| m.notifications))
}

/// One notification of a member.
pub fn get(conn: &mut DbConnection, user_id: &str, id: &str) -> DbResult<Option<NotificationRow>> {
    Ok(notifications::table
        .filter(notifications::user_id.eq(user_id))
        .filter(notifications::id.eq(id))
        .select(NotificationRow::as_select())
        .first(conn)
        .optional()?)
}

/// Dismisses one notification; returns whether it existed.
pub fn dismiss(conn: &mut DbConnection, user_id: &str, id: &str) -> DbResult<bool> {
    Ok(diesel::delete(
        notifications::table
            .filter(notifications::user_id.eq(user_id))
            .filter(notifications::id.eq(id)),
    )
    .execute(conn)?
        > 0)
}

/// Dismisses all of a member's notifications.
pub fn clear(conn: &mut DbConnection, user_id: &str) -> DbResult<()> {
    diesel::delete(notifications::table.filter(notifications::user_id.eq(user_id)))
        .execute(conn)?;
    Ok(())
}

/// `(timeline, last_read_id, version, updated_at)` of a member's markers.
pub fn markers(
    conn: &mut DbConnection,
    user_id: &str,
) -> DbResult<Vec<(String, String, i32, i64)>> {
    Ok(markers::table
        .filter(markers::user_id.eq(user_id))
        .select((
            markers::timeline,
            markers::last_read_id,
            markers::version,
            markers::updated_at,
        ))
        .load(conn)?)
}

/// Sets a marker, bumping its version.
pub fn set_marker(
    conn: &mut DbConnection,
    user_id: &str,
    timeline: &str,
    last_read_id: &str,
    now: i64,
) -> DbResult<()> {
    let n = diesel::update(
        markers::table
            .filter(markers::user_id.eq(user_id))
            .filter(markers::timeline.eq(timeline)),
    )
    .set((
        markers::last_read_id.eq(last_read_id),
        markers::version.eq(markers::version + 1),
        markers::updated_at.eq(now),
    ))
    .execute(conn)?;
    if n == 0 {
        super::insert_or_ignore!(
            conn,
            markers::table,
            (
                markers::user_id.eq(user_id),
                markers::timeline.eq(timeline),
                markers::last_read_id.eq(last_read_id),
                markers::version.eq(1),
                markers::updated_at.eq(now),
            )
        )?;
    }
    Ok(())
}

/// The ids and group keys of a member's notifications newer than `after` (all when `None`),
/// newest first, at most `limit` (unread counts seek by `(user_id, id)`).
pub fn newer_than(
    conn: &mut DbConnection,
    user_id: &str,
    after: Option<&str>,
    kinds: &[String],
    exclude: &[String],
    limit: i64,
) -> DbResult<Vec<(String, String, String)>> {
    let mut q = notifications::table
        .filter(notifications::user_id.eq(user_id))
        .select((
            notifications::id,
            notifications::kind,
            notifications::group_key,
        ))
        .into_boxed();
    if let Some(after) = after {
        q = q.filter(notifications::id.gt(after.to_string()));
    }
    if !kinds.is_empty() {
        q = q.filter(notifications::kind.eq_any(kinds.to_vec()));
    }
    if !exclude.is_empty() {
        q = q.filter(notifications::kind.ne_all(exclude.to_vec()));
    }
    q = shown_to!(q, user_id);
    Ok(q.order(notifications::id.desc()).limit(limit).load(conn)?)
}

/// A group's notifications, newest first, up to `max_id` (inclusive) when given.
pub fn in_group(
    conn: &mut DbConnection,
    user_id: &str,
    group_key: &str,
    max_id: Option<&str>,
    limit: i64,
) -> DbResult<Vec<NotificationRow>> {
    let mut q = notifications::table
        .filter(notifications::user_id.eq(user_id))
        .filter(notifications::group_key.eq(group_key))
        .select(NotificationRow::as_select())
        .into_boxed();
    if let Some(max) = max_id {
        q = q.filter(notifications::id.le(max.to_string()));
    }
    q = shown_to!(q, user_id);
    Ok(q.order(notifications::id.desc()).limit(limit).load(conn)?)
}

/// How many notifications a group has, up to `max_id` (inclusive) when given.
pub fn count_group(
    conn: &mut DbConnection,
    user_id: &str,
    group_key: &str,
    max_id: Option<&str>,
) -> DbResult<i64> {
    let mut q = notifications::table
        .filter(notifications::user_id.eq(user_id))
        .filter(notifications::group_key.eq(group_key))
        .into_boxed();
    if let Some(max) = max_id {
        q = q.filter(notifications::id.le(max.to_string()));
    }
    q = shown_to!(q, user_id);
    Ok(q.count().get_result(conn)?)
}

/// Dismisses every notification of a group; returns how many there were.
pub fn dismiss_group(conn: &mut DbConnection, user_id: &str, group_key: &str) -> DbResult<usize> {
    Ok(diesel::delete(
        notifications::table
            .filter(notifications::user_id.eq(user_id))
            .filter(notifications::group_key.eq(group_key)),
    )
    .execute(conn)?)
}

/// Removes the `follow_request` notifications about `from` that `users` received: the request
/// was answered. Returns how many went.
pub fn forget_request(conn: &mut DbConnection, users: &[String], from: &str) -> DbResult<usize> {
    Ok(diesel::delete(
        notifications::table
            .filter(notifications::user_id.eq_any(users))
            .filter(notifications::from_actor_id.eq(from))
            .filter(notifications::kind.eq(NotificationKind::FollowRequest.as_str())),
    )
    .execute(conn)?)
}
