//! A list's timeline and which posts a list shows: posts by its accounts and in its groups, with
//! replies kept or left out by the list's replies policy, and only what the audience rule lets
//! the owner see.

use super::owned;
use crate::{
    db::{self, lists::ListRow, posts::PostRow, DbConnection, DbResult},
    error::AppResult,
    service::{
        reading::Window,
        visibility::{Sight, Viewer},
    },
    state::AppState,
};
use std::collections::HashMap;

/// Which posts of a page by (or in a group on) the list belong on it by the replies policy: a
/// post that is not a reply, a self-reply or a reply to the owner always does; other replies when
/// their parent's author is on the list (`list`) or followed by the owner (`followed`); never
/// (`none`). A fixed number of statements for the whole page.
pub fn shown(conn: &mut DbConnection, list: &ListRow, posts: &[PostRow]) -> DbResult<Vec<bool>> {
    let parents: Vec<&str> = posts
        .iter()
        .filter_map(|p| p.in_reply_to.as_deref())
        .collect();
    if parents.is_empty() {
        return Ok(vec![true; posts.len()]);
    }
    let authors: HashMap<String, String> =
        db::lists::authors_of(conn, &parents)?.into_iter().collect();
    let others: Vec<&str> = posts
        .iter()
        .filter_map(|p| {
            let parent = authors.get(p.in_reply_to.as_deref()?)?;
            (parent != &p.author_id && parent != &list.user_id).then_some(parent.as_str())
        })
        .collect();
    let allowed: Vec<String> = match list.replies_policy.as_str() {
        _ if others.is_empty() => vec![],
        "followed" => db::relations::followed_among(conn, &list.user_id, &others)?,
        "list" => db::lists::account_ids(conn, &list.id)?,
        _ => vec![],
    };
    Ok(posts
        .iter()
        .map(|p| {
            let Some(parent) = p.in_reply_to.as_deref() else {
                return true;
            };
            match authors.get(parent) {
                None => list.replies_policy != "none",
                Some(a) => a == &p.author_id || a == &list.user_id || allowed.contains(a),
            }
        })
        .collect())
}

/// Whether one post belongs on the list by its replies policy (see [`shown`]).
pub fn shows(conn: &mut DbConnection, list: &ListRow, post: &PostRow) -> DbResult<bool> {
    Ok(shown(conn, list, std::slice::from_ref(post))?
        .pop()
        .unwrap_or(false))
}

/// Whether a post comes from one of the list's sources (an account on it, or a group on it).
pub fn is_from(conn: &mut DbConnection, list: &ListRow, post: &PostRow) -> DbResult<bool> {
    let accounts = db::lists::account_ids(conn, &list.id)?;
    Ok(accounts.contains(&post.author_id)
        || post.group_id.as_ref().is_some_and(|g| accounts.contains(g)))
}

fn keep(
    conn: &mut DbConnection,
    sight: &mut Sight,
    list: &ListRow,
    rows: Vec<PostRow>,
) -> DbResult<Vec<PostRow>> {
    let seen = sight.retain(conn, rows)?;
    let shown = shown(conn, list, &seen)?;
    Ok(seen
        .into_iter()
        .zip(shown)
        .filter_map(|(p, keep)| keep.then_some(p))
        .collect())
}

/// A page of one of the member's lists (404 for a list that is not theirs), newest first.
pub async fn timeline(
    state: &AppState,
    me: String,
    id: String,
    w: Window,
) -> AppResult<Vec<PostRow>> {
    state.db.run(move |c| Ok(page(c, me, id, w))).await?
}

fn page(c: &mut DbConnection, me: String, id: String, w: Window) -> AppResult<Vec<PostRow>> {
    let list = owned(c, &me, &id)?;
    let mut sight = Sight::new(Viewer::Local(me));
    if w.min.is_some() && !w.since_only {
        let rows = db::posts::list_timeline(c, &id, w.max.as_deref(), w.min.as_deref(), w.limit)?;
        return Ok(keep(c, &mut sight, &list, rows)?);
    }
    let mut rows = crate::service::reading::fill(
        c,
        w.limit,
        w.max,
        |c, max, limit| db::posts::list_timeline(c, &id, max, None, limit),
        |c, rows| keep(c, &mut sight, &list, rows),
    )?;
    rows.retain(|p| w.min.as_deref().is_none_or(|m| p.id.as_str() > m));
    Ok(rows)
}
